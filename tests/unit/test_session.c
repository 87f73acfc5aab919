/* session: the KS state rules and what one endpoint's session keeps from another's. KSs are
 * made here with ks_generate, so their fields and expiry are known. */
#include "app/session.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ks.h"

#define SECRET "0123456789abcdef0123456789abcdef"

static char *make_ks(int version, long long valid_until, int type, const char *secret)
{
	ks_fields f = { .version = version, .partner_id = 1234, .valid_until = valid_until,
			.type = type, .user = "admin", .privileges = "disableentitlement" };
	char *ks = NULL;
	kt_error err;
	cr_assert_eq(ks_generate(&f, secret, &ks, &err), 0, "%s", err.msg);
	return ks;
}

Test(session, empty_and_alive)
{
	long long now = (long long)time(NULL);
	session *s = session_new("https://www.kaltura.com", "us");
	cr_assert_str_eq(session_endpoint(s), "https://www.kaltura.com");
	cr_assert_str_eq(session_name(s), "us");
	cr_assert_eq(session_ks_state_at(s, now), SESSION_KS_NONE);
	cr_assert_not(session_ks_dead(s, now));
	cr_assert_null(session_ks_info(s));
	char *ks = make_ks(2, now + 3600, 2, SECRET);
	session_set_ks(s, ks);
	/* without the secret a v2 KS is sealed: only its partner is known */
	cr_assert_eq(session_ks_state_at(s, now), SESSION_KS_SEALED);
	cr_assert_eq(session_ks_info(s)->partner_id, 1234);
	cr_assert_not(session_ks_info(s)->decoded);
	/* a secret learnt opens it */
	session_add_secret(s, SECRET);
	cr_assert_eq(session_ks_state_at(s, now), SESSION_KS_ALIVE);
	cr_assert(session_ks_info(s)->decoded);
	cr_assert_str_eq(session_ks_info(s)->user, "admin");
	cr_assert_eq(session_partner(s), 1234);
	session_set_ks(s, "");
	cr_assert_null(session_ks(s));
	cr_assert_eq(session_ks_state_at(s, now), SESSION_KS_NONE);
	session_set_ks(s, "not a ks at all");
	cr_assert_eq(session_ks_state_at(s, now), SESSION_KS_NOT_KS);
	cr_assert_not(session_ks_dead(s, now));
	free(ks);
	session_free(s);
}

Test(session, dead_ks_rules)
{
	long long now = (long long)time(NULL);
	session *s = session_new("http://127.0.0.1:1", "local");
	session_set_value(s, "secret", SECRET); /* a prefilled secret is learnt */
	/* past its valid-until, read here */
	char *old = make_ks(1, now - 10, 2, SECRET);
	session_set_ks(s, old);
	cr_assert_eq(session_ks_state_at(s, now), SESSION_KS_EXPIRED);
	cr_assert(session_ks_dead(s, now));
	/* the same KS is alive at an earlier time: the state is read against now */
	cr_assert_eq(session_ks_state_at(s, now - 100), SESSION_KS_ALIVE);
	/* ended by session.end: the mark is for that KS only */
	char *ks = make_ks(2, now + 3600, 2, SECRET);
	session_set_ks(s, ks);
	cr_assert_eq(session_ks_state_at(s, now), SESSION_KS_ALIVE);
	session_mark_ks(s, old, SESSION_KS_ENDED);
	cr_assert_eq(session_ks_state_at(s, now), SESSION_KS_ALIVE);
	session_mark_ks(s, ks, SESSION_KS_ENDED);
	cr_assert_eq(session_ks_state_at(s, now), SESSION_KS_ENDED);
	cr_assert(session_ks_dead(s, now));
	cr_assert_str_eq(session_ks_state_word(SESSION_KS_ENDED), "ENDED");
	/* setting the same KS again keeps the mark; another KS starts afresh */
	session_set_ks(s, ks);
	cr_assert_eq(session_ks_state_at(s, now), SESSION_KS_ENDED);
	char *other = make_ks(2, now + 7200, 0, SECRET);
	session_set_ks(s, other);
	cr_assert_eq(session_ks_state_at(s, now), SESSION_KS_ALIVE);
	session_mark_ks(s, other, SESSION_KS_REJECTED);
	cr_assert(session_ks_dead(s, now));
	free(old);
	free(ks);
	free(other);
	session_free(s);
}

Test(session, values_and_secrets_stay_with_their_endpoint)
{
	long long now = (long long)time(NULL);
	session_list *l = session_list_new();
	session *local = session_list_get(l, "http://127.0.0.1:9", "local");
	session *eu = session_list_get(l, "https://api.eu.kaltura.com", "eu");
	cr_assert_neq(local, eu);
	cr_assert_eq(session_list_get(l, "http://127.0.0.1:9", NULL), local);
	session_set_value(local, "secret", SECRET);
	session_set_value(local, "partnerId", "1234");
	char *ks = make_ks(2, now + 3600, 2, SECRET);
	session_set_ks(local, ks);
	/* nothing of local's is eu's */
	cr_assert_null(session_value(eu, "secret"));
	cr_assert_null(session_value(eu, "partnerId"));
	cr_assert_null(session_ks(eu));
	cr_assert_eq(session_partner(eu), 0);
	/* the same KS on eu is not opened by local's secret */
	session_set_ks(eu, ks);
	cr_assert_eq(session_ks_state_at(eu, now), SESSION_KS_SEALED);
	ks_info info;
	cr_assert_eq(session_read_ks(eu, ks, &info), 0);
	cr_assert_not(info.decoded);
	ks_info_free(&info);
	cr_assert_eq(session_read_ks(local, ks, &info), 0);
	cr_assert(info.decoded);
	ks_info_free(&info);
	/* and local's are as they were */
	cr_assert_str_eq(session_value(local, "secret"), SECRET);
	cr_assert_str_eq(session_ks(local), ks);
	cr_assert_eq(session_ks_state_at(local, now), SESSION_KS_ALIVE);
	/* values: replaced in place, removed, listed in order */
	session_set_value(local, "partnerId", "99");
	cr_assert_eq(session_nvalues(local), 2);
	const char *name;
	cr_assert_str_eq(session_value_at(local, 1, &name), "99");
	cr_assert_str_eq(name, "partnerId");
	session_set_value(local, "secret", NULL);
	cr_assert_eq(session_nvalues(local), 1);
	cr_assert_null(session_value_at(local, 1, &name));
	cr_assert_eq(session_partner(local), 99);
	free(ks);
	session_list_free(l);
}
