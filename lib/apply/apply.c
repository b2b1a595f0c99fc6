/*
 * apply.c - the apply engine's flow: order the change file's rows for
 * execution (create_user, grant, revoke, set_status; file order within
 * each), resolve them (apply_resolve.c), read the state of those an
 * interrupted run has not settled in batches (apply_prefetch.c), then run
 * each (apply_ops.c, retried by apply_retry.c) and journal every attempt's
 * outcome before going on.  A run ends when it has visited every
 * operation; the next apply of the file starts afresh
 * (lib/apply/CHANGEFILE.md).
 */
#include "apply_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int sfa_license_map_add(sfa_license_map *m, const char *license,
			const char *profile, sfa_err *err)
{
	if (sfa_license_map_get(m, license))
		return 0;
	if (m->n == SFA_LICENSE_MAP_MAX)
		return sfa_err_set(err, SFA_EINPUT,
				   "more than %d licenses in the license to "
				   "profile map",
				   SFA_LICENSE_MAP_MAX);
	m->license[m->n] = license;
	m->profile[m->n++] = profile;
	return 0;
}

const char *sfa_license_map_get(const sfa_license_map *m, const char *license)
{
	int i;

	for (i = 0; m && i < m->n; i++)
		if (strcmp(m->license[i], license) == 0)
			return m->profile[i];
	return NULL;
}

static int cmp_exec_order(const void *pa, const void *pb)
{
	const sfa_apply_op *a = pa, *b = pb;

	if (a->c->op != b->c->op)
		return (int)a->c->op - (int)b->c->op;
	return (a->c->line > b->c->line) - (a->c->line < b->c->line);
}

static int on_org(void *ud, json_t *rec, sfa_err *err)
{
	sfa_apply *a = ud;
	const char *name = json_string_value(json_object_get(rec, "Name"));

	free(a->org_name);
	if (name && !(a->org_name = strdup(name)))
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	a->org_sandbox = json_is_true(json_object_get(rec, "IsSandbox"));
	return 0;
}

/* The org's Name and kind, so that the confirmation names the org a
 * person knows, not only its Id.  Not knowing them changes nothing else:
 * a refusal leaves the name unknown. */
static int read_org(sfa_apply *a, sfa_err *err)
{
	int rc = sfa_sf_query(a->sf, "SELECT Name, IsSandbox FROM Organization",
			      0, on_org, a, err);

	if (rc == SFA_ENOMEM)
		return rc;
	sfa_err_clear(err);
	return 0;
}

int sfa_apply_prepare(sfa_apply **out, sfa_sf *sf, const sfa_changefile *cf,
		      const sfa_license_map *map, sfa_problems *probs,
		      sfa_err *err)
{
	sfa_apply *a = calloc(1, sizeof(*a));
	size_t i;
	int rc;

	*out = NULL;
	if (!a || !(a->ops = calloc(cf->n ? cf->n : 1, sizeof(*a->ops)))) {
		free(a);
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	}
	a->sf = sf;
	a->cf = cf;
	a->map = map;
	a->n = cf->n;
	sfa_apply_retry_init(a);
	for (i = 0; i < cf->n; i++)
		a->ops[i].c = &cf->rows[i];
	/* The order first: creator pointers set while resolving point into
	 * this array. */
	qsort(a->ops, a->n, sizeof(*a->ops), cmp_exec_order);
	if ((rc = sfa_apply_resolve(a, probs, err)) ||
	    (rc = read_org(a, err))) {
		sfa_apply_free(a);
		return rc;
	}
	*out = a;
	return 0;
}

void sfa_apply_free(sfa_apply *a)
{
	size_t i;

	if (!a)
		return;
	for (i = 0; i < a->n; i++) {
		free(a->ops[i].user_name);
		free(a->ops[i].resource_name);
		free(a->ops[i].target_name);
	}
	free(a->ops);
	free(a->org_name);
	sfa_apply_prefetch_free(a);
	free(a);
}

size_t sfa_apply_nops(const sfa_apply *a)
{
	return a->n;
}

const sfa_apply_op *sfa_apply_op_at(const sfa_apply *a, size_t i)
{
	return i < a->n ? &a->ops[i] : NULL;
}

static sfa_apply_op *op_by_line(sfa_apply *a, long line)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		if (a->ops[i].c->line == line)
			return &a->ops[i];
	return NULL;
}

static int on_journal(void *ud, const sfa_journal_rec *r)
{
	sfa_apply_op *op = op_by_line(ud, r->line);

	/* Failed lines run again; the others are settled. */
	if (!op || (r->outcome != SFA_OUTCOME_DONE &&
		    r->outcome != SFA_OUTCOME_ALREADY))
		return 0;
	op->outcome = r->outcome;
	op->from_journal = 1;
	snprintf(op->record_id, sizeof(op->record_id), "%s",
		 r->record_id ? r->record_id : "");
	snprintf(op->note, sizeof(op->note),
		 "%s by the interrupted run at %s",
		 sfa_outcome_name(r->outcome),
		 r->finished_at ? r->finished_at : "");
	return 0;
}

int sfa_apply_load_journal(sfa_apply *a, sfa_store *st, int recheck,
			   sfa_err *err)
{
	size_t i;
	int rc;

	for (i = 0; i < a->n; i++) {
		a->ops[i].from_journal = 0;
		a->ops[i].outcome = SFA_OUTCOME_NONE;
		a->ops[i].note[0] = '\0';
	}
	a->journal_loaded = 1;
	if ((rc = sfa_journal_run_latest(st, a->cf->sha256,
					 sfa_sf_org_id(a->sf), &a->run, err)))
		return rc;
	/* Only an interrupted run is resumed: a finished one, or --recheck,
	 * starts a new run that compares every line with the org. */
	if (!a->run.id || a->run.finished || recheck) {
		memset(&a->run, 0, sizeof(a->run));
		return 0;
	}
	return sfa_journal_each_in_run(st, a->run.id, on_journal, a, err);
}

void sfa_apply_org(const sfa_apply *a, char *buf, size_t size)
{
	const char *url = sfa_sf_instance_url(a->sf), *host, *end;

	host = url && strstr(url, "://") ? strstr(url, "://") + 3 : url;
	end = host ? host + strcspn(host, "/") : NULL;
	snprintf(buf, size, "%s (%.*s, %s, org %s)",
		 a->org_name ? a->org_name : "an org whose name is unknown",
		 host ? (int)(end - host) : 0, host ? host : "",
		 a->org_sandbox ? "sandbox" : "production",
		 sfa_sf_org_id(a->sf));
}

const char *sfa_apply_resumed(const sfa_apply *a)
{
	return a->run.id ? a->run.started_at : NULL;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int journal(sfa_apply *a, sfa_store *st, const sfa_apply_op *op,
		   sfa_err *err)
{
	const sfa_change *c = op->c;
	const char *user_id = op->user_id;
	sfa_journal_rec r;

	if (!*user_id && op->creator)
		user_id = op->creator->record_id;
	if (c->op == SFA_OP_CREATE_USER)
		user_id = op->record_id;
	memset(&r, 0, sizeof(r));
	r.sha256 = a->cf->sha256;
	r.line = c->line;
	r.op = sfa_op_name(c->op);
	r.resource_type = sfa_rtype_name(c->rtype);
	r.resource = c->resource;
	r.user = c->user;
	r.outcome = op->outcome;
	r.org_id = sfa_sf_org_id(a->sf);
	r.user_id = *user_id ? user_id : NULL;
	r.resource_id = *op->resource_id ? op->resource_id : NULL;
	r.record_id = *op->record_id ? op->record_id : NULL;
	if (op->outcome == SFA_OUTCOME_FAILED) {
		r.error_code = op->err.sf_code[0] ? op->err.sf_code : NULL;
		r.error = op->err.msg;
	}
	r.comment = c->comment;
	r.run_id = a->run.id;
	return sfa_journal_put(st, &r, err);
}

struct attempt_ctx {
	sfa_apply *a;
	sfa_store *st;
};

/* A failed attempt about to be retried is journalled as failed (which
 * counts it in the row's attempts): killed during the backoff, the next
 * run retries the line, and its re-read decides. */
static int on_attempt(void *ud, const sfa_apply_op *op, sfa_err *err)
{
	const struct attempt_ctx *x = ud;
	int rc = journal(x->a, x->st, op, err);

	if (rc)
		sfa_err_prefix(err,
			       "line %ld: attempt %d failed and could not be "
			       "journalled; stopping",
			       op->c->line, op->attempts);
	return rc;
}

int sfa_apply_execute(sfa_apply *a, sfa_store *st, sfa_apply_fn fn, void *ud,
		      sfa_err *err)
{
	struct attempt_ctx x = {a, st};
	size_t i;
	int rc;

	if (!a->journal_loaded &&
	    (rc = sfa_apply_load_journal(a, st, 0, err)))
		return rc;
	if (!a->run.id &&
	    (rc = sfa_journal_run_start(st, a->cf->sha256, sfa_sf_org_id(a->sf),
					&a->run, err)))
		return rc;
	if ((rc = sfa_apply_prefetch(a, err)))
		return rc;
	for (i = 0; i < a->n; i++) {
		sfa_apply_op *op = &a->ops[i];

		if (!op->from_journal) {
			double t0 = now_s();

			rc = sfa_apply_perform_retrying(a, op, on_attempt, &x,
							err);
			op->seconds = now_s() - t0;
			sfa_apply_prefetch_wrote(a, op);
			if (rc) {
				if (fn)
					fn(ud, op);
				return rc;
			}
			/* Stop when the outcome cannot be kept: going on
			 * would change the org without a record of it. */
			if ((rc = journal(a, st, op, err))) {
				sfa_err_prefix(err,
					       "line %ld was performed (%s) "
					       "but not journalled; stopping",
					       op->c->line,
					       sfa_outcome_name(op->outcome));
				if (fn)
					fn(ud, op);
				return rc;
			}
		}
		if (fn)
			fn(ud, op);
	}
	/* Every operation visited: the run is over, and its rows settle
	 * nothing for the next one. */
	return sfa_journal_run_finish(st, a->run.id, err);
}

void sfa_apply_describe(const sfa_apply_op *op, char *buf, size_t size)
{
	const sfa_change *c = op->c;
	const char *user = op->user_name ? op->user_name : c->user;

	switch (c->op) {
	case SFA_OP_CREATE_USER:
		snprintf(buf, size, "create_user %s (profile %s)", user,
			 op->target_name ? op->target_name : "?");
		break;
	case SFA_OP_SET_STATUS:
		snprintf(buf, size, "set_status %s IsActive=%s", user,
			 sfa_change_field(c, "IsActive"));
		break;
	default:
		snprintf(buf, size, "%s %s %s %s %s%s%s%s", sfa_op_name(c->op),
			 sfa_rtype_name(c->rtype),
			 op->resource_name ? op->resource_name : c->resource,
			 c->op == SFA_OP_GRANT ? "to" : "from", user,
			 op->target_name ? " (moves the user to profile " : "",
			 op->target_name ? op->target_name : "",
			 op->target_name ? ")" : "");
	}
}
