#include "mrpane.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

struct mrpane {
	const schema *schema;
	multireq m;
	form *fields;       /* the request fields, sent once */
	size_t sel, top;    /* list rows: 0 the fields, i + 1 item i */
	int page;
	mrpane_open_fn open;
	const schema_action **choices; /* the add chooser's actions, by its index */
	size_t nchoices;
};

mrpane *mrpane_new(const schema *s, const form *fields_from, mrpane_open_fn open)
{
	mrpane *p = kt_xcalloc(1, sizeof *p);
	p->schema = s;
	mr_init(&p->m);
	p->fields = form_new(s, NULL);
	if (fields_from)
		form_copy_fields(p->fields, fields_from);
	p->open = open;
	return p;
}

void mrpane_free(mrpane *p)
{
	if (!p)
		return;
	mr_free(&p->m);
	form_free(p->fields);
	free(p->choices);
	free(p);
}

multireq *mrpane_model(mrpane *p)
{
	return &p->m;
}

form *mrpane_fields(mrpane *p)
{
	return p->fields;
}

void mrpane_replace(mrpane *p, multireq *m, form *f)
{
	mr_free(&p->m);
	p->m = *m;
	mr_init(m);
	form_free(p->fields);
	p->fields = f;
	p->sel = p->m.n ? 1 : 0;
	p->top = 0;
}

size_t mrpane_selected(const mrpane *p)
{
	return p->sel ? p->sel - 1 : MRPANE_FIELDS;
}

void mrpane_select(mrpane *p, size_t row)
{
	p->sel = row == MRPANE_FIELDS ? 0 : row < p->m.n ? row + 1 : p->m.n;
}

void mrpane_title(const mrpane *p, char *buf, size_t n)
{
	snprintf(buf, n, "multirequest: %zu item%s", p->m.n, p->m.n == 1 ? "" : "s");
}

/* What an item's row says after its number: "session.start · 3 set · ks {1:result}". */
static void item_text(const mr_item *it, kt_buf *b)
{
	const form *f = it->f;
	kt_buf_printf(b, "%s.%s · %zu set", it->action->service->name, it->action->name,
		      form_enabled_params(f));
	const form_row *ks = form_row_at(f, form_field(f, "ks"));
	if (ks && form_row_sent(ks))
		kt_buf_printf(b, " · ks %s", request_is_backref(ks->value) ? ks->value : "(its own)");
	kt_error e = { 0 };
	if (form_check_required(f, &e, NULL))
		kt_buf_printf(b, " · %s", e.msg);
}

void mrpane_draw(console *c, mrpane *p, kt_rect r, bool focused)
{
	size_t nrows = p->m.n + 1;
	int rows = r.h >= 3 ? r.h - 1 : r.h;
	p->page = rows;
	if (p->sel >= nrows)
		p->sel = nrows - 1;
	if (p->sel < p->top)
		p->top = p->sel;
	if (p->sel >= p->top + (size_t)rows)
		p->top = p->sel - (size_t)rows + 1;
	for (int i = 0; i < rows; i++) {
		size_t row = p->top + (size_t)i;
		int y = r.y + i;
		bool sel = row == p->sel;
		attr_t base = sel ? ui_attr(focused ? UI_CURSOR : UI_CURSOR_DIM) : A_NORMAL;
		if (row == 0) {
			form_pane_draw_fields_row(c, p->fields, "\xe2\x96\xb8 shared:", sel, focused,
						  y, r);
			continue;
		}
		ui_fill(y, r.x, r.w, A_NORMAL);
		if (row >= nrows) {
			if (row == nrows && !p->m.n)
				ui_text(y, r.x + 1, r.w - 1,
					"No request yet: Ins (or a) adds one, its service.action chosen "
					"from a list", (size_t)-1, ui_attr(UI_DIM));
			continue;
		}
		ui_fill(y, r.x, r.w, base);
		if (sel)
			ui_text(y, r.x, 1, ">", 1, base);
		kt_buf b;
		kt_buf_init(&b);
		kt_buf_printf(&b, "%zu. ", row);
		item_text(&p->m.items[row - 1], &b);
		ui_text(y, r.x + 1, r.w - 1, b.data, b.len, base);
		kt_buf_free(&b);
	}
	if (rows == r.h)
		return;
	int y = r.y + r.h - 1;
	ui_fill(y, r.x, r.w, A_NORMAL);
	char add[32], rm[32], up[32], down[32];
	keymap_keys_of(SCOPE_MULTIREQ, ACT_MR_ADD, add, sizeof add);
	keymap_keys_of(SCOPE_MULTIREQ, ACT_MR_REMOVE, rm, sizeof rm);
	keymap_keys_of(SCOPE_MULTIREQ, ACT_MR_MOVE_UP, up, sizeof up);
	keymap_keys_of(SCOPE_MULTIREQ, ACT_MR_MOVE_DOWN, down, sizeof down);
	char hint[256];
	snprintf(hint, sizeof hint, "%s add · %s remove · %s/%s move · Enter opens · F5 sends all · "
		 "Esc leaves", add, rm, up, down);
	ui_text(y, r.x + 1, r.w - 1, hint, (size_t)-1, ui_attr(UI_DIM));
}

static int by_name(const void *a, const void *b)
{
	const schema_action *x = *(const schema_action *const *)a;
	const schema_action *y = *(const schema_action *const *)b;
	int d = strcasecmp(x->service->name, y->service->name);
	return d ? d : strcasecmp(x->name, y->name);
}

static void added(console *c, int index, void *ud)
{
	mrpane *p = ud;
	if (index < 0 || (size_t)index >= p->nchoices)
		return;
	const schema_action *a = p->choices[index];
	size_t i = mr_add(&p->m, p->schema, a);
	form_pane_prefill_form(c, p->m.items[i].f);
	p->sel = i + 1;
	console_status(c, MSG_OK, "Request %zu: %s.%s (Esc goes back to the list; %zu item%s)", i + 1,
		       a->service->name, a->name, p->m.n, p->m.n == 1 ? "" : "s");
	p->open(c, i); /* its form, to fill */
}

/* The chooser of every service.action the schema has, as TestMe's lists of both. */
static void choose_action(console *c, mrpane *p)
{
	const schema *s = p->schema;
	size_t n = 0;
	for (size_t i = 0; i < s->nservices; i++)
		n += s->services[i]->nactions;
	free(p->choices);
	p->choices = kt_xmalloc((n ? n : 1) * sizeof *p->choices);
	p->nchoices = 0;
	for (size_t i = 0; i < s->nservices; i++)
		for (size_t k = 0; k < s->services[i]->nactions; k++)
			p->choices[p->nchoices++] = &s->services[i]->actions[k];
	qsort(p->choices, p->nchoices, sizeof *p->choices, by_name);
	char **names = kt_xmalloc((n ? n : 1) * sizeof *names);
	for (size_t i = 0; i < p->nchoices; i++)
		names[i] = kt_xasprintf("%s.%s", p->choices[i]->service->name, p->choices[i]->name);
	console_choose(c, "Add a request: its service.action (type to filter)",
		       (const char *const *)names, p->nchoices, 0, added, p);
	for (size_t i = 0; i < p->nchoices; i++)
		free(names[i]);
	free(names);
}

int mrpane_action(console *c, mrpane *p, kt_action a)
{
	size_t nrows = p->m.n + 1, page = p->page > 1 ? (size_t)p->page - 1 : 1;
	size_t item = p->sel - 1; /* when p->sel > 0 */
	switch (a) {
	case ACT_UP: p->sel = p->sel ? p->sel - 1 : 0; break;
	case ACT_DOWN: p->sel = p->sel + 1 < nrows ? p->sel + 1 : p->sel; break;
	case ACT_PAGE_UP: p->sel = p->sel > page ? p->sel - page : 0; break;
	case ACT_PAGE_DOWN: p->sel = p->sel + page < nrows ? p->sel + page : nrows - 1; break;
	case ACT_TOP: p->sel = 0; break;
	case ACT_BOTTOM: p->sel = nrows - 1; break;
	case ACT_MR_ADD: choose_action(c, p); break;
	case ACT_MR_REMOVE:
		if (!p->sel) {
			console_status(c, MSG_INFO, "The shared request fields stay: Del removes a request");
			break;
		}
		console_status(c, MSG_OK, "Removed request %zu (%s.%s); %zu left", p->sel,
			       p->m.items[item].action->service->name, p->m.items[item].action->name,
			       p->m.n - 1);
		mr_remove(&p->m, item);
		if (p->sel > p->m.n)
			p->sel = p->m.n;
		break;
	case ACT_MR_MOVE_UP:
	case ACT_MR_MOVE_DOWN: {
		int dir = a == ACT_MR_MOVE_UP ? -1 : 1;
		if (!p->sel || mr_move(&p->m, item, dir) < 0) {
			console_status(c, MSG_INFO, "That request cannot move %s",
				       dir < 0 ? "up" : "down");
			break;
		}
		p->sel = dir < 0 ? p->sel - 1 : p->sel + 1;
		console_status(c, MSG_OK, "Request %zu is now %zu; references renumbered", item + 1,
			       p->sel);
		break;
	}
	default: return 0;
	}
	return H_HANDLED;
}

int mrpane_click(console *c, mrpane *p, int row)
{
	(void)c;
	if (row >= 0 && row < p->page && p->top + (size_t)row <= p->m.n)
		p->sel = p->top + (size_t)row;
	return H_HANDLED;
}

size_t mrpane_refs(const mrpane *p, size_t i, char ***out)
{
	char **all = NULL;
	size_t n = 0;
	for (size_t k = 0; k < i && k < p->m.n; k++) {
		char **v;
		size_t nv = mr_ref_paths(p->m.items[k].action, k + 1, &v);
		all = kt_xrealloc(all, (n + nv + 1) * sizeof *all);
		memcpy(all + n, v, nv * sizeof *v);
		n += nv;
		free(v); /* its strings are all's now */
	}
	*out = all;
	return n;
}
