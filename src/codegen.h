/* codegen: the "Show Code Example" of Kaltura's TestMe. Turns a request into a short program that
 * makes the same call: a curl command line, or a script for Kaltura's PHP, Python or Node.js
 * client library. Credentials are never pasted into an example: it reads them from the
 * environment (codegen_secret_env). */
#ifndef KT_CODEGEN_H
#define KT_CODEGEN_H

#include <stdbool.h>

#include "err.h"
#include "request.h"
#include "schema.h"

typedef enum {
	CODEGEN_CURL,
	CODEGEN_PHP,    /* Kaltura's PHP client (KalturaClient.php) */
	CODEGEN_PYTHON, /* the KalturaClient package */
	CODEGEN_NODE,   /* npm kaltura-client */
} codegen_lang;

/* "curl", "php", "python" (or "py"), "node" (or "nodejs", "js"), ignoring case. */
bool codegen_lang_from_name(const char *name, codegen_lang *lang);
const char *codegen_lang_name(codegen_lang lang);

/* The environment variable an example reads a credential parameter from ("KALTURA_KS" for ks,
 * "KALTURA_ADMIN_SECRET" for secret, ...); NULL when request_is_secret_name(name) is false.
 * Only the last part of a nested name counts, as there. */
const char *codegen_secret_env(const char *name);

/* The schema's action for service and action; NULL with a sentence in err (KT_E_USAGE) naming
 * the unknown service or action and close names. */
const schema_action *codegen_find_action(const schema *s, const char *service, const char *action,
					 kt_error *err);

/* The example (malloc'd, ending in a newline) that sends r to service_url (no /api_v3).
 * curl needs no schema (s may be NULL) and sends exactly what `ktestme call` sends, with
 * credentials taken from the environment. PHP, Python and Node.js need s, which must know the
 * action: it gives the argument order, the classes and the enum constants. Returns NULL with
 * err set (KT_E_USAGE) on what the example cannot express: an unknown service, action,
 * parameter, property or class, an abstract class without objectType, a value where an object
 * belongs, a multirequest outside curl, text that is not UTF-8 in Python or Node.js. */
char *codegen_generate(codegen_lang lang, const kt_request *r, const char *service_url,
		       const schema *s, kt_error *err);

#endif
