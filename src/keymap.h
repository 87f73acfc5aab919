/* keymap: the console's actions and key bindings from src/actions.def, curses-free so that the
 * help screen, `ktestme keys` and the man-page test all read the same table the console binds. */
#ifndef KT_KEYMAP_H
#define KT_KEYMAP_H

#include <stddef.h>
#include <stdio.h>

typedef enum {
	ACT_NONE = 0,
#define ACT(name, help) ACT_##name,
#include "actions.def"
	ACT_COUNT
} kt_action;

typedef enum {
	SCOPE_GLOBAL,
	SCOPE_LIST,
	SCOPE_FORM,
	SCOPE_RESULT,
	SCOPE_TEXT, /* typing in a field, a filter or a prompt */
	SCOPE_MULTIREQ, /* the multirequest builder's list of requests (it takes no text) */
	SCOPE_HISTORY, /* the history list (F7), over its filter */
	SCOPE_COUNT
} keymap_scope;

typedef struct keymap_binding {
	keymap_scope scope;
	const char *key; /* "F5", "C-r", "S-Tab", "k" ... */
	kt_action action;
} keymap_binding;

const keymap_binding *keymap_bindings(size_t *n);
/* "Send the request ..." */
const char *keymap_help(kt_action a);
/* "send", "search-next": lower case, for text dumps */
const char *keymap_name(kt_action a);
/* "Everywhere", "Lists", "Form", "Result pane" */
const char *keymap_scope_title(keymap_scope s);

/* The action bound to key in scope, else in GLOBAL; ACT_NONE when none. key is a name as in the
 * table. */
kt_action keymap_lookup(keymap_scope scope, const char *key);
/* The keys bound to a in scope (GLOBAL bindings included), joined with ", " into out. */
void keymap_keys_of(keymap_scope scope, kt_action a, char *out, size_t n);

/* One call per action bound in a scope, scopes in order, with the keys bound to it in that very
 * scope joined with ", ". The help screen and `ktestme keys` are made from it. Returns the
 * number of calls. */
size_t keymap_lines(void (*fn)(keymap_scope scope, const char *keys, const char *help, void *ud),
		    void *ud);

#endif
