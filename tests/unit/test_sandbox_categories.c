/* sandbox categories, memberships and entries with entitlements: the rules of KALTURA.md
 * section 6 (both tables), checked through HTTP against the in-process sandbox and directly on
 * entitlement.c. Codes and messages are the catalogue's (schemas/kaltura.xml <errors>). Seeded
 * demo data: 1 Demo, 2 MediaSpace (privacy context), 3 Members only, 4 Demo>Sub; entries
 * 0_demo0001 (Demo), 0_msp00001 (MediaSpace), 0_mbr00001 (Members only), 0_both0001 (Demo and
 * MediaSpace), 0_free0001 (no category). */
#include "sandbox/entitlement.h"

#include <criterion/criterion.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "response.h"
#include "sandbox/sandbox.h"
#include "transport.h"
#include "util.h"

#include "sandbox_fixture.h"

#define ADMIN SBT_ADMIN
#define PID SBT_PID

TestSuite(sandbox_categories, .init = sbt_start, .fini = sbt_stop);

typedef sbt_reply reply;

/* One form-encoded call; body gets "ks=" prepended when ks is set. */
static void call(const char *ks, const char *service, const char *action, const char *body,
		 reply *out)
{
	char *esc = NULL;
	if (ks) {
		kt_buf b = {0};
		for (const char *p = ks; *p; p++) /* KS v2 uses - _ =: only '=' needs escaping */
			*p == '=' ? kt_buf_adds(&b, "%3D") : kt_buf_addc(&b, *p);
		esc = kt_buf_steal(&b);
	}
	char *full = kt_xasprintf("%s%s%s%s", ks ? "ks=" : "", ks ? esc : "",
				  ks && *body ? "&" : "", body);
	char *path = kt_xasprintf("/api_v3/service/%s/action/%s", service, action);
	sbt_post(path, full, "application/x-www-form-urlencoded", KT_FORMAT_XML, out);
	free(path);
	free(esc);
	free(full);
}

#define done sbt_done

static void expect_error(const char *ks, const char *service, const char *action,
			 const char *body, const char *code, const char *message)
{
	reply r;
	call(ks, service, action, body, &r);
	const rvalue *e = response_error(&r.r);
	cr_assert(e, "%s.%s(%s): no error in: %s", service, action, body, r.http.body.data);
	cr_assert_str_eq(e->code, code, "%s.%s(%s)", service, action, body);
	if (message)
		cr_assert_str_eq(e->message, message);
	done(&r);
}

/* The text at path in a successful result. */
static char *expect_ok(const char *ks, const char *service, const char *action, const char *body,
		       const char *path)
{
	reply r;
	call(ks, service, action, body, &r);
	cr_assert(!response_error(&r.r), "%s.%s(%s): %s", service, action, body,
		  r.http.body.data);
	const rvalue *v = rvalue_path(r.r.result, path);
	cr_assert(v && v->kind == RV_SCALAR, "%s.%s: no %s in %s", service, action, path,
		  r.http.body.data);
	char *text = kt_xstrdup(v->text);
	done(&r);
	return text;
}

static void expect_text(const char *ks, const char *service, const char *action,
			const char *body, const char *path, const char *want)
{
	char *got = expect_ok(ks, service, action, body, path);
	cr_assert_str_eq(got, want, "%s.%s(%s) %s: %s", service, action, body, path, got);
	free(got);
}

static char *ks_for(const char *user, const char *privileges)
{
	char *body = kt_xasprintf("partnerId=1234&secret=" ADMIN "&type=2&userId=%s%s%s", user,
				  privileges ? "&privileges=" : "", privileges ? privileges : "");
	reply r;
	call(NULL, "session", "start", body, &r);
	free(body);
	cr_assert_eq(r.r.result->kind, RV_SCALAR, "%s", r.http.body.data);
	char *ks = kt_xstrdup(r.r.result->text);
	done(&r);
	return ks;
}

/* The classic support case: an ADMIN KS does not see a category with a privacy context. */
Test(sandbox_categories, admin_ks_and_privacy_context)
{
	char *admin = ks_for("admin", NULL);
	char *disabled = ks_for("admin", "disableentitlement");
	char *ctx = ks_for("admin", "privacycontext:MediaSpace");
	char *both = ks_for("admin", "disableentitlement,enableentitlement");
	expect_error(admin, "category", "get", "id=2", "CATEGORY_NOT_FOUND",
		     "Category id \"2\" not found");
	/* exactly as for a missing id */
	expect_error(admin, "category", "get", "id=999", "CATEGORY_NOT_FOUND",
		     "Category id \"999\" not found");
	expect_text(disabled, "category", "get", "id=2", "name", "MediaSpace");
	expect_text(disabled, "category", "get", "id=2", "privacyContext", "MediaSpace");
	expect_text(ctx, "category", "get", "id=2", "fullName", "MediaSpace");
	expect_error(both, "category", "get", "id=2", "CATEGORY_NOT_FOUND", NULL);
	/* a context KS sees only its context */
	expect_error(ctx, "category", "get", "id=1", "CATEGORY_NOT_FOUND",
		     "Category id \"1\" not found");
	expect_text(admin, "category", "get", "id=1", "name", "Demo");
	free(admin);
	free(disabled);
	free(ctx);
	free(both);
}

Test(sandbox_categories, members_only)
{
	char *admin = ks_for("admin", NULL);
	char *alice = ks_for("alice", NULL);
	char *bob = ks_for("bob", NULL);
	expect_error(alice, "category", "get", "id=3", "CATEGORY_NOT_FOUND",
		     "Category id \"3\" not found");
	expect_text(admin, "categoryUser", "add", "categoryUser:objectType=KalturaCategoryUser"
		    "&categoryUser:categoryId=3&categoryUser:userId=alice", "status", "1");
	expect_text(alice, "category", "get", "id=3", "appearInList", "3");
	expect_text(alice, "category", "get", "id=3", "membersCount", "1");
	expect_error(bob, "category", "get", "id=3", "CATEGORY_NOT_FOUND", NULL);
	expect_text(alice, "category", "list", "", "totalCount", "3");
	expect_text(bob, "category", "list", "", "totalCount", "2");
	expect_text(admin, "categoryUser", "list", "filter:categoryIdEqual=3", "totalCount", "1");
	/* categoryFilter _in_members: the categories one of the users belongs to */
	expect_text(alice, "category", "list", "filter:membersIn=bob,alice", "totalCount", "1");
	expect_text(alice, "category", "list", "filter:membersIn=bob,alice", "objects:0:id", "3");
	expect_text(alice, "category", "list", "filter:membersIn=bob", "totalCount", "0");
	expect_text(admin, "categoryUser", "list", "filter:userIdEqual=alice",
		    "objects:0:categoryId", "3");
	expect_error(admin, "categoryUser", "add", "categoryUser:categoryId=3"
		     "&categoryUser:userId=alice", "INVALID_CATEGORY_USER_ID",
		     "Invalid CategoryUser for category [\"3\"] and for user [\"alice\"]");
	expect_error(admin, "categoryUser", "add", "categoryUser:categoryId=3",
		     "PROPERTY_VALIDATION_CANNOT_BE_NULL", "The property \"userId\" cannot be null");
	expect_error(admin, "categoryUser", "add", "categoryUser:categoryId=77"
		     "&categoryUser:userId=bob", "CATEGORY_NOT_FOUND",
		     "Category id \"77\" not found");
	expect_error(admin, "categoryUser", "list", "", "MUST_FILTER_USERS_OR_CATEGORY",
		     "Must filter users or categories");
	reply r;
	call(admin, "categoryUser", "delete", "categoryId=3&userId=alice", &r);
	cr_assert(!response_error(&r.r), "%s", r.http.body.data);
	done(&r);
	expect_error(alice, "category", "get", "id=3", "CATEGORY_NOT_FOUND", NULL);
	expect_error(admin, "categoryUser", "delete", "categoryId=3&userId=alice",
		     "INVALID_CATEGORY_USER_ID", NULL);
	free(admin);
	free(alice);
	free(bob);
}

Test(sandbox_categories, tree_add_update_delete)
{
	char *ks = ks_for("admin", "disableentitlement");
	char *id = expect_ok(ks, "category", "add", "category:objectType=KalturaCategory"
			     "&category:name=Leaf&category:parentId=4", "id");
	char *get = kt_xasprintf("id=%s", id);
	expect_text(ks, "category", "get", get, "fullName", "Demo>Sub>Leaf");
	char *ids = kt_xasprintf("1>4>%s", id);
	expect_text(ks, "category", "get", get, "fullIds", ids);
	expect_text(ks, "category", "get", get, "depth", "2");
	expect_text(ks, "category", "get", get, "parentId", "4");
	expect_text(ks, "category", "get", get, "partnerId", "1234");
	expect_text(ks, "category", "get", "id=4", "directSubCategoriesCount", "1");
	/* renaming a parent renames the path of its children */
	expect_text(ks, "category", "update", "id=4&category:name=Branch", "name", "Branch");
	expect_text(ks, "category", "get", get, "fullName", "Demo>Branch>Leaf");
	expect_text(ks, "category", "list", "filter:fullNameStartsWith=Demo>Branch",
		    "totalCount", "2");
	reply r;
	call(ks, "category", "delete", "id=4", &r);
	cr_assert(!response_error(&r.r), "%s", r.http.body.data);
	done(&r);
	char *msg = kt_xasprintf("Category id \"%s\" not found", id);
	expect_error(ks, "category", "get", get, "CATEGORY_NOT_FOUND", msg);
	expect_error(ks, "category", "get", "id=4", "CATEGORY_NOT_FOUND", NULL);
	expect_error(ks, "category", "delete", "id=4", "CATEGORY_NOT_FOUND",
		     "Category id \"4\" not found");
	expect_error(ks, "category", "update", "id=4&category:name=X", "CATEGORY_NOT_FOUND",
		     NULL);
	free(id);
	free(get);
	free(ids);
	free(msg);
	free(ks);
}

Test(sandbox_categories, bad_category_input)
{
	char *ks = ks_for("admin", NULL);
	expect_error(ks, "category", "add", "category:objectType=KalturaCategory"
		     "&category:description=x", "PROPERTY_VALIDATION_CANNOT_BE_NULL",
		     "The property \"name\" cannot be null");
	expect_error(ks, "category", "add", "category:name=x&category:parentId=42",
		     "CATEGORY_NOT_FOUND", "Category id \"42\" not found");
	/* a parent the KS cannot see is a missing parent */
	expect_error(ks, "category", "add", "category:name=x&category:parentId=2",
		     "CATEGORY_NOT_FOUND", "Category id \"2\" not found");
	expect_error(ks, "category", "add", "category:name=x&category:appearInList=2",
		     "INVALID_ENUM_VALUE", NULL);
	expect_error(ks, "category", "update", "id=1&category:name=", "PROPERTY_VALIDATION_CANNOT_BE_NULL",
		     NULL);
	expect_error(ks, "category", "get", "", "MISSING_MANDATORY_PARAMETER", NULL);
	expect_error(NULL, "category", "get", "id=1", "MISSING_KS", NULL);
	/* a new category with a context is hidden from the KS that made it */
	char *cid = expect_ok(ks, "category", "add", "category:name=Hidden"
			      "&category:privacyContext=Other", "id");
	char *get = kt_xasprintf("id=%s", cid);
	expect_error(ks, "category", "get", get, "CATEGORY_NOT_FOUND", NULL);
	free(get);
	free(cid);
	free(ks);
}

Test(sandbox_categories, move_and_depth)
{
	char *ks = ks_for("admin", "disableentitlement");
	char *a = expect_ok(ks, "category", "add", "category:name=A&category:parentId=4", "id");
	char *body = kt_xasprintf("id=%s&category:parentId=3", a);
	expect_text(ks, "category", "update", body, "fullName", "Members only>A");
	free(body);
	body = kt_xasprintf("id=%s&category:parentId=%s", a, a);
	expect_error(ks, "category", "update", body, "INVALID_FIELD_VALUE",
		     "value in field [parentId] is not valid");
	free(body);
	body = kt_xasprintf("id=3&category:parentId=%s", a); /* under its own child */
	expect_error(ks, "category", "update", body, "INVALID_FIELD_VALUE", NULL);
	free(body);
	expect_error(ks, "category", "update", "id=3&category:parentId=555", "CATEGORY_NOT_FOUND",
		     "Category id \"555\" not found");
	expect_error(ks, "category", "update", "id=3&category:name=a>b", "INVALID_FIELD_VALUE",
		     "value in field [name] is not valid");
	expect_error(ks, "category", "add", "category:name=a>b", "INVALID_FIELD_VALUE", NULL);
	/* a path holds 31 categories: Demo and 30 below it */
	char *parent = kt_xstrdup("1");
	for (int depth = 1; depth <= 30; depth++) {
		body = kt_xasprintf("category:name=d%d&category:parentId=%s", depth, parent);
		free(parent);
		parent = expect_ok(ks, "category", "add", body, "id");
		free(body);
	}
	body = kt_xasprintf("category:name=deep&category:parentId=%s", parent);
	expect_error(ks, "category", "add", body, "INVALID_FIELD_VALUE",
		     "value in field [parentId] is not valid");
	free(body);
	body = kt_xasprintf("id=%s", parent);
	expect_text(ks, "category", "get", body, "depth", "30");
	free(body);
	/* moving d1 (id 6, 29 levels below it) down one level would make the path too deep */
	expect_error(ks, "category", "update", "id=6&category:parentId=4", "INVALID_FIELD_VALUE",
		     NULL);
	free(parent);
	free(a);
	free(ks);
}

Test(sandbox_categories, list_filters_and_pager)
{
	char *ks = ks_for("admin", "disableentitlement");
	expect_text(ks, "category", "list", "", "totalCount", "4");
	/* nameLike is no KalturaCategoryFilter field: dropped, as the server drops it */
	expect_text(ks, "category", "list", "filter:nameLike=media", "totalCount", "4");
	expect_text(ks, "category", "list", "filter:fullNameEqual=Demo", "totalCount", "1");
	expect_text(ks, "category", "list", "filter:fullNameStartsWith=demo", "totalCount", "2");
	expect_text(ks, "category", "list", "filter:orderBy=-name", "objects:0:name", "Sub");
	expect_text(ks, "category", "list", "filter:orderBy=-depth", "objects:0:name", "Sub");
	/* -id is not in KalturaCategoryOrderBy: dropped, the default order stays */
	expect_text(ks, "category", "list", "filter:orderBy=-id", "objects:0:name", "Demo");
	expect_text(ks, "category", "list", "filter:parentIdEqual=1", "objects:0:name", "Sub");
	expect_text(ks, "category", "list", "filter:idIn=3,4", "totalCount", "2");
	expect_text(ks, "category", "list", "filter:idEqual=3", "objects:0:name", "Members only");
	expect_text(ks, "category", "list", "pager:pageSize=1&pager:pageIndex=2", "objects:0:id",
		    "2");
	expect_text(ks, "category", "list", "pager:pageSize=1&pager:pageIndex=2", "totalCount",
		    "4");
	reply r;
	call(ks, "category", "list", "pager:pageSize=2&pager:pageIndex=3", &r);
	const rvalue *objs = rvalue_get(r.r.result, "objects");
	cr_assert(!objs || objs->n == 0, "%s", r.http.body.data);
	done(&r);
	free(ks);
}

/* KALTURA.md section 6, second table, on the seeded entries. */
Test(sandbox_categories, entries_follow_categories)
{
	static const struct {
		const char *privileges;
		const char *visible, *hidden;
		const char *count;
	} rows[] = {
		{NULL, "0_demo0001 0_mbr00001 0_both0001 0_free0001", "0_msp00001", "4"},
		{"disableentitlement", "0_demo0001 0_msp00001 0_mbr00001 0_both0001 0_free0001", "",
		 "5"},
		{"privacycontext:MediaSpace", "0_msp00001 0_both0001",
		 "0_demo0001 0_mbr00001 0_free0001", "2"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		char *ks = ks_for("admin", rows[i].privileges);
		char id[16];
		for (const char *p = rows[i].visible; sscanf(p, "%15s", id) == 1;
		     p += strlen(id) + (p[strlen(id)] ? 1 : 0)) {
			char *body = kt_xasprintf("entryId=%s", id);
			expect_text(ks, "baseEntry", "get", body, "id", id);
			expect_text(ks, "media", "get", body, "status", "2");
			free(body);
		}
		for (const char *p = rows[i].hidden; sscanf(p, "%15s", id) == 1;
		     p += strlen(id) + (p[strlen(id)] ? 1 : 0)) {
			char *body = kt_xasprintf("entryId=%s", id);
			char *msg = kt_xasprintf("Entry id \"%s\" not found", id);
			expect_error(ks, "baseEntry", "get", body, "ENTRY_ID_NOT_FOUND", msg);
			expect_error(ks, "media", "get", body, "ENTRY_ID_NOT_FOUND", msg);
			free(body);
			free(msg);
		}
		expect_text(ks, "baseEntry", "list", "", "totalCount", rows[i].count);
		expect_text(ks, "media", "list", "", "totalCount", rows[i].count);
		free(ks);
	}
}

Test(sandbox_categories, media_add_get_delete)
{
	char *ks = ks_for("admin", NULL);
	char *id = expect_ok(ks, "media", "add", "entry:objectType=KalturaMediaEntry"
			     "&entry:name=Clip&entry:mediaType=1&entry:categoriesIds=1,4", "id");
	regex_t re;
	cr_assert_eq(regcomp(&re, "^0_[a-z0-9]{8}$", REG_EXTENDED | REG_NOSUB), 0);
	cr_assert_eq(regexec(&re, id, 0, NULL, 0), 0, "entry id %s", id);
	regfree(&re);
	char *body = kt_xasprintf("entryId=%s", id);
	expect_text(ks, "media", "get", body, "categoriesIds", "1,4");
	expect_text(ks, "media", "get", body, "categories", "Demo,Demo>Sub");
	expect_text(ks, "media", "get", body, "mediaType", "1");
	expect_text(ks, "media", "get", body, "name", "Clip");
	expect_text(ks, "media", "get", body, "userId", "admin");
	char *f = kt_xasprintf("filter:idEqual=%s", id);
	expect_text(ks, "media", "list", f, "objects:0:name", "Clip");
	expect_text(ks, "baseEntry", "list", "filter:nameLike=clip", "totalCount", "1");
	expect_text(ks, "media", "list", "filter:categoriesIdsMatchOr=4", "totalCount", "1");
	/* by full name */
	char *id2 = expect_ok(ks, "media", "add", "entry:name=Two&entry:mediaType=5"
			      "&entry:categories=Demo>Sub", "categoriesIds");
	cr_assert_str_eq(id2, "4");
	reply r;
	call(ks, "media", "delete", body, &r);
	cr_assert(!response_error(&r.r), "%s", r.http.body.data);
	done(&r);
	char *msg = kt_xasprintf("Entry id \"%s\" not found", id);
	expect_error(ks, "media", "get", body, "ENTRY_ID_NOT_FOUND", msg);
	expect_error(ks, "media", "delete", body, "ENTRY_ID_NOT_FOUND", msg);
	free(msg);
	free(f);
	free(body);
	free(id);
	free(id2);
	free(ks);
}

Test(sandbox_categories, bad_entry_input)
{
	char *ks = ks_for("admin", NULL);
	expect_error(ks, "media", "add", "entry:name=x", "PROPERTY_VALIDATION_CANNOT_BE_NULL",
		     "The property \"mediaType\" cannot be null");
	expect_error(ks, "media", "add", "entry:name=x&entry:mediaType=3", "INVALID_ENUM_VALUE",
		     NULL);
	/* a category the KS cannot see cannot be assigned */
	expect_error(ks, "media", "add", "entry:name=x&entry:mediaType=1&entry:categoriesIds=2",
		     "CATEGORY_NOT_FOUND", "Category id \"2\" not found");
	expect_error(ks, "media", "add", "entry:name=x&entry:mediaType=1&entry:categoriesIds=1,x",
		     "CATEGORY_NOT_FOUND", "Category id \"x\" not found");
	expect_error(ks, "media", "add", "entry:name=x&entry:mediaType=1&entry:categories=Nope",
		     "CATEGORY_NOT_FOUND", NULL);
	expect_error(ks, "media", "get", "entryId=0_zzzzzzzz", "ENTRY_ID_NOT_FOUND",
		     "Entry id \"0_zzzzzzzz\" not found");
	expect_error(ks, "baseEntry", "get", "", "MISSING_MANDATORY_PARAMETER", NULL);
	expect_error(ks, "media", "delete", "entryId=0_msp00001", "ENTRY_ID_NOT_FOUND", NULL);
	free(ks);
}

/* ---- who may call what (the core's access table) ---- */

static char *user_ks(const char *user, const char *privileges)
{
	char *body = kt_xasprintf("partnerId=1234&secret=" ADMIN "&type=0&userId=%s%s%s", user,
				  privileges ? "&privileges=" : "", privileges ? privileges : "");
	reply r;
	call(NULL, "session", "start", body, &r);
	free(body);
	cr_assert_eq(r.r.result->kind, RV_SCALAR, "%s", r.http.body.data);
	char *ks = kt_xstrdup(r.r.result->text);
	done(&r);
	return ks;
}

static char *widget_ks(void)
{
	char *w = kt_xasprintf("widgetId=_%d", PID);
	char *ks = expect_ok(NULL, "session", "startWidgetSession", w, "ks");
	free(w);
	return ks;
}

/* Forbidden after the parameters are read (KalturaDispatcher::dispatch builds the arguments,
 * then KalturaBaseService::initService checks the permission): SERVICE_FORBIDDEN with the
 * server's "service->action" argument. */
Test(sandbox_categories, admin_only_actions)
{
	static const struct {
		const char *service, *action, *body, *arg;
		bool user_ok, widget_ok;
	} rows[] = {
		{"category", "add", "category:objectType=KalturaCategory&category:name=x", "category->add", false, false},
		{"category", "update", "id=1&category:objectType=KalturaCategory", "category->update", false, false},
		{"category", "delete", "id=4", "category->delete", false, false},
		{"categoryUser", "add", "categoryUser:objectType=KalturaCategoryUser&categoryUser:categoryId=1&categoryUser:userId=u", "categoryuser->add", false, false},
		{"categoryUser", "delete", "categoryId=1&userId=u", "categoryuser->delete", false, false},
		{"categoryUser", "list", "filter:categoryIdEqual=1", "categoryuser->list", true, false},
		{"user", "add", "user:objectType=KalturaUser&user:id=x", "user->add", false, false},
		{"user", "update", "userId=alice&user:objectType=KalturaUser", "user->update", false, false},
		{"user", "delete", "userId=nobody", "user->delete", false, false},
		{"user", "list", "", "user->list", false, false},
		{"appToken", "add", "appToken:objectType=KalturaAppToken", "apptoken->add", false, false},
		{"appToken", "get", "id=x", "apptoken->get", false, false},
		{"appToken", "list", "", "apptoken->list", false, false},
		{"appToken", "update", "id=x&appToken:objectType=KalturaAppToken", "apptoken->update", false, false},
		{"appToken", "delete", "id=x", "apptoken->delete", false, false},
		{"media", "add", "entry:objectType=KalturaMediaEntry&entry:mediaType=1", "media->add", true, false},
		{"media", "delete", "entryId=x", "media->delete", true, false},
		{"category", "get", "id=1", "category->get", true, true},
		{"category", "list", "", "category->list", true, true},
		{"media", "get", "entryId=0_demo0001", "media->get", true, true},
		{"baseEntry", "list", "", "baseentry->list", true, true},
		{"session", "get", "", "session->get", true, true},
	};
	char *admin = ks_for("admin", NULL), *user = user_ks("bob", NULL), *widget = widget_ks();
	char *const kss[] = {admin, user, widget};
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		for (int k = 0; k < 3; k++) {
			bool ok = k == 0 || (k == 1 ? rows[i].user_ok : rows[i].widget_ok);
			reply r;
			call(kss[k], rows[i].service, rows[i].action, rows[i].body, &r);
			const rvalue *e = response_error(&r.r);
			if (ok) {
				cr_assert(!e || strcmp(e->code, "SERVICE_FORBIDDEN"), "%s.%s ks %d: %s",
					  rows[i].service, rows[i].action, k, r.http.body.data);
			} else {
				char *msg = kt_xasprintf("The access to service [%s] is forbidden",
							 rows[i].arg);
				cr_assert(e, "%s.%s ks %d: %s", rows[i].service, rows[i].action, k,
					  r.http.body.data);
				cr_assert_str_eq(e->code, "SERVICE_FORBIDDEN", "%s.%s ks %d",
						 rows[i].service, rows[i].action, k);
				cr_assert_str_eq(e->message, msg);
				free(msg);
			}
			done(&r);
		}
	}
	/* a call without a KS on an action that needs one: its parameters first, then MISSING_KS */
	expect_error(NULL, "category", "add", "", "MISSING_MANDATORY_PARAMETER", NULL);
	expect_error(NULL, "category", "add", "category:objectType=KalturaCategory", "MISSING_KS",
		     NULL);
	/* the classic walkthrough still works for a USER session */
	expect_error(user, "category", "get", "id=2", "CATEGORY_NOT_FOUND",
		     "Category id \"2\" not found");
	expect_text(user, "category", "get", "id=1", "name", "Demo");
	/* and an admin passes to the handler's own checks */
	expect_error(admin, "category", "add", "", "MISSING_MANDATORY_PARAMETER", NULL);
	free(admin), free(user), free(widget);
}

/* USER sessions add entries as themselves and delete only their own, unless edit:ID or edit:*
 * says otherwise; anyone else gets the server's INVALID_KS "-4,INVALID_TYPE". */
Test(sandbox_categories, user_entries)
{
	char *bob = user_ks("bob", NULL), *eve = user_ks("eve", NULL);
	char *id = expect_ok(bob, "media", "add", "entry:name=Mine&entry:mediaType=1", "id");
	char *body = kt_xasprintf("entryId=%s", id);
	expect_text(bob, "media", "get", body, "userId", "bob");
	expect_error(eve, "media", "delete", body, "INVALID_KS",
		     "Invalid KS \"\", Error \"-4,INVALID_TYPE\"");
	expect_error(eve, "media", "delete", "entryId=0_demo0001", "INVALID_KS", NULL);
	char *eve_edit = user_ks("eve", "edit:0_nothing/0_demo0001");
	reply r;
	call(eve_edit, "media", "delete", "entryId=0_demo0001", &r);
	cr_assert_null(response_error(&r.r), "%s", r.http.body.data);
	done(&r);
	char *eve_all = user_ks("eve", "edit:*");
	expect_error(eve_all, "media", "delete", "entryId=0_zzzzzzzz", "ENTRY_ID_NOT_FOUND", NULL);
	call(bob, "media", "delete", body, &r);
	cr_assert_null(response_error(&r.r), "%s", r.http.body.data);
	done(&r);
	expect_error(bob, "media", "get", body, "ENTRY_ID_NOT_FOUND", NULL);
	free(eve_edit), free(eve_all), free(body), free(id), free(bob), free(eve);
}

/* ---- entry counts ---- */

static void expect_counts(const char *ks, long long id, const char *direct, const char *all)
{
	char *body = kt_xasprintf("id=%lld", id);
	expect_text(ks, "category", "get", body, "directEntriesCount", direct);
	expect_text(ks, "category", "get", body, "entriesCount", all);
	free(body);
}

Test(sandbox_categories, entry_counts)
{
	char *ks = ks_for("admin", "disableentitlement");
	/* seeded: Demo holds 0_demo0001 and 0_both0001; MediaSpace 0_msp00001 and 0_both0001 */
	expect_counts(ks, 1, "2", "2");
	expect_counts(ks, 2, "2", "2");
	expect_counts(ks, 3, "1", "1");
	expect_counts(ks, 4, "0", "0");
	char *sub = expect_ok(ks, "media", "add", "entry:name=A&entry:mediaType=1"
			      "&entry:categoriesIds=4", "id");
	expect_counts(ks, 4, "1", "1");
	expect_counts(ks, 1, "2", "3");
	/* in a category and its child: counted once in the parent's entriesCount */
	char *both = expect_ok(ks, "media", "add", "entry:name=B&entry:mediaType=1"
			       "&entry:categoriesIds=1,4", "id");
	expect_counts(ks, 4, "2", "2");
	expect_counts(ks, 1, "3", "4");
	/* lists carry the same counts */
	expect_text(ks, "category", "list", "filter:idEqual=1", "objects:0:entriesCount", "4");
	char *body = kt_xasprintf("entryId=%s", both);
	reply r;
	call(ks, "media", "delete", body, &r);
	cr_assert_null(response_error(&r.r), "%s", r.http.body.data);
	done(&r);
	expect_counts(ks, 4, "1", "1");
	expect_counts(ks, 1, "2", "3");
	/* moving Sub under Members only moves its entries' weight too */
	call(ks, "category", "update", "id=4&category:parentId=3", &r);
	cr_assert_null(response_error(&r.r), "%s", r.http.body.data);
	done(&r);
	expect_counts(ks, 1, "2", "2");
	expect_counts(ks, 3, "1", "2");
	/* a new child counts nothing until an entry goes in */
	char *leaf = expect_ok(ks, "category", "add", "category:name=Leaf&category:parentId=4", "id");
	char *lb = kt_xasprintf("id=%s", leaf);
	expect_text(ks, "category", "get", lb, "entriesCount", "0");
	/* deleting Sub drops its entries from Members only */
	call(ks, "category", "delete", "id=4", &r);
	cr_assert_null(response_error(&r.r), "%s", r.http.body.data);
	done(&r);
	expect_counts(ks, 3, "1", "1");
	free(lb), free(leaf), free(body), free(both), free(sub), free(ks);
}

/* ---- the rules alone ---- */

static void ctx(ent_ctx *e, const char *user, const char *privileges)
{
	ks_info k;
	memset(&k, 0, sizeof k);
	k.user = (char *)user;
	k.privileges = (char *)privileges;
	ent_ctx_init(e, &k);
}

Test(sandbox_categories, rules_categories)
{
	ent_ctx e;
	ctx(&e, "alice", "");
	cr_assert(e.enforce);
	cr_assert(ent_category_visible(&e, NULL, 1, false));
	cr_assert(ent_category_visible(&e, "", 1, false));
	cr_assert_not(ent_category_visible(&e, "MS", 1, false));
	cr_assert_not(ent_category_visible(&e, NULL, 3, false));
	cr_assert(ent_category_visible(&e, NULL, 3, true));
	ent_ctx_free(&e);
	ctx(&e, "alice", "privacycontext:MS");
	cr_assert(ent_category_visible(&e, "MS", 1, false));
	cr_assert_not(ent_category_visible(&e, "Other", 1, false));
	cr_assert_not(ent_category_visible(&e, NULL, 1, false));
	cr_assert_not(ent_category_visible(&e, "MS", 3, false));
	ent_ctx_free(&e);
	ctx(&e, "alice", "disableentitlement");
	cr_assert_not(e.enforce);
	cr_assert(ent_category_visible(&e, "MS", 3, false));
	ent_ctx_free(&e);
	ctx(&e, "alice", "disableentitlement,enableentitlement");
	cr_assert(e.enforce);
	ent_ctx_free(&e);
	ent_ctx_init(&e, NULL);
	cr_assert(e.enforce);
	cr_assert_str_eq(e.user, "");
	ent_ctx_free(&e);
}

Test(sandbox_categories, rules_entries)
{
	const char *ctx_only[] = {"MS"}, *plain[] = {NULL}, *mixed[] = {"MS", ""};
	ent_ctx none, off, in;
	ctx(&none, "u", NULL);
	ctx(&off, "u", "disableentitlement");
	ctx(&in, "u", "privacycontext:MS");
	/* rows of the table: no privilege, disableentitlement, privacycontext of its category */
	cr_assert_not(ent_entry_visible(&none, ctx_only, 1));
	cr_assert(ent_entry_visible(&off, ctx_only, 1));
	cr_assert(ent_entry_visible(&in, ctx_only, 1));
	cr_assert(ent_entry_visible(&none, plain, 1));
	cr_assert(ent_entry_visible(&off, plain, 1));
	cr_assert_not(ent_entry_visible(&in, plain, 1));
	cr_assert(ent_entry_visible(&none, mixed, 2));
	cr_assert(ent_entry_visible(&off, mixed, 2));
	cr_assert(ent_entry_visible(&in, mixed, 2));
	cr_assert(ent_entry_visible(&none, NULL, 0));
	cr_assert(ent_entry_visible(&off, NULL, 0));
	cr_assert_not(ent_entry_visible(&in, NULL, 0));
	ent_ctx_free(&none);
	ent_ctx_free(&off);
	ent_ctx_free(&in);
}
