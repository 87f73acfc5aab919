/* libFuzzer target: the line editor under a script of keys and pastes. Input: a sequence of
 * commands, each one byte then its operands:
 *   0 K      key number K from the table below (the editing keys and a few that are not)
 *   1 A B C  le_insert of the code point (A B C) (any value, past Unicode too)
 *   2 N ...  le_insert_text of the next N bytes (a paste; a NUL ends it early)
 *   3 W      le_view in W columns (the start kept between calls, as the pane keeps it)
 *   4 N ...  le_set to the next N bytes
 *   other    the byte itself typed as a character
 * After every command the buffer's invariants are checked. */
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "lineedit.h"
#include "util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (!setlocale(LC_ALL, "C.UTF-8"))
		abort();
	return 0;
}

static const char *const keys[] = {
	"Left", "Right", "Home", "C-a", "End", "C-e", "Backspace", "C-h", "Del", "C-d",
	"C-u", "C-k", "C-w", "Tab", "Enter", "F5", "x", "", "C-", "Left ",
};

static void check(bool ok)
{
	if (!ok)
		abort();
}

static void invariants(const lineedit *e)
{
	check(e->buf && e->len < e->cap && e->cur <= e->len);
	check(strlen(e->buf) == e->len);
	check(le_width(e->buf, e->len) >= 0);
	/* the cursor is on a character boundary, as a walk from the start finds them */
	size_t at = 0;
	while (at < e->cur) {
		mbstate_t st;
		memset(&st, 0, sizeof st);
		size_t n = mbrtowc(NULL, e->buf + at, e->len - at, &st);
		at += n == (size_t)-1 || n == (size_t)-2 || n == 0 ? 1 : n;
	}
	check(at == e->cur);
}

/* The next n bytes as a string (a NUL ends it); *i moves past them. */
static char *take(const uint8_t *data, size_t size, size_t *i)
{
	size_t n = *i < size ? data[(*i)++] : 0;
	if (n > size - *i)
		n = size - *i;
	char *s = kt_xstrndup((const char *)data + *i, n);
	*i += n;
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	lineedit e;
	le_init(&e, NULL);
	invariants(&e);
	size_t start = 0;
	for (size_t i = 0; i < size;) {
		uint8_t op = data[i++];
		switch (op) {
		case 0:
			if (i < size) {
				size_t k = data[i++] % (sizeof keys / sizeof keys[0]);
				/* the first thirteen are the editing keys */
				check(le_key(&e, keys[k]) == (k < 13));
			}
			break;
		case 1: {
			uint32_t cp = 0;
			for (int k = 0; k < 3 && i < size; k++)
				cp = cp << 8 | data[i++];
			le_insert(&e, (wchar_t)cp);
			break;
		}
		case 2: {
			char *s = take(data, size, &i);
			le_insert_text(&e, s);
			free(s);
			break;
		}
		case 3: {
			int width = i < size ? data[i++] - 8 : 0; /* zero and negative widths too */
			int col = -1;
			le_view(&e, width, &start, &col);
			check(start <= e.len && start <= e.cur && col >= 0);
			break;
		}
		case 4: {
			char *s = take(data, size, &i);
			le_set(&e, s);
			start = 0;
			free(s);
			break;
		}
		default:
			le_insert(&e, (wchar_t)op);
			break;
		}
		invariants(&e);
	}
	le_free(&e);
	return 0;
}
