/* libFuzzer differential target: every input is a body read whole (response_pretty,
 * response_parse) and streamed in pieces (rstream); the text and the model must agree.
 * The first byte picks the piece size, so boundaries fall everywhere. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "response.h"
#include "../unit/rstream_diff.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	size_t chunk = data[0] % 17;
	const char *body = (const char *)data + 1;
	static const int formats[] = {KT_FORMAT_XML, KT_FORMAT_JSON};
	for (int i = 0; i < 2; i++) {
		const char *d = rstream_diff(body, size - 1, formats[i], chunk);
		if (d) {
			fprintf(stderr, "rstream differs (%s, pieces of %zu): %s\n",
				i ? "JSON" : "XML", chunk, d);
			abort();
		}
	}
	return 0;
}
