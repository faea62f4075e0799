// SPDX-License-Identifier: GPL-2.0
/*
 * shmem-thp: huge tmpfs pages mapped by PMD and by PTEs, shared and private.
 *
 * -f names a file on a tmpfs mounted with huge=always (the guest test
 * mounts one), so the file's page cache is made of 2 MiB folios.  A
 * MAP_SHARED mapping is written through (PMD mappings of file folios,
 * folio_add_file_rmap_pmd); a MAP_PRIVATE mapping of the same file is read
 * and its first THP written (the PMD is zapped and every written page
 * becomes an anonymous copy).  After fork the child writes the last page of
 * every THP through the shared mapping; the parent unmaps 1 MiB out of one
 * THP of its shared mapping and reads the rest of it back through PTEs.
 */
#include <fcntl.h>
#include <unistd.h>
#include <sys/mman.h>

#include "common.h"

#define SEED_FILE	1
#define SEED_PRIVATE	2
#define SEED_CHILD	3

#define LAST_PAGE	(WL_THP_SIZE - WL_PAGE_SIZE)

static void *map_file(int fd, size_t len, int flags)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags, fd, 0);

	if (p == MAP_FAILED)
		wl_fatal(flags & MAP_SHARED ? "mmap MAP_SHARED" : "mmap MAP_PRIVATE");
	madvise(p, len, MADV_HUGEPAGE);	/* advice only */
	return p;
}

/* Every page but the last of each THP holds the file's tags. */
static void verify_file(const char *p, size_t len, size_t skip, size_t skip_len,
			const char *what)
{
	size_t off;

	for (off = 0; off < len; off += WL_THP_SIZE) {
		size_t a = off, b = off + LAST_PAGE;

		if (skip >= a && skip < b) {
			wl_verify(p + a, skip - a, SEED_FILE, a, what);
			a = skip + skip_len;
		}
		wl_verify(p + a, b - a, SEED_FILE, a, what);
	}
}

static void child(char *shared, const char *priv, size_t len)
{
	size_t off;

	verify_file(shared, len, 0, 0, "child verify shared");
	wl_verify(priv, WL_THP_SIZE, SEED_PRIVATE, 0, "child verify private copy");
	for (off = LAST_PAGE; off < len; off += WL_THP_SIZE)
		wl_fill(shared + off, WL_PAGE_SIZE, SEED_CHILD, off);
	wl_hold_child();
	_exit(0);
}

static void scenario(const struct wl_opts *o)
{
	size_t len = o->size, hole = len > WL_THP_SIZE ? WL_THP_SIZE : 0;
	char *shared, *priv;
	pid_t pid;
	size_t off;
	int fd;

	fd = open(o->file, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		wl_fatal("open file");
	if (ftruncate(fd, len))
		wl_fatal("ftruncate");
	shared = map_file(fd, len, MAP_SHARED);
	wl_fill(shared, len, SEED_FILE, 0);
	wl_info(o, "ShmemPmdMapped %ld of %zu kB",
		wl_smaps_kb(shared, len, "ShmemPmdMapped"), len >> 10);

	priv = map_file(fd, len, MAP_PRIVATE);
	wl_verify(priv, len, SEED_FILE, 0, "verify private");
	wl_fill(priv, WL_THP_SIZE, SEED_PRIVATE, 0);
	wl_verify(shared, len, SEED_FILE, 0, "verify shared after private COW");

	pid = wl_fork();
	if (!pid)
		child(shared, priv, len);
	/* 1 MiB out of the middle of the second THP (the first with -s 2). */
	hole += WL_THP_SIZE / 4;
	wl_munmap(shared + hole, WL_MIB);
	verify_file(shared, len, hole, WL_MIB, "parent verify shared around hole");
	wl_hold(1);
	wl_wait_child(pid);

	for (off = LAST_PAGE; off < len; off += WL_THP_SIZE)
		wl_verify(shared + off, WL_PAGE_SIZE, SEED_CHILD, off,
			  "parent verify child's writes");
	/* Past its first THP the private mapping still reads the file. */
	verify_file(priv, len, 0, LAST_PAGE, "parent verify private");
	wl_munmap(shared, len);
	wl_munmap(priv, len);
	if (close(fd))
		wl_fatal("close file");
	if (unlink(o->file))
		wl_fatal("unlink file");
}

int main(int argc, char **argv)
{
	struct wl_opts o;

	wl_parse_opts(&o, argc, argv, "shmem-thp", WL_OPT_FILE);
	return wl_run(&o, scenario);
}
