#include "workflows.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
		console_status(c, MSG_INFO, "%s: unchanged", s->field);
		builder_free(s);
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
