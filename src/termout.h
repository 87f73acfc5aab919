/* termout: the CLI's way to a terminal for text that came from a peer (API error codes and
 * messages, headers, results, redirect targets): control characters, C1, DEL and invalid UTF-8
 * are shown as '?' (utf8_sanitize). stderr is always filtered; stdout when it is a terminal,
 * unless termout_raw(true) (--raw) asked for the bytes as they came. */
#ifndef KT_TERMOUT_H
#define KT_TERMOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

void termout_raw(bool raw);
/* Writes n bytes of s to f, filtered as above; '\n' and '\t' kept. */
void termout_write(FILE *f, const char *s, size_t n);
/* One line: printf to f with every control character of the text ('\n' too) shown as '?',
 * then a '\n'. Always filtered, even on stdout with --raw: it is a message, not data. */
void termout_line(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
