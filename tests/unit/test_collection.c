/* collection: saved requests: the file format both ways, replacing by name, secrets left out,
 * errors that name the line and leave the collection as it was, the file's mode. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "collection.h"
#include "files.h"
#include "util.h"

static char dir[] = "/tmp/kt-coll-XXXXXX";

static void setup(void)
{
	strcpy(dir, "/tmp/kt-coll-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
	char *cmd = kt_xasprintf("rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
	free(cmd);
}

TestSuite(collection, .init = setup, .fini = teardown);

static const char two[] = "# team requests\n"
			  "[demo categories]\n"
			  "@service = category\n"
			  "@action = list\n"
			  "filter:objectType = KalturaCategoryFilter\n"
			  "pager:pageSize = 5\n"
			  "\n"
			  "[start [admin]]\n"
			  "@service = session\n"
			  "@action = start\n"
			  "secret = leaked-in-by-hand\n"
			  "type = 2\n";

Test(collection, parse_format_parse)
{
	collection c;
	collection_init(&c);
	size_t dropped = 0;
	kt_error err = {0};
	cr_assert_eq(collection_parse(&c, two, &dropped, &err), 0, "%s", err.msg);
	cr_assert_eq(c.n, 2);
	cr_assert_eq(dropped, 1);
	const coll_entry *e = collection_find(&c, "start [admin]");
	cr_assert_not_null(e);
	cr_assert_str_eq(e->req.action, "start");
	cr_assert_null(param_find(e->req.params, "secret"));
	cr_assert_str_eq(param_find(e->req.params, "type")->value, "2");
	char *text = collection_format(&c);
	cr_assert_null(strstr(text, "leaked-in-by-hand"));
	collection d;
	collection_init(&d);
	cr_assert_eq(collection_parse(&d, text, NULL, &err), 0, "%s", err.msg);
	char *again = collection_format(&d);
	cr_assert_str_eq(again, text);
	free(text);
	free(again);
	collection_free(&c);
	collection_free(&d);
}

Test(collection, put_replaces_and_remove)
{
	collection c;
	collection_init(&c);
	kt_request r;
	request_init(&r, "user", "get");
	request_set_field(&r.ks, "djJ8a3M=");
	param_set(r.params, "userId", "alice", NULL);
	param_set(r.params, "password", "pw", NULL);
	cr_assert_eq(collection_put(&c, "who", &r, NULL), 2); /* the ks field and the password */
	param_set(r.params, "userId", "bob", NULL);
	cr_assert_eq(collection_put(&c, "who", &r, NULL), 2);
	cr_assert_eq(c.n, 1);
	cr_assert_str_eq(param_find(c.e[0].req.params, "userId")->value, "bob");
	cr_assert_null(c.e[0].req.ks);
	kt_error err = {0};
	cr_assert_eq(collection_put(&c, "", &r, &err), -1);
	cr_assert_eq(collection_put(&c, "a\nb", &r, &err), -1);
	cr_assert_eq(err.code, KT_E_USAGE);
	cr_assert(collection_remove(&c, "who"));
	cr_assert_not(collection_remove(&c, "who"));
	cr_assert_eq(c.n, 0);
	request_free(&r);
	collection_free(&c);
}

Test(collection, errors_name_the_line_and_change_nothing)
{
	collection c;
	collection_init(&c);
	cr_assert_eq(collection_parse(&c, two, NULL, NULL), 0);
	kt_error err = {0};
	cr_assert_eq(collection_parse(&c, "@service = a\n", NULL, &err), -1);
	cr_assert_str_eq(err.msg, "line 1: a request starts with a [name] line");
	cr_assert_eq(collection_parse(&c, "[x]\n@service = a\n@action = b\n[y]\n@action = b\n",
				      NULL, &err), -1);
	cr_assert_str_eq(err.msg, "request 'y' (line 4): no @service line");
	cr_assert_eq(collection_parse(&c, "[x]\n@service = a\n@action = b\nbad line\n", NULL, &err),
		     -1);
	cr_assert_str_eq(err.msg, "line 4: not 'name = value'");
	cr_assert_eq(c.n, 2);
	cr_assert_null(collection_find(&c, "x"));
	collection_free(&c);
}

Test(collection, save_and_load_mode_0600)
{
	char *path = kt_xasprintf("%s/sub/requests.txt", dir);
	collection c;
	collection_init(&c);
	cr_assert_eq(collection_load(&c, path, NULL), 0); /* none yet: empty */
	cr_assert_eq(c.n, 0);
	cr_assert_eq(collection_parse(&c, two, NULL, NULL), 0);
	kt_error err = {0};
	cr_assert_eq(collection_save(&c, path, &err), 0, "%s", err.msg);
	struct stat st;
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600);
	collection d;
	collection_init(&d);
	cr_assert_eq(collection_load(&d, path, &err), 0, "%s", err.msg);
	cr_assert_eq(d.n, 2);
	cr_assert_str_eq(d.e[0].name, "demo categories");
	FILE *f = fopen(path, "w");
	fputs("[x]\ngarbage\n", f);
	fclose(f);
	collection_free(&d);
	collection_init(&d);
	cr_assert_eq(collection_load(&d, path, &err), -1);
	cr_assert_eq(err.code, KT_E_DATA);
	cr_assert_not_null(strstr(err.msg, "line 2"));
	collection_free(&c);
	collection_free(&d);
	free(path);
}
