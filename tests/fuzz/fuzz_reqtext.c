/* libFuzzer target: the saved-request collection file (and so the request text) on any bytes;
 * what parses is written out and must read back to the same text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collection.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = kt_xstrndup((const char *)data, size);
	collection c;
	collection_init(&c);
	if (!collection_parse(&c, s, NULL, NULL)) {
		char *text = collection_format(&c);
		collection d;
		collection_init(&d);
		if (collection_parse(&d, text, NULL, NULL))
			abort();
		char *again = collection_format(&d);
		if (strcmp(text, again))
			abort();
		free(again);
		free(text);
		collection_free(&d);
	}
	collection_free(&c);
	free(s);
	return 0;
}
