/*
 * fuzz_soap_login.c - the SOAP login() response is the first thing a
 * server (or anyone in the middle of a misconfigured proxy) sends back,
 * parsed by libxml2.  The first byte picks the HTTP status (200 or a
 * fault's 500); the rest is the body.  A parse either fills the session
 * (all four fields present) or fails with a message; never both.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auth_soap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sfa_session s;
	sfa_err err;
	long status;
	int rc;

	if (size < 1)
		return 0;
	status = (data[0] & 1) ? 500 : 200;
	memset(&s, 0, sizeof(s));
	sfa_err_clear(&err);
	rc = sfa_auth_soap_parse(status, (const char *)data + 1, size - 1, &s,
				 &err);
	if (rc == 0) {
		if (!s.access_token || !s.instance_url || !s.org_id)
			abort();
		(void)strlen(s.access_token);
		(void)strlen(s.instance_url);
		(void)strlen(s.org_id);
	} else if (err.msg[0] == '\0' || s.access_token) {
		abort();
	}
	sfa_session_clear(&s);
	return 0;
}
