// SPDX-License-Identifier: GPL-2.0
/*
 * dontfork: MADV_DONTFORK on part of a THP region, then fork.
 *
 * MADV_DONTFORK from the middle of the first THP to the middle of the
 * second splits the VMA there and with it both PMDs; the THPs after them
 * stay PMD-mapped.  fork() copies every VMA but the DONTFORK one, so the
 * first THP is mapped half by the parent alone and half by both processes.
 * The child writes everything it inherited (COW of PTE-mapped and of
 * PMD-mapped THPs); the parent keeps the originals and, after the child has
 * gone, rewrites the whole region.
 */
#include <unistd.h>
#include <sys/mman.h>

#include "common.h"

#define SEED_ORIG	1
#define SEED_CHILD	2
#define SEED_PARENT	3

#define HALF_THP	(WL_THP_SIZE / 2)

static void child(char *p, size_t len, size_t df_off, size_t df_len)
{
	size_t rest = df_off + df_len;

	/* The DONTFORK range is not mapped here: touching it would fault. */
	wl_verify(p, df_off, SEED_ORIG, 0, "child verify head");
	wl_verify(p + rest, len - rest, SEED_ORIG, rest, "child verify tail");
	wl_fill(p, df_off, SEED_CHILD, 0);
	wl_fill(p + rest, len - rest, SEED_CHILD, rest);
	wl_verify(p, df_off, SEED_CHILD, 0, "child verify head copy");
	wl_verify(p + rest, len - rest, SEED_CHILD, rest, "child verify tail copy");
	wl_hold_child();
	_exit(0);
}

static void scenario(const struct wl_opts *o)
{
	/* With -s 2 the range is the second half of the only THP. */
	size_t df_off = HALF_THP;
	size_t df_len = o->size > WL_THP_SIZE ? WL_THP_SIZE : HALF_THP;
	char *p = wl_alloc_thp(o->size);
	pid_t pid;

	wl_fill(p, o->size, SEED_ORIG, 0);
	wl_report_thp(o, p, o->size);
	if (madvise(p + df_off, df_len, MADV_DONTFORK))
		wl_fatal("madvise MADV_DONTFORK");

	pid = wl_fork();
	if (!pid)
		child(p, o->size, df_off, df_len);
	wl_hold(1);
	wl_wait_child(pid);

	wl_verify(p, o->size, SEED_ORIG, 0, "parent verify");
	wl_fill(p, o->size, SEED_PARENT, 0);
	wl_verify(p, o->size, SEED_PARENT, 0, "parent verify rewrite");
	wl_munmap(p, o->size);
}

int main(int argc, char **argv)
{
	struct wl_opts o;

	wl_parse_opts(&o, argc, argv, "dontfork", 0);
	return wl_run(&o, scenario);
}
