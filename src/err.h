/* err: the one error type. Every failure carries a kind (which picks the CLI exit code) and
 * one sentence for the user. */
#ifndef KT_ERR_H
#define KT_ERR_H

#include <stddef.h>

/* Exit codes of the CLI, one per kind of failure: one table for the enum, the test that they
 * are distinct and the list in the man page (tests/integration/docs.sh). */
#define KT_CODES(X) \
	X(KT_OK, 0, "success") \
	X(KT_E_API, 1, "the server answered with an API error (CODE: message on stderr)") \
	X(KT_E_NET, 2, "a network, TLS, timeout or HTTP failure") \
	X(KT_E_BADSIG, 3, "a KS whose signature does not match the secret") \
	X(KT_E_RESPONSE, 4, "the peer answered something that is not a Kaltura response") \
	X(KT_E_TOOBIG, 5, "a response over the size limit (--max-size)") \
	X(KT_E_CANCELLED, 6, "the user cancelled a call") \
	X(KT_E_NOTKS, 7, "a string that is not a KS") \
	X(KT_E_REDIRECT, 8, "a redirect not followed (without --location, or to another host or scheme)") \
	X(KT_E_USAGE, 64, "bad arguments, or no terminal for the console") \
	X(KT_E_DATA, 65, "malformed data (a schema file, the config file, a KS field)") \
	X(KT_E_NOINPUT, 66, "a file that cannot be read, or a profile's secret source that fails") \
	X(KT_E_INTERNAL, 70, "an internal failure (out of memory, a library)") \
	X(KT_E_IO, 74, "a file that cannot be written")

#define KT_CODE_ENUM(name, value, text) name = value,
typedef enum { KT_CODES(KT_CODE_ENUM) } kt_code;
#undef KT_CODE_ENUM

typedef struct kt_code_info {
	kt_code code;
	const char *name, *text;
} kt_code_info;
/* Every exit code, in the order above; *n set to their number. */
const kt_code_info *kt_codes(size_t *n);

typedef struct kt_error {
	kt_code code;
	char msg[512];
} kt_error;

/* Sets *err (when err is not NULL) and returns -1, so callers can `return kt_fail(...)`. */
int kt_fail(kt_error *err, kt_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void kt_error_clear(kt_error *err);

#endif
