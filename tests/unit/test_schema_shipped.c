/* schema_shipped: schemas/kaltura.xml, the schema ktestme ships, checked with libxml2 alone
 * (the loader in src/schema.c is not used, so a loader bug cannot hide a file bug).
 * Always: the file parses, names the 14 services, refers only to what it defines, and states
 * the facts KALTURA.md sections 3, 5 and 6 give. With ../shared/schemas/kaltura-api-22.19.0.xml
 * present: everything it names agrees with that reference, and no description is Kaltura's. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/hash.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

#define SHIPPED "schemas/kaltura.xml"
#define REFERENCE "../shared/schemas/kaltura-api-22.19.0.xml"

static const char *const services14[] = {
	"session", "user", "appToken", "category", "categoryUser", "baseEntry", "media",
	"partner", "permission", "userRole", "uiConf", "flavorAsset", "metadata", "uploadToken",
};
enum { NSERVICES = sizeof services14 / sizeof services14[0] };

static xmlDocPtr shipped, ref;

static xmlDocPtr load(const char *path)
{
	/* No recovery: a file that is not well-formed must fail here. */
	xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOBLANKS);
	cr_assert(doc, "%s does not parse as XML", path);
	xmlNodePtr root = xmlDocGetRootElement(doc);
	cr_assert(root && !xmlStrcmp(root->name, BAD_CAST "xml"), "%s: root is not <xml>", path);
	return doc;
}

static void free_docs(void)
{
	xmlFreeDoc(shipped);
	xmlFreeDoc(ref);
	shipped = ref = NULL;
}

TestSuite(schema_shipped, .fini = free_docs);

/* In the test body rather than .init, so a broken file reads as a failure, not a crash. */
static void need_shipped(void)
{
	shipped = load(SHIPPED);
}

static void need_reference(void)
{
	if (access(REFERENCE, R_OK) != 0)
		cr_skip_test("%s is absent; comparison with the reference skipped", REFERENCE);
	ref = load(REFERENCE);
}

/* The nodes an XPath expression selects; the caller frees with xmlXPathFreeObject. */
static xmlXPathObjectPtr select_nodes(xmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	cr_assert(ctx);
	xmlXPathObjectPtr res = xmlXPathEvalExpression(BAD_CAST expr, ctx);
	xmlXPathFreeContext(ctx);
	cr_assert(res && res->type == XPATH_NODESET, "XPath %s failed", expr);
	return res;
}

static int nodes_count(xmlXPathObjectPtr res)
{
	return res->nodesetval ? res->nodesetval->nodeNr : 0;
}

static xmlNodePtr nodes_at(xmlXPathObjectPtr res, int i)
{
	return res->nodesetval->nodeTab[i];
}

static int count(xmlDocPtr doc, const char *expr)
{
	xmlXPathObjectPtr res = select_nodes(doc, expr);
	int n = nodes_count(res);
	xmlXPathFreeObject(res);
	return n;
}

/* The single node expr selects, or NULL when there is none. */
static xmlNodePtr one(xmlDocPtr doc, const char *expr)
{
	xmlXPathObjectPtr res = select_nodes(doc, expr);
	int n = nodes_count(res);
	cr_assert_leq(n, 1, "XPath %s selects %d nodes, expected at most one", expr, n);
	xmlNodePtr node = n ? nodes_at(res, 0) : NULL;
	xmlXPathFreeObject(res);
	return node;
}

/* An attribute's value as a plain string (NULL when absent); free with xmlFree. */
static char *attr(xmlNodePtr n, const char *name)
{
	return (char *)xmlGetNoNsProp(n, BAD_CAST name);
}

static bool attr_is(xmlNodePtr n, const char *name, const char *want)
{
	char *v = attr(n, name);
	bool ok = v && !strcmp(v, want);
	xmlFree(v);
	return ok;
}

/* Attribute name -> value of one element, description excluded: what must agree. */
static bool same_attrs(xmlNodePtr a, xmlNodePtr b, const char *where)
{
	bool ok = true;
	for (int pass = 0; pass < 2; pass++) {
		xmlNodePtr from = pass ? b : a, other = pass ? a : b;
		for (xmlAttrPtr p = from->properties; p; p = p->next) {
			const char *name = (const char *)p->name;
			if (!strcmp(name, "description"))
				continue;
			char *x = attr(from, name), *y = attr(other, name);
			if (!y || (pass == 0 && strcmp(x, y))) {
				cr_expect(false, "%s <%s>: %s=\"%s\" in %s but %s%s%s in %s",
					  where, (const char *)a->name, name, x,
					  pass ? REFERENCE : SHIPPED,
					  y ? "\"" : "absent", y ? y : "", y ? "\"" : "",
					  pass ? SHIPPED : REFERENCE);
				ok = false;
			}
			xmlFree(x);
			xmlFree(y);
		}
	}
	return ok;
}

/* Same element names, attributes (description aside) and children, in the same order. */
static bool same_tree(xmlNodePtr a, xmlNodePtr b, const char *where)
{
	if (xmlStrcmp(a->name, b->name)) {
		cr_expect(false, "%s: <%s> in %s where the reference has <%s>", where,
			  (const char *)a->name, SHIPPED, (const char *)b->name);
		return false;
	}
	bool ok = same_attrs(a, b, where);
	xmlNodePtr x = xmlFirstElementChild(a), y = xmlFirstElementChild(b);
	for (; x && y; x = xmlNextElementSibling(x), y = xmlNextElementSibling(y)) {
		char *name = attr(x, "name");
		char sub[512];
		snprintf(sub, sizeof sub, "%s/%s%s%s", where, (const char *)x->name,
			 name ? ":" : "", name ? name : "");
		xmlFree(name);
		ok = same_tree(x, y, sub) && ok;
	}
	if (x || y) {
		cr_expect(false, "%s: %s has %s child elements than the reference", where, SHIPPED,
			  x ? "more" : "fewer");
		ok = false;
	}
	return ok;
}

/* name attribute -> element, for every element expr selects. */
static xmlHashTablePtr index_by(xmlDocPtr doc, const char *expr, const char *key)
{
	xmlHashTablePtr h = xmlHashCreate(256);
	xmlXPathObjectPtr res = select_nodes(doc, expr);
	for (int i = 0; i < nodes_count(res); i++) {
		char *k = attr(nodes_at(res, i), key);
		cr_assert(k, "%s: an element of %s has no %s", (const char *)doc->URL, expr, key);
		xmlHashAddEntry(h, BAD_CAST k, nodes_at(res, i)); /* first one wins */
		xmlFree(k);
	}
	xmlXPathFreeObject(res);
	return h;
}

static bool in_hash(xmlHashTablePtr h, const char *key)
{
	return xmlHashLookup(h, BAD_CAST key) != NULL;
}

/* The definitions of the shipped file named by expr agree with the reference's. */
static void agree_with_reference(const char *expr, const char *key, const char *what)
{
	xmlHashTablePtr refs = index_by(ref, expr, key);
	xmlXPathObjectPtr res = select_nodes(shipped, expr);
	cr_assert_gt(nodes_count(res), 0, "%s has no %s", SHIPPED, what);
	for (int i = 0; i < nodes_count(res); i++) {
		xmlNodePtr n = nodes_at(res, i);
		char *k = attr(n, key);
		char where[256];
		snprintf(where, sizeof where, "%s %s", what, k);
		xmlNodePtr r = xmlHashLookup(refs, BAD_CAST k);
		cr_expect(r, "%s is not in the reference", where);
		if (r)
			same_tree(n, r, where);
		xmlFree(k);
	}
	xmlXPathFreeObject(res);
	xmlHashFree(refs, NULL);
}

/* ---- always: the file on its own ---- */

Test(schema_shipped, parses_with_the_14_services)
{
	need_shipped();
	struct stat st;
	cr_assert_eq(stat(SHIPPED, &st), 0);
	cr_expect_lt(st.st_size, 1000000, "%s is %lld bytes; files over 1 MB are not committed",
		     SHIPPED, (long long)st.st_size);

	cr_expect_eq(count(shipped, "/xml/services/service"), NSERVICES,
		     "%s should hold exactly the %d services", SHIPPED, NSERVICES);
	for (int i = 0; i < NSERVICES; i++) {
		char expr[128];
		snprintf(expr, sizeof expr, "/xml/services/service[@name='%s']", services14[i]);
		cr_expect_eq(count(shipped, expr), 1, "service %s is missing or repeated",
			     services14[i]);
		snprintf(expr, sizeof expr, "/xml/services/service[@name='%s']/action",
			 services14[i]);
		cr_expect_gt(count(shipped, expr), 0, "service %s has no action", services14[i]);
	}
	/* The brief names the plugin service's real id; the rest use the lower-case name. */
	cr_expect_eq(count(shipped, "/xml/services/service[@id='metadata_metadata' and "
				    "@name='metadata' and @plugin='metadata']"), 1);
	cr_expect_eq(count(shipped, "/xml/services/service[@id='baseentry' and @name='baseEntry']"),
		     1);

	xmlNodePtr root = xmlDocGetRootElement(shipped);
	char *date = attr(root, "generatedDate");
	cr_expect(date && *date && strspn(date, "0123456789") == strlen(date),
		  "generatedDate must be a Unix time");
	xmlFree(date);
	cr_expect(attr_is(root, "apiVersion", "22.19.0"),
		  "apiVersion should be 22.19.0, the reference's");
	for (const char *const *s = (const char *const[]){ "enums", "classes", "services",
			"plugins", "errors", "configurations", NULL }; *s; s++) {
		char expr[64];
		snprintf(expr, sizeof expr, "/xml/%s", *s);
		cr_expect_eq(count(shipped, expr), 1, "<%s> section missing or repeated", *s);
	}
}

Test(schema_shipped, services_and_actions_are_described)
{
	need_shipped();
	cr_expect_eq(count(shipped, "/xml/services/service[not(@description) or @description='']"),
		     0, "every service needs a description");
	cr_expect_eq(count(shipped, "//action[not(@description) or @description='']"), 0,
		     "every action needs a description");
	cr_expect_eq(count(shipped, "//action[@name='start']/@description[. != '']"), 1);
}

static bool simple_type(const char *t)
{
	static const char *const simple[] = {
		"int", "bigint", "float", "bool", "string", "array", "map", "file",
		/* The server's root object: used as a property type by the reference itself
		 * (KalturaBulkUploadFilterJobData.templateObject) but never defined there. */
		"KalturaObjectBase",
	};
	for (size_t i = 0; i < sizeof simple / sizeof simple[0]; i++)
		if (!strcmp(t, simple[i]))
			return true;
	return false;
}

/* Every name that expr selects (attribute nodes) is a key of defined. */
static void all_defined(const char *expr, xmlHashTablePtr defined, bool allow_simple,
			const char *what)
{
	xmlXPathObjectPtr res = select_nodes(shipped, expr);
	cr_assert_gt(nodes_count(res), 0, "%s selects nothing", expr);
	for (int i = 0; i < nodes_count(res); i++) {
		xmlNodePtr a = nodes_at(res, i);
		xmlChar *v = xmlNodeGetContent(a);
		const char *t = (const char *)v;
		cr_expect((allow_simple && simple_type(t)) || in_hash(defined, t),
			  "%s %s (%s of <%s>) is not defined in %s", what, t,
			  (const char *)a->name, (const char *)a->parent->name, SHIPPED);
		xmlFree(v);
	}
	xmlXPathFreeObject(res);
}

Test(schema_shipped, every_reference_is_defined)
{
	need_shipped();
	xmlHashTablePtr classes = index_by(shipped, "/xml/classes/class", "name");
	xmlHashTablePtr enums = index_by(shipped, "/xml/enums/enum", "name");
	xmlHashTablePtr errors = index_by(shipped, "/xml/errors/error", "name");
	xmlHashTablePtr services = index_by(shipped, "/xml/services/service", "name");
	xmlHashTablePtr plugins = index_by(shipped, "/xml/plugins/plugin", "name");

	all_defined("//param/@type | //param/@arrayType | //result/@type | //result/@arrayType"
		    " | //property/@type | //property/@arrayType | /xml/configurations//@type",
		    classes, true, "type");
	all_defined("//class/@base", classes, false, "base class");
	all_defined("//param/@enumType | //property/@enumType | //property/@valuesEnumType",
		    enums, false, "enum");
	all_defined("//throws/@name", errors, false, "error");
	all_defined("//pluginService/@name", services, false, "service");
	all_defined("//dependency/@pluginName | //*[not(self::plugin)]/@plugin", plugins, false,
		    "plugin");

	/* Definitions are unique, or a loader would have to guess. */
	cr_expect_eq(xmlHashSize(classes), count(shipped, "/xml/classes/class"), "duplicate class");
	cr_expect_eq(xmlHashSize(enums), count(shipped, "/xml/enums/enum"), "duplicate enum");
	cr_expect_eq(xmlHashSize(errors), count(shipped, "/xml/errors/error"), "duplicate error");

	xmlHashFree(classes, NULL);
	xmlHashFree(enums, NULL);
	xmlHashFree(errors, NULL);
	xmlHashFree(services, NULL);
	xmlHashFree(plugins, NULL);
}

/* One parameter as KALTURA.md section 5 states it; dflt NULL means "no default attribute". */
static void expect_param(const char *svc, const char *act, int pos, const char *name,
			 const char *type, const char *dflt)
{
	char expr[256];
	snprintf(expr, sizeof expr,
		 "/xml/services/service[@name='%s']/action[@name='%s']/param[%d]", svc, act, pos);
	xmlNodePtr p = one(shipped, expr);
	cr_assert(p, "%s.%s has no parameter %d", svc, act, pos);
	cr_expect(attr_is(p, "name", name), "%s.%s parameter %d should be %s", svc, act, pos, name);
	cr_expect(attr_is(p, "type", type), "%s.%s %s should be of type %s", svc, act, name, type);
	cr_expect(attr_is(p, "optional", dflt ? "1" : "0"), "%s.%s %s optional flag", svc, act,
		  name);
	if (dflt)
		cr_expect(attr_is(p, "default", dflt), "%s.%s %s should default to \"%s\"",
			  svc, act, name, dflt);
	else
		cr_expect(!xmlHasProp(p, BAD_CAST "default"), "%s.%s %s has a default", svc, act,
			  name);
}

static void expect_result(const char *svc, const char *act, const char *type, int nparams)
{
	char expr[256];
	snprintf(expr, sizeof expr, "/xml/services/service[@name='%s']/action[@name='%s']/result",
		 svc, act);
	xmlNodePtr r = one(shipped, expr);
	cr_assert(r, "%s.%s has no <result>", svc, act);
	cr_expect(attr_is(r, "type", type), "%s.%s should return %s", svc, act, type);
	snprintf(expr, sizeof expr, "/xml/services/service[@name='%s']/action[@name='%s']/param",
		 svc, act);
	cr_expect_eq(count(shipped, expr), nparams, "%s.%s should take %d parameters", svc, act,
		     nparams);
}

Test(schema_shipped, session_actions_match_kaltura_md)
{
	need_shipped();
	expect_param("session", "start", 1, "secret", "string", NULL);
	expect_param("session", "start", 2, "userId", "string", "");
	expect_param("session", "start", 3, "type", "int", "0");
	expect_param("session", "start", 4, "partnerId", "int", "null");
	expect_param("session", "start", 5, "expiry", "int", "86400");
	expect_param("session", "start", 6, "privileges", "string", "null");
	expect_result("session", "start", "string", 6);
	cr_expect_eq(count(shipped, "//service[@name='session']/action[@name='start']"
				    "/param[@name='type' and @enumType='KalturaSessionType']"), 1);
	cr_expect_eq(count(shipped, "//service[@name='session']/action[@name='start']"
				    "/throws[@name='START_SESSION_ERROR']"), 1);

	expect_param("session", "startWidgetSession", 1, "widgetId", "string", NULL);
	expect_param("session", "startWidgetSession", 2, "expiry", "int", "86400");
	expect_result("session", "startWidgetSession", "KalturaStartWidgetSessionResponse", 2);

	expect_param("user", "loginByLoginId", 1, "loginId", "string", NULL);
	expect_param("user", "loginByLoginId", 2, "password", "string", NULL);
	expect_param("user", "loginByLoginId", 3, "partnerId", "int", "null");
	expect_param("user", "loginByLoginId", 4, "expiry", "int", "86400");
	expect_param("user", "loginByLoginId", 5, "privileges", "string", "*");
	expect_param("user", "loginByLoginId", 6, "otp", "string", "null");
	expect_result("user", "loginByLoginId", "string", 6);

	expect_param("user", "login", 1, "partnerId", "int", NULL);
	expect_param("user", "login", 4, "expiry", "int", "86400");
	expect_param("user", "login", 5, "privileges", "string", "*");
	expect_result("user", "login", "string", 5);

	expect_param("appToken", "startSession", 1, "id", "string", NULL);
	expect_param("appToken", "startSession", 2, "tokenHash", "string", NULL);
	expect_param("appToken", "startSession", 3, "userId", "string", "null");
	expect_param("appToken", "startSession", 4, "type", "int", "null");
	expect_param("appToken", "startSession", 5, "expiry", "int", "null");
	expect_param("appToken", "startSession", 6, "sessionPrivileges", "string", "null");
	expect_result("appToken", "startSession", "KalturaSessionInfo", 6);

	expect_result("session", "get", "KalturaSessionInfo", 1);
	expect_param("session", "get", 1, "session", "string", "null");
	for (const char *const *p = (const char *const[]){ "ks", "sessionType", "partnerId",
			"userId", "expiry", "privileges", NULL }; *p; p++) {
		char expr[160];
		snprintf(expr, sizeof expr, "/xml/classes/class[@name='KalturaSessionInfo']"
			 "/property[@name='%s']", *p);
		cr_expect_eq(count(shipped, expr), 1, "KalturaSessionInfo.%s is missing", *p);
	}
}

static void expect_const(const char *enumname, const char *name, const char *value)
{
	char expr[200];
	snprintf(expr, sizeof expr, "/xml/enums/enum[@name='%s']/const[@name='%s' and @value='%s']",
		 enumname, name, value);
	cr_expect_eq(count(shipped, expr), 1, "%s.%s should be %s", enumname, name, value);
}

Test(schema_shipped, enums_match_kaltura_md)
{
	need_shipped();
	expect_const("KalturaSessionType", "USER", "0");
	expect_const("KalturaSessionType", "ADMIN", "2");
	expect_const("KalturaAppTokenStatus", "DISABLED", "1");
	expect_const("KalturaAppTokenStatus", "ACTIVE", "2");
	expect_const("KalturaAppTokenStatus", "DELETED", "3");
	expect_const("KalturaAppearInListType", "PARTNER_ONLY", "1");
	expect_const("KalturaAppearInListType", "CATEGORY_MEMBERS_ONLY", "3");
	for (const char *const *h = (const char *const[]){ "SHA1", "MD5", "SHA256", "SHA512",
			NULL }; *h; h++) {
		char expr[128];
		snprintf(expr, sizeof expr, "/xml/enums/enum[@name='KalturaAppTokenHashType']"
			 "/const[@name='%s']", *h);
		cr_expect_eq(count(shipped, expr), 1, "KalturaAppTokenHashType lacks %s", *h);
	}
}

static void expect_error(const char *name, const char *message)
{
	char expr[128];
	snprintf(expr, sizeof expr, "/xml/errors/error[@name='%s']", name);
	xmlNodePtr e = one(shipped, expr);
	cr_expect(e, "error %s is missing", name);
	if (!e)
		return;
	cr_expect(attr_is(e, "code", name), "error %s has another code", name);
	if (message)
		cr_expect(attr_is(e, "message", message),
			  "error %s: message differs from KALTURA.md", name);
}

Test(schema_shipped, errors_match_kaltura_md)
{
	need_shipped();
	expect_error("INVALID_KS", "Invalid KS \"@KSID@\", Error \"@ERR_CODE@,@ERR_DESC@\"");
	expect_error("SERVICE_FORBIDDEN", "The access to service [@SERVICE@] is forbidden");
	expect_error("START_SESSION_ERROR", "Error while starting session for partner [@PID@]");
	expect_error("CATEGORY_NOT_FOUND", "Category id \"@ID@\" not found");
	cr_expect_eq(count(shipped, "/xml/errors/error[@name='CATEGORY_NOT_FOUND']"
				    "/parameter[@name='ID']"), 1);
	/* The generic ones the server answers for any call (names as the brief gives them). */
	for (const char *const *n = (const char *const[]){ "MISSING_KS",
			"SERVICE_DOES_NOT_EXISTS", "ACTION_DOES_NOT_EXISTS",
			"MISSING_MANDATORY_PARAMETER", "INVALID_ENUM_VALUE", "OBJECT_TYPE_ABSTRACT",
			"INVALID_OBJECT_TYPE", "INTERNAL_SERVERL_ERROR", "APP_TOKEN_ID_NOT_FOUND",
			"APP_TOKEN_NOT_ACTIVE", "INVALID_APP_TOKEN_HASH", "APP_TOKEN_EXPIRED",
			NULL }; *n; n++)
		expect_error(*n, NULL);
	cr_expect_gt(count(shipped,
			   "/xml/errors/error[starts-with(@name, 'PROPERTY_VALIDATION_')]"), 5,
		     "the PROPERTY_VALIDATION_* errors are missing");
}

/* ---- with the reference ---- */

Test(schema_shipped, same_api_version_as_reference)
{
	need_shipped();
	need_reference();
	char *want = attr(xmlDocGetRootElement(ref), "apiVersion");
	cr_expect(attr_is(xmlDocGetRootElement(shipped), "apiVersion", want),
		  "apiVersion differs from the reference's %s", want);
	xmlFree(want);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted action names of a service element; free with free_names. */
static char **action_names(xmlNodePtr svc, int *n)
{
	int cap = 64;
	char **v = calloc(cap, sizeof *v);
	cr_assert(v);
	*n = 0;
	for (xmlNodePtr a = xmlFirstElementChild(svc); a; a = xmlNextElementSibling(a)) {
		if (xmlStrcmp(a->name, BAD_CAST "action"))
			continue;
		cr_assert_lt(*n, cap, "more than %d actions", cap);
		v[(*n)++] = attr(a, "name");
	}
	qsort(v, *n, sizeof *v, cmp_str);
	return v;
}

static void free_names(char **v, int n)
{
	for (int i = 0; i < n; i++)
		xmlFree(v[i]);
	free(v);
}

Test(schema_shipped, services_have_all_actions_of_reference)
{
	need_shipped();
	need_reference();
	for (int i = 0; i < NSERVICES; i++) {
		char expr[128];
		snprintf(expr, sizeof expr, "/xml/services/service[@name='%s']", services14[i]);
		xmlNodePtr s = one(shipped, expr), r = one(ref, expr);
		cr_assert(r, "the reference has no service %s", services14[i]);
		cr_assert(s, "%s has no service %s", SHIPPED, services14[i]);
		int ns, nr;
		char **sv = action_names(s, &ns), **rv = action_names(r, &nr);
		int a = 0, b = 0;
		while (a < ns || b < nr) {
			int c = a == ns ? 1 : b == nr ? -1 : strcmp(sv[a], rv[b]);
			cr_expect(c == 0, "%s.%s is %s", services14[i], c < 0 ? sv[a] : rv[b],
				  c < 0 ? "not in the reference" : "missing from " SHIPPED);
			a += c <= 0;
			b += c >= 0;
		}
		cr_expect_eq(ns, nr, "%s: %d actions, the reference has %d", services14[i], ns, nr);
		free_names(sv, ns);
		free_names(rv, nr);
	}
}

/* Actions with their parameters (name, type, optional, default, enumType, arrayType), result,
 * throws and flags; compared as whole trees, descriptions aside. */
Test(schema_shipped, services_agree_with_reference)
{
	need_shipped();
	need_reference();
	agree_with_reference("/xml/services/service", "id", "service");
}

Test(schema_shipped, classes_agree_with_reference)
{
	need_shipped();
	need_reference();
	agree_with_reference("/xml/classes/class", "name", "class");
}

Test(schema_shipped, enums_agree_with_reference)
{
	need_shipped();
	need_reference();
	agree_with_reference("/xml/enums/enum", "name", "enum");
}

Test(schema_shipped, errors_agree_with_reference)
{
	need_shipped();
	need_reference();
	agree_with_reference("/xml/errors/error", "name", "error");
}

Test(schema_shipped, configurations_agree_with_reference)
{
	need_shipped();
	need_reference();
	same_tree(one(shipped, "/xml/configurations"), one(ref, "/xml/configurations"),
		  "configurations");
}

/* <pluginService name=...> or <dependency pluginName=...>: what the child names. */
static char *plugin_child_key(xmlNodePtr n)
{
	char *k = attr(n, "name");
	return k ? k : attr(n, "pluginName");
}

Test(schema_shipped, plugins_agree_with_reference)
{
	need_shipped();
	need_reference();
	xmlHashTablePtr refs = index_by(ref, "/xml/plugins/plugin", "name");
	xmlXPathObjectPtr res = select_nodes(shipped, "/xml/plugins/plugin");
	for (int i = 0; i < nodes_count(res); i++) {
		xmlNodePtr p = nodes_at(res, i);
		char *name = attr(p, "name");
		xmlNodePtr r = xmlHashLookup(refs, BAD_CAST name);
		cr_expect(r, "plugin %s is not in the reference", name);
		/* A subset of the reference's children: services not shipped are left out. */
		for (xmlNodePtr c = xmlFirstElementChild(p); r && c; c = xmlNextElementSibling(c)) {
			char *key = plugin_child_key(c);
			xmlNodePtr m = xmlFirstElementChild(r);
			for (; m; m = xmlNextElementSibling(m)) {
				char *other = plugin_child_key(m);
				bool same = xmlStrEqual(m->name, c->name) && key && other &&
					    !strcmp(key, other);
				xmlFree(other);
				if (same)
					break;
			}
			cr_expect(m, "plugin %s: <%s %s> is not in the reference", name,
				  (const char *)c->name, key ? key : "");
			xmlFree(key);
		}
		xmlFree(name);
	}
	xmlXPathFreeObject(res);
	xmlHashFree(refs, NULL);
}

static void free_entry(void *payload, const xmlChar *name)
{
	(void)name;
	xmlFree(payload);
}

/* A slot typed T accepts any subclass of T, so every subclass of a class an action names
 * must be there for the form's type chooser. */
Test(schema_shipped, subclasses_of_action_types_are_shipped)
{
	need_shipped();
	need_reference();
	xmlHashTablePtr have = index_by(shipped, "/xml/classes/class", "name");
	xmlXPathObjectPtr all = select_nodes(ref, "/xml/classes/class[@base]");
	xmlXPathObjectPtr roots = select_nodes(shipped, "//param/@type | //param/@arrayType"
					       " | //result/@type | //result/@arrayType");
	int cap = 4096, n = 0;
	char **todo = calloc(cap, sizeof *todo);
	cr_assert(todo);
	for (int i = 0; i < nodes_count(roots); i++) {
		char *t = (char *)xmlNodeGetContent(nodes_at(roots, i));
		if (in_hash(have, t) && n < cap)
			todo[n++] = t;
		else
			xmlFree(t);
	}
	xmlHashTablePtr done = xmlHashCreate(256);
	int checked = 0;
	while (n > 0) {
		char *t = todo[--n];
		if (xmlHashAddEntry(done, BAD_CAST t, t) != 0) {
			xmlFree(t);
			continue;
		}
		for (int i = 0; i < nodes_count(all); i++) {
			xmlNodePtr c = nodes_at(all, i);
			if (!attr_is(c, "base", t))
				continue;
			char *sub = attr(c, "name");
			cr_expect(in_hash(have, sub), "%s, a subclass of %s, is missing", sub, t);
			checked++;
			cr_assert_lt(n, cap);
			todo[n++] = sub;
		}
	}
	cr_expect_gt(checked, 20, "only %d subclasses checked", checked);
	free(todo);
	xmlHashFree(done, free_entry);
	xmlXPathFreeObject(roots);
	xmlXPathFreeObject(all);
	xmlHashFree(have, NULL);
}

Test(schema_shipped, descriptions_are_our_own)
{
	need_shipped();
	need_reference();
	xmlHashTablePtr theirs = xmlHashCreate(4096);
	xmlXPathObjectPtr res = select_nodes(ref, "//@description[. != '']");
	for (int i = 0; i < nodes_count(res); i++) {
		xmlChar *v = xmlNodeGetContent(nodes_at(res, i));
		xmlHashAddEntry(theirs, v, theirs);
		xmlFree(v);
	}
	xmlXPathFreeObject(res);
	cr_assert_gt(xmlHashSize(theirs), 1000, "the reference should have many descriptions");

	res = select_nodes(shipped, "//@description[. != '']");
	cr_assert_gt(nodes_count(res), 200); /* 14 services and their actions at least */
	for (int i = 0; i < nodes_count(res); i++) {
		xmlNodePtr a = nodes_at(res, i);
		xmlChar *v = xmlNodeGetContent(a);
		char *name = attr(a->parent, "name");
		cr_expect(!in_hash(theirs, (const char *)v),
			  "<%s name=\"%s\"> copies Kaltura's description \"%s\"",
			  (const char *)a->parent->name, name ? name : "", (const char *)v);
		xmlFree(name);
		xmlFree(v);
	}
	xmlXPathFreeObject(res);
	xmlHashFree(theirs, NULL);
}
