/* apptoken: the app-token flow (KALTURA.md section 5), the steps people get wrong by hand:
 * a widget session for the partner's widget _PID, tokenHash = HASH(widget KS + token) with the
 * token's hashType, then appToken.startSession with that widget KS, which returns the KS.
 * Builds each request from what the last answer said; the token itself is a secret: it is used
 * for the hash and wiped, never kept in a request. Curses-free. */
#ifndef KT_APPTOKEN_H
#define KT_APPTOKEN_H

#include "err.h"
#include "request.h"
#include "response.h"

/* What appToken.add, get or list (its first item) says of a token; token is NULL when the
 * result does not carry it. Free with apptoken_info_free (wipes the token). */
typedef struct apptoken_info {
	char *id;
	char *token;
	char *hash_type;         /* "SHA1" when the result names none (the server's default) */
	long long partner_id;    /* -1 when absent */
	char *session_user_id;   /* NULL when absent */
} apptoken_info;

int apptoken_info_from(const response *res, apptoken_info *out, kt_error *err);
void apptoken_info_free(apptoken_info *t);

/* Step 1: session.startWidgetSession for widget "_" + partner. */
void apptoken_widget_request(kt_request *r, long long partner);
/* The widget KS from step 1's answer; NULL when it has none (an error). */
const char *apptoken_widget_ks(const response *res);

/* Step 2: appToken.startSession with id, tokenHash (from the widget KS and the token), the
 * widget KS as the request's KS, and the optional userId, type, expiry, sessionPrivileges
 * (NULL: left out, the token's own apply). */
typedef struct apptoken_start {
	const char *id, *token, *hash_type, *widget_ks;
	const char *user_id, *type, *expiry, *privileges;
} apptoken_start;
int apptoken_session_request(kt_request *r, const apptoken_start *s, kt_error *err);

#endif
