/*
 * sf.h - the Salesforce REST client: queries with nextRecordsUrl paging,
 * sObject writes, error bodies turned into sfa_err, the API usage reported
 * by Sforce-Limit-Info, and one fresh login when a session expires.
 */
#ifndef SFA_SF_H
#define SFA_SF_H

#include <jansson.h>

#include "auth.h"
#include "err.h"

struct sfa_http;
typedef struct sfa_sf sfa_sf;

/* Creates a client over http and auth (both borrowed, must outlive the
 * client).  No request is made until sfa_sf_login(). */
int sfa_sf_new(sfa_sf **out, struct sfa_http *http,
	       const sfa_auth_config *auth, sfa_err *err);
void sfa_sf_free(sfa_sf *sf);

/* Logs in (or again).  Afterwards org id and instance URL are known. */
int sfa_sf_login(sfa_sf *sf, sfa_err *err);
const char *sfa_sf_org_id(const sfa_sf *sf);
const char *sfa_sf_instance_url(const sfa_sf *sf);
const char *sfa_sf_api_version(const sfa_sf *sf);

/* Called once per record, in order; the record is borrowed for the call.
 * A non-zero return stops the query and is returned by sfa_sf_query(). */
typedef int (*sfa_sf_record_fn)(void *ud, json_t *record, sfa_err *err);

#define SFA_SF_QUERY_ALL 0x1u /* queryAll: include deleted rows */

/* Runs soql and follows nextRecordsUrl to the end.  A 401 gets one fresh
 * login and the same request again; a lost query locator
 * (INVALID_QUERY_LOCATOR) is SFA_ESF with sf_code set so the caller can
 * restart the scan. */
int sfa_sf_query(sfa_sf *sf, const char *soql, unsigned flags,
		 sfa_sf_record_fn fn, void *ud, sfa_err *err);

/* One REST call on path, relative to /services/data/vNN.N/ (e.g.
 * "sobjects/PermissionSetAssignment" or "sobjects/User/005..."): method
 * "GET", "POST", "PATCH" or "DELETE", body sent as JSON when not NULL.
 * Only GETs are retried; writes are sent once.  On success *out (if out
 * is not NULL) is the parsed response, NULL for an empty one (204), owned
 * by the caller.  Errors as for sfa_sf_query(), with the sObject of the
 * path in err->where. */
int sfa_sf_request(sfa_sf *sf, const char *method, const char *path,
		   const json_t *body, json_t **out, sfa_err *err);

/* Requests this client has sent that a real org charges to its daily API
 * limit (REST and Bulk calls, not logins). */
long sfa_sf_api_requests(const sfa_sf *sf);

/* The org's API usage from the last Sforce-Limit-Info header; 0 when none
 * has been seen yet, 1 when used and limit were written. */
int sfa_sf_api_usage(const sfa_sf *sf, long *used, long *limit);

/* Advice for an admin for a Salesforce error code ("the connecting user
 * lacks the API Enabled permission ..."), or NULL when there is none. */
const char *sfa_sf_advice(const char *sf_code);

/* The same, narrowed to the sObject being read or written (err->where
 * after a failed query): INSUFFICIENT_ACCESS on User names Manage Users,
 * on ConnectedApplication Customize Application, and so on.  object may
 * be NULL. */
const char *sfa_sf_advice_for(const char *sf_code, const char *object);

#endif
