/* call: one API call's lifecycle, the same for the console and `ktestme call`:
 *
 *     call_new (a built request + the endpoint's session) -> call_start -> call_step ... ->
 *     call_finish (an outcome) -> call_free;  call_cancel (or call_free) stops it at any point.
 *
 * The Kaltura rules a front end must not write twice live here: which actions take a secret
 * and which need no KS (a dead KS is not sent to them), the KS a result carries (it goes into
 * the session), what session.end and INVALID_KS say about the session's KS, the hint for an
 * error (read against the privileges of the KS that was sent), and whether a result may be
 * kept in the history. The body is parsed once: the outcome holds the model and the
 * re-indented text from that one parse. Curses-free. */
#ifndef KT_CALL_H
#define KT_CALL_H

#include <stdbool.h>
#include <stddef.h>

#include "app/session.h"
#include "err.h"
#include "request.h"
#include "response.h"
#include "rstream.h"
#include "transport.h"

/* session.start and session.impersonate: the admin (or user) secret is a parameter. */
bool call_takes_secret(const char *service, const char *action);
/* The actions that make a session from credentials (session.start, session.impersonate,
 * session.startWidgetSession, user.login, user.loginByLoginId): a dead KS sent with them would
 * only make them fail with INVALID_KS. */
bool call_needs_no_ks(const char *service, const char *action);

typedef struct call call;

/* Takes req over (service and action set; the caller must not free it) for the endpoint of
 * session s (which must outlive the call). Prepares it: a dead session KS is dropped from an
 * action that needs none, a secret-taking action without a secret gets the session's "secret"
 * value, and the secret sent is learnt by the session (to read the KS it returns); the same
 * for each item of a multirequest ("N:secret"). */
call *call_new(kt_request *req, session *s);
/* The request as it will go out, and its URL. */
const kt_request *call_request(const call *c);
const char *call_url(const call *c);
/* true when the session's KS was dead and was not sent (the front end says so). */
bool call_dropped_ks(const call *c);
/* Before call_start: the answer is read as it arrives (rstream), one parse, the body never
 * held whole. The re-indented text goes to write as it is made, or, when write is NULL, grows
 * in the call (call_text) and ends in out->pretty. The raw body is kept in out->body only up to
 * keep_body bytes (0: never). step_bytes > 0 caps the body read per call_step, so a front
 * end's loop gets back to its keys between pieces of a large answer (0: no cap; call_run). */
void call_stream(call *c, rs_write_fn write, void *ud, size_t keep_body, size_t step_bytes);
/* The text made so far by a call_stream without write; valid until the next call_step. */
const char *call_text(const call *c, size_t *len);
/* Starts the transfer. -1 with err (the call can still be freed). */
int call_start(call *c, const tp_opts *o, kt_error *err);
/* Moves it on for at most wait_ms; true once it has finished (then call_finish). */
bool call_step(call *c, int wait_ms);
double call_elapsed(const call *c);
/* Stops a running transfer; the call is still to be freed. */
void call_cancel(call *c);
void call_free(call *c);

/* One item of a multirequest's answer, in order (KS capture and error state per item). */
typedef struct call_item {
	const char *service, *action; /* as sent ("N:service", "N:action"); "" when absent */
	const rvalue *result;          /* in the outcome's res; NULL when the answer has none */
	const rvalue *error;           /* the item's API error (== result); NULL when it worked */
	bool ks;                       /* it returned a KS */
} call_item;

typedef struct call_outcome {
	char *service, *action;  /* as sent; action "" for a multirequest */
	int format;              /* KT_FORMAT_XML or KT_FORMAT_JSON */
	long http_status;        /* 0 when no answer came */
	tp_timings timings;
	char *x_me;              /* the serving host (X-Me header); NULL when none */
	char *redirects;         /* a line per redirect followed (peer text); NULL when none */
	char *headers;           /* the last response's header lines as received (peer text, at
	                          * most 64 KiB); NULL when none */
	char *body;              /* the raw answer, NUL-terminated; NULL when empty */
	size_t len;
	/* failed: no answer, one over the size cap, or not a Kaltura response (err says which,
	 * in one sentence; res and pretty are then empty) */
	bool failed;
	kt_error err;
	bool parsed;             /* res holds the model (free with call_outcome_free) */
	response res;
	char *pretty;            /* the body re-indented, from the same parse; NULL when none */
	const rvalue *error;     /* the first API error in res; NULL when none */
	char *hint;              /* what that error usually means (hint.h); NULL when none */
	char *ks;                /* the KS the result carries; it is now the session's KS */
	bool withhold;           /* the result carries a credential: the history keeps no body */
	/* a multirequest: its items (strings and values owned by the call and res); the KS of
	 * the last item that returned one is out->ks (and the session's) */
	call_item *items;
	size_t nitems;
} call_outcome;

/* Collects the finished transfer into out and applies it to the session: a KS returned
 * becomes its KS; a session.end that succeeded marks the KS sent as ENDED; INVALID_KS marks
 * it EXPIRED, ENDED or REJECTED as the message says; in a multirequest, item by item (an item
 * with a ks of its own, such as {1:result}, says nothing of the session's). 0, or -1 when
 * out->failed. */
int call_finish(call *c, call_outcome *out);
/* The same for an answer that came another way (a recorded one): one parse, the same rules;
 * a running transfer is stopped. */
int call_answer(call *c, long http_status, const char *body, size_t len, call_outcome *out);
/* start, step until done, finish: for the CLI. -1 with out->failed (and out->err) set. */
int call_run(call *c, const tp_opts *o, call_outcome *out);
void call_outcome_free(call_outcome *out);

/* The exchange as a person reads it (the console's H): the request line and its form body,
 * one parameter a line, every credential as "***"; then the response's header lines with the
 * values of the ones that carry credentials (Set-Cookie, Authorization ...) as "***" too.
 * Peer text: the caller filters it for the terminal. malloc'd. */
char *call_exchange_text(const call *c, const call_outcome *out);

#endif
