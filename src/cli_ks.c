/* `ktestme ks`: make, read and renew Kaltura Sessions, and app-token hashes. */
#include "cli.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/profile.h"
#include "ks.h"
#include "ksgen.h"
#include "ksinspect.h"
#include "termout.h"
#include "util.h"

static const char ks_usage[] =
	"Usage: ktestme ks SUBCOMMAND [OPTIONS]\n"
	"\n"
	"Kaltura Sessions (KS) made and read exactly as the Kaltura server does.\n"
	"\n"
	"Subcommands:\n"
	"  gen            make a KS (v2 by default, or v1)\n"
	"  decode         print the fields of a KS and check its signature\n"
	"  renew          the same KS with a new expiry, signed again\n"
	"  apptoken-hash  the tokenHash of appToken.startSession\n"
	"\n"
	"Run 'ktestme ks SUBCOMMAND --help' for its options.\n"
	"Environment: KALTURA_PARTNER_ID, KALTURA_ADMIN_SECRET, KALTURA_APP_TOKEN (flags win).\n"
	"A secret given on the command line is visible to other users (ps): ktestme warns;\n"
	"prefer the environment, a file (--secret-file) or standard input (--secret -).\n"
	"--profile NAME takes the partner id and the admin secret from a profile; for gen also\n"
	"its user_id, type, expiry and privileges.\n";

static const char gen_usage[] =
	"Usage: ktestme ks gen --partner-id N --secret S [OPTIONS]\n"
	"\n"
	"Makes a KS and prints it on stdout.\n"
	"\n"
	"Options:\n"
	"  --partner-id N        the partner id (default: KALTURA_PARTNER_ID)\n"
	"  --secret S            the partner's admin secret; '-' reads it from stdin (default:\n"
	"                        KALTURA_ADMIN_SECRET)\n"
	"  --secret-file F       the admin secret is the line in file F\n"
	"  --user U              the user id (default: none)\n"
	"  --type T              user, admin, 0 or 2 (default: user)\n"
	"  --expiry SECONDS      valid for this long from now (default: 86400)\n"
	"  --valid-until TIME    valid until this unix time instead\n"
	"  --privileges P        e.g. 'disableentitlement,sview:*' or '*'\n"
	"  --v1, --v2            the KS version (default: v2)\n"
	"  --rand R              fixed randomness: 32 hex digits for v2, the literal rand field\n"
	"                        for v1 (default: random bytes for v2, the time for v1)\n"
	"  -h, --help            this help\n"
	"\n"
	"Exit status: 0 success, 64 bad arguments.\n";

static const char decode_usage[] =
	"Usage: ktestme ks decode [--secret S] KS\n"
	"\n"
	"Prints the fields of a KS ('-' reads it from stdin), one 'name: value' per line, and\n"
	"checks its signature. A v2 KS is encrypted: without the admin secret only its version\n"
	"and partner id can be read.\n"
	"\n"
	"Options:\n"
	"  --secret S        the partner's admin secret; '-' reads it from stdin (default:\n"
	"                    KALTURA_ADMIN_SECRET)\n"
	"  --secret-file F   the admin secret is the line in file F\n"
	"  --explain         as the console's KS inspector shows it: the fields, what each\n"
	"                    privilege means, and Kaltura's security notes as 'warning:' lines (an\n"
	"                    ADMIN KS, no user id, no appid, a long expiry, another partner than\n"
	"                    KALTURA_PARTNER_ID)\n"
	"  -h, --help        this help\n"
	"\n"
	"Exit status: 0 valid or unchecked, 7 not a KS, 3 the signature does not match the\n"
	"secret, 64 bad arguments.\n";

static const char renew_usage[] =
	"Usage: ktestme ks renew --secret S [--expiry SECONDS] KS\n"
	"\n"
	"Prints the KS ('-' reads it from stdin) with a new expiry, signed again: same version,\n"
	"fields and privileges; a v2 KS gets fresh random bytes.\n"
	"\n"
	"Options:\n"
	"  --secret S          the partner's admin secret; '-' reads it from stdin (default:\n"
	"                      KALTURA_ADMIN_SECRET)\n"
	"  --secret-file F     the admin secret is the line in file F\n"
	"  --expiry SECONDS    valid for this long from now (default: 86400)\n"
	"  -h, --help          this help\n"
	"\n"
	"Exit status: 0 success, 7 not a KS, 3 the KS does not verify against the secret,\n"
	"64 bad arguments.\n";

static const char apptoken_usage[] =
	"Usage: ktestme ks apptoken-hash --hash-type TYPE --ks KS --token T\n"
	"\n"
	"Prints the tokenHash that appToken.startSession expects: the lowercase hex\n"
	"HASH(KS + token), where KS is the one sent with that request (usually a widget KS).\n"
	"\n"
	"Options:\n"
	"  --hash-type TYPE   sha1, md5, sha256 or sha512 (the app token's hashType)\n"
	"  --ks KS            the KS of the startSession request ('-' reads it from stdin)\n"
	"  --token T          the app token's token (32 hex digits); '-' reads it from stdin\n"
	"                     (default: KALTURA_APP_TOKEN)\n"
	"  --token-file F     the token is the line in file F\n"
	"  -h, --help         this help\n"
	"\n"
	"Exit status: 0 success, 64 bad arguments.\n";

enum { OPT_PARTNER = 256, OPT_SECRET, OPT_USER, OPT_TYPE, OPT_EXPIRY, OPT_VALID_UNTIL,
       OPT_PRIVILEGES, OPT_V1, OPT_V2, OPT_RAND, OPT_HASH_TYPE, OPT_KS, OPT_TOKEN,
       OPT_SECRET_FILE, OPT_TOKEN_FILE, OPT_EXPLAIN };

#define DEFAULT_EXPIRY KSGEN_DEFAULT_EXPIRY

static int bad_option(const char *cmd, int c, char **argv)
{
	if (c == ':')
		return cli_usage_error(cmd, "option '%s' needs a value", argv[optind - 1]);
	if (optopt > 0 && optopt < 256)
		return cli_usage_error(cmd, "unknown option '-%c'", optopt);
	return cli_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
}

/* --secret S | --secret - | --secret-file F | KALTURA_ADMIN_SECRET; malloc'd or NULL */
static char *admin_secret(const char *cmd, const char *flag, const char *file, int *rc)
{
	return cli_secret(cmd, "--secret", flag, file, "KALTURA_ADMIN_SECRET", rc);
}

static int parse_expiry(const char *cmd, const char *s, long long *out)
{
	if (ksgen_parse_expiry(s, (long long)time(NULL), out, NULL))
		return cli_usage_error(cmd, "--expiry takes a positive number of seconds, not '%s'", s);
	return 0;
}

/* The KS argument: "-" is stdin; surrounding blanks from copy and paste are dropped. */
static char *read_ks_arg(const char *arg, kt_error *err)
{
	if (!strcmp(arg, "-")) {
		if (cli_stdin_used())
			return kt_fail(err, KT_E_USAGE, "the KS '-': standard input is already read "
				       "for another '-'"), NULL;
		char *s = cli_read_stdin();
		if (!s)
			kt_fail(err, KT_E_NOTKS, "not a KS: standard input could not be read or is "
				"over 1 MB");
		return s;
	}
	while (*arg == ' ' || *arg == '\t' || *arg == '\n' || *arg == '\r')
		arg++;
	size_t n = strlen(arg);
	while (n && strchr(" \t\r\n", arg[n - 1]))
		n--;
	return kt_xstrndup(arg, n);
}

/* ---- gen ---- */

static int ks_gen(int argc, char **argv)
{
	static const char cmd[] = "ks gen";
	static const struct option opts[] = {
		{"partner-id", required_argument, NULL, OPT_PARTNER},
		{"secret", required_argument, NULL, OPT_SECRET},
		{"secret-file", required_argument, NULL, OPT_SECRET_FILE},
		{"user", required_argument, NULL, OPT_USER},
		{"type", required_argument, NULL, OPT_TYPE},
		{"expiry", required_argument, NULL, OPT_EXPIRY},
		{"valid-until", required_argument, NULL, OPT_VALID_UNTIL},
		{"privileges", required_argument, NULL, OPT_PRIVILEGES},
		{"v1", no_argument, NULL, OPT_V1},
		{"v2", no_argument, NULL, OPT_V2},
		{"rand", required_argument, NULL, OPT_RAND},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *partner = NULL, *secret = NULL, *secret_file = NULL, *type = NULL,
		   *expiry = NULL, *until = NULL;
	ks_fields f = {.version = 0};
	int c;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case OPT_PARTNER: partner = optarg; break;
		case OPT_SECRET: secret = optarg; break;
		case OPT_SECRET_FILE: secret_file = optarg; break;
		case OPT_USER: f.user = optarg; break;
		case OPT_TYPE: type = optarg; break;
		case OPT_EXPIRY: expiry = optarg; break;
		case OPT_VALID_UNTIL: until = optarg; break;
		case OPT_PRIVILEGES: f.privileges = optarg; break;
		case OPT_RAND: f.rand = optarg; break;
		case OPT_V1:
		case OPT_V2:
			if (f.version && f.version != (c == OPT_V1 ? 1 : 2))
				return cli_usage_error(cmd, "--v1 and --v2 exclude each other");
			f.version = c == OPT_V1 ? 1 : 2;
			break;
		case 'h':
			fputs(gen_usage, stdout);
			return 0;
		default:
			return bad_option(cmd, c, argv);
		}
	}
	if (optind < argc)
		return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	if (!f.version)
		f.version = 2;
	const profile *prof = cli_profile();
	if (prof) {
		if (!f.user)
			f.user = prof->user_id;
		if (!f.privileges)
			f.privileges = prof->privileges;
		if (!type && prof->type >= 0)
			f.type = prof->type;
	}

	const char *from = partner ? "" : " (from KALTURA_PARTNER_ID)";
	if (!partner)
		partner = cli_env("KALTURA_PARTNER_ID");
	if (!partner)
		return cli_usage_error(cmd, "a partner id is needed (--partner-id or KALTURA_PARTNER_ID)");
	if (!kt_parse_ll(partner, &f.partner_id) || f.partner_id < 0)
		return cli_usage_error(cmd, "the partner id '%s'%s is not a non-negative number",
				       partner, from);
	if (type && ksgen_parse_type(type, &f.type))
		return cli_usage_error(cmd, "--type takes user, admin, 0 or 2, not '%s'", type);
	if (expiry && until)
		return cli_usage_error(cmd, "--expiry and --valid-until exclude each other");
	if (until) {
		if (!kt_parse_ll(until, &f.valid_until) || f.valid_until < 0)
			return cli_usage_error(cmd, "--valid-until takes a unix time, not '%s'", until);
	} else {
		long long secs = prof && prof->expiry ? prof->expiry : DEFAULT_EXPIRY;
		if (expiry && parse_expiry(cmd, expiry, &secs))
			return KT_E_USAGE;
		f.valid_until = (long long)time(NULL) + secs;
	}

	int rc;
	char *sec = admin_secret(cmd, secret, secret_file, &rc);
	if (!sec)
		return rc ? rc : cli_usage_error(cmd, "an admin secret is needed (--secret, "
						 "--secret-file or KALTURA_ADMIN_SECRET)");
	char *ks;
	kt_error err;
	rc = ks_generate(&f, sec, &ks, &err);
	kt_free_secret(sec);
	if (rc)
		return err.code == KT_E_USAGE ? cli_usage_error(cmd, "%s", err.msg) : cli_report(&err);
	puts(ks);
	kt_free_secret(ks);
	return 0;
}

/* ---- decode ---- */

static int ks_decode_cmd(int argc, char **argv)
{
	static const char cmd[] = "ks decode";
	static const struct option opts[] = {
		{"secret", required_argument, NULL, OPT_SECRET},
		{"secret-file", required_argument, NULL, OPT_SECRET_FILE},
		{"explain", no_argument, NULL, OPT_EXPLAIN},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *secret = NULL, *secret_file = NULL;
	bool explain = false;
	int c;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case OPT_SECRET: secret = optarg; break;
		case OPT_SECRET_FILE: secret_file = optarg; break;
		case OPT_EXPLAIN: explain = true; break;
		case 'h':
			fputs(decode_usage, stdout);
			return 0;
		default:
			return bad_option(cmd, c, argv);
		}
	}
	if (optind >= argc)
		return cli_usage_error(cmd, "the KS to decode is missing ('-' reads it from stdin)");
	if (optind + 1 < argc)
		return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind + 1]);
	int rc;
	char *sec = admin_secret(cmd, secret, secret_file, &rc);
	if (rc)
		return rc;

	kt_error err;
	ks_info info;
	char *ks = read_ks_arg(argv[optind], &err);
	if (!ks) {
		kt_free_secret(sec);
		return cli_report(&err);
	}
	rc = ks_decode(ks, sec, &info, &err);
	bool secret_given = sec != NULL;
	kt_free_secret(sec);
	kt_free_secret(ks);
	if (rc)
		return cli_report(&err);

	long long now = (long long)time(NULL);
	char *text;
	if (explain) {
		const char *pid = cli_env("KALTURA_PARTNER_ID");
		ksi_context ctx = {.now = now, .session_partner = -1};
		if (pid && (!kt_parse_ll(pid, &ctx.session_partner) || ctx.session_partner < 0))
			ctx.session_partner = -1;
		ksi_report r;
		ksi_inspect(&info, secret_given, &ctx, &r);
		text = ksi_render(&r);
		ksi_report_free(&r);
	} else {
		text = ks_describe(&info, now);
	}
	termout_write(stdout, text, strlen(text)); /* a KS's user id and privileges are text */
	free(text);
	rc = 0;
	if (info.signature == KS_SIG_INVALID) {
		fflush(stdout);
		rc = cli_report(&(kt_error){KT_E_BADSIG, "KS signature does not match the secret"});
	}
	ks_info_free(&info);
	return rc;
}

/* ---- renew ---- */

static int ks_renew_cmd(int argc, char **argv)
{
	static const char cmd[] = "ks renew";
	static const struct option opts[] = {
		{"secret", required_argument, NULL, OPT_SECRET},
		{"secret-file", required_argument, NULL, OPT_SECRET_FILE},
		{"expiry", required_argument, NULL, OPT_EXPIRY},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *secret = NULL, *secret_file = NULL;
	long long expiry = DEFAULT_EXPIRY;
	int c;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case OPT_SECRET: secret = optarg; break;
		case OPT_SECRET_FILE: secret_file = optarg; break;
		case OPT_EXPIRY:
			if (parse_expiry(cmd, optarg, &expiry))
				return KT_E_USAGE;
			break;
		case 'h':
			fputs(renew_usage, stdout);
			return 0;
		default:
			return bad_option(cmd, c, argv);
		}
	}
	if (optind >= argc)
		return cli_usage_error(cmd, "the KS to renew is missing ('-' reads it from stdin)");
	if (optind + 1 < argc)
		return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind + 1]);
	int rc;
	char *sec = admin_secret(cmd, secret, secret_file, &rc);
	if (!sec)
		return rc ? rc : cli_usage_error(cmd, "an admin secret is needed (--secret, "
						 "--secret-file or KALTURA_ADMIN_SECRET)");

	kt_error err;
	char *out, *ks = read_ks_arg(argv[optind], &err);
	if (!ks) {
		kt_free_secret(sec);
		return cli_report(&err);
	}
	rc = ks_renew(ks, sec, expiry, &out, &err);
	kt_free_secret(sec);
	kt_free_secret(ks);
	if (rc)
		return err.code == KT_E_USAGE ? cli_usage_error(cmd, "%s", err.msg) : cli_report(&err);
	puts(out);
	kt_free_secret(out);
	return 0;
}

/* ---- apptoken-hash ---- */

static int ks_apptoken_cmd(int argc, char **argv)
{
	static const char cmd[] = "ks apptoken-hash";
	static const struct option opts[] = {
		{"hash-type", required_argument, NULL, OPT_HASH_TYPE},
		{"ks", required_argument, NULL, OPT_KS},
		{"token", required_argument, NULL, OPT_TOKEN},
		{"token-file", required_argument, NULL, OPT_TOKEN_FILE},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *type = NULL, *ks_arg = NULL, *token = NULL, *token_file = NULL;
	int c;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case OPT_HASH_TYPE: type = optarg; break;
		case OPT_KS: ks_arg = optarg; break;
		case OPT_TOKEN: token = optarg; break;
		case OPT_TOKEN_FILE: token_file = optarg; break;
		case 'h':
			fputs(apptoken_usage, stdout);
			return 0;
		default:
			return bad_option(cmd, c, argv);
		}
	}
	if (optind < argc)
		return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	if (!type || !ks_arg)
		return cli_usage_error(cmd, "--%s is needed", !type ? "hash-type" : "ks");
	if (!strcmp(ks_arg, "-") && token && !strcmp(token, "-"))
		return cli_usage_error(cmd, "--ks - and --token - cannot both read standard input");

	kt_error err;
	char *hash, *ks = read_ks_arg(ks_arg, &err);
	if (!ks)
		return cli_report(&err);
	int rc;
	char *tok = cli_secret(cmd, "--token", token, token_file, "KALTURA_APP_TOKEN", &rc);
	if (!tok) {
		kt_free_secret(ks);
		return rc ? rc : cli_usage_error(cmd, "--token is needed (or --token-file, or "
						 "KALTURA_APP_TOKEN)");
	}
	rc = ks_apptoken_hash(type, ks, tok, &hash, &err);
	kt_free_secret(tok);
	kt_free_secret(ks);
	if (rc)
		return err.code == KT_E_USAGE ? cli_usage_error(cmd, "%s", err.msg) : cli_report(&err);
	puts(hash);
	free(hash);
	return 0;
}

int cli_ks(int argc, char **argv)
{
	static const struct { const char *name; int (*run)(int, char **); } subs[] = {
		{"gen", ks_gen},
		{"decode", ks_decode_cmd},
		{"renew", ks_renew_cmd},
		{"apptoken-hash", ks_apptoken_cmd},
	};
	static const struct option opts[] = {
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;
	optind = 0;
	opterr = 0;
	/* "+": options end at the subcommand, whose own options come after it */
	while ((c = getopt_long(argc, argv, "+:h", opts, NULL)) != -1) {
		if (c != 'h')
			return bad_option("ks", c, argv);
		fputs(ks_usage, stdout);
		return 0;
	}
	if (optind >= argc)
		return cli_usage_error("ks", "a subcommand is needed: gen, decode, renew or apptoken-hash");
	const char *sub = argv[optind];
	if (!strcmp(sub, "help")) {
		fputs(ks_usage, stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
		if (!strcmp(sub, subs[i].name))
			return subs[i].run(argc - optind, argv + optind);
	return cli_usage_error("ks", "unknown subcommand '%s'", sub);
}
