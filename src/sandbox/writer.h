/* writer: a result as the server serialises it, one writer per format side by side (api_v3/lib:
 * KalturaXmlSerializer, KalturaJsonSerializer, KalturaPhpSerializer, KalturaJsonProcSerializer).
 * Objects are written with every property their schema class has, so nulls appear where the
 * server writes them. */
#ifndef KT_SANDBOX_WRITER_H
#define KT_SANDBOX_WRITER_H

#include <stdbool.h>
#include <stddef.h>

#include "response.h"
#include "schema.h"

enum { SB_FORMAT_JSON = 1, SB_FORMAT_XML = 2, SB_FORMAT_PHP = 3, SB_FORMAT_JSONP = 9 };

typedef struct sb_out {
	int format;           /* one of SB_FORMAT_* */
	bool ignore_null;     /* XML: leave null properties out (ignoreNull=1) */
	const char *callback; /* JSONP: the checked callback name */
} sb_out;

/* The format a request's "format" value asks for, compared as PHP's switch does ("01" is 1);
 * NULL is XML. 0 for a format the server does not know. */
int sb_format_parse(const char *value);
/* Whether a JSONP callback is one the server accepts (^[0-9_a-zA-Z.]*$). */
bool sb_callback_ok(const char *cb);
/* The Content-Type the server sends for a format. */
const char *sb_format_content_type(int format);

/* The body for result (never NULL; free it). A scalar result may carry its schema type ("int",
 * "bool"...) in object_type, so JSON and PHP write it typed. len gets the length (PHP strings
 * may hold any byte). */
char *sb_write(const schema *s, const rvalue *result, const sb_out *o, double elapsed, size_t *len);

#endif
