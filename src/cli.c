#include "cli.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/profile.h"
#include "region.h"
#include "termout.h"
#include "util.h"

typedef struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} command;

/* One table for dispatch and for the command list in --help. */
static const command commands[] = {
	{"console", cli_console, "open the console (the default when no command is given)"},
	{"keys", cli_keys, "list the console's keys"},
	{"ks", cli_ks, "make, decode and renew Kaltura Sessions; app-token hashes"},
	{"call", cli_call, "send one API call and print the result"},
	{"run", cli_run, "send a saved request (see 'saved')"},
	{"saved", cli_saved, "saved requests: list, show, add, delete, export, import"},
	{"regions", cli_regions, "list the Kaltura regions and their service URLs"},
	{"schema", cli_schema, "inspect the API schema: stats, show, search, update"},
	{"code", cli_code, "print a code example (curl, PHP, Python, Node.js) for a call"},
	{"sandbox", cli_sandbox, "run a local Kaltura-compatible API server"},
	{"login", cli_login, "start a session with a profile's credentials and print its KS"},
	{"completion", cli_completion, "print the bash or zsh completion script"},
};

static void usage(FILE *out)
{
	fputs("Usage: ktestme [--help] [--version] [--profile NAME] [COMMAND [ARGS]]\n"
	      "\n"
	      "The Kaltura TestMe console for the terminal. With no command, or with console\n"
	      "options (--region, --url, --schema, --sandbox), it opens the console.\n"
	      "\n"
	      "Commands:\n",
	      out);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fputs("\n"
	      "Run 'ktestme COMMAND --help' for a command's options.\n"
	      "Environment: KALTURA_PARTNER_ID, KALTURA_ADMIN_SECRET, KALTURA_SERVICE_URL (flags win).\n"
	      "--profile NAME (any command, anywhere before '--'; or KTESTME_PROFILE) takes them\n"
	      "from a profile of $XDG_CONFIG_HOME/ktestme/config instead (see the man page).\n"
	      "\n"
	      "Exit status, the same in every command:\n",
	      out);
	size_t n;
	const kt_code_info *codes = kt_codes(&n);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "  %3d  %s\n", (int)codes[i].code, codes[i].text);
}

/* ---- profiles ---- */

static const char *profile_arg;      /* --profile NAME */
static bool profile_loaded;
static profile_config config;
static const profile *active;
static bool active_explicit;
static char *bound_endpoint;
static char *cached[PROFILE_NSECRETS];
static char partner_buf[32];

static void forget_profile(void)
{
	for (int i = 0; i < PROFILE_NSECRETS; i++)
		kt_free_secret(cached[i]);
	free(bound_endpoint);
	profile_config_free(&config);
}

static _Noreturn void die(const kt_error *err)
{
	exit(cli_report(err));
}

const profile *cli_profile(void)
{
	if (profile_loaded)
		return active;
	profile_loaded = true;
	atexit(forget_profile);
	kt_error err = {0};
	if (profile_load(NULL, &config, &err))
		die(&err);
	for (int i = 0; i < config.nwarnings; i++)
		fprintf(stderr, "ktestme: warning: %s\n", config.warnings[i]);
	const char *env = getenv("KTESTME_PROFILE");
	active_explicit = profile_arg || (env && *env);
	if (active_explicit && !config.path) {
		char *path = profile_default_path(&err);
		kt_fail(&err, KT_E_USAGE, "no profile '%s': %s does not exist", profile_arg ? profile_arg
			: env, path ? path : "the config file");
		free(path);
		die(&err);
	}
	active = profile_select(&config, profile_arg, &err);
	if (!active && err.code)
		die(&err);
	return active;
}

void cli_bind_endpoint(const char *service_url)
{
	free(bound_endpoint);
	bound_endpoint = service_url ? kt_xstrdup(service_url) : NULL;
}

static const char *profile_secret_for(const profile *p, profile_secret_id id)
{
	if (cached[id])
		return cached[id];
	if (!profile_has_secret(p, id))
		return NULL;
	if (bound_endpoint) {
		char *own = profile_endpoint(p);
		bool same = own && !strcmp(own, bound_endpoint);
		if (!same)
			fprintf(stderr, "ktestme: profile %s: its %s stays with %s, not %s\n", p->name,
				profile_secret_key(id), own ? own : "its endpoint", bound_endpoint);
		free(own);
		if (!same)
			return NULL;
	}
	char *warning;
	kt_error err = {0};
	if (profile_secret(&config, p, id, &cached[id], &warning, &err) < 0) {
		if (active_explicit)
			die(&err);
		/* the config's default profile only fills gaps: its failure is no reason to stop */
		fprintf(stderr, "ktestme: warning: %s (the default profile; --profile NAME picks "
			"another)\n", err.msg);
		return NULL;
	}
	if (warning) {
		fprintf(stderr, "ktestme: warning: %s\n", warning);
		free(warning);
	}
	return cached[id];
}

static const char *profile_value(const profile *p, const char *name)
{
	if (!strcmp(name, "KALTURA_SERVICE_URL")) {
		const region *r = p->region ? region_find(p->region) : NULL;
		return p->url ? p->url : r ? r->url : NULL;
	}
	if (!strcmp(name, "KALTURA_PARTNER_ID")) {
		if (p->partner_id < 0)
			return NULL;
		snprintf(partner_buf, sizeof partner_buf, "%lld", p->partner_id);
		return partner_buf;
	}
	if (!strcmp(name, "KALTURA_ADMIN_SECRET"))
		return profile_secret_for(p, PROFILE_ADMIN_SECRET);
	if (!strcmp(name, "KALTURA_USER_SECRET"))
		return profile_secret_for(p, PROFILE_USER_SECRET);
	if (!strcmp(name, "KALTURA_PASSWORD"))
		return profile_secret_for(p, PROFILE_PASSWORD);
	if (!strcmp(name, "KALTURA_APP_TOKEN"))
		return profile_secret_for(p, PROFILE_APP_TOKEN);
	return NULL;
}

/* Takes --profile NAME (or --profile=NAME) out of argv wherever it is before "--". */
static int take_profile_arg(int argc, char **argv)
{
	int out = 1;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			while (i < argc)
				argv[out++] = argv[i++];
			break;
		}
		if (!strcmp(argv[i], "--profile") || !strncmp(argv[i], "--profile=", 10)) {
			const char *v = argv[i][9] == '=' ? argv[i] + 10 : i + 1 < argc ? argv[++i] : NULL;
			if (!v || !*v) {
				fprintf(stderr, "ktestme: --profile needs a profile name (try 'ktestme "
						"--help')\n");
				return -1;
			}
			profile_arg = v;
			continue;
		}
		argv[out++] = argv[i];
	}
	argv[out] = NULL;
	return out;
}

int cli_main(int argc, char **argv)
{
	argc = take_profile_arg(argc, argv);
	if (argc < 0)
		return KT_E_USAGE;
	if (profile_arg)
		cli_profile(); /* a profile asked for by name must exist, whatever the command */
	if (argc < 2)
		return cli_console(argc, argv);
	const char *cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
		printf("ktestme %s\n", KT_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (!strcmp(cmd, commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	if (cmd[0] == '-' && cmd[1] == '-')
		return cli_console(argc, argv);
	fprintf(stderr, "ktestme: unknown command '%s' (try 'ktestme --help')\n", cmd);
	return KT_E_USAGE;
}

int cli_report(const kt_error *err)
{
	/* messages quote what peers sent (curl's reason, a redirect target) */
	termout_line(stderr, "ktestme: %s", err->msg[0] ? err->msg : "failed");
	return err->code ? (int)err->code : KT_E_INTERNAL;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "ktestme %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (try 'ktestme %s --help')\n", cmd);
	return KT_E_USAGE;
}

const char *cli_env(const char *name)
{
	const char *v = getenv(name);
	bool in_env = v && *v;
	const profile *p = cli_profile();
	if (p && (active_explicit || !in_env)) {
		const char *pv = profile_value(p, name);
		if (pv)
			return pv;
	}
	return in_env ? v : NULL;
}

static bool stdin_read;

bool cli_stdin_used(void)
{
	return stdin_read;
}

char *cli_read_stdin(void)
{
	if (stdin_read) /* a second '-' would get nothing: callers say so */
		return NULL;
	stdin_read = true;
	kt_buf b;
	char chunk[4096];
	size_t n;
	kt_buf_init(&b);
	while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0) {
		kt_buf_add(&b, chunk, n);
		if (b.len > (1u << 20)) {
			kt_buf_free(&b);
			return NULL;
		}
	}
	if (ferror(stdin)) {
		kt_buf_free(&b);
		return NULL;
	}
	while (b.len && strchr(" \t\r\n", b.data[b.len - 1]))
		b.data[--b.len] = '\0';
	return kt_buf_steal(&b);
}

size_t cli_parse_size(const char *cmd, const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	unsigned shift = 0;
	switch (end != s ? *end : 0) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	}
	if (end == s || s[0] == '-' || *end || v == 0 || v > (1ULL << (40 - shift))) {
		cli_usage_error(cmd, "--max-size takes a size like 500K, 100M or 1G (at most 1T), "
				"not '%s'", s);
		return 0;
	}
	return (size_t)(v << shift);
}

long cli_parse_timeout(const char *cmd, const char *s)
{
	long long n;
	if (!kt_parse_ll(s, &n) || n <= 0 || n > 86400) {
		cli_usage_error(cmd, "--timeout takes seconds from 1 to 86400, not '%s'", s);
		return 0;
	}
	return (long)n;
}
