/* libFuzzer target: the result pane's model on text from the network. Input: the first byte
 * picks the format (low two bits: plain, XML, JSON, plain) and the wrap width (the rest, 1..64);
 * the rest is the text. The search needle is a piece of that text. Every call the pane makes is
 * made on every line, and what the header promises is checked. */
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "response.h"
#include "textview.h"
#include "util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* widths and wrapping decode UTF-8, as in the console */
	if (!setlocale(LC_ALL, "C.UTF-8"))
		abort();
	return 0;
}

static void check(bool ok)
{
	if (!ok)
		abort();
}

static void spans_and_values(textview *tv)
{
	size_t n = tv_lines(tv);
	for (size_t i = 0; i < n; i++) {
		size_t len;
		(void)tv_line(tv, i, &len);
		const tv_span *sp;
		size_t k = tv_spans(tv, i, &sp), at = 0;
		for (size_t j = 0; j < k; j++) {
			/* in order, within the line, roles the pane knows */
			check(sp[j].off >= at && sp[j].len && sp[j].off + sp[j].len <= len);
			check(sp[j].role < TV_ROLE_COUNT);
			at = sp[j].off + sp[j].len;
		}
		char *v = tv_value(tv, i);
		if (v)
			check(strlen(v) > 0);
		free(v);
		check(tv_line_of(tv, 0) == 0);
		size_t end = tv_fold_end(tv, i);
		check(end == TV_NONE || (end > i && end < n));
		(void)tv_depth(tv, i);
		check(tv_vis_line(tv, tv_vis_of(tv, i)) <= i);
	}
}

static void rows(textview *tv)
{
	size_t nr = tv_rows(tv), prev_vis = 0;
	for (size_t r = 0; r < nr; r++) {
		size_t vis, off, len, ll;
		tv_row(tv, r, &vis, &off, &len);
		check(vis < tv_visible(tv) && vis >= prev_vis);
		(void)tv_line(tv, tv_vis_line(tv, vis), &ll);
		check(off <= ll && len <= ll - off);
		check(tv_row_of_vis(tv, vis) <= r);
		prev_vis = vis;
	}
	/* a row drawn out of order, then one past the end */
	if (nr) {
		size_t vis, off, len;
		tv_row(tv, nr / 2, &vis, &off, &len);
		tv_row(tv, 0, &vis, &off, &len);
	}
	size_t vis, off, len;
	tv_row(tv, nr, &vis, &off, &len);
	check(vis == TV_NONE && !len);
}

static void search(textview *tv, const char *needle)
{
	size_t n = tv_lines(tv);
	for (int dir = -1; dir <= 1; dir += 2) {
		bool wrapped;
		size_t from = TV_NONE, first = TV_NONE;
		/* a few steps round the text each way */
		for (int k = 0; k < 4; k++) {
			size_t at = tv_search(tv, needle, from, dir, &wrapped);
			if (at == TV_NONE)
				break;
			check(at < n);
			/* the line found is shown */
			check(tv_vis_line(tv, tv_vis_of(tv, at)) == at);
			const tv_span *hits;
			size_t h = tv_matches(tv, at, needle, &hits), len;
			(void)tv_line(tv, at, &len);
			for (size_t j = 0; j < h; j++)
				check(hits[j].off + hits[j].len <= len);
			if (first == TV_NONE)
				first = at;
			from = at;
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int formats[] = {0, KT_FORMAT_XML, KT_FORMAT_JSON, 0};
	if (!size)
		return 0;
	int format = formats[data[0] & 3], width = 1 + (data[0] >> 2);
	size_t len = size - 1;
	/* an exact heap block: tv_new needs no NUL after the text, so ASan sees any read past it */
	char *text = kt_xmalloc(len ? len : 1);
	memcpy(text, data + 1, len);

	/* the needle: up to 6 bytes from the middle of the text, one line, no NUL */
	char needle[8] = "";
	size_t m = 0;
	for (size_t i = len / 2; i < len && m < 1 + (size_t)(data[0] % 6); i++) {
		if (text[i] == '\n' || !text[i])
			break;
		needle[m++] = text[i];
	}
	needle[m] = '\0';

	textview *tv = tv_new(text, len, format);
	size_t n = tv_lines(tv);
	check(tv_visible(tv) == n);
	spans_and_values(tv);

	size_t folded = tv_fold_all(tv, 0);
	check(tv_visible(tv) <= n && (!n || tv_visible(tv)));
	(void)folded;
	spans_and_values(tv);
	tv_set_wrap(tv, true, width);
	rows(tv);
	search(tv, needle);
	search(tv, "a");
	tv_unfold_all(tv);
	check(tv_visible(tv) == n);

	/* every fold one by one, the rows re-laid each time */
	for (size_t i = 0; i < n; i++) {
		if (tv_fold_toggle(tv, i)) {
			check(tv_folded(tv, i));
			if (i % 3 == 0)
				check(tv_fold_toggle(tv, i) && !tv_folded(tv, i));
		}
	}
	rows(tv);
	for (size_t i = n; i-- > 0;)
		(void)tv_reveal(tv, i);
	check(tv_visible(tv) == n);
	tv_fold_all(tv, 1);
	tv_set_wrap(tv, true, width + 7);
	rows(tv);
	tv_set_wrap(tv, false, 0);
	rows(tv);
	search(tv, needle);

	size_t rl, tl;
	(void)tv_text(tv, &tl);
	char *all = tv_range(tv, 0, TV_NONE, &rl);
	check(rl == tl && !memcmp(all, text, rl));
	free(all);
	char *part = tv_range(tv, n, n / 2, &rl);
	check(strlen(part) <= rl);
	free(part);
	check(tv_width(text, len) >= 0);
	check(tv_skip_cols(text, len, width) <= len);

	tv_free(tv);
	return 0;
}
