#include "app/session.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

typedef struct sess_value {
	char *name, *value;
} sess_value;

struct session {
	char *endpoint, *name;
	char *ks;
	session_ks_state mark; /* the server's word on ks; NONE while it said nothing */
	/* ks as read: redone when the KS changes or a secret is learnt */
	bool read;
	int read_rc;
	ks_info info;
	char **secrets;
	size_t nsecrets;
	sess_value *values;
	size_t nvalues;
};

session *session_new(const char *endpoint, const char *name)
{
	session *s = kt_xcalloc(1, sizeof *s);
	s->endpoint = kt_xstrdup(endpoint ? endpoint : "");
	s->name = name ? kt_xstrdup(name) : NULL;
	return s;
}

static void forget_read(session *s)
{
	if (s->read && s->read_rc == 0)
		ks_info_free(&s->info);
	s->read = false;
}

void session_free(session *s)
{
	if (!s)
		return;
	forget_read(s);
	kt_free_secret(s->ks);
	for (size_t i = 0; i < s->nsecrets; i++)
		kt_free_secret(s->secrets[i]);
	free(s->secrets);
	for (size_t i = 0; i < s->nvalues; i++) {
		free(s->values[i].name);
		kt_free_secret(s->values[i].value);
	}
	free(s->values);
	free(s->endpoint);
	free(s->name);
	free(s);
}

const char *session_endpoint(const session *s)
{
	return s->endpoint;
}

const char *session_name(const session *s)
{
	return s->name;
}

void session_set_ks(session *s, const char *ks)
{
	if (ks && !*ks)
		ks = NULL;
	if (ks && s->ks && !strcmp(ks, s->ks))
		return;
	kt_free_secret(s->ks);
	s->ks = ks ? kt_xstrdup(ks) : NULL;
	s->mark = SESSION_KS_NONE;
	forget_read(s);
}

const char *session_ks(const session *s)
{
	return s->ks;
}

int session_read_ks(const session *s, const char *ks, ks_info *out)
{
	kt_error err = { 0 };
	for (size_t i = 0; i < s->nsecrets; i++) {
		if (ks_decode(ks, s->secrets[i], out, &err) < 0)
			return -1;
		if (out->decoded && out->signature == KS_SIG_VALID)
			return 0;
		ks_info_free(out);
	}
	return ks_decode(ks, NULL, out, &err);
}

const char *session_secret_for(const session *s, const char *ks)
{
	ks_info info;
	for (size_t i = 0; ks && i < s->nsecrets; i++) {
		if (ks_decode(ks, s->secrets[i], &info, NULL) < 0)
			return NULL;
		bool ok = info.decoded && info.signature == KS_SIG_VALID;
		ks_info_free(&info);
		if (ok)
			return s->secrets[i];
	}
	return NULL;
}

static void read_now(session *s)
{
	if (s->read || !s->ks)
		return;
	s->read_rc = session_read_ks(s, s->ks, &s->info);
	s->read = true;
}

session_ks_state session_ks_state_at(session *s, long long now)
{
	if (!s->ks)
		return SESSION_KS_NONE;
	if (s->mark != SESSION_KS_NONE)
		return s->mark;
	read_now(s);
	if (s->read_rc < 0)
		return SESSION_KS_NOT_KS;
	if (!s->info.decoded)
		return SESSION_KS_SEALED;
	return s->info.valid_until <= now ? SESSION_KS_EXPIRED : SESSION_KS_ALIVE;
}

bool session_ks_dead(session *s, long long now)
{
	session_ks_state st = session_ks_state_at(s, now);
	return st == SESSION_KS_EXPIRED || st == SESSION_KS_ENDED || st == SESSION_KS_REJECTED;
}

void session_mark_ks(session *s, const char *ks, session_ks_state state)
{
	if (s->ks && ks && !strcmp(s->ks, ks))
		s->mark = state;
}

const ks_info *session_ks_info(session *s)
{
	if (!s->ks)
		return NULL;
	read_now(s);
	return s->read_rc == 0 ? &s->info : NULL;
}

const char *session_ks_state_word(session_ks_state st)
{
	switch (st) {
	case SESSION_KS_SEALED: return "encrypted";
	case SESSION_KS_NOT_KS: return "not a KS";
	case SESSION_KS_EXPIRED: return "EXPIRED";
	case SESSION_KS_ENDED: return "ENDED";
	case SESSION_KS_REJECTED: return "REJECTED";
	default: return "";
	}
}

void session_add_secret(session *s, const char *secret)
{
	if (!secret || !*secret)
		return;
	for (size_t i = 0; i < s->nsecrets; i++)
		if (!strcmp(s->secrets[i], secret))
			return;
	s->secrets = kt_xrealloc(s->secrets, (s->nsecrets + 1) * sizeof *s->secrets);
	s->secrets[s->nsecrets++] = kt_xstrdup(secret);
	/* a sealed KS may open now */
	forget_read(s);
}

void session_set_value(session *s, const char *name, const char *value)
{
	size_t i = 0;
	while (i < s->nvalues && strcmp(s->values[i].name, name))
		i++;
	if (!value) {
		if (i == s->nvalues)
			return;
		free(s->values[i].name);
		kt_free_secret(s->values[i].value);
		memmove(&s->values[i], &s->values[i + 1], (s->nvalues - i - 1) * sizeof *s->values);
		s->nvalues--;
		return;
	}
	if (i == s->nvalues) {
		s->values = kt_xrealloc(s->values, (s->nvalues + 1) * sizeof *s->values);
		s->values[s->nvalues++] = (sess_value){ kt_xstrdup(name), NULL };
	}
	kt_free_secret(s->values[i].value);
	s->values[i].value = kt_xstrdup(value);
	if (!strcmp(name, "secret"))
		session_add_secret(s, value);
}

const char *session_value(const session *s, const char *name)
{
	for (size_t i = 0; i < s->nvalues; i++)
		if (!strcmp(s->values[i].name, name))
			return s->values[i].value;
	return NULL;
}

size_t session_nvalues(const session *s)
{
	return s->nvalues;
}

const char *session_value_at(const session *s, size_t i, const char **name)
{
	if (i >= s->nvalues)
		return NULL;
	if (name)
		*name = s->values[i].name;
	return s->values[i].value;
}

long long session_partner(session *s)
{
	long long n;
	const char *pid = session_value(s, "partnerId");
	if (pid && kt_parse_ll(pid, &n) && n > 0)
		return n;
	const ks_info *info = session_ks_info(s);
	return info ? info->partner_id : 0;
}

struct session_list {
	session **s;
	size_t n;
};

session_list *session_list_new(void)
{
	return kt_xcalloc(1, sizeof(session_list));
}

void session_list_free(session_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		session_free(l->s[i]);
	free(l->s);
	free(l);
}

session *session_list_get(session_list *l, const char *endpoint, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->s[i]->endpoint, endpoint))
			return l->s[i];
	l->s = kt_xrealloc(l->s, (l->n + 1) * sizeof *l->s);
	return l->s[l->n++] = session_new(endpoint, name);
}
