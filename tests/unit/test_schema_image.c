/* The compiled schema image: written on the first load, mapped on the next, the same model
 * either way; a corrupt, truncated or stale image is refused and rebuilt. */
#include <criterion/criterion.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
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
	/* a file just written gets its identity record at once (the tests below make sure their
	 * changes land in a later clock tick) */
	schema_set_identity_margin(0);
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

/* The one cache file ending in suffix (NULL when none; fails on more than want). */
static char *cache_file(const char *suffix, size_t want)
{
	char *dir = kt_xasprintf("%s/ktestme/compiled", cache);
	DIR *d = opendir(dir);
	char *found = NULL;
	size_t n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.' && strlen(e->d_name) > strlen(suffix) &&
		    !strcmp(e->d_name + strlen(e->d_name) - strlen(suffix), suffix)) {
			n++;
			free(found);
			found = kt_xasprintf("%s/%s", dir, e->d_name);
		}
	if (d)
		closedir(d);
	free(dir);
	cr_assert_eq(n, want, "%zu %s files, expected %zu", n, suffix, want);
	return found;
}

static char *image_path(size_t want)
{
	return cache_file(".img", want);
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

/* ---- finding the image without reading the schema: the file's identity record ---- */

static const char *base_entry_description(const schema *s)
{
	const schema_class *c = schema_find_class(s, "KalturaBaseEntry");
	cr_assert_not_null(c);
	return c->description;
}

/* Until a file made now gets a change time after the schema's: a write from here on moves it
 * (the file system's clock runs in ticks of a few milliseconds). */
static void next_clock_tick(void)
{
	struct stat was, probe;
	cr_assert_eq(stat(schema_file, &was), 0);
	char *p = kt_xasprintf("%s/probe", cache);
	for (;;) {
		FILE *f = fopen(p, "w");
		cr_assert_not_null(f);
		fclose(f);
		cr_assert_eq(stat(p, &probe), 0);
		if (probe.st_ctim.tv_sec != was.st_ctim.tv_sec ||
		    probe.st_ctim.tv_nsec != was.st_ctim.tv_nsec)
			break;
		struct timespec ms = {0, 1000000};
		nanosleep(&ms, NULL);
	}
	unlink(p);
	free(p);
}

/* Rewrites what is at `at` in the schema with the same number of bytes, in place. */
static void edit_in_place(const char *from, const char *to)
{
	size_t len;
	kt_error err;
	char *body = files_read(schema_file, &len, &err);
	cr_assert_not_null(body);
	char *at = strstr(body, from);
	cr_assert_not_null(at);
	cr_assert_eq(strlen(from), strlen(to));
	int fd = open(schema_file, O_WRONLY);
	cr_assert_geq(fd, 0);
	cr_assert_eq(pwrite(fd, to, strlen(to), at - body), (ssize_t)strlen(to));
	close(fd);
	free(body);
}

/* The edit is in the model, parsed and then mapped. */
static void edit_seen(void)
{
	for (int mapped = 0; mapped < 2; mapped++) {
		schema *s = load(mapped);
		cr_assert_str_eq(base_entry_description(s), "A BASE entry");
		schema_free(s);
	}
}

static void set_mtime(const struct timespec *t)
{
	struct timespec both[2] = {*t, *t};
	cr_assert_eq(utimensat(AT_FDCWD, schema_file, both, 0), 0);
}

Test(schema_image, the_next_load_does_not_read_the_schema)
{
	unsigned long before = schema_source_hashes();
	schema_free(load(false));
	cr_assert_eq(schema_source_hashes(), before + 1);
	free(cache_file(".idx", 1));
	schema *s = load(true);
	schema *t = load(true); /* the first one's address is taken: moved, the same model */
	same_model(s, t);
	cr_assert_eq(schema_source_hashes(), before + 1, "the schema was read again");
	schema_free(t);
	schema_free(s);
}

Test(schema_image, same_size_new_modification_time_is_read_again)
{
	schema_free(load(false));
	schema_free(load(true));
	unsigned long before = schema_source_hashes();
	struct stat sb;
	cr_assert_eq(stat(schema_file, &sb), 0);
	edit_in_place("\"A base entry\"", "\"A BASE entry\"");
	struct timespec later = sb.st_mtim;
	later.tv_sec += 10;
	set_mtime(&later);
	edit_seen();
	cr_assert_eq(schema_source_hashes(), before + 1);
	free(image_path(2));
}

Test(schema_image, same_size_same_modification_time_is_caught_by_the_change_time)
{
	schema_free(load(false));
	schema_free(load(true));
	struct stat sb;
	cr_assert_eq(stat(schema_file, &sb), 0);
	next_clock_tick();
	edit_in_place("\"A base entry\"", "\"A BASE entry\"");
	set_mtime(&sb.st_mtim); /* as `touch -r` or a restore would */
	struct stat now;
	cr_assert_eq(stat(schema_file, &now), 0);
	cr_assert_eq(now.st_size, sb.st_size);
	cr_assert_eq(now.st_mtim.tv_nsec, sb.st_mtim.tv_nsec);
	edit_seen();
}

Test(schema_image, a_replaced_file_is_read_again)
{
	schema_free(load(false));
	schema_free(load(true));
	size_t len;
	kt_error err;
	char *body = files_read(schema_file, &len, &err);
	cr_assert_not_null(body);
	char *at = strstr(body, "\"A base entry\"");
	cr_assert_not_null(at);
	memcpy(at, "\"A BASE entry\"", 14);
	/* a new inode under the same name, as `schema update` writes it */
	cr_assert_eq(files_write_atomic(schema_file, body, len, &err), 0);
	free(body);
	edit_seen();
}

Test(schema_image, a_corrupt_image_behind_a_sound_record_is_rebuilt)
{
	schema_free(load(false));
	schema *good = load(true);
	char *img = image_path(1);
	damage(img, 4096, "\x5a\x5a\x5a\x5a", 4);
	unsigned long before = schema_source_hashes();
	schema *s = load(false);
	cr_assert_eq(schema_source_hashes(), before + 1);
	same_model(good, s);
	schema_free(s);
	s = load(true);
	same_model(good, s);
	schema_free(s);
	schema_free(good);
	free(img);
}

Test(schema_image, a_damaged_record_is_ignored_and_written_again)
{
	schema_free(load(false));
	char *idx = cache_file(".idx", 1);
	damage(idx, 20, "\x01", 1);
	unsigned long before = schema_source_hashes();
	schema_free(load(true)); /* found through the hash */
	cr_assert_eq(schema_source_hashes(), before + 1);
	schema_free(load(true)); /* and through the record again */
	cr_assert_eq(schema_source_hashes(), before + 1);
	free(idx);
}

Test(schema_image, a_file_changed_a_moment_ago_gets_no_record)
{
	schema_set_identity_margin(3600 * 1000000000LL);
	schema_free(load(false));
	schema_free(load(true));
	cr_assert_null(cache_file(".idx", 0));
	unsigned long before = schema_source_hashes();
	schema_free(load(true));
	cr_assert_eq(schema_source_hashes(), before + 1);
}
