/* textview: the result pane's model, curses-free. A text (pretty-printed XML or JSON, or plain
 * text) kept as one buffer plus line offsets, with syntax spans computed per line on demand,
 * folds, a visible-line index, wrapping for a width, search and value extraction. Nothing a
 * draw needs is O(whole text); folds and wrapping are recomputed in O(lines) when toggled. */
#ifndef KT_TEXTVIEW_H
#define KT_TEXTVIEW_H

#include <stdbool.h>
#include <stddef.h>

/* What a span of a line is; the pane maps these to its colours. */
typedef enum {
	TV_PLAIN,
	TV_PUNCT,   /* < > / = ? ! and { } [ ] : , */
	TV_NAME,    /* XML element names, JSON keys */
	TV_ATTR,    /* XML attribute names */
	TV_VALUE,   /* XML attribute values, JSON strings */
	TV_TEXT,    /* XML text content */
	TV_NUMBER,  /* numbers (XML text that is a whole number too) */
	TV_LITERAL, /* JSON true, false, null */
	TV_ROLE_COUNT
} tv_role;

typedef struct tv_span {
	size_t off, len; /* bytes within the line */
	tv_role role;
} tv_span;

typedef struct textview textview;

#define TV_NONE ((size_t)-1)

/* Takes ownership of text (malloc'd, len bytes; a NUL after them is not needed). format is
 * KT_FORMAT_XML or KT_FORMAT_JSON (response.h) for colours and folds, 0 for plain text. */
textview *tv_new(char *text, size_t len, int format);
void tv_free(textview *tv);

size_t tv_lines(const textview *tv);
/* Line i without its newline. */
const char *tv_line(const textview *tv, size_t i, size_t *len);
/* The whole text. */
const char *tv_text(const textview *tv, size_t *len);
/* Lines first..last (inclusive, folded ones too) with their newlines; malloc'd. */
char *tv_range(const textview *tv, size_t first, size_t last, size_t *len);
/* The line holding byte offset off of the text. */
size_t tv_line_of(const textview *tv, size_t off);

/* Syntax spans covering line i from start to end, in order. The array belongs to tv and lives
 * until the next call. */
size_t tv_spans(textview *tv, size_t i, const tv_span **spans);

/* ---- folds ---- */
/* The line that closes what line i opens, or TV_NONE when i opens nothing across lines. */
size_t tv_fold_end(const textview *tv, size_t i);
/* How many elements/containers enclose line i (0 at the top). */
size_t tv_depth(const textview *tv, size_t i);
bool tv_folded(const textview *tv, size_t i);
/* Folds or unfolds line i; false when it opens nothing. */
bool tv_fold_toggle(textview *tv, size_t i);
/* Folds every foldable line at depth >= min_depth; returns how many. */
size_t tv_fold_all(textview *tv, size_t min_depth);
void tv_unfold_all(textview *tv);
/* Unfolds whatever hides line i; true when something was unfolded. */
bool tv_reveal(textview *tv, size_t i);

/* Visible lines (not hidden inside a fold), in order. */
size_t tv_visible(const textview *tv);
size_t tv_vis_line(const textview *tv, size_t v);
/* The visible index of line i, or of the visible line that hides it. */
size_t tv_vis_of(const textview *tv, size_t i);

/* ---- display rows ---- */
/* Wrapping off: one row per visible line. On: each visible line takes as many rows of width
 * columns as its characters need (never splitting a character; widths by wcwidth). */
void tv_set_wrap(textview *tv, bool on, int width);
bool tv_wrapped(const textview *tv);
size_t tv_rows(const textview *tv);
/* Display row r: its visible index, and the bytes of its line it shows. */
void tv_row(textview *tv, size_t r, size_t *vis, size_t *off, size_t *len);
/* The first display row of visible line v. */
size_t tv_row_of_vis(const textview *tv, size_t v);

/* Columns that s[0..len) takes on screen (invalid bytes and controls count 1, like ui_text). */
int tv_width(const char *s, size_t len);
/* The byte offset reached after skipping cols columns of s (never inside a character). */
size_t tv_skip_cols(const char *s, size_t len, int cols);

/* ---- search (ASCII letters case-insensitive; other bytes exact) ---- */
/* The next line after from (dir > 0) or before it (dir < 0) holding needle, wrapping round the
 * end (with *wrapped set). from may be TV_NONE to start at the top (or bottom). The line found
 * is revealed (folds hiding it are opened). TV_NONE when needle is nowhere. */
size_t tv_search(textview *tv, const char *needle, size_t from, int dir, bool *wrapped);
/* The hits of needle in line i, as spans (role TV_PLAIN); the array belongs to tv and lives
 * until the next call. */
size_t tv_matches(textview *tv, size_t i, const char *needle, const tv_span **hits);

/* ---- values ---- */
/* The value a line holds: <ks>VALUE</ks> in XML, "ks": "VALUE" in JSON, a lone string line (a
 * format 1 string result or an array item), entities and escapes decoded. malloc'd; NULL
 * when the line holds no non-empty value. */
char *tv_value(const textview *tv, size_t i);

#endif
