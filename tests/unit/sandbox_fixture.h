/* What the sandbox unit suites share: an in-process sandbox with fixed secrets, and one call
 * through the project's own transport and response parser. */
#ifndef KT_TEST_SANDBOX_FIXTURE_H
#define KT_TEST_SANDBOX_FIXTURE_H

#include "response.h"
#include "transport.h"

#define SBT_ADMIN "adm1n5ecret"
#define SBT_USER "us3r5ecret"
#define SBT_PID 1234
#define SBT_PASSWORD "Demo-password-1"

typedef struct sbt_reply {
	tp_response http;
	response r;
} sbt_reply;

/* Criterion suite init and fini. */
void sbt_start(void);
void sbt_stop(void);

/* POSTs body to sandbox_url() + path; asserts HTTP 200 and a Kaltura response. */
void sbt_post(const char *path, const char *body, const char *ctype, int format, sbt_reply *out);
void sbt_done(sbt_reply *r);
/* Asserts the reply is the API error code (and message, when not NULL). */
void sbt_expect_error(const sbt_reply *r, const char *code, const char *message);

#endif
