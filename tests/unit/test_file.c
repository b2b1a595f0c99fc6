/*
 * test_file.c - reading whole files (file.h): the one error convention,
 * and every refusal of the owner-only rule for files that hold a secret.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file.h"

static char dir[] = "/tmp/sfa-test-file.XXXXXX";

/* dir/name with the given bytes and mode; the path is static. */
static const char *make(const char *name, const char *text, size_t n,
			mode_t mode)
{
	static char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(text, 1, n, f), n);
	fclose(f);
	ck_assert_int_eq(chmod(path, mode), 0);
	return path;
}

static void setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
	strcpy(dir, "/tmp/sfa-test-file.XXXXXX");
}

/* Reads path as a private file and expects code with each of want[] in
 * the message, nothing handed out. */
static void refused(const char *path, int code, const char *const *want)
{
	char *data = (char *)"unset";
	size_t len = 7;
	sfa_err err;

	sfa_err_clear(&err);
	ck_assert_int_eq(
	    sfa_read_private_file(path, "key file", 1024, &data, &len, &err),
	    code);
	ck_assert_ptr_null(data);
	ck_assert_uint_eq(len, 0);
	ck_assert_int_eq(err.code, code);
	ck_assert_str_eq(err.where, path);
	for (; *want; want++)
		ck_assert_msg(strstr(err.msg, *want), "\"%s\" not in \"%s\"",
			      *want, err.msg);
}

START_TEST(test_whole_file_with_a_nul_after_it)
{
	const char *path = make("a.txt", "one\0two", 7, 0644);
	char *data;
	size_t len;
	sfa_err err;

	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_read_file(path, NULL, 7, &data, &len, &err), 0);
	ck_assert_uint_eq(len, 7);
	ck_assert_mem_eq(data, "one\0two", 8);
	free(data);
	path = make("empty", "", 0, 0644);
	ck_assert_int_eq(sfa_read_file(path, NULL, 7, &data, &len, &err), 0);
	ck_assert_uint_eq(len, 0);
	ck_assert_str_eq(data, "");
	free(data);
}
END_TEST

START_TEST(test_large_files_grow_the_buffer)
{
	size_t n = 300 * 1000, len;
	char *text = malloc(n), *data;
	const char *path;
	sfa_err err;

	ck_assert_ptr_nonnull(text);
	for (size_t i = 0; i < n; i++)
		text[i] = (char)('a' + i % 26);
	path = make("big", text, n, 0644);
	sfa_err_clear(&err);
	ck_assert_int_eq(
	    sfa_read_file(path, NULL, SFA_FILE_ANY_SIZE, &data, &len, &err), 0);
	ck_assert_uint_eq(len, n);
	ck_assert_mem_eq(data, text, n);
	free(data);
	free(text);
}
END_TEST

START_TEST(test_errors_name_the_file_and_the_problem)
{
	char missing[512], *data;
	const char *path = make("long", "12345678", 8, 0644);
	size_t len;
	sfa_err err;

	sfa_err_clear(&err);
	ck_assert_int_eq(
	    sfa_read_file(path, "configuration", 7, &data, &len, &err),
	    SFA_EINPUT);
	ck_assert_ptr_null(data);
	ck_assert_ptr_nonnull(strstr(err.msg, "configuration "));
	ck_assert_ptr_nonnull(strstr(err.msg, path));
	ck_assert_ptr_nonnull(strstr(err.msg, "larger than 7 bytes"));
	snprintf(missing, sizeof(missing), "%s/none", dir);
	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_read_file(missing, NULL, 7, &data, &len, &err),
			 SFA_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(err.msg, "cannot open"));
	ck_assert_ptr_nonnull(strstr(err.msg, missing));
	ck_assert_str_eq(err.where, missing);
	/* A directory opens, and reading it fails. */
	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_read_file(dir, NULL, 7, &data, &len, &err),
			 SFA_EIO);
	ck_assert_ptr_nonnull(strstr(err.msg, "cannot read"));
}
END_TEST

START_TEST(test_private_file_of_its_owner_alone_is_read)
{
	const char *path = make("key", "secret\n", 7, 0600);
	char *data;
	size_t len;
	sfa_err err;

	sfa_err_clear(&err);
	ck_assert_int_eq(
	    sfa_read_private_file(path, "key file", 7, &data, &len, &err), 0);
	ck_assert_str_eq(data, "secret\n");
	free(data);
	ck_assert_int_eq(chmod(path, 0400), 0);
	ck_assert_int_eq(
	    sfa_read_private_file(path, "key file", 7, &data, &len, &err), 0);
	ck_assert_uint_eq(len, 7);
	free(data);
}
END_TEST

START_TEST(test_private_file_open_to_group_or_others_is_refused)
{
	static const mode_t modes[] = {0640, 0604, 0620, 0602, 0610,
				       0601, 0660, 0644, 0666, 0777};
	const char *const want[] = {"key file ", "open to group or others",
				    "chmod 600", NULL};

	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		const char *path = make("key", "secret", 6, modes[i]);
		char mode[16];
		const char *const with_mode[] = {mode, NULL};

		snprintf(mode, sizeof(mode), "(mode %03o)", (unsigned)modes[i]);
		refused(path, SFA_EINPUT, want);
		refused(path, SFA_EINPUT, with_mode);
	}
}
END_TEST

START_TEST(test_private_file_behind_a_link_is_refused)
{
	const char *target = make("key", "secret", 6, 0600);
	const char *const want[] = {"symbolic link", NULL};
	char link[512];

	snprintf(link, sizeof(link), "%s/link", dir);
	ck_assert_int_eq(symlink(target, link), 0);
	refused(link, SFA_EINPUT, want);
}
END_TEST

START_TEST(test_private_file_that_is_not_regular_is_refused)
{
	const char *const want[] = {"not a regular file", NULL};
	char fifo[512];

	refused(dir, SFA_EINPUT, want);
	/* A FIFO is refused, not waited on. */
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	refused(fifo, SFA_EINPUT, want);
}
END_TEST

START_TEST(test_private_file_missing_or_too_large_is_refused)
{
	const char *const missing_want[] = {"cannot open key file", NULL};
	const char *const large_want[] = {"larger than 1024 bytes", NULL};
	char missing[512], big[2000];

	snprintf(missing, sizeof(missing), "%s/none", dir);
	refused(missing, SFA_ENOTFOUND, missing_want);
	memset(big, 'k', sizeof(big));
	refused(make("big", big, 1025, 0600), SFA_EINPUT, large_want);
	refused(make("big", big, sizeof(big), 0600), SFA_EINPUT, large_want);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("file");
	TCase *tc = tcase_create("file");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_whole_file_with_a_nul_after_it);
	tcase_add_test(tc, test_large_files_grow_the_buffer);
	tcase_add_test(tc, test_errors_name_the_file_and_the_problem);
	tcase_add_test(tc, test_private_file_of_its_owner_alone_is_read);
	tcase_add_test(tc,
		       test_private_file_open_to_group_or_others_is_refused);
	tcase_add_test(tc, test_private_file_behind_a_link_is_refused);
	tcase_add_test(tc, test_private_file_that_is_not_regular_is_refused);
	tcase_add_test(tc, test_private_file_missing_or_too_large_is_refused);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
