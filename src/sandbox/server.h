/* server: one sandbox instance: its configuration and schema, the services' state, the KSs it
 * revoked, and its HTTP listener. Everything a request touches hangs off the instance, so tests
 * can run handlers through sb_server_exec without a socket. */
#ifndef KT_SANDBOX_SERVER_H
#define KT_SANDBOX_SERVER_H

#include <stdatomic.h>

#include "err.h"
#include "sandbox/sandbox.h"
#include "sandbox/service.h"
#include "sandbox/store.h"

struct sb_server {
	sb_config cfg;
	schema *schema;
	char *schema_path;
	void **state;          /* one per sb_services entry, NULL when the service keeps none */
	size_t nservices;
	sb_revoked revoked;
	struct MHD_Daemon *daemon;
	char url[96];
	char host[256];
	atomic_size_t buffered; /* request body bytes held over every connection */
	atomic_uint open_conns;
	unsigned max_conns;
};

/* Loads the schema, makes the secrets and seeds every service; does not listen. NULL with err
 * set (KT_E_USAGE for bad options, KT_E_NOINPUT/KT_E_DATA for the schema). */
sb_server *sb_server_new(const sandbox_opts *o, kt_error *err);
/* Every service back to its demo data; revocations forgotten. Not while serving requests. */
void sb_server_reset(sb_server *srv);
/* Stops listening (if it does) and frees everything. NULL is fine. */
void sb_server_free(sb_server *srv);

/* Starts the HTTP listener on o->listen (default 127.0.0.1:0). -1 with KT_E_NET or KT_E_USAGE. */
int sb_server_listen(sb_server *srv, const sandbox_opts *o, kt_error *err);

/* Stops listening; the instance stays. */
void sb_server_unlisten(sb_server *srv);

/* What an answer carries beside its body: the server's X-Kaltura error headers. */
typedef struct sb_reply {
	char *x_kaltura, *x_kaltura_app;
} sb_reply;

/* Runs one call, or a multirequest when service is "multirequest"; p holds the request's
 * parameters (ks, format... included) and is consumed by the run. Never NULL: the result, an
 * error, or an RV_NULL for void. */
rvalue *sb_server_exec(sb_server *srv, const char *service, const char *action, param *p);
/* The same, filling rep (free its strings) with the headers the answer should carry. */
rvalue *sb_server_exec_reply(sb_server *srv, sb_reply *rep, const char *service,
			     const char *action, param *p);

#endif
