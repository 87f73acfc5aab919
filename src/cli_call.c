/* `ktestme call` and `ktestme regions`. */
#include "cli.h"

#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/call.h"
#include "app/session.h"
#include "region.h"
#include "request.h"
#include "response.h"
#include "rstream.h"
#include "schema.h"
#include "termout.h"
#include "transport.h"
#include "util.h"

static const char call_usage[] =
	"Usage: ktestme call [OPTIONS] SERVICE ACTION [name=value ...]\n"
	"       ktestme call [OPTIONS] multirequest [N:name=value ...]\n"
	"       ktestme call --from-curl FILE|- [--entry N] [OPTIONS] [name=value ...]\n"
	"\n"
	"Sends one API call and prints the re-indented result on stdout. Nested parameters are\n"
	"written as on the wire: filter:objectType=KalturaCategoryFilter, entries:0:id=1_abc, an\n"
	"empty array entries:-=, a null filter:nameEqual__null=. name=@FILE takes the value from\n"
	"a file (its last newline dropped), name=- from standard input, name=@@text is the text\n"
	"@text. name@FILE uploads FILE as a file parameter (uploadToken.upload\n"
	"fileData@clip.mp4): the call goes as multipart/form-data, FILE as a part of its own.\n"
	"Secrets (secret=, password=, token=...) given as they are draw a warning: command lines\n"
	"are visible to other users (ps). In a multirequest, N:service=, N:action= and\n"
	"{N:result:path} references pass through.\n"
	"--from-curl reads the call from a curl command (as Kaltura's docs and 'ktestme code curl'\n"
	"print it), a HAR file (--entry N picks its Nth API call) or an API log line or URL with\n"
	"service= and action=; nothing in it is run, and $VAR is read from the environment. Its\n"
	"URL is the endpoint unless --region or --url names another (then its KS and secrets\n"
	"are not sent); name=value pairs replace its parameters.\n"
	"\n"
	"Options:\n"
	"  --region R        us, eu, ap, sg, ca or de (see 'ktestme regions'); default us\n"
	"  --url URL         a service URL instead (on-prem, or a sandbox)\n"
	"  --ks KS           the Kaltura Session to send ('-' reads it from stdin)\n"
	"  --partner-id N    the impersonated partner id (partnerId)\n"
	"  --format xml|json the response format (default xml)\n"
	"  --insecure        do not verify the server's TLS certificate\n"
	"  --timeout SECONDS give up after this long (default 120)\n"
	"  --max-size SIZE   largest response to read, e.g. 500K, 100M (default 100M)\n"
	"  -L, --location    follow redirects, only to the same scheme, host and port (each one\n"
	"                    is reported on stderr); without it a redirect is an error\n"
	"  --raw             write the result's bytes as they came even to a terminal (by\n"
	"                    default control characters from the server show as '?' there)\n"
	"  -v, --verbose     print the request (credentials masked), status, headers and timings\n"
	"                    on stderr\n"
	"  -h, --help        this help\n"
	"\n"
	"Environment: KALTURA_SERVICE_URL (the URL when neither --region nor --url is given),\n"
	"KALTURA_PARTNER_ID (partnerId when not given), KALTURA_ADMIN_SECRET (the secret of\n"
	"session.start and session.impersonate when not given). Flags and parameters win.\n"
	"\n"
	"Exit status: 0 success, 1 API error (CODE: message on stderr), 2 network, TLS or HTTP\n"
	"failure, 4 not a Kaltura response, 5 response over --max-size, 8 a redirect not\n"
	"followed, 64 bad arguments, 65 (--from-curl) text that is not a request, 66 a file\n"
	"that cannot be read (name@FILE: missing, a directory, unreadable).\n";

static void print_verbose_request(const kt_request *r, const char *url)
{
	char *masked = request_form_body_masked(r);
	fprintf(stderr, "> POST %s\n> %s\n", url, masked);
	free(masked);
	for (size_t i = 0; i < r->nfiles; i++)
		termout_line(stderr, "> %s: the file %s (multipart/form-data)", r->files[i].name,
			     r->files[i].path);
}

static void print_verbose_response(const call_outcome *out)
{
	const tp_timings *t = &out->timings;
	termout_line(stderr, "< HTTP %ld%s%s", out->http_status, out->x_me ? ", X-Me: " : "",
		out->x_me ? out->x_me : "");
	fprintf(stderr, "< timings: dns %.3fs, connect %.3fs, tls %.3fs, first byte %.3fs, total %.3fs\n",
		t->dns, t->connect, t->tls, t->first_byte, t->total);
}

/* Every redirect followed, a line each (one not followed is the call's error). */
static void report_redirects(const call_outcome *out)
{
	const char *p = out->redirects;
	while (p && *p) {
		const char *nl = strchr(p, '\n');
		int len = nl ? (int)(nl - p) : (int)strlen(p);
		termout_line(stderr, "ktestme: followed a redirect: %.*s", len, p);
		p = nl ? nl + 1 : p + len;
	}
}

/* Prints every API error in the result as "CODE: message"; true when there was one. */
static bool report_api_errors(const response *res)
{
	const rvalue *root = res->result;
	if (root->kind == RV_ERROR) {
		termout_line(stderr, "%s: %s", root->code ? root->code : "?",
			root->message ? root->message : "");
		return true;
	}
	bool any = false;
	if (root->kind == RV_ARRAY)
		for (size_t i = 0; i < root->n; i++) {
			const rvalue *it = root->children[i];
			if (it->kind != RV_ERROR)
				continue;
			termout_line(stderr, "item %zu: %s: %s", i + 1, it->code ? it->code : "?",
				it->message ? it->message : "");
			any = true;
		}
	return any;
}

/* Plugin services go on the wire by id ("metadata" is "metadata_metadata"); the shipped
 * schema knows the ids. A core service or an id (it has a '_') needs no schema; another name
 * asks the schema's compiled image (mapped, not parsed; see schema.h). Without a schema the
 * name is sent as typed. */
static int cmp_name(const void *a, const void *b)
{
	return strcasecmp(a, *(const char *const *)b);
}

/* Kaltura's core services (those of the 22.19.0 schema without a plugin) go on the wire as
 * their names in lower case, with no schema to ask. Sorted ignoring case. */
static bool is_core_service(const char *name)
{
	static const char *const core[] = {
		"accessControl", "accessControlProfile", "adminUser", "analytics", "appToken", "baseEntry",
		"batch", "batchcontrol", "bulkUpload", "category", "categoryEntry", "categoryUser",
		"conversionProfile", "conversionProfileAssetParams", "data", "deliveryProfile", "document",
		"EmailIngestionProfile", "entryServerNode", "exportcsv", "fileAsset", "flavorAsset",
		"flavorParams", "flavorParamsOutput", "groupUser", "jobs", "liveChannel",
		"liveChannelSegment", "liveReports", "liveStats", "liveStream", "media", "mediaInfo",
		"mixing", "notification", "partner", "permission", "permissionItem", "playlist", "report",
		"responseProfile", "schema", "search", "serverNode", "session", "stats", "storageProfile",
		"syndicationFeed", "system", "thumbAsset", "thumbParams", "thumbParamsOutput", "uiConf",
		"upload", "uploadToken", "user", "userAppRole", "userEntry", "userRole", "widget",
		"xInternal"
	};
	return bsearch(name, core, sizeof core / sizeof core[0], sizeof core[0], cmp_name);
}

static char *wire_service(const char *name)
{
	if (strchr(name, '_'))
		return kt_xstrdup(name);
	if (is_core_service(name)) {
		char *id = kt_xstrdup(name);
		for (char *p = id; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		return id;
	}
	schema *s = schema_load_file(schema_default_path(), NULL);
	const schema_service *svc = s ? schema_find_service(s, name) : NULL;
	char *id = kt_xstrdup(svc ? svc->id : name);
	schema_free(s);
	return id;
}

enum { OPT_REGION = 256, OPT_URL, OPT_KS, OPT_PARTNER, OPT_FORMAT, OPT_INSECURE, OPT_TIMEOUT,
       OPT_MAXSIZE, OPT_RAW };

typedef struct call_args {
	const char *region, *url, *ks, *partner_id, *format;
	bool insecure, verbose, location, raw;
	long timeout_s;
	size_t max_body;
} call_args;

static int parse_call_args(int argc, char **argv, call_args *a)
{
	static const struct option opts[] = {
		{"region", required_argument, NULL, OPT_REGION},
		{"url", required_argument, NULL, OPT_URL},
		{"ks", required_argument, NULL, OPT_KS},
		{"partner-id", required_argument, NULL, OPT_PARTNER},
		{"format", required_argument, NULL, OPT_FORMAT},
		{"insecure", no_argument, NULL, OPT_INSECURE},
		{"timeout", required_argument, NULL, OPT_TIMEOUT},
		{"max-size", required_argument, NULL, OPT_MAXSIZE},
		{"verbose", no_argument, NULL, 'v'},
		{"location", no_argument, NULL, 'L'},
		{"raw", no_argument, NULL, OPT_RAW},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+vLh", opts, NULL)) != -1) {
		switch (c) {
		case OPT_REGION: a->region = optarg; break;
		case OPT_URL: a->url = optarg; break;
		case OPT_KS: a->ks = optarg; break;
		case OPT_PARTNER: a->partner_id = optarg; break;
		case OPT_FORMAT: a->format = optarg; break;
		case OPT_INSECURE: a->insecure = true; break;
		case 'v': a->verbose = true; break;
		case 'L': a->location = true; break;
		case OPT_RAW: a->raw = true; break;
		case OPT_TIMEOUT:
			if (!(a->timeout_s = cli_parse_timeout("call", optarg)))
				return KT_E_USAGE;
			break;
		case OPT_MAXSIZE:
			if (!(a->max_body = cli_parse_size("call", optarg)))
				return KT_E_USAGE;
			break;
		case 'h':
			fputs(call_usage, stdout);
			return -1;
		default:
			if (optopt)
				return cli_usage_error("call", "option '%s' needs a value or is unknown",
						       argv[optind - 1]);
			return cli_usage_error("call", "unknown option '%s'", argv[optind - 1]);
		}
	}
	return 0;
}

/* Fills the request from the positional arguments; returns an exit code or 0. */
static int build_request(kt_request *r, const call_args *a, int argc, char **argv)
{
	kt_error err;
	int rc;
	if ((argc = cli_take_uploads("call", r, argc, argv, &rc)) < 0) /* name@FILE */
		return rc;
	char **args = cli_param_args("call", argc, argv, &rc); /* name=@FILE, name=- */
	if (!args)
		return rc;
	rc = param_set_args(r->params, argc, args, &err);
	cli_free_args(args);
	if (rc)
		return cli_usage_error("call", "%s", err.msg);
	if (a->ks) {
		if (!strcmp(a->ks, "-")) {
			char *ks = cli_stdin_once("call", "--ks -", &rc);
			if (!ks)
				return rc;
			request_set_field(&r->ks, ks);
			kt_free_secret(ks);
		} else {
			request_set_field(&r->ks, a->ks);
		}
	}
	const char *pid = a->partner_id ? a->partner_id : cli_env("KALTURA_PARTNER_ID");
	long long n;
	if (pid && !param_find(r->params, "partnerId")) {
		if (!kt_parse_ll(pid, &n) || n < 0)
			return cli_usage_error("call", "partner id '%s' is not a number", pid);
		request_set_field(&r->partner_id, pid);
	}
	return 0;
}

/* The pretty text goes to stdout as the body arrives. The first CLI_HOLD bytes wait, so that a
 * body that turns out to be an API error or not a Kaltura response prints nothing on stdout
 * (a small answer, such as every error, is judged whole). */
#define CLI_HOLD 65536

typedef struct call_out {
	kt_buf held;
	bool flowing;   /* the held text went out: the rest goes straight through */
	char cut[4];    /* a character cut by the end of a piece */
	size_t ncut;
} call_out;

/* The bytes of a UTF-8 sequence that p[0..n) ends inside of, kept for the next piece so the
 * terminal filter never sees half a character; 0 when p ends on a boundary. */
static size_t utf8_cut(const char *p, size_t n)
{
	for (size_t back = 1; back <= 3 && back <= n; back++) {
		unsigned char c = (unsigned char)p[n - back];
		if ((c & 0xc0) == 0x80)
			continue;
		size_t want = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
		return want > back ? back : 0;
	}
	return 0;
}

/* To stdout through the terminal filter; NULL, 0 flushes what a cut character left. */
static void out_put(call_out *o, const char *p, size_t n)
{
	if (!p) {
		termout_write(stdout, o->cut, o->ncut);
		o->ncut = 0;
		return;
	}
	kt_buf b;
	kt_buf_init(&b);
	kt_buf_add(&b, o->cut, o->ncut);
	kt_buf_add(&b, p, n);
	o->ncut = utf8_cut(b.data, b.len);
	memcpy(o->cut, b.data + b.len - o->ncut, o->ncut);
	termout_write(stdout, b.data, b.len - o->ncut);
	kt_buf_free(&b);
}

static void out_write(void *ud, const char *p, size_t n)
{
	call_out *o = ud;
	if (o->flowing) {
		out_put(o, p, n);
		return;
	}
	kt_buf_add(&o->held, p, n);
	if (o->held.len >= CLI_HOLD) {
		out_put(o, o->held.data, o->held.len);
		kt_buf_reset(&o->held);
		o->flowing = true;
	}
}

static int do_call(kt_request *r, const call_args *a, const char *service_url)
{
	/* the one endpoint of this run: its secret from the environment (or profile), its KS
	 * from --ks */
	session *s = session_new(service_url, NULL);
	/* asked only when needed: a profile's secret may come from a command */
	if (r->action && call_takes_secret(r->service, r->action) && !param_find(r->params, "secret"))
		session_set_value(s, "secret", cli_env("KALTURA_ADMIN_SECRET"));
	session_set_ks(s, r->ks);
	call *c = call_new(r, s);
	call_out text = {0};
	kt_buf_init(&text.held);
	call_stream(c, out_write, &text, 0, 0);
	tp_opts o = {
		.timeout_ms = a->timeout_s * 1000,
		.insecure = a->insecure,
		.max_body = a->max_body,
		.follow = a->location,
		.size_option = "--max-size",
		.follow_option = "--location",
	};
	if (a->verbose)
		print_verbose_request(call_request(c), call_url(c));
	call_outcome out;
	int rc = call_run(c, &o, &out);
	report_redirects(&out);
	if (rc < 0 && out.err.code == KT_E_RESPONSE && out.http_status >= 400) {
		char why[sizeof out.err.msg];
		memcpy(why, out.err.msg, sizeof why);
		kt_fail(&out.err, KT_E_NET, "HTTP %ld from %s: %s", out.http_status, service_url,
			why);
	}
	if (a->verbose && out.http_status)
		print_verbose_response(&out);
	int exit_code = 0;
	if (rc < 0) {
		exit_code = cli_report(&out.err);
	} else {
		if (report_api_errors(&out.res))
			exit_code = KT_E_API;
		/* an error result prints nothing on stdout, unless a large one already flowed */
		if (out.res.result->kind != RV_ERROR || text.flowing)
			out_put(&text, text.held.data ? text.held.data : "", text.held.len);
		if (a->verbose && out.ks)
			fprintf(stderr, "< the result carries a KS (%zu characters)\n",
				strlen(out.ks));
	}
	out_put(&text, NULL, 0);
	if (text.flowing && rc < 0) /* the text already out ends where the body broke */
		putchar('\n');
	kt_buf_free(&text.held);
	call_outcome_free(&out);
	call_free(c);
	session_free(s);
	return exit_code;
}

int cli_call(int argc, char **argv)
{
	if (cli_call_imports(argc, argv))
		return cli_call_import(argc, argv);
	call_args a = {0};
	int rc = parse_call_args(argc, argv, &a);
	if (rc)
		return rc < 0 ? 0 : rc;
	argc -= optind;
	argv += optind;
	if (argc < 1)
		return cli_usage_error("call", "missing SERVICE and ACTION");
	bool multi = !strcasecmp(argv[0], "multirequest");
	if (!multi && (argc < 2 || strchr(argv[1], '=')))
		return cli_usage_error("call", "missing ACTION after '%s'", argv[0]);

	termout_raw(a.raw);
	int format = a.format ? request_format_from_name(a.format) : KT_FORMAT_XML;
	if (!format)
		return cli_usage_error("call", "--format takes xml or json, not '%s'", a.format);
	kt_error err;
	char *service_url = region_resolve(a.region, a.url, cli_env("KALTURA_SERVICE_URL"), &err);
	if (!service_url)
		return cli_usage_error("call", "%s", err.msg);
	cli_bind_endpoint(service_url);

	kt_request r;
	char *service = multi ? kt_xstrdup(argv[0]) : wire_service(argv[0]);
	request_init(&r, service, multi ? NULL : argv[1]);
	free(service);
	r.format = format;
	int skip = multi ? 1 : 2;
	rc = build_request(&r, &a, argc - skip, argv + skip);
	if (!rc)
		rc = do_call(&r, &a, service_url); /* takes r over */
	else
		request_free(&r);
	free(service_url);
	return rc;
}

int cli_regions(int argc, char **argv)
{
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		puts("Usage: ktestme regions\n\nLists the Kaltura regions, their service URLs and names.");
		return 0;
	}
	if (argc > 1)
		return cli_usage_error("regions", "takes no arguments");
	size_t n;
	const region *r = region_list(&n);
	for (size_t i = 0; i < n; i++)
		printf("%-4s %-28s %s\n", r[i].name, r[i].url, r[i].label);
	return 0;
}
