/* signin: the Developer Portal's sign-in as steps a front end runs one after the other:
 * user.loginByLoginId (email + password) -> partner.listPartnersForUser (with that KS) -> pick
 * one -> partner.getSecrets (email + password again) -> its secrets, for session.start. Builds
 * each request and reads each answer; the password and the secrets live in memory only (wipe
 * them with the _free functions). Curses-free. */
#ifndef KT_SIGNIN_H
#define KT_SIGNIN_H

#include "err.h"
#include "request.h"
#include "response.h"

/* user.loginByLoginId; partner < 0 leaves partnerId out (the login's default partner). */
void signin_login_request(kt_request *r, const char *login_id, const char *password,
			  long long partner);

typedef struct signin_partner {
	long long id;
	char *name;
} signin_partner;

/* partner.listPartnersForUser with the login's KS. */
void signin_partners_request(kt_request *r, const char *ks);
/* The partners of its answer, in order; -1 with err on an error answer or one without any. */
int signin_partners(const response *res, signin_partner **out, int *n, kt_error *err);
void signin_partners_free(signin_partner *p, int n);

/* partner.getSecrets for the partner picked. */
void signin_secrets_request(kt_request *r, long long partner, const char *login_id,
			    const char *password);

typedef struct signin_secrets {
	long long partner_id;
	char *admin_secret;
	char *user_secret;  /* NULL when the answer has none */
} signin_secrets;

/* The secrets of getSecrets' answer; -1 with err when it holds no admin secret. */
int signin_secrets_read(const response *res, signin_secrets *out, kt_error *err);
void signin_secrets_free(signin_secrets *s);

#endif
