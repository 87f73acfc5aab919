/* form_pane: the parameter form (src/form.h) on screen. One form per action is kept for the
 * whole run, so going back to an action finds what was typed; the request fields (KS, format
 * ...) travel from form to form. Letters typed on a row are always text. */
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "files.h"
#include "form.h"
#include "lineedit.h"
#include "mrpane.h"
#include "util.h"
#include "workflows.h"

typedef struct form_slot {
	const schema_action *action; /* NULL: the form of no action (request fields only) */
	form *f;
	size_t sel, top;
} form_slot;

/* The forms as they were on an endpoint left (secrets included, memory only), to give its
 * secrets back when it is the endpoint again. */
typedef struct stash {
	const session *owner;
	form **forms;
	size_t n;
} stash;

/* The view's private data. */
#define FP(c) ((struct form_pane *)(c)->view[PANE_FORM])

struct form_pane {
	const schema *schema;
	form_slot *slots;
	size_t nslots, cap;
	size_t cur;           /* the slot shown */
	stash *stashes;
	size_t nstashes;
	int page;             /* rows drawn last time, for PgUp/PgDn */
	int width;            /* columns drawn last time, for clicks */
	bool editing;
	size_t edit_row;
	lineedit le;
	size_t le_start;
	size_t choose_row;
	bool fields_open;     /* the request fields shown row by row, not as one summary */
	/* the multirequest builder (mrpane.c), once opened; kept when left */
	mrpane *mr;
	bool mr_on;           /* it is the form shown (c->multireq) */
	size_t mr_at;         /* MR_LIST (its list), MRPANE_FIELDS or the item open */
	form_slot mslot;      /* the form open in it (borrowed: the fields or an item's) */
};

#define MR_LIST ((size_t)-4)

/* The first visible row sums up the request fields (format, clientTag, ks ...): shown one by
 * one they would fill a small form before its first parameter. sel holds it as SUMMARY. */
#define SUMMARY ((size_t)-2)

#define MASK "\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2"

static form_slot *slot(const console *c)
{
	struct form_pane *fp = FP(c);
	return fp->mr_on ? &fp->mslot : &fp->slots[fp->cur];
}

/* A request of the multirequest is open: its ks row stands for the request fields. */
static bool in_item(const console *c)
{
	const struct form_pane *fp = FP(c);
	return fp->mr_on && fp->mr_at != MR_LIST && fp->mr_at != MRPANE_FIELDS;
}

static bool in_list(const console *c)
{
	return FP(c)->mr_on && FP(c)->mr_at == MR_LIST;
}

/* The request fields that are sent: the builder's, once, when it is the form. */
static form *fields_form(const console *c)
{
	return FP(c)->mr_on ? mrpane_fields(FP(c)->mr) : slot(c)->f;
}

static form *cur_form(const console *c)
{
	return slot(c)->f;
}

/* Visible rows: the summary, the request fields when open, then the parameters. */
/* In a multirequest's request, the first row is its own ks (N:ks) instead of the summary. */
static size_t vis_count(const console *c)
{
	const form *f = cur_form(c);
	bool open = FP(c)->fields_open && !in_item(c);
	return 1 + form_count(f) - (open ? 0 : form_nfields(f));
}

static size_t vis_to_row(const console *c, size_t v)
{
	if (v == 0)
		return in_item(c) ? form_field(cur_form(c), "ks") : SUMMARY;
	return FP(c)->fields_open && !in_item(c) ? v - 1 : form_nfields(cur_form(c)) + v - 1;
}

static size_t row_to_vis(const console *c, size_t row)
{
	size_t nf = form_nfields(cur_form(c));
	bool open = FP(c)->fields_open && !in_item(c);
	if (row == SUMMARY || (!open && row < nf))
		return 0;
	return open ? row + 1 : row - nf + 1;
}

/* ---- the cache of forms -------------------------------------------------------------------- */

static void wipe_edit(struct form_pane *fp)
{
	/* the buffer may have held a secret */
	if (fp->le.buf)
		memset(fp->le.buf, 0, fp->le.cap);
	le_set(&fp->le, NULL);
	fp->le_start = 0;
}

static size_t add_slot(struct form_pane *fp, const schema_action *a, form *f)
{
	if (fp->nslots == fp->cap) {
		fp->cap = fp->cap ? fp->cap * 2 : 16;
		fp->slots = kt_xrealloc(fp->slots, fp->cap * sizeof *fp->slots);
	}
	size_t first = form_nfields(f) < form_count(f) ? form_nfields(f) : SUMMARY;
	fp->slots[fp->nslots] = (form_slot){a, f, first, 0};
	return fp->nslots++;
}

static void free_slots(struct form_pane *fp)
{
	for (size_t i = 0; i < fp->nslots; i++)
		form_free(fp->slots[i].f);
	fp->nslots = 0;
}

static void drop_stash(stash *st)
{
	for (size_t i = 0; i < st->n; i++)
		form_free(st->forms[i]);
	free(st->forms);
	st->forms = NULL;
	st->n = 0;
}

static void drop_stashes(struct form_pane *fp)
{
	for (size_t i = 0; i < fp->nstashes; i++)
		drop_stash(&fp->stashes[i]);
	free(fp->stashes);
	fp->stashes = NULL;
	fp->nstashes = 0;
}

/* The same action by name: a stash may come from another endpoint's schema. */
static bool same_action(const schema_action *a, const schema_action *b)
{
	if (a == b)
		return true;
	return a && b && !strcmp(a->name, b->name) && !strcmp(a->service->name, b->service->name);
}

static const form *stashed(const stash *st, const schema_action *a)
{
	for (size_t j = 0; st && j < st->n; j++)
		if (same_action(form_action(st->forms[j]), a))
			return st->forms[j];
	return NULL;
}

static stash *stash_of(struct form_pane *fp, const session *s, bool make)
{
	for (size_t i = 0; i < fp->nstashes; i++)
		if (fp->stashes[i].owner == s)
			return &fp->stashes[i];
	if (!make)
		return NULL;
	fp->stashes = kt_xrealloc(fp->stashes, (fp->nstashes + 1) * sizeof *fp->stashes);
	fp->stashes[fp->nstashes] = (stash){ s, NULL, 0 };
	return &fp->stashes[fp->nstashes++];
}

static void *form_open(console *c)
{
	struct form_pane *fp = kt_xcalloc(1, sizeof *fp);
	fp->schema = c->schema;
	le_init(&fp->le, NULL);
	fp->cur = add_slot(fp, NULL, form_new(c->schema, NULL));
	return fp;
}

static void form_close(console *c, void *data)
{
	(void)c;
	struct form_pane *fp = data;
	if (!fp)
		return;
	free_slots(fp);
	free(fp->slots);
	mrpane_free(fp->mr);
	drop_stashes(fp);
	wipe_edit(fp);
	le_free(&fp->le);
	free(fp);
}

/* Another schema (another endpoint's) makes every kept form stale; the session stays. */
static void check_schema(console *c)
{
	struct form_pane *fp = FP(c);
	if (fp->schema == c->schema)
		return;
	form *bare = form_new(c->schema, NULL);
	form_copy_fields(bare, fields_form(c));
	free_slots(fp);
	/* the builder's requests keep theirs (every schema loaded lives on) */
	/* the stashes stay: their secrets go back by name (every schema loaded lives on) */
	fp->schema = c->schema;
	fp->editing = false;
	fp->cur = add_slot(fp, NULL, bare);
}

static void commit(console *c)
{
	struct form_pane *fp = FP(c);
	if (!fp->editing)
		return;
	form_set_value(cur_form(c), fp->edit_row, fp->le.buf);
	fp->editing = false;
	wipe_edit(fp);
}

static void cancel_edit(struct form_pane *fp)
{
	fp->editing = false;
	wipe_edit(fp);
}

static void enter_builder(console *c);
static void quit_builder(console *c);

static void set_action(console *c, const schema_action *a)
{
	struct form_pane *fp = FP(c);
	check_schema(c);
	commit(c);
	if (c->multireq && !a) {
		enter_builder(c);
		return;
	}
	quit_builder(c);
	if (slot(c)->action == a)
		return;
	form *from = cur_form(c);
	for (size_t i = 0; i < fp->nslots; i++) {
		if (fp->slots[i].action == a) {
			form_copy_fields(fp->slots[i].f, from);
			fp->cur = i;
			return;
		}
	}
	form *f = form_new(c->schema, a);
	form_copy_fields(f, from);
	form_pane_prefill_form(c, f);
	/* the secrets typed for this action on this endpoint before its schema changed */
	const form *was = c->session ? stashed(stash_of(fp, c->session, false), a) : NULL;
	if (was)
		form_copy_secrets(f, was);
	fp->cur = add_slot(fp, a, f);
}

void form_pane_prefill_form(console *c, form *f)
{
	const char *name;
	const char *value;
	for (size_t i = 0; c->session && (value = session_value_at(c->session, i, &name)); i++)
		form_prefill(f, name, value);
}

/* ---- the multirequest builder (mrpane.c): its list, the fields, a request's own form ---- */

/* Opens the builder's row (MRPANE_FIELDS or an item) in the pane; MR_LIST shows its list. */
static void mr_open(console *c, size_t at)
{
	struct form_pane *fp = FP(c);
	commit(c);
	multireq *m = mrpane_model(fp->mr);
	if (at != MR_LIST && at != MRPANE_FIELDS && at >= m->n)
		at = MR_LIST;
	fp->mr_at = at;
	if (at == MR_LIST || at == MRPANE_FIELDS) {
		fp->mslot = (form_slot){ NULL, mrpane_fields(fp->mr), SUMMARY, 0 };
		fp->fields_open = at == MRPANE_FIELDS;
		if (at == MRPANE_FIELDS)
			fp->mslot.sel = form_nfields(fp->mslot.f) ? 0 : SUMMARY;
		return;
	}
	mrpane_select(fp->mr, at);
	form *f = m->items[at].f;
	size_t first = form_nfields(f) < form_count(f) ? form_nfields(f) : form_field(f, "ks");
	fp->mslot = (form_slot){ m->items[at].action, f, first, 0 };
	console_focus(c, PANE_FORM);
}

static void mr_open_cb(console *c, size_t row)
{
	if (FP(c)->mr_on)
		mr_open(c, row);
}

static void enter_builder(console *c)
{
	struct form_pane *fp = FP(c);
	form *from = fp->mr_on ? NULL : fp->slots[fp->cur].f;
	if (!fp->mr)
		fp->mr = mrpane_new(c->schema, from, mr_open_cb);
	else if (from) /* the fields as they are now (the session's KS) */
		form_copy_fields(mrpane_fields(fp->mr), from);
	if (!fp->mr_on) {
		fp->mr_on = true;
		mr_open(c, MR_LIST);
		size_t n = mrpane_model(fp->mr)->n;
		console_status(c, MSG_INFO, "multirequest: %zu item%s · Ins (or a) adds a request, Enter "
			       "opens one, F5 sends them all", n, n == 1 ? "" : "s");
	}
}

/* The form of one action again; the fields (a KS the builder's requests returned) go back. */
static void quit_builder(console *c)
{
	struct form_pane *fp = FP(c);
	if (!fp->mr_on)
		return;
	commit(c);
	form_copy_fields(fp->slots[fp->cur].f, mrpane_fields(fp->mr));
	fp->mr_on = false;
	fp->fields_open = false;
}

/* Esc (or Backspace) in the builder's list: back to the action chosen before it. */
static void leave_builder(console *c)
{
	struct form_pane *fp = FP(c);
	quit_builder(c);
	c->multireq = false;
	c->action = fp->slots[fp->cur].action;
	c->service = c->action ? c->action->service : NULL;
	console_notify(c, EV_ACTION_CHOSEN);
	console_status(c, MSG_INFO, "Left the multirequest builder (multirequest in the service "
		       "list opens it again, as it was)");
}

size_t form_pane_multireq(const console *c)
{
	return FP(c) && FP(c)->mr_on ? mrpane_model(FP(c)->mr)->n : 0;
}

int form_pane_restore_multireq(console *c, const kt_request *r, kt_error *err)
{
	struct form_pane *fp = FP(c);
	check_schema(c);
	multireq m;
	mr_init(&m);
	form *fields = form_new(c->schema, NULL);
	form_copy_fields(fields, fields_form(c)); /* the session's KS stays unless r has one */
	if (mr_from_request(&m, c->schema, r, fields, err) < 0) {
		form_free(fields);
		return -1;
	}
	for (size_t i = 0; i < m.n; i++)
		form_pane_prefill_form(c, m.items[i].f); /* the secrets were not kept */
	c->multireq = true;
	c->action = NULL;
	c->service = NULL;
	console_notify(c, EV_ACTION_CHOSEN);
	commit(c);
	if (!fp->mr) /* not when the notify made it */
		enter_builder(c);
	mrpane_replace(fp->mr, &m, fields);
	mr_open(c, MR_LIST);
	return 0;
}

/* The builder's request; on a bad field, its request opens with the field selected. */
static int build_multi(console *c, kt_request *req, kt_error *err)
{
	struct form_pane *fp = FP(c);
	request_init(req, "multirequest", NULL);
	size_t item, row;
	if (mr_build(mrpane_model(fp->mr), mrpane_fields(fp->mr), req, err, &item, &row) == 0)
		return 0;
	request_free(req);
	memset(req, 0, sizeof *req);
	if (item != (size_t)-1) {
		mr_open(c, item);
		if (row != FORM_NONE)
			slot(c)->sel = row < form_nfields(slot(c)->f) ? form_field(slot(c)->f, "ks") : row;
	}
	console_focus(c, PANE_FORM);
	console_status(c, MSG_ERROR, "%s", err->msg);
	return -1;
}

/* Each request's mandatory parameters; the first missing one opens its request, named. */
static int required_multi(console *c, kt_error *err)
{
	multireq *m = mrpane_model(FP(c)->mr);
	for (size_t i = 0; i < m->n; i++) {
		kt_error e = { 0 };
		size_t bad;
		if (form_check_required(m->items[i].f, &e, &bad) == 0)
			continue;
		mr_open(c, i);
		slot(c)->sel = bad;
		return kt_fail(err, KT_E_USAGE, "item %zu (%s.%s): %s", i + 1,
			       m->items[i].action->service->name, m->items[i].action->name, e.msg);
	}
	return 0;
}

/* C-v: an earlier request's result into the field, at the cursor while typing. */
static void ref_chosen(console *c, int index, void *ud)
{
	struct form_pane *fp = ud;
	if (index < 0 || FP(c) != fp || !in_item(c))
		return;
	char **paths;
	size_t n = mrpane_refs(fp->mr, fp->mr_at, &paths);
	if ((size_t)index < n) {
		form_slot *s = slot(c);
		if (fp->editing && fp->edit_row == fp->choose_row) {
			char why[160];
			le_paste(&fp->le, paths[index], strlen(paths[index]), why, sizeof why);
		} else {
			form_set_value(s->f, fp->choose_row, paths[index]);
		}
		console_status(c, MSG_OK, "%s = %s (sent as the result of that request)",
			       form_row_at(s->f, fp->choose_row)->key, paths[index]);
	}
	mr_paths_free(paths, n);
}

static void open_refs(console *c)
{
	struct form_pane *fp = FP(c);
	form_slot *s = slot(c);
	const form_row *r = form_row_at(s->f, fp->editing ? fp->edit_row : s->sel);
	if (!in_item(c)) {
		console_status(c, MSG_INFO, "A back-reference goes in a field of a multirequest's "
			       "request: multirequest is atop the service list");
		return;
	}
	if (!r || !form_is_text(r)) {
		console_status(c, MSG_INFO, "%s takes no reference: choose a text, number or id field",
			       r ? r->key : "This row");
		return;
	}
	char **paths;
	size_t n = mrpane_refs(fp->mr, fp->mr_at, &paths);
	if (!n) {
		console_status(c, MSG_INFO, "Request 1 has no earlier request to refer to");
		mr_paths_free(paths, n);
		return;
	}
	fp->choose_row = fp->editing ? fp->edit_row : s->sel;
	char title[300];
	snprintf(title, sizeof title, "%s: an earlier request's result (type to filter)", r->key);
	console_choose(c, title, (const char *const *)paths, n, 0, ref_chosen, fp);
	mr_paths_free(paths, n);
}

/* Sets the top-level rows called name in every kept form to value (NULL: empties them) where
 * they hold exactly was (NULL: where nothing was typed or chosen). */
static void refill(struct form_pane *fp, const char *name, const char *was, const char *value)
{
	for (size_t s = 0; s < fp->nslots; s++) {
		form *f = fp->slots[s].f;
		for (size_t r = form_nfields(f); r < form_count(f); r++) {
			const form_row *row = form_row_at(f, r);
			if (row->depth || strcmp(row->name, name))
				continue;
			if (was ? strcmp(row->value, was) : row->enabled || *row->value ||
								!form_is_text(row))
				continue;
			if (value)
				form_set_value(f, r, value);
			else
				form_clear(f, r);
		}
	}
}

void form_pane_prefill(console *c, const char *name, const char *value)
{
	/* rows that still hold the value prefilled before follow the new one (a partner switched
	 * to by sign-in); what was typed stays */
	const char *was = session_value(c->session, name);
	char *old = was && value && strcmp(was, value) ? kt_xstrdup(was) : NULL;
	session_set_value(c->session, name, value);
	if (old)
		refill(FP(c), name, old, value);
	refill(FP(c), name, NULL, value);
	if (old && request_is_secret_name(name))
		kt_free_secret(old);
	else
		free(old);
}

/* The builder's secrets (and KSs) were the endpoint's left: emptied, a back-reference kept,
 * then its requests take the new endpoint's values (its sandbox secret), as new forms do. */
static void builder_switch(console *c)
{
	struct form_pane *fp = FP(c);
	if (!fp->mr)
		return;
	multireq *m = mrpane_model(fp->mr);
	for (size_t k = 0; k <= m->n; k++) {
		form *g = k < m->n ? m->items[k].f : mrpane_fields(fp->mr);
		for (size_t i = 0; i < form_count(g); i++) {
			const form_row *r = form_row_at(g, i);
			if (r->secret && form_is_text(r) && *r->value && !request_has_backref(r->value))
				form_clear(g, i);
		}
		if (k < m->n)
			form_pane_prefill_form(c, g);
	}
}

static void switch_session(console *c, const session *from, const session *to)
{
	struct form_pane *fp = FP(c);
	check_schema(c);
	commit(c);
	builder_switch(c);
	if (from) {
		stash *st = stash_of(fp, from, true);
		drop_stash(st);
		st->forms = kt_xmalloc((fp->nslots ? fp->nslots : 1) * sizeof *st->forms);
		for (size_t i = 0; i < fp->nslots; i++)
			st->forms[st->n++] = form_clone(fp->slots[i].f, false);
		/* values the left endpoint prefilled (its partner id) go with it */
		const char *name, *value;
		for (size_t i = 0; (value = session_value_at(from, i, &name)); i++)
			refill(fp, name, value, NULL);
	}
	stash *back = stash_of(fp, to, false);
	form *none = form_new(fp->schema, NULL);
	for (size_t i = 0; i < fp->nslots; i++) {
		const form *src = stashed(back, fp->slots[i].action);
		/* secrets (and the KS) as this endpoint had them, or none */
		form_copy_secrets(fp->slots[i].f, src ? src : none);
	}
	form_free(none);
	const char *name, *value;
	for (size_t i = 0; (value = session_value_at(to, i, &name)); i++)
		refill(fp, name, NULL, value);
}

void form_pane_set_field(console *c, const char *name, const char *value)
{
	check_schema(c);
	form *f = fields_form(c);
	size_t i = form_field(f, name);
	if (i == FORM_NONE)
		return;
	if (FP(c)->editing && FP(c)->edit_row == i && f == cur_form(c))
		cancel_edit(FP(c));
	const form_row *r = form_row_at(f, i);
	if (r->kind == FORM_FORMAT) {
		int fmt = value ? request_format_from_name(value) : 0;
		if (fmt)
			form_choose(f, i, fmt == 1 ? 1 : 0);
	} else if (!value || !*value) {
		form_clear(f, i);
	} else {
		form_set_value(f, i, value);
	}
}

const char *form_pane_field(const console *c, const char *name)
{
	const form *f = fields_form(c);
	const form_row *r = form_row_at(f, form_field(f, name));
	if (!r || !*r->value || !r->enabled)
		return NULL;
	return r->value;
}

int form_pane_build(console *c, kt_request *req, kt_error *err)
{
	check_schema(c);
	commit(c);
	memset(req, 0, sizeof *req);
	if (FP(c)->mr_on)
		return build_multi(c, req, err);
	if (!c->action)
		return kt_fail(err, KT_E_USAGE, "choose a service and an action first");
	if (slot(c)->action != c->action)
		set_action(c, c->action);
	request_init(req, c->action->service->id, c->action->name);
	size_t bad;
	if (form_build(cur_form(c), req, err, &bad) < 0) {
		request_free(req);
		memset(req, 0, sizeof *req);
		if (bad != FORM_NONE) {
			slot(c)->sel = bad;
			if (bad < form_nfields(cur_form(c)))
				FP(c)->fields_open = true;
		}
		console_focus(c, PANE_FORM);
		console_status(c, MSG_ERROR, "%s", err->msg);
		return -1;
	}
	return 0;
}

int form_pane_required(console *c, kt_error *err)
{
	check_schema(c);
	commit(c);
	if (FP(c)->mr_on)
		return required_multi(c, err);
	if (!c->action)
		return 0;
	if (slot(c)->action != c->action)
		set_action(c, c->action);
	size_t bad;
	if (form_check_required(cur_form(c), err, &bad) == 0)
		return 0;
	slot(c)->sel = bad;
	console_focus(c, PANE_FORM);
	return -1;
}

size_t form_pane_fill(console *c, const kt_request *r, char *skipped, size_t n)
{
	struct form_pane *fp = FP(c);
	check_schema(c);
	cancel_edit(fp);
	form_slot *s = slot(c);
	if (fp->mr_on) /* the builder's forms are its own: filled where they are */
		return form_fill(s->f, r, skipped, n);
	/* a fresh form of the action, the session's fields kept, then the request's values */
	form *f = form_new(c->schema, s->action);
	form_copy_fields(f, s->f);
	size_t left = form_fill(f, r, skipped, n);
	form_free(s->f);
	s->f = f;
	s->sel = SUMMARY;
	return left;
}

/* ---- history ------------------------------------------------------------------------------- */

form *form_pane_snapshot(console *c)
{
	check_schema(c);
	return form_clone(FP(c)->mr_on ? fields_form(c) : cur_form(c), true);
}

void form_pane_restore(console *c, const form *snap)
{
	struct form_pane *fp = FP(c);
	check_schema(c);
	if (!snap || !form_action(snap))
		return;
	set_action(c, form_action(snap));
	cancel_edit(fp);
	form_slot *s = slot(c);
	form *f = form_clone(snap, false);
	/* the secrets were not kept: they stay as this form has them (the KS, the prefill) */
	form_copy_secrets(f, s->f);
	form_free(s->f);
	s->f = f;
	if (s->sel != SUMMARY && s->sel >= form_count(f))
		s->sel = form_count(f) ? form_count(f) - 1 : SUMMARY;
}

/* ---- drawing ------------------------------------------------------------------------------- */

static int label_width(int w)
{
	int lw = w * 55 / 100;
	return lw < 16 ? 16 : lw > 56 ? 56 : lw;
}

static const char *row_description(const form_row *r)
{
	if (r->kind == FORM_FILE)
		return "A file to upload: its path (Tab completes it). F5 sends the request as "
		       "multipart/form-data, the file as a part of its own.";
	if (r->description)
		return r->description;
	if ((r->kind == FORM_OBJECT || r->item) && r->decl && r->decl->description &&
	    *r->decl->description)
		return r->decl->description;
	return NULL;
}

/* text in w columns, its end replaced by an ellipsis when it does not fit */
static void draw_fit(int y, int x, int w, const char *text, attr_t a)
{
	size_t len = strlen(text);
	if (w <= 0)
		return;
	if (le_width(text, len) <= w) {
		ui_text(y, x, w, text, len, a);
		return;
	}
	size_t cut = 0;
	while (cut < len && le_width(text, cut + 1) <= w - 1)
		cut++;
	while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80)
		cut--; /* not inside a character */
	int used = ui_text(y, x, w - 1, text, cut, a);
	ui_text(y, x + used, 1, "\xe2\x80\xa6", 3, a);
}

/* The edited text at y,x in w columns, bullets for a masked secret; returns the cursor column. */
static int draw_edit(struct form_pane *fp, int y, int x, int w, bool masked, attr_t a)
{
	int col;
	le_view(&fp->le, w, &fp->le_start, &col);
	if (!masked) {
		ui_text(y, x, w, fp->le.buf + fp->le_start, fp->le.len - fp->le_start, a);
		return col;
	}
	/* one bullet per character */
	int n = 0, before = 0;
	mbstate_t st;
	memset(&st, 0, sizeof st);
	for (size_t p = fp->le_start; p < fp->le.len;) {
		size_t k = mbrlen(fp->le.buf + p, fp->le.len - p, &st);
		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			k = 1;
			memset(&st, 0, sizeof st);
		}
		if (p < fp->le.cur)
			before++;
		n++;
		p += k;
	}
	kt_buf b;
	kt_buf_init(&b);
	for (int i = 0; i < n && i < w; i++)
		kt_buf_adds(&b, "\xe2\x80\xa2");
	ui_text(y, x, w, b.data, b.len, a);
	kt_buf_free(&b);
	return before < w ? before : w - 1;
}

static void draw_row(console *c, const form_row *r, bool sel, bool focused, int y, kt_rect rc)
{
	struct form_pane *fp = FP(c);
	attr_t base = sel ? ui_attr(focused ? UI_CURSOR : UI_CURSOR_DIM) : A_NORMAL;
	ui_fill(y, rc.x, rc.w, base);
	int lw = label_width(rc.w);
	int indent = 1 + 2 * r->depth;
	if (indent > lw - 8)
		indent = lw - 8 > 1 ? lw - 8 : 1;
	int x = rc.x + indent;
	if (sel) /* the cursor row reads without colour too (NO_COLOR, screen dumps) */
		ui_text(y, rc.x, 1, ">", 1, base);
	ui_text(y, x, rc.w - indent, r->enabled ? "[x]" : "[ ]", 3, base);
	x += 4;
	int room = rc.x + 1 + lw - x;
	char label[320];
	snprintf(label, sizeof label, "%s (%s)", r->key, r->type);
	if (le_width(label, strlen(label)) > room)
		snprintf(label, sizeof label, "%s (%s)", r->name, r->type);
	draw_fit(y, x, room, label, base | (r->enabled ? A_NORMAL : ui_attr(UI_DIM)));
	int vx = rc.x + 2 + lw, vw = rc.x + rc.w - vx;
	if (vw <= 0)
		return;
	bool masked = r->secret && !c->reveal && !request_is_backref(r->value);
	char why[160];
	if (fp->editing && sel && form_row_at(cur_form(c), fp->edit_row) == r) {
		attr_t a = base | (form_check(r, fp->le.buf, why, sizeof why) ? ui_attr(UI_INVALID)
									       : A_NORMAL);
		int col = draw_edit(fp, y, vx, vw, masked, a);
		if (focused)
			console_cursor(c, y, vx + col);
		return;
	}
	char buf[256];
	bool dim;
	const char *shown = form_row_shown(r, buf, sizeof buf, &dim);
	attr_t a = base;
	if (form_row_invalid(r, why, sizeof why))
		a |= ui_attr(UI_INVALID);
	else if (dim)
		a |= ui_attr(UI_DIM);
	if (masked && !dim && *r->value)
		shown = MASK;
	ui_text(y, vx, vw, shown, (size_t)-1, a);
}

/* "request: XML · clientTag ktestme · ks •••" (the enabled fields of f) after lead, or, with
 * lead NULL, a heading for the fields shown open. */
void form_pane_draw_fields_row(console *c, const form *f, const char *lead, bool sel,
			       bool focused, int y, kt_rect rc)
{
	attr_t base = sel ? ui_attr(focused ? UI_CURSOR : UI_CURSOR_DIM) : A_NORMAL;
	ui_fill(y, rc.x, rc.w, base);
	if (sel)
		ui_text(y, rc.x, 1, ">", 1, base);
	kt_buf b;
	kt_buf_init(&b);
	if (!lead) {
		kt_buf_adds(&b, "\xe2\x96\xbe request fields (Enter hides them)");
	} else {
		/* what matters most first: a narrow pane cuts the end */
		static const char *const order[] = { "ks",	  "partnerId", "format",
						     "language", "clientTag", "apiVersion" };
		kt_buf_adds(&b, lead);
		bool first = true;
		for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
			const form_row *r = form_row_at(f, form_field(f, order[i]));
			if (!r || !form_row_sent(r))
				continue;
			bool masked = r->secret && !c->reveal;
			kt_buf_printf(&b, "%s %s %s", first ? "" : " \xc2\xb7",
				      r->kind == FORM_FORMAT ? "format" : r->name,
				      masked ? MASK : r->value);
			first = false;
		}
	}
	ui_text(y, rc.x + 1, rc.w - 1, b.data, b.len, base | (sel ? A_NORMAL : ui_attr(UI_DIM)));
	kt_buf_free(&b);
}

static void draw_summary(console *c, bool sel, bool focused, int y, kt_rect rc)
{
	form_pane_draw_fields_row(c, cur_form(c), FP(c)->fields_open ? NULL : "\xe2\x96\xb8 request:",
				  sel, focused, y, rc);
}

static void form_draw(console *c, kt_rect r, bool focused)
{
	struct form_pane *fp = FP(c);
	check_schema(c);
	if (in_list(c)) {
		mrpane_draw(c, fp->mr, r, focused);
		return;
	}
	form_slot *s = slot(c);
	const form *f = s->f;
	size_t n = form_count(f), nv = vis_count(c);
	int rows = r.h >= 3 ? r.h - 1 : r.h;
	fp->page = rows;
	fp->width = r.w;
	if (s->sel != SUMMARY && s->sel >= n)
		s->sel = n ? n - 1 : SUMMARY;
	size_t cur = row_to_vis(c, s->sel);
	if (cur < s->top)
		s->top = cur;
	if (cur >= s->top + (size_t)rows)
		s->top = cur - (size_t)rows + 1;
	for (int i = 0; i < rows; i++) {
		size_t v = s->top + (size_t)i;
		if (v == 0 && !in_item(c)) {
			draw_summary(c, cur == 0, focused, r.y + i, r);
		} else if (v < nv) {
			size_t idx = vis_to_row(c, v);
			draw_row(c, form_row_at(f, idx), v == cur, focused, r.y + i, r);
		} else {
			ui_fill(r.y + i, r.x, r.w, A_NORMAL);
			if (v == nv && !s->action && !fp->mr_on)
				ui_text(r.y + i, r.x + 1, r.w - 1,
					"Choose a service and an action for their parameters",
					(size_t)-1, ui_attr(UI_DIM));
		}
	}
	if (rows == r.h)
		return;
	/* the selected row's description on the last line */
	int y = r.y + r.h - 1;
	ui_fill(y, r.x, r.w, A_NORMAL);
	const form_row *sel = form_row_at(f, s->sel);
	const char *d = sel && in_item(c) && s->sel < form_nfields(f)
		      ? "This request's own KS, sent as N:ks over the shared one: C-v picks an "
			"earlier request's result, such as {1:result}"
		      : sel ? row_description(sel)
		      : s->sel == SUMMARY ? "The request fields: format, clientTag, apiVersion, "
					    "partnerId (impersonated), ks, language. Enter shows them."
					  : NULL;
	if (d)
		ui_text(y, r.x + 1, r.w - 1, d, (size_t)-1, ui_attr(UI_DIM));
}

static void form_title(const console *c, char *buf, size_t n)
{
	const struct form_pane *fp = FP(c);
	const form_slot *s = slot(c);
	if (fp->mr_on) {
		char t[64];
		mrpane_title(fp->mr, t, sizeof t);
		if (fp->mr_at == MR_LIST)
			snprintf(buf, n, "%s (F5 sends them)", t);
		else if (fp->mr_at == MRPANE_FIELDS)
			snprintf(buf, n, "%s · the request fields, sent once (Esc: the list)", t);
		else
			snprintf(buf, n, "%s · %zu. %s.%s (Esc: the list)", t, fp->mr_at + 1,
				 s->action->service->name, s->action->name);
		return;
	}
	if (!s->action) {
		snprintf(buf, n, "Parameters");
		return;
	}
	snprintf(buf, n, "Parameters: %s.%s (%zu enabled)", s->action->service->name,
		 s->action->name, form_enabled_params(s->f));
}

/* ---- keys ---------------------------------------------------------------------------------- */

/* Says why the selected row (or the text being typed into it) does not fit. */
static void note_invalid(console *c)
{
	struct form_pane *fp = FP(c);
	form_slot *s = slot(c);
	const form_row *r = form_row_at(s->f, s->sel);
	if (!r)
		return;
	char why[160];
	const char *w = fp->editing ? form_check(r, fp->le.buf, why, sizeof why)
				    : form_row_invalid(r, why, sizeof why);
	if (w)
		console_status(c, MSG_WARN, "%s: %s", r->key, w);
}

static void start_edit(console *c, const char *text)
{
	struct form_pane *fp = FP(c);
	fp->editing = true;
	fp->edit_row = slot(c)->sel;
	fp->le_start = 0;
	le_set(&fp->le, text);
}

static void chosen(console *c, int index, void *ud)
{
	struct form_pane *fp = ud;
	if (index < 0 || FP(c) != fp)
		return;
	form_choose(cur_form(c), fp->choose_row, (size_t)index);
	note_invalid(c);
}

static void open_chooser(console *c)
{
	form_slot *s = slot(c);
	const char **items;
	size_t current, n = form_choices(s->f, s->sel, &items, &current);
	const form_row *r = form_row_at(s->f, s->sel);
	if (!n) {
		free(items);
		console_status(c, MSG_WARN, "%s: no type to choose", r->key);
		return;
	}
	char title[300];
	if (r->kind == FORM_OBJECT)
		snprintf(title, sizeof title, "objectType of %s", r->key);
	else
		snprintf(title, sizeof title, "%s (%s)", r->key, r->type);
	FP(c)->choose_row = s->sel;
	console_choose(c, title, items, n, current, chosen, FP(c));
	free(items);
}

static void privileges_built(console *c, const char *privileges, void *ud)
{
	struct form_pane *fp = ud;
	if (FP(c) != fp || !privileges) /* Esc: unchanged */
		return;
	form_set_value(cur_form(c), fp->choose_row, privileges);
	console_status(c, MSG_OK, "privileges: %s", *privileges ? privileges : "(none)");
}

/* The privilege builder on a privileges field; false when the row is not one. */
static bool open_privileges(console *c)
{
	form_slot *s = slot(c);
	const form_row *r = form_row_at(s->f, s->sel);
	if (!r || !form_is_text(r) || !workflows_is_privileges(r->key))
		return false;
	FP(c)->choose_row = s->sel;
	workflows_privileges(c, r->key, r->value, privileges_built, FP(c));
	return true;
}

static void do_select(console *c)
{
	form_slot *s = slot(c);
	const form_row *r = form_row_at(s->f, s->sel);
	if (!r || open_privileges(c))
		return;
	if (form_has_choices(r) || r->kind == FORM_OBJECT) {
		open_chooser(c);
	} else if (r->kind == FORM_ARRAY) {
		size_t i = form_item_add(s->f, s->sel);
		if (i != FORM_NONE)
			s->sel = i;
	} else {
		start_edit(c, r->value);
	}
}

static bool handles(kt_action a)
{
	switch (a) {
	case ACT_UP: case ACT_DOWN: case ACT_PAGE_UP: case ACT_PAGE_DOWN: case ACT_TOP:
	case ACT_BOTTOM: case ACT_SELECT: case ACT_TOGGLE: case ACT_CHOOSE_PREV:
	case ACT_CHOOSE_NEXT: case ACT_ITEM_ADD: case ACT_ITEM_REMOVE: case ACT_PRIVILEGES:
		return true;
	default:
		return false;
	}
}

/* The builder's list: Enter opens the fields or a request, Esc leaves; the rest is mrpane's. */
static int list_action(console *c, kt_action a)
{
	struct form_pane *fp = FP(c);
	switch (a) {
	case ACT_SELECT: mr_open(c, mrpane_selected(fp->mr)); return H_HANDLED;
	case ACT_CANCEL:
		if (c->sending)
			return 0; /* Esc cancels the call first */
		leave_builder(c);
		return H_HANDLED;
	case ACT_MR_LEAVE: leave_builder(c); return H_HANDLED;
	default: return mrpane_action(c, fp->mr, a);
	}
}

static int form_action_cb(console *c, kt_action a)
{
	struct form_pane *fp = FP(c);
	check_schema(c);
	if (in_list(c))
		return list_action(c, a);
	if (fp->mr_on && !fp->editing && a == ACT_CANCEL && !c->sending) {
		mr_open(c, MR_LIST); /* the request or the fields closed: the list */
		return H_HANDLED;
	}
	if (a == ACT_MR_REF) {
		open_refs(c);
		return H_HANDLED;
	}
	form_slot *s = slot(c);
	size_t nv = vis_count(c), v = row_to_vis(c, s->sel);
	size_t page = fp->page > 1 ? (size_t)fp->page - 1 : 1;
	if (fp->editing) {
		if (a == ACT_CANCEL) {
			cancel_edit(fp);
			return H_HANDLED;
		}
		/* the core's own actions (help, reveal, send ...) leave the edit open */
		if (!handles(a))
			return 0;
		commit(c);
	}
	if (s->sel == SUMMARY && (a == ACT_SELECT || a == ACT_TOGGLE) && !in_item(c)) {
		fp->fields_open = !fp->fields_open;
		return H_HANDLED;
	}
	switch (a) {
	case ACT_UP: s->sel = vis_to_row(c, v > 0 ? v - 1 : 0); break;
	case ACT_DOWN: s->sel = vis_to_row(c, v + 1 < nv ? v + 1 : v); break;
	case ACT_PAGE_UP: s->sel = vis_to_row(c, v > page ? v - page : 0); break;
	case ACT_PAGE_DOWN: s->sel = vis_to_row(c, v + page < nv ? v + page : nv - 1); break;
	case ACT_TOP: s->sel = vis_to_row(c, 0); break;
	case ACT_BOTTOM: s->sel = vis_to_row(c, nv - 1); break;
	case ACT_SELECT: do_select(c); break;
	case ACT_PRIVILEGES:
		if (!open_privileges(c))
			console_status(c, MSG_INFO, "the privilege builder opens on a privileges field");
		break;
	case ACT_TOGGLE: form_toggle(s->f, s->sel); break;
	case ACT_CHOOSE_PREV:
	case ACT_CHOOSE_NEXT:
		form_cycle(s->f, s->sel, a == ACT_CHOOSE_NEXT ? 1 : -1);
		break;
	case ACT_ITEM_ADD: {
		size_t i = form_item_add(s->f, s->sel);
		if (i == FORM_NONE)
			console_status(c, MSG_WARN, "Ins adds an item to an array; this row is in none");
		else
			s->sel = i;
		break;
	}
	case ACT_ITEM_REMOVE: {
		const form_row *r = form_row_at(s->f, s->sel);
		if (r && r->item)
			form_item_remove(s->f, s->sel);
		else if (r)
			form_clear(s->f, s->sel);
		size_t n = form_count(s->f);
		if (s->sel != SUMMARY && s->sel >= n)
			s->sel = n ? n - 1 : SUMMARY;
		break;
	}
	default:
		return 0;
	}
	note_invalid(c);
	return H_HANDLED;
}

/* Tab in a file field: the path completed as far as the names share it; when that adds
 * nothing, the status line lists them. */
static void complete_path(console *c)
{
	struct form_pane *fp = FP(c);
	char *done, **names;
	size_t n = files_complete(fp->le.buf, &done, &names);
	if (!n) {
		console_status(c, MSG_INFO, "No file name starts so");
	} else if (strcmp(done, fp->le.buf)) {
		le_set(&fp->le, done);
		if (n > 1)
			console_status(c, MSG_INFO, "%zu names start so", n);
	} else {
		kt_buf list;
		kt_buf_init(&list);
		for (size_t i = 0; i < n && list.len < 400; i++)
			kt_buf_printf(&list, "%s%s", i ? "  " : "", names[i]);
		console_status(c, MSG_INFO, "%s%s", list.data, list.len >= 400 ? " ..." : "");
		kt_buf_free(&list);
	}
	free(done);
	files_names_free(names, n);
}

static int form_key(console *c, const ui_key *k)
{
	struct form_pane *fp = FP(c);
	check_schema(c);
	if (in_list(c)) {
		if (ui_key_is_text(k))
			console_status(c, MSG_INFO, "The multirequest's list takes no text: Enter opens a "
				       "request, Ins adds one");
		return ui_key_is_text(k) ? H_HANDLED : 0;
	}
	form_slot *s = slot(c);
	if (fp->editing) {
		/* by the key table: the form's keys that end an edit; the rest edit the text */
		kt_action act = keymap_lookup(SCOPE_FORM, k->name);
		if (act == ACT_MR_REF) {
			open_refs(c);
			return H_HANDLED;
		}
		if (act == ACT_SELECT) {
			commit(c);
			note_invalid(c);
			return H_HANDLED;
		}
		if (act == ACT_CANCEL) {
			cancel_edit(fp);
			return H_HANDLED;
		}
		const form_row *er = form_row_at(cur_form(c), fp->edit_row);
		if (act == ACT_NEXT_PANE && er && er->kind == FORM_FILE) {
			complete_path(c);
			return H_HANDLED;
		}
		/* these end the edit and then do what they always do */
		if (act == ACT_UP || act == ACT_DOWN || act == ACT_NEXT_PANE || act == ACT_PREV_PANE ||
		    act == ACT_PAGE_UP || act == ACT_PAGE_DOWN) {
			commit(c);
			return 0;
		}
		if (ui_key_is_text(k))
			le_insert(&fp->le, (wchar_t)k->ch);
		else
			le_key(&fp->le, k->name);
		note_invalid(c);
		return H_HANDLED;
	}
	if (!ui_key_is_text(k))
		return 0;
	const form_row *r = form_row_at(s->f, s->sel);
	if (!r) {
		console_status(c, MSG_INFO, "Enter shows the request fields");
		return H_HANDLED;
	}
	if (!form_is_text(r)) {
		/* never a command: letters in the form are text, and this row takes none */
		console_status(c, MSG_INFO, "%s: Enter %s", r->key,
			       r->kind == FORM_ARRAY ? "adds an item" : "chooses");
		return H_HANDLED;
	}
	start_edit(c, NULL);
	le_insert(&fp->le, (wchar_t)k->ch);
	note_invalid(c);
	return H_HANDLED;
}

static int form_paste(console *c, const char *text, size_t len)
{
	struct form_pane *fp = FP(c);
	check_schema(c);
	if (in_list(c)) {
		console_status(c, MSG_INFO, "Open a request (Enter) to paste into its fields");
		return H_HANDLED;
	}
	form_slot *s = slot(c);
	if (!fp->editing) {
		const form_row *r = form_row_at(s->f, s->sel);
		if (!r || !form_is_text(r)) {
			console_status(c, MSG_INFO, "%s takes no text: paste into a text field",
				       r ? r->key : "This row");
			return H_HANDLED;
		}
		start_edit(c, NULL); /* as typing does: the paste replaces the value */
	}
	char why[160];
	const form_row *r = form_row_at(s->f, fp->edit_row);
	if (!le_paste(&fp->le, text, len, why, sizeof why))
		console_status(c, MSG_WARN, "%s", why);
	else
		console_status(c, MSG_INFO, "Pasted into %s: %zu bytes (Enter keeps it)",
			       r ? r->key : "the field", fp->le.len);
	note_invalid(c);
	return H_HANDLED;
}

static int form_click(console *c, int row, int col)
{
	struct form_pane *fp = FP(c);
	check_schema(c);
	if (in_list(c))
		return mrpane_click(c, fp->mr, row);
	form_slot *s = slot(c);
	if (row < 0 || row >= fp->page)
		return H_HANDLED;
	size_t v = s->top + (size_t)row;
	if (v >= vis_count(c))
		return H_HANDLED;
	commit(c);
	size_t idx = vis_to_row(c, v);
	if (idx == SUMMARY && s->sel == SUMMARY)
		fp->fields_open = !fp->fields_open; /* a second click opens or closes it */
	s->sel = idx;
	const form_row *r = form_row_at(s->f, idx);
	if (!r)
		return H_HANDLED;
	int lw = label_width(fp->width);
	int indent = 1 + 2 * r->depth;
	if (indent > lw - 8)
		indent = lw - 8 > 1 ? lw - 8 : 1;
	if (col >= indent && col < indent + 3)
		form_set_enabled(s->f, idx, !r->enabled);
	note_invalid(c);
	return H_HANDLED;
}

static bool form_editing(const console *c)
{
	return FP(c) && FP(c)->editing;
}

static keymap_scope form_scope(const console *c)
{
	return FP(c) && in_list(c) ? SCOPE_MULTIREQ : SCOPE_FORM;
}

static void form_notify(console *c, ui_event ev)
{
	switch (ev) {
	case EV_ACTION_CHOSEN: set_action(c, c->action); break;
	case EV_SESSION_CHANGED: switch_session(c, c->session_prev, c->session); break;
	case EV_SCHEMA_CHANGED: check_schema(c); break;
	default: break;
	}
}

const view_ops form_view = {
	.scope = SCOPE_FORM, .scope_now = form_scope, .open = form_open, .close = form_close, .notify = form_notify,
	.draw = form_draw, .title = form_title, .action = form_action_cb, .key = form_key,
	.click = form_click, .editing = form_editing, .paste = form_paste,
};
