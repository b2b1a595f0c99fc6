/*
 * fuzz_hr.c - the HR file of `sfaccess check --hr-file` is an export from
 * another system: any bytes may reach sfa_hr_parse().  Every parse either
 * refuses with problems carrying lines, or yields people who each have a
 * key to match by, and a terminated person a valid YYYY-MM-DD date.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"

static int is_date(const char *s)
{
	int i;

	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-'
				     : !isdigit((unsigned char)s[i]))
			return 0;
	return s[10] == '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sfa_hr *hr = NULL;
	sfa_problems probs = {0};
	sfa_err err;
	size_t i;

	sfa_err_clear(&err);
	if (sfa_hr_parse(&hr, (const char *)data, size, "fuzz.csv", &probs,
			 &err)) {
		if (hr || (err.code == SFA_EINPUT && !probs.n))
			abort();
		for (i = 0; i < probs.n; i++)
			if (probs.v[i].line < 1 || !probs.v[i].msg)
				abort();
		sfa_problems_free(&probs);
		return 0;
	}
	for (i = 0; i < sfa_hr_count(hr); i++) {
		const sfa_hr_person *p = sfa_hr_get(hr, i);

		if (!p->email && !p->username && !p->federation_id)
			abort();
		if (p->terminated &&
		    (!p->termination_date || !is_date(p->termination_date)))
			abort();
		if (p->line < 2)
			abort();
	}
	sfa_hr_free(hr);
	return 0;
}
