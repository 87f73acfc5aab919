/* `ktestme login`: a session from a profile's (or the environment's) credentials, its KS on
 * stdout, for scripts: KS=$(ktestme login --profile prod). */
#include "cli.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/apptoken.h"
#include "app/profile.h"
#include "app/signin.h"
#include "ks.h"
#include "ksgen.h"
#include "region.h"
#include "request.h"
#include "response.h"
#include "termout.h"
#include "transport.h"
#include "util.h"

static const char login_usage[] =
	"Usage: ktestme login [--profile NAME] [OPTIONS]\n"
	"\n"
	"Starts a session and prints its KS on stdout. The credentials come from the profile\n"
	"(or the environment): with app_token_id and its token, the app-token flow (a widget\n"
	"session, tokenHash, appToken.startSession); with login_id and a password,\n"
	"user.loginByLoginId; with an admin secret, session.start; with a user secret only, a\n"
	"USER session.start.\n"
	"\n"
	"Options:\n"
	"  --region R, --url URL   the endpoint (default: the profile's, KALTURA_SERVICE_URL, us)\n"
	"  --type T                user or admin (default: the profile's type, else user)\n"
	"  --user U                the user id (default: the profile's user_id)\n"
	"  --privileges P          the KS privileges (default: the profile's privileges)\n"
	"  --expiry SECONDS        how long the KS is valid (default: the profile's, else 86400)\n"
	"  --partner-id N          the partner (default: the profile's partner_id,\n"
	"                          KALTURA_PARTNER_ID; with a login id, the login's default)\n"
	"  --login-id EMAIL        sign in with this login id (default: the profile's login_id)\n"
	"  --password P            its password; '-' reads it from stdin (default: the\n"
	"                          profile's password_*, KALTURA_PASSWORD)\n"
	"  --password-file F       the password is the line in file F\n"
	"  --partners              list the partners the login may use (ID and name per line),\n"
	"                          as the Developer Portal's sign-in does, then stop\n"
	"  --local                 make the KS here with the admin secret, sending nothing\n"
	"  --insecure              do not verify TLS certificates\n"
	"  -h, --help              this help\n"
	"\n"
	"Environment: KALTURA_SERVICE_URL, KALTURA_PARTNER_ID, KALTURA_ADMIN_SECRET,\n"
	"KALTURA_USER_SECRET, KALTURA_PASSWORD, KALTURA_APP_TOKEN (a profile named with --profile\n"
	"wins).\n"
	"Exit status: 0 success, 1 an API error, 2 a network failure, 4 an answer without a KS,\n"
	"64 bad arguments or no credentials, 66 a secret source that fails.\n";

enum { OPT_REGION = 256, OPT_URL, OPT_TYPE, OPT_USER, OPT_PRIVILEGES, OPT_EXPIRY, OPT_LOCAL,
       OPT_INSECURE, OPT_PARTNER, OPT_LOGIN_ID, OPT_PASSWORD, OPT_PASSWORD_FILE, OPT_PARTNERS };

typedef struct login_args {
	const char *region, *url, *type, *user, *privileges, *expiry, *partner, *login_id;
	const char *password, *password_file;
	bool local, insecure, partners;
} login_args;

static int parse_args(int argc, char **argv, login_args *a)
{
	static const struct option opts[] = {
		{"region", required_argument, NULL, OPT_REGION},
		{"url", required_argument, NULL, OPT_URL},
		{"type", required_argument, NULL, OPT_TYPE},
		{"user", required_argument, NULL, OPT_USER},
		{"privileges", required_argument, NULL, OPT_PRIVILEGES},
		{"expiry", required_argument, NULL, OPT_EXPIRY},
		{"local", no_argument, NULL, OPT_LOCAL},
		{"insecure", no_argument, NULL, OPT_INSECURE},
		{"partner-id", required_argument, NULL, OPT_PARTNER},
		{"login-id", required_argument, NULL, OPT_LOGIN_ID},
		{"password", required_argument, NULL, OPT_PASSWORD},
		{"password-file", required_argument, NULL, OPT_PASSWORD_FILE},
		{"partners", no_argument, NULL, OPT_PARTNERS},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case OPT_REGION: a->region = optarg; break;
		case OPT_URL: a->url = optarg; break;
		case OPT_TYPE: a->type = optarg; break;
		case OPT_USER: a->user = optarg; break;
		case OPT_PRIVILEGES: a->privileges = optarg; break;
		case OPT_EXPIRY: a->expiry = optarg; break;
		case OPT_LOCAL: a->local = true; break;
		case OPT_INSECURE: a->insecure = true; break;
		case OPT_PARTNER: a->partner = optarg; break;
		case OPT_LOGIN_ID: a->login_id = optarg; break;
		case OPT_PASSWORD: a->password = optarg; break;
		case OPT_PASSWORD_FILE: a->password_file = optarg; break;
		case OPT_PARTNERS: a->partners = true; break;
		case 'h':
			fputs(login_usage, stdout);
			return -1;
		case ':':
			return cli_usage_error("login", "option '%s' needs a value", argv[optind - 1]);
		default:
			return cli_usage_error("login", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("login", "unexpected argument '%s'", argv[optind]);
	long long n;
	if (a->partner && (!kt_parse_ll(a->partner, &n) || n < 0))
		return cli_usage_error("login", "--partner-id takes a number, not '%s'", a->partner);
	if (a->partners && a->local)
		return cli_usage_error("login", "--partners and --local exclude each other");
	return 0;
}

/* Sends the request; its answer parsed into *res (free with response_free_wiped: the answers hold KSs and secrets) or an exit code. */
static int send(kt_request *r, const char *service_url, bool insecure, response *res)
{
	kt_error err;
	char *url = request_url(r, service_url);
	char *body = request_form_body(r);
	tp_opts o = {.insecure = insecure};
	tp_response resp;
	int rc = tp_perform(url, body, "application/x-www-form-urlencoded", &o, &resp, &err);
	kt_free_secret(body);
	free(url);
	if (!rc)
		rc = response_parse(resp.body.data ? resp.body.data : "", resp.body.len, r->format,
				    res, &err);
	tp_response_free(&resp);
	if (rc)
		return cli_report(&err);
	if (res->result->kind == RV_ERROR) {
		termout_line(stderr, "%s: %s", res->result->code ? res->result->code : "?",
			     res->result->message ? res->result->message : "");
		response_free_wiped(res);
		return KT_E_API;
	}
	return 0;
}

/* Sends the request and prints the KS it returns. */
static int send_for_ks(kt_request *r, const char *service_url, bool insecure)
{
	response res;
	int rc = send(r, service_url, insecure, &res);
	if (rc)
		return rc;
	const char *ks = response_find_ks(&res, r->service, r->action);
	if (!ks)
		rc = cli_report(&(kt_error){KT_E_RESPONSE, "the answer carries no KS"});
	else
		puts(ks);
	response_free_wiped(&res);
	return rc;
}

/* The app-token flow: a widget session, the hash, appToken.startSession. */
static int app_token_login(const profile *p, const char *partner, const char *service_url,
			   const login_args *a, const char *user, const char *type_s,
			   const char *expiry_s, const char *privs)
{
	const char *token = cli_env("KALTURA_APP_TOKEN");
	long long pid;
	if (!token)
		return cli_usage_error("login", "profile %s has app_token_id but no app_token_env, "
				       "app_token_command or app_token_file", p->name);
	if (!partner || !kt_parse_ll(partner, &pid))
		return cli_usage_error("login", "the app-token flow needs the partner id (for its "
				       "widget session)");
	kt_request r;
	response res;
	apptoken_widget_request(&r, pid);
	r.format = KT_FORMAT_XML;
	int rc = send(&r, service_url, a->insecure, &res);
	request_free(&r);
	if (rc)
		return rc;
	char *widget_ks = apptoken_widget_ks(&res) ? kt_xstrdup(apptoken_widget_ks(&res)) : NULL;
	response_free_wiped(&res);
	if (!widget_ks)
		return cli_report(&(kt_error){KT_E_RESPONSE, "session.startWidgetSession returned no KS"});
	apptoken_start st = {.id = p->app_token_id, .token = token,
			     .hash_type = p->app_token_hash_type, .widget_ks = widget_ks,
			     .user_id = user, .type = a->type || p->type >= 0 ? type_s : NULL,
			     .expiry = a->expiry || p->expiry ? expiry_s : NULL, .privileges = privs};
	kt_error err;
	rc = apptoken_session_request(&r, &st, &err);
	kt_free_secret(widget_ks);
	if (rc)
		return cli_report(&err);
	r.format = KT_FORMAT_XML;
	rc = send_for_ks(&r, service_url, a->insecure);
	request_free(&r);
	return rc;
}

/* --partners: the sign-in's list, one "ID<tab>NAME" line per partner the login may use. */
static int list_partners(const char *login_id, const char *password, const char *partner,
			 const char *service_url, bool insecure)
{
	kt_request r;
	response res;
	long long pid = -1;
	if (partner)
		kt_parse_ll(partner, &pid);
	signin_login_request(&r, login_id, password, pid);
	r.format = KT_FORMAT_XML;
	int rc = send(&r, service_url, insecure, &res);
	request_free(&r);
	if (rc)
		return rc;
	const char *ks = response_find_ks(&res, "user", "loginByLoginId");
	if (!ks) {
		response_free_wiped(&res);
		return cli_report(&(kt_error){KT_E_RESPONSE, "user.loginByLoginId returned no KS"});
	}
	signin_partners_request(&r, ks);
	response_free_wiped(&res);
	r.format = KT_FORMAT_XML;
	rc = send(&r, service_url, insecure, &res);
	request_free(&r);
	if (rc)
		return rc;
	signin_partner *list;
	int n;
	kt_error err;
	rc = signin_partners(&res, &list, &n, &err);
	response_free_wiped(&res);
	if (rc)
		return cli_report(&err);
	for (int i = 0; i < n; i++) {
		char *line = kt_xasprintf("%lld\t%s\n", list[i].id, list[i].name);
		termout_write(stdout, line, strlen(line)); /* names are the server's text */
		free(line);
	}
	signin_partners_free(list, n);
	return 0;
}

int cli_login(int argc, char **argv)
{
	login_args a = {0};
	int rc = parse_args(argc, argv, &a);
	if (rc)
		return rc < 0 ? 0 : rc;
	const profile *p = cli_profile();
	kt_error err;
	char *service_url = region_resolve(a.region, a.url, cli_env("KALTURA_SERVICE_URL"), &err);
	if (!service_url)
		return cli_usage_error("login", "%s", err.msg);
	if (!a.local) /* nothing is sent with --local */
		cli_bind_endpoint(service_url);

	long long now = (long long)time(NULL), expiry = p && p->expiry ? p->expiry
									: KSGEN_DEFAULT_EXPIRY;
	if (a.expiry && ksgen_parse_expiry(a.expiry, now, &expiry, &err)) {
		free(service_url);
		return cli_usage_error("login", "%s", err.msg);
	}
	int type = p && p->type >= 0 ? p->type : KS_TYPE_USER;
	if (a.type && ksgen_parse_type(a.type, &type)) {
		free(service_url);
		return cli_usage_error("login", "--type takes user, admin, 0 or 2, not '%s'", a.type);
	}
	const char *user = a.user ? a.user : p ? p->user_id : NULL;
	const char *privs = a.privileges ? a.privileges : p ? p->privileges : NULL;
	const char *partner = a.partner ? a.partner : cli_env("KALTURA_PARTNER_ID");
	const char *login_id = a.login_id ? a.login_id : p ? p->login_id : NULL;
	char expiry_s[32], type_s[8];
	snprintf(expiry_s, sizeof expiry_s, "%lld", expiry);
	snprintf(type_s, sizeof type_s, "%d", type);

	kt_request r;
	const char *admin = NULL, *usersecret = NULL;
	char *password = NULL;
	if ((login_id || a.partners) && !a.local) {
		if (!login_id) {
			free(service_url);
			return cli_usage_error("login", "--partners needs a login id (--login-id or the "
					       "profile's login_id)");
		}
		password = cli_secret("login", "--password", a.password, a.password_file,
				      "KALTURA_PASSWORD", &rc);
		if (!password) {
			free(service_url);
			return rc ? rc : cli_usage_error("login", "login id %s needs its password "
							 "(--password -, --password-file, the "
							 "profile's password_* or KALTURA_PASSWORD)",
							 login_id);
		}
	}
	if (a.partners) {
		rc = list_partners(login_id, password, a.partner, service_url, a.insecure);
		kt_free_secret(password);
		free(service_url);
		return rc;
	}
	if (p && p->app_token_id && !a.local && !password) {
		rc = app_token_login(p, partner, service_url, &a, user, type_s, expiry_s, privs);
		free(service_url);
		return rc;
	}
	if (password) {
		signin_login_request(&r, login_id, password, -1);
		kt_free_secret(password);
	} else {
		admin = cli_env("KALTURA_ADMIN_SECRET");
		if (!admin && !a.local)
			usersecret = cli_env("KALTURA_USER_SECRET");
		if (!admin && !usersecret) {
			free(service_url);
			return cli_usage_error("login", "no credentials: %s", a.local
				? "--local needs an admin secret (admin_secret_* or KALTURA_ADMIN_SECRET)"
				: "give the profile admin_secret_*, user_secret_* or login_id and "
				  "password_*, or set KALTURA_ADMIN_SECRET");
		}
		if (!admin && type != KS_TYPE_USER) {
			free(service_url);
			return cli_usage_error("login", "an ADMIN session needs the admin secret; "
					       "this profile has only the user secret");
		}
		if (!partner) {
			free(service_url);
			return cli_usage_error("login", "a partner id is needed (the profile's "
					       "partner_id or KALTURA_PARTNER_ID)");
		}
		if (a.local) {
			char *ks;
			ksgen_request q = {.partner_id = partner, .secret = admin, .type = type_s,
					   .user = user, .expiry = expiry_s, .privileges = privs};
			free(service_url);
			if (ksgen_make(&q, now, &ks, &err))
				return err.code == KT_E_USAGE ? cli_usage_error("login", "%s", err.msg)
							      : cli_report(&err);
			puts(ks);
			free(ks);
			return 0;
		}
		request_init(&r, "session", "start");
		param_set(r.params, "secret", admin ? admin : usersecret, NULL);
		param_set(r.params, "type", type_s, NULL);
		if (user)
			param_set(r.params, "userId", user, NULL);
	}
	if (partner)
		param_set(r.params, "partnerId", partner, NULL);
	param_set(r.params, "expiry", expiry_s, NULL);
	if (privs)
		param_set(r.params, "privileges", privs, NULL);
	r.format = KT_FORMAT_XML;
	rc = send_for_ks(&r, service_url, a.insecure);
	request_free(&r);
	free(service_url);
	return rc;
}
