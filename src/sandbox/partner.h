/* partner: what the partner service (svc_partner.c) asks the user service about the partner
 * the thread acts for (sb_server_enter), for listPartnersForUser and getSecrets. */
#ifndef KT_SANDBOX_PARTNER_H
#define KT_SANDBOX_PARTNER_H

#include <stdbool.h>

#include "sandbox/service.h"

/* The login id (email) of user id: 1 with *login_id set, 0 when the user has no login, -1
 * when the partner has no such user. */
int svc_user_login_of(sb_server *srv, const char *id, char **login_id);
/* Whether login_id belongs to an active admin user of the partner (kuser::getAllowedPartnerIds). */
bool svc_user_active_admin(sb_server *srv, const char *login_id);
/* Whether login_id logs in with password and is an admin of the partner; *id (may be NULL) gets
 * the user's id. */
bool svc_user_admin_login(sb_server *srv, const char *login_id, const char *password, char **id);

#endif
