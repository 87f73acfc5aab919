#include "err.h"

#include <stdarg.h>
#include <stdio.h>

int kt_fail(kt_error *err, kt_code code, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		err->code = code;
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
		va_end(ap);
	}
	return -1;
}

void kt_error_clear(kt_error *err)
{
	if (err) {
		err->code = KT_OK;
		err->msg[0] = '\0';
	}
}

#define KT_CODE_INFO(name, value, text) {name, #name, text},
static const kt_code_info codes[] = { KT_CODES(KT_CODE_INFO) };

const kt_code_info *kt_codes(size_t *n)
{
	*n = sizeof codes / sizeof codes[0];
	return codes;
}
