/* form: the parameter form model against tests/data/schema-small.xml and the shipped schema. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "request.h"
#include "schema.h"
#include "util.h"

#define SHIPPED "schemas/kaltura.xml"

static schema *small, *shipped;

static void load(void)
{
	const char *dir = getenv("KT_TESTDATA");
	char *path = kt_xasprintf("%s/schema-small.xml", dir ? dir : "tests/data");
	kt_error err = {0};
	small = schema_load_file(path, &err);
	cr_assert_not_null(small, "%s: %s", path, err.msg);
	free(path);
	shipped = schema_load_file(SHIPPED, &err);
	cr_assert_not_null(shipped, "%s: %s", SHIPPED, err.msg);
}

static void unload(void)
{
	schema_free(small);
	schema_free(shipped);
	small = shipped = NULL;
}

TestSuite(form, .init = load, .fini = unload);

static form *open_form(const schema *s, const char *service, const char *action)
{
	const schema_action *a = schema_find(s, service, action);
	cr_assert_not_null(a, "%s.%s", service, action);
	return form_new(s, a);
}

static size_t row(const form *f, const char *key)
{
	size_t i = form_find(f, key);
	cr_assert_neq(i, FORM_NONE, "no row %s", key);
	return i;
}

static const form_row *at(const form *f, const char *key)
{
	return form_row_at(f, row(f, key));
}

/* Builds the form's request; the caller frees it. */
static void build_ok(const form *f, kt_request *r)
{
	const schema_action *a = form_action(f);
	request_init(r, a->service->id, a->name);
	kt_error err = {0};
	size_t bad = 0;
	cr_assert_eq(form_build(f, r, &err, &bad), 0, "build: %s", err.msg);
	cr_assert_eq(bad, FORM_NONE);
}

/* The error of a build that must fail, and the row it names. */
static void build_fails(const form *f, const char *msg, size_t want_row)
{
	kt_request r;
	request_init(&r, "s", "a");
	kt_error err = {0};
	size_t bad = FORM_NONE;
	cr_assert_eq(form_build(f, &r, &err, &bad), -1, "built although '%s' was expected", msg);
	cr_assert_eq(err.code, KT_E_USAGE);
	cr_assert_str_eq(err.msg, msg);
	cr_assert_eq(bad, want_row, "bad row %zu, want %zu", bad, want_row);
	request_free(&r);
}

static const char *sent(const kt_request *r, const char *path)
{
	const param *p = param_find(r->params, path);
	return p && p->kind == PARAM_VALUE ? p->value : NULL;
}

/* The form body of what was built, against one made from wire keys. */
static void body_is(const kt_request *r, const char *const *kv)
{
	kt_request want;
	request_init(&want, r->service, r->action);
	request_set_field(&want.api_version, r->api_version);
	for (; *kv; kv += 2) {
		kt_error err;
		cr_assert_eq(param_set(want.params, kv[0], kv[1], &err), 0, "%s", err.msg);
	}
	char *got = request_form_body(r), *exp = request_form_body(&want);
	cr_assert_str_eq(got, exp);
	free(got);
	free(exp);
	request_free(&want);
}

Test(form, session_start_rows_and_defaults)
{
	form *f = open_form(small, "session", "start");
	const schema_action *a = form_action(f);
	cr_assert_eq(form_nfields(f), 6);
	cr_assert_eq(form_count(f), 6 + a->nparams);
	static const char *const fields[] = {"format", "clientTag", "apiVersion", "partnerId", "ks",
					     "language"};
	for (size_t i = 0; i < 6; i++) {
		cr_assert_str_eq(form_row_at(f, i)->name, fields[i]);
		cr_assert(form_row_at(f, i)->field);
		cr_assert_eq(form_field(f, fields[i]), i);
	}
	for (size_t i = 0; i < a->nparams; i++) {
		const form_row *r = form_row_at(f, 6 + i);
		cr_assert_str_eq(r->key, a->params[i].name);
		cr_assert_eq(r->depth, 0);
		cr_assert_not(r->enabled, "%s enabled", r->key);
	}
	cr_assert_str_eq(form_row_at(f, form_field(f, "clientTag"))->value, "ktestme");
	cr_assert_str_eq(form_row_at(f, form_field(f, "apiVersion"))->value, "1.2.3");
	cr_assert_str_eq(form_row_at(f, form_field(f, "format"))->value, "XML");

	const form_row *type = at(f, "type");
	cr_assert_eq(type->kind, FORM_ENUM);
	cr_assert_str_eq(type->type, "KalturaSessionType");
	char buf[128];
	bool dim;
	cr_assert_str_eq(form_row_shown(type, buf, sizeof buf, &dim), "USER (0)");
	cr_assert(dim);
	const form_row *expiry = at(f, "expiry");
	cr_assert_eq(expiry->kind, FORM_INT);
	cr_assert_str_eq(expiry->type, "int");
	cr_assert_str_eq(form_row_shown(expiry, buf, sizeof buf, &dim), "86400");
	cr_assert(dim);
	cr_assert_str_eq(expiry->description, "KS expiry time in seconds");
	const form_row *secret = at(f, "secret");
	cr_assert(secret->required);
	cr_assert_str_eq(form_row_shown(secret, buf, sizeof buf, &dim), "required");
	cr_assert_not(at(f, "expiry")->required);
	cr_assert_eq(form_find(f, "nope"), FORM_NONE);
	cr_assert_eq(form_field(f, "secret"), FORM_NONE);
	cr_assert_null(form_row_at(f, form_count(f)));

	/* enabling an empty row takes its default; the enum's as its name */
	form_set_enabled(f, row(f, "expiry"), true);
	cr_assert_str_eq(at(f, "expiry")->value, "86400");
	form_set_enabled(f, row(f, "type"), true);
	cr_assert_str_eq(at(f, "type")->value, "USER");
	kt_request r;
	build_ok(f, &r);
	cr_assert_str_eq(sent(&r, "type"), "0");
	cr_assert_str_eq(sent(&r, "expiry"), "86400");
	cr_assert_null(sent(&r, "secret"));
	request_free(&r);
	form_free(f);
}

Test(form, wire_body_of_session_start)
{
	form *f = open_form(small, "session", "start");
	form_set_value(f, row(f, "secret"), "s3cr3t");
	form_set_value(f, row(f, "partnerId"), "100");
	form_set_value(f, row(f, "type"), "ADMIN");
	form_set_value(f, row(f, "userId"), "");
	form_set_value(f, form_field(f, "ks"), "djJ8MTAw");
	kt_request r;
	build_ok(f, &r);
	char *body = request_form_body(&r);
	cr_assert_str_eq(body, "ks=djJ8MTAw&clientTag=ktestme&apiVersion=1.2.3&format=2"
			       "&secret=s3cr3t&userId=&type=2&partnerId=100");
	free(body);
	request_free(&r);

	/* JSON, no client tag, an impersonated partner */
	form_choose(f, form_field(f, "format"), 1);
	form_set_enabled(f, form_field(f, "clientTag"), false);
	form_set_value(f, form_field(f, "partnerId"), "-7");
	build_ok(f, &r);
	cr_assert_eq(r.format, 1);
	cr_assert_null(r.client_tag);
	cr_assert_str_eq(r.partner_id, "-7");
	cr_assert_str_eq(r.ks, "djJ8MTAw");
	request_free(&r);
	form_free(f);
}

Test(form, enum_by_name_or_value)
{
	form *f = open_form(small, "session", "start");
	size_t t = row(f, "type");
	kt_request r;
	form_set_value(f, t, "ADMIN");
	build_ok(f, &r);
	cr_assert_str_eq(sent(&r, "type"), "2");
	request_free(&r);
	form_set_value(f, t, "2");
	build_ok(f, &r);
	cr_assert_str_eq(sent(&r, "type"), "2");
	request_free(&r);
	char buf[128];
	bool dim;
	cr_assert_str_eq(form_row_shown(at(f, "type"), buf, sizeof buf, &dim), "ADMIN (2)");
	cr_assert_not(dim);

	form_set_value(f, t, "SUPERUSER");
	cr_assert_str_eq(form_row_invalid(at(f, "type"), buf, sizeof buf),
			 "not a constant of KalturaSessionType (Enter lists them)");
	build_fails(f, "type: not a constant of KalturaSessionType (Enter lists them)", t);
	form_set_value(f, t, "3");
	build_fails(f, "type: not a constant of KalturaSessionType (Enter lists them)", t);
	form_set_value(f, t, "");
	build_fails(f, "type: not a constant of KalturaSessionType (Enter lists them)", t);

	/* the chooser lists constant names and points at the current one */
	const char **items;
	size_t cur;
	form_set_value(f, t, "ADMIN");
	size_t n = form_choices(f, t, &items, &cur);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(items[0], "USER");
	cr_assert_str_eq(items[1], "ADMIN");
	cr_assert_eq(cur, 1);
	free(items);
	cr_assert_eq(form_choose(f, t, 0), 0);
	cr_assert_str_eq(at(f, "type")->value, "USER");
	cr_assert_eq(form_choose(f, t, 2), -1);
	/* cycling wraps both ways */
	cr_assert_eq(form_cycle(f, t, 1), 0);
	cr_assert_str_eq(at(f, "type")->value, "ADMIN");
	cr_assert_eq(form_cycle(f, t, 1), 0);
	cr_assert_str_eq(at(f, "type")->value, "USER");
	cr_assert_eq(form_cycle(f, t, -1), 0);
	cr_assert_str_eq(at(f, "type")->value, "ADMIN");
	/* a string enum sends its string value */
	form *c = open_form(small, "captionAsset", "setAsDefault");
	/* the default (SRT) shows, so the first step moves past it, and back */
	form_cycle(c, row(c, "format"), 1);
	cr_assert_str_eq(at(c, "format")->value, "DFXP");
	form_cycle(c, row(c, "format"), -1);
	cr_assert_str_eq(at(c, "format")->value, "SRT");
	form_set_value(c, row(c, "captionAssetId"), "0_x");
	build_ok(c, &r);
	cr_assert_str_eq(sent(&r, "format"), "1");
	request_free(&r);
	form_free(c);
	/* not a list: strings */
	cr_assert_eq(form_choices(f, row(f, "secret"), &items, &cur), 0);
	cr_assert_null(items);
	cr_assert_eq(form_cycle(f, row(f, "secret"), 1), -1);
	form_free(f);
}

Test(form, int_validation)
{
	form *f = open_form(small, "session", "start");
	size_t e = row(f, "expiry");
	const form_row *er = form_row_at(f, e);
	char buf[128];
	static const struct {
		const char *text, *why;
	} cases[] = {
		{"12a", "not an integer"},
		{"abc", "not an integer"},
		{"-", "not an integer"},
		{"+", "not an integer"},
		{"", "not an integer"},
		{" 5", "not an integer"},
		{"5 ", "not an integer"},
		{"1.5", "not an integer"},
		{"--1", "not an integer"},
		{"9223372036854775808", "out of the 64-bit integer range"},
		{"-9223372036854775809", "out of the 64-bit integer range"},
		{"99999999999999999999999", "out of the 64-bit integer range"},
		{"0", NULL},
		{"-5", NULL},
		{"+7", NULL},
		{"9223372036854775807", NULL},
		{"-9223372036854775808", NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cr_assert_eq(form_set_value(f, e, cases[i].text), 0);
		const char *why = form_row_invalid(er, buf, sizeof buf);
		if (!cases[i].why) {
			cr_assert_null(why, "'%s': %s", cases[i].text, why);
			kt_request r;
			build_ok(f, &r);
			cr_assert_str_eq(sent(&r, "expiry"), cases[i].text);
			request_free(&r);
			continue;
		}
		cr_assert_not_null(why, "'%s' accepted", cases[i].text);
		cr_assert_str_eq(why, cases[i].why, "'%s'", cases[i].text);
		char *msg = kt_xasprintf("expiry: %s", cases[i].why);
		build_fails(f, msg, e);
		free(msg);
	}
	/* an invalid row that is disabled is not sent, so it does not stop the call */
	form_set_value(f, e, "12a");
	form_set_enabled(f, e, false);
	kt_request r;
	build_ok(f, &r);
	cr_assert_null(sent(&r, "expiry"));
	request_free(&r);
	/* the impersonated partner id of the request fields is an integer too, checked first */
	form_set_enabled(f, e, true);
	form_set_value(f, form_field(f, "partnerId"), "x1");
	build_fails(f, "partnerId: not an integer", form_field(f, "partnerId"));
	/* form_check alone, as the pane checks what is being typed */
	cr_assert_null(form_check(er, "42", buf, sizeof buf));
	cr_assert_not_null(form_check(er, "4x2", buf, sizeof buf));
	form_free(f);
}

Test(form, float_checks)
{
	/* no action takes a float parameter: a row as a float property makes it */
	form_row r = {.kind = FORM_FLOAT};
	char buf[64];
	cr_assert_null(form_check(&r, "1.5", buf, sizeof buf));
	cr_assert_null(form_check(&r, "-2e3", buf, sizeof buf));
	cr_assert_null(form_check(&r, "7", buf, sizeof buf));
	static const char *const bad[] = {"", "abc", "inf", "nan", "0x10", "1.5.5", "1e999", "1,5"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		cr_assert_str_eq(form_check(&r, bad[i], buf, sizeof buf), "not a number", "'%s'",
				 bad[i]);
}

Test(form, bool_sent_as_1_or_0)
{
	form *f = open_form(shipped, "category", "index");
	size_t b = row(f, "shouldUpdate");
	const form_row *br = form_row_at(f, b);
	cr_assert_eq(br->kind, FORM_BOOL);
	char buf[64];
	bool dim;
	cr_assert_str_eq(form_row_shown(br, buf, sizeof buf, &dim), "true");
	cr_assert(dim);
	form_set_value(f, row(f, "id"), "5");
	/* Space flips the shown value (the default, true) and enables the row */
	form_toggle(f, b);
	cr_assert(br->enabled);
	cr_assert_str_eq(br->value, "false");
	kt_request r;
	build_ok(f, &r);
	cr_assert_str_eq(sent(&r, "shouldUpdate"), "0");
	request_free(&r);
	form_toggle(f, b);
	build_ok(f, &r);
	cr_assert_str_eq(sent(&r, "shouldUpdate"), "1");
	request_free(&r);
	form_set_value(f, b, "0");
	build_ok(f, &r);
	cr_assert_str_eq(sent(&r, "shouldUpdate"), "0");
	request_free(&r);
	form_set_value(f, b, "yes");
	build_fails(f, "shouldUpdate: not a boolean (true or false)", b);
	const char **items;
	size_t cur;
	form_set_value(f, b, "false");
	cr_assert_eq(form_choices(f, b, &items, &cur), 2);
	cr_assert_eq(cur, 1);
	free(items);
	/* a bigint id is checked as an integer */
	form_set_value(f, row(f, "id"), "five");
	build_fails(f, "id: not an integer", row(f, "id"));
	form_free(f);
}

Test(form, object_type_chooser_and_nested_rows)
{
	form *f = open_form(shipped, "category", "list");
	size_t fi = row(f, "filter");
	const form_row *fr = form_row_at(f, fi);
	cr_assert_eq(fr->kind, FORM_OBJECT);
	cr_assert_null(fr->chosen);
	cr_assert_null(fr->first, "an object opens only when asked");
	cr_assert_eq(form_find(f, "filter:idEqual"), FORM_NONE);
	const schema_class *decl = schema_find_class(shipped, "KalturaCategoryFilter");
	const char **items;
	size_t cur;
	size_t n = form_choices(f, fi, &items, &cur);
	cr_assert_eq(n, decl->nconcrete);
	cr_assert_geq(n, 1);
	cr_assert_str_eq(items[0], "KalturaCategoryFilter");
	for (size_t i = 0; i < n; i++)
		cr_assert_not(schema_find_class(shipped, items[i])->abstract, "%s", items[i]);
	free(items);
	size_t before = form_count(f);
	cr_assert_eq(form_choose(f, fi, 0), 0);
	fr = form_row_at(f, fi);
	cr_assert(fr->enabled);
	cr_assert_eq(fr->chosen, decl);
	const form_row *id = at(f, "filter:idEqual");
	cr_assert_eq(id->depth, 1);
	cr_assert_eq(id->kind, FORM_INT);
	cr_assert_str_eq(id->name, "idEqual");
	cr_assert_gt(form_count(f), before);
	/* nested rows sit right beneath their object */
	cr_assert_eq(form_row_at(f, fi + 1)->parent, fr);
	/* every writable property, and only those */
	size_t props = 0;
	for (size_t i = 0; i < decl->nall_props; i++) {
		const schema_property *p = decl->all_props[i];
		char *key = kt_xasprintf("filter:%s", p->name);
		if (p->read_only)
			cr_assert_eq(form_find(f, key), FORM_NONE, "%s is read-only", key);
		else
			cr_assert_neq(form_find(f, key), FORM_NONE, "%s missing", key);
		props += !p->read_only;
		free(key);
	}
	cr_assert_eq(form_count(f), before + props);
	/* a nested object stays closed: recursive types do not recurse */
	const form_row *adv = at(f, "filter:advancedSearch");
	cr_assert_eq(adv->kind, FORM_OBJECT);
	cr_assert_null(adv->first);
	cr_assert_null(adv->chosen);

	form_set_value(f, row(f, "filter:idEqual"), "2");
	form_set_value(f, row(f, "filter:fullNameStartsWith"), "Media");
	kt_request r;
	build_ok(f, &r);
	static const char *const want[] = {
		"filter:objectType", "KalturaCategoryFilter", "filter:idEqual", "2",
		"filter:fullNameStartsWith", "Media", NULL,
	};
	body_is(&r, want);
	request_free(&r);

	/* an enabled nested value that is invalid names its full key */
	form_set_value(f, row(f, "filter:idEqual"), "2x");
	build_fails(f, "filter:idEqual: not an integer", row(f, "filter:idEqual"));
	/* a disabled object sends nothing, whatever its properties hold */
	form_set_enabled(f, fi, false);
	build_ok(f, &r);
	cr_assert_null(param_find(r.params, "filter"));
	cr_assert_eq(param_count(r.params), 0);
	request_free(&r);
	/* editing a nested value enables its object again */
	form_set_value(f, row(f, "filter:idEqual"), "3");
	cr_assert(form_row_at(f, fi)->enabled);
	cr_assert_eq(form_enabled_params(f), 3);
	form_free(f);
}

Test(form, object_opens_lazily_through_recursive_types)
{
	form *f = open_form(shipped, "category", "list");
	size_t fi = row(f, "filter");
	/* enabling an object without a type gives it its first one */
	form_set_enabled(f, fi, true);
	cr_assert_not_null(form_row_at(f, fi)->chosen);
	size_t adv = row(f, "filter:advancedSearch");
	const char **items;
	size_t cur;
	size_t n = form_choices(f, adv, &items, &cur);
	size_t op = n;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(items[i], "KalturaSearchOperator"))
			op = i;
	free(items);
	cr_assert_lt(op, n, "KalturaSearchOperator is not offered");
	cr_assert_eq(form_choose(f, adv, op), 0);
	const form_row *arr = at(f, "filter:advancedSearch:items");
	cr_assert_eq(arr->kind, FORM_ARRAY);
	cr_assert_null(arr->first);
	size_t it = form_item_add(f, row(f, "filter:advancedSearch:items"));
	cr_assert_neq(it, FORM_NONE);
	const form_row *item = form_row_at(f, it);
	cr_assert_str_eq(item->key, "filter:advancedSearch:items:0");
	cr_assert_eq(item->depth, 3);
	cr_assert_not_null(item->chosen);
	/* the item's own nested objects and arrays stay closed or empty */
	for (const form_row *c = item->first; c; c = c->next)
		cr_assert_null(c->first, "%s opened by itself", c->key);
	form_free(f);
}

Test(form, type_change_keeps_shared_values)
{
	form *f = open_form(shipped, "baseEntry", "list");
	size_t fi = row(f, "filter");
	const char **items;
	size_t cur;
	size_t n = form_choices(f, fi, &items, &cur);
	size_t base = n, media = n;
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(items[i], "KalturaBaseEntryFilter"))
			base = i;
		if (!strcmp(items[i], "KalturaMediaEntryFilter"))
			media = i;
	}
	free(items);
	cr_assert_lt(base, n);
	cr_assert_lt(media, n);
	form_choose(f, fi, base);
	form_set_value(f, row(f, "filter:idEqual"), "0_abc");
	form_set_value(f, row(f, "filter:nameLike"), "intro");
	form_set_enabled(f, row(f, "filter:nameLike"), false);
	cr_assert_eq(form_find(f, "filter:mediaTypeEqual"), FORM_NONE);
	form_choose(f, fi, media);
	fi = row(f, "filter");
	cr_assert_str_eq(form_row_at(f, fi)->value, "KalturaMediaEntryFilter");
	cr_assert_str_eq(at(f, "filter:idEqual")->value, "0_abc");
	cr_assert(at(f, "filter:idEqual")->enabled);
	cr_assert_str_eq(at(f, "filter:nameLike")->value, "intro");
	cr_assert_not(at(f, "filter:nameLike")->enabled);
	size_t mt = row(f, "filter:mediaTypeEqual");
	cr_assert_eq(form_row_at(f, mt)->kind, FORM_ENUM);
	form_choose(f, mt, 0);
	kt_request r;
	build_ok(f, &r);
	cr_assert_str_eq(sent(&r, "filter:objectType"), "KalturaMediaEntryFilter");
	cr_assert_str_eq(sent(&r, "filter:idEqual"), "0_abc");
	cr_assert_null(sent(&r, "filter:nameLike"));
	cr_assert_not_null(sent(&r, "filter:mediaTypeEqual"));
	request_free(&r);
	/* back: what only the media filter has is gone, the rest stays */
	form_cycle(f, fi, 0);
	form_choose(f, fi, base);
	cr_assert_eq(form_find(f, "filter:mediaTypeEqual"), FORM_NONE);
	cr_assert_str_eq(at(f, "filter:idEqual")->value, "0_abc");
	cr_assert_eq(form_choose(f, fi, n), -1);
	form_free(f);
}

Test(form, arrays_add_remove_and_empty)
{
	form *f = open_form(small, "media", "updateContent");
	form_set_value(f, row(f, "entryId"), "0_e");
	size_t ai = row(f, "operationAttributes");
	cr_assert_eq(form_row_at(f, ai)->kind, FORM_ARRAY);
	cr_assert_str_eq(form_row_at(f, ai)->type, "KalturaOperationAttributes[]");
	/* enabled without items: the empty array */
	form_set_enabled(f, ai, true);
	kt_request r;
	build_ok(f, &r);
	const param *p = param_find(r.params, "operationAttributes");
	cr_assert_not_null(p);
	cr_assert_eq(p->kind, PARAM_ARRAY);
	cr_assert_null(p->first);
	char *body = request_form_body(&r);
	cr_assert(strstr(body, "&operationAttributes%3A-="), "%s", body);
	free(body);
	request_free(&r);

	size_t i0 = form_item_add(f, ai);
	cr_assert_str_eq(form_row_at(f, i0)->key, "operationAttributes:0");
	cr_assert_str_eq(form_row_at(f, i0)->value, "KalturaClipAttributes");
	form_set_value(f, row(f, "operationAttributes:0:offset"), "10");
	/* adding from inside an item appends to its array */
	size_t i1 = form_item_add(f, row(f, "operationAttributes:0:offset"));
	cr_assert_str_eq(form_row_at(f, i1)->key, "operationAttributes:1");
	form_set_value(f, row(f, "operationAttributes:1:offset"), "20");
	form_set_value(f, row(f, "operationAttributes:1:duration"), "5");
	build_ok(f, &r);
	static const char *const two[] = {
		"entryId", "0_e",
		"operationAttributes:0:objectType", "KalturaClipAttributes",
		"operationAttributes:0:offset", "10",
		"operationAttributes:1:objectType", "KalturaClipAttributes",
		"operationAttributes:1:offset", "20",
		"operationAttributes:1:duration", "5", NULL,
	};
	body_is(&r, two);
	request_free(&r);
	/* removing the first renumbers the rest */
	cr_assert_eq(form_item_remove(f, row(f, "operationAttributes:0:offset")), 0);
	cr_assert_eq(form_find(f, "operationAttributes:1"), FORM_NONE);
	cr_assert_str_eq(at(f, "operationAttributes:0:offset")->value, "20");
	/* a disabled item is left out and the next one takes its number on the wire */
	form_item_add(f, ai);
	form_set_value(f, row(f, "operationAttributes:1:offset"), "30");
	form_set_enabled(f, row(f, "operationAttributes:0"), false);
	build_ok(f, &r);
	static const char *const one[] = {
		"entryId", "0_e",
		"operationAttributes:0:objectType", "KalturaClipAttributes",
		"operationAttributes:0:offset", "30", NULL,
	};
	body_is(&r, one);
	request_free(&r);
	/* down to none: the empty array again */
	cr_assert_eq(form_item_remove(f, row(f, "operationAttributes:1")), 0);
	cr_assert_eq(form_item_remove(f, row(f, "operationAttributes:0")), 0);
	build_ok(f, &r);
	static const char *const none[] = {"entryId", "0_e", "operationAttributes:-", "", NULL};
	body_is(&r, none);
	request_free(&r);
	/* not inside any item or array */
	cr_assert_eq(form_item_remove(f, row(f, "entryId")), -1);
	cr_assert_eq(form_item_remove(f, ai), -1);
	cr_assert_eq(form_item_add(f, row(f, "entryId")), FORM_NONE);
	cr_assert_eq(form_item_add(f, form_count(f)), FORM_NONE);
	/* a disabled array sends nothing */
	form_set_enabled(f, ai, false);
	build_ok(f, &r);
	cr_assert_null(param_find(r.params, "operationAttributes"));
	request_free(&r);
	form_free(f);
}

Test(form, disabled_rows_not_sent)
{
	form *f = open_form(small, "session", "start");
	form_set_value(f, row(f, "secret"), "abc");
	form_set_value(f, row(f, "privileges"), "disableentitlement");
	form_set_value(f, row(f, "expiry"), "60");
	form_set_enabled(f, row(f, "privileges"), false);
	form_clear(f, row(f, "expiry"));
	cr_assert_str_eq(at(f, "expiry")->value, "");
	cr_assert_not(at(f, "expiry")->enabled);
	cr_assert_eq(form_enabled_params(f), 1);
	kt_request r;
	build_ok(f, &r);
	cr_assert_eq(param_count(r.params), 1);
	cr_assert_str_eq(sent(&r, "secret"), "abc");
	/* empty, disabled request fields are not sent either */
	cr_assert_null(r.ks);
	cr_assert_null(r.partner_id);
	cr_assert_null(r.language);
	request_free(&r);
	/* the format always goes */
	form_set_enabled(f, form_field(f, "format"), false);
	form_clear(f, form_field(f, "format"));
	cr_assert(form_row_at(f, form_field(f, "format"))->enabled);
	/* objects and arrays have no text */
	form *m = open_form(small, "media", "list");
	cr_assert_eq(form_set_value(m, row(m, "filter"), "x"), -1);
	cr_assert_eq(form_set_value(m, form_count(m), "x"), -1);
	form_free(m);
	form_free(f);
}

Test(form, secrets_flagged)
{
	form *f = open_form(small, "session", "start");
	cr_assert(at(f, "secret")->secret);
	cr_assert_not(at(f, "userId")->secret);
	cr_assert_not(at(f, "privileges")->secret);
	cr_assert(form_row_at(f, form_field(f, "ks"))->secret);
	cr_assert_not(form_row_at(f, form_field(f, "clientTag"))->secret);
	form_free(f);
	form *u = open_form(shipped, "user", "loginByLoginId");
	cr_assert(at(u, "password")->secret);
	cr_assert_not(at(u, "loginId")->secret);
	form_free(u);
}

Test(form, prefill_and_shared_fields)
{
	form *f = open_form(small, "session", "start");
	cr_assert_eq(form_prefill(f, "partnerId", "100"), 1);
	cr_assert_eq(form_prefill(f, "secret", "abc"), 1);
	cr_assert_eq(form_prefill(f, "nothing", "x"), 0);
	cr_assert(at(f, "partnerId")->enabled);
	cr_assert_str_eq(at(f, "partnerId")->value, "100");
	/* the request field of the same name is the impersonated partner: untouched */
	cr_assert_not(form_row_at(f, form_field(f, "partnerId"))->enabled);
	cr_assert_str_eq(form_row_at(f, form_field(f, "partnerId"))->value, "");
	form *m = open_form(small, "media", "list");
	cr_assert_eq(form_prefill(m, "partnerId", "100"), 0);
	/* the session field moves from one form to the next */
	form_set_value(f, form_field(f, "ks"), "KS1");
	form_choose(f, form_field(f, "format"), 1);
	form_copy_fields(m, f);
	cr_assert_str_eq(form_row_at(m, form_field(m, "ks"))->value, "KS1");
	cr_assert(form_row_at(m, form_field(m, "ks"))->enabled);
	kt_request r;
	build_ok(m, &r);
	cr_assert_str_eq(r.ks, "KS1");
	cr_assert_eq(r.format, 1);
	request_free(&r);
	form_free(m);
	form_free(f);
}

Test(form, no_action_and_free_after_schema)
{
	form *f = form_new(small, NULL);
	cr_assert_eq(form_count(f), 6);
	cr_assert_null(form_action(f));
	form_set_value(f, form_field(f, "ks"), "K");
	form_free(f);
	form_free(NULL);
	/* a form outlives its schema as long as only form_free touches it */
	kt_error err;
	char *path = kt_xasprintf("%s/schema-small.xml",
				  getenv("KT_TESTDATA") ? getenv("KT_TESTDATA") : "tests/data");
	schema *s = schema_load_file(path, &err);
	free(path);
	cr_assert_not_null(s);
	form *g = form_new(s, schema_find(s, "media", "list"));
	form_set_enabled(g, form_find(g, "filter"), true);
	schema_free(s);
	form_free(g);
}

/* Every row of g matches f's (keys, kinds, values, checkboxes, tree) without sharing memory. */
static void same_rows(const form *f, const form *g)
{
	cr_assert_eq(form_count(g), form_count(f));
	cr_assert_eq(form_nfields(g), form_nfields(f));
	cr_assert_eq(form_action(g), form_action(f));
	for (size_t i = 0; i < form_count(f); i++) {
		const form_row *a = form_row_at(f, i), *b = form_row_at(g, i);
		cr_assert_neq(a, b, "row %zu shared", i);
		cr_assert_str_eq(b->key, a->key);
		cr_assert_str_eq(b->type, a->type);
		cr_assert_str_eq(b->value, a->value, "%s", a->key);
		cr_assert_neq(b->value, a->value, "%s: value shared", a->key);
		cr_assert_eq(b->enabled, a->enabled, "%s", a->key);
		cr_assert_eq(b->kind, a->kind);
		cr_assert_eq(b->depth, a->depth);
		cr_assert_eq(b->chosen, a->chosen);
		cr_assert_eq(b->item, a->item);
		/* the clone's parents are its own rows */
		if (a->parent)
			cr_assert_eq(b->parent, form_row_at(g, form_find(g, a->parent->key)));
		else
			cr_assert_null(b->parent);
	}
}

static char *body_of(const form *f)
{
	kt_request r;
	build_ok(f, &r);
	char *b = request_form_body(&r);
	request_free(&r);
	return b;
}

Test(form, clone_arrays_deep_and_independent)
{
	form *f = open_form(small, "media", "updateContent");
	form_set_value(f, row(f, "entryId"), "0_e");
	size_t ai = row(f, "operationAttributes");
	form_item_add(f, ai);
	form_set_value(f, row(f, "operationAttributes:0:offset"), "10");
	form_item_add(f, ai);
	form_set_value(f, row(f, "operationAttributes:1:offset"), "20");
	form_choose(f, form_field(f, "format"), 1);
	form *g = form_clone(f, false);
	same_rows(f, g);
	char *bf = body_of(f), *bg = body_of(g);
	cr_assert_str_eq(bg, bf);
	cr_assert(strstr(bg, "operationAttributes%3A1%3Aoffset=20"), "%s", bg);
	free(bf);
	free(bg);
	/* the original changes, the clone does not */
	form_set_value(f, row(f, "operationAttributes:0:offset"), "99");
	form_item_remove(f, row(f, "operationAttributes:1"));
	form_set_value(f, row(f, "entryId"), "0_other");
	cr_assert_str_eq(at(g, "operationAttributes:0:offset")->value, "10");
	cr_assert_str_eq(at(g, "operationAttributes:1:offset")->value, "20");
	cr_assert_str_eq(at(g, "entryId")->value, "0_e");
	/* and the other way round: the clone works on its own, after the original is gone */
	form_free(f);
	cr_assert_neq(form_item_add(g, ai), FORM_NONE);
	form_set_value(g, row(g, "operationAttributes:2:offset"), "30");
	cr_assert_eq(form_item_remove(g, row(g, "operationAttributes:0")), 0);
	kt_request r;
	build_ok(g, &r);
	cr_assert_str_eq(sent(&r, "operationAttributes:0:offset"), "20");
	cr_assert_str_eq(sent(&r, "operationAttributes:1:offset"), "30");
	cr_assert_eq(r.format, 1);
	request_free(&r);
	form_free(g);
	cr_assert_null(form_clone(NULL, false));
	cr_assert_null(form_clone(NULL, true));
}

Test(form, clone_nested_objects)
{
	form *f = open_form(shipped, "category", "list");
	size_t fi = row(f, "filter");
	cr_assert_eq(form_choose(f, fi, 0), 0);
	form_set_value(f, row(f, "filter:idEqual"), "2");
	size_t adv = row(f, "filter:advancedSearch");
	cr_assert_eq(form_choose(f, adv, 0), 0);
	const form_row *a = form_row_at(f, adv);
	cr_assert_not_null(a->first, "advancedSearch opened");
	/* a text property of the nested object, two levels down */
	const form_row *deep = NULL;
	for (const form_row *k = a->first; k && !deep; k = k->next)
		if (k->kind == FORM_STRING)
			deep = k;
	cr_assert_not_null(deep);
	char *deep_key = kt_xstrdup(deep->key);
	form_set_value(f, row(f, deep_key), "nested");
	form *g = form_clone(f, true);
	same_rows(f, g);
	cr_assert_eq(at(g, deep_key)->depth, 2);
	char *bf = body_of(f), *bg = body_of(g);
	cr_assert_str_eq(bg, bf);
	cr_assert(strstr(bg, "=nested"), "%s", bg);
	free(bf);
	free(bg);
	/* edits in the clone leave the original's nested rows alone */
	form_set_enabled(g, row(g, "filter:advancedSearch"), false);
	form_set_value(g, row(g, deep_key), "changed");
	cr_assert_str_eq(at(f, deep_key)->value, "nested");
	cr_assert(at(f, "filter:advancedSearch")->enabled);
	size_t n = form_count(f);
	form_free(g);
	cr_assert_eq(form_count(f), n);
	free(deep_key);
	form_free(f);
}

Test(form, clone_drops_secrets)
{
	form *f = open_form(small, "session", "start");
	form_set_value(f, row(f, "secret"), "s3cret");
	form_set_value(f, row(f, "privileges"), "disableentitlement");
	form_set_value(f, form_field(f, "ks"), "KS1");
	form_set_value(f, form_field(f, "language"), "en");
	form *g = form_clone(f, true);
	cr_assert_str_eq(at(g, "secret")->value, "");
	cr_assert_str_eq(form_row_at(g, form_field(g, "ks"))->value, "");
	cr_assert_str_eq(at(g, "privileges")->value, "disableentitlement");
	cr_assert_str_eq(form_row_at(g, form_field(g, "language"))->value, "en");
	cr_assert(at(g, "secret")->secret);
	/* the original keeps them */
	cr_assert_str_eq(at(f, "secret")->value, "s3cret");
	cr_assert_str_eq(form_row_at(f, form_field(f, "ks"))->value, "KS1");
	form *h = form_clone(f, false);
	cr_assert_str_eq(at(h, "secret")->value, "s3cret");
	form_free(h);
	form_free(g);
	form_free(f);
	form *u = open_form(shipped, "user", "loginByLoginId");
	form_set_value(u, row(u, "password"), "pw");
	form_set_value(u, row(u, "loginId"), "alice");
	form *v = form_clone(u, true);
	cr_assert_str_eq(at(v, "password")->value, "");
	cr_assert_str_eq(at(v, "loginId")->value, "alice");
	form_free(v);
	form_free(u);
}

Test(form, copy_secrets_from_the_current_form)
{
	form *f = open_form(small, "session", "start");
	form_set_value(f, row(f, "secret"), "old");
	form_set_value(f, row(f, "userId"), "alice");
	form *snap = form_clone(f, true);
	/* the current form: another secret, a KS, the userId changed */
	form *cur = open_form(small, "session", "start");
	form_set_value(cur, row(cur, "secret"), "now");
	form_set_value(cur, form_field(cur, "ks"), "KS2");
	form_set_value(cur, row(cur, "userId"), "bob");
	form_copy_secrets(snap, cur);
	cr_assert_str_eq(at(snap, "secret")->value, "now");
	cr_assert(at(snap, "secret")->enabled);
	cr_assert_str_eq(form_row_at(snap, form_field(snap, "ks"))->value, "KS2");
	cr_assert(form_row_at(snap, form_field(snap, "ks"))->enabled);
	cr_assert_str_eq(at(snap, "userId")->value, "alice", "only secrets are taken");
	/* a current form without them: the secrets end empty and disabled */
	form *bare = open_form(small, "session", "start");
	form_copy_secrets(snap, bare);
	cr_assert_str_eq(at(snap, "secret")->value, "");
	cr_assert_not(at(snap, "secret")->enabled);
	cr_assert_not(form_row_at(snap, form_field(snap, "ks"))->enabled);
	/* a form of another action has no such row at all */
	form_set_value(snap, row(snap, "secret"), "x");
	form *other = open_form(small, "media", "list");
	form_copy_secrets(snap, other);
	cr_assert_str_eq(at(snap, "secret")->value, "");
	cr_assert_not(at(snap, "secret")->enabled);
	form_free(other);
	form_free(bare);
	form_free(cur);
	form_free(snap);
	form_free(f);
}

Test(form, mandatory_parameters_are_checked)
{
	form *f = open_form(small, "session", "start");
	kt_error err = {0};
	size_t bad = 0;
	cr_assert_eq(form_check_required(f, &err, &bad), -1);
	cr_assert_eq(err.code, KT_E_USAGE);
	cr_assert_str_eq(err.msg, "secret is mandatory and not set");
	cr_assert_eq(bad, row(f, "secret"));
	cr_assert(form_row_at(f, bad)->required);
	cr_assert_not(form_row_at(f, row(f, "userId"))->required);
	/* an enabled empty value is set: the server takes it */
	form_set_enabled(f, row(f, "secret"), true);
	bad = 7;
	cr_assert_eq(form_check_required(f, &err, &bad), 0);
	cr_assert_eq(bad, FORM_NONE);
	form_clear(f, row(f, "secret"));
	cr_assert_eq(form_check_required(f, &err, NULL), -1);
	form_set_value(f, row(f, "secret"), "s");
	cr_assert_eq(form_check_required(f, &err, NULL), 0);
	form_free(f);
}

/* What form_fill puts in must be what form_build takes out. */
static void fill_round_trip(const char *service, const char *action, const char *const *args,
			    int nargs)
{
	form *f = open_form(shipped, service, action);
	kt_request r, back;
	request_init(&r, service, action);
	kt_error err = {0};
	cr_assert_eq(param_set_args(r.params, nargs, (char *const *)args, &err), 0, "%s", err.msg);
	request_set_field(&r.ks, "KS-X");
	r.format = 1;
	char skipped[128];
	cr_assert_eq(form_fill(f, &r, skipped, sizeof skipped), 0, "skipped: %s", skipped);
	request_init(&back, service, action);
	cr_assert_eq(form_build(f, &back, &err, NULL), 0, "%s", err.msg);
	/* every pair comes back (the form adds its defaults: apiVersion, declared objectTypes) */
	for (int i = 0; i < nargs; i++) {
		char *k = kt_xstrdup(args[i]), *eq = strchr(k, '=');
		*eq = '\0';
		const param *p = param_find(back.params, k);
		cr_assert(p && p->kind == PARAM_VALUE, "%s.%s: %s is gone", service, action, k);
		cr_assert_str_eq(p->value, eq + 1, "%s", k);
		free(k);
	}
	cr_assert_str_eq(back.ks, "KS-X");
	cr_assert_eq(back.format, 1);
	request_free(&r);
	request_free(&back);
	form_free(f);
}

Test(form, fill_from_a_request)
{
	static const char *const list[] = {"filter:objectType=KalturaCategoryFilter",
					   "filter:fullNameStartsWith=Demo", "pager:pageSize=5"};
	fill_round_trip("category", "list", list, 3);
	static const char *const add[] = {"entry:objectType=KalturaMediaEntry", "entry:name=Clip",
					  "entry:mediaType=1",
					  "entry:operationAttributes:0:objectType=KalturaClipAttributes",
					  "entry:operationAttributes:0:offset=5",
					  "entry:operationAttributes:1:objectType=KalturaClipAttributes",
					  "entry:operationAttributes:1:duration=7"};
	fill_round_trip("media", "add", add, 7);
	static const char *const start[] = {"secret=s", "type=2", "partnerId=1234",
					    "privileges=disableentitlement"};
	fill_round_trip("session", "start", start, 4);
}

Test(form, fill_names_what_the_form_lacks)
{
	form *f = open_form(shipped, "category", "get");
	kt_request r;
	request_init(&r, "category", "get");
	param_set(r.params, "id", "5", NULL);
	param_set(r.params, "nosuch", "1", NULL);
	param_set(r.params, "other:deep", "2", NULL);
	char skipped[128];
	cr_assert_eq(form_fill(f, &r, skipped, sizeof skipped), 2);
	cr_assert_str_eq(skipped, "nosuch, other");
	cr_assert_str_eq(form_row_at(f, form_find(f, "id"))->value, "5");
	request_free(&r);
	form_free(f);
}

/* In a multirequest item any typed field may take an earlier item's result, sent as typed. */
Test(form, back_reference_in_typed_fields)
{
	form *f = open_form(small, "session", "start");
	char buf[128];
	cr_assert_eq(form_set_value(f, row(f, "expiry"), "{1:result:objects:0:id}"), 0);
	cr_assert_null(form_row_invalid(at(f, "expiry"), buf, sizeof buf));
	cr_assert_eq(form_set_value(f, row(f, "type"), "{2:result:type}"), 0);
	cr_assert_null(form_row_invalid(at(f, "type"), buf, sizeof buf));
	kt_request r;
	build_ok(f, &r);
	cr_assert_str_eq(sent(&r, "expiry"), "{1:result:objects:0:id}");
	cr_assert_str_eq(sent(&r, "type"), "{2:result:type}");
	request_free(&r);
	cr_assert_eq(form_set_value(f, row(f, "expiry"), "1{1:result:id}"), 0);
	cr_assert_null(form_row_invalid(at(f, "expiry"), buf, sizeof buf), "the server puts it in");
	/* not quite a reference: still checked */
	cr_assert_eq(form_set_value(f, row(f, "expiry"), "{x:result}"), 0);
	cr_assert_not_null(form_row_invalid(at(f, "expiry"), buf, sizeof buf));
	form_free(f);
}

/* A file row is a file to upload (its path, "~/" from $HOME), never a text parameter; a
 * request's file fills it back. */
Test(form, file_row_is_an_upload)
{
	form *f = open_form(shipped, "uploadToken", "upload");
	cr_assert_eq(at(f, "fileData")->kind, FORM_FILE);
	form_set_value(f, row(f, "uploadTokenId"), "0_t");
	form_set_enabled(f, row(f, "fileData"), true);
	kt_request r;
	const schema_action *a = form_action(f);
	request_init(&r, a->service->id, a->name);
	kt_error err;
	size_t bad;
	cr_assert_eq(form_build(f, &r, &err, &bad), -1, "an empty path is no file");
	cr_assert_eq(bad, row(f, "fileData"));
	cr_assert(strstr(err.msg, "fileData: give the path of the file to upload"), "%s", err.msg);
	request_free(&r);

	form_set_value(f, row(f, "fileData"), "/tmp/clip.mp4");
	build_ok(f, &r);
	cr_assert_null(param_find(r.params, "fileData"));
	cr_assert_eq(r.nfiles, 1);
	cr_assert_str_eq(r.files[0].name, "fileData");
	cr_assert_str_eq(r.files[0].path, "/tmp/clip.mp4");

	form *g = open_form(shipped, "uploadToken", "upload");
	cr_assert_eq(form_fill(g, &r, NULL, 0), 0);
	cr_assert_str_eq(at(g, "fileData")->value, "/tmp/clip.mp4");
	cr_assert(at(g, "fileData")->enabled);
	request_free(&r);
	form_free(g);

	char *old = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
	setenv("HOME", "/home/me", 1);
	form_set_value(f, row(f, "fileData"), "~/clip.mp4");
	build_ok(f, &r);
	cr_assert_str_eq(r.files[0].path, "/home/me/clip.mp4");
	request_free(&r);
	if (old)
		setenv("HOME", old, 1);
	free(old);

	/* a file to upload where the form has no file row is said skipped */
	form *h = open_form(shipped, "category", "get");
	request_init(&r, "category", "get");
	request_add_file(&r, "fileData", "/x");
	char skipped[64];
	cr_assert_eq(form_fill(h, &r, skipped, sizeof skipped), 1);
	cr_assert_str_eq(skipped, "fileData");
	request_free(&r);
	form_free(h);
	form_free(f);
}
