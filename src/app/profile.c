#include "profile.h"

#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <openssl/crypto.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "files.h"
#include "ks.h"
#include "region.h"
#include "util.h"

extern char **environ;

#define MAX_LINE 4096            /* longer lines are refused, not cut */
#define MAX_CONFIG (1 << 20)
#define MAX_SECRET (64 << 10)

static const char *const secret_keys[PROFILE_NSECRETS] = {"admin_secret", "user_secret",
							  "password", "app_token"};

const char *profile_secret_key(profile_secret_id id)
{
	return id < PROFILE_NSECRETS ? secret_keys[id] : "secret";
}

char *profile_default_path(kt_error *err)
{
	char *dir = files_config_dir(err);
	if (!dir)
		return NULL;
	char *path = kt_xasprintf("%s/config", dir);
	free(dir);
	return path;
}

/* ---- parsing ---- */

/* What the reader and the handler share: inih gives the handler no line number, but it calls
 * the handler right after the reader returned that line. */
typedef struct parse_state {
	const char *p, *end;
	int line;
	bool overlong;
	const char *origin;
	bool others_can_read;
	profile_config *cfg;
	char *last_section;
	kt_error err;
	bool failed;
} parse_state;

static char *reader(char *str, int num, void *stream)
{
	parse_state *st = stream;
	if (st->p >= st->end || st->overlong)
		return NULL;
	const char *nl = memchr(st->p, '\n', (size_t)(st->end - st->p));
	size_t len = nl ? (size_t)(nl - st->p) + 1 : (size_t)(st->end - st->p);
	st->line++;
	if (len > MAX_LINE || len >= (size_t)num) {
		st->overlong = true;
		return NULL;
	}
	memcpy(str, st->p, len);
	str[len] = '\0';
	st->p += len;
	return str;
}

static int fail_line(parse_state *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail_line(parse_state *st, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	kt_fail(&st->err, KT_E_DATA, "%s:%d: %s", st->origin, st->line, msg);
	st->failed = true;
	return 0;
}

static bool valid_name(const char *s)
{
	size_t n = strlen(s);
	if (!n || n > 64)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '.' || *s == '_' || *s == '-'))
			return false;
	return true;
}

static bool printable(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

static profile *profile_for(parse_state *st, const char *name)
{
	profile_config *cfg = st->cfg;
	for (int i = 0; i < cfg->n; i++)
		if (!strcmp(cfg->profiles[i].name, name))
			return &cfg->profiles[i];
	cfg->profiles = kt_xrealloc(cfg->profiles, (size_t)(cfg->n + 1) * sizeof *cfg->profiles);
	profile *p = &cfg->profiles[cfg->n++];
	*p = (profile){.name = kt_xstrdup(name), .partner_id = -1, .type = -1};
	return p;
}

static int set_string(parse_state *st, char **slot, const char *key, const char *value)
{
	if (*slot)
		return fail_line(st, "%s is set twice in this profile", key);
	*slot = kt_xstrdup(value);
	return 1;
}

static int set_secret(parse_state *st, profile *p, const char *key, const char *value)
{
	static const struct { const char *suffix; profile_source_kind kind; } kinds[] = {
		{"", SRC_PLAIN}, {"_env", SRC_ENV}, {"_command", SRC_COMMAND}, {"_file", SRC_FILE},
	};
	for (int id = 0; id < PROFILE_NSECRETS; id++) {
		size_t kl = strlen(secret_keys[id]);
		if (strncmp(key, secret_keys[id], kl))
			continue;
		for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
			if (strcmp(key + kl, kinds[k].suffix))
				continue;
			profile_source *s = &p->secrets[id];
			if (s->kind != SRC_NONE)
				return fail_line(st, "%s has two sources in this profile (keep one of "
						 "%s, _env, _command, _file)", secret_keys[id],
						 secret_keys[id]);
			if (!*value)
				return fail_line(st, "%s is empty", key);
			if (kinds[k].kind == SRC_COMMAND) {
				char **argv;
				kt_error e;
				if (profile_split_command(value, &argv, &e))
					return fail_line(st, "%s: %s", key, e.msg);
				profile_argv_free(argv);
			}
			if (kinds[k].kind == SRC_PLAIN && st->others_can_read) {
				st->cfg->warnings = kt_xrealloc(st->cfg->warnings,
								(size_t)(st->cfg->nwarnings + 1) *
									sizeof *st->cfg->warnings);
				st->cfg->warnings[st->cfg->nwarnings++] = kt_xasprintf(
					"%s:%d: %s of profile %s is a plaintext secret in a file other "
					"users can read (chmod 600 %s, or use %s_env, _command or _file)",
					st->origin, st->line, key, p->name, st->origin, key);
			}
			s->kind = kinds[k].kind;
			s->arg = kt_xstrdup(value);
			return 1;
		}
	}
	return -1;
}

static int profile_key(parse_state *st, profile *p, const char *key, const char *value)
{
	kt_error e;
	long long n;
	int r = set_secret(st, p, key, value);
	if (r >= 0)
		return r;
	if (!printable(value))
		return fail_line(st, "the value of %s holds control characters", key);
	if (!strcmp(key, "region")) {
		if (p->url)
			return fail_line(st, "region and url exclude each other");
		if (!region_find(value))
			return fail_line(st, "unknown region '%s' (us, eu, ap, sg, ca, de; url = for any "
					 "other)", value);
		return set_string(st, &p->region, key, value);
	}
	if (!strcmp(key, "url")) {
		if (p->region)
			return fail_line(st, "region and url exclude each other");
		char *url = region_normalize_url(value, &e);
		if (!url)
			return fail_line(st, "url: %s", e.msg);
		r = set_string(st, &p->url, key, url);
		free(url);
		return r;
	}
	if (!strcmp(key, "partner_id")) {
		if (p->partner_id >= 0)
			return fail_line(st, "%s is set twice in this profile", key);
		if (!kt_parse_ll(value, &n) || n < 0)
			return fail_line(st, "partner_id takes a non-negative number, not '%s'", value);
		p->partner_id = n;
		return 1;
	}
	if (!strcmp(key, "type")) {
		if (p->type >= 0)
			return fail_line(st, "%s is set twice in this profile", key);
		if (!strcasecmp(value, "user") || !strcmp(value, "0"))
			p->type = KS_TYPE_USER;
		else if (!strcasecmp(value, "admin") || !strcmp(value, "2"))
			p->type = KS_TYPE_ADMIN;
		else
			return fail_line(st, "type is user or admin, not '%s'", value);
		return 1;
	}
	if (!strcmp(key, "expiry")) {
		if (p->expiry)
			return fail_line(st, "%s is set twice in this profile", key);
		if (!kt_parse_ll(value, &n) || n <= 0 || n > 10LL * 365 * 86400)
			return fail_line(st, "expiry takes a positive number of seconds, not '%s'",
					 value);
		p->expiry = n;
		return 1;
	}
	if (!strcmp(key, "user_id"))
		return set_string(st, &p->user_id, key, value);
	if (!strcmp(key, "privileges"))
		return set_string(st, &p->privileges, key, value);
	if (!strcmp(key, "login_id"))
		return set_string(st, &p->login_id, key, value);
	if (!strcmp(key, "app_token_id"))
		return set_string(st, &p->app_token_id, key, value);
	if (!strcmp(key, "app_token_hash_type")) {
		static const char *types[] = {"sha1", "md5", "sha256", "sha512"};
		for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
			if (!strcasecmp(value, types[i]))
				return set_string(st, &p->app_token_hash_type, key, value);
		return fail_line(st, "app_token_hash_type is sha1, md5, sha256 or sha512, not '%s'",
				 value);
	}
	return fail_line(st, "unknown key '%s' in a profile", key);
}

static int handler(void *user, const char *section, const char *key, const char *value)
{
	parse_state *st = user;
	if (st->failed)
		return 0;
	if (!*section) {
		if (strcmp(key, "profile"))
			return fail_line(st, "unknown top-level key '%s' (only 'profile = NAME', the "
					 "default profile, comes before the first [profile NAME])",
					 key);
		if (st->cfg->default_name)
			return fail_line(st, "profile is set twice");
		if (!valid_name(value))
			return fail_line(st, "'%s' is not a profile name (letters, digits, . _ -)",
					 value);
		st->cfg->default_name = kt_xstrdup(value);
		return 1;
	}
	if (strncmp(section, "profile ", 8))
		return fail_line(st, "unknown section [%s] (profiles are [profile NAME])", section);
	const char *name = section + 8;
	while (*name == ' ')
		name++;
	if (!valid_name(name))
		return fail_line(st, "'%s' is not a profile name (letters, digits, . _ -)", name);
	if (!st->last_section || strcmp(st->last_section, section)) {
		if (profile_find(st->cfg, name))
			return fail_line(st, "[profile %s] appears twice", name);
		free(st->last_section);
		st->last_section = kt_xstrdup(section);
	}
	return profile_key(st, profile_for(st, name), key, value);
}

int profile_parse(const char *text, size_t len, const char *origin, bool others_can_read,
		  profile_config *cfg, kt_error *err)
{
	*cfg = (profile_config){0};
	if (memchr(text, '\0', len)) {
		return kt_fail(err, KT_E_DATA, "%s is not a text file (it holds NUL bytes)", origin);
	}
	parse_state st = {.p = text, .end = text + len, .origin = origin,
			  .others_can_read = others_can_read, .cfg = cfg};
	/* Debian's inih takes its options at run time: values may hold ';' (no inline comments),
	 * an indented line is a line of its own, and a line may be long (the reader caps it). */
	ini_allow_inline_comments = false;
	ini_allow_multiline = false;
	ini_use_stack = false;
	ini_max_line = MAX_LINE + 2;
	ini_stop_on_first_error = true;
	int rc = ini_parse_stream(reader, &st, handler, &st);
	free(st.last_section);
	if (st.failed) /* the handler said what is wrong */
		goto failed;
	if (st.overlong)
		kt_fail(&st.err, KT_E_DATA, "%s:%d: the line is longer than %d bytes", origin, st.line,
			MAX_LINE);
	else if (rc > 0)
		kt_fail(&st.err, KT_E_DATA, "%s:%d: not a 'name = value' line or a [profile NAME] "
			"header", origin, rc);
	else if (rc < 0)
		kt_fail(&st.err, KT_E_INTERNAL, "%s: out of memory while reading it", origin);
	else if (cfg->default_name && !profile_find(cfg, cfg->default_name))
		kt_fail(&st.err, KT_E_DATA, "%s: the default profile '%s' has no [profile %s]", origin,
			cfg->default_name, cfg->default_name);
	else
		return 0;
failed:
	if (err)
		*err = st.err;
	profile_config_free(cfg);
	return -1;
}

int profile_load(const char *path, profile_config *cfg, kt_error *err)
{
	*cfg = (profile_config){0};
	char *own = NULL;
	if (!path) {
		/* no HOME and no XDG_CONFIG_HOME: there is no config to read */
		own = profile_default_path(NULL);
		if (!own)
			return 0;
	}
	const char *at = path ? path : own;
	int fd = open(at, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		int e = errno;
		if (!path && e == ENOENT) {
			free(own);
			return 0;
		}
		kt_fail(err, KT_E_NOINPUT, "cannot read %s: %s", at, strerror(e));
		free(own);
		return -1;
	}
	struct stat sb;
	int rc = -1;
	if (fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
		kt_fail(err, KT_E_NOINPUT, "%s is not a regular file", at);
	} else if (sb.st_mode & (S_IWGRP | S_IWOTH)) {
		/* it names commands to run: a file others may change is refused, as ssh does */
		kt_fail(err, KT_E_DATA, "%s may be changed by other users: chmod go-w %s", at, at);
	} else if (sb.st_size > MAX_CONFIG) {
		kt_fail(err, KT_E_DATA, "%s is over 1 MB", at);
	} else {
		char *text = kt_xmalloc((size_t)sb.st_size + 1);
		size_t got = 0;
		ssize_t r;
		while (got < (size_t)sb.st_size &&
		       (r = read(fd, text + got, (size_t)sb.st_size - got)) > 0)
			got += (size_t)r;
		text[got] = '\0';
		rc = profile_parse(text, got, at, (sb.st_mode & (S_IRGRP | S_IROTH)) != 0, cfg, err);
		free(text);
		if (!rc) {
			cfg->path = kt_xstrdup(at);
			const char *slash = strrchr(at, '/');
			cfg->dir = slash ? kt_xstrndup(at, (size_t)(slash - at)) : kt_xstrdup(".");
		}
	}
	close(fd);
	free(own);
	return rc;
}

void profile_config_free(profile_config *cfg)
{
	for (int i = 0; i < cfg->n; i++) {
		profile *p = &cfg->profiles[i];
		free(p->name);
		free(p->region);
		free(p->url);
		free(p->user_id);
		free(p->privileges);
		free(p->login_id);
		free(p->app_token_id);
		free(p->app_token_hash_type);
		for (int s = 0; s < PROFILE_NSECRETS; s++)
			kt_free_secret(p->secrets[s].arg);
	}
	for (int i = 0; i < cfg->nwarnings; i++)
		free(cfg->warnings[i]);
	free(cfg->warnings);
	free(cfg->profiles);
	free(cfg->path);
	free(cfg->dir);
	free(cfg->default_name);
	*cfg = (profile_config){0};
}

const profile *profile_find(const profile_config *cfg, const char *name)
{
	for (int i = 0; name && i < cfg->n; i++)
		if (!strcmp(cfg->profiles[i].name, name))
			return &cfg->profiles[i];
	return NULL;
}

const profile *profile_select(const profile_config *cfg, const char *name, kt_error *err)
{
	kt_error_clear(err);
	const char *from = "--profile";
	if (!name || !*name) {
		name = getenv("KTESTME_PROFILE");
		from = "KTESTME_PROFILE";
	}
	if (!name || !*name) {
		name = cfg->default_name;
		from = "the config's default";
	}
	if (!name)
		return NULL;
	const profile *p = profile_find(cfg, name);
	if (p)
		return p;
	kt_buf names;
	kt_buf_init(&names);
	for (int i = 0; i < cfg->n; i++)
		kt_buf_printf(&names, "%s%s", i ? ", " : "", cfg->profiles[i].name);
	kt_fail(err, KT_E_USAGE, "no profile '%s' (%s) in %s (%s)", name, from,
		cfg->path ? cfg->path : "the config", names.len ? names.data : "it has none");
	kt_buf_free(&names);
	return NULL;
}

/* ---- secrets ---- */

bool profile_has_secret(const profile *p, profile_secret_id id)
{
	return p && id < PROFILE_NSECRETS && p->secrets[id].kind != SRC_NONE;
}

/* The first line, without its line end: what `pass show` and a secret file hold. */
static char *first_line(kt_buf *b)
{
	const char *d = b->data ? b->data : "";
	char *s = kt_xstrndup(d, strcspn(d, "\r\n"));
	if (b->data)
		OPENSSL_cleanse(b->data, b->len);
	kt_buf_free(b);
	return s;
}

static int run_command(const char *what, const char *line, char **out, kt_error *err)
{
	char **argv;
	if (profile_split_command(line, &argv, err))
		return -1;
	int fds[2];
	if (pipe2(fds, O_CLOEXEC)) {
		profile_argv_free(argv);
		return kt_fail(err, KT_E_NOINPUT, "%s: cannot make a pipe: %s", what, strerror(errno));
	}
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
	pid_t pid;
	int e = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (e) {
		close(fds[0]);
		kt_fail(err, KT_E_NOINPUT, "%s: cannot run '%s': %s", what, argv[0], strerror(e));
		profile_argv_free(argv);
		return -1;
	}
	kt_buf b;
	kt_buf_init(&b);
	char chunk[4096];
	ssize_t r;
	bool big = false;
	while ((r = read(fds[0], chunk, sizeof chunk)) > 0 || (r < 0 && errno == EINTR))
		if (r > 0 && !big) {
			kt_buf_add(&b, chunk, (size_t)r);
			big = b.len > MAX_SECRET;
		}
	OPENSSL_cleanse(chunk, sizeof chunk);
	close(fds[0]);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	int rc = -1;
	if (WIFSIGNALED(status))
		kt_fail(err, KT_E_NOINPUT, "%s: '%s' was killed by signal %d", what, argv[0],
			WTERMSIG(status));
	else if (WEXITSTATUS(status))
		kt_fail(err, KT_E_NOINPUT, "%s: '%s' exited with status %d", what, argv[0],
			WEXITSTATUS(status));
	else if (big)
		kt_fail(err, KT_E_NOINPUT, "%s: '%s' printed over 64 KB", what, argv[0]);
	else
		rc = 0;
	profile_argv_free(argv);
	if (rc) {
		if (b.data)
			OPENSSL_cleanse(b.data, b.len);
		kt_buf_free(&b);
		return -1;
	}
	*out = first_line(&b);
	if (!**out) {
		free(*out);
		*out = NULL;
		return kt_fail(err, KT_E_NOINPUT, "%s printed nothing on its first line", what);
	}
	return 0;
}

static int read_secret_file(const profile_config *cfg, const char *what, const char *path,
			    char **out, char **warning, kt_error *err)
{
	char *full;
	const char *home = getenv("HOME");
	if (!strncmp(path, "~/", 2) && home && *home)
		full = kt_xasprintf("%s/%s", home, path + 2);
	else if (path[0] != '/' && cfg->dir)
		full = kt_xasprintf("%s/%s", cfg->dir, path);
	else
		full = kt_xstrdup(path);
	int fd = open(full, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	struct stat sb;
	int rc = -1;
	if (fd < 0) {
		kt_fail(err, KT_E_NOINPUT, "%s: cannot read %s: %s", what, full, strerror(errno));
	} else if (fstat(fd, &sb) || !S_ISREG(sb.st_mode) || sb.st_size > MAX_SECRET) {
		kt_fail(err, KT_E_NOINPUT, "%s: %s is not a regular file of at most 64 KB", what,
			full);
	} else {
		kt_buf b;
		kt_buf_init(&b);
		char chunk[4096];
		ssize_t r;
		while ((r = read(fd, chunk, sizeof chunk)) > 0)
			kt_buf_add(&b, chunk, (size_t)r);
		OPENSSL_cleanse(chunk, sizeof chunk);
		*out = first_line(&b);
		if (!**out) {
			free(*out);
			*out = NULL;
			kt_fail(err, KT_E_NOINPUT, "%s: the first line of %s is empty", what, full);
		} else {
			rc = 0;
			if (warning && (sb.st_mode & (S_IRGRP | S_IROTH)))
				*warning = kt_xasprintf("%s: other users can read %s (chmod 600 %s)",
							what, full, full);
		}
	}
	if (fd >= 0)
		close(fd);
	free(full);
	return rc;
}

int profile_secret(const profile_config *cfg, const profile *p, profile_secret_id id, char **out,
		   char **warning, kt_error *err)
{
	*out = NULL;
	if (warning)
		*warning = NULL;
	if (!profile_has_secret(p, id))
		return 1;
	const profile_source *s = &p->secrets[id];
	char what[160];
	const char *v;
	switch (s->kind) {
	case SRC_PLAIN:
		*out = kt_xstrdup(s->arg);
		return 0;
	case SRC_ENV:
		v = getenv(s->arg);
		if (!v || !*v)
			return kt_fail(err, KT_E_NOINPUT, "profile %s: the environment variable %s "
				       "(%s_env) is not set", p->name, s->arg, secret_keys[id]);
		*out = kt_xstrdup(v);
		return 0;
	case SRC_COMMAND:
		snprintf(what, sizeof what, "profile %s: %s_command", p->name, secret_keys[id]);
		return run_command(what, s->arg, out, err);
	case SRC_FILE:
		snprintf(what, sizeof what, "profile %s: %s_file", p->name, secret_keys[id]);
		return read_secret_file(cfg, what, s->arg, out, warning, err);
	case SRC_NONE:
		break;
	}
	return 1;
}

/* ---- what a front end applies ---- */

char *profile_endpoint(const profile *p)
{
	const region *r = p->region ? region_find(p->region) : NULL;
	return region_resolve(NULL, p->url ? p->url : r ? r->url : NULL, NULL, NULL);
}

static void add_value(profile_values *v, const char *name, char *value)
{
	v->names[v->n] = name;
	v->values[v->n++] = value;
}

int profile_values_get(const profile_config *cfg, const profile *p, profile_values *out,
		       char **warning, kt_error *err)
{
	*out = (profile_values){0};
	if (warning)
		*warning = NULL;
	char *secret = NULL;
	if (profile_secret(cfg, p, PROFILE_ADMIN_SECRET, &secret, warning, err) < 0)
		return -1;
	out->endpoint = profile_endpoint(p);
	out->region = p->url ? NULL : p->region;
	if (p->partner_id >= 0)
		add_value(out, "partnerId", kt_xasprintf("%lld", p->partner_id));
	if (secret)
		add_value(out, "secret", secret);
	if (p->user_id)
		add_value(out, "userId", kt_xstrdup(p->user_id));
	if (p->privileges)
		add_value(out, "privileges", kt_xstrdup(p->privileges));
	return 0;
}

void profile_values_free(profile_values *v)
{
	free(v->endpoint);
	for (int i = 0; i < v->n; i++)
		kt_free_secret(v->values[i]);
	*v = (profile_values){0};
}

/* ---- commands ---- */

void profile_argv_free(char **argv)
{
	for (char **a = argv; a && *a; a++)
		free(*a);
	free(argv);
}

int profile_split_command(const char *line, char ***argv_out, kt_error *err)
{
	char **argv = NULL;
	int n = 0;
	const char *p = line;
	*argv_out = NULL;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		kt_buf w;
		kt_buf_init(&w);
		char quote = 0;
		for (; *p && (quote || (*p != ' ' && *p != '\t')); p++) {
			if (quote == '\'') {
				if (*p == '\'')
					quote = 0;
				else
					kt_buf_addc(&w, *p);
			} else if (*p == '\\' && p[1] && (!quote || strchr("\"\\$`", p[1]))) {
				kt_buf_addc(&w, *++p);
			} else if (quote == '"' && *p == '"') {
				quote = 0;
			} else if (!quote && (*p == '\'' || *p == '"')) {
				quote = *p;
			} else {
				kt_buf_addc(&w, *p);
			}
		}
		argv = kt_xrealloc(argv, (size_t)(n + 2) * sizeof *argv);
		argv[n++] = kt_buf_steal(&w);
		argv[n] = NULL;
		if (quote) {
			profile_argv_free(argv);
			return kt_fail(err, KT_E_DATA, "the command has an unterminated %c quote", quote);
		}
	}
	if (!n)
		return kt_fail(err, KT_E_DATA, "the command is empty");
	*argv_out = argv;
	return 0;
}
