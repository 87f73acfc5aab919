/* sandbox_users: user and appToken services of the in-process sandbox. Codes and messages are
 * the catalogue's (schemas/kaltura.xml <errors>); app token hashes are computed here with
 * OpenSSL directly, as KALTURA.md section 5 defines them, not with ks_apptoken_hash. */
#include "sandbox/sandbox.h"

#include <criterion/criterion.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ks.h"
#include "response.h"
#include "transport.h"
#include "util.h"

#include "sandbox_fixture.h"

#define ADMIN SBT_ADMIN
#define USER SBT_USER
#define PID SBT_PID

TestSuite(sandbox_users, .init = sbt_start, .fini = sbt_stop);

typedef sbt_reply reply;

static void call(const char *sa, const char *body, reply *out)
{
	char *path = kt_xasprintf("/api_v3/service/%s", sa);
	sbt_post(path, body, "application/x-www-form-urlencoded", KT_FORMAT_XML, out);
	free(path);
}

#define done sbt_done
#define expect_error sbt_expect_error

static const char *field(const reply *r, const char *path)
{
	cr_assert(!response_error(&r->r), "error: %s", r->http.body.data);
	const rvalue *v = rvalue_path(r->r.result, path);
	cr_assert(v && v->kind == RV_SCALAR, "no %s in %s", path, r->http.body.data);
	return v->text;
}

/* A KS result as a malloc'd string. */
static char *ks_of(reply *r)
{
	cr_assert(!response_error(&r->r), "error: %s", r->http.body.data);
	cr_assert_eq(r->r.result->kind, RV_SCALAR, "%s", r->http.body.data);
	char *ks = kt_xstrdup(r->r.result->text);
	done(r);
	return ks;
}

static char *session(int type, const char *user)
{
	reply r;
	char *body = kt_xasprintf("partnerId=1234&secret=" ADMIN "&type=%d&userId=%s", type, user);
	call("session/action/start", body, &r);
	free(body);
	return ks_of(&r);
}

/* call() with "ks=KS&" in front of the body. */
static void kcall(const char *ks, const char *sa, const char *body, reply *out)
{
	char *b = kt_xasprintf("ks=%s&%s", ks, body);
	call(sa, b, out);
	free(b);
}

static void decode(const char *ks, ks_info *info)
{
	kt_error err;
	cr_assert_eq(ks_decode(ks, ADMIN, info, &err), 0, "%s", err.msg);
	cr_assert_eq(info->signature, KS_SIG_VALID);
}

Test(sandbox_users, seeded_admin_logs_in)
{
	reply r;
	call("user/action/loginByLoginId", "loginId=admin%40example.com&password=Demo-password-1",
	     &r);
	char *ks = ks_of(&r);
	ks_info info;
	decode(ks, &info);
	cr_assert_eq(info.partner_id, PID);
	cr_assert_str_eq(info.user, "admin@example.com");
	cr_assert_str_eq(info.privileges, "*"); /* the action's default */
	cr_assert_eq(info.type, KS_TYPE_ADMIN);
	ks_info_free(&info);
	free(ks);

	call("user/action/login", "partnerId=1234&userId=admin%40example.com&"
	     "password=Demo-password-1&privileges=disableentitlement&expiry=60", &r);
	ks = ks_of(&r);
	long long now = (long long)time(NULL);
	decode(ks, &info);
	cr_assert_str_eq(info.privileges, "disableentitlement");
	cr_assert(info.valid_until >= now + 55 && info.valid_until <= now + 65);
	ks_info_free(&info);
	free(ks);
}

Test(sandbox_users, login_errors)
{
	reply r;
	call("user/action/loginByLoginId", "loginId=admin%40example.com&password=wrong", &r);
	expect_error(&r, "USER_WRONG_PASSWORD", "Wrong password supplied");
	done(&r);
	call("user/action/loginByLoginId", "loginId=nobody%40example.com&password=x", &r);
	expect_error(&r, "USER_NOT_FOUND", "User was not found");
	done(&r);
	/* alice exists but has no login */
	call("user/action/login", "partnerId=1234&userId=alice&password=Demo-password-1", &r);
	expect_error(&r, "USER_NOT_FOUND", "User was not found");
	done(&r);
	call("user/action/login", "partnerId=99&userId=admin%40example.com&password=x", &r);
	expect_error(&r, "INVALID_PARTNER_ID", "Invalid partner id \"99\"");
	done(&r);
	call("user/action/loginByLoginId", "loginId=admin%40example.com", &r);
	expect_error(&r, "MISSING_MANDATORY_PARAMETER", "Missing parameter \"password\"");
	done(&r);
	/* a password is never echoed back */
	call("user/action/loginByLoginId", "loginId=admin%40example.com&password=Sekr1t-guess", &r);
	cr_assert(!strstr(r.http.body.data, "Sekr1t"));
	done(&r);
}

Test(sandbox_users, user_crud)
{
	char *ks = session(2, "admin");
	reply r;
	kcall(ks, "user/action/add", "user:objectType=KalturaUser&user:id=bob&user:firstName=Bob"
	      "&user:email=bob%40example.com&user:password=b0bs-secret&user:isAdmin=0", &r);
	cr_assert_str_eq(r.r.result->object_type, "KalturaUser");
	cr_assert_str_eq(r.r.result->children[0]->name, "id"); /* schema order after objectType */
	cr_assert_str_eq(field(&r, "id"), "bob");
	cr_assert_str_eq(field(&r, "partnerId"), "1234");
	cr_assert_str_eq(field(&r, "status"), "1");
	cr_assert_str_eq(field(&r, "loginEnabled"), "1");
	long long t;
	cr_assert(kt_parse_ll(field(&r, "createdAt"), &t) && t > 1600000000);
	cr_assert(!strstr(r.http.body.data, "b0bs-secret"), "password echoed");
	/* the server writes the write-only password as an empty element, never its value */
	cr_assert(strstr(r.http.body.data, "<password></password>"), "%s", r.http.body.data);
	done(&r);

	/* the new user can log in with the password given at add */
	call("user/action/login", "partnerId=1234&userId=bob&password=b0bs-secret", &r);
	char *bks = ks_of(&r);
	ks_info info;
	decode(bks, &info);
	cr_assert_eq(info.type, KS_TYPE_USER);
	cr_assert_str_eq(info.user, "bob");
	ks_info_free(&info);

	/* a USER KS reads itself but nobody else, and cannot manage users */
	kcall(bks, "user/action/get", "", &r);
	cr_assert_str_eq(field(&r, "id"), "bob");
	done(&r);
	kcall(bks, "user/action/get", "userId=alice", &r);
	expect_error(&r, "SERVICE_FORBIDDEN", "The access to service [user->get] is forbidden");
	done(&r);
	kcall(bks, "user/action/list", "", &r);
	expect_error(&r, "SERVICE_FORBIDDEN", NULL);
	done(&r);
	free(bks);

	kcall(ks, "user/action/update", "userId=bob&user:objectType=KalturaUser&user:lastName=B", &r);
	cr_assert_str_eq(field(&r, "lastName"), "B");
	cr_assert_str_eq(field(&r, "firstName"), "Bob");
	done(&r);
	kcall(ks, "user/action/get", "userId=bob", &r);
	cr_assert_str_eq(field(&r, "lastName"), "B");
	done(&r);

	kcall(ks, "user/action/delete", "userId=bob", &r);
	cr_assert_str_eq(field(&r, "status"), "2"); /* KalturaUserStatus DELETED */
	done(&r);
	kcall(ks, "user/action/get", "userId=bob", &r);
	expect_error(&r, "INVALID_USER_ID", "Invalid user id");
	done(&r);
	kcall(ks, "user/action/delete", "userId=bob", &r);
	expect_error(&r, "INVALID_USER_ID", NULL);
	done(&r);
	kcall(ks, "user/action/update", "userId=bob&user:objectType=KalturaUser&user:lastName=C",
	      &r);
	expect_error(&r, "INVALID_USER_ID", NULL);
	done(&r);
	free(ks);
}

Test(sandbox_users, user_add_errors)
{
	char *ks = session(2, "admin");
	reply r;
	kcall(ks, "user/action/add", "user:objectType=KalturaUser&user:id=alice", &r);
	expect_error(&r, "DUPLICATE_USER_BY_ID", "User with id [alice] already exists in system");
	done(&r);
	kcall(ks, "user/action/add", "user:objectType=KalturaUser&user:firstName=X", &r);
	expect_error(&r, "PROPERTY_VALIDATION_CANNOT_BE_NULL", "The property \"id\" cannot be null");
	done(&r);
	kcall(ks, "user/action/add", "user:objectType=KalturaUser&user:id=carol"
	      "&user:email=admin%40example.com&user:password=Other-pass-2", &r);
	expect_error(&r, "DUPLICATE_USER_BY_LOGIN_ID",
		     "Loginable user with email [admin@example.com] already exists in system");
	done(&r);
	kcall(ks, "user/action/add", "user:objectType=KalturaUser&user:id=carol"
	      "&user:email=c%40example.com&user:password=short", &r);
	expect_error(&r, "PASSWORD_STRUCTURE_INVALID", NULL);
	done(&r);
	kcall(ks, "user/action/add", "user:objectType=KalturaUser&user:id=carol&user:status=7", &r);
	expect_error(&r, "INVALID_ENUM_VALUE",
		     "Invalid enumeration value \"7\" for parameter \"status\", expecting "
		     "enumeration type \"KalturaUserStatus\"");
	done(&r);
	kcall(ks, "user/action/add", "user:objectType=KalturaUser&user:id=carol&user:isAdmin=maybe",
	      &r);
	expect_error(&r, "INVALID_PARAMETER_VALUE", "invalid value for parameter \"user:isAdmin\"");
	done(&r);
	kcall(ks, "user/action/add", "user:objectType=KalturaUser&user:id=carol&user:partnerId=5",
	      &r);
	expect_error(&r, "PROPERTY_VALIDATION_NOT_UPDATABLE",
		     "The property \"partnerId\" cannot be updated");
	done(&r);
	kcall(ks, "user/action/add", "user:objectType=KalturaCategory&user:id=carol", &r);
	expect_error(&r, "INVALID_OBJECT_TYPE", NULL);
	done(&r);
	call("user/action/add", "user:objectType=KalturaUser&user:id=carol", &r);
	expect_error(&r, "MISSING_KS", NULL);
	done(&r);
	/* none of the refused adds left a user behind */
	kcall(ks, "user/action/get", "userId=carol", &r);
	expect_error(&r, "INVALID_USER_ID", NULL);
	done(&r);
	/* a refused update changes nothing */
	kcall(ks, "user/action/update", "userId=alice&user:objectType=KalturaUser&user:lastName=Z"
	      "&user:isGuest=1", &r);
	expect_error(&r, "PROPERTY_VALIDATION_NOT_UPDATABLE", NULL);
	done(&r);
	kcall(ks, "user/action/get", "userId=alice", &r);
	cr_assert_str_neq(field(&r, "lastName"), "Z");
	done(&r);
	free(ks);
}

Test(sandbox_users, user_list_filter_and_pager)
{
	char *ks = session(2, "admin");
	reply r;
	kcall(ks, "user/action/list", "", &r);
	cr_assert_str_eq(r.r.result->object_type, "KalturaUserListResponse");
	cr_assert_str_eq(field(&r, "totalCount"), "2");
	cr_assert_str_eq(field(&r, "objects:0:id"), "alice");
	cr_assert_str_eq(field(&r, "objects:1:id"), "admin@example.com");
	done(&r);
	for (int i = 0; i < 4; i++) {
		char *b = kt_xasprintf("user:objectType=KalturaUser&user:id=u%d", i);
		kcall(ks, "user/action/add", b, &r);
		free(b);
		field(&r, "id");
		done(&r);
	}
	kcall(ks, "user/action/list", "pager:pageSize=2&pager:pageIndex=2", &r);
	cr_assert_str_eq(field(&r, "totalCount"), "6");
	cr_assert_str_eq(field(&r, "objects:0:id"), "u0");
	cr_assert_str_eq(field(&r, "objects:1:id"), "u1");
	cr_assert_null(rvalue_path(r.r.result, "objects:2"));
	done(&r);
	kcall(ks, "user/action/list", "pager:pageSize=2&pager:pageIndex=9", &r);
	cr_assert_str_eq(field(&r, "totalCount"), "6");
	cr_assert_null(rvalue_path(r.r.result, "objects:0"));
	done(&r);
	kcall(ks, "user/action/list", "filter:objectType=KalturaUserFilter&filter:idIn=u3,%20alice,zz",
	      &r);
	cr_assert_str_eq(field(&r, "totalCount"), "2");
	cr_assert_str_eq(field(&r, "objects:0:id"), "alice");
	cr_assert_str_eq(field(&r, "objects:1:id"), "u3");
	done(&r);
	kcall(ks, "user/action/list", "filter:objectType=KalturaUserFilter&filter:idEqual=u2", &r);
	cr_assert_str_eq(field(&r, "totalCount"), "1");
	done(&r);
	kcall(ks, "user/action/list", "filter:objectType=KalturaUserFilter&filter:isAdminEqual=1",
	      &r);
	cr_assert_str_eq(field(&r, "totalCount"), "1");
	cr_assert_str_eq(field(&r, "objects:0:id"), "admin@example.com");
	done(&r);
	kcall(ks, "user/action/list", "filter:objectType=KalturaCategoryFilter", &r);
	expect_error(&r, "INVALID_OBJECT_TYPE", "Invalid object type \"KalturaCategoryFilter\"");
	done(&r);
	free(ks);
}

static char *sha256_hex(const char *a, const char *b)
{
	unsigned char md[32];
	unsigned int n;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	cr_assert(ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) &&
		  EVP_DigestUpdate(ctx, a, strlen(a)) && EVP_DigestUpdate(ctx, b, strlen(b)) &&
		  EVP_DigestFinal_ex(ctx, md, &n));
	EVP_MD_CTX_free(ctx);
	char *hex = kt_xmalloc(65);
	kt_hex(md, 32, hex);
	return hex;
}

static char *widget_ks(void)
{
	reply r;
	call("session/action/startWidgetSession", "widgetId=_1234", &r);
	char *ks = kt_xstrdup(field(&r, "ks"));
	done(&r);
	return ks;
}

Test(sandbox_users, seeded_token_starts_session)
{
	char *ks = session(2, "admin");
	reply r;
	kcall(ks, "appToken/action/list", "", &r);
	cr_assert_str_eq(r.r.result->object_type, "KalturaAppTokenListResponse");
	cr_assert_str_eq(field(&r, "totalCount"), "1");
	cr_assert_str_eq(field(&r, "objects:0:hashType"), "SHA256");
	cr_assert_str_eq(field(&r, "objects:0:sessionType"), "0");
	cr_assert_str_eq(field(&r, "objects:0:status"), "2");
	char *id = kt_xstrdup(field(&r, "objects:0:id"));
	char *token = kt_xstrdup(field(&r, "objects:0:token"));
	done(&r);
	cr_assert_eq(strlen(token), 32);
	cr_assert_eq(strspn(token, "0123456789abcdef"), 32);

	char *wks = widget_ks();
	char *hash = sha256_hex(wks, token);
	char *body = kt_xasprintf("id=%s&tokenHash=%s&userId=viewer", id, hash);
	kcall(wks, "appToken/action/startSession", body, &r);
	cr_assert_str_eq(r.r.result->object_type, "KalturaSessionInfo");
	char *priv = kt_xasprintf("sessionid:%s,apptoken:%s", id, id);
	cr_assert_str_eq(field(&r, "privileges"), priv);
	cr_assert_str_eq(field(&r, "sessionType"), "0");
	cr_assert_str_eq(field(&r, "userId"), "viewer");
	char *aks = kt_xstrdup(field(&r, "ks"));
	done(&r);
	ks_info info;
	decode(aks, &info);
	cr_assert_str_eq(info.privileges, priv);
	cr_assert_str_eq(info.user, "viewer");
	cr_assert_eq(info.type, KS_TYPE_USER);
	ks_info_free(&info);

	/* an uppercase or wrong hash, or one made over another KS, is refused */
	char *bad = kt_xstrdup(hash);
	bad[0] = bad[0] == 'a' ? 'b' : 'a';
	char *b2 = kt_xasprintf("id=%s&tokenHash=%s", id, bad);
	kcall(wks, "appToken/action/startSession", b2, &r);
	expect_error(&r, "INVALID_APP_TOKEN_HASH", "Invalid application token hash");
	done(&r);
	kcall(ks, "appToken/action/startSession", body, &r);
	expect_error(&r, "INVALID_APP_TOKEN_HASH", NULL);
	done(&r);
	kcall(wks, "appToken/action/startSession", "id=0_nope&tokenHash=00", &r);
	expect_error(&r, "APP_TOKEN_ID_NOT_FOUND", "Application token id \"0_nope\" not found");
	done(&r);
	call("appToken/action/startSession", body, &r);
	expect_error(&r, "MISSING_KS", NULL);
	done(&r);
	/* a widget KS cannot manage tokens */
	kcall(wks, "appToken/action/list", "", &r);
	expect_error(&r, "SERVICE_FORBIDDEN", "The access to service [apptoken->list] is forbidden");
	done(&r);

	/* deleting the token voids the KSs it issued */
	kcall(aks, "session/action/get", "", &r);
	cr_assert_str_eq(field(&r, "userId"), "viewer");
	done(&r);
	char *idb = kt_xasprintf("id=%s", id);
	kcall(ks, "appToken/action/delete", idb, &r);
	cr_assert_eq(r.r.result->kind, RV_NULL, "%s", r.http.body.data);
	done(&r);
	kcall(aks, "session/action/get", "", &r);
	char *msg = kt_xstrdup("Invalid KS \"LOGOUT\", Error \"-1,INVALID_STR\"");
	expect_error(&r, "INVALID_KS", msg);
	done(&r);
	kcall(ks, "appToken/action/get", idb, &r);
	expect_error(&r, "APP_TOKEN_ID_NOT_FOUND", NULL);
	done(&r);
	kcall(ks, "appToken/action/delete", idb, &r);
	expect_error(&r, "APP_TOKEN_ID_NOT_FOUND", NULL);
	done(&r);
	kcall(wks, "appToken/action/startSession", body, &r);
	expect_error(&r, "APP_TOKEN_ID_NOT_FOUND", NULL);
	done(&r);
	/* other KSs are untouched */
	kcall(ks, "session/action/get", "", &r);
	field(&r, "ks");
	done(&r);

	free(msg), free(idb), free(b2), free(bad), free(aks), free(priv), free(body);
	free(hash), free(wks), free(token), free(id), free(ks);
}

Test(sandbox_users, token_crud_and_expiry)
{
	char *ks = session(2, "admin");
	reply r;
	kcall(ks, "appToken/action/add", "appToken:objectType=KalturaAppToken&appToken:hashType=MD5"
	      "&appToken:sessionType=2&appToken:sessionPrivileges=disableentitlement"
	      "&appToken:sessionUserId=svc&appToken:description=ci", &r);
	cr_assert_str_eq(r.r.result->object_type, "KalturaAppToken");
	cr_assert_str_eq(r.r.result->children[0]->name, "id");
	cr_assert_str_eq(field(&r, "status"), "2");
	cr_assert_str_eq(field(&r, "partnerId"), "1234");
	cr_assert_str_eq(field(&r, "hashType"), "MD5");
	char *id = kt_xstrdup(field(&r, "id"));
	char *token = kt_xstrdup(field(&r, "token"));
	cr_assert_eq(strlen(token), 32);
	done(&r);

	char *idb = kt_xasprintf("id=%s", id);
	kcall(ks, "appToken/action/get", idb, &r);
	cr_assert_str_eq(field(&r, "description"), "ci");
	cr_assert_str_eq(field(&r, "token"), token);
	done(&r);
	kcall(ks, "appToken/action/list", "filter:objectType=KalturaAppTokenFilter"
	      "&filter:sessionUserIdEqual=svc", &r);
	cr_assert_str_eq(field(&r, "totalCount"), "1");
	cr_assert_str_eq(field(&r, "objects:0:id"), id);
	done(&r);

	/* MD5 over the request's KS + token (checked with MD5 independently here) */
	unsigned char md[16];
	unsigned int n;
	char hex[33];
	char *cat = kt_xasprintf("%s%s", ks, token);
	cr_assert(EVP_Digest(cat, strlen(cat), md, &n, EVP_md5(), NULL));
	kt_hex(md, 16, hex);
	char *body = kt_xasprintf("id=%s&tokenHash=%s&userId=other&sessionPrivileges="
				  "apptoken:forged", id, hex);
	kcall(ks, "appToken/action/startSession", body, &r);
	cr_assert_str_eq(field(&r, "sessionType"), "2");
	cr_assert_str_eq(field(&r, "userId"), "svc"); /* the token's user wins */
	/* AppTokenService::startSessionAction: sessionid, apptoken, then the token's */
	char *priv = kt_xasprintf("sessionid:%s,apptoken:%s,disableentitlement", id, id);
	ks_info info;
	decode(field(&r, "ks"), &info);
	cr_assert_str_eq(info.privileges, priv, "%s", info.privileges);
	ks_info_free(&info);
	done(&r);

	kcall(ks, "appToken/action/update", "id=nope&appToken:objectType=KalturaAppToken", &r);
	expect_error(&r, "APP_TOKEN_ID_NOT_FOUND", NULL);
	done(&r);
	char *upd = kt_xasprintf("id=%s&appToken:objectType=KalturaAppToken&appToken:hashType=SHA3",
				 id);
	kcall(ks, "appToken/action/update", upd, &r);
	expect_error(&r, "INVALID_ENUM_VALUE", NULL);
	done(&r);
	free(upd);
	upd = kt_xasprintf("id=%s&appToken:objectType=KalturaAppToken&appToken:status=1", id);
	kcall(ks, "appToken/action/update", upd, &r);
	expect_error(&r, "PROPERTY_VALIDATION_NOT_UPDATABLE", NULL);
	done(&r);
	free(upd);
	upd = kt_xasprintf("id=%s&appToken:objectType=KalturaAppToken&appToken:expiry=1000", id);
	kcall(ks, "appToken/action/update", upd, &r);
	cr_assert_str_eq(field(&r, "expiry"), "1000");
	done(&r);
	kcall(ks, "appToken/action/startSession", body, &r);
	char *msg = kt_xasprintf("Application token id \"%s\" expired", id);
	expect_error(&r, "APP_TOKEN_EXPIRED", msg);
	done(&r);

	free(msg), free(upd), free(priv), free(body), free(cat), free(idb), free(token), free(id);
	free(ks);
}

Test(sandbox_users, extreme_numbers)
{
	reply r;
	long long now = (long long)time(NULL);
	call("user/action/login", "partnerId=1234&userId=admin%40example.com"
	     "&password=Demo-password-1&expiry=9223372036854775807", &r);
	char *ks = ks_of(&r);
	ks_info info;
	decode(ks, &info);
	/* capped at ten years instead of overflowing */
	cr_assert(info.valid_until > now && info.valid_until <= now + 10LL * 365 * 86400 + 5);
	ks_info_free(&info);
	free(ks);
	call("user/action/login", "partnerId=1234&userId=admin%40example.com"
	     "&password=Demo-password-1&expiry=-5", &r);
	ks = ks_of(&r);
	decode(ks, &info);
	/* taken as given (kSessionUtils::createKSession: now + expiry): already expired */
	cr_assert(info.valid_until >= now - 5 && info.valid_until <= now);
	ks_info_free(&info);
	free(ks);
	call("user/action/login", "partnerId=1234&userId=admin%40example.com"
	     "&password=Demo-password-1&expiry=99999999999999999999", &r);
	expect_error(&r, "INVALID_PARAMETER_VALUE", NULL);
	done(&r);

	ks = session(2, "admin");
	kcall(ks, "user/action/list", "pager:pageSize=-1&pager:pageIndex=9223372036854775807",
	      &r);
	cr_assert_str_eq(field(&r, "totalCount"), "2");
	cr_assert_null(rvalue_path(r.r.result, "objects:0"));
	done(&r);
	/* nested properties are typed like top-level parameters */
	kcall(ks, "user/action/list", "pager:pageSize=junk&pager:pageIndex=junk", &r);
	expect_error(&r, "INVALID_PARAMETER_VALUE",
		     "invalid value for parameter \"pager:pageSize\"");
	done(&r);
	free(ks);
}

Test(sandbox_users, token_limits_session_length)
{
	char *ks = session(2, "admin");
	reply r;
	long long now = (long long)time(NULL);
	char *add = kt_xasprintf("appToken:objectType=KalturaAppToken&appToken:hashType=SHA256"
				 "&appToken:sessionDuration=600&appToken:expiry=%lld", now + 300);
	kcall(ks, "appToken/action/add", add, &r);
	char *id = kt_xstrdup(field(&r, "id"));
	char *token = kt_xstrdup(field(&r, "token"));
	done(&r);
	char *hash = sha256_hex(ks, token);
	/* asks for a day, an admin type and a user: gets the token's limits */
	char *body = kt_xasprintf("id=%s&tokenHash=%s&expiry=86400&type=2&userId=u1", id, hash);
	kcall(ks, "appToken/action/startSession", body, &r);
	cr_assert_str_eq(field(&r, "sessionType"), "0");
	cr_assert_str_eq(field(&r, "userId"), "u1");
	long long exp;
	cr_assert(kt_parse_ll(field(&r, "expiry"), &exp));
	cr_assert(exp > now && exp <= now + 305, "expiry %lld, now %lld", exp, now);
	done(&r);
	free(body), free(hash), free(token), free(id), free(add), free(ks);
}

/* Each thread adds 10 users with ids from one shared counter. */
static void *adder(void *arg)
{
	const char *ks = arg;
	static int next;
	for (int i = 0; i < 10; i++) {
		int n = __atomic_add_fetch(&next, 1, __ATOMIC_SEQ_CST);
		char *url = kt_xasprintf("%s/api_v3/service/user/action/add", sandbox_url());
		char *body = kt_xasprintf("ks=%s&user:objectType=KalturaUser&user:id=t%d", ks, n);
		tp_response http;
		tp_response_init(&http);
		kt_error err;
		/* the count in the list afterwards is the check */
		(void)tp_perform(url, body, "application/x-www-form-urlencoded", NULL, &http, &err);
		tp_response_free(&http);
		free(body);
		free(url);
	}
	return NULL;
}

Test(sandbox_users, concurrent_adds)
{
	char *ks = session(2, "admin");
	pthread_t th[4];
	for (int i = 0; i < 4; i++)
		cr_assert_eq(pthread_create(&th[i], NULL, adder, ks), 0);
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	reply r;
	kcall(ks, "user/action/list", "pager:pageSize=500", &r);
	cr_assert_str_eq(field(&r, "totalCount"), "42");
	done(&r);
	free(ks);
}
