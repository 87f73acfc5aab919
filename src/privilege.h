/* privilege: what each KS privilege means (KALTURA.md section 4), and the privilege builder's
 * model: a checklist parsed from a privileges string and composed back into one. */
#ifndef KT_PRIVILEGE_H
#define KT_PRIVILEGE_H

#include <stdbool.h>

#include "err.h"

/* What a privilege's value is. */
typedef enum {
	PRIV_FLAG,   /* no value: disableentitlement */
	PRIV_TEXT,   /* any text: privacycontext:MediaSpace */
	PRIV_IDS,    /* ids joined with '/', or '*': sview:0_a/0_b */
	PRIV_COUNT,  /* a positive integer: actionslimit:10 */
	PRIV_APPID,  /* NAME-DOMAIN: appid:myapp-example.com */
} priv_kind;

enum {
	PRIV_READONLY = 1, /* set by the server (sessionid, apptoken): shown, never composed by hand */
	PRIV_MAIN = 2,     /* in the builder's list from the start; the others once present */
};

typedef struct priv_spec {
	const char *name;
	priv_kind kind;
	const char *value_hint;  /* "ENTRY|*", NULL for flags */
	const char *meaning;     /* one sentence; VALUE stands for the value */
	unsigned flags;
} priv_spec;

/* The privileges Kaltura's server knows, in the builder's order. */
const priv_spec *priv_specs(int *n);
const priv_spec *priv_find(const char *name);

/* One sentence on what name (with value, "" or NULL for none) does in a KS; unknown names say
 * the server passes them through. malloc'd. */
char *priv_explain(const char *name, const char *value);

/* Checks one item as the builder would compose it: a name without ',' ':' or blanks, a value
 * without ',' and of the privilege's kind. KT_E_USAGE with one sentence otherwise. */
int priv_check(const char *name, const char *value, kt_error *err);

/* The string with name set to value (added at the end, or replaced in place); the other items
 * keep their order. value NULL or "" for a flag. malloc'd. */
char *priv_with(const char *privileges, const char *name, const char *value);
/* Whether the privileges hold name (exactly, not as a prefix). */
bool priv_has(const char *privileges, const char *name);

/* The builder: one row per known privilege (the PRIV_MAIN ones) and one per item of the string
 * it was opened on, known or not. */
typedef struct priv_row {
	const priv_spec *spec;   /* NULL: a name the server does not know */
	char *name;
	char *value;             /* "" when none */
	bool on;
	int order;               /* position in the composed string */
} priv_row;

typedef struct priv_builder {
	priv_row *rows;
	int n;
	int next_order;
} priv_builder;

/* Parses privileges as the server does ("*" is all:*, a repeated name keeps its last value). */
void priv_builder_init(priv_builder *b, const char *privileges);
void priv_builder_free(priv_builder *b);
/* The items that are on, in the order they were typed or turned on. malloc'd. */
char *priv_builder_compose(const priv_builder *b);
/* Turns a row on or off. A read-only row refuses; a row that needs a value refuses to turn on
 * without one. disableentitlement and enableentitlement exclude each other. */
int priv_builder_toggle(priv_builder *b, int row, kt_error *err);
/* Sets a row's value (checked) and turns it on. */
int priv_builder_set(priv_builder *b, int row, const char *value, kt_error *err);
/* A privilege typed by name: an existing row is set, a new one appended. Returns its row. */
int priv_builder_add(priv_builder *b, const char *name, const char *value, kt_error *err);
int priv_builder_find(const priv_builder *b, const char *name);
/* The checklist line of a row: "[x] name:value  meaning", "[ ] name:HINT  meaning", "[=]" for
 * one the server set. malloc'd. */
char *priv_builder_line(const priv_builder *b, int row);

#endif
