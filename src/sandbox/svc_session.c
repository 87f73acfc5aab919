/* svc_session: session.start, end, get, impersonate, startWidgetSession, after the server's
 * api_v3/services/SessionService.php and kSessionUtils::startKSession. */
#include "sandbox/service.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sandbox/store.h"
#include "util.h"

int sb_mint(sb_call *c, long long partner, const char *master, int type, const char *user,
	    long long expiry, const char *privileges, char **out)
{
	ks_fields f = {
		.version = c->cfg->ks_version,
		.partner_id = partner,
		/* createKSession: now + expiry, as given (0 is a KS that has already expired);
		 * clamped, so a huge expiry cannot overflow valid_until */
		.valid_until = (long long)time(NULL) + store_session_seconds(expiry),
		.type = type,
		.user = user,
		.privileges = privileges,
		.master_partner_id = master,
	};
	kt_error err;
	if (ks_generate(&f, c->cfg->admin_secret, out, &err) < 0) {
		char pid[32];
		snprintf(pid, sizeof pid, "%lld", partner);
		return sb_fail(c, "START_SESSION_ERROR", 1, pid);
	}
	return 0;
}

bool sb_secret_equal(const char *given, const char *want)
{
	if (!given || !want)
		return false;
	for (const unsigned char *p = (const unsigned char *)given; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false; /* never part of a secret (the options refuse them) */
	/* digests of both, so neither the bytes nor the length decide how long it takes */
	unsigned char a[32], b[32];
	unsigned int na = 0, nb = 0;
	bool ok = EVP_Digest(given, strlen(given), a, &na, EVP_sha256(), NULL) &&
		  EVP_Digest(want, strlen(want), b, &nb, EVP_sha256(), NULL) && na == 32 &&
		  nb == 32 && !CRYPTO_memcmp(a, b, 32);
	OPENSSL_cleanse(a, sizeof a);
	OPENSSL_cleanse(b, sizeof b);
	return ok;
}

/* myPartnerUtils::isValidSecret: the admin secret gives any type, the user secret USER only. */
static bool secret_allows(const sb_call *c, const char *secret, long long type)
{
	bool admin = sb_secret_equal(secret, c->cfg->admin_secret);
	bool user = sb_secret_equal(secret, c->cfg->user_secret);
	return admin || (user && type == KS_TYPE_USER);
}

/* The partner, type and secret checks session.start and session.impersonate share; a missing
 * partnerId finds no partner, and the error names it as PHP prints null: "partner []". */
static int start_allowed(sb_call *c, long long *pid, long long *type, char *pidtext, size_t len)
{
	const char *given = sb_arg(c, "partnerId");
	*pid = sb_arg_ll(c, "partnerId", -1);
	*type = sb_arg_ll(c, "type", 0);
	snprintf(pidtext, len, "%s", given ? given : "");
	if (!given || *pid != c->cfg->partner_id || !secret_allows(c, sb_arg(c, "secret"), *type))
		return sb_fail(c, "START_SESSION_ERROR", 1, pidtext);
	return 0;
}

static int session_start(sb_call *c)
{
	long long pid, type;
	char pidtext[32];
	if (start_allowed(c, &pid, &type, pidtext, sizeof pidtext) < 0)
		return -1;
	char *ks;
	if (sb_mint(c, pid, NULL, (int)type, sb_arg(c, "userId"), sb_arg_ll(c, "expiry", 86400),
		    sb_arg(c, "privileges"), &ks) < 0)
		return -1;
	c->result = sb_rv_scalar(NULL, ks);
	free(ks);
	return 0;
}

static int session_impersonate(sb_call *c)
{
	long long pid, type;
	char pidtext[32];
	if (start_allowed(c, &pid, &type, pidtext, sizeof pidtext) < 0)
		return -1;
	char *ks;
	if (sb_mint(c, sb_arg_ll(c, "impersonatedPartnerId", pid), pidtext, (int)type,
		    sb_arg(c, "userId"), sb_arg_ll(c, "expiry", 86400), sb_arg(c, "privileges"),
		    &ks) < 0)
		return -1;
	c->result = sb_rv_scalar(NULL, ks);
	free(ks);
	return 0;
}

static int session_end(sb_call *c)
{
	if (c->ks)
		store_revoke(c->srv, c->ks);
	return 0;
}

/* getAction fills partnerId, userId, expiry, sessionType and privileges; never ks. */
static int session_get(sb_call *c)
{
	const char *ks = sb_arg(c, "session");
	ks_info info;
	if (!ks || !*ks) { /* PHP's falsy "": the request's own KS */
		ks = c->ks;
		if (!ks)
			return sb_fail(c, "MISSING_KS", 0);
	}
	if (sb_check_ks(c, ks, &info) < 0)
		return -1;
	rvalue *r = sb_rv_object(NULL, "KalturaSessionInfo");
	sb_rv_addf(r, "sessionType", "%d", info.type);
	sb_rv_addf(r, "partnerId", "%lld", info.partner_id);
	sb_rv_add(r, sb_rv_scalar("userId", info.user ? info.user : ""));
	sb_rv_addf(r, "expiry", "%lld", info.valid_until);
	sb_rv_add(r, sb_rv_scalar("privileges", info.privileges ? info.privileges : ""));
	ks_info_free(&info);
	c->result = r;
	return 0;
}

/* startWidgetSession: a USER KS for user 0 with view:*,widget:1. */
static int session_start_widget(sb_call *c)
{
	const char *widget = sb_arg(c, "widgetId");
	char want[32];
	snprintf(want, sizeof want, "_%lld", c->cfg->partner_id);
	if (!widget || strcmp(widget, want))
		return sb_fail(c, "INVALID_WIDGET_ID", 1, widget ? widget : "");
	char *ks;
	if (sb_mint(c, c->cfg->partner_id, NULL, KS_TYPE_USER, "0", sb_arg_ll(c, "expiry", 86400),
		    "view:*,widget:1", &ks) < 0)
		return -1;
	rvalue *r = sb_rv_object(NULL, "KalturaStartWidgetSessionResponse");
	sb_rv_addf(r, "partnerId", "%lld", c->cfg->partner_id);
	sb_rv_add(r, sb_rv_scalar("ks", ks));
	/* SessionService::startWidgetSession sets the PHP integer 0, which JSON and PHP keep */
	rvalue *user = sb_rv_add(r, sb_rv_scalar("userId", "0"));
	user->object_type = kt_xstrdup("int");
	free(ks);
	c->result = r;
	return 0;
}

static const sb_handler handlers[] = {
	{"session", "start", session_start, SB_ANY},
	{"session", "end", session_end, SB_ANY},
	{"session", "get", session_get, SB_ANY},
	{"session", "impersonate", session_impersonate, SB_ANY},
	{"session", "startWidgetSession", session_start_widget, SB_ANY},
	{NULL, NULL, NULL, SB_ANY},
};

const sb_service sb_session_service = {"session", handlers, 0, NULL, NULL};
