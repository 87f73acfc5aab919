/* schema_cache: API schemas downloaded from an endpoint (api_schema.php), one per host, kept
 * under $XDG_CACHE_HOME/ktestme/schemas/ and preferred over the shipped schema for that host. */
#ifndef KT_SCHEMA_CACHE_H
#define KT_SCHEMA_CACHE_H

#include <stdbool.h>

#include "err.h"
#include "schema.h"
#include "transport.h"

/* The cache file for a service URL's host (and port). malloc'd. */
char *schema_cache_path(const char *service_url, kt_error *err);

/* Which schema to use for an endpoint: $KTESTME_SCHEMA when set, else its cached schema when
 * there is one, else the shipped one (schema_default_path). *cached tells which. service_url may be NULL. malloc'd. */
char *schema_path_for(const char *service_url, bool *cached);

/* Loads the schema schema_path_for picks. A cached schema that does not load falls back to the
 * shipped one, with *notice (malloc'd, one line naming the file and the reason) to show;
 * otherwise *notice is NULL. NULL with err set when no schema loads. */
schema *schema_load_for(const char *service_url, char **notice, kt_error *err);

/* Downloads {service_url}/api_v3/api_schema.php, checks that it is a schema with services, and
 * replaces the cache file atomically. Anything else (a download error, an HTML page, a truncated
 * file) leaves the old cache as it was. On success *stored is the file and *loaded the schema. */
int schema_cache_update(const char *service_url, const tp_opts *o, char **stored, schema **loaded,
			kt_error *err);

#endif
