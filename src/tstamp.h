/* tstamp: Unix times in results read as dates, as kalcli prints them. A result line that holds
 * one property whose name ends in At, Date or On with a whole number of seconds,
 * "<createdAt>1796154919</createdAt>" (XML) or "\"createdAt\": 1796154919," (JSON), is
 * annotated "2026-12-01 19:55:19 UTC" and, where the local zone differs, its local time. The
 * text itself is not changed: the result pane draws the annotation beside the line, so copies
 * and saved files hold what the server sent. Plain C, no curses. */
#ifndef KT_TSTAMP_H
#define KT_TSTAMP_H

#include <stdbool.h>
#include <stddef.h>

/* The annotation of line (len bytes) into out; false when the line holds no such time (not a
 * time-named property, not a number, 0 or negative, past the year 9999). */
bool tstamp_annotation(const char *line, size_t len, char *out, size_t n);

#endif
