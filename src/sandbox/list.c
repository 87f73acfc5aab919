/* list: filter, order and page rendered objects, driven by the schema's filter classes. */
#include "sandbox/list.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sandbox/store.h"
#include "util.h"

#define LIST_DEFAULT_PAGE 30 /* KalturaFilterPager::$pageSize */
#define LIST_MAX_PAGE 500    /* KalturaPager::MAX_PAGE_SIZE */
#define LIST_MAX_ORDER 8

/* The generated base filters map FooEqual to _eq_foo, FooIn to _in_foo...; longer suffixes
 * first so NotIn is not read as In. */
static const char *const suffixes[] = {
	"GreaterThanOrEqual", "LessThanOrEqual", "GreaterThan", "LessThan", "MultiLikeOr",
	"MultiLikeAnd", "MatchOr", "MatchAnd", "NotContains", "StartsWith", "NotEqual", "NotIn",
	"Equal", "Like", "In", "Empty",
};

const char *sb_list_suffix(const char *field, size_t *stem_len)
{
	size_t len = strlen(field);
	for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
		size_t n = strlen(suffixes[i]);
		if (len > n && !strcmp(field + len - n, suffixes[i])) {
			*stem_len = len - n;
			return suffixes[i];
		}
	}
	return NULL;
}

static bool is_number_type(const char *t)
{
	return t && (!strcmp(t, "int") || !strcmp(t, "bigint") || !strcmp(t, "float"));
}

static bool ci_contains(const char *hay, const char *needle)
{
	return strcasestr(hay, needle) != NULL;
}

/* Calls fn on each comma-separated, trimmed, non-empty item of list; stops when fn says so. */
static bool any_item(const char *list, bool want, bool (*fn)(const char *item, void *ud),
		     void *ud)
{
	for (const char *p = list; p && *p;) {
		size_t l = strcspn(p, ",");
		const char *s = p;
		size_t t = l;
		while (t && *s == ' ')
			s++, t--;
		while (t && s[t - 1] == ' ')
			t--;
		if (t) {
			char *item = kt_xstrndup(s, t);
			bool r = fn(item, ud);
			free(item);
			if (r == want)
				return true;
		}
		p += l + (p[l] == ',');
	}
	return false;
}

static bool like_fn(const char *item, void *ud)
{
	return ci_contains(ud, item);
}

/* A token of a list-valued property ("1,2", "1>4"): the server matches them as words. */
static bool token_fn(const char *item, void *ud)
{
	const char *have = ud;
	size_t n = strlen(item);
	for (const char *p = have; (p = strstr(p, item)); p++) {
		bool start = p == have || strchr(",> ", p[-1]);
		bool end = !p[n] || strchr(",> ", p[n]);
		if (start && end)
			return true;
	}
	return false;
}

static int cmp_values(const char *type, const char *a, const char *b)
{
	if (is_number_type(type)) {
		double x = strtod(a, NULL), y = strtod(b, NULL);
		return x < y ? -1 : x > y;
	}
	return strcmp(a, b);
}

int sb_list_match(const char *op, const char *type, const char *have, const char *want)
{
	if (!strcmp(op, "Empty")) {
		bool empty = !have || !*have;
		return !strcmp(want, "1") ? empty : !empty;
	}
	if (!strcmp(op, "NotIn"))
		return !have || !store_list_has(want, have);
	if (!strcmp(op, "NotEqual"))
		return !have || cmp_values(type, have, want) != 0;
	if (!strcmp(op, "NotContains"))
		return !have || !ci_contains(have, want);
	if (!have)
		return 0;
	if (!strcmp(op, "Equal"))
		return cmp_values(type, have, want) == 0;
	if (!strcmp(op, "In")) {
		if (!is_number_type(type))
			return store_list_has(want, have);
		char num[32];
		snprintf(num, sizeof num, "%lld", strtoll(have, NULL, 10));
		return store_list_has(want, num);
	}
	if (!strcmp(op, "GreaterThanOrEqual"))
		return strtod(have, NULL) >= strtod(want, NULL);
	if (!strcmp(op, "LessThanOrEqual"))
		return strtod(have, NULL) <= strtod(want, NULL);
	if (!strcmp(op, "GreaterThan"))
		return strtod(have, NULL) > strtod(want, NULL);
	if (!strcmp(op, "LessThan"))
		return strtod(have, NULL) < strtod(want, NULL);
	/* MySQL's default collation compares text without case */
	if (!strcmp(op, "Like"))
		return ci_contains(have, want);
	if (!strcmp(op, "StartsWith"))
		return !strncasecmp(have, want, strlen(want));
	if (!strcmp(op, "MultiLikeOr"))
		return any_item(want, true, like_fn, (void *)have);
	if (!strcmp(op, "MultiLikeAnd"))
		return !any_item(want, false, like_fn, (void *)have);
	if (!strcmp(op, "MatchOr"))
		return any_item(want, true, token_fn, (void *)have);
	if (!strcmp(op, "MatchAnd"))
		return !any_item(want, false, token_fn, (void *)have);
	return -1;
}

static const rvalue *prop_of(const rvalue *o, const char *name)
{
	for (size_t i = 0; i < o->n; i++)
		if (o->children[i]->name && !strcmp(o->children[i]->name, name))
			return o->children[i];
	return NULL;
}

static const char *text_of(const rvalue *o, const char *name)
{
	const rvalue *v = prop_of(o, name);
	return v && v->kind == RV_SCALAR ? v->text : NULL;
}

/* One condition the engine evaluates, resolved once per request: op on prop (or on prop or
 * prop2, for the server's "idOrScreenNameStartsWith" fields). */
typedef struct cond {
	const char *field, *want, *op;
	char prop[64], prop2[64];
	const char *type;
	bool free_text, always, never, or_null;
} cond;

/* Filter fields whose name is not property + operator, as their getMapBetweenObjects maps them. */
static const struct {
	const char *field, *op, *prop;
} aliases[] = {
	{"categoriesFullNameIn", "MatchOr", "categories"}, /* KalturaBaseEntryFilter */
	{"searchTextMatchOr", NULL, NULL},                 /* free text, any word */
	{"searchTextMatchAnd", NULL, NULL},
	{"membersIn", "", NULL}, /* applied by category.list, which knows the members */
};

static bool free_text_match(const rvalue *o, const char *want)
{
	static const char *const props[] = {"id", "name", "description", "tags", "screenName",
					    "email", "fullName"};
	for (size_t i = 0; i < sizeof props / sizeof *props; i++) {
		const char *t = text_of(o, props[i]);
		if (t && ci_contains(t, want))
			return true;
	}
	return false;
}

static bool passes(const rvalue *o, const cond *cs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (cs[i].never)
			return false;
		if (cs[i].always)
			continue;
		if (cs[i].free_text) {
			if (!free_text_match(o, cs[i].want))
				return false;
			continue;
		}
		const char *have = text_of(o, cs[i].prop);
		if (cs[i].or_null && !have) /* filters.class.php: "...or null" adds "OR col IS NULL" */
			continue;
		if (sb_list_match(cs[i].op, cs[i].type, have, cs[i].want) != 1 &&
		    (!*cs[i].prop2 ||
		     sb_list_match(cs[i].op, cs[i].type, text_of(o, cs[i].prop2), cs[i].want) != 1))
			return false;
	}
	return true;
}

/* "idOrScreenNameStartsWith": two properties of the object joined by "Or". */
static bool split_or(const schema_class *ocls, cond *k)
{
	for (char *p = strstr(k->prop, "Or"); p; p = strstr(p + 1, "Or")) {
		if (p == k->prop || !(p[2] >= 'A' && p[2] <= 'Z'))
			continue;
		char second[64];
		snprintf(second, sizeof second, "%c%s", p[2] - 'A' + 'a', p + 3);
		char first[64];
		snprintf(first, sizeof first, "%.*s", (int)(p - k->prop), k->prop);
		const schema_property *a = schema_class_find_property(ocls, first);
		const schema_property *b = schema_class_find_property(ocls, second);
		if (a && b) {
			memcpy(k->prop2, second, sizeof second);
			memcpy(k->prop, first, sizeof first);
			k->type = a->type;
			return true;
		}
	}
	return false;
}

static int unsupported(sb_call *c, const char *filter_cls, const char *field)
{
	char *why = kt_xasprintf("(the sandbox does not filter on %s.%s)", filter_cls, field);
	int rc = sb_fail(c, "INTERNAL_SERVER_ERROR", 1, why);
	free(why);
	return rc;
}

/* The filter's conditions: each set field the filter class declares, as the deserialiser reads
 * it (unknown names are dropped, as KalturaRequestDeserializer drops them). */
static int conditions(sb_call *c, const param *f, const schema_class *fcls,
		      const schema_class *ocls, cond **out, size_t *nout)
{
	size_t cap = 0, n = 0;
	cond *cs = NULL;
	for (const param *p = f ? f->first : NULL; p; p = p->next) {
		if (p->kind != PARAM_VALUE || !*p->value || !strcmp(p->name, "objectType") ||
		    !strcmp(p->name, "orderBy"))
			continue;
		const schema_property *fp = schema_class_find_property(fcls, p->name);
		if (!fp)
			continue;
		/* KalturaNullableBoolean::NULL_VALUE: no condition */
		if (fp->enum_type && !strcmp(fp->enum_type, "KalturaNullableBoolean") &&
		    !strcmp(p->value, "-1"))
			continue;
		cond k = {.field = p->name, .want = p->value};
		size_t al = 0;
		while (al < sizeof aliases / sizeof *aliases && strcmp(aliases[al].field, p->name))
			al++;
		if (!strcmp(p->name, "freeText") ||
		    (al < sizeof aliases / sizeof *aliases && !aliases[al].op)) {
			k.free_text = true;
		} else if (!strcmp(p->name, "isRoot")) {
			/* no sandbox entry has a parent entry */
			k.always = !strcmp(p->value, "1");
			k.never = !k.always;
		} else if (al < sizeof aliases / sizeof *aliases && !aliases[al].prop) {
			k.always = true;
		} else if (al < sizeof aliases / sizeof *aliases) {
			k.op = aliases[al].op;
			snprintf(k.prop, sizeof k.prop, "%s", aliases[al].prop);
			const schema_property *op = schema_class_find_property(ocls, k.prop);
			if (!op)
				goto bad;
			k.type = op->type;
		} else {
			/* "startDateGreaterThanOrEqualOrNull" (_gteornull_start_date): the operator
			 * before OrNull, and a null property matches */
			char name[128];
			size_t len = strlen(p->name), tail = strlen("OrNull");
			k.or_null = len > tail && len < sizeof name && !strcmp(p->name + len - tail, "OrNull");
			snprintf(name, sizeof name, "%.*s", (int)(k.or_null ? len - tail : len), p->name);
			size_t stem;
			k.op = sb_list_suffix(name, &stem);
			if (!k.op || stem >= sizeof k.prop)
				goto bad;
			memcpy(k.prop, name, stem);
			k.prop[stem] = 0;
			const schema_property *op = schema_class_find_property(ocls, k.prop);
			if (op)
				k.type = op->type;
			else if (!split_or(ocls, &k))
				goto bad;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			cs = kt_xrealloc(cs, cap * sizeof *cs);
		}
		cs[n++] = k;
		continue;
bad:
		free(cs);
		return unsupported(c, fcls->name, p->name);
	}
	*out = cs;
	*nout = n;
	return 0;
}

typedef struct order {
	char prop[64];
	const char *type;
	bool desc;
} order;

/* orderBy "+name,-createdAt": the values the class's OrderBy enum lists (the filter's
 * getOrderByMap), or, where the schema has no such enum, the listed class's properties. Others
 * are dropped, as KalturaFilter::toObject drops them. */
static size_t orders(const sb_call *c, const param *f, const schema_class *fcls,
		     const schema_class *ocls, order *out)
{
	const char *ob = f ? store_rec_get(f, "orderBy") : NULL;
	if (!ob || !*ob)
		return 0;
	char *ename = NULL;
	size_t flen = strlen(fcls->name);
	if (flen > 6 && !strcmp(fcls->name + flen - 6, "Filter"))
		ename = kt_xasprintf("%.*sOrderBy", (int)(flen - 6), fcls->name);
	const schema_enum *en = ename ? schema_find_enum(c->cfg->schema, ename) : NULL;
	if (!en) {
		free(ename);
		ename = kt_xasprintf("%sOrderBy", ocls->name);
		en = schema_find_enum(c->cfg->schema, ename);
	}
	free(ename);
	size_t n = 0;
	for (const char *p = ob; *p && n < LIST_MAX_ORDER;) {
		size_t l = strcspn(p, ",");
		char item[80];
		if (l >= 2 && l < sizeof item && (*p == '+' || *p == '-')) {
			memcpy(item, p, l);
			item[l] = 0;
			const schema_property *prop = schema_class_find_property(ocls, item + 1);
			if (prop && l - 1 < sizeof out[n].prop &&
			    (en ? schema_enum_find_value(en, item) != NULL : true)) {
				memcpy(out[n].prop, item + 1, l);
				out[n].type = prop->type;
				out[n].desc = *p == '-';
				n++;
			}
		}
		p += l + (p[l] == ',');
	}
	return n;
}

typedef struct sortable {
	rvalue *o;
	size_t pos;
} sortable;

typedef struct sort_ctx {
	const order *keys;
	size_t n;
} sort_ctx;

static int by_order(const void *a, const void *b, void *ud)
{
	const sortable *x = a, *y = b;
	const sort_ctx *k = ud;
	const order *t_keys = k->keys;
	for (size_t i = 0; i < k->n; i++) {
		const char *u = text_of(x->o, t_keys[i].prop), *v = text_of(y->o, t_keys[i].prop);
		int r = !u || !v ? (u != NULL) - (v != NULL) : cmp_values(t_keys[i].type, u, v);
		if (r)
			return t_keys[i].desc ? -r : r;
	}
	return x->pos < y->pos ? -1 : x->pos > y->pos; /* stable */
}

static void pager_of(const param *pg, long long *size, long long *index)
{
	long long s = LIST_DEFAULT_PAGE, i = 1, v;
	const char *t;
	if (pg && (t = store_rec_get(pg, "pageSize")) && kt_parse_ll(t, &v) && v > 0)
		s = v > LIST_MAX_PAGE ? LIST_MAX_PAGE : v;
	/* far past any store's end, and no overflow in (index - 1) * size */
	if (pg && (t = store_rec_get(pg, "pageIndex")) && kt_parse_ll(t, &v) && v > 0)
		i = v > 1000000000LL ? 1000000000LL : v;
	*size = s;
	*index = i;
}

static void free_objs(rvalue **objs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sb_rv_free(objs[i]);
	free(objs);
}

int sb_list(sb_call *c, rvalue **objs, size_t n, const char *cls, const char *list_cls)
{
	return sb_list_by(c, "filter", objs, n, cls, list_cls);
}

int sb_list_by(sb_call *c, const char *filter, rvalue **objs, size_t n, const char *cls,
	       const char *list_cls)
{
	const param *f = sb_arg_obj(c, filter);
	const schema_param *sp = c->action ? schema_find_param(c->action, filter) : NULL;
	const char *fname = f ? store_rec_get(f, "objectType") : NULL;
	if (!fname && sp)
		fname = sp->type;
	const schema_class *fcls = fname ? schema_find_class(c->cfg->schema, fname) : NULL;
	const schema_class *ocls = schema_find_class(c->cfg->schema, cls);
	cond *cs = NULL;
	size_t ncs = 0;
	order keys[LIST_MAX_ORDER];
	size_t nkeys = 0;
	if (f && fcls && ocls) {
		if (conditions(c, f, fcls, ocls, &cs, &ncs) < 0) {
			free_objs(objs, n);
			return -1;
		}
		nkeys = orders(c, f, fcls, ocls, keys);
	}
	sortable *kept = kt_xcalloc(n ? n : 1, sizeof *kept);
	size_t nk = 0;
	for (size_t i = 0; i < n; i++) {
		if (passes(objs[i], cs, ncs))
			kept[nk++] = (sortable){objs[i], i};
		else
			sb_rv_free(objs[i]);
	}
	free(cs);
	free(objs);
	if (nkeys) {
		sort_ctx k = {keys, nkeys};
		qsort_r(kept, nk, sizeof *kept, by_order, &k);
	}
	long long size, index;
	pager_of(sb_arg_obj(c, "pager"), &size, &index);
	long long first = (index - 1) * size;
	rvalue *r = sb_rv_object(NULL, list_cls);
	rvalue *arr = sb_rv_add(r, rvalue_new(RV_ARRAY, "objects"));
	for (size_t i = 0; i < nk; i++) {
		if ((long long)i >= first && (long long)i < first + size)
			sb_rv_add(arr, kept[i].o);
		else
			sb_rv_free(kept[i].o);
	}
	sb_rv_addf(r, "totalCount", "%zu", nk);
	free(kept);
	c->result = r;
	return 0;
}
