#include "app/call.h"

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
	const char *secret = session_value(s, "secret");
	if (call_takes_secret(service, action) && secret && !param_find(r->params, "secret"))
		param_set(r->params, "secret", secret, NULL);
	const param *sent = param_find(r->params, "secret");
	if (call_takes_secret(service, action) && sent && sent->kind == PARAM_VALUE)
		session_add_secret(s, sent->value);
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

static void apply(call *c, call_outcome *out)
{
	const kt_request *r = &c->req;
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
	if (out->parsed)
		response_free(&out->res);
	free(out->hint);
	kt_free_secret(out->ks);
	memset(out, 0, sizeof *out);
}
