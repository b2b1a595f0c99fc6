/*
 * changefile_fields.c - the fields cell of a change-file row,
 * `K=V;K2="v;with=specials"`, parsed into key/value pairs.
 */
#include "changefile.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

void sfa_kv_free(sfa_kv *kv, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(kv[i].key);
		free(kv[i].value);
	}
	free(kv);
}

static char *dup_trim(const char *s, size_t n)
{
	char *out;

	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (!(out = malloc(n + 1)))
		return NULL;
	memcpy(out, s, n);
	out[n] = '\0';
	return out;
}

static int valid_key(const char *k)
{
	if (!isalpha((unsigned char)*k))
		return 0;
	for (; *k; k++)
		if (!isalnum((unsigned char)*k) && *k != '_')
			return 0;
	return 1;
}

/* Reads one value starting at *ps (after `=`) into *out; leaves *ps at the
 * `;` or the end. */
static int read_value(const char **ps, char **out, const char *key,
		      sfa_err *err)
{
	const char *s = *ps;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s != '"') {
		size_t n = strcspn(s, ";");

		if (memchr(s, '=', n) || memchr(s, '"', n))
			return sfa_err_set(err, SFA_EINPUT,
					   "fields: the value of %s holds = "
					   "or \"; put it in double quotes",
					   key);
		*ps = s + n;
		return (*out = dup_trim(s, n)) ? 0 : SFA_ENOMEM;
	}
	{
		char *v = malloc(strlen(s) + 1), *w = v;

		if (!v)
			return SFA_ENOMEM;
		for (s++;; s++) {
			if (!*s) {
				free(v);
				return sfa_err_set(err, SFA_EINPUT,
						   "fields: the quoted value "
						   "of %s is never closed",
						   key);
			}
			if (*s == '"' && s[1] == '"')
				*w++ = *s++;
			else if (*s == '"')
				break;
			else
				*w++ = *s;
		}
		*w = '\0';
		for (s++; *s == ' ' || *s == '\t'; s++)
			;
		if (*s && *s != ';') {
			free(v);
			return sfa_err_set(err, SFA_EINPUT,
					   "fields: `;` expected after the "
					   "quoted value of %s",
					   key);
		}
		*ps = s;
		*out = v;
	}
	return 0;
}

int sfa_fields_parse(const char *s, sfa_kv **kv, size_t *n, sfa_err *err)
{
	sfa_kv *v = NULL;
	size_t cnt = 0, i;
	int rc = 0;

	*kv = NULL;
	*n = 0;
	while (*s) {
		const char *eq;
		size_t klen;
		char *key, *val = NULL;
		sfa_kv *nv;

		if (*s == ';' || *s == ' ' || *s == '\t') {
			s++;
			continue;
		}
		klen = strcspn(s, "=;");
		eq = s + klen;
		if (!(key = dup_trim(s, klen))) {
			rc = SFA_ENOMEM;
			break;
		}
		if (*eq != '=') {
			rc = sfa_err_set(err, SFA_EINPUT,
					 "fields: `%s` is not Key=Value", key);
			free(key);
			break;
		}
		if (!valid_key(key)) {
			rc = sfa_err_set(err, SFA_EINPUT,
					 "fields: `%s` is not a field name",
					 key);
			free(key);
			break;
		}
		for (i = 0; i < cnt; i++)
			if (strcmp(v[i].key, key) == 0)
				break;
		if (i < cnt) {
			rc = sfa_err_set(err, SFA_EINPUT,
					 "fields: %s is given twice", key);
			free(key);
			break;
		}
		s = eq + 1;
		if ((rc = read_value(&s, &val, key, err))) {
			if (rc == SFA_ENOMEM)
				sfa_err_set(err, rc, "out of memory");
			free(key);
			break;
		}
		if (!(nv = realloc(v, (cnt + 1) * sizeof(*v)))) {
			free(key);
			free(val);
			rc = sfa_err_set(err, SFA_ENOMEM, "out of memory");
			break;
		}
		v = nv;
		v[cnt].key = key;
		v[cnt++].value = val;
	}
	if (rc) {
		sfa_kv_free(v, cnt);
		return rc;
	}
	*kv = v;
	*n = cnt;
	return 0;
}

const char *sfa_change_field(const sfa_change *c, const char *key)
{
	size_t i;

	for (i = 0; i < c->nkv; i++)
		if (strcmp(c->kv[i].key, key) == 0)
			return c->kv[i].value;
	return NULL;
}
