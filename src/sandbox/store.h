/* store: the records every object service keeps (one table per kind), and the KSs a server has
 * revoked. A record is an object's properties as a flat param tree of values, checked through
 * the schema. */
#ifndef KT_SANDBOX_STORE_H
#define KT_SANDBOX_STORE_H

#include <pthread.h>
#include <stdbool.h>

#include "sandbox/service.h"

/* KSs ended by session.end and app tokens deleted since; both void the KSs they name. */
typedef struct sb_revoked {
	pthread_mutex_t lock;
	struct revoked **buckets;
	struct revoked *dead_tokens;
} sb_revoked;

void store_revoked_init(sb_revoked *r);
void store_revoked_free(sb_revoked *r);
/* Marks a KS as ended by session.end. */
void store_revoke(sb_server *srv, const char *ks);
bool store_is_revoked(sb_server *srv, const char *ks);
/* Voids every KS whose privileges carry apptoken:<id> (the token was deleted). */
void store_revoke_apptoken(sb_server *srv, const char *id);
/* True when the privileges name a deleted app token. */
bool store_privs_revoked(sb_server *srv, const char *privileges);

/* The records of one kind (users, categories, entries...), oldest first. A record is the
 * object's properties as text; what the service keeps beside them and never renders (a
 * password hash, a file's bytes) rides along as extra. The table takes no lock: the service's
 * lock covers it. */
typedef struct store_row {
	param *rec;
	void *extra;
} store_row;

typedef struct store_table {
	store_row **rows; /* oldest first; row pointers stay valid until the row is deleted */
	size_t n, cap;
	const char *key;  /* the property that names a record ("id"); NULL: none */
	void (*free_extra)(void *extra);
} store_table;

void store_table_init(store_table *t, const char *key, void (*free_extra)(void *extra));
/* Frees every row; the table may be initialised again. */
void store_table_free(store_table *t);
/* Adds a record (the table owns rec and extra from now on). */
store_row *store_insert(store_table *t, param *rec, void *extra);
/* The record whose key property is key; NULL when none. */
store_row *store_find(const store_table *t, const char *key);
store_row *store_find_ll(const store_table *t, long long key);
/* The first record whose property prop is value; NULL when none. */
store_row *store_find_by(const store_table *t, const char *prop, const char *value);
/* Removes row and frees it; the others keep their order. */
void store_delete(store_table *t, store_row *row);
/* Puts rec in the row's place (an update applied to a copy), freeing the old one. */
void store_replace(store_row *row, param *rec);

/* Copies the writable properties of in (a PARAM_OBJECT) into rec. insert selects the add rules
 * (insertOnly allowed) over update rules; write-only properties (passwords) are never stored.
 * -1 with the catalogue error set on c. */
int store_rec_apply(sb_call *c, param *rec, const param *in, const char *cls, bool insert);
/* The record as a result object of class cls, properties in the schema's order. */
rvalue *store_rec_render(const sb_config *cfg, const param *rec, const char *cls);
const char *store_rec_get(const param *rec, const char *name);
void store_rec_set(param *rec, const char *name, const char *value);
void store_rec_setll(param *rec, const char *name, long long value);
/* An integer property; def when absent or not a number. */
long long store_rec_getll(const param *rec, const char *name, long long def);
/* Frees a record, its values wiped first (a record may hold a secret: an app token's). */
void store_rec_free(param *rec);
/* A copy of rec's values (to update without harm when the update is refused). */
param *store_rec_copy(const param *rec);

/* A requested session length in seconds, capped at ten years so now + expiry cannot overflow;
 * the server takes it as given, so 0 or less is a KS that has already expired. */
#define STORE_MAX_SESSION (10LL * 365 * 86400)
long long store_session_seconds(long long expiry);

/* Whether a comma-separated list ("1, 2,3") holds item; spaces around items are ignored. */
bool store_list_has(const char *list, const char *item);

#endif
