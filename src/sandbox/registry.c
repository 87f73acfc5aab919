/* registry: every service the sandbox serves, in the order their demo data is seeded (an
 * entry's categories exist before it). See service.h for how to add one. */
#include "sandbox/service.h"

#include <stddef.h>

const sb_service *const sb_services[] = {
	&sb_session_service,
	&sb_category_service,
	&sb_entry_service,
	&sb_user_service,
	&sb_apptoken_service,
	&sb_upload_service,
	&sb_partner_service,
	NULL,
};
