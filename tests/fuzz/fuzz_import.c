/* libFuzzer target: the importers (curl command, HAR, log line) on any bytes, and the
 * saved-request text of what they read, parsed back. The first byte picks the reader. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collection.h"
#include "import.h"
#include "reqtext.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	import_kind kind = (import_kind)(data[0] % 4);
	import_result im;
	if (import_parse((const char *)data + 1, size - 1, kind, data[0] >> 4, &im, NULL))
		return 0;
	/* what was read can be saved and read back */
	char *text = reqtext_format(&im.req);
	kt_request back;
	if (reqtext_parse(text, &back, NULL))
		abort();
	char *again = reqtext_format(&back);
	if (strcmp(text, again))
		abort();
	free(again);
	free(text);
	request_free(&back);
	free(request_form_body(&im.req));
	import_result_free(&im);
	return 0;
}
