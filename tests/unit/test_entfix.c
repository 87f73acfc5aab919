#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "app/entfix.h"

static response parse(const char *json)
{
	response r;
	kt_error err;
	cr_assert_eq(response_parse(json, strlen(json), KT_FORMAT_JSON, &r, &err), 0, "%s", err.msg);
	return r;
}

static const char not_found[] = "{\"code\":\"CATEGORY_NOT_FOUND\",\"message\":\"Category id \\\"2\\\" "
				 "not found\",\"objectType\":\"KalturaAPIException\",\"args\":{\"ID\":\"2\"}}";
static const char empty[] = "{\"objects\":[],\"totalCount\":0,\"objectType\":\"KalturaCategoryListResponse\"}";
static const char full[] = "{\"objects\":[{\"id\":1,\"privacyContexts\":\"MediaSpace, Kms\",\"objectType\":"
			   "\"KalturaCategory\"},{\"id\":2,\"objectType\":\"KalturaCategory\"},{\"id\":3,"
			   "\"privacyContexts\":\"Kms,Other\",\"objectType\":\"KalturaCategory\"}],"
			   "\"totalCount\":3,\"objectType\":\"KalturaCategoryListResponse\"}";

Test(entfix, detects_the_symptoms)
{
	response r = parse(not_found);
	cr_assert_eq(entfix_detect("category", "get", &r, NULL), ENTFIX_NOT_FOUND);
	cr_assert_eq(entfix_detect("category", "get", &r, "privacycontext:X"), ENTFIX_NOT_FOUND);
	cr_assert_eq(entfix_detect("category", "get", &r, "disableentitlement"), ENTFIX_NONE);
	/* enableentitlement wins over disableentitlement on the server */
	cr_assert_eq(entfix_detect("category", "get", &r, "disableentitlement,enableentitlement"),
		     ENTFIX_NOT_FOUND);
	response_free(&r);

	r = parse(empty);
	cr_assert_eq(entfix_detect("category", "list", &r, ""), ENTFIX_EMPTY_LIST);
	cr_assert_eq(entfix_detect("baseEntry", "list", &r, NULL), ENTFIX_EMPTY_LIST);
	cr_assert_eq(entfix_detect("user", "list", &r, NULL), ENTFIX_NONE, "users have no entitlements");
	response_free(&r);

	r = parse(full);
	cr_assert_eq(entfix_detect("category", "list", &r, NULL), ENTFIX_NONE);
	response_free(&r);
	r = parse("{\"code\":\"INVALID_KS\",\"message\":\"x\",\"objectType\":\"KalturaAPIException\"}");
	cr_assert_eq(entfix_detect("category", "get", &r, NULL), ENTFIX_NONE);
	response_free(&r);
	cr_assert_eq(entfix_detect(NULL, "get", NULL, NULL), ENTFIX_NONE);
}

Test(entfix, offer_and_privileges)
{
	char *s = entfix_offer(ENTFIX_NOT_FOUND, "sview:*");
	cr_assert(strstr(s, "Not found") && strstr(s, "sview:*") && strstr(s, "disableentitlement"));
	free(s);
	s = entfix_offer(ENTFIX_EMPTY_LIST, NULL);
	cr_assert(strstr(s, "empty") && strstr(s, "privileges: none"));
	free(s);
	s = entfix_privileges("sview:*,enableentitlement", NULL);
	cr_assert_str_eq(s, "sview:*,disableentitlement");
	free(s);
	s = entfix_privileges("privacycontext:A,list:*", "B");
	cr_assert_str_eq(s, "privacycontext:B,list:*");
	free(s);
	s = entfix_privileges(NULL, "MediaSpace");
	cr_assert_str_eq(s, "privacycontext:MediaSpace");
	free(s);
}

Test(entfix, contexts_of_a_list)
{
	response r = parse(full);
	char **ctx;
	int n = entfix_contexts(&r, &ctx);
	cr_assert_eq(n, 3);
	cr_assert_str_eq(ctx[0], "MediaSpace");
	cr_assert_str_eq(ctx[1], "Kms");
	cr_assert_str_eq(ctx[2], "Other");
	for (int i = 0; i < n; i++)
		free(ctx[i]);
	free(ctx);
	response_free(&r);
	r = parse(empty);
	cr_assert_eq(entfix_contexts(&r, &ctx), 0);
	cr_assert_null(ctx);
	response_free(&r);
}

Test(entfix, why_hidden)
{
	response r = parse("{\"id\":2,\"fullName\":\"Demo>Private\",\"privacyContexts\":\"MediaSpace\","
			   "\"appearInList\":3,\"objectType\":\"KalturaCategory\"}");
	char *s = entfix_why_hidden(r.result, "", "alice");
	cr_assert(strstr(s, "privacy context MediaSpace") && strstr(s, "privacycontext:MediaSpace"), "%s", s);
	cr_assert(strstr(s, "members only") && strstr(s, "'alice' is not one"), "%s", s);
	free(s);
	/* the right context asked: only the membership is left */
	s = entfix_why_hidden(r.result, "privacycontext:MediaSpace", NULL);
	cr_assert_null(strstr(s, "privacy context MediaSpace"));
	cr_assert(strstr(s, "the KS has no user"), "%s", s);
	free(s);
	response_free(&r);

	r = parse("{\"id\":4,\"fullName\":\"Demo\",\"appearInList\":1,\"objectType\":\"KalturaCategory\"}");
	s = entfix_why_hidden(r.result, "privacycontext:Kms", "u");
	cr_assert(strstr(s, "no privacy context") && strstr(s, "Kms"), "%s", s);
	free(s);
	cr_assert_null(entfix_why_hidden(r.result, NULL, "u"));
	response_free(&r);

	r = parse("{\"id\":\"0_a\",\"categories\":\"Demo>Private\",\"objectType\":\"KalturaMediaEntry\"}");
	s = entfix_why_hidden(r.result, NULL, "u");
	cr_assert(strstr(s, "Demo>Private"), "%s", s);
	free(s);
	response_free(&r);
	cr_assert_null(entfix_why_hidden(NULL, NULL, NULL));
}

Test(entfix, summary_of_both_outcomes)
{
	response before = parse(not_found);
	response after = parse("{\"id\":2,\"name\":\"MediaSpace\",\"fullName\":\"MediaSpace\","
			       "\"privacyContexts\":\"MediaSpace\",\"appearInList\":1,"
			       "\"objectType\":\"KalturaCategory\"}");
	char *s = entfix_summary("category", "get", &before, "", &after, "disableentitlement",
				 "alice");
	cr_assert(strstr(s, "category.get before: CATEGORY_NOT_FOUND (Category id \"2\" not found), "
			    "privileges (none)\n"), "%s", s);
	cr_assert(strstr(s, "after the fix: KalturaCategory 2 \"MediaSpace\", privileges "
			    "disableentitlement\n"), "%s", s);
	cr_assert(strstr(s, "why it was hidden: It belongs to privacy context MediaSpace"), "%s", s);
	free(s);
	s = entfix_summary("category", "get", &before, "x", &before, "x,disableentitlement", NULL);
	cr_assert(strstr(s, "still refused with entitlements off"), "%s", s);
	free(s);
	/* the fix searched one context: what is refused is outside it, not a wrong id */
	s = entfix_summary("category", "get", &before, "", &before, "privacycontext:Elsewhere", NULL);
	cr_assert(strstr(s, "still refused in privacy context Elsewhere: the object is not in"), "%s",
		  s);
	free(s);
	response_free(&after);
	after = parse(full);
	s = entfix_summary("category", "list", &before, NULL, &after, "disableentitlement", NULL);
	cr_assert(strstr(s, "after the fix: 3 item(s)"), "%s", s);
	cr_assert(strstr(s, "why it was hidden: It belongs to privacy context MediaSpace, Kms"), "%s", s);
	free(s);
	response_free(&after);
	response_free(&before);
}
