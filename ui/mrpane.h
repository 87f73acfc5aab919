/* mrpane: the multirequest builder, a mode of the form pane (TestMe's "Multirequest" service
 * option). Its list: the request fields, sent once, then the requests (src/multireq.h) in
 * order; keys add one (its service.action from a chooser), remove and move them. The form pane
 * (form_pane.c) opens the fields or a request's own form, shows and edits it, and asks here for
 * the back-references its field may take. */
#ifndef KT_UI_MRPANE_H
#define KT_UI_MRPANE_H

#include "multireq.h"
#include "ui.h"

typedef struct mrpane mrpane;

/* The list's rows: MRPANE_FIELDS, then item i at row i + 1. */
#define MRPANE_FIELDS ((size_t)-3)

/* open: the form pane opens row's form (MRPANE_FIELDS or an item index). fields_from: the
 * request fields the builder starts with (copied). */
typedef void (*mrpane_open_fn)(console *c, size_t row);
mrpane *mrpane_new(const schema *s, const form *fields_from, mrpane_open_fn open);
void mrpane_free(mrpane *p);

multireq *mrpane_model(mrpane *p);
form *mrpane_fields(mrpane *p);
/* The model and fields become m's and f's (taken over; the old ones are freed). */
void mrpane_replace(mrpane *p, multireq *m, form *f);
/* The row under the cursor: MRPANE_FIELDS or an item index. */
size_t mrpane_selected(const mrpane *p);
void mrpane_select(mrpane *p, size_t row);

void mrpane_draw(console *c, mrpane *p, kt_rect r, bool focused);
/* "multirequest: 2 items" */
void mrpane_title(const mrpane *p, char *buf, size_t n);
/* The list's own actions (moving, MR_ADD, MR_REMOVE, MR_MOVE_*); 0 for the others. */
int mrpane_action(console *c, mrpane *p, kt_action a);
int mrpane_click(console *c, mrpane *p, int row);

/* The back-references item i (0-based) may take: those of every item before it
 * (mr_ref_paths). *out as mr_ref_paths makes it; 0 for the first item. */
size_t mrpane_refs(const mrpane *p, size_t i, char ***out);

/* The session's values (the sandbox's partnerId and secret) into f where nothing was typed, as
 * every form of the endpoint gets them (form_pane.c). */
void form_pane_prefill_form(console *c, form *f);
/* The summary row of request fields ("request: format XML · ks •••") of f at y. */
void form_pane_draw_fields_row(console *c, const form *f, const char *lead, bool sel,
			       bool focused, int y, kt_rect rc);

#endif
