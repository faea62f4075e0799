// SPDX-License-Identifier: GPL-2.0
/*
 * fork-big: fork a process that maps many small anon pages, over and over.
 *
 * The region (-s MiB of MADV_NOHUGEPAGE anon memory) is faulted in once;
 * each iteration forks a child that writes one page (a copy) and exits.
 * dup_mmap() copies every PTE (one rmap dup per page) and the child's exit
 * zaps them all again, so a long stretch of each iteration runs inside the
 * kernel's fork and exit paths: the load for "unload mapshadow in the
 * middle of a fork".  Unless -q, the parent prints one line per fork with
 * the wall-clock times (microseconds) around fork():
 *   fork-big: fork START END
 */
#include <stdio.h>
#include <sys/time.h>
#include <unistd.h>

#include "common.h"

#define SEED_ORIG	1
#define SEED_CHILD	2

static char *region;

static unsigned long long now_us(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return tv.tv_sec * 1000000ULL + tv.tv_usec;
}

static void scenario(const struct wl_opts *o)
{
	unsigned long long start, end;
	pid_t pid;

	if (!region) {
		region = wl_alloc_anon(o->size, false);
		wl_fill(region, o->size, SEED_ORIG, 0);
	}
	start = now_us();
	pid = wl_fork();
	if (!pid) {
		wl_fill(region, WL_PAGE_SIZE, SEED_CHILD, 0);
		_exit(0);
	}
	end = now_us();
	wl_info(o, "fork %llu %llu", start, end);
	wl_wait_child(pid);
	wl_verify(region, o->size, SEED_ORIG, 0, "parent verify");
}

int main(int argc, char **argv)
{
	struct wl_opts o;

	setvbuf(stdout, NULL, _IOLBF, 0);
	wl_parse_opts(&o, argc, argv, "fork-big", 0);
	return wl_run(&o, scenario);
}
