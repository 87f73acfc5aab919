/* libFuzzer target: values typed into the parameter form. The schema is the shipped one (trusted,
 * loaded once: $KTESTME_SCHEMA, else schemas/kaltura.xml from the current directory or from the
 * source tree above the binary, else where the program looks). Input: two bytes pick the action,
 * then commands, each one byte then its operands (R a row byte, taken modulo the row count; T a
 * length byte and that many bytes of text):
 *   0 R T set_value   1 R B set_enabled   2 R toggle   3 R clear   4 R I choose   5 R D cycle
 *   6 R item_add   7 R item_remove   8 R choices   9 R T check, invalid, shown
 *   10 R T prefill the row's name   11 R T a request field of another form, copied over
 * then form_build, and the request's bodies when it builds. */
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "form.h"
#include "request.h"
#include "schema.h"
#include "util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static schema *shipped;
static const schema_action **actions;
static size_t nactions;

static schema *load(const char *path)
{
	if (!path || access(path, R_OK))
		return NULL;
	kt_error err = {0};
	schema *s = schema_load_file(path, &err);
	if (!s)
		fprintf(stderr, "fuzz_form: %s: %s\n", path, err.msg);
	return s;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setlocale(LC_ALL, "C.UTF-8");
	/* make runs the target from the top of the tree, as BUILD/fuzz/fuzz_form */
	char up[4096] = "";
	ssize_t n = readlink("/proc/self/exe", up, sizeof up - 32);
	if (n > 0) {
		up[n] = '\0';
		char *slash = strrchr(up, '/');
		if (slash)
			strcpy(slash, "/../../schemas/kaltura.xml");
	}
	const char *const paths[] = {getenv("KTESTME_SCHEMA"), "schemas/kaltura.xml", up,
				     schema_default_path()};
	for (size_t i = 0; i < sizeof paths / sizeof paths[0] && !shipped; i++)
		shipped = load(paths[i]);
	if (!shipped || !shipped->nactions) {
		fprintf(stderr, "fuzz_form: the shipped schema was not found (set KTESTME_SCHEMA)\n");
		abort();
	}
	actions = kt_xmalloc(shipped->nactions * sizeof *actions);
	for (size_t i = 0; i < shipped->nservices; i++)
		for (size_t j = 0; j < shipped->services[i]->nactions; j++)
			actions[nactions++] = &shipped->services[i]->actions[j];
	return 0;
}

static void check(bool ok)
{
	if (!ok)
		abort();
}

typedef struct input {
	const uint8_t *data;
	size_t size, i;
} input;

static unsigned byte(input *in)
{
	return in->i < in->size ? in->data[in->i++] : 0;
}

static size_t pick_row(input *in, const form *f)
{
	return byte(in) % (form_count(f) + 1); /* one past the end too */
}

/* A length byte and that many bytes (a NUL ends the text early). */
static char *text(input *in)
{
	size_t n = byte(in);
	if (n > in->size - in->i)
		n = in->size - in->i;
	char *s = kt_xstrndup((const char *)in->data + in->i, n);
	in->i += n;
	return s;
}

/* The tree the rows claim: keys, depths and parents agree. */
static void invariants(const form *f)
{
	size_t n = form_count(f);
	check(n >= form_nfields(f));
	for (size_t i = 0; i < n; i++) {
		const form_row *r = form_row_at(f, i);
		check(r && r->name && r->key && r->type && r->value);
		check(r->parent ? r->depth == r->parent->depth + 1 : r->depth == 0);
		check(!r->item || (r->parent && r->parent->kind == FORM_ARRAY));
		check(!r->chosen || r->kind == FORM_OBJECT);
		if (i >= form_nfields(f) && !r->item && !r->parent)
			check(form_find(f, r->key) == i);
	}
	check(!form_row_at(f, n));
}

static void command(input *in, form *f)
{
	unsigned op = byte(in) % 12;
	size_t i = pick_row(in, f);
	const form_row *r = form_row_at(f, i);
	char buf[200];
	bool dim;
	switch (op) {
	case 0: {
		char *t = text(in);
		int rc = form_set_value(f, i, t);
		if (!rc)
			check(!strcmp(r->value, t) && form_row_sent(r));
		free(t);
		break;
	}
	case 1:
		form_set_enabled(f, i, byte(in) & 1);
		break;
	case 2:
		form_toggle(f, i);
		break;
	case 3:
		form_clear(f, i);
		break;
	case 4:
		(void)form_choose(f, i, byte(in) % 8);
		break;
	case 5:
		(void)form_cycle(f, i, byte(in) & 1 ? 1 : -1);
		break;
	case 6: {
		size_t at = form_item_add(f, i);
		check(at == FORM_NONE || form_row_at(f, at)->item);
		break;
	}
	case 7:
		(void)form_item_remove(f, i);
		break;
	case 8: {
		const char **items;
		size_t cur, k = form_choices(f, i, &items, &cur);
		check(!k || cur < k);
		for (size_t j = 0; j < k; j++)
			check(items[j] != NULL);
		free(items);
		break;
	}
	case 9: {
		char *t = text(in);
		if (r) {
			const char *why = form_check(r, t, buf, sizeof buf);
			check(!why || why == buf);
			(void)form_row_invalid(r, buf, sizeof buf);
			const char *shown = form_row_shown(r, buf, sizeof buf, &dim);
			check(shown != NULL);
			(void)form_has_choices(r);
		}
		free(t);
		break;
	}
	case 10: {
		char *t = text(in);
		if (r)
			(void)form_prefill(f, r->name, t);
		free(t);
		break;
	}
	case 11: {
		char *t = text(in);
		form *g = form_new(shipped, NULL);
		(void)form_set_value(g, i % form_nfields(g), t);
		form_copy_fields(f, g);
		form_free(g);
		free(t);
		break;
	}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	input in = {data, size, 0};
	size_t pick = byte(&in) << 8;
	pick |= byte(&in);
	const schema_action *a = actions[pick % nactions];
	form *f = form_new(shipped, a);
	check(form_action(f) == a && form_count(f) == form_nfields(f) + a->nparams);
	invariants(f);
	while (in.i < in.size) {
		command(&in, f);
		invariants(f);
	}
	(void)form_enabled_params(f);

	kt_request req;
	request_init(&req, a->service->id, a->name);
	kt_error err = {0};
	size_t bad = 0;
	if (form_build(f, &req, &err, &bad) == 0) {
		check(bad == FORM_NONE);
		free(request_form_body(&req));
		free(request_form_body_masked(&req));
		free(request_json_body(&req));
	} else {
		check(err.msg[0] && bad < form_count(f));
	}
	request_free(&req);
	form_free(f);
	return 0;
}
