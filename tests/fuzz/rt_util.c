// SPDX-License-Identifier: GPL-2.0
/*
 * Small helpers of the runtime: result names for the log, and sizes from
 * the environment.
 */
#include "rt.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *rt_result_name(int res, char *buf, unsigned long size)
{
	static const char * const names[] = {
		"ok", "SIGSEGV", "SIGBUS", "skip", "nohandle", "budget",
		"dead", "timeout", "died",
	};

	if (res >= 0 && res < (int)ARRAY_SIZE(names))
		return names[res];
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 32)
	if (res < 0 && strerrorname_np(-res))
		return strerrorname_np(-res);
#endif
	snprintf(buf, size, res < 0 ? "errno%d" : "result%d", res < 0 ? -res : res);
	return buf;
}

/* $NAME as a size: decimal or 0x hex, optional K, M or G; @def if unset. */
unsigned long rt_env_size(const char *name, unsigned long def)
{
	const char *s = getenv(name);
	unsigned long v;
	char *end;

	if (!s || !*s)
		return def;
	errno = 0;
	v = strtoul(s, &end, s[0] == '0' && s[1] == 'x' ? 16 : 10);
	if (errno || end == s)
		return def;
	switch (*end) {
	case 'K': case 'k':
		return v << 10;
	case 'M': case 'm':
		return v << 20;
	case 'G': case 'g':
		return v << 30;
	}
	return v;
}
