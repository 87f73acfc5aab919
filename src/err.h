/* err: the one error type. Every failure carries a kind (which picks the CLI exit code) and
 * one sentence for the user. */
#ifndef KT_ERR_H
#define KT_ERR_H

#include <stddef.h>

/* Exit codes of the CLI, one per kind of failure. */
typedef enum {
	KT_OK = 0,
	KT_E_API = 1,       /* the server answered with a KalturaAPIException */
	KT_E_NET = 2,       /* network, TLS, timeout, HTTP failure */
	KT_E_NOTKS = 2,     /* `ks decode`: the string is not a KS */
	KT_E_BADSIG = 3,    /* a KS whose signature does not verify */
	KT_E_RESPONSE = 4,  /* the peer answered something that is not a Kaltura response */
	KT_E_TOOBIG = 5,    /* a response over the size cap */
	KT_E_CANCELLED = 6, /* the user cancelled a call */
	KT_E_USAGE = 64,    /* bad command line or bad argument value */
	KT_E_DATA = 65,     /* malformed input data (schema file, KS field) */
	KT_E_NOINPUT = 66,  /* a file that cannot be read */
	KT_E_INTERNAL = 70, /* out of memory, library failure */
	KT_E_IO = 74,       /* a file that cannot be written */
} kt_code;

typedef struct kt_error {
	kt_code code;
	char msg[512];
} kt_error;

/* Sets *err (when err is not NULL) and returns -1, so callers can `return kt_fail(...)`. */
int kt_fail(kt_error *err, kt_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void kt_error_clear(kt_error *err);

#endif
