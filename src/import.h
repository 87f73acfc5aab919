/* import: a request from what people paste: a curl command (as Kaltura's docs, the Developer
 * Portal and `ktestme code curl` print it), a HAR file (a browser's recorded requests), or a
 * Kaltura API log section / access-log line / URL with service= and action= parameters. The
 * result is a kt_request (service, action, parameters with their wire keys, request fields)
 * and the service URL when the text named one. Nothing is read from files and no command is
 * run: a curl argument that reads a file (-d @file) is refused; $VAR and ${VAR} are taken from
 * the environment, as the shell would. Plain C, no curses. */
#ifndef KT_IMPORT_H
#define KT_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "request.h"

typedef enum {
	IMPORT_AUTO, /* guessed from the text */
	IMPORT_CURL,
	IMPORT_HAR,
	IMPORT_LOG,  /* a log section (print_r "Array ( [service] => ..."), a log line or a URL */
} import_kind;

typedef struct import_result {
	kt_request req;
	char *service_url; /* "https://www.kaltura.com" (what precedes /api_v3); NULL when none */
	import_kind kind;  /* what the text was read as */
	size_t calls;      /* HAR: the Kaltura API calls it holds (index picks one) */
} import_result;

/* "curl", "HAR", "log line" */
const char *import_kind_name(import_kind kind);

/* Reads text (len bytes, NUL bytes refused) as kind. For a HAR, index picks the Kaltura API
 * call (0 = the first). -1 with KT_E_DATA and one sentence on what is not understood; out is
 * then empty (nothing to free). */
int import_parse(const char *text, size_t len, import_kind kind, size_t index, import_result *out,
		 kt_error *err);
void import_result_free(import_result *r);

#endif
