/*
 * config.h - the INI configuration file (product.md: --config, sections
 * [connection], [sync], [license_profiles]).  Values are looked up by
 * section and key; command-line options and the environment win over it.
 */
#ifndef SFA_CONFIG_H
#define SFA_CONFIG_H

#include "err.h"

typedef struct sfa_config sfa_config;

/* Parses path.  Syntax: `[section]`, `key = value`, comments starting
 * with `#` or `;`, blank lines; keys and values are trimmed; a value may
 * be double-quoted to keep spaces.  Any other line is SFA_EINPUT with
 * err->where = "path:line".  *out is freed with sfa_config_free(). */
int sfa_config_load(sfa_config **out, const char *path, sfa_err *err);

/* Parses an in-memory text the same way; name is used in err->where. */
int sfa_config_parse(sfa_config **out, const char *text, size_t len,
		     const char *name, sfa_err *err);

void sfa_config_free(sfa_config *cfg);

/* The value of key in section, or NULL.  Borrowed from cfg. */
const char *sfa_config_get(const sfa_config *cfg, const char *section,
			   const char *key);

/* Calls fn for every key of section in file order; stops and returns the
 * first non-zero value fn returns. */
int sfa_config_each(const sfa_config *cfg, const char *section,
		    int (*fn)(void *ud, const char *key, const char *value),
		    void *ud);

/* Parses "true/false/yes/no/on/off/1/0" (case-insensitive) into *out;
 * returns 0, or -1 when s is none of them. */
int sfa_config_bool(const char *s, int *out);

#endif
