/* sandbox uploads: uploadToken.add/upload/get/delete and media.addContent with a
 * KalturaUploadedFileTokenResource, over HTTP with multipart bodies, as kaltura/server's
 * UploadTokenService, kUploadTokenMgr and MediaService::addContentAction answer: statuses,
 * resume and resumeAt (chunks out of order wait), the final chunk's size check, the errors,
 * USER sessions seeing their own tokens only, and the per-partner cap. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "response.h"
#include "sandbox/upload.h"
#include "util.h"

#include "sandbox_fixture.h"

TestSuite(sandbox_upload, .init = sbt_start, .fini = sbt_stop);

typedef sbt_reply reply;

#define BOUNDARY "ktestme-test-boundary"

/* A multipart call: fields as "name=value" strings, and one file part when file is not NULL. */
static void mcall(const char *ks, const char *service, const char *action,
		  const char *const *fields, const char *file, size_t flen, reply *out)
{
	kt_buf b;
	kt_buf_init(&b);
	if (ks)
		kt_buf_printf(&b, "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"ks\"\r\n\r\n%s\r\n",
			      ks);
	for (const char *const *f = fields; f && *f; f++) {
		const char *eq = strchr(*f, '=');
		kt_buf_printf(&b, "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"%.*s\"\r\n\r\n%s\r\n",
			      (int)(eq - *f), *f, eq + 1);
	}
	if (file) {
		kt_buf_adds(&b, "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"fileData\"; "
				"filename=\"clip.txt\"\r\nContent-Type: text/plain\r\n\r\n");
		kt_buf_add(&b, file, flen);
		kt_buf_adds(&b, "\r\n");
	}
	kt_buf_adds(&b, "--" BOUNDARY "--\r\n");
	char *path = kt_xasprintf("/api_v3/service/%s/action/%s", service, action);
	sbt_post(path, b.data, "multipart/form-data; boundary=" BOUNDARY, KT_FORMAT_XML, out);
	free(path);
	kt_buf_free(&b);
}

static char *text_at(const reply *r, const char *path)
{
	cr_assert(!response_error(&r->r), "%s", r->http.body.data);
	const rvalue *v = rvalue_path(r->r.result, path);
	cr_assert(v && v->kind == RV_SCALAR, "no %s in %s", path, r->http.body.data);
	return kt_xstrdup(v->text);
}

static char *ok(const char *ks, const char *service, const char *action,
		const char *const *fields, const char *file, const char *path)
{
	reply r;
	mcall(ks, service, action, fields, file, file ? strlen(file) : 0, &r);
	char *t = text_at(&r, path);
	sbt_done(&r);
	return t;
}

static void expect_text(const char *ks, const char *service, const char *action,
			const char *const *fields, const char *file, const char *path,
			const char *want)
{
	char *t = ok(ks, service, action, fields, file, path);
	cr_assert_str_eq(t, want, "%s.%s %s", service, action, path);
	free(t);
}

static void expect_error(const char *ks, const char *service, const char *action,
			 const char *const *fields, const char *file, const char *code)
{
	reply r;
	mcall(ks, service, action, fields, file, file ? strlen(file) : 0, &r);
	sbt_expect_error(&r, code, NULL);
	sbt_done(&r);
}

static char *session(const char *user, int type)
{
	char *t = kt_xasprintf("type=%d", type), *u = kt_xasprintf("userId=%s", user);
	const char *f[] = {"partnerId=1234", "secret=" SBT_ADMIN, t, u, NULL};
	reply r;
	mcall(NULL, "session", "start", f, NULL, 0, &r);
	cr_assert_eq(r.r.result->kind, RV_SCALAR, "%s", r.http.body.data);
	char *ks = kt_xstrdup(r.r.result->text);
	sbt_done(&r);
	free(t);
	free(u);
	return ks;
}

static char *new_token(const char *ks)
{
	return ok(ks, "uploadToken", "add", NULL, NULL, "id");
}

static char *kv(const char *k, const char *v)
{
	return kt_xasprintf("%s=%s", k, v);
}

Test(sandbox_upload, the_documented_flow)
{
	char *ks = session("alice", 2);
	const char *ef[] = {"entry:mediaType=1", "entry:name=Clip", NULL};
	char *entry = ok(ks, "media", "add", ef, NULL, "id");
	char *e = kv("entryId", entry);
	const char *gf[] = {e, NULL};
	expect_text(ks, "media", "get", gf, NULL, "status", "7"); /* NO_CONTENT */
	char *tok = new_token(ks);
	char *t = kv("uploadTokenId", tok);
	const char *tf[] = {t, NULL};
	expect_text(ks, "uploadToken", "get", tf, NULL, "status", "0"); /* PENDING */
	expect_text(ks, "uploadToken", "upload", tf, "the bytes of the clip", "status", "2");
	expect_text(ks, "uploadToken", "get", tf, NULL, "uploadedFileSize", "21");
	expect_text(ks, "uploadToken", "get", tf, NULL, "fileName", "clip.txt");
	char *r = kv("resource:token", tok);
	const char *cf[] = {e, "resource:objectType=KalturaUploadedFileTokenResource", r, NULL};
	expect_text(ks, "media", "addContent", cf, NULL, "status", "2");
	char *url = ok(ks, "media", "get", gf, NULL, "downloadUrl");
	cr_assert_not_null(strstr(url, "/p/1234/sp/123400/raw/entry_id/"), "%s", url);
	/* the content is what was sent */
	tp_response h;
	tp_response_init(&h);
	kt_error err;
	cr_assert_eq(tp_perform(url, NULL, NULL, NULL, &h, &err), 0, "%s", err.msg);
	cr_assert_eq(h.status, 200);
	cr_assert_eq(h.body.len, 21);
	cr_assert(!memcmp(h.body.data, "the bytes of the clip", 21));
	tp_response_free(&h);
	/* the token is CLOSED and names its entry; neither may be used again */
	expect_text(ks, "uploadToken", "get", tf, NULL, "status", "3");
	expect_text(ks, "uploadToken", "get", tf, NULL, "attachedObjectId", entry);
	expect_error(ks, "uploadToken", "upload", tf, "more", "UPLOAD_TOKEN_INVALID_STATUS_FOR_UPLOAD");
	expect_error(ks, "media", "addContent", cf, NULL, "ENTRY_ALREADY_WITH_CONTENT");
	free(url);
	free(r);
	free(t);
	free(tok);
	free(e);
	free(entry);
	free(ks);
}

Test(sandbox_upload, chunks_resume_and_the_final_size)
{
	char *ks = session("alice", 2);
	char *tok = new_token(ks);
	char *t = kv("uploadTokenId", tok);
	const char *first[] = {t, "resume=0", "finalChunk=0", NULL};
	const char *third[] = {t, "resume=1", "finalChunk=0", "resumeAt=8", NULL};
	const char *second[] = {t, "resume=1", "finalChunk=0", "resumeAt=4", NULL};
	const char *last[] = {t, "resume=1", "finalChunk=1", "resumeAt=12", NULL};
	char *fresh = new_token(ks);
	char *ft = kv("uploadTokenId", fresh);
	const char *resume_fresh[] = {ft, "resume=1", NULL};
	expect_error(ks, "uploadToken", "upload", resume_fresh, "x", "UPLOAD_TOKEN_CANNOT_RESUME");
	expect_text(ks, "uploadToken", "upload", first, "aaaa", "status", "1"); /* PARTIAL */
	/* past the end: it waits for the bytes before it */
	expect_text(ks, "uploadToken", "upload", third, "cccc", "uploadedFileSize", "4");
	expect_text(ks, "uploadToken", "upload", second, "bbbb", "uploadedFileSize", "12");
	/* a final chunk must end the file: one that falls short is refused */
	const char *short_last[] = {t, "resume=1", "finalChunk=1", "resumeAt=4", NULL};
	expect_error(ks, "uploadToken", "upload", short_last, "bb", "UPLOAD_TOKEN_CANNOT_MATCH_EXPECTED_SIZE");
	expect_text(ks, "uploadToken", "upload", last, "dd", "status", "2");
	expect_text(ks, "uploadToken", "get", (const char *[]){t, NULL}, NULL, "uploadedFileSize",
		    "14");
	/* resumeAt -1 appends */
	char *tok2 = new_token(ks);
	char *t2 = kv("uploadTokenId", tok2);
	expect_text(ks, "uploadToken", "upload", (const char *[]){t2, "finalChunk=0", NULL}, "ab",
		    "status", "1");
	expect_text(ks, "uploadToken", "upload", (const char *[]){t2, "resume=1", NULL}, "cd",
		    "uploadedFileSize", "4");
	free(t2);
	free(tok2);
	free(ft);
	free(fresh);
	free(t);
	free(tok);
	free(ks);
}

Test(sandbox_upload, errors_and_owners)
{
	char *alice = session("alice", 0), *bob = session("bob", 0), *admin = session("admin", 2);
	char *tok = new_token(alice);
	char *t = kv("uploadTokenId", tok);
	const char *tf[] = {t, NULL};
	expect_error(bob, "uploadToken", "get", tf, NULL, "UPLOAD_TOKEN_NOT_FOUND");
	expect_text(admin, "uploadToken", "get", tf, NULL, "userId", "alice");
	expect_error(alice, "uploadToken", "get", (const char *[]){"uploadTokenId=0_nope", NULL},
		     NULL, "UPLOAD_TOKEN_NOT_FOUND");
	/* fileData as a plain field is no uploaded file */
	expect_error(alice, "uploadToken", "upload", (const char *[]){t, "fileData=x", NULL}, NULL,
		     "UPLOAD_ERROR");
	expect_error(alice, "uploadToken", "upload", tf, NULL, "MISSING_MANDATORY_PARAMETER");
	/* addContent needs a token whose file is complete, and a resource it knows */
	char *entry = ok(admin, "media", "add", (const char *[]){"entry:mediaType=1", NULL}, NULL,
			 "id");
	char *e = kv("entryId", entry), *r = kv("resource:token", tok);
	const char *cf[] = {e, "resource:objectType=KalturaUploadedFileTokenResource", r, NULL};
	expect_error(admin, "media", "addContent", cf, NULL, "UPLOAD_TOKEN_INVALID_STATUS_FOR_ADD_ENTRY");
	expect_error(admin, "media", "addContent",
		     (const char *[]){e, "resource:objectType=KalturaUrlResource",
				      "resource:url=http://x/", NULL},
		     NULL, "INTERNAL_SERVER_ERROR");
	expect_error(admin, "media", "addContent",
		     (const char *[]){"entryId=0_nope", "resource:objectType=KalturaUploadedFileTokenResource",
				      r, NULL},
		     NULL, "ENTRY_ID_NOT_FOUND");
	/* deleted: gone */
	reply d;
	mcall(alice, "uploadToken", "delete", tf, NULL, 0, &d);
	cr_assert_null(response_error(&d.r), "%s", d.http.body.data);
	sbt_done(&d);
	expect_error(alice, "uploadToken", "get", tf, NULL, "UPLOAD_TOKEN_NOT_FOUND");
	free(r);
	free(e);
	free(entry);
	free(t);
	free(tok);
	free(alice);
	free(bob);
	free(admin);
}

Test(sandbox_upload, the_per_partner_cap)
{
	char *ks = session("alice", 2);
	size_t n = 12u << 20; /* three of these pass the cap */
	char *big = kt_xmalloc(n + 1);
	memset(big, 'z', n);
	big[n] = '\0';
	int refused = 0;
	for (int i = 0; i < 3; i++) {
		char *tok = new_token(ks);
		char *t = kv("uploadTokenId", tok);
		reply r;
		mcall(ks, "uploadToken", "upload", (const char *[]){t, NULL}, big, n, &r);
		const rvalue *err = response_error(&r.r);
		if (err) {
			cr_assert_str_eq(err->code, "INTERNAL_SERVER_ERROR");
			cr_assert_not_null(strstr(err->message, "32 MB"), "%s", err->message);
			refused++;
		}
		sbt_done(&r);
		free(t);
		free(tok);
	}
	cr_assert_eq(refused, 1, "the third upload is over the cap");
	free(big);
	free(ks);
}
