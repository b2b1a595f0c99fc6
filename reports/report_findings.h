/*
 * report_findings.h - the findings of `sfaccess check` (POLICY.md) as CSV,
 * JSON, JUnit XML and an HTML page, each in the findings' order.
 */
#ifndef SFA_REPORT_FINDINGS_H
#define SFA_REPORT_FINDINGS_H

#include <stdio.h>

#include "err.h"
#include "policy.h"

/* The columns of the CSV and the keys of the JSON objects, in order. */
extern const char *const sfa_findings_columns[];
extern const int sfa_findings_ncolumns;

/* CSV with a header row. */
int sfa_report_findings_csv(const sfa_findings *fs, FILE *f, sfa_err *err);
/* A JSON array of objects whose keys are exactly the columns. */
int sfa_report_findings_json(const sfa_findings *fs, FILE *f, sfa_err *err);
/* JUnit: one testsuite per rule whose bit (1u << rule) is set in rules,
 * one failing testcase per finding (named after the user and what), or one
 * passing testcase when the rule found nothing. */
int sfa_report_findings_junit(const sfa_findings *fs, unsigned rules,
			      const char *hostname, FILE *f, sfa_err *err);
/* The HTML page: a card per rule (its count, coloured by its worst
 * severity) and per severity, then the findings table.
 * snapshot names the snapshot in the header. */
int sfa_report_findings_html(const sfa_findings *fs, unsigned rules,
			     long long snapshot, FILE *f, sfa_err *err);

#endif
