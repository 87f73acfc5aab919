#include "rstream_diff.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "response.h"
#include "rstream.h"
#include "util.h"

static char why[1024];

static const char *differ(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static const char *differ(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	return why;
}

static const char *nn(const char *s)
{
	return s ? s : "(null)";
}

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static const char *same_error(const rvalue *a, const rvalue *b)
{
	if (!a || !b)
		return a || b ? differ("error: %s vs %s", a ? "one" : "none", b ? "one" : "none") : NULL;
	if (!same_str(a->code, b->code))
		return differ("error code %s vs %s", nn(a->code), nn(b->code));
	if (!same_str(a->message, b->message))
		return differ("error message %s vs %s", nn(a->message), nn(b->message));
	if (!same_str(a->object_type, b->object_type))
		return differ("error objectType %s vs %s", nn(a->object_type), nn(b->object_type));
	if (a->n != b->n)
		return differ("error args %zu vs %zu", a->n, b->n);
	for (size_t i = 0; i < a->n; i++)
		if (!same_str(a->children[i]->name, b->children[i]->name) ||
		    !same_str(a->children[i]->text, b->children[i]->text))
			return differ("error arg %s vs %s", nn(a->children[i]->name), nn(b->children[i]->name));
	return NULL;
}

static const char *same_model(const response *full, const rs_stream *s, const response *st)
{
	static const char *const carriers[][2] = {
		{"session", "start"}, {"user", "loginByLoginId"}, {"appToken", "startSession"},
		{"session", "startWidgetSession"}, {"media", "list"},
	};
	const rvalue *a = full->result, *b = st->result;
	if (a->kind != b->kind)
		return differ("result kind %d vs %d", (int)a->kind, (int)b->kind);
	if (a->kind == RV_SCALAR && strcmp(a->text, b->text))
		return differ("result text %.400s vs %.400s", a->text, b->text);
	if ((a->kind == RV_ARRAY || a->kind == RV_OBJECT) && a->n != b->n)
		return differ("result children %zu vs %zu", a->n, b->n);
	if (a->kind == RV_ARRAY)
		for (size_t i = 0; i < a->n; i++) {
			if (a->children[i]->kind != b->children[i]->kind)
				return differ("item %zu kind %d vs %d", i, (int)a->children[i]->kind, (int)b->children[i]->kind);
			if (a->children[i]->kind == RV_ERROR) {
				const char *d = same_error(a->children[i], b->children[i]);
				if (d)
					return d;
			}
		}
	const char *d = same_error(response_error(full), response_error(st));
	if (d)
		return d;
	if (full->has_execution_time != st->has_execution_time ||
	    (full->has_execution_time && full->execution_time != st->execution_time))
		return differ("executionTime %g vs %g", full->execution_time, st->execution_time);
	for (size_t i = 0; i < sizeof carriers / sizeof carriers[0]; i++) {
		const char *k1 = response_find_ks(full, carriers[i][0], carriers[i][1]);
		const char *k2 = response_find_ks(st, carriers[i][0], carriers[i][1]);
		if (!same_str(k1, k2))
			return differ("KS %.400s vs %.400s", nn(k1), nn(k2));
		if (response_holds_secret(full, carriers[i][0], carriers[i][1]) !=
		    rs_holds_secret(s, st, carriers[i][0], carriers[i][1]))
			return differ("holds a credential for %s.%s: differs", carriers[i][0], carriers[i][1]);
	}
	return NULL;
}

static void to_buf(void *ud, const char *p, size_t n)
{
	kt_buf_add(ud, p, n);
}

const char *rstream_diff(const char *body, size_t len, int format, size_t chunk)
{
	/* Jansson takes some NUL bytes after a value as the end of the body and not others; the
	 * stream refuses every NUL in JSON, so such bodies are not compared */
	if (format == KT_FORMAT_JSON && memchr(body, '\0', len))
		return NULL;
	kt_error e1 = {0}, e2 = {0}, e3 = {0};
	char *pretty = response_pretty(body, len, format, &e1);
	response full;
	int rc_full = response_parse(body, len, format, &full, &e2);

	kt_buf text;
	kt_buf_init(&text);
	rs_stream *s = rs_new(format, to_buf, &text);
	int rc = 0;
	for (size_t off = 0; off < len && !rc;) {
		size_t n = chunk && len - off > chunk ? chunk : len - off;
		rc = rs_feed(s, body + off, n, &e3);
		off += n;
	}
	response st;
	if (!rc)
		rc = rs_finish(s, &st, &e3);
	else
		memset(&st, 0, sizeof st);

	const char *d = NULL;
	if (pretty && !rs_pretty_complete(s))
		d = differ("the whole-body printer succeeds, the stream fails: %s", e3.msg);
	else if (!pretty && rs_pretty_complete(s))
		d = differ("the whole-body printer fails (%s), the stream prints", e1.msg);
	else if (pretty && rs_exact(s) && (text.len != strlen(pretty) || memcmp(text.data, pretty, text.len))) {
		size_t i = 0;
		while (i < text.len && text.data[i] == pretty[i])
			i++;
		d = differ("pretty text differs at byte %zu: stream [%.80s] printer [%.80s]", i,
			   text.data ? text.data + i : "", pretty + i);
	} else if ((rc_full == 0) != (rc == 0)) {
		d = differ("whole-body parse: %.400s; stream: %.400s", rc_full ? e2.msg : "ok",
			   rc ? e3.msg : "ok");
	} else if (rc_full == 0) {
		d = same_model(&full, s, &st);
	}
	if (rc_full == 0)
		response_free(&full);
	if (rc == 0)
		response_free(&st);
	rs_free(s);
	kt_buf_free(&text);
	free(pretty);
	return d;
}
