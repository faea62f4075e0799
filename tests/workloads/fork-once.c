// SPDX-License-Identifier: GPL-2.0
/*
 * fork-once: one fork of a process with a large anon region of small pages
 * (MADV_NOHUGEPAGE), all of them written first.  copy_page_range()
 * duplicates every PTE of the region in one call, so whatever a fork hook
 * does per PTE, it does it -s MiB / 4 KiB times at once.  The child exits
 * at once; the parent waits for it.  With -H, both hold after the fork
 * (every page mapped twice) until SIGUSR1.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

static void scenario(const struct wl_opts *o)
{
	char *p = wl_alloc_anon(o->size, false);
	size_t off;
	int status;
	pid_t pid;

	for (off = 0; off < o->size; off += WL_PAGE_SIZE)
		p[off] = 1;
	wl_info(o, "%zu MiB written, forking", o->size / WL_MIB);
	pid = wl_fork();
	if (pid == 0) {
		wl_hold_child();
		_exit(0);
	}
	wl_hold(1);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		wl_fail("child", "did not exit cleanly");
	wl_munmap(p, o->size);
}

int main(int argc, char **argv)
{
	struct wl_opts o;

	wl_parse_opts(&o, argc, argv, "fork-once", 0);
	return wl_run(&o, scenario);
}
