/* svc_upload: uploadToken.add, get, upload, delete and list, after the server's
 * UploadTokenService and kUploadTokenMgr: a token starts PENDING; an upload without resume
 * replaces its file, with resume appends it (resumeAt -1) or writes it at resumeAt, a chunk past
 * the end waits until the bytes before it arrive (as parallel chunks do); finalChunk makes it
 * FULL_UPLOAD, else PARTIAL_UPLOAD. A final chunk at resumeAt > 0 must end the file exactly
 * (UPLOAD_TOKEN_CANNOT_MATCH_EXPECTED_SIZE otherwise). media.addContent takes the file of a
 * FULL_UPLOAD token (svc_upload_take) and the token is CLOSED. Files are kept in memory, at
 * most SB_UPLOAD_CAP bytes per partner, tokens and entries' contents together. */
#include "sandbox/upload.h"

#include <openssl/rand.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sandbox/list.h"
#include "util.h"

/* UploadToken::UPLOAD_TOKEN_* (alpha/lib/model/UploadToken.php) */
enum { TOK_PENDING = 0, TOK_PARTIAL = 1, TOK_FULL = 2, TOK_CLOSED = 3, TOK_DELETED = 5 };

typedef struct chunk {
	long long at;
	char *data;
	size_t len;
	struct chunk *next;
} chunk;

typedef struct utoken {
	char id[40];
	long long partner;
	char *user;
	int status;
	char *file_name;
	char *file_size;  /* as given at add (float text); NULL when not */
	kt_buf data;
	bool has_file;    /* an upload happened: "uploadedFileSize" is set */
	chunk *waiting;   /* chunks past the end, by offset */
	char *attached;   /* the entry it went to */
	long long created, updated;
	struct utoken *next;
} utoken;

typedef struct usage {
	long long partner;
	size_t bytes;
} usage;

typedef struct upload_state {
	pthread_mutex_t lock;
	utoken *tokens; /* newest first */
	usage *use;
	size_t nuse;
} upload_state;

static size_t *used(upload_state *st, long long partner)
{
	for (size_t i = 0; i < st->nuse; i++)
		if (st->use[i].partner == partner)
			return &st->use[i].bytes;
	st->use = kt_xrealloc(st->use, (st->nuse + 1) * sizeof *st->use);
	st->use[st->nuse] = (usage){partner, 0};
	return &st->use[st->nuse++].bytes;
}

static size_t token_bytes(const utoken *t)
{
	size_t n = t->data.len;
	for (const chunk *c = t->waiting; c; c = c->next)
		n += c->len;
	return n;
}

static void drop_chunks(utoken *t)
{
	while (t->waiting) {
		chunk *c = t->waiting;
		t->waiting = c->next;
		free(c->data);
		free(c);
	}
}

static void token_free(utoken *t)
{
	free(t->user);
	free(t->file_name);
	free(t->file_size);
	kt_buf_free(&t->data);
	drop_chunks(t);
	free(t->attached);
	free(t);
}

static long long partner_of(const sb_call *c)
{
	return c->ks_info ? c->ks_info->partner_id : c->cfg->partner_id;
}

static bool is_admin(const sb_call *c)
{
	return c->ks_info && c->ks_info->type >= 1;
}

/* UploadTokenPeer with the partner filter, and restrictPeerToCurrentUser for non-admin KSs */
static utoken *find_locked(upload_state *st, const sb_call *c, const char *id)
{
	const char *me = c->ks_info && c->ks_info->user ? c->ks_info->user : "";
	for (utoken *t = st->tokens; id && t; t = t->next)
		if (!strcmp(t->id, id) && t->partner == partner_of(c) && t->status != TOK_DELETED &&
		    (is_admin(c) || !strcmp(t->user, me)))
			return t;
	return NULL;
}

static rvalue *render(const utoken *t)
{
	rvalue *r = sb_rv_object(NULL, "KalturaUploadToken");
	sb_rv_add(r, sb_rv_scalar("id", t->id));
	sb_rv_addf(r, "partnerId", "%lld", t->partner);
	sb_rv_add(r, sb_rv_scalar("userId", t->user));
	sb_rv_addf(r, "status", "%d", t->status);
	if (t->file_name)
		sb_rv_add(r, sb_rv_scalar("fileName", t->file_name));
	if (t->file_size)
		sb_rv_add(r, sb_rv_scalar("fileSize", t->file_size));
	if (t->has_file)
		sb_rv_addf(r, "uploadedFileSize", "%zu", t->data.len);
	sb_rv_addf(r, "createdAt", "%lld", t->created);
	sb_rv_addf(r, "updatedAt", "%lld", t->updated);
	if (t->attached) {
		sb_rv_add(r, sb_rv_scalar("attachedObjectType", "KalturaMediaEntry"));
		sb_rv_add(r, sb_rv_scalar("attachedObjectId", t->attached));
	}
	return r;
}

/* UploadToken::calculateId: the data center, "_", and 32 hex digits */
static int new_id(char *out, size_t n)
{
	unsigned char r[16];
	if (RAND_bytes(r, sizeof r) != 1)
		return -1;
	char hex[33];
	kt_hex(r, sizeof r, hex);
	snprintf(out, n, "0_%s", hex);
	return 0;
}

static int upload_add(sb_call *c)
{
	upload_state *st = sb_state(c, &sb_upload_service);
	utoken *t = kt_xcalloc(1, sizeof *t);
	if (new_id(t->id, sizeof t->id)) {
		free(t);
		return sb_fail(c, "INTERNAL_SERVERL_ERROR", 0);
	}
	t->partner = partner_of(c);
	t->user = kt_xstrdup(c->ks_info && c->ks_info->user ? c->ks_info->user : "");
	t->status = TOK_PENDING;
	const char *name = sb_arg(c, "uploadToken:fileName");
	const char *size = sb_arg(c, "uploadToken:fileSize");
	t->file_name = name ? kt_xstrdup(name) : NULL;
	t->file_size = size ? kt_xstrdup(size) : NULL;
	kt_buf_init(&t->data);
	t->created = t->updated = (long long)time(NULL);
	pthread_mutex_lock(&st->lock);
	t->next = st->tokens;
	st->tokens = t;
	c->result = render(t);
	pthread_mutex_unlock(&st->lock);
	return 0;
}

static int upload_get(sb_call *c)
{
	upload_state *st = sb_state(c, &sb_upload_service);
	pthread_mutex_lock(&st->lock);
	utoken *t = find_locked(st, c, sb_arg(c, "uploadTokenId"));
	int rc = 0;
	if (!t)
		rc = sb_fail(c, "UPLOAD_TOKEN_NOT_FOUND", 0);
	else
		c->result = render(t);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

/* Writes len bytes at offset at (at <= the file's size), growing the file as needed. */
static void write_at(kt_buf *b, long long at, const char *data, size_t len)
{
	size_t end = (size_t)at + len;
	if (end > b->len) {
		kt_buf_add(b, "", 0);
		size_t grow = end - b->len;
		char *zeros = kt_xcalloc(1, grow);
		kt_buf_add(b, zeros, grow);
		free(zeros);
	}
	memcpy(b->data + at, data, len);
}

/* kUploadTokenMgr::syncAppendAvailableChunks: the waiting chunks that now touch the end */
static void append_waiting(utoken *t)
{
	bool moved = true;
	while (moved) {
		moved = false;
		for (chunk **link = &t->waiting; *link; link = &(*link)->next) {
			chunk *c = *link;
			if (c->at > (long long)t->data.len)
				continue;
			write_at(&t->data, c->at, c->data, c->len);
			*link = c->next;
			free(c->data);
			free(c);
			moved = true;
			break;
		}
	}
}

static int upload_upload(sb_call *c)
{
	upload_state *st = sb_state(c, &sb_upload_service);
	const sb_file *f = sb_arg_file(c, "fileData");
	bool resume = sb_arg_ll(c, "resume", 0) != 0;
	bool final = sb_arg_ll(c, "finalChunk", 1) != 0;
	const char *at_s = sb_arg(c, "resumeAt");
	long long at = at_s ? (long long)strtod(at_s, NULL) : -1;
	pthread_mutex_lock(&st->lock);
	utoken *t = find_locked(st, c, sb_arg(c, "uploadTokenId"));
	int rc = 0;
	size_t *use = used(st, partner_of(c));
	if (!t) {
		rc = sb_fail(c, "UPLOAD_TOKEN_NOT_FOUND", 0);
	} else if (t->status != TOK_PENDING && t->status != TOK_PARTIAL) {
		rc = sb_fail(c, "UPLOAD_TOKEN_INVALID_STATUS_FOR_UPLOAD", 0);
	} else if (!f) {
		/* checkIfFileIsValid: a value that is not an uploaded file */
		rc = sb_fail(c, "UPLOAD_ERROR", 0);
	} else if (f->len == 0 && !final && at > 0) {
		c->result = render(t); /* an empty chunk is dismissed */
	} else if (*use - (resume ? 0 : token_bytes(t)) + f->len > SB_UPLOAD_CAP) {
		char why[96];
		snprintf(why, sizeof why, "(the sandbox keeps at most %d MB of uploads per partner)",
			 SB_UPLOAD_CAP >> 20);
		rc = sb_fail(c, "INTERNAL_SERVER_ERROR", 1, why);
	} else if (resume && !t->has_file) {
		rc = sb_fail(c, "UPLOAD_TOKEN_CANNOT_RESUME", 0);
	} else {
		size_t before = token_bytes(t);
		if (!resume) {
			/* handleMoveFile: the file is this one */
			kt_buf_reset(&t->data);
			t->data.len = 0;
			drop_chunks(t);
			kt_buf_add(&t->data, f->data, f->len);
		} else if (at < 0) {
			kt_buf_add(&t->data, f->data, f->len);
		} else if (at <= (long long)t->data.len) {
			write_at(&t->data, at, f->data, f->len);
			append_waiting(t);
		} else {
			/* past the end: kept until the bytes before it arrive */
			chunk *ch = kt_xcalloc(1, sizeof *ch);
			ch->at = at;
			ch->len = f->len;
			ch->data = kt_xmalloc(f->len + 1);
			memcpy(ch->data, f->data, f->len);
			ch->next = t->waiting;
			t->waiting = ch;
		}
		*use = *use - before + token_bytes(t);
		t->has_file = true;
		if (!t->file_name && f->name && *f->name)
			t->file_name = kt_xstrdup(f->name); /* updateFileName */
		t->updated = (long long)time(NULL);
		if (final && resume && at > 0 && (long long)t->data.len != at + (long long)f->len) {
			rc = sb_fail(c, "UPLOAD_TOKEN_CANNOT_MATCH_EXPECTED_SIZE", 0);
			t->status = TOK_PARTIAL;
		} else {
			t->status = final ? TOK_FULL : TOK_PARTIAL;
			c->result = render(t);
		}
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
}

static int upload_delete(sb_call *c)
{
	upload_state *st = sb_state(c, &sb_upload_service);
	pthread_mutex_lock(&st->lock);
	utoken *t = find_locked(st, c, sb_arg(c, "uploadTokenId"));
	int rc = 0;
	if (!t) {
		rc = sb_fail(c, "UPLOAD_TOKEN_NOT_FOUND", 0);
	} else {
		size_t *use = used(st, t->partner);
		*use -= token_bytes(t);
		kt_buf_free(&t->data);
		kt_buf_init(&t->data);
		drop_chunks(t);
		t->status = TOK_DELETED;
		t->updated = (long long)time(NULL);
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
}

static int upload_list(sb_call *c)
{
	upload_state *st = sb_state(c, &sb_upload_service);
	pthread_mutex_lock(&st->lock);
	size_t n = 0, cap = 16;
	rvalue **objs = kt_xcalloc(cap, sizeof *objs);
	const char *me = c->ks_info && c->ks_info->user ? c->ks_info->user : "";
	for (utoken *t = st->tokens; t; t = t->next) {
		if (t->partner != partner_of(c) || t->status == TOK_DELETED ||
		    (!is_admin(c) && strcmp(t->user, me)))
			continue;
		if (n == cap)
			objs = kt_xrealloc(objs, (cap *= 2) * sizeof *objs);
		objs[n++] = render(t);
	}
	pthread_mutex_unlock(&st->lock);
	return sb_list(c, objs, n, "KalturaUploadToken", "KalturaUploadTokenListResponse");
}

int svc_upload_take(sb_call *c, const char *id, const char *entry_id, char **data, size_t *len)
{
	upload_state *st = sb_state(c, &sb_upload_service);
	pthread_mutex_lock(&st->lock);
	utoken *t = find_locked(st, c, id);
	int rc = 0;
	if (!t) {
		rc = sb_fail(c, "UPLOAD_TOKEN_NOT_FOUND", 0);
	} else if (t->status != TOK_FULL) {
		rc = sb_fail(c, "UPLOAD_TOKEN_INVALID_STATUS_FOR_ADD_ENTRY", 0);
	} else {
		/* the bytes move to the entry and still count for the partner */
		*len = t->data.len;
		kt_buf_add(&t->data, "", 0);
		*data = kt_buf_steal(&t->data);
		kt_buf_init(&t->data);
		drop_chunks(t);
		t->status = TOK_CLOSED; /* kUploadTokenMgr::closeUploadTokenById */
		free(t->attached);
		t->attached = kt_xstrdup(entry_id);
		t->updated = (long long)time(NULL);
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
}

void svc_upload_release(sb_server *srv, long long partner, size_t bytes)
{
	upload_state *st = sb_server_state(srv, &sb_upload_service);
	pthread_mutex_lock(&st->lock);
	size_t *use = used(st, partner);
	*use = *use > bytes ? *use - bytes : 0;
	pthread_mutex_unlock(&st->lock);
}

static void upload_seed(sb_server *srv, void *state)
{
	(void)srv;
	upload_state *st = state;
	pthread_mutex_init(&st->lock, NULL);
}

static void upload_reset(sb_server *srv, void *state)
{
	(void)srv;
	upload_state *st = state;
	while (st->tokens) {
		utoken *t = st->tokens;
		st->tokens = t->next;
		token_free(t);
	}
	free(st->use);
	st->use = NULL;
	st->nuse = 0;
	pthread_mutex_destroy(&st->lock);
}

static const sb_handler handlers[] = {
	/* USER sessions upload their own files (restrictPeerToCurrentUser); widget ones may not */
	{"uploadtoken", "add", upload_add, SB_USER},
	{"uploadtoken", "get", upload_get, SB_USER},
	{"uploadtoken", "upload", upload_upload, SB_USER},
	{"uploadtoken", "delete", upload_delete, SB_USER},
	{"uploadtoken", "list", upload_list, SB_USER},
	{NULL, NULL, NULL, SB_ANY},
};

const sb_service sb_upload_service = {"uploadToken", handlers, sizeof(upload_state), upload_seed,
				       upload_reset};
