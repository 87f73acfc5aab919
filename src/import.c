#include "import.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "utf8.h"
#include "util.h"

#define MAX_WORDS 20000

const char *import_kind_name(import_kind kind)
{
	switch (kind) {
	case IMPORT_CURL: return "curl";
	case IMPORT_HAR: return "HAR";
	case IMPORT_LOG: return "log line";
	default: return "request";
	}
}

typedef struct ctx {
	kt_request *r;
	char *service_url;
	kt_error *err;
} ctx;

/* ---- pairs into the request ---- */

/* "filter[objectType]" (PHP's form style, as some docs print it) -> "filter:objectType" */
static char *wire_key(const char *key)
{
	kt_buf b;
	kt_buf_init(&b);
	for (const char *p = key; *p; p++) {
		if (*p == '[') {
			kt_buf_addc(&b, ':');
		} else if (*p == ']') {
			continue;
		} else {
			kt_buf_addc(&b, *p);
		}
	}
	kt_buf_adds(&b, "");
	return kt_buf_steal(&b);
}

static int put(ctx *c, const char *rawkey, const char *value)
{
	if (!*rawkey)
		return 0;
	char *key = wire_key(rawkey);
	kt_request *r = c->r;
	int rc = 0;
	if (!strcmp(key, "service")) {
		request_set_field(&r->service, value);
	} else if (!strcmp(key, "action")) {
		request_set_field(&r->action, value);
	} else if (!strcmp(key, "ks")) {
		request_set_field(&r->ks, value);
	} else if (!strcmp(key, "format")) {
		int f = request_format_from_name(value);
		r->format = f ? f : 2; /* 3 (PHP) and 9 (JSONP) are read as XML here */
	} else if (!strcmp(key, "clientTag")) {
		request_set_field(&r->client_tag, value);
	} else if (!strcmp(key, "apiVersion")) {
		request_set_field(&r->api_version, value);
	} else if (!strcmp(key, "language")) {
		request_set_field(&r->language, value);
	} else if (!strcmp(key, "kalsig")) {
		/* a cache hint of the official clients, recomputed by nobody */
	} else {
		kt_error e = {0};
		if (param_set(r->params, key, value, &e))
			rc = kt_fail(c->err, KT_E_DATA, "parameter '%s': %s", key, e.msg);
	}
	free(key);
	return rc;
}

/* "a=1&b=2" as a form body or a query string */
static int put_query(ctx *c, const char *s, size_t n)
{
	const char *end = s + n;
	while (s < end) {
		const char *amp = memchr(s, '&', (size_t)(end - s));
		const char *stop = amp ? amp : end;
		const char *eq = memchr(s, '=', (size_t)(stop - s));
		char *key = utf8_url_decode(s, (size_t)((eq ? eq : stop) - s), true, NULL);
		char *val = eq ? utf8_url_decode(eq + 1, (size_t)(stop - eq - 1), true, NULL) : kt_xstrdup("");
		int rc = put(c, key, val);
		free(key);
		kt_free_secret(val);
		if (rc)
			return rc;
		s = stop + (amp ? 1 : 0);
	}
	return 0;
}

/* ---- JSON bodies: nested objects as wire keys ---- */

static int put_json(ctx *c, kt_buf *key, json_t *v, int depth)
{
	if (depth > PARAM_MAX_DEPTH)
		return kt_fail(c->err, KT_E_DATA, "the JSON body nests deeper than %d", PARAM_MAX_DEPTH);
	size_t mark = key->len;
	int rc = 0;
	if (json_is_object(v)) {
		const char *k;
		json_t *item;
		if (!json_object_size(v) && depth)
			return 0;
		json_object_foreach(v, k, item) {
			if (mark)
				kt_buf_addc(key, ':');
			kt_buf_adds(key, k);
			rc = put_json(c, key, item, depth + 1);
			key->len = mark;
			key->data[mark] = '\0';
			if (rc)
				return rc;
		}
		return 0;
	}
	if (json_is_array(v)) {
		size_t i;
		json_t *item;
		if (!json_array_size(v)) {
			kt_buf_adds(key, ":-");
			rc = put(c, key->data, "");
		}
		json_array_foreach(v, i, item) {
			kt_buf_printf(key, ":%zu", i);
			rc = put_json(c, key, item, depth + 1);
			key->len = mark;
			key->data[mark] = '\0';
			if (rc)
				return rc;
		}
		key->len = mark;
		if (key->data)
			key->data[mark] = '\0';
		return rc;
	}
	char num[64];
	const char *s = NULL;
	if (json_is_string(v))
		s = json_string_value(v);
	else if (json_is_true(v))
		s = "1";
	else if (json_is_false(v))
		s = "0";
	else if (json_is_integer(v))
		snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v)), s = num;
	else if (json_is_real(v))
		snprintf(num, sizeof num, "%.17g", json_real_value(v)), s = num;
	if (json_is_null(v)) {
		if (depth <= 1)
			return 0; /* a top-level null is a parameter left out */
		kt_buf_adds(key, "__null");
		rc = put(c, key->data, "");
		key->len = mark;
		key->data[mark] = '\0';
		return rc;
	}
	return s ? put(c, key->data ? key->data : "", s) : 0;
}

static int put_json_body(ctx *c, const char *text, size_t n)
{
	json_error_t je;
	json_t *root = json_loadb(text, n, JSON_DECODE_ANY, &je);
	if (!root)
		return kt_fail(c->err, KT_E_DATA, "the JSON body does not parse: %s (line %d)", je.text,
			       je.line);
	int rc = 0;
	if (!json_is_object(root)) {
		rc = kt_fail(c->err, KT_E_DATA, "the JSON body is not an object");
	} else {
		kt_buf key;
		kt_buf_init(&key);
		kt_buf_adds(&key, "");
		const char *k;
		json_t *item;
		json_object_foreach(root, k, item) {
			kt_buf_reset(&key);
			kt_buf_adds(&key, k);
			if ((rc = put_json(c, &key, item, 1)))
				break;
		}
		kt_buf_free(&key);
	}
	json_decref(root);
	return rc;
}

/* ---- URLs ---- */

static int put_url(ctx *c, const char *url)
{
	const char *p = url;
	if (!strncasecmp(p, "http://", 7) || !strncasecmp(p, "https://", 8)) {
		const char *host = strstr(p, "://") + 3;
		const char *end = host + strcspn(host, "/?#");
		if (end == host)
			return kt_fail(c->err, KT_E_DATA, "the URL '%.80s' has no host", url);
		const char *api = strstr(end, "/api_v3");
		const char *base_end = api ? api : end;
		free(c->service_url);
		c->service_url = kt_xstrndup(url, (size_t)(base_end - url));
		while (c->service_url[0] && c->service_url[strlen(c->service_url) - 1] == '/')
			c->service_url[strlen(c->service_url) - 1] = '\0';
		p = end;
	}
	const char *q = strchr(p, '?');
	const char *hash = strchr(p, '#');
	const char *path_end = q ? q : hash ? hash : p + strlen(p);
	const char *api = strstr(p, "/api_v3");
	if (api && api < path_end) {
		const char *s = api + 7;
		/* /service/S/action/A and further name/value pairs, as the server reads the path */
		char *path = kt_xstrndup(s, (size_t)(path_end - s));
		char *save = NULL, *name = NULL;
		int rc = 0;
		for (char *seg = strtok_r(path, "/", &save); seg && !rc;
		     seg = strtok_r(NULL, "/", &save)) {
			if (!name && !strcasecmp(seg, "index.php"))
				continue;
			if (!name) {
				name = seg;
				continue;
			}
			char *k = utf8_url_decode(name, strlen(name), false, NULL);
			char *v = utf8_url_decode(seg, strlen(seg), false, NULL);
			rc = put(c, k, v);
			free(k);
			kt_free_secret(v);
			name = NULL;
		}
		if (!rc && name && !strcasecmp(name, "multirequest"))
			rc = put(c, "service", "multirequest");
		else if (!rc && name)
			rc = put(c, name, ""); /* ".../service/multirequest" has no pair */
		free(path);
		if (rc)
			return rc;
	}
	if (q) {
		const char *qe = hash && hash > q ? hash : q + strlen(q);
		return put_query(c, q + 1, (size_t)(qe - q - 1));
	}
	return 0;
}

/* ---- shell words (curl) ---- */

typedef struct words {
	char **v;
	size_t n;
} words;

static void words_free(words *w)
{
	for (size_t i = 0; i < w->n; i++)
		kt_free_secret(w->v[i]);
	free(w->v);
	w->v = NULL;
	w->n = 0;
}

static void expand_var(kt_buf *b, const char **pp)
{
	const char *p = *pp; /* at '$' */
	char name[128];
	size_t n = 0;
	if (p[1] == '{') {
		const char *e = strchr(p + 2, '}');
		if (!e || e - p - 2 >= (long)sizeof name) {
			kt_buf_addc(b, '$');
			return;
		}
		n = (size_t)(e - p - 2);
		memcpy(name, p + 2, n);
		*pp = e;
	} else {
		const char *s = p + 1;
		while ((isalnum((unsigned char)*s) || *s == '_') && n < sizeof name - 1)
			name[n++] = *s++;
		if (!n) {
			kt_buf_addc(b, '$');
			return;
		}
		*pp = s - 1;
	}
	name[n] = '\0';
	const char *v = getenv(name);
	if (v)
		kt_buf_adds(b, v);
}

static int ansi_c(kt_buf *b, const char **pp, kt_error *err)
{
	const char *p = *pp + 2; /* after $' */
	for (; *p && *p != '\''; p++) {
		if (*p != '\\') {
			kt_buf_addc(b, *p);
			continue;
		}
		p++;
		switch (*p) {
		case 'n': kt_buf_addc(b, '\n'); break;
		case 't': kt_buf_addc(b, '\t'); break;
		case 'r': kt_buf_addc(b, '\r'); break;
		case '\\': kt_buf_addc(b, '\\'); break;
		case '\'': kt_buf_addc(b, '\''); break;
		case '"': kt_buf_addc(b, '"'); break;
		case '\0': return kt_fail(err, KT_E_DATA, "the curl command ends inside $'...'");
		default: kt_buf_addc(b, '\\'); kt_buf_addc(b, *p); break;
		}
	}
	if (!*p)
		return kt_fail(err, KT_E_DATA, "the curl command ends inside $'...'");
	*pp = p;
	return 0;
}

/* Splits the first command of s into words as a POSIX shell would (quotes, backslashes,
 * $VAR); stops at a newline that ends it or at |, ;, &, <, >. Command substitution is
 * refused: nothing here is run. */
static int shell_words(const char *s, words *w, kt_error *err)
{
	memset(w, 0, sizeof *w);
	const char *p = s;
	kt_buf b;
	kt_buf_init(&b);
	bool in_word = false;
	int rc = 0;
	for (;; p++) {
		char ch = *p;
		bool end = !ch || ((ch == '\n' || strchr("|;&<>", ch)) && (w->n || in_word));
		if (end || ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
			if (in_word) {
				if (w->n >= MAX_WORDS) {
					rc = kt_fail(err, KT_E_DATA, "the curl command has too many words");
					break;
				}
				w->v = kt_xrealloc(w->v, (w->n + 1) * sizeof *w->v);
				kt_buf_adds(&b, "");
				w->v[w->n++] = kt_buf_steal(&b);
				kt_buf_init(&b);
				in_word = false;
			}
			if (end)
				break;
			continue;
		}
		if (!in_word && ch == '#') {
			/* a comment line, as `ktestme code curl` starts with */
			while (p[1] && p[1] != '\n')
				p++;
			continue;
		}
		in_word = true;
		if (ch == '\\') {
			if (p[1] == '\n') {
				p++;
				in_word = b.len > 0;
			} else if (p[1] == '\r' && p[2] == '\n') {
				p += 2;
				in_word = b.len > 0;
			} else if (p[1]) {
				kt_buf_addc(&b, *++p);
			}
		} else if (ch == '\'') {
			const char *e = strchr(p + 1, '\'');
			if (!e) {
				rc = kt_fail(err, KT_E_DATA, "the curl command has an unclosed ' quote");
				break;
			}
			kt_buf_add(&b, p + 1, (size_t)(e - p - 1));
			p = e;
		} else if (ch == '"') {
			for (p++; *p && *p != '"'; p++) {
				if (*p == '\\' && p[1] && strchr("$`\"\\\n", p[1])) {
					if (p[1] != '\n')
						kt_buf_addc(&b, p[1]);
					p++;
				} else if (*p == '$' && p[1] == '(') {
					rc = kt_fail(err, KT_E_DATA,
						     "the curl command runs a command ($(...)); paste its output instead");
					break;
				} else if (*p == '`') {
					rc = kt_fail(err, KT_E_DATA,
						     "the curl command runs a command (`...`); paste its output instead");
					break;
				} else if (*p == '$') {
					expand_var(&b, &p);
				} else {
					kt_buf_addc(&b, *p);
				}
			}
			if (rc)
				break;
			if (!*p) {
				rc = kt_fail(err, KT_E_DATA, "the curl command has an unclosed \" quote");
				break;
			}
		} else if (ch == '$' && p[1] == '\'') {
			if ((rc = ansi_c(&b, &p, err)))
				break;
		} else if ((ch == '$' && p[1] == '(') || ch == '`') {
			rc = kt_fail(err, KT_E_DATA,
				     "the curl command runs a command ($(...)); paste its output instead");
			break;
		} else if (ch == '$') {
			expand_var(&b, &p);
		} else {
			kt_buf_addc(&b, ch);
		}
	}
	kt_free_secret(b.data);
	if (rc)
		words_free(w);
	return rc;
}

/* ---- curl ---- */

/* curl's options that take a value (the others are flags); the data ones are handled. */
static bool takes_value(const char *opt)
{
	static const char *const longs[] = {
		"--request", "--header", "--url", "--output", "--user", "--user-agent", "--referer",
		"--cookie", "--cookie-jar", "--max-time", "--connect-timeout", "--write-out",
		"--proxy", "--upload-file", "--range", "--config", "--cert", "--cacert", "--capath",
		"--key", "--retry", "--retry-delay", "--retry-max-time", "--resolve", "--interface",
		"--limit-rate", "--max-filesize", "--oauth2-bearer", "--dump-header", "--trace",
		"--trace-ascii", "--proxy-user", "--unix-socket", "--stderr", "--connect-to",
		"--max-redirs", "--expect100-timeout", "--keepalive-time", "--cert-type",
		"--key-type", "--pass", "--ciphers", "--tls-max", "--proto", "--proto-redir",
		"--dns-servers", "--noproxy", "--local-port", "--aws-sigv4", "--variable",
	};
	for (size_t i = 0; i < sizeof longs / sizeof longs[0]; i++)
		if (!strcmp(opt, longs[i]))
			return true;
	return false;
}

typedef struct curl_state {
	kt_buf body;       /* the -d parts joined with '&' */
	bool body_set, json;
	char *url;
} curl_state;

static int add_data(ctx *c, curl_state *st, const char *opt, const char *v)
{
	bool raw = !strcmp(opt, "--data-raw");
	if (!strcmp(opt, "--data-urlencode")) {
		/* name=content, =content, content; @file and name@file read a file */
		const char *eq = strchr(v, '=');
		const char *at = strchr(v, '@');
		if (at && (!eq || at < eq))
			return kt_fail(c->err, KT_E_DATA,
				       "--data-urlencode '%.60s' reads a file; paste the file's text instead", v);
		if (!eq || eq == v)
			return 0; /* content with no name: nothing the API reads */
		char *name = kt_xstrndup(v, (size_t)(eq - v));
		int rc = put(c, name, eq + 1);
		free(name);
		return rc;
	}
	if (!raw && v[0] == '@')
		return kt_fail(c->err, KT_E_DATA, "%s '%.60s' reads a file; paste the file's text instead",
			       opt, v);
	if (!strcmp(opt, "--json"))
		st->json = true;
	if (st->body.len)
		kt_buf_addc(&st->body, '&');
	kt_buf_adds(&st->body, v);
	st->body_set = true;
	return 0;
}

static int add_form(ctx *c, const char *opt, const char *v)
{
	const char *eq = strchr(v, '=');
	if (!eq || eq == v)
		return kt_fail(c->err, KT_E_DATA, "%s '%.60s' is not name=value", opt, v);
	char *name = kt_xstrndup(v, (size_t)(eq - v));
	const char *val = eq + 1;
	int rc;
	if (strcmp(opt, "--form-string") && (val[0] == '@' || val[0] == '<')) {
		/* a file part: "@" uploads the file, "<" has its text as the value; the import reads
		 * neither */
		size_t n = strcspn(val + 1, ";");
		char *path = kt_xstrndup(val + 1, n);
		if (path[0] == '"' && n >= 2 && path[n - 1] == '"') {
			memmove(path, path + 1, n - 2);
			path[n - 2] = '\0';
		}
		if (val[0] == '@') { /* an upload: the call sends that file (multipart) */
			char *key = wire_key(name);
			request_add_file(c->r, key, path);
			free(key);
			rc = 0;
		} else {
			rc = put(c, name, path);
		}
		free(path);
	} else {
		rc = put(c, name, val);
	}
	free(name);
	return rc;
}

static int from_curl(ctx *c, const char *text)
{
	words w;
	if (shell_words(text, &w, c->err))
		return -1;
	size_t i = 0;
	if (i < w.n && !strcmp(w.v[i], "$"))
		i++; /* a prompt pasted along */
	const char *prog = i < w.n ? w.v[i] : "";
	const char *base = strrchr(prog, '/');
	base = base ? base + 1 : prog;
	if (strcmp(base, "curl") && strcmp(base, "curl.exe")) {
		kt_fail(c->err, KT_E_DATA, "not a curl command (it starts with '%.40s')", prog);
		words_free(&w); /* after the message: prog points into w */
		return -1;
	}
	curl_state st = {0};
	kt_buf_init(&st.body);
	int rc = 0;
	bool opts_done = false;
	for (i++; i < w.n && !rc; i++) {
		const char *a = w.v[i];
		if (opts_done || a[0] != '-' || !a[1]) {
			if (!st.url)
				st.url = kt_xstrdup(a);
			continue;
		}
		if (!strcmp(a, "--")) {
			opts_done = true;
			continue;
		}
		char opt[64];
		const char *val = NULL;
		if (a[1] == '-') {
			const char *eq = strchr(a, '=');
			snprintf(opt, sizeof opt, "%.*s", (int)(eq ? eq - a : (long)strlen(a)), a);
			if (eq)
				val = eq + 1;
		} else {
			/* a cluster of short flags ("-sS", "-sSX POST", "-dname=v") */
			static const char data_shorts[] = "dFHX";
			static const char value_shorts[] = "dFHXoubAecmwxTrKEUyYzCDPQt";
			size_t j = 1;
			while (a[j] && !strchr(value_shorts, a[j]))
				j++;
			if (!a[j])
				continue;
			char ch = a[j];
			const char *rest = a + j + 1;
			if (strchr(data_shorts, ch)) {
				static const char *const names[] = {"--data", "--form", "--header", "--request"};
				snprintf(opt, sizeof opt, "%s", names[strchr(data_shorts, ch) - data_shorts]);
			} else {
				snprintf(opt, sizeof opt, "-%c", ch);
			}
			if (*rest)
				val = rest;
			else if (i + 1 < w.n)
				val = w.v[++i];
			else
				rc = kt_fail(c->err, KT_E_DATA, "curl's -%c needs a value", ch);
			if (rc)
				break;
			goto apply;
		}
		{
			bool data = !strncmp(opt, "--data", 6) || !strcmp(opt, "--json") ||
				    !strcmp(opt, "--form") || !strcmp(opt, "--form-string") ||
				    !strcmp(opt, "--url-query");
			if (!val && (data || takes_value(opt))) {
				if (i + 1 >= w.n) {
					rc = kt_fail(c->err, KT_E_DATA, "curl's %s needs a value", opt);
					break;
				}
				val = w.v[++i];
			}
		}
	apply:
		if (!val)
			continue;
		if (!strncmp(opt, "--data", 6) || !strcmp(opt, "--json")) {
			rc = add_data(c, &st, opt, val);
		} else if (!strcmp(opt, "--form") || !strcmp(opt, "--form-string")) {
			rc = add_form(c, opt, val);
		} else if (!strcmp(opt, "--header")) {
			if (!strncasecmp(val, "content-type:", 13) && strcasestr(val + 13, "json"))
				st.json = true;
		} else if (!strcmp(opt, "--url")) {
			free(st.url);
			st.url = kt_xstrdup(val);
		} else if (!strcmp(opt, "--url-query")) {
			rc = put_query(c, val, strlen(val));
		}
	}
	if (!rc && st.body_set) {
		const char *b = st.body.data;
		while (*b == ' ' || *b == '\n' || *b == '\t' || *b == '\r')
			b++;
		if (st.json || *b == '{')
			rc = put_json_body(c, b, strlen(b));
		else
			rc = put_query(c, st.body.data, st.body.len);
	}
	/* the URL's query wins over the body, as on the server */
	if (!rc && st.url)
		rc = put_url(c, st.url);
	else if (!rc)
		rc = kt_fail(c->err, KT_E_DATA, "the curl command has no URL");
	free(st.url);
	kt_free_secret(st.body.data);
	words_free(&w);
	return rc;
}

/* ---- HAR ---- */

static bool is_api_url(const char *url)
{
	return url && strstr(url, "/api_v3");
}

static int har_request(ctx *c, json_t *req)
{
	const char *url = json_string_value(json_object_get(req, "url"));
	json_t *post = json_object_get(req, "postData");
	int rc = 0;
	json_t *params = json_object_get(post, "params");
	const char *text = json_string_value(json_object_get(post, "text"));
	const char *mime = json_string_value(json_object_get(post, "mimeType"));
	if (json_is_array(params) && json_array_size(params)) {
		size_t i;
		json_t *p;
		json_array_foreach(params, i, p) {
			const char *name = json_string_value(json_object_get(p, "name"));
			const char *value = json_string_value(json_object_get(p, "value"));
			const char *file = json_string_value(json_object_get(p, "fileName"));
			if (!name)
				continue;
			if ((rc = put(c, name, file ? file : value ? value : "")))
				return rc;
		}
	} else if (text && *text) {
		const char *t = text;
		while (*t == ' ' || *t == '\n' || *t == '\r' || *t == '\t')
			t++;
		if ((mime && strcasestr(mime, "json")) || *t == '{')
			rc = put_json_body(c, t, strlen(t));
		else if (mime && strcasestr(mime, "multipart"))
			rc = kt_fail(c->err, KT_E_DATA, "the HAR entry's multipart body has no params list");
		else
			rc = put_query(c, text, strlen(text));
		if (rc)
			return rc;
	}
	return put_url(c, url);
}

static int from_har(ctx *c, const char *text, size_t len, size_t index, size_t *calls)
{
	json_error_t je;
	json_t *root = json_loadb(text, len, 0, &je);
	if (!root)
		return kt_fail(c->err, KT_E_DATA, "the HAR file does not parse: %s (line %d)", je.text,
			       je.line);
	json_t *entries = json_object_get(json_object_get(root, "log"), "entries");
	if (!json_is_array(entries)) {
		json_decref(root);
		return kt_fail(c->err, KT_E_DATA, "not a HAR file (no log.entries)");
	}
	json_t *pick = NULL, *e;
	size_t i, n = 0;
	json_array_foreach(entries, i, e) {
		json_t *req = json_object_get(e, "request");
		if (!is_api_url(json_string_value(json_object_get(req, "url"))))
			continue;
		if (n++ == index)
			pick = req;
	}
	*calls = n;
	int rc;
	if (!n)
		rc = kt_fail(c->err, KT_E_DATA, "the HAR file holds no Kaltura API call (no /api_v3 URL)");
	else if (!pick)
		rc = kt_fail(c->err, KT_E_DATA, "the HAR file holds %zu Kaltura API calls, not %zu", n,
			     index + 1);
	else
		rc = har_request(c, pick);
	json_decref(root);
	return rc;
}

/* ---- log sections and lines ---- */

/* print_r's "Array\n(\n    [service] => media\n ...)" as the API log writes its Params, the
 * way kalcli's logToCli reads it; nested arrays are skipped. */
static int from_print_r(ctx *c, const char *s)
{
	int depth = 0, rc = 0;
	const char *p = s;
	while (*p && !rc) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char *line = kt_xstrndup(p, n);
		size_t ln = strlen(line);
		while (ln && (line[ln - 1] == '\r' || line[ln - 1] == ' '))
			line[--ln] = '\0';
		char *t = line;
		while (*t == ' ' || *t == '\t')
			t++;
		if (!strcmp(t, "(")) {
			depth++;
		} else if (!strcmp(t, ")") || !strcmp(t, ")]")) {
			depth--;
		} else if (depth == 1 && *t == '[') {
			char *close = strstr(t, "] =>");
			if (close) {
				*close = '\0';
				char *v = close + 4;
				if (*v == ' ')
					v++;
				if (strcmp(v, "Array"))
					rc = put(c, t + 1, v);
			}
		}
		free(line);
		if (depth < 0)
			break;
		p = nl ? nl + 1 : p + n;
	}
	return rc;
}

static int from_log(ctx *c, const char *text)
{
	const char *arr = strstr(text, "Array");
	if (arr && strstr(arr, "] =>"))
		return from_print_r(c, arr);
	/* a URL or a path with /api_v3, else the first word with service= in it */
	const char *start = strstr(text, "http://");
	const char *s2 = strstr(text, "https://");
	if (!start || (s2 && s2 < start))
		start = s2;
	if (!start || !strstr(start, "/api_v3"))
		start = strstr(text, "/api_v3");
	if (!start) {
		const char *svc = strstr(text, "service=");
		if (!svc)
			return kt_fail(c->err, KT_E_DATA,
				       "no request in it: neither a curl command, a HAR file, an /api_v3 URL "
				       "nor service= and action= parameters");
		start = svc;
		while (start > text && !strchr(" \t\"'[?", start[-1]))
			start--;
		size_t n = strcspn(start, " \t\r\n\"'<>]");
		char *q = kt_xstrndup(start, n);
		char *qs = q[0] == '?' ? q + 1 : q;
		int rc = put_query(c, qs, strlen(qs));
		free(q);
		return rc;
	}
	size_t n = strcspn(start, " \t\r\n\"'<>");
	char *url = kt_xstrndup(start, n);
	int rc = put_url(c, url);
	free(url);
	return rc;
}

/* ---- the entry point ---- */

static import_kind guess(const char *text)
{
	const char *p = text;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		if (*p != '#')
			break;
		p += strcspn(p, "\n");
	}
	if (*p == '{')
		return IMPORT_HAR;
	if (*p == '$' && p[1] == ' ')
		p += 2;
	size_t n = strcspn(p, " \t\r\n");
	if ((n >= 4 && !strncmp(p + n - 4, "curl", 4)) ||
	    (n >= 8 && !strncmp(p + n - 8, "curl.exe", 8)))
		return IMPORT_CURL;
	return IMPORT_LOG;
}

int import_parse(const char *text, size_t len, import_kind kind, size_t index, import_result *out,
		 kt_error *err)
{
	memset(out, 0, sizeof *out);
	if (memchr(text, '\0', len))
		return kt_fail(err, KT_E_DATA, "the text holds NUL bytes: not a request");
	char *s = kt_xstrndup(text, len);
	if (kind == IMPORT_AUTO)
		kind = guess(s);
	request_init(&out->req, "", NULL);
	free(out->req.service);
	out->req.service = NULL;
	ctx c = {.r = &out->req, .err = err};
	int rc;
	switch (kind) {
	case IMPORT_CURL: rc = from_curl(&c, s); break;
	case IMPORT_HAR: rc = from_har(&c, s, len, index, &out->calls); break;
	default: rc = from_log(&c, s); break;
	}
	kt_free_secret(s);
	out->kind = kind;
	out->service_url = c.service_url;
	kt_request *r = &out->req;
	if (!rc && (!r->service || !*r->service))
		rc = kt_fail(err, KT_E_DATA, "the %s names no service (no /service/NAME, no service=)",
			     import_kind_name(kind));
	if (!rc && request_is_multi(r)) {
		free(r->action);
		r->action = NULL;
	} else if (!rc && (!r->action || !*r->action)) {
		rc = kt_fail(err, KT_E_DATA, "the %s names no action (no /action/NAME, no action=)",
			     import_kind_name(kind));
	}
	if (rc)
		import_result_free(out);
	return rc;
}

void import_result_free(import_result *r)
{
	request_free(&r->req);
	free(r->service_url);
	memset(r, 0, sizeof *r);
}
