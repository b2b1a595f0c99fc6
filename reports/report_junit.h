/*
 * report_junit.h - JUnit XML through libxml2's xmlTextWriter, valid against
 * the strict Ant schema (tests/junit-ant.xsd) and read by Jenkins and
 * GitLab: <testsuites> (no attributes: the schema allows none) holding
 * <testsuite name package id hostname timestamp tests failures errors
 * skipped time> with <properties>, <testcase>s, <system-out>, <system-err>.
 *
 * A suite's counts are attributes of its start tag but are known only at
 * its end, so each suite's testcases go to a temporary file first and are
 * copied into the document at sfa_junit_suite_end(): memory stays flat
 * however many testcases there are.  Several suites may be open at once;
 * they appear in the order they end.  Used by the access review, the
 * change report and `apply --junit`.
 */
#ifndef SFA_REPORT_JUNIT_H
#define SFA_REPORT_JUNIT_H

#include <stdio.h>

#include "err.h"
#include "store.h"

typedef struct sfa_junit sfa_junit;
typedef struct sfa_junit_suite sfa_junit_suite;

typedef struct sfa_junit_prop {
	const char *name, *value; /* value NULL is written as "" */
} sfa_junit_prop;

typedef struct sfa_junit_opts {
	const char *hostname;  /* NULL: "localhost", as the schema advises */
	const char *timestamp; /* UTC ISO 8601; a trailing Z is dropped (the
				* schema allows no zone); NULL: now */
	const sfa_junit_prop *props; /* written into every suite */
	int nprops;
} sfa_junit_opts;

/* Starts a document on f (borrowed; the caller closes it).  opts and what
 * it points to are copied.  *out is released by sfa_junit_finish() or
 * sfa_junit_free(). */
int sfa_junit_new(sfa_junit **out, FILE *f, const sfa_junit_opts *opts,
		  sfa_err *err);

/* Opens a suite.  name is the suite's name ("privileged-access"), package
 * its package ("sfaccess.access_review"); both are copied. */
int sfa_junit_suite_begin(sfa_junit *j, sfa_junit_suite **out, const char *name,
			  const char *package, sfa_err *err);

/* Adds a property to s only, after the document's (e.g. what the check
 * means); call before sfa_junit_suite_end().  Both strings are copied. */
int sfa_junit_suite_prop(sfa_junit_suite *s, const char *name,
			 const char *value, sfa_err *err);

/* Testcases.  classname and name are required and should be unique
 * together (GitLab keeps only the first of duplicates); seconds is the
 * case's time.  message is one line; text the details (may be NULL). */
int sfa_junit_pass(sfa_junit_suite *s, const char *classname, const char *name,
		   double seconds, sfa_err *err);
int sfa_junit_fail(sfa_junit_suite *s, const char *classname, const char *name,
		   double seconds, const char *type, const char *message,
		   const char *text, sfa_err *err);
int sfa_junit_error(sfa_junit_suite *s, const char *classname, const char *name,
		    double seconds, const char *type, const char *message,
		    const char *text, sfa_err *err);
int sfa_junit_skip(sfa_junit_suite *s, const char *classname, const char *name,
		   const char *message, sfa_err *err);

/* Testcases written to s so far. */
long long sfa_junit_suite_tests(const sfa_junit_suite *s);

/* Closes s, writes it into the document and frees it (whatever the
 * result). */
int sfa_junit_suite_end(sfa_junit_suite *s, sfa_err *err);

/* Ends the document and frees j (whatever the result); *tests and
 * *failures (either may be NULL) get the totals over all suites. */
int sfa_junit_finish(sfa_junit *j, long long *tests, long long *failures,
		     sfa_err *err);

/* Abandons a document (suites still open are freed too). */
void sfa_junit_free(sfa_junit *j);

/* A copy of s (NULL as "") that XML 1.0 accepts: control characters
 * other than tab, CR and LF, and invalid UTF-8, become U+FFFD.  The caller
 * frees it; NULL means out of memory.  Exposed for the unit tests. */
char *sfa_junit_clean(const char *s);

/* ---- the access review ---- */

/* Writes the access review checks of a snapshot as JUnit XML to f: one
 * suite per check of review.h, one failing testcase per finding, one
 * passing testcase for a check without findings.  hostname may be NULL.
 * *findings (may be NULL) gets the number of failing testcases; *tests the
 * number of testcases. */
int sfa_report_access_junit(sfa_store *st, long long snapshot_id,
			    const char *hostname, FILE *f, long long *tests,
			    long long *findings, sfa_err *err);

#endif
