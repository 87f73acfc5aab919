/* layout: where each part of the console goes for a terminal size. Pure arithmetic, so the
 * smallest and oddest sizes can be unit-tested without a terminal. */
#ifndef KT_LAYOUT_H
#define KT_LAYOUT_H

#include <stdbool.h>

#define LAYOUT_MIN_COLS 80
#define LAYOUT_MIN_ROWS 24

typedef struct kt_rect {
	int y, x, h, w;
} kt_rect;

typedef enum {
	PANE_SERVICES,
	PANE_ACTIONS,
	PANE_FORM,
	PANE_RESULT,
	PANE_COUNT
} kt_pane;

typedef struct layout {
	bool too_small;           /* below 80x24: only the "enlarge" message */
	bool side_by_side;        /* form and result next to each other (wide terminals) */
	kt_rect top;              /* the bar: endpoint, partner, KS status */
	kt_rect status;           /* the last line: messages, prompts, key hints */
	kt_rect pane[PANE_COUNT]; /* each includes its one-line title at its top row */
} layout;

/* Lays out rows x cols; zoom is the pane that takes the whole body, or -1. Panes that do not
 * show (zoomed out) get h = w = 0. Returns !too_small. */
bool layout_compute(int rows, int cols, int zoom, layout *out);
/* The pane whose rectangle holds the cell, or -1. */
int layout_hit(const layout *l, int y, int x);
/* true when the cell is inside r */
bool layout_in(const kt_rect *r, int y, int x);

#endif
