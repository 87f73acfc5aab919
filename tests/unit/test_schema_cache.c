#include <criterion/criterion.h>
#include <stdlib.h>

#include "schema_cache.h"

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
