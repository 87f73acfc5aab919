/* `ktestme code`: TestMe's "Show Code Example" on the command line. */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "codegen.h"
#include "region.h"
#include "request.h"
#include "schema.h"
#include "util.h"

static const char code_usage[] =
	"Usage: ktestme code curl|php|python|node [OPTIONS] SERVICE ACTION [name=value ...]\n"
	"       ktestme code curl|php|python|node [OPTIONS] multirequest [N:name=value ...]\n"
	"\n"
	"Prints a program that makes the call 'ktestme call' would make with the same arguments:\n"
	"a curl command, or a script for Kaltura's PHP client (KalturaClient.php), Python client\n"
	"(package KalturaClient) or Node.js client (npm kaltura-client). Parameters are written\n"
	"as for 'ktestme call' (name@FILE a file to upload: curl -F name=@FILE). A multirequest's\n"
	"items are N:service=, N:action= and N:name=value; the scripts queue them between the\n"
	"client's startMultiRequest and doMultiRequest (Node.js: a MultiRequestBuilder), with\n"
	"{N:result:path} references as they are, an item's own KS as N:ks=. The scripts take the\n"
	"argument order, the classes (objectType, or the declared type) and the enum constants\n"
	"from the API schema, and refuse what the schema does not know; curl does not need it.\n"
	"\n"
	"Credentials are never written into an example: it reads them from the environment,\n"
	"KALTURA_KS for the KS (given with --ks, or needed by the action), KALTURA_ADMIN_SECRET for\n"
	"secret and adminSecret, KALTURA_USER_SECRET, KALTURA_PASSWORD, KALTURA_OLD_PASSWORD,\n"
	"KALTURA_NEW_PASSWORD and KALTURA_APP_TOKEN for the parameters of those names.\n"
	"\n"
	"Options:\n"
	"  --region R        us, eu, ap, sg, ca or de (see 'ktestme regions'); default us\n"
	"  --url URL         a service URL instead (on-prem, or a sandbox)\n"
	"  --ks KS           the call carries a KS (its value is not used: the example reads\n"
	"                    $KALTURA_KS)\n"
	"  --partner-id N    the impersonated partner id (partnerId), pasted into the example\n"
	"  --format xml|json the response format curl asks for (default xml)\n"
	"  --schema FILE     the API schema; default: $KTESTME_SCHEMA, else schemas/kaltura.xml\n"
	"                    beside the program, else " KT_DATADIR "/kaltura.xml\n"
	"  -h, --help        this help\n"
	"\n"
	"Environment: KALTURA_SERVICE_URL (the URL when neither --region nor --url is given),\n"
	"KALTURA_PARTNER_ID (partnerId when not given).\n"
	"\n"
	"Exit status: 0 success, 64 bad arguments or a call the example cannot express,\n"
	"65 malformed schema, 66 schema not readable.\n";

typedef struct code_args {
	const char *region, *url, *ks, *partner_id, *format, *schema;
} code_args;

/* Returns -1 to go on, else an exit code (help printed, or a usage error). */
static int parse_code_args(int argc, char **argv, code_args *a)
{
	enum { OPT_REGION = 256, OPT_URL, OPT_KS, OPT_PARTNER, OPT_FORMAT, OPT_SCHEMA };
	static const struct option opts[] = {
		{"region", required_argument, NULL, OPT_REGION},
		{"url", required_argument, NULL, OPT_URL},
		{"ks", required_argument, NULL, OPT_KS},
		{"partner-id", required_argument, NULL, OPT_PARTNER},
		{"format", required_argument, NULL, OPT_FORMAT},
		{"schema", required_argument, NULL, OPT_SCHEMA},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;
	optind = 0;
	opterr = 0;
	/* options may follow the language, as in the synopsis */
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case OPT_REGION: a->region = optarg; break;
		case OPT_URL: a->url = optarg; break;
		case OPT_KS: a->ks = optarg; break;
		case OPT_PARTNER: a->partner_id = optarg; break;
		case OPT_FORMAT: a->format = optarg; break;
		case OPT_SCHEMA:
			if (!*optarg)
				return cli_usage_error("code", "--schema takes a file name");
			a->schema = optarg;
			break;
		case 'h':
			fputs(code_usage, stdout);
			return 0;
		default:
			if (optopt)
				return cli_usage_error("code", "option '%s' needs a value or is unknown",
						       argv[optind - 1]);
			return cli_usage_error("code", "unknown option '%s'", argv[optind - 1]);
		}
	}
	return -1;
}

/* The request from the positional arguments after the language; an exit code or 0. */
static int build_request(kt_request *r, const code_args *a, int argc, char **argv)
{
	kt_error err;
	int rc;
	if ((argc = cli_take_uploads("code", r, argc, argv, &rc)) < 0) /* name@FILE */
		return rc;
	char **args = cli_param_args("code", argc, argv, &rc); /* name=@FILE, name=- */
	if (!args)
		return rc;
	rc = param_set_args(r->params, argc, args, &err);
	cli_free_args(args);
	if (rc)
		return cli_usage_error("code", "%s", err.msg);
	if (a->format && !(r->format = request_format_from_name(a->format)))
		return cli_usage_error("code", "--format takes xml or json, not '%s'", a->format);
	/* only that there is a KS matters: the example reads it from $KALTURA_KS */
	if (a->ks)
		request_set_field(&r->ks, "");
	const char *pid = a->partner_id ? a->partner_id : cli_env("KALTURA_PARTNER_ID");
	long long n;
	if (pid && !param_find(r->params, "partnerId")) {
		if (!kt_parse_ll(pid, &n) || n < 0)
			return cli_usage_error("code", "partner id '%s' is not a number", pid);
		request_set_field(&r->partner_id, pid);
	}
	return 0;
}

/* The schema, or NULL: curl goes without the default one when it cannot be read. */
static schema *load_schema(codegen_lang lang, const code_args *a, const kt_request *r, int *rc)
{
	kt_error err = {0};
	schema *s = schema_load_file(a->schema ? a->schema : schema_default_path(), &err);
	if (!s) {
		if (lang != CODEGEN_CURL || a->schema)
			*rc = cli_report(&err);
		return NULL;
	}
	if (lang == CODEGEN_CURL && r->action && !request_is_multi(r) &&
	    !codegen_find_action(s, r->service, r->action, &err))
		fprintf(stderr, "ktestme code: warning: %s; the example is not checked\n", err.msg);
	return s;
}

int cli_code(int argc, char **argv)
{
	code_args a = {0};
	int rc = parse_code_args(argc, argv, &a);
	if (rc >= 0)
		return rc;
	argc -= optind;
	argv += optind;
	if (argc < 1)
		return cli_usage_error("code", "missing the language: curl, php, python or node");
	codegen_lang lang;
	if (!codegen_lang_from_name(argv[0], &lang))
		return cli_usage_error("code", "unknown language '%s' (curl, php, python or node)",
				       argv[0]);
	if (argc < 2)
		return cli_usage_error("code", "missing SERVICE and ACTION");
	bool multi = !strcasecmp(argv[1], "multirequest");
	if (!multi && (argc < 3 || strchr(argv[2], '=')))
		return cli_usage_error("code", "missing ACTION after '%s'", argv[1]);

	kt_error err;
	char *service_url = region_resolve(a.region, a.url, cli_env("KALTURA_SERVICE_URL"), &err);
	if (!service_url)
		return cli_usage_error("code", "%s", err.msg);
	kt_request r;
	request_init(&r, argv[1], multi ? NULL : argv[2]);
	int skip = multi ? 2 : 3;
	rc = build_request(&r, &a, argc - skip, argv + skip);
	schema *s = NULL;
	if (!rc)
		s = load_schema(lang, &a, &r, &rc);
	if (!rc) {
		char *text = codegen_generate(lang, &r, service_url, s, &err);
		if (text)
			fputs(text, stdout);
		else
			rc = cli_report(&err);
		free(text);
	}
	schema_free(s);
	request_free(&r);
	free(service_url);
	return rc;
}
