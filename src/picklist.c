#include "picklist.h"

#include <stdlib.h>

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
