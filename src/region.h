/* region: Kaltura's SaaS regions and their service URLs; any other http(s) URL is on-prem. */
#ifndef KT_REGION_H
#define KT_REGION_H

#include <stddef.h>

#include "err.h"

typedef struct region {
	const char *name;  /* "us", "eu", ... */
	const char *url;   /* service URL without /api_v3 */
	const char *label; /* "United States (default)" */
} region;

/* The built-in regions, in menu order. `local` (the sandbox) is not among them: its URL is
 * known only when it runs. */
const region *region_list(size_t *n);
const region *region_find(const char *name);

/* Resolves --region / --url / $KALTURA_SERVICE_URL to a service URL (malloc'd, no trailing
 * slash, no /api_v3). region and url may be NULL; url wins over env; region and url together is
 * a usage error. With nothing given, the default region (us). */
char *region_resolve(const char *region_name, const char *url, const char *env_url, kt_error *err);

/* Checks that url is an absolute http(s) URL with a host; returns it normalised (malloc'd). */
char *region_normalize_url(const char *url, kt_error *err);

#endif
