/* sandbox server: the instance driven without HTTP (sb_server_exec), the list engine and the
 * writers. Behaviour follows kaltura/server; each test names the part it follows. */
#include "sandbox/server.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ks.h"
#include "sandbox/list.h"
#include "sandbox/store.h"
#include "sandbox/writer.h"
#include "util.h"

#include "sandbox_fixture.h"

static sb_server *srv;

static void up(void)
{
	sandbox_opts o = {
		.partner_id = SBT_PID,
		.admin_secret = SBT_ADMIN,
		.user_secret = SBT_USER,
		.admin_password = SBT_PASSWORD,
		.schema_path = "schemas/kaltura.xml",
	};
	kt_error err;
	srv = sb_server_new(&o, &err);
	cr_assert(srv, "%s", err.msg);
}

static void down(void)
{
	sb_server_free(srv);
	srv = NULL;
}

TestSuite(sandbox_server, .init = up, .fini = down);

/* "a=1&b=2" as parameters, no decoding: the tests write plain values. */
static rvalue *run(const char *service, const char *action, const char *args)
{
	param *p = param_new();
	char *copy = kt_xstrdup(args), *save = NULL;
	for (char *kv = strtok_r(copy, "&", &save); kv; kv = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(kv, '=');
		cr_assert(eq, "%s", kv);
		*eq = 0;
		cr_assert_eq(param_set(p, kv, eq + 1, NULL), 0, "%s", kv);
	}
	free(copy);
	rvalue *r = sb_server_exec(srv, service, action, p);
	param_free(p);
	return r;
}

static char *ks_for(const char *type, const char *user, const char *privileges)
{
	char *args = kt_xasprintf("partnerId=1234&secret=" SBT_ADMIN "&type=%s&userId=%s%s%s", type,
				  user, privileges ? "&privileges=" : "", privileges ? privileges : "");
	rvalue *r = run("session", "start", args);
	free(args);
	cr_assert_eq(r->kind, RV_SCALAR, "%s", r->kind == RV_ERROR ? r->message : "");
	char *ks = kt_xstrdup(r->text);
	rvalue_free(r);
	return ks;
}

static const char *text_at(const rvalue *r, const char *path)
{
	const rvalue *v = rvalue_path(r, path);
	return v && v->kind == RV_SCALAR ? v->text : NULL;
}

static void expect_code(rvalue *r, const char *code)
{
	cr_assert_eq(r->kind, RV_ERROR, "no error, expected %s", code);
	cr_assert_str_eq(r->code, code, "%s", r->message);
	rvalue_free(r);
}

/* ---- the list engine (KalturaFilter::toObject, the generated base filters) ---- */

Test(sandbox_server, suffixes)
{
	size_t stem;
	cr_assert_str_eq(sb_list_suffix("idNotIn", &stem), "NotIn");
	cr_assert_eq(stem, 2);
	cr_assert_str_eq(sb_list_suffix("createdAtGreaterThanOrEqual", &stem),
			 "GreaterThanOrEqual");
	cr_assert_eq(stem, 9);
	cr_assert_str_eq(sb_list_suffix("tagsMultiLikeAnd", &stem), "MultiLikeAnd");
	cr_assert_str_eq(sb_list_suffix("fullIdsMatchOr", &stem), "MatchOr");
	cr_assert_str_eq(sb_list_suffix("fullNameStartsWith", &stem), "StartsWith");
	cr_assert_str_eq(sb_list_suffix("statusNotEqual", &stem), "NotEqual");
	cr_assert_str_eq(sb_list_suffix("referenceIdEmpty", &stem), "Empty");
	cr_assert_null(sb_list_suffix("freeText", &stem));
	cr_assert_null(sb_list_suffix("Equal", &stem), "a suffix alone names no property");
}

Test(sandbox_server, operators)
{
	cr_assert_eq(sb_list_match("Equal", "int", "5", "05"), 1);
	cr_assert_eq(sb_list_match("Equal", "string", "Demo", "demo"), 0);
	cr_assert_eq(sb_list_match("In", "int", "3", "1, 3,4"), 1);
	cr_assert_eq(sb_list_match("NotIn", "int", "3", "1,4"), 1);
	cr_assert_eq(sb_list_match("NotIn", "int", "4", "1,4"), 0);
	cr_assert_eq(sb_list_match("Like", "string", "MediaSpace", "aspa"), 1);
	cr_assert_eq(sb_list_match("StartsWith", "string", "Demo>Sub", "demo>"), 1);
	cr_assert_eq(sb_list_match("StartsWith", "string", "Demo", "Sub"), 0);
	cr_assert_eq(sb_list_match("MultiLikeOr", "string", "red,green", "blue,gree"), 1);
	cr_assert_eq(sb_list_match("MultiLikeAnd", "string", "red,green", "red,blue"), 0);
	cr_assert_eq(sb_list_match("MultiLikeAnd", "string", "red,green", "red,green"), 1);
	cr_assert_eq(sb_list_match("MatchOr", "string", "1,12", "2"), 0, "words, not substrings");
	cr_assert_eq(sb_list_match("MatchOr", "string", "1>12", "12,99"), 1);
	cr_assert_eq(sb_list_match("MatchAnd", "string", "1,12", "1,12"), 1);
	cr_assert_eq(sb_list_match("MatchAnd", "string", "1,12", "1,2"), 0);
	cr_assert_eq(sb_list_match("GreaterThanOrEqual", "int", "10", "10"), 1);
	cr_assert_eq(sb_list_match("LessThanOrEqual", "int", "10", "9"), 0);
	cr_assert_eq(sb_list_match("GreaterThan", "int", "10", "10"), 0);
	cr_assert_eq(sb_list_match("LessThan", "int", "9", "10"), 1);
	cr_assert_eq(sb_list_match("NotEqual", "int", "9", "10"), 1);
	cr_assert_eq(sb_list_match("Empty", "string", NULL, "1"), 1);
	cr_assert_eq(sb_list_match("Empty", "string", "x", "1"), 0);
	cr_assert_eq(sb_list_match("Empty", "string", "x", "0"), 1);
	cr_assert_eq(sb_list_match("Equal", "string", NULL, "x"), 0, "a null matches nothing");
	cr_assert_eq(sb_list_match("Bogus", "string", "x", "x"), -1);
}

Test(sandbox_server, category_filters_from_the_schema)
{
	char *ks = ks_for("2", "admin", "disableentitlement");
	static const struct {
		const char *filter, *total, *first;
	} rows[] = {
		{"", "4", "Demo"},
		{"&filter:fullNameEqual=Demo", "1", "Demo"},
		{"&filter:fullNameIn=Demo>Sub,MediaSpace", "2", "MediaSpace"},
		{"&filter:fullNameStartsWith=Demo", "2", "Demo"},
		{"&filter:idNotIn=1,2", "2", "Members only"},
		{"&filter:parentIdEqual=1", "1", "Sub"},
		{"&filter:depthEqual=0", "3", "Demo"},
		{"&filter:fullIdsMatchOr=4", "1", "Sub"},
		{"&filter:appearInListEqual=3", "1", "Members only"},
		{"&filter:privacyContextEqual=MediaSpace", "1", "MediaSpace"},
		{"&filter:directSubCategoriesCountGreaterThanOrEqual=1", "4", "Demo"},
		{"&filter:freeText=only", "1", "Members only"},
		{"&filter:orderBy=-fullName", "4", "Members only"},
		{"&filter:orderBy=+depth,-name", "4", "Members only"},
		{"&filter:orderBy=-entriesCount", "4", "Demo"},
		/* not a KalturaCategoryFilter field: dropped (KalturaRequestDeserializer) */
		{"&filter:nameLike=Sub", "4", "Demo"},
		{"&filter:objectType=KalturaCategoryFilter&filter:idIn=3,4&filter:orderBy=-id", "2",
		 "Members only"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		char *args = kt_xasprintf("ks=%s%s", ks, rows[i].filter);
		rvalue *r = run("category", "list", args);
		cr_assert_eq(r->kind, RV_OBJECT, "%s: %s", rows[i].filter,
			     r->kind == RV_ERROR ? r->message : "");
		cr_assert_str_eq(r->object_type, "KalturaCategoryListResponse");
		cr_assert_str_eq(text_at(r, "totalCount"), rows[i].total, "%s", rows[i].filter);
		cr_assert_str_eq(text_at(r, "objects:0:name"), rows[i].first, "%s", rows[i].filter);
		rvalue_free(r);
		free(args);
	}
	free(ks);
}

Test(sandbox_server, filter_values_are_typed)
{
	char *ks = ks_for("2", "admin", "disableentitlement");
	/* typed from the schema before the engine sees it */
	char *args = kt_xasprintf("ks=%s&filter:idEqual=one", ks);
	expect_code(run("category", "list", args), "INVALID_PARAMETER_VALUE");
	free(args);
	free(ks);
}

Test(sandbox_server, the_pager)
{
	char *ks = ks_for("2", "admin", "disableentitlement");
	char *args = kt_xasprintf("ks=%s&pager:pageSize=2&pager:pageIndex=3", ks);
	rvalue *r = run("media", "list", args);
	cr_assert_str_eq(text_at(r, "totalCount"), "5");
	cr_assert_eq(rvalue_get(r, "objects")->n, 1);
	rvalue_free(r);
	free(args);
	args = kt_xasprintf("ks=%s&pager:pageSize=0&filter:orderBy=-name", ks);
	r = run("baseEntry", "list", args);
	cr_assert_eq(rvalue_get(r, "objects")->n, 5, "0 is the default 30");
	cr_assert_str_eq(text_at(r, "objects:0:name"), "Uncategorised image");
	rvalue_free(r);
	free(args);
	free(ks);
}

Test(sandbox_server, fields_that_are_not_property_and_operator)
{
	char *ks = ks_for("2", "admin", "disableentitlement");
	static const struct {
		const char *service, *filter, *total;
	} rows[] = {
		{"user", "&filter:idOrScreenNameStartsWith=ali", "1"},
		{"user", "&filter:firstNameOrLastNameStartsWith=exa", "2"},
		{"user", "&filter:isAdminEqual=-1", "2"}, /* NullableBoolean NULL_VALUE: no condition */
		{"user", "&filter:isAdminEqual=1", "1"},
		{"media", "&filter:categoriesFullNameIn=Demo,Nothing", "2"},
		{"media", "&filter:isRoot=1", "5"},
		{"media", "&filter:isRoot=0", "0"},
		{"media", "&filter:searchTextMatchOr=image", "1"},
		{"media", "&filter:descriptionLike=x", "0"},
		{"media", "&filter:categoriesIdsMatchOr=2", "2"},
		{"media", "&filter:categoriesIdsEmpty=1", "1"},
		{"media", "&filter:mediaTypeIn=2", "1"},
		/* filters.class.php GTE_OR_NULL: no sandbox entry has a start or end date */
		{"media", "&filter:startDateGreaterThanOrEqualOrNull=100", "5"},
		{"media", "&filter:startDateGreaterThanOrEqual=100", "0"},
		{"media", "&filter:endDateLessThanOrEqualOrNull=100", "5"},
		{"media", "&filter:endDateLessThanOrEqual=100", "0"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		char *args = kt_xasprintf("ks=%s%s", ks, rows[i].filter);
		rvalue *r = run(rows[i].service, "list", args);
		cr_assert_eq(r->kind, RV_OBJECT, "%s: %s", rows[i].filter,
			     r->kind == RV_ERROR ? r->message : "");
		cr_assert_str_eq(text_at(r, "totalCount"), rows[i].total, "%s", rows[i].filter);
		rvalue_free(r);
		free(args);
	}
	free(ks);
}

/* KalturaEntryService::initService: a USER session without list:* lists its own content. */
Test(sandbox_server, user_lists_own_entries)
{
	char *ks = ks_for("0", "bob", "disableentitlement");
	char *args = kt_xasprintf("ks=%s&entry:objectType=KalturaMediaEntry&entry:mediaType=1&"
				  "entry:name=mine", ks);
	rvalue *r = run("media", "add", args);
	cr_assert_eq(r->kind, RV_OBJECT, "%s", r->kind == RV_ERROR ? r->message : "");
	rvalue_free(r);
	free(args);
	args = kt_xasprintf("ks=%s", ks);
	r = run("media", "list", args);
	cr_assert_str_eq(text_at(r, "totalCount"), "1");
	cr_assert_str_eq(text_at(r, "objects:0:name"), "mine");
	rvalue_free(r);
	free(args);
	free(ks);
	ks = ks_for("0", "bob", "disableentitlement,list:*");
	args = kt_xasprintf("ks=%s", ks);
	r = run("baseEntry", "list", args);
	cr_assert_str_eq(text_at(r, "totalCount"), "6");
	rvalue_free(r);
	free(args);
	free(ks);
}

/* ---- session actions (SessionService, kSessionUtils) ---- */

Test(sandbox_server, session_rules)
{
	/* no partnerId finds no partner: PHP prints the null as "" */
	rvalue *r = run("session", "start", "secret=" SBT_ADMIN);
	cr_assert_eq(r->kind, RV_ERROR);
	cr_assert_str_eq(r->message, "Error while starting session for partner []");
	rvalue_free(r);
	/* expiry as given: 0 is a KS that has already expired */
	r = run("session", "start", "partnerId=1234&secret=" SBT_ADMIN "&expiry=0");
	ks_info info;
	cr_assert_eq(ks_decode(r->text, SBT_ADMIN, &info, NULL), 0);
	cr_assert_leq(info.valid_until, (long long)time(NULL));
	char *args = kt_xasprintf("ks=%s", r->text);
	rvalue_free(r);
	ks_info_free(&info);
	r = run("session", "get", args);
	cr_assert_eq(r->kind, RV_ERROR);
	cr_assert_str_eq(r->message, "Invalid KS \"EXPIRED\", Error \"-1,INVALID_STR\"");
	rvalue_free(r);
	free(args);
	/* the widget session's user is 0 */
	r = run("session", "startWidgetSession", "widgetId=_1234");
	cr_assert_str_eq(text_at(r, "userId"), "0");
	cr_assert_eq(ks_decode(text_at(r, "ks"), SBT_ADMIN, &info, NULL), 0);
	cr_assert_str_eq(info.user, "0");
	ks_info_free(&info);
	rvalue_free(r);
	/* a secret with a control character never matches, whatever follows it */
	expect_code(run("session", "start", "partnerId=1234&secret=" SBT_ADMIN "\x01"),
		    "START_SESSION_ERROR");
	expect_code(run("session", "start", "partnerId=1234&secret=" SBT_USER "&type=2"),
		    "START_SESSION_ERROR");
}

Test(sandbox_server, secret_compare)
{
	cr_assert(sb_secret_equal("abc", "abc"));
	cr_assert_not(sb_secret_equal("abc", "abd"));
	cr_assert_not(sb_secret_equal("ab", "abc"));
	cr_assert_not(sb_secret_equal("abc\n", "abc\n"), "control characters never match");
	cr_assert_not(sb_secret_equal(NULL, "abc"));
	cr_assert_not(sb_secret_equal("", "abc"));
}

Test(sandbox_server, options_and_password)
{
	kt_error err;
	sandbox_opts bad = {.admin_secret = "new\nline", .schema_path = "schemas/kaltura.xml"};
	cr_assert_null(sb_server_new(&bad, &err));
	cr_assert_eq(err.code, KT_E_USAGE);
	sandbox_opts empty = {.admin_password = "", .schema_path = "schemas/kaltura.xml"};
	cr_assert_null(sb_server_new(&empty, &err));
	/* a random password per run, letters and digits as the password rules want */
	sandbox_opts def = {.schema_path = "schemas/kaltura.xml"};
	sb_server *a = sb_server_new(&def, &err), *b = sb_server_new(&def, &err);
	cr_assert(a && b, "%s", err.msg);
	const char *pa = sb_server_config(a)->admin_password, *pb = sb_server_config(b)->admin_password;
	cr_assert_str_neq(pa, pb);
	cr_assert_str_neq(pa, "Demo-password-1");
	cr_assert_geq(strlen(pa), 8);
	/* two instances side by side keep their own state */
	cr_assert_str_neq(sb_server_config(a)->admin_secret, sb_server_config(b)->admin_secret);
	sb_server_free(a);
	sb_server_free(b);
}

Test(sandbox_server, reset_brings_the_demo_back)
{
	char *ks = ks_for("2", "admin", "disableentitlement");
	char *args = kt_xasprintf("ks=%s&id=1", ks);
	rvalue *r = run("category", "delete", args);
	cr_assert_eq(r->kind, RV_NULL);
	rvalue_free(r);
	expect_code(run("category", "get", args), "CATEGORY_NOT_FOUND");
	sb_server_reset(srv);
	/* the reset forgets nothing a KS needs: the secret is the same */
	r = run("category", "get", args);
	cr_assert_str_eq(text_at(r, "name"), "Demo");
	rvalue_free(r);
	free(args);
	free(ks);
}

/* ---- multirequest (KalturaFrontController::handleMultiRequest) ---- */

Test(sandbox_server, references)
{
	char *ks = ks_for("2", "admin", "disableentitlement");
	char *args = kt_xasprintf(
		"ks=%s&1:service=category&1:action=list&1:filter:parentIdEqual=0"
		"&2:service=category&2:action=list&2:filter:idIn={1:result:objects:_all:id}"
		"&3:service=session&3:action=start&3:partnerId=1234&3:secret=" SBT_ADMIN
		"&3:userId=u-{1:result:totalCount}-x"
		"&4:service=session&4:action=get&4:ks={3:result}"
		"&5:service=session&5:action=start&5:partnerId=1234&5:secret=" SBT_ADMIN
		"&5:userId={1:result:nothing:here}z&6:service=session&6:action=get&6:ks={9:result}",
		ks);
	rvalue *r = run("multirequest", NULL, args);
	cr_assert_eq(r->kind, RV_ARRAY);
	cr_assert_eq(r->n, 6);
	/* _all joins the ids, each with a comma after it */
	cr_assert_str_eq(text_at(r->children[1], "totalCount"), "3");
	cr_assert_str_eq(text_at(r->children[3], "userId"), "u-3-x", "inside a longer value");
	ks_info info;
	cr_assert_eq(ks_decode(r->children[4]->text, SBT_ADMIN, &info, NULL), 0);
	cr_assert_str_eq(info.user, "z", "a missing path is the empty string");
	ks_info_free(&info);
	cr_assert_eq(r->children[5]->kind, RV_ERROR, "a reference to a later request stays");
	cr_assert(strstr(r->children[5]->message, "{9:result}"), "%s", r->children[5]->message);
	rvalue_free(r);
	free(args);
	free(ks);
}

/* ---- the writers (api_v3/lib serializers) ---- */

static rvalue *category_obj(void)
{
	rvalue *o = sb_rv_object(NULL, "KalturaCategory");
	sb_rv_addf(o, "id", "%d", 5);
	sb_rv_add(o, sb_rv_scalar("name", "A \"b\" & <c>'"));
	return o;
}

static char *write_as(int format, bool ignore_null, const rvalue *v)
{
	sb_out o = {.format = format, .ignore_null = ignore_null, .callback = "cb.x_1"};
	return sb_write(sb_server_config(srv)->schema, v, &o, 0.5, NULL);
}

Test(sandbox_server, xml_writer)
{
	rvalue *o = category_obj();
	char *x = write_as(SB_FORMAT_XML, false, o);
	cr_assert(!strncmp(x, "<?xml version=\"1.0\" encoding=\"utf-8\"?><xml><result>"
			      "<objectType>KalturaCategory</objectType><id>5</id>", 98), "%s", x);
	cr_assert(strstr(x, "<name>A &quot;b&quot; &amp; &lt;c&gt;&apos;</name>"), "%s", x);
	/* every other property of the class, null, as an empty element */
	cr_assert(strstr(x, "<description></description>"), "%s", x);
	cr_assert(strstr(x, "</result><executionTime>0.5</executionTime></xml>"), "%s", x);
	free(x);
	x = write_as(SB_FORMAT_XML, true, o);
	cr_assert_null(strstr(x, "<description>"), "ignoreNull=1 leaves nulls out: %s", x);
	free(x);
	sb_out tiny = {.format = SB_FORMAT_XML};
	x = sb_write(sb_server_config(srv)->schema, o, &tiny, 0.0000099549997685244, NULL);
	cr_assert(strstr(x, "<executionTime>9.9549997685244E-6</executionTime>"), "%s", x);
	free(x);
	rvalue_free(o);
}

Test(sandbox_server, json_and_jsonp_writers)
{
	rvalue *o = category_obj();
	char *j = write_as(SB_FORMAT_JSON, false, o);
	/* nulls left out, numbers typed, objectType last (KalturaJsonSerializer::unsetNull) */
	cr_assert_str_eq(j, "{\"id\":5,\"name\":\"A \\\"b\\\" & <c>'\",\"objectType\":\"KalturaCategory\"}");
	char *p = write_as(SB_FORMAT_JSONP, false, o);
	char *want = kt_xasprintf("cb.x_1(%s);", j);
	cr_assert_str_eq(p, want);
	free(want);
	free(p);
	free(j);
	rvalue_free(o);
	rvalue *n = rvalue_new(RV_NULL, NULL);
	j = write_as(SB_FORMAT_JSON, false, n);
	cr_assert_str_eq(j, "null");
	free(j);
	rvalue_free(n);
}

Test(sandbox_server, php_writer)
{
	rvalue *o = category_obj();
	char *s = write_as(SB_FORMAT_PHP, false, o);
	cr_assert(!strncmp(s, "O:15:\"KalturaCategory\":", 23), "%s", s);
	cr_assert(strstr(s, "s:2:\"id\";i:5;"), "%s", s);
	cr_assert(strstr(s, "s:4:\"name\";s:12:\"A \"b\" & <c>'\";"), "%s", s);
	cr_assert(strstr(s, "s:11:\"description\";N;"), "%s", s);
	free(s);
	rvalue_free(o);
	/* a KS, a typed scalar, void, an array and an error as PHP serialize() writes them */
	rvalue *ks = sb_rv_scalar(NULL, "djJ8");
	s = write_as(SB_FORMAT_PHP, false, ks);
	cr_assert_str_eq(s, "s:4:\"djJ8\";");
	free(s);
	ks->object_type = kt_xstrdup("int");
	free(ks->text);
	ks->text = kt_xstrdup("42");
	s = write_as(SB_FORMAT_PHP, false, ks);
	cr_assert_str_eq(s, "i:42;");
	free(s);
	rvalue_free(ks);
	rvalue *n = rvalue_new(RV_NULL, NULL);
	s = write_as(SB_FORMAT_PHP, false, n);
	cr_assert_str_eq(s, "N;");
	free(s);
	rvalue_free(n);
	rvalue *a = rvalue_new(RV_ARRAY, NULL);
	sb_rv_add(a, sb_rv_scalar(NULL, "x"));
	sb_rv_add(a, rvalue_new(RV_NULL, NULL));
	s = write_as(SB_FORMAT_PHP, false, a);
	cr_assert_str_eq(s, "a:2:{i:0;s:1:\"x\";i:1;N;}");
	free(s);
	rvalue_free(a);
	char *ks_ = ks_for("2", "admin", NULL);
	char *args = kt_xasprintf("ks=%s&id=5", ks_);
	rvalue *e = run("category", "get", args);
	free(args);
	free(ks_);
	s = write_as(SB_FORMAT_PHP, false, e);
	cr_assert_str_eq(s, "a:4:{s:4:\"code\";s:18:\"CATEGORY_NOT_FOUND\";s:7:\"message\";"
			    "s:25:\"Category id \"5\" not found\";s:10:\"objectType\";"
			    "s:19:\"KalturaAPIException\";s:4:\"args\";a:1:{s:2:\"ID\";s:1:\"5\";}}");
	free(s);
	rvalue_free(e);
}

Test(sandbox_server, formats_as_php_compares_them)
{
	cr_assert_eq(sb_format_parse(NULL), SB_FORMAT_XML);
	cr_assert_eq(sb_format_parse("1"), SB_FORMAT_JSON);
	cr_assert_eq(sb_format_parse("01"), SB_FORMAT_JSON);
	cr_assert_eq(sb_format_parse(" 3"), SB_FORMAT_PHP);
	cr_assert_eq(sb_format_parse("9.0"), SB_FORMAT_JSONP);
	cr_assert_eq(sb_format_parse("2"), SB_FORMAT_XML);
	cr_assert_eq(sb_format_parse("4"), 0);
	cr_assert_eq(sb_format_parse("1abc"), 0);
	cr_assert_eq(sb_format_parse(""), 0);
	cr_assert_eq(sb_format_parse("0x1"), 0);
	cr_assert(sb_callback_ok("jQuery_123.cb"));
	cr_assert(sb_callback_ok(""));
	cr_assert_not(sb_callback_ok("alert(1)"));
	cr_assert_not(sb_callback_ok("a-b"));
}

/* ---- limits over HTTP ---- */

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

static int connect_to(const sb_server *s)
{
	const char *port = strrchr(s->url, ':') + 1;
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(port))};
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	cr_assert(fd >= 0);
	cr_assert_eq(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	return fd;
}

static void send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		cr_assert(w > 0);
		p += w, n -= (size_t)w;
	}
}

static char *read_all(int fd)
{
	kt_buf b;
	kt_buf_init(&b);
	char chunk[4096];
	ssize_t n;
	while ((n = read(fd, chunk, sizeof chunk)) > 0)
		kt_buf_add(&b, chunk, (size_t)n);
	kt_buf_adds(&b, "");
	return kt_buf_steal(&b);
}

/* A POST of a form body of n bytes (a widgetId and padding); the headers and the first sent
 * bytes go out now. */
static char *form_body(size_t n)
{
	char *b = kt_xmalloc(n + 1);
	memset(b, 'x', n);
	memcpy(b, "widgetId=_1234&pad=", 19);
	b[n] = 0;
	return b;
}

Test(sandbox_server, bodies_held_at_once_are_capped)
{
	sandbox_opts o = {.listen = "127.0.0.1:0", .max_buffered = 1 << 20};
	kt_error err;
	cr_assert_eq(sb_server_listen(srv, &o, &err), 0, "%s", err.msg);
	const size_t n = 700000;
	char *body = form_body(n);
	char *head = kt_xasprintf("POST /api_v3/service/session/action/startWidgetSession HTTP/1.1\r\n"
				  "Host: x\r\nConnection: close\r\nContent-Type: "
				  "application/x-www-form-urlencoded\r\nContent-Length: %zu\r\n\r\n",
				  n);
	/* the first holds 700 kB of the 1 MB while its body is still coming */
	int a = connect_to(srv);
	send_all(a, head, strlen(head));
	send_all(a, body, n / 2);
	/* wait until the server has counted it (it reserves what Content-Length says) */
	for (int i = 0; i < 500 && atomic_load(&srv->buffered) < n; i++)
		usleep(10000);
	cr_assert_geq(atomic_load(&srv->buffered), n);
	int b = connect_to(srv);
	send_all(b, head, strlen(head));
	send_all(b, body, n);
	char *rb = read_all(b);
	cr_assert(strstr(rb, "too many request bodies"), "%s", rb);
	send_all(a, body + n / 2, n - n / 2);
	char *ra = read_all(a);
	cr_assert(strstr(ra, "KalturaStartWidgetSessionResponse"), "%s", ra);
	close(a);
	close(b);
	free(ra);
	free(rb);
	free(head);
	free(body);
	sb_server_unlisten(srv);
	/* every byte counted is given back */
	cr_assert_eq(atomic_load(&srv->buffered), 0);
}

/* Sends one byte every 200 ms until the server ends the connection; true when it did within
 * the cap (200 bytes, 40 s). */
static bool dropped_while_trickling(int fd, const char *bytes)
{
	size_t n = strlen(bytes);
	for (size_t i = 0; i < 200; i++) {
		char c;
		ssize_t r = recv(fd, &c, 1, MSG_DONTWAIT);
		if (r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
			return true;
		if (send(fd, &bytes[i % n], 1, MSG_NOSIGNAL) < 0)
			return true;
		usleep(200000);
	}
	return false;
}

/* libmicrohttpd's timeouts are idle ones; the watchdog bounds the whole request (http.c). */
Test(sandbox_server, trickled_requests_are_dropped)
{
	sandbox_opts o = {.listen = "127.0.0.1:0", .request_time = 1};
	kt_error err;
	cr_assert_eq(sb_server_listen(srv, &o, &err), 0, "%s", err.msg);
	/* headers a byte at a time */
	int a = connect_to(srv);
	const char *start = "POST /api_v3/service/session/action/get HTTP/1.1\r\nX-Slow: ";
	send_all(a, start, strlen(start));
	cr_assert(dropped_while_trickling(a, "a"));
	close(a);
	/* whole headers, then the body a byte at a time */
	int b = connect_to(srv);
	const char *head = "POST /api_v3/service/session/action/startWidgetSession HTTP/1.1\r\n"
			   "Host: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
			   "Content-Length: 100000\r\n\r\nwidgetId=_1234&pad=";
	send_all(b, head, strlen(head));
	cr_assert(dropped_while_trickling(b, "x"));
	close(b);
	/* a request sent at once is answered, and the next one on the same connection too */
	int c = connect_to(srv);
	const char *req = "GET /api_v3/service/session/action/startWidgetSession?widgetId=_1234 "
			  "HTTP/1.1\r\nHost: x\r\n\r\n";
	send_all(c, req, strlen(req));
	char got[8192];
	size_t len = 0;
	while (len < sizeof got - 1 && !memmem(got, len, "</xml>", 6)) {
		ssize_t r = read(c, got + len, sizeof got - 1 - len);
		cr_assert(r > 0);
		len += (size_t)r;
	}
	const char *last = "GET /api_v3/service/session/action/startWidgetSession?widgetId=_1234 "
			   "HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
	send_all(c, last, strlen(last));
	char *rest = read_all(c);
	cr_assert(strstr(rest, "KalturaStartWidgetSessionResponse"), "%s", rest);
	free(rest);
	close(c);
	sb_server_unlisten(srv);
}

/* ---- every declared filter field (KalturaFilter and the criteria that map fields) ---- */

/* A value of the property's type the schema accepts. */
static const char *sample(const schema *s, const schema_property *p)
{
	if (p->enum_type) {
		const schema_enum *e = schema_find_enum(s, p->enum_type);
		return e && e->nconsts ? e->consts[0].value : "1";
	}
	if (!strcmp(p->type, "int") || !strcmp(p->type, "bigint") || !strcmp(p->type, "bool") ||
	    !strcmp(p->type, "float"))
		return "1";
	if (!strcmp(p->type, "string"))
		return "1";
	return NULL; /* objects and arrays: not a condition the engine reads */
}

Test(sandbox_server, every_declared_field_is_evaluated)
{
	const schema *s = sb_server_config(srv)->schema;
	char *ks = ks_for("2", "admin", "disableentitlement");
	size_t bad = 0, tried = 0;
	for (const sb_service *const *svc = sb_services; *svc; svc++) {
		for (const sb_handler *h = (*svc)->handlers; h->fn; h++) {
			const schema_action *a = schema_find(s, h->service, h->action);
			cr_assert(a, "%s.%s", h->service, h->action);
			for (size_t i = 0; i < a->nparams; i++) {
				const schema_param *fp = &a->params[i];
				size_t fl = strlen(fp->type);
				if (!fp->type_class || fl < 6 || strcmp(fp->type + fl - 6, "Filter"))
					continue;
				/* the class the action declares (its subclasses for entry types
				 * the sandbox has none of are left out) */
				size_t nsub = 1;
				const schema_class *const subs[] = {fp->type_class};
				for (size_t sc = 0; sc < nsub; sc++) {
				size_t n = 0;
				const schema_property *const *all =
					schema_class_all_properties(subs[sc], &n);
				for (size_t k = 0; k < n; k++) {
					const char *v = sample(s, all[k]);
					if (!v || !strcmp(all[k]->name, "orderBy"))
						continue;
					param *p = param_new();
					param_set(p, "ks", ks, NULL);
					char *key = kt_xasprintf("%s:%s", fp->name, all[k]->name);
					param_set(p, key, v, NULL);
					char *ot = kt_xasprintf("%s:objectType", fp->name);
					param_set(p, ot, subs[sc]->name, NULL);
					free(ot);
					if (!strcmp(h->service, "categoryuser"))
						param_set(p, "filter:userIdEqual", "x", NULL);
					rvalue *r = sb_server_exec(srv, h->service, h->action, p);
					tried++;
					if (r->kind == RV_ERROR && !strcmp(r->code, "INTERNAL_SERVER_ERROR")) {
						fprintf(stderr, "%s.%s %s=%s: %s\n", h->service, h->action,
							key, v, r->message);
						bad++;
					}
					free(key);
					param_free(p);
					rvalue_free(r);
				}
				}
			}
		}
	}
	free(ks);
	cr_assert(tried > 100, "%zu", tried);
	cr_assert_eq(bad, 0, "%zu of %zu filter fields answer INTERNAL_SERVER_ERROR", bad, tried);
}

/* run() with an admin KS that sees every category. */
static rvalue *run_admin(const char *service, const char *action, const char *args)
{
	char *ks = ks_for("2", "admin", "disableentitlement");
	char *all = kt_xasprintf("ks=%s&%s", ks, args);
	rvalue *r = run(service, action, all);
	free(all);
	free(ks);
	return r;
}

/* The error a call answers: its code and message. */
static void expect_message(rvalue *r, const char *code, const char *message)
{
	cr_assert_eq(r->kind, RV_ERROR, "no error, expected %s", code);
	cr_assert_str_eq(r->code, code, "%s", r->message);
	cr_assert(strstr(r->message, message), "%s", r->message);
	rvalue_free(r);
}

static void expect_total(const char *service, const char *args, const char *total)
{
	rvalue *r = run_admin(service, "list", args);
	cr_assert_eq(r->kind, RV_OBJECT, "%s.list %s: %s", service, args,
		     r->kind == RV_ERROR ? r->message : "");
	const rvalue *t = rvalue_get(r, "totalCount");
	cr_assert_str_eq(t ? t->text : "", total, "%s.list %s", service, args);
	rvalue_free(r);
}

static void ok(rvalue *r)
{
	cr_assert_neq(r->kind, RV_ERROR, "%s", r->kind == RV_ERROR ? r->message : "");
	rvalue_free(r);
}

/* SphinxEntryCriteria::applyFilterFields: _in_category_ancestor_id is "pc<id>", the category
 * itself or a parent of it (entry::getCategoriesEntryIds), and it takes the place of
 * _matchor_categories_ids. */
Test(sandbox_server, category_ancestor_id_in)
{
	ok(run_admin("media", "add", "entry:objectType=KalturaMediaEntry&entry:mediaType=1&"
			       "entry:name=deep&entry:categoriesIds=4"));
	expect_total("media", "filter:categoryAncestorIdIn=1", "3");
	expect_total("baseEntry", "filter:categoryAncestorIdIn=4", "1");
	expect_total("media", "filter:categoryAncestorIdIn=2, 3", "3");
	expect_total("media", "filter:categoryAncestorIdIn=0", "0");
	expect_total("media", "filter:categoryAncestorIdIn= , ", "0");
	expect_total("media", "filter:categoryAncestorIdIn=99", "0");
	/* categoriesIdsMatchOr alone, then set aside by the ancestor ids */
	expect_total("media", "filter:categoriesIdsMatchOr=2", "2");
	expect_total("media", "filter:categoryAncestorIdIn=4&filter:categoriesIdsMatchOr=2", "1");
	/* a category deleted since holds nothing */
	ok(run_admin("category", "delete", "id=4"));
	expect_total("media", "filter:categoryAncestorIdIn=4", "0");
	expect_total("media", "filter:categoryAncestorIdIn=1", "2");
}

Test(sandbox_server, entry_fields_read_by_the_handler_or_joined)
{
	ok(run_admin("media", "add", "entry:objectType=KalturaMediaEntry&entry:mediaType=1&"
			       "entry:name=tagged&entry:tags=red,green"));
	/* _mlikeor_tags-name: any word in either column; _mlikeand: each word in one of them */
	expect_total("media", "filter:tagsNameMultiLikeOr=demo,red", "3");
	expect_total("media", "filter:tagsNameMultiLikeAnd=red,tagged", "1");
	expect_total("media", "filter:tagsNameMultiLikeAnd=red,demo", "0");
	expect_total("media", "filter:tagsAdminTagsNameMultiLikeAnd=green,tagged", "1");
	expect_total("media", "filter:tagsAdminTagsMultiLikeOr=green", "1");
	expect_total("media", "filter:excludedFreeTextGroups=1", "6");
	/* _eq_redirect_from_entry_id: no sandbox entry redirects, so the entry itself */
	expect_total("media", "filter:redirectFromEntryId=0_demo0001", "1");
	expect_message(run_admin("media", "list", "filter:redirectFromEntryId=0_nothing"),
		       "INVALID_ENTRY_ID", "Invalid entry id [\"0_nothing\"]");
}

Test(sandbox_server, category_fields)
{
	ok(run_admin("categoryUser", "add", "categoryUser:objectType=KalturaCategoryUser&"
				      "categoryUser:categoryId=3&categoryUser:userId=alice"));
	/* _in_ancestor_id: below the category, not the category itself */
	expect_total("category", "filter:ancestorIdIn=1", "1");
	expect_total("category", "filter:ancestorIdIn=4", "0");
	/* _matchor_likex_full_name: any of the prefixes */
	expect_total("category", "filter:fullNameStartsWithIn=demo>,media", "2");
	expect_total("category", "filter:fullNameStartsWithIn=Demo", "2");
	/* _eq_member, _eq_manager: every sandbox member has the MEMBER level */
	expect_total("category", "filter:memberEqual=alice", "1");
	expect_total("category", "filter:memberEqual=bob", "0");
	expect_total("category", "filter:memberEqual=0", "4");
	expect_total("category", "filter:managerEqual=alice", "0");
	/* categoryUser.list: the user and its groups (none); nothing for an unknown user */
	expect_total("categoryUser", "filter:relatedGroupsByUserId=alice", "1");
	expect_total("categoryUser", "filter:relatedGroupsByUserId=nobody", "0");
	expect_total("categoryUser", "filter:categoryFullIdsStartsWith=3", "1");
	expect_total("categoryUser", "filter:categoryIdEqual=3&filter:categoryDirectMembers=1", "1");
	expect_code(run_admin("categoryUser", "list", "filter:categoryDirectMembers=1"),
		    "MUST_FILTER_USERS_OR_CATEGORY");
	/* roles: sandbox users have none */
	expect_total("user", "filter:roleIdEqual=1", "0");
	expect_total("user", "filter:permissionNamesMultiLikeOr=CONTENT_MANAGE_BASE", "0");
}

/* A field of a filter subclass for objects the sandbox has none of (document entries) still
 * names itself. */
Test(sandbox_server, a_field_it_cannot_evaluate)
{
	expect_message(run_admin("baseEntry", "list", "filter:objectType=KalturaDocumentEntryFilter&"
						     "filter:documentTypeEqual=11"),
		       "INTERNAL_SERVER_ERROR", "KalturaDocumentEntryFilter.documentTypeEqual");
}

/* ---- the record store every service keeps its records in (store.c) ---- */

static int extras_freed;

static void count_free(void *extra)
{
	extras_freed++;
	free(extra);
}

static param *rec_of(const char *id, const char *name)
{
	param *r = param_new();
	store_rec_set(r, "id", id);
	store_rec_set(r, "name", name);
	return r;
}

Test(sandbox_server, store_tables)
{
	store_table t;
	store_table_init(&t, "id", count_free);
	extras_freed = 0;
	for (int i = 1; i <= 40; i++) {
		char id[16], name[24];
		snprintf(id, sizeof id, "%d", i);
		snprintf(name, sizeof name, "n%d", i % 3);
		store_insert(&t, rec_of(id, name), kt_xstrdup("extra"));
	}
	cr_assert_eq(t.n, 40);
	cr_assert_str_eq(store_rec_get(store_find(&t, "17")->rec, "name"), "n2");
	cr_assert_eq(store_find_ll(&t, 40), t.rows[39]);
	cr_assert_null(store_find(&t, "41"));
	cr_assert_null(store_find(&t, NULL));
	cr_assert_eq(store_find_by(&t, "name", "n0"), t.rows[2], "the first, oldest first");
	/* a delete keeps the others' order and frees the extra */
	store_row *keep = store_find(&t, "3");
	store_delete(&t, store_find(&t, "2"));
	cr_assert_eq(t.n, 39);
	cr_assert_eq(extras_freed, 1);
	cr_assert_eq(t.rows[1], keep, "row pointers stay valid");
	cr_assert_str_eq(store_rec_get(t.rows[0]->rec, "id"), "1");
	cr_assert_str_eq(store_rec_get(t.rows[1]->rec, "id"), "3");
	/* an update applied to a copy takes the record's place */
	param *copy = store_rec_copy(keep->rec);
	store_rec_setll(copy, "count", 7);
	store_replace(keep, copy);
	cr_assert_eq(store_rec_getll(store_find(&t, "3")->rec, "count", 0), 7);
	cr_assert_eq(store_rec_getll(keep->rec, "name", -1), -1, "not a number: the default");
	store_table_free(&t);
	cr_assert_eq(extras_freed, 40);
	cr_assert_eq(t.n, 0);
	/* a table without a key finds nothing by key */
	store_table_init(&t, NULL, NULL);
	store_insert(&t, rec_of("1", "x"), NULL);
	cr_assert_null(store_find(&t, "1"));
	cr_assert_not_null(store_find_by(&t, "id", "1"));
	store_table_free(&t);
}
