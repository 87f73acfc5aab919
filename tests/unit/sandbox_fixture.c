#include "sandbox_fixture.h"

#include <criterion/criterion.h>
#include <stdlib.h>

#include "sandbox/sandbox.h"
#include "util.h"

void sbt_start(void)
{
	sandbox_opts o = {
		.partner_id = SBT_PID,
		.admin_secret = SBT_ADMIN,
		.user_secret = SBT_USER,
		.admin_password = SBT_PASSWORD,
		.schema_path = "schemas/kaltura.xml",
	};
	kt_error err;
	cr_assert_eq(sandbox_start(&o, &err), 0, "sandbox_start: %s", err.msg);
}

void sbt_stop(void)
{
	sandbox_stop();
}

void sbt_post(const char *path, const char *body, const char *ctype, int format, sbt_reply *out)
{
	char *url = kt_xasprintf("%s%s", sandbox_url(), path);
	kt_error err;
	tp_response_init(&out->http);
	cr_assert_eq(tp_perform(url, body, ctype, NULL, &out->http, &err), 0, "%s: %s", url,
		     err.msg);
	cr_assert_eq(out->http.status, 200);
	cr_assert_eq(response_parse(out->http.body.data, out->http.body.len, format, &out->r, &err),
		     0, "%s", err.msg);
	free(url);
}

void sbt_done(sbt_reply *r)
{
	response_free(&r->r);
	tp_response_free(&r->http);
}

void sbt_expect_error(const sbt_reply *r, const char *code, const char *message)
{
	const rvalue *e = response_error(&r->r);
	cr_assert(e, "no error in: %s", r->http.body.data);
	cr_assert_str_eq(e->code, code, "%s", r->http.body.data);
	if (message)
		cr_assert_str_eq(e->message, message);
}
