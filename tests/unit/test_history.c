/* history: the console's request history (numbering, limits, the byte cap, no secrets kept,
 * the listing text) against tests/data/schema-small.xml. */
#include <criterion/criterion.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "history.h"
#include "schema.h"
#include "util.h"

static schema *small;

static void load(void)
{
	const char *dir = getenv("KT_TESTDATA");
	char *path = kt_xasprintf("%s/schema-small.xml", dir ? dir : "tests/data");
	kt_error err = {0};
	small = schema_load_file(path, &err);
	cr_assert_not_null(small, "%s: %s", path, err.msg);
	free(path);
}

static void unload(void)
{
	schema_free(small);
	small = NULL;
}

TestSuite(history, .init = load, .fini = unload);

static form *session_start(const char *secret)
{
	form *f = form_new(small, schema_find(small, "session", "start"));
	form_set_value(f, form_find(f, "secret"), secret);
	form_set_value(f, form_find(f, "privileges"), "disableentitlement");
	form_set_value(f, form_field(f, "ks"), "KS-OLD");
	return f;
}

/* A result with a body of len bytes of 'x' (none when len is 0); free with free_res. */
static history_result ok_res(const char *title, size_t len)
{
	history_result r = {0};
	r.title = kt_xstrdup(title);
	r.http_status = 200;
	r.format = 2;
	if (len) {
		r.body = kt_xmalloc(len + 1);
		memset(r.body, 'x', len);
		r.body[len] = '\0';
		r.len = len;
	}
	return r;
}

static const history_entry *add_len(history *h, size_t len)
{
	history_result r = ok_res("session.start", len);
	form *f = session_start("s");
	const history_entry *e = history_add(h, f, "local", 0, &r);
	form_free(f);
	history_result_free(&r);
	return e;
}

Test(history, numbering_and_newest_first)
{
	history h;
	history_init(&h, 0, 0);
	cr_assert_eq(history_count(&h), 0);
	cr_assert_null(history_at(&h, 0));
	cr_assert_null(history_find(&h, 1));
	for (int i = 0; i < 3; i++)
		cr_assert_eq(add_len(&h, 5)->number, (unsigned long)i + 1);
	cr_assert_eq(history_count(&h), 3);
	cr_assert_eq(history_at(&h, 0)->number, 3);
	cr_assert_eq(history_at(&h, 2)->number, 1);
	cr_assert_null(history_at(&h, 3));
	cr_assert_eq(history_find(&h, 2), history_at(&h, 1));
	cr_assert_null(history_find(&h, 0));
	cr_assert_null(history_find(&h, 4));
	history_free(&h);
	cr_assert_eq(history_count(&h), 0);
	/* numbers go on after a free: an entry's number is never reused */
	cr_assert_eq(add_len(&h, 1)->number, 4);
	history_free(&h);
}

Test(history, entry_limit_drops_the_oldest)
{
	history h;
	history_init(&h, 3, 0);
	for (int i = 0; i < 5; i++)
		add_len(&h, 2);
	cr_assert_eq(history_count(&h), 3);
	cr_assert_eq(history_at(&h, 0)->number, 5);
	cr_assert_eq(history_at(&h, 2)->number, 3);
	cr_assert_null(history_find(&h, 2));
	cr_assert_not_null(history_find(&h, 3));
	cr_assert_eq(history_find(&h, 5)->number, 5);
	cr_assert_eq(h.bytes, 6, "the bodies of the entries kept");
	history_free(&h);
	/* the default limit */
	history_init(&h, 0, 0);
	for (int i = 0; i < HISTORY_MAX_ENTRIES + 7; i++)
		add_len(&h, 1);
	cr_assert_eq(history_count(&h), HISTORY_MAX_ENTRIES);
	cr_assert_eq(history_at(&h, HISTORY_MAX_ENTRIES - 1)->number, 8);
	history_free(&h);
}

Test(history, byte_cap_drops_the_oldest_bodies)
{
	history h;
	history_init(&h, 0, 10);
	add_len(&h, 4);
	add_len(&h, 4);
	cr_assert_eq(h.bytes, 8);
	add_len(&h, 4);
	cr_assert_eq(history_count(&h), 3, "entries stay; only bodies go");
	cr_assert_null(history_find(&h, 1)->res.body);
	cr_assert(history_find(&h, 1)->body_dropped);
	cr_assert_eq(history_find(&h, 1)->res.http_status, 200, "the rest of the result stays");
	cr_assert_not_null(history_find(&h, 2)->res.body);
	cr_assert_not(history_find(&h, 2)->body_dropped);
	cr_assert_eq(history_find(&h, 3)->res.len, 4);
	cr_assert_eq(h.bytes, 8);
	/* a body over the cap by itself is not kept, and drops nothing */
	const history_entry *big = add_len(&h, 11);
	cr_assert_null(big->res.body);
	cr_assert(big->body_dropped);
	cr_assert_eq(h.bytes, 8);
	cr_assert_not_null(history_find(&h, 3)->res.body);
	/* exactly the cap: every older body goes */
	const history_entry *full = add_len(&h, 10);
	cr_assert_not_null(full->res.body);
	cr_assert_eq(h.bytes, 10);
	for (unsigned long n = 1; n <= 4; n++)
		cr_assert_null(history_find(&h, n)->res.body, "entry %lu", n);
	/* a result without a body (a failure) has nothing dropped */
	const history_entry *none = add_len(&h, 0);
	cr_assert_null(none->res.body);
	cr_assert_not(none->body_dropped);
	cr_assert_eq(h.bytes, 10);
	history_free(&h);
	/* the default cap */
	history_init(&h, 0, 0);
	cr_assert_eq(h.max_bytes, (size_t)64 * 1024 * 1024);
	history_free(&h);
}

Test(history, snapshot_keeps_no_secret)
{
	history h;
	history_init(&h, 0, 0);
	form *f = session_start("TOPSECRET");
	history_result r = ok_res("session.start", 3);
	const history_entry *e = history_add(&h, f, "local", 0, &r);
	history_result_free(&r);
	const form *s = e->snap;
	cr_assert_not_null(s);
	cr_assert_eq(form_action(s), form_action(f));
	cr_assert_str_eq(form_row_at(s, form_find(s, "secret"))->value, "");
	cr_assert_str_eq(form_row_at(s, form_field(s, "ks"))->value, "");
	cr_assert_str_eq(form_row_at(s, form_find(s, "privileges"))->value, "disableentitlement");
	/* no secret anywhere in the snapshot */
	for (size_t i = 0; i < form_count(s); i++)
		cr_assert_null(strstr(form_row_at(s, i)->value, "TOPSECRET"), "row %zu", i);
	/* the form as sent is left as it was, and the snapshot outlives it */
	cr_assert_str_eq(form_row_at(f, form_find(f, "secret"))->value, "TOPSECRET");
	form_free(f);
	cr_assert_eq(form_row_at(s, form_find(s, "privileges"))->enabled, true);
	/* no form (nothing to snapshot) */
	history_result r2 = ok_res("x.y", 0);
	cr_assert_null(history_add(&h, NULL, NULL, 0, &r2)->snap);
	cr_assert_str_eq(history_at(&h, 0)->endpoint, "");
	history_result_free(&r2);
	history_free(&h);
}

Test(history, result_is_copied)
{
	history h;
	history_init(&h, 0, 0);
	history_result r = ok_res("category.get", 0);
	static const char raw[] = "ab\0cd";
	r.body = kt_xmalloc(sizeof raw);
	memcpy(r.body, raw, sizeof raw);
	r.len = 5;
	r.error_code = kt_xstrdup("CATEGORY_NOT_FOUND");
	r.error_message = kt_xstrdup("Category id \"2\" not found");
	r.has_execution_time = true;
	r.execution_time = 0.5;
	form *f = session_start("s");
	const history_entry *e = history_add(&h, f, "eu", 0, &r);
	/* the caller's result changes and goes; the entry keeps its own */
	r.error_code[0] = 'X';
	r.body[0] = 'Z';
	history_result_free(&r);
	cr_assert_str_eq(e->res.title, "category.get");
	cr_assert_str_eq(e->res.error_code, "CATEGORY_NOT_FOUND");
	cr_assert_str_eq(e->res.error_message, "Category id \"2\" not found");
	cr_assert_eq(e->res.len, 5);
	cr_assert_eq(memcmp(e->res.body, raw, 5), 0, "a body is copied by length, NULs too");
	cr_assert_eq(e->res.body[5], '\0');
	cr_assert(e->res.has_execution_time);
	cr_assert_null(e->res.failure);
	cr_assert_str_eq(e->endpoint, "eu");
	/* a copy of the entry's result, as the console restores it */
	history_result c;
	history_result_copy(&c, &e->res);
	cr_assert_neq(c.body, e->res.body);
	cr_assert_str_eq(c.error_code, e->res.error_code);
	history_result_free(&c);
	cr_assert_null(c.title);
	/* a body pointer with no length keeps no body */
	history_result odd = ok_res("a.b", 0);
	odd.body = NULL;
	odd.len = 7;
	cr_assert_eq(history_add(&h, f, "x", 0, &odd)->res.len, 0);
	cr_assert_eq(h.bytes, 5);
	history_result_free(&odd);
	form_free(f);
	history_free(&h);
}

static void outcome_of(const history_result *r, const char *want)
{
	history h;
	history_init(&h, 0, 0);
	const history_entry *e = history_add(&h, NULL, "local", 0, r);
	char buf[200];
	history_outcome(e, buf, sizeof buf);
	cr_assert_str_eq(buf, want);
	history_free(&h);
}

Test(history, outcomes)
{
	history_result r = ok_res("session.start", 0);
	outcome_of(&r, "200 ok");
	r.error_code = "CATEGORY_NOT_FOUND";
	outcome_of(&r, "CATEGORY_NOT_FOUND");
	r.error_code = "";
	outcome_of(&r, "API error");
	r.error_code = NULL;
	r.http_status = 502;
	r.failure = "not a Kaltura response";
	outcome_of(&r, "HTTP 502 not a Kaltura response");
	r.http_status = 0;
	r.failure = "connection refused";
	outcome_of(&r, "connection refused");
	r.failure = NULL;
	free(r.title);
}

static bool matches(const char *s, const char *re)
{
	regex_t rx;
	cr_assert_eq(regcomp(&rx, re, REG_EXTENDED | REG_NOSUB), 0, "%s", re);
	bool m = regexec(&rx, s, 0, NULL, 0) == 0;
	regfree(&rx);
	return m;
}

Test(history, listing_line)
{
	history h;
	history_init(&h, 0, 0);
	for (int i = 0; i < 11; i++)
		add_len(&h, 1);
	history_result r = ok_res("category.get", 0);
	r.error_code = kt_xstrdup("CATEGORY_NOT_FOUND");
	form *f = session_start("s");
	const history_entry *e = history_add(&h, f, "local", time(NULL), &r);
	char line[200];
	history_line(e, line, sizeof line);
	/* the time is local time, HH:MM:SS; its value is not checked */
	cr_assert(matches(line, "^12\\. +category\\.get +CATEGORY_NOT_FOUND +local +"
				"[0-9]{2}:[0-9]{2}:[0-9]{2}$"),
		  "%s", line);
	/* a long URL and a long failure are cut, and the line stays one line */
	history_result_free(&r);
	r = ok_res("media.list", 0);
	r.failure = kt_xstrdup("a very long failure message that goes on and on and on, past "
			       "any column that a list could give it");
	e = history_add(&h, f, "https://kaltura.example.com/a/very/long/path/of/an/on-prem/server",
			0, &r);
	history_line(e, line, sizeof line);
	cr_assert(matches(line, "^13\\. +media\\.list +HTTP 200 a very long.*\\.\\.\\. +https://kaltura"
				"\\.example\\.com.*\\.\\.\\. +[0-9]{2}:[0-9]{2}:[0-9]{2}$"),
		  "%s", line);
	cr_assert_lt(strlen(line), 120);
	cr_assert_null(strchr(line, '\n'));
	/* a small buffer is cut, never overrun */
	char tiny[8];
	history_line(e, tiny, sizeof tiny);
	cr_assert_str_eq(tiny, "13.  me");
	history_result_free(&r);
	form_free(f);
	history_free(&h);
}

Test(history, results_with_credentials_are_withheld)
{
	history h;
	history_init(&h, 0, 0);
	history_withhold_last(&h); /* nothing yet: harmless */
	history_result r = ok_res("session.start", 0);
	r.body = kt_xstrdup("<xml><result>djJ8MTAwfA</result></xml>");
	r.len = strlen(r.body);
	form *f = session_start("s");
	const history_entry *e = history_add(&h, f, "local", 0, &r);
	cr_assert_not_null(e->res.body);
	history_withhold_last(&h);
	cr_assert_null(e->res.body);
	cr_assert_eq(e->res.len, 0);
	cr_assert(e->body_withheld);
	cr_assert_str_eq(e->res.title, "session.start", "the rest of the entry stays");
	cr_assert_eq(h.bytes, 0, "the byte count gives the body back");
	history_result r2 = ok_res("category.get", 0);
	r2.body = kt_xstrdup("<xml/>");
	r2.len = 6;
	const history_entry *e2 = history_add(&h, f, "local", 0, &r2);
	cr_assert_not_null(e2->res.body);
	cr_assert_not(e2->body_withheld);
	cr_assert_eq(h.bytes, 6);
	history_result_free(&r);
	history_result_free(&r2);
	form_free(f);
	history_free(&h);
}

Test(history, a_multirequest_keeps_its_request_text)
{
	history h;
	history_init(&h, 2, 0);
	history_set_request_last(&h, "@service = multirequest"); /* nothing yet: harmless */
	history_result r = ok_res("multirequest (2 items)", 0);
	form *fields = form_new(small, NULL);
	const history_entry *e = history_add(&h, fields, "local", 0, &r);
	cr_assert_null(e->request);
	history_set_request_last(&h, "@service = multirequest\n1:service = session\n");
	cr_assert_str_eq(e->request, "@service = multirequest\n1:service = session\n");
	/* it goes with its entry */
	add_len(&h, 0);
	add_len(&h, 0);
	cr_assert_eq(history_count(&h), 2);
	cr_assert_null(history_at(&h, 0)->request);
	cr_assert_null(history_at(&h, 1)->request);
	history_result_free(&r);
	form_free(fields);
	history_free(&h);
}
