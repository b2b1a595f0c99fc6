/*
 * fuzz_policy.c - the policy file of `sfaccess check` comes from a
 * repository (CI), so any bytes may reach sfa_policy_parse().  Every parse
 * either refuses with problems that each carry a line within the input,
 * or yields rules whose settings are in range and [sod] pairs whose three
 * strings are non-empty C strings.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sfa_policy *p = NULL;
	sfa_problems probs = {0};
	sfa_err err;
	size_t i, lines = 1;
	int r;

	sfa_err_clear(&err);
	for (i = 0; i < size; i++)
		lines += data[i] == '\n';
	if (sfa_policy_parse(&p, (const char *)data, size, "fuzz.ini", &probs,
			     &err)) {
		if (p || !probs.n || !err.msg[0])
			abort(); /* a refusal names at least one problem */
		for (i = 0; i < probs.n; i++)
			if (probs.v[i].line < 1 ||
			    (size_t)probs.v[i].line > lines || !probs.v[i].msg)
				abort();
		sfa_problems_free(&probs);
		return 0;
	}
	if (probs.n)
		abort();
	for (r = 0; r < SFA_RULE_COUNT; r++) {
		int days = sfa_policy_days(p, (sfa_rule)r);

		if (sfa_policy_severity(p, (sfa_rule)r) > SFA_SEV_CRITICAL ||
		    days < 0 || days > 36500 ||
		    (sfa_policy_enabled(p, (sfa_rule)r) & ~1))
			abort();
	}
	for (i = 0; i < sfa_policy_sod_count(p); i++) {
		const char *name, *a, *b;

		sfa_policy_sod_get(p, i, &name, &a, &b);
		if (!*name || !*a || !*b || strchr(a, '+') || strchr(b, '+'))
			abort();
	}
	sfa_policy_free(p);
	return 0;
}
