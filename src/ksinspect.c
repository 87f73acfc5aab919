#include "ksinspect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "privilege.h"
#include "util.h"

void ksi_countdown(long long valid_until, long long now, char *out, size_t n)
{
	char span[64];
	long long left = valid_until - now;
	/* far-off values would overflow the subtraction's meaning; a span of centuries is enough */
	if (valid_until > 253402300799LL || valid_until < -62135596800LL)
		left = valid_until < 0 ? -253402300799LL : 253402300799LL;
	kt_format_span(left > 0 ? left : -left, span, sizeof span);
	if (left > 0)
		snprintf(out, n, "expires in %s", span);
	else
		snprintf(out, n, "expired %s ago", span);
}

/* KS fields come from whoever made the KS: no control byte may reach a terminal. */
static char *escaped(const char *s)
{
	kt_buf b;
	kt_buf_init(&b);
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			kt_buf_printf(&b, "\\x%02x", *p);
		else
			kt_buf_addc(&b, (char)*p);
	return kt_buf_steal(&b);
}

static void add_field(ksi_report *r, const char *label, char *value)
{
	r->fields = kt_xrealloc(r->fields, (size_t)(r->nfields + 1) * sizeof *r->fields);
	r->fields[r->nfields++] = (ksi_field){label, value};
}

static void warn(ksi_report *r, ksi_warning_id id, char *text)
{
	r->warnings = kt_xrealloc(r->warnings, (size_t)(r->nwarnings + 1) * sizeof *r->warnings);
	r->warnings[r->nwarnings++] = (ksi_warning){id, text};
}

/* User ids that name a role or a test rather than one person. */
static bool shared_user(const char *user, long long partner)
{
	static const char *names[] = {
		"admin", "administrator", "root", "system", "test", "tester", "testuser", "user",
		"guest", "anonymous", "demo", "default", "partner", "kaltura", "0", "1",
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcasecmp(user, names[i]))
			return true;
	char pid[32];
	snprintf(pid, sizeof pid, "%lld", partner);
	return !strcmp(user, pid);
}

static void date_of(long long t, char *out, size_t n)
{
	struct tm tm;
	time_t tt = (time_t)t;
	out[0] = '\0';
	if (t < -62135596800LL || t > 253402300799LL || !gmtime_r(&tt, &tm) ||
	    !strftime(out, n, "%Y-%m-%d %H:%M:%S UTC", &tm))
		snprintf(out, n, "%lld", t);
}

static void add_privileges(ksi_report *r, const char *privileges)
{
	ks_privs p;
	ks_privs_parse(privileges, &p);
	r->privs = p.n ? kt_xcalloc((size_t)p.n, sizeof *r->privs) : NULL;
	for (int i = 0; i < p.n; i++) {
		char *item = p.items[i].value[0] ? kt_xasprintf("%s:%s", p.items[i].name,
								 p.items[i].value)
						 : kt_xstrdup(p.items[i].name);
		char *meaning = priv_explain(p.items[i].name, p.items[i].value);
		r->privs[i] = (ksi_priv){escaped(item), escaped(meaning)};
		free(item);
		free(meaning);
	}
	r->nprivs = p.n;
	ks_privs_free(&p);
}

/* The KS's own codes that the server names in INVALID_KS when it read the KS but refused it. */
static bool refused_for_state(const char *message)
{
	static const char *states[] = {"EXPIRED", "LOGOUT", "EXCEEDED_ACTIONS_LIMIT",
				       "EXCEEDED_RESTRICTED_IP", "EXCEEDED_RESTRICTED_URI",
				       "INVALID_USER", "INVALID_TYPE"};
	for (size_t i = 0; message && i < sizeof states / sizeof states[0]; i++) {
		char quoted[64], coded[64];
		snprintf(quoted, sizeof quoted, "\"%s\"", states[i]);
		snprintf(coded, sizeof coded, ",%s\"", states[i]);
		if (strstr(message, quoted) || strstr(message, coded))
			return true;
	}
	return false;
}

static void content_warnings(ksi_report *r, const ks_info *info, const ksi_context *ctx)
{
	char span[64];
	if (info->valid_until <= ctx->now) {
		ksi_countdown(info->valid_until, ctx->now, span, sizeof span);
		warn(r, KSI_W_EXPIRED, kt_xasprintf("This KS %s: the server answers INVALID_KS "
						    "(EXPIRED); renew it or start a new session.",
						    span));
	} else if (info->valid_until - ctx->now > KSI_LONG_EXPIRY) {
		kt_format_span(info->valid_until - ctx->now, span, sizeof span);
		warn(r, KSI_W_LONG_EXPIRY, kt_xasprintf("Valid for %s more: a KS that leaks stays "
							"usable that long; ask for the shortest expiry "
							"that does the job.", span));
	}
	if (info->type != KS_TYPE_USER)
		warn(r, KSI_W_ADMIN, kt_xstrdup("An ADMIN KS may do anything the partner can: never "
						"hand it to end users (players, browsers, apps); "
						"give them a USER KS."));
	const char *user = info->user ? info->user : "";
	if (!*user) {
		warn(r, KSI_W_NO_USER, kt_xstrdup("No user id: analytics and entitlements cannot tell "
						  "who acted; give each person a real, unique user "
						  "id."));
	} else if (shared_user(user, info->partner_id)) {
		char *shown = escaped(user);
		warn(r, KSI_W_SHARED_USER, kt_xasprintf("The user id '%s' looks shared, not one "
							"person's: analytics need a real, unique "
							"user id per person.", shown));
		free(shown);
	}
	if (!priv_has(info->privileges, "appid"))
		warn(r, KSI_W_NO_APPID, kt_xstrdup("No appid:NAME-DOMAIN privilege: Kaltura's "
						   "analytics cannot tell which application made "
						   "the calls (e.g. appid:myapp-example.com)."));
}

void ksi_inspect(const ks_info *info, bool secret_given, const ksi_context *ctx,
		 ksi_report *out)
{
	char buf[160], date[64];
	*out = (ksi_report){0};
	add_field(out, "Version", kt_xstrdup(info->version == 1 ? "1 (signed with the admin secret)"
						: "2 (encrypted with the admin secret)"));
	add_field(out, "Partner", kt_xasprintf("%lld", info->partner_id));
	if (info->decoded) {
		add_field(out, "Type", kt_xasprintf("%s (%d)", info->type == KS_TYPE_USER ? "USER"
							   : info->type > 0 ? "ADMIN" : "unknown",
						    info->type));
		add_field(out, "User", info->user && *info->user ? escaped(info->user)
								: kt_xstrdup("(none)"));
		date_of(info->valid_until, date, sizeof date);
		add_field(out, "Valid until", kt_xstrdup(date));
		ksi_countdown(info->valid_until, ctx->now, buf, sizeof buf);
		add_field(out, "Expiry", kt_xstrdup(buf));
		add_field(out, "Privileges", info->privileges && *info->privileges
						     ? escaped(info->privileges)
						     : kt_xstrdup("(none)"));
		if (info->master_partner_id)
			add_field(out, "Master partner", escaped(info->master_partner_id));
		if (info->additional_data)
			add_field(out, "Additional data", escaped(info->additional_data));
		add_privileges(out, info->privileges);
	}
	add_field(out, "Signature", kt_xstrdup(info->signature == KS_SIG_VALID ? "valid"
					       : info->signature == KS_SIG_INVALID
						       ? "INVALID (not made with this secret)"
						       : "unchecked (no secret)"));

	if (!info->decoded)
		warn(out, KSI_W_UNREADABLE,
		     kt_xstrdup(secret_given ? "The secret does not decrypt this v2 KS: it was made "
					       "with another partner's or an older secret."
					     : "A v2 KS is encrypted: only its version and partner can "
					       "be read without the partner's admin secret."));
	else if (info->signature == KS_SIG_INVALID)
		warn(out, KSI_W_BAD_SIGNATURE, kt_xstrdup("The signature does not match the secret: "
							  "the server will refuse this KS if the "
							  "secret is the partner's."));
	if (info->decoded)
		content_warnings(out, info, ctx);
	if (ctx->session_partner >= 0 && ctx->session_partner != info->partner_id)
		warn(out, KSI_W_OTHER_PARTNER,
		     kt_xasprintf("This KS belongs to partner %lld, the session works with partner "
				  "%lld: the server checks the KS's partner, not the form's.",
				  info->partner_id, ctx->session_partner));
	if (ctx->error_code && !strcmp(ctx->error_code, "INVALID_KS") &&
	    !refused_for_state(ctx->error_message) &&
	    (!info->decoded || info->valid_until > ctx->now))
		warn(out, KSI_W_OTHER_DEPLOYMENT,
		     kt_xstrdup("The endpoint answered INVALID_KS for a KS that reads fine and has "
				"not expired: it was probably made for another region or deployment, "
				"whose partners and secrets this endpoint does not know."));
}

bool ksi_has(const ksi_report *r, ksi_warning_id id)
{
	for (int i = 0; i < r->nwarnings; i++)
		if (r->warnings[i].id == id)
			return true;
	return false;
}

char *ksi_render(const ksi_report *r)
{
	kt_buf b;
	kt_buf_init(&b);
	for (int i = 0; i < r->nfields; i++)
		kt_buf_printf(&b, "%s: %s\n", r->fields[i].label, r->fields[i].value);
	for (int i = 0; i < r->nprivs; i++)
		kt_buf_printf(&b, "privilege %s: %s\n", r->privs[i].item, r->privs[i].meaning);
	for (int i = 0; i < r->nwarnings; i++)
		kt_buf_printf(&b, "warning: %s\n", r->warnings[i].text);
	return kt_buf_steal(&b);
}

void ksi_report_free(ksi_report *r)
{
	for (int i = 0; i < r->nfields; i++)
		free(r->fields[i].value);
	for (int i = 0; i < r->nprivs; i++) {
		free(r->privs[i].item);
		free(r->privs[i].meaning);
	}
	for (int i = 0; i < r->nwarnings; i++)
		free(r->warnings[i].text);
	free(r->fields);
	free(r->privs);
	free(r->warnings);
	*r = (ksi_report){0};
}
