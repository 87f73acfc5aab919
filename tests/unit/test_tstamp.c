/* tstamp: which result lines are Unix times (XML and JSON, names ending in At/Date/On) and
 * their UTC and local dates. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tstamp.h"

static bool ann(const char *line, char *out)
{
	return tstamp_annotation(line, strlen(line), out, 96);
}

Test(tstamp, xml_and_json_lines)
{
	setenv("TZ", "UTC", 1);
	tzset();
	char out[96];
	cr_assert(ann("    <createdAt>1796154919</createdAt>", out));
	cr_assert_str_eq(out, "2026-12-01 19:55:19 UTC");
	cr_assert(ann("  \"updatedAt\": 1700000000,", out));
	cr_assert_str_eq(out, "2023-11-14 22:13:20 UTC");
	cr_assert(ann("\"startDate\": 86400", out));
	cr_assert_str_eq(out, "1970-01-02 00:00:00 UTC");
	cr_assert(ann("<lastLoginOn>1700000000</lastLoginOn>\r", out));
}

Test(tstamp, local_time_beside_utc)
{
	setenv("TZ", "Asia/Tokyo", 1);
	tzset();
	char out[96];
	cr_assert(ann("<createdAt>1700000000</createdAt>", out));
	cr_assert_str_eq(out, "2023-11-14 22:13:20 UTC, 2023-11-15 07:13:20 JST");
	setenv("TZ", "UTC", 1);
	tzset();
}

Test(tstamp, other_lines_are_left_alone)
{
	char out[96] = "";
	static const char *const no[] = {
		"<id>1700000000</id>",                  /* not a time name */
		"<createdAt>0</createdAt>",              /* none */
		"<createdAt>-1</createdAt>",
		"<createdAt>17e8</createdAt>",
		"<createdAt>1700000000</updatedAt>",     /* mismatched */
		"<createdAt>1700000000</createdAt> x",
		"\"createdAt\": \"1700000000\",",        /* a string */
		"\"createdAt\": 1700000000.5",
		"<At>1700000000</At>",                   /* a bare ending */
		"<format>1700000000</format>",           /* lower-case ending is no time */
		"<createdAt>99999999999999</createdAt>", /* too long */
		"",
		"<createdAt>",
	};
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		cr_assert_not(ann(no[i], out), "%s", no[i]);
}
