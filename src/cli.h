/* cli: the scriptable subcommands. Each takes argv with argv[0] = its own name and returns the
 * process exit code (err.h). Errors go to stderr as one line: "ktestme: ...". */
#ifndef KT_CLI_H
#define KT_CLI_H

#include <stddef.h>

#include "err.h"

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
/* Reads all of stdin (for "-" arguments), trailing whitespace trimmed; NULL on error. */
char *cli_read_stdin(void);

#endif
