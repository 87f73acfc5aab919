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

typedef struct entry {
	char id[16];
	char *name, *description, *tags, *user;
	int media_type;
	int status;          /* KalturaEntryStatus: READY 2, NO_CONTENT 7 */
	char *content;       /* the uploaded file; NULL when none */
	size_t content_len;
	long long cats[ENTRY_MAX_CATS];
	int ncats;
	long long created, updated;
} entry;

typedef struct entry_state {
	pthread_mutex_t lock;
	entry *items;
	size_t n, cap;
	long long partner_id;
} entry_state;

static entry *find(entry_state *st, const char *id)
{
	for (size_t i = 0; i < st->n; i++)
		if (!strcmp(st->items[i].id, id))
			return &st->items[i];
	return NULL;
}

/* The contexts of the categories e can see; a category e cannot see still counts with its
 * context, so look it up without entitlements. */
static bool visible(sb_server *srv, const ent_ctx *e, const entry *x)
{
	static const ent_ctx all = {.enforce = false};
	char *ctx[ENTRY_MAX_CATS] = {0};
	int n = 0;
	for (int i = 0; i < x->ncats; i++) {
		ctx[n] = NULL;
		if (svc_category_lookup(srv, &all, x->cats[i], &ctx[n], NULL))
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
	kt_buf ids = {0}, names = {0};
	for (int i = 0; i < x->ncats; i++) {
		char *full = NULL;
		if (!svc_category_lookup(srv, &all, x->cats[i], NULL, &full))
			continue; /* deleted since */
		if (ids.len) {
			kt_buf_addc(&ids, ',');
			kt_buf_addc(&names, ',');
		}
		kt_buf_printf(&ids, "%lld", x->cats[i]);
		kt_buf_adds(&names, full);
		free(full);
	}
	char *cat_ids = kt_buf_steal(&ids), *cat_names = kt_buf_steal(&names);
	rvalue *r = sb_rv_object(NULL, object_type);
	sb_rv_add(r, sb_rv_scalar("id", x->id));
	sb_rv_add(r, sb_rv_scalar("name", x->name));
	if (x->description)
		sb_rv_add(r, sb_rv_scalar("description", x->description));
	sb_rv_addf(r, "partnerId", "%lld", st->partner_id);
	sb_rv_add(r, sb_rv_scalar("userId", x->user));
	sb_rv_add(r, sb_rv_scalar("creatorId", x->user));
	if (x->tags)
		sb_rv_add(r, sb_rv_scalar("tags", x->tags));
	sb_rv_add(r, sb_rv_scalar("categories", cat_names));
	sb_rv_add(r, sb_rv_scalar("categoriesIds", cat_ids));
	sb_rv_addf(r, "status", "%d", x->status);
	sb_rv_addf(r, "moderationStatus", "%d", 6);         /* AUTO_APPROVED */
	sb_rv_addf(r, "moderationCount", "%d", 0);
	sb_rv_add(r, sb_rv_scalar("type", "1"));            /* MEDIA_CLIP */
	sb_rv_addf(r, "createdAt", "%lld", x->created);
	sb_rv_addf(r, "updatedAt", "%lld", x->updated);
	sb_rv_addf(r, "version", "%d", 0);
	sb_rv_add(r, sb_rv_scalar("rootEntryId", x->id));
	sb_rv_addf(r, "plays", "%d", 0);
	sb_rv_addf(r, "views", "%d", 0);
	sb_rv_addf(r, "duration", "%d", 0);
	sb_rv_addf(r, "msDuration", "%d", 0);
	sb_rv_addf(r, "mediaType", "%d", x->media_type);
	if (x->content) {
		/* the server's raw download path (/p/PID/sp/PID00/raw/entry_id/ID/version/0) */
		const char *base = sb_server_url(srv);
		sb_rv_addf(r, "downloadUrl", "%s/p/%lld/sp/%lld00/raw/entry_id/%s/version/0", base,
			   st->partner_id, st->partner_id, x->id);
		sb_rv_addf(r, "dataUrl", "%s/p/%lld/sp/%lld00/raw/entry_id/%s/version/0", base,
			   st->partner_id, st->partner_id, x->id);
	}
	free(cat_ids);
	free(cat_names);
	return r;
}

static void free_entry(entry *x)
{
	free(x->content);
	free(x->name);
	free(x->description);
	free(x->tags);
	free(x->user);
}

static entry *insert(entry_state *st, const char *id, const char *name, int media_type)
{
	if (st->n == st->cap) {
		st->cap = st->cap ? st->cap * 2 : 16;
		st->items = kt_xrealloc(st->items, st->cap * sizeof *st->items);
	}
	entry *x = &st->items[st->n++];
	memset(x, 0, sizeof *x);
	snprintf(x->id, sizeof x->id, "%s", id);
	x->name = kt_xstrdup(name);
	x->user = kt_xstrdup("");
	x->media_type = media_type;
	x->status = 2; /* the demo entries are READY */
	x->created = x->updated = (long long)time(NULL);
	return x;
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
		x->status = 7; /* NO_CONTENT until media.addContent */
		const char *d = sb_arg(c, "entry:description"), *t = sb_arg(c, "entry:tags");
		const char *u = sb_arg(c, "entry:userId");
		x->description = d ? kt_xstrdup(d) : NULL;
		x->tags = t ? kt_xstrdup(t) : NULL;
		free(x->user);
		x->user = kt_xstrdup(u ? u : e.user);
		memcpy(x->cats, cats, sizeof cats);
		x->ncats = ncats;
		svc_category_set_entry(c->srv, x->id, x->cats, x->ncats);
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
	if (ks && ks->user && *ks->user && !strcmp(ks->user, x->user))
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
		ok = (n == 1 && *v == '*') || (n == strlen(x->id) && !strncmp(v, x->id, n));
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
		svc_category_set_entry(c->srv, x->id, NULL, 0);
		if (x->content)
			svc_upload_release(c->srv, st->partner_id, x->content_len);
		free_entry(x);
		*x = st->items[--st->n];
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
	for (int i = 0; i < x->ncats; i++)
		if (svc_category_in_subtree(srv, x->cats[i], ids))
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
	rvalue **objs = kt_xcalloc(st->n ? st->n : 1, sizeof *objs);
	size_t n = 0;
	for (size_t i = 0; i < st->n; i++) {
		const entry *x = &st->items[i];
		if ((all || !strcmp(x->user, me)) && (!anc || in_subtree(c->srv, x, anc)) &&
		    (!redirect || !strcmp(x->id, redirect)) && visible(c->srv, &e, x))
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
	for (size_t i = 0; i < st->n; i++)
		free_entry(&st->items[i]);
	free(st->items);
	pthread_mutex_destroy(&st->lock);
}

static void entry_seed(sb_server *srv, void *state)
{
	entry_state *st = state;
	pthread_mutex_init(&st->lock, NULL);
	st->partner_id = sb_server_config(srv)->partner_id;
	entry *x = insert(st, "0_demo0001", "Demo video", 1);
	x->cats[x->ncats++] = 1;
	x = insert(st, "0_msp00001", "MediaSpace video", 1);
	x->cats[x->ncats++] = 2;
	x = insert(st, "0_mbr00001", "Members video", 1);
	x->cats[x->ncats++] = 3;
	x = insert(st, "0_both0001", "Demo and MediaSpace video", 1);
	x->cats[x->ncats++] = 1;
	x->cats[x->ncats++] = 2;
	insert(st, "0_free0001", "Uncategorised image", 2);
	for (size_t i = 0; i < st->n; i++)
		svc_category_set_entry(srv, st->items[i].id, st->items[i].cats, st->items[i].ncats);
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
	} else if (x->status != 7) {
		rc = sb_fail(c, "ENTRY_ALREADY_WITH_CONTENT", 0);
	} else if (res && (!type || strcmp(type, "KalturaUploadedFileTokenResource"))) {
		char *why = kt_xasprintf("(the sandbox takes content from a "
					 "KalturaUploadedFileTokenResource only, not %s)",
					 type ? type : "this resource");
		rc = sb_fail(c, "INTERNAL_SERVER_ERROR", 1, why);
		free(why);
	} else if (res && !token) {
		rc = sb_fail(c, "PROPERTY_VALIDATION_CANNOT_BE_NULL", 1, "token");
	} else if (res && svc_upload_take(c, token, x->id, &data, &len) == 0) {
		free(x->content);
		x->content = data;
		x->content_len = len;
		x->status = 2;
		x->updated = (long long)time(NULL);
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
	int rc = -1;
	if (x && x->content) {
		*data = kt_xmalloc(x->content_len + 1);
		memcpy(*data, x->content, x->content_len);
		*len = x->content_len;
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
