/* The streamed reading of a body against the whole-body one (response_pretty, response_parse):
 * shared by the unit tests and the differential fuzz target. */
#ifndef KT_RSTREAM_DIFF_H
#define KT_RSTREAM_DIFF_H

#include <stddef.h>

/* Feeds body in pieces of chunk bytes (0: all at once). NULL when both readings agree, else
 * one line saying where they differ (static storage). */
const char *rstream_diff(const char *body, size_t len, int format, size_t chunk);

#endif
