#include "history.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void history_init(history *h, size_t max_entries, size_t max_bytes)
{
	memset(h, 0, sizeof *h);
	h->max_entries = max_entries ? max_entries : HISTORY_MAX_ENTRIES;
	h->max_bytes = max_bytes ? max_bytes : HISTORY_MAX_BYTES;
	h->next = 1;
}

static char *dup_or_null(const char *s)
{
	return s ? kt_xstrdup(s) : NULL;
}

void history_result_copy(history_result *dst, const history_result *src)
{
	*dst = *src;
	dst->title = dup_or_null(src->title);
	dst->error_code = dup_or_null(src->error_code);
	dst->error_message = dup_or_null(src->error_message);
	dst->failure = dup_or_null(src->failure);
	dst->note = dup_or_null(src->note);
	dst->hint = dup_or_null(src->hint);
	dst->body = NULL;
	if (src->body) {
		/* bodies may hold NULs: copied by length, terminated for the parsers */
		dst->body = kt_xmalloc(src->len + 1);
		memcpy(dst->body, src->body, src->len);
		dst->body[src->len] = '\0';
	}
}

void history_result_free(history_result *r)
{
	free(r->title);
	free(r->body);
	free(r->error_code);
	free(r->error_message);
	free(r->failure);
	free(r->note);
	free(r->hint);
	memset(r, 0, sizeof *r);
}

static void entry_free(history_entry *e)
{
	free(e->endpoint);
	form_free(e->snap);
	free(e->request);
	history_result_free(&e->res);
}

void history_free(history *h)
{
	for (size_t i = 0; i < h->n; i++)
		entry_free(&h->e[i]);
	free(h->e);
	size_t me = h->max_entries, mb = h->max_bytes;
	unsigned long next = h->next;
	memset(h, 0, sizeof *h);
	h->max_entries = me;
	h->max_bytes = mb;
	h->next = next;
}

static void drop_body(history *h, history_entry *e)
{
	if (!e->res.body)
		return;
	h->bytes -= e->res.len;
	free(e->res.body);
	e->res.body = NULL;
	e->res.len = 0;
	e->body_dropped = true;
}

const history_entry *history_add(history *h, const form *sent, const char *endpoint,
				 time_t when, const history_result *res)
{
	if (h->n && h->n >= h->max_entries) {
		h->bytes -= h->e[0].res.body ? h->e[0].res.len : 0;
		entry_free(&h->e[0]);
		memmove(h->e, h->e + 1, (h->n - 1) * sizeof *h->e);
		h->n--;
	}
	size_t len = res->body ? res->len : 0;
	/* the oldest bodies make room for the new one; one too large for the cap is not kept */
	for (size_t i = 0; i < h->n && len <= h->max_bytes && h->bytes + len > h->max_bytes; i++)
		drop_body(h, &h->e[i]);
	h->e = kt_xrealloc(h->e, (h->n + 1) * sizeof *h->e);
	history_entry *e = &h->e[h->n++];
	memset(e, 0, sizeof *e);
	e->number = h->next++;
	e->endpoint = kt_xstrdup(endpoint ? endpoint : "");
	e->when = when;
	e->snap = form_clone(sent, true);
	if (len > h->max_bytes) {
		history_result head = *res;
		head.body = NULL;
		head.len = 0;
		history_result_copy(&e->res, &head);
		e->body_dropped = true;
	} else {
		history_result_copy(&e->res, res);
		if (!res->body)
			e->res.len = 0;
		h->bytes += e->res.body ? e->res.len : 0;
	}
	return e;
}

void history_withhold_last(history *h)
{
	if (!h->n)
		return;
	history_entry *e = &h->e[h->n - 1];
	if (e->res.body) {
		h->bytes -= e->res.len;
		kt_free_secret(e->res.body);
		e->res.body = NULL;
		e->res.len = 0;
	}
	e->body_withheld = true;
}

void history_set_request_last(history *h, const char *request)
{
	if (!h->n)
		return;
	history_entry *e = &h->e[h->n - 1];
	free(e->request);
	e->request = request ? kt_xstrdup(request) : NULL;
}

size_t history_count(const history *h)
{
	return h->n;
}

const history_entry *history_at(const history *h, size_t i)
{
	return i < h->n ? &h->e[h->n - 1 - i] : NULL;
}

/* numbers grow along the array; removals leave gaps */
static history_entry *find(const history *h, unsigned long number)
{
	size_t lo = 0, hi = h->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (h->e[mid].number == number)
			return &h->e[mid];
		if (h->e[mid].number < number)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const history_entry *history_find(const history *h, unsigned long number)
{
	return find(h, number);
}

void history_tag_last(history *h, long long store_id)
{
	if (h->n)
		h->e[h->n - 1].store_id = store_id;
}

bool history_remove(history *h, unsigned long number)
{
	history_entry *e = find(h, number);
	if (!e)
		return false;
	h->bytes -= e->res.body ? e->res.len : 0;
	entry_free(e);
	size_t i = (size_t)(e - h->e);
	memmove(e, e + 1, (h->n - i - 1) * sizeof *e);
	h->n--;
	return true;
}

void history_outcome_text(const char *error_code, const char *failure, long http_status,
			  char *buf, size_t n)
{
	if (error_code)
		snprintf(buf, n, "%s", *error_code ? error_code : "API error");
	else if (failure && http_status)
		snprintf(buf, n, "HTTP %ld %s", http_status, failure);
	else if (failure)
		snprintf(buf, n, "%s", failure);
	else
		snprintf(buf, n, "%ld ok", http_status);
}

void history_outcome(const history_entry *e, char *buf, size_t n)
{
	history_outcome_text(e->res.error_code, e->res.failure, e->res.http_status, buf, n);
}

/* s cut to w bytes, the cut marked with "..." (UTF-8 is not split) */
static void fit(char *s, size_t w)
{
	size_t len = strlen(s);
	if (len <= w || w < 4)
		return;
	size_t cut = w - 3;
	while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
		cut--;
	memcpy(s + cut, "...", 4);
}

void history_line(const history_entry *e, char *buf, size_t n)
{
	char title[128], outcome[160], endpoint[160], when[16] = "";
	snprintf(title, sizeof title, "%s", e->res.title ? e->res.title : "?");
	history_outcome(e, outcome, sizeof outcome);
	snprintf(endpoint, sizeof endpoint, "%s", e->endpoint);
	fit(title, 40);
	fit(outcome, 32);
	fit(endpoint, 32);
	struct tm tm;
	if (localtime_r(&e->when, &tm))
		strftime(when, sizeof when, "%H:%M:%S", &tm);
	char num[24];
	snprintf(num, sizeof num, "%lu.", e->number);
	snprintf(buf, n, "%-4s %-24s %-20s %-8s %s", num, title, outcome, endpoint, when);
}
