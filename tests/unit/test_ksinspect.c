#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ksgen.h"
#include "ksinspect.h"

#define NOW 1800000000LL
#define SECRET "0123456789abcdef0123456789abcdef"

static char *make(int version, int type, const char *user, const char *privs, long long vu)
{
	ks_fields f = {.version = version, .partner_id = 1234, .valid_until = vu, .type = type,
		       .user = user, .privileges = privs};
	char *ks;
	cr_assert_eq(ks_generate(&f, SECRET, &ks, NULL), 0);
	return ks;
}

static void inspect(const char *ks, const char *secret, const ksi_context *ctx, ksi_report *r)
{
	ks_info info;
	cr_assert_eq(ks_decode(ks, secret, &info, NULL), 0);
	ksi_inspect(&info, secret != NULL, ctx, r);
	ks_info_free(&info);
}

static const char *field(const ksi_report *r, const char *label)
{
	for (int i = 0; i < r->nfields; i++)
		if (!strcmp(r->fields[i].label, label))
			return r->fields[i].value;
	return NULL;
}

Test(ksinspect, countdown_text)
{
	char s[64];
	ksi_countdown(NOW + 90061, NOW, s, sizeof s);
	cr_assert_str_eq(s, "expires in 1 day 1 hour");
	ksi_countdown(NOW - 300, NOW, s, sizeof s);
	cr_assert_str_eq(s, "expired 5 minutes ago");
	ksi_countdown(NOW, NOW, s, sizeof s);
	cr_assert(strstr(s, "expired"));
	ksi_countdown(9223372036854775807LL, NOW, s, sizeof s);
	cr_assert(strstr(s, "expires in"));
}

Test(ksinspect, a_careful_user_ks_has_no_warning)
{
	char *ks = make(2, KS_TYPE_USER, "alice@example.com", "appid:kms-example.com,sview:0_a",
			NOW + 3600);
	ksi_context ctx = {.now = NOW, .session_partner = 1234};
	ksi_report r;
	inspect(ks, SECRET, &ctx, &r);
	cr_assert_eq(r.nwarnings, 0, "%s", r.nwarnings ? r.warnings[0].text : "");
	cr_assert_str_eq(field(&r, "Partner"), "1234");
	cr_assert_str_eq(field(&r, "Type"), "USER (0)");
	cr_assert_str_eq(field(&r, "User"), "alice@example.com");
	cr_assert_str_eq(field(&r, "Expiry"), "expires in 1 hour");
	cr_assert_str_eq(field(&r, "Signature"), "valid");
	cr_assert_eq(r.nprivs, 2);
	cr_assert_str_eq(r.privs[1].item, "sview:0_a");
	cr_assert(strstr(r.privs[1].meaning, "0_a"));
	ksi_report_free(&r);
	free(ks);
}

Test(ksinspect, admin_shared_user_no_appid_long_expiry)
{
	char *ks = make(1, KS_TYPE_ADMIN, "admin", "disableentitlement", NOW + 30 * 86400);
	ksi_context ctx = {.now = NOW, .session_partner = -1};
	ksi_report r;
	inspect(ks, SECRET, &ctx, &r);
	cr_assert(ksi_has(&r, KSI_W_ADMIN));
	cr_assert(ksi_has(&r, KSI_W_SHARED_USER));
	cr_assert(ksi_has(&r, KSI_W_NO_APPID));
	cr_assert(ksi_has(&r, KSI_W_LONG_EXPIRY));
	cr_assert_not(ksi_has(&r, KSI_W_EXPIRED));
	cr_assert_not(ksi_has(&r, KSI_W_OTHER_PARTNER));
	char *text = ksi_render(&r);
	cr_assert(strstr(text, "Type: ADMIN (2)\n"));
	cr_assert(strstr(text, "privilege disableentitlement: Entitlement enforcement off"));
	cr_assert(strstr(text, "warning: An ADMIN KS"));
	free(text);
	ksi_report_free(&r);
	free(ks);

	/* the partner id as user id is shared too; an empty one is its own warning */
	ks = make(2, KS_TYPE_USER, "1234", "appid:a-b.c", NOW + 60);
	inspect(ks, SECRET, &ctx, &r);
	cr_assert(ksi_has(&r, KSI_W_SHARED_USER));
	ksi_report_free(&r);
	free(ks);
	ks = make(2, KS_TYPE_USER, "", "appid:a-b.c", NOW + 60);
	inspect(ks, SECRET, &ctx, &r);
	cr_assert(ksi_has(&r, KSI_W_NO_USER));
	cr_assert_not(ksi_has(&r, KSI_W_SHARED_USER));
	cr_assert_str_eq(field(&r, "User"), "(none)");
	cr_assert_str_eq(field(&r, "Privileges"), "appid:a-b.c");
	ksi_report_free(&r);
	free(ks);
}

Test(ksinspect, expired_other_partner)
{
	char *ks = make(2, KS_TYPE_USER, "bob", "appid:a-b.c", NOW - 120);
	ksi_context ctx = {.now = NOW, .session_partner = 99};
	ksi_report r;
	inspect(ks, SECRET, &ctx, &r);
	cr_assert(ksi_has(&r, KSI_W_EXPIRED));
	cr_assert(ksi_has(&r, KSI_W_OTHER_PARTNER));
	cr_assert_not(ksi_has(&r, KSI_W_LONG_EXPIRY));
	cr_assert_str_eq(field(&r, "Expiry"), "expired 2 minutes ago");
	ksi_report_free(&r);
	free(ks);
}

Test(ksinspect, unreadable_and_bad_signature)
{
	char *ks = make(2, KS_TYPE_USER, "bob", NULL, NOW + 60);
	ksi_context ctx = {.now = NOW, .session_partner = -1};
	ksi_report r;
	inspect(ks, NULL, &ctx, &r);
	cr_assert(ksi_has(&r, KSI_W_UNREADABLE));
	cr_assert(strstr(r.warnings[0].text, "encrypted"));
	cr_assert_null(field(&r, "User"));
	cr_assert_eq(r.nprivs, 0);
	ksi_report_free(&r);
	inspect(ks, "wrong", &ctx, &r);
	cr_assert(ksi_has(&r, KSI_W_UNREADABLE));
	cr_assert(strstr(r.warnings[0].text, "does not decrypt"));
	ksi_report_free(&r);
	free(ks);

	ks = make(1, KS_TYPE_USER, "bob", NULL, NOW + 60);
	inspect(ks, "wrong", &ctx, &r);
	cr_assert(ksi_has(&r, KSI_W_BAD_SIGNATURE));
	ksi_report_free(&r);
	free(ks);
}

Test(ksinspect, invalid_ks_from_another_deployment)
{
	char *ks = make(2, KS_TYPE_USER, "bob", "appid:a-b.c", NOW + 600);
	ksi_context ctx = {.now = NOW, .session_partner = -1, .error_code = "INVALID_KS"};
	char msg[2048];
	snprintf(msg, sizeof msg, "Invalid KS \"%s\", Error \"-1,INVALID_STR\"", ks);
	ctx.error_message = msg;
	ksi_report r;
	inspect(ks, SECRET, &ctx, &r);
	cr_assert(ksi_has(&r, KSI_W_OTHER_DEPLOYMENT));
	ksi_report_free(&r);
	/* refused for what it is (ended, expired by the server's clock): not another deployment */
	ctx.error_message = "Invalid KS \"LOGOUT\", Error \"-1,INVALID_STR\"";
	inspect(ks, SECRET, &ctx, &r);
	cr_assert_not(ksi_has(&r, KSI_W_OTHER_DEPLOYMENT));
	ksi_report_free(&r);
	ctx.error_message = "Invalid KS \"x\", Error \"-5,EXPIRED\"";
	inspect(ks, SECRET, &ctx, &r);
	cr_assert_not(ksi_has(&r, KSI_W_OTHER_DEPLOYMENT));
	ksi_report_free(&r);
	ctx.error_code = "CATEGORY_NOT_FOUND";
	ctx.error_message = msg;
	inspect(ks, SECRET, &ctx, &r);
	cr_assert_not(ksi_has(&r, KSI_W_OTHER_DEPLOYMENT));
	ksi_report_free(&r);
	free(ks);
}

Test(ksinspect, control_bytes_escaped)
{
	char *ks = make(2, KS_TYPE_USER, "ad\033[2Jmin", "x:\033]0;t\a", NOW + 60);
	ksi_context ctx = {.now = NOW, .session_partner = -1};
	ksi_report r;
	inspect(ks, SECRET, &ctx, &r);
	char *text = ksi_render(&r);
	cr_assert_null(strchr(text, '\033'));
	cr_assert_null(strchr(text, '\a'));
	cr_assert(strstr(text, "ad\\x1b[2Jmin"));
	free(text);
	ksi_report_free(&r);
	free(ks);
}

/* ---- ksgen ---- */

Test(ksgen, make_checks_each_field)
{
	kt_error err;
	char *ks;
	ksgen_request q = {.partner_id = "1234", .secret = SECRET, .type = "admin", .user = "u",
			   .expiry = "600", .privileges = " disableentitlement , * "};
	cr_assert_eq(ksgen_make(&q, NOW, &ks, &err), 0, "%s", err.msg);
	ks_info info;
	cr_assert_eq(ks_decode(ks, SECRET, &info, NULL), 0);
	cr_assert_eq(info.version, 2);
	cr_assert_eq(info.type, KS_TYPE_ADMIN);
	cr_assert_eq(info.valid_until, NOW + 600);
	cr_assert_str_eq(info.privileges, "disableentitlement,all:*");
	ks_info_free(&info);
	free(ks);

	ksgen_request bad = q;
	bad.partner_id = "x";
	cr_assert_eq(ksgen_make(&bad, NOW, &ks, &err), -1);
	cr_assert(strstr(err.msg, "partner id"));
	bad = q;
	bad.secret = "";
	cr_assert_eq(ksgen_make(&bad, NOW, &ks, &err), -1);
	bad = q;
	bad.type = "root";
	cr_assert_eq(ksgen_make(&bad, NOW, &ks, &err), -1);
	cr_assert(strstr(err.msg, "'root'"));
	bad = q;
	bad.expiry = "-5";
	cr_assert_eq(ksgen_make(&bad, NOW, &ks, &err), -1);
	bad = q;
	bad.privileges = "actionslimit:many";
	cr_assert_eq(ksgen_make(&bad, NOW, &ks, &err), -1);
	cr_assert(strstr(err.msg, "actionslimit"));
	bad = q;
	bad.version = 1;
	bad.user = "a;b";
	cr_assert_eq(ksgen_make(&bad, NOW, &ks, &err), -1);
	cr_assert(strstr(err.msg, "';'"));
}

Test(ksgen, with_privilege_keeps_the_rest)
{
	kt_error err;
	for (int v = 1; v <= 2; v++) {
		char *ks = make(v, KS_TYPE_USER, "alice", "privacycontext:A,enableentitlement",
				NOW + 500);
		char *out;
		cr_assert_eq(ksgen_with_privilege(ks, SECRET, "disableentitlement", NULL, 0, NOW,
						  &out, &err), 0, "%s", err.msg);
		ks_info info;
		cr_assert_eq(ks_decode(out, SECRET, &info, NULL), 0);
		cr_assert_eq(info.signature, KS_SIG_VALID);
		cr_assert_eq(info.version, v);
		cr_assert_str_eq(info.user, "alice");
		cr_assert_eq(info.valid_until, NOW + 500);
		cr_assert_str_eq(info.privileges, "privacycontext:A,disableentitlement");
		ks_info_free(&info);
		free(out);
		cr_assert_eq(ksgen_with_privilege(ks, "wrong", "disableentitlement", NULL, 0, NOW,
						  &out, &err), -1);
		cr_assert_eq(err.code, KT_E_BADSIG);
		free(ks);
	}
	/* an expired KS gets a fresh day */
	char *ks = make(2, KS_TYPE_USER, "alice", NULL, NOW - 5), *out;
	cr_assert_eq(ksgen_with_privilege(ks, SECRET, "privacycontext", "B", 0, NOW, &out, &err), 0);
	ks_info info;
	cr_assert_eq(ks_decode(out, SECRET, &info, NULL), 0);
	cr_assert_eq(info.valid_until, NOW + KSGEN_DEFAULT_EXPIRY);
	cr_assert_str_eq(info.privileges, "privacycontext:B");
	ks_info_free(&info);
	free(out);
	cr_assert_eq(ksgen_with_privilege(ks, SECRET, "privacycontext", "", 0, NOW, &out, &err), -1);
	free(ks);
}

Test(ksgen, open_with_known_secrets)
{
	char *ks = make(2, KS_TYPE_USER, "alice", NULL, NOW + 500);
	const char *secrets[] = {NULL, "", "nope", SECRET};
	ks_info info;
	kt_error err;
	cr_assert_eq(ksgen_open(ks, secrets, 4, &info, &err), 3);
	cr_assert(info.decoded);
	ks_info_free(&info);
	cr_assert_eq(ksgen_open(ks, secrets, 3, &info, &err), -1);
	cr_assert_not(info.decoded);
	ks_info_free(&info);
	cr_assert_eq(ksgen_open("not a ks", secrets, 4, &info, &err), -2);
	free(ks);
}
