#include "keymap.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static const keymap_binding bindings[] = {
#define BIND(scope, key, name) { SCOPE_##scope, key, ACT_##name },
#include "actions.def"
};

static const char *const helps[ACT_COUNT] = {
	[ACT_NONE] = "",
#define ACT(name, help) [ACT_##name] = help,
#include "actions.def"
};

static const char *const names[ACT_COUNT] = {
	[ACT_NONE] = "none",
#define ACT(name, help) [ACT_##name] = #name,
#include "actions.def"
};

const keymap_binding *keymap_bindings(size_t *n)
{
	*n = sizeof bindings / sizeof bindings[0];
	return bindings;
}

const char *keymap_help(kt_action a)
{
	return a > ACT_NONE && a < ACT_COUNT ? helps[a] : "";
}

const char *keymap_name(kt_action a)
{
	/* the table spells names in capitals; lower-case them once */
	static char lower[ACT_COUNT][24];
	if (a <= ACT_NONE || a >= ACT_COUNT)
		return "none";
	if (!lower[a][0]) {
		size_t i;
		for (i = 0; names[a][i] && i + 1 < sizeof lower[a]; i++)
			lower[a][i] = names[a][i] == '_' ? '-'
							  : (char)(names[a][i] | 0x20);
		lower[a][i] = '\0';
	}
	return lower[a];
}

const char *keymap_scope_title(keymap_scope s)
{
	static const char *const titles[SCOPE_COUNT] = {
		"Everywhere", "Service and action lists", "Parameter form", "Result pane",
		"Typing in a field, a filter or a prompt", "Multirequest builder (its list of requests)",
		"History list (F7)"
	};
	return s < SCOPE_COUNT ? titles[s] : "";
}

kt_action keymap_lookup(keymap_scope scope, const char *key)
{
	kt_action global = ACT_NONE;
	for (size_t i = 0; i < sizeof bindings / sizeof bindings[0]; i++) {
		if (strcmp(bindings[i].key, key) != 0)
			continue;
		if (bindings[i].scope == scope)
			return bindings[i].action;
		if (bindings[i].scope == SCOPE_GLOBAL)
			global = bindings[i].action;
	}
	return global;
}

void keymap_keys_of(keymap_scope scope, kt_action a, char *out, size_t n)
{
	size_t len = 0;
	if (n)
		out[0] = '\0';
	for (size_t i = 0; i < sizeof bindings / sizeof bindings[0]; i++) {
		const keymap_binding *b = &bindings[i];
		if (b->action != a || (b->scope != scope && b->scope != SCOPE_GLOBAL))
			continue;
		/* a scope's own binding of the key hides the global one */
		if (b->scope == SCOPE_GLOBAL && scope != SCOPE_GLOBAL &&
		    keymap_lookup(scope, b->key) != a)
			continue;
		int w = snprintf(out + len, n - len, "%s%s", len ? ", " : "", b->key);
		if (w < 0 || (size_t)w >= n - len) {
			/* list whole keys only, never the start of one cut short */
			if (n)
				out[len] = '\0';
			break;
		}
		len += (size_t)w;
	}
}

size_t keymap_lines(void (*fn)(keymap_scope scope, const char *keys, const char *help, void *ud),
		    void *ud)
{
	size_t lines = 0;
	for (int s = 0; s < SCOPE_COUNT; s++) {
		bool seen[ACT_COUNT] = { false };
		for (size_t i = 0; i < sizeof bindings / sizeof bindings[0]; i++) {
			const keymap_binding *b = &bindings[i];
			if ((int)b->scope != s || seen[b->action])
				continue;
			seen[b->action] = true;
			/* a section lists its own keys; "Everywhere" holds the rest */
			char keys[96];
			size_t len = 0;
			keys[0] = '\0';
			for (size_t j = i; j < sizeof bindings / sizeof bindings[0]; j++) {
				if ((int)bindings[j].scope != s || bindings[j].action != b->action)
					continue;
				int w = snprintf(keys + len, sizeof keys - len, "%s%s",
						 len ? ", " : "", bindings[j].key);
				if (w < 0 || (size_t)w >= sizeof keys - len)
					break;
				len += (size_t)w;
			}
			fn((keymap_scope)s, keys, helps[b->action], ud);
			lines++;
		}
	}
	return lines;
}
