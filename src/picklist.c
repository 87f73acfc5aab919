#include "picklist.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

void pick_free(picklist *p)
{
	free(p->shown);
	*p = (picklist){ 0 };
}

void pick_filter(picklist *p, size_t n, bool (*match)(size_t i, void *ud), void *ud)
{
	size_t keep = pick_item(p);
	if (p->cap < n + 1) {
		p->cap = n + 1;
		p->shown = kt_xrealloc(p->shown, p->cap * sizeof *p->shown);
	}
	p->nshown = 0;
	p->cur = 0;
	for (size_t i = 0; i < n; i++) {
		if (match && !match(i, ud))
			continue;
		if (i == keep)
			p->cur = p->nshown;
		p->shown[p->nshown++] = i;
	}
	if (p->cur < p->top)
		p->top = p->cur;
}

bool pick_move(picklist *p, kt_action a, size_t page)
{
	size_t last = p->nshown ? p->nshown - 1 : 0;
	if (!page)
		page = 1;
	switch (a) {
	case ACT_UP: p->cur = p->cur ? p->cur - 1 : 0; break;
	case ACT_DOWN: p->cur = p->cur < last ? p->cur + 1 : last; break;
	case ACT_PAGE_UP: p->cur = p->cur > page ? p->cur - page : 0; break;
	case ACT_PAGE_DOWN: p->cur = p->cur + page < last ? p->cur + page : last; break;
	case ACT_TOP: p->cur = 0; break;
	case ACT_BOTTOM: p->cur = last; break;
	default: return false;
	}
	return true;
}

bool pick_set(picklist *p, size_t i)
{
	if (i >= p->nshown)
		return false;
	p->cur = i;
	return true;
}

void pick_scroll(picklist *p, size_t rows)
{
	if (!rows)
		rows = 1;
	if (p->cur < p->top)
		p->top = p->cur;
	if (p->cur >= p->top + rows)
		p->top = p->cur - rows + 1;
}

size_t pick_item(const picklist *p)
{
	return p->cur < p->nshown ? p->shown[p->cur] : PICK_NONE;
}

/* A word starts after a non-letter-or-digit, or at a capital after a lowercase letter. */
static bool word_start(const char *name, size_t i)
{
	unsigned char prev = (unsigned char)name[i - 1], here = (unsigned char)name[i];
	return !isalnum(prev) || (isupper(here) && islower(prev));
}

int pick_score(const char *name, const char *word)
{
	size_t wl = strlen(word), nl = strlen(name);
	if (!wl)
		return 0;
	if (wl > nl)
		return -1;
	if (!strncasecmp(name, word, wl))
		return wl == nl ? 0 : 1;
	bool any = false;
	for (size_t i = 1; i + wl <= nl; i++) {
		if (strncasecmp(name + i, word, wl))
			continue;
		if (word_start(name, i))
			return 2;
		any = true;
	}
	return any ? 3 : -1;
}

void pick_rank(picklist *p, size_t n, int (*score)(size_t i, void *ud), void *ud)
{
	if (p->cap < n + 1) {
		p->cap = n + 1;
		p->shown = kt_xrealloc(p->shown, p->cap * sizeof *p->shown);
	}
	int *sc = kt_xmalloc((n ? n : 1) * sizeof *sc);
	for (size_t i = 0; i < n; i++)
		sc[i] = score(i, ud);
	p->nshown = 0;
	for (int want = 0; want <= 3; want++)
		for (size_t i = 0; i < n; i++)
			if (sc[i] == want)
				p->shown[p->nshown++] = i;
	free(sc);
	p->cur = p->top = 0;
}

bool pick_select(picklist *p, size_t item)
{
	for (size_t i = 0; i < p->nshown; i++)
		if (p->shown[i] == item) {
			p->cur = i;
			return true;
		}
	return false;
}
