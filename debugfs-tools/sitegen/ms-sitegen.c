// SPDX-License-Identifier: GPL-2.0
/*
 * ms-sitegen [-I SOURCE] VMLINUX > sites.tbl
 * ms-sitegen --races VMLINUX
 *
 * Reads a kernel's DWARF vmlinux (Debian: linux-image-ABI-dbg) and prints
 * the table of the mapcount writes inlined from include/linux/rmap.h, the
 * places mapshadow must probe by instruction because they have no symbol
 * of their own, followed by the inventory of the writes to struct page
 * flags words in mm/ code ("race" lines). --races prints that inventory
 * as a report for people instead. See sitegen.h for the parts, output.c
 * and raceout.c for the format.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sitegen.h"

const char *const sg_counter_names[SG_NR_COUNTERS] = {
	[SG_MAPCOUNT] = "mapcount",
	[SG_LARGE_MAPCOUNT] = "large_mapcount",
	[SG_ENTIRE_MAPCOUNT] = "entire_mapcount",
	[SG_NR_PAGES_MAPPED] = "nr_pages_mapped",
};

void sg_die(const char *fmt, ...)
{
	va_list ap;

	fputs("ms-sitegen: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

void sg_warn(const char *fmt, ...)
{
	va_list ap;

	fputs("ms-sitegen: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void *sg_alloc(size_t n)
{
	void *p = calloc(1, n ? n : 1);

	if (!p)
		sg_die("out of memory");
	return p;
}

/* Make room for need elements of size bytes in p (capacity *cap). */
void *sg_grow(void *p, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap ? *cap : 64;

	if (need <= *cap)
		return p;
	while (n < need)
		n *= 2;
	p = realloc(p, n * size);
	if (!p)
		sg_die("out of memory");
	*cap = n;
	return p;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct sg_elf e;
	struct sg_dwarf d;
	struct sg_result r;
	struct sg_races rs;
	const char *source = NULL;
	double t0 = now();
	bool report;
	const char *path;

	if (argc == 4 && !strcmp(argv[1], "-I")) {
		source = argv[2];
		argc -= 2;
		argv += 2;
	}
	report = argc == 3 && !strcmp(argv[1], "--races");
	path = argv[argc - 1];
	if ((argc != 2 && !report) || path[0] == '-') {
		fprintf(stderr, "usage: ms-sitegen [-I SOURCE] VMLINUX > sites.tbl\n"
			"       ms-sitegen --races VMLINUX\n"
			"  VMLINUX: the kernel with DWARF (Debian: linux-image-ABI-dbg)\n"
			"  SOURCE: its source or headers tree (include/linux/rmap.h), for\n"
			"          sites its DWARF cannot tell page from folio; without\n"
			"          it, the rmap.h the DWARF names (a self-built tree)\n"
			"  --races: the flags inventory as a report, not the table\n");
		return 2;
	}
	sg_elf_open(&e, path);
	sg_dwarf_walk(&d, e.elf);
	sg_races_find(&rs, &e, &d);
	if (report) {
		sg_races_print_report(&rs, &e, &d);
	} else {
		sg_classify(&r, &e, &d);
		sg_page_kinds(&r, &e, &d, source);
		if (!r.nsites)
			sg_warn("no sites found");
		sg_print(&r, &e, &d);
		sg_races_print_table(&rs, &d);
	}
	if (fflush(stdout) || ferror(stdout))
		sg_die("writing the table failed");
	if (!report)
		sg_print_summary(&r, &d, now() - t0);
	sg_races_summary(&rs);
	sg_elf_close(&e);
	return 0;
}
