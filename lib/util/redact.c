/*
 * redact.c - a single left-to-right scan that copies text and, where a
 * secret's key or "Bearer " starts, copies the key and its delimiters and
 * writes "[redacted]" instead of the value.  It works on the three shapes
 * secrets travel in (form, JSON, XML) without parsing any of them, so it
 * also redacts truncated or malformed text.
 */
#include "redact.h"

#include "buf.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define REDACTED "[redacted]"

static const char *const secret_keys[] = {
    "sessionId",     "access_token",  "refresh_token",	"id_token",
    "password",	     "client_secret", "security_token", "assertion",
    "code_verifier", "oauth_token",
};

static int is_word(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Length of the secret key starting at s (a whole word), else 0. */
static size_t key_at(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(secret_keys) / sizeof(secret_keys[0]); i++) {
		size_t k = strlen(secret_keys[i]);
		if (!strncasecmp(s, secret_keys[i], k) && !is_word(s[k]))
			return k;
	}
	return 0;
}

/* Skips a JSON string body starting after its opening quote; returns the
 * position of the closing quote (or the end of text). */
static const char *skip_json_string(const char *p)
{
	while (*p && *p != '"') {
		if (*p == '\\' && p[1])
			p++;
		p++;
	}
	return p;
}

/* 1 when the key at p (within text) is the name of an opening XML tag:
 * "<key" or "<ns:key", not "</key". */
static int xml_open_tag(const char *text, const char *p)
{
	if (p > text && p[-1] == ':') {
		p--;
		while (p > text && is_word(p[-1]))
			p--;
	}
	return p > text && p[-1] == '<';
}

/* If a value follows the key at key (k bytes long, within text), copies
 * the delimiters up to the value into out and returns where the value
 * ends; NULL when no value follows. */
static const char *redact_value(const char *text, const char *key, size_t k,
				sfa_buf *out, int *rc)
{
	const char *p = key + k;

	if (*p == '=') {
		*rc = sfa_buf_append(out, "=", 1);
		return p + 1 + strcspn(p + 1, "&;, \t\r\n\"'<>");
	}
	if (*p == '>' && xml_open_tag(text, key)) {
		*rc = sfa_buf_append(out, ">", 1);
		return p + 1 + strcspn(p + 1, "<");
	}
	if (*p == '"' && key > text && key[-1] == '"') {
		const char *q = p + 1;

		while (*q == ' ' || *q == '\t')
			q++;
		if (*q++ != ':')
			return NULL;
		while (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n')
			q++;
		if (*q != '"')
			return NULL;
		q++; /* the value starts after its opening quote */
		*rc = sfa_buf_append(out, p, (size_t)(q - p));
		return skip_json_string(q);
	}
	return NULL;
}

char *sfa_redact(const char *text)
{
	sfa_buf out = {0};
	const char *p = text ? text : "";
	int rc = 0;

	while (*p && !rc) {
		int boundary = p == text || !is_word(p[-1]);
		size_t k = boundary ? key_at(p) : 0;

		if (boundary && !strncasecmp(p, "Bearer ", 7)) {
			rc = sfa_buf_append(&out, p, 7);
			if (!rc)
				rc = sfa_buf_puts(&out, REDACTED);
			p += 7;
			p += strcspn(p, " \t\r\n\"',;&<");
			continue;
		}
		if (k) {
			const char *end;

			rc = sfa_buf_append(&out, p, k);
			end = rc ? NULL : redact_value(text, p, k, &out, &rc);
			p += k;
			if (end && !rc) {
				rc = sfa_buf_puts(&out, REDACTED);
				p = end;
			}
			continue;
		}
		rc = sfa_buf_append(&out, p, 1);
		p++;
	}
	if (rc) {
		sfa_buf_free(&out);
		return NULL;
	}
	return sfa_buf_detach(&out);
}
