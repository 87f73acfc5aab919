/* reqtext: a request as plain text lines, with no secret in them. The one format of the saved
 * requests (collection.h) and of the persistent history (histstore.h), so a saved request and a
 * history entry read the same and can be compared:
 *
 *     @service = category
 *     @action = list
 *     @format = 2
 *     @partnerId = 1234
 *     filter:objectType = KalturaCategoryFilter
 *     filter:nameEqual__null =
 *     pager:pageSize = 5
 *
 * "@" lines are the request fields (service, action, format, partnerId, clientTag, apiVersion,
 * language) and the files to upload ("@file:fileData = clip.mp4"); the others are parameters with their wire keys (a multirequest's "1:service").
 * Values escape "\\", newlines (\n), tabs (\t), other control bytes and spaces at either end
 * (\xHH), so every value is one line and survives an editor. Never written: the ks field, a
 * parameter whose name is a credential (request_is_secret_name, tokenHash), and any value that
 * reads as a KS; a multirequest back-reference ("{1:result}") is no secret and is kept. */
#ifndef KT_REQTEXT_H
#define KT_REQTEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "request.h"
#include "util.h"

/* A parameter (last part of its key) or value that must not be kept: a credential's name with a
 * value other than a back-reference, or a value that decodes as a KS. */
bool reqtext_is_secret(const char *key, const char *value);

/* Appends r's lines to b; returns how many values were left out as secrets. */
size_t reqtext_write(kt_buf *b, const kt_request *r);
/* The lines of r, malloc'd. */
char *reqtext_format(const kt_request *r);

/* Applies one "key = value" line (value still escaped) to r (request_init'd). Secret lines are
 * dropped (*dropped set when not NULL). -1 with KT_E_DATA on a bad key, escape or field. */
int reqtext_apply(kt_request *r, const char *key, const char *value, bool *dropped,
		  kt_error *err);
/* Parses text (lines as reqtext_format writes them; blank lines and "#" comments skipped) into
 * r, which it request_init's. -1 with KT_E_DATA "line N: ..." on a bad line, or when there is
 * no @service; r is then freed. */
int reqtext_parse(const char *text, kt_request *r, kt_error *err);

/* One "key = value" line split in place: *key and *value point into line (trimmed); false when
 * the line has no " = " or "=". */
bool reqtext_split(char *line, char **key, char **value);
/* Escapes a value onto b as reqtext writes it. */
void reqtext_escape(kt_buf *b, const char *value);
/* Undoes reqtext_escape; malloc'd, NULL on a bad escape. */
char *reqtext_unescape(const char *value);

/* What differs between two requests in this format: one line per key, "- key = old" for a key
 * only a has, "+ key = new" for one only b has, "~ key = old -> new" for a changed value, in
 * a's order then b's. malloc'd; "" when they are the same. */
char *reqtext_diff(const char *a, const char *b);

#endif
