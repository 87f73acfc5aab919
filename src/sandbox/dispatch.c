/* dispatch: one call as the server runs it (KalturaDispatcher), the parameter checks through
 * the schema, multirequest (KalturaFrontController::handleMultiRequest), and the helpers the
 * services share. */
#include "sandbox/server.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "util.h"

/* ---- result trees ---- */

rvalue *sb_rv_scalar(const char *name, const char *text)
{
	rvalue *v = rvalue_new(RV_SCALAR, name);
	v->text = kt_xstrdup(text ? text : "");
	return v;
}

rvalue *sb_rv_object(const char *name, const char *object_type)
{
	rvalue *v = rvalue_new(RV_OBJECT, name);
	v->object_type = object_type ? kt_xstrdup(object_type) : NULL;
	return v;
}

rvalue *sb_rv_add(rvalue *parent, rvalue *child)
{
	size_t n = parent->n + 1;
	parent->children = kt_xrealloc(parent->children, n * sizeof *parent->children);
	parent->children[parent->n++] = child;
	return child;
}

rvalue *sb_rv_addf(rvalue *parent, const char *name, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *text;
	if (vasprintf(&text, fmt, ap) < 0)
		text = NULL;
	va_end(ap);
	rvalue *v = sb_rv_add(parent, sb_rv_scalar(name, text));
	free(text);
	return v;
}

void sb_rv_free(rvalue *v)
{
	rvalue_free(v);
}

/* ---- errors ---- */

int sb_fail(sb_call *c, const char *code, int nargs, ...)
{
	const char *args[8] = {0};
	va_list ap;
	va_start(ap, nargs);
	for (int i = 0; i < nargs && i < 8; i++)
		args[i] = va_arg(ap, const char *);
	va_end(ap);
	if (nargs > 8)
		nargs = 8;
	const schema_error *e = schema_find_error(c->cfg->schema, code);
	rvalue *v = rvalue_new(RV_ERROR, NULL);
	v->code = kt_xstrdup(code);
	v->object_type = kt_xstrdup("KalturaAPIException");
	v->message = e ? schema_error_format(e, args, (size_t)nargs) : kt_xstrdup(code);
	for (int i = 0; i < nargs; i++) {
		char name[16];
		snprintf(name, sizeof name, "ARG%d", i);
		sb_rv_add(v, sb_rv_scalar(e && (size_t)i < e->nparams ? e->params[i] : name,
					  args[i]));
	}
	sb_rv_free(c->error);
	c->error = v;
	return -1;
}

int sb_fail_ks(sb_call *c, const char *data)
{
	return sb_fail(c, "INVALID_KS", 3, data, "-1", "INVALID_STR");
}

/* kCurrentContext::initKsPartnerUser refuses a KS it cannot read or whose partner it does not
 * know with the KS itself as data; kPermissionManager::errorIfKsNotValid refuses a readable one
 * with ks::getErrorStr (EXPIRED, LOGOUT); KalturaFrontController::getExceptionObject writes
 * both as INVALID_KS(data, -1, INVALID_STR). */
int sb_check_ks(sb_call *c, const char *ks, ks_info *out)
{
	kt_error err;
	memset(out, 0, sizeof *out);
	if (ks_decode(ks, c->cfg->admin_secret, out, &err) < 0)
		return sb_fail_ks(c, ks);
	int rc = 0;
	char pid[32];
	snprintf(pid, sizeof pid, "%lld", c->cfg->partner_id);
	if (!out->decoded || out->signature != KS_SIG_VALID)
		rc = sb_fail_ks(c, ks);
	else if (out->partner_id != c->cfg->partner_id &&
		 !(out->master_partner_id && !strcmp(out->master_partner_id, pid)))
		rc = sb_fail_ks(c, ks);
	else if (out->valid_until <= (long long)time(NULL))
		rc = sb_fail_ks(c, "EXPIRED");
	else if (store_is_revoked(c->srv, ks) || store_privs_revoked(c->srv, out->privileges))
		rc = sb_fail_ks(c, "LOGOUT");
	if (rc < 0)
		ks_info_free(out);
	return rc;
}

const char *sb_arg(const sb_call *c, const char *name)
{
	const param *p = param_find(c->params, name);
	return p && p->kind == PARAM_VALUE ? p->value : NULL;
}

long long sb_arg_ll(const sb_call *c, const char *name, long long def)
{
	long long v;
	const char *s = sb_arg(c, name);
	return s && kt_parse_ll(s, &v) ? v : def;
}

const param *sb_arg_obj(const sb_call *c, const char *name)
{
	const param *p = param_find(c->params, name);
	return p && p->kind == PARAM_OBJECT ? p : NULL;
}

const sb_file *sb_arg_file(const sb_call *c, const char *name)
{
	for (size_t i = 0; c->files && i < c->files->n; i++)
		if (!strcmp(c->files->v[i].param, name))
			return &c->files->v[i];
	return NULL;
}

void sb_files_free(sb_files *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].param);
		free(f->v[i].name);
		free(f->v[i].data);
	}
	free(f->v);
	f->v = NULL;
	f->n = 0;
}


/* ---- one call ---- */

static bool is_true(const char *s)
{
	return !strcmp(s, "1") || !strcasecmp(s, "true");
}

/* A scalar of a simple type: int, bigint, bool (normalised to 1/0), float, or an enum value.
 * name is the wire key for INVALID_PARAMETER_VALUE, prop the name INVALID_ENUM_VALUE shows. */
static int check_scalar(sb_call *c, const char *t, const schema_enum *en, const char *enum_type,
			param *v, const char *name, const char *prop)
{
	if (v->kind != PARAM_VALUE)
		return sb_fail(c, "INVALID_PARAMETER_VALUE", 1, name);
	long long n;
	if ((!strcmp(t, "int") || !strcmp(t, "bigint")) && !kt_parse_ll(v->value, &n))
		return sb_fail(c, "INVALID_PARAMETER_VALUE", 1, name);
	if (!strcmp(t, "bool")) {
		if (!is_true(v->value) && strcmp(v->value, "0") && strcasecmp(v->value, "false"))
			return sb_fail(c, "INVALID_PARAMETER_VALUE", 1, name);
		const char *norm = is_true(v->value) ? "1" : "0";
		free(v->value);
		v->value = kt_xstrdup(norm);
	}
	if (!strcmp(t, "float")) {
		char *end;
		strtod(v->value, &end);
		if (!*v->value || *end)
			return sb_fail(c, "INVALID_PARAMETER_VALUE", 1, name);
	}
	if (en && !schema_enum_find_value(en, v->value))
		return sb_fail(c, "INVALID_ENUM_VALUE", 3, v->value, prop, enum_type);
	return 0;
}

static int check_object(sb_call *c, const char *declared, param *v, const char *name, int depth);

static bool is_simple(const char *t)
{
	static const char *const simple[] = {"int", "bigint", "bool", "float", "string", "file"};
	for (size_t i = 0; i < sizeof simple / sizeof *simple; i++)
		if (!strcmp(t, simple[i]))
			return true;
	return false;
}

/* The items of an array or map property: each an object of item_cls (when the schema names
 * one), checked like any object. */
static int check_items(sb_call *c, const schema_class *item_cls, param *v, const char *name,
		       int depth)
{
	if (v->kind != PARAM_ARRAY && v->kind != PARAM_OBJECT)
		return sb_fail(c, "INVALID_PARAMETER_VALUE", 1, name);
	if (!item_cls)
		return 0;
	for (param *it = v->first; it; it = it->next) {
		if (it->kind == PARAM_NULL)
			continue;
		char *key = kt_xasprintf("%s:%s", name, it->name ? it->name : "");
		int rc = check_object(c, item_cls->name, it, key, depth + 1);
		free(key);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* An object at any depth, as the server deserialises it: objectType must name a known,
 * non-abstract subclass of the declared type; each known, writable property is typed like a
 * top-level parameter; unknown and read-only properties are ignored. The keys' depth is already
 * capped at SB_MAX_DEPTH, which bounds the recursion. */
static int check_object(sb_call *c, const char *declared, param *v, const char *name, int depth)
{
	if (v->kind != PARAM_OBJECT)
		return sb_fail(c, "INVALID_PARAMETER_VALUE", 1, name);
	if (depth > SB_MAX_DEPTH)
		return sb_fail(c, "INTERNAL_SERVER_ERROR", 1,
			       "(parameters nested more than 32 levels deep)");
	const param *otp = param_find(v, "objectType");
	const char *ot = otp && otp->kind == PARAM_VALUE ? otp->value : declared;
	const schema_class *cls = schema_find_class(c->cfg->schema, ot);
	if (!cls || !schema_is_subclass(c->cfg->schema, ot, declared))
		return sb_fail(c, "INVALID_OBJECT_TYPE", 1, ot);
	if (cls->abstract)
		return sb_fail(c, "OBJECT_TYPE_ABSTRACT", 1, ot);
	for (param *ch = v->first; ch; ch = ch->next) {
		if (ch->kind == PARAM_NULL || !strcmp(ch->name, "objectType"))
			continue;
		const schema_property *p = schema_class_find_property(cls, ch->name);
		if (!p || p->read_only)
			continue;
		char *key = kt_xasprintf("%s:%s", name, ch->name);
		int rc;
		if (p->type_class)
			rc = check_object(c, p->type_class->name, ch, key, depth + 1);
		else if (!strcmp(p->type, "array") || !strcmp(p->type, "map"))
			rc = check_items(c, p->array_class, ch, key, depth + 1);
		else if (is_simple(p->type))
			rc = check_scalar(c, p->type, p->enumeration, p->enum_type, ch, key,
					  p->name);
		else
			rc = 0; /* a class the shipped schema leaves out: nothing to check */
		free(key);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int check_param(sb_call *c, const schema_param *sp, param *v)
{
	const char *t = sp->type;
	if (v->kind == PARAM_NULL)
		return 0;
	if (sp->type_class)
		return check_object(c, sp->type, v, sp->name, 1);
	if (!strcmp(t, "array") || !strcmp(t, "map"))
		return check_items(c, sp->array_class, v, sp->name, 1);
	return check_scalar(c, t, sp->enumeration, sp->enum_type, v, sp->name, sp->name);
}

static int check_params(sb_call *c, const schema_action *a, param *p)
{
	for (size_t i = 0; i < a->nparams; i++) {
		const schema_param *sp = &a->params[i];
		param *v = (param *)param_find(p, sp->name);
		if (!v) {
			if (!sp->optional)
				return sb_fail(c, "MISSING_MANDATORY_PARAMETER", 1, sp->name);
			if (sp->default_value && strcmp(sp->default_value, "null") &&
			    !sp->type_class && param_set(p, sp->name, sp->default_value, NULL) < 0)
				return sb_fail(c, "INTERNAL_SERVER_ERROR", 1, "(bad default)");
			continue;
		}
		if (check_param(c, sp, v) < 0)
			return -1;
	}
	return 0;
}

static const sb_handler *find_handler(const char *service, const char *action)
{
	for (const sb_service *const *s = sb_services; *s; s++)
		for (const sb_handler *h = (*s)->handlers; h && h->fn; h++)
			if (!strcmp(h->service, service) && !strcmp(h->action, action))
				return h;
	return NULL;
}

/* What the call's KS may do: ADMIN for type >= 1, else USER, or only widget-level with the
 * widget:1 privilege (session.startWidgetSession) or no KS at all. */
static sb_access ks_access(const ks_info *ks)
{
	if (!ks)
		return SB_ANY;
	if (ks->type >= 1)
		return SB_ADMIN;
	if (!ks->privileges || !strstr(ks->privileges, "widget"))
		return SB_USER;
	ks_privs p;
	ks_privs_parse(ks->privileges, &p);
	const ks_priv *w = ks_privs_find(&p, "widget");
	bool widget = w && w->value && !strcmp(w->value, "1");
	ks_privs_free(&p);
	return widget ? SB_ANY : SB_USER;
}

/* The partner a call acts for (kCurrentContext::initKsPartnerUser): its KS's, else the
 * partnerId it names, else the widget's (session.startWidgetSession's "_PID"); the main
 * partner when none of them is one of the sandbox's. */
static int partner_of(const sb_server *srv, const char *ks, const param *p)
{
	long long id = -1;
	const char *pid = store_rec_get(p, "partnerId"), *widget = store_rec_get(p, "widgetId");
	if (ks && *ks) {
		ks_info peek;
		if (ks_decode(ks, NULL, &peek, NULL) < 0)
			return 0;
		id = peek.partner_id;
		if (sb_server_partner_index(srv, id) < 0 && peek.master_partner_id)
			kt_parse_ll(peek.master_partner_id, &id);
		ks_info_free(&peek);
	} else if (pid && *pid) {
		kt_parse_ll(pid, &id);
	} else if (widget && widget[0] == '_') {
		kt_parse_ll(widget + 1, &id);
	}
	int i = sb_server_partner_index(srv, id);
	return i < 0 ? 0 : i;
}

/* Runs one call in the server's order (KalturaDispatcher::dispatch): service and action, the
 * KS (kCurrentContext::initKsPartnerUser), the parameters (KalturaRequestDeserializer), then
 * the permission (KalturaBaseService::initService: MISSING_KS without a partner, else
 * SERVICE_FORBIDDEN), then the action. Returns its result or error (never NULL). */
static rvalue *exec_one(sb_server *srv, sb_reply *rep, const char *service, const char *action,
			param *p, const sb_files *files)
{
	sb_call c = {.srv = srv, .cfg = &srv->cfg, .params = p, .files = files};
	ks_info info;
	bool have_info = false;
	int before = -1;
	if (!service || !*service) {
		sb_fail(&c, "SERVICE_NOT_SPECIFIED", 0);
		goto out;
	}
	const schema_service *svc = schema_find_service(srv->cfg.schema, service);
	if (!svc) {
		sb_fail(&c, "SERVICE_DOES_NOT_EXISTS", 1, service);
		goto out;
	}
	if (!action || !*action) {
		sb_fail(&c, "ACTION_NOT_SPECIFIED", 0);
		goto out;
	}
	const schema_action *a = schema_find_action(svc, action);
	if (!a) {
		sb_fail(&c, "ACTION_DOES_NOT_EXISTS", 2, action, service);
		goto out;
	}
	c.action = a;
	const char *ks = store_rec_get(p, "ks");
	before = sb_server_enter(srv, partner_of(srv, ks, p));
	c.cfg = sb_server_config(srv);
	if (ks && *ks) {
		if (sb_check_ks(&c, ks, &info) < 0)
			goto out;
		have_info = true;
		c.ks = ks;
		c.ks_info = &info;
	}
	if (check_params(&c, a, p) < 0)
		goto out;
	const sb_handler *h = find_handler(svc->id, a->name);
	if (!c.ks && a->session_required == SCHEMA_KS_ALWAYS) {
		/* a partnerId names a partner, whose anonymous role may not call the action */
		long long pid;
		const char *pv = store_rec_get(p, "partnerId");
		if (!pv || !kt_parse_ll(pv, &pid) || sb_server_partner_index(srv, pid) < 0) {
			sb_fail(&c, "MISSING_KS", 0);
			goto out;
		}
		char *what = kt_xasprintf("%s->%s", svc->id, a->name);
		sb_fail(&c, "SERVICE_FORBIDDEN", 1, what);
		free(what);
		goto forbidden;
	}
	if (h && ks_access(c.ks_info) < h->access) {
		char *what = kt_xasprintf("%s->%s", svc->id, a->name);
		sb_fail(&c, "SERVICE_FORBIDDEN", 1, what);
		free(what);
		goto forbidden;
	}
	if (!h) {
		char *why = kt_xasprintf("(%s.%s is not in the sandbox yet)", svc->id, a->name);
		sb_fail(&c, "INTERNAL_SERVER_ERROR", 1, why);
		free(why);
		goto out;
	}
	h->fn(&c);
	goto out;
forbidden:
	/* KalturaBaseService::initService names the refusal in headers too */
	if (rep) {
		free(rep->x_kaltura);
		rep->x_kaltura = kt_xasprintf("error-%s", c.error->code);
		free(rep->x_kaltura_app);
		rep->x_kaltura_app = kt_xasprintf("exiting on error %s - %s", c.error->code,
						  c.error->message);
	}
out:
	if (before >= 0)
		sb_server_enter(srv, before);
	if (have_info)
		ks_info_free(&info);
	if (c.error) {
		sb_rv_free(c.result);
		return c.error;
	}
	if (!c.result)
		return rvalue_new(RV_NULL, NULL);
	/* a scalar remembers its declared type, so JSON and PHP write it typed */
	if (c.result->kind == RV_SCALAR && c.action && c.action->result_type && !c.result->object_type)
		c.result->object_type = kt_xstrdup(c.action->result_type);
	return c.result;
}

/* ---- multirequest ---- */

/* The text a reference path reaches (KalturaFrontController::getValueFromObject): property
 * names and array indexes, "_all" on an array joins a property of every item, each followed
 * by a comma (getValuesFromObjectsArray). Objects, errors and missing paths give "". */
static char *ref_value(const rvalue *r, const char *path)
{
	if (!r || r->kind == RV_ERROR)
		return kt_xstrdup("");
	if (!*path)
		return kt_xstrdup(r->kind == RV_SCALAR ? r->text : "");
	const char *colon = strchr(path, ':');
	size_t n = colon ? (size_t)(colon - path) : strlen(path);
	const char *rest = colon ? colon + 1 : "";
	if (r->kind == RV_ARRAY && n == 4 && !strncmp(path, "_all", 4)) {
		kt_buf b;
		kt_buf_init(&b);
		size_t an = strcspn(rest, ":");
		for (size_t i = 0; i < r->n; i++) {
			const rvalue *it = r->children[i];
			for (size_t j = 0; it->kind == RV_OBJECT && j < it->n; j++) {
				const rvalue *p = it->children[j];
				if (p->name && strlen(p->name) == an && !strncmp(p->name, rest, an) &&
				    p->kind == RV_SCALAR) {
					kt_buf_adds(&b, p->text);
					kt_buf_addc(&b, ',');
				}
			}
		}
		kt_buf_adds(&b, "");
		return kt_buf_steal(&b);
	}
	char *name = kt_xstrndup(path, n);
	const rvalue *next = NULL;
	if (r->kind == RV_ARRAY) {
		long long i;
		if (kt_parse_ll(name, &i) && i >= 0 && (size_t)i < r->n && !r->children[i]->name)
			next = r->children[i];
		for (size_t j = 0; !next && j < r->n; j++)
			if (r->children[j]->name && !strcmp(r->children[j]->name, name))
				next = r->children[j];
	} else if (r->kind == RV_OBJECT) {
		next = rvalue_get(r, name);
	}
	free(name);
	return next ? ref_value(next, rest) : kt_xstrdup("");
}

/* A reference anywhere in a value ("u-{1:result:totalCount}-x"), matched as the server's
 * /\{[0-9]+:result:?(.*)?\}/ does (greedy to the last brace); N counts executed requests from
 * 1. A reference to a request not run yet stays as it is. */
static void resolve_refs(param *p, rvalue *const *results, size_t nres)
{
	for (param *ch = p->first; ch; ch = ch->next) {
		if (ch->kind != PARAM_VALUE) {
			resolve_refs(ch, results, nres);
			continue;
		}
		const char *v = ch->value, *open = v;
		const char *close = strrchr(v, '}');
		unsigned long n = 0;
		const char *after = NULL;
		for (; close && (open = strchr(open, '{')) && open < close; open++) {
			char *end;
			if (!isdigit((unsigned char)open[1]))
				continue;
			n = strtoul(open + 1, &end, 10);
			if (!strncmp(end, ":result", 7)) {
				after = end + 7;
				break;
			}
		}
		if (!after || n < 1 || n > nres)
			continue;
		if (*after == ':')
			after++;
		char *path = kt_xstrndup(after, (size_t)(close - after));
		char *pattern = kt_xstrndup(open, (size_t)(close + 1 - open));
		char *text = ref_value(results[n - 1], path);
		kt_buf b;
		kt_buf_init(&b);
		size_t plen = strlen(pattern);
		for (const char *s = v; *s;) {
			const char *hit = strstr(s, pattern);
			if (!hit) {
				kt_buf_adds(&b, s);
				break;
			}
			kt_buf_add(&b, s, (size_t)(hit - s));
			kt_buf_adds(&b, text);
			s = hit + plen;
		}
		kt_buf_adds(&b, "");
		free(ch->value);
		ch->value = kt_buf_steal(&b);
		free(path);
		free(pattern);
		free(text);
	}
}

static rvalue *exec_multi(sb_server *srv, sb_reply *rep, param *root)
{
	static const char *const shared[] = {"ks", "partnerId", "clientTag"};
	rvalue *all = rvalue_new(RV_ARRAY, NULL);
	char key[32];
	int first = 1;
	const param *zero = param_find(root, "0");
	if (zero && zero->kind == PARAM_OBJECT &&
	    (param_find(zero, "service") || param_find(zero, "action")))
		first = 0;
	for (int i = first;; i++) {
		snprintf(key, sizeof key, "%d", i);
		param *sub = (param *)param_find(root, key);
		if (!sub || sub->kind != PARAM_OBJECT ||
		    (!param_find(sub, "service") && !param_find(sub, "action")))
			break;
		for (size_t s = 0; s < sizeof shared / sizeof *shared; s++) {
			const char *v = store_rec_get(root, shared[s]);
			if (v && !param_find(sub, shared[s]))
				param_set(sub, shared[s], v, NULL);
		}
		resolve_refs(sub, all->children, all->n);
		const char *sv = store_rec_get(sub, "service"), *av = store_rec_get(sub, "action");
		char *service = kt_xstrdup(sv ? sv : "");
		char *action = kt_xstrdup(av ? av : "");
		param_remove(sub, "service");
		param_remove(sub, "action");
		/* a multirequest's file parts are named by item ("2:fileData"): not sent on */
		sb_rv_add(all, exec_one(srv, rep, service, action, sub, NULL));
		free(service);
		free(action);
	}
	return all;
}


rvalue *sb_server_exec(sb_server *srv, const char *service, const char *action, param *p)
{
	return sb_server_exec_reply(srv, NULL, service, action, p);
}

rvalue *sb_server_exec_reply(sb_server *srv, sb_reply *rep, const char *service,
			     const char *action, param *p)
{
	return sb_server_exec_files(srv, rep, service, action, p, NULL);
}

rvalue *sb_server_exec_files(sb_server *srv, sb_reply *rep, const char *service,
			     const char *action, param *p, const sb_files *files)
{
	if (service && !strcasecmp(service, "multirequest"))
		return exec_multi(srv, rep, p);
	return exec_one(srv, rep, service, action, p, files);
}
