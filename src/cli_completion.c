/* `ktestme completion bash|zsh`: the shell completion script, from the schema in use. */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "completion.h"
#include "region.h"
#include "schema.h"
#include "schema_cache.h"
#include "util.h"

static const char completion_usage[] =
	"Usage: ktestme completion bash|zsh [--schema FILE | --region R | --url URL]\n"
	"\n"
	"Prints a completion script for bash or zsh, generated from the API schema in use:\n"
	"commands and options, services, actions, parameter names, nested properties (by the\n"
	"declared class, or the objectType on the line), enum values, objectType subclasses and\n"
	"the names of saved requests for 'run'. The schema is --schema FILE, else the cached\n"
	"schema of the endpoint (--region, --url, KALTURA_SERVICE_URL; see 'ktestme schema\n"
	"update'), else the shipped one. 'make install' installs both scripts.\n"
	"\n"
	"    source <(ktestme completion bash)                  # bash, this shell\n"
	"    ktestme completion zsh > ~/.zfunc/_ktestme         # zsh, a directory in $fpath\n"
	"\n"
	"Exit status: 0 printed, 64 bad arguments, 65 a malformed schema, 66 one not readable.\n";

int cli_completion(int argc, char **argv)
{
	enum { OPT_SCHEMA = 256, OPT_REGION, OPT_URL };
	static const struct option opts[] = {
		{"schema", required_argument, NULL, OPT_SCHEMA},
		{"region", required_argument, NULL, OPT_REGION},
		{"url", required_argument, NULL, OPT_URL},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *file = NULL, *region_name = NULL, *url = NULL;
	int c;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case OPT_SCHEMA: file = optarg; break;
		case OPT_REGION: region_name = optarg; break;
		case OPT_URL: url = optarg; break;
		case 'h': fputs(completion_usage, stdout); return 0;
		default:
			return cli_usage_error("completion", "unknown option or missing value '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage_error("completion", "missing the shell: bash or zsh");
	if (optind + 1 < argc)
		return cli_usage_error("completion", "unexpected argument '%s'", argv[optind + 1]);
	const char *shell = argv[optind];
	completion_shell sh;
	if (!strcmp(shell, "bash"))
		sh = COMPLETION_BASH;
	else if (!strcmp(shell, "zsh"))
		sh = COMPLETION_ZSH;
	else
		return cli_usage_error("completion", "the shell is bash or zsh, not '%s'", shell);
	kt_error err = {0};
	char *path;
	if (file) {
		path = kt_xstrdup(file);
	} else {
		char *service_url = NULL;
		if (region_name || url || cli_env("KALTURA_SERVICE_URL")) {
			service_url = region_resolve(region_name, url, cli_env("KALTURA_SERVICE_URL"), &err);
			if (!service_url)
				return cli_usage_error("completion", "%s", err.msg);
		}
		bool cached;
		path = schema_path_for(service_url, &cached);
		free(service_url);
	}
	schema *s = schema_load_file(path, &err);
	free(path);
	if (!s)
		return cli_report(&err);
	char *script = completion_script(s, sh);
	fputs(script, stdout);
	free(script);
	schema_free(s);
	return 0;
}
