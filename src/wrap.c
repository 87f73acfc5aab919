#include "wrap.h"

#include <ctype.h>
#include <string.h>

#include "lineedit.h"
#include "util.h"

typedef struct acc {
	wrap_row *rows;
	size_t n, cap;
} acc;

static void add(acc *a, size_t off, size_t len, int indent)
{
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 16;
		a->rows = kt_xrealloc(a->rows, a->cap * sizeof *a->rows);
	}
	a->rows[a->n++] = (wrap_row){ off, len, indent };
}

/* The column a continued line hangs at: its indent, then past "1. ", "- " or "LABEL  ". */
static int hang(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len && s[i] == ' ')
		i++;
	size_t lead = i;
	size_t j = i;
	while (j < len && isdigit((unsigned char)s[j]))
		j++;
	if (j > i && j + 1 < len && s[j] == '.' && s[j + 1] == ' ')
		return le_width(s, j + 2);
	if (i + 1 < len && (s[i] == '-' || s[i] == '*') && s[i + 1] == ' ')
		return le_width(s, i + 2);
	/* a label column (the help's keys): two spaces or more after the first word, near the
	 * start, then text */
	for (j = i; j + 2 < len && j < i + 24; j++) {
		if (s[j] != ' ' || s[j + 1] != ' ')
			continue;
		size_t k = j;
		while (k < len && s[k] == ' ')
			k++;
		if (k < len)
			return le_width(s, k);
		break;
	}
	return le_width(s, lead);
}

/* One line (no '\n') of len bytes at text+off. */
static void wrap_line(acc *a, const char *text, size_t off, size_t len, int width)
{
	const char *s = text + off;
	if (le_width(s, len) <= width) {
		add(a, off, len, 0);
		return;
	}
	int ind = hang(s, len);
	if (ind > width - 8) /* too little room left beside it */
		ind = 0;
	size_t pos = 0;
	int indent = 0;
	while (pos < len) {
		int room = width - indent;
		if (room < 1)
			room = 1;
		/* the longest run of whole words from pos that fits in room */
		size_t cut = pos, last_space = 0, p = pos;
		int cols = 0;
		while (p < len) {
			size_t q = p + 1;
			while (q < len && ((unsigned char)s[q] & 0xC0) == 0x80)
				q++;
			int w = le_width(s + p, q - p);
			if (cols + w > room)
				break;
			cols += w;
			p = q;
			if (s[p - 1] == ' ' && p - 1 > pos)
				last_space = p - 1;
			cut = p;
		}
		if (cut < len && s[cut] != ' ' && last_space > pos)
			cut = last_space; /* break at the last space, not inside a word */
		if (cut == pos) { /* not even one character fits: take one anyway */
			cut = pos + 1;
			while (cut < len && ((unsigned char)s[cut] & 0xC0) == 0x80)
				cut++;
		}
		size_t end = cut;
		while (end > pos && s[end - 1] == ' ')
			end--;
		add(a, off + pos, end - pos, indent);
		pos = cut;
		while (pos < len && s[pos] == ' ')
			pos++;
		indent = ind;
	}
}

size_t wrap_text(const char *text, int width, wrap_row **rows)
{
	acc a = { 0 };
	if (width < 1)
		width = 1;
	size_t off = 0, n = strlen(text);
	do {
		const char *nl = memchr(text + off, '\n', n - off);
		size_t len = nl ? (size_t)(nl - (text + off)) : n - off;
		wrap_line(&a, text, off, len, width);
		off += len + (nl ? 1 : 0);
		if (!nl)
			break;
	} while (1);
	*rows = a.rows;
	return a.n;
}
