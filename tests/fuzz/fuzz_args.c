/* libFuzzer target: param_set_args, the CLI's name=value arguments (nested keys, arrays,
 * __null, multirequest N: prefixes), then both encodings of the tree. Input: NUL-separated
 * arguments. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "request.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = kt_xmalloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	char *argv[64];
	int argc = 0;
	for (size_t i = 0; i <= size && argc < 64; i += strlen(s + i) + 1)
		argv[argc++] = s + i;
	kt_request r;
	request_init(&r, "multirequest", NULL);
	if (param_set_args(r.params, argc, argv, NULL) == 0) {
		free(request_form_body(&r));
		free(request_form_body_masked(&r));
		free(request_json_body(&r));
	}
	request_free(&r);
	free(s);
	return 0;
}
