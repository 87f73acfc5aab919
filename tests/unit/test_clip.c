#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "clip.h"
#include "util.h"

/* A plain base64 decoder, written apart from the encoder under test. */
static unsigned char *b64_decode(const char *s, size_t n, size_t *out_len)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	cr_assert_eq(n % 4, 0, "base64 of %zu characters", n);
	unsigned char *out = kt_xmalloc(n / 4 * 3 + 1);
	size_t o = 0;
	for (size_t i = 0; i < n; i += 4) {
		unsigned v = 0;
		int pad = 0;
		for (int k = 0; k < 4; k++) {
			char c = s[i + k];
			const char *p = c ? strchr(abc, c) : NULL;
			if (c == '=') {
				pad++;
				v <<= 6;
				continue;
			}
			cr_assert(p && !pad, "bad base64 character %d at %zu", c, i + (size_t)k);
			v = (v << 6) | (unsigned)(p - abc);
		}
		out[o++] = (unsigned char)(v >> 16);
		if (pad < 2)
			out[o++] = (unsigned char)(v >> 8);
		if (pad < 1)
			out[o++] = (unsigned char)v;
	}
	*out_len = o;
	return out;
}

/* Checks one ESC ] 52 ; c ; ... BEL at s and returns what it carries; *used is its length. */
static unsigned char *osc52_payload(const char *s, size_t n, size_t *used, size_t *len)
{
	cr_assert(n > 7 && !memcmp(s, "\033]52;c;", 7), "not an OSC 52: %.10s", s);
	const char *bel = memchr(s, '\a', n);
	cr_assert_not_null(bel);
	*used = (size_t)(bel - s) + 1;
	return b64_decode(s + 7, (size_t)(bel - s) - 7, len);
}

static void roundtrip(const void *data, size_t len)
{
	char *out;
	size_t n, used, got;
	kt_error err = { 0 };
	cr_assert_eq(clip_osc52(data, len, false, &out, &n, &err), 0, "%s", err.msg);
	cr_assert_eq(strlen(out), n);
	cr_assert_null(memchr(out, '\n', n), "line breaks in the sequence");
	unsigned char *p = osc52_payload(out, n, &used, &got);
	cr_assert_eq(used, n, "bytes after the sequence");
	cr_assert_eq(got, len);
	cr_assert(!len || !memcmp(p, data, len));
	free(p);
	free(out);
}

Test(clip, roundtrips)
{
	roundtrip("hello", 5);
	roundtrip("", 0);
	roundtrip("a", 1);
	roundtrip("ab", 2);
	roundtrip("abc", 3);
	roundtrip("<xml>\n  <id>5</id>\n</xml>\n", 25);
	unsigned char bin[256];
	for (int i = 0; i < 256; i++)
		bin[i] = (unsigned char)(255 - i);
	roundtrip(bin, sizeof bin);
	roundtrip("日本語 é", strlen("日本語 é"));
}

Test(clip, tmux_passthrough)
{
	const char *text = "djJ8MTIzNDV8 KS?";
	char *out;
	size_t n, used, got;
	kt_error err = { 0 };
	cr_assert_eq(clip_osc52(text, strlen(text), true, &out, &n, &err), 0);
	/* first the plain sequence (tmux with set-clipboard on takes it) */
	unsigned char *p = osc52_payload(out, n, &used, &got);
	cr_assert_eq(got, strlen(text));
	cr_assert(!memcmp(p, text, got));
	free(p);
	/* then the same inside tmux's passthrough, with its ESC doubled */
	const char *t = out + used;
	size_t tn = n - used;
	cr_assert(tn > 8 && !memcmp(t, "\033Ptmux;\033", 8), "no passthrough: %.12s", t);
	cr_assert(!memcmp(t + tn - 2, "\033\\", 2), "passthrough not terminated");
	size_t inner_used;
	p = osc52_payload(t + 8, tn - 10, &inner_used, &got);
	cr_assert_eq(inner_used, tn - 10);
	cr_assert_eq(got, strlen(text));
	cr_assert(!memcmp(p, text, got));
	free(p);
	free(out);
}

Test(clip, refuses_too_much)
{
	size_t len = CLIP_MAX_BYTES + 1;
	char *big = kt_xmalloc(len);
	memset(big, 'x', len);
	char *out = (char *)"untouched";
	size_t n = 7;
	kt_error err = { 0 };
	cr_assert_eq(clip_osc52(big, len, false, &out, &n, &err), -1);
	cr_assert_null(out);
	cr_assert_eq(n, 0);
	cr_assert_eq(err.code, KT_E_USAGE);
	cr_assert(strstr(err.msg, "clipboard") && strstr(err.msg, "save"), "%s", err.msg);
	/* the limit itself still goes */
	cr_assert_eq(clip_osc52(big, CLIP_MAX_BYTES, false, &out, &n, &err), 0);
	cr_assert_gt(n, CLIP_MAX_BYTES);
	free(out);
	free(big);
}

Test(clip, tmux_from_environment)
{
	const char *old = getenv("TMUX");
	char *keep = old ? kt_xstrdup(old) : NULL;
	setenv("TMUX", "/tmp/tmux-0/default,1,0", 1);
	cr_assert(clip_in_tmux());
	setenv("TMUX", "", 1);
	cr_assert_not(clip_in_tmux());
	unsetenv("TMUX");
	cr_assert_not(clip_in_tmux());
	if (keep)
		setenv("TMUX", keep, 1);
	free(keep);
}
