#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/profile.h"
#include "ks.h"
#include "util.h"

static int parse(const char *text, profile_config *cfg, kt_error *err)
{
	return profile_parse(text, strlen(text), "config", false, cfg, err);
}

/* Parses text that must fail and returns the message. */
static const char *bad(const char *text)
{
	static kt_error err;
	profile_config cfg;
	cr_assert_eq(parse(text, &cfg, &err), -1, "accepted: %s", text);
	cr_assert_eq(err.code, KT_E_DATA);
	return err.msg;
}

static char *tmpdir(void)
{
	char *d = kt_xstrdup("/tmp/kt-profile-XXXXXX");
	cr_assert(mkdtemp(d));
	return d;
}

static void remove_dir(char *dir)
{
	char *cmd = kt_xasprintf("rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
	free(cmd);
	free(dir);
}

static char *write_file(const char *dir, const char *name, const char *text, mode_t mode)
{
	char *path = kt_xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	cr_assert(f);
	fputs(text, f);
	fclose(f);
	cr_assert_eq(chmod(path, mode), 0);
	return path;
}

Test(profile, reads_profiles)
{
	profile_config cfg;
	kt_error err;
	const char *text =
		"# ktestme profiles\n"
		"profile = prod\n"
		"\n"
		"[profile prod]\n"
		"region = eu\n"
		"partner_id = 1234\n"
		"user_id = alice@example.com\n"
		"privileges = appid:tool-example.com ; not a comment\n"
		"type = admin\n"
		"expiry = 3600\n"
		"admin_secret_command = pass show 'kaltura/admin key'\n"
		"user_secret_env = KALTURA_USER_SECRET\n"
		"\n"
		"[profile onprem]\n"
		"url = https://kaltura.example.com/\n"
		"partner_id = 0\n"
		"login_id = me@example.com\n"
		"password_file = ~/.kaltura-password\n";
	cr_assert_eq(parse(text, &cfg, &err), 0, "%s", err.msg);
	cr_assert_eq(cfg.n, 2);
	cr_assert_str_eq(cfg.default_name, "prod");
	const profile *p = profile_find(&cfg, "prod");
	cr_assert(p);
	cr_assert_str_eq(p->region, "eu");
	cr_assert_null(p->url);
	cr_assert_eq(p->partner_id, 1234);
	cr_assert_str_eq(p->user_id, "alice@example.com");
	cr_assert_str_eq(p->privileges, "appid:tool-example.com ; not a comment");
	cr_assert_eq(p->type, KS_TYPE_ADMIN);
	cr_assert_eq(p->expiry, 3600);
	cr_assert_eq(p->secrets[PROFILE_ADMIN_SECRET].kind, SRC_COMMAND);
	cr_assert_eq(p->secrets[PROFILE_USER_SECRET].kind, SRC_ENV);
	cr_assert_not(profile_has_secret(p, PROFILE_PASSWORD));
	p = profile_find(&cfg, "onprem");
	cr_assert_str_eq(p->url, "https://kaltura.example.com");
	cr_assert_eq(p->partner_id, 0);
	cr_assert_eq(p->type, -1);
	cr_assert_eq(p->secrets[PROFILE_PASSWORD].kind, SRC_FILE);
	cr_assert_eq(cfg.nwarnings, 0);
	cr_assert_null(profile_find(&cfg, "nope"));
	profile_config_free(&cfg);

	/* no file content at all is an empty config */
	cr_assert_eq(parse("", &cfg, &err), 0);
	cr_assert_eq(cfg.n, 0);
	profile_config_free(&cfg);
}

Test(profile, bad_lines_name_their_line)
{
	cr_assert(strstr(bad("[profile a]\nregion = eu\nthis is not ini\n"), "config:3: not a"));
	cr_assert(strstr(bad("[profile a]\nfrobnicate = 1\n"), "config:2: unknown key 'frobnicate'"));
	cr_assert(strstr(bad("region = eu\n"), "config:1: unknown top-level key 'region'"));
	cr_assert(strstr(bad("[prod]\nregion = eu\n"), "config:2: unknown section [prod]"));
	cr_assert(strstr(bad("[profile a b]\nregion = eu\n"), "not a profile name"));
	cr_assert(strstr(bad("[profile a]\nregion = mars\n"), "unknown region 'mars'"));
	cr_assert(strstr(bad("[profile a]\nregion = eu\nurl = https://x.example\n"), "exclude"));
	cr_assert(strstr(bad("[profile a]\nurl = ftp://x\n"), "config:2: url:"));
	cr_assert(strstr(bad("[profile a]\npartner_id = -3\n"), "non-negative"));
	cr_assert(strstr(bad("[profile a]\npartner_id = 1\npartner_id = 2\n"), "config:3: partner_id is set twice"));
	cr_assert(strstr(bad("[profile a]\ntype = root\n"), "user or admin"));
	cr_assert(strstr(bad("[profile a]\nexpiry = 0\n"), "expiry"));
	cr_assert(strstr(bad("[profile a]\nadmin_secret_env = X\nadmin_secret_file = f\n"),
			 "config:3: admin_secret has two sources"));
	cr_assert(strstr(bad("[profile a]\nadmin_secret_command = pass 'x\n"), "unterminated"));
	cr_assert(strstr(bad("[profile a]\nadmin_secret_env =\n"), "is empty"));
	cr_assert(strstr(bad("[profile a]\nregion = eu\n[profile b]\nregion = us\n[profile a]\n"
			     "partner_id = 1\n"), "config:6: [profile a] appears twice"));
	cr_assert(strstr(bad("profile = a\nprofile = b\n[profile a]\nregion = eu\n"), "set twice"));
	cr_assert(strstr(bad("profile = missing\n[profile a]\nregion = eu\n"),
			 "the default profile 'missing' has no [profile missing]"));
	cr_assert(strstr(bad("[profile a]\nuser_id = a\x1b[2Jb\n"), "control characters"));
	cr_assert(strstr(bad("[profile a\nregion = eu\n"), "config:1:"));

	char *longline = kt_xmalloc(6000);
	strcpy(longline, "[profile a]\nprivileges = ");
	size_t n = strlen(longline);
	memset(longline + n, 'x', 5000);
	strcpy(longline + n + 5000, "\n");
	cr_assert(strstr(bad(longline), "config:2: the line is longer"));
	free(longline);

	profile_config cfg;
	kt_error err;
	cr_assert_eq(profile_parse("[profile a]\0x", 13, "config", false, &cfg, &err), -1);
	cr_assert(strstr(err.msg, "NUL"));
}

Test(profile, select_by_name_env_default)
{
	profile_config cfg;
	kt_error err;
	cr_assert_eq(parse("profile = b\n[profile a]\nregion = eu\n[profile b]\nregion = us\n", &cfg,
			   &err), 0);
	unsetenv("KTESTME_PROFILE");
	cr_assert_str_eq(profile_select(&cfg, "a", &err)->name, "a");
	cr_assert_str_eq(profile_select(&cfg, NULL, &err)->name, "b");
	setenv("KTESTME_PROFILE", "a", 1);
	cr_assert_str_eq(profile_select(&cfg, NULL, &err)->name, "a");
	cr_assert_str_eq(profile_select(&cfg, "b", &err)->name, "b");
	cr_assert_null(profile_select(&cfg, "zz", &err));
	cr_assert_eq(err.code, KT_E_USAGE);
	cr_assert(strstr(err.msg, "no profile 'zz'") && strstr(err.msg, "a, b"), "%s", err.msg);
	unsetenv("KTESTME_PROFILE");
	profile_config_free(&cfg);

	cr_assert_eq(parse("[profile a]\nregion = eu\n", &cfg, &err), 0);
	cr_assert_null(profile_select(&cfg, NULL, &err));
	cr_assert_eq(err.code, KT_OK);
	profile_config_free(&cfg);
}

Test(profile, split_command_without_a_shell)
{
	char **argv;
	kt_error err;
	cr_assert_eq(profile_split_command("pass show 'kaltura/my key' \"a\\\"b\" c\\ d $HOME", &argv,
					   &err), 0);
	cr_assert_str_eq(argv[0], "pass");
	cr_assert_str_eq(argv[1], "show");
	cr_assert_str_eq(argv[2], "kaltura/my key");
	cr_assert_str_eq(argv[3], "a\"b");
	cr_assert_str_eq(argv[4], "c d");
	cr_assert_str_eq(argv[5], "$HOME", "no expansion");
	cr_assert_null(argv[6]);
	profile_argv_free(argv);
	cr_assert_eq(profile_split_command("   ", &argv, &err), -1);
	cr_assert_eq(profile_split_command("echo \"x", &argv, &err), -1);
	cr_assert(strstr(err.msg, "unterminated"));
}

Test(profile, secrets_from_env_command_file_plain)
{
	char *dir = tmpdir();
	char *sfile = write_file(dir, "secret", "filesecret\nsecond line\n", 0600);
	char *open_file = write_file(dir, "open", "opensecret\n", 0644);
	char *text = kt_xasprintf("[profile a]\n"
				  "admin_secret_env = KT_TEST_SECRET\n"
				  "user_secret_command = printf 'cmd secret\\nrest'\n"
				  "password_file = secret\n"
				  "[profile b]\n"
				  "admin_secret = plain\n"
				  "user_secret_file = %s\n"
				  "password_command = false\n"
				  "[profile c]\n"
				  "admin_secret_command = /nonexistent/helper\n"
				  "user_secret_env = KT_TEST_UNSET\n"
				  "password_file = missing\n"
				  "[profile d]\n"
				  "admin_secret_command = true\n", open_file);
	char *cpath = write_file(dir, "config", text, 0600);
	profile_config cfg;
	kt_error err;
	cr_assert_eq(profile_load(cpath, &cfg, &err), 0, "%s", err.msg);
	cr_assert_eq(cfg.nwarnings, 0, "the file is 0600");

	char *s, *w;
	const profile *a = profile_find(&cfg, "a"), *b = profile_find(&cfg, "b"),
		      *c = profile_find(&cfg, "c");
	setenv("KT_TEST_SECRET", "envsecret", 1);
	unsetenv("KT_TEST_UNSET");
	cr_assert_eq(profile_secret(&cfg, a, PROFILE_ADMIN_SECRET, &s, &w, &err), 0);
	cr_assert_str_eq(s, "envsecret");
	kt_free_secret(s);
	cr_assert_eq(profile_secret(&cfg, a, PROFILE_USER_SECRET, &s, &w, &err), 0, "%s", err.msg);
	cr_assert_str_eq(s, "cmd secret");
	kt_free_secret(s);
	/* a relative file is read beside the config */
	cr_assert_eq(profile_secret(&cfg, a, PROFILE_PASSWORD, &s, &w, &err), 0, "%s", err.msg);
	cr_assert_str_eq(s, "filesecret");
	cr_assert_null(w);
	kt_free_secret(s);

	cr_assert_eq(profile_secret(&cfg, b, PROFILE_ADMIN_SECRET, &s, &w, &err), 0);
	cr_assert_str_eq(s, "plain");
	kt_free_secret(s);
	cr_assert_eq(profile_secret(&cfg, b, PROFILE_USER_SECRET, &s, &w, &err), 0);
	cr_assert_str_eq(s, "opensecret");
	cr_assert(w && strstr(w, "other users can read"), "a 0644 secret file warns");
	free(w);
	kt_free_secret(s);
	cr_assert_eq(profile_secret(&cfg, b, PROFILE_PASSWORD, &s, &w, &err), -1);
	cr_assert(strstr(err.msg, "exited with status 1"), "%s", err.msg);
	cr_assert_eq(err.code, KT_E_NOINPUT);

	cr_assert_eq(profile_secret(&cfg, c, PROFILE_ADMIN_SECRET, &s, &w, &err), -1);
	cr_assert(strstr(err.msg, "cannot run '/nonexistent/helper'"), "%s", err.msg);
	cr_assert_eq(profile_secret(&cfg, c, PROFILE_USER_SECRET, &s, &w, &err), -1);
	cr_assert(strstr(err.msg, "KT_TEST_UNSET"));
	cr_assert_eq(profile_secret(&cfg, c, PROFILE_PASSWORD, &s, &w, &err), -1);
	cr_assert(strstr(err.msg, "cannot read"));
	/* a command that prints nothing */
	cr_assert_eq(profile_secret(&cfg, profile_find(&cfg, "d"), PROFILE_ADMIN_SECRET, &s, &w,
				    &err), -1);
	cr_assert(strstr(err.msg, "printed nothing"), "%s", err.msg);
	/* a secret the profile names no source for */
	cr_assert_eq(profile_secret(&cfg, profile_find(&cfg, "d"), PROFILE_USER_SECRET, &s, NULL,
				    &err), 1);
	cr_assert_null(s);
	profile_config_free(&cfg);

	unsetenv("KT_TEST_SECRET");
	free(text);
	free(sfile);
	free(open_file);
	free(cpath);
	remove_dir(dir);
}

Test(profile, readable_and_writable_files)
{
	char *dir = tmpdir();
	const char *text = "[profile a]\nadmin_secret = plain\n[profile b]\nadmin_secret_env = X\n";
	char *cpath = write_file(dir, "config", text, 0644);
	profile_config cfg;
	kt_error err;
	/* readable by others: loads, with a warning naming the line */
	cr_assert_eq(profile_load(cpath, &cfg, &err), 0, "%s", err.msg);
	cr_assert_eq(cfg.nwarnings, 1);
	cr_assert(strstr(cfg.warnings[0], ":2: admin_secret of profile a is a plaintext secret"),
		  "%s", cfg.warnings[0]);
	profile_config_free(&cfg);
	/* writable by others: refused (it may name commands to run) */
	cr_assert_eq(chmod(cpath, 0666), 0);
	cr_assert_eq(profile_load(cpath, &cfg, &err), -1);
	cr_assert(strstr(err.msg, "chmod go-w"));
	cr_assert_eq(err.code, KT_E_DATA);
	free(cpath);

	cr_assert_eq(profile_load("/nonexistent/ktestme/config", &cfg, &err), -1);
	cr_assert_eq(err.code, KT_E_NOINPUT);
	cr_assert_eq(profile_load(dir, &cfg, &err), -1, "a directory");

	/* the default path: a missing file is an empty config */
	setenv("XDG_CONFIG_HOME", dir, 1);
	cr_assert_eq(profile_load(NULL, &cfg, &err), 0);
	cr_assert_eq(cfg.n, 0);
	cr_assert_null(cfg.path);
	profile_config_free(&cfg);
	char *def = profile_default_path(&err), *want = kt_xasprintf("%s/ktestme/config", dir);
	cr_assert_str_eq(def, want);
	free(def);
	free(want);
	unsetenv("XDG_CONFIG_HOME");
	remove_dir(dir);
}

Test(profile, values_a_front_end_applies)
{
	profile_config cfg;
	kt_error err;
	setenv("KT_TEST_VALUES_SECRET", "s3cr3t", 1);
	cr_assert_eq(parse("[profile a]\nregion = eu\npartner_id = 42\nuser_id = bob\n"
			   "privileges = appid:x-y.z\nadmin_secret_env = KT_TEST_VALUES_SECRET\n"
			   "[profile b]\nurl = https://k.example.com/\n"
			   "[profile c]\nadmin_secret_env = KT_TEST_VALUES_UNSET\n", &cfg, &err), 0);
	unsetenv("KT_TEST_VALUES_UNSET");
	profile_values v;
	cr_assert_eq(profile_values_get(&cfg, profile_find(&cfg, "a"), &v, NULL, &err), 0);
	cr_assert_str_eq(v.endpoint, "https://api.eu.kaltura.com");
	cr_assert_str_eq(v.region, "eu");
	cr_assert_eq(v.n, 4);
	cr_assert_str_eq(v.names[0], "partnerId");
	cr_assert_str_eq(v.values[0], "42");
	cr_assert_str_eq(v.names[1], "secret");
	cr_assert_str_eq(v.values[1], "s3cr3t");
	cr_assert_str_eq(v.values[2], "bob");
	cr_assert_str_eq(v.values[3], "appid:x-y.z");
	profile_values_free(&v);
	cr_assert_eq(profile_values_get(&cfg, profile_find(&cfg, "b"), &v, NULL, &err), 0);
	cr_assert_str_eq(v.endpoint, "https://k.example.com");
	cr_assert_null(v.region);
	cr_assert_eq(v.n, 0);
	profile_values_free(&v);
	cr_assert_eq(profile_values_get(&cfg, profile_find(&cfg, "c"), &v, NULL, &err), -1);
	cr_assert(strstr(err.msg, "KT_TEST_VALUES_UNSET"));
	cr_assert_eq(profile_values_get(&cfg, profile_find(&cfg, "c"), &v, NULL, &err), -1);
	char *def = profile_endpoint(profile_find(&cfg, "c"));
	cr_assert_str_eq(def, "https://www.kaltura.com", "no region: the default one");
	free(def);
	profile_config_free(&cfg);
	unsetenv("KT_TEST_VALUES_SECRET");
}
