/* sandbox filters: every field the schema declares on the filter of a list action the sandbox
 * serves is evaluated by the list engine (api_v3/lib/types/filters/KalturaFilter.php), none
 * answers INTERNAL_SERVER_ERROR. */
#include "sandbox/server.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#include "sandbox_fixture.h"

static sb_server *srv;

static void up(void)
{
	sandbox_opts o = {
		.partner_id = SBT_PID,
		.admin_secret = SBT_ADMIN,
		.user_secret = SBT_USER,
		.admin_password = SBT_PASSWORD,
		.schema_path = "schemas/kaltura.xml",
	};
	kt_error err;
	srv = sb_server_new(&o, &err);
	cr_assert(srv, "%s", err.msg);
}

static void down(void)
{
	sb_server_free(srv);
	srv = NULL;
}

TestSuite(sandbox_filters, .init = up, .fini = down);

static char *admin_ks(void)
{
	param *p = param_new();
	param_set(p, "partnerId", "1234", NULL);
	param_set(p, "secret", SBT_ADMIN, NULL);
	param_set(p, "type", "2", NULL);
	param_set(p, "privileges", "disableentitlement", NULL);
	rvalue *r = sb_server_exec(srv, "session", "start", p);
	param_free(p);
	cr_assert_eq(r->kind, RV_SCALAR);
	char *ks = kt_xstrdup(r->text);
	rvalue_free(r);
	return ks;
}

/* A value of the property's type the schema accepts. */
static const char *sample(const schema *s, const schema_property *p)
{
	if (p->enum_type) {
		const schema_enum *e = schema_find_enum(s, p->enum_type);
		return e && e->nconsts ? e->consts[0].value : "1";
	}
	if (!strcmp(p->type, "int") || !strcmp(p->type, "bigint") || !strcmp(p->type, "bool") ||
	    !strcmp(p->type, "float"))
		return "1";
	if (!strcmp(p->type, "string"))
		return "1";
	return NULL; /* objects and arrays: not a condition the engine reads */
}

Test(sandbox_filters, every_declared_field_is_evaluated)
{
	const schema *s = sb_server_config(srv)->schema;
	char *ks = admin_ks();
	size_t bad = 0, tried = 0;
	for (const sb_service *const *svc = sb_services; *svc; svc++) {
		for (const sb_handler *h = (*svc)->handlers; h->fn; h++) {
			const schema_action *a = schema_find(s, h->service, h->action);
			cr_assert(a, "%s.%s", h->service, h->action);
			for (size_t i = 0; i < a->nparams; i++) {
				const schema_param *fp = &a->params[i];
				size_t fl = strlen(fp->type);
				if (!fp->type_class || fl < 6 || strcmp(fp->type + fl - 6, "Filter"))
					continue;
				/* the class the action declares (its subclasses for entry types
				 * the sandbox has none of are left out) */
				size_t nsub = 1;
				const schema_class *const subs[] = {fp->type_class};
				for (size_t sc = 0; sc < nsub; sc++) {
				size_t n = 0;
				const schema_property *const *all =
					schema_class_all_properties(subs[sc], &n);
				for (size_t k = 0; k < n; k++) {
					const char *v = sample(s, all[k]);
					if (!v || !strcmp(all[k]->name, "orderBy"))
						continue;
					param *p = param_new();
					param_set(p, "ks", ks, NULL);
					char *key = kt_xasprintf("%s:%s", fp->name, all[k]->name);
					param_set(p, key, v, NULL);
					char *ot = kt_xasprintf("%s:objectType", fp->name);
					param_set(p, ot, subs[sc]->name, NULL);
					free(ot);
					if (!strcmp(h->service, "categoryuser"))
						param_set(p, "filter:userIdEqual", "x", NULL);
					rvalue *r = sb_server_exec(srv, h->service, h->action, p);
					tried++;
					if (r->kind == RV_ERROR && !strcmp(r->code, "INTERNAL_SERVER_ERROR")) {
						fprintf(stderr, "%s.%s %s=%s: %s\n", h->service, h->action,
							key, v, r->message);
						bad++;
					}
					free(key);
					param_free(p);
					rvalue_free(r);
				}
				}
			}
		}
	}
	free(ks);
	cr_assert(tried > 100, "%zu", tried);
	cr_assert_eq(bad, 0, "%zu of %zu filter fields answer INTERNAL_SERVER_ERROR", bad, tried);
}

/* "a=1&b=2" as parameters with the admin KS, no decoding. */
static rvalue *run(const char *service, const char *action, const char *args)
{
	char *ks = admin_ks();
	param *p = param_new();
	param_set(p, "ks", ks, NULL);
	free(ks);
	char *copy = kt_xstrdup(args), *save = NULL;
	for (char *kv = strtok_r(copy, "&", &save); kv; kv = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(kv, '=');
		cr_assert(eq, "%s", kv);
		*eq = 0;
		cr_assert_eq(param_set(p, kv, eq + 1, NULL), 0, "%s", kv);
	}
	free(copy);
	rvalue *r = sb_server_exec(srv, service, action, p);
	param_free(p);
	return r;
}

static void expect_total(const char *service, const char *args, const char *total)
{
	rvalue *r = run(service, "list", args);
	cr_assert_eq(r->kind, RV_OBJECT, "%s.list %s: %s", service, args,
		     r->kind == RV_ERROR ? r->message : "");
	const rvalue *t = rvalue_get(r, "totalCount");
	cr_assert_str_eq(t ? t->text : "", total, "%s.list %s", service, args);
	rvalue_free(r);
}

static void ok(rvalue *r)
{
	cr_assert_neq(r->kind, RV_ERROR, "%s", r->kind == RV_ERROR ? r->message : "");
	rvalue_free(r);
}

/* SphinxEntryCriteria::applyFilterFields: _in_category_ancestor_id is "pc<id>", the category
 * itself or a parent of it (entry::getCategoriesEntryIds), and it takes the place of
 * _matchor_categories_ids. */
Test(sandbox_filters, category_ancestor_id_in)
{
	ok(run("media", "add", "entry:objectType=KalturaMediaEntry&entry:mediaType=1&"
			       "entry:name=deep&entry:categoriesIds=4"));
	expect_total("media", "filter:categoryAncestorIdIn=1", "3");
	expect_total("baseEntry", "filter:categoryAncestorIdIn=4", "1");
	expect_total("media", "filter:categoryAncestorIdIn=2, 3", "3");
	expect_total("media", "filter:categoryAncestorIdIn=0", "0");
	expect_total("media", "filter:categoryAncestorIdIn= , ", "0");
	expect_total("media", "filter:categoryAncestorIdIn=99", "0");
	/* categoriesIdsMatchOr alone, then set aside by the ancestor ids */
	expect_total("media", "filter:categoriesIdsMatchOr=2", "2");
	expect_total("media", "filter:categoryAncestorIdIn=4&filter:categoriesIdsMatchOr=2", "1");
	/* a category deleted since holds nothing */
	ok(run("category", "delete", "id=4"));
	expect_total("media", "filter:categoryAncestorIdIn=4", "0");
	expect_total("media", "filter:categoryAncestorIdIn=1", "2");
}

Test(sandbox_filters, entry_fields_read_by_the_handler_or_joined)
{
	ok(run("media", "add", "entry:objectType=KalturaMediaEntry&entry:mediaType=1&"
			       "entry:name=tagged&entry:tags=red,green"));
	/* _mlikeor_tags-name: any word in either column; _mlikeand: each word in one of them */
	expect_total("media", "filter:tagsNameMultiLikeOr=demo,red", "3");
	expect_total("media", "filter:tagsNameMultiLikeAnd=red,tagged", "1");
	expect_total("media", "filter:tagsNameMultiLikeAnd=red,demo", "0");
	expect_total("media", "filter:tagsAdminTagsNameMultiLikeAnd=green,tagged", "1");
	expect_total("media", "filter:tagsAdminTagsMultiLikeOr=green", "1");
	expect_total("media", "filter:excludedFreeTextGroups=1", "6");
	/* _eq_redirect_from_entry_id: no sandbox entry redirects, so the entry itself */
	expect_total("media", "filter:redirectFromEntryId=0_demo0001", "1");
	rvalue *r = run("media", "list", "filter:redirectFromEntryId=0_nothing");
	cr_assert_eq(r->kind, RV_ERROR);
	cr_assert_str_eq(r->code, "INVALID_ENTRY_ID");
	cr_assert_str_eq(r->message, "Invalid entry id [\"0_nothing\"]");
	rvalue_free(r);
}

Test(sandbox_filters, category_fields)
{
	ok(run("categoryUser", "add", "categoryUser:objectType=KalturaCategoryUser&"
				      "categoryUser:categoryId=3&categoryUser:userId=alice"));
	/* _in_ancestor_id: below the category, not the category itself */
	expect_total("category", "filter:ancestorIdIn=1", "1");
	expect_total("category", "filter:ancestorIdIn=4", "0");
	/* _matchor_likex_full_name: any of the prefixes */
	expect_total("category", "filter:fullNameStartsWithIn=demo>,media", "2");
	expect_total("category", "filter:fullNameStartsWithIn=Demo", "2");
	/* _eq_member, _eq_manager: every sandbox member has the MEMBER level */
	expect_total("category", "filter:memberEqual=alice", "1");
	expect_total("category", "filter:memberEqual=bob", "0");
	expect_total("category", "filter:memberEqual=0", "4");
	expect_total("category", "filter:managerEqual=alice", "0");
	/* categoryUser.list: the user and its groups (none); nothing for an unknown user */
	expect_total("categoryUser", "filter:relatedGroupsByUserId=alice", "1");
	expect_total("categoryUser", "filter:relatedGroupsByUserId=nobody", "0");
	expect_total("categoryUser", "filter:categoryFullIdsStartsWith=3", "1");
	expect_total("categoryUser", "filter:categoryIdEqual=3&filter:categoryDirectMembers=1", "1");
	rvalue *r = run("categoryUser", "list", "filter:categoryDirectMembers=1");
	cr_assert_eq(r->kind, RV_ERROR);
	cr_assert_str_eq(r->code, "MUST_FILTER_USERS_OR_CATEGORY");
	rvalue_free(r);
	/* roles: sandbox users have none */
	expect_total("user", "filter:roleIdEqual=1", "0");
	expect_total("user", "filter:permissionNamesMultiLikeOr=CONTENT_MANAGE_BASE", "0");
}

/* A field of a filter subclass for objects the sandbox has none of (document entries) still
 * names itself. */
Test(sandbox_filters, a_field_it_cannot_evaluate)
{
	rvalue *r = run("baseEntry", "list", "filter:objectType=KalturaDocumentEntryFilter&"
					     "filter:documentTypeEqual=11");
	cr_assert_eq(r->kind, RV_ERROR);
	cr_assert_str_eq(r->code, "INTERNAL_SERVER_ERROR");
	cr_assert(strstr(r->message, "KalturaDocumentEntryFilter.documentTypeEqual"), "%s",
		  r->message);
	rvalue_free(r);
}
