#include "entfix.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ks.h"
#include "privilege.h"
#include "util.h"

/* Services whose lists entitlements filter: categories and the entry kinds. */
static bool entitled_service(const char *service)
{
	static const char *names[] = {"category", "baseentry", "media", "playlist", "data",
				      "document", "livestream", "categoryentry", "mixing"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcasecmp(service, names[i]))
			return true;
	return false;
}

static bool empty_list(const rvalue *v)
{
	if (!v || v->kind != RV_OBJECT)
		return false;
	const char *t = v->object_type;
	size_t n = t ? strlen(t) : 0;
	if (n < 12 || strcmp(t + n - 12, "ListResponse"))
		return false;
	const rvalue *total = rvalue_get(v, "totalCount");
	if (total && total->kind == RV_SCALAR)
		return !strcmp(total->text, "0");
	const rvalue *objects = rvalue_get(v, "objects");
	return !objects || objects->kind == RV_NULL || (objects->kind == RV_ARRAY && !objects->n);
}

entfix_kind entfix_detect(const char *service, const char *action, const response *res,
			  const char *privileges)
{
	if (!service || !action || !res || !res->result)
		return ENTFIX_NONE;
	/* disableentitlement opens everything, unless enableentitlement turns enforcement back on */
	if (priv_has(privileges, "disableentitlement") && !priv_has(privileges, "enableentitlement"))
		return ENTFIX_NONE;
	const rvalue *r = res->result;
	if (r->kind == RV_ERROR && r->code &&
	    (!strcmp(r->code, "CATEGORY_NOT_FOUND") || !strcmp(r->code, "ENTRY_ID_NOT_FOUND")))
		return ENTFIX_NOT_FOUND;
	if (entitled_service(service) && empty_list(r))
		return ENTFIX_EMPTY_LIST;
	return ENTFIX_NONE;
}

char *entfix_offer(entfix_kind kind, const char *privileges)
{
	const char *what = kind == ENTFIX_EMPTY_LIST ? "The list is empty" : "Not found";
	const char *has = privileges && *privileges ? privileges : "none";
	return kt_xasprintf("%s, and the KS does not disable entitlements (its privileges: %s): "
			    "entitlement enforcement may hide it. The fix: the same session plus "
			    "disableentitlement (or privacycontext:X), then this request again.",
			    what, has);
}

char *entfix_privileges(const char *privileges, const char *context)
{
	/* adding disableentitlement drops enableentitlement (the builder's rule) */
	return context ? priv_with(privileges, "privacycontext", context)
		       : priv_with(privileges, "disableentitlement", NULL);
}

static bool in_list(char **list, int n, const char *s, size_t len)
{
	for (int i = 0; i < n; i++)
		if (strlen(list[i]) == len && !memcmp(list[i], s, len))
			return true;
	return false;
}

int entfix_contexts(const response *category_list, char ***out)
{
	*out = NULL;
	const rvalue *objects = category_list && category_list->result
					? rvalue_get(category_list->result, "objects")
					: NULL;
	int n = 0;
	for (size_t i = 0; objects && objects->kind == RV_ARRAY && i < objects->n; i++) {
		const rvalue *c = rvalue_get(objects->children[i], "privacyContexts");
		if (!c)
			c = rvalue_get(objects->children[i], "privacyContext");
		if (!c || c->kind != RV_SCALAR)
			continue;
		for (const char *p = c->text; *p;) {
			size_t len = strcspn(p, ",");
			const char *a = p, *z = p + len;
			while (a < z && *a == ' ')
				a++;
			while (z > a && z[-1] == ' ')
				z--;
			if (z > a && !in_list(*out, n, a, (size_t)(z - a))) {
				*out = kt_xrealloc(*out, (size_t)(n + 1) * sizeof **out);
				(*out)[n++] = kt_xstrndup(a, (size_t)(z - a));
			}
			p += len;
			if (*p == ',')
				p++;
		}
	}
	return n;
}

static const char *text_of(const rvalue *o, const char *name)
{
	const rvalue *v = rvalue_get(o, name);
	return v && v->kind == RV_SCALAR && v->text[0] ? v->text : NULL;
}

/* Whether context is one of the comma-separated list. */
static bool context_listed(const char *list, const char *context)
{
	size_t cl = strlen(context);
	for (const char *p = list; *p;) {
		size_t len = strcspn(p, ",");
		const char *a = p;
		while (*a == ' ' && a < p + len)
			a++;
		size_t al = (size_t)(p + len - a);
		while (al && a[al - 1] == ' ')
			al--;
		if (al == cl && !memcmp(a, context, cl))
			return true;
		p += len;
		if (*p == ',')
			p++;
	}
	return false;
}

char *entfix_why_hidden(const rvalue *o, const char *privileges, const char *user)
{
	if (!o || o->kind != RV_OBJECT)
		return NULL;
	ks_privs p;
	ks_privs_parse(privileges, &p);
	const ks_priv *pc = ks_privs_find(&p, "privacycontext");
	char *ctx_asked = pc && pc->value[0] ? kt_xstrdup(pc->value) : NULL;
	ks_privs_free(&p);

	kt_buf b;
	kt_buf_init(&b);
	const char *contexts = text_of(o, "privacyContexts");
	if (!contexts)
		contexts = text_of(o, "privacyContext");
	const char *appear = text_of(o, "appearInList");
	bool is_category = appear || text_of(o, "fullName") ||
			   (o->object_type && strstr(o->object_type, "Category"));
	if (is_category) {
		if (contexts && !(ctx_asked && context_listed(contexts, ctx_asked)))
			kt_buf_printf(&b, "It belongs to privacy context %s: while entitlements are "
				      "enforced, only a KS with privacycontext:%s (or "
				      "disableentitlement) sees it.", contexts, contexts);
		else if (!contexts && ctx_asked)
			kt_buf_printf(&b, "It has no privacy context, and the KS searches privacy "
				      "context %s only.", ctx_asked);
		if (appear && !strcmp(appear, "3"))
			kt_buf_printf(&b, "%sIt is listed to its members only (appearInList "
				      "CATEGORY_MEMBERS_ONLY)%s%s%s.", b.len ? " " : "",
				      user && *user ? ": user '" : ", and the KS has no user",
				      user && *user ? user : "", user && *user ? "' is not one" : "");
	} else {
		const char *cats = text_of(o, "categories");
		if (!cats)
			cats = text_of(o, "categoriesIds");
		if (cats && !ctx_asked)
			kt_buf_printf(&b, "It is in the categories %s: an entry whose categories all "
				      "have a privacy context is hidden while entitlements are "
				      "enforced, unless the KS names one of them.", cats);
		else if (!cats && ctx_asked)
			kt_buf_printf(&b, "It is in no category, and the KS searches privacy context "
				      "%s only.", ctx_asked);
		else if (cats && ctx_asked)
			kt_buf_printf(&b, "It is in the categories %s, none of them in privacy "
				      "context %s.", cats, ctx_asked);
	}
	free(ctx_asked);
	if (!b.len) {
		kt_buf_free(&b);
		return NULL;
	}
	return kt_buf_steal(&b);
}

/* One line on an outcome: the error, the list's size, or the object found. */
static void describe(kt_buf *b, const response *r)
{
	const rvalue *v = r ? r->result : NULL;
	const rvalue *e = r ? response_error(r) : NULL;
	if (!v) {
		kt_buf_adds(b, "no answer");
	} else if (e) {
		kt_buf_printf(b, "%s (%s)", e->code ? e->code : "an error", e->message ? e->message
											: "");
	} else if (v->kind == RV_OBJECT && rvalue_get(v, "totalCount")) {
		const rvalue *t = rvalue_get(v, "totalCount");
		kt_buf_printf(b, "%s item(s)", t->kind == RV_SCALAR ? t->text : "?");
	} else if (v->kind == RV_OBJECT) {
		const rvalue *id = rvalue_get(v, "id"), *name = rvalue_get(v, "name");
		kt_buf_printf(b, "%s", v->object_type ? v->object_type : "an object");
		if (id && id->kind == RV_SCALAR)
			kt_buf_printf(b, " %s", id->text);
		if (name && name->kind == RV_SCALAR)
			kt_buf_printf(b, " \"%s\"", name->text);
	} else {
		kt_buf_adds(b, "a result");
	}
}

char *entfix_summary(const char *service, const char *action, const response *before,
		     const char *before_privs, const response *after, const char *after_privs,
		     const char *user)
{
	kt_buf b;
	kt_buf_init(&b);
	kt_buf_printf(&b, "%s.%s before: ", service ? service : "?", action ? action : "?");
	describe(&b, before);
	kt_buf_printf(&b, ", privileges %s\n", before_privs && *before_privs ? before_privs
									      : "(none)");
	kt_buf_adds(&b, "after the fix: ");
	describe(&b, after);
	kt_buf_printf(&b, ", privileges %s\n", after_privs && *after_privs ? after_privs : "(none)");
	if (after && after->result && !response_error(after)) {
		const rvalue *o = after->result;
		const rvalue *objects = rvalue_get(o, "objects");
		if (objects && objects->kind == RV_ARRAY)
			o = objects->n ? objects->children[0] : NULL;
		char *why = entfix_why_hidden(o, before_privs, user);
		if (why) {
			kt_buf_printf(&b, "why it was hidden: %s\n", why);
			free(why);
		}
	} else if (after && response_error(after)) {
		ks_privs p;
		ks_privs_parse(after_privs, &p);
		const ks_priv *pc = ks_privs_find(&p, "privacycontext");
		if (!ks_privs_find(&p, "disableentitlement") && pc && pc->value[0])
			/* a context searched hides what is outside it, and what has none */
			kt_buf_printf(&b, "still refused in privacy context %s: the object is not in "
				      "that context (or has none); disableentitlement sees every one\n",
				      pc->value);
		else
			kt_buf_adds(&b, "still refused with entitlements off: the id is probably "
					"wrong, or belongs to another partner\n");
		ks_privs_free(&p);
	}
	return kt_buf_steal(&b);
}
