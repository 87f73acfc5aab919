#include "request.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "util.h"

param *param_new(void)
{
	param *p = kt_xcalloc(1, sizeof *p);
	p->kind = PARAM_OBJECT;
	return p;
}

static void param_clear_children(param *p)
{
	param *c = p->first;
	while (c) {
		param *next = c->next;
		param_free(c);
		c = next;
	}
	p->first = p->last = NULL;
	p->nchildren = 0;
	free(p->index);
	p->index = NULL;
	p->index_cap = 0;
}

void param_free(param *p)
{
	if (!p)
		return;
	param_clear_children(p);
	if (p->value && request_is_secret_name(p->name ? p->name : ""))
		kt_free_secret(p->value);
	else
		free(p->value);
	free(p->name);
	free(p);
}

/* FNV-1a */
static size_t name_hash(const char *name, size_t len)
{
	size_t h = 14695981039346656037u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)name[i]) * 1099511628211u;
	return h;
}

static bool same_name(const param *c, const char *name, size_t len)
{
	return strlen(c->name) == len && !memcmp(c->name, name, len);
}

static void index_put(param *p, param *c)
{
	size_t mask = p->index_cap - 1, i = name_hash(c->name, strlen(c->name)) & mask;
	while (p->index[i])
		i = (i + 1) & mask;
	p->index[i] = c;
}

/* Rebuilt at twice the size whenever it would pass half full; a linear scan serves small
 * objects, which are nearly all of them. */
static void index_grow(param *p)
{
	free(p->index);
	p->index_cap = p->index_cap ? p->index_cap * 2 : 64;
	p->index = kt_xcalloc(p->index_cap, sizeof *p->index);
	for (param *c = p->first; c; c = c->next)
		index_put(p, c);
}

static param *child(const param *p, const char *name, size_t len)
{
	if (p->index) {
		size_t mask = p->index_cap - 1, i = name_hash(name, len) & mask;
		for (; p->index[i]; i = (i + 1) & mask)
			if (same_name(p->index[i], name, len))
				return p->index[i];
		return NULL;
	}
	for (param *c = p->first; c; c = c->next)
		if (same_name(c, name, len))
			return c;
	return NULL;
}

static param *add_child(param *p, const char *name, size_t len, param_kind kind)
{
	param *c = kt_xcalloc(1, sizeof *c);
	c->name = kt_xstrndup(name, len);
	c->kind = kind;
	if (p->last)
		p->last->next = c;
	else
		p->first = c;
	p->last = c;
	p->nchildren++;
	if (p->index && 2 * p->nchildren <= p->index_cap)
		index_put(p, c);
	else if (p->nchildren > 32)
		index_grow(p);
	return c;
}

static bool all_digits(const char *s, size_t len)
{
	if (!len)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* A container's kind follows its first child: numeric names make an array, as the server's
 * own reading ignores item names but the JSON encoding needs to know. */
static void settle_container(param *c, const char *first_child, size_t len)
{
	if (!c->name) /* the root is always the object of top-level parameters */
		return;
	if (c->kind == PARAM_ARRAY && c->first)
		return;
	if (!c->first)
		c->kind = all_digits(first_child, len) ? PARAM_ARRAY : PARAM_OBJECT;
}

static void make_leaf(param *c, param_kind kind, const char *value)
{
	param_clear_children(c);
	free(c->value);
	c->kind = kind;
	c->value = kind == PARAM_VALUE ? kt_xstrdup(value) : NULL;
}

int param_set(param *root, const char *key, const char *value, kt_error *err)
{
	if (!*key)
		return kt_fail(err, KT_E_USAGE, "empty parameter name");
	param *cur = root;
	const char *part = key;
	for (int depth = 1;; depth++) {
		const char *colon = strchr(part, ':');
		size_t len = colon ? (size_t)(colon - part) : strlen(part);
		if (len == 0)
			return kt_fail(err, KT_E_USAGE, "parameter '%.60s' has an empty part", key);
		if (depth > PARAM_MAX_DEPTH)
			return kt_fail(err, KT_E_USAGE, "parameter '%.60s...' nests deeper than %d levels",
				       key, PARAM_MAX_DEPTH);
		if (!colon) {
			param_kind kind = PARAM_VALUE;
			if (len == 1 && part[0] == '-') {
				/* "entries:-" marks the container itself as an empty array */
				if (cur == root)
					return kt_fail(err, KT_E_USAGE,
						       "'-' must follow an array name, as in 'entries:-'");
				param_clear_children(cur);
				cur->kind = PARAM_ARRAY;
				return 0;
			}
			if (len > 6 && !memcmp(part + len - 6, "__null", 6)) {
				kind = PARAM_NULL;
				len -= 6;
			}
			settle_container(cur, part, len);
			param *c = child(cur, part, len);
			if (!c)
				c = add_child(cur, part, len, kind);
			make_leaf(c, kind, value);
			return 0;
		}
		settle_container(cur, part, len);
		param *c = child(cur, part, len);
		if (!c) {
			c = add_child(cur, part, len, PARAM_OBJECT);
		} else if (c->kind == PARAM_VALUE || c->kind == PARAM_NULL) {
			return kt_fail(err, KT_E_USAGE,
				       "parameter '%.60s': '%.*s' already has a value and cannot hold fields",
				       key, (int)len, part);
		}
		cur = c;
		part = colon + 1;
	}
}

int param_set_args(param *root, int argc, char *const *argv, kt_error *err)
{
	for (int i = 0; i < argc; i++) {
		const char *eq = strchr(argv[i], '=');
		if (!eq || eq == argv[i])
			return kt_fail(err, KT_E_USAGE, "'%s' is not name=value", argv[i]);
		char *key = kt_xstrndup(argv[i], (size_t)(eq - argv[i]));
		int rc = param_set(root, key, eq + 1, err);
		free(key);
		if (rc)
			return -1;
	}
	return 0;
}

static void walk(kt_buf *key, const param *p, bool top, param_visit fn, void *ud)
{
	size_t keylen = key->len;
	if (key->len)
		kt_buf_addc(key, ':');
	kt_buf_adds(key, p->name);
	switch (p->kind) {
	case PARAM_VALUE:
		fn(key->data, "", p, top, ud);
		break;
	case PARAM_NULL:
		fn(key->data, "__null", p, top, ud);
		break;
	case PARAM_ARRAY:
	case PARAM_OBJECT:
		if (!p->first && p->kind == PARAM_ARRAY)
			fn(key->data, ":-", p, top, ud);
		for (const param *c = p->first; c; c = c->next)
			walk(key, c, false, fn, ud);
		break;
	}
	key->len = keylen;
	key->data[keylen] = '\0';
}

void param_walk(const param *root, param_visit fn, void *ud)
{
	kt_buf key;
	kt_buf_init(&key);
	for (const param *c = root->first; c; c = c->next)
		walk(&key, c, true, fn, ud);
	kt_buf_free(&key);
}

const param *param_find(const param *root, const char *path)
{
	const param *cur = root;
	const char *part = path;
	while (cur) {
		const char *colon = strchr(part, ':');
		size_t len = colon ? (size_t)(colon - part) : strlen(part);
		cur = child(cur, part, len);
		if (!colon)
			return cur;
		part = colon + 1;
	}
	return NULL;
}

bool param_remove(param *root, const char *name)
{
	param *prev = NULL;
	for (param *c = root->first; c; prev = c, c = c->next) {
		if (strcmp(c->name, name))
			continue;
		if (prev)
			prev->next = c->next;
		else
			root->first = c->next;
		if (root->last == c)
			root->last = prev;
		c->next = NULL;
		param_free(c);
		root->nchildren--;
		if (root->index) {
			/* deleting from open addressing is fiddly; removal is rare, so rebuild */
			root->index_cap /= 2;
			index_grow(root);
		}
		return true;
	}
	return false;
}

size_t param_count(const param *p)
{
	if (p->kind != PARAM_OBJECT && p->kind != PARAM_ARRAY)
		return 1;
	if (!p->first)
		return p->kind == PARAM_ARRAY ? 1 : 0;
	size_t n = 0;
	for (const param *c = p->first; c; c = c->next)
		n += param_count(c);
	return n;
}

int request_format_from_name(const char *name)
{
	if (!strcasecmp(name, "xml") || !strcmp(name, "2"))
		return 2;
	if (!strcasecmp(name, "json") || !strcmp(name, "1"))
		return 1;
	return 0;
}

void request_init(kt_request *r, const char *service, const char *action)
{
	memset(r, 0, sizeof *r);
	r->service = kt_xstrdup(service);
	r->action = action ? kt_xstrdup(action) : NULL;
	r->params = param_new();
	r->client_tag = kt_xstrdup("ktestme");
	r->format = 2;
}

void request_free(kt_request *r)
{
	free(r->service);
	free(r->action);
	param_free(r->params);
	kt_free_secret(r->ks);
	free(r->partner_id);
	free(r->client_tag);
	free(r->api_version);
	free(r->language);
	for (size_t i = 0; i < r->nfiles; i++) {
		free(r->files[i].name);
		free(r->files[i].path);
	}
	free(r->files);
	memset(r, 0, sizeof *r);
}

void request_set_field(char **field, const char *value)
{
	free(*field);
	*field = value ? kt_xstrdup(value) : NULL;
}

bool request_is_backref(const char *v)
{
	size_t n = strlen(v);
	if (n < 10 || v[0] != '{' || v[n - 1] != '}')
		return false;
	const char *p = v + 1;
	if (*p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	return !strncmp(p, ":result", 7) && !memchr(v + 1, '{', n - 2);
}

bool request_has_backref(const char *v)
{
	for (const char *p = strchr(v, '{'); p; p = strchr(p + 1, '{')) {
		const char *d = p + 1;
		while (*d >= '0' && *d <= '9')
			d++;
		if (d > p + 1 && !strncmp(d, ":result", 7) && strchr(d, '}'))
			return true;
	}
	return false;
}

bool request_is_multi(const kt_request *r)
{
	return !strcasecmp(r->service, "multirequest");
}

static void add_escaped(kt_buf *b, const char *s)
{
	char *e = curl_easy_escape(NULL, s, (int)strlen(s));
	if (!e) {
		kt_buf_adds(b, s);
		return;
	}
	kt_buf_adds(b, e);
	curl_free(e);
}

char *request_url(const kt_request *r, const char *service_url)
{
	kt_buf b;
	kt_buf_init(&b);
	kt_buf_adds(&b, service_url);
	kt_buf_adds(&b, "/api_v3/service/");
	add_escaped(&b, r->service);
	if (!request_is_multi(r) && r->action) {
		kt_buf_adds(&b, "/action/");
		add_escaped(&b, r->action);
	}
	return kt_buf_steal(&b);
}

bool request_is_secret_name(const char *name)
{
	static const char *const names[] = {
		"secret", "adminSecret", "userSecret", "password", "oldPassword", "newPassword",
		"token", "ks", "cmsPassword", /* partner.getSecrets' */
	};
	/* the last part of a nested name: "1:secret" is a multirequest item's secret */
	const char *last = strrchr(name, ':');
	last = last ? last + 1 : name;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcasecmp(last, names[i]))
			return true;
	return false;
}

void request_add_file(kt_request *r, const char *name, const char *path)
{
	for (size_t i = 0; i < r->nfiles; i++)
		if (!strcmp(r->files[i].name, name)) {
			request_set_field(&r->files[i].path, path);
			return;
		}
	r->files = kt_xrealloc(r->files, (r->nfiles + 1) * sizeof *r->files);
	r->files[r->nfiles].name = kt_xstrdup(name);
	r->files[r->nfiles].path = kt_xstrdup(path);
	r->nfiles++;
}

const kt_upload *request_find_file(const kt_request *r, const char *name)
{
	for (size_t i = 0; i < r->nfiles; i++)
		if (!strcmp(r->files[i].name, name))
			return &r->files[i];
	return NULL;
}

typedef struct pair_ctx {
	request_pair_fn fn;
	void *ud;
	kt_buf name;
} pair_ctx;

static void pair_visit(const char *key, const char *suffix, const param *p, bool top, void *ud)
{
	(void)top;
	pair_ctx *pc = ud;
	kt_buf_reset(&pc->name);
	kt_buf_adds(&pc->name, key);
	kt_buf_adds(&pc->name, suffix);
	bool value = p->kind == PARAM_VALUE;
	pc->fn(pc->name.data, value ? p->value : "", value && request_is_secret_name(p->name),
	       pc->ud);
}

void request_pairs(const kt_request *r, request_pair_fn fn, void *ud)
{
	if (r->ks)
		fn("ks", r->ks, true, ud);
	if (r->partner_id)
		fn("partnerId", r->partner_id, false, ud);
	if (r->client_tag)
		fn("clientTag", r->client_tag, false, ud);
	if (r->api_version)
		fn("apiVersion", r->api_version, false, ud);
	if (r->language)
		fn("language", r->language, false, ud);
	char format[16];
	snprintf(format, sizeof format, "%d", r->format);
	fn("format", format, false, ud);
	pair_ctx pc = {fn, ud, {0}};
	kt_buf_init(&pc.name);
	param_walk(r->params, pair_visit, &pc);
	kt_buf_free(&pc.name);
}

typedef struct form_ctx {
	kt_buf b;
	bool mask;
} form_ctx;

static void form_pair(const char *name, const char *value, bool secret, void *ud)
{
	form_ctx *fc = ud;
	if (fc->b.len)
		kt_buf_addc(&fc->b, '&');
	add_escaped(&fc->b, name);
	kt_buf_addc(&fc->b, '=');
	if (secret && fc->mask && *value)
		kt_buf_adds(&fc->b, "***");
	else
		add_escaped(&fc->b, value);
}

static char *form_body(const kt_request *r, bool mask)
{
	form_ctx fc = {.mask = mask};
	kt_buf_init(&fc.b);
	request_pairs(r, form_pair, &fc);
	return kt_buf_steal(&fc.b);
}

char *request_form_body(const kt_request *r)
{
	return form_body(r, false);
}

char *request_form_body_masked(const kt_request *r)
{
	return form_body(r, true);
}

json_t *param_to_json(const param *p)
{
	switch (p->kind) {
	case PARAM_VALUE:
		return json_string(p->value);
	case PARAM_NULL:
		return json_null();
	case PARAM_ARRAY: {
		json_t *a = json_array();
		for (const param *c = p->first; c; c = c->next)
			json_array_append_new(a, param_to_json(c));
		return a;
	}
	case PARAM_OBJECT:
		break;
	}
	json_t *o = json_object();
	for (const param *c = p->first; c; c = c->next) {
		if (c->kind == PARAM_NULL) {
			/* the server reads "name__null" in JSON bodies as in forms */
			char *k = kt_xasprintf("%s__null", c->name);
			json_object_set_new(o, k, json_string(""));
			free(k);
		} else {
			json_object_set_new(o, c->name, param_to_json(c));
		}
	}
	return o;
}

char *request_json_body(const kt_request *r)
{
	json_t *o = param_to_json(r->params);
	if (r->ks)
		json_object_set_new(o, "ks", json_string(r->ks));
	if (r->partner_id)
		json_object_set_new(o, "partnerId", json_string(r->partner_id));
	if (r->client_tag)
		json_object_set_new(o, "clientTag", json_string(r->client_tag));
	if (r->api_version)
		json_object_set_new(o, "apiVersion", json_string(r->api_version));
	if (r->language)
		json_object_set_new(o, "language", json_string(r->language));
	json_object_set_new(o, "format", json_integer(r->format));
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (!s)
		return kt_xstrdup("{}");
	char *out = kt_xstrdup(s);
	free(s);
	return out;
}
