/*
 * err.h - error values shared by every module of libsfaccess.
 *
 * Every library function that can fail returns 0 or a negative SFA_E* code
 * and fills the caller's sfa_err with what went wrong and where (input
 * file:line, HTTP status, Salesforce errorCode).  The library never prints
 * and never exits; cmd/ turns an sfa_err into a message and an exit status.
 */
#ifndef SFA_ERR_H
#define SFA_ERR_H

#include <stddef.h>

enum {
	SFA_OK = 0,
	SFA_EINPUT = -1, /* bad usage or bad input: nothing was changed */
	SFA_ENOMEM = -2, /* out of memory */
	SFA_EIO = -3,	 /* local file or OS error */
	SFA_ENET = -4,	 /* network: unreachable, reset, timeout */
	SFA_ETLS = -5,	 /* TLS handshake or certificate failure */
	SFA_EAUTH = -6,	 /* login refused or session lost for good */
	SFA_ESF = -7,	 /* Salesforce answered with an error */
	SFA_ELIMIT = -8, /* API request budget exhausted or guarded */
	SFA_ESTORE = -9, /* snapshot store (SQLite) error */
	SFA_ENOTFOUND =
	    -10,	  /* a named snapshot, record or file does not exist */
	SFA_EBUSY = -11,  /* another process holds the store */
	SFA_EPROTO = -12, /* response not in the shape Salesforce documents */
	SFA_EINTERNAL = -13, /* a bug: an invariant did not hold */
	SFA_EINTR = -14	     /* stopped by a signal (Ctrl-C, SIGTERM) */
};

typedef struct sfa_err {
	int code;	  /* one of SFA_E*, 0 when clear */
	long http_status; /* HTTP status of the failing response, 0 if none */
	char sf_code[64]; /* Salesforce errorCode / SOAP exceptionCode / OAuth
			     error */
	char where[256];  /* "file:line", "--flag", URL path or object name */
	char msg[1024];	  /* one line, no trailing newline, never a secret */
} sfa_err;

/* Clears err (err may be NULL: every sfa_err_* accepts NULL). */
void sfa_err_clear(sfa_err *err);

/* Sets code and a printf-style message; returns code so callers can write
 * `return sfa_err_set(err, SFA_EINPUT, "...")`.  Keeps an existing `where`. */
int sfa_err_set(sfa_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Sets the `where` part (printf-style). */
void sfa_err_where(sfa_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prefixes the current message with more context: "ctx: old message". */
void sfa_err_prefix(sfa_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A short static name for a code ("bad input", "network error", ...). */
const char *sfa_err_name(int code);

#endif
