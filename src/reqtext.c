#include "reqtext.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ks.h"
#include "utf8.h"

static bool looks_like_ks(const char *v)
{
	size_t n = strlen(v);
	if (n < 40 || n > 8192 || strpbrk(v, " \t\r\n"))
		return false;
	ks_info info;
	bool ks = ks_decode(v, NULL, &info, NULL) == 0;
	if (ks)
		ks_info_free(&info);
	return ks;
}

bool reqtext_is_secret(const char *key, const char *value)
{
	const char *last = strrchr(key, ':');
	last = last ? last + 1 : key;
	bool named = request_is_secret_name(last) || !strcasecmp(last, "tokenHash");
	if (!value || !*value)
		return false;
	if (named)
		return !request_is_backref(value);
	return looks_like_ks(value);
}

void reqtext_escape(kt_buf *b, const char *value)
{
	size_t n = strlen(value);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)value[i];
		if (c == '\\')
			kt_buf_adds(b, "\\\\");
		else if (c == '\n')
			kt_buf_adds(b, "\\n");
		else if (c == '\t')
			kt_buf_adds(b, "\\t");
		else if (c < 0x20 || c == 0x7f || (c == ' ' && (i == 0 || i == n - 1)))
			kt_buf_printf(b, "\\x%02x", c);
		else
			kt_buf_addc(b, (char)c);
	}
}

char *reqtext_unescape(const char *value)
{
	kt_buf b;
	kt_buf_init(&b);
	for (const char *p = value; *p; p++) {
		if (*p != '\\') {
			kt_buf_addc(&b, *p);
			continue;
		}
		p++;
		int hi, lo;
		switch (*p) {
		case '\\': kt_buf_addc(&b, '\\'); break;
		case 'n': kt_buf_addc(&b, '\n'); break;
		case 't': kt_buf_addc(&b, '\t'); break;
		case 'x':
			hi = p[1] ? utf8_hexval((unsigned char)p[1]) : -1;
			lo = hi >= 0 && p[2] ? utf8_hexval((unsigned char)p[2]) : -1;
			if (lo < 0 || (hi == 0 && lo == 0))
				goto bad;
			kt_buf_addc(&b, (char)(hi << 4 | lo));
			p += 2;
			break;
		default:
			goto bad;
		}
	}
	return kt_buf_steal(&b);
bad:
	kt_buf_free(&b);
	return NULL;
}

/* A key as a line starts: escaped like a value, and so is a '=' in it or a first byte that
 * would read as a field, a comment or a [name] */
static void escape_key(kt_buf *b, const char *key)
{
	kt_buf k;
	kt_buf_init(&k);
	reqtext_escape(&k, key);
	kt_buf_adds(&k, "");
	for (size_t i = 0; i < k.len; i++) {
		char c = k.data[i];
		if (c == '=' || (i == 0 && (c == '@' || c == '#' || c == '[')))
			kt_buf_printf(b, "\\x%02x", (unsigned char)c);
		else
			kt_buf_addc(b, c);
	}
	kt_buf_free(&k);
}

static void value_part(kt_buf *b, const char *value)
{
	kt_buf_adds(b, value && *value ? " = " : " =");
	if (value)
		reqtext_escape(b, value);
	kt_buf_addc(b, '\n');
}

/* "@name = value": a request field */
static void field(kt_buf *b, const char *name, const char *value)
{
	kt_buf_printf(b, "@%s", name);
	value_part(b, value);
}

typedef struct write_ctx {
	kt_buf *b;
	size_t dropped;
} write_ctx;

static void visit(const char *key, const char *suffix, const param *p, bool top, void *ud)
{
	(void)top;
	write_ctx *w = ud;
	const char *value = p->kind == PARAM_VALUE ? p->value : "";
	if (reqtext_is_secret(key, value)) {
		w->dropped++;
		return;
	}
	escape_key(w->b, key);
	kt_buf_adds(w->b, suffix);
	value_part(w->b, value);
}

size_t reqtext_write(kt_buf *b, const kt_request *r)
{
	write_ctx w = {.b = b};
	field(b, "service", r->service ? r->service : "");
	if (r->action)
		field(b, "action", r->action);
	char fmt[16];
	snprintf(fmt, sizeof fmt, "%d", r->format ? r->format : 2);
	field(b, "format", fmt);
	if (r->partner_id)
		field(b, "partnerId", r->partner_id);
	if (r->client_tag)
		field(b, "clientTag", r->client_tag);
	if (r->api_version)
		field(b, "apiVersion", r->api_version);
	if (r->language)
		field(b, "language", r->language);
	if (r->ks && *r->ks)
		w.dropped++;
	if (r->params)
		param_walk(r->params, visit, &w);
	for (size_t i = 0; i < r->nfiles; i++) { /* "@file:fileData = clip.mp4": an upload */
		kt_buf_adds(b, "@file:");
		escape_key(b, r->files[i].name);
		value_part(b, r->files[i].path);
	}
	return w.dropped;
}

char *reqtext_format(const kt_request *r)
{
	kt_buf b;
	kt_buf_init(&b);
	reqtext_write(&b, r);
	return kt_buf_steal(&b);
}

int reqtext_apply(kt_request *r, const char *key, const char *value, bool *dropped,
		  kt_error *err)
{
	char *v = reqtext_unescape(value);
	if (!v)
		return kt_fail(err, KT_E_DATA, "bad escape in the value of %s", key);
	int rc = 0;
	if (dropped)
		*dropped = false;
	if (key[0] == '@') {
		const char *f = key + 1;
		if (!strcmp(f, "service") && *v) {
			request_set_field(&r->service, v);
		} else if (!strcmp(f, "action") && *v) {
			request_set_field(&r->action, v);
		} else if (!strcmp(f, "format")) {
			if (!(r->format = request_format_from_name(v)))
				rc = kt_fail(err, KT_E_DATA, "@format is 1 (JSON) or 2 (XML), not '%s'", v);
		} else if (!strcmp(f, "partnerId")) {
			request_set_field(&r->partner_id, v);
		} else if (!strcmp(f, "clientTag")) {
			request_set_field(&r->client_tag, v);
		} else if (!strcmp(f, "apiVersion")) {
			request_set_field(&r->api_version, v);
		} else if (!strcmp(f, "language")) {
			request_set_field(&r->language, v);
		} else if (!strncmp(f, "file:", 5) && f[5]) {
			char *name = reqtext_unescape(f + 5);
			if (name && *v)
				request_add_file(r, name, v);
			else
				rc = kt_fail(err, KT_E_DATA, "bad file line '%s'", key);
			free(name);
		} else if (!strcmp(f, "ks")) {
			if (dropped)
				*dropped = true; /* a KS is never taken from a file */
		} else {
			rc = kt_fail(err, KT_E_DATA, "unknown field '%s'", key);
		}
	} else {
		char *k = reqtext_unescape(key);
		if (!k)
			rc = kt_fail(err, KT_E_DATA, "bad escape in the name %s", key);
		else if (reqtext_is_secret(k, v)) {
			if (dropped)
				*dropped = true;
		} else {
			rc = param_set(r->params, k, v, err);
			if (rc && err)
				err->code = KT_E_DATA;
		}
		free(k);
	}
	kt_free_secret(v);
	return rc;
}

bool reqtext_split(char *s, char **key, char **value)
{
	char *eq = strchr(s, '=');
	if (!eq)
		return false;
	char *k = s, *ke = eq;
	while (*k == ' ' || *k == '\t')
		k++;
	while (ke > k && (ke[-1] == ' ' || ke[-1] == '\t'))
		ke--;
	if (ke == k)
		return false;
	*ke = '\0';
	char *v = eq + 1;
	if (*v == ' ')
		v++; /* the one space of " = "; the value's own spaces are escaped */
	size_t n = strlen(v);
	while (n && (v[n - 1] == '\r' || v[n - 1] == ' ' || v[n - 1] == '\t'))
		v[--n] = '\0';
	*key = k;
	*value = v;
	return true;
}

int reqtext_parse(const char *text, kt_request *r, kt_error *err)
{
	request_init(r, "", NULL);
	free(r->service);
	r->service = NULL;
	char *copy = kt_xstrdup(text);
	int lineno = 0, rc = 0;
	kt_error e = {0};
	for (char *s = copy, *nl; s && !rc; s = nl) {
		nl = strchr(s, '\n');
		if (nl)
			*nl++ = '\0';
		lineno++;
		char *t = s, *key, *value;
		while (*t == ' ' || *t == '\t')
			t++;
		if (!*t || *t == '#' || *t == '\r')
			continue;
		if (!reqtext_split(t, &key, &value))
			rc = kt_fail(&e, KT_E_DATA, "not 'name = value'");
		else
			rc = reqtext_apply(r, key, value, NULL, &e);
	}
	if (rc)
		kt_fail(err, KT_E_DATA, "line %d: %s", lineno, e.msg);
	else if (!r->service || !*r->service)
		rc = kt_fail(err, KT_E_DATA, "no @service line");
	else if (!request_is_multi(r) && !r->action)
		rc = kt_fail(err, KT_E_DATA, "no @action line");
	kt_free_secret(copy);
	if (rc)
		request_free(r);
	return rc;
}

/* ---- diff ---- */

typedef struct kv {
	char *key, *value;
} kv;

static size_t split_lines(char *text, kv **out)
{
	size_t n = 0, cap = 0;
	kv *v = NULL;
	for (char *s = text, *nl; s && *s; s = nl) {
		nl = strchr(s, '\n');
		if (nl)
			*nl++ = '\0';
		char *key, *value;
		if (*s == '#' || !reqtext_split(s, &key, &value))
			continue;
		if (n == cap)
			v = kt_xrealloc(v, (cap = cap ? cap * 2 : 16) * sizeof *v);
		v[n++] = (kv){key, value};
	}
	*out = v;
	return n;
}

static const kv *find_kv(const kv *v, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].key, key))
			return &v[i];
	return NULL;
}

char *reqtext_diff(const char *a, const char *b)
{
	char *ca = kt_xstrdup(a), *cb = kt_xstrdup(b);
	kv *va, *vb;
	size_t na = split_lines(ca, &va), nb = split_lines(cb, &vb);
	kt_buf out;
	kt_buf_init(&out);
	for (size_t i = 0; i < na; i++) {
		const kv *o = find_kv(vb, nb, va[i].key);
		if (!o)
			kt_buf_printf(&out, "- %s = %s\n", va[i].key, va[i].value);
		else if (strcmp(o->value, va[i].value))
			kt_buf_printf(&out, "~ %s = %s -> %s\n", va[i].key, va[i].value, o->value);
	}
	for (size_t i = 0; i < nb; i++)
		if (!find_kv(va, na, vb[i].key))
			kt_buf_printf(&out, "+ %s = %s\n", vb[i].key, vb[i].value);
	free(va);
	free(vb);
	free(ca);
	free(cb);
	return kt_buf_steal(&out);
}
