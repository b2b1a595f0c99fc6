/*
 * evidence.c - a snapshot's evidence in the JSON and JUnit reports; the
 * HTML section is html.c's (it needs the page writer's state).
 */
#include "report_evidence.h"

#include <string.h>

#include "diff.h"
#include "store_evidence.h"

const char *const sfa_evidence_keys[4] = {"provenance", "control_totals",
					  "drift", "reconciliation"};

int sfa_report_evidence_json(FILE *f, const json_t *ev, sfa_err *err)
{
	int i;

	for (i = 0; i < 4; i++) {
		json_t *v = json_object_get(ev, sfa_evidence_keys[i]);

		fprintf(f, ",\n  \"%s\": ", sfa_evidence_keys[i]);
		if (json_dumpf(v ? v : json_null(), f,
			       JSON_COMPACT | JSON_PRESERVE_ORDER |
				   JSON_ENCODE_ANY))
			return sfa_err_set(err, SFA_EIO,
					   "cannot write the JSON report");
	}
	return ferror(f)
		   ? sfa_err_set(err, SFA_EIO, "cannot write the JSON report")
		   : 0;
}

void sfa_evidence_props_fill(sfa_evidence_props *ep, const sfa_junit_prop *base,
			     int nbase, const json_t *ev)
{
	static const char *const names[] = {"provenance.run_user_id",
					    "provenance.run_username",
					    "provenance.auth_method",
					    "provenance.org_id",
					    "provenance.instance_host",
					    "provenance.api_version",
					    "provenance.tool_version",
					    "provenance.tool_commit",
					    "provenance.host",
					    "provenance.os_user",
					    "provenance.started_at",
					    "provenance.finished_at",
					    "provenance.requests",
					    "provenance.api_usage_before",
					    "provenance.api_usage_after",
					    "provenance.audit_trail_error"};
	const json_t *prov = json_object_get(ev, "provenance");
	size_t k;
	int nums = 0;

	ep->n = 0;
	while (ep->n < nbase && ep->n < 24) {
		ep->p[ep->n] = base[ep->n];
		ep->n++;
	}
	if (!json_is_object(prov))
		return;
	for (k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		const json_t *v =
		    json_object_get(prov, names[k] + strlen("provenance."));
		const char *s = json_string_value(v);

		if (json_is_integer(v) && nums < 16) {
			snprintf(ep->num[nums], sizeof(ep->num[nums]),
				 "%" JSON_INTEGER_FORMAT,
				 json_integer_value(v));
			s = ep->num[nums++];
		}
		ep->p[ep->n].name = names[k];
		ep->p[ep->n].value = s;
		ep->n++;
	}
}

int sfa_change_origin_of(const struct sfa_change_evidence *ce,
			 const struct sfa_diff_change *c,
			 sfa_change_origin *out)
{
	const sfa_access_row *r = &c->row;
	int user = r->user_id != NULL;

	out->audit_entries = sfa_change_evidence_audit(
	    ce, r->user_id, user ? r->username : NULL, user ? r->name : NULL,
	    user ? NULL : r->access_id, user ? NULL : r->access_name);
	out->applied_by = sfa_change_evidence_applied_by(ce, r->user_id);
	out->out_of_band = out->audit_entries && !out->applied_by &&
			   json_array_size(out->audit_entries) == 0;
	return out->audit_entries ? 0 : SFA_ENOMEM;
}
