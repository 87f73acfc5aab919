/* codegen: the code examples. Expected text comes from outside this module:
 * - enum values and the wire format from KALTURA.md (KalturaSessionType ADMIN = 2, USER = 0;
 *   name__null for a null property; entries:-= for an empty array);
 * - client naming from Kaltura's client generators (github kaltura/clients-generator):
 *   Php5ClientGenerator renames the actions list, clone and goto to ...Action and reaches a
 *   plugin's services through Kaltura<Plugin>ClientPlugin::get($client); Node2ClientGenerator
 *   renames list, clone, delete and export, and drops the "Kaltura" prefix of classes and enums
 *   (checked in npm kaltura-client 21.20.0: kaltura.objects.CategoryFilter,
 *   kaltura.enums.SessionType.ADMIN, services.category.listAction); PythonClientGenerator
 *   keeps action names, hangs plugin services under client.<plugin>, sends None as
 *   name__null, and renames the members "not" and "with" to not_ and with_;
 * - quoting rules of the languages themselves (sh single quotes, PHP single quotes, Python and
 *   JavaScript escapes).
 * The shipped schema schemas/kaltura.xml (in the repository) supplies the actions. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "codegen.h"
#include "request.h"
#include "schema.h"

#define SHIPPED "schemas/kaltura.xml"
#define URL "https://www.kaltura.com"

static schema *shipped(void)
{
	kt_error err;
	schema *s = schema_load_file(SHIPPED, &err);
	cr_assert(s, "%s: %s", SHIPPED, err.msg);
	return s;
}

/* A request from "name=value" strings, NULL-terminated. */
static void make(kt_request *r, const char *service, const char *action, const char *const *kv)
{
	request_init(r, service, action);
	for (; kv && *kv; kv++) {
		const char *eq = strchr(*kv, '=');
		cr_assert(eq, "%s", *kv);
		char *key = strndup(*kv, (size_t)(eq - *kv));
		kt_error err;
		cr_assert_eq(param_set(r->params, key, eq + 1, &err), 0, "%s: %s", *kv, err.msg);
		free(key);
	}
}

static char *gen_ok(codegen_lang lang, const kt_request *r, const schema *s)
{
	kt_error err = {0};
	char *out = codegen_generate(lang, r, URL, s, &err);
	cr_assert(out, "%s: %s", codegen_lang_name(lang), err.msg);
	return out;
}

static void gen_fails(codegen_lang lang, const kt_request *r, const schema *s, const char *part)
{
	kt_error err = {0};
	char *out = codegen_generate(lang, r, URL, s, &err);
	cr_assert_null(out, "%s example made for a bad request:\n%s", codegen_lang_name(lang), out);
	cr_assert_eq(err.code, KT_E_USAGE);
	cr_assert(strstr(err.msg, part), "'%s' lacks '%s'", err.msg, part);
	cr_assert_null(strchr(err.msg, '\n'), "not one line: %s", err.msg);
}

#define HAS(out, text) cr_assert(strstr((out), (text)), "missing [%s] in:\n%s", (text), (out))
#define HASNT(out, text) cr_assert_null(strstr((out), (text)), "unexpected [%s] in:\n%s", (text), (out))

Test(codegen, language_names)
{
	codegen_lang l;
	cr_assert(codegen_lang_from_name("curl", &l) && l == CODEGEN_CURL);
	cr_assert(codegen_lang_from_name("PHP", &l) && l == CODEGEN_PHP);
	cr_assert(codegen_lang_from_name("python", &l) && l == CODEGEN_PYTHON);
	cr_assert(codegen_lang_from_name("py", &l) && l == CODEGEN_PYTHON);
	cr_assert(codegen_lang_from_name("node", &l) && l == CODEGEN_NODE);
	cr_assert(codegen_lang_from_name("js", &l) && l == CODEGEN_NODE);
	cr_assert_not(codegen_lang_from_name("java", &l));
	cr_assert_not(codegen_lang_from_name("", &l));
}

Test(codegen, secret_environment_variables)
{
	cr_assert_str_eq(codegen_secret_env("ks"), "KALTURA_KS");
	cr_assert_str_eq(codegen_secret_env("secret"), "KALTURA_ADMIN_SECRET");
	cr_assert_str_eq(codegen_secret_env("adminSecret"), "KALTURA_ADMIN_SECRET");
	cr_assert_str_eq(codegen_secret_env("password"), "KALTURA_PASSWORD");
	cr_assert_str_eq(codegen_secret_env("1:secret"), "KALTURA_ADMIN_SECRET");
	cr_assert_str_eq(codegen_secret_env("user:password"), "KALTURA_PASSWORD");
	cr_assert_null(codegen_secret_env("userId"));
	cr_assert_null(codegen_secret_env("secretary"));
}

Test(codegen, session_start_curl)
{
	schema *s = shipped();
	kt_request r;
	make(&r, "session", "start", (const char *const[]){"type=2", "secret=s3cr3t", NULL});
	request_set_field(&r.partner_id, "1234");
	char *out = gen_ok(CODEGEN_CURL, &r, s);
	/* the body `ktestme call` sends: request fields first, then the parameters in order */
	HAS(out, "curl -sS -X POST 'https://www.kaltura.com/api_v3/service/session/action/start' \\\n"
		 "  --data-urlencode 'partnerId=1234' \\\n"
		 "  --data-urlencode 'clientTag=ktestme' \\\n"
		 "  --data-urlencode 'format=2' \\\n"
		 "  --data-urlencode 'type=2' \\\n"
		 "  --data-urlencode \"secret=$KALTURA_ADMIN_SECRET\"\n");
	HAS(out, "# Credentials are read from the environment, never written here: "
		 "KALTURA_ADMIN_SECRET.\n");
	HASNT(out, "s3cr3t");
	HASNT(out, "ks=");
	free(out);
	request_free(&r);
	schema_free(s);
}

Test(codegen, session_start_php)
{
	schema *s = shipped();
	kt_request r;
	make(&r, "session", "start", (const char *const[]){"type=2", "secret=s3cr3t", NULL});
	request_set_field(&r.partner_id, "1234");
	char *out = gen_ok(CODEGEN_PHP, &r, s);
	HAS(out, "<?php\nrequire_once 'KalturaClient.php';\n");
	HAS(out, "$config = new KalturaConfiguration();\n"
		 "$config->serviceUrl = 'https://www.kaltura.com';\n"
		 "$client = new KalturaClient($config);\n"
		 "$client->setPartnerId(1234);\n");
	HAS(out, "$secret = getenv('KALTURA_ADMIN_SECRET');\n");
	HAS(out, "$type = KalturaSessionType::ADMIN;\n");
	/* userId (second) was skipped: null, which the PHP client leaves out of the request */
	HAS(out, "$result = $client->session->start($secret, null, $type);\nprint_r($result);\n");
	HASNT(out, "s3cr3t");
	HASNT(out, "setKs");
	free(out);
	request_free(&r);
	schema_free(s);
}

Test(codegen, session_start_python)
{
	schema *s = shipped();
	kt_request r;
	make(&r, "session", "start", (const char *const[]){"type=0", "secret=s3cr3t", NULL});
	char *out = gen_ok(CODEGEN_PYTHON, &r, s);
	HAS(out, "import os\n\nfrom KalturaClient import *\nfrom KalturaClient.Plugins.Core import *\n");
	HAS(out, "config = KalturaConfiguration()\nconfig.serviceUrl = \"https://www.kaltura.com\"\n"
		 "client = KalturaClient(config)\n");
	HAS(out, "secret = os.environ[\"KALTURA_ADMIN_SECRET\"]\n");
	HAS(out, "type = KalturaSessionType.USER\n");
	/* None would be sent as userId__null: after a skipped argument, keywords */
	HAS(out, "result = client.session.start(secret, type=type)\nshow(result)\n");
	HAS(out, "def show(value, indent=\"\"):\n");
	HASNT(out, "s3cr3t");
	free(out);
	request_free(&r);
	schema_free(s);
}

Test(codegen, session_start_node)
{
	schema *s = shipped();
	kt_request r;
	make(&r, "session", "start",
	     (const char *const[]){"secret=s3cr3t", "userId=admin", "type=2", NULL});
	char *out = gen_ok(CODEGEN_NODE, &r, s);
	HAS(out, "const kaltura = require('kaltura-client');\n");
	HAS(out, "const config = new kaltura.Configuration();\n"
		 "config.serviceUrl = 'https://www.kaltura.com';\n");
	HAS(out, "config.setLogger(null);\nconst client = new kaltura.Client(config);\n");
	HAS(out, "let secret = process.env.KALTURA_ADMIN_SECRET;\n");
	HAS(out, "let type = kaltura.enums.SessionType.ADMIN;\n");
	HAS(out, "kaltura.services.session.start(secret, userId, type)\n    .execute(client)\n");
	HAS(out, ".catch(err => console.error(err.code, err.message));\n");
	HASNT(out, "s3cr3t");
	free(out);
	request_free(&r);
	schema_free(s);
}

Test(codegen, session_start_secret_from_environment_when_not_given)
{
	schema *s = shipped();
	kt_request r;
	make(&r, "session", "start", (const char *const[]){"type=2", NULL});
	char *out = gen_ok(CODEGEN_PYTHON, &r, s);
	HAS(out, "secret = os.environ[\"KALTURA_ADMIN_SECRET\"]\n");
	HAS(out, "client.session.start(secret, type=type)");
	free(out);
	/* curl with no schema still knows session.start needs the admin secret */
	out = gen_ok(CODEGEN_CURL, &r, NULL);
	HAS(out, "--data-urlencode \"secret=$KALTURA_ADMIN_SECRET\"\n");
	free(out);
	request_free(&r);
	schema_free(s);
}

static const char *const category_list[] = {
	"filter:objectType=KalturaCategoryFilter", "filter:idEqual=5",
	"filter:fullNameStartsWith=Demo", "pager:pageSize=10", NULL,
};

Test(codegen, category_list_filter_and_pager)
{
	schema *s = shipped();
	kt_request r;
	make(&r, "category", "list", category_list);
	request_set_field(&r.ks, "djJ8MTIzNHxLU0RBVEE=");

	char *out = gen_ok(CODEGEN_PHP, &r, s);
	HAS(out, "$client->setKs(getenv('KALTURA_KS'));\n");
	HAS(out, "$filter = new KalturaCategoryFilter();\n$filter->idEqual = 5;\n"
		 "$filter->fullNameStartsWith = 'Demo';\n");
	/* no objectType: the declared type */
	HAS(out, "$pager = new KalturaFilterPager();\n$pager->pageSize = 10;\n");
	HAS(out, "$result = $client->category->listAction($filter, $pager);\n");
	free(out);

	out = gen_ok(CODEGEN_PYTHON, &r, s);
	HAS(out, "client.setKs(os.environ[\"KALTURA_KS\"])\n");
	HAS(out, "filter = KalturaCategoryFilter()\nfilter.idEqual = 5\n"
		 "filter.fullNameStartsWith = \"Demo\"\n");
	HAS(out, "pager = KalturaFilterPager()\npager.pageSize = 10\n");
	HAS(out, "result = client.category.list(filter, pager)\n");
	free(out);

	out = gen_ok(CODEGEN_NODE, &r, s);
	HAS(out, "client.setKs(process.env.KALTURA_KS);\n");
	HAS(out, "let filter = new kaltura.objects.CategoryFilter();\nfilter.idEqual = 5;\n");
	HAS(out, "let pager = new kaltura.objects.FilterPager();\npager.pageSize = 10;\n");
	HAS(out, "kaltura.services.category.listAction(filter, pager)\n");
	free(out);

	out = gen_ok(CODEGEN_CURL, &r, s);
	HAS(out, "'https://www.kaltura.com/api_v3/service/category/action/list' \\\n"
		 "  --data-urlencode \"ks=$KALTURA_KS\" \\\n"
		 "  --data-urlencode 'clientTag=ktestme' \\\n"
		 "  --data-urlencode 'format=2' \\\n"
		 "  --data-urlencode 'filter:objectType=KalturaCategoryFilter' \\\n"
		 "  --data-urlencode 'filter:idEqual=5' \\\n"
		 "  --data-urlencode 'filter:fullNameStartsWith=Demo' \\\n"
		 "  --data-urlencode 'pager:pageSize=10'\n");
	free(out);
	request_free(&r);
	schema_free(s);
}

Test(codegen, action_names_per_client)
{
	schema *s = shipped();
	kt_request r;
	make(&r, "category", "clone", (const char *const[]){"categoryId=3", "fromPartnerId=7", NULL});
	char *out = gen_ok(CODEGEN_PHP, &r, s);
	HAS(out, "$client->category->cloneAction($categoryId, $fromPartnerId);");
	free(out);
	out = gen_ok(CODEGEN_NODE, &r, s);
	HAS(out, "kaltura.services.category.cloneAction(categoryId, fromPartnerId)");
	free(out);
	out = gen_ok(CODEGEN_PYTHON, &r, s);
	HAS(out, "client.category.clone(categoryId, fromPartnerId)");
	free(out);
	request_free(&r);

	/* delete is renamed by the Node.js client only; get by none */
	make(&r, "category", "delete", (const char *const[]){"id=3", NULL});
	out = gen_ok(CODEGEN_NODE, &r, s);
	HAS(out, "kaltura.services.category.deleteAction(id)");
	free(out);
	out = gen_ok(CODEGEN_PHP, &r, s);
	HAS(out, "$client->category->delete($id);");
	free(out);
	request_free(&r);
	make(&r, "CATEGORY", "GET", (const char *const[]){"id=3", NULL});
	out = gen_ok(CODEGEN_NODE, &r, s);
	HAS(out, "kaltura.services.category.get(id)");
	free(out);
	request_free(&r);
	schema_free(s);
}

Test(codegen, array_parameter)
{
	schema *s = shipped();
	kt_request r;
	/* given out of order: the server sorts array items by key */
	make(&r, "baseEntry", "clone",
	     (const char *const[]){
		     "entryId=0_abc",
		     "cloneOptions:1:objectType=KalturaBaseEntryCloneOptionComponent",
		     "cloneOptions:1:itemType=2",
		     "cloneOptions:0:objectType=KalturaBaseEntryCloneOptionComponent",
		     "cloneOptions:0:itemType=1",
		     NULL,
	     });
	char *out = gen_ok(CODEGEN_PHP, &r, s);
	HAS(out, "$cloneOptions = array();\n"
		 "$cloneOptions[0] = new KalturaBaseEntryCloneOptionComponent();\n"
		 "$cloneOptions[0]->itemType = KalturaBaseEntryCloneOptions::USERS;\n"
		 "$cloneOptions[1] = new KalturaBaseEntryCloneOptionComponent();\n"
		 "$cloneOptions[1]->itemType = KalturaBaseEntryCloneOptions::CATEGORIES;\n");
	HAS(out, "$client->baseEntry->cloneAction($entryId, $cloneOptions);");
	free(out);
	out = gen_ok(CODEGEN_PYTHON, &r, s);
	HAS(out, "cloneOptions = []\n"
		 "cloneOptions.append(KalturaBaseEntryCloneOptionComponent())\n"
		 "cloneOptions[0].itemType = KalturaBaseEntryCloneOptions.USERS\n"
		 "cloneOptions.append(KalturaBaseEntryCloneOptionComponent())\n");
	free(out);
	out = gen_ok(CODEGEN_NODE, &r, s);
	HAS(out, "let cloneOptions = [];\n"
		 "cloneOptions[0] = new kaltura.objects.BaseEntryCloneOptionComponent();\n"
		 "cloneOptions[0].itemType = kaltura.enums.BaseEntryCloneOptions.USERS;\n");
	free(out);
	/* curl keeps the order of the command line, as `ktestme call` does */
	out = gen_ok(CODEGEN_CURL, &r, s);
	HAS(out, "'cloneOptions:1:itemType=2' \\\n"
		 "  --data-urlencode 'cloneOptions:0:objectType=KalturaBaseEntryCloneOptionComponent'");
	free(out);
	request_free(&r);

	make(&r, "baseEntry", "clone", (const char *const[]){"entryId=0_abc", "cloneOptions:-=", NULL});
	out = gen_ok(CODEGEN_PHP, &r, s);
	HAS(out, "$cloneOptions = array();\n\n$result");
	free(out);
	out = gen_ok(CODEGEN_CURL, &r, s);
	HAS(out, "--data-urlencode 'cloneOptions:-='\n");
	free(out);
	request_free(&r);
	schema_free(s);
}

Test(codegen, null_property)
{
	schema *s = shipped();
	kt_request r;
	make(&r, "category", "list",
	     (const char *const[]){"filter:objectType=KalturaCategoryFilter",
				   "filter:parentIdEqual__null=", NULL});
	char *out = gen_ok(CODEGEN_PHP, &r, s);
	HAS(out, "$filter->parentIdEqual = KalturaNull::getInstance();\n");
	free(out);
	out = gen_ok(CODEGEN_PYTHON, &r, s);
	HAS(out, "filter.parentIdEqual = None\n");
	free(out);
	out = gen_ok(CODEGEN_NODE, &r, s);
	HAS(out, "filter.parentIdEqual__null = '';\n");
	free(out);
	out = gen_ok(CODEGEN_CURL, &r, s);
	HAS(out, "--data-urlencode 'filter:parentIdEqual__null='\n");
	free(out);
	request_free(&r);
	schema_free(s);
}

Test(codegen, quotes_backslash_and_non_ascii)
{
	schema *s = shipped();
	kt_request r;
	make(&r, "category", "list",
	     (const char *const[]){"filter:objectType=KalturaCategoryFilter",
				   "filter:fullNameStartsWith=O'Brien \"q\" \\ D\xc3\xa9mo \xe6\x97\xa5",
				   NULL});
	char *out = gen_ok(CODEGEN_CURL, &r, s);
	HAS(out, "--data-urlencode 'filter:fullNameStartsWith=O'\\''Brien \"q\" \\ D\xc3\xa9mo \xe6\x97\xa5'\n");
	free(out);
	out = gen_ok(CODEGEN_PHP, &r, s);
	HAS(out, "$filter->fullNameStartsWith = 'O\\'Brien \"q\" \\\\ D\xc3\xa9mo \xe6\x97\xa5';\n");
	free(out);
	out = gen_ok(CODEGEN_PYTHON, &r, s);
	HAS(out, "filter.fullNameStartsWith = \"O'Brien \\\"q\\\" \\\\ D\xc3\xa9mo \xe6\x97\xa5\"\n");
	free(out);
	out = gen_ok(CODEGEN_NODE, &r, s);
	HAS(out, "filter.fullNameStartsWith = 'O\\'Brien \"q\" \\\\ D\xc3\xa9mo \xe6\x97\xa5';\n");
	free(out);
	request_free(&r);

	/* control characters: escaped where the language has escapes, kept in quotes otherwise */
	make(&r, "category", "get", (const char *const[]){"id=a\nb\tc\x01", NULL});
	out = gen_ok(CODEGEN_PYTHON, &r, s);
	HAS(out, "id = \"a\\nb\\tc\\x01\"\n");
	free(out);
	out = gen_ok(CODEGEN_NODE, &r, s);
	HAS(out, "let id = 'a\\nb\\tc\\x01';\n");
	free(out);
	out = gen_ok(CODEGEN_CURL, &r, s);
	HAS(out, "--data-urlencode 'id=a\nb\tc\x01'\n");
	free(out);
	request_free(&r);

	/* bytes that are not UTF-8 fit a PHP string, not a Python or JavaScript one */
	make(&r, "category", "get", (const char *const[]){"id=\xff\xfe", NULL});
	gen_fails(CODEGEN_PYTHON, &r, s, "not valid UTF-8");
	gen_fails(CODEGEN_NODE, &r, s, "not valid UTF-8");
	out = gen_ok(CODEGEN_PHP, &r, s);
	HAS(out, "$id = '\xff\xfe';\n");
	free(out);
	request_free(&r);
	schema_free(s);
}

Test(codegen, typed_literals)
{
	schema *s = shipped();
	kt_request r;
	/* bigint id: a number; bool shouldUpdate: a boolean; an int that is not a number: text */
	make(&r, "category", "index", (const char *const[]){"id=007", "shouldUpdate=0", NULL});
	char *out = gen_ok(CODEGEN_PHP, &r, s);
	HAS(out, "$id = 7;\n$shouldUpdate = false;\n");
	free(out);
	out = gen_ok(CODEGEN_PYTHON, &r, s);
	HAS(out, "id = 7\nshouldUpdate = False\n");
	free(out);
	request_free(&r);
	make(&r, "category", "get", (const char *const[]){"id=abc", NULL});
	out = gen_ok(CODEGEN_NODE, &r, s);
	HAS(out, "let id = 'abc';\n");
	free(out);
	request_free(&r);
	schema_free(s);
}

Test(codegen, plugin_service)
{
	schema *s = shipped();
	kt_request r;
	make(&r, "metadata", "list",
	     (const char *const[]){"filter:objectType=KalturaMetadataFilter",
				   "filter:metadataObjectTypeEqual=1", NULL});
	char *out = gen_ok(CODEGEN_PHP, &r, s);
	HAS(out, "require_once 'KalturaPlugins/KalturaMetadataClientPlugin.php';\n");
	HAS(out, "$filter->metadataObjectTypeEqual = KalturaMetadataObjectType::ENTRY;\n");
	HAS(out, "$result = KalturaMetadataClientPlugin::get($client)->metadata->listAction($filter);\n");
	free(out);
	out = gen_ok(CODEGEN_PYTHON, &r, s);
	HAS(out, "from KalturaClient.Plugins.Metadata import *\n");
	HAS(out, "result = client.metadata.metadata.list(filter)\n");
	free(out);
	out = gen_ok(CODEGEN_NODE, &r, s);
	HAS(out, "kaltura.services.metadata.listAction(filter)\n");
	free(out);
	/* on the wire the service is its id */
	out = gen_ok(CODEGEN_CURL, &r, s);
	HAS(out, "'https://www.kaltura.com/api_v3/service/metadata_metadata/action/list'");
	free(out);
	request_free(&r);
	schema_free(s);
}

/* A small schema for what the shipped one has no input for: maps, keywords as names. */
static const char mini_xml[] =
	"<xml apiVersion=\"1.0\"><enums/><classes>"
	"<class name=\"KalturaThing\"><property name=\"not\" type=\"string\"/>"
	"<property name=\"tags\" type=\"map\" arrayType=\"KalturaThing\"/>"
	"<property name=\"ratio\" type=\"float\"/></class></classes>"
	"<services><service id=\"thing\" name=\"thing\">"
	"<action name=\"goto\"><param name=\"delete\" type=\"string\" optional=\"0\"/>"
	"<param name=\"thing\" type=\"KalturaThing\" optional=\"1\" default=\"null\"/>"
	"<result type=\"KalturaThing\"/></action></service></services></xml>";

Test(codegen, maps_and_reserved_names)
{
	kt_error err;
	schema *s = schema_load_memory(mini_xml, sizeof mini_xml - 1, "mini", &err);
	cr_assert(s, "%s", err.msg);
	kt_request r;
	make(&r, "thing", "goto",
	     (const char *const[]){"delete=x", "thing:not=1", "thing:ratio=1.5e3",
				   "thing:tags:a b:not=2", NULL});
	char *out = gen_ok(CODEGEN_PHP, &r, s);
	HAS(out, "$thing = new KalturaThing();\n$thing->not = '1';\n$thing->ratio = 1.5e3;\n"
		 "$thing->tags = array();\n$thing->tags['a b'] = new KalturaThing();\n"
		 "$thing->tags['a b']->not = '2';\n");
	HAS(out, "$client->thing->gotoAction($delete, $thing);");
	free(out);
	out = gen_ok(CODEGEN_PYTHON, &r, s);
	HAS(out, "thing.not_ = \"1\"\n");
	HAS(out, "thing.tags = {}\nthing.tags[\"a b\"] = KalturaThing()\n");
	HAS(out, "client.thing.goto(delete, thing)");
	free(out);
	out = gen_ok(CODEGEN_NODE, &r, s);
	/* delete is reserved in JavaScript: the variable takes a '_' */
	HAS(out, "let delete_ = 'x';\n");
	HAS(out, "thing.tags['a b'] = new kaltura.objects.Thing();\n");
	HAS(out, "kaltura.services.thing.goto(delete_, thing)");
	free(out);
	request_free(&r);
	schema_free(s);
}

Test(codegen, no_secret_in_any_output)
{
	static const char ks[] = "djJ8MTIzNHxTRUNSRVRLUw==", secret[] = "ADMIN-SECRET-VALUE",
			  password[] = "PASSWORD-VALUE";
	schema *s = shipped();
	kt_request r;
	make(&r, "user", "loginByLoginId",
	     (const char *const[]){"loginId=a@b.c", "password=PASSWORD-VALUE", NULL});
	request_set_field(&r.ks, ks);
	for (codegen_lang l = CODEGEN_CURL; l <= CODEGEN_NODE; l++) {
		char *out = gen_ok(l, &r, s);
		HASNT(out, ks);
		HASNT(out, password);
		HAS(out, "KALTURA_PASSWORD");
		HAS(out, "KALTURA_KS");
		free(out);
	}
	request_free(&r);

	make(&r, "session", "impersonate",
	     (const char *const[]){"secret=ADMIN-SECRET-VALUE", "impersonatedPartnerId=5", NULL});
	request_set_field(&r.ks, ks);
	for (codegen_lang l = CODEGEN_CURL; l <= CODEGEN_NODE; l++) {
		char *out = gen_ok(l, &r, s);
		HASNT(out, ks);
		HASNT(out, secret);
		free(out);
	}
	request_free(&r);

	/* a multirequest: secrets of sub-requests too; a {N:result} reference is not a secret */
	make(&r, "multirequest", NULL,
	     (const char *const[]){"1:service=session", "1:action=start",
				   "1:secret=ADMIN-SECRET-VALUE", "2:service=category",
				   "2:action=get", "2:ks={1:result}", NULL});
	char *out = gen_ok(CODEGEN_CURL, &r, s);
	HASNT(out, secret);
	HAS(out, "'https://www.kaltura.com/api_v3/service/multirequest'");
	HAS(out, "--data-urlencode \"1:secret=$KALTURA_ADMIN_SECRET\"");
	HAS(out, "--data-urlencode '2:ks={1:result}'");
	free(out);
	for (codegen_lang l = CODEGEN_PHP; l <= CODEGEN_NODE; l++) {
		out = gen_ok(l, &r, s);
		HASNT(out, secret);
		HAS(out, "KALTURA_ADMIN_SECRET");
		HAS(out, "{1:result}");
		free(out);
	}
	request_free(&r);
	schema_free(s);
}

/* A multirequest in the clients: PHP and Python queue each call between startMultiRequest and
 * doMultiRequest (KalturaClientBase::startMultiRequest, doMultiRequest), Node.js adds request
 * builders to client.startMultiRequest()'s MultiRequestBuilder; back-references are the strings
 * the server resolves, "{1:result:id}", as the clients' own MultiRequestSubResult prints them
 * and the npm client's example.js writes them. */
Test(codegen, multirequest_in_the_clients)
{
	schema *s = shipped();
	kt_request r;
	make(&r, "multirequest", NULL,
	     (const char *const[]){"1:service=media", "1:action=add",
				   "1:entry:objectType=KalturaMediaEntry", "1:entry:name=MR",
				   "1:entry:mediaType=1", "2:service=media", "2:action=get",
				   "2:entryId={1:result:id}", "3:service=media", "3:action=list",
				   NULL});
	char *out = gen_ok(CODEGEN_PHP, &r, s);
	HAS(out, "$client->setKs(getenv('KALTURA_KS'));\n\n$client->startMultiRequest();\n"
		 "\n// 1: media.add\n$entry = new KalturaMediaEntry();\n$entry->name = 'MR';\n"
		 "$entry->mediaType = KalturaMediaType::VIDEO;\n$client->media->add($entry);\n"
		 "\n// 2: media.get\n$entryId = '{1:result:id}';\n$client->media->get($entryId);\n"
		 "\n// 3: media.list\n$client->media->listAction();\n");
	HAS(out, "$result = $client->doMultiRequest();\nprint_r($result);\n");
	free(out);
	out = gen_ok(CODEGEN_PYTHON, &r, s);
	HAS(out, "client.setKs(os.environ[\"KALTURA_KS\"])\n\nclient.startMultiRequest()\n");
	HAS(out, "\n# 2: media.get\nentryId = \"{1:result:id}\"\nclient.media.get(entryId)\n");
	HAS(out, "client.media.list()\n");
	HAS(out, "result = client.doMultiRequest()\nshow(result)\n");
	free(out);
	out = gen_ok(CODEGEN_NODE, &r, s);
	HAS(out, "const multiRequest = client.startMultiRequest();\n");
	/* a block each: both items may declare the same names */
	HAS(out, "// 1: media.add\n{\n    let entry = new kaltura.objects.MediaEntry();\n");
	HAS(out, "    multiRequest.add(kaltura.services.media.add(entry));\n}\n");
	HAS(out, "{\n    let entryId = '{1:result:id}';\n"
		 "    multiRequest.add(kaltura.services.media.get(entryId));\n}\n");
	HAS(out, "multiRequest.add(kaltura.services.media.listAction());");
	HAS(out, "multiRequest.execute(client)\n    .then(result => {");
	free(out);
	request_free(&r);

	/* an item's own KS: the client's KS for that call only, the one of before after it */
	make(&r, "multirequest", NULL,
	     (const char *const[]){"1:service=session", "1:action=start", "1:partnerId=4321",
				   "1:type=2", "2:service=category", "2:action=get", "2:id=1",
				   "2:ks={1:result}", NULL});
	out = gen_ok(CODEGEN_PHP, &r, s);
	HAS(out, "$secret = getenv('KALTURA_ADMIN_SECRET');");
	HAS(out, "$id = 1;\n$client->setKs('{1:result}');\n$client->category->get($id);\n"
		 "$client->setKs(null);\n");
	/* no item needs the caller's KS: the example sets none */
	HASNT(out, "KALTURA_KS");
	free(out);
	out = gen_ok(CODEGEN_PYTHON, &r, s);
	HAS(out, "client.setKs(\"{1:result}\")\nclient.category.get(id)\n"
		 "client.requestConfiguration.pop(\"ks\", None)\n");
	free(out);
	out = gen_ok(CODEGEN_NODE, &r, s);
	HAS(out, "multiRequest.add(kaltura.services.category.get(id).setKs('{1:result}'));");
	free(out);
	request_free(&r);

	/* what an example cannot say */
	make(&r, "multirequest", NULL, (const char *const[]){"1:service=media", NULL});
	gen_fails(CODEGEN_PHP, &r, s, "item 1 has no 1:service and 1:action");
	request_free(&r);
	make(&r, "multirequest", NULL,
	     (const char *const[]){"1:service=media", "1:action=list", "3:service=media",
				   "3:action=list", NULL});
	gen_fails(CODEGEN_PYTHON, &r, s, "numbered from 1 without gaps: 2, not 3");
	request_free(&r);
	make(&r, "multirequest", NULL,
	     (const char *const[]){"1:service=media", "1:action=nope", NULL});
	gen_fails(CODEGEN_NODE, &r, s, "nope");
	request_free(&r);
	make(&r, "multirequest", NULL,
	     (const char *const[]){"1:service=media", "1:action=get", "1:bogus=1", NULL});
	gen_fails(CODEGEN_PHP, &r, s, "media.get has no parameter 'bogus'");
	request_free(&r);
	make(&r, "multirequest", NULL, (const char *const[]){"entryId=1", NULL});
	gen_fails(CODEGEN_PHP, &r, s, "'entryId' belongs to no item");
	request_free(&r);
	make(&r, "multirequest", NULL, NULL);
	gen_fails(CODEGEN_PHP, &r, s, "has no items");
	request_free(&r);
	schema_free(s);
}

/* A file to upload (name@PATH): curl sends the call as multipart, the file with -F, as
 * TestMe's form does; the clients take the path (PHP, Node.js) or an open file (Python). */
Test(codegen, upload_file)
{
	schema *s = shipped();
	kt_request r;
	make(&r, "uploadToken", "upload", (const char *const[]){"uploadTokenId=0_t", NULL});
	request_add_file(&r, "fileData", "/tmp/my clip.mp4");
	for (int with_schema = 0; with_schema < 2; with_schema++) {
		char *out = gen_ok(CODEGEN_CURL, &r, with_schema ? s : NULL);
		HAS(out, "--form-string 'format=2' \\\n");
		HAS(out, "--form-string 'uploadTokenId=0_t' \\\n  -F 'fileData=@\"/tmp/my clip.mp4\"'\n");
		HASNT(out, "--data-urlencode");
		free(out);
	}
	char *out = gen_ok(CODEGEN_PHP, &r, s);
	HAS(out, "$fileData = '/tmp/my clip.mp4';\n\n$result = $client->uploadToken->upload($uploadTokenId, $fileData);");
	free(out);
	out = gen_ok(CODEGEN_PYTHON, &r, s);
	HAS(out, "fileData = open(\"/tmp/my clip.mp4\", \"rb\")\n");
	free(out);
	out = gen_ok(CODEGEN_NODE, &r, s);
	HAS(out, "let fileData = '/tmp/my clip.mp4';\n");
	free(out);
	/* the request itself is left as it was */
	cr_assert_null(param_find(r.params, "fileData"));
	request_free(&r);

	/* a multirequest item's file is "N:fileData" */
	make(&r, "multirequest", NULL,
	     (const char *const[]){"1:service=uploadToken", "1:action=upload", "1:uploadTokenId=0_t",
				   NULL});
	request_add_file(&r, "1:fileData", "/tmp/a.bin");
	out = gen_ok(CODEGEN_CURL, &r, s);
	HAS(out, "-F '1:fileData=@\"/tmp/a.bin\"'");
	HAS(out, "--form-string '1:uploadTokenId=0_t'");
	free(out);
	out = gen_ok(CODEGEN_PHP, &r, s);
	HAS(out, "$fileData = '/tmp/a.bin';\n$client->uploadToken->upload($uploadTokenId, $fileData);");
	free(out);
	request_free(&r);
	schema_free(s);
}

Test(codegen, curl_without_schema)
{
	kt_request r;
	make(&r, "echo", "params",
	     (const char *const[]){"a b&c=x", "entries:-=", "filter:x__null=", NULL});
	r.format = 1;
	kt_error err;
	char *out = codegen_generate(CODEGEN_CURL, &r, "http://127.0.0.1:8080", NULL, &err);
	cr_assert(out, "%s", err.msg);
	HAS(out, "curl -sS -X POST 'http://127.0.0.1:8080/api_v3/service/echo/action/params' \\\n");
	HAS(out, "--data-urlencode 'format=1' \\\n");
	/* --data-urlencode sends the name as is: a name with '&' or ' ' goes encoded */
	HAS(out, "--data-urlencode 'a%20b%26c=x' \\\n");
	HAS(out, "--data-urlencode 'entries:-=' \\\n");
	HAS(out, "--data-urlencode 'filter:x__null='\n");
	HASNT(out, "Credentials");
	free(out);
	gen_fails(CODEGEN_NODE, &r, NULL, "needs the API schema");
	request_free(&r);

	/* a URL with a quote stays one shell word */
	make(&r, "echo", "params", NULL);
	out = codegen_generate(CODEGEN_CURL, &r, "http://h/it's", NULL, &err);
	cr_assert(out, "%s", err.msg);
	HAS(out, "'http://h/it'\\''s/api_v3/service/echo/action/params'");
	free(out);
	out = codegen_generate(CODEGEN_CURL, &r, "http://h", NULL, &err);
	/* the last option ends the command: no dangling backslash */
	cr_assert(out && strlen(out) > 3);
	cr_assert_str_eq(out + strlen(out) - 2, "'\n");
	free(out);
	request_free(&r);
}

Test(codegen, bad_requests)
{
	schema *s = shipped();
	kt_request r;

	make(&r, "catgory", "list", NULL);
	gen_fails(CODEGEN_PHP, &r, s, "service 'catgory' is not in the API schema");
	gen_fails(CODEGEN_PHP, &r, s, "did you mean category?");
	request_free(&r);
	make(&r, "category", "lst", NULL);
	gen_fails(CODEGEN_PYTHON, &r, s, "service category has no action 'lst'");
	request_free(&r);
	make(&r, "category", "get", (const char *const[]){"idd=1", NULL});
	gen_fails(CODEGEN_NODE, &r, s, "category.get has no parameter 'idd' (its parameters: id)");
	request_free(&r);
	make(&r, "category", "list", (const char *const[]){"filter:bogus=1", NULL});
	gen_fails(CODEGEN_PHP, &r, s, "KalturaCategoryFilter has no property 'bogus'");
	request_free(&r);
	make(&r, "category", "list", (const char *const[]){"filter=5", NULL});
	gen_fails(CODEGEN_PHP, &r, s, "'filter' is a KalturaCategoryFilter object");
	request_free(&r);
	make(&r, "category", "list", (const char *const[]){"filter:objectType=KalturaNoSuch", NULL});
	gen_fails(CODEGEN_PYTHON, &r, s, "not a class in the API schema");
	request_free(&r);
	make(&r, "category", "list", (const char *const[]){"filter:objectType=KalturaFilterPager", NULL});
	gen_fails(CODEGEN_PYTHON, &r, s, "not a kind of KalturaCategoryFilter");
	request_free(&r);
	make(&r, "category", "get", (const char *const[]){"id:x=1", NULL});
	gen_fails(CODEGEN_NODE, &r, s, "'id' is a bigint value, not an object");
	request_free(&r);
	/* KalturaBaseEntryCloneOptionItem is abstract: objectType must pick a concrete type */
	make(&r, "baseEntry", "clone",
	     (const char *const[]){"entryId=1", "cloneOptions:0:itemType=1", NULL});
	gen_fails(CODEGEN_PHP, &r, s, "abstract: choose a type with cloneOptions:0:objectType=");
	request_free(&r);
	make(&r, "baseEntry", "clone", (const char *const[]){"entryId=1", "cloneOptions=x", NULL});
	gen_fails(CODEGEN_PHP, &r, s, "'cloneOptions' is an array of KalturaBaseEntryCloneOptionItem");
	request_free(&r);
	/* the Node.js client has no action that answers a file */
	make(&r, "baseEntry", "servePlaybackKey", (const char *const[]){"entryId=1", NULL});
	gen_fails(CODEGEN_NODE, &r, s, "use the curl example");
	char *out = gen_ok(CODEGEN_PHP, &r, s);
	free(out);
	request_free(&r);
	/* a required parameter left out is named in a comment, and passed as null */
	make(&r, "category", "get", NULL);
	out = gen_ok(CODEGEN_PHP, &r, s);
	HAS(out, "// required, but not given: id\n$result = $client->category->get(null);");
	free(out);
	request_free(&r);
	schema_free(s);
}
