/* ks: Kaltura Sessions, v1 (signed) and v2 (encrypted), made and read exactly as the Kaltura
 * server does (KALTURA.md section 4). */
#ifndef KT_KS_H
#define KT_KS_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

enum { KS_TYPE_USER = 0, KS_TYPE_ADMIN = 2 };

typedef enum { KS_SIG_UNCHECKED, KS_SIG_VALID, KS_SIG_INVALID } ks_sig;

/* What goes into a KS. Strings may be NULL (= empty). */
typedef struct ks_fields {
	int version;               /* 1 or 2 */
	long long partner_id;
	long long valid_until;     /* absolute unix time */
	int type;                  /* 0 USER, >= 1 ADMIN */
	const char *user;
	const char *privileges;    /* "a,b:c" as typed */
	const char *master_partner_id;
	const char *additional_data;
	const char *rand;          /* v1: the literal field; v2: 32 hex digits; NULL = random */
} ks_fields;

/* A KS read back. Strings are owned (free with ks_info_free). */
typedef struct ks_info {
	int version;
	long long partner_id;
	bool decoded;              /* false: a v2 KS read without its secret (only version, partner) */
	long long valid_until;
	int type;
	char *user;
	char *privileges;          /* as the server reads them back */
	char *master_partner_id;
	char *additional_data;
	char *rand;                /* v1 literal; v2 as 32 hex digits */
	ks_sig signature;
} ks_info;

/* Makes a KS; *out is malloc'd. */
int ks_generate(const ks_fields *f, const char *secret, char **out, kt_error *err);

/* Reads a KS. With secret NULL, v1 is read but unchecked and v2 yields only version and partner.
 * A KS that is not a KS: KT_E_NOTKS. A wrong secret on v2 (cannot decrypt): signature INVALID,
 * decoded false, return 0. A wrong secret on v1: fields read, signature INVALID, return 0.
 * Both base64 alphabets are accepted, '=' padding optional; input over 1 MiB is refused. */
int ks_decode(const char *ks, const char *secret, ks_info *out, kt_error *err);
void ks_info_free(ks_info *info);
/* What a KS says, one "name: value" line each, as `ktestme ks decode` prints it: version,
 * partner_id, valid_until (date, expires in / expired ago, against now), type, user,
 * privileges, rand, signature; control bytes escaped. malloc'd. */
char *ks_describe(const ks_info *info, long long now);

/* Same fields, new expiry (valid_until = now + expiry), re-signed with secret. The KS must verify
 * against the secret first. */
int ks_renew(const char *ks, const char *secret, long long expiry, char **out, kt_error *err);

/* lowercase hex(HASH(ks + token)); hash_type sha1|md5|sha256|sha512 (case-insensitive). */
int ks_apptoken_hash(const char *hash_type, const char *ks, const char *token, char **out,
		     kt_error *err);

/* The server's default v1 rand: PHP's microtime(true) as PHP prints it (precision 14), so
 * "1699913600.1234", trailing zeros dropped ("1699913600.12", "1699913600"). */
void ks_microtime_format(long long sec, long nsec, char *out, size_t n);

/* Privileges: "name" or "name:value", comma-separated. */
typedef struct ks_priv {
	char *name;
	char *value;               /* "" when absent */
} ks_priv;

typedef struct ks_privs {
	ks_priv *items;
	int n;
} ks_privs;

/* Parses as the server does for v2: trimmed, empties skipped, "*" -> all:*, a repeated name
 * overwrites the earlier value in place. */
void ks_privs_parse(const char *s, ks_privs *out);
/* Joins back to "a,b:c" (and "all:*" alone as "*"). malloc'd. */
char *ks_privs_build(const ks_privs *p);
const ks_priv *ks_privs_find(const ks_privs *p, const char *name);
void ks_privs_free(ks_privs *p);

#endif
