/*
 * policy.h - policy checks (POLICY.md): the built-in rules, the INI policy
 * file that tunes them, the HR file of leavers, and the findings that
 * `sfaccess check` prints, writes as CSV/JSON/JUnit/HTML and that
 * `sfaccess plan --findings` turns into a change file.
 *
 * Flow: sfa_policy_parse() and sfa_hr_parse() read the two inputs and
 * name every problem at once (nothing runs on a bad input);
 * sfa_policy_check() evaluates the enabled rules on one snapshot and
 * returns the findings in the spec's order.  Permissions come from the
 * effective permission engine through the one seam of user_perms.h.
 */
#ifndef SFA_POLICY_H
#define SFA_POLICY_H

#include <stddef.h>

#include "changefile.h"
#include "err.h"
#include "store.h"
#include "user_perms.h"

typedef enum sfa_severity {
	SFA_SEV_INFO,
	SFA_SEV_LOW,
	SFA_SEV_MEDIUM,
	SFA_SEV_HIGH,
	SFA_SEV_CRITICAL
} sfa_severity;

/* The built-in rules of POLICY.md's table, in its order. */
typedef enum sfa_rule {
	SFA_RULE_DORMANT_PRIVILEGED,
	SFA_RULE_DORMANT,
	SFA_RULE_SOD,
	SFA_RULE_EXTERNAL_PRIVILEGED,
	SFA_RULE_MFA_WAIVED_PRIVILEGED,
	SFA_RULE_EXPIRED_ASSIGNMENT,
	SFA_RULE_INACTIVE_WITH_ACCESS,
	SFA_RULE_LEAVER,
	SFA_RULE_UNUSED_CONNECTED_APP,
	SFA_RULE_COUNT
} sfa_rule;

/* "dormant-privileged", ...; NULL for a value out of range. */
const char *sfa_rule_name(sfa_rule rule);
/* "info" ... "critical". */
const char *sfa_severity_name(sfa_severity sev);
/* Parses a severity name (case-insensitive); 0, or -1 when unknown. */
int sfa_severity_parse(const char *s, sfa_severity *out);

/* ---- the policy file ----
 * INI: `[rule.NAME]` sections with `enabled`, `severity` and, for the
 * rules that have one, `days`; `[sod]` with `NAME = A + B` pairs.  Every
 * problem is reported (see sfa_problems below), each as "file:line:
 * message". */
typedef struct sfa_policy sfa_policy;

/* Problems are collected in changefile.h's sfa_problems, each with its
 * line, so that every one is named at once. */

/* The built-in defaults of POLICY.md's table. */
int sfa_policy_default(sfa_policy **out, sfa_err *err);
/* Parses text (len bytes; name is used in locations).  On any problem
 * returns SFA_EINPUT, *out NULL, every problem in probs and the first in
 * err.  *out is freed with sfa_policy_free(). */
int sfa_policy_parse(sfa_policy **out, const char *text, size_t len,
		     const char *name, sfa_problems *probs, sfa_err *err);
/* sfa_policy_parse() of a file (SFA_EIO / SFA_ENOTFOUND when unreadable). */
int sfa_policy_load(sfa_policy **out, const char *path, sfa_problems *probs,
		    sfa_err *err);
void sfa_policy_free(sfa_policy *p);

int sfa_policy_enabled(const sfa_policy *p, sfa_rule rule);
sfa_severity sfa_policy_severity(const sfa_policy *p, sfa_rule rule);
/* The rule's `days`, 0 for a rule without one. */
int sfa_policy_days(const sfa_policy *p, sfa_rule rule);
/* The [sod] pairs, in file order. */
size_t sfa_policy_sod_count(const sfa_policy *p);
void sfa_policy_sod_get(const sfa_policy *p, size_t i, const char **name,
			const char **a, const char **b);

/* ---- the HR file (POLICY.md "HR file") ---- */
typedef struct sfa_hr sfa_hr;

typedef struct sfa_hr_person {
	const char *email, *username, *federation_id; /* NULL when absent */
	int terminated;
	const char *termination_date; /* YYYY-MM-DD, NULL when absent */
	int line;		      /* line in the file */
} sfa_hr_person;

/* Parses a CSV with a header; problems as sfa_policy_parse(). */
int sfa_hr_parse(sfa_hr **out, const char *text, size_t len, const char *name,
		 sfa_problems *probs, sfa_err *err);
int sfa_hr_load(sfa_hr **out, const char *path, sfa_problems *probs,
		sfa_err *err);
void sfa_hr_free(sfa_hr *hr);
size_t sfa_hr_count(const sfa_hr *hr);
const sfa_hr_person *sfa_hr_get(const sfa_hr *hr, size_t i);
const char *sfa_hr_name(const sfa_hr *hr);

/* ---- findings ---- */
typedef struct sfa_finding {
	sfa_rule rule;
	sfa_severity severity;
	const char *username, *user_id; /* "" for findings about no user */
	const char *what;		/* permission, container or id; "" */
	const char *via_type, *via_id;	/* "" when not about a grant */
	const char *detail;
} sfa_finding;

typedef struct sfa_findings sfa_findings;

typedef struct sfa_check_opts {
	const sfa_policy *policy; /* NULL: the defaults */
	const sfa_hr *hr;	  /* NULL: no leaver rule */
	/* The privileged list the tiers come from (the configuration's
	 * [privileged]); NULL: the tier table's defaults. */
	const sfa_priv *privileged;
	/* The time rules measure from (UTC ISO 8601); NULL: the snapshot's
	 * capture time, so that a check of an old snapshot is repeatable. */
	const char *as_of;
} sfa_check_opts;

/* Evaluates the enabled rules on snapshot snap.  *out (freed with
 * sfa_findings_free()) holds the findings sorted by rule, username,
 * what, via_type, via_id.  The rules that use permissions
 * (dormant-privileged, external-privileged, mfa-waived-privileged, and
 * sod with a permission side) need a snapshot synced with them: on one
 * without, SFA_EINPUT names those rules and nothing runs. */
int sfa_policy_check(sfa_store *st, long long snap, const sfa_check_opts *o,
		     sfa_findings **out, sfa_err *err);

/* An empty list to fill with sfa_findings_add() (tests, `plan`). */
int sfa_findings_new(sfa_findings **out, sfa_err *err);
/* Adds a copy of f; sfa_findings_sort() restores the spec's order. */
int sfa_findings_add(sfa_findings *fs, const sfa_finding *f, sfa_err *err);
void sfa_findings_sort(sfa_findings *fs);
size_t sfa_findings_count(const sfa_findings *fs);
const sfa_finding *sfa_findings_get(const sfa_findings *fs, size_t i);
/* How many findings are at severity sev or above. */
size_t sfa_findings_at_least(const sfa_findings *fs, sfa_severity sev);
/* The capture time the findings were measured from ("" when unknown). */
const char *sfa_findings_as_of(const sfa_findings *fs);
void sfa_findings_free(sfa_findings *fs);

#endif
