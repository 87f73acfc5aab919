/* overlay: the console's modal overlays (the chooser, the help screen, the welcome panel) and
 * the one-line prompt in the status line. While one is open it takes every key; the core only
 * asks whether one is open, draws it last and passes keys and clicks on. */
#include "overlay.h"

#include <stdlib.h>
#include <string.h>

#include "keymap.h"
#include "lineedit.h"
#include "picklist.h"
#include "sandbox/sandbox.h"
#include "util.h"

typedef enum { OV_NONE, OV_HELP, OV_WELCOME, OV_CHOOSE } overlay_kind;

struct overlays {
	overlay_kind ov;
	int help_top;
	/* the chooser */
	char **items;
	size_t nitems;
	picklist pk;
	lineedit filter;
	char *choose_title;
	console_choose_cb choose_cb;
	void *choose_ud;
	/* the prompt */
	bool prompting;
	char *prompt_label;
	lineedit prompt;
	size_t prompt_start;
	bool prompt_fresh;   /* the initial text is selected: typing replaces it */
	console_prompt_cb prompt_cb;
	void *prompt_ud;
};

struct overlays *overlay_new(void)
{
	struct overlays *o = kt_xcalloc(1, sizeof *o);
	return o;
}

static void choose_close(struct overlays *o)
{
	for (size_t i = 0; i < o->nitems; i++)
		free(o->items[i]);
	free(o->items);
	pick_free(&o->pk);
	free(o->choose_title);
	le_free(&o->filter);
	o->items = NULL;
	o->choose_title = NULL;
	o->nitems = 0;
	o->ov = OV_NONE;
}

static bool item_matches(size_t i, void *ud)
{
	const struct overlays *o = ud;
	return strcasestr(o->items[i], o->filter.buf) != NULL;
}

static void choose_refilter(struct overlays *o)
{
	pick_filter(&o->pk, o->nitems, o->filter.len ? item_matches : NULL, o);
}

void console_choose(console *c, const char *title, const char *const *items, size_t n,
		    size_t current, console_choose_cb cb, void *ud)
{
	struct overlays *o = c->overlays;
	if (o->ov == OV_CHOOSE)
		choose_close(o);
	o->items = kt_xmalloc((n ? n : 1) * sizeof *o->items);
	for (size_t i = 0; i < n; i++)
		o->items[i] = kt_xstrdup(items[i]);
	o->nitems = n;
	o->choose_title = kt_xstrdup(title);
	o->choose_cb = cb;
	o->choose_ud = ud;
	le_init(&o->filter, NULL);
	choose_refilter(o);
	pick_set(&o->pk, current);
	o->ov = OV_CHOOSE;
}

void console_prompt(console *c, const char *label, const char *initial, console_prompt_cb cb,
		    void *ud)
{
	struct overlays *o = c->overlays;
	free(o->prompt_label);
	if (o->prompting)
		le_free(&o->prompt);
	o->prompt_label = kt_xstrdup(label);
	le_init(&o->prompt, initial);
	o->prompt_start = 0;
	o->prompt_fresh = initial && *initial;
	o->prompt_cb = cb;
	o->prompt_ud = ud;
	o->prompting = true;
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
	if (c->overlays->help_top > maxtop)
		c->overlays->help_top = maxtop > 0 ? maxtop : 0;
	for (int i = 0; i < in.h && (size_t)(c->overlays->help_top + i) < n; i++) {
		help_line *l = &lines[c->overlays->help_top + i];
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
	struct overlays *o = c->overlays;
	static const char hint[] = "type to filter, Enter chooses, Esc cancels";
	int w = (int)le_width(o->choose_title, strlen(o->choose_title)) + 4;
	if (w < (int)sizeof hint)
		w = (int)sizeof hint;
	for (size_t i = 0; i < o->nitems; i++) {
		int iw = le_width(o->items[i], strlen(o->items[i]));
		if (iw > w)
			w = iw;
	}
	int want = (int)o->nitems + 1;
	kt_rect in = draw_box(c, want < 4 ? 4 : want, w + 2, o->choose_title);
	char fl[300];
	snprintf(fl, sizeof fl, "filter: %s", o->filter.buf);
	ui_text(in.y, in.x, in.w, o->filter.len ? fl : hint, (size_t)-1, ui_attr(UI_DIM));
	int rows = in.h - 1;
	picklist *pk = &o->pk;
	if (rows > 0)
		pick_scroll(pk, (size_t)rows);
	for (int i = 0; i < rows && pk->top + (size_t)i < pk->nshown; i++) {
		size_t idx = pk->top + (size_t)i;
		attr_t a = idx == pk->cur ? ui_attr(UI_CURSOR) : A_NORMAL;
		ui_fill(in.y + 1 + i, in.x, in.w, a);
		if (idx == pk->cur)
			ui_text(in.y + 1 + i, in.x, 1, ">", 1, a);
		ui_text(in.y + 1 + i, in.x + 1, in.w - 1, o->items[pk->shown[idx]], (size_t)-1, a);
	}
}

int overlay_key(console *c, const ui_key *key)
{
	struct overlays *o = c->overlays;
	if (o->ov == OV_HELP) {
		kt_action a = keymap_lookup(SCOPE_RESULT, key->name);
		if (a == ACT_UP && o->help_top > 0)
			o->help_top--;
		else if (a == ACT_DOWN)
			o->help_top++;
		else if (a == ACT_PAGE_DOWN)
			o->help_top += 10;
		else if (a == ACT_PAGE_UP)
			o->help_top = o->help_top > 10 ? o->help_top - 10 : 0;
		else if (a == ACT_QUIT)
			return H_QUIT;
		else
			o->ov = OV_NONE; /* any other key closes it */
		return H_HANDLED;
	}
	if (o->ov == OV_WELCOME) {
		o->ov = OV_NONE;
		return 0; /* closed; the core may still act on the key (F2, for one) */
	}
	/* the chooser */
	kt_action a = keymap_lookup(SCOPE_GLOBAL, key->name);
	if (a == ACT_QUIT)
		return H_QUIT;
	if (pick_move(&o->pk, a, c->rows > 7 ? (size_t)c->rows - 6 : 1))
		return H_HANDLED;
	if (a == ACT_SELECT || a == ACT_CANCEL) {
		size_t item = pick_item(&o->pk);
		int idx = a == ACT_SELECT && item != PICK_NONE ? (int)item : -1;
		console_choose_cb cb = o->choose_cb;
		void *ud = o->choose_ud;
		choose_close(o);
		cb(c, idx, ud);
	} else if (ui_key_is_text(key)) {
		le_insert(&o->filter, (wchar_t)key->ch);
		choose_refilter(o);
	} else if (le_key(&o->filter, key->name)) {
		choose_refilter(o);
	}
	return H_HANDLED;
}

void overlay_prompt_key(console *c, const ui_key *key)
{
	struct overlays *o = c->overlays;
	kt_action a = keymap_lookup(SCOPE_FORM, key->name);
	if (a == ACT_SELECT || a == ACT_CANCEL) {
		char *text = a == ACT_SELECT ? kt_xstrdup(o->prompt.buf) : NULL;
		console_prompt_cb cb = o->prompt_cb;
		void *ud = o->prompt_ud;
		o->prompting = false;
		le_free(&o->prompt);
		cb(c, text, ud);
		free(text);
	} else if (ui_key_is_text(key)) {
		if (o->prompt_fresh)
			le_set(&o->prompt, NULL);
		o->prompt_fresh = false;
		le_insert(&o->prompt, (wchar_t)key->ch);
	} else {
		kt_action t = keymap_lookup(SCOPE_TEXT, key->name);
		if (o->prompt_fresh && (t == ACT_DELETE_BACK || t == ACT_DELETE_FORWARD))
			le_set(&o->prompt, NULL); /* deletes the selection */
		else
			le_key(&o->prompt, key->name);
		o->prompt_fresh = false;
	}
}

bool overlay_paste(console *c, const char *text, size_t len)
{
	struct overlays *o = c->overlays;
	char why[160];
	lineedit *e = o->prompting ? &o->prompt : o->ov == OV_CHOOSE ? &o->filter : NULL;
	if (!e)
		return false;
	if (o->prompting && o->prompt_fresh)
		le_set(e, NULL);
	o->prompt_fresh = false;
	if (!le_paste(e, text, len, why, sizeof why))
		console_status(c, MSG_WARN, "%s", why);
	if (!o->prompting)
		choose_refilter(o);
	return true;
}

bool overlay_draw_prompt(console *c, kt_rect r)
{
	struct overlays *o = c->overlays;
	if (!o->prompting)
		return false;
	int x = ui_text(r.y, r.x, r.w, o->prompt_label, (size_t)-1, ui_attr(UI_KEY));
	int col;
	le_view(&o->prompt, r.w - x, &o->prompt_start, &col);
	ui_text(r.y, r.x + x, r.w - x, o->prompt.buf + o->prompt_start, (size_t)-1,
		o->prompt_fresh ? A_REVERSE : A_NORMAL);
	console_cursor(c, r.y, r.x + x + col);
	return true;
}

void overlay_draw(console *c)
{
	switch (c->overlays->ov) {
	case OV_HELP: draw_help(c); break;
	case OV_WELCOME: draw_welcome(c); break;
	case OV_CHOOSE: draw_chooser(c); break;
	case OV_NONE: break;
	}
}

bool overlay_click(console *c, int y)
{
	struct overlays *o = c->overlays;
	if (o->ov != OV_CHOOSE)
		return false;
	/* rows of the chooser: recompute where draw_chooser put them */
	int want = (int)o->nitems + 1;
	int h = (want < 4 ? 4 : want) + 2;
	if (h > c->rows - 2)
		h = c->rows - 2;
	int row = y - ((c->rows - h) / 2 + 2);
	if (row >= 0 && pick_set(&o->pk, o->pk.top + (size_t)row)) {
		ui_key enter = { .ch = '\n', .fn = false, .name = "Enter" };
		overlay_key(c, &enter);
	}
	return true;
}

bool overlay_open(const console *c)
{
	return c->overlays->ov != OV_NONE;
}

bool overlay_prompting(const console *c)
{
	return c->overlays->prompting;
}

void overlay_help(console *c)
{
	c->overlays->ov = OV_HELP;
	c->overlays->help_top = 0;
}

void overlay_welcome(console *c)
{
	c->overlays->ov = OV_WELCOME;
}

void overlay_free(struct overlays *o)
{
	if (!o)
		return;
	if (o->ov == OV_CHOOSE)
		choose_close(o);
	if (o->prompting)
		le_free(&o->prompt);
	free(o->prompt_label);
	free(o);
}
