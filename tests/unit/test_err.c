#include <criterion/criterion.h>
#include <string.h>

#include "err.h"

Test(err, fail_sets_code_and_one_sentence)
{
	kt_error e;
	cr_assert_eq(kt_fail(&e, KT_E_NET, "cannot reach %s port %d", "host", 443), -1);
	cr_assert_eq(e.code, KT_E_NET);
	cr_assert_str_eq(e.msg, "cannot reach host port 443");
	cr_assert_eq(kt_fail(NULL, KT_E_USAGE, "ignored"), -1);
	kt_error_clear(&e);
	cr_assert_eq(e.code, KT_OK);
	cr_assert_str_eq(e.msg, "");
	char longer[2000];
	memset(longer, 'x', sizeof longer - 1);
	longer[sizeof longer - 1] = '\0';
	kt_fail(&e, KT_E_DATA, "%s", longer);
	cr_assert_eq(strlen(e.msg), sizeof e.msg - 1, "long messages are cut, not overflowed");
}

Test(err, exit_codes_are_distinct_where_the_cli_needs_them)
{
	int codes[] = {KT_OK, KT_E_API, KT_E_NET, KT_E_BADSIG, KT_E_RESPONSE, KT_E_TOOBIG,
		       KT_E_CANCELLED, KT_E_USAGE, KT_E_DATA, KT_E_NOINPUT, KT_E_INTERNAL, KT_E_IO};
	size_t n = sizeof codes / sizeof codes[0];
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			cr_assert_neq(codes[i], codes[j], "codes %zu and %zu collide", i, j);
}
