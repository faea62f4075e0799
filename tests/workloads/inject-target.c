// SPDX-License-Identifier: GPL-2.0
/*
 * inject-target MODE [FILE]: a page for the fault-injection tests.
 *   twice FILE  the first page of FILE mapped shared at two addresses
 *   once        one private anonymous page, faulted on CPU 0 and kept there
 *   fork        one private anonymous page, shared with a forked child
 * Prints "ready PID ADDR1 [ADDR2]", then obeys lines on stdin:
 *   unmap1, unmap2 (munmap one mapping; replies "done"),
 *   zap1 (MADV_DONTNEED the first mapping: a zap that keeps the VMA), exit.
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

static void fail(const char *what)
{
	perror(what);
	exit(1);
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
	} else if (argc >= 2 && !strcmp(argv[1], "fork")) {
		int ready[2];
		pid_t child;

		a = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (a == MAP_FAILED || pipe(ready))
			fail("mmap");
		madvise(a, len, MADV_NOHUGEPAGE);
		a[0] = 1;
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
	} else {
		fprintf(stderr, "usage: inject-target twice FILE | once | fork\n");
		return 2;
	}
	while (fgets(line, sizeof(line), stdin)) {
		if (!strncmp(line, "unmap1", 6) && a) {
			munmap(a, len);
			a = NULL;
		} else if (!strncmp(line, "zap1", 4) && a) {
			madvise(a, len, MADV_DONTNEED);
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
