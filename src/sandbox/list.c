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
	"MultiLikeAnd", "MatchOr", "MatchAnd", "NotContains", "StartsWithIn", "StartsWith",
	"NotEqual", "NotIn",
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

/* _matchor_likex (SphinxCategoryCriteria: "name\\*"): the item starts the value */
static bool prefix_fn(const char *item, void *ud)
{
	return !strncasecmp(ud, item, strlen(item));
}

/* A proper ancestor in a "1>4>7" path: any id but the last (categoryFilter's _in_ancestor_id,
 * "not includes the category itself"). */
static bool ancestor_fn(const char *item, void *ud)
{
	const char *path = ud;
	size_t n = strlen(item);
	for (const char *p = path; *p;) {
		size_t l = strcspn(p, ">");
		if (!p[l])
			return false; /* the category itself */
		if (l == n && !strncmp(p, item, n))
			return true;
		p += l + 1;
	}
	return false;
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
	if (!strcmp(op, "StartsWithIn"))
		return any_item(want, true, prefix_fn, (void *)have);
	if (!strcmp(op, "AncestorIn"))
		return any_item(want, true, ancestor_fn, (void *)have);
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

#define LIST_MAX_PROPS 4

/* One condition the engine evaluates, resolved once per request: op on a property, or on any of
 * several ("idOrScreenNameStartsWith"), or on several read as one text ("tagsNameMultiLikeOr",
 * the server's "_mlikeor_tags-name", whose words may each be in any of the columns). */
typedef struct cond {
	const char *field, *want, *op;
	char props[LIST_MAX_PROPS][64];
	size_t nprops;
	bool joined;
	const char *type;
	bool free_text, always, never, or_null;
	bool absent; /* a property of another object type: null on every listed object */
} cond;

/* How a filter field that is not property + operator is read, as its getMapBetweenObjects maps
 * it and the criteria (SphinxEntryCriteria, SphinxCategoryCriteria) apply it. */
typedef enum {
	AL_PROP,    /* op on prop */
	AL_FREE,    /* free text */
	AL_HANDLER, /* applied by the list handler, which knows what the objects do not show */
	AL_NONE,    /* a value no sandbox object has (roles, permissions): nothing matches */
	AL_IGNORED, /* no condition on the sandbox's objects */
} alias_kind;

static const struct {
	const char *field;
	alias_kind kind;
	const char *op, *prop;
} aliases[] = {
	{"categoriesFullNameIn", AL_PROP, "MatchOr", "categories"}, /* KalturaBaseEntryFilter */
	{"searchTextMatchOr", AL_FREE, NULL, NULL},                 /* free text, any word */
	{"searchTextMatchAnd", AL_FREE, NULL, NULL},
	/* category.list: members (_in_members, _eq_member; the sandbox has no managers) */
	{"membersIn", AL_HANDLER, NULL, NULL},
	{"memberEqual", AL_HANDLER, NULL, NULL},
	{"managerEqual", AL_HANDLER, NULL, NULL},
	/* _in_ancestor_id: the categories below one of the ids, not the category itself */
	{"ancestorIdIn", AL_PROP, "AncestorIn", "fullIds"},
	/* media/baseEntry.list: _in_category_ancestor_id (entries in one of the categories or
	 * below), _eq_redirect_from_entry_id (the entry a redirect starts from) */
	{"categoryAncestorIdIn", AL_HANDLER, NULL, NULL},
	{"redirectFromEntryId", AL_HANDLER, NULL, NULL},
	/* the free-text groups to leave out: the sandbox's free text searches no such group */
	{"excludedFreeTextGroups", AL_IGNORED, NULL, NULL},
	/* categoryUser.list: getListResponse clears it (it only matters for inherited members,
	 * which the sandbox has none of); relatedGroupsByUserId is the user and its groups */
	{"categoryDirectMembers", AL_IGNORED, NULL, NULL},
	{"relatedGroupsByUserId", AL_HANDLER, NULL, NULL},
	/* user.list: KuserToUserRolePeer and the roles' permission names; sandbox users have no
	 * role */
	{"roleIdEqual", AL_NONE, NULL, NULL},
	{"permissionNamesMultiLikeOr", AL_NONE, NULL, NULL},
	{"permissionNamesMultiLikeAnd", AL_NONE, NULL, NULL},
	/* entryFilter's aliases: "document_type" is "media_type"; KalturaPlaylistFilter maps
	 * playListType to _eq_media_type / _in_media_type */
	{"documentTypeEqual", AL_PROP, "Equal", "mediaType"},
	{"documentTypeIn", AL_PROP, "In", "mediaType"},
	{"playListTypeEqual", AL_PROP, "Equal", "mediaType"},
	{"playListTypeIn", AL_PROP, "In", "mediaType"},
	/* KalturaDocumentEntryFilter: _matchor_flavor_params_ids / _matchand_flavor_params_ids */
	{"assetParamsIdsMatchOr", AL_PROP, "MatchOr", "flavorParamsIds"},
	{"assetParamsIdsMatchAnd", AL_PROP, "MatchAnd", "flavorParamsIds"},
	/* KalturaLiveEntryFilter: SphinxEntryCriteria matches the live entry's primary or
	 * secondary media server; _is_recorded_entry_id_empty is "recorded_entry_id IS NULL" */
	{"hasMediaServerHostname", AL_NONE, NULL, NULL},
	{"isRecordedEntryIdEmpty", AL_PROP, "Empty", "recordedEntryId"},
	/* KalturaMediaEntryFilterForPlaylist: _limit caps the page (the engine applies it);
	 * mediaEntryFilterForPlaylist leaves _name out of the criteria */
	{"limit", AL_IGNORED, NULL, NULL},
	{"name", AL_IGNORED, NULL, NULL},
	/* KalturaGroupFilter: read by its getListResponse (the class rules below) */
	{"groupType", AL_IGNORED, NULL, NULL},
};

/* What a filter class sets itself (a filter field and its value): the server's filter
 * constructors set the entry types they list, which the request may overwrite, and
 * KalturaGroupFilter::getListResponse adds a kuser type to the request's own fields. The row of
 * the most derived class in the filter's chain applies, as the most derived constructor does. */
static const struct {
	const char *cls, *field, *value;
	const char *from; /* a filter field whose value, when set, takes the place of value */
	bool added;       /* added to the request's fields, not a default the request replaces */
} class_rules[] = {
	/* KalturaMediaEntryFilter::__construct: media clips, live streams, live channels and the
	 * plugins' extensions of media clips (ExternalMediaPlugin::getExtendedTypes) */
	{"KalturaMediaEntryFilter", "typeIn", "1,7,8,externalMedia.externalMedia", NULL, false},
	{"KalturaLiveEntryFilter", "typeIn", "8,7", NULL, false},
	{"KalturaLiveChannelFilter", "typeIn", "8", NULL, false},
	{"KalturaLiveStreamEntryFilter", "typeIn", "7", NULL, false},
	{"KalturaExternalMediaEntryFilter", "typeEqual", "externalMedia.externalMedia", NULL, false},
	{"KalturaRoomEntryFilter", "typeEqual", "room.room", NULL, false},
	/* kuserPeer::TYPE IN (groupType, or GroupType::GROUP and APPLICATIVE_GROUP) */
	{"KalturaGroupFilter", "typeIn", "1,2", "groupType", true},
};

/* A field the server reads in place of another when both are set: SphinxEntryCriteria::
 * applyFilterFields sets _matchor_categories_ids to the ancestor ids' categories. */
static const struct {
	const char *set, *dropped;
} overrides[] = {
	{"categoryAncestorIdIn", "categoriesIdsMatchOr"},
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

static bool cond_passes(const rvalue *o, const cond *k)
{
	if (k->absent)
		return sb_list_match(k->op, k->type, NULL, k->want) == 1;
	if (k->joined) {
		kt_buf b = {0};
		bool any = false;
		for (size_t j = 0; j < k->nprops; j++) {
			const char *t = text_of(o, k->props[j]);
			if (!t)
				continue;
			if (any)
				kt_buf_addc(&b, ',');
			kt_buf_adds(&b, t);
			any = true;
		}
		char *have = any ? kt_buf_steal(&b) : NULL;
		bool ok = sb_list_match(k->op, k->type, have, k->want) == 1;
		free(have);
		return ok;
	}
	for (size_t j = 0; j < k->nprops; j++) {
		const char *have = text_of(o, k->props[j]);
		if (k->or_null && !have) /* filters.class.php: "...or null" adds "OR col IS NULL" */
			return true;
		if (sb_list_match(k->op, k->type, have, k->want) == 1)
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
		if (cs[i].free_text ? !free_text_match(o, cs[i].want) : !cond_passes(o, &cs[i]))
			return false;
	}
	return true;
}

static void add_prop(cond *k, const char *name, size_t len)
{
	snprintf(k->props[k->nprops++], sizeof k->props[0], "%.*s", (int)len, name);
}

/* "idOrScreenNameStartsWith": two properties of the object joined by "Or". */
static bool split_or(const schema_class *ocls, const char *stem, cond *k)
{
	for (const char *p = strstr(stem, "Or"); p; p = strstr(p + 1, "Or")) {
		if (p == stem || !(p[2] >= 'A' && p[2] <= 'Z'))
			continue;
		char first[64], second[64];
		snprintf(first, sizeof first, "%.*s", (int)(p - stem), stem);
		snprintf(second, sizeof second, "%c%s", p[2] - 'A' + 'a', p + 3);
		const schema_property *a = schema_class_find_property(ocls, first);
		const schema_property *b = schema_class_find_property(ocls, second);
		if (a && b) {
			k->nprops = 0;
			add_prop(k, first, strlen(first));
			add_prop(k, second, strlen(second));
			k->type = a->type;
			return true;
		}
	}
	return false;
}

/* "tagsAdminTagsName": properties of the object one after the other (the server's
 * "tags-admin_tags-name"), each starting with a capital after the first. */
static bool split_joined(const schema_class *ocls, const char *stem, cond *k)
{
	if (!*stem)
		return k->nprops > 1;
	if (k->nprops == LIST_MAX_PROPS)
		return false;
	for (size_t len = strlen(stem); len > 0; len--) {
		if (stem[len] && !(stem[len] >= 'A' && stem[len] <= 'Z'))
			continue;
		char name[64];
		if (len >= sizeof name)
			continue;
		snprintf(name, sizeof name, "%c%.*s", stem[0] >= 'A' && stem[0] <= 'Z'
				 ? stem[0] - 'A' + 'a' : stem[0], (int)len - 1, stem + 1);
		const schema_property *p = schema_class_find_property(ocls, name);
		if (!p)
			continue;
		size_t before = k->nprops;
		add_prop(k, name, strlen(name));
		if (split_joined(ocls, stem + len, k)) {
			if (!k->type)
				k->type = p->type;
			return true;
		}
		k->nprops = before;
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

static bool overridden(const param *f, const char *field)
{
	for (size_t i = 0; i < sizeof overrides / sizeof *overrides; i++) {
		const char *v = store_rec_get(f, overrides[i].set);
		if (!strcmp(overrides[i].dropped, field) && v && *v)
			return true;
	}
	return false;
}

/* A property of the listed objects, else of the object type the filter selects (dcls): that one
 * no listed object has, so its value is null on each (k->absent). */
static const schema_property *find_prop(const schema_class *ocls, const schema_class *dcls,
					const char *name, cond *k)
{
	const schema_property *p = schema_class_find_property(ocls, name);
	if (!p && dcls && (p = schema_class_find_property(dcls, name)))
		k->absent = true;
	return p;
}

/* A field of the filter as a condition on the listed objects; -1 when the engine cannot read it. */
static int condition(const char *field, const char *want, const schema_class *ocls,
		     const schema_class *dcls, cond *k)
{
	*k = (cond){.field = field, .want = want};
	size_t al = 0, nal = sizeof aliases / sizeof *aliases;
	while (al < nal && strcmp(aliases[al].field, field))
		al++;
	if (!strcmp(field, "freeText") || (al < nal && aliases[al].kind == AL_FREE)) {
		k->free_text = true;
	} else if (!strcmp(field, "isRoot")) {
		/* no sandbox entry has a parent entry */
		k->always = !strcmp(want, "1");
		k->never = !k->always;
	} else if (!strcmp(field, "isLive")) {
		/* _is_live: "dynamic_attributes.is_live = 1" (or 0); no sandbox entry is live */
		k->never = !strcmp(want, "1");
		k->always = !k->never;
	} else if (al < nal && aliases[al].kind != AL_PROP) {
		k->never = aliases[al].kind == AL_NONE;
		k->always = !k->never;
	} else if (al < nal) {
		k->op = aliases[al].op;
		const schema_property *op = find_prop(ocls, dcls, aliases[al].prop, k);
		if (!op)
			return -1;
		if (!k->absent)
			add_prop(k, aliases[al].prop, strlen(aliases[al].prop));
		k->type = op->type;
	} else {
		/* "startDateGreaterThanOrEqualOrNull" (_gteornull_start_date): the operator before
		 * OrNull, and a null property matches */
		char name[128];
		size_t len = strlen(field), tail = strlen("OrNull");
		k->or_null = len > tail && len < sizeof name && !strcmp(field + len - tail, "OrNull");
		snprintf(name, sizeof name, "%.*s", (int)(k->or_null ? len - tail : len), field);
		size_t stem;
		k->op = sb_list_suffix(name, &stem);
		if (!k->op || stem >= sizeof k->props[0])
			return -1;
		name[stem] = 0;
		const schema_property *op = schema_class_find_property(ocls, name);
		if (op) {
			add_prop(k, name, stem);
			k->type = op->type;
		} else if (!split_or(ocls, name, k)) {
			k->nprops = 0;
			k->type = NULL;
			if (split_joined(ocls, name, k)) {
				k->joined = true;
			} else {
				k->nprops = 0;
				k->type = NULL;
				if (!(op = find_prop(ocls, dcls, name, k)))
					return -1;
				k->type = op->type;
			}
		}
	}
	return 0;
}

static cond *grow(cond *cs, size_t n, size_t *cap)
{
	if (n < *cap)
		return cs;
	*cap = *cap ? *cap * 2 : 8;
	return kt_xrealloc(cs, *cap * sizeof *cs);
}

static const char *set_field(const param *f, const char *name)
{
	const char *v = f ? store_rec_get(f, name) : NULL;
	return v && *v ? v : NULL;
}

/* The conditions the filter's class sets itself (class_rules). */
static cond *class_conditions(const param *f, const schema_class *fcls, const schema_class *ocls,
			      const schema_class *dcls, cond *cs, size_t *n, size_t *cap)
{
	size_t nr = sizeof class_rules / sizeof *class_rules;
	for (const schema_class *x = fcls; x; x = x->base) {
		bool any = false;
		for (size_t i = 0; i < nr; i++) {
			if (strcmp(class_rules[i].cls, x->name))
				continue;
			any = true;
			if (!class_rules[i].added && set_field(f, class_rules[i].field))
				continue; /* the request's value replaced the constructor's */
			const char *v = class_rules[i].from ? set_field(f, class_rules[i].from) : NULL;
			cs = grow(cs, *n, cap);
			if (condition(class_rules[i].field, v ? v : class_rules[i].value, ocls, dcls,
				      &cs[*n]) == 0)
				(*n)++;
		}
		if (any)
			break;
	}
	return cs;
}

/* The filter's conditions: each set field the filter class declares, as the deserialiser reads
 * it (unknown names are dropped, as KalturaRequestDeserializer drops them), and the class's own. */
static int conditions(sb_call *c, const param *f, const schema_class *fcls,
		      const schema_class *ocls, const schema_class *dcls, cond **out, size_t *nout)
{
	size_t cap = 0, n = 0;
	cond *cs = NULL;
	for (const param *p = f ? f->first : NULL; p; p = p->next) {
		if (p->kind != PARAM_VALUE || !*p->value || !strcmp(p->name, "objectType") ||
		    !strcmp(p->name, "orderBy") || overridden(f, p->name))
			continue;
		const schema_property *fp = schema_class_find_property(fcls, p->name);
		if (!fp)
			continue;
		/* KalturaNullableBoolean::NULL_VALUE: no condition */
		if (fp->enum_type && !strcmp(fp->enum_type, "KalturaNullableBoolean") &&
		    !strcmp(p->value, "-1"))
			continue;
		cs = grow(cs, n, &cap);
		if (condition(p->name, p->value, ocls, dcls, &cs[n]) < 0) {
			free(cs);
			return unsupported(c, fcls->name, p->name);
		}
		n++;
	}
	*out = class_conditions(f, fcls, ocls, dcls, cs, &n, &cap);
	*nout = n;
	return 0;
}

/* The object type a filter class selects: "KalturaLiveStreamEntryFilter" selects
 * KalturaLiveStreamEntry; a class without one (KalturaMediaEntryFilterForPlaylist) selects its
 * base's. */
static const schema_class *selected_class(const schema *s, const schema_class *fcls)
{
	for (const schema_class *x = fcls; x; x = x->base) {
		size_t l = strlen(x->name);
		if (l <= 6 || strcmp(x->name + l - 6, "Filter"))
			continue;
		char name[128];
		snprintf(name, sizeof name, "%.*s", (int)(l - 6), x->name);
		const schema_class *o = schema_find_class(s, name);
		if (o)
			return o;
	}
	return NULL;
}

/* The order a filter class sets when the request gives none (KalturaCategoryFilter::
 * getListResponse: "if ($this->orderBy === null) $this->orderBy = DEPTH_ASC"). Ties keep the
 * handler's order, by id, as the search index returns equal keys by document id. */
static const struct {
	const char *cls, *order_by;
} class_orders[] = {
	{"KalturaCategoryFilter", "+depth"},
};

static const char *default_order(const schema_class *fcls)
{
	for (const schema_class *x = fcls; x; x = x->base)
		for (size_t i = 0; i < sizeof class_orders / sizeof *class_orders; i++)
			if (!strcmp(class_orders[i].cls, x->name))
				return class_orders[i].order_by;
	return NULL;
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
	if (!ob)
		ob = default_order(fcls);
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

/* The page of a listAction called without a pager: CategoryService::listAction gives
 * Partner::MAX_NUMBER_OF_CATEGORIES, "for backward compatibility". */
static const struct {
	const char *service, *action;
	long long size;
} no_pager[] = {
	{"category", "list", 1500},
};

static long long page_without_pager(const sb_call *c)
{
	for (size_t i = 0; c->action && i < sizeof no_pager / sizeof *no_pager; i++)
		if (!strcmp(c->action->service->id, no_pager[i].service) &&
		    !strcmp(c->action->name, no_pager[i].action))
			return no_pager[i].size;
	return LIST_DEFAULT_PAGE;
}

static void pager_of(const param *pg, long long *size, long long *index)
{
	long long s = *size, i = 1, v;
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
	long long limit = 0;
	if (fcls && ocls) {
		/* without a filter the action's own class applies (listAction's "new ...Filter()") */
		const schema_class *dcls = selected_class(c->cfg->schema, fcls);
		if (conditions(c, f, fcls, ocls, dcls, &cs, &ncs) < 0) {
			free_objs(objs, n);
			return -1;
		}
		nkeys = orders(c, f, fcls, ocls, keys);
		/* baseObjectFilter::attachLimit: _limit takes the place of the pager's size, its
		 * offset stays */
		const char *t = schema_class_find_property(fcls, "limit") ? set_field(f, "limit")
									   : NULL;
		if (t && (!kt_parse_ll(t, &limit) || limit < 0))
			limit = 0;
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
	const param *pg = sb_arg_obj(c, "pager");
	long long size = pg ? LIST_DEFAULT_PAGE : page_without_pager(c), index;
	pager_of(pg, &size, &index);
	long long first = (index - 1) * size, count = limit ? limit : size;
	rvalue *r = sb_rv_object(NULL, list_cls);
	rvalue *arr = sb_rv_add(r, rvalue_new(RV_ARRAY, "objects"));
	for (size_t i = 0; i < nk; i++) {
		if ((long long)i >= first && (long long)i - first < count)
			sb_rv_add(arr, kept[i].o);
		else
			sb_rv_free(kept[i].o);
	}
	sb_rv_addf(r, "totalCount", "%zu", nk);
	free(kept);
	c->result = r;
	return 0;
}
