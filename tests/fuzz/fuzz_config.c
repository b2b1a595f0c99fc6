/*
 * fuzz_config.c - the INI parser reads a file an admin wrote (or one a
 * hostile repository ships as ./sfaccess.conf).  Every parse either fails
 * with a located message or yields sections whose keys and values are
 * C strings that every lookup can walk; the check against the known keys
 * either passes or names file:line.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

static int walk(void *ud, const char *key, const char *value)
{
	size_t *total = ud;

	/* Touch every byte so ASan sees a bad pointer or length. */
	*total += strlen(key) + strlen(value);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const sections[] = {"connection", "sync",
					       "license_profiles", ""};
	sfa_config *cfg = NULL;
	sfa_err err;
	size_t total = 0, i;
	int b;

	sfa_err_clear(&err);
	if (sfa_config_parse(&cfg, (const char *)data, size, "fuzz.conf",
			     &err)) {
		if (cfg || err.msg[0] == '\0' || strncmp(err.where, "fuzz.conf", 9))
			abort(); /* a refusal names the file (and line) */
		return 0;
	}
	for (i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
		const char *v = sfa_config_get(cfg, sections[i], "domain");

		if (v)
			(void)sfa_config_bool(v, &b);
		sfa_config_each(cfg, sections[i], walk, &total);
		(void)sfa_config_line(cfg, sections[i], "domain");
	}
	sfa_err_clear(&err);
	/* Checking against the known keys either passes or names the line. */
	if (sfa_config_check(cfg, sfa_config_sections, &err) &&
	    (err.msg[0] == '\0' || strncmp(err.where, "fuzz.conf:", 10)))
		abort();
	sfa_config_free(cfg);
	return 0;
}
