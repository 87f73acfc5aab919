#include <criterion/criterion.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "lineedit.h"

/* Multibyte input needs a UTF-8 locale, as the console sets one from the environment. */
static void utf8_locale(void)
{
	cr_assert_not_null(setlocale(LC_ALL, "C.UTF-8"), "no C.UTF-8 locale");
}

TestSuite(lineedit, .init = utf8_locale);

static void assert_text(const lineedit *e, const char *text, size_t cur)
{
	cr_assert_str_eq(e->buf, text);
	cr_assert_eq(e->len, strlen(text));
	cr_assert_eq(e->cur, cur, "cursor %zu, expected %zu in \"%s\"", e->cur, cur, e->buf);
	cr_assert(e->len < e->cap);
}

/* Makes a copy in a heap block of exactly its length, so ASan sees any read past the end. */
static char *exact(const char *s, size_t n)
{
	char *p = malloc(n + 1);
	cr_assert_not_null(p);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

Test(lineedit, init_and_set)
{
	lineedit e;
	le_init(&e, NULL);
	assert_text(&e, "", 0);
	le_set(&e, "hello");
	assert_text(&e, "hello", 5);
	le_set(&e, NULL);
	assert_text(&e, "", 0);
	le_free(&e);
	cr_assert_null(e.buf);
	le_free(&e); /* twice is harmless */
	le_init(&e, "0_Id");
	assert_text(&e, "0_Id", 4);
	le_free(&e);
}

Test(lineedit, insert_ascii_at_the_cursor)
{
	lineedit e;
	le_init(&e, NULL);
	le_insert(&e, L'a');
	le_insert(&e, L'c');
	assert_text(&e, "ac", 2);
	cr_assert(le_key(&e, "Left"));
	le_insert(&e, L'b');
	assert_text(&e, "abc", 2);
	le_key(&e, "Home");
	le_insert(&e, L' ');
	assert_text(&e, " abc", 1);
	le_free(&e);
}

Test(lineedit, grows_past_its_first_block)
{
	lineedit e;
	le_init(&e, NULL);
	char want[1001];
	for (int i = 0; i < 1000; i++) {
		le_insert(&e, (wchar_t)('a' + i % 26));
		want[i] = (char)('a' + i % 26);
	}
	want[1000] = '\0';
	assert_text(&e, want, 1000);
	le_free(&e);
}

Test(lineedit, insert_multibyte)
{
	lineedit e;
	le_init(&e, "caf");
	le_insert(&e, L'\u00e9');
	assert_text(&e, "caf\xc3\xa9", 5);
	le_set(&e, NULL);
	le_insert(&e, L'\u65e5');
	le_insert(&e, L'\u672c');
	assert_text(&e, "\xe6\x97\xa5\xe6\x9c\xac", 6);
	le_insert(&e, L'\U0001F600'); /* four bytes */
	assert_text(&e, "\xe6\x97\xa5\xe6\x9c\xac\xf0\x9f\x98\x80", 10);
	le_free(&e);
}

Test(lineedit, cursor_moves_over_whole_characters)
{
	lineedit e;
	le_init(&e, "a\xc3\xa9\xe6\x97\xa5\xf0\x9f\x98\x80z"); /* a é 日 😀 z */
	static const size_t stops[] = { 0, 1, 3, 6, 10, 11 };
	le_key(&e, "Home");
	for (size_t i = 0; i < sizeof stops / sizeof stops[0]; i++) {
		cr_assert_eq(e.cur, stops[i], "stop %zu", i);
		cr_assert(le_key(&e, "Right"));
	}
	cr_assert_eq(e.cur, 11, "Right at the end stays");
	for (size_t i = sizeof stops / sizeof stops[0]; i-- > 0;) {
		cr_assert_eq(e.cur, stops[i], "back at stop %zu", i);
		cr_assert(le_key(&e, "Left"));
	}
	cr_assert_eq(e.cur, 0, "Left at the start stays");
	cr_assert(le_key(&e, "C-e"));
	cr_assert_eq(e.cur, 11);
	cr_assert(le_key(&e, "C-a"));
	cr_assert_eq(e.cur, 0);
	cr_assert(le_key(&e, "End"));
	cr_assert_eq(e.cur, 11);
	le_free(&e);
}

Test(lineedit, backspace_and_del_at_both_ends)
{
	lineedit e;
	le_init(&e, "ab\xc3\xa9");
	cr_assert(le_key(&e, "Del"), "a key that changes nothing is still an editing key");
	assert_text(&e, "ab\xc3\xa9", 4);
	cr_assert(le_key(&e, "Backspace"));
	assert_text(&e, "ab", 2);
	le_key(&e, "Home");
	cr_assert(le_key(&e, "Backspace"));
	assert_text(&e, "ab", 0);
	cr_assert(le_key(&e, "C-h"));
	assert_text(&e, "ab", 0);
	cr_assert(le_key(&e, "Del"));
	assert_text(&e, "b", 0);
	cr_assert(le_key(&e, "C-d"));
	assert_text(&e, "", 0);
	cr_assert(le_key(&e, "C-d"));
	cr_assert(le_key(&e, "Backspace"));
	assert_text(&e, "", 0);
	/* in the middle, over multibyte characters */
	le_set(&e, "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"); /* 日本語 */
	le_key(&e, "Left");
	le_key(&e, "Left");
	cr_assert(le_key(&e, "C-h"));
	assert_text(&e, "\xe6\x9c\xac\xe8\xaa\x9e", 0);
	le_key(&e, "Right");
	cr_assert(le_key(&e, "Del"));
	assert_text(&e, "\xe6\x9c\xac", 3);
	le_free(&e);
}

Test(lineedit, kill_keys)
{
	lineedit e;
	le_init(&e, "hello world");
	for (int i = 0; i < 5; i++)
		le_key(&e, "Left");
	cr_assert(le_key(&e, "C-k"));
	assert_text(&e, "hello ", 6);
	cr_assert(le_key(&e, "C-k"));
	assert_text(&e, "hello ", 6);
	le_key(&e, "Left");
	cr_assert(le_key(&e, "C-u"));
	assert_text(&e, " ", 0);
	cr_assert(le_key(&e, "C-u"));
	assert_text(&e, " ", 0);
	le_set(&e, "\xc3\xa9t\xc3\xa9 \xe6\x97\xa5");
	le_key(&e, "Left");
	cr_assert(le_key(&e, "C-u"));
	assert_text(&e, "\xe6\x97\xa5", 0);
	le_free(&e);
}

Test(lineedit, ctrl_w_deletes_the_word_before_the_cursor)
{
	lineedit e;
	le_init(&e, "entry.list  ");
	cr_assert(le_key(&e, "C-w"));
	assert_text(&e, "entry.", 6);
	cr_assert(le_key(&e, "C-w"));
	assert_text(&e, "", 0);
	cr_assert(le_key(&e, "C-w"));
	assert_text(&e, "", 0);
	le_set(&e, "one two_2 three");
	for (int i = 0; i < 6; i++)
		le_key(&e, "Left");
	le_key(&e, "C-w");
	assert_text(&e, "one  three", 4);
	le_set(&e, "a caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac");
	le_key(&e, "C-w");
	assert_text(&e, "a caf\xc3\xa9 ", 8);
	le_key(&e, "C-w");
	assert_text(&e, "a ", 2);
	le_free(&e);
}

Test(lineedit, other_keys_are_not_editing_keys)
{
	lineedit e;
	le_init(&e, "abc");
	static const char *const keys[] = { "a", "Enter", "Tab", "F5", "Up", "Down", "",
					    "left", "C-r", "Esc", "Space" };
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		cr_assert_not(le_key(&e, keys[i]), "\"%s\"", keys[i]);
		assert_text(&e, "abc", 3);
	}
	le_free(&e);
}

Test(lineedit, control_characters_refused)
{
	lineedit e;
	le_init(&e, "x");
	static const wchar_t ctl[] = { 0, 1, L'\t', L'\n', L'\r', 0x1b, 0x1f, 0x7f, 0x80, 0x85,
				       0x9b, 0x9f, -1, -200 };
	for (size_t i = 0; i < sizeof ctl / sizeof ctl[0]; i++) {
		le_insert(&e, ctl[i]);
		assert_text(&e, "x", 1);
	}
	/* the first printable character each side of the control ranges */
	le_insert(&e, 0x20);
	le_insert(&e, 0x7e);
	le_insert(&e, 0xa0);
	assert_text(&e, "x ~\xc2\xa0", 5);
	/* not characters at all */
	le_insert(&e, 0x110000);
	le_insert(&e, 0x7fffffff);
	le_insert(&e, 0xd800); /* a surrogate */
	assert_text(&e, "x ~\xc2\xa0", 5);
	le_free(&e);
}

Test(lineedit, paste_drops_control_characters)
{
	lineedit e;
	le_init(&e, "[]");
	le_key(&e, "Left");
	le_insert_text(&e, "a\tb\nc\r\x1b[31md\x7f\xc3\xa9");
	assert_text(&e, "[abc[31md\xc3\xa9]", 11);
	le_insert_text(&e, "");
	assert_text(&e, "[abc[31md\xc3\xa9]", 11);
	/* C1 controls, in UTF-8 (U+0085, U+009B CSI), are controls too, as le_insert says */
	le_set(&e, NULL);
	le_insert_text(&e, "1\xc2\x85" "2\xc2\x9b" "3\xc2\xa0");
	assert_text(&e, "123\xc2\xa0", 5);
	le_set(&e, "p\tq\x01r");
	assert_text(&e, "pqr", 3);
	le_free(&e);
}

Test(lineedit, invalid_utf8_stays_within_bounds)
{
	/* each case in a block of its exact size: a read past it is an ASan error */
	static const struct {
		const char *s;
		size_t n, chars;
	} cases[] = {
		{ "\xe6", 1, 1 },		  /* a lead byte at the end */
		{ "\xe6\x97", 2, 2 },		  /* a sequence cut short */
		{ "a\xf0\x9f\x98", 4, 4 },	  /* four-byte lead, three bytes left */
		{ "\x80\x80\x80\x80\x80", 5, 5 }, /* stray continuation bytes */
		{ "\xff\xfe", 2, 2 },		  /* never UTF-8 */
		{ "\xc0\xaf", 2, 2 },		  /* an overlong '/' */
		{ "\xc3\xa9\xa9", 3, 2 },	  /* é and a stray continuation byte */
		{ "\xe6\x41", 2, 2 },		  /* a lead byte followed by ASCII */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *s = exact(cases[i].s, cases[i].n);
		lineedit e;
		le_init(&e, s);
		cr_assert_eq(e.len, cases[i].n, "case %zu: invalid bytes are kept", i);
		cr_assert_eq(memcmp(e.buf, cases[i].s, cases[i].n), 0);
		cr_assert_eq(le_width(s, cases[i].n), (int)cases[i].n - (i == 6 ? 1 : 0),
			     "case %zu", i);
		/* Left and Right visit the same stops, one per character, in both directions */
		size_t stops[16], n = 0;
		le_key(&e, "Home");
		stops[n++] = e.cur;
		while (e.cur < e.len) {
			le_key(&e, "Right");
			cr_assert(e.cur > stops[n - 1] && n < 16, "case %zu", i);
			stops[n++] = e.cur;
		}
		cr_assert_eq(n - 1, cases[i].chars, "case %zu: %zu characters", i, n - 1);
		for (size_t k = n - 1; k > 0; k--) {
			le_key(&e, "Left");
			cr_assert_eq(e.cur, stops[k - 1], "case %zu back to stop %zu", i, k - 1);
		}
		/* deleting from either end empties it, one character at a time */
		le_key(&e, "End");
		for (size_t k = 0; k < cases[i].chars; k++)
			le_key(&e, "Backspace");
		assert_text(&e, "", 0);
		le_set(&e, s);
		le_key(&e, "Home");
		for (size_t k = 0; k < cases[i].chars; k++)
			le_key(&e, "Del");
		assert_text(&e, "", 0);
		size_t start = 0;
		int col;
		le_set(&e, s);
		le_view(&e, 2, &start, &col);
		cr_assert(col >= 0 && col <= 1);
		le_free(&e);
		free(s);
	}
}

Test(lineedit, width_of_strings)
{
	cr_assert_eq(le_width("", 0), 0);
	cr_assert_eq(le_width("abc", 3), 3);
	cr_assert_eq(le_width("abc", 1), 1, "only len bytes count");
	cr_assert_eq(le_width("caf\xc3\xa9", 5), 4);
	cr_assert_eq(le_width("\xe6\x97\xa5\xe6\x9c\xac", 6), 4, "CJK takes two columns");
	cr_assert_eq(le_width("\xe6\x97\xa5\xe6\x9c\xac", 4), 3, "a cut character counts 1 a byte");
	cr_assert_eq(le_width("\xff", 1), 1);
	cr_assert_eq(le_width("a\x01" "b", 3), 3, "a control character counts one");
	char *s = exact("\xe6\x97", 2);
	cr_assert_eq(le_width(s, 2), 2);
	free(s);
}

/* What le_view promises: the cursor inside the window and the text before it fitting. */
static void check_view(const lineedit *e, int width, size_t start, int col)
{
	cr_assert(start <= e->cur, "start %zu after the cursor %zu", start, e->cur);
	cr_assert(col >= 0 && col < width, "cursor column %d outside width %d", col, width);
	cr_assert_eq(col, le_width(e->buf + start, e->cur - start));
	/* start is on a character boundary: walking Right from 0 reaches it */
	lineedit w = *e;
	w.cur = 0;
	while (w.cur < start)
		le_key(&w, "Right");
	cr_assert_eq(w.cur, start, "start %zu is inside a character", start);
}

Test(lineedit, view_keeps_the_cursor_visible)
{
	static const char *const texts[] = {
		"abcdefghijklmnopqrstuvwxyz",
		"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e",
		"a\xe6\x97\xa5" "b\xc3\xa9\xf0\x9f\x98\x80" "cd\xe6\x9c\xac",
	};
	static const int widths[] = { 1, 2, 3, 10, 80 };
	for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
		for (size_t wi = 0; wi < sizeof widths / sizeof widths[0]; wi++) {
			int width = widths[wi];
			lineedit e;
			le_init(&e, texts[t]);
			size_t start = 0;
			int col;
			le_view(&e, width, &start, &col);
			check_view(&e, width, start, col);
			/* walk to the start and back, as a user would */
			while (e.cur > 0) {
				le_key(&e, "Left");
				le_view(&e, width, &start, &col);
				check_view(&e, width, start, col);
			}
			cr_assert_eq(start, 0);
			cr_assert_eq(col, 0);
			while (e.cur < e.len) {
				size_t before = start;
				le_key(&e, "Right");
				le_view(&e, width, &start, &col);
				check_view(&e, width, start, col);
				cr_assert(start >= before, "moving right never scrolls back");
			}
			le_free(&e);
		}
	}
}

Test(lineedit, view_does_not_jump_while_the_cursor_fits)
{
	lineedit e;
	le_init(&e, "0123456789abcdefghij");
	size_t start = 0;
	int col;
	le_view(&e, 10, &start, &col);
	cr_assert_eq(start, 11, "the end shows with a spare column for the cursor");
	cr_assert_eq(col, 9);
	for (int i = 0; i < 9; i++) {
		le_key(&e, "Left");
		le_view(&e, 10, &start, &col);
		cr_assert_eq(start, 11, "stays while the cursor is in the window");
		cr_assert_eq(col, 8 - i);
	}
	le_key(&e, "Left");
	le_view(&e, 10, &start, &col);
	cr_assert_eq(start, 10);
	cr_assert_eq(col, 0);
	/* wide enough for everything: nothing scrolls */
	start = 0;
	le_key(&e, "End");
	le_view(&e, 21, &start, &col);
	cr_assert_eq(start, 0);
	cr_assert_eq(col, 20);
	le_free(&e);
}

Test(lineedit, view_of_bad_arguments)
{
	lineedit e;
	le_init(&e, "\xe6\x97\xa5\xe6\x9c\xac");
	size_t start = 0;
	int col = -1;
	le_view(&e, 0, &start, &col);
	check_view(&e, 1, start, col);
	le_view(&e, -5, &start, &col);
	check_view(&e, 1, start, col);
	/* a start left over from longer text */
	start = 1000;
	le_view(&e, 10, &start, &col);
	check_view(&e, 10, start, col);
	le_set(&e, NULL);
	start = 3;
	le_view(&e, 10, &start, &col);
	cr_assert_eq(start, 0);
	cr_assert_eq(col, 0);
	le_free(&e);
}

/* Found by fuzz_lineedit: deleting the character between an invalid lead byte and stray
 * continuation bytes joined them into one character with the cursor inside it, and le_view then
 * stepped past the cursor and measured a negative length. */
Test(lineedit, edits_that_join_bytes_keep_the_cursor_on_a_boundary)
{
	lineedit e;
	/* \xe4, 中 (\xe6\xb8\xad), then \x96\xa1: five characters */
	le_init(&e, "\xe4\xe6\xb8\xad\x96\xa1");
	le_key(&e, "Home");
	le_key(&e, "Right");
	cr_assert_eq(e.cur, 1);
	le_key(&e, "Del"); /* \xe4\x96\xa1 is now one character (U+45A1) */
	assert_text(&e, "\xe4\x96\xa1", 3);
	size_t start = 0;
	int col = -1;
	le_view(&e, 1, &start, &col);
	cr_assert(start <= e.cur && col >= 0 && col <= 1, "start %zu col %d", start, col);

	/* Backspace does it too */
	le_set(&e, "\xe4x\x96\xa1");
	le_key(&e, "Home");
	le_key(&e, "Right");
	le_key(&e, "Right");
	le_key(&e, "Backspace");
	assert_text(&e, "\xe4\x96\xa1", 3);

	/* and a lead byte pasted before continuation bytes */
	le_set(&e, "\x96\xa1");
	le_key(&e, "Home");
	le_insert_text(&e, "\xe4");
	assert_text(&e, "\xe4\x96\xa1", 3);
	le_key(&e, "Left");
	cr_assert_eq(e.cur, 0);

	/* text that joins nothing keeps the cursor where the edit left it */
	le_set(&e, "\x96\xa1");
	le_key(&e, "Home");
	le_insert_text(&e, "a");
	assert_text(&e, "a\x96\xa1", 1);
	le_free(&e);
}

/* Found by fuzz_lineedit: glibc's mbrtowc takes UTF-8's old 5- and 6-byte forms as one
 * character, so Right stepped over all of it while Left stepped back only four bytes, into the
 * middle of it. */
Test(lineedit, left_steps_over_old_long_forms)
{
	static const char *const cases[] = { "a\xfb\x98\x96\x9f\x98", "a\xfd\xbf\xbf\xbf\xbf\xbf" };
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		lineedit e;
		le_init(&e, cases[i]);
		le_key(&e, "Home");
		le_key(&e, "Right");
		le_key(&e, "Right");
		size_t stop = e.cur; /* wherever Right says the character ends */
		cr_assert_gt(stop, 1);
		le_key(&e, "Left");
		cr_assert_eq(e.cur, 1, "case %zu: Left from %zu went to %zu", i, stop, e.cur);
		le_key(&e, "End");
		le_key(&e, "Backspace");
		cr_assert_eq(e.cur, e.len);
		cr_assert_eq(e.len, stop == strlen(cases[i]) ? 1 : strlen(cases[i]) - 1);
		size_t start = 0;
		int col = -1;
		le_view(&e, 1, &start, &col);
		cr_assert(start <= e.cur && col >= 0);
		le_free(&e);
	}
}

Test(lineedit, paste_is_one_line)
{
	lineedit e;
	char why[160];
	le_init(&e, "ab");
	e.cur = 1;
	cr_assert(le_paste(&e, "XY\n", 3, why, sizeof why));
	cr_assert_str_eq(e.buf, "aXYb");
	cr_assert_eq(e.cur, 3);
	cr_assert(le_paste(&e, "Z\r\n", 3, why, sizeof why));
	cr_assert_str_eq(e.buf, "aXYZb");
	cr_assert_not(le_paste(&e, "one\ntwo\nthree", 13, why, sizeof why));
	cr_assert(strstr(why, "3 lines"), "%s", why);
	cr_assert_not(le_paste(&e, "one\rtwo", 7, why, sizeof why));
	cr_assert_str_eq(e.buf, "aXYZb", "nothing pasted");
	/* controls inside a line are dropped, as typed text drops them */
	cr_assert(le_paste(&e, "\x1b[31mq", 6, why, sizeof why));
	cr_assert_str_eq(e.buf, "aXYZ[31mqb");
	le_free(&e);
}

Test(lineedit, a_long_line_is_viewed_at_the_cursor)
{
	lineedit e;
	size_t n = 1 << 20;
	char *big = malloc(n + 1);
	memset(big, 'a', n);
	big[n] = '\0';
	big[n - 1] = 'z';
	le_init(&e, NULL);
	le_insert_text(&e, big);
	cr_assert_eq(e.len, n);
	size_t start = 0;
	int col;
	le_view(&e, 40, &start, &col);
	/* the window ends at the cursor with one spare column */
	cr_assert_eq(start, n - 39);
	cr_assert_eq(col, 39);
	/* the cursor moved back inside the window: the window stays */
	e.cur = n - 10;
	le_view(&e, 40, &start, &col);
	cr_assert_eq(start, n - 39);
	cr_assert_eq(col, 29);
	/* home: the window follows */
	le_key(&e, "Home");
	le_view(&e, 40, &start, &col);
	cr_assert_eq(start, 0);
	cr_assert_eq(col, 0);
	le_free(&e);
	free(big);
}

/* A password's editor grows by copying (the old buffer wiped) and edits as any other. */
Test(lineedit, secret_grows_and_edits)
{
	lineedit e;
	le_init_secret(&e);
	cr_assert(e.secret);
	cr_assert_str_eq(e.buf, "");
	for (int i = 0; i < 300; i++)
		le_insert(&e, (wchar_t)('a' + i % 26));
	cr_assert_eq(e.len, 300);
	cr_assert_eq(strncmp(e.buf, "abcdefghijklmnopqrstuvwxyzab", 28), 0);
	le_key(&e, "Backspace");
	cr_assert_eq(e.len, 299);
	char why[160];
	cr_assert(le_paste(&e, "pässwörd\n", strlen("pässwörd\n"), why, sizeof why));
	cr_assert_str_eq(e.buf + 299, "pässwörd");
	le_free(&e);
	cr_assert_null(e.buf);
	cr_assert(!e.secret);
}
