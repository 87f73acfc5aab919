/* overlay: the console's modal overlays on a stack (text views and choosers) and the one-line
 * prompt in the status line. The top overlay takes every key; the core only asks whether one
 * is open, draws them last and passes keys, pastes and clicks on. One text view serves the
 * help, the welcome panel, code examples and the KS decoded: word-wrapped, scrolling, and
 * never in place of the last result. */
#include "overlay.h"

#include <stdlib.h>
#include <string.h>

#include "clip.h"
#include "files.h"
#include "keymap.h"
#include "lineedit.h"
#include "picklist.h"
#include "sandbox/sandbox.h"
#include "util.h"
#include "wrap.h"

typedef enum { OV_TEXT, OV_CHOOSE } overlay_kind;

typedef struct frame {
	overlay_kind kind;
	char *title;
	kt_rect drawn;      /* the inner rectangle of the last draw, for clicks */
	/* a text view */
	char *text;
	unsigned flags;     /* TEXT_* */
	size_t top;         /* the first row shown */
	int page;           /* rows of the last draw */
	char *save_as;      /* the default file name for s; NULL: s does not save */
	/* a chooser */
	char **items;
	size_t nitems;
	picklist pk;
	lineedit filter;
	console_choose_cb choose_cb;
	void *choose_ud;
	keymap_scope act_scope;       /* console_choose_actions */
	console_choose_act_cb act_cb;
	char *hint;
} frame;

struct overlays {
	frame *stack;
	size_t n, cap;
	/* the prompt */
	bool prompting;
	char *prompt_label;
	lineedit prompt;
	size_t prompt_start;
	bool prompt_fresh;   /* the initial text is selected: typing replaces it */
	bool prompt_secret;  /* a password: drawn as '*', wiped (console_prompt_secret) */
	console_prompt_cb prompt_cb;
	void *prompt_ud;
};

struct overlays *overlay_new(void)
{
	struct overlays *o = kt_xcalloc(1, sizeof *o);
	return o;
}

static frame *top(const console *c)
{
	struct overlays *o = c->overlays;
	return o->n ? &o->stack[o->n - 1] : NULL;
}

static frame *push(console *c, overlay_kind kind, const char *title)
{
	struct overlays *o = c->overlays;
	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 4;
		o->stack = kt_xrealloc(o->stack, o->cap * sizeof *o->stack);
	}
	frame *f = &o->stack[o->n++];
	memset(f, 0, sizeof *f);
	f->kind = kind;
	f->title = kt_xstrdup(title);
	return f;
}

static void pop(console *c)
{
	struct overlays *o = c->overlays;
	if (!o->n)
		return;
	frame *f = &o->stack[--o->n];
	for (size_t i = 0; i < f->nitems; i++)
		free(f->items[i]);
	free(f->items);
	pick_free(&f->pk);
	if (f->kind == OV_CHOOSE)
		le_free(&f->filter);
	if (f->text) /* a KS decoded, a code example: wiped */
		kt_free_secret(f->text);
	free(f->save_as);
	free(f->hint);
	free(f->title);
}

static bool item_matches(size_t i, void *ud)
{
	const frame *f = ud;
	return strcasestr(f->items[i], f->filter.buf) != NULL;
}

static void choose_refilter(frame *f)
{
	pick_filter(&f->pk, f->nitems, f->filter.len ? item_matches : NULL, f);
}

void console_choose(console *c, const char *title, const char *const *items, size_t n,
		    size_t current, console_choose_cb cb, void *ud)
{
	frame *f = push(c, OV_CHOOSE, title);
	f->items = kt_xmalloc((n ? n : 1) * sizeof *f->items);
	for (size_t i = 0; i < n; i++)
		f->items[i] = kt_xstrdup(items[i]);
	f->nitems = n;
	f->choose_cb = cb;
	f->choose_ud = ud;
	le_init(&f->filter, NULL);
	choose_refilter(f);
	pick_set(&f->pk, current);
}

void console_choose_actions(console *c, keymap_scope scope, console_choose_act_cb cb,
			    const char *hint)
{
	frame *f = top(c);
	if (!f || f->kind != OV_CHOOSE)
		return;
	f->act_scope = scope;
	f->act_cb = cb;
	free(f->hint);
	f->hint = hint ? kt_xstrdup(hint) : NULL;
}

void console_show_text(console *c, const char *title, const char *text, const char *save_as,
		       unsigned flags)
{
	frame *f = push(c, OV_TEXT, title);
	f->text = kt_xstrdup(text);
	f->flags = flags;
	f->save_as = save_as ? kt_xstrdup(save_as) : NULL;
}

static void open_prompt(console *c, const char *label, const char *initial, bool secret,
			console_prompt_cb cb, void *ud)
{
	struct overlays *o = c->overlays;
	free(o->prompt_label);
	if (o->prompting)
		le_free(&o->prompt);
	o->prompt_label = kt_xstrdup(label);
	if (secret)
		le_init_secret(&o->prompt);
	else
		le_init(&o->prompt, initial);
	o->prompt_secret = secret;
	o->prompt_start = 0;
	o->prompt_fresh = !secret && initial && *initial;
	o->prompt_cb = cb;
	o->prompt_ud = ud;
	o->prompting = true;
}

void console_prompt(console *c, const char *label, const char *initial, console_prompt_cb cb,
		    void *ud)
{
	open_prompt(c, label, initial, false, cb, ud);
}

void console_prompt_secret(console *c, const char *label, console_prompt_cb cb, void *ud)
{
	open_prompt(c, label, NULL, true, cb, ud);
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

static char **welcome_lines(size_t *n)
{
	/* one line per paragraph: the view wraps them to the screen */
	static const char *const tmpl[] = {
		"Welcome to ktestme, Kaltura's TestMe console in your terminal.",
		"",
		"No endpoint was configured, so a sandbox (a local Kaltura-compatible server) runs "
		"inside ktestme as the endpoint \"local\": %URL%",
		"  partner id    %PID%",
		"  admin secret  %ADMIN%",
		"  user secret   %USER%",
		"  sign-in (C-l) admin@example.com, password %PASS%",
		"Demo data: categories 1 Demo, 2 MediaSpace (privacy context MediaSpace), 3 Members "
		"only, 4 Demo>Sub; users alice and admin@example.com.",
		"",
		"The classic entitlement puzzle in three steps:",
		" 1. Choose the service session, action start (Tab moves between panes; typing in a "
		"list filters it; Enter chooses). partnerId and secret are filled in for the sandbox. "
		"On the type row press Right until it says ADMIN, then press F5. The KS comes back "
		"into the session field (the form's first row, \"request: ks ...\"), and the top bar "
		"says what it is.",
		" 2. Choose category, action get; type 2 into id and press F5: CATEGORY_NOT_FOUND. The "
		"partner enforces entitlements and category 2 lives in the MediaSpace privacy context, "
		"so even an ADMIN session cannot see it.",
		" 3. Press C-x, the one-key fix: the same KS plus disableentitlement, then the same "
		"request again. The MediaSpace category is found, and a view shows both outcomes and "
		"why it was hidden (Esc shows the result). By hand: privileges=disableentitlement in "
		"session start (Enter on privileges opens the privilege builder), then F5 again.",
		"",
		"F9 inspects the KS (what each privilege means, Kaltura's warnings), C-n renews it.",
		"",
		"F1 lists every key, F2 switches region, F10 quits. Enter closes this; F4 reopens; the "
		"arrows scroll it when it does not fit.",
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
				  : strstr(t, "%PASS%") ? sandbox_admin_password()
							 : sandbox_user_secret();
		const char *end = strchr(var + 1, '%') + 1;
		size_t len = (size_t)(var - t) + strlen(val ? val : "") + strlen(end) + 1;
		out[i] = kt_xmalloc(len);
		snprintf(out[i], len, "%.*s%s%s", (int)(var - t), t, val ? val : "", end);
	}
	*n = count;
	return out;
}


static char *joined_lines(char **lines, size_t n, bool secret)
{
	kt_buf b;
	kt_buf_init(&b);
	for (size_t i = 0; i < n; i++) {
		kt_buf_adds(&b, lines[i]);
		if (i + 1 < n)
			kt_buf_addc(&b, '\n');
		if (secret)
			kt_free_secret(lines[i]);
		else
			free(lines[i]);
	}
	free(lines);
	return kt_buf_steal(&b);
}

void overlay_help(console *c)
{
	size_t n;
	help_line *hl = help_lines(&n);
	char **lines = kt_xmalloc((n ? n : 1) * sizeof *lines);
	for (size_t i = 0; i < n; i++)
		lines[i] = kt_xstrdup(hl[i].text);
	free(hl);
	char *text = joined_lines(lines, n, false);
	console_show_text(c, "Help: keys (Esc closes, arrows scroll)", text, NULL, TEXT_KEYS);
	free(text);
}

void overlay_welcome(console *c)
{
	size_t n;
	char **lines = welcome_lines(&n);
	char *text = joined_lines(lines, n, true);
	console_show_text(c, "Welcome", text, NULL, TEXT_PASS_KEYS | TEXT_WELCOME);
	kt_free_secret(text);
}

/* ---- a text view ---- */

static ui_role row_role(const frame *f, const char *line, size_t len, bool first_row)
{
	if (!first_row)
		return UI_NORMAL;
	if ((f->flags & TEXT_KEYS) && len && line[0] != ' ')
		return UI_KEY; /* a scope's heading */
	if ((f->flags & TEXT_WELCOME) &&
	    (line == f->text || (len > 3 && line[0] == ' ' && line[2] == '.')))
		return UI_KEY;
	return UI_NORMAL;
}

static void draw_text(console *c, frame *f)
{
	int want_w = 96;
	wrap_row *rows;
	size_t n = wrap_text(f->text, (c->cols - 6 < want_w ? c->cols - 6 : want_w), &rows);
	kt_rect in = draw_box(c, (int)n + (n > (size_t)(c->rows - 4) ? 1 : 0), want_w, f->title);
	f->drawn = in;
	bool scrolls = n > (size_t)in.h;
	int body = scrolls ? in.h - 1 : in.h;
	if (body < 1)
		body = 1;
	f->page = body;
	size_t maxtop = n > (size_t)body ? n - (size_t)body : 0;
	if (f->top > maxtop)
		f->top = maxtop;
	for (int i = 0; i < body && f->top + (size_t)i < n; i++) {
		const wrap_row *r = &rows[f->top + (size_t)i];
		const char *line = f->text + r->off;
		bool first = r->off == 0 || f->text[r->off - 1] == '\n';
		ui_text(in.y + i, in.x + r->indent, in.w - r->indent, line, r->len,
			ui_attr(row_role(f, line, r->len, first)));
	}
	if (scrolls) {
		char more[96];
		snprintf(more, sizeof more, "rows %zu-%zu of %zu: the arrows and PgUp/PgDn scroll",
			 f->top + 1, f->top + (size_t)body < n ? f->top + (size_t)body : n, n);
		ui_text(in.y + in.h - 1, in.x, in.w, more, (size_t)-1, ui_attr(UI_DIM));
	}
	free(rows);
}

static void text_saved(console *c, const char *path, void *ud)
{
	(void)ud;
	frame *f = top(c);
	if (!path || !f || f->kind != OV_TEXT)
		return;
	kt_error err = { 0 };
	if (files_write_atomic(path, f->text, strlen(f->text), &err) < 0)
		console_status(c, MSG_ERROR, "Not saved: %s", err.msg);
	else
		console_status(c, MSG_OK, "Saved %zu bytes to %s", strlen(f->text), path);
}

static int text_key(console *c, frame *f, const ui_key *key)
{
	kt_action a = keymap_lookup(SCOPE_RESULT, key->name);
	size_t page = f->page > 1 ? (size_t)f->page - 1 : 1;
	switch (a) {
	case ACT_UP: f->top = f->top ? f->top - 1 : 0; return H_HANDLED;
	case ACT_DOWN: f->top++; return H_HANDLED; /* drawing clamps it */
	case ACT_PAGE_UP: f->top = f->top > page ? f->top - page : 0; return H_HANDLED;
	case ACT_PAGE_DOWN: f->top += page; return H_HANDLED;
	case ACT_TOP: f->top = 0; return H_HANDLED;
	case ACT_BOTTOM: f->top = (size_t)-1 / 2; return H_HANDLED;
	case ACT_QUIT: return H_QUIT;
	case ACT_COPY:
		if (f->flags & TEXT_COPY) {
			char *seq;
			size_t n;
			kt_error err = { 0 };
			if (clip_osc52(f->text, strlen(f->text), clip_in_tmux(), &seq, &n, &err) < 0) {
				console_status(c, MSG_ERROR, "Not copied: %s", err.msg);
			} else {
				console_emit(c, seq, n);
				console_status(c, MSG_OK, "Copied %zu bytes to the clipboard (OSC 52)",
					       strlen(f->text));
				free(seq);
			}
			return H_HANDLED;
		}
		break;
	case ACT_SAVE:
		if (f->save_as) {
			console_prompt(c, "Save to: ", f->save_as, text_saved, NULL);
			return H_HANDLED;
		}
		break;
	default: break;
	}
	/* any other key closes the view; an F-key (and, from the welcome panel, any key) still
	 * does what it does */
	bool pass = (f->flags & TEXT_PASS_KEYS) || (key->fn && key->name[0] == 'F');
	bool ctrl = (f->flags & TEXT_PASS_CTRL) && !strncmp(key->name, "C-", 2) &&
		    keymap_lookup(SCOPE_GLOBAL, key->name) != ACT_NONE;
	pop(c);
	return ctrl ? H_PASS : pass ? 0 : H_HANDLED;
}

/* ---- a chooser ---- */

static void draw_chooser(console *c, frame *f)
{
	const char *hint = f->hint ? f->hint : "type to filter, Enter chooses, Esc cancels";
	int w = (int)le_width(f->title, strlen(f->title)) + 4;
	if (w < (int)strlen(hint) + 1)
		w = (int)strlen(hint) + 1;
	for (size_t i = 0; i < f->nitems; i++) {
		int iw = le_width(f->items[i], strlen(f->items[i]));
		if (iw > w)
			w = iw;
	}
	int want = (int)f->nitems + 1;
	kt_rect in = draw_box(c, want < 4 ? 4 : want, w + 2, f->title);
	f->drawn = in;
	char fl[300];
	snprintf(fl, sizeof fl, "filter: %s", f->filter.buf);
	ui_text(in.y, in.x, in.w, f->filter.len ? fl : hint, (size_t)-1, ui_attr(UI_DIM));
	int rows = in.h - 1;
	picklist *pk = &f->pk;
	if (rows > 0)
		pick_scroll(pk, (size_t)rows);
	f->page = rows;
	for (int i = 0; i < rows && pk->top + (size_t)i < pk->nshown; i++) {
		size_t idx = pk->top + (size_t)i;
		attr_t a = idx == pk->cur ? ui_attr(UI_CURSOR) : A_NORMAL;
		ui_fill(in.y + 1 + i, in.x, in.w, a);
		if (idx == pk->cur)
			ui_text(in.y + 1 + i, in.x, 1, ">", 1, a);
		ui_text(in.y + 1 + i, in.x + 1, in.w - 1, f->items[pk->shown[idx]], (size_t)-1, a);
	}
}

/* An action of the chooser's scope: the callback acts on the item, then the list keeps it,
 * drops it or closes (or the key is the chooser's own). */
static bool choose_act(console *c, frame *f, const ui_key *key)
{
	if (!f->act_cb)
		return false;
	kt_action a = keymap_lookup(f->act_scope, key->name);
	if (a == ACT_NONE)
		return false;
	struct overlays *o = c->overlays;
	size_t at = (size_t)(f - o->stack), item = pick_item(&f->pk), row = f->pk.cur;
	choose_after after = f->act_cb(c, item == PICK_NONE ? -1 : (int)item, a, f->choose_ud);
	if (after == CHOOSE_IGNORE)
		return false;
	if (at >= o->n) /* the callback closed it */
		return true;
	f = &o->stack[at];
	if (after == CHOOSE_DROP && item != PICK_NONE && item < f->nitems) {
		free(f->items[item]);
		memmove(f->items + item, f->items + item + 1,
			(f->nitems - item - 1) * sizeof *f->items);
		f->nitems--;
		choose_refilter(f);
		/* the cursor stays on the row the item left */
		pick_set(&f->pk, row < f->pk.nshown ? row : f->pk.nshown ? f->pk.nshown - 1 : 0);
	} else if (after == CHOOSE_CLOSE) {
		/* the callback may have opened another overlay above: only this one goes */
		frame keep = o->stack[at];
		memmove(o->stack + at, o->stack + at + 1, (o->n - at - 1) * sizeof *o->stack);
		o->stack[o->n - 1] = keep;
		pop(c);
	}
	return true;
}

static int choose_key(console *c, frame *f, const ui_key *key)
{
	kt_action a = keymap_lookup(SCOPE_GLOBAL, key->name);
	if (a == ACT_QUIT)
		return H_QUIT;
	if (choose_act(c, f, key))
		return H_HANDLED;
	if (pick_move(&f->pk, a, f->page > 1 ? (size_t)f->page - 1 : 1))
		return H_HANDLED;
	if (a == ACT_SELECT || a == ACT_CANCEL) {
		size_t item = pick_item(&f->pk);
		int idx = a == ACT_SELECT && item != PICK_NONE ? (int)item : -1;
		console_choose_cb cb = f->choose_cb;
		void *ud = f->choose_ud;
		pop(c); /* before the callback, which may open another overlay */
		cb(c, idx, ud);
	} else if (ui_key_is_text(key)) {
		le_insert(&f->filter, (wchar_t)key->ch);
		choose_refilter(f);
	} else if (le_key(&f->filter, key->name)) {
		choose_refilter(f);
	}
	return H_HANDLED;
}

/* ---- the core's interface ---- */

int overlay_key(console *c, const ui_key *key)
{
	frame *f = top(c);
	if (!f)
		return 0;
	return f->kind == OV_TEXT ? text_key(c, f, key) : choose_key(c, f, key);
}

void overlay_prompt_key(console *c, const ui_key *key)
{
	struct overlays *o = c->overlays;
	kt_action a = keymap_lookup(SCOPE_FORM, key->name);
	if (a == ACT_SELECT || a == ACT_CANCEL) {
		char *text = a == ACT_SELECT ? kt_xstrdup(o->prompt.buf) : NULL;
		console_prompt_cb cb = o->prompt_cb;
		void *ud = o->prompt_ud;
		bool secret = o->prompt_secret;
		o->prompting = false;
		o->prompt_secret = false;
		le_free(&o->prompt);
		cb(c, text, ud); /* which may open another prompt */
		if (secret && text)
			kt_free_secret(text);
		else
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
	frame *f = top(c);
	char why[160];
	lineedit *e = o->prompting			  ? &o->prompt
		      : f && f->kind == OV_CHOOSE ? &f->filter
						  : NULL;
	if (!e)
		return false;
	if (o->prompting && o->prompt_fresh)
		le_set(e, NULL);
	o->prompt_fresh = false;
	if (!le_paste(e, text, len, why, sizeof why))
		console_status(c, MSG_WARN, "%s", why);
	if (!o->prompting)
		choose_refilter(f);
	return true;
}

bool overlay_draw_prompt(console *c, kt_rect r)
{
	struct overlays *o = c->overlays;
	if (!o->prompting)
		return false;
	int x = ui_text(r.y, r.x, r.w, o->prompt_label, (size_t)-1, ui_attr(UI_KEY));
	if (o->prompt_secret) { /* a star per character, the last ones when they do not fit */
		size_t chars = 0, before = 0;
		for (size_t i = 0; i < o->prompt.len; i++)
			if (((unsigned char)o->prompt.buf[i] & 0xc0) != 0x80) {
				chars++;
				before += i < o->prompt.cur;
			}
		int room = r.w - x - 1;
		size_t from = room > 0 && chars > (size_t)room ? chars - (size_t)room : 0;
		for (size_t i = from; i < chars && room > 0; i++)
			ui_text(r.y, r.x + x + (int)(i - from), 1, "*", 1, A_NORMAL);
		console_cursor(c, r.y, r.x + x + (int)(before > from ? before - from : 0));
		return true;
	}
	int col;
	le_view(&o->prompt, r.w - x, &o->prompt_start, &col);
	ui_text(r.y, r.x + x, r.w - x, o->prompt.buf + o->prompt_start, (size_t)-1,
		o->prompt_fresh ? A_REVERSE : A_NORMAL);
	console_cursor(c, r.y, r.x + x + col);
	return true;
}

void overlay_draw(console *c)
{
	/* bottom to top: a chooser opened from the help shows over it */
	struct overlays *o = c->overlays;
	for (size_t i = 0; i < o->n; i++) {
		frame *f = &o->stack[i];
		if (f->kind == OV_TEXT)
			draw_text(c, f);
		else
			draw_chooser(c, f);
	}
}

bool overlay_click(console *c, int y, int x)
{
	frame *f = top(c);
	if (!f)
		return false;
	/* the rectangle the last draw used; the chooser's rows start under its filter line */
	if (f->kind == OV_CHOOSE && layout_in(&f->drawn, y, x)) {
		int row = y - f->drawn.y - 1;
		if (row >= 0 && pick_set(&f->pk, f->pk.top + (size_t)row)) {
			ui_key enter = { .ch = '\n', .fn = false, .name = "Enter" };
			overlay_key(c, &enter);
		}
	}
	return true;
}

bool overlay_open(const console *c)
{
	return c->overlays->n > 0;
}

bool overlay_prompting(const console *c)
{
	return c->overlays->prompting;
}

void overlay_free(console *c)
{
	struct overlays *o = c->overlays;
	if (!o)
		return;
	while (o->n)
		pop(c);
	free(o->stack);
	if (o->prompting)
		le_free(&o->prompt);
	free(o->prompt_label);
	free(o);
	c->overlays = NULL;
}
