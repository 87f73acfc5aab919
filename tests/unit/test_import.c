/* import: curl commands (Kaltura's docs, the Developer Portal, ktestme's own code view), HAR
 * files, API log sections, log lines and URLs become the same request; what is not a request,
 * or would read a file or run a command, is refused with one sentence. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "import.h"
#include "util.h"

static import_result im;

static void parse_ok(const char *text)
{
	kt_error err = {0};
	cr_assert_eq(import_parse(text, strlen(text), IMPORT_AUTO, 0, &im, &err), 0, "%s: %s", text,
		     err.msg);
}

static void parse_fails(const char *text, const char *msg)
{
	kt_error err = {0};
	cr_assert_eq(import_parse(text, strlen(text), IMPORT_AUTO, 0, &im, &err), -1, "%s", text);
	cr_assert_eq(err.code, KT_E_DATA);
	cr_assert(strstr(err.msg, msg), "'%s' lacks '%s'", err.msg, msg);
}

static const char *val(const char *key)
{
	const param *p = param_find(im.req.params, key);
	return p && p->value ? p->value : NULL;
}

Test(import, developer_portal_curl)
{
	setenv("KT_IMPORT_KS", "KS-FROM-ENV", 1);
	parse_ok("curl -X POST https://www.kaltura.com/api_v3/service/media/action/list \\\n"
		 "    -d \"ks=$KT_IMPORT_KS\" \\\n"
		 "    -d \"filter[objectType]=KalturaMediaEntryFilter\" \\\n"
		 "    -d \"filter[nameLike]=my%20video\" \\\n"
		 "    -d \"format=1\"\n");
	cr_assert_eq(im.kind, IMPORT_CURL);
	cr_assert_str_eq(im.service_url, "https://www.kaltura.com");
	cr_assert_str_eq(im.req.service, "media");
	cr_assert_str_eq(im.req.action, "list");
	cr_assert_str_eq(im.req.ks, "KS-FROM-ENV");
	cr_assert_eq(im.req.format, 1);
	cr_assert_str_eq(val("filter:objectType"), "KalturaMediaEntryFilter");
	cr_assert_str_eq(val("filter:nameLike"), "my video");
	import_result_free(&im);
}

Test(import, ktestme_code_curl_round_trip)
{
	setenv("KALTURA_ADMIN_SECRET", "s3cr3t", 1);
	parse_ok("# Credentials are read from the environment, never written here: KALTURA_KS.\n"
		 "curl -sS -X POST 'http://127.0.0.1:9/api_v3/service/category/action/list' \\\n"
		 "  --data-urlencode \"ks=$KALTURA_UNSET_HERE\" \\\n"
		 "  --data-urlencode 'clientTag=ktestme' \\\n"
		 "  --data-urlencode 'format=2' \\\n"
		 "  --data-urlencode 'filter:nameEqual=a b'\\''c & d=e' \\\n"
		 "  --data-urlencode 'filter:tagsLike__null=' \\\n"
		 "  --data-urlencode 'entries%3A-=' \\\n"
		 "  --data-urlencode \"secret=$KALTURA_ADMIN_SECRET\"\n");
	cr_assert_str_eq(im.service_url, "http://127.0.0.1:9");
	cr_assert_str_eq(val("filter:nameEqual"), "a b'c & d=e");
	cr_assert_str_eq(val("secret"), "s3cr3t");
	cr_assert_not_null(param_find(im.req.params, "filter:tagsLike"));
	cr_assert_str_eq(im.req.ks, ""); /* an unset variable is empty, as in the shell */
	import_result_free(&im);
	unsetenv("KALTURA_ADMIN_SECRET");
}

Test(import, json_body_and_multirequest)
{
	parse_ok("curl -X POST https://api.eu.kaltura.com/api_v3/service/multirequest "
		 "-H 'Content-Type: application/json' --data-raw '{\"0\":{\"service\":\"session\","
		 "\"action\":\"start\",\"type\":2,\"partnerId\":1234},\"1\":{\"service\":\"category\","
		 "\"action\":\"list\",\"ks\":\"{0:result}\",\"filter\":{\"objectType\":"
		 "\"KalturaCategoryFilter\",\"ids\":[5,6],\"tags\":[],\"nameEqual\":null}},"
		 "\"format\":1,\"flag\":true}'");
	cr_assert(request_is_multi(&im.req));
	cr_assert_null(im.req.action);
	cr_assert_eq(im.req.format, 1);
	cr_assert_str_eq(val("0:service"), "session");
	cr_assert_str_eq(val("0:type"), "2");
	cr_assert_str_eq(val("1:ks"), "{0:result}");
	cr_assert_str_eq(val("1:filter:ids:1"), "6");
	cr_assert_not_null(param_find(im.req.params, "1:filter:tags"));
	cr_assert_eq(param_find(im.req.params, "1:filter:nameEqual")->kind, PARAM_NULL);
	cr_assert_str_eq(val("flag"), "1");
	import_result_free(&im);
}

Test(import, flags_clusters_forms_and_queries)
{
	parse_ok("$ curl -sSX POST -k --compressed -o /dev/null -H 'Accept: */*' "
		 "'https://host:8443/kaltura/api_v3/index.php?service=uploadToken&action=upload"
		 "&uploadTokenId=0_tok' -F 'fileData=@\"/tmp/my clip.mp4\";type=video/mp4' "
		 "-F resume=0 --form-string 'note=@literal' -dfinalChunk=1");
	cr_assert_str_eq(im.service_url, "https://host:8443/kaltura");
	cr_assert_str_eq(im.req.service, "uploadToken");
	cr_assert_str_eq(im.req.action, "upload");
	/* -F name=@FILE is a file to upload, as `ktestme code curl` prints one */
	cr_assert_null(val("fileData"));
	cr_assert_eq(im.req.nfiles, 1);
	cr_assert_str_eq(request_find_file(&im.req, "fileData")->path, "/tmp/my clip.mp4");
	cr_assert_str_eq(val("note"), "@literal");
	cr_assert_str_eq(val("finalChunk"), "1");
	cr_assert_str_eq(val("uploadTokenId"), "0_tok");
	import_result_free(&im);
	/* the query wins over the body, as on the server; path pairs too */
	parse_ok("curl 'https://h/api_v3/service/media/action/get/entryId/0_path?version=2' "
		 "-d version=1 -d entryId=0_body");
	cr_assert_str_eq(val("version"), "2");
	cr_assert_str_eq(val("entryId"), "0_path");
	import_result_free(&im);
	parse_ok("curl $'https://h/api_v3/service/a/action/b' --data $'x=1\\tz'");
	cr_assert_str_eq(val("x"), "1\tz");
	import_result_free(&im);
}

Test(import, refusals)
{
	parse_fails("curl https://h/api_v3/service/a/action/b -d @body.txt", "reads a file");
	parse_fails("curl https://h/api_v3/service/a/action/b --data-urlencode name@f", "reads a file");
	parse_fails("curl https://h/api_v3/service/a/action/b -d \"ks=$(cat ks)\"", "runs a command");
	parse_fails("curl https://h/api_v3/service/a/action/b -d `id`", "runs a command");
	parse_fails("curl 'https://h/api_v3/service/a/action/b", "unclosed ' quote");
	parse_fails("curl -X POST -d a=1", "no URL");
	parse_fails("curl https://h/api_v3/service/a -d x=1", "names no action");
	parse_fails("curl https://h/other -d x=1", "names no service");
	parse_fails("wget https://h/index.html", "no request in it");
	parse_fails("curl https://h/api_v3/service/a/action/b -H 'Content-Type: application/json' "
		    "-d '{bad'", "the JSON body does not parse");
	parse_fails("curl https://h/api_v3/service/a/action/b -d 'a:b=1&a:b:c=2'", "parameter 'a:b:c'");
	kt_error err = {0};
	cr_assert_eq(import_parse("curl\0x", 6, IMPORT_AUTO, 0, &im, &err), -1);
	cr_assert(strstr(err.msg, "NUL"));
	cr_assert_eq(import_parse("x", 1, IMPORT_CURL, 0, &im, &err), -1);
	cr_assert(strstr(err.msg, "not a curl command"), "%s", err.msg);
}

static const char har[] =
	"{\"log\":{\"version\":\"1.2\",\"entries\":["
	"{\"request\":{\"method\":\"GET\",\"url\":\"https://cdn.example/app.js\"}},"
	"{\"request\":{\"method\":\"POST\",\"url\":\"https://www.kaltura.com/api_v3/service/session/"
	"action/start\",\"postData\":{\"mimeType\":\"application/x-www-form-urlencoded\","
	"\"text\":\"secret=abc&type=2&partnerId=1234\"}}},"
	"{\"request\":{\"method\":\"POST\",\"url\":\"https://www.kaltura.com/api_v3/service/media/"
	"action/list?format=1\",\"postData\":{\"mimeType\":\"application/json\","
	"\"text\":\"{\\\"ks\\\":\\\"K\\\",\\\"pager\\\":{\\\"pageSize\\\":3}}\"}}},"
	"{\"request\":{\"method\":\"POST\",\"url\":\"https://www.kaltura.com/api_v3/service/"
	"uploadToken/action/upload\",\"postData\":{\"mimeType\":\"multipart/form-data\","
	"\"params\":[{\"name\":\"uploadTokenId\",\"value\":\"0_t\"},{\"name\":\"fileData\","
	"\"fileName\":\"clip.mp4\"}]}}}]}}";

Test(import, har_entries)
{
	kt_error err = {0};
	cr_assert_eq(import_parse(har, strlen(har), IMPORT_AUTO, 0, &im, &err), 0, "%s", err.msg);
	cr_assert_eq(im.kind, IMPORT_HAR);
	cr_assert_eq(im.calls, 3);
	cr_assert_str_eq(im.req.action, "start");
	cr_assert_str_eq(val("secret"), "abc");
	import_result_free(&im);
	cr_assert_eq(import_parse(har, strlen(har), IMPORT_AUTO, 1, &im, &err), 0, "%s", err.msg);
	cr_assert_eq(im.req.format, 1);
	cr_assert_str_eq(im.req.ks, "K");
	cr_assert_str_eq(val("pager:pageSize"), "3");
	import_result_free(&im);
	cr_assert_eq(import_parse(har, strlen(har), IMPORT_AUTO, 2, &im, &err), 0, "%s", err.msg);
	cr_assert_str_eq(val("fileData"), "clip.mp4");
	import_result_free(&im);
	cr_assert_eq(import_parse(har, strlen(har), IMPORT_AUTO, 3, &im, &err), -1);
	cr_assert_str_eq(err.msg, "the HAR file holds 3 Kaltura API calls, not 4");
	parse_fails("{\"log\":{\"entries\":[]}}", "no Kaltura API call");
	parse_fails("{\"nolog\":1}", "not a HAR file");
	parse_fails("{\"log\":", "does not parse");
}

Test(import, log_sections_lines_and_urls)
{
	parse_ok("2024-05-01 10:00:00 [0.1] [KalturaFrontController->run] DEBUG: Params [Array\n"
		 "(\n"
		 "    [service] => category\n"
		 "    [action] => list\n"
		 "    [filter:objectType] => KalturaCategoryFilter\n"
		 "    [filter:fullNameStartsWith] => Demo > Sub\n"
		 "    [nested] => Array\n"
		 "        (\n"
		 "            [x] => 1\n"
		 "        )\n"
		 "\n"
		 "    [format] => 1\n"
		 ")\n"
		 "]\n");
	cr_assert_eq(im.kind, IMPORT_LOG);
	cr_assert_str_eq(im.req.service, "category");
	cr_assert_str_eq(val("filter:fullNameStartsWith"), "Demo > Sub");
	cr_assert_null(param_find(im.req.params, "nested"));
	cr_assert_null(param_find(im.req.params, "x"));
	cr_assert_eq(im.req.format, 1);
	cr_assert_null(im.service_url);
	import_result_free(&im);
	parse_ok("10.0.0.1 - - [01/May/2024] \"GET /api_v3/service/baseEntry/action/get?entryId=0_x"
		 "&ks=abc HTTP/1.1\" 200 512");
	cr_assert_str_eq(im.req.service, "baseEntry");
	cr_assert_str_eq(val("entryId"), "0_x");
	cr_assert_str_eq(im.req.ks, "abc");
	import_result_free(&im);
	parse_ok("https://www.kaltura.com/api_v3/?service=user&action=get&userId=a%40b.c");
	cr_assert_str_eq(im.service_url, "https://www.kaltura.com");
	cr_assert_str_eq(val("userId"), "a@b.c");
	import_result_free(&im);
	parse_ok("params: service=media&action=count&filter:statusIn=2,7");
	cr_assert_str_eq(val("filter:statusIn"), "2,7");
	import_result_free(&im);
}
