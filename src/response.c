#include "response.h"

#include <limits.h>
#include <locale.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <openssl/crypto.h>

#include "request.h"
#include "util.h"

/* Far deeper than any real Kaltura result, far shallower than the stack allows. */
#define RESPONSE_MAX_DEPTH 256
/* How much of an HTML page to search for its <title>, and how much of the title to show. */
#define HTML_SCAN 65536
#define TITLE_MAX 120

#if LIBXML_VERSION >= 21200
typedef const xmlError *xml_error_ref;
#else
typedef xmlError *xml_error_ref;
#endif

static int fail_deep(kt_error *err)
{
	return kt_fail(err, KT_E_RESPONSE, "the response is nested too deeply (over %d levels)",
		       RESPONSE_MAX_DEPTH);
}

/* ---- numbers, locale-independent (a curses UI may have called setlocale) ---- */

static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;

static void c_locale_init(void)
{
	c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

static locale_t use_c_locale(void)
{
	pthread_once(&c_locale_once, c_locale_init);
	return c_locale ? uselocale(c_locale) : (locale_t)0;
}

static void restore_locale(locale_t old)
{
	if (old)
		uselocale(old);
}

/* Fewest significant digits (15..17) that read back as exactly d. */
int response_real_precision(double d)
{
	char buf[40];
	locale_t old = use_c_locale();
	int p;
	for (p = 15; p < 17; p++) {
		snprintf(buf, sizeof buf, "%.*g", p, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	restore_locale(old);
	return p;
}

static char *real_text(double d)
{
	char buf[40];
	int p = response_real_precision(d);
	locale_t old = use_c_locale();
	snprintf(buf, sizeof buf, "%.*g", p, d);
	restore_locale(old);
	return kt_xstrdup(buf);
}

static bool parse_double(const char *s, double *out)
{
	char *end;
	locale_t old = use_c_locale();
	double d = strtod(s, &end);
	restore_locale(old);
	if (end == s || *end)
		return false;
	*out = d;
	return true;
}

/* ---- the value model ---- */

rvalue *rvalue_new(rv_kind kind, const char *name)
{
	rvalue *v = kt_xcalloc(1, sizeof *v);
	v->kind = kind;
	v->name = name ? kt_xstrdup(name) : NULL;
	return v;
}

void rvalue_free(rvalue *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n; i++)
		rvalue_free(v->children[i]);
	free(v->children);
	free(v->name);
	free(v->text);
	free(v->object_type);
	free(v->code);
	free(v->message);
	free(v);
}

static rvalue *rv_scalar(const char *name, char *text)
{
	rvalue *v = rvalue_new(RV_SCALAR, name);
	v->text = text;
	return v;
}

void response_free(response *r)
{
	if (!r)
		return;
	rvalue_free(r->result);
	r->result = NULL;
}

static void wipe_str(char *s)
{
	if (s)
		OPENSSL_cleanse(s, strlen(s));
}

static void rvalue_wipe(rvalue *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n; i++)
		rvalue_wipe(v->children[i]);
	wipe_str(v->text);
	wipe_str(v->message);
}

void response_free_wiped(response *r)
{
	if (!r)
		return;
	rvalue_wipe(r->result);
	response_free(r);
}

/* ---- what the body is, before any parser sees it ---- */

static const char *skip_space(const char *p, const char *end)
{
	if (end - p >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		p += 3;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	return p;
}

static bool starts_ci(const char *p, const char *end, const char *prefix)
{
	size_t n = strlen(prefix);
	return (size_t)(end - p) >= n && !strncasecmp(p, prefix, n);
}

static const char *find_ci(const char *p, const char *end, const char *needle)
{
	for (; p < end; p++)
		if (starts_ci(p, end, needle))
			return p;
	return NULL;
}

/* Just past the needle, or end. */
static const char *skip_past(const char *p, const char *end, const char *needle)
{
	const char *q = find_ci(p, end, needle);
	return q ? q + strlen(needle) : end;
}

/* Error pages from proxies and web servers: a doctype or <html> after any prolog. */
static bool is_html(const char *p, const char *end)
{
	p = skip_space(p, end);
	for (;;) {
		if (starts_ci(p, end, "<?"))
			p = skip_past(p, end, "?>");
		else if (starts_ci(p, end, "<!--"))
			p = skip_past(p, end, "-->");
		else
			break;
		p = skip_space(p, end);
	}
	if (starts_ci(p, end, "<!doctype html"))
		return true;
	if (!starts_ci(p, end, "<html"))
		return false;
	return p + 5 == end || (p[5] && strchr(" \t\r\n>/", p[5]));
}

/* The page's <title>, whitespace collapsed and cut at a character boundary; "" when none. */
static void html_title(const char *p, const char *end, char *out, size_t outlen)
{
	size_t n = 0;
	out[0] = '\0';
	if (end - p > HTML_SCAN)
		end = p + HTML_SCAN;
	const char *t = find_ci(p, end, "<title");
	if (!t || !(t = memchr(t, '>', (size_t)(end - t))))
		return;
	t++;
	const char *stop = find_ci(t, end, "</title");
	if (!stop)
		stop = end;
	bool space = false;
	for (; t < stop; t++) {
		unsigned char c = (unsigned char)*t;
		if (c <= ' ') {
			space = n > 0;
			continue;
		}
		if (n + 1 + space >= outlen)
			break;
		if (space)
			out[n++] = ' ';
		space = false;
		out[n++] = (char)c;
	}
	/* cut in the middle of a UTF-8 sequence: drop its partial bytes */
	if (t < stop && ((unsigned char)*t & 0xc0) == 0x80) {
		while (n > 0 && ((unsigned char)out[n - 1] & 0xc0) == 0x80)
			n--;
		if (n > 0)
			n--;
	}
	out[n] = '\0';
}

int response_fail_html(const char *body, size_t len, kt_error *err)
{
	char title[TITLE_MAX + 1];
	html_title(body, body + len, title, sizeof title);
	return kt_fail(err, KT_E_RESPONSE, "the server sent an HTML page, not a Kaltura response%s%s",
		       *title ? ": " : "", title);
}

/* Refuses what no parser should be asked to read; 0 when the body may be parsed. */
int response_check_body(const char *body, size_t len, int format, kt_error *err)
{
	if (format != KT_FORMAT_JSON && format != KT_FORMAT_XML)
		return kt_fail(err, KT_E_USAGE, "response format %d is not supported: use 1 (JSON) or 2 (XML)",
			       format);
	const char *end = body + len;
	const char *p = skip_space(body, end);
	if (p == end)
		return kt_fail(err, KT_E_RESPONSE, "the server sent an empty body");
	if (is_html(p, end))
		return response_fail_html(p, (size_t)(end - p), err);
	if (format == KT_FORMAT_XML && (*p == '{' || *p == '['))
		return kt_fail(err, KT_E_RESPONSE, "the server sent JSON, but XML (format 2) was asked for");
	if (format == KT_FORMAT_JSON && *p == '<')
		return kt_fail(err, KT_E_RESPONSE, "the server sent XML, but JSON (format 1) was asked for");
	if (format == KT_FORMAT_XML && len > INT_MAX)
		return kt_fail(err, KT_E_TOOBIG, "the response is too large to read as XML (over 2 GB)");
	return 0;
}

/* ---- XML ---- */

/* Keeps libxml2 off stderr and remembers the first error worth reporting. */
void response_xml_on_error(void *data, xml_error_ref e)
{
	response_xml_capture *cap = data;
	if (!e || e->level < XML_ERR_ERROR)
		return;
	if (e->message && !strncmp(e->message, "Excessive depth", 15))
		cap->deep = true;
	if (cap->fatal || (cap->have && e->level != XML_ERR_FATAL))
		return;
	cap->have = true;
	cap->fatal = e->level == XML_ERR_FATAL;
	cap->line = e->line;
	size_t n = 0;
	bool space = false;
	for (const char *s = e->message ? e->message : ""; *s && n + 2 < sizeof cap->msg; s++) {
		if ((unsigned char)*s <= ' ') {
			space = n > 0;
			continue;
		}
		if (space)
			cap->msg[n++] = ' ';
		space = false;
		cap->msg[n++] = *s;
	}
	cap->msg[n] = '\0';
}

/* No entity substitution and no DTD loading: the body is untrusted (XXE, billion laughs). */
static xmlDoc *xml_read(const char *body, size_t len, kt_error *err)
{
	response_xml_capture cap = {0};
	xmlParserCtxt *ctxt = xmlNewParserCtxt();
	if (!ctxt) {
		kt_fail(err, KT_E_INTERNAL, "libxml2 could not create a parser");
		return NULL;
	}
#if LIBXML_VERSION >= 21300
	xmlCtxtSetErrorHandler(ctxt, response_xml_on_error, &cap);
#else
	/* encoding errors bypass the context's handler before 2.13; the global one is per thread */
	xmlStructuredErrorFunc old = xmlStructuredError;
	void *old_data = xmlStructuredErrorContext;
	xmlSetStructuredErrorFunc(&cap, response_xml_on_error);
#endif
	xmlDoc *doc = xmlCtxtReadMemory(ctxt, body, (int)len, NULL, NULL,
					XML_PARSE_NONET | XML_PARSE_NOBLANKS);
	xmlFreeParserCtxt(ctxt);
#if LIBXML_VERSION < 21300
	xmlSetStructuredErrorFunc(old_data, old);
#endif
	if (doc)
		return doc;
	response_xml_fail(&cap, err);
	return NULL;
}

int response_xml_fail(const response_xml_capture *cap, kt_error *err)
{
	if (cap->deep)
		return fail_deep(err);
	if (cap->have && cap->line > 0)
		return kt_fail(err, KT_E_RESPONSE, "malformed XML at line %d: %s", cap->line, cap->msg);
	if (cap->have) /* encoding errors know no line */
		return kt_fail(err, KT_E_RESPONSE, "malformed XML: %s", cap->msg);
	return kt_fail(err, KT_E_RESPONSE, "malformed XML");
}

static bool xml_is(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

static xmlNode *xml_child(const xmlNode *el, const char *name)
{
	for (xmlNode *c = el->children; c; c = c->next)
		if (xml_is(c, name))
			return c;
	return NULL;
}

/* The element's own text; entity references stay unexpanded (read as nothing). */
static char *xml_text(const xmlNode *el)
{
	const xmlNode *only = NULL;
	size_t parts = 0;
	for (const xmlNode *c = el->children; c; c = c->next)
		if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content) {
			only = c;
			parts++;
		}
	if (parts == 0)
		return kt_xstrdup("");
	if (parts == 1)
		return kt_xstrdup((const char *)only->content);
	kt_buf b;
	kt_buf_init(&b);
	for (const xmlNode *c = el->children; c; c = c->next)
		if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
			kt_buf_adds(&b, (const char *)c->content);
	return kt_buf_steal(&b);
}

static char *xml_child_text(const xmlNode *el, const char *name)
{
	xmlNode *c = xml_child(el, name);
	return c ? xml_text(c) : NULL;
}

enum { XV_RESULT = 1, XV_ITEM = 2 };

static rvalue *xml_value(const xmlNode *el, const char *name, int flags, int depth, kt_error *err);

static rvalue *xml_error(const xmlNode *el, const char *name)
{
	rvalue *v = rvalue_new(RV_ERROR, name);
	if (!xml_child(el, "code") && !xml_child(el, "message") && !xml_child(el, "objectType")) {
		v->message = xml_text(el);
		return v;
	}
	v->code = xml_child_text(el, "code");
	v->message = xml_child_text(el, "message");
	v->object_type = xml_child_text(el, "objectType");
	xmlNode *args = xml_child(el, "args");
	if (!args)
		return v;
	size_t n = 0;
	for (xmlNode *c = args->children; c; c = c->next)
		n += xml_is(c, "item") && xml_child(c, "name");
	v->children = kt_xcalloc(n, sizeof *v->children);
	for (xmlNode *c = args->children; c; c = c->next) {
		xmlNode *nm = xml_is(c, "item") ? xml_child(c, "name") : NULL;
		if (!nm)
			continue;
		char *an = xml_text(nm), *val = xml_child_text(c, "value");
		v->children[v->n++] = rv_scalar(an, val ? val : kt_xstrdup(""));
		free(an);
	}
	return v;
}

/* A map item names itself by <itemKey> (or, from older servers, a key attribute). */
static char *xml_item_key(xmlNode *item)
{
	xmlNode *k = xml_child(item, "itemKey");
	if (k)
		return xml_text(k);
	xmlChar *attr = xmlGetProp(item, (const xmlChar *)"key");
	if (!attr)
		return NULL;
	char *s = kt_xstrdup((const char *)attr);
	xmlFree(attr);
	return s;
}

static rvalue *xml_children(rvalue *v, const xmlNode *el, size_t n, bool array, int flags, int depth,
			    kt_error *err)
{
	v->children = kt_xcalloc(n, sizeof *v->children);
	for (xmlNode *c = el->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE || xml_is(c, "objectType") ||
		    ((flags & XV_ITEM) && xml_is(c, "itemKey")))
			continue;
		rvalue *child;
		if (array) {
			char *key = xml_item_key(c);
			child = xml_value(c, key, XV_ITEM, depth + 1, err);
			free(key);
		} else {
			child = xml_value(c, (const char *)c->name, 0, depth + 1, err);
		}
		if (!child) {
			rvalue_free(v);
			return NULL;
		}
		v->children[v->n++] = child;
	}
	return v;
}

static rvalue *xml_value(const xmlNode *el, const char *name, int flags, int depth, kt_error *err)
{
	if (depth > RESPONSE_MAX_DEPTH) {
		fail_deep(err);
		return NULL;
	}
	const xmlNode *first = NULL, *otype = NULL;
	size_t n = 0, props = 0;
	bool all_items = true;
	for (const xmlNode *c = el->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE || ((flags & XV_ITEM) && xml_is(c, "itemKey")))
			continue;
		n++;
		if (!first)
			first = c;
		if (xml_is(c, "objectType")) {
			if (!otype)
				otype = c;
		} else {
			props++;
		}
		if (!xml_is(c, "item"))
			all_items = false;
	}
	if (n == 0) {
		char *text = xml_text(el);
		if ((flags & XV_RESULT) && !*text) {
			free(text);
			return rvalue_new(RV_NULL, name);
		}
		return rv_scalar(name, text);
	}
	if (n == 1 && (flags & (XV_RESULT | XV_ITEM)) && xml_is(first, "error"))
		return xml_error(first, name);
	if (otype) {
		char *type = xml_text(otype);
		if (!strcmp(type, "KalturaAPIException")) {
			free(type);
			return xml_error(el, name);
		}
		rvalue *v = rvalue_new(RV_OBJECT, name);
		v->object_type = type;
		return xml_children(v, el, props, false, flags, depth, err);
	}
	if (all_items)
		return xml_children(rvalue_new(RV_ARRAY, name), el, n, true, flags, depth, err);
	return xml_children(rvalue_new(RV_OBJECT, name), el, props, false, flags, depth, err);
}

static char *xml_dump(xmlDoc *doc, kt_error *err);
static char *json_dump(const json_t *j, kt_error *err);

/* pretty, when not NULL, gets the body re-indented from the same parse */
static int xml_parse(const char *body, size_t len, response *out, char **pretty, kt_error *err)
{
	xmlDoc *doc = xml_read(body, len, err);
	if (!doc)
		return -1;
	xmlNode *root = xmlDocGetRootElement(doc);
	if (root && !strcasecmp((const char *)root->name, "html")) {
		xmlFreeDoc(doc);
		return response_fail_html(body, len, err);
	}
	int rc = response_model_xml(root, out, err);
	if (rc == 0 && pretty)
		rc = (*pretty = xml_dump(doc, err)) ? 0 : -1;
	xmlFreeDoc(doc);
	return rc;
}

int response_model_xml(const xmlNode *root, response *out, kt_error *err)
{
	xmlNode *result = root && xml_is(root, "xml") ? xml_child(root, "result") : NULL;
	if (!result)
		return kt_fail(err, KT_E_RESPONSE,
			       "the server sent XML that is not a Kaltura response: no <result> element");
	out->result = xml_value(result, NULL, XV_RESULT, 0, err);
	char *t = xml_child_text(root, "executionTime");
	if (t)
		out->has_execution_time = parse_double(t, &out->execution_time);
	free(t);
	return out->result ? 0 : -1;
}

/* ---- JSON ---- */

static json_t *json_read(const char *body, size_t len, kt_error *err)
{
	json_error_t je;
	json_t *j = json_loadb(body, len, JSON_DECODE_ANY, &je);
	if (j)
		return j;
	if (json_error_code(&je) == json_error_stack_overflow)
		fail_deep(err);
	else
		kt_fail(err, KT_E_RESPONSE, "malformed JSON at line %d, column %d: %s", je.line, je.column,
			je.text);
	return NULL;
}

/* Scalars as text, the way the XML format writes them (booleans 1/0). */
static char *json_text(const json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_STRING:
		return kt_xstrdup(json_string_value(j));
	case JSON_INTEGER:
		return kt_xasprintf("%" JSON_INTEGER_FORMAT, json_integer_value(j));
	case JSON_REAL:
		return real_text(json_real_value(j));
	case JSON_TRUE:
		return kt_xstrdup("1");
	case JSON_FALSE:
		return kt_xstrdup("0");
	case JSON_NULL:
		return kt_xstrdup("");
	default: {
		char *s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
		char *t = kt_xstrdup(s ? s : "");
		free(s);
		return t;
	}
	}
}

static char *json_member_text(const json_t *obj, const char *key)
{
	const json_t *m = json_object_get(obj, key);
	return m ? json_text(m) : NULL;
}

static rvalue *json_error(const json_t *j, const char *name)
{
	rvalue *v = rvalue_new(RV_ERROR, name);
	v->object_type = json_member_text(j, "objectType");
	v->code = json_member_text(j, "code");
	v->message = json_member_text(j, "message");
	const json_t *args = json_object_get(j, "args");
	const char *key;
	json_t *val;
	/* an empty args comes as [] (PHP's empty array) */
	if (!json_is_object(args))
		return v;
	v->children = kt_xcalloc(json_object_size(args), sizeof *v->children);
	json_object_foreach((json_t *)args, key, val)
		v->children[v->n++] = rv_scalar(key, json_text(val));
	return v;
}

static rvalue *json_value(json_t *j, const char *name, int depth, kt_error *err)
{
	if (depth > RESPONSE_MAX_DEPTH) {
		fail_deep(err);
		return NULL;
	}
	rvalue *v, *child;
	const char *key;
	json_t *val;
	switch (json_typeof(j)) {
	case JSON_NULL:
		return rvalue_new(RV_NULL, name);
	case JSON_ARRAY:
		v = rvalue_new(RV_ARRAY, name);
		v->children = kt_xcalloc(json_array_size(j), sizeof *v->children);
		for (size_t i = 0; i < json_array_size(j); i++) {
			if (!(child = json_value(json_array_get(j, i), NULL, depth + 1, err))) {
				rvalue_free(v);
				return NULL;
			}
			v->children[v->n++] = child;
		}
		return v;
	case JSON_OBJECT: {
		json_t *ot = json_object_get(j, "objectType");
		const char *type = json_is_string(ot) ? json_string_value(ot) : NULL;
		if (type && !strcmp(type, "KalturaAPIException"))
			return json_error(j, name);
		v = rvalue_new(RV_OBJECT, name);
		v->object_type = type ? kt_xstrdup(type) : NULL;
		v->children = kt_xcalloc(json_object_size(j), sizeof *v->children);
		json_object_foreach(j, key, val) {
			if (type && val == ot)
				continue;
			if (!(child = json_value(val, key, depth + 1, err))) {
				rvalue_free(v);
				return NULL;
			}
			v->children[v->n++] = child;
		}
		return v;
	}
	default:
		return rv_scalar(name, json_text(j));
	}
}

static int json_parse(const char *body, size_t len, response *out, char **pretty, kt_error *err)
{
	json_t *j = json_read(body, len, err);
	if (!j)
		return -1;
	response_model_json(j, out, err);
	if (out->result && pretty)
		*pretty = json_dump(j, err);
	json_decref(j);
	return out->result && (!pretty || *pretty) ? 0 : -1;
}

int response_model_json(json_t *j, response *out, kt_error *err)
{
	out->result = json_value(j, NULL, 0, err);
	return out->result ? 0 : -1;
}

/* ---- public ---- */

int response_parse_pretty(const char *body, size_t len, int format, response *out, char **pretty,
			  kt_error *err)
{
	memset(out, 0, sizeof *out);
	out->format = format;
	if (pretty)
		*pretty = NULL;
	if (!body)
		len = 0, body = "";
	if (response_check_body(body, len, format, err))
		return -1;
	int rc = format == KT_FORMAT_XML ? xml_parse(body, len, out, pretty, err)
					 : json_parse(body, len, out, pretty, err);
	if (rc < 0) {
		response_free(out);
		if (pretty) {
			free(*pretty);
			*pretty = NULL;
		}
	}
	return rc;
}

int response_parse(const char *body, size_t len, int format, response *out, kt_error *err)
{
	return response_parse_pretty(body, len, format, out, NULL, err);
}

const rvalue *response_error(const response *r)
{
	const rvalue *root = r ? r->result : NULL;
	if (!root)
		return NULL;
	if (root->kind == RV_ERROR)
		return root;
	if (root->kind == RV_ARRAY)
		for (size_t i = 0; i < root->n; i++)
			if (root->children[i]->kind == RV_ERROR)
				return root->children[i];
	return NULL;
}

const rvalue *rvalue_get(const rvalue *v, const char *name)
{
	if (!v || !name || (v->kind != RV_OBJECT && v->kind != RV_ARRAY))
		return NULL;
	for (size_t i = 0; i < v->n; i++)
		if (v->children[i]->name && !strcmp(v->children[i]->name, name))
			return v->children[i];
	return NULL;
}

const rvalue *rvalue_path(const rvalue *v, const char *path)
{
	if (!v || !path)
		return NULL;
	char *copy = kt_xstrdup(path), *seg = copy, *next;
	for (; v && seg; seg = next) {
		if ((next = strchr(seg, ':')))
			*next++ = '\0';
		long long i;
		if (!*seg)
			v = NULL;
		else if (v->kind == RV_ARRAY && kt_parse_ll(seg, &i))
			v = i >= 0 && (unsigned long long)i < v->n ? v->children[i] : NULL;
		else
			v = rvalue_get(v, seg);
	}
	free(copy);
	return v;
}

const char *response_find_ks(const response *r, const char *service, const char *action)
{
	static const struct { const char *service, *action; bool in_object; } carriers[] = {
		{"session", "start", false},
		{"session", "impersonate", false},
		{"user", "loginByLoginId", false},
		{"user", "login", false},
		{"appToken", "startSession", true},
		{"session", "startWidgetSession", true},
	};
	if (!r || !r->result || !service || !action)
		return NULL;
	for (size_t i = 0; i < sizeof carriers / sizeof carriers[0]; i++) {
		if (strcasecmp(service, carriers[i].service) || strcasecmp(action, carriers[i].action))
			continue;
		const rvalue *v = carriers[i].in_object ? (r->result->kind == RV_OBJECT ?
							   rvalue_get(r->result, "ks") : NULL)
							: r->result;
		return v && v->kind == RV_SCALAR && *v->text ? v->text : NULL;
	}
	return NULL;
}

/* The parsers cap nesting, so this recursion is bounded. */
bool response_value_holds_secret(const rvalue *v)
{
	if (!v)
		return false;
	if (v->kind == RV_SCALAR)
		return v->name && request_is_secret_name(v->name) && v->text && *v->text;
	for (size_t i = 0; i < v->n; i++)
		if (response_value_holds_secret(v->children[i]))
			return true;
	return false;
}

bool response_holds_secret(const response *r, const char *service, const char *action)
{
	if (!r || !r->result)
		return false;
	return response_find_ks(r, service, action) || response_value_holds_secret(r->result);
}

static char *xml_dump(xmlDoc *doc, kt_error *err)
{
	xmlChar *mem = NULL;
	int size = 0;
#if LIBXML_VERSION < 21200
	xmlTreeIndentString = "  ";
#endif
	xmlDocDumpFormatMemoryEnc(doc, &mem, &size, "UTF-8", 1);
	if (!mem) {
		kt_fail(err, KT_E_INTERNAL, "libxml2 could not format the XML");
		return NULL;
	}
	char *out = kt_xstrndup((const char *)mem, (size_t)size);
	xmlFree(mem);
	return out;
}

static char *xml_pretty(const char *body, size_t len, kt_error *err)
{
	xmlDoc *doc = xml_read(body, len, err);
	if (!doc)
		return NULL;
	char *out = xml_dump(doc, err);
	xmlFreeDoc(doc);
	return out;
}

/* The precision every real in j needs to print exactly (15 keeps 0.1 from becoming 0.1000...01). */
static int json_precision(const json_t *j)
{
	const char *key;
	json_t *val;
	int p = 15, q;
	switch (json_typeof(j)) {
	case JSON_REAL:
		return response_real_precision(json_real_value(j));
	case JSON_ARRAY:
		for (size_t i = 0; i < json_array_size(j); i++)
			if ((q = json_precision(json_array_get(j, i))) > p)
				p = q;
		return p;
	case JSON_OBJECT:
		json_object_foreach((json_t *)j, key, val)
			if ((q = json_precision(val)) > p)
				p = q;
		return p;
	default:
		return p;
	}
}

static char *json_dump(const json_t *j, kt_error *err)
{
	size_t flags = JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY |
		       JSON_REAL_PRECISION(json_precision(j));
	char *s = json_dumps(j, flags);
	if (!s) {
		kt_fail(err, KT_E_INTERNAL, "Jansson could not format the JSON");
		return NULL;
	}
	/* end with a newline, as libxml2's output does */
	size_t n = strlen(s);
	char *out = kt_xmalloc(n + 2);
	memcpy(out, s, n);
	out[n] = '\n';
	out[n + 1] = '\0';
	free(s);
	return out;
}

static char *json_pretty(const char *body, size_t len, kt_error *err)
{
	json_t *j = json_read(body, len, err);
	if (!j)
		return NULL;
	char *out = json_dump(j, err);
	json_decref(j);
	return out;
}

char *response_pretty(const char *body, size_t len, int format, kt_error *err)
{
	if (!body)
		len = 0, body = "";
	if (response_check_body(body, len, format, err))
		return NULL;
	return format == KT_FORMAT_XML ? xml_pretty(body, len, err) : json_pretty(body, len, err);
}
