/*
 * fetch_scan.c - the scheduler of a sync's scans, one state machine per
 * object, all driven from this thread by one sfa_sf_batch:
 *
 *   first page (REST) --> its totalSize sizes the object
 *        |  every first page in: plan = requests spent + pages and Bulk
 *        |  jobs still to come, held to the budget before more is spent
 *        v
 *   REST: next page, sent before this page's rows are stored so the
 *         network and the store overlap  |  Bulk (rows > threshold): the
 *         first page is dropped and a Bulk API 2.0 job reads the object
 *
 * Rows of different objects reach the store interleaved, which it allows.
 * With one connection the scans run one after the other (the baseline).
 */
#include "bulk.h"
#include "clock.h"
#include "fetch.h"
#include "fetch_int.h"
#include "http.h"
#include "store_evidence.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { S_FIRST, S_HELD, S_PAGING, S_BULK, S_DONE };

struct fetch;

typedef struct scan {
	struct fetch *f;
	const sfa_obj_def *def;
	const sfa_fetch_described *described; /* NULL: an object's fields */
	/* Bulk above this many rows (<= 0: never), and REST's page size.
	 * A described scan's record has a few hundred fields: a page of
	 * 2,000 parsed into JSON objects took 100 MB at 50,000 users, so
	 * its REST pages are small and anything beyond one goes to Bulk,
	 * whose CSV streams. */
	long long bulk_threshold;
	const char *batch_header;
	sfa_fetch_scan_stats *stats;
	char *soql;
	int state, restarts;
	long long total, first_n;
	char *next; /* nextRecordsUrl held until the plan is approved */
	sfa_bulk_query *bq;
	long first_ms, t_act; /* first page's own time; start of the rest */
} scan;

typedef struct fetch {
	sfa_sf *sf;
	sfa_store *st;
	sfa_sf_batch *batch;
	const sfa_sync_opts *opts;
	sfa_fetch_tuning tune;
	sfa_fetch_progress_fn progress;
	void *ud;
	sfa_fetch_stats *stats;
	scan scans[SFA_FETCH_MAX_SCANS];
	int nscans, firsts_left, approved, sequential_next;
	long long snap; /* the snapshot being taken */
	char why[96];	/* where the budget came from, for messages */
	sfa_fetch_row row;
	sfa_fetch_perms perms;
	int *perm_scratch; /* a described record's true permissions */
} fetch;

/* One record of s into the store. */
static int put_json(scan *s, json_t *rec, sfa_err *err)
{
	fetch *f = s->f;
	const sfa_fetch_described *d = s->described;
	int rc;

	if (!d)
		return sfa_fetch__put_json(f->st, s->def, f->opts, &f->row,
					   rec, err);
	if (d->base &&
	    (rc = sfa_fetch__put_json(f->st, d->base, f->opts, &f->row, rec,
				      err)))
		return rc;
	return sfa_fetch__put_perms_json(f->st, d, f->perm_scratch, rec, err);
}

static void report(scan *s, int done)
{
	if (s->f->progress)
		s->f->progress(s->f->ud, s->def->sobject, s->stats->rows, done);
}

static int activate(scan *s, sfa_err *err);
static int on_page(void *ud, const struct sfa_http_response *resp, json_t *page,
		   sfa_err *err);
static int on_page_error(void *ud, sfa_err *err);
static int start_first(scan *s, sfa_err *err);

/* Sequential mode: the next scan waiting for its turn, if any. */
static int next_in_turn(fetch *f, sfa_err *err)
{
	while (f->sequential_next < f->nscans) {
		scan *n = &f->scans[f->sequential_next++];

		if (n->state == S_HELD || n->state == S_BULK)
			return activate(n, err);
	}
	return 0;
}

/* The scan is over: its time, its line of progress, and (sequential
 * mode) the next scan's turn. */
static int scan_done(scan *s, sfa_err *err)
{
	fetch *f = s->f;

	s->state = S_DONE;
	s->stats->ms = s->first_ms + (s->t_act ? sfa_clock_ms() - s->t_act : 0);
	sfa_clock_utc(s->stats->finished_at);
	report(s, 1);
	if (f->tune.max_connections == 1 && f->approved)
		return next_in_turn(f, err);
	return 0;
}

/* The first page of an object that Bulk will read whole: its records
 * would come again, so only its count is read (sfa_sf_page_peek()), not
 * its 2,000 records.  A page that does not start as Salesforce writes
 * one is parsed in full and decided on by on_page(). */
static int skip_first_page(void *ud, const char *body, size_t len)
{
	scan *s = ud;
	long long total;
	int done;

	if (s->state != S_FIRST || s->bulk_threshold <= 0 ||
	    !sfa_sf_page_peek(body, len, &total, &done) || done ||
	    total <= s->bulk_threshold)
		return 0;
	s->total = total;
	return 1;
}

static int send_page(scan *s, const char *path, sfa_err *err)
{
	sfa_sf_call c = {0};

	c.method = "GET";
	c.path = path;
	c.object = s->def->sobject;
	c.extra_header = s->batch_header;
	c.on_error = on_page_error;
	c.skip_body = skip_first_page;
	return sfa_sf_batch_call(s->f->batch, &c, on_page, s, err);
}

static int on_bulk_row(void *ud, const char *const *vals, size_t n,
		       sfa_err *err)
{
	scan *s = ud;
	int rc;

	(void)n; /* bulk.c checked it against the columns */
	if (s->described) {
		/* base's columns come first, in its order. */
		rc = s->described->base
			 ? sfa_fetch__put_text(s->f->st, s->described->base,
					       s->f->opts, &s->f->row, vals,
					       err)
			 : 0;
		if (rc == 0)
			rc = sfa_fetch__put_perms_text(s->f->st, s->described,
						       s->f->perm_scratch,
						       vals, err);
	} else
		rc = sfa_fetch__put_text(s->f->st, s->def, s->f->opts,
					 &s->f->row, vals, err);
	if (rc == 0 && ++s->stats->rows % 2000 == 0)
		report(s, 0);
	return rc;
}

static int on_bulk_done(void *ud, long long rows, sfa_err *err)
{
	scan *s = ud;

	(void)rows;
	s->stats->requests += sfa_bulk_query_requests(s->bq);
	s->stats->org_count = sfa_bulk_query_processed(s->bq);
	return scan_done(s, err);
}

/* Moves a scan past the plan: its next REST page, or its Bulk job. */
static int activate(scan *s, sfa_err *err)
{
	fetch *f = s->f;
	sfa_bulk_opts bo = {0};
	char *next;
	int rc;

	s->t_act = sfa_clock_ms();
	if (s->state == S_BULK) {
		bo.max_records = f->tune.bulk_page;
		return sfa_bulk_query_start(
		    &s->bq, f->batch, s->soql, s->def->fields, s->def->nfields,
		    s->def->sobject, &bo, on_bulk_row, on_bulk_done, s, err);
	}
	next = s->next;
	s->next = NULL;
	s->state = S_PAGING;
	rc = send_page(s, next, err);
	free(next);
	return rc;
}

static long ceil_div(long long a, long long b)
{
	return b > 0 ? (long)((a + b - 1) / b) : 0;
}

/* Every object's size is known: what the rest will cost, held to the
 * budget before any of it is spent. */
static int plan(fetch *f, sfa_err *err)
{
	long spent = sfa_sf_api_requests(f->sf), more = 0;
	long allowed = sfa_sf_budget(f->sf);
	int i, rc = 0;

	for (i = 0; i < f->nscans; i++) {
		scan *s = &f->scans[i];

		if (s->state == S_BULK) /* create + ~2 polls + pages */
			more += 3 + ceil_div(s->total, f->tune.bulk_page);
		else if (s->state == S_HELD)
			more += ceil_div(s->total - s->first_n,
					 s->first_n > 0 ? s->first_n : 2000);
	}
	/* The recount, the grouped user count and the audit trail's first
	 * page (EVIDENCE.md), and the
	 * identity call of flows whose configuration does not name the
	 * user: sfa_fetch__recount(). */
	more += 5;
	if (sfa_sf_auth(f->sf)->method != SFA_AUTH_PASSWORD &&
	    sfa_sf_auth(f->sf)->method != SFA_AUTH_JWT)
		more++;
	if (f->stats) {
		f->stats->planned = spent + more;
		f->stats->allowed = allowed;
	}
	if (allowed > 0 && spent + more > allowed)
		return sfa_err_set(
		    err, SFA_ELIMIT,
		    "the sync needs about %ld API requests but "
		    "is allowed %ld%s; stopped after %ld, before "
		    "spending more",
		    spent + more, allowed, f->why, spent);
	f->approved = 1;
	if (f->tune.max_connections == 1)
		return next_in_turn(f, err);
	for (i = 0; i < f->nscans && rc == 0; i++)
		if (f->scans[i].state == S_HELD || f->scans[i].state == S_BULK)
			rc = activate(&f->scans[i], err);
	return rc;
}

static int on_page(void *ud, const struct sfa_http_response *resp, json_t *page,
		   sfa_err *err)
{
	scan *s = ud;
	fetch *f = s->f;
	json_t *records, *rec;
	const char *next;
	long long total;
	size_t i;
	int rc = 0, first = s->state == S_FIRST;

	s->stats->requests += resp->attempts;
	if (!page && first && s->total > 0) {
		/* skip_first_page(): Bulk reads the object. */
		s->first_ms = resp->elapsed_ms;
		f->firsts_left--;
		s->state = S_BULK;
		s->stats->bulk = 1;
		goto plan;
	}
	rc = sfa_sf_page(f->sf, page, s->def->sobject, &records, &total, &next,
			 err);
	if (rc)
		goto out;
	if (first) {
		s->first_ms = resp->elapsed_ms; /* not its time in the queue */
		s->total = total;
		s->stats->org_count = total;
		s->first_n = (long long)json_array_size(records);
		f->firsts_left--;
		if (next && s->bulk_threshold > 0 &&
		    total > s->bulk_threshold) {
			/* Bulk reads the whole object: this page's rows
			 * would come again. */
			s->state = S_BULK;
			s->stats->bulk = 1;
			goto plan;
		}
	}
	if (next && f->approved) {
		rc = send_page(s, next, err);
	} else if (next) {
		s->state = S_HELD;
		if (!(s->next = strdup(next)))
			rc = sfa_err_set(err, SFA_ENOMEM, "out of memory");
	}
	json_array_foreach(records, i, rec)
	{
		if (rc)
			break;
		rc = put_json(s, rec, err);
		if (rc == 0 && ++s->stats->rows % 2000 == 0)
			report(s, 0);
	}
	if (rc == 0 && !next)
		rc = scan_done(s, err);
plan:
	if (rc == 0 && first && f->firsts_left == 0)
		rc = plan(f, err);
out:
	json_decref(page);
	return rc;
}

/* The org does not have this optional object (Territory Management off):
 * the scan is over with no rows, and counts as a first page in. */
static int skip_missing(scan *s, sfa_err *err)
{
	fetch *f = s->f;
	int rc;

	sfa_err_clear(err);
	s->stats->missing = 1;
	f->firsts_left--;
	rc = scan_done(s, err);
	if (rc == 0 && f->firsts_left == 0)
		rc = plan(f, err);
	return rc;
}

/* A query-more answered INVALID_QUERY_LOCATOR: the org forgot the
 * cursor (timed out, or its session changed).  The scan starts again from
 * its first query; the rows it stored already come again and the store
 * keeps one of each (INSERT OR IGNORE on the snapshot and Id).  Bounded,
 * so an org that loses every cursor fails with the reason. */
static int on_page_error(void *ud, sfa_err *err)
{
	scan *s = ud;

	if (s->state == S_FIRST && (s->def->flags & SFA_OBJ_F_OPTIONAL) &&
	    (strcmp(err->sf_code, "INVALID_TYPE") == 0 ||
	     strcmp(err->sf_code, "NOT_FOUND") == 0))
		return skip_missing(s, err);
	if (s->state == S_FIRST ||
	    strcmp(err->sf_code, "INVALID_QUERY_LOCATOR") != 0)
		return err->code;
	if (s->restarts >= SFA_SF_QUERY_RESTARTS) {
		sfa_err_prefix(err,
			       "%s: the query cursor was lost %d times, "
			       "restarting the scan each time",
			       s->def->sobject, s->restarts + 1);
		return err->code;
	}
	s->restarts++;
	s->stats->rows = 0; /* they are counted again as they come */
	sfa_err_clear(err);
	return start_first(s, err);
}

static int start_first(scan *s, sfa_err *err)
{
	char *path = sfa_sf_query_path(s->soql, 0);
	int rc;

	if (!s->stats->started_at[0])
		sfa_clock_utc(s->stats->started_at);
	if (!path)
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	rc = send_page(s, path, err);
	free(path);
	return rc;
}

/* The least a sync can cost is one request per object: a budget below
 * that is refused before anything more is spent. */
static int at_least(fetch *f, long allowed, sfa_err *err)
{
	long spent = sfa_sf_api_requests(f->sf);

	if (allowed <= 0 || allowed >= spent + f->firsts_left)
		return 0;
	if (f->stats) {
		f->stats->planned = spent + f->firsts_left;
		f->stats->allowed = allowed;
	}
	return sfa_err_set(err, SFA_ELIMIT,
			   "the sync needs at least %d API requests (one per "
			   "object%s) but is allowed %ld%s; stopped after "
			   "%ld, before spending more",
			   f->nscans, f->approved < 0 ? " and describe" : "",
			   allowed, f->why, spent);
}

/* --max-api-percent needs the org's limit, which only a response tells:
 * the first object's first page goes alone, then the budget is set. */
static int percent_budget(fetch *f, sfa_err *err)
{
	long used, limit, allowed;
	int rc = start_first(&f->scans[0], err);

	if (rc == 0)
		rc = sfa_sf_batch_run(f->batch, err);
	if (rc)
		return rc;
	if (!sfa_sf_api_usage(f->sf, &used, &limit))
		return sfa_err_set(err, SFA_EPROTO,
				   "--max-api-percent needs the org's daily "
				   "limit, and Salesforce sent no "
				   "Sforce-Limit-Info");
	allowed = (long)((double)limit * f->tune.max_api_percent / 100.0);
	if (f->tune.max_api_requests > 0 && f->tune.max_api_requests < allowed)
		allowed = f->tune.max_api_requests;
	else
		snprintf(f->why, sizeof(f->why),
			 " (%g%% of the org's daily limit of %ld)",
			 f->tune.max_api_percent, limit);
	sfa_sf_set_budget(f->sf, allowed);
	return at_least(f, allowed, err);
}

/* Whether the sync's options read def at all (before the describes say
 * whether the org has it). */
static int wanted(const sfa_sync_opts *o, const sfa_obj_def *def)
{
	return (!(def->flags & SFA_OBJ_F_CONNECTED_APPS) ||
		o->sync_connected_apps) &&
	       (!(def->flags & SFA_OBJ_F_TERRITORIES) || o->sync_territories) &&
	       (!(def->flags & SFA_OBJ_F_ENTITLEMENTS) ||
		o->sync_entitlements) &&
	       (!(def->flags & SFA_OBJ_F_PERMISSIONS) || !o->no_permissions) &&
	       (!(def->flags & SFA_OBJ_F_FIELD_PERMISSIONS) ||
		o->field_permissions);
}

static int least_with_describes(fetch *f, sfa_err *err)
{
	int i;

	if (f->opts->no_permissions || f->tune.max_api_requests <= 0)
		return 0;
	f->firsts_left = SFA_FETCH_DESCRIBES(f->opts);
	for (i = 0; i < SFA_OBJ_COUNT; i++) {
		const sfa_obj_def *def = sfa_obj_get((sfa_obj)i);

		if (wanted(f->opts, def))
			f->firsts_left++;
	}
	/* For the message: approved < 0 says describes are counted. */
	f->nscans = f->firsts_left;
	f->approved = -1;
	i = at_least(f, f->tune.max_api_requests, err);
	f->nscans = 0;
	f->approved = 0;
	sfa_sf_set_budget(f->sf, f->tune.max_api_requests);
	return i;
}

static int run(fetch *f, sfa_err *err)
{
	int i, rc = 0, from = 0;

	f->firsts_left = f->nscans;
	rc = at_least(f, f->tune.max_api_requests, err);
	if (rc)
		return rc;
	sfa_sf_set_budget(f->sf, f->tune.max_api_requests);
	if (f->tune.max_api_percent > 0) {
		rc = percent_budget(f, err);
		from = 1;
	}
	for (i = from; i < f->nscans && rc == 0; i++)
		rc = start_first(&f->scans[i], err);
	if (rc == 0)
		rc = sfa_sf_batch_run(f->batch, err);
	return rc;
}

/* Every scan is in: the control totals, checked; the recount and the
 * grouped user count; the provenance; all put into the snapshot's
 * transaction.  *ev keeps what was gathered, for an incomplete one. */
static int evidence(fetch *f, const char *started, json_t **ev, sfa_err *err)
{
	char finished[21], *username = NULL;
	json_t *ct, *prov;
	int rc;

	*ev = json_object();
	ct = sfa_fetch__control_totals(f->st, f->stats,
				       sfa_sf_api_version(f->sf));
	if (!*ev || !ct || json_object_set_new(*ev, "control_totals", ct))
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	if ((rc = sfa_fetch__control_check(f->stats, err)) ||
	    (rc = sfa_fetch__recount(
		 f->sf, f->batch, f->st, f->snap, f->opts, f->stats, *ev,
		 &username, &f->stats->audit_new, f->stats->audit_error,
		 sizeof(f->stats->audit_error), err)))
		return rc;
	sfa_clock_utc(finished);
	prov = sfa_fetch__provenance(f->sf, username, started, finished);
	free(username);
	if (!prov || json_object_set_new(*ev, "provenance", prov))
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	/* An auditor reading the provenance learns that the audit trail of
	 * this snapshot was not read, and why. */
	if (f->stats->audit_error[0] &&
	    json_object_set_new(prov, "audit_trail_error",
				json_string(f->stats->audit_error)))
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	return sfa_store_put_evidence(f->st, f->snap, *ev, err);
}

/* An incomplete snapshot keeps what the auditor needs to see why: its
 * control totals and provenance, recorded after the rollback.  Best
 * effort: the snapshot is 'incomplete' with its reason either way. */
static void record_incomplete(fetch *f, long long snap, const char *started,
			      json_t *ev)
{
	char finished[21];
	json_t *own = ev ? json_incref(ev) : json_object(), *row, *rows;
	size_t i;
	sfa_err e;

	sfa_err_clear(&e);
	sfa_clock_utc(finished);
	if (own && !json_object_get(own, "control_totals"))
		json_object_set_new(
		    own, "control_totals",
		    sfa_fetch__control_totals(f->st, f->stats,
					      sfa_sf_api_version(f->sf)));
	/* The rollback took the records: the snapshot keeps none. */
	rows = json_object_get(own, "control_totals");
	json_array_foreach(rows, i, row)
	{
		json_object_set_new(row, "stored", json_integer(0));
	}
	if (own && !json_object_get(own, "provenance"))
		json_object_set_new(
		    own, "provenance",
		    sfa_fetch__provenance(f->sf, NULL, started, finished));
	if (own)
		sfa_store_put_evidence(f->st, snap, own, &e);
	json_decref(own);
}

static int add_scan(fetch *f, const sfa_obj_def *def,
		    const sfa_fetch_described *described, sfa_err *err)
{
	scan *s;

	if (f->nscans == SFA_FETCH_MAX_SCANS)
		return sfa_err_set(err, SFA_EINTERNAL, "too many scans");
	s = &f->scans[f->nscans];
	s->f = f;
	s->def = def;
	s->described = described;
	s->bulk_threshold = f->tune.bulk_threshold;
	s->batch_header = "Sforce-Query-Options: batchSize=2000";
	/* With Bulk off (--bulk-threshold 0) REST reads it all, in pages as
	 * large as any other's: small pages would multiply its requests. */
	if (described && s->bulk_threshold > 0) {
		s->batch_header = "Sforce-Query-Options: batchSize=200";
		s->bulk_threshold = 200;
	}
	s->stats = &f->stats->scans[f->nscans];
	s->stats->sobject = def->sobject;
	s->stats->org_count = -1;
	f->nscans++;
	if (!(s->soql = sfa_fetch_soql(def, f->opts)))
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	s->stats->soql = s->soql;
	return 0;
}

/* The scans of object obj under the sync's options: none, its one scan,
 * or the parts of a described object's field list. */
static int add_scans(fetch *f, sfa_obj obj, sfa_err *err)
{
	const sfa_obj_def *def = sfa_obj_get(obj);
	sfa_fetch_perms *p = &f->perms;
	int i, rc = 0;

	if (!wanted(f->opts, def) ||
	    ((def->flags & SFA_OBJ_F_FIELD_PERMISSIONS) &&
	     !p->have_field_perms))
		return 0;
	/* Read by its described scan's first part (planned first, with the
	 * object's own fields as base); alone, without the flags, when its
	 * describe had no Permissions* field and so no part. */
	if (obj == SFA_OBJ_PERMISSION_SET && p->have_described_ps)
		return p->nparts && p->parts[0].base
			   ? 0
			   : add_scan(f, &p->permission_set, NULL, err);
	if (obj == SFA_OBJ_OBJECT_PERMS)
		return p->have_object_perms
			   ? add_scan(f, &p->object_perms, NULL, err)
			   : 0;
	if (!(def->flags & SFA_OBJ_F_DESCRIBED))
		return add_scan(f, def, NULL, err);
	for (i = 0; i < p->nparts && rc == 0; i++)
		if (p->parts[i].def.obj == obj)
			rc = add_scan(f, &p->parts[i].def, &p->parts[i], err);
	return rc;
}

int sfa_fetch_run(sfa_sf *sf, sfa_store *st, const sfa_sync_opts *opts,
		  const sfa_fetch_tuning *tune, sfa_fetch_progress_fn progress,
		  void *ud, sfa_fetch_stats *stats, long long *snapshot_id,
		  sfa_err *err)
{
	static const sfa_fetch_tuning defaults = {0};
	char *options = sfa_fetch_options_json(opts);
	fetch *f;
	json_t *ev = NULL;
	char started[21];
	long t0, c0;
	int rc, i;

	*snapshot_id = 0;
	sfa_clock_utc(started);
	f = calloc(1, sizeof(*f));
	if (!options || !f) {
		free(options);
		free(f);
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	}
	f->sf = sf;
	f->st = st;
	f->opts = opts;
	f->tune = tune ? *tune : defaults;
	if (f->tune.max_connections <= 0)
		f->tune.max_connections = 4;
	if (f->tune.bulk_threshold == 0)
		f->tune.bulk_threshold = SFA_FETCH_BULK_THRESHOLD;
	if (f->tune.bulk_page <= 0)
		f->tune.bulk_page = 50000;
	f->progress = progress;
	f->ud = ud;
	f->stats = stats ? stats : calloc(1, sizeof(*f->stats));
	if (!f->stats) {
		free(options);
		free(f);
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	}
	/* From here on f->stats is set: every scan's stats live in it. */
	memset(f->stats, 0, sizeof(*f->stats));
	rc = sfa_store_begin_snapshot(st, sfa_sf_org_id(sf),
				      sfa_sf_api_version(sf), options,
				      snapshot_id, err);
	f->snap = *snapshot_id;
	/* The describes come first: they say which permission scans there
	 * are, and with which fields.  They spend from the budget, so a
	 * budget that cannot pay for them and one page per object is refused
	 * before they are sent. */
	if (rc == 0)
		rc = least_with_describes(f, err);
	if (rc == 0)
		rc = sfa_fetch__perms_prepare(&f->perms, sf, st, opts, f->stats,
					      err);
	if (rc == 0 && f->perms.nparts &&
	    !(f->perm_scratch = calloc((size_t)f->perms.nnames + 1,
				       sizeof(*f->perm_scratch))))
		rc = sfa_err_set(err, SFA_ENOMEM, "out of memory");
	for (i = 0; i < SFA_OBJ_COUNT && rc == 0; i++)
		rc = add_scans(f, (sfa_obj)i, err);
	f->stats->nscans = f->nscans;
	if (rc == 0)
		rc = sfa_sf_batch_new(&f->batch, sf, f->tune.max_connections,
				      err);
	t0 = sfa_clock_ms();
	c0 = sfa_clock_cpu_ms();
	if (rc == 0)
		rc = run(f, err);
	if (rc == 0)
		rc = evidence(f, started, &ev, err);
	f->stats->fetch_ms = sfa_clock_ms() - t0;
	f->stats->fetch_cpu_ms = sfa_clock_cpu_ms() - c0;
	if (rc == 0) {
		t0 = sfa_clock_ms();
		c0 = sfa_clock_cpu_ms();
		rc = sfa_snapshot_finish(st, opts->privileged,
					 sfa_sf_api_requests(sf),
					 &f->stats->finish_steps, err);
		f->stats->finish_ms = sfa_clock_ms() - t0;
		f->stats->finish_cpu_ms = sfa_clock_cpu_ms() - c0;
	}
	if (rc && *snapshot_id) {
		sfa_store_abort_snapshot(st, err->msg);
		record_incomplete(f, *snapshot_id, started, ev);
	}
	json_decref(ev);
	/* The transfers borrow the scans' Bulk queries: batch first. */
	sfa_sf_batch_free(f->batch);
	sfa_fetch__perms_free(&f->perms);
	free(f->perm_scratch);
	for (i = 0; i < f->nscans; i++) {
		sfa_bulk_query_free(f->scans[i].bq);
		free(f->scans[i].soql);
		free(f->scans[i].next);
	}
	if (!stats)
		free(f->stats);
	free(options);
	free(f);
	return rc;
}
