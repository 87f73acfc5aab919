#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "files.h"
#include "schema_cache.h"
#include "util.h"

Test(schema_cache, one_file_per_host_and_port)
{
	setenv("XDG_CACHE_HOME", "/c", 1);
	unsetenv("KTESTME_SCHEMA");
	static const struct { const char *url, *path; } cases[] = {
		{"https://www.kaltura.com", "/c/ktestme/schemas/www.kaltura.com.xml"},
		{"https://API.EU.kaltura.com/", "/c/ktestme/schemas/api.eu.kaltura.com.xml"},
		{"http://127.0.0.1:8080/kaltura", "/c/ktestme/schemas/127.0.0.1_8080.xml"},
		{"http://user:pw@host", "/c/ktestme/schemas/host.xml"},
		{"http://[::1]:80", "/c/ktestme/schemas/___1__80.xml"},
		{"http://../x", "/c/ktestme/schemas/_.xml"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *p = schema_cache_path(cases[i].url, NULL);
		cr_assert_str_eq(p, cases[i].path, "%s", cases[i].url);
		free(p);
	}
}

Test(schema_cache, shipped_schema_without_a_cache)
{
	setenv("XDG_CACHE_HOME", "/nonexistent-kt", 1);
	unsetenv("KTESTME_SCHEMA");
	bool cached = true;
	char *p = schema_path_for("https://www.kaltura.com", &cached);
	cr_assert_not(cached);
	cr_assert_str_eq(p, schema_default_path());
	free(p);
	p = schema_path_for(NULL, &cached);
	cr_assert_not(cached);
	free(p);
}

Test(schema_cache, a_damaged_cache_falls_back_to_the_shipped_schema)
{
	char dir[] = "/tmp/kt-cache-XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	setenv("XDG_CACHE_HOME", dir, 1);
	unsetenv("KTESTME_SCHEMA");
	char *path = schema_cache_path("http://127.0.0.1:1", NULL);
	char *sub = kt_xstrdup(path);
	*strrchr(sub, '/') = '\0';
	cr_assert_eq(files_mkdirs(sub, NULL), 0);
	cr_assert_eq(files_write_atomic(path, "<xml><services", 14, NULL), 0);
	char *notice;
	kt_error err;
	schema *s = schema_load_for("http://127.0.0.1:1", &notice, &err);
	cr_assert_not_null(s, "%s", err.msg);
	cr_assert_gt(s->nservices, 0);
	cr_assert_not_null(notice);
	cr_assert(strstr(notice, path), "%s", notice);
	cr_assert(strstr(notice, "using the shipped one"), "%s", notice);
	schema_free(s);
	free(notice);
	/* without a cache: no notice */
	s = schema_load_for(NULL, &notice, &err);
	cr_assert_not_null(s);
	cr_assert_null(notice);
	schema_free(s);
	char *cmd = kt_xasprintf("rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
	free(cmd);
	free(sub);
	free(path);
}
