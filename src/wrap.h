/* wrap: text broken into screen rows at word boundaries, for the hints, the help, the welcome
 * panel and every other text view; a word wider than a row is cut. Curses-free, so the 80x24
 * cases are unit-tested. */
#ifndef KT_WRAP_H
#define KT_WRAP_H

#include <stddef.h>

typedef struct wrap_row {
	size_t off, len; /* bytes of the text shown on this row */
	int indent;      /* blank columns before them (a continued line's hanging indent) */
} wrap_row;

/* Rows of text in width columns. Lines ('\n') wrap on their own; a continued line keeps its
 * leading spaces and, after a list mark ("1. ", "- ") or a label followed by two spaces (the
 * help's key column), hangs under the text that follows. *rows is malloc'd (at least one row,
 * even for ""); returns how many. */
size_t wrap_text(const char *text, int width, wrap_row **rows);

#endif
