#include "textview.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "response.h"
#include "utf8.h"
#include "util.h"

struct textview {
	char *text;
	size_t len;
	int format;
	size_t nlines;
	size_t *start;      /* nlines + 1: line i is start[i] .. start[i+1] - 1 (the newline) */
	size_t *close;      /* the line closing what line i opens; 0 when none (a close is > i) */
	size_t *parent;     /* the line that opened what encloses line i, or TV_NONE */
	uint32_t *depth;
	unsigned char *folded;
	size_t *vis, nvis;
	/* wrapping */
	bool wrap;
	int width;          /* the width rows[] was computed for; 0 when never */
	uint32_t *rows;     /* display rows of each line at width */
	size_t *row_start;  /* nvis + 1 prefix sums of rows[] over visible lines */
	size_t c_line, c_seg, c_off; /* where the last row walk ended, to go on from there */
	/* scratch for tv_spans and tv_matches */
	tv_span *spans, *hits;
	size_t spans_cap, hits_cap, span_line, spans_n;
	size_t hits_line, hits_n;   /* the hits of hits_needle last found, by line */
	char *hits_needle;
};

/* ---- lexing, shared by the colours and the fold pass ---- */

typedef struct lexer {
	tv_span **buf;      /* spans go here when not NULL */
	size_t *cap, n;
	size_t *stack;      /* the fold pass: lines of open elements */
	size_t depth, stack_cap;
	textview *tv;
	size_t line;
	bool fold;
} lexer;

static void emit(lexer *x, size_t off, size_t len, tv_role role)
{
	if (!x->buf || !len)
		return;
	tv_span *s = *x->buf;
	if (x->n && s[x->n - 1].role == role && s[x->n - 1].off + s[x->n - 1].len == off) {
		s[x->n - 1].len += len;
		return;
	}
	if (x->n == *x->cap) {
		*x->cap = *x->cap ? *x->cap * 2 : 32;
		*x->buf = kt_xrealloc(*x->buf, *x->cap * sizeof **x->buf);
	}
	(*x->buf)[x->n++] = (tv_span){ off, len, role };
}

static void open_ev(lexer *x)
{
	if (!x->fold)
		return;
	if (x->depth == x->stack_cap) {
		x->stack_cap = x->stack_cap ? x->stack_cap * 2 : 64;
		x->stack = kt_xrealloc(x->stack, x->stack_cap * sizeof *x->stack);
	}
	x->stack[x->depth++] = x->line;
}

static void close_ev(lexer *x)
{
	if (!x->fold || !x->depth)
		return;
	size_t open = x->stack[--x->depth];
	if (open != x->line && x->line > x->tv->close[open])
		x->tv->close[open] = x->line;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A whole number as JSON writes it (XML text that is one gets the number colour). */
static bool is_number(const char *s, size_t n)
{
	size_t i = 0;
	if (i < n && s[i] == '-')
		i++;
	size_t d = i;
	while (i < n && is_digit(s[i]))
		i++;
	if (i == d)
		return false;
	if (i < n && s[i] == '.') {
		size_t f = ++i;
		while (i < n && is_digit(s[i]))
			i++;
		if (i == f)
			return false;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		size_t e = i;
		while (i < n && is_digit(s[i]))
			i++;
		if (i == e)
			return false;
	}
	return i == n;
}

static size_t find_str(const char *s, size_t len, size_t from, const char *what)
{
	size_t m = strlen(what);
	for (size_t i = from; i + m <= len; i++)
		if (!memcmp(s + i, what, m))
			return i;
	return TV_NONE;
}

static void lex_xml(lexer *x, const char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		if (s[i] != '<') {
			size_t j = i;
			while (j < len && s[j] != '<')
				j++;
			size_t a = i, b = j;
			while (a < b && is_space(s[a]))
				a++;
			while (b > a && is_space(s[b - 1]))
				b--;
			emit(x, i, a - i, TV_PLAIN);
			emit(x, a, b - a, is_number(s + a, b - a) ? TV_NUMBER : TV_TEXT);
			emit(x, b, j - b, TV_PLAIN);
			i = j;
			continue;
		}
		const char *endmark = NULL;
		if (len - i >= 4 && !memcmp(s + i, "<!--", 4))
			endmark = "-->";
		else if (len - i >= 9 && !memcmp(s + i, "<![CDATA[", 9))
			endmark = "]]>";
		if (endmark) {
			size_t e = find_str(s, len, i + 4, endmark);
			e = e == TV_NONE ? len : e + 3;
			emit(x, i, e - i, endmark[0] == '-' ? TV_PLAIN : TV_TEXT);
			i = e;
			continue;
		}
		emit(x, i++, 1, TV_PUNCT);
		bool closing = false, decl = false, empty = false, done = false;
		if (i < len && s[i] == '/')
			closing = true;
		else if (i < len && (s[i] == '?' || s[i] == '!'))
			decl = true;
		if (closing || decl)
			emit(x, i++, 1, TV_PUNCT);
		size_t n0 = i;
		while (i < len && !is_space(s[i]) && s[i] != '>' && s[i] != '/' && s[i] != '?' &&
		       s[i] != '=')
			i++;
		emit(x, n0, i - n0, TV_NAME);
		while (i < len && !done) {
			char c = s[i];
			if (is_space(c)) {
				emit(x, i++, 1, TV_PLAIN);
			} else if (c == '>') {
				emit(x, i++, 1, TV_PUNCT);
				done = true;
			} else if (c == '/' || c == '?' || c == '=') {
				if (c == '/' && i + 1 < len && s[i + 1] == '>')
					empty = true;
				emit(x, i++, 1, TV_PUNCT);
			} else if (c == '"' || c == '\'') {
				size_t j = i + 1;
				while (j < len && s[j] != c)
					j++;
				j = j < len ? j + 1 : len;
				emit(x, i, j - i, TV_VALUE);
				i = j;
			} else {
				size_t j = i;
				while (j < len && !is_space(s[j]) && s[j] != '=' && s[j] != '>' &&
				       s[j] != '/' && s[j] != '"' && s[j] != '\'')
					j++;
				emit(x, i, j - i, TV_ATTR);
				i = j;
			}
		}
		/* a tag left open at the end of the line counts as complete */
		if (decl)
			continue;
		if (closing)
			close_ev(x);
		else if (!empty)
			open_ev(x);
	}
}

static void lex_json(lexer *x, const char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		char c = s[i];
		if (c == '"') {
			size_t j = i + 1;
			while (j < len && s[j] != '"')
				j += s[j] == '\\' ? 2 : 1;
			j = j < len ? j + 1 : len;
			size_t k = j;
			while (k < len && is_space(s[k]))
				k++;
			emit(x, i, j - i, k < len && s[k] == ':' ? TV_NAME : TV_VALUE);
			i = j;
		} else if (c == '{' || c == '[') {
			emit(x, i++, 1, TV_PUNCT);
			open_ev(x);
		} else if (c == '}' || c == ']') {
			emit(x, i++, 1, TV_PUNCT);
			close_ev(x);
		} else if (c == ':' || c == ',') {
			emit(x, i++, 1, TV_PUNCT);
		} else if (c == '-' || is_digit(c)) {
			size_t j = i + 1;
			while (j < len && (is_digit(s[j]) || s[j] == '.' || s[j] == 'e' ||
					   s[j] == 'E' || s[j] == '+' || s[j] == '-'))
				j++;
			emit(x, i, j - i, TV_NUMBER);
			i = j;
		} else if (c >= 'a' && c <= 'z') {
			size_t j = i;
			while (j < len && s[j] >= 'a' && s[j] <= 'z')
				j++;
			bool lit = (j - i == 4 && (!memcmp(s + i, "true", 4) || !memcmp(s + i, "null", 4))) ||
				   (j - i == 5 && !memcmp(s + i, "false", 5));
			emit(x, i, j - i, lit ? TV_LITERAL : TV_PLAIN);
			i = j;
		} else {
			emit(x, i++, 1, TV_PLAIN);
		}
	}
}

static void lex(lexer *x, int format, const char *s, size_t len)
{
	if (format == KT_FORMAT_XML)
		lex_xml(x, s, len);
	else if (format == KT_FORMAT_JSON)
		lex_json(x, s, len);
	else
		emit(x, 0, len, TV_PLAIN);
}

/* ---- building ---- */

static size_t line_len(const textview *tv, size_t i)
{
	return tv->start[i + 1] - tv->start[i] - 1;
}

static void rebuild_rows(textview *tv)
{
	if (!tv->wrap)
		return;
	tv->row_start = kt_xrealloc(tv->row_start, (tv->nvis + 1) * sizeof *tv->row_start);
	size_t r = 0;
	for (size_t v = 0; v < tv->nvis; v++) {
		tv->row_start[v] = r;
		r += tv->rows[tv->vis[v]];
	}
	tv->row_start[tv->nvis] = r;
	tv->c_line = TV_NONE;
}

static void rebuild_vis(textview *tv)
{
	size_t n = 0;
	for (size_t i = 0; i < tv->nlines;) {
		tv->vis[n++] = i;
		i = tv->folded[i] && tv->close[i] ? tv->close[i] + 1 : i + 1;
	}
	tv->nvis = n;
	rebuild_rows(tv);
}

textview *tv_new(char *text, size_t len, int format)
{
	textview *tv = kt_xcalloc(1, sizeof *tv);
	tv->text = text ? text : kt_xstrdup("");
	tv->len = text ? len : 0;
	tv->format = format;
	tv->span_line = TV_NONE;
	tv->c_line = TV_NONE;
	size_t n = 0;
	for (const char *p = tv->text, *end = tv->text + tv->len; p < end; n++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	tv->nlines = n;
	tv->start = kt_xmalloc((n + 1) * sizeof *tv->start);
	size_t i = 0;
	for (const char *p = tv->text, *end = tv->text + tv->len; p < end; i++) {
		tv->start[i] = (size_t)(p - tv->text);
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	/* as if the last line ended with a newline, so every line is start[i+1] - start[i] - 1 */
	tv->start[n] = tv->len + (tv->len && tv->text[tv->len - 1] != '\n');
	size_t alloc = n ? n : 1;
	tv->close = kt_xcalloc(alloc, sizeof *tv->close);
	tv->parent = kt_xmalloc(alloc * sizeof *tv->parent);
	tv->depth = kt_xcalloc(alloc, sizeof *tv->depth);
	tv->folded = kt_xcalloc(alloc, 1);
	tv->vis = kt_xmalloc(alloc * sizeof *tv->vis);
	lexer x = { .tv = tv, .fold = true };
	for (i = 0; i < n; i++) {
		tv->parent[i] = x.depth ? x.stack[x.depth - 1] : TV_NONE;
		tv->depth[i] = x.depth > UINT32_MAX ? UINT32_MAX : (uint32_t)x.depth;
		x.line = i;
		lex(&x, format, tv->text + tv->start[i], line_len(tv, i));
	}
	free(x.stack);
	rebuild_vis(tv);
	return tv;
}

void tv_free(textview *tv)
{
	if (!tv)
		return;
	free(tv->text);
	free(tv->start);
	free(tv->close);
	free(tv->parent);
	free(tv->depth);
	free(tv->folded);
	free(tv->vis);
	free(tv->rows);
	free(tv->row_start);
	free(tv->spans);
	free(tv->hits);
	free(tv->hits_needle);
	free(tv);
}

size_t tv_lines(const textview *tv)
{
	return tv->nlines;
}

const char *tv_line(const textview *tv, size_t i, size_t *len)
{
	if (i >= tv->nlines) {
		*len = 0;
		return "";
	}
	*len = line_len(tv, i);
	return tv->text + tv->start[i];
}

const char *tv_text(const textview *tv, size_t *len)
{
	*len = tv->len;
	return tv->text;
}

char *tv_range(const textview *tv, size_t first, size_t last, size_t *len)
{
	if (first > last) {
		size_t t = first;
		first = last;
		last = t;
	}
	if (first >= tv->nlines) {
		*len = 0;
		return kt_xstrdup("");
	}
	if (last >= tv->nlines)
		last = tv->nlines - 1;
	size_t a = tv->start[first], b = tv->start[last + 1];
	if (b > tv->len)
		b = tv->len;
	*len = b - a;
	return kt_xstrndup(tv->text + a, b - a);
}

size_t tv_line_of(const textview *tv, size_t off)
{
	if (!tv->nlines)
		return 0;
	size_t lo = 0, hi = tv->nlines; /* start[lo] <= off < start[hi] */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (tv->start[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

size_t tv_spans(textview *tv, size_t i, const tv_span **spans)
{
	if (i >= tv->nlines) {
		*spans = NULL;
		return 0;
	}
	if (tv->span_line != i) {
		lexer x = { .buf = &tv->spans, .cap = &tv->spans_cap, .tv = tv, .line = i };
		lex(&x, tv->format, tv->text + tv->start[i], line_len(tv, i));
		tv->span_line = i;
		tv->spans_n = x.n;
	}
	*spans = tv->spans;
	return tv->spans_n;
}

/* ---- folds ---- */

size_t tv_fold_end(const textview *tv, size_t i)
{
	return i < tv->nlines && tv->close[i] ? tv->close[i] : TV_NONE;
}

size_t tv_depth(const textview *tv, size_t i)
{
	return i < tv->nlines ? tv->depth[i] : 0;
}

bool tv_folded(const textview *tv, size_t i)
{
	return i < tv->nlines && tv->folded[i];
}

bool tv_fold_toggle(textview *tv, size_t i)
{
	if (i >= tv->nlines || !tv->close[i])
		return false;
	tv->folded[i] = !tv->folded[i];
	rebuild_vis(tv);
	return true;
}

size_t tv_fold_all(textview *tv, size_t min_depth)
{
	size_t n = 0;
	for (size_t i = 0; i < tv->nlines; i++) {
		bool f = tv->close[i] && tv->depth[i] >= min_depth;
		tv->folded[i] = f;
		n += f;
	}
	rebuild_vis(tv);
	return n;
}

void tv_unfold_all(textview *tv)
{
	if (tv->nlines)
		memset(tv->folded, 0, tv->nlines);
	rebuild_vis(tv);
}

size_t tv_visible(const textview *tv)
{
	return tv->nvis;
}

size_t tv_vis_line(const textview *tv, size_t v)
{
	return v < tv->nvis ? tv->vis[v] : TV_NONE;
}

size_t tv_vis_of(const textview *tv, size_t i)
{
	if (!tv->nvis)
		return 0;
	size_t lo = 0, hi = tv->nvis; /* vis[lo] <= i < vis[hi] */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (tv->vis[mid] <= i)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

bool tv_reveal(textview *tv, size_t i)
{
	if (i >= tv->nlines)
		return false;
	bool changed = false;
	for (size_t p = tv->parent[i]; p != TV_NONE; p = tv->parent[p]) {
		if (tv->folded[p]) {
			tv->folded[p] = 0;
			changed = true;
		}
	}
	if (changed)
		rebuild_vis(tv);
	/* text that does not nest cleanly: open whatever still hides the line */
	for (size_t v; tv->vis[v = tv_vis_of(tv, i)] != i;) {
		tv->folded[tv->vis[v]] = 0;
		rebuild_vis(tv);
		changed = true;
	}
	return changed;
}

/* ---- widths and wrapping ---- */

int tv_width(const char *s, size_t len)
{
	return (int)utf8_width(s, len);
}

size_t tv_skip_cols(const char *s, size_t len, int cols)
{
	size_t i = 0;
	int w = 0, cw;
	while (i < len && w < cols) {
		size_t k = utf8_char(s + i, len - i, &cw);
		if (w + cw > cols)
			break;
		w += cw;
		i += k;
	}
	/* zero-width characters belong with the one before them */
	while (i < len && (unsigned char)s[i] >= 0x80) {
		size_t k = utf8_char(s + i, len - i, &cw);
		if (cw)
			break;
		i += k;
	}
	return i;
}

/* The end of the row of width columns that starts at off; always past at least one character. */
static size_t seg_end(const char *s, size_t len, size_t off, int width)
{
	size_t i = off;
	int w = 0, cw;
	while (i < len) {
		size_t k = utf8_char(s + i, len - i, &cw);
		if (w + cw > width && i > off)
			break;
		w += cw;
		i += k;
	}
	return i;
}

static uint32_t rows_of(const char *s, size_t len, int width)
{
	uint32_t n = 1;
	for (size_t off = seg_end(s, len, 0, width); off < len; off = seg_end(s, len, off, width))
		if (n < UINT32_MAX)
			n++;
	return n;
}

void tv_set_wrap(textview *tv, bool on, int width)
{
	if (width < 1)
		width = 1;
	tv->wrap = on;
	if (!on)
		return;
	if (tv->width != width || !tv->rows) {
		tv->rows = kt_xrealloc(tv->rows, (tv->nlines ? tv->nlines : 1) * sizeof *tv->rows);
		for (size_t i = 0; i < tv->nlines; i++)
			tv->rows[i] = rows_of(tv->text + tv->start[i], line_len(tv, i), width);
		tv->width = width;
	}
	rebuild_rows(tv);
}

bool tv_wrapped(const textview *tv)
{
	return tv->wrap;
}

size_t tv_rows(const textview *tv)
{
	return tv->wrap ? tv->row_start[tv->nvis] : tv->nvis;
}

size_t tv_row_of_vis(const textview *tv, size_t v)
{
	if (v > tv->nvis)
		v = tv->nvis;
	return tv->wrap ? tv->row_start[v] : v;
}

void tv_row(textview *tv, size_t r, size_t *vis, size_t *off, size_t *len)
{
	*vis = TV_NONE;
	*off = *len = 0;
	if (r >= tv_rows(tv))
		return;
	if (!tv->wrap) {
		*vis = r;
		*len = line_len(tv, tv->vis[r]);
		return;
	}
	size_t lo = 0, hi = tv->nvis; /* row_start[lo] <= r < row_start[hi] */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (tv->row_start[mid] <= r)
			lo = mid;
		else
			hi = mid;
	}
	size_t line = tv->vis[lo], seg = r - tv->row_start[lo], n = line_len(tv, line);
	const char *s = tv->text + tv->start[line];
	/* rows are drawn top to bottom: go on from the last one on a long line */
	size_t k = 0, o = 0;
	if (tv->c_line == line && tv->c_seg <= seg) {
		k = tv->c_seg;
		o = tv->c_off;
	}
	for (; k < seg && o < n; k++)
		o = seg_end(s, n, o, tv->width);
	tv->c_line = line;
	tv->c_seg = seg;
	tv->c_off = o;
	*vis = lo;
	*off = o;
	*len = seg_end(s, n, o, tv->width) - o;
}

/* ---- search ---- */

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool eq_ci(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (lower(a[i]) != lower(b[i]))
			return false;
	return true;
}

/* The first (or, last true, the last) hit of needle starting in [from, to). */
static size_t find_ci(const char *s, size_t from, size_t to, const char *needle, size_t m,
		      bool last)
{
	if (to < from || to - from < m)
		return TV_NONE;
	char f = lower(needle[0]);
	size_t hi = to - m;
	if (last) {
		for (size_t i = hi + 1; i-- > from;)
			if (lower(s[i]) == f && eq_ci(s + i, needle, m))
				return i;
		return TV_NONE;
	}
	for (size_t i = from; i <= hi; i++)
		if (lower(s[i]) == f && eq_ci(s + i, needle, m))
			return i;
	return TV_NONE;
}

size_t tv_search(textview *tv, const char *needle, size_t from, int dir, bool *wrapped)
{
	size_t m = needle ? strlen(needle) : 0;
	*wrapped = false;
	if (!m || !tv->nlines || memchr(needle, '\n', m))
		return TV_NONE;
	size_t hit;
	if (from >= tv->nlines) {
		hit = find_ci(tv->text, 0, tv->len, needle, m, dir < 0);
	} else if (dir >= 0) {
		size_t a = tv->start[from + 1] > tv->len ? tv->len : tv->start[from + 1];
		hit = find_ci(tv->text, a, tv->len, needle, m, false);
		if (hit == TV_NONE) {
			hit = find_ci(tv->text, 0, a, needle, m, false);
			*wrapped = hit != TV_NONE;
		}
	} else {
		size_t a = tv->start[from];
		hit = find_ci(tv->text, 0, a, needle, m, true);
		if (hit == TV_NONE) {
			hit = find_ci(tv->text, a, tv->len, needle, m, true);
			*wrapped = hit != TV_NONE;
		}
	}
	if (hit == TV_NONE)
		return TV_NONE;
	size_t line = tv_line_of(tv, hit);
	tv_reveal(tv, line);
	return line;
}

size_t tv_matches(textview *tv, size_t i, const char *needle, const tv_span **hits)
{
	size_t m = needle ? strlen(needle) : 0, n = 0, len;
	*hits = tv->hits;
	if (!m || i >= tv->nlines)
		return 0;
	/* a wrapped line asks once per row */
	if (tv->hits_needle && tv->hits_line == i && !strcmp(tv->hits_needle, needle))
		return tv->hits_n;
	const char *s = tv_line(tv, i, &len);
	for (size_t at = 0; (at = find_ci(s, at, len, needle, m, false)) != TV_NONE; at += m) {
		if (n == tv->hits_cap) {
			tv->hits_cap = tv->hits_cap ? tv->hits_cap * 2 : 8;
			tv->hits = kt_xrealloc(tv->hits, tv->hits_cap * sizeof *tv->hits);
		}
		tv->hits[n++] = (tv_span){ at, m, TV_PLAIN };
	}
	*hits = tv->hits;
	if (!tv->hits_needle || strcmp(tv->hits_needle, needle)) {
		free(tv->hits_needle);
		tv->hits_needle = kt_xstrdup(needle);
	}
	tv->hits_line = i;
	tv->hits_n = n;
	return n;
}

/* ---- values ---- */

static void put_utf8(kt_buf *b, unsigned long cp)
{
	char u[4];
	if (cp < 0x80) {
		kt_buf_addc(b, (char)cp);
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3f));
		kt_buf_add(b, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		kt_buf_add(b, u, 3);
	} else {
		u[0] = (char)(0xf0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		kt_buf_add(b, u, 4);
	}
}

/* XML text with its entities decoded; NULL when empty. */
static char *xml_unescape(const char *s, size_t n)
{
	static const struct {
		const char *name;
		char c;
	} ents[] = { { "lt;", '<' }, { "gt;", '>' }, { "amp;", '&' }, { "quot;", '"' },
		     { "apos;", '\'' } };
	kt_buf b;
	kt_buf_init(&b);
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '&') {
			kt_buf_addc(&b, s[i]);
			continue;
		}
		bool done = false;
		for (size_t e = 0; e < sizeof ents / sizeof ents[0] && !done; e++) {
			size_t el = strlen(ents[e].name);
			if (n - i - 1 >= el && !memcmp(s + i + 1, ents[e].name, el)) {
				kt_buf_addc(&b, ents[e].c);
				i += el;
				done = true;
			}
		}
		if (!done && i + 2 < n && s[i + 1] == '#') {
			bool hex = s[i + 2] == 'x' || s[i + 2] == 'X';
			char *end;
			unsigned long cp = strtoul(s + i + 2 + hex, &end, hex ? 16 : 10);
			if (end > s + i + 2 + hex && end < s + n && *end == ';' && cp && cp < 0x110000) {
				put_utf8(&b, cp);
				i = (size_t)(end - s);
				done = true;
			}
		}
		if (!done)
			kt_buf_addc(&b, '&');
	}
	if (!b.len) {
		kt_buf_free(&b);
		return NULL;
	}
	return kt_buf_steal(&b);
}

static int hex4(const char *s, unsigned long *out)
{
	unsigned long v = 0;
	for (int i = 0; i < 4; i++) {
		char c = s[i];
		int d = c >= '0' && c <= '9' ? c - '0'
			: c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		v = v * 16 + (unsigned long)d;
	}
	*out = v;
	return 0;
}

/* A JSON string at s[*i] (the opening quote) decoded into b; *i moves past it. */
static bool json_string(const char *s, size_t n, size_t *i, kt_buf *b)
{
	size_t j = *i + 1;
	while (j < n && s[j] != '"') {
		if (s[j] != '\\') {
			kt_buf_addc(b, s[j++]);
			continue;
		}
		if (++j >= n)
			return false;
		char c = s[j++];
		const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
		const char *p = c ? strchr(from, c) : NULL;
		if (p) {
			kt_buf_addc(b, to[p - from]);
			continue;
		}
		unsigned long cp, lo;
		if (c != 'u' || j + 4 > n || hex4(s + j, &cp))
			return false;
		j += 4;
		if (cp >= 0xd800 && cp < 0xdc00 && j + 6 <= n && s[j] == '\\' && s[j + 1] == 'u' &&
		    !hex4(s + j + 2, &lo) && lo >= 0xdc00 && lo < 0xe000) {
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			j += 6;
		}
		put_utf8(b, cp ? cp : '?');
	}
	if (j >= n)
		return false;
	*i = j + 1;
	return true;
}

static char *json_value(const char *s, size_t n)
{
	if (!n || s[0] != '"')
		return NULL;
	kt_buf b;
	kt_buf_init(&b);
	size_t i = 0;
	if (!json_string(s, n, &i, &b))
		goto none;
	while (i < n && is_space(s[i]))
		i++;
	if (i < n && s[i] == ':') {
		/* "key": "value" */
		i++;
		while (i < n && is_space(s[i]))
			i++;
		kt_buf_reset(&b);
		if (i >= n || s[i] != '"' || !json_string(s, n, &i, &b))
			goto none;
		while (i < n && is_space(s[i]))
			i++;
	}
	if (i < n && s[i] == ',')
		i++;
	if (i != n || !b.len)
		goto none;
	return kt_buf_steal(&b);
none:
	kt_buf_free(&b);
	return NULL;
}

static char *xml_value(const char *s, size_t n)
{
	if (n < 2 || s[0] != '<' || s[1] == '/' || s[1] == '?' || s[1] == '!')
		return NULL;
	size_t i = 1;
	char q = 0;
	for (; i < n; i++) {
		if (q) {
			if (s[i] == q)
				q = 0;
		} else if (s[i] == '"' || s[i] == '\'') {
			q = s[i];
		} else if (s[i] == '>') {
			break;
		}
	}
	if (i >= n || s[i - 1] == '/')
		return NULL;
	size_t a = i + 1, b = a;
	while (b < n && s[b] != '<')
		b++;
	if (b + 1 >= n || s[b + 1] != '/')
		return NULL;
	return xml_unescape(s + a, b - a);
}

char *tv_value(const textview *tv, size_t i)
{
	size_t n;
	const char *s = tv_line(tv, i, &n);
	while (n && is_space(*s))
		s++, n--;
	while (n && is_space(s[n - 1]))
		n--;
	if (!n)
		return NULL;
	char *v = tv->format == KT_FORMAT_XML ? xml_value(s, n)
		: tv->format == KT_FORMAT_JSON ? json_value(s, n) : kt_xstrndup(s, n);
	/* a value starting with a NUL byte (text from the network may hold any) is a C string
	 * of nothing: no value, as promised */
	if (v && !*v) {
		free(v);
		v = NULL;
	}
	return v;
}
