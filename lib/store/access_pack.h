/*
 * access_pack.h - a user's effective access rows of one snapshot as one
 * value: the access_set table (store schema v4) holds a row per user whose
 * `data` is this encoding, instead of a table row per access row.  A
 * snapshot of a large org has tens of millions of access rows and tens of
 * thousands of users; every reader (review, hash, diff) reads a user's
 * rows together, so one B-tree entry per user is what they need.
 *
 * The encoding: a format byte (2); the count of distinct texts, each as
 * a length and its bytes; the count of rows; then each row as one byte
 * (type code in bits 0-3, the via type's index among the usual via types
 * in bits 4-6, whether the dates follow in bit 7), its access key as the
 * difference from the row before's if the type is the same (else from 0),
 * its via key as the difference from the row before's, then when flagged
 * the assigned_at and expires_at texts and the first_seen_at text, each
 * as 0 (NULL) or 1 + the index of the text; an unflagged first_seen_at is
 * text 0, which is the first row's.  Via index 7 means a byte follows the
 * head: the via type code, with 0x80 set when the row has a first_seen_at
 * of its own.  Format 1 (before the entitlement types) had 3 bits each for
 * type and via codes of its own numbering and bit 7 for first_seen; sets
 * stored in it are still read.
 * Counts, lengths and references are unsigned LEB128, differences zigzag
 * LEB128.  A user's rows share a handful of dates, sorted keys are close
 * and a user's via keys repeat, so most rows take three to five bytes.
 * Rows are kept in key order (type, access key, via type, via key), the
 * order of the codes below.
 */
#ifndef SFA_ACCESS_PACK_H
#define SFA_ACCESS_PACK_H

#include "buf.h"
#include "err.h"

#include <stddef.h>

/* Type codes, numbered in the byte order of their names, so that codes
 * compare as the names do. */
enum {
	SFA_AT_CONNECTED_APP,
	SFA_AT_CUSTOM_PERMISSION,
	SFA_AT_DIRECT,
	SFA_AT_GROUP,
	SFA_AT_OAUTH_TOKEN,
	SFA_AT_PACKAGE_LICENSE,
	SFA_AT_PERMISSION_SET,
	SFA_AT_PERMISSION_SET_GROUP,
	SFA_AT_PERMISSION_SET_LICENSE,
	SFA_AT_PROFILE,
	SFA_AT_QUEUE,
	SFA_AT_ROLE,
	SFA_AT_TERRITORY,
	SFA_AT_COUNT
};

/* The name of code c ("connected_app", ...); NULL when out of range. */
const char *sfa_access_type_name(int c);
/* The code of a type name; -1 for any other text. */
int sfa_access_type_code(const char *name);

/* One access row of a user.  The texts are NULL or NUL-terminated. */
typedef struct sfa_access_item {
	int type, via_type;	     /* SFA_AT_* */
	long long access_id, via_id; /* sfid keys; via_id 0 for direct */
	const char *assigned_at, *expires_at, *first_seen_at;
} sfa_access_item;

/* The rows of one user, decoded.  Owns items[] and the text they point
 * into; reused from user to user by sfa_access_unpack().  A zeroed set
 * is empty; sfa_access_set_free() releases it. */
typedef struct sfa_access_set {
	sfa_access_item *items;
	size_t n, cap;
	char *text;
	size_t text_cap;
	const char **strs; /* the ntexts distinct texts the items use */
	size_t ntexts, strs_cap;
} sfa_access_set;

/* Appends the encoding of items[0..n) (in key order) to out.  0 or
 * SFA_ENOMEM. */
int sfa_access_pack(const sfa_access_item *items, size_t n, sfa_buf *out);

/* Decodes data[0..len) into set, replacing what it held.  0, SFA_ENOMEM,
 * or SFA_ESTORE for bytes that are not an encoding. */
int sfa_access_unpack(const void *data, size_t len, sfa_access_set *set,
		      sfa_err *err);

void sfa_access_set_free(sfa_access_set *set);

/* Orders two rows by key: type, access key, via type, via key. */
int sfa_access_key_cmp(const sfa_access_item *a, const sfa_access_item *b);

#endif
