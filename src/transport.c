#include "transport.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#include <openssl/crypto.h>

/* A text part's bytes, owned by the call so they are wiped (a KS, a secret) */
typedef struct mime_text {
	char *data;
	size_t len;
	size_t pos;
} mime_text;

struct tp_call {
	CURLM *multi;
	CURL *easy;
	struct curl_slist *hdrs;
	char *body;
	curl_mime *mime;
	mime_text *texts;
	size_t ntexts;
	tp_response resp;
	size_t max_body;
	size_t received;
	int (*sink)(void *ud, const char *p, size_t n);
	void *sink_ud;
	bool sink_stopped;
	bool paused;          /* the sink asked for the rest at the next step */
	bool too_big;
	bool done;
	CURLcode result;
	char *url;            /* where the current request goes */
	bool follow;
	const char *size_option, *follow_option;
	int hops;
	char *refused;        /* why a redirect was not followed */
	char errbuf[CURL_ERROR_SIZE];
	struct timespec started;
};

static pthread_once_t global_once = PTHREAD_ONCE_INIT;

static void global_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

void tp_response_init(tp_response *r)
{
	memset(r, 0, sizeof *r);
	kt_buf_init(&r->body);
	kt_buf_init(&r->headers);
	kt_buf_init(&r->redirects);
}

void tp_response_free(tp_response *r)
{
	/* an answer may carry a KS or a secret (session.start, partner.getSecrets) */
	if (r->body.data)
		OPENSSL_cleanse(r->body.data, r->body.len);
	kt_buf_free(&r->body);
	kt_buf_free(&r->headers);
	kt_buf_free(&r->redirects);
	free(r->content_type);
	free(r->x_me);
	free(r->x_kaltura_session);
	tp_response_init(r);
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
	tp_call *c = ud;
	size_t len = size * n;
	if (c->received + len > c->max_body) {
		c->too_big = true;
		return 0; /* aborts the transfer with CURLE_WRITE_ERROR */
	}
	c->received += len;
	long status = 0;
	curl_easy_getinfo(c->easy, CURLINFO_RESPONSE_CODE, &status);
	/* a redirect's own body is nobody's result */
	if (c->sink && status >= 300 && status <= 399)
		return len;
	if (c->sink) {
		int rc = c->sink(c->sink_ud, p, len);
		if (rc == TP_SINK_PAUSE) {
			c->received -= len; /* the same bytes come again */
			c->paused = true;
			return CURL_WRITEFUNC_PAUSE;
		}
		if (rc) {
			c->sink_stopped = true;
			return 0;
		}
		return len;
	}
	kt_buf_add(&c->resp.body, p, len);
	return len;
}

static char *header_value(const char *line, size_t len, const char *name)
{
	size_t nlen = strlen(name);
	if (len <= nlen || strncasecmp(line, name, nlen) || line[nlen] != ':')
		return NULL;
	const char *v = line + nlen + 1, *end = line + len;
	while (v < end && isspace((unsigned char)*v))
		v++;
	while (end > v && isspace((unsigned char)end[-1]))
		end--;
	return kt_xstrndup(v, (size_t)(end - v));
}

static void keep_header(char **slot, const char *line, size_t len, const char *name)
{
	char *v = header_value(line, len, name);
	if (v) {
		free(*slot);
		*slot = v;
	}
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
	tp_call *c = ud;
	size_t len = size * n;
	/* a new status line (after a redirect or 100-continue) starts a new header block */
	if (len >= 5 && !strncmp(p, "HTTP/", 5))
		kt_buf_reset(&c->resp.headers);
	if (c->resp.headers.len + len < 64 * 1024)
		kt_buf_add(&c->resp.headers, p, len);
	keep_header(&c->resp.x_me, p, len, "X-Me");
	keep_header(&c->resp.x_kaltura_session, p, len, "X-Kaltura-Session");
	keep_header(&c->resp.content_type, p, len, "Content-Type");
	return len;
}

static void free_call(tp_call *c)
{
	if (!c)
		return;
	if (c->multi && c->easy)
		curl_multi_remove_handle(c->multi, c->easy);
	if (c->easy)
		curl_easy_cleanup(c->easy);
	if (c->multi)
		curl_multi_cleanup(c->multi);
	curl_slist_free_all(c->hdrs);
	/* the body may hold a secret (session.start) */
	kt_free_secret(c->body);
	curl_mime_free(c->mime);
	for (size_t i = 0; i < c->ntexts; i++)
		kt_free_secret(c->texts[i].data);
	free(c->texts);
	free(c->url);
	free(c->refused);
	tp_response_free(&c->resp);
	free(c);
}

/* The call with its handles and every option but the body; NULL with err. */
static tp_call *new_call(const char *url, const char *content_type, const tp_opts *o,
			 kt_error *err)
{
	static const tp_opts defaults;
	if (!o)
		o = &defaults;
	pthread_once(&global_once, global_init);

	tp_call *c = kt_xcalloc(1, sizeof *c);
	tp_response_init(&c->resp);
	c->max_body = o->max_body ? o->max_body : TP_DEFAULT_MAX_BODY;
	c->sink = o->sink;
	c->sink_ud = o->sink_ud;
	c->url = kt_xstrdup(url);
	c->follow = o->follow;
	c->size_option = o->size_option;
	c->follow_option = o->follow_option;
	clock_gettime(CLOCK_MONOTONIC, &c->started);
	c->easy = curl_easy_init();
	c->multi = curl_multi_init();
	if (!c->easy || !c->multi) {
		free_call(c);
		return kt_fail(err, KT_E_INTERNAL, "cannot start libcurl"), NULL;
	}
	if (content_type) {
		char *ct = kt_xasprintf("Content-Type: %s", content_type);
		c->hdrs = curl_slist_append(NULL, ct);
		free(ct);
	}
	c->hdrs = curl_slist_append(c->hdrs, "Expect:");

	CURL *e = c->easy;
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, c->hdrs);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "ktestme/" KT_VERSION);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	/* redirects are followed here (next_hop), never by curl: curl would send the body with
	 * the credentials to whatever host the peer names */
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
			 o->connect_timeout_ms > 0 ? o->connect_timeout_ms : 10000L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, o->timeout_ms > 0 ? o->timeout_ms : 120000L);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, o->insecure ? 0L : 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, o->insecure ? 0L : 2L);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, c);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, c);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, c->errbuf);
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)c->max_body);
	/* proxies: libcurl reads http_proxy, https_proxy and no_proxy from the environment */
	return c;
}

static tp_call *add_call(tp_call *c, kt_error *err)
{
	if (curl_multi_add_handle(c->multi, c->easy) != CURLM_OK) {
		free_call(c);
		return kt_fail(err, KT_E_INTERNAL, "cannot start libcurl"), NULL;
	}
	return c;
}

tp_call *tp_start(const char *url, const char *body, const char *content_type, const tp_opts *o,
		  kt_error *err)
{
	tp_call *c = new_call(url, content_type, o, err);
	if (!c)
		return NULL;
	if (body) {
		c->body = kt_xstrdup(body);
		curl_easy_setopt(c->easy, CURLOPT_POST, 1L);
		curl_easy_setopt(c->easy, CURLOPT_POSTFIELDS, c->body);
		curl_easy_setopt(c->easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(c->body));
	}
	return add_call(c, err);
}

static size_t text_read(char *buf, size_t size, size_t n, void *ud)
{
	mime_text *t = ud;
	size_t want = size * n, left = t->len - t->pos;
	if (want > left)
		want = left;
	memcpy(buf, t->data + t->pos, want);
	t->pos += want;
	return want;
}

/* curl rewinds a part to send it again after a redirect */
static int text_seek(void *ud, curl_off_t offset, int origin)
{
	mime_text *t = ud;
	if (origin != SEEK_SET || offset < 0 || (size_t)offset > t->len)
		return CURL_SEEKFUNC_CANTSEEK;
	t->pos = (size_t)offset;
	return CURL_SEEKFUNC_OK;
}

tp_call *tp_start_multipart(const char *url, const tp_part *parts, size_t n, const tp_opts *o,
			    kt_error *err)
{
	/* curl writes the Content-Type with the boundary itself */
	tp_call *c = new_call(url, NULL, o, err);
	if (!c)
		return NULL;
	c->mime = curl_mime_init(c->easy);
	c->texts = kt_xcalloc(n ? n : 1, sizeof *c->texts);
	bool ok = c->mime != NULL;
	for (size_t i = 0; i < n && ok; i++) {
		curl_mimepart *part = curl_mime_addpart(c->mime);
		ok = part && curl_mime_name(part, parts[i].name) == CURLE_OK;
		if (ok && parts[i].path) {
			ok = curl_mime_filedata(part, parts[i].path) == CURLE_OK &&
			     curl_mime_type(part, "application/octet-stream") == CURLE_OK;
		} else if (ok) {
			mime_text *t = &c->texts[c->ntexts++];
			t->data = kt_xstrdup(parts[i].value ? parts[i].value : "");
			t->len = strlen(t->data);
			ok = curl_mime_data_cb(part, (curl_off_t)t->len, text_read, text_seek, NULL,
					       t) == CURLE_OK;
		}
	}
	if (!ok || curl_easy_setopt(c->easy, CURLOPT_MIMEPOST, c->mime) != CURLE_OK) {
		free_call(c);
		return kt_fail(err, KT_E_INTERNAL, "cannot build the multipart body"), NULL;
	}
	return add_call(c, err);
}

/* scheme, host and port of a URL, lowercased by curl; false when it does not parse */
static bool url_origin(const char *url, char **scheme, char **host, char **port)
{
	CURLU *u = curl_url();
	bool ok = u && !curl_url_set(u, CURLUPART_URL, url, 0) &&
		  !curl_url_get(u, CURLUPART_SCHEME, scheme, 0) &&
		  !curl_url_get(u, CURLUPART_HOST, host, 0) &&
		  !curl_url_get(u, CURLUPART_PORT, port, CURLU_DEFAULT_PORT);
	curl_url_cleanup(u);
	return ok;
}

const char *tp_redirect_refused(const char *from, const char *to)
{
	char *s1 = NULL, *h1 = NULL, *p1 = NULL, *s2 = NULL, *h2 = NULL, *p2 = NULL;
	const char *why = NULL;
	if (!url_origin(from, &s1, &h1, &p1) || !url_origin(to, &s2, &h2, &p2))
		why = "not a URL";
	else if (strcasecmp(s1, s2))
		why = !strcasecmp(s1, "https") ? "from https to http" : "to another scheme";
	else if (strcasecmp(h1, h2) || strcmp(p1, p2))
		why = "to another host";
	curl_free(s1), curl_free(h1), curl_free(p1);
	curl_free(s2), curl_free(h2), curl_free(p2);
	return why;
}

/* After a finished transfer: true when it was a redirect that is followed, and the same handle
 * has been sent on to the new URL (the body again: same host only). */
static bool next_hop(tp_call *c)
{
	long status = 0;
	char *to = NULL;
	curl_easy_getinfo(c->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(c->easy, CURLINFO_REDIRECT_URL, &to);
	if (status < 300 || status > 399 || !to)
		return false;
	char *why = NULL;
	const char *policy;
	if (!c->follow && c->follow_option)
		why = kt_xasprintf("not followed (%s follows it on the same host)", c->follow_option);
	else if (!c->follow)
		why = kt_xstrdup("not followed");
	else if (c->hops >= TP_MAX_REDIRECTS)
		why = kt_xstrdup("not followed: more than 5 redirects");
	else if ((policy = tp_redirect_refused(c->url, to)))
		why = kt_xasprintf("refused: it goes %s", policy);
	if (why) {
		c->refused = kt_xasprintf("HTTP %ld redirect to %s %s", status, to, why);
		free(why);
		return false;
	}
	kt_buf_printf(&c->resp.redirects, "HTTP %ld to %s\n", status, to);
	char *next = kt_xstrdup(to);
	free(c->url);
	c->url = next;
	c->hops++;
	curl_multi_remove_handle(c->multi, c->easy);
	curl_easy_setopt(c->easy, CURLOPT_URL, c->url);
	kt_buf_reset(&c->resp.body);
	kt_buf_reset(&c->resp.headers);
	c->received = 0;
	return curl_multi_add_handle(c->multi, c->easy) == CURLM_OK;
}

bool tp_step(tp_call *c, int wait_ms)
{
	if (c->done)
		return true;
	if (c->paused) {
		c->paused = false;
		curl_easy_pause(c->easy, CURLPAUSE_CONT);
	}
	int running = 0;
	curl_multi_perform(c->multi, &running);
	/* a sink that paused has work waiting: no sleeping in the poll */
	if (running && !c->paused) {
		curl_multi_poll(c->multi, NULL, 0, wait_ms, NULL);
		curl_multi_perform(c->multi, &running);
	}
	CURLMsg *m;
	int left;
	while ((m = curl_multi_info_read(c->multi, &left)))
		if (m->msg == CURLMSG_DONE) {
			c->result = m->data.result;
			c->done = c->result != CURLE_OK || !next_hop(c);
		}
	return c->done;
}

double tp_elapsed(const tp_call *c)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - c->started.tv_sec) +
	       (double)(now.tv_nsec - c->started.tv_nsec) / 1e9;
}

static double info_secs(CURL *e, CURLINFO what)
{
	curl_off_t us = 0;
	if (curl_easy_getinfo(e, what, &us) != CURLE_OK)
		return 0;
	return (double)us / 1e6;
}

int tp_finish(tp_call *c, tp_response *out, kt_error *err)
{
	while (!tp_step(c, 1000))
		;
	CURL *e = c->easy;
	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &c->resp.status);
	c->resp.timings.dns = info_secs(e, CURLINFO_NAMELOOKUP_TIME_T);
	c->resp.timings.connect = info_secs(e, CURLINFO_CONNECT_TIME_T);
	c->resp.timings.tls = info_secs(e, CURLINFO_APPCONNECT_TIME_T);
	c->resp.timings.first_byte = info_secs(e, CURLINFO_STARTTRANSFER_TIME_T);
	c->resp.timings.total = info_secs(e, CURLINFO_TOTAL_TIME_T);

	int rc = 0;
	char *url = NULL;
	curl_easy_getinfo(e, CURLINFO_EFFECTIVE_URL, &url);
	if (c->sink_stopped) {
		rc = kt_fail(err, KT_E_CANCELLED, "stopped reading the response");
	} else if (c->refused) {
		rc = kt_fail(err, KT_E_REDIRECT, "%s", c->refused);
	} else if (c->too_big || c->result == CURLE_FILESIZE_EXCEEDED) {
		char size[32];
		kt_format_size(c->max_body, size, sizeof size);
		rc = kt_fail(err, KT_E_TOOBIG,
			     "the response is larger than the %s limit; stopped reading it%s%s%s", size,
			     c->size_option ? " (raise the limit with " : "",
			     c->size_option ? c->size_option : "", c->size_option ? ")" : "");
	} else if (c->result != CURLE_OK) {
		const char *why = c->errbuf[0] ? c->errbuf : curl_easy_strerror(c->result);
		rc = kt_fail(err, KT_E_NET, "%s (%s)", why, url ? url : "?");
		/* curl's buffer sometimes ends in a newline */
		size_t n = err ? strlen(err->msg) : 0;
		while (n && err->msg[n - 1] == '\n')
			err->msg[--n] = '\0';
	}
	*out = c->resp;
	tp_response_init(&c->resp);
	free_call(c);
	return rc;
}

void tp_cancel(tp_call *c)
{
	free_call(c);
}

int tp_perform(const char *url, const char *body, const char *content_type, const tp_opts *o,
	       tp_response *out, kt_error *err)
{
	tp_response_init(out);
	tp_call *c = tp_start(url, body, content_type, o, err);
	if (!c)
		return -1;
	return tp_finish(c, out, err);
}
