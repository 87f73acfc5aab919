/* schema: the Kaltura API schema (api_schema.php format, KALTURA.md section 7) as a read-only
 * model with indexes. Loaded in one pass with libxml2's streaming reader into one arena. Names,
 * types and values are interned, so equal ones within a schema are the same pointer
 * (descriptions and messages are merely copied). A loaded schema is never modified, so threads
 * may share it. Optional attributes that are absent are NULL; present but empty, "". */
#ifndef KT_SCHEMA_H
#define KT_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

typedef struct schema schema;
typedef struct schema_service schema_service;
typedef struct schema_class schema_class;
typedef struct schema_enum schema_enum;

typedef struct schema_const {
	const char *name;
	const char *value;
} schema_const;

struct schema_enum {
	const char *name;
	const char *plugin;
	bool is_string; /* enumType="string"; otherwise "int" */
	bool deprecated;
	const schema_const *consts; /* file order */
	size_t nconsts;
	const schema_const *const *by_name_; /* sorted indexes, for schema.c */
	const schema_const *const *by_value_;
};

typedef struct schema_property {
	const char *name;
	const char *type; /* int, bigint, string, bool, float, array, map, file or a class */
	const char *enum_type;
	const char *array_type;
	const char *description;
	bool read_only, insert_only, write_only, deprecated;
	const schema_class *owner;      /* the class that declares it */
	const schema_enum *enumeration; /* enum_type resolved; NULL when absent or unknown */
	const schema_class *type_class; /* type resolved when it names a class */
	const schema_class *array_class; /* array_type resolved */
} schema_property;

struct schema_class {
	const char *name;
	const char *base_name;
	const char *plugin;
	const char *description;
	const schema_class *base; /* NULL at the root of a chain */
	bool abstract, deprecated;
	unsigned depth; /* 0 for a class without base */
	const schema_property *props; /* its own, in file order */
	size_t nprops;
	const schema_property *const *all_props; /* inherited first, overrides in place */
	size_t nall_props;
	/* itself first when not abstract, then every non-abstract descendant by name */
	const schema_class *const *concrete;
	size_t nconcrete;
	const schema_property *const *by_name_;
};

typedef struct schema_param {
	const char *name;
	const char *type;
	const char *default_value; /* the literal ("null", "86400", ""); NULL when absent */
	const char *enum_type;
	const char *array_type;
	const char *description;
	bool optional;
	const schema_enum *enumeration;
	const schema_class *type_class;
	const schema_class *array_class;
} schema_param;

/* sessionRequired; older schemas (3.3.0) do not say. */
typedef enum {
	SCHEMA_KS_UNSPECIFIED,
	SCHEMA_KS_NONE,
	SCHEMA_KS_OPTIONAL,
	SCHEMA_KS_ALWAYS,
} schema_ks_need;

typedef struct schema_action {
	const char *name;
	const char *description;
	const char *plugin;
	const schema_service *service;
	bool enable_in_multirequest, deprecated, beta;
	schema_ks_need session_required;
	const schema_param *params; /* file order */
	size_t nparams;
	const char *result_type; /* NULL for void */
	const char *result_array_type;
	const schema_class *result_class; /* result_type resolved, else result_array_type */
	const char *const *throws; /* error codes */
	size_t nthrows;
	const schema_param *const *by_name_;
} schema_action;

struct schema_service {
	const char *id; /* what goes on the wire; "caption_captionasset" for plugins */
	const char *name;
	const char *plugin;
	const char *description;
	bool deprecated;
	const struct schema_action *actions; /* file order */
	size_t nactions;
	const struct schema_action *const *by_name_;
};

typedef struct schema_error {
	const char *name;
	const char *code;
	const char *message; /* template: Category id "@ID@" not found */
	const char *const *params; /* ID */
	size_t nparams;
} schema_error;

/* One field of <configurations>: <client> or <request>. */
typedef struct schema_config_field {
	const char *name;
	const char *type;
	const char *alias;
	const char *description;
	bool is_volatile;
} schema_config_field;

struct schema {
	const char *path; /* the file, or the name given to schema_load_memory */
	const char *api_version; /* root attributes; NULL when absent */
	const char *generated_date;
	const schema_service *const *services; /* file order */
	size_t nservices;
	size_t nactions; /* over all services */
	const schema_class *const *classes; /* file order */
	size_t nclasses;
	const schema_enum *const *enums;
	size_t nenums;
	const schema_error *const *errors;
	size_t nerrors;
	const char *client_config_type; /* KalturaClientConfiguration */
	const schema_config_field *client_config;
	size_t nclient_config;
	const char *request_config_type; /* KalturaRequestConfiguration */
	const schema_config_field *request_config;
	size_t nrequest_config;
	struct schema_store *store_; /* arena and hash tables, for schema.c */
};

/* Loads a schema. NULL on failure with err set: KT_E_NOINPUT when the file cannot be read,
 * KT_E_DATA with one line "FILE:LINE: expected ..." (or libxml2's message) when it is not a
 * schema. No DTD, no entities, no network: a <!DOCTYPE> is refused. Inheritance deeper than
 * 100 classes is refused too (22.19.0 has 13). */
schema *schema_load_file(const char *path, kt_error *err);
/* The same from memory (a downloaded schema); name stands for the file in messages. */
schema *schema_load_memory(const char *data, size_t len, const char *name, kt_error *err);
void schema_free(schema *s);
/* schema_load_file keeps a compiled image of each schema file it parses under
 * $XDG_CACHE_HOME/ktestme/compiled/ (named by a hash of the file's bytes; mode 0600, written
 * atomically) and maps it on the next load instead of parsing: a stale, corrupt or foreign
 * image is refused and rebuilt. Beside it a record of the file's identity (device, inode, size,
 * modification and change times) and hash lets the next load find the image without reading
 * the file; any change to the file moves those and it is hashed again.
 * KTESTME_NO_SCHEMA_CACHE=1 turns this off. True when s came from its image. */
bool schema_is_mapped(const schema *s);
/* How many times this process read and hashed a schema file to find its image (for tests). */
unsigned long schema_source_hashes(void);
/* How long a file must be left unchanged before its identity record is written (default 1 s:
 * a write within the clock tick of the bytes hashed might not move its times). For tests. */
void schema_set_identity_margin(int64_t ns);

/* The schema to use when none is given: $KTESTME_SCHEMA, else schemas/kaltura.xml beside the
 * executable when it exists, else KT_DATADIR/kaltura.xml. The result stays valid until the next
 * call (not thread-safe). A schema cached per endpoint is chosen before this: see
 * schema_path_for() in schema_cache.h. */
const char *schema_default_path(void);

/* Lookups: hashed or binary search. Services match by name or id and, like the server,
 * ignore case; so do actions. Classes, enums, errors, constants and properties are exact. */
const schema_service *schema_find_service(const schema *s, const char *name_or_id);
const schema_action *schema_find_action(const schema_service *svc, const char *name);
/* The two names apart, or service = "service.action" and action = NULL. */
const schema_action *schema_find(const schema *s, const char *service, const char *action);
const schema_param *schema_find_param(const schema_action *a, const char *name);
const schema_class *schema_find_class(const schema *s, const char *name);
const schema_enum *schema_find_enum(const schema *s, const char *name);
const schema_error *schema_find_error(const schema *s, const char *code);
const schema_const *schema_enum_find_const(const schema_enum *e, const char *name);
/* The first constant (in name order) with that value. */
const schema_const *schema_enum_find_value(const schema_enum *e, const char *value);
/* A property of the class or of its bases; the most derived declaration wins. */
const schema_property *schema_class_find_property(const schema_class *c, const char *name);

/* Every property with the inherited ones resolved, bases first (the same as c->all_props). */
const schema_property *const *schema_class_all_properties(const schema_class *c, size_t *n);
/* What objectType may name where c is declared (the same as c->concrete). */
const schema_class *const *schema_class_concrete(const schema_class *c, size_t *n);
/* True when sub is base or descends from it; false when either is unknown. */
bool schema_is_subclass(const schema *s, const char *sub, const char *base);

/* The error's message with each @PARAM@ replaced by the argument at the same position as the
 * parameter in e->params (missing arguments become ""). malloc'd. */
char *schema_error_format(const schema_error *e, const char *const *args, size_t nargs);

/* Up to max names close to a mistyped one (edit distance or prefix, ignoring case), best
 * first. Returns how many were stored. */
size_t schema_suggest_services(const schema *s, const char *name, const char **out, size_t max);
size_t schema_suggest_actions(const schema_service *svc, const char *name, const char **out,
			      size_t max);

typedef enum {
	SCHEMA_HIT_SERVICE,
	SCHEMA_HIT_ACTION,
	SCHEMA_HIT_CLASS,
	SCHEMA_HIT_ENUM,
} schema_hit_kind;

typedef struct schema_hit {
	schema_hit_kind kind;
	const schema_service *service; /* services and actions */
	const schema_action *action;
	const schema_class *cls;
	const schema_enum *enm;
} schema_hit;

/* Calls fn for every service (name or id), action (name, or "service.action" when word has a
 * '.'), class and enum whose name contains word, ignoring case: services first, then actions,
 * classes, enums, each in file order. Returns the number of hits. */
size_t schema_search(const schema *s, const char *word, void (*fn)(const schema_hit *hit, void *ud),
		     void *ud);

#endif
