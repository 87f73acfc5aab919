/* entitlement: who may see a category or an entry (KALTURA.md section 6), and the lookups the
 * category and entry services share. The sandbox partner has the entitlement feature on. */
#ifndef KT_SANDBOX_ENTITLEMENT_H
#define KT_SANDBOX_ENTITLEMENT_H

#include <stdbool.h>

#include "ks.h"
#include "sandbox/service.h"

#define ENT_APPEAR_PARTNER_ONLY 1
#define ENT_APPEAR_MEMBERS_ONLY 3

/* What a KS asks for; built from its privileges. */
typedef struct ent_ctx {
	bool enforce;           /* off with disableentitlement, unless enableentitlement */
	char *privacy_context;  /* privacycontext:X; NULL when none */
	char *user;             /* the KS user; "" when none */
} ent_ctx;

/* ks may be NULL (no KS: no privileges). Free with ent_ctx_free. */
void ent_ctx_init(ent_ctx *e, const ks_info *ks);
void ent_ctx_free(ent_ctx *e);

/* A category: its own privacy context (NULL or "" = none), appearInList, and whether the KS user
 * is a member. */
bool ent_category_visible(const ent_ctx *e, const char *privacy_context, int appear_in_list,
			  bool member);

/* An entry, from the privacy contexts of its n categories (NULL or "" = none); n = 0 is an entry
 * in no category. */
bool ent_entry_visible(const ent_ctx *e, const char *const *contexts, int n);

/* Lookups into the category service (svc_category.c), for the entry service. */
/* true when the category exists and e sees it; *context and *full_name (either may be NULL) get
 * malloc'd copies (context NULL when none). */
bool svc_category_lookup(sb_server *srv, const ent_ctx *e, long long id, char **context,
			 char **full_name);
/* Whether category id or one of its ancestors is in ids (a comma-separated list). */
bool svc_category_in_subtree(sb_server *srv, long long id, const char *ids);
/* The id of the category with this full name, visible to e; -1 when none. */
long long svc_category_find_full_name(sb_server *srv, const ent_ctx *e, const char *full_name);
/* The category service keeps which categories each entry is in, for entriesCount and
 * directEntriesCount; the entry service tells it on every add and delete. ncats 0 forgets the
 * entry. Called with the entry store's lock held (the lock order is entries, then categories). */
void svc_category_set_entry(sb_server *srv, const char *entry_id, const long long *cats, int ncats);

#endif
