// SPDX-License-Identifier: GPL-2.0
/*
 * mapshadow explain PID ADDR: a user address's folio, through
 * /proc/PID/pagemap, with mapshadow's shadow beside the kernel's counters,
 * /proc/kpagecount and /proc/kpageflags (MAPSHADOW_PROC replaces /proc).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* --- explain ------------------------------------------------------------ */

/* The 8-byte entry for index @i of a /proc file of u64s. */
static uint64_t proc_u64(const char *path, uint64_t i)
{
	uint64_t v;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == EACCES || errno == EPERM)
			fail("permission denied reading %s: run as root", path);
		fail("cannot open %s: %s", path, strerror(errno));
	}
	n = pread(fd, &v, sizeof(v), (off_t)(i * sizeof(v)));
	close(fd);
	if (n != (ssize_t)sizeof(v))
		fail("cannot read entry %" PRIu64 " of %s: %s", i, path,
		     n < 0 ? strerror(errno) : "short read");
	return v;
}

/* The folio file: "key: value..." lines (values may hold spaces). */
struct folio_lines {
	struct {
		char key[MS_KEY_MAX + 1];
		char value[256];
	} *v;
	size_t n;
};

/* The folio file's value of @key ("" when absent). */
static const char *folio_value(const struct folio_lines *l, const char *key)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].key, key))
			return l->v[i].value;
	return "";
}

static void read_folio(const struct ms_state *s, struct folio_lines *l)
{
	char path[PATH_MAX], *line = NULL;
	size_t cap = 0;
	FILE *f = open_to_read(s, "folio", path);

	while (getline(&line, &cap, f) >= 0) {
		char *colon = strchr(line, ':');
		typeof(*l->v) st = { 0 };

		if (!colon)
			continue;
		*colon = '\0';
		line[strcspn(line, "\n")] = '\0';
		snprintf(st.key, sizeof(st.key), "%s", line);
		colon += 1 + (colon[1] == ' ');
		colon[strcspn(colon, "\n")] = '\0';
		snprintf(st.value, sizeof(st.value), "%s", colon);
		l->v = grow(l->v, l->n, sizeof(*l->v));
		l->v[l->n++] = st;
	}
	free(line);
	fclose(f);
}

int cmd_explain(struct ms_state *s, int argc, char **argv)
{
	const char *proc = getenv("MAPSHADOW_PROC");
	struct folio_lines folio = { 0 };
	char path[PATH_MAX], verb[64], names[512], *end;
	uint64_t addr, entry, pfn = 0, head, count, flags;
	size_t i, n = 0;
	long pid;

	if (argc != 3)
		usage_error("explain: needs PID ADDR");
	errno = 0;
	pid = strtol(argv[1], &end, 10);
	if (errno || *end || pid <= 0 || pid > 4194304)
		usage_error("explain: bad pid '%s'", argv[1]);
	errno = 0;
	addr = strtoull(argv[2], &end, 0);
	if (errno || *end || argv[2][0] == '-')
		usage_error("explain: bad address '%s' (0x... or decimal)", argv[2]);
	check_dir(s->dir);
	if (!proc || !*proc)
		proc = "/proc";
	snprintf(path, sizeof(path), "%s/%ld/pagemap", proc, pid);
	entry = proc_u64(path, addr / (uint64_t)sysconf(_SC_PAGESIZE));
	switch (ms_pagemap_decode(entry, &pfn)) {
	case MS_PAGEMAP_HIDDEN:
		fail("%s hides page frame numbers: run as root", path);
	case MS_PAGEMAP_SWAPPED:
		fail("0x%" PRIx64 " of process %ld is swapped out: no folio to explain", addr, pid);
	case MS_PAGEMAP_NONE:
		fail("nothing is mapped at 0x%" PRIx64 " in process %ld", addr, pid);
	}
	snprintf(verb, sizeof(verb), "show pfn=0x%" PRIx64, pfn);
	control(s, verb);
	read_folio(s, &folio);
	head = strtoull(folio_value(&folio, "head_pfn"), NULL, 16);
	snprintf(path, sizeof(path), "%s/kpagecount", proc);
	count = proc_u64(path, pfn);
	snprintf(path, sizeof(path), "%s/kpageflags", proc);
	flags = proc_u64(path, pfn);
	ms_kpageflags_names(flags, names, sizeof(names));
	printf("process %ld address 0x%" PRIx64 ": pfn 0x%" PRIx64 ", folio 0x%" PRIx64 " of order %s\n",
	       pid, addr, pfn, head, folio_value(&folio, "order"));
	printf("  mapshadow  tracked %s", folio_value(&folio, "tracked"));
	if (!strcmp(folio_value(&folio, "tracked"), "yes"))
		printf(", %s, shadow mapcount %s", folio_value(&folio, "state"),
		       folio_value(&folio, "shadow_mapcount"));
	printf("\n  kernel     folio_mapcount() %s, %s\n",
	       folio_value(&folio, "live_mapcount"), folio_value(&folio, "raw_words"));
	printf("  /proc      kpagecount %" PRIu64 ", kpageflags %s\n", count, names);
	printf("  shared     exact %s, kernel %s (%s), answer %s\n",
	       folio_value(&folio, "exact"), folio_value(&folio, "kernel"),
	       folio_value(&folio, "kernel_function"), folio_value(&folio, "answer"));
	if (*folio_value(&folio, "kernel_rules"))
		printf("  rules      %s\n", folio_value(&folio, "kernel_rules"));
	load_findings(s);
	for (i = 0; i < s->nr_findings; i++) {
		const struct ms_finding_row *f = &s->findings[i];

		if (f->pfn != head)
			continue;
		printf("  finding    %" PRIu64 ": %s, shadow %" PRId32 " live %" PRId32
		       " (%s in %s)\n", f->id, f->kind, f->shadow, f->live,
		       f->comm, f->source);
		n++;
	}
	if (!n)
		printf("  findings   none for this folio\n");
	free(folio.v);
	return 0;
}
