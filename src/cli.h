/* cli: the scriptable subcommands. Each takes argv with argv[0] = its own name and returns the
 * process exit code (err.h). Errors go to stderr as one line: "ktestme: ...". */
#ifndef KT_CLI_H
#define KT_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

int cli_main(int argc, char **argv);

int cli_console(int argc, char **argv);
int cli_keys(int argc, char **argv);
int cli_ks(int argc, char **argv);
int cli_call(int argc, char **argv);
int cli_regions(int argc, char **argv);
int cli_schema(int argc, char **argv);
int cli_code(int argc, char **argv);
int cli_sandbox(int argc, char **argv);
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
/* Reads an environment variable; NULL when unset or empty. */
const char *cli_env(const char *name);
/* Reads all of stdin (for "-" arguments), trailing whitespace trimmed; NULL on error. */
char *cli_read_stdin(void);

#endif
