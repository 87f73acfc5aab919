/* sandbox: the server in this process on port 0, driven through the project's own transport and
 * response parser. Expected codes and messages are the catalogue's (schemas/kaltura.xml
 * <errors>, quoted in KALTURA.md section 3/4); KS fields are read back with ks_decode. */
#include "sandbox/sandbox.h"

#include <criterion/criterion.h>
#include <curl/curl.h>
#include <jansson.h>
#include <regex.h>
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

TestSuite(sandbox, .init = sbt_start, .fini = sbt_stop);

typedef sbt_reply reply;

static void post(const char *path, const char *body, const char *ctype, int format, reply *out)
{
	sbt_post(path, body, ctype, format, out);
}

static void form(const char *path, const char *body, reply *out)
{
	post(path, body, "application/x-www-form-urlencoded", KT_FORMAT_XML, out);
}

#define done sbt_done
#define expect_error sbt_expect_error

static char *start_ks(const char *extra)
{
	reply r;
	char *body = kt_xasprintf("partnerId=1234&secret=" ADMIN "&type=2&userId=alice%s", extra ? extra : "");
	form("/api_v3/service/session/action/start", body, &r);
	free(body);
	cr_assert_eq(r.r.result->kind, RV_SCALAR, "%s", r.http.body.data);
	char *ks = kt_xstrdup(r.r.result->text);
	done(&r);
	return ks;
}

Test(sandbox, url_and_envelope)
{
	cr_assert(!strncmp(sandbox_url(), "http://127.0.0.1:", 17));
	reply r;
	form("/api_v3/service/session/action/start", "partnerId=1234&secret=" ADMIN, &r);
	const char *b = r.http.body.data;
	cr_assert(!strncmp(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>", 38), "%s", b);
	cr_assert(strstr(b, "<xml><result>"), "%s", b);
	cr_assert(strstr(b, "</result><executionTime>"), "%s", b);
	cr_assert(r.r.has_execution_time);
	cr_assert(r.http.x_me && *r.http.x_me, "no X-Me header");
	done(&r);
}

Test(sandbox, start_ks_fields)
{
	long long now = (long long)time(NULL);
	char *ks = start_ks("&privileges=disableentitlement&expiry=600");
	ks_info info;
	kt_error err;
	cr_assert_eq(ks_decode(ks, ADMIN, &info, &err), 0, "%s", err.msg);
	cr_assert_eq(info.version, 2);
	cr_assert(info.decoded);
	cr_assert_eq(info.signature, KS_SIG_VALID);
	cr_assert_eq(info.partner_id, PID);
	cr_assert_eq(info.type, 2);
	cr_assert_str_eq(info.user, "alice");
	cr_assert_str_eq(info.privileges, "disableentitlement");
	cr_assert(info.valid_until >= now + 600 && info.valid_until <= now + 605);
	ks_info_free(&info);
	free(ks);
}

Test(sandbox, start_default_expiry_and_type)
{
	reply r;
	long long now = (long long)time(NULL);
	form("/api_v3/service/session/action/start", "partnerId=1234&secret=" USER, &r);
	ks_info info;
	cr_assert_eq(ks_decode(r.r.result->text, ADMIN, &info, NULL), 0);
	cr_assert_eq(info.type, 0);
	cr_assert(info.valid_until >= now + 86400 && info.valid_until <= now + 86405);
	ks_info_free(&info);
	done(&r);
}

Test(sandbox, start_errors)
{
	reply r;
	form("/api_v3/service/session/action/start", "partnerId=1234&secret=wrong&type=2", &r);
	expect_error(&r, "START_SESSION_ERROR", "Error while starting session for partner [1234]");
	done(&r);
	/* a user secret makes USER sessions only */
	form("/api_v3/service/session/action/start", "partnerId=1234&secret=" USER "&type=2", &r);
	expect_error(&r, "START_SESSION_ERROR", NULL);
	done(&r);
	form("/api_v3/service/session/action/start", "type=2", &r);
	expect_error(&r, "MISSING_MANDATORY_PARAMETER", "Missing parameter \"secret\"");
	done(&r);
	form("/api_v3/service/session/action/start", "partnerId=1234&secret=" ADMIN "&type=5", &r);
	expect_error(&r, "INVALID_ENUM_VALUE",
		     "Invalid enumeration value \"5\" for parameter \"type\", expecting enumeration "
		     "type \"KalturaSessionType\"");
	done(&r);
	form("/api_v3/service/session/action/start", "partnerId=1234&secret=" ADMIN "&expiry=soon", &r);
	expect_error(&r, "INVALID_PARAMETER_VALUE", "invalid value for parameter \"expiry\"");
	done(&r);
}

Test(sandbox, get_and_end)
{
	char *ks = start_ks("&privileges=sview:*");
	char *body = kt_xasprintf("ks=%s", ks);
	reply r;
	form("/api_v3/service/session/action/get", body, &r);
	const rvalue *v = r.r.result;
	cr_assert_eq(v->kind, RV_OBJECT, "%s", r.http.body.data);
	cr_assert_str_eq(v->object_type, "KalturaSessionInfo");
	/* SessionService::getAction never fills ks */
	cr_assert_str_eq(rvalue_get(v, "ks")->text, "");
	cr_assert_str_eq(rvalue_get(v, "sessionType")->text, "2");
	cr_assert_str_eq(rvalue_get(v, "partnerId")->text, "1234");
	cr_assert_str_eq(rvalue_get(v, "userId")->text, "alice");
	cr_assert_str_eq(rvalue_get(v, "privileges")->text, "sview:*");
	cr_assert(rvalue_get(v, "expiry"));
	done(&r);

	form("/api_v3/service/session/action/end", body, &r);
	cr_assert_eq(r.r.result->kind, RV_NULL, "%s", r.http.body.data);
	done(&r);
	form("/api_v3/service/session/action/get", body, &r);
	/* kPermissionManager's data, then KalturaFrontController's -1,INVALID_STR */
	expect_error(&r, "INVALID_KS", "Invalid KS \"LOGOUT\", Error \"-1,INVALID_STR\"");
	done(&r);
	free(body);
	free(ks);
}

Test(sandbox, expired_bad_and_missing_ks)
{
	ks_fields f = {.version = 2, .partner_id = PID, .valid_until = time(NULL) - 10, .type = 2};
	char *ks;
	cr_assert_eq(ks_generate(&f, ADMIN, &ks, NULL), 0);
	char *body = kt_xasprintf("ks=%s", ks);
	reply r;
	form("/api_v3/service/session/action/get", body, &r);
	expect_error(&r, "INVALID_KS", "Invalid KS \"EXPIRED\", Error \"-1,INVALID_STR\"");
	done(&r);
	free(body);
	free(ks);

	/* signed with another secret */
	f.valid_until = time(NULL) + 100;
	cr_assert_eq(ks_generate(&f, "not-the-secret", &ks, NULL), 0);
	body = kt_xasprintf("ks=%s", ks);
	form("/api_v3/service/session/action/get", body, &r);
	char *msg = kt_xasprintf("Invalid KS \"%s\", Error \"-1,INVALID_STR\"", ks);
	expect_error(&r, "INVALID_KS", msg);
	done(&r);
	free(msg);
	free(body);
	free(ks);

	form("/api_v3/service/session/action/get", "", &r);
	expect_error(&r, "MISSING_KS", "Missing KS, session not established");
	done(&r);
}

Test(sandbox, unknown_service_and_action)
{
	reply r;
	form("/api_v3/service/nosuch/action/list", "", &r);
	expect_error(&r, "SERVICE_DOES_NOT_EXISTS", "Service \"nosuch\" does not exists");
	done(&r);
	form("/api_v3/service/session/action/nosuch", "", &r);
	expect_error(&r, "ACTION_DOES_NOT_EXISTS",
		     "Action \"nosuch\" does not exists for service \"session\"");
	done(&r);
	/* service names ignore case; index.php takes them from the parameters */
	form("/api_v3/service/SESSION/action/start", "partnerId=1234&secret=" ADMIN, &r);
	cr_assert_eq(r.r.result->kind, RV_SCALAR, "%s", r.http.body.data);
	done(&r);
	form("/api_v3/index.php?service=session&action=startWidgetSession", "widgetId=_1234", &r);
	cr_assert_str_eq(r.r.result->object_type, "KalturaStartWidgetSessionResponse");
	ks_info info;
	cr_assert_eq(ks_decode(rvalue_get(r.r.result, "ks")->text, ADMIN, &info, NULL), 0);
	cr_assert_eq(info.type, 0);
	cr_assert_str_eq(info.privileges, "view:*,widget:1");
	ks_info_free(&info);
	done(&r);
	form("/api_v3/index.php?service=session&action=startWidgetSession", "widgetId=_99", &r);
	expect_error(&r, "INVALID_WIDGET_ID", "Unknown widget [_99]");
	done(&r);
}

Test(sandbox, query_overrides_body)
{
	reply r;
	form("/api_v3/service/session/action/start?secret=" ADMIN "&type=2", "partnerId=1234&secret=wrong&type=0",
	     &r);
	ks_info info;
	cr_assert_eq(r.r.result->kind, RV_SCALAR, "%s", r.http.body.data);
	cr_assert_eq(ks_decode(r.r.result->text, ADMIN, &info, NULL), 0);
	cr_assert_eq(info.type, 2);
	ks_info_free(&info);
	done(&r);
}

Test(sandbox, node_client_json)
{
	/* the body the official Node client sends (KALTURA.md section 2), with our secret */
	const char *body =
		"{\"secret\":\"" ADMIN "\",\"userId\":\"alice\",\"type\":2,\"partnerId\":1234,"
		"\"expiry\":86400,\"privileges\":\"disableentitlement\",\"format\":1,"
		"\"apiVersion\":\"21.20.0\",\"clientTag\":\"node:25-07-20\","
		"\"kalsig\":\"2812b8264d9766d6d1ecde12e28a5e65\"}";
	reply r;
	post("/api_v3/service/session/action/start", body, "application/json", KT_FORMAT_JSON, &r);
	cr_assert_eq(r.http.body.data[0], '"', "%s", r.http.body.data);
	ks_info info;
	cr_assert_eq(ks_decode(r.r.result->text, ADMIN, &info, NULL), 0);
	cr_assert_str_eq(info.user, "alice");
	cr_assert_str_eq(info.privileges, "disableentitlement");
	ks_info_free(&info);
	char *ks = kt_xstrdup(r.r.result->text);
	done(&r);

	/* JSON output: numbers typed by the schema, no envelope */
	char *get = kt_xasprintf("{\"ks\":\"%s\",\"format\":1}", ks);
	post("/api_v3/service/session/action/get", get, "application/json", KT_FORMAT_JSON, &r);
	json_t *j = json_loads(r.http.body.data, 0, NULL);
	cr_assert(j, "%s", r.http.body.data);
	cr_assert_str_eq(json_string_value(json_object_get(j, "objectType")), "KalturaSessionInfo");
	cr_assert(json_is_integer(json_object_get(j, "partnerId")));
	cr_assert_eq(json_integer_value(json_object_get(j, "partnerId")), PID);
	cr_assert(json_is_integer(json_object_get(j, "sessionType")));
	cr_assert_null(json_object_get(j, "ks"), "session.get has no ks: %s", r.http.body.data);
	json_decref(j);
	done(&r);
	free(get);
	free(ks);
}

Test(sandbox, json_error_shape)
{
	reply r;
	post("/api_v3/service/session/action/start?format=1", "type=2", "application/x-www-form-urlencoded",
	     KT_FORMAT_JSON, &r);
	json_t *j = json_loads(r.http.body.data, 0, NULL);
	cr_assert(j, "%s", r.http.body.data);
	cr_assert_str_eq(json_string_value(json_object_get(j, "code")), "MISSING_MANDATORY_PARAMETER");
	cr_assert_str_eq(json_string_value(json_object_get(j, "message")),
			 "Missing parameter \"secret\"");
	cr_assert_str_eq(json_string_value(json_object_get(j, "objectType")), "KalturaAPIException");
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "args"), "PARAM_NAME")),
			 "secret");
	json_decref(j);
	done(&r);
	/* no arguments: [] */
	post("/api_v3/service/session/action/get?format=1", "", "application/x-www-form-urlencoded",
	     KT_FORMAT_JSON, &r);
	j = json_loads(r.http.body.data, 0, NULL);
	cr_assert(json_is_array(json_object_get(j, "args")), "%s", r.http.body.data);
	json_decref(j);
	done(&r);
}

Test(sandbox, multirequest_xml)
{
	reply r;
	form("/api_v3/service/multirequest",
	     "1:service=session&1:action=start&1:partnerId=1234&1:secret=" ADMIN "&1:type=2&1:userId=bob"
	     "&2:service=session&2:action=get&2:ks={1:result}"
	     "&3:service=session&3:action=get"
	     "&4:service=session&4:action=startWidgetSession&4:widgetId=_1234"
	     "&5:service=session&5:action=get&5:ks={4:result:ks}"
	     "&7:service=session&7:action=start",
	     &r);
	const rvalue *v = r.r.result;
	cr_assert_eq(v->kind, RV_ARRAY, "%s", r.http.body.data);
	cr_assert_eq(v->n, 5, "key 6 is missing, so 7 must not run: %s", r.http.body.data);
	cr_assert_eq(v->children[0]->kind, RV_SCALAR);
	cr_assert_str_eq(rvalue_get(v->children[1], "sessionType")->text, "2");
	cr_assert_str_eq(rvalue_get(v->children[1], "userId")->text, "bob");
	cr_assert_eq(v->children[2]->kind, RV_ERROR);
	cr_assert_str_eq(v->children[2]->code, "MISSING_KS");
	/* the widget session's own user, 0 */
	cr_assert_str_eq(rvalue_get(v->children[3], "userId")->text, "0");
	cr_assert_str_eq(rvalue_get(v->children[4], "userId")->text, "0");
	cr_assert_str_eq(rvalue_get(v->children[4], "privileges")->text, "view:*,widget:1");
	done(&r);
}

Test(sandbox, multirequest_json_from_zero)
{
	/* the Node client numbers from 0 and sends shared fields at the top */
	char *ks = start_ks(NULL);
	char *body = kt_xasprintf(
		"{\"0\":{\"service\":\"session\",\"action\":\"get\"},"
		"\"1\":{\"service\":\"session\",\"action\":\"get\",\"session\":\"{9:result}\"},"
		"\"2\":{\"service\":\"session\",\"action\":\"start\",\"secret\":\"" ADMIN "\","
		"\"partnerId\":1234,"
		"\"userId\":\"{1:result:userId}\"},"
		"\"ks\":\"%s\",\"format\":1}",
		ks);
	reply r;
	post("/api_v3/service/multirequest", body, "application/json", KT_FORMAT_JSON, &r);
	const rvalue *v = r.r.result;
	cr_assert_eq(v->kind, RV_ARRAY, "%s", r.http.body.data);
	cr_assert_eq(v->n, 3);
	cr_assert_str_eq(rvalue_get(v->children[0], "userId")->text, "alice");
	/* a reference to a request that did not run stays as it is
	 * (KalturaFrontController::replaceMultiRequestResults): not a KS */
	cr_assert_eq(v->children[1]->kind, RV_ERROR, "%s", r.http.body.data);
	cr_assert_str_eq(v->children[1]->code, "INVALID_KS");
	cr_assert_eq(v->children[2]->kind, RV_SCALAR, "%s", r.http.body.data);
	ks_info info;
	cr_assert_eq(ks_decode(v->children[2]->text, ADMIN, &info, NULL), 0, "%s",
		     r.http.body.data);
	cr_assert_str_eq(info.user, "alice");
	ks_info_free(&info);
	done(&r);
	free(body);
	free(ks);
}

Test(sandbox, oversized_body)
{
	size_t n = (size_t)17 << 20;
	char *body = kt_xmalloc(n + 1);
	memcpy(body, "secret=", 7);
	memset(body + 7, 'a', n - 7);
	body[n] = 0;
	reply r;
	form("/api_v3/service/session/action/start", body, &r);
	expect_error(&r, "INTERNAL_SERVER_ERROR", NULL);
	cr_assert(strstr(response_error(&r.r)->message, "16 MB"));
	done(&r);
	free(body);
	/* still serving */
	form("/api_v3/service/session/action/start", "partnerId=1234&secret=" ADMIN, &r);
	cr_assert_eq(r.r.result->kind, RV_SCALAR);
	done(&r);
}

Test(sandbox, broken_inputs)
{
	reply r;
	post("/api_v3/service/session/action/start", "{\"secret\":", "application/json",
	     KT_FORMAT_XML, &r);
	expect_error(&r, "INTERNAL_SERVER_ERROR",
		     "Internal server error (the request body is not valid JSON)");
	done(&r);
	post("/api_v3/service/session/action/start", "[1,2]", "application/json", KT_FORMAT_XML, &r);
	expect_error(&r, "INTERNAL_SERVER_ERROR", NULL);
	done(&r);
	form("/api_v3/service/session/action/start", "partnerId=1234&secret=%FF%FE&userId=%C3", &r);
	expect_error(&r, "INVALID_PARAMETER_CHAR", "Invalid char in \"secret\" field");
	done(&r);
	form("/api_v3/service/session/action/start", "partnerId=1234&secret=" ADMIN "&a::b=1", &r);
	expect_error(&r, "INVALID_PARAMETER_VALUE", NULL);
	done(&r);
}

Test(sandbox, deep_and_wide)
{
	kt_buf b;
	kt_buf_init(&b);
	for (int i = 0; i < 50000; i++)
		kt_buf_printf(&b, "p%d=%d&", i, i);
	reply r;
	form("/api_v3/service/session/action/start", b.data, &r);
	expect_error(&r, "INTERNAL_SERVER_ERROR", NULL);
	done(&r);

	kt_buf_reset(&b);
	kt_buf_adds(&b, "partnerId=1234&secret=" ADMIN "&x");
	for (int i = 0; i < 5000; i++)
		kt_buf_adds(&b, ":x");
	kt_buf_adds(&b, "=1");
	form("/api_v3/service/session/action/start", b.data, &r);
	expect_error(&r, "INTERNAL_SERVER_ERROR", NULL);
	done(&r);

	kt_buf_reset(&b);
	for (int i = 0; i < 1000; i++)
		kt_buf_adds(&b, "{\"a\":");
	kt_buf_adds(&b, "1");
	for (int i = 0; i < 1000; i++)
		kt_buf_adds(&b, "}");
	post("/api_v3/service/session/action/start", b.data, "application/json", KT_FORMAT_XML, &r);
	expect_error(&r, "INTERNAL_SERVER_ERROR", NULL);
	done(&r);
	kt_buf_free(&b);
}

Test(sandbox, schema_download)
{
	char *url = kt_xasprintf("%s/api_v3/api_schema.php", sandbox_url());
	tp_response h;
	tp_response_init(&h);
	cr_assert_eq(tp_perform(url, NULL, NULL, NULL, &h, NULL), 0);
	cr_assert_eq(h.status, 200);
	cr_assert(strstr(h.body.data, "<service id=\"session\""));
	tp_response_free(&h);
	free(url);
}

Test(sandbox, start_options_refused)
{
	kt_error err;
	sandbox_opts o = {.listen = "127.0.0.1:0"};
	cr_assert_eq(sandbox_start(&o, &err), -1, "a second instance must be refused");
	cr_assert_eq(err.code, KT_E_USAGE);
	sandbox_stop();
	o.listen = "nohost";
	cr_assert_eq(sandbox_start(&o, &err), -1);
	cr_assert_eq(err.code, KT_E_USAGE);
	o.listen = "127.0.0.1:0";
	o.ks_version = 3;
	cr_assert_eq(sandbox_start(&o, &err), -1);
	cr_assert_eq(err.code, KT_E_USAGE);
	o.ks_version = 1;
	o.schema_path = "tests/data/schema-bad-empty.xml";
	cr_assert_eq(sandbox_start(&o, &err), -1);
	cr_assert_eq(sandbox_url(), NULL);
	o.schema_path = "schemas/kaltura.xml";
	cr_assert_eq(sandbox_start(&o, &err), 0, "%s", err.msg);
	cr_assert(sandbox_admin_secret() && strlen(sandbox_admin_secret()) == 32);
	cr_assert(sandbox_user_secret() && strlen(sandbox_user_secret()) == 32);
	cr_assert_eq(sandbox_partner_id(), 100);
	/* --ks-version 1: a v1 KS, signed with the random admin secret */
	char *body = kt_xasprintf("partnerId=100&secret=%s&type=2&userId=u1", sandbox_admin_secret());
	reply r;
	form("/api_v3/service/session/action/start", body, &r);
	ks_info info;
	cr_assert_eq(r.r.result->kind, RV_SCALAR, "%s", r.http.body.data);
	cr_assert_eq(ks_decode(r.r.result->text, sandbox_admin_secret(), &info, NULL), 0);
	cr_assert_eq(info.version, 1);
	cr_assert_eq(info.signature, KS_SIG_VALID);
	cr_assert_eq(info.partner_id, 100);
	cr_assert_str_eq(info.user, "u1");
	ks_info_free(&info);
	done(&r);
	free(body);
}

Test(sandbox, multipart_fields_json_part_and_files)
{
	/* form fields, a json part and a file part, as upload clients send them */
	static const char body[] =
		"--XyZ\r\nContent-Disposition: form-data; name=\"secret\"\r\n\r\n" ADMIN "\r\n"
		"--XyZ\r\nContent-Disposition: form-data; name=\"partnerId\"\r\n\r\n1234\r\n"
		"--XyZ\r\nContent-Disposition: form-data; name=\"json\"\r\n"
		"Content-Type: application/json\r\n\r\n{\"type\":2,\"userId\":\"multi part\"}\r\n"
		"--XyZ\r\nContent-Disposition: form-data; name=\"fileData\"; filename=\"a.mp4\"\r\n"
		"Content-Type: video/mp4\r\n\r\n\x01\xff" "binary\r\n--\r\n"
		"--XyZ--\r\n";
	reply r;
	post("/api_v3/service/session/action/start", body, "multipart/form-data; boundary=XyZ",
	     KT_FORMAT_XML, &r);
	cr_assert_eq(r.r.result->kind, RV_SCALAR, "%s", r.http.body.data);
	ks_info info;
	cr_assert_eq(ks_decode(r.r.result->text, ADMIN, &info, NULL), 0);
	cr_assert_str_eq(info.user, "multi part");
	cr_assert_eq(info.type, 2);
	ks_info_free(&info);
	done(&r);
}

Test(sandbox, multipart_bad_bodies)
{
	static const struct {
		const char *ctype, *body;
	} cases[] = {
		{"multipart/form-data", "--x\r\n"},
		{"multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"a\""},
		{"multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue"},
		{"multipart/form-data; boundary=x", "--x\r\nContent-Type: text/plain\r\n\r\nv\r\n--x--"},
		{"multipart/form-data; boundary=\"\"", "--\r\n"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		reply r;
		post("/api_v3/service/session/action/start", cases[i].body, cases[i].ctype,
		     KT_FORMAT_XML, &r);
		expect_error(&r, "INTERNAL_SERVER_ERROR", NULL);
		cr_assert(strstr(response_error(&r.r)->message, "multipart"), "%zu: %s", i,
			  response_error(&r.r)->message);
		done(&r);
	}
}

/* objectType rules on an action the sandbox does not serve yet: the checks come first */
Test(sandbox, object_types)
{
	char *ks = start_ks(NULL);
	static const struct {
		const char *params, *code, *message;
	} cases[] = {
		{"filter:objectType=KalturaPlayableEntryBaseFilter", "OBJECT_TYPE_ABSTRACT",
		 "The object type \"KalturaPlayableEntryBaseFilter\" is abstract, use one of the "
		 "object implementations"},
		{"filter:objectType=KalturaCategoryFilter", "INVALID_OBJECT_TYPE",
		 "Invalid object type \"KalturaCategoryFilter\""},
		{"filter:objectType=NoSuchClass", "INVALID_OBJECT_TYPE",
		 "Invalid object type \"NoSuchClass\""},
		{"filter=abc", "INVALID_PARAMETER_VALUE", "invalid value for parameter \"filter\""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *body = kt_xasprintf("ks=%s&%s", ks, cases[i].params);
		reply r;
		form("/api_v3/service/baseEntry/action/list", body, &r);
		expect_error(&r, cases[i].code, cases[i].message);
		done(&r);
		free(body);
	}
	/* a concrete subclass of the declared filter type is accepted */
	char *body = kt_xasprintf("ks=%s&filter:objectType=KalturaPlayableEntryFilter", ks);
	reply r;
	form("/api_v3/service/baseEntry/action/list", body, &r);
	cr_assert_null(response_error(&r.r), "%s", r.http.body.data);
	done(&r);
	free(body);
	free(ks);
}

/* Objects at any depth go through the schema like top-level ones: objectType inside a filter
 * and inside array items, enum and int properties typed, unknown and read-only ones ignored. */
Test(sandbox, nested_objects)
{
	char *ks = start_ks(NULL);
	static const struct {
		const char *path, *params, *code, *message;
	} cases[] = {
		{"baseEntry/action/list", "filter:advancedSearch:objectType=KalturaSearchItem",
		 "OBJECT_TYPE_ABSTRACT", "The object type \"KalturaSearchItem\" is abstract, use one "
		 "of the object implementations"},
		{"baseEntry/action/list", "filter:advancedSearch:objectType=KalturaCategory",
		 "INVALID_OBJECT_TYPE", "Invalid object type \"KalturaCategory\""},
		{"baseEntry/action/list", "filter:advancedSearch:objectType=KalturaSearchOperator"
		 "&filter:advancedSearch:items:0:objectType=KalturaSearchCondition"
		 "&filter:advancedSearch:items:1:objectType=KalturaSearchItem",
		 "OBJECT_TYPE_ABSTRACT", NULL},
		{"baseEntry/action/list", "filter:advancedSearch:objectType=KalturaSearchOperator"
		 "&filter:advancedSearch:items:0:objectType=NoSuchClass",
		 "INVALID_OBJECT_TYPE", "Invalid object type \"NoSuchClass\""},
		{"baseEntry/action/list", "filter:advancedSearch:objectType=KalturaSearchOperator"
		 "&filter:advancedSearch:items:0:objectType=KalturaSearchCondition"
		 "&filter:advancedSearch:items:0:field=x&filter:advancedSearch:type=9",
		 "INVALID_ENUM_VALUE", "Invalid enumeration value \"9\" for parameter \"type\", "
		 "expecting enumeration type \"KalturaSearchOperatorType\""},
		{"baseEntry/action/list", "filter:moderationStatusEqual=abc",
		 "INVALID_PARAMETER_VALUE", "invalid value for parameter "
		 "\"filter:moderationStatusEqual\""},
		{"baseEntry/action/list", "filter:moderationStatusEqual=77", "INVALID_ENUM_VALUE",
		 "Invalid enumeration value \"77\" for parameter \"moderationStatusEqual\", "
		 "expecting enumeration type \"KalturaEntryModerationStatus\""},
		{"baseEntry/action/list", "pager:pageIndex=1.5", "INVALID_PARAMETER_VALUE",
		 "invalid value for parameter \"pager:pageIndex\""},
		{"baseEntry/action/list", "filter:advancedSearch=flat", "INVALID_PARAMETER_VALUE",
		 "invalid value for parameter \"filter:advancedSearch\""},
		{"media/action/add", "entry:mediaType=1"
		 "&entry:operationAttributes:0:objectType=KalturaOperationAttributes",
		 "OBJECT_TYPE_ABSTRACT", NULL},
		{"media/action/add", "entry:mediaType=1&entry:operationAttributes=x",
		 "INVALID_PARAMETER_VALUE", "invalid value for parameter "
		 "\"entry:operationAttributes\""},
		{"user/action/add", "user:id=x&user:isAdmin=2", "INVALID_PARAMETER_VALUE",
		 "invalid value for parameter \"user:isAdmin\""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *body = kt_xasprintf("ks=%s&%s", ks, cases[i].params);
		char *path = kt_xasprintf("/api_v3/service/%s", cases[i].path);
		reply r;
		form(path, body, &r);
		expect_error(&r, cases[i].code, cases[i].message);
		done(&r);
		free(path);
		free(body);
	}
	/* accepted: a concrete item type, unknown properties, a read-only property with a value of
	 * the wrong type (the server ignores both), null properties */
	static const char *const fine[] = {
		"filter:advancedSearch:objectType=KalturaSearchOperator"
		"&filter:advancedSearch:items:0:objectType=KalturaSearchCondition"
		"&filter:advancedSearch:type=1",
		"filter:noSuchProperty=whatever&filter:noSuch:deeper=1",
		"filter:moderationStatusEqual__null=&filter:advancedSearch__null=",
		"pager:pageSize=2",
	};
	for (size_t i = 0; i < sizeof fine / sizeof *fine; i++) {
		char *body = kt_xasprintf("ks=%s&%s", ks, fine[i]);
		reply r;
		form("/api_v3/service/baseEntry/action/list", body, &r);
		cr_assert_null(response_error(&r.r), "%s: %s", fine[i], r.http.body.data);
		done(&r);
		free(body);
	}
	char *body = kt_xasprintf("ks=%s&category:name=RO&category:id=junk&category:depth=x", ks);
	reply r;
	form("/api_v3/service/category/action/add", body, &r);
	cr_assert_null(response_error(&r.r), "%s", r.http.body.data);
	done(&r);
	free(body);
	free(ks);
}

/* Booleans inside objects are normalised as at the top level. */
Test(sandbox, nested_bool_normalised)
{
	char *ks = start_ks(NULL);
	char *body = kt_xasprintf("ks=%s&user:objectType=KalturaUser&user:id=nb&user:isAdmin=true",
				  ks);
	reply r;
	form("/api_v3/service/user/action/add", body, &r);
	const rvalue *v = rvalue_path(r.r.result, "isAdmin");
	cr_assert(v && v->kind == RV_SCALAR, "%s", r.http.body.data);
	cr_assert_str_eq(v->text, "1");
	done(&r);
	free(body);
	free(ks);
}

/* X-Kaltura-Session: "ID, TIME" on every API answer (with a KS, without, and on errors) and on
 * the schema download; each request gets its own id. */
Test(sandbox, session_header)
{
	regex_t re;
	cr_assert_eq(regcomp(&re, "\r\nX-Kaltura-Session: ([0-9]+), ([0-9]+)\r\n", REG_EXTENDED), 0);
	char *ks = start_ks(NULL);
	char *with = kt_xasprintf("ks=%s", ks);
	const char *bodies[] = {with, "", "ks=garbage"};
	char ids[3][16];
	for (int i = 0; i < 3; i++) {
		reply r;
		long long before = (long long)time(NULL);
		form("/api_v3/service/session/action/get", bodies[i], &r);
		const char *h = r.http.headers.data;
		regmatch_t m[3];
		cr_assert(h && regexec(&re, h, 3, m, 0) == 0, "headers: %s", h ? h : "(none)");
		long long t = strtoll(h + m[2].rm_so, NULL, 10);
		cr_assert(t >= before - 1 && t <= before + 60, "time %lld", t);
		int n = (int)(m[1].rm_eo - m[1].rm_so);
		cr_assert(n > 0 && n <= 10);
		snprintf(ids[i], sizeof ids[i], "%.*s", n, h + m[1].rm_so);
		cr_assert(strtoll(ids[i], NULL, 10) <= 2147483647LL);
		done(&r);
	}
	/* three random 31-bit ids: equal ones would mean no randomness */
	cr_assert(strcmp(ids[0], ids[1]) || strcmp(ids[1], ids[2]));
	char *url = kt_xasprintf("%s/api_v3/api_schema.php", sandbox_url());
	tp_response http;
	tp_response_init(&http);
	kt_error err;
	cr_assert_eq(tp_perform(url, NULL, NULL, NULL, &http, &err), 0, "%s", err.msg);
	cr_assert(http.headers.data && strstr(http.headers.data, "X-Kaltura-Session: "));
	tp_response_free(&http);
	/* the web server's own answers (not the API) carry none */
	char *nf = kt_xasprintf("%s/nowhere", sandbox_url());
	tp_response_init(&http);
	tp_perform(nf, NULL, NULL, NULL, &http, &err);
	cr_assert_eq(http.status, 404);
	cr_assert(!http.headers.data || !strstr(http.headers.data, "X-Kaltura-Session"));
	tp_response_free(&http);
	free(nf);
	free(url);
	free(with);
	free(ks);
	regfree(&re);
}

/* ---- formats and HTTP as the server answers (KalturaFrontController, api_v3/web/index.php) */

typedef struct raw_reply {
	long status;
	kt_buf headers, body;
} raw_reply;

static size_t raw_sink(char *p, size_t size, size_t n, void *ud)
{
	kt_buf_add(ud, p, size * n);
	return size * n;
}

/* One request with any method through libcurl; headers and body kept as they came. */
static void raw(const char *method, const char *path, const char *body, raw_reply *out)
{
	kt_buf_init(&out->headers);
	kt_buf_init(&out->body);
	kt_buf_adds(&out->headers, "");
	kt_buf_adds(&out->body, "");
	char *url = kt_xasprintf("%s%s", sandbox_url(), path);
	CURL *h = curl_easy_init();
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	if (!strcmp(method, "HEAD"))
		curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
	if (body)
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, raw_sink);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &out->headers);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, raw_sink);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &out->body);
	cr_assert_eq(curl_easy_perform(h), CURLE_OK, "%s %s", method, url);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &out->status);
	curl_easy_cleanup(h);
	free(url);
}

static void raw_done(raw_reply *r)
{
	kt_buf_free(&r->headers);
	kt_buf_free(&r->body);
}

static bool has_header(const raw_reply *r, const char *line)
{
	return strcasestr(r->headers.data, line) != NULL;
}

Test(sandbox, format_php_serialize)
{
	raw_reply r;
	raw("POST", "/api_v3/service/session/action/start",
	    "format=3&partnerId=1234&secret=" ADMIN "&userId=p", &r);
	cr_assert(!strncmp(r.body.data, "s:", 2), "%s", r.body.data);
	cr_assert_eq(r.body.data[r.body.len - 1], ';');
	raw_done(&r);
	raw("POST", "/api_v3/service/session/action/get", "format=3", &r);
	cr_assert(!strncmp(r.body.data, "a:4:{s:4:\"code\";s:10:\"MISSING_KS\";", 33), "%s",
		  r.body.data);
	raw_done(&r);
	/* a multirequest is a PHP array of the results */
	raw("POST", "/api_v3/service/multirequest",
	    "format=3&1:service=session&1:action=startWidgetSession&1:widgetId=_1234", &r);
	cr_assert(!strncmp(r.body.data, "a:1:{i:0;O:33:\"KalturaStartWidgetSessionResponse\":", 50),
		  "%s", r.body.data);
	raw_done(&r);
}

/* SessionService::startWidgetSession: userId is the PHP integer 0, which the JSON and PHP
 * serializers keep as an integer though the schema types the property string */
Test(sandbox, widget_user_is_an_integer)
{
	raw_reply r;
	raw("POST", "/api_v3/service/session/action/startWidgetSession", "format=3&widgetId=_1234",
	    &r);
	cr_assert(strstr(r.body.data, "s:6:\"userId\";i:0;"), "%s", r.body.data);
	raw_done(&r);
	raw("POST", "/api_v3/service/session/action/startWidgetSession", "format=1&widgetId=_1234",
	    &r);
	cr_assert(strstr(r.body.data, "\"userId\":0"), "%s", r.body.data);
	raw_done(&r);
	raw("POST", "/api_v3/service/session/action/startWidgetSession", "format=2&widgetId=_1234",
	    &r);
	cr_assert(strstr(r.body.data, "<userId>0</userId>"), "%s", r.body.data);
	raw_done(&r);
}

Test(sandbox, format_jsonp_and_unknown)
{
	raw_reply r;
	raw("POST", "/api_v3/service/session/action/startWidgetSession?callback=cb_1",
	    "format=9&widgetId=_1234", &r);
	cr_assert(!strncmp(r.body.data, "cb_1({\"partnerId\":1234,", 23), "%s", r.body.data);
	cr_assert(!strcmp(r.body.data + r.body.len - 2, ");"), "%s", r.body.data);
	cr_assert(has_header(&r, "Content-Type: application/javascript"), "%s", r.headers.data);
	raw_done(&r);
	/* the callback comes from the query string only; without one, kRendererDieError */
	raw("POST", "/api_v3/service/session/action/startWidgetSession",
	    "format=9&widgetId=_1234&callback=cb", &r);
	cr_assert_eq(r.body.len, 0, "%s", r.body.data);
	cr_assert(has_header(&r, "X-Kaltura: error- MANDATORY_PARAMETER_MISSING"), "%s",
		  r.headers.data);
	raw_done(&r);
	raw("GET", "/api_v3/service/session/action/startWidgetSession?format=9&callback=a(1)", NULL,
	    &r);
	cr_assert_eq(r.body.len, 0);
	cr_assert(has_header(&r, "X-Kaltura: error- INVALID_FIELD_VALUE"), "%s", r.headers.data);
	raw_done(&r);
	raw("POST", "/api_v3/service/session/action/startWidgetSession", "format=7&widgetId=_1234",
	    &r);
	cr_assert_eq(r.status, 200);
	cr_assert_eq(r.body.len, 0, "%s", r.body.data);
	cr_assert(has_header(&r, "X-Kaltura: error- UNKNOWN_RESPONSE_FORMAT"), "%s", r.headers.data);
	cr_assert(has_header(&r, "X-Kaltura-App: exiting on error UNKNOWN_RESPONSE_FORMAT - "),
		  "%s", r.headers.data);
	raw_done(&r);
}

Test(sandbox, xml_nulls_and_ignore_null)
{
	raw_reply r;
	raw("POST", "/api_v3/service/session/action/startWidgetSession", "widgetId=_1234", &r);
	cr_assert(has_header(&r, "Content-Type: text/xml"), "%s", r.headers.data);
	raw_done(&r);
	char *ks = start_ks(NULL);
	char *body = kt_xasprintf("ks=%s", ks);
	raw("POST", "/api_v3/service/session/action/get", body, &r);
	cr_assert(strstr(r.body.data, "<ks></ks>"), "a null is an empty element: %s", r.body.data);
	raw_done(&r);
	free(body);
	body = kt_xasprintf("ks=%s&ignoreNull=1", ks);
	raw("POST", "/api_v3/service/session/action/get", body, &r);
	cr_assert_null(strstr(r.body.data, "<ks>"), "%s", r.body.data);
	raw_done(&r);
	free(body);
	/* only exactly "1" */
	body = kt_xasprintf("ks=%s&ignoreNull=true", ks);
	raw("POST", "/api_v3/service/session/action/get", body, &r);
	cr_assert(strstr(r.body.data, "<ks></ks>"), "%s", r.body.data);
	raw_done(&r);
	free(body);
	free(ks);
}

Test(sandbox, cors_preflight_head_and_headers)
{
	raw_reply r;
	raw("OPTIONS", "/api_v3/service/session/action/start", NULL, &r);
	cr_assert_eq(r.status, 200);
	cr_assert(has_header(&r, "Access-Control-Allow-Origin: *"), "%s", r.headers.data);
	cr_assert(has_header(&r, "Access-Control-Allow-Methods: POST, GET, HEAD, OPTIONS"));
	cr_assert(has_header(&r, "Access-Control-Allow-Headers: Origin, X-Requested-With, "
				 "Content-Type, Accept, Range, Cache-Control"));
	cr_assert(has_header(&r, "Access-Control-Max-Age: 86400"));
	cr_assert_eq(r.body.len, 0);
	raw_done(&r);
	raw("HEAD", "/api_v3/service/session/action/startWidgetSession?widgetId=_1234", NULL, &r);
	cr_assert_eq(r.status, 200);
	cr_assert(has_header(&r, "X-Kaltura-Session: "), "%s", r.headers.data);
	cr_assert_eq(r.body.len, 0);
	raw_done(&r);
	raw("GET", "/api_v3/service/session/action/startWidgetSession?widgetId=_1234", NULL, &r);
	cr_assert(has_header(&r, "Access-Control-Allow-Origin: *"), "%s", r.headers.data);
	cr_assert(has_header(&r, "Access-Control-Expose-Headers: Server, Content-Length, "
				 "Content-Range, Date, X-Kaltura, X-Kaltura-Session, X-Me"));
	raw_done(&r);
	raw("DELETE", "/api_v3/service/session/action/start", NULL, &r);
	cr_assert_eq(r.status, 405);
	raw_done(&r);
}

Test(sandbox, forbidden_names_itself_in_headers)
{
	char *w = NULL;
	raw_reply r;
	raw("POST", "/api_v3/service/session/action/startWidgetSession", "format=1&widgetId=_1234",
	    &r);
	json_t *j = json_loads(r.body.data, 0, NULL);
	w = kt_xstrdup(json_string_value(json_object_get(j, "ks")));
	json_decref(j);
	raw_done(&r);
	char *body = kt_xasprintf("ks=%s", w);
	raw("POST", "/api_v3/service/user/action/list", body, &r);
	cr_assert(strstr(r.body.data, "<code>SERVICE_FORBIDDEN</code>"), "%s", r.body.data);
	cr_assert(has_header(&r, "X-Kaltura: error-SERVICE_FORBIDDEN"), "%s", r.headers.data);
	cr_assert(has_header(&r, "X-Kaltura-App: exiting on error SERVICE_FORBIDDEN - The access "
				 "to service [user->list] is forbidden"), "%s", r.headers.data);
	raw_done(&r);
	free(body);
	free(w);
}

Test(sandbox, nul_in_a_value_is_refused)
{
	reply r;
	form("/api_v3/service/session/action/start", "partnerId=1234&secret=" ADMIN "%00more", &r);
	expect_error(&r, "INVALID_PARAMETER_CHAR", NULL);
	done(&r);
	post("/api_v3/service/session/action/start?partnerId=1234&secret=" ADMIN "%00x", NULL,
	     NULL, KT_FORMAT_XML, &r);
	expect_error(&r, "INVALID_PARAMETER_CHAR", NULL);
	done(&r);
}
