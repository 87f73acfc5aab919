#include "wrap.h"

#include <criterion/criterion.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hint.h"
#include "lineedit.h"

static void setup(void)
{
	setlocale(LC_ALL, "C.UTF-8");
}

TestSuite(wrap, .init = setup);

/* The rows as strings, "|"-joined, with their indents as spaces. */
static char *joined(const char *text, int width)
{
	wrap_row *r;
	size_t n = wrap_text(text, width, &r);
	char *out = calloc(1, strlen(text) * 4 + n * (size_t)width + 16);
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(out, "|");
		for (int k = 0; k < r[i].indent; k++)
			strcat(out, " ");
		strncat(out, text + r[i].off, r[i].len);
		cr_assert_leq(r[i].indent + le_width(text + r[i].off, r[i].len), width, "row %zu", i);
	}
	free(r);
	return out;
}

Test(wrap, breaks_at_spaces_never_inside_a_word)
{
	char *s = joined("the quick brown fox jumps", 10);
	cr_assert_str_eq(s, "the quick|brown fox|jumps");
	free(s);
	s = joined("short", 10);
	cr_assert_str_eq(s, "short");
	free(s);
	/* a word longer than the row is cut */
	s = joined("abcdefghijkl xy", 5);
	cr_assert_str_eq(s, "abcde|fghij|kl xy");
	free(s);
	/* lines wrap on their own; empty lines stay */
	s = joined("one two\n\nthree", 5);
	cr_assert_str_eq(s, "one|two||three");
	free(s);
	/* wide characters count two columns */
	s = joined("日本語 日本語", 7);
	cr_assert_str_eq(s, "日本語|日本語");
	free(s);
}

Test(wrap, hanging_indents)
{
	char *s = joined(" 1. Choose the service session", 16);
	cr_assert_str_eq(s, " 1. Choose the|    service|    session");
	free(s);
	s = joined("  F5, C-r   Send the request now", 22);
	cr_assert_str_eq(s, "  F5, C-r   Send the|            request|            now");
	free(s);
}

/* At 80x24 the result pane is about 54 columns: every word of the entitlement hint is whole. */
Test(wrap, the_entitlement_hint_reads_whole_at_80x24)
{
	const char *h = hint_for_error("CATEGORY_NOT_FOUND", NULL, NULL);
	char buf[512];
	snprintf(buf, sizeof buf, "Hint: %s", h);
	char *s = joined(buf, 54);
	cr_assert(strstr(s, "disableentitlement"), "%s", s);
	/* every word of the hint is on one row */
	char *copy = strdup(buf);
	for (char *w = strtok(copy, " "); w; w = strtok(NULL, " "))
		cr_assert(strstr(s, w), "'%s' is cut in %s", w, s);
	free(copy);
	free(s);
}
