// SPDX-License-Identifier: GPL-2.0
/*
 * bench-rmap MODE [-i ITER]: time one rmap-heavy operation in the guest.
 *   fork-small    fork() of a process with 4096 small anon pages mapped
 *   munmap-small  munmap() of 4096 small anon pages
 *   fork-thp      fork() with 64 MiB of PTE-mapped THP
 *   munmap-thp    munmap() of 64 MiB of PTE-mapped THP
 * Only the operation is timed (CLOCK_MONOTONIC, which counts guest
 * instructions under QEMU -icount); setup is not.  Prints
 * "MODE median_ns=N min_ns=N max_ns=N iterations=N".
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096UL
#define HUGE (2UL << 20)

static void die(const char *what)
{
	fprintf(stderr, "bench-rmap: %s: %s\n", what, strerror(errno));
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* 4096 small pages, or 64 MiB of THPs each split into PTEs. */
static char *setup(int thp, size_t *len)
{
	size_t size = thp ? 64UL << 20 : 4096 * PAGE;
	char *raw, *p;
	size_t i;

	raw = mmap(NULL, size + HUGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (raw == MAP_FAILED)
		die("mmap");
	p = (char *)(((uintptr_t)raw + HUGE - 1) & ~(HUGE - 1));
	if (madvise(p, size, thp ? MADV_HUGEPAGE : MADV_NOHUGEPAGE))
		die("madvise");
	for (i = 0; i < size; i += PAGE)
		p[i] = 1;
	if (thp) {
		/* Changing one page's protection splits the PMD: PTE-mapped. */
		for (i = 0; i < size; i += HUGE) {
			if (mprotect(p + i, PAGE, PROT_READ) ||
			    mprotect(p + i, PAGE, PROT_READ | PROT_WRITE))
				die("mprotect");
		}
	}
	*len = size;
	return p;
}

static uint64_t once(const char *mode)
{
	int thp = strstr(mode, "thp") != NULL;
	size_t len;
	uint64_t t0, t1;
	char *p = setup(thp, &len);
	pid_t pid;

	if (!strncmp(mode, "fork", 4)) {
		t0 = now_ns();
		pid = fork();
		if (pid < 0)
			die("fork");
		if (!pid)
			_exit(0);
		t1 = now_ns();
		waitpid(pid, NULL, 0);
		munmap(p, len);
	} else {
		t0 = now_ns();
		if (munmap(p, len))
			die("munmap");
		t1 = now_ns();
	}
	return t1 - t0;
}

static int cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	const char *modes[] = { "fork-small", "munmap-small", "fork-thp", "munmap-thp" };
	int iters = 7, i, ok = 0;
	uint64_t t[64];

	if (argc >= 4 && !strcmp(argv[2], "-i"))
		iters = atoi(argv[3]);
	for (i = 0; argc >= 2 && i < 4; i++)
		ok |= !strcmp(argv[1], modes[i]);
	if (!ok || iters < 1 || iters > 64) {
		fprintf(stderr, "usage: bench-rmap fork-small|munmap-small|fork-thp|munmap-thp [-i 1..64]\n");
		return 2;
	}
	once(argv[1]);		/* warm-up */
	for (i = 0; i < iters; i++)
		t[i] = once(argv[1]);
	qsort(t, iters, sizeof(t[0]), cmp);
	printf("%s median_ns=%llu min_ns=%llu max_ns=%llu iterations=%d\n",
	       argv[1], (unsigned long long)t[iters / 2],
	       (unsigned long long)t[0], (unsigned long long)t[iters - 1], iters);
	return 0;
}
