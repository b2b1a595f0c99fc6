/*
 * test_report_hashwrite.c - the report file writer hands blocks to its
 * threads and gets buffers back, writes every byte in order, gives the
 * size and SHA-256 of all of them, and reports a failed write instead of
 * losing it; a file on disk gets the same bytes written past the page
 * cache (O_DIRECT, in whole aligned pieces and a tail), and through it
 * when the file does not start at an aligned offset or its file system
 * refuses.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* Reads the file at path whole; *n gets its size. */
static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *b;
	long len;

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	ck_assert_int_ge(len, 0);
	rewind(f);
	b = malloc((size_t)len + 1);
	ck_assert_ptr_nonnull(b);
	ck_assert_uint_eq(fread(b, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	*n = (size_t)len;
	return b;
}

/* Writes a header of head bytes with stdio, then through h 9 MiB and 1
 * byte in blocks of 1 MiB + 1 (more than two stages of 4 MiB, ending in
 * a tail that is no multiple of 4096), to a file in dir; the file is the
 * header and the bytes, and d those bytes' size and SHA-256.  With
 * finish 0, h is freed without finishing: every byte is written all the
 * same. */
static void write_file(const char *dir, size_t head, int finish)
{
	const size_t total = ((size_t)9 << 20) + 1,
		     block = ((size_t)1 << 20) + 1;
	char path[256], *text = malloc(total), *buf = NULL, *out;
	size_t cap = 0, off, k, nout;
	sfa_file_digest d = {0, ""};
	sfa_hashwrite *h;
	sfa_err err;
	FILE *f;

	sfa_err_clear(&err);
	snprintf(path, sizeof(path), "%s/hashwrite-%d-%zu.out", dir,
		 (int)getpid(), head);
	ck_assert_ptr_nonnull(text);
	ck_assert_ptr_nonnull(f = fopen(path, "wb"));
	for (k = 0; k < head; k++)
		ck_assert_int_ne(fputc('h', f), EOF);
	for (k = 0; k < total; k++)
		text[k] = (char)(((unsigned)k * 2654435761u) >> 24);
	ck_assert_int_eq(sfa_hashwrite_new(&h, f, &err), 0);
	for (off = 0; off < total; off += block)
		put_bytes(h, &buf, &cap, text + off,
			  total - off < block ? total - off : block);
	if (finish)
		ck_assert_int_eq(sfa_hashwrite_finish(h, &d, &err), 0);
	sfa_hashwrite_free(h);
	ck_assert_int_eq(fclose(f), 0);
	out = slurp(path, &nout);
	ck_assert_uint_eq(nout, head + total);
	for (k = 0; k < head; k++)
		ck_assert_int_eq(out[k], 'h');
	if (finish)
		expect_written(out + head, nout - head, text, total, &d);
	else
		ck_assert_int_eq(memcmp(out + head, text, total), 0);
	unlink(path);
	free(out);
	free(text);
	free(buf);
}

START_TEST(test_a_file_on_disk_gets_every_byte_past_the_page_cache)
{
	write_file(".", 0, 1);
	write_file(".", 0, 0);
}
END_TEST

START_TEST(test_an_unaligned_start_or_a_file_system_without_it_write_through_it)
{
	write_file(".", 100, 1);
	/* tmpfs takes no O_DIRECT on many kernels */
	if (access("/dev/shm", W_OK) == 0)
		write_file("/dev/shm", 0, 1);
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
	tcase_add_test(tc,
		       test_a_file_on_disk_gets_every_byte_past_the_page_cache);
	tcase_add_test(
	    tc,
	    test_an_unaligned_start_or_a_file_system_without_it_write_through_it);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
