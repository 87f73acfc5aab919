#include "ks.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "utf8.h"
#include "util.h"

enum { SHA1_LEN = 20, RAND_LEN = 16, AES_BLOCK = 16 };

/* Far above any real KS; keeps a pasted file or a flood from being decoded at all. */
#define KS_MAX_LEN (1u << 20)

/* A short, printable excerpt of untrusted text for an error message. */
static const char *excerpt(const char *s, size_t n, char *buf, size_t bufsz)
{
	size_t i, max = bufsz - 4;
	for (i = 0; i < n && i < max; i++)
		buf[i] = isprint((unsigned char)s[i]) ? s[i] : '?';
	if (i < n) {
		memcpy(buf + i, "...", 4);
		return buf;
	}
	buf[i] = '\0';
	return buf;
}

/* ---- hashing and base64 ---- */

static int digest(const EVP_MD *md, const void *p, size_t n, unsigned char *out, kt_error *err)
{
	if (!EVP_Digest(p, n, out, NULL, md, NULL))
		return kt_fail(err, KT_E_INTERNAL, "OpenSSL could not compute a %s digest",
			       EVP_MD_get0_name(md));
	return 0;
}

/* sha1(a + b) */
static int sha1_2(const void *a, size_t an, const void *b, size_t bn, unsigned char *out,
		  kt_error *err)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) &&
		 EVP_DigestUpdate(ctx, a, an) && EVP_DigestUpdate(ctx, b, bn) &&
		 EVP_DigestFinal_ex(ctx, out, NULL);
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : kt_fail(err, KT_E_INTERNAL, "OpenSSL could not compute a SHA-1 digest");
}

static char *b64_encode(const unsigned char *p, size_t n, bool urlsafe)
{
	char *out = kt_xmalloc(4 * ((n + 2) / 3) + 1);
	int len = EVP_EncodeBlock((unsigned char *)out, p, (int)n);
	out[len] = '\0';
	for (char *c = out; urlsafe && *c; c++) {
		if (*c == '+')
			*c = '-';
		else if (*c == '/')
			*c = '_';
	}
	return out;
}

static int b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

/* Either alphabet, '=' padding optional; *out is NUL-terminated for convenience. */
static int b64_decode(const char *s, size_t n, unsigned char **out, size_t *outlen, kt_error *err)
{
	size_t pad = 0, body;
	while (pad < n && s[n - 1 - pad] == '=')
		pad++;
	body = n - pad;
	if (pad > 2 || body % 4 == 1)
		return kt_fail(err, KT_E_NOTKS, "not a KS: its length does not fit base64 (truncated?)");
	for (size_t i = 0; i < body; i++)
		if (b64_value(s[i]) < 0)
			return kt_fail(err, KT_E_NOTKS, "not a KS: byte %zu ('%c') is not base64", i + 1,
				       isprint((unsigned char)s[i]) ? s[i] : '?');
	if (pad && (body + pad) % 4)
		return kt_fail(err, KT_E_NOTKS, "not a KS: its base64 padding is wrong");

	/* EVP_DecodeBlock wants the standard alphabet and whole quads, and counts padding as data */
	size_t missing = (4 - body % 4) % 4;
	unsigned char *in = kt_xmalloc(body + missing + 1);
	for (size_t i = 0; i < body; i++)
		in[i] = s[i] == '-' ? '+' : s[i] == '_' ? '/' : (unsigned char)s[i];
	memset(in + body, '=', missing);
	*out = kt_xmalloc((body + missing) / 4 * 3 + 1);
	int len = EVP_DecodeBlock(*out, in, (int)(body + missing));
	free(in);
	if (len < 0) {
		free(*out);
		*out = NULL;
		return kt_fail(err, KT_E_NOTKS, "not a KS: it is not valid base64");
	}
	*outlen = (size_t)len - missing;
	(*out)[*outlen] = '\0';
	return 0;
}

/* ---- AES-128-CBC, zero IV, no padding (the server's mcrypt/openssl_encrypt setup) ---- */

static int aes_key(const char *secret, unsigned char key[AES_BLOCK], kt_error *err)
{
	unsigned char md[SHA1_LEN];
	if (digest(EVP_sha1(), secret, strlen(secret), md, err))
		return -1;
	memcpy(key, md, AES_BLOCK);
	OPENSSL_cleanse(md, sizeof md);
	return 0;
}

static int aes_cbc(bool enc, const char *secret, const unsigned char *in, size_t n,
		   unsigned char *out, kt_error *err)
{
	static const unsigned char iv[AES_BLOCK];
	unsigned char key[AES_BLOCK];
	int len1 = 0, len2 = 0, ok;
	if (aes_key(secret, key, err))
		return -1;
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	ok = ctx && EVP_CipherInit_ex(ctx, EVP_aes_128_cbc(), NULL, key, iv, enc) &&
	     EVP_CIPHER_CTX_set_padding(ctx, 0) &&
	     EVP_CipherUpdate(ctx, out, &len1, in, (int)n) &&
	     EVP_CipherFinal_ex(ctx, out + len1, &len2) && (size_t)(len1 + len2) == n;
	EVP_CIPHER_CTX_free(ctx);
	OPENSSL_cleanse(key, sizeof key);
	return ok ? 0 : kt_fail(err, KT_E_INTERNAL, "OpenSSL AES-128-CBC failed");
}

/* ---- v2 field encoding (PHP http_build_query / parse_str) ---- */

static void url_encode(kt_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (isalnum(*p) || *p == '.' || *p == '_' || *p == '-') {
			kt_buf_addc(b, (char)*p);
		} else if (*p == ' ') {
			kt_buf_addc(b, '+');
		} else {
			char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
			kt_buf_add(b, e, 3);
		}
	}
}

/* ---- privileges ---- */

static void privs_set(ks_privs *p, const char *name, size_t nlen, const char *value, size_t vlen)
{
	for (int i = 0; i < p->n; i++)
		if (strlen(p->items[i].name) == nlen && !memcmp(p->items[i].name, name, nlen)) {
			free(p->items[i].value);
			p->items[i].value = kt_xstrndup(value, vlen);
			return;
		}
	p->items = kt_xrealloc(p->items, (size_t)(p->n + 1) * sizeof *p->items);
	p->items[p->n].name = kt_xstrndup(name, nlen);
	p->items[p->n].value = kt_xstrndup(value, vlen);
	p->n++;
}

static bool php_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\0' || c == '\v';
}

void ks_privs_parse(const char *s, ks_privs *out)
{
	out->items = NULL;
	out->n = 0;
	if (!s)
		return;
	while (*s) {
		const char *end = strchr(s, ',');
		size_t len = end ? (size_t)(end - s) : strlen(s);
		const char *a = s, *z = s + len;
		while (a < z && php_space(*a))
			a++;
		while (z > a && php_space(z[-1]))
			z--;
		if (z - a == 1 && *a == '*') {
			privs_set(out, "all", 3, "*", 1);
		} else if (z > a) {
			const char *colon = memchr(a, ':', (size_t)(z - a));
			if (colon)
				privs_set(out, a, (size_t)(colon - a), colon + 1, (size_t)(z - colon - 1));
			else
				privs_set(out, a, (size_t)(z - a), "", 0);
		}
		s += len;
		if (*s == ',')
			s++;
	}
}

char *ks_privs_build(const ks_privs *p)
{
	kt_buf b;
	kt_buf_init(&b);
	for (int i = 0; i < p->n; i++) {
		if (i)
			kt_buf_addc(&b, ',');
		kt_buf_adds(&b, p->items[i].name);
		if (p->items[i].value[0]) {
			kt_buf_addc(&b, ':');
			kt_buf_adds(&b, p->items[i].value);
		}
	}
	if (b.len && !strcmp(b.data, "all:*")) {
		kt_buf_free(&b);
		return kt_xstrdup("*");
	}
	return kt_buf_steal(&b);
}

const ks_priv *ks_privs_find(const ks_privs *p, const char *name)
{
	for (int i = 0; i < p->n; i++)
		if (!strcmp(p->items[i].name, name))
			return &p->items[i];
	return NULL;
}

void ks_privs_free(ks_privs *p)
{
	for (int i = 0; i < p->n; i++) {
		free(p->items[i].name);
		free(p->items[i].value);
	}
	free(p->items);
	p->items = NULL;
	p->n = 0;
}

/* ---- generation ---- */

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

static bool is_set(const char *s)
{
	return s && *s;
}

void ks_microtime_format(long long sec, long nsec, char *out, size_t n)
{
	long frac = (nsec / 1000 + 50) / 100;
	if (frac >= 10000) {
		sec++;
		frac = 0;
	}
	int w = snprintf(out, n, "%lld", sec);
	if (frac && w > 0 && (size_t)w < n) {
		snprintf(out + w, n - (size_t)w, ".%04ld", frac);
		size_t len = strlen(out);
		while (out[len - 1] == '0')
			out[--len] = '\0';
	}
}

static void microtime_rand(char *out, size_t n)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ks_microtime_format((long long)ts.tv_sec, ts.tv_nsec, out, n);
}

static int check_v1_field(const char *what, const char *s, kt_error *err)
{
	if (s && strchr(s, ';'))
		return kt_fail(err, KT_E_USAGE,
			       "a v1 KS cannot hold ';' in its %s (its fields are ';'-separated; use v2)",
			       what);
	return 0;
}

static int generate_v1(const ks_fields *f, const char *secret, char **out, kt_error *err)
{
	char now[48];
	if (check_v1_field("user id", f->user, err) || check_v1_field("privileges", f->privileges, err) ||
	    check_v1_field("rand", f->rand, err) ||
	    check_v1_field("master partner id", f->master_partner_id, err) ||
	    check_v1_field("additional data", f->additional_data, err))
		return -1;
	if (!f->rand)
		microtime_rand(now, sizeof now);

	kt_buf info, ks;
	kt_buf_init(&info);
	kt_buf_printf(&info, "%lld;%lld;%lld;%d;%s;%s;%s;%s;%s", f->partner_id, f->partner_id,
		      f->valid_until, f->type, f->rand ? f->rand : now, or_empty(f->user),
		      or_empty(f->privileges), or_empty(f->master_partner_id),
		      or_empty(f->additional_data));
	unsigned char md[SHA1_LEN];
	char sig[2 * SHA1_LEN + 1];
	if (sha1_2(secret, strlen(secret), info.data, info.len, md, err)) {
		kt_buf_free(&info);
		return -1;
	}
	kt_hex(md, sizeof md, sig);
	kt_buf_init(&ks);
	kt_buf_adds(&ks, sig);
	kt_buf_addc(&ks, '|');
	kt_buf_add(&ks, info.data, info.len);
	*out = b64_encode((const unsigned char *)ks.data, ks.len, false);
	kt_buf_free(&info);
	kt_buf_free(&ks);
	return 0;
}

static void add_field(kt_buf *b, const char *name, const char *value)
{
	if (b->len)
		kt_buf_addc(b, '&');
	url_encode(b, name);
	kt_buf_addc(b, '=');
	url_encode(b, value);
}

static int generate_v2(const ks_fields *f, const char *secret, char **out, kt_error *err)
{
	unsigned char rnd[RAND_LEN];
	if (f->rand) {
		if (!kt_unhex(f->rand, rnd, sizeof rnd))
			return kt_fail(err, KT_E_USAGE, "the rand of a v2 KS must be 32 hex digits");
	} else if (RAND_bytes(rnd, sizeof rnd) != 1) {
		return kt_fail(err, KT_E_INTERNAL, "OpenSSL could not produce random bytes");
	}

	kt_buf fields;
	char num[32];
	ks_privs privs;
	kt_buf_init(&fields);
	ks_privs_parse(f->privileges, &privs);
	for (int i = 0; i < privs.n; i++)
		add_field(&fields, privs.items[i].name, privs.items[i].value);
	ks_privs_free(&privs);
	snprintf(num, sizeof num, "%lld", f->valid_until);
	add_field(&fields, "_e", num);
	snprintf(num, sizeof num, "%d", f->type);
	add_field(&fields, "_t", num);
	add_field(&fields, "_u", or_empty(f->user));
	if (is_set(f->master_partner_id))
		add_field(&fields, "_m", f->master_partner_id);
	if (is_set(f->additional_data))
		add_field(&fields, "_d", f->additional_data);

	size_t plain_len = SHA1_LEN + RAND_LEN + fields.len;
	size_t padded = (plain_len + AES_BLOCK - 1) / AES_BLOCK * AES_BLOCK;
	unsigned char *plain = kt_xcalloc(padded, 1);
	unsigned char *cipher = kt_xmalloc(padded);
	int rc = sha1_2(rnd, sizeof rnd, fields.data, fields.len, plain, err);
	memcpy(plain + SHA1_LEN, rnd, RAND_LEN);
	memcpy(plain + SHA1_LEN + RAND_LEN, fields.data, fields.len);
	kt_buf_free(&fields);
	if (!rc)
		rc = aes_cbc(true, secret, plain, padded, cipher, err);
	OPENSSL_cleanse(plain, padded);
	free(plain);
	if (!rc) {
		kt_buf raw;
		kt_buf_init(&raw);
		kt_buf_printf(&raw, "v2|%lld|", f->partner_id);
		kt_buf_add(&raw, cipher, padded);
		*out = b64_encode((const unsigned char *)raw.data, raw.len, true);
		kt_buf_free(&raw);
	}
	free(cipher);
	return rc;
}

int ks_generate(const ks_fields *f, const char *secret, char **out, kt_error *err)
{
	*out = NULL;
	if (f->version != 1 && f->version != 2)
		return kt_fail(err, KT_E_USAGE, "KS version %d does not exist (1 or 2)", f->version);
	if (f->partner_id < 0)
		return kt_fail(err, KT_E_USAGE, "the partner id must not be negative");
	if (f->type < 0)
		return kt_fail(err, KT_E_USAGE, "the session type must be 0 (USER) or 2 (ADMIN)");
	if (!is_set(secret))
		return kt_fail(err, KT_E_USAGE, "the admin secret is empty");
	return f->version == 1 ? generate_v1(f, secret, out, err) : generate_v2(f, secret, out, err);
}

/* ---- decoding ---- */

static int raw_decode(const char *ks, unsigned char **raw, size_t *n, kt_error *err)
{
	size_t len = strlen(ks);
	*raw = NULL;
	if (!len)
		return kt_fail(err, KT_E_NOTKS, "not a KS: the string is empty");
	if (len > KS_MAX_LEN)
		return kt_fail(err, KT_E_NOTKS, "not a KS: %zu bytes is far too long for a KS", len);
	if (b64_decode(ks, len, raw, n, err))
		return -1;
	if (!memchr(*raw, '|', *n)) {
		free(*raw);
		*raw = NULL;
		return kt_fail(err, KT_E_NOTKS, "not a KS: it decodes to data without a '|' separator");
	}
	return 0;
}

static int parse_num(const char *what, const char *s, size_t n, long long *out, kt_error *err)
{
	char buf[40];
	char *copy = kt_xstrndup(s, n);
	bool ok = kt_parse_ll(copy, out);
	free(copy);
	if (!ok)
		return kt_fail(err, KT_E_NOTKS, "not a KS: its %s '%s' is not a number", what,
			       excerpt(s, n, buf, sizeof buf));
	return 0;
}

static int parse_type(const char *s, size_t n, int *type, kt_error *err)
{
	long long t;
	if (parse_num("type", s, n, &t, err))
		return -1;
	if (t < INT_MIN || t > INT_MAX)
		return kt_fail(err, KT_E_NOTKS, "not a KS: its type %lld is out of range", t);
	*type = (int)t;
	return 0;
}

static bool is_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (utf8_hexval(s[i]) < 0)
			return false;
	return true;
}

static char *opt_field(const char *s, size_t n)
{
	return n ? kt_xstrndup(s, n) : NULL;
}

static int decode_v1(const char *raw, size_t n, const char *secret, ks_info *out, kt_error *err)
{
	const char *bar = memchr(raw, '|', n);
	const char *info = bar + 1, *end = raw + n;
	size_t siglen = (size_t)(bar - raw);
	char sig[2 * SHA1_LEN + 1], buf[40];
	if (siglen < 8 && siglen > 0 && raw[0] == 'v')
		return kt_fail(err, KT_E_NOTKS, "not a KS: KS version '%s' is unknown (1 or 2)",
			       excerpt(raw, siglen, buf, sizeof buf));
	if (siglen != 2 * SHA1_LEN || !is_hex(raw, siglen))
		return kt_fail(err, KT_E_NOTKS,
			       "not a KS: a v1 KS starts with 40 hex digits of signature and '|'");
	if (memchr(raw, '\0', n))
		return kt_fail(err, KT_E_NOTKS, "not a KS: it holds a NUL byte");

	const char *f[9];
	size_t flen[9];
	int nf = 0;
	for (const char *p = info;; nf++) {
		const char *semi = memchr(p, ';', (size_t)(end - p));
		const char *fe = semi ? semi : end;
		if (nf < 9) {
			f[nf] = p;
			flen[nf] = (size_t)(fe - p);
		}
		if (!semi) {
			nf++;
			break;
		}
		p = semi + 1;
	}
	if (nf < 7 || nf > 9)
		return kt_fail(err, KT_E_NOTKS,
			       "not a KS: a v1 KS has 7 to 9 ';'-separated fields, this one has %d "
			       "(truncated?)", nf);
	for (int i = nf; i < 9; i++) {
		f[i] = end;
		flen[i] = 0;
	}
	if (parse_num("partner id", f[0], flen[0], &out->partner_id, err) ||
	    parse_num("valid until", f[2], flen[2], &out->valid_until, err) ||
	    parse_type(f[3], flen[3], &out->type, err))
		return -1;

	out->version = 1;
	out->decoded = true;
	out->rand = kt_xstrndup(f[4], flen[4]);
	out->user = kt_xstrndup(f[5], flen[5]);
	out->privileges = kt_xstrndup(f[6], flen[6]);
	out->master_partner_id = opt_field(f[7], flen[7]);
	out->additional_data = opt_field(f[8], flen[8]);
	out->signature = KS_SIG_UNCHECKED;
	if (secret) {
		unsigned char md[SHA1_LEN];
		char want[2 * SHA1_LEN + 1];
		if (sha1_2(secret, strlen(secret), info, (size_t)(end - info), md, err))
			return -1;
		kt_hex(md, sizeof md, want);
		for (int i = 0; i < 2 * SHA1_LEN; i++)
			sig[i] = (char)tolower((unsigned char)raw[i]);
		out->signature = CRYPTO_memcmp(sig, want, 2 * SHA1_LEN) ? KS_SIG_INVALID : KS_SIG_VALID;
	}
	return 0;
}

/* Reads the decrypted query string the way the server's parse_str loop does. */
static int parse_v2_fields(const char *s, size_t n, ks_info *out, kt_error *err)
{
	const char *end = s + n;
	bool have_e = false, have_t = false;
	ks_privs privs = {NULL, 0};
	int rc = 0;
	while (s < end && !rc) {
		const char *amp = memchr(s, '&', (size_t)(end - s));
		const char *pe = amp ? amp : end;
		const char *eq = memchr(s, '=', (size_t)(pe - s));
		const char *ke = eq ? eq : pe;
		size_t klen, vlen;
		char *key = utf8_url_decode(s, (size_t)(ke - s), true, &klen);
		char *val = eq ? utf8_url_decode(eq + 1, (size_t)(pe - eq - 1), true, &vlen) : kt_xstrdup("");
		if (!eq)
			vlen = 0;
		if (strlen(key) != klen || strlen(val) != vlen) {
			rc = kt_fail(err, KT_E_NOTKS, "not a KS: a v2 field holds a NUL byte");
		} else if (!klen) {
			/* parse_str drops nameless pairs */
		} else if (!strcmp(key, "_e") || !strcmp(key, "_t")) {
			bool e = key[1] == 'e';
			rc = e ? parse_num("valid until", val, vlen, &out->valid_until, err)
			       : parse_type(val, vlen, &out->type, err);
			*(e ? &have_e : &have_t) = true;
		} else if (!strcmp(key, "_u") || !strcmp(key, "_m") || !strcmp(key, "_d")) {
			char **slot = key[1] == 'u' ? &out->user
				    : key[1] == 'm' ? &out->master_partner_id : &out->additional_data;
			free(*slot);
			*slot = kt_xstrdup(val);
		} else {
			privs_set(&privs, key, klen, val, vlen);
		}
		free(key);
		free(val);
		s = amp ? amp + 1 : end;
	}
	if (!rc && (!have_e || !have_t))
		rc = kt_fail(err, KT_E_NOTKS, "not a KS: its v2 fields lack %s",
			     have_e ? "_t (the type)" : "_e (valid until)");
	if (!rc) {
		out->privileges = ks_privs_build(&privs);
		if (!out->user)
			out->user = kt_xstrdup("");
		/* "when set" in the header means non-empty */
		if (out->master_partner_id && !*out->master_partner_id) {
			free(out->master_partner_id);
			out->master_partner_id = NULL;
		}
		if (out->additional_data && !*out->additional_data) {
			free(out->additional_data);
			out->additional_data = NULL;
		}
	}
	ks_privs_free(&privs);
	return rc;
}

static int decode_v2(const char *raw, size_t n, const char *secret, ks_info *out, kt_error *err)
{
	const char *pid = raw + 3, *end = raw + n;
	const char *bar = memchr(pid, '|', (size_t)(end - pid));
	if (!bar)
		return kt_fail(err, KT_E_NOTKS, "not a KS: a v2 KS reads v2|partner|data, this one "
			       "has no second '|' (truncated?)");
	if (parse_num("partner id", pid, (size_t)(bar - pid), &out->partner_id, err))
		return -1;
	out->version = 2;
	const unsigned char *ct = (const unsigned char *)bar + 1;
	size_t ctlen = (size_t)(end - bar - 1);
	if (!ctlen || ctlen % AES_BLOCK)
		return kt_fail(err, KT_E_NOTKS, "not a KS: its encrypted part is %zu bytes, not a "
			       "multiple of 16 (truncated?)", ctlen);
	out->signature = KS_SIG_UNCHECKED;
	if (!secret)
		return 0;

	unsigned char *plain = kt_xmalloc(ctlen);
	int rc = aes_cbc(false, secret, ct, ctlen, plain, err);
	size_t len = ctlen;
	while (len && plain[len - 1] == 0)
		len--;
	out->signature = KS_SIG_INVALID;
	if (!rc && len >= SHA1_LEN + RAND_LEN) {
		unsigned char md[SHA1_LEN];
		rc = digest(EVP_sha1(), plain + SHA1_LEN, len - SHA1_LEN, md, err);
		if (!rc && !CRYPTO_memcmp(md, plain, SHA1_LEN)) {
			char hex[2 * RAND_LEN + 1];
			kt_hex(plain + SHA1_LEN, RAND_LEN, hex);
			out->rand = kt_xstrdup(hex);
			rc = parse_v2_fields((const char *)plain + SHA1_LEN + RAND_LEN,
					     len - SHA1_LEN - RAND_LEN, out, err);
			if (!rc) {
				out->signature = KS_SIG_VALID;
				out->decoded = true;
			}
		}
	}
	OPENSSL_cleanse(plain, ctlen);
	free(plain);
	return rc;
}

void ks_info_free(ks_info *info)
{
	free(info->user);
	free(info->privileges);
	free(info->master_partner_id);
	free(info->additional_data);
	free(info->rand);
	memset(info, 0, sizeof *info);
}

int ks_decode(const char *ks, const char *secret, ks_info *out, kt_error *err)
{
	unsigned char *raw;
	size_t n;
	memset(out, 0, sizeof *out);
	if (!ks)
		return kt_fail(err, KT_E_NOTKS, "not a KS: no KS was given");
	if (raw_decode(ks, &raw, &n, err))
		return -1;
	int rc = n >= 3 && !memcmp(raw, "v2|", 3)
		 ? decode_v2((const char *)raw, n, secret, out, err)
		 : decode_v1((const char *)raw, n, secret, out, err);
	OPENSSL_cleanse(raw, n);
	free(raw);
	if (rc) {
		ks_info_free(out);
		return -1;
	}
	return 0;
}

/* ---- renew ---- */

/* A v1 KS keeps its exact text (seven or nine fields, its rand); only valid_until changes. */
static int renew_v1(const char *ks, const char *secret, long long valid_until, char **out,
		    kt_error *err)
{
	unsigned char *raw;
	size_t n;
	if (raw_decode(ks, &raw, &n, err))
		return -1;
	const char *info = strchr((const char *)raw, '|') + 1;
	const char *p = info;
	for (int i = 0; i < 2; i++)
		p = strchr(p, ';') + 1;
	const char *after = strchr(p, ';');

	kt_buf nk, b;
	kt_buf_init(&nk);
	kt_buf_add(&nk, info, (size_t)(p - info));
	kt_buf_printf(&nk, "%lld", valid_until);
	kt_buf_adds(&nk, after);
	free(raw);

	unsigned char md[SHA1_LEN];
	char sig[2 * SHA1_LEN + 1];
	if (sha1_2(secret, strlen(secret), nk.data, nk.len, md, err)) {
		kt_buf_free(&nk);
		return -1;
	}
	kt_hex(md, sizeof md, sig);
	kt_buf_init(&b);
	kt_buf_adds(&b, sig);
	kt_buf_addc(&b, '|');
	kt_buf_add(&b, nk.data, nk.len);
	*out = b64_encode((const unsigned char *)b.data, b.len, false);
	kt_buf_free(&b);
	kt_buf_free(&nk);
	return 0;
}

int ks_renew(const char *ks, const char *secret, long long expiry, char **out, kt_error *err)
{
	ks_info info;
	int rc;
	*out = NULL;
	if (!is_set(secret))
		return kt_fail(err, KT_E_USAGE, "renewing a KS needs its admin secret");
	long long now = (long long)time(NULL);
	if (expiry <= 0 || expiry > LLONG_MAX - now)
		return kt_fail(err, KT_E_USAGE, "the expiry must be a positive number of seconds");
	if (ks_decode(ks, secret, &info, err))
		return -1;
	if (info.signature != KS_SIG_VALID) {
		ks_info_free(&info);
		return kt_fail(err, KT_E_BADSIG, "KS signature does not match the secret");
	}
	if (info.version == 1) {
		rc = renew_v1(ks, secret, now + expiry, out, err);
	} else {
		ks_fields f = {
			.version = 2,
			.partner_id = info.partner_id,
			.valid_until = now + expiry,
			.type = info.type,
			.user = info.user,
			.privileges = info.privileges,
			.master_partner_id = info.master_partner_id,
			.additional_data = info.additional_data,
			.rand = NULL,
		};
		rc = ks_generate(&f, secret, out, err);
	}
	ks_info_free(&info);
	return rc;
}

/* ---- app tokens ---- */

int ks_apptoken_hash(const char *hash_type, const char *ks, const char *token, char **out,
		     kt_error *err)
{
	static const struct { const char *name; const EVP_MD *(*md)(void); } types[] = {
		{"sha1", EVP_sha1}, {"md5", EVP_md5}, {"sha256", EVP_sha256}, {"sha512", EVP_sha512},
	};
	const EVP_MD *md = NULL;
	*out = NULL;
	for (size_t i = 0; hash_type && i < sizeof types / sizeof types[0]; i++)
		if (!strcasecmp(hash_type, types[i].name))
			md = types[i].md();
	if (!md) {
		char buf[40];
		const char *t = hash_type ? hash_type : "";
		return kt_fail(err, KT_E_USAGE, "unknown hash type '%s' (sha1, md5, sha256 or sha512)",
			       excerpt(t, strlen(t), buf, sizeof buf));
	}
	if (!ks || !token)
		return kt_fail(err, KT_E_USAGE, "the app-token hash needs both a KS and a token");

	unsigned char h[EVP_MAX_MD_SIZE];
	unsigned int hlen = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = ctx && EVP_DigestInit_ex(ctx, md, NULL) && EVP_DigestUpdate(ctx, ks, strlen(ks)) &&
		 EVP_DigestUpdate(ctx, token, strlen(token)) && EVP_DigestFinal_ex(ctx, h, &hlen);
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return kt_fail(err, KT_E_INTERNAL, "OpenSSL could not compute the %s hash", hash_type);
	*out = kt_xmalloc(2 * hlen + 1);
	kt_hex(h, hlen, *out);
	return 0;
}

/* Control bytes in a KS field would drive the terminal; they are shown escaped. */
static void describe_value(kt_buf *b, const char *name, const char *v)
{
	kt_buf_printf(b, "%s: ", name);
	for (const unsigned char *p = (const unsigned char *)(v ? v : ""); *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			kt_buf_printf(b, "\\x%02x", *p);
		else
			kt_buf_addc(b, (char)*p);
	kt_buf_addc(b, '\n');
}

static void describe_valid_until(kt_buf *b, long long vu, long long now)
{
	/* 0001-01-01 .. 9999-12-31: what strftime can show as a plain date */
	static const long long min_t = -62135596800LL, max_t = 253402300799LL;
	long long left;
	char date[64] = "", span[64];
	if (vu >= min_t && vu <= max_t) {
		time_t t = (time_t)vu;
		struct tm tm;
		if (gmtime_r(&t, &tm) && strftime(date, sizeof date - 2, "%Y-%m-%d %H:%M:%S UTC", &tm))
			strcat(date, ", ");
		left = vu - now;
	} else {
		left = vu < 0 ? -max_t : max_t;
	}
	kt_format_span(left, span, sizeof span);
	if (left > 0)
		kt_buf_printf(b, "valid_until: %lld (%sexpires in %s)\n", vu, date, span);
	else
		kt_buf_printf(b, "valid_until: %lld (%sexpired %s ago)\n", vu, date, span);
}

char *ks_describe(const ks_info *info, long long now)
{
	kt_buf b;
	kt_buf_init(&b);
	kt_buf_printf(&b, "version: %d\npartner_id: %lld\n", info->version, info->partner_id);
	if (info->decoded) {
		describe_valid_until(&b, info->valid_until, now);
		kt_buf_printf(&b, "type: %d (%s)\n", info->type,
			      info->type == KS_TYPE_USER ? "USER" : info->type > 0 ? "ADMIN"
										: "unknown");
		describe_value(&b, "user", info->user);
		describe_value(&b, "privileges", info->privileges);
		if (info->master_partner_id)
			describe_value(&b, "master_partner_id", info->master_partner_id);
		if (info->additional_data)
			describe_value(&b, "additional_data", info->additional_data);
		describe_value(&b, "rand", info->rand);
	}
	kt_buf_printf(&b, "signature: %s\n", info->signature == KS_SIG_VALID ? "valid"
				   : info->signature == KS_SIG_INVALID ? "INVALID" : "unchecked");
	if (!info->decoded && info->signature == KS_SIG_UNCHECKED)
		kt_buf_adds(&b, "note: a v2 KS is encrypted; the admin secret is needed to read the "
				"rest (--secret or KALTURA_ADMIN_SECRET)\n");
	return kt_buf_steal(&b);
}
