/* signin: the sign-in steps against the in-process sandbox, through the project's transport:
 * two partners listed, the second one's secrets, a session.start on it. */
#include "app/signin.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ks.h"
#include "sandbox/sandbox.h"
#include "util.h"

#include "sandbox_fixture.h"

TestSuite(signin, .init = sbt_start, .fini = sbt_stop);

/* Sends r (freed) and parses the answer into out. */
static void send(kt_request *r, sbt_reply *out)
{
	r->format = KT_FORMAT_XML;
	char *url = request_url(r, sandbox_url()), *body = request_form_body(r);
	sbt_post(url + strlen(sandbox_url()), body, "application/x-www-form-urlencoded",
		 KT_FORMAT_XML, out);
	free(url);
	kt_free_secret(body);
	request_free(r);
}

Test(signin, two_partners_then_the_second_ones_secrets)
{
	kt_request r;
	sbt_reply a;
	signin_login_request(&r, "admin@example.com", SBT_PASSWORD, -1);
	cr_assert_null(param_find(r.params, "partnerId"));
	send(&r, &a);
	cr_assert_eq(a.r.result->kind, RV_SCALAR, "%s", a.http.body.data);
	char *ks = kt_xstrdup(a.r.result->text);
	sbt_done(&a);

	signin_partners_request(&r, ks);
	cr_assert_str_eq(r.ks, ks);
	send(&r, &a);
	signin_partner *p;
	int n;
	kt_error err;
	cr_assert_eq(signin_partners(&a.r, &p, &n, &err), 0, "%s", err.msg);
	sbt_done(&a);
	cr_assert_eq(n, 2);
	cr_assert_eq(p[0].id, SBT_PID);
	cr_assert_eq(p[1].id, SBT_PID + 1);
	cr_assert_str_eq(p[1].name, "Second demo partner");
	long long pick = p[1].id;
	signin_partners_free(p, n);
	free(ks);

	signin_secrets_request(&r, pick, "admin@example.com", SBT_PASSWORD);
	send(&r, &a);
	signin_secrets s;
	cr_assert_eq(signin_secrets_read(&a.r, &s, &err), 0, "%s", err.msg);
	sbt_done(&a);
	cr_assert_eq(s.partner_id, pick);
	cr_assert(s.user_secret && strlen(s.user_secret) == 32);

	/* the secret starts a session on the partner picked */
	request_init(&r, "session", "start");
	param_set(r.params, "secret", s.admin_secret, NULL);
	char pid[32];
	snprintf(pid, sizeof pid, "%lld", pick);
	param_set(r.params, "partnerId", pid, NULL);
	param_set(r.params, "type", "2", NULL);
	send(&r, &a);
	cr_assert_eq(a.r.result->kind, RV_SCALAR, "%s", a.http.body.data);
	ks_info info;
	cr_assert_eq(ks_decode(a.r.result->text, s.admin_secret, &info, NULL), 0);
	cr_assert_eq(info.partner_id, pick);
	cr_assert_eq(info.signature, KS_SIG_VALID);
	ks_info_free(&info);
	sbt_done(&a);
	signin_secrets_free(&s);
	cr_assert_null(s.admin_secret);
}

Test(signin, errors_in_one_sentence)
{
	kt_request r;
	sbt_reply a;
	kt_error err;
	signin_secrets s;
	signin_secrets_request(&r, SBT_PID, "admin@example.com", "wrong");
	send(&r, &a);
	cr_assert_eq(signin_secrets_read(&a.r, &s, &err), -1);
	cr_assert_eq(err.code, KT_E_API);
	cr_assert(strstr(err.msg, "partner.getSecrets: USER_DATA_ERROR"), "%s", err.msg);
	sbt_done(&a);

	signin_partners_request(&r, "not-a-ks");
	send(&r, &a);
	signin_partner *p;
	int n;
	cr_assert_eq(signin_partners(&a.r, &p, &n, &err), -1);
	cr_assert(strstr(err.msg, "INVALID_KS"), "%s", err.msg);
	cr_assert_eq(n, 0);
	sbt_done(&a);
}
