/* sandbox: the HTTP side (libmicrohttpd thread pool), request parsing into the param tree,
 * schema-driven checks, dispatch to service handlers, multirequest, and the XML/JSON envelopes
 * of KALTURA.md section 3. */
#include "sandbox/sandbox.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <openssl/rand.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sandbox/service.h"
#include "sandbox/store.h"
#include "util.h"

#define SB_MAX_BODY ((size_t)16 << 20)
/* Enough for any real call; far below what would make the tree's linear lookups slow. */
#define SB_MAX_PARAMS 10000
#define SB_MAX_DEPTH 32

static const sb_handler *const handler_tables[] = {
	sb_session_handlers,
	sb_category_handlers, sb_entry_handlers,
	sb_user_handlers, sb_apptoken_handlers,
};

static struct {
	struct MHD_Daemon *daemon;
	schema *schema;
	char *schema_path;
	sb_config cfg;
	char url[96];
	char host[256];
} sb;

/* ---- result trees ---- */

rvalue *sb_rv_scalar(const char *name, const char *text)
{
	rvalue *v = rvalue_new(RV_SCALAR, name);
	v->text = kt_xstrdup(text ? text : "");
	return v;
}

rvalue *sb_rv_object(const char *name, const char *object_type)
{
	rvalue *v = rvalue_new(RV_OBJECT, name);
	v->object_type = object_type ? kt_xstrdup(object_type) : NULL;
	return v;
}

rvalue *sb_rv_add(rvalue *parent, rvalue *child)
{
	size_t n = parent->n + 1;
	parent->children = kt_xrealloc(parent->children, n * sizeof *parent->children);
	parent->children[parent->n++] = child;
	return child;
}

rvalue *sb_rv_addf(rvalue *parent, const char *name, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *text;
	if (vasprintf(&text, fmt, ap) < 0)
		text = NULL;
	va_end(ap);
	rvalue *v = sb_rv_add(parent, sb_rv_scalar(name, text));
	free(text);
	return v;
}

void sb_rv_free(rvalue *v)
{
	rvalue_free(v);
}

/* ---- errors ---- */

int sb_fail(sb_call *c, const char *code, int nargs, ...)
{
	const char *args[8] = {0};
	va_list ap;
	va_start(ap, nargs);
	for (int i = 0; i < nargs && i < 8; i++)
		args[i] = va_arg(ap, const char *);
	va_end(ap);
	if (nargs > 8)
		nargs = 8;
	const schema_error *e = schema_find_error(c->cfg->schema, code);
	rvalue *v = rvalue_new(RV_ERROR, NULL);
	v->code = kt_xstrdup(code);
	v->object_type = kt_xstrdup("KalturaAPIException");
	v->message = e ? schema_error_format(e, args, (size_t)nargs) : kt_xstrdup(code);
	for (int i = 0; i < nargs; i++) {
		char name[16];
		snprintf(name, sizeof name, "ARG%d", i);
		sb_rv_add(v, sb_rv_scalar(e && (size_t)i < e->nparams ? e->params[i] : name,
					  args[i]));
	}
	sb_rv_free(c->error);
	c->error = v;
	return -1;
}

int sb_fail_ks(sb_call *c, const char *ks, int code, const char *desc)
{
	char num[16];
	snprintf(num, sizeof num, "%d", code);
	return sb_fail(c, "INVALID_KS", 3, ks, num, desc);
}

int sb_check_ks(sb_call *c, const char *ks, ks_info *out)
{
	kt_error err;
	memset(out, 0, sizeof *out);
	if (ks_decode(ks, c->cfg->admin_secret, out, &err) < 0)
		return sb_fail_ks(c, ks, -1, "INVALID_STR");
	int rc = 0;
	char pid[32];
	snprintf(pid, sizeof pid, "%lld", c->cfg->partner_id);
	if (!out->decoded || out->signature != KS_SIG_VALID)
		rc = sb_fail_ks(c, ks, -1, "INVALID_STR");
	else if (out->partner_id != c->cfg->partner_id &&
		 !(out->master_partner_id && !strcmp(out->master_partner_id, pid)))
		rc = sb_fail_ks(c, ks, -2, "INVALID_PARTNER");
	else if (out->valid_until <= (long long)time(NULL))
		rc = sb_fail_ks(c, ks, -5, "EXPIRED");
	else if (store_is_revoked(ks) || store_privs_revoked(out->privileges))
		rc = sb_fail_ks(c, ks, -6, "LOGOUT");
	if (rc < 0)
		ks_info_free(out);
	return rc;
}

const char *sb_arg(const sb_call *c, const char *name)
{
	const param *p = param_find(c->params, name);
	return p && p->kind == PARAM_VALUE ? p->value : NULL;
}

long long sb_arg_ll(const sb_call *c, const char *name, long long def)
{
	long long v;
	const char *s = sb_arg(c, name);
	return s && kt_parse_ll(s, &v) ? v : def;
}

/* ---- output ---- */

static void xml_escape(kt_buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': kt_buf_adds(b, "&amp;"); break;
		case '<': kt_buf_adds(b, "&lt;"); break;
		case '>': kt_buf_adds(b, "&gt;"); break;
		case '"': kt_buf_adds(b, "&quot;"); break;
		default: kt_buf_addc(b, *s);
		}
	}
}

static void xml_tag(kt_buf *b, const char *tag, const char *text)
{
	kt_buf_printf(b, "<%s>", tag);
	xml_escape(b, text);
	kt_buf_printf(b, "</%s>", tag);
}

static void xml_value(kt_buf *b, const rvalue *v)
{
	switch (v->kind) {
	case RV_NULL:
		break;
	case RV_SCALAR:
		xml_escape(b, v->text);
		break;
	case RV_OBJECT:
		if (v->object_type)
			xml_tag(b, "objectType", v->object_type);
		for (size_t i = 0; i < v->n; i++) {
			if (v->children[i]->kind == RV_NULL)
				continue;
			kt_buf_printf(b, "<%s>", v->children[i]->name);
			xml_value(b, v->children[i]);
			kt_buf_printf(b, "</%s>", v->children[i]->name);
		}
		break;
	case RV_ARRAY:
		for (size_t i = 0; i < v->n; i++) {
			kt_buf_adds(b, "<item>");
			if (v->children[i]->name)
				xml_tag(b, "itemKey", v->children[i]->name);
			xml_value(b, v->children[i]);
			kt_buf_adds(b, "</item>");
		}
		break;
	case RV_ERROR:
		kt_buf_adds(b, "<error>");
		xml_tag(b, "code", v->code);
		xml_tag(b, "message", v->message);
		xml_tag(b, "objectType", "KalturaAPIException");
		kt_buf_adds(b, "<args>");
		for (size_t i = 0; i < v->n; i++) {
			kt_buf_adds(b, "<item><objectType>KalturaApiExceptionArg</objectType>");
			xml_tag(b, "name", v->children[i]->name);
			xml_tag(b, "value", v->children[i]->text);
			kt_buf_adds(b, "</item>");
		}
		kt_buf_adds(b, "</args></error>");
		break;
	}
}

/* Jansson refuses invalid UTF-8; our inputs are checked, this is the last guard. */
static json_t *jstr(const char *s)
{
	json_t *j = json_string(s);
	return j ? j : json_string("");
}

/* Scalars are text in the model; the schema says which properties are numbers or booleans. */
static json_t *json_scalar(const char *type, const char *text)
{
	long long n;
	if (type && (!strcmp(type, "int") || !strcmp(type, "bigint")) && kt_parse_ll(text, &n))
		return json_integer(n);
	if (type && !strcmp(type, "bool"))
		return json_boolean(!strcmp(text, "1") || !strcasecmp(text, "true"));
	if (type && !strcmp(type, "float")) {
		char *end;
		double d = strtod(text, &end);
		if (*text && !*end && isfinite(d))
			return json_real(d);
	}
	return jstr(text);
}

static json_t *json_value(const rvalue *v, const char *type)
{
	switch (v->kind) {
	case RV_NULL:
		return json_null();
	case RV_SCALAR:
		return json_scalar(type, v->text);
	case RV_OBJECT: {
		json_t *o = json_object();
		const schema_class *cls =
			v->object_type ? schema_find_class(sb.cfg.schema, v->object_type) : NULL;
		if (v->object_type)
			json_object_set_new(o, "objectType", jstr(v->object_type));
		for (size_t i = 0; i < v->n; i++) {
			const rvalue *ch = v->children[i];
			if (ch->kind == RV_NULL)
				continue;
			const schema_property *p =
				cls ? schema_class_find_property(cls, ch->name) : NULL;
			json_object_set_new(o, ch->name, json_value(ch, p ? p->type : NULL));
		}
		return o;
	}
	case RV_ARRAY: {
		json_t *a = json_array();
		for (size_t i = 0; i < v->n; i++)
			json_array_append_new(a, json_value(v->children[i], NULL));
		return a;
	}
	case RV_ERROR: {
		json_t *o = json_object();
		json_object_set_new(o, "code", jstr(v->code));
		json_object_set_new(o, "message", jstr(v->message));
		json_object_set_new(o, "objectType", json_string("KalturaAPIException"));
		json_t *args = v->n ? json_object() : json_array();
		for (size_t i = 0; i < v->n; i++)
			json_object_set_new(args, v->children[i]->name, jstr(v->children[i]->text));
		json_object_set_new(o, "args", args);
		return o;
	}
	}
	return json_null();
}

static char *render(const rvalue *result, int format, double elapsed)
{
	if (format == KT_FORMAT_JSON) {
		json_t *j = json_value(result, NULL);
		char *s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
		json_decref(j);
		return s ? s : kt_xstrdup("null");
	}
	kt_buf b;
	kt_buf_init(&b);
	kt_buf_adds(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<xml><result>");
	xml_value(&b, result);
	kt_buf_printf(&b, "</result><executionTime>%.4f</executionTime></xml>", elapsed);
	return kt_buf_steal(&b);
}

/* ---- input ---- */

static bool utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		int n;
		unsigned cp;
		if (*p < 0x80) {
			p++;
			continue;
		} else if ((*p & 0xe0) == 0xc0) {
			n = 1, cp = *p & 0x1f;
		} else if ((*p & 0xf0) == 0xe0) {
			n = 2, cp = *p & 0x0f;
		} else if ((*p & 0xf8) == 0xf0) {
			n = 3, cp = *p & 0x07;
		} else {
			return false;
		}
		p++;
		for (int i = 0; i < n; i++, p++) {
			if ((*p & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (*p & 0x3f);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
	}
	return true;
}

typedef struct parse_ctx {
	sb_call *c;
	param *root;
	size_t count;
} parse_ctx;

static int put(parse_ctx *pc, const char *key, const char *value)
{
	kt_error err;
	if (++pc->count > SB_MAX_PARAMS)
		return sb_fail(pc->c, "INTERNAL_SERVER_ERROR", 1,
			       "(more than 10000 parameters in one request)");
	size_t depth = 0;
	for (const char *k = key; *k; k++)
		depth += *k == ':';
	if (depth > SB_MAX_DEPTH)
		return sb_fail(pc->c, "INTERNAL_SERVER_ERROR", 1,
			       "(parameters nested more than 32 levels deep)");
	if (!utf8_valid(key))
		return sb_fail(pc->c, "INVALID_PARAMETER_CHAR", 1, "(parameter name)");
	if (!utf8_valid(value))
		return sb_fail(pc->c, "INVALID_PARAMETER_CHAR", 1, key);
	if (param_set(pc->root, key, value, &err) < 0)
		return sb_fail(pc->c, "INVALID_PARAMETER_VALUE", 1, key);
	return 0;
}

static int hexval(char h)
{
	if (h >= '0' && h <= '9')
		return h - '0';
	h = (char)tolower((unsigned char)h);
	return h >= 'a' && h <= 'f' ? h - 'a' + 10 : -1;
}

static char *form_decode(const char *s, size_t len)
{
	kt_buf b;
	kt_buf_init(&b);
	for (size_t i = 0; i < len; i++) {
		int hi, lo;
		if (s[i] == '+') {
			kt_buf_addc(&b, ' ');
		} else if (s[i] == '%' && i + 2 < len && (hi = hexval(s[i + 1])) >= 0 &&
			   (lo = hexval(s[i + 2])) >= 0) {
			kt_buf_addc(&b, (char)(hi << 4 | lo));
			i += 2;
		} else {
			kt_buf_addc(&b, s[i]);
		}
	}
	/* a %00 cuts the C string short: the value is the text before it */
	return kt_buf_steal(&b);
}

static int form_parse(parse_ctx *pc, const char *body, size_t len)
{
	size_t i = 0;
	while (i < len) {
		const char *amp = memchr(body + i, '&', len - i);
		size_t end = amp ? (size_t)(amp - body) : len;
		if (end > i) {
			const char *eq = memchr(body + i, '=', end - i);
			size_t klen = eq ? (size_t)(eq - body) - i : end - i;
			char *key = form_decode(body + i, klen);
			char *val = eq ? form_decode(eq + 1, end - (size_t)(eq + 1 - body))
				       : kt_xstrdup("");
			int rc = *key ? put(pc, key, val) : 0;
			free(key);
			kt_free_secret(val);
			if (rc < 0)
				return -1;
		}
		i = end + 1;
	}
	return 0;
}

static int json_flatten(parse_ctx *pc, const char *prefix, json_t *j, int depth)
{
	if (depth > SB_MAX_DEPTH)
		return sb_fail(pc->c, "INTERNAL_SERVER_ERROR", 1,
			       "(parameters nested more than 32 levels deep)");
	char num[64];
	switch (json_typeof(j)) {
	case JSON_OBJECT: {
		const char *k;
		json_t *v;
		json_object_foreach(j, k, v) {
			char *key = prefix ? kt_xasprintf("%s:%s", prefix, k) : kt_xstrdup(k);
			int rc = *k ? json_flatten(pc, key, v, depth + 1) : 0;
			free(key);
			if (rc < 0)
				return -1;
		}
		return 0;
	}
	case JSON_ARRAY: {
		if (!prefix)
			return sb_fail(pc->c, "INTERNAL_SERVER_ERROR", 1,
				       "(the JSON body must be an object)");
		if (!json_array_size(j)) {
			char *key = kt_xasprintf("%s:-", prefix);
			int rc = put(pc, key, "");
			free(key);
			return rc;
		}
		size_t i;
		json_t *v;
		json_array_foreach(j, i, v) {
			char *key = kt_xasprintf("%s:%zu", prefix, i);
			int rc = json_flatten(pc, key, v, depth + 1);
			free(key);
			if (rc < 0)
				return -1;
		}
		return 0;
	}
	case JSON_STRING:
		return put(pc, prefix, json_string_value(j));
	case JSON_INTEGER:
		snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(j));
		return put(pc, prefix, num);
	case JSON_REAL:
		snprintf(num, sizeof num, "%.17g", json_real_value(j));
		return put(pc, prefix, num);
	case JSON_TRUE:
		return put(pc, prefix, "1");
	case JSON_FALSE:
		return put(pc, prefix, "0");
	case JSON_NULL: {
		char *key = kt_xasprintf("%s__null", prefix);
		int rc = put(pc, key, "");
		free(key);
		return rc;
	}
	}
	return 0;
}

static int json_parse_body(parse_ctx *pc, const char *body, size_t len)
{
	json_error_t jerr;
	json_t *j = json_loadb(body, len, JSON_DECODE_ANY, &jerr);
	if (!j)
		return sb_fail(pc->c, "INTERNAL_SERVER_ERROR", 1,
			       "(the request body is not valid JSON)");
	if (!json_is_object(j)) {
		json_decref(j);
		return sb_fail(pc->c, "INTERNAL_SERVER_ERROR", 1,
			       "(the JSON body must be an object)");
	}
	int rc = json_flatten(pc, NULL, j, 0);
	json_decref(j);
	return rc;
}

/* ---- one call ---- */

static bool is_true(const char *s)
{
	return !strcmp(s, "1") || !strcasecmp(s, "true");
}

/* A scalar of a simple type: int, bigint, bool (normalised to 1/0), float, or an enum value.
 * name is the wire key for INVALID_PARAMETER_VALUE, prop the name INVALID_ENUM_VALUE shows. */
static int check_scalar(sb_call *c, const char *t, const schema_enum *en, const char *enum_type,
			param *v, const char *name, const char *prop)
{
	if (v->kind != PARAM_VALUE)
		return sb_fail(c, "INVALID_PARAMETER_VALUE", 1, name);
	long long n;
	if ((!strcmp(t, "int") || !strcmp(t, "bigint")) && !kt_parse_ll(v->value, &n))
		return sb_fail(c, "INVALID_PARAMETER_VALUE", 1, name);
	if (!strcmp(t, "bool")) {
		if (!is_true(v->value) && strcmp(v->value, "0") && strcasecmp(v->value, "false"))
			return sb_fail(c, "INVALID_PARAMETER_VALUE", 1, name);
		const char *norm = is_true(v->value) ? "1" : "0";
		free(v->value);
		v->value = kt_xstrdup(norm);
	}
	if (!strcmp(t, "float")) {
		char *end;
		strtod(v->value, &end);
		if (!*v->value || *end)
			return sb_fail(c, "INVALID_PARAMETER_VALUE", 1, name);
	}
	if (en && !schema_enum_find_value(en, v->value))
		return sb_fail(c, "INVALID_ENUM_VALUE", 3, v->value, prop, enum_type);
	return 0;
}

static int check_object(sb_call *c, const char *declared, param *v, const char *name, int depth);

static bool is_simple(const char *t)
{
	static const char *const simple[] = {"int", "bigint", "bool", "float", "string", "file"};
	for (size_t i = 0; i < sizeof simple / sizeof *simple; i++)
		if (!strcmp(t, simple[i]))
			return true;
	return false;
}

/* The items of an array or map property: each an object of item_cls (when the schema names
 * one), checked like any object. */
static int check_items(sb_call *c, const schema_class *item_cls, param *v, const char *name,
		       int depth)
{
	if (v->kind != PARAM_ARRAY && v->kind != PARAM_OBJECT)
		return sb_fail(c, "INVALID_PARAMETER_VALUE", 1, name);
	if (!item_cls)
		return 0;
	for (param *it = v->first; it; it = it->next) {
		if (it->kind == PARAM_NULL)
			continue;
		char *key = kt_xasprintf("%s:%s", name, it->name ? it->name : "");
		int rc = check_object(c, item_cls->name, it, key, depth + 1);
		free(key);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* An object at any depth, as the server deserialises it: objectType must name a known,
 * non-abstract subclass of the declared type; each known, writable property is typed like a
 * top-level parameter; unknown and read-only properties are ignored. The keys' depth is already
 * capped at SB_MAX_DEPTH, which bounds the recursion. */
static int check_object(sb_call *c, const char *declared, param *v, const char *name, int depth)
{
	if (v->kind != PARAM_OBJECT)
		return sb_fail(c, "INVALID_PARAMETER_VALUE", 1, name);
	if (depth > SB_MAX_DEPTH)
		return sb_fail(c, "INTERNAL_SERVER_ERROR", 1,
			       "(parameters nested more than 32 levels deep)");
	const param *otp = param_find(v, "objectType");
	const char *ot = otp && otp->kind == PARAM_VALUE ? otp->value : declared;
	const schema_class *cls = schema_find_class(c->cfg->schema, ot);
	if (!cls || !schema_is_subclass(c->cfg->schema, ot, declared))
		return sb_fail(c, "INVALID_OBJECT_TYPE", 1, ot);
	if (cls->abstract)
		return sb_fail(c, "OBJECT_TYPE_ABSTRACT", 1, ot);
	for (param *ch = v->first; ch; ch = ch->next) {
		if (ch->kind == PARAM_NULL || !strcmp(ch->name, "objectType"))
			continue;
		const schema_property *p = schema_class_find_property(cls, ch->name);
		if (!p || p->read_only)
			continue;
		char *key = kt_xasprintf("%s:%s", name, ch->name);
		int rc;
		if (p->type_class)
			rc = check_object(c, p->type_class->name, ch, key, depth + 1);
		else if (!strcmp(p->type, "array") || !strcmp(p->type, "map"))
			rc = check_items(c, p->array_class, ch, key, depth + 1);
		else if (is_simple(p->type))
			rc = check_scalar(c, p->type, p->enumeration, p->enum_type, ch, key,
					  p->name);
		else
			rc = 0; /* a class the shipped schema leaves out: nothing to check */
		free(key);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int check_param(sb_call *c, const schema_param *sp, param *v)
{
	const char *t = sp->type;
	if (v->kind == PARAM_NULL)
		return 0;
	if (sp->type_class)
		return check_object(c, sp->type, v, sp->name, 1);
	if (!strcmp(t, "array") || !strcmp(t, "map"))
		return check_items(c, sp->array_class, v, sp->name, 1);
	return check_scalar(c, t, sp->enumeration, sp->enum_type, v, sp->name, sp->name);
}

static int check_params(sb_call *c, const schema_action *a, param *p)
{
	for (size_t i = 0; i < a->nparams; i++) {
		const schema_param *sp = &a->params[i];
		param *v = (param *)param_find(p, sp->name);
		if (!v) {
			if (!sp->optional)
				return sb_fail(c, "MISSING_MANDATORY_PARAMETER", 1, sp->name);
			if (sp->default_value && strcmp(sp->default_value, "null") &&
			    !sp->type_class && param_set(p, sp->name, sp->default_value, NULL) < 0)
				return sb_fail(c, "INTERNAL_SERVER_ERROR", 1, "(bad default)");
			continue;
		}
		if (check_param(c, sp, v) < 0)
			return -1;
	}
	return 0;
}

static const sb_handler *find_handler(const char *service, const char *action)
{
	for (size_t t = 0; t < sizeof handler_tables / sizeof *handler_tables; t++)
		for (const sb_handler *h = handler_tables[t]; h->fn; h++)
			if (!strcmp(h->service, service) && !strcmp(h->action, action))
				return h;
	return NULL;
}

/* What the call's KS may do: ADMIN for type >= 1, else USER, or only widget-level with the
 * widget:1 privilege (session.startWidgetSession) or no KS at all. */
static sb_access ks_access(const ks_info *ks)
{
	if (!ks)
		return SB_ANY;
	if (ks->type >= 1)
		return SB_ADMIN;
	if (!ks->privileges || !strstr(ks->privileges, "widget"))
		return SB_USER;
	ks_privs p;
	ks_privs_parse(ks->privileges, &p);
	const ks_priv *w = ks_privs_find(&p, "widget");
	bool widget = w && w->value && !strcmp(w->value, "1");
	ks_privs_free(&p);
	return widget ? SB_ANY : SB_USER;
}

static const char *value_of(const param *p, const char *name)
{
	const param *v = param_find(p, name);
	return v && v->kind == PARAM_VALUE ? v->value : NULL;
}

/* Runs one call; returns its result or error (never NULL). */
static rvalue *exec_one(const char *service, const char *action, param *p)
{
	sb_call c = {.cfg = &sb.cfg, .params = p};
	ks_info info;
	bool have_info = false;
	if (!service || !*service) {
		sb_fail(&c, "SERVICE_NOT_SPECIFIED", 0);
		goto out;
	}
	if (!action || !*action) {
		sb_fail(&c, "ACTION_NOT_SPECIFIED", 0);
		goto out;
	}
	const schema_service *svc = schema_find_service(sb.cfg.schema, service);
	if (!svc) {
		sb_fail(&c, "SERVICE_DOES_NOT_EXISTS", 1, service);
		goto out;
	}
	const schema_action *a = schema_find_action(svc, action);
	if (!a) {
		sb_fail(&c, "ACTION_DOES_NOT_EXISTS", 2, action, service);
		goto out;
	}
	c.action = a;
	const char *ks = value_of(p, "ks");
	if (ks && *ks) {
		if (sb_check_ks(&c, ks, &info) < 0)
			goto out;
		have_info = true;
		c.ks = ks;
		c.ks_info = &info;
	} else if (a->session_required == SCHEMA_KS_ALWAYS) {
		sb_fail(&c, "MISSING_KS", 0);
		goto out;
	}
	const sb_handler *h = find_handler(svc->id, a->name);
	/* the server checks permissions before it reads the action's parameters */
	if (h && ks_access(c.ks_info) < h->access) {
		char *what = kt_xasprintf("%s->%s", svc->id, a->name);
		sb_fail(&c, "SERVICE_FORBIDDEN", 1, what);
		free(what);
		goto out;
	}
	if (check_params(&c, a, p) < 0)
		goto out;
	if (!h) {
		char *why = kt_xasprintf("(%s.%s is not in the sandbox yet)", svc->id, a->name);
		sb_fail(&c, "INTERNAL_SERVER_ERROR", 1, why);
		free(why);
		goto out;
	}
	h->fn(&c);
out:
	if (have_info)
		ks_info_free(&info);
	if (c.error) {
		sb_rv_free(c.result);
		return c.error;
	}
	return c.result ? c.result : rvalue_new(RV_NULL, NULL);
}

/* ---- multirequest ---- */

/* "{N:result}" or "{N:result:path}" as the whole value; N counts executed requests from 1. */
static void resolve_refs(param *p, rvalue *const *results, size_t nres)
{
	for (param *ch = p->first; ch; ch = ch->next) {
		if (ch->kind != PARAM_VALUE) {
			resolve_refs(ch, results, nres);
			continue;
		}
		const char *v = ch->value;
		size_t len = strlen(v);
		if (len < 10 || v[0] != '{' || v[len - 1] != '}')
			continue;
		char *end;
		unsigned long n = strtoul(v + 1, &end, 10);
		if (end == v + 1 || strncmp(end, ":result", 7))
			continue;
		const char *rest = end + 7;
		if (*rest != '}' && *rest != ':')
			continue;
		const char *text = "";
		char *path = *rest == ':' ? kt_xstrndup(rest + 1, (size_t)(v + len - 1 - rest - 1))
					  : NULL;
		if (n >= 1 && n <= nres && results[n - 1]->kind != RV_ERROR) {
			const rvalue *r = path && *path ? rvalue_path(results[n - 1], path)
						        : results[n - 1];
			if (r && r->kind == RV_SCALAR)
				text = r->text;
		}
		char *copy = kt_xstrdup(text);
		free(ch->value);
		ch->value = copy;
		free(path);
	}
}

static rvalue *exec_multi(param *root)
{
	static const char *const shared[] = {"ks", "partnerId", "clientTag"};
	rvalue *all = rvalue_new(RV_ARRAY, NULL);
	char key[32];
	int first = 1;
	const param *zero = param_find(root, "0");
	if (zero && zero->kind == PARAM_OBJECT &&
	    (param_find(zero, "service") || param_find(zero, "action")))
		first = 0;
	for (int i = first;; i++) {
		snprintf(key, sizeof key, "%d", i);
		param *sub = (param *)param_find(root, key);
		if (!sub || sub->kind != PARAM_OBJECT ||
		    (!param_find(sub, "service") && !param_find(sub, "action")))
			break;
		for (size_t s = 0; s < sizeof shared / sizeof *shared; s++) {
			const char *v = value_of(root, shared[s]);
			if (v && !param_find(sub, shared[s]))
				param_set(sub, shared[s], v, NULL);
		}
		resolve_refs(sub, all->children, all->n);
		const char *sv = value_of(sub, "service"), *av = value_of(sub, "action");
		char *service = kt_xstrdup(sv ? sv : "");
		char *action = kt_xstrdup(av ? av : "");
		param_remove(sub, "service");
		param_remove(sub, "action");
		sb_rv_add(all, exec_one(service, action, sub));
		free(service);
		free(action);
	}
	return all;
}

/* ---- HTTP ---- */

typedef struct conn_state {
	kt_buf body;
	bool too_big;
} conn_state;

static enum MHD_Result query_arg(void *cls, enum MHD_ValueKind kind, const char *key,
				 const char *value)
{
	(void)kind;
	parse_ctx *pc = cls;
	if (pc->c->error || !key || !*key)
		return MHD_YES;
	return put(pc, key, value ? value : "") < 0 ? MHD_NO : MHD_YES;
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* X-Kaltura-Session as the server writes it (infra/log/UniqueId.php): the request's log id, a
 * random non-negative 31-bit number like PHP's rand(), then ", " and the server's unix time. It
 * names the request in the server's logs; it carries nothing of the KS. */
static void add_session_header(struct MHD_Response *r)
{
	unsigned char raw[4] = {0};
	if (RAND_bytes(raw, sizeof raw) != 1)
		memset(raw, 0, sizeof raw);
	unsigned long id = ((unsigned long)raw[0] << 24 | (unsigned long)raw[1] << 16 |
			    (unsigned long)raw[2] << 8 | raw[3]) & 0x7fffffffUL;
	char v[48];
	snprintf(v, sizeof v, "%lu, %lld", id, (long long)time(NULL));
	MHD_add_response_header(r, "X-Kaltura-Session", v);
}

/* api says whether the answer comes from the API (the PHP side, which adds X-Kaltura-Session)
 * rather than from the web server itself (404, 405). */
static enum MHD_Result send_reply(struct MHD_Connection *conn, unsigned status, const char *text,
				  const char *type, bool api)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), (void *)text,
								 MHD_RESPMEM_MUST_COPY);
	MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "X-Me", sb.host);
	if (api)
		add_session_header(r);
	enum MHD_Result rc = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return rc;
}

static enum MHD_Result send_text(struct MHD_Connection *conn, unsigned status, const char *text,
				 const char *type)
{
	return send_reply(conn, status, text, type, false);
}

static enum MHD_Result serve_schema(struct MHD_Connection *conn)
{
	int fd = open(sb.schema_path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		if (fd >= 0)
			close(fd);
		return send_text(conn, 404, "schema not found\n", "text/plain");
	}
	struct MHD_Response *r = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
	MHD_add_response_header(r, "Content-Type", "text/xml; charset=utf-8");
	MHD_add_response_header(r, "X-Me", sb.host);
	add_session_header(r);
	enum MHD_Result rc = MHD_queue_response(conn, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return rc;
}

/* Splits "/api_v3/service/S[/action/A]"; false for any other path. */
static bool api_path(const char *url, char **service, char **action)
{
	*service = *action = NULL;
	if (!strcmp(url, "/api_v3/index.php") || !strcmp(url, "/api_v3/") ||
	    !strcmp(url, "/api_v3"))
		return true;
	const char *pre = "/api_v3/service/";
	if (strncmp(url, pre, strlen(pre)))
		return false;
	const char *s = url + strlen(pre);
	const char *slash = strchr(s, '/');
	*service = kt_xstrndup(s, slash ? (size_t)(slash - s) : strlen(s));
	if (slash && !strncmp(slash, "/action/", 8)) {
		const char *a = slash + 8;
		size_t alen = strcspn(a, "/");
		*action = kt_xstrndup(a, alen);
	}
	return true;
}

/* A Content-Disposition attribute (name="x") of a part's headers; malloc'd or NULL. */
static char *part_attr(const char *hdrs, size_t len, const char *attr)
{
	size_t alen = strlen(attr);
	for (size_t i = 0; i + alen + 2 < len; i++) {
		if ((i && hdrs[i - 1] != ' ' && hdrs[i - 1] != ';') ||
		    strncasecmp(hdrs + i, attr, alen) || hdrs[i + alen] != '=' ||
		    hdrs[i + alen + 1] != '"')
			continue;
		const char *v = hdrs + i + alen + 2, *end = memchr(v, '"', len - (size_t)(v - hdrs));
		return end ? kt_xstrndup(v, (size_t)(end - v)) : NULL;
	}
	return NULL;
}

/* multipart/form-data, as clients send uploads: each part is a parameter, a part named "json"
 * holds a JSON body, and a file part stands for its file name (the sandbox keeps no files). */
static int multipart_parse(parse_ctx *pc, const char *ct, const char *body, size_t len)
{
	const char *b = strcasestr(ct, "boundary=");
	if (!b)
		return sb_fail(pc->c, "INTERNAL_SERVER_ERROR", 1, "(a multipart body without a boundary)");
	b += 9;
	size_t blen = *b == '"' ? strcspn(++b, "\"") : strcspn(b, "; \t");
	if (!blen || blen > 200)
		return sb_fail(pc->c, "INTERNAL_SERVER_ERROR", 1, "(a bad multipart boundary)");
	char *delim = kt_xasprintf("--%.*s", (int)blen, b);
	size_t dlen = strlen(delim);
	const char *end = body + len;
	const char *p = memmem(body, len, delim, dlen);
	int rc = 0;
	while (p && !rc) {
		p += dlen;
		if (end - p >= 2 && !memcmp(p, "--", 2))
			break; /* the closing delimiter */
		const char *hdr_end = memmem(p, (size_t)(end - p), "\r\n\r\n", 4);
		if (!hdr_end) {
			rc = sb_fail(pc->c, "INTERNAL_SERVER_ERROR", 1, "(a truncated multipart body)");
			break;
		}
		const char *data = hdr_end + 4;
		const char *next = memmem(data, (size_t)(end - data), delim, dlen);
		if (!next || next - data < 2) {
			rc = sb_fail(pc->c, "INTERNAL_SERVER_ERROR", 1, "(a truncated multipart body)");
			break;
		}
		size_t vlen = (size_t)(next - data) - 2; /* the CRLF before the delimiter */
		char *name = part_attr(p, (size_t)(hdr_end - p), "name");
		char *file = part_attr(p, (size_t)(hdr_end - p), "filename");
		if (!name) {
			rc = sb_fail(pc->c, "INTERNAL_SERVER_ERROR", 1, "(a multipart part without a name)");
		} else if (!strcmp(name, "json") && !file) {
			rc = json_parse_body(pc, data, vlen);
		} else if (file) {
			rc = put(pc, name, file);
		} else {
			char *v = kt_xstrndup(data, vlen);
			rc = put(pc, name, v);
			free(v);
		}
		free(name);
		free(file);
		p = next;
	}
	free(delim);
	return rc;
}

typedef enum { BODY_FORM, BODY_JSON, BODY_MULTIPART } body_kind;

static body_kind body_kind_of(struct MHD_Connection *conn, const kt_buf *body)
{
	const char *ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
	if (ct && !strncasecmp(ct, "multipart/", 10))
		return BODY_MULTIPART;
	if (ct)
		return strncasecmp(ct, "application/json", 16) ? BODY_FORM : BODY_JSON;
	return body->len && body->data[0] == '{' ? BODY_JSON : BODY_FORM;
}

static enum MHD_Result serve_api(struct MHD_Connection *conn, conn_state *st, char *service,
				 char *action)
{
	double t0 = now_seconds();
	sb_call c = {.cfg = &sb.cfg};
	param *root = param_new();
	parse_ctx pc = {.c = &c, .root = root};
	rvalue *result = NULL;
	if (st->too_big) {
		sb_fail(&c, "INTERNAL_SERVER_ERROR", 1, "(the request body is over 16 MB)");
	} else if (st->body.len) {
		switch (body_kind_of(conn, &st->body)) {
		case BODY_JSON:
			json_parse_body(&pc, st->body.data, st->body.len);
			break;
		case BODY_FORM:
			form_parse(&pc, st->body.data, st->body.len);
			break;
		case BODY_MULTIPART:
			multipart_parse(&pc, MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
									 "Content-Type"),
					st->body.data, st->body.len);
			break;
		}
	}
	if (!c.error)
		MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, query_arg, &pc);

	const char *fmt = value_of(root, "format");
	if (!fmt)
		fmt = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "format");
	int format = fmt && !strcmp(fmt, "1") ? KT_FORMAT_JSON : KT_FORMAT_XML;

	if (c.error) {
		result = c.error;
	} else {
		if (!service && value_of(root, "service"))
			service = kt_xstrdup(value_of(root, "service"));
		if (!action && value_of(root, "action"))
			action = kt_xstrdup(value_of(root, "action"));
		param_remove(root, "service");
		param_remove(root, "action");
		if (service && !strcasecmp(service, "multirequest"))
			result = exec_multi(root);
		else
			result = exec_one(service, action, root);
	}
	char *out = render(result, format, now_seconds() - t0);
	sb_rv_free(result);
	param_free(root);
	free(service);
	free(action);
	enum MHD_Result rc = send_reply(conn, MHD_HTTP_OK, out,
					format == KT_FORMAT_JSON ? "application/json"
								 : "text/xml; charset=utf-8",
					true);
	free(out);
	return rc;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **state)
{
	(void)cls, (void)version;
	conn_state *st = *state;
	if (!st) {
		st = kt_xcalloc(1, sizeof *st);
		kt_buf_init(&st->body);
		*state = st;
		return MHD_YES;
	}
	if (*upload_size) {
		/* Drain an oversized body so the client gets an answer instead of a reset. */
		if (!st->too_big && st->body.len + *upload_size > SB_MAX_BODY) {
			st->too_big = true;
			kt_buf_free(&st->body);
			kt_buf_init(&st->body);
		}
		if (!st->too_big)
			kt_buf_add(&st->body, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	if (strcmp(method, "GET") && strcmp(method, "POST"))
		return send_text(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed\n",
				 "text/plain");
	if (!strcmp(url, "/api_v3/api_schema.php"))
		return serve_schema(conn);
	char *service, *action;
	if (!api_path(url, &service, &action))
		return send_text(conn, MHD_HTTP_NOT_FOUND, "not found\n", "text/plain");
	return serve_api(conn, st, service, action);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **state,
			 enum MHD_RequestTerminationCode toe)
{
	(void)cls, (void)conn, (void)toe;
	conn_state *st = *state;
	if (st) {
		/* the body may hold a secret */
		if (st->body.data)
			memset(st->body.data, 0, st->body.len);
		kt_buf_free(&st->body);
		free(st);
		*state = NULL;
	}
}

/* ---- lifecycle ---- */

static char *random_secret(void)
{
	unsigned char raw[16];
	char hex[33];
	if (RAND_bytes(raw, sizeof raw) != 1)
		return NULL;
	kt_hex(raw, sizeof raw, hex);
	return kt_xstrdup(hex);
}

static int parse_listen(const char *listen, struct sockaddr_in *sa, kt_error *err)
{
	memset(sa, 0, sizeof *sa);
	sa->sin_family = AF_INET;
	const char *colon = strrchr(listen, ':');
	long long port;
	if (!colon || colon == listen || !kt_parse_ll(colon + 1, &port) || port < 0 ||
	    port > 65535)
		return kt_fail(err, KT_E_USAGE,
			       "--listen wants HOST:PORT with an IPv4 address, not '%s'", listen);
	char host[64];
	size_t hlen = (size_t)(colon - listen);
	if (hlen >= sizeof host)
		return kt_fail(err, KT_E_USAGE, "--listen host '%.*s' is too long", (int)hlen,
			       listen);
	memcpy(host, listen, hlen);
	host[hlen] = 0;
	if (!strcmp(host, "localhost"))
		strcpy(host, "127.0.0.1");
	if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
		return kt_fail(err, KT_E_USAGE, "--listen host '%s' is not an IPv4 address", host);
	sa->sin_port = htons((uint16_t)port);
	return 0;
}

static void clear_state(void)
{
	if (sb.schema)
		schema_free(sb.schema);
	free(sb.schema_path);
	kt_free_secret(sb.cfg.admin_secret);
	kt_free_secret(sb.cfg.user_secret);
	memset(&sb, 0, sizeof sb);
}

int sandbox_start(const sandbox_opts *o, kt_error *err)
{
	if (sb.daemon)
		return kt_fail(err, KT_E_USAGE, "the sandbox is already running at %s", sb.url);
	sandbox_opts def = {0};
	if (!o)
		o = &def;
	int version = o->ks_version ? o->ks_version : 2;
	if (version != 1 && version != 2)
		return kt_fail(err, KT_E_USAGE, "the KS version must be 1 or 2, not %d", version);
	if (o->partner_id < 0)
		return kt_fail(err, KT_E_USAGE, "the partner id must be a positive number");
	if ((o->admin_secret && !*o->admin_secret) || (o->user_secret && !*o->user_secret))
		return kt_fail(err, KT_E_USAGE, "a secret must not be empty");
	int threads = o->threads ? o->threads : 2;
	if (threads < 2 || threads > 4)
		return kt_fail(err, KT_E_USAGE, "the sandbox runs 2 to 4 threads, not %d", threads);
	struct sockaddr_in sa;
	if (parse_listen(o->listen ? o->listen : "127.0.0.1:0", &sa, err) < 0)
		return -1;

	const char *path = o->schema_path ? o->schema_path : schema_default_path();
	sb.schema = schema_load_file(path, err);
	if (!sb.schema)
		return -1;
	sb.schema_path = kt_xstrdup(path);
	sb.cfg.schema = sb.schema;
	sb.cfg.partner_id = o->partner_id ? o->partner_id : 100;
	sb.cfg.ks_version = version;
	sb.cfg.admin_secret = o->admin_secret ? kt_xstrdup(o->admin_secret) : random_secret();
	sb.cfg.user_secret = o->user_secret ? kt_xstrdup(o->user_secret) : random_secret();
	if (!sb.cfg.admin_secret || !sb.cfg.user_secret) {
		clear_state();
		return kt_fail(err, KT_E_INTERNAL,
			       "cannot make random secrets (RAND_bytes failed)");
	}
	if (!schema_find_error(sb.schema, "INVALID_KS"))
		fprintf(stderr, "ktestme: warning: the schema has no error catalogue; errors will "
				"carry their codes as messages\n");
	if (gethostname(sb.host, sizeof sb.host - 1) < 0 || !*sb.host)
		strcpy(sb.host, "ktestme-sandbox");
	store_init();
	svc_category_seed(&sb.cfg);
	svc_users_seed(&sb.cfg);

	sb.daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO, 0, NULL, NULL,
				     on_request, NULL, MHD_OPTION_SOCK_ADDR, &sa,
				     MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads,
				     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
				     MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
				     MHD_OPTION_END);
	if (!sb.daemon) {
		char addr[INET_ADDRSTRLEN];
		inet_ntop(AF_INET, &sa.sin_addr, addr, sizeof addr);
		clear_state();
		return kt_fail(err, KT_E_NET, "cannot listen on %s:%u (in use or not allowed)",
			       addr, ntohs(sa.sin_port));
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(sb.daemon, MHD_DAEMON_INFO_BIND_PORT);
	char addr[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, &sa.sin_addr, addr, sizeof addr);
	snprintf(sb.url, sizeof sb.url, "http://%s:%u", addr,
		 di ? (unsigned)di->port : (unsigned)ntohs(sa.sin_port));
	return 0;
}

const char *sandbox_url(void)
{
	return sb.daemon ? sb.url : NULL;
}

long long sandbox_partner_id(void)
{
	return sb.daemon ? sb.cfg.partner_id : 0;
}

const char *sandbox_admin_secret(void)
{
	return sb.daemon ? sb.cfg.admin_secret : NULL;
}

const char *sandbox_user_secret(void)
{
	return sb.daemon ? sb.cfg.user_secret : NULL;
}

void sandbox_stop(void)
{
	if (!sb.daemon)
		return;
	MHD_stop_daemon(sb.daemon);
	store_reset();
	clear_state();
}
