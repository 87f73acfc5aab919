/* console: the core of the ncurses console. It owns the screen, the endpoint (endpoint.c) and
 * the running call, reads keys, and hands them to the open overlay (overlay.c) or to the
 * focused pane through its pane_ops; panes never call each other. */
#include "console.h"

#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

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
#include "response.h"
#include "sandbox/sandbox.h"
#include "schema_cache.h"
#include "ui.h"
#include "util.h"

struct console_core {
	console_endpoint ep;
	char *secret_hint;     /* the last secret sent to session.start, to read the KS it returns */
	unsigned secret_gen;   /* bumped with secret_hint, so the KS read below is redone */
	/* the session field's KS as last read, for the top bar drawn at every key and tick */
	char *top_ks;
	unsigned top_gen;
	bool top_sandbox; /* whether the sandbox's secret was there to read it */
	int top_rc;
	ks_info top_info;
	tp_opts net; /* --insecure, --timeout, --max-size, --location */
	/* the running call */
	tp_call *call;
	char *call_service, *call_action;
	char *call_privs; /* of the KS the call carries */
	int call_format;
	form *call_snap;       /* the form as sent, secrets dropped, for the history */
	char *call_endpoint;
	history hist;
	hstore *store;             /* the history kept across runs (persist.h) */
	unsigned long hist_newest; /* the number atop the history list as it was opened */
	/* the status line */
	char status[512];
	msg_kind status_kind;
	/* bytes for the terminal after the next update (OSC 52) */
	kt_buf emit;
	bool cursor_on;
	int cy, cx;
	int zoom;
	bool quit;
};

static const pane_ops *const panes[PANE_COUNT] = {
	[PANE_SERVICES] = &services_pane_ops,
	[PANE_ACTIONS] = &actions_pane_ops,
	[PANE_FORM] = &form_pane_ops,
	[PANE_RESULT] = &result_pane_ops,
};

static volatile sig_atomic_t got_term;

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
	form_pane_set_field(c, "ks", ks);
	console_status(c, MSG_OK, "KS copied into the session field");
}

/* ---- sending ---- */

/* Reads a KS with the secrets the console knows (the sandbox's, $KALTURA_ADMIN_SECRET, the
 * last one sent to session.start); a v2 KS none of them opens yields only version and partner
 * (info->decoded false). -1 when it is not a KS. */
static int read_ks(console *c, const char *ks, ks_info *info)
{
	const char *secrets[] = { sandbox_admin_secret(), getenv("KALTURA_ADMIN_SECRET"),
				  c->core->secret_hint };
	kt_error err = { 0 };
	for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++) {
		if (!secrets[i] || !*secrets[i] || ks_decode(ks, secrets[i], info, &err) < 0)
			continue;
		if (info->decoded && info->signature == KS_SIG_VALID)
			return 0;
		ks_info_free(info);
	}
	return ks_decode(ks, NULL, info, &err);
}

/* force: send even without a mandatory parameter (the server will say what it thinks) */
static void send_request(console *c, bool force)
{
	struct console_core *k = c->core;
	if (k->call) {
		console_status(c, MSG_WARN, "A request is running; Esc cancels it");
		return;
	}
	if (!c->action) {
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
	char *url = request_url(&req, k->ep.url);
	char *body = request_form_body(&req);
	k->call = tp_start(url, body, "application/x-www-form-urlencoded", &k->net, &err);
	free(url);
	kt_free_secret(body);
	if (!k->call) {
		console_status(c, MSG_ERROR, "Not sent: %s", err.msg);
		request_free(&req);
		return;
	}
	free(k->call_service);
	free(k->call_action);
	k->call_service = kt_xstrdup(req.service);
	k->call_action = kt_xstrdup(req.action ? req.action : "");
	k->call_format = req.format ? req.format : KT_FORMAT_XML;
	/* the privileges of the KS sent, to explain an entitlement error */
	free(k->call_privs);
	k->call_privs = NULL;
	ks_info info;
	if (req.ks && read_ks(c, req.ks, &info) == 0) {
		if (info.decoded && info.privileges)
			k->call_privs = kt_xstrdup(info.privileges);
		ks_info_free(&info);
	}
	/* remember the secret of a session.start to read the KS it returns (memory only) */
	const param *sec = param_find(req.params, "secret");
	if (!strcasecmp(req.service, "session") && sec && sec->kind == PARAM_VALUE) {
		kt_free_secret(k->secret_hint);
		k->secret_hint = kt_xstrdup(sec->value);
		k->secret_gen++;
	}
	request_free(&req);
	form_free(k->call_snap);
	k->call_snap = form_pane_snapshot(c);
	free(k->call_endpoint);
	k->call_endpoint = kt_xstrdup(k->ep.name ? k->ep.name : k->ep.url);
	c->sending = true;
	console_status(c, MSG_INFO, "Sending %s.%s ... (Esc cancels)", k->call_service,
		       k->call_action);
}

const char *console_url(const console *c)
{
	return c->core->ep.url;
}

/* ---- history ---- */

static void history_picked(console *c, int index, void *ud)
{
	(void)ud;
	if (index < 0)
		return;
	const history_entry *e = history_find(&c->core->hist,
					      c->core->hist_newest - (unsigned long)index);
	if (!e || !e->snap || !form_action(e->snap)) {
		console_status(c, MSG_WARN, "That request is no longer in the history");
		return;
	}
	lists_select(c, form_action(e->snap));
	form_pane_restore(c, e->snap);
	history_result_free(&c->res);
	history_result_copy(&c->res, &e->res);
	result_pane_update(c);
	const char *why = e->body_withheld ? " (its result held a credential: not kept)"
			  : e->body_dropped ? " (result not kept)" : "";
	console_status(c, MSG_OK, "Restored request %lu (%s)%s", e->number,
		       c->res.title ? c->res.title : "", why);
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
	for (size_t i = 0; i < n; i++) {
		items[i] = kt_xmalloc(200);
		history_line(history_at(&k->hist, i), items[i], 200);
	}
	k->hist_newest = history_at(&k->hist, 0)->number;
	console_choose(c, "History, newest first (Enter restores the form and result)",
		       (const char *const *)items, n, 0, history_picked, NULL);
	for (size_t i = 0; i < n; i++)
		free(items[i]);
	free(items);
}

static void finish_request(console *c)
{
	struct console_core *k = c->core;
	tp_response tr;
	kt_error err = { 0 };
	tp_response_init(&tr);
	int rc = tp_finish(k->call, &tr, &err);
	bool withhold = false;
	char *pretty = NULL; /* from the same parse as the result's model */
	k->call = NULL;
	c->sending = false;
	console_result *r = &c->res;
	history_result_free(r);
	size_t tl = strlen(k->call_service) + strlen(k->call_action) + 2;
	r->title = kt_xmalloc(tl);
	snprintf(r->title, tl, "%s%s%s", k->call_service, k->call_action[0] ? "." : "",
		 k->call_action);
	r->format = k->call_format;
	r->http_status = tr.status;
	r->timings = tr.timings;
	if (tr.body.len) {
		r->len = tr.body.len;
		r->body = kt_xmalloc(tr.body.len + 1);
		memcpy(r->body, tr.body.data, tr.body.len);
		r->body[tr.body.len] = '\0';
	}
	if (rc < 0) {
		r->failure = kt_xstrdup(err.msg);
		console_status(c, MSG_ERROR, "%s", err.msg);
	} else {
		response resp;
		if (response_parse_pretty(tr.body.data ? tr.body.data : "", tr.body.len, r->format,
					  &resp, &pretty, &err) < 0) {
			r->failure = kt_xstrdup(err.msg);
			console_status(c, MSG_ERROR, "HTTP %ld: %s", tr.status, err.msg);
		} else {
			r->has_execution_time = resp.has_execution_time;
			r->execution_time = resp.execution_time;
			const rvalue *e = response_error(&resp);
			const char *ks = response_find_ks(&resp, k->call_service, k->call_action);
			if (e) {
				r->error_code = kt_xstrdup(e->code ? e->code : "");
				r->error_message = kt_xstrdup(e->message ? e->message : "");
				const char *hint = hint_for_error(e->code, e->message, k->call_privs);
				r->hint = hint ? kt_xstrdup(hint) : NULL;
				console_status(c, MSG_ERROR, "%s: %s", r->error_code,
					       r->error_message);
			} else if (ks) {
				form_pane_set_field(c, "ks", ks);
				r->note = kt_xstrdup("The KS was copied into the session field");
				console_status(c, MSG_OK,
					       "%s: the KS was copied into the session field",
					       r->title);
			} else {
				console_status(c, MSG_OK, "%s: done in %.0f ms", r->title,
					       tr.timings.total * 1000);
			}
			withhold = response_holds_secret(&resp, k->call_service, k->call_action);
			response_free(&resp);
		}
	}
	if (rc == 0 && tr.redirects.len) /* the status line shows peer text as '?' */
		console_status(c, MSG_WARN, "Followed a redirect: %.*s", (int)strcspn(tr.redirects.data, "\n"),
			       tr.redirects.data);
	tp_response_free(&tr);
	history_add(&k->hist, k->call_snap, k->call_endpoint, time(NULL), r);
	if (withhold) /* no credential in the history, not even in memory */
		history_withhold_last(&k->hist);
	persist_add(c, k->store, k->call_snap, k->call_endpoint, r, withhold);
	form_free(k->call_snap);
	k->call_snap = NULL;
	result_pane_show(c, pretty);
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
	history_result_free(&c->res);
	c->res.title = kt_xasprintf("%s.%s as %s", req.service, req.action ? req.action : "",
				    codegen_lang_name(lang));
	c->res.body = code;
	c->res.len = strlen(code);
	c->res.note = kt_xstrdup("Credentials come from the environment, never from the form; "
				 "y copies, s saves");
	request_free(&req);
	result_pane_update(c);
	console_status(c, MSG_OK, "The %s example is in the result pane", codegen_lang_name(lang));
}

static void open_code(console *c)
{
	if (!c->action) {
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
static void show_ks(console *c)
{
	const char *ks = form_pane_field(c, "ks");
	if (!ks) {
		console_status(c, MSG_INFO, "The session field is empty: session.start fills it");
		return;
	}
	ks_info info;
	if (read_ks(c, ks, &info) < 0) {
		console_status(c, MSG_ERROR, "The session field does not hold a KS");
		return;
	}
	char *text = ks_describe(&info, (long long)time(NULL));
	ks_info_free(&info);
	history_result_free(&c->res);
	c->res.title = kt_xstrdup("the KS in the session field");
	c->res.body = text;
	c->res.len = strlen(text);
	c->res.note = kt_xstrdup("Read here, with the secrets the console knows: nothing was sent");
	result_pane_update(c);
	console_status(c, MSG_OK, "The KS is decoded in the result pane");
}

static void cancel_request(console *c)
{
	tp_cancel(c->core->call);
	c->core->call = NULL;
	c->sending = false;
	form_free(c->core->call_snap);
	c->core->call_snap = NULL;
	console_status(c, MSG_WARN, "Cancelled: %s.%s", c->core->call_service,
		       c->core->call_action);
}

/* ---- drawing ---- */

/* What the session field's KS says, for the top bar. */
static void ks_summary(console *c, char *out, size_t n, bool *admin, long long *partner)
{
	const char *ks = form_pane_field(c, "ks");
	*admin = false;
	*partner = 0;
	if (!ks) {
		snprintf(out, n, "no KS");
		return;
	}
	struct console_core *k = c->core;
	bool sandbox = sandbox_admin_secret() != NULL;
	if (!k->top_ks || strcmp(k->top_ks, ks) || k->top_gen != k->secret_gen ||
	    k->top_sandbox != sandbox) {
		/* v2 means AES: read once per KS, not at every redraw */
		if (k->top_ks && k->top_rc == 0)
			ks_info_free(&k->top_info);
		kt_free_secret(k->top_ks);
		k->top_ks = kt_xstrdup(ks);
		k->top_gen = k->secret_gen;
		k->top_sandbox = sandbox;
		k->top_rc = read_ks(c, ks, &k->top_info);
	}
	if (k->top_rc < 0) {
		snprintf(out, n, "KS: not a KS");
		return;
	}
	const ks_info info = k->top_info;
	*partner = info.partner_id;
	if (!info.decoded) {
		snprintf(out, n, "KS v%d (encrypted)", info.version);
	} else {
		*admin = info.type >= 1;
		long long left = info.valid_until - (long long)time(NULL);
		char span[48];
		if (left > 0)
			kt_format_span(left, span, sizeof span);
		snprintf(out, n, "%s %s %s%s", *admin ? "ADMIN" : "USER",
			 info.user && *info.user ? info.user : "(no user)",
			 left > 0 ? "expires in " : "EXPIRED", left > 0 ? span : "");
	}
}

static void draw_top(console *c)
{
	kt_rect r = c->lay.top;
	ui_fill(r.y, r.x, r.w, ui_attr(UI_TITLE));
	char buf[512], ksb[160];
	bool admin;
	long long partner;
	ks_summary(c, ksb, sizeof ksb, &admin, &partner);
	const char *pf = form_pane_field(c, "partnerId");
	if (!partner && pf)
		partner = atoll(pf);
	if (!partner && c->core->ep.name && !strcmp(c->core->ep.name, "local"))
		partner = sandbox_partner_id();
	if (!partner && getenv("KALTURA_PARTNER_ID"))
		partner = atoll(getenv("KALTURA_PARTNER_ID"));
	char pbuf[32] = "-";
	if (partner)
		snprintf(pbuf, sizeof pbuf, "%lld", partner);
	/* what does not fit goes first: the program's name, then a named endpoint's URL */
	char spin[32] = "";
	if (c->sending) {
		static const char wheel[] = "|/-\\";
		double el = tp_elapsed(c->core->call);
		snprintf(spin, sizeof spin, " │ %c %.1f s ", wheel[(int)(el * 8) % 4], el);
	}
	const char *name = c->core->ep.name ? c->core->ep.name : "url";
	int room = r.w - le_width(spin, strlen(spin));
	for (int variant = 0; variant < 3; variant++) {
		snprintf(buf, sizeof buf, "%s%s%s%s │ partner %s │ ",
			 variant == 0 ? " ktestme │ " : " ", name,
			 variant == 2 && c->core->ep.name ? "" : " ",
			 variant == 2 && c->core->ep.name ? "" : c->core->ep.url, pbuf);
		if (le_width(buf, strlen(buf)) + le_width(ksb, strlen(ksb)) <= room)
			break;
	}
	int x = ui_text(r.y, r.x, room, buf, (size_t)-1, ui_attr(UI_TITLE));
	attr_t ka = admin ? (ui_attr(UI_WARN) | A_REVERSE) : ui_attr(UI_TITLE);
	ui_text(r.y, r.x + x, room - x, ksb, (size_t)-1, ka);
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

/* Keys that act even while a field is being edited. */
static bool always_command(const ui_key *k)
{
	return (k->fn && k->name[0] == 'F' && k->name[1] >= '0' && k->name[1] <= '9') ||
	       !strcmp(k->name, "C-q") || !strcmp(k->name, "C-r") || !strcmp(k->name, "C-c");
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
	case ACT_DECODE_KS: show_ks(c); return H_HANDLED;
	case ACT_SEND: send_request(c, false); return H_HANDLED;
	case ACT_SEND_FORCE: send_request(c, true); return H_HANDLED;
	case ACT_HISTORY: open_history(c); return H_HANDLED;
	case ACT_IMPORT: requests_import(c); return H_HANDLED;
	case ACT_SAVE_REQUEST: requests_save(c); return H_HANDLED;
	case ACT_OPEN_SAVED: requests_open(c); return H_HANDLED;
	case ACT_CANCEL:
		if (k->call)
			cancel_request(c);
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
	if ((ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED)) && overlay_click(c, ev.y))
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

static void handle_key(console *c, const ui_key *key)
{
	struct console_core *k = c->core;
	if (c->lay.too_small) {
		kt_action a = keymap_lookup(SCOPE_GLOBAL, key->name);
		if (a == ACT_QUIT)
			k->quit = true;
		return;
	}
	if (overlay_open(c)) {
		int h = overlay_key(c, key);
		if (h & H_QUIT)
			k->quit = true;
		else if (!h && always_command(key))
			global_action(c, keymap_lookup(SCOPE_GLOBAL, key->name));
		return;
	}
	if (overlay_prompting(c)) {
		if (always_command(key) && keymap_lookup(SCOPE_GLOBAL, key->name) == ACT_QUIT)
			k->quit = true;
		else
			overlay_prompt_key(c, key);
		return;
	}
	/* a new key replaces an old message, unless a call is reporting progress */
	if (!c->sending)
		k->status[0] = '\0';
	const pane_ops *p = panes[c->focus];
	if (p->editing && p->editing(c) && !always_command(key) && p->key(c, key))
		return;
	kt_action a = keymap_lookup(p->scope, key->name);
	if (a != ACT_NONE && (p->action(c, a) || global_action(c, a)))
		return;
	p->key(c, key);
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
	if (notice) {
		console_status(c, MSG_WARN, "%s", notice);
		free(notice);
	}
	if (!c->schema) {
		free(url);
		return -1;
	}
	c->lists = NULL;
	c->form = form_pane_new(c);
	c->result = result_pane_new(c);
	lists_init(c);
	if (!configured || o->sandbox) {
		if (endpoint_sandbox(c, &c->core->ep, err) < 0) {
			free(url);
			return -1;
		}
		overlay_welcome(c);
	} else {
		endpoint_configure(c, &c->core->ep, o->region, url);
	}
	free(url);
	c->core->store = persist_open(c, &c->core->hist);
	return 0;
}

static void teardown(console *c)
{
	struct console_core *k = c->core;
	if (k->call)
		tp_cancel(k->call);
	overlay_free(c->overlays);
	c->overlays = NULL;
	result_pane_free(c->result);
	form_pane_free(c->form);
	lists_free(c);
	history_result_free(&c->res);
	endpoint_free(&k->ep);
	free(k->call_service);
	free(k->call_action);
	free(k->call_privs);
	form_free(k->call_snap);
	free(k->call_endpoint);
	history_free(&k->hist);
	hstore_close(k->store);
	k->store = NULL;
	kt_free_secret(k->secret_hint);
	if (k->top_ks && k->top_rc == 0)
		ks_info_free(&k->top_info);
	kt_free_secret(k->top_ks);
	kt_buf_free(&k->emit);
	schema_free(c->schema);
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
	ui_colors_init();
	layout_now(c);
	c->focus = PANE_SERVICES;
	while (!core.quit && !got_term) {
		draw_all(c);
		/* while a call runs, curl's poll is the loop's wait (keys wait at most 40 ms), so
		 * a large body moves at the socket's pace, not one buffer per screen update */
		timeout(c->sending ? 0 : 1000);
		wint_t ch;
		int r = get_wch(&ch);
		if (c->sending && tp_step(core.call, r == ERR ? 40 : 0))
			finish_request(c);
		if (r == ERR)
			continue;
		ui_key key = { .ch = ch, .fn = r == KEY_CODE_YES };
		if (key.fn && ch == KEY_RESIZE) {
			layout_now(c);
			continue;
		}
		if (key.fn && ch == KEY_MOUSE) {
			mouse_event(c);
			continue;
		}
		name_key(&key);
		handle_key(c, &key);
	}
	endwin();
	harden_unguard_terminal();
	teardown(c);
	return 0;
}
