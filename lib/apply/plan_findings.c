/*
 * plan_findings.c - `plan --findings`: the change file of chosen policy
 * findings (POLICY.md "Remediation").  A leaver's user is deactivated
 * (set_status IsActive=false), an expired assignment revoked; an SoD
 * finding becomes two commented-out revoke rows, one per side, for a
 * person to choose; any other finding is named in a comment.  Nothing is
 * guessed: a finding without a user (an ambiguous leaver) is a comment.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_io.h"
#include "file.h"
#include "plan.h"

/* The findings CSV columns (POLICY.md), which the file must carry. */
enum { C_RULE, C_SEVERITY, C_USERNAME, C_USER_ID, C_WHAT, C_VIA_TYPE,
       C_VIA_ID, C_DETAIL, C_N };
static const char *const cols[C_N] = {"rule", "severity", "username",
				      "user_id", "what", "via_type",
				      "via_id", "detail"};

struct fplan {
	sfa_changefile_writer *w;
	sfa_problems *probs;
	sfa_plan_stats *stats;
	sfa_err *err;
	int col[C_N];
	int have_header, bad_header;
};

static int header(struct fplan *p, long line, char **cells, int n)
{
	int c, i;

	p->have_header = 1;
	for (c = 0; c < C_N; c++) {
		p->col[c] = -1;
		for (i = 0; i < n; i++)
			if (strcmp(cells[i], cols[c]) == 0)
				p->col[c] = i;
		if (p->col[c] < 0) {
			p->bad_header = 1;
			if (sfa_problem_add(p->probs, line,
					    "header: no `%s` column (a "
					    "findings CSV of `sfaccess check "
					    "--format csv`)",
					    cols[c]))
				return SFA_ENOMEM;
		}
	}
	return 0;
}

static const char *cell(const struct fplan *p, char **cells, int n, int c)
{
	return p->col[c] < n ? cells[p->col[c]] : "";
}

static int comment(struct fplan *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int comment(struct fplan *p, const char *fmt, ...)
{
	char text[2048];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if ((rc = sfa_changefile_comment(p->w, text, p->err)) == 0)
		p->stats->comments++;
	return rc;
}

/* One side of an SoD detail, "NAME: TYPE ID", as a commented-out row. */
static int sod_side(struct fplan *p, const char *side, const char *user,
		    const char *pair)
{
	const char *colon = NULL, *s, *sp;
	char type[64], id[64];

	for (s = side; (s = strstr(s, ": ")); s++)
		colon = s;
	if (!colon || !(sp = strchr(colon + 2, ' ')) ||
	    (size_t)(sp - colon - 2) >= sizeof(type) ||
	    strlen(sp + 1) >= sizeof(id))
		return comment(p, "sod %s of %s: %s", pair, user, side);
	memcpy(type, colon + 2, (size_t)(sp - colon - 2));
	type[sp - colon - 2] = '\0';
	snprintf(id, sizeof(id), "%s", sp + 1);
	return comment(p, "revoke,%s,%s,%s,,sod %s: %.*s", type, id, user,
		       pair, (int)(colon - side), side);
}

static int row(struct fplan *p, long line, char **cells, int n)
{
	const char *rule = cell(p, cells, n, C_RULE);
	const char *user = cell(p, cells, n, C_USERNAME);
	const char *what = cell(p, cells, n, C_WHAT);
	const char *via_type = cell(p, cells, n, C_VIA_TYPE);
	const char *via_id = cell(p, cells, n, C_VIA_ID);
	const char *detail = cell(p, cells, n, C_DETAIL);
	char note[1200];
	int rc;

	if (!*user)
		user = cell(p, cells, n, C_USER_ID);
	if (strcmp(rule, "leaver") == 0 && *user) {
		snprintf(note, sizeof(note), "leaver: %s", detail);
		if ((rc = sfa_changefile_write(p->w, SFA_OP_SET_STATUS,
					       SFA_RT_USER, NULL, user,
					       "IsActive=false", note, p->err)))
			return rc;
		p->stats->ops++;
		return 0;
	}
	if (strcmp(rule, "expired-assignment") == 0 && *user && *via_id &&
	    (strcmp(via_type, "permission_set") == 0 ||
	     strcmp(via_type, "permission_set_group") == 0)) {
		snprintf(note, sizeof(note), "expired-assignment %s: %s", what,
			 detail);
		if ((rc = sfa_changefile_write(
			 p->w, SFA_OP_REVOKE,
			 strcmp(via_type, "permission_set") == 0
			     ? SFA_RT_PERMISSION_SET
			     : SFA_RT_PERMISSION_SET_GROUP,
			 via_id, user, NULL, note, p->err)))
			return rc;
		p->stats->ops++;
		return 0;
	}
	if (strcmp(rule, "sod") == 0 && *user) {
		/* "A: TYPE ID; B: TYPE ID" (policy_check.c): split at the
		 * last "; ", since a side's name may hold one. */
		const char *semi = NULL, *s;
		char a[1024];

		for (s = detail; (s = strstr(s, "; ")); s++)
			semi = s;
		if ((rc = comment(p, "sod %s: %s holds both sides; choose one "
				  "row below and remove its #",
				  what, user)))
			return rc;
		if (!semi || (size_t)(semi - detail) >= sizeof(a))
			return comment(p, "sod %s of %s: %s", what, user,
				       detail);
		memcpy(a, detail, (size_t)(semi - detail));
		a[semi - detail] = '\0';
		if ((rc = sod_side(p, a, user, what)))
			return rc;
		return sod_side(p, semi + 2, user, what);
	}
	if (!*rule) {
		if (sfa_problem_add(p->probs, line, "no rule"))
			return SFA_ENOMEM;
		return 0;
	}
	return comment(p, "%s %s%s%s: no automatic change (%s)", rule,
		       *user ? user : "", *user && *what ? " " : "", what,
		       detail);
}

static int on_row(void *ud, long line, char **cells, int n)
{
	struct fplan *p = ud;

	if (!p->have_header)
		return header(p, line, cells, n);
	if (p->bad_header)
		return 0;
	return row(p, line, cells, n);
}

int sfa_plan_findings(const char *path, FILE *out, sfa_problems *probs,
		      sfa_plan_stats *stats, sfa_err *err)
{
	struct fplan p;
	char *text = NULL;
	size_t len = 0;
	int rc;

	memset(&p, 0, sizeof(p));
	p.probs = probs;
	p.stats = stats;
	p.err = err;
	if ((rc = sfa_read_file(path, NULL, SFA_FILE_ANY_SIZE, &text, &len,
				err)) ||
	    (rc = sfa_changefile_writer_new(&p.w, out, err)))
		goto out;
	if ((rc = comment(&p, "plan of the findings %s: leavers deactivated, "
			  "expired assignments revoked, SoD left to choose",
			  path)))
		goto out;
	stats->comments = 0;
	rc = sfa_csv_read(text, len, 0, on_row, &p, probs);
	if (rc == SFA_ENOMEM)
		rc = sfa_err_set(err, rc, "out of memory");
	if (!rc && !p.have_header)
		rc = sfa_problem_add(probs, 1, "the file is empty");
out:
	sfa_changefile_writer_free(p.w);
	free(text);
	return rc;
}
