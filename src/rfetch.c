#include "rfetch.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rstream.h"
#include "util.h"

struct rfetch {
	pthread_t thread;
	pthread_mutex_t lock;
	int pipe[2];            /* the thread writes a byte on news */
	atomic_bool cancel;
	/* set up before the thread starts, read-only after */
	char *url, *body, *ctype;
	tp_opts opts;
	int format;
	size_t keep_body;
	/* the thread's */
	rs_stream *rs;
	kt_buf raw;
	bool raw_dropped, stream_failed;
	kt_error stream_err;
	/* shared under lock */
	kt_buf text;
	bool done;
	int rc;
	kt_error err;
	tp_response http;
};

static void notify(rfetch *f)
{
	char c = 1;
	/* a full pipe already says there is news */
	if (write(f->pipe[1], &c, 1) < 0) {
	}
}

static void on_text(void *ud, const char *p, size_t n)
{
	rfetch *f = ud;
	pthread_mutex_lock(&f->lock);
	kt_buf_add(&f->text, p, n);
	pthread_mutex_unlock(&f->lock);
	notify(f);
}

static int on_body(void *ud, const char *p, size_t n)
{
	rfetch *f = ud;
	if (atomic_load(&f->cancel))
		return -1;
	if (!f->raw_dropped) {
		if (f->raw.len + n <= f->keep_body) {
			kt_buf_add(&f->raw, p, n);
		} else {
			kt_buf_free(&f->raw);
			kt_buf_init(&f->raw);
			f->raw_dropped = true;
		}
	}
	/* a body that is not XML or JSON still arrives whole for the raw view; only the text stops */
	if (!f->stream_failed && rs_feed(f->rs, p, n, &f->stream_err))
		f->stream_failed = true;
	return 0;
}

static void *run(void *ud)
{
	rfetch *f = ud;
	tp_response http;
	tp_response_init(&http);
	kt_error err = {0};
	int rc = -1;
	tp_call *c = tp_start(f->url, f->body, f->ctype, &f->opts, &err);
	/* short waits, so a cancel stops a transfer that is waiting for the server too */
	while (c && !tp_step(c, 50) && !atomic_load(&f->cancel))
		;
	if (c && atomic_load(&f->cancel)) {
		tp_cancel(c);
		kt_fail(&err, KT_E_CANCELLED, "cancelled");
	} else if (c) {
		rc = tp_finish(c, &http, &err);
		if (rc && atomic_load(&f->cancel))
			kt_fail(&err, KT_E_CANCELLED, "cancelled");
	}
	pthread_mutex_lock(&f->lock);
	f->rc = rc;
	f->err = err;
	f->http = http;
	f->done = true;
	pthread_mutex_unlock(&f->lock);
	notify(f);
	return NULL;
}

rfetch *rfetch_start(const char *url, const char *body, const char *content_type,
		     const tp_opts *o, int format, size_t keep_body, kt_error *err)
{
	rfetch *f = kt_xcalloc(1, sizeof *f);
	if (pipe2(f->pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
		free(f);
		kt_fail(err, KT_E_INTERNAL, "cannot make a pipe for the call");
		return NULL;
	}
	pthread_mutex_init(&f->lock, NULL);
	atomic_init(&f->cancel, false);
	f->url = kt_xstrdup(url);
	f->body = body ? kt_xstrdup(body) : NULL;
	f->ctype = content_type ? kt_xstrdup(content_type) : NULL;
	f->opts = o ? *o : (tp_opts){0};
	f->opts.sink = on_body;
	f->opts.sink_ud = f;
	f->format = format;
	f->keep_body = keep_body;
	f->rs = rs_new(format, on_text, f);
	kt_buf_init(&f->raw);
	kt_buf_init(&f->text);
	tp_response_init(&f->http);
	if (pthread_create(&f->thread, NULL, run, f)) {
		kt_fail(err, KT_E_INTERNAL, "cannot start a thread for the call");
		rs_free(f->rs);
		close(f->pipe[0]);
		close(f->pipe[1]);
		kt_free_secret(f->body);
		free(f->url);
		free(f->ctype);
		free(f);
		return NULL;
	}
	return f;
}

int rfetch_fd(const rfetch *f)
{
	return f->pipe[0];
}

size_t rfetch_poll(rfetch *f, bool *done)
{
	char drain[256];
	while (read(f->pipe[0], drain, sizeof drain) > 0)
		;
	pthread_mutex_lock(&f->lock);
	size_t n = f->text.len;
	if (done)
		*done = f->done;
	pthread_mutex_unlock(&f->lock);
	return n;
}

size_t rfetch_peek(rfetch *f, size_t off, char *dst, size_t max)
{
	pthread_mutex_lock(&f->lock);
	size_t n = off < f->text.len ? f->text.len - off : 0;
	if (n > max)
		n = max;
	if (n)
		memcpy(dst, f->text.data + off, n);
	pthread_mutex_unlock(&f->lock);
	return n;
}

void rfetch_cancel(rfetch *f)
{
	atomic_store(&f->cancel, true);
}

int rfetch_finish(rfetch *f, const char *service, const char *action, rfetch_result *out,
		  kt_error *err)
{
	memset(out, 0, sizeof *out);
	pthread_join(f->thread, NULL);
	out->http = f->http;
	int rc = f->rc;
	if (rc) {
		if (err)
			*err = f->err;
	} else {
		kt_error e = {0};
		int prc = f->stream_failed ? -1 : rs_finish(f->rs, &out->model, &e);
		if (f->stream_failed)
			e = f->stream_err;
		out->parsed = prc == 0;
		if (out->parsed)
			out->holds_secret = rs_holds_secret(f->rs, &out->model, service, action);
		else if (err)
			*err = e;
		/* the text exists when the body was XML or JSON, even if not a Kaltura envelope */
		if (rs_pretty_complete(f->rs)) {
			out->text_len = f->text.len;
			out->text = kt_buf_steal(&f->text);
		}
		out->exact = rs_exact(f->rs);
		if (!f->raw_dropped && f->raw.len) {
			kt_buf_free(&out->http.body);
			out->http.body = f->raw;
			kt_buf_init(&f->raw);
		}
	}
	rs_free(f->rs);
	kt_buf_free(&f->raw);
	kt_buf_free(&f->text);
	close(f->pipe[0]);
	close(f->pipe[1]);
	pthread_mutex_destroy(&f->lock);
	kt_free_secret(f->body);
	free(f->url);
	free(f->ctype);
	free(f);
	return rc;
}

void rfetch_result_free(rfetch_result *r)
{
	tp_response_free(&r->http);
	response_free(&r->model);
	free(r->text);
	memset(r, 0, sizeof *r);
}
