#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "request.h"
#include "util.h"

static char *form_of(kt_request *r)
{
	return request_form_body(r);
}

Test(request, url_for_action_and_multirequest)
{
	kt_request r;
	request_init(&r, "category", "list");
	char *url = request_url(&r, "https://api.eu.kaltura.com");
	cr_assert_str_eq(url, "https://api.eu.kaltura.com/api_v3/service/category/action/list");
	free(url);
	request_free(&r);
	request_init(&r, "multirequest", NULL);
	cr_assert(request_is_multi(&r));
	url = request_url(&r, "http://x");
	cr_assert_str_eq(url, "http://x/api_v3/service/multirequest");
	free(url);
	request_free(&r);
}

Test(request, form_body_fields_then_params_in_order)
{
	kt_request r;
	request_init(&r, "session", "start");
	request_set_field(&r.ks, "abc");
	request_set_field(&r.partner_id, "42");
	cr_assert_eq(param_set(r.params, "secret", "p@ss w0rd!", NULL), 0);
	cr_assert_eq(param_set(r.params, "type", "2", NULL), 0);
	char *b = form_of(&r);
	cr_assert_str_eq(b, "ks=abc&partnerId=42&clientTag=ktestme&format=2&"
			    "secret=p%40ss%20w0rd%21&type=2");
	free(b);
	request_free(&r);
}

Test(request, nested_objects_arrays_nulls)
{
	kt_request r;
	request_init(&r, "category", "list");
	r.client_tag = (free(r.client_tag), NULL);
	cr_assert_eq(param_set(r.params, "filter:objectType", "KalturaCategoryFilter", NULL), 0);
	cr_assert_eq(param_set(r.params, "filter:idEqual", "5", NULL), 0);
	cr_assert_eq(param_set(r.params, "filter:nameEqual__null", "", NULL), 0);
	cr_assert_eq(param_set(r.params, "entries:-", "", NULL), 0);
	cr_assert_eq(param_set(r.params, "pager:pageSize", "10", NULL), 0);
	cr_assert_eq(param_set(r.params, "filter:idEqual", "6", NULL), 0); /* replaces */
	char *b = form_of(&r);
	cr_assert_str_eq(b, "format=2&filter%3AobjectType=KalturaCategoryFilter&filter%3AidEqual=6&"
			    "filter%3AnameEqual__null=&entries%3A-=&pager%3ApageSize=10");
	free(b);

	const param *f = param_find(r.params, "filter");
	cr_assert_eq(f->kind, PARAM_OBJECT);
	cr_assert_eq(param_find(r.params, "filter:nameEqual")->kind, PARAM_NULL);
	cr_assert_eq(param_find(r.params, "entries")->kind, PARAM_ARRAY);
	cr_assert_null(param_find(r.params, "filter:nope"));
	cr_assert_eq(param_count(r.params), 5);
	request_free(&r);
}

Test(request, arrays_become_json_arrays)
{
	kt_request r;
	request_init(&r, "x", "y");
	param_set(r.params, "entries:0:objectType", "KalturaA", NULL);
	param_set(r.params, "entries:1:id", "7", NULL);
	param_set(r.params, "empty:-", "", NULL);
	param_set(r.params, "filter:nameEqual__null", "", NULL);
	request_set_field(&r.ks, "K");
	char *j = request_json_body(&r);
	cr_assert_str_eq(j, "{\"entries\":[{\"objectType\":\"KalturaA\"},{\"id\":\"7\"}],\"empty\":[],"
			    "\"filter\":{\"nameEqual__null\":\"\"},\"ks\":\"K\","
			    "\"clientTag\":\"ktestme\",\"format\":2}");
	free(j);
	request_free(&r);
}

Test(request, multirequest_keys_and_references_pass_through)
{
	kt_request r;
	request_init(&r, "multirequest", NULL);
	r.client_tag = (free(r.client_tag), NULL);
	param_set(r.params, "1:service", "session", NULL);
	param_set(r.params, "1:action", "start", NULL);
	param_set(r.params, "2:ks", "{1:result}", NULL);
	char *b = form_of(&r);
	cr_assert_str_eq(b, "format=2&1%3Aservice=session&1%3Aaction=start&2%3Aks=%7B1%3Aresult%7D");
	free(b);
	/* the top level stays an object even with numeric keys */
	char *j = request_json_body(&r);
	cr_assert(strncmp(j, "{\"1\":{\"service\"", strlen("{\"1\":{\"service\"")) == 0, "%s", j);
	free(j);
	request_free(&r);
}

Test(request, bad_keys)
{
	param *p = param_new();
	kt_error e;
	cr_assert_eq(param_set(p, "", "x", &e), -1);
	cr_assert_eq(e.code, KT_E_USAGE);
	cr_assert_eq(param_set(p, "a::b", "x", &e), -1);
	cr_assert_eq(param_set(p, ":a", "x", &e), -1);
	cr_assert_eq(param_set(p, "a:", "x", &e), -1);
	cr_assert_eq(param_set(p, "-", "x", &e), -1);
	cr_assert_eq(param_set(p, "a", "1", &e), 0);
	cr_assert_eq(param_set(p, "a:b", "1", &e), -1);
	cr_assert(strstr(e.msg, "already has a value"));
	/* an object can turn back into a value: the later key wins */
	cr_assert_eq(param_set(p, "o:x", "1", &e), 0);
	cr_assert_eq(param_set(p, "o", "2", &e), 0);
	cr_assert_eq(param_find(p, "o")->kind, PARAM_VALUE);
	cr_assert(param_remove(p, "o"));
	cr_assert_not(param_remove(p, "o"));
	param_free(p);
}

Test(request, secrets_masked)
{
	cr_assert(request_is_secret_name("secret"));
	cr_assert(request_is_secret_name("1:secret"));
	cr_assert(request_is_secret_name("password"));
	cr_assert(request_is_secret_name("cmsPassword"));
	cr_assert(request_is_secret_name("ks"));
	cr_assert_not(request_is_secret_name("secretive"));
	cr_assert_not(request_is_secret_name("userId"));
	kt_request r;
	request_init(&r, "session", "start");
	request_set_field(&r.ks, "KS123");
	param_set(r.params, "secret", "hunter2", NULL);
	param_set(r.params, "1:password", "pw", NULL);
	param_set(r.params, "userId", "bob", NULL);
	char *m = request_form_body_masked(&r);
	cr_assert_null(strstr(m, "hunter2"));
	cr_assert_null(strstr(m, "KS123"));
	cr_assert_null(strstr(m, "=pw"));
	cr_assert(strstr(m, "secret=***"));
	cr_assert(strstr(m, "userId=bob"));
	free(m);
	request_free(&r);
}

Test(request, many_params_stay_linear_enough)
{
	/* tens of thousands of parameters: children are hashed once an object grows */
	param *p = param_new();
	char key[32], val[32];
	for (int i = 0; i < 50000; i++) {
		snprintf(key, sizeof key, "k%d", i);
		snprintf(val, sizeof val, "%d", i);
		cr_assert_eq(param_set(p, key, val, NULL), 0);
	}
	cr_assert_eq(param_count(p), 50000);
	cr_assert_str_eq(param_find(p, "k31337")->value, "31337");
	cr_assert_eq(param_set(p, "k42", "again", NULL), 0); /* replaces, no duplicate */
	cr_assert_eq(param_count(p), 50000);
	cr_assert_str_eq(param_find(p, "k42")->value, "again");
	cr_assert(param_remove(p, "k7"));
	cr_assert_null(param_find(p, "k7"));
	cr_assert_str_eq(param_find(p, "k8")->value, "8");
	cr_assert_str_eq(p->first->name, "k0");
	param_free(p);
}

Test(request, nesting_is_bounded)
{
	param *p = param_new();
	kt_buf key;
	kt_buf_init(&key);
	for (int i = 0; i < PARAM_MAX_DEPTH - 1; i++)
		kt_buf_adds(&key, i ? ":a" : "a");
	kt_error e;
	char *deepest = kt_xasprintf("%s:b", key.data);
	cr_assert_eq(param_set(p, deepest, "v", &e), 0, "%s", e.msg);
	free(deepest);
	kt_buf_adds(&key, ":a:b");
	cr_assert_eq(param_set(p, key.data, "v", &e), -1);
	cr_assert(strstr(e.msg, "nests deeper"), "%s", e.msg);
	cr_assert_lt(strlen(e.msg), 200, "the message stays one short line");
	kt_buf_free(&key);
	param_free(p);
}

Test(request, command_line_arguments_and_formats)
{
	param *p = param_new();
	kt_error e;
	char *good[] = {"filter:idEqual=5", "name=a=b", "empty="};
	cr_assert_eq(param_set_args(p, 3, good, &e), 0);
	cr_assert_str_eq(param_find(p, "name")->value, "a=b");
	cr_assert_str_eq(param_find(p, "empty")->value, "");
	char *bad[] = {"ok=1", "novalue"};
	cr_assert_eq(param_set_args(p, 2, bad, &e), -1);
	cr_assert_str_eq(e.msg, "'novalue' is not name=value");
	char *noname[] = {"=5"};
	cr_assert_eq(param_set_args(p, 1, noname, &e), -1);
	param_free(p);
	cr_assert_eq(request_format_from_name("XML"), 2);
	cr_assert_eq(request_format_from_name("2"), 2);
	cr_assert_eq(request_format_from_name("json"), 1);
	cr_assert_eq(request_format_from_name("1"), 1);
	cr_assert_eq(request_format_from_name("yaml"), 0);
	cr_assert_eq(request_format_from_name(""), 0);
}

Test(request, back_references)
{
	static const char *const whole[] = { "{1:result}", "{12:result:objects:0:id}" };
	static const char *const inside[] = { "id-{1:result:id}", "{2:result}x" };
	static const char *const none[] = { "", "{x:result}", "{:result}", "{1:results", "1:result}",
					    "{1:resul}", "{1:result" };
	for (size_t i = 0; i < sizeof whole / sizeof *whole; i++)
		cr_assert(request_is_backref(whole[i]) && request_has_backref(whole[i]), "%s", whole[i]);
	for (size_t i = 0; i < sizeof inside / sizeof *inside; i++) {
		cr_assert_not(request_is_backref(inside[i]), "%s", inside[i]);
		cr_assert(request_has_backref(inside[i]), "%s", inside[i]);
	}
	for (size_t i = 0; i < sizeof none / sizeof *none; i++) {
		cr_assert_not(request_is_backref(none[i]), "%s", none[i]);
		cr_assert_not(request_has_backref(none[i]), "%s", none[i]);
	}
}

static void collect(const char *name, const char *value, bool secret, void *ud)
{
	kt_buf_printf(ud, "%s=%s%s;", name, value, secret ? "(secret)" : "");
}

/* The pairs the multipart body is made of are the form body's, in its order. */
Test(request, pairs_and_files)
{
	kt_request r;
	request_init(&r, "uploadToken", "upload");
	request_set_field(&r.ks, "KS");
	param_set(r.params, "uploadTokenId", "0_t", NULL);
	param_set(r.params, "entries:-", "", NULL);
	param_set(r.params, "f:x__null", "", NULL);
	param_set(r.params, "password", "pw", NULL);
	request_add_file(&r, "fileData", "/a");
	request_add_file(&r, "fileData", "/b");
	request_add_file(&r, "2:fileData", "/c");
	kt_buf b;
	kt_buf_init(&b);
	request_pairs(&r, collect, &b);
	cr_assert_str_eq(b.data, "ks=KS(secret);clientTag=ktestme;format=2;uploadTokenId=0_t;"
				 "entries:-=;f:x__null=;password=pw(secret);");
	kt_buf_free(&b);
	cr_assert_eq(r.nfiles, 2);
	cr_assert_str_eq(request_find_file(&r, "fileData")->path, "/b");
	cr_assert_str_eq(request_find_file(&r, "2:fileData")->path, "/c");
	cr_assert_null(request_find_file(&r, "x"));
	/* the form body holds no file */
	char *body = request_form_body(&r);
	cr_assert_str_eq(body, "ks=KS&clientTag=ktestme&format=2&uploadTokenId=0_t&entries%3A-=&"
			       "f%3Ax__null=&password=pw");
	free(body);
	request_free(&r);
}
