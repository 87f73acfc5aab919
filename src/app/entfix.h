/* entfix: the one-key entitlement fix (KALTURA.md section 6). A CATEGORY_NOT_FOUND, an
 * ENTRY_ID_NOT_FOUND or an empty list, answered to a KS that does not disable entitlements, is
 * usually entitlement enforcement at work: the fix is the same session plus disableentitlement
 * (or privacycontext:X), then the same request again. And once the object is visible, what it
 * says tells why it was hidden. Curses-free, plain data. */
#ifndef KT_ENTFIX_H
#define KT_ENTFIX_H

#include "response.h"

typedef enum {
	ENTFIX_NONE,
	ENTFIX_NOT_FOUND,   /* CATEGORY_NOT_FOUND or ENTRY_ID_NOT_FOUND */
	ENTFIX_EMPTY_LIST,  /* a list of categories or entries with nothing in it */
} entfix_kind;

/* What the result of service.action, sent with a KS of these privileges (NULL: none, or no
 * KS), says; ENTFIX_NONE when the KS already disables entitlements or nothing points at them. */
entfix_kind entfix_detect(const char *service, const char *action, const response *res,
			  const char *privileges);

/* One sentence for the result pane: what happened, what the KS has, what the fix does.
 * malloc'd. */
char *entfix_offer(entfix_kind kind, const char *privileges);

/* The privileges with the fix: disableentitlement (context NULL) or privacycontext:context;
 * enableentitlement goes, the rest stays. malloc'd. */
char *entfix_privileges(const char *privileges, const char *context);

/* The privacy contexts a category list names (privacyContexts of each item, comma-separated
 * on the wire), each once, in order; for picking X of privacycontext:X. Returns the count;
 * *out is malloc'd (free each and the array). */
int entfix_contexts(const response *category_list, char ***out);

/* Why the object (a category or an entry, as the fixed KS now sees it) was hidden from a KS
 * with these privileges and this user id: its privacy context, members-only listing. NULL when
 * the object says nothing that explains it. malloc'd. */
char *entfix_why_hidden(const rvalue *object, const char *privileges, const char *user);

/* After the fix: the two outcomes side by side, for the result pane's top lines: what the
 * first answer was (before, with the privileges it carried), what the same request gave with
 * the fixed privileges (after), and why it had been hidden when the object tells. malloc'd. */
char *entfix_summary(const char *service, const char *action, const response *before,
		     const char *before_privs, const response *after, const char *after_privs,
		     const char *user);

#endif
