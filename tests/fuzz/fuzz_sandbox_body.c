/* libFuzzer target: the sandbox's request-body parsers, which face the network: urlencoded
 * forms (%-escapes, '+', NUL bytes), JSON (nesting, nulls, arrays) and multipart/form-data
 * (boundaries, part headers, file parts), with the UTF-8 and depth checks of every
 * parameter. Input: the first byte picks the Content-Type, the rest is the body. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "request.h"
#include "sandbox/server.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const types[] = {
		NULL, "application/x-www-form-urlencoded", "application/json",
		"multipart/form-data; boundary=XyZ", "multipart/form-data; boundary=\"a b\"",
		"multipart/form-data",
	};
	static sb_server *srv; /* its schema words the errors */
	if (!srv) {
		sandbox_opts o = {.schema_path = "schemas/kaltura.xml"};
		kt_error err;
		if (!(srv = sb_server_new(&o, &err))) {
			fprintf(stderr, "fuzz_sandbox_body: %s (run from the source tree)\n", err.msg);
			abort();
		}
	}
	if (!size)
		return 0;
	const char *ct = types[data[0] % (sizeof types / sizeof types[0])];
	sb_call c = {.srv = srv, .cfg = &srv->cfg};
	param *root = param_new();
	sb_files files = {0};
	sb_http_parse_body(&c, root, &files, ct, (const char *)data + 1, size - 1);
	sb_rv_free(c.error);
	sb_files_free(&files);
	param_free(root);
	return 0;
}
