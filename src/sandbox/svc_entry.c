/* svc_entry: media.add/get/list/delete/addContent and baseEntry.get/list, in memory. Entries
 * follow the entitlements of their categories (entitlement.c). media.add makes an entry with
 * no content (MediaService::addAction: NO_CONTENT); media.addContent gives it the file of an
 * upload token (svc_upload.c), served back at its downloadUrl, and the entry is READY (the
 * sandbox converts nothing). */
#include "sandbox/entitlement.h"

#include <openssl/rand.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sandbox/list.h"
#include "sandbox/store.h"
#include "sandbox/upload.h"
#include "util.h"

#define ENTRY_MAX_CATS 32

/* An entry is a record of id, name, description, tags, userId, mediaType, status
 * (KalturaEntryStatus: READY 2, NO_CONTENT 7), categoriesIds (as set: render leaves out the
 * categories deleted since), createdAt and updatedAt; its uploaded file rides beside it. */
typedef store_row entry;

typedef struct content {
	char *data;
	size_t len;
} content;

typedef struct entry_state {
	pthread_mutex_t lock;
	store_table items; /* by id; extra: its content, NULL when none */
	long long partner_id;
} entry_state;

static void content_free(void *extra)
{
	content *k = extra;
	free(k->data);
	free(k);
}

static entry *find(entry_state *st, const char *id)
{
	return store_find(&st->items, id);
}

static const char *entry_id(const entry *x)
{
	return store_rec_get(x->rec, "id");
}

static const char *entry_user(const entry *x)
{
	const char *u = store_rec_get(x->rec, "userId");
	return u ? u : "";
}

/* The entry's categories as set, at most ENTRY_MAX_CATS. */
static int entry_cats(const entry *x, long long *out)
{
	int n = 0;
	for (const char *p = store_rec_get(x->rec, "categoriesIds"); p && *p && n < ENTRY_MAX_CATS;) {
		char *end;
		out[n++] = strtoll(p, &end, 10);
		p = *end ? end + 1 : end;
	}
	return n;
}

static void set_cats(entry *x, const long long *cats, int n)
{
	kt_buf b = {0};
	for (int i = 0; i < n; i++)
		kt_buf_printf(&b, i ? ",%lld" : "%lld", cats[i]);
	kt_buf_adds(&b, "");
	char *text = kt_buf_steal(&b);
	store_rec_set(x->rec, "categoriesIds", text);
	free(text);
}

/* The contexts of the categories e can see; a category e cannot see still counts with its
 * context, so look it up without entitlements. */
static bool visible(sb_server *srv, const ent_ctx *e, const entry *x)
{
	static const ent_ctx all = {.enforce = false};
	long long cats[ENTRY_MAX_CATS];
	int ncats = entry_cats(x, cats);
	char *ctx[ENTRY_MAX_CATS] = {0};
	int n = 0;
	for (int i = 0; i < ncats; i++) {
		ctx[n] = NULL;
		if (svc_category_lookup(srv, &all, cats[i], &ctx[n], NULL))
			n++;
	}
	bool ok = ent_entry_visible(e, (const char *const *)ctx, n);
	for (int i = 0; i < n; i++)
		free(ctx[i]);
	return ok;
}

static rvalue *render(sb_server *srv, const entry_state *st, const entry *x,
		      const char *object_type)
{
	static const ent_ctx all = {.enforce = false};
	long long cats[ENTRY_MAX_CATS];
	int ncats = entry_cats(x, cats);
	kt_buf ids = {0}, names = {0};
	for (int i = 0; i < ncats; i++) {
		char *full = NULL;
		if (!svc_category_lookup(srv, &all, cats[i], NULL, &full))
			continue; /* deleted since */
		if (ids.len) {
			kt_buf_addc(&ids, ',');
			kt_buf_addc(&names, ',');
		}
		kt_buf_printf(&ids, "%lld", cats[i]);
		kt_buf_adds(&names, full);
		free(full);
	}
	char *cat_ids = kt_buf_steal(&ids), *cat_names = kt_buf_steal(&names);
	const char *id = entry_id(x), *description = store_rec_get(x->rec, "description");
	const char *tags = store_rec_get(x->rec, "tags");
	rvalue *r = sb_rv_object(NULL, object_type);
	sb_rv_add(r, sb_rv_scalar("id", id));
	sb_rv_add(r, sb_rv_scalar("name", store_rec_get(x->rec, "name")));
	if (description)
		sb_rv_add(r, sb_rv_scalar("description", description));
	sb_rv_addf(r, "partnerId", "%lld", st->partner_id);
	sb_rv_add(r, sb_rv_scalar("userId", entry_user(x)));
	sb_rv_add(r, sb_rv_scalar("creatorId", entry_user(x)));
	if (tags)
		sb_rv_add(r, sb_rv_scalar("tags", tags));
	sb_rv_add(r, sb_rv_scalar("categories", cat_names));
	sb_rv_add(r, sb_rv_scalar("categoriesIds", cat_ids));
	sb_rv_addf(r, "status", "%lld", store_rec_getll(x->rec, "status", 2));
	sb_rv_addf(r, "moderationStatus", "%d", 6);         /* AUTO_APPROVED */
	sb_rv_addf(r, "moderationCount", "%d", 0);
	sb_rv_add(r, sb_rv_scalar("type", "1"));            /* MEDIA_CLIP */
	sb_rv_addf(r, "createdAt", "%lld", store_rec_getll(x->rec, "createdAt", 0));
	sb_rv_addf(r, "updatedAt", "%lld", store_rec_getll(x->rec, "updatedAt", 0));
	sb_rv_addf(r, "version", "%d", 0);
	sb_rv_add(r, sb_rv_scalar("rootEntryId", id));
	sb_rv_addf(r, "plays", "%d", 0);
	sb_rv_addf(r, "views", "%d", 0);
	sb_rv_addf(r, "duration", "%d", 0);
	sb_rv_addf(r, "msDuration", "%d", 0);
	sb_rv_addf(r, "mediaType", "%lld", store_rec_getll(x->rec, "mediaType", 1));
	if (x->extra) {
		/* the server's raw download path (/p/PID/sp/PID00/raw/entry_id/ID/version/0) */
		const char *base = sb_server_url(srv);
		sb_rv_addf(r, "downloadUrl", "%s/p/%lld/sp/%lld00/raw/entry_id/%s/version/0", base,
			   st->partner_id, st->partner_id, id);
		sb_rv_addf(r, "dataUrl", "%s/p/%lld/sp/%lld00/raw/entry_id/%s/version/0", base,
			   st->partner_id, st->partner_id, id);
	}
	free(cat_ids);
	free(cat_names);
	return r;
}

static entry *insert(entry_state *st, const char *id, const char *name, int media_type)
{
	param *rec = param_new();
	long long now = (long long)time(NULL);
	store_rec_set(rec, "id", id);
	store_rec_set(rec, "name", name);
	store_rec_set(rec, "userId", "");
	store_rec_setll(rec, "mediaType", media_type);
	store_rec_setll(rec, "status", 2); /* the demo entries are READY */
	store_rec_setll(rec, "createdAt", now);
	store_rec_setll(rec, "updatedAt", now);
	return store_insert(&st->items, rec, NULL);
}

/* "0_" and 8 lowercase alphanumerics, like the server's ids. */
static int new_id(entry_state *st, char *out)
{
	static const char set[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	unsigned char r[8];
	do {
		if (RAND_bytes(r, sizeof r) != 1)
			return -1;
		out[0] = '0';
		out[1] = '_';
		for (int i = 0; i < 8; i++)
			out[2 + i] = set[r[i] % 36];
		out[10] = '\0';
	} while (find(st, out));
	return 0;
}

static bool valid_media_type(long long t)
{
	return t == 1 || t == 2 || t == 5 || (t >= 201 && t <= 204);
}

static int not_found(sb_call *c, const char *id)
{
	return sb_fail(c, "ENTRY_ID_NOT_FOUND", 1, id ? id : "");
}

/* KalturaErrors::INVALID_ENTRY_ID, which the shipped catalogue lacks: written as the server
 * words it. */
static int invalid_entry_id(sb_call *c, const char *id)
{
	sb_fail(c, "INVALID_ENTRY_ID", 1, id);
	free(c->error->message);
	c->error->message = kt_xasprintf("Invalid entry id [\"%s\"]", id);
	if (c->error->n && c->error->children[0]->name) {
		free(c->error->children[0]->name);
		c->error->children[0]->name = kt_xstrdup("ID");
	}
	return -1;
}

/* Reads categoriesIds ("1,2") and categories (full names, ","); each must be visible. */
static int parse_categories(sb_call *c, const ent_ctx *e, long long *out, int *n)
{
	*n = 0;
	const char *ids = sb_arg(c, "entry:categoriesIds");
	for (const char *p = ids; p && *p;) {
		char *end;
		long long id = strtoll(p, &end, 10);
		while (*end == ' ')
			end++;
		if (end == p || (*end && *end != ',') || id <= 0 ||
		    !svc_category_lookup(c->srv, e, id, NULL, NULL)) {
			char t[32];
			snprintf(t, sizeof t, "%.*s", (int)strcspn(p, ","), p);
			return sb_fail(c, "CATEGORY_NOT_FOUND", 1, t);
		}
		if (*n >= ENTRY_MAX_CATS)
			return sb_fail(c, "PROPERTY_VALIDATION_MAX_LENGTH", 2, "categoriesIds", "32");
		out[(*n)++] = id;
		p = *end ? end + 1 : end;
	}
	const char *names = sb_arg(c, "entry:categories");
	for (const char *p = names; p && *p;) {
		size_t len = strcspn(p, ",");
		char *name = kt_xasprintf("%.*s", (int)len, p);
		long long id = svc_category_find_full_name(c->srv, e, name);
		if (id < 0) {
			int rc = sb_fail(c, "CATEGORY_NOT_FOUND", 1, name);
			free(name);
			return rc;
		}
		free(name);
		if (*n >= ENTRY_MAX_CATS)
			return sb_fail(c, "PROPERTY_VALIDATION_MAX_LENGTH", 2, "categories", "32");
		bool dup = false;
		for (int i = 0; i < *n; i++)
			dup |= out[i] == id;
		if (!dup)
			out[(*n)++] = id;
		p += len;
		if (*p)
			p++;
	}
	return 0;
}

static void ctx_of(const sb_call *c, ent_ctx *e)
{
	ent_ctx_init(e, c->ks ? c->ks_info : NULL);
}

static int media_add(sb_call *c)
{
	entry_state *st = sb_state(c, &sb_entry_service);
	const char *type_s = sb_arg(c, "entry:mediaType");
	long long type = sb_arg_ll(c, "entry:mediaType", 0);
	if (!type_s)
		return sb_fail(c, "PROPERTY_VALIDATION_CANNOT_BE_NULL", 1, "mediaType");
	if (!valid_media_type(type))
		return sb_fail(c, "INVALID_ENUM_VALUE", 3, type_s, "mediaType", "KalturaMediaType");
	ent_ctx e;
	ctx_of(c, &e);
	long long cats[ENTRY_MAX_CATS];
	int ncats;
	if (parse_categories(c, &e, cats, &ncats) < 0) {
		ent_ctx_free(&e);
		return -1;
	}
	const char *name = sb_arg(c, "entry:name");
	pthread_mutex_lock(&st->lock);
	char id[16];
	int rc = new_id(st, id);
	if (rc < 0) {
		rc = sb_fail(c, "INTERNAL_SERVERL_ERROR", 0);
	} else {
		entry *x = insert(st, id, name ? name : "", (int)type);
		store_rec_setll(x->rec, "status", 7); /* NO_CONTENT until media.addContent */
		const char *d = sb_arg(c, "entry:description"), *t = sb_arg(c, "entry:tags");
		const char *u = sb_arg(c, "entry:userId");
		if (d)
			store_rec_set(x->rec, "description", d);
		if (t)
			store_rec_set(x->rec, "tags", t);
		store_rec_set(x->rec, "userId", u ? u : e.user);
		set_cats(x, cats, ncats);
		svc_category_set_entry(c->srv, id, cats, ncats);
		c->result = render(c->srv, st, x, "KalturaMediaEntry");
	}
	pthread_mutex_unlock(&st->lock);
	ent_ctx_free(&e);
	return rc;
}

static int entry_get(sb_call *c, const char *object_type)
{
	entry_state *st = sb_state(c, &sb_entry_service);
	const char *id = sb_arg(c, "entryId");
	ent_ctx e;
	ctx_of(c, &e);
	pthread_mutex_lock(&st->lock);
	entry *x = id ? find(st, id) : NULL;
	int rc = 0;
	if (!x || !visible(c->srv, &e, x))
		rc = not_found(c, id);
	else
		c->result = render(c->srv, st, x, object_type);
	pthread_mutex_unlock(&st->lock);
	ent_ctx_free(&e);
	return rc;
}

static int media_get(sb_call *c)
{
	return entry_get(c, "KalturaMediaEntry");
}

static int base_entry_get(sb_call *c)
{
	return entry_get(c, "KalturaMediaEntry"); /* every sandbox entry is a media entry */
}

/* A USER session may change only its own entries, unless its privileges say edit:* or
 * edit:ENTRY (the server's checkIfUserAllowedToUpdateEntry). */
static bool may_edit(const sb_call *c, const entry *x)
{
	const ks_info *ks = c->ks ? c->ks_info : NULL;
	if (ks && ks->type >= 1)
		return true;
	if (ks && ks->user && *ks->user && !strcmp(ks->user, entry_user(x)))
		return true;
	if (!ks || !ks->privileges)
		return false;
	ks_privs p;
	ks_privs_parse(ks->privileges, &p);
	const ks_priv *ed = ks_privs_find(&p, "edit");
	bool ok = false;
	/* several values are joined with '/' */
	for (const char *v = ed ? ed->value : NULL; v && *v && !ok;) {
		size_t n = strcspn(v, "/");
		ok = (n == 1 && *v == '*') ||
		     (n == strlen(entry_id(x)) && !strncmp(v, entry_id(x), n));
		v += n + (v[n] == '/');
	}
	ks_privs_free(&p);
	return ok;
}

static int media_delete(sb_call *c)
{
	entry_state *st = sb_state(c, &sb_entry_service);
	const char *id = sb_arg(c, "entryId");
	ent_ctx e;
	ctx_of(c, &e);
	pthread_mutex_lock(&st->lock);
	entry *x = id ? find(st, id) : NULL;
	int rc = 0;
	if (!x || !visible(c->srv, &e, x)) {
		rc = not_found(c, id);
	} else if (!may_edit(c, x)) {
		rc = sb_fail(c, "INVALID_KS", 3, "", "-4", "INVALID_TYPE");
	} else {
		svc_category_set_entry(c->srv, entry_id(x), NULL, 0);
		if (x->extra)
			svc_upload_release(c->srv, st->partner_id, ((content *)x->extra)->len);
		store_delete(&st->items, x);
	}
	pthread_mutex_unlock(&st->lock);
	ent_ctx_free(&e);
	return rc;
}

/* KalturaEntryService::initService: a USER session without list:* lists only its own content
 * (entryPeer::setUserContentOnly); a session without a user (none, "0" for widgets) has none
 * to restrict to. */
static bool lists_all(const sb_call *c)
{
	const ks_info *ks = c->ks ? c->ks_info : NULL;
	if (!ks || ks->type >= 1 || !ks->user || !*ks->user || !strcmp(ks->user, "0"))
		return true;
	ks_privs p;
	ks_privs_parse(ks->privileges ? ks->privileges : "", &p);
	const ks_priv *l = ks_privs_find(&p, "list");
	const ks_priv *all = ks_privs_find(&p, "all");
	bool ok = (l && !strcmp(l->value, "*")) || (all && !strcmp(all->value, "*"));
	ks_privs_free(&p);
	return ok;
}

/* categoryAncestorIdIn (SphinxEntryCriteria::applyFilterFields, entryFilter::
 * categoryIdsToAllSubCategoriesIdsParsed): the entry is in one of the categories or below one,
 * the "pc<id>" words entry::getCategoriesEntryIds indexes for each category and its parents. */
static bool in_subtree(sb_server *srv, const entry *x, const char *ids)
{
	long long cats[ENTRY_MAX_CATS];
	int n = entry_cats(x, cats);
	for (int i = 0; i < n; i++)
		if (svc_category_in_subtree(srv, cats[i], ids))
			return true;
	return false;
}

/* The filter's fields the engine leaves to the handler; NULL when not set. */
static const char *filter_arg(const sb_call *c, const char *field)
{
	const param *f = sb_arg_obj(c, "filter");
	const char *v = f ? store_rec_get(f, field) : NULL;
	return v && *v ? v : NULL;
}

/* The entries the KS may see, oldest first; the list engine filters, orders and pages them. */
static int entry_list(sb_call *c, const char *list_type)
{
	entry_state *st = sb_state(c, &sb_entry_service);
	ent_ctx e;
	ctx_of(c, &e);
	bool all = lists_all(c);
	const char *me = c->ks_info && c->ks_info->user ? c->ks_info->user : "";
	const char *anc = filter_arg(c, "categoryAncestorIdIn");
	const char *redirect = filter_arg(c, "redirectFromEntryId");
	pthread_mutex_lock(&st->lock);
	/* _eq_redirect_from_entry_id: the entry itself (no sandbox entry redirects), and
	 * INVALID_ENTRY_ID when there is none */
	if (redirect && !find(st, redirect)) {
		pthread_mutex_unlock(&st->lock);
		ent_ctx_free(&e);
		return invalid_entry_id(c, redirect);
	}
	rvalue **objs = kt_xcalloc(st->items.n ? st->items.n : 1, sizeof *objs);
	size_t n = 0;
	for (size_t i = 0; i < st->items.n; i++) {
		const entry *x = st->items.rows[i];
		if ((all || !strcmp(entry_user(x), me)) && (!anc || in_subtree(c->srv, x, anc)) &&
		    (!redirect || !strcmp(entry_id(x), redirect)) && visible(c->srv, &e, x))
			objs[n++] = render(c->srv, st, x, "KalturaMediaEntry");
	}
	pthread_mutex_unlock(&st->lock);
	ent_ctx_free(&e);
	return sb_list(c, objs, n, "KalturaMediaEntry", list_type);
}

static int media_list(sb_call *c)
{
	return entry_list(c, "KalturaMediaListResponse");
}

static int base_entry_list(sb_call *c)
{
	return entry_list(c, "KalturaBaseEntryListResponse");
}

static void entry_reset(sb_server *srv, void *state)
{
	(void)srv;
	entry_state *st = state;
	store_table_free(&st->items);
	pthread_mutex_destroy(&st->lock);
}

static void entry_seed(sb_server *srv, void *state)
{
	entry_state *st = state;
	pthread_mutex_init(&st->lock, NULL);
	store_table_init(&st->items, "id", content_free);
	st->partner_id = sb_server_config(srv)->partner_id;
	static const struct {
		const char *id, *name;
		int media_type;
		long long cats[2];
		int ncats;
	} demo[] = {
		{"0_demo0001", "Demo video", 1, {1}, 1},
		{"0_msp00001", "MediaSpace video", 1, {2}, 1},
		{"0_mbr00001", "Members video", 1, {3}, 1},
		{"0_both0001", "Demo and MediaSpace video", 1, {1, 2}, 2},
		{"0_free0001", "Uncategorised image", 2, {0}, 0},
	};
	for (size_t i = 0; i < sizeof demo / sizeof *demo; i++) {
		entry *x = insert(st, demo[i].id, demo[i].name, demo[i].media_type);
		set_cats(x, demo[i].cats, demo[i].ncats);
		svc_category_set_entry(srv, demo[i].id, demo[i].cats, demo[i].ncats);
	}
}

/* MediaService::addContentAction with a KalturaUploadedFileTokenResource */
static int media_add_content(sb_call *c)
{
	entry_state *st = sb_state(c, &sb_entry_service);
	const char *id = sb_arg(c, "entryId");
	const param *res = sb_arg_obj(c, "resource");
	const char *type = sb_arg(c, "resource:objectType");
	const char *token = sb_arg(c, "resource:token");
	ent_ctx e;
	ctx_of(c, &e);
	pthread_mutex_lock(&st->lock);
	entry *x = id ? find(st, id) : NULL;
	int rc = 0;
	char *data = NULL;
	size_t len = 0;
	if (!x || !visible(c->srv, &e, x)) {
		rc = not_found(c, id);
	} else if (store_rec_getll(x->rec, "status", 2) != 7) {
		rc = sb_fail(c, "ENTRY_ALREADY_WITH_CONTENT", 0);
	} else if (res && (!type || strcmp(type, "KalturaUploadedFileTokenResource"))) {
		char *why = kt_xasprintf("(the sandbox takes content from a "
					 "KalturaUploadedFileTokenResource only, not %s)",
					 type ? type : "this resource");
		rc = sb_fail(c, "INTERNAL_SERVER_ERROR", 1, why);
		free(why);
	} else if (res && !token) {
		rc = sb_fail(c, "PROPERTY_VALIDATION_CANNOT_BE_NULL", 1, "token");
	} else if (res && svc_upload_take(c, token, entry_id(x), &data, &len) == 0) {
		content *k = kt_xmalloc(sizeof *k);
		*k = (content){data, len};
		x->extra = k; /* status 7: it had none */
		store_rec_setll(x->rec, "status", 2);
		store_rec_setll(x->rec, "updatedAt", (long long)time(NULL));
	} else if (res) {
		rc = -1; /* the upload service said why */
	}
	if (!rc && x)
		c->result = render(c->srv, st, x, "KalturaMediaEntry");
	pthread_mutex_unlock(&st->lock);
	ent_ctx_free(&e);
	return rc;
}

int svc_entry_content(sb_server *srv, const char *id, char **data, size_t *len)
{
	entry_state *st = sb_server_state(srv, &sb_entry_service);
	pthread_mutex_lock(&st->lock);
	entry *x = find(st, id);
	const content *k = x ? x->extra : NULL;
	int rc = -1;
	if (k) {
		*data = kt_xmalloc(k->len + 1);
		memcpy(*data, k->data, k->len);
		*len = k->len;
		rc = 0;
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
}

static const sb_handler handlers[] = {
	/* USER sessions may add entries (theirs) and delete their own: see media_delete */
	{"media", "add", media_add, SB_USER},
	{"media", "get", media_get, SB_ANY},
	{"media", "list", media_list, SB_ANY},
	{"media", "delete", media_delete, SB_USER},
	{"media", "addContent", media_add_content, SB_USER},
	{"baseentry", "get", base_entry_get, SB_ANY},
	{"baseentry", "list", base_entry_list, SB_ANY},
	{NULL, NULL, NULL, SB_ANY},
};

const sb_service sb_entry_service = {"entry", handlers, sizeof(entry_state), entry_seed,
				      entry_reset};
