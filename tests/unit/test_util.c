#include <criterion/criterion.h>
#include <string.h>

#include "util.h"

Test(util, buffer_grows_and_steals)
{
	kt_buf b;
	kt_buf_init(&b);
	for (int i = 0; i < 1000; i++)
		kt_buf_printf(&b, "%d,", i);
	cr_assert(b.len > 3000);
	cr_assert_eq(strlen(b.data), b.len);
	kt_buf_add(&b, "\0x", 2);
	cr_assert_eq(b.data[b.len - 2], '\0');
	char *s = kt_buf_steal(&b);
	cr_assert_null(b.data);
	free(s);
	s = kt_buf_steal(&b);
	cr_assert_str_eq(s, "");
	free(s);
}

Test(util, parse_ll)
{
	long long v;
	cr_assert(kt_parse_ll("123", &v) && v == 123);
	cr_assert(kt_parse_ll("-5", &v) && v == -5);
	cr_assert_not(kt_parse_ll("", &v));
	cr_assert_not(kt_parse_ll("12a", &v));
	cr_assert_not(kt_parse_ll(" 1", &v));
	cr_assert_not(kt_parse_ll("+1", &v));
	cr_assert_not(kt_parse_ll("99999999999999999999", &v));
	cr_assert_not(kt_parse_ll(NULL, &v));
}

Test(util, hex_round_trip)
{
	unsigned char in[4] = {0x00, 0x7f, 0xab, 0xff}, out[4];
	char hex[9];
	kt_hex(in, 4, hex);
	cr_assert_str_eq(hex, "007fabff");
	cr_assert(kt_unhex("007FABff", out, 4));
	cr_assert_eq(memcmp(in, out, 4), 0);
	cr_assert_not(kt_unhex("007fab", out, 4));
	cr_assert_not(kt_unhex("007fabfg", out, 4));
}

Test(util, spans)
{
	char s[64];
	kt_format_span(0, s, sizeof s);
	cr_assert_str_eq(s, "0 seconds");
	kt_format_span(1, s, sizeof s);
	cr_assert_str_eq(s, "1 second");
	kt_format_span(-90, s, sizeof s);
	cr_assert_str_eq(s, "1 minute 30 seconds");
	kt_format_span(86400 * 2 + 5, s, sizeof s);
	cr_assert_str_eq(s, "2 days");
	kt_format_span(86400 + 3600 * 3 + 60, s, sizeof s);
	cr_assert_str_eq(s, "1 day 3 hours");
}

Test(util, format_size_in_the_unit_given)
{
	char b[32];
	kt_format_size(500 << 10, b, sizeof b);
	cr_assert_str_eq(b, "500 KiB");
	kt_format_size((size_t)100 << 20, b, sizeof b);
	cr_assert_str_eq(b, "100 MiB");
	kt_format_size(1000, b, sizeof b);
	cr_assert_str_eq(b, "1000 bytes");
	kt_format_size(1536 << 10, b, sizeof b);
	cr_assert_str_eq(b, "1536 KiB");
}
