/* lists: the service list and the action list, each filtered as you type. Moving the cursor
 * in the action list chooses the action, so the form follows at once. */
#include "ui.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lineedit.h"
#include "util.h"

typedef struct list_view {
	size_t *shown; /* indexes of the items that pass the filter */
	size_t nshown, cap;
	size_t cur, top;
	int page;      /* rows last drawn, for PgUp/PgDn */
	lineedit filter;
	size_t filter_start;
	bool filtering;
} list_view;

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

static size_t item_count(const console *c, int which)
{
	if (which == 0)
		return c->lists->nsvcs;
	return c->service ? c->service->nactions : 0;
}

static const char *item_name(const console *c, int which, size_t i)
{
	return which == 0 ? c->lists->svcs[i]->name : c->service->actions[i].name;
}

static void refilter(console *c, int which)
{
	list_view *v = &c->lists->lv[which];
	size_t n = item_count(c, which);
	size_t keep = v->nshown && v->cur < v->nshown ? v->shown[v->cur] : (size_t)-1;
	if (v->cap < n + 1) {
		v->cap = n + 1;
		v->shown = kt_xrealloc(v->shown, v->cap * sizeof *v->shown);
	}
	v->nshown = 0;
	v->cur = 0;
	for (size_t i = 0; i < n; i++) {
		const char *name = item_name(c, which, i);
		if (v->filter.len && !strcasestr(name, v->filter.buf) &&
		    !(which == 0 && strcasestr(c->lists->svcs[i]->id, v->filter.buf)))
			continue;
		if (i == keep)
			v->cur = v->nshown;
		v->shown[v->nshown++] = i;
	}
	if (v->cur < v->top)
		v->top = v->cur;
}

/* The cursor's item becomes the choice: a service shows its actions, an action its form. */
static void choose_current(console *c, int which)
{
	list_view *v = &c->lists->lv[which];
	if (!v->nshown)
		return;
	if (which == 0) {
		const schema_service *s = c->lists->svcs[v->shown[v->cur]];
		if (s == c->service)
			return;
		c->service = s;
		list_view *av = &c->lists->lv[1];
		le_set(&av->filter, NULL);
		av->filtering = false;
		av->nshown = av->cur = av->top = 0;
		refilter(c, 1);
		choose_current(c, 1);
	} else {
		const schema_action *a = &c->service->actions[v->shown[v->cur]];
		if (a != c->action) {
			c->action = a;
			form_pane_set_action(c, a);
		}
	}
}

void lists_select(console *c, const schema_action *a)
{
	struct lists_state *l = c->lists;
	for (int w = 0; w < 2; w++) {
		le_set(&l->lv[w].filter, NULL);
		l->lv[w].filtering = false;
	}
	refilter(c, 0);
	list_view *sv = &l->lv[0];
	for (size_t i = 0; i < sv->nshown; i++)
		if (l->svcs[sv->shown[i]] == a->service)
			sv->cur = i;
	choose_current(c, 0);
	refilter(c, 1);
	list_view *av = &l->lv[1];
	for (size_t i = 0; i < av->nshown; i++)
		if (&c->service->actions[av->shown[i]] == a)
			av->cur = i;
	choose_current(c, 1);
}

void lists_init(console *c)
{
	struct lists_state *l = kt_xmalloc(sizeof *l);
	memset(l, 0, sizeof *l);
	c->lists = l;
	l->nsvcs = c->schema->nservices;
	l->svcs = kt_xmalloc((l->nsvcs ? l->nsvcs : 1) * sizeof *l->svcs);
	for (size_t i = 0; i < l->nsvcs; i++)
		l->svcs[i] = c->schema->services[i];
	qsort(l->svcs, l->nsvcs, sizeof *l->svcs, by_name);
	for (int w = 0; w < 2; w++)
		le_init(&l->lv[w].filter, NULL);
	refilter(c, 0);
	refilter(c, 1);
}

void lists_free(console *c)
{
	struct lists_state *l = c->lists;
	if (!l)
		return;
	for (int w = 0; w < 2; w++) {
		free(l->lv[w].shown);
		le_free(&l->lv[w].filter);
	}
	free(l->svcs);
	free(l);
	c->lists = NULL;
}

/* Word-wraps text into at most max_rows rows of w columns from row y. */
static void draw_wrapped(int y, int x, int w, int max_rows, const char *text, attr_t a)
{
	const char *p = text;
	for (int row = 0; row < max_rows && *p; row++) {
		while (*p == ' ')
			p++;
		size_t len = strlen(p), cut = len;
		if (le_width(p, len) > w) {
			/* the longest prefix that fits, broken at a space when there is one */
			cut = 0;
			size_t space = 0;
			while (cut < len && le_width(p, cut + 1) <= w) {
				cut++;
				if (p[cut] == ' ')
					space = cut;
			}
			if (space && cut < len)
				cut = space;
			if (!cut)
				cut = 1;
		}
		ui_text(y + row, x, w, p, cut, a);
		p += cut;
	}
}

static void draw_list(console *c, int which, kt_rect r, bool focused)
{
	list_view *v = &c->lists->lv[which];
	int rows = r.h;
	const schema_action *a = which == 1 ? c->action : NULL;
	int desc_rows = which == 1 && a && a->description && *a->description && r.h >= 8 ? 3 : 0;
	rows -= desc_rows;
	if (rows < 1)
		rows = 1;
	v->page = rows;
	if (!v->nshown) {
		ui_text(r.y, r.x + 1, r.w - 1,
			which == 1 && !c->service ? "choose a service" : "nothing matches",
			(size_t)-1, ui_attr(UI_DIM));
	}
	if (v->cur < v->top)
		v->top = v->cur;
	if (v->cur >= v->top + (size_t)rows)
		v->top = v->cur - (size_t)rows + 1;
	for (int i = 0; i < rows && v->top + (size_t)i < v->nshown; i++) {
		size_t idx = v->top + (size_t)i, item = v->shown[idx];
		bool sel = idx == v->cur;
		attr_t base = sel ? ui_attr(focused ? UI_CURSOR : UI_CURSOR_DIM) : A_NORMAL;
		bool deprecated, beta = false;
		if (which == 0) {
			deprecated = c->lists->svcs[item]->deprecated;
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
	const list_view *v = &c->lists->lv[which];
	const char *label = which == 0 ? "Services" : "Actions";
	if (v->filtering || v->filter.len)
		snprintf(buf, n, "%s /%s", label, v->filter.buf + v->filter_start);
	else if (which == 1 && c->service)
		snprintf(buf, n, "Actions: %s", c->service->name);
	else
		snprintf(buf, n, "%s (%zu)", label, v->nshown);
}

static int act_list(console *c, int which, kt_action a)
{
	list_view *v = &c->lists->lv[which];
	size_t page = v->page > 1 ? (size_t)v->page - 1 : 1;
	switch (a) {
	case ACT_UP:
		if (v->cur > 0)
			v->cur--;
		break;
	case ACT_DOWN:
		if (v->cur + 1 < v->nshown)
			v->cur++;
		break;
	case ACT_PAGE_UP: v->cur = v->cur > page ? v->cur - page : 0; break;
	case ACT_PAGE_DOWN:
		v->cur = v->cur + page < v->nshown ? v->cur + page : (v->nshown ? v->nshown - 1 : 0);
		break;
	case ACT_TOP: v->cur = 0; break;
	case ACT_BOTTOM: v->cur = v->nshown ? v->nshown - 1 : 0; break;
	case ACT_FILTER:
		v->filtering = true;
		return H_HANDLED;
	case ACT_CANCEL:
		if (!v->filter.len)
			return 0;
		le_set(&v->filter, NULL);
		v->filtering = false;
		refilter(c, which);
		return H_HANDLED;
	case ACT_SELECT:
		v->filtering = false;
		choose_current(c, which);
		console_focus(c, which == 0 ? PANE_ACTIONS : PANE_FORM);
		return H_HANDLED;
	default: return 0;
	}
	choose_current(c, which);
	return H_HANDLED;
}

static int key_list(console *c, int which, const ui_key *k)
{
	list_view *v = &c->lists->lv[which];
	if (!strcmp(k->name, "Esc") && v->filtering) {
		le_set(&v->filter, NULL);
		v->filtering = false;
		refilter(c, which);
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
	if (v->filtering && strcmp(k->name, "Left") && strcmp(k->name, "Right") &&
	    le_key(&v->filter, k->name)) {
		refilter(c, which);
		choose_current(c, which);
		return H_HANDLED;
	}
	return 0;
}

static int click_list(console *c, int which, int row, int col)
{
	(void)col;
	list_view *v = &c->lists->lv[which];
	size_t idx = v->top + (size_t)row;
	if (row < 0 || idx >= v->nshown || row >= v->page)
		return H_HANDLED;
	v->cur = idx;
	choose_current(c, which);
	return H_HANDLED;
}

static bool editing_list(const console *c, int which)
{
	return c->lists->lv[which].filtering;
}

#define LIST_OPS(NAME, W)                                                                     \
	static void NAME##_draw(console *c, kt_rect r, bool f) { draw_list(c, W, r, f); }   \
	static void NAME##_title(const console *c, char *b, size_t n) { title_list(c, W, b, n); } \
	static int NAME##_action(console *c, kt_action a) { return act_list(c, W, a); }      \
	static int NAME##_key(console *c, const ui_key *k) { return key_list(c, W, k); }     \
	static int NAME##_click(console *c, int row, int col)                                \
	{                                                                                     \
		return click_list(c, W, row, col);                                           \
	}                                                                                     \
	static bool NAME##_editing(const console *c) { return editing_list(c, W); }          \
	const pane_ops NAME##_pane_ops = { SCOPE_LIST,	 NAME##_draw, NAME##_title,           \
					   NAME##_action, NAME##_key,  NAME##_click,          \
					   NAME##_editing };

LIST_OPS(services, 0)
LIST_OPS(actions, 1)
