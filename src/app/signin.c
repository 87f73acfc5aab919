#include "signin.h"

#include <stdio.h>
#include <stdlib.h>

#include "util.h"

static void set_ll(kt_request *r, const char *name, long long v)
{
	char num[32];
	snprintf(num, sizeof num, "%lld", v);
	param_set(r->params, name, num, NULL);
}

void signin_login_request(kt_request *r, const char *login_id, const char *password,
			  long long partner)
{
	request_init(r, "user", "loginByLoginId");
	param_set(r->params, "loginId", login_id ? login_id : "", NULL);
	param_set(r->params, "password", password ? password : "", NULL);
	if (partner >= 0)
		set_ll(r, "partnerId", partner);
}

void signin_partners_request(kt_request *r, const char *ks)
{
	request_init(r, "partner", "listPartnersForUser");
	request_set_field(&r->ks, ks);
}

/* An API error as one sentence. */
static int answer_error(const response *res, const char *what, kt_error *err)
{
	const rvalue *e = res ? response_error(res) : NULL;
	if (e)
		return kt_fail(err, KT_E_API, "%s: %s: %s", what, e->code ? e->code : "?",
			       e->message ? e->message : "");
	return 0;
}

int signin_partners(const response *res, signin_partner **out, int *n, kt_error *err)
{
	*out = NULL;
	*n = 0;
	if (answer_error(res, "partner.listPartnersForUser", err))
		return -1;
	const rvalue *objects = res ? rvalue_get(res->result, "objects") : NULL;
	for (size_t i = 0; objects && objects->kind == RV_ARRAY && i < objects->n; i++) {
		const rvalue *id = rvalue_get(objects->children[i], "id");
		const rvalue *name = rvalue_get(objects->children[i], "name");
		long long v;
		if (!id || id->kind != RV_SCALAR || !kt_parse_ll(id->text, &v))
			continue;
		*out = kt_xrealloc(*out, (size_t)(*n + 1) * sizeof **out);
		(*out)[*n].id = v;
		(*out)[*n].name = kt_xstrdup(name && name->kind == RV_SCALAR ? name->text : "");
		(*n)++;
	}
	if (!*n)
		return kt_fail(err, KT_E_RESPONSE, "partner.listPartnersForUser listed no partner");
	return 0;
}

void signin_partners_free(signin_partner *p, int n)
{
	for (int i = 0; i < n; i++)
		free(p[i].name);
	free(p);
}

void signin_secrets_request(kt_request *r, long long partner, const char *login_id,
			    const char *password)
{
	request_init(r, "partner", "getSecrets");
	set_ll(r, "partnerId", partner);
	param_set(r->params, "adminEmail", login_id ? login_id : "", NULL);
	param_set(r->params, "cmsPassword", password ? password : "", NULL);
}

static char *text_of(const rvalue *o, const char *name)
{
	const rvalue *v = rvalue_get(o, name);
	return v && v->kind == RV_SCALAR && v->text[0] ? kt_xstrdup(v->text) : NULL;
}

int signin_secrets_read(const response *res, signin_secrets *out, kt_error *err)
{
	*out = (signin_secrets){.partner_id = -1};
	if (answer_error(res, "partner.getSecrets", err))
		return -1;
	const rvalue *o = res ? res->result : NULL;
	out->admin_secret = o ? text_of(o, "adminSecret") : NULL;
	if (!out->admin_secret)
		return kt_fail(err, KT_E_RESPONSE, "partner.getSecrets returned no admin secret");
	out->user_secret = text_of(o, "secret");
	char *id = text_of(o, "id");
	if (id && !kt_parse_ll(id, &out->partner_id))
		out->partner_id = -1;
	free(id);
	return 0;
}

void signin_secrets_free(signin_secrets *s)
{
	kt_free_secret(s->admin_secret);
	kt_free_secret(s->user_secret);
	*s = (signin_secrets){.partner_id = -1};
}
