#include <criterion/criterion.h>
#include <string.h>

#include "hint.h"

Test(hint, entitlement_errors_point_at_disableentitlement)
{
	const char *h = hint_for_error("CATEGORY_NOT_FOUND", "Category id \"2\" not found", NULL);
	cr_assert(h && strstr(h, "disableentitlement"));
	cr_assert(strstr(h, "privacycontext"));
	h = hint_for_error("ENTRY_ID_NOT_FOUND", NULL, "privacycontext:MediaSpace");
	cr_assert(h && strstr(h, "disableentitlement"));
	/* a KS that already disables enforcement: the id is the suspect */
	h = hint_for_error("CATEGORY_NOT_FOUND", NULL, "all:*,disableentitlement");
	cr_assert(h && strstr(h, "id is probably wrong"));
	/* a privilege whose name merely contains the word does not count */
	h = hint_for_error("CATEGORY_NOT_FOUND", NULL, "disableentitlementforentry:0_abc");
	cr_assert(h && strstr(h, "start a session"));
}

Test(hint, ks_errors_by_detail)
{
	cr_assert(strstr(hint_for_error("INVALID_KS", "Invalid KS \"x\", Error \"-5,EXPIRED\"", NULL),
			 "expired"));
	cr_assert(strstr(hint_for_error("INVALID_KS", "Invalid KS \"x\", Error \"-6,LOGOUT\"", NULL),
			 "session.end"));
	cr_assert(strstr(hint_for_error("INVALID_KS", NULL, NULL), "another partner"));
	/* as Kaltura's front controller words them */
	cr_assert(strstr(hint_for_error("INVALID_KS",
					"Invalid KS \"EXPIRED\", Error \"-1,INVALID_STR\"", NULL),
			 "expired"));
	cr_assert(strstr(hint_for_error("INVALID_KS",
					"Invalid KS \"LOGOUT\", Error \"-1,INVALID_STR\"", NULL),
			 "session.end"));
	cr_assert(strstr(hint_for_error("START_SESSION_ERROR",
					"Error while starting session for partner []", NULL),
			 "no partnerId"));
	cr_assert(strstr(hint_for_error("MISSING_KS", NULL, NULL), "session.start"));
	cr_assert(strstr(hint_for_error("SERVICE_FORBIDDEN", NULL, NULL), "ADMIN"));
	cr_assert(strstr(hint_for_error("START_SESSION_ERROR", NULL, NULL), "secret"));
}

Test(hint, nothing_to_add)
{
	cr_assert_null(hint_for_error(NULL, NULL, NULL));
	cr_assert_null(hint_for_error("INVALID_ENUM_VALUE", "x", NULL));
	cr_assert_null(hint_for_error("", NULL, "disableentitlement"));
}
