#include "lineedit.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include <openssl/crypto.h>

#include "keymap.h"
#include "utf8.h"
#include "util.h"

static void reserve(lineedit *e, size_t extra)
{
	if (e->len + extra + 1 <= e->cap)
		return;
	size_t cap = e->cap ? e->cap : 32;
	while (cap < e->len + extra + 1)
		cap *= 2;
	if (e->secret && e->buf) { /* realloc would leave the old copy behind */
		char *grown = kt_xmalloc(cap);
		memcpy(grown, e->buf, e->len + 1);
		OPENSSL_cleanse(e->buf, e->cap);
		free(e->buf);
		e->buf = grown;
	} else {
		e->buf = kt_xrealloc(e->buf, cap);
	}
	e->cap = cap;
}

void le_init(lineedit *e, const char *text)
{
	memset(e, 0, sizeof *e);
	le_set(e, text);
}

void le_set(lineedit *e, const char *text)
{
	e->len = e->cur = 0;
	reserve(e, 0);
	e->buf[0] = '\0';
	if (text)
		le_insert_text(e, text);
}

void le_init_secret(lineedit *e)
{
	memset(e, 0, sizeof *e);
	e->secret = true;
	le_set(e, NULL);
}

void le_free(lineedit *e)
{
	if (e->secret && e->buf)
		OPENSSL_cleanse(e->buf, e->cap);
	free(e->buf);
	memset(e, 0, sizeof *e);
}

/* Length of the UTF-8 sequence at s (1 for an invalid byte), never past end. */
static size_t seq_len(const char *s, const char *end)
{
	mbstate_t st;
	memset(&st, 0, sizeof st);
	size_t n = mbrtowc(NULL, s, (size_t)(end - s), &st);
	return n == (size_t)-1 || n == (size_t)-2 || n == 0 ? 1 : n;
}

static size_t next_char(const lineedit *e, size_t at)
{
	return at >= e->len ? e->len : at + seq_len(e->buf + at, e->buf + e->len);
}

/* The longest sequence mbrtowc takes as one character (UTF-8's old 6-byte form). */
#define SEQ_MAX 6

static size_t prev_char(const lineedit *e, size_t at)
{
	if (at == 0)
		return 0;
	size_t p = at - 1;
	/* step over continuation bytes, at most five: glibc decodes the old 5- and 6-byte forms */
	while (p > 0 && at - p < SEQ_MAX && ((unsigned char)e->buf[p] & 0xC0) == 0x80)
		p--;
	if (next_char(e, p) != at)
		return at - 1;
	return p;
}

/* Invalid bytes are kept, so an edit may join the bytes on either side of the cursor into one
 * character (a lead byte typed before continuation bytes, or the bytes between them deleted):
 * the cursor then moves past that character rather than stay inside it. A byte that is not a
 * continuation byte always starts a character, so looking back SEQ_MAX - 1 bytes is enough. */
static size_t snap(const lineedit *e, size_t at)
{
	if (at >= e->len || ((unsigned char)e->buf[at] & 0xC0) != 0x80)
		return at;
	for (size_t p = at; p-- > 0 && at - p < SEQ_MAX;) {
		if (((unsigned char)e->buf[p] & 0xC0) != 0x80) {
			size_t end = next_char(e, p);
			return end > at ? end : at;
		}
	}
	return at;
}

static void insert_bytes(lineedit *e, const char *s, size_t n)
{
	reserve(e, n);
	memmove(e->buf + e->cur + n, e->buf + e->cur, e->len - e->cur + 1);
	memcpy(e->buf + e->cur, s, n);
	e->len += n;
	e->cur += n;
}

static void delete_range(lineedit *e, size_t from, size_t to)
{
	if (to <= from)
		return;
	memmove(e->buf + from, e->buf + to, e->len - to + 1);
	e->len -= to - from;
	if (e->cur >= to)
		e->cur -= to - from;
	else if (e->cur > from)
		e->cur = from;
	e->cur = snap(e, e->cur);
}

/* C0, DEL and C1: a terminal would act on them rather than show them */
static bool is_control(wchar_t ch)
{
	return ch < 0x20 || ch == 0x7f || (ch >= 0x80 && ch < 0xa0);
}

void le_insert(lineedit *e, wchar_t ch)
{
	/* glibc would encode values past Unicode in the old 5- and 6-byte forms */
	if (is_control(ch) || ch > 0x10FFFF)
		return;
	char mb[MB_LEN_MAX];
	mbstate_t st;
	memset(&st, 0, sizeof st);
	size_t n = wcrtomb(mb, ch, &st);
	if (n != (size_t)-1)
		insert_bytes(e, mb, n);
}

void le_insert_text(lineedit *e, const char *utf8)
{
	/* filtered into one block and inserted once: a 1 MB paste moves the tail once, not per
	 * character */
	const char *p = utf8, *end = utf8 + strlen(utf8);
	char *keep = kt_xmalloc((size_t)(end - p) + 1);
	size_t k = 0;
	mbstate_t st;
	memset(&st, 0, sizeof st);
	while (p < end) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, p, (size_t)(end - p), &st);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			/* an invalid byte is kept as it is, one character of its own */
			memset(&st, 0, sizeof st);
			n = 1;
			if ((unsigned char)*p >= 0x20 && *p != 0x7f)
				keep[k++] = *p;
		} else if (!is_control(wc)) {
			/* C1 controls come as two bytes (U+009B is CSI), so decode to see them */
			memcpy(keep + k, p, n);
			k += n;
		}
		p += n;
	}
	insert_bytes(e, keep, k);
	if (e->secret)
		OPENSSL_cleanse(keep, k);
	free(keep);
	e->cur = snap(e, e->cur);
}

bool le_paste(lineedit *e, const char *text, size_t len, char *why, size_t n)
{
	if (len && text[len - 1] == '\n')
		len--;
	if (len && text[len - 1] == '\r')
		len--;
	size_t breaks = 0;
	for (size_t i = 0; i < len; i++)
		if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == len || text[i + 1] != '\n')))
			breaks++;
	if (breaks) {
		snprintf(why, n, "The paste has %zu lines and this takes one: nothing was pasted",
			 breaks + 1);
		return false;
	}
	char *one = kt_xstrndup(text, len);
	le_insert_text(e, one);
	if (e->secret)
		OPENSSL_cleanse(one, len);
	free(one);
	return true;
}

static bool is_word_byte(const lineedit *e, size_t at)
{
	unsigned char c = (unsigned char)e->buf[at];
	return c >= 0x80 || iswalnum(c) || c == '_';
}

bool le_key(lineedit *e, const char *key)
{
	/* the keys come from the one action table (actions.def, scope TEXT) */
	switch (keymap_lookup(SCOPE_TEXT, key)) {
	case ACT_CHAR_LEFT: e->cur = prev_char(e, e->cur); break;
	case ACT_CHAR_RIGHT: e->cur = next_char(e, e->cur); break;
	case ACT_LINE_START: e->cur = 0; break;
	case ACT_LINE_END: e->cur = e->len; break;
	case ACT_DELETE_BACK: delete_range(e, prev_char(e, e->cur), e->cur); break;
	case ACT_DELETE_FORWARD: delete_range(e, e->cur, next_char(e, e->cur)); break;
	case ACT_DELETE_TO_START: delete_range(e, 0, e->cur); break;
	case ACT_DELETE_TO_END: delete_range(e, e->cur, e->len); break;
	case ACT_DELETE_WORD: {
		size_t p = e->cur;
		while (p > 0 && !is_word_byte(e, p - 1))
			p--;
		while (p > 0 && is_word_byte(e, p - 1))
			p--;
		delete_range(e, p, e->cur);
		break;
	}
	default: return false;
	}
	return true;
}

int le_width(const char *s, size_t len)
{
	return (int)utf8_width(s, len);
}

/* Columns of the one character at p (invalid bytes and controls count 1). */
static int char_width(const lineedit *e, size_t p, size_t *next)
{
	*next = next_char(e, p);
	mbstate_t st;
	memset(&st, 0, sizeof st);
	wchar_t wc;
	size_t n = mbrtowc(&wc, e->buf + p, *next - p, &st);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0)
		return 1;
	int w = wcwidth(wc);
	return w < 0 ? 1 : w;
}

void le_view(const lineedit *e, int width, size_t *start, int *cursor_col)
{
	if (width < 1)
		width = 1;
	if (*start > e->cur || *start > e->len)
		*start = e->cur;
	/* keep the cursor inside the window, one column spare for it at the end; both walks stop
	 * after a window's worth of columns, so a long line costs no more than a short one */
	int cols = 0;
	size_t p = *start, nx;
	while (p < e->cur && cols <= width - 1) {
		cols += char_width(e, p, &nx);
		p = nx;
	}
	if (cols <= width - 1) {
		*cursor_col = cols;
		return;
	}
	/* too far: the window ends at the cursor, starting as far back as fits */
	size_t s = e->cur;
	cols = 0;
	while (s > *start) {
		size_t q = prev_char(e, s);
		int w = char_width(e, q, &nx);
		if (cols + w > width - 1)
			break;
		cols += w;
		s = q;
	}
	*start = s;
	*cursor_col = cols;
}
