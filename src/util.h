/* util: a growable byte buffer and the few string helpers every module needs. */
#ifndef KT_UTIL_H
#define KT_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A NUL-terminated growable buffer; data may also hold binary bytes (len counts them). */
typedef struct kt_buf {
	char *data;
	size_t len, cap;
} kt_buf;

void kt_buf_init(kt_buf *b);
void kt_buf_free(kt_buf *b);
void kt_buf_reset(kt_buf *b);
void kt_buf_add(kt_buf *b, const void *p, size_t n);
void kt_buf_adds(kt_buf *b, const char *s);
void kt_buf_addc(kt_buf *b, char c);
void kt_buf_printf(kt_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands the data over to the caller (never NULL) and leaves b empty. */
char *kt_buf_steal(kt_buf *b);

/* Allocation that aborts with a message instead of returning NULL. */
void *kt_xmalloc(size_t n);
void *kt_xcalloc(size_t n, size_t size);
void *kt_xrealloc(void *p, size_t n);
char *kt_xstrdup(const char *s);
char *kt_xstrndup(const char *s, size_t n);
char *kt_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Parses a whole decimal integer (optional leading '-'); false on junk, empty or overflow. */
bool kt_parse_ll(const char *s, long long *out);

/* Lowercase hex of n bytes into out (2n+1 bytes). */
void kt_hex(const unsigned char *p, size_t n, char *out);
/* Decodes exactly 2n hex digits into n bytes; false on a bad digit or length. */
bool kt_unhex(const char *hex, unsigned char *out, size_t n);

/* Overwrites a secret before freeing it. */
void kt_free_secret(char *s);

/* "3 days 4 hours", "5 minutes", "12 seconds": the two largest units of a span. */
void kt_format_span(long long seconds, char *out, size_t outlen);

/* "500 KiB", "100 MiB", "1000 bytes": the largest binary unit the size is a whole number of. */
void kt_format_size(size_t bytes, char *out, size_t outlen);

#endif
