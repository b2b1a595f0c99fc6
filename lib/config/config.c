/*
 * config.c - a small INI reader.  Entries are kept in file order in one
 * array: configuration files are short, and file order is what a user
 * expects when a section (like [license_profiles]) is listed back.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "file.h"
#include "grow.h"
#include "ini_line.h"
#include "suggest.h"

/* A configuration file larger than this is not a configuration file. */
#define SFA_CONFIG_MAX_BYTES ((size_t)1024 * 1024)

/* A section header is kept as an entry without key and value, so that
 * sfa_config_check() can name its line even when the section is empty. */
typedef struct entry {
	char *section, *key, *value;
	int line;
} entry;

struct sfa_config {
	entry *v;
	size_t n, cap;
	char *name;
};

void sfa_config_free(sfa_config *cfg)
{
	size_t i;

	if (!cfg)
		return;
	for (i = 0; i < cfg->n; i++) {
		free(cfg->v[i].section);
		free(cfg->v[i].key);
		free(cfg->v[i].value);
	}
	free(cfg->v);
	free(cfg->name);
	free(cfg);
}

static char *dup_n(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

static int add(sfa_config *cfg, const char *section, const char *key,
	       const char *value, int line)
{
	entry *e;

	if (SFA_GROW(cfg->v, cfg->cap, cfg->n + 1))
		return SFA_ENOMEM;
	e = &cfg->v[cfg->n];
	e->section = strdup(section);
	e->key = key ? strdup(key) : NULL;
	e->value = value ? strdup(value) : NULL;
	e->line = line;
	if (!e->section || (key && !e->key) || (value && !e->value)) {
		free(e->section);
		free(e->key);
		free(e->value);
		return SFA_ENOMEM;
	}
	cfg->n++;
	return 0;
}

/* Cuts the value after `=` in place: a quoted value ends at its closing
 * quote, an unquoted one at a comment (config.h).  *val is set to the
 * value. */
static int parse_value(char **val, const char *name, int lineno,
		       sfa_err *err)
{
	char *v = *val, *p, *end;

	while (isspace((unsigned char)*v))
		v++;
	if (*v == '"') {
		end = strchr(v + 1, '"');
		if (!end) {
			sfa_err_where(err, "%s:%d", name, lineno);
			return sfa_err_set(err, SFA_EINPUT,
					   "%s:%d: the value has no closing "
					   "quote",
					   name, lineno);
		}
		for (p = end + 1; isspace((unsigned char)*p); p++)
			;
		if (*p && !sfa_ini_comment_at(p, end + 1)) {
			sfa_err_where(err, "%s:%d", name, lineno);
			return sfa_err_set(err, SFA_EINPUT,
					   "%s:%d: text after the closing quote "
					   "(a comment starts with # or ;)",
					   name, lineno);
		}
		*end = '\0';
		*val = v + 1;
		return 0;
	}
	*val = sfa_ini_uncomment(v);
	return 0;
}

/* Parses one line of len bytes (no newline, no NUL inside). */
static int parse_line(sfa_config *cfg, char *line, size_t len, char **section,
		      const char *name, int lineno, sfa_err *err)
{
	char *s = sfa_ini_trim(line, line + len), *eq, *key, *val;

	if (*s == '\0' || *s == '#' || *s == ';')
		return 0;
	if (*s == '[') {
		char *header;

		if (sfa_ini_section(s, &header)) {
			sfa_err_where(err, "%s:%d", name, lineno);
			return sfa_err_set(err, SFA_EINPUT,
					   "%s:%d: malformed section header "
					   "(expected `[name]`, a comment may "
					   "follow)",
					   name, lineno);
		}
		free(*section);
		if (!(*section = strdup(header)))
			return sfa_err_set(err, SFA_ENOMEM, "out of memory");
		if (add(cfg, *section, NULL, NULL, lineno))
			return sfa_err_set(err, SFA_ENOMEM, "out of memory");
		return 0;
	}
	eq = strchr(s, '=');
	if (!eq || eq == s) {
		sfa_err_where(err, "%s:%d", name, lineno);
		return sfa_err_set(err, SFA_EINPUT,
				   "%s:%d: expected `key = value`", name,
				   lineno);
	}
	if (!*section) {
		sfa_err_where(err, "%s:%d", name, lineno);
		return sfa_err_set(err, SFA_EINPUT,
				   "%s:%d: `key = value` before any [section]",
				   name, lineno);
	}
	key = sfa_ini_trim(s, eq);
	val = eq + 1;
	if (parse_value(&val, name, lineno, err))
		return err->code;
	if (add(cfg, *section, key, val, lineno))
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	return 0;
}

int sfa_config_parse(sfa_config **out, const char *text, size_t len,
		     const char *name, sfa_err *err)
{
	sfa_config *cfg = calloc(1, sizeof(*cfg));
	char *section = NULL, *line;
	size_t i = 0;
	int lineno = 0, rc = 0;

	*out = NULL;
	if (!cfg || !(cfg->name = strdup(name))) {
		free(cfg);
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	}
	while (i < len && rc == 0) {
		size_t j = i;

		while (j < len && text[j] != '\n')
			j++;
		lineno++;
		if (memchr(text + i, '\0', j - i)) {
			sfa_err_where(err, "%s:%d", name, lineno);
			rc = sfa_err_set(err, SFA_EINPUT,
					 "%s:%d: NUL byte in configuration",
					 name, lineno);
			break;
		}
		line = dup_n(text + i, j - i);
		if (!line) {
			rc = sfa_err_set(err, SFA_ENOMEM, "out of memory");
			break;
		}
		rc = parse_line(cfg, line, j - i, &section, name, lineno, err);
		free(line);
		i = j + 1;
	}
	free(section);
	if (rc) {
		sfa_config_free(cfg);
		return rc;
	}
	*out = cfg;
	return 0;
}

int sfa_config_load(sfa_config **out, const char *path, sfa_err *err)
{
	char *text;
	size_t len;
	int rc;

	*out = NULL;
	if ((rc = sfa_read_file(path, "configuration", SFA_CONFIG_MAX_BYTES,
				&text, &len, err)))
		return rc;
	rc = sfa_config_parse(out, text, len, path, err);
	free(text);
	return rc;
}

static const entry *find_last(const sfa_config *cfg, const char *section,
			      const char *key)
{
	const entry *found = NULL;
	size_t i;

	if (!cfg)
		return NULL;
	/* The last assignment wins, as in most INI readers. */
	for (i = 0; i < cfg->n; i++)
		if (cfg->v[i].key && strcmp(cfg->v[i].section, section) == 0 &&
		    strcmp(cfg->v[i].key, key) == 0)
			found = &cfg->v[i];
	return found;
}

const char *sfa_config_get(const sfa_config *cfg, const char *section,
			   const char *key)
{
	const entry *e = find_last(cfg, section, key);

	return e ? e->value : NULL;
}

int sfa_config_line(const sfa_config *cfg, const char *section,
		    const char *key)
{
	const entry *e = find_last(cfg, section, key);

	return e ? e->line : 0;
}

const char *sfa_config_name(const sfa_config *cfg)
{
	return cfg ? cfg->name : NULL;
}

int sfa_config_each(const sfa_config *cfg, const char *section,
		    int (*fn)(void *ud, const char *key, const char *value),
		    void *ud)
{
	size_t i;
	int rc;

	if (!cfg)
		return 0;
	for (i = 0; i < cfg->n; i++)
		if (cfg->v[i].key && strcmp(cfg->v[i].section, section) == 0 &&
		    (rc = fn(ud, cfg->v[i].key, cfg->v[i].value)) != 0)
			return rc;
	return 0;
}

int sfa_config_bool(const char *s, int *out)
{
	static const char *const yes[] = {"true", "yes", "on", "1"};
	static const char *const no[] = {"false", "no", "off", "0"};
	size_t i;

	for (i = 0; i < 4; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return -1;
}

static const sfa_config_section *section_of(const sfa_config_section *sections,
					    const char *name)
{
	for (; sections->name; sections++)
		if (strcmp(sections->name, name) == 0)
			return sections;
	return NULL;
}

static int unknown_section(const sfa_config *cfg, const entry *e,
			   const sfa_config_section *sections, sfa_err *err)
{
	sfa_suggest sg;
	const char *guess;

	sfa_suggest_init(&sg, e->section);
	for (; sections->name; sections++)
		sfa_suggest_offer(&sg, sections->name);
	guess = sg.best;
	sfa_err_where(err, "%s:%d", cfg->name, e->line);
	if (guess)
		return sfa_err_set(err, SFA_EINPUT,
				   "%s:%d: unknown section [%s]; did you mean "
				   "[%s]?",
				   cfg->name, e->line, e->section, guess);
	return sfa_err_set(err, SFA_EINPUT, "%s:%d: unknown section [%s]",
			   cfg->name, e->line, e->section);
}

static int unknown_key(const sfa_config *cfg, const entry *e,
		       const sfa_config_section *sec,
		       const sfa_config_section *sections, sfa_err *err)
{
	const sfa_config_key *k;
	sfa_suggest sg;

	sfa_err_where(err, "%s:%d", cfg->name, e->line);
	for (; sections->name; sections++)
		for (k = sections->keys; sections != sec && k && k->name; k++)
			if (strcmp(k->name, e->key) == 0)
				return sfa_err_set(
				    err, SFA_EINPUT,
				    "%s:%d: unknown key `%s` in [%s]; `%s` "
				    "belongs in [%s]",
				    cfg->name, e->line, e->key, e->section,
				    e->key, sections->name);
	sfa_suggest_init(&sg, e->key);
	for (k = sec->keys; k->name; k++)
		sfa_suggest_offer(&sg, k->name);
	if (sg.best)
		return sfa_err_set(err, SFA_EINPUT,
				   "%s:%d: unknown key `%s` in [%s]; did you "
				   "mean `%s`?",
				   cfg->name, e->line, e->key, e->section,
				   sg.best);
	return sfa_err_set(err, SFA_EINPUT, "%s:%d: unknown key `%s` in [%s]",
			   cfg->name, e->line, e->key, e->section);
}

static int check_type(const sfa_config *cfg, const entry *e,
		      sfa_config_type type, sfa_err *err)
{
	const char *s = e->value;
	int b;

	if (type == SFA_CONFIG_BOOL && sfa_config_bool(s, &b) != 0) {
		sfa_err_where(err, "%s:%d", cfg->name, e->line);
		return sfa_err_set(err, SFA_EINPUT,
				   "%s:%d: [%s] %s: `%s` is not true or false",
				   cfg->name, e->line, e->section, e->key, s);
	}
	if (type == SFA_CONFIG_COUNT &&
	    (*s == '\0' || strspn(s, "0123456789") != strlen(s) ||
	     strlen(s) > 12)) {
		sfa_err_where(err, "%s:%d", cfg->name, e->line);
		return sfa_err_set(err, SFA_EINPUT,
				   "%s:%d: [%s] %s: `%s` is not a whole number",
				   cfg->name, e->line, e->section, e->key, s);
	}
	return 0;
}

int sfa_config_check(const sfa_config *cfg, const sfa_config_section *sections,
		     sfa_err *err)
{
	size_t i;

	for (i = 0; cfg && i < cfg->n; i++) {
		const entry *e = &cfg->v[i];
		const sfa_config_section *sec = section_of(sections, e->section);
		const sfa_config_key *k;
		int rc;

		if (!sec)
			return unknown_section(cfg, e, sections, err);
		if (!e->key)
			continue;
		if (!sec->keys) {
			if ((rc = check_type(cfg, e, sec->free_type, err)))
				return rc;
			continue;
		}
		for (k = sec->keys; k->name; k++)
			if (strcmp(k->name, e->key) == 0)
				break;
		if (!k->name)
			return unknown_key(cfg, e, sec, sections, err);
		if ((rc = check_type(cfg, e, k->type, err)))
			return rc;
	}
	return 0;
}
