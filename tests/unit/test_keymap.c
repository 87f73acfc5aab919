#include <criterion/criterion.h>
#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#include "keymap.h"

/* Key names the table may use besides one printable character (see actions.def). */
static bool named_key(const char *k)
{
	static const char *const names[] = { "S-Tab", "Tab",  "Enter", "Esc",  "Space", "Up",
					     "Down",  "Left", "Right", "PgUp", "PgDn",  "Home",
					     "End",   "Ins",  "Del",   "Backspace" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(k, names[i]))
			return true;
	if (k[0] == 'F' && k[1] >= '1' && k[1] <= '9') {
		int n = k[1] - '0';
		if (k[2] >= '0' && k[2] <= '9' && !k[3])
			n = n * 10 + (k[2] - '0');
		else if (k[2])
			return false;
		return n >= 1 && n <= 12;
	}
	return k[0] == 'C' && k[1] == '-' && k[2] >= 'a' && k[2] <= 'z' && !k[3];
}

/* One printable character: what a terminal delivers when a letter, digit or sign is typed. */
static bool printable_char(const char *k)
{
	return k[0] && !k[1] && isprint((unsigned char)k[0]);
}

Test(keymap, every_action_has_help_a_name_and_a_key)
{
	size_t n;
	const keymap_binding *b = keymap_bindings(&n);
	cr_assert(n > 0);
	for (int a = ACT_NONE + 1; a < ACT_COUNT; a++) {
		cr_assert_str_neq(keymap_help((kt_action)a), "", "action %d has no help", a);
		cr_assert_str_neq(keymap_name((kt_action)a), "none", "action %d has no name", a);
		size_t bound = 0;
		for (size_t i = 0; i < n; i++)
			bound += b[i].action == (kt_action)a;
		cr_assert(bound > 0, "action %s has no key", keymap_name((kt_action)a));
	}
}

Test(keymap, bindings_are_well_formed)
{
	size_t n;
	const keymap_binding *b = keymap_bindings(&n);
	for (size_t i = 0; i < n; i++) {
		cr_assert(b[i].scope >= SCOPE_GLOBAL && b[i].scope < SCOPE_COUNT);
		cr_assert(b[i].action > ACT_NONE && b[i].action < ACT_COUNT, "binding %zu", i);
		cr_assert_not_null(b[i].key);
		cr_assert(named_key(b[i].key) || printable_char(b[i].key),
			  "\"%s\" is not a key name actions.def allows", b[i].key);
	}
}

Test(keymap, no_key_bound_twice_in_a_scope)
{
	size_t n;
	const keymap_binding *b = keymap_bindings(&n);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			cr_assert(b[i].scope != b[j].scope || strcmp(b[i].key, b[j].key) != 0,
				  "\"%s\" is bound twice in %s", b[i].key,
				  keymap_scope_title(b[i].scope));
}

/* A requirement: letters typed into a field are always text, so neither the form nor the
 * global scope (which the form falls back to) may bind a printable character. */
Test(keymap, printable_keys_never_bound_where_text_is_typed)
{
	size_t n;
	const keymap_binding *b = keymap_bindings(&n);
	for (size_t i = 0; i < n; i++)
		if (b[i].scope == SCOPE_FORM || b[i].scope == SCOPE_GLOBAL)
			cr_assert_not(printable_char(b[i].key), "\"%s\" is bound in %s", b[i].key,
				      keymap_scope_title(b[i].scope));
	/* and so no printable character means anything in the form */
	for (int c = 0x20; c < 0x7f; c++) {
		char k[2] = { (char)c, '\0' };
		cr_assert_eq(keymap_lookup(SCOPE_FORM, k), ACT_NONE, "\"%s\" acts in the form", k);
		cr_assert_eq(keymap_lookup(SCOPE_GLOBAL, k), ACT_NONE);
	}
}

Test(keymap, scope_binding_shadows_global)
{
	cr_assert_eq(keymap_lookup(SCOPE_LIST, "k"), ACT_UP);
	cr_assert_eq(keymap_lookup(SCOPE_RESULT, "k"), ACT_UP);
	cr_assert_eq(keymap_lookup(SCOPE_FORM, "k"), ACT_NONE);
	cr_assert_eq(keymap_lookup(SCOPE_GLOBAL, "k"), ACT_NONE);
	/* a global key reaches every scope that does not bind it itself */
	cr_assert_eq(keymap_lookup(SCOPE_FORM, "F5"), ACT_SEND);
	cr_assert_eq(keymap_lookup(SCOPE_RESULT, "C-r"), ACT_SEND);
	cr_assert_eq(keymap_lookup(SCOPE_LIST, "Esc"), ACT_CANCEL);
	/* the same key means different things in different panes */
	cr_assert_eq(keymap_lookup(SCOPE_FORM, "Space"), ACT_TOGGLE);
	cr_assert_eq(keymap_lookup(SCOPE_RESULT, "Space"), ACT_PAGE_DOWN);
	cr_assert_eq(keymap_lookup(SCOPE_LIST, "Space"), ACT_NONE);
	cr_assert_eq(keymap_lookup(SCOPE_LIST, "/"), ACT_FILTER);
	cr_assert_eq(keymap_lookup(SCOPE_RESULT, "/"), ACT_SEARCH);
}

Test(keymap, lookup_agrees_with_the_table)
{
	size_t n;
	const keymap_binding *b = keymap_bindings(&n);
	for (size_t i = 0; i < n; i++) {
		cr_assert_eq(keymap_lookup(b[i].scope, b[i].key), b[i].action, "%s in %s",
			     b[i].key, keymap_scope_title(b[i].scope));
		if (b[i].scope != SCOPE_GLOBAL)
			continue;
		/* a global binding holds in every scope that has none of its own for the key */
		for (int s = 0; s < SCOPE_COUNT; s++) {
			bool own = false;
			for (size_t j = 0; j < n; j++)
				own |= (int)b[j].scope == s && !strcmp(b[j].key, b[i].key);
			if (!own)
				cr_assert_eq(keymap_lookup((keymap_scope)s, b[i].key), b[i].action);
		}
	}
}

Test(keymap, lookup_of_unknown_keys)
{
	cr_assert_eq(keymap_lookup(SCOPE_GLOBAL, ""), ACT_NONE);
	cr_assert_eq(keymap_lookup(SCOPE_RESULT, "nope"), ACT_NONE);
	cr_assert_eq(keymap_lookup(SCOPE_LIST, "f5"), ACT_NONE, "key names are case-sensitive");
	cr_assert_eq(keymap_lookup(SCOPE_LIST, "F5 "), ACT_NONE);
	cr_assert_eq(keymap_lookup(SCOPE_LIST, "F"), ACT_NONE);
	cr_assert_eq(keymap_lookup(SCOPE_RESULT, "F"), ACT_FOLD_ALL);
	cr_assert_eq(keymap_lookup(SCOPE_RESULT, "f"), ACT_FOLD);
}

struct line {
	keymap_scope scope;
	char keys[128];
	char help[160];
};

struct lines {
	struct line l[256];
	size_t n;
};

static void collect(keymap_scope scope, const char *keys, const char *help, void *ud)
{
	struct lines *ls = ud;
	cr_assert(ls->n < sizeof ls->l / sizeof ls->l[0]);
	struct line *l = &ls->l[ls->n++];
	l->scope = scope;
	cr_assert(strlen(keys) < sizeof l->keys && strlen(help) < sizeof l->help);
	strcpy(l->keys, keys);
	strcpy(l->help, help);
}

/* How many times key appears among the ", "-joined keys. */
static int count_key(const char *keys, const char *key)
{
	int count = 0;
	size_t kl = strlen(key);
	for (const char *p = keys; *p;) {
		const char *e = strstr(p, ", ");
		/* "," itself could be a key: a separator is ", " followed by more text */
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == kl && !strncmp(p, key, kl))
			count++;
		p += len;
		if (*p)
			p += 2;
	}
	return count;
}

Test(keymap, lines_cover_every_binding_once)
{
	struct lines ls = { .n = 0 };
	size_t calls = keymap_lines(collect, &ls);
	cr_assert_eq(calls, ls.n);
	cr_assert(calls > 0);
	size_t n;
	const keymap_binding *b = keymap_bindings(&n);
	for (size_t i = 0; i < n; i++) {
		int seen = 0;
		for (size_t j = 0; j < ls.n; j++) {
			if (ls.l[j].scope != b[i].scope)
				continue;
			int c = count_key(ls.l[j].keys, b[i].key);
			if (c)
				cr_assert_str_eq(ls.l[j].help, keymap_help(b[i].action),
						 "%s listed with another action's help", b[i].key);
			seen += c;
		}
		cr_assert_eq(seen, 1, "%s in %s listed %d times", b[i].key,
			     keymap_scope_title(b[i].scope), seen);
	}
	/* nothing listed that is not bound: the keys of all lines add up to the table */
	size_t listed = 0;
	for (size_t j = 0; j < ls.n; j++) {
		cr_assert_str_neq(ls.l[j].keys, "");
		cr_assert_str_neq(ls.l[j].help, "");
		listed++;
		for (const char *p = ls.l[j].keys; (p = strstr(p, ", ")); p += 2)
			listed++;
		if (j)
			cr_assert(ls.l[j].scope >= ls.l[j - 1].scope, "scopes out of order");
	}
	cr_assert_eq(listed, n);
}

Test(keymap, lines_name_each_action_once_per_scope)
{
	struct lines ls = { .n = 0 };
	keymap_lines(collect, &ls);
	for (size_t i = 0; i < ls.n; i++)
		for (size_t j = i + 1; j < ls.n; j++)
			cr_assert(ls.l[i].scope != ls.l[j].scope ||
					  strcmp(ls.l[i].help, ls.l[j].help) != 0,
				  "\"%s\" twice in one section", ls.l[i].help);
}

Test(keymap, names_are_lower_case_with_dashes)
{
	for (int a = ACT_NONE + 1; a < ACT_COUNT; a++) {
		const char *name = keymap_name((kt_action)a);
		size_t len = strlen(name);
		cr_assert(len > 0);
		cr_assert(name[0] != '-' && name[len - 1] != '-', "\"%s\"", name);
		for (size_t i = 0; i < len; i++)
			cr_assert((name[i] >= 'a' && name[i] <= 'z') ||
					  (name[i] >= '0' && name[i] <= '9') || name[i] == '-',
				  "\"%s\" has '%c'", name, name[i]);
		cr_assert_null(strstr(name, "--"), "\"%s\"", name);
		cr_assert_eq(keymap_name((kt_action)a), name, "the name is made once and kept");
		for (int b = a + 1; b < ACT_COUNT; b++)
			cr_assert_str_neq(name, keymap_name((kt_action)b), "two actions named %s",
					  name);
	}
	cr_assert_str_eq(keymap_name(ACT_SEARCH_NEXT), "search-next");
	cr_assert_str_eq(keymap_name(ACT_SEND), "send");
	cr_assert_str_eq(keymap_name(ACT_USE_KS), "use-ks");
}

Test(keymap, out_of_range_actions_and_scopes)
{
	cr_assert_str_eq(keymap_name(ACT_NONE), "none");
	cr_assert_str_eq(keymap_name(ACT_COUNT), "none");
	cr_assert_str_eq(keymap_name((kt_action)-1), "none");
	cr_assert_str_eq(keymap_help(ACT_NONE), "");
	cr_assert_str_eq(keymap_help(ACT_COUNT), "");
	cr_assert_str_eq(keymap_help((kt_action)-1), "");
	for (int s = 0; s < SCOPE_COUNT; s++) {
		cr_assert_str_neq(keymap_scope_title((keymap_scope)s), "");
		for (int t = s + 1; t < SCOPE_COUNT; t++)
			cr_assert_str_neq(keymap_scope_title((keymap_scope)s),
					  keymap_scope_title((keymap_scope)t));
	}
	cr_assert_str_eq(keymap_scope_title(SCOPE_COUNT), "");
}

Test(keymap, keys_of_lists_exactly_the_keys_that_reach_the_action)
{
	size_t n;
	const keymap_binding *b = keymap_bindings(&n);
	for (int s = 0; s < SCOPE_COUNT; s++) {
		for (int a = ACT_NONE + 1; a < ACT_COUNT; a++) {
			char out[256];
			keymap_keys_of((keymap_scope)s, (kt_action)a, out, sizeof out);
			for (size_t i = 0; i < n; i++) {
				/* lookup finds only the scope's own or a global binding */
				bool reaches = keymap_lookup((keymap_scope)s, b[i].key) == (kt_action)a;
				cr_assert_eq(count_key(out, b[i].key), reaches ? 1 : 0,
					     "%s for %s in %s: \"%s\"", b[i].key,
					     keymap_name((kt_action)a),
					     keymap_scope_title((keymap_scope)s), out);
			}
		}
	}
	char out[64];
	keymap_keys_of(SCOPE_LIST, ACT_UP, out, sizeof out);
	cr_assert(count_key(out, "Up") == 1 && count_key(out, "k") == 1, "\"%s\"", out);
	keymap_keys_of(SCOPE_FORM, ACT_UP, out, sizeof out);
	cr_assert_str_eq(out, "Up");
	keymap_keys_of(SCOPE_FORM, ACT_SEARCH, out, sizeof out);
	cr_assert_str_eq(out, "");
	keymap_keys_of(SCOPE_LIST, ACT_NONE, out, sizeof out);
	cr_assert_str_eq(out, "");
}

Test(keymap, keys_of_small_buffers_hold_whole_keys)
{
	char full[256];
	keymap_keys_of(SCOPE_GLOBAL, ACT_QUIT, full, sizeof full);
	cr_assert(strstr(full, ", "), "QUIT has several keys: \"%s\"", full);
	for (size_t n = 1; n <= strlen(full) + 1; n++) {
		char out[256];
		memset(out, 'X', sizeof out);
		keymap_keys_of(SCOPE_GLOBAL, ACT_QUIT, out, n);
		size_t len = strnlen(out, n);
		cr_assert(len < n, "not terminated within %zu bytes", n);
		cr_assert_eq(out[n], 'X', "wrote past %zu bytes", n);
		/* a prefix of the full list that ends at a key's end, never half a key */
		cr_assert_eq(strncmp(out, full, len), 0);
		cr_assert(len == 0 || full[len] == '\0' || !strncmp(full + len, ", ", 2),
			  "cut inside a key with %zu bytes: \"%s\"", n, out);
	}
	char one = 'X';
	keymap_keys_of(SCOPE_GLOBAL, ACT_QUIT, &one, 0);
	cr_assert_eq(one, 'X', "n = 0 writes nothing");
}

/* A pane's own binding of a key bound globally makes the global action unreachable there (as
 * C-l once was: sign-in everywhere, a back-reference picker in the form). Only text editing may
 * take keys over, for moving the cursor in a field. */
Test(keymap, no_scope_hides_a_global_key_but_text_editing)
{
	size_t n;
	const keymap_binding *b = keymap_bindings(&n);
	for (size_t g = 0; g < n; g++) {
		if (b[g].scope != SCOPE_GLOBAL)
			continue;
		for (int s = SCOPE_GLOBAL + 1; s < SCOPE_COUNT; s++) {
			kt_action a = keymap_lookup((keymap_scope)s, b[g].key);
			if (a == b[g].action)
				continue;
			bool cursor = s == SCOPE_TEXT && (a == ACT_LINE_START || a == ACT_LINE_END);
			cr_expect(cursor, "%s: %s in %s hides the global %s", b[g].key, keymap_name(a),
				  keymap_scope_title((keymap_scope)s), keymap_name(b[g].action));
		}
	}
}
