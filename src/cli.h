/* cli: the scriptable subcommands. Each takes argv with argv[0] = its own name and returns the
 * process exit code (err.h). Errors go to stderr as one line: "ktestme: ...". */
#ifndef KT_CLI_H
#define KT_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "request.h"

struct profile;

int cli_main(int argc, char **argv);

int cli_console(int argc, char **argv);
int cli_keys(int argc, char **argv);
int cli_ks(int argc, char **argv);
int cli_call(int argc, char **argv);
int cli_regions(int argc, char **argv);
int cli_schema(int argc, char **argv);
int cli_code(int argc, char **argv);
int cli_sandbox(int argc, char **argv);
int cli_login(int argc, char **argv);
int cli_run(int argc, char **argv);
int cli_saved(int argc, char **argv);
int cli_completion(int argc, char **argv);
/* `call --from-curl FILE|-`: true when argv asks for it; cli_call_import sends it. */
bool cli_call_imports(int argc, char **argv);
int cli_call_import(int argc, char **argv);

/* Prints "ktestme: <msg>" and returns the error's exit code. */
int cli_report(const kt_error *err);
/* Prints "ktestme <cmd>: <msg>" plus a pointer to --help; returns KT_E_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* --max-size: "500K", "100M", "2G" or bytes; 0 after printing the usage error. */
size_t cli_parse_size(const char *cmd, const char *s);
/* --timeout: whole seconds, 1 to 86400; 0 after printing the usage error. */
long cli_parse_timeout(const char *cmd, const char *s);
/* A setting from the environment or the profile (KALTURA_SERVICE_URL, KALTURA_PARTNER_ID,
 * KALTURA_ADMIN_SECRET, KALTURA_USER_SECRET); NULL when neither has it. A profile named with
 * --profile or $KTESTME_PROFILE wins over the environment; the config's default profile only
 * fills what the environment lacks. A profile's secret is fetched (env, command, file) when first
 * asked for; when that fails the run ends with its one-line error. */
const char *cli_env(const char *name);
/* The profile this run uses; NULL when none. A config that cannot be read, or a profile that
 * is not in it, ends the run with its one-line error. */
const struct profile *cli_profile(void);
/* The service URL the command talks to: a profile's secrets go to its own endpoint only. */
void cli_bind_endpoint(const char *service_url);
/* Reads all of stdin (for "-" arguments), trailing whitespace trimmed; NULL on error or when
 * an earlier '-' has read it already (cli_stdin_used). */
char *cli_read_stdin(void);
bool cli_stdin_used(void);

/* cli_secret.c. Standard input once per process (for one '-'): NULL after a usage error. */
char *cli_stdin_once(const char *cmd, const char *what, int *rc);
/* The one-line warning for a secret seen on the command line. */
void cli_warn_visible(const char *cmd, const char *what, const char *instead);
/* A secret option: "-" reads standard input; a value warns that ps shows it. */
char *cli_secret_value(const char *cmd, const char *opt, const char *value, const char *env,
		       int *rc);
/* The secret in a file: its one line, trailing blanks dropped; a warning when others may read
 * the file. */
char *cli_secret_file(const char *cmd, const char *path, int *rc);
/* The secret of option opt (e.g. "--secret"): from value (as cli_secret_value), from file
 * (opt-file), else from the environment variable env (may be NULL). malloc'd (free it with
 * kt_free_secret), NULL when none was given (*rc 0) or after an error (*rc the exit code). */
char *cli_secret(const char *cmd, const char *opt, const char *value, const char *file,
		 const char *env, int *rc);
/* Takes the NAME@PATH arguments (a file to upload, as HTTPie writes a file field) out of
 * argv into r's files, moving the others to the front in order; their count, or -1 with a
 * usage error's exit code in *rc. An argument is one when an '@' comes before any '=' and is
 * not its first character (no Kaltura parameter name holds an '@'). */
int cli_take_uploads(const char *cmd, kt_request *r, int argc, char **argv, int *rc);
/* The name=value arguments of a call with name=@FILE (the file's text, its last newline
 * dropped), name=- (standard input) and name=@@text (the text "@text") expanded, and a warning
 * for a secret (secret=, password=, token=...) given as it is. NULL-terminated; NULL after an
 * error with *rc the exit code. Free with cli_free_args. */
char **cli_param_args(const char *cmd, int argc, char **argv, int *rc);
void cli_free_args(char **args);

#endif
