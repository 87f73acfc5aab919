#include "sandbox/store.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Revoked KSs keyed by string in a chained hash table; KSs never leave it until reset. */
#define STORE_BUCKETS 1024

typedef struct revoked {
	char *ks;
	struct revoked *next;
} revoked;

static pthread_mutex_t store_lock = PTHREAD_MUTEX_INITIALIZER;
static revoked *buckets[STORE_BUCKETS];

static unsigned hash(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h % STORE_BUCKETS;
}

void store_init(void)
{
	store_reset();
}

void store_reset(void)
{
	pthread_mutex_lock(&store_lock);
	for (size_t i = 0; i < STORE_BUCKETS; i++) {
		revoked *r = buckets[i];
		while (r) {
			revoked *next = r->next;
			free(r->ks);
			free(r);
			r = next;
		}
		buckets[i] = NULL;
	}
	pthread_mutex_unlock(&store_lock);
}

static bool find_locked(const char *ks)
{
	for (revoked *r = buckets[hash(ks)]; r; r = r->next)
		if (!strcmp(r->ks, ks))
			return true;
	return false;
}

void store_revoke(const char *ks)
{
	pthread_mutex_lock(&store_lock);
	if (!find_locked(ks)) {
		revoked *r = kt_xmalloc(sizeof *r);
		unsigned h = hash(ks);
		r->ks = kt_xstrdup(ks);
		r->next = buckets[h];
		buckets[h] = r;
	}
	pthread_mutex_unlock(&store_lock);
}

bool store_is_revoked(const char *ks)
{
	pthread_mutex_lock(&store_lock);
	bool found = find_locked(ks);
	pthread_mutex_unlock(&store_lock);
	return found;
}
