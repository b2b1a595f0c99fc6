/*
 * fuzz_signature.c - sfa_signature_decode() reads manifest.json.sig, a
 * file anyone handing over a package can forge.  Besides memory safety:
 * whatever it accepts is the base64 of the 64 bytes it returns, so
 * encoding them again gives the input's 88 characters back.
 */
#include <openssl/evp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report_sign.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), again[96];
	const char *start;
	unsigned char sig[64];

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (sfa_signature_decode(s, sig) == 0) {
		EVP_EncodeBlock((unsigned char *)again, sig, 64);
		start = s + strspn(s, " \r\n\t");
		if (strlen(again) != 88 || strncmp(start, again, 88) != 0)
			abort();
	}
	free(s);
	return 0;
}
