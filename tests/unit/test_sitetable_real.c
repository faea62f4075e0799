// SPDX-License-Identifier: GPL-2.0
/*
 * The site tables that tests/vm/dbg.sh generated (KERNEL-DIR/sites.tbl in
 * the mapshadow cache) read back through module/sitetable_parse.c: every
 * line must parse, the header must be complete and every site consistent
 * with it. For the two builds that the research notes measured by hand
 * (/work/shared/notes: Debian 6.12.117 and 7.3.4) the sites listed there
 * must all be present, the mapcount ones flagged "page" exactly when the
 * notes call them per-page. Skipped when no table has been generated.
 */
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sitetable_parse.h"
#include "tap.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define MAX_SITES	1024

struct want {
	const char *function;
	unsigned int offset;
	enum ms_site_counter counter;
	const char *bytes;	/* NULL: not given in the notes */
	char kind;		/* mapcount: 'f' folio-level, 'p' per-page ("page") */
};

/* kernel-6.12-and-6.1.md section 1c, build id 764949bb... */
static const struct want want_612[] = {
	{ "copy_page_range", 0x80d, MS_CNT_MAPCOUNT, NULL, 'f' },
	{ "copy_page_range", 0x14f5, MS_CNT_MAPCOUNT, NULL, 'f' },
	{ "copy_page_range", 0xe68, MS_CNT_MAPCOUNT, NULL, 'f' },
	{ "copy_page_range", 0x14e0, MS_CNT_MAPCOUNT, NULL, 'f' },
	{ "copy_page_range", 0xda6, MS_CNT_LARGE_MAPCOUNT, NULL, 0 },
	{ "copy_page_range", 0x1623, MS_CNT_LARGE_MAPCOUNT, NULL, 0 },
	{ "copy_page_range", 0xe23, MS_CNT_LARGE_MAPCOUNT, NULL, 0 },
	{ "copy_page_range", 0xb8b, MS_CNT_LARGE_MAPCOUNT, "f0015d50", 0 },
	{ "copy_page_range", 0xda1, MS_CNT_MAPCOUNT, NULL, 'p' },
	{ "copy_page_range", 0xe1e, MS_CNT_MAPCOUNT, NULL, 'p' },
	{ "copy_page_range", 0xb7b, MS_CNT_MAPCOUNT, NULL, 'p' },
	{ "copy_page_range", 0x1614, MS_CNT_MAPCOUNT, NULL, 'p' },
	{ "copy_huge_pmd", 0x367, MS_CNT_ENTIRE_MAPCOUNT, NULL, 0 },
	{ "copy_huge_pmd", 0x36b, MS_CNT_LARGE_MAPCOUNT, NULL, 0 },
	{ "copy_hugetlb_page_range", 0x396, MS_CNT_ENTIRE_MAPCOUNT, NULL, 0 },
	{ "copy_hugetlb_page_range", 0x39b, MS_CNT_LARGE_MAPCOUNT, NULL, 0 },
	{ "hugetlb_fault", 0xbd5, MS_CNT_ENTIRE_MAPCOUNT, NULL, 0 },
	{ "hugetlb_fault", 0xbda, MS_CNT_LARGE_MAPCOUNT, NULL, 0 },
	{ "hugetlb_mfill_atomic_pte", 0x25a, MS_CNT_ENTIRE_MAPCOUNT, NULL, 0 },
	{ "hugetlb_mfill_atomic_pte", 0x25e, MS_CNT_LARGE_MAPCOUNT, NULL, 0 },
	{ "remove_migration_pte", 0x577, MS_CNT_ENTIRE_MAPCOUNT, NULL, 0 },
	{ "remove_migration_pte", 0x57b, MS_CNT_LARGE_MAPCOUNT, NULL, 0 },
	{ "__unmap_hugepage_range", 0x2ec, MS_CNT_ENTIRE_MAPCOUNT, NULL, 0 },
	{ "__unmap_hugepage_range", 0x2f0, MS_CNT_LARGE_MAPCOUNT, NULL, 0 },
	{ "hugetlb_wp", 0x3ca, MS_CNT_ENTIRE_MAPCOUNT, NULL, 0 },
	{ "hugetlb_wp", 0x3ce, MS_CNT_LARGE_MAPCOUNT, NULL, 0 },
	{ "try_to_unmap_one", 0x7ad, MS_CNT_ENTIRE_MAPCOUNT, NULL, 0 },
	{ "try_to_unmap_one", 0x7b1, MS_CNT_LARGE_MAPCOUNT, NULL, 0 },
	{ "try_to_migrate_one", 0x475, MS_CNT_ENTIRE_MAPCOUNT, NULL, 0 },
	{ "try_to_migrate_one", 0x47a, MS_CNT_LARGE_MAPCOUNT, NULL, 0 },
};

/* kernel-7.3.md sections 2b and 2c, build id b3997c9b... */
static const struct want want_73[] = {
	{ "copy_page_range", 0x8f1, MS_CNT_MAPCOUNT, "f041ff4130", 'f' },
	{ "copy_page_range", 0x1131, MS_CNT_MAPCOUNT, "f041ff4230", 'p' },
	{ "copy_page_range", 0x120d, MS_CNT_MAPCOUNT, "f041ff4130", 'f' },
	{ "copy_page_range", 0x1237, MS_CNT_MAPCOUNT, "f041ff4230", 'p' },
	{ "copy_page_range", 0x18a9, MS_CNT_MAPCOUNT, "f0ff4030", 'f' },
	{ "copy_page_range", 0x19d5, MS_CNT_MAPCOUNT, "f0ff4230", 'p' },
	{ "copy_page_range", 0x1d9a, MS_CNT_MAPCOUNT, "f041ff4130", 'f' },
	{ "copy_page_range", 0x1e3a, MS_CNT_MAPCOUNT, "f041ff02", 'p' },
	/* Not in the notes: the out-of-line copy, checked by disassembly. */
	{ "folio_try_dup_anon_rmap_ptes", 0x97, MS_CNT_MAPCOUNT, "f0ff4030", 'p' },
	{ "folio_try_dup_anon_rmap_ptes", 0x17b, MS_CNT_MAPCOUNT, "f0ff4730", 'f' },
	{ "copy_hugetlb_page_range", 0x5e4, MS_CNT_ENTIRE_MAPCOUNT, "f041ff4258", 0 },
	{ "hugetlb_no_page", 0x17c, MS_CNT_ENTIRE_MAPCOUNT, "f0ff4558", 0 },
	{ "hugetlb_mfill_atomic_pte", 0x2fb, MS_CNT_ENTIRE_MAPCOUNT, "f041ff4758", 0 },
	{ "remove_migration_pte", 0x714, MS_CNT_ENTIRE_MAPCOUNT, "f041ff442458", 0 },
	{ "__unmap_hugepage_range", 0x2e2, MS_CNT_ENTIRE_MAPCOUNT, "f0ff4d58", 0 },
	{ "hugetlb_wp", 0x369, MS_CNT_ENTIRE_MAPCOUNT, "f0ff4b58", 0 },
	{ "try_to_migrate_one", 0x69b, MS_CNT_ENTIRE_MAPCOUNT, "f0ff4d58", 0 },
	{ "try_to_unmap_poisoned_hugetlb_one", 0x33f, MS_CNT_ENTIRE_MAPCOUNT, "f0ff4b58", 0 },
};

static const struct {
	const char *build_id;
	const struct want *want;
	size_t n;
} known[] = {
	{ "764949bbe8b7a9241512fbf3b0d66d0ba34686a8", want_612, ARRAY_SIZE(want_612) },
	{ "b3997c9bf954efcafed82ed219434f03b715f8df", want_73, ARRAY_SIZE(want_73) },
};

static struct ms_site sites[MAX_SITES];

static void hex(const unsigned char *b, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
	out[2 * n] = '\0';
}

static void check_known(const char *name, const char *build_id, size_t nsites)
{
	size_t k, i, j;

	for (k = 0; k < ARRAY_SIZE(known); k++) {
		if (strcmp(known[k].build_id, build_id))
			continue;
		for (i = 0; i < known[k].n; i++) {
			const struct want *w = &known[k].want[i];
			const struct ms_site *found = NULL;
			char bytes[2 * MS_SITE_INSN_MAX + 1];

			for (j = 0; j < nsites && !found; j++) {
				if (!strcmp(sites[j].function, w->function) &&
				    sites[j].offset == w->offset)
					found = &sites[j];
			}
			if (!ok(found && found->counter == w->counter,
				"%s: %s+0x%x %s (from the notes)", name, w->function, w->offset,
				ms_site_counter_name(w->counter)))
				continue;
			if (w->bytes) {
				hex(found->bytes, found->nbytes, bytes);
				is_str(bytes, w->bytes, "%s: %s+0x%x bytes", name, w->function,
				       w->offset);
			}
			if (w->kind)
				is_int(found->flags & (MS_SITE_F_PAGE | MS_SITE_F_UNSURE),
				       w->kind == 'p' ? MS_SITE_F_PAGE : 0, "%s: %s+0x%x is %s",
				       name, w->function, w->offset,
				       w->kind == 'p' ? "per-page" : "folio-level");
		}
		return;
	}
	tap_diag("%s: build id %s is not one of the builds the notes measured", name, build_id);
}

static void check_table(const char *path)
{
	const char *name = strstr(path, "kernels/") ? strstr(path, "kernels/") + 8 : path;
	long long field[MS_CNT_NR];
	struct ms_site_line l;
	char line[4096], build_id[2 * MS_SITE_BUILD_ID_MAX + 1] = "";
	unsigned int lineno = 0, bad = 0, magic = 0, ids = 0, releases = 0;
	size_t nsites = 0, i, j, nbad = 0;
	FILE *f = fopen(path, "r");
	int ret, c;

	if (!ok(f != NULL, "%s: opened", name))
		return;
	for (c = 0; c < MS_CNT_NR; c++)
		field[c] = -1;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		ret = ms_site_parse_line(line, strlen(line), &l);
		if (ret < 0) {
			if (bad++ < 5)
				tap_diag("%s:%u: error %d: %s", name, lineno, ret, line);
			continue;
		}
		if (lineno == 1 && ret == MS_SITE_MAGIC)
			magic = l.version;
		if (ret == MS_SITE_BUILD_ID) {
			ids++;
			hex(l.build_id.id, l.build_id.len, build_id);
		}
		releases += ret == MS_SITE_RELEASE;
		if (ret == MS_SITE_FIELD) {
			if (field[l.field.counter] >= 0)
				bad++;
			field[l.field.counter] = l.field.offset;
		}
		if (ret == MS_SITE_SITE && nsites < MAX_SITES)
			sites[nsites++] = l.site;
	}
	fclose(f);
	is_int(bad, 0, "%s: all %u lines parse", name, lineno);
	is_int(magic, MS_SITE_VERSION, "%s: first line is the v%d magic", name, MS_SITE_VERSION);
	is_int(ids, 1, "%s: one build-id line", name);
	ok(releases <= 1, "%s: at most one release line", name);
	for (c = 0; c < MS_CNT_NR; c++)
		ok(field[c] >= 0, "%s: field %s", name, ms_site_counter_name(c));
	ok(nsites > 0 && nsites < MAX_SITES, "%s: %zu sites", name, nsites);

	/* Each site: a lock prefix, a counter at BASEREG + DISP, unique. */
	for (i = 0; i < nsites; i++) {
		const struct ms_site *s = &sites[i];
		bool good = s->nbytes >= 2 && s->bytes[0] == 0xf0 && s->base_width == 64 &&
			    (s->disp == field[s->counter] || s->disp == 0) &&
			    (s->delta.kind == MS_DELTA_REG || s->delta.value != 0);

		for (j = 0; j < i; j++) {
			if (!strcmp(sites[j].function, s->function) &&
			    sites[j].offset == s->offset)
				good = false;
		}
		if (!good && nbad++ < 5)
			tap_diag("%s: odd site %s+0x%x", name, s->function, s->offset);
		if (s->flags & MS_SITE_F_UNSURE)
			tap_diag("%s: %s+0x%x: per-page or folio-level unknown (unsure)", name,
				 s->function, s->offset);
	}
	is_int(nbad, 0, "%s: every site is consistent with the fields", name);
	check_known(name, build_id, nsites);
}

int main(void)
{
	const char *cache = getenv("MAPSHADOW_CACHE");
	const char *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");
	char pattern[4096];
	glob_t g;
	size_t i;

	if (cache && *cache)
		snprintf(pattern, sizeof(pattern), "%s/kernels/*/sites.tbl", cache);
	else if (xdg && *xdg)
		snprintf(pattern, sizeof(pattern), "%s/mapshadow/kernels/*/sites.tbl", xdg);
	else
		snprintf(pattern, sizeof(pattern), "%s/.cache/mapshadow/kernels/*/sites.tbl",
			 home ? home : "");
	if (glob(pattern, 0, NULL, &g) != 0 || !g.gl_pathc) {
		printf("1..0 # SKIP no site table in the cache (%s); make one with tests/vm/dbg.sh\n",
		       pattern);
		printf("# Totals: pass:0 fail:0\n");
		return 0;
	}
	for (i = 0; i < g.gl_pathc; i++)
		check_table(g.gl_pathv[i]);
	globfree(&g);
	return tap_finish();
}
