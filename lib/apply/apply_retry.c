/*
 * apply_retry.c - an operation whose write failed transiently may or may
 * not have taken effect, so the write is never simply sent again: after a
 * backoff the whole operation runs anew, and it starts by re-reading the
 * live state (apply_ops.c; never the prefetched one), which finds a write
 * that did take effect.
 */
#include "apply_int.h"
#include "clock.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* lib/salesforce/http.h's retry defaults (sfa_http_options: max_attempts,
 * backoff_base_ms, backoff_max_ms, max_retry_ms), so writes back off as
 * reads do. */
#define DEFAULT_ATTEMPTS 5
#define DEFAULT_BASE_MS 500
#define DEFAULT_MAX_MS 30000
#define DEFAULT_TOTAL_MS 120000

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};

	while (nanosleep(&ts, &ts) != 0)
		; /* EINTR: sleep the rest */
}

void sfa_apply_retry_init(struct sfa_apply *a)
{
	struct timespec ts;

	a->max_attempts = DEFAULT_ATTEMPTS;
	a->base_ms = DEFAULT_BASE_MS;
	a->max_ms = DEFAULT_MAX_MS;
	a->total_ms = DEFAULT_TOTAL_MS;
	/* Jitter only needs two runs not to retry in step. */
	clock_gettime(CLOCK_REALTIME, &ts);
	a->rng = ((uint64_t)ts.tv_sec << 30) ^ (uint64_t)ts.tv_nsec ^
		 (uint64_t)(uintptr_t)a;
	if (!a->rng)
		a->rng = 1;
}

void sfa_apply_set_retry(sfa_apply *a, int max_attempts, long base_ms,
			 long max_ms)
{
	if (max_attempts > 0)
		a->max_attempts = max_attempts;
	if (base_ms > 0)
		a->base_ms = base_ms;
	if (max_ms > 0)
		a->max_ms = max_ms;
}

/* The wait before attempt `attempt + 1`: doubling, capped, "equal
 * jitter" (half fixed, half random) as in http.c. */
static long backoff_ms(struct sfa_apply *a, int attempt)
{
	long d = a->base_ms;
	int i;

	for (i = 1; i < attempt && d < a->max_ms; i++)
		d *= 2;
	if (d > a->max_ms)
		d = a->max_ms;
	a->rng ^= a->rng << 13;
	a->rng ^= a->rng >> 7;
	a->rng ^= a->rng << 17;
	return d / 2 + (long)(a->rng % (uint64_t)(d / 2 + 1));
}

int sfa_apply_transient(const sfa_err *err)
{
	switch (err->code) {
	case SFA_ENET:	 /* reset, timeout: sent, answer unknown */
	case SFA_EPROTO: /* an answer cut short or garbled */
		return 1;
	case SFA_ESF:
		return err->http_status == 500 || err->http_status == 502 ||
		       err->http_status == 503 || err->http_status == 504;
	default:
		return 0;
	}
}

/* Adds s to the note, after what the operation said, as far as it fits. */
static void note_add(sfa_apply_op *op, const char *s)
{
	size_t n = strlen(op->note);

	snprintf(op->note + n, sizeof(op->note) - n, "%s%s", n ? "; " : "", s);
}

int sfa_apply_perform_retrying(struct sfa_apply *a, sfa_apply_op *op,
			       sfa_apply_attempt_fn fn, void *ud, sfa_err *err)
{
	long start = sfa_clock_ms();
	char what[96];
	int attempt;

	op->writes_sent = 0;
	op->found_on_reread = 0;
	for (attempt = 1;; attempt++) {
		/* Only a write whose answer was lost makes a state found as
		 * wanted ours: a failed read before any write does not.  The
		 * prefetched state serves the first attempt only: after a
		 * failure, what the org holds is what a retry must learn. */
		sfa_apply_perform(
		    a, op, attempt == 1 ? sfa_apply_prefetched(a, op) : NULL,
		    op->writes_sent > 0);
		op->attempts = attempt;
		if (op->outcome != SFA_OUTCOME_FAILED ||
		    !sfa_apply_transient(&op->err) ||
		    attempt >= a->max_attempts)
			break;
		long wait = backoff_ms(a, attempt);
		int rc;

		if (sfa_clock_ms() - start + wait > a->total_ms)
			break;
		sfa_err_prefix(&op->err,
			       "attempt %d of %d failed; retrying after a "
			       "re-read",
			       attempt, a->max_attempts);
		if (fn && (rc = fn(ud, op, err)))
			return rc;
		sleep_ms(wait);
	}
	if (attempt == 1)
		return 0;
	if (op->outcome == SFA_OUTCOME_FAILED) {
		sfa_err_prefix(&op->err, "after %d attempts", attempt);
		return 0;
	}
	if (op->found_on_reread)
		snprintf(what, sizeof(what),
			 "attempt %d found the change made: an earlier "
			 "answer was lost",
			 attempt);
	else
		snprintf(what, sizeof(what), "%s on attempt %d",
			 sfa_outcome_name(op->outcome), attempt);
	note_add(op, what);
	return 0;
}
