// SPDX-License-Identifier: GPL-2.0
/*
 * file-map: page cache mapped shared and private, COW of the private one.
 *
 * The file's pages are mapped MAP_SHARED and MAP_PRIVATE and read through
 * both (folio_add_file_rmap_*). Writing the private mapping replaces each
 * page cache mapping by an anonymous copy (file rmap removed, anon rmap
 * added) while the shared mapping keeps the page cache folio. A child then
 * inherits both mappings and reads them (rmap dup of file and anon folios).
 */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>

#include "common.h"

#define SEED_FILE	1
#define SEED_PRIVATE	2

static void write_file(int fd, size_t len)
{
	char *buf = malloc(WL_MIB);
	size_t off, done;
	ssize_t n;

	if (!buf)
		wl_fatal("malloc");
	for (off = 0; off < len; off += WL_MIB) {
		wl_fill(buf, WL_MIB, SEED_FILE, off);
		for (done = 0; done < WL_MIB; done += n) {
			n = write(fd, buf + done, WL_MIB - done);
			if (n < 0)
				wl_fatal("write file");
		}
	}
	free(buf);
}

static void *map_file(int fd, size_t len, int prot, int flags)
{
	void *p = mmap(NULL, len, prot, flags, fd, 0);

	if (p == MAP_FAILED)
		wl_fatal(flags & MAP_SHARED ? "mmap MAP_SHARED" : "mmap MAP_PRIVATE");
	/* Large page cache folios if the filesystem has them; advice only. */
	madvise(p, len, MADV_HUGEPAGE);
	return p;
}

static void child(const char *shared, const char *priv, size_t len)
{
	wl_verify(shared, len, SEED_FILE, 0, "child verify shared");
	wl_verify(priv, len, SEED_PRIVATE, 0, "child verify private");
	wl_hold_child();
	_exit(0);
}

static void scenario(const struct wl_opts *o)
{
	char *shared, *priv;
	pid_t pid;
	int fd;

	fd = open(o->file, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		wl_fatal("open file");
	write_file(fd, o->size);

	shared = map_file(fd, o->size, PROT_READ, MAP_SHARED);
	priv = map_file(fd, o->size, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	wl_verify(shared, o->size, SEED_FILE, 0, "verify shared");
	wl_verify(priv, o->size, SEED_FILE, 0, "verify private");

	wl_fill(priv, o->size, SEED_PRIVATE, 0);
	wl_verify(priv, o->size, SEED_PRIVATE, 0, "verify private copy");
	/* The private writes must not reach the page cache. */
	wl_verify(shared, o->size, SEED_FILE, 0, "verify shared after COW");

	pid = wl_fork();
	if (!pid)
		child(shared, priv, o->size);
	wl_hold(1);
	wl_wait_child(pid);

	wl_munmap(shared, o->size);
	wl_munmap(priv, o->size);
	if (close(fd))
		wl_fatal("close file");
	if (unlink(o->file))
		wl_fatal("unlink file");
}

int main(int argc, char **argv)
{
	struct wl_opts o;

	wl_parse_opts(&o, argc, argv, "file-map", WL_OPT_FILE);
	return wl_run(&o, scenario);
}
