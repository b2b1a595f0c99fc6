/*
 * campaign_report.h - the report of a closed review campaign (REVIEW.md
 * "Close"): every issued row with its decision, reviewer, time and
 * workbook hash (pending rows too), and the refused and self-review rows,
 * as CSV, HTML, JUnit XML and JSON, with a manifest that `sfaccess verify`
 * checks.
 */
#ifndef SFA_CAMPAIGN_REPORT_H
#define SFA_CAMPAIGN_REPORT_H

#include "err.h"
#include "store.h"

/* Writes campaign.csv, campaign-refusals.csv, campaign.html,
 * campaign-junit.xml, campaign.json and manifest.json into dir (which
 * exists); closed_at is the closing time of a campaign not yet marked
 * closed (the report is written before it is).  *files gets the number
 * of report files (manifest excluded). */
int sfa_campaign_report_write(sfa_store *st, long long id, const char *dir,
			      const char *closed_at, int *files, sfa_err *err);

#endif
