#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "files.h"
#include "util.h"

static char dir[] = "/tmp/kt-files-XXXXXX";

static void setup(void)
{
	strcpy(dir, "/tmp/kt-files-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
	char *cmd = kt_xasprintf("rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
	free(cmd);
}

TestSuite(files, .init = setup, .fini = teardown);

Test(files, xdg_dirs)
{
	setenv("XDG_CACHE_HOME", "/x/cache", 1);
	char *d = files_cache_dir(NULL);
	cr_assert_str_eq(d, "/x/cache/ktestme");
	free(d);
	setenv("XDG_CACHE_HOME", "relative", 1); /* ignored, as the spec says */
	setenv("HOME", "/home/u", 1);
	d = files_cache_dir(NULL);
	cr_assert_str_eq(d, "/home/u/.cache/ktestme");
	free(d);
	unsetenv("XDG_STATE_HOME");
	d = files_state_dir(NULL);
	cr_assert_str_eq(d, "/home/u/.local/state/ktestme");
	free(d);
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("HOME");
	kt_error e;
	cr_assert_null(files_config_dir(&e));
	cr_assert_eq(e.code, KT_E_IO);
}

Test(files, atomic_write_mode_0600_and_replace)
{
	char *sub = kt_xasprintf("%s/a/b/c", dir);
	cr_assert_eq(files_mkdirs(sub, NULL), 0);
	struct stat st;
	cr_assert_eq(stat(sub, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0700);
	char *path = kt_xasprintf("%s/f.xml", sub);
	umask(0);
	cr_assert_eq(files_write_atomic(path, "one", 3, NULL), 0);
	cr_assert_eq(files_write_atomic(path, "two!", 4, NULL), 0);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600);
	size_t len;
	char *back = files_read(path, &len, NULL);
	cr_assert_str_eq(back, "two!");
	cr_assert_eq(len, 4);
	free(back);
	umask(022);
	free(path);
	free(sub);
}

Test(files, failures_leave_nothing_behind)
{
	kt_error e;
	char *path = kt_xasprintf("%s/missing-dir/f", dir);
	cr_assert_eq(files_write_atomic(path, "x", 1, &e), -1);
	cr_assert_eq(e.code, KT_E_IO);
	cr_assert(strstr(e.msg, "missing-dir"));
	cr_assert_null(files_read(path, NULL, &e));
	cr_assert_eq(e.code, KT_E_NOINPUT);
	free(path);
	/* a file where a directory should be */
	path = kt_xasprintf("%s/file", dir);
	cr_assert_eq(files_write_atomic(path, "x", 1, NULL), 0);
	char *under = kt_xasprintf("%s/sub", path);
	cr_assert_eq(files_mkdirs(under, &e), -1);
	free(under);
	free(path);
	char *cmd = kt_xasprintf("test $(ls -A '%s' | wc -l) = 1", dir);
	cr_assert_eq(system(cmd), 0, "a temp file was left behind");
	free(cmd);
}
