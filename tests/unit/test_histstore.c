/* histstore: the persistent history: entries survive a reopen, newest first, filter, caps by
 * count and bytes, the file's mode, no secret in the file's bytes, two stores on one file, and
 * a damaged, locked or unusable file set aside with one warning and no entry lost. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "files.h"
#include "histstore.h"
#include "ks.h"
#include "util.h"

static char dir[] = "/tmp/kt-hist-XXXXXX";
static char *path;

static void setup(void)
{
	strcpy(dir, "/tmp/kt-hist-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	path = kt_xasprintf("%s/state/history.db", dir);
}

static void teardown(void)
{
	char *cmd = kt_xasprintf("rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
	free(cmd);
	free(path);
}

TestSuite(histstore, .init = setup, .fini = teardown);

static long long add(hstore *h, const char *service, const char *action, const char *id,
		     const char *result)
{
	kt_request r;
	request_init(&r, service, action);
	if (id)
		param_set(r.params, "id", id, NULL);
	hstore_record rec = {.endpoint = "local", .req = &r, .when = 1700000000, .http_status = 200,
			     .duration = 0.25, .result = result,
			     .result_len = result ? strlen(result) : 0};
	long long n = hstore_add(h, &rec);
	request_free(&r);
	return n;
}

Test(histstore, entries_survive_a_reopen_newest_first)
{
	hstore *h = hstore_open(path, NULL);
	cr_assert(hstore_persistent(h));
	cr_assert_null(hstore_take_warning(h));
	long long a = add(h, "category", "get", "5", "<xml>five</xml>");
	long long b = add(h, "user", "list", NULL, NULL);
	cr_assert(a > 0 && b > a);
	hstore_close(h);

	h = hstore_open(path, NULL);
	hstore_entry *e;
	size_t n = hstore_list(h, NULL, 0, &e);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(e[0].service, "user");
	cr_assert_str_eq(e[1].action, "get");
	cr_assert_null(e[1].result); /* lists do not load results */
	hstore_entries_free(e, n);
	hstore_entry one;
	cr_assert_eq(hstore_get(h, a, &one), 0);
	cr_assert_str_eq(one.result, "<xml>five</xml>");
	cr_assert_eq(one.http_status, 200);
	kt_request r;
	cr_assert_eq(hstore_entry_request(&one, &r, NULL), 0);
	cr_assert_str_eq(param_find(r.params, "id")->value, "5");
	request_free(&r);
	hstore_entry_free(&one);
	cr_assert(hstore_delete(h, a));
	cr_assert_not(hstore_delete(h, a));
	cr_assert_eq(hstore_get(h, a, &one), -1);
	cr_assert_eq(hstore_count(h), 1);
	hstore_close(h);
}

Test(histstore, filter_words_and_previous_of_the_same_action)
{
	hstore *h = hstore_open(path, NULL);
	long long a = add(h, "category", "get", "5", NULL);
	add(h, "user", "get", "alice", NULL);
	long long c = add(h, "category", "get", "7", NULL);
	hstore_entry *e;
	size_t n = hstore_list(h, "CATEGORY get", 0, &e);
	cr_assert_eq(n, 2);
	hstore_entries_free(e, n);
	n = hstore_list(h, "alice", 0, &e);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(e[0].service, "user");
	hstore_entries_free(e, n);
	n = hstore_list(h, "nothing-like-this", 0, &e);
	cr_assert_eq(n, 0);
	hstore_entries_free(e, n);
	hstore_entry prev;
	cr_assert_eq(hstore_previous_same(h, c, &prev), 0);
	cr_assert_eq(prev.id, a);
	hstore_entry_free(&prev);
	cr_assert_eq(hstore_previous_same(h, a, &prev), -1);
	hstore_close(h);
}

Test(histstore, capped_by_count_and_bytes)
{
	hstore_opts o = {.max_entries = 5, .max_bytes = 4096};
	hstore *h = hstore_open(path, &o);
	long long last = 0;
	for (int i = 0; i < 12; i++)
		last = add(h, "category", "get", "1", NULL);
	cr_assert_eq(hstore_count(h), 5);
	char big[1500];
	memset(big, 'r', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	for (int i = 0; i < 4; i++)
		last = add(h, "category", "get", "1", big);
	hstore_entry e;
	cr_assert_eq(hstore_get(h, last, &e), 0);
	cr_assert_not_null(e.result, "the newest result stays");
	hstore_entry_free(&e);
	cr_assert_eq(hstore_get(h, last - 3, &e), 0);
	cr_assert_null(e.result, "the oldest results go first");
	hstore_entry_free(&e);
	/* a result larger than the cap alone is not kept; the entry is */
	char *huge = kt_xmalloc(8192);
	memset(huge, 'h', 8191);
	huge[8191] = '\0';
	last = add(h, "category", "get", "1", huge);
	cr_assert_eq(hstore_get(h, last, &e), 0);
	cr_assert_null(e.result);
	hstore_entry_free(&e);
	free(huge);
	hstore_close(h);
}

static char *file_bytes(const char *p, size_t *len)
{
	char *data = files_read(p, len, NULL);
	if (!data) {
		*len = 0;
		return kt_xstrdup("");
	}
	return data;
}

Test(histstore, mode_0600_and_no_secret_in_the_file)
{
	ks_fields f = {.version = 1, .partner_id = 1234, .valid_until = 4102444800LL, .type = 2};
	char *ks = NULL;
	cr_assert_eq(ks_generate(&f, "admin-secret-xyz", &ks, NULL), 0);
	hstore *h = hstore_open(path, NULL);
	kt_request r;
	request_init(&r, "session", "start");
	request_set_field(&r.ks, ks);
	param_set(r.params, "secret", "admin-secret-xyz", NULL);
	param_set(r.params, "partnerId", "1234", NULL);
	char *msg = kt_xasprintf("Invalid KS \"%s\", Error \"-1,INVALID_STR\"", ks);
	char *body = kt_xasprintf("<xml><result>%s</result></xml>", ks);
	hstore_record rec = {.endpoint = "local", .req = &r, .when = 1, .http_status = 200,
			     .error_code = "INVALID_KS", .error_message = msg, .result = body,
			     .result_len = strlen(body)};
	long long id = hstore_add(h, &rec);
	cr_assert(id > 0);
	/* a result the caller flags is not kept either */
	rec.result = "<xml><result>token abc</result></xml>";
	rec.result_len = strlen(rec.result);
	rec.result_has_secret = true;
	long long id2 = hstore_add(h, &rec);
	hstore_entry e;
	cr_assert_eq(hstore_get(h, id, &e), 0);
	cr_assert_null(e.result);
	cr_assert_str_eq(e.error_message, "Invalid KS \"***\", Error \"-1,INVALID_STR\"");
	cr_assert_null(strstr(e.request, "admin-secret-xyz"));
	hstore_entry_free(&e);
	cr_assert_eq(hstore_get(h, id2, &e), 0);
	cr_assert_null(e.result);
	hstore_entry_free(&e);

	/* every file in the directory: mode 0600, none holds the secret or the KS */
	char *sdir = kt_xasprintf("%s/state", dir);
	DIR *d = opendir(sdir);
	cr_assert_not_null(d);
	struct dirent *de;
	size_t files = 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char *p = kt_xasprintf("%s/%s", sdir, de->d_name);
		struct stat st;
		cr_assert_eq(stat(p, &st), 0);
		cr_assert_eq(st.st_mode & 0777, 0600, "%s has mode %o", p, st.st_mode & 0777);
		size_t len;
		char *bytes = file_bytes(p, &len);
		cr_assert_null(memmem(bytes, len, "admin-secret-xyz", 16), "%s holds the secret", p);
		cr_assert_null(memmem(bytes, len, ks, strlen(ks)), "%s holds the KS", p);
		free(bytes);
		free(p);
		files++;
	}
	closedir(d);
	cr_assert(files >= 1);
	hstore_close(h);
	request_free(&r);
	free(sdir);
	free(msg);
	free(body);
	free(ks);
}

Test(histstore, two_stores_on_one_file)
{
	hstore *a = hstore_open(path, NULL), *b = hstore_open(path, NULL);
	for (int i = 0; i < 10; i++) {
		cr_assert(add(a, "a", "x", NULL, NULL) > 0);
		cr_assert(add(b, "b", "y", NULL, NULL) > 0);
	}
	cr_assert(hstore_persistent(a) && hstore_persistent(b));
	cr_assert_eq(hstore_count(a), 20);
	hstore_close(a);
	hstore_close(b);
}

Test(histstore, damaged_file_is_set_aside_once)
{
	char *sdir = kt_xasprintf("%s/state", dir);
	cr_assert_eq(files_mkdirs(sdir, NULL), 0);
	FILE *f = fopen(path, "w");
	for (int i = 0; i < 400; i++)
		fputs("this is not a database at all ", f);
	fclose(f);
	hstore *h = hstore_open(path, NULL);
	char *w = hstore_take_warning(h);
	cr_assert_not_null(w);
	cr_assert_not_null(strstr(w, "was damaged, kept aside as .corrupt"), "%s", w);
	free(w);
	cr_assert_null(hstore_take_warning(h), "said once");
	cr_assert(hstore_persistent(h));
	cr_assert(add(h, "category", "get", "1", NULL) > 0);
	hstore_close(h);
	char *aside = kt_xasprintf("%s.corrupt", path);
	cr_assert_eq(access(aside, F_OK), 0);
	h = hstore_open(path, NULL);
	cr_assert_null(hstore_take_warning(h));
	cr_assert_eq(hstore_count(h), 1);
	hstore_close(h);
	free(aside);
	free(sdir);
}

Test(histstore, unusable_place_keeps_entries_in_memory)
{
	/* the state directory is a file: nothing can be made there (as root, modes would not
	 * stop us, but this does) */
	char *file = kt_xasprintf("%s/state", dir);
	FILE *f = fopen(file, "w");
	fclose(f);
	hstore *h = hstore_open(path, NULL);
	cr_assert_not(hstore_persistent(h));
	char *w = hstore_take_warning(h);
	cr_assert_not_null(w);
	cr_assert_not_null(strstr(w, "kept in memory"), "%s", w);
	free(w);
	cr_assert(add(h, "category", "get", "1", NULL) > 0);
	cr_assert(add(h, "category", "get", "2", NULL) > 0);
	cr_assert_eq(hstore_count(h), 2);
	cr_assert_null(hstore_take_warning(h));
	hstore_close(h);
	free(file);
}

Test(histstore, locked_file_goes_to_memory_with_what_it_had)
{
	hstore_opts o = {.busy_ms = 50};
	hstore *h = hstore_open(path, &o);
	cr_assert(add(h, "category", "get", "1", NULL) > 0);
	sqlite3 *other;
	cr_assert_eq(sqlite3_open(path, &other), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(other, "BEGIN EXCLUSIVE", NULL, NULL, NULL), SQLITE_OK);
	cr_assert(add(h, "category", "get", "2", NULL) > 0, "the entry is not lost");
	cr_assert_not(hstore_persistent(h));
	char *w = hstore_take_warning(h);
	cr_assert_not_null(w);
	free(w);
	cr_assert_eq(hstore_count(h), 2, "the old entry came along");
	sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(other);
	hstore_close(h);
}
