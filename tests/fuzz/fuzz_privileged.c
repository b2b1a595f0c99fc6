/*
 * fuzz_privileged.c - the [privileged] add and ignore lists of a
 * configuration file (perm_priv.c).  The input is split at its first NUL
 * into `add` and `ignore`.  Every parse either fails naming the key, with
 * the list unchanged, or yields a list every lookup can walk.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "perm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {"ModifyAllData", "ViewAllData",
					    "ApiEnabled", "viewall", "Foo"};
	char *add = malloc(size + 1), *ignore;
	sfa_priv *pv = NULL;
	sfa_err err;
	size_t i;
	int before[5];

	if (!add)
		return 0;
	memcpy(add, data, size);
	add[size] = '\0';
	ignore = add + strlen(add);
	if (ignore < add + size)
		ignore++; /* past the NUL: the rest */
	sfa_err_clear(&err);
	if (sfa_priv_new(&pv, &err))
		abort();
	for (i = 0; i < 5; i++)
		before[i] = sfa_priv_system_tier(pv, names[i]);
	if (sfa_priv_configure(pv, add, ignore, &err)) {
		if (err.code != SFA_EINPUT || strncmp(err.where, "[privileged]", 12))
			abort();
		for (i = 0; i < 5; i++) /* a refusal changes nothing */
			if (sfa_priv_system_tier(pv, names[i]) != before[i])
				abort();
	}
	for (i = 0; i < 5; i++) {
		int t = sfa_priv_system_tier(pv, names[i]);

		if (t < -1 || t > 9 || sfa_priv_object_tier(pv, names[i]) > 9)
			abort();
	}
	sfa_priv_free(pv);
	free(add);
	return 0;
}
