/* profile: named credentials kept between runs in $XDG_CONFIG_HOME/ktestme/config (INI, read
 * with inih). A profile holds an endpoint, a partner, defaults for a session, and where each
 * secret comes from (an environment variable, a command run without a shell, a file), never the
 * secret itself unless the user writes it there.
 *
 *     # the default profile (comments take a line of their own: values may hold ';')
 *     profile = prod
 *     [profile prod]
 *     region = eu
 *     partner_id = 1234
 *     user_id = alice@example.com
 *     privileges = appid:tool-example.com
 *     admin_secret_command = pass show kaltura/admin
 */
#ifndef KT_PROFILE_H
#define KT_PROFILE_H

#include <stdbool.h>

#include "err.h"

typedef enum {
	PROFILE_ADMIN_SECRET,
	PROFILE_USER_SECRET,
	PROFILE_PASSWORD,        /* for user.loginByLoginId with login_id */
	PROFILE_APP_TOKEN,       /* the token of app_token_id, for appToken.startSession */
	PROFILE_NSECRETS
} profile_secret_id;

typedef enum { SRC_NONE, SRC_ENV, SRC_COMMAND, SRC_FILE, SRC_PLAIN } profile_source_kind;

typedef struct profile_source {
	profile_source_kind kind;
	char *arg;               /* variable name, command line, path, or the secret itself */
} profile_source;

typedef struct profile {
	char *name;
	char *region;            /* NULL, or a name region_find knows */
	char *url;               /* NULL, or a normalised http(s) URL */
	long long partner_id;    /* < 0: not set */
	char *user_id;
	char *privileges;
	char *login_id;
	char *app_token_id;
	char *app_token_hash_type; /* NULL: SHA1, the server's default */
	int type;                /* < 0: not set; else KS_TYPE_USER or KS_TYPE_ADMIN */
	long long expiry;        /* 0: not set */
	profile_source secrets[PROFILE_NSECRETS];
} profile;

typedef struct profile_config {
	char *path;              /* where it was read from; NULL when there was no file */
	char *dir;               /* relative secret files are read from here */
	profile *profiles;
	int n;
	char *default_name;      /* the top-level `profile = NAME` */
	char **warnings;         /* one sentence each: a readable plaintext secret */
	int nwarnings;
} profile_config;

/* The config file's path: $XDG_CONFIG_HOME/ktestme/config (or ~/.config/...). malloc'd. */
char *profile_default_path(kt_error *err);

/* Reads the config at path (NULL: the default path). A missing default file (or no HOME to find
 * it in) is an empty config;
 * a missing named one, unreadable or other-writable file is an error (KT_E_NOINPUT, KT_E_DATA).
 * A bad line: KT_E_DATA "FILE:LINE: what is wrong". */
int profile_load(const char *path, profile_config *cfg, kt_error *err);
/* The same from text; others_can_read says the file's mode lets other users read it (a
 * plaintext secret then gives a warning). origin names the text in messages. */
int profile_parse(const char *text, size_t len, const char *origin, bool others_can_read,
		  profile_config *cfg, kt_error *err);
void profile_config_free(profile_config *cfg);

const profile *profile_find(const profile_config *cfg, const char *name);
/* The profile a run uses: name, else $KTESTME_PROFILE, else the default; NULL with err clear
 * when none is asked for, NULL with err set (KT_E_USAGE) when the one asked for is missing. */
const profile *profile_select(const profile_config *cfg, const char *name, kt_error *err);

/* "admin_secret", "user_secret", "password", "app_token". */
const char *profile_secret_key(profile_secret_id id);
bool profile_has_secret(const profile *p, profile_secret_id id);
/* Fetches a secret from its source (malloc'd; free with kt_free_secret). A file readable by
 * others sets *warning (malloc'd sentence) and still succeeds. 1 when the profile names no
 * source, 0 on success, -1 with err set (KT_E_NOINPUT) when the source fails. */
int profile_secret(const profile_config *cfg, const profile *p, profile_secret_id id, char **out,
		   char **warning, kt_error *err);

/* The profile's service URL (its url, its region's, else the default region's). malloc'd. */
char *profile_endpoint(const profile *p);

/* What a front end applies when it switches to profile p: the endpoint, and the values that
 * prefill the forms there (partnerId, secret = the admin secret fetched from its source,
 * userId, privileges), as name/value pairs. Secrets wiped by profile_values_free. -1 with err
 * when the secret's source fails; *warning as for profile_secret. */
#define PROFILE_MAX_VALUES 4
typedef struct profile_values {
	char *endpoint;
	const char *region;       /* the profile's region name, NULL for a URL */
	int n;
	const char *names[PROFILE_MAX_VALUES];
	char *values[PROFILE_MAX_VALUES];
} profile_values;
int profile_values_get(const profile_config *cfg, const profile *p, profile_values *out,
		       char **warning, kt_error *err);
void profile_values_free(profile_values *v);

/* Splits a command line into words as a shell would, without running one: blanks separate,
 * '...' is literal, "..." and \ escape; no expansion. NULL-terminated, malloc'd (free with
 * profile_argv_free); -1 on an unterminated quote or no words. */
int profile_split_command(const char *line, char ***argv, kt_error *err);
void profile_argv_free(char **argv);

#endif
