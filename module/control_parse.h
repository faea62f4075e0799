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
#define MS_WIDEN_MAX_US 1000	/* longest flag-race window, microseconds */
#define MS_COMM_LEN 16		/* TASK_COMM_LEN */

enum ms_verb {
	MS_VERB_SCAN,		/* scan */
	MS_VERB_SITES_ON,	/* sites=on */
	MS_VERB_SITES_OFF,	/* sites=off */
	MS_VERB_RACES_ON,	/* races=on */
	MS_VERB_RACES_OFF,	/* races=off */
	MS_VERB_RACES_ALL,	/* races=all */
	MS_VERB_CLEAR,		/* clear */
	MS_VERB_STACK_ON,	/* stack=on */
	MS_VERB_STACK_OFF,	/* stack=off */
	MS_VERB_ENABLE,		/* enable */
	MS_VERB_DISABLE,	/* disable */
	MS_VERB_FILTER_ALL,	/* filter all */
	MS_VERB_FILTER_PID,	/* filter pid=N */
	MS_VERB_FILTER_COMM,	/* filter comm=NAME */
	MS_VERB_SHOW_PFN,	/* show pfn=0xHEX: the "folio" file shows it */
	MS_VERB_WIDEN,		/* widen=US: flag-race windows, 0..1000 us */
	MS_VERB_REPLAY_ON,	/* replay=on: the PG_partially_mapped bug, test mode */
	MS_VERB_REPLAY_OFF,	/* replay=off */
};

struct ms_command {
	enum ms_verb verb;
	int pid;			/* MS_VERB_FILTER_PID, 1..4194304 */
	char comm[MS_COMM_LEN];		/* MS_VERB_FILTER_COMM, 1..15 chars */
	unsigned long long pfn;		/* MS_VERB_SHOW_PFN, 1..13 hex digits */
	unsigned int us;		/* MS_VERB_WIDEN, 0..MS_WIDEN_MAX_US */
};

int ms_control_parse(const char *buf, size_t len, struct ms_command *cmd);

#endif /* MAPSHADOW_CONTROL_PARSE_H */
