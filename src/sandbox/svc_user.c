/* svc_user: user.add, get, list, update, delete, login, loginByLoginId (KALTURA.md section 5),
 * and the demo data the sandbox starts with. */
#include "sandbox/service.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sandbox/list.h"
#include "sandbox/partner.h"
#include "sandbox/store.h"
#include "util.h"

#define USER_CLASS "KalturaUser"
#define USER_ACTIVE 1
#define USER_DELETED 2
#define PASSWORD_RULES "- Must be at least 8 characters long.\n- Must contain at least one " \
		       "letter and one digit."

/* What a user keeps beside its public properties. */
typedef struct credentials {
	char *login_id;              /* NULL: cannot log in */
	unsigned char salt[16];
	unsigned char hash[32];      /* sha256(salt + password) */
} credentials;

typedef struct user_state {
	pthread_mutex_t lock;
	store_table users; /* by id, oldest first; extra: its credentials */
} user_state;

static void credentials_free(void *extra)
{
	credentials *l = extra;
	free(l->login_id);
	OPENSSL_cleanse(l->hash, sizeof l->hash);
	free(l);
}

static int hash_password(const unsigned char *salt, const char *password, unsigned char *out)
{
	unsigned int n = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) &&
		 EVP_DigestUpdate(ctx, salt, 16) &&
		 EVP_DigestUpdate(ctx, password, strlen(password)) &&
		 EVP_DigestFinal_ex(ctx, out, &n);
	EVP_MD_CTX_free(ctx);
	return ok && n == 32 ? 0 : -1;
}

static int set_password(credentials *u, const char *password)
{
	if (RAND_bytes(u->salt, sizeof u->salt) != 1)
		return -1;
	return hash_password(u->salt, password, u->hash);
}

static bool password_ok(const credentials *u, const char *password)
{
	unsigned char h[32];
	if (hash_password(u->salt, password, h) < 0)
		return false;
	bool ok = !CRYPTO_memcmp(h, u->hash, sizeof h);
	OPENSSL_cleanse(h, sizeof h);
	return ok;
}

static bool password_strong(const char *p)
{
	bool letter = false, digit = false;
	for (const char *s = p; *s; s++) {
		letter |= (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z');
		digit |= *s >= '0' && *s <= '9';
	}
	return strlen(p) >= 8 && letter && digit;
}

/* The user with this login id; the caller holds the lock. */
static store_row *find_login_locked(user_state *st, const char *login_id)
{
	for (size_t i = 0; login_id && i < st->users.n; i++) {
		const credentials *l = st->users.rows[i]->extra;
		if (l->login_id && !strcmp(l->login_id, login_id))
			return st->users.rows[i];
	}
	return NULL;
}

static const char *login_of(const store_row *u)
{
	return ((const credentials *)u->extra)->login_id;
}

static bool is_admin_ks(const sb_call *c)
{
	return c->ks_info && c->ks_info->type >= 1;
}

static rvalue *render_locked(const sb_call *c, const store_row *u)
{
	return store_rec_render(c->cfg, u->rec, USER_CLASS);
}

/* Builds a user's record and login from a KalturaUser parameter; the caller inserts them. */
static param *user_make(sb_call *c, const param *in, credentials **out)
{
	const char *id = in ? store_rec_get(in, "id") : NULL;
	if (!id || !*id) {
		sb_fail(c, "PROPERTY_VALIDATION_CANNOT_BE_NULL", 1, "id");
		return NULL;
	}
	param *rec = param_new();
	credentials *l = kt_xcalloc(1, sizeof *l);
	long long now = (long long)time(NULL);
	store_rec_setll(rec, "partnerId", c->cfg->partner_id);
	store_rec_setll(rec, "status", USER_ACTIVE);
	store_rec_setll(rec, "type", 0);
	store_rec_set(rec, "isAdmin", "0");
	store_rec_set(rec, "loginEnabled", "0");
	if (store_rec_apply(c, rec, in, USER_CLASS, true) < 0)
		goto fail;
	store_rec_setll(rec, "createdAt", now);
	store_rec_setll(rec, "updatedAt", now);
	const char *pw = store_rec_get(in, "password");
	const char *enable = store_rec_get(in, "loginEnabled");
	if (pw || (enable && (!strcmp(enable, "1") || !strcmp(enable, "true")))) {
		const char *email = store_rec_get(rec, "email");
		if (!email || !*email) {
			sb_fail(c, "PROPERTY_VALIDATION_CANNOT_BE_NULL", 1, "email");
			goto fail;
		}
		if (!pw || !password_strong(pw)) {
			sb_fail(c, "PASSWORD_STRUCTURE_INVALID", 1, PASSWORD_RULES);
			goto fail;
		}
		if (set_password(l, pw) < 0) {
			sb_fail(c, "INTERNAL_SERVER_ERROR", 1, "(RAND_bytes failed)");
			goto fail;
		}
		l->login_id = kt_xstrdup(email);
		store_rec_set(rec, "loginEnabled", "1");
	}
	*out = l;
	return rec;
fail:
	param_free(rec);
	credentials_free(l);
	return NULL;
}

static int user_add(sb_call *c)
{
	user_state *st = sb_state(c, &sb_user_service);
	credentials *l = NULL;
	param *rec = user_make(c, sb_arg_obj(c, "user"), &l);
	if (!rec)
		return -1;
	const char *id = store_rec_get(rec, "id");
	pthread_mutex_lock(&st->lock);
	int rc = 0;
	if (store_find(&st->users, id))
		rc = sb_fail(c, "DUPLICATE_USER_BY_ID", 1, id);
	else if (l->login_id && find_login_locked(st, l->login_id))
		rc = sb_fail(c, "DUPLICATE_USER_BY_LOGIN_ID", 1, l->login_id);
	if (rc == 0)
		c->result = render_locked(c, store_insert(&st->users, rec, l));
	pthread_mutex_unlock(&st->lock);
	if (rc < 0) {
		param_free(rec);
		credentials_free(l);
	}
	return rc;
}

/* A USER KS may read only its own user. */
static const char *target_id(sb_call *c, const char *id)
{
	const char *self = c->ks_info && c->ks_info->user ? c->ks_info->user : "";
	if (!id)
		id = self;
	if (!is_admin_ks(c) && strcmp(id, self)) {
		sb_fail(c, "SERVICE_FORBIDDEN", 1, "user->get");
		return NULL;
	}
	return id;
}

static int user_get(sb_call *c)
{
	user_state *st = sb_state(c, &sb_user_service);
	const char *id = target_id(c, sb_arg(c, "userId"));
	if (!id)
		return -1;
	pthread_mutex_lock(&st->lock);
	store_row *u = store_find(&st->users, id);
	if (u)
		c->result = render_locked(c, u);
	pthread_mutex_unlock(&st->lock);
	return u ? 0 : sb_fail(c, "INVALID_USER_ID", 0);
}

static int user_update(sb_call *c)
{
	user_state *st = sb_state(c, &sb_user_service);
	const char *id = sb_arg(c, "userId");
	const param *in = sb_arg_obj(c, "user");
	const char *newid = in ? store_rec_get(in, "id") : NULL;
	/* renaming a user is not modelled */
	if (newid && id && strcmp(newid, id))
		return sb_fail(c, "PROPERTY_VALIDATION_NOT_UPDATABLE", 1, "id");
	pthread_mutex_lock(&st->lock);
	store_row *u = store_find(&st->users, id);
	int rc = u ? 0 : sb_fail(c, "INVALID_USER_ID", 0);
	if (u) {
		/* apply to a copy so a refused update changes nothing */
		param *copy = store_rec_copy(u->rec);
		rc = store_rec_apply(c, copy, in, USER_CLASS, false);
		if (rc == 0) {
			store_rec_set(copy, "id", id);
			store_rec_setll(copy, "updatedAt", (long long)time(NULL));
			store_replace(u, copy);
			c->result = render_locked(c, u);
		} else {
			param_free(copy);
		}
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
}

static int user_delete(sb_call *c)
{
	user_state *st = sb_state(c, &sb_user_service);
	const char *id = sb_arg(c, "userId");
	pthread_mutex_lock(&st->lock);
	store_row *u = store_find(&st->users, id);
	if (u) {
		long long now = (long long)time(NULL);
		store_rec_setll(u->rec, "status", USER_DELETED);
		store_rec_setll(u->rec, "updatedAt", now);
		store_rec_setll(u->rec, "deletedAt", now);
		c->result = render_locked(c, u);
		store_delete(&st->users, u);
	}
	pthread_mutex_unlock(&st->lock);
	return u ? 0 : sb_fail(c, "INVALID_USER_ID", 0);
}

static int user_list(sb_call *c)
{
	user_state *st = sb_state(c, &sb_user_service);
	pthread_mutex_lock(&st->lock);
	/* oldest first, as the server's default order by creation */
	size_t n = st->users.n;
	rvalue **objs = kt_xcalloc(n ? n : 1, sizeof *objs);
	for (size_t i = 0; i < n; i++)
		objs[i] = render_locked(c, st->users.rows[i]);
	pthread_mutex_unlock(&st->lock);
	return sb_list(c, objs, n, USER_CLASS, "KalturaUserListResponse");
}

static int login_ks(sb_call *c, const store_row *u)
{
	const char *admin = store_rec_get(u->rec, "isAdmin");
	ks_fields f = {
		.version = c->cfg->ks_version,
		.partner_id = c->cfg->partner_id,
		.valid_until = (long long)time(NULL) +
			       store_session_seconds(sb_arg_ll(c, "expiry", 86400)),
		.type = admin && !strcmp(admin, "1") ? KS_TYPE_ADMIN : KS_TYPE_USER,
		.user = store_rec_get(u->rec, "id"),
		.privileges = sb_arg(c, "privileges"),
	};
	kt_error err;
	char *ks;
	if (ks_generate(&f, c->cfg->admin_secret, &ks, &err) < 0) {
		char pid[32];
		snprintf(pid, sizeof pid, "%lld", c->cfg->partner_id);
		return sb_fail(c, "START_SESSION_ERROR", 1, pid);
	}
	c->result = sb_rv_scalar(NULL, ks);
	free(ks);
	return 0;
}

static int login_common(sb_call *c, store_row *u)
{
	const char *pw = sb_arg(c, "password");
	if (!u || !login_of(u))
		return sb_fail(c, "USER_NOT_FOUND", 0);
	if (!pw || !password_ok(u->extra, pw))
		return sb_fail(c, "USER_WRONG_PASSWORD", 0);
	store_rec_setll(u->rec, "lastLoginTime", (long long)time(NULL));
	return login_ks(c, u);
}

static int check_partner(sb_call *c, long long pid)
{
	if (pid == c->cfg->partner_id)
		return 0;
	char text[32];
	snprintf(text, sizeof text, "%lld", pid);
	return sb_fail(c, "INVALID_PARTNER_ID", 1, text);
}

static int user_login(sb_call *c)
{
	user_state *st = sb_state(c, &sb_user_service);
	if (check_partner(c, sb_arg_ll(c, "partnerId", 0)) < 0)
		return -1;
	const char *id = sb_arg(c, "userId");
	pthread_mutex_lock(&st->lock);
	int rc = login_common(c, store_find(&st->users, id));
	pthread_mutex_unlock(&st->lock);
	return rc;
}

static int user_login_by_login_id(sb_call *c)
{
	user_state *st = sb_state(c, &sb_user_service);
	if (check_partner(c, sb_arg_ll(c, "partnerId", c->cfg->partner_id)) < 0)
		return -1;
	const char *login = sb_arg(c, "loginId");
	pthread_mutex_lock(&st->lock);
	int rc = login_common(c, find_login_locked(st, login));
	pthread_mutex_unlock(&st->lock);
	return rc;
}

static void seed_user(user_state *st, const sb_config *cfg, const char *id, const char *first, const char *last,
		      const char *email, bool admin, const char *password)
{
	param *rec = param_new();
	credentials *l = kt_xcalloc(1, sizeof *l);
	long long now = (long long)time(NULL);
	store_rec_set(rec, "id", id);
	store_rec_setll(rec, "partnerId", cfg->partner_id);
	store_rec_set(rec, "screenName", id);
	store_rec_set(rec, "firstName", first);
	store_rec_set(rec, "lastName", last);
	store_rec_set(rec, "email", email);
	store_rec_setll(rec, "status", USER_ACTIVE);
	store_rec_setll(rec, "createdAt", now);
	store_rec_setll(rec, "updatedAt", now);
	store_rec_setll(rec, "type", 0);
	store_rec_set(rec, "isAdmin", admin ? "1" : "0");
	store_rec_set(rec, "loginEnabled", password ? "1" : "0");
	if (password && set_password(l, password) == 0)
		l->login_id = kt_xstrdup(email);
	store_insert(&st->users, rec, l);
}

static void user_reset(sb_server *srv, void *state)
{
	(void)srv;
	user_state *st = state;
	store_table_free(&st->users);
	pthread_mutex_destroy(&st->lock);
}

/* Two users; the admin one logs in with the password of this run (random unless given). */
static void user_seed(sb_server *srv, void *state)
{
	user_state *st = state;
	const sb_config *cfg = sb_server_config(srv);
	pthread_mutex_init(&st->lock, NULL);
	store_table_init(&st->users, "id", credentials_free);
	seed_user(st, cfg, "alice", "Alice", "Example", "alice@example.com", false, NULL);
	seed_user(st, cfg, "admin@example.com", "Admin", "Example", "admin@example.com", true,
		  cfg->admin_password);
}

static const sb_handler handlers[] = {
	{"user", "add", user_add, SB_ADMIN},
	{"user", "get", user_get, SB_ANY}, /* a USER KS reads only its own user */
	{"user", "list", user_list, SB_ADMIN},
	{"user", "update", user_update, SB_ADMIN},
	{"user", "delete", user_delete, SB_ADMIN},
	{"user", "login", user_login, SB_ANY},
	{"user", "loginByLoginId", user_login_by_login_id, SB_ANY},
	{NULL, NULL, NULL, SB_ANY},
};

const sb_service sb_user_service = {"user", handlers, sizeof(user_state), user_seed, user_reset};

/* ---- for the partner service ---- */

static bool user_is_admin(const store_row *u)
{
	const char *a = store_rec_get(u->rec, "isAdmin");
	return a && !strcmp(a, "1");
}

int svc_user_login_of(sb_server *srv, const char *id, char **login_id)
{
	user_state *st = sb_server_state(srv, &sb_user_service);
	*login_id = NULL;
	if (!st || !id)
		return -1;
	pthread_mutex_lock(&st->lock);
	store_row *u = store_find(&st->users, id);
	int rc = !u ? -1 : login_of(u) ? 1 : 0;
	if (rc == 1)
		*login_id = kt_xstrdup(login_of(u));
	pthread_mutex_unlock(&st->lock);
	return rc;
}

bool svc_user_active_admin(sb_server *srv, const char *login_id)
{
	user_state *st = sb_server_state(srv, &sb_user_service);
	if (!st || !login_id)
		return false;
	pthread_mutex_lock(&st->lock);
	store_row *u = find_login_locked(st, login_id);
	bool ok = u && user_is_admin(u) &&
		  store_rec_getll(u->rec, "status", 0) == USER_ACTIVE;
	pthread_mutex_unlock(&st->lock);
	return ok;
}

bool svc_user_admin_login(sb_server *srv, const char *login_id, const char *password, char **id)
{
	user_state *st = sb_server_state(srv, &sb_user_service);
	if (id)
		*id = NULL;
	if (!st || !login_id || !password)
		return false;
	pthread_mutex_lock(&st->lock);
	store_row *u = find_login_locked(st, login_id);
	bool ok = u && user_is_admin(u) && password_ok(u->extra, password);
	if (ok && id)
		*id = kt_xstrdup(store_rec_get(u->rec, "id"));
	pthread_mutex_unlock(&st->lock);
	return ok;
}
