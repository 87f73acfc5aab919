#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "privilege.h"

static char *compose(const priv_builder *b)
{
	return priv_builder_compose(b);
}

Test(privilege, catalog_covers_kaltura_md)
{
	static const char *names[] = {
		"disableentitlement", "enableentitlement", "privacycontext", "sview", "edit", "list",
		"download", "setrole", "limitentry", "actionslimit", "iprestrict", "urirestrict",
		"sessionid", "apptoken", "widget", "view", "disableentitlementforentry",
		"enablecategorymoderation", "reftime", "preview", "all", "appid",
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		const priv_spec *s = priv_find(names[i]);
		cr_assert(s, "%s is missing", names[i]);
		cr_assert(s->meaning && strlen(s->meaning) > 20);
	}
	cr_assert_null(priv_find("disable"));
	cr_assert(priv_find("sessionid")->flags & PRIV_READONLY);
	cr_assert_not(priv_find("sview")->flags & PRIV_READONLY);
}

Test(privilege, explain_puts_the_value_in)
{
	char *s = priv_explain("privacycontext", "MediaSpace");
	cr_assert(strstr(s, "privacy context MediaSpace"), "%s", s);
	free(s);
	s = priv_explain("privacycontext", "");
	cr_assert(strstr(s, "privacy context CONTEXT"), "%s", s);
	free(s);
	s = priv_explain("disableentitlement", NULL);
	cr_assert(strstr(s, "enforcement off"));
	free(s);
	s = priv_explain("frobnicate", "1");
	cr_assert(strstr(s, "Not a privilege"));
	free(s);
}

Test(privilege, check_by_kind)
{
	kt_error err;
	cr_assert_eq(priv_check("disableentitlement", "", &err), 0);
	cr_assert_eq(priv_check("disableentitlement", "x", &err), -1);
	cr_assert(strstr(err.msg, "takes no value"));
	cr_assert_eq(priv_check("privacycontext", "", &err), -1);
	cr_assert(strstr(err.msg, "privacycontext:CONTEXT"), "%s", err.msg);
	cr_assert_eq(priv_check("actionslimit", "10", &err), 0);
	cr_assert_eq(priv_check("actionslimit", "0", &err), -1);
	cr_assert_eq(priv_check("actionslimit", "ten", &err), -1);
	cr_assert_eq(priv_check("appid", "myapp-example.com", &err), 0);
	cr_assert_eq(priv_check("appid", "myapp", &err), -1);
	cr_assert(strstr(err.msg, "NAME-DOMAIN"));
	cr_assert_eq(priv_check("appid", "-example.com", &err), -1);
	cr_assert_eq(priv_check("sview", "0_a,0_b", &err), -1);
	cr_assert(strstr(err.msg, "','"));
	cr_assert_eq(priv_check("my:name", "", &err), -1);
	cr_assert_eq(priv_check("", "", &err), -1);
	cr_assert_eq(priv_check("custom", "any value", &err), 0);
	cr_assert_eq(priv_check("custom", "bell\a", &err), -1);
}

Test(privilege, builder_parses_and_composes_in_typed_order)
{
	priv_builder b;
	priv_builder_init(&b, " sview:0_a/0_b , disableentitlement,,frob:1,sview:*");
	char *s = compose(&b);
	/* a repeated name keeps its place and its last value, as the server reads it */
	cr_assert_str_eq(s, "sview:*,disableentitlement,frob:1");
	free(s);
	int r = priv_builder_find(&b, "frob");
	cr_assert(r >= 0);
	cr_assert_null(b.rows[r].spec);
	cr_assert(b.rows[priv_builder_find(&b, "appid")].on == false);
	priv_builder_free(&b);

	priv_builder_init(&b, "*");
	s = compose(&b);
	cr_assert_str_eq(s, "*");
	free(s);
	cr_assert(b.rows[priv_builder_find(&b, "all")].on);
	priv_builder_free(&b);

	priv_builder_init(&b, NULL);
	s = compose(&b);
	cr_assert_str_eq(s, "");
	free(s);
	priv_builder_free(&b);
}

Test(privilege, builder_toggle_set_add)
{
	kt_error err;
	priv_builder b;
	priv_builder_init(&b, "enableentitlement");
	int dis = priv_builder_find(&b, "disableentitlement");
	cr_assert_eq(priv_builder_toggle(&b, dis, &err), 0);
	char *s = compose(&b);
	/* the two entitlement switches exclude each other */
	cr_assert_str_eq(s, "disableentitlement");
	free(s);

	int pc = priv_builder_find(&b, "privacycontext");
	cr_assert_eq(priv_builder_toggle(&b, pc, &err), -1, "no value yet");
	cr_assert_eq(priv_builder_set(&b, pc, "MediaSpace", &err), 0);
	cr_assert_eq(priv_builder_set(&b, priv_builder_find(&b, "actionslimit"), "x", &err), -1);
	cr_assert_geq(priv_builder_add(&b, "appid", "kms-example.com", &err), 0);
	cr_assert_geq(priv_builder_add(&b, "reftime", "1700000000", &err), 0);
	cr_assert_eq(priv_builder_add(&b, "bad,name", "", &err), -1);
	s = compose(&b);
	cr_assert_str_eq(s, "disableentitlement,privacycontext:MediaSpace,appid:kms-example.com,"
			    "reftime:1700000000");
	free(s);

	/* off and on again: it goes to the end */
	cr_assert_eq(priv_builder_toggle(&b, dis, &err), 0);
	cr_assert_eq(priv_builder_toggle(&b, dis, &err), 0);
	s = compose(&b);
	cr_assert_str_eq(s, "privacycontext:MediaSpace,appid:kms-example.com,reftime:1700000000,"
			    "disableentitlement");
	free(s);
	cr_assert_eq(priv_builder_toggle(&b, -1, &err), -1);
	cr_assert_eq(priv_builder_toggle(&b, b.n, &err), -1);
	priv_builder_free(&b);
}

Test(privilege, server_set_items_are_read_only)
{
	kt_error err;
	priv_builder b;
	priv_builder_init(&b, "sessionid:5,apptoken:1_abc,setrole:3");
	int r = priv_builder_find(&b, "apptoken");
	cr_assert(b.rows[r].on);
	cr_assert_eq(priv_builder_toggle(&b, r, &err), -1);
	cr_assert(strstr(err.msg, "set by the server"));
	cr_assert_eq(priv_builder_set(&b, r, "other", &err), -1);
	char *s = compose(&b);
	cr_assert_str_eq(s, "sessionid:5,apptoken:1_abc,setrole:3");
	free(s);
	priv_builder_free(&b);
}

Test(privilege, with_and_has)
{
	char *s = priv_with("sview:*,enableentitlement", "disableentitlement", NULL);
	cr_assert_str_eq(s, "sview:*,disableentitlement");
	free(s);
	s = priv_with("privacycontext:A,list:*", "privacycontext", "B");
	cr_assert_str_eq(s, "privacycontext:B,list:*");
	free(s);
	s = priv_with(NULL, "disableentitlement", "");
	cr_assert_str_eq(s, "disableentitlement");
	free(s);
	cr_assert(priv_has("a,disableentitlement", "disableentitlement"));
	cr_assert_not(priv_has("disableentitlementforentry:0_x", "disableentitlement"));
	cr_assert_not(priv_has(NULL, "x"));
	cr_assert(priv_has("*", "all"));
}

Test(privilege, checklist_lines)
{
	priv_builder b;
	priv_builder_init(&b, "privacycontext:Kms,sessionid:7");
	char *s = priv_builder_line(&b, priv_builder_find(&b, "privacycontext"));
	cr_assert(!strncmp(s, "[x] privacycontext:Kms  Searches within privacy context Kms", 59), "%s", s);
	free(s);
	s = priv_builder_line(&b, priv_builder_find(&b, "disableentitlement"));
	cr_assert(!strncmp(s, "[ ] disableentitlement  Entitlement enforcement off", 51), "%s", s);
	free(s);
	s = priv_builder_line(&b, priv_builder_find(&b, "actionslimit"));
	cr_assert(!strncmp(s, "[ ] actionslimit:N  Good for N API calls", 40), "%s", s);
	free(s);
	s = priv_builder_line(&b, priv_builder_find(&b, "sessionid"));
	cr_assert(!strncmp(s, "[=] sessionid:7", 15), "%s", s);
	free(s);
	s = priv_builder_line(&b, -1);
	cr_assert_str_eq(s, "");
	free(s);
	priv_builder_free(&b);
}
