// SPDX-License-Identifier: GPL-2.0
/* Parser of the "control" verbs; see control_parse.h. */
#include "pure.h"
#include "control_parse.h"

#define MS_PID_MAX 4194304	/* PID_MAX_LIMIT on 64-bit */

static const struct {
	const char *name;
	enum ms_verb verb;
} ms_verbs[] = {
	{ "scan", MS_VERB_SCAN },
	{ "sites=on", MS_VERB_SITES_ON },
	{ "sites=off", MS_VERB_SITES_OFF },
	{ "races=on", MS_VERB_RACES_ON },
	{ "races=off", MS_VERB_RACES_OFF },
	{ "races=all", MS_VERB_RACES_ALL },
	{ "replay=on", MS_VERB_REPLAY_ON },
	{ "replay=off", MS_VERB_REPLAY_OFF },
	{ "clear", MS_VERB_CLEAR },
	{ "stack=on", MS_VERB_STACK_ON },
	{ "stack=off", MS_VERB_STACK_OFF },
	{ "enable", MS_VERB_ENABLE },
	{ "disable", MS_VERB_DISABLE },
	{ "filter all", MS_VERB_FILTER_ALL },
};

static bool ms_prefix(const char *buf, size_t len, const char *p, size_t *plen)
{
	*plen = strlen(p);
	return len > *plen && !memcmp(buf, p, *plen);
}

/*
 * A decimal number: digits only, no sign, no leading zero ("0" itself
 * only when zero is allowed), at most max (below 10^7).
 */
static int ms_parse_decimal(const char *s, size_t len, bool zero, long max,
			    long *out)
{
	long v = 0;
	size_t i;

	if (!len || len > 7 || (s[0] == '0' && (len > 1 || !zero)))
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		v = v * 10 + (s[i] - '0');
	}
	if (v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

/* A task name: 1..15 printable characters other than space. */
static int ms_parse_comm(const char *s, size_t len, char *comm)
{
	size_t i;

	if (!len || len >= MS_COMM_LEN)
		return -EINVAL;
	for (i = 0; i < len; i++)
		if (s[i] <= ' ' || s[i] > '~')
			return -EINVAL;
	memcpy(comm, s, len);
	comm[len] = '\0';
	return 0;
}

/* A pfn: "0x" and 1..13 hex digits (52-bit physical addresses). */
static int ms_parse_pfn(const char *s, size_t len, unsigned long long *pfn)
{
	unsigned long long v = 0;
	size_t i;

	if (len < 3 || len > 15 || s[0] != '0' || s[1] != 'x')
		return -EINVAL;
	for (i = 2; i < len; i++) {
		char c = s[i];
		int d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else
			return -EINVAL;
		v = v * 16 + d;
	}
	*pfn = v;
	return 0;
}

/*
 * One command per write: a verb, optionally followed by one newline (what
 * echo appends).  No other bytes, no NULs, nothing after the newline.
 */
int ms_control_parse(const char *buf, size_t len, struct ms_command *cmd)
{
	struct ms_command c;
	size_t i, n;
	long v;

	memset(&c, 0, sizeof(c));
	if (len && buf[len - 1] == '\n')
		len--;
	if (!len || len > MS_CONTROL_MAX)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(ms_verbs); i++) {
		if (strlen(ms_verbs[i].name) == len &&
		    !memcmp(ms_verbs[i].name, buf, len)) {
			c.verb = ms_verbs[i].verb;
			*cmd = c;
			return 0;
		}
	}
	if (ms_prefix(buf, len, "filter pid=", &n)) {
		c.verb = MS_VERB_FILTER_PID;
		if (ms_parse_decimal(buf + n, len - n, false, MS_PID_MAX, &v))
			return -EINVAL;
		c.pid = (int)v;
	} else if (ms_prefix(buf, len, "show pfn=", &n)) {
		c.verb = MS_VERB_SHOW_PFN;
		if (ms_parse_pfn(buf + n, len - n, &c.pfn))
			return -EINVAL;
	} else if (ms_prefix(buf, len, "widen=", &n)) {
		c.verb = MS_VERB_WIDEN;
		if (ms_parse_decimal(buf + n, len - n, true, MS_WIDEN_MAX_US, &v))
			return -EINVAL;
		c.us = (unsigned int)v;
	} else if (ms_prefix(buf, len, "filter comm=", &n)) {
		c.verb = MS_VERB_FILTER_COMM;
		if (ms_parse_comm(buf + n, len - n, c.comm))
			return -EINVAL;
	} else {
		return -EINVAL;
	}
	*cmd = c;
	return 0;
}
