/* files: where ktestme keeps its files (XDG directories) and how it writes them: mode 0600,
 * atomically (temp file + rename), so a crash never leaves half a file. */
#ifndef KT_FILES_H
#define KT_FILES_H

#include <stddef.h>

#include "err.h"

/* $XDG_CACHE_HOME/ktestme (default ~/.cache/ktestme), and likewise for config and state.
 * malloc'd; NULL with err set when neither XDG_*_HOME nor HOME is set. */
char *files_cache_dir(kt_error *err);
char *files_config_dir(kt_error *err);
char *files_state_dir(kt_error *err);
/* $XDG_DATA_HOME/ktestme (default ~/.local/share/ktestme): what the user keeps (saved requests). */
char *files_data_dir(kt_error *err);

/* Creates dir and its parents with mode 0700 where missing. */
int files_mkdirs(const char *dir, kt_error *err);

/* Writes data to path through a temp file in the same directory, fsync and rename; mode 0600.
 * Only a new name or a regular file with one link that the user may write is replaced: a
 * symlink, a device, a FIFO, a directory or a hard-linked file is refused with the reason.
 * On failure the old file is untouched and the temp file removed. KT_E_IO. */
int files_write_atomic(const char *path, const void *data, size_t len, kt_error *err);

/* Reads a whole file (NUL-terminated, *len without it). KT_E_NOINPUT when it cannot. */
char *files_read(const char *path, size_t *len, kt_error *err);

/* A file to upload may be read: it exists, is a regular file (a FIFO or a device would never
 * end) and opens for reading. -1 with KT_E_NOINPUT "NAME: PATH: the reason" otherwise. */
int files_check_upload(const char *name, const char *path, kt_error *err);

/* "~/x" as $HOME/x (a path typed in the console, where no shell expands it); else a copy. */
char *files_expand_home(const char *path);

/* Tab completion of a file path as typed (relative to the current directory; "~/" is $HOME):
 * the entries of its directory whose names start with its last part (dot files only when that
 * part starts with '.'), sorted, a directory's name with a '/' after it, into *names (malloc'd,
 * as are its strings; free with files_names_free). Returns their number. *completed (malloc'd)
 * is typed extended by what all of them share, and for one name by all of it. */
size_t files_complete(const char *typed, char **completed, char ***names);
void files_names_free(char **names, size_t n);

#endif
