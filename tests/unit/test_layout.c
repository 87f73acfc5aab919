#include <criterion/criterion.h>
#include <stdbool.h>
#include <string.h>

#include "layout.h"

static bool empty(const kt_rect *r)
{
	return r->h <= 0 || r->w <= 0;
}

static bool inside(const kt_rect *r, int rows, int cols)
{
	return r->y >= 0 && r->x >= 0 && r->y + r->h <= rows && r->x + r->w <= cols;
}

static bool overlap(const kt_rect *a, const kt_rect *b)
{
	if (empty(a) || empty(b))
		return false;
	return a->y < b->y + b->h && b->y < a->y + a->h && a->x < b->x + b->w &&
	       b->x < a->x + a->w;
}

/* Rows count from the rectangles' cells: each cell of the screen is in at most one of them. */
static void check_invariants(const layout *l, int rows, int cols, int zoom)
{
	cr_assert_not(l->too_small, "%dx%d", cols, rows);
	cr_assert_eq(l->top.y, 0);
	cr_assert_eq(l->top.x, 0);
	cr_assert_eq(l->top.h, 1);
	cr_assert_eq(l->top.w, cols);
	cr_assert_eq(l->status.y, rows - 1, "%dx%d", cols, rows);
	cr_assert_eq(l->status.x, 0);
	cr_assert_eq(l->status.h, 1);
	cr_assert_eq(l->status.w, cols);
	const kt_rect *all[PANE_COUNT + 2] = { &l->top, &l->status };
	for (int p = 0; p < PANE_COUNT; p++)
		all[p + 2] = &l->pane[p];
	for (int i = 0; i < PANE_COUNT + 2; i++) {
		cr_assert(inside(all[i], rows, cols), "rect %d outside %dx%d: %d,%d %dx%d", i, cols,
			  rows, all[i]->y, all[i]->x, all[i]->w, all[i]->h);
		for (int j = i + 1; j < PANE_COUNT + 2; j++)
			cr_assert_not(overlap(all[i], all[j]), "rects %d and %d overlap at %dx%d", i,
				      j, cols, rows);
	}
	int body = rows - 2;
	if (zoom >= 0) {
		for (int p = 0; p < PANE_COUNT; p++) {
			const kt_rect *r = &l->pane[p];
			if (p == zoom) {
				cr_assert_eq(r->y, 1);
				cr_assert_eq(r->x, 0);
				cr_assert_eq(r->h, body);
				cr_assert_eq(r->w, cols);
			} else {
				cr_assert(r->h == 0 && r->w == 0, "pane %d shows while %d is zoomed", p,
					  zoom);
			}
		}
		return;
	}
	for (int p = 0; p < PANE_COUNT; p++) {
		/* a title row and at least two lines of content */
		cr_assert(l->pane[p].h >= 3 && l->pane[p].w >= 20, "pane %d at %dx%d: %dx%d", p,
			  cols, rows, l->pane[p].w, l->pane[p].h);
		cr_assert(l->pane[p].y >= 1 && l->pane[p].y + l->pane[p].h <= rows - 1);
	}
	const kt_rect *s = &l->pane[PANE_SERVICES], *a = &l->pane[PANE_ACTIONS];
	const kt_rect *f = &l->pane[PANE_FORM], *r = &l->pane[PANE_RESULT];
	/* the lists stack in the left column and fill the body */
	cr_assert_eq(s->x, 0);
	cr_assert_eq(a->x, 0);
	cr_assert_eq(s->w, a->w);
	cr_assert_eq(s->y, 1);
	cr_assert_eq(a->y, s->y + s->h);
	cr_assert_eq(s->h + a->h, body, "%dx%d", cols, rows);
	/* the form and result take the rest, right of the lists */
	cr_assert(f->x > s->x + s->w - 1 && r->x > s->x + s->w - 1);
	cr_assert_eq(f->y, 1);
	if (l->side_by_side) {
		cr_assert_eq(f->h, body);
		cr_assert_eq(r->h, body);
		cr_assert_eq(r->y, 1);
		cr_assert(r->x >= f->x + f->w);
		cr_assert_eq(r->x + r->w, cols, "the result reaches the right edge");
	} else {
		cr_assert_eq(f->x, r->x);
		cr_assert_eq(f->w, r->w);
		cr_assert_eq(r->y, f->y + f->h);
		cr_assert_eq(f->h + r->h, body, "%dx%d", cols, rows);
		cr_assert_eq(f->x + f->w, cols);
	}
	/* at most one column of separator between the lists and the rest */
	cr_assert(f->x - (s->x + s->w) <= 1);
}

Test(layout, minimum_size_fits)
{
	layout l;
	cr_assert(layout_compute(LAYOUT_MIN_ROWS, LAYOUT_MIN_COLS, -1, &l));
	check_invariants(&l, LAYOUT_MIN_ROWS, LAYOUT_MIN_COLS, -1);
	cr_assert_not(l.side_by_side, "80 columns are too narrow for two columns of content");
	cr_assert_eq(LAYOUT_MIN_ROWS, 24);
	cr_assert_eq(LAYOUT_MIN_COLS, 80);
}

Test(layout, below_minimum_is_too_small)
{
	static const int sizes[][2] = { { 24, 79 }, { 23, 80 }, { 23, 79 }, { 0, 0 },
					{ 1, 200 }, { 100, 10 }, { -5, 80 }, { 24, -80 } };
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		layout l;
		memset(&l, 0x5a, sizeof l);
		cr_assert_not(layout_compute(sizes[i][0], sizes[i][1], -1, &l), "%dx%d",
			      sizes[i][1], sizes[i][0]);
		cr_assert(l.too_small);
		cr_assert_not(l.side_by_side);
		for (int p = 0; p < PANE_COUNT; p++)
			cr_assert(empty(&l.pane[p]), "no pane shows when too small");
		cr_assert_eq(layout_hit(&l, 0, 0), -1);
		cr_assert_eq(layout_hit(&l, 5, 5), -1);
		/* zooming does not make a small screen usable either */
		cr_assert_not(layout_compute(sizes[i][0], sizes[i][1], PANE_RESULT, &l));
	}
}

Test(layout, medium_size)
{
	layout l;
	cr_assert(layout_compute(30, 100, -1, &l));
	check_invariants(&l, 30, 100, -1);
	cr_assert_not(l.side_by_side);
	/* a bigger screen gives no pane less than the minimum does */
	layout m;
	layout_compute(24, 80, -1, &m);
	for (int p = 0; p < PANE_COUNT; p++)
		cr_assert(l.pane[p].h >= m.pane[p].h && l.pane[p].w >= m.pane[p].w, "pane %d", p);
}

Test(layout, very_wide_is_side_by_side)
{
	layout l;
	cr_assert(layout_compute(60, 250, -1, &l));
	check_invariants(&l, 60, 250, -1);
	cr_assert(l.side_by_side);
	const kt_rect *f = &l.pane[PANE_FORM], *r = &l.pane[PANE_RESULT];
	cr_assert_eq(f->y, r->y);
	cr_assert(r->x > f->x);
	/* the two halves differ by at most a column or two */
	int d = f->w - r->w;
	cr_assert(d >= -2 && d <= 2, "form %d result %d", f->w, r->w);
	/* the lists do not grow without bound */
	cr_assert(l.pane[PANE_SERVICES].w < 250 / 3);
}

Test(layout, zoom_gives_the_body_to_one_pane)
{
	static const int sizes[][2] = { { 24, 80 }, { 30, 100 }, { 60, 250 } };
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		for (int z = 0; z < PANE_COUNT; z++) {
			layout l;
			cr_assert(layout_compute(sizes[i][0], sizes[i][1], z, &l));
			check_invariants(&l, sizes[i][0], sizes[i][1], z);
			cr_assert_eq(layout_hit(&l, sizes[i][0] / 2, sizes[i][1] / 2), z);
			cr_assert_eq(layout_hit(&l, 1, 0), z);
			cr_assert_eq(layout_hit(&l, sizes[i][0] - 2, sizes[i][1] - 1), z);
		}
	}
}

Test(layout, zoom_out_of_range_is_no_zoom)
{
	layout plain, l;
	layout_compute(30, 100, -1, &plain);
	static const int zooms[] = { -2, PANE_COUNT, PANE_COUNT + 7, 1000 };
	for (size_t i = 0; i < sizeof zooms / sizeof zooms[0]; i++) {
		cr_assert(layout_compute(30, 100, zooms[i], &l));
		check_invariants(&l, 30, 100, -1);
		cr_assert_eq(memcmp(&l.pane, &plain.pane, sizeof l.pane), 0, "zoom %d", zooms[i]);
	}
}

Test(layout, hit_finds_each_pane)
{
	static const int sizes[][2] = { { 24, 80 }, { 30, 100 }, { 60, 250 } };
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		int rows = sizes[i][0], cols = sizes[i][1];
		layout l;
		layout_compute(rows, cols, -1, &l);
		for (int p = 0; p < PANE_COUNT; p++) {
			const kt_rect *r = &l.pane[p];
			/* corners and centre of each pane */
			cr_assert_eq(layout_hit(&l, r->y, r->x), p);
			cr_assert_eq(layout_hit(&l, r->y + r->h - 1, r->x + r->w - 1), p);
			cr_assert_eq(layout_hit(&l, r->y + r->h / 2, r->x + r->w / 2), p);
			cr_assert(layout_in(r, r->y, r->x));
			cr_assert_not(layout_in(r, r->y - 1, r->x));
			cr_assert_not(layout_in(r, r->y, r->x + r->w));
			cr_assert_not(layout_in(r, r->y + r->h, r->x));
		}
		/* the bars and the outside belong to no pane */
		for (int x = 0; x < cols; x++) {
			cr_assert_eq(layout_hit(&l, 0, x), -1, "top bar at %d", x);
			cr_assert_eq(layout_hit(&l, rows - 1, x), -1, "status at %d", x);
		}
		cr_assert_eq(layout_hit(&l, -1, 0), -1);
		cr_assert_eq(layout_hit(&l, 1, -1), -1);
		cr_assert_eq(layout_hit(&l, rows, 0), -1);
		cr_assert_eq(layout_hit(&l, 1, cols), -1);
		cr_assert_eq(layout_hit(&l, 10000, 10000), -1);
		/* every body cell that is not a separator is in exactly the pane that holds it */
		for (int y = 1; y < rows - 1; y++)
			for (int x = 0; x < cols; x++) {
				int hit = layout_hit(&l, y, x), in = 0;
				for (int p = 0; p < PANE_COUNT; p++)
					in += layout_in(&l.pane[p], y, x);
				cr_assert_eq(in, hit >= 0 ? 1 : 0, "%d,%d", y, x);
			}
	}
}

Test(layout, in_rejects_empty_rects)
{
	kt_rect r = { 3, 4, 0, 10 };
	cr_assert_not(layout_in(&r, 3, 4));
	r = (kt_rect){ 3, 4, 5, 0 };
	cr_assert_not(layout_in(&r, 3, 4));
	r = (kt_rect){ 3, 4, 1, 1 };
	cr_assert(layout_in(&r, 3, 4));
	cr_assert_not(layout_in(&r, 3, 5));
	cr_assert_not(layout_in(&r, 4, 4));
}

Test(layout, sweep_of_sizes)
{
	int wide_before = 0;
	for (int cols = LAYOUT_MIN_COLS; cols <= 300; cols++) {
		int side = -1;
		for (int rows = LAYOUT_MIN_ROWS; rows <= 100; rows++) {
			layout l;
			cr_assert(layout_compute(rows, cols, -1, &l), "%dx%d", cols, rows);
			check_invariants(&l, rows, cols, -1);
			/* side by side depends on the width alone */
			if (side < 0)
				side = l.side_by_side;
			cr_assert_eq(side, l.side_by_side, "%dx%d", cols, rows);
			/* the visible cells add up: bars, panes and at most the separators */
			long cells = 2L * cols;
			for (int p = 0; p < PANE_COUNT; p++)
				cells += (long)l.pane[p].h * l.pane[p].w;
			cr_assert(cells <= (long)rows * cols && cells >= (long)rows * cols - 2L * rows,
				  "%dx%d covers %ld cells", cols, rows, cells);
		}
		/* once wide enough for two columns, wider stays two columns */
		if (wide_before)
			cr_assert(side, "%d columns stack again", cols);
		wide_before = side;
	}
	cr_assert(wide_before, "300 columns put form and result side by side");
}
