/* libFuzzer target: region resolution (a region name, a URL, the environment's URL) and the
 * schema cache's URL-to-file mapping, which must stay one file inside the cache directory
 * whatever the URL holds. Input: region NUL url. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "region.h"
#include "schema_cache.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char base[] = "/nonexistent-kt-fuzz";
	setenv("XDG_CACHE_HOME", base, 1);
	char *s = kt_xmalloc(size + 2);
	memcpy(s, data, size);
	s[size] = s[size + 1] = '\0';
	const char *region = s, *url = s + strlen(s) + (strlen(s) < size);
	char *u;
	if ((u = region_resolve(region, NULL, NULL, NULL)))
		free(u);
	if ((u = region_resolve(NULL, url, NULL, NULL)))
		free(u);
	if ((u = region_resolve(NULL, NULL, url, NULL)))
		free(u);
	char *path = schema_cache_path(url, NULL);
	if (path) {
		const char *dir = "/nonexistent-kt-fuzz/ktestme/schemas/";
		const char *name = path + strlen(dir);
		/* one plain file name under the directory: no '/', no "..", no control byte */
		if (strncmp(path, dir, strlen(dir)) || strchr(name, '/') || !strcmp(name, "..xml") ||
		    !strncmp(name, "..", 2) || !*name)
			abort();
		for (const char *p = name; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				abort();
		free(path);
	}
	free(s);
	return 0;
}
