#include <criterion/criterion.h>

#include <libgen.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "schema.h"
#include "util.h"

static char *data_path(const char *name)
{
	const char *dir = getenv("KT_TESTDATA");
	return kt_xasprintf("%s/%s", dir ? dir : "tests/data", name);
}

static schema *load_data(const char *name)
{
	char *path = data_path(name);
	kt_error err = {0};
	schema *s = schema_load_file(path, &err);
	cr_assert_not_null(s, "%s: %s", path, err.msg);
	free(path);
	return s;
}

static schema *small;

static void load_small(void)
{
	small = load_data("schema-small.xml");
}

static void free_small(void)
{
	schema_free(small);
	small = NULL;
}

TestSuite(schema, .init = load_small, .fini = free_small);

/* ---- the small schema, checked against what tests/data/schema-small.xml says ---- */

Test(schema, root_and_counts)
{
	cr_assert_str_eq(small->api_version, "1.2.3");
	cr_assert_str_eq(small->generated_date, "1700000000");
	cr_assert_eq(small->nservices, 3);
	cr_assert_eq(small->nactions, 8);
	cr_assert_eq(small->nenums, 5);
	cr_assert_eq(small->nclasses, 14);
	cr_assert_eq(small->nerrors, 5);
}

Test(schema, services_in_file_order_and_by_name)
{
	const char *names[] = {"session", "media", "captionAsset"};
	for (size_t i = 0; i < 3; i++)
		cr_assert_str_eq(small->services[i]->name, names[i]);
	/* the server lower-cases service names: any case finds it */
	cr_assert_eq(schema_find_service(small, "MEDIA"), small->services[1]);
	cr_assert_eq(schema_find_service(small, "captionasset"), small->services[2]);
	/* and a plugin service also by the id that goes on the wire */
	const schema_service *cap = schema_find_service(small, "caption_captionAsset");
	cr_assert_eq(cap, small->services[2]);
	cr_assert_str_eq(cap->id, "caption_captionasset");
	cr_assert_str_eq(cap->plugin, "caption");
	cr_assert_null(small->services[0]->plugin);
	cr_assert_str_eq(small->services[1]->description,
			 "Media service lets you upload and manage media files");
	cr_assert_null(schema_find_service(small, "medi"));
	cr_assert_null(schema_find_service(small, ""));
	cr_assert_null(schema_find_service(small, NULL));
}

Test(schema, actions_in_order_with_flags)
{
	const schema_service *media = schema_find_service(small, "media");
	const char *names[] = {"add", "get", "list", "getByIds", "updateContent"};
	cr_assert_eq(media->nactions, 5);
	for (size_t i = 0; i < 5; i++) {
		cr_assert_str_eq(media->actions[i].name, names[i]);
		cr_assert_eq(media->actions[i].service, media);
	}
	const schema_action *get = schema_find_action(media, "GET");
	cr_assert_eq(get, &media->actions[1]);
	cr_assert_eq(get->session_required, SCHEMA_KS_OPTIONAL);
	cr_assert(get->enable_in_multirequest);
	cr_assert_not(get->deprecated);
	cr_assert_str_eq(get->description, "Get media entry by ID.");

	const schema_action *by_ids = schema_find(small, "media.getbyids", NULL);
	cr_assert_eq(by_ids, &media->actions[3]);
	cr_assert_not(by_ids->enable_in_multirequest);
	cr_assert_eq(schema_find(small, "Media", "updateContent")->deprecated, true);
	cr_assert_null(schema_find_action(media, "ge"));
	cr_assert_null(schema_find(small, "media", "nosuch"));
	cr_assert_null(schema_find(small, "media.", NULL));
	cr_assert_null(schema_find(small, ".get", NULL));
	cr_assert_null(schema_find(small, "media", NULL));
	cr_assert_null(schema_find(small, "nosuch.get", NULL));

	const schema_action *start = schema_find(small, "session", "start");
	cr_assert_eq(start->session_required, SCHEMA_KS_NONE);
	cr_assert_eq(schema_find(small, "session", "end")->session_required, SCHEMA_KS_ALWAYS);
	const schema_action *def = schema_find(small, "caption_captionasset", "setAsDefault");
	cr_assert(def->beta);
	cr_assert_not(def->deprecated);
}

Test(schema, params_defaults_and_enums)
{
	const schema_action *a = schema_find(small, "session.start", NULL);
	cr_assert_eq(a->nparams, 6);
	const char *names[] = {"secret", "userId", "type", "partnerId", "expiry", "privileges"};
	for (size_t i = 0; i < 6; i++)
		cr_assert_str_eq(a->params[i].name, names[i]);

	const schema_param *secret = schema_find_param(a, "secret");
	cr_assert_eq(secret, &a->params[0]);
	cr_assert_not(secret->optional);
	cr_assert_null(secret->default_value, "no default attribute: NULL");
	cr_assert_str_eq(secret->type, "string");
	cr_assert_str_eq(secret->description, "Remote partner secret");

	/* defaults keep their literal */
	cr_assert_str_eq(schema_find_param(a, "userId")->default_value, "");
	cr_assert_str_eq(schema_find_param(a, "partnerId")->default_value, "null");
	cr_assert_str_eq(schema_find_param(a, "expiry")->default_value, "86400");
	cr_assert(schema_find_param(a, "expiry")->optional);

	const schema_param *type = schema_find_param(a, "type");
	cr_assert_str_eq(type->enum_type, "KalturaSessionType");
	cr_assert_str_eq(type->default_value, "0");
	cr_assert_not_null(type->enumeration);
	cr_assert_eq(type->enumeration, schema_find_enum(small, "KalturaSessionType"));
	cr_assert_null(type->type_class);
	cr_assert_null(secret->enumeration);

	/* parameter names are exact, as PHP's $_REQUEST keys are */
	cr_assert_null(schema_find_param(a, "Secret"));
	cr_assert_null(schema_find_param(a, "ks"));

	const schema_action *upd = schema_find(small, "media.updateContent", NULL);
	const schema_param *ops = schema_find_param(upd, "operationAttributes");
	cr_assert_str_eq(ops->type, "array");
	cr_assert_str_eq(ops->array_type, "KalturaOperationAttributes");
	cr_assert_eq(ops->array_class, schema_find_class(small, "KalturaOperationAttributes"));
	cr_assert_null(ops->type_class);

	const schema_param *filter =
		schema_find_param(schema_find(small, "media.list", NULL), "filter");
	cr_assert_eq(filter->type_class, schema_find_class(small, "KalturaMediaEntryFilter"));
	cr_assert_null(filter->array_type);
}

Test(schema, results_and_throws)
{
	const schema_action *end = schema_find(small, "session.end", NULL);
	cr_assert_null(end->result_type, "<result/> is void");
	cr_assert_eq(end->nparams, 0);
	cr_assert_eq(end->nthrows, 0);
	cr_assert_null(schema_find(small, "captionAsset.setAsDefault", NULL)->result_type);

	const schema_action *start = schema_find(small, "session.start", NULL);
	cr_assert_str_eq(start->result_type, "string");
	cr_assert_null(start->result_class);
	cr_assert_eq(start->nthrows, 1);
	cr_assert_str_eq(start->throws[0], "START_SESSION_ERROR");

	const schema_action *list = schema_find(small, "media.list", NULL);
	cr_assert_eq(list->result_class, schema_find_class(small, "KalturaMediaListResponse"));

	const schema_action *by_ids = schema_find(small, "media.getByIds", NULL);
	cr_assert_str_eq(by_ids->result_type, "array");
	cr_assert_str_eq(by_ids->result_array_type, "KalturaMediaEntry");
	cr_assert_eq(by_ids->result_class, schema_find_class(small, "KalturaMediaEntry"));

	const schema_action *upd = schema_find(small, "media.updateContent", NULL);
	cr_assert_eq(upd->nthrows, 2);
	cr_assert_str_eq(upd->throws[0], "ENTRY_ID_NOT_FOUND");
	cr_assert_str_eq(upd->throws[1], "INVALID_KS");
	/* a thrown code need not be in <errors> (the 22.19.0 schema has such) */
	cr_assert_null(schema_find_error(small, upd->throws[0]));
	cr_assert_not_null(schema_find_error(small, upd->throws[1]));
}

Test(schema, base_chain_three_deep)
{
	const schema_class *media = schema_find_class(small, "KalturaMediaEntry");
	const schema_class *playable = schema_find_class(small, "KalturaPlayableEntry");
	const schema_class *base = schema_find_class(small, "KalturaBaseEntry");
	cr_assert_not_null(media);
	cr_assert_eq(media->base, playable);
	cr_assert_eq(playable->base, base);
	cr_assert_null(base->base);
	cr_assert_str_eq(media->base_name, "KalturaPlayableEntry");
	cr_assert_null(base->base_name);
	cr_assert_eq(media->depth, 2);
	cr_assert_eq(base->depth, 0);
	cr_assert_str_eq(media->description, "A video, image or audio entry");
	cr_assert_not(media->abstract);

	/* own properties in file order */
	cr_assert_eq(media->nprops, 3);
	cr_assert_str_eq(media->props[0].name, "mediaType");
	cr_assert_eq(media->props[0].owner, media);
	cr_assert(media->props[0].insert_only);
	cr_assert_not(media->props[0].read_only);
	cr_assert_eq(media->props[0].enumeration, schema_find_enum(small, "KalturaMediaType"));
	cr_assert(media->props[2].write_only);
	cr_assert_eq(media->props[2].array_class,
		     schema_find_class(small, "KalturaOperationAttributes"));

	/* all properties: bases first; KalturaMediaEntry redeclares description, which keeps the
	 * position it has in KalturaBaseEntry */
	size_t n;
	const schema_property *const *all = schema_class_all_properties(media, &n);
	const char *names[] = {"id", "name", "description", "partnerId", "plays", "duration",
			       "mediaType", "operationAttributes"};
	cr_assert_eq(n, 8);
	for (size_t i = 0; i < n; i++)
		cr_assert_str_eq(all[i]->name, names[i], "property %zu", i);
	cr_assert_eq(all[2]->owner, media);
	cr_assert_str_eq(all[2]->description, "Media entry description");
	cr_assert_eq(all[0]->owner, base);
	cr_assert(all[0]->read_only);
	cr_assert_eq(all[4]->owner, playable);
	cr_assert_eq(media->all_props, all);

	cr_assert_eq(schema_class_find_property(media, "id"), &base->props[0]);
	cr_assert_eq(schema_class_find_property(media, "description"), &media->props[1]);
	cr_assert_eq(schema_class_find_property(base, "description"), &base->props[2]);
	cr_assert_eq(schema_class_find_property(media, "plays"), &playable->props[0]);
	cr_assert_null(schema_class_find_property(base, "plays"));
	cr_assert_null(schema_class_find_property(media, "objectType"));

	const schema_class *empty = schema_find_class(small, "KalturaBaseEntryFilter");
	cr_assert_eq(empty->nprops, 0);
	all = schema_class_all_properties(empty, &n);
	cr_assert_eq(n, 3);
	cr_assert_str_eq(all[0]->name, "idEqual");
}

Test(schema, subclasses_and_abstract)
{
	size_t n;
	const schema_class *related = schema_find_class(small, "KalturaRelatedFilter");
	cr_assert(related->abstract);
	/* an abstract class is not offered itself; the rest come by name */
	const schema_class *const *c = schema_class_concrete(related, &n);
	cr_assert_eq(n, 3);
	cr_assert_str_eq(c[0]->name, "KalturaBaseEntryFilter");
	cr_assert_str_eq(c[1]->name, "KalturaCategoryFilter");
	cr_assert_str_eq(c[2]->name, "KalturaMediaEntryFilter");

	/* a concrete class comes first in its own list */
	c = schema_class_concrete(schema_find_class(small, "KalturaBaseEntryFilter"), &n);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(c[0]->name, "KalturaBaseEntryFilter");
	cr_assert_str_eq(c[1]->name, "KalturaMediaEntryFilter");

	c = schema_class_concrete(schema_find_class(small, "KalturaMediaEntryFilter"), &n);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(c[0]->name, "KalturaMediaEntryFilter");

	c = schema_class_concrete(schema_find_class(small, "KalturaBaseEntryBaseFilter"), &n);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(c[0]->name, "KalturaBaseEntryFilter");

	c = schema_class_concrete(schema_find_class(small, "KalturaListResponse"), &n);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(c[0]->name, "KalturaMediaListResponse");

	cr_assert(schema_is_subclass(small, "KalturaMediaEntryFilter", "KalturaRelatedFilter"));
	cr_assert(schema_is_subclass(small, "KalturaMediaEntryFilter", "KalturaBaseEntryFilter"));
	cr_assert(schema_is_subclass(small, "KalturaMediaEntry", "KalturaMediaEntry"));
	cr_assert_not(
		schema_is_subclass(small, "KalturaBaseEntryFilter", "KalturaMediaEntryFilter"));
	cr_assert_not(schema_is_subclass(small, "KalturaCategoryFilter", "KalturaBaseEntryFilter"));
	cr_assert_not(schema_is_subclass(small, "KalturaNoSuch", "KalturaRelatedFilter"));
	cr_assert_not(schema_is_subclass(small, "KalturaMediaEntry", "KalturaNoSuch"));
	cr_assert_not(schema_is_subclass(small, "kalturamediaentry", "KalturaBaseEntry"));

	const schema_class *cap = schema_find_class(small, "KalturaCaptionAsset");
	cr_assert_str_eq(cap->plugin, "caption");
	cr_assert(cap->deprecated);
	cr_assert_eq(cap->props[1].type_class, schema_find_class(small, "KalturaMediaEntry"));
	cr_assert_null(schema_find_class(small, "KalturaObjectBase"));
}

Test(schema, enums)
{
	const schema_enum *st = schema_find_enum(small, "KalturaSessionType");
	cr_assert_not(st->is_string);
	cr_assert_eq(st->nconsts, 2);
	cr_assert_str_eq(st->consts[0].name, "USER");
	cr_assert_str_eq(st->consts[0].value, "0");
	cr_assert_str_eq(st->consts[1].name, "ADMIN");
	cr_assert_str_eq(st->consts[1].value, "2");
	cr_assert_eq(schema_enum_find_const(st, "ADMIN"), &st->consts[1]);
	cr_assert_eq(schema_enum_find_value(st, "0"), &st->consts[0]);
	cr_assert_null(schema_enum_find_const(st, "admin"));
	cr_assert_null(schema_enum_find_value(st, "1"));

	const schema_enum *order = schema_find_enum(small, "KalturaMediaEntryOrderBy");
	cr_assert(order->is_string);
	cr_assert_str_eq(schema_enum_find_value(order, "-createdAt")->name, "CREATED_AT_DESC");

	/* WEBVTT and VTT share 3: by value, the first by name */
	const schema_enum *cap = schema_find_enum(small, "KalturaCaptionType");
	cr_assert_str_eq(cap->plugin, "caption");
	cr_assert_str_eq(schema_enum_find_value(cap, "3")->name, "VTT");
	cr_assert_str_eq(schema_enum_find_const(cap, "WEBVTT")->value, "3");
	cr_assert_eq(cap->nconsts, 4);
	cr_assert_str_eq(cap->consts[2].name, "WEBVTT", "file order is kept");

	const schema_enum *empty = schema_find_enum(small, "KalturaEmptyEnum");
	cr_assert_eq(empty->nconsts, 0);
	cr_assert(empty->deprecated);
	cr_assert_null(schema_enum_find_const(empty, "X"));
	cr_assert_null(schema_enum_find_value(empty, "0"));
	cr_assert_null(schema_find_enum(small, "KalturaSessionTyp"));
}

Test(schema, errors_and_messages)
{
	const schema_error *e = schema_find_error(small, "CATEGORY_NOT_FOUND");
	cr_assert_not_null(e);
	cr_assert_str_eq(e->name, "CATEGORY_NOT_FOUND");
	/* &quot; in the attribute is a plain quote in the model */
	cr_assert_str_eq(e->message, "Category id \"@ID@\" not found");
	cr_assert_eq(e->nparams, 1);
	cr_assert_str_eq(e->params[0], "ID");
	/* KALTURA.md section 3 shows the error for category 5 */
	const char *five[] = {"5"};
	char *msg = schema_error_format(e, five, 1);
	cr_assert_str_eq(msg, "Category id \"5\" not found");
	free(msg);

	e = schema_find_error(small, "INVALID_KS");
	cr_assert_eq(e->nparams, 3);
	const char *args[] = {"abc", "-1", "INVALID_STR"};
	msg = schema_error_format(e, args, 3);
	cr_assert_str_eq(msg, "Invalid KS \"abc\", Error \"-1,INVALID_STR\"");
	free(msg);
	/* missing arguments become empty */
	msg = schema_error_format(e, args, 1);
	cr_assert_str_eq(msg, "Invalid KS \"abc\", Error \",\"");
	free(msg);

	e = schema_find_error(small, "MISSING_KS");
	cr_assert_eq(e->nparams, 0);
	msg = schema_error_format(e, NULL, 0);
	cr_assert_str_eq(msg, "Missing KS, session not established");
	free(msg);

	const char *svc[] = {"media"};
	msg = schema_error_format(schema_find_error(small, "SERVICE_FORBIDDEN"), svc, 1);
	cr_assert_str_eq(msg, "The access to service [media] is forbidden");
	free(msg);

	cr_assert_str_eq(small->errors[0]->code, "START_SESSION_ERROR");
	cr_assert_null(schema_find_error(small, "category_not_found"));
}

Test(schema, error_format_leaves_stray_at_signs)
{
	const char *params[] = {"EMAIL"};
	schema_error e = { .name = "X",
			   .code = "X",
			   .message = "mail @EMAIL@ or admin@example.com @",
			   .params = params,
			   .nparams = 1 };
	const char *args[] = {"a@b.c"};
	char *msg = schema_error_format(&e, args, 1);
	cr_assert_str_eq(msg, "mail a@b.c or admin@example.com @");
	free(msg);
}

Test(schema, configurations)
{
	cr_assert_str_eq(small->client_config_type, "KalturaClientConfiguration");
	cr_assert_eq(small->nclient_config, 2);
	cr_assert_str_eq(small->client_config[0].name, "clientTag");
	cr_assert_str_eq(small->client_config[1].name, "apiVersion");
	cr_assert_str_eq(small->client_config[1].type, "string");

	cr_assert_str_eq(small->request_config_type, "KalturaRequestConfiguration");
	cr_assert_eq(small->nrequest_config, 4);
	const schema_config_field *f = small->request_config;
	cr_assert_str_eq(f[0].name, "partnerId");
	cr_assert_str_eq(f[0].type, "int");
	cr_assert_str_eq(f[0].description, "Impersonated partner id");
	cr_assert_null(f[0].alias);
	cr_assert_str_eq(f[1].name, "ks");
	cr_assert_str_eq(f[1].alias, "sessionId");
	cr_assert_str_eq(f[3].name, "responseProfile");
	cr_assert(f[3].is_volatile);
	cr_assert_not(f[2].is_volatile);
}

Test(schema, names_are_interned)
{
	const schema_class *media = schema_find_class(small, "KalturaMediaEntry");
	const schema_param *entry =
		schema_find_param(schema_find(small, "media.add", NULL), "entry");
	cr_assert_eq(entry->type, media->name, "equal names are one pointer");
}

Test(schema, suggestions)
{
	const char *out[5];
	size_t n = schema_suggest_services(small, "sesion", out, 5);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(out[0], "session");
	n = schema_suggest_services(small, "caption_caption", out, 5);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(out[0], "captionAsset");
	cr_assert_eq(schema_suggest_services(small, "zzzzzz", out, 5), 0);

	const schema_service *media = schema_find_service(small, "media");
	/* two letters swapped are one edit */
	n = schema_suggest_actions(media, "gte", out, 5);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(out[0], "get");
	/* close names first, then the longer names it begins */
	n = schema_suggest_actions(media, "getBy", out, 5);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(out[0], "get");
	cr_assert_str_eq(out[1], "getByIds");
	n = schema_suggest_actions(media, "lst", out, 1);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(out[0], "list");
	cr_assert_eq(schema_suggest_actions(media, "delete", out, 5), 0);
}

typedef struct hits {
	char text[1024];
} hits;

static void collect(const schema_hit *h, void *ud)
{
	hits *out = ud;
	size_t len = strlen(out->text);
	char *p = out->text + len;
	size_t room = sizeof out->text - len;
	switch (h->kind) {
	case SCHEMA_HIT_SERVICE: snprintf(p, room, "S:%s ", h->service->name); break;
	case SCHEMA_HIT_ACTION:
		snprintf(p, room, "A:%s.%s ", h->service->name, h->action->name);
		break;
	case SCHEMA_HIT_CLASS: snprintf(p, room, "C:%s ", h->cls->name); break;
	case SCHEMA_HIT_ENUM: snprintf(p, room, "E:%s ", h->enm->name); break;
	}
}

Test(schema, search)
{
	hits h = {{0}};
	cr_assert_eq(schema_search(small, "CAPTION", collect, &h), 3);
	cr_assert_str_eq(h.text, "S:captionAsset C:KalturaCaptionAsset E:KalturaCaptionType ");
	h.text[0] = '\0';
	cr_assert_eq(schema_search(small, "default", collect, &h), 1);
	cr_assert_str_eq(h.text, "A:captionAsset.setAsDefault ");
	h.text[0] = '\0';
	cr_assert_eq(schema_search(small, "media.get", collect, &h), 2);
	cr_assert_str_eq(h.text, "A:media.get A:media.getByIds ");
	h.text[0] = '\0';
	cr_assert_eq(schema_search(small, "session", collect, &h), 2);
	cr_assert_str_eq(h.text, "S:session E:KalturaSessionType ");
	cr_assert_eq(schema_search(small, "nothing-like-this", collect, &h), 0);
	cr_assert_eq(schema_search(small, "", collect, &h), 0);
}

/* ---- malformed input ---- */

static void expect_bad_file(const char *name, int line, const char *what)
{
	char *path = data_path(name);
	kt_error err = {0};
	schema *s = schema_load_file(path, &err);
	cr_assert_null(s, "%s loaded", name);
	cr_assert_eq(err.code, KT_E_DATA, "%s: code %d: %s", name, err.code, err.msg);
	char *prefix = kt_xasprintf("%s:%d: ", path, line);
	cr_assert(!strncmp(err.msg, prefix, strlen(prefix)), "%s: '%s' does not start with '%s'",
		  name, err.msg, prefix);
	cr_assert(strstr(err.msg, what), "%s: '%s' does not say '%s'", name, err.msg, what);
	cr_assert_null(strchr(err.msg, '\n'), "one line");
	free(prefix);
	free(path);
}

Test(schema_bad, truncated)
{
	/* the file ends in line 11, inside an attribute name */
	expect_bad_file("schema-bad-truncated.xml", 11, "attribute");
}

Test(schema_bad, action_outside_service)
{
	expect_bad_file("schema-bad-action-outside.xml", 9,
			"expected <service> in <services>, found <action>");
}

Test(schema_bad, param_without_name)
{
	expect_bad_file("schema-bad-param-noname.xml", 7, "expected a name attribute on <param>");
}

Test(schema_bad, an_api_response_is_not_a_schema)
{
	expect_bad_file("schema-bad-not-schema.xml", 2, "found <result>");
}

Test(schema_bad, html_page)
{
	expect_bad_file("schema-bad-html.xml", 1, "<!DOCTYPE>");
}

Test(schema_bad, empty_file)
{
	expect_bad_file("schema-bad-empty.xml", 1, "empty");
}

Test(schema_bad, json)
{
	expect_bad_file("schema-bad-json.xml", 1, "found text starting with '{'");
}

Test(schema_bad, unknown_base)
{
	expect_bad_file("schema-bad-unknown-base.xml", 5,
			"expected the base class KalturaPlayableEntry of KalturaMediaEntry");
}

Test(schema_bad, missing_file_and_directory)
{
	kt_error err = {0};
	cr_assert_null(schema_load_file("tests/data/no-such-schema.xml", &err));
	cr_assert_eq(err.code, KT_E_NOINPUT);
	cr_assert(strstr(err.msg, "no-such-schema.xml"), "%s", err.msg);
	char *dir = data_path("");
	cr_assert_null(schema_load_file(dir, &err));
	cr_assert_eq(err.code, KT_E_NOINPUT);
	cr_assert(strstr(err.msg, "directory"), "%s", err.msg);
	free(dir);
}

/* Loads text that must fail; checks code, line and a fragment of the message. */
static void expect_bad(const char *xml, int line, const char *what)
{
	kt_error err = {0};
	schema *s = schema_load_memory(xml, strlen(xml), "mem.xml", &err);
	cr_assert_null(s, "loaded: %s", xml);
	cr_assert_eq(err.code, KT_E_DATA, "%s", err.msg);
	char prefix[64];
	snprintf(prefix, sizeof prefix, "mem.xml:%d: ", line);
	cr_assert(!strncmp(err.msg, prefix, strlen(prefix)), "'%s' does not start with '%s'",
		  err.msg, prefix);
	cr_assert(strstr(err.msg, what), "'%s' does not say '%s'", err.msg, what);
	cr_assert_null(strchr(err.msg, '\n'), "one line: %s", err.msg);
}

#define HEAD "<?xml version=\"1.0\"?>\n<xml apiVersion=\"1\">\n"

Test(schema_bad, structure)
{
	expect_bad("<?xml version=\"1.0\"?>\n<schema/>", 2, "expected <xml> as the root element");
	expect_bad(HEAD "</xml>", 3, "expected a <services> section");
	expect_bad(HEAD "<enums>\n<const name=\"A\" value=\"1\"/></enums><services/></xml>", 4,
		   "expected <enum> in <enums>, found <const>");
	expect_bad(HEAD "<enums><enum name=\"E\" enumType=\"int\">\n<const "
			"name=\"A\"/></enum></enums></xml>",
		   4, "expected a value attribute on <const name=\"A\">");
	expect_bad(HEAD "<classes>\n<class base=\"X\"/></classes></xml>", 4,
		   "expected a name attribute on <class>");
	expect_bad(HEAD "<classes><class name=\"K\">\n<param name=\"a\" "
			"type=\"int\"/></class></classes></xml>",
		   4, "expected <property> in <class name=\"K\">, found <param>");
	expect_bad(HEAD
		   "<classes><class name=\"K\">\n<property name=\"a\"/></class></classes></xml>",
		   4, "expected a type attribute on <property name=\"a\">");
	expect_bad(HEAD "<services><service name=\"s\"><action name=\"a\">\n<param "
			"name=\"p\"/></action></service></services></xml>",
		   4, "expected a type attribute on <param name=\"p\">");
	expect_bad(HEAD "<services><service name=\"s\">\n<action name=\"a\" "
			"sessionRequired=\"maybe\"/></service></services></xml>",
		   4, "expected sessionRequired always, optional or none, found 'maybe'");
	/* a value with a line break in it still makes a one-line message */
	expect_bad(HEAD "<services><service name=\"s\">\n<action name=\"a\" "
			"sessionRequired=\"a&#10;b\"/></service></services></xml>",
		   4, "found 'a b'");
	expect_bad(HEAD "<services><service name=\"s\"><action name=\"a\">\n<property name=\"p\" "
			"type=\"int\"/></action></service></services></xml>",
		   4, "expected <param>, <result> or <throws>");
	expect_bad(HEAD "<services/>\n<action name=\"a\"/></xml>", 4,
		   "expected <enums>, <classes>, <services>, <errors> or <configurations> in "
		   "<xml>, found <action>");
	expect_bad(HEAD "<services/><errors>\n<error code=\"X\"/></errors></xml>", 4,
		   "expected a name attribute on <error>");
	expect_bad(
		HEAD
		"<services/><errors><error name=\"E\">\n<param name=\"X\"/></error></errors></xml>",
		4, "expected <parameter> in <error name=\"E\">");
}

Test(schema_bad, duplicates)
{
	expect_bad(HEAD
		   "<classes><class name=\"K\"/>\n<class name=\"K\"/></classes><services/></xml>",
		   4, "expected one class named K, found a second");
	expect_bad(HEAD "<enums><enum name=\"E\"/>\n<enum name=\"E\"/></enums><services/></xml>", 4,
		   "expected one enum named E");
	expect_bad(HEAD "<enums><enum name=\"E\">\n<const name=\"A\" value=\"1\"/>\n<const "
			"name=\"A\" value=\"2\"/></enum></enums><services/></xml>",
		   5, "expected one constant named A in enum E");
	expect_bad(
		HEAD
		"<services><service name=\"media\"/>\n<service name=\"Media\"/></services></xml>",
		4, "expected one service named Media");
	expect_bad(HEAD "<services><service id=\"x_a\" name=\"a\"/>\n<service id=\"X_A\" "
			"name=\"b\"/></services></xml>",
		   4, "expected one service with id X_A");
	expect_bad(HEAD "<services><service name=\"s\">\n<action name=\"get\"/><action "
			"name=\"GET\"/>\n</service></services></xml>",
		   4, "expected one action named GET in service s");
	expect_bad(HEAD "<services><service name=\"s\"><action name=\"a\">\n<param name=\"p\" "
			"type=\"int\"/><param name=\"p\" "
			"type=\"string\"/>\n</action></service></services></xml>",
		   4, "expected one parameter named p in action s.a");
	expect_bad(HEAD "<classes><class name=\"K\">\n<property name=\"p\" type=\"int\"/><property "
			"name=\"p\" type=\"int\"/>\n</class></classes><services/></xml>",
		   4, "expected one property named p in class K");
	expect_bad(HEAD "<services/><errors><error name=\"E\" code=\"C\"/>\n<error name=\"F\" "
			"code=\"C\"/></errors></xml>",
		   4, "expected one error with code C");
}

Test(schema_bad, base_cycles)
{
	expect_bad(HEAD "<classes>\n<class name=\"A\" base=\"B\"/>\n<class name=\"B\" "
			"base=\"A\"/></classes><services/></xml>",
		   4, "expected the base chain of A to end, found a cycle");
	expect_bad(HEAD "<classes>\n<class name=\"A\" base=\"A\"/></classes><services/></xml>", 4,
		   "found a cycle");
}

Test(schema_bad, no_dtd_no_entities)
{
	/* an external entity (XXE) and entity expansion never get as far as being read */
	expect_bad("<?xml version=\"1.0\"?>\n<!DOCTYPE xml [<!ENTITY e SYSTEM "
		   "\"file:///etc/passwd\">]>\n"
		   "<xml><services><service name=\"&e;\"/></services></xml>",
		   2, "<!DOCTYPE>");
	expect_bad("<?xml version=\"1.0\"?>\n\n<!DOCTYPE xml [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b "
		   "\"&a;&a;&a;&a;&a;&a;&a;&a;\">]>\n"
		   "<xml><services><service name=\"&b;\"/></services></xml>",
		   3, "<!DOCTYPE>");
}

Test(schema_bad, not_well_formed)
{
	/* libxml2's own message, with its line */
	expect_bad(HEAD "<services>\n<service name=\"a\"></services></xml>", 4, "");
	expect_bad(HEAD "<services/>\n</xml>\n<xml/>", 5, "");
	expect_bad("\n\n  \x01\x02", 3, "binary data");
	expect_bad(" \n\t", 1, "empty");
}

Test(schema_loader, tolerant_where_it_should_be)
{
	/* unknown top-level sections and configurations are skipped; empty containers are fine;
	 * leaves may carry children; a UTF-8 byte order mark is fine */
	const char *xml =
		"\xef\xbb\xbf<?xml version=\"1.0\"?>\n<xml>\n<future><enum "
		"name=\"not-here\"/></future>"
		"<enums/><classes></classes>"
		"<services><service id=\"s\" name=\"s\"><action name=\"a\"><param name=\"p\" "
		"type=\"int\">"
		"<doc>text</doc></param><result type=\"int\"></result></action></service>"
		"<service name=\"empty\"/></services>"
		"<configurations><other/><client><clientTag/></client></configurations></xml>";
	kt_error err = {0};
	schema *s = schema_load_memory(xml, strlen(xml), "mem.xml", &err);
	cr_assert_not_null(s, "%s", err.msg);
	cr_assert_null(s->api_version);
	cr_assert_eq(s->nservices, 2);
	cr_assert_eq(s->nactions, 1);
	cr_assert_eq(s->nenums, 0);
	cr_assert_null(schema_find_enum(s, "not-here"));
	const schema_action *a = schema_find(s, "s.a", NULL);
	cr_assert_eq(a->nparams, 1);
	cr_assert_str_eq(a->result_type, "int");
	const schema_service *e = schema_find_service(s, "empty");
	cr_assert_str_eq(e->id, "empty", "the id defaults to the name");
	cr_assert_eq(e->nactions, 0);
	cr_assert_null(schema_find_action(e, "a"));
	cr_assert_eq(s->nclient_config, 1);
	cr_assert_eq(s->nrequest_config, 0);
	cr_assert_str_eq(s->path, "mem.xml");
	schema_free(s);
	schema_free(NULL);
}

/* A chain of depth classes, the deepest first, so every base is resolved late. */
static schema *load_chain(int depth, kt_error *err)
{
	kt_buf b;
	kt_buf_init(&b);
	kt_buf_adds(&b, "<xml><classes>");
	for (int i = depth - 1; i >= 0; i--) {
		if (i)
			kt_buf_printf(&b, "<class name=\"C%d\" base=\"C%d\"/>", i, i - 1);
		else
			kt_buf_printf(
				&b,
				"<class name=\"C0\"><property name=\"p\" type=\"int\"/></class>");
	}
	kt_buf_adds(&b, "</classes><services/></xml>");
	schema *s = schema_load_memory(b.data, b.len, "deep.xml", err);
	kt_buf_free(&b);
	return s;
}

Test(schema_loader, deep_base_chain)
{
	/* 101 classes: depth 100, the most allowed (22.19.0 has 13) */
	kt_error err = {0};
	schema *s = load_chain(101, &err);
	cr_assert_not_null(s, "%s", err.msg);
	const schema_class *c = schema_find_class(s, "C100");
	cr_assert_eq(c->depth, 100);
	cr_assert_eq(c->nall_props, 1);
	cr_assert(schema_is_subclass(s, "C100", "C0"));
	size_t n;
	schema_class_concrete(schema_find_class(s, "C0"), &n);
	cr_assert_eq(n, 101);
	schema_free(s);

	/* deeper is refused, in time linear in the classes: a hostile file cannot make the
	 * subclass lists quadratic */
	cr_assert_null(load_chain(102, &err));
	cr_assert_eq(err.code, KT_E_DATA);
	cr_assert(strstr(err.msg, "expected a base chain of at most 100 classes"), "%s", err.msg);
	cr_assert_null(load_chain(200000, &err));
	cr_assert_eq(err.code, KT_E_DATA);
}

/* ---- where the schema comes from ---- */

Test(schema_loader, default_path)
{
	setenv("KTESTME_SCHEMA", "/some/where.xml", 1);
	cr_assert_str_eq(schema_default_path(), "/some/where.xml");
	setenv("KTESTME_SCHEMA", "", 1);
	const char *p = schema_default_path();
	cr_assert_str_neq(p, "");

	/* beside the executable, when there */
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	cr_assert_gt(n, 0);
	exe[n] = '\0';
	char *dir = kt_xasprintf("%s/schemas", dirname(exe));
	char *file = kt_xasprintf("%s/kaltura.xml", dir);
	bool made_dir = mkdir(dir, 0755) == 0;
	bool had_file = access(file, F_OK) == 0;
	if (!had_file) {
		/* a build directory's binary finds the source tree's schemas/ one level up */
		char *up = kt_xasprintf("%s/../schemas/kaltura.xml", exe);
		const char *want = access(up, R_OK) == 0 ? up : KT_DATADIR "/kaltura.xml";
		cr_assert_str_eq(schema_default_path(), want,
				 "nothing beside the executable: one up, else the installed copy");
		free(up);
		FILE *f = fopen(file, "w");
		cr_assert_not_null(f, "cannot create %s", file);
		fclose(f);
	}
	cr_assert_str_eq(schema_default_path(), file);
	unsetenv("KTESTME_SCHEMA");
	cr_assert_str_eq(schema_default_path(), file);
	if (!had_file)
		unlink(file);
	if (made_dir)
		rmdir(dir);
	free(file);
	free(dir);
}

/* ---- the reference schemas in ../shared, counted independently with XPath ---- */

static double xpath_count(xmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr obj = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
	cr_assert_not_null(obj);
	double v = obj->floatval;
	xmlXPathFreeObject(obj);
	xmlXPathFreeContext(ctx);
	return v;
}

static void check_reference(const char *name)
{
	char *path = kt_xasprintf("../shared/schemas/%s", name);
	if (access(path, R_OK) != 0) {
		free(path);
		cr_skip_test("../shared/schemas/%s is not here", name);
	}
	xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_HUGE);
	cr_assert_not_null(doc);
	double services = xpath_count(doc, "count(/xml/services/service)");
	double actions = xpath_count(doc, "count(/xml/services/service/action)");
	double enums = xpath_count(doc, "count(/xml/enums/enum)");
	double classes = xpath_count(doc, "count(/xml/classes/class)");
	double errors = xpath_count(doc, "count(/xml/errors/error)");
	xmlChar *version = xmlGetProp(xmlDocGetRootElement(doc), (const xmlChar *)"apiVersion");
	xmlFreeDoc(doc);

	kt_error err = {0};
	schema *s = schema_load_file(path, &err);
	cr_assert_not_null(s, "%s", err.msg);
	cr_assert_eq((double)s->nservices, services);
	cr_assert_eq((double)s->nactions, actions);
	cr_assert_eq((double)s->nenums, enums);
	cr_assert_eq((double)s->nclasses, classes);
	cr_assert_eq((double)s->nerrors, errors);
	cr_assert_str_eq(s->api_version, (const char *)version);

	/* every lookup finds what the lists hold */
	for (size_t i = 0; i < s->nservices; i++) {
		const schema_service *svc = s->services[i];
		cr_assert_eq(schema_find_service(s, svc->name), svc);
		cr_assert_eq(schema_find_service(s, svc->id), svc);
		for (size_t j = 0; j < svc->nactions; j++) {
			const schema_action *a = &svc->actions[j];
			cr_assert_eq(schema_find_action(svc, a->name), a);
			for (size_t k = 0; k < a->nparams; k++)
				cr_assert_eq(schema_find_param(a, a->params[k].name),
					     &a->params[k]);
		}
	}
	for (size_t i = 0; i < s->nclasses; i++) {
		const schema_class *c = s->classes[i];
		cr_assert_eq(schema_find_class(s, c->name), c);
		for (size_t j = 0; j < c->nall_props; j++)
			cr_assert_eq(schema_class_find_property(c, c->all_props[j]->name),
				     c->all_props[j]);
		for (size_t j = 0; j < c->nconcrete; j++)
			cr_assert(schema_is_subclass(s, c->concrete[j]->name, c->name));
	}
	for (size_t i = 0; i < s->nenums; i++)
		cr_assert_eq(schema_find_enum(s, s->enums[i]->name), s->enums[i]);
	for (size_t i = 0; i < s->nerrors; i++)
		cr_assert_eq(schema_find_error(s, s->errors[i]->code), s->errors[i]);
	xmlFree(version);
	schema_free(s);
	free(path);
}

Test(schema_reference, kaltura_22_19_0)
{
	check_reference("kaltura-api-22.19.0.xml");
}

Test(schema_reference, kaltura_3_3_0)
{
	check_reference("kaltura-api-3.3.0-2016-03-17.xml");
}

Test(schema_reference, facts_from_kaltura_md)
{
	const char *path = "../shared/schemas/kaltura-api-22.19.0.xml";
	if (access(path, R_OK) != 0)
		cr_skip_test("%s is not here", path);
	kt_error err = {0};
	schema *s = schema_load_file(path, &err);
	cr_assert_not_null(s, "%s", err.msg);
	/* KALTURA.md section 5: session.start's defaults */
	const schema_action *a = schema_find(s, "session", "start");
	cr_assert_str_eq(schema_find_param(a, "userId")->default_value, "");
	cr_assert_str_eq(schema_find_param(a, "type")->default_value, "0");
	cr_assert_str_eq(schema_find_param(a, "type")->enum_type, "KalturaSessionType");
	cr_assert_str_eq(schema_find_param(a, "partnerId")->default_value, "null");
	cr_assert_str_eq(schema_find_param(a, "expiry")->default_value, "86400");
	cr_assert_str_eq(schema_find_param(a, "privileges")->default_value, "null");
	cr_assert_str_eq(a->result_type, "string");
	cr_assert_null(schema_find(s, "session", "end")->result_type);
	/* section 3: the message templates */
	const schema_error *e = schema_find_error(s, "CATEGORY_NOT_FOUND");
	cr_assert_str_eq(e->message, "Category id \"@ID@\" not found");
	cr_assert_str_eq(schema_find_error(s, "INVALID_KS")->message,
			 "Invalid KS \"@KSID@\", Error \"@ERR_CODE@,@ERR_DESC@\"");
	/* section 7: the request configuration */
	cr_assert_str_eq(s->request_config[1].name, "ks");
	cr_assert_str_eq(s->request_config[1].alias, "sessionId");
	/* a plugin service by its wire id */
	cr_assert_not_null(schema_find_service(s, "caption_captionasset"));
	cr_assert(schema_is_subclass(s, "KalturaCategoryFilter", "KalturaFilter"));
	schema_free(s);
}
