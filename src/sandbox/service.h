/* service: what a sandbox service handler sees. The core (sandbox.c) has already checked the KS,
 * refused sessions below the handler's access level, and typed the parameters through the
 * schema at every depth, with defaults applied; a handler reads them, sets c->result or fails
 * with a catalogue error. Handlers are listed in sb_handlers. */
#ifndef KT_SANDBOX_SERVICE_H
#define KT_SANDBOX_SERVICE_H

#include <stdbool.h>

#include "ks.h"
#include "request.h"
#include "response.h"
#include "schema.h"

typedef struct sb_config {
	long long partner_id;
	char *admin_secret;
	char *user_secret;
	int ks_version;
	const schema *schema;
} sb_config;

typedef struct sb_call {
	const sb_config *cfg;
	const schema_action *action;
	const param *params;  /* the action's parameters, typed, defaults applied */
	const char *ks;       /* the request's KS, NULL when none */
	const ks_info *ks_info; /* decoded and valid when ks is set */
	rvalue *result;       /* set by the handler; NULL = void */
	rvalue *error;        /* set by sb_fail */
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

/* One table per service file, NULL-terminated (fn == NULL). */
extern const sb_handler sb_session_handlers[];
extern const sb_handler sb_category_handlers[], sb_entry_handlers[];
void svc_category_seed(const sb_config *cfg); /* demo categories and entries */
extern const sb_handler sb_user_handlers[], sb_apptoken_handlers[];

/* A parameter's value; NULL when absent or null. */
const char *sb_arg(const sb_call *c, const char *name);
/* An integer parameter (already checked by the core); def when absent or null. */
long long sb_arg_ll(const sb_call *c, const char *name, long long def);

/* Fails the call with catalogue error code, its arguments in the catalogue's order. Returns -1. */
int sb_fail(sb_call *c, const char *code, int nargs, ...);
/* The INVALID_KS error with the server's "-N,DESC" detail. */
int sb_fail_ks(sb_call *c, const char *ks, int code, const char *desc);
/* Checks a KS as the server does (signature, partner, expiry, revocation); 0 with *out filled
 * (free with ks_info_free), or -1 with the INVALID_KS error set on c. */
int sb_check_ks(sb_call *c, const char *ks, ks_info *out);

/* Builders for results; the tree is freed by the core. */
rvalue *sb_rv_scalar(const char *name, const char *text);
rvalue *sb_rv_object(const char *name, const char *object_type);
rvalue *sb_rv_add(rvalue *parent, rvalue *child);
rvalue *sb_rv_addf(rvalue *parent, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void sb_rv_free(rvalue *v);

#endif
