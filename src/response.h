/* response: a Kaltura API result (XML format 2 or JSON format 1) read into one value model,
 * API errors, the KS a result carries, and the pretty printer. */
#ifndef KT_RESPONSE_H
#define KT_RESPONSE_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/xmlversion.h>

#include "err.h"

enum { KT_FORMAT_JSON = 1, KT_FORMAT_XML = 2 };

typedef enum {
	RV_NULL,    /* JSON null, or a void XML <result></result> */
	RV_SCALAR,  /* string, number or boolean; always kept as text ("1"/"0" for booleans) */
	RV_OBJECT,  /* has object_type (when the server sent one) and named children */
	RV_ARRAY,   /* children are items; name of each is NULL (or the map key for maps) */
	RV_ERROR,   /* a KalturaAPIException: code, message, args */
} rv_kind;

typedef struct rvalue rvalue;
struct rvalue {
	rv_kind kind;
	char *name;          /* property name or map key; NULL for the root and array items */
	char *text;          /* RV_SCALAR */
	char *object_type;   /* RV_OBJECT, RV_ERROR */
	char *code;          /* RV_ERROR */
	char *message;       /* RV_ERROR */
	rvalue **children;   /* RV_OBJECT properties, RV_ARRAY items, RV_ERROR args (scalars named) */
	size_t n;
};

typedef struct response {
	int format;              /* KT_FORMAT_XML or KT_FORMAT_JSON */
	rvalue *result;          /* never NULL after a successful parse */
	bool has_execution_time;
	double execution_time;   /* seconds, from <executionTime> (XML only) */
} response;

/* Reads a body. Not a Kaltura response (empty body, an HTML page, truncated or broken XML/JSON):
 * KT_E_RESPONSE with one sentence saying what was found instead. */
int response_parse(const char *body, size_t len, int format, response *out, kt_error *err);
/* The same, and *pretty (malloc'd) the body re-indented as response_pretty makes it, from the
 * one parse: a large result is read once, not twice. *pretty is NULL on failure. */
int response_parse_pretty(const char *body, size_t len, int format, response *out, char **pretty,
			  kt_error *err);
void response_free(response *r);
/* The same, each value wiped first: for an answer that holds a secret (getSecrets, a token). */
void response_free_wiped(response *r);

/* The first API error in the result (the root, or any multirequest item); NULL when none. */
const rvalue *response_error(const response *r);

/* Building and freeing value trees (the sandbox writes its results with them). */
rvalue *rvalue_new(rv_kind kind, const char *name);
void rvalue_free(rvalue *v);

/* Child property (or map item) by name; NULL if absent or v is neither an object nor an array. */
const rvalue *rvalue_get(const rvalue *v, const char *name);
/* Walks "objects:0:id"-style paths through objects and arrays. */
const rvalue *rvalue_path(const rvalue *v, const char *path);

/* The KS a result carries, for the actions that return one: the string result of session.start,
 * session.impersonate, user.loginByLoginId, user.login; the `ks` property of
 * appToken.startSession and session.startWidgetSession. Service and action are matched
 * case-insensitively. NULL when the action is none of those or the result is an error. */
const char *response_find_ks(const response *r, const char *service, const char *action);

/* true when the result carries a credential: the KS of the actions above, or a property named
 * like one (request_is_secret_name: token, ks, secret, password, ...) with a value, such as
 * appToken.add's token. Such results stay out of the history. */
bool response_holds_secret(const response *r, const char *service, const char *action);

/* The body re-indented (two spaces) for reading: XML through libxml2, JSON through Jansson.
 * malloc'd; on a body that does not parse, KT_E_RESPONSE. */
char *response_pretty(const char *body, size_t len, int format, kt_error *err);

/* ---- shared with rstream.c, the streaming reader, so both build the same model ---- */
struct _xmlNode;
struct _xmlError;
struct json_t;

/* Refuses what no parser should read: an empty body, an HTML page, the other format. */
int response_check_body(const char *body, size_t len, int format, kt_error *err);
/* "the server sent an HTML page..." with the page's <title> from its first bytes; -1. */
int response_fail_html(const char *body, size_t len, kt_error *err);
/* The model of a parsed <xml> root (its <result> and <executionTime>), or of a JSON value. */
int response_model_xml(const struct _xmlNode *root, response *out, kt_error *err);
int response_model_json(struct json_t *j, response *out, kt_error *err);
/* Whether a value or anything under it is a scalar named like a credential, with a value. */
bool response_value_holds_secret(const rvalue *v);
/* The fewest significant digits (15..17) that read d back exactly. */
int response_real_precision(double d);

/* libxml2's first error worth reporting, with its messages kept off stderr. */
typedef struct response_xml_capture {
	int line;
	bool have, fatal, deep;
	char msg[256];
} response_xml_capture;
#if LIBXML_VERSION >= 21200
void response_xml_on_error(void *cap, const struct _xmlError *e);
#else
void response_xml_on_error(void *cap, struct _xmlError *e);
#endif
int response_xml_fail(const response_xml_capture *cap, kt_error *err);

#endif
