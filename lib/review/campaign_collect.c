/*
 * campaign_collect.c - `review collect`: reads a returned workbook (or
 * CSV), checks every row against what was issued, and records the
 * decisions (REVIEW.md "Collect").
 *
 * A row is accepted when its token is the HMAC of its key cells for the
 * file's reviewer and every locked cell is the cell that was issued.  The
 * first problem of a row is named by its cell (`alice.xlsx Review!K17`);
 * one refused row, or one self-review decision, refuses the file: its
 * decisions are rolled back and only the refusals are kept, for the
 * campaign report.
 */
#include "campaign_int.h"

#include <ctype.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "csv_io.h"
#include "file.h"
#include "fnv.h"
#include "xlsx.h"

#define SHEET "Review"

typedef struct collect {
	sfa_campaign_txn *txn;
	long long id, snapshot_id;
	unsigned char secret[SFA_CAMPAIGN_SECRET_LEN];
	const char *file;   /* the base name, in messages */
	const char *path;
	int xlsx;
	sfa_collect_result *res;
	char now[32];
	int col[SFA_CC_NCOLS]; /* column of each header, -1 missing */
	int have_header;
	/* tokens seen in this file, with their row (0: a free slot), to
	 * refuse copies */
	struct seen {
		char token[65];
		long row;
	} *seen;
	size_t nseen, capseen;
	/* the issued row a token names, copied out of the lookup */
	int found;
	long long seq;
	char issued_reviewer[256];
	sfa_buf issued[SFA_CC_NLOCKED];
	sfa_err *err;
} collect;

void sfa_collect_result_free(sfa_collect_result *r)
{
	if (!r)
		return;
	sfa_problems_free(&r->refused);
	sfa_problems_free(&r->self_review);
}

/* "alice.xlsx Review!K17" or "alice.csv line 17 (decision)". */
static void cell_ref(const collect *c, int cc, long row, char *out, size_t n)
{
	char name[16];

	if (c->xlsx) {
		sfa_xlsx_cell_name(cc >= 0 && c->col[cc] >= 0 ? (size_t)c->col[cc]
							      : 0,
				   row, name);
		snprintf(out, n, "%s " SHEET "!%s", c->file, name);
	} else {
		snprintf(out, n, "%s line %ld (%s)", c->file, row,
			 cc >= 0 ? sfa_campaign_columns[cc] : "row");
	}
}

static int refuse(collect *c, int cc, long row, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int refuse(collect *c, int cc, long row, const char *fmt, ...)
{
	char ref[512], why[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	cell_ref(c, cc, row, ref, sizeof(ref));
	if (sfa_problem_add(&c->res->refused, 0, "%s: %s", ref, why))
		return sfa_err_set(c->err, SFA_ENOMEM, "out of memory");
	return 0;
}

static const char *cell(const collect *c, const char *const *cells, size_t n,
			int cc)
{
	int k = c->col[cc];

	return k >= 0 && (size_t)k < n ? cells[k] : "";
}

static int header(collect *c, long row, const char *const *cells, size_t n)
{
	size_t k;
	int cc;

	c->have_header = 1;
	for (cc = 0; cc < SFA_CC_NCOLS; cc++) {
		c->col[cc] = -1;
		for (k = 0; k < n; k++)
			if (strcmp(cells[k], sfa_campaign_columns[cc]) == 0)
				c->col[cc] = (int)k;
	}
	for (cc = 0; cc < SFA_CC_NCOLS; cc++)
		if (c->col[cc] < 0) {
			int rc = refuse(c, -1, row,
					"column %s is missing: is this a "
					"workbook of `sfaccess review start`?",
					sfa_campaign_columns[cc]);

			if (rc)
				return rc;
		}
	return 0;
}

static int on_issued(void *ud, const sfa_campaign_row *r)
{
	collect *c = ud;
	int cc;

	c->seq = r->seq;
	snprintf(c->issued_reviewer, sizeof(c->issued_reviewer), "%s",
		 r->reviewer);
	for (cc = 0; cc < SFA_CC_NLOCKED; cc++) {
		sfa_buf_reset(&c->issued[cc]);
		if (sfa_buf_puts(&c->issued[cc], r->cell[cc]))
			return SFA_ENOMEM;
	}
	return 0;
}

static int seen_grow(collect *c)
{
	size_t cap = c->capseen ? c->capseen * 2 : 4096, i;
	struct seen *v = calloc(cap, sizeof(*v));

	if (!v)
		return -1;
	for (i = 0; i < c->capseen; i++)
		if (c->seen[i].row) {
			size_t k = sfa_fnv1a(c->seen[i].token) & (cap - 1);

			while (v[k].row)
				k = (k + 1) & (cap - 1);
			v[k] = c->seen[i];
		}
	free(c->seen);
	c->seen = v;
	c->capseen = cap;
	return 0;
}

/* 1 when the token appeared on an earlier row (named in *first), 0 when
 * it is new (and now remembered), -1 out of memory.  An open-addressing
 * set: a 50,000-row workbook must not compare every pair of rows. */
static int copied(collect *c, const char *token, long row, long *first)
{
	size_t k;

	if ((c->nseen + 1) * 2 > c->capseen && seen_grow(c))
		return -1;
	for (k = sfa_fnv1a(token) & (c->capseen - 1); c->seen[k].row;
	     k = (k + 1) & (c->capseen - 1))
		if (strcmp(c->seen[k].token, token) == 0) {
			*first = c->seen[k].row;
			return 1;
		}
	snprintf(c->seen[k].token, sizeof(c->seen[k].token), "%s", token);
	c->seen[k].row = row;
	c->nseen++;
	return 0;
}

/* keep, revoke or "" (pending) in out; 0 when it is none of them. */
static int decision_of(const char *s, char out[8])
{
	size_t n;

	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	out[0] = 0;
	if (n == 0)
		return 1;
	if (n == 4 && !strncasecmp(s, "keep", 4))
		return snprintf(out, 8, "keep"), 1;
	if (n == 6 && !strncasecmp(s, "revoke", 6))
		return snprintf(out, 8, "revoke"), 1;
	return 0;
}

/* One's own row with a decision: a self-review (lib/review/REVIEW.md
 * "Collect"). Start never issues it, so the file names the wrong reviewer; it
 * is refused with the file, like a foreign row, and kept apart for the campaign
 * report.  The row stays with the reviewer it was issued to. */
static int self_review(collect *c, long row, const char *const *cells,
		       size_t n)
{
	char ref[512];

	cell_ref(c, SFA_CC_DECISION, row, ref, sizeof(ref));
	if (sfa_problem_add(
		&c->res->self_review, 0,
		"%s: %s cannot decide on their own access (%s "
		"%s); the row stays with %s",
		ref, c->res->reviewer, cell(c, cells, n, SFA_CC_ACCESS_TYPE),
		cell(c, cells, n, SFA_CC_ACCESS_NAME), c->issued_reviewer))
		return sfa_err_set(c->err, SFA_ENOMEM, "out of memory");
	return 0;
}

static int data_row(collect *c, long row, const char *const *cells, size_t n)
{
	const char *token = cell(c, cells, n, SFA_CC_ROW_TOKEN);
	const char *reviewer = c->res->reviewer;
	char want[65], decision[8];
	long first;
	int cc, rc, k;
	size_t i;

	for (i = 0; i < n && !*cells[i]; i++)
		;
	if (i == n)
		return 0; /* an empty row */
	if (!*token)
		return refuse(c, SFA_CC_ROW_TOKEN, row,
			      "row_token is empty: rows cannot be added, and "
			      "a row's token must stay");
	if ((k = copied(c, token, row, &first)) < 0)
		return sfa_err_set(c->err, SFA_ENOMEM, "out of memory");
	if (k)
		return refuse(c, SFA_CC_ROW_TOKEN, row,
			      "a copy of row %ld: each row once", first);
	if ((rc = sfa_campaign_txn_find(c->txn, c->id, token, on_issued, c,
					&c->found, c->err)))
		return rc == SFA_ENOMEM
			   ? sfa_err_set(c->err, rc, "out of memory")
			   : rc;
	if (!c->found)
		return refuse(c, SFA_CC_ROW_TOKEN, row,
			      "row_token matches no row issued by campaign "
			      "%lld",
			      c->id);
	/* One's own row in one's file: a workbook collected for the wrong
	 * reviewer (start never issues it).  Without a decision it is only
	 * a foreign row, refused below. */
	if (c->issued[SFA_CC_USERNAME].data &&
	    strcmp(c->issued[SFA_CC_USERNAME].data, reviewer) == 0 &&
	    decision_of(cell(c, cells, n, SFA_CC_DECISION), decision) &&
	    *decision)
		return self_review(c, row, cells, n);
	if (strcmp(c->issued_reviewer, reviewer) != 0)
		return refuse(c, SFA_CC_ROW_TOKEN, row,
			      "this row was issued to %s, not to %s",
			      c->issued_reviewer, reviewer);
	for (cc = 0; cc < SFA_CC_NLOCKED; cc++)
		if (strcmp(cell(c, cells, n, cc),
			   c->issued[cc].data ? c->issued[cc].data : "") != 0)
			return refuse(c, cc, row,
				      "%s was changed (issued `%s`, returned "
				      "`%s`)",
				      sfa_campaign_columns[cc],
				      c->issued[cc].data ? c->issued[cc].data
							 : "",
				      cell(c, cells, n, cc));
	sfa_campaign_token(c->secret, sizeof(c->secret), c->snapshot_id,
			   cell(c, cells, n, SFA_CC_USER_ID),
			   cell(c, cells, n, SFA_CC_ACCESS_TYPE),
			   cell(c, cells, n, SFA_CC_ACCESS_ID),
			   cell(c, cells, n, SFA_CC_VIA_TYPE),
			   cell(c, cells, n, SFA_CC_VIA_ID), reviewer, want);
	if (strcmp(want, token) != 0)
		return refuse(c, SFA_CC_ROW_TOKEN, row,
			      "row_token does not match the row's cells");
	if (!decision_of(cell(c, cells, n, SFA_CC_DECISION), decision))
		return refuse(c, SFA_CC_DECISION, row,
			      "decision `%s` is neither keep nor revoke "
			      "(empty while pending)",
			      cell(c, cells, n, SFA_CC_DECISION));
	if (!*decision)
		return 0;
	if (c->res->refused.n || c->res->self_review.n)
		return 0; /* refused already: only look for more */
	c->res->decided++;
	return sfa_campaign_txn_decide(c->txn, c->id, c->seq, reviewer,
				       decision,
				       cell(c, cells, n, SFA_CC_COMMENT),
				       c->res->sha256, c->now, c->err);
}

static int on_row(void *ud, long row, const char *const *cells, size_t n)
{
	collect *c = ud;

	if (!c->have_header)
		return header(c, row, cells, n);
	if (c->res->refused.n && c->col[SFA_CC_ROW_TOKEN] < 0)
		return 0; /* a header problem says it all */
	c->res->rows++;
	return data_row(c, row, cells, n);
}

static int on_csv_row(void *ud, long line, char **cells, int n)
{
	return on_row(ud, line, (const char *const *)cells, (size_t)n);
}

static void sha256_hex(const char *data, size_t len, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;

	out[0] = 0;
	if (!EVP_Digest(data, len, md, &n, EVP_sha256(), NULL))
		return;
	for (i = 0; i < n && i < 32; i++)
		snprintf(out + 2 * (size_t)i, 3, "%02x", md[i]);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcasecmp(s + a - b, suffix) == 0;
}

/* The reviewer the workbook was issued to, from its keywords
 * ("campaign 7, snapshot ..., reviewer alice@x"), checked against id. */
static int xlsx_reviewer(collect *c, sfa_xlsx *x, sfa_err *err)
{
	char *kw = NULL, *p, want[48];
	int rc;

	if ((rc = sfa_xlsx_property(x, "keywords", &kw, err)))
		return rc;
	snprintf(want, sizeof(want), "campaign %lld,", c->id);
	if (!kw || strncmp(kw, "campaign ", 9) != 0 ||
	    !(p = strstr(kw, ", reviewer ")) || !p[11]) {
		free(kw);
		sfa_err_where(err, "%s", c->path);
		return sfa_err_set(err, SFA_EINPUT,
				   "%s: its document properties do not name "
				   "a campaign and reviewer: not a workbook "
				   "of `sfaccess review start`",
				   c->file);
	}
	if (strncmp(kw, want, strlen(want)) != 0) {
		sfa_err_where(err, "%s", c->path);
		rc = sfa_err_set(err, SFA_EINPUT,
				 "%s is a workbook of another campaign (%.*s)",
				 c->file, (int)strcspn(kw, ","), kw);
		free(kw);
		return rc;
	}
	snprintf(c->res->reviewer, sizeof(c->res->reviewer), "%s", p + 11);
	free(kw);
	return 0;
}

static int csv_reviewer(collect *c, sfa_err *err)
{
	size_t n = strlen(c->file) - 4;

	if (!n || n >= sizeof(c->res->reviewer)) {
		sfa_err_where(err, "%s", c->path);
		return sfa_err_set(err, SFA_EINPUT,
				   "%s: a campaign CSV is named after its "
				   "reviewer (USERNAME.csv)",
				   c->file);
	}
	memcpy(c->res->reviewer, c->file, n);
	c->res->reviewer[n] = 0;
	return 0;
}

/* Records a refused file's problems, kind "refused" or "self-review",
 * in a transaction of their own after its decisions were rolled back. */
static int keep_problems(sfa_campaign_txn *t, collect *c, const char *kind,
			 const sfa_problems *p, sfa_err *err)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < p->n && !rc; i++) {
		const char *m = p->v[i].msg, *colon = strstr(m, ": ");
		char ref[512];

		snprintf(ref, sizeof(ref), "%.*s",
			 (int)(colon ? colon - m : (long)strlen(m)), m);
		rc = sfa_campaign_txn_refusal(
		    t, c->id, kind, c->file, c->res->sha256, ref, 0,
		    colon ? colon + 2 : m, c->now, err);
	}
	return rc;
}

static int keep_refusals(sfa_store *st, collect *c, sfa_err *err)
{
	sfa_campaign_txn *t = NULL;
	int rc;

	if ((rc = sfa_campaign_txn_begin(&t, st, err)))
		return rc;
	if (!(rc = keep_problems(t, c, "refused", &c->res->refused, err)) &&
	    !(rc = keep_problems(t, c, "self-review", &c->res->self_review,
				 err)))
		rc = sfa_campaign_txn_commit(t, err);
	sfa_campaign_txn_free(t);
	return rc;
}

int sfa_campaign_collect(sfa_store *st, long long id, const char *path,
			 sfa_collect_result *res, sfa_err *err)
{
	char *data = NULL;
	size_t len = 0;
	sfa_xlsx *x = NULL;
	sfa_problems csvprobs = {0};
	collect c;
	int rc, open = 0, seen = 0, cc;
	const char *slash = strrchr(path, '/');

	memset(&c, 0, sizeof(c));
	memset(res, 0, sizeof(*res));
	c.id = id;
	c.res = res;
	c.path = path;
	c.file = slash ? slash + 1 : path;
	c.err = err;
	sfa_campaign_now(c.now);
	if ((rc = sfa_campaign_secret(st, id, c.secret, &c.snapshot_id, &open,
				      err)))
		goto out;
	if (!open) {
		rc = sfa_err_set(err, SFA_EINPUT,
				 "campaign %lld is closed: nothing more is "
				 "collected",
				 id);
		goto out;
	}
	c.xlsx = ends_with(path, ".xlsx");
	if (!c.xlsx && !ends_with(path, ".csv")) {
		sfa_err_where(err, "%s", path);
		rc = sfa_err_set(err, SFA_EINPUT,
				 "%s: collect reads .xlsx workbooks and .csv "
				 "files",
				 c.file);
		goto out;
	}
	if ((rc = sfa_read_file(path, NULL, SFA_FILE_ANY_SIZE, &data, &len,
				err)))
		goto out;
	sha256_hex(data, len, res->sha256);
	if (c.xlsx) {
		if ((rc = sfa_xlsx_open_mem(&x, c.file, data, len,
					    err)) ||
		    (rc = xlsx_reviewer(&c, x, err)))
			goto out;
	} else if ((rc = csv_reviewer(&c, err))) {
		goto out;
	}
	if ((rc = sfa_campaign_txn_begin(&c.txn, st, err)) ||
	    (rc = sfa_campaign_txn_seen(c.txn, id, res->sha256, &seen, err)))
		goto out;
	if (seen) {
		res->already = 1;
		goto out;
	}
	if ((rc = sfa_campaign_txn_supersede(c.txn, id, res->reviewer, err)))
		goto out;
	if (c.xlsx) {
		rc = sfa_xlsx_each_row(x, SHEET, on_row, &c, err);
	} else {
		rc = sfa_csv_read(data, len, 0, on_csv_row, &c, &csvprobs);
		if (rc == SFA_ENOMEM)
			rc = sfa_err_set(err, rc, "out of memory");
		for (size_t i = 0; !rc && i < csvprobs.n; i++)
			if (sfa_problem_add(&res->refused, 0, "%s line %ld: %s",
					    c.file, csvprobs.v[i].line,
					    csvprobs.v[i].msg))
				rc = sfa_err_set(err, SFA_ENOMEM,
						 "out of memory");
	}
	if (rc)
		goto out;
	if (!c.have_header && !res->refused.n &&
	    (rc = refuse(&c, -1, 1, "the sheet is empty")))
		goto out;
	if (res->refused.n || res->self_review.n) {
		res->decided = 0;
		sfa_campaign_txn_free(c.txn);
		c.txn = NULL;
		rc = keep_refusals(st, &c, err);
		goto out;
	}
	if ((rc = sfa_campaign_txn_file(c.txn, id, res->sha256, c.file,
					res->reviewer, c.now, res->decided,
					err)) ||
	    (rc = sfa_campaign_txn_commit(c.txn, err)))
		goto out;
out:
	sfa_campaign_txn_free(c.txn);
	sfa_xlsx_free(x);
	free(data);
	sfa_problems_free(&csvprobs);
	free(c.seen);
	for (cc = 0; cc < SFA_CC_NLOCKED; cc++)
		sfa_buf_free(&c.issued[cc]);
	return rc;
}
