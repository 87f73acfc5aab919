/* ksinspect: the KS inspector's rules as plain data: a KS's fields, the meaning of each
 * privilege, and Kaltura's security notes as warnings where they apply. The console's inspector
 * view and `ktestme ks decode --explain` both show this. */
#ifndef KT_KSINSPECT_H
#define KT_KSINSPECT_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "ks.h"

typedef enum {
	KSI_W_UNREADABLE,        /* v2 without its secret: only version and partner */
	KSI_W_BAD_SIGNATURE,     /* does not verify against the secret given */
	KSI_W_EXPIRED,
	KSI_W_ADMIN,             /* never hand an ADMIN KS to end users */
	KSI_W_NO_USER,           /* analytics need a real, unique user id */
	KSI_W_SHARED_USER,       /* "admin", "test", the partner id...: not one person */
	KSI_W_NO_APPID,          /* no appid:NAME-DOMAIN */
	KSI_W_LONG_EXPIRY,       /* valid for more than KSI_LONG_EXPIRY from now */
	KSI_W_OTHER_PARTNER,     /* the session's partner is another one */
	KSI_W_OTHER_DEPLOYMENT,  /* INVALID_KS for a KS that reads fine here */
	KSI_W_COUNT
} ksi_warning_id;

#define KSI_LONG_EXPIRY (7LL * 86400)

typedef struct ksi_context {
	long long now;
	long long session_partner;   /* the partner the session works with; < 0 unknown */
	const char *error_code;      /* the last answer to a call that carried this KS, or NULL */
	const char *error_message;
} ksi_context;

typedef struct ksi_field {
	const char *label;           /* "Partner", "Valid until", ... */
	char *value;
} ksi_field;

typedef struct ksi_priv {
	char *item;                  /* "privacycontext:MediaSpace" */
	char *meaning;
} ksi_priv;

typedef struct ksi_warning {
	ksi_warning_id id;
	char *text;
} ksi_warning;

typedef struct ksi_report {
	ksi_field *fields;
	int nfields;
	ksi_priv *privs;
	int nprivs;
	ksi_warning *warnings;
	int nwarnings;
} ksi_report;

/* "expires in 23 hours 59 minutes" or "expired 5 minutes ago" (static buffer of the caller). */
void ksi_countdown(long long valid_until, long long now, char *out, size_t n);

/* The report for a KS read with ks_decode (secret_given: a secret was tried, so a v2 KS that
 * stays unreadable means the wrong one). */
void ksi_inspect(const ks_info *info, bool secret_given, const ksi_context *ctx,
		 ksi_report *out);
bool ksi_has(const ksi_report *r, ksi_warning_id id);
/* The report as text, one "Label: value" line per field, then "privilege  meaning" lines and
 * "warning: ..." lines. malloc'd; control bytes of KS fields escaped. */
char *ksi_render(const ksi_report *r);
void ksi_report_free(ksi_report *r);

#endif
