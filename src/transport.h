/* transport: HTTP calls on libcurl's multi interface, so a caller (the console) can keep
 * drawing while a call runs, and cancel it. */
#ifndef KT_TRANSPORT_H
#define KT_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "util.h"

#define TP_DEFAULT_MAX_BODY ((size_t)100 << 20)

typedef struct tp_opts {
	long connect_timeout_ms; /* 0: 10 s */
	long timeout_ms;         /* 0: 120 s */
	bool insecure;           /* turn TLS verification off (explicit --insecure only) */
	size_t max_body;         /* 0: TP_DEFAULT_MAX_BODY */
	/* When set, the body goes to sink as it arrives instead of into tp_response.body (a
	 * result streamed, never held whole). It returns 0 when it took the bytes, TP_SINK_PAUSE
	 * to be given the same bytes again at the next tp_step (a caller spreading the work over
	 * its steps), or -1 to stop the transfer (tp_finish then fails with KT_E_CANCELLED). */
	int (*sink)(void *ud, const char *p, size_t n);
	void *sink_ud;
	bool follow;             /* follow redirects on the same scheme and host (--location) */
	const char *size_option; /* the option that raises max_body, for the message; NULL: none */
	const char *follow_option; /* the option that sets follow, for the message; NULL: none */
} tp_opts;

#define TP_MAX_REDIRECTS 5
#define TP_SINK_PAUSE 1

/* Seconds from the start of the call to each phase; 0 when the phase did not happen. */
typedef struct tp_timings {
	double dns, connect, tls, first_byte, total;
} tp_timings;

typedef struct tp_response {
	long status;
	kt_buf body;
	char *content_type;
	char *x_me;               /* the serving host */
	char *x_kaltura_session;
	kt_buf headers;           /* the raw response header lines of the last response */
	kt_buf redirects;         /* a line per redirect followed: "HTTP 302 to URL" (peer text) */
	tp_timings timings;
} tp_response;

/* Whether a redirect from one URL to another may be followed: only to the same scheme, host and
 * port, so the body (a secret, a KS) never goes to another host nor from https to http. NULL
 * when allowed, else the reason. */
const char *tp_redirect_refused(const char *from, const char *to);

typedef struct tp_call tp_call;

/* Starts a POST of body (content_type e.g. "application/x-www-form-urlencoded") to url, or a
 * GET when body is NULL.
 * Returns NULL with err set on a setup failure. */
tp_call *tp_start(const char *url, const char *body, const char *content_type, const tp_opts *o,
		  kt_error *err);
/* A part of a multipart/form-data body: a text field (value set), or a file (path set) sent
 * with its base name as filename and type application/octet-stream, as TestMe's form sends an
 * upload. */
typedef struct tp_part {
	const char *name;
	const char *value;
	const char *path;
} tp_part;

/* Starts a multipart/form-data POST of parts (the field values are copied, and wiped when the
 * call is freed; a file is read as it is sent). Redirects follow the rules of tp_start. */
tp_call *tp_start_multipart(const char *url, const tp_part *parts, size_t n, const tp_opts *o,
			    kt_error *err);
/* Moves the transfer on, waiting at most wait_ms for activity. true when it has finished. */
bool tp_step(tp_call *c, int wait_ms);
/* Collects the outcome and frees c. 0 with *out filled, or -1: KT_E_NET (curl's reason),
 * KT_E_REDIRECT (a redirect not followed: not asked for, or to another host or scheme),
 * KT_E_TOOBIG (over max_body). out is filled as far as it got in both cases. */
int tp_finish(tp_call *c, tp_response *out, kt_error *err);
/* Stops a running call and frees it. */
void tp_cancel(tp_call *c);
/* Seconds since tp_start, for a spinner. */
double tp_elapsed(const tp_call *c);

/* start + step until done + finish. */
int tp_perform(const char *url, const char *body, const char *content_type, const tp_opts *o,
	       tp_response *out, kt_error *err);

void tp_response_init(tp_response *r);
void tp_response_free(tp_response *r);

#endif
