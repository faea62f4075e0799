// SPDX-License-Identifier: GPL-2.0
/* The debugfs control-verb parser (module/control_parse.c). */
#include <stdlib.h>
#include "tap.h"
#include "control_parse.h"

static int parse(const char *s)
{
	struct ms_command cmd;

	return ms_control_parse(s, strlen(s), &cmd);
}

int main(void)
{
	static const char * const bad[] = {
		"", "\n", "scan\n\n", "scan ", " scan", "scanx", "SCAN",
		"sca", "scan\nscan", "scan=1", "clear!", "\xff\xfe",
	};
	struct ms_command cmd;
	char big[MS_CONTROL_MAX + 8];
	unsigned int i, rejected = 0;

	is_int(parse("scan"), 0, "scan");
	is_int(parse("scan\n"), 0, "scan with echo's newline");
	ms_control_parse("scan\n", 5, &cmd);
	is_int(cmd.verb, MS_VERB_SCAN, "scan verb");
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		is_int(parse(bad[i]), -EINVAL, "reject '%s'", bad[i]);
	is_int(ms_control_parse("scan\0x", 6, &cmd), -EINVAL, "reject embedded NUL");
	memset(big, 's', sizeof(big));
	is_int(ms_control_parse(big, sizeof(big), &cmd), -EINVAL, "reject overlong");
	/* Random garbage: never accepted unless it is exactly a verb. */
	srand(1);
	for (i = 0; i < 20000; i++) {
		unsigned int len = rand() % (MS_CONTROL_MAX + 4), j;

		for (j = 0; j < len; j++)
			big[j] = rand() % 256;
		if (ms_control_parse(big, len, &cmd) == -EINVAL)
			rejected++;
	}
	is_int(rejected, 20000, "20000 random inputs rejected");
	return tap_finish();
}
