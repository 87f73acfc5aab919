/* lists: the service list and the action list, each filtered as you type. Moving the cursor
 * in the action list chooses the action, so the form follows at once. */
#include "ui.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lineedit.h"
#include "picklist.h"
#include "util.h"
#include "wrap.h"

typedef struct list_view {
	picklist pk;   /* what passes the filter, the cursor */
	int page;      /* rows last drawn, for PgUp/PgDn */
	lineedit filter;
	size_t filter_start;
	bool filtering;
} list_view;

/* The views' private data: the service and action lists share one state. */
#define LS(c) ((struct lists_state *)(c)->view[PANE_SERVICES])

struct lists_state {
	const schema_service **svcs; /* by name, ignoring case */
	size_t nsvcs;
	list_view lv[2];             /* services, actions */
};

static int by_name(const void *a, const void *b)
{
	const schema_service *x = *(const schema_service *const *)a;
	const schema_service *y = *(const schema_service *const *)b;
	return strcasecmp(x->name, y->name);
}

/* The service list's first item is "multirequest" (TestMe's first service option), then the
 * services: item i > 0 is svcs[i - 1]. */
#define MULTI_ITEM 0

static size_t item_count(const console *c, int which)
{
	if (which == 0)
		return LS(c)->nsvcs + 1;
	return c->service ? c->service->nactions : 0;
}

static const char *item_name(const console *c, int which, size_t i)
{
	if (which == 0)
		return i == MULTI_ITEM ? "multirequest" : LS(c)->svcs[i - 1]->name;
	return c->service->actions[i].name;
}

typedef struct match_ctx {
	const console *c;
	int which;
	const char *word;
} match_ctx;

/* By name only: a plugin's wire id ("caption_captionasset") is not what people type. */
static int score(size_t i, void *ud)
{
	const match_ctx *m = ud;
	return pick_score(item_name(m->c, m->which, i), m->word);
}

/* The item chosen now (the service or action the form shows); PICK_NONE when none. */
static size_t chosen_item(const console *c, int which)
{
	const struct lists_state *l = LS(c);
	if (which == 0) {
		if (c->multireq)
			return MULTI_ITEM;
		for (size_t i = 0; i < l->nsvcs; i++)
			if (l->svcs[i] == c->service)
				return i + 1;
		return PICK_NONE;
	}
	if (!c->service || !c->action || c->action < c->service->actions ||
	    c->action >= c->service->actions + c->service->nactions)
		return PICK_NONE;
	return (size_t)(c->action - c->service->actions);
}

static void refilter(console *c, int which)
{
	list_view *v = &LS(c)->lv[which];
	match_ctx m = { c, which, v->filter.buf };
	if (v->filter.len) {
		pick_rank(&v->pk, item_count(c, which), score, &m);
	} else {
		pick_filter(&v->pk, item_count(c, which), NULL, &m);
		/* the whole list again: the cursor on what the form shows */
		size_t item = chosen_item(c, which);
		if (item != PICK_NONE)
			pick_select(&v->pk, item);
	}
}

static void clear_filter(console *c, int which)
{
	list_view *v = &LS(c)->lv[which];
	le_set(&v->filter, NULL);
	v->filtering = false;
	refilter(c, which);
}

/* The cursor's item becomes the choice: a service shows its actions, an action its form. */
static void choose_current(console *c, int which)
{
	size_t item = pick_item(&LS(c)->lv[which].pk);
	if (item == PICK_NONE)
		return;
	if (which == 0 && item == MULTI_ITEM) {
		if (c->multireq)
			return;
		/* the builder is the form: the action list has nothing to show */
		c->multireq = true;
		c->service = NULL;
		c->action = NULL;
		clear_filter(c, 1);
		console_notify(c, EV_ACTION_CHOSEN);
		return;
	}
	if (which == 0) {
		const schema_service *s = LS(c)->svcs[item - 1];
		if (s == c->service && !c->multireq)
			return;
		c->multireq = false;
		c->service = s;
		list_view *av = &LS(c)->lv[1];
		av->pk.nshown = av->pk.cur = av->pk.top = 0; /* another service's actions */
		clear_filter(c, 1);
		choose_current(c, 1);
	} else {
		const schema_action *a = &c->service->actions[item];
		if (a != c->action || c->multireq) {
			c->multireq = false;
			c->action = a;
			console_notify(c, EV_ACTION_CHOSEN);
		}
	}
}

/* Another part chose c->action (a history restore, another schema): the lists show it, their
 * filters cleared. Nothing to do when the lists made the choice themselves. */
static void follow_choice(console *c)
{
	struct lists_state *l = LS(c);
	if (!c->action) {
		if (c->multireq && pick_item(&l->lv[0].pk) == MULTI_ITEM)
			return; /* the list chose it (its filter stays, as it is typed) */
		c->service = NULL;
		clear_filter(c, 0);
		clear_filter(c, 1);
		return;
	}
	c->multireq = false; /* an action chosen elsewhere (a history restore, an import) */
	size_t si = pick_item(&l->lv[0].pk), ai = pick_item(&l->lv[1].pk);
	if (si != PICK_NONE && si != MULTI_ITEM && l->svcs[si - 1] == c->action->service && c->service &&
	    ai != PICK_NONE && &c->service->actions[ai] == c->action)
		return;
	const schema_action *a = c->action;
	c->service = a->service;
	clear_filter(c, 0);
	clear_filter(c, 1);
	picklist *av = &l->lv[1].pk;
	for (size_t i = 0; i < av->nshown; i++)
		if (&c->service->actions[av->shown[i]] == a)
			av->cur = i;
}

static void fill(console *c, struct lists_state *l)
{
	l->nsvcs = c->schema->nservices;
	l->svcs = kt_xmalloc((l->nsvcs ? l->nsvcs : 1) * sizeof *l->svcs);
	for (size_t i = 0; i < l->nsvcs; i++)
		l->svcs[i] = c->schema->services[i];
	qsort(l->svcs, l->nsvcs, sizeof *l->svcs, by_name);
	refilter(c, 0);
	refilter(c, 1);
}

static void *lists_open(console *c)
{
	struct lists_state *l = kt_xcalloc(1, sizeof *l);
	c->view[PANE_SERVICES] = l; /* the filters below read it */
	for (int w = 0; w < 2; w++)
		le_init(&l->lv[w].filter, NULL);
	fill(c, l);
	return l;
}

static void lists_close(console *c, void *data)
{
	(void)c;
	struct lists_state *l = data;
	if (!l)
		return;
	for (int w = 0; w < 2; w++) {
		pick_free(&l->lv[w].pk);
		le_free(&l->lv[w].filter);
	}
	free(l->svcs);
	free(l);
}

static void lists_notify(console *c, ui_event ev)
{
	struct lists_state *l = LS(c);
	if (ev == EV_SCHEMA_CHANGED) {
		free(l->svcs);
		for (int w = 0; w < 2; w++) {
			le_set(&l->lv[w].filter, NULL);
			l->lv[w].filtering = false;
			l->lv[w].pk.cur = l->lv[w].pk.top = 0;
		}
		fill(c, l);
	} else if (ev == EV_ACTION_CHOSEN) {
		follow_choice(c);
	}
}

/* The actions view shares the services view's state, which that one opens and closes. */
static void *actions_open(console *c)
{
	return c->view[PANE_SERVICES];
}

/* Word-wraps text into at most max_rows rows of w columns from row y. */
static void draw_wrapped(int y, int x, int w, int max_rows, const char *text, attr_t a)
{
	wrap_row *rows;
	size_t n = wrap_text(text, w, &rows);
	for (int row = 0; row < max_rows && (size_t)row < n; row++)
		ui_text(y + row, x + rows[row].indent, w - rows[row].indent, text + rows[row].off,
			rows[row].len, a);
	free(rows);
}

static void draw_list(console *c, int which, kt_rect r, bool focused)
{
	list_view *v = &LS(c)->lv[which];
	int rows = r.h;
	const schema_action *a = which == 1 ? c->action : NULL;
	int desc_rows = which == 1 && a && a->description && *a->description && r.h >= 8 ? 3 : 0;
	rows -= desc_rows;
	if (rows < 1)
		rows = 1;
	v->page = rows;
	picklist *pk = &v->pk;
	if (!pk->nshown) {
		ui_text(r.y, r.x + 1, r.w - 1,
			which == 1 && c->multireq ? "multirequest: its requests are in the form pane"
			: which == 1 && !c->service ? "choose a service" : "nothing matches",
			(size_t)-1, ui_attr(UI_DIM));
	}
	pick_scroll(pk, (size_t)rows);
	for (int i = 0; i < rows && pk->top + (size_t)i < pk->nshown; i++) {
		size_t idx = pk->top + (size_t)i, item = pk->shown[idx];
		bool sel = idx == pk->cur;
		attr_t base = sel ? ui_attr(focused ? UI_CURSOR : UI_CURSOR_DIM) : A_NORMAL;
		bool deprecated, beta = false;
		if (which == 0) {
			deprecated = item != MULTI_ITEM && LS(c)->svcs[item - 1]->deprecated;
		} else {
			deprecated = c->service->actions[item].deprecated;
			beta = c->service->actions[item].beta;
		}
		ui_fill(r.y + i, r.x, r.w, base);
		if (sel)
			ui_text(r.y + i, r.x, 1, ">", 1, base);
		int x = 1 + ui_text(r.y + i, r.x + 1, r.w - 1, item_name(c, which, item), (size_t)-1,
				    base);
		if (deprecated)
			x += ui_text(r.y + i, r.x + x, r.w - x, " (deprecated)", (size_t)-1,
				     base | ui_attr(UI_WARN));
		if (beta)
			ui_text(r.y + i, r.x + x, r.w - x, " (beta)", (size_t)-1,
				base | ui_attr(UI_DIM));
	}
	if (desc_rows)
		draw_wrapped(r.y + r.h - desc_rows, r.x + 1, r.w - 1, desc_rows, a->description,
			     ui_attr(UI_DIM));
	if (focused && v->filtering) {
		/* the filter is typed in the title row */
		int col;
		le_view(&v->filter, r.w - 12, &v->filter_start, &col);
		console_cursor(c, r.y - 1, r.x + 1 + (which == 0 ? 10 : 9) + col);
	}
}

static void title_list(const console *c, int which, char *buf, size_t n)
{
	const list_view *v = &LS(c)->lv[which];
	const char *label = which == 0 ? "Services" : "Actions";
	if (v->filtering || v->filter.len)
		snprintf(buf, n, "%s /%s", label, v->filter.buf + v->filter_start);
	else if (which == 1 && c->service)
		snprintf(buf, n, "Actions: %s", c->service->name);
	else if (which == 0) /* the services, not the multirequest row above them */
		snprintf(buf, n, "%s (%zu)", label, LS(c)->nsvcs);
	else
		snprintf(buf, n, "%s (%zu)", label, v->pk.nshown);
}

static int act_list(console *c, int which, kt_action a)
{
	list_view *v = &LS(c)->lv[which];
	if (pick_move(&v->pk, a, v->page > 1 ? (size_t)v->page - 1 : 1)) {
		choose_current(c, which);
		return H_HANDLED;
	}
	switch (a) {
	case ACT_FILTER:
		v->filtering = true;
		return H_HANDLED;
	case ACT_CANCEL:
		if (!v->filter.len)
			return 0;
		clear_filter(c, which);
		return H_HANDLED;
	case ACT_SELECT:
		v->filtering = false;
		choose_current(c, which);
		console_focus(c, which == 0 && !c->multireq ? PANE_ACTIONS : PANE_FORM);
		return H_HANDLED;
	default: return 0;
	}
}

static int key_list(console *c, int which, const ui_key *k)
{
	list_view *v = &LS(c)->lv[which];
	if (keymap_lookup(SCOPE_LIST, k->name) == ACT_CANCEL && v->filtering) {
		clear_filter(c, which);
		return H_HANDLED;
	}
	if (ui_key_is_text(k)) {
		/* typing in a list filters it; a new word replaces the filter left from before */
		if (!v->filtering)
			le_set(&v->filter, NULL);
		v->filtering = true;
		le_insert(&v->filter, (wchar_t)k->ch);
		refilter(c, which);
		choose_current(c, which);
		return H_HANDLED;
	}
	kt_action t = keymap_lookup(SCOPE_TEXT, k->name);
	/* the filter is edited at its end: no cursor to move */
	if (v->filtering && t != ACT_CHAR_LEFT && t != ACT_CHAR_RIGHT && le_key(&v->filter, k->name)) {
		refilter(c, which);
		choose_current(c, which);
		return H_HANDLED;
	}
	return 0;
}

static int paste_list(console *c, int which, const char *text, size_t len)
{
	list_view *v = &LS(c)->lv[which];
	if (!v->filtering)
		le_set(&v->filter, NULL);
	v->filtering = true;
	char why[160];
	if (!le_paste(&v->filter, text, len, why, sizeof why))
		console_status(c, MSG_WARN, "%s", why);
	refilter(c, which);
	choose_current(c, which);
	return H_HANDLED;
}

static int click_list(console *c, int which, int row, int col)
{
	(void)col;
	list_view *v = &LS(c)->lv[which];
	if (row >= 0 && row < v->page && pick_set(&v->pk, v->pk.top + (size_t)row))
		choose_current(c, which);
	return H_HANDLED;
}

static bool editing_list(const console *c, int which)
{
	return LS(c)->lv[which].filtering;
}

#define LIST_OPS(NAME, W, OPEN, CLOSE, NOTIFY)                                        \
	static void NAME##_draw(console *c, kt_rect r, bool f) { draw_list(c, W, r, f); }   \
	static void NAME##_title(const console *c, char *b, size_t n) { title_list(c, W, b, n); } \
	static int NAME##_action(console *c, kt_action a) { return act_list(c, W, a); }      \
	static int NAME##_key(console *c, const ui_key *k) { return key_list(c, W, k); }     \
	static int NAME##_click(console *c, int row, int col)                                \
	{                                                                                     \
		return click_list(c, W, row, col);                                           \
	}                                                                                     \
	static bool NAME##_editing(const console *c) { return editing_list(c, W); }          \
	static int NAME##_paste(console *c, const char *t, size_t n)                          \
	{                                                                                     \
		return paste_list(c, W, t, n);                                               \
	}                                                                                     \
	const view_ops NAME##_view = {                                                        \
		.scope = SCOPE_LIST, .open = OPEN, .close = CLOSE, .notify = NOTIFY,          \
		.draw = NAME##_draw, .title = NAME##_title, .action = NAME##_action,          \
		.key = NAME##_key, .click = NAME##_click, .editing = NAME##_editing,          \
		.paste = NAME##_paste,                                                        \
	};

LIST_OPS(services, 0, lists_open, lists_close, lists_notify)
LIST_OPS(actions, 1, actions_open, NULL, NULL)
