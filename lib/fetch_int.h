/*
 * fetch_int.h - what fetch.c (records to canonical values) gives
 * fetch_scan.c (the scheduler of scans).  Internal to lib/fetch*.c.
 */
#ifndef SFA_FETCH_INT_H
#define SFA_FETCH_INT_H

#include <jansson.h>

#include "fetch.h"

/* Values of one record, canonicalised; numbers, booleans and dateTimes
 * are printed into num[], strings borrowed from the record. */
typedef struct sfa_fetch_row {
	const char *vals[32];
	char num[32][32];
} sfa_fetch_row;

/* Puts one REST record (JSON) of def into the store. */
int sfa_fetch__put_json(sfa_store *st, const sfa_obj_def *def,
			const sfa_sync_opts *opts, sfa_fetch_row *r,
			json_t *rec, sfa_err *err);

/* Puts one Bulk record (text values in def->fields order, NULL for
 * empty) of def into the store. */
int sfa_fetch__put_text(sfa_store *st, const sfa_obj_def *def,
			const sfa_sync_opts *opts, sfa_fetch_row *r,
			const char *const *vals, sfa_err *err);

#endif
