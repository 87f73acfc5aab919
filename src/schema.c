#include "schema.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libxml/xmlreader.h>

#include "files.h"
#include "util.h"

/* Far above any real schema (2 MB today); a bigger file is surely something else. */
#define SCHEMA_MAX_FILE (256u << 20)
/* Base chains are 13 classes deep at most in 22.19.0; subclass lists cost depth x classes. */
#define SCHEMA_MAX_DEPTH 100

/* ---- arena: everything of a schema lives in a few large chunks freed at once ---- */

typedef struct chunk {
	struct chunk *next;
	size_t used, cap;
} chunk;

#define CHUNK_HDR ((sizeof(chunk) + alignof(max_align_t) - 1) & ~(alignof(max_align_t) - 1))
#define CHUNK_SIZE (256u << 10)

typedef struct arena {
	chunk *head;
} arena;

static void *arena_alloc(arena *a, size_t n, size_t align)
{
	chunk *c = a->head;
	if (c) {
		size_t at = (c->used + align - 1) & ~(align - 1);
		if (at + n <= c->cap) {
			/* zeroed, gaps too: the compiled image copies it all to a file */
			memset((char *)c + CHUNK_HDR + c->used, 0, at + n - c->used);
			c->used = at + n;
			return (char *)c + CHUNK_HDR + at;
		}
	}
	/* a big block gets a chunk of its own behind the current one, so the current one stays */
	size_t cap = n > CHUNK_SIZE / 4 ? n : CHUNK_SIZE - CHUNK_HDR;
	chunk *nc = kt_xcalloc(1, CHUNK_HDR + cap);
	nc->cap = cap;
	nc->used = n;
	if (c && n > CHUNK_SIZE / 4) {
		nc->next = c->next;
		c->next = nc;
	} else {
		nc->next = c;
		a->head = nc;
	}
	return (char *)nc + CHUNK_HDR;
}

static void *arena_zalloc(arena *a, size_t n)
{
	void *p = arena_alloc(a, n ? n : 1, alignof(max_align_t));
	memset(p, 0, n);
	return p;
}

static void *arena_dup(arena *a, const void *p, size_t n)
{
	void *q = arena_alloc(a, n ? n : 1, alignof(max_align_t));
	if (n)
		memcpy(q, p, n);
	return q;
}

static void arena_free(arena *a)
{
	chunk *c = a->head;
	while (c) {
		chunk *next = c->next;
		free(c);
		c = next;
	}
	a->head = NULL;
}

/* ---- hashing: FNV-1a, optionally over ASCII-lowercased bytes ---- */

static uint32_t hash_bytes(const char *s, size_t n, bool fold)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (fold && c >= 'A' && c <= 'Z')
			c = (unsigned char)(c + 32);
		h = (h ^ c) * 16777619u;
	}
	return h;
}

/* The interning hash: eight bytes at a time, since it sees every name in the file. */
static uint32_t hash_fast(const char *s, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ n, w;
	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	w = 0;
	memcpy(&w, s, n);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 29;
	return (uint32_t)h;
}

/* Interned strings: open addressing on (hash, length, text). */
typedef struct istr {
	const char *s;
	uint32_t hash, len;
} istr;

typedef struct strtab {
	istr *slot;
	size_t mask, count;
	size_t hint; /* the first size, a power of two */
} strtab;

/* A name -> pointer table; keys are interned strings owned by the arena. */
typedef struct hent {
	const char *key;
	const void *val;
	uint32_t hash;
} hent;

typedef struct htab {
	hent *slot;
	size_t mask, count;
	bool fold;
} htab;

struct schema_store {
	arena mem;
	strtab strs;
	htab services_by_name, services_by_id, classes, enums, errors;
	/* a schema mapped from its compiled image: the whole model lives in the mapping */
	char *map;
	size_t map_len;
	char *path;
};

static const char *intern(struct schema_store *st, const char *s, size_t len)
{
	strtab *t = &st->strs;
	if ((t->count + 1) * 2 > t->mask + 1) {
		size_t ncap = t->mask ? (t->mask + 1) * 2 : t->hint;
		istr *ns = kt_xcalloc(ncap, sizeof *ns);
		for (size_t i = 0; t->mask && i <= t->mask; i++) {
			if (!t->slot[i].s)
				continue;
			size_t j = t->slot[i].hash & (ncap - 1);
			while (ns[j].s)
				j = (j + 1) & (ncap - 1);
			ns[j] = t->slot[i];
		}
		free(t->slot);
		t->slot = ns;
		t->mask = ncap - 1;
	}
	uint32_t h = hash_fast(s, len);
	size_t i = h & t->mask;
	for (; t->slot[i].s; i = (i + 1) & t->mask)
		if (t->slot[i].hash == h && t->slot[i].len == len && !memcmp(t->slot[i].s, s, len))
			return t->slot[i].s;
	char *copy = arena_alloc(&st->mem, len + 1, 1);
	memcpy(copy, s, len);
	copy[len] = '\0';
	t->slot[i] = (istr){copy, h, (uint32_t)len};
	t->count++;
	return copy;
}

static bool key_eq(const htab *t, const char *a, const char *b)
{
	return a == b || (t->fold ? !strcasecmp(a, b) : !strcmp(a, b));
}

/* Returns the value already stored under key, or NULL after storing val. */
static const void *htab_put(htab *t, const char *key, const void *val)
{
	if ((t->count + 1) * 2 > t->mask + 1) {
		size_t ncap = t->mask ? (t->mask + 1) * 2 : 256;
		hent *ns = kt_xcalloc(ncap, sizeof *ns);
		for (size_t i = 0; t->mask && i <= t->mask; i++) {
			if (!t->slot[i].key)
				continue;
			size_t j = t->slot[i].hash & (ncap - 1);
			while (ns[j].key)
				j = (j + 1) & (ncap - 1);
			ns[j] = t->slot[i];
		}
		free(t->slot);
		t->slot = ns;
		t->mask = ncap - 1;
	}
	uint32_t h = hash_bytes(key, strlen(key), t->fold);
	size_t i = h & t->mask;
	for (; t->slot[i].key; i = (i + 1) & t->mask)
		if (t->slot[i].hash == h && key_eq(t, t->slot[i].key, key))
			return t->slot[i].val;
	t->slot[i] = (hent){key, val, h};
	t->count++;
	return NULL;
}

static const void *htab_get(const htab *t, const char *key)
{
	if (!t->mask || !key)
		return NULL;
	uint32_t h = hash_bytes(key, strlen(key), t->fold);
	for (size_t i = h & t->mask; t->slot[i].key; i = (i + 1) & t->mask)
		if (t->slot[i].hash == h && key_eq(t, t->slot[i].key, key))
			return t->slot[i].val;
	return NULL;
}

/* ---- growable arrays for what is collected while a container is open ---- */

typedef struct vec {
	char *data;
	size_t len, cap, size;
} vec;

static void *vec_push(vec *v)
{
	if (v->len == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 16;
		v->data = kt_xrealloc(v->data, v->cap * v->size);
	}
	void *p = v->data + v->len++ * v->size;
	memset(p, 0, v->size);
	return p;
}

static void vec_push_ptr(vec *v, const void *p)
{
	*(const void **)vec_push(v) = p;
}

/* Moves the elements into the arena and empties v for the next container. */
static void *vec_take(vec *v, arena *a, size_t *n)
{
	*n = v->len;
	void *p = v->len ? arena_dup(a, v->data, v->len * v->size) : NULL;
	v->len = 0;
	return p;
}

/* ---- the loader ---- */

typedef enum {
	S_DOC, S_ROOT, S_ENUMS, S_ENUM, S_CLASSES, S_CLASS, S_SERVICES, S_SERVICE, S_ACTION,
	S_ERRORS, S_ERROR, S_CONFIGS, S_CONFIG, S_END,
} state;

/* The attributes the model keeps; any other is ignored. */
typedef enum {
	A_OTHER, A_NAME, A_TYPE, A_DESCRIPTION, A_PLUGIN, A_DEPRECATED, A_ENUM_TYPE, A_ARRAY_TYPE,
	A_VALUE, A_BASE, A_ABSTRACT, A_READ_ONLY, A_INSERT_ONLY, A_WRITE_ONLY, A_ID,
	A_MULTIREQUEST, A_SESSION, A_BETA, A_DEFAULT, A_OPTIONAL, A_CODE, A_MESSAGE, A_ALIAS,
	A_VOLATILE, A_API_VERSION, A_GENERATED_DATE, A_COUNT,
} attr_id;

static const char *const attr_names[A_COUNT] = {
	[A_NAME] = "name", [A_TYPE] = "type", [A_DESCRIPTION] = "description",
	[A_PLUGIN] = "plugin", [A_DEPRECATED] = "deprecated", [A_ENUM_TYPE] = "enumType",
	[A_ARRAY_TYPE] = "arrayType", [A_VALUE] = "value", [A_BASE] = "base",
	[A_ABSTRACT] = "abstract", [A_READ_ONLY] = "readOnly", [A_INSERT_ONLY] = "insertOnly",
	[A_WRITE_ONLY] = "writeOnly", [A_ID] = "id", [A_MULTIREQUEST] = "enableInMultiRequest",
	[A_SESSION] = "sessionRequired", [A_BETA] = "beta", [A_DEFAULT] = "default",
	[A_OPTIONAL] = "optional", [A_CODE] = "code", [A_MESSAGE] = "message", [A_ALIAS] = "alias",
	[A_VOLATILE] = "volatile", [A_API_VERSION] = "apiVersion",
	[A_GENERATED_DATE] = "generatedDate",
};

typedef enum {
	E_OTHER, E_XML, E_ENUMS, E_ENUM, E_CONST, E_CLASSES, E_CLASS, E_PROPERTY, E_SERVICES,
	E_SERVICE, E_ACTION, E_PARAM, E_RESULT, E_THROWS, E_ERRORS, E_ERROR, E_PARAMETER,
	E_CONFIGURATIONS, E_CLIENT, E_REQUEST, E_COUNT,
} elem_id;

static const char *const elem_names[E_COUNT] = {
	[E_XML] = "xml", [E_ENUMS] = "enums", [E_ENUM] = "enum", [E_CONST] = "const",
	[E_CLASSES] = "classes", [E_CLASS] = "class", [E_PROPERTY] = "property",
	[E_SERVICES] = "services", [E_SERVICE] = "service", [E_ACTION] = "action",
	[E_PARAM] = "param", [E_RESULT] = "result", [E_THROWS] = "throws", [E_ERRORS] = "errors",
	[E_ERROR] = "error", [E_PARAMETER] = "parameter", [E_CONFIGURATIONS] = "configurations",
	[E_CLIENT] = "client", [E_REQUEST] = "request",
};

/* libxml2 keeps element and attribute names in its dictionary, so during one parse a pointer
 * stands for a name: each distinct pointer is compared as text once, then found by address. */
#define NAME_CACHE 256

typedef struct name_cache {
	const xmlChar *key[NAME_CACHE];
	unsigned char id[NAME_CACHE];
	size_t used;
} name_cache;

static int classify(name_cache *c, const xmlChar *name, const char *const *table, int n)
{
	/* never more than half full, so a probe always ends at an empty slot */
	size_t i = ((uintptr_t)name >> 3) & (NAME_CACHE - 1);
	for (; c->key[i]; i = (i + 1) & (NAME_CACHE - 1))
		if (c->key[i] == name)
			return c->id[i];
	int id = 0;
	for (int k = 1; k < n; k++)
		if (!strcmp((const char *)name, table[k])) {
			id = k;
			break;
		}
	if (c->used < NAME_CACHE / 2) {
		c->key[i] = name;
		c->id[i] = (unsigned char)id;
		c->used++;
	}
	return id;
}

/* Raw values of the current element's attributes, valid until the reader moves on. */
typedef struct attrs {
	const char *v[A_COUNT];
	xmlChar *owned[A_COUNT];
	bool any_owned;
} attrs;

typedef struct parser {
	xmlTextReaderPtr r;
	schema *s;
	struct schema_store *st;
	const char *file;
	const char *data;
	size_t len;
	kt_error *err;
	bool failed;
	/* the first error libxml2 reported */
	bool xml_failed;
	int xml_line;
	char xml_msg[300];
	state st_now;
	bool seen_services;
	int line; /* of the current element */
	name_cache attr_cache, elem_cache;
	/* top-level lists, of pointers */
	vec services, classes, enums, errors, class_lines;
	/* the open containers' children, and the lines of the named ones */
	vec actions, params, throws, props, consts, eparams, cfg;
	vec action_lines, child_lines;
	schema_service *svc;
	schema_action *act; /* the last element of actions */
	schema_class *cls;
	schema_enum *enm;
	schema_error *er;
	bool cfg_request;
	const char *cfg_type;
} parser;

static int fail_at(parser *p, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail_at(parser *p, int line, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	if (p->failed)
		return -1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* names and values from the file must not break the one-line message */
	for (char *c = msg; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = ' ';
	p->failed = true;
	return kt_fail(p->err, KT_E_DATA, "%s:%d: %s", p->file, line, msg);
}

#if LIBXML_VERSION >= 21200
static void on_xml_error(void *ud, const xmlError *e)
#else
static void on_xml_error(void *ud, xmlErrorPtr e)
#endif
{
	parser *p = ud;
	if (p->xml_failed || !e || e->level < XML_ERR_ERROR)
		return;
	p->xml_failed = true;
	p->xml_line = e->line;
	snprintf(p->xml_msg, sizeof p->xml_msg, "%s",
		 e->message ? e->message : "not well-formed XML");
	size_t n = strlen(p->xml_msg);
	while (n && (p->xml_msg[n - 1] == '\n' || p->xml_msg[n - 1] == ' '))
		p->xml_msg[--n] = '\0';
}

/* Reads the current element's attributes straight from the reader's node, without copies. */
static void read_attrs(parser *p, xmlNodePtr node, attrs *a)
{
	memset(a->v, 0, sizeof a->v);
	for (xmlAttrPtr at = node ? node->properties : NULL; at; at = at->next) {
		int id = classify(&p->attr_cache, at->name, attr_names, A_COUNT);
		if (id == A_OTHER)
			continue;
		xmlNodePtr ch = at->children;
		if (ch && ch->type == XML_TEXT_NODE && !ch->next && ch->content) {
			a->v[id] = (const char *)ch->content;
		} else if (ch) {
			/* entity references split the value; rare, so a copy is fine */
			xmlFree(a->owned[id]);
			a->owned[id] = xmlNodeListGetString(node->doc, ch, 1);
			a->any_owned = true;
			a->v[id] = a->owned[id] ? (const char *)a->owned[id] : "";
		} else {
			a->v[id] = "";
		}
	}
}

static void attrs_free(attrs *a)
{
	if (!a->any_owned)
		return;
	a->any_owned = false;
	for (int i = 0; i < A_COUNT; i++)
		if (a->owned[i]) {
			xmlFree(a->owned[i]);
			a->owned[i] = NULL;
		}
}

/* An attribute's value interned; NULL when absent. */
static const char *attr(parser *p, const attrs *a, attr_id id)
{
	const char *v = a->v[id];
	return v ? intern(p->st, v, strlen(v)) : NULL;
}

/* Descriptions are long and unique: copied, not interned. */
static const char *attr_text(parser *p, const attrs *a, attr_id id)
{
	const char *v = a->v[id];
	if (!v)
		return NULL;
	size_t len = strlen(v);
	if (!len)
		return intern(p->st, "", 0);
	char *copy = arena_alloc(&p->st->mem, len + 1, 1);
	memcpy(copy, v, len + 1);
	return copy;
}

static bool attr_bool(const attrs *a, attr_id id)
{
	const char *v = a->v[id];
	return v && ((v[0] == '1' && !v[1]) || !strcasecmp(v, "true"));
}

static const char *need_attr(parser *p, const attrs *a, attr_id id, const char *elem)
{
	const char *v = a->v[id];
	if (!v || !*v) {
		fail_at(p, p->line, "expected a %s attribute on <%s>", attr_names[id], elem);
		return NULL;
	}
	return intern(p->st, v, strlen(v));
}

static int cmp_const_name(const void *a, const void *b)
{
	return strcmp((*(schema_const *const *)a)->name, (*(schema_const *const *)b)->name);
}

static int cmp_const_value(const void *a, const void *b)
{
	int c = strcmp((*(schema_const *const *)a)->value, (*(schema_const *const *)b)->value);
	return c ? c : cmp_const_name(a, b);
}

static int cmp_prop(const void *a, const void *b)
{
	return strcmp((*(schema_property *const *)a)->name, (*(schema_property *const *)b)->name);
}

static int cmp_param(const void *a, const void *b)
{
	return strcmp((*(schema_param *const *)a)->name, (*(schema_param *const *)b)->name);
}

static int cmp_action(const void *a, const void *b)
{
	return strcasecmp((*(schema_action *const *)a)->name, (*(schema_action *const *)b)->name);
}

static int cmp_class(const void *a, const void *b)
{
	return strcmp((*(schema_class *const *)a)->name, (*(schema_class *const *)b)->name);
}

/* A sorted array of pointers to the n elements of base (each size bytes). */
static const void **make_index(arena *a, const void *base, size_t n, size_t size,
			       int (*cmp)(const void *, const void *))
{
	const void **ix = arena_alloc(a, (n ? n : 1) * sizeof *ix, alignof(void *));
	for (size_t i = 0; i < n; i++)
		ix[i] = (const char *)base + i * size;
	qsort(ix, n, sizeof *ix, cmp);
	return ix;
}

/* The later in file order of the first pair of equal names, or -1; *line is its line. */
static long find_dup(const void **ix, size_t n, int (*cmp)(const void *, const void *),
		     const void *base, size_t size, const vec *lines, int *line)
{
	for (size_t i = 1; i < n; i++)
		if (!cmp(&ix[i - 1], &ix[i])) {
			size_t a = (size_t)((const char *)ix[i - 1] - (const char *)base) / size;
			size_t b = (size_t)((const char *)ix[i] - (const char *)base) / size;
			size_t later = a > b ? a : b;
			*line = later < lines->len ? ((const int *)lines->data)[later] : 0;
			return (long)(a > b ? i - 1 : i);
		}
	return -1;
}

static void note_line(parser *p, vec *lines)
{
	*(int *)vec_push(lines) = p->line;
}

/* ---- start and end of each element ---- */

static int start_enum(parser *p, const attrs *a)
{
	const char *name = need_attr(p, a, A_NAME, "enum");
	if (!name)
		return -1;
	schema_enum *e = arena_zalloc(&p->st->mem, sizeof *e);
	e->name = name;
	e->plugin = attr(p, a, A_PLUGIN);
	const char *t = a->v[A_ENUM_TYPE];
	e->is_string = t && !strcmp(t, "string");
	e->deprecated = attr_bool(a, A_DEPRECATED);
	if (htab_put(&p->st->enums, name, e))
		return fail_at(p, p->line, "expected one enum named %s, found a second", name);
	vec_push_ptr(&p->enums, e);
	p->enm = e;
	return 0;
}

static int end_enum(parser *p)
{
	schema_enum *e = p->enm;
	arena *m = &p->st->mem;
	e->consts = vec_take(&p->consts, m, &e->nconsts);
	const void **ix = make_index(m, e->consts, e->nconsts, sizeof *e->consts, cmp_const_name);
	int line;
	long d = find_dup(ix, e->nconsts, cmp_const_name, e->consts, sizeof *e->consts,
			  &p->child_lines, &line);
	p->child_lines.len = 0;
	if (d >= 0)
		return fail_at(p, line, "expected one constant named %s in enum %s, found a second",
			       ((const schema_const *)ix[d])->name, e->name);
	e->by_name_ = (const schema_const *const *)ix;
	e->by_value_ = (const schema_const *const *)make_index(m, e->consts, e->nconsts,
							       sizeof *e->consts, cmp_const_value);
	p->enm = NULL;
	return 0;
}

static int add_const(parser *p, const attrs *a)
{
	const char *name = need_attr(p, a, A_NAME, "const");
	const char *value = attr(p, a, A_VALUE);
	if (!name)
		return -1;
	if (!value)
		return fail_at(p, p->line, "expected a value attribute on <const name=\"%s\">",
			       name);
	note_line(p, &p->child_lines);
	schema_const *c = vec_push(&p->consts);
	c->name = name;
	c->value = value;
	return 0;
}

static int start_class(parser *p, const attrs *a)
{
	const char *name = need_attr(p, a, A_NAME, "class");
	if (!name)
		return -1;
	schema_class *c = arena_zalloc(&p->st->mem, sizeof *c);
	c->name = name;
	c->base_name = attr(p, a, A_BASE);
	if (c->base_name && !*c->base_name)
		c->base_name = NULL;
	c->plugin = attr(p, a, A_PLUGIN);
	c->description = attr_text(p, a, A_DESCRIPTION);
	c->abstract = attr_bool(a, A_ABSTRACT);
	c->deprecated = attr_bool(a, A_DEPRECATED);
	if (htab_put(&p->st->classes, name, c))
		return fail_at(p, p->line, "expected one class named %s, found a second", name);
	vec_push_ptr(&p->classes, c);
	*(int *)vec_push(&p->class_lines) = p->line;
	p->cls = c;
	return 0;
}

static int end_class(parser *p)
{
	schema_class *c = p->cls;
	arena *m = &p->st->mem;
	schema_property *props = vec_take(&p->props, m, &c->nprops);
	for (size_t i = 0; i < c->nprops; i++)
		props[i].owner = c;
	c->props = props;
	const void **ix = make_index(m, props, c->nprops, sizeof *props, cmp_prop);
	int line;
	long d = find_dup(ix, c->nprops, cmp_prop, props, sizeof *props, &p->child_lines, &line);
	p->child_lines.len = 0;
	if (d >= 0)
		return fail_at(p, line,
			       "expected one property named %s in class %s, found a second",
			       ((const schema_property *)ix[d])->name, c->name);
	c->by_name_ = (const schema_property *const *)ix;
	p->cls = NULL;
	return 0;
}

static int add_property(parser *p, const attrs *a)
{
	const char *name = need_attr(p, a, A_NAME, "property");
	if (!name)
		return -1;
	const char *type = attr(p, a, A_TYPE);
	if (!type || !*type)
		return fail_at(p, p->line, "expected a type attribute on <property name=\"%s\">",
			       name);
	note_line(p, &p->child_lines);
	schema_property *pr = vec_push(&p->props);
	pr->name = name;
	pr->type = type;
	pr->enum_type = attr(p, a, A_ENUM_TYPE);
	pr->array_type = attr(p, a, A_ARRAY_TYPE);
	pr->description = attr_text(p, a, A_DESCRIPTION);
	pr->read_only = attr_bool(a, A_READ_ONLY);
	pr->insert_only = attr_bool(a, A_INSERT_ONLY);
	pr->write_only = attr_bool(a, A_WRITE_ONLY);
	pr->deprecated = attr_bool(a, A_DEPRECATED);
	return 0;
}

static int start_service(parser *p, const attrs *a)
{
	const char *name = need_attr(p, a, A_NAME, "service");
	if (!name)
		return -1;
	schema_service *s = arena_zalloc(&p->st->mem, sizeof *s);
	s->name = name;
	s->id = attr(p, a, A_ID);
	if (!s->id || !*s->id)
		s->id = name;
	s->plugin = attr(p, a, A_PLUGIN);
	s->description = attr_text(p, a, A_DESCRIPTION);
	s->deprecated = attr_bool(a, A_DEPRECATED);
	if (htab_put(&p->st->services_by_name, name, s))
		return fail_at(p, p->line, "expected one service named %s, found a second", name);
	const schema_service *other = htab_put(&p->st->services_by_id, s->id, s);
	if (other)
		return fail_at(p, p->line, "expected one service with id %s, found a second",
			       s->id);
	vec_push_ptr(&p->services, s);
	p->svc = s;
	return 0;
}

static int end_service(parser *p)
{
	schema_service *s = p->svc;
	arena *m = &p->st->mem;
	schema_action *acts = vec_take(&p->actions, m, &s->nactions);
	s->actions = acts;
	p->s->nactions += s->nactions;
	const void **ix = make_index(m, acts, s->nactions, sizeof *acts, cmp_action);
	int line;
	long d = find_dup(ix, s->nactions, cmp_action, acts, sizeof *acts, &p->action_lines, &line);
	p->action_lines.len = 0;
	if (d >= 0)
		return fail_at(p, line,
			       "expected one action named %s in service %s, found a second",
			       ((const schema_action *)ix[d])->name, s->name);
	s->by_name_ = (const schema_action *const *)ix;
	p->svc = NULL;
	return 0;
}

static int start_action(parser *p, const attrs *a)
{
	const char *name = need_attr(p, a, A_NAME, "action");
	if (!name)
		return -1;
	note_line(p, &p->action_lines);
	schema_action *ac = vec_push(&p->actions);
	ac->name = name;
	ac->service = p->svc;
	ac->description = attr_text(p, a, A_DESCRIPTION);
	ac->plugin = attr(p, a, A_PLUGIN);
	ac->enable_in_multirequest = attr_bool(a, A_MULTIREQUEST);
	ac->deprecated = attr_bool(a, A_DEPRECATED);
	ac->beta = attr_bool(a, A_BETA);
	const char *sr = a->v[A_SESSION];
	if (!sr)
		ac->session_required = SCHEMA_KS_UNSPECIFIED;
	else if (!strcmp(sr, "always"))
		ac->session_required = SCHEMA_KS_ALWAYS;
	else if (!strcmp(sr, "optional"))
		ac->session_required = SCHEMA_KS_OPTIONAL;
	else if (!strcmp(sr, "none"))
		ac->session_required = SCHEMA_KS_NONE;
	else
		return fail_at(p, p->line,
			       "expected sessionRequired always, optional or none, found '%s'", sr);
	p->act = ac;
	return 0;
}

static int end_action(parser *p)
{
	schema_action *ac = p->act;
	arena *m = &p->st->mem;
	ac->params = vec_take(&p->params, m, &ac->nparams);
	ac->throws = vec_take(&p->throws, m, &ac->nthrows);
	const void **ix = make_index(m, ac->params, ac->nparams, sizeof *ac->params, cmp_param);
	int line;
	long d = find_dup(ix, ac->nparams, cmp_param, ac->params, sizeof *ac->params,
			  &p->child_lines, &line);
	p->child_lines.len = 0;
	if (d >= 0)
		return fail_at(p, line,
			       "expected one parameter named %s in action %s.%s, found a second",
			       ((const schema_param *)ix[d])->name, p->svc->name, ac->name);
	ac->by_name_ = (const schema_param *const *)ix;
	p->act = NULL;
	return 0;
}

static int add_param(parser *p, const attrs *a)
{
	const char *name = need_attr(p, a, A_NAME, "param");
	if (!name)
		return -1;
	const char *type = attr(p, a, A_TYPE);
	if (!type || !*type)
		return fail_at(p, p->line, "expected a type attribute on <param name=\"%s\">",
			       name);
	note_line(p, &p->child_lines);
	schema_param *pa = vec_push(&p->params);
	pa->name = name;
	pa->type = type;
	pa->default_value = attr(p, a, A_DEFAULT);
	pa->enum_type = attr(p, a, A_ENUM_TYPE);
	pa->array_type = attr(p, a, A_ARRAY_TYPE);
	pa->description = attr_text(p, a, A_DESCRIPTION);
	pa->optional = attr_bool(a, A_OPTIONAL);
	return 0;
}

static int set_result(parser *p, const attrs *a)
{
	const char *t = attr(p, a, A_TYPE);
	p->act->result_type = t && *t ? t : NULL;
	p->act->result_array_type = attr(p, a, A_ARRAY_TYPE);
	return 0;
}

static int add_throws(parser *p, const attrs *a)
{
	const char *name = need_attr(p, a, A_NAME, "throws");
	if (!name)
		return -1;
	vec_push_ptr(&p->throws, name);
	return 0;
}

static int start_error(parser *p, const attrs *a)
{
	const char *name = need_attr(p, a, A_NAME, "error");
	if (!name)
		return -1;
	schema_error *e = arena_zalloc(&p->st->mem, sizeof *e);
	e->name = name;
	e->code = attr(p, a, A_CODE);
	if (!e->code || !*e->code)
		e->code = name;
	e->message = attr_text(p, a, A_MESSAGE);
	if (!e->message)
		e->message = intern(p->st, "", 0);
	if (htab_put(&p->st->errors, e->code, e))
		return fail_at(p, p->line, "expected one error with code %s, found a second",
			       e->code);
	vec_push_ptr(&p->errors, e);
	p->er = e;
	return 0;
}

static int end_error(parser *p)
{
	p->er->params = vec_take(&p->eparams, &p->st->mem, &p->er->nparams);
	p->er = NULL;
	return 0;
}

static int add_eparam(parser *p, const attrs *a)
{
	const char *name = need_attr(p, a, A_NAME, "parameter");
	if (!name)
		return -1;
	vec_push_ptr(&p->eparams, name);
	return 0;
}

static int add_config_field(parser *p, const char *name, const attrs *a)
{
	schema_config_field *f = vec_push(&p->cfg);
	f->name = intern(p->st, name, strlen(name));
	f->type = attr(p, a, A_TYPE);
	f->alias = attr(p, a, A_ALIAS);
	f->description = attr_text(p, a, A_DESCRIPTION);
	f->is_volatile = attr_bool(a, A_VOLATILE);
	return 0;
}

static int end_config(parser *p)
{
	size_t n;
	const schema_config_field *f = vec_take(&p->cfg, &p->st->mem, &n);
	if (p->cfg_request) {
		p->s->request_config = f;
		p->s->nrequest_config = n;
		p->s->request_config_type = p->cfg_type;
	} else {
		p->s->client_config = f;
		p->s->nclient_config = n;
		p->s->client_config_type = p->cfg_type;
	}
	return 0;
}

/* Names that belong somewhere in a schema: found in the wrong place they are an error, while
 * unknown top-level sections (a newer generator's) are skipped. */
static bool is_schema_element(int e)
{
	return e != E_OTHER && e != E_ENUMS && e != E_CLASSES && e != E_SERVICES && e != E_ERRORS &&
	       e != E_CONFIGURATIONS;
}

enum { GO_ON, SKIP_SUBTREE };

/* Handles an element start; returns -1, GO_ON or SKIP_SUBTREE. *container says whether the
 * element opened a state whose end must be seen. */
static int on_start(parser *p, int e, const char *n, const attrs *a, bool *container)
{
	*container = true;
	switch (p->st_now) {
	case S_DOC:
		if (e != E_XML)
			return fail_at(
				p, p->line,
				"expected <xml> as the root element of an API schema, found <%s>",
				n);
		p->s->api_version = attr(p, a, A_API_VERSION);
		p->s->generated_date = attr(p, a, A_GENERATED_DATE);
		p->st_now = S_ROOT;
		return GO_ON;
	case S_ROOT:
		if (e == E_ENUMS)
			p->st_now = S_ENUMS;
		else if (e == E_CLASSES)
			p->st_now = S_CLASSES;
		else if (e == E_SERVICES) {
			p->st_now = S_SERVICES;
			p->seen_services = true;
		} else if (e == E_ERRORS)
			p->st_now = S_ERRORS;
		else if (e == E_CONFIGURATIONS)
			p->st_now = S_CONFIGS;
		else if (is_schema_element(e))
			return fail_at(p, p->line,
				       "expected <enums>, <classes>, <services>, <errors> or "
				       "<configurations> in <xml>, found <%s>",
				       n);
		else {
			*container = false;
			return SKIP_SUBTREE;
		}
		return GO_ON;
	case S_ENUMS:
		if (e != E_ENUM)
			return fail_at(p, p->line, "expected <enum> in <enums>, found <%s>", n);
		p->st_now = S_ENUM;
		return start_enum(p, a) < 0 ? -1 : GO_ON;
	case S_CLASSES:
		if (e != E_CLASS)
			return fail_at(p, p->line, "expected <class> in <classes>, found <%s>", n);
		p->st_now = S_CLASS;
		return start_class(p, a) < 0 ? -1 : GO_ON;
	case S_SERVICES:
		if (e != E_SERVICE)
			return fail_at(p, p->line, "expected <service> in <services>, found <%s>",
				       n);
		p->st_now = S_SERVICE;
		return start_service(p, a) < 0 ? -1 : GO_ON;
	case S_SERVICE:
		if (e != E_ACTION)
			return fail_at(p, p->line,
				       "expected <action> in <service name=\"%s\">, found <%s>",
				       p->svc->name, n);
		p->st_now = S_ACTION;
		return start_action(p, a) < 0 ? -1 : GO_ON;
	case S_ERRORS:
		if (e != E_ERROR)
			return fail_at(p, p->line, "expected <error> in <errors>, found <%s>", n);
		p->st_now = S_ERROR;
		return start_error(p, a) < 0 ? -1 : GO_ON;
	case S_CONFIGS:
		if (e != E_CLIENT && e != E_REQUEST) {
			*container = false;
			return SKIP_SUBTREE;
		}
		p->cfg_request = e == E_REQUEST;
		p->cfg_type = attr(p, a, A_TYPE);
		p->st_now = S_CONFIG;
		return GO_ON;
	default:
		break;
	}

	/* leaves: whatever they contain is skipped */
	*container = false;
	int rc;
	switch (p->st_now) {
	case S_ENUM:
		if (e != E_CONST)
			return fail_at(p, p->line,
				       "expected <const> in <enum name=\"%s\">, found <%s>",
				       p->enm->name, n);
		rc = add_const(p, a);
		break;
	case S_CLASS:
		if (e != E_PROPERTY)
			return fail_at(p, p->line,
				       "expected <property> in <class name=\"%s\">, found <%s>",
				       p->cls->name, n);
		rc = add_property(p, a);
		break;
	case S_ACTION:
		if (e == E_PARAM)
			rc = add_param(p, a);
		else if (e == E_RESULT)
			rc = set_result(p, a);
		else if (e == E_THROWS)
			rc = add_throws(p, a);
		else
			return fail_at(p, p->line,
				       "expected <param>, <result> or <throws> in <action "
				       "name=\"%s\">, found <%s>",
				       p->act->name, n);
		break;
	case S_ERROR:
		if (e != E_PARAMETER)
			return fail_at(p, p->line,
				       "expected <parameter> in <error name=\"%s\">, found <%s>",
				       p->er->name, n);
		rc = add_eparam(p, a);
		break;
	case S_CONFIG:
		rc = add_config_field(p, n, a);
		break;
	default:
		return fail_at(p, p->line, "expected the end of the document, found <%s>", n);
	}
	return rc < 0 ? -1 : SKIP_SUBTREE;
}

static int on_end(parser *p)
{
	switch (p->st_now) {
	case S_ROOT:
		p->st_now = S_END;
		return 0;
	case S_ENUMS: case S_CLASSES: case S_SERVICES: case S_ERRORS: case S_CONFIGS:
		p->st_now = S_ROOT;
		return 0;
	case S_ENUM:
		p->st_now = S_ENUMS;
		return end_enum(p);
	case S_CLASS:
		p->st_now = S_CLASSES;
		return end_class(p);
	case S_SERVICE:
		p->st_now = S_SERVICES;
		return end_service(p);
	case S_ACTION:
		p->st_now = S_SERVICE;
		return end_action(p);
	case S_ERROR:
		p->st_now = S_ERRORS;
		return end_error(p);
	case S_CONFIG:
		p->st_now = S_CONFIGS;
		return end_config(p);
	default:
		return 0;
	}
}

static int node_line(parser *p)
{
	xmlNodePtr n = xmlTextReaderCurrentNode(p->r);
	long l = n ? xmlGetLineNo(n) : -1;
	return l > 0 ? (int)l : xmlTextReaderGetParserLineNumber(p->r);
}

/* The line of the first occurrence of what (ignoring case) in the input, else 1. */
static int line_of(parser *p, const char *what)
{
	size_t n = strlen(what);
	int line = 1;
	for (size_t i = 0; i + n <= p->len; i++) {
		if (p->data[i] == '\n')
			line++;
		else if (!strncasecmp(p->data + i, what, n))
			return line;
	}
	return 1;
}

static int read_document(parser *p)
{
	attrs a = {0};
	int ret = xmlTextReaderRead(p->r);
	while (ret == 1 && !p->failed) {
		int type = xmlTextReaderNodeType(p->r);
		int next = GO_ON;
		if (type == XML_READER_TYPE_ELEMENT) {
			bool container;
			p->line = node_line(p);
			read_attrs(p, xmlTextReaderCurrentNode(p->r), &a);
			const xmlChar *n = xmlTextReaderConstLocalName(p->r);
			int e = n ? classify(&p->elem_cache, n, elem_names, E_COUNT) : E_OTHER;
			next = on_start(p, e, n ? (const char *)n : "?", &a, &container);
			attrs_free(&a);
			if (next < 0)
				return -1;
			/* <x/> has no end event */
			if (container && xmlTextReaderIsEmptyElement(p->r) && on_end(p) < 0)
				return -1;
			if (!container && xmlTextReaderIsEmptyElement(p->r))
				next = GO_ON;
		} else if (type == XML_READER_TYPE_END_ELEMENT) {
			p->line = node_line(p);
			if (on_end(p) < 0)
				return -1;
		} else if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
			/* a schema never has one; an HTML error page does, and the reader keeps no
			 * line */
			return fail_at(
				p, line_of(p, "<!DOCTYPE"),
				"expected an API schema, found a <!DOCTYPE> (an HTML page?)");
		}
		ret = next == SKIP_SUBTREE ? xmlTextReaderNext(p->r) : xmlTextReaderRead(p->r);
	}
	if (p->failed)
		return -1;
	if (ret < 0 || p->xml_failed) {
		if (p->xml_failed)
			return fail_at(p, p->xml_line, "%s", p->xml_msg);
		return fail_at(p, xmlTextReaderGetParserLineNumber(p->r), "not well-formed XML");
	}
	int last = xmlTextReaderGetParserLineNumber(p->r);
	if (p->st_now == S_DOC)
		return fail_at(p, last > 0 ? last : 1,
			       "expected <xml> as the root element of an API schema");
	if (p->st_now != S_END)
		return fail_at(p, last, "expected the end of </xml>, found the end of the file");
	if (!p->seen_services)
		return fail_at(p, last, "expected a <services> section in <xml>");
	return 0;
}

/* ---- after the whole file: bases, inherited properties, subclasses, type references ---- */

static int link_classes(parser *p)
{
	size_t n = p->classes.len;
	schema_class **cls = (schema_class **)p->classes.data;
	const int *lines = (const int *)p->class_lines.data;
	for (size_t i = 0; i < n; i++) {
		schema_class *c = cls[i];
		if (!c->base_name)
			continue;
		c->base = htab_get(&p->st->classes, c->base_name);
		if (!c->base)
			return fail_at(p, lines[i],
				       "expected the base class %s of %s to be defined",
				       c->base_name, c->name);
	}
	/* depth with an explicit stack, so a long chain cannot overflow the C stack; BUSY marks
	 * a class being resolved, to catch cycles */
	for (size_t i = 0; i < n; i++)
		cls[i]->depth = 0;
	vec chain = {.size = sizeof(schema_class *)};
	static const unsigned DONE = 1u << 31, BUSY = 1u << 30;
	for (size_t i = 0; i < n; i++) {
		schema_class *c = cls[i];
		chain.len = 0;
		while (c && !(c->depth & DONE)) {
			if (c->depth & BUSY) {
				free(chain.data);
				return fail_at(
					p, lines[i],
					"expected the base chain of %s to end, found a cycle",
					cls[i]->name);
			}
			c->depth = BUSY;
			*(schema_class **)vec_push(&chain) = c;
			c = (schema_class *)c->base;
		}
		unsigned d = c ? (c->depth & ~DONE) + 1 : 0;
		if (d + chain.len > SCHEMA_MAX_DEPTH + 1) {
			free(chain.data);
			return fail_at(p, lines[i],
				       "expected a base chain of at most %d classes above %s",
				       SCHEMA_MAX_DEPTH, cls[i]->name);
		}
		while (chain.len) {
			schema_class *x = ((schema_class **)chain.data)[--chain.len];
			x->depth = d++ | DONE;
		}
	}
	free(chain.data);
	for (size_t i = 0; i < n; i++)
		cls[i]->depth &= ~DONE;
	return 0;
}

static void inherit_properties(parser *p)
{
	size_t n = p->classes.len;
	schema_class **cls = (schema_class **)p->classes.data;
	arena *m = &p->st->mem;
	/* bases before subclasses: a counting sort by depth */
	unsigned maxd = 0;
	for (size_t i = 0; i < n; i++)
		if (cls[i]->depth > maxd)
			maxd = cls[i]->depth;
	size_t *start = kt_xcalloc((size_t)maxd + 2, sizeof *start);
	for (size_t i = 0; i < n; i++)
		start[cls[i]->depth + 1]++;
	for (unsigned d = 1; d <= maxd + 1; d++)
		start[d] += start[d - 1];
	schema_class **order = kt_xmalloc((n ? n : 1) * sizeof *order);
	for (size_t i = 0; i < n; i++)
		order[start[cls[i]->depth]++] = cls[i];
	free(start);

	for (size_t i = 0; i < n; i++) {
		schema_class *c = order[i];
		size_t ninh = c->base ? c->base->nall_props : 0;
		const schema_property **all = arena_alloc(m, (ninh + c->nprops + 1) * sizeof *all,
							   alignof(void *));
		if (ninh)
			memcpy(all, c->base->all_props, ninh * sizeof *all);
		size_t k = ninh;
		for (size_t j = 0; j < c->nprops; j++) {
			const schema_property *own = &c->props[j];
			const schema_property *old =
				c->base ? schema_class_find_property(c->base, own->name) : NULL;
			if (old) {
				/* an override keeps the inherited position */
				for (size_t x = 0; x < ninh; x++)
					if (all[x] == old) {
						all[x] = own;
						break;
					}
			} else {
				all[k++] = own;
			}
		}
		c->all_props = all;
		c->nall_props = k;
	}
	free(order);
}

static void list_concrete(parser *p)
{
	size_t n = p->classes.len;
	schema_class **cls = (schema_class **)p->classes.data;
	arena *m = &p->st->mem;
	for (size_t i = 0; i < n; i++)
		cls[i]->nconcrete = 0;
	for (size_t i = 0; i < n; i++)
		if (!cls[i]->abstract)
			for (schema_class *a = cls[i]; a; a = (schema_class *)a->base)
				a->nconcrete++;
	for (size_t i = 0; i < n; i++) {
		schema_class *c = cls[i];
		c->concrete = arena_alloc(m, (c->nconcrete ? c->nconcrete : 1) * sizeof(void *),
					  alignof(void *));
		/* itself first */
		c->nconcrete = 0;
		if (!c->abstract)
			((const schema_class **)c->concrete)[c->nconcrete++] = c;
	}
	for (size_t i = 0; i < n; i++)
		if (!cls[i]->abstract)
			for (schema_class *a = (schema_class *)cls[i]->base; a;
			     a = (schema_class *)a->base)
				((const schema_class **)a->concrete)[a->nconcrete++] = cls[i];
	for (size_t i = 0; i < n; i++) {
		schema_class *c = cls[i];
		size_t skip = c->abstract ? 0 : 1;
		qsort((void *)(c->concrete + skip), c->nconcrete - skip, sizeof(void *), cmp_class);
	}
}

static const schema_class *class_of(parser *p, const char *type)
{
	return type ? htab_get(&p->st->classes, type) : NULL;
}

static const schema_enum *enum_of(parser *p, const char *type)
{
	return type ? htab_get(&p->st->enums, type) : NULL;
}

static void resolve_types(parser *p)
{
	for (size_t i = 0; i < p->classes.len; i++) {
		schema_class *c = ((schema_class **)p->classes.data)[i];
		for (size_t j = 0; j < c->nprops; j++) {
			schema_property *pr = (schema_property *)&c->props[j];
			pr->enumeration = enum_of(p, pr->enum_type);
			pr->type_class = class_of(p, pr->type);
			pr->array_class = class_of(p, pr->array_type);
		}
	}
	for (size_t i = 0; i < p->services.len; i++) {
		schema_service *s = ((schema_service **)p->services.data)[i];
		for (size_t j = 0; j < s->nactions; j++) {
			schema_action *ac = (schema_action *)&s->actions[j];
			ac->result_class = class_of(p, ac->result_type);
			if (!ac->result_class)
				ac->result_class = class_of(p, ac->result_array_type);
			for (size_t k = 0; k < ac->nparams; k++) {
				schema_param *pa = (schema_param *)&ac->params[k];
				pa->enumeration = enum_of(p, pa->enum_type);
				pa->type_class = class_of(p, pa->type);
				pa->array_class = class_of(p, pa->array_type);
			}
		}
	}
}

static void publish_lists(parser *p)
{
	schema *s = p->s;
	arena *m = &p->st->mem;
	s->services = vec_take(&p->services, m, &s->nservices);
	s->classes = vec_take(&p->classes, m, &s->nclasses);
	s->enums = vec_take(&p->enums, m, &s->nenums);
	s->errors = vec_take(&p->errors, m, &s->nerrors);
}

static void parser_free(parser *p)
{
	vec *vs[] = {&p->services, &p->classes, &p->enums, &p->errors, &p->class_lines, &p->actions,
		     &p->params, &p->throws, &p->props, &p->consts, &p->eparams, &p->cfg,
		     &p->action_lines, &p->child_lines};
	for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++)
		free(vs[i]->data);
	if (p->r)
		xmlFreeTextReader(p->r);
}

void schema_free(schema *s)
{
	if (!s)
		return;
	struct schema_store *st = s->store_;
	if (st && st->map) { /* the model is the mapping; s is a copy of its root */
		munmap(st->map, st->map_len);
		free(st->path);
		free(st);
		free(s);
		return;
	}
	if (st) {
		free(st->strs.slot);
		free(st->services_by_name.slot);
		free(st->services_by_id.slot);
		free(st->classes.slot);
		free(st->enums.slot);
		free(st->errors.slot);
		arena_free(&st->mem);
		free(st);
	}
	free(s);
}

/* The offset of the first byte that is not blank (after a UTF-8 byte order mark), or len. */
static size_t skip_blank(const char *data, size_t len)
{
	size_t i = len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3) ? 3 : 0;
	while (i < len && strchr(" \t\r\n", data[i]) && data[i])
		i++;
	return i;
}

schema *schema_load_memory(const char *data, size_t len, const char *name, kt_error *err)
{
	if (!name)
		name = "schema";
	if (len > INT_MAX)
		return kt_fail(err, KT_E_DATA, "%s: too large for an API schema", name), NULL;
	size_t first = skip_blank(data, len);
	if (first == len)
		return kt_fail(err, KT_E_DATA, "%s:1: expected an API schema, found an empty file",
			       name),
		       NULL;
	if (data[first] != '<') {
		int line = 1;
		for (size_t i = 0; i < first; i++)
			line += data[i] == '\n';
		unsigned char c = (unsigned char)data[first];
		if (c < 0x20 || c >= 0x7f)
			return kt_fail(err, KT_E_DATA,
				       "%s:%d: expected an XML API schema, found binary data", name,
				       line),
			       NULL;
		return kt_fail(err, KT_E_DATA,
			       "%s:%d: expected an XML API schema, found text starting with '%c'",
			       name, line, c),
		       NULL;
	}

	/* refuse a document type before libxml2 reads its declarations (entities, XXE) */
	size_t at = first;
	while (at < len && data[at] == '<' && at + 1 < len &&
	       (data[at + 1] == '?' || data[at + 1] == '!')) {
		if (len - at >= 9 && !strncasecmp(data + at, "<!DOCTYPE", 9)) {
			int line = 1;
			for (size_t i = 0; i < at; i++)
				line += data[i] == '\n';
			return kt_fail(err, KT_E_DATA,
				       "%s:%d: expected an API schema, found a <!DOCTYPE> (an HTML "
				       "page?)",
				       name, line),
			       NULL;
		}
		const char *close = memchr(data + at, '>', len - at);
		if (!close)
			break;
		at = (size_t)(close - data) + 1;
		at += skip_blank(data + at, len - at);
	}

	schema *s = kt_xcalloc(1, sizeof *s);
	struct schema_store *st = kt_xcalloc(1, sizeof *st);
	s->store_ = st;
	st->services_by_name.fold = st->services_by_id.fold = true;
	/* about one distinct name per 128 bytes of schema: sized once, never rehashed */
	st->strs.hint = 1024;
	while (st->strs.hint < len / 64 && st->strs.hint < (1u << 22))
		st->strs.hint *= 2;
	s->path = intern(st, name, strlen(name));

	parser p = {
		.s = s,
		.st = st,
		.file = s->path,
		.data = data,
		.len = len,
		.err = err,
		.services = { .size = sizeof(void *) },
		.classes = { .size = sizeof(void *) },
		.enums = { .size = sizeof(void *) },
		.errors = { .size = sizeof(void *) },
		.class_lines = { .size = sizeof(int) },
		.actions = { .size = sizeof(schema_action) },
		.params = { .size = sizeof(schema_param) },
		.throws = { .size = sizeof(char *) },
		.props = { .size = sizeof(schema_property) },
		.consts = { .size = sizeof(schema_const) },
		.eparams = { .size = sizeof(char *) },
		.cfg = { .size = sizeof(schema_config_field) },
		.action_lines = { .size = sizeof(int) },
		.child_lines = { .size = sizeof(int) },
	};
	/* no network, no DTD, no entity substitution; whitespace-only text is not reported */
	p.r = xmlReaderForMemory(data, (int)len, NULL, NULL,
				 XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_COMPACT);
	if (!p.r) {
		kt_fail(err, KT_E_INTERNAL, "%s: cannot start the XML reader", name);
		schema_free(s);
		return NULL;
	}
	xmlTextReaderSetStructuredErrorHandler(p.r, on_xml_error, &p);

	int rc = read_document(&p);
	if (rc == 0)
		rc = link_classes(&p);
	if (rc == 0) {
		inherit_properties(&p);
		list_concrete(&p);
		resolve_types(&p);
		publish_lists(&p);
	}
	parser_free(&p);
	if (rc < 0) {
		schema_free(s);
		return NULL;
	}
	return s;
}

/* ---- the compiled image: a loaded schema written once per schema file, mapped on start ----
 *
 * The arena's chunks, the schema struct and the name tables are copied into one file with
 * every pointer written as it will be when the file is mapped at its own address (img_base:
 * picked from the schema's hash, far from where the kernel puts mappings). Loading maps the
 * file read-only there and checks its header and checksum: nothing is relocated, no page is
 * copied. When that address is taken (the same schema loaded twice) the file is mapped
 * privately anywhere and every pointer is moved, each checked to fall inside the file. A
 * corrupt or stale image is refused and rebuilt. The file is named by a hash of the schema's
 * bytes, so an edited schema gets an image of its own. */

#define IMG_MAGIC "KTSCHIM2"
/* Changes whenever the model's structs or this format change. */
#define IMG_LAYOUT ((uint32_t)(1000 * 1 + sizeof(schema) + sizeof(schema_service) + \
			       sizeof(schema_action) + sizeof(schema_param) + sizeof(schema_class) + \
			       sizeof(schema_property) + sizeof(schema_enum) + sizeof(schema_const) + \
			       sizeof(schema_error) + sizeof(schema_config_field) + sizeof(hent)))
#define IMG_TABLES 5

typedef struct img_header {
	char magic[8];
	char build[48];          /* the program that wrote it */
	uint32_t layout;
	uint32_t pad;
	uint64_t source_len, source_hash;
	uint64_t image_len, image_hash;
	uint64_t root;           /* offset of the schema struct */
	uint64_t base;           /* the address every pointer in the file assumes */
	uint64_t slots[IMG_TABLES], masks[IMG_TABLES], counts[IMG_TABLES];
} img_header;

/* Where an image is meant to be mapped: one of 64Ki 1 GB-aligned places between 32 and 96 TiB,
 * above where glibc, the kernel and ASan's shadow put anything on x86-64 and arm64 (48-bit).
 * Where the address space is smaller, the map fails and the image is relocated instead. */
#define IMG_BASE_LO 0x200000000000ull
static uint64_t img_base(uint64_t source_hash)
{
	return IMG_BASE_LO + (((source_hash >> 24) & 0xffffull) << 30);
}

static const char img_build[48] = "ktestme " KT_VERSION " " __DATE__ " " __TIME__;

/* 64-bit hash, four lanes so it runs near memory speed; not cryptographic: the cache is the
 * user's own and only has to notice change and damage. */
static uint64_t img_hash(const void *data, size_t n)
{
	const unsigned char *p = data;
	uint64_t h[4] = {0x9e3779b97f4a7c15ull ^ n, 0xc2b2ae3d27d4eb4full, 0x165667b19e3779f9ull,
			 0x27d4eb2f165667c5ull}, w;
	for (; n >= 32; p += 32, n -= 32)
		for (int i = 0; i < 4; i++) {
			memcpy(&w, p + 8 * i, 8);
			h[i] = (h[i] ^ w) * 0xff51afd7ed558ccdull;
			h[i] ^= h[i] >> 31;
		}
	uint64_t t = h[0] ^ (h[1] * 3) ^ (h[2] * 5) ^ (h[3] * 7);
	for (; n; p++, n--)
		t = (t ^ *p) * 0x100000001b3ull;
	t ^= t >> 33;
	t *= 0xc4ceb9fe1a85ec53ull;
	return t ^ (t >> 29);
}

typedef struct img_seg {
	const char *start, *end;
	size_t off;
} img_seg;

typedef struct img_ctx {
	bool load;
	img_seg *seg;
	size_t nseg;
	char *img;
	size_t len;
	uint64_t base; /* the address the pointers in the file assume */
	bool bad;
} img_ctx;

static size_t img_offset(const img_ctx *c, const void *p)
{
	const char *q = p;
	for (size_t i = 0; i < c->nseg; i++)
		if (q >= c->seg[i].start && q <= c->seg[i].end)
			return c->seg[i].off + (size_t)(q - c->seg[i].start);
	return SIZE_MAX;
}

/* Saving: writes the offset of *slot into the image and returns the live pointer. Loading:
 * turns the offset in *slot back into a pointer to n items of size bytes, checked. */
static void *img_fix(img_ctx *c, const void *slot_addr, size_t size, size_t n)
{
	void **slot = (void **)slot_addr;
	if (c->load) {
		uint64_t v = (uintptr_t)*slot;
		if (!v)
			return NULL;
		size_t off = (size_t)(v - c->base);
		if (v < c->base || off > c->len || (size && n && (c->len - off) / size < n)) {
			c->bad = true;
			*slot = NULL;
			return NULL;
		}
		*slot = c->img + off;
		return *slot;
	}
	void *p = *slot;
	if (!p)
		return NULL;
	size_t where = img_offset(c, slot), target = img_offset(c, p);
	if (where == SIZE_MAX || target == SIZE_MAX || where + sizeof(uint64_t) > c->len) {
		c->bad = true;
		return p;
	}
	uint64_t v = c->base + (uint64_t)target;
	memcpy(c->img + where, &v, sizeof v);
	return p;
}

#define FIX(c, field, type, n) ((type *)img_fix((c), &(field), sizeof(type), (n)))
#define STR(c, field) ((void)img_fix((c), &(field), 1, 1))

static void img_param(img_ctx *c, schema_param *pa)
{
	STR(c, pa->name);
	STR(c, pa->type);
	STR(c, pa->default_value);
	STR(c, pa->enum_type);
	STR(c, pa->array_type);
	STR(c, pa->description);
	FIX(c, pa->enumeration, schema_enum, 1);
	FIX(c, pa->type_class, schema_class, 1);
	FIX(c, pa->array_class, schema_class, 1);
}

static void img_service(img_ctx *c, schema_service *svc)
{
	STR(c, svc->id);
	STR(c, svc->name);
	STR(c, svc->plugin);
	STR(c, svc->description);
	schema_action *acts = FIX(c, svc->actions, schema_action, svc->nactions);
	const schema_action **by = FIX(c, svc->by_name_, const schema_action *, svc->nactions);
	for (size_t i = 0; acts && i < svc->nactions; i++) {
		schema_action *a = &acts[i];
		if (by)
			FIX(c, by[i], schema_action, 1);
		STR(c, a->name);
		STR(c, a->description);
		STR(c, a->plugin);
		FIX(c, a->service, schema_service, 1);
		STR(c, a->result_type);
		STR(c, a->result_array_type);
		FIX(c, a->result_class, schema_class, 1);
		schema_param *ps = FIX(c, a->params, schema_param, a->nparams);
		const schema_param **pby = FIX(c, a->by_name_, const schema_param *, a->nparams);
		for (size_t k = 0; ps && k < a->nparams; k++) {
			img_param(c, &ps[k]);
			if (pby)
				FIX(c, pby[k], schema_param, 1);
		}
		const char **th = FIX(c, a->throws, const char *, a->nthrows);
		for (size_t k = 0; th && k < a->nthrows; k++)
			STR(c, th[k]);
	}
}

static void img_class(img_ctx *c, schema_class *cl)
{
	STR(c, cl->name);
	STR(c, cl->base_name);
	STR(c, cl->plugin);
	STR(c, cl->description);
	FIX(c, cl->base, schema_class, 1);
	schema_property *ps = FIX(c, cl->props, schema_property, cl->nprops);
	for (size_t i = 0; ps && i < cl->nprops; i++) {
		schema_property *p = &ps[i];
		STR(c, p->name);
		STR(c, p->type);
		STR(c, p->enum_type);
		STR(c, p->array_type);
		STR(c, p->description);
		FIX(c, p->owner, schema_class, 1);
		FIX(c, p->enumeration, schema_enum, 1);
		FIX(c, p->type_class, schema_class, 1);
		FIX(c, p->array_class, schema_class, 1);
	}
	const schema_property **all = FIX(c, cl->all_props, const schema_property *, cl->nall_props);
	for (size_t i = 0; all && i < cl->nall_props; i++)
		FIX(c, all[i], schema_property, 1);
	const schema_class **con = FIX(c, cl->concrete, const schema_class *, cl->nconcrete);
	for (size_t i = 0; con && i < cl->nconcrete; i++)
		FIX(c, con[i], schema_class, 1);
	const schema_property **by = FIX(c, cl->by_name_, const schema_property *, cl->nprops);
	for (size_t i = 0; by && i < cl->nprops; i++)
		FIX(c, by[i], schema_property, 1);
}

static void img_enum(img_ctx *c, schema_enum *e)
{
	STR(c, e->name);
	STR(c, e->plugin);
	schema_const *cs = FIX(c, e->consts, schema_const, e->nconsts);
	for (size_t i = 0; cs && i < e->nconsts; i++) {
		STR(c, cs[i].name);
		STR(c, cs[i].value);
	}
	const schema_const **bn = FIX(c, e->by_name_, const schema_const *, e->nconsts);
	const schema_const **bv = FIX(c, e->by_value_, const schema_const *, e->nconsts);
	for (size_t i = 0; bn && i < e->nconsts; i++)
		FIX(c, bn[i], schema_const, 1);
	for (size_t i = 0; bv && i < e->nconsts; i++)
		FIX(c, bv[i], schema_const, 1);
}

static void img_config(img_ctx *c, const schema_config_field **fields, size_t n)
{
	schema_config_field *f = FIX(c, *fields, schema_config_field, n);
	for (size_t i = 0; f && i < n; i++) {
		STR(c, f[i].name);
		STR(c, f[i].type);
		STR(c, f[i].alias);
		STR(c, f[i].description);
	}
}

/* Every pointer of the model, each exactly once. */
static void img_walk(img_ctx *c, schema *s, hent **slots, const size_t *masks)
{
	STR(c, s->path);
	STR(c, s->api_version);
	STR(c, s->generated_date);
	STR(c, s->client_config_type);
	STR(c, s->request_config_type);
	schema_service **svcs = FIX(c, s->services, schema_service *, s->nservices);
	for (size_t i = 0; svcs && i < s->nservices; i++) {
		schema_service *svc = FIX(c, svcs[i], schema_service, 1);
		if (svc)
			img_service(c, svc);
	}
	schema_class **cls = FIX(c, s->classes, schema_class *, s->nclasses);
	for (size_t i = 0; cls && i < s->nclasses; i++) {
		schema_class *cl = FIX(c, cls[i], schema_class, 1);
		if (cl)
			img_class(c, cl);
	}
	schema_enum **ens = FIX(c, s->enums, schema_enum *, s->nenums);
	for (size_t i = 0; ens && i < s->nenums; i++) {
		schema_enum *e = FIX(c, ens[i], schema_enum, 1);
		if (e)
			img_enum(c, e);
	}
	schema_error **ers = FIX(c, s->errors, schema_error *, s->nerrors);
	for (size_t i = 0; ers && i < s->nerrors; i++) {
		schema_error *e = FIX(c, ers[i], schema_error, 1);
		if (!e)
			continue;
		STR(c, e->name);
		STR(c, e->code);
		STR(c, e->message);
		const char **ps = FIX(c, e->params, const char *, e->nparams);
		for (size_t k = 0; ps && k < e->nparams; k++)
			STR(c, ps[k]);
	}
	img_config(c, &s->client_config, s->nclient_config);
	img_config(c, &s->request_config, s->nrequest_config);
	for (int t = 0; t < IMG_TABLES; t++)
		for (size_t i = 0; slots[t] && i <= masks[t]; i++) {
			STR(c, slots[t][i].key);
			FIX(c, slots[t][i].val, char, 1);
		}
}

static htab *img_table(struct schema_store *st, int t)
{
	htab *tabs[IMG_TABLES] = {&st->services_by_name, &st->services_by_id, &st->classes,
				  &st->enums, &st->errors};
	return tabs[t];
}

static char *img_dir(void)
{
	/* the file holds 64-bit addresses where the model has pointers */
	if (sizeof(void *) != sizeof(uint64_t) || getenv("KTESTME_NO_SCHEMA_CACHE"))
		return NULL;
	char *dir = files_cache_dir(NULL);
	if (!dir)
		return NULL;
	char *sub = kt_xasprintf("%s/compiled", dir);
	free(dir);
	return sub;
}

static char *img_path(uint64_t source_hash, size_t source_len)
{
	char *dir = img_dir();
	if (!dir)
		return NULL;
	char *path = kt_xasprintf("%s/%016llx-%zx.img", dir, (unsigned long long)source_hash,
				  source_len);
	free(dir);
	return path;
}

static void img_save(const schema *s, uint64_t source_hash, size_t source_len)
{
	char *path = img_path(source_hash, source_len);
	if (!path)
		return;
	struct schema_store *st = s->store_;
	size_t nseg = 1 + IMG_TABLES;
	for (chunk *k = st->mem.head; k; k = k->next)
		nseg++;
	img_ctx c = {.seg = kt_xcalloc(nseg, sizeof *c.seg), .base = img_base(source_hash)};
	size_t off = sizeof(img_header);
	/* the schema struct, each chunk's used part, each table's slots; 16-byte aligned */
	c.seg[c.nseg++] = (img_seg){(const char *)s, (const char *)(s + 1), off};
	off = (off + sizeof *s + 15) & ~(size_t)15;
	for (chunk *k = st->mem.head; k; k = k->next) {
		const char *d = (const char *)k + CHUNK_HDR;
		c.seg[c.nseg++] = (img_seg){d, d + k->used, off};
		off = (off + k->used + 15) & ~(size_t)15;
	}
	img_header h = {.layout = IMG_LAYOUT, .source_len = source_len, .source_hash = source_hash,
			.base = c.base};
	memcpy(h.magic, IMG_MAGIC, 8);
	memcpy(h.build, img_build, sizeof h.build);
	hent *slots[IMG_TABLES];
	size_t masks[IMG_TABLES];
	for (int t = 0; t < IMG_TABLES; t++) {
		htab *tab = img_table(st, t);
		slots[t] = tab->mask ? tab->slot : NULL;
		masks[t] = tab->mask;
		h.masks[t] = tab->mask;
		h.counts[t] = tab->count;
		if (!slots[t])
			continue;
		size_t bytes = (tab->mask + 1) * sizeof(hent);
		c.seg[c.nseg++] = (img_seg){(const char *)tab->slot, (const char *)tab->slot + bytes, off};
		h.slots[t] = off;
		off = (off + bytes + 15) & ~(size_t)15;
	}
	c.len = off + 16; /* a NUL tail: every string ends inside the file */
	c.img = kt_xcalloc(1, c.len);
	for (size_t i = 0; i < c.nseg; i++)
		memcpy(c.img + c.seg[i].off, c.seg[i].start, (size_t)(c.seg[i].end - c.seg[i].start));
	/* addresses are written into the copy while the walk reads the live model */
	img_walk(&c, (schema *)s, slots, masks);
	/* the store pointer means nothing in a file */
	memset(c.img + sizeof h + offsetof(schema, store_), 0, sizeof(void *));
	h.root = sizeof h;
	h.image_len = c.len - sizeof h;
	h.image_hash = img_hash(c.img + sizeof h, c.len - sizeof h);
	memcpy(c.img, &h, sizeof h);
	if (!c.bad) {
		char *dir = kt_xstrdup(path);
		*strrchr(dir, '/') = '\0';
		if (files_mkdirs(dir, NULL) == 0)
			files_write_atomic(path, c.img, c.len, NULL);
		free(dir);
	}
	free(c.img);
	free(c.seg);
	free(path);
}

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

/* Opens a cache file for reading and frees its path (NULL: nothing to open). */
static int open_cache_file(char *path)
{
	if (!path)
		return -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	free(path);
	return fd;
}

/* The image for these schema bytes, or NULL when there is none or it is not sound. */
static schema *img_load(uint64_t source_hash, size_t source_len, const char *name)
{
	int fd = open_cache_file(img_path(source_hash, source_len));
	if (fd < 0)
		return NULL;
	struct stat sb;
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) ||
	    (size_t)sb.st_size < sizeof(img_header) + sizeof(schema) + 16 ||
	    (unsigned long long)sb.st_size > 4ull * SCHEMA_MAX_FILE) {
		close(fd);
		return NULL;
	}
	size_t len = (size_t)sb.st_size;
	uint64_t base = img_base(source_hash);
	/* at its own address nothing is moved and nothing written: read-only, pages shared with
	 * the page cache. (A kernel before 4.17 takes the flag for a hint: checked below.) */
	char *map = mmap((void *)(uintptr_t)base, len, PROT_READ,
			 MAP_PRIVATE | MAP_POPULATE | MAP_FIXED_NOREPLACE, fd, 0);
	bool placed = map != MAP_FAILED && (uintptr_t)map == base;
	if (map != MAP_FAILED && !placed)
		munmap(map, len);
	if (!placed)
		map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return NULL;
	img_header h;
	memcpy(&h, map, sizeof h);
	img_ctx c = {.load = true, .img = map, .len = len, .base = base};
	bool ok = !memcmp(h.magic, IMG_MAGIC, 8) && !memcmp(h.build, img_build, sizeof h.build) &&
		  h.layout == IMG_LAYOUT && h.source_hash == source_hash &&
		  h.source_len == source_len && h.image_len == len - sizeof h &&
		  h.root == sizeof h && h.base == base && map[len - 1] == '\0' &&
		  img_hash(map + sizeof h, len - sizeof h) == h.image_hash;
	hent *slots[IMG_TABLES] = {0};
	size_t masks[IMG_TABLES] = {0};
	for (int t = 0; ok && t < IMG_TABLES; t++) {
		masks[t] = (size_t)h.masks[t];
		if (!h.slots[t])
			continue;
		ok = h.slots[t] < len && (len - h.slots[t]) / sizeof(hent) > masks[t] &&
		     ((masks[t] + 1) & masks[t]) == 0;
		slots[t] = ok ? (hent *)(map + h.slots[t]) : NULL;
	}
	/* elsewhere every address is moved by the difference, each checked to fall inside */
	if (ok && !placed)
		img_walk(&c, (schema *)(map + h.root), slots, masks);
	if (!ok || c.bad) {
		munmap(map, len);
		return NULL;
	}
	if (!placed) /* a loaded schema is never modified */
		mprotect(map, len, PROT_READ);
	struct schema_store *st = kt_xcalloc(1, sizeof *st);
	st->map = map;
	st->map_len = len;
	st->path = kt_xstrdup(name);
	for (int t = 0; t < IMG_TABLES; t++) {
		htab *tab = img_table(st, t);
		tab->slot = slots[t];
		tab->mask = masks[t];
		tab->count = (size_t)h.counts[t];
		tab->fold = t < 2;
	}
	/* the root is the one struct that differs per load (its path and store): a copy; nothing
	 * in the model points back at it */
	schema *s = kt_xmalloc(sizeof *s);
	memcpy(s, map + h.root, sizeof *s);
	s->store_ = st;
	s->path = st->path;
	return s;
}

bool schema_is_mapped(const schema *s)
{
	return s && s->store_ && s->store_->map;
}

/* ---- which image a schema file has, without reading the file ----
 *
 * Hashing the 2 MB schema to find its image took as long as mapping the image. So the hash is
 * kept with the file's identity (device, inode, size, modification and change times) in a
 * small record named by the file's absolute path; while fstat tells the same, the record's
 * hash is used and the file is not read. Every write moves the change time, so a change is
 * seen, also one of the same size that puts the modification time back. The record is written
 * only for a file unchanged for idx_margin_ns: a write in the same clock tick as the bytes
 * hashed might not move the times (git's "racy" entries). A damaged record is ignored. */

#define IDX_MAGIC "KTSCIDX1"

typedef struct idx_record {
	char magic[8];
	uint64_t dev, ino, size, mtime_s, mtime_ns, ctime_s, ctime_ns;
	uint64_t source_hash;
	uint64_t check; /* img_hash of what comes before */
} idx_record;

static int64_t idx_margin_ns = 1000000000;
static unsigned long source_hashes;

void schema_set_identity_margin(int64_t ns)
{
	idx_margin_ns = ns;
}

unsigned long schema_source_hashes(void)
{
	return source_hashes;
}

static char *idx_path(const char *path)
{
	char *dir = img_dir();
	if (!dir)
		return NULL;
	char *abs = NULL;
	if (path[0] != '/') {
		char cwd[PATH_MAX];
		if (!getcwd(cwd, sizeof cwd)) {
			free(dir);
			return NULL;
		}
		abs = kt_xasprintf("%s/%s", cwd, path);
	}
	const char *p = abs ? abs : path;
	char *at = kt_xasprintf("%s/src-%016llx.idx", dir,
				(unsigned long long)img_hash(p, strlen(p)));
	free(abs);
	free(dir);
	return at;
}

static void idx_fill(idx_record *r, const struct stat *sb, uint64_t source_hash)
{
	memset(r, 0, sizeof *r);
	memcpy(r->magic, IDX_MAGIC, 8);
	r->dev = (uint64_t)sb->st_dev;
	r->ino = (uint64_t)sb->st_ino;
	r->size = (uint64_t)sb->st_size;
	r->mtime_s = (uint64_t)sb->st_mtim.tv_sec;
	r->mtime_ns = (uint64_t)sb->st_mtim.tv_nsec;
	r->ctime_s = (uint64_t)sb->st_ctim.tv_sec;
	r->ctime_ns = (uint64_t)sb->st_ctim.tv_nsec;
	r->source_hash = source_hash;
	r->check = img_hash(r, offsetof(idx_record, check));
}

/* The hash of the file fstat described, when its record says the file is still the same. */
static bool idx_lookup(const char *path, const struct stat *sb, uint64_t *source_hash)
{
	int fd = open_cache_file(idx_path(path));
	if (fd < 0)
		return false;
	idx_record r, want;
	ssize_t n = read(fd, &r, sizeof r);
	close(fd);
	if (n != (ssize_t)sizeof r)
		return false;
	idx_fill(&want, sb, r.source_hash);
	if (memcmp(&r, &want, sizeof r))
		return false;
	*source_hash = r.source_hash;
	return true;
}

static void idx_save(const char *path, const struct stat *sb, uint64_t source_hash)
{
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	int64_t age = ((int64_t)now.tv_sec - (int64_t)sb->st_ctim.tv_sec) * 1000000000 +
		      ((int64_t)now.tv_nsec - (int64_t)sb->st_ctim.tv_nsec);
	if (age < idx_margin_ns || age < 0)
		return; /* hashed again next time, when its times tell */
	char *at = idx_path(path);
	if (!at)
		return;
	idx_record r;
	idx_fill(&r, sb, source_hash);
	files_write_atomic(at, &r, sizeof r, NULL);
	free(at);
}

/* A schema file's compiled image when it has a sound one; else the file parsed, and its image
 * written for the next start. sb (NULL when the bytes are not the file fstat saw) gets the
 * file its record, unless the record said this already (known: its image was just refused). */
static schema *schema_load_cached(const char *data, size_t len, const char *path,
				  const struct stat *sb, const uint64_t *known, kt_error *err)
{
	uint64_t h = img_hash(data, len);
	source_hashes++;
	bool same = known && *known == h;
	schema *s = same ? NULL : img_load(h, len, path);
	if (!s) {
		s = schema_load_memory(data, len, path, err);
		if (s)
			img_save(s, h, len);
	}
	if (s && sb && !same)
		idx_save(path, sb, h);
	return s;
}

schema *schema_load_file(const char *path, kt_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return kt_fail(err, KT_E_NOINPUT, "cannot read the schema %s: %s", path,
			       strerror(errno)),
		       NULL;
	struct stat sb;
	int e = fstat(fd, &sb) < 0 ? errno : S_ISDIR(sb.st_mode) ? EISDIR : 0;
	if (e || !S_ISREG(sb.st_mode)) {
		close(fd);
		return kt_fail(err, KT_E_NOINPUT, "cannot read the schema %s: %s", path,
			       e ? strerror(e) : "not a regular file"),
		       NULL;
	}
	if ((unsigned long long)sb.st_size > SCHEMA_MAX_FILE) {
		close(fd);
		return kt_fail(err, KT_E_DATA, "%s: %lld bytes is too large for an API schema",
			       path, (long long)sb.st_size),
		       NULL;
	}
	/* the fast path: the file's record names its image, and the file is not read */
	uint64_t known_hash = 0;
	bool known = sb.st_size > 0 && idx_lookup(path, &sb, &known_hash);
	if (known) {
		schema *s = img_load(known_hash, (size_t)sb.st_size, path);
		if (s) {
			close(fd);
			return s;
		}
	}
	if (sb.st_size > 0) {
		void *map = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE,
				 fd, 0);
		if (map != MAP_FAILED) {
			close(fd);
			schema *s = schema_load_cached(map, (size_t)sb.st_size, path, &sb,
						       known ? &known_hash : NULL, err);
			munmap(map, (size_t)sb.st_size);
			return s;
		}
	}
	size_t cap = (size_t)sb.st_size + 1, len = 0;
	char *buf = kt_xmalloc(cap);
	for (;;) {
		ssize_t n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			e = errno;
			close(fd);
			free(buf);
			return kt_fail(err, KT_E_NOINPUT, "cannot read the schema %s: %s", path,
				       strerror(e)),
			       NULL;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len == cap) {
			/* the file grew while we read it */
			if (cap > SCHEMA_MAX_FILE) {
				close(fd);
				free(buf);
				return kt_fail(err, KT_E_DATA, "%s: too large for an API schema",
					       path),
				       NULL;
			}
			cap *= 2;
			buf = kt_xrealloc(buf, cap);
		}
	}
	close(fd);
	schema *s = schema_load_cached(buf, len, path, len == (size_t)sb.st_size ? &sb : NULL,
				       known ? &known_hash : NULL, err);
	free(buf);
	return s;
}

/* ---- where the schema comes from ---- */

const char *schema_default_path(void)
{
	static char exe_path[PATH_MAX + 32];
	const char *env = getenv("KTESTME_SCHEMA");
	if (env && *env)
		return env;

	/* A schema downloaded from the current endpoint comes before all this: schema_path_for()
	 * in schema_cache.h asks the cache first and falls back to this function. A cache that is
	 * not tied to an endpoint would go here. */

	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			/* beside the program in the source tree, or one up from a build directory */
			static const char *const rel[] = {"", "/.."};
			for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
				snprintf(exe_path, sizeof exe_path, "%s%s/schemas/kaltura.xml", exe,
					 rel[i]);
				if (access(exe_path, R_OK) == 0)
					return exe_path;
			}
		}
	}
	return KT_DATADIR "/kaltura.xml";
}

/* ---- lookups ---- */

const schema_service *schema_find_service(const schema *s, const char *name_or_id)
{
	if (!s || !name_or_id)
		return NULL;
	const schema_service *svc = htab_get(&s->store_->services_by_name, name_or_id);
	return svc ? svc : htab_get(&s->store_->services_by_id, name_or_id);
}

_Static_assert(offsetof(schema_const, name) == 0 && offsetof(schema_property, name) == 0 &&
		       offsetof(schema_param, name) == 0 && offsetof(schema_action, name) == 0,
	       "find_sorted reads the name through the element pointer");

/* bsearch with a key that is a plain string and elements that are pointers to structs whose
 * first member is the name */
static const void *find_sorted(const void *const *ix, size_t n, const char *key, bool fold)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *name = *(const char *const *)ix[mid];
		int c = fold ? strcasecmp(key, name) : strcmp(key, name);
		if (!c)
			return ix[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const schema_action *schema_find_action(const schema_service *svc, const char *name)
{
	if (!svc || !name)
		return NULL;
	return find_sorted((const void *const *)svc->by_name_, svc->nactions, name, true);
}

const schema_action *schema_find(const schema *s, const char *service, const char *action)
{
	if (!service)
		return NULL;
	if (action)
		return schema_find_action(schema_find_service(s, service), action);
	const char *dot = strchr(service, '.');
	if (!dot || dot == service)
		return NULL;
	char svc[256];
	size_t n = (size_t)(dot - service);
	if (n >= sizeof svc)
		return NULL;
	memcpy(svc, service, n);
	svc[n] = '\0';
	return schema_find_action(schema_find_service(s, svc), dot + 1);
}

const schema_param *schema_find_param(const schema_action *a, const char *name)
{
	if (!a || !name)
		return NULL;
	return find_sorted((const void *const *)a->by_name_, a->nparams, name, false);
}

const schema_class *schema_find_class(const schema *s, const char *name)
{
	return s ? htab_get(&s->store_->classes, name) : NULL;
}

const schema_enum *schema_find_enum(const schema *s, const char *name)
{
	return s ? htab_get(&s->store_->enums, name) : NULL;
}

const schema_error *schema_find_error(const schema *s, const char *code)
{
	return s ? htab_get(&s->store_->errors, code) : NULL;
}

const schema_const *schema_enum_find_const(const schema_enum *e, const char *name)
{
	if (!e || !name)
		return NULL;
	return find_sorted((const void *const *)e->by_name_, e->nconsts, name, false);
}

const schema_const *schema_enum_find_value(const schema_enum *e, const char *value)
{
	if (!e || !value)
		return NULL;
	/* lower bound, so equal values give the first by name */
	size_t lo = 0, hi = e->nconsts;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(e->by_value_[mid]->value, value) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < e->nconsts && !strcmp(e->by_value_[lo]->value, value) ? e->by_value_[lo] : NULL;
}

const schema_property *schema_class_find_property(const schema_class *c, const char *name)
{
	for (; c && name; c = c->base) {
		const schema_property *pr =
			find_sorted((const void *const *)c->by_name_, c->nprops, name, false);
		if (pr)
			return pr;
	}
	return NULL;
}

const schema_property *const *schema_class_all_properties(const schema_class *c, size_t *n)
{
	*n = c ? c->nall_props : 0;
	return c ? c->all_props : NULL;
}

const schema_class *const *schema_class_concrete(const schema_class *c, size_t *n)
{
	*n = c ? c->nconcrete : 0;
	return c ? c->concrete : NULL;
}

bool schema_is_subclass(const schema *s, const char *sub, const char *base)
{
	const schema_class *b = schema_find_class(s, base);
	if (!b)
		return false;
	for (const schema_class *c = schema_find_class(s, sub); c; c = c->base)
		if (c == b)
			return true;
	return false;
}

char *schema_error_format(const schema_error *e, const char *const *args, size_t nargs)
{
	kt_buf b;
	kt_buf_init(&b);
	const char *m = e->message ? e->message : "";
	while (*m) {
		const char *at = strchr(m, '@');
		if (!at) {
			kt_buf_adds(&b, m);
			break;
		}
		kt_buf_add(&b, m, (size_t)(at - m));
		const char *end = strchr(at + 1, '@');
		size_t i = e->nparams;
		if (end)
			for (i = 0; i < e->nparams; i++) {
				size_t len = strlen(e->params[i]);
				if (len == (size_t)(end - at - 1) &&
				    !memcmp(at + 1, e->params[i], len))
					break;
			}
		if (i < e->nparams) {
			if (i < nargs && args[i])
				kt_buf_adds(&b, args[i]);
			m = end + 1;
		} else {
			/* a lone '@' (an e-mail address in a message) stays as it is */
			kt_buf_addc(&b, '@');
			m = at + 1;
		}
	}
	return kt_buf_steal(&b);
}

/* ---- suggestions and search ---- */

static int lower(char c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Edit distance ignoring ASCII case, a swap of two neighbours counting as one edit (the
 * commonest typo); names longer than 63 bytes count as far away. */
static unsigned edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 63 || lb > 63)
		return UINT_MAX;
	unsigned rows[3][64];
	unsigned *pp = rows[0], *prev = rows[1], *cur = rows[2];
	for (size_t j = 0; j <= lb; j++)
		prev[j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = (unsigned)i;
		for (size_t j = 1; j <= lb; j++) {
			unsigned cost = lower(a[i - 1]) != lower(b[j - 1]);
			unsigned best = prev[j - 1] + cost;
			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
			    lower(a[i - 2]) == lower(b[j - 1]) && pp[j - 2] + 1 < best)
				best = pp[j - 2] + 1;
			cur[j] = best;
		}
		unsigned *t = pp;
		pp = prev;
		prev = cur;
		cur = t;
	}
	return prev[lb];
}

typedef struct cand {
	unsigned score;
	size_t order;
	const char *name;
} cand;

static int cmp_cand(const void *a, const void *b)
{
	const cand *x = a, *y = b;
	if (x->score != y->score)
		return x->score < y->score ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* How close typed is to name: a small edit distance, or typed being a prefix of name. */
static bool close_to(const char *typed, const char *name, unsigned *score)
{
	size_t len = strlen(typed);
	unsigned limit = len <= 4 ? 1 : len <= 8 ? 2 : 3;
	unsigned d = edit_distance(typed, name);
	if (d <= limit) {
		*score = d;
		return true;
	}
	if (len >= 3 && !strncasecmp(typed, name, len)) {
		*score = limit + 1;
		return true;
	}
	return false;
}

static size_t pick(cand *c, size_t n, const char **out, size_t max)
{
	qsort(c, n, sizeof *c, cmp_cand);
	size_t k = 0;
	for (size_t i = 0; i < n && k < max; i++)
		out[k++] = c[i].name;
	return k;
}

size_t schema_suggest_services(const schema *s, const char *name, const char **out, size_t max)
{
	if (!s || !name || !max)
		return 0;
	cand *c = kt_xmalloc((s->nservices ? s->nservices : 1) * sizeof *c);
	size_t n = 0;
	for (size_t i = 0; i < s->nservices; i++) {
		unsigned score, sid;
		bool by_name = close_to(name, s->services[i]->name, &score);
		if (close_to(name, s->services[i]->id, &sid) && (!by_name || sid < score)) {
			score = sid;
			by_name = true;
		}
		if (by_name)
			c[n++] = (cand){score, i, s->services[i]->name};
	}
	size_t k = pick(c, n, out, max);
	free(c);
	return k;
}

size_t schema_suggest_actions(const schema_service *svc, const char *name, const char **out,
			      size_t max)
{
	if (!svc || !name || !max)
		return 0;
	cand *c = kt_xmalloc((svc->nactions ? svc->nactions : 1) * sizeof *c);
	size_t n = 0;
	for (size_t i = 0; i < svc->nactions; i++) {
		unsigned score;
		if (close_to(name, svc->actions[i].name, &score))
			c[n++] = (cand){score, i, svc->actions[i].name};
	}
	size_t k = pick(c, n, out, max);
	free(c);
	return k;
}

size_t schema_search(const schema *s, const char *word, void (*fn)(const schema_hit *hit, void *ud),
		     void *ud)
{
	size_t hits = 0;
	if (!s || !word || !*word)
		return 0;
	bool dotted = strchr(word, '.') != NULL;
	char full[512];
	for (size_t i = 0; i < s->nservices; i++) {
		const schema_service *svc = s->services[i];
		if (strcasestr(svc->name, word) || strcasestr(svc->id, word)) {
			fn(&(schema_hit){.kind = SCHEMA_HIT_SERVICE, .service = svc}, ud);
			hits++;
		}
	}
	for (size_t i = 0; i < s->nservices; i++) {
		const schema_service *svc = s->services[i];
		for (size_t j = 0; j < svc->nactions; j++) {
			const schema_action *a = &svc->actions[j];
			bool match = strcasestr(a->name, word) != NULL;
			if (!match && dotted) {
				snprintf(full, sizeof full, "%s.%s", svc->name, a->name);
				match = strcasestr(full, word) != NULL;
			}
			if (match) {
				fn(&(schema_hit){ .kind = SCHEMA_HIT_ACTION,
						  .service = svc,
						  .action = a },
				   ud);
				hits++;
			}
		}
	}
	for (size_t i = 0; i < s->nclasses; i++)
		if (strcasestr(s->classes[i]->name, word)) {
			fn(&(schema_hit){.kind = SCHEMA_HIT_CLASS, .cls = s->classes[i]}, ud);
			hits++;
		}
	for (size_t i = 0; i < s->nenums; i++)
		if (strcasestr(s->enums[i]->name, word)) {
			fn(&(schema_hit){.kind = SCHEMA_HIT_ENUM, .enm = s->enums[i]}, ud);
			hits++;
		}
	return hits;
}
