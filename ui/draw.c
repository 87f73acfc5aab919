/* draw: colours and clipped UTF-8 text for every pane. Colours come from the 16 ANSI ones on
 * the terminal's own background, so light and dark themes both read; NO_COLOR gives attributes
 * only. */
#include "ui.h"

#include <stdlib.h>
#include <string.h>

static attr_t roles[UI_COUNT];

void ui_colors_init(void)
{
	const char *nc = getenv("NO_COLOR");
	bool color = has_colors() && !(nc && *nc);
	/* without colour: shapes only */
	roles[UI_NORMAL] = A_NORMAL;
	roles[UI_TITLE] = A_REVERSE;
	roles[UI_TITLE_FOCUS] = A_REVERSE | A_BOLD;
	roles[UI_CURSOR] = A_REVERSE;
	roles[UI_CURSOR_DIM] = A_UNDERLINE;
	roles[UI_DIM] = A_DIM;
	roles[UI_WARN] = A_BOLD;
	roles[UI_ERROR] = A_BOLD;
	roles[UI_OK] = A_NORMAL;
	roles[UI_KEY] = A_BOLD;
	roles[UI_TAG] = A_BOLD;
	roles[UI_ATTR] = A_NORMAL;
	roles[UI_STRING] = A_NORMAL;
	roles[UI_NUMBER] = A_NORMAL;
	roles[UI_PUNCT] = A_NORMAL;
	roles[UI_MATCH] = A_REVERSE | A_BOLD;
	roles[UI_MARK] = A_STANDOUT | A_UNDERLINE;
	roles[UI_INVALID] = A_BOLD | A_UNDERLINE;
	if (!color)
		return;
	start_color();
	use_default_colors();
	static const struct {
		ui_role role;
		short fg, bg;
		attr_t extra;
	} pairs[] = {
		{ UI_TITLE_FOCUS, COLOR_BLACK, COLOR_CYAN, A_BOLD },
		{ UI_WARN, COLOR_MAGENTA, -1, A_BOLD },
		{ UI_ERROR, COLOR_RED, -1, A_BOLD },
		{ UI_OK, COLOR_GREEN, -1, A_NORMAL },
		{ UI_KEY, COLOR_CYAN, -1, A_BOLD },
		{ UI_TAG, COLOR_BLUE, -1, A_BOLD },
		{ UI_ATTR, COLOR_CYAN, -1, A_NORMAL },
		{ UI_STRING, COLOR_GREEN, -1, A_NORMAL },
		{ UI_NUMBER, COLOR_MAGENTA, -1, A_NORMAL },
		{ UI_MATCH, COLOR_BLACK, COLOR_YELLOW, A_NORMAL },
		{ UI_MARK, COLOR_WHITE, COLOR_BLUE, A_NORMAL },
		{ UI_INVALID, COLOR_RED, -1, A_BOLD | A_UNDERLINE },
	};
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		if ((int)i + 1 >= COLOR_PAIRS)
			break;
		init_pair((short)(i + 1), pairs[i].fg, pairs[i].bg);
		roles[pairs[i].role] = COLOR_PAIR((int)i + 1) | pairs[i].extra;
	}
}

attr_t ui_attr(ui_role r)
{
	return r < UI_COUNT ? roles[r] : A_NORMAL;
}

void ui_fill(int y, int x, int w, attr_t a)
{
	if (w <= 0)
		return;
	attrset(a);
	mvhline(y, x, ' ', w);
	attrset(A_NORMAL);
}

int ui_text(int y, int x, int w, const char *s, size_t len, attr_t a)
{
	if (w <= 0 || !s)
		return 0;
	if (len == (size_t)-1)
		len = strlen(s);
	wchar_t buf[512];
	int cols = 0, n = 0;
	const char *p = s, *end = s + len;
	mbstate_t st;
	memset(&st, 0, sizeof st);
	attrset(a);
	move(y, x);
	while (p < end && cols < w) {
		wchar_t wc;
		size_t k = mbrtowc(&wc, p, (size_t)(end - p), &st);
		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			memset(&st, 0, sizeof st);
			wc = L'?';
			k = 1;
		}
		int cw = wcwidth(wc);
		if (cw < 0 || wc < 0x20 || wc == 0x7f) {
			wc = wc == L'\t' ? L' ' : L'?';
			cw = 1;
		}
		if (cols + cw > w)
			break;
		buf[n++] = wc;
		cols += cw;
		p += k;
		if (n == (int)(sizeof buf / sizeof buf[0])) {
			addnwstr(buf, n);
			n = 0;
		}
	}
	if (n)
		addnwstr(buf, n);
	attrset(A_NORMAL);
	return cols;
}
