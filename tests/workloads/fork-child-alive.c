// SPDX-License-Identifier: GPL-2.0
/*
 * fork-child-alive: copy-on-write while the children still map the pages.
 *
 * Several children keep the THP region (half PTE-mapped, half PMD-mapped)
 * mapped, blocked on a pipe, while the parent rewrites all of it: every
 * write must copy because each folio is mapped by more than one process.
 * Only then are the children released; each checks that it still sees the
 * original content and exits, and the parent checks its own copy.
 */
#include <unistd.h>

#include "common.h"

#define SEED_ORIG	1
#define SEED_PARENT	2

static void child(int release_fd, const char *p, size_t len)
{
	char c;
	ssize_t n;

	/* EOF arrives once the parent has closed the write end. */
	while ((n = read(release_fd, &c, 1)) != 0)
		if (n < 0)
			wl_fatal("child read pipe");
	wl_verify(p, len, SEED_ORIG, 0, "child verify");
	_exit(0);
}

static void scenario(const struct wl_opts *o)
{
	size_t split_len = o->size / 2;
	char *p = wl_alloc_thp(o->size);
	pid_t pids[WL_MAX_CHILDREN];
	unsigned int i;
	int fds[2];

	wl_fill(p, o->size, SEED_ORIG, 0);
	wl_report_thp(o, p, o->size);
	wl_split_pmds(p, split_len - split_len % WL_THP_SIZE);

	if (pipe(fds))
		wl_fatal("pipe");
	for (i = 0; i < o->children; i++) {
		pids[i] = wl_fork();
		if (!pids[i]) {
			close(fds[1]);
			child(fds[0], p, o->size);
		}
	}
	close(fds[0]);

	wl_fill(p, o->size, SEED_PARENT, 0);
	wl_verify(p, o->size, SEED_PARENT, 0, "parent verify");
	/* -H: hold with the children still blocked on the pipe. */
	wl_hold(0);

	close(fds[1]);
	for (i = 0; i < o->children; i++)
		wl_wait_child(pids[i]);
	wl_verify(p, o->size, SEED_PARENT, 0, "parent verify after children");
	wl_munmap(p, o->size);
}

int main(int argc, char **argv)
{
	struct wl_opts o;

	wl_parse_opts(&o, argc, argv, "fork-child-alive", WL_OPT_CHILDREN);
	return wl_run(&o, scenario);
}
