/* workflows: the console's session workflows on top of the app models (src/privilege,
 * src/ksinspect, src/app/entfix ...): the privilege builder, opened from any privileges field. */
#ifndef KT_WORKFLOWS_H
#define KT_WORKFLOWS_H

#include "ui.h"

/* The privilege builder: a checklist over the chooser, parsed from initial, each item with what
 * it means; Enter on an item turns it on or off (asking for its value when it needs one), the
 * first item hands the composed string to done, Esc leaves everything as it was (done gets
 * NULL). */
typedef void (*workflows_privs_cb)(console *c, const char *privileges, void *ud);
void workflows_privileges(console *c, const char *field, const char *initial,
			  workflows_privs_cb done, void *ud);
/* Whether a parameter named key (privileges, sessionPrivileges, appToken:sessionPrivileges ...)
 * holds KS privileges. */
bool workflows_is_privileges(const char *key);

/* F9: the KS inspector over the result: the session's KS read with the endpoint's secrets,
 * its fields, what each privilege means and Kaltura's security warnings. */
void workflows_inspect(console *c);
/* C-y (also from the inspector): a KS made here, as generateSession does: version, secret (the
 * endpoint's known one, or typed: memory only), type, user id, expiry and privileges (the
 * privilege builder), each offered from the session's KS; ksgen_make signs it and it goes
 * straight into the session field. Nothing is sent. */
void workflows_generate(console *c);
/* C-n: the session's KS renewed (same fields, a new expiry), re-signed with the endpoint's
 * secret that verifies it. */
void workflows_renew(console *c);
/* C-x: the one-key entitlement fix after a CATEGORY_NOT_FOUND, an ENTRY_ID_NOT_FOUND or an
 * empty list: the same KS plus disableentitlement (or privacycontext:X), then the same request
 * again; when it returns, both outcomes side by side. */
void workflows_fix(console *c);
/* The core tells of each finished call (the outcome, and the KS it carried), after its status
 * line is set and before the result is shown: the fix is offered, or its outcome compared. */
/* C-g: the profile switcher: the profiles of the config file; the one picked becomes the
 * endpoint, and its partner id, admin secret (from its source), user id and privileges
 * prefill the forms there. */
void workflows_profiles(console *c);
/* The profile switched to last, for the top bar; NULL when none. */
const char *workflows_profile(void);
/* C-t: after appToken.add (get, list): session.startWidgetSession for "_" + partner, the
 * tokenHash from its KS and the token (from the result, or typed: used once, never kept),
 * then appToken.startSession; its KS becomes the session's, its answer the result. */
void workflows_apptoken(console *c);
/* C-l: sign-in as the Developer Portal does it: email and password (a masked prompt, never
 * kept) -> user.loginByLoginId -> partner.listPartnersForUser -> a partner picked ->
 * partner.getSecrets; the secrets stay in the endpoint's session (memory only) and fill the
 * session.start form. Each request runs through console_flow: keys are answered, Esc stops. */
void workflows_signin(console *c);
/* The end of the run: a sign-in or a KS being made when the console quit is wiped. */
void workflows_free(void);
struct call_outcome;
void workflows_after_call(console *c, const struct call_outcome *out, const char *sent_ks);

#endif
