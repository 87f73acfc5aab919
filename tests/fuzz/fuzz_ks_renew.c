/* libFuzzer target: ks_renew on any string, with the secret a KS would need; a renewed KS must
 * decode and verify with the same secret. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ks.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = kt_xstrndup((const char *)data, size);
	static const char *const secrets[] = {"s3cr3t", "abcdef0123456789abcdef0123456789"};
	for (size_t i = 0; i < 2; i++) {
		char *out = NULL;
		if (ks_renew(s, secrets[i], 3600, &out, NULL) == 0) {
			ks_info info;
			if (ks_decode(out, secrets[i], &info, NULL) != 0)
				abort();
			if (info.signature != KS_SIG_VALID)
				abort();
			ks_info_free(&info);
			free(out);
		}
	}
	free(s);
	return 0;
}
