/*
 * json_changes.c - the changes between two snapshots as one JSON document.
 * The frame is written by hand so that the arrays stream change by change
 * (the diff comes ordered by kind); every entry and the metadata go
 * through jansson, which does all the escaping.
 */
#include "report_changes.h"
#include "report_json.h"

#include <jansson.h>
#include <stdlib.h>

#include "report_evidence.h"
#include "store_evidence.h"

static json_t *change_entry(const sfa_diff_change *c,
			    const sfa_change_evidence *ce)
{
	const sfa_access_row *r = &c->row;
	json_t *o = json_object();
	sfa_change_origin origin;
	int bad = !o;

	if (bad || sfa_change_origin_of(ce, c, &origin)) {
		json_decref(o);
		return NULL;
	}
	bad |=
	    sfa_json_set(o, "change", json_string(sfa_diff_kind_name(c->kind)));
	bad |= sfa_json_set_str(o, "field", c->field);
	bad |= sfa_json_set_str(o, "old_value", c->old_value);
	bad |= sfa_json_set_str(o, "new_value", c->new_value);
	bad |= sfa_json_set_str(o, "old_name", c->old_name);
	bad |= sfa_json_set_str(o, "new_name", c->new_name);
	bad |= sfa_json_add_access_row(o, r);
	bad |= sfa_json_set(o, "audit_entries", origin.audit_entries);
	bad |= sfa_json_set_str(o, "applied_by", origin.applied_by);
	bad |= sfa_json_set(o, "out_of_band",
			    json_boolean(origin.out_of_band));
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static int take_snapshot(void *ud, const sfa_snapshot_info *s)
{
	json_t **out = ud;

	*out = json_pack("{sI ss ss ss ss? ss ss?}", "id", (json_int_t)s->id,
			 "org_id", s->org_id, "api_version", s->api_version,
			 "captured_at", s->started_at, "finished_at",
			 s->finished_at, "status", s->status, "content_hash",
			 s->content_hash);
	return 0;
}

typedef struct pass {
	FILE *f;
	int kind;    /* the array open now, -1 before the first */
	long long n; /* entries in that array */
	long long rows;
	sfa_err *err;
	const sfa_change_evidence *ce;
} pass;

/* Closes the open array and opens the next ones up to kind (empty arrays
 * for the kinds without changes in between). */
static void open_until(pass *p, int kind)
{
	while (p->kind < kind) {
		if (p->kind >= 0)
			fputs(p->n ? "\n  ],\n" : "],\n", p->f);
		p->kind++;
		p->n = 0;
		fprintf(p->f, "  \"%s\": [",
			sfa_diff_kind_name((sfa_diff_kind)p->kind));
	}
}

static int on_change(void *ud, const sfa_diff_change *c)
{
	pass *p = ud;
	json_t *o = change_entry(c, p->ce);
	int rc;

	if (!o)
		return sfa_err_set(p->err, SFA_ENOMEM, "out of memory");
	open_until(p, (int)c->kind);
	rc = sfa_json_put_row(p->f, p->n++, o);
	p->rows++;
	return rc ? sfa_err_set(p->err, SFA_EIO,
				"cannot write the JSON changes")
		  : 0;
}

int sfa_report_changes_json(sfa_store *st, sfa_diff *d, FILE *f,
			    long long *rows, sfa_err *err)
{
	json_t *from = NULL, *to = NULL, *head = NULL, *counts, *tiers,
	       *ev = NULL;
	pass p = {f, -1, 0, 0, err, NULL};
	sfa_change_evidence *ce = NULL;
	int rc, k;

	*rows = 0;
	if ((rc = sfa_change_evidence_load(&ce, st, sfa_diff_from(d),
					   sfa_diff_to(d), err)))
		return rc;
	p.ce = ce;
	if ((rc = sfa_store_get_snapshot(st, sfa_diff_from(d), take_snapshot,
					 &from, err)) ||
	    (rc = sfa_store_get_snapshot(st, sfa_diff_to(d), take_snapshot, &to,
					 err)))
		goto out;
	counts = json_object();
	for (k = 0; counts && k < SFA_DIFF_NKINDS; k++)
		json_object_set_new(
		    counts, sfa_diff_kind_name((sfa_diff_kind)k),
		    json_integer(sfa_diff_count(d, (sfa_diff_kind)k)));
	/* Privileged changes apart from the rest, by tier
	 * (lib/access/PERMISSIONS.md, "Changes"). */
	tiers = json_array();
	for (k = 0; tiers && k < 5; k++)
		json_array_append_new(
		    tiers, json_pack("{si sI sI}", "tier", k, "added",
				     (json_int_t)sfa_diff_privileged_count(
					 d, k, SFA_DIFF_ADDED),
				     "removed",
				     (json_int_t)sfa_diff_privileged_count(
					 d, k, SFA_DIFF_REMOVED)));
	head =
	    json_pack("{ss ss ss sO* sO* so* so*}", "report", "changes", "tool",
		      "sfaccess", "version", SFA_VERSION, "from", from, "to",
		      to, "counts", counts, "privileged_by_tier", tiers);
	if (!from || !to || !head) {
		rc = sfa_err_set(err, SFA_ENOMEM, "out of memory");
		goto out;
	}
	/* The head's members, then the arrays, inside one object. */
	fputs("{", f);
	{
		const char *key;
		json_t *v;
		int first = 1;

		json_object_foreach(head, key, v)
		{
			char *s =
			    json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER |
					      JSON_ENCODE_ANY);

			if (!s) {
				rc = sfa_err_set(err, SFA_ENOMEM,
						 "out of memory");
				goto out;
			}
			fprintf(f, "%s\n  \"%s\": %s", first ? "" : ",", key,
				s);
			free(s);
			first = 0;
		}
	}
	/* The evidence of the snapshot the changes lead to. */
	if ((rc = sfa_store_get_evidence(st, sfa_diff_to(d), &ev, err)) ||
	    (rc = sfa_report_evidence_json(f, ev, err)))
		goto out;
	fputs(",\n", f);
	if ((rc = sfa_diff_each(d, on_change, &p, err)))
		goto out;
	open_until(&p, SFA_DIFF_NKINDS - 1);
	fputs(p.n ? "\n  ]\n}\n" : "]\n}\n", f);
	*rows = p.rows;
	if (ferror(f))
		rc = sfa_err_set(err, SFA_EIO, "cannot write the JSON changes");
out:
	json_decref(from);
	json_decref(to);
	json_decref(head);
	json_decref(ev);
	sfa_change_evidence_free(ce);
	return rc;
}
