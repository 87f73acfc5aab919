/* clip: the OSC 52 escape that puts text on the terminal's clipboard, which works over ssh and,
 * through its passthrough form, inside tmux. */
#ifndef KT_CLIP_H
#define KT_CLIP_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

/* Many terminals drop longer sequences. */
#define CLIP_MAX_BYTES (1024u * 1024u)

/* The bytes to write to the terminal for data: ESC ] 52 ; c ; BASE64 BEL, and with tmux also
 * the same wrapped for tmux's passthrough (ESC P tmux; ESC ESC ] 52 ; c ; BASE64 BEL ESC \).
 * malloc'd into *out (NUL-terminated, *outlen without it). Over CLIP_MAX_BYTES: KT_E_USAGE with
 * a sentence that says so. */
int clip_osc52(const void *data, size_t len, bool tmux, char **out, size_t *outlen,
	       kt_error *err);

/* true when running inside tmux ($TMUX set). */
bool clip_in_tmux(void);

#endif
