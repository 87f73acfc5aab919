/* ksgen: making KSs locally on top of ks.c (the seed's third way, besides session.start and
 * the CLI): from typed fields, or derived from a KS whose secret is known (renew, one more
 * privilege), and reading a KS with whichever of several known secrets opens it. */
#ifndef KT_KSGEN_H
#define KT_KSGEN_H

#include "err.h"
#include "ks.h"

#define KSGEN_DEFAULT_EXPIRY 86400

/* "user", "admin" (any case), "0" or "2". */
int ksgen_parse_type(const char *s, int *type);
/* A relative expiry in seconds: a positive number that does not overflow now + it. */
int ksgen_parse_expiry(const char *s, long long now, long long *out, kt_error *err);

/* A KS from the fields a person types: the strings as typed (user, privileges may be NULL or
 * empty), each checked with a one-sentence KT_E_USAGE error. */
typedef struct ksgen_request {
	int version;             /* 1 or 2; 0 = 2 */
	const char *partner_id;
	const char *secret;
	const char *type;        /* NULL = user */
	const char *user;
	const char *expiry;      /* seconds from now; NULL = KSGEN_DEFAULT_EXPIRY */
	const char *privileges;
} ksgen_request;
int ksgen_make(const ksgen_request *r, long long now, char **out, kt_error *err);

/* The same KS (version, partner, type, user, other privileges) with privilege name set to value
 * and, when valid_until is not 0, a new expiry; re-signed with secret, which must verify the KS
 * first. An expired KS keeps its expiry only when valid_until says so: 0 gives it
 * now + KSGEN_DEFAULT_EXPIRY. */
int ksgen_with_privilege(const char *ks, const char *secret, const char *name, const char *value,
			 long long valid_until, long long now, char **out, kt_error *err);

/* Decodes ks with the first of secrets (NULL or empty ones skipped) that verifies it, else with
 * none. Returns the index of the secret that verified, -1 when none did, -2 when ks is not a KS
 * (err set). */
int ksgen_open(const char *ks, const char *const *secrets, int n, ks_info *out, kt_error *err);

#endif
