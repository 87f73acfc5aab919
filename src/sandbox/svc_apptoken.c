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

typedef struct token {
	param *rec;
	struct token *next;
} token;

typedef struct token_state {
	pthread_mutex_t lock;
	token *tokens; /* newest first */
} token_state;

static void token_free(token *t)
{
	const char *secret = store_rec_get(t->rec, "token");
	if (secret)
		memset((char *)secret, 0, strlen(secret));
	param_free(t->rec);
	free(t);
}

static token *find_locked(token_state *st, const char *id, token ***link)
{
	for (token **l = &st->tokens; *l; l = &(*l)->next) {
		const char *tid = store_rec_get((*l)->rec, "id");
		if (id && tid && !strcmp(tid, id)) {
			if (link)
				*link = l;
			return *l;
		}
	}
	return NULL;
}

static int random_hex(unsigned char *raw, size_t n, char *out)
{
	if (RAND_bytes(raw, (int)n) != 1)
		return -1;
	kt_hex(raw, n, out);
	return 0;
}

/* A new active token with a random id and secret, defaults as the server sets them. */
static token *token_new(long long partner)
{
	unsigned char raw[16];
	char id[17], secret[33];
	if (random_hex(raw, 4, id) < 0 || random_hex(raw, 16, secret) < 0)
		return NULL;
	token *t = kt_xcalloc(1, sizeof *t);
	t->rec = param_new();
	long long now = (long long)time(NULL);
	char *tid = kt_xasprintf("0_%s", id);
	store_rec_set(t->rec, "id", tid);
	free(tid);
	store_rec_set(t->rec, "token", secret);
	memset(secret, 0, sizeof secret);
	store_rec_setll(t->rec, "partnerId", partner);
	store_rec_setll(t->rec, "createdAt", now);
	store_rec_setll(t->rec, "updatedAt", now);
	store_rec_setll(t->rec, "status", TOKEN_ACTIVE);
	store_rec_setll(t->rec, "sessionType", KS_TYPE_USER);
	store_rec_set(t->rec, "hashType", "SHA1");
	return t;
}

static int apptoken_add(sb_call *c)
{
	token_state *st = sb_state(c, &sb_apptoken_service);
	token *t = token_new(c->cfg->partner_id);
	if (!t)
		return sb_fail(c, "INTERNAL_SERVER_ERROR", 1, "(RAND_bytes failed)");
	if (store_rec_apply(c, t->rec, sb_arg_obj(c, "appToken"), TOKEN_CLASS, true) < 0) {
		token_free(t);
		return -1;
	}
	pthread_mutex_lock(&st->lock);
	t->next = st->tokens;
	st->tokens = t;
	c->result = store_rec_render(c->cfg, t->rec, TOKEN_CLASS);
	pthread_mutex_unlock(&st->lock);
	return 0;
}

static int apptoken_get(sb_call *c)
{
	token_state *st = sb_state(c, &sb_apptoken_service);
	const char *id = sb_arg(c, "id");
	pthread_mutex_lock(&st->lock);
	token *t = find_locked(st, id, NULL);
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
	token *t = find_locked(st, id, NULL);
	int rc = t ? 0 : sb_fail(c, "APP_TOKEN_ID_NOT_FOUND", 1, id ? id : "");
	if (t) {
		/* apply to a copy so a refused update changes nothing */
		param *copy = store_rec_copy(t->rec);
		rc = store_rec_apply(c, copy, sb_arg_obj(c, "appToken"), TOKEN_CLASS, false);
		if (rc == 0) {
			store_rec_setll(copy, "updatedAt", (long long)time(NULL));
			param_free(t->rec);
			t->rec = copy;
			c->result = store_rec_render(c->cfg, t->rec, TOKEN_CLASS);
		} else {
			param_free(copy);
		}
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
}

static int apptoken_delete(sb_call *c)
{
	token_state *st = sb_state(c, &sb_apptoken_service);
	const char *id = sb_arg(c, "id");
	token **link = NULL;
	pthread_mutex_lock(&st->lock);
	token *t = find_locked(st, id, &link);
	if (t)
		*link = t->next;
	pthread_mutex_unlock(&st->lock);
	if (!t)
		return sb_fail(c, "APP_TOKEN_ID_NOT_FOUND", 1, id ? id : "");
	store_revoke_apptoken(c->srv, id);
	token_free(t);
	return 0;
}

static int apptoken_list(sb_call *c)
{
	token_state *st = sb_state(c, &sb_apptoken_service);
	pthread_mutex_lock(&st->lock);
	size_t n = 0;
	for (token *x = st->tokens; x; x = x->next)
		n++;
	rvalue **objs = kt_xcalloc(n ? n : 1, sizeof *objs);
	size_t i = n;
	for (token *x = st->tokens; x; x = x->next)
		objs[--i] = store_rec_render(c->cfg, x->rec, TOKEN_CLASS);
	pthread_mutex_unlock(&st->lock);
	return sb_list(c, objs, n, TOKEN_CLASS, "KalturaAppTokenListResponse");
}

static long long rec_ll(const param *rec, const char *name, long long def)
{
	long long v;
	const char *s = store_rec_get(rec, name);
	return s && kt_parse_ll(s, &v) ? v : def;
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
	token *t = find_locked(st, id, NULL);
	int rc = 0;
	if (!t) {
		rc = sb_fail(c, "APP_TOKEN_ID_NOT_FOUND", 1, id ? id : "");
	} else if (rec_ll(t->rec, "status", 0) != TOKEN_ACTIVE) {
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
		g->type = (int)rec_ll(t->rec, "sessionType", KS_TYPE_USER);
		g->duration = rec_ll(t->rec, "sessionDuration", 0);
		g->expiry = rec_ll(t->rec, "expiry", 0);
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
	while (st->tokens) {
		token *next = st->tokens->next;
		token_free(st->tokens);
		st->tokens = next;
	}
	pthread_mutex_destroy(&st->lock);
}

/* One active SHA256 token. */
static void apptoken_seed(sb_server *srv, void *state)
{
	token_state *st = state;
	pthread_mutex_init(&st->lock, NULL);
	token *t = token_new(sb_server_config(srv)->partner_id);
	if (t) {
		store_rec_set(t->rec, "hashType", "SHA256");
		store_rec_set(t->rec, "description", "demo token");
		st->tokens = t;
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
