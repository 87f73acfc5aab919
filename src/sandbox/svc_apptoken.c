/* svc_apptoken: appToken.add, get, list, update, delete, startSession (KALTURA.md section 5). */
#include "sandbox/service.h"

#include <openssl/rand.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "sandbox/store.h"
#include "util.h"

#define TOKEN_CLASS "KalturaAppToken"
#define TOKEN_DISABLED 1
#define TOKEN_ACTIVE 2

typedef struct token {
	param *rec;
	struct token *next;
} token;

static pthread_mutex_t tokens_lock = PTHREAD_MUTEX_INITIALIZER;
static token *tokens; /* newest first */

static void token_free(token *t)
{
	const char *secret = store_rec_get(t->rec, "token");
	if (secret)
		memset((char *)secret, 0, strlen(secret));
	param_free(t->rec);
	free(t);
}

static token *find_locked(const char *id, token ***link)
{
	for (token **l = &tokens; *l; l = &(*l)->next) {
		const char *tid = store_rec_get((*l)->rec, "id");
		if (id && tid && !strcmp(tid, id)) {
			if (link)
				*link = l;
			return *l;
		}
	}
	return NULL;
}

static const param *obj_arg(const sb_call *c, const char *name)
{
	const param *p = param_find(c->params, name);
	return p && p->kind == PARAM_OBJECT ? p : NULL;
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
	token *t = token_new(c->cfg->partner_id);
	if (!t)
		return sb_fail(c, "INTERNAL_SERVER_ERROR", 1, "(RAND_bytes failed)");
	if (store_rec_apply(c, t->rec, obj_arg(c, "appToken"), TOKEN_CLASS, true) < 0) {
		token_free(t);
		return -1;
	}
	pthread_mutex_lock(&tokens_lock);
	t->next = tokens;
	tokens = t;
	c->result = store_rec_render(c->cfg, t->rec, TOKEN_CLASS);
	pthread_mutex_unlock(&tokens_lock);
	return 0;
}

static int apptoken_get(sb_call *c)
{
	const char *id = sb_arg(c, "id");
	pthread_mutex_lock(&tokens_lock);
	token *t = find_locked(id, NULL);
	if (t)
		c->result = store_rec_render(c->cfg, t->rec, TOKEN_CLASS);
	pthread_mutex_unlock(&tokens_lock);
	return t ? 0 : sb_fail(c, "APP_TOKEN_ID_NOT_FOUND", 1, id ? id : "");
}

static int apptoken_update(sb_call *c)
{
	const char *id = sb_arg(c, "id");
	pthread_mutex_lock(&tokens_lock);
	token *t = find_locked(id, NULL);
	int rc = t ? 0 : sb_fail(c, "APP_TOKEN_ID_NOT_FOUND", 1, id ? id : "");
	if (t) {
		/* apply to a copy so a refused update changes nothing */
		param *copy = param_new();
		for (const param *p = t->rec->first; p; p = p->next)
			if (p->kind == PARAM_VALUE)
				store_rec_set(copy, p->name, p->value);
		rc = store_rec_apply(c, copy, obj_arg(c, "appToken"), TOKEN_CLASS, false);
		if (rc == 0) {
			store_rec_setll(copy, "updatedAt", (long long)time(NULL));
			param_free(t->rec);
			t->rec = copy;
			c->result = store_rec_render(c->cfg, t->rec, TOKEN_CLASS);
		} else {
			param_free(copy);
		}
	}
	pthread_mutex_unlock(&tokens_lock);
	return rc;
}

static int apptoken_delete(sb_call *c)
{
	const char *id = sb_arg(c, "id");
	token **link = NULL;
	pthread_mutex_lock(&tokens_lock);
	token *t = find_locked(id, &link);
	if (t)
		*link = t->next;
	pthread_mutex_unlock(&tokens_lock);
	if (!t)
		return sb_fail(c, "APP_TOKEN_ID_NOT_FOUND", 1, id ? id : "");
	store_revoke_apptoken(id);
	token_free(t);
	return 0;
}

static int apptoken_list(sb_call *c)
{
	pthread_mutex_lock(&tokens_lock);
	size_t n = 0;
	for (token *x = tokens; x; x = x->next)
		n++;
	param **recs = kt_xcalloc(n ? n : 1, sizeof *recs);
	size_t i = n;
	for (token *x = tokens; x; x = x->next)
		recs[--i] = x->rec;
	c->result = store_rec_list(c->cfg, recs, n, obj_arg(c, "filter"), obj_arg(c, "pager"),
				   TOKEN_CLASS, "KalturaAppTokenListResponse");
	pthread_mutex_unlock(&tokens_lock);
	free(recs);
	return 0;
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
	memset(g, 0, sizeof *g);
	pthread_mutex_lock(&tokens_lock);
	token *t = find_locked(id, NULL);
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
	pthread_mutex_unlock(&tokens_lock);
	return rc;
}

static void grant_free(grant *g)
{
	kt_free_secret(g->secret);
	free(g->hash_type);
	free(g->user);
	free(g->privileges);
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
	if (ks_apptoken_hash(g.hash_type, c->ks ? c->ks : "", g.secret, &want, &err) < 0 ||
	    !hash || strcmp(hash, want)) {
		rc = sb_fail(c, "INVALID_APP_TOKEN_HASH", 0);
		goto out;
	}
	/* the token's session type is a ceiling: a USER token never yields an admin KS */
	int type = (int)sb_arg_ll(c, "type", g.type);
	if (g.type == KS_TYPE_USER)
		type = KS_TYPE_USER;
	const char *user = g.user ? g.user : sb_arg(c, "userId");
	long long duration = g.duration > 0 ? store_session_seconds(g.duration) : 0;
	long long expiry = store_session_seconds(sb_arg_ll(c, "expiry", duration));
	if (duration > 0 && expiry > duration)
		expiry = duration;
	/* the KS ends no later than the token */
	if (g.expiry > 0 && expiry > g.expiry - now)
		expiry = g.expiry - now;
	/* sessionid/apptoken last, so a caller's privileges cannot overwrite them */
	const char *extra = sb_arg(c, "sessionPrivileges");
	char *all = kt_xasprintf("%s,%s,sessionid:%s,apptoken:%s",
				 g.privileges ? g.privileges : "", extra ? extra : "", id, id);
	ks_privs parsed;
	ks_privs_parse(all, &parsed);
	privs = ks_privs_build(&parsed); /* as the KS reads back */
	ks_privs_free(&parsed);
	free(all);
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

void svc_apptoken_seed(const sb_config *cfg)
{
	token *t = token_new(cfg->partner_id);
	pthread_mutex_lock(&tokens_lock);
	while (tokens) {
		token *next = tokens->next;
		token_free(tokens);
		tokens = next;
	}
	if (t) {
		store_rec_set(t->rec, "hashType", "SHA256");
		store_rec_set(t->rec, "description", "demo token");
		tokens = t;
	}
	pthread_mutex_unlock(&tokens_lock);
}

const sb_handler sb_apptoken_handlers[] = {
	{"apptoken", "add", apptoken_add, SB_ADMIN},
	{"apptoken", "get", apptoken_get, SB_ADMIN},
	{"apptoken", "list", apptoken_list, SB_ADMIN},
	{"apptoken", "update", apptoken_update, SB_ADMIN},
	{"apptoken", "delete", apptoken_delete, SB_ADMIN},
	{"apptoken", "startSession", apptoken_start_session, SB_ANY},
	{NULL, NULL, NULL, SB_ANY},
};
