/* result_pane: the last result, pretty-printed and coloured, with an error and timing header,
 * scrolling, wrapping, search, folds, a line selection, copy (OSC 52), save and "use as KS".
 * The text lives in a textview (src/textview.c): a draw touches only the rows on screen. */
#include "ui.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clip.h"
#include "files.h"
#include "response.h"
#include "textview.h"
#include "tstamp.h"
#include "util.h"
#include "wrap.h"

#define HINT "Choose a service and an action, fill the form, press F5"
#define HEAD_MAX 6
#define HSTEP 8

/* The view's private data. */
#define RP(c) ((struct result_pane *)(c)->view[PANE_RESULT])

struct result_pane {
	textview *tv;
	int format;      /* of the text in tv: KT_FORMAT_XML, KT_FORMAT_JSON or 0 */
	size_t cur;      /* the cursor's line (a line of the text, never a hidden one) */
	size_t top;      /* the first display row shown */
	int hscroll;     /* columns skipped when not wrapping */
	bool wrap;
	int head;        /* header rows of the last draw */
	int page, width; /* text rows and columns of the last draw */
	char *needle;    /* the search; NULL when none */
	size_t *hit_lines; /* the lines that hold needle, in order, for "match 3 of 17" */
	size_t nhit_lines;
	bool marking;    /* v pressed once: the selection runs from mark to the cursor */
	bool marked;     /* v pressed twice: the selection is mark..mark_end */
	size_t mark, mark_end;
};

static void drop_search(struct result_pane *rp)
{
	free(rp->needle);
	rp->needle = NULL;
	free(rp->hit_lines);
	rp->hit_lines = NULL;
	rp->nhit_lines = 0;
}

/* Every line that holds the needle, once per search: the count and the rank of a hit. */
static void count_hits(struct result_pane *rp)
{
	size_t n = tv_lines(rp->tv), cap = 0;
	const tv_span *h;
	for (size_t i = 0; i < n; i++) {
		if (!tv_matches(rp->tv, i, rp->needle, &h))
			continue;
		if (rp->nhit_lines == cap) {
			cap = cap ? cap * 2 : 64;
			rp->hit_lines = kt_xrealloc(rp->hit_lines, cap * sizeof *rp->hit_lines);
		}
		rp->hit_lines[rp->nhit_lines++] = i;
	}
}

/* 1-based rank of line among the hits (binary search). */
static size_t hit_rank(const struct result_pane *rp, size_t line)
{
	size_t lo = 0, hi = rp->nhit_lines;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (rp->hit_lines[mid] < line)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo + 1;
}

static void *result_open(console *c)
{
	(void)c;
	return kt_xcalloc(1, sizeof(struct result_pane));
}

static void result_close(console *c, void *data)
{
	(void)c;
	struct result_pane *rp = data;
	if (!rp)
		return;
	tv_free(rp->tv);
	drop_search(rp);
	free(rp);
}

/* c->res changed: the view is rebuilt (top, folds, search reset); pretty is the body already
 * re-indented (taken over; NULL: made here). */
static void show(console *c, char *pretty)
{
	struct result_pane *rp = RP(c);
	if (!rp) {
		free(pretty);
		return;
	}
	tv_free(rp->tv);
	rp->tv = NULL;
	rp->format = 0;
	const console_result *r = &c->res;
	/* a large streamed result, or the first page of one arriving, comes as text only */
	if (r->title && pretty && !(r->body && r->len)) {
		rp->format = r->format;
		rp->tv = tv_new(pretty, strlen(pretty), r->format);
		pretty = NULL;
	} else if (r->title && r->body && r->len) {
		kt_error err = { 0 };
		if (!pretty)
			pretty = response_pretty(r->body, r->len, r->format, &err);
		if (pretty) {
			rp->format = r->format;
			rp->tv = tv_new(pretty, strlen(pretty), r->format);
		} else {
			/* not XML or JSON (an HTML error page): shown as it came */
			rp->tv = tv_new(kt_xstrndup(r->body, r->len), r->len, 0);
		}
	}
	rp->cur = rp->top = 0;
	rp->hscroll = 0;
	rp->marking = rp->marked = false;
	drop_search(rp);
	if (rp->tv && rp->wrap && rp->width > 0)
		tv_set_wrap(rp->tv, true, rp->width);
#ifdef __GLIBC__
	/* the last result's memory goes back to the system, not only to malloc's free lists */
	malloc_trim(0);
#endif
}

/* ---- the header ---- */

typedef struct head_line {
	char text[1024];
	ui_role role;
} head_line;

static void add_ms(char *buf, size_t n, const char *label, double s, bool *first)
{
	if (s <= 0)
		return;
	size_t l = strlen(buf);
	double ms = s * 1000;
	snprintf(buf + l, n - l, "%s%s %.*f ms", *first ? "" : ", ", label, ms < 10 ? 1 : 0, ms);
	*first = false;
}

static size_t header(const console *c, head_line *h)
{
	const console_result *r = &c->res;
	size_t n = 0;
	if (!r->title) {
		snprintf(h[n].text, sizeof h[n].text, "%s", HINT);
		h[n++].role = UI_DIM;
		return n;
	}
	if (r->error_code) {
		snprintf(h[n].text, sizeof h[n].text, "%s: %s", r->error_code,
			 r->error_message ? r->error_message : "");
		h[n++].role = UI_ERROR;
		if (r->note) { /* a multirequest's items, each its outcome: before the hint */
			snprintf(h[n].text, sizeof h[n].text, "%s", r->note);
			h[n++].role = UI_OK;
		}
		if (r->hint) {
			snprintf(h[n].text, sizeof h[n].text, "Hint: %s", r->hint);
			h[n++].role = UI_WARN;
		}
	} else if (r->failure) {
		snprintf(h[n].text, sizeof h[n].text, "%s", r->failure);
		h[n++].role = UI_ERROR;
	}
	char *t = h[n].text;
	size_t tn = sizeof h[n].text;
	t[0] = '\0';
	if (r->http_status)
		snprintf(t, tn, "HTTP %ld", r->http_status);
	if (r->has_execution_time) {
		size_t l = strlen(t);
		snprintf(t + l, tn - l, "%sexecutionTime %.3f s", l ? " · " : "", r->execution_time);
	}
	if (r->timings.total > 0) {
		size_t l = strlen(t);
		double ms = r->timings.total * 1000;
		snprintf(t + l, tn - l, "%stotal %.*f ms", l ? " · " : "", ms < 10 ? 1 : 0, ms);
		char phases[256] = "";
		bool first = true;
		add_ms(phases, sizeof phases, "dns", r->timings.dns, &first);
		add_ms(phases, sizeof phases, "connect", r->timings.connect, &first);
		add_ms(phases, sizeof phases, "tls", r->timings.tls, &first);
		add_ms(phases, sizeof phases, "first byte", r->timings.first_byte, &first);
		if (!first) {
			l = strlen(t);
			snprintf(t + l, tn - l, " (%s)", phases);
		}
	}
	if (t[0])
		h[n++].role = UI_DIM;
	if (r->note && !r->error_code) {
		snprintf(h[n].text, sizeof h[n].text, "%s", r->note);
		h[n++].role = UI_OK;
	}
	if (!RP(c)->tv && !r->error_code && !r->failure) {
		snprintf(h[n].text, sizeof h[n].text, "(an empty body)");
		h[n++].role = UI_DIM;
	}
	return n;
}

/* Draws the header from row y, word-wrapped: an error over up to three rows, its hint over
 * as many as it needs (every word of it is what the user came for), the rest a row or two;
 * returns the rows used. */
static int draw_header(const console *c, kt_rect r, int max_rows)
{
	head_line h[HEAD_MAX];
	size_t n = header(c, h);
	int y = 0;
	for (size_t i = 0; i < n && y < max_rows; i++) {
		wrap_row *rows;
		size_t nr = wrap_text(h[i].text, r.w - 1, &rows);
		size_t most = h[i].role == UI_ERROR ? 3 : h[i].role == UI_WARN ? nr : 2;
		for (size_t k = 0; k < nr && k < most && y < max_rows; k++) {
			ui_fill(r.y + y, r.x, r.w, A_NORMAL);
			ui_text(r.y + y, r.x + 1 + rows[k].indent, r.w - 1 - rows[k].indent,
				h[i].text + rows[k].off, rows[k].len, ui_attr(h[i].role));
			y++;
		}
		free(rows);
	}
	return y;
}

/* ---- the text ---- */

static ui_role role_of(tv_role t)
{
	switch (t) {
	case TV_PUNCT: return UI_PUNCT;
	case TV_NAME: return UI_TAG;
	case TV_ATTR: return UI_ATTR;
	case TV_VALUE: return UI_STRING;
	case TV_TEXT: return UI_NORMAL;
	case TV_NUMBER:
	case TV_LITERAL: return UI_NUMBER;
	default: return UI_NORMAL;
	}
}

static bool selected(const struct result_pane *rp, size_t line)
{
	if (!rp->marking && !rp->marked)
		return false;
	size_t a = rp->mark, b = rp->marking ? rp->cur : rp->mark_end;
	if (a > b) {
		size_t t = a;
		a = b;
		b = t;
	}
	return line >= a && line <= b;
}

/* One display row: bytes [off, off+n) of line, coloured by syntax and search hits. */
static void draw_row(console *c, int y, int x0, int w, size_t line, size_t off, size_t n,
		     attr_t base, bool plain, bool last_row)
{
	struct result_pane *rp = RP(c);
	size_t len;
	const char *s = tv_line(rp->tv, line, &len);
	ui_fill(y, x0, w, base);
	const tv_span *sp, *hits;
	size_t nsp = tv_spans(rp->tv, line, &sp);
	size_t nh = tv_matches(rp->tv, line, rp->needle, &hits);
	size_t end = off + n, pos = off, si = 0, hi = 0;
	int x = 0;
	while (pos < end && x < w) {
		while (si < nsp && sp[si].off + sp[si].len <= pos)
			si++;
		while (hi < nh && hits[hi].off + hits[hi].len <= pos)
			hi++;
		size_t stop = end;
		bool in_hit = hi < nh && hits[hi].off <= pos;
		if (si < nsp && sp[si].off + sp[si].len < stop)
			stop = sp[si].off + sp[si].len;
		if (hi < nh) {
			size_t edge = in_hit ? hits[hi].off + hits[hi].len : hits[hi].off;
			if (edge < stop)
				stop = edge;
		}
		attr_t a = in_hit ? ui_attr(UI_MATCH)
			   : plain || si >= nsp ? base
						: ui_attr(role_of(sp[si].role));
		x += ui_text(y, x0 + x, w - x, s + pos, stop - pos, a);
		pos = stop;
	}
	/* a folded line shows how it closes */
	size_t fe = tv_fold_end(rp->tv, line);
	if (last_row && fe != TV_NONE && tv_folded(rp->tv, line) && x < w) {
		size_t cl;
		const char *cs = tv_line(rp->tv, fe, &cl);
		while (cl && (*cs == ' ' || *cs == '\t'))
			cs++, cl--;
		x += ui_text(y, x0 + x, w - x, "…", (size_t)-1, plain ? base : ui_attr(UI_DIM));
		x += ui_text(y, x0 + x, w - x, cs, cl, plain ? base : ui_attr(UI_PUNCT));
		char more[48];
		snprintf(more, sizeof more, "  (%zu lines)", fe - line + 1);
		ui_text(y, x0 + x, w - x, more, (size_t)-1, plain ? base : ui_attr(UI_DIM));
		return;
	}
	/* a Unix time reads as a date beside it; the text itself stays as sent */
	char when[96];
	if (last_row && x + 2 < w && tstamp_annotation(s, len, when, sizeof when)) {
		x += ui_text(y, x0 + x, w - x, "  ", (size_t)-1, base);
		ui_text(y, x0 + x, w - x, when, (size_t)-1, plain ? base : ui_attr(UI_DIM));
	}
}

/* The cursor on a line that shows: a fold may have just hidden it. */
static size_t cur_vis(struct result_pane *rp)
{
	size_t v = tv_vis_of(rp->tv, rp->cur);
	rp->cur = tv_vis_line(rp->tv, v);
	return v;
}

static void scroll_to_cursor(struct result_pane *rp)
{
	if (!rp->tv || rp->page <= 0)
		return;
	size_t v = cur_vis(rp);
	size_t first = tv_row_of_vis(rp->tv, v), last = tv_row_of_vis(rp->tv, v + 1) - 1;
	size_t page = (size_t)rp->page;
	if (last >= rp->top + page)
		rp->top = last - page + 1;
	if (first < rp->top || first >= rp->top + page)
		rp->top = first;
	size_t rows = tv_rows(rp->tv);
	if (rp->top + page > rows)
		rp->top = rows > page ? rows - page : 0;
	if (first < rp->top)
		rp->top = first;
}

static void result_draw(console *c, kt_rect r, bool focused)
{
	struct result_pane *rp = RP(c);
	if (r.h <= 0 || r.w <= 0 || !rp)
		return;
	/* the header may take two thirds: a hint matters more than the first lines of an error */
	int head = draw_header(c, r, rp->tv ? (r.h * 2 / 3 > 4 ? r.h * 2 / 3 : r.h > 4 ? 4 : r.h - 1)
					    : r.h);
	rp->head = head;
	for (int y = head; y < r.h; y++)
		ui_fill(r.y + y, r.x, r.w, A_NORMAL);
	if (!rp->tv)
		return;
	int ty = r.y + head, th = r.h - head, w = r.w;
	if (th <= 0)
		return;
	if (rp->wrap && (w != rp->width || !tv_wrapped(rp->tv)))
		tv_set_wrap(rp->tv, true, w);
	rp->width = w;
	rp->page = th;
	scroll_to_cursor(rp);
	attr_t cursor = ui_attr(focused ? UI_CURSOR : UI_CURSOR_DIM);
	for (int i = 0; i < th; i++) {
		size_t v, off, n;
		tv_row(rp->tv, rp->top + (size_t)i, &v, &off, &n);
		if (v == TV_NONE)
			break;
		size_t line = tv_vis_line(rp->tv, v), len;
		bool last_row = true;
		if (rp->wrap) {
			last_row = rp->top + (size_t)i + 1 == tv_row_of_vis(rp->tv, v + 1);
		} else if (rp->hscroll) {
			const char *s = tv_line(rp->tv, line, &len);
			off = tv_skip_cols(s, len, rp->hscroll);
			n = len - off;
		}
		bool is_cur = line == rp->cur, sel = selected(rp, line);
		attr_t base = is_cur ? cursor : sel ? ui_attr(UI_MARK) : A_NORMAL;
		draw_row(c, ty + i, r.x, w, line, off, n, base, is_cur || sel, last_row);
	}
}

static void result_title(const console *c, char *buf, size_t n)
{
	const struct result_pane *rp = RP(c);
	if (!c->res.title) {
		snprintf(buf, n, "Result");
		return;
	}
	size_t l = (size_t)snprintf(buf, n, "Result: %s", c->res.title);
	if (l < n && rp && rp->wrap)
		l += (size_t)snprintf(buf + l, n - l, " [wrap]");
	if (l < n && rp && rp->needle)
		l += (size_t)snprintf(buf + l, n - l, " [search: %s]", rp->needle);
	if (l < n && rp && (rp->marking || rp->marked))
		snprintf(buf + l, n - l, " [%s]", rp->marking ? "selecting" : "selection");
}

/* ---- actions ---- */

static void move_rows(struct result_pane *rp, long delta)
{
	size_t v = cur_vis(rp);
	size_t row = tv_row_of_vis(rp->tv, v), rows = tv_rows(rp->tv);
	if (delta < 0)
		row = (size_t)-delta > row ? 0 : row - (size_t)-delta;
	else
		row = row + (size_t)delta >= rows ? rows - 1 : row + (size_t)delta;
	size_t nv, off, n;
	tv_row(rp->tv, row, &nv, &off, &n);
	if (nv != TV_NONE)
		rp->cur = tv_vis_line(rp->tv, nv);
}

static void move_lines(struct result_pane *rp, long delta)
{
	size_t v = cur_vis(rp), nvis = tv_visible(rp->tv);
	if (delta < 0)
		v = (size_t)-delta > v ? 0 : v - (size_t)-delta;
	else
		v = v + (size_t)delta >= nvis ? nvis - 1 : v + (size_t)delta;
	rp->cur = tv_vis_line(rp->tv, v);
}

/* In a line that does not wrap, scrolls sideways so that the first hit shows. */
static void show_hit(struct result_pane *rp)
{
	if (rp->wrap || rp->width <= 0)
		return;
	const tv_span *h;
	if (!tv_matches(rp->tv, rp->cur, rp->needle, &h))
		return;
	size_t len;
	const char *s = tv_line(rp->tv, rp->cur, &len);
	int col = tv_width(s, h[0].off), hw = tv_width(s + h[0].off, h[0].len);
	if (col < rp->hscroll || col + hw > rp->hscroll + rp->width)
		rp->hscroll = col + hw <= rp->width ? 0 : col - rp->width / 3;
}

static void search_go(console *c, int dir, bool first)
{
	struct result_pane *rp = RP(c);
	if (!rp->needle) {
		console_status(c, MSG_INFO, "No search yet: press / to search");
		return;
	}
	bool wrapped;
	/* a new search may find the cursor's own line */
	size_t from = first ? (rp->cur ? rp->cur - 1 : TV_NONE) : rp->cur;
	size_t hit = tv_search(rp->tv, rp->needle, from, dir, &wrapped);
	if (hit == TV_NONE) {
		console_status(c, MSG_WARN, "Not found: %s", rp->needle);
		return;
	}
	rp->cur = hit;
	show_hit(rp);
	size_t rank = hit_rank(rp, hit);
	if (wrapped)
		console_status(c, MSG_INFO, "Search wrapped to the %s: %s, match %zu of %zu",
			       dir > 0 ? "top" : "bottom", rp->needle, rank, rp->nhit_lines);
	else
		console_status(c, MSG_INFO, "%s: match %zu of %zu (line %zu of %zu)", rp->needle,
			       rank, rp->nhit_lines, hit + 1, tv_lines(rp->tv));
}

static void search_entered(console *c, const char *text, void *ud)
{
	(void)ud;
	struct result_pane *rp = RP(c);
	if (!text || !rp->tv)
		return;
	drop_search(rp);
	if (!*text) {
		console_status(c, MSG_INFO, "Search cleared");
		return;
	}
	if (strchr(text, '\n')) {
		console_status(c, MSG_WARN, "A search is one line of text");
		return;
	}
	rp->needle = kt_xstrdup(text);
	count_hits(rp);
	search_go(c, 1, true);
}

static const char *ext_of(int format)
{
	return format == KT_FORMAT_XML ? "xml" : format == KT_FORMAT_JSON ? "json" : "txt";
}

static void save_entered(console *c, const char *text, void *ud)
{
	(void)ud;
	struct result_pane *rp = RP(c);
	if (!text || !rp->tv)
		return;
	while (*text == ' ')
		text++;
	if (!*text) {
		console_status(c, MSG_INFO, "Not saved");
		return;
	}
	char *path = NULL;
	const char *home = getenv("HOME");
	if (text[0] == '~' && text[1] == '/' && home && *home)
		path = kt_xasprintf("%s%s", home, text + 1);
	else
		path = kt_xstrdup(text);
	size_t len;
	const char *data = tv_text(rp->tv, &len);
	kt_error err = { 0 };
	if (files_write_atomic(path, data, len, &err) < 0)
		console_status(c, MSG_ERROR, "Not saved: %s", err.msg);
	else
		console_status(c, MSG_OK, "Saved %zu lines (%zu bytes) to %s", tv_lines(rp->tv), len,
			       path);
	free(path);
}

static void copy(console *c)
{
	struct result_pane *rp = RP(c);
	size_t len, lines;
	char *owned = NULL;
	const char *data;
	if (rp->marking || rp->marked) {
		size_t a = rp->mark, b = rp->marking ? rp->cur : rp->mark_end;
		owned = tv_range(rp->tv, a, b, &len);
		data = owned;
		lines = (a > b ? a - b : b - a) + 1;
	} else {
		data = tv_text(rp->tv, &len);
		lines = tv_lines(rp->tv);
	}
	char *seq;
	size_t n;
	kt_error err = { 0 };
	if (clip_osc52(data, len, clip_in_tmux(), &seq, &n, &err) < 0) {
		console_status(c, MSG_ERROR, "Not copied: %s", err.msg);
	} else {
		console_emit(c, seq, n);
		free(seq);
		console_status(c, MSG_OK, "Copied %zu line%s (%zu bytes) to the clipboard (OSC 52)",
			       lines, lines == 1 ? "" : "s", len);
	}
	free(owned);
}

/* The value on the cursor line, without its quotes or tags ("0_abc", not "<id>0_abc</id>") */
static void copy_value(console *c)
{
	struct result_pane *rp = RP(c);
	char *v = tv_value(rp->tv, rp->cur);
	if (!v) {
		console_status(c, MSG_WARN, "This line holds no value to copy");
		return;
	}
	char *seq;
	size_t n, len = strlen(v);
	kt_error err = { 0 };
	if (clip_osc52(v, len, clip_in_tmux(), &seq, &n, &err) < 0) {
		console_status(c, MSG_ERROR, "Not copied: %s", err.msg);
	} else {
		console_emit(c, seq, n);
		free(seq);
		console_status(c, MSG_OK, "Copied the value (%zu bytes) to the clipboard (OSC 52)", len);
	}
	kt_free_secret(v);
}

static void use_ks(console *c)
{
	struct result_pane *rp = RP(c);
	char *v = tv_value(rp->tv, rp->cur);
	if (!v) {
		console_status(c, MSG_WARN, "This line holds no value to put into the session field");
		return;
	}
	console_set_ks(c, v);
	kt_free_secret(v);
}

static int fold(console *c, bool enter)
{
	struct result_pane *rp = RP(c);
	size_t line = rp->cur;
	if (tv_fold_end(rp->tv, line) == TV_NONE) {
		if (enter)
			return 0;
		/* f inside an element folds the element */
		line = TV_NONE;
		for (size_t i = rp->cur; i-- > 0;) {
			size_t e = tv_fold_end(rp->tv, i);
			if (e != TV_NONE && e >= rp->cur) {
				line = i;
				break;
			}
		}
		if (line == TV_NONE) {
			console_status(c, MSG_INFO, "Nothing to fold here");
			return H_HANDLED;
		}
	}
	tv_fold_toggle(rp->tv, line);
	rp->cur = line;
	return H_HANDLED | H_REDRAW;
}

static int result_action(console *c, kt_action a)
{
	struct result_pane *rp = RP(c);
	if (!rp)
		return 0;
	if (a == ACT_CANCEL && !c->sending && (rp->marking || rp->marked || rp->needle)) {
		/* Esc first drops the selection, then the search highlight */
		if (rp->marking || rp->marked)
			rp->marking = rp->marked = false;
		else
			drop_search(rp);
		return H_HANDLED | H_REDRAW;
	}
	if (!rp->tv) {
		switch (a) {
		case ACT_SEARCH: case ACT_SEARCH_NEXT: case ACT_SEARCH_PREV: case ACT_FOLD:
		case ACT_FOLD_ALL: case ACT_MARK: case ACT_COPY: case ACT_SAVE: case ACT_USE_KS:
		case ACT_COPY_VALUE:
			console_status(c, MSG_INFO, "No result yet: " HINT);
			return H_HANDLED;
		case ACT_WRAP:
			rp->wrap = !rp->wrap;
			return H_HANDLED | H_REDRAW;
		default:
			return 0;
		}
	}
	long page = rp->page > 1 ? rp->page - 1 : 1;
	switch (a) {
	case ACT_SCROLL_RIGHT:
		if (rp->wrap)
			return 0;
		rp->hscroll += HSTEP;
		break;
	case ACT_SCROLL_LEFT:
		if (rp->wrap)
			return 0;
		rp->hscroll = rp->hscroll > HSTEP ? rp->hscroll - HSTEP : 0;
		break;
	case ACT_UP: move_lines(rp, -1); break;
	case ACT_DOWN: move_lines(rp, 1); break;
	case ACT_PAGE_UP:
		move_rows(rp, -page);
		rp->top = rp->top > (size_t)page ? rp->top - (size_t)page : 0;
		break;
	case ACT_PAGE_DOWN:
		move_rows(rp, page);
		rp->top += (size_t)page;
		break;
	case ACT_TOP:
		rp->cur = tv_vis_line(rp->tv, 0);
		rp->top = 0;
		rp->hscroll = 0;
		break;
	case ACT_BOTTOM:
		rp->cur = tv_vis_line(rp->tv, tv_visible(rp->tv) ? tv_visible(rp->tv) - 1 : 0);
		break;
	case ACT_SEARCH:
		console_prompt(c, "Search: ", rp->needle ? rp->needle : "", search_entered, NULL);
		break;
	case ACT_SEARCH_NEXT: search_go(c, 1, false); break;
	case ACT_SEARCH_PREV: search_go(c, -1, false); break;
	case ACT_WRAP: {
		size_t v = cur_vis(rp), row = tv_row_of_vis(rp->tv, v);
		size_t off = row >= rp->top ? row - rp->top : 0;
		rp->wrap = !rp->wrap;
		tv_set_wrap(rp->tv, rp->wrap, rp->width > 0 ? rp->width : 80);
		row = tv_row_of_vis(rp->tv, v);
		rp->top = row > off ? row - off : 0;
		rp->hscroll = 0;
		console_status(c, MSG_INFO, rp->wrap ? "Long lines wrap (w: no wrapping)"
						     : "Long lines do not wrap (Left/Right scroll)");
		break;
	}
	case ACT_SELECT: return fold(c, true);
	case ACT_FOLD: return fold(c, false);
	case ACT_FOLD_ALL: {
		bool any = false;
		for (size_t v = 0; v < tv_visible(rp->tv) && !any; v++)
			any = tv_folded(rp->tv, tv_vis_line(rp->tv, v));
		if (any) {
			tv_unfold_all(rp->tv);
			console_status(c, MSG_INFO, "Everything unfolded");
		} else {
			/* XML keeps <xml> and <result> open: the properties show */
			size_t n = tv_fold_all(rp->tv, rp->format == KT_FORMAT_XML ? 2 : 1);
			console_status(c, MSG_INFO, "%zu element%s folded (F unfolds all)", n,
				       n == 1 ? "" : "s");
		}
		cur_vis(rp);
		break;
	}
	case ACT_MARK:
		if (rp->marking) {
			rp->marking = false;
			rp->marked = true;
			rp->mark_end = rp->cur;
			size_t n = (rp->mark > rp->cur ? rp->mark - rp->cur : rp->cur - rp->mark) + 1;
			console_status(c, MSG_INFO, "%zu line%s selected: y copies, Esc drops", n,
				       n == 1 ? "" : "s");
		} else {
			rp->marking = true;
			rp->marked = false;
			rp->mark = rp->cur;
			console_status(c, MSG_INFO, "Selecting: move, then v ends the selection");
		}
		break;
	case ACT_COPY: copy(c); break;
	case ACT_COPY_VALUE: copy_value(c); break;
	case ACT_SAVE: {
		char *def = kt_xasprintf("./result-%s.%s", c->res.title ? c->res.title : "result",
					 ext_of(rp->format));
		console_prompt(c, "Save to: ", def, save_entered, NULL);
		free(def);
		break;
	}
	case ACT_USE_KS: use_ks(c); break;
	default: return 0;
	}
	return H_HANDLED | H_REDRAW;
}


static int result_click(console *c, int row, int col)
{
	(void)col;
	struct result_pane *rp = RP(c);
	if (!rp || !rp->tv)
		return H_HANDLED;
	int head = rp->head;
	if (row < head || rp->page <= 0)
		return H_HANDLED;
	size_t v, off, n;
	tv_row(rp->tv, rp->top + (size_t)(row - head), &v, &off, &n);
	if (v != TV_NONE)
		rp->cur = tv_vis_line(rp->tv, v);
	return H_HANDLED | H_REDRAW;
}

static bool result_editing(const console *c)
{
	(void)c;
	return false;
}

static void result_notify(console *c, ui_event ev)
{
	if (ev != EV_RESULT_ARRIVED)
		return;
	char *pretty = c->res_pretty;
	c->res_pretty = NULL;
	show(c, pretty);
}

const view_ops result_view = {
	.scope = SCOPE_RESULT,
	.open = result_open,
	.close = result_close,
	.notify = result_notify,
	.draw = result_draw,
	.title = result_title,
	.action = result_action,
	.click = result_click,
	.editing = result_editing,
};
