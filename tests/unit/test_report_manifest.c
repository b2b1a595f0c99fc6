/*
 * test_report_manifest.c - manifest.json records each file's size and
 * SHA-256, and verification names every modified, missing and extra file;
 * an unreadable or malformed manifest is an error, not a finding.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report_manifest.h"

static char dir[64];

static void put(const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static void setup(void)
{
	sfa_manifest *m;
	sfa_snapinfo si = {0};
	sfa_err err;

	strcpy(dir, "/tmp/sfa-manifest-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	put("a.csv", "abc");
	put("b.html", "<html></html>\n");
	si.id = 3;
	si.org_id = "00D000000000001AAA";
	si.status = "complete";
	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_manifest_new(&m, "access_review", &err), 0);
	ck_assert_int_eq(sfa_manifest_add_snapshot(m, &si, "reviewed", &err),
			 0);
	ck_assert_int_eq(sfa_manifest_add_file(m, dir, "a.csv", 1, &err), 0);
	ck_assert_int_eq(sfa_manifest_add_file(m, dir, "b.html", -1, &err), 0);
	ck_assert_int_eq(sfa_manifest_write(m, dir, &err), 0);
	sfa_manifest_free(m);
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* "status:name " for each file verify reports, in order. */
static char seen[512];

static int record(void *ud, const char *name, sfa_verify_status st,
		  const char *detail)
{
	static const char *const words[] = {"ok", "modified", "missing",
					    "extra"};

	(void)ud;
	(void)detail;
	snprintf(seen + strlen(seen), sizeof(seen) - strlen(seen), "%s:%s ",
		 words[st], name);
	return 0;
}

static int verify(int *nok, int *nbad)
{
	sfa_err err;

	seen[0] = '\0';
	sfa_err_clear(&err);
	return sfa_manifest_verify(dir, record, NULL, nok, nbad, &err);
}

START_TEST(test_sha256_of_abc)
{
	char hex[65], path[128];
	long long bytes;
	sfa_err err;

	snprintf(path, sizeof(path), "%s/a.csv", dir);
	ck_assert_int_eq(sfa_sha256_file(path, hex, &bytes, &err), 0);
	ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223"
			      "b00361a396177a9cb410ff61f20015ad");
	ck_assert_int_eq(bytes, 3);
}
END_TEST

START_TEST(test_sha256_fed_in_pieces_is_the_sha256_of_the_whole)
{
	sfa_sha256 *h;
	char hex[65];
	long long bytes;
	sfa_err err;

	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_sha256_new(&h, &err), 0);
	ck_assert_int_eq(sfa_sha256_update(h, "a", 1, &err), 0);
	ck_assert_int_eq(sfa_sha256_update(h, "", 0, &err), 0);
	ck_assert_int_eq(sfa_sha256_update(h, "bc", 2, &err), 0);
	ck_assert_int_eq(sfa_sha256_final(h, hex, &bytes, &err), 0);
	sfa_sha256_free(h);
	ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223"
			      "b00361a396177a9cb410ff61f20015ad");
	ck_assert_int_eq(bytes, 3);
}
END_TEST

/* A file hashed by its writer is verified like one hashed by reading it
 * back, and a change to it is still found. */
START_TEST(test_verify_checks_a_file_hashed_as_written)
{
	sfa_manifest *m;
	sfa_err err;
	int nok, nbad;

	put("c.csv", "abc");
	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_manifest_new(&m, "access_review", &err), 0);
	ck_assert_int_eq(
	    sfa_manifest_add_hashed(m, "c.csv", 1, 3,
				    "ba7816bf8f01cfea414140de5dae2223"
				    "b00361a396177a9cb410ff61f20015ad",
				    &err),
	    0);
	ck_assert_int_eq(sfa_manifest_add_hashed(m, "../d.csv", 1, 3,
						 "ba7816bf8f01cfea414140de5dae2"
						 "223b00361a396177a9cb410ff61f2"
						 "0015ad",
						 &err),
			 SFA_EINTERNAL);
	ck_assert_int_eq(sfa_manifest_add_hashed(m, "d.csv", 1, 3, "", &err),
			 SFA_EINTERNAL);
	ck_assert_int_eq(sfa_manifest_write(m, dir, &err), 0);
	sfa_manifest_free(m);
	put("a.csv", "left out");
	put("b.html", "left out");
	ck_assert_int_eq(verify(&nok, &nbad), 0);
	ck_assert_int_eq(nok, 1);
	ck_assert_str_eq(seen, "ok:c.csv extra:a.csv extra:b.html ");
	put("c.csv", "abd");
	ck_assert_int_eq(verify(&nok, &nbad), 0);
	ck_assert_int_eq(nok, 0);
	ck_assert_str_eq(seen, "modified:c.csv extra:a.csv extra:b.html ");
}
END_TEST

START_TEST(test_verify_passes_untouched_files)
{
	int nok, nbad;

	ck_assert_int_eq(verify(&nok, &nbad), 0);
	ck_assert_int_eq(nok, 2);
	ck_assert_int_eq(nbad, 0);
	ck_assert_str_eq(seen, "ok:a.csv ok:b.html ");
}
END_TEST

START_TEST(test_verify_names_modified_missing_and_extra_files)
{
	char path[128];
	int nok, nbad;

	put("a.csv", "abd"); /* same size, other bytes */
	snprintf(path, sizeof(path), "%s/b.html", dir);
	ck_assert_int_eq(unlink(path), 0);
	put("z.txt", "later");
	put("c.csv", "added");
	ck_assert_int_eq(verify(&nok, &nbad), 0);
	ck_assert_int_eq(nok, 0);
	ck_assert_int_eq(nbad, 4);
	ck_assert_str_eq(
	    seen, "modified:a.csv missing:b.html extra:c.csv extra:z.txt ");
}
END_TEST

START_TEST(test_verify_refuses_a_malformed_manifest)
{
	sfa_err err;
	int nok, nbad;

	put(SFA_MANIFEST_NAME, "{\"files\": [{\"name\": \"../etc/passwd\", "
			       "\"bytes\": 1, \"sha256\": \"00\"}]}");
	sfa_err_clear(&err);
	ck_assert_int_eq(
	    sfa_manifest_verify(dir, record, NULL, &nok, &nbad, &err),
	    SFA_EINPUT);
	put(SFA_MANIFEST_NAME, "{not json");
	ck_assert_int_eq(
	    sfa_manifest_verify(dir, record, NULL, &nok, &nbad, &err),
	    SFA_EINPUT);
	ck_assert_int_eq(sfa_manifest_verify("/nonexistent/sfa", record, NULL,
					     &nok, &nbad, &err),
			 SFA_ENOTFOUND);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("report_manifest");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_sha256_of_abc);
	tcase_add_test(tc,
		       test_sha256_fed_in_pieces_is_the_sha256_of_the_whole);
	tcase_add_test(tc, test_verify_checks_a_file_hashed_as_written);
	tcase_add_test(tc, test_verify_passes_untouched_files);
	tcase_add_test(tc, test_verify_names_modified_missing_and_extra_files);
	tcase_add_test(tc, test_verify_refuses_a_malformed_manifest);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
