/* The compiled schema image: written on the first load, mapped on the next, the same model
 * either way; a corrupt, truncated or stale image is refused and rebuilt. */
#include <criterion/criterion.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "files.h"
#include "schema.h"
#include "util.h"

static char cache[] = "/tmp/kt-image-XXXXXX";
static char schema_file[300];

static void setup(void)
{
	cr_assert_not_null(mkdtemp(cache));
	setenv("XDG_CACHE_HOME", cache, 1);
	unsetenv("KTESTME_NO_SCHEMA_CACHE");
	const char *dir = getenv("KT_TESTDATA");
	size_t len;
	kt_error err;
	char *path = kt_xasprintf("%s/schema-small.xml", dir ? dir : "tests/data");
	char *body = files_read(path, &len, &err);
	cr_assert_not_null(body, "%s", err.msg);
	snprintf(schema_file, sizeof schema_file, "%s/schema.xml", cache);
	cr_assert_eq(files_write_atomic(schema_file, body, len, &err), 0, "%s", err.msg);
	free(body);
	free(path);
}

static void teardown(void)
{
	char *cmd = kt_xasprintf("rm -rf '%s'", cache);
	cr_assert_eq(system(cmd), 0);
	free(cmd);
}

/* The one image file's path (NULL when none; fails on more than want). */
static char *image_path(size_t want)
{
	char *dir = kt_xasprintf("%s/ktestme/compiled", cache);
	DIR *d = opendir(dir);
	char *found = NULL;
	size_t n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.') {
			n++;
			free(found);
			found = kt_xasprintf("%s/%s", dir, e->d_name);
		}
	if (d)
		closedir(d);
	free(dir);
	cr_assert_eq(n, want, "%zu images, expected %zu", n, want);
	return found;
}

static schema *load(bool want_mapped)
{
	kt_error err = {0};
	schema *s = schema_load_file(schema_file, &err);
	cr_assert_not_null(s, "%s", err.msg);
	cr_assert_eq(schema_is_mapped(s), want_mapped);
	return s;
}

/* The same model, asked through the lookups and walked through the lists. */
static void same_model(const schema *a, const schema *b)
{
	cr_assert_eq(a->nservices, b->nservices);
	cr_assert_eq(a->nclasses, b->nclasses);
	cr_assert_eq(a->nenums, b->nenums);
	cr_assert_eq(a->nerrors, b->nerrors);
	cr_assert_str_eq(a->path, b->path);
	for (size_t i = 0; i < a->nservices; i++) {
		const schema_service *x = a->services[i], *y = b->services[i];
		cr_assert_str_eq(x->id, y->id);
		cr_assert_eq(schema_find_service(b, x->name), y);
		cr_assert_eq(x->nactions, y->nactions);
		for (size_t j = 0; j < x->nactions; j++) {
			const schema_action *p = &x->actions[j], *q = &y->actions[j];
			cr_assert_str_eq(p->name, q->name);
			cr_assert_eq(schema_find_action(y, p->name), q);
			cr_assert_eq(q->service, y);
			cr_assert_eq(p->nparams, q->nparams);
			for (size_t k = 0; k < p->nparams; k++) {
				cr_assert_str_eq(p->params[k].name, q->params[k].name);
				cr_assert_eq(schema_find_param(q, p->params[k].name), &q->params[k]);
				cr_assert_eq(!p->params[k].type_class, !q->params[k].type_class);
			}
		}
	}
	for (size_t i = 0; i < a->nclasses; i++) {
		const schema_class *x = a->classes[i], *y = b->classes[i];
		cr_assert_str_eq(x->name, y->name);
		cr_assert_eq(schema_find_class(b, x->name), y);
		cr_assert_eq(x->nall_props, y->nall_props);
		for (size_t k = 0; k < x->nall_props; k++) {
			cr_assert_str_eq(x->all_props[k]->name, y->all_props[k]->name);
			cr_assert_eq(schema_class_find_property(y, x->all_props[k]->name),
				     y->all_props[k]);
		}
	}
	for (size_t i = 0; i < a->nenums; i++) {
		const schema_enum *x = a->enums[i], *y = b->enums[i];
		cr_assert_eq(schema_find_enum(b, x->name), y);
		for (size_t k = 0; k < x->nconsts; k++)
			cr_assert_eq(schema_enum_find_const(y, x->consts[k].name), &y->consts[k]);
	}
	for (size_t i = 0; i < a->nerrors; i++)
		cr_assert_eq(schema_find_error(b, a->errors[i]->code), b->errors[i]);
}

TestSuite(schema_image, .init = setup, .fini = teardown);

Test(schema_image, written_once_then_mapped_with_the_same_model)
{
	schema *parsed = load(false);
	char *img = image_path(1);
	struct stat sb;
	cr_assert_eq(stat(img, &sb), 0);
	cr_assert_eq(sb.st_mode & 0777, 0600);
	schema *mapped = load(true);
	same_model(parsed, mapped);
	schema_free(mapped);
	setenv("KTESTME_NO_SCHEMA_CACHE", "1", 1);
	schema *plain = load(false);
	same_model(parsed, plain);
	schema_free(plain);
	schema_free(parsed);
	free(img);
}

static void damage(const char *path, long at, const char *bytes, size_t n)
{
	FILE *f = fopen(path, "r+");
	cr_assert_not_null(f);
	if (at < 0) {
		fseek(f, 0, SEEK_END);
		at += ftell(f);
	}
	fseek(f, at, SEEK_SET);
	fwrite(bytes, 1, n, f);
	fclose(f);
}

Test(schema_image, a_corrupt_image_is_rebuilt)
{
	schema_free(load(false));
	char *img = image_path(1);
	size_t len;
	kt_error err;
	char *good = files_read(img, &len, &err);
	cr_assert_not_null(good);
	/* a byte in the model, the header's magic, the end: each refused, then rewritten */
	const long places[] = {(long)len / 2, 0, -1};
	for (size_t i = 0; i < sizeof places / sizeof places[0]; i++) {
		damage(img, places[i], "\x5a\x5a\x5a\x5a", places[i] < 0 ? 1 : 4);
		size_t n;
		char *bad = files_read(img, &n, &err);
		schema_free(load(false));
		char *now = files_read(img, &n, &err);
		/* the same bytes as the first: nothing of the process's memory goes into it */
		cr_assert(n == len && !memcmp(now, good, len), "the image was not rebuilt");
		free(now);
		free(bad);
		schema_free(load(true));
	}
	/* cut short */
	cr_assert_eq(truncate(img, (off_t)len / 3), 0);
	schema_free(load(false));
	schema_free(load(true));
	free(good);
	free(img);
}

Test(schema_image, an_edited_schema_gets_an_image_of_its_own)
{
	schema_free(load(false));
	schema_free(load(true));
	FILE *f = fopen(schema_file, "a");
	cr_assert_not_null(f);
	fputs("<!-- edited -->\n", f);
	fclose(f);
	schema_free(load(false));
	free(image_path(2));
	schema_free(load(true));
}

Test(schema_image, no_cache_directory_still_loads)
{
	/* a cache directory that cannot be made: under a regular file */
	char *under = kt_xasprintf("%s/cache", schema_file);
	setenv("XDG_CACHE_HOME", under, 1);
	free(under);
	schema_free(load(false));
	schema_free(load(false));
}
