/* console: the core of the ncurses console. It owns the screen, the endpoint (endpoint.c) and
 * the running call, reads keys, and hands them to the open overlay (overlay.c) or to the
 * focused view through its view_ops; views never call each other: they learn of changes through
 * console_notify (action chosen, result arrived, session or schema changed). */
#include "console.h"

#include <limits.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "app/call.h"
#include "app/session.h"
#include "codegen.h"
#include "endpoint.h"
#include "harden.h"
#include "hint.h"
#include "history.h"
#include "ks.h"
#include "lineedit.h"
#include "overlay.h"
#include "persist.h"
#include "requests.h"
#include "region.h"
#include "reqtext.h"
#include "response.h"
#include "sandbox/sandbox.h"
#include "schema_cache.h"
#include "ui.h"
#include "util.h"
#include "workflows.h"

/* A result's raw body is kept (history, the raw view of a page that is no XML) up to this. */
#define CONSOLE_KEEP_BODY ((size_t)4 << 20)
/* Body bytes read per turn of the loop: a few milliseconds of parsing. */
#define CONSOLE_STEP_BYTES ((size_t)256 << 10)
/* Text enough for a first page. */
#define CONSOLE_PREVIEW_BYTES ((size_t)16 << 10)

struct console_core {
	console_endpoint ep;
	session_list *sessions; /* one per endpoint; c->session is the endpoint's */
	/* the schemas loaded, by file: one per endpoint that has its own; kept until the end, so
	 * the history's forms (made with any of them) stay valid */
	struct loaded_schema {
		char *path;
		schema *s;
	} *schemas;
	size_t nschemas;
	bool fixed_schema; /* --schema: the same for every endpoint */
	tp_opts net; /* --insecure, --timeout, --max-size, --location */
	/* the running call (src/app/call.h), and the session it was sent with */
	call *call;
	bool previewed;   /* its first page is on screen */
	session *call_session;
	char *call_title;
	form *call_snap;       /* the form as sent, secrets dropped, for the history */
	char *call_endpoint;
	/* a workflow's request (console_flow), run the same way; its outcome goes to flow_done */
	call *flow;
	session *flow_session;
	console_flow_cb flow_done;
	void *flow_ud;
	char *flow_title;
	/* the last result's request as sent (secrets masked) and response headers, for H; NULL
	 * when the result shown came from the history */
	char *exchange;
	history hist;
	hstore *store;             /* the history kept across runs (persist.h) */
	bool store_opened;         /* opened after the first screen */
	unsigned long *hist_shown; /* the entry numbers of the history list as opened, top first */
	size_t nhist_shown;
	/* the status line */
	char status[512];
	msg_kind status_kind;
	unsigned status_gen; /* bumped at each change, so a key that changes nothing redraws nothing */
	/* bytes for the terminal after the next update (OSC 52) */
	kt_buf emit;
	bool cursor_on;
	int cy, cx;
	int zoom;
	bool quit;
};

/* The view table: the core knows the views only through it. */
static const view_ops *const panes[PANE_COUNT] = {
	[PANE_SERVICES] = &services_view,
	[PANE_ACTIONS] = &actions_view,
	[PANE_FORM] = &form_view,
	[PANE_RESULT] = &result_view,
};

void console_notify(console *c, ui_event ev)
{
	for (int p = 0; p < PANE_COUNT; p++)
		if (panes[p]->notify && c->view[p])
			panes[p]->notify(c, ev);
}

static volatile sig_atomic_t got_term;

/* The terminal went away without a SIGHUP (its pty closed under a process that does not own
 * it): every read fails at once, and the loop would spin redrawing. */
static bool terminal_gone(void)
{
	struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
	return poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLERR | POLLNVAL));
}

static void on_term(int sig)
{
	(void)sig;
	got_term = 1;
}

/* ---- services for panes ---- */

void console_status(console *c, msg_kind kind, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->core->status, sizeof c->core->status, fmt, ap);
	va_end(ap);
	c->core->status_kind = kind;
	c->core->status_gen++;
}

void console_emit(console *c, const char *bytes, size_t n)
{
	kt_buf_add(&c->core->emit, bytes, n);
}

void console_cursor(console *c, int y, int x)
{
	c->core->cursor_on = true;
	c->core->cy = y;
	c->core->cx = x;
}

void console_focus(console *c, kt_pane p)
{
	if (p >= 0 && p < PANE_COUNT)
		c->focus = p;
}

void console_set_ks(console *c, const char *ks)
{
	session_set_ks(c->session, ks);
	form_pane_set_field(c, "ks", ks);
	console_status(c, MSG_OK, "KS copied into the session field");
}

static void draw_all(console *c);
static void stop_flow(console *c);

/* The schema for an endpoint (url NULL: the sandbox, which serves the shipped one): its cached
 * schema when `schema update` (or F11) stored one, else the shipped one; loaded once. */
static schema *schema_for(console *c, const char *url, char *which, size_t n)
{
	struct console_core *k = c->core;
	bool cached = false;
	char *path = schema_path_for(url, &cached);
	for (size_t i = 0; i < k->nschemas; i++)
		if (!strcmp(k->schemas[i].path, path)) {
			snprintf(which, n, "%s", cached ? "its cached schema" : "the shipped schema");
			free(path);
			return k->schemas[i].s;
		}
	char *notice = NULL;
	kt_error err = { 0 };
	schema *s = schema_load_for(url, &notice, &err);
	snprintf(which, n, "%s", notice ? notice : !s ? err.msg
					      : cached ? "its cached schema" : "the shipped schema");
	free(notice);
	if (!s) {
		free(path);
		return NULL;
	}
	k->schemas = kt_xrealloc(k->schemas, (k->nschemas + 1) * sizeof *k->schemas);
	k->schemas[k->nschemas++] = (struct loaded_schema){ path, s };
	return s;
}

/* Another schema: the lists are rebuilt and the form follows the same action when the schema
 * has it (the "schema changed" event: the views read c->schema again). */
static void use_schema(console *c, schema *s)
{
	if (!s || s == c->schema)
		return;
	char svc[128] = "", act[128] = "";
	if (c->action) {
		snprintf(svc, sizeof svc, "%s", c->action->service->name);
		snprintf(act, sizeof act, "%s", c->action->name);
	}
	c->schema = s;
	c->service = NULL;
	c->action = NULL;
	console_notify(c, EV_SCHEMA_CHANGED);
	const schema_service *sv = svc[0] ? schema_find_service(s, svc) : NULL;
	c->action = sv ? schema_find_action(sv, act) : NULL;
	c->service = c->action ? c->action->service : NULL;
	console_notify(c, EV_ACTION_CHOSEN);
}

void console_use_endpoint(console *c, const char *name, const char *url)
{
	struct console_core *k = c->core;
	session *to = session_list_get(k->sessions, url, name);
	bool local = name && !strcmp(name, "local");
	char which[600] = "the schema given by --schema";
	schema *s = k->fixed_schema ? NULL : schema_for(c, local ? NULL : url, which, sizeof which);
	if (to != c->session) {
		stop_flow(c); /* its next steps would act on the other endpoint */
		if (c->session) /* the field as it is now is the leaving endpoint's KS */
			session_set_ks(c->session, form_pane_field(c, "ks"));
		c->session_prev = c->session;
		c->session = to;
		console_notify(c, EV_SESSION_CHANGED);
		c->session_prev = NULL;
	}
	use_schema(c, s);
	form_pane_set_field(c, "ks", session_ks(to));
	console_status(c, MSG_INFO, "Endpoint: %s%s%s%s · %s (%zu services, API %s)",
		       name ? name : url, name ? " (" : "", name ? url : "", name ? ")" : "", which,
		       c->schema->nservices,
		       c->schema->api_version ? c->schema->api_version : "version unknown");
}

/* F11: `schema update` from inside: the endpoint's api_schema.php, stored and used. */
static void update_schema(console *c)
{
	struct console_core *k = c->core;
	if (k->ep.name && !strcmp(k->ep.name, "local")) {
		console_status(c, MSG_INFO, "The sandbox serves the shipped schema: nothing to download");
		return;
	}
	console_status(c, MSG_INFO, "Downloading %s/api_v3/api_schema.php ...", k->ep.url);
	draw_all(c);
	char *stored = NULL;
	schema *s = NULL;
	kt_error err = { 0 };
	if (schema_cache_update(k->ep.url, &k->net, &stored, &s, &err) < 0) {
		console_status(c, MSG_ERROR, "Schema not updated: %s", err.msg);
		return;
	}
	/* the file is new: whatever was loaded from it before is not what it holds now */
	for (size_t i = 0; i < k->nschemas; i++)
		if (!strcmp(k->schemas[i].path, stored)) {
			free(k->schemas[i].path);
			k->schemas[i].path = kt_xstrdup("");
		}
	k->schemas = kt_xrealloc(k->schemas, (k->nschemas + 1) * sizeof *k->schemas);
	k->schemas[k->nschemas++] = (struct loaded_schema){ stored, s };
	if (!k->fixed_schema)
		use_schema(c, s);
	console_status(c, MSG_OK, "Schema of %s in use: %zu services, API %s (stored in %s)",
		       k->ep.url, s->nservices, s->api_version ? s->api_version : "?", stored);
}

/* The session field is the session's KS: what is typed there is what the top bar reads. */
static void sync_ks(console *c)
{
	session_set_ks(c->session, form_pane_field(c, "ks"));
}

/* ---- sending ---- */

/* force: send even without a mandatory parameter (the server will say what it thinks) */
static void send_request(console *c, bool force)
{
	struct console_core *k = c->core;
	if (k->call || k->flow) {
		console_status(c, MSG_WARN, "A request is running; Esc cancels it");
		return;
	}
	if (!c->action && !c->multireq) {
		console_status(c, MSG_ERROR, "Choose a service and an action first");
		return;
	}
	kt_request req;
	kt_error err = { 0 };
	memset(&req, 0, sizeof req);
	if (!force && form_pane_required(c, &err) < 0) {
		char keys[32];
		keymap_keys_of(SCOPE_GLOBAL, ACT_SEND_FORCE, keys, sizeof keys);
		console_status(c, MSG_ERROR, "Not sent: %s (%s sends it anyway)", err.msg, keys);
		return;
	}
	if (form_pane_build(c, &req, &err) < 0) {
		if (err.msg[0])
			console_status(c, MSG_ERROR, "Not sent: %s", err.msg);
		return;
	}
	sync_ks(c);
	call *cl = call_new(&req, c->session);
	/* read as it arrives, a piece per turn of the loop: keys are answered throughout */
	call_stream(cl, NULL, NULL, CONSOLE_KEEP_BODY, CONSOLE_STEP_BYTES);
	k->previewed = false;
	if (call_start(cl, &k->net, &err) < 0) {
		console_status(c, MSG_ERROR, "Not sent: %s", err.msg);
		call_free(cl);
		return;
	}
	k->call = cl;
	k->call_session = c->session;
	const kt_request *r = call_request(cl);
	free(k->call_title);
	size_t items = form_pane_multireq(c);
	k->call_title = request_is_multi(r) ? kt_xasprintf("multirequest (%zu item%s)", items,
							   items == 1 ? "" : "s")
					    : kt_xasprintf("%s.%s", r->service, r->action ? r->action : "");
	form_free(k->call_snap);
	k->call_snap = form_pane_snapshot(c);
	free(k->call_endpoint);
	k->call_endpoint = kt_xstrdup(k->ep.name ? k->ep.name : k->ep.url);
	c->sending = true;
	console_status(c, MSG_INFO, "Sending %s%s ... (Esc cancels)", k->call_title,
		       call_dropped_ks(cl) ? " without the dead KS" : "");
}

void console_send(console *c)
{
	send_request(c, false);
}

bool console_flow(console *c, kt_request *req, console_flow_cb done, void *ud)
{
	struct console_core *k = c->core;
	if (k->call || k->flow) {
		request_free(req);
		console_status(c, MSG_WARN, "A request is running; Esc cancels it");
		return false;
	}
	call *cl = call_new(req, c->session);
	call_stream(cl, NULL, NULL, CONSOLE_KEEP_BODY, CONSOLE_STEP_BYTES);
	const kt_request *r = call_request(cl);
	free(k->flow_title);
	k->flow_title = kt_xasprintf("%s.%s", r->service, r->action ? r->action : "");
	kt_error err = { 0 };
	if (call_start(cl, &k->net, &err) < 0) {
		call_outcome out = { .failed = true, .err = err };
		call_free(cl);
		done(c, &out, ud);
		return true;
	}
	k->flow = cl;
	k->flow_session = c->session;
	k->flow_done = done;
	k->flow_ud = ud;
	c->sending = true;
	console_status(c, MSG_INFO, "Sending %s ... (Esc cancels)", k->flow_title);
	return true;
}

/* The flow's request ended (out) or was stopped (out NULL): the slot is free before done runs,
 * so done may start the next request. */
static void end_flow(console *c, bool finished)
{
	struct console_core *k = c->core;
	call_outcome out;
	if (finished)
		call_finish(k->flow, &out);
	call_free(k->flow);
	k->flow = NULL;
	c->sending = false;
	console_flow_cb done = k->flow_done;
	void *ud = k->flow_ud;
	k->flow_done = NULL;
	k->flow_ud = NULL;
	console_status(c, MSG_INFO, "%s", ""); /* no longer "Sending ..."; done says what came */
	done(c, finished ? &out : NULL, ud);
	if (finished)
		call_outcome_free(&out);
}

/* Stops a flow at a switch of endpoint or the end of the run: its done learns it while the
 * session it began in is still the console's. */
static void stop_flow(console *c)
{
	if (c->core->flow)
		end_flow(c, false);
}

void console_set_endpoint(console *c, const char *name, const char *url)
{
	endpoint_use(c, &c->core->ep, name, url);
}

const tp_opts *console_net(const console *c)
{
	return &c->core->net;
}

const char *console_url(const console *c)
{
	return c->core->ep.url;
}

/* ---- history ---- */

/* Restores entry index of the history list into its form and the result pane; false (and
 * said why) when it cannot be. */
static bool history_restore(console *c, int index)
{
	struct console_core *k = c->core;
	if (index < 0 || (size_t)index >= k->nhist_shown)
		return false;
	const history_entry *e = history_find(&k->hist, k->hist_shown[index]);
	if (!e || !e->snap || (!form_action(e->snap) && !e->request)) {
		console_status(c, MSG_WARN, "That request is no longer in the history");
		return false;
	}
	const schema_action *act = form_action(e->snap);
	if (act && schema_find_service(c->schema, act->service->name) != act->service) {
		/* made with another endpoint's schema: its form is that schema's */
		console_status(c, MSG_WARN, "Request %lu was made on %s with its schema: F2 there first",
			       e->number, e->endpoint);
		return false;
	}
	if (!act) { /* a multirequest: the builder gets its requests back */
		kt_request req;
		kt_error err = { 0 };
		int rc = reqtext_parse(e->request, &req, &err); /* frees req when it fails */
		if (rc == 0) {
			rc = form_pane_restore_multireq(c, &req, &err);
			request_free(&req);
		}
		if (rc < 0) {
			console_status(c, MSG_WARN, "Request %lu not restored: %s", e->number, err.msg);
			return false;
		}
		console_focus(c, PANE_FORM);
	} else {
		c->multireq = false;
		c->action = act;
		c->service = act->service;
		console_notify(c, EV_ACTION_CHOSEN);
		form_pane_restore(c, e->snap);
	}
	free(k->exchange);
	k->exchange = NULL;
	history_result_free(&c->res);
	history_result_copy(&c->res, &e->res);
	console_notify(c, EV_RESULT_ARRIVED);
	const char *why = e->body_withheld ? " (its result held a credential: not kept)"
			  : e->body_dropped ? " (result not kept)" : "";
	char *diff = persist_diff(&k->hist, e);
	console_status(c, MSG_OK, "Restored request %lu (%s)%s%s%s", e->number,
		       c->res.title ? c->res.title : "", why, diff ? "; " : "", diff ? diff : "");
	free(diff);
	return true;
}

static void history_picked(console *c, int index, void *ud)
{
	(void)ud;
	history_restore(c, index);
}

/* Del and F5 (send) in the list: delete the entry (from the file too), or restore and send
 * it again. */
static choose_after history_act(console *c, int index, kt_action a, void *ud)
{
	(void)ud;
	struct console_core *k = c->core;
	if (a != ACT_SEND && a != ACT_HISTORY_DELETE)
		return CHOOSE_IGNORE;
	if (index < 0 || (size_t)index >= k->nhist_shown)
		return CHOOSE_KEEP;
	if (a == ACT_SEND) {
		if (history_restore(c, index))
			console_send(c);
		return CHOOSE_CLOSE;
	}
	unsigned long number = k->hist_shown[index];
	if (!persist_delete(c, k->store, &k->hist, number)) {
		console_status(c, MSG_WARN, "That request is no longer in the history");
		return CHOOSE_KEEP;
	}
	memmove(k->hist_shown + index, k->hist_shown + index + 1,
		(k->nhist_shown - (size_t)index - 1) * sizeof *k->hist_shown);
	k->nhist_shown--;
	console_status(c, MSG_OK, "Deleted request %lu from the history", number);
	if (!k->nhist_shown)
		return CHOOSE_CLOSE;
	return CHOOSE_DROP;
}

static void open_history(console *c)
{
	struct console_core *k = c->core;
	size_t n = history_count(&k->hist);
	if (!n) {
		console_status(c, MSG_INFO, "The history is empty: each request sent (F5) joins it");
		return;
	}
	char **items = kt_xmalloc(n * sizeof *items);
	free(k->hist_shown);
	k->hist_shown = kt_xmalloc(n * sizeof *k->hist_shown);
	k->nhist_shown = n;
	for (size_t i = 0; i < n; i++) {
		const history_entry *e = history_at(&k->hist, i);
		char line[200];
		history_line(e, line, sizeof line);
		/* what differs from the one before of the same action, so it can be filtered too */
		char *diff = persist_diff_short(&k->hist, e);
		items[i] = diff ? kt_xasprintf("%s   %s", line, diff) : kt_xstrdup(line);
		free(diff);
		k->hist_shown[i] = e->number;
	}
	console_choose(c, "History, newest first (Enter restores the form and result)",
		       (const char *const *)items, n, 0, history_picked, NULL);
	char del[32], send[32], hint[128];
	keymap_keys_of(SCOPE_HISTORY, ACT_HISTORY_DELETE, del, sizeof del);
	keymap_keys_of(SCOPE_HISTORY, ACT_SEND, send, sizeof send);
	send[strcspn(send, ",")] = '\0'; /* the first key says it */
	snprintf(hint, sizeof hint, "type to filter, Enter restores, %s re-sends, %s deletes", send,
		 del);
	console_choose_actions(c, SCOPE_HISTORY, history_act, hint);
	for (size_t i = 0; i < n; i++)
		free(items[i]);
	free(items);
}

static void show_exchange(console *c)
{
	struct console_core *k = c->core;
	if (!k->exchange) {
		console_status(c, MSG_INFO, c->res.title
			       ? "The request and headers are kept only for a result sent in this run"
			       : "No request sent yet: F5 sends one");
		return;
	}
	console_show_text(c, "The last request as sent and its response headers", k->exchange,
			  NULL, TEXT_COPY);
}

/* A multirequest's answer item by item: each its own outcome ("1 session.start: ok, its KS is
 * the session's · 2 category.get: CATEGORY_NOT_FOUND"), the first error in the header. */
static void multi_result(console *c, console_result *r, const call_outcome *out)
{
	kt_buf b;
	kt_buf_init(&b);
	size_t bad = 0, worked = 0;
	for (size_t i = 0; i < out->nitems; i++) {
		const call_item *it = &out->items[i];
		kt_buf_printf(&b, "%s%zu %s.%s: ", i ? " \xc2\xb7 " : "", i + 1, it->service,
			      it->action);
		if (it->error) {
			kt_buf_adds(&b, it->error->code && *it->error->code ? it->error->code : "error");
			if (!bad)
				bad = i + 1;
		} else if (!it->result) {
			kt_buf_adds(&b, "no result");
		} else {
			kt_buf_adds(&b, it->ks ? "ok, its KS is the session's" : "ok");
			worked++;
		}
	}
	r->note = kt_buf_steal(&b);
	if (out->ks && c->core->call_session == c->session)
		form_pane_set_field(c, "ks", out->ks);
	if (bad) {
		const call_item *it = &out->items[bad - 1];
		r->error_code = kt_xstrdup(it->error->code ? it->error->code : "");
		r->error_message = kt_xasprintf("item %zu (%s.%s): %s", bad, it->service, it->action,
						it->error->message ? it->error->message : "");
		r->hint = out->hint ? kt_xstrdup(out->hint) : NULL;
		console_status(c, MSG_ERROR, "%s: item %zu failed (%s); %zu of %zu worked%s", r->title,
			       bad, r->error_code, worked, out->nitems,
			       out->ks ? ", the KS was copied into the session field" : "");
	} else {
		console_status(c, MSG_OK, "%s: every item worked%s", r->title,
			       out->ks ? "; the KS was copied into the session field" : "");
	}
}

static void finish_request(console *c)
{
	struct console_core *k = c->core;
	call_outcome out;
	call_finish(k->call, &out);
	bool dropped = call_dropped_ks(k->call);
	free(k->exchange);
	k->exchange = call_exchange_text(k->call, &out);
	const char *sent = call_request(k->call)->ks;
	char *sent_ks = sent ? kt_xstrdup(sent) : NULL;
	/* kept to the end: a multirequest's items name its parts */
	call *done = k->call;
	k->call = NULL;
	c->sending = false;
	console_result *r = &c->res;
	history_result_free(r);
	r->title = kt_xstrdup(k->call_title);
	r->format = out.format;
	r->http_status = out.http_status;
	r->timings = out.timings;
	if (out.body) {
		r->len = out.len;
		r->body = kt_xstrndup(out.body, out.len);
	}
	const char *dead = dropped ? " (the dead KS was left out)" : "";
	if (out.failed) {
		r->failure = kt_xstrdup(out.err.msg);
		if (out.err.code == KT_E_RESPONSE)
			console_status(c, MSG_ERROR, "HTTP %ld: %s", out.http_status, out.err.msg);
		else
			console_status(c, MSG_ERROR, "%s", out.err.msg);
	} else {
		r->has_execution_time = out.res.has_execution_time;
		r->execution_time = out.res.execution_time;
		if (out.nitems) {
			multi_result(c, r, &out);
		} else if (out.error) {
			r->error_code = kt_xstrdup(out.error->code ? out.error->code : "");
			r->error_message = kt_xstrdup(out.error->message ? out.error->message : "");
			r->hint = out.hint ? kt_xstrdup(out.hint) : NULL;
			console_status(c, MSG_ERROR, "%s: %s", r->error_code, r->error_message);
		} else if (out.ks) {
			/* the KS is the session's now; the field shows it if that is still the endpoint */
			if (k->call_session == c->session)
				form_pane_set_field(c, "ks", out.ks);
			r->note = kt_xstrdup("The KS was copied into the session field");
			console_status(c, MSG_OK, "%s: the KS was copied into the session field%s",
				       r->title, dead);
		} else {
			console_status(c, MSG_OK, "%s: done in %.0f ms%s", r->title,
				       out.timings.total * 1000, dead);
		}
	}
	if (!out.failed && out.redirects) /* the status line shows peer text as '?' */
		console_status(c, MSG_WARN, "Followed a redirect: %.*s",
			       (int)strcspn(out.redirects, "\n"), out.redirects);
	history_add(&k->hist, k->call_snap, k->call_endpoint, time(NULL), r);
	if (out.withhold) /* no credential in the history, not even in memory */
		history_withhold_last(&k->hist);
	const kt_request *req = call_request(done);
	long long stored;
	if (request_is_multi(req)) { /* its requests as text: its snap has only the fields */
		char *text = reqtext_format(req);
		history_set_request_last(&k->hist, text);
		free(text);
		stored = persist_add_request(c, k->store, req, k->call_endpoint, r, out.withhold);
	} else {
		stored = persist_add(c, k->store, k->call_snap, k->call_endpoint, r, out.withhold);
	}
	history_tag_last(&k->hist, stored);
	form_free(k->call_snap);
	k->call_snap = NULL;
	workflows_after_call(c, &out, sent_ks); /* the entitlement fix: offered, or compared */
	kt_free_secret(sent_ks);
	free(c->res_pretty);
	c->res_pretty = out.pretty; /* from the one parse; the result view takes it */
	out.pretty = NULL;
	call_outcome_free(&out);
	call_free(done);
	console_notify(c, EV_RESULT_ARRIVED);
}

/* ---- code examples (TestMe's "Show Code Example") ---- */

static void code_picked(console *c, int index, void *ud)
{
	(void)ud;
	if (index < 0)
		return;
	codegen_lang lang = (codegen_lang)index;
	kt_request req;
	kt_error err = { 0 };
	if (form_pane_build(c, &req, &err) < 0) {
		if (err.msg[0])
			console_status(c, MSG_ERROR, "No code: %s", err.msg);
		return;
	}
	char *code = codegen_generate(lang, &req, c->core->ep.url, c->schema, &err);
	if (!code) {
		console_status(c, MSG_ERROR, "No %s example: %s", codegen_lang_name(lang), err.msg);
		request_free(&req);
		return;
	}
	/* over the result, which stays */
	static const char *const ext[] = { "sh", "php", "py", "js" };
	/* a multirequest has no action: its title and file are the service's alone */
	const char *dot = req.action && *req.action ? "." : "";
	const char *act = *dot ? req.action : "";
	char *title = kt_xasprintf("%s%s%s as %s (y copies, s saves, Esc closes)", req.service,
				   dot, act, codegen_lang_name(lang));
	char *file = kt_xasprintf("%s%s%s.%s", req.service, dot, act, ext[lang < 4 ? lang : 0]);
	console_show_text(c, title, code, file, TEXT_COPY);
	free(title);
	free(file);
	free(code);
	request_free(&req);
	console_status(c, MSG_OK, "The %s example: credentials come from the environment, never "
		       "from the form", codegen_lang_name(lang));
}

static void open_code(console *c)
{
	if (!c->action && !c->multireq) {
		console_status(c, MSG_ERROR, "Choose a service and an action first");
		return;
	}
	/* in codegen_lang order */
	static const char *const langs[] = { "curl", "PHP (KalturaClient.php)",
					     "Python (KalturaClient)", "Node.js (kaltura-client)" };
	console_choose(c, "Code example", langs, sizeof langs / sizeof langs[0], 0, code_picked,
		       NULL);
}

/* The session field's KS read here (TestMe cannot): shown in the result pane. */
static void cancel_request(console *c)
{
	struct console_core *k = c->core;
	/* the transfer and the reading stop together */
	call_free(k->call);
	k->call = NULL;
	c->sending = false;
	form_free(k->call_snap);
	k->call_snap = NULL;
	if (k->previewed) { /* the first page of a result that will not come */
		history_result_free(&c->res);
		free(c->res_pretty);
		c->res_pretty = NULL;
		k->previewed = false;
		console_notify(c, EV_RESULT_ARRIVED);
	}
	console_status(c, MSG_WARN, "Cancelled: %s", k->call_title);
}

/* The first page of a result still arriving, once there is one. */
static void preview_request(console *c)
{
	struct console_core *k = c->core;
	size_t len;
	const char *text = call_text(k->call, &len);
	if (k->previewed || len < CONSOLE_PREVIEW_BYTES)
		return;
	k->previewed = true;
	while (len && text[len - 1] != '\n') /* whole lines */
		len--;
	history_result_free(&c->res);
	c->res.title = kt_xasprintf("%s (arriving...)", k->call_title);
	c->res.format = call_request(k->call)->format;
	free(c->res_pretty);
	c->res_pretty = kt_xstrndup(text, len);
	console_notify(c, EV_RESULT_ARRIVED);
}

/* ---- drawing ---- */

/* What the session's KS says, for the top bar (the session reads it once per KS). */
static void ks_summary(console *c, char *out, size_t n, bool *admin, bool *dead)
{
	session *s = c->session;
	long long now = (long long)time(NULL);
	sync_ks(c);
	session_ks_state st = session_ks_state_at(s, now);
	const ks_info *info = session_ks_info(s);
	*admin = false;
	*dead = session_ks_dead(s, now);
	if (st == SESSION_KS_NONE) {
		snprintf(out, n, "no KS");
		return;
	}
	if (!info) {
		snprintf(out, n, "KS: not a KS");
		return;
	}
	char keys[32] = "";
	keymap_keys_of(SCOPE_GLOBAL, ACT_CLEAR_KS, keys, sizeof keys);
	char *comma = strchr(keys, ',');
	if (comma)
		*comma = '\0';
	if (!info->decoded) {
		if (*dead)
			snprintf(out, n, "KS v%d %s (%s clears)", info->version,
				 session_ks_state_word(st), keys);
		else
			snprintf(out, n, "KS v%d (encrypted)", info->version);
		return;
	}
	*admin = info->type >= 1;
	long long left = info->valid_until - now;
	char span[48] = "";
	if (left > 0)
		kt_format_span(left, span, sizeof span);
	const char *who = info->user && *info->user ? info->user : "(no user)";
	if (*dead)
		snprintf(out, n, "%s %s %s (%s clears)", *admin ? "ADMIN" : "USER", who,
			 session_ks_state_word(st), keys);
	else
		snprintf(out, n, "%s %s expires in %s", *admin ? "ADMIN" : "USER", who, span);
}

static void draw_top(console *c)
{
	kt_rect r = c->lay.top;
	ui_fill(r.y, r.x, r.w, ui_attr(UI_TITLE));
	char buf[512], ksb[160];
	bool admin, dead;
	ks_summary(c, ksb, sizeof ksb, &admin, &dead);
	const ks_info *info = session_ks_info(c->session);
	long long partner = info ? info->partner_id : 0;
	const char *pf = form_pane_field(c, "partnerId");
	if (!partner && pf)
		partner = atoll(pf);
	if (!partner)
		partner = session_partner(c->session);
	char pbuf[32] = "-";
	if (partner)
		snprintf(pbuf, sizeof pbuf, "%lld", partner);
	/* what does not fit goes first: the program's name, then a named endpoint's URL */
	char spin[32] = "";
	if (c->sending) {
		static const char wheel[] = "|/-\\";
		double el = call_elapsed(c->core->flow ? c->core->flow : c->core->call);
		snprintf(spin, sizeof spin, " │ %c %.1f s ", wheel[(int)(el * 8) % 4], el);
	}
	const char *name = c->core->ep.name ? c->core->ep.name : "url";
	int room = r.w - le_width(spin, strlen(spin));
	const char *prof = workflows_profile();
	char pname[96] = "";
	if (prof)
		snprintf(pname, sizeof pname, "profile %s │ ", prof);
	for (int variant = 0; variant < 3; variant++) {
		snprintf(buf, sizeof buf, "%s%s%s%s%s │ partner %s │ ",
			 variant == 0 ? " ktestme │ " : " ", pname, name,
			 variant == 2 && c->core->ep.name ? "" : " ",
			 variant == 2 && c->core->ep.name ? "" : c->core->ep.url, pbuf);
		if (le_width(buf, strlen(buf)) + le_width(ksb, strlen(ksb)) <= room)
			break;
	}
	int x = ui_text(r.y, r.x, room, buf, (size_t)-1, ui_attr(UI_TITLE));
	attr_t ka = dead ? (ui_attr(UI_ERROR) | A_REVERSE)
		    : admin ? (ui_attr(UI_WARN) | A_REVERSE) : ui_attr(UI_TITLE);
	x += ui_text(r.y, r.x + x, room - x, ksb, (size_t)-1, ka);
	/* the KS's privileges last: what does not fit is cut at the screen's edge */
	if (info && info->decoded && info->privileges && *info->privileges && x < room) {
		x += ui_text(r.y, r.x + x, room - x, " │ ", (size_t)-1, ui_attr(UI_TITLE));
		ui_text(r.y, r.x + x, room - x, info->privileges, (size_t)-1, ui_attr(UI_TITLE));
	}
	if (spin[0])
		ui_text(r.y, r.x + room, r.w - room, spin, (size_t)-1, ui_attr(UI_TITLE));
}

static void draw_status(console *c)
{
	struct console_core *k = c->core;
	kt_rect r = c->lay.status;
	ui_fill(r.y, r.x, r.w, A_NORMAL);
	if (overlay_draw_prompt(c, r))
		return;
	if (k->status[0]) {
		static const ui_role roles[] = { UI_NORMAL, UI_OK, UI_WARN, UI_ERROR };
		ui_text(r.y, r.x, r.w, k->status, (size_t)-1, ui_attr(roles[k->status_kind]));
		return;
	}
	static const struct {
		kt_action a;
		const char *label;
	} hints[] = { { ACT_HELP, "Help" }, { ACT_REGION, "Region" }, { ACT_SEND, "Send" },
		      { ACT_NEXT_PANE, "Pane" }, { ACT_QUIT, "Quit" } };
	int x = 0;
	if (c->multireq) { /* what F5 sends now */
		size_t n = form_pane_multireq(c);
		char what[64];
		snprintf(what, sizeof what, "multirequest: %zu item%s  ", n, n == 1 ? "" : "s");
		x += ui_text(r.y, r.x, r.w, what, (size_t)-1, ui_attr(UI_OK));
	}
	for (size_t i = 0; i < sizeof hints / sizeof hints[0] && x < r.w; i++) {
		char keys[64];
		keymap_keys_of(SCOPE_GLOBAL, hints[i].a, keys, sizeof keys);
		char *comma = strchr(keys, ',');
		if (comma)
			*comma = '\0';
		x += ui_text(r.y, r.x + x, r.w - x, keys, (size_t)-1, ui_attr(UI_KEY));
		x += ui_text(r.y, r.x + x, r.w - x, " ", 1, A_NORMAL);
		x += ui_text(r.y, r.x + x, r.w - x, hints[i].label, (size_t)-1, A_NORMAL);
		x += ui_text(r.y, r.x + x, r.w - x, "  ", 2, A_NORMAL);
	}
}

static void draw_too_small(console *c)
{
	erase();
	char buf[160];
	snprintf(buf, sizeof buf, "The terminal is %dx%d: enlarge it to at least %dx%d.", c->cols,
		 c->rows, LAYOUT_MIN_COLS, LAYOUT_MIN_ROWS);
	int y = c->rows / 2 - 1;
	ui_text(y < 0 ? 0 : y, 1, c->cols - 2, buf, (size_t)-1, ui_attr(UI_WARN));
	ui_text(y + 1 < c->rows ? y + 1 : 0, 1, c->cols - 2, "F10 or Ctrl-Q quits.", (size_t)-1,
		A_NORMAL);
}

static void draw_all(console *c)
{
	struct console_core *k = c->core;
	k->cursor_on = false;
	if (c->lay.too_small) {
		draw_too_small(c);
		curs_set(0);
		refresh();
		return;
	}
	erase();
	draw_top(c);
	for (int p = 0; p < PANE_COUNT; p++) {
		kt_rect r = c->lay.pane[p];
		if (r.h <= 0 || r.w <= 0)
			continue;
		bool focused = c->focus == p;
		char title[256] = "";
		panes[p]->title(c, title, sizeof title);
		attr_t ta = ui_attr(focused ? UI_TITLE_FOCUS : UI_TITLE);
		ui_fill(r.y, r.x, r.w, ta);
		ui_text(r.y, r.x + 1, r.w - 1, title, (size_t)-1, ta);
		kt_rect content = { r.y + 1, r.x, r.h - 1, r.w };
		if (content.h > 0)
			panes[p]->draw(c, content, focused && !overlay_open(c));
	}
	/* the separator between the lists and the right-hand panes */
	int sx = c->lay.pane[PANE_SERVICES].x + c->lay.pane[PANE_SERVICES].w;
	if (c->lay.pane[PANE_SERVICES].w > 0) {
		attrset(ui_attr(UI_DIM));
		mvvline(1, sx, ACS_VLINE, c->rows - 2);
		attrset(A_NORMAL);
	}
	if (c->lay.side_by_side && k->zoom < 0) {
		int fx = c->lay.pane[PANE_FORM].x + c->lay.pane[PANE_FORM].w;
		attrset(ui_attr(UI_DIM));
		mvvline(1, fx, ACS_VLINE, c->rows - 2);
		attrset(A_NORMAL);
	}
	bool pane_cursor = k->cursor_on && !overlay_open(c);
	k->cursor_on = false;
	draw_status(c);
	overlay_draw(c);
	if (k->cursor_on || pane_cursor) {
		curs_set(1);
		move(k->cy, k->cx);
	} else {
		curs_set(0);
	}
	refresh();
	if (k->emit.len) {
		fflush(stdout);
		ssize_t wr = write(STDOUT_FILENO, k->emit.data, k->emit.len);
		(void)wr;
		k->emit.len = 0;
	}
}

/* ---- keys ---- */

bool ui_key_is_text(const ui_key *k)
{
	return !k->fn && k->ch >= 0x20 && k->ch != 0x7f && !(k->ch >= 0x80 && k->ch < 0xa0);
}

static void name_key(ui_key *k)
{
	static const struct {
		int code;
		const char *name;
	} fns[] = {
		{ KEY_UP, "Up" },	  { KEY_DOWN, "Down" },	    { KEY_LEFT, "Left" },
		{ KEY_RIGHT, "Right" },	  { KEY_PPAGE, "PgUp" },    { KEY_NPAGE, "PgDn" },
		{ KEY_HOME, "Home" },	  { KEY_END, "End" },	    { KEY_IC, "Ins" },
		{ KEY_DC, "Del" },	  { KEY_BTAB, "S-Tab" },    { KEY_BACKSPACE, "Backspace" },
		{ KEY_ENTER, "Enter" },	  { KEY_A1, "Home" },	    { KEY_C1, "End" },
		{ KEY_A3, "PgUp" },	  { KEY_C3, "PgDn" },
	};
	k->name[0] = '\0';
	if (k->fn) {
		if (k->ch >= (wint_t)KEY_F(1) && k->ch <= (wint_t)KEY_F(12)) {
			snprintf(k->name, sizeof k->name, "F%d", (int)(k->ch - KEY_F0));
			return;
		}
		for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++)
			if ((wint_t)fns[i].code == k->ch)
				snprintf(k->name, sizeof k->name, "%s", fns[i].name);
		return;
	}
	switch (k->ch) {
	case '\t': snprintf(k->name, sizeof k->name, "Tab"); return;
	case '\r':
	case '\n': snprintf(k->name, sizeof k->name, "Enter"); return;
	case 27: snprintf(k->name, sizeof k->name, "Esc"); return;
	case 127:
	case 8: snprintf(k->name, sizeof k->name, "Backspace"); return;
	case ' ': snprintf(k->name, sizeof k->name, "Space"); return;
	default: break;
	}
	if (k->ch >= 1 && k->ch <= 26) {
		snprintf(k->name, sizeof k->name, "C-%c", (char)('a' + k->ch - 1));
		return;
	}
	if (ui_key_is_text(k)) {
		mbstate_t st;
		memset(&st, 0, sizeof st);
		char mb[MB_LEN_MAX + 1];
		size_t n = wcrtomb(mb, (wchar_t)k->ch, &st);
		if (n != (size_t)-1 && n < sizeof k->name) {
			memcpy(k->name, mb, n);
			k->name[n] = '\0';
		}
	}
}

/* Keys that act even while a field is being edited: the F-keys, and quitting and sending
 * (actions.def's GLOBAL bindings of C-q, C-c, C-r, C-f). */
static bool always_command(const ui_key *k)
{
	if (k->fn && k->name[0] == 'F' && k->name[1] >= '0' && k->name[1] <= '9')
		return true;
	if (!k->name[0] || ui_key_is_text(k))
		return false;
	kt_action a = keymap_lookup(SCOPE_GLOBAL, k->name);
	return a == ACT_QUIT || a == ACT_SEND || a == ACT_SEND_FORCE;
}

static void layout_now(console *c)
{
	getmaxyx(stdscr, c->rows, c->cols);
	layout_compute(c->rows, c->cols, c->core->zoom, &c->lay);
}

static int global_action(console *c, kt_action a)
{
	struct console_core *k = c->core;
	switch (a) {
	case ACT_QUIT: k->quit = true; return H_QUIT;
	case ACT_HELP: overlay_help(c); return H_HANDLED;
	case ACT_WELCOME:
		if (!sandbox_url()) {
			console_status(c, MSG_INFO, "The welcome walkthrough needs the sandbox: F2, local");
			return H_HANDLED;
		}
		overlay_welcome(c);
		return H_HANDLED;
	case ACT_REGION: endpoint_choose(c, &k->ep); return H_HANDLED;
	case ACT_CODE: open_code(c); return H_HANDLED;
	case ACT_DECODE_KS: workflows_inspect(c); return H_HANDLED;
	case ACT_RENEW_KS: workflows_renew(c); return H_HANDLED;
	case ACT_PROFILE: workflows_profiles(c); return H_HANDLED;
	case ACT_APPTOKEN_SESSION: workflows_apptoken(c); return H_HANDLED;
	case ACT_FIX_ENTITLEMENT: workflows_fix(c); return H_HANDLED;
	case ACT_SIGN_IN: workflows_signin(c); return H_HANDLED;
	case ACT_GENERATE_KS: workflows_generate(c); return H_HANDLED;
	case ACT_SCHEMA_UPDATE: update_schema(c); return H_HANDLED;
	case ACT_CLEAR_KS:
		console_set_ks(c, NULL);
		console_status(c, MSG_OK, "The session field is empty: session.start fills it");
		return H_HANDLED;
	case ACT_SEND: send_request(c, false); return H_HANDLED;
	case ACT_SEND_FORCE: send_request(c, true); return H_HANDLED;
	case ACT_HISTORY: open_history(c); return H_HANDLED;
	case ACT_EXCHANGE: show_exchange(c); return H_HANDLED;
	case ACT_IMPORT: requests_import(c); return H_HANDLED;
	case ACT_SAVE_REQUEST: requests_save(c); return H_HANDLED;
	case ACT_OPEN_SAVED: requests_open(c); return H_HANDLED;
	case ACT_CANCEL:
		if (k->call)
			cancel_request(c);
		else if (k->flow)
			end_flow(c, false);
		else
			k->status[0] = '\0';
		return H_HANDLED;
	case ACT_NEXT_PANE:
	case ACT_PREV_PANE: {
		int step = a == ACT_NEXT_PANE ? 1 : PANE_COUNT - 1;
		int p = c->focus;
		for (int i = 0; i < PANE_COUNT; i++) {
			p = (p + step) % PANE_COUNT;
			if (c->lay.pane[p].h > 0)
				break;
		}
		c->focus = p;
		return H_HANDLED;
	}
	case ACT_ZOOM:
		k->zoom = k->zoom < 0 ? c->focus : -1;
		layout_now(c);
		return H_HANDLED;
	case ACT_REVEAL:
		c->reveal = !c->reveal;
		console_status(c, MSG_INFO, c->reveal ? "Secrets are shown (F3 hides them)"
						      : "Secrets are hidden");
		return H_HANDLED;
	default: return 0;
	}
}

static void mouse_event(console *c)
{
	MEVENT ev;
	if (getmouse(&ev) != OK || c->lay.too_small)
		return;
	if ((ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED)) && overlay_click(c, ev.y, ev.x))
		return;
	if (overlay_open(c) || overlay_prompting(c))
		return;
	int p = layout_hit(&c->lay, ev.y, ev.x);
	if (p < 0)
		return;
	c->focus = p;
	if (ev.bstate & BUTTON4_PRESSED) {
		for (int i = 0; i < 3; i++)
			panes[p]->action(c, ACT_UP);
		return;
	}
#ifdef BUTTON5_PRESSED
	if (ev.bstate & BUTTON5_PRESSED) {
		for (int i = 0; i < 3; i++)
			panes[p]->action(c, ACT_DOWN);
		return;
	}
#endif
	kt_rect r = c->lay.pane[p];
	if (ev.y > r.y)
		panes[p]->click(c, ev.y - r.y - 1, ev.x - r.x);
}

/* Bracketed paste (xterm's mode 2004): the terminal wraps pasted text in ESC [200~ ... ESC [201~,
 * which curses reports as these two keys (define_key), so a paste is text, never commands. */
enum { KEY_PASTE_BEGIN = KEY_MAX + 64, KEY_PASTE_END };
#define PASTE_MAX ((size_t)16 << 20)

/* Reads the pasted text up to its end marker (or a second of silence) from the terminal itself,
 * in large reads: curses reads one byte per system call, which makes 1 MB take seconds. curses
 * has read nothing past the begin marker; bytes after the end marker (keys typed after the
 * paste) go back to it. false when the paste was over PASTE_MAX (nothing is kept). */
static bool read_paste(kt_buf *out)
{
	static const char end[] = "\x1b[201~";
	const size_t elen = sizeof end - 1;
	bool over = false;
	char chunk[64 * 1024];
	for (;;) {
		struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
		if (poll(&p, 1, 1000) <= 0)
			break;
		ssize_t n = read(STDIN_FILENO, chunk, sizeof chunk);
		if (n <= 0)
			break;
		size_t from = out->len > elen ? out->len - elen : 0;
		kt_buf_add(out, chunk, (size_t)n);
		char *m = memmem(out->data + from, out->len - from, end, elen);
		if (m) {
			size_t at = (size_t)(m - out->data);
			for (size_t i = out->len; i-- > at + elen;)
				ungetch((unsigned char)out->data[i]);
			out->len = at;
			out->data[at] = '\0';
			break;
		}
		if (out->len > PASTE_MAX) { /* keep only what may start the end marker */
			over = true;
			memmove(out->data, out->data + out->len - elen, elen);
			out->len = elen;
		}
	}
	if (over) {
		memset(out->data, 0, out->len);
		out->len = 0;
		return false;
	}
	/* a terminal pastes line breaks as CR (or CR LF): one LF each */
	size_t k = 0;
	for (size_t i = 0; i < out->len; i++) {
		if (out->data[i] == '\r' && i + 1 < out->len && out->data[i + 1] == '\n')
			continue;
		out->data[k++] = out->data[i] == '\r' ? '\n' : out->data[i];
	}
	out->len = k;
	if (out->data)
		out->data[k] = '\0';
	return true;
}

static void handle_paste(console *c, const char *text, size_t len)
{
	if (c->lay.too_small || !len)
		return;
	if (overlay_paste(c, text, len))
		return;
	const view_ops *p = panes[c->focus];
	if (overlay_open(c) || !p->paste) {
		console_status(c, MSG_INFO,
			       "A paste is text: paste into a form field, a list filter or a prompt");
		return;
	}
	if (!c->sending)
		c->core->status[0] = '\0';
	p->paste(c, text, len);
}

/* The handler's flags (H_HANDLED, H_REDRAW, H_QUIT); 0 when nothing took the key. */
static int handle_key(console *c, const ui_key *key)
{
	struct console_core *k = c->core;
	if (c->lay.too_small) {
		kt_action a = keymap_lookup(SCOPE_GLOBAL, key->name);
		if (a == ACT_QUIT)
			k->quit = true;
		return a == ACT_QUIT ? H_QUIT : 0;
	}
	/* the prompt first: a text view may have opened it (s saves) */
	if (overlay_prompting(c)) {
		if (always_command(key) && keymap_lookup(SCOPE_GLOBAL, key->name) == ACT_QUIT)
			k->quit = true;
		else
			overlay_prompt_key(c, key);
		return H_HANDLED;
	}
	if (overlay_open(c)) {
		int h = overlay_key(c, key);
		if ((!h && always_command(key)) || (h & H_PASS))
			h = global_action(c, keymap_lookup(SCOPE_GLOBAL, key->name)) | H_REDRAW;
		if (h & H_QUIT)
			k->quit = true;
		return h | H_REDRAW; /* the overlay closed, or moved */
	}
	/* a new key replaces an old message, unless a call is reporting progress */
	if (!c->sending && k->status[0]) {
		k->status[0] = '\0';
		k->status_gen++;
	}
	const view_ops *p = panes[c->focus];
	int h = 0;
	if (p->editing && p->editing(c) && !always_command(key) && p->key && (h = p->key(c, key)))
		return h;
	kt_action a = keymap_lookup(p->scope_now ? p->scope_now(c) : p->scope, key->name);
	if (a != ACT_NONE && ((h = p->action(c, a)) || (h = global_action(c, a)))) {
		if (h & H_QUIT)
			k->quit = true;
		return h;
	}
	return p->key ? p->key(c, key) : 0;
}

/* ---- setup ---- */

static int setup(console *c, const console_opts *o, kt_error *err)
{
	const char *env_url = getenv("KALTURA_SERVICE_URL");
	const char *env_pid = getenv("KALTURA_PARTNER_ID");
	const char *env_secret = getenv("KALTURA_ADMIN_SECRET");
	bool has_pid = env_pid && *env_pid, has_secret = env_secret && *env_secret;
	bool configured = o->region || o->url || (env_url && *env_url) || has_pid || has_secret;
	char *url = NULL;
	if (configured) {
		url = region_resolve(o->region, o->url, env_url, err);
		if (!url)
			return -1;
	}
	char *notice = NULL;
	c->schema = o->schema ? schema_load_file(o->schema, err)
			      : schema_load_for(url && !o->sandbox ? url : NULL, &notice, err);
	if (!c->schema) {
		free(notice);
		free(url);
		return -1;
	}
	struct console_core *k = c->core;
	bool cached = false;
	k->fixed_schema = o->schema != NULL;
	k->schemas = kt_xmalloc(sizeof *k->schemas);
	k->schemas[k->nschemas++] = (struct loaded_schema){
		o->schema ? kt_xstrdup("") : schema_path_for(url && !o->sandbox ? url : NULL, &cached),
		c->schema };
	for (int p = 0; p < PANE_COUNT; p++)
		c->view[p] = panes[p]->open ? panes[p]->open(c) : NULL;
	if (!configured || o->sandbox) {
		if (endpoint_sandbox(c, &c->core->ep, err) < 0) {
			free(url);
			return -1;
		}
		overlay_welcome(c);
	} else {
		endpoint_configure(c, &c->core->ep, o->region, url);
	}
	if (notice) { /* a damaged cached schema: said over the endpoint's message */
		console_status(c, MSG_WARN, "%s", notice);
		free(notice);
	}
	free(url);
	/* the history store (SQLite) opens after the first screen is drawn: see console_run */
	return 0;
}

static void teardown(console *c)
{
	struct console_core *k = c->core;
	stop_flow(c);
	call_free(k->call);
	overlay_free(c);
	workflows_free(); /* what the overlays' flows held */
	for (int p = PANE_COUNT; p-- > 0;) {
		if (panes[p]->close)
			panes[p]->close(c, c->view[p]);
		c->view[p] = NULL;
	}
	free(c->res_pretty);
	history_result_free(&c->res);
	endpoint_free(&k->ep);
	free(k->call_title);
	form_free(k->call_snap);
	free(k->call_endpoint);
	free(k->flow_title);
	free(k->exchange);
	free(k->hist_shown);
	history_free(&k->hist);
	hstore_close(k->store);
	k->store = NULL;
	session_list_free(k->sessions);
	kt_buf_free(&k->emit);
	for (size_t i = 0; i < k->nschemas; i++) {
		free(k->schemas[i].path);
		schema_free(k->schemas[i].s);
	}
	free(k->schemas);
	sandbox_stop();
}

int console_run(const console_opts *o, kt_error *err)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return kt_fail(err, KT_E_USAGE,
			       "the console needs a terminal; the subcommands work without one "
			       "(see 'ktestme --help')");
	setlocale(LC_ALL, "");
	struct console_core core;
	console con;
	memset(&core, 0, sizeof core);
	memset(&con, 0, sizeof con);
	con.core = &core;
	con.overlays = overlay_new();
	core.zoom = -1;
	history_init(&core.hist, 0, 0);
	core.sessions = session_list_new();
	kt_buf_init(&core.emit);
	console *c = &con;
	if (setup(c, o, err) < 0) {
		teardown(c);
		return -1;
	}
	signal(SIGTERM, on_term);
	signal(SIGHUP, on_term);
	core.net = o->net;
	harden_guard_terminal(STDOUT_FILENO);
	set_escdelay(25);
	if (!initscr()) {
		harden_unguard_terminal();
		teardown(c);
		return kt_fail(err, KT_E_USAGE, "cannot start the terminal (TERM=%s)",
			       getenv("TERM") ? getenv("TERM") : "");
	}
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
			  | BUTTON5_PRESSED
#endif
		  ,
		  NULL);
	mouseinterval(0);
	define_key("\x1b[200~", KEY_PASTE_BEGIN);
	define_key("\x1b[201~", KEY_PASTE_END);
	fputs("\x1b[?2004h", stdout);
	fflush(stdout);
	ui_colors_init();
	layout_now(c);
	c->focus = PANE_SERVICES;
	bool redraw = true;
	while (!core.quit && !got_term) {
		/* a key nothing took, that left the status line as it was, changes nothing on screen */
		if (redraw)
			draw_all(c);
		redraw = true;
		if (!core.store_opened) {
			/* after the first screen, before the first key: nothing on it comes from the
			 * history, and opening SQLite and reading the entries back was a third of the
			 * program's own start-up time; a warning it has goes on the status line */
			core.store_opened = true;
			unsigned gen = core.status_gen;
			core.store = persist_open(c, &core.hist);
			if (core.status_gen != gen)
				continue;
		}
		/* while a call runs, curl's poll is the loop's wait (keys wait at most 40 ms), so
		 * a large body moves at the socket's pace, not one buffer per screen update */
		timeout(c->sending ? 0 : 1000);
		wint_t ch;
		int r = get_wch(&ch);
		if (c->sending && core.flow) {
			if (call_step(core.flow, r == ERR ? 40 : 0))
				end_flow(c, true);
		} else if (c->sending && call_step(core.call, r == ERR ? 40 : 0)) {
			finish_request(c);
		} else if (c->sending) {
			preview_request(c);
		}
		if (r == ERR) {
			if (terminal_gone())
				break;
			continue;
		}
		ui_key key = { .ch = ch, .fn = r == KEY_CODE_YES };
		if (key.fn && ch == KEY_RESIZE) {
			layout_now(c);
			continue;
		}
		if (key.fn && ch == KEY_MOUSE) {
			mouse_event(c);
			continue;
		}
		if (key.fn && ch == KEY_PASTE_BEGIN) {
			kt_buf paste;
			kt_buf_init(&paste);
			if (read_paste(&paste))
				handle_paste(c, paste.data ? paste.data : "", paste.len);
			else
				console_status(c, MSG_WARN, "The paste is over %zu MB: nothing was pasted",
					       PASTE_MAX >> 20);
			if (paste.data) /* it may have been a secret */
				memset(paste.data, 0, paste.len);
			kt_buf_free(&paste);
			continue;
		}
		name_key(&key);
		unsigned gen = core.status_gen;
		int h = handle_key(c, &key);
		redraw = h || core.status_gen != gen;
	}
	fputs("\x1b[?2004l", stdout);
	fflush(stdout);
	endwin();
	harden_unguard_terminal();
	teardown(c);
	return 0;
}
