/* utf8: the one place that reads UTF-8, hex digits and %-escapes, and that makes text safe for
 * a terminal. Everything that comes from a peer and goes to a screen passes utf8_sanitize. */
#ifndef KT_UTF8_H
#define KT_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* Decodes the sequence at s (n bytes available): its length (1-4) with *cp set, or 0 when the
 * bytes are not UTF-8 (a stray continuation byte, overlong form, surrogate, over U+10FFFF, cut
 * short). */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);
/* n bytes are all valid UTF-8 (NUL included: it is a valid one-byte sequence). */
bool utf8_valid(const char *s, size_t n);
/* A C0 control, DEL or a C1 control: nothing a terminal should receive from a peer. */
bool utf8_is_control(uint32_t cp);
/* One character at s (n > 0 bytes): its length, and its terminal columns in *cols: wcwidth
 * (0 for a combining mark, 2 for a wide one), and 1 for a control, an invalid byte (a length
 * of 1) or a character wcwidth does not know, as the console shows them ('?'). */
size_t utf8_char(const char *s, size_t n, int *cols);
/* The terminal columns of s (n bytes), utf8_char's added up. */
size_t utf8_width(const char *s, size_t n);

/* 0-15 for a hex digit (either case), else -1. */
int utf8_hexval(int c);
/* PHP's urldecode: '+' is a space (when plus is true), a malformed %-escape stays as it is.
 * malloc'd and NUL-terminated; *outlen (when not NULL) counts the bytes, NULs included. */
char *utf8_url_decode(const char *s, size_t n, bool plus, size_t *outlen);

/* Appends s to b with every control character, DEL, C1 control and invalid byte shown as '?'
 * (one per byte), as the console shows them. keep_lines keeps '\n' and '\t' (layout of a
 * multi-line text); otherwise they become '?' too. */
void utf8_sanitize(kt_buf *b, const char *s, size_t n, bool keep_lines);

#endif
