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

/* How deep parameters nest ("a:b:c" is 3); deeper keys and objects are refused. */
#define SB_MAX_DEPTH 32

/* The sandbox's partners: 0 is the main one (cfg, --partner-id), 1 a second demo partner
 * (partner id + 1) with secrets of its own and the same demo data, which the demo admin user
 * belongs to too (partner.listPartnersForUser). Each has its own services' state; a call acts
 * for the partner its KS (or partnerId, or widget _PID) names, and its thread sees that
 * partner's config and state (sb_server_enter). */
#define SB_PARTNERS 2

struct sb_server {
	sb_config cfg;
	schema *schema;
	char *schema_path;
	void **state;          /* one per sb_services entry, NULL when the service keeps none */
	sb_config second;      /* partner 1 */
	void **second_state;
	size_t nservices;
	sb_revoked revoked;
	struct MHD_Daemon *daemon;
	char url[96];
	char host[256];
	atomic_size_t buffered; /* request body bytes held over every connection */
	atomic_uint open_conns;
	struct sb_watch *watch; /* http.c: connections and the time their request takes */
	unsigned max_conns;
	size_t max_buffered;
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

/* Partner i (0 .. SB_PARTNERS-1); its index by id, -1 when the sandbox has none. */
const sb_config *sb_server_partner(const sb_server *srv, int i);
int sb_server_partner_index(const sb_server *srv, long long id);
/* Makes the calling thread act for partner i of srv: sb_server_state and sb_server_config
 * answer for it. Returns the index it acted for before (to restore). */
int sb_server_enter(const sb_server *srv, int i);

/* A request body into root, by its Content-Type (NULL: sniffed): a form, JSON or multipart,
 * file parts into *files (free with sb_files_free). 0, or -1 with c->error set. The parsers
 * that face the network, callable without a socket (tests/fuzz/fuzz_sandbox_body.c). */
int sb_http_parse_body(sb_call *c, param *root, sb_files *files, const char *content_type,
		       const char *body, size_t len);

/* Runs one call, or a multirequest when service is "multirequest"; p holds the request's
 * parameters (ks, format... included) and is consumed by the run. Never NULL: the result, an
 * error, or an RV_NULL for void. */
rvalue *sb_server_exec(sb_server *srv, const char *service, const char *action, param *p);
/* The same, filling rep (free its strings) with the headers the answer should carry. */
rvalue *sb_server_exec_reply(sb_server *srv, sb_reply *rep, const char *service,
			     const char *action, param *p);
/* The same with the request's file parts (multipart uploads); files may be NULL. */
rvalue *sb_server_exec_files(sb_server *srv, sb_reply *rep, const char *service,
			     const char *action, param *p, const sb_files *files);

#endif
