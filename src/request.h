/* request: an API call as data: service, action, a parameter tree, the request-level fields,
 * and its encodings (form body, JSON body, URL). Multirequests are a request whose service is
 * "multirequest" with sub-requests. */
#ifndef KT_REQUEST_H
#define KT_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "err.h"

typedef enum {
	PARAM_VALUE,  /* a string value */
	PARAM_OBJECT, /* named children (objectType is just a child) */
	PARAM_ARRAY,  /* children are items; no children = the empty array "name:-" */
	PARAM_NULL,   /* "name__null": set the property to null */
} param_kind;

typedef struct param param;
struct param {
	char *name;
	param_kind kind;
	char *value;          /* PARAM_VALUE */
	param *first, *last;  /* children, in insertion order */
	param *next;
	size_t nchildren;
	param **index;        /* open-addressing hash of the children once there are many */
	size_t index_cap;
};

/* How deep a key may nest ("a:b:c" is 3): deeper keys are refused, so no walk recurses far. */
#define PARAM_MAX_DEPTH 64

/* An empty root object. */
param *param_new(void);
void param_free(param *p);
/* Sets a wire key ("filter:objectType", "entries:0:id", "filter:nameEqual__null", "entries:-")
 * in the tree. A later key for the same path replaces the value. Returns -1 on a malformed key
 * (empty part, a value under a path that is already an object, ...) with KT_E_USAGE. */
int param_set(param *root, const char *key, const char *value, kt_error *err);
/* Sets each "name=value" argument as typed on a command line; -1 with KT_E_USAGE naming the
 * first bad one. */
int param_set_args(param *root, int argc, char *const *argv, kt_error *err);
/* Visits every entry as it goes on the wire, in tree order: key is the full wire name
 * ("filter:idEqual"), suffix is "" for a value, "__null" for a null and ":-" for an empty
 * array; top is true for top-level parameters. */
typedef void (*param_visit)(const char *key, const char *suffix, const param *p, bool top,
			    void *ud);
void param_walk(const param *root, param_visit fn, void *ud);
/* Finds by wire path ("filter:idEqual"); NULL when absent. */
const param *param_find(const param *root, const char *path);
/* Removes a top-level child by name; true when it was there. */
bool param_remove(param *root, const char *name);
/* Counts leaf entries as they go on the wire. */
size_t param_count(const param *root);

/* A file parameter (schema type "file", as uploadToken.upload's fileData): the file at path is
 * sent as a part of a multipart/form-data body, the other parameters as its text fields. */
typedef struct kt_upload {
	char *name; /* the wire name: "fileData", "2:fileData" in a multirequest */
	char *path;
} kt_upload;

/* Request-level fields, shared by every sub-request of a multirequest. */
typedef struct kt_request {
	char *service;
	char *action;         /* NULL for a multirequest */
	param *params;
	char *ks;
	char *partner_id;     /* the impersonated partner id */
	char *client_tag;     /* default "ktestme" */
	char *api_version;
	char *language;
	int format;           /* 2 XML (default), 1 JSON */
	kt_upload *files;     /* when any, the request goes as multipart/form-data */
	size_t nfiles;
} kt_request;

/* "xml" or "2" -> 2, "json" or "1" -> 1 (any case); 0 for anything else. */
int request_format_from_name(const char *name);

void request_init(kt_request *r, const char *service, const char *action);
void request_free(kt_request *r);
void request_set_field(char **field, const char *value);
/* true for a multirequest (service "multirequest", any case). */
bool request_is_multi(const kt_request *r);

/* "{1:result}", "{2:result:objects:0:id}": a multirequest back-reference (an earlier item's
 * result), which stands for a value of any type and is no secret. */
bool request_is_backref(const char *v);
/* v holds one somewhere ("id-{1:result:id}"), as the server replaces it in any value. */
bool request_has_backref(const char *v);
/* Adds a file to upload under a parameter name (a later one of the same name replaces it). */
void request_add_file(kt_request *r, const char *name, const char *path);
/* The upload of that name; NULL when none. */
const kt_upload *request_find_file(const kt_request *r, const char *name);
/* Every text field as it goes on the wire, in the form body's order (request fields, then the
 * parameters): the full name ("filter:idEqual", "entries:-", "x__null") and the value; secret
 * is true for a credential (ks, secret, password ...). */
typedef void (*request_pair_fn)(const char *name, const char *value, bool secret, void *ud);
void request_pairs(const kt_request *r, request_pair_fn fn, void *ud);

/* "{service_url}/api_v3/service/{service}/action/{action}" (or .../service/multirequest). */
char *request_url(const kt_request *r, const char *service_url);
/* application/x-www-form-urlencoded body: request fields, then parameters in tree order. */
char *request_form_body(const kt_request *r);
/* application/json body as the official Node.js client sends it. */
char *request_json_body(const kt_request *r);
json_t *param_to_json(const param *p);

/* Parameter names whose values are credentials: never logged, shown, or stored. */
bool request_is_secret_name(const char *name);
/* The form body with every credential value replaced by "***", for display. */
char *request_form_body_masked(const kt_request *r);

#endif
