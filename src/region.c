#include "region.h"

#include <string.h>
#include <strings.h>

#include "util.h"

static const region regions[] = {
	{"us", "https://www.kaltura.com", "United States (default SaaS)"},
	{"eu", "https://api.eu.kaltura.com", "Europe"},
	{"ap", "https://api.ap.kaltura.com", "Asia Pacific"},
	{"sg", "https://api.sg.kaltura.com", "Singapore"},
	{"ca", "https://api.ca.kaltura.com", "Canada"},
	{"de", "https://api.de.kaltura.com", "Germany"},
};

const region *region_list(size_t *n)
{
	*n = sizeof regions / sizeof regions[0];
	return regions;
}

const region *region_find(const char *name)
{
	for (size_t i = 0; i < sizeof regions / sizeof regions[0]; i++)
		if (!strcasecmp(name, regions[i].name))
			return &regions[i];
	return NULL;
}

char *region_normalize_url(const char *url, kt_error *err)
{
	const char *host;
	if (!strncasecmp(url, "https://", 8))
		host = url + 8;
	else if (!strncasecmp(url, "http://", 7))
		host = url + 7;
	else
		return kt_fail(err, KT_E_USAGE, "'%s' is not an http:// or https:// URL", url), NULL;
	if (!*host || *host == '/' || *host == ':')
		return kt_fail(err, KT_E_USAGE, "URL '%s' has no host", url), NULL;
	for (const char *p = url; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return kt_fail(err, KT_E_USAGE, "URL '%s' contains spaces or control characters",
				       url), NULL;
	size_t len = strlen(url);
	while (len > (size_t)(host - url) && url[len - 1] == '/')
		len--;
	/* People paste the API root or the TestMe page; the service URL is what precedes /api_v3. */
	const char *api = strstr(url, "/api_v3");
	if (api && (size_t)(api - url) < len)
		len = (size_t)(api - url);
	return kt_xstrndup(url, len);
}

char *region_resolve(const char *region_name, const char *url, const char *env_url, kt_error *err)
{
	if (region_name && url)
		return kt_fail(err, KT_E_USAGE, "give either --region or --url, not both"), NULL;
	if (region_name) {
		const region *r = region_find(region_name);
		if (!r) {
			kt_buf names;
			size_t n;
			const region *all = region_list(&n);
			kt_buf_init(&names);
			for (size_t i = 0; i < n; i++)
				kt_buf_printf(&names, "%s%s", i ? ", " : "", all[i].name);
			kt_fail(err, KT_E_USAGE, "unknown region '%s' (known: %s; or --url URL)",
				region_name, names.data);
			kt_buf_free(&names);
			return NULL;
		}
		return kt_xstrdup(r->url);
	}
	if (url)
		return region_normalize_url(url, err);
	if (env_url)
		return region_normalize_url(env_url, err);
	return kt_xstrdup(regions[0].url);
}
