#include "termout.h"

#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>

#include "utf8.h"
#include "util.h"

static bool raw_stdout;

void termout_raw(bool raw)
{
	raw_stdout = raw;
}

static bool filtered(FILE *f)
{
	if (f == stdout)
		return !raw_stdout && isatty(STDOUT_FILENO);
	return true;
}

void termout_write(FILE *f, const char *s, size_t n)
{
	if (!filtered(f)) {
		fwrite(s, 1, n, f);
		return;
	}
	kt_buf b;
	kt_buf_init(&b);
	utf8_sanitize(&b, s, n, true);
	fwrite(b.data, 1, b.len, f);
	kt_buf_free(&b);
}

void termout_line(FILE *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = NULL;
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	kt_buf b;
	kt_buf_init(&b);
	utf8_sanitize(&b, s, (size_t)n, false);
	kt_buf_addc(&b, '\n');
	fwrite(b.data, 1, b.len, f);
	kt_buf_free(&b);
	free(s);
}
