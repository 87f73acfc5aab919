/* svc_apptoken: appToken.add, get, list, update, delete, startSession (KALTURA.md section 5). */
#include "sandbox/service.h"

#include <openssl/rand.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "sandbox/list.h"
#include "sandbox/store.h"
#include "util.h"

#define TOKEN_CLASS "KalturaAppToken"
#define TOKEN_DISABLED 1
#define TOKEN_ACTIVE 2

typedef struct token_state {
	pthread_mutex_t lock;
	store_table tokens; /* by id; the secret is the "token" property */
} token_state;

static int random_hex(unsigned char *raw, size_t n, char *out)
{
	if (RAND_bytes(raw, (int)n) != 1)
		return -1;
	kt_hex(raw, n, out);
	return 0;
}

/* A new active token with a random id and secret, defaults as the server sets them. */
static param *token_new(long long partner)
{
	unsigned char raw[16];
	char id[17], secret[33];
	if (random_hex(raw, 4, id) < 0 || random_hex(raw, 16, secret) < 0)
		return NULL;
	param *rec = param_new();
	long long now = (long long)time(NULL);
	char *tid = kt_xasprintf("0_%s", id);
	store_rec_set(rec, "id", tid);
	free(tid);
	store_rec_set(rec, "token", secret);
	memset(secret, 0, sizeof secret);
	store_rec_setll(rec, "partnerId", partner);
	store_rec_setll(rec, "createdAt", now);
	store_rec_setll(rec, "updatedAt", now);
	store_rec_setll(rec, "status", TOKEN_ACTIVE);
	store_rec_setll(rec, "sessionType", KS_TYPE_USER);
	store_rec_set(rec, "hashType", "SHA1");
	return rec;
}

static int apptoken_add(sb_call *c)
{
	token_state *st = sb_state(c, &sb_apptoken_service);
	param *rec = token_new(c->cfg->partner_id);
	if (!rec)
		return sb_fail(c, "INTERNAL_SERVER_ERROR", 1, "(RAND_bytes failed)");
	if (store_rec_apply(c, rec, sb_arg_obj(c, "appToken"), TOKEN_CLASS, true) < 0) {
		store_rec_free(rec);
		return -1;
	}
	pthread_mutex_lock(&st->lock);
	store_insert(&st->tokens, rec, NULL);
	c->result = store_rec_render(c->cfg, rec, TOKEN_CLASS);
	pthread_mutex_unlock(&st->lock);
	return 0;
}

static int apptoken_get(sb_call *c)
{
	token_state *st = sb_state(c, &sb_apptoken_service);
	const char *id = sb_arg(c, "id");
	pthread_mutex_lock(&st->lock);
	store_row *t = store_find(&st->tokens, id);
	if (t)
		c->result = store_rec_render(c->cfg, t->rec, TOKEN_CLASS);
	pthread_mutex_unlock(&st->lock);
	return t ? 0 : sb_fail(c, "APP_TOKEN_ID_NOT_FOUND", 1, id ? id : "");
}

static int apptoken_update(sb_call *c)
{
	token_state *st = sb_state(c, &sb_apptoken_service);
	const char *id = sb_arg(c, "id");
	pthread_mutex_lock(&st->lock);
	store_row *t = store_find(&st->tokens, id);
	int rc = t ? 0 : sb_fail(c, "APP_TOKEN_ID_NOT_FOUND", 1, id ? id : "");
	if (t) {
		/* apply to a copy so a refused update changes nothing */
		param *copy = store_rec_copy(t->rec);
		rc = store_rec_apply(c, copy, sb_arg_obj(c, "appToken"), TOKEN_CLASS, false);
		if (rc == 0) {
			store_rec_setll(copy, "updatedAt", (long long)time(NULL));
			store_replace(t, copy);
			c->result = store_rec_render(c->cfg, t->rec, TOKEN_CLASS);
		} else {
			store_rec_free(copy);
		}
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
}

static int apptoken_delete(sb_call *c)
{
	token_state *st = sb_state(c, &sb_apptoken_service);
	const char *id = sb_arg(c, "id");
	pthread_mutex_lock(&st->lock);
	store_row *t = store_find(&st->tokens, id);
	if (t)
		store_delete(&st->tokens, t);
	pthread_mutex_unlock(&st->lock);
	if (!t)
		return sb_fail(c, "APP_TOKEN_ID_NOT_FOUND", 1, id ? id : "");
	store_revoke_apptoken(c->srv, id);
	return 0;
}

static int apptoken_list(sb_call *c)
{
	token_state *st = sb_state(c, &sb_apptoken_service);
	pthread_mutex_lock(&st->lock);
	size_t n = st->tokens.n;
	rvalue **objs = kt_xcalloc(n ? n : 1, sizeof *objs);
	for (size_t i = 0; i < n; i++)
		objs[i] = store_rec_render(c->cfg, st->tokens.rows[i]->rec, TOKEN_CLASS);
	pthread_mutex_unlock(&st->lock);
	return sb_list(c, objs, n, TOKEN_CLASS, "KalturaAppTokenListResponse");
}

/* What startSession needs, copied out under the lock. */
typedef struct grant {
	char *secret, *hash_type, *user, *privileges;
	int type;
	long long duration, expiry;
} grant;

static int take_grant(sb_call *c, const char *id, grant *g)
{
	token_state *st = sb_state(c, &sb_apptoken_service);
	memset(g, 0, sizeof *g);
	pthread_mutex_lock(&st->lock);
	store_row *t = store_find(&st->tokens, id);
	int rc = 0;
	if (!t) {
		rc = sb_fail(c, "APP_TOKEN_ID_NOT_FOUND", 1, id ? id : "");
	} else if (store_rec_getll(t->rec, "status", 0) != TOKEN_ACTIVE) {
		rc = sb_fail(c, "APP_TOKEN_NOT_ACTIVE", 1, id);
	} else {
		const char *s;
		g->secret = kt_xstrdup(store_rec_get(t->rec, "token"));
		s = store_rec_get(t->rec, "hashType");
		g->hash_type = kt_xstrdup(s ? s : "SHA1");
		s = store_rec_get(t->rec, "sessionUserId");
		g->user = s && *s ? kt_xstrdup(s) : NULL;
		s = store_rec_get(t->rec, "sessionPrivileges");
		g->privileges = s && *s ? kt_xstrdup(s) : NULL;
		g->type = (int)store_rec_getll(t->rec, "sessionType", KS_TYPE_USER);
		g->duration = store_rec_getll(t->rec, "sessionDuration", 0);
		g->expiry = store_rec_getll(t->rec, "expiry", 0);
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
}

static void grant_free(grant *g)
{
	kt_free_secret(g->secret);
	free(g->hash_type);
	free(g->user);
	free(g->privileges);
}

/* Names the server sets itself (kSessionBase::getServerPrivileges, the ones that matter here). */
static bool server_privilege(const char *name)
{
	static const char *const names[] = {"sessionid", "apptoken", "setrole", "iprestrict",
					    "urirestrict", "enableentitlement", "actionslimit",
					    "disableentitlement", "privacycontext"};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (!strcmp(name, names[i]))
			return true;
	return false;
}

static char *build_privileges(const char *id, const char *token_privs, const char *extra)
{
	kt_buf b;
	kt_buf_init(&b);
	kt_buf_printf(&b, "sessionid:%s,apptoken:%s", id, id);
	ks_privs tp = {0}, xp = {0};
	ks_privs_parse(token_privs ? token_privs : "", &tp);
	ks_privs_parse(extra ? extra : "", &xp);
	for (int i = 0; i < tp.n; i++) {
		const ks_priv *t = &tp.items[i];
		if (!strcmp(t->name, "sessionid") || !strcmp(t->name, "apptoken"))
			continue;
		/* a name the token grants with a wildcard takes the caller's value in its place */
		const ks_priv *x = !strcmp(t->value, "*") ? ks_privs_find(&xp, t->name) : NULL;
		const char *v = x ? x->value : t->value;
		kt_buf_printf(&b, *v ? ",%s:%s" : ",%s", t->name, v);
	}
	for (int i = 0; i < xp.n; i++) {
		const ks_priv *x = &xp.items[i];
		if (!server_privilege(x->name) && !ks_privs_find(&tp, x->name))
			kt_buf_printf(&b, *x->value ? ",%s:%s" : ",%s", x->name, x->value);
	}
	ks_privs_free(&tp);
	ks_privs_free(&xp);
	kt_buf_adds(&b, "");
	return kt_buf_steal(&b);
}

static int apptoken_start_session(sb_call *c)
{
	const char *id = sb_arg(c, "id");
	grant g;
	if (take_grant(c, id, &g) < 0)
		return -1;
	long long now = (long long)time(NULL);
	int rc = 0;
	char *want = NULL, *privs = NULL, *ks = NULL;
	kt_error err;
	const char *hash = sb_arg(c, "tokenHash");
	if (g.expiry > 0 && g.expiry <= now) {
		rc = sb_fail(c, "APP_TOKEN_EXPIRED", 1, id);
		goto out;
	}
	/* calcHash over the request's KS and the token; compared in constant time */
	if (ks_apptoken_hash(g.hash_type, c->ks ? c->ks : "", g.secret, &want, &err) < 0 ||
	    !sb_secret_equal(hash, want)) {
		rc = sb_fail(c, "INVALID_APP_TOKEN_HASH", 0);
		goto out;
	}
	/* AppTokenService::startSessionAction: the token's type and user win over the caller's */
	int type = g.type >= 0 ? g.type : (int)sb_arg_ll(c, "type", KS_TYPE_USER);
	const char *user = g.user ? g.user : sb_arg(c, "userId");
	/* expiry: the caller's, capped by the token's duration and its own end */
	long long token_expiry = g.duration > 0 ? g.duration : 86400;
	if (g.expiry > 0 && g.expiry - now < token_expiry)
		token_expiry = g.expiry - now;
	long long expiry = sb_arg_ll(c, "expiry", 0);
	if (!expiry || expiry > token_expiry)
		expiry = token_expiry;
	expiry = store_session_seconds(expiry);
	/* sessionid and apptoken first, then the token's privileges (ks::buildPrivileges order);
	 * the caller's sessionPrivileges may add only names neither sets
	 * (kSessionUtils::retrieveAllowedAppSessionPrivileges) */
	privs = build_privileges(id, g.privileges, sb_arg(c, "sessionPrivileges"));
	ks_fields f = {
		.version = c->cfg->ks_version,
		.partner_id = c->cfg->partner_id,
		.valid_until = now + expiry,
		.type = type,
		.user = user,
		.privileges = privs,
	};
	if (ks_generate(&f, c->cfg->admin_secret, &ks, &err) < 0) {
		char pid[32];
		snprintf(pid, sizeof pid, "%lld", c->cfg->partner_id);
		rc = sb_fail(c, "START_SESSION_ERROR", 1, pid);
		goto out;
	}
	rvalue *r = sb_rv_object(NULL, "KalturaSessionInfo");
	sb_rv_add(r, sb_rv_scalar("ks", ks));
	sb_rv_addf(r, "sessionType", "%d", type);
	sb_rv_addf(r, "partnerId", "%lld", c->cfg->partner_id);
	sb_rv_add(r, sb_rv_scalar("userId", user ? user : ""));
	sb_rv_addf(r, "expiry", "%lld", f.valid_until);
	sb_rv_add(r, sb_rv_scalar("privileges", privs));
	c->result = r;
out:
	free(want);
	free(privs);
	free(ks);
	grant_free(&g);
	return rc;
}

static void apptoken_reset(sb_server *srv, void *state)
{
	(void)srv;
	token_state *st = state;
	store_table_free(&st->tokens);
	pthread_mutex_destroy(&st->lock);
}

/* One active SHA256 token. */
static void apptoken_seed(sb_server *srv, void *state)
{
	token_state *st = state;
	pthread_mutex_init(&st->lock, NULL);
	store_table_init(&st->tokens, "id", NULL);
	param *rec = token_new(sb_server_config(srv)->partner_id);
	if (rec) {
		store_rec_set(rec, "hashType", "SHA256");
		store_rec_set(rec, "description", "demo token");
		store_insert(&st->tokens, rec, NULL);
	}
}

static const sb_handler handlers[] = {
	{"apptoken", "add", apptoken_add, SB_ADMIN},
	{"apptoken", "get", apptoken_get, SB_ADMIN},
	{"apptoken", "list", apptoken_list, SB_ADMIN},
	{"apptoken", "update", apptoken_update, SB_ADMIN},
	{"apptoken", "delete", apptoken_delete, SB_ADMIN},
	{"apptoken", "startSession", apptoken_start_session, SB_ANY},
	{NULL, NULL, NULL, SB_ANY},
};

const sb_service sb_apptoken_service = {"appToken", handlers, sizeof(token_state),
					 apptoken_seed, apptoken_reset};
