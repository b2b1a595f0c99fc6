/*
 * fuzz_csv_stream.c - Bulk API 2.0 result pages reach sfa_csv_stream in
 * whatever pieces curl's write callback hands over, and a page cut short
 * is read again after sfa_csv_stream_reset() (bulk.c).  The same bytes
 * must give the same rows however they are cut, and a restart must
 * forget everything read before it.
 *
 * Input: an optional first line (at most 32 bytes before its '\n') that
 * picks how to cut, then the CSV.  Without one, the whole input is CSV,
 * fed one byte at a time, with a restart halfway.
 *   byte 0: where the restart run stops reading before its reset, as
 *           (b & 63) / 63 of the CSV;
 *   byte 1: when (b & 64) is clear, the row callback fails at row b & 63
 *           (as the store would), e.g. '\x03' or '#'; letters never fail;
 *   bytes 2...: chunk lengths, b & 63 each, used in turn ('@' is an empty
 *           feed, 'A' = 1, 'Z' = 26, '?' = 63).
 *
 * The row callback reads like bulk.c's: the first row is the header, and
 * a later row with another field count is refused (SFA_EPROTO).  Checked:
 * - every field is a NUL-terminated string, 1..1024 fields a row;
 * - after the callback refuses, no row arrives and feed/end return that
 *   code (the error is sticky); an error is negative and, where it first
 *   arises, set in err with a message;
 * - one chunk, the fuzzer's chunks, and a restart then the fuzzer's
 *   chunks give the same rows and the same result;
 * - sfa_csv_stream_rows() counts the callback's calls, 0 after a reset.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "csv_io.h"

typedef struct {
	sfa_buf rows; /* each row: field count, then each field and a NUL */
	size_t calls;
	size_t ncols; /* of the header, 0 before it */
	long fail_at; /* row that the callback refuses, -1 for none */
	int stopped;  /* the callback refused */
} run;

static void run_clear(run *r)
{
	r->rows.len = 0;
	r->calls = 0;
	r->ncols = 0;
	r->stopped = 0;
}

static int on_row(void *ud, const char *const *f, size_t n, sfa_err *err)
{
	run *r = ud;
	unsigned char nb = (unsigned char)n;
	size_t i;

	if (r->stopped || !f || n < 1 || n > 1024 || !err)
		abort();
	r->calls++;
	if (sfa_buf_append(&r->rows, &nb, 1))
		abort();
	for (i = 0; i < n; i++)
		if (!f[i] || sfa_buf_append(&r->rows, f[i], strlen(f[i]) + 1))
			abort();
	if ((long)r->calls - 1 == r->fail_at) {
		r->stopped = 1;
		return sfa_err_set(err, SFA_ESTORE, "store refused row %zu",
				   r->calls);
	}
	if (r->ncols == 0) {
		r->ncols = n;
		return 0;
	}
	if (n != r->ncols) {
		r->stopped = 1;
		return sfa_err_set(err, SFA_EPROTO, "row has %zu values, not %zu",
				   n, r->ncols);
	}
	return 0;
}

static void check_rc(int rc, const sfa_err *err)
{
	if (rc > 0 || (rc && (err->code != rc || !err->msg[0])))
		abort();
}

/* Feeds p[0..n) in the chunks of lens (cycling; all-zero means 1 byte;
 * no lens: one chunk) and ends the input.  Returns the result. */
static int feed_chunks(sfa_csv_stream *s, run *r, const char *p, size_t n,
		       const uint8_t *lens, size_t nlens)
{
	sfa_err err;
	size_t pos = 0, k = 0, idle = 0;
	int rc = 0, again;

	sfa_err_clear(&err);
	while (pos < n) {
		size_t len = nlens ? lens[k++ % nlens] & 63u : n;

		if (len == 0 && ++idle > nlens)
			len = 1; /* every length is 0: make progress */
		if (len)
			idle = 0;
		if (len > n - pos)
			len = n - pos;
		rc = sfa_csv_stream_feed(s, p + pos, len, &err);
		check_rc(rc, &err);
		pos += len;
		if (rc)
			break;
	}
	/* Sticky: more input and the end are refused with the same code
	 * (err keeps the first message; it is not filled again). */
	if (rc && sfa_csv_stream_feed(s, "\"x\"\n", 4, &err) != rc)
		abort();
	again = sfa_csv_stream_end(s, &err);
	if (rc && again != rc)
		abort();
	if (!rc)
		check_rc(again, &err);
	if (r->stopped && again == 0)
		abort();
	if (sfa_csv_stream_rows(s) != (long long)r->calls)
		abort();
	return again;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t one[1] = {1};
	const uint8_t *nl = memchr(data, '\n', size < 33 ? size : 33);
	const uint8_t *spec = NULL, *lens = NULL;
	size_t nspec = 0, nlens = 0, cut;
	const char *csv = (const char *)data;
	size_t n = size;
	run a = {{0}, 0, 0, -1, 0}, b = a, c = a;
	sfa_csv_stream *s = NULL;
	sfa_err err;
	int rca, rcb, rcc;

	if (nl) {
		spec = data;
		nspec = (size_t)(nl - data);
		csv = (const char *)nl + 1;
		n = size - nspec - 1;
	}
	cut = nspec ? n * (spec[0] & 63) / 63 : n / 2;
	if (nspec > 1 && !(spec[1] & 64))
		a.fail_at = b.fail_at = c.fail_at = spec[1] & 63;
	if (nspec > 2) {
		lens = spec + 2;
		nlens = nspec - 2;
	} else {
		lens = one;
		nlens = 1;
	}

	sfa_err_clear(&err);
	/* One chunk. */
	if (sfa_csv_stream_new(&s, on_row, &a, &err))
		return 0;
	rca = feed_chunks(s, &a, csv, n, NULL, 0);
	sfa_csv_stream_free(s);

	/* The fuzzer's chunks. */
	if (sfa_csv_stream_new(&s, on_row, &b, &err))
		abort();
	rcb = feed_chunks(s, &b, csv, n, lens, nlens);
	sfa_csv_stream_free(s);

	/* A page cut short at `cut`, read again after a reset. */
	if (sfa_csv_stream_new(&s, on_row, &c, &err))
		abort();
	(void)sfa_csv_stream_feed(s, csv, cut, &err);
	sfa_csv_stream_reset(s);
	if (sfa_csv_stream_rows(s) != 0)
		abort();
	run_clear(&c);
	rcc = feed_chunks(s, &c, csv, n, lens, nlens);
	sfa_csv_stream_free(s);

	if (rca != rcb || rca != rcc || a.calls != b.calls ||
	    a.calls != c.calls || a.rows.len != b.rows.len ||
	    a.rows.len != c.rows.len ||
	    (a.rows.len && (memcmp(a.rows.data, b.rows.data, a.rows.len) ||
			    memcmp(a.rows.data, c.rows.data, a.rows.len))))
		abort();
	sfa_buf_free(&a.rows);
	sfa_buf_free(&b.rows);
	sfa_buf_free(&c.rows);
	return 0;
}
