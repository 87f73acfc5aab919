/* ui: the ncurses console. Only ui/ includes <curses.h>. The console is a few views (service
 * list, action list, parameter form, result pane) that the core (console.c) knows only through
 * their view_ops (the view table), a top bar, a status line, overlays on a stack (text views,
 * choosers) and a prompt.
 * Models (form, textview, layout, keymap, lineedit) are plain C in src/ with unit tests. */
#ifndef KT_UI_H
#define KT_UI_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include <curses.h>

#include "app/session.h"
#include "err.h"
#include "history.h"
#include "keymap.h"
#include "layout.h"
#include "request.h"
#include "schema.h"
#include "transport.h"

typedef struct console console;

/* What a handler did; 0 = not handled (the key or action goes on to the next handler). */
enum { H_HANDLED = 1, H_REDRAW = 2, H_QUIT = 4,
       H_PASS = 8 /* an overlay closed on a key whose GLOBAL action still runs */ };

/* A key as read: ch is a character (fn false) or a curses KEY_* code (fn true); name is its
 * keymap name ("F5", "C-r", "Enter", "Backspace", "Space", "a", "é") or "" when it has none. */
typedef struct ui_key {
	wint_t ch;
	bool fn;
	char name[24];
} ui_key;

/* true when the key is a character to insert as text (not a control, not a function key). */
bool ui_key_is_text(const ui_key *k);

/* What happened that views may care about (console_notify): views never call each other. */
typedef enum {
	EV_ACTION_CHOSEN,  /* c->service / c->action changed (the lists, or a history restore) */
	EV_RESULT_ARRIVED, /* c->res changed (a call finished, a history restore); c->res_pretty
			    * may hold its pretty text, for the taking */
	EV_SESSION_CHANGED,/* c->session is another endpoint's (c->session_prev the one left) */
	EV_SCHEMA_CHANGED, /* c->schema is another */
} ui_event;

/* A view: a table of operations and its private data (c->view[pane]), which the core makes
 * with open and ends with close; it learns of the rest through notify. */
typedef struct view_ops {
	keymap_scope scope;
	/* the scope now, when the view has modes (the multirequest builder's list); NULL: scope */
	keymap_scope (*scope_now)(const console *c);
	void *(*open)(console *c);
	void (*close)(console *c, void *data);
	void (*notify)(console *c, ui_event ev);
	/* r is the content rectangle (the title row above it is drawn by the core) */
	void (*draw)(console *c, kt_rect r, bool focused);
	/* the title shown above the pane, e.g. "Result: category.get · HTTP 200" */
	void (*title)(const console *c, char *buf, size_t n);
	/* an action bound to a key in this scope or GLOBAL; 0 lets the core handle it */
	int (*action)(console *c, kt_action a);
	/* a key that no binding took, or, while editing() is true, every key but F-keys and
	 * Ctrl-Q/Ctrl-R: letters typed into a field are always text */
	int (*key)(console *c, const ui_key *k);
	/* a mouse click inside the content rectangle, row and col relative to it */
	int (*click)(console *c, int row, int col);
	bool (*editing)(const console *c);
	/* a bracketed paste (text, never commands); NULL: this pane takes no text */
	int (*paste)(console *c, const char *text, size_t len);
} view_ops;

/* The view table's entries (console.c lists them, one per pane of the layout). */
extern const view_ops services_view, actions_view, form_view, result_view;

/* The last result, owned by the core, read by the result pane: the record the history keeps
 * (src/history.h); title is NULL before the first result. */
typedef history_result console_result;

struct overlays;

struct console {
	/* readable by every pane */
	schema *schema;
	const schema_service *service; /* selected in the lists; NULL before a choice */
	const schema_action *action;
	/* "multirequest" is chosen (action NULL): the form pane is the multirequest builder */
	bool multireq;
	console_result res;
	struct session *session; /* the endpoint's (src/app/session.h); owned by the core */
	struct session *session_prev; /* the one left, during EV_SESSION_CHANGED */
	char *res_pretty;   /* res's pretty text from the call's one parse, until a view takes it */
	bool reveal;        /* secrets shown in clear (F3) */
	bool sending;       /* a call is running */
	int rows, cols;
	layout lay;
	int focus;          /* kt_pane */
	void *view[PANE_COUNT]; /* each view's private data, from its open */
	/* the core's own (console.c) and its overlays (overlay.c) */
	struct console_core *core;
	struct overlays *overlays;
};

/* Services the core offers to panes. */
typedef enum { MSG_INFO, MSG_OK, MSG_WARN, MSG_ERROR } msg_kind;
void console_status(console *c, msg_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A modal list to pick from (enum constants, object types, regions), in overlay.c. cb gets the
 * chosen index, or -1 on Esc. items are copied. */
typedef void (*console_choose_cb)(console *c, int index, void *ud);
void console_choose(console *c, const char *title, const char *const *items, size_t n,
		    size_t current, console_choose_cb cb, void *ud);
/* Keys of scope for the chooser opened last: the action a key has there (or globally) goes to
 * cb with the item under the cursor (its index among the items given, -1 when none), before
 * the chooser's own keys; cb says what becomes of the list, or CHOOSE_IGNORE to leave the key
 * to the chooser. hint replaces the line atop the list. */
typedef enum { CHOOSE_IGNORE, CHOOSE_KEEP, CHOOSE_DROP, CHOOSE_CLOSE } choose_after;
typedef choose_after (*console_choose_act_cb)(console *c, int index, kt_action a, void *ud);
void console_choose_actions(console *c, keymap_scope scope, console_choose_act_cb cb,
			    const char *hint);
/* A text view over the panes (overlay.c): word-wrapped, scrolling, closed by Esc; the last
 * result stays as it was. save_as: the file name s offers (NULL: no saving). */
enum {
	TEXT_COPY = 1,      /* y copies the text (OSC 52) */
	TEXT_PASS_KEYS = 2, /* a key that closes it still does what it does (the welcome panel) */
	TEXT_KEYS = 4,      /* the help: unindented lines are headings */
	TEXT_WELCOME = 8,   /* the welcome panel: its first line and steps stand out */
	TEXT_PASS_CTRL = 16,/* a Ctrl key of a GLOBAL action closes it and does that (the KS
			     * inspector's C-n, C-y) */
};
void console_show_text(console *c, const char *title, const char *text, const char *save_as,
		       unsigned flags);
/* A one-line prompt in the status line (overlay.c); cb gets the text, or NULL on Esc. */
typedef void (*console_prompt_cb)(console *c, const char *text, void *ud);
void console_prompt(console *c, const char *label, const char *initial, console_prompt_cb cb,
		    void *ud);
/* The prompt for a password or a secret: a '*' shows for each character, never the text; the
 * text cb gets is wiped when cb returns (cb copies what it keeps, and wipes that too). */
void console_prompt_secret(console *c, const char *label, console_prompt_cb cb, void *ud);
/* Makes url (named name; NULL for a custom URL) the console's endpoint, as F2 does, with no
 * credentials of the environment's (a profile's switch). */
void console_set_endpoint(console *c, const char *name, const char *url);
/* Sends the form's request, as F5 does. */
void console_send(console *c);
/* A workflow's request (the app-token flow, sign-in, the privacy contexts), sent the way F5
 * sends: the loop answers keys while it runs and Esc cancels it. Takes req over. done gets the
 * outcome (out->failed when it could not even start; the result pane and the history are not
 * touched), or out NULL when it was cancelled (Esc, an endpoint switch, the end of the run);
 * a flow chains by starting its next request from done. One at a time, and not beside an F5
 * request: false (and done is not called) when one runs. */
struct call_outcome;
typedef void (*console_flow_cb)(console *c, const struct call_outcome *out, void *ud);
bool console_flow(console *c, kt_request *req, console_flow_cb done, void *ud);
/* Puts a KS into the session field (and says so); NULL empties it. */
void console_set_ks(console *c, const char *ks);
/* Makes url (named name: "eu", "local"; NULL for a custom URL) the endpoint: its session
 * becomes c->session, made on first use; the forms' secrets and KS switch with it. */
void console_use_endpoint(console *c, const char *name, const char *url);
/* Bytes written to the terminal as they are after the next screen update (OSC 52). */
void console_emit(console *c, const char *bytes, size_t n);
/* Where the terminal cursor should blink after this draw (an edited field); else hidden. */
void console_cursor(console *c, int y, int x);
/* Moves the focus (to the form after choosing an action, for instance). */
void console_focus(console *c, kt_pane p);
/* Tells every view (ui_event). */
void console_notify(console *c, ui_event ev);
/* The endpoint's service URL. */
const char *console_url(const console *c);
/* The transfer options (--insecure, --timeout ...) every call of the console uses. */
const tp_opts *console_net(const console *c);

/* The form (form_pane.c): the request as the user builds it, which the core reads and fills.
 * It follows c->action (EV_ACTION_CHOSEN), c->session (EV_SESSION_CHANGED: the forms keep
 * what was typed, but their secrets, passwords, tokens and KS are kept aside for the endpoint
 * left and replaced by the new one's, or emptied) and c->schema. */
/* The request from the enabled fields (service and action set). -1 with err when a field is
 * invalid: the message names the field, and the form marks it and moves to it. */
int form_pane_build(console *c, kt_request *req, kt_error *err);
/* -1 with the first missing mandatory parameter selected and named in err (form_check_required). */
int form_pane_required(console *c, kt_error *err);
/* Replaces the current action's form with one filled from r (form_fill); the request fields
 * the session set stay unless r has them. Returns how many of r's keys had no row. */
size_t form_pane_fill(console *c, const kt_request *r, char *skipped, size_t n);
/* The request fields above the parameters: "ks", "partnerId", "clientTag", "apiVersion",
 * "format" ("XML"/"JSON"), "language". Setting one enables it. */
void form_pane_set_field(console *c, const char *name, const char *value);
const char *form_pane_field(const console *c, const char *name); /* NULL when disabled/empty */
/* A value for a parameter of that name in every form of the session's endpoint (enabled where
 * nothing was typed): the sandbox's partnerId and secret, so the walkthrough needs no typing of
 * secrets. Kept in the session (memory only). */
void form_pane_prefill(console *c, const char *param, const char *value);

/* The multirequest builder (form_pane.c, mrpane.c): its number of items while it is the form
 * shown, else 0. */
size_t form_pane_multireq(const console *c);
/* Makes the builder the form, its items rebuilt from a multirequest r (mr_from_request; the
 * secrets come from the session, as for one request). -1 with err (the builder unchanged). */
int form_pane_restore_multireq(console *c, const kt_request *r, kt_error *err);

/* A copy of the current form without the secrets' values (form_clone(f, true)), for the
 * request history; the caller frees it. */
struct form *form_pane_snapshot(console *c);
/* Makes snap's action the form shown and gives it snap's values; its secret rows (and the
 * session's KS) stay as the current form has them. */
void form_pane_restore(console *c, const struct form *snap);


/* Drawing helpers (draw.c). */
typedef enum {
	UI_NORMAL,
	UI_TITLE,        /* a pane's title row */
	UI_TITLE_FOCUS,  /* the focused pane's title row */
	UI_CURSOR,       /* the selected row in the focused pane */
	UI_CURSOR_DIM,   /* the selected row elsewhere */
	UI_DIM,          /* defaults, descriptions, disabled fields */
	UI_WARN,         /* ADMIN sessions, deprecated */
	UI_ERROR,
	UI_OK,
	UI_KEY,          /* key names in hints and help */
	UI_TAG,          /* XML element names, JSON keys */
	UI_ATTR,         /* XML attributes */
	UI_STRING,
	UI_NUMBER,
	UI_PUNCT,
	UI_MATCH,        /* search hits */
	UI_MARK,         /* selected lines */
	UI_INVALID,      /* a field whose value does not fit its type */
	UI_COUNT
} ui_role;
attr_t ui_attr(ui_role r);
void ui_colors_init(void); /* once, after initscr; honours NO_COLOR */
/* Draws UTF-8 text at y,x in at most w columns (control characters as '?'); len (size_t)-1
 * means strlen. Returns the columns drawn. */
int ui_text(int y, int x, int w, const char *s, size_t len, attr_t a);
/* Fills w columns with spaces. */
void ui_fill(int y, int x, int w, attr_t a);

#endif
