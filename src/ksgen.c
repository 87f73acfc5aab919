#include "ksgen.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "privilege.h"
#include "util.h"

int ksgen_parse_type(const char *s, int *type)
{
	if (!strcasecmp(s, "user") || !strcmp(s, "0"))
		*type = KS_TYPE_USER;
	else if (!strcasecmp(s, "admin") || !strcmp(s, "2"))
		*type = KS_TYPE_ADMIN;
	else
		return -1;
	return 0;
}

int ksgen_parse_expiry(const char *s, long long now, long long *out, kt_error *err)
{
	if (!kt_parse_ll(s, out) || *out <= 0 || *out > LLONG_MAX - now)
		return kt_fail(err, KT_E_USAGE, "the expiry takes a positive number of seconds, not "
			       "'%s'", s);
	return 0;
}

int ksgen_make(const ksgen_request *r, long long now, char **out, kt_error *err)
{
	ks_fields f = {.version = r->version ? r->version : 2, .user = r->user};
	*out = NULL;
	if (!r->partner_id || !*r->partner_id)
		return kt_fail(err, KT_E_USAGE, "a KS needs the partner id");
	if (!kt_parse_ll(r->partner_id, &f.partner_id) || f.partner_id < 0)
		return kt_fail(err, KT_E_USAGE, "the partner id '%s' is not a non-negative number",
			       r->partner_id);
	if (!r->secret || !*r->secret)
		return kt_fail(err, KT_E_USAGE, "a KS needs the partner's admin secret");
	if (r->type && *r->type && ksgen_parse_type(r->type, &f.type))
		return kt_fail(err, KT_E_USAGE, "the type is user, admin, 0 or 2, not '%s'", r->type);
	long long secs = KSGEN_DEFAULT_EXPIRY;
	if (r->expiry && *r->expiry && ksgen_parse_expiry(r->expiry, now, &secs, err))
		return -1;
	f.valid_until = now + secs;
	/* the builder's string, not the raw one: blanks trimmed, "*" as the server reads it */
	ks_privs p;
	ks_privs_parse(r->privileges, &p);
	for (int i = 0; i < p.n; i++)
		if (priv_check(p.items[i].name, p.items[i].value, err)) {
			ks_privs_free(&p);
			return -1;
		}
	char *privs = ks_privs_build(&p);
	ks_privs_free(&p);
	f.privileges = privs;
	int rc = ks_generate(&f, r->secret, out, err);
	free(privs);
	return rc;
}

int ksgen_with_privilege(const char *ks, const char *secret, const char *name, const char *value,
			 long long valid_until, long long now, char **out, kt_error *err)
{
	ks_info info;
	*out = NULL;
	if (!secret || !*secret)
		return kt_fail(err, KT_E_USAGE, "changing a KS needs its partner's admin secret");
	if (name && priv_check(name, value, err))
		return -1;
	if (ks_decode(ks, secret, &info, err))
		return -1;
	if (info.signature != KS_SIG_VALID) {
		ks_info_free(&info);
		return kt_fail(err, KT_E_BADSIG, "KS signature does not match the secret");
	}
	char *privs = name ? priv_with(info.privileges, name, value) : kt_xstrdup(info.privileges);
	if (!valid_until)
		valid_until = info.valid_until > now ? info.valid_until : now + KSGEN_DEFAULT_EXPIRY;
	ks_fields f = {
		.version = info.version,
		.partner_id = info.partner_id,
		.valid_until = valid_until,
		.type = info.type,
		.user = info.user,
		.privileges = privs,
		.master_partner_id = info.master_partner_id,
		.additional_data = info.additional_data,
	};
	int rc = ks_generate(&f, secret, out, err);
	free(privs);
	ks_info_free(&info);
	return rc;
}

int ksgen_open(const char *ks, const char *const *secrets, int n, ks_info *out, kt_error *err)
{
	for (int i = 0; i < n; i++) {
		if (!secrets[i] || !*secrets[i])
			continue;
		if (ks_decode(ks, secrets[i], out, err))
			return -2;
		if (out->decoded && out->signature == KS_SIG_VALID)
			return i;
		ks_info_free(out);
	}
	return ks_decode(ks, NULL, out, err) ? -2 : -1;
}
