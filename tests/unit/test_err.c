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

Test(err, every_exit_code_is_distinct)
{
	size_t n;
	const kt_code_info *c = kt_codes(&n);
	cr_assert_gt(n, 10);
	for (size_t i = 0; i < n; i++) {
		cr_assert(c[i].code >= 0 && c[i].code < 126, "%s is no exit code", c[i].name);
		for (size_t j = i + 1; j < n; j++)
			cr_assert_neq(c[i].code, c[j].code, "%s and %s collide", c[i].name, c[j].name);
	}
	cr_assert_neq(KT_E_NOTKS, KT_E_NET);
}
