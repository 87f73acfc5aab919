/* svc_category: category and categoryUser (membership), in memory, with entitlements. */
#include "sandbox/entitlement.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sandbox/list.h"
#include "sandbox/partner.h"
#include "sandbox/store.h"
#include "util.h"

#define CAT_MAX_DEPTH 32 /* a path holds at most CAT_MAX_DEPTH - 1 categories */

/* A category is a record of id, parentId, name, description, tags, privacyContext,
 * appearInList, createdAt and updatedAt; the rest of KalturaCategory is derived when it is
 * rendered. */
typedef store_row cat;

typedef struct cat_state {
	pthread_mutex_t lock;
	store_table cats;    /* by id */
	store_table members; /* categoryId, userId, createdAt */
	/* each entry's categories (id, categoriesIds), mirrored from svc_entry so counts need not
	 * take its lock */
	store_table placed;
	long long next_id;
	long long partner_id;
} cat_state;

static long long cat_id(const cat *k)
{
	return store_rec_getll(k->rec, "id", 0);
}

static long long cat_parent(const cat *k)
{
	return store_rec_getll(k->rec, "parentId", 0);
}

static const char *cat_context(const cat *k)
{
	return store_rec_get(k->rec, "privacyContext");
}

static int cat_appear(const cat *k)
{
	return (int)store_rec_getll(k->rec, "appearInList", ENT_APPEAR_PARTNER_ONLY);
}

/* Sets a text property, or removes it for NULL. */
static void set_text(cat *k, const char *name, const char *v)
{
	if (v)
		store_rec_set(k->rec, name, v);
	else
		param_remove(k->rec, name);
}

static char *dup_or_null(const char *s)
{
	return s ? kt_xstrdup(s) : NULL;
}

static cat *find(cat_state *st, long long id)
{
	return store_find_ll(&st->cats, id);
}

static bool is_member(cat_state *st, long long id, const char *user)
{
	if (!user || !*user)
		return false;
	for (size_t i = 0; i < st->members.n; i++) {
		const param *m = st->members.rows[i]->rec;
		const char *u = store_rec_get(m, "userId");
		if (store_rec_getll(m, "categoryId", 0) == id && u && !strcmp(u, user))
			return true;
	}
	return false;
}

static bool visible(cat_state *st, const ent_ctx *e, const cat *k)
{
	return ent_category_visible(e, cat_context(k), cat_appear(k),
				    is_member(st, cat_id(k), e->user));
}

/* Walks to the root; the depth cap guards against a cycle that update could never make. */
static int chain(cat_state *st, const cat *k, const cat **out)
{
	int n = 0;
	while (k && n < CAT_MAX_DEPTH) {
		out[n++] = k;
		k = cat_parent(k) ? find(st, cat_parent(k)) : NULL;
	}
	return n;
}

static char *full_name(cat_state *st, const cat *k)
{
	const cat *c[CAT_MAX_DEPTH];
	int n = chain(st, k, c);
	kt_buf b = {0};
	for (int i = n - 1; i >= 0; i--) {
		kt_buf_adds(&b, store_rec_get(c[i]->rec, "name"));
		if (i)
			kt_buf_addc(&b, '>');
	}
	return kt_buf_steal(&b);
}

/* Whether anc is k or one of its ancestors. */
static bool under(cat_state *st, const cat *k, long long anc)
{
	const cat *up[CAT_MAX_DEPTH];
	int n = chain(st, k, up);
	for (int i = 0; i < n; i++)
		if (cat_id(up[i]) == anc)
			return true;
	return false;
}

/* directEntriesCount: entries in k itself; entriesCount: entries in k or anywhere below it,
 * each entry once. Categories deleted since are skipped (find fails). */
static void entry_counts(cat_state *st, const cat *k, long long *direct, long long *all)
{
	*direct = *all = 0;
	long long id = cat_id(k);
	for (size_t i = 0; i < st->placed.n; i++) {
		bool in = false, below = false;
		for (const char *p = store_rec_get(st->placed.rows[i]->rec, "categoriesIds");
		     p && *p;) {
			char *end;
			long long c = strtoll(p, &end, 10);
			in |= c == id;
			if (!below && !in) {
				const cat *x = find(st, c);
				below = x && under(st, x, id);
			}
			p = *end ? end + 1 : end;
		}
		*direct += in;
		*all += in || below;
	}
}

void svc_category_set_entry(sb_server *srv, const char *entry_id, const long long *cats, int ncats)
{
	cat_state *st = sb_server_state(srv, &sb_category_service);
	pthread_mutex_lock(&st->lock);
	store_row *r = store_find(&st->placed, entry_id);
	if (r)
		store_delete(&st->placed, r);
	if (ncats > 0) {
		kt_buf ids = {0};
		for (int i = 0; i < ncats; i++)
			kt_buf_printf(&ids, i ? ",%lld" : "%lld", cats[i]);
		param *rec = param_new();
		store_rec_set(rec, "id", entry_id);
		char *text = kt_buf_steal(&ids);
		store_rec_set(rec, "categoriesIds", text);
		free(text);
		store_insert(&st->placed, rec, NULL);
	}
	pthread_mutex_unlock(&st->lock);
}

static char *full_ids(cat_state *st, const cat *k)
{
	const cat *c[CAT_MAX_DEPTH];
	int n = k ? chain(st, k, c) : 0;
	kt_buf ids = {0};
	for (int i = n - 1; i >= 0; i--)
		kt_buf_printf(&ids, i ? "%lld>" : "%lld", cat_id(c[i]));
	return kt_buf_steal(&ids);
}

static rvalue *render(cat_state *st, const cat *k)
{
	const cat *c[CAT_MAX_DEPTH];
	int n = chain(st, k, c);
	char *fullids = full_ids(st, k);
	char *name = full_name(st, k);
	long long id = cat_id(k), subs = 0, members = 0;
	for (size_t i = 0; i < st->cats.n; i++)
		subs += cat_parent(st->cats.rows[i]) == id;
	for (size_t i = 0; i < st->members.n; i++)
		members += store_rec_getll(st->members.rows[i]->rec, "categoryId", 0) == id;
	long long direct, entries;
	entry_counts(st, k, &direct, &entries);
	const char *description = store_rec_get(k->rec, "description");
	const char *tags = store_rec_get(k->rec, "tags");
	const char *context = cat_context(k);
	int appear = cat_appear(k);

	rvalue *r = sb_rv_object(NULL, "KalturaCategory");
	sb_rv_addf(r, "id", "%lld", id);
	sb_rv_addf(r, "parentId", "%lld", cat_parent(k));
	sb_rv_addf(r, "depth", "%d", n - 1);
	sb_rv_addf(r, "partnerId", "%lld", st->partner_id);
	sb_rv_add(r, sb_rv_scalar("name", store_rec_get(k->rec, "name")));
	sb_rv_add(r, sb_rv_scalar("fullName", name));
	sb_rv_add(r, sb_rv_scalar("fullIds", fullids));
	sb_rv_addf(r, "entriesCount", "%lld", entries);
	sb_rv_addf(r, "createdAt", "%lld", store_rec_getll(k->rec, "createdAt", 0));
	sb_rv_addf(r, "updatedAt", "%lld", store_rec_getll(k->rec, "updatedAt", 0));
	if (description)
		sb_rv_add(r, sb_rv_scalar("description", description));
	if (tags)
		sb_rv_add(r, sb_rv_scalar("tags", tags));
	sb_rv_addf(r, "appearInList", "%d", appear);
	/* KalturaPrivacyType: ALL 1, MEMBERS_ONLY 3 */
	sb_rv_addf(r, "privacy", "%d", appear == ENT_APPEAR_MEMBERS_ONLY ? 3 : 1);
	sb_rv_addf(r, "membersCount", "%lld", members);
	sb_rv_addf(r, "pendingMembersCount", "%d", 0);
	if (context) {
		sb_rv_add(r, sb_rv_scalar("privacyContext", context));
		sb_rv_add(r, sb_rv_scalar("privacyContexts", context));
	}
	sb_rv_addf(r, "status", "%d", 2); /* ACTIVE */
	sb_rv_addf(r, "directEntriesCount", "%lld", direct);
	sb_rv_addf(r, "directSubCategoriesCount", "%lld", subs);
	free(name);
	free(fullids);
	return r;
}

static int not_found(sb_call *c, long long id)
{
	char t[32];
	snprintf(t, sizeof t, "%lld", id);
	return sb_fail(c, "CATEGORY_NOT_FOUND", 1, t);
}

static void ctx_of(const sb_call *c, ent_ctx *e)
{
	ent_ctx_init(e, c->ks ? c->ks_info : NULL);
}

/* ---- shared with svc_entry ---- */

bool svc_category_lookup(sb_server *srv, const ent_ctx *e, long long id, char **context,
			 char **fullname)
{
	cat_state *st = sb_server_state(srv, &sb_category_service);
	pthread_mutex_lock(&st->lock);
	cat *k = find(st, id);
	bool ok = k && visible(st, e, k);
	if (ok && context)
		*context = dup_or_null(cat_context(k));
	if (ok && fullname)
		*fullname = full_name(st, k);
	pthread_mutex_unlock(&st->lock);
	return ok;
}

bool svc_category_in_subtree(sb_server *srv, long long id, const char *ids)
{
	cat_state *st = sb_server_state(srv, &sb_category_service);
	pthread_mutex_lock(&st->lock);
	const cat *up[CAT_MAX_DEPTH];
	const cat *k = find(st, id);
	int n = k ? chain(st, k, up) : 0;
	bool in = false;
	for (int i = 0; i < n && !in; i++)
		in = store_list_has(ids, store_rec_get(up[i]->rec, "id"));
	pthread_mutex_unlock(&st->lock);
	return in;
}

long long svc_category_find_full_name(sb_server *srv, const ent_ctx *e, const char *name)
{
	cat_state *st = sb_server_state(srv, &sb_category_service);
	long long id = -1;
	pthread_mutex_lock(&st->lock);
	for (size_t i = 0; i < st->cats.n && id < 0; i++) {
		const cat *k = st->cats.rows[i];
		char *f = full_name(st, k);
		if (!strcmp(f, name) && visible(st, e, k))
			id = cat_id(k);
		free(f);
	}
	pthread_mutex_unlock(&st->lock);
	return id;
}

/* ---- category ---- */

static cat *insert(cat_state *st, long long parent, const char *name, const char *context, int appear)
{
	param *rec = param_new();
	long long now = (long long)time(NULL);
	store_rec_setll(rec, "id", st->next_id++);
	store_rec_setll(rec, "parentId", parent);
	store_rec_set(rec, "name", name);
	if (context && *context)
		store_rec_set(rec, "privacyContext", context);
	store_rec_setll(rec, "appearInList", appear);
	store_rec_setll(rec, "createdAt", now);
	store_rec_setll(rec, "updatedAt", now);
	return store_insert(&st->cats, rec, NULL);
}

static bool valid_appear(long long v)
{
	return v == ENT_APPEAR_PARTNER_ONLY || v == ENT_APPEAR_MEMBERS_ONLY;
}

static int bad_appear(sb_call *c)
{
	return sb_fail(c, "INVALID_ENUM_VALUE", 3, sb_arg(c, "category:appearInList"),
		       "appearInList", "KalturaAppearInListType");
}

static int category_add(sb_call *c)
{
	cat_state *st = sb_state(c, &sb_category_service);
	const char *name = sb_arg(c, "category:name");
	if (!name || !*name)
		return sb_fail(c, "PROPERTY_VALIDATION_CANNOT_BE_NULL", 1, "name");
	if (strchr(name, '>'))
		return sb_fail(c, "INVALID_FIELD_VALUE", 1, "name"); /* would break fullName */
	long long appear = sb_arg_ll(c, "category:appearInList", ENT_APPEAR_PARTNER_ONLY);
	if (!valid_appear(appear))
		return bad_appear(c);
	long long parent = sb_arg_ll(c, "category:parentId", 0);
	ent_ctx e;
	ctx_of(c, &e);
	pthread_mutex_lock(&st->lock);
	int rc = 0;
	cat *p = parent ? find(st, parent) : NULL;
	const cat *up[CAT_MAX_DEPTH];
	if (parent && (!p || !visible(st, &e, p))) {
		rc = not_found(c, parent);
	} else if (p && chain(st, p, up) >= CAT_MAX_DEPTH - 1) {
		rc = sb_fail(c, "INVALID_FIELD_VALUE", 1, "parentId");
	} else {
		cat *k = insert(st, parent, name, sb_arg(c, "category:privacyContext"), (int)appear);
		set_text(k, "description", sb_arg(c, "category:description"));
		set_text(k, "tags", sb_arg(c, "category:tags"));
		c->result = render(st, k);
	}
	pthread_mutex_unlock(&st->lock);
	ent_ctx_free(&e);
	return rc;
}

static int category_get(sb_call *c)
{
	cat_state *st = sb_state(c, &sb_category_service);
	long long id = sb_arg_ll(c, "id", 0);
	ent_ctx e;
	ctx_of(c, &e);
	pthread_mutex_lock(&st->lock);
	cat *k = find(st, id);
	int rc = 0;
	if (!k || !visible(st, &e, k))
		rc = not_found(c, id);
	else
		c->result = render(st, k);
	pthread_mutex_unlock(&st->lock);
	ent_ctx_free(&e);
	return rc;
}

static int subtree_height(cat_state *st, const cat *k, int depth)
{
	int h = 0;
	if (depth >= CAT_MAX_DEPTH)
		return CAT_MAX_DEPTH;
	long long id = cat_id(k);
	for (size_t i = 0; i < st->cats.n; i++) {
		if (cat_parent(st->cats.rows[i]) == id) {
			int sub = 1 + subtree_height(st, st->cats.rows[i], depth + 1);
			h = sub > h ? sub : h;
		}
	}
	return h;
}

/* A new parent must be visible and neither k nor below it, and keep the tree shallow. */
static int check_move(cat_state *st, sb_call *c, const ent_ctx *e, const cat *k, long long parent)
{
	if (!parent)
		return 0;
	const cat *p = find(st, parent);
	if (!p || !visible(st, e, p))
		return not_found(c, parent);
	const cat *up[CAT_MAX_DEPTH];
	int n = chain(st, p, up);
	for (int i = 0; i < n; i++)
		if (up[i] == k)
			return sb_fail(c, "INVALID_FIELD_VALUE", 1, "parentId");
	if (n + 1 + subtree_height(st, k, n + 1) > CAT_MAX_DEPTH - 1)
		return sb_fail(c, "INVALID_FIELD_VALUE", 1, "parentId");
	return 0;
}

static int category_update(sb_call *c)
{
	cat_state *st = sb_state(c, &sb_category_service);
	long long id = sb_arg_ll(c, "id", 0);
	const char *name = sb_arg(c, "category:name");
	const char *appear_s = sb_arg(c, "category:appearInList");
	long long appear = sb_arg_ll(c, "category:appearInList", 0);
	const char *parent_s = sb_arg(c, "category:parentId");
	long long parent = sb_arg_ll(c, "category:parentId", 0);
	ent_ctx e;
	ctx_of(c, &e);
	pthread_mutex_lock(&st->lock);
	cat *k = find(st, id);
	int rc = 0;
	if (!k || !visible(st, &e, k)) {
		rc = not_found(c, id);
	} else if (name && !*name) {
		rc = sb_fail(c, "PROPERTY_VALIDATION_CANNOT_BE_NULL", 1, "name");
	} else if (name && strchr(name, '>')) {
		rc = sb_fail(c, "INVALID_FIELD_VALUE", 1, "name");
	} else if (appear_s && !valid_appear(appear)) {
		rc = bad_appear(c);
	} else if (parent_s && check_move(st, c, &e, k, parent) < 0) {
		rc = -1;
	} else {
		if (parent_s)
			store_rec_setll(k->rec, "parentId", parent);
		if (name)
			set_text(k, "name", name);
		if (appear_s)
			store_rec_setll(k->rec, "appearInList", appear);
		const param *ctx = param_find(c->params, "category:privacyContext");
		if (ctx) {
			const char *v = sb_arg(c, "category:privacyContext");
			set_text(k, "privacyContext", v && *v ? v : NULL);
		}
		if (param_find(c->params, "category:description"))
			set_text(k, "description", sb_arg(c, "category:description"));
		if (param_find(c->params, "category:tags"))
			set_text(k, "tags", sb_arg(c, "category:tags"));
		store_rec_setll(k->rec, "updatedAt", (long long)time(NULL));
		c->result = render(st, k);
	}
	pthread_mutex_unlock(&st->lock);
	ent_ctx_free(&e);
	return rc;
}

static void drop_members(cat_state *st, long long id)
{
	for (size_t i = st->members.n; i-- > 0;)
		if (store_rec_getll(st->members.rows[i]->rec, "categoryId", 0) == id)
			store_delete(&st->members, st->members.rows[i]);
}

static int category_delete(sb_call *c)
{
	cat_state *st = sb_state(c, &sb_category_service);
	long long id = sb_arg_ll(c, "id", 0);
	ent_ctx e;
	ctx_of(c, &e);
	pthread_mutex_lock(&st->lock);
	cat *k = find(st, id);
	int rc = 0;
	if (!k || !visible(st, &e, k)) {
		rc = not_found(c, id);
	} else {
		/* The subtree goes too: ids is closed under "child of". */
		long long *ids = kt_xmalloc(st->cats.n * sizeof *ids);
		size_t n = 0;
		ids[n++] = id;
		for (size_t done = 0; done < n; done++)
			for (size_t i = 0; i < st->cats.n; i++)
				if (cat_parent(st->cats.rows[i]) == ids[done])
					ids[n++] = cat_id(st->cats.rows[i]);
		for (size_t g = 0; g < n; g++) {
			drop_members(st, ids[g]);
			store_delete(&st->cats, find(st, ids[g]));
		}
		free(ids);
	}
	pthread_mutex_unlock(&st->lock);
	ent_ctx_free(&e);
	return rc;
}

/* A filter field the list engine leaves to the handler; NULL when not set. */
static const char *filter_arg(const sb_call *c, const char *field)
{
	const param *f = sb_arg_obj(c, "filter");
	const char *v = f ? store_rec_get(f, field) : NULL;
	return v && *v ? v : NULL;
}

/* v when PHP reads it as true (not NULL, "" or "0"). */
static const char *php_true(const char *v)
{
	return v && *v && strcmp(v, "0") ? v : NULL;
}

/* The categories the KS sees, in id order; the list engine filters, orders and pages them. */
static int category_list(sb_call *c)
{
	cat_state *st = sb_state(c, &sb_category_service);
	ent_ctx e;
	ctx_of(c, &e);
	/* membersIn (categoryFilter's _in_members): categories one of the users is a member of;
	 * memberEqual and managerEqual (SphinxCategoryCriteria's _eq_member, _eq_manager, set when
	 * PHP finds the value true, so not for "0"): the user is a member, a manager. Every
	 * sandbox member has the MEMBER level, so no category has a manager. */
	const char *in = filter_arg(c, "membersIn");
	const char *user = php_true(filter_arg(c, "memberEqual"));
	bool manager = php_true(filter_arg(c, "managerEqual")) != NULL;
	pthread_mutex_lock(&st->lock);
	rvalue **objs = kt_xcalloc(st->cats.n ? st->cats.n : 1, sizeof *objs);
	size_t n = 0;
	for (size_t i = 0; i < st->cats.n && !manager; i++) {
		const cat *k = st->cats.rows[i];
		long long id = cat_id(k);
		bool belongs = !in;
		for (size_t m = 0; m < st->members.n && !belongs; m++) {
			const param *r = st->members.rows[m]->rec;
			const char *u = store_rec_get(r, "userId");
			belongs = store_rec_getll(r, "categoryId", 0) == id && u &&
				  store_list_has(in, u);
		}
		if (belongs && (!user || is_member(st, id, user)) && visible(st, &e, k))
			objs[n++] = render(st, k);
	}
	pthread_mutex_unlock(&st->lock);
	ent_ctx_free(&e);
	return sb_list(c, objs, n, "KalturaCategory", "KalturaCategoryListResponse");
}

/* ---- categoryUser ---- */

#define MEMBER_CLASS "KalturaCategoryUser"

/* A member record (categoryId, userId, createdAt) with what the server fills in itself. */
static rvalue *render_member(cat_state *st, const param *m)
{
	char *fullids = full_ids(st, find(st, store_rec_getll(m, "categoryId", 0)));
	const char *created = store_rec_get(m, "createdAt");
	rvalue *r = sb_rv_object(NULL, MEMBER_CLASS);
	sb_rv_add(r, sb_rv_scalar("categoryId", store_rec_get(m, "categoryId")));
	sb_rv_add(r, sb_rv_scalar("userId", store_rec_get(m, "userId")));
	sb_rv_addf(r, "partnerId", "%lld", st->partner_id);
	sb_rv_addf(r, "permissionLevel", "%d", 3); /* MEMBER */
	sb_rv_addf(r, "status", "%d", 1);          /* ACTIVE */
	sb_rv_add(r, sb_rv_scalar("createdAt", created));
	sb_rv_add(r, sb_rv_scalar("updatedAt", created));
	sb_rv_addf(r, "updateMethod", "%d", 1);    /* MANUAL */
	sb_rv_add(r, sb_rv_scalar("categoryFullIds", fullids));
	sb_rv_add(r, sb_rv_scalar("permissionNames", "CATEGORY_VIEW"));
	free(fullids);
	return r;
}

static store_row *find_member(cat_state *st, long long id, const char *user)
{
	for (size_t i = 0; user && i < st->members.n; i++) {
		const param *m = st->members.rows[i]->rec;
		const char *u = store_rec_get(m, "userId");
		if (store_rec_getll(m, "categoryId", 0) == id && u && !strcmp(u, user))
			return st->members.rows[i];
	}
	return NULL;
}

static int category_user_add(sb_call *c)
{
	cat_state *st = sb_state(c, &sb_category_service);
	const char *cid = sb_arg(c, "categoryUser:categoryId");
	const char *user = sb_arg(c, "categoryUser:userId");
	if (!cid)
		return sb_fail(c, "PROPERTY_VALIDATION_CANNOT_BE_NULL", 1, "categoryId");
	if (!user || !*user)
		return sb_fail(c, "PROPERTY_VALIDATION_CANNOT_BE_NULL", 1, "userId");
	long long id = sb_arg_ll(c, "categoryUser:categoryId", 0);
	ent_ctx e;
	ctx_of(c, &e);
	pthread_mutex_lock(&st->lock);
	cat *k = find(st, id);
	int rc = 0;
	/* Adding a member needs to see the category without being one. */
	if (!k || !ent_category_visible(&e, cat_context(k), cat_appear(k), true)) {
		rc = not_found(c, id);
	} else if (is_member(st, id, user)) {
		rc = sb_fail(c, "INVALID_CATEGORY_USER_ID", 2, cid, user);
	} else {
		param *m = param_new();
		store_rec_setll(m, "categoryId", id);
		store_rec_set(m, "userId", user);
		store_rec_setll(m, "createdAt", (long long)time(NULL));
		store_insert(&st->members, m, NULL);
		c->result = render_member(st, m);
	}
	pthread_mutex_unlock(&st->lock);
	ent_ctx_free(&e);
	return rc;
}

static int category_user_delete(sb_call *c)
{
	cat_state *st = sb_state(c, &sb_category_service);
	const char *cid = sb_arg(c, "categoryId");
	const char *user = sb_arg(c, "userId");
	long long id = sb_arg_ll(c, "categoryId", 0);
	pthread_mutex_lock(&st->lock);
	store_row *m = find_member(st, id, user);
	if (m)
		store_delete(&st->members, m);
	pthread_mutex_unlock(&st->lock);
	if (!m)
		return sb_fail(c, "INVALID_CATEGORY_USER_ID", 2, cid ? cid : "", user ? user : "");
	return 0;
}

static int category_user_list(sb_call *c)
{
	cat_state *st = sb_state(c, &sb_category_service);
	/* CategoryUserService::listAction: one of these, as PHP reads it, is needed */
	static const char *const needed[] = {"categoryIdEqual", "categoryIdIn",
					     "categoryFullIdsStartsWith", "categoryFullIdsEqual",
					     "userIdIn", "userIdEqual", "relatedGroupsByUserId"};
	bool any = false;
	for (size_t i = 0; i < sizeof needed / sizeof *needed && !any; i++)
		any = php_true(filter_arg(c, needed[i])) != NULL;
	if (!any)
		return sb_fail(c, "MUST_FILTER_USERS_OR_CATEGORY", 0);
	/* KalturaCategoryUserFilter::getListResponse: relatedGroupsByUserId is the user and the
	 * groups it is in (the sandbox has no groups); none when there is no such user */
	const char *related = php_true(filter_arg(c, "relatedGroupsByUserId"));
	char *login = NULL;
	bool known = !related || svc_user_login_of(c->srv, related, &login) >= 0;
	free(login);
	pthread_mutex_lock(&st->lock);
	rvalue **objs = kt_xcalloc(st->members.n ? st->members.n : 1, sizeof *objs);
	size_t n = 0;
	for (size_t i = 0; i < st->members.n && known; i++) {
		const param *m = st->members.rows[i]->rec;
		const char *u = store_rec_get(m, "userId");
		if (!related || (u && !strcmp(u, related)))
			objs[n++] = render_member(st, m);
	}
	pthread_mutex_unlock(&st->lock);
	return sb_list(c, objs, n, MEMBER_CLASS, "KalturaCategoryUserListResponse");
}

static void category_reset(sb_server *srv, void *state)
{
	(void)srv;
	cat_state *st = state;
	store_table_free(&st->cats);
	store_table_free(&st->members);
	store_table_free(&st->placed);
	pthread_mutex_destroy(&st->lock);
}

/* The demo categories; the entry service (seeded next) places its entries in them. */
static void category_seed(sb_server *srv, void *state)
{
	cat_state *st = state;
	pthread_mutex_init(&st->lock, NULL);
	store_table_init(&st->cats, "id", NULL);
	store_table_init(&st->members, NULL, NULL);
	store_table_init(&st->placed, "id", NULL);
	st->next_id = 1;
	st->partner_id = sb_server_config(srv)->partner_id;
	insert(st, 0, "Demo", NULL, ENT_APPEAR_PARTNER_ONLY);                  /* 1 */
	insert(st, 0, "MediaSpace", "MediaSpace", ENT_APPEAR_PARTNER_ONLY);   /* 2 */
	insert(st, 0, "Members only", NULL, ENT_APPEAR_MEMBERS_ONLY);         /* 3 */
	insert(st, 1, "Sub", NULL, ENT_APPEAR_PARTNER_ONLY);                  /* 4: Demo>Sub */
}

static const sb_handler handlers[] = {
	{"category", "add", category_add, SB_ADMIN},
	{"category", "get", category_get, SB_ANY},
	{"category", "list", category_list, SB_ANY},
	{"category", "update", category_update, SB_ADMIN},
	{"category", "delete", category_delete, SB_ADMIN},
	/* The server lets USER sessions through to add and delete, then refuses anyone but a
	 * category manager (CATEGORY_USER_JOIN_NOT_ALLOWED, CANNOT_UPDATE_CATEGORY_USER; codes the
	 * shipped catalogue lacks). The sandbox has no managers, so a USER session may never
	 * succeed there: it is refused up front. */
	{"categoryuser", "add", category_user_add, SB_ADMIN},
	{"categoryuser", "list", category_user_list, SB_USER},
	{"categoryuser", "delete", category_user_delete, SB_ADMIN},
	{NULL, NULL, NULL, SB_ANY},
};

const sb_service sb_category_service = {"category", handlers, sizeof(cat_state), category_seed,
					 category_reset};
