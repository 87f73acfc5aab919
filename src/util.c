#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "utf8.h"

static void oom(void)
{
	fputs("ktestme: out of memory\n", stderr);
	abort();
}

void *kt_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *kt_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *kt_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

char *kt_xstrdup(const char *s)
{
	return kt_xstrndup(s, strlen(s));
}

char *kt_xstrndup(const char *s, size_t n)
{
	char *p = kt_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}


void kt_buf_init(kt_buf *b)
{
	b->data = NULL;
	b->len = b->cap = 0;
}

void kt_buf_free(kt_buf *b)
{
	free(b->data);
	kt_buf_init(b);
}

void kt_buf_reset(kt_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

static void reserve(kt_buf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + extra + 1)
		cap *= 2;
	b->data = kt_xrealloc(b->data, cap);
	b->cap = cap;
}

/* Appends a formatted string; the length printf reports, or -1. */
static int buf_vprintf(kt_buf *b, const char *fmt, va_list ap)
{
	/* gcc 12 at -O1 with UBSan warns of a "null format string" unless told it is not */
	if (!fmt)
		return -1;
	va_list again;
	va_copy(again, ap);
	int n = vsnprintf(NULL, 0, fmt, ap); /* the length it needs */
	if (n >= 0) {
		reserve(b, (size_t)n);
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, again);
		b->len += (size_t)n;
	}
	va_end(again);
	return n;
}

void kt_buf_add(kt_buf *b, const void *p, size_t n)
{
	reserve(b, n);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void kt_buf_adds(kt_buf *b, const char *s)
{
	kt_buf_add(b, s, strlen(s));
}

void kt_buf_addc(kt_buf *b, char c)
{
	kt_buf_add(b, &c, 1);
}

void kt_buf_printf(kt_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

char *kt_xasprintf(const char *fmt, ...)
{
	kt_buf b;
	va_list ap;
	kt_buf_init(&b);
	va_start(ap, fmt);
	int n = buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom();
	return b.data ? b.data : kt_xstrdup("");
}

char *kt_buf_steal(kt_buf *b)
{
	char *p = b->data ? b->data : kt_xstrdup("");
	kt_buf_init(b);
	return p;
}

bool kt_parse_ll(const char *s, long long *out)
{
	if (!s || !*s)
		return false;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end || end == s || s[0] == ' ' || s[0] == '+' || s[0] == '\t')
		return false;
	*out = v;
	return true;
}

void kt_hex(const unsigned char *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}

bool kt_unhex(const char *hex, unsigned char *out, size_t n)
{
	if (strlen(hex) != 2 * n)
		return false;
	for (size_t i = 0; i < n; i++) {
		int hi = utf8_hexval(hex[2 * i]), lo = utf8_hexval(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return true;
}

void kt_free_secret(char *s)
{
	if (!s)
		return;
	/* OPENSSL_cleanse: a wipe the compiler cannot drop as a dead store */
	OPENSSL_cleanse(s, strlen(s));
	free(s);
}

void kt_format_span(long long s, char *out, size_t outlen)
{
	static const struct { const char *name; long long secs; } units[] = {
		{"day", 86400}, {"hour", 3600}, {"minute", 60}, {"second", 1},
	};
	size_t i = 0, nunits = sizeof units / sizeof units[0];
	if (s < 0)
		s = -s;
	while (i + 1 < nunits && s < units[i].secs)
		i++;
	long long big = s / units[i].secs, rest = (s % units[i].secs);
	int w = snprintf(out, outlen, "%lld %s%s", big, units[i].name, big == 1 ? "" : "s");
	/* the next smaller unit only, so "2 days 3 hours", never "2 days 0 hours 5 minutes" */
	if (i + 1 < nunits && w > 0 && (size_t)w < outlen) {
		long long small = rest / units[i + 1].secs;
		if (small)
			snprintf(out + w, outlen - (size_t)w, " %lld %s%s", small, units[i + 1].name,
				 small == 1 ? "" : "s");
	}
}

void kt_format_size(size_t bytes, char *out, size_t outlen)
{
	static const char *const units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
	size_t u = 0;
	/* the largest unit the size is a whole number of, as --max-size was written */
	while (u + 1 < sizeof units / sizeof units[0] && bytes && !(bytes & 1023))
		bytes >>= 10, u++;
	snprintf(out, outlen, "%zu %s", bytes, units[u]);
}
