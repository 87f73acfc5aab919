#include "multireq.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void mr_init(multireq *m)
{
	memset(m, 0, sizeof *m);
}

void mr_free(multireq *m)
{
	for (size_t i = 0; i < m->n; i++)
		form_free(m->items[i].f);
	free(m->items);
	memset(m, 0, sizeof *m);
}

size_t mr_add(multireq *m, const schema *s, const schema_action *a)
{
	m->items = kt_xrealloc(m->items, (m->n + 1) * sizeof *m->items);
	m->items[m->n] = (mr_item){a, form_new(s, a)};
	return m->n++;
}

static char *replace_all(const char *text, const char *from, const char *to)
{
	kt_buf b;
	kt_buf_init(&b);
	size_t fl = strlen(from);
	for (const char *s = text;;) {
		const char *hit = strstr(s, from);
		if (!hit) {
			kt_buf_adds(&b, s);
			break;
		}
		kt_buf_add(&b, s, (size_t)(hit - s));
		kt_buf_adds(&b, to);
		s = hit + fl;
	}
	kt_buf_adds(&b, "");
	return kt_buf_steal(&b);
}

char *mr_renumber(const char *text, size_t from, size_t to)
{
	char f[40], t[40];
	snprintf(f, sizeof f, "{%zu:result", from);
	snprintf(t, sizeof t, "{%zu:result", to);
	return replace_all(text, f, t);
}

/* Applies fn to every text value holding a reference, keeping each row's checkbox. */
static void rewrite(multireq *m, char *(*fn)(const char *, void *), void *ud)
{
	for (size_t k = 0; k < m->n; k++) {
		form *f = m->items[k].f;
		for (size_t i = 0; i < form_count(f); i++) {
			const form_row *r = form_row_at(f, i);
			if (!form_is_text(r) || !strstr(r->value, ":result"))
				continue;
			char *v = fn(r->value, ud);
			if (strcmp(v, r->value)) {
				bool on = r->enabled;
				form_set_value(f, i, v);
				if (!on)
					form_set_enabled(f, i, false);
			}
			free(v);
		}
	}
}

typedef struct swap {
	size_t a, b;
} swap;

static char *swap_refs(const char *v, void *ud)
{
	const swap *s = ud;
	char fa[40], fb[40];
	snprintf(fa, sizeof fa, "{%zu:result", s->a);
	snprintf(fb, sizeof fb, "{%zu:result", s->b);
	/* a stand-in no typed text holds, while both numbers move */
	char *x = replace_all(v, fa, "{\x01:result");
	char *y = replace_all(x, fb, fa);
	char *z = replace_all(y, "{\x01:result", fb);
	free(x);
	free(y);
	return z;
}

typedef struct shift {
	size_t gone, count;
} shift;

static char *shift_refs(const char *v, void *ud)
{
	const shift *s = ud; /* every reference past the removed item goes down by one */
	char *cur = kt_xstrdup(v);
	for (size_t k = s->gone + 1; k <= s->gone + s->count; k++) {
		char *next = mr_renumber(cur, k, k - 1);
		free(cur);
		cur = next;
	}
	return cur;
}

int mr_remove(multireq *m, size_t i)
{
	if (i >= m->n)
		return -1;
	form_free(m->items[i].f);
	memmove(&m->items[i], &m->items[i + 1], (m->n - i - 1) * sizeof *m->items);
	m->n--;
	shift sh = {i + 1, m->n + 1};
	rewrite(m, shift_refs, &sh);
	return 0;
}

int mr_move(multireq *m, size_t i, int dir)
{
	if (i >= m->n || !dir || (dir < 0 && i == 0) || (dir > 0 && i + 1 >= m->n))
		return -1;
	size_t j = dir < 0 ? i - 1 : i + 1;
	mr_item t = m->items[i];
	m->items[i] = m->items[j];
	m->items[j] = t;
	swap s = {i + 1, j + 1};
	rewrite(m, swap_refs, &s);
	return 0;
}

typedef struct prefix_ctx {
	param *into;
	size_t n;
	int rc;
	kt_error *err;
} prefix_ctx;

static void copy_pair(const char *key, const char *suffix, const param *p, bool top, void *ud)
{
	(void)top;
	prefix_ctx *x = ud;
	if (x->rc)
		return;
	char *k = kt_xasprintf("%zu:%s%s", x->n, key, suffix);
	x->rc = param_set(x->into, k, p->kind == PARAM_VALUE ? p->value : "", x->err);
	free(k);
}

int mr_build(const multireq *m, const form *fields, kt_request *out, kt_error *err,
	     size_t *bad_item, size_t *bad_row)
{
	if (bad_item)
		*bad_item = (size_t)-1;
	if (!m->n)
		return kt_fail(err, KT_E_USAGE, "the multirequest has no request yet");
	request_set_field(&out->service, "multirequest");
	free(out->action);
	out->action = NULL;
	kt_request shared;
	request_init(&shared, "", NULL);
	/* the request fields, once */
	if (form_build(fields ? fields : m->items[0].f, &shared, err, bad_row)) {
		request_free(&shared);
		return -1;
	}
	request_set_field(&out->ks, shared.ks);
	request_set_field(&out->partner_id, shared.partner_id);
	request_set_field(&out->client_tag, shared.client_tag);
	request_set_field(&out->api_version, shared.api_version);
	request_set_field(&out->language, shared.language);
	out->format = shared.format;
	request_free(&shared);
	for (size_t i = 0; i < m->n; i++) {
		const mr_item *it = &m->items[i];
		kt_request one;
		request_init(&one, it->action->service->id, it->action->name);
		kt_error e = {0};
		int rc = form_build(it->f, &one, &e, bad_row);
		prefix_ctx x = {.into = out->params, .n = i + 1, .err = &e};
		char key[48];
		if (!rc && one.ks) { /* the item's own KS ({1:result}) over the shared one */
			snprintf(key, sizeof key, "%zu:ks", i + 1);
			param_set(out->params, key, one.ks, NULL);
		}
		if (!rc) {
			snprintf(key, sizeof key, "%zu:service", i + 1);
			param_set(out->params, key, it->action->service->id, NULL);
			snprintf(key, sizeof key, "%zu:action", i + 1);
			param_set(out->params, key, it->action->name, NULL);
			param_walk(one.params, copy_pair, &x);
			rc = x.rc;
			for (size_t f = 0; f < one.nfiles && !rc; f++) { /* uploads: "2:fileData" */
				char *name = kt_xasprintf("%zu:%s", i + 1, one.files[f].name);
				request_add_file(out, name, one.files[f].path);
				free(name);
			}
		}
		request_free(&one);
		if (rc) {
			if (bad_item)
				*bad_item = i;
			return kt_fail(err, KT_E_USAGE, "item %zu (%s.%s): %s", i + 1,
				       it->action->service->name, it->action->name, e.msg);
		}
	}
	return 0;
}

int mr_from_request(multireq *m, const schema *s, const kt_request *r, form *fields,
		    kt_error *err)
{
	if (fields)
		form_fill(fields, r, NULL, 0);
	for (size_t n = 1;; n++) {
		char key[32];
		snprintf(key, sizeof key, "%zu", n);
		const param *node = r->params ? param_find(r->params, key) : NULL;
		if (!node || node->kind != PARAM_OBJECT)
			break;
		const param *sv = param_find(node, "service"), *ac = param_find(node, "action");
		const schema_action *a =
			sv && ac && sv->kind == PARAM_VALUE && ac->kind == PARAM_VALUE
				? schema_find(s, sv->value, ac->value) : NULL;
		if (!a) {
			mr_free(m);
			return kt_fail(err, KT_E_DATA, "item %zu: %s.%s is not in the schema", n,
				       sv && sv->value ? sv->value : "?",
				       ac && ac->value ? ac->value : "?");
		}
		size_t at = mr_add(m, s, a); /* before m->items is read: it moves */
		form *f = m->items[at].f;
		/* the item's own parameters ("service" and "action" find no row) */
		const param *ks = param_find(node, "ks");
		kt_request one = { .params = (param *)node, .format = r->format,
				   .ks = ks && ks->kind == PARAM_VALUE ? ks->value : NULL };
		form_fill(f, &one, NULL, 0);
	}
	if (!m->n)
		return kt_fail(err, KT_E_DATA, "the multirequest has no item (1:service=, 1:action=)");
	return 0;
}

static bool scalar(const schema_property *p)
{
	return !p->type_class && !p->array_type && strcmp(p->type, "map") && strcmp(p->type, "array");
}

static void add_path(char ***v, size_t *n, char *s)
{
	*v = kt_xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[(*n)++] = s;
}

size_t mr_ref_paths(const schema_action *a, size_t n, char ***out)
{
	char **v = NULL;
	size_t k = 0;
	add_path(&v, &k, kt_xasprintf("{%zu:result}", n));
	const schema_class *c = a ? a->result_class : NULL;
	size_t np;
	const schema_property *const *props = c ? schema_class_all_properties(c, &np) : NULL;
	const schema_class *items = NULL;
	for (size_t i = 0; props && i < np; i++) {
		const schema_property *p = props[i];
		if (scalar(p))
			add_path(&v, &k, kt_xasprintf("{%zu:result:%s}", n, p->name));
		else if (!strcmp(p->name, "objects") && p->array_class)
			items = p->array_class;
	}
	const schema_property *const *ip = items ? schema_class_all_properties(items, &np) : NULL;
	for (size_t i = 0; ip && i < np; i++)
		if (scalar(ip[i]))
			add_path(&v, &k, kt_xasprintf("{%zu:result:objects:0:%s}", n, ip[i]->name));
	*out = v;
	return k;
}

void mr_paths_free(char **paths, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
}
