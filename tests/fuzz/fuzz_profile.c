/* libFuzzer target: the config file reader (profiles), on any bytes, as if the file were
 * readable by others (so the warning path runs too). */
#include <stdint.h>
#include <stdlib.h>

#include "app/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	profile_config cfg;
	kt_error err;
	if (profile_parse((const char *)data, size, "fuzz", true, &cfg, &err) == 0) {
		for (int i = 0; i < cfg.n; i++)
			(void)profile_find(&cfg, cfg.profiles[i].name);
		profile_config_free(&cfg);
	}
	return 0;
}
