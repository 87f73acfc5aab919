#include "codegen.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "utf8.h"
#include "util.h"

#define MAX_PLUGINS 32
#define MAX_ENVS 16

typedef struct gen {
	codegen_lang lang;
	const kt_request *r;
	const kt_request *uploads; /* the request as given: its files (r holds them as values) */
	const schema *s;
	const schema_action *act; /* NULL only for curl */
	kt_buf body;              /* the statements before the call */
	bool ks;                  /* the example sets the client's KS */
	const char *plugins[MAX_PLUGINS];
	size_t nplugins;
	const char *envs[MAX_ENVS];
	size_t nenvs;
	kt_error *err;
} gen;

/* What a value must be: a parameter's or a property's declared type. */
typedef struct ptype {
	const char *type; /* int, bigint, float, bool, string, file, array, map or a class */
	const schema_enum *enm;
	const schema_class *cls;
	const char *item_type; /* arrays and maps */
	const schema_class *item_cls;
} ptype;

/* Where a value goes, which decides how it is assigned. */
typedef enum { AT_TOP, AT_PROP, AT_ITEM, AT_KEY } at_kind;

static const struct {
	const char *name;
	codegen_lang lang;
} lang_names[] = {
	{"curl", CODEGEN_CURL},     {"php", CODEGEN_PHP},   {"python", CODEGEN_PYTHON},
	{"py", CODEGEN_PYTHON},     {"node", CODEGEN_NODE}, {"nodejs", CODEGEN_NODE},
	{"js", CODEGEN_NODE},
};

bool codegen_lang_from_name(const char *name, codegen_lang *lang)
{
	for (size_t i = 0; i < sizeof lang_names / sizeof lang_names[0]; i++)
		if (!strcasecmp(name, lang_names[i].name)) {
			*lang = lang_names[i].lang;
			return true;
		}
	return false;
}

const char *codegen_lang_name(codegen_lang lang)
{
	switch (lang) {
	case CODEGEN_CURL: return "curl";
	case CODEGEN_PHP: return "PHP";
	case CODEGEN_PYTHON: return "Python";
	case CODEGEN_NODE: return "Node.js";
	}
	return "?";
}

static const struct {
	const char *name, *env;
} secret_envs[] = {
	{"ks", "KALTURA_KS"},
	{"secret", "KALTURA_ADMIN_SECRET"},
	{"adminSecret", "KALTURA_ADMIN_SECRET"},
	{"userSecret", "KALTURA_USER_SECRET"},
	{"password", "KALTURA_PASSWORD"},
	{"oldPassword", "KALTURA_OLD_PASSWORD"},
	{"newPassword", "KALTURA_NEW_PASSWORD"},
	{"token", "KALTURA_APP_TOKEN"},
};

const char *codegen_secret_env(const char *name)
{
	if (!request_is_secret_name(name))
		return NULL;
	const char *last = strrchr(name, ':');
	last = last ? last + 1 : name;
	for (size_t i = 0; i < sizeof secret_envs / sizeof secret_envs[0]; i++)
		if (!strcasecmp(last, secret_envs[i].name))
			return secret_envs[i].env;
	/* a name request.c learned later than this table */
	return "KALTURA_SECRET";
}

/* A multirequest back-reference such as {1:result}: not a credential, it must stay as is. */
static bool is_reference(const char *v)
{
	return v[0] == '{' && isdigit((unsigned char)v[1]) && strchr(v, '}');
}

/* The environment variable for a value, or NULL when the value is pasted. */
static const char *value_env(const char *name, const char *value)
{
	return is_reference(value) ? NULL : codegen_secret_env(name);
}

static void use_env(gen *g, const char *env)
{
	for (size_t i = 0; i < g->nenvs; i++)
		if (!strcmp(g->envs[i], env))
			return;
	if (g->nenvs < MAX_ENVS)
		g->envs[g->nenvs++] = env;
}

static void use_plugin(gen *g, const char *plugin)
{
	if (!plugin || !*plugin)
		return;
	for (size_t i = 0; i < g->nplugins; i++)
		if (!strcmp(g->plugins[i], plugin))
			return;
	if (g->nplugins < MAX_PLUGINS)
		g->plugins[g->nplugins++] = plugin;
}

const schema_action *codegen_find_action(const schema *s, const char *service, const char *action,
					 kt_error *err)
{
	const char *near[3];
	size_t n;
	const schema_service *svc = schema_find_service(s, service);
	if (!svc) {
		n = schema_suggest_services(s, service, near, 1);
		kt_fail(err, KT_E_USAGE, "service '%s' is not in the API schema %s%s%s%s", service,
			s->path, n ? " (did you mean " : "", n ? near[0] : "", n ? "?)" : "");
		return NULL;
	}
	const schema_action *a = schema_find_action(svc, action);
	if (!a) {
		n = schema_suggest_actions(svc, action, near, 1);
		kt_fail(err, KT_E_USAGE, "service %s has no action '%s' in the API schema %s%s%s%s",
			svc->name, action, s->path, n ? " (did you mean " : "", n ? near[0] : "",
			n ? "?)" : "");
	}
	return a;
}

/* ---- text ---- */

/* Shell: single quotes keep every byte; a quote itself is closed, escaped and reopened. */
static void quote_sh(kt_buf *b, const char *s)
{
	kt_buf_addc(b, '\'');
	for (; *s; s++)
		if (*s == '\'')
			kt_buf_adds(b, "'\\''");
		else
			kt_buf_addc(b, *s);
	kt_buf_addc(b, '\'');
}

/* PHP single quotes: only backslash and quote are special; any byte may stand. */
static void quote_php(kt_buf *b, const char *s)
{
	kt_buf_addc(b, '\'');
	for (; *s; s++) {
		if (*s == '\\' || *s == '\'')
			kt_buf_addc(b, '\\');
		kt_buf_addc(b, *s);
	}
	kt_buf_addc(b, '\'');
}

/* Python and JavaScript: control characters escaped, other UTF-8 kept as it is. */
static void quote_c(kt_buf *b, const char *s, char q, bool js)
{
	kt_buf_addc(b, q);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\\' || *p == (unsigned char)q) {
			kt_buf_addc(b, '\\');
			kt_buf_addc(b, (char)*p);
		} else if (*p == '\n') {
			kt_buf_adds(b, "\\n");
		} else if (*p == '\r') {
			kt_buf_adds(b, "\\r");
		} else if (*p == '\t') {
			kt_buf_adds(b, "\\t");
		} else if (*p < 0x20 || *p == 0x7f) {
			kt_buf_printf(b, "\\x%02x", *p);
		} else if (js && p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)) {
			/* U+2028 and U+2029 end a line inside older JavaScript strings */
			kt_buf_printf(b, "\\u%04x", p[2] == 0xa8 ? 0x2028 : 0x2029);
			p += 2;
		} else {
			kt_buf_addc(b, (char)*p);
		}
	}
	kt_buf_addc(b, q);
}

/* A string literal of the example's language. what names the value in an error. */
static int add_quoted(gen *g, kt_buf *b, const char *s, const char *what)
{
	switch (g->lang) {
	case CODEGEN_CURL:
		quote_sh(b, s);
		return 0;
	case CODEGEN_PHP:
		quote_php(b, s);
		return 0;
	case CODEGEN_PYTHON:
	case CODEGEN_NODE:
		break;
	}
	if (!utf8_valid(s, strlen(s)))
		return kt_fail(g->err, KT_E_USAGE, "%s is not valid UTF-8, which a %s example cannot hold",
			       what, codegen_lang_name(g->lang));
	quote_c(b, s, g->lang == CODEGEN_PYTHON ? '"' : '\'', g->lang == CODEGEN_NODE);
	return 0;
}

/* -?[0-9]+(.[0-9]+)?([eE][-+]?[0-9]+)? : a number every one of the languages reads alike. */
static bool is_decimal(const char *s)
{
	if (*s == '-')
		s++;
	if (!isdigit((unsigned char)*s))
		return false;
	while (isdigit((unsigned char)*s))
		s++;
	if (*s == '.') {
		if (!isdigit((unsigned char)*++s))
			return false;
		while (isdigit((unsigned char)*s))
			s++;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '-' || *s == '+')
			s++;
		if (!isdigit((unsigned char)*s))
			return false;
		while (isdigit((unsigned char)*s))
			s++;
	}
	return !*s;
}

/* 1 true, 0 false, -1 neither; the server reads 1/0 and true/false. */
static int parse_bool(const char *v)
{
	if (!strcmp(v, "1") || !strcasecmp(v, "true"))
		return 1;
	if (!strcmp(v, "0") || !strcasecmp(v, "false"))
		return 0;
	return -1;
}

static bool is_list_type(const ptype *t)
{
	return t->type && (!strcmp(t->type, "array") || !strcmp(t->type, "map"));
}

static const char *node_name(const char *kaltura_name)
{
	/* the Node.js client drops the prefix: KalturaCategoryFilter is objects.CategoryFilter */
	return strncmp(kaltura_name, "Kaltura", 7) ? kaltura_name : kaltura_name + 7;
}

/* ---- identifiers ---- */

static bool in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(s, *list))
			return true;
	return false;
}

static const char *const py_keywords[] = {
	"False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
	"continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
	"if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return",
	"try", "while", "with", "yield", NULL,
};

static const char *const js_reserved[] = {
	"arguments", "await", "break", "case", "catch", "class", "const", "continue", "debugger",
	"default", "delete", "do", "else", "enum", "eval", "export", "extends", "false", "finally",
	"for", "function", "if", "implements", "import", "in", "instanceof", "interface", "let",
	"new", "null", "package", "private", "protected", "public", "return", "static", "super",
	"switch", "this", "throw", "true", "try", "typeof", "undefined", "var", "void", "while",
	"with", "yield", NULL,
};

/* Names the example itself defines. */
static const char *const php_taken[] = {"config", "client", "result", "this", NULL};
static const char *const py_taken[] = {"config", "client", "result", "os", NULL};
static const char *const js_taken[] = {"config", "client", "result", "kaltura", "multiRequest",
					NULL};

/* The variable that holds a top-level parameter: its name, with '_' added when the language
 * or the example already uses that name. */
static void add_var(gen *g, kt_buf *b, const char *name)
{
	bool taken = false;
	switch (g->lang) {
	case CODEGEN_PHP:
		kt_buf_addc(b, '$');
		taken = in_list(name, php_taken);
		break;
	case CODEGEN_PYTHON:
		taken = in_list(name, py_keywords) || in_list(name, py_taken);
		break;
	case CODEGEN_NODE:
		taken = in_list(name, js_reserved) || in_list(name, js_taken);
		break;
	case CODEGEN_CURL:
		break;
	}
	kt_buf_adds(b, name);
	if (taken)
		kt_buf_addc(b, '_');
}

/* Python's client renames members that are keywords ("not" becomes "not_"). */
static void add_attr(gen *g, kt_buf *b, const char *name)
{
	kt_buf_adds(b, name);
	if (g->lang == CODEGEN_PYTHON && in_list(name, py_keywords))
		kt_buf_addc(b, '_');
}

/* ---- statements ---- */

/* Starts "target = " (or "list.append(" for a Python list item) for the value that follows. */
static void begin_assign(gen *g, const char *target, const char *list, at_kind at)
{
	if (g->lang == CODEGEN_PYTHON && at == AT_ITEM) {
		kt_buf_printf(&g->body, "%s.append(", list);
		return;
	}
	if (g->lang == CODEGEN_NODE && at == AT_TOP)
		kt_buf_adds(&g->body, "let ");
	kt_buf_printf(&g->body, "%s = ", target);
}

static void end_assign(gen *g, at_kind at)
{
	if (g->lang == CODEGEN_PYTHON && at == AT_ITEM)
		kt_buf_addc(&g->body, ')');
	if (g->lang != CODEGEN_PYTHON)
		kt_buf_addc(&g->body, ';');
	kt_buf_addc(&g->body, '\n');
}

static void add_env_expr(gen *g, kt_buf *b, const char *env)
{
	use_env(g, env);
	switch (g->lang) {
	case CODEGEN_PHP: kt_buf_printf(b, "getenv('%s')", env); break;
	case CODEGEN_PYTHON: kt_buf_printf(b, "os.environ[\"%s\"]", env); break;
	case CODEGEN_NODE: kt_buf_printf(b, "process.env.%s", env); break;
	case CODEGEN_CURL: kt_buf_printf(b, "$%s", env); break;
	}
}

static void add_ctor(gen *g, kt_buf *b, const schema_class *c)
{
	use_plugin(g, c->plugin);
	switch (g->lang) {
	case CODEGEN_PHP: kt_buf_printf(b, "new %s()", c->name); break;
	case CODEGEN_PYTHON: kt_buf_printf(b, "%s()", c->name); break;
	case CODEGEN_NODE: kt_buf_printf(b, "new kaltura.objects.%s()", node_name(c->name)); break;
	case CODEGEN_CURL: break;
	}
}

/* A value as a literal of its declared type: enum constant, number, boolean or string. */
static int add_literal(gen *g, kt_buf *b, const char *v, const ptype *t, const char *path)
{
	const char *type = t->type ? t->type : "string";
	const schema_const *c = t->enm ? schema_enum_find_value(t->enm, v) : NULL;
	long long n;
	int truth;
	if (c) {
		use_plugin(g, t->enm->plugin);
		switch (g->lang) {
		case CODEGEN_PHP: kt_buf_printf(b, "%s::%s", t->enm->name, c->name); break;
		case CODEGEN_PYTHON: kt_buf_printf(b, "%s.%s", t->enm->name, c->name); break;
		case CODEGEN_NODE:
			kt_buf_printf(b, "kaltura.enums.%s.%s", node_name(t->enm->name), c->name);
			break;
		case CODEGEN_CURL: break;
		}
		return 0;
	}
	if ((!strcmp(type, "int") || !strcmp(type, "bigint")) && kt_parse_ll(v, &n)) {
		kt_buf_printf(b, "%lld", n);
		return 0;
	}
	if (!strcmp(type, "float") && is_decimal(v)) {
		kt_buf_adds(b, v);
		return 0;
	}
	if (!strcmp(type, "bool") && (truth = parse_bool(v)) >= 0) {
		if (g->lang == CODEGEN_PYTHON)
			kt_buf_adds(b, truth ? "True" : "False");
		else
			kt_buf_adds(b, truth ? "true" : "false");
		return 0;
	}
	char *what = kt_xasprintf("the value of '%s'", path);
	int rc;
	if (!strcmp(type, "file") && g->lang == CODEGEN_PYTHON) {
		/* the Python client uploads an open file; PHP and Node.js take the path */
		kt_buf_adds(b, "open(");
		rc = add_quoted(g, b, v, what);
		kt_buf_adds(b, ", \"rb\")");
	} else {
		rc = add_quoted(g, b, v, what);
	}
	free(what);
	return rc;
}

static int emit(gen *g, const char *target, const char *list, at_kind at, const param *p,
		const ptype *t, const char *path);

static int emit_null(gen *g, const char *target, const char *list, at_kind at, const ptype *t)
{
	if (g->lang == CODEGEN_NODE && at == AT_PROP) {
		kt_buf_adds(&g->body, "// the Node.js client leaves nulls out; name__null sets one\n");
		kt_buf_printf(&g->body, "%s__null = '';\n", target);
		return 0;
	}
	begin_assign(g, target, list, at);
	switch (g->lang) {
	case CODEGEN_PHP:
		/* an object or array parameter takes no KalturaNull: null leaves it out */
		if (at == AT_PROP || (at == AT_TOP && !t->cls && !is_list_type(t)))
			kt_buf_adds(&g->body, "KalturaNull::getInstance()");
		else
			kt_buf_adds(&g->body, "null");
		break;
	case CODEGEN_PYTHON: kt_buf_adds(&g->body, "None"); break;
	case CODEGEN_NODE: kt_buf_adds(&g->body, "null"); break;
	case CODEGEN_CURL: break;
	}
	end_assign(g, at);
	return 0;
}

static int emit_value(gen *g, const char *target, const char *list, at_kind at, const param *p,
		      const ptype *t, const char *path)
{
	if (t->type && !strcmp(t->type, "array"))
		return kt_fail(g->err, KT_E_USAGE,
			       "'%s' is an array of %s: give its items as %s:0:NAME=VALUE", path,
			       t->item_type ? t->item_type : "values", path);
	if (t->type && !strcmp(t->type, "map"))
		return kt_fail(g->err, KT_E_USAGE,
			       "'%s' is a map of %s: give its items as %s:KEY:NAME=VALUE", path,
			       t->item_type ? t->item_type : "values", path);
	if (t->cls)
		return kt_fail(g->err, KT_E_USAGE,
			       "'%s' is a %s object: give its properties as %s:NAME=VALUE", path,
			       t->cls->name, path);
	begin_assign(g, target, list, at);
	const char *env = value_env(p->name, p->value);
	if (env)
		add_env_expr(g, &g->body, env);
	else if (add_literal(g, &g->body, p->value, t, path))
		return -1;
	end_assign(g, at);
	return 0;
}

static int cmp_keys(const void *a, const void *b)
{
	const char *x = (*(const param *const *)a)->name, *y = (*(const param *const *)b)->name;
	size_t lx = strlen(x), ly = strlen(y);
	bool nx = lx && strspn(x, "0123456789") == lx, ny = ly && strspn(y, "0123456789") == ly;
	/* numbers in numeric order, as the server sorts the items of an array */
	if (nx && ny && lx != ly)
		return lx < ly ? -1 : 1;
	return strcmp(x, y);
}

static int emit_list(gen *g, const char *target, const char *list, at_kind at, const param *p,
		     const ptype *t, const char *path)
{
	bool map = !strcmp(t->type, "map");
	begin_assign(g, target, list, at);
	if (g->lang == CODEGEN_PHP)
		kt_buf_adds(&g->body, "array()");
	else
		kt_buf_adds(&g->body, map ? "{}" : "[]");
	end_assign(g, at);

	size_t n = 0;
	for (const param *c = p->first; c; c = c->next)
		n++;
	const param **items = kt_xcalloc(n, sizeof *items);
	n = 0;
	for (const param *c = p->first; c; c = c->next)
		items[n++] = c;
	qsort(items, n, sizeof *items, cmp_keys);

	ptype it = {.type = t->item_type, .cls = t->item_cls};
	kt_buf ctarget, cpath;
	kt_buf_init(&ctarget);
	kt_buf_init(&cpath);
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		kt_buf_reset(&ctarget);
		kt_buf_reset(&cpath);
		kt_buf_printf(&cpath, "%s:%s", path, items[i]->name);
		kt_buf_printf(&ctarget, "%s[", target);
		if (map) {
			char *what = kt_xasprintf("the key '%s'", cpath.data);
			rc = add_quoted(g, &ctarget, items[i]->name, what);
			free(what);
		} else {
			kt_buf_printf(&ctarget, "%zu", i);
		}
		kt_buf_addc(&ctarget, ']');
		if (!rc)
			rc = emit(g, ctarget.data, target, map ? AT_KEY : AT_ITEM, items[i], &it,
				  cpath.data);
	}
	kt_buf_free(&ctarget);
	kt_buf_free(&cpath);
	free(items);
	return rc;
}

static int emit_object(gen *g, const char *target, const char *list, at_kind at, const param *p,
		       const ptype *t, const char *path)
{
	const schema_class *c = t->cls;
	if (p->kind == PARAM_ARRAY)
		return kt_fail(g->err, KT_E_USAGE, "'%s' is a %s object, not an array", path,
			       c->name);
	const param *ot = NULL;
	for (const param *k = p->first; k; k = k->next)
		if (!strcmp(k->name, "objectType") && k->kind == PARAM_VALUE)
			ot = k;
	if (ot) {
		const schema_class *sub = schema_find_class(g->s, ot->value);
		if (!sub)
			return kt_fail(g->err, KT_E_USAGE,
				       "'%s:objectType' names '%s', which is not a class in the API schema",
				       path, ot->value);
		if (!schema_is_subclass(g->s, sub->name, c->name))
			return kt_fail(g->err, KT_E_USAGE,
				       "'%s:objectType' is %s, which is not a kind of %s", path,
				       sub->name, c->name);
		c = sub;
	}
	if (c->abstract) {
		size_t n;
		const schema_class *const *concrete = schema_class_concrete(c, &n);
		return kt_fail(g->err, KT_E_USAGE,
			       "'%s' is a %s, which is abstract: choose a type with %s:objectType=%s",
			       path, c->name, path, n ? concrete[0]->name : "TYPE");
	}
	begin_assign(g, target, list, at);
	add_ctor(g, &g->body, c);
	end_assign(g, at);

	kt_buf ctarget, cpath;
	kt_buf_init(&ctarget);
	kt_buf_init(&cpath);
	int rc = 0;
	for (const param *k = p->first; k && !rc; k = k->next) {
		if (!strcmp(k->name, "objectType"))
			continue;
		const schema_property *prop = schema_class_find_property(c, k->name);
		if (!prop) {
			rc = kt_fail(g->err, KT_E_USAGE, "%s has no property '%s' (in '%s:%s')",
				     c->name, k->name, path, k->name);
			break;
		}
		ptype pt = {
			.type = prop->type, .enm = prop->enumeration, .cls = prop->type_class,
			.item_type = prop->array_type, .item_cls = prop->array_class,
		};
		kt_buf_reset(&ctarget);
		kt_buf_reset(&cpath);
		kt_buf_printf(&ctarget, "%s%s", target, g->lang == CODEGEN_PHP ? "->" : ".");
		add_attr(g, &ctarget, k->name);
		kt_buf_printf(&cpath, "%s:%s", path, k->name);
		rc = emit(g, ctarget.data, NULL, AT_PROP, k, &pt, cpath.data);
	}
	kt_buf_free(&ctarget);
	kt_buf_free(&cpath);
	return rc;
}

/* The statements that give target the value of p. */
static int emit(gen *g, const char *target, const char *list, at_kind at, const param *p,
		const ptype *t, const char *path)
{
	if (p->kind == PARAM_NULL)
		return emit_null(g, target, list, at, t);
	if (p->kind == PARAM_VALUE)
		return emit_value(g, target, list, at, p, t, path);
	if (is_list_type(t))
		return emit_list(g, target, list, at, p, t, path);
	if (t->cls)
		return emit_object(g, target, list, at, p, t, path);
	return kt_fail(g->err, KT_E_USAGE,
		       "'%s' is a %s value, not an object or array: give it as %s=VALUE", path,
		       t->type ? t->type : "simple", path);
}

/* ---- curl ---- */

static bool takes_secret(const kt_request *r)
{
	return r->action && !strcasecmp(r->service, "session") &&
	       (!strcasecmp(r->action, "start") || !strcasecmp(r->action, "impersonate"));
}

/* A credential the call cannot do without that was not given: the example reads it from the
 * environment, as `ktestme call` fills session.start's secret from KALTURA_ADMIN_SECRET. */
static bool missing_credential(const gen *g, const char *name, bool optional)
{
	if (param_find(g->r->params, name) || !codegen_secret_env(name))
		return false;
	if (g->act)
		return !optional;
	return takes_secret(g->r) && !strcmp(name, "secret");
}

static bool wants_ks(const gen *g)
{
	return g->r->ks || (g->act && g->act->session_required == SCHEMA_KS_ALWAYS);
}

static bool is_file_param(const gen *g, const char *name)
{
	if (g->uploads && request_find_file(g->uploads, name))
		return true;
	const schema_param *sp = g->act ? schema_find_param(g->act, name) : NULL;
	return sp && sp->type && !strcmp(sp->type, "file");
}

typedef struct curl_ctx {
	gen *g;
	kt_buf *opts;
	bool multipart;
} curl_ctx;

static void curl_opt(curl_ctx *cc, const char *key, const char *suffix, const char *value,
		     const char *env, bool file)
{
	kt_buf *b = cc->opts;
	kt_buf k;
	kt_buf_init(&k);
	/* --data-urlencode sends the name as it is: encode the rare name that needs it */
	if (!cc->multipart && strspn(key, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				     "0123456789_.~:-") != strlen(key)) {
		char *e = curl_easy_escape(NULL, key, (int)strlen(key));
		kt_buf_adds(&k, e ? e : key);
		curl_free(e);
	} else {
		kt_buf_adds(&k, key);
	}
	kt_buf_adds(&k, suffix);
	kt_buf_adds(b, " \\\n  ");
	if (file) {
		/* -F name=@"path": the quotes keep ';' and ',' in a file name */
		kt_buf_adds(&k, "=@\"");
		for (const char *s = value; *s; s++) {
			if (*s == '"' || *s == '\\')
				kt_buf_addc(&k, '\\');
			kt_buf_addc(&k, *s);
		}
		kt_buf_addc(&k, '"');
		kt_buf_adds(b, "-F ");
		quote_sh(b, k.data);
	} else if (env) {
		use_env(cc->g, env);
		kt_buf_printf(b, "%s \"%s=$%s\"",
			      cc->multipart ? "--form-string" : "--data-urlencode", k.data, env);
	} else {
		kt_buf_addc(&k, '=');
		kt_buf_adds(&k, value);
		kt_buf_adds(b, cc->multipart ? "--form-string " : "--data-urlencode ");
		quote_sh(b, k.data);
	}
	kt_buf_free(&k);
}

/* The walk request_form_body makes, so the command sends what `ktestme call` sends. */
static void curl_visit(const char *key, const char *suffix, const param *p, bool top, void *ud)
{
	curl_ctx *cc = ud;
	/* a multirequest item's upload is "N:fileData" */
	bool file = cc->multipart && (top ? is_file_param(cc->g, p->name) :
				      request_find_file(cc->g->uploads, key) != NULL);
	if (p->kind == PARAM_VALUE)
		curl_opt(cc, key, "", p->value, value_env(p->name, p->value), file);
	else
		curl_opt(cc, key, suffix, "", NULL, false);
}

static void env_comment(gen *g, kt_buf *out, const char *mark)
{
	if (!g->nenvs)
		return;
	kt_buf_printf(out, "%s Credentials are read from the environment, never written here:", mark);
	for (size_t i = 0; i < g->nenvs; i++)
		kt_buf_printf(out, "%s %s", i ? "," : "", g->envs[i]);
	kt_buf_adds(out, ".\n");
}

static int gen_curl(gen *g, kt_buf *out, const char *service_url)
{
	const kt_request *r = g->r;
	kt_buf opts;
	kt_buf_init(&opts);
	curl_ctx cc = {.g = g, .opts = &opts, .multipart = g->uploads->nfiles > 0};
	for (const param *c = r->params->first; c; c = c->next)
		if (c->kind == PARAM_VALUE && is_file_param(g, c->name))
			cc.multipart = true;

	if (wants_ks(g))
		curl_opt(&cc, "ks", "", "", "KALTURA_KS", false);
	if (r->partner_id)
		curl_opt(&cc, "partnerId", "", r->partner_id, NULL, false);
	if (r->client_tag)
		curl_opt(&cc, "clientTag", "", r->client_tag, NULL, false);
	if (r->api_version)
		curl_opt(&cc, "apiVersion", "", r->api_version, NULL, false);
	if (r->language)
		curl_opt(&cc, "language", "", r->language, NULL, false);
	char fmt[16];
	snprintf(fmt, sizeof fmt, "%d", r->format);
	curl_opt(&cc, "format", "", fmt, NULL, false);
	param_walk(r->params, curl_visit, &cc);
	if (g->act) {
		for (size_t i = 0; i < g->act->nparams; i++) {
			const schema_param *sp = &g->act->params[i];
			const char *env = codegen_secret_env(sp->name);
			if (missing_credential(g, sp->name, sp->optional))
				curl_opt(&cc, sp->name, "", "", env, false);
		}
	} else if (missing_credential(g, "secret", false)) {
		curl_opt(&cc, "secret", "", "", codegen_secret_env("secret"), false);
	}

	env_comment(g, out, "#");
	/* a plugin's service goes on the wire by its id (metadata_metadata) */
	kt_request named = *r;
	if (g->act) {
		named.service = kt_xstrdup(g->act->service->id);
		named.action = kt_xstrdup(g->act->name);
	}
	char *url = request_url(&named, service_url);
	if (g->act) {
		free(named.service);
		free(named.action);
	}
	kt_buf_adds(out, "curl -sS -X POST ");
	quote_sh(out, url);
	free(url);
	kt_buf_add(out, opts.data, opts.len);
	kt_buf_addc(out, '\n');
	kt_buf_free(&opts);
	return 0;
}

/* ---- PHP, Python, Node.js ---- */

static bool is_php_reserved_action(const char *a)
{
	/* the PHP client's generator renames exactly these */
	return !strcmp(a, "list") || !strcmp(a, "clone") || !strcmp(a, "goto");
}

static bool is_node_reserved_action(const char *a)
{
	return !strcmp(a, "list") || !strcmp(a, "clone") || !strcmp(a, "delete") ||
	       !strcmp(a, "export");
}

static char *ucfirst(const char *s)
{
	char *u = kt_xstrdup(s);
	u[0] = (char)toupper((unsigned char)u[0]);
	return u;
}

/* The statements for every parameter given, in the schema's order, and the argument list;
 * missing gets the required parameters that were not given. */
static int gen_arguments(gen *g, kt_buf *args, kt_buf *missing)
{
	const schema_action *a = g->act;
	bool *given = kt_xcalloc(a->nparams + 1, sizeof *given);
	size_t last = 0;
	int rc = 0;
	kt_buf var;
	kt_buf_init(&var);
	for (size_t i = 0; i < a->nparams && !rc; i++) {
		const schema_param *sp = &a->params[i];
		const param *p = NULL;
		for (const param *c = g->r->params->first; c; c = c->next)
			if (!strcmp(c->name, sp->name))
				p = c;
		bool from_env = missing_credential(g, sp->name, sp->optional);
		if (!p && !from_env) {
			/* passed as null: a PHP or Python call cannot leave it out */
			if (!sp->optional) {
				kt_buf_printf(missing, "%s%s", missing->len ? ", " : "", sp->name);
				last = i + 1;
			}
			continue;
		}
		kt_buf_reset(&var);
		add_var(g, &var, sp->name);
		ptype t = {
			.type = sp->type, .enm = sp->enumeration, .cls = sp->type_class,
			.item_type = sp->array_type, .item_cls = sp->array_class,
		};
		if (p) {
			rc = emit(g, var.data, NULL, AT_TOP, p, &t, sp->name);
		} else {
			begin_assign(g, var.data, NULL, AT_TOP);
			add_env_expr(g, &g->body, codegen_secret_env(sp->name));
			end_assign(g, AT_TOP);
		}
		given[i] = true;
		last = i + 1;
	}

	bool gap = false;
	size_t nargs = 0;
	for (size_t i = 0; i < last && !rc; i++) {
		const schema_param *sp = &a->params[i];
		const char *sep_arg = nargs ? ", " : "";
		if (g->lang != CODEGEN_PYTHON) {
			/* PHP and Node.js leave a null argument out of the request */
			kt_buf_adds(args, sep_arg);
			if (given[i])
				add_var(g, args, sp->name);
			else
				kt_buf_adds(args, "null");
			nargs++;
			continue;
		}
		/* Python sends None as name__null: skipped optional arguments go by keyword */
		if (!given[i] && sp->optional) {
			gap = true;
			continue;
		}
		kt_buf_adds(args, sep_arg);
		if (gap) {
			add_attr(g, args, sp->name);
			kt_buf_addc(args, '=');
		}
		if (given[i])
			add_var(g, args, sp->name);
		else
			kt_buf_adds(args, "None");
		nargs++;
	}
	kt_buf_free(&var);
	free(given);
	return rc;
}

/* Every parameter given must be the action's: the client takes nothing else. */
static int check_params(gen *g)
{
	const schema_action *a = g->act;
	for (const param *c = g->r->params->first; c; c = c->next) {
		if (schema_find_param(a, c->name))
			continue;
		kt_buf names;
		kt_buf_init(&names);
		for (size_t i = 0; i < a->nparams; i++)
			kt_buf_printf(&names, "%s%s", i ? ", " : "", a->params[i].name);
		kt_fail(g->err, KT_E_USAGE, "%s.%s has no parameter '%s' (%s%s)", a->service->name,
			a->name, c->name, a->nparams ? "its parameters: " : "it takes none",
			a->nparams ? names.data : "");
		kt_buf_free(&names);
		return -1;
	}
	return 0;
}

/* The statements, a blank line, then what comes before the call. */
static void add_body(gen *g, kt_buf *out, const char *call)
{
	kt_buf_addc(out, '\n');
	if (g->body.len) {
		kt_buf_add(out, g->body.data, g->body.len);
		kt_buf_addc(out, '\n');
	}
	kt_buf_adds(out, call);
}

static void php_head(gen *g, kt_buf *out, const char *url)
{
	kt_buf_adds(out, "<?php\nrequire_once 'KalturaClient.php';\n"
			 "// or, installed with Composer (kaltura/api-client-library): "
			 "require_once 'vendor/autoload.php';\n");
	for (size_t i = 0; i < g->nplugins; i++) {
		char *plugin = ucfirst(g->plugins[i]);
		kt_buf_printf(out, "require_once 'KalturaPlugins/Kaltura%sClientPlugin.php';\n",
			      plugin);
		free(plugin);
	}
	kt_buf_printf(out, "\n$config = new KalturaConfiguration();\n$config->serviceUrl = %s;\n"
			   "$client = new KalturaClient($config);\n", url);
	if (g->r->partner_id)
		kt_buf_printf(out, "$client->setPartnerId(%s);\n", g->r->partner_id);
	env_comment(g, out, "//");
	if (g->ks)
		kt_buf_adds(out, "$client->setKs(getenv('KALTURA_KS'));\n");
}

/* The client call of g->act with args, as an expression. */
static void php_call(gen *g, kt_buf *out, const char *args)
{
	const schema_action *a = g->act;
	const schema_service *svc = a->service;
	if (svc->plugin) {
		char *plugin = ucfirst(svc->plugin);
		kt_buf_printf(out, "Kaltura%sClientPlugin::get($client)->", plugin);
		free(plugin);
	} else {
		kt_buf_adds(out, "$client->");
	}
	kt_buf_printf(out, "%s->%s%s(%s)", svc->name, a->name,
		      is_php_reserved_action(a->name) ? "Action" : "", args);
}

static void py_head(gen *g, kt_buf *out, const char *url)
{
	if (g->nenvs)
		kt_buf_adds(out, "import os\n\n");
	kt_buf_adds(out, "from KalturaClient import *\nfrom KalturaClient.Plugins.Core import *\n");
	for (size_t i = 0; i < g->nplugins; i++) {
		char *plugin = ucfirst(g->plugins[i]);
		kt_buf_printf(out, "from KalturaClient.Plugins.%s import *\n", plugin);
		free(plugin);
	}
	/* the client's objects print as <... object at 0x...>: show their fields instead */
	kt_buf_adds(out,
		    "\n\ndef show(value, indent=\"\"):\n"
		    "    \"\"\"Prints a result's fields, nested objects and lists too.\"\"\"\n"
		    "    if isinstance(value, list):\n"
		    "        for i, item in enumerate(value):\n"
		    "            print(\"%s[%d]\" % (indent, i))\n"
		    "            show(item, indent + \"  \")\n"
		    "        return\n"
		    "    if not hasattr(value, \"__dict__\"):\n"
		    "        print(indent + str(value))\n"
		    "        return\n"
		    "    print(indent + value.__class__.__name__)\n"
		    "    for name, field in vars(value).items():\n"
		    "        if field is NotImplemented:\n"
		    "            continue\n"
		    "        if hasattr(field, \"value\") and len(vars(field)) == 1:\n"
		    "            field = field.value  # an enum\n"
		    "        if isinstance(field, list) or hasattr(field, \"__dict__\"):\n"
		    "            print(\"%s  %s:\" % (indent, name))\n"
		    "            show(field, indent + \"    \")\n"
		    "        else:\n"
		    "            print(\"%s  %s: %s\" % (indent, name, field))\n\n");
	kt_buf_printf(out, "\nconfig = KalturaConfiguration()\nconfig.serviceUrl = %s\n"
			   "client = KalturaClient(config)\n", url);
	if (g->r->partner_id)
		kt_buf_printf(out, "client.setPartnerId(%s)\n", g->r->partner_id);
	env_comment(g, out, "#");
	if (g->ks)
		kt_buf_adds(out, "client.setKs(os.environ[\"KALTURA_KS\"])\n");
}

static void py_call(gen *g, kt_buf *out, const char *args)
{
	const schema_action *a = g->act;
	kt_buf_adds(out, "client.");
	/* a plugin's services hang under the plugin's name */
	if (a->service->plugin)
		kt_buf_printf(out, "%s.", a->service->plugin);
	kt_buf_printf(out, "%s.%s(%s)", a->service->name, a->name, args);
}

static void node_head(gen *g, kt_buf *out, const char *url)
{
	kt_buf_printf(out, "const kaltura = require('kaltura-client');\n\n"
			   "const config = new kaltura.Configuration();\nconfig.serviceUrl = %s;\n"
			   "// the client logs every request, credentials included, unless told not to\n"
			   "config.setLogger(null);\n"
			   "const client = new kaltura.Client(config);\n", url);
	if (g->r->partner_id)
		kt_buf_printf(out, "client.setPartnerId(%s);\n", g->r->partner_id);
	env_comment(g, out, "//");
	if (g->ks)
		kt_buf_adds(out, "client.setKs(process.env.KALTURA_KS);\n");
}

static void node_call(gen *g, kt_buf *out, const char *args)
{
	const schema_action *a = g->act;
	kt_buf_printf(out, "kaltura.services.%s.%s%s(%s)", a->service->name, a->name,
		      is_node_reserved_action(a->name) ? "Action" : "", args);
}

/* Each client's opening (configuration, client, KS) and its call of g->act as an expression. */
static const struct {
	void (*head)(gen *g, kt_buf *out, const char *url);
	void (*call)(gen *g, kt_buf *out, const char *args);
} writers[] = {
	[CODEGEN_PHP] = {php_head, php_call},
	[CODEGEN_PYTHON] = {py_head, py_call},
	[CODEGEN_NODE] = {node_head, node_call},
};

static void write_head(gen *g, kt_buf *out, const char *url)
{
	writers[g->lang].head(g, out, url);
}

static void write_call(gen *g, kt_buf *out, const char *args)
{
	writers[g->lang].call(g, out, args);
}

/* The example's opening, once its calls are made (they name the environment variables and
 * plugins it uses); url gets the quoted service URL. */
static int open_example(gen *g, kt_buf *out, kt_buf *url, const char *service_url)
{
	if (add_quoted(g, url, service_url, "the service URL"))
		return -1;
	if (g->ks)
		use_env(g, "KALTURA_KS");
	write_head(g, out, url->data);
	return 0;
}

static const char node_then[] = "    .then(result => {\n"
				"        console.log(result);\n"
				"    })\n"
				"    .catch(err => console.error(err.code, err.message));\n";

/* One action's arguments: the statements that make them go to g->body, the list to args, and
 * a comment naming the required ones not given to note. -1 on what the client cannot take. */
static int client_arguments(gen *g, kt_buf *args, kt_buf *note)
{
	const schema_action *a = g->act;
	if (g->lang == CODEGEN_NODE && a->result_type && !strcmp(a->result_type, "file"))
		return kt_fail(g->err, KT_E_USAGE,
			       "the Node.js client has no %s.%s, as it answers a file: use the curl example",
			       a->service->name, a->name);
	if (check_params(g))
		return -1;
	kt_buf missing;
	kt_buf_init(&missing);
	int rc = gen_arguments(g, args, &missing);
	use_plugin(g, a->service->plugin);
	if (missing.len)
		kt_buf_printf(note, "%s required, but not given: %s\n",
			      g->lang == CODEGEN_PYTHON ? "#" : "//", missing.data);
	kt_buf_free(&missing);
	return rc;
}

static int gen_client(gen *g, kt_buf *out, const char *service_url)
{
	kt_buf args, url, call;
	kt_buf_init(&args);
	kt_buf_init(&url);
	kt_buf_init(&call);
	g->ks = wants_ks(g);
	int rc = client_arguments(g, &args, &call);
	if (!rc)
		rc = open_example(g, out, &url, service_url);
	if (!rc) {
		add_body(g, out, call.data ? call.data : "");
		if (g->lang == CODEGEN_PHP)
			kt_buf_adds(out, "$result = ");
		else if (g->lang == CODEGEN_PYTHON)
			kt_buf_adds(out, "result = ");
		write_call(g, out, args.data ? args.data : "");
		if (g->lang == CODEGEN_PHP)
			kt_buf_adds(out, ";\nprint_r($result);\n");
		else if (g->lang == CODEGEN_PYTHON)
			kt_buf_adds(out, "\nshow(result)\n");
		else
			kt_buf_printf(out, "\n    .execute(client)\n%s", node_then);
	}
	kt_buf_free(&args);
	kt_buf_free(&url);
	kt_buf_free(&call);
	return rc;
}

/* ---- multirequests in PHP, Python, Node.js ---- */

typedef struct copy_ctx {
	param *to;
	bool item;      /* a multirequest item: its ks is the item's own KS, not a parameter */
	size_t skipped; /* service and action, which name the item's call */
} copy_ctx;

static void copy_visit(const char *key, const char *suffix, const param *p, bool top, void *ud)
{
	copy_ctx *cc = ud;
	if (top && p->kind == PARAM_VALUE && (!strcmp(key, "service") || !strcmp(key, "action") ||
					      (cc->item && !strcmp(key, "ks")))) {
		cc->skipped++;
		return;
	}
	char *k = kt_xasprintf("%s%s", key, suffix);
	param_set(cc->to, k, p->kind == PARAM_VALUE ? p->value : "", NULL);
	free(k);
}

/* A copy of the parameters under from (an item's service, action and ks left out). */
static param *copy_params(const param *from, bool item)
{
	copy_ctx cc = {param_new(), item, 0};
	param_walk(from, copy_visit, &cc);
	return cc.to;
}

static void indent(kt_buf *out, const char *text, size_t len)
{
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) + 1 : len;
		kt_buf_adds(out, "    ");
		kt_buf_add(out, text + i, end - i);
		i = end;
	}
}

/* Item N of a multirequest: the statements and the call that queues it (PHP and Python queue
 * each call between startMultiRequest and doMultiRequest; Node.js adds it to a
 * MultiRequestBuilder). References "{1:result:id}" stay strings: each client sends them as
 * they are and the server resolves them. */
static int gen_item(gen *g, kt_buf *calls, const param *item, const kt_request *whole)
{
	const param *svc = param_find(item, "service"), *act = param_find(item, "action");
	if (!svc || !act || svc->kind != PARAM_VALUE || act->kind != PARAM_VALUE)
		return kt_fail(g->err, KT_E_USAGE, "multirequest item %s has no %s:service and %s:action",
			       item->name, item->name, item->name);
	if (!(g->act = codegen_find_action(g->s, svc->value, act->value, g->err)))
		return -1;
	kt_request sub = *whole;
	sub.service = svc->value;
	sub.action = act->value;
	sub.params = copy_params(item, true);
	g->r = &sub;
	kt_buf_reset(&g->body);
	kt_buf args, note;
	kt_buf_init(&args);
	kt_buf_init(&note);
	int rc = client_arguments(g, &args, &note);
	if (!rc) {
		const char *mark = g->lang == CODEGEN_PYTHON ? "#" : "//";
		kt_buf_printf(calls, "\n%s %s: %s.%s\n", mark, item->name, g->act->service->name,
			      g->act->name);
		kt_buf stmts, ks;
		kt_buf_init(&stmts);
		kt_buf_init(&ks);
		const param *own = param_find(item, "ks");
		if (own && own->kind == PARAM_VALUE) {
			/* the item's own KS, "{1:result}" after a session.start: never a KS pasted */
			if (is_reference(own->value))
				add_quoted(g, &ks, own->value, "the KS");
			else
				add_env_expr(g, &ks, "KALTURA_KS");
		}
		kt_buf_add(&stmts, g->body.data ? g->body.data : "", g->body.len);
		kt_buf_add(&stmts, note.data ? note.data : "", note.len);
		if (ks.len && g->lang != CODEGEN_NODE)
			kt_buf_printf(&stmts, "%s(%s)%s\n",
				      g->lang == CODEGEN_PHP ? "$client->setKs" : "client.setKs", ks.data,
				      g->lang == CODEGEN_PHP ? ";" : "");
		if (g->lang == CODEGEN_NODE) {
			/* a block each: the items' variables may share names */
			kt_buf_adds(&stmts, "multiRequest.add(");
			write_call(g, &stmts, args.data ? args.data : "");
			if (ks.len)
				kt_buf_printf(&stmts, ".setKs(%s)", ks.data);
			kt_buf_adds(&stmts, ");\n");
			kt_buf_adds(calls, "{\n");
			indent(calls, stmts.data, stmts.len);
			kt_buf_adds(calls, "}\n");
		} else {
			kt_buf_add(calls, stmts.data, stmts.len);
			write_call(g, calls, args.data ? args.data : "");
			kt_buf_adds(calls, g->lang == CODEGEN_PHP ? ";\n" : "\n");
			/* the client adds its KS to every call queued after: the next items and the
			 * multirequest itself go with the KS of before */
			if (ks.len && g->lang == CODEGEN_PHP)
				kt_buf_adds(calls, g->ks ? "$client->setKs(getenv('KALTURA_KS'));\n" :
						   "$client->setKs(null);\n");
			else if (ks.len)
				kt_buf_adds(calls, g->ks ? "client.setKs(os.environ[\"KALTURA_KS\"])\n" :
						   "client.requestConfiguration.pop(\"ks\", None)\n");
		}
		kt_buf_free(&stmts);
		kt_buf_free(&ks);
	}
	kt_buf_free(&args);
	kt_buf_free(&note);
	param_free(sub.params);
	g->r = whole;
	return rc;
}

static int gen_multi(gen *g, kt_buf *out, const char *service_url)
{
	const kt_request *r = g->r;
	size_t n = 0;
	for (const param *c = r->params->first; c; c = c->next) {
		size_t len = strlen(c->name);
		if (!len || strspn(c->name, "0123456789") != len || c->kind != PARAM_OBJECT)
			return kt_fail(g->err, KT_E_USAGE,
				       "'%s' belongs to no item: a multirequest's parameters are N:name=VALUE",
				       c->name);
		n++;
	}
	if (!n)
		return kt_fail(g->err, KT_E_USAGE,
			       "the multirequest has no items (1:service=S 1:action=A ...)");
	const param **items = kt_xcalloc(n, sizeof *items);
	n = 0;
	for (const param *c = r->params->first; c; c = c->next)
		items[n++] = c;
	qsort(items, n, sizeof *items, cmp_keys);
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		char want[24];
		snprintf(want, sizeof want, "%zu", i + 1);
		if (strcmp(items[i]->name, want))
			rc = kt_fail(g->err, KT_E_USAGE,
				     "multirequest items are numbered from 1 without gaps: %s, not %s, comes next",
				     want, items[i]->name);
	}
	g->ks = r->ks != NULL;
	for (size_t i = 0; i < n && !rc && !g->ks; i++) {
		const param *svc = param_find(items[i], "service"), *act = param_find(items[i], "action");
		if (param_find(items[i], "ks"))
			continue;
		const schema_action *a =
			svc && act && svc->kind == PARAM_VALUE && act->kind == PARAM_VALUE ?
				codegen_find_action(g->s, svc->value, act->value, NULL) : NULL;
		g->ks = a && a->session_required == SCHEMA_KS_ALWAYS;
	}
	kt_buf calls, url;
	kt_buf_init(&calls);
	kt_buf_init(&url);
	for (size_t i = 0; i < n && !rc; i++)
		rc = gen_item(g, &calls, items[i], r);
	if (!rc)
		rc = open_example(g, out, &url, service_url);
	if (!rc) {
		if (g->lang == CODEGEN_PHP)
			kt_buf_adds(out, "\n$client->startMultiRequest();\n");
		else if (g->lang == CODEGEN_PYTHON)
			kt_buf_adds(out, "\nclient.startMultiRequest()\n");
		else
			kt_buf_adds(out, "\nconst multiRequest = client.startMultiRequest();\n");
		kt_buf_add(out, calls.data, calls.len);
		if (g->lang == CODEGEN_PHP)
			kt_buf_adds(out, "\n// one result per item, in order; a failed item's is its error\n"
					 "$result = $client->doMultiRequest();\nprint_r($result);\n");
		else if (g->lang == CODEGEN_PYTHON)
			kt_buf_adds(out, "\n# one result per item, in order; a failed item's is its error\n"
					 "result = client.doMultiRequest()\nshow(result)\n");
		else
			kt_buf_printf(out, "\n// one result per item, in order; a failed item's is its "
					   "error\nmultiRequest.execute(client)\n%s", node_then);
	}
	kt_buf_free(&calls);
	kt_buf_free(&url);
	free(items);
	return rc;
}

/* A request's uploads as values of their names (the path), the way a file parameter is given
 * to each client; NULL when it has none. */
static param *params_with_files(const kt_request *r)
{
	if (!r->nfiles)
		return NULL;
	param *p = copy_params(r->params, false);
	for (size_t i = 0; i < r->nfiles; i++)
		param_set(p, r->files[i].name, r->files[i].path, NULL);
	return p;
}

char *codegen_generate(codegen_lang lang, const kt_request *r, const char *service_url,
		       const schema *s, kt_error *err)
{
	kt_request flat = *r;
	param *with_files = params_with_files(r);
	if (with_files)
		flat.params = with_files;
	gen g = {.lang = lang, .r = &flat, .uploads = r, .s = s, .err = err};
	kt_buf out;
	kt_buf_init(&g.body);
	kt_buf_init(&out);
	int rc;
	bool multi = request_is_multi(r) || !r->action;
	if (lang == CODEGEN_CURL) {
		if (s && !multi)
			g.act = codegen_find_action(s, r->service, r->action, NULL);
		rc = gen_curl(&g, &out, service_url);
	} else if (!s) {
		rc = kt_fail(err, KT_E_USAGE,
			     "a %s example needs the API schema (for the argument order, classes and enums)",
			     codegen_lang_name(lang));
	} else if (multi) {
		rc = gen_multi(&g, &out, service_url);
	} else if (!(g.act = codegen_find_action(s, r->service, r->action, err))) {
		rc = -1;
	} else {
		rc = gen_client(&g, &out, service_url);
	}
	kt_buf_free(&g.body);
	param_free(with_files);
	if (rc) {
		kt_buf_free(&out);
		return NULL;
	}
	return kt_buf_steal(&out);
}
