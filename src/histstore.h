/* histstore: the persistent request history, in SQLite ($XDG_STATE_HOME/ktestme/history.db,
 * mode 0600, WAL, so two consoles may share it). Each entry is one sent request: endpoint,
 * service, action, the request as reqtext (reqtext.h: no secret), outcome, HTTP status, error
 * code, duration, time, and the result when it holds no credential. Capped by count and by
 * bytes: the oldest results go first, then the oldest entries; never the newest.
 *
 * Secrets never reach the file: the request text leaves them out, an error message has the
 * request's secret values masked, and a result that the caller flags, or that contains one of
 * the request's secret values, is not kept.
 *
 * A history that cannot be used is set aside, and said so once (hstore_take_warning): a
 * corrupted file is renamed to history.db.corrupt and a new one started; a locked, read-only
 * or unwritable one is left alone and the session's entries are kept in memory (with a copy of
 * what could still be read), so no new entry is lost. Plain C, no curses. */
#ifndef KT_HISTSTORE_H
#define KT_HISTSTORE_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "request.h"

#define HSTORE_MAX_ENTRIES 1000
#define HSTORE_MAX_BYTES ((size_t)64 << 20)

typedef struct hstore hstore;

typedef struct hstore_opts {
	size_t max_entries; /* 0: HSTORE_MAX_ENTRIES */
	size_t max_bytes;   /* request texts and results together; 0: HSTORE_MAX_BYTES */
	int busy_ms;        /* how long to wait for another console's lock; 0: 2000 */
} hstore_opts;

/* A request as it completed, for hstore_add. Strings may be NULL. */
typedef struct hstore_record {
	const char *endpoint;      /* "local", "eu" or the service URL */
	const kt_request *req;
	long long when;            /* unix time */
	long http_status;          /* 0 when no answer */
	const char *error_code;    /* the API error's code */
	const char *error_message;
	const char *failure;       /* a network or parse failure */
	double duration;           /* seconds */
	const char *result;        /* the body */
	size_t result_len;
	bool result_has_secret;    /* the caller found a credential in it (response_holds_secret) */
} hstore_record;

typedef struct hstore_entry {
	long long id;              /* grows; never reused within a file */
	long long when;
	char *endpoint, *service, *action;
	char *request;             /* reqtext */
	long http_status;
	char *error_code, *error_message, *failure; /* NULL when none */
	double duration;
	int format;
	char *result;              /* NULL when not kept */
	size_t result_len;
} hstore_entry;

/* path NULL: the default file. Never fails: a history that cannot be opened is set aside as
 * above; o may be NULL. */
hstore *hstore_open(const char *path, const hstore_opts *o);
void hstore_close(hstore *h);
/* The default file, malloc'd; NULL with err when there is no state directory. */
char *hstore_default_path(kt_error *err);
/* The report of the last set-aside, once: malloc'd, NULL when there is nothing new to say. */
char *hstore_take_warning(hstore *h);
/* false once the history lives in memory only. */
bool hstore_persistent(const hstore *h);

/* Adds an entry and trims to the caps; its id, or -1 when even memory failed. */
long long hstore_add(hstore *h, const hstore_record *rec);
/* Entries newest first, at most max (0: all), whose service.action, endpoint, error code,
 * outcome or request text contains every word of filter (ASCII case ignored; NULL or "": all).
 * *out is malloc'd (free with hstore_entries_free); results are not loaded (hstore_get). */
size_t hstore_list(hstore *h, const char *filter, size_t max, hstore_entry **out);
/* One entry with its result; -1 when there is none of that id. */
int hstore_get(hstore *h, long long id, hstore_entry *out);
/* The newest earlier entry of the same service and action as id; -1 when none. */
int hstore_previous_same(hstore *h, long long id, hstore_entry *out);
bool hstore_delete(hstore *h, long long id);
size_t hstore_count(hstore *h);

/* The request of an entry parsed back (request_init'd); its secrets are absent: the caller
 * takes them from the session. -1 with KT_E_DATA on a damaged text. */
int hstore_entry_request(const hstore_entry *e, kt_request *out, kt_error *err);
/* "200 ok", the error code, or the failure (HTTP status first when there was one). */
void hstore_outcome(const hstore_entry *e, char *buf, size_t n);

void hstore_entry_free(hstore_entry *e);
void hstore_entries_free(hstore_entry *e, size_t n);

#endif
