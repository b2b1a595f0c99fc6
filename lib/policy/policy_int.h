/*
 * policy_int.h - what the policy module's files share: the parsed policy.
 */
#ifndef SFA_POLICY_INT_H
#define SFA_POLICY_INT_H

#include "policy.h"

struct sfa_policy_rule {
	int enabled;
	sfa_severity severity;
	int days;
};

struct sfa_sod_pair {
	char *name, *a, *b;
	int line; /* in the policy file, 0 for none */
};

struct sfa_policy {
	struct sfa_policy_rule rules[SFA_RULE_COUNT];
	struct sfa_sod_pair *sod;
	size_t nsod;
	char *file; /* the policy file's name, NULL for the defaults */
};

/* The [sod] pair's place in the policy file, for messages. */
const char *sfa_policy_file(const sfa_policy *p);

/* Records the time the findings were measured from (findings.c). */
int sfa_findings_set_as_of(sfa_findings *fs, const char *as_of, sfa_err *err);

#endif
