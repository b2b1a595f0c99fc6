/*
 * snapinfo.h - an owned copy of a snapshot's metadata, for the reports
 * that print it (page headers, JUnit properties, JSON, the manifest): the
 * store hands metadata out only for the length of a callback.
 */
#ifndef SFA_SNAPINFO_H
#define SFA_SNAPINFO_H

#include "err.h"
#include "store.h"

typedef struct sfa_snapinfo {
	long long id;
	char *org_id, *api_version, *started_at, *finished_at, *status,
	    *content_hash; /* owned; NULL when the store has none */
	long long n_users, n_resources, n_access;
} sfa_snapinfo;

/* Fills *out with snapshot id's metadata (SFA_ENOTFOUND when there is no
 * such snapshot).  Release with sfa_snapinfo_clear(), also after errors. */
int sfa_snapinfo_load(sfa_snapinfo *out, sfa_store *st, long long id,
		      sfa_err *err);
void sfa_snapinfo_clear(sfa_snapinfo *s);

/* 1 when the snapshot finished (status "complete"). */
int sfa_snapinfo_complete(const sfa_snapinfo *s);

#endif
