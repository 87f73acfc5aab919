/* console: the core of the ncurses console. It owns the screen, the endpoint, the running
 * call and the overlays (help, welcome, chooser, prompt), reads keys, and hands them to the
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
#include "hint.h"
#include "history.h"
#include "ks.h"
#include "lineedit.h"
#include "region.h"
#include "response.h"
#include "sandbox/sandbox.h"
#include "schema_cache.h"
#include "ui.h"
#include "util.h"

typedef enum { OV_NONE, OV_HELP, OV_WELCOME, OV_CHOOSE } console_overlay;

struct console_core {
	char *endpoint;        /* "local", "us", ... or NULL for a custom URL */
	char *service_url;
	char *secret_hint;     /* the last secret sent to session.start, to read the KS it returns */
	/* the running call */
	tp_call *call;
	char *call_service, *call_action;
	char *call_privs; /* of the KS the call carries */
	int call_format;
	form *call_snap;       /* the form as sent, secrets dropped, for the history */
	char *call_endpoint;
	history hist;
	unsigned long hist_newest; /* the number atop the history list as it was opened */
	/* the status line */
	char status[512];
	msg_kind status_kind;
	/* overlays */
	console_overlay ov;
	int help_top;
	char **items;
	size_t nitems, *shown, nshown, cur, top;
	lineedit filter;
	char *choose_title;
	console_choose_cb choose_cb;
	void *choose_ud;
	/* the prompt */
	bool prompting;
	char *prompt_label;
	lineedit prompt;
	size_t prompt_start;
	console_prompt_cb prompt_cb;
	void *prompt_ud;
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

static void choose_close(console *c)
{
	struct console_core *k = c->core;
	for (size_t i = 0; i < k->nitems; i++)
		free(k->items[i]);
	free(k->items);
	free(k->shown);
	free(k->choose_title);
	le_free(&k->filter);
	k->items = NULL;
	k->shown = NULL;
	k->choose_title = NULL;
	k->nitems = k->nshown = 0;
	k->ov = OV_NONE;
}

static void choose_refilter(console *c)
{
	struct console_core *k = c->core;
	size_t keep = k->nshown ? k->shown[k->cur < k->nshown ? k->cur : 0] : 0;
	k->nshown = 0;
	k->cur = 0;
	for (size_t i = 0; i < k->nitems; i++) {
		if (k->filter.len && !strcasestr(k->items[i], k->filter.buf))
			continue;
		if (i == keep)
			k->cur = k->nshown;
		k->shown[k->nshown++] = i;
	}
	k->top = 0;
}

void console_choose(console *c, const char *title, const char *const *items, size_t n,
		    size_t current, console_choose_cb cb, void *ud)
{
	struct console_core *k = c->core;
	if (k->ov == OV_CHOOSE)
		choose_close(c);
	k->items = kt_xmalloc((n ? n : 1) * sizeof *k->items);
	k->shown = kt_xmalloc((n ? n : 1) * sizeof *k->shown);
	for (size_t i = 0; i < n; i++)
		k->items[i] = kt_xstrdup(items[i]);
	k->nitems = n;
	k->choose_title = kt_xstrdup(title);
	k->choose_cb = cb;
	k->choose_ud = ud;
	le_init(&k->filter, NULL);
	k->nshown = 0;
	for (size_t i = 0; i < n; i++)
		k->shown[k->nshown++] = i;
	k->cur = current < n ? current : 0;
	k->top = 0;
	k->ov = OV_CHOOSE;
}

void console_prompt(console *c, const char *label, const char *initial, console_prompt_cb cb,
		    void *ud)
{
	struct console_core *k = c->core;
	free(k->prompt_label);
	if (k->prompting)
		le_free(&k->prompt);
	k->prompt_label = kt_xstrdup(label);
	le_init(&k->prompt, initial);
	k->prompt_start = 0;
	k->prompt_cb = cb;
	k->prompt_ud = ud;
	k->prompting = true;
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

/* ---- the endpoint ---- */

/* Credentials from the environment, as the subcommands take them. */
static void restore_env_prefill(console *c)
{
	const char *pid = getenv("KALTURA_PARTNER_ID"), *secret = getenv("KALTURA_ADMIN_SECRET");
	if (pid && *pid)
		form_pane_prefill(c, "partnerId", pid);
	if (secret && *secret)
		form_pane_prefill(c, "secret", secret);
}

static void set_endpoint(console *c, const char *name, const char *url)
{
	struct console_core *k = c->core;
	bool was_local = k->endpoint && !strcmp(k->endpoint, "local");
	if (was_local && !(name && !strcmp(name, "local"))) {
		/* the sandbox's credentials stay with the sandbox */
		form_pane_prefill(c, "partnerId", NULL);
		form_pane_prefill(c, "secret", NULL);
		restore_env_prefill(c);
	}
	free(k->endpoint);
	free(k->service_url);
	k->endpoint = name ? kt_xstrdup(name) : NULL;
	k->service_url = kt_xstrdup(url);
}

static int start_sandbox(console *c, kt_error *err)
{
	if (!sandbox_url()) {
		sandbox_opts so = { 0 };
		if (sandbox_start(&so, err) < 0)
			return -1;
	}
	set_endpoint(c, "local", sandbox_url());
	char pid[32];
	snprintf(pid, sizeof pid, "%lld", sandbox_partner_id());
	/* the walkthrough needs no typed secrets; the values stay in memory */
	form_pane_prefill(c, "partnerId", pid);
	form_pane_prefill(c, "secret", sandbox_admin_secret());
	return 0;
}

static void region_chosen(console *c, const char *text, void *ud);

static void region_picked(console *c, int index, void *ud)
{
	(void)ud;
	size_t n;
	const region *rs = region_list(&n);
	if (index < 0)
		return;
	if ((size_t)index < n) {
		set_endpoint(c, rs[index].name, rs[index].url);
		console_status(c, MSG_INFO, "Endpoint: %s (%s)", rs[index].name, rs[index].url);
	} else if ((size_t)index == n) {
		kt_error err = { 0 };
		if (start_sandbox(c, &err) < 0)
			console_status(c, MSG_ERROR, "Sandbox: %s", err.msg);
		else
			console_status(c, MSG_INFO, "Endpoint: local sandbox (%s)", sandbox_url());
	} else {
		console_prompt(c, "Service URL: ", c->core->service_url, region_chosen, NULL);
	}
}

static void region_chosen(console *c, const char *text, void *ud)
{
	(void)ud;
	if (!text)
		return;
	kt_error err = { 0 };
	char *url = region_normalize_url(text, &err);
	if (!url) {
		console_status(c, MSG_ERROR, "%s", err.msg);
		return;
	}
	set_endpoint(c, NULL, url);
	console_status(c, MSG_INFO, "Endpoint: %s", url);
	free(url);
}

static void open_regions(console *c)
{
	size_t n, cur = 0;
	const region *rs = region_list(&n);
	char **items = kt_xmalloc((n + 2) * sizeof *items);
	for (size_t i = 0; i < n; i++) {
		items[i] = kt_xmalloc(160);
		snprintf(items[i], 160, "%-6s %-34s %s", rs[i].name, rs[i].url, rs[i].label);
		if (c->core->endpoint && !strcmp(c->core->endpoint, rs[i].name))
			cur = i;
	}
	items[n] = kt_xmalloc(160);
	snprintf(items[n], 160, "%-6s %-34s %s", "local",
		 sandbox_url() ? sandbox_url() : "(starts it)", "the sandbox inside ktestme");
	if (c->core->endpoint && !strcmp(c->core->endpoint, "local"))
		cur = n;
	items[n + 1] = kt_xstrdup("custom  any service URL (on-prem) ...");
	if (!c->core->endpoint)
		cur = n + 1;
	console_choose(c, "Region or endpoint", (const char *const *)items, n + 2, cur,
		       region_picked, NULL);
	for (size_t i = 0; i < n + 2; i++)
		free(items[i]);
	free(items);
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

static void send_request(console *c)
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
	if (form_pane_build(c, &req, &err) < 0) {
		if (err.msg[0])
			console_status(c, MSG_ERROR, "Not sent: %s", err.msg);
		return;
	}
	char *url = request_url(&req, k->service_url);
	char *body = request_form_body(&req);
	tp_opts o = { 0 };
	k->call = tp_start(url, body, "application/x-www-form-urlencoded", &o, &err);
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
	}
	request_free(&req);
	form_free(k->call_snap);
	k->call_snap = form_pane_snapshot(c);
	free(k->call_endpoint);
	k->call_endpoint = kt_xstrdup(k->endpoint ? k->endpoint : k->service_url);
	c->sending = true;
	console_status(c, MSG_INFO, "Sending %s.%s ... (Esc cancels)", k->call_service,
		       k->call_action);
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
	console_status(c, MSG_OK, "Restored request %lu (%s)%s", e->number,
		       c->res.title ? c->res.title : "", e->body_dropped ? " (result not kept)" : "");
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
		if (response_parse(tr.body.data ? tr.body.data : "", tr.body.len, r->format, &resp,
				   &err) < 0) {
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
			response_free(&resp);
		}
	}
	tp_response_free(&tr);
	history_add(&k->hist, k->call_snap, k->call_endpoint, time(NULL), r);
	form_free(k->call_snap);
	k->call_snap = NULL;
	result_pane_update(c);
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
	char *code = codegen_generate(lang, &req, c->core->service_url, c->schema, &err);
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
	ks_info info;
	if (read_ks(c, ks, &info) < 0) {
		snprintf(out, n, "KS: not a KS");
		return;
	}
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
	ks_info_free(&info);
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
	if (!partner && c->core->endpoint && !strcmp(c->core->endpoint, "local"))
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
	const char *name = c->core->endpoint ? c->core->endpoint : "url";
	int room = r.w - le_width(spin, strlen(spin));
	for (int variant = 0; variant < 3; variant++) {
		snprintf(buf, sizeof buf, "%s%s%s%s │ partner %s │ ",
			 variant == 0 ? " ktestme │ " : " ", name,
			 variant == 2 && c->core->endpoint ? "" : " ",
			 variant == 2 && c->core->endpoint ? "" : c->core->service_url, pbuf);
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
	if (k->prompting) {
		int x = ui_text(r.y, r.x, r.w, k->prompt_label, (size_t)-1, ui_attr(UI_KEY));
		int col;
		le_view(&k->prompt, r.w - x, &k->prompt_start, &col);
		ui_text(r.y, r.x + x, r.w - x, k->prompt.buf + k->prompt_start, (size_t)-1,
			A_NORMAL);
		console_cursor(c, r.y, r.x + x + col);
		return;
	}
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

/* A centred box; returns its inner rectangle. */
static kt_rect draw_box(console *c, int want_h, int want_w, const char *title)
{
	int h = want_h + 2 > c->rows - 2 ? c->rows - 2 : want_h + 2;
	int w = want_w + 4 > c->cols - 2 ? c->cols - 2 : want_w + 4;
	int y = (c->rows - h) / 2, x = (c->cols - w) / 2;
	for (int i = 0; i < h; i++)
		ui_fill(y + i, x, w, A_NORMAL);
	attrset(ui_attr(UI_KEY));
	mvhline(y, x, ACS_HLINE, w);
	mvhline(y + h - 1, x, ACS_HLINE, w);
	mvvline(y, x, ACS_VLINE, h);
	mvvline(y, x + w - 1, ACS_VLINE, h);
	mvaddch(y, x, ACS_ULCORNER);
	mvaddch(y, x + w - 1, ACS_URCORNER);
	mvaddch(y + h - 1, x, ACS_LLCORNER);
	mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
	attrset(A_NORMAL);
	char t[160];
	snprintf(t, sizeof t, " %s ", title);
	ui_text(y, x + 2, w - 4, t, (size_t)-1, ui_attr(UI_TITLE_FOCUS));
	return (kt_rect){ y + 1, x + 2, h - 2, w - 4 };
}

typedef struct help_line {
	char text[256];
	bool heading;
} help_line;

typedef struct help_acc {
	help_line *lines;
	size_t n, cap;
	int last_scope;
} help_acc;

static void help_add(help_acc *a, const char *text, bool heading)
{
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 64;
		a->lines = kt_xrealloc(a->lines, a->cap * sizeof *a->lines);
	}
	snprintf(a->lines[a->n].text, sizeof a->lines[a->n].text, "%s", text);
	a->lines[a->n++].heading = heading;
}

static void help_line_cb(keymap_scope s, const char *keys, const char *help, void *ud)
{
	help_acc *a = ud;
	char buf[256];
	if ((int)s != a->last_scope) {
		if (a->n)
			help_add(a, "", false);
		help_add(a, keymap_scope_title(s), true);
		a->last_scope = (int)s;
	}
	snprintf(buf, sizeof buf, "  %-16s %s", keys, help);
	help_add(a, buf, false);
}

static help_line *help_lines(size_t *n)
{
	help_acc a = { .last_scope = -1 };
	keymap_lines(help_line_cb, &a);
	help_add(&a, "", false);
	help_add(&a, "In the form, letters are always text; F-keys, Ctrl-R and Ctrl-Q work everywhere.",
		 false);
	help_add(&a, "The mouse selects list items and form rows; the wheel scrolls.", false);
	*n = a.n;
	return a.lines;
}

static void draw_help(console *c)
{
	size_t n;
	help_line *lines = help_lines(&n);
	kt_rect in = draw_box(c, (int)n, 96, "Help: keys (Esc closes, arrows scroll)");
	int maxtop = (int)n - in.h;
	if (c->core->help_top > maxtop)
		c->core->help_top = maxtop > 0 ? maxtop : 0;
	for (int i = 0; i < in.h && (size_t)(c->core->help_top + i) < n; i++) {
		help_line *l = &lines[c->core->help_top + i];
		ui_text(in.y + i, in.x, in.w, l->text, (size_t)-1,
			l->heading ? ui_attr(UI_KEY) : A_NORMAL);
	}
	free(lines);
}

static char **welcome_lines(size_t *n)
{
	static const char *const tmpl[] = {
		"Welcome to ktestme, Kaltura's TestMe console in your terminal.",
		"",
		"No endpoint was configured, so a sandbox (a local Kaltura-compatible server) runs",
		"inside ktestme as the endpoint \"local\": %URL%",
		"  partner id    %PID%",
		"  admin secret  %ADMIN%",
		"  user secret   %USER%",
		"Demo data: categories 1 Demo, 2 MediaSpace (privacy context MediaSpace),",
		"3 Members only, 4 Demo>Sub; users alice and admin@example.com.",
		"",
		"The classic entitlement puzzle in three steps:",
		" 1. Choose the service session, action start (Tab moves between panes; typing in",
		"    a list filters it; Enter chooses). partnerId and secret are filled in for the",
		"    sandbox. On the type row press Right until it says ADMIN, then press F5.",
		"    The KS comes back into the session field (the form's first row, \"request:",
		"    ks ...\"), and the top bar says what it is.",
		" 2. Choose category, action get; type 2 into id and press F5: CATEGORY_NOT_FOUND.",
		"    The partner enforces entitlements and category 2 lives in the MediaSpace",
		"    privacy context, so even an ADMIN session cannot see it.",
		" 3. Back to session start: type disableentitlement into privileges, press F5;",
		"    then category get again (F5): the MediaSpace category is found.",
		"",
		"F1 lists every key, F2 switches region, F10 quits. Enter closes this; F4 reopens.",
	};
	size_t count = sizeof tmpl / sizeof tmpl[0];
	char **out = kt_xmalloc(count * sizeof *out);
	char pid[32];
	snprintf(pid, sizeof pid, "%lld", sandbox_partner_id());
	for (size_t i = 0; i < count; i++) {
		const char *t = tmpl[i];
		const char *var = strchr(t, '%');
		if (!var) {
			out[i] = kt_xstrdup(t);
			continue;
		}
		const char *val = strstr(t, "%URL%") ? sandbox_url()
				  : strstr(t, "%PID%") ? pid
				  : strstr(t, "%ADMIN%") ? sandbox_admin_secret()
							 : sandbox_user_secret();
		const char *end = strchr(var + 1, '%') + 1;
		size_t len = (size_t)(var - t) + strlen(val ? val : "") + strlen(end) + 1;
		out[i] = kt_xmalloc(len);
		snprintf(out[i], len, "%.*s%s%s", (int)(var - t), t, val ? val : "", end);
	}
	*n = count;
	return out;
}

static void draw_welcome(console *c)
{
	size_t n;
	char **lines = welcome_lines(&n);
	kt_rect in = draw_box(c, (int)n, 86, "Welcome");
	for (int i = 0; i < in.h && (size_t)i < n; i++)
		ui_text(in.y + i, in.x, in.w, lines[i], (size_t)-1,
			i == 0 || (lines[i][0] == ' ' && lines[i][2] == '.') ? ui_attr(UI_KEY)
									       : A_NORMAL);
	for (size_t i = 0; i < n; i++)
		kt_free_secret(lines[i]);
	free(lines);
}

static void draw_chooser(console *c)
{
	struct console_core *k = c->core;
	static const char hint[] = "type to filter, Enter chooses, Esc cancels";
	int w = (int)le_width(k->choose_title, strlen(k->choose_title)) + 4;
	if (w < (int)sizeof hint)
		w = (int)sizeof hint;
	for (size_t i = 0; i < k->nitems; i++) {
		int iw = le_width(k->items[i], strlen(k->items[i]));
		if (iw > w)
			w = iw;
	}
	int want = (int)k->nitems + 1;
	kt_rect in = draw_box(c, want < 4 ? 4 : want, w + 2, k->choose_title);
	char fl[300];
	snprintf(fl, sizeof fl, "filter: %s", k->filter.buf);
	ui_text(in.y, in.x, in.w, k->filter.len ? fl : hint, (size_t)-1, ui_attr(UI_DIM));
	int rows = in.h - 1;
	if (k->cur < k->top)
		k->top = k->cur;
	if (rows > 0 && k->cur >= k->top + (size_t)rows)
		k->top = k->cur - (size_t)rows + 1;
	for (int i = 0; i < rows && k->top + (size_t)i < k->nshown; i++) {
		size_t idx = k->top + (size_t)i;
		attr_t a = idx == k->cur ? ui_attr(UI_CURSOR) : A_NORMAL;
		ui_fill(in.y + 1 + i, in.x, in.w, a);
		if (idx == k->cur)
			ui_text(in.y + 1 + i, in.x, 1, ">", 1, a);
		ui_text(in.y + 1 + i, in.x + 1, in.w - 1, k->items[k->shown[idx]], (size_t)-1, a);
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
			panes[p]->draw(c, content, focused && k->ov == OV_NONE);
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
	bool pane_cursor = k->cursor_on && k->ov == OV_NONE;
	k->cursor_on = false;
	draw_status(c);
	if (k->ov == OV_HELP)
		draw_help(c);
	else if (k->ov == OV_WELCOME)
		draw_welcome(c);
	else if (k->ov == OV_CHOOSE)
		draw_chooser(c);
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
	case ACT_HELP: k->ov = OV_HELP; k->help_top = 0; return H_HANDLED;
	case ACT_WELCOME:
		if (!sandbox_url()) {
			console_status(c, MSG_INFO, "The welcome walkthrough needs the sandbox: F2, local");
			return H_HANDLED;
		}
		k->ov = OV_WELCOME;
		return H_HANDLED;
	case ACT_REGION: open_regions(c); return H_HANDLED;
	case ACT_CODE: open_code(c); return H_HANDLED;
	case ACT_DECODE_KS: show_ks(c); return H_HANDLED;
	case ACT_SEND: send_request(c); return H_HANDLED;
	case ACT_HISTORY: open_history(c); return H_HANDLED;
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

static void overlay_key(console *c, const ui_key *key)
{
	struct console_core *k = c->core;
	if (k->ov == OV_HELP) {
		kt_action a = keymap_lookup(SCOPE_RESULT, key->name);
		if (a == ACT_UP && k->help_top > 0)
			k->help_top--;
		else if (a == ACT_DOWN)
			k->help_top++;
		else if (a == ACT_PAGE_DOWN)
			k->help_top += 10;
		else if (a == ACT_PAGE_UP)
			k->help_top = k->help_top > 10 ? k->help_top - 10 : 0;
		else if (a == ACT_QUIT)
			k->quit = true;
		else
			k->ov = OV_NONE; /* any other key closes it */
		return;
	}
	if (k->ov == OV_WELCOME) {
		k->ov = OV_NONE;
		if (always_command(key)) {
			kt_action a = keymap_lookup(SCOPE_GLOBAL, key->name);
			global_action(c, a);
		}
		return;
	}
	/* the chooser */
	kt_action a = keymap_lookup(SCOPE_GLOBAL, key->name);
	if (a == ACT_QUIT) {
		k->quit = true;
		return;
	}
	int rows = c->rows - 6;
	if (a == ACT_UP && k->cur > 0)
		k->cur--;
	else if (a == ACT_DOWN && k->cur + 1 < k->nshown)
		k->cur++;
	else if (a == ACT_PAGE_UP)
		k->cur = k->cur > (size_t)rows ? k->cur - (size_t)rows : 0;
	else if (a == ACT_PAGE_DOWN)
		k->cur = k->nshown ? (k->cur + (size_t)rows < k->nshown ? k->cur + (size_t)rows
									: k->nshown - 1)
				   : 0;
	else if (a == ACT_TOP)
		k->cur = 0;
	else if (a == ACT_BOTTOM)
		k->cur = k->nshown ? k->nshown - 1 : 0;
	else if (a == ACT_SELECT || a == ACT_CANCEL) {
		int idx = a == ACT_SELECT && k->nshown ? (int)k->shown[k->cur] : -1;
		console_choose_cb cb = k->choose_cb;
		void *ud = k->choose_ud;
		choose_close(c);
		cb(c, idx, ud);
	} else if (ui_key_is_text(key)) {
		le_insert(&k->filter, (wchar_t)key->ch);
		choose_refilter(c);
	} else if (le_key(&k->filter, key->name)) {
		choose_refilter(c);
	}
}

static void prompt_key(console *c, const ui_key *key)
{
	struct console_core *k = c->core;
	kt_action a = keymap_lookup(SCOPE_FORM, key->name);
	if (a == ACT_SELECT || a == ACT_CANCEL) {
		char *text = a == ACT_SELECT ? kt_xstrdup(k->prompt.buf) : NULL;
		console_prompt_cb cb = k->prompt_cb;
		void *ud = k->prompt_ud;
		k->prompting = false;
		le_free(&k->prompt);
		cb(c, text, ud);
		free(text);
	} else if (ui_key_is_text(key)) {
		le_insert(&k->prompt, (wchar_t)key->ch);
	} else {
		le_key(&k->prompt, key->name);
	}
}

static void mouse_event(console *c)
{
	MEVENT ev;
	if (getmouse(&ev) != OK || c->lay.too_small)
		return;
	struct console_core *k = c->core;
	if (k->ov == OV_CHOOSE && (ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED))) {
		/* rows of the chooser: recompute where draw_chooser put them */
		int want = (int)k->nitems + 1;
		int h = (want < 4 ? 4 : want) + 2;
		if (h > c->rows - 2)
			h = c->rows - 2;
		int y = (c->rows - h) / 2 + 2;
		int row = ev.y - y;
		if (row >= 0 && k->top + (size_t)row < k->nshown) {
			k->cur = k->top + (size_t)row;
			ui_key enter = { .ch = '\n', .fn = false, .name = "Enter" };
			overlay_key(c, &enter);
		}
		return;
	}
	if (k->ov != OV_NONE || k->prompting)
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
	if (k->ov != OV_NONE) {
		overlay_key(c, key);
		return;
	}
	if (k->prompting) {
		if (always_command(key) && keymap_lookup(SCOPE_GLOBAL, key->name) == ACT_QUIT)
			k->quit = true;
		else
			prompt_key(c, key);
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
	struct console_core *k = c->core;
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
	bool cached = false;
	char *path = o->schema ? kt_xstrdup(o->schema)
				: schema_path_for(url && !o->sandbox ? url : NULL, &cached);
	c->schema = schema_load_file(path, err);
	free(path);
	if (!c->schema) {
		free(url);
		return -1;
	}
	c->lists = NULL;
	c->form = form_pane_new(c);
	c->result = result_pane_new(c);
	lists_init(c);
	if (!configured || o->sandbox) {
		if (start_sandbox(c, err) < 0) {
			free(url);
			return -1;
		}
		k->ov = OV_WELCOME;
	} else {
		const region *r = o->region ? region_find(o->region) : NULL;
		size_t nr;
		const region *all = region_list(&nr);
		for (size_t i = 0; !r && i < nr; i++)
			if (!strcmp(all[i].url, url))
				r = &all[i]; /* a region's URL given by --url or the environment */
		set_endpoint(c, r ? r->name : NULL, url);
		restore_env_prefill(c);
	}
	free(url);
	return 0;
}

static void teardown(console *c)
{
	struct console_core *k = c->core;
	if (k->call)
		tp_cancel(k->call);
	if (k->ov == OV_CHOOSE)
		choose_close(c);
	if (k->prompting)
		le_free(&k->prompt);
	free(k->prompt_label);
	result_pane_free(c->result);
	form_pane_free(c->form);
	lists_free(c);
	history_result_free(&c->res);
	free(k->endpoint);
	free(k->service_url);
	free(k->call_service);
	free(k->call_action);
	free(k->call_privs);
	form_free(k->call_snap);
	free(k->call_endpoint);
	history_free(&k->hist);
	kt_free_secret(k->secret_hint);
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
	set_escdelay(25);
	if (!initscr()) {
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
		timeout(c->sending ? 50 : 1000);
		wint_t ch;
		int r = get_wch(&ch);
		if (c->sending && tp_step(core.call, 0))
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
	teardown(c);
	return 0;
}
