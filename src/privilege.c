#include "privilege.h"

#include <stdlib.h>
#include <string.h>

#include "ks.h"
#include "util.h"

/* "{}" in a meaning stands for the value (or the hint when there is none). */
static const priv_spec specs[] = {
	{"disableentitlement", PRIV_FLAG, NULL,
	 "Entitlement enforcement off: every category and entry of the partner is visible, "
	 "whatever its privacy context or membership.", PRIV_MAIN},
	{"enableentitlement", PRIV_FLAG, NULL,
	 "Entitlement enforcement on, even where the partner does not enforce it by default.",
	 PRIV_MAIN},
	{"privacycontext", PRIV_TEXT, "CONTEXT",
	 "Searches within privacy context {}: its categories (and their entries) become visible "
	 "to their members and, where listed to the partner, to everyone.", PRIV_MAIN},
	{"sview", PRIV_IDS, "ENTRY|*",
	 "May play the entries {} ('*': any entry) even where access control asks for a KS.", PRIV_MAIN},
	{"edit", PRIV_IDS, "ENTRY|*",
	 "May change the entries {} ('*': any entry) although another user owns them.", PRIV_MAIN},
	{"list", PRIV_IDS, "*",
	 "May list the objects of every user ({}), not only the session user's own.", PRIV_MAIN},
	{"download", PRIV_IDS, "ENTRY",
	 "May download entry {} where access control protects downloads.", PRIV_MAIN},
	{"setrole", PRIV_TEXT, "ROLE_ID",
	 "Acts with the permissions of user role {} instead of the user's own role.", PRIV_MAIN},
	{"actionslimit", PRIV_COUNT, "N",
	 "Good for {} API calls; after that the KS answers INVALID_KS (EXCEEDED_ACTIONS_LIMIT).",
	 PRIV_MAIN},
	{"appid", PRIV_APPID, "NAME-DOMAIN",
	 "Names the application ({}) for Kaltura's per-application analytics; Kaltura "
	 "recommends it on every KS.", PRIV_MAIN},
	{"iprestrict", PRIV_TEXT, "IP",
	 "Works only from the address {}; elsewhere INVALID_KS (EXCEEDED_RESTRICTED_IP).",
	 PRIV_MAIN},
	{"urirestrict", PRIV_TEXT, "URI[*]",
	 "Works only for requests to {} (a trailing * matches the rest); elsewhere INVALID_KS "
	 "(EXCEEDED_RESTRICTED_URI).", PRIV_MAIN},
	{"sessionid", PRIV_TEXT, "ID",
	 "The server's session id {} (set by appToken.startSession, not by hand).",
	 PRIV_READONLY | PRIV_MAIN},
	{"apptoken", PRIV_TEXT, "ID",
	 "Issued by app token {}: deleting the token revokes this KS (set by the server).",
	 PRIV_READONLY | PRIV_MAIN},
	{"all", PRIV_IDS, "*",
	 "Every privilege at once ('*' is read as all:*).", PRIV_MAIN},
	{"limitentry", PRIV_IDS, "ENTRY",
	 "Limited to entry {}: other entries answer as if they did not exist.", 0},
	{"disableentitlementforentry", PRIV_IDS, "ENTRY",
	 "Entitlement enforcement off for entry {} only.", 0},
	{"enablecategorymoderation", PRIV_FLAG, NULL,
	 "Category moderation applies: entries added to moderated categories wait for approval.",
	 0},
	{"widget", PRIV_TEXT, "1",
	 "A widget (anonymous player) session, as session.startWidgetSession makes it.", 0},
	{"view", PRIV_IDS, "*",
	 "May view the entries {} ('*': any entry; part of a widget session).", 0},
	{"reftime", PRIV_COUNT, "T",
	 "Scheduling windows are checked at unix time {} instead of now.", 0},
	{"preview", PRIV_COUNT, "SECONDS",
	 "Plays only the first {} seconds of an entry.", 0},
};

const priv_spec *priv_specs(int *n)
{
	*n = (int)(sizeof specs / sizeof specs[0]);
	return specs;
}

const priv_spec *priv_find(const char *name)
{
	for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++)
		if (!strcmp(specs[i].name, name))
			return &specs[i];
	return NULL;
}

char *priv_explain(const char *name, const char *value)
{
	const priv_spec *s = priv_find(name);
	if (!s)
		return kt_xasprintf("Not a privilege Kaltura's server knows: it is kept in the KS and "
				    "passed through, with no effect of its own.");
	const char *v = value && *value ? value : s->value_hint ? s->value_hint : "";
	const char *at = strstr(s->meaning, "{}");
	if (!at)
		return kt_xstrdup(s->meaning);
	return kt_xasprintf("%.*s%s%s", (int)(at - s->meaning), s->meaning, v, at + 2);
}

static bool bad_byte(unsigned char c)
{
	return c < 0x20 || c == 0x7f || c == ',';
}

int priv_check(const char *name, const char *value, kt_error *err)
{
	if (!name || !*name)
		return kt_fail(err, KT_E_USAGE, "a privilege needs a name");
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (bad_byte(*p) || *p == ':' || *p == ' ')
			return kt_fail(err, KT_E_USAGE, "a privilege name has no ',', ':', blanks or "
				       "control characters");
	if (!value)
		value = "";
	for (const unsigned char *p = (const unsigned char *)value; *p; p++)
		if (bad_byte(*p))
			return kt_fail(err, KT_E_USAGE, "the value of %s cannot hold ',' (it separates "
				       "privileges) or control characters", name);
	const priv_spec *s = priv_find(name);
	if (!s)
		return 0;
	if (s->kind == PRIV_FLAG) {
		if (*value)
			return kt_fail(err, KT_E_USAGE, "%s takes no value", name);
		return 0;
	}
	if (!*value)
		return kt_fail(err, KT_E_USAGE, "%s needs a value (%s:%s)", name, name, s->value_hint);
	long long n;
	switch (s->kind) {
	case PRIV_COUNT:
		if (!kt_parse_ll(value, &n) || n <= 0)
			return kt_fail(err, KT_E_USAGE, "%s takes a positive number, not '%s'", name,
				       value);
		break;
	case PRIV_APPID: {
		const char *dash = strchr(value, '-');
		if (!dash || dash == value || !dash[1] || !strchr(dash + 1, '.'))
			return kt_fail(err, KT_E_USAGE, "appid takes NAME-DOMAIN, such as "
				       "myapp-example.com, not '%s'", value);
		break;
	}
	default:
		break;
	}
	return 0;
}

/* ---- the builder ---- */

static void row_set_value(priv_row *r, const char *value)
{
	free(r->value);
	r->value = kt_xstrdup(value ? value : "");
}

static int add_row(priv_builder *b, const priv_spec *spec, const char *name)
{
	b->rows = kt_xrealloc(b->rows, (size_t)(b->n + 1) * sizeof *b->rows);
	b->rows[b->n] = (priv_row){spec, kt_xstrdup(name), kt_xstrdup(""), false, 0};
	return b->n++;
}

int priv_builder_find(const priv_builder *b, const char *name)
{
	for (int i = 0; i < b->n; i++)
		if (!strcmp(b->rows[i].name, name))
			return i;
	return -1;
}

void priv_builder_init(priv_builder *b, const char *privileges)
{
	*b = (priv_builder){NULL, 0, 0};
	for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++)
		if (specs[i].flags & PRIV_MAIN)
			add_row(b, &specs[i], specs[i].name);
	ks_privs p;
	ks_privs_parse(privileges, &p);
	for (int i = 0; i < p.n; i++) {
		int r = priv_builder_find(b, p.items[i].name);
		if (r < 0)
			r = add_row(b, priv_find(p.items[i].name), p.items[i].name);
		row_set_value(&b->rows[r], p.items[i].value);
		b->rows[r].on = true;
		b->rows[r].order = b->next_order++;
	}
	ks_privs_free(&p);
}

void priv_builder_free(priv_builder *b)
{
	for (int i = 0; i < b->n; i++) {
		free(b->rows[i].name);
		free(b->rows[i].value);
	}
	free(b->rows);
	*b = (priv_builder){NULL, 0, 0};
}

char *priv_builder_compose(const priv_builder *b)
{
	ks_privs p = {NULL, 0};
	for (int k = 0; k < b->next_order; k++)
		for (int i = 0; i < b->n; i++)
			if (b->rows[i].on && b->rows[i].order == k) {
				p.items = kt_xrealloc(p.items, (size_t)(p.n + 1) * sizeof *p.items);
				p.items[p.n++] = (ks_priv){b->rows[i].name, b->rows[i].value};
			}
	char *s = ks_privs_build(&p);
	free(p.items); /* the strings belong to the rows */
	return s;
}

static void turn_on(priv_builder *b, int row)
{
	priv_row *r = &b->rows[row];
	if (!r->on)
		r->order = b->next_order++;
	r->on = true;
	const char *other = !strcmp(r->name, "disableentitlement") ? "enableentitlement"
			    : !strcmp(r->name, "enableentitlement") ? "disableentitlement" : NULL;
	int o = other ? priv_builder_find(b, other) : -1;
	if (o >= 0)
		b->rows[o].on = false;
}

int priv_builder_toggle(priv_builder *b, int row, kt_error *err)
{
	if (row < 0 || row >= b->n)
		return kt_fail(err, KT_E_USAGE, "no such privilege row");
	priv_row *r = &b->rows[row];
	if (r->spec && (r->spec->flags & PRIV_READONLY))
		return kt_fail(err, KT_E_USAGE, "%s is set by the server, not by hand", r->name);
	if (r->on) {
		r->on = false;
		return 0;
	}
	if (priv_check(r->name, r->value, err))
		return -1;
	turn_on(b, row);
	return 0;
}

int priv_builder_set(priv_builder *b, int row, const char *value, kt_error *err)
{
	if (row < 0 || row >= b->n)
		return kt_fail(err, KT_E_USAGE, "no such privilege row");
	priv_row *r = &b->rows[row];
	if (r->spec && (r->spec->flags & PRIV_READONLY))
		return kt_fail(err, KT_E_USAGE, "%s is set by the server, not by hand", r->name);
	if (priv_check(r->name, value, err))
		return -1;
	row_set_value(r, value);
	turn_on(b, row);
	return 0;
}

int priv_builder_add(priv_builder *b, const char *name, const char *value, kt_error *err)
{
	if (priv_check(name, value, err))
		return -1;
	int r = priv_builder_find(b, name);
	if (r < 0)
		r = add_row(b, priv_find(name), name);
	if (priv_builder_set(b, r, value, err))
		return -1;
	return r;
}

char *priv_builder_line(const priv_builder *b, int row)
{
	if (row < 0 || row >= b->n)
		return kt_xstrdup("");
	const priv_row *r = &b->rows[row];
	const char *mark = r->spec && (r->spec->flags & PRIV_READONLY) ? "[=]" : r->on ? "[x]"
											  : "[ ]";
	const char *v = r->value[0] ? r->value : r->spec ? r->spec->value_hint : NULL;
	char *meaning = priv_explain(r->name, r->value);
	char *line = v ? kt_xasprintf("%s %s:%s  %s", mark, r->name, v, meaning)
		       : kt_xasprintf("%s %s  %s", mark, r->name, meaning);
	free(meaning);
	return line;
}

/* ---- string helpers ---- */

char *priv_with(const char *privileges, const char *name, const char *value)
{
	priv_builder b;
	priv_builder_init(&b, privileges);
	int r = priv_builder_find(&b, name);
	if (r < 0)
		r = add_row(&b, priv_find(name), name);
	row_set_value(&b.rows[r], value);
	turn_on(&b, r);
	char *s = priv_builder_compose(&b);
	priv_builder_free(&b);
	return s;
}

bool priv_has(const char *privileges, const char *name)
{
	ks_privs p;
	ks_privs_parse(privileges, &p);
	bool found = ks_privs_find(&p, name) != NULL;
	ks_privs_free(&p);
	return found;
}
