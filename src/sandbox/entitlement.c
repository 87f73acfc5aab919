/* entitlement: the visibility rules of KALTURA.md section 6, as pure functions. */
#include "sandbox/entitlement.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

void ent_ctx_init(ent_ctx *e, const ks_info *ks)
{
	ks_privs p = {0};
	ks_privs_parse(ks && ks->privileges ? ks->privileges : "", &p);
	/* The partner enforces by default; enableentitlement wins over disableentitlement. */
	e->enforce = !ks_privs_find(&p, "disableentitlement") ||
		     ks_privs_find(&p, "enableentitlement");
	const ks_priv *ctx = ks_privs_find(&p, "privacycontext");
	e->privacy_context = ctx && *ctx->value ? kt_xstrdup(ctx->value) : NULL;
	e->user = kt_xstrdup(ks && ks->user ? ks->user : "");
	ks_privs_free(&p);
}

void ent_ctx_free(ent_ctx *e)
{
	free(e->privacy_context);
	free(e->user);
	e->privacy_context = e->user = NULL;
}

static bool has_context(const char *c)
{
	return c && *c;
}

bool ent_category_visible(const ent_ctx *e, const char *privacy_context, int appear_in_list,
			  bool member)
{
	if (!e->enforce)
		return true;
	if (has_context(e->privacy_context) != has_context(privacy_context))
		return false;
	if (has_context(privacy_context) && strcmp(e->privacy_context, privacy_context))
		return false;
	return appear_in_list == ENT_APPEAR_PARTNER_ONLY || member;
}

bool ent_entry_visible(const ent_ctx *e, const char *const *contexts, int n)
{
	if (!e->enforce)
		return true;
	if (has_context(e->privacy_context)) {
		/* Only entries published in the searched context; others are outside it. */
		for (int i = 0; i < n; i++)
			if (has_context(contexts[i]) && !strcmp(contexts[i], e->privacy_context))
				return true;
		return false;
	}
	/* No context asked: hidden only when every category has one (none counts as public). */
	for (int i = 0; i < n; i++)
		if (!has_context(contexts[i]))
			return true;
	return n == 0;
}
