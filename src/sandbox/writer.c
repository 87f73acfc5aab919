/* writer: the four serialisers of the server's api_v3/lib, from the same result tree. */
#include "sandbox/writer.h"

#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

int sb_format_parse(const char *value)
{
	if (!value)
		return SB_FORMAT_XML;
	/* PHP 8 compares a numeric string with an int as numbers: " 1", "01", "1.0" are 1 */
	const char *s = value;
	while (isspace((unsigned char)*s))
		s++;
	char *end;
	double d = strtod(s, &end);
	if (end == s || !isfinite(d))
		return 0;
	while (isspace((unsigned char)*end))
		end++;
	if (*end || !strncasecmp(s, "0x", 2) || !strncasecmp(s, "inf", 3) || !strncasecmp(s, "nan", 3))
		return 0;
	if (d == 1 || d == 2 || d == 3 || d == 9)
		return (int)d;
	return 0;
}

bool sb_callback_ok(const char *cb)
{
	for (const char *p = cb; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '.')
			return false;
	return true;
}

const char *sb_format_content_type(int format)
{
	switch (format) {
	case SB_FORMAT_JSON: return "application/json";
	case SB_FORMAT_JSONP: return "application/javascript";
	case SB_FORMAT_XML: return "text/xml";
	default: return "text/html"; /* PHP's default: the PHP serializer sets no header */
	}
}

/* The schema class of an object, and its i-th property's child (NULL when null or absent). */
static const rvalue *child_named(const rvalue *v, const char *name)
{
	for (size_t i = 0; i < v->n; i++)
		if (v->children[i]->name && !strcmp(v->children[i]->name, name))
			return v->children[i];
	return NULL;
}

static bool in_class(const schema_class *cls, const char *name)
{
	return cls && name && schema_class_find_property(cls, name);
}

static bool is_map(const rvalue *v)
{
	return v->n && v->children[0]->name;
}

/* Calls fn for each property of an object the way the server's object has them: the schema's
 * properties in its order (null ones with v NULL), then any the schema does not know. */
typedef void (*prop_fn)(void *ud, const char *name, const rvalue *v, const char *type);

static void each_property(const schema *s, const rvalue *o, prop_fn fn, void *ud)
{
	const schema_class *cls = o->object_type ? schema_find_class(s, o->object_type) : NULL;
	size_t n = 0;
	const schema_property *const *all = cls ? schema_class_all_properties(cls, &n) : NULL;
	for (size_t i = 0; i < n; i++) {
		const rvalue *ch = child_named(o, all[i]->name);
		fn(ud, all[i]->name, ch && ch->kind != RV_NULL ? ch : NULL, all[i]->type);
	}
	for (size_t i = 0; i < o->n; i++) {
		const rvalue *ch = o->children[i];
		if (ch->name && !in_class(cls, ch->name))
			fn(ud, ch->name, ch->kind != RV_NULL ? ch : NULL, NULL);
	}
}

/* ---- XML (format 2) ---- */

static void xml_escape(kt_buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': kt_buf_adds(b, "&amp;"); break;
		case '<': kt_buf_adds(b, "&lt;"); break;
		case '>': kt_buf_adds(b, "&gt;"); break;
		case '"': kt_buf_adds(b, "&quot;"); break;
		case '\'': kt_buf_adds(b, "&apos;"); break;
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

typedef struct xml_ctx {
	kt_buf *b;
	const schema *s;
	const sb_out *o;
} xml_ctx;

static void xml_value(xml_ctx *x, const rvalue *v);

static void xml_prop(void *ud, const char *name, const rvalue *v, const char *type)
{
	(void)type;
	xml_ctx *x = ud;
	if (!v && x->o->ignore_null)
		return;
	kt_buf_printf(x->b, "<%s>", name);
	if (v)
		xml_value(x, v);
	kt_buf_printf(x->b, "</%s>", name);
}

static void xml_value(xml_ctx *x, const rvalue *v)
{
	kt_buf *b = x->b;
	switch (v->kind) {
	case RV_NULL:
		break;
	case RV_SCALAR:
		xml_escape(b, v->text);
		break;
	case RV_OBJECT:
		if (v->object_type)
			xml_tag(b, "objectType", v->object_type);
		each_property(x->s, v, xml_prop, x);
		break;
	case RV_ARRAY:
		for (size_t i = 0; i < v->n; i++) {
			kt_buf_adds(b, "<item>");
			if (v->children[i]->name) /* a map: the key is not escaped by the server */
				kt_buf_printf(b, "<itemKey>%s</itemKey>", v->children[i]->name);
			xml_value(x, v->children[i]);
			kt_buf_adds(b, "</item>");
		}
		break;
	case RV_ERROR:
		kt_buf_adds(b, "<error>");
		xml_tag(b, "code", v->code);
		xml_tag(b, "message", v->message);
		xml_tag(b, "objectType", v->object_type ? v->object_type : "KalturaAPIException");
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

/* ---- JSON (formats 1 and 9) ---- */

/* Jansson refuses invalid UTF-8; the inputs are checked, this is the last guard. */
static json_t *jstr(const char *s)
{
	json_t *j = json_string(s ? s : "");
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

typedef struct json_ctx {
	const schema *s;
	json_t *obj;
} json_ctx;

static json_t *json_value(const schema *s, const rvalue *v, const char *type);

static void json_prop(void *ud, const char *name, const rvalue *v, const char *type)
{
	json_ctx *j = ud;
	if (v) /* KalturaJsonSerializer::unsetNull drops nulls */
		json_object_set_new(j->obj, name, json_value(j->s, v, type));
}

static json_t *json_value(const schema *s, const rvalue *v, const char *type)
{
	switch (v->kind) {
	case RV_NULL:
		return json_null();
	case RV_SCALAR: /* a handler's own type is the PHP value's, over the schema's */
		return json_scalar(v->object_type ? v->object_type : type, v->text);
	case RV_OBJECT: {
		json_ctx j = {s, json_object()};
		each_property(s, v, json_prop, &j);
		/* unsetNull adds objectType after the properties */
		if (v->object_type)
			json_object_set_new(j.obj, "objectType", jstr(v->object_type));
		return j.obj;
	}
	case RV_ARRAY: {
		if (is_map(v)) {
			json_t *o = json_object();
			for (size_t i = 0; i < v->n; i++)
				json_object_set_new(o, v->children[i]->name ? v->children[i]->name : "",
						    json_value(s, v->children[i], NULL));
			return o;
		}
		json_t *a = json_array();
		for (size_t i = 0; i < v->n; i++)
			json_array_append_new(a, json_value(s, v->children[i], NULL));
		return a;
	}
	case RV_ERROR: {
		json_t *o = json_object();
		json_object_set_new(o, "code", jstr(v->code));
		json_object_set_new(o, "message", jstr(v->message));
		json_object_set_new(o, "objectType",
				    jstr(v->object_type ? v->object_type : "KalturaAPIException"));
		json_t *args = v->n ? json_object() : json_array();
		for (size_t i = 0; i < v->n; i++)
			json_object_set_new(args, v->children[i]->name, jstr(v->children[i]->text));
		json_object_set_new(o, "args", args);
		return o;
	}
	}
	return json_null();
}

/* ---- PHP serialize (format 3) ---- */

static void php_str(kt_buf *b, const char *s)
{
	if (!s)
		s = "";
	kt_buf_printf(b, "s:%zu:\"", strlen(s));
	kt_buf_adds(b, s);
	kt_buf_adds(b, "\";");
}

/* PHP writes floats with serialize_precision -1: the shortest text that reads back the same. */
static void php_float(kt_buf *b, double d)
{
	char t[40];
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(t, sizeof t, "%.*G", prec, d);
		if (strtod(t, NULL) == d)
			break;
	}
	kt_buf_printf(b, "d:%s;", t);
}

static void php_scalar(kt_buf *b, const char *type, const char *text)
{
	long long n;
	if (type && (!strcmp(type, "int") || !strcmp(type, "bigint")) && kt_parse_ll(text, &n)) {
		kt_buf_printf(b, "i:%lld;", n);
		return;
	}
	if (type && !strcmp(type, "bool")) {
		kt_buf_printf(b, "b:%d;", !strcmp(text, "1") || !strcasecmp(text, "true"));
		return;
	}
	if (type && !strcmp(type, "float")) {
		char *end;
		double d = strtod(text, &end);
		if (*text && !*end && isfinite(d)) {
			php_float(b, d);
			return;
		}
	}
	php_str(b, text);
}

typedef struct php_ctx {
	kt_buf *b;
	const schema *s;
	size_t count;
} php_ctx;

static void php_value(php_ctx *p, const rvalue *v, const char *type);

static void php_count(void *ud, const char *name, const rvalue *v, const char *type)
{
	(void)name, (void)v, (void)type;
	((php_ctx *)ud)->count++;
}

static void php_prop(void *ud, const char *name, const rvalue *v, const char *type)
{
	php_ctx *p = ud;
	php_str(p->b, name);
	if (v)
		php_value(p, v, type);
	else
		kt_buf_adds(p->b, "N;");
}

/* An array key: PHP turns a decimal integer key into an int key. */
static void php_key(kt_buf *b, const char *key, size_t i)
{
	long long n;
	if (!key)
		kt_buf_printf(b, "i:%zu;", i);
	else if (kt_parse_ll(key, &n) && (key[0] != '0' || !key[1]) && key[0] != '+')
		kt_buf_printf(b, "i:%lld;", n);
	else
		php_str(b, key);
}

static void php_value(php_ctx *p, const rvalue *v, const char *type)
{
	kt_buf *b = p->b;
	switch (v->kind) {
	case RV_NULL:
		kt_buf_adds(b, "N;");
		break;
	case RV_SCALAR:
		php_scalar(b, v->object_type ? v->object_type : type, v->text);
		break;
	case RV_OBJECT: {
		const char *cls = v->object_type ? v->object_type : "stdClass";
		php_ctx count = {NULL, p->s, 0};
		each_property(p->s, v, php_count, &count);
		kt_buf_printf(b, "O:%zu:\"%s\":%zu:{", strlen(cls), cls, count.count);
		each_property(p->s, v, php_prop, p);
		kt_buf_addc(b, '}');
		break;
	}
	case RV_ARRAY:
		kt_buf_printf(b, "a:%zu:{", v->n);
		for (size_t i = 0; i < v->n; i++) {
			php_key(b, v->children[i]->name, i);
			php_value(p, v->children[i], NULL);
		}
		kt_buf_addc(b, '}');
		break;
	case RV_ERROR:
		/* KalturaSerializer::convertExceptionsToPhpArrays */
		kt_buf_adds(b, "a:4:{");
		php_str(b, "code");
		php_str(b, v->code);
		php_str(b, "message");
		php_str(b, v->message);
		php_str(b, "objectType");
		php_str(b, v->object_type ? v->object_type : "KalturaAPIException");
		php_str(b, "args");
		kt_buf_printf(b, "a:%zu:{", v->n);
		for (size_t i = 0; i < v->n; i++) {
			php_str(b, v->children[i]->name);
			php_str(b, v->children[i]->text);
		}
		kt_buf_adds(b, "}}");
		break;
	}
}

char *sb_write(const schema *s, const rvalue *result, const sb_out *o, double elapsed, size_t *len)
{
	kt_buf b;
	kt_buf_init(&b);
	switch (o->format) {
	case SB_FORMAT_JSON:
	case SB_FORMAT_JSONP: {
		/* KalturaJsonSerializer::serialize: a null result is the text null */
		json_t *j = json_value(s, result, NULL);
		char *t = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
		json_decref(j);
		if (o->format == SB_FORMAT_JSONP)
			kt_buf_printf(&b, "%s(", o->callback ? o->callback : "");
		kt_buf_adds(&b, t ? t : "null");
		if (o->format == SB_FORMAT_JSONP)
			kt_buf_adds(&b, ");");
		free(t);
		break;
	}
	case SB_FORMAT_PHP: {
		php_ctx p = {&b, s, 0};
		php_value(&p, result, NULL);
		break;
	}
	default: {
		xml_ctx x = {&b, s, o};
		kt_buf_adds(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?><xml><result>");
		xml_value(&x, result);
		/* PHP echoes a float with 14 significant digits and a bare exponent: 9.95E-6 */
		char t[40], *e;
		snprintf(t, sizeof t, "%.14G", elapsed);
		if ((e = strchr(t, 'E')) && (e[1] == '-' || e[1] == '+')) {
			char *d = e + 2;
			while (*d == '0' && d[1])
				memmove(d, d + 1, strlen(d));
			if (e[1] == '+')
				memmove(e + 1, e + 2, strlen(e + 1));
		}
		kt_buf_printf(&b, "</result><executionTime>%s</executionTime></xml>", t);
		break;
	}
	}
	if (len)
		*len = b.len;
	if (!b.data)
		kt_buf_adds(&b, "");
	return kt_buf_steal(&b);
}
