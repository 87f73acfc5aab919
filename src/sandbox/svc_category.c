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

typedef struct cat {
	long long id, parent;
	char *name, *description, *tags, *context;
	int appear;
	long long created, updated;
} cat;

/* An entry's categories, mirrored from svc_entry so counts need not take its lock. */
typedef struct placed {
	char *entry;
	long long *cats;
	int ncats;
} placed;

typedef struct member {
	long long cat;
	char *user;
	long long created;
} member;

typedef struct cat_state {
	pthread_mutex_t lock;
	cat *cats;
	size_t ncats, capcats;
	member *members;
	size_t nmembers, capmembers;
	placed *placed;
	size_t nplaced, capplaced;
	long long next_id;
	long long partner_id;
} cat_state;

static char *dup_or_null(const char *s)
{
	return s ? kt_xstrdup(s) : NULL;
}

static void set_str(char **field, const char *v)
{
	free(*field);
	*field = dup_or_null(v);
}

static cat *find(cat_state *st, long long id)
{
	for (size_t i = 0; i < st->ncats; i++)
		if (st->cats[i].id == id)
			return &st->cats[i];
	return NULL;
}

static bool is_member(cat_state *st, long long id, const char *user)
{
	if (!user || !*user)
		return false;
	for (size_t i = 0; i < st->nmembers; i++)
		if (st->members[i].cat == id && !strcmp(st->members[i].user, user))
			return true;
	return false;
}

static bool visible(cat_state *st, const ent_ctx *e, const cat *k)
{
	return ent_category_visible(e, k->context, k->appear, is_member(st, k->id, e->user));
}

/* Walks to the root; the depth cap guards against a cycle that update could never make. */
static int chain(cat_state *st, const cat *k, const cat **out)
{
	int n = 0;
	while (k && n < CAT_MAX_DEPTH) {
		out[n++] = k;
		k = k->parent ? find(st, k->parent) : NULL;
	}
	return n;
}

static char *full_name(cat_state *st, const cat *k)
{
	const cat *c[CAT_MAX_DEPTH];
	int n = chain(st, k, c);
	kt_buf b = {0};
	for (int i = n - 1; i >= 0; i--) {
		kt_buf_adds(&b, c[i]->name);
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
		if (up[i]->id == anc)
			return true;
	return false;
}

/* directEntriesCount: entries in k itself; entriesCount: entries in k or anywhere below it,
 * each entry once. Categories deleted since are skipped (find fails). */
static void entry_counts(cat_state *st, const cat *k, long long *direct, long long *all)
{
	*direct = *all = 0;
	for (size_t i = 0; i < st->nplaced; i++) {
		const placed *p = &st->placed[i];
		bool in = false, below = false;
		for (int j = 0; j < p->ncats; j++) {
			in |= p->cats[j] == k->id;
			if (!below && !in) {
				const cat *x = find(st, p->cats[j]);
				below = x && under(st, x, k->id);
			}
		}
		*direct += in;
		*all += in || below;
	}
}

void svc_category_set_entry(sb_server *srv, const char *entry_id, const long long *cats, int ncats)
{
	cat_state *st = sb_server_state(srv, &sb_category_service);
	pthread_mutex_lock(&st->lock);
	size_t i = 0;
	while (i < st->nplaced && strcmp(st->placed[i].entry, entry_id))
		i++;
	if (i < st->nplaced) {
		free(st->placed[i].entry);
		free(st->placed[i].cats);
		st->placed[i] = st->placed[--st->nplaced];
	}
	if (ncats > 0) {
		if (st->nplaced == st->capplaced) {
			st->capplaced = st->capplaced ? st->capplaced * 2 : 16;
			st->placed = kt_xrealloc(st->placed, st->capplaced * sizeof *st->placed);
		}
		placed *p = &st->placed[st->nplaced++];
		p->entry = kt_xstrdup(entry_id);
		p->cats = kt_xmalloc((size_t)ncats * sizeof *p->cats);
		memcpy(p->cats, cats, (size_t)ncats * sizeof *cats);
		p->ncats = ncats;
	}
	pthread_mutex_unlock(&st->lock);
}

static rvalue *render(cat_state *st, const cat *k)
{
	const cat *c[CAT_MAX_DEPTH];
	int n = chain(st, k, c);
	kt_buf ids = {0};
	for (int i = n - 1; i >= 0; i--)
		kt_buf_printf(&ids, i ? "%lld>" : "%lld", c[i]->id);
	char *fullids = kt_buf_steal(&ids);
	char *name = full_name(st, k);
	long long subs = 0, members = 0;
	for (size_t i = 0; i < st->ncats; i++)
		subs += st->cats[i].parent == k->id;
	for (size_t i = 0; i < st->nmembers; i++)
		members += st->members[i].cat == k->id;
	long long direct, entries;
	entry_counts(st, k, &direct, &entries);

	rvalue *r = sb_rv_object(NULL, "KalturaCategory");
	sb_rv_addf(r, "id", "%lld", k->id);
	sb_rv_addf(r, "parentId", "%lld", k->parent);
	sb_rv_addf(r, "depth", "%d", n - 1);
	sb_rv_addf(r, "partnerId", "%lld", st->partner_id);
	sb_rv_add(r, sb_rv_scalar("name", k->name));
	sb_rv_add(r, sb_rv_scalar("fullName", name));
	sb_rv_add(r, sb_rv_scalar("fullIds", fullids));
	sb_rv_addf(r, "entriesCount", "%lld", entries);
	sb_rv_addf(r, "createdAt", "%lld", k->created);
	sb_rv_addf(r, "updatedAt", "%lld", k->updated);
	if (k->description)
		sb_rv_add(r, sb_rv_scalar("description", k->description));
	if (k->tags)
		sb_rv_add(r, sb_rv_scalar("tags", k->tags));
	sb_rv_addf(r, "appearInList", "%d", k->appear);
	/* KalturaPrivacyType: ALL 1, MEMBERS_ONLY 3 */
	sb_rv_addf(r, "privacy", "%d", k->appear == ENT_APPEAR_MEMBERS_ONLY ? 3 : 1);
	sb_rv_addf(r, "membersCount", "%lld", members);
	sb_rv_addf(r, "pendingMembersCount", "%d", 0);
	if (k->context) {
		sb_rv_add(r, sb_rv_scalar("privacyContext", k->context));
		sb_rv_add(r, sb_rv_scalar("privacyContexts", k->context));
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
		*context = dup_or_null(k->context);
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
	for (int i = 0; i < n && !in; i++) {
		char t[32];
		snprintf(t, sizeof t, "%lld", up[i]->id);
		in = store_list_has(ids, t);
	}
	pthread_mutex_unlock(&st->lock);
	return in;
}

long long svc_category_find_full_name(sb_server *srv, const ent_ctx *e, const char *name)
{
	cat_state *st = sb_server_state(srv, &sb_category_service);
	long long id = -1;
	pthread_mutex_lock(&st->lock);
	for (size_t i = 0; i < st->ncats && id < 0; i++) {
		char *f = full_name(st, &st->cats[i]);
		if (!strcmp(f, name) && visible(st, e, &st->cats[i]))
			id = st->cats[i].id;
		free(f);
	}
	pthread_mutex_unlock(&st->lock);
	return id;
}

/* ---- category ---- */

static cat *insert(cat_state *st, long long parent, const char *name, const char *context, int appear)
{
	if (st->ncats == st->capcats) {
		st->capcats = st->capcats ? st->capcats * 2 : 16;
		st->cats = kt_xrealloc(st->cats, st->capcats * sizeof *st->cats);
	}
	cat *k = &st->cats[st->ncats++];
	memset(k, 0, sizeof *k);
	k->id = st->next_id++;
	k->parent = parent;
	k->name = kt_xstrdup(name);
	k->context = context && *context ? kt_xstrdup(context) : NULL;
	k->appear = appear;
	k->created = k->updated = (long long)time(NULL);
	return k;
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
		set_str(&k->description, sb_arg(c, "category:description"));
		set_str(&k->tags, sb_arg(c, "category:tags"));
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
	for (size_t i = 0; i < st->ncats; i++) {
		if (st->cats[i].parent == k->id) {
			int sub = 1 + subtree_height(st, &st->cats[i], depth + 1);
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
			k->parent = parent;
		if (name)
			set_str(&k->name, name);
		if (appear_s)
			k->appear = (int)appear;
		const param *ctx = param_find(c->params, "category:privacyContext");
		if (ctx) {
			const char *v = sb_arg(c, "category:privacyContext");
			set_str(&k->context, v && *v ? v : NULL);
		}
		if (param_find(c->params, "category:description"))
			set_str(&k->description, sb_arg(c, "category:description"));
		if (param_find(c->params, "category:tags"))
			set_str(&k->tags, sb_arg(c, "category:tags"));
		k->updated = (long long)time(NULL);
		c->result = render(st, k);
	}
	pthread_mutex_unlock(&st->lock);
	ent_ctx_free(&e);
	return rc;
}

static void free_cat(cat *k)
{
	free(k->name);
	free(k->description);
	free(k->tags);
	free(k->context);
}

static void drop_members(cat_state *st, long long id)
{
	size_t j = 0;
	for (size_t i = 0; i < st->nmembers; i++) {
		if (st->members[i].cat == id)
			free(st->members[i].user);
		else
			st->members[j++] = st->members[i];
	}
	st->nmembers = j;
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
		long long *ids = kt_xmalloc(st->ncats * sizeof *ids);
		size_t n = 0;
		ids[n++] = id;
		for (size_t done = 0; done < n; done++)
			for (size_t i = 0; i < st->ncats; i++)
				if (st->cats[i].parent == ids[done])
					ids[n++] = st->cats[i].id;
		size_t j = 0;
		for (size_t i = 0; i < st->ncats; i++) {
			bool gone = false;
			for (size_t g = 0; g < n && !gone; g++)
				gone = st->cats[i].id == ids[g];
			if (gone) {
				drop_members(st, st->cats[i].id);
				free_cat(&st->cats[i]);
			} else {
				st->cats[j++] = st->cats[i];
			}
		}
		st->ncats = j;
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
	rvalue **objs = kt_xcalloc(st->ncats ? st->ncats : 1, sizeof *objs);
	size_t n = 0;
	for (size_t i = 0; i < st->ncats && !manager; i++) {
		const cat *k = &st->cats[i];
		bool belongs = !in;
		for (size_t m = 0; m < st->nmembers && !belongs; m++)
			belongs = st->members[m].cat == k->id && store_list_has(in, st->members[m].user);
		if (belongs && (!user || is_member(st, k->id, user)) && visible(st, &e, k))
			objs[n++] = render(st, k);
	}
	pthread_mutex_unlock(&st->lock);
	ent_ctx_free(&e);
	return sb_list(c, objs, n, "KalturaCategory", "KalturaCategoryListResponse");
}

/* ---- categoryUser ---- */

static rvalue *render_member(cat_state *st, const member *m)
{
	const cat *k = find(st, m->cat);
	const cat *ch[CAT_MAX_DEPTH];
	int n = k ? chain(st, k, ch) : 0;
	kt_buf ids = {0};
	for (int i = n - 1; i >= 0; i--)
		kt_buf_printf(&ids, i ? "%lld>" : "%lld", ch[i]->id);
	char *fullids = kt_buf_steal(&ids);
	rvalue *r = sb_rv_object(NULL, "KalturaCategoryUser");
	sb_rv_addf(r, "categoryId", "%lld", m->cat);
	sb_rv_add(r, sb_rv_scalar("userId", m->user));
	sb_rv_addf(r, "partnerId", "%lld", st->partner_id);
	sb_rv_addf(r, "permissionLevel", "%d", 3); /* MEMBER */
	sb_rv_addf(r, "status", "%d", 1);          /* ACTIVE */
	sb_rv_addf(r, "createdAt", "%lld", m->created);
	sb_rv_addf(r, "updatedAt", "%lld", m->created);
	sb_rv_addf(r, "updateMethod", "%d", 1);    /* MANUAL */
	sb_rv_add(r, sb_rv_scalar("categoryFullIds", fullids));
	sb_rv_add(r, sb_rv_scalar("permissionNames", "CATEGORY_VIEW"));
	free(fullids);
	return r;
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
	if (!k || !ent_category_visible(&e, k->context, k->appear, true)) {
		rc = not_found(c, id);
	} else if (is_member(st, id, user)) {
		rc = sb_fail(c, "INVALID_CATEGORY_USER_ID", 2, cid, user);
	} else {
		if (st->nmembers == st->capmembers) {
			st->capmembers = st->capmembers ? st->capmembers * 2 : 16;
			st->members = kt_xrealloc(st->members, st->capmembers * sizeof *st->members);
		}
		member *m = &st->members[st->nmembers++];
		m->cat = id;
		m->user = kt_xstrdup(user);
		m->created = (long long)time(NULL);
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
	int rc = -1;
	for (size_t i = 0; i < st->nmembers; i++) {
		if (st->members[i].cat == id && user && !strcmp(st->members[i].user, user)) {
			free(st->members[i].user);
			st->members[i] = st->members[--st->nmembers];
			rc = 0;
			break;
		}
	}
	pthread_mutex_unlock(&st->lock);
	if (rc < 0)
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
	rvalue **objs = kt_xcalloc(st->nmembers ? st->nmembers : 1, sizeof *objs);
	size_t n = 0;
	for (size_t i = 0; i < st->nmembers && known; i++)
		if (!related || !strcmp(st->members[i].user, related))
			objs[n++] = render_member(st, &st->members[i]);
	pthread_mutex_unlock(&st->lock);
	return sb_list(c, objs, n, "KalturaCategoryUser", "KalturaCategoryUserListResponse");
}

static void category_reset(sb_server *srv, void *state)
{
	(void)srv;
	cat_state *st = state;
	for (size_t i = 0; i < st->ncats; i++)
		free_cat(&st->cats[i]);
	for (size_t i = 0; i < st->nmembers; i++)
		free(st->members[i].user);
	for (size_t i = 0; i < st->nplaced; i++) {
		free(st->placed[i].entry);
		free(st->placed[i].cats);
	}
	free(st->cats);
	free(st->members);
	free(st->placed);
	pthread_mutex_destroy(&st->lock);
}

/* The demo categories; the entry service (seeded next) places its entries in them. */
static void category_seed(sb_server *srv, void *state)
{
	cat_state *st = state;
	pthread_mutex_init(&st->lock, NULL);
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
