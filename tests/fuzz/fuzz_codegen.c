/* libFuzzer target: codegen for every language from any request on the shipped schema.
 * Input: "service action" on the first line ("multirequest x" for one), then key=value lines
 * and name@path lines (a file to upload). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codegen.h"
#include "request.h"
#include "schema.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static schema *s;
	if (!s && !(s = schema_load_file("schemas/kaltura.xml", NULL))) {
		fputs("fuzz_codegen: run from the source tree (schemas/kaltura.xml)\n", stderr);
		abort();
	}
	char *text = kt_xstrndup((const char *)data, size);
	char *line = strtok(text, "\n");
	char svc[64] = "session", act[64] = "start";
	if (line)
		sscanf(line, "%63s %63s", svc, act);
	kt_request r;
	request_init(&r, svc, act);
	while ((line = strtok(NULL, "\n"))) {
		char *at = strchr(line, '@'), *eq = strchr(line, '=');
		if (at && (!eq || at < eq)) {
			*at = '\0';
			request_add_file(&r, line, at + 1);
			continue;
		}
		if (eq)
			*eq = '\0';
		param_set(r.params, line, eq ? eq + 1 : "", NULL);
	}
	for (int lang = CODEGEN_CURL; lang <= CODEGEN_NODE; lang++) {
		char *code = codegen_generate((codegen_lang)lang, &r, "https://www.kaltura.com", s, NULL);
		free(code);
	}
	request_free(&r);
	free(text);
	return 0;
}
