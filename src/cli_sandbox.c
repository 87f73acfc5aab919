/* cli_sandbox: `ktestme sandbox`, the local Kaltura-compatible API server in the foreground. */
#include "cli.h"

#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "sandbox/sandbox.h"
#include "util.h"

static const char sandbox_usage[] =
	"Usage: ktestme sandbox [OPTIONS]\n"
	"\n"
	"Runs a local Kaltura-compatible API server until Ctrl-C.\n"
	"The first line printed is 'sandbox: URL'; then the partner id, both secrets and the\n"
	"demo admin user's password. A listen address other than 127.x.x.x is warned about.\n"
	"\n"
	"Options:\n"
	"  --listen HOST:PORT       the IPv4 address to listen on (default 127.0.0.1:0, any\n"
	"                           free port)\n"
	"  --partner-id N           the sandbox partner's id (default 100)\n"
	"  --admin-secret S         the partner's admin secret; '-' reads it from stdin\n"
	"                           (default: KTESTME_SANDBOX_ADMIN_SECRET, else 32 random hex\n"
	"                           digits)\n"
	"  --admin-secret-file F    the admin secret is the line in file F\n"
	"  --user-secret S          the partner's user secret; '-' reads it from stdin\n"
	"                           (default: KTESTME_SANDBOX_USER_SECRET, else random)\n"
	"  --user-secret-file F     the user secret is the line in file F\n"
	"  --admin-password P       the demo admin user's password; '-' reads it from stdin\n"
	"                           (default: KTESTME_SANDBOX_ADMIN_PASSWORD, else random per run)\n"
	"  --admin-password-file F  the password is the line in file F\n"
	"  --ks-version 1|2         the KS format session.start makes (default 2)\n"
	"  -h, --help               this help\n"
	"\n"
	"Exit status: 0 stopped by SIGINT or SIGTERM, 2 cannot listen, 64 bad arguments,\n"
	"65/66 the API schema cannot be read.\n";

static int serve(const sandbox_opts *opts);

enum { OPT_LISTEN = 256, OPT_PARTNER, OPT_ADMIN, OPT_USER, OPT_KSV, OPT_PASSWORD, OPT_ADMIN_FILE,
       OPT_USER_FILE, OPT_PASSWORD_FILE };

int cli_sandbox(int argc, char **argv)
{
	static const struct option opts[] = {
		{"listen", required_argument, NULL, OPT_LISTEN},
		{"partner-id", required_argument, NULL, OPT_PARTNER},
		{"admin-secret", required_argument, NULL, OPT_ADMIN},
		{"user-secret", required_argument, NULL, OPT_USER},
		{"admin-secret-file", required_argument, NULL, OPT_ADMIN_FILE},
		{"user-secret-file", required_argument, NULL, OPT_USER_FILE},
		{"ks-version", required_argument, NULL, OPT_KSV},
		{"admin-password", required_argument, NULL, OPT_PASSWORD},
		{"admin-password-file", required_argument, NULL, OPT_PASSWORD_FILE},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	sandbox_opts o = {0};
	const char *admin = NULL, *admin_file = NULL, *user = NULL, *user_file = NULL,
		   *password = NULL, *password_file = NULL;
	long long n;
	int c;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case OPT_LISTEN: o.listen = optarg; break;
		case OPT_ADMIN: admin = optarg; break;
		case OPT_USER: user = optarg; break;
		case OPT_PASSWORD: password = optarg; break;
		case OPT_ADMIN_FILE: admin_file = optarg; break;
		case OPT_USER_FILE: user_file = optarg; break;
		case OPT_PASSWORD_FILE: password_file = optarg; break;
		case OPT_PARTNER:
			if (!kt_parse_ll(optarg, &n) || n <= 0 || n > 2147483647)
				return cli_usage_error("sandbox", "--partner-id takes a positive number, not '%s'",
						       optarg);
			o.partner_id = n;
			break;
		case OPT_KSV:
			if (!kt_parse_ll(optarg, &n) || (n != 1 && n != 2))
				return cli_usage_error("sandbox", "--ks-version takes 1 or 2, not '%s'", optarg);
			o.ks_version = (int)n;
			break;
		case 'h':
			fputs(sandbox_usage, stdout);
			return 0;
		default:
			if (optopt)
				return cli_usage_error("sandbox", "option '%s' needs a value or is unknown",
						       argv[optind - 1]);
			return cli_usage_error("sandbox", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("sandbox", "unexpected argument '%s'", argv[optind]);
	if ((admin && !strcmp(admin, "-")) + (user && !strcmp(user, "-")) +
	    (password && !strcmp(password, "-")) > 1)
		return cli_usage_error("sandbox", "only one secret can come from standard input");
	int rc = 0;
	char *admin_secret = cli_secret("sandbox", "--admin-secret", admin, admin_file,
					"KTESTME_SANDBOX_ADMIN_SECRET", &rc);
	char *user_secret = rc ? NULL : cli_secret("sandbox", "--user-secret", user, user_file,
						   "KTESTME_SANDBOX_USER_SECRET", &rc);
	char *admin_password = rc ? NULL : cli_secret("sandbox", "--admin-password", password,
						      password_file,
						      "KTESTME_SANDBOX_ADMIN_PASSWORD", &rc);
	if (!rc) {
		o.admin_secret = admin_secret;
		o.user_secret = user_secret;
		o.admin_password = admin_password;
		rc = serve(&o);
	}
	kt_free_secret(admin_secret);
	kt_free_secret(user_secret);
	kt_free_secret(admin_password);
	return rc;
}

/* Runs the sandbox until SIGINT or SIGTERM. */
static int serve(const sandbox_opts *opts)
{
	sandbox_opts o = *opts;

	/* Blocked before the server threads start, so they inherit the mask and sigwait gets it. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	kt_error err;
	if (sandbox_start(&o, &err) < 0)
		return err.code == KT_E_USAGE ? cli_usage_error("sandbox", "%s", err.msg)
					      : cli_report(&err);
	const char *url = sandbox_url();
	printf("sandbox: %s\n"
	       "partner id:   %lld\n"
	       "admin secret: %s\n"
	       "user secret:  %s\n"
	       "admin password: %s (admin@example.com)\n"
	       "\n"
	       "Demo data: categories 1 Demo (public), 2 MediaSpace (privacy context MediaSpace),\n"
	       "3 Members only; entries in them; users alice and admin@example.com; one app\n"
	       "token. Entitlements are on, as on many accounts. A second partner, %lld, has\n"
	       "secrets of its own and the same data; admin@example.com is an admin of both\n"
	       "(partner.listPartnersForUser, then partner.getSecrets).\n"
	       "\n"
	       "Walkthrough:\n"
	       "  1. an ADMIN session; the result is a KS:\n"
	       "     ktestme call --url %s session start secret=%s type=2 partnerId=%lld\n"
	       "  2. the MediaSpace category with it answers CATEGORY_NOT_FOUND:\n"
	       "     ktestme call --url %s --ks KS category get id=2\n"
	       "  3. a session with privileges=disableentitlement sees it:\n"
	       "     ktestme call --url %s session start secret=%s type=2 partnerId=%lld \\\n"
	       "         privileges=disableentitlement\n"
	       "     ktestme call --url %s --ks KS category get id=2\n"
	       "Ctrl-C stops it.\n",
	       url, sandbox_partner_id(), sandbox_admin_secret(), sandbox_user_secret(),
	       sandbox_admin_password(), sandbox_second_partner_id(), url,
	       sandbox_admin_secret(), sandbox_partner_id(), url, url, sandbox_admin_secret(),
	       sandbox_partner_id(), url);
	fflush(stdout);
	int sig;
	sigwait(&set, &sig);
	sandbox_stop();
	return 0;
}
