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

typedef struct user {
	param *rec;                  /* the public properties */
	char *login_id;              /* NULL: cannot log in */
	unsigned char salt[16];
	unsigned char hash[32];      /* sha256(salt + password) */
	struct user *next;
} user;

typedef struct user_state {
	pthread_mutex_t lock;
	user *users; /* newest first */
} user_state;

static void user_free(user *u)
{
	param_free(u->rec);
	free(u->login_id);
	OPENSSL_cleanse(u->hash, sizeof u->hash);
	free(u);
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

static int set_password(user *u, const char *password)
{
	if (RAND_bytes(u->salt, sizeof u->salt) != 1)
		return -1;
	return hash_password(u->salt, password, u->hash);
}

static bool password_ok(const user *u, const char *password)
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

/* Caller holds users_lock. */
static user *find_locked(user_state *st, const char *id, user ***link)
{
	user **l = &st->users;
	for (; *l; l = &(*l)->next) {
		const char *uid = store_rec_get((*l)->rec, "id");
		if (uid && !strcmp(uid, id)) {
			if (link)
				*link = l;
			return *l;
		}
	}
	return NULL;
}

static user *find_login_locked(user_state *st, const char *login_id)
{
	for (user *u = st->users; u; u = u->next)
		if (u->login_id && !strcmp(u->login_id, login_id))
			return u;
	return NULL;
}

static bool is_admin_ks(const sb_call *c)
{
	return c->ks_info && c->ks_info->type >= 1;
}

static rvalue *render_locked(const sb_call *c, const user *u)
{
	return store_rec_render(c->cfg, u->rec, USER_CLASS);
}

/* Builds a user from a KalturaUser parameter; the caller inserts it. */
static user *user_make(sb_call *c, const param *in)
{
	const char *id = in ? store_rec_get(in, "id") : NULL;
	if (!id || !*id) {
		sb_fail(c, "PROPERTY_VALIDATION_CANNOT_BE_NULL", 1, "id");
		return NULL;
	}
	user *u = kt_xcalloc(1, sizeof *u);
	u->rec = param_new();
	long long now = (long long)time(NULL);
	store_rec_setll(u->rec, "partnerId", c->cfg->partner_id);
	store_rec_setll(u->rec, "status", USER_ACTIVE);
	store_rec_setll(u->rec, "type", 0);
	store_rec_set(u->rec, "isAdmin", "0");
	store_rec_set(u->rec, "loginEnabled", "0");
	if (store_rec_apply(c, u->rec, in, USER_CLASS, true) < 0) {
		user_free(u);
		return NULL;
	}
	store_rec_setll(u->rec, "createdAt", now);
	store_rec_setll(u->rec, "updatedAt", now);
	const char *pw = store_rec_get(in, "password");
	const char *login = store_rec_get(in, "loginEnabled");
	if (pw || (login && (!strcmp(login, "1") || !strcmp(login, "true")))) {
		const char *email = store_rec_get(u->rec, "email");
		if (!email || !*email) {
			sb_fail(c, "PROPERTY_VALIDATION_CANNOT_BE_NULL", 1, "email");
			user_free(u);
			return NULL;
		}
		if (!pw || !password_strong(pw)) {
			sb_fail(c, "PASSWORD_STRUCTURE_INVALID", 1, PASSWORD_RULES);
			user_free(u);
			return NULL;
		}
		if (set_password(u, pw) < 0) {
			sb_fail(c, "INTERNAL_SERVER_ERROR", 1, "(RAND_bytes failed)");
			user_free(u);
			return NULL;
		}
		u->login_id = kt_xstrdup(email);
		store_rec_set(u->rec, "loginEnabled", "1");
	}
	return u;
}

static int user_add(sb_call *c)
{
	user_state *st = sb_state(c, &sb_user_service);
	user *u = user_make(c, sb_arg_obj(c, "user"));
	if (!u)
		return -1;
	const char *id = store_rec_get(u->rec, "id");
	pthread_mutex_lock(&st->lock);
	int rc = 0;
	if (find_locked(st, id, NULL))
		rc = sb_fail(c, "DUPLICATE_USER_BY_ID", 1, id);
	else if (u->login_id && find_login_locked(st, u->login_id))
		rc = sb_fail(c, "DUPLICATE_USER_BY_LOGIN_ID", 1, u->login_id);
	if (rc == 0) {
		u->next = st->users;
		st->users = u;
		c->result = render_locked(c, u);
	}
	pthread_mutex_unlock(&st->lock);
	if (rc < 0)
		user_free(u);
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
	user *u = find_locked(st, id, NULL);
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
	user *u = id ? find_locked(st, id, NULL) : NULL;
	int rc = u ? 0 : sb_fail(c, "INVALID_USER_ID", 0);
	if (u) {
		/* apply to a copy so a refused update changes nothing */
		param *copy = store_rec_copy(u->rec);
		rc = store_rec_apply(c, copy, in, USER_CLASS, false);
		if (rc == 0) {
			store_rec_set(copy, "id", id);
			store_rec_setll(copy, "updatedAt", (long long)time(NULL));
			param_free(u->rec);
			u->rec = copy;
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
	user **link = NULL;
	pthread_mutex_lock(&st->lock);
	user *u = id ? find_locked(st, id, &link) : NULL;
	if (u) {
		*link = u->next;
		long long now = (long long)time(NULL);
		store_rec_setll(u->rec, "status", USER_DELETED);
		store_rec_setll(u->rec, "updatedAt", now);
		store_rec_setll(u->rec, "deletedAt", now);
		c->result = render_locked(c, u);
	}
	pthread_mutex_unlock(&st->lock);
	if (!u)
		return sb_fail(c, "INVALID_USER_ID", 0);
	user_free(u);
	return 0;
}

static int user_list(sb_call *c)
{
	user_state *st = sb_state(c, &sb_user_service);
	pthread_mutex_lock(&st->lock);
	/* oldest first, as the server's default order by creation */
	size_t n = 0;
	for (user *x = st->users; x; x = x->next)
		n++;
	rvalue **objs = kt_xcalloc(n ? n : 1, sizeof *objs);
	size_t i = n;
	for (user *x = st->users; x; x = x->next)
		objs[--i] = render_locked(c, x);
	pthread_mutex_unlock(&st->lock);
	return sb_list(c, objs, n, USER_CLASS, "KalturaUserListResponse");
}

static int login_ks(sb_call *c, const user *u)
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

static int login_common(sb_call *c, user *u)
{
	const char *pw = sb_arg(c, "password");
	if (!u || !u->login_id)
		return sb_fail(c, "USER_NOT_FOUND", 0);
	if (!pw || !password_ok(u, pw))
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
	int rc = login_common(c, id ? find_locked(st, id, NULL) : NULL);
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
	int rc = login_common(c, login ? find_login_locked(st, login) : NULL);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

static void seed_user(user_state *st, const sb_config *cfg, const char *id, const char *first, const char *last,
		      const char *email, bool admin, const char *password)
{
	user *u = kt_xcalloc(1, sizeof *u);
	u->rec = param_new();
	long long now = (long long)time(NULL);
	store_rec_set(u->rec, "id", id);
	store_rec_setll(u->rec, "partnerId", cfg->partner_id);
	store_rec_set(u->rec, "screenName", id);
	store_rec_set(u->rec, "firstName", first);
	store_rec_set(u->rec, "lastName", last);
	store_rec_set(u->rec, "email", email);
	store_rec_setll(u->rec, "status", USER_ACTIVE);
	store_rec_setll(u->rec, "createdAt", now);
	store_rec_setll(u->rec, "updatedAt", now);
	store_rec_setll(u->rec, "type", 0);
	store_rec_set(u->rec, "isAdmin", admin ? "1" : "0");
	store_rec_set(u->rec, "loginEnabled", password ? "1" : "0");
	if (password && set_password(u, password) == 0)
		u->login_id = kt_xstrdup(email);
	u->next = st->users;
	st->users = u;
}

static void user_reset(sb_server *srv, void *state)
{
	(void)srv;
	user_state *st = state;
	while (st->users) {
		user *next = st->users->next;
		user_free(st->users);
		st->users = next;
	}
	pthread_mutex_destroy(&st->lock);
}

/* Two users; the admin one logs in with the password of this run (random unless given). */
static void user_seed(sb_server *srv, void *state)
{
	user_state *st = state;
	const sb_config *cfg = sb_server_config(srv);
	pthread_mutex_init(&st->lock, NULL);
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

static bool user_is_admin(const user *u)
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
	user *u = find_locked(st, id, NULL);
	int rc = !u ? -1 : u->login_id ? 1 : 0;
	if (rc == 1)
		*login_id = kt_xstrdup(u->login_id);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

bool svc_user_active_admin(sb_server *srv, const char *login_id)
{
	user_state *st = sb_server_state(srv, &sb_user_service);
	if (!st || !login_id)
		return false;
	pthread_mutex_lock(&st->lock);
	user *u = find_login_locked(st, login_id);
	const char *status = u ? store_rec_get(u->rec, "status") : NULL;
	bool ok = u && user_is_admin(u) && status && atoi(status) == USER_ACTIVE;
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
	user *u = find_login_locked(st, login_id);
	bool ok = u && user_is_admin(u) && password_ok(u, password);
	if (ok && id)
		*id = kt_xstrdup(store_rec_get(u->rec, "id"));
	pthread_mutex_unlock(&st->lock);
	return ok;
}
