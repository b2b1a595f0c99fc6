/*
 * fuzz_domain.c - sfa_domain_normalize() decides which host gets the
 * password and the token, so besides memory safety it checks what must
 * hold for any input it accepts: the URL is https://HOST on a Salesforce
 * domain, or plain http only to a loopback emulator with a port; HOST has
 * no characters that could smuggle a path, userinfo or header.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain.h"

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix);
}

static void check(const char *url)
{
	const char *host;

	if (!strncmp(url, "https://", 8)) {
		host = url + 8;
		if (!ends_with(host, ".salesforce.com") &&
		    !ends_with(host, ".force.com") &&
		    !sfa_domain_is_loopback(url))
			abort();
		if (strpbrk(host, "/@?#\\ \t\r\n%"))
			abort();
	} else if (!strncmp(url, "http://", 7)) {
		/* Plain http: loopback only, never anything else. */
		if (!sfa_domain_is_loopback(url))
			abort();
		/* [::1] is loopback too (accepted, though the spec names
		 * only the other two). */
		if (strncmp(url, "http://127.0.0.1:", 17) &&
		    strncmp(url, "http://localhost:", 17) &&
		    strncmp(url, "http://[::1]:", 13))
			abort();
		if (strpbrk(url + 7, "/@?#\\ \t\r\n%"))
			abort();
	} else {
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *url = NULL;
	sfa_err err;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	sfa_err_clear(&err);
	if (sfa_domain_normalize(s, &url, &err) == 0) {
		if (!url)
			abort();
		check(url);
		free(url);
	} else if (err.msg[0] == '\0') {
		abort(); /* a refusal always says why */
	}
	free(s);
	return 0;
}
