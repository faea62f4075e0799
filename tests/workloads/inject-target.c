// SPDX-License-Identifier: GPL-2.0
/*
 * inject-target MODE [FILE]: a page for the fault-injection tests.
 *   twice FILE  the first page of FILE mapped shared at two addresses
 *   once        one private anonymous page, faulted on CPU 0 and kept there
 *   fork        one private anonymous page, shared with a forked child
 *   mthp        a 64 KiB anonymous region alone in its VMA, aligned, asked
 *               for THP: one 64 KiB folio where hugepages-64kB is enabled
 *   mthp-fork   the same, shared with a forked child
 *   thp         a 2 MiB region the same way: one PMD-mapped THP where THP
 *               is on for madvise
 * Prints "ready PID ADDR1 [ADDR2]", then obeys lines on stdin:
 *   unmap1, unmap2 (munmap one mapping; replies "done"),
 *   zap1 (MADV_DONTNEED the first mapping: a zap that keeps the VMA),
 *   zaplast (MADV_DONTNEED the last page of the first mapping),
 *   zapprev (MADV_DONTNEED the page before the last), exit.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#define MTHP_LEN (64 * 1024UL)
#define THP_LEN (2048 * 1024UL)

static void fail(const char *what)
{
	perror(what);
	exit(1);
}

/* A VMA of exactly len at a len-aligned address, asked for THP, faulted in. */
static char *huge_region(size_t len)
{
	char *area, *a;
	size_t i;

	area = mmap(NULL, 4 * len, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED)
		fail("mmap");
	a = (char *)(((uintptr_t)area + len - 1) & ~(len - 1));
	if (a > area)
		munmap(area, a - area);
	munmap(a + len, area + 4 * len - (a + len));
	madvise(a, len, MADV_HUGEPAGE);
	for (i = 0; i < len; i += 4096)
		a[i] = 1;
	return a;
}

int main(int argc, char **argv)
{
	size_t len = 4096;
	char *a = NULL, *b = NULL, line[64];

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 3 && !strcmp(argv[1], "twice")) {
		int fd = open(argv[2], O_RDWR | O_CREAT, 0600);

		if (fd < 0 || ftruncate(fd, len))
			fail("file");
		a = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		b = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (a == MAP_FAILED || b == MAP_FAILED)
			fail("mmap");
		a[0] = 1;
		b[1] = 2;
		printf("ready %d %p %p\n", getpid(), (void *)a, (void *)b);
	} else if (argc >= 2 && !strcmp(argv[1], "once")) {
		cpu_set_t cpu0;

		/*
		 * The fault parks the folio in this CPU's LRU batch, with a
		 * reference; the zap drains only its own CPU's batch.
		 */
		CPU_ZERO(&cpu0);
		CPU_SET(0, &cpu0);
		if (sched_setaffinity(0, sizeof(cpu0), &cpu0))
			fail("sched_setaffinity");
		a = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (a == MAP_FAILED)
			fail("mmap");
		madvise(a, len, MADV_NOHUGEPAGE);
		a[0] = 1;
		printf("ready %d %p\n", getpid(), (void *)a);
	} else if (argc >= 2 && (!strcmp(argv[1], "fork") ||
				 !strcmp(argv[1], "mthp") ||
				 !strcmp(argv[1], "mthp-fork"))) {
		int ready[2];
		pid_t child;

		if (!strncmp(argv[1], "mthp", 4)) {
			a = huge_region(MTHP_LEN);
			len = MTHP_LEN;
		} else {
			a = mmap(NULL, len, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (a == MAP_FAILED)
				fail("mmap");
			madvise(a, len, MADV_NOHUGEPAGE);
			a[0] = 1;
		}
		if (!strcmp(argv[1], "mthp")) {
			printf("ready %d %p\n", getpid(), (void *)a);
			goto commands;
		}
		if (pipe(ready))
			fail("pipe");
		child = fork();
		if (child < 0)
			fail("fork");
		if (!child) {
			/* Keep the page mapped until the parent goes away. */
			close(ready[1]);
			while (read(ready[0], line, 1) > 0)
				;
			_exit(0);
		}
		close(ready[0]);
		printf("ready %d %p %d\n", getpid(), (void *)a, child);
	} else if (argc >= 2 && !strcmp(argv[1], "thp")) {
		a = huge_region(THP_LEN);
		len = THP_LEN;
		printf("ready %d %p\n", getpid(), (void *)a);
	} else {
		fprintf(stderr, "usage: inject-target twice FILE | once | fork | mthp | mthp-fork | thp\n");
		return 2;
	}
commands:
	while (fgets(line, sizeof(line), stdin)) {
		if (!strncmp(line, "unmap1", 6) && a) {
			munmap(a, len);
			a = NULL;
		} else if (!strncmp(line, "zap1", 4) && a) {
			madvise(a, len, MADV_DONTNEED);
		} else if (!strncmp(line, "zaplast", 7) && a) {
			madvise(a + len - 4096, 4096, MADV_DONTNEED);
		} else if (!strncmp(line, "zapprev", 7) && a && len > 4096) {
			madvise(a + len - 2 * 4096, 4096, MADV_DONTNEED);
		} else if (!strncmp(line, "unmap2", 6) && b) {
			munmap(b, len);
			b = NULL;
		} else if (!strncmp(line, "exit", 4)) {
			break;
		} else {
			printf("bad command\n");
			continue;
		}
		printf("done\n");
	}
	return 0;
}
