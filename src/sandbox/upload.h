/* upload: what the upload-token service (svc_upload.c) gives the entry service: the file of a
 * token for media.addContent, and the partner's upload bytes back when an entry goes. */
#ifndef KT_SANDBOX_UPLOAD_H
#define KT_SANDBOX_UPLOAD_H

#include <stddef.h>

#include "sandbox/service.h"

/* Uploads kept per partner, tokens and entry contents together. */
#define SB_UPLOAD_CAP (32 << 20)

/* The file of a FULL_UPLOAD token (visible to c's KS) for entry_id: 0 with *data (malloc'd)
 * and *len, and the token CLOSED; -1 with UPLOAD_TOKEN_NOT_FOUND or
 * UPLOAD_TOKEN_INVALID_STATUS_FOR_ADD_ENTRY set on c. */
int svc_upload_take(sb_call *c, const char *id, const char *entry_id, char **data, size_t *len);
/* An entry's content of bytes went (the entry was deleted): the partner may upload them again. */
void svc_upload_release(sb_server *srv, long long partner, size_t bytes);
/* A copy of an entry's uploaded content (svc_entry.c): 0 with *data (malloc'd) and *len; -1
 * when the entry is unknown or has none. */
int svc_entry_content(sb_server *srv, const char *id, char **data, size_t *len);

#endif
