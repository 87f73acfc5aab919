#include <criterion/criterion.h>
#include <string.h>

#include "picklist.h"

static const char *const names[] = { "appToken", "baseEntry", "category", "categoryUser", "media",
				     "session", "user" };
#define N (sizeof names / sizeof names[0])

static bool contains(size_t i, void *ud)
{
	return strcasestr(names[i], ud) != NULL;
}

Test(picklist, filter_keeps_the_cursor_on_its_item)
{
	picklist p = { 0 };
	cr_assert_eq(pick_item(&p), PICK_NONE, "empty before the first filter");
	pick_filter(&p, N, NULL, NULL);
	cr_assert_eq(p.nshown, N);
	pick_move(&p, ACT_DOWN, 1);
	pick_move(&p, ACT_DOWN, 1);
	cr_assert_str_eq(names[pick_item(&p)], "category");
	pick_filter(&p, N, contains, "cat");
	cr_assert_eq(p.nshown, 2);
	cr_assert_str_eq(names[pick_item(&p)], "category", "still on it");
	pick_filter(&p, N, contains, "USER");
	cr_assert_eq(p.nshown, 2);
	cr_assert_str_eq(names[pick_item(&p)], "categoryUser", "gone: the first that passes");
	pick_filter(&p, N, contains, "nothing");
	cr_assert_eq(p.nshown, 0);
	cr_assert_eq(pick_item(&p), PICK_NONE);
	cr_assert(pick_move(&p, ACT_DOWN, 1), "moving in an empty list is harmless");
	cr_assert_eq(pick_item(&p), PICK_NONE);
	pick_free(&p);
	pick_free(&p);
}

Test(picklist, moves_stay_inside)
{
	picklist p = { 0 };
	pick_filter(&p, N, NULL, NULL);
	cr_assert(pick_move(&p, ACT_UP, 3));
	cr_assert_eq(p.cur, 0);
	pick_move(&p, ACT_PAGE_DOWN, 3);
	cr_assert_eq(p.cur, 3);
	pick_move(&p, ACT_PAGE_DOWN, 3);
	cr_assert_eq(p.cur, N - 1);
	pick_move(&p, ACT_DOWN, 3);
	cr_assert_eq(p.cur, N - 1);
	pick_move(&p, ACT_PAGE_UP, 4);
	cr_assert_eq(p.cur, N - 5);
	pick_move(&p, ACT_PAGE_UP, 0); /* a page of none moves one */
	cr_assert_eq(p.cur, N - 6);
	pick_move(&p, ACT_BOTTOM, 1);
	cr_assert_eq(p.cur, N - 1);
	pick_move(&p, ACT_TOP, 1);
	cr_assert_eq(p.cur, 0);
	cr_assert_not(pick_move(&p, ACT_SEND, 1), "not a move");
	cr_assert(pick_set(&p, 4));
	cr_assert_eq(p.cur, 4);
	cr_assert_not(pick_set(&p, N));
	cr_assert_eq(p.cur, 4);
	pick_free(&p);
}

Test(picklist, scroll_shows_the_cursor)
{
	picklist p = { 0 };
	pick_filter(&p, N, NULL, NULL);
	pick_move(&p, ACT_BOTTOM, 1);
	pick_scroll(&p, 3);
	cr_assert_eq(p.top, N - 3);
	pick_move(&p, ACT_TOP, 1);
	pick_scroll(&p, 3);
	cr_assert_eq(p.top, 0);
	pick_scroll(&p, 0);
	cr_assert_eq(p.top, 0);
	/* a filter that leaves fewer rows pulls top back to the cursor */
	pick_move(&p, ACT_BOTTOM, 1);
	pick_scroll(&p, 2);
	pick_filter(&p, N, contains, "a");
	cr_assert_leq(p.top, p.cur);
	pick_free(&p);
}
