#include "collection.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "files.h"
#include "reqtext.h"
#include "util.h"

void collection_init(collection *c)
{
	memset(c, 0, sizeof *c);
}

static void entry_free(coll_entry *e)
{
	free(e->name);
	request_free(&e->req);
}

void collection_free(collection *c)
{
	for (size_t i = 0; i < c->n; i++)
		entry_free(&c->e[i]);
	free(c->e);
	memset(c, 0, sizeof *c);
}

bool collection_name_ok(const char *name, kt_error *err)
{
	size_t n = strlen(name);
	if (!n)
		return kt_fail(err, KT_E_USAGE, "a saved request needs a name"), false;
	if (n > COLLECTION_NAME_MAX)
		return kt_fail(err, KT_E_USAGE, "a name has at most %d bytes", COLLECTION_NAME_MAX),
		       false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return kt_fail(err, KT_E_USAGE, "a name has no control characters"), false;
	if (name[0] == ' ' || name[n - 1] == ' ')
		return kt_fail(err, KT_E_USAGE, "a name does not start or end with a space"), false;
	return true;
}

static coll_entry *find(collection *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->e[i].name, name))
			return &c->e[i];
	return NULL;
}

const coll_entry *collection_find(const collection *c, const char *name)
{
	return find((collection *)c, name);
}

void collection_copy_request(kt_request *dst, const kt_request *r)
{
	char *text = reqtext_format(r);
	if (reqtext_parse(text, dst, NULL))
		request_init(dst, r->service ? r->service : "", r->action); /* not reached: our own text */
	free(text);
}

/* Takes over r (already free of secrets). */
static void put_owned(collection *c, const char *name, kt_request *r)
{
	coll_entry *e = find(c, name);
	if (e) {
		request_free(&e->req);
	} else {
		c->e = kt_xrealloc(c->e, (c->n + 1) * sizeof *c->e);
		e = &c->e[c->n++];
		e->name = kt_xstrdup(name);
	}
	e->req = *r;
}

int collection_put(collection *c, const char *name, const kt_request *r, kt_error *err)
{
	if (!collection_name_ok(name, err))
		return -1;
	kt_buf b;
	kt_buf_init(&b);
	size_t dropped = reqtext_write(&b, r);
	kt_request copy;
	if (reqtext_parse(b.data, &copy, err)) {
		kt_buf_free(&b);
		return -1;
	}
	kt_buf_free(&b);
	put_owned(c, name, &copy);
	return (int)dropped;
}

bool collection_remove(collection *c, const char *name)
{
	coll_entry *e = find(c, name);
	if (!e)
		return false;
	entry_free(e);
	size_t i = (size_t)(e - c->e);
	memmove(e, e + 1, (c->n - i - 1) * sizeof *e);
	c->n--;
	return true;
}

/* A "[name]" line: the name, malloc'd; NULL when the line is no header. */
static char *header_name(const char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n < 2 || s[0] != '[' || s[n - 1] != ']')
		return NULL;
	return kt_xstrndup(s + 1, n - 2);
}

typedef struct pending {
	char *name;
	int line;
	kt_buf text;
} pending;

static int finish(collection *staged, pending *p, kt_error *err)
{
	if (!p->name)
		return 0;
	kt_request r;
	kt_error e = {0};
	int rc = 0;
	if (reqtext_parse(p->text.data ? p->text.data : "", &r, &e))
		rc = kt_fail(err, KT_E_DATA, "request '%s' (line %d): %s", p->name, p->line, e.msg);
	else
		put_owned(staged, p->name, &r);
	free(p->name);
	p->name = NULL;
	kt_buf_reset(&p->text);
	return rc;
}

int collection_parse(collection *c, const char *text, size_t *dropped, kt_error *err)
{
	collection staged;
	collection_init(&staged);
	pending p = {0};
	kt_buf_init(&p.text);
	char *copy = kt_xstrdup(text);
	int lineno = 0, rc = 0;
	size_t secrets = 0;
	for (char *s = copy, *nl; s && !rc; s = nl) {
		nl = strchr(s, '\n');
		if (nl)
			*nl++ = '\0';
		lineno++;
		char *t = s;
		while (*t == ' ' || *t == '\t')
			t++;
		if (!*t || *t == '#' || *t == '\r')
			continue;
		char *name = header_name(t);
		if (name) {
			kt_error e = {0};
			rc = finish(&staged, &p, err);
			if (!rc && !collection_name_ok(name, &e))
				rc = kt_fail(err, KT_E_DATA, "line %d: %s", lineno, e.msg);
			if (rc) {
				free(name);
				break;
			}
			p.name = name;
			p.line = lineno;
			continue;
		}
		if (!p.name) {
			rc = kt_fail(err, KT_E_DATA, "line %d: a request starts with a [name] line",
				     lineno);
			break;
		}
		char *key, *value;
		char *dup = kt_xstrdup(t);
		if (!reqtext_split(dup, &key, &value)) {
			free(dup);
			rc = kt_fail(err, KT_E_DATA, "line %d: not 'name = value'", lineno);
			break;
		}
		char *v = reqtext_unescape(value);
		if (v && reqtext_is_secret(key, v)) {
			secrets++; /* never taken in, so never written back */
		} else if (key[0] == '@' && !strcmp(key, "@ks")) {
			secrets++;
		} else {
			kt_buf_adds(&p.text, t);
			kt_buf_addc(&p.text, '\n');
		}
		kt_free_secret(v);
		kt_free_secret(dup);
	}
	if (!rc)
		rc = finish(&staged, &p, err);
	free(p.name);
	kt_free_secret(p.text.data);
	kt_free_secret(copy);
	if (rc) {
		collection_free(&staged);
		return -1;
	}
	for (size_t i = 0; i < staged.n; i++) {
		put_owned(c, staged.e[i].name, &staged.e[i].req);
		free(staged.e[i].name);
	}
	free(staged.e);
	if (dropped)
		*dropped = secrets;
	return 0;
}

char *collection_format(const collection *c)
{
	kt_buf b;
	kt_buf_init(&b);
	kt_buf_adds(&b, "# ktestme saved requests: no secrets here (see ktestme(1), SAVED REQUESTS)\n");
	for (size_t i = 0; i < c->n; i++) {
		kt_buf_printf(&b, "\n[%s]\n", c->e[i].name);
		reqtext_write(&b, &c->e[i].req);
	}
	return kt_buf_steal(&b);
}

char *collection_default_path(kt_error *err)
{
	char *dir = files_data_dir(err);
	if (!dir)
		return NULL;
	char *path = kt_xasprintf("%s/requests.txt", dir);
	free(dir);
	return path;
}

int collection_load(collection *c, const char *path, kt_error *err)
{
	if (access(path, F_OK) && errno == ENOENT)
		return 0;
	size_t len;
	char *text = files_read(path, &len, err);
	if (!text)
		return -1;
	if (memchr(text, '\0', len)) {
		free(text);
		return kt_fail(err, KT_E_DATA, "%s is not a text file", path);
	}
	kt_error e = {0};
	int rc = collection_parse(c, text, NULL, &e);
	free(text);
	if (rc)
		return kt_fail(err, KT_E_DATA, "%s: %s", path, e.msg);
	return 0;
}

int collection_save(const collection *c, const char *path, kt_error *err)
{
	char *dir = kt_xstrdup(path);
	char *slash = strrchr(dir, '/');
	int rc = 0;
	if (slash && slash != dir) {
		*slash = '\0';
		rc = files_mkdirs(dir, err);
	}
	free(dir);
	if (rc)
		return -1;
	char *text = collection_format(c);
	rc = files_write_atomic(path, text, strlen(text), err);
	free(text);
	return rc;
}
