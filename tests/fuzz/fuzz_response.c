/* libFuzzer target: every input is a body given to both parsers and both pretty printers, so a
 * crash reproduces from the plain file. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "response.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void walk(const rvalue *v)
{
	/* touch every field so ASan sees a bad pointer */
	if (v->name)
		(void)strlen(v->name);
	if (v->kind == RV_SCALAR && !v->text)
		abort();
	for (size_t i = 0; i < v->n; i++)
		walk(v->children[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int formats[] = {KT_FORMAT_XML, KT_FORMAT_JSON};
	const char *body = (const char *)data;
	for (int i = 0; i < 2; i++) {
		response r;
		kt_error err;
		if (response_parse(body, size, formats[i], &r, &err) == 0) {
			if (!r.result)
				abort();
			walk(r.result);
			(void)response_error(&r);
			(void)response_find_ks(&r, "session", "start");
			(void)response_find_ks(&r, "appToken", "startSession");
			(void)rvalue_path(r.result, "objects:0:id");
		} else if (!err.msg[0] || strchr(err.msg, '\n')) {
			abort();
		}
		response_free(&r);
		char *p = response_pretty(body, size, formats[i], &err);
		free(p);
	}
	return 0;
}
