#include "tstamp.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static bool time_name(const char *name, size_t n)
{
	static const char *const ends[] = {"At", "Date", "On"};
	for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
		size_t e = strlen(ends[i]);
		/* "createdAt" yes, "At" alone or "Format"-like lower-case endings no */
		if (n > e && !memcmp(name + n - e, ends[i], e) && name[n - e - 1] >= 'a' &&
		    name[n - e - 1] <= 'z')
			return true;
	}
	return false;
}

/* digits at p (up to end); their value in *v, the byte after them returned */
static const char *number(const char *p, const char *end, long long *v)
{
	*v = 0;
	const char *s = p;
	while (p < end && *p >= '0' && *p <= '9' && p - s < 12)
		*v = *v * 10 + (*p++ - '0');
	return p > s && (p == end || *p < '0' || *p > '9') ? p : NULL;
}

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* the name and the seconds of an XML or JSON line, or false */
static bool parse(const char *s, size_t len, long long *v)
{
	const char *p = s, *end = s + len;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p < end && *p == '<') {
		const char *name = ++p;
		while (p < end && name_char(*p))
			p++;
		size_t n = (size_t)(p - name);
		if (p >= end || *p != '>' || !time_name(name, n))
			return false;
		p = number(p + 1, end, v);
		if (!p || end - p < (long)n + 3 || memcmp(p, "</", 2) || memcmp(p + 2, name, n) ||
		    p[2 + n] != '>')
			return false;
		p += n + 3;
	} else if (p < end && *p == '"') {
		const char *name = ++p;
		while (p < end && name_char(*p))
			p++;
		size_t n = (size_t)(p - name);
		if (p + 1 >= end || p[0] != '"' || p[1] != ':' || !time_name(name, n))
			return false;
		p += 2;
		while (p < end && *p == ' ')
			p++;
		if (!(p = number(p, end, v)))
			return false;
		if (p < end && *p == ',')
			p++;
	} else {
		return false;
	}
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
		p++;
	return p == end;
}

bool tstamp_annotation(const char *line, size_t len, char *out, size_t n)
{
	long long v;
	if (!parse(line, len, &v) || v <= 0 || v > 253402300799LL)
		return false;
	time_t t = (time_t)v;
	struct tm utc, loc;
	if (!gmtime_r(&t, &utc) || !localtime_r(&t, &loc))
		return false;
	char a[40], b[40];
	strftime(a, sizeof a, "%Y-%m-%d %H:%M:%S UTC", &utc);
	if (loc.tm_gmtoff == 0) {
		snprintf(out, n, "%s", a);
	} else {
		strftime(b, sizeof b, "%Y-%m-%d %H:%M:%S %Z", &loc);
		snprintf(out, n, "%s, %s", a, b);
	}
	return true;
}
