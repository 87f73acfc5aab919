/* ks: every reference vector both ways, plus the bad inputs. Expected values come from
 * tests/data/ks-vectors.tsv (accepted by the Kaltura server), from the formulas in KALTURA.md
 * section 4 recomputed here with OpenSSL directly, or from FIPS 180/RFC 1321 digests. */
#include "ks.h"

#include <criterion/criterion.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "util.h"

enum { NCOL = 10, MAXROWS = 64 };

typedef struct vec {
	char *col[NCOL]; /* version partner_id secret user type privileges valid_until rand ks decoded */
} vec;

static vec rows[MAXROWS];
static int nrows;
static char *file_text;

static void load_vectors(void)
{
	const char *dir = getenv("KT_TESTDATA");
	char path[512];
	snprintf(path, sizeof path, "%s/ks-vectors.tsv", dir ? dir : "tests/data");
	FILE *f = fopen(path, "rb");
	cr_assert(f, "cannot open %s (run through make test-unit)", path);
	kt_buf b;
	char chunk[4096];
	size_t n;
	kt_buf_init(&b);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		kt_buf_add(&b, chunk, n);
	fclose(f);
	file_text = kt_buf_steal(&b);

	nrows = 0;
	char *line = file_text, *next;
	for (int lineno = 0; line && *line; line = next, lineno++) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (lineno == 0 || !*line)
			continue; /* header */
		cr_assert(nrows < MAXROWS);
		vec *v = &rows[nrows++];
		char *p = line;
		for (int c = 0; c < NCOL; c++) {
			v->col[c] = p;
			char *tab = strchr(p, '\t');
			if (c < NCOL - 1) {
				cr_assert(tab, "vector line %d has %d columns", lineno + 1, c + 1);
				*tab = '\0';
				p = tab + 1;
			}
		}
	}
	cr_assert_gt(nrows, 10, "ks-vectors.tsv holds only %d rows", nrows);
}

static void free_vectors(void)
{
	free(file_text);
	file_text = NULL;
	nrows = 0;
}

TestSuite(ks, .init = load_vectors, .fini = free_vectors);

static long long ll(const char *s)
{
	return strtoll(s, NULL, 10);
}

static ks_fields row_fields(const vec *v)
{
	return (ks_fields){
		.version = (int)ll(v->col[0]),
		.partner_id = ll(v->col[1]),
		.user = v->col[3],
		.type = (int)ll(v->col[4]),
		.privileges = v->col[5],
		.valid_until = ll(v->col[6]),
		.rand = v->col[7],
	};
}

static const vec *find_row(int version, bool expired)
{
	for (int i = 0; i < nrows; i++)
		if (ll(rows[i].col[0]) == version && (ll(rows[i].col[6]) < time(NULL)) == expired)
			return &rows[i];
	cr_assert_fail("no v%d vector with expired=%d", version, expired);
	return NULL;
}

/* ---- independent helpers (plain OpenSSL, the formulas of KALTURA.md) ---- */

static void sha1_hex(const char *a, const char *b, char out[41])
{
	unsigned char md[20];
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_DigestInit_ex(ctx, EVP_sha1(), NULL);
	EVP_DigestUpdate(ctx, a, strlen(a));
	EVP_DigestUpdate(ctx, b, strlen(b));
	EVP_DigestFinal_ex(ctx, md, NULL);
	EVP_MD_CTX_free(ctx);
	for (int i = 0; i < 20; i++)
		sprintf(out + 2 * i, "%02x", md[i]);
}

static char *b64(const void *p, size_t n)
{
	char *out = kt_xmalloc(4 * ((n + 2) / 3) + 1);
	EVP_EncodeBlock((unsigned char *)out, p, (int)n);
	return out;
}

/* Standard alphabet, padded input only. */
static unsigned char *unb64(const char *s, size_t *n)
{
	size_t len = strlen(s);
	unsigned char *out = kt_xmalloc(len + 1);
	int r = EVP_DecodeBlock(out, (const unsigned char *)s, (int)len);
	cr_assert_geq(r, 0);
	while (len && s[len - 1] == '=') {
		len--;
		r--;
	}
	out[r] = '\0';
	*n = (size_t)r;
	return out;
}

static char *std_alphabet(const char *ks)
{
	char *s = kt_xstrdup(ks);
	for (char *c = s; *c; c++)
		*c = *c == '-' ? '+' : *c == '_' ? '/' : *c;
	return s;
}

/* A v1 KS from its info text, signed as KALTURA.md says. */
static char *make_v1(const char *secret, const char *info)
{
	char sig[41];
	sha1_hex(secret, info, sig);
	char *raw = kt_xasprintf("%s|%s", sig, info);
	char *ks = b64(raw, strlen(raw));
	free(raw);
	return ks;
}

static void expect_notks(const char *ks, const char *secret, const char *what)
{
	ks_info info;
	kt_error err;
	kt_error_clear(&err);
	cr_expect_eq(ks_decode(ks, secret, &info, &err), -1, "%s: decoded", what);
	cr_expect_eq(err.code, KT_E_NOTKS, "%s: code %d", what, err.code);
	cr_expect(!strncmp(err.msg, "not a KS: ", 10), "%s: message '%s'", what, err.msg);
	cr_expect_null(info.user, "%s: fields left behind", what);
	cr_expect_null(info.rand);
}

/* ---- the reference vectors ---- */

Test(ks, vectors_generate_byte_exact)
{
	for (int i = 0; i < nrows; i++) {
		ks_fields f = row_fields(&rows[i]);
		char *out;
		kt_error err;
		cr_assert_eq(ks_generate(&f, rows[i].col[2], &out, &err), 0, "row %d: %s", i + 2,
			     err.msg);
		cr_expect_str_eq(out, rows[i].col[8], "row %d", i + 2);
		free(out);
	}
}

Test(ks, vectors_decode_with_secret)
{
	for (int i = 0; i < nrows; i++) {
		const vec *v = &rows[i];
		ks_info info;
		kt_error err;
		cr_assert_eq(ks_decode(v->col[8], v->col[2], &info, &err), 0, "row %d: %s", i + 2,
			     err.msg);
		cr_expect_eq(info.version, ll(v->col[0]), "row %d", i + 2);
		cr_expect_eq(info.partner_id, ll(v->col[1]), "row %d", i + 2);
		cr_expect(info.decoded, "row %d", i + 2);
		cr_expect_eq(info.signature, KS_SIG_VALID, "row %d", i + 2);
		cr_expect_str_eq(info.user, v->col[3], "row %d", i + 2);
		cr_expect_eq(info.type, ll(v->col[4]), "row %d", i + 2);
		cr_expect_str_eq(info.privileges, v->col[9], "row %d", i + 2);
		cr_expect_eq(info.valid_until, ll(v->col[6]), "row %d", i + 2);
		cr_expect_str_eq(info.rand, v->col[7], "row %d", i + 2);
		cr_expect_null(info.master_partner_id, "row %d", i + 2);
		cr_expect_null(info.additional_data, "row %d", i + 2);
		ks_info_free(&info);
	}
}

Test(ks, vectors_decode_without_secret)
{
	for (int i = 0; i < nrows; i++) {
		const vec *v = &rows[i];
		ks_info info;
		kt_error err;
		cr_assert_eq(ks_decode(v->col[8], NULL, &info, &err), 0, "row %d: %s", i + 2, err.msg);
		cr_expect_eq(info.signature, KS_SIG_UNCHECKED, "row %d", i + 2);
		cr_expect_eq(info.version, ll(v->col[0]));
		cr_expect_eq(info.partner_id, ll(v->col[1]));
		if (info.version == 1) {
			cr_expect(info.decoded);
			cr_expect_str_eq(info.user, v->col[3]);
			cr_expect_str_eq(info.privileges, v->col[9]);
		} else {
			/* v2 is encrypted: nothing past the partner id without the secret */
			cr_expect(!info.decoded);
			cr_expect_null(info.user);
			cr_expect_null(info.privileges);
		}
		ks_info_free(&info);
	}
}

Test(ks, v1_writes_nine_fields_even_when_empty)
{
	const vec *v = find_row(1, false);
	ks_fields f = row_fields(v);
	char *out;
	size_t n;
	cr_assert_eq(ks_generate(&f, v->col[2], &out, NULL), 0);
	unsigned char *raw = unb64(out, &n);
	cr_expect_eq(n, strlen((char *)raw));
	cr_expect_str_eq((char *)raw + n - 2, ";;");
	free(raw);
	free(out);

	f.master_partner_id = "77";
	f.additional_data = "extra data";
	cr_assert_eq(ks_generate(&f, v->col[2], &out, NULL), 0);
	raw = unb64(out, &n);
	cr_expect_str_eq((char *)raw + n - 14, ";77;extra data");
	char sig[41];
	sha1_hex(v->col[2], strchr((char *)raw, '|') + 1, sig);
	cr_expect(!strncmp((char *)raw, sig, 40), "v1 signature is not sha1(secret + info)");
	ks_info info;
	cr_assert_eq(ks_decode(out, v->col[2], &info, NULL), 0);
	cr_expect_str_eq(info.master_partner_id, "77");
	cr_expect_str_eq(info.additional_data, "extra data");
	cr_expect_eq(info.signature, KS_SIG_VALID);
	ks_info_free(&info);
	free(raw);
	free(out);
}

Test(ks, v2_master_partner_and_additional_data_round_trip)
{
	ks_fields f = {.version = 2, .partner_id = 10, .valid_until = 1900000000, .type = 2,
		       .user = "u", .privileges = "disableentitlement", .master_partner_id = "-2",
		       .additional_data = "a&b=c d", .rand = "00112233445566778899aabbccddeeff"};
	char *out;
	ks_info info;
	cr_assert_eq(ks_generate(&f, "sec", &out, NULL), 0);
	cr_assert_eq(ks_decode(out, "sec", &info, NULL), 0);
	cr_expect_eq(info.signature, KS_SIG_VALID);
	cr_expect_str_eq(info.master_partner_id, "-2");
	cr_expect_str_eq(info.additional_data, "a&b=c d");
	cr_expect_str_eq(info.privileges, "disableentitlement");
	cr_expect_str_eq(info.rand, "00112233445566778899aabbccddeeff");
	ks_info_free(&info);
	free(out);
}

Test(ks, v1_client_library_seven_fields)
{
	char *ks = make_v1("s3cr3t", "1234;1234;2000000000;2;12345;bob;disableentitlement");
	ks_info info;
	kt_error err;
	cr_assert_eq(ks_decode(ks, "s3cr3t", &info, &err), 0, "%s", err.msg);
	cr_expect_eq(info.signature, KS_SIG_VALID);
	cr_expect_eq(info.partner_id, 1234);
	cr_expect_eq(info.valid_until, 2000000000);
	cr_expect_eq(info.type, 2);
	cr_expect_str_eq(info.rand, "12345");
	cr_expect_str_eq(info.user, "bob");
	cr_expect_str_eq(info.privileges, "disableentitlement");
	cr_expect_null(info.master_partner_id);
	cr_expect_null(info.additional_data);
	ks_info_free(&info);
	free(ks);
}

Test(ks, v1_signature_is_case_insensitive)
{
	const char *info_s = "1;1;2000000000;0;1;u;";
	char sig[41];
	sha1_hex("k", info_s, sig);
	for (char *c = sig; *c; c++)
		*c = (char)(*c >= 'a' && *c <= 'f' ? *c - 32 : *c);
	char *raw = kt_xasprintf("%s|%s", sig, info_s);
	char *ks = b64(raw, strlen(raw));
	ks_info info;
	cr_assert_eq(ks_decode(ks, "k", &info, NULL), 0);
	cr_expect_eq(info.signature, KS_SIG_VALID);
	ks_info_free(&info);
	free(ks);
	free(raw);
}

Test(ks, v1_default_rand_is_php_microtime)
{
	ks_fields f = {.version = 1, .partner_id = 5, .valid_until = 2000000000, .user = "x"};
	char *out;
	ks_info info;
	regex_t re;
	cr_assert_eq(ks_generate(&f, "sec", &out, NULL), 0);
	cr_assert_eq(ks_decode(out, "sec", &info, NULL), 0);
	cr_assert_eq(regcomp(&re, "^[0-9]{10}(\\.[0-9]{0,3}[1-9])?$", REG_EXTENDED), 0);
	cr_expect_eq(regexec(&re, info.rand, 0, NULL, 0), 0, "rand '%s'", info.rand);
	regfree(&re);
	long long t = ll(info.rand), now = time(NULL);
	cr_expect(t >= now - 2 && t <= now + 2, "rand %s is not the time", info.rand);
	ks_info_free(&info);
	free(out);
}

Test(ks, microtime_format)
{
	/* what PHP's echo microtime(true) shows: 14 significant digits, trailing zeros dropped */
	static const struct { long long sec; long nsec; const char *want; } cases[] = {
		{1699913600, 123400000, "1699913600.1234"},
		{1699913600, 123449000, "1699913600.1234"},
		{1699913600, 123451000, "1699913600.1235"},
		{1699913600, 120000000, "1699913600.12"},
		{1699913600, 8600000, "1699913600.0086"},
		{1699913600, 0, "1699913600"},
		{1699913600, 40000, "1699913600"},
		{1699913600, 999960000, "1699913601"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char out[32];
		ks_microtime_format(cases[i].sec, cases[i].nsec, out, sizeof out);
		cr_expect_str_eq(out, cases[i].want, "%lld s %ld ns", cases[i].sec, cases[i].nsec);
	}
}

/* Decrypts a v2 KS with plain OpenSSL and checks the layout step by step (KALTURA.md 4, v2). */
static void expect_v2_plaintext(const char *ks, const char *secret, const char *rand_hex,
				const char *fields)
{
	char *std = std_alphabet(ks);
	size_t n;
	unsigned char *raw = unb64(std, &n);
	unsigned char key[20], iv[16] = {0}, plain[512], md[20], rnd[16];
	EVP_Digest(secret, strlen(secret), key, NULL, EVP_sha1(), NULL);
	unsigned char *ct = (unsigned char *)strchr(strchr((char *)raw, '|') + 1, '|') + 1;
	int ctlen = (int)(n - (size_t)(ct - raw)), l1, l2;
	cr_assert_eq(ctlen % 16, 0);
	cr_assert_lt(ctlen, (int)sizeof plain);
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	EVP_DecryptInit_ex(c, EVP_aes_128_cbc(), NULL, key, iv);
	EVP_CIPHER_CTX_set_padding(c, 0);
	EVP_DecryptUpdate(c, plain, &l1, ct, ctlen);
	EVP_DecryptFinal_ex(c, plain + l1, &l2);
	EVP_CIPHER_CTX_free(c);
	size_t flen = strlen(fields);
	/* zero padding up to the next block, none when aligned */
	cr_expect_eq((size_t)ctlen, (20 + 16 + flen + 15) / 16 * 16);
	for (int i = 20 + 16 + (int)flen; i < ctlen; i++)
		cr_expect_eq(plain[i], 0);
	kt_unhex(rand_hex, rnd, 16);
	cr_expect(!memcmp(plain + 20, rnd, 16));
	cr_expect(!memcmp(plain + 36, fields, flen), "fields '%.*s', want '%s'", (int)flen,
		  (char *)plain + 36, fields);
	EVP_Digest(plain + 20, 16 + flen, md, NULL, EVP_sha1(), NULL);
	cr_expect(!memcmp(plain, md, 20));
	cr_expect(!strncmp((char *)raw, "v2|", 3));
	free(raw);
	free(std);
}

Test(ks, v2_fields_are_http_build_query)
{
	const char *rnd = "000102030405060708090a0b0c0d0e0f";
	ks_fields f = {.version = 2, .partner_id = 99, .valid_until = 1700000000, .type = 2,
		       .user = "user@example.com", .privileges = "disableentitlement,sview:*",
		       .rand = rnd};
	char *out;
	cr_assert_eq(ks_generate(&f, "p@ss w0rd!", &out, NULL), 0);
	/* the example of KALTURA.md, word for word */
	expect_v2_plaintext(out, "p@ss w0rd!", rnd,
			    "disableentitlement=&sview=%2A&_e=1700000000&_t=2&_u=user%40example.com");
	free(out);

	f.user = "a b~\xc3\xbc";
	f.privileges = "x y:1 2,*";
	f.master_partner_id = "7";
	f.additional_data = "d";
	cr_assert_eq(ks_generate(&f, "k", &out, NULL), 0);
	expect_v2_plaintext(out, "k", rnd,
			    "x+y=1+2&all=%2A&_e=1700000000&_t=2&_u=a+b%7E%C3%BC&_m=7&_d=d");
	free(out);
}

Test(ks, v2_default_rand_is_random)
{
	ks_fields f = {.version = 2, .partner_id = 5, .valid_until = 2000000000};
	char *a, *b;
	ks_info ia, ib;
	cr_assert_eq(ks_generate(&f, "sec", &a, NULL), 0);
	cr_assert_eq(ks_generate(&f, "sec", &b, NULL), 0);
	cr_expect_str_neq(a, b);
	cr_assert_eq(ks_decode(a, "sec", &ia, NULL), 0);
	cr_assert_eq(ks_decode(b, "sec", &ib, NULL), 0);
	cr_expect_eq(ia.signature, KS_SIG_VALID);
	cr_expect_eq(ib.signature, KS_SIG_VALID);
	cr_expect_eq(strlen(ia.rand), 32);
	cr_expect_str_neq(ia.rand, ib.rand);
	cr_expect_str_eq(ia.user, "");
	ks_info_free(&ia);
	ks_info_free(&ib);
	free(a);
	free(b);
}

Test(ks, v2_privileges_as_the_server_reads_them)
{
	static const struct { const char *in, *back; } cases[] = {
		{"a:1, b ,,a:2", "a:2,b"},                 /* repeated name overwrites in place */
		{"*", "*"},
		{" * , disableentitlement", "all:*,disableentitlement"},
		{"sview:x y&z=w%,urirestrict:/p/*", "sview:x y&z=w%,urirestrict:/p/*"},
		{"", ""},
		{",, ,", ""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ks_fields f = {.version = 2, .partner_id = 1, .valid_until = 2000000000,
			       .privileges = cases[i].in};
		char *out;
		ks_info info;
		cr_assert_eq(ks_generate(&f, "sec", &out, NULL), 0);
		cr_assert_eq(ks_decode(out, "sec", &info, NULL), 0);
		cr_expect_str_eq(info.privileges, cases[i].back, "privileges '%s'", cases[i].in);
		ks_info_free(&info);
		free(out);
	}
}

/* ---- base64 leniency ---- */

Test(ks, both_alphabets_and_missing_padding)
{
	for (int i = 0; i < nrows; i++) {
		const vec *v = &rows[i];
		char *std = std_alphabet(v->col[8]);
		char *nopad = kt_xstrdup(v->col[8]);
		size_t n = strlen(nopad);
		while (n && nopad[n - 1] == '=')
			nopad[--n] = '\0';
		const char *variants[] = {std, nopad};
		for (int k = 0; k < 2; k++) {
			ks_info info;
			kt_error err;
			cr_assert_eq(ks_decode(variants[k], v->col[2], &info, &err), 0, "row %d/%d: %s",
				     i + 2, k, err.msg);
			cr_expect_eq(info.signature, KS_SIG_VALID, "row %d/%d", i + 2, k);
			cr_expect_str_eq(info.user, v->col[3]);
			ks_info_free(&info);
		}
		free(std);
		free(nopad);
	}
}

/* ---- wrong secrets, expiry, odd secrets ---- */

Test(ks, wrong_secret)
{
	const int versions[] = {1, 2};
	for (int k = 0; k < 2; k++) {
		const vec *v = find_row(versions[k], false);
		ks_info info;
		kt_error err;
		kt_error_clear(&err);
		cr_assert_eq(ks_decode(v->col[8], "not the secret", &info, &err), 0, "%s", err.msg);
		cr_expect_eq(info.signature, KS_SIG_INVALID);
		cr_expect_eq(info.partner_id, ll(v->col[1]));
		/* v1 is readable anyway; v2 cannot be decrypted */
		cr_expect_eq(info.decoded, versions[k] == 1);
		ks_info_free(&info);
	}
}

Test(ks, expired_ks_still_decodes)
{
	for (int version = 1; version <= 2; version++) {
		const vec *v = find_row(version, true);
		ks_info info;
		cr_assert_eq(ks_decode(v->col[8], v->col[2], &info, NULL), 0);
		cr_expect_eq(info.signature, KS_SIG_VALID);
		cr_expect_lt(info.valid_until, time(NULL));
		ks_info_free(&info);
	}
}

Test(ks, secret_with_spaces_and_non_ascii_bytes)
{
	const char *secret = " s\xc3\xa4 cr\xff\x01t ";
	for (int version = 1; version <= 2; version++) {
		ks_fields f = {.version = version, .partner_id = 42, .valid_until = 2000000000,
			       .type = 2, .user = "\xc3\xbc ser", .privileges = "disableentitlement"};
		char *out;
		ks_info info;
		kt_error err;
		cr_assert_eq(ks_generate(&f, secret, &out, &err), 0, "%s", err.msg);
		cr_assert_eq(ks_decode(out, secret, &info, &err), 0, "%s", err.msg);
		cr_expect_eq(info.signature, KS_SIG_VALID, "v%d", version);
		cr_expect_str_eq(info.user, "\xc3\xbc ser");
		ks_info_free(&info);
		/* one byte off is another secret */
		cr_assert_eq(ks_decode(out, " s\xc3\xa4 cr\xff\x02t ", &info, NULL), 0);
		cr_expect_eq(info.signature, KS_SIG_INVALID, "v%d", version);
		ks_info_free(&info);
		if (version == 1) {
			size_t n;
			unsigned char *raw = unb64(out, &n);
			char sig[41];
			sha1_hex(secret, strchr((char *)raw, '|') + 1, sig);
			cr_expect(!strncmp((char *)raw, sig, 40));
			free(raw);
		}
		free(out);
	}
}

/* ---- not a KS ---- */

Test(ks, not_a_ks)
{
	expect_notks("", "s", "empty");
	expect_notks(NULL, "s", "NULL");
	expect_notks("!!!!", "s", "not base64");
	expect_notks("djJ8 MTAw", "s", "space inside");
	expect_notks("AAAAA", "s", "impossible base64 length");
	expect_notks("QUJD===", "s", "three pad bytes");
	char *plain = b64("hello world", 11);
	expect_notks(plain, "s", "no '|'");
	expect_notks(plain, NULL, "no '|', no secret");
	free(plain);
	expect_notks("djJ8", NULL, "v2| alone");
	char *v3 = b64("v3|1|abcdefabcdefabcd", 20);
	expect_notks(v3, NULL, "unknown version");
	free(v3);
	char *shortsig = b64("abc|1;1;1;1;1;1;1", 17);
	expect_notks(shortsig, NULL, "short signature");
	free(shortsig);
	const char *zsig = "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz|1;1;2000000000;0;1;u;;;";
	char *nothex = b64(zsig, strlen(zsig));
	expect_notks(nothex, "s", "signature not hex");
	free(nothex);
}

Test(ks, truncated)
{
	for (int i = 0; i < nrows; i++) {
		const vec *v = &rows[i];
		size_t n = strlen(v->col[8]);
		char *cut = kt_xstrndup(v->col[8], n / 2);
		ks_info info;
		kt_error err;
		int rc = ks_decode(cut, v->col[2], &info, &err);
		if (ll(v->col[0]) == 2) {
			/* half of the base64 almost never lands on a 16-byte boundary */
			if (rc == 0)
				cr_expect_eq(info.signature, KS_SIG_INVALID, "row %d", i + 2);
			else
				cr_expect_eq(err.code, KT_E_NOTKS, "row %d: %s", i + 2, err.msg);
		} else {
			cr_expect_eq(rc, -1, "row %d: half a v1 KS decoded", i + 2);
			cr_expect_eq(err.code, KT_E_NOTKS, "row %d", i + 2);
		}
		ks_info_free(&info);
		free(cut);
	}
}

Test(ks, v2_ciphertext_length)
{
	unsigned char raw[7 + 48];
	memcpy(raw, "v2|100|", 7);
	memset(raw + 7, 0xab, 48);
	/* 17 bytes: not whole AES blocks, with and without the secret */
	char *ks = b64(raw, 7 + 17);
	expect_notks(ks, "s", "17-byte ciphertext");
	expect_notks(ks, NULL, "17-byte ciphertext, no secret");
	free(ks);
	ks = b64(raw, 7);
	expect_notks(ks, "s", "empty ciphertext");
	free(ks);
	/* whole blocks of garbage: a bad signature, not a crash */
	ks = b64(raw, 7 + 48);
	ks_info info;
	cr_assert_eq(ks_decode(ks, "s", &info, NULL), 0);
	cr_expect_eq(info.signature, KS_SIG_INVALID);
	cr_expect(!info.decoded);
	ks_info_free(&info);
	free(ks);
	memcpy(raw, "v2|1x0|", 7);
	ks = b64(raw, 7 + 16);
	expect_notks(ks, NULL, "v2 partner id");
	free(ks);
}

Test(ks, v2_cut_at_a_block_boundary)
{
	const vec *v = find_row(2, false);
	char *std = std_alphabet(v->col[8]);
	size_t n;
	unsigned char *raw = unb64(std, &n);
	char *ks = b64(raw, n - 16);
	ks_info info;
	cr_assert_eq(ks_decode(ks, v->col[2], &info, NULL), 0);
	cr_expect_eq(info.signature, KS_SIG_INVALID);
	ks_info_free(&info);
	free(ks);
	free(raw);
	free(std);
}

Test(ks, v1_bad_numbers)
{
	static const struct { const char *info, *word; } cases[] = {
		{"12a;12;2000000000;2;1;u;;;", "partner id"},
		{";12;2000000000;2;1;u;;;", "partner id"},
		{"12;12;soon;2;1;u;;;", "valid until"},
		{"12;12;2000000000;admin;1;u;;;", "type"},
		{"12;12;2000000000;99999999999;1;u;;;", "type"},
		{"12;12;2000000000;2;1;u", "fields"},
		{"12;12;2000000000;2;1;u;p;m;d;extra", "fields"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *ks = make_v1("s", cases[i].info);
		ks_info info;
		kt_error err;
		cr_expect_eq(ks_decode(ks, "s", &info, &err), -1, "%s", cases[i].info);
		cr_expect_eq(err.code, KT_E_NOTKS);
		cr_expect(strstr(err.msg, cases[i].word), "'%s' -> '%s'", cases[i].info, err.msg);
		free(ks);
	}
}

Test(ks, v1_nul_byte)
{
	char raw[80];
	char sig[41];
	sha1_hex("s", "x", sig);
	int n = snprintf(raw, sizeof raw, "%s|1;1;2000000000;0;1;u;;;", sig);
	raw[n - 3] = '\0';
	char *ks = b64(raw, (size_t)n);
	expect_notks(ks, "s", "NUL byte");
	free(ks);
}

Test(ks, huge_input)
{
	size_t n = 1u << 20;
	char *s = kt_xmalloc(n + 2);
	memset(s, 'A', n + 1);
	s[n] = '\0';
	expect_notks(s, "s", "1 MB of base64");
	s[n] = 'A';
	s[n + 1] = '\0';
	expect_notks(s, "s", "over 1 MB");
	free(s);
}

/* ---- generate: bad fields ---- */

Test(ks, generate_rejects_bad_fields)
{
	static const struct { ks_fields f; const char *secret; } cases[] = {
		{{.version = 3, .partner_id = 1}, "s"},
		{{.version = 0, .partner_id = 1}, "s"},
		{{.version = 2, .partner_id = -1}, "s"},
		{{.version = 2, .partner_id = 1, .type = -1}, "s"},
		{{.version = 2, .partner_id = 1}, ""},
		{{.version = 2, .partner_id = 1}, NULL},
		{{.version = 2, .partner_id = 1, .rand = "xyz"}, "s"},
		{{.version = 2, .partner_id = 1, .rand = "00112233445566778899aabbccddeef"}, "s"},
		{{.version = 2, .partner_id = 1, .rand = "00112233445566778899aabbccddeefg"}, "s"},
		{{.version = 1, .partner_id = 1, .user = "a;b"}, "s"},
		{{.version = 1, .partner_id = 1, .privileges = "a;b"}, "s"},
		{{.version = 1, .partner_id = 1, .rand = "1;2"}, "s"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *out = (char *)"sentinel";
		kt_error err;
		kt_error_clear(&err);
		cr_expect_eq(ks_generate(&cases[i].f, cases[i].secret, &out, &err), -1, "case %zu", i);
		cr_expect_eq(err.code, KT_E_USAGE, "case %zu", i);
		cr_expect(err.msg[0], "case %zu has no message", i);
		cr_expect_null(out);
	}
}

/* ---- renew ---- */

Test(ks, renew_v2)
{
	const vec *v = find_row(2, true);
	char *out;
	kt_error err;
	cr_assert_eq(ks_renew(v->col[8], v->col[2], 3600, &out, &err), 0, "%s", err.msg);
	long long now = time(NULL);
	ks_info info;
	cr_assert_eq(ks_decode(out, v->col[2], &info, NULL), 0);
	cr_expect_eq(info.signature, KS_SIG_VALID);
	cr_expect_eq(info.version, 2);
	cr_expect_eq(info.partner_id, ll(v->col[1]));
	cr_expect_str_eq(info.user, v->col[3]);
	cr_expect_eq(info.type, ll(v->col[4]));
	cr_expect_str_eq(info.privileges, v->col[9]);
	cr_expect(info.valid_until >= now + 3600 - 2 && info.valid_until <= now + 3600);
	cr_expect_str_neq(info.rand, v->col[7], "v2 renew must draw fresh rand bytes");
	ks_info_free(&info);
	free(out);
}

Test(ks, renew_v1_keeps_the_text)
{
	const vec *v = find_row(1, true);
	char *out;
	cr_assert_eq(ks_renew(v->col[8], v->col[2], 60, &out, NULL), 0);
	size_t n1, n2;
	unsigned char *old = unb64(v->col[8], &n1), *nw = unb64(out, &n2);
	/* everything but signature and field 3 is the same text */
	char *o = strchr((char *)old, '|') + 1, *w = strchr((char *)nw, '|') + 1;
	char *o3 = strchr(strchr(o, ';') + 1, ';') + 1, *w3 = strchr(strchr(w, ';') + 1, ';') + 1;
	cr_expect_eq(o3 - o, w3 - w);
	cr_expect(!strncmp(o, w, (size_t)(o3 - o)));
	cr_expect_str_eq(strchr(o3, ';'), strchr(w3, ';'));
	long long vu = ll(w3), now = time(NULL);
	cr_expect(vu >= now + 58 && vu <= now + 60);
	char sig[41];
	sha1_hex(v->col[2], w, sig);
	cr_expect(!strncmp((char *)nw, sig, 40));
	free(old);
	free(nw);
	free(out);

	/* a seven-field KS stays seven fields */
	char *seven = make_v1("k", "9;9;1000;0;77;bob;list:*");
	cr_assert_eq(ks_renew(seven, "k", 60, &out, NULL), 0);
	ks_info info;
	cr_assert_eq(ks_decode(out, "k", &info, NULL), 0);
	cr_expect_eq(info.signature, KS_SIG_VALID);
	cr_expect_str_eq(info.rand, "77");
	cr_expect_str_eq(info.privileges, "list:*");
	ks_info_free(&info);
	nw = unb64(out, &n2);
	int semis = 0;
	for (char *c = (char *)nw; *c; c++)
		semis += *c == ';';
	cr_expect_eq(semis, 6);
	free(nw);
	free(out);
	free(seven);
}

Test(ks, renew_refuses)
{
	const vec *v = find_row(2, false);
	char *out;
	kt_error err;
	cr_expect_eq(ks_renew(v->col[8], "wrong", 60, &out, &err), -1);
	cr_expect_eq(err.code, KT_E_BADSIG);
	cr_expect_null(out);
	v = find_row(1, false);
	cr_expect_eq(ks_renew(v->col[8], "wrong", 60, &out, &err), -1);
	cr_expect_eq(err.code, KT_E_BADSIG);
	cr_expect_eq(ks_renew("garbage!", "s", 60, &out, &err), -1);
	cr_expect_eq(err.code, KT_E_NOTKS);
	cr_expect_eq(ks_renew(v->col[8], v->col[2], 0, &out, &err), -1);
	cr_expect_eq(err.code, KT_E_USAGE);
	cr_expect_eq(ks_renew(v->col[8], NULL, 60, &out, &err), -1);
	cr_expect_eq(err.code, KT_E_USAGE);
}

/* ---- app-token hash: "ab" + "c" = "abc", whose digests are the standard test vectors ---- */

Test(ks, apptoken_hash)
{
	static const struct { const char *type, *hex; } cases[] = {
		{"sha1", "a9993e364706816aba3e25717850c26c9cd0d89d"},
		{"MD5", "900150983cd24fb0d6963f7d28e17f72"},
		{"sha256", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
		{"Sha512", "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
			   "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *out;
		cr_assert_eq(ks_apptoken_hash(cases[i].type, "ab", "c", &out, NULL), 0);
		cr_expect_str_eq(out, cases[i].hex, "%s", cases[i].type);
		free(out);
	}
	char *out;
	kt_error err;
	cr_expect_eq(ks_apptoken_hash("sha3", "ab", "c", &out, &err), -1);
	cr_expect_eq(err.code, KT_E_USAGE);
	cr_expect(strstr(err.msg, "sha3"));
	cr_expect_eq(ks_apptoken_hash(NULL, "ab", "c", &out, &err), -1);
	cr_expect_eq(err.code, KT_E_USAGE);
	cr_expect_eq(ks_apptoken_hash("sha1", NULL, "c", &out, &err), -1);
}

/* ---- privileges ---- */

Test(ks, privileges_parse_build_find)
{
	ks_privs p;
	ks_privs_parse(" a , ,*,\tb:c:d ,a:x,", &p);
	cr_assert_eq(p.n, 3);
	cr_expect_str_eq(p.items[0].name, "a");
	cr_expect_str_eq(p.items[0].value, "x");
	cr_expect_str_eq(p.items[1].name, "all");
	cr_expect_str_eq(p.items[1].value, "*");
	cr_expect_str_eq(p.items[2].name, "b");
	cr_expect_str_eq(p.items[2].value, "c:d");
	char *s = ks_privs_build(&p);
	cr_expect_str_eq(s, "a:x,all:*,b:c:d");
	free(s);
	cr_expect_str_eq(ks_privs_find(&p, "b")->value, "c:d");
	cr_expect_null(ks_privs_find(&p, "c"));
	ks_privs_free(&p);
	cr_expect_eq(p.n, 0);

	ks_privs_parse("*", &p);
	s = ks_privs_build(&p);
	cr_expect_str_eq(s, "*");
	free(s);
	ks_privs_free(&p);

	ks_privs_parse(NULL, &p);
	cr_expect_eq(p.n, 0);
	s = ks_privs_build(&p);
	cr_expect_str_eq(s, "");
	free(s);
	ks_privs_free(&p);
}

Test(ks, describe_as_decode_prints_it)
{
	ks_fields f = { .version = 2, .partner_id = 1234, .valid_until = 2000000000, .type = 2,
			.user = "al\x01ice", .privileges = "disableentitlement" };
	char *ks = NULL;
	kt_error err = { 0 };
	cr_assert_eq(ks_generate(&f, "s3cr3t", &ks, &err), 0, "%s", err.msg);
	ks_info info;
	cr_assert_eq(ks_decode(ks, "s3cr3t", &info, &err), 0);
	char *text = ks_describe(&info, 1999999940);
	cr_assert(strstr(text, "version: 2\npartner_id: 1234\n"), "%s", text);
	cr_assert(strstr(text, "valid_until: 2000000000 (2033-05-18 03:33:20 UTC, expires in 1 minute)\n"),
		  "%s", text);
	cr_assert(strstr(text, "type: 2 (ADMIN)\n"));
	cr_assert(strstr(text, "user: al\\x01ice\n"), "control bytes escaped: %s", text);
	cr_assert(strstr(text, "privileges: disableentitlement\n"));
	cr_assert(strstr(text, "signature: valid\n"));
	cr_assert_null(strstr(text, "note:"));
	free(text);
	ks_info_free(&info);
	/* without the secret, a v2 KS says what it can and why not more */
	cr_assert_eq(ks_decode(ks, NULL, &info, &err), 0);
	text = ks_describe(&info, 0);
	cr_assert_str_eq(text, "version: 2\npartner_id: 1234\nsignature: unchecked\n"
			       "note: a v2 KS is encrypted; the admin secret is needed to read the "
			       "rest (--secret or KALTURA_ADMIN_SECRET)\n");
	free(text);
	ks_info_free(&info);
	free(ks);
}
