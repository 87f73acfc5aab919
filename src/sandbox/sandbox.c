/* sandbox: the instance's life (options, schema, secrets, the services' state) and the
 * instance the CLI and the console run. */
#include "sandbox/sandbox.h"

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
	if (o->partner_id < 0)
		return kt_fail(err, KT_E_USAGE, "the partner id must be a positive number");
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

void *sb_server_state(sb_server *srv, const sb_service *svc)
{
	for (size_t i = 0; i < srv->nservices; i++)
		if (sb_services[i] == svc)
			return srv->state[i];
	return NULL;
}

const sb_config *sb_server_config(const sb_server *srv)
{
	return &srv->cfg;
}

static void seed_all(sb_server *srv)
{
	for (size_t i = 0; i < srv->nservices; i++)
		if (sb_services[i]->seed)
			sb_services[i]->seed(srv, srv->state[i]);
}

static void reset_all(sb_server *srv)
{
	for (size_t i = srv->nservices; i-- > 0;) {
		if (sb_services[i]->reset)
			sb_services[i]->reset(srv, srv->state[i]);
		if (srv->state[i])
			memset(srv->state[i], 0, sb_services[i]->state_size);
	}
}

void sb_server_free(sb_server *srv)
{
	if (!srv)
		return;
	sb_server_unlisten(srv);
	if (srv->state) {
		reset_all(srv);
		for (size_t i = 0; i < srv->nservices; i++)
			free(srv->state[i]);
		free(srv->state);
	}
	store_revoked_free(&srv->revoked);
	if (srv->schema)
		schema_free(srv->schema);
	free(srv->schema_path);
	kt_free_secret(srv->cfg.admin_secret);
	kt_free_secret(srv->cfg.user_secret);
	kt_free_secret(srv->cfg.admin_password);
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
	if (!srv->cfg.admin_secret || !srv->cfg.user_secret || !srv->cfg.admin_password) {
		sb_server_free(srv);
		kt_fail(err, KT_E_INTERNAL, "cannot make random secrets (RAND_bytes failed)");
		return NULL;
	}
	if (!schema_find_error(srv->schema, "INVALID_KS"))
		fprintf(stderr, "ktestme: warning: the schema has no error catalogue; errors will "
				"carry their codes as messages\n");
	while (sb_services[srv->nservices])
		srv->nservices++;
	srv->state = kt_xcalloc(srv->nservices, sizeof *srv->state);
	for (size_t i = 0; i < srv->nservices; i++)
		if (sb_services[i]->state_size)
			srv->state[i] = kt_xcalloc(1, sb_services[i]->state_size);
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
