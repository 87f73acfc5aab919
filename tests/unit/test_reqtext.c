/* reqtext: the request text of saved requests and the history: round trips, escapes, secrets
 * left out (names, KS-shaped values, the ks field), back-references kept, errors, the diff. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "ks.h"
#include "reqtext.h"
#include "util.h"

static char *make_ks(void)
{
	ks_fields f = {.version = 2, .partner_id = 1234, .valid_until = 4102444800LL, .type = 2};
	char *ks = NULL;
	cr_assert_eq(ks_generate(&f, "0123456789abcdef0123456789abcdef", &ks, NULL), 0);
	return ks;
}

Test(reqtext, round_trip_keeps_fields_and_nested_keys)
{
	kt_request r;
	request_init(&r, "category", "list");
	r.format = 1;
	request_set_field(&r.partner_id, "1234");
	request_set_field(&r.language, "de");
	cr_assert_eq(param_set(r.params, "filter:objectType", "KalturaCategoryFilter", NULL), 0);
	cr_assert_eq(param_set(r.params, "filter:nameEqual__null", "", NULL), 0);
	cr_assert_eq(param_set(r.params, "entries:-", "", NULL), 0);
	cr_assert_eq(param_set(r.params, "pager:pageSize", "5", NULL), 0);
	char *text = reqtext_format(&r);
	cr_assert_str_eq(text, "@service = category\n"
			       "@action = list\n"
			       "@format = 1\n"
			       "@partnerId = 1234\n"
			       "@clientTag = ktestme\n"
			       "@language = de\n"
			       "filter:objectType = KalturaCategoryFilter\n"
			       "filter:nameEqual__null =\n"
			       "entries:- =\n"
			       "pager:pageSize = 5\n");
	kt_request back;
	kt_error err = {0};
	cr_assert_eq(reqtext_parse(text, &back, &err), 0, "%s", err.msg);
	char *body1 = request_form_body(&r), *body2 = request_form_body(&back);
	cr_assert_str_eq(body2, body1);
	free(body1);
	free(body2);
	free(text);
	request_free(&r);
	request_free(&back);
}

Test(reqtext, values_with_newlines_spaces_and_backslashes_survive)
{
	static const char *const values[] = {
		"line1\nline2", " lead", "trail ", "a\\nb", "tab\there", "\x01\x7f", "d\xc3\xa9mo",
		"a = b", "#not a comment", "",
	};
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		kt_buf b;
		kt_buf_init(&b);
		reqtext_escape(&b, values[i]);
		kt_buf_adds(&b, ""); /* data is there even for "" */
		cr_assert_null(strchr(b.data, '\n'), "value %zu spans lines", i);
		if (b.len)
			cr_assert(b.data[0] != ' ' && b.data[b.len - 1] != ' ', "value %zu: edge space", i);
		char *back = reqtext_unescape(b.data);
		cr_assert_not_null(back);
		cr_assert_str_eq(back, values[i]);
		free(back);
		kt_buf_free(&b);
	}
	cr_assert_null(reqtext_unescape("bad\\q"));
	cr_assert_null(reqtext_unescape("end\\"));
	cr_assert_null(reqtext_unescape("nul\\x00"));
	cr_assert_null(reqtext_unescape("short\\x4"));
}

Test(reqtext, secrets_are_never_written)
{
	char *ks = make_ks();
	kt_request r;
	request_init(&r, "multirequest", NULL);
	request_set_field(&r.ks, ks);
	param_set(r.params, "1:service", "session", NULL);
	param_set(r.params, "1:action", "start", NULL);
	param_set(r.params, "1:secret", "TOP-SECRET-1", NULL);
	param_set(r.params, "1:partnerId", "1234", NULL);
	param_set(r.params, "2:service", "appToken", NULL);
	param_set(r.params, "2:action", "startSession", NULL);
	param_set(r.params, "2:tokenHash", "HASH-VALUE-2", NULL);
	param_set(r.params, "2:ks", "{1:result}", NULL); /* a reference, not a KS */
	param_set(r.params, "3:service", "session", NULL);
	param_set(r.params, "3:action", "get", NULL);
	param_set(r.params, "3:session", ks, NULL); /* a KS under a harmless name */
	param_set(r.params, "4:password", "pw-4", NULL);
	kt_buf b;
	kt_buf_init(&b);
	size_t dropped = reqtext_write(&b, &r);
	cr_assert_eq(dropped, 5, "dropped %zu", dropped);
	cr_assert_null(strstr(b.data, "TOP-SECRET-1"));
	cr_assert_null(strstr(b.data, "HASH-VALUE-2"));
	cr_assert_null(strstr(b.data, "pw-4"));
	cr_assert_null(strstr(b.data, ks));
	cr_assert_null(strstr(b.data, "@ks"));
	cr_assert_not_null(strstr(b.data, "2:ks = {1:result}\n"));
	cr_assert_not_null(strstr(b.data, "1:partnerId = 1234\n"));
	kt_buf_free(&b);
	request_free(&r);

	/* and a file that has them does not hand them over */
	char *text = kt_xasprintf("@service = session\n@action = get\n@ks = %s\nsession = %s\n"
				  "secret = abc\nuserId = u\n", ks, ks);
	kt_request back;
	cr_assert_eq(reqtext_parse(text, &back, NULL), 0);
	cr_assert_null(back.ks);
	cr_assert_null(param_find(back.params, "session"));
	cr_assert_null(param_find(back.params, "secret"));
	cr_assert_str_eq(param_find(back.params, "userId")->value, "u");
	request_free(&back);
	free(text);
	free(ks);
}

Test(reqtext, bad_text_names_the_line)
{
	kt_request r;
	kt_error err = {0};
	cr_assert_eq(reqtext_parse("@service = a\n@action = b\nno equals sign\n", &r, &err), -1);
	cr_assert_eq(err.code, KT_E_DATA);
	cr_assert_str_eq(err.msg, "line 3: not 'name = value'");
	cr_assert_eq(reqtext_parse("@service = a\n@action = b\n@bogus = 1\n", &r, &err), -1);
	cr_assert_str_eq(err.msg, "line 3: unknown field '@bogus'");
	cr_assert_eq(reqtext_parse("@service = a\n@action = b\n@format = 7\n", &r, &err), -1);
	cr_assert_eq(reqtext_parse("@action = b\nx = 1\n", &r, &err), -1);
	cr_assert_str_eq(err.msg, "no @service line");
	cr_assert_eq(reqtext_parse("@service = a\n", &r, &err), -1);
	cr_assert_str_eq(err.msg, "no @action line");
	cr_assert_eq(reqtext_parse("@service = a\n@action = b\nx::y = 1\n", &r, &err), -1);
	cr_assert_eq(err.code, KT_E_DATA);
	cr_assert_eq(reqtext_parse("@service = a\n@action = b\nv = bad\\q\n", &r, &err), -1);
	cr_assert_str_eq(err.msg, "line 3: bad escape in the value of v");
	/* a multirequest has no action; comments and blank lines are fine */
	cr_assert_eq(reqtext_parse("# c\n\n@service = multirequest\n1:service = x\n", &r, &err), 0);
	cr_assert(request_is_multi(&r));
	request_free(&r);
}

Test(reqtext, diff_names_each_changed_key)
{
	char *d = reqtext_diff("@service = a\n@action = b\nid = 1\nname = x\n",
			       "@service = a\n@action = b\nid = 2\nextra = y\n");
	cr_assert_str_eq(d, "~ id = 1 -> 2\n- name = x\n+ extra = y\n");
	free(d);
	d = reqtext_diff("@service = a\nid = 1\n", "@service = a\nid = 1\n");
	cr_assert_str_eq(d, "");
	free(d);
}

/* A file to upload is kept as its path, "@file:NAME = PATH", and read back. */
Test(reqtext, files_to_upload_round_trip)
{
	kt_request r;
	request_init(&r, "uploadtoken", "upload");
	param_set(r.params, "uploadTokenId", "0_t", NULL);
	request_add_file(&r, "fileData", "/tmp/my clip.mp4");
	request_add_file(&r, "2:fileData", " lead");
	char *t = reqtext_format(&r);
	cr_assert(strstr(t, "\n@file:fileData = /tmp/my clip.mp4\n"), "%s", t);
	cr_assert(strstr(t, "\n@file:2:fileData = \\x20lead\n"), "%s", t);
	kt_request back;
	kt_error err;
	cr_assert_eq(reqtext_parse(t, &back, &err), 0, "%s", err.msg);
	cr_assert_eq(back.nfiles, 2);
	cr_assert_str_eq(request_find_file(&back, "fileData")->path, "/tmp/my clip.mp4");
	cr_assert_str_eq(request_find_file(&back, "2:fileData")->path, " lead");
	cr_assert_null(param_find(back.params, "fileData"));
	request_free(&back);
	free(t);
	request_free(&r);
	cr_assert_eq(reqtext_parse("@service = a\n@action = b\n@file: = /x\n", &back, &err), -1);
	cr_assert(strstr(err.msg, "unknown field") || strstr(err.msg, "bad file line"), "%s", err.msg);
}
