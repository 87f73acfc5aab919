#include "workflows.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <time.h>

#include "app/apptoken.h"
#include "app/call.h"
#include "app/entfix.h"
#include "app/profile.h"
#include "app/signin.h"
#include "ks.h"
#include "ksgen.h"
#include "ksinspect.h"
#include "privilege.h"
#include "util.h"

bool workflows_is_privileges(const char *key)
{
	const char *leaf = key ? strrchr(key, ':') : NULL;
	leaf = leaf ? leaf + 1 : key;
	size_t n = leaf ? strlen(leaf) : 0;
	return n >= 10 && !strcasecmp(leaf + n - 10, "privileges");
}

/* ---- the privilege builder ---- */

typedef struct builder {
	priv_builder b;
	char *field;
	workflows_privs_cb done;
	void *ud;
	int row;          /* the row a value is asked for */
} builder;

static builder *open_builder; /* one at a time: the chooser is modal */

static void builder_free(builder *s)
{
	priv_builder_free(&s->b);
	free(s->field);
	free(s);
	if (open_builder == s)
		open_builder = NULL;
}

static void show(console *c, builder *s, size_t current);

static void value_given(console *c, const char *text, void *ud)
{
	builder *s = ud;
	kt_error err;
	if (text && priv_builder_set(&s->b, s->row, text, &err))
		console_status(c, MSG_ERROR, "%s", err.msg);
	show(c, s, (size_t)s->row + 1);
}

static void added(console *c, const char *text, void *ud)
{
	builder *s = ud;
	kt_error err;
	int row = -1;
	if (text && *text) {
		const char *colon = strchr(text, ':');
		char *name = colon ? kt_xstrndup(text, (size_t)(colon - text)) : kt_xstrdup(text);
		row = priv_builder_add(&s->b, name, colon ? colon + 1 : "", &err);
		if (row < 0)
			console_status(c, MSG_ERROR, "%s", err.msg);
		free(name);
	}
	show(c, s, row >= 0 ? (size_t)row + 1 : 0);
}

static void picked(console *c, int index, void *ud)
{
	builder *s = ud;
	kt_error err;
	if (index < 0) {
		workflows_privs_cb done = s->done;
		void *dud = s->ud;
		console_status(c, MSG_INFO, "%s: unchanged", s->field);
		builder_free(s);
		done(c, NULL, dud);
		return;
	}
	if (index == 0) {
		char *privs = priv_builder_compose(&s->b);
		workflows_privs_cb done = s->done;
		void *dud = s->ud;
		builder_free(s);
		done(c, privs, dud);
		free(privs);
		return;
	}
	if (index == s->b.n + 1) {
		console_prompt(c, "privilege (name or name:value): ", "", added, s);
		return;
	}
	int row = index - 1;
	const priv_row *r = &s->b.rows[row];
	if (r->spec && (r->spec->flags & PRIV_READONLY)) {
		console_status(c, MSG_WARN, "%s is set by the server, not by hand", r->name);
	} else if (!r->on && r->spec && r->spec->kind != PRIV_FLAG) {
		char label[160];
		s->row = row;
		snprintf(label, sizeof label, "%s (%s): ", r->name, r->spec->value_hint);
		console_prompt(c, label, r->value, value_given, s);
		return;
	} else if (priv_builder_toggle(&s->b, row, &err)) {
		console_status(c, MSG_ERROR, "%s", err.msg);
	}
	show(c, s, (size_t)index);
}

static void show(console *c, builder *s, size_t current)
{
	char *composed = priv_builder_compose(&s->b);
	size_t n = (size_t)s->b.n + 2;
	char **items = kt_xcalloc(n, sizeof *items);
	items[0] = kt_xasprintf("Use: %s", *composed ? composed : "(no privileges)");
	for (int i = 0; i < s->b.n; i++)
		items[i + 1] = priv_builder_line(&s->b, i);
	items[n - 1] = kt_xstrdup("Add another privilege by name...");
	char *title = kt_xasprintf("%s: Enter turns one on or off, the first line uses them, Esc "
				   "leaves them", s->field);
	console_choose(c, title, (const char *const *)items, n, current < n ? current : 0, picked,
		       s);
	for (size_t i = 0; i < n; i++)
		free(items[i]);
	free(items);
	free(title);
	free(composed);
}

void workflows_privileges(console *c, const char *field, const char *initial,
			  workflows_privs_cb done, void *ud)
{
	if (open_builder)
		builder_free(open_builder);
	builder *s = kt_xcalloc(1, sizeof *s);
	priv_builder_init(&s->b, initial);
	s->field = kt_xstrdup(field ? field : "privileges");
	s->done = done;
	s->ud = ud;
	open_builder = s;
	show(c, s, 0);
}

/* ---- the KS inspector and renew ---- */

void workflows_inspect(console *c)
{
	const char *ks = form_pane_field(c, "ks"); /* what is sent */
	if (!ks) {
		console_status(c, MSG_INFO, "The session field is empty: session.start fills it, C-y "
			       "makes one here");
		return;
	}
	ks_info info;
	if (session_read_ks(c->session, ks, &info) < 0) {
		console_status(c, MSG_ERROR, "The session field does not hold a KS");
		return;
	}
	long long pid = -1;
	const char *typed = session_value(c->session, "partnerId");
	if (typed && (!kt_parse_ll(typed, &pid) || pid < 0))
		pid = -1;
	ksi_context ctx = {.now = (long long)time(NULL), .session_partner = pid};
	if (c->res.error_code && !strcmp(c->res.error_code, "INVALID_KS")) {
		ctx.error_code = c->res.error_code;
		ctx.error_message = c->res.error_message;
	}
	ksi_report r;
	ksi_inspect(&info, session_secret_for(c->session, ks) != NULL || !info.decoded, &ctx, &r);
	ks_info_free(&info);
	char *body = ksi_render(&r);
	char *text = kt_xasprintf("%s\nC-n renews it (a new expiry, signed again) · C-y makes a new "
				  "one here (version, secret, type, user, expiry, privileges) · F12 "
				  "clears the field · y copies this view · Esc closes it\n", body);
	console_show_text(c, "The KS inspector (read here: nothing was sent)", text, NULL,
			  TEXT_COPY | TEXT_PASS_CTRL);
	console_status(c, r.nwarnings ? MSG_WARN : MSG_OK, "The KS: %d warning%s", r.nwarnings,
		       r.nwarnings == 1 ? "" : "s");
	ksi_report_free(&r);
	kt_free_secret(body);
	kt_free_secret(text);
}

void workflows_renew(console *c)
{
	const char *ks = form_pane_field(c, "ks"); /* what is sent */
	if (!ks) {
		console_status(c, MSG_INFO, "The session field is empty: session.start fills it");
		return;
	}
	const char *secret = session_secret_for(c->session, ks);
	if (!secret) {
		console_status(c, MSG_WARN, "Renewing needs the partner's admin secret, and no secret "
			       "known for this endpoint verifies this KS");
		return;
	}
	char *out;
	kt_error err;
	if (ks_renew(ks, secret, KSGEN_DEFAULT_EXPIRY, &out, &err)) {
		console_status(c, MSG_ERROR, "%s", err.msg);
		return;
	}
	console_set_ks(c, out);
	kt_free_secret(out);
	console_status(c, MSG_OK, "The KS was renewed: the same fields, valid for 1 day from now");
}

/* ---- the one-key entitlement fix ---- */

static struct fixable {
	bool armed;      /* the last answer was an entitlement symptom */
	bool pending;    /* the fixed request is on its way */
	char *service, *action;
	char *body;      /* the first answer, to compare */
	size_t len;
	int format;
	char *privs;     /* of the KS it was sent with */
	char *user;
} fx;

static void fix_forget(void)
{
	free(fx.service);
	free(fx.action);
	free(fx.body);
	free(fx.privs);
	free(fx.user);
	fx = (struct fixable){0};
}

/* The privileges and user of a KS, as the endpoint's secrets read it. */
static void read_privs(console *c, const char *ks, char **privs, char **user)
{
	ks_info info;
	*privs = *user = NULL;
	if (!ks || session_read_ks(c->session, ks, &info) < 0)
		return;
	if (info.decoded) {
		*privs = kt_xstrdup(info.privileges ? info.privileges : "");
		*user = kt_xstrdup(info.user ? info.user : "");
	}
	ks_info_free(&info);
}

static void apply_fix(console *c, const char *context)
{
	const char *ks = form_pane_field(c, "ks"); /* what is sent */
	const char *secret = ks ? session_secret_for(c->session, ks) : NULL;
	if (!secret) {
		console_status(c, MSG_WARN, "The fix re-signs the KS with the partner's admin secret, "
			       "and none known here verifies it: send session.start with "
			       "privileges=disableentitlement instead");
		return;
	}
	if (!c->action || strcasecmp(c->action->name, fx.action) || !c->service ||
	    strcasecmp(c->service->name, fx.service)) {
		console_status(c, MSG_WARN, "Open %s.%s again for the fix: it sends that request",
			       fx.service, fx.action);
		return;
	}
	char *out;
	kt_error err;
	if (ksgen_with_privilege(ks, secret, context ? "privacycontext" : "disableentitlement",
				 context, 0, (long long)time(NULL), &out, &err)) {
		console_status(c, MSG_ERROR, "%s", err.msg);
		return;
	}
	console_set_ks(c, out);
	kt_free_secret(out);
	fx.pending = true;
	console_send(c);
}

static void context_given(console *c, const char *text, void *ud)
{
	(void)ud;
	if (text && *text)
		apply_fix(c, text);
	else
		console_status(c, MSG_INFO, "No privacy context given: nothing was changed");
}

static void ask_context(console *c)
{
	console_prompt(c, "privacy context (the X of privacycontext:X): ", "", context_given, NULL);
}

/* The privacy contexts offered, for the chooser; the last entry types another. */
typedef struct contexts {
	char **names;
	int n;
} contexts;

static void contexts_free(contexts *x)
{
	for (int i = 0; i < x->n; i++)
		free(x->names[i]);
	free(x->names);
	free(x);
}

static void context_picked(console *c, int index, void *ud)
{
	contexts *x = ud;
	if (index >= 0 && index < x->n)
		apply_fix(c, x->names[index]);
	else if (index == x->n)
		ask_context(c);
	else
		console_status(c, MSG_INFO, "No privacy context chosen: nothing was changed");
	contexts_free(x);
}

static void contexts_listed(console *c, const call_outcome *out, void *ud)
{
	(void)ud;
	if (!out) {
		console_status(c, MSG_WARN, "The privacy contexts' category.list was cancelled: "
			       "nothing was changed");
		return;
	}
	contexts *x = kt_xcalloc(1, sizeof *x);
	if (out->failed || out->error)
		console_status(c, MSG_WARN, "category.list for the privacy contexts: %s (type one)",
			       out->failed ? out->err.msg : out->error->code ? out->error->code : "?");
	else
		x->n = entfix_contexts(&out->res, &x->names);
	char **items = kt_xcalloc((size_t)x->n + 1, sizeof *items);
	for (int i = 0; i < x->n; i++)
		items[i] = kt_xasprintf("privacycontext:%s", x->names[i]);
	items[x->n] = kt_xstrdup("Type another privacy context...");
	char *title = kt_xasprintf("The privacy contexts of the partner's categories (%d): the same "
				   "KS plus one, then the request again", x->n);
	console_choose(c, title, (const char *const *)items, (size_t)x->n + 1, 0, context_picked,
		       x);
	for (int i = 0; i <= x->n; i++)
		free(items[i]);
	free(items);
	free(title);
}

/* The categories' privacy contexts, to pick X from. A KS that names no privacy context is not
 * shown the categories that have one (that is the symptom being fixed), so the list goes with
 * the same KS plus disableentitlement, signed here and never put in the session field: the fix
 * re-signs with the partner's admin secret anyway, whose holder sees every category. */
static void list_contexts(console *c)
{
	const char *ks = form_pane_field(c, "ks");
	const char *secret = ks ? session_secret_for(c->session, ks) : NULL;
	char *wide;
	kt_error err;
	if (!secret) {
		apply_fix(c, NULL); /* says why no fix can be signed */
		return;
	}
	if (ksgen_with_privilege(ks, secret, "disableentitlement", NULL, 0, (long long)time(NULL),
				 &wide, &err)) {
		console_status(c, MSG_ERROR, "%s", err.msg);
		return;
	}
	kt_request req;
	request_init(&req, "category", "list");
	request_set_field(&req.ks, wide);
	kt_free_secret(wide);
	param_set(req.params, "pager:pageSize", "500", NULL);
	console_flow(c, &req, contexts_listed, NULL);
}

static void fix_picked(console *c, int index, void *ud)
{
	(void)ud;
	if (index == 0)
		apply_fix(c, NULL);
	else if (index == 1)
		list_contexts(c);
}

void workflows_fix(console *c)
{
	if (!fx.armed) {
		console_status(c, MSG_INFO, "C-x follows a CATEGORY_NOT_FOUND, an ENTRY_ID_NOT_FOUND "
			       "or an empty list sent with a KS that does not disable entitlements");
		return;
	}
	static const char *const items[] = {
		"disableentitlement: the same KS seeing everything the partner has",
		"privacycontext:X: the same KS searching one privacy context (picked from the "
		"categories, or typed)",
	};
	console_choose(c, "The entitlement fix: the same KS plus ..., then the request again",
		       items, 2, 0, fix_picked, NULL);
}

static void remember_token(const call_outcome *out);

void workflows_after_call(console *c, const call_outcome *out, const char *sent_ks)
{
	char *privs, *user;
	remember_token(out);
	read_privs(c, sent_ks, &privs, &user);
	if (fx.pending && out->parsed) {
		response before;
		kt_error err;
		char *summary = NULL;
		if (!response_parse(fx.body ? fx.body : "", fx.len, fx.format, &before, &err)) {
			summary = entfix_summary(out->service, out->action, &before, fx.privs,
						 &out->res, privs, fx.user);
			response_free(&before);
		}
		fix_forget();
		if (summary) {
			console_show_text(c, "The entitlement fix: both outcomes (Esc shows the result)",
					  summary, NULL, TEXT_COPY);
			free(summary);
		}
	} else if (out->parsed && entfix_detect(out->service, out->action, &out->res, privs)) {
		fix_forget();
		fx.armed = true;
		fx.service = kt_xstrdup(out->service);
		fx.action = kt_xstrdup(out->action);
		fx.body = out->body ? kt_xstrndup(out->body, out->len) : NULL;
		fx.len = out->body ? out->len : 0;
		fx.format = out->format;
		fx.privs = privs ? kt_xstrdup(privs) : NULL;
		fx.user = user ? kt_xstrdup(user) : NULL;
		const char *what = out->error ? out->error->code : "An empty list";
		console_status(c, MSG_WARN, "%s: entitlements may hide it; C-x: the same KS plus "
			       "disableentitlement, then this request again", what);
	} else {
		fix_forget();
	}
	free(privs);
	free(user);
}

/* ---- the app-token flow ---- */

static const char *outcome_error(const call_outcome *out)
{
	if (out->failed)
		return out->err.msg;
	return out->error ? out->error->code : NULL;
}

/* The flow between its two requests (console_flow): the token is wiped at the end. */
typedef struct at_flow {
	apptoken_info t;
	char *token;
	long long pid;
	char *prev; /* the session field's KS before: a flow that stops puts it back */
} at_flow;

static void at_end(console *c, at_flow *f, bool restore)
{
	if (restore)
		console_set_ks(c, f->prev);
	apptoken_info_free(&f->t);
	kt_free_secret(f->token);
	kt_free_secret(f->prev);
	free(f);
}

static void at_session_done(console *c, const call_outcome *out, void *ud)
{
	at_flow *f = ud;
	if (!out) {
		at_end(c, f, true);
		console_status(c, MSG_WARN, "The app-token flow was cancelled: the session keeps its "
			       "KS of before");
		return;
	}
	if (outcome_error(out) || !out->ks) {
		const char *why = outcome_error(out);
		at_end(c, f, true);
		console_status(c, MSG_ERROR, "appToken.startSession: %s (the session keeps its "
			       "KS of before)", why ? why : "the answer holds no KS");
		return;
	}
	console_set_ks(c, out->ks);
	char *title = kt_xasprintf("appToken.startSession for token %s (%s hash over the widget KS "
				   "of _%lld)", f->t.id, f->t.hash_type, f->pid);
	console_show_text(c, title, out->pretty ? out->pretty : "", NULL, 0);
	free(title);
	console_status(c, MSG_OK, "appToken.startSession: the KS of token %s is the session's (F9 "
		       "inspects it)", f->t.id);
	at_end(c, f, false);
}

static void at_widget_done(console *c, const call_outcome *out, void *ud)
{
	at_flow *f = ud;
	if (!out) {
		at_end(c, f, true);
		console_status(c, MSG_WARN, "The app-token flow was cancelled: the session keeps its "
			       "KS of before");
		return;
	}
	if (outcome_error(out)) {
		console_status(c, MSG_ERROR, "session.startWidgetSession for _%lld: %s", f->pid,
			       outcome_error(out));
		at_end(c, f, true);
		return;
	}
	apptoken_start st = {.id = f->t.id, .token = f->token, .hash_type = f->t.hash_type,
			     .widget_ks = apptoken_widget_ks(&out->res)};
	kt_request req;
	kt_error err;
	if (apptoken_session_request(&req, &st, &err)) {
		at_end(c, f, true);
		console_status(c, MSG_ERROR, "%s", err.msg);
		return;
	}
	if (!console_flow(c, &req, at_session_done, f))
		at_end(c, f, true);
}

/* Takes t over; token is copied (and wiped at the end). */
static void apptoken_run(console *c, apptoken_info *t, const char *token)
{
	long long pid = t->partner_id;
	const char *typed = session_value(c->session, "partnerId");
	if (pid < 0 && (!typed || !kt_parse_ll(typed, &pid) || pid < 0)) {
		console_status(c, MSG_ERROR, "The app token's partner is unknown: set partnerId in a "
			       "form (session.start's) first");
		apptoken_info_free(t);
		return;
	}
	at_flow *f = kt_xcalloc(1, sizeof *f);
	f->t = *t;
	memset(t, 0, sizeof *t);
	f->token = kt_xstrdup(token);
	f->pid = pid;
	const char *ks = form_pane_field(c, "ks");
	f->prev = ks ? kt_xstrdup(ks) : NULL;
	kt_request req;
	apptoken_widget_request(&req, pid);
	if (!console_flow(c, &req, at_widget_done, f))
		at_end(c, f, false);
}

/* The last app token an answer named (appToken.add, get, list): its id and hashType, for the
 * appToken.startSession form; never its token. */
static struct {
	char *id, *hash_type;
} last_token;

static void remember_token(const call_outcome *out)
{
	if (!out->parsed || out->error || strcasecmp(out->service, "appToken") ||
	    (strcasecmp(out->action, "add") && strcasecmp(out->action, "get") &&
	     strcasecmp(out->action, "list")))
		return;
	apptoken_info t;
	kt_error err;
	if (apptoken_info_from(&out->res, &t, &err))
		return;
	free(last_token.id);
	free(last_token.hash_type);
	last_token.id = kt_xstrdup(t.id);
	last_token.hash_type = kt_xstrdup(t.hash_type);
	apptoken_info_free(&t);
}

/* In the appToken.startSession form: id from the last token named, tokenHash from the token
 * typed and the widget KS in the session field, with that token's hashType. */
static void form_token_given(console *c, const char *text, void *ud)
{
	(void)ud;
	const char *wks = form_pane_field(c, "ks");
	const char *id = last_token.id;
	apptoken_start st = {.id = id, .token = text, .hash_type = last_token.hash_type,
			     .widget_ks = wks};
	kt_request req;
	kt_error err;
	if (!text) {
		console_status(c, MSG_INFO, "No token given: the form is unchanged");
		return;
	}
	if (apptoken_session_request(&req, &st, &err)) {
		console_status(c, MSG_ERROR, "%s", err.msg);
		return;
	}
	form_pane_fill(c, &req, NULL, 0);
	request_free(&req);
	console_status(c, MSG_OK, "id %s and its %s tokenHash are in the form: F5 sends it", id,
		       last_token.hash_type);
}

static void token_given(console *c, const char *text, void *ud)
{
	apptoken_info *t = ud;
	if (text && *text)
		apptoken_run(c, t, text);
	else
		console_status(c, MSG_INFO, "No token given: nothing was sent");
	apptoken_info_free(t); /* what apptoken_run left (nothing, when it took it) */
	free(t);
}

void workflows_apptoken(console *c)
{
	response res;
	kt_error err;
	if (c->action && !strcasecmp(c->service->name, "appToken") &&
	    !strcasecmp(c->action->name, "startSession")) {
		if (!last_token.id) {
			console_status(c, MSG_INFO, "Send appToken.add, get or list first: its token's "
				       "id and hashType fill this form");
			return;
		}
		console_prompt(c, "the token (for the tokenHash only, not kept): ", "",
			       form_token_given, NULL);
		return;
	}
	if (!c->res.body || response_parse(c->res.body, c->res.len, c->res.format, &res, &err)) {
		console_status(c, MSG_INFO, "C-t follows appToken.add, get or list: it starts a "
			       "session with the token of that result");
		return;
	}
	apptoken_info *t = kt_xcalloc(1, sizeof *t);
	int rc = apptoken_info_from(&res, t, &err);
	response_free_wiped(&res); /* the token */
	if (rc) {
		console_status(c, MSG_ERROR, "%s", err.msg);
		free(t);
		return;
	}
	if (t->token) {
		char *token = kt_xstrdup(t->token);
		apptoken_run(c, t, token);
		kt_free_secret(token);
		apptoken_info_free(t);
		free(t);
		return;
	}
	/* a list does not carry the token: asked for, used once, never kept */
	char label[160];
	snprintf(label, sizeof label, "the token of app token %s (used for the hash only): ",
		 t->id);
	console_prompt(c, label, "", token_given, t);
}

/* ---- the profile switcher ---- */

static char *current_profile;

const char *workflows_profile(void)
{
	return current_profile;
}

static void profile_picked(console *c, int index, void *ud)
{
	profile_config *cfg = ud;
	if (index >= 0 && index < cfg->n) {
		const profile *p = &cfg->profiles[index];
		profile_values v;
		char *warning;
		kt_error err;
		if (profile_values_get(cfg, p, &v, &warning, &err)) {
			console_status(c, MSG_ERROR, "%s", err.msg);
		} else {
			console_set_endpoint(c, v.region, v.endpoint);
			for (int i = 0; i < v.n; i++) {
				if (!strcmp(v.names[i], "secret"))
					session_add_secret(c->session, v.values[i]);
				form_pane_prefill(c, v.names[i], v.values[i]);
			}
			free(current_profile);
			current_profile = kt_xstrdup(p->name);
			if (warning)
				console_status(c, MSG_WARN, "%s", warning);
			else
				console_status(c, MSG_OK, "Profile %s: %s", p->name, v.endpoint);
			free(warning);
			profile_values_free(&v);
		}
	}
	profile_config_free(cfg);
	free(cfg);
}

void workflows_profiles(console *c)
{
	profile_config *cfg = kt_xcalloc(1, sizeof *cfg);
	kt_error err;
	if (profile_load(NULL, cfg, &err)) {
		console_status(c, MSG_ERROR, "%s", err.msg);
		free(cfg);
		return;
	}
	if (!cfg->n) {
		char *path = profile_default_path(NULL);
		console_status(c, MSG_INFO, "No profiles in %s (see PROFILES in the man page)",
			       path ? path : "the config file");
		free(path);
		profile_config_free(cfg);
		free(cfg);
		return;
	}
	char **items = kt_xcalloc((size_t)cfg->n, sizeof *items);
	size_t cur = 0;
	for (int i = 0; i < cfg->n; i++) {
		const profile *p = &cfg->profiles[i];
		char *url = profile_endpoint(p);
		char pid[32] = "-";
		if (p->partner_id >= 0)
			snprintf(pid, sizeof pid, "%lld", p->partner_id);
		items[i] = kt_xasprintf("%s  %s, partner %s%s", p->name, url ? url : "?", pid,
					 current_profile && !strcmp(current_profile, p->name)
						 ? " (current)" : "");
		if (current_profile && !strcmp(current_profile, p->name))
			cur = (size_t)i;
		free(url);
	}
	console_choose(c, "Profiles: Enter switches to one (its endpoint, partner and secret)",
		       (const char *const *)items, (size_t)cfg->n, cur, profile_picked, cfg);
	for (int i = 0; i < cfg->n; i++)
		free(items[i]);
	free(items);
}

/* ---- sign-in, as the Developer Portal does ---- */

/* The flow's state between its three requests and the partner chooser; the password and the
 * secrets are wiped at its end, whichever way it ends. */
typedef struct si_flow {
	char *login;
	char *password;
	signin_partner *partners;
	int n;
	int picked;
	char *prev; /* the session field before: the login's own KS does not stay there */
	session *session; /* the endpoint it signs in to: no password goes to another */
} si_flow;

static char *last_login; /* the email of the last sign-in, offered again */
static si_flow *si_open; /* the one under way, wiped at the end of the run (workflows_free) */

static void si_free(si_flow *f)
{
	if (si_open == f)
		si_open = NULL;
	free(f->login);
	kt_free_secret(f->password);
	signin_partners_free(f->partners, f->n);
	kt_free_secret(f->prev);
	free(f);
}

static void si_end(console *c, si_flow *f)
{
	if (c->session == f->session)
		console_set_ks(c, f->prev);
	si_free(f);
}

/* false (and the flow ended, the status saying why) when the step failed or was cancelled. */
static bool si_step_ok(console *c, si_flow *f, const call_outcome *out, const char *step)
{
	if (!out) {
		si_end(c, f);
		console_status(c, MSG_WARN, "Sign-in cancelled during %s", step);
		return false;
	}
	if (out->failed || out->error) {
		char *why = out->failed ? kt_xstrdup(out->err.msg)
					: kt_xasprintf("%s: %s", out->error->code ? out->error->code : "?",
						       out->error->message ? out->error->message : "");
		si_end(c, f);
		console_status(c, MSG_ERROR, "Sign-in: %s: %s", step, why);
		free(why);
		return false;
	}
	return true;
}

static void si_secrets_done(console *c, const call_outcome *out, void *ud)
{
	si_flow *f = ud;
	if (!si_step_ok(c, f, out, "partner.getSecrets"))
		return;
	signin_secrets sec;
	kt_error err;
	if (signin_secrets_read(&out->res, &sec, &err)) {
		si_end(c, f);
		console_status(c, MSG_ERROR, "Sign-in: %s", err.msg);
		return;
	}
	const signin_partner *p = &f->partners[f->picked];
	long long pid = sec.partner_id >= 0 ? sec.partner_id : p->id;
	char num[32];
	snprintf(num, sizeof num, "%lld", pid);
	/* memory only: the endpoint's session holds them, to sign and read its KSs */
	session_add_secret(c->session, sec.admin_secret);
	if (sec.user_secret)
		session_add_secret(c->session, sec.user_secret);
	const schema_service *sv = c->schema ? schema_find_service(c->schema, "session") : NULL;
	const schema_action *act = sv ? schema_find_action(sv, "start") : NULL;
	if (act && act != c->action) {
		c->action = act;
		c->service = act->service;
		console_notify(c, EV_ACTION_CHOSEN);
	}
	form_pane_prefill(c, "partnerId", num);
	form_pane_prefill(c, "secret", sec.admin_secret);
	signin_secrets_free(&sec);
	char *name = kt_xstrdup(p->name);
	char *login = kt_xstrdup(f->login);
	si_end(c, f);
	console_focus(c, PANE_FORM);
	console_status(c, MSG_OK, "Signed in as %s: partner %lld (%s); its admin secret is in the "
		       "session.start form, F5 starts a session", login, pid, name);
	free(name);
	free(login);
}

static void si_partner_picked(console *c, int index, void *ud)
{
	si_flow *f = ud;
	if (index < 0 || index >= f->n) {
		si_end(c, f);
		console_status(c, MSG_INFO, "Sign-in: no partner chosen, nothing changed");
		return;
	}
	if (c->session != f->session) { /* F2 over the chooser */
		si_end(c, f);
		console_status(c, MSG_WARN, "Sign-in stopped: the endpoint changed (sign in again "
			       "there)");
		return;
	}
	f->picked = index;
	kt_request req;
	signin_secrets_request(&req, f->partners[index].id, f->login, f->password);
	if (!console_flow(c, &req, si_secrets_done, f))
		si_end(c, f);
}

static void si_partners_done(console *c, const call_outcome *out, void *ud)
{
	si_flow *f = ud;
	if (!si_step_ok(c, f, out, "partner.listPartnersForUser"))
		return;
	kt_error err;
	if (signin_partners(&out->res, &f->partners, &f->n, &err)) {
		si_end(c, f);
		console_status(c, MSG_ERROR, "Sign-in: %s", err.msg);
		return;
	}
	char **items = kt_xcalloc((size_t)f->n, sizeof *items);
	for (int i = 0; i < f->n; i++)
		items[i] = kt_xasprintf("%-10lld %s", f->partners[i].id, f->partners[i].name);
	char *title = kt_xasprintf("The partners of %s: Enter fetches its secrets", f->login);
	console_choose(c, title, (const char *const *)items, (size_t)f->n, 0, si_partner_picked, f);
	console_status(c, MSG_OK, "Sign-in: %d partner%s for %s", f->n, f->n == 1 ? "" : "s",
		       f->login);
	for (int i = 0; i < f->n; i++)
		free(items[i]);
	free(items);
	free(title);
}

static void si_login_done(console *c, const call_outcome *out, void *ud)
{
	si_flow *f = ud;
	if (!si_step_ok(c, f, out, "user.loginByLoginId"))
		return;
	if (!out->ks) {
		si_end(c, f);
		console_status(c, MSG_ERROR, "Sign-in: user.loginByLoginId answered no KS");
		return;
	}
	kt_request req;
	signin_partners_request(&req, out->ks);
	if (!console_flow(c, &req, si_partners_done, f))
		si_end(c, f);
}

static void si_password_given(console *c, const char *text, void *ud)
{
	si_flow *f = ud;
	if (!text || !*text) {
		si_end(c, f);
		console_status(c, MSG_INFO, "Sign-in: no password given, nothing was sent");
		return;
	}
	f->password = kt_xstrdup(text);
	kt_request req;
	signin_login_request(&req, f->login, f->password, -1);
	if (!console_flow(c, &req, si_login_done, f))
		si_end(c, f);
}

static void si_login_given(console *c, const char *text, void *ud)
{
	(void)ud;
	if (!text || !*text) {
		console_status(c, MSG_INFO, "Sign-in: no email given, nothing was sent");
		return;
	}
	free(last_login);
	last_login = kt_xstrdup(text);
	si_flow *f = kt_xcalloc(1, sizeof *f);
	f->login = kt_xstrdup(text);
	f->session = c->session;
	si_open = f;
	const char *ks = form_pane_field(c, "ks");
	f->prev = ks ? kt_xstrdup(ks) : NULL;
	char *label = kt_xasprintf("password of %s (not shown, not kept): ", text);
	console_prompt_secret(c, label, si_password_given, f);
	free(label);
}

void workflows_signin(console *c)
{
	if (si_open) { /* its request is on its way */
		console_status(c, MSG_WARN, "A sign-in is under way: Esc stops it");
		return;
	}
	console_prompt(c, "Sign in: email (login id): ", last_login ? last_login : "",
		       si_login_given, NULL);
}

/* ---- a KS made here (the seed's third way, generateSession) ---- */

/* The answers so far; the secret is wiped at the end, whichever way it ends. */
typedef struct gen_flow {
	char *partner;
	int version;
	char *secret;
	bool typed_secret;
	int type;
	char *user;
	char *expiry;
	char *privs; /* the session KS's, offered to the builder */
	session *session; /* the endpoint whose secret signs it: its KS goes nowhere else */
} gen_flow;

static gen_flow *gen_open; /* the one under way, wiped at the end of the run */

static void gen_end(gen_flow *g)
{
	if (gen_open == g)
		gen_open = NULL;
	free(g->partner);
	kt_free_secret(g->secret);
	free(g->user);
	free(g->expiry);
	free(g->privs);
	free(g);
}

static void gen_cancel(console *c, gen_flow *g)
{
	gen_end(g);
	console_status(c, MSG_INFO, "No KS made: the session field is as it was");
}

static void gen_privs_done(console *c, const char *privileges, void *ud)
{
	gen_flow *g = ud;
	if (!privileges) {
		gen_cancel(c, g);
		return;
	}
	if (c->session != g->session) { /* F2 over one of its choosers */
		gen_end(g);
		console_status(c, MSG_WARN, "No KS made: the endpoint changed on the way");
		return;
	}
	ksgen_request r = {.version = g->version, .partner_id = g->partner, .secret = g->secret,
			   .type = g->type ? "admin" : "user", .user = g->user, .expiry = g->expiry,
			   .privileges = privileges};
	char *ks;
	kt_error err;
	if (ksgen_make(&r, (long long)time(NULL), &ks, &err)) {
		console_status(c, MSG_ERROR, "No KS made: %s", err.msg);
		gen_end(g);
		return;
	}
	if (g->typed_secret) /* to read, renew and fix the KS it signed (memory only) */
		session_add_secret(c->session, g->secret);
	console_set_ks(c, ks);
	kt_free_secret(ks);
	console_status(c, MSG_OK, "A KS v%d %s%s%s for partner %s was made here (nothing was sent): "
		       "it is the session's, F9 inspects it", g->version, g->type ? "ADMIN" : "USER",
		       g->user && *g->user ? " " : "", g->user ? g->user : "", g->partner);
	gen_end(g);
}

static void gen_expiry_given(console *c, const char *text, void *ud)
{
	gen_flow *g = ud;
	long long secs;
	kt_error err;
	if (!text) {
		gen_cancel(c, g);
		return;
	}
	if (ksgen_parse_expiry(text, (long long)time(NULL), &secs, &err)) {
		/* the prompt holds the status line: the error goes in its label */
		char *label = kt_xasprintf("%s; expiry, seconds from now: ", err.msg);
		console_prompt(c, label, text, gen_expiry_given, g);
		free(label);
		return;
	}
	g->expiry = kt_xstrdup(text);
	workflows_privileges(c, "the new KS's privileges", g->privs, gen_privs_done, g);
}

static void gen_user_given(console *c, const char *text, void *ud)
{
	gen_flow *g = ud;
	if (!text) {
		gen_cancel(c, g);
		return;
	}
	g->user = kt_xstrdup(text);
	char def[32];
	snprintf(def, sizeof def, "%d", KSGEN_DEFAULT_EXPIRY);
	console_prompt(c, "expiry, seconds from now: ", def, gen_expiry_given, g);
}

static void gen_type_picked(console *c, int index, void *ud)
{
	gen_flow *g = ud;
	if (index < 0) {
		gen_cancel(c, g);
		return;
	}
	g->type = index ? 2 : 0;
	console_prompt(c, "user id (empty: none): ", g->user ? g->user : "", gen_user_given, g);
	free(g->user); /* the default offered, now in the prompt */
	g->user = NULL;
}

static void gen_ask_type(console *c, gen_flow *g)
{
	static const char *const types[] = {"USER (0): a session of a user", "ADMIN (2): a "
					    "session that may do anything (never hand it out)"};
	console_choose(c, "The new KS's type", types, 2, g->type ? 1 : 0, gen_type_picked, g);
}

static void gen_secret_typed(console *c, const char *text, void *ud)
{
	gen_flow *g = ud;
	if (!text || !*text) {
		gen_cancel(c, g);
		return;
	}
	kt_free_secret(g->secret);
	g->secret = kt_xstrdup(text);
	g->typed_secret = true;
	gen_ask_type(c, g);
}

static void gen_ask_secret(console *c, gen_flow *g)
{
	console_prompt_secret(c, "the partner's admin secret (not shown, memory only): ",
			      gen_secret_typed, g);
}

static void gen_secret_picked(console *c, int index, void *ud)
{
	gen_flow *g = ud;
	if (index < 0)
		gen_cancel(c, g);
	else if (index == 0)
		gen_ask_type(c, g);
	else
		gen_ask_secret(c, g);
}

static void gen_version_picked(console *c, int index, void *ud)
{
	gen_flow *g = ud;
	if (index < 0) {
		gen_cancel(c, g);
		return;
	}
	g->version = index ? 1 : 2;
	if (!g->secret) {
		gen_ask_secret(c, g);
		return;
	}
	static const char *const from[] = {"The secret this endpoint knows (the one of session."
					   "start's form, or that signed the session's KS)",
					   "Type another secret..."};
	console_choose(c, "Sign it with", from, 2, 0, gen_secret_picked, g);
}

static void gen_ask_version(console *c, gen_flow *g)
{
	static const char *const versions[] = {"v2: encrypted, read only with the secret (the "
					       "server's default)", "v1: signed, readable by anyone"};
	console_choose(c, "A KS made here (as generateSession): its version", versions, 2,
		       g->version == 1 ? 1 : 0, gen_version_picked, g);
}

static void gen_partner_given(console *c, const char *text, void *ud)
{
	gen_flow *g = ud;
	long long pid;
	if (!text) {
		gen_cancel(c, g);
		return;
	}
	if (!kt_parse_ll(text, &pid) || pid < 0) {
		char *label = kt_xasprintf("not a partner id (a number): %s; partner id: ", text);
		console_prompt(c, label, text, gen_partner_given, g);
		free(label);
		return;
	}
	g->partner = kt_xstrdup(text);
	gen_ask_version(c, g);
}

void workflows_generate(console *c)
{
	gen_flow *g = kt_xcalloc(1, sizeof *g);
	g->session = c->session;
	if (gen_open)
		gen_end(gen_open);
	gen_open = g;
	/* the session's KS, when it reads, seeds every answer; else the forms' values */
	const char *ks = form_pane_field(c, "ks");
	const char *secret = ks ? session_secret_for(c->session, ks) : NULL;
	ks_info info;
	if (ks && session_read_ks(c->session, ks, &info) == 0) {
		if (info.decoded) {
			g->version = info.version;
			g->type = info.type;
			g->user = info.user && *info.user ? kt_xstrdup(info.user) : NULL;
			g->privs = info.privileges ? kt_xstrdup(info.privileges) : NULL;
		}
		if (secret)
			g->partner = kt_xasprintf("%lld", info.partner_id);
		ks_info_free(&info);
	}
	if (!secret)
		secret = session_value(c->session, "secret");
	g->secret = secret && *secret ? kt_xstrdup(secret) : NULL;
	const char *pid = session_value(c->session, "partnerId");
	if (!g->partner && pid && *pid)
		g->partner = kt_xstrdup(pid);
	if (!g->user) {
		const char *user = session_value(c->session, "userId");
		g->user = user && *user ? kt_xstrdup(user) : NULL;
	}
	if (g->partner)
		gen_ask_version(c, g);
	else
		console_prompt(c, "partner id: ", "", gen_partner_given, g);
}

void workflows_free(void)
{
	if (si_open)
		si_free(si_open);
	if (gen_open)
		gen_end(gen_open);
	free(last_login);
	last_login = NULL;
}
