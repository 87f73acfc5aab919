/* lineedit: a one-line text editor as data (UTF-8 buffer and cursor), for form fields, list
 * filters and prompts. Keys arrive by their keymap names, so it is tested without a terminal. */
#ifndef KT_LINEEDIT_H
#define KT_LINEEDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

typedef struct lineedit {
	char *buf;  /* always NUL-terminated UTF-8 */
	size_t len; /* bytes */
	size_t cap;
	size_t cur; /* byte offset of the cursor, on a character boundary */
	bool secret; /* a password: a buffer outgrown or freed is wiped first (le_init_secret) */
} lineedit;

void le_init(lineedit *e, const char *text); /* text may be NULL; cursor at the end */
void le_set(lineedit *e, const char *text);
void le_free(lineedit *e);
/* An empty editor for a password or a secret: no copy of the text is left in freed memory. */
void le_init_secret(lineedit *e);
void le_insert(lineedit *e, wchar_t ch); /* control characters are ignored */
void le_insert_text(lineedit *e, const char *utf8); /* a paste: control characters dropped */
/* A bracketed paste into a one-line field: one trailing line break is dropped; text with a
 * line break inside is refused (false, why says so in a sentence) and nothing is inserted.
 * Otherwise inserted at the cursor as le_insert_text does, in one step. */
bool le_paste(lineedit *e, const char *text, size_t len, char *why, size_t n);
/* The editing keys bound in scope TEXT of actions.def (Left, Right, Home/C-a, End/C-e,
 * Backspace/C-h, Del/C-d, C-u, C-k, C-w). true when the key was one of them, even when it
 * changed nothing. */
bool le_key(lineedit *e, const char *key);
/* For drawing in width columns: the byte where the visible part starts (so that the cursor is
 * visible) and the cursor's column from there. *start is kept between calls by the caller
 * (0 at first) so that the text does not jump. */
void le_view(const lineedit *e, int width, size_t *start, int *cursor_col);
/* Display columns of a UTF-8 string (invalid bytes count 1). */
int le_width(const char *s, size_t len);

#endif
