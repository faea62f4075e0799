// SPDX-License-Identifier: GPL-2.0
/*
 * collapse: small pages collapsed into a THP, by MADV_COLLAPSE or khugepaged.
 *
 * The anonymous region is faulted in as small pages (MADV_NOHUGEPAGE), then
 * advised MADV_HUGEPAGE.
 *   -m madvise (default): a child forked after the fill keeps the small
 *      pages mapped; the parent writes one page per THP (a collapse needs
 *      a writable PTE in the range, fork write-protected them all) and its
 *      MADV_COLLAPSE copies the pages into new THPs (folio_add_new_anon_rmap
 *      of a PMD-mapped folio, the small pages' rmaps removed).  The -f file (default /tmp/mapshadow-file, on tmpfs)
 *      is written, mapped MAP_SHARED, read through small page cache folios
 *      and collapsed too: a huge page cache folio mapped by PMD
 *      (folio_add_file_rmap_pmd).  A file system without file THP
 *      (EINVAL) is reported and tolerated; a kernel without MADV_COLLAPSE
 *      is a skip.
 *   -m khugepaged: no child, no file; the program waits (at most 30 s) for
 *      khugepaged to collapse the region (the guest test makes it scan
 *      fast) and fails if it collapsed nothing.
 * The hold comes after the collapse; afterwards the content is checked,
 * rewritten and unmapped.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>

#include "common.h"

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE	25
#endif

#define SEED_ORIG	1
#define SEED_PARENT	2
#define WAIT_MS		30000
#define TRIES		5

/*
 * MADV_COLLAPSE, retried while the kernel reports a transient failure.
 * Returns false on EINVAL: this memory cannot be collapsed.
 */
static bool collapse(void *p, size_t len, const char *what)
{
	int try;

	for (try = 0; try < TRIES; try++) {
		if (!madvise(p, len, MADV_COLLAPSE))
			return true;
		if (errno == EINVAL)
			return false;
		if (errno != EAGAIN && errno != ENOMEM)
			break;
	}
	wl_fatal(what);
}

static void wait_khugepaged(const struct wl_opts *o, void *p, size_t len)
{
	const struct timespec tick = { 0, 100 * 1000 * 1000 };
	long kb = 0;
	int ms;

	for (ms = 0; ms < WAIT_MS; ms += 100) {
		kb = wl_smaps_kb(p, len, "AnonHugePages");
		if (kb >= (long)(len >> 10))
			break;
		nanosleep(&tick, NULL);
	}
	if (kb <= 0)
		wl_fail("khugepaged", "nothing collapsed within %d s",
			WAIT_MS / 1000);
	wl_info(o, "khugepaged collapsed %ld of %zu kB in %d ms", kb,
		len >> 10, ms);
}

static char *file_region(const char *path, size_t len, int *fdp)
{
	char *buf = malloc(WL_MIB), *p;
	size_t off, done;
	ssize_t n;
	int fd;

	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || !buf)
		wl_fatal("open file");
	for (off = 0; off < len; off += WL_MIB) {
		wl_fill(buf, WL_MIB, SEED_ORIG, off);
		for (done = 0; done < WL_MIB; done += n) {
			n = write(fd, buf + done, WL_MIB - done);
			if (n < 0)
				wl_fatal("write file");
		}
	}
	free(buf);
	p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		wl_fatal("mmap file");
	*fdp = fd;
	return p;
}

static void scenario(const struct wl_opts *o)
{
	bool khugepaged = o->mode && !strcmp(o->mode, "khugepaged");
	size_t len = o->size;
	char *p = wl_alloc_thp(len), *f = NULL;
	pid_t pid = 0;
	size_t off;
	int fd = -1;

	if (o->mode && !khugepaged && strcmp(o->mode, "madvise"))
		wl_fail("options", "-m %s: expected madvise or khugepaged", o->mode);
	if (madvise(p, len, MADV_NOHUGEPAGE))
		wl_fatal("madvise MADV_NOHUGEPAGE");
	wl_fill(p, len, SEED_ORIG, 0);
	wl_info(o, "AnonHugePages %ld kB before the collapse",
		wl_smaps_kb(p, len, "AnonHugePages"));
	if (madvise(p, len, MADV_HUGEPAGE))
		wl_fatal("madvise MADV_HUGEPAGE");

	/* An empty range: 0 if the kernel knows the advice, else EINVAL. */
	if (!khugepaged && madvise(p, 0, MADV_COLLAPSE))
		wl_skip("no MADV_COLLAPSE (%s)", strerror(errno));
	if (khugepaged) {
		wait_khugepaged(o, p, len);
	} else {
		pid = wl_fork();
		if (!pid) {
			wl_hold_child();
			wl_verify(p, len, SEED_ORIG, 0, "child verify");
			_exit(0);
		}
		for (off = 0; off < len; off += WL_THP_SIZE)
			wl_fill(p + off, WL_PAGE_SIZE, SEED_ORIG, off);
		if (!collapse(p, len, "MADV_COLLAPSE anon"))
			wl_fail("MADV_COLLAPSE anon", "EINVAL: range not collapsible");
		wl_report_thp(o, p, len);
		f = file_region(o->file, len, &fd);
		wl_verify(f, len, SEED_ORIG, 0, "verify file");
		if (!collapse(f, len, "MADV_COLLAPSE file"))
			wl_info(o, "MADV_COLLAPSE of %s: not supported here", o->file);
		wl_info(o, "FilePmdMapped %ld kB, ShmemPmdMapped %ld kB",
			wl_smaps_kb(f, len, "FilePmdMapped"),
			wl_smaps_kb(f, len, "ShmemPmdMapped"));
	}
	wl_verify(p, len, SEED_ORIG, 0, "verify collapsed");
	wl_hold(pid ? 1 : 0);
	if (pid)
		wl_wait_child(pid);

	wl_fill(p, len, SEED_PARENT, 0);
	wl_verify(p, len, SEED_PARENT, 0, "verify rewrite");
	wl_munmap(p, len);
	if (f) {
		wl_verify(f, len, SEED_ORIG, 0, "verify collapsed file");
		wl_munmap(f, len);
		if (close(fd) || unlink(o->file))
			wl_fatal("close/unlink file");
	}
}

int main(int argc, char **argv)
{
	struct wl_opts o;

	wl_parse_opts(&o, argc, argv, "collapse", WL_OPT_MODE | WL_OPT_FILE);
	return wl_run(&o, scenario);
}
