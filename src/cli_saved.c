/* `ktestme run`, `ktestme saved` and `ktestme call --from-curl`: requests that come from a
 * saved collection or from pasted text go through `ktestme call` itself, as the arguments the
 * user would have typed, so they are sent, checked and printed exactly as a typed call. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "collection.h"
#include "files.h"
#include "import.h"
#include "reqtext.h"
#include "util.h"

typedef struct argvec {
	char **v;
	int n;
} argvec;

static void push(argvec *a, const char *s)
{
	a->v = kt_xrealloc(a->v, (size_t)(a->n + 2) * sizeof *a->v);
	a->v[a->n++] = kt_xstrdup(s);
	a->v[a->n] = NULL;
}

static void argvec_free(argvec *a)
{
	for (int i = 0; i < a->n; i++)
		kt_free_secret(a->v[i]);
	free(a->v);
}

/* `call`'s options that take a value, and ours */
static bool opt_takes_value(const char *o)
{
	static const char *const names[] = {"--region", "--url", "--ks", "--partner-id", "--format",
					    "--timeout", "--max-size", "--from-curl", "--entry",
					    "--file"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(o, names[i]))
			return true;
	return false;
}

/* The user's arguments split into options (with their values) and name=value pairs. */
static void split_args(int argc, char **argv, argvec *opts, argvec *pos)
{
	for (int i = 0; i < argc; i++) {
		if (argv[i][0] == '-' && argv[i][1]) {
			push(opts, argv[i]);
			if (opt_takes_value(argv[i]) && i + 1 < argc)
				push(opts, argv[++i]);
		} else {
			push(pos, argv[i]);
		}
	}
}

static const char *opt_value(const argvec *opts, const char *name)
{
	const char *v = NULL;
	size_t n = strlen(name);
	for (int i = 0; i < opts->n; i++) {
		if (!strcmp(opts->v[i], name) && i + 1 < opts->n)
			v = opts->v[i + 1];
		else if (!strncmp(opts->v[i], name, n) && opts->v[i][n] == '=')
			v = opts->v[i] + n + 1;
	}
	return v;
}

static void param_arg(const char *key, const char *suffix, const param *p, bool top, void *ud)
{
	(void)top;
	char *s = kt_xasprintf("%s%s=%s", key, suffix, p->kind == PARAM_VALUE ? p->value : "");
	push(ud, s);
	kt_free_secret(s);
}

/* `ktestme call` with r's service, action, fields and parameters, then the user's options
 * (which win) and pairs (which replace r's of the same name). url: where r came from, used
 * when the user names no endpoint. */
static int call_request(const kt_request *r, const char *url, const argvec *opts,
			const argvec *pos)
{
	argvec a = {0};
	push(&a, "call");
	if (url && !opt_value(opts, "--url") && !opt_value(opts, "--region")) {
		push(&a, "--url");
		push(&a, url);
	}
	if (r->ks && *r->ks) {
		push(&a, "--ks");
		push(&a, r->ks);
	}
	if (r->format == 1) {
		push(&a, "--format");
		push(&a, "json");
	}
	for (int i = 0; i < opts->n; i++)
		push(&a, opts->v[i]);
	push(&a, "--");
	push(&a, r->service);
	if (r->action)
		push(&a, r->action);
	/* on the wire the request fields are top-level pairs like any other */
	const char *fields[][2] = {{"partnerId", r->partner_id}, {"apiVersion", r->api_version},
				   {"language", r->language},
				   {"clientTag", r->client_tag && strcmp(r->client_tag, "ktestme")
							 ? r->client_tag : NULL}};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (fields[i][1] && !param_find(r->params, fields[i][0])) {
			char *s = kt_xasprintf("%s=%s", fields[i][0], fields[i][1]);
			push(&a, s);
			free(s);
		}
	param_walk(r->params, param_arg, &a);
	for (size_t i = 0; i < r->nfiles; i++) { /* name@FILE: an upload */
		char *s = kt_xasprintf("%s@%s", r->files[i].name, r->files[i].path);
		push(&a, s);
		free(s);
	}
	for (int i = 0; i < pos->n; i++)
		push(&a, pos->v[i]);
	int rc = cli_call(a.n, a.v);
	argvec_free(&a);
	return rc;
}

/* The text of FILE, or of stdin for "-" */
static char *read_input(const char *cmd, const char *file, size_t *len, int *rc)
{
	kt_error err = {0};
	char *text;
	if (!strcmp(file, "-")) {
		text = cli_read_stdin();
		if (!text) {
			*rc = cli_usage_error(cmd, "cannot read standard input (over 1 MiB?)");
			return NULL;
		}
		*len = strlen(text);
	} else if (!(text = files_read(file, len, &err))) {
		*rc = cli_report(&err);
		return NULL;
	}
	return text;
}

/* Reads the request of --from-curl FILE|- (and --entry N) in opts; NULL with *rc set. */
static bool imported(const char *cmd, const argvec *opts, import_result *out, int *rc)
{
	const char *file = opt_value(opts, "--from-curl");
	const char *entry = opt_value(opts, "--entry");
	long long n = 1;
	if (entry && (!kt_parse_ll(entry, &n) || n < 1)) {
		*rc = cli_usage_error(cmd, "--entry takes a number from 1, not '%s'", entry);
		return false;
	}
	size_t len;
	char *text = read_input(cmd, file, &len, rc);
	if (!text)
		return false;
	kt_error err = {0};
	int r = import_parse(text, len, IMPORT_AUTO, (size_t)(n - 1), out, &err);
	kt_free_secret(text);
	if (r) {
		fprintf(stderr, "ktestme %s: %s: %s\n", cmd, strcmp(file, "-") ? file : "stdin",
			err.msg);
		*rc = KT_E_DATA;
		return false;
	}
	return true;
}

/* The options of opts but ours (--from-curl, --entry), for `call`. */
static void drop_ours(argvec *opts)
{
	argvec kept = {0};
	for (int i = 0; i < opts->n; i++) {
		const char *o = opts->v[i];
		bool ours = !strncmp(o, "--from-curl", 11) || !strncmp(o, "--entry", 7);
		if (ours && !strchr(o, '=') && i + 1 < opts->n)
			i++;
		if (!ours)
			push(&kept, o);
	}
	argvec_free(opts);
	*opts = kept;
}

/* A request imported for another endpoint than its own keeps no credential: the KS and
 * secrets of one endpoint never go to another. */
static void keep_secrets_home(import_result *im, const argvec *opts)
{
	const char *url = opt_value(opts, "--url");
	bool other = opt_value(opts, "--region") || (url && im->service_url &&
						     strcmp(url, im->service_url));
	if (!other)
		return;
	kt_request clean;
	collection_copy_request(&clean, &im->req);
	kt_buf b;
	kt_buf_init(&b);
	if (reqtext_write(&b, &im->req))
		fprintf(stderr, "ktestme: the imported request's KS and secrets stay with %s\n",
			im->service_url ? im->service_url : "its endpoint");
	kt_buf_free(&b);
	request_free(&im->req);
	im->req = clean;
}

bool cli_call_imports(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			return false;
		if (!strcmp(argv[i], "--from-curl") || !strncmp(argv[i], "--from-curl=", 12))
			return true;
		if (argv[i][0] != '-')
			return false;
		if (opt_takes_value(argv[i]))
			i++;
	}
	return false;
}

int cli_call_import(int argc, char **argv)
{
	argvec opts = {0}, pos = {0};
	split_args(argc - 1, argv + 1, &opts, &pos);
	import_result im;
	int rc = 0;
	if (imported("call", &opts, &im, &rc)) {
		drop_ours(&opts);
		keep_secrets_home(&im, &opts);
		rc = call_request(&im.req, im.service_url, &opts, &pos);
		import_result_free(&im);
	}
	argvec_free(&opts);
	argvec_free(&pos);
	return rc;
}

/* ---- saved requests ---- */

static const char saved_usage[] =
	"Usage: ktestme saved list\n"
	"       ktestme saved names\n"
	"       ktestme saved show NAME\n"
	"       ktestme saved add NAME SERVICE ACTION [name=value ...]\n"
	"       ktestme saved add NAME --from-curl FILE|- [--entry N] [name=value ...]\n"
	"       ktestme saved delete NAME\n"
	"       ktestme saved export [FILE]\n"
	"       ktestme saved import FILE|-\n"
	"\n"
	"Saved requests are kept by name in one plain-text file, $XDG_DATA_HOME/ktestme/requests.txt\n"
	"(default ~/.local/share/ktestme), or the file of --file FILE. It never holds a secret: the\n"
	"KS, secret, password, token and tokenHash values, and any value that is a KS, are left\n"
	"out, so a collection can be shared in git. 'names' prints one name a line, 'export' the\n"
	"collection (or writes FILE); 'import' adds a file's requests, replacing those of the same\n"
	"name. 'ktestme run NAME' sends one.\n"
	"\n"
	"Options:\n"
	"  --file FILE         the collection file instead of the default\n"
	"  --from-curl FILE|-  (add) the request of a curl command, HAR file or log line, as\n"
	"                      'ktestme call --from-curl' reads it; --entry N picks a HAR's call\n"
	"  --format xml|json   (add) the response format to save\n"
	"  -h, --help          this help\n"
	"\n"
	"Exit status: 0 success, 64 bad arguments or an unknown name, 65 a malformed file,\n"
	"66 a file that cannot be read, 74 one that cannot be written.\n";

static const char run_usage[] =
	"Usage: ktestme run NAME [--file FILE] [call options] [name=value ...]\n"
	"\n"
	"Sends the saved request NAME (see 'ktestme saved') with 'ktestme call': its options\n"
	"(--region, --url, --ks, --partner-id, --format, --insecure, --timeout, --max-size,\n"
	"--location, --raw, --verbose) apply, and name=value pairs replace the saved ones. The KS comes from --ks,\n"
	"the secret of session.start from KALTURA_ADMIN_SECRET, as for 'ktestme call'.\n"
	"\n"
	"Options:\n"
	"  --file FILE   the collection file instead of the default\n"
	"  -h, --help    this help\n"
	"\n"
	"Exit status: as 'ktestme call'; 64 also for an unknown NAME.\n";

typedef struct saved_ctx {
	char *path;
	collection c;
} saved_ctx;

static int open_collection(saved_ctx *s, const argvec *opts)
{
	kt_error err = {0};
	const char *file = opt_value(opts, "--file");
	s->path = file ? kt_xstrdup(file) : collection_default_path(&err);
	collection_init(&s->c);
	if (!s->path || collection_load(&s->c, s->path, &err))
		return cli_report(&err);
	return 0;
}

static void close_collection(saved_ctx *s)
{
	collection_free(&s->c);
	free(s->path);
}

static int save_collection(saved_ctx *s)
{
	kt_error err = {0};
	return collection_save(&s->c, s->path, &err) ? cli_report(&err) : 0;
}

static void say_dropped(int dropped)
{
	if (dropped > 0)
		fprintf(stderr, "ktestme: %d secret value%s left out (the KS and secrets are never saved)\n",
			dropped, dropped == 1 ? "" : "s");
}

static int saved_add(saved_ctx *s, const char *name, argvec *opts, argvec *pos)
{
	kt_error err = {0};
	kt_request r;
	int rc = 0;
	if (opt_value(opts, "--from-curl")) {
		import_result im;
		if (!imported("saved", opts, &im, &rc))
			return rc;
		r = im.req;
		memset(&im.req, 0, sizeof im.req);
		import_result_free(&im);
		for (int i = 0; i < pos->n && !rc; i++)
			if (param_set_args(r.params, 1, &pos->v[i], &err))
				rc = cli_usage_error("saved", "%s", err.msg);
	} else {
		if (pos->n < 2 || (strcasecmp(pos->v[0], "multirequest") && pos->n < 2))
			return cli_usage_error("saved", "add needs NAME, SERVICE and ACTION");
		bool multi = !strcasecmp(pos->v[0], "multirequest");
		request_init(&r, pos->v[0], multi ? NULL : pos->v[1]);
		int skip = multi ? 1 : 2;
		if (param_set_args(r.params, pos->n - skip, pos->v + skip, &err))
			rc = cli_usage_error("saved", "%s", err.msg);
	}
	const char *format = opt_value(opts, "--format");
	if (!rc && format && !(r.format = request_format_from_name(format)))
		rc = cli_usage_error("saved", "--format takes xml or json, not '%s'", format);
	int dropped = 0;
	if (!rc && (dropped = collection_put(&s->c, name, &r, &err)) < 0)
		rc = cli_usage_error("saved", "%s", err.msg);
	request_free(&r);
	if (!rc && !(rc = save_collection(s))) {
		say_dropped(dropped);
		printf("saved '%s'\n", name);
	}
	return rc;
}

static int saved_run(int argc, char **argv, const char *cmd)
{
	argvec opts = {0}, pos = {0};
	split_args(argc, argv, &opts, &pos);
	saved_ctx s = {0};
	int rc = open_collection(&s, &opts);
	const char *sub = pos.n ? pos.v[0] : NULL;
	bool run = !strcmp(cmd, "run");
	if (rc)
		goto out;
	if (run) {
		if (!sub) {
			rc = cli_usage_error("run", "missing the NAME of a saved request");
			goto out;
		}
		const coll_entry *e = collection_find(&s.c, sub);
		if (!e) {
			rc = cli_usage_error("run", "no saved request named '%s' (see 'ktestme saved list')",
					     sub);
			goto out;
		}
		argvec rest = {0}, call_opts = {0};
		for (int i = 1; i < pos.n; i++)
			push(&rest, pos.v[i]);
		for (int i = 0; i < opts.n; i++) {
			if (!strcmp(opts.v[i], "--file") && i + 1 < opts.n) {
				i++;
				continue;
			}
			if (strncmp(opts.v[i], "--file=", 7))
				push(&call_opts, opts.v[i]);
		}
		rc = call_request(&e->req, NULL, &call_opts, &rest);
		argvec_free(&rest);
		argvec_free(&call_opts);
		goto out;
	}
	const char *name = pos.n > 1 ? pos.v[1] : NULL;
	if (sub && !strcmp(sub, "names")) {
		for (size_t i = 0; i < s.c.n; i++)
			puts(s.c.e[i].name);
	} else if (!sub || !strcmp(sub, "list")) {
		for (size_t i = 0; i < s.c.n; i++) {
			const kt_request *r = &s.c.e[i].req;
			printf("%-30s %s%s%s\n", s.c.e[i].name, r->service, r->action ? "." : "",
			       r->action ? r->action : "");
		}
	} else if (!strcmp(sub, "show") && name) {
		const coll_entry *e = collection_find(&s.c, name);
		if (!e) {
			rc = cli_usage_error("saved", "no saved request named '%s'", name);
			goto out;
		}
		char *t = reqtext_format(&e->req);
		fputs(t, stdout);
		free(t);
	} else if (!strcmp(sub, "add") && name) {
		argvec rest = {0};
		for (int i = 2; i < pos.n; i++)
			push(&rest, pos.v[i]);
		rc = saved_add(&s, name, &opts, &rest);
		argvec_free(&rest);
	} else if (!strcmp(sub, "delete") && name) {
		if (!collection_remove(&s.c, name))
			rc = cli_usage_error("saved", "no saved request named '%s'", name);
		else
			rc = save_collection(&s);
	} else if (!strcmp(sub, "export")) {
		if (name) {
			kt_error err = {0};
			char *t = collection_format(&s.c);
			if (files_write_atomic(name, t, strlen(t), &err))
				rc = cli_report(&err);
			free(t);
		} else {
			char *t = collection_format(&s.c);
			fputs(t, stdout);
			free(t);
		}
	} else if (!strcmp(sub, "import") && name) {
		size_t len, dropped = 0;
		char *text = read_input("saved", name, &len, &rc);
		if (!text)
			goto out;
		kt_error err = {0};
		size_t before = s.c.n;
		if (memchr(text, '\0', len) || collection_parse(&s.c, text, &dropped, &err)) {
			fprintf(stderr, "ktestme saved: %s: %s\n", name,
				err.msg[0] ? err.msg : "not a text file");
			rc = KT_E_DATA;
		} else if (!(rc = save_collection(&s))) {
			say_dropped((int)dropped);
			printf("imported into %s (%zu new)\n", s.path, s.c.n - before);
		}
		free(text);
	} else {
		rc = cli_usage_error("saved", "unknown or incomplete command '%s'", sub);
	}
out:
	close_collection(&s);
	argvec_free(&opts);
	argvec_free(&pos);
	return rc;
}

static bool wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return true;
	}
	return false;
}

int cli_saved(int argc, char **argv)
{
	if (wants_help(argc, argv)) {
		fputs(saved_usage, stdout);
		return 0;
	}
	static const char *const ours[] = {"--file", "--from-curl", "--entry", "--format"};
	for (int i = 1; i < argc; i++) {
		if (argv[i][0] != '-' || !argv[i][1])
			continue;
		bool known = false;
		for (size_t j = 0; j < sizeof ours / sizeof ours[0]; j++) {
			size_t n = strlen(ours[j]);
			if (!strncmp(argv[i], ours[j], n) && (!argv[i][n] || argv[i][n] == '='))
				known = true;
		}
		if (!known)
			return cli_usage_error("saved", "unknown option '%s'", argv[i]);
		if (!strchr(argv[i], '='))
			i++;
	}
	return saved_run(argc - 1, argv + 1, "saved");
}

int cli_run(int argc, char **argv)
{
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(run_usage, stdout);
		return 0;
	}
	return saved_run(argc - 1, argv + 1, "run");
}
