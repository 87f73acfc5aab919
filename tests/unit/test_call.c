/* call: the one lifecycle, against the sandbox in this process (the real libcurl path) and on
 * recorded answers (tests/data/responses) for the KS-returning actions the sandbox's demo data
 * does not reach. */
#include "app/call.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "files.h"
#include "ks.h"
#include "sandbox/sandbox.h"
#include "util.h"

#include "sandbox_fixture.h"

TestSuite(call, .init = sbt_start, .fini = sbt_stop);

static kt_request req(const char *service, const char *action, const char *ks)
{
	kt_request r;
	request_init(&r, service, action);
	if (ks)
		request_set_field(&r.ks, ks);
	return r;
}

/* One call to the sandbox through call_new .. call_run; out is the caller's to free. */
static void run(session *s, kt_request *r, call_outcome *out, bool *dropped)
{
	call *c = call_new(r, s);
	if (dropped)
		*dropped = call_dropped_ks(c);
	tp_opts o = { 0 };
	int rc = call_run(c, &o, out);
	cr_assert_eq(rc, 0, "%s", out->err.msg);
	cr_assert(out->parsed);
	call_free(c);
}

static session *sandbox_session(void)
{
	session *s = session_new(sandbox_url(), "local");
	session_set_value(s, "secret", SBT_ADMIN);
	return s;
}

static char *start_admin(session *s, const char *privileges)
{
	kt_request r = req("session", "start", NULL);
	param_set(r.params, "partnerId", "1234", NULL);
	param_set(r.params, "type", "2", NULL);
	if (privileges)
		param_set(r.params, "privileges", privileges, NULL);
	call_outcome out;
	run(s, &r, &out, NULL);
	cr_assert_null(out.error, "%s", out.body);
	cr_assert(out.ks, "no KS captured from %s", out.body);
	cr_assert(out.withhold, "a result with a KS is kept out of the history");
	cr_assert(out.pretty && strstr(out.pretty, out.ks));
	char *ks = kt_xstrdup(out.ks);
	call_outcome_free(&out);
	return ks;
}

Test(call, rules)
{
	cr_assert(call_takes_secret("session", "start"));
	cr_assert(call_takes_secret("Session", "IMPERSONATE"));
	cr_assert_not(call_takes_secret("session", "end"));
	cr_assert_not(call_takes_secret("multirequest", NULL));
	const char *none[][2] = { { "session", "start" },	  { "session", "impersonate" },
				  { "session", "startWidgetSession" }, { "user", "login" },
				  { "user", "loginByLoginId" } };
	for (size_t i = 0; i < sizeof none / sizeof none[0]; i++)
		cr_assert(call_needs_no_ks(none[i][0], none[i][1]), "%s.%s", none[i][0], none[i][1]);
	cr_assert_not(call_needs_no_ks("session", "end"));
	cr_assert_not(call_needs_no_ks("appToken", "startSession"));
	cr_assert_not(call_needs_no_ks("category", "list"));
}

Test(call, session_start_takes_the_sessions_secret_and_fills_the_session)
{
	session *s = sandbox_session();
	kt_request r = req("session", "start", NULL);
	param_set(r.params, "type", "2", NULL);
	call *c = call_new(&r, s);
	const param *p = param_find(call_request(c)->params, "secret");
	cr_assert(p && !strcmp(p->value, SBT_ADMIN));
	cr_assert(strstr(call_url(c), "/api_v3/service/session/action/start"));
	call_free(c);
	char *ks = start_admin(s, NULL);
	cr_assert_str_eq(session_ks(s), ks);
	cr_assert_eq(session_ks_state_at(s, (long long)time(NULL)), SESSION_KS_ALIVE);
	cr_assert_eq(session_ks_info(s)->type, 2);
	free(ks);
	session_free(s);
}

Test(call, ended_ks_is_marked_and_left_out_of_session_start)
{
	session *s = sandbox_session();
	long long now = (long long)time(NULL);
	char *ks = start_admin(s, NULL);
	kt_request r = req("session", "end", ks);
	call_outcome out;
	run(s, &r, &out, NULL);
	cr_assert_null(out.error, "%s", out.body);
	call_outcome_free(&out);
	cr_assert_eq(session_ks_state_at(s, now), SESSION_KS_ENDED);
	/* an action that needs the KS still gets it, and the server's answer agrees */
	r = req("category", "list", ks);
	bool dropped;
	run(s, &r, &out, &dropped);
	cr_assert_not(dropped);
	cr_assert(out.error && !strcmp(out.error->code, "INVALID_KS"), "%s", out.body);
	cr_assert(out.hint && strstr(out.hint, "session.end"), "%s", out.hint);
	call_outcome_free(&out);
	cr_assert_eq(session_ks_state_at(s, now), SESSION_KS_ENDED);
	/* session.start goes without it, and works */
	r = req("session", "start", ks);
	param_set(r.params, "partnerId", "1234", NULL);
	param_set(r.params, "type", "2", NULL);
	run(s, &r, &out, &dropped);
	cr_assert(dropped);
	cr_assert_null(out.error, "%s", out.body);
	cr_assert(out.ks && strcmp(out.ks, ks));
	call_outcome_free(&out);
	cr_assert_eq(session_ks_state_at(s, now), SESSION_KS_ALIVE);
	free(ks);
	session_free(s);
}

Test(call, expired_and_rejected_ks)
{
	session *s = sandbox_session();
	long long now = (long long)time(NULL);
	ks_fields f = { .version = 2, .partner_id = SBT_PID, .valid_until = now - 60, .type = 2 };
	char *old = NULL, *foreign = NULL;
	kt_error err;
	cr_assert_eq(ks_generate(&f, SBT_ADMIN, &old, &err), 0);
	f.valid_until = now + 3600;
	cr_assert_eq(ks_generate(&f, "another-partners-secret-0000000", &foreign, &err), 0);
	/* read here: expired before anything is sent */
	session_set_ks(s, old);
	cr_assert_eq(session_ks_state_at(s, now), SESSION_KS_EXPIRED);
	kt_request r = req("user", "loginByLoginId", old);
	call *c = call_new(&r, s);
	cr_assert(call_dropped_ks(c));
	cr_assert_null(call_request(c)->ks);
	call_free(c);
	/* one no secret here opens: sealed until the endpoint rejects it */
	session_set_ks(s, foreign);
	cr_assert_eq(session_ks_state_at(s, now), SESSION_KS_SEALED);
	r = req("category", "list", foreign);
	call_outcome out;
	run(s, &r, &out, NULL);
	cr_assert(out.error && !strcmp(out.error->code, "INVALID_KS"), "%s", out.body);
	call_outcome_free(&out);
	cr_assert_eq(session_ks_state_at(s, now), SESSION_KS_REJECTED);
	r = req("session", "start", foreign);
	c = call_new(&r, s);
	cr_assert(call_dropped_ks(c));
	call_free(c);
	/* a KS typed in a request that is not the session's is sent as typed */
	r = req("session", "start", old);
	c = call_new(&r, s);
	cr_assert_not(call_dropped_ks(c));
	cr_assert_str_eq(call_request(c)->ks, old);
	call_free(c);
	free(old);
	free(foreign);
	session_free(s);
}

Test(call, hints_read_the_privileges_of_the_ks_sent)
{
	session *s = sandbox_session();
	char *plain = start_admin(s, NULL);
	char *open = start_admin(s, "disableentitlement");
	const char *kss[] = { plain, open };
	const char *want[] = { "start a session", "id is probably wrong" };
	for (int i = 0; i < 2; i++) {
		kt_request r = req("category", "get", kss[i]);
		param_set(r.params, "id", "987654", NULL);
		call_outcome out;
		run(s, &r, &out, NULL);
		cr_assert(out.error && !strcmp(out.error->code, "CATEGORY_NOT_FOUND"), "%s",
			  out.body);
		cr_assert(out.hint && strstr(out.hint, want[i]), "%s", out.hint);
		cr_assert_not(out.withhold);
		cr_assert_null(out.ks);
		call_outcome_free(&out);
	}
	free(plain);
	free(open);
	session_free(s);
}

static char *recorded(const char *name, size_t *len)
{
	const char *dir = getenv("KT_TESTDATA") ? getenv("KT_TESTDATA") : "tests/data";
	char *path = kt_xasprintf("%s/responses/%s", dir, name);
	char *body = files_read(path, len, NULL);
	cr_assert(body, "%s", path);
	free(path);
	return body;
}

Test(call, every_ks_returning_action_fills_the_session)
{
	static const struct {
		const char *service, *action, *file;
		int format;
	} cases[] = {
		{ "session", "start", "session-start.xml", KT_FORMAT_XML },
		{ "session", "start", "session-start.json", KT_FORMAT_JSON },
		{ "session", "impersonate", "session-start.xml", KT_FORMAT_XML },
		{ "user", "login", "session-start.xml", KT_FORMAT_XML },
		{ "user", "loginByLoginId", "session-start.json", KT_FORMAT_JSON },
		{ "session", "startWidgetSession", "start-widget-session.xml", KT_FORMAT_XML },
		{ "session", "startWidgetSession", "start-widget-session.json", KT_FORMAT_JSON },
		{ "appToken", "startSession", "apptoken-start-session.xml", KT_FORMAT_XML },
		{ "appToken", "startSession", "apptoken-start-session.json", KT_FORMAT_JSON },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		session *s = session_new("https://www.kaltura.com", "us");
		session_set_ks(s, "djJ8MTIzNDV8b2xk");
		kt_request r = req(cases[i].service, cases[i].action, NULL);
		r.format = cases[i].format;
		call *c = call_new(&r, s);
		size_t len;
		char *body = recorded(cases[i].file, &len);
		call_outcome out;
		cr_assert_eq(call_answer(c, 200, body, len, &out), 0, "%s: %s", cases[i].file,
			     out.err.msg);
		cr_assert(out.ks, "%s.%s %s", cases[i].service, cases[i].action, cases[i].file);
		cr_assert(strstr(body, out.ks));
		cr_assert_str_eq(session_ks(s), out.ks);
		cr_assert(out.withhold);
		call_outcome_free(&out);
		call_free(c);
		free(body);
		session_free(s);
	}
}

Test(call, other_results_leave_the_session_alone)
{
	static const char *const files[] = { "category-get.xml", "error-missing-ks.xml",
					     "void.xml" };
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		session *s = session_new("https://www.kaltura.com", "us");
		session_set_ks(s, "djJ8MTIzNDV8b2xk");
		kt_request r = req("session", "start", NULL);
		call *c = call_new(&r, s);
		size_t len;
		char *body = recorded(files[i], &len);
		call_outcome out;
		cr_assert_eq(call_answer(c, 200, body, len, &out), 0, "%s", files[i]);
		cr_assert_null(out.ks, "%s", files[i]);
		cr_assert_str_eq(session_ks(s), "djJ8MTIzNDV8b2xk");
		call_outcome_free(&out);
		call_free(c);
		free(body);
		session_free(s);
	}
	/* not a Kaltura answer: failed, one sentence, nothing parsed */
	session *s = session_new("https://www.kaltura.com", "us");
	kt_request r = req("category", "list", NULL);
	call *c = call_new(&r, s);
	call_outcome out;
	cr_assert_eq(call_answer(c, 502, "<html>bad gateway</html>", 24, &out), -1);
	cr_assert(out.failed);
	cr_assert_eq(out.err.code, KT_E_RESPONSE);
	cr_assert_not(out.parsed);
	call_outcome_free(&out);
	call_free(c);
	session_free(s);
}

/* A multirequest against the sandbox: item 1's KS is captured (the session's, the body kept out
 * of the history) while item 2's error is its own; the secret goes to the item that takes one. */
Test(call, multirequest_items_capture_the_ks_and_keep_their_errors)
{
	session *s = sandbox_session();
	kt_request r = req("multirequest", NULL, NULL);
	param_set(r.params, "1:service", "session", NULL);
	param_set(r.params, "1:action", "start", NULL);
	param_set(r.params, "1:partnerId", "1234", NULL);
	param_set(r.params, "1:type", "2", NULL);
	param_set(r.params, "2:service", "category", NULL);
	param_set(r.params, "2:action", "get", NULL);
	param_set(r.params, "2:ks", "{1:result}", NULL);
	param_set(r.params, "2:id", "999999", NULL);
	call *c = call_new(&r, s);
	const param *p = param_find(call_request(c)->params, "1:secret");
	cr_assert(p && !strcmp(p->value, SBT_ADMIN), "the item that takes a secret has the session's");
	cr_assert_null(param_find(call_request(c)->params, "2:secret"));
	cr_assert_null(param_find(call_request(c)->params, "secret"));
	tp_opts o = { 0 };
	call_outcome out;
	cr_assert_eq(call_run(c, &o, &out), 0, "%s", out.err.msg);
	cr_assert_eq(out.nitems, 2, "%s", out.body);
	cr_assert_str_eq(out.items[0].service, "session");
	cr_assert_str_eq(out.items[0].action, "start");
	cr_assert_null(out.items[0].error);
	cr_assert(out.items[0].ks);
	cr_assert_not_null(out.items[1].error, "%s", out.body);
	cr_assert_str_eq(out.items[1].error->code, "CATEGORY_NOT_FOUND");
	cr_assert_not(out.items[1].ks);
	cr_assert(out.ks, "the KS of item 1 is captured");
	cr_assert_str_eq(session_ks(s), out.ks);
	cr_assert_eq(session_ks_info(s)->type, 2, "the secret sent was learnt: the KS reads");
	cr_assert(out.withhold, "a KS in an item: no body in the history");
	cr_assert_eq(out.error, out.items[1].error);
	call_outcome_free(&out);
	call_free(c);
	/* an INVALID_KS of an item with its own ks leaves the session's KS alone */
	char *ks = kt_xstrdup(session_ks(s));
	r = req("multirequest", NULL, ks);
	param_set(r.params, "1:service", "category", NULL);
	param_set(r.params, "1:action", "list", NULL);
	param_set(r.params, "1:ks", "not-a-ks", NULL);
	c = call_new(&r, s);
	cr_assert_eq(call_run(c, &o, &out), 0, "%s", out.err.msg);
	cr_assert_eq(out.nitems, 1);
	cr_assert_not_null(out.items[0].error, "%s", out.body);
	cr_assert_null(out.ks);
	cr_assert_eq(session_ks_state_at(s, (long long)time(NULL)), SESSION_KS_ALIVE);
	call_outcome_free(&out);
	call_free(c);
	free(ks);
	session_free(s);
}

Test(call, exchange_text_masks_credentials_in_the_request_and_the_headers)
{
	session *s = sandbox_session();
	kt_request r = req("category", "get", "djJ8MTIzNHxTECRETKS");
	param_set(r.params, "id", "2", NULL);
	call *c = call_new(&r, s);
	call_outcome out;
	memset(&out, 0, sizeof out);
	out.http_status = 200;
	out.headers = kt_xstrdup("HTTP/1.1 200 OK\r\nSet-Cookie: sid=COOKIEVALUE; Path=/\r\n"
				 "set-cookie2 : b=OTHER\r\nAuthorization: Bearer TOKENVALUE\r\n"
				 "X-Me: api-1\r\nContent-Type: text/xml\r\n\r\n");
	char *t = call_exchange_text(c, &out);
	cr_assert_not(strstr(t, "SECRETKS"), "%s", t);
	cr_assert_not(strstr(t, "COOKIEVALUE"), "%s", t);
	cr_assert_not(strstr(t, "OTHER"), "%s", t);
	cr_assert_not(strstr(t, "TOKENVALUE"), "%s", t);
	cr_assert(strstr(t, "Set-Cookie: ***\n"), "%s", t);
	cr_assert(strstr(t, "Authorization: ***\n"), "%s", t);
	cr_assert(strstr(t, "X-Me: api-1\n"), "%s", t);
	cr_assert(strstr(t, "id=2"), "%s", t);
	cr_assert(strstr(t, "Response headers (HTTP 200)"), "%s", t);
	free(t);
	free(out.headers);
	out.headers = NULL;
	t = call_exchange_text(c, &out);
	cr_assert(strstr(t, "(none: no answer came)"), "%s", t);
	free(t);
	call_free(c);
	session_free(s);
}
