#include "form.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "files.h"
#include "util.h"

struct form {
	const schema *s;
	const schema_action *action;
	form_row *first, *last; /* top level: request fields, then parameters */
	size_t nfields;
	form_row **rows;        /* the tree flattened, pre-order */
	size_t nrows, cap;
};

static const char *const format_names[] = {"XML", "JSON"};
static const char *const bool_names[] = {"true", "false"};

/* ---- rows ---------------------------------------------------------------------------------- */

static void free_value(form_row *r)
{
	if (r->secret)
		kt_free_secret(r->value);
	else
		free(r->value);
	r->value = NULL;
}

static void row_free(form_row *r)
{
	form_row *c = r->first;
	while (c) {
		form_row *next = c->next;
		row_free(c);
		c = next;
	}
	free_value(r);
	free(r->name);
	free(r->key);
	free(r->type);
	free(r->elem_type);
	free(r);
}

static void append(form_row **first, form_row **last, form_row *r)
{
	r->next = NULL;
	if (*last)
		(*last)->next = r;
	else
		*first = r;
	*last = r;
}

static void set_text(form_row *r, const char *text)
{
	char *v = kt_xstrdup(text ? text : "");
	free_value(r);
	r->value = v;
}

static form_kind kind_of(const char *type, const schema_enum *e, const schema_class *cls)
{
	if (e)
		return FORM_ENUM;
	if (!type)
		return FORM_STRING;
	if (!strcmp(type, "int") || !strcmp(type, "bigint"))
		return FORM_INT;
	if (!strcmp(type, "float"))
		return FORM_FLOAT;
	if (!strcmp(type, "bool"))
		return FORM_BOOL;
	if (!strcmp(type, "array"))
		return FORM_ARRAY;
	if (!strcmp(type, "file"))
		return FORM_FILE;
	if (!strcmp(type, "map"))
		return FORM_MAP;
	if (cls)
		return FORM_OBJECT;
	return FORM_STRING;
}

/* A row for a parameter or property, from its schema description. */
static form_row *row_new(const char *name, const char *type, const char *enum_type,
			 const schema_enum *e, const schema_class *cls, const char *array_type,
			 const schema_class *array_cls, const char *description)
{
	form_row *r = kt_xcalloc(1, sizeof *r);
	r->name = kt_xstrdup(name);
	r->kind = kind_of(type, e, cls);
	r->enumeration = e;
	r->description = description && *description ? description : NULL;
	r->secret = request_is_secret_name(name);
	r->value = kt_xstrdup("");
	switch (r->kind) {
	case FORM_ENUM:
		r->type = kt_xstrdup(enum_type ? enum_type : e->name);
		break;
	case FORM_OBJECT:
		r->decl = cls;
		r->type = kt_xstrdup(cls->name);
		break;
	case FORM_ARRAY:
		r->decl = array_cls;
		r->elem_type = kt_xstrdup(array_type ? array_type : "string");
		r->type = kt_xasprintf("%s[]", r->elem_type);
		break;
	default:
		r->type = kt_xstrdup(type ? type : "string");
		break;
	}
	return r;
}

static form_row *field_new(const char *name, form_kind kind, const char *type, const char *value,
			   bool enabled, const char *description)
{
	form_row *r = kt_xcalloc(1, sizeof *r);
	r->name = kt_xstrdup(name);
	r->kind = kind;
	r->type = kt_xstrdup(type);
	r->field = true;
	r->enabled = enabled;
	r->secret = request_is_secret_name(name);
	r->value = kt_xstrdup(value ? value : "");
	r->description = description;
	return r;
}

/* ---- flattening ---------------------------------------------------------------------------- */

static void push(form *f, form_row *r)
{
	if (f->nrows == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 32;
		f->rows = kt_xrealloc(f->rows, f->cap * sizeof *f->rows);
	}
	f->rows[f->nrows++] = r;
}

/* Names, keys and depths follow the tree: items are numbered by position. */
static void flatten_row(form *f, form_row *r, int depth)
{
	r->depth = depth;
	free(r->key);
	r->key = r->parent ? kt_xasprintf("%s:%s", r->parent->key, r->name) : kt_xstrdup(r->name);
	push(f, r);
	size_t n = 0;
	for (form_row *c = r->first; c; c = c->next) {
		if (c->item) {
			free(c->name);
			c->name = kt_xasprintf("%zu", n++);
		}
		flatten_row(f, c, depth + 1);
	}
}

static void flatten(form *f)
{
	f->nrows = 0;
	for (form_row *r = f->first; r; r = r->next)
		flatten_row(f, r, 0);
}

/* ---- objects ------------------------------------------------------------------------------- */

static form_row *prop_row(const schema_property *p)
{
	return row_new(p->name, p->type, p->enum_type, p->enumeration, p->type_class, p->array_type,
		       p->array_class, p->description);
}

static bool same_shape(const form_row *a, const form_row *b)
{
	return a->kind == b->kind && !strcmp(a->type, b->type);
}

/* Opens r as type t: its writable properties become its children; children of the previous
 * type with the same name and type are kept, values and all. */
static void object_open(form_row *r, const schema_class *t)
{
	if (r->chosen == t)
		return;
	form_row *old = r->first;
	r->first = r->last = NULL;
	for (size_t i = 0; i < t->nall_props; i++) {
		const schema_property *p = t->all_props[i];
		if (p->read_only)
			continue;
		form_row *c = prop_row(p);
		for (form_row **pp = &old; *pp; pp = &(*pp)->next) {
			if (!strcmp((*pp)->name, c->name) && same_shape(*pp, c)) {
				form_row *keep = *pp;
				*pp = keep->next;
				row_free(c);
				c = keep;
				break;
			}
		}
		c->parent = r;
		append(&r->first, &r->last, c);
	}
	while (old) {
		form_row *next = old->next;
		row_free(old);
		old = next;
	}
	r->chosen = t;
	set_text(r, t->name);
}

static size_t nconcrete(const form_row *r)
{
	return r->decl ? r->decl->nconcrete : 0;
}

/* ---- form ---------------------------------------------------------------------------------- */

form *form_new(const schema *s, const schema_action *a)
{
	form *f = kt_xcalloc(1, sizeof *f);
	f->s = s;
	f->action = a;
	form_row *fields[] = {
		field_new("format", FORM_FORMAT, "XML/JSON", "XML", true,
			  "The result's format: XML, or JSON."),
		field_new("clientTag", FORM_STRING, "string", "ktestme", true,
			  "A tag the server logs with the call."),
		field_new("apiVersion", FORM_STRING, "string", s ? s->api_version : NULL,
			  s && s->api_version, "The API version the call is written for."),
		field_new("partnerId", FORM_INT, "int", NULL, false,
			  "Impersonated partner id: act on this partner's account with a KS of a "
			  "partner allowed to."),
		field_new("ks", FORM_STRING, "string", NULL, false,
			  "Kaltura API session (KS). session.start fills it."),
		field_new("language", FORM_STRING, "string", NULL, false,
			  "The language of the result's texts, e.g. en."),
	};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		append(&f->first, &f->last, fields[i]);
	f->nfields = sizeof fields / sizeof fields[0];
	for (size_t i = 0; a && i < a->nparams; i++) {
		const schema_param *p = &a->params[i];
		form_row *r = row_new(p->name, p->type, p->enum_type, p->enumeration, p->type_class,
				      p->array_type, p->array_class, p->description);
		r->default_value = p->default_value;
		r->required = !p->optional;
		append(&f->first, &f->last, r);
	}
	flatten(f);
	return f;
}

void form_free(form *f)
{
	if (!f)
		return;
	form_row *r = f->first;
	while (r) {
		form_row *next = r->next;
		row_free(r);
		r = next;
	}
	free(f->rows);
	free(f);
}

const schema_action *form_action(const form *f)
{
	return f->action;
}

size_t form_count(const form *f)
{
	return f->nrows;
}

size_t form_nfields(const form *f)
{
	return f->nfields;
}

const form_row *form_row_at(const form *f, size_t i)
{
	return i < f->nrows ? f->rows[i] : NULL;
}

size_t form_find(const form *f, const char *key)
{
	for (size_t i = f->nfields; i < f->nrows; i++)
		if (!strcmp(f->rows[i]->key, key))
			return i;
	return FORM_NONE;
}

size_t form_field(const form *f, const char *name)
{
	for (size_t i = 0; i < f->nfields; i++)
		if (!strcmp(f->rows[i]->name, name))
			return i;
	return FORM_NONE;
}

static size_t index_of(const form *f, const form_row *r)
{
	for (size_t i = 0; i < f->nrows; i++)
		if (f->rows[i] == r)
			return i;
	return FORM_NONE;
}

/* ---- values -------------------------------------------------------------------------------- */

static bool is_true(const char *v)
{
	return !strcasecmp(v, "true") || !strcmp(v, "1");
}

static bool is_false(const char *v)
{
	return !strcasecmp(v, "false") || !strcmp(v, "0");
}

/* An enum's text as a constant: by name, else by value. */
static const schema_const *enum_const(const form_row *r, const char *text)
{
	if (!r->enumeration || !*text)
		return NULL;
	const schema_const *k = schema_enum_find_const(r->enumeration, text);
	return k ? k : schema_enum_find_value(r->enumeration, text);
}

/* The default as the form shows and takes it: an enum's constant name, true/false. */
static const char *default_text(const form_row *r)
{
	const char *d = r->default_value;
	if (!d || !*d || !strcmp(d, "null"))
		return NULL;
	if (r->kind == FORM_ENUM) {
		const schema_const *k = enum_const(r, d);
		return k ? k->name : d;
	}
	if (r->kind == FORM_BOOL)
		return is_true(d) ? "true" : is_false(d) ? "false" : d;
	return d;
}

static void enable_up(form_row *r)
{
	for (; r; r = r->parent)
		r->enabled = true;
}

int form_set_value(form *f, size_t i, const char *text)
{
	if (i >= f->nrows)
		return -1;
	form_row *r = f->rows[i];
	if (r->kind == FORM_OBJECT || r->kind == FORM_ARRAY)
		return -1;
	set_text(r, text);
	enable_up(r);
	return 0;
}

void form_set_enabled(form *f, size_t i, bool on)
{
	if (i >= f->nrows)
		return;
	form_row *r = f->rows[i];
	if (r->kind == FORM_FORMAT)
		return;
	if (!on) {
		r->enabled = false;
		return;
	}
	if (r->kind == FORM_OBJECT && !r->chosen && nconcrete(r)) {
		object_open(r, r->decl->concrete[0]);
		flatten(f);
	} else if (form_is_text(r) && !*r->value && default_text(r)) {
		set_text(r, default_text(r));
	} else if (r->kind == FORM_BOOL && !*r->value) {
		set_text(r, "true"); /* enabling a flag with no default means turning it on */
	}
	enable_up(r);
}

void form_toggle(form *f, size_t i)
{
	if (i >= f->nrows)
		return;
	form_row *r = f->rows[i];
	if (r->kind == FORM_BOOL) {
		const char *now = *r->value ? r->value : default_text(r);
		form_set_value(f, i, now && is_true(now) ? "false" : "true");
		return;
	}
	form_set_enabled(f, i, !r->enabled);
}

void form_clear(form *f, size_t i)
{
	if (i >= f->nrows)
		return;
	form_row *r = f->rows[i];
	if (r->kind == FORM_FORMAT)
		return;
	if (form_is_text(r))
		set_text(r, "");
	r->enabled = false;
}

bool form_is_text(const form_row *r)
{
	return r->kind != FORM_OBJECT && r->kind != FORM_ARRAY && r->kind != FORM_FORMAT;
}

bool form_has_choices(const form_row *r)
{
	return r->kind == FORM_ENUM || r->kind == FORM_BOOL || r->kind == FORM_FORMAT ||
	       (r->kind == FORM_OBJECT && nconcrete(r));
}

size_t form_choices(const form *f, size_t i, const char ***items, size_t *current)
{
	*items = NULL;
	*current = 0;
	if (i >= f->nrows || !form_has_choices(f->rows[i]))
		return 0;
	const form_row *r = f->rows[i];
	const char *now = *r->value ? r->value : default_text(r);
	size_t n = 0;
	const char **out = NULL;
	switch (r->kind) {
	case FORM_ENUM: {
		const schema_const *k = now ? enum_const(r, now) : NULL;
		n = r->enumeration->nconsts;
		out = kt_xcalloc(n ? n : 1, sizeof *out);
		for (size_t j = 0; j < n; j++) {
			out[j] = r->enumeration->consts[j].name;
			if (k && k->name == out[j])
				*current = j;
		}
		break;
	}
	case FORM_BOOL:
		n = 2;
		out = kt_xcalloc(n, sizeof *out);
		memcpy(out, bool_names, sizeof bool_names);
		*current = now && is_false(now) ? 1 : 0;
		break;
	case FORM_FORMAT:
		n = 2;
		out = kt_xcalloc(n, sizeof *out);
		memcpy(out, format_names, sizeof format_names);
		*current = request_format_from_name(r->value) == 1 ? 1 : 0;
		break;
	case FORM_OBJECT:
		n = nconcrete(r);
		out = kt_xcalloc(n, sizeof *out);
		for (size_t j = 0; j < n; j++) {
			out[j] = r->decl->concrete[j]->name;
			if (r->chosen == r->decl->concrete[j])
				*current = j;
		}
		break;
	default:
		break;
	}
	*items = out;
	return n;
}

int form_choose(form *f, size_t i, size_t index)
{
	if (i >= f->nrows)
		return -1;
	form_row *r = f->rows[i];
	switch (r->kind) {
	case FORM_ENUM:
		if (index >= r->enumeration->nconsts)
			return -1;
		return form_set_value(f, i, r->enumeration->consts[index].name);
	case FORM_BOOL:
		if (index >= 2)
			return -1;
		return form_set_value(f, i, bool_names[index]);
	case FORM_FORMAT:
		if (index >= 2)
			return -1;
		set_text(r, format_names[index]);
		return 0;
	case FORM_OBJECT:
		if (index >= nconcrete(r))
			return -1;
		object_open(r, r->decl->concrete[index]);
		enable_up(r);
		flatten(f);
		return 0;
	default:
		return -1;
	}
}

int form_cycle(form *f, size_t i, int dir)
{
	const char **items;
	size_t cur, n = form_choices(f, i, &items, &cur);
	free(items);
	if (!n)
		return -1;
	const form_row *r = f->rows[i];
	/* from nothing chosen and no default shown, the first step lands on the first entry;
	 * a default that is shown counts as chosen, so Right moves past what the user sees */
	bool none = r->kind == FORM_OBJECT ? !r->chosen
		  : r->kind == FORM_FORMAT ? false : !*r->value && !default_text(r);
	size_t next = none ? cur : dir > 0 ? (cur + 1) % n : (cur + n - 1) % n;
	return form_choose(f, i, next);
}

/* ---- arrays -------------------------------------------------------------------------------- */

static form_row *item_of(form_row *r)
{
	for (; r; r = r->parent)
		if (r->item)
			return r;
	return NULL;
}

size_t form_item_add(form *f, size_t i)
{
	if (i >= f->nrows)
		return FORM_NONE;
	form_row *a = f->rows[i];
	if (a->kind != FORM_ARRAY) {
		form_row *it = item_of(a);
		if (!it)
			return FORM_NONE;
		a = it->parent;
	}
	form_row *it = row_new("0", a->elem_type, NULL, NULL, a->decl, NULL, NULL,
			       a->decl ? a->decl->description : NULL);
	if (a->decl && it->kind != FORM_OBJECT) {
		/* an array of a class is an array of objects, whatever kind_of made of its name */
		it->kind = FORM_OBJECT;
		it->decl = a->decl;
	}
	it->item = true;
	it->parent = a;
	append(&a->first, &a->last, it);
	enable_up(it);
	if (it->kind == FORM_OBJECT && nconcrete(it))
		object_open(it, it->decl->concrete[0]);
	flatten(f);
	return index_of(f, it);
}

int form_item_remove(form *f, size_t i)
{
	if (i >= f->nrows)
		return -1;
	form_row *it = item_of(f->rows[i]);
	if (!it)
		return -1;
	form_row *a = it->parent, *prev = NULL;
	for (form_row *c = a->first; c; prev = c, c = c->next) {
		if (c != it)
			continue;
		if (prev)
			prev->next = c->next;
		else
			a->first = c->next;
		if (a->last == c)
			a->last = prev;
		break;
	}
	row_free(it);
	flatten(f);
	return 0;
}

/* ---- checks -------------------------------------------------------------------------------- */

static const char *check_int(const char *t)
{
	const char *p = t;
	if (*p == '+' || *p == '-')
		p++;
	if (!*p)
		return "not an integer";
	for (const char *q = p; *q; q++)
		if (*q < '0' || *q > '9')
			return "not an integer";
	errno = 0;
	(void)strtoll(t, NULL, 10);
	if (errno == ERANGE)
		return "out of the 64-bit integer range";
	return NULL;
}

static const char *check_float(const char *t)
{
	/* strtod alone would take hex, inf and nan, which the server does not */
	if (!*t || strspn(t, "0123456789+-.eE") != strlen(t))
		return "not a number";
	char *end;
	errno = 0;
	double d = strtod(t, &end);
	if (*end || !isfinite(d) || errno == ERANGE)
		return "not a number";
	return NULL;
}

const char *form_check(const form_row *r, const char *text, char *buf, size_t n)
{
	const char *why = NULL;
	if (r->kind != FORM_OBJECT && request_has_backref(text))
		return NULL; /* an earlier item's result, in a multirequest: any type */
	switch (r->kind) {
	case FORM_INT:
		why = check_int(text);
		break;
	case FORM_FLOAT:
		why = check_float(text);
		break;
	case FORM_BOOL:
		if (!is_true(text) && !is_false(text))
			why = "not a boolean (true or false)";
		break;
	case FORM_ENUM:
		if (!enum_const(r, text)) {
			snprintf(buf, n, "not a constant of %s (Enter lists them)", r->type);
			return buf;
		}
		break;
	case FORM_FORMAT:
		if (!request_format_from_name(text))
			why = "not XML or JSON";
		break;
	case FORM_OBJECT:
		if (r->enabled && !r->chosen)
			why = "no type to choose";
		break;
	default:
		break;
	}
	if (!why)
		return NULL;
	snprintf(buf, n, "%s", why);
	return buf;
}

const char *form_row_invalid(const form_row *r, char *buf, size_t n)
{
	if (r->kind == FORM_OBJECT || r->kind == FORM_ARRAY)
		return form_check(r, "", buf, n);
	/* an empty, disabled row is simply unused; an empty request field is not sent */
	if (!r->enabled && !*r->value)
		return NULL;
	if (r->field && !*r->value)
		return NULL;
	return form_check(r, r->value, buf, n);
}

bool form_row_sent(const form_row *r)
{
	for (; r; r = r->parent)
		if (!r->enabled)
			return false;
	return true;
}

const char *form_row_shown(const form_row *r, char *buf, size_t n, bool *dim)
{
	*dim = false;
	if (r->kind == FORM_OBJECT) {
		if (r->chosen)
			return r->chosen->name;
		*dim = true;
		return nconcrete(r) ? "(Enter chooses a type)" : "(no type to choose)";
	}
	if (r->kind == FORM_ARRAY) {
		size_t k = 0;
		for (const form_row *c = r->first; c; c = c->next)
			k++;
		*dim = !r->enabled;
		snprintf(buf, n, "%zu item%s", k, k == 1 ? "" : "s");
		return buf;
	}
	const char *t = r->value;
	if (!*t && !r->enabled) {
		*dim = true;
		t = default_text(r);
		if (!t)
			return r->required ? "required" : r->default_value ? r->default_value : "";
	}
	if (r->kind == FORM_ENUM) {
		const schema_const *k = enum_const(r, t);
		if (k) {
			snprintf(buf, n, "%s (%s)", k->name, k->value);
			return buf;
		}
	}
	return t;
}

size_t form_enabled_params(const form *f)
{
	size_t k = 0;
	for (size_t i = f->nfields; i < f->nrows; i++)
		k += form_row_sent(f->rows[i]);
	return k;
}

/* ---- fields and prefill -------------------------------------------------------------------- */

void form_copy_fields(form *dst, const form *src)
{
	for (size_t i = 0; i < src->nfields; i++) {
		const form_row *s = src->rows[i];
		size_t j = form_field(dst, s->name);
		if (j == FORM_NONE)
			continue;
		set_text(dst->rows[j], s->value);
		dst->rows[j]->enabled = s->enabled;
	}
}

size_t form_prefill(form *f, const char *name, const char *value)
{
	size_t k = 0;
	for (form_row *r = f->first; r; r = r->next) {
		if (r->field || strcmp(r->name, name) || !form_is_text(r))
			continue;
		set_text(r, value);
		r->enabled = true;
		k++;
	}
	return k;
}

/* ---- clones -------------------------------------------------------------------------------- */

static form_row *row_clone(const form_row *r, form_row *parent, bool drop_secrets)
{
	form_row *c = kt_xmalloc(sizeof *c);
	*c = *r; /* kinds, flags and the schema's pointers; what the row owns is copied below */
	c->name = kt_xstrdup(r->name);
	c->key = kt_xstrdup(r->key);
	c->type = kt_xstrdup(r->type);
	c->elem_type = r->elem_type ? kt_xstrdup(r->elem_type) : NULL;
	c->value = kt_xstrdup(drop_secrets && r->secret && form_is_text(r) ? "" : r->value);
	c->parent = parent;
	c->first = c->last = c->next = NULL;
	for (const form_row *k = r->first; k; k = k->next)
		append(&c->first, &c->last, row_clone(k, c, drop_secrets));
	return c;
}

form *form_clone(const form *f, bool drop_secrets)
{
	if (!f)
		return NULL;
	form *g = kt_xcalloc(1, sizeof *g);
	g->s = f->s;
	g->action = f->action;
	g->nfields = f->nfields;
	for (const form_row *r = f->first; r; r = r->next)
		append(&g->first, &g->last, row_clone(r, NULL, drop_secrets));
	flatten(g);
	return g;
}

void form_copy_secrets(form *dst, const form *src)
{
	for (size_t i = 0; i < dst->nrows; i++) {
		form_row *r = dst->rows[i];
		if (!r->secret || !form_is_text(r))
			continue;
		size_t j = r->field ? form_field(src, r->name) : form_find(src, r->key);
		const form_row *s = j == FORM_NONE ? NULL : src->rows[j];
		set_text(r, s ? s->value : "");
		r->enabled = s && s->enabled;
	}
}

/* ---- build --------------------------------------------------------------------------------- */

typedef struct build_ctx {
	const form *f;
	kt_request *out;
	kt_error *err;
	size_t *bad;
	kt_buf key;
} build_ctx;

static int fail_row(build_ctx *b, const form_row *r, const char *why)
{
	if (b->bad)
		*b->bad = index_of(b->f, r);
	return kt_fail(b->err, KT_E_USAGE, "%s: %s", r->key, why);
}

static int put(build_ctx *b, const form_row *r, const char *suffix, const char *value)
{
	size_t mark = b->key.len;
	kt_buf_adds(&b->key, suffix);
	int rc = param_set(b->out->params, b->key.data, value, b->err);
	b->key.len = mark;
	b->key.data[mark] = '\0';
	if (rc && b->bad)
		*b->bad = index_of(b->f, r);
	return rc;
}

/* b->key holds r's wire key (items renumbered in order); restored by the caller. */
static int emit(build_ctx *b, const form_row *r)
{
	if (!r->enabled)
		return 0;
	char why[160];
	if (form_row_invalid(r, why, sizeof why))
		return fail_row(b, r, why);
	switch (r->kind) {
	case FORM_OBJECT:
		if (put(b, r, ":objectType", r->chosen->name))
			return -1;
		for (const form_row *c = r->first; c; c = c->next) {
			size_t mark = b->key.len;
			kt_buf_printf(&b->key, ":%s", c->name);
			int rc = emit(b, c);
			b->key.len = mark;
			b->key.data[mark] = '\0';
			if (rc)
				return -1;
		}
		return 0;
	case FORM_ARRAY: {
		size_t n = 0;
		for (const form_row *c = r->first; c; c = c->next) {
			if (!c->enabled)
				continue;
			size_t mark = b->key.len;
			kt_buf_printf(&b->key, ":%zu", n++);
			int rc = emit(b, c);
			b->key.len = mark;
			b->key.data[mark] = '\0';
			if (rc)
				return -1;
		}
		return n ? 0 : put(b, r, ":-", "");
	}
	case FORM_FILE:
		/* the file goes as a part of its own (multipart), its path never as text */
		if (!*r->value)
			return fail_row(b, r, "give the path of the file to upload");
		char *path = files_expand_home(r->value);
		request_add_file(b->out, b->key.data, path);
		free(path);
		return 0;
	case FORM_BOOL:
	case FORM_ENUM:
		if (request_has_backref(r->value))
			return put(b, r, "", r->value);
		if (r->kind == FORM_BOOL)
			return put(b, r, "", is_true(r->value) ? "1" : "0");
		return put(b, r, "", enum_const(r, r->value)->value);
	default:
		return put(b, r, "", r->value);
	}
}

static void build_field(kt_request *out, const form_row *r)
{
	const char *v = r->enabled && *r->value ? r->value : NULL;
	if (!strcmp(r->name, "format")) {
		int fmt = request_format_from_name(r->value);
		out->format = fmt ? fmt : 2;
	} else if (!strcmp(r->name, "clientTag")) {
		request_set_field(&out->client_tag, v);
	} else if (!strcmp(r->name, "apiVersion")) {
		request_set_field(&out->api_version, v);
	} else if (!strcmp(r->name, "partnerId")) {
		request_set_field(&out->partner_id, v);
	} else if (!strcmp(r->name, "ks")) {
		kt_free_secret(out->ks);
		out->ks = v ? kt_xstrdup(v) : NULL;
	} else if (!strcmp(r->name, "language")) {
		request_set_field(&out->language, v);
	}
}

/* ---- filling from a request ------------------------------------------------------------- */

typedef struct fill_ctx {
	form *f;
	kt_buf skipped;
	size_t n;
} fill_ctx;

static void skip(fill_ctx *x, const char *key)
{
	if (x->n++ < 4)
		kt_buf_printf(&x->skipped, "%s%s", x->skipped.len ? ", " : "", key);
	else if (x->n == 5)
		kt_buf_adds(&x->skipped, " ...");
}

static size_t choice_of(form *f, size_t i, const char *name)
{
	const char **items;
	size_t cur, n = form_choices(f, i, &items, &cur), at = FORM_NONE;
	for (size_t j = 0; j < n && at == FORM_NONE; j++)
		if (!strcmp(items[j], name))
			at = j;
	free(items);
	return at;
}

static void fill(fill_ctx *x, const char *key, const param *p)
{
	form *f = x->f;
	size_t i = form_find(f, key);
	form_row *r = i == FORM_NONE ? NULL : f->rows[i];
	if (!r) {
		skip(x, key);
		return;
	}
	if (p->kind == PARAM_VALUE) {
		if (r->kind == FORM_OBJECT || r->kind == FORM_ARRAY)
			skip(x, key);
		else
			form_set_value(f, i, p->value);
		return;
	}
	if (p->kind == PARAM_NULL) {
		skip(x, key); /* the form has no null */
		return;
	}
	if (r->kind == FORM_ARRAY) {
		/* items in their order, whatever their keys: the server sorts and ignores them */
		form_set_enabled(f, i, true);
		size_t n = 0;
		for (const param *c = p->first; c; c = c->next) {
			if (form_item_add(f, form_find(f, key)) == FORM_NONE)
				break;
			char *item = kt_xasprintf("%s:%zu", key, n++);
			fill(x, item, c);
			free(item);
		}
		return;
	}
	if (r->kind != FORM_OBJECT || p->kind != PARAM_OBJECT) {
		skip(x, key);
		return;
	}
	const param *ot = NULL;
	for (const param *c = p->first; c; c = c->next)
		if (!strcmp(c->name, "objectType") && c->kind == PARAM_VALUE)
			ot = c;
	size_t at = ot ? choice_of(f, i, ot->value) : FORM_NONE;
	if (ot && at == FORM_NONE) {
		char *k = kt_xasprintf("%s:objectType", key);
		skip(x, k);
		free(k);
	}
	if (at != FORM_NONE)
		form_choose(f, i, at);
	else
		form_set_enabled(f, i, true);
	for (const param *c = p->first; c; c = c->next) {
		if (c == ot)
			continue;
		char *k = kt_xasprintf("%s:%s", key, c->name);
		fill(x, k, c);
		free(k);
	}
}

static void fill_field(form *f, const char *name, const char *value)
{
	size_t i = form_field(f, name);
	if (value && i != FORM_NONE)
		form_set_value(f, i, value);
}

size_t form_fill(form *f, const kt_request *r, char *skipped, size_t n)
{
	fill_ctx x = {.f = f};
	kt_buf_init(&x.skipped);
	fill_field(f, "ks", r->ks);
	fill_field(f, "partnerId", r->partner_id);
	fill_field(f, "clientTag", r->client_tag);
	fill_field(f, "apiVersion", r->api_version);
	fill_field(f, "language", r->language);
	fill_field(f, "format", r->format == 1 ? "JSON" : "XML");
	for (const param *c = r->params ? r->params->first : NULL; c; c = c->next)
		fill(&x, c->name, c);
	for (size_t i = 0; i < r->nfiles; i++) {
		size_t row = form_find(f, r->files[i].name);
		if (row != FORM_NONE && form_row_at(f, row)->kind == FORM_FILE)
			form_set_value(f, row, r->files[i].path);
		else
			skip(&x, r->files[i].name);
	}
	if (n)
		snprintf(skipped, n, "%s", x.skipped.data ? x.skipped.data : "");
	kt_buf_free(&x.skipped);
	return x.n;
}

int form_check_required(const form *f, kt_error *err, size_t *bad_row)
{
	if (bad_row)
		*bad_row = FORM_NONE;
	for (const form_row *r = f->first; r; r = r->next) {
		if (r->field || !r->required || r->enabled)
			continue;
		if (bad_row)
			*bad_row = index_of(f, r);
		return kt_fail(err, KT_E_USAGE, "%s is mandatory and not set", r->key);
	}
	return 0;
}

int form_build(const form *f, kt_request *out, kt_error *err, size_t *bad_row)
{
	build_ctx b = {f, out, err, bad_row, {0}};
	char why[160];
	if (bad_row)
		*bad_row = FORM_NONE;
	for (size_t i = 0; i < f->nfields; i++) {
		const form_row *r = f->rows[i];
		if (r->enabled && form_row_invalid(r, why, sizeof why))
			return fail_row(&b, r, why);
		build_field(out, r);
	}
	kt_buf_init(&b.key);
	int rc = 0;
	for (const form_row *r = f->first; r && !rc; r = r->next) {
		if (r->field)
			continue;
		kt_buf_reset(&b.key);
		kt_buf_adds(&b.key, r->name);
		rc = emit(&b, r);
	}
	kt_buf_free(&b.key);
	return rc;
}
