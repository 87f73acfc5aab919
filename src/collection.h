/* collection: saved requests, by name, in one plain-text file that holds no secret, so a team
 * can keep it in git ($XDG_DATA_HOME/ktestme/requests.txt; `ktestme saved export|import`):
 *
 *     # ktestme saved requests
 *     [demo categories]
 *     @service = category
 *     @action = list
 *     filter:objectType = KalturaCategoryFilter
 *
 * A "[name]" line starts a request; its lines are reqtext's (reqtext.h). Names are any text
 * without control bytes, at most COLLECTION_NAME_MAX bytes. */
#ifndef KT_COLLECTION_H
#define KT_COLLECTION_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "request.h"

#define COLLECTION_NAME_MAX 200

typedef struct coll_entry {
	char *name;
	kt_request req;
} coll_entry;

typedef struct collection {
	coll_entry *e; /* file order */
	size_t n;
} collection;

void collection_init(collection *c);
void collection_free(collection *c);

/* Parses text into c (collection_init'd; entries are added, a name already there is
 * replaced). *dropped (when not NULL) counts the secret lines left out. -1 with KT_E_DATA
 * "line N: ..." and c as it was before the call. */
int collection_parse(collection *c, const char *text, size_t *dropped, kt_error *err);
/* The file's text, malloc'd. */
char *collection_format(const collection *c);

/* The default file: $XDG_DATA_HOME/ktestme/requests.txt. malloc'd; NULL with err set. */
char *collection_default_path(kt_error *err);
/* Loads path into c; a file that does not exist is an empty collection. */
int collection_load(collection *c, const char *path, kt_error *err);
/* Writes c to path atomically, mode 0600 (its directory made when missing). */
int collection_save(const collection *c, const char *path, kt_error *err);

/* Whether name may be used; the reason in err (KT_E_USAGE) when not. */
bool collection_name_ok(const char *name, kt_error *err);
const coll_entry *collection_find(const collection *c, const char *name);
/* Adds r as name, or replaces the request of that name; the copy holds no secret. Returns how
 * many secret values were left out, or -1 on a bad name. */
int collection_put(collection *c, const char *name, const kt_request *r, kt_error *err);
bool collection_remove(collection *c, const char *name);

/* A deep copy of r without its secrets (through reqtext); dst is request_init'd here. */
void collection_copy_request(kt_request *dst, const kt_request *r);

#endif
