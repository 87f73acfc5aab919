/* The streamed reading equals the whole-body one: the pretty text byte for byte and the model,
 * on every recorded response, on generated bodies cut at every kind of boundary, and on
 * results too large for the model to keep whole. */
#include <criterion/criterion.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "files.h"
#include "response.h"
#include "rstream.h"
#include "rstream_diff.h"
#include "util.h"

static const size_t chunks[] = {0, 4096, 513, 512, 511, 64, 7, 3, 2, 1};
#define NCHUNKS (sizeof chunks / sizeof chunks[0])

static void check_chunks(const char *what, const char *body, size_t len, int format, size_t nc)
{
	for (size_t c = 0; c < nc; c++) {
		const char *d = rstream_diff(body, len, format, chunks[c]);
		cr_assert_null(d, "%s (%s, pieces of %zu): %s", what,
			       format == KT_FORMAT_XML ? "XML" : "JSON", chunks[c], d);
	}
}

static void check_all_chunks(const char *what, const char *body, size_t len, int format)
{
	check_chunks(what, body, len, format, NCHUNKS);
}

Test(rstream, every_recorded_response)
{
	const char *dir = getenv("KT_TESTDATA");
	char *path = kt_xasprintf("%s/responses", dir ? dir : "tests/data");
	DIR *d = opendir(path);
	cr_assert_not_null(d, "%s", path);
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char *file = kt_xasprintf("%s/%s", path, e->d_name);
		size_t len;
		kt_error err;
		char *body = files_read(file, &len, &err);
		cr_assert_not_null(body, "%s", err.msg);
		/* each body both ways: the wrong format must fail alike too */
		check_all_chunks(e->d_name, body, len, KT_FORMAT_XML);
		check_all_chunks(e->d_name, body, len, KT_FORMAT_JSON);
		free(body);
		free(file);
		n++;
	}
	closedir(d);
	free(path);
	cr_assert_gt(n, 20);
}

/* ---- generated bodies ---- */

static unsigned rnd_state;

static unsigned rnd(unsigned n)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return (rnd_state >> 16) % n;
}

static const char *pick(const char *const *v, size_t n)
{
	return v[rnd((unsigned)n)];
}
#define PICK(v) pick(v, sizeof v / sizeof v[0])

static void gen_xml(kt_buf *b, int depth)
{
	static const char *const names[] = {"xml", "result", "item", "objects", "error", "code",
		"message", "objectType", "ks", "args", "name", "value", "itemKey", "executionTime",
		"totalCount", "a", "p:b"};
	static const char *const texts[] = {"", "x", "KalturaAPIException", "KalturaMediaEntry",
		"  ", "\n", "a&amp;b", "&lt;", "&#32;", "\xc3\xa9", "\r\n", "0.5", "tok",
		"<![CDATA[c]]>", "<![CDATA[]]>", "<!--c-->", "<?pi d?>", "&#13;", "djJ8MTIzfA=="};
	static const char *const spaces[] = {"", " ", "\n  ", "\t", "\r\n"};
	const char *n = PICK(names);
	kt_buf_printf(b, "<%s", n);
	if (rnd(5) == 0)
		kt_buf_printf(b, " key=\"k&amp;%u\"", rnd(10));
	if (rnd(20) == 0)
		kt_buf_adds(b, " xml:space=\"preserve\"");
	if (rnd(20) == 0)
		kt_buf_adds(b, " at=\"a\tb&#10;&quot;\"");
	if (depth > 4 || rnd(10) < 3) {
		if (rnd(3) == 0) {
			kt_buf_adds(b, "/>");
			return;
		}
		kt_buf_printf(b, ">%s</%s>", PICK(texts), n);
		return;
	}
	kt_buf_adds(b, ">");
	for (unsigned i = 0, k = rnd(5); i < k; i++) {
		kt_buf_adds(b, PICK(spaces));
		if (rnd(100) < 85)
			gen_xml(b, depth + 1);
		else
			kt_buf_adds(b, PICK(texts));
	}
	kt_buf_printf(b, "%s</%s>", PICK(spaces), n);
}

static void gen_json(kt_buf *b, int depth)
{
	static const char *const scalars[] = {"1", "-0", "0.1", "1e5", "1.5e-7", "\"s\"", "\"\"",
		"\"\\u00e9\\n\\\"x\"", "true", "false", "null", "3.141592653589793",
		"\"a/b\\u001f\"", "0.30000000000000004", "\"\\ud83d\\ude00\"", "-12e-3"};
	static const char *const keys[] = {"objectType", "code", "message", "ks", "args", "a",
		"b", "token", "objects"};
	unsigned r = rnd(10);
	if (depth > 4 || r < 4) {
		kt_buf_adds(b, PICK(scalars));
	} else if (r < 7) {
		kt_buf_adds(b, "[");
		for (unsigned i = 0, k = rnd(5); i < k; i++) {
			kt_buf_adds(b, i ? ", " : "");
			gen_json(b, depth + 1);
		}
		kt_buf_adds(b, "]");
	} else {
		kt_buf_adds(b, rnd(2) ? "{" : "{ \n");
		for (unsigned i = 0, k = rnd(5); i < k; i++) {
			const char *key = PICK(keys);
			kt_buf_printf(b, "%s\"%s\":%s", i ? "," : "", key, rnd(2) ? " " : "");
			if (!strcmp(key, "objectType") && rnd(2))
				kt_buf_adds(b, "\"KalturaAPIException\"");
			else
				gen_json(b, depth + 1);
		}
		kt_buf_adds(b, "}");
	}
}

Test(rstream, generated_xml)
{
	rnd_state = 1;
	for (int i = 0; i < 400; i++) {
		kt_buf b;
		kt_buf_init(&b);
		if (rnd(2))
			kt_buf_adds(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>");
		if (rnd(10) == 0)
			kt_buf_adds(&b, "<!-- lead -->");
		kt_buf_adds(&b, "<xml>");
		gen_xml(&b, 1);
		if (rnd(2))
			kt_buf_printf(&b, "<executionTime>0.%d</executionTime>", i);
		kt_buf_adds(&b, "</xml>");
		check_all_chunks(b.data, b.data, b.len, KT_FORMAT_XML);
		kt_buf_free(&b);
	}
}

Test(rstream, generated_json)
{
	rnd_state = 2;
	for (int i = 0; i < 400; i++) {
		kt_buf b;
		kt_buf_init(&b);
		gen_json(&b, 0);
		check_all_chunks(b.data, b.data, b.len, KT_FORMAT_JSON);
		kt_buf_free(&b);
	}
}

/* ---- large results: the model keeps what it needs, the text stays exact ---- */

static void big_list(kt_buf *b, int format, size_t items, bool secret_deep)
{
	if (format == KT_FORMAT_XML) {
		kt_buf_adds(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?><xml><result><item>"
			       "<objectType>KalturaAPIException</objectType><code>ENTRY_ID_NOT_FOUND"
			       "</code><message>Entry id \"0_x\" not found</message><args><item>"
			       "<objectType>KalturaApiExceptionArg</objectType><name>ENTRY_ID</name>"
			       "<value>0_x</value></item></args></item><item><objectType>"
			       "KalturaMediaListResponse</objectType><objects>");
		for (size_t i = 0; i < items; i++)
			kt_buf_printf(b, "<item><objectType>KalturaMediaEntry</objectType><id>0_%zu</id>"
				      "<name>Entry %zu</name><tags>a,b</tags>%s</item>", i, i,
				      secret_deep && i == items - 1 ? "<ks>djJ8MTIzfA==</ks>" : "");
		kt_buf_printf(b, "</objects><totalCount>%zu</totalCount></item></result>"
			      "<executionTime>0.25</executionTime></xml>", items);
	} else {
		kt_buf_adds(b, "[{\"code\":\"ENTRY_ID_NOT_FOUND\",\"message\":\"Entry id \\\"0_x\\\" not "
			       "found\",\"objectType\":\"KalturaAPIException\",\"args\":{\"ENTRY_ID\":"
			       "\"0_x\"}},{\"objects\":[");
		for (size_t i = 0; i < items; i++)
			kt_buf_printf(b, "%s{\"id\":\"0_%zu\",\"name\":\"Entry %zu\",\"plays\":%zu,"
				      "\"rank\":%zu.5,%s\"objectType\":\"KalturaMediaEntry\"}",
				      i ? "," : "", i, i, i, i,
				      secret_deep && i == items - 1 ? "\"ks\":\"djJ8MTIzfA==\"," : "");
		kt_buf_printf(b, "],\"totalCount\":%zu,\"objectType\":\"KalturaMediaListResponse\"}]",
			      items);
	}
}

Test(rstream, large_results_keep_their_model)
{
	int formats[] = {KT_FORMAT_XML, KT_FORMAT_JSON};
	for (int f = 0; f < 2; f++)
		for (int secret = 0; secret < 2; secret++) {
			kt_buf b;
			kt_buf_init(&b);
			big_list(&b, formats[f], 20000, secret);
			check_chunks("a 20000-item multirequest", b.data, b.len, formats[f], 2);
			response r;
			kt_error err;
			char *pretty;
			cr_assert_eq(rs_parse(b.data, b.len, formats[f], &r, &pretty, &err), 0, "%s",
				     err.msg);
			cr_assert_eq(r.result->kind, RV_ARRAY);
			cr_assert_eq(r.result->n, 2);
			const rvalue *e = response_error(&r);
			cr_assert_not_null(e);
			cr_assert_str_eq(e->code, "ENTRY_ID_NOT_FOUND");
			cr_assert_str_eq(e->children[0]->text, "0_x");
			free(pretty);
			response_free(&r);
			kt_buf_free(&b);
		}
}

Test(rstream, a_secret_deep_in_a_large_result_is_seen)
{
	int formats[] = {KT_FORMAT_XML, KT_FORMAT_JSON};
	for (int f = 0; f < 2; f++)
		for (int secret = 0; secret < 2; secret++) {
			kt_buf b;
			kt_buf_init(&b);
			big_list(&b, formats[f], 20000, secret);
			rs_stream *s = rs_new(formats[f], NULL, NULL);
			kt_error err;
			response r;
			cr_assert_eq(rs_feed(s, b.data, b.len, &err), 0, "%s", err.msg);
			cr_assert_eq(rs_finish(s, &r, &err), 0, "%s", err.msg);
			cr_assert_eq(rs_holds_secret(s, &r, "media", "list"), secret);
			response_free(&r);
			rs_free(s);
			kt_buf_free(&b);
		}
}

/* ---- what is not a Kaltura response fails as response_parse fails ---- */

static void expect_fail(const char *body, int format, const char *msg)
{
	response r;
	kt_error err = {0};
	char *pretty = (char *)1;
	cr_assert_eq(rs_parse(body, strlen(body), format, &r, &pretty, &err), -1, "%s", body);
	cr_assert_null(pretty);
	cr_assert_null(r.result);
	cr_assert_str_eq(err.msg, msg, "%s: %s", body, err.msg);
}

Test(rstream, failures_say_what_came)
{
	expect_fail("", KT_FORMAT_XML, "the server sent an empty body");
	expect_fail("  \n", KT_FORMAT_JSON, "the server sent an empty body");
	expect_fail("<html><head><title>502 Bad Gateway</title></head></html>", KT_FORMAT_XML,
		    "the server sent an HTML page, not a Kaltura response: 502 Bad Gateway");
	expect_fail("{\"a\":1}", KT_FORMAT_XML, "the server sent JSON, but XML (format 2) was asked for");
	expect_fail("<xml><result>1</result></xml>", KT_FORMAT_JSON,
		    "the server sent XML, but JSON (format 1) was asked for");
	expect_fail("<xml><other/></xml>", KT_FORMAT_XML,
		    "the server sent XML that is not a Kaltura response: no <result> element");
	expect_fail("{\"a\": [1, 2}", KT_FORMAT_JSON, "malformed JSON at line 1, column 12: ']' expected");
	expect_fail("[1] 2", KT_FORMAT_JSON, "malformed JSON at line 1, column 5: end of file expected");
	response r;
	kt_error err;
	cr_assert_eq(rs_parse("<xml><result>1</res", 19, KT_FORMAT_XML, &r, NULL, &err), -1);
	cr_assert(strstr(err.msg, "malformed XML"), "%s", err.msg);
}

Test(rstream, text_comes_while_the_body_is_read)
{
	kt_buf b;
	kt_buf_init(&b);
	big_list(&b, KT_FORMAT_XML, 5000, false);
	rs_stream *s = rs_new(KT_FORMAT_XML, NULL, NULL);
	kt_error err;
	/* half the body in: most of its text is already out */
	cr_assert_eq(rs_feed(s, b.data, b.len / 2, &err), 0, "%s", err.msg);
	cr_assert_gt(rs_written(s), b.len / 4);
	response r;
	cr_assert_eq(rs_feed(s, b.data + b.len / 2, b.len - b.len / 2, &err), 0);
	cr_assert_eq(rs_finish(s, &r, &err), 0, "%s", err.msg);
	cr_assert(rs_exact(s));
	response_free(&r);
	rs_free(s);
	kt_buf_free(&b);
}
