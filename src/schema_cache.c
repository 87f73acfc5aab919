#include "schema_cache.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "files.h"
#include "util.h"

/* "https://api.eu.kaltura.com:8443/path" -> "api.eu.kaltura.com_8443" */
static char *host_key(const char *url)
{
	const char *p = strstr(url, "://");
	p = p ? p + 3 : url;
	const char *at = strpbrk(p, "@/");
	if (at && *at == '@') /* user:password@ never belongs in a file name */
		p = at + 1;
	size_t n = strcspn(p, "/?#");
	char *key = kt_xstrndup(p, n);
	for (char *c = key; *c; c++) {
		if (isalnum((unsigned char)*c) || *c == '.' || *c == '-')
			*c = (char)tolower((unsigned char)*c);
		else
			*c = '_';
	}
	if (!*key || key[0] == '.') {
		free(key);
		return kt_xstrdup("_");
	}
	return key;
}

char *schema_cache_path(const char *service_url, kt_error *err)
{
	char *dir = files_cache_dir(err);
	if (!dir)
		return NULL;
	char *key = host_key(service_url);
	char *path = kt_xasprintf("%s/schemas/%s.xml", dir, key);
	free(key);
	free(dir);
	return path;
}

char *schema_path_for(const char *service_url, bool *cached)
{
	*cached = false;
	/* an explicit KTESTME_SCHEMA beats any cache */
	if (service_url && !getenv("KTESTME_SCHEMA")) {
		char *path = schema_cache_path(service_url, NULL);
		if (path && access(path, R_OK) == 0) {
			*cached = true;
			return path;
		}
		free(path);
	}
	return kt_xstrdup(schema_default_path());
}

schema *schema_load_for(const char *service_url, char **notice, kt_error *err)
{
	bool cached;
	*notice = NULL;
	char *path = schema_path_for(service_url, &cached);
	kt_error why = {0};
	schema *s = schema_load_file(path, cached ? &why : err);
	if (!s && cached) {
		/* a damaged cache must not lock the user out: the shipped schema still works */
		s = schema_load_file(schema_default_path(), err);
		if (s)
			*notice = kt_xasprintf("the cached schema %s cannot be used (%s); using the "
					       "shipped one ('ktestme schema update' fetches it again)",
					       path, why.msg);
	}
	free(path);
	return s;
}

int schema_cache_update(const char *service_url, const tp_opts *o, char **stored, schema **loaded,
			kt_error *err)
{
	*stored = NULL;
	*loaded = NULL;
	char *path = schema_cache_path(service_url, err);
	if (!path)
		return -1;
	char *url = kt_xasprintf("%s/api_v3/api_schema.php", service_url);
	tp_response resp;
	int rc = tp_perform(url, NULL, NULL, o, &resp, err);
	if (rc == 0 && resp.status != 200)
		rc = kt_fail(err, KT_E_NET, "HTTP %ld from %s; the cached schema is unchanged",
			     resp.status, url);
	schema *s = NULL;
	if (rc == 0) {
		kt_error why;
		s = schema_load_memory(resp.body.data ? resp.body.data : "", resp.body.len, url, &why);
		if (!s)
			rc = kt_fail(err, KT_E_RESPONSE, "%s did not send a schema (%s); the cached "
				     "schema is unchanged", url, why.msg);
		else if (s->nservices == 0)
			rc = kt_fail(err, KT_E_RESPONSE, "%s sent a schema with no services; the "
				     "cached schema is unchanged", url);
	}
	if (rc == 0) {
		char *dir = kt_xstrdup(path);
		*strrchr(dir, '/') = '\0';
		rc = files_mkdirs(dir, err);
		free(dir);
	}
	if (rc == 0)
		rc = files_write_atomic(path, resp.body.data, resp.body.len, err);
	if (rc == 0) {
		*stored = path;
		*loaded = s;
	} else {
		free(path);
		schema_free(s);
	}
	tp_response_free(&resp);
	free(url);
	return rc;
}
