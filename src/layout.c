#include "layout.h"

#include <string.h>

static int clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

bool layout_compute(int rows, int cols, int zoom, layout *out)
{
	memset(out, 0, sizeof *out);
	if (rows < LAYOUT_MIN_ROWS || cols < LAYOUT_MIN_COLS) {
		out->too_small = true;
		return false;
	}
	out->top = (kt_rect){ 0, 0, 1, cols };
	out->status = (kt_rect){ rows - 1, 0, 1, cols };
	int body_y = 1, body_h = rows - 2;
	if (zoom >= 0 && zoom < PANE_COUNT) {
		out->pane[zoom] = (kt_rect){ body_y, 0, body_h, cols };
		return true;
	}
	/* lists on the left: wide enough for "categoryUser" and most action names */
	int left = clamp(cols / 4, 24, 34);
	int svc_h = body_h / 2;
	out->pane[PANE_SERVICES] = (kt_rect){ body_y, 0, svc_h, left };
	out->pane[PANE_ACTIONS] = (kt_rect){ body_y + svc_h, 0, body_h - svc_h, left };
	int rx = left + 1, rw = cols - rx; /* one column of separator */
	if (rw >= 120) {
		out->side_by_side = true;
		int fw = rw / 2;
		out->pane[PANE_FORM] = (kt_rect){ body_y, rx, body_h, fw };
		out->pane[PANE_RESULT] = (kt_rect){ body_y, rx + fw + 1, body_h, rw - fw - 1 };
	} else {
		int fh = body_h * 9 / 20;
		out->pane[PANE_FORM] = (kt_rect){ body_y, rx, fh, rw };
		out->pane[PANE_RESULT] = (kt_rect){ body_y + fh, rx, body_h - fh, rw };
	}
	return true;
}

bool layout_in(const kt_rect *r, int y, int x)
{
	return r->h > 0 && r->w > 0 && y >= r->y && y < r->y + r->h && x >= r->x &&
	       x < r->x + r->w;
}

int layout_hit(const layout *l, int y, int x)
{
	if (l->too_small)
		return -1;
	for (int p = 0; p < PANE_COUNT; p++)
		if (layout_in(&l->pane[p], y, x))
			return p;
	return -1;
}
