#include <criterion/criterion.h>
#include <string.h>

#include "utf8.h"

Test(utf8, decode_takes_valid_sequences_only)
{
	uint32_t cp;
	cr_assert_eq(utf8_decode("A", 1, &cp), 1);
	cr_assert_eq(cp, 'A');
	cr_assert_eq(utf8_decode("\xc3\xa9", 2, &cp), 2);
	cr_assert_eq(cp, 0xe9);
	cr_assert_eq(utf8_decode("\xe2\x80\xa2", 3, &cp), 3);
	cr_assert_eq(cp, 0x2022);
	cr_assert_eq(utf8_decode("\xf0\x9f\x98\x80", 4, &cp), 4);
	cr_assert_eq(cp, 0x1f600);
	cr_assert_eq(utf8_decode("\xc3\xa9", 1, &cp), 0, "cut short");
	cr_assert_eq(utf8_decode("\x80", 1, &cp), 0, "stray continuation");
	cr_assert_eq(utf8_decode("\xc0\xaf", 2, &cp), 0, "overlong");
	cr_assert_eq(utf8_decode("\xe0\x80\xaf", 3, &cp), 0, "overlong, 3 bytes");
	cr_assert_eq(utf8_decode("\xed\xa0\x80", 3, &cp), 0, "surrogate");
	cr_assert_eq(utf8_decode("\xf4\x90\x80\x80", 4, &cp), 0, "over U+10FFFF");
	cr_assert_eq(utf8_decode("", 0, &cp), 0);
	cr_assert(utf8_valid("D\xc3\xa9mo", 5));
	cr_assert(!utf8_valid("D\xc3mo", 4));
}

Test(utf8, sanitize_shows_controls_c1_del_and_bad_bytes)
{
	static const char in[] = "a\x1b]52;c;x\x07 \xc2\x9b\x7f\xff\xc3\xa9\n\tz\r";
	kt_buf b;
	kt_buf_init(&b);
	utf8_sanitize(&b, in, sizeof in - 1, true);
	cr_assert_str_eq(b.data, "a?]52;c;x? ???\xc3\xa9\n\tz?");
	kt_buf_reset(&b);
	utf8_sanitize(&b, "two\nlines\t", 10, false);
	cr_assert_str_eq(b.data, "two?lines?");
	kt_buf_free(&b);
}

Test(utf8, width_counts_columns)
{
	cr_assert_eq(utf8_width("abc", 3), 3);
	cr_assert_eq(utf8_width("\x1b[", 2), 2, "a control shows as one '?'");
}

Test(utf8, url_decode_as_php)
{
	size_t n;
	char *s = utf8_url_decode("a+b%20c%zz%4", 12, true, &n);
	cr_assert_str_eq(s, "a b c%zz%4");
	cr_assert_eq(n, 10);
	free(s);
	s = utf8_url_decode("a+b%00c", 7, false, &n);
	cr_assert_eq(n, 5);
	cr_assert(!memcmp(s, "a+b\0c", 5));
	free(s);
	cr_assert_eq(utf8_hexval('F'), 15);
	cr_assert_eq(utf8_hexval('g'), -1);
}
