/*
 * file.h - reading a whole file, the one way every module does it: one
 * convention for errors, and for files that hold a secret (private keys,
 * password files, credentials) the owner-only rule in one place.
 */
#ifndef SFA_FILE_H
#define SFA_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* A max for a file that may be as large as memory allows. */
#define SFA_FILE_ANY_SIZE (SIZE_MAX / 4)

/* Reads the file at path whole: *data gets its bytes and a NUL after them
 * (malloc'ed, the caller's to free), *len their count.  what names the
 * file in messages ("configuration", "the change file"; NULL for the
 * path alone).  Errors, with err->where the path and the message naming
 * it: SFA_ENOTFOUND when there is no such file, SFA_EINPUT when it cannot
 * be opened otherwise (no permission, ...) or holds more than max bytes,
 * SFA_EIO when reading fails, SFA_ENOMEM. */
int sfa_read_file(const char *path, const char *what, size_t max, char **data,
		  size_t *len, sfa_err *err);

/* The same for a file that holds a secret: refused (SFA_EINPUT) unless it
 * is a regular file, not a symbolic link, that no one but its owner may
 * read or write (mode 0600 or stricter, as ssh requires of a private
 * key).  The mode is checked on the file opened, so the file cannot be
 * swapped between the check and the read.  The caller wipes the bytes
 * (sfa_secret_wipe) before freeing them. */
int sfa_read_private_file(const char *path, const char *what, size_t max,
			  char **data, size_t *len, sfa_err *err);

#endif
