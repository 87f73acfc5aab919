/* endpoint: the console's endpoint and the region chooser (F2). */
#include "endpoint.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "region.h"
#include "sandbox/sandbox.h"
#include "util.h"

static void set_endpoint(console *c, console_endpoint *ep, const char *name, const char *url)
{
	free(ep->name);
	free(ep->url);
	ep->name = name ? kt_xstrdup(name) : NULL;
	ep->url = kt_xstrdup(url);
	console_use_endpoint(c, name, url);
}

int endpoint_sandbox(console *c, console_endpoint *ep, kt_error *err)
{
	if (!sandbox_url()) {
		sandbox_opts so = { 0 };
		if (sandbox_start(&so, err) < 0)
			return -1;
	}
	set_endpoint(c, ep, "local", sandbox_url());
	char pid[32];
	snprintf(pid, sizeof pid, "%lld", sandbox_partner_id());
	/* the walkthrough needs no typed secrets; the values stay in the sandbox's session */
	form_pane_prefill(c, "partnerId", pid);
	form_pane_prefill(c, "secret", sandbox_admin_secret());
	session_add_secret(c->session, sandbox_user_secret());
	return 0;
}

static void region_chosen(console *c, const char *text, void *ud);

static void region_picked(console *c, int index, void *ud)
{
	console_endpoint *ep = ud;
	size_t n;
	const region *rs = region_list(&n);
	if (index < 0)
		return;
	if ((size_t)index < n) {
		set_endpoint(c, ep, rs[index].name, rs[index].url);
	} else if ((size_t)index == n) {
		kt_error err = { 0 };
		if (endpoint_sandbox(c, ep, &err) < 0)
			console_status(c, MSG_ERROR, "Sandbox: %s", err.msg);
	} else {
		console_prompt(c, "Service URL: ", ep->url, region_chosen, ep);
	}
}

static void region_chosen(console *c, const char *text, void *ud)
{
	console_endpoint *ep = ud;
	if (!text)
		return;
	kt_error err = { 0 };
	char *url = region_normalize_url(text, &err);
	if (!url) {
		console_status(c, MSG_ERROR, "%s", err.msg);
		return;
	}
	set_endpoint(c, ep, NULL, url);
	free(url);
}

void endpoint_choose(console *c, console_endpoint *ep)
{
	size_t n, cur = 0;
	const region *rs = region_list(&n);
	char **items = kt_xmalloc((n + 2) * sizeof *items);
	for (size_t i = 0; i < n; i++) {
		items[i] = kt_xmalloc(160);
		snprintf(items[i], 160, "%-6s %-34s %s", rs[i].name, rs[i].url, rs[i].label);
		if (ep->name && !strcmp(ep->name, rs[i].name))
			cur = i;
	}
	items[n] = kt_xmalloc(160);
	snprintf(items[n], 160, "%-6s %-34s %s", "local",
		 sandbox_url() ? sandbox_url() : "(starts it)", "the sandbox inside ktestme");
	if (ep->name && !strcmp(ep->name, "local"))
		cur = n;
	items[n + 1] = kt_xstrdup("custom  any service URL (on-prem) ...");
	if (!ep->name)
		cur = n + 1;
	console_choose(c, "Region or endpoint", (const char *const *)items, n + 2, cur,
		       region_picked, ep);
	for (size_t i = 0; i < n + 2; i++)
		free(items[i]);
	free(items);
}

void endpoint_configure(console *c, console_endpoint *ep, const char *region_name, const char *url)
{
	const region *r = region_name ? region_find(region_name) : NULL;
	size_t nr;
	const region *all = region_list(&nr);
	for (size_t i = 0; !r && i < nr; i++)
		if (!strcmp(all[i].url, url))
			r = &all[i]; /* a region's URL given by --url or the environment */
	set_endpoint(c, ep, r ? r->name : NULL, url);
	/* the environment's credentials are for the endpoint it names, not for every other */
	const char *pid = getenv("KALTURA_PARTNER_ID"), *secret = getenv("KALTURA_ADMIN_SECRET");
	if (pid && *pid)
		form_pane_prefill(c, "partnerId", pid);
	if (secret && *secret)
		form_pane_prefill(c, "secret", secret);
}

void endpoint_use(console *c, console_endpoint *ep, const char *name, const char *url)
{
	set_endpoint(c, ep, name, url);
}

void endpoint_free(console_endpoint *ep)
{
	free(ep->name);
	free(ep->url);
	ep->name = ep->url = NULL;
}
