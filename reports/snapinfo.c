/*
 * snapinfo.c - copying a snapshot's metadata out of the store's callback.
 */
#include "snapinfo.h"

#include <stdlib.h>
#include <string.h>

static int dup(char **dst, const char *s)
{
	*dst = s ? strdup(s) : NULL;
	return s && !*dst ? SFA_ENOMEM : 0;
}

static int copy(void *ud, const sfa_snapshot_info *s)
{
	sfa_snapinfo *o = ud;

	o->id = s->id;
	o->n_users = s->n_users;
	o->n_resources = s->n_resources;
	o->n_access = s->n_access;
	if (dup(&o->org_id, s->org_id) ||
	    dup(&o->api_version, s->api_version) ||
	    dup(&o->started_at, s->started_at) ||
	    dup(&o->finished_at, s->finished_at) ||
	    dup(&o->status, s->status) ||
	    dup(&o->content_hash, s->content_hash))
		return SFA_ENOMEM;
	return 0;
}

int sfa_snapinfo_load(sfa_snapinfo *out, sfa_store *st, long long id,
		      sfa_err *err)
{
	int rc;

	memset(out, 0, sizeof(*out));
	rc = sfa_store_get_snapshot(st, id, copy, out, err);
	if (rc == SFA_ENOMEM && err && !err->msg[0])
		sfa_err_set(err, SFA_ENOMEM, "out of memory");
	return rc;
}

void sfa_snapinfo_clear(sfa_snapinfo *s)
{
	free(s->org_id);
	free(s->api_version);
	free(s->started_at);
	free(s->finished_at);
	free(s->status);
	free(s->content_hash);
	memset(s, 0, sizeof(*s));
}

int sfa_snapinfo_complete(const sfa_snapinfo *s)
{
	return s->status && strcmp(s->status, "complete") == 0;
}
