#include "clip.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "util.h"

int clip_osc52(const void *data, size_t len, bool tmux, char **out, size_t *outlen,
	       kt_error *err)
{
	*out = NULL;
	*outlen = 0;
	if (len > CLIP_MAX_BYTES)
		return kt_fail(err, KT_E_USAGE,
			       "%zu bytes is more than the terminal clipboard takes (%u KB): select "
			       "fewer lines, or save the result to a file",
			       len, CLIP_MAX_BYTES / 1024);
	/* EVP_EncodeBlock writes one line, without the breaks EVP_EncodeUpdate puts in */
	char *b64 = kt_xmalloc(4 * ((len + 2) / 3) + 1);
	int n = EVP_EncodeBlock((unsigned char *)b64, data ? data : (const void *)"", (int)len);
	if (n < 0) {
		free(b64);
		return kt_fail(err, KT_E_INTERNAL, "OpenSSL could not encode the clipboard text");
	}
	b64[n] = '\0';
	kt_buf b;
	kt_buf_init(&b);
	kt_buf_printf(&b, "\033]52;c;%s\a", b64);
	if (tmux)
		kt_buf_printf(&b, "\033Ptmux;\033\033]52;c;%s\a\033\\", b64);
	free(b64);
	*outlen = b.len;
	*out = kt_buf_steal(&b);
	return 0;
}

bool clip_in_tmux(void)
{
	const char *t = getenv("TMUX");
	return t && *t;
}
