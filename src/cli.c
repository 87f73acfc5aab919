#include "cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	{"completion", cli_completion, "print the bash or zsh completion script"},
};

static void usage(FILE *out)
{
	fputs("Usage: ktestme [--help] [--version] [COMMAND [ARGS]]\n"
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
	      "\n"
	      "Exit status, the same in every command:\n",
	      out);
	size_t n;
	const kt_code_info *codes = kt_codes(&n);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "  %3d  %s\n", (int)codes[i].code, codes[i].text);
}

int cli_main(int argc, char **argv)
{
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
	return v && *v ? v : NULL;
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
