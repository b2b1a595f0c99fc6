/*
 * config.h - the INI configuration file (lib/README.md: --config, sections
 * [connection], [sync], [license_profiles]).  Values are looked up by
 * section and key; command-line options and the environment win over it.
 */
#ifndef SFA_CONFIG_H
#define SFA_CONFIG_H

#include "err.h"

typedef struct sfa_config sfa_config;

/* Parses path.  Syntax: `[section]`, `key = value`, blank lines, and
 * comments (ini_line.h): a line whose first non-blank character is `#`
 * or `;`, and the rest of a line from a `#` or `;` that follows
 * whitespace (`domain = acme.my.salesforce.com ; production`) or a
 * section header (`[review]  # quarterly`).  A `#` or `;` glued to a
 * value (`abc#def`) or inside double quotes is part of the value.
 * Keys and values are trimmed; a value in double quotes keeps its
 * spaces and must end at its closing quote (a comment may follow).  Any
 * other line is SFA_EINPUT with err->where = "path:line".  The file is
 * not checked against the known keys: see sfa_config_check().  *out is
 * freed with sfa_config_free(). */
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

/* The line of the assignment sfa_config_get() returns, or 0. */
int sfa_config_line(const sfa_config *cfg, const char *section,
		    const char *key);

/* The file name given to sfa_config_load()/_parse(); borrowed. */
const char *sfa_config_name(const sfa_config *cfg);

/* ---- the keys a configuration may hold ---- */

typedef enum {
	SFA_CONFIG_STRING, /* any text */
	SFA_CONFIG_BOOL,   /* sfa_config_bool() words */
	SFA_CONFIG_COUNT   /* a whole number >= 0 */
} sfa_config_type;

/* One key of a section.  Tables end with {NULL, 0}. */
typedef struct sfa_config_key {
	const char *name;
	sfa_config_type type;
} sfa_config_key;

/* A section and its keys.  keys == NULL makes the section free-form: any
 * key is accepted (a name the user chooses, like a license name in
 * [license_profiles]) and every value must be of free_type.  Tables end
 * with {NULL, NULL, 0}. */
typedef struct sfa_config_section {
	const char *name;
	const sfa_config_key *keys;
	sfa_config_type free_type;
} sfa_config_section;

#define SFA_CONFIG_FREE_FORM(name, type) {(name), NULL, (type)}

/* Every section and key sfaccess reads (config_keys.c).  A feature that
 * reads a new key adds one line to its section's table there; a new
 * section is one table plus one line here. */
extern const sfa_config_section sfa_config_sections[];

/* Checks every assignment of cfg against sections: an unknown section or
 * key, or a value of the wrong type, is SFA_EINPUT with err->where =
 * "file:line" and the closest known name suggested ("did you mean"). */
int sfa_config_check(const sfa_config *cfg, const sfa_config_section *sections,
		     sfa_err *err);

/* Parses "true/false/yes/no/on/off/1/0" (case-insensitive) into *out;
 * returns 0, or -1 when s is none of them. */
int sfa_config_bool(const char *s, int *out);

#endif
