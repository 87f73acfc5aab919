#include "hint.h"

#include <stdbool.h>
#include <string.h>

#include "privilege.h"

int hint_ks_reason(const char *message)
{
	/* Kaltura's front controller names the reason as the KS ("EXPIRED", "LOGOUT"), with
	 * -1,INVALID_STR for all of them; older servers (and the sandbox) send -5,EXPIRED and
	 * -6,LOGOUT */
	if (!message)
		return HINT_KS_OTHER;
	if (strstr(message, "-5,EXPIRED") || !strncmp(message, "Invalid KS \"EXPIRED\"", 20))
		return HINT_KS_EXPIRED;
	if (strstr(message, "-6,LOGOUT") || !strncmp(message, "Invalid KS \"LOGOUT\"", 19))
		return HINT_KS_ENDED;
	return HINT_KS_OTHER;
}

const char *hint_for_error(const char *code, const char *message, const char *privileges)
{
	if (!code)
		return NULL;
	bool open = priv_has(privileges, "disableentitlement");
	if (!strcmp(code, "CATEGORY_NOT_FOUND") || !strcmp(code, "ENTRY_ID_NOT_FOUND")) {
		if (open)
			return "The KS already has disableentitlement: the id is probably wrong, or "
			       "belongs to another partner.";
		return "If the id exists, entitlement enforcement may hide it: start a session "
		       "whose privileges have disableentitlement (or privacycontext:CONTEXT of "
		       "its category) and try again.";
	}
	if (!strcmp(code, "MISSING_KS"))
		return "This action needs a session: send session.start first; its KS goes into "
		       "the ks field by itself.";
	if (!strcmp(code, "INVALID_KS")) {
		switch (hint_ks_reason(message)) {
		case HINT_KS_EXPIRED:
			return "The KS has expired: send session.start again (a dead KS is "
			       "left out of it), or renew it with 'ktestme ks renew'.";
		case HINT_KS_ENDED:
			return "The KS was ended by session.end: send session.start again (a "
			       "dead KS is left out of it).";
		default: break;
		}
		return "The endpoint does not accept this KS: was it made for another partner, "
		       "region or secret?";
	}
	if (!strcmp(code, "SERVICE_FORBIDDEN"))
		return "A USER session may not call this action: start an ADMIN session (type "
		       "ADMIN in session.start, with the admin secret).";
	if (!strcmp(code, "START_SESSION_ERROR") && message && strstr(message, "partner []"))
		return "The call carried no partnerId: session.start needs the partner id with "
		       "the secret.";
	if (!strcmp(code, "START_SESSION_ERROR"))
		return "Check the partner id and the secret; only the admin secret starts ADMIN "
		       "sessions.";
	return NULL;
}
