/*
 * sf_error.h - turning what Salesforce says when it refuses (REST error
 * bodies, Sforce-Limit-Info) into values; used by sf.c and auth*.c.
 */
#ifndef SFA_SF_ERROR_H
#define SFA_SF_ERROR_H

#include <stddef.h>

#include "err.h"

/* Fills err from a non-2xx REST response: status, the first errorCode
 * and message of a [{"message","errorCode"}] body (or an OAuth
 * {"error","error_description"} body), and advice for the admin.
 * object is the sObject being read or written (NULL if none); it goes
 * into err->where and the message.  Returns the code set:
 * SFA_ELIMIT for REQUEST_LIMIT_EXCEEDED, SFA_EAUTH for INVALID_SESSION_ID
 * and 401s, SFA_ESF otherwise. */
int sfa_sf_error_from_body(long status, const char *body, size_t len,
			   const char *object, sfa_err *err);

/* Salesforce's message text for an error message: on one line, without
 * its final full stop (advice may follow), and when it does not fit in
 * size shortened at a word boundary and marked with "..." -- never cut
 * inside a word or a UTF-8 character.  text may be NULL (""). */
void sfa_sf_error_text(char *out, size_t size, const char *text);

/* Advice for an admin for a Salesforce error code ("the connecting user
 * lacks the API Enabled permission ..."), or NULL when there is none. */
const char *sfa_sf_advice(const char *sf_code);

/* The same, narrowed to the sObject being read or written (err->where
 * after a failed query): INSUFFICIENT_ACCESS on User names Manage Users,
 * on ConnectedApplication Customize Application, and so on.  object may
 * be NULL. */
const char *sfa_sf_advice_for(const char *sf_code, const char *object);

/* The Salesforce error codes and the objects that have advice, one by
 * one (NULL after the last): so a test can check every text. */
const char *sfa_sf_advice_code(size_t i);
const char *sfa_sf_advice_object(size_t i);

/* Reads "api-usage=USED/LIMIT" out of a Sforce-Limit-Info value, which may
 * hold other key=value items separated by ',' or ';'.  Returns 1 and
 * writes used and limit when found, else 0 and leaves them alone. */
int sfa_sf_limit_info_parse(const char *header, long *used, long *limit);

#endif
