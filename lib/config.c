/*
 * config.c - a small INI reader.  Entries are kept in file order in one
 * array: configuration files are short, and file order is what a user
 * expects when a section (like [license_profiles]) is listed back.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"

/* A configuration file larger than this is not a configuration file. */
#define SFA_CONFIG_MAX_BYTES ((size_t)1024 * 1024)

typedef struct entry {
	char *section, *key, *value;
} entry;

struct sfa_config {
	entry *v;
	size_t n, cap;
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
	free(cfg);
}

static char *trim(char *s, char *end)
{
	while (s < end && isspace((unsigned char)*s))
		s++;
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	*end = '\0';
	return s;
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
	       const char *value)
{
	entry *e;

	if (cfg->n == cfg->cap) {
		size_t cap = cfg->cap ? cfg->cap * 2 : 16;
		entry *v = realloc(cfg->v, cap * sizeof(*v));

		if (!v)
			return SFA_ENOMEM;
		cfg->v = v;
		cfg->cap = cap;
	}
	e = &cfg->v[cfg->n];
	e->section = strdup(section);
	e->key = strdup(key);
	e->value = strdup(value);
	if (!e->section || !e->key || !e->value) {
		free(e->section);
		free(e->key);
		free(e->value);
		return SFA_ENOMEM;
	}
	cfg->n++;
	return 0;
}

/* Parses one line of len bytes (no newline, no NUL inside). */
static int parse_line(sfa_config *cfg, char *line, size_t len, char **section,
		      const char *name, int lineno, sfa_err *err)
{
	char *s = trim(line, line + len), *eq, *key, *val;
	size_t n;

	if (*s == '\0' || *s == '#' || *s == ';')
		return 0;
	if (*s == '[') {
		n = strlen(s);
		if (s[n - 1] != ']' || n < 3) {
			sfa_err_where(err, "%s:%d", name, lineno);
			return sfa_err_set(err, SFA_EINPUT,
					   "%s:%d: malformed section header",
					   name, lineno);
		}
		free(*section);
		*section = dup_n(s + 1, n - 2);
		if (!*section)
			return sfa_err_set(err, SFA_ENOMEM, "out of memory");
		trim(*section, *section + strlen(*section));
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
	key = trim(s, eq);
	val = trim(eq + 1, eq + 1 + strlen(eq + 1));
	n = strlen(val);
	if (n >= 2 && val[0] == '"' && val[n - 1] == '"') {
		val[n - 1] = '\0';
		val++;
	}
	if (add(cfg, *section, key, val))
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
	if (!cfg)
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
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
	FILE *f = fopen(path, "rb");
	sfa_buf b = {0};
	char chunk[8192];
	size_t n;
	int rc;

	*out = NULL;
	if (!f) {
		sfa_err_where(err, "%s", path);
		return sfa_err_set(err, SFA_EINPUT,
				   "cannot read configuration %s: %s", path,
				   strerror(errno));
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b.len + n > SFA_CONFIG_MAX_BYTES ||
		    sfa_buf_append(&b, chunk, n)) {
			fclose(f);
			sfa_buf_free(&b);
			sfa_err_where(err, "%s", path);
			return sfa_err_set(err, SFA_EINPUT,
					   "configuration %s is too large",
					   path);
		}
	}
	fclose(f);
	rc = sfa_config_parse(out, b.data ? b.data : "", b.len, path, err);
	sfa_buf_free(&b);
	return rc;
}

const char *sfa_config_get(const sfa_config *cfg, const char *section,
			   const char *key)
{
	const char *found = NULL;
	size_t i;

	if (!cfg)
		return NULL;
	/* The last assignment wins, as in most INI readers. */
	for (i = 0; i < cfg->n; i++)
		if (strcmp(cfg->v[i].section, section) == 0 &&
		    strcmp(cfg->v[i].key, key) == 0)
			found = cfg->v[i].value;
	return found;
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
		if (strcmp(cfg->v[i].section, section) == 0 &&
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
