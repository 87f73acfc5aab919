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
#include "sandbox/store.h"
#include "util.h"

/* UploadToken::UPLOAD_TOKEN_* (alpha/lib/model/UploadToken.php) */
enum { TOK_PENDING = 0, TOK_PARTIAL = 1, TOK_FULL = 2, TOK_CLOSED = 3, TOK_DELETED = 5 };

typedef struct chunk {
	long long at;
	char *data;
	size_t len;
	struct chunk *next;
} chunk;

/* A token is a record of KalturaUploadToken's properties (id, partnerId, userId, status,
 * fileName, fileSize as given, uploadedFileSize once a file came, createdAt, updatedAt, the
 * attached entry); its bytes ride beside it. */
typedef store_row utoken;

typedef struct upload {
	kt_buf data;
	bool has_file;    /* an upload happened: "uploadedFileSize" is set */
	chunk *waiting;   /* chunks past the end, by offset */
} upload;

typedef struct usage {
	long long partner;
	size_t bytes;
} usage;

typedef struct upload_state {
	pthread_mutex_t lock;
	store_table tokens; /* by id, oldest first; extra: its upload */
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

static upload *up_of(const utoken *t)
{
	return t->extra;
}

static size_t token_bytes(const utoken *t)
{
	const upload *u = up_of(t);
	size_t n = u->data.len;
	for (const chunk *c = u->waiting; c; c = c->next)
		n += c->len;
	return n;
}

static void drop_chunks(upload *u)
{
	while (u->waiting) {
		chunk *c = u->waiting;
		u->waiting = c->next;
		free(c->data);
		free(c);
	}
}

static void upload_free(void *extra)
{
	upload *u = extra;
	kt_buf_free(&u->data);
	drop_chunks(u);
	free(u);
}

static int token_status(const utoken *t)
{
	return (int)store_rec_getll(t->rec, "status", TOK_PENDING);
}

static void set_status(utoken *t, int status)
{
	store_rec_setll(t->rec, "status", status);
}

static void touch(utoken *t)
{
	store_rec_setll(t->rec, "updatedAt", (long long)time(NULL));
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
static bool may_see(const sb_call *c, const utoken *t)
{
	const char *me = c->ks_info && c->ks_info->user ? c->ks_info->user : "";
	const char *user = store_rec_get(t->rec, "userId");
	return store_rec_getll(t->rec, "partnerId", -1) == partner_of(c) &&
	       token_status(t) != TOK_DELETED && (is_admin(c) || (user && !strcmp(user, me)));
}

static utoken *find_locked(upload_state *st, const sb_call *c, const char *id)
{
	utoken *t = store_find(&st->tokens, id);
	return t && may_see(c, t) ? t : NULL;
}

static rvalue *render(const sb_call *c, utoken *t)
{
	const upload *u = up_of(t);
	if (u->has_file)
		store_rec_setll(t->rec, "uploadedFileSize", (long long)u->data.len);
	return store_rec_render(c->cfg, t->rec, "KalturaUploadToken");
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
	char id[40];
	if (new_id(id, sizeof id))
		return sb_fail(c, "INTERNAL_SERVERL_ERROR", 0);
	param *rec = param_new();
	long long now = (long long)time(NULL);
	store_rec_set(rec, "id", id);
	store_rec_setll(rec, "partnerId", partner_of(c));
	store_rec_set(rec, "userId", c->ks_info && c->ks_info->user ? c->ks_info->user : "");
	store_rec_setll(rec, "status", TOK_PENDING);
	const char *name = sb_arg(c, "uploadToken:fileName");
	const char *size = sb_arg(c, "uploadToken:fileSize");
	if (name)
		store_rec_set(rec, "fileName", name);
	if (size)
		store_rec_set(rec, "fileSize", size);
	store_rec_setll(rec, "createdAt", now);
	store_rec_setll(rec, "updatedAt", now);
	upload *u = kt_xcalloc(1, sizeof *u);
	kt_buf_init(&u->data);
	pthread_mutex_lock(&st->lock);
	c->result = render(c, store_insert(&st->tokens, rec, u));
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
		c->result = render(c, t);
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
static void append_waiting(upload *t)
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
	upload *u = t ? up_of(t) : NULL;
	int rc = 0;
	size_t *use = used(st, partner_of(c));
	if (!t) {
		rc = sb_fail(c, "UPLOAD_TOKEN_NOT_FOUND", 0);
	} else if (token_status(t) != TOK_PENDING && token_status(t) != TOK_PARTIAL) {
		rc = sb_fail(c, "UPLOAD_TOKEN_INVALID_STATUS_FOR_UPLOAD", 0);
	} else if (!f) {
		/* checkIfFileIsValid: a value that is not an uploaded file */
		rc = sb_fail(c, "UPLOAD_ERROR", 0);
	} else if (f->len == 0 && !final && at > 0) {
		c->result = render(c, t); /* an empty chunk is dismissed */
	} else if (*use - (resume ? 0 : token_bytes(t)) + f->len > SB_UPLOAD_CAP) {
		char why[96];
		snprintf(why, sizeof why, "(the sandbox keeps at most %d MB of uploads per partner)",
			 SB_UPLOAD_CAP >> 20);
		rc = sb_fail(c, "INTERNAL_SERVER_ERROR", 1, why);
	} else if (resume && !u->has_file) {
		rc = sb_fail(c, "UPLOAD_TOKEN_CANNOT_RESUME", 0);
	} else {
		size_t before = token_bytes(t);
		if (!resume) {
			/* handleMoveFile: the file is this one */
			kt_buf_reset(&u->data);
			u->data.len = 0;
			drop_chunks(u);
			kt_buf_add(&u->data, f->data, f->len);
		} else if (at < 0) {
			kt_buf_add(&u->data, f->data, f->len);
		} else if (at <= (long long)u->data.len) {
			write_at(&u->data, at, f->data, f->len);
			append_waiting(u);
		} else {
			/* past the end: kept until the bytes before it arrive */
			chunk *ch = kt_xcalloc(1, sizeof *ch);
			ch->at = at;
			ch->len = f->len;
			ch->data = kt_xmalloc(f->len + 1);
			memcpy(ch->data, f->data, f->len);
			ch->next = u->waiting;
			u->waiting = ch;
		}
		*use = *use - before + token_bytes(t);
		u->has_file = true;
		if (!store_rec_get(t->rec, "fileName") && f->name && *f->name)
			store_rec_set(t->rec, "fileName", f->name); /* updateFileName */
		touch(t);
		if (final && resume && at > 0 && (long long)u->data.len != at + (long long)f->len) {
			rc = sb_fail(c, "UPLOAD_TOKEN_CANNOT_MATCH_EXPECTED_SIZE", 0);
			set_status(t, TOK_PARTIAL);
		} else {
			set_status(t, final ? TOK_FULL : TOK_PARTIAL);
			c->result = render(c, t);
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
		upload *u = up_of(t);
		size_t *use = used(st, store_rec_getll(t->rec, "partnerId", 0));
		*use -= token_bytes(t);
		kt_buf_free(&u->data);
		kt_buf_init(&u->data);
		drop_chunks(u);
		set_status(t, TOK_DELETED);
		touch(t);
	}
	pthread_mutex_unlock(&st->lock);
	return rc;
}

/* Newest first. */
static int upload_list(sb_call *c)
{
	upload_state *st = sb_state(c, &sb_upload_service);
	pthread_mutex_lock(&st->lock);
	size_t n = 0;
	rvalue **objs = kt_xcalloc(st->tokens.n ? st->tokens.n : 1, sizeof *objs);
	for (size_t i = st->tokens.n; i-- > 0;)
		if (may_see(c, st->tokens.rows[i]))
			objs[n++] = render(c, st->tokens.rows[i]);
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
	} else if (token_status(t) != TOK_FULL) {
		rc = sb_fail(c, "UPLOAD_TOKEN_INVALID_STATUS_FOR_ADD_ENTRY", 0);
	} else {
		/* the bytes move to the entry and still count for the partner */
		upload *u = up_of(t);
		*len = u->data.len;
		kt_buf_add(&u->data, "", 0);
		*data = kt_buf_steal(&u->data);
		kt_buf_init(&u->data);
		drop_chunks(u);
		set_status(t, TOK_CLOSED); /* kUploadTokenMgr::closeUploadTokenById */
		store_rec_set(t->rec, "attachedObjectType", "KalturaMediaEntry");
		store_rec_set(t->rec, "attachedObjectId", entry_id);
		touch(t);
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
	store_table_init(&st->tokens, "id", upload_free);
}

static void upload_reset(sb_server *srv, void *state)
{
	(void)srv;
	upload_state *st = state;
	store_table_free(&st->tokens);
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
