/* hint: one sentence on what an API error usually means and how to get past it, for the
 * errors people meet first (KALTURA.md sections 4-6). TestMe shows the code and nothing else. */
#ifndef KT_HINT_H
#define KT_HINT_H

/* The hint for an error code, given the privileges of the KS the call carried (NULL when it
 * carried none, or it could not be read) and the KS error's "-N,DESC" detail when there is one
 * (the message of INVALID_KS). NULL when there is nothing useful to add. */
const char *hint_for_error(const char *code, const char *message, const char *privileges);

/* What an INVALID_KS message says of the KS (either server form). */
enum { HINT_KS_OTHER, HINT_KS_EXPIRED, HINT_KS_ENDED };
int hint_ks_reason(const char *message);

#endif
