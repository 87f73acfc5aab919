#include <criterion/criterion.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include "harden.h"

/* Criterion runs each test in a process of its own: this one may turn dumps off for good. */
Test(harden, no_core_and_not_dumpable)
{
	harden_process();
	cr_assert_eq(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0, "the process is still dumpable");
	struct rlimit rl;
	cr_assert_eq(getrlimit(RLIMIT_CORE, &rl), 0);
	cr_assert_eq(rl.rlim_cur, 0);
	cr_assert_eq(rl.rlim_max, 0, "a child could raise the soft limit again");
}
