/* rstream: a Kaltura result read as it arrives. The pretty text (byte for byte what
 * response_pretty makes of the whole body) is written out chunk by chunk while the body is fed
 * in, and the model (result kind, API errors, executionTime, the KS, multirequest items) is
 * taken on the way, with the full parser's rules. XML goes through libxml2's SAX push parser,
 * JSON through a small tokenizer of our own (Jansson has no streaming parser). Memory stays
 * near the size of one chunk: only the parts of the result the model needs are kept. */
#ifndef KT_RSTREAM_H
#define KT_RSTREAM_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "response.h"

typedef struct rs_stream rs_stream;

/* Gets the pretty text in order, in pieces of any size (never split inside a UTF-8 sequence
 * the body did not split). */
typedef void (*rs_write_fn)(void *ud, const char *text, size_t len);

/* format: KT_FORMAT_XML or KT_FORMAT_JSON. write may be NULL (the model only). */
rs_stream *rs_new(int format, rs_write_fn write, void *ud);
/* Feeds the next bytes of the body. -1 with err set once the body cannot be a Kaltura response
 * (malformed, an HTML page, the other format); later feeds return -1 again. */
int rs_feed(rs_stream *s, const char *p, size_t len, kt_error *err);
/* The end of the body: checks it is complete and fills *out with the model (response_free it).
 * -1 with err set as response_parse would fail on the same body. */
int rs_finish(rs_stream *s, response *out, kt_error *err);
/* True when everything fed so far was printed as response_pretty prints it; false once the
 * body held what only a second look could format the same way (text mixed into an element
 * that had element children, a key repeated in a JSON object, reals of different precision). */
bool rs_exact(const rs_stream *s);
/* True once the pretty text is complete and well formed, even when rs_finish then refused the
 * body as a Kaltura response (XML that is not an <xml><result> envelope). */
bool rs_pretty_complete(const rs_stream *s);
/* Whether the result holds a credential (response_holds_secret on the whole result), judged
 * while streaming: valid after rs_finish. */
bool rs_holds_secret(const rs_stream *s, const response *model, const char *service,
		     const char *action);
/* Pretty bytes written so far. */
size_t rs_written(const rs_stream *s);
void rs_free(rs_stream *s);

/* One pass over a whole body: the model and, when pretty is not NULL, the text (malloc'd). */
int rs_parse(const char *body, size_t len, int format, response *out, char **pretty,
	     kt_error *err);

#endif
