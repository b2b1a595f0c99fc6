/*
 * auth_soap.h - the password flow: SOAP partner login()
 * (lib/salesforce/SALESFORCE-API.md §3.1).  Internal to auth.c; the envelope
 * and the response parser are separate functions so tests can reach them
 * without a network.
 */
#ifndef SFA_AUTH_SOAP_H
#define SFA_AUTH_SOAP_H

#include <stddef.h>

#include "auth.h"

/* Responses larger than this are refused before parsing. */
#define SFA_SOAP_MAX_RESPONSE (1024 * 1024)

/* Builds the login() request body, username and password+token escaped
 * for XML.  *out is malloc'd and holds a secret: free it with
 * sfa_secret_free().  SFA_EINPUT when a value holds a character XML 1.0
 * cannot carry (control characters other than tab, CR, LF). */
int sfa_auth_soap_envelope(const char *username, const char *password,
			   const char *security_token, char **out,
			   sfa_err *err);

/* Parses a login() response.  200 with a loginResult fills out (fields
 * owned by out; see sfa_session_clear()); a SOAP Fault is SFA_EAUTH with
 * err->sf_code = exceptionCode; anything else (not XML, a DOCTYPE, over
 * SFA_SOAP_MAX_RESPONSE, fields missing) is SFA_EPROTO. */
int sfa_auth_soap_parse(long http_status, const char *body, size_t len,
			sfa_session *out, sfa_err *err);

/* The login() API version: min(api_version, 64.0), since SOAP login() is
 * gone from 65.0.  Writes "NN.N" into out; SFA_EINPUT when api_version
 * is not of that form. */
int sfa_auth_soap_version(const char *api_version, char *out, size_t outsz,
			  sfa_err *err);

/* Logs in with cfg->username, password and security_token. */
int sfa_auth_soap_login(const sfa_auth_config *cfg, struct sfa_http *http,
			sfa_session *out, sfa_err *err);

#endif
