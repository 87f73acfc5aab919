/* form: the parameter form of one schema action as data, curses-free so that it is unit-tested.
 * Rows come in TestMe's order: the request fields (format, clientTag, apiVersion, partnerId, ks,
 * language), then one row per action parameter. Objects open their writable properties as
 * nested rows once a type is chosen, and only then, so recursive types never recurse by
 * themselves; arrays hold item rows. Only enabled rows (whose ancestors are enabled too) are
 * sent. Row indices are positions in the flattened tree (pre-order) and change when objects
 * open or items come and go. */
#ifndef KT_FORM_H
#define KT_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "request.h"
#include "schema.h"

#define FORM_NONE ((size_t)-1)

typedef enum {
	FORM_STRING,
	FORM_INT,    /* int and bigint: optional sign and digits, within 64 bits */
	FORM_FLOAT,
	FORM_BOOL,   /* "true"/"false" (typed 1/0 too), sent as 1/0 */
	FORM_ENUM,   /* a constant's name (or its raw value), sent as the value */
	FORM_OBJECT, /* value is the chosen type's name; children are its properties */
	FORM_ARRAY,  /* children are the items */
	FORM_FILE,   /* a path: the file goes as a multipart part (kt_request files) */
	FORM_MAP,    /* edited as a string */
	FORM_FORMAT, /* the request's format: "XML" or "JSON" */
} form_kind;

typedef struct form_row form_row;

/* Read-only outside form.c. */
struct form_row {
	char *name;              /* the last part of the key: "idEqual", "0" for an item */
	char *key;               /* "filter:idEqual"; a request field's own name */
	char *type;              /* as shown in "name (type)" */
	const char *description; /* NULL when none */
	const char *default_value; /* the schema's literal; NULL when none */
	form_kind kind;
	int depth;               /* 0 for request fields and parameters */
	bool field;              /* one of the request fields above the parameters */
	bool item;               /* an array item */
	bool required;           /* a parameter the schema does not mark optional */
	bool enabled;
	bool secret;             /* masked unless revealed: secret, password, ks ... */
	char *value;             /* as typed; objects: the chosen type's name or "" */
	/* the model's own */
	const schema_enum *enumeration;
	const schema_class *decl;   /* an object's declared class, an array's item class */
	const schema_class *chosen; /* an object's type; NULL until chosen */
	char *elem_type;            /* an array's item type */
	form_row *parent, *first, *last, *next;
};

typedef struct form form;

/* The form of a (NULL: the request fields alone). s must outlive the form's use, but
 * form_free() never reads it, so a form may be freed after its schema. */
form *form_new(const schema *s, const schema_action *a);
void form_free(form *f);
const schema_action *form_action(const form *f);

size_t form_count(const form *f);
/* The request fields come first: rows [0, form_nfields) */
size_t form_nfields(const form *f);
const form_row *form_row_at(const form *f, size_t i);
/* A parameter row by wire key ("filter:idEqual"); FORM_NONE when absent. */
size_t form_find(const form *f, const char *key);
/* A request field by name ("ks", "partnerId", "format" ...); FORM_NONE when unknown. */
size_t form_field(const form *f, const char *name);

/* Sets the text of a row and enables it with its ancestors (editing a value enables it), even
 * when the text does not fit the type: the row is then invalid. -1 for objects and arrays. */
int form_set_value(form *f, size_t i, const char *text);
/* Enabling also enables the ancestors; an empty row takes its default; an object without a
 * type takes the first one it may have. The format field stays enabled. */
void form_set_enabled(form *f, size_t i, bool on);
/* The Space key: flips a boolean's value (enabling it); else flips the enable checkbox. */
void form_toggle(form *f, size_t i);
/* Empties the row and disables it. */
void form_clear(form *f, size_t i);

/* The row's value is typed as text (string, numbers, enum, bool, file, map). */
bool form_is_text(const form_row *r);
/* The row's value is picked from a list (enum, bool, object type, format). */
bool form_has_choices(const form_row *r);
/* The list to pick from: *items is a malloc'd array (free it, not its strings) of names that
 * live as long as the schema; *current the entry now chosen (0 when none). 0 when no list. */
size_t form_choices(const form *f, size_t i, const char ***items, size_t *current);
/* Picks entry index of form_choices (enabling the row); for an object, changing the type keeps
 * the properties both types share. -1 when out of range. */
int form_choose(form *f, size_t i, size_t index);
/* The next (dir > 0) or previous choice, wrapping. -1 when the row has no list. */
int form_cycle(form *f, size_t i, int dir);

/* Appends an item to the array at row i, or to the array whose item holds row i; the array is
 * enabled. Returns the new item's row, FORM_NONE when no array is there. */
size_t form_item_add(form *f, size_t i);
/* Removes the item that is row i or holds it; -1 when row i is in no item. */
int form_item_remove(form *f, size_t i);

/* Why text does not fit r's kind ("not an integer"), in buf; NULL when it fits. */
const char *form_check(const form_row *r, const char *text, char *buf, size_t n);
/* form_check of the row's own value when it is enabled or not empty; NULL when valid. */
const char *form_row_invalid(const form_row *r, char *buf, size_t n);
/* Enabled, and every ancestor too: the row goes on the wire. */
bool form_row_sent(const form_row *r);
/* The text shown for the row's value: the value (an enum as "NAME (value)"), an object's type,
 * an array's item count, else the default with *dim set. */
const char *form_row_shown(const form_row *r, char *buf, size_t n, bool *dim);
/* Parameter rows that go on the wire. */
size_t form_enabled_params(const form *f);

/* Copies the request fields' values and checkboxes (the session is shared by every form). */
void form_copy_fields(form *dst, const form *src);
/* Sets and enables every top-level parameter named name; returns how many. */
size_t form_prefill(form *f, const char *name, const char *value);

/* A deep copy of f (objects, their chosen types, array items, values and checkboxes) that
 * lives on its own: editing either leaves the other as it was. drop_secrets empties the values
 * of the rows request_is_secret_name() flags (secret, password, token, ks ...), so the copy can
 * be kept (the request history) without keeping secrets. NULL for NULL. */
form *form_clone(const form *f, bool drop_secrets);
/* Gives dst's secret rows the value and checkbox of src's row of the same key (request fields
 * by name); a secret row src lacks ends empty and disabled. Restoring a snapshot made with
 * drop_secrets leaves the secrets as the current form has them. */
void form_copy_secrets(form *dst, const form *src);

/* Fills out (request_init'd by the caller) with the enabled rows: request fields into its
 * fields, parameters into out->params (objects as objectType plus their enabled properties,
 * an enabled array without items as "name:-", items numbered from 0 in order; a file row as a
 * file to upload, out->files). -1 with
 * KT_E_USAGE "KEY: not an integer" naming the first invalid row, whose index goes to *bad_row
 * (when not NULL). */
int form_build(const form *f, kt_request *out, kt_error *err, size_t *bad_row);
/* The first parameter the schema marks mandatory (optional="0") that is not enabled: -1 with
 * KT_E_USAGE "NAME is mandatory and not set" and its row in *bad_row (when not NULL), as the
 * server would answer MISSING_MANDATORY_PARAMETER. An enabled empty value counts as set (the
 * server takes it). 0 when none is missing. */
int form_check_required(const form *f, kt_error *err, size_t *bad_row);

/* Fills f (a form of r's action) from r, as an import or a saved request gives it: the request
 * fields, then every parameter by its wire key; an object's objectType chooses its type first,
 * array items are added in order, an empty array is enabled without items, a file to upload
 * fills its file row. Keys the form has
 * no row for (or a null, which the form cannot express) are left out: their count is returned
 * and the first few named in skipped ("foo, bar:baz ..."). */
size_t form_fill(form *f, const kt_request *r, char *skipped, size_t n);

#endif
