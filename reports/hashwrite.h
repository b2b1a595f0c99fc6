/*
 * hashwrite.h - writes a large report file in blocks and takes its size
 * and SHA-256 on the way, on threads of its own: while one hashes and the
 * other writes the blocks handed over, the caller builds the next.
 */
#ifndef SFA_HASHWRITE_H
#define SFA_HASHWRITE_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"
#include "report_manifest.h"

typedef struct sfa_hashwrite sfa_hashwrite;

/* Starts writing to f (borrowed: the caller closes it, after
 * sfa_hashwrite_free()).  When no thread can be started, blocks are
 * written by the caller's thread instead; the bytes are the same. */
int sfa_hashwrite_new(sfa_hashwrite **out, FILE *f, sfa_err *err);

/* Releases h; a block still in hand is written first. */
void sfa_hashwrite_free(sfa_hashwrite *h);

/* Hands over the first len bytes of *buf (a malloc'ed buffer of *cap
 * bytes) and puts in its place an empty buffer to fill next (possibly
 * NULL with *cap 0; the caller owns it either way).  SFA_EIO when an
 * earlier block could not be written, SFA_EINTERNAL when hashing failed;
 * nothing more is written after either. */
int sfa_hashwrite_put(sfa_hashwrite *h, char **buf, size_t len, size_t *cap,
		      sfa_err *err);

/* Waits for every block to be written and gives the size and SHA-256 of
 * them all; h takes no more blocks.  Errors as sfa_hashwrite_put(). */
int sfa_hashwrite_finish(sfa_hashwrite *h, sfa_file_digest *d, sfa_err *err);

#endif
