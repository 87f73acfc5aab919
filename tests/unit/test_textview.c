#include <criterion/criterion.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "files.h"
#include "response.h"
#include "textview.h"
#include "util.h"

#define KS_START "djJ8MTIzNDV8rr9uY1UhBwF9dIYTPOQPDhnrvSgpazkybu8ycseawucaU5V0g1NzfRI2sGlfFPekedruh-qCvDp7F3x2XaIhgA=="
#define KS_APPTOKEN "djJ8MTIzNDV86UZUPuZ5eeVd4YttMmovpHdgGGGLxJ1Qf6_M5b2wMv81Id25hSHuo3tdzq_Uu-taes-0tEUq-b9a1Y8UZ1Ay847P_xvseEI5h7OeIWXXTZ9lqy4G0UYlyY2E7FtS1fGQVQMmB8lB_LyHdgU-lrGv4A=="

static void utf8_locale(void)
{
	cr_assert(setlocale(LC_ALL, "C.UTF-8") || setlocale(LC_ALL, "C.utf8"),
		  "no UTF-8 locale");
}

TestSuite(textview, .init = utf8_locale);

static int format_of(const char *name)
{
	size_t n = strlen(name);
	return n > 5 && !strcmp(name + n - 5, ".json") ? KT_FORMAT_JSON : KT_FORMAT_XML;
}

/* A recorded response, pretty-printed as the result pane shows it. */
static textview *load(const char *name)
{
	const char *dir = getenv("KT_TESTDATA");
	char *path = kt_xasprintf("%s/responses/%s", dir ? dir : "tests/data", name);
	kt_error err = { 0 };
	size_t len;
	char *body = files_read(path, &len, &err);
	cr_assert_not_null(body, "%s", err.msg);
	free(path);
	char *pretty = response_pretty(body, len, format_of(name), &err);
	cr_assert_not_null(pretty, "%s: %s", name, err.msg);
	free(body);
	return tv_new(pretty, strlen(pretty), format_of(name));
}

static textview *from_str(const char *s, int format)
{
	return tv_new(kt_xstrdup(s), strlen(s), format);
}

/* The first line whose text, without leading blanks, starts with prefix. */
static size_t find_line(const textview *tv, const char *prefix)
{
	for (size_t i = 0; i < tv_lines(tv); i++) {
		size_t len;
		const char *s = tv_line(tv, i, &len);
		while (len && *s == ' ')
			s++, len--;
		if (len >= strlen(prefix) && !memcmp(s, prefix, strlen(prefix)))
			return i;
	}
	cr_assert_fail("no line starts with %s", prefix);
	return TV_NONE;
}

static size_t count_newlines(const textview *tv)
{
	size_t len, n = 0;
	const char *s = tv_text(tv, &len);
	for (size_t i = 0; i < len; i++)
		n += s[i] == '\n';
	return n;
}

/* The spans of a line cover it exactly, in order; returns the role at byte off. */
static tv_role role_at(textview *tv, size_t line, const char *needle)
{
	const tv_span *sp;
	size_t n = tv_spans(tv, line, &sp), len, at = 0;
	const char *s = tv_line(tv, line, &len);
	for (size_t i = 0; i < n; i++) {
		cr_assert_eq(sp[i].off, at, "span %zu starts at %zu, not %zu", i, sp[i].off, at);
		cr_assert_gt(sp[i].len, 0);
		at += sp[i].len;
	}
	cr_assert_eq(at, len, "spans cover %zu of %zu bytes", at, len);
	const char *p = strstr(s, needle);
	cr_assert(p && (size_t)(p - s) < len, "%s not on line %zu", needle, line);
	size_t off = (size_t)(p - s);
	for (size_t i = 0; i < n; i++)
		if (off >= sp[i].off && off + strlen(needle) <= sp[i].off + sp[i].len)
			return sp[i].role;
	cr_assert_fail("%s is split across spans", needle);
	return TV_PLAIN;
}

Test(textview, xml_lines_and_colours)
{
	textview *tv = load("category-list.xml");
	cr_assert_eq(tv_lines(tv), count_newlines(tv));
	size_t len;
	const char *l0 = tv_line(tv, 0, &len);
	cr_assert(len > 5 && !memcmp(l0, "<?xml", 5));
	cr_assert_neq(l0[len - 1], '\n');
	size_t id = find_line(tv, "<id>5</id>");
	cr_assert_eq(role_at(tv, id, "id"), TV_NAME);
	cr_assert_eq(role_at(tv, id, "5"), TV_NUMBER);
	cr_assert_eq(role_at(tv, id, "</"), TV_PUNCT);
	size_t name = find_line(tv, "<name>News");
	cr_assert_eq(role_at(tv, name, "News"), TV_TEXT);
	cr_assert_eq(role_at(tv, 0, "version"), TV_ATTR);
	cr_assert_eq(role_at(tv, 0, "\"1.0\""), TV_VALUE);
	cr_assert_eq(role_at(tv, 0, "="), TV_PUNCT);
	cr_assert_eq(role_at(tv, find_line(tv, "<tags/>"), "/>"), TV_PUNCT);
	const tv_span *sp;
	cr_assert_eq(tv_spans(tv, tv_lines(tv), &sp), 0);
	tv_free(tv);
}

Test(textview, xml_attributes_comments_and_cdata)
{
	textview *tv = from_str("<a k=\"v>1\" j='2'>\n<!-- note <b> -->\n<![CDATA[x<y]]>\n</a>\n",
				KT_FORMAT_XML);
	cr_assert_eq(role_at(tv, 0, "k"), TV_ATTR);
	cr_assert_eq(role_at(tv, 0, "\"v>1\""), TV_VALUE);
	cr_assert_eq(role_at(tv, 0, "'2'"), TV_VALUE);
	cr_assert_eq(role_at(tv, 1, "<b>"), TV_PLAIN);
	cr_assert_eq(role_at(tv, 2, "x<y"), TV_TEXT);
	/* the quoted > did not end the tag, and the comment's <b> opened nothing */
	cr_assert_eq(tv_fold_end(tv, 0), 3);
	cr_assert_eq(tv_fold_end(tv, 1), TV_NONE);
	tv_free(tv);
}

Test(textview, json_colours)
{
	textview *tv = load("category-list.json");
	cr_assert_eq(tv_lines(tv), count_newlines(tv));
	size_t id = find_line(tv, "\"id\": 5");
	cr_assert_eq(role_at(tv, id, "\"id\""), TV_NAME);
	cr_assert_eq(role_at(tv, id, ":"), TV_PUNCT);
	cr_assert_eq(role_at(tv, id, "5"), TV_NUMBER);
	cr_assert_eq(role_at(tv, id, ","), TV_PUNCT);
	size_t name = find_line(tv, "\"name\": \"News\"");
	cr_assert_eq(role_at(tv, name, "\"News\""), TV_VALUE);
	cr_assert_eq(role_at(tv, 0, "{"), TV_PUNCT);
	tv_free(tv);

	tv = from_str("[true, false, null, -1.5e3, \"a\\\"b: c\", nothing]\n", KT_FORMAT_JSON);
	cr_assert_eq(role_at(tv, 0, "true"), TV_LITERAL);
	cr_assert_eq(role_at(tv, 0, "false"), TV_LITERAL);
	cr_assert_eq(role_at(tv, 0, "null"), TV_LITERAL);
	cr_assert_eq(role_at(tv, 0, "-1.5e3"), TV_NUMBER);
	/* an escaped quote does not end the string, nor does the colon inside make it a key */
	cr_assert_eq(role_at(tv, 0, "\"a\\\"b: c\""), TV_VALUE);
	cr_assert_eq(role_at(tv, 0, "nothing"), TV_PLAIN);
	tv_free(tv);
}

Test(textview, plain_text_has_no_structure)
{
	textview *tv = from_str("<a>\nnot\n</a>", 0);
	cr_assert_eq(tv_lines(tv), 3);
	const tv_span *sp;
	cr_assert_eq(tv_spans(tv, 0, &sp), 1);
	cr_assert_eq(sp[0].role, TV_PLAIN);
	cr_assert_eq(tv_fold_end(tv, 0), TV_NONE);
	cr_assert_not(tv_fold_toggle(tv, 0));
	/* the last line has no newline */
	size_t len;
	cr_assert_str_eq(tv_line(tv, 2, &len), "</a>");
	cr_assert_eq(len, 4);
	char *r = tv_range(tv, 1, 2, &len);
	cr_assert_str_eq(r, "not\n</a>");
	cr_assert_eq(len, 8);
	free(r);
	tv_free(tv);
}

Test(textview, empty_and_out_of_range)
{
	textview *tv = tv_new(NULL, 0, KT_FORMAT_XML);
	cr_assert_eq(tv_lines(tv), 0);
	cr_assert_eq(tv_visible(tv), 0);
	cr_assert_eq(tv_rows(tv), 0);
	size_t len = 99;
	cr_assert_str_eq(tv_line(tv, 0, &len), "");
	cr_assert_eq(len, 0);
	bool wrapped;
	cr_assert_eq(tv_search(tv, "a", TV_NONE, 1, &wrapped), TV_NONE);
	cr_assert_null(tv_value(tv, 0));
	cr_assert_not(tv_reveal(tv, 3));
	tv_set_wrap(tv, true, 10);
	cr_assert_eq(tv_rows(tv), 0);
	size_t v, off;
	tv_row(tv, 0, &v, &off, &len);
	cr_assert_eq(v, TV_NONE);
	char *r = tv_range(tv, 0, 5, &len);
	cr_assert_str_eq(r, "");
	free(r);
	tv_free(tv);
}

Test(textview, unbalanced_text_does_not_break_folds)
{
	textview *tv = from_str("</x>\n<a>\n<b>\n</a>\n", KT_FORMAT_XML);
	cr_assert_eq(tv_lines(tv), 4);
	cr_assert_eq(tv_fold_end(tv, 0), TV_NONE);
	/* </a> pops <b>: whatever pairs up folds, nothing reaches past the text */
	for (size_t i = 0; i < tv_lines(tv); i++) {
		size_t e = tv_fold_end(tv, i);
		cr_assert(e == TV_NONE || (e > i && e < tv_lines(tv)));
	}
	tv_fold_all(tv, 0);
	cr_assert_lt(tv_visible(tv), tv_lines(tv));
	tv_unfold_all(tv);
	cr_assert_eq(tv_visible(tv), tv_lines(tv));
	tv_free(tv);
}

Test(textview, folds_xml)
{
	textview *tv = load("category-list.xml");
	size_t n = tv_lines(tv);
	size_t xml = find_line(tv, "<xml>"), result = find_line(tv, "<result>");
	size_t objects = find_line(tv, "<objects>"), end = find_line(tv, "</objects>");
	size_t item = find_line(tv, "<item>");
	cr_assert_eq(tv_fold_end(tv, objects), end);
	cr_assert_eq(tv_fold_end(tv, xml), n - 1);
	cr_assert_eq(tv_fold_end(tv, find_line(tv, "<id>")), TV_NONE);
	cr_assert_eq(tv_fold_end(tv, find_line(tv, "<tags/>")), TV_NONE);
	cr_assert_eq(tv_fold_end(tv, 0), TV_NONE);
	cr_assert_eq(tv_depth(tv, xml), 0);
	cr_assert_eq(tv_depth(tv, result), 1);
	cr_assert_eq(tv_depth(tv, item), 3);
	cr_assert_eq(tv_visible(tv), n);

	cr_assert(tv_fold_toggle(tv, objects));
	cr_assert(tv_folded(tv, objects));
	cr_assert_eq(tv_visible(tv), n - (end - objects));
	cr_assert_eq(tv_vis_line(tv, tv_vis_of(tv, objects) + 1), end + 1);
	/* a hidden line maps to the fold that hides it */
	cr_assert_eq(tv_vis_line(tv, tv_vis_of(tv, item)), objects);
	cr_assert(tv_fold_toggle(tv, objects));
	cr_assert_eq(tv_visible(tv), n);
	cr_assert_not(tv_fold_toggle(tv, find_line(tv, "<id>")));

	/* below <xml><result>: <objects> and both <item>s */
	cr_assert_eq(tv_fold_all(tv, 2), 3);
	cr_assert_eq(tv_visible(tv), n - (end - objects));
	cr_assert(tv_folded(tv, item));
	/* opening <objects> shows the items, still folded */
	tv_fold_toggle(tv, objects);
	size_t item_end = tv_fold_end(tv, item);
	size_t item2 = item_end + 1, item2_end = tv_fold_end(tv, item2);
	cr_assert_eq(tv_visible(tv), n - (item_end - item) - (item2_end - item2));
	tv_unfold_all(tv);
	cr_assert_eq(tv_visible(tv), n);
	for (size_t v = 0; v < n; v++)
		cr_assert_eq(tv_vis_line(tv, v), v);
	cr_assert_eq(tv_vis_line(tv, n), TV_NONE);
	tv_free(tv);
}

Test(textview, folds_json)
{
	textview *tv = load("category-list.json");
	size_t n = tv_lines(tv);
	size_t objects = find_line(tv, "\"objects\": [");
	size_t end = find_line(tv, "],");
	cr_assert_eq(tv_fold_end(tv, 0), n - 1);
	cr_assert_eq(tv_fold_end(tv, objects), end);
	cr_assert_eq(tv_fold_end(tv, find_line(tv, "\"totalCount\"")), TV_NONE);
	/* the objects array and its two objects */
	cr_assert_eq(tv_fold_all(tv, 1), 3);
	cr_assert_eq(tv_visible(tv), n - (end - objects));
	tv_unfold_all(tv);
	cr_assert_eq(tv_fold_all(tv, 0), 4);
	cr_assert_eq(tv_visible(tv), 1);
	tv_free(tv);
}

Test(textview, search_both_ways_with_wraparound)
{
	textview *tv = load("category-list.xml");
	size_t news = find_line(tv, "<name>News"), full1 = find_line(tv, "<fullName>News<");
	size_t sport = find_line(tv, "<name>Sport"), full2 = find_line(tv, "<fullName>News&gt;");
	bool wrapped;
	cr_assert_eq(tv_search(tv, "news", TV_NONE, 1, &wrapped), news);
	cr_assert_not(wrapped);
	cr_assert_eq(tv_search(tv, "NEWS", news, 1, &wrapped), full1);
	cr_assert_eq(tv_search(tv, "nEwS", full1, 1, &wrapped), full2);
	cr_assert_not(wrapped);
	cr_assert_eq(tv_search(tv, "news", full2, 1, &wrapped), news);
	cr_assert(wrapped);
	cr_assert_eq(tv_search(tv, "news", news, -1, &wrapped), full2);
	cr_assert(wrapped);
	cr_assert_eq(tv_search(tv, "news", full2, -1, &wrapped), full1);
	cr_assert_not(wrapped);
	cr_assert_eq(tv_search(tv, "sport", TV_NONE, -1, &wrapped), full2);
	/* the only hit is on the line itself: found again, after going round */
	cr_assert_eq(tv_search(tv, "KalturaCategoryListResponse", 3, 1, &wrapped), 3);
	cr_assert(wrapped);
	cr_assert_eq(tv_search(tv, "no such text", 0, 1, &wrapped), TV_NONE);
	cr_assert_not(wrapped);
	cr_assert_eq(tv_search(tv, "", 0, 1, &wrapped), TV_NONE);
	cr_assert_eq(tv_search(tv, "a\nb", 0, 1, &wrapped), TV_NONE);
	(void)sport;
	tv_free(tv);
}

Test(textview, search_opens_folds)
{
	textview *tv = load("category-list.xml");
	size_t n = tv_lines(tv);
	size_t result = find_line(tv, "<result>"), objects = find_line(tv, "<objects>");
	size_t sport = find_line(tv, "<name>Sport");
	tv_fold_all(tv, 1);
	cr_assert(tv_folded(tv, result));
	cr_assert_neq(tv_vis_line(tv, tv_vis_of(tv, sport)), sport);
	bool wrapped;
	cr_assert_eq(tv_search(tv, "sport", 0, 1, &wrapped), sport);
	cr_assert_eq(tv_vis_line(tv, tv_vis_of(tv, sport)), sport, "the hit is still hidden");
	cr_assert_not(tv_folded(tv, result));
	cr_assert_not(tv_folded(tv, objects));
	/* the first item stays folded: it does not hold the hit */
	cr_assert(tv_folded(tv, find_line(tv, "<item>")));
	cr_assert_lt(tv_visible(tv), n);
	/* nothing to open for a visible line */
	cr_assert_not(tv_reveal(tv, sport));
	tv_free(tv);
}

Test(textview, matches_on_a_line)
{
	textview *tv = from_str("Sport sPORT spor sport\nnone\n", 0);
	const tv_span *h;
	size_t n = tv_matches(tv, 0, "sport", &h);
	cr_assert_eq(n, 3);
	cr_assert_eq(h[0].off, 0);
	cr_assert_eq(h[1].off, 6);
	cr_assert_eq(h[2].off, 17);
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(h[i].len, 5);
	cr_assert_eq(tv_matches(tv, 1, "sport", &h), 0);
	/* asked again, and with another needle: the answer follows the needle, not the last call */
	cr_assert_eq(tv_matches(tv, 0, "sport", &h), 3);
	cr_assert_eq(tv_matches(tv, 0, "spor", &h), 4);
	cr_assert_eq(h[2].off, 12);
	cr_assert_eq(tv_matches(tv, 0, "", &h), 0);
	cr_assert_eq(tv_matches(tv, 7, "sport", &h), 0);
	/* hits do not overlap */
	tv_free(tv);
	tv = from_str("aaaa\n", 0);
	cr_assert_eq(tv_matches(tv, 0, "aa", &h), 2);
	tv_free(tv);
}

/* Joins the rows of line's visible index v and checks each against width. */
static void check_rows(textview *tv, size_t v, int width, size_t expect_rows)
{
	size_t line = tv_vis_line(tv, v), len;
	const char *s = tv_line(tv, line, &len);
	size_t first = tv_row_of_vis(tv, v), last = tv_row_of_vis(tv, v + 1);
	cr_assert_eq(last - first, expect_rows, "line %zu: %zu rows, not %zu", line, last - first,
		     expect_rows);
	size_t at = 0;
	for (size_t r = first; r < last; r++) {
		size_t vv, off, n;
		tv_row(tv, r, &vv, &off, &n);
		cr_assert_eq(vv, v);
		cr_assert_eq(off, at, "row %zu starts at %zu, not %zu", r, off, at);
		cr_assert(n > 0 || len == 0);
		cr_assert(off >= len || ((unsigned char)s[off] & 0xc0) != 0x80,
			  "row %zu starts inside a character", r);
		cr_assert_leq(tv_width(s + off, n), width > 1 ? width : 2);
		at += n;
	}
	cr_assert_eq(at, len);
}

Test(textview, wrap_multibyte)
{
	/* é ö take one column and two bytes; 日本語テキスト take two columns and three bytes */
	textview *tv = from_str("héllo wörld 日本語テキスト\n\nabc\n", 0);
	size_t len;
	const char *s = tv_line(tv, 0, &len);
	cr_assert_eq(tv_width(s, len), 12 + 14);
	cr_assert_eq(tv_rows(tv), 3);
	tv_set_wrap(tv, true, 5);
	cr_assert(tv_wrapped(tv));
	/* héllo | " wörl" | "d 日" | 本語 | テキ | スト */
	check_rows(tv, 0, 5, 6);
	check_rows(tv, 1, 5, 1);
	check_rows(tv, 2, 5, 1);
	cr_assert_eq(tv_rows(tv), 8);
	size_t v, off, n;
	tv_row(tv, 2, &v, &off, &n);
	cr_assert_eq(n, strlen("d 日"));
	cr_assert(!memcmp(s + off, "d 日", n));
	/* going back up after walking down a line */
	tv_row(tv, 1, &v, &off, &n);
	cr_assert(!memcmp(s + off, " wörl", n));
	/* a width narrower than a wide character still moves on */
	tv_set_wrap(tv, true, 1);
	check_rows(tv, 0, 1, 12 + 7);
	tv_set_wrap(tv, true, 80);
	check_rows(tv, 0, 80, 1);
	tv_set_wrap(tv, false, 80);
	cr_assert_not(tv_wrapped(tv));
	cr_assert_eq(tv_rows(tv), 3);
	tv_row(tv, 0, &v, &off, &n);
	cr_assert_eq(off, 0);
	cr_assert_eq(n, len);
	tv_row(tv, 3, &v, &off, &n);
	cr_assert_eq(v, TV_NONE);
	/* invalid bytes count one column each and are never joined */
	tv_free(tv);
	tv = from_str("ab\xff\xfe" "cd\n", 0);
	s = tv_line(tv, 0, &len);
	cr_assert_eq(tv_width(s, len), 6);
	tv_set_wrap(tv, true, 4);
	check_rows(tv, 0, 4, 2);
	tv_free(tv);
}

Test(textview, skip_columns)
{
	const char *s = "a日b";
	size_t len = strlen(s);
	cr_assert_eq(tv_skip_cols(s, len, 0), 0);
	cr_assert_eq(tv_skip_cols(s, len, 1), 1);
	/* never inside the wide character: stop before it */
	cr_assert_eq(tv_skip_cols(s, len, 2), 1);
	cr_assert_eq(tv_skip_cols(s, len, 3), 4);
	cr_assert_eq(tv_skip_cols(s, len, 99), len);
}

Test(textview, wrap_follows_folds)
{
	textview *tv = load("category-list.xml");
	tv_set_wrap(tv, true, 12);
	size_t all = tv_rows(tv);
	size_t objects = find_line(tv, "<objects>"), end = tv_fold_end(tv, objects);
	size_t hidden = 0;
	for (size_t i = objects + 1; i <= end; i++)
		hidden += tv_row_of_vis(tv, i + 1) - tv_row_of_vis(tv, i);
	tv_fold_toggle(tv, objects);
	cr_assert_eq(tv_rows(tv), all - hidden);
	tv_fold_toggle(tv, objects);
	cr_assert_eq(tv_rows(tv), all);
	cr_assert_gt(all, tv_lines(tv));
	tv_free(tv);
}

static void expect_value(const char *file, const char *prefix, const char *want)
{
	textview *tv = load(file);
	char *v = tv_value(tv, find_line(tv, prefix));
	if (want) {
		cr_assert_not_null(v, "%s: no value on %s", file, prefix);
		cr_assert_str_eq(v, want);
	} else {
		cr_assert_null(v, "%s: %s gave %s", file, prefix, v);
	}
	free(v);
	tv_free(tv);
}

Test(textview, values_from_recorded_results)
{
	expect_value("session-start.xml", "<result>", KS_START);
	expect_value("session-start.json", "\"djJ8", KS_START);
	expect_value("apptoken-start-session.json", "\"ks\":", KS_APPTOKEN);
	expect_value("category-list.xml", "<fullName>News&gt;", "News>Sport");
	expect_value("category-list.json", "\"fullName\": \"News>", "News>Sport");
	expect_value("category-list.xml", "<tags/>", NULL);
	expect_value("category-list.xml", "<objects>", NULL);
	expect_value("category-list.xml", "</objects>", NULL);
	expect_value("category-list.xml", "<?xml", NULL);
	expect_value("category-list.json", "\"tags\": \"\"", NULL);
	expect_value("category-list.json", "\"id\": 5", NULL);
	expect_value("category-list.json", "{", NULL);
}

Test(textview, values_decoded)
{
	textview *tv = from_str("<a>x &lt;&amp;&#233;&#x263A; &bogus; y</a>\n"
				"<a k=\"1>2\">v</a>\n<a></a>\n<a>open\n",
				KT_FORMAT_XML);
	char *v = tv_value(tv, 0);
	cr_assert_str_eq(v, "x <&é☺ &bogus; y");
	free(v);
	v = tv_value(tv, 1);
	cr_assert_str_eq(v, "v");
	free(v);
	cr_assert_null(tv_value(tv, 2));
	cr_assert_null(tv_value(tv, 3));
	cr_assert_null(tv_value(tv, 9));
	tv_free(tv);

	tv = from_str("  \"k\" : \"a\\\"b\\u00e9\\ud83d\\ude00\\n\",\n\"lone\"\n\"bad\n"
		      "\"k\": \"v\" junk\n\"k\": \"bad \\q\"\n\"k\": \"\\u12\"\n",
		      KT_FORMAT_JSON);
	v = tv_value(tv, 0);
	cr_assert_str_eq(v, "a\"bé😀\n");
	free(v);
	v = tv_value(tv, 1);
	cr_assert_str_eq(v, "lone");
	free(v);
	for (size_t i = 2; i < 6; i++)
		cr_assert_null(tv_value(tv, i), "line %zu has a value", i);
	tv_free(tv);

	tv = from_str("  plain words  \n\n", 0);
	v = tv_value(tv, 0);
	cr_assert_str_eq(v, "plain words");
	free(v);
	cr_assert_null(tv_value(tv, 1));
	tv_free(tv);
}

Test(textview, ranges)
{
	textview *tv = load("category-list.xml");
	size_t len, l1, l2;
	const char *a = tv_line(tv, 1, &l1), *b = tv_line(tv, 2, &l2);
	char *r = tv_range(tv, 2, 1, &len);
	cr_assert_eq(len, l1 + l2 + 2);
	cr_assert(!memcmp(r, a, l1) && r[l1] == '\n' && !memcmp(r + l1 + 1, b, l2));
	free(r);
	size_t all;
	const char *text = tv_text(tv, &all);
	r = tv_range(tv, 0, tv_lines(tv) + 5, &len);
	cr_assert_eq(len, all);
	cr_assert(!memcmp(r, text, all));
	free(r);
	cr_assert_eq(tv_line_of(tv, 0), 0);
	cr_assert_eq(tv_line_of(tv, all - 1), tv_lines(tv) - 1);
	cr_assert_eq(tv_line_of(tv, (size_t)(b - text)), 2);
	cr_assert_eq(tv_line_of(tv, (size_t)(b - text) - 1), 1);
	tv_free(tv);
}

/* A 20 MB pretty-printed list, built here. */
Test(textview, twenty_megabytes, .timeout = 120)
{
	kt_buf b;
	kt_buf_init(&b);
	kt_buf_adds(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xml>\n  <result>\n"
			"    <objects>\n");
	size_t items = 0;
	while (b.len < 20u * 1024 * 1024) {
		kt_buf_printf(&b,
			      "      <item>\n        <id>%zu</id>\n        <name>entry %zu "
			      "é日</name>\n        <description>%s</description>\n      </item>\n",
			      items, items, "a long enough description of the entry, for size");
		items++;
	}
	kt_buf_adds(&b, "    </objects>\n  </result>\n</xml>\n");
	size_t len = b.len;
	textview *tv = tv_new(kt_buf_steal(&b), len, KT_FORMAT_XML);
	cr_assert_eq(tv_lines(tv), 4 + 5 * items + 3);
	size_t objects = 3;
	cr_assert_eq(tv_fold_end(tv, objects), tv_lines(tv) - 3);
	cr_assert_eq(tv_fold_all(tv, 2), items + 1);
	cr_assert_eq(tv_visible(tv), 4 + 2); /* <objects> folded, then </result> </xml> */
	char needle[64];
	size_t want = items - 7;
	snprintf(needle, sizeof needle, "ENTRY %zu é", want);
	bool wrapped;
	size_t hit = tv_search(tv, needle, 0, 1, &wrapped);
	cr_assert_eq(hit, 4 + 5 * want + 2);
	cr_assert_eq(tv_vis_line(tv, tv_vis_of(tv, hit)), hit);
	cr_assert_eq(tv_visible(tv), 4 + items + 3 + 4);
	/* backwards from the top goes round to the same line */
	cr_assert_eq(tv_search(tv, needle, 0, -1, &wrapped), hit);
	cr_assert(wrapped);
	tv_set_wrap(tv, true, 40);
	cr_assert_gt(tv_rows(tv), tv_visible(tv));
	tv_unfold_all(tv);
	cr_assert_eq(tv_visible(tv), tv_lines(tv));
	char *v = tv_value(tv, hit);
	char expect[64];
	snprintf(expect, sizeof expect, "entry %zu é日", want);
	cr_assert_str_eq(v, expect);
	free(v);
	tv_free(tv);
}

/* Found by fuzz_textview: a line that starts with a NUL byte (a body may hold any byte) gave a
 * value of "", which the header promises never to return. */
static char *memdup(const char *s, size_t n)
{
	char *p = kt_xmalloc(n);
	memcpy(p, s, n);
	return p;
}

Test(textview, value_starting_with_nul_is_no_value)
{
	static const char text[] = "\0abc\n<a>\0x</a>\n\"\0y\"\nok\n";
	static const int formats[] = { 0, KT_FORMAT_XML, KT_FORMAT_JSON };
	static const size_t lines[] = { 0, 1, 2 };
	for (size_t k = 0; k < 3; k++) {
		textview *tv = tv_new(memdup(text, sizeof text - 1), sizeof text - 1,
				      formats[k]);
		cr_assert_eq(tv_lines(tv), 4);
		cr_assert_null(tv_value(tv, lines[k]), "format %d line %zu", formats[k],
			       lines[k]);
		tv_free(tv);
	}
	textview *tv = tv_new(memdup(text, sizeof text - 1), sizeof text - 1, 0);
	char *v = tv_value(tv, 3);
	cr_assert_str_eq(v, "ok");
	free(v);
	tv_free(tv);
}
