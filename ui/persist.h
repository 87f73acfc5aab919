/* persist: the console's request history kept across runs, in the history store
 * (src/histstore.h): every completed send is added to it, and at start the newest entries
 * come back into the in-memory history (F7), each form rebuilt from its saved request
 * (form_fill) with its secrets left for the session to give. A store that cannot be used is
 * said once in the status line; the console goes on with memory only. */
#ifndef KT_UI_PERSIST_H
#define KT_UI_PERSIST_H

#include <stdbool.h>

#include "histstore.h"
#include "history.h"
#include "ui.h"

/* Opens the store and loads its newest entries (those whose action the schema knows) into h. */
hstore *persist_open(console *c, history *h);
/* Adds a completed send: snap is the form as sent (no secrets), withhold that the result holds
 * a credential. Its id in the store, 0 when it was not added. */
long long persist_add(console *c, hstore *st, const form *snap, const char *endpoint,
		      const console_result *r, bool withhold);
/* Deletes entry number from h and its entry from the store; false when h has no such entry. */
bool persist_delete(console *c, hstore *st, history *h, unsigned long number);

/* The same for a request as sent (a multirequest, whose form holds only its fields). */
long long persist_add_request(console *c, hstore *st, const kt_request *req,
			      const char *endpoint, const console_result *r, bool withhold);

/* What differs between e and the newest earlier entry of the same action, in one line
 * ("since request 3: ~ id = 1 -> 2; + name = x"); malloc'd, NULL when there is none. */
char *persist_diff(const history *h, const history_entry *e);
/* The same as a few words for the history list ("~ id = 1 -> 2; + name = x", "the same as 3");
 * malloc'd, NULL when e is the first of its action. */
char *persist_diff_short(const history *h, const history_entry *e);

#endif
