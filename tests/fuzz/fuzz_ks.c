/* libFuzzer target: ks_decode with and without a secret, and ks_privs_parse. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ks.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = kt_xstrndup((const char *)data, size);
	ks_info info;
	if (ks_decode(s, NULL, &info, NULL) == 0)
		ks_info_free(&info);
	if (ks_decode(s, "s3cr3t", &info, NULL) == 0)
		ks_info_free(&info);
	ks_privs p;
	ks_privs_parse(s, &p);
	char *back = ks_privs_build(&p);
	free(back);
	ks_privs_free(&p);
	free(s);
	return 0;
}
