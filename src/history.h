/* history: the console's request history, as TestMe's "N. service.action" list that restores a
 * request's form. Each completed send (success, API error or failure) becomes an entry with a
 * snapshot of the form as sent and a copy of the result. Memory only, never written to a file,
 * and never a secret: the snapshot is made with form_clone(f, true). Bounded: the newest
 * max_entries entries, and their result bodies together within max_bytes (the oldest bodies go
 * first). Plain C, no curses. */
#ifndef KT_HISTORY_H
#define KT_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "form.h"
#include "transport.h"

#define HISTORY_MAX_ENTRIES 100
#define HISTORY_MAX_BYTES ((size_t)64 << 20) /* result bodies together */

/* A result as the console shows it (console_result's fields, without curses). */
typedef struct history_result {
	char *title;         /* "category.get" */
	char *body;          /* NULL when none, or when dropped for the byte cap */
	size_t len;
	int format;          /* 1 JSON, 2 XML */
	long http_status;
	tp_timings timings;
	bool has_execution_time;
	double execution_time;
	char *error_code;    /* NULL when none */
	char *error_message;
	char *failure;
	char *note;          /* "The KS was copied into the session field", or about a code
	                      * example; NULL when none */
	char *hint;          /* what the error usually means (hint.h) or NULL */
} history_result;

typedef struct history_entry {
	unsigned long number; /* 1, 2, ... in order of completion; never reused */
	char *endpoint;       /* "local", "eu" ... or the service URL */
	time_t when;
	form *snap;           /* the form as sent, secrets' values dropped */
	char *request;        /* a multirequest as sent, in reqtext (no secret): snap then holds
	                       * only its request fields; NULL for one action */
	history_result res;
	bool body_dropped;    /* res had a body that the byte cap let go */
	bool body_withheld;   /* the result carried a credential (a KS, a token): never kept */
	long long store_id;   /* its entry in the history file (histstore.h); 0 when none */
} history_entry;

typedef struct history {
	history_entry *e;     /* oldest first */
	size_t n;
	size_t max_entries, max_bytes;
	size_t bytes;         /* bodies kept */
	unsigned long next;   /* the next entry's number */
} history;

/* max_entries 0 or max_bytes 0 take the defaults above. */
void history_init(history *h, size_t max_entries, size_t max_bytes);
void history_free(history *h);

/* Adds an entry for a completed send: sent is the form as sent (copied without secrets),
 * endpoint the endpoint's name or URL, res the result (copied). The oldest entry goes past
 * max_entries, the oldest bodies past max_bytes; a body larger than max_bytes alone is not
 * kept. Returns the new entry (valid until the next add or free). */
const history_entry *history_add(history *h, const form *sent, const char *endpoint,
				 time_t when, const history_result *res);

/* The entry added last is a multirequest: request is its reqtext (reqtext_format: no
 * secret), copied. */
void history_set_request_last(history *h, const char *request);

/* The entry added last, when its result carries a credential: the body is dropped (the
 * secrets rule: none in the history) and the entry says why. */
void history_withhold_last(history *h);
/* Ties the entry added last to its entry in the history file. */
void history_tag_last(history *h, long long store_id);
/* Removes the entry of that number; false when there is none. The others keep their numbers. */
bool history_remove(history *h, unsigned long number);
size_t history_count(const history *h);
/* i = 0 is the newest; NULL past the end. */
const history_entry *history_at(const history *h, size_t i);
/* The entry of that number; NULL when it was never made or is gone. */
const history_entry *history_find(const history *h, unsigned long number);

/* The outcome in a few words: "200 ok", the error code, or the failure (HTTP status first
 * when there was one). */
void history_outcome(const history_entry *e, char *buf, size_t n);
/* The same from the parts (the persistent history's entries have them too). */
void history_outcome_text(const char *error_code, const char *failure, long http_status,
			  char *buf, size_t n);
/* One line for the list: "12. category.get   CATEGORY_NOT_FOUND   local   19:34:02" (local
 * time). */
void history_line(const history_entry *e, char *buf, size_t n);

/* Deep copies of a result (dst is overwritten, not freed); history_result_free frees the
 * strings and zeroes it. */
void history_result_copy(history_result *dst, const history_result *src);
void history_result_free(history_result *r);

#endif
