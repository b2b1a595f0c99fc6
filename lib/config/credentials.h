/*
 * credentials.h - the credentials file that `sfaccess login` writes and
 * `--auth oauth` reads: refresh token, client id and instance URL, one
 * "key=value" per line, mode 0600, replaced atomically.
 */
#ifndef SFA_CREDENTIALS_H
#define SFA_CREDENTIALS_H

#include "err.h"

/* Every string is owned; sfa_credentials_clear() wipes the token and
 * frees them all. */
typedef struct sfa_credentials {
	char *client_id;
	char *instance_url;  /* "https://acme.my.salesforce.com" */
	char *refresh_token; /* secret */
} sfa_credentials;

/* The default path: $XDG_CONFIG_HOME/sfaccess/credentials when that
 * variable is an absolute path, else ~/.config/sfaccess/credentials.
 * *out is malloc'd.  SFA_EINPUT when neither variable is usable. */
int sfa_credentials_default_path(char **out, sfa_err *err);

/* Reads path into out.  SFA_ENOTFOUND when it does not exist; SFA_EINPUT
 * when it is not a regular file, is readable or writable by group or
 * others, or lacks a refresh_token line; SFA_EIO for read errors. */
int sfa_credentials_read(const char *path, sfa_credentials *out, sfa_err *err);

/* Writes c to path with mode 0600: a temporary file in the same
 * directory, fsync'd, then renamed over path, so a reader sees the old
 * file or the new one, never half of one.  Missing parent directories are
 * created with mode 0700.  Values holding a newline are SFA_EINPUT. */
int sfa_credentials_write(const char *path, const sfa_credentials *c,
			  sfa_err *err);

void sfa_credentials_clear(sfa_credentials *c);

#endif
