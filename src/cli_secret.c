/* Secrets on the command line: every command that takes one takes it as an argument (with a
 * warning: command lines are visible to other users in ps and /proc), as "-" (standard input),
 * from a file, or from the environment. */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "files.h"
#include "request.h"
#include "util.h"

char *cli_stdin_once(const char *cmd, const char *what, int *rc)
{
	if (cli_stdin_used()) {
		*rc = cli_usage_error(cmd, "%s: standard input is already read for another '-'", what);
		return NULL;
	}
	char *s = cli_read_stdin();
	if (!s || !*s) {
		kt_free_secret(s);
		*rc = cli_usage_error(cmd, "%s: nothing on standard input", what);
		return NULL;
	}
	return s;
}

void cli_warn_visible(const char *cmd, const char *what, const char *instead)
{
	fprintf(stderr, "ktestme %s: warning: %s on the command line is visible to other users "
		"(ps); %s\n", cmd, what, instead);
}

char *cli_secret_value(const char *cmd, const char *opt, const char *value, const char *env,
		       int *rc)
{
	if (!strcmp(value, "-"))
		return cli_stdin_once(cmd, opt, rc);
	if (!*value) {
		*rc = cli_usage_error(cmd, "%s is empty", opt);
		return NULL;
	}
	char *instead = kt_xasprintf("prefer %s-file FILE, %s -%s%s", opt, opt, env ? " or " : "",
				     env ? env : "");
	cli_warn_visible(cmd, opt, instead);
	free(instead);
	return kt_xstrdup(value);
}

char *cli_secret_file(const char *cmd, const char *path, int *rc)
{
	kt_error err;
	size_t len;
	char *s = files_read(path, &len, &err);
	if (!s) {
		*rc = cli_report(&err);
		return NULL;
	}
	/* the line a file holds, without its newline (echo secret > file) */
	while (len && strchr(" \t\r\n", s[len - 1]))
		s[--len] = '\0';
	if (!len || memchr(s, '\0', len) || strchr(s, '\n')) {
		kt_free_secret(s);
		*rc = cli_usage_error(cmd, "%s does not hold one line with the secret", path);
		return NULL;
	}
	struct stat st;
	if (!stat(path, &st) && (st.st_mode & 077))
		fprintf(stderr, "ktestme %s: warning: %s can be read by other users (chmod 600 %s)\n",
			cmd, path, path);
	return s;
}

char *cli_secret(const char *cmd, const char *opt, const char *value, const char *file,
		 const char *env, int *rc)
{
	*rc = 0;
	if (value && file) {
		*rc = cli_usage_error(cmd, "%s and %s-file exclude each other", opt, opt);
		return NULL;
	}
	if (file)
		return cli_secret_file(cmd, file, rc);
	if (value)
		return cli_secret_value(cmd, opt, value, env, rc);
	const char *v = env ? cli_env(env) : NULL;
	return v ? kt_xstrdup(v) : NULL;
}

int cli_take_uploads(const char *cmd, kt_request *r, int argc, char **argv, int *rc)
{
	*rc = 0;
	int kept = 0;
	for (int i = 0; i < argc; i++) {
		char *arg = argv[i];
		size_t name_len = strcspn(arg, "@=");
		if (arg[name_len] != '@' || !name_len) {
			argv[kept++] = arg;
			continue;
		}
		char *name = kt_xstrndup(arg, name_len);
		const char *path = arg + name_len + 1;
		if (strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_:") !=
		    name_len)
			*rc = cli_usage_error(cmd, "'%s' is neither name=value nor name@FILE", arg);
		else if (!*path)
			*rc = cli_usage_error(cmd, "'%s' needs a file to upload after the '@'", arg);
		else
			request_add_file(r, name, path);
		free(name);
		if (*rc)
			return -1;
	}
	return kept;
}

char **cli_param_args(const char *cmd, int argc, char **argv, int *rc)
{
	*rc = 0;
	char **out = kt_xcalloc((size_t)argc + 1, sizeof *out);
	for (int i = 0; i < argc; i++) {
		const char *eq = strchr(argv[i], '=');
		char *name = eq ? kt_xstrndup(argv[i], (size_t)(eq - argv[i])) : NULL;
		char *value = NULL;
		if (!eq) {
			out[i] = kt_xstrdup(argv[i]);
		} else if (!strcmp(eq + 1, "-")) {
			value = cli_stdin_once(cmd, name, rc);
		} else if (eq[1] == '@' && eq[2] == '@') {
			value = kt_xstrdup(eq + 2); /* "@@x" is the text "@x" */
		} else if (eq[1] == '@') {
			size_t len;
			kt_error err;
			value = files_read(eq + 2, &len, &err);
			if (!value)
				*rc = cli_report(&err);
			else if (len && value[len - 1] == '\n') /* the file's last newline */
				value[--len] = '\0';
		} else {
			out[i] = kt_xstrdup(argv[i]);
			/* a back-reference ("2:ks={1:result}") is no secret */
			if (request_is_secret_name(name) && strcmp(name, "ks") && eq[1] &&
			    !request_is_backref(eq + 1)) {
				char *what = kt_xasprintf("%s=", name);
				char *instead = kt_xasprintf("prefer %s=@FILE or %s=-", name, name);
				cli_warn_visible(cmd, what, instead);
				free(instead);
				free(what);
			}
		}
		if (value) {
			out[i] = kt_xasprintf("%s=%s", name, value);
			kt_free_secret(value);
		}
		free(name);
		if (*rc) {
			cli_free_args(out);
			return NULL;
		}
	}
	return out;
}

void cli_free_args(char **args)
{
	if (!args)
		return;
	for (char **a = args; *a; a++)
		kt_free_secret(*a);
	free(args);
}
