/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parser of the debugfs "control" verbs.  Pure: builds in the module and in
 * the userspace unit tests.  Anything it does not accept is -EINVAL and
 * changes nothing.
 */
#ifndef MAPSHADOW_CONTROL_PARSE_H
#define MAPSHADOW_CONTROL_PARSE_H

#include "pure.h"

#define MS_CONTROL_MAX 128	/* longest accepted command, bytes */

enum ms_verb {
	MS_VERB_SCAN,		/* scan */
	MS_VERB_SITES_ON,	/* sites=on */
	MS_VERB_SITES_OFF,	/* sites=off */
};

struct ms_command {
	enum ms_verb verb;
};

int ms_control_parse(const char *buf, size_t len, struct ms_command *cmd);

#endif /* MAPSHADOW_CONTROL_PARSE_H */
