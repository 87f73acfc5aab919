#include <criterion/criterion.h>
#include <criterion/redirect.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "files.h"
#include "response.h"
#include "util.h"

/* KSs from ../shared/ks-vectors.tsv (rows 16, 13 and 14); the recorded bodies carry them. */
#define KS_START "djJ8MTIzNDV8rr9uY1UhBwF9dIYTPOQPDhnrvSgpazkybu8ycseawucaU5V0g1NzfRI2sGlfFPekedruh-qCvDp7F3x2XaIhgA=="
#define KS_WIDGET "djJ8MTIzNDV8JlZ-qCHmVjx7ppN_FYu7RUdFUnjwar60St8I-G5YHo-XSPLuC-8IdThevBsy0SnOwswD_SCpMluvaHWXqdvIRT9mrj0I0E6IT_B2Hp9S5gk="
#define KS_APPTOKEN "djJ8MTIzNDV86UZUPuZ5eeVd4YttMmovpHdgGGGLxJ1Qf6_M5b2wMv81Id25hSHuo3tdzq_Uu-taes-0tEUq-b9a1Y8UZ1Ay847P_xvseEI5h7OeIWXXTZ9lqy4G0UYlyY2E7FtS1fGQVQMmB8lB_LyHdgU-lrGv4A=="

#define XML_HEAD "<?xml version=\"1.0\" encoding=\"utf-8\"?>"

static char *load(const char *name, size_t *len)
{
	const char *dir = getenv("KT_TESTDATA");
	char *path = kt_xasprintf("%s/responses/%s", dir ? dir : "tests/data", name);
	kt_error err = { 0 };
	char *body = files_read(path, len, &err);
	cr_assert_not_null(body, "%s", err.msg);
	free(path);
	return body;
}

static int format_of(const char *name)
{
	size_t n = strlen(name);
	return n > 5 && !strcmp(name + n - 5, ".json") ? KT_FORMAT_JSON : KT_FORMAT_XML;
}

static void parse_file(const char *name, response *r)
{
	size_t len;
	char *body = load(name, &len);
	kt_error err = {0};
	int rc = response_parse(body, len, format_of(name), r, &err);
	cr_assert_eq(rc, 0, "%s: %s", name, err.msg);
	cr_assert_not_null(r->result);
	cr_assert_eq(r->format, format_of(name));
	free(body);
}

static void parse_str(const char *body, int format, response *r)
{
	kt_error err = {0};
	int rc = response_parse(body, strlen(body), format, r, &err);
	cr_assert_eq(rc, 0, "%s: %s", body, err.msg);
}

/* Parses what must fail and returns the sentence. */
static void expect_fail(const char *body, size_t len, int format, kt_code code, kt_error *err)
{
	response r;
	kt_error_clear(err);
	cr_assert_eq(response_parse(body, len, format, &r, err), -1, "parsed: %.80s", body);
	cr_assert_eq(err->code, code, "code %d: %s", err->code, err->msg);
	cr_assert_null(r.result);
	cr_assert(err->msg[0]);
	cr_assert_null(strchr(err->msg, '\n'), "multi-line message: %s", err->msg);
	response_free(&r);
}

static void expect_fail_msg(const char *body, size_t len, int format, const char *msg)
{
	kt_error err;
	expect_fail(body, len, format, KT_E_RESPONSE, &err);
	cr_assert_str_eq(err.msg, msg);
}

static void expect_fail_file(const char *name, int format, const char *msg)
{
	size_t len;
	char *body = load(name, &len);
	expect_fail_msg(body, len, format, msg);
	/* the pretty printer refuses the same bodies with the same sentence */
	kt_error err = {0};
	cr_assert_null(response_pretty(body, len, format, &err));
	cr_assert_eq(err.code, KT_E_RESPONSE);
	cr_assert_str_eq(err.msg, msg);
	free(body);
}

static const char *text_at(const rvalue *v, const char *path)
{
	const rvalue *p = rvalue_path(v, path);
	cr_assert_not_null(p, "no %s", path);
	cr_assert_eq(p->kind, RV_SCALAR, "%s is not a scalar", path);
	return p->text;
}

/* memmem with the remaining length: ASan's strstr measures the whole haystack at every call,
 * which made this quadratic on the 20,000-item list */
static size_t count(const char *hay, const char *needle)
{
	size_t n = 0, nl = strlen(needle);
	const char *end = hay + strlen(hay);
	for (const char *p = hay; (p = memmem(p, (size_t)(end - p), needle, nl)); p += nl)
		n++;
	return n;
}

/* ---- the recorded bodies ---- */

Test(response, session_start_xml)
{
	response r;
	parse_file("session-start.xml", &r);
	cr_assert_eq(r.result->kind, RV_SCALAR);
	cr_assert_str_eq(r.result->text, KS_START);
	cr_assert_null(r.result->name);
	cr_assert(r.has_execution_time);
	cr_assert_float_eq(r.execution_time, 0.0123, 1e-12);
	cr_assert_null(response_error(&r));
	cr_assert_str_eq(response_find_ks(&r, "session", "start"), KS_START);
	cr_assert_str_eq(response_find_ks(&r, "SESSION", "START"), KS_START);
	cr_assert_null(response_find_ks(&r, "category", "get"));
	cr_assert_null(response_find_ks(&r, "session", "end"));
	cr_assert_null(response_find_ks(&r, NULL, "start"));
	cr_assert_null(response_find_ks(&r, "session", NULL));
	response_free(&r);
	cr_assert_null(r.result);
	response_free(&r); /* twice is harmless */
}

Test(response, session_start_json)
{
	response r;
	parse_file("session-start.json", &r);
	cr_assert_eq(r.result->kind, RV_SCALAR);
	cr_assert_str_eq(r.result->text, KS_START);
	cr_assert_not(r.has_execution_time);
	cr_assert_str_eq(response_find_ks(&r, "session", "start"), KS_START);
	response_free(&r);
}

Test(response, string_results_of_other_ks_actions)
{
	static const char *const actions[][2] = {
		{"session", "impersonate"}, {"user", "loginByLoginId"}, {"user", "login"},
		{"User", "LOGINBYLOGINID"},
	};
	response x, j;
	parse_file("session-start.xml", &x);
	parse_file("session-start.json", &j);
	for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++) {
		cr_assert_str_eq(response_find_ks(&x, actions[i][0], actions[i][1]), KS_START);
		cr_assert_str_eq(response_find_ks(&j, actions[i][0], actions[i][1]), KS_START);
	}
	/* an object result carries its KS only for the actions that return one in `ks` */
	cr_assert_null(response_find_ks(&x, "appToken", "startSession"));
	response_free(&x);
	response_free(&j);
}

static void check_category(const response *r)
{
	const rvalue *c = r->result;
	cr_assert_eq(c->kind, RV_OBJECT);
	cr_assert_str_eq(c->object_type, "KalturaCategory");
	cr_assert_null(rvalue_get(c, "objectType"), "objectType is not a property");
	cr_assert_eq(c->n, 32);
	cr_assert_str_eq(c->children[0]->name, "id");
	cr_assert_str_eq(text_at(c, "id"), "5");
	cr_assert_str_eq(text_at(c, "partnerId"), "12345");
	cr_assert_str_eq(text_at(c, "name"), "Vid\xc3\xa9os \xe2\x80\x94 \xd7\xa7\xd7\x98\xd7\x92\xd7\x95\xd7\xa8\xd7\x99\xd7\x94 \xe2\x9c\x93");
	cr_assert_str_eq(text_at(c, "tags"), "news,<b>&more");
	cr_assert_str_eq(text_at(c, "description"), "");
	cr_assert_str_eq(text_at(c, "isAggregationCategory"), "0");
	cr_assert_null(rvalue_get(c, "adminTags"));
	cr_assert_null(response_error(r));
	cr_assert_null(response_find_ks(r, "session", "start"));
}

Test(response, category_get_xml)
{
	response r;
	parse_file("category-get.xml", &r);
	check_category(&r);
	cr_assert_float_eq(r.execution_time, 0.0071, 1e-12);
	response_free(&r);
}

Test(response, category_get_json)
{
	response r;
	parse_file("category-get.json", &r);
	check_category(&r);
	response_free(&r);
}

static void check_not_found(const response *r)
{
	const rvalue *e = r->result;
	cr_assert_eq(e->kind, RV_ERROR);
	cr_assert_str_eq(e->code, "CATEGORY_NOT_FOUND");
	cr_assert_str_eq(e->message, "Category id \"5\" not found");
	cr_assert_str_eq(e->object_type, "KalturaAPIException");
	cr_assert_eq(e->n, 1);
	cr_assert_eq(e->children[0]->kind, RV_SCALAR);
	cr_assert_str_eq(e->children[0]->name, "ID");
	cr_assert_str_eq(e->children[0]->text, "5");
	cr_assert_eq(response_error(r), e);
	cr_assert_null(response_find_ks(r, "session", "start"));
}

Test(response, error_with_args_xml)
{
	response r;
	parse_file("error-category-not-found.xml", &r);
	check_not_found(&r);
	response_free(&r);
}

Test(response, error_with_args_json)
{
	response r;
	parse_file("error-category-not-found.json", &r);
	check_not_found(&r);
	response_free(&r);
}

static void check_missing_ks(const response *r)
{
	cr_assert_eq(r->result->kind, RV_ERROR);
	cr_assert_str_eq(r->result->code, "MISSING_KS");
	cr_assert_str_eq(r->result->message, "Missing KS, session not established");
	cr_assert_eq(r->result->n, 0);
}

Test(response, error_without_args)
{
	response r;
	parse_file("error-missing-ks.xml", &r);
	check_missing_ks(&r);
	response_free(&r);
	parse_file("error-missing-ks.json", &r); /* "args":[] */
	check_missing_ks(&r);
	response_free(&r);
	/* no <args> element at all */
	parse_str(XML_HEAD "<xml><result><error><code>MISSING_KS</code><message>Missing KS, session not "
		  "established</message><objectType>KalturaAPIException</objectType></error></result></xml>",
		  KT_FORMAT_XML, &r);
	check_missing_ks(&r);
	response_free(&r);
}

Test(response, error_args_keep_their_order)
{
	/* INVALID_KS = Invalid KS "@KSID@", Error "@ERR_CODE@,@ERR_DESC@" */
	static const char *const names[] = {"KSID", "ERR_CODE", "ERR_DESC"};
	static const char *const values[] = {"abc", "-1", "INVALID_STR"};
	response x, j;
	parse_str(XML_HEAD "<xml><result><error><code>INVALID_KS</code><message>Invalid KS \"abc\", Error "
		  "\"-1,INVALID_STR\"</message><objectType>KalturaAPIException</objectType><args>"
		  "<item><objectType>KalturaApiExceptionArg</objectType><name>KSID</name><value>abc</value></item>"
		  "<item><objectType>KalturaApiExceptionArg</objectType><name>ERR_CODE</name><value>-1</value></item>"
		  "<item><objectType>KalturaApiExceptionArg</objectType><name>ERR_DESC</name><value>INVALID_STR</value></item>"
		  "</args></error></result></xml>", KT_FORMAT_XML, &x);
	parse_str("{\"code\":\"INVALID_KS\",\"message\":\"Invalid KS \\\"abc\\\", Error \\\"-1,INVALID_STR\\\"\","
		  "\"objectType\":\"KalturaAPIException\",\"args\":{\"KSID\":\"abc\",\"ERR_CODE\":\"-1\","
		  "\"ERR_DESC\":\"INVALID_STR\"}}", KT_FORMAT_JSON, &j);
	const response *both[] = {&x, &j};
	for (int k = 0; k < 2; k++) {
		const rvalue *e = both[k]->result;
		cr_assert_eq(e->kind, RV_ERROR);
		cr_assert_str_eq(e->message, "Invalid KS \"abc\", Error \"-1,INVALID_STR\"");
		cr_assert_eq(e->n, 3);
		for (size_t i = 0; i < 3; i++) {
			cr_assert_str_eq(e->children[i]->name, names[i]);
			cr_assert_str_eq(e->children[i]->text, values[i]);
		}
	}
	response_free(&x);
	response_free(&j);
}

Test(response, exception_object_without_error_wrapper)
{
	response r;
	parse_str(XML_HEAD "<xml><result><objectType>KalturaAPIException</objectType><code>SERVICE_FORBIDDEN</code>"
		  "<message>The access to service [category] is forbidden</message></result></xml>",
		  KT_FORMAT_XML, &r);
	cr_assert_eq(r.result->kind, RV_ERROR);
	cr_assert_str_eq(r.result->code, "SERVICE_FORBIDDEN");
	cr_assert_str_eq(r.result->message, "The access to service [category] is forbidden");
	response_free(&r);
}

static void check_list(const response *r)
{
	const rvalue *l = r->result;
	cr_assert_eq(l->kind, RV_OBJECT);
	cr_assert_str_eq(l->object_type, "KalturaCategoryListResponse");
	const rvalue *objs = rvalue_get(l, "objects");
	cr_assert_not_null(objs);
	cr_assert_eq(objs->kind, RV_ARRAY);
	cr_assert_eq(objs->n, 2);
	cr_assert_null(objs->children[0]->name);
	cr_assert_str_eq(objs->children[1]->object_type, "KalturaCategory");
	cr_assert_str_eq(text_at(l, "totalCount"), "2");
	cr_assert_str_eq(text_at(l, "objects:0:id"), "5");
	cr_assert_str_eq(text_at(l, "objects:1:name"), "Sport");
	cr_assert_str_eq(text_at(l, "objects:1:fullName"), "News>Sport");
	cr_assert_str_eq(text_at(l, "objects:0:tags"), "");
	cr_assert_null(rvalue_path(l, "objects:2:name"));
	cr_assert_null(rvalue_path(l, "objects:-1:name"));
	cr_assert_null(rvalue_path(l, "objects:x:name"));
	cr_assert_null(rvalue_path(l, "objects:1:"));
	cr_assert_null(rvalue_path(l, "objects::name"));
	cr_assert_null(rvalue_path(l, "totalCount:0"));
	cr_assert_null(rvalue_path(l, "nothing"));
	cr_assert_null(rvalue_path(NULL, "objects"));
	cr_assert_null(rvalue_path(l, NULL));
	cr_assert_null(rvalue_get(objs->children[0], NULL));
	cr_assert_null(rvalue_get(NULL, "id"));
	cr_assert_null(rvalue_get(rvalue_get(l, "totalCount"), "x"));
	cr_assert_eq(rvalue_path(l, "objects"), objs);
}

Test(response, list_xml)
{
	response r;
	parse_file("category-list.xml", &r);
	check_list(&r);
	response_free(&r);
}

Test(response, list_json)
{
	response r;
	parse_file("category-list.json", &r);
	check_list(&r);
	response_free(&r);
}

Test(response, empty_list)
{
	response x, j;
	parse_file("category-list-empty.xml", &x);
	parse_file("category-list-empty.json", &j);
	/* an empty array is an empty element in XML: ambiguous on the wire, so a scalar "" */
	const rvalue *ox = rvalue_get(x.result, "objects"), *oj = rvalue_get(j.result, "objects");
	cr_assert_eq(ox->kind, RV_SCALAR);
	cr_assert_str_eq(ox->text, "");
	cr_assert_eq(oj->kind, RV_ARRAY);
	cr_assert_eq(oj->n, 0);
	cr_assert_str_eq(text_at(x.result, "totalCount"), "0");
	cr_assert_str_eq(text_at(j.result, "totalCount"), "0");
	response_free(&x);
	response_free(&j);
}

static void check_multirequest(const response *r)
{
	const rvalue *a = r->result;
	cr_assert_eq(a->kind, RV_ARRAY);
	cr_assert_eq(a->n, 2);
	cr_assert_eq(a->children[0]->kind, RV_SCALAR);
	cr_assert_str_eq(a->children[0]->text, KS_START);
	cr_assert_eq(a->children[1]->kind, RV_ERROR);
	cr_assert_str_eq(a->children[1]->code, "CATEGORY_NOT_FOUND");
	cr_assert_str_eq(a->children[1]->children[0]->text, "5");
	cr_assert_eq(response_error(r), a->children[1]);
	/* only single results give their KS */
	cr_assert_null(response_find_ks(r, "session", "start"));
	cr_assert_null(response_find_ks(r, "multirequest", "null"));
	cr_assert_str_eq(text_at(a, "0"), KS_START);
}

Test(response, multirequest_xml)
{
	response r;
	parse_file("multirequest.xml", &r);
	check_multirequest(&r);
	response_free(&r);
}

Test(response, multirequest_json)
{
	response r;
	parse_file("multirequest.json", &r);
	check_multirequest(&r);
	response_free(&r);
}

Test(response, multirequest_without_errors)
{
	response r;
	parse_str(XML_HEAD "<xml><result><item>" KS_START "</item><item></item></result></xml>",
		  KT_FORMAT_XML, &r);
	cr_assert_eq(r.result->kind, RV_ARRAY);
	cr_assert_eq(r.result->n, 2);
	cr_assert_null(response_error(&r));
	response_free(&r);
}

static void check_map(const response *r)
{
	const rvalue *c = r->result;
	cr_assert_str_eq(c->object_type, "KalturaCategory");
	const rvalue *m = rvalue_get(c, "members");
	cr_assert_null(m, "map keys are not properties of the owner");
	const rvalue *rel = rvalue_get(c, "relatedObjects");
	cr_assert_not_null(rel);
	m = rvalue_get(rel, "members");
	cr_assert_not_null(m);
	cr_assert_str_eq(m->object_type, "KalturaCategoryUserListResponse");
	cr_assert_null(rvalue_get(m, "itemKey"));
	cr_assert_str_eq(text_at(c, "relatedObjects:members:totalCount"), "1");
	cr_assert_str_eq(text_at(c, "relatedObjects:members:objects:0:userId"), "alice");
	cr_assert_str_eq(text_at(c, "relatedObjects:parents:totalCount"), "0");
	cr_assert_str_eq(text_at(c, "name"), "News");
	cr_assert_eq(c->n, 3);
}

Test(response, map_xml)
{
	response r;
	parse_file("map.xml", &r);
	check_map(&r);
	const rvalue *rel = rvalue_get(r.result, "relatedObjects");
	cr_assert_eq(rel->kind, RV_ARRAY);
	cr_assert_eq(rel->n, 2);
	cr_assert_str_eq(rel->children[0]->name, "members");
	cr_assert_str_eq(rel->children[1]->name, "parents");
	cr_assert_eq(rel->children[0]->n, 2, "itemKey is not a property of the item");
	/* rvalue_path still indexes a map by position */
	cr_assert_str_eq(text_at(r.result, "relatedObjects:1:totalCount"), "0");
	response_free(&r);
}

Test(response, map_json)
{
	response r;
	parse_file("map.json", &r);
	check_map(&r);
	response_free(&r);
}

Test(response, map_with_key_attribute)
{
	/* older servers write <item key="k"> */
	response r;
	parse_str(XML_HEAD "<xml><result><objectType>KalturaCategory</objectType><relatedObjects>"
		  "<item key=\"members\"><objectType>KalturaCategoryUserListResponse</objectType>"
		  "<totalCount>4</totalCount></item></relatedObjects></result></xml>", KT_FORMAT_XML, &r);
	cr_assert_str_eq(text_at(r.result, "relatedObjects:members:totalCount"), "4");
	response_free(&r);
}

Test(response, void_result)
{
	response r;
	parse_file("void.xml", &r);
	cr_assert_eq(r.result->kind, RV_NULL);
	cr_assert(r.has_execution_time);
	cr_assert_null(response_find_ks(&r, "session", "start"));
	cr_assert_null(response_error(&r));
	response_free(&r);
	parse_file("void.json", &r);
	cr_assert_eq(r.result->kind, RV_NULL);
	response_free(&r);
	/* <result/> is void too; "0" is not */
	parse_str(XML_HEAD "<xml><result/></xml>", KT_FORMAT_XML, &r);
	cr_assert_eq(r.result->kind, RV_NULL);
	cr_assert_not(r.has_execution_time);
	response_free(&r);
	parse_str(XML_HEAD "<xml><result>0</result></xml>", KT_FORMAT_XML, &r);
	cr_assert_eq(r.result->kind, RV_SCALAR);
	cr_assert_str_eq(r.result->text, "0");
	response_free(&r);
}

static void check_apptoken(const response *r)
{
	cr_assert_str_eq(r->result->object_type, "KalturaSessionInfo");
	cr_assert_str_eq(response_find_ks(r, "appToken", "startSession"), KS_APPTOKEN);
	cr_assert_str_eq(response_find_ks(r, "apptoken", "STARTSESSION"), KS_APPTOKEN);
	/* session.get returns the same class, but is not an action that hands out a KS */
	cr_assert_null(response_find_ks(r, "session", "get"));
	cr_assert_null(response_find_ks(r, "session", "start"));
	cr_assert_str_eq(text_at(r->result, "userId"), "");
	cr_assert_str_eq(text_at(r->result, "sessionType"), "0");
}

Test(response, apptoken_start_session)
{
	response r;
	parse_file("apptoken-start-session.xml", &r);
	check_apptoken(&r);
	response_free(&r);
	parse_file("apptoken-start-session.json", &r);
	check_apptoken(&r);
	response_free(&r);
}

Test(response, start_widget_session)
{
	const char *files[] = {"start-widget-session.xml", "start-widget-session.json"};
	for (int i = 0; i < 2; i++) {
		response r;
		parse_file(files[i], &r);
		cr_assert_str_eq(r.result->object_type, "KalturaStartWidgetSessionResponse");
		cr_assert_str_eq(response_find_ks(&r, "session", "startWidgetSession"), KS_WIDGET);
		cr_assert_str_eq(text_at(r.result, "partnerId"), "12345");
		response_free(&r);
	}
}

Test(response, ks_not_found_in_errors_or_empty_results)
{
	response r;
	parse_str(XML_HEAD "<xml><result><objectType>KalturaSessionInfo</objectType><ks></ks></result></xml>",
		  KT_FORMAT_XML, &r);
	cr_assert_null(response_find_ks(&r, "appToken", "startSession"));
	response_free(&r);
	parse_str("{\"objectType\":\"KalturaSessionInfo\",\"ks\":null}", KT_FORMAT_JSON, &r);
	cr_assert_null(response_find_ks(&r, "appToken", "startSession"));
	response_free(&r);
	parse_file("error-category-not-found.xml", &r);
	cr_assert_null(response_find_ks(&r, "appToken", "startSession"));
	response_free(&r);
	cr_assert_null(response_find_ks(NULL, "session", "start"));
}

Test(response, json_scalars_read_like_xml)
{
	/* KalturaWidget.enforceEntitlement is a bool: XML writes 1/0 */
	response r;
	parse_str("{\"id\":\"_12345\",\"enforceEntitlement\":true,\"addEmbedHtml5Support\":false,"
		  "\"partnerId\":-42,\"rank\":29.97,\"big\":9007199254740993,\"sum\":0.30000000000000004,"
		  "\"tiny\":1e-300,\"privileges\":null,\"objectType\":\"KalturaWidget\"}", KT_FORMAT_JSON, &r);
	cr_assert_str_eq(text_at(r.result, "enforceEntitlement"), "1");
	cr_assert_str_eq(text_at(r.result, "addEmbedHtml5Support"), "0");
	cr_assert_str_eq(text_at(r.result, "partnerId"), "-42");
	cr_assert_str_eq(text_at(r.result, "rank"), "29.97");
	cr_assert_str_eq(text_at(r.result, "big"), "9007199254740993");
	cr_assert_str_eq(text_at(r.result, "sum"), "0.30000000000000004");
	cr_assert_str_eq(text_at(r.result, "tiny"), "1e-300");
	cr_assert_eq(rvalue_get(r.result, "privileges")->kind, RV_NULL);
	response_free(&r);
	parse_str(" 12 ", KT_FORMAT_JSON, &r);
	cr_assert_str_eq(r.result->text, "12");
	response_free(&r);
	parse_str("true", KT_FORMAT_JSON, &r);
	cr_assert_str_eq(r.result->text, "1");
	response_free(&r);
}

Test(response, numbers_ignore_the_locale)
{
	if (!setlocale(LC_NUMERIC, "de_DE.UTF-8") && !setlocale(LC_NUMERIC, "fr_FR.UTF-8"))
		cr_skip_test("no locale with a decimal comma installed");
	response r;
	parse_str("{\"rank\":29.97}", KT_FORMAT_JSON, &r);
	cr_assert_str_eq(text_at(r.result, "rank"), "29.97");
	response_free(&r);
	parse_file("session-start.xml", &r);
	cr_assert_float_eq(r.execution_time, 0.0123, 1e-12);
	response_free(&r);
	setlocale(LC_NUMERIC, "C");
}

/* Both formats of the same answer read the same, but for the two things the wire cannot say in
 * XML: a map is an array with named items (JSON: an object without objectType), and an empty
 * array is an empty element (a scalar ""). */
static void same_value(const rvalue *x, const rvalue *j, const char *where)
{
	if (x->kind == RV_SCALAR && !*x->text && j->kind == RV_ARRAY && j->n == 0)
		return;
	bool map = x->kind == RV_ARRAY && j->kind == RV_OBJECT && !j->object_type;
	cr_assert(x->kind == j->kind || map, "%s: kinds %d and %d", where, x->kind, j->kind);
	cr_assert_eq(!x->name, !j->name, "%s", where);
	if (x->name)
		cr_assert_str_eq(x->name, j->name, "%s", where);
	if (x->kind == RV_SCALAR)
		cr_assert_str_eq(x->text, j->text, "%s", where);
	cr_assert_eq(!x->object_type, !j->object_type, "%s", where);
	if (x->object_type)
		cr_assert_str_eq(x->object_type, j->object_type, "%s", where);
	if (x->kind == RV_ERROR) {
		cr_assert_str_eq(x->code, j->code, "%s", where);
		cr_assert_str_eq(x->message, j->message, "%s", where);
	}
	cr_assert_eq(x->n, j->n, "%s: %zu and %zu children", where, x->n, j->n);
	for (size_t i = 0; i < x->n; i++) {
		const rvalue *jc = j->children[i];
		/* the JSON files put objectType last, the server's XML puts it first: match by name */
		if (x->kind == RV_OBJECT || x->kind == RV_ERROR || map) {
			jc = NULL;
			for (size_t k = 0; k < j->n && !jc; k++)
				if (!strcmp(j->children[k]->name, x->children[i]->name))
					jc = j->children[k];
			cr_assert_not_null(jc, "%s: no %s in JSON", where, x->children[i]->name);
		}
		char *sub = kt_xasprintf("%s:%s", where, x->children[i]->name ? x->children[i]->name : "[]");
		same_value(x->children[i], jc, sub);
		free(sub);
	}
}

Test(response, both_formats_read_the_same)
{
	static const char *const names[] = {
		"session-start", "category-get", "error-category-not-found", "error-missing-ks",
		"category-list", "category-list-empty", "multirequest", "map", "void",
		"apptoken-start-session", "start-widget-session",
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char *xn = kt_xasprintf("%s.xml", names[i]), *jn = kt_xasprintf("%s.json", names[i]);
		response x, j;
		parse_file(xn, &x);
		parse_file(jn, &j);
		same_value(x.result, j.result, names[i]);
		response_free(&x);
		response_free(&j);
		free(xn);
		free(jn);
	}
}

/* ---- what is not a Kaltura response ---- */

Test(response, empty_body)
{
	expect_fail_file("empty.txt", KT_FORMAT_XML, "the server sent an empty body");
	expect_fail_file("empty.txt", KT_FORMAT_JSON, "the server sent an empty body");
	expect_fail_msg(" \r\n\t", 4, KT_FORMAT_XML, "the server sent an empty body");
	expect_fail_msg(NULL, 0, KT_FORMAT_JSON, "the server sent an empty body");
}

Test(response, html_pages)
{
	expect_fail_file("html-502.html", KT_FORMAT_XML,
			 "the server sent an HTML page, not a Kaltura response: 502 Bad Gateway");
	expect_fail_file("html-502.html", KT_FORMAT_JSON,
			 "the server sent an HTML page, not a Kaltura response: 502 Bad Gateway");
	expect_fail_file("html-503-doctype.html", KT_FORMAT_XML,
			 "the server sent an HTML page, not a Kaltura response: 503 Service Unavailable");
	const char *untitled = "<html><body>Bad gateway</body></html>";
	expect_fail_msg(untitled, strlen(untitled), KT_FORMAT_XML,
			"the server sent an HTML page, not a Kaltura response");
	const char *xhtml = "<?xml version=\"1.0\"?>\n<!-- error -->\n<html xmlns=\"http://www.w3.org/1999/xhtml\">"
			    "<head><TITLE>Service  Unavailable</TITLE></head></html>";
	expect_fail_msg(xhtml, strlen(xhtml), KT_FORMAT_XML,
			"the server sent an HTML page, not a Kaltura response: Service Unavailable");
	/* a well-formed XHTML page that the prefix check does not see still reads as a page */
	const char *late = "<?xml version=\"1.0\"?><!DOCTYPE foo><html><head><title>Oops</title></head></html>";
	expect_fail_msg(late, strlen(late), KT_FORMAT_XML,
			"the server sent an HTML page, not a Kaltura response: Oops");
}

Test(response, html_title_is_cut_at_a_character)
{
	kt_buf b;
	kt_buf_init(&b);
	kt_buf_adds(&b, "<html><title>");
	for (int i = 0; i < 100; i++)
		kt_buf_adds(&b, "\xc3\xa9"); /* é, two bytes */
	kt_buf_adds(&b, "</title></html>");
	kt_error err;
	expect_fail(b.data, b.len, KT_FORMAT_XML, KT_E_RESPONSE, &err);
	const char *t = strstr(err.msg, ": ");
	cr_assert_not_null(t);
	t += 2;
	size_t n = strlen(t);
	cr_assert(n > 50 && n <= 120, "title of %zu bytes", n);
	cr_assert_eq(n % 2, 0, "a UTF-8 sequence was cut: %zu bytes", n);
	kt_buf_free(&b);
}

Test(response, wrong_format)
{
	expect_fail_file("category-get.json", KT_FORMAT_XML,
			 "the server sent JSON, but XML (format 2) was asked for");
	expect_fail_file("multirequest.json", KT_FORMAT_XML,
			 "the server sent JSON, but XML (format 2) was asked for");
	expect_fail_file("category-get.xml", KT_FORMAT_JSON,
			 "the server sent XML, but JSON (format 1) was asked for");
	kt_error err;
	response r;
	cr_assert_eq(response_parse("x", 1, 3, &r, &err), -1);
	cr_assert_eq(err.code, KT_E_USAGE);
	cr_assert_str_eq(err.msg, "response format 3 is not supported: use 1 (JSON) or 2 (XML)");
	cr_assert_null(response_pretty("x", 1, 0, &err));
	cr_assert_eq(err.code, KT_E_USAGE);
}

Test(response, not_an_envelope)
{
	size_t len;
	char *body = load("not-envelope.xml", &len);
	expect_fail_msg(body, len, KT_FORMAT_XML,
			"the server sent XML that is not a Kaltura response: no <result> element");
	/* still XML, so it can be shown */
	kt_error err;
	char *p = response_pretty(body, len, KT_FORMAT_XML, &err);
	cr_assert_not_null(p);
	cr_assert_not_null(strstr(p, "\n  <status>ok</status>\n"));
	free(p);
	free(body);
	const char *no_result = XML_HEAD "<xml><executionTime>1</executionTime></xml>";
	expect_fail_msg(no_result, strlen(no_result), KT_FORMAT_XML,
			"the server sent XML that is not a Kaltura response: no <result> element");
}

Test(response, truncated_xml)
{
	size_t len;
	char *body = load("truncated.xml", &len);
	kt_error err;
	expect_fail(body, len, KT_FORMAT_XML, KT_E_RESPONSE, &err);
	/* the body ends on its third line */
	cr_assert(!strncmp(err.msg, "malformed XML at line 3: ", 25), "%s", err.msg);
	cr_assert(strlen(err.msg) > 25);
	free(body);
}

Test(response, malformed_xml_variants)
{
	static const char *const bodies[] = {
		XML_HEAD "<xml><result>abc</res></xml>",
		XML_HEAD "<xml><result>\xff\xfe</result></xml>",
		"null",
		"<xml><result>1</result></xml><xml/>",
		"<xml><result>&nosuch;</result></xml>",
		XML_HEAD "<xml><result><a b=1/></result></xml>",
	};
	for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
		kt_error err;
		expect_fail(bodies[i], strlen(bodies[i]), KT_FORMAT_XML, KT_E_RESPONSE, &err);
		cr_assert(!strncmp(err.msg, "malformed XML at line 1: ", 25), "%s", err.msg);
	}
}

Test(response, undecodable_bytes)
{
	const char *body = "<?xml version=\"1.0\" encoding=\"EUC-JP\"?><xml><result>\xff\xfe</result></xml>";
	kt_error err;
	expect_fail(body, strlen(body), KT_FORMAT_XML, KT_E_RESPONSE, &err);
	cr_assert(!strncmp(err.msg, "malformed XML", 13), "%s", err.msg);
	cr_assert_null(strstr(err.msg, "line 0"), "%s", err.msg);
}

Test(response, libxml2_stays_off_stderr, .init = cr_redirect_stderr)
{
	static const char *const bodies[] = {
		XML_HEAD "<xml><result>abc</res></xml>",
		XML_HEAD "<xml><result>\xff\xfe</result></xml>",
		"<?xml version=\"1.0\" encoding=\"no-such-charset\"?><xml><result>1</result></xml>",
		"<xml><result><p:a>1</p:a></result></xml>",
		"<xml xmlns:p=\"not a uri\"><result>1</result></xml>",
		"<!DOCTYPE xml SYSTEM \"file:///nonexistent.dtd\"><xml><result>&e;</result></xml>",
		"<?xml version=\"1.0\" encoding=\"EUC-JP\"?><xml><result>\xff\xfe</result></xml>",
	};
	for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
		response r;
		kt_error err;
		response_parse(bodies[i], strlen(bodies[i]), KT_FORMAT_XML, &r, &err);
		response_free(&r);
		free(response_pretty(bodies[i], strlen(bodies[i]), KT_FORMAT_XML, &err));
	}
	fflush(stderr);
	cr_assert_stderr_eq_str("");
}

Test(response, malformed_json)
{
	size_t len;
	char *body = load("malformed.json", &len);
	kt_error err;
	expect_fail(body, len, KT_FORMAT_JSON, KT_E_RESPONSE, &err);
	/* the value is missing on the third line */
	cr_assert(!strncmp(err.msg, "malformed JSON at line 3, column ", 33), "%s", err.msg);
	free(body);
	static const char *const bodies[] = {
		"{\"a\":1} trailing", "{\"a\":1,}", "\"unterminated", "[1,2", "nul", "{\"a\":\"\\u0000\"}",
	};
	for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
		expect_fail(bodies[i], strlen(bodies[i]), KT_FORMAT_JSON, KT_E_RESPONSE, &err);
		cr_assert(!strncmp(err.msg, "malformed JSON at line 1, column ", 33), "%s", err.msg);
	}
}

/* ---- hostile bodies ---- */

static char *nested_xml(int levels)
{
	kt_buf b;
	kt_buf_init(&b);
	kt_buf_adds(&b, XML_HEAD "<xml><result>");
	for (int i = 0; i < levels; i++)
		kt_buf_adds(&b, "<a>");
	kt_buf_adds(&b, "deep");
	for (int i = 0; i < levels; i++)
		kt_buf_adds(&b, "</a>");
	kt_buf_adds(&b, "</result></xml>");
	return kt_buf_steal(&b);
}

static char *nested_json(int levels)
{
	kt_buf b;
	kt_buf_init(&b);
	for (int i = 0; i < levels; i++)
		kt_buf_addc(&b, '[');
	kt_buf_adds(&b, "\"deep\"");
	for (int i = 0; i < levels; i++)
		kt_buf_addc(&b, ']');
	return kt_buf_steal(&b);
}

#define TOO_DEEP "the response is nested too deeply (over 256 levels)"

Test(response, deep_nesting_is_refused)
{
	int levels[] = {10000, 300};
	for (int i = 0; i < 2; i++) {
		char *x = nested_xml(levels[i]), *j = nested_json(levels[i]);
		expect_fail_msg(x, strlen(x), KT_FORMAT_XML, TOO_DEEP);
		expect_fail_msg(j, strlen(j), KT_FORMAT_JSON, TOO_DEEP);
		kt_error err;
		cr_assert_null(response_pretty(x, strlen(x), KT_FORMAT_XML, &err));
		cr_assert_str_eq(err.msg, TOO_DEEP);
		free(x);
		free(j);
	}
	char *j = nested_json(10000);
	kt_error err;
	cr_assert_null(response_pretty(j, strlen(j), KT_FORMAT_JSON, &err));
	cr_assert_str_eq(err.msg, TOO_DEEP);
	free(j);
}

Test(response, moderate_nesting_is_read)
{
	char *x = nested_xml(200), *j = nested_json(200);
	response rx, rj;
	parse_str(x, KT_FORMAT_XML, &rx);
	parse_str(j, KT_FORMAT_JSON, &rj);
	const rvalue *vx = rx.result, *vj = rj.result;
	for (int i = 0; i < 200; i++) {
		cr_assert_eq(vx->kind, RV_OBJECT);
		cr_assert_eq(vx->n, 1);
		vx = vx->children[0];
		cr_assert_eq(vj->kind, RV_ARRAY);
		vj = vj->children[0];
	}
	cr_assert_str_eq(vx->text, "deep");
	cr_assert_str_eq(vj->text, "deep");
	response_free(&rx);
	response_free(&rj);
	free(x);
	free(j);
}

#define SECRET "KT-XXE-SECRET-7f3a"

static char *secret_file(const char *content)
{
	char *path = kt_xstrdup("/tmp/kt-xxe-XXXXXX");
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, content, strlen(content)), (ssize_t)strlen(content));
	close(fd);
	return path;
}

static void assert_no_leak(const char *body)
{
	response r;
	kt_error err;
	if (response_parse(body, strlen(body), KT_FORMAT_XML, &r, &err) == 0) {
		const rvalue *v = r.result;
		cr_assert(v->kind == RV_NULL || (v->kind == RV_SCALAR && !strstr(v->text, SECRET)),
			  "the entity was expanded");
		response_free(&r);
	}
	char *p = response_pretty(body, strlen(body), KT_FORMAT_XML, &err);
	if (p)
		cr_assert_null(strstr(p, SECRET), "the entity was expanded: %s", p);
	free(p);
}

Test(response, external_entities_are_not_loaded)
{
	char *plain = secret_file(SECRET);
	char *body = kt_xasprintf("<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM \"file://%s\">]>"
				  "<xml><result>&xxe;</result></xml>", plain);
	assert_no_leak(body);
	free(body);
	/* a parameter entity that would define the entity */
	char *dtd = secret_file("<!ENTITY leak \"" SECRET "\">");
	body = kt_xasprintf("<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY %% p SYSTEM \"file://%s\"> %%p;]>"
			    "<xml><result>&leak;</result></xml>", dtd);
	assert_no_leak(body);
	free(body);
	/* an external DTD */
	body = kt_xasprintf("<?xml version=\"1.0\"?><!DOCTYPE xml SYSTEM \"file://%s\">"
			    "<xml><result>&leak;</result></xml>", dtd);
	assert_no_leak(body);
	free(body);
	unlink(plain);
	unlink(dtd);
	free(plain);
	free(dtd);
}

Test(response, billion_laughs_do_not_expand, .timeout = 20)
{
	kt_buf b;
	kt_buf_init(&b);
	kt_buf_adds(&b, "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY lol \"lol\">"
		    "<!ENTITY lol0 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">");
	for (int i = 1; i < 10; i++)
		kt_buf_printf(&b, "<!ENTITY lol%d \"&lol%d;&lol%d;&lol%d;&lol%d;&lol%d;&lol%d;&lol%d;&lol%d;"
			      "&lol%d;&lol%d;\">", i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1,
			      i - 1, i - 1);
	kt_buf_adds(&b, "]><xml><result>&lol9;</result></xml>");
	response r;
	kt_error err;
	if (response_parse(b.data, b.len, KT_FORMAT_XML, &r, &err) == 0) {
		cr_assert(r.result->kind == RV_NULL || strlen(r.result->text) < 100);
		response_free(&r);
	} else {
		cr_assert_eq(err.code, KT_E_RESPONSE);
	}
	char *p = response_pretty(b.data, b.len, KT_FORMAT_XML, &err);
	if (p)
		cr_assert_lt(strlen(p), 4 * b.len);
	free(p);
	kt_buf_free(&b);
}

/* ---- large results ---- */

#define BIG 20000

Test(response, large_list, .timeout = 60)
{
	kt_buf x, j;
	kt_buf_init(&x);
	kt_buf_init(&j);
	kt_buf_adds(&x, XML_HEAD "<xml><result><objectType>KalturaCategoryListResponse</objectType><objects>");
	kt_buf_adds(&j, "{\"objects\":[");
	for (int i = 1; i <= BIG; i++) {
		kt_buf_printf(&x, "<item><objectType>KalturaCategory</objectType><id>%d</id><parentId>0</parentId>"
			      "<name>Category %d</name><fullName>Root&gt;Category %d</fullName><tags>a,b</tags>"
			      "<description></description><createdAt>1700000000</createdAt></item>", i, i, i);
		kt_buf_printf(&j, "%s{\"id\":%d,\"parentId\":0,\"name\":\"Category %d\",\"fullName\":\"Root>Category %d\","
			      "\"tags\":\"a,b\",\"description\":\"\",\"createdAt\":1700000000,"
			      "\"objectType\":\"KalturaCategory\"}", i > 1 ? "," : "", i, i, i);
	}
	kt_buf_printf(&x, "</objects><totalCount>%d</totalCount></result><executionTime>1.5</executionTime></xml>", BIG);
	kt_buf_printf(&j, "],\"totalCount\":%d,\"objectType\":\"KalturaCategoryListResponse\"}", BIG);

	response rx, rj;
	kt_error err;
	cr_assert_eq(response_parse(x.data, x.len, KT_FORMAT_XML, &rx, &err), 0, "%s", err.msg);
	cr_assert_eq(response_parse(j.data, j.len, KT_FORMAT_JSON, &rj, &err), 0, "%s", err.msg);
	const response *both[] = {&rx, &rj};
	for (int k = 0; k < 2; k++) {
		const rvalue *objs = rvalue_get(both[k]->result, "objects");
		cr_assert_eq(objs->n, BIG);
		cr_assert_str_eq(text_at(both[k]->result, "totalCount"), "20000");
		cr_assert_str_eq(text_at(both[k]->result, "objects:0:id"), "1");
		cr_assert_str_eq(text_at(both[k]->result, "objects:19999:id"), "20000");
		cr_assert_str_eq(text_at(both[k]->result, "objects:12344:fullName"), "Root>Category 12345");
		for (size_t i = 0; i < objs->n; i++)
			cr_assert_eq(objs->children[i]->n, 7);
	}
	response_free(&rx);
	response_free(&rj);

	char *px = response_pretty(x.data, x.len, KT_FORMAT_XML, &err);
	char *pj = response_pretty(j.data, j.len, KT_FORMAT_JSON, &err);
	cr_assert_not_null(px);
	cr_assert_not_null(pj);
	cr_assert_eq(count(px, "\n      <item>\n        <objectType>KalturaCategory</objectType>\n"), BIG);
	cr_assert_eq(count(pj, "\n      \"objectType\": \"KalturaCategory\"\n"), BIG);
	free(px);
	free(pj);
	kt_buf_free(&x);
	kt_buf_free(&j);
}

/* ---- the pretty printer ---- */

Test(response, pretty_xml)
{
	const char *body = XML_HEAD "<xml><result><objectType>KalturaCategory</objectType><id>5</id>"
			   "<name>Caf\xc3\xa9 \xe2\x9c\x93 \xd7\xa7</name><tags>a&amp;b</tags><description></description>"
			   "<objects><item><id>1</id></item></objects></result>"
			   "<executionTime>0.0123</executionTime></xml>";
	const char *want = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			   "<xml>\n"
			   "  <result>\n"
			   "    <objectType>KalturaCategory</objectType>\n"
			   "    <id>5</id>\n"
			   "    <name>Caf\xc3\xa9 \xe2\x9c\x93 \xd7\xa7</name>\n"
			   "    <tags>a&amp;b</tags>\n"
			   "    <description/>\n"
			   "    <objects>\n"
			   "      <item>\n"
			   "        <id>1</id>\n"
			   "      </item>\n"
			   "    </objects>\n"
			   "  </result>\n"
			   "  <executionTime>0.0123</executionTime>\n"
			   "</xml>\n";
	kt_error err;
	char *p = response_pretty(body, strlen(body), KT_FORMAT_XML, &err);
	cr_assert_not_null(p, "%s", err.msg);
	cr_assert_str_eq(p, want);
	/* already indented input is re-indented the same way */
	char *again = response_pretty(p, strlen(p), KT_FORMAT_XML, &err);
	cr_assert_str_eq(again, want);
	free(again);
	free(p);
	/* indentation the server (or a proxy) added is replaced, not kept */
	const char *tabbed = "<xml>\n\t<result>\n\t\t<id>5</id>\n\t</result>\n</xml>\n";
	p = response_pretty(tabbed, strlen(tabbed), KT_FORMAT_XML, &err);
	cr_assert_str_eq(p, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xml>\n  <result>\n    <id>5</id>\n"
			    "  </result>\n</xml>\n");
	free(p);
}

Test(response, pretty_json)
{
	const char *body = "{\"id\":5,\"name\":\"Caf\xc3\xa9 \xe2\x9c\x93 \xd7\xa7\",\"url\":\"https:\\/\\/x\\/y\","
			   "\"rank\":29.97,\"tenth\":0.1,\"tags\":[],\"args\":{},\"isDefault\":true,\"parent\":null,"
			   "\"objectType\":\"KalturaCategory\"}";
	const char *want = "{\n"
			   "  \"id\": 5,\n"
			   "  \"name\": \"Caf\xc3\xa9 \xe2\x9c\x93 \xd7\xa7\",\n"
			   "  \"url\": \"https://x/y\",\n"
			   "  \"rank\": 29.97,\n"
			   "  \"tenth\": 0.1,\n"
			   "  \"tags\": [],\n"
			   "  \"args\": {},\n"
			   "  \"isDefault\": true,\n"
			   "  \"parent\": null,\n"
			   "  \"objectType\": \"KalturaCategory\"\n"
			   "}\n";
	kt_error err;
	char *p = response_pretty(body, strlen(body), KT_FORMAT_JSON, &err);
	cr_assert_not_null(p, "%s", err.msg);
	cr_assert_str_eq(p, want);
	free(p);
	/* a real that needs 17 digits keeps them; a bare string stays a string */
	const char *sum = "[0.30000000000000004,0.5]";
	p = response_pretty(sum, strlen(sum), KT_FORMAT_JSON, &err);
	cr_assert_str_eq(p, "[\n  0.30000000000000004,\n  0.5\n]\n");
	free(p);
	p = response_pretty("\"" KS_START "\"", strlen(KS_START) + 2, KT_FORMAT_JSON, &err);
	cr_assert_str_eq(p, "\"" KS_START "\"\n");
	free(p);
}

Test(response, pretty_refuses_what_does_not_parse)
{
	kt_error err;
	size_t len;
	char *body = load("truncated.xml", &len);
	cr_assert_null(response_pretty(body, len, KT_FORMAT_XML, &err));
	cr_assert_eq(err.code, KT_E_RESPONSE);
	cr_assert(!strncmp(err.msg, "malformed XML at line 3: ", 25), "%s", err.msg);
	free(body);
	body = load("malformed.json", &len);
	cr_assert_null(response_pretty(body, len, KT_FORMAT_JSON, &err));
	cr_assert_eq(err.code, KT_E_RESPONSE);
	cr_assert(!strncmp(err.msg, "malformed JSON at line 3, column ", 33), "%s", err.msg);
	free(body);
}

Test(response, results_holding_credentials)
{
	response r;
	parse_file("session-start.xml", &r);
	cr_assert(response_holds_secret(&r, "session", "start"));
	/* the same string from an action that returns no KS is just a string */
	cr_assert_not(response_holds_secret(&r, "category", "get"));
	response_free(&r);
	kt_error err = { 0 };
	const char *token = XML_HEAD "<xml><result><objectType>KalturaAppToken</objectType>"
			    "<id>0_tok</id><token>abcdef0123456789</token></result>"
			    "<executionTime>0.01</executionTime></xml>";
	cr_assert_eq(response_parse(token, strlen(token), KT_FORMAT_XML, &r, &err), 0, "%s",
		     err.msg);
	cr_assert(response_holds_secret(&r, "appToken", "add"));
	response_free(&r);
	const char *nested = "{\"objectType\":\"KalturaUserListResponse\",\"objects\":[{\"id\":"
			     "\"alice\",\"password\":\"\"},{\"id\":\"bob\",\"password\":\"pw\"}]}";
	cr_assert_eq(response_parse(nested, strlen(nested), KT_FORMAT_JSON, &r, &err), 0, "%s",
		     err.msg);
	cr_assert(response_holds_secret(&r, "user", "list"), "deep in an array");
	response_free(&r);
	const char *plain = XML_HEAD "<xml><result><objectType>KalturaCategory</objectType>"
			    "<id>2</id><name>MediaSpace</name><tokenCount>3</tokenCount></result>"
			    "</xml>";
	cr_assert_eq(response_parse(plain, strlen(plain), KT_FORMAT_XML, &r, &err), 0);
	cr_assert_not(response_holds_secret(&r, "category", "get"));
	response_free(&r);
	cr_assert_not(response_holds_secret(NULL, "session", "start"));
}

Test(response, one_parse_gives_the_model_and_the_pretty_text)
{
	static const char *const names[] = { "session-start.xml", "category-list.json",
					     "error-category-not-found.xml" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		size_t len;
		char *body = load(names[i], &len);
		int format = strstr(names[i], ".json") ? KT_FORMAT_JSON : KT_FORMAT_XML;
		kt_error err = { 0 };
		response a, b;
		char *pretty = NULL;
		cr_assert_eq(response_parse_pretty(body, len, format, &a, &pretty, &err), 0, "%s: %s",
			     names[i], err.msg);
		cr_assert_eq(response_parse(body, len, format, &b, &err), 0);
		char *alone = response_pretty(body, len, format, &err);
		cr_assert_not_null(alone);
		cr_assert_str_eq(pretty, alone, "%s", names[i]);
		cr_assert_eq(a.result->kind, b.result->kind);
		cr_assert_eq(a.has_execution_time, b.has_execution_time);
		free(alone);
		free(pretty);
		response_free(&a);
		response_free(&b);
		free(body);
	}
	/* a body that is not a Kaltura response: no model, no text */
	kt_error err = { 0 };
	response r;
	char *pretty = (char *)"untouched";
	const char *html = "<html><head><title>Bad Gateway</title></head></html>";
	cr_assert_eq(response_parse_pretty(html, strlen(html), KT_FORMAT_XML, &r, &pretty, &err), -1);
	cr_assert_null(pretty);
	cr_assert_null(r.result);
}
