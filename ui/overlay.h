/* overlay: the console's modal overlays (chooser, help, welcome) and the one-line prompt. The
 * panes reach the chooser and the prompt through console_choose and console_prompt (ui.h);
 * this interface is the core's (console.c). */
#ifndef KT_OVERLAY_H
#define KT_OVERLAY_H

#include <stdbool.h>

#include "ui.h"

struct overlays *overlay_new(void);
void overlay_free(console *c); /* the stack and the prompt; c->overlays becomes NULL */
/* true while a text view (help, welcome, code, KS) or a chooser covers the panes and takes
 * every key */
bool overlay_open(const console *c);
/* true while the prompt holds the status line and takes every key */
bool overlay_prompting(const console *c);
void overlay_help(console *c);
void overlay_welcome(console *c);
/* A key for the top overlay: H_HANDLED, H_QUIT when it quits, or 0 when it closed a text view
 * and the core may still act on the key (an F-key; any key from the welcome panel). */
int overlay_key(console *c, const ui_key *key);
/* A key for the prompt; Enter or Esc closes it and calls its callback. */
void overlay_prompt_key(console *c, const ui_key *key);
/* A bracketed paste for the prompt or the chooser's filter; false when neither is open. */
bool overlay_paste(console *c, const char *text, size_t len);
/* A click at y,x: on a chooser's row, chooses it (hit-tested on the rectangle drawn). false
 * when no overlay is open (the click is not the overlays'). */
bool overlay_click(console *c, int y, int x);
/* Draws the open overlay, if any, over the panes. */
void overlay_draw(console *c);
/* Draws the prompt in the status line r; false when there is none. */
bool overlay_draw_prompt(console *c, kt_rect r);

#endif
