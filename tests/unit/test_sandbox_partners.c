/* sandbox_partners: the partner service and the second demo partner of the in-process sandbox
 * (the sign-in flow: user.loginByLoginId, partner.listPartnersForUser, partner.getSecrets,
 * session.start on the partner picked). Codes and messages are the catalogue's. */
#include "sandbox/sandbox.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ks.h"
#include "response.h"
#include "util.h"

#include "sandbox_fixture.h"

#define SECOND (SBT_PID + 1)

TestSuite(sandbox_partners, .init = sbt_start, .fini = sbt_stop);

static void call(const char *sa, const char *body, sbt_reply *out)
{
	char *path = kt_xasprintf("/api_v3/service/%s", sa);
	sbt_post(path, body, "application/x-www-form-urlencoded", KT_FORMAT_XML, out);
	free(path);
}

static char *text(const sbt_reply *r, const char *path)
{
	cr_assert(!response_error(&r->r), "error: %s", r->http.body.data);
	const rvalue *v = rvalue_path(r->r.result, path);
	cr_assert(v && v->kind == RV_SCALAR, "no %s in %s", path, r->http.body.data);
	return kt_xstrdup(v->text);
}

static char *ks_call(const char *sa, const char *body)
{
	sbt_reply r;
	call(sa, body, &r);
	cr_assert(!response_error(&r.r), "error: %s", r.http.body.data);
	cr_assert_eq(r.r.result->kind, RV_SCALAR);
	char *ks = kt_xstrdup(r.r.result->text);
	sbt_done(&r);
	return ks;
}

static char *login(void)
{
	return ks_call("user/action/loginByLoginId",
		       "loginId=admin@example.com&password=" SBT_PASSWORD);
}

Test(sandbox_partners, sign_in_lists_two_partners_and_the_second_works)
{
	char *ks = login();
	sbt_reply r;
	char *body = kt_xasprintf("ks=%s", ks);
	call("partner/action/listPartnersForUser", body, &r);
	free(body);
	char *total = text(&r, "totalCount"), *first = text(&r, "objects:0:id"),
	     *second = text(&r, "objects:1:id"), *name = text(&r, "objects:1:name");
	cr_assert_str_eq(total, "2");
	cr_assert_eq(atoll(first), SBT_PID);
	cr_assert_eq(atoll(second), SECOND);
	cr_assert_str_eq(name, "Second demo partner");
	/* a list carries no secrets */
	cr_assert_null(strstr(r.http.body.data, SBT_ADMIN));
	const rvalue *sec = rvalue_path(r.r.result, "objects:1:adminSecret");
	cr_assert(!sec || sec->kind == RV_NULL || !sec->text || !*sec->text);
	free(total), free(first), free(second), free(name);
	sbt_done(&r);

	/* the filter applies (partnerFilter) */
	body = kt_xasprintf("ks=%s&partnerFilter:objectType=KalturaPartnerFilter&"
			    "partnerFilter:idEqual=%d", ks, SECOND);
	call("partner/action/listPartnersForUser", body, &r);
	free(body);
	total = text(&r, "totalCount");
	cr_assert_str_eq(total, "1");
	free(total);
	sbt_done(&r);
	free(ks);

	body = kt_xasprintf("partnerId=%d&adminEmail=admin@example.com&cmsPassword=" SBT_PASSWORD,
			    SECOND);
	call("partner/action/getSecrets", body, &r);
	free(body);
	char *admin = text(&r, "adminSecret"), *user = text(&r, "secret"), *id = text(&r, "id");
	cr_assert_eq(atoll(id), SECOND);
	cr_assert_str_neq(admin, SBT_ADMIN, "the second partner has secrets of its own");
	cr_assert_eq(strlen(admin), 32);
	sbt_done(&r);

	/* session.start on the second partner, and that KS works there */
	body = kt_xasprintf("partnerId=%d&secret=%s&type=2", SECOND, admin);
	char *ks2 = ks_call("session/action/start", body);
	free(body);
	ks_info info;
	cr_assert_eq(ks_decode(ks2, admin, &info, NULL), 0);
	cr_assert_eq(info.partner_id, SECOND);
	cr_assert_eq(info.signature, KS_SIG_VALID);
	ks_info_free(&info);
	body = kt_xasprintf("ks=%s", ks2);
	call("partner/action/getInfo", body, &r);
	char *pid = text(&r, "id"), *adm = text(&r, "adminSecret");
	cr_assert_eq(atoll(pid), SECOND);
	cr_assert_str_eq(adm, admin);
	free(pid), free(adm);
	sbt_done(&r);
	call("category/action/list", body, &r);
	char *cat_partner = text(&r, "objects:0:partnerId");
	cr_assert_eq(atoll(cat_partner), SECOND, "the second partner has data of its own");
	free(cat_partner);
	sbt_done(&r);
	free(body);

	/* the user secret gives a USER session only; the main partner's secret does not open it */
	body = kt_xasprintf("partnerId=%d&secret=%s&type=0", SECOND, user);
	free(ks_call("session/action/start", body));
	free(body);
	body = kt_xasprintf("partnerId=%d&secret=" SBT_ADMIN "&type=2", SECOND);
	call("session/action/start", body, &r);
	free(body);
	sbt_expect_error(&r, "START_SESSION_ERROR", NULL);
	sbt_done(&r);
	free(ks2), free(admin), free(user), free(id);
}

Test(sandbox_partners, get_secrets_refuses_wrong_data)
{
	sbt_reply r;
	char *body = kt_xasprintf("partnerId=%d&adminEmail=admin@example.com&cmsPassword=nope",
				  SBT_PID);
	call("partner/action/getSecrets", body, &r);
	free(body);
	sbt_expect_error(&r, "USER_DATA_ERROR", "User data is not valid.");
	sbt_done(&r);
	call("partner/action/getSecrets",
	     "partnerId=999&adminEmail=admin@example.com&cmsPassword=" SBT_PASSWORD, &r);
	sbt_expect_error(&r, "USER_DATA_ERROR", NULL);
	sbt_done(&r);
	/* alice has no login: no secrets through her */
	body = kt_xasprintf("partnerId=%d&adminEmail=alice@example.com&cmsPassword=x", SBT_PID);
	call("partner/action/getSecrets", body, &r);
	free(body);
	sbt_expect_error(&r, "USER_DATA_ERROR", NULL);
	sbt_done(&r);
}

Test(sandbox_partners, get_and_access)
{
	char *body = kt_xasprintf("partnerId=%d&secret=" SBT_ADMIN "&type=2", SBT_PID);
	char *admin = ks_call("session/action/start", body);
	free(body);
	body = kt_xasprintf("partnerId=%d&secret=" SBT_USER "&type=0&userId=alice", SBT_PID);
	char *user = ks_call("session/action/start", body);
	free(body);
	sbt_reply r;

	body = kt_xasprintf("ks=%s", admin);
	call("partner/action/get", body, &r);
	char *id = text(&r, "id"), *sec = text(&r, "adminSecret");
	cr_assert_eq(atoll(id), SBT_PID);
	cr_assert_str_eq(sec, SBT_ADMIN);
	free(id), free(sec);
	sbt_done(&r);
	free(body);
	body = kt_xasprintf("ks=%s&id=%d", admin, SBT_PID + 1);
	call("partner/action/get", body, &r);
	free(body);
	char msg[64];
	snprintf(msg, sizeof msg, "Invalid partner id \"%d\"", SBT_PID + 1);
	sbt_expect_error(&r, "INVALID_PARTNER_ID", msg);
	sbt_done(&r);

	/* a USER session may not read the account; it may list its partners, if it is a user */
	body = kt_xasprintf("ks=%s", user);
	call("partner/action/getInfo", body, &r);
	sbt_expect_error(&r, "SERVICE_FORBIDDEN", NULL);
	sbt_done(&r);
	call("partner/action/listPartnersForUser", body, &r);
	char *total = text(&r, "totalCount"), *only = text(&r, "objects:0:id");
	cr_assert_str_eq(total, "1", "alice has no login: her own partner only");
	cr_assert_eq(atoll(only), SBT_PID);
	free(total), free(only);
	sbt_done(&r);
	free(body);
	body = kt_xasprintf("partnerId=%d&secret=" SBT_ADMIN "&type=2&userId=nobody", SBT_PID);
	char *nobody = ks_call("session/action/start", body);
	free(body);
	body = kt_xasprintf("ks=%s", nobody);
	call("partner/action/listPartnersForUser", body, &r);
	sbt_expect_error(&r, "INVALID_USER_ID", "Invalid user id");
	sbt_done(&r);
	free(body);
	/* no KS at all */
	call("partner/action/getInfo", "", &r);
	sbt_expect_error(&r, "MISSING_KS", NULL);
	sbt_done(&r);
	free(admin), free(user), free(nobody);
}
