#include "sandbox/store.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

/* Revoked KSs keyed by string in a chained hash table; KSs never leave it until reset. */
#define STORE_BUCKETS 1024

typedef struct revoked {
	char *ks;
	struct revoked *next;
} revoked;

static pthread_mutex_t store_lock = PTHREAD_MUTEX_INITIALIZER;
static revoked *buckets[STORE_BUCKETS];
/* deleted app token ids; few, so a list */
static revoked *dead_tokens;

static unsigned hash(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h % STORE_BUCKETS;
}

void store_init(void)
{
	store_reset();
}

void store_reset(void)
{
	pthread_mutex_lock(&store_lock);
	for (size_t i = 0; i < STORE_BUCKETS; i++) {
		revoked *r = buckets[i];
		while (r) {
			revoked *next = r->next;
			free(r->ks);
			free(r);
			r = next;
		}
		buckets[i] = NULL;
	}
	while (dead_tokens) {
		revoked *next = dead_tokens->next;
		free(dead_tokens->ks);
		free(dead_tokens);
		dead_tokens = next;
	}
	pthread_mutex_unlock(&store_lock);
}

static bool find_locked(const char *ks)
{
	for (revoked *r = buckets[hash(ks)]; r; r = r->next)
		if (!strcmp(r->ks, ks))
			return true;
	return false;
}

void store_revoke(const char *ks)
{
	pthread_mutex_lock(&store_lock);
	if (!find_locked(ks)) {
		revoked *r = kt_xmalloc(sizeof *r);
		unsigned h = hash(ks);
		r->ks = kt_xstrdup(ks);
		r->next = buckets[h];
		buckets[h] = r;
	}
	pthread_mutex_unlock(&store_lock);
}

bool store_is_revoked(const char *ks)
{
	pthread_mutex_lock(&store_lock);
	bool found = find_locked(ks);
	pthread_mutex_unlock(&store_lock);
	return found;
}

void store_revoke_apptoken(const char *id)
{
	revoked *r = kt_xmalloc(sizeof *r);
	r->ks = kt_xstrdup(id);
	pthread_mutex_lock(&store_lock);
	r->next = dead_tokens;
	dead_tokens = r;
	pthread_mutex_unlock(&store_lock);
}

bool store_privs_revoked(const char *privileges)
{
	if (!privileges || !strstr(privileges, "apptoken"))
		return false;
	ks_privs p;
	ks_privs_parse(privileges, &p);
	const ks_priv *t = ks_privs_find(&p, "apptoken");
	bool dead = false;
	pthread_mutex_lock(&store_lock);
	for (revoked *r = dead_tokens; t && r && !dead; r = r->next)
		dead = !strcmp(r->ks, t->value);
	pthread_mutex_unlock(&store_lock);
	ks_privs_free(&p);
	return dead;
}

/* ---- records ---- */

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

static bool ends_with(const char *s, size_t len, const char *suffix, size_t *stem)
{
	size_t n = strlen(suffix);
	if (len <= n || strcmp(s + len - n, suffix))
		return false;
	*stem = len - n;
	return true;
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

static bool one_match(const param *rec, const char *name, const char *want)
{
	static const char *const ops[] = {"GreaterThanOrEqual", "LessThanOrEqual", "StartsWith",
					  "Equal", "Like", "In"};
	size_t len = strlen(name), stem = 0;
	int op = -1;
	for (int i = 0; i < 6 && op < 0; i++)
		if (ends_with(name, len, ops[i], &stem))
			op = i;
	if (op < 0 || stem >= 64)
		return true; /* not a condition the sandbox understands: ignored */
	char prop[64];
	memcpy(prop, name, stem);
	prop[stem] = 0;
	const char *have = store_rec_get(rec, prop);
	if (!have)
		return false;
	long long a, b;
	switch (op) {
	case 0:
	case 1:
		if (!kt_parse_ll(have, &a) || !kt_parse_ll(want, &b))
			return false;
		return op == 0 ? a >= b : a <= b;
	case 2:
		return !strncmp(have, want, strlen(want));
	case 3:
		return !strcmp(have, want);
	case 4: {
		/* the server's Like is a case-insensitive substring match */
		size_t wl = strlen(want);
		for (const char *h = have; *h; h++)
			if (!strncasecmp(h, want, wl))
				return true;
		return !wl;
	}
	default:
		return store_list_has(want, have);
	}
}

bool store_rec_match(const param *rec, const param *filter)
{
	if (!filter || filter->kind != PARAM_OBJECT)
		return true;
	for (const param *f = filter->first; f; f = f->next) {
		if (f->kind != PARAM_VALUE || !strcmp(f->name, "objectType") || !*f->value)
			continue;
		/* NullableBoolean's NULL_VALUE means "no condition" */
		if (!strcmp(f->value, "-1") && strstr(f->name, "Equal") &&
		    !strncmp(f->name, "is", 2))
			continue;
		if (!one_match(rec, f->name, f->value))
			return false;
	}
	return true;
}

void store_pager(const param *pager, long long *size, long long *index)
{
	long long s = 30, i = 1, v;
	const char *t;
	if (pager && (t = store_rec_get(pager, "pageSize")) && kt_parse_ll(t, &v) && v > 0)
		s = v > 500 ? 500 : v;
	/* far past any store's end, and no overflow in (index - 1) * size */
	if (pager && (t = store_rec_get(pager, "pageIndex")) && kt_parse_ll(t, &v) && v > 0)
		i = v > 1000000000LL ? 1000000000LL : v;
	*size = s;
	*index = i;
}

rvalue *store_rec_list(const sb_config *cfg, param *const *recs, size_t n, const param *filter,
		       const param *pager, const char *cls, const char *list_cls)
{
	long long size, index, total = 0;
	store_pager(pager, &size, &index);
	long long first = (index - 1) * size;
	rvalue *r = sb_rv_object(NULL, list_cls);
	rvalue *objs = sb_rv_add(r, rvalue_new(RV_ARRAY, "objects"));
	for (size_t i = 0; i < n; i++) {
		if (!store_rec_match(recs[i], filter))
			continue;
		if (total >= first && total < first + size)
			sb_rv_add(objs, store_rec_render(cfg, recs[i], cls));
		total++;
	}
	sb_rv_addf(r, "totalCount", "%lld", total);
	return r;
}

long long store_session_seconds(long long expiry)
{
	if (expiry <= 0)
		return 86400;
	return expiry > STORE_MAX_SESSION ? STORE_MAX_SESSION : expiry;
}
