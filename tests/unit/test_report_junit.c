/*
 * test_report_junit.c - the JUnit writer's documents validate against the
 * strict Ant schema kept in tests/junit-ant.xsd, carry the counts, ids and
 * attributes Jenkins and GitLab read, and keep hostile text well-formed.
 */
#include <check.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_junit.h"

/* Validates xml against the kept schema; returns 0 when valid. */
static int validate(const char *xml)
{
	xmlSchemaParserCtxtPtr pc =
	    xmlSchemaNewParserCtxt(SFA_SOURCE_DIR "/tests/junit-ant.xsd");
	xmlSchemaPtr schema = xmlSchemaParse(pc);
	xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(schema);
	xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "junit.xml", NULL,
				      XML_PARSE_NONET);
	int rc = doc ? xmlSchemaValidateDoc(vc, doc) : -1;

	ck_assert_ptr_nonnull(schema);
	xmlFreeDoc(doc);
	xmlSchemaFreeValidCtxt(vc);
	xmlSchemaFree(schema);
	xmlSchemaFreeParserCtxt(pc);
	return rc;
}

/* Two suites, ended in the opposite order they began, with a pass, a
 * failure with hostile text, an error and a skip. */
static char *write_doc(const char *hostname, const char *timestamp)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	const sfa_junit_prop props[] = {{"snapshot_id", "7"},
					{"content_hash", NULL}};
	const sfa_junit_opts o = {hostname, timestamp, props, 2};
	sfa_junit *j;
	sfa_junit_suite *a, *b;
	sfa_err err;

	sfa_err_clear(&err);
	ck_assert_int_eq(sfa_junit_new(&j, f, &o, &err), 0);
	ck_assert_int_eq(sfa_junit_suite_begin(j, &a, "first", "pkg", &err), 0);
	ck_assert_int_eq(sfa_junit_suite_begin(j, &b, "second", "pkg", &err),
			 0);
	ck_assert_int_eq(
	    sfa_junit_suite_prop(b, "check", "what <b> means", &err), 0);
	ck_assert_int_eq(sfa_junit_pass(a, "pkg.first", "ok case", 0.25, &err),
			 0);
	ck_assert_int_eq(
	    sfa_junit_fail(b, "pkg.second", "<img src=x onerror=alert(1)>", 0.0,
			   "rule-1", "msg \"quoted\" & <tagged>",
			   "line1\nctl\x01\x1b bad\xff ]]> </failure>", &err),
	    0);
	ck_assert_int_eq(sfa_junit_error(b, "pkg.second", "broken", 0.0, NULL,
					 NULL, NULL, &err),
			 0);
	ck_assert_int_eq(
	    sfa_junit_skip(b, "pkg.second", "waived", "approved", &err), 0);
	ck_assert_int_eq(sfa_junit_suite_tests(b), 3);
	ck_assert_int_eq(sfa_junit_suite_end(b, &err), 0);
	ck_assert_int_eq(sfa_junit_suite_end(a, &err), 0);
	ck_assert_int_eq(sfa_junit_finish(j, NULL, NULL, &err), 0);
	fclose(f);
	return buf;
}

START_TEST(test_junit_validates_against_the_strict_ant_schema)
{
	char *xml = write_doc(NULL, "2026-11-27T10:00:00Z");

	ck_assert_int_eq(validate(xml), 0);
	free(xml);
}
END_TEST

START_TEST(test_junit_suites_carry_counts_ids_and_required_parts)
{
	char *xml = write_doc("build-7", NULL);
	const char *second = strstr(xml, "<testsuite name=\"second\"");
	const char *first = strstr(xml, "<testsuite name=\"first\"");

	ck_assert_int_eq(validate(xml), 0);
	ck_assert_ptr_nonnull(strstr(xml, "<testsuites>"));
	/* Ids follow the order suites end: second ended first. */
	ck_assert_ptr_nonnull(second);
	ck_assert_ptr_nonnull(first);
	ck_assert(second < first);
	ck_assert_ptr_nonnull(
	    strstr(second, "package=\"pkg\" id=\"0\" hostname=\"build-7\""));
	ck_assert_ptr_nonnull(strstr(first, "id=\"1\""));
	ck_assert_ptr_nonnull(strstr(second, "tests=\"3\" failures=\"1\" "
					     "errors=\"1\" skipped=\"1\""));
	ck_assert_ptr_nonnull(strstr(first, "tests=\"1\" failures=\"0\" "
					    "errors=\"0\" skipped=\"0\" "
					    "time=\"0.250\""));
	ck_assert_ptr_nonnull(strstr(xml, "<property name=\"content_hash\" "
					  "value=\"\"/>"));
	ck_assert_ptr_nonnull(strstr(
	    xml, "<property name=\"check\" value=\"what &lt;b&gt; means\"/>"));
	ck_assert_ptr_nonnull(strstr(xml, "<system-out/>"));
	ck_assert_ptr_nonnull(strstr(xml, "<system-err/>"));
	ck_assert_ptr_nonnull(strstr(xml, "<error type=\"error\"/>"));
	free(xml);
}
END_TEST

START_TEST(test_junit_timestamp_has_no_zone)
{
	char *xml = write_doc(NULL, "2026-11-27T10:00:00Z");

	ck_assert_ptr_nonnull(strstr(xml, "timestamp=\"2026-11-27T10:00:00\""));
	ck_assert_ptr_nonnull(strstr(xml, "hostname=\"localhost\""));
	free(xml);
}
END_TEST

START_TEST(test_junit_hostile_text_stays_well_formed)
{
	char *xml = write_doc(NULL, NULL);

	ck_assert_ptr_nonnull(
	    strstr(xml, "name=\"&lt;img src=x onerror=alert(1)&gt;\""));
	ck_assert_ptr_nonnull(strstr(
	    xml, "message=\"msg &quot;quoted&quot; &amp; &lt;tagged&gt;\""));
	ck_assert_ptr_nonnull(strstr(xml, "]]&gt; &lt;/failure&gt;"));
	ck_assert_ptr_null(strstr(xml, "\x01"));
	ck_assert_ptr_null(strstr(xml, "\x1b"));
	ck_assert_ptr_null(strstr(xml, "<img"));
	free(xml);
}
END_TEST

START_TEST(test_junit_clean_replaces_what_xml_forbids)
{
	char *s = sfa_junit_clean("a\x01"
				  "b\xff"
				  "c\td\re\nf\xC3\xA9");

	ck_assert_str_eq(s, "a\xEF\xBF\xBD"
			    "b\xEF\xBF\xBD"
			    "c\td\re\nf\xC3\xA9");
	free(s);
	s = sfa_junit_clean(NULL);
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("report_junit");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_junit_validates_against_the_strict_ant_schema);
	tcase_add_test(tc,
		       test_junit_suites_carry_counts_ids_and_required_parts);
	tcase_add_test(tc, test_junit_timestamp_has_no_zone);
	tcase_add_test(tc, test_junit_hostile_text_stays_well_formed);
	tcase_add_test(tc, test_junit_clean_replaces_what_xml_forbids);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
