/* console: the entry point of the ncurses console, curses-free so the CLI can call it. */
#ifndef KT_CONSOLE_H
#define KT_CONSOLE_H

#include <stdbool.h>

#include "err.h"
#include "transport.h"

typedef struct console_opts {
	const char *region;     /* --region; NULL */
	const char *url;        /* --url; NULL */
	const char *schema;     /* --schema; NULL: the endpoint's cached schema, else the shipped one */
	bool sandbox;           /* --sandbox: the embedded sandbox even when an endpoint is set */
	tp_opts net;            /* --insecure, --timeout, --max-size, --location */
} console_opts;

/* Runs the console until the user quits. With no endpoint or credentials (--region, --url,
 * $KALTURA_SERVICE_URL, $KALTURA_PARTNER_ID, $KALTURA_ADMIN_SECRET) it starts
 * the sandbox inside the process as the endpoint "local" and shows the welcome panel. Returns 0,
 * or -1 with err set when it cannot start (no terminal, schema, sandbox). */
int console_run(const console_opts *o, kt_error *err);

#endif
