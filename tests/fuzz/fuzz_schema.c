/* libFuzzer target: the schema loader on arbitrary bytes. */
#include <stdint.h>

#include "schema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	schema *s = schema_load_memory((const char *)data, size, "fuzz", NULL);
	if (s) {
		(void)schema_find(s, "session", "start");
		schema_free(s);
	}
	return 0;
}
