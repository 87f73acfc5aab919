/* `ktestme schema`: stats, show and search over the API schema; update downloads an endpoint's. */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "region.h"
#include "schema.h"
#include "schema_cache.h"
#include "termout.h"
#include "util.h"

#define SCHEMA_OPTIONS                                                            \
	"Options:\n"                                                              \
	"  --schema FILE   the schema to read (api_schema.php format); default: " \
	"$KTESTME_SCHEMA,\n"                                                      \
	"                  else schemas/kaltura.xml beside the program, else\n"   \
	"                  " KT_DATADIR "/kaltura.xml\n"                          \
	"  --region R, --url URL\n"                                               \
	"                  the endpoint whose schema to use: the one 'schema update'\n" \
	"                  cached for it, else the shipped one\n"                \
	"  -v, --verbose   say on stderr which schema file was read (and, with\n"  \
	"                  --schema, how long it took to be ready)\n"            \
	"  -h, --help      this help\n"

#define SCHEMA_EXIT                                                                              \
	"Exit status: 0 success, 64 bad arguments, 65 malformed schema, 66 schema not readable.\n"

static const char schema_usage[] =
	"Usage: ktestme schema COMMAND [--schema FILE] [ARGS]\n"
	"\n"
	"Inspects the Kaltura API schema: what the console's service and action lists and\n"
	"forms are made of.\n"
	"\n"
	"Commands:\n"
	"  stats            count the services, actions, enums, classes and errors\n"
	"  show S.A         one action: flags, parameters (with enum values), result, errors\n"
	"  search WORD      services, actions, classes and enums whose name contains WORD\n"
	"  update           download the schema of an endpoint (--region or --url) and cache it\n"
	"\n"
	"Run 'ktestme schema COMMAND --help' for details.\n"
	"\n" SCHEMA_OPTIONS "\n" SCHEMA_EXIT;

static const char stats_usage[] =
	"Usage: ktestme schema stats [--schema FILE] [-v]\n"
	"\n"
	"Prints five lines, 'services: N', 'actions: N', 'enums: N', 'classes: N' and\n"
	"'errors: N', and nothing else on stdout.\n"
	"\n" SCHEMA_OPTIONS "\n" SCHEMA_EXIT;

static const char show_usage[] =
	"Usage: ktestme schema show [--schema FILE] [-v] SERVICE.ACTION\n"
	"       ktestme schema show [--schema FILE] [-v] SERVICE ACTION\n"
	"\n"
	"Prints an action: its description, whether it needs a KS, whether it may be part of a\n"
	"multirequest, then each parameter (name, type, required or optional with its default,\n"
	"the constants of its enum with their values), the result type and the errors it throws.\n"
	"Service and action names ignore case; a plugin service's id (caption_captionasset)\n"
	"works too. An unknown name exits with 64 and suggests close ones.\n"
	"\n" SCHEMA_OPTIONS "\n" SCHEMA_EXIT;

static const char search_usage[] =
	"Usage: ktestme schema search [--schema FILE] [-v] WORD\n"
	"\n"
	"Lists every service, action, class and enum whose name contains WORD, ignoring case,\n"
	"one per line: 'service NAME', 'action SERVICE.ACTION', 'class NAME', 'enum NAME'.\n"
	"A WORD with a dot also matches SERVICE.ACTION (session.st). Nothing found is not an\n"
	"error: stdout stays empty and stderr says so.\n"
	"\n" SCHEMA_OPTIONS "\n" SCHEMA_EXIT;

static const char update_usage[] =
	"Usage: ktestme schema update [--region R | --url URL] [--insecure] [-v]\n"
	"\n"
	"Downloads URL/api_v3/api_schema.php, checks that it is an API schema, and stores it\n"
	"under $XDG_CACHE_HOME/ktestme/schemas/ (mode 0600), one file per host. From then on\n"
	"the schema commands given that endpoint, and the console, use it instead of the\n"
	"shipped schema. A failed download, an HTML page or a truncated file leaves the cached\n"
	"schema as it was. KALTURA_SERVICE_URL is the endpoint when no flag names one.\n"
	"\n"
	"Exit status: 0 stored, 2 network, TLS or HTTP failure, 4 not a schema, 64 bad\n"
	"arguments, 74 the cache cannot be written.\n";

typedef struct schema_args {
	const char *file;
	const char *region, *url;
	bool verbose, insecure;
	int npos;
	char **pos;
} schema_args;

/* Returns -1 when the caller should go on, else an exit code (help printed or a usage error). */
static int parse_args(const char *cmd, const char *usage, int argc, char **argv, schema_args *a)
{
	enum { OPT_SCHEMA = 256, OPT_REGION, OPT_URL, OPT_INSECURE };
	static const struct option opts[] = {
		{"schema", required_argument, NULL, OPT_SCHEMA},
		{"region", required_argument, NULL, OPT_REGION},
		{"url", required_argument, NULL, OPT_URL},
		{"insecure", no_argument, NULL, OPT_INSECURE},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	char name[32];
	snprintf(name, sizeof name, "schema %s", cmd);
	int c;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "vh", opts, NULL)) != -1) {
		switch (c) {
		case OPT_SCHEMA:
			if (!*optarg)
				return cli_usage_error(name, "--schema takes a file name");
			a->file = optarg;
			break;
		case OPT_REGION: a->region = optarg; break;
		case OPT_URL: a->url = optarg; break;
		case OPT_INSECURE: a->insecure = true; break;
		case 'v':
			a->verbose = true;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			if (optopt == OPT_SCHEMA)
				return cli_usage_error(name, "--schema takes a file name");
			if (optopt)
				return cli_usage_error(name, "option '%s' needs a value", argv[optind - 1]);
			return cli_usage_error(name, "unknown option '%s'", argv[optind - 1]);
		}
	}
	a->npos = argc - optind;
	a->pos = argv + optind;
	return -1;
}

/* The endpoint named by --region, --url or KALTURA_SERVICE_URL; NULL when none is (and for
 * bad ones, with *rc set to the usage error). */
static char *endpoint(const char *cmd, const schema_args *a, int *rc)
{
	kt_error err;
	const char *env = cli_env("KALTURA_SERVICE_URL");
	*rc = 0;
	if (!a->region && !a->url && !env)
		return NULL;
	char *url = region_resolve(a->region, a->url, env, &err);
	if (!url)
		*rc = cli_usage_error(cmd, "%s", err.msg);
	return url;
}

static schema *load(const schema_args *a, int *rc)
{
	char *file;
	bool cached = false;
	kt_error err = {0};
	schema *s;
	if (a->file) {
		if (a->region || a->url)
			return *rc = cli_usage_error("schema", "give --schema or an endpoint, not both"),
			       NULL;
		file = kt_xstrdup(a->file);
	} else {
		char *url = endpoint("schema", a, rc);
		if (*rc)
			return NULL;
		file = schema_path_for(url, &cached);
		char *notice;
		s = schema_load_for(url, &notice, &err);
		/* say so whenever a downloaded schema replaces the shipped one */
		if (notice)
			fprintf(stderr, "ktestme: %s\n", notice);
		else if (cached && s)
			fprintf(stderr, "ktestme: using the schema cached for %s (%s)\n", url, file);
		if (a->verbose && !cached)
			fprintf(stderr, "ktestme: schema %s\n", file);
		free(notice);
		free(url);
		free(file);
		if (!s)
			*rc = cli_report(&err);
		return s;
	}
	if (a->verbose)
		fprintf(stderr, "ktestme: schema %s\n", file);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	s = schema_load_file(file, &err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (!s)
		*rc = cli_report(&err);
	else if (a->verbose) /* what make bench reads as the schema's own load time */
		fprintf(stderr, "ktestme: schema ready in %.3f ms (%s)\n",
			(double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6,
			schema_is_mapped(s) ? "mapped from its compiled image" : "parsed");
	free(file);
	return s;
}

static int cmd_update(int argc, char **argv)
{
	schema_args a = {0};
	int rc = parse_args("update", update_usage, argc, argv, &a);
	if (rc >= 0)
		return rc;
	if (a.npos)
		return cli_usage_error("schema update", "unexpected argument '%s'", a.pos[0]);
	if (a.file)
		return cli_usage_error("schema update", "--schema does not apply; name the endpoint");
	char *url = endpoint("schema update", &a, &rc);
	if (rc)
		return rc;
	if (!url)
		return cli_usage_error("schema update", "name the endpoint with --region or --url");
	tp_opts o = {.insecure = a.insecure, .follow = true}; /* a GET: no credential to carry */
	char *stored;
	schema *s;
	kt_error err;
	if (schema_cache_update(url, &o, &stored, &s, &err)) {
		free(url);
		return cli_report(&err);
	}
	termout_line(stdout, "schema of %s: %zu services, %zu actions, API version %s", url,
		     s->nservices, s->nactions, s->api_version ? s->api_version : "unknown");
	termout_line(stdout, "stored in %s", stored);
	schema_free(s);
	free(stored);
	free(url);
	return 0;
}

static int cmd_stats(int argc, char **argv)
{
	schema_args a = {0};
	int rc = parse_args("stats", stats_usage, argc, argv, &a);
	if (rc >= 0)
		return rc;
	if (a.npos)
		return cli_usage_error("schema stats", "unexpected argument '%s'", a.pos[0]);
	schema *s = load(&a, &rc);
	if (!s)
		return rc;
	printf("services: %zu\nactions: %zu\nenums: %zu\nclasses: %zu\nerrors: %zu\n", s->nservices,
	       s->nactions, s->nenums, s->nclasses, s->nerrors);
	schema_free(s);
	return 0;
}

static const char *ks_need_text(schema_ks_need k)
{
	switch (k) {
	case SCHEMA_KS_NONE: return "not needed";
	case SCHEMA_KS_OPTIONAL: return "optional";
	case SCHEMA_KS_ALWAYS: return "required";
	default: return "not stated";
	}
}

/* "int", "array of KalturaX", "int (KalturaSessionType)" */
static void print_type(FILE *o, const char *type, const char *array_type, const char *enum_type)
{
	if (array_type && *array_type)
		fprintf(o, "%s of %s", type, array_type);
	else
		fputs(type, o);
	if (enum_type && *enum_type)
		fprintf(o, ", enum %s", enum_type);
}

static void print_param(FILE *o, const schema_param *p)
{
	fprintf(o, "  %s (", p->name);
	print_type(o, p->type, p->array_type, p->enum_type);
	fprintf(o, ") %s", p->optional ? "optional" : "required");
	if (p->default_value)
		fprintf(o, ", default %s", *p->default_value ? p->default_value : "\"\"");
	fputc('\n', o);
	if (p->description && *p->description)
		fprintf(o, "      %s\n", p->description);
	/* what objectType may name, when there is a choice */
	const schema_class *cls = p->type_class ? p->type_class : p->array_class;
	if (cls && (cls->nconcrete > 1 || cls->abstract)) {
		size_t shown = cls->nconcrete < 8 ? cls->nconcrete : 8;
		fprintf(o, "      objectType: ");
		for (size_t i = 0; i < shown; i++)
			fprintf(o, "%s%s", i ? ", " : "", cls->concrete[i]->name);
		if (!cls->nconcrete)
			fprintf(o, "(no concrete class in the schema)");
		else if (shown < cls->nconcrete)
			fprintf(o, " and %zu more", cls->nconcrete - shown);
		fputc('\n', o);
	}
	if (p->enumeration)
		for (size_t i = 0; i < p->enumeration->nconsts; i++) {
			const schema_const *c = &p->enumeration->consts[i];
			fprintf(o, "      %s = %s\n", c->name, c->value);
		}
	else if (p->enum_type && *p->enum_type)
		fprintf(o, "      (enum %s is not in the schema)\n", p->enum_type);
}

static void print_action(FILE *o, const schema_action *a)
{
	const schema_service *svc = a->service;
	fprintf(o, "%s.%s", svc->name, a->name);
	if (strcasecmp(svc->id, svc->name))
		fprintf(o, " (service id %s)", svc->id);
	fputc('\n', o);
	if (a->description && *a->description)
		fprintf(o, "%s\n", a->description);
	fprintf(o, "KS: %s; multirequest: %s", ks_need_text(a->session_required),
	       a->enable_in_multirequest ? "yes" : "no");
	if (a->plugin || svc->plugin)
		fprintf(o, "; plugin: %s", a->plugin ? a->plugin : svc->plugin);
	if (a->deprecated || svc->deprecated)
		fputs("; deprecated", o);
	if (a->beta)
		fputs("; beta", o);
	fputc('\n', o);
	if (a->nparams) {
		fprintf(o, "\nParameters:\n");
		for (size_t i = 0; i < a->nparams; i++)
			print_param(o, &a->params[i]);
	} else {
		fprintf(o, "\nParameters: none\n");
	}
	fprintf(o, "\nResult: ");
	if (a->result_type) {
		print_type(o, a->result_type, a->result_array_type, NULL);
		fputc('\n', o);
	} else {
		fputs("none (void)\n", o);
	}
	if (a->nthrows) {
		fputs("Throws: ", o);
		for (size_t i = 0; i < a->nthrows; i++)
			fprintf(o, "%s%s", i ? ", " : "", a->throws[i]);
		fputc('\n', o);
	}
}

/* A schema may come from a peer (schema update, F11): what it says goes to a terminal only
 * through the filter, so the text is made in memory first. */
static FILE *text_open(char **buf, size_t *len)
{
	FILE *o = open_memstream(buf, len);
	if (!o) {
		fputs("ktestme: out of memory\n", stderr);
		abort();
	}
	return o;
}

static void text_flush(FILE *o, char **buf, size_t *len)
{
	fclose(o);
	termout_write(stdout, *buf, *len);
	free(*buf);
}

/* "; did you mean a, b?" or "" */
static void suggestions(const char **names, size_t n, char *out, size_t outlen)
{
	out[0] = '\0';
	if (!n)
		return;
	size_t w = (size_t)snprintf(out, outlen, "; did you mean ");
	for (size_t i = 0; i < n && w < outlen; i++)
		w += (size_t)snprintf(out + w, outlen - w, "%s%s",
				      i ? (i + 1 == n ? " or " : ", ") : "", names[i]);
	if (w < outlen)
		snprintf(out + w, outlen - w, "?");
}

static int cmd_show(int argc, char **argv)
{
	schema_args a = {0};
	int rc = parse_args("show", show_usage, argc, argv, &a);
	if (rc >= 0)
		return rc;
	if (a.npos < 1)
		return cli_usage_error("schema show", "expected SERVICE.ACTION");
	if (a.npos > 2)
		return cli_usage_error("schema show", "expected SERVICE.ACTION, not %d arguments",
				       a.npos);
	char *svc_name, *act_name;
	if (a.npos == 2) {
		svc_name = kt_xstrdup(a.pos[0]);
		act_name = kt_xstrdup(a.pos[1]);
	} else {
		const char *dot = strchr(a.pos[0], '.');
		if (!dot || dot == a.pos[0] || !dot[1])
			return cli_usage_error("schema show", "expected SERVICE.ACTION, not '%s'",
					       a.pos[0]);
		svc_name = kt_xstrndup(a.pos[0], (size_t)(dot - a.pos[0]));
		act_name = kt_xstrdup(dot + 1);
	}
	schema *s = load(&a, &rc);
	if (!s) {
		free(svc_name);
		free(act_name);
		return rc;
	}
	const char *close[5];
	char hint[400];
	const schema_service *svc = schema_find_service(s, svc_name);
	const schema_action *act = schema_find_action(svc, act_name);
	if (!svc) {
		suggestions(close, schema_suggest_services(s, svc_name, close, 5), hint,
			    sizeof hint);
		termout_line(stderr, "ktestme schema show: no service '%s' in %s%s", svc_name, s->path,
			*hint ? hint : "; 'ktestme schema search WORD' finds names");
		rc = KT_E_USAGE;
	} else if (!act) {
		suggestions(close, schema_suggest_actions(svc, act_name, close, 5), hint,
			    sizeof hint);
		if (!*hint)
			snprintf(hint, sizeof hint, "; 'ktestme schema search %s.' lists them",
				 svc->name);
		termout_line(stderr, "ktestme schema show: service %s has no action '%s'%s", svc->name,
			act_name, hint);
		rc = KT_E_USAGE;
	} else {
		char *buf;
		size_t len;
		FILE *o = text_open(&buf, &len);
		print_action(o, act);
		text_flush(o, &buf, &len);
		rc = 0;
	}
	free(svc_name);
	free(act_name);
	schema_free(s);
	return rc;
}

static void print_hit(const schema_hit *h, void *ud)
{
	FILE *o = ud;
	switch (h->kind) {
	case SCHEMA_HIT_SERVICE:
		fprintf(o, "service %s\n", h->service->name);
		break;
	case SCHEMA_HIT_ACTION:
		fprintf(o, "action  %s.%s\n", h->service->name, h->action->name);
		break;
	case SCHEMA_HIT_CLASS:
		fprintf(o, "class   %s\n", h->cls->name);
		break;
	case SCHEMA_HIT_ENUM:
		fprintf(o, "enum    %s\n", h->enm->name);
		break;
	}
}

static int cmd_search(int argc, char **argv)
{
	schema_args a = {0};
	int rc = parse_args("search", search_usage, argc, argv, &a);
	if (rc >= 0)
		return rc;
	if (a.npos > 1)
		return cli_usage_error("schema search", "expected one WORD, not %d", a.npos);
	if (a.npos < 1 || !*a.pos[0])
		return cli_usage_error("schema search", "expected a WORD to look for");
	schema *s = load(&a, &rc);
	if (!s)
		return rc;
	char *buf;
	size_t len;
	FILE *o = text_open(&buf, &len);
	size_t hits = schema_search(s, a.pos[0], print_hit, o);
	text_flush(o, &buf, &len);
	if (!hits)
		termout_line(stderr, "ktestme: nothing in %s matches '%s'", s->path, a.pos[0]);
	schema_free(s);
	return 0;
}

int cli_schema(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(int argc, char **argv);
	} cmds[] = {
		{"stats", cmd_stats},
		{"show", cmd_show},
		{"search", cmd_search},
		{"update", cmd_update},
	};
	if (argc < 2)
		return cli_usage_error("schema", "expected a command: stats, show, search or update");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		fputs(schema_usage, stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].run(argc - 1, argv + 1);
	return cli_usage_error("schema", "unknown command '%s'; expected stats, show, search or update",
			       argv[1]);
}
