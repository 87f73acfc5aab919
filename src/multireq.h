/* multireq: the multirequest builder as data, as TestMe's "Multirequest" service option: a list
 * of sub-requests, each an action with its own form, in order; the request fields (KS,
 * partnerId, clientTag, format ...) go once. A parameter may hold a back-reference to an
 * earlier item's result, "{N:result:path}" (KALTURA.md section 2); mr_ref_paths lists the ones
 * the schema's result types offer, for a picker. Moving an item renumbers the references that
 * pointed at the items it passes. Plain C, no curses. */
#ifndef KT_MULTIREQ_H
#define KT_MULTIREQ_H

#include <stddef.h>

#include "err.h"
#include "form.h"
#include "request.h"
#include "schema.h"

typedef struct mr_item {
	const schema_action *action;
	form *f;
} mr_item;

typedef struct multireq {
	mr_item *items; /* items[0] is sent as 1: */
	size_t n;
} multireq;

void mr_init(multireq *m);
void mr_free(multireq *m);

/* Appends a sub-request for a (its form made from s); returns its index. */
size_t mr_add(multireq *m, const schema *s, const schema_action *a);
/* Removes item i; references to later items are renumbered to follow them (one to item i
 * itself now names the item that takes its place). -1 when there is no item i. */
int mr_remove(multireq *m, size_t i);
/* Moves item i one place up (dir < 0) or down (dir > 0), swapping the numbers of the two items
 * in every reference. -1 when it cannot move. */
int mr_move(multireq *m, size_t i, int dir);

/* The request: service "multirequest", each item's parameters under "N:" with N:service and
 * N:action (and N:ks when the item's own ks field is set: its KS over the shared one, as
 * KalturaFrontController::handleMultiRequest takes it), the request fields from fields (a form_new(s, NULL) form, or the first item's when
 * NULL). -1 with err naming the item ("item 2: id: not an integer"); *bad_item and *bad_row
 * (when not NULL) tell where. out is request_init'd by the caller. */
int mr_build(const multireq *m, const form *fields, kt_request *out, kt_error *err,
	     size_t *bad_item, size_t *bad_row);

/* The back-references item number n (1-based) offers, from its action's result type:
 * "{n:result}", then "{n:result:PROP}" for each scalar property of the result class, and for a
 * list response "{n:result:totalCount}" and "{n:result:objects:0:PROP}" of its item class.
 * *out is malloc'd, as are its strings (free with mr_paths_free). */
size_t mr_ref_paths(const schema_action *a, size_t n, char ***out);
void mr_paths_free(char **paths, size_t n);

/* Rebuilds m (mr_init'd, empty) from a multirequest request r (as mr_build makes it, or a
 * history entry or an import reads it): one item per "N:service"/"N:action" in number order,
 * each form filled with its "N:" parameters; the request fields go into fields (a
 * form_new(s, NULL) form) when not NULL. -1 with err naming the item whose action s does not
 * know, or when r has no item; m is then empty. */
int mr_from_request(multireq *m, const schema *s, const kt_request *r, form *fields,
		    kt_error *err);

/* Renumbers references in text: every "{from:result" becomes "{to:result"; malloc'd. */
char *mr_renumber(const char *text, size_t from, size_t to);

#endif
