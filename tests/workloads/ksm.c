// SPDX-License-Identifier: GPL-2.0
/*
 * ksm: identical anonymous pages merged by KSM, shared by a child, unmerged.
 *
 * Every small page of the region gets the same content and the region is
 * advised MADV_MERGEABLE; the guest test starts ksmd (run=1, fast scan).
 * The program waits (at most 20 s) until /proc/self/ksm_merging_pages (or,
 * on kernels without it, /sys/kernel/mm/ksm/pages_sharing) shows merges:
 * ksmd replaced the pages' mappings by mappings of a few KSM folios
 * (replace_page: folio_add_anon_rmap_pte of the KSM folio, remove of the
 * old one).  A child inherits the merged mappings and writes one page in
 * eight (COW away from the KSM folio).  After the child has gone the parent
 * writes another page in eight, then MADV_UNMERGEABLE copies the rest back
 * into ordinary anonymous pages.
 */
#include <errno.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>

#include "common.h"

#define SEED_SAME	1
#define SEED_CHILD	2
#define SEED_PARENT	3
#define WAIT_MS		20000

/* One tag for every page: the pages are identical. */
static void fill_same(char *p, size_t len)
{
	size_t off;

	for (off = 0; off < len; off += WL_PAGE_SIZE)
		*(volatile uint64_t *)(p + off) = wl_tag(SEED_SAME, 0);
}

/* Page i holds the tag of @seed if i % 8 == @which, else the common tag. */
static void write_eighth(char *p, size_t len, unsigned int which, uint64_t seed)
{
	size_t off;

	for (off = which * WL_PAGE_SIZE; off < len; off += 8 * WL_PAGE_SIZE)
		*(volatile uint64_t *)(p + off) = wl_tag(seed, off);
}

static void verify(const char *p, size_t len, bool child_eighth,
		   bool parent_eighth, const char *what)
{
	size_t off;

	for (off = 0; off < len; off += WL_PAGE_SIZE) {
		size_t i = off / WL_PAGE_SIZE % 8;
		uint64_t want = wl_tag(SEED_SAME, 0);

		if (i == 0 && child_eighth)
			want = wl_tag(SEED_CHILD, off);
		if (i == 1 && parent_eighth)
			want = wl_tag(SEED_PARENT, off);
		if (*(const volatile uint64_t *)(p + off) != want)
			wl_fail(what, "page at +0x%zx has the wrong content", off);
	}
}

static long read_long(const char *path)
{
	FILE *f = fopen(path, "r");
	long v = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

static long merged(void)
{
	long v = read_long("/proc/self/ksm_merging_pages");

	return v >= 0 ? v : read_long("/sys/kernel/mm/ksm/pages_sharing");
}

static void wait_merged(const struct wl_opts *o, size_t pages)
{
	const struct timespec tick = { 0, 100 * 1000 * 1000 };
	long n = 0;
	int ms;

	/* Most pages, or whatever ksmd managed by the deadline. */
	for (ms = 0; ms < WAIT_MS; ms += 100) {
		n = merged();
		if (n >= (long)(pages / 2))
			break;
		nanosleep(&tick, NULL);
	}
	if (n <= 0)
		wl_fail("ksm", "no pages merged within %d s (is ksmd running?)",
			WAIT_MS / 1000);
	wl_info(o, "%ld of %zu pages merged after %d ms", n, pages, ms);
}

static void child(char *p, size_t len)
{
	verify(p, len, false, false, "child verify merged");
	write_eighth(p, len, 0, SEED_CHILD);
	verify(p, len, true, false, "child verify copies");
	wl_hold_child();
	_exit(0);
}

static void scenario(const struct wl_opts *o)
{
	size_t len = o->size;
	char *p = wl_alloc_anon(len, false);
	pid_t pid;

	fill_same(p, len);
	if (madvise(p, len, MADV_MERGEABLE)) {
		if (errno == EINVAL)
			wl_skip("no KSM (MADV_MERGEABLE: EINVAL)");
		wl_fatal("madvise MADV_MERGEABLE");
	}
	wait_merged(o, len / WL_PAGE_SIZE);

	pid = wl_fork();
	if (!pid)
		child(p, len);
	wl_hold(1);
	wl_wait_child(pid);

	verify(p, len, false, false, "parent verify merged");
	write_eighth(p, len, 1, SEED_PARENT);
	if (madvise(p, len, MADV_UNMERGEABLE))
		wl_fatal("madvise MADV_UNMERGEABLE");
	verify(p, len, false, true, "parent verify unmerged");
	wl_munmap(p, len);
}

int main(int argc, char **argv)
{
	struct wl_opts o;

	wl_parse_opts(&o, argc, argv, "ksm", 0);
	return wl_run(&o, scenario);
}
