#include "sandbox/store.h"

#include <openssl/crypto.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sandbox/server.h"
#include "util.h"

/* Revoked KSs keyed by string in a chained hash table; KSs never leave it until reset. */
#define STORE_BUCKETS 1024

struct revoked {
	char *ks;
	struct revoked *next;
};

static unsigned hash(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h % STORE_BUCKETS;
}

void store_revoked_init(sb_revoked *r)
{
	pthread_mutex_init(&r->lock, NULL);
	r->buckets = kt_xcalloc(STORE_BUCKETS, sizeof *r->buckets);
	r->dead_tokens = NULL;
}

static void free_chain(struct revoked *x)
{
	while (x) {
		struct revoked *next = x->next;
		free(x->ks);
		free(x);
		x = next;
	}
}

void store_revoked_free(sb_revoked *r)
{
	if (!r->buckets)
		return;
	for (size_t i = 0; i < STORE_BUCKETS; i++)
		free_chain(r->buckets[i]);
	free(r->buckets);
	free_chain(r->dead_tokens);
	r->buckets = NULL;
	r->dead_tokens = NULL;
	pthread_mutex_destroy(&r->lock);
}

static bool find_locked(const sb_revoked *r, const char *ks)
{
	for (struct revoked *x = r->buckets[hash(ks)]; x; x = x->next)
		if (!strcmp(x->ks, ks))
			return true;
	return false;
}

void store_revoke(sb_server *srv, const char *ks)
{
	sb_revoked *r = &srv->revoked;
	pthread_mutex_lock(&r->lock);
	if (!find_locked(r, ks)) {
		struct revoked *x = kt_xmalloc(sizeof *x);
		unsigned h = hash(ks);
		x->ks = kt_xstrdup(ks);
		x->next = r->buckets[h];
		r->buckets[h] = x;
	}
	pthread_mutex_unlock(&r->lock);
}

bool store_is_revoked(sb_server *srv, const char *ks)
{
	pthread_mutex_lock(&srv->revoked.lock);
	bool found = find_locked(&srv->revoked, ks);
	pthread_mutex_unlock(&srv->revoked.lock);
	return found;
}

void store_revoke_apptoken(sb_server *srv, const char *id)
{
	struct revoked *x = kt_xmalloc(sizeof *x);
	x->ks = kt_xstrdup(id);
	pthread_mutex_lock(&srv->revoked.lock);
	x->next = srv->revoked.dead_tokens;
	srv->revoked.dead_tokens = x;
	pthread_mutex_unlock(&srv->revoked.lock);
}

bool store_privs_revoked(sb_server *srv, const char *privileges)
{
	if (!privileges || !strstr(privileges, "apptoken"))
		return false;
	ks_privs p;
	ks_privs_parse(privileges, &p);
	const ks_priv *t = ks_privs_find(&p, "apptoken");
	bool dead = false;
	pthread_mutex_lock(&srv->revoked.lock);
	for (struct revoked *x = srv->revoked.dead_tokens; t && x && !dead; x = x->next)
		dead = !strcmp(x->ks, t->value);
	pthread_mutex_unlock(&srv->revoked.lock);
	ks_privs_free(&p);
	return dead;
}

/* ---- tables ---- */

void store_table_init(store_table *t, const char *key, void (*free_extra)(void *extra))
{
	*t = (store_table){.key = key, .free_extra = free_extra};
}

void store_rec_free(param *rec)
{
	for (param *p = rec ? rec->first : NULL; p; p = p->next)
		if (p->kind == PARAM_VALUE && p->value)
			OPENSSL_cleanse(p->value, strlen(p->value));
	param_free(rec);
}

static void row_free(const store_table *t, store_row *r)
{
	store_rec_free(r->rec);
	if (r->extra && t->free_extra)
		t->free_extra(r->extra);
	free(r);
}

void store_table_free(store_table *t)
{
	for (size_t i = 0; i < t->n; i++)
		row_free(t, t->rows[i]);
	free(t->rows);
	t->rows = NULL;
	t->n = t->cap = 0;
}

store_row *store_insert(store_table *t, param *rec, void *extra)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->rows = kt_xrealloc(t->rows, t->cap * sizeof *t->rows);
	}
	store_row *r = kt_xmalloc(sizeof *r);
	r->rec = rec;
	r->extra = extra;
	t->rows[t->n++] = r;
	return r;
}

store_row *store_find_by(const store_table *t, const char *prop, const char *value)
{
	if (!prop || !value)
		return NULL;
	for (size_t i = 0; i < t->n; i++) {
		const char *v = store_rec_get(t->rows[i]->rec, prop);
		if (v && !strcmp(v, value))
			return t->rows[i];
	}
	return NULL;
}

store_row *store_find(const store_table *t, const char *key)
{
	return store_find_by(t, t->key, key);
}

store_row *store_find_ll(const store_table *t, long long key)
{
	char num[32];
	snprintf(num, sizeof num, "%lld", key);
	return store_find(t, num);
}

void store_delete(store_table *t, store_row *row)
{
	for (size_t i = 0; i < t->n; i++) {
		if (t->rows[i] == row) {
			memmove(&t->rows[i], &t->rows[i + 1], (t->n - i - 1) * sizeof *t->rows);
			t->n--;
			row_free(t, row);
			return;
		}
	}
}

void store_replace(store_row *row, param *rec)
{
	store_rec_free(row->rec);
	row->rec = rec;
}

/* ---- records ---- */

long long store_rec_getll(const param *rec, const char *name, long long def)
{
	long long v;
	const char *s = store_rec_get(rec, name);
	return s && kt_parse_ll(s, &v) ? v : def;
}

const char *store_rec_get(const param *rec, const char *name)
{
	const param *p = param_find(rec, name);
	return p && p->kind == PARAM_VALUE ? p->value : NULL;
}

void store_rec_set(param *rec, const char *name, const char *value)
{
	param_set(rec, name, value, NULL);
}

void store_rec_setll(param *rec, const char *name, long long value)
{
	char num[32];
	snprintf(num, sizeof num, "%lld", value);
	param_set(rec, name, num, NULL);
}

static bool is_int(const char *t)
{
	return !strcmp(t, "int") || !strcmp(t, "bigint");
}

int store_rec_apply(sb_call *c, param *rec, const param *in, const char *cls, bool insert)
{
	const schema_class *k = schema_find_class(c->cfg->schema, cls);
	if (!k || !in || in->kind != PARAM_OBJECT)
		return 0;
	for (const param *ch = in->first; ch; ch = ch->next) {
		const schema_property *p = schema_class_find_property(k, ch->name);
		/* unknown names are ignored, as the server does */
		if (!p || p->write_only || !strcmp(ch->name, "objectType"))
			continue;
		if (p->read_only || (!insert && p->insert_only))
			return sb_fail(c, "PROPERTY_VALIDATION_NOT_UPDATABLE", 1, p->name);
		if (ch->kind == PARAM_NULL) {
			param_remove(rec, p->name);
			continue;
		}
		if (ch->kind != PARAM_VALUE)
			continue; /* arrays (capabilities) are not kept */
		long long n;
		const char *v = ch->value;
		if (is_int(p->type) && !kt_parse_ll(v, &n))
			return sb_fail(c, "INVALID_FIELD_VALUE", 1, p->name);
		if (!strcmp(p->type, "bool")) {
			if (!strcmp(v, "1") || !strcasecmp(v, "true"))
				v = "1";
			else if (!strcmp(v, "0") || !strcasecmp(v, "false"))
				v = "0";
			else
				return sb_fail(c, "INVALID_FIELD_VALUE", 1, p->name);
		}
		if (p->enum_type) {
			const schema_enum *e = schema_find_enum(c->cfg->schema, p->enum_type);
			if (e && !schema_enum_find_value(e, v))
				return sb_fail(c, "INVALID_ENUM_VALUE", 3, v, p->name, p->enum_type);
		}
		store_rec_set(rec, p->name, v);
	}
	return 0;
}

rvalue *store_rec_render(const sb_config *cfg, const param *rec, const char *cls)
{
	rvalue *o = sb_rv_object(NULL, cls);
	const schema_class *k = schema_find_class(cfg->schema, cls);
	size_t n = 0;
	const schema_property *const *all = k ? schema_class_all_properties(k, &n) : NULL;
	for (size_t i = 0; i < n; i++) {
		const char *v = all[i]->write_only ? NULL : store_rec_get(rec, all[i]->name);
		if (v)
			sb_rv_add(o, sb_rv_scalar(all[i]->name, v));
	}
	return o;
}

bool store_list_has(const char *list, const char *v)
{
	size_t vl = strlen(v);
	for (const char *p = list; p && *p;) {
		while (*p == ' ')
			p++;
		size_t l = strcspn(p, ",");
		size_t t = l;
		while (t && p[t - 1] == ' ')
			t--;
		if (t == vl && !strncmp(p, v, vl))
			return true;
		p += l + (p[l] == ',');
	}
	return false;
}

param *store_rec_copy(const param *rec)
{
	param *copy = param_new();
	for (const param *p = rec->first; p; p = p->next)
		if (p->kind == PARAM_VALUE)
			store_rec_set(copy, p->name, p->value);
	return copy;
}

long long store_session_seconds(long long expiry)
{
	if (expiry < -STORE_MAX_SESSION)
		return -STORE_MAX_SESSION;
	return expiry > STORE_MAX_SESSION ? STORE_MAX_SESSION : expiry;
}
