/* rfetch: one call's transfer and its streamed reading (rstream) on a thread of its own, so a
 * front end's loop never waits for the network or the parser: it watches a file descriptor,
 * shows the pretty text that exists so far, cancels (the transfer and the parse stop at once),
 * and collects the outcome. */
#ifndef KT_RFETCH_H
#define KT_RFETCH_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "response.h"
#include "transport.h"

typedef struct rfetch rfetch;

/* Starts the POST (or GET when body is NULL) and reads its answer as format. The raw body is
 * kept when it is no larger than keep_body bytes (0: never), for a history that re-renders. */
rfetch *rfetch_start(const char *url, const char *body, const char *content_type,
		     const tp_opts *o, int format, size_t keep_body, kt_error *err);
/* Readable when there is news (more text, or the end); rfetch_poll drains it. */
int rfetch_fd(const rfetch *f);
/* How much pretty text exists so far, and whether the thread has finished. */
size_t rfetch_poll(rfetch *f, bool *done);
/* Copies up to max bytes of the text from offset off into dst; the count copied. */
size_t rfetch_peek(rfetch *f, size_t off, char *dst, size_t max);
/* Asks the thread to stop; rfetch_finish then fails with KT_E_CANCELLED. */
void rfetch_cancel(rfetch *f);

typedef struct rfetch_result {
	tp_response http;     /* status, headers, timings; body only when kept */
	response model;       /* valid when parsed */
	bool parsed;          /* a Kaltura response, model filled */
	bool holds_secret;    /* see rs_holds_secret: asked with service and action */
	char *text;           /* the pretty text, malloc'd; NULL when the body was no XML/JSON */
	size_t text_len;
	bool exact;           /* rs_exact */
} rfetch_result;

/* Waits for the thread, fills *out and frees f. 0 when the call got an answer (parsed or not:
 * see out->parsed and err); -1 with err for a transfer that failed or was cancelled. service
 * and action judge whether the result holds a credential. */
int rfetch_finish(rfetch *f, const char *service, const char *action, rfetch_result *out,
		  kt_error *err);
void rfetch_result_free(rfetch_result *r);

#endif
