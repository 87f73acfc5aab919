#include "utf8.h"

#include <stdlib.h>
#include <wchar.h>

size_t utf8_decode(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	if (!n)
		return 0;
	uint32_t c = p[0], min;
	size_t len;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, min = 0x80, c &= 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, min = 0x800, c &= 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, min = 0x10000, c &= 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

bool utf8_valid(const char *s, size_t n)
{
	uint32_t cp;
	for (size_t i = 0, k; i < n; i += k)
		if (!(k = utf8_decode(s + i, n - i, &cp)))
			return false;
	return true;
}

bool utf8_is_control(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0);
}

size_t utf8_char(const char *s, size_t n, int *cols)
{
	uint32_t cp;
	size_t k = utf8_decode(s, n, &cp);
	if (!k || utf8_is_control(cp)) {
		*cols = 1; /* shown as one '?' */
		return k ? k : 1;
	}
	int w = cp < 0x80 ? 1 : wcwidth((wchar_t)cp);
	*cols = w < 0 ? 1 : w;
	return k;
}

size_t utf8_width(const char *s, size_t n)
{
	size_t w = 0;
	int cw;
	for (size_t i = 0; i < n; w += (size_t)cw)
		i += utf8_char(s + i, n - i, &cw);
	return w;
}

int utf8_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *utf8_url_decode(const char *s, size_t n, bool plus, size_t *outlen)
{
	kt_buf b;
	kt_buf_init(&b);
	kt_buf_add(&b, "", 0);
	for (size_t i = 0; i < n; i++) {
		int hi, lo;
		if (plus && s[i] == '+') {
			kt_buf_addc(&b, ' ');
		} else if (s[i] == '%' && i + 2 < n && (hi = utf8_hexval(s[i + 1])) >= 0 &&
			   (lo = utf8_hexval(s[i + 2])) >= 0) {
			kt_buf_addc(&b, (char)(hi << 4 | lo));
			i += 2;
		} else {
			kt_buf_addc(&b, s[i]);
		}
	}
	if (outlen)
		*outlen = b.len;
	return kt_buf_steal(&b);
}

void utf8_sanitize(kt_buf *b, const char *s, size_t n, bool keep_lines)
{
	kt_buf_add(b, "", 0);
	uint32_t cp;
	for (size_t i = 0, k; i < n; i += k) {
		k = utf8_decode(s + i, n - i, &cp);
		if (!k) {
			k = 1;
			kt_buf_addc(b, '?');
		} else if (keep_lines && (cp == '\n' || cp == '\t')) {
			kt_buf_addc(b, (char)cp);
		} else if (utf8_is_control(cp)) {
			kt_buf_addc(b, '?');
		} else {
			kt_buf_add(b, s + i, k);
		}
	}
}
