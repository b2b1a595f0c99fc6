/*
 * fuzz_sf_error.c - every refusal from the org goes through
 * sfa_sf_error_from_body() (REST error arrays, OAuth error objects, HTML
 * error pages from a proxy) and every response's Sforce-Limit-Info through
 * sfa_sf_limit_info_parse().  The first two bytes pick the status; the
 * rest is the body, and also the header value.  The message stays
 * bounded and NUL-terminated whatever the body holds.  It may carry the
 * server's control characters (an OAuth error_description with a newline,
 * found by this harness): cmd/msg.c prints them as spaces.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sf_error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sfa_err err;
	long status, used = -1, limit = -1;
	char *hdr;
	int rc;

	if (size < 2)
		return 0;
	status = 100 + (((long)data[0] << 8 | data[1]) % 500);
	sfa_err_clear(&err);
	rc = sfa_sf_error_from_body(status, (const char *)data + 2, size - 2,
				    (data[0] & 0x80) ? "User" : NULL, &err);
	if (rc >= 0 || err.code != rc)
		abort();
	if (memchr(err.msg, '\0', sizeof(err.msg)) == NULL ||
	    memchr(err.sf_code, '\0', sizeof(err.sf_code)) == NULL ||
	    memchr(err.where, '\0', sizeof(err.where)) == NULL)
		abort();

	hdr = malloc(size - 1);
	if (!hdr)
		return 0;
	memcpy(hdr, data + 2, size - 2);
	hdr[size - 2] = '\0';
	if (sfa_sf_limit_info_parse(hdr, &used, &limit) &&
	    (used < 0 || limit < 0))
		abort();
	free(hdr);
	return 0;
}
