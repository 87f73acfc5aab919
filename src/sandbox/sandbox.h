/* sandbox: a local Kaltura-compatible API server (KALTURA.md sections 2-5) that speaks the wire
 * protocol with the project's own parameter, schema, KS and result models. The server itself is
 * an instance (server.h); these functions drive the one the CLI or the console starts. */
#ifndef KT_SANDBOX_H
#define KT_SANDBOX_H

#include "err.h"

typedef struct sandbox_opts {
	const char *listen;         /* "HOST:PORT"; NULL = 127.0.0.1:0 (any free port) */
	long long partner_id;       /* 0: 100 */
	const char *admin_secret;   /* NULL: 32 random hex digits */
	const char *user_secret;    /* NULL: 32 random hex digits */
	const char *admin_password; /* the demo admin user's; NULL: random per run */
	int ks_version;             /* 1 or 2; 0: 2 */
	const char *schema_path;    /* NULL: schema_default_path() */
	int threads;                /* 2..4; 0: 2 */
	size_t max_buffered;        /* request bodies held at once, in bytes; 0: 64 MB */
	unsigned request_time;      /* seconds a request's headers may take, its body six times
				     * that; 0: 10 s (4 s under pressure), the body 60 s (20 s) */
} sandbox_opts;

/* Loads the schema and starts serving. -1 with err set: KT_E_USAGE for bad options,
 * KT_E_NOINPUT/KT_E_DATA for the schema, KT_E_NET when it cannot listen. */
int sandbox_start(const sandbox_opts *o, kt_error *err);
/* "http://127.0.0.1:PORT" while running, else NULL. */
const char *sandbox_url(void);
long long sandbox_partner_id(void);
/* The second demo partner (the demo admin user is an admin of both); 0 when stopped. */
long long sandbox_second_partner_id(void);
/* The secrets and the demo password in use (for the one who started the sandbox to show);
 * NULL when stopped. */
const char *sandbox_admin_secret(void);
const char *sandbox_user_secret(void);
const char *sandbox_admin_password(void);
/* Stops serving and forgets every KS it revoked. Safe when not running. */
void sandbox_stop(void);

#endif
