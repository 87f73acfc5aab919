/* sandbox: the instance's life (options, schema, secrets, the services' state) and the
 * instance the CLI and the console run. */
#include "sandbox/sandbox.h"

#include <limits.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox/server.h"
#include "util.h"

static char *random_hex(size_t bytes)
{
	unsigned char raw[32];
	char hex[65];
	if (bytes > sizeof raw || RAND_bytes(raw, (int)bytes) != 1)
		return NULL;
	kt_hex(raw, bytes, hex);
	OPENSSL_cleanse(raw, sizeof raw);
	return kt_xstrdup(hex);
}

/* A secret goes into KSs and comparisons as bytes; a control character in one is a typo or an
 * attack, never a secret. */
static bool clean_secret(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

static int check_opts(const sandbox_opts *o, kt_error *err)
{
	int version = o->ks_version ? o->ks_version : 2;
	if (version != 1 && version != 2)
		return kt_fail(err, KT_E_USAGE, "the KS version must be 1 or 2, not %d", version);
	if (o->partner_id < 0 || o->partner_id == LLONG_MAX)
		return kt_fail(err, KT_E_USAGE, "the partner id must be a positive number below "
			       "%lld (the second demo partner takes the next one)", LLONG_MAX);
	const char *const given[] = {o->admin_secret, o->user_secret, o->admin_password};
	for (size_t i = 0; i < 3; i++) {
		if (given[i] && !*given[i])
			return kt_fail(err, KT_E_USAGE, "a secret or password must not be empty");
		if (given[i] && !clean_secret(given[i]))
			return kt_fail(err, KT_E_USAGE,
				       "a secret or password must not hold control characters");
	}
	return 0;
}

/* ---- partners ---- */

/* The partner this thread acts for, and on which server (a thread serves one call at a time). */
static _Thread_local const sb_server *acting_srv;
static _Thread_local int acting;

static int current(const sb_server *srv)
{
	return acting_srv == srv ? acting : 0;
}

const sb_config *sb_server_partner(const sb_server *srv, int i)
{
	return i == 1 ? &srv->second : &srv->cfg;
}

int sb_server_partner_index(const sb_server *srv, long long id)
{
	for (int i = 0; i < SB_PARTNERS; i++)
		if (sb_server_partner(srv, i)->partner_id == id)
			return i;
	return -1;
}

int sb_server_enter(const sb_server *srv, int i)
{
	int before = current(srv);
	acting_srv = srv;
	acting = i >= 0 && i < SB_PARTNERS ? i : 0;
	return before;
}

static void **states_of(sb_server *srv, int i)
{
	return i == 1 ? srv->second_state : srv->state;
}

void *sb_server_state(sb_server *srv, const sb_service *svc)
{
	void **st = states_of(srv, current(srv));
	for (size_t i = 0; st && i < srv->nservices; i++)
		if (sb_services[i] == svc)
			return st[i];
	return NULL;
}

const char *sb_server_url(const sb_server *srv)
{
	return srv->url;
}

const sb_config *sb_server_config(const sb_server *srv)
{
	return sb_server_partner(srv, current(srv));
}

static void seed_all(sb_server *srv)
{
	for (int p = 0; p < SB_PARTNERS; p++) {
		int before = sb_server_enter(srv, p);
		void **st = states_of(srv, p);
		for (size_t i = 0; i < srv->nservices; i++)
			if (sb_services[i]->seed)
				sb_services[i]->seed(srv, st[i]);
		sb_server_enter(srv, before);
	}
}

static void reset_all(sb_server *srv)
{
	for (int p = SB_PARTNERS; p-- > 0;) {
		int before = sb_server_enter(srv, p);
		void **st = states_of(srv, p);
		for (size_t i = srv->nservices; i-- > 0;) {
			if (sb_services[i]->reset)
				sb_services[i]->reset(srv, st[i]);
			if (st[i])
				memset(st[i], 0, sb_services[i]->state_size);
		}
		sb_server_enter(srv, before);
	}
}

static void **new_states(size_t n)
{
	void **st = kt_xcalloc(n, sizeof *st);
	for (size_t i = 0; i < n; i++)
		if (sb_services[i]->state_size)
			st[i] = kt_xcalloc(1, sb_services[i]->state_size);
	return st;
}

static void free_states(void **st, size_t n)
{
	for (size_t i = 0; st && i < n; i++)
		free(st[i]);
	free(st);
}

void sb_server_free(sb_server *srv)
{
	if (!srv)
		return;
	sb_server_unlisten(srv);
	if (srv->state && srv->second_state)
		reset_all(srv);
	free_states(srv->state, srv->nservices);
	free_states(srv->second_state, srv->nservices);
	store_revoked_free(&srv->revoked);
	if (srv->schema)
		schema_free(srv->schema);
	free(srv->schema_path);
	kt_free_secret(srv->cfg.admin_secret);
	kt_free_secret(srv->cfg.user_secret);
	kt_free_secret(srv->cfg.admin_password);
	kt_free_secret(srv->second.admin_secret);
	kt_free_secret(srv->second.user_secret);
	kt_free_secret(srv->second.admin_password);
	free(srv);
}

sb_server *sb_server_new(const sandbox_opts *o, kt_error *err)
{
	sandbox_opts def = {0};
	if (!o)
		o = &def;
	if (check_opts(o, err) < 0)
		return NULL;
	sb_server *srv = kt_xcalloc(1, sizeof *srv);
	store_revoked_init(&srv->revoked);
	const char *path = o->schema_path ? o->schema_path : schema_default_path();
	srv->schema = schema_load_file(path, err);
	if (!srv->schema) {
		sb_server_free(srv);
		return NULL;
	}
	srv->schema_path = kt_xstrdup(path);
	srv->cfg.schema = srv->schema;
	srv->cfg.partner_id = o->partner_id ? o->partner_id : 100;
	srv->cfg.ks_version = o->ks_version ? o->ks_version : 2;
	srv->cfg.admin_secret = o->admin_secret ? kt_xstrdup(o->admin_secret) : random_hex(16);
	srv->cfg.user_secret = o->user_secret ? kt_xstrdup(o->user_secret) : random_hex(16);
	/* letters and digits, as the password rules want; random unless given */
	char *pw = o->admin_password ? NULL : random_hex(6);
	srv->cfg.admin_password = o->admin_password ? kt_xstrdup(o->admin_password)
			       : pw ? kt_xasprintf("Demo-%s-1x", pw) : NULL;
	kt_free_secret(pw);
	/* the second partner: its own secrets; the demo admin's login (and password) is shared,
	 * as one login belongs to several partners on the server */
	srv->second = srv->cfg;
	srv->second.partner_id = srv->cfg.partner_id + 1;
	srv->second.admin_secret = random_hex(16);
	srv->second.user_secret = random_hex(16);
	srv->second.admin_password = srv->cfg.admin_password ? kt_xstrdup(srv->cfg.admin_password)
							     : NULL;
	if (!srv->cfg.admin_secret || !srv->cfg.user_secret || !srv->cfg.admin_password ||
	    !srv->second.admin_secret || !srv->second.user_secret) {
		sb_server_free(srv);
		kt_fail(err, KT_E_INTERNAL, "cannot make random secrets (RAND_bytes failed)");
		return NULL;
	}
	if (!schema_find_error(srv->schema, "INVALID_KS"))
		fprintf(stderr, "ktestme: warning: the schema has no error catalogue; errors will "
				"carry their codes as messages\n");
	while (sb_services[srv->nservices])
		srv->nservices++;
	srv->state = new_states(srv->nservices);
	srv->second_state = new_states(srv->nservices);
	seed_all(srv);
	return srv;
}

void sb_server_reset(sb_server *srv)
{
	reset_all(srv);
	store_revoked_free(&srv->revoked);
	store_revoked_init(&srv->revoked);
	seed_all(srv);
}

/* ---- the instance the CLI and the console run ---- */

static sb_server *running;

int sandbox_start(const sandbox_opts *o, kt_error *err)
{
	if (running)
		return kt_fail(err, KT_E_USAGE, "the sandbox is already running at %s", running->url);
	sb_server *srv = sb_server_new(o, err);
	if (!srv)
		return -1;
	if (sb_server_listen(srv, o, err) < 0) {
		sb_server_free(srv);
		return -1;
	}
	running = srv;
	return 0;
}

const char *sandbox_url(void)
{
	return running ? running->url : NULL;
}

long long sandbox_partner_id(void)
{
	return running ? running->cfg.partner_id : 0;
}

long long sandbox_second_partner_id(void)
{
	return running ? running->second.partner_id : 0;
}

const char *sandbox_admin_secret(void)
{
	return running ? running->cfg.admin_secret : NULL;
}

const char *sandbox_user_secret(void)
{
	return running ? running->cfg.user_secret : NULL;
}

const char *sandbox_admin_password(void)
{
	return running ? running->cfg.admin_password : NULL;
}

void sandbox_stop(void)
{
	sb_server_free(running);
	running = NULL;
}
