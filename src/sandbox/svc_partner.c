/* svc_partner: partner.get, getInfo, getSecrets and listPartnersForUser, after the server's
 * api_v3/services/PartnerService.php (getAction, getInfoAction, getSecretsAction,
 * listPartnersForUserAction) and KalturaPartner (its properties, secrets behind INTEGRATION_BASE).
 * The sandbox has two partners (server.h); the demo admin user is an admin of both. */
#include "sandbox/service.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sandbox/list.h"
#include "sandbox/partner.h"
#include "sandbox/server.h"
#include "util.h"

#define PARTNER_CLASS "KalturaPartner"

typedef struct partner_state {
	long long created;
} partner_state;

static const char *const names[SB_PARTNERS] = {"Demo partner", "Second demo partner"};

/* KalturaPartner::doFromObject for the sandbox's partner i; the secrets only where the KS may
 * read them (INTEGRATION_BASE: the partner's own admin sessions) or getSecrets returns them. */
static rvalue *render(sb_call *c, int i, bool secrets, const char *cms_password)
{
	const sb_config *p = sb_server_partner(c->srv, i);
	int before = sb_server_enter(c->srv, i);
	partner_state *st = sb_state(c, &sb_partner_service);
	long long created = st ? st->created : 0;
	sb_server_enter(c->srv, before);

	rvalue *r = sb_rv_object(NULL, PARTNER_CLASS);
	sb_rv_addf(r, "id", "%lld", p->partner_id);
	sb_rv_add(r, sb_rv_scalar("name", names[i]));
	sb_rv_addf(r, "createdAt", "%lld", created);
	sb_rv_add(r, sb_rv_scalar("adminName", "Admin Example"));
	sb_rv_add(r, sb_rv_scalar("adminEmail", "admin@example.com"));
	sb_rv_add(r, sb_rv_scalar("description", "A ktestme sandbox partner"));
	sb_rv_addf(r, "type", "%d", 1);      /* KalturaPartnerType KMC */
	sb_rv_addf(r, "status", "%d", 1);    /* KalturaPartnerStatus ACTIVE */
	sb_rv_addf(r, "partnerPackage", "%d", 1);
	if (secrets) {
		sb_rv_add(r, sb_rv_scalar("secret", p->user_secret));
		sb_rv_add(r, sb_rv_scalar("adminSecret", p->admin_secret));
	}
	if (cms_password)
		sb_rv_add(r, sb_rv_scalar("cmsPassword", cms_password));
	sb_rv_add(r, sb_rv_scalar("adminUserId", "admin@example.com"));
	sb_rv_add(r, sb_rv_scalar("firstName", "Admin"));
	sb_rv_add(r, sb_rv_scalar("lastName", "Example"));
	/* the sandbox's partners enforce entitlements, as many accounts do */
	sb_rv_add(r, sb_rv_scalar("defaultEntitlementEnforcement", "1"));
	return r;
}

static int own_index(const sb_call *c)
{
	int i = sb_server_partner_index(c->srv, c->cfg->partner_id);
	return i < 0 ? 0 : i;
}

/* getAction: the id defaults to the KS's partner; one the KS's partner cannot see is
 * INVALID_PARTNER_ID, as a missing one. */
static int partner_get(sb_call *c)
{
	const char *id = sb_arg(c, "id");
	long long want = sb_arg_ll(c, "id", c->cfg->partner_id);
	if (want != c->cfg->partner_id)
		return sb_fail(c, "INVALID_PARTNER_ID", 1, id ? id : "");
	c->result = render(c, own_index(c), true, NULL);
	return 0;
}

/* getInfoAction is getAction() for the KS's own partner. */
static int partner_get_info(sb_call *c)
{
	c->result = render(c, own_index(c), true, NULL);
	return 0;
}

/* getSecretsAction: the admin's email and password for that partner (UserLoginDataPeer::
 * userLoginByEmail), else USER_DATA_ERROR for any reason; the KS is ignored. The server hands
 * the password back in cmsPassword. */
static int partner_get_secrets(sb_call *c)
{
	long long pid = sb_arg_ll(c, "partnerId", -1);
	const char *email = sb_arg(c, "adminEmail"), *password = sb_arg(c, "cmsPassword");
	int i = sb_server_partner_index(c->srv, pid);
	if (i < 0)
		return sb_fail(c, "USER_DATA_ERROR", 0);
	int before = sb_server_enter(c->srv, i);
	bool ok = svc_user_admin_login(c->srv, email, password, NULL);
	sb_server_enter(c->srv, before);
	if (!ok)
		return sb_fail(c, "USER_DATA_ERROR", 0);
	c->result = render(c, i, true, password);
	return 0;
}

/* listPartnersForUserAction: the KS user must exist in its partner (INVALID_USER_ID); the
 * partners are those where its login is an active admin (kuser::getAllowedPartnerIds), just
 * its own without a login; then partnerFilter and the pager. Lists carry no secrets here:
 * getSecrets and getInfo give them. */
static int partner_list_for_user(sb_call *c)
{
	char *login;
	const char *user = c->ks_info ? c->ks_info->user : NULL;
	int has = svc_user_login_of(c->srv, user, &login);
	if (has < 0)
		return sb_fail(c, "INVALID_USER_ID", 0);
	rvalue **objs = kt_xcalloc(SB_PARTNERS, sizeof *objs);
	size_t n = 0;
	for (int i = 0; i < SB_PARTNERS; i++) {
		int before = sb_server_enter(c->srv, i);
		bool allowed = has ? svc_user_active_admin(c->srv, login) : i == own_index(c);
		sb_server_enter(c->srv, before);
		if (allowed)
			objs[n++] = render(c, i, false, NULL);
	}
	free(login);
	return sb_list_by(c, "partnerFilter", objs, n, PARTNER_CLASS, "KalturaPartnerListResponse");
}

static void partner_seed(sb_server *srv, void *state)
{
	(void)srv;
	partner_state *st = state;
	st->created = (long long)time(NULL);
}

/* After deployment/permissions/service.partner.ini: get and getInfo need an admin role, getSecrets
 * is always allowed, listPartnersForUser needs a user session. */
static const sb_handler handlers[] = {
	{"partner", "get", partner_get, SB_ADMIN},
	{"partner", "getInfo", partner_get_info, SB_ADMIN},
	{"partner", "getSecrets", partner_get_secrets, SB_ANY},
	{"partner", "listPartnersForUser", partner_list_for_user, SB_USER},
	{NULL, NULL, NULL, SB_ANY},
};

const sb_service sb_partner_service = {"partner", handlers, sizeof(partner_state), partner_seed,
				       NULL};
