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

Test(picklist, score_ranks_name_prefix_word_substring)
{
	cr_assert_eq(pick_score("user", "user"), 0);
	cr_assert_eq(pick_score("User", "uSER"), 0);
	cr_assert_eq(pick_score("userRole", "user"), 1);
	cr_assert_eq(pick_score("adminUser", "user"), 2);
	cr_assert_eq(pick_score("caption_asset", "asset"), 2);
	cr_assert_eq(pick_score("externalMedia", "media"), 2);
	cr_assert_eq(pick_score("multimedia", "media"), 3);
	cr_assert_eq(pick_score("businessProcessCase", "cat"), -1);
	cr_assert_eq(pick_score("abc", "abcd"), -1);
	cr_assert_eq(pick_score("abc", ""), 0);
}

static const char *const ranked_names[] = { "adminUser", "externalMedia", "media", "mediaInfo",
					    "multimedia", "user", "userRole" };

static int rank_score(size_t i, void *ud)
{
	return pick_score(ranked_names[i], ud);
}

Test(picklist, rank_puts_the_best_first_and_the_cursor_on_it)
{
	picklist p = { 0 };
	size_t n = sizeof ranked_names / sizeof ranked_names[0];
	pick_filter(&p, n, NULL, NULL);
	pick_move(&p, ACT_BOTTOM, 1);
	pick_rank(&p, n, rank_score, "media");
	/* media (same), mediaInfo (prefix), externalMedia (word), multimedia (inside) */
	cr_assert_eq(p.nshown, 4);
	cr_assert_str_eq(ranked_names[p.shown[0]], "media");
	cr_assert_str_eq(ranked_names[p.shown[1]], "mediaInfo");
	cr_assert_str_eq(ranked_names[p.shown[2]], "externalMedia");
	cr_assert_str_eq(ranked_names[p.shown[3]], "multimedia");
	cr_assert_eq(p.cur, 0);
	cr_assert_eq(p.top, 0);
	pick_rank(&p, n, rank_score, "user");
	cr_assert_str_eq(ranked_names[pick_item(&p)], "user");
	cr_assert_str_eq(ranked_names[p.shown[1]], "userRole");
	cr_assert_str_eq(ranked_names[p.shown[2]], "adminUser");
	cr_assert(pick_select(&p, 0)); /* adminUser */
	cr_assert_eq(p.cur, 2);
	cr_assert_not(pick_select(&p, 1)); /* externalMedia is not shown */
	pick_rank(&p, n, rank_score, "zzz");
	cr_assert_eq(p.nshown, 0);
	cr_assert_eq(pick_item(&p), PICK_NONE);
	pick_free(&p);
}
