/* libFuzzer target: the terminal filter and the UTF-8 module. What utf8_sanitize gives must be
 * valid UTF-8 without a control character (but \n and \t when asked), whatever came in;
 * utf8_valid must agree with a decode loop; URL decoding never grows the text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	for (int keep = 0; keep < 2; keep++) {
		kt_buf b;
		kt_buf_init(&b);
		utf8_sanitize(&b, s, size, keep);
		if (!utf8_valid(b.data, b.len))
			abort();
		uint32_t cp;
		for (size_t i = 0, k; i < b.len; i += k) {
			k = utf8_decode(b.data + i, b.len - i, &cp);
			if (!k || (utf8_is_control(cp) && !(keep && (cp == '\n' || cp == '\t'))))
				abort();
		}
		kt_buf_free(&b);
	}
	bool valid = true;
	uint32_t cp;
	for (size_t i = 0, k; i < size && valid; i += k)
		valid = (k = utf8_decode(s + i, size - i, &cp)) != 0;
	if (valid != utf8_valid(s, size))
		abort();
	(void)utf8_width(s, size);
	size_t n;
	char *d = utf8_url_decode(s, size, true, &n);
	if (n > size || d[n] != '\0')
		abort();
	free(d);
	return 0;
}
