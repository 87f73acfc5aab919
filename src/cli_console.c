/* cli_console: `ktestme` with no command (or `ktestme console`) opens the ncurses console;
 * `ktestme keys` prints the console's key table. */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "console.h"
#include "keymap.h"

static const char console_usage[] =
	"Usage: ktestme [console] [--region NAME | --url URL] [--schema FILE] [--sandbox]\n"
	"               [--insecure] [--timeout SECONDS] [--max-size SIZE] [-L]\n"
	"\n"
	"Opens the console: pick a service and an action, fill the form, press F5, read the\n"
	"result. With no endpoint or credentials configured (--region, --url,\n"
	"KALTURA_SERVICE_URL, KALTURA_PARTNER_ID, KALTURA_ADMIN_SECRET) it starts the sandbox\n"
	"inside the program as the endpoint 'local' and shows a walkthrough. F1 lists the keys\n"
	"('ktestme keys' prints them).\n"
	"\n"
	"Options:\n"
	"  --region NAME      us, eu, ap, sg, ca or de (see 'ktestme regions')\n"
	"  --url URL          any other service URL (on-prem)\n"
	"  --schema FILE      the API schema to build forms from (default: the endpoint's\n"
	"                     cached schema from 'ktestme schema update', else the one shipped)\n"
	"  --sandbox          start the sandbox as the endpoint even when one is configured\n"
	"  --insecure         do not verify the server's TLS certificate\n"
	"  --timeout SECONDS  give up on a call after this long (default 120)\n"
	"  --max-size SIZE    largest response to read, e.g. 500K, 100M (default 100M)\n"
	"  -L, --location     follow redirects, only to the same scheme, host and port\n"
	"  -h, --help         this help\n"
	"\n"
	"Exit status: 0 after F10 or Ctrl-Q, 64 bad arguments or no terminal, 65/66 the schema\n"
	"cannot be read, 2 the sandbox cannot listen.\n";

enum { OPT_REGION = 256, OPT_URL, OPT_SCHEMA, OPT_SANDBOX, OPT_INSECURE, OPT_TIMEOUT,
       OPT_MAXSIZE };

int cli_console(int argc, char **argv)
{
	static const struct option opts[] = {
		{"region", required_argument, NULL, OPT_REGION},
		{"url", required_argument, NULL, OPT_URL},
		{"schema", required_argument, NULL, OPT_SCHEMA},
		{"sandbox", no_argument, NULL, OPT_SANDBOX},
		{"insecure", no_argument, NULL, OPT_INSECURE},
		{"timeout", required_argument, NULL, OPT_TIMEOUT},
		{"max-size", required_argument, NULL, OPT_MAXSIZE},
		{"location", no_argument, NULL, 'L'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	console_opts o = {.net = {.size_option = "--max-size", .follow_option = "--location"}};
	int c;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:Lh", opts, NULL)) != -1) {
		switch (c) {
		case OPT_REGION: o.region = optarg; break;
		case OPT_URL: o.url = optarg; break;
		case OPT_SCHEMA: o.schema = optarg; break;
		case OPT_SANDBOX: o.sandbox = true; break;
		case OPT_INSECURE: o.net.insecure = true; break;
		case 'L': o.net.follow = true; break;
		case OPT_TIMEOUT:
			if (!(o.net.timeout_ms = cli_parse_timeout("console", optarg) * 1000))
				return KT_E_USAGE;
			break;
		case OPT_MAXSIZE:
			if (!(o.net.max_body = cli_parse_size("console", optarg)))
				return KT_E_USAGE;
			break;
		case 'h': fputs(console_usage, stdout); return 0;
		case ':': return cli_usage_error("console", "%s needs a value", argv[optind - 1]);
		default: return cli_usage_error("console", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("console", "unexpected argument '%s'", argv[optind]);
	kt_error err = {0};
	if (console_run(&o, &err) < 0)
		return cli_report(&err);
	return 0;
}

static void print_key(keymap_scope s, const char *keys, const char *help, void *ud)
{
	int *last = ud;
	if ((int)s != *last) {
		printf("%s%s:\n", *last >= 0 ? "\n" : "", keymap_scope_title(s));
		*last = (int)s;
	}
	printf("  %-16s %s\n", keys, help);
}

int cli_keys(int argc, char **argv)
{
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs("Usage: ktestme keys\n\nPrints every key of the console, as F1 shows them.\n",
		      stdout);
		return 0;
	}
	if (argc > 1)
		return cli_usage_error("keys", "unexpected argument '%s'", argv[1]);
	int last = -1;
	keymap_lines(print_key, &last);
	return 0;
}
