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
