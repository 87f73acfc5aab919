#include "apptoken.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ks.h"
#include "util.h"

static char *text_of(const rvalue *o, const char *name)
{
	const rvalue *v = rvalue_get(o, name);
	return v && v->kind == RV_SCALAR && v->text[0] ? kt_xstrdup(v->text) : NULL;
}

int apptoken_info_from(const response *res, apptoken_info *out, kt_error *err)
{
	*out = (apptoken_info){.partner_id = -1};
	const rvalue *o = res ? res->result : NULL;
	if (o && o->kind == RV_OBJECT && rvalue_get(o, "objects")) {
		const rvalue *objects = rvalue_get(o, "objects");
		o = objects->kind == RV_ARRAY && objects->n ? objects->children[0] : NULL;
	}
	if (!o || o->kind != RV_OBJECT || !(out->id = text_of(o, "id")))
		return kt_fail(err, KT_E_USAGE, "the result holds no app token (send appToken.add, "
			       "get or list first)");
	out->token = text_of(o, "token");
	out->hash_type = text_of(o, "hashType");
	if (!out->hash_type)
		out->hash_type = kt_xstrdup("SHA1");
	out->session_user_id = text_of(o, "sessionUserId");
	char *pid = text_of(o, "partnerId");
	if (pid && !kt_parse_ll(pid, &out->partner_id))
		out->partner_id = -1;
	free(pid);
	return 0;
}

void apptoken_info_free(apptoken_info *t)
{
	free(t->id);
	kt_free_secret(t->token);
	free(t->hash_type);
	free(t->session_user_id);
	*t = (apptoken_info){.partner_id = -1};
}

void apptoken_widget_request(kt_request *r, long long partner)
{
	char widget[32];
	snprintf(widget, sizeof widget, "_%lld", partner);
	request_init(r, "session", "startWidgetSession");
	param_set(r->params, "widgetId", widget, NULL);
}

const char *apptoken_widget_ks(const response *res)
{
	return res ? response_find_ks(res, "session", "startWidgetSession") : NULL;
}

int apptoken_session_request(kt_request *r, const apptoken_start *s, kt_error *err)
{
	if (!s->id || !*s->id)
		return kt_fail(err, KT_E_USAGE, "appToken.startSession needs the token's id");
	if (!s->token || !*s->token)
		return kt_fail(err, KT_E_USAGE, "the tokenHash needs the token itself (the token "
			       "field of appToken.add's result)");
	if (!s->widget_ks || !*s->widget_ks)
		return kt_fail(err, KT_E_USAGE, "the tokenHash needs the widget KS of "
			       "session.startWidgetSession");
	char *hash;
	if (ks_apptoken_hash(s->hash_type ? s->hash_type : "SHA1", s->widget_ks, s->token, &hash,
			     err))
		return -1;
	request_init(r, "appToken", "startSession");
	request_set_field(&r->ks, s->widget_ks);
	param_set(r->params, "id", s->id, NULL);
	param_set(r->params, "tokenHash", hash, NULL);
	free(hash);
	if (s->user_id)
		param_set(r->params, "userId", s->user_id, NULL);
	if (s->type)
		param_set(r->params, "type", s->type, NULL);
	if (s->expiry)
		param_set(r->params, "expiry", s->expiry, NULL);
	if (s->privileges)
		param_set(r->params, "sessionPrivileges", s->privileges, NULL);
	return 0;
}
