/* workflows: the console's session workflows on top of the app models (src/privilege,
 * src/ksinspect, src/app/entfix ...): the privilege builder, opened from any privileges field. */
#ifndef KT_WORKFLOWS_H
#define KT_WORKFLOWS_H

#include "ui.h"

/* The privilege builder: a checklist over the chooser, parsed from initial, each item with what
 * it means; Enter on an item turns it on or off (asking for its value when it needs one), the
 * first item hands the composed string to done, Esc leaves everything as it was. */
typedef void (*workflows_privs_cb)(console *c, const char *privileges, void *ud);
void workflows_privileges(console *c, const char *field, const char *initial,
			  workflows_privs_cb done, void *ud);
/* Whether a parameter named key (privileges, sessionPrivileges, appToken:sessionPrivileges ...)
 * holds KS privileges. */
bool workflows_is_privileges(const char *key);

#endif
