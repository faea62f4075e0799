// SPDX-License-Identifier: GPL-2.0
/*
 * rmap-procs KIND [ARG]: one folio mapped by a parent and by the children it
 * forks on command, for the rmap-ID scenarios (tests/guest/rmap-ids.sh).
 *   anon        one private anonymous page, written
 *   dontfork    two private anonymous pages, written; the first one
 *               MADV_DONTFORK (a child inherits only the second)
 *   mremap KIB  a KIB-aligned anonymous region of KIB KiB, MADV_HUGEPAGE
 *               (one THP or mTHP if the kernel gives one), written; then
 *               its second half moved elsewhere with
 *               mremap(MREMAP_MAYMOVE | MREMAP_FIXED)
 *   file PATH   the first page of PATH, opened read-only, mapped shared
 *               and read; every child maps it again itself and reads it
 *   shmem       the first page of a memfd, mapped shared and written;
 *               every child maps it again itself and reads it
 * The process pins itself to CPU 0 first, so that a write fault after the
 * children are gone finds the folio in no other CPU's LRU batch (COW reuse).
 * Prints "ready PID ADDR1 [ADDR2]" (ADDR2: the second page, or where the
 * moved half went), then obeys lines on stdin, replying "done":
 *   fork   fork a child that keeps its mappings until reaped
 *   reap   kill the most recent child still alive and wait for it
 *   write  write the first page (anonymous kinds and shmem)
 *   exit   reap every child and exit (so does EOF)
 * Children die with the parent (PR_SET_PDEATHSIG).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#define PAGE		4096UL
#define MAX_CHILDREN	8

enum kind { ANON, DONTFORK, MREMAP, FILE_SHARED, SHMEM };

static enum kind kind;
static char *a, *b;		/* the first page; the second or moved half */
static size_t len = PAGE;	/* length of the mapping at a */
static int fd = -1;		/* file and shmem kinds */
static pid_t children[MAX_CHILDREN];
static unsigned int nr_children;

static void fail(const char *what)
{
	perror(what);
	exit(1);
}

static void *map_anon(size_t size, int advice)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		fail("mmap");
	if (advice >= 0 && madvise(p, size, advice))
		fail("madvise");
	return p;
}

static void write_pages(char *p, size_t size)
{
	size_t off;

	for (off = 0; off < size; off += PAGE)
		p[off] = 1;
}

/* KIB KiB aligned to their size, advised MADV_HUGEPAGE, half moved away. */
static void setup_mremap(const char *arg)
{
	unsigned long kib = arg ? strtoul(arg, NULL, 10) : 0;
	uintptr_t start;
	char *raw, *dst;

	if (kib < 8 || kib & (kib - 1)) {
		fprintf(stderr, "rmap-procs: mremap KIB: a power of two, at least 8\n");
		exit(2);
	}
	len = kib * 1024;
	raw = map_anon(2 * len, -1);
	start = ((uintptr_t)raw + len - 1) & ~(uintptr_t)(len - 1);
	a = (char *)start;
	if (a > raw)
		munmap(raw, a - raw);
	munmap(a + len, raw + 2 * len - (a + len));
	if (madvise(a, len, MADV_HUGEPAGE))
		fail("madvise MADV_HUGEPAGE");
	write_pages(a, len);
	/*
	 * Away from the region, and off the folio's alignment there: the moved
	 * PTEs map the folio's pages at addresses of no natural alignment.
	 */
	dst = mmap(NULL, 2 * len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		   -1, 0);
	if (dst == MAP_FAILED)
		fail("mmap destination");
	b = mremap(a + len / 2, len / 2, len / 2,
		   MREMAP_MAYMOVE | MREMAP_FIXED, dst + PAGE);
	if (b == MAP_FAILED)
		fail("mremap");
}

static void setup(int argc, char **argv)
{
	const char *arg = argc >= 3 ? argv[2] : NULL;

	if (!strcmp(argv[1], "anon")) {
		kind = ANON;
		a = map_anon(len, MADV_NOHUGEPAGE);
		write_pages(a, len);
	} else if (!strcmp(argv[1], "dontfork")) {
		kind = DONTFORK;
		a = map_anon(2 * PAGE, MADV_NOHUGEPAGE);
		write_pages(a, 2 * PAGE);
		if (madvise(a, PAGE, MADV_DONTFORK))
			fail("madvise MADV_DONTFORK");
		b = a + PAGE;
	} else if (!strcmp(argv[1], "mremap")) {
		kind = MREMAP;
		setup_mremap(arg);
	} else if (!strcmp(argv[1], "file") && arg) {
		kind = FILE_SHARED;
		fd = open(arg, O_RDONLY);
		if (fd < 0)
			fail(arg);
		a = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
		if (a == MAP_FAILED)
			fail("mmap file");
		(void)*(volatile char *)a;
	} else if (!strcmp(argv[1], "shmem")) {
		kind = SHMEM;
		fd = memfd_create("rmap-procs", 0);
		if (fd < 0 || ftruncate(fd, len))
			fail("memfd");
		a = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (a == MAP_FAILED)
			fail("mmap memfd");
		write_pages(a, len);
	} else {
		fprintf(stderr, "usage: rmap-procs anon | dontfork | mremap KIB |"
			" file PATH | shmem\n");
		exit(2);
	}
}

/* A child: its own mapping of a shared file, then wait to be killed. */
static void __attribute__((noreturn)) child(pid_t parent, int ready)
{
	char c = 0;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
		_exit(1);
	if (kind == FILE_SHARED || kind == SHMEM) {
		int prot = kind == SHMEM ? PROT_READ | PROT_WRITE : PROT_READ;

		/* Replace what fork left of the parent's mapping. */
		if (mmap(a, len, prot, MAP_SHARED | MAP_FIXED, fd, 0) != a)
			_exit(1);
		c = *(volatile char *)a;
	}
	if (write(ready, &c, 1) != 1)
		_exit(1);
	for (;;)
		pause();
}

static int do_fork(void)
{
	pid_t parent = getpid(), pid;
	int ready[2];
	char c;

	if (nr_children == MAX_CHILDREN || pipe(ready))
		return -1;
	pid = fork();
	if (pid < 0)
		fail("fork");
	if (!pid) {
		close(ready[0]);
		child(parent, ready[1]);
	}
	close(ready[1]);
	children[nr_children++] = pid;
	/* The child has its mappings once it says so. */
	if (read(ready[0], &c, 1) != 1) {
		close(ready[0]);
		return -1;
	}
	close(ready[0]);
	return 0;
}

/* Kill the last child and wait until it is gone (its mm torn down). */
static int reap(void)
{
	pid_t pid;

	if (!nr_children)
		return -1;
	pid = children[--nr_children];
	kill(pid, SIGKILL);
	return waitpid(pid, NULL, 0) == pid ? 0 : -1;
}

int main(int argc, char **argv)
{
	cpu_set_t cpu0;
	char line[64];
	int r;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2) {
		fprintf(stderr, "usage: rmap-procs KIND [ARG] (see the source)\n");
		return 2;
	}
	CPU_ZERO(&cpu0);
	CPU_SET(0, &cpu0);
	if (sched_setaffinity(0, sizeof(cpu0), &cpu0))
		fail("sched_setaffinity");
	setup(argc, argv);
	if (b)
		printf("ready %d %p %p\n", getpid(), (void *)a, (void *)b);
	else
		printf("ready %d %p\n", getpid(), (void *)a);
	while (fgets(line, sizeof(line), stdin)) {
		if (!strncmp(line, "fork", 4)) {
			r = do_fork();
		} else if (!strncmp(line, "reap", 4)) {
			r = reap();
		} else if (!strncmp(line, "write", 5) && kind != FILE_SHARED) {
			(*(volatile char *)a)++;
			r = 0;
		} else if (!strncmp(line, "exit", 4)) {
			break;
		} else {
			r = -1;
		}
		printf("%s\n", r ? "failed" : "done");
	}
	while (nr_children)
		reap();
	return 0;
}
