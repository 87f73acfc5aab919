/* store: the sandbox's in-memory state shared by the server threads (revoked KSs for now). */
#ifndef KT_SANDBOX_STORE_H
#define KT_SANDBOX_STORE_H

#include <stdbool.h>

void store_init(void);
void store_reset(void);
/* Marks a KS as ended by session.end. */
void store_revoke(const char *ks);
bool store_is_revoked(const char *ks);

#endif
