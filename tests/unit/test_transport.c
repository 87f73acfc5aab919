/* transport against a real HTTP server on loopback (libmicrohttpd, in this process). */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <microhttpd.h>

#include "transport.h"

static struct MHD_Daemon *daemon_;
static char base[64];
static volatile int release_slow;

typedef struct body_state {
	kt_buf body;
} body_state;

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url,
			       const char *method, const char *version, const char *upload,
			       size_t *upload_size, void **state)
{
	(void)cls, (void)version;
	body_state *bs = *state;
	if (!bs) {
		bs = calloc(1, sizeof *bs);
		*state = bs;
		return MHD_YES;
	}
	if (*upload_size) {
		kt_buf_add(&bs->body, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	if (!strcmp(url, "/slow"))
		while (!release_slow)
			usleep(10000);
	if (!strcmp(url, "/moved")) {
		/* 307: the same method and body again, at the same host */
		char *to = kt_xasprintf("%s/echo", base);
		struct MHD_Response *m = MHD_create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
		MHD_add_response_header(m, "Location", to);
		enum MHD_Result ret = MHD_queue_response(c, 307, m);
		MHD_destroy_response(m);
		free(to);
		return ret;
	}
	const char *ua = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "User-Agent");
	const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
	char *text = kt_xasprintf("%s|%s|%s|%s", method, ua ? ua : "", ct ? ct : "",
				  bs->body.data ? bs->body.data : "");
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), text,
								 MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(r, "X-Me", "unit-host");
	MHD_add_response_header(r, "X-Kaltura-Session", "ks-header");
	MHD_add_response_header(r, "Content-Type", "text/plain");
	enum MHD_Result ret = MHD_queue_response(c, !strcmp(url, "/404") ? 404 : 200, r);
	MHD_destroy_response(r);
	return ret;
}

static void completed(void *cls, struct MHD_Connection *c, void **state,
		      enum MHD_RequestTerminationCode why)
{
	(void)cls, (void)c, (void)why;
	body_state *bs = *state;
	if (bs) {
		kt_buf_free(&bs->body);
		free(bs);
	}
}

static void start(void)
{
	struct sockaddr_in addr = {.sin_family = AF_INET};
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	release_slow = 0;
	daemon_ = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION,
				   0, NULL, NULL, handler, NULL, MHD_OPTION_SOCK_ADDR, &addr,
				   MHD_OPTION_NOTIFY_COMPLETED, completed, NULL, MHD_OPTION_END);
	cr_assert_not_null(daemon_);
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_BIND_PORT);
	snprintf(base, sizeof base, "http://127.0.0.1:%u", info->port);
}

static void stop(void)
{
	release_slow = 1;
	MHD_stop_daemon(daemon_);
}

TestSuite(transport, .init = start, .fini = stop);

Test(transport, posts_body_with_headers_and_keeps_response_headers)
{
	char url[128];
	snprintf(url, sizeof url, "%s/api", base);
	tp_response r;
	kt_error e;
	cr_assert_eq(tp_perform(url, "a=1&b=2", "application/x-www-form-urlencoded", NULL, &r, &e), 0,
		     "%s", e.msg);
	cr_assert_eq(r.status, 200);
	cr_assert_str_eq(r.body.data, "POST|ktestme/" KT_VERSION
				      "|application/x-www-form-urlencoded|a=1&b=2");
	cr_assert_str_eq(r.x_me, "unit-host");
	cr_assert_str_eq(r.x_kaltura_session, "ks-header");
	cr_assert_str_eq(r.content_type, "text/plain");
	cr_assert(strstr(r.headers.data, "X-Me: unit-host"));
	cr_assert(r.timings.total > 0);
	cr_assert(r.timings.first_byte <= r.timings.total);
	cr_assert(r.timings.connect <= r.timings.first_byte);
	tp_response_free(&r);
}

/* A multipart body as TestMe's form sends an upload: text fields, then the file as a part with
 * its base name and application/octet-stream; after a same-host redirect it goes again whole. */
Test(transport, multipart_fields_and_file_and_redirect)
{
	char path[] = "/tmp/kt-tp-XXXXXX";
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, "FILE-BYTES", 10), 10);
	close(fd);
	tp_part parts[] = {
		{.name = "ks", .value = "KS-VALUE"},
		{.name = "1:entry:name", .value = "a b"},
		{.name = "fileData", .path = path},
	};
	char url[128];
	const char *base_name = strrchr(path, '/') + 1;
	for (int hop = 0; hop < 2; hop++) {
		snprintf(url, sizeof url, "%s/%s", base, hop ? "moved" : "api");
		tp_opts o = {.follow = true};
		tp_response r;
		kt_error e;
		tp_call *c = tp_start_multipart(url, parts, 3, &o, &e);
		cr_assert(c, "%s", e.msg);
		cr_assert_eq(tp_finish(c, &r, &e), 0, "%s", e.msg);
		cr_assert_eq(r.status, 200);
		const char *b = r.body.data;
		cr_assert(strstr(b, "POST|ktestme/" KT_VERSION "|multipart/form-data; boundary="), "%s", b);
		cr_assert(strstr(b, "Content-Disposition: form-data; name=\"ks\"\r\n\r\nKS-VALUE\r\n"),
			  "%s", b);
		cr_assert(strstr(b, "name=\"1:entry:name\"\r\n\r\na b\r\n"), "%s", b);
		char *file = kt_xasprintf("name=\"fileData\"; filename=\"%s\"\r\n"
					  "Content-Type: application/octet-stream\r\n\r\nFILE-BYTES\r\n",
					  base_name);
		cr_assert(strstr(b, file), "%s", b);
		free(file);
		cr_assert_eq(hop ? strstr(r.redirects.data, "HTTP 307 to ") != NULL : r.redirects.len == 0,
			     true);
		tp_response_free(&r);
	}
	/* without follow the redirect is refused, as for any body */
	snprintf(url, sizeof url, "%s/moved", base);
	tp_response r;
	kt_error e;
	tp_call *c = tp_start_multipart(url, parts, 3, NULL, &e);
	cr_assert(c);
	cr_assert_eq(tp_finish(c, &r, &e), -1);
	cr_assert_eq(e.code, KT_E_REDIRECT);
	tp_response_free(&r);
	unlink(path);
}

Test(transport, http_error_status_is_a_response)
{
	char url[128];
	snprintf(url, sizeof url, "%s/404", base);
	tp_response r;
	cr_assert_eq(tp_perform(url, "", "text/plain", NULL, &r, NULL), 0);
	cr_assert_eq(r.status, 404);
	tp_response_free(&r);
}

Test(transport, steps_without_blocking_and_cancels)
{
	char url[128];
	snprintf(url, sizeof url, "%s/slow", base);
	kt_error e;
	tp_call *c = tp_start(url, "x=1", "text/plain", NULL, &e);
	cr_assert_not_null(c);
	/* the server holds the answer: every step returns promptly, unfinished */
	for (int i = 0; i < 5; i++)
		cr_assert_not(tp_step(c, 20));
	cr_assert(tp_elapsed(c) > 0);
	tp_cancel(c);
	release_slow = 1;
}

Test(transport, caps_the_body)
{
	char url[128];
	snprintf(url, sizeof url, "%s/api", base);
	tp_opts o = {.max_body = 8};
	tp_response r;
	kt_error e;
	cr_assert_eq(tp_perform(url, "0123456789", "text/plain", &o, &r, &e), -1);
	cr_assert_eq(e.code, KT_E_TOOBIG);
	cr_assert(r.body.len <= 8);
	tp_response_free(&r);
}

Test(transport, closed_port_and_bad_url)
{
	tp_response r;
	kt_error e;
	cr_assert_eq(tp_perform("http://127.0.0.1:1/x", "", "text/plain", NULL, &r, &e), -1);
	cr_assert_eq(e.code, KT_E_NET);
	cr_assert(strstr(e.msg, "127.0.0.1"), "%s", e.msg);
	cr_assert_null(strchr(e.msg, '\n'));
	tp_response_free(&r);
	cr_assert_eq(tp_perform("gopher://127.0.0.1/x", "", "text/plain", NULL, &r, &e), -1);
	cr_assert_eq(e.code, KT_E_NET);
	tp_response_free(&r);
}

Test(transport, get_when_there_is_no_body)
{
	char url[128];
	snprintf(url, sizeof url, "%s/api", base);
	tp_response r;
	cr_assert_eq(tp_perform(url, NULL, NULL, NULL, &r, NULL), 0);
	cr_assert_str_eq(r.body.data, "GET|ktestme/" KT_VERSION "||");
	tp_response_free(&r);
}

Test(redirect_policy, same_scheme_host_and_port_only)
{
	cr_assert_null(tp_redirect_refused("https://www.kaltura.com/api_v3/x", "https://WWW.kaltura.com/y"));
	cr_assert_null(tp_redirect_refused("https://a.example/x", "https://a.example:443/y"),
		       "the default port is the same port");
	cr_assert_str_eq(tp_redirect_refused("https://a.example/x", "http://a.example/x"),
			 "from https to http");
	cr_assert_str_eq(tp_redirect_refused("http://a.example/x", "https://a.example/x"),
			 "to another scheme");
	cr_assert_str_eq(tp_redirect_refused("https://a.example/x", "https://b.example/x"),
			 "to another host");
	cr_assert_str_eq(tp_redirect_refused("http://127.0.0.1:80/x", "http://127.0.0.1:81/x"),
			 "to another host");
	cr_assert_str_eq(tp_redirect_refused("https://a.example/x", "::junk"), "not a URL");
}
