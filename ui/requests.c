#include "requests.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "collection.h"
#include "files.h"
#include "import.h"
#include "reqtext.h"
#include "util.h"

/* Opens r's action and fills its form; from names where r came from, for the status line. */
static void open_request(console *c, const kt_request *r, const char *from)
{
	if (request_is_multi(r)) { /* into the builder, its requests rebuilt */
		kt_error err = {0};
		if (form_pane_restore_multireq(c, r, &err) < 0) {
			console_status(c, MSG_ERROR, "%s: %s", from, err.msg);
			return;
		}
		console_focus(c, PANE_FORM);
		console_status(c, MSG_OK, "%s: a multirequest of %zu items in the builder (F5 sends it)",
			       from, form_pane_multireq(c));
		return;
	}
	const schema_action *a = schema_find(c->schema, r->service, r->action);
	if (!a) {
		console_status(c, MSG_ERROR, "%s: the schema has no %s.%s", from, r->service,
			       r->action ? r->action : "");
		return;
	}
	c->action = a; /* the lists and the form follow */
	c->service = a->service;
	console_notify(c, EV_ACTION_CHOSEN);
	char skipped[160] = "";
	size_t left = form_pane_fill(c, r, skipped, sizeof skipped);
	console_focus(c, PANE_FORM);
	if (left)
		console_status(c, MSG_WARN, "%s: %s.%s filled; not in its form: %s", from,
			       a->service->name, a->name, skipped);
	else
		console_status(c, MSG_OK, "%s: %s.%s filled (F5 sends it)", from, a->service->name,
			       a->name);
}

static bool is_file(const char *s)
{
	struct stat st;
	return !strchr(s, '\n') && stat(s, &st) == 0 && S_ISREG(st.st_mode);
}

static void import_text(console *c, const char *text, void *ud)
{
	(void)ud;
	if (!text || !*text)
		return;
	char *owned = NULL;
	size_t len = strlen(text);
	const char *from = "the pasted text";
	kt_error err = {0};
	if (is_file(text)) {
		if (!(owned = files_read(text, &len, &err))) {
			console_status(c, MSG_ERROR, "Not imported: %s", err.msg);
			return;
		}
		from = text;
	}
	import_result im;
	if (import_parse(owned ? owned : text, len, IMPORT_AUTO, 0, &im, &err)) {
		console_status(c, MSG_ERROR, "Not imported (%s): %s", from, err.msg);
		kt_free_secret(owned);
		return;
	}
	kt_free_secret(owned);
	/* the credentials of one endpoint never go to another */
	const char *here = console_url(c);
	if (im.service_url && here && strcmp(im.service_url, here)) {
		kt_request clean;
		collection_copy_request(&clean, &im.req);
		request_free(&im.req);
		im.req = clean;
	}
	char what[64];
	snprintf(what, sizeof what, "Imported the %s", import_kind_name(im.kind));
	open_request(c, &im.req, what);
	import_result_free(&im);
}

void requests_import(console *c)
{
	console_prompt(c, "Import (a curl command, URL, log line, or a file): ", "", import_text,
		       NULL);
}

static void save_as(console *c, const char *name, void *ud)
{
	(void)ud;
	if (!name || !*name)
		return;
	kt_request r;
	kt_error err = {0};
	if (form_pane_build(c, &r, &err) < 0)
		return; /* the form pane said why */
	char *path = collection_default_path(&err);
	collection coll;
	collection_init(&coll);
	int dropped = -1;
	if (path && collection_load(&coll, path, &err) == 0 &&
	    (dropped = collection_put(&coll, name, &r, &err)) >= 0 &&
	    collection_save(&coll, path, &err) == 0)
		console_status(c, MSG_OK, "Saved '%s'%s (%s)", name,
			       dropped > 0 ? ", its secrets left out" : "", path);
	else
		console_status(c, MSG_ERROR, "Not saved: %s", err.msg);
	collection_free(&coll);
	free(path);
	request_free(&r);
}

void requests_save(console *c)
{
	if (!c->action && !c->multireq) {
		console_status(c, MSG_ERROR, "Choose a service and an action first");
		return;
	}
	console_prompt(c, c->multireq ? "Save the multirequest as: " : "Save the request as: ", "",
		       save_as, NULL);
}

static void picked(console *c, int index, void *ud)
{
	(void)ud;
	if (index < 0)
		return;
	kt_error err = {0};
	char *path = collection_default_path(&err);
	collection coll;
	collection_init(&coll);
	if (!path || collection_load(&coll, path, &err))
		console_status(c, MSG_ERROR, "%s", err.msg);
	else if ((size_t)index < coll.n)
		open_request(c, &coll.e[index].req, coll.e[index].name);
	collection_free(&coll);
	free(path);
}

void requests_open(console *c)
{
	kt_error err = {0};
	char *path = collection_default_path(&err);
	collection coll;
	collection_init(&coll);
	if (!path || collection_load(&coll, path, &err)) {
		console_status(c, MSG_ERROR, "%s", err.msg);
	} else if (!coll.n) {
		console_status(c, MSG_INFO, "No saved request yet: C-s saves the one in the form");
	} else {
		char **items = kt_xcalloc(coll.n, sizeof *items);
		for (size_t i = 0; i < coll.n; i++) {
			const kt_request *r = &coll.e[i].req;
			items[i] = kt_xasprintf("%-30s %s%s%s", coll.e[i].name, r->service,
						r->action ? "." : "", r->action ? r->action : "");
		}
		console_choose(c, "Saved requests (Enter fills the form)", (const char *const *)items,
			       coll.n, 0, picked, NULL);
		for (size_t i = 0; i < coll.n; i++)
			free(items[i]);
		free(items);
	}
	collection_free(&coll);
	free(path);
}
