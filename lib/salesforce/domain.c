/*
 * domain.c - --domain normalisation.  The value is parsed by hand (scheme,
 * authority, host, port) rather than by a URL library so that every
 * oddity a hostile or mistyped value can carry (userinfo, backslashes,
 * percent-escapes, extra ports) is refused explicitly, not reinterpreted.
 */
#include "domain.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define HOST_MAX 253

/* Partitions Salesforce puts between the My Domain name and
 * my.salesforce.com / lightning.force.com (lib/salesforce/SALESFORCE-API.md
 * §3.5). */
static const char *const partitions[] = {"demo",     "develop",	  "free",
					 "patch",    "sandbox",	  "scratch",
					 "sfdctest", "trailblaze"};

/* Hosts an admin may copy, mapped to the API host suffix that replaces
 * them.  The Setup pages live on my.salesforce-setup.com. */
static const struct {
	const char *suffix;
	const char *api_suffix;
} suffixes[] = {
    {".my.salesforce.com", ".my.salesforce.com"},
    {".lightning.force.com", ".my.salesforce.com"},
    {".my.salesforce-setup.com", ".my.salesforce.com"},
};

/* Copies at most 80 printable bytes of s for an error message, so a
 * hostile value cannot put control characters on the admin's terminal. */
static void shown(char *out, size_t outsz, const char *s)
{
	size_t i, n = 0;

	for (i = 0; s[i] && n + 4 < outsz && i < 80; i++)
		out[n++] = isprint((unsigned char)s[i]) ? s[i] : '?';
	if (s[i] && n + 4 < outsz) {
		memcpy(out + n, "...", 3);
		n += 3;
	}
	out[n] = '\0';
}

static int refuse(sfa_err *err, const char *input, const char *why)
{
	char v[96];

	shown(v, sizeof(v), input);
	sfa_err_where(err, "--domain");
	return sfa_err_set(err, SFA_EINPUT,
			   "--domain \"%s\": %s (expected a Salesforce host "
			   "such as acme.my.salesforce.com, "
			   "acme.lightning.force.com or login.salesforce.com)",
			   v, why);
}

/* A label of a DNS name: letters, digits and inner hyphens, 1-63 bytes. */
static int valid_label(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 63 || s[0] == '-' || s[n - 1] == '-')
		return 0;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-')
			return 0;
	return 1;
}

static int is_partition(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(partitions) / sizeof(partitions[0]); i++)
		if (strlen(partitions[i]) == n && !memcmp(partitions[i], s, n))
			return 1;
	return 0;
}

/* The labels before a known suffix must be NAME or NAME.PARTITION. */
static int valid_prefix(const char *s, size_t n)
{
	const char *dot = memchr(s, '.', n);

	if (!dot)
		return valid_label(s, n);
	return valid_label(s, (size_t)(dot - s)) &&
	       is_partition(dot + 1, n - (size_t)(dot - s) - 1);
}

static int ends_with(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return n > k && !memcmp(s + n - k, suffix, k);
}

/* Parses "PORT" (1-65535, digits only); -1 when it is not one. */
static long parse_port(const char *s, size_t n)
{
	long v = 0;
	size_t i;

	if (n == 0 || n > 5)
		return -1;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v >= 1 && v <= 65535 ? v : -1;
}

static int is_loopback_host(const char *h)
{
	return !strcmp(h, "127.0.0.1") || !strcmp(h, "localhost") ||
	       !strcmp(h, "[::1]");
}

/* Maps a lower-case host to its API host; NULL when not Salesforce's. */
static char *api_host(const char *host)
{
	size_t n = strlen(host), i;
	char *out;

	if (!strcmp(host, "login.salesforce.com") ||
	    !strcmp(host, "test.salesforce.com"))
		return strdup(host);
	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		size_t k = strlen(suffixes[i].suffix);
		size_t m = strlen(suffixes[i].api_suffix);

		if (!ends_with(host, n, suffixes[i].suffix) ||
		    !valid_prefix(host, n - k))
			continue;
		out = malloc(n - k + m + 1);
		if (!out)
			return NULL;
		memcpy(out, host, n - k);
		memcpy(out + n - k, suffixes[i].api_suffix, m + 1);
		return out;
	}
	return NULL;
}

int sfa_domain_normalize(const char *input, char **base_url, sfa_err *err)
{
	char auth[HOST_MAX + 16], host[HOST_MAX + 16];
	const char *p, *end, *colon;
	int http = 0, has_scheme = 0;
	long port = 0;
	size_t n, i;
	char *h;

	*base_url = NULL;
	if (!input)
		return refuse(err, "", "no value");
	p = input;
	while (isspace((unsigned char)*p))
		p++;
	end = p + strlen(p);
	while (end > p && isspace((unsigned char)end[-1]))
		end--;
	if (end == p)
		return refuse(err, input, "empty value");

	if ((size_t)(end - p) >= 8 && !strncasecmp(p, "https://", 8)) {
		p += 8;
		has_scheme = 1;
	} else if ((size_t)(end - p) >= 7 && !strncasecmp(p, "http://", 7)) {
		p += 7;
		http = has_scheme = 1;
	} else {
		/* Any other scheme ("ftp://", "javascript://") is refused. */
		const char *sep = strstr(p, "://");
		size_t k = strspn(p, "abcdefghijklmnopqrstuvwxyz"
				     "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");

		if (sep && sep < end && (size_t)(sep - p) == k)
			return refuse(err, input, "only https:// is allowed");
	}

	/* The authority ends at the path, query or fragment. */
	n = strcspn(p, "/?#");
	if (p + n > end)
		n = (size_t)(end - p);
	if (n == 0)
		return refuse(err, input, "no host name");
	if (n >= sizeof(auth))
		return refuse(err, input, "host name too long");
	for (i = 0; i < n; i++)
		auth[i] = (char)tolower((unsigned char)p[i]);
	auth[n] = '\0';
	if (strpbrk(auth, "@\\%"))
		return refuse(err, input,
			      "user names, escapes and backslashes are not "
			      "allowed in a host");

	/* Split an optional port, minding "[::1]:PORT". */
	colon = auth[0] == '[' ? strstr(auth, "]:") : strchr(auth, ':');
	if (colon && auth[0] == '[')
		colon++;
	if (colon) {
		port = parse_port(colon + 1, strlen(colon + 1));
		if (port < 0)
			return refuse(err, input, "not a valid port");
		n = (size_t)(colon - auth);
	}
	memcpy(host, auth, n);
	host[n] = '\0';
	while (n > 0 && host[n - 1] == '.') /* "acme.my.salesforce.com." */
		host[--n] = '\0';
	if (n == 0)
		return refuse(err, input, "no host name");

	if (is_loopback_host(host)) {
		/* The emulator speaks plain HTTP on a loopback port. */
		if (!http && has_scheme)
			return refuse(err, input,
				      "the local emulator is reached with "
				      "http://127.0.0.1:PORT");
		if (!port)
			return refuse(err, input,
				      "the local emulator needs a port "
				      "(http://127.0.0.1:PORT)");
		*base_url = malloc(strlen(host) + 16);
		if (!*base_url)
			return sfa_err_set(err, SFA_ENOMEM, "out of memory");
		snprintf(*base_url, strlen(host) + 16, "http://%s:%ld", host,
			 port);
		return 0;
	}
	if (http)
		return refuse(err, input,
			      "plain http:// is only allowed for the local "
			      "emulator; use https://");
	if (port && port != 443)
		return refuse(err, input,
			      "Salesforce hosts are reached on port 443");
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)host[i]) && host[i] != '-' &&
		    host[i] != '.')
			return refuse(err, input, "not a host name");

	h = api_host(host);
	if (!h) {
		if (ends_with(host, n, ".salesforce.com") ||
		    ends_with(host, n, ".force.com"))
			return refuse(err, input,
				      "not an org's My Domain host");
		return refuse(err, input, "not a Salesforce host");
	}
	*base_url = malloc(strlen(h) + 9);
	if (!*base_url) {
		free(h);
		return sfa_err_set(err, SFA_ENOMEM, "out of memory");
	}
	snprintf(*base_url, strlen(h) + 9, "https://%s", h);
	free(h);
	return 0;
}

int sfa_domain_is_loopback(const char *base_url)
{
	static const char *const prefixes[] = {
	    "http://127.0.0.1:", "http://localhost:", "http://[::1]:"};
	size_t i;

	if (!base_url)
		return 0;
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(base_url, prefixes[i], strlen(prefixes[i])))
			return 1;
	return 0;
}
