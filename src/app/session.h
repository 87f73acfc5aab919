/* session: what a front end knows about one endpoint (a region or a service URL): the KS in
 * the session field and what it is (read with the endpoint's own secrets; alive, expired,
 * ended, rejected), the secrets known for that endpoint and the values that prefill its forms
 * (partnerId, secret ...). Memory only: nothing here is ever written to a file, and secrets
 * are wiped when dropped.
 *
 * One session per endpoint (session_list): a front end that switches endpoint switches
 * session, so no secret, password, token or KS of one endpoint is read, shown or sent for
 * another, and switching back finds everything as it was. Curses-free. */
#ifndef KT_SESSION_H
#define KT_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#include "ks.h"

typedef enum {
	SESSION_KS_NONE,     /* the session field is empty */
	SESSION_KS_ALIVE,    /* read, and valid until later than now */
	SESSION_KS_SEALED,   /* a v2 KS none of the endpoint's secrets opens: only its partner */
	SESSION_KS_NOT_KS,   /* the field holds something that is not a KS */
	SESSION_KS_EXPIRED,  /* past its valid-until, read here or answered so */
	SESSION_KS_ENDED,    /* ended by session.end (or answered LOGOUT) */
	SESSION_KS_REJECTED, /* the endpoint answered INVALID_KS for it */
} session_ks_state;

typedef struct session session;

/* endpoint: the service URL (the key sessions are told apart by); name: "eu", "local" ... or
 * NULL for a custom URL. */
session *session_new(const char *endpoint, const char *name);
void session_free(session *s);
const char *session_endpoint(const session *s);
const char *session_name(const session *s); /* NULL for a custom URL */

/* The KS of the session field; NULL or "" empties it. Setting the KS it already holds keeps
 * what is known about it (a mark stays); another KS is read afresh. */
void session_set_ks(session *s, const char *ks);
const char *session_ks(const session *s); /* NULL when empty */
/* What the KS is at now (unix time). The KS is decoded once per KS and per secret learnt. */
session_ks_state session_ks_state_at(session *s, long long now);
/* EXPIRED, ENDED or REJECTED: sent to an action that needs no KS, it would only fail. */
bool session_ks_dead(session *s, long long now);
/* The server's word on the KS (ENDED after session.end, EXPIRED/ENDED/REJECTED after an
 * INVALID_KS), for the KS the session holds now; ignored when ks is not that one. */
void session_mark_ks(session *s, const char *ks, session_ks_state state);
/* The decoded KS (decoded false for a sealed v2); NULL when empty or not a KS. */
const ks_info *session_ks_info(session *s);
/* A word for the top bar: "ended", "expired", "rejected" ...; "" for NONE and ALIVE. */
const char *session_ks_state_word(session_ks_state st);

/* A secret known for this endpoint (the admin secret typed, the sandbox's, the environment's),
 * used to read its KSs. Kept once; "" and NULL are ignored. */
void session_add_secret(session *s, const char *secret);
/* Reads any KS with this endpoint's secrets, the first that verifies; without one, as far as
 * it can be read unsigned. -1 when it is not a KS. Free out with ks_info_free. */
int session_read_ks(const session *s, const char *ks, ks_info *out);
/* The endpoint's secret that verifies ks (to re-sign it: renew, one more privilege); NULL when
 * none does. */
const char *session_secret_for(const session *s, const char *ks);

/* Values that prefill the forms of this endpoint, by parameter name or wire key ("partnerId",
 * "secret", "filter:idEqual"); value NULL removes one. A value named like a secret
 * (request_is_secret_name) is a secret: wiped when replaced. Setting "secret" learns it too. */
void session_set_value(session *s, const char *name, const char *value);
const char *session_value(const session *s, const char *name); /* NULL when none */
size_t session_nvalues(const session *s);
/* The i-th value (in the order first set) and its name; NULL past the end. */
const char *session_value_at(const session *s, size_t i, const char **name);

/* The partner: the prefilled partnerId, else the KS's; 0 when neither. */
long long session_partner(session *s);

/* The sessions of a run, one per endpoint. */
typedef struct session_list session_list;
session_list *session_list_new(void);
void session_list_free(session_list *l);
/* The session of that endpoint, made on first use (name is taken then). */
session *session_list_get(session_list *l, const char *endpoint, const char *name);

#endif
