#include "histstore.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "files.h"
#include "history.h"
#include "reqtext.h"
#include "util.h"

struct hstore {
	sqlite3 *db;
	char *path;        /* the file; NULL when none could be named */
	bool memory;       /* set aside: this session's entries are in memory */
	char *warning;     /* not yet taken */
	size_t max_entries, max_bytes;
	int busy_ms;
};

static const char schema_sql[] =
	"PRAGMA auto_vacuum=INCREMENTAL;"
	"CREATE TABLE IF NOT EXISTS history("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" ts INTEGER NOT NULL,"
	" endpoint TEXT NOT NULL,"
	" service TEXT NOT NULL,"
	" action TEXT NOT NULL,"
	" request TEXT NOT NULL,"
	" http_status INTEGER NOT NULL DEFAULT 0,"
	" error_code TEXT,"
	" error_message TEXT,"
	" failure TEXT,"
	" duration REAL NOT NULL DEFAULT 0,"
	" format INTEGER NOT NULL DEFAULT 2,"
	" result BLOB);"
	"CREATE INDEX IF NOT EXISTS history_call ON history(service, action, id);";

char *hstore_default_path(kt_error *err)
{
	char *dir = files_state_dir(err);
	if (!dir)
		return NULL;
	char *p = kt_xasprintf("%s/history.db", dir);
	free(dir);
	return p;
}

static void warn(hstore *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(hstore *h, const char *fmt, ...)
{
	va_list ap;
	char buf[768];
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	free(h->warning);
	h->warning = kt_xstrdup(buf);
}

static bool damaged(int rc)
{
	rc &= 0xff;
	return rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB;
}

static int prepare_db(sqlite3 *db, bool file, int busy_ms)
{
	sqlite3_busy_timeout(db, busy_ms);
	sqlite3_extended_result_codes(db, 1);
	int rc = SQLITE_OK;
	if (file)
		rc = sqlite3_exec(db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, schema_sql, NULL, NULL, NULL);
	/* reads the first page: a file that is no database says so here */
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "SELECT count(*) FROM history", NULL, NULL, NULL);
	return rc;
}

/* Creates the file with mode 0600 before SQLite does (its -wal and -shm files copy the mode). */
static int make_private(const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return errno;
	int e = fchmod(fd, 0600) ? errno : 0;
	close(fd);
	return e;
}

static int open_file(hstore *h, char *why, size_t whylen)
{
	char *dir = kt_xstrdup(h->path), *slash = strrchr(dir, '/');
	kt_error err = {0};
	if (slash && slash != dir) {
		*slash = '\0';
		if (files_mkdirs(dir, &err)) {
			snprintf(why, whylen, "%s", err.msg);
			free(dir);
			return SQLITE_CANTOPEN;
		}
	}
	free(dir);
	int e = make_private(h->path);
	if (e) {
		snprintf(why, whylen, "%s", strerror(e));
		return SQLITE_CANTOPEN;
	}
	int rc = sqlite3_open_v2(h->path, &h->db,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_FULLMUTEX,
				 NULL);
	if (rc == SQLITE_OK)
		rc = prepare_db(h->db, true, h->busy_ms);
	if (rc != SQLITE_OK) {
		snprintf(why, whylen, "%s", h->db ? sqlite3_errmsg(h->db) : sqlite3_errstr(rc));
		sqlite3_close(h->db);
		h->db = NULL;
	}
	return rc;
}

/* The damaged file goes to history.db.corrupt (the last one there is replaced). */
static void set_aside_file(hstore *h)
{
	char *to = kt_xasprintf("%s.corrupt", h->path);
	rename(h->path, to);
	char *wal = kt_xasprintf("%s-wal", h->path), *shm = kt_xasprintf("%s-shm", h->path);
	unlink(wal);
	unlink(shm);
	free(wal);
	free(shm);
	free(to);
}

/* From here on the session's history is in memory; what the old database still gives is
 * copied in first (the backup API reads through any lock a reader may take). */
static void go_memory(hstore *h, const char *why)
{
	sqlite3 *mem = NULL;
	if (sqlite3_open(":memory:", &mem) != SQLITE_OK) {
		sqlite3_close(mem);
		mem = NULL;
	}
	if (mem && h->db) {
		sqlite3_backup *b = sqlite3_backup_init(mem, "main", h->db, "main");
		if (b) {
			sqlite3_backup_step(b, -1);
			sqlite3_backup_finish(b);
		}
	}
	if (mem && prepare_db(mem, false, 0) != SQLITE_OK) {
		/* the copy was unusable: start the memory history empty */
		sqlite3_close(mem);
		mem = NULL;
		if (sqlite3_open(":memory:", &mem) == SQLITE_OK)
			prepare_db(mem, false, 0);
	}
	sqlite3_close(h->db);
	h->db = mem;
	h->memory = true;
	/* the status line is narrow: the sentence first, the file last */
	warn(h, "history: kept in memory only, the file cannot be used (%s): %s", why,
	     h->path ? h->path : "no state directory");
}

hstore *hstore_open(const char *path, const hstore_opts *o)
{
	hstore *h = kt_xcalloc(1, sizeof *h);
	h->max_entries = o && o->max_entries ? o->max_entries : HSTORE_MAX_ENTRIES;
	h->max_bytes = o && o->max_bytes ? o->max_bytes : HSTORE_MAX_BYTES;
	h->busy_ms = o && o->busy_ms ? o->busy_ms : 2000;
	kt_error err = {0};
	h->path = path ? kt_xstrdup(path) : hstore_default_path(&err);
	if (!h->path) {
		go_memory(h, err.msg);
		return h;
	}
	char why[512] = "";
	int rc = open_file(h, why, sizeof why);
	if (damaged(rc)) {
		set_aside_file(h);
		rc = open_file(h, why, sizeof why);
		if (rc == SQLITE_OK)
			warn(h, "history: the file was damaged, kept aside as .corrupt, a new one started: %s",
			     h->path);
	}
	if (rc != SQLITE_OK)
		go_memory(h, why);
	return h;
}

void hstore_close(hstore *h)
{
	if (!h)
		return;
	sqlite3_close(h->db);
	free(h->path);
	free(h->warning);
	free(h);
}

char *hstore_take_warning(hstore *h)
{
	char *w = h->warning;
	h->warning = NULL;
	return w;
}

bool hstore_persistent(const hstore *h)
{
	return !h->memory;
}

/* ---- secrets ---- */

typedef struct secrets {
	char **v;
	size_t n;
} secrets;

static void collect(const char *key, const char *suffix, const param *p, bool top, void *ud)
{
	(void)suffix;
	(void)top;
	secrets *s = ud;
	if (p->kind != PARAM_VALUE || !p->value || strlen(p->value) < 4 ||
	    !reqtext_is_secret(key, p->value))
		return;
	s->v = kt_xrealloc(s->v, (s->n + 1) * sizeof *s->v);
	s->v[s->n++] = p->value;
}

/* The request's own secret values (not copied), which must not show up in what is kept. */
static void request_secrets(const kt_request *r, secrets *s)
{
	memset(s, 0, sizeof *s);
	if (r->ks && strlen(r->ks) >= 4) {
		s->v = kt_xrealloc(s->v, sizeof *s->v);
		s->v[s->n++] = r->ks;
	}
	if (r->params)
		param_walk(r->params, collect, s);
}

static bool contains(const char *hay, size_t len, const char *needle)
{
	return memmem(hay, len, needle, strlen(needle)) != NULL;
}

static char *masked(const char *text, const secrets *s)
{
	if (!text)
		return NULL;
	char *out = kt_xstrdup(text);
	for (size_t i = 0; i < s->n; i++) {
		size_t nl = strlen(s->v[i]);
		char *at;
		while ((at = strstr(out, s->v[i]))) {
			char *next = kt_xasprintf("%.*s***%s", (int)(at - out), out, at + nl);
			kt_free_secret(out);
			out = next;
		}
	}
	return out;
}

/* ---- writing ---- */

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

/* Results, oldest first, then whole entries go until the rest fits; the newest stays. */
static int trim(hstore *h)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(h->db,
				    "SELECT id, length(request), coalesce(length(result), 0) "
				    "FROM history ORDER BY id DESC",
				    -1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	size_t total = 0, seen = 0;
	long long drop_results_upto = 0, drop_rows_upto = 0;
	bool newest = true;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(st, 0);
		size_t req = (size_t)sqlite3_column_int64(st, 1);
		size_t res = (size_t)sqlite3_column_int64(st, 2);
		seen++;
		if (!newest && (seen > h->max_entries || total + req > h->max_bytes)) {
			drop_rows_upto = id;
			break;
		}
		total += req;
		if (res && total + res > h->max_bytes) {
			if (!drop_results_upto)
				drop_results_upto = id;
		} else if (!drop_results_upto) {
			total += res;
		}
		newest = false;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return rc;
	rc = SQLITE_OK;
	if (drop_rows_upto) {
		rc = sqlite3_prepare_v2(h->db, "DELETE FROM history WHERE id <= ?", -1, &st, NULL);
		if (rc == SQLITE_OK) {
			sqlite3_bind_int64(st, 1, drop_rows_upto);
			rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(h->db);
			sqlite3_finalize(st);
		}
	}
	if (rc == SQLITE_OK && drop_results_upto) {
		rc = sqlite3_prepare_v2(h->db, "UPDATE history SET result = NULL WHERE id <= ?", -1,
					&st, NULL);
		if (rc == SQLITE_OK) {
			sqlite3_bind_int64(st, 1, drop_results_upto);
			rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(h->db);
			sqlite3_finalize(st);
		}
	}
	if (rc == SQLITE_OK && (drop_rows_upto || drop_results_upto))
		sqlite3_exec(h->db, "PRAGMA incremental_vacuum", NULL, NULL, NULL);
	return rc;
}

static int insert(hstore *h, const hstore_record *rec, const char *request, const char *message,
		  bool keep_result, long long *id)
{
	int rc = sqlite3_exec(h->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_stmt *st;
	rc = sqlite3_prepare_v2(h->db,
				"INSERT INTO history(ts, endpoint, service, action, request, http_status,"
				" error_code, error_message, failure, duration, format, result)"
				" VALUES(?,?,?,?,?,?,?,?,?,?,?,?)",
				-1, &st, NULL);
	if (rc == SQLITE_OK) {
		const kt_request *r = rec->req;
		sqlite3_bind_int64(st, 1, rec->when);
		bind_text(st, 2, rec->endpoint ? rec->endpoint : "");
		bind_text(st, 3, r->service ? r->service : "");
		bind_text(st, 4, r->action ? r->action : "");
		bind_text(st, 5, request);
		sqlite3_bind_int64(st, 6, rec->http_status);
		bind_text(st, 7, rec->error_code);
		bind_text(st, 8, message);
		bind_text(st, 9, rec->failure);
		sqlite3_bind_double(st, 10, rec->duration);
		sqlite3_bind_int(st, 11, r->format ? r->format : 2);
		if (keep_result)
			sqlite3_bind_blob64(st, 12, rec->result, rec->result_len, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(st, 12);
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(h->db);
		sqlite3_finalize(st);
	}
	if (rc == SQLITE_OK) {
		*id = sqlite3_last_insert_rowid(h->db);
		rc = trim(h);
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(h->db, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

long long hstore_add(hstore *h, const hstore_record *rec)
{
	if (!h->db || !rec->req)
		return -1;
	secrets s;
	request_secrets(rec->req, &s);
	char *request = reqtext_format(rec->req);
	char *message = masked(rec->error_message, &s);
	bool keep = rec->result && !rec->result_has_secret && rec->result_len <= h->max_bytes;
	for (size_t i = 0; keep && i < s.n; i++)
		if (contains(rec->result, rec->result_len, s.v[i]))
			keep = false;
	long long id = -1;
	int rc = insert(h, rec, request, message, keep, &id);
	if (rc != SQLITE_OK && !h->memory) {
		char why[512];
		snprintf(why, sizeof why, "%s", sqlite3_errmsg(h->db));
		if (damaged(rc)) {
			sqlite3_close(h->db);
			h->db = NULL;
			set_aside_file(h);
			rc = open_file(h, why, sizeof why);
			if (rc == SQLITE_OK)
				warn(h, "history: the file was damaged, kept aside as .corrupt, a new one "
					"started: %s", h->path);
			else
				go_memory(h, why);
		} else {
			go_memory(h, why);
		}
		rc = h->db ? insert(h, rec, request, message, keep, &id) : SQLITE_ERROR;
	}
	free(s.v);
	free(request);
	kt_free_secret(message);
	return rc == SQLITE_OK ? id : -1;
}

/* ---- reading ---- */

static char *col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? kt_xstrdup((const char *)t) : NULL;
}

#define COLUMNS "id, ts, endpoint, service, action, request, http_status, error_code," \
		" error_message, failure, duration, format"

static void read_row(sqlite3_stmt *st, hstore_entry *e)
{
	memset(e, 0, sizeof *e);
	e->id = sqlite3_column_int64(st, 0);
	e->when = sqlite3_column_int64(st, 1);
	e->endpoint = col_text(st, 2);
	e->service = col_text(st, 3);
	e->action = col_text(st, 4);
	e->request = col_text(st, 5);
	e->http_status = (long)sqlite3_column_int64(st, 6);
	e->error_code = col_text(st, 7);
	e->error_message = col_text(st, 8);
	e->failure = col_text(st, 9);
	e->duration = sqlite3_column_double(st, 10);
	e->format = sqlite3_column_int(st, 11);
	if (!e->endpoint)
		e->endpoint = kt_xstrdup("");
	if (!e->service)
		e->service = kt_xstrdup("");
	if (!e->action)
		e->action = kt_xstrdup("");
	if (!e->request)
		e->request = kt_xstrdup("");
}

static bool ascii_contains(const char *hay, const char *word)
{
	return hay && strcasestr(hay, word);
}

static bool matches(const hstore_entry *e, const char *filter)
{
	if (!filter || !*filter)
		return true;
	char outcome[256], call[512];
	hstore_outcome(e, outcome, sizeof outcome);
	snprintf(call, sizeof call, "%s.%s", e->service, e->action);
	char *words = kt_xstrdup(filter), *save = NULL;
	bool ok = true;
	for (char *w = strtok_r(words, " \t", &save); w && ok; w = strtok_r(NULL, " \t", &save))
		ok = ascii_contains(call, w) || ascii_contains(e->endpoint, w) ||
		     ascii_contains(outcome, w) || ascii_contains(e->error_message, w) ||
		     ascii_contains(e->request, w);
	free(words);
	return ok;
}

size_t hstore_list(hstore *h, const char *filter, size_t max, hstore_entry **out)
{
	*out = NULL;
	if (!h->db)
		return 0;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(h->db, "SELECT " COLUMNS " FROM history ORDER BY id DESC", -1, &st,
			       NULL) != SQLITE_OK)
		return 0;
	size_t n = 0, cap = 0;
	hstore_entry *v = NULL;
	while ((!max || n < max) && sqlite3_step(st) == SQLITE_ROW) {
		hstore_entry e;
		read_row(st, &e);
		if (!matches(&e, filter)) {
			hstore_entry_free(&e);
			continue;
		}
		if (n == cap)
			v = kt_xrealloc(v, (cap = cap ? cap * 2 : 32) * sizeof *v);
		v[n++] = e;
	}
	sqlite3_finalize(st);
	*out = v;
	return n;
}

static int get_where(hstore *h, const char *sql, long long id, hstore_entry *out)
{
	if (!h->db)
		return -1;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(h->db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = -1;
	if (sqlite3_step(st) == SQLITE_ROW) {
		read_row(st, out);
		const void *blob = sqlite3_column_blob(st, 12);
		int len = sqlite3_column_bytes(st, 12);
		if (sqlite3_column_type(st, 12) != SQLITE_NULL) {
			out->result = kt_xmalloc((size_t)len + 1);
			if (len)
				memcpy(out->result, blob, (size_t)len);
			out->result[len] = '\0';
			out->result_len = (size_t)len;
		}
		rc = 0;
	}
	sqlite3_finalize(st);
	return rc;
}

int hstore_get(hstore *h, long long id, hstore_entry *out)
{
	return get_where(h, "SELECT " COLUMNS ", result FROM history WHERE id = ?", id, out);
}

int hstore_previous_same(hstore *h, long long id, hstore_entry *out)
{
	return get_where(h,
			 "SELECT " COLUMNS ", result FROM history AS o WHERE o.id < ?1 AND"
			 " o.service = (SELECT service FROM history WHERE id = ?1) AND"
			 " o.action = (SELECT action FROM history WHERE id = ?1)"
			 " ORDER BY o.id DESC LIMIT 1",
			 id, out);
}

bool hstore_delete(hstore *h, long long id)
{
	if (!h->db)
		return false;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(h->db, "DELETE FROM history WHERE id = ?", -1, &st, NULL) !=
	    SQLITE_OK)
		return false;
	sqlite3_bind_int64(st, 1, id);
	bool ok = sqlite3_step(st) == SQLITE_DONE && sqlite3_changes(h->db) > 0;
	sqlite3_finalize(st);
	return ok;
}

size_t hstore_count(hstore *h)
{
	if (!h->db)
		return 0;
	sqlite3_stmt *st;
	size_t n = 0;
	if (sqlite3_prepare_v2(h->db, "SELECT count(*) FROM history", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			n = (size_t)sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	return n;
}

int hstore_entry_request(const hstore_entry *e, kt_request *out, kt_error *err)
{
	return reqtext_parse(e->request, out, err);
}

void hstore_outcome(const hstore_entry *e, char *buf, size_t n)
{
	history_outcome_text(e->error_code, e->failure, e->http_status, buf, n);
}

void hstore_entry_free(hstore_entry *e)
{
	free(e->endpoint);
	free(e->service);
	free(e->action);
	free(e->request);
	free(e->error_code);
	free(e->error_message);
	free(e->failure);
	free(e->result);
	memset(e, 0, sizeof *e);
}

void hstore_entries_free(hstore_entry *e, size_t n)
{
	for (size_t i = 0; i < n; i++)
		hstore_entry_free(&e[i]);
	free(e);
}
