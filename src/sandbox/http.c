/* http: the sandbox's HTTP side (libmicrohttpd thread pool): request bodies and query strings
 * into the param tree, the writers' output with the server's headers, CORS preflight, and the
 * limits that keep a server left running usable (connections, timeouts, buffered bodies). */
#include "sandbox/server.h"
#include "sandbox/upload.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sandbox/writer.h"
#include "utf8.h"
#include "util.h"

#define SB_MAX_BODY ((size_t)16 << 20)
/* Every connection's buffered body together; past it a request is refused, not held. */
#define SB_MAX_BUFFERED ((size_t)64 << 20)
/* Enough for any real call; far below what would make the tree's linear lookups slow. */
#define SB_MAX_PARAMS 10000
/* Connections held at once, and how long one may sit idle; under pressure (a quarter of the
 * limit in use) new connections get the short timeout, so slow clients cannot hold the slots
 * that valid ones need. */
#define SB_MAX_CONNS 512
#define SB_IDLE_TIMEOUT 10
#define SB_BUSY_TIMEOUT 2
/* libmicrohttpd's timeouts are idle ones: a byte a second keeps a connection forever, and the
 * handler sees nothing before the headers end. So a watchdog gives each request a total time:
 * its headers within SB_HEADER_TIME seconds of the connection (or the last answer on it), its
 * body within SB_BODY_TIME of the headers; less for connections opened under pressure. */
#define SB_HEADER_TIME 10
#define SB_BUSY_HEADER_TIME 4
#define SB_BODY_TIME 60
#define SB_BUSY_BODY_TIME 20

/* ---- input ---- */

typedef struct parse_ctx {
	sb_call *c;
	param *root;
	size_t count;
	sb_files files; /* multipart file parts, their bytes kept for the handler */
} parse_ctx;

/* A value of len bytes: a NUL inside it would cut the C string short (secret=RIGHT%00x would
 * pass as RIGHT), so it is refused like any character the parameter cannot hold. */
static int put_n(parse_ctx *pc, const char *key, const char *value, size_t len);

static int put(parse_ctx *pc, const char *key, const char *value)
{
	return put_n(pc, key, value, strlen(value));
}

static int put_n(parse_ctx *pc, const char *key, const char *value, size_t len)
{
	kt_error err;
	if (memchr(value, 0, len))
		return sb_fail(pc->c, "INVALID_PARAMETER_CHAR", 1, key);
	if (++pc->count > SB_MAX_PARAMS)
		return sb_fail(pc->c, "INTERNAL_SERVER_ERROR", 1,
			       "(more than 10000 parameters in one request)");
	size_t depth = 0;
	for (const char *k = key; *k; k++)
		depth += *k == ':';
	if (depth > SB_MAX_DEPTH)
		return sb_fail(pc->c, "INTERNAL_SERVER_ERROR", 1,
			       "(parameters nested more than 32 levels deep)");
	if (!utf8_valid(key, strlen(key)))
		return sb_fail(pc->c, "INVALID_PARAMETER_CHAR", 1, "(parameter name)");
	if (!utf8_valid(value, strlen(value)))
		return sb_fail(pc->c, "INVALID_PARAMETER_CHAR", 1, key);
	if (param_set(pc->root, key, value, &err) < 0)
		return sb_fail(pc->c, "INVALID_PARAMETER_VALUE", 1, key);
	return 0;
}

static int form_parse(parse_ctx *pc, const char *body, size_t len)
{
	size_t i = 0;
	while (i < len) {
		const char *amp = memchr(body + i, '&', len - i);
		size_t end = amp ? (size_t)(amp - body) : len;
		if (end > i) {
			const char *eq = memchr(body + i, '=', end - i);
			size_t klen = eq ? (size_t)(eq - body) - i : end - i;
			size_t klen2, vlen = 0;
			char *key = utf8_url_decode(body + i, klen, true, &klen2);
			char *val = eq ? utf8_url_decode(eq + 1, end - (size_t)(eq + 1 - body), true, &vlen)
				       : kt_xstrdup("");
			int rc = klen2 != strlen(key) ? sb_fail(pc->c, "INVALID_PARAMETER_CHAR", 1,
							      "(parameter name)")
				 : *key ? put_n(pc, key, val, vlen) : 0;
			free(key);
			kt_free_secret(val);
			if (rc < 0)
				return -1;
		}
		i = end + 1;
	}
	return 0;
}

static int json_flatten(parse_ctx *pc, const char *prefix, json_t *j, int depth)
{
	if (depth > SB_MAX_DEPTH)
		return sb_fail(pc->c, "INTERNAL_SERVER_ERROR", 1,
			       "(parameters nested more than 32 levels deep)");
	char num[64];
	switch (json_typeof(j)) {
	case JSON_OBJECT: {
		const char *k;
		json_t *v;
		json_object_foreach(j, k, v) {
			char *key = prefix ? kt_xasprintf("%s:%s", prefix, k) : kt_xstrdup(k);
			int rc = *k ? json_flatten(pc, key, v, depth + 1) : 0;
			free(key);
			if (rc < 0)
				return -1;
		}
		return 0;
	}
	case JSON_ARRAY: {
		if (!prefix)
			return sb_fail(pc->c, "INTERNAL_SERVER_ERROR", 1,
				       "(the JSON body must be an object)");
		if (!json_array_size(j)) {
			char *key = kt_xasprintf("%s:-", prefix);
			int rc = put(pc, key, "");
			free(key);
			return rc;
		}
		size_t i;
		json_t *v;
		json_array_foreach(j, i, v) {
			char *key = kt_xasprintf("%s:%zu", prefix, i);
			int rc = json_flatten(pc, key, v, depth + 1);
			free(key);
			if (rc < 0)
				return -1;
		}
		return 0;
	}
	case JSON_STRING:
		return put(pc, prefix, json_string_value(j));
	case JSON_INTEGER:
		snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(j));
		return put(pc, prefix, num);
	case JSON_REAL:
		snprintf(num, sizeof num, "%.17g", json_real_value(j));
		return put(pc, prefix, num);
	case JSON_TRUE:
		return put(pc, prefix, "1");
	case JSON_FALSE:
		return put(pc, prefix, "0");
	case JSON_NULL: {
		char *key = kt_xasprintf("%s__null", prefix);
		int rc = put(pc, key, "");
		free(key);
		return rc;
	}
	}
	return 0;
}

static int json_parse_body(parse_ctx *pc, const char *body, size_t len)
{
	json_error_t jerr;
	json_t *j = json_loadb(body, len, JSON_DECODE_ANY, &jerr);
	if (!j)
		return sb_fail(pc->c, "INTERNAL_SERVER_ERROR", 1,
			       "(the request body is not valid JSON)");
	if (!json_is_object(j)) {
		json_decref(j);
		return sb_fail(pc->c, "INTERNAL_SERVER_ERROR", 1,
			       "(the JSON body must be an object)");
	}
	int rc = json_flatten(pc, NULL, j, 0);
	json_decref(j);
	return rc;
}


/* ---- HTTP ---- */

typedef struct conn_state {
	sb_server *srv;
	kt_buf body;
	size_t reserved; /* counted in srv->buffered */
	bool too_big, busy;
} conn_state;

static enum MHD_Result query_arg(void *cls, enum MHD_ValueKind kind, const char *key,
				 size_t key_size, const char *value, size_t value_size)
{
	(void)kind;
	parse_ctx *pc = cls;
	if (pc->c->error || !key || !*key)
		return MHD_YES;
	if (strlen(key) != key_size)
		return sb_fail(pc->c, "INVALID_PARAMETER_CHAR", 1, "(parameter name)") < 0 ? MHD_NO
											      : MHD_YES;
	return put_n(pc, key, value ? value : "", value ? value_size : 0) < 0 ? MHD_NO : MHD_YES;
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* X-Kaltura-Session as the server writes it (infra/log/UniqueId.php): the request's log id, a
 * random non-negative 31-bit number like PHP's rand(), then ", " and the server's unix time. It
 * names the request in the server's logs; it carries nothing of the KS. */
static void add_session_header(struct MHD_Response *r)
{
	unsigned char raw[4] = {0};
	if (RAND_bytes(raw, sizeof raw) != 1)
		memset(raw, 0, sizeof raw);
	unsigned long id = ((unsigned long)raw[0] << 24 | (unsigned long)raw[1] << 16 |
			    (unsigned long)raw[2] << 8 | raw[3]) & 0x7fffffffUL;
	char v[48];
	snprintf(v, sizeof v, "%lu, %lld", id, (long long)time(NULL));
	MHD_add_response_header(r, "X-Kaltura-Session", v);
}

/* api_v3/web/index.php sends Expose-Headers on every answer; KalturaResponseCacher adds
 * Allow-Origin, so a browser page may read the API. */
static void add_api_headers(const sb_server *srv, struct MHD_Response *r)
{
	MHD_add_response_header(r, "X-Me", srv->host);
	MHD_add_response_header(r, "Access-Control-Expose-Headers",
				"Server, Content-Length, Content-Range, Date, X-Kaltura, "
				"X-Kaltura-Session, X-Me");
	MHD_add_response_header(r, "Access-Control-Allow-Origin", "*");
	add_session_header(r);
}

static enum MHD_Result send_body(sb_server *srv, struct MHD_Connection *conn, unsigned status,
				 const char *body, size_t len, const char *type,
				 const sb_reply *rep, bool api)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)body,
								 MHD_RESPMEM_MUST_COPY);
	if (type)
		MHD_add_response_header(r, "Content-Type", type);
	if (api)
		add_api_headers(srv, r);
	else
		MHD_add_response_header(r, "X-Me", srv->host);
	if (rep && rep->x_kaltura)
		MHD_add_response_header(r, "X-Kaltura", rep->x_kaltura);
	if (rep && rep->x_kaltura_app)
		MHD_add_response_header(r, "X-Kaltura-App", rep->x_kaltura_app);
	enum MHD_Result rc = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return rc;
}

static enum MHD_Result send_text(sb_server *srv, struct MHD_Connection *conn, unsigned status,
				 const char *text)
{
	return send_body(srv, conn, status, text, strlen(text), "text/plain", NULL, false);
}

/* The CORS preflight, as api_v3/web/index.php answers it: headers and no body. */
static enum MHD_Result send_preflight(sb_server *srv, struct MHD_Connection *conn)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(0, (void *)"",
								 MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(r, "Access-Control-Expose-Headers",
				"Server, Content-Length, Content-Range, Date, X-Kaltura, "
				"X-Kaltura-Session, X-Me");
	MHD_add_response_header(r, "Access-Control-Allow-Origin", "*");
	MHD_add_response_header(r, "Access-Control-Allow-Headers",
				"Origin, X-Requested-With, Content-Type, Accept, Range, Cache-Control");
	MHD_add_response_header(r, "Access-Control-Allow-Methods", "POST, GET, HEAD, OPTIONS");
	MHD_add_response_header(r, "Access-Control-Max-Age", "86400");
	MHD_add_response_header(r, "X-Me", srv->host);
	enum MHD_Result rc = MHD_queue_response(conn, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return rc;
}

static enum MHD_Result serve_schema(sb_server *srv, struct MHD_Connection *conn)
{
	int fd = open(srv->schema_path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) {
		if (fd >= 0)
			close(fd);
		return send_text(srv, conn, 404, "schema not found\n");
	}
	struct MHD_Response *r = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
	MHD_add_response_header(r, "Content-Type", "text/xml; charset=utf-8");
	add_api_headers(srv, r);
	enum MHD_Result rc = MHD_queue_response(conn, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return rc;
}

/* An entry's uploaded content at its downloadUrl, /p/PID/sp/PID00/raw/entry_id/ID[/...];
 * false when the path is no such URL. */
static bool serve_raw(sb_server *srv, struct MHD_Connection *conn, const char *url,
		      enum MHD_Result *rc)
{
	long long pid;
	char id[32];
	int used = 0;
	if (sscanf(url, "/p/%lld/sp/%*d/raw/entry_id/%31[0-9a-z_]%n", &pid, id, &used) != 2 ||
	    (url[used] && url[used] != '/'))
		return false;
	char *data;
	size_t len;
	if (pid != srv->cfg.partner_id || svc_entry_content(srv, id, &data, &len)) {
		*rc = send_text(srv, conn, MHD_HTTP_NOT_FOUND, "no such entry content\n");
		return true;
	}
	*rc = send_body(srv, conn, MHD_HTTP_OK, data, len, "application/octet-stream", NULL, false);
	free(data);
	return true;
}

/* Splits "/api_v3/service/S[/action/A]"; false for any other path. */
static bool api_path(const char *url, char **service, char **action)
{
	*service = *action = NULL;
	if (!strcmp(url, "/api_v3/index.php") || !strcmp(url, "/api_v3/") ||
	    !strcmp(url, "/api_v3"))
		return true;
	const char *pre = "/api_v3/service/";
	if (strncmp(url, pre, strlen(pre)))
		return false;
	const char *s = url + strlen(pre);
	const char *slash = strchr(s, '/');
	*service = kt_xstrndup(s, slash ? (size_t)(slash - s) : strlen(s));
	if (slash && !strncmp(slash, "/action/", 8)) {
		const char *a = slash + 8;
		size_t alen = strcspn(a, "/");
		*action = kt_xstrndup(a, alen);
	}
	return true;
}


/* A Content-Disposition attribute (name="x") of a part's headers; malloc'd or NULL. */
static char *part_attr(const char *hdrs, size_t len, const char *attr)
{
	size_t alen = strlen(attr);
	for (size_t i = 0; i + alen + 2 < len; i++) {
		if ((i && hdrs[i - 1] != ' ' && hdrs[i - 1] != ';') ||
		    strncasecmp(hdrs + i, attr, alen) || hdrs[i + alen] != '=' ||
		    hdrs[i + alen + 1] != '"')
			continue;
		const char *v = hdrs + i + alen + 2, *end = memchr(v, '"', len - (size_t)(v - hdrs));
		return end ? kt_xstrndup(v, (size_t)(end - v)) : NULL;
	}
	return NULL;
}

/* multipart/form-data, as clients send uploads: each part is a parameter, a part named "json"
 * holds a JSON body, and a file part's parameter is its file name, its bytes going to the
 * handler beside it (as PHP's $_FILES). */
static int multipart_parse(parse_ctx *pc, const char *ct, const char *body, size_t len)
{
	const char *b = strcasestr(ct, "boundary=");
	if (!b)
		return sb_fail(pc->c, "INTERNAL_SERVER_ERROR", 1, "(a multipart body without a boundary)");
	b += 9;
	size_t blen = *b == '"' ? strcspn(++b, "\"") : strcspn(b, "; \t");
	if (!blen || blen > 200)
		return sb_fail(pc->c, "INTERNAL_SERVER_ERROR", 1, "(a bad multipart boundary)");
	char *delim = kt_xasprintf("--%.*s", (int)blen, b);
	size_t dlen = strlen(delim);
	const char *end = body + len;
	const char *p = memmem(body, len, delim, dlen);
	int rc = 0;
	while (p && !rc) {
		p += dlen;
		if (end - p >= 2 && !memcmp(p, "--", 2))
			break; /* the closing delimiter */
		const char *hdr_end = memmem(p, (size_t)(end - p), "\r\n\r\n", 4);
		if (!hdr_end) {
			rc = sb_fail(pc->c, "INTERNAL_SERVER_ERROR", 1, "(a truncated multipart body)");
			break;
		}
		const char *data = hdr_end + 4;
		const char *next = memmem(data, (size_t)(end - data), delim, dlen);
		if (!next || next - data < 2) {
			rc = sb_fail(pc->c, "INTERNAL_SERVER_ERROR", 1, "(a truncated multipart body)");
			break;
		}
		size_t vlen = (size_t)(next - data) - 2; /* the CRLF before the delimiter */
		char *name = part_attr(p, (size_t)(hdr_end - p), "name");
		char *file = part_attr(p, (size_t)(hdr_end - p), "filename");
		if (!name) {
			rc = sb_fail(pc->c, "INTERNAL_SERVER_ERROR", 1, "(a multipart part without a name)");
		} else if (!strcmp(name, "json") && !file) {
			rc = json_parse_body(pc, data, vlen);
		} else if (file) {
			rc = put(pc, name, file);
			pc->files.v = kt_xrealloc(pc->files.v, (pc->files.n + 1) * sizeof *pc->files.v);
			sb_file *f = &pc->files.v[pc->files.n++];
			f->param = kt_xstrdup(name);
			f->name = kt_xstrdup(file);
			f->data = kt_xmalloc(vlen + 1);
			memcpy(f->data, data, vlen);
			f->data[vlen] = '\0';
			f->len = vlen;
		} else {
			char *v = kt_xstrndup(data, vlen);
			rc = put_n(pc, name, memchr(data, 0, vlen) ? "\0" : v,
				   memchr(data, 0, vlen) ? 1 : strlen(v));
			kt_free_secret(v);
		}
		free(name);
		free(file);
		p = next;
	}
	free(delim);
	return rc;
}

typedef enum { BODY_FORM, BODY_JSON, BODY_MULTIPART } body_kind;

static body_kind body_kind_of(const char *ct, const char *body, size_t len)
{
	if (ct && !strncasecmp(ct, "multipart/", 10))
		return BODY_MULTIPART;
	if (ct)
		return strncasecmp(ct, "application/json", 16) ? BODY_FORM : BODY_JSON;
	return len && body[0] == '{' ? BODY_JSON : BODY_FORM;
}

static void parse_body(parse_ctx *pc, const char *ct, const char *body, size_t len)
{
	switch (body_kind_of(ct, body, len)) {
	case BODY_JSON:
		json_parse_body(pc, body, len);
		break;
	case BODY_FORM:
		form_parse(pc, body, len);
		break;
	case BODY_MULTIPART:
		multipart_parse(pc, ct, body, len);
		break;
	}
}

int sb_http_parse_body(sb_call *c, param *root, sb_files *files, const char *content_type,
		       const char *body, size_t len)
{
	parse_ctx pc = {.c = c, .root = root};
	parse_body(&pc, content_type, body, len);
	*files = pc.files;
	return c->error ? -1 : 0;
}

/* A failure before any call runs (KalturaFrontController::run catching setSerializerByFormat):
 * kRendererDieError writes no body, only its headers. */
static enum MHD_Result send_die(sb_server *srv, struct MHD_Connection *conn, const char *code,
				int nargs, const char *arg)
{
	sb_call c = {.srv = srv, .cfg = &srv->cfg};
	sb_fail(&c, code, nargs, arg);
	sb_reply rep = {
		.x_kaltura = kt_xasprintf("error- %s", code),
		.x_kaltura_app = kt_xasprintf("exiting on error %s - %s", code, c.error->message),
	};
	sb_rv_free(c.error);
	enum MHD_Result rc = send_body(srv, conn, MHD_HTTP_OK, "", 0, "text/html", &rep, true);
	free(rep.x_kaltura);
	free(rep.x_kaltura_app);
	return rc;
}

static enum MHD_Result serve_api(sb_server *srv, struct MHD_Connection *conn, conn_state *st,
				 char *service, char *action)
{
	double t0 = now_seconds();
	sb_call c = {.srv = srv, .cfg = &srv->cfg};
	param *root = param_new();
	parse_ctx pc = {.c = &c, .root = root};
	rvalue *result = NULL;
	if (st->busy) {
		sb_fail(&c, "INTERNAL_SERVER_ERROR", 1,
			"(the sandbox holds too many request bodies at once; send it again)");
	} else if (st->too_big) {
		sb_fail(&c, "INTERNAL_SERVER_ERROR", 1, "(the request body is over 16 MB)");
	} else if (st->body.len) {
		parse_body(&pc, MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type"),
			   st->body.data, st->body.len);
	}
	if (!c.error)
		MHD_get_connection_values_n(conn, MHD_GET_ARGUMENT_KIND, query_arg, &pc);

	sb_out out = {.format = sb_format_parse(store_rec_get(root, "format"))};
	/* KalturaFrontController::setSerializerByFormat: ignoreNull only when exactly "1" */
	const char *ign = store_rec_get(root, "ignoreNull");
	out.ignore_null = ign && !strcmp(ign, "1");
	if (!c.error && !out.format) {
		enum MHD_Result rc = send_die(srv, conn, "UNKNOWN_RESPONSE_FORMAT", 1,
					      store_rec_get(root, "format"));
		param_free(root);
		sb_files_free(&pc.files);
		free(service);
		free(action);
		return rc;
	}
	if (out.format == SB_FORMAT_JSONP) {
		/* KalturaJsonProcSerializer: the callback comes from the query string only */
		out.callback = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "callback");
		const char *bad = !out.callback ? "MANDATORY_PARAMETER_MISSING"
			       : !sb_callback_ok(out.callback) ? "INVALID_FIELD_VALUE" : NULL;
		if (bad && !c.error) {
			enum MHD_Result rc = send_die(srv, conn, bad, 1, "callback");
			param_free(root);
			sb_files_free(&pc.files);
			free(service);
			free(action);
			return rc;
		}
	}
	sb_reply rep = {0};
	if (c.error) {
		result = c.error;
		if (!out.format)
			out.format = SB_FORMAT_XML;
		if (out.format == SB_FORMAT_JSONP && (!out.callback || !sb_callback_ok(out.callback)))
			out.format = SB_FORMAT_JSON;
	} else {
		if (!service && store_rec_get(root, "service"))
			service = kt_xstrdup(store_rec_get(root, "service"));
		if (!action && store_rec_get(root, "action"))
			action = kt_xstrdup(store_rec_get(root, "action"));
		param_remove(root, "service");
		param_remove(root, "action");
		result = sb_server_exec_files(srv, &rep, service, action, root, &pc.files);
	}
	sb_files_free(&pc.files);
	size_t len;
	char *body = sb_write(srv->cfg.schema, result, &out, now_seconds() - t0, &len);
	sb_rv_free(result);
	param_free(root);
	free(service);
	free(action);
	enum MHD_Result rc = send_body(srv, conn, MHD_HTTP_OK, body, len,
				       sb_format_content_type(out.format), &rep, true);
	free(rep.x_kaltura);
	free(rep.x_kaltura_app);
	free(body);
	return rc;
}

static void release(conn_state *st)
{
	if (st->reserved) {
		atomic_fetch_sub(&st->srv->buffered, st->reserved);
		st->reserved = 0;
	}
}

/* Room for n more body bytes, within the per-request and the overall cap. */
static void take_body(conn_state *st, struct MHD_Connection *conn, const char *data, size_t n)
{
	if (st->too_big || st->busy)
		return;
	if (st->body.len + n > SB_MAX_BODY) {
		st->too_big = true;
	} else if (st->body.len + n > st->reserved) {
		/* reserve what Content-Length announces, so the buffer does not double past it */
		size_t want = st->body.len + n;
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
		long long v;
		if (cl && kt_parse_ll(cl, &v) && v > 0 && (size_t)v >= want && (size_t)v <= SB_MAX_BODY)
			want = (size_t)v;
		else
			want = want * 2 > SB_MAX_BODY ? SB_MAX_BODY : want * 2 > 4096 ? want * 2 : 4096;
		size_t more = want - st->reserved;
		if (atomic_fetch_add(&st->srv->buffered, more) + more > st->srv->max_buffered) {
			atomic_fetch_sub(&st->srv->buffered, more);
			st->busy = true;
		} else {
			st->reserved = want;
			if (st->body.cap < want + 1) {
				st->body.data = kt_xrealloc(st->body.data, want + 1);
				st->body.data[st->body.len] = '\0';
				st->body.cap = want + 1;
			}
		}
	}
	if (st->too_big || st->busy) {
		/* drain the rest so the client gets an answer instead of a reset */
		if (st->body.data)
			memset(st->body.data, 0, st->body.len);
		kt_buf_free(&st->body);
		kt_buf_init(&st->body);
		release(st);
		return;
	}
	kt_buf_add(&st->body, data, n);
}

/* ---- the watchdog: a bounded time for each request to arrive ---- */

typedef enum { W_HEADERS, W_BODY, W_ANSWER } w_phase;

/* One open connection, from libmicrohttpd's STARTED to its CLOSED notification. */
typedef struct watched {
	int fd;
	bool busy;        /* opened under pressure: the shorter limits */
	bool dropped;     /* shut down once; libmicrohttpd closes it */
	w_phase phase;
	long long since;  /* when the phase began, CLOCK_MONOTONIC seconds */
	struct watched *prev, *next;
} watched;

struct sb_watch {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stop, running;
	pthread_t thread;
	watched *head;
	long long header_time[2], body_time[2]; /* [busy] */
};

static long long now_mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec;
}

/* How long a connection may stay in its phase; -1 while it is being answered. */
static long long phase_limit(const struct sb_watch *wd, const watched *w)
{
	switch (w->phase) {
	case W_HEADERS:
		return wd->header_time[w->busy];
	case W_BODY:
		return wd->body_time[w->busy];
	default:
		return -1;
	}
}

/* Wakes once a second and shuts down the connections past their limit. The lock is held from
 * the check to shutdown(), and CLOSED takes it before libmicrohttpd closes the socket, so the
 * fd is still this connection's. */
static void *watchdog(void *arg)
{
	struct sb_watch *wd = arg;
	pthread_mutex_lock(&wd->lock);
	while (!wd->stop) {
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += 1;
		pthread_cond_timedwait(&wd->wake, &wd->lock, &until);
		long long now = now_mono();
		for (watched *w = wd->head; w && !wd->stop; w = w->next) {
			long long limit = phase_limit(wd, w);
			if (!w->dropped && limit >= 0 && now - w->since >= limit) {
				shutdown(w->fd, SHUT_RDWR);
				w->dropped = true;
			}
		}
	}
	pthread_mutex_unlock(&wd->lock);
	return NULL;
}

static struct sb_watch *watch_new(unsigned request_time)
{
	struct sb_watch *wd = kt_xcalloc(1, sizeof *wd);
	if (request_time) {
		wd->header_time[0] = wd->header_time[1] = request_time;
		wd->body_time[0] = wd->body_time[1] = 6LL * request_time;
	} else {
		wd->header_time[0] = SB_HEADER_TIME;
		wd->header_time[1] = SB_BUSY_HEADER_TIME;
		wd->body_time[0] = SB_BODY_TIME;
		wd->body_time[1] = SB_BUSY_BODY_TIME;
	}
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&wd->wake, &ca);
	pthread_condattr_destroy(&ca);
	pthread_mutex_init(&wd->lock, NULL);
	return wd;
}

static void watch_stop(struct sb_watch *wd)
{
	if (!wd || !wd->running)
		return;
	pthread_mutex_lock(&wd->lock);
	wd->stop = true;
	pthread_cond_signal(&wd->wake);
	pthread_mutex_unlock(&wd->lock);
	pthread_join(wd->thread, NULL);
	wd->running = false;
}

/* After the daemon stopped: every CLOSED came, so no connection is left. */
static void watch_free(struct sb_watch *wd)
{
	if (!wd)
		return;
	watch_stop(wd);
	while (wd->head) {
		watched *next = wd->head->next;
		free(wd->head);
		wd->head = next;
	}
	pthread_cond_destroy(&wd->wake);
	pthread_mutex_destroy(&wd->lock);
	free(wd);
}

/* The connection's watch record enters phase (the request's headers arrived, its body did, or
 * it was answered and the next request may start). */
static void watch_phase(sb_server *srv, struct MHD_Connection *conn, w_phase phase)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	watched *w = ci ? ci->socket_context : NULL;
	if (!w || !srv->watch)
		return;
	pthread_mutex_lock(&srv->watch->lock);
	if (w->phase != phase) {
		w->phase = phase;
		w->since = now_mono();
	}
	pthread_mutex_unlock(&srv->watch->lock);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **state)
{
	(void)version;
	sb_server *srv = cls;
	conn_state *st = *state;
	if (!st) {
		st = kt_xcalloc(1, sizeof *st);
		st->srv = srv;
		kt_buf_init(&st->body);
		*state = st;
		watch_phase(srv, conn, W_BODY);
		return MHD_YES;
	}
	if (*upload_size) {
		take_body(st, conn, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	watch_phase(srv, conn, W_ANSWER);
	if (!strcmp(method, "OPTIONS"))
		return send_preflight(srv, conn);
	/* HEAD runs as GET; libmicrohttpd leaves the body out */
	if (strcmp(method, "GET") && strcmp(method, "POST") && strcmp(method, "HEAD"))
		return send_text(srv, conn, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed\n");
	if (!strcmp(url, "/api_v3/api_schema.php"))
		return serve_schema(srv, conn);
	enum MHD_Result raw;
	if (serve_raw(srv, conn, url, &raw))
		return raw;
	char *service, *action;
	if (!api_path(url, &service, &action))
		return send_text(srv, conn, MHD_HTTP_NOT_FOUND, "not found\n");
	return serve_api(srv, conn, st, service, action);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **state,
			 enum MHD_RequestTerminationCode toe)
{
	(void)toe;
	/* the next request on a kept-alive connection has its own time */
	watch_phase(cls, conn, W_HEADERS);
	conn_state *st = *state;
	if (st) {
		/* the body may hold a secret */
		if (st->body.data)
			memset(st->body.data, 0, st->body.len);
		kt_buf_free(&st->body);
		release(st);
		free(st);
		*state = NULL;
	}
}

/* Counts open connections and hands them to the watchdog; past a quarter of the limit a new
 * one gets the short idle timeout and the short limits. */
static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
			  enum MHD_ConnectionNotificationCode toe)
{
	sb_server *srv = cls;
	struct sb_watch *wd = srv->watch;
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		unsigned n = atomic_fetch_add(&srv->open_conns, 1) + 1;
		bool busy = n > srv->max_conns / 4;
		if (busy)
			MHD_set_connection_option(conn, MHD_CONNECTION_OPTION_TIMEOUT,
						  (unsigned)SB_BUSY_TIMEOUT);
		const union MHD_ConnectionInfo *ci =
			MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		watched *w = kt_xcalloc(1, sizeof *w);
		w->fd = ci ? ci->connect_fd : -1;
		w->busy = busy;
		w->phase = ci ? W_HEADERS : W_ANSWER; /* no fd: nothing to watch */
		w->since = now_mono();
		pthread_mutex_lock(&wd->lock);
		w->next = wd->head;
		if (wd->head)
			wd->head->prev = w;
		wd->head = w;
		pthread_mutex_unlock(&wd->lock);
		*socket_context = w;
	} else if (*socket_context) {
		/* libmicrohttpd also tells CLOSED for a connection it failed to start */
		watched *w = *socket_context;
		pthread_mutex_lock(&wd->lock);
		if (w->prev)
			w->prev->next = w->next;
		else
			wd->head = w->next;
		if (w->next)
			w->next->prev = w->prev;
		pthread_mutex_unlock(&wd->lock);
		free(w);
		*socket_context = NULL;
		atomic_fetch_sub(&srv->open_conns, 1);
	}
}

static int parse_listen(const char *listen, struct sockaddr_in *sa, kt_error *err)
{
	memset(sa, 0, sizeof *sa);
	sa->sin_family = AF_INET;
	const char *colon = strrchr(listen, ':');
	long long port;
	if (!colon || colon == listen || !kt_parse_ll(colon + 1, &port) || port < 0 ||
	    port > 65535)
		return kt_fail(err, KT_E_USAGE,
			       "--listen wants HOST:PORT with an IPv4 address, not '%s'", listen);
	char host[64];
	size_t hlen = (size_t)(colon - listen);
	if (hlen >= sizeof host)
		return kt_fail(err, KT_E_USAGE, "--listen host '%.*s' is too long", (int)hlen,
			       listen);
	memcpy(host, listen, hlen);
	host[hlen] = 0;
	if (!strcmp(host, "localhost"))
		strcpy(host, "127.0.0.1");
	if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
		return kt_fail(err, KT_E_USAGE, "--listen host '%s' is not an IPv4 address", host);
	sa->sin_port = htons((uint16_t)port);
	return 0;
}

int sb_server_listen(sb_server *srv, const sandbox_opts *o, kt_error *err)
{
	if (srv->daemon)
		return kt_fail(err, KT_E_USAGE, "the sandbox is already listening at %s", srv->url);
	int threads = o && o->threads ? o->threads : 2;
	if (threads < 2 || threads > 4)
		return kt_fail(err, KT_E_USAGE, "the sandbox runs 2 to 4 threads, not %d", threads);
	struct sockaddr_in sa;
	if (parse_listen(o && o->listen ? o->listen : "127.0.0.1:0", &sa, err) < 0)
		return -1;
	char addr[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, &sa.sin_addr, addr, sizeof addr);
	if ((ntohl(sa.sin_addr.s_addr) >> 24) != 127)
		fprintf(stderr, "ktestme: warning: the sandbox listens on %s, reachable from other "
				"machines; anyone who reaches it can log in as its demo users\n",
			addr);
	if (gethostname(srv->host, sizeof srv->host - 1) < 0 || !*srv->host)
		strcpy(srv->host, "ktestme-sandbox");
	srv->max_conns = SB_MAX_CONNS;
	srv->max_buffered = o && o->max_buffered ? o->max_buffered : SB_MAX_BUFFERED;
	srv->watch = watch_new(o ? o->request_time : 0);
	srv->daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO, 0, NULL, NULL,
				       on_request, srv, MHD_OPTION_SOCK_ADDR, &sa,
				       MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads,
				       MHD_OPTION_CONNECTION_LIMIT, srv->max_conns,
				       MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)SB_IDLE_TIMEOUT,
				       MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
				       MHD_OPTION_NOTIFY_CONNECTION, on_connection, srv,
				       MHD_OPTION_END);
	if (!srv->daemon) {
		watch_free(srv->watch);
		srv->watch = NULL;
		return kt_fail(err, KT_E_NET, "cannot listen on %s:%u (in use or not allowed)",
			       addr, ntohs(sa.sin_port));
	}
	if (pthread_create(&srv->watch->thread, NULL, watchdog, srv->watch) == 0)
		srv->watch->running = true;
	else
		fprintf(stderr, "ktestme: warning: the sandbox cannot start its watchdog; slow "
				"clients may hold connections\n");
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
	snprintf(srv->url, sizeof srv->url, "http://%s:%u", addr,
		 di ? (unsigned)di->port : (unsigned)ntohs(sa.sin_port));
	return 0;
}

void sb_server_unlisten(sb_server *srv)
{
	/* the watchdog first, so it shuts nothing down while the daemon closes everything */
	watch_stop(srv->watch);
	if (srv->daemon)
		MHD_stop_daemon(srv->daemon);
	srv->daemon = NULL;
	watch_free(srv->watch);
	srv->watch = NULL;
	srv->url[0] = 0;
}
