/*
 * workbook.c - writes a reviewer's workbook.  Constant-memory mode writes
 * each row as it comes, so a sheet's rows must be written in order and
 * everything sized by the row count (autofilter, validation) is set up
 * first from the campaign's counts.  Every cell is written as a string:
 * ids and dates must never become numbers, and collect compares them
 * with what was issued byte for byte.
 */
#include "workbook.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "csv_io.h"
#include "grow.h"

/* Column widths in characters, in sfa_campaign_columns order. */
static const double widths[SFA_CC_NCOLS] = {32, 20, 24, 10, 22, 20, 20, 32,
					    20, 20, 28, 6,  22, 12, 40, 66};

typedef struct formats {
	lxw_format *header, *locked, *locked_priv, *open, *open_priv, *bold;
} formats;

static void make_formats(lxw_workbook *wb, formats *f)
{
	f->header = workbook_add_format(wb);
	format_set_bold(f->header);
	format_set_bg_color(f->header, 0xD9D9D9);
	format_set_num_format(f->header, "@");
	f->locked = workbook_add_format(wb);
	format_set_num_format(f->locked, "@");
	f->locked_priv = workbook_add_format(wb);
	format_set_num_format(f->locked_priv, "@");
	format_set_bg_color(f->locked_priv, 0xFCE4D6);
	f->open = workbook_add_format(wb);
	format_set_num_format(f->open, "@");
	format_set_unlocked(f->open);
	format_set_bg_color(f->open, 0xFFF2CC);
	f->open_priv = workbook_add_format(wb);
	format_set_num_format(f->open_priv, "@");
	format_set_unlocked(f->open_priv);
	format_set_bg_color(f->open_priv, 0xF8CBAD);
	f->bold = workbook_add_format(wb);
	format_set_bold(f->bold);
}

typedef struct sheet {
	lxw_worksheet *ws;
	const formats *f;
	lxw_row_t row;
	lxw_error bad;
	FILE *csv;
	sfa_csv *cw;
} sheet;

static int on_row(void *ud, const sfa_campaign_row *r)
{
	sheet *s = ud;
	int priv = *r->cell[SFA_CC_TIER] != 0;
	lxw_format *lk = priv ? s->f->locked_priv : s->f->locked,
		   *op = priv ? s->f->open_priv : s->f->open;
	int c;

	s->row++;
	for (c = 0; c < SFA_CC_NCOLS; c++) {
		lxw_format *fmt =
		    c == SFA_CC_DECISION || c == SFA_CC_COMMENT ? op : lk;
		const char *v = r->cell[c];
		lxw_error e = *v ? worksheet_write_string(s->ws, s->row, c, v,
							  fmt)
				 : worksheet_write_blank(s->ws, s->row, c, fmt);

		if (e && !s->bad)
			s->bad = e;
		if (s->cw)
			sfa_csv_field(s->cw, v);
	}
	if (s->cw)
		return sfa_csv_end_row(s->cw, NULL);
	return 0;
}

typedef struct overview {
	lxw_worksheet *ws;
	lxw_row_t row;
} overview;

static int on_count(void *ud, const char *type, const char *tier, long long n)
{
	overview *o = ud;

	o->row++;
	worksheet_write_string(o->ws, o->row, 0, type, NULL);
	worksheet_write_string(o->ws, o->row, 1, *tier ? tier : "-", NULL);
	worksheet_write_number(o->ws, o->row, 2, (double)n, NULL);
	return 0;
}

static void instructions(lxw_worksheet *ws, const formats *f,
			 const sfa_campaign_info *c, const char *reviewer,
			 const char *contact, long long rows)
{
	char line[512];
	lxw_row_t r = 0;

	worksheet_set_column(ws, 0, 0, 110, NULL);
	snprintf(line, sizeof(line), "Access review: %s (campaign %lld)",
		 c->name, c->id);
	worksheet_write_string(ws, r++, 0, line, f->bold);
	snprintf(line, sizeof(line),
		 "Reviewer: %s. You have %lld access row%s to review.",
		 reviewer, rows, rows == 1 ? "" : "s");
	worksheet_write_string(ws, r++, 0, line, NULL);
	snprintf(line, sizeof(line), "Due: %s",
		 c->due && *c->due ? c->due : "as soon as you can");
	worksheet_write_string(ws, r++, 0, line, NULL);
	snprintf(line, sizeof(line), "Questions: %s",
		 contact && *contact ? contact
				     : "the person who sent you this workbook");
	worksheet_write_string(ws, r++, 0, line, NULL);
	r++;
	worksheet_write_string(
	    ws, r++, 0,
	    "On the Review sheet, set `decision` on every row: keep if the "
	    "user still needs this access, revoke if not.",
	    NULL);
	worksheet_write_string(
	    ws, r++, 0,
	    "Add a `comment` when it helps (why a revoke, or who asked for "
	    "the access).",
	    NULL);
	worksheet_write_string(ws, r++, 0,
			       "Highlighted rows grant privileged "
			       "permissions (tier 0 is the most powerful).",
			       NULL);
	worksheet_write_string(
	    ws, r++, 0,
	    "Only decision and comment can be changed. Do not add, copy or "
	    "move rows: each row is signed, and edited rows are refused.",
	    NULL);
	worksheet_write_string(ws, r++, 0,
			       "Save the workbook as .xlsx and send it back.",
			       NULL);
	snprintf(line, sizeof(line), "Snapshot %lld, content hash %s",
		 c->snapshot_id, c->snapshot_hash);
	worksheet_write_string(ws, ++r, 0, line, NULL);
}

typedef struct info {
	sfa_campaign_info c;
	char *strs[6];
} info;

static int on_info(void *ud, const sfa_campaign_info *c)
{
	info *i = ud;

	i->c = *c;
	i->c.name = i->strs[0] = strdup(c->name ? c->name : "");
	i->c.snapshot_hash = i->strs[1] =
	    strdup(c->snapshot_hash ? c->snapshot_hash : "");
	i->c.due = i->strs[2] = c->due ? strdup(c->due) : NULL;
	i->c.org_id = i->strs[3] = strdup(c->org_id ? c->org_id : "");
	i->c.routing = i->strs[4] = strdup(c->routing ? c->routing : "");
	i->c.created_at = i->strs[5] =
	    strdup(c->created_at ? c->created_at : "");
	return 0;
}

static void info_free(info *i)
{
	size_t k;

	for (k = 0; k < sizeof(i->strs) / sizeof(*i->strs); k++)
		free(i->strs[k]);
}

static int write_one(sfa_store *st, const info *in, const char *dir,
		     const char *reviewer, long long rows, const char *contact,
		     int csv, sfa_err *err)
{
	char path[4096], title[512], subject[512], keywords[1024];
	/* libxlsxwriter writes each part of a workbook to a temporary file
	 * before zipping it: about ten files a workbook, thousands a
	 * campaign.  TMPDIR may put them on a tmpfs (tests/bench/README.md
	 * has what it saves); libxlsxwriter's own default is /tmp. */
	const char *tmp = getenv("TMPDIR");
	lxw_workbook_options wo = {.constant_memory = LXW_TRUE,
				   .tmpdir = tmp && *tmp ? (char *)tmp : NULL,
				   .use_zip64 = LXW_TRUE};
	lxw_doc_properties props;
	lxw_data_validation dv;
	lxw_protection prot;
	lxw_row_col_options hidden;
	char keep[] = "keep", revoke[] = "revoke";
	char *choices[] = {keep, revoke, NULL};
	lxw_workbook *wb;
	lxw_worksheet *review, *instr, *over;
	formats f;
	sheet s;
	overview ov;
	int c;
	lxw_error e;
	int rc;

	memset(&s, 0, sizeof(s));
	memset(&hidden, 0, sizeof(hidden));
	hidden.hidden = 1;
	if (csv) {
		snprintf(path, sizeof(path), "%s/%s.csv", dir, reviewer);
		if (!(s.csv = fopen(path, "wb")))
			return sfa_err_set(err, SFA_EIO, "cannot write %s",
					   path);
		if ((rc = sfa_csv_new(&s.cw, s.csv, err))) {
			fclose(s.csv);
			return rc;
		}
		sfa_csv_row(s.cw, sfa_campaign_columns, SFA_CC_NCOLS, err);
	}
	snprintf(path, sizeof(path), "%s/%s.xlsx", dir, reviewer);
	if (!(wb = workbook_new_opt(path, &wo))) {
		rc = sfa_err_set(err, SFA_EIO, "cannot write %s", path);
		goto out;
	}
	snprintf(title, sizeof(title), "Access review campaign %lld: %s",
		 in->c.id, in->c.name);
	snprintf(subject, sizeof(subject), "campaign %lld for reviewer %s",
		 in->c.id, reviewer);
	snprintf(keywords, sizeof(keywords),
		 "campaign %lld, snapshot %s, reviewer %s", in->c.id,
		 in->c.snapshot_hash, reviewer);
	memset(&props, 0, sizeof(props));
	props.title = title;
	props.subject = subject;
	props.keywords = keywords;
	props.author = "sfaccess";
	props.comments = "Set decision (keep or revoke) and comment on the "
			 "Review sheet; nothing else.";
	workbook_set_properties(wb, &props);
	make_formats(wb, &f);
	review = workbook_add_worksheet(wb, "Review");
	instr = workbook_add_worksheet(wb, "Instructions");
	over = workbook_add_worksheet(wb, "Overview");
	s.ws = review;
	s.f = &f;

	for (c = 0; c < SFA_CC_NCOLS; c++) {
		lxw_format *fmt = c == SFA_CC_DECISION || c == SFA_CC_COMMENT
				      ? f.open
				      : f.locked;

		if (c == SFA_CC_ROW_TOKEN)
			worksheet_set_column_opt(review, c, c, widths[c], fmt,
						 &hidden);
		else
			worksheet_set_column(review, c, c, widths[c], fmt);
		worksheet_write_string(review, 0, c, sfa_campaign_columns[c],
				       f.header);
	}
	worksheet_freeze_panes(review, 1, 0);
	worksheet_autofilter(review, 0, 0, (lxw_row_t)rows, SFA_CC_NCOLS - 1);
	memset(&dv, 0, sizeof(dv));
	dv.validate = LXW_VALIDATION_TYPE_LIST;
	dv.value_list = choices;
	dv.ignore_blank = LXW_VALIDATION_ON;
	dv.error_title = "keep or revoke";
	dv.error_message = "The decision is keep or revoke (or empty while "
			   "you decide).";
	worksheet_data_validation_range(review, 1, SFA_CC_DECISION,
					(lxw_row_t)(rows > 0 ? rows : 1),
					SFA_CC_DECISION, &dv);
	memset(&prot, 0, sizeof(prot));
	prot.autofilter = 1;
	prot.format_columns = 1;
	worksheet_protect(review, NULL, &prot);
	worksheet_activate(review);

	if ((rc = sfa_campaign_each_row(st, in->c.id, reviewer, on_row, &s,
					err)))
		goto close;
	instructions(instr, &f, &in->c, reviewer, contact, rows);
	worksheet_set_column(over, 0, 0, 24, NULL);
	worksheet_set_column(over, 1, 2, 10, NULL);
	worksheet_write_string(over, 0, 0, "access_type", f.bold);
	worksheet_write_string(over, 0, 1, "tier", f.bold);
	worksheet_write_string(over, 0, 2, "rows", f.bold);
	ov.ws = over;
	ov.row = 0;
	rc = sfa_campaign_each_count(st, in->c.id, reviewer, on_count, &ov,
				     err);
close:
	e = workbook_close(wb);
	if (!rc && (e || s.bad))
		rc = sfa_err_set(err, SFA_EIO, "cannot write %s: %s", path,
				 lxw_strerror(e ? e : s.bad));
out:
	if (s.cw) {
		sfa_csv_free(s.cw);
		if (fclose(s.csv) != 0 && !rc)
			rc = sfa_err_set(err, SFA_EIO, "cannot write %s/%s.csv",
					 dir, reviewer);
	}
	return rc;
}

typedef struct reviewers {
	char **name;
	long long *rows;
	size_t n, cap;
} reviewers;

static int on_status(void *ud, const sfa_campaign_status *s)
{
	reviewers *r = ud;

	if (r->n == r->cap) {
		/* Both grow alike from the same capacity. */
		size_t cap = r->cap, kcap = r->cap;

		if (SFA_GROW(r->name, cap, r->n + 1) ||
		    SFA_GROW(r->rows, kcap, r->n + 1))
			return SFA_ENOMEM;
		r->cap = cap;
	}
	if (!(r->name[r->n] = strdup(s->reviewer)))
		return SFA_ENOMEM;
	r->rows[r->n++] = s->rows;
	return 0;
}

/* Writes the workbooks of reviewers i, i + step, i + 2 step, ...; *n
 * gets the number of files. */
static int write_share(sfa_store *st, const info *in, const reviewers *rv,
		       size_t first, size_t step, const char *dir,
		       const char *contact, int csv, long long *n, sfa_err *err)
{
	size_t i;
	int rc = 0;

	for (i = first; !rc && i < rv->n; i += step) {
		rc = write_one(st, in, dir, rv->name[i], rv->rows[i], contact,
			       csv, err);
		*n += csv ? 2 : 1;
	}
	return rc;
}

/* The second process's share: every other workbook, through a store
 * connection of its own (an SQLite connection must not cross a fork).
 * Its error, if any, comes back through fd whole (an sfa_err is less than
 * PIPE_BUF, so one write). */
static void child_share(const char *store_path, const info *in,
			const reviewers *rv, const char *dir,
			const char *contact, int csv, int fd)
{
	sfa_store *own = NULL;
	sfa_err e;
	long long n = 0;
	int rc;

	sfa_err_clear(&e);
	rc = sfa_store_open(&own, store_path, SFA_STORE_READONLY, &e);
	if (!rc)
		rc = write_share(own, in, rv, 1, 2, dir, contact, csv, &n, &e);
	sfa_store_free(own);
	if (rc && write(fd, &e, sizeof(e)) != (ssize_t)sizeof(e))
		rc = SFA_EIO;
	close(fd);
	_exit(rc ? 1 : 0);
}

/* Below this many workbooks a second process costs more than it saves. */
#define PARALLEL_MIN 64

int sfa_workbook_write_all(sfa_store *st, const char *store_path, long long id,
			   const char *dir, const char *contact, int csv,
			   long long *files, sfa_err *err)
{
	reviewers rv = {0};
	info in;
	size_t i;
	int rc, fds[2] = {-1, -1}, status = 0;
	pid_t child = -1;
	long long n = 0;

	memset(&in, 0, sizeof(in));
	*files = 0;
	if ((rc = sfa_campaign_get(st, id, on_info, &in, err)))
		goto out;
	rc = sfa_campaign_each_status(st, id, on_status, &rv, err);
	if (rc == SFA_ENOMEM)
		rc = sfa_err_set(err, rc, "out of memory");
	for (i = 0; !rc && i < rv.n; i++) {
		const char *name = rv.name[i];

		if (!*name || strchr(name, '/') || name[0] == '.')
			rc = sfa_err_set(err, SFA_EINPUT,
					 "reviewer `%s` cannot name a file",
					 name);
	}
	if (rc)
		goto out;
	/* Two processes when there are two cores and many workbooks: most
	 * of a workbook's cost is its own (temporary files, the zip), so
	 * the campaign's workbooks split evenly. */
	if (store_path && rv.n >= PARALLEL_MIN &&
	    sysconf(_SC_NPROCESSORS_ONLN) > 1 && pipe(fds) == 0) {
		child = fork();
		if (child == 0) {
			close(fds[0]);
			child_share(store_path, &in, &rv, dir, contact, csv,
				    fds[1]);
		}
		close(fds[1]);
		if (child < 0)
			close(fds[0]);
	}
	rc = write_share(st, &in, &rv, 0, child > 0 ? 2 : 1, dir, contact, csv,
			 &n, err);
	if (child > 0) {
		sfa_err e;
		ssize_t got = read(fds[0], &e, sizeof(e));

		close(fds[0]);
		if (waitpid(child, &status, 0) != child)
			status = -1;
		if (!rc && got == (ssize_t)sizeof(e)) {
			*err = e;
			rc = e.code ? e.code : SFA_EIO;
		} else if (!rc &&
			   (!WIFEXITED(status) || WEXITSTATUS(status) != 0)) {
			rc = sfa_err_set(err, SFA_EIO,
					 "the second process writing "
					 "workbooks failed");
		}
		/* Its files: every other reviewer's. */
		if (!rc)
			n += (long long)(rv.n / 2) * (csv ? 2 : 1);
	}
	*files = n;
out:
	for (i = 0; i < rv.n; i++)
		free(rv.name[i]);
	free(rv.name);
	free(rv.rows);
	info_free(&in);
	return rc;
}
