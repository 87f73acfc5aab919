/* libFuzzer target: parameter keys as a user types them ("a:b:-", "x__null", ...) and both
 * encodings of the tree they build. Input: lines of key=value. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "request.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = kt_xstrndup((const char *)data, size);
	kt_request r;
	request_init(&r, "svc", "act");
	for (char *line = strtok(s, "\n"); line; line = strtok(NULL, "\n")) {
		char *eq = strchr(line, '=');
		if (eq)
			*eq = '\0';
		param_set(r.params, line, eq ? eq + 1 : "", NULL);
	}
	free(request_form_body(&r));
	free(request_json_body(&r));
	(void)param_count(r.params);
	request_free(&r);
	free(s);
	return 0;
}
