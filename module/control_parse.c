// SPDX-License-Identifier: GPL-2.0
/* Parser of the "control" verbs; see control_parse.h. */
#include "pure.h"
#include "control_parse.h"

static const struct {
	const char *name;
	enum ms_verb verb;
} ms_verbs[] = {
	{ "scan", MS_VERB_SCAN },
	{ "sites=on", MS_VERB_SITES_ON },
	{ "sites=off", MS_VERB_SITES_OFF },
};

/*
 * One command per write: a verb, optionally followed by one newline (what
 * echo appends).  No other bytes, no NULs, nothing after the newline.
 */
int ms_control_parse(const char *buf, size_t len, struct ms_command *cmd)
{
	size_t i;

	if (len && buf[len - 1] == '\n')
		len--;
	if (!len || len > MS_CONTROL_MAX)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(ms_verbs); i++) {
		if (strlen(ms_verbs[i].name) == len &&
		    !memcmp(ms_verbs[i].name, buf, len)) {
			cmd->verb = ms_verbs[i].verb;
			return 0;
		}
	}
	return -EINVAL;
}
