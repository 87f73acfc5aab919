#include "persist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "reqtext.h"
#include "util.h"

static void say_warning(console *c, hstore *st)
{
	char *w = hstore_take_warning(st);
	if (w)
		console_status(c, MSG_WARN, "%s", w);
	free(w);
}

/* One stored entry back into the in-memory history. */
static void load_entry(console *c, history *h, const hstore_entry *e)
{
	bool multi = !strcasecmp(e->service, "multirequest");
	const schema_action *a = multi ? NULL : schema_find(c->schema, e->service, e->action);
	kt_request r;
	if ((!a && !multi) || hstore_entry_request(e, &r, NULL))
		return;
	form *f = form_new(c->schema, a); /* a multirequest's: its fields, its text aside */
	form_fill(f, &r, NULL, 0);
	size_t items = 0;
	char key[32];
	for (;; items++) { /* 1:service, 2:service ... */
		snprintf(key, sizeof key, "%zu:service", items + 1);
		if (!param_find(r.params, key))
			break;
	}
	request_free(&r);
	char title[256];
	if (multi)
		snprintf(title, sizeof title, "multirequest (%zu item%s)", items, items == 1 ? "" : "s");
	else
		snprintf(title, sizeof title, "%s.%s", a->service->name, a->name);
	history_result res = {
		.title = title,
		.body = e->result,
		.len = e->result_len,
		.format = e->format,
		.http_status = e->http_status,
		.error_code = e->error_code,
		.error_message = e->error_message,
		.failure = e->failure,
	};
	res.timings.total = e->duration;
	history_add(h, f, e->endpoint, (time_t)e->when, &res);
	history_tag_last(h, e->id);
	if (multi)
		history_set_request_last(h, e->request);
	if (!e->result)
		history_withhold_last(h); /* not kept: say so when restored */
	form_free(f);
}

hstore *persist_open(console *c, history *h)
{
	hstore *st = hstore_open(NULL, NULL);
	hstore_entry *list;
	size_t n = hstore_list(st, NULL, HISTORY_MAX_ENTRIES, &list);
	/* oldest first, as they were sent; results are read one by one */
	for (size_t i = n; i-- > 0;) {
		hstore_entry full;
		if (hstore_get(st, list[i].id, &full) == 0) {
			load_entry(c, h, &full);
			hstore_entry_free(&full);
		}
	}
	hstore_entries_free(list, n);
	say_warning(c, st);
	return st;
}

long long persist_add(console *c, hstore *st, const form *snap, const char *endpoint,
		      const console_result *r, bool withhold)
{
	const schema_action *a = snap ? form_action(snap) : NULL;
	if (!st || !a)
		return 0;
	kt_request req;
	request_init(&req, a->service->id, a->name);
	long long id = 0;
	if (form_build(snap, &req, NULL, NULL) == 0)
		id = persist_add_request(c, st, &req, endpoint, r, withhold);
	request_free(&req);
	return id;
}

long long persist_add_request(console *c, hstore *st, const kt_request *req,
			      const char *endpoint, const console_result *r, bool withhold)
{
	if (!st)
		return 0;
	hstore_record rec = {
		.endpoint = endpoint,
		.req = req,
		.when = (long long)time(NULL),
		.http_status = r->http_status,
		.error_code = r->error_code,
		.error_message = r->error_message,
		.failure = r->failure,
		.duration = r->timings.total,
		.result = r->body,
		.result_len = r->body ? r->len : 0,
		.result_has_secret = withhold,
	};
	long long id = hstore_add(st, &rec);
	say_warning(c, st);
	return id > 0 ? id : 0;
}

bool persist_delete(console *c, hstore *st, history *h, unsigned long number)
{
	const history_entry *e = history_find(h, number);
	if (!e)
		return false;
	if (st && e->store_id > 0)
		hstore_delete(st, e->store_id);
	say_warning(c, st);
	return history_remove(h, number);
}

/* The request text of a history form (reqtext: no secret), malloc'd; NULL when it does not
 * build. */
static char *text_of(const form *f)
{
	const schema_action *a = form_action(f);
	kt_request r;
	request_init(&r, a->service->id, a->name);
	char *t = form_build(f, &r, NULL, NULL) == 0 ? reqtext_format(&r) : NULL;
	request_free(&r);
	return t;
}

/* The newest earlier entry of e's action, and the diff of their requests (reqtext_diff's
 * lines); false when there is none. */
static bool diff_lines(const history *h, const history_entry *e, const history_entry **prev,
		       char **lines)
{
	*prev = NULL;
	*lines = NULL;
	if (!e->snap)
		return false;
	for (size_t i = 0; i < history_count(h) && !*prev; i++) {
		const history_entry *o = history_at(h, i);
		if (o->number < e->number && o->snap && form_action(o->snap) == form_action(e->snap) &&
		    !o->request == !e->request)
			*prev = o;
	}
	if (!*prev || (!e->request && !form_action(e->snap)))
		return false;
	/* a multirequest is compared by its text (its form holds only the fields) */
	char *a = (*prev)->request ? kt_xstrdup((*prev)->request) : text_of((*prev)->snap);
	char *b = e->request ? kt_xstrdup(e->request) : text_of(e->snap);
	*lines = a && b ? reqtext_diff(a, b) : NULL;
	free(a);
	free(b);
	return *lines != NULL;
}

/* The diff's lines joined with "; " after head. */
static char *one_line(const char *head, char *d)
{
	kt_buf out;
	kt_buf_init(&out);
	kt_buf_adds(&out, head);
	for (char *s = d, *nl; *s; s = nl + 1) {
		nl = strchr(s, '\n');
		if (!nl)
			break;
		*nl = '\0';
		kt_buf_printf(&out, "%s%s", s == d ? "" : "; ", s);
	}
	return kt_buf_steal(&out);
}

char *persist_diff(const history *h, const history_entry *e)
{
	const history_entry *prev;
	char *d;
	if (!diff_lines(h, e, &prev, &d))
		return NULL;
	/* one line for the status: "~ id = 1 -> 2; + name = x" */
	char head[64];
	snprintf(head, sizeof head, "since request %lu: %s", prev->number,
		 *d ? "" : "the same request");
	char *out = one_line(head, d);
	free(d);
	return out;
}

char *persist_diff_short(const history *h, const history_entry *e)
{
	const history_entry *prev;
	char *d;
	if (!diff_lines(h, e, &prev, &d))
		return NULL;
	char *out;
	if (*d)
		out = one_line("", d);
	else
		out = kt_xasprintf("the same as %lu", prev->number);
	free(d);
	return out;
}
