#include <criterion/criterion.h>
#include <stdlib.h>

#include "region.h"

Test(region, six_regions_with_their_urls)
{
	size_t n;
	const region *r = region_list(&n);
	cr_assert_eq(n, 6);
	cr_assert_str_eq(r[0].name, "us");
	cr_assert_str_eq(region_find("us")->url, "https://www.kaltura.com");
	cr_assert_str_eq(region_find("EU")->url, "https://api.eu.kaltura.com");
	cr_assert_str_eq(region_find("ap")->url, "https://api.ap.kaltura.com");
	cr_assert_str_eq(region_find("sg")->url, "https://api.sg.kaltura.com");
	cr_assert_str_eq(region_find("ca")->url, "https://api.ca.kaltura.com");
	cr_assert_str_eq(region_find("de")->url, "https://api.de.kaltura.com");
	cr_assert_null(region_find("local"));
	cr_assert_null(region_find(""));
}

Test(region, resolve_order)
{
	kt_error e;
	char *u = region_resolve(NULL, NULL, NULL, &e);
	cr_assert_str_eq(u, "https://www.kaltura.com");
	free(u);
	u = region_resolve("de", NULL, "http://env", &e);
	cr_assert_str_eq(u, "https://api.de.kaltura.com");
	free(u);
	u = region_resolve(NULL, "https://kaltura.example.org/", "http://env", &e);
	cr_assert_str_eq(u, "https://kaltura.example.org");
	free(u);
	u = region_resolve(NULL, NULL, "http://127.0.0.1:8080", &e);
	cr_assert_str_eq(u, "http://127.0.0.1:8080");
	free(u);
}

Test(region, pasted_api_urls_are_cut_to_the_service_url)
{
	char *u = region_normalize_url("https://host/api_v3/testme/", NULL);
	cr_assert_str_eq(u, "https://host");
	free(u);
	u = region_normalize_url("http://host:81/kaltura/api_v3", NULL);
	cr_assert_str_eq(u, "http://host:81/kaltura");
	free(u);
}

Test(region, bad_input)
{
	kt_error e;
	cr_assert_null(region_resolve("mars", NULL, NULL, &e));
	cr_assert_eq(e.code, KT_E_USAGE);
	cr_assert(strstr(e.msg, "mars") && strstr(e.msg, "us, eu, ap, sg, ca, de"), "%s", e.msg);
	cr_assert_null(region_resolve("us", "http://x", NULL, &e));
	cr_assert_null(region_normalize_url("ftp://x", &e));
	cr_assert_null(region_normalize_url("www.kaltura.com", &e));
	cr_assert_null(region_normalize_url("https://", &e));
	cr_assert_null(region_normalize_url("https:///path", &e));
	cr_assert_null(region_normalize_url("http://a b", &e));
	cr_assert(strstr(e.msg, "spaces"));
}
