/* picklist: a list to pick from, filtered as the user types: which items pass the filter, the
 * cursor among them and the first one on screen. The console's service and action lists and
 * its chooser share it. Curses-free; the caller owns the items. */
#ifndef KT_PICKLIST_H
#define KT_PICKLIST_H

#include <stdbool.h>
#include <stddef.h>

#include "keymap.h"

#define PICK_NONE ((size_t)-1)

typedef struct picklist {
	size_t *shown;  /* indexes of the items that pass, in item order */
	size_t nshown, cap;
	size_t cur;     /* index into shown */
	size_t top;     /* the first shown row on screen */
} picklist;

void pick_free(picklist *p);
/* Keeps the items i < n that match(i, ud) says pass (all when match is NULL); the cursor
 * stays on the item it was on when that item still passes, else goes to the first. */
void pick_filter(picklist *p, size_t n, bool (*match)(size_t i, void *ud), void *ud);
/* How well name answers a typed word, ignoring case: 0 the same name, 1 a prefix, 2 the start
 * of a word inside it ("Media" of externalMedia, "asset" of caption_asset), 3 anywhere else;
 * -1 not at all. An empty word scores 0. */
int pick_score(const char *name, const char *word);
/* Keeps the items i < n that score(i, ud) >= 0, best score first (ties in item order), and
 * puts the cursor on the best one, as a typed filter wants. */
void pick_rank(picklist *p, size_t n, int (*score)(size_t i, void *ud), void *ud);
/* Puts the cursor on item when it is shown; false when it is not. */
bool pick_select(picklist *p, size_t item);
/* Moves the cursor for UP, DOWN, PAGE_UP, PAGE_DOWN (page rows), TOP, BOTTOM; false for any
 * other action. */
bool pick_move(picklist *p, kt_action a, size_t page);
/* Moves the cursor to shown row i (a click); false when there is no such row. */
bool pick_set(picklist *p, size_t i);
/* Scrolls so that the cursor is one of the rows rows from top. */
void pick_scroll(picklist *p, size_t rows);
/* The item under the cursor, PICK_NONE when nothing passes. */
size_t pick_item(const picklist *p);

#endif
