/* service: what a sandbox service is and what its handlers see.
 *
 * The sandbox is an instance (sb_server, server.h); its services are listed once, in
 * sb_services (registry.c). The core (dispatch.c) has already checked the KS, refused sessions
 * below the handler's access level, and typed the parameters through the schema at every depth,
 * with defaults applied; a handler reads them, sets c->result or fails with a catalogue error.
 *
 * Adding a service (say partner.*):
 *   1. src/sandbox/svc_partner.c: the handlers, each `static int fn(sb_call *c)`, in a table
 *      {service id as the schema spells it in lower case, action, fn, access}, NULL-terminated.
 *   2. If it keeps records: a state struct with a lock and one store_table (store.h) per kind
 *      of record, its size in the descriptor. A record is the object's properties as text
 *      (store_rec_*: set, read, copy, apply a request's object through the schema, render in
 *      the schema's order); what the service keeps beside them and never renders (a password
 *      hash, a file's bytes) is the row's extra, freed by the table's free_extra. Tables keep
 *      rows oldest first and find them by their key property. seed initialises the lock and
 *      the tables and fills them with the demo data; reset frees the tables and destroys the
 *      lock. The server allocates the state zeroed, calls seed at start and reset at stop,
 *      and reset + seed when the sandbox is reset. Handlers reach it with sb_state(c, &svc).
 *      A service may keep no state (state_size 0, seed and reset NULL).
 *   3. const sb_service sb_partner_service = {"partner", handlers, sizeof(state), seed, reset};
 *      declared below, and one line in sb_services (registry.c), after the services its seed
 *      needs (entries after categories).
 *   4. Lists go through sb_list (list.h): the handler renders the objects the KS may see, the
 *      engine applies the schema's filter, orderBy and the pager, so every filter field works.
 *      A field the objects cannot show (categoryAncestorIdIn, membersIn) is an AL_HANDLER alias
 *      in list.c, which the handler applies before it hands the objects over.
 *   5. A unit test through sb_server_exec (no HTTP needed) and an integration test.
 */
#ifndef KT_SANDBOX_SERVICE_H
#define KT_SANDBOX_SERVICE_H

#include <stdbool.h>
#include <stddef.h>

#include "ks.h"
#include "request.h"
#include "response.h"
#include "schema.h"

typedef struct sb_server sb_server;

typedef struct sb_config {
	long long partner_id;
	char *admin_secret;
	char *user_secret;
	char *admin_password; /* the demo admin user's password */
	int ks_version;
	const schema *schema;
} sb_config;

/* A file part of a multipart request (PHP's $_FILES entry): the parameter keeps its file name,
 * the bytes come with the call. */
typedef struct sb_file {
	char *param;    /* the part's name: "fileData" */
	char *name;     /* its filename attribute */
	char *data;
	size_t len;
} sb_file;

typedef struct sb_files {
	sb_file *v;
	size_t n;
} sb_files;

void sb_files_free(sb_files *f);

typedef struct sb_call {
	sb_server *srv;
	const sb_config *cfg;
	const schema_action *action;
	const param *params;  /* the action's parameters, typed, defaults applied */
	const char *ks;       /* the request's KS, NULL when none */
	const ks_info *ks_info; /* decoded and valid when ks is set */
	rvalue *result;       /* set by the handler; NULL = void */
	rvalue *error;        /* set by sb_fail */
	const sb_files *files; /* the request's file parts; NULL when none */
} sb_call;

typedef int (*sb_handler_fn)(sb_call *c);

/* Who may call an action, after Kaltura's permission tables (deployment/permissions/service.*.ini
 * on the server): the core refuses anyone below it with SERVICE_FORBIDDEN before the handler
 * runs. A call without a KS counts as a widget session. */
typedef enum {
	SB_ANY,   /* any session, widget sessions too (WIDGET_SESSION_PERMISSION) */
	SB_USER,  /* USER sessions, not widget ones (BASE_USER_SESSION_PERMISSION) */
	SB_ADMIN, /* ADMIN sessions only */
} sb_access;

typedef struct sb_handler {
	const char *service; /* the schema's service id */
	const char *action;
	sb_handler_fn fn;
	sb_access access;
} sb_handler;

typedef struct sb_service {
	const char *name;
	const sb_handler *handlers; /* NULL-terminated (fn == NULL) */
	size_t state_size;          /* per-server state, zeroed before seed; 0: none */
	void (*seed)(sb_server *srv, void *state);  /* demo data; NULL: none */
	void (*reset)(sb_server *srv, void *state); /* frees what the state holds; NULL: nothing */
} sb_service;

/* The registry (registry.c): every service, in seed order, NULL-terminated. */
extern const sb_service *const sb_services[];
extern const sb_service sb_session_service, sb_category_service, sb_entry_service,
	sb_user_service, sb_apptoken_service, sb_upload_service, sb_partner_service;

/* The state the server keeps for svc (NULL when it has none). */
void *sb_server_state(sb_server *srv, const sb_service *svc);
const sb_config *sb_server_config(const sb_server *srv);
/* "http://127.0.0.1:PORT" while listening, "" when not (unit tests run calls directly). */
const char *sb_server_url(const sb_server *srv);
static inline void *sb_state(const sb_call *c, const sb_service *svc)
{
	return sb_server_state(c->srv, svc);
}

/* A parameter's value; NULL when absent or null. */
const char *sb_arg(const sb_call *c, const char *name);
/* An integer parameter (already checked by the core); def when absent or null. */
long long sb_arg_ll(const sb_call *c, const char *name, long long def);
/* An object parameter (filter, pager); NULL when absent or not an object. */
const param *sb_arg_obj(const sb_call *c, const char *name);
/* The file sent as parameter name (a multipart file part); NULL when the request has none. */
const sb_file *sb_arg_file(const sb_call *c, const char *name);

/* Fails the call with catalogue error code, its arguments in the catalogue's order. Returns -1. */
int sb_fail(sb_call *c, const char *code, int nargs, ...);
/* The INVALID_KS error as the front controller writes it: (data, -1, INVALID_STR). */
int sb_fail_ks(sb_call *c, const char *data);
/* Checks a KS as the server does (signature, partner, expiry, revocation); 0 with *out filled
 * (free with ks_info_free), or -1 with the INVALID_KS error set on c. */
int sb_check_ks(sb_call *c, const char *ks, ks_info *out);

/* Mints a KS with the partner's admin secret, valid for expiry seconds from now (as given: 0 is
 * already expired). -1 with START_SESSION_ERROR. */
int sb_mint(sb_call *c, long long partner, const char *master, int type, const char *user,
	    long long expiry, const char *privileges, char **out);
/* Compares a secret, password or hash in constant time; a control character never matches. */
bool sb_secret_equal(const char *given, const char *want);

/* Builders for results; the tree is freed by the core. */
rvalue *sb_rv_scalar(const char *name, const char *text);
rvalue *sb_rv_object(const char *name, const char *object_type);
rvalue *sb_rv_add(rvalue *parent, rvalue *child);
rvalue *sb_rv_addf(rvalue *parent, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void sb_rv_free(rvalue *v);

#endif
