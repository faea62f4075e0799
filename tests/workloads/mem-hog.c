// SPDX-License-Identifier: GPL-2.0
/*
 * mem-hog: keep reclaim busy.  Each iteration maps -s MiB of small
 * anonymous pages (MADV_NOHUGEPAGE), writes every page, reads them all back
 * and unmaps the region.  Inside a cgroup whose memory.max is smaller than
 * what its processes touch, every pass pushes the other processes' pages
 * (and its own first pages, which the read-back faults in again) out to
 * swap.  With -n 0 -t SECS it runs for SECS seconds.
 */
#include "common.h"

#define SEED	7

static void scenario(const struct wl_opts *o)
{
	char *p = wl_alloc_anon(o->size, false);

	wl_fill(p, o->size, SEED, 0);
	wl_verify(p, o->size, SEED, 0, "verify");
	wl_munmap(p, o->size);
}

int main(int argc, char **argv)
{
	struct wl_opts o;

	wl_parse_opts(&o, argc, argv, "mem-hog", WL_OPT_TIME);
	return wl_run(&o, scenario);
}
