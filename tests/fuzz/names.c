// SPDX-License-Identifier: GPL-2.0
/*
 * The names of the program format: verbs, mapping types, madvise advice
 * (values from the kernel's include/uapi/asm-generic/mman-common.h, here
 * because older libc headers lack the newer ones) and protections.
 */
#include <ctype.h>
#include <string.h>
#include <sys/mman.h>

#include "msfuzz.h"

const char * const ms_verb_names[RT_V_NR] = {
	[RT_V_NONE] = "none",
	[RT_V_MAP] = "map",
	[RT_V_MUNMAP] = "munmap",
	[RT_V_MPROTECT] = "mprotect",
	[RT_V_MADVISE] = "madvise",
	[RT_V_MREMAP] = "mremap",
	[RT_V_MLOCK] = "mlock",
	[RT_V_MUNLOCK] = "munlock",
	[RT_V_WRITE] = "write",
	[RT_V_READ] = "read",
	[RT_V_FORK] = "fork",
	[RT_V_EXIT] = "exit",
	[RT_V_EXEC] = "exec",
	[RT_V_PMADVISE] = "pmadvise",
	[RT_V_MIGRATE] = "migrate",
	[RT_V_MBIND] = "mbind",
	[RT_V_UFFD_COPY] = "uffd-copy",
	[RT_V_UFFD_ZERO] = "uffd-zero",
	[RT_V_UFFD_MOVE] = "uffd-move",
	[RT_V_PUNCH] = "punch",
	[RT_V_TRUNCATE] = "truncate",
	[RT_V_SPLIT] = "split",
	[RT_V_COMPACT] = "compact",
	[RT_V_DROPCACHES] = "dropcaches",
	[RT_V_SLEEP] = "sleep",
	[RT_V_INJECT] = "inject",
};

const char * const ms_type_names[RT_T_NR] = {
	[RT_T_ANON] = "anon",
	[RT_T_ANON_THP] = "anon-thp",
	[RT_T_ANON_MTHP] = "anon-mthp",
	[RT_T_ANON_SHARED] = "anon-shared",
	[RT_T_ANON_KSM] = "anon-ksm",
	[RT_T_MEMFD] = "memfd",
	[RT_T_MEMFD_HUGE] = "memfd-huge",
	[RT_T_SHMEM] = "shmem",
	[RT_T_SHMEM_HUGE] = "shmem-huge",
	[RT_T_FILE] = "file",
	[RT_T_HUGETLB] = "hugetlb",
	[RT_T_DAX] = "dax",
	[RT_T_HUGETLB_1G] = "hugetlb-1g",
	[RT_T_DAX_1G] = "dax-1g",
};

static const struct {
	const char *name;
	int value;
} ms_advices[] = {
	{ "NORMAL", 0 },
	{ "RANDOM", 1 },
	{ "SEQUENTIAL", 2 },
	{ "WILLNEED", 3 },
	{ "DONTNEED", 4 },
	{ "FREE", 8 },
	{ "REMOVE", 9 },
	{ "DONTFORK", 10 },
	{ "DOFORK", 11 },
	{ "MERGEABLE", 12 },
	{ "UNMERGEABLE", 13 },
	{ "HUGEPAGE", 14 },
	{ "NOHUGEPAGE", 15 },
	{ "WIPEONFORK", 18 },
	{ "KEEPONFORK", 19 },
	{ "COLD", 20 },
	{ "PAGEOUT", 21 },
	{ "POPULATE_READ", 22 },
	{ "POPULATE_WRITE", 23 },
	{ "DONTNEED_LOCKED", 24 },
	{ "COLLAPSE", 25 },
	{ "HWPOISON", 100 },
	{ "SOFT_OFFLINE", 101 },
	{ "GUARD_INSTALL", 102 },
	{ "GUARD_REMOVE", 103 },
};

#define MS_NADVICES	((int)ARRAY_SIZE(ms_advices))

static const char * const ms_prots[] = { "none", "r", "rw", "rx", "rwx" };
static const int ms_prot_values[] = {
	PROT_NONE, PROT_READ, PROT_READ | PROT_WRITE, PROT_READ | PROT_EXEC,
	PROT_READ | PROT_WRITE | PROT_EXEC,
};

int ms_lookup(const char * const *names, int n, const char *s)
{
	int i;

	for (i = 0; i < n; i++)
		if (names[i] && !strcmp(names[i], s))
			return i;
	return -1;
}

const char *ms_advice_name(int value)
{
	int i;

	for (i = 0; i < MS_NADVICES; i++)
		if (ms_advices[i].value == value)
			return ms_advices[i].name;
	return NULL;
}

int ms_advice_value(const char *name)
{
	int i;

	for (i = 0; i < MS_NADVICES; i++)
		if (!strcmp(ms_advices[i].name, name))
			return ms_advices[i].value;
	return -1;
}

const char *ms_prot_name(int prot)
{
	int i;

	for (i = 0; i < (int)ARRAY_SIZE(ms_prots); i++)
		if (ms_prot_values[i] == prot)
			return ms_prots[i];
	return NULL;
}

int ms_prot_value(const char *name)
{
	int i = ms_lookup(ms_prots, ARRAY_SIZE(ms_prots), name);

	return i < 0 ? -1 : ms_prot_values[i];
}

/* "uffd-copy" with prefix "RT_V_" -> "RT_V_UFFD_COPY": rt.h's enum names. */
void ms_enum_name(char *buf, size_t size, const char *prefix, const char *name)
{
	size_t n = strlen(prefix), i;

	snprintf(buf, size, "%s%s", prefix, name);
	for (i = n; buf[i]; i++)
		buf[i] = buf[i] == '-' ? '_' : toupper((unsigned char)buf[i]);
}
