#include "app/call.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "files.h"
#include "hint.h"
#include "util.h"

struct call {
	kt_request req;
	session *s;
	char *url;
	char *privs;      /* of the KS sent, for the hint */
	bool dropped_ks;
	tp_call *tp;
	/* call_stream */
	rs_stream *rs;
	rs_write_fn write;
	void *write_ud;
	kt_buf text;           /* the pretty text, when no write was given */
	kt_buf raw;            /* the body, while no larger than keep_body */
	size_t keep_body, step_bytes, this_step;
	bool raw_dropped, stream_failed;
	kt_error stream_err;
};

static bool is(const char *service, const char *action, const char *s, const char *a)
{
	return service && action && !strcasecmp(service, s) && !strcasecmp(action, a);
}

bool call_takes_secret(const char *service, const char *action)
{
	return is(service, action, "session", "start") ||
	       is(service, action, "session", "impersonate");
}

bool call_needs_no_ks(const char *service, const char *action)
{
	return call_takes_secret(service, action) ||
	       is(service, action, "session", "startWidgetSession") ||
	       is(service, action, "user", "login") || is(service, action, "user", "loginByLoginId");
}

/* "N:name" of a multirequest's item N, or NULL. */
static const char *item_part(const kt_request *r, size_t n, const char *name)
{
	char key[48];
	snprintf(key, sizeof key, "%zu:%s", n, name);
	const param *p = param_find(r->params, key);
	return p && p->kind == PARAM_VALUE ? p->value : NULL;
}

/* A secret-taking action (under prefix, "2:" for an item) gets the session's secret when it
 * has none, and the session learns the one sent, to read the KS it returns. */
static void learn_secret(kt_request *r, session *s, const char *service, const char *action,
			 const char *prefix)
{
	if (!call_takes_secret(service, action))
		return;
	char key[48];
	snprintf(key, sizeof key, "%ssecret", prefix);
	const char *secret = session_value(s, "secret");
	if (secret && !param_find(r->params, key))
		param_set(r->params, key, secret, NULL);
	const param *sent = param_find(r->params, key);
	if (sent && sent->kind == PARAM_VALUE)
		session_add_secret(s, sent->value);
}

call *call_new(kt_request *req, session *s)
{
	call *c = kt_xcalloc(1, sizeof *c);
	c->req = *req;
	memset(req, 0, sizeof *req);
	c->s = s;
	kt_request *r = &c->req;
	if (!r->format)
		r->format = KT_FORMAT_XML;
	const char *service = r->service, *action = r->action;
	long long now = (long long)time(NULL);
	if (r->ks && call_needs_no_ks(service, action) && session_ks(s) &&
	    !strcmp(r->ks, session_ks(s)) && session_ks_dead(s, now)) {
		request_set_field(&r->ks, NULL);
		c->dropped_ks = true;
	}
	if (request_is_multi(r)) {
		for (size_t n = 1; n <= r->params->nchildren; n++) {
			char pfx[32];
			snprintf(pfx, sizeof pfx, "%zu:", n);
			learn_secret(r, s, item_part(r, n, "service"), item_part(r, n, "action"), pfx);
		}
	} else {
		learn_secret(r, s, service, action, "");
	}
	ks_info info;
	if (r->ks && session_read_ks(s, r->ks, &info) == 0) {
		if (info.decoded && info.privileges)
			c->privs = kt_xstrdup(info.privileges);
		ks_info_free(&info);
	}
	c->url = request_url(r, session_endpoint(s));
	return c;
}

const kt_request *call_request(const call *c)
{
	return &c->req;
}

const char *call_url(const call *c)
{
	return c->url;
}

bool call_dropped_ks(const call *c)
{
	return c->dropped_ks;
}

static void to_text(void *ud, const char *p, size_t n)
{
	call *c = ud;
	kt_buf_add(&c->text, p, n);
}

void call_stream(call *c, rs_write_fn write, void *ud, size_t keep_body, size_t step_bytes)
{
	rs_free(c->rs);
	c->write = write ? write : to_text;
	c->write_ud = write ? ud : c;
	c->rs = rs_new(c->req.format, c->write, c->write_ud);
	c->keep_body = keep_body;
	c->step_bytes = step_bytes;
}

const char *call_text(const call *c, size_t *len)
{
	*len = c->text.len;
	return c->text.data ? c->text.data : "";
}

static int on_body(void *ud, const char *p, size_t n)
{
	call *c = ud;
	if (c->step_bytes && c->this_step >= c->step_bytes)
		return TP_SINK_PAUSE;
	c->this_step += n;
	if (!c->raw_dropped) {
		if (c->raw.len + n <= c->keep_body) {
			kt_buf_add(&c->raw, p, n);
		} else {
			kt_free_secret(kt_buf_steal(&c->raw));
			c->raw_dropped = true;
		}
	}
	if (!c->stream_failed && rs_feed(c->rs, p, n, &c->stream_err))
		c->stream_failed = true;
	/* a body that is no Kaltura response is read on only while it is kept to be shown */
	return c->stream_failed && c->raw_dropped ? -1 : 0;
}

typedef struct parts {
	tp_part *p;
	size_t n, cap;
} parts;

static tp_part *new_part(parts *ps, const char *name)
{
	if (ps->n == ps->cap) {
		ps->cap = ps->cap ? 2 * ps->cap : 16;
		ps->p = kt_xrealloc(ps->p, ps->cap * sizeof *ps->p);
	}
	ps->p[ps->n] = (tp_part){.name = kt_xstrdup(name)};
	return &ps->p[ps->n++];
}

static void add_text_part(const char *name, const char *value, bool secret, void *ud)
{
	(void)secret; /* the transport copies the values and wipes its copies */
	new_part(ud, name)->value = kt_xstrdup(value);
}

/* A request with a file goes as TestMe's form sends it: multipart/form-data, the parameters
 * as text parts, each file as a part of its own. */
static tp_call *start_multipart(call *c, const tp_opts *o, kt_error *err)
{
	const kt_request *r = &c->req;
	for (size_t i = 0; i < r->nfiles; i++)
		if (files_check_upload(r->files[i].name, r->files[i].path, err))
			return NULL;
	parts ps = {0};
	request_pairs(r, add_text_part, &ps);
	for (size_t i = 0; i < r->nfiles; i++)
		new_part(&ps, r->files[i].name)->path = r->files[i].path;
	tp_call *t = tp_start_multipart(c->url, ps.p, ps.n, o, err);
	for (size_t i = 0; i < ps.n; i++) {
		free((char *)ps.p[i].name);
		if (ps.p[i].value)
			kt_free_secret((char *)ps.p[i].value);
	}
	free(ps.p);
	return t;
}

int call_start(call *c, const tp_opts *o, kt_error *err)
{
	tp_opts so;
	if (c->rs) {
		so = o ? *o : (tp_opts){0};
		so.sink = on_body;
		so.sink_ud = c;
		o = &so;
	}
	if (c->req.nfiles) {
		c->tp = start_multipart(c, o, err);
	} else {
		char *body = request_form_body(&c->req);
		c->tp = tp_start(c->url, body, "application/x-www-form-urlencoded", o, err);
		kt_free_secret(body);
	}
	return c->tp ? 0 : -1;
}

bool call_step(call *c, int wait_ms)
{
	c->this_step = 0;
	return !c->tp || tp_step(c->tp, wait_ms);
}

double call_elapsed(const call *c)
{
	return c->tp ? tp_elapsed(c->tp) : 0;
}

void call_cancel(call *c)
{
	if (c && c->tp) {
		tp_cancel(c->tp);
		c->tp = NULL;
	}
}

void call_free(call *c)
{
	if (!c)
		return;
	call_cancel(c);
	request_free(&c->req);
	free(c->url);
	free(c->privs);
	rs_free(c->rs);
	kt_free_secret(kt_buf_steal(&c->text));
	kt_free_secret(kt_buf_steal(&c->raw));
	free(c);
}

/* What an INVALID_KS says about the KS (kPermissionManager::errorIfKsNotValid's reason). */
static session_ks_state rejected_as(const char *message)
{
	switch (hint_ks_reason(message)) {
	case HINT_KS_EXPIRED: return SESSION_KS_EXPIRED;
	case HINT_KS_ENDED: return SESSION_KS_ENDED;
	default: return SESSION_KS_REJECTED;
	}
}

/* A multirequest's items, each with its own error and KS: the last KS returned is the
 * session's; an INVALID_KS marks the session's KS only for an item that was sent it. */
static void apply_items(call *c, call_outcome *out)
{
	const kt_request *r = &c->req;
	const rvalue *root = out->res.result;
	size_t n = 0;
	while (item_part(r, n + 1, "service") || item_part(r, n + 1, "action"))
		n++;
	if (!n)
		return;
	out->items = kt_xcalloc(n, sizeof *out->items);
	out->nitems = n;
	const char *ks = NULL;
	for (size_t i = 0; i < n; i++) {
		call_item *it = &out->items[i];
		const char *sv = item_part(r, i + 1, "service"), *ac = item_part(r, i + 1, "action");
		it->service = sv ? sv : "";
		it->action = ac ? ac : "";
		if (root && root->kind == RV_ARRAY && i < root->n)
			it->result = root->children[i];
		else if (root && root->kind == RV_ERROR && i == 0)
			it->result = root; /* the whole request refused */
		if (it->result && it->result->kind == RV_ERROR)
			it->error = it->result;
		bool own_ks = item_part(r, i + 1, "ks") != NULL;
		if (it->error && it->error->code && !strcmp(it->error->code, "INVALID_KS") &&
		    r->ks && !own_ks)
			session_mark_ks(c->s, r->ks, rejected_as(it->error->message));
		if (it->error || !it->result)
			continue;
		response one = { .format = out->res.format, .result = (rvalue *)it->result };
		const char *k = response_find_ks(&one, it->service, it->action);
		if (k) {
			it->ks = true;
			ks = k;
		}
	}
	if (ks) {
		out->ks = kt_xstrdup(ks);
		session_set_ks(c->s, ks);
		out->withhold = true; /* a KS in an item's result: no body in the history */
	}
}

static void apply(call *c, call_outcome *out)
{
	const kt_request *r = &c->req;
	if (request_is_multi(r)) {
		apply_items(c, out);
		return;
	}
	const rvalue *e = out->error;
	if (e && e->code && !strcmp(e->code, "INVALID_KS") && r->ks)
		session_mark_ks(c->s, r->ks, rejected_as(e->message));
	if (!e && r->ks && is(r->service, r->action, "session", "end"))
		session_mark_ks(c->s, r->ks, SESSION_KS_ENDED);
	const char *ks = response_find_ks(&out->res, r->service, r->action);
	if (ks && !e) {
		out->ks = kt_xstrdup(ks);
		session_set_ks(c->s, ks);
	}
}

static void outcome_init(const call *c, call_outcome *out)
{
	memset(out, 0, sizeof *out);
	out->service = kt_xstrdup(c->req.service);
	out->action = kt_xstrdup(c->req.action ? c->req.action : "");
	out->format = c->req.format;
}

/* The rules, on a parsed answer. */
static int rules(call *c, call_outcome *out, bool withhold)
{
	out->parsed = true;
	out->error = response_error(&out->res);
	if (out->error) {
		const char *h = hint_for_error(out->error->code, out->error->message, c->privs);
		out->hint = h ? kt_xstrdup(h) : NULL;
	}
	out->withhold = withhold;
	apply(c, out);
	return 0;
}

/* One parse of the answer, then the rules. */
static int take(call *c, call_outcome *out)
{
	const kt_request *r = &c->req;
	if (response_parse_pretty(out->body ? out->body : "", out->len, r->format, &out->res,
				  &out->pretty, &out->err) < 0) {
		out->failed = true;
		return -1;
	}
	return rules(c, out, response_holds_secret(&out->res, r->service, r->action));
}

/* The streamed answer: its model and text were made while it arrived. */
static int take_stream(call *c, call_outcome *out)
{
	const kt_request *r = &c->req;
	if (!c->raw_dropped && c->raw.len) {
		out->len = c->raw.len;
		out->body = kt_buf_steal(&c->raw);
	}
	int rc = c->stream_failed ? -1 : rs_finish(c->rs, &out->res, &out->err);
	if (c->stream_failed)
		out->err = c->stream_err;
	if (c->write == to_text && rs_pretty_complete(c->rs))
		out->pretty = kt_buf_steal(&c->text);
	if (rc < 0) {
		out->failed = true;
		return -1;
	}
	return rules(c, out, rs_holds_secret(c->rs, &out->res, r->service, r->action));
}

int call_finish(call *c, call_outcome *out)
{
	outcome_init(c, out);
	if (!c->tp) {
		out->failed = true;
		kt_fail(&out->err, KT_E_CANCELLED, "the call was not started");
		return -1;
	}
	tp_response tr;
	tp_response_init(&tr);
	int rc = tp_finish(c->tp, &tr, &out->err);
	c->tp = NULL;
	out->http_status = tr.status;
	out->timings = tr.timings;
	out->x_me = tr.x_me ? kt_xstrdup(tr.x_me) : NULL;
	out->redirects = tr.redirects.len ? kt_xstrdup(tr.redirects.data) : NULL;
	out->headers = tr.headers.len ? kt_xstrndup(tr.headers.data, tr.headers.len) : NULL;
	if (tr.body.len) {
		out->len = tr.body.len;
		out->body = kt_buf_steal(&tr.body);
	}
	tp_response_free(&tr);
	if (rc < 0 && c->rs && c->stream_failed)
		out->err = c->stream_err; /* the stream stopped the transfer: say why */
	if (rc < 0) {
		out->failed = true;
		return -1;
	}
	return c->rs ? take_stream(c, out) : take(c, out);
}

int call_answer(call *c, long http_status, const char *body, size_t len, call_outcome *out)
{
	outcome_init(c, out);
	call_cancel(c);
	out->http_status = http_status;
	if (len) {
		out->len = len;
		out->body = kt_xstrndup(body, len);
	}
	return take(c, out);
}

int call_run(call *c, const tp_opts *o, call_outcome *out)
{
	kt_error err = { 0 };
	if (call_start(c, o, &err) < 0) {
		outcome_init(c, out);
		out->failed = true;
		out->err = err;
		return -1;
	}
	return call_finish(c, out);
}

void call_outcome_free(call_outcome *out)
{
	free(out->service);
	free(out->action);
	free(out->x_me);
	free(out->redirects);
	free(out->headers);
	/* the body may carry a KS or a token */
	if (out->body)
		memset(out->body, 0, out->len);
	free(out->body);
	if (out->pretty)
		kt_free_secret(out->pretty);
	if (out->parsed && out->withhold)
		response_free_wiped(&out->res);
	else if (out->parsed)
		response_free(&out->res);
	free(out->hint);
	free(out->items);
	kt_free_secret(out->ks);
	memset(out, 0, sizeof *out);
}

/* Response headers whose value is a credential of some kind (a session cookie a proxy or a
 * load balancer sets, an auth challenge's token): shown by name only. */
static bool credential_header(const char *line, size_t n)
{
	static const char *const names[] = { "set-cookie", "set-cookie2", "cookie",
					     "authorization", "proxy-authorization",
					     "authentication-info", "proxy-authentication-info" };
	const char *colon = memchr(line, ':', n);
	if (!colon)
		return false;
	size_t len = (size_t)(colon - line);
	while (len && (line[len - 1] == ' ' || line[len - 1] == '\t'))
		len--;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strlen(names[i]) == len && !strncasecmp(line, names[i], len))
			return true;
	return false;
}

char *call_exchange_text(const call *c, const call_outcome *out)
{
	char *body = request_form_body_masked(call_request(c));
	kt_buf b;
	kt_buf_init(&b);
	const kt_request *r = call_request(c);
	kt_buf_printf(&b, "Request (credentials masked)\n\nPOST %s\nContent-Type: %s\n\n",
		      call_url(c), r->nfiles ? "multipart/form-data (a part per field, a part per file)"
					     : "application/x-www-form-urlencoded");
	for (size_t i = 0; i < r->nfiles; i++)
		kt_buf_printf(&b, "%s: the file %s\n", r->files[i].name, r->files[i].path);
	/* one parameter a line: the body is one long line of key=value pairs */
	for (const char *p = body; *p;) {
		size_t n = strcspn(p, "&");
		kt_buf_add(&b, p, n);
		kt_buf_adds(&b, p[n] ? "&\n" : "\n");
		p += n + (p[n] != '\0');
	}
	free(body);
	kt_buf_printf(&b, "\nResponse headers (HTTP %ld)\n\n", out->http_status);
	if (!out->headers) {
		kt_buf_adds(&b, "(none: no answer came)\n");
		return kt_buf_steal(&b);
	}
	for (const char *p = out->headers; *p;) {
		size_t n = strcspn(p, "\r\n");
		if (n && credential_header(p, n)) {
			kt_buf_add(&b, p, (size_t)((const char *)memchr(p, ':', n) - p));
			kt_buf_adds(&b, ": ***\n");
		} else if (n) {
			kt_buf_add(&b, p, n);
			kt_buf_addc(&b, '\n');
		}
		p += n;
		p += strspn(p, "\r\n");
	}
	return kt_buf_steal(&b);
}
