/* libFuzzer target: the sandbox's handling of a request's parameters, multirequests and their
 * {N:result:path} references included, on one instance with the shipped schema (reset every
 * 1000 runs so the store stays small). Input: "service action" on the first line
 * ("multirequest" alone for one), then key=value lines. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "request.h"
#include "sandbox/server.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static sb_server *srv;
	static unsigned runs;
	if (!srv) {
		sandbox_opts o = {.partner_id = 100, .admin_secret = "fuzz-admin-secret",
				  .user_secret = "fuzz-user-secret", .admin_password = "Fuzz-pass-1",
				  .schema_path = "schemas/kaltura.xml"};
		kt_error err;
		if (!(srv = sb_server_new(&o, &err))) {
			fprintf(stderr, "fuzz_sandbox: %s (run from the source tree)\n", err.msg);
			abort();
		}
	}
	if (++runs % 1000 == 0)
		sb_server_reset(srv);
	char *text = kt_xstrndup((const char *)data, size);
	char *line = strtok(text, "\n");
	char svc[64] = "multirequest", act[64] = "";
	if (line)
		sscanf(line, "%63s %63s", svc, act);
	param *p = param_new();
	while ((line = strtok(NULL, "\n"))) {
		char *eq = strchr(line, '=');
		if (eq)
			*eq = '\0';
		param_set(p, line, eq ? eq + 1 : "", NULL);
	}
	rvalue *v = sb_server_exec(srv, svc, *act ? act : NULL, p);
	sb_rv_free(v);
	param_free(p); /* the run uses the tree up but leaves it to the caller */
	free(text);
	return 0;
}
