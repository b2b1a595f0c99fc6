/*
 * report_evidence.h - a snapshot's evidence (store_evidence.h: provenance,
 * control totals, drift, population reconciliation) in the reports:
 * JSON members, an HTML section, JUnit properties.  EVIDENCE.md.
 */
#ifndef SFA_REPORT_EVIDENCE_H
#define SFA_REPORT_EVIDENCE_H

#include <jansson.h>
#include <stdio.h>

#include "err.h"
#include "report_html.h"
#include "report_junit.h"

/* The four members in EVIDENCE.md's order. */
extern const char *const sfa_evidence_keys[4];

/* Writes ev's four members to f as `,\n  "KEY": VALUE` each (compact
 * values), for a JSON report that writes its object by hand. */
int sfa_report_evidence_json(FILE *f, const json_t *ev, sfa_err *err);

/* Writes the evidence section of an HTML page: provenance, control
 * totals, drift and the reconciliation table.  After the figures and
 * charts, before sfa_html_end(). */
int sfa_html_evidence(sfa_html *w, const json_t *ev, sfa_err *err);

/* Properties for a JUnit document: base then one "provenance.KEY" per
 * member of ev's provenance.  Strings are borrowed from base and ev, so
 * both must outlive the use of p. */
typedef struct sfa_evidence_props {
	sfa_junit_prop p[40];
	char num[16][32];
	int n;
} sfa_evidence_props;
void sfa_evidence_props_fill(sfa_evidence_props *ep, const sfa_junit_prop *base,
			     int nbase, const json_t *ev);

/* What explains one change of a change report (EVIDENCE.md): the audit
 * entries that mention it (a new JSON array, NULL on ENOMEM), the
 * `sfaccess apply` run that made it (or NULL), and whether it has
 * neither (out_of_band: made outside sfaccess, with no trail). */
typedef struct sfa_change_origin {
	json_t *audit_entries;
	const char *applied_by;
	int out_of_band;
} sfa_change_origin;
struct sfa_change_evidence;
struct sfa_diff_change;
int sfa_change_origin_of(const struct sfa_change_evidence *ce,
			 const struct sfa_diff_change *c,
			 sfa_change_origin *out);

#endif
