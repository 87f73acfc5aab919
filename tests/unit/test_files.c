#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
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

/* what is at the path is untouched and the reason named */
static void refused(const char *path, const char *why)
{
	struct stat before, after;
	cr_assert_eq(lstat(path, &before), 0);
	kt_error e;
	cr_assert_eq(files_write_atomic(path, "x", 1, &e), -1, "%s was written", path);
	cr_assert_eq(e.code, KT_E_IO);
	cr_assert(strstr(e.msg, why), "'%s' lacks '%s'", e.msg, why);
	cr_assert_eq(lstat(path, &after), 0);
	cr_assert_eq(before.st_mode, after.st_mode, "%s changed type", path);
	cr_assert_eq(before.st_ino, after.st_ino, "%s was replaced", path);
}

Test(files, only_a_regular_file_is_replaced)
{
	char *target = kt_xasprintf("%s/target", dir);
	cr_assert_eq(files_write_atomic(target, "keep", 4, NULL), 0);
	char *sym = kt_xasprintf("%s/link", dir);
	cr_assert_eq(symlink(target, sym), 0);
	refused(sym, "is a symbolic link");
	char *back = files_read(target, NULL, NULL);
	cr_assert_str_eq(back, "keep", "the symlink was followed");
	free(back);
	char *hard = kt_xasprintf("%s/hard", dir);
	cr_assert_eq(link(target, hard), 0);
	refused(hard, "other hard links");
	char *fifo = kt_xasprintf("%s/fifo", dir);
	cr_assert_eq(mkfifo(fifo, 0600), 0);
	refused(fifo, "is a FIFO");
	refused(dir, "is a directory");
	/* a character device made for the test (like /dev/full: 1,7); without root, /dev/null,
	 * which an unprivileged user cannot replace anyway */
	char *dev = kt_xasprintf("%s/full", dir);
	if (geteuid() == 0) {
		cr_assert_eq(mknod(dev, S_IFCHR | 0600, makedev(1, 7)), 0);
		refused(dev, "is a character device");
	} else {
		refused("/dev/null", "is a character device");
	}
	free(dev);
	free(fifo);
	free(hard);
	free(sym);
	free(target);
}

/* The permission checks as a user: root passes them all, so as root they run in a child
 * that has become nobody. */
static void as_user(void (*body)(void))
{
	if (geteuid() != 0) {
		body();
		return;
	}
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(2);
		body();
		_exit(0);
	}
	int st;
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "as nobody: status %d", st);
}

static char *ro_file, *locked_dir;

static void permission_reasons(void)
{
	kt_error e;
	if (files_write_atomic(ro_file, "new", 3, &e) != -1 || !strstr(e.msg, "Permission denied"))
		exit(3);
	char *in = kt_xasprintf("%s/f", locked_dir);
	int rc = files_write_atomic(in, "x", 1, &e);
	free(in);
	if (rc != -1 || !strstr(e.msg, "cannot create a file in") ||
	    !strstr(e.msg, "Permission denied"))
		exit(4);
}

Test(files, a_permission_problem_says_so)
{
	cr_assert_eq(chmod(dir, 0777), 0); /* nobody may write here: only the file says no */
	ro_file = kt_xasprintf("%s/ro", dir);
	cr_assert_eq(files_write_atomic(ro_file, "old", 3, NULL), 0);
	cr_assert_eq(chmod(ro_file, 0444), 0);
	locked_dir = kt_xasprintf("%s/locked", dir);
	cr_assert_eq(mkdir(locked_dir, 0555), 0);
	as_user(permission_reasons);
	char *back = files_read(ro_file, NULL, NULL);
	cr_assert_str_eq(back, "old");
	free(back);
	chmod(locked_dir, 0700);
	free(locked_dir);
	free(ro_file);
}

Test(files, upload_checks)
{
	char *file = kt_xasprintf("%s/clip.bin", dir), *none = kt_xasprintf("%s/none", dir);
	kt_error e;
	cr_assert_eq(files_write_atomic(file, "x", 1, &e), 0, "%s", e.msg);
	cr_assert_eq(files_check_upload("fileData", file, &e), 0, "%s", e.msg);
	cr_assert_eq(files_check_upload("fileData", none, &e), -1);
	cr_assert_eq(e.code, KT_E_NOINPUT);
	char *want = kt_xasprintf("fileData: %s: no such file", none);
	cr_assert_str_eq(e.msg, want);
	free(want);
	cr_assert_eq(files_check_upload("fileData", dir, &e), -1);
	want = kt_xasprintf("fileData: %s is a directory, not a file to upload", dir);
	cr_assert_str_eq(e.msg, want);
	free(want);
	cr_assert_eq(files_check_upload("fileData", "/dev/null", &e), -1);
	cr_assert_str_eq(e.msg, "fileData: /dev/null is not a regular file");
	if (geteuid() != 0) { /* root reads a file of mode 0 */
		chmod(file, 0);
		cr_assert_eq(files_check_upload("fileData", file, &e), -1);
		cr_assert(strstr(e.msg, "cannot read"), "%s", e.msg);
	}
	free(file);
	free(none);
}

/* files_complete of dir/typed: n names, the text grown to dir/want (want NULL: as typed); the
 * names stay in *names (free them). */
static size_t complete(const char *typed, size_t n, const char *want, char ***names)
{
	char *t = kt_xasprintf("%s/%s", dir, typed), *done;
	size_t got = files_complete(t, &done, names);
	cr_assert_eq(got, n, "%s: %zu names", typed, got);
	char *w = kt_xasprintf("%s/%s", dir, want ? want : typed);
	cr_assert_str_eq(done, w);
	free(w), free(done), free(t);
	return got;
}

/* Tab in a file field: the names of the directory that start as typed, sorted, directories
 * with a '/'; the text grows by what they share. */
Test(files, complete_paths)
{
	char *p;
	const char *make[] = {"clip-one.mp4", "clip-two.mp4", "notes.txt", ".hidden"};
	for (size_t i = 0; i < 4; i++) {
		p = kt_xasprintf("%s/%s", dir, make[i]);
		cr_assert_eq(files_write_atomic(p, "x", 1, NULL), 0);
		free(p);
	}
	p = kt_xasprintf("%s/clips", dir);
	cr_assert_eq(mkdir(p, 0700), 0);
	free(p);

	char **names;
	size_t n = complete("cl", 3, "clip", &names);
	cr_assert_str_eq(names[0], "clip-one.mp4");
	cr_assert_str_eq(names[1], "clip-two.mp4");
	cr_assert_str_eq(names[2], "clips/");
	files_names_free(names, n);
	n = complete("clip-t", 1, "clip-two.mp4", &names);
	files_names_free(names, n);
	/* one directory: its '/' too, so the next Tab goes into it */
	n = complete("clips", 1, "clips/", &names);
	files_names_free(names, n);
	n = complete("n", 1, "notes.txt", &names);
	files_names_free(names, n);
	/* dot files only when asked for; nothing found leaves the text */
	n = complete("", 4, NULL, &names);
	files_names_free(names, n);
	n = complete(".h", 1, ".hidden", &names);
	cr_assert_str_eq(names[0], ".hidden");
	files_names_free(names, n);
	n = complete("zz", 0, NULL, &names);
	files_names_free(names, n);

	/* "~/" reads $HOME and stays as typed */
	char *old = getenv("HOME") ? strdup(getenv("HOME")) : NULL, *done;
	setenv("HOME", dir, 1);
	n = files_complete("~/no", &done, &names);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(done, "~/notes.txt");
	free(done);
	files_names_free(names, n);
	char *e = files_expand_home("~/x"), *want = kt_xasprintf("%s/x", dir);
	cr_assert_str_eq(e, want);
	free(e), free(want);
	e = files_expand_home("/a/~/x");
	cr_assert_str_eq(e, "/a/~/x");
	free(e);
	if (old)
		setenv("HOME", old, 1);
	free(old);
}
