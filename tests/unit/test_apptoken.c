#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "app/apptoken.h"
#include "ks.h"

static response parse(const char *json)
{
	response r;
	kt_error err;
	cr_assert_eq(response_parse(json, strlen(json), KT_FORMAT_JSON, &r, &err), 0, "%s", err.msg);
	return r;
}

Test(apptoken, info_from_add_and_list)
{
	apptoken_info t;
	kt_error err;
	response r = parse("{\"id\":\"1_abc\",\"token\":\"0123456789abcdef0123456789abcdef\","
			   "\"partnerId\":100,\"hashType\":\"SHA256\",\"objectType\":\"KalturaAppToken\"}");
	cr_assert_eq(apptoken_info_from(&r, &t, &err), 0);
	cr_assert_str_eq(t.id, "1_abc");
	cr_assert_str_eq(t.token, "0123456789abcdef0123456789abcdef");
	cr_assert_str_eq(t.hash_type, "SHA256");
	cr_assert_eq(t.partner_id, 100);
	apptoken_info_free(&t);
	response_free(&r);

	r = parse("{\"objects\":[{\"id\":\"1_x\",\"objectType\":\"KalturaAppToken\"}],\"totalCount\":1,"
		  "\"objectType\":\"KalturaAppTokenListResponse\"}");
	cr_assert_eq(apptoken_info_from(&r, &t, &err), 0);
	cr_assert_str_eq(t.id, "1_x");
	cr_assert_null(t.token);
	cr_assert_str_eq(t.hash_type, "SHA1", "the server's default");
	cr_assert_eq(t.partner_id, -1);
	apptoken_info_free(&t);
	response_free(&r);

	r = parse("{\"objects\":[],\"totalCount\":0,\"objectType\":\"KalturaAppTokenListResponse\"}");
	cr_assert_eq(apptoken_info_from(&r, &t, &err), -1);
	cr_assert(strstr(err.msg, "appToken.add"));
	response_free(&r);
}

Test(apptoken, the_two_requests)
{
	kt_request r;
	apptoken_widget_request(&r, 4321);
	cr_assert_str_eq(r.service, "session");
	cr_assert_str_eq(r.action, "startWidgetSession");
	cr_assert_str_eq(param_find(r.params, "widgetId")->value, "_4321");
	request_free(&r);

	response w = parse("{\"partnerId\":4321,\"ks\":\"WIDGETKS\",\"userId\":0,"
			   "\"objectType\":\"KalturaStartWidgetSessionResponse\"}");
	cr_assert_str_eq(apptoken_widget_ks(&w), "WIDGETKS");
	kt_error err;
	apptoken_start st = {.id = "1_abc", .token = "0123456789abcdef0123456789abcdef",
			     .hash_type = "SHA256", .widget_ks = apptoken_widget_ks(&w),
			     .user_id = "bob"};
	cr_assert_eq(apptoken_session_request(&r, &st, &err), 0, "%s", err.msg);
	char *want;
	cr_assert_eq(ks_apptoken_hash("sha256", "WIDGETKS", st.token, &want, NULL), 0);
	cr_assert_str_eq(param_find(r.params, "tokenHash")->value, want);
	cr_assert_str_eq(r.ks, "WIDGETKS");
	cr_assert_str_eq(param_find(r.params, "id")->value, "1_abc");
	cr_assert_str_eq(param_find(r.params, "userId")->value, "bob");
	cr_assert_null(param_find(r.params, "type"));
	/* the token itself never goes into the request */
	char *body = request_form_body(&r);
	cr_assert_null(strstr(body, st.token));
	free(body);
	free(want);
	request_free(&r);

	st.token = NULL;
	cr_assert_eq(apptoken_session_request(&r, &st, &err), -1);
	st.token = "t";
	st.widget_ks = NULL;
	cr_assert_eq(apptoken_session_request(&r, &st, &err), -1);
	cr_assert(strstr(err.msg, "widget KS"));
	st.widget_ks = "W";
	st.hash_type = "crc32";
	cr_assert_eq(apptoken_session_request(&r, &st, &err), -1);
	response_free(&w);
}
