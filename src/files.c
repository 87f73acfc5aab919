#include "files.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

static char *xdg_dir(const char *var, const char *fallback, kt_error *err)
{
	const char *base = getenv(var);
	/* the spec says relative values are to be ignored */
	if (base && base[0] == '/')
		return kt_xasprintf("%s/ktestme", base);
	const char *home = getenv("HOME");
	if (!home || home[0] != '/')
		return kt_fail(err, KT_E_IO, "neither %s nor HOME is set to an absolute path", var),
		       NULL;
	return kt_xasprintf("%s/%s/ktestme", home, fallback);
}

char *files_cache_dir(kt_error *err)
{
	return xdg_dir("XDG_CACHE_HOME", ".cache", err);
}

char *files_config_dir(kt_error *err)
{
	return xdg_dir("XDG_CONFIG_HOME", ".config", err);
}

char *files_state_dir(kt_error *err)
{
	return xdg_dir("XDG_STATE_HOME", ".local/state", err);
}

char *files_data_dir(kt_error *err)
{
	return xdg_dir("XDG_DATA_HOME", ".local/share", err);
}

int files_mkdirs(const char *dir, kt_error *err)
{
	char *p = kt_xstrdup(dir);
	for (char *s = p + 1;; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, 0700) && errno != EEXIST) {
			int e = errno;
			kt_fail(err, KT_E_IO, "cannot create directory %s: %s", p, strerror(e));
			free(p);
			return -1;
		}
		*s = c;
		if (!c)
			break;
	}
	struct stat st;
	int rc = 0;
	if (stat(dir, &st) || !S_ISDIR(st.st_mode))
		rc = kt_fail(err, KT_E_IO, "%s is not a directory", dir);
	free(p);
	return rc;
}

/* What is at path may be replaced: nothing, or a regular file of one name that we may write.
 * A symlink is not followed (nor replaced), a device or a FIFO never becomes a file, and a
 * second hard link would silently keep the old content. */
static int check_target(const char *path, kt_error *err)
{
	struct stat st;
	if (lstat(path, &st)) {
		if (errno == ENOENT)
			return 0;
		return kt_fail(err, KT_E_IO, "cannot write %s: %s", path, strerror(errno));
	}
	const char *what = S_ISLNK(st.st_mode) ? "a symbolic link"
		: S_ISDIR(st.st_mode) ? "a directory"
		: S_ISCHR(st.st_mode) ? "a character device"
		: S_ISBLK(st.st_mode) ? "a block device"
		: S_ISFIFO(st.st_mode) ? "a FIFO"
		: S_ISSOCK(st.st_mode) ? "a socket"
		: !S_ISREG(st.st_mode) ? "not a regular file" : NULL;
	if (what)
		return kt_fail(err, KT_E_IO, "not written: %s is %s, not a regular file", path, what);
	if (st.st_nlink > 1)
		return kt_fail(err, KT_E_IO, "not written: %s has %ju other hard links, which would "
			       "keep the old content", path, (uintmax_t)st.st_nlink - 1);
	if (access(path, W_OK))
		return kt_fail(err, KT_E_IO, "cannot write %s: %s", path, strerror(errno));
	return 0;
}

int files_write_atomic(const char *path, const void *data, size_t len, kt_error *err)
{
	if (check_target(path, err))
		return -1;
	char *tmp = kt_xasprintf("%s.XXXXXX", path);
	int fd = mkstemp(tmp); /* mkstemp creates the file with mode 0600 */
	if (fd < 0) {
		int e = errno;
		free(tmp);
		char *dir = kt_xstrdup(path), *slash = strrchr(dir, '/');
		if (slash)
			slash[slash == dir] = '\0';
		kt_fail(err, KT_E_IO, "cannot write %s: cannot create a file in %s: %s", path,
			slash ? dir : ".", strerror(e));
		free(dir);
		return -1;
	}
	const char *p = data;
	size_t left = len;
	int e = 0;
	while (left && !e) {
		ssize_t n = write(fd, p, left);
		if (n < 0 && errno != EINTR)
			e = errno;
		else if (n > 0) {
			p += n;
			left -= (size_t)n;
		}
	}
	if (!e && fchmod(fd, 0600))
		e = errno;
	if (!e && fsync(fd))
		e = errno;
	if (close(fd) && !e)
		e = errno;
	if (!e && rename(tmp, path))
		e = errno;
	if (e) {
		unlink(tmp);
		free(tmp);
		return kt_fail(err, KT_E_IO, "cannot write %s: %s", path, strerror(e));
	}
	free(tmp);
	return 0;
}

char *files_read(const char *path, size_t *len, kt_error *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return kt_fail(err, KT_E_NOINPUT, "cannot read %s: %s", path, strerror(errno)), NULL;
	kt_buf b;
	char chunk[65536];
	size_t n;
	kt_buf_init(&b);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		kt_buf_add(&b, chunk, n);
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		kt_buf_free(&b);
		return kt_fail(err, KT_E_NOINPUT, "cannot read %s", path), NULL;
	}
	if (len)
		*len = b.len;
	return kt_buf_steal(&b);
}

int files_check_upload(const char *name, const char *path, kt_error *err)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		if (e == ENOENT)
			return kt_fail(err, KT_E_NOINPUT, "%s: %s: no such file", name, path);
		return kt_fail(err, KT_E_NOINPUT, "%s: cannot read %s: %s", name, path, strerror(e));
	}
	struct stat st;
	int rc = fstat(fd, &st);
	int e = errno;
	close(fd);
	if (rc)
		return kt_fail(err, KT_E_NOINPUT, "%s: cannot read %s: %s", name, path, strerror(e));
	if (S_ISDIR(st.st_mode))
		return kt_fail(err, KT_E_NOINPUT, "%s: %s is a directory, not a file to upload", name,
			       path);
	if (!S_ISREG(st.st_mode))
		return kt_fail(err, KT_E_NOINPUT, "%s: %s is not a regular file", name, path);
	return 0;
}

char *files_expand_home(const char *path)
{
	const char *home = getenv("HOME");
	if (path[0] == '~' && (path[1] == '/' || !path[1]) && home && *home)
		return kt_xasprintf("%s%s", home, path + 1);
	return kt_xstrdup(path);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t files_complete(const char *typed, char **completed, char ***names)
{
	const char *slash = strrchr(typed, '/');
	size_t dir_len = slash ? (size_t)(slash - typed) + 1 : 0;
	const char *part = typed + dir_len;
	size_t part_len = strlen(part);
	char *dir_typed = kt_xstrndup(typed, dir_len);
	char *dir = dir_len ? files_expand_home(dir_typed) : kt_xstrdup(".");
	*names = NULL;
	size_t n = 0, cap = 0;
	DIR *d = opendir(dir);
	for (struct dirent *e; d && (e = readdir(d));) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (strncmp(e->d_name, part, part_len) || (e->d_name[0] == '.' && part[0] != '.'))
			continue;
		char *full = kt_xasprintf("%s/%s", dir, e->d_name);
		struct stat st;
		bool is_dir = stat(full, &st) == 0 && S_ISDIR(st.st_mode);
		free(full);
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			*names = kt_xrealloc(*names, cap * sizeof **names);
		}
		(*names)[n++] = kt_xasprintf("%s%s", e->d_name, is_dir ? "/" : "");
	}
	if (d)
		closedir(d);
	free(dir);
	if (n)
		qsort(*names, n, sizeof **names, cmp_names);
	/* what every name shares beyond the part typed */
	size_t common = n ? strlen((*names)[0]) : part_len;
	for (size_t i = 1; i < n; i++) {
		size_t k = 0;
		while (k < common && (*names)[i][k] == (*names)[0][k])
			k++;
		common = k;
	}
	*completed = n ? kt_xasprintf("%s%.*s", dir_typed, (int)common, (*names)[0])
		       : kt_xstrdup(typed);
	free(dir_typed);
	return n;
}

void files_names_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}
