/* endpoint: where the console sends (a region, the sandbox inside ktestme, or any service URL)
 * and the region chooser (F2). Each endpoint has its session (src/app/session.h): the sandbox's
 * credentials prefill the forms only while it is the endpoint, the environment's only on the
 * endpoint the options or the environment named. */
#ifndef KT_ENDPOINT_H
#define KT_ENDPOINT_H

#include "err.h"
#include "ui.h"

typedef struct console_endpoint {
	char *name; /* "local", "us", ... or NULL for a custom URL */
	char *url;  /* the service URL */
} console_endpoint;

/* The endpoint the options gave: url, resolved from --region, --url or the environment, named
 * after region_name or the region whose URL it is; the environment's credentials fill the form. */
void endpoint_configure(console *c, console_endpoint *ep, const char *region_name,
			const char *url);
/* Starts the sandbox (once per process) and makes it the endpoint "local", its partner id and
 * admin secret prefilled. -1 with err when it cannot start. */
int endpoint_sandbox(console *c, console_endpoint *ep, kt_error *err);
/* Opens the chooser of regions, the sandbox and a custom URL; ep must outlive it. */
void endpoint_choose(console *c, console_endpoint *ep);
/* Makes url (named name, NULL for a custom URL) the endpoint, with no credentials of the
 * environment's: a profile brings its own. */
void endpoint_use(console *c, console_endpoint *ep, const char *name, const char *url);
void endpoint_free(console_endpoint *ep);

#endif
