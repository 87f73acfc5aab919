/* rfetch: the call on a thread of its own, against a real HTTP server on loopback: the text
 * grows while the body arrives, equals the one-pass reading, and a cancel stops the transfer
 * whether the server is sending or silent. */
#include <criterion/criterion.h>

#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <microhttpd.h>

#include "rfetch.h"
#include "rstream.h"
#include "util.h"

static struct MHD_Daemon *daemon_;
static char base[64];
static kt_buf big;
static atomic_int release_stall;

/* The big body in 4 KB pieces; the endless one never ends. */
static ssize_t big_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
	(void)cls;
	if (pos >= big.len)
		return MHD_CONTENT_READER_END_OF_STREAM;
	size_t n = big.len - pos < max ? big.len - pos : max;
	if (n > 4096)
		n = 4096;
	memcpy(buf, big.data + pos, n);
	return (ssize_t)n;
}

static ssize_t endless_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
	(void)cls;
	static const char head[] = "<?xml version=\"1.0\"?><xml><result><objects>";
	if (pos == 0 && max >= sizeof head - 1) {
		memcpy(buf, head, sizeof head - 1);
		return (ssize_t)(sizeof head - 1);
	}
	usleep(2000);
	const char item[] = "<item><id>1</id></item>";
	size_t n = 0;
	while (n + sizeof item - 1 <= max && n < 2048) {
		memcpy(buf + n, item, sizeof item - 1);
		n += sizeof item - 1;
	}
	return (ssize_t)n;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url,
			       const char *method, const char *version, const char *upload,
			       size_t *upload_size, void **state)
{
	(void)cls, (void)method, (void)version, (void)upload;
	if (!*state) {
		*state = (void *)1;
		return MHD_YES;
	}
	if (*upload_size) {
		*upload_size = 0;
		return MHD_YES;
	}
	struct MHD_Response *r;
	if (!strcmp(url, "/big")) {
		r = MHD_create_response_from_callback(big.len, 4096, big_reader, NULL, NULL);
	} else if (!strcmp(url, "/endless")) {
		r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, endless_reader, NULL,
						      NULL);
	} else {
		while (!atomic_load(&release_stall)) /* /stall: no answer until released */
			usleep(5000);
		r = MHD_create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
	}
	enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

static void start(void)
{
	kt_buf_init(&big);
	kt_buf_adds(&big, "<?xml version=\"1.0\" encoding=\"utf-8\"?><xml><result><objectType>"
			  "KalturaMediaListResponse</objectType><objects>");
	for (int i = 0; i < 20000; i++)
		kt_buf_printf(&big, "<item><objectType>KalturaMediaEntry</objectType><id>0_%d</id>"
			      "<name>Entry %d &amp; more</name></item>", i, i);
	kt_buf_adds(&big, "</objects><totalCount>20000</totalCount></result>"
			  "<executionTime>0.5</executionTime></xml>");
	atomic_store(&release_stall, 0);
	daemon_ = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD,
				   0, NULL, NULL, handler, NULL, MHD_OPTION_SOCK_ADDR, NULL,
				   MHD_OPTION_END);
	cr_assert_not_null(daemon_);
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_BIND_PORT);
	snprintf(base, sizeof base, "http://127.0.0.1:%u", info->port);
}

static void stop(void)
{
	atomic_store(&release_stall, 1);
	MHD_stop_daemon(daemon_);
	kt_buf_free(&big);
}

TestSuite(rfetch, .init = start, .fini = stop);

static rfetch *go(const char *path, size_t keep)
{
	char url[128];
	snprintf(url, sizeof url, "%s%s", base, path);
	kt_error err;
	rfetch *f = rfetch_start(url, "format=2", "application/x-www-form-urlencoded", NULL,
				 KT_FORMAT_XML, keep, &err);
	cr_assert_not_null(f, "%s", err.msg);
	return f;
}

/* Waits on the descriptor until at least want bytes of text exist or the call ends. */
static size_t wait_text(rfetch *f, size_t want, bool *done)
{
	size_t n = 0;
	for (int i = 0; i < 2000; i++) {
		struct pollfd p = {.fd = rfetch_fd(f), .events = POLLIN};
		poll(&p, 1, 10);
		n = rfetch_poll(f, done);
		if (n >= want || *done)
			break;
	}
	return n;
}

Test(rfetch, text_grows_and_equals_the_one_pass_reading)
{
	response ref;
	char *pretty;
	kt_error err;
	cr_assert_eq(rs_parse(big.data, big.len, KT_FORMAT_XML, &ref, &pretty, &err), 0, "%s",
		     err.msg);
	rfetch *f = go("/big", 0);
	bool done = false;
	size_t n = wait_text(f, 2000, &done);
	cr_assert_geq(n, 2000);
	char head[2000];
	cr_assert_eq(rfetch_peek(f, 0, head, sizeof head), sizeof head);
	cr_assert(!memcmp(head, pretty, sizeof head), "the first page is the result's first page");
	rfetch_result r;
	cr_assert_eq(rfetch_finish(f, "media", "list", &r, &err), 0, "%s", err.msg);
	cr_assert(r.parsed);
	cr_assert(r.exact);
	cr_assert_eq(r.text_len, strlen(pretty));
	cr_assert(!memcmp(r.text, pretty, r.text_len));
	cr_assert_eq(r.http.status, 200);
	cr_assert_eq(r.http.body.len, 0, "a body over keep_body is not kept");
	cr_assert(r.model.has_execution_time);
	cr_assert_eq(r.model.result->kind, RV_OBJECT);
	cr_assert(!r.holds_secret);
	rfetch_result_free(&r);
	response_free(&ref);
	free(pretty);
}

Test(rfetch, keeps_a_small_body)
{
	rfetch *f = go("/big", big.len);
	rfetch_result r;
	kt_error err;
	cr_assert_eq(rfetch_finish(f, "media", "list", &r, &err), 0, "%s", err.msg);
	cr_assert_eq(r.http.body.len, big.len);
	cr_assert(!memcmp(r.http.body.data, big.data, big.len));
	rfetch_result_free(&r);
}

Test(rfetch, cancel_stops_a_transfer_that_is_sending)
{
	rfetch *f = go("/endless", 0);
	bool done = false;
	wait_text(f, 500, &done);
	cr_assert(!done);
	rfetch_cancel(f);
	rfetch_result r;
	kt_error err;
	cr_assert_eq(rfetch_finish(f, "media", "list", &r, &err), -1);
	cr_assert_eq(err.code, KT_E_CANCELLED, "%s", err.msg);
	rfetch_result_free(&r);
}

Test(rfetch, cancel_stops_a_transfer_that_waits_for_the_server)
{
	atomic_store(&release_stall, 0);
	rfetch *f = go("/stall", 0);
	bool done = false;
	rfetch_poll(f, &done);
	cr_assert(!done);
	rfetch_cancel(f);
	rfetch_result r;
	kt_error err;
	cr_assert_eq(rfetch_finish(f, "media", "list", &r, &err), -1);
	cr_assert_eq(err.code, KT_E_CANCELLED, "%s", err.msg);
	rfetch_result_free(&r);
	atomic_store(&release_stall, 1);
}

Test(rfetch, a_failed_transfer_says_why)
{
	kt_error err;
	rfetch *f = rfetch_start("http://127.0.0.1:1/x", "a=1", NULL, NULL, KT_FORMAT_XML, 0, &err);
	cr_assert_not_null(f);
	rfetch_result r;
	cr_assert_eq(rfetch_finish(f, "x", "y", &r, &err), -1);
	cr_assert_eq(err.code, KT_E_NET, "%s", err.msg);
	rfetch_result_free(&r);
}
