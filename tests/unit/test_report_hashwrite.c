/*
 * test_report_hashwrite.c - the report file writer hands blocks to its
 * threads and gets buffers back, writes every byte in order, gives the
 * size and SHA-256 of all of them, and reports a failed write instead of
 * losing it.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hashwrite.h"

/* Hands over blocks of 1, 2, ... 64 KiB of a repeating pattern; *text
 * gets what was handed over, for comparison. */
static void put_blocks(sfa_hashwrite *h, int nblocks, char **text,
		       size_t *total)
{
	char *buf = NULL;
	size_t cap = 0;
	sfa_err err;
	int b;

	*text = NULL;
	*total = 0;
	sfa_err_clear(&err);
	for (b = 1; b <= nblocks; b++) {
		size_t n = (size_t)b * 1024, i;

		if (cap < n) {
			char *p = realloc(buf, n);

			ck_assert_ptr_nonnull(p);
			buf = p;
			cap = n;
		}
		for (i = 0; i < n; i++)
			buf[i] = (char)('a' + (*total + i) % 26);
		*text = realloc(*text, *total + n);
		ck_assert_ptr_nonnull(*text);
		memcpy(*text + *total, buf, n);
		*total += n;
		ck_assert_int_eq(sfa_hashwrite_put(h, &buf, n, &cap, &err), 0);
	}
	free(buf);
}

/* Asserts that the file (out, nout bytes) is text (total bytes) and that
 * d is its size and SHA-256. */
static void expect_written(const char *out, size_t nout, const char *text,
			   size_t total, const sfa_file_digest *d)
{
	char hex[65];
	long long bytes;
	sfa_sha256 *sha;
	sfa_err err;

	sfa_err_clear(&err);
	ck_assert_uint_eq(nout, total);
	ck_assert_int_eq(memcmp(out, text, total), 0);
	ck_assert_int_eq(sfa_sha256_new(&sha, &err), 0);
	ck_assert_int_eq(sfa_sha256_update(sha, text, total, &err), 0);
	ck_assert_int_eq(sfa_sha256_final(sha, hex, &bytes, &err), 0);
	sfa_sha256_free(sha);
	ck_assert_int_eq(d->bytes, (long long)total);
	ck_assert_str_eq(d->sha256, hex);
}

START_TEST(test_blocks_are_written_in_order_with_their_size_and_sha256)
{
	char *buf = NULL, *text;
	size_t n = 0, total;
	FILE *f = open_memstream(&buf, &n);
	sfa_file_digest d = {0, ""};
	sfa_hashwrite *h;
	sfa_err err;

	sfa_err_clear(&err);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(sfa_hashwrite_new(&h, f, &err), 0);
	put_blocks(h, 64, &text, &total);
	ck_assert_int_eq(sfa_hashwrite_finish(h, &d, &err), 0);
	sfa_hashwrite_free(h);
	fclose(f);
	expect_written(buf, n, text, total, &d);
	free(text);
	free(buf);
}
END_TEST

/* Puts the n bytes at src as csv.c does: into the buffer h gave back last
 * (NULL or too small at times), then hands it over. */
static void put_bytes(sfa_hashwrite *h, char **buf, size_t *cap,
		      const char *src, size_t n)
{
	sfa_err err;

	sfa_err_clear(&err);
	if (*cap < n) {
		char *p = realloc(*buf, n);

		ck_assert_ptr_nonnull(p);
		*buf = p;
		*cap = n;
	}
	if (n)
		memcpy(*buf, src, n);
	ck_assert_int_eq(sfa_hashwrite_put(h, buf, n, cap, &err), 0);
}

/* Blocks of 0 to 1,000 bytes (many more than the threads hold at once,
 * so that every buffer comes back and is handed over again), then one of
 * 16 MiB: the file and the digest are those of the bytes written at
 * once. */
START_TEST(test_many_small_puts_and_one_huge_put_are_a_plain_write)
{
	const size_t nsmall = 1000, huge = (size_t)16 << 20;
	const size_t total = nsmall * (nsmall + 1) / 2 + huge;
	char *text = malloc(total), *out = NULL, *buf = NULL;
	size_t nout = 0, cap = 0, off = 0, k;
	FILE *f = open_memstream(&out, &nout);
	sfa_file_digest d = {0, ""};
	sfa_hashwrite *h;
	sfa_err err;

	sfa_err_clear(&err);
	ck_assert_ptr_nonnull(text);
	ck_assert_ptr_nonnull(f);
	/* Every byte value, in no period of a block size: a block out of
	 * place shows. */
	for (k = 0; k < total; k++)
		text[k] = (char)(((unsigned)k * 2654435761u) >> 24);
	ck_assert_int_eq(sfa_hashwrite_new(&h, f, &err), 0);
	for (k = 0; k <= nsmall; k++) {
		put_bytes(h, &buf, &cap, text + off, k);
		off += k;
	}
	put_bytes(h, &buf, &cap, text + off, huge);
	ck_assert_int_eq(sfa_hashwrite_finish(h, &d, &err), 0);
	sfa_hashwrite_free(h);
	free(buf);
	fclose(f);
	expect_written(out, nout, text, total, &d);
	free(text);
	free(out);
}
END_TEST

START_TEST(test_nothing_written_is_the_sha256_of_nothing)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	sfa_file_digest d = {0, ""};
	sfa_hashwrite *h;
	sfa_err err;

	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_hashwrite_new(&h, f, &err), 0);
	ck_assert_int_eq(sfa_hashwrite_finish(h, &d, &err), 0);
	sfa_hashwrite_free(h);
	fclose(f);
	ck_assert_int_eq(d.bytes, 0);
	ck_assert_str_eq(d.sha256, "e3b0c44298fc1c149afbf4c8996fb924"
				   "27ae41e4649b934ca495991b7852b855");
	free(buf);
}
END_TEST

/* /dev/full takes the open and fails every write with ENOSPC. */
START_TEST(test_a_failed_write_is_reported_and_stops_the_writing)
{
	FILE *f = fopen("/dev/full", "wb");
	sfa_file_digest d = {0, ""};
	sfa_hashwrite *h;
	sfa_err err;
	char *buf;
	size_t cap = BUFSIZ * 4;
	int i, rc = 0;

	if (!f)
		return; /* no /dev/full here */
	setvbuf(f, NULL, _IONBF, 0);
	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_hashwrite_new(&h, f, &err), 0);
	/* The failure shows at a later hand-over or at the finish. */
	for (i = 0; i < 3 && rc == 0; i++) {
		buf = calloc(1, cap);
		ck_assert_ptr_nonnull(buf);
		rc = sfa_hashwrite_put(h, &buf, cap, &cap, &err);
		free(buf);
		cap = BUFSIZ * 4;
	}
	if (rc == 0)
		rc = sfa_hashwrite_finish(h, &d, &err);
	ck_assert_int_eq(rc, SFA_EIO);
	ck_assert_msg(strstr(err.msg, "No space left") != NULL, "%s", err.msg);
	ck_assert_int_eq(sfa_hashwrite_finish(h, &d, &err), SFA_EIO);
	sfa_hashwrite_free(h);
	fclose(f);
}
END_TEST

/* A writer given up on (an error elsewhere) is freed with a block still
 * in hand. */
START_TEST(test_free_without_finish_writes_what_it_holds)
{
	char *buf = NULL, *text;
	size_t n = 0, total;
	FILE *f = open_memstream(&buf, &n);
	sfa_hashwrite *h;
	sfa_err err;

	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_hashwrite_new(&h, f, &err), 0);
	put_blocks(h, 8, &text, &total);
	sfa_hashwrite_free(h);
	fclose(f);
	ck_assert_uint_eq(n, total);
	ck_assert_int_eq(memcmp(buf, text, total), 0);
	free(text);
	free(buf);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("report_hashwrite");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(
	    tc, test_blocks_are_written_in_order_with_their_size_and_sha256);
	tcase_add_test(tc,
		       test_many_small_puts_and_one_huge_put_are_a_plain_write);
	tcase_add_test(tc, test_nothing_written_is_the_sha256_of_nothing);
	tcase_add_test(tc,
		       test_a_failed_write_is_reported_and_stops_the_writing);
	tcase_add_test(tc, test_free_without_finish_writes_what_it_holds);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
