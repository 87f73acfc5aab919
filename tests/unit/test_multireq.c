/* multireq: the multirequest builder: the request it builds (N: keys, the fields once), the
 * back-reference paths offered from the schema's result types, and references that follow
 * their items when items move or go. Against the shipped schema. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "multireq.h"
#include "schema.h"
#include "util.h"

static schema *shipped;

static void load(void)
{
	kt_error err = {0};
	shipped = schema_load_file(schema_default_path(), &err);
	cr_assert_not_null(shipped, "%s", err.msg);
}

static void unload(void)
{
	schema_free(shipped);
}

TestSuite(multireq, .init = load, .fini = unload);

static size_t add(multireq *m, const char *service, const char *action)
{
	const schema_action *a = schema_find(shipped, service, action);
	cr_assert_not_null(a);
	return mr_add(m, shipped, a);
}

static void set(multireq *m, size_t item, const char *key, const char *value)
{
	form *f = m->items[item].f;
	size_t i = form_find(f, key);
	if (i == FORM_NONE)
		i = form_field(f, key);
	cr_assert_neq(i, FORM_NONE, "%s", key);
	cr_assert_eq(form_set_value(f, i, value), 0);
}

static const char *value(const multireq *m, size_t item, const char *key)
{
	const form *f = m->items[item].f;
	size_t i = form_find(f, key);
	if (i == FORM_NONE)
		i = form_field(f, key);
	return form_row_at(f, i)->value;
}

Test(multireq, builds_the_items_under_their_numbers)
{
	multireq m;
	mr_init(&m);
	kt_request r;
	request_init(&r, "", NULL);
	kt_error err = {0};
	cr_assert_eq(mr_build(&m, NULL, &r, &err, NULL, NULL), -1);
	cr_assert_str_eq(err.msg, "the multirequest has no request yet");
	add(&m, "session", "start");
	add(&m, "category", "get");
	set(&m, 0, "secret", "s3");
	set(&m, 0, "partnerId", "1234");
	set(&m, 1, "id", "2");
	set(&m, 1, "ks", "{1:result}");
	form *fields = form_new(shipped, NULL);
	form_set_value(fields, form_field(fields, "format"), "JSON");
	cr_assert_eq(mr_build(&m, fields, &r, &err, NULL, NULL), 0, "%s", err.msg);
	cr_assert(request_is_multi(&r));
	cr_assert_eq(r.format, 1);
	cr_assert_str_eq(param_find(r.params, "1:service")->value, "session");
	cr_assert_str_eq(param_find(r.params, "1:action")->value, "start");
	cr_assert_str_eq(param_find(r.params, "1:secret")->value, "s3");
	cr_assert_str_eq(param_find(r.params, "2:service")->value, "category");
	cr_assert_str_eq(param_find(r.params, "2:id")->value, "2");
	cr_assert_str_eq(param_find(r.params, "2:ks")->value, "{1:result}");
	cr_assert_null(param_find(r.params, "1:ks"), "an item without a ks of its own has the shared one");
	request_free(&r);
	/* an invalid row names its item */
	set(&m, 1, "id", "two");
	request_init(&r, "", NULL);
	size_t bad_item = 0;
	cr_assert_eq(mr_build(&m, fields, &r, &err, &bad_item, NULL), -1);
	cr_assert_eq(bad_item, 1);
	cr_assert_str_eq(err.msg, "item 2 (category.get): id: not an integer");
	request_free(&r);
	form_free(fields);
	mr_free(&m);
}

Test(multireq, reference_paths_from_result_types)
{
	char **p;
	size_t n = mr_ref_paths(schema_find(shipped, "session", "start"), 1, &p);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(p[0], "{1:result}");
	mr_paths_free(p, n);
	n = mr_ref_paths(schema_find(shipped, "category", "list"), 2, &p);
	bool total = false, obj_id = false, full = false;
	for (size_t i = 0; i < n; i++) {
		total |= !strcmp(p[i], "{2:result:totalCount}");
		obj_id |= !strcmp(p[i], "{2:result:objects:0:id}");
		full |= !strcmp(p[i], "{2:result:objects:0:fullName}");
		cr_assert_null(strstr(p[i], "objects}"), "%s: the array itself is no value", p[i]);
	}
	cr_assert(total && obj_id && full);
	mr_paths_free(p, n);
	n = mr_ref_paths(schema_find(shipped, "session", "get"), 3, &p);
	bool ks = false;
	for (size_t i = 0; i < n; i++)
		ks |= !strcmp(p[i], "{3:result:ks}");
	cr_assert(ks);
	mr_paths_free(p, n);
}

Test(multireq, references_follow_their_items)
{
	multireq m;
	mr_init(&m);
	add(&m, "session", "start");
	add(&m, "category", "list");
	add(&m, "category", "get");
	set(&m, 1, "ks", "{1:result}");
	set(&m, 2, "ks", "{1:result}");
	set(&m, 2, "id", "{2:result:objects:0:id}");
	/* the list moves to the top: its references swap numbers with the session's */
	cr_assert_eq(mr_move(&m, 1, -1), 0);
	cr_assert_str_eq(m.items[0].action->name, "list");
	cr_assert_str_eq(value(&m, 0, "ks"), "{2:result}");
	cr_assert_str_eq(value(&m, 2, "ks"), "{2:result}");
	cr_assert_str_eq(value(&m, 2, "id"), "{1:result:objects:0:id}");
	cr_assert_eq(mr_move(&m, 0, -1), -1);
	cr_assert_eq(mr_move(&m, 2, 1), -1);
	/* the first goes: later references come down by one */
	cr_assert_eq(mr_remove(&m, 0), 0);
	cr_assert_eq(m.n, 2);
	cr_assert_str_eq(value(&m, 1, "ks"), "{1:result}");
	cr_assert_eq(mr_remove(&m, 5), -1);
	mr_free(&m);
}

Test(multireq, rebuilt_from_its_request)
{
	multireq m, back;
	mr_init(&m);
	mr_init(&back);
	add(&m, "session", "start");
	add(&m, "category", "get");
	set(&m, 0, "partnerId", "1234");
	set(&m, 0, "type", "2");
	set(&m, 1, "ks", "{1:result}");
	set(&m, 1, "id", "7");
	form *fields = form_new(shipped, NULL);
	form_set_value(fields, form_field(fields, "clientTag"), "mine");
	kt_request r;
	request_init(&r, "", NULL);
	kt_error err = {0};
	cr_assert_eq(mr_build(&m, fields, &r, &err, NULL, NULL), 0, "%s", err.msg);
	form *again = form_new(shipped, NULL);
	cr_assert_eq(mr_from_request(&back, shipped, &r, again, &err), 0, "%s", err.msg);
	cr_assert_eq(back.n, 2);
	cr_assert_str_eq(back.items[0].action->name, "start");
	cr_assert_str_eq(back.items[1].action->service->name, "category");
	cr_assert_str_eq(value(&back, 0, "partnerId"), "1234");
	cr_assert_str_eq(value(&back, 1, "ks"), "{1:result}");
	cr_assert_str_eq(value(&back, 1, "id"), "7");
	cr_assert_str_eq(form_row_at(again, form_field(again, "clientTag"))->value, "mine");
	request_free(&r);
	mr_free(&back);
	/* an action the schema does not know names its item; nothing is left half made */
	request_init(&r, "multirequest", NULL);
	param_set(r.params, "1:service", "session", NULL);
	param_set(r.params, "1:action", "start", NULL);
	param_set(r.params, "2:service", "nosuch", NULL);
	param_set(r.params, "2:action", "list", NULL);
	cr_assert_eq(mr_from_request(&back, shipped, &r, NULL, &err), -1);
	cr_assert_str_eq(err.msg, "item 2: nosuch.list is not in the schema");
	cr_assert_eq(back.n, 0);
	request_free(&r);
	request_init(&r, "multirequest", NULL);
	cr_assert_eq(mr_from_request(&back, shipped, &r, NULL, &err), -1);
	request_free(&r);
	form_free(again);
	form_free(fields);
	mr_free(&m);
}
