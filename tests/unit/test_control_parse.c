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
		"stack=", "stack=yes", "sites=", "races=", "races=some", "widen=", "widen=-1", "widen=01", "widen=1001", "widen=10000", "widen=1x", "replay=", "enable 1", "filter",
		"filter ", "filter pid=", "filter pid=0", "filter pid=-1",
		"filter pid=01", "filter pid=4194305", "filter pid=12a",
		"filter pid=99999999", "filter pid= 5", "filter comm=",
		"filter comm=a b", "filter comm=0123456789abcdef",
		"filter comm=\x01", "filter all x", "filter  all",
	};
	static const struct { const char *in; enum ms_verb verb; } good[] = {
		{ "clear", MS_VERB_CLEAR }, { "stack=on", MS_VERB_STACK_ON },
		{ "stack=off", MS_VERB_STACK_OFF }, { "enable", MS_VERB_ENABLE },
		{ "disable", MS_VERB_DISABLE }, { "sites=on", MS_VERB_SITES_ON },
		{ "sites=off", MS_VERB_SITES_OFF },
		{ "races=on", MS_VERB_RACES_ON }, { "races=all", MS_VERB_RACES_ALL },
		{ "races=off", MS_VERB_RACES_OFF }, { "replay=on", MS_VERB_REPLAY_ON },
		{ "replay=off", MS_VERB_REPLAY_OFF },
		{ "filter all", MS_VERB_FILTER_ALL },
	};
	struct ms_command cmd;
	char big[MS_CONTROL_MAX + 8];
	unsigned int i, rejected = 0;

	is_int(parse("scan"), 0, "scan");
	is_int(parse("scan\n"), 0, "scan with echo's newline");
	ms_control_parse("scan\n", 5, &cmd);
	is_int(cmd.verb, MS_VERB_SCAN, "scan verb");
	for (i = 0; i < ARRAY_SIZE(good); i++) {
		is_int(ms_control_parse(good[i].in, strlen(good[i].in), &cmd), 0,
		       "accept '%s'", good[i].in);
		is_int(cmd.verb, good[i].verb, "verb of '%s'", good[i].in);
	}
	is_int(parse("show pfn=0x1a2b3c"), 0, "show pfn=0x1a2b3c");
	ms_control_parse("show pfn=0xfffffffffffff", 24, &cmd);
	is_int(cmd.verb, MS_VERB_SHOW_PFN, "show verb");
	ok(cmd.pfn == 0xfffffffffffffULL, "13-digit pfn");
	is_int(parse("show pfn=0x"), -EINVAL, "show pfn without digits");
	is_int(parse("show pfn=1234"), -EINVAL, "show pfn without 0x");
	is_int(parse("show pfn=0x12G"), -EINVAL, "show pfn with a bad digit");
	is_int(parse("show pfn=0xABC"), -EINVAL, "show pfn upper case");
	is_int(parse("show pfn=0x12345678901234"), -EINVAL, "show pfn too long");
	is_int(parse("filter pid=1"), 0, "filter pid=1");
	ms_control_parse("filter pid=4194304\n", 19, &cmd);
	is_int(cmd.verb, MS_VERB_FILTER_PID, "filter pid verb");
	is_int(cmd.pid, 4194304, "largest pid");
	is_int(parse("filter comm=fork-cow"), 0, "filter comm=fork-cow");
	ms_control_parse("filter comm=0123456789abcde", 27, &cmd);
	is_str(cmd.comm, "0123456789abcde", "15-character comm");
	ms_control_parse("widen=0", 7, &cmd);
	is_int(cmd.verb == MS_VERB_WIDEN && cmd.us == 0, 1, "widen=0: off");
	ms_control_parse("widen=1000", 10, &cmd);
	is_int(cmd.us, 1000, "widen=1000: the longest");
	ms_control_parse("widen=250\n", 10, &cmd);
	is_int(cmd.us, 250, "widen=250 with echo's newline");
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
