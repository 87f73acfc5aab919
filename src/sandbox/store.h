/* store: the sandbox's in-memory state shared by the server threads: revoked KSs, app tokens
 * whose KSs are void, and the record helpers the object services share. */
#ifndef KT_SANDBOX_STORE_H
#define KT_SANDBOX_STORE_H

#include <stdbool.h>

#include "sandbox/service.h"

void store_init(void);
void store_reset(void);
/* Marks a KS as ended by session.end. */
void store_revoke(const char *ks);
bool store_is_revoked(const char *ks);

/* Voids every KS whose privileges carry apptoken:<id> (the token was deleted). */
void store_revoke_apptoken(const char *id);
/* True when the privileges name a deleted app token. */
bool store_privs_revoked(const char *privileges);

/* Records: an object's properties as a flat param tree of values, checked through the schema.
 * Copies the writable properties of in (a PARAM_OBJECT) into rec. insert selects the add rules
 * (insertOnly allowed) over update rules; write-only properties (passwords) are never stored.
 * -1 with the catalogue error set on c. */
int store_rec_apply(sb_call *c, param *rec, const param *in, const char *cls, bool insert);
/* The record as a result object of class cls, properties in the schema's order. */
rvalue *store_rec_render(const sb_config *cfg, const param *rec, const char *cls);
const char *store_rec_get(const param *rec, const char *name);
void store_rec_set(param *rec, const char *name, const char *value);
void store_rec_setll(param *rec, const char *name, long long value);
/* Whether rec passes the list filter (NULL passes all): xxxEqual, xxxIn, xxxLike,
 * xxxStartsWith, xxxGreaterThanOrEqual, xxxLessThanOrEqual on the record's properties. */
bool store_rec_match(const param *rec, const param *filter);
/* The pager: *size 1..500 (default 30), *index from 1. */
void store_pager(const param *pager, long long *size, long long *index);

/* A requested session length in seconds: <= 0 gives the default 86400; capped at ten years so
 * now + expiry cannot overflow. */
#define STORE_MAX_SESSION (10LL * 365 * 86400)
long long store_session_seconds(long long expiry);

/* Demo data (two users, one active SHA256 app token), replacing any earlier state. */
void svc_users_seed(const sb_config *cfg);
void svc_apptoken_seed(const sb_config *cfg);

/* A list response (list_cls) of the records that match filter, one page of them; recs are in
 * the order to list them. The caller holds the lock that guards them. */
rvalue *store_rec_list(const sb_config *cfg, param *const *recs, size_t n, const param *filter,
		       const param *pager, const char *cls, const char *list_cls);

/* Whether a comma-separated list ("1, 2,3") holds item; spaces around items are ignored. */
bool store_list_has(const char *list, const char *item);

#endif
