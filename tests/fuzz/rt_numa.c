// SPDX-License-Identifier: GPL-2.0
/*
 * Operations that reach into memory by process and node, raw syscalls (no
 * libnuma): process_madvise() of another process's range (through its
 * pidfd), move_pages() of another process's pages to a node (all of them,
 * MPOL_MF_MOVE_ALL, when root), and mbind() of one's own range to a node
 * with MPOL_MF_MOVE (or back to MPOL_DEFAULT).
 */
#include "rt.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open		434
#endif
#ifndef SYS_process_madvise
#define SYS_process_madvise	440
#endif
#define NU_MPOL_DEFAULT		0
#define NU_MPOL_BIND		2
#define NU_MPOL_MF_MOVE		0x2
#define NU_MPOL_MF_MOVE_ALL	0x4
/* move_pages()'s arrays: 2 MiB, for every page of RT_MAXLEN. */
#define NU_MAX_PAGES		(RT_MAXLEN / RT_PAGE)

static int nu_pmadvise(const struct rt_op *op, struct rt_handle *hd, pid_t pid)
{
	struct iovec iov = { (void *)(hd->addr + op->off), op->len };
	int pidfd, err = 0;

	if (!rt_advice_ok(op->arg))
		return RT_R_SKIP;
	pidfd = RT_SYS(syscall(SYS_pidfd_open, pid, 0));
	if (pidfd < 0)
		return -errno;
	if (RT_SYS(syscall(SYS_process_madvise, pidfd, &iov, 1, op->arg, 0)) < 0)
		err = -errno;
	close(pidfd);
	return err;
}

/*
 * move_pages() of every page of the range, or, of a range longer than
 * RT_MAXLEN (up to RT_SLOT: a 1 GiB mapping's), of every 2nd page (4th
 * for a longer one...), not to need bigger arrays: that still names every
 * folio of the stride or larger, which move_pages() moves whole.  mbind()
 * takes a range, no array: it needs no such cap.
 */
static int nu_migrate(const struct rt_op *op, struct rt_handle *hd, pid_t pid)
{
	unsigned long step = RT_PAGE, n, i;
	int *nodes, *status, flags, err = 0;
	void **pages;

	while (op->len / step > NU_MAX_PAGES)
		step <<= 1;
	n = op->len / step;
	if (!n)
		return -EINVAL;
	pages = calloc(n, sizeof(*pages));
	nodes = calloc(n, sizeof(*nodes));
	status = calloc(n, sizeof(*status));
	if (!pages || !nodes || !status) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		pages[i] = (void *)(hd->addr + op->off + i * step);
		nodes[i] = op->arg;
	}
	flags = geteuid() ? NU_MPOL_MF_MOVE : NU_MPOL_MF_MOVE_ALL;
	if (RT_SYS(syscall(SYS_move_pages, pid, n, pages, nodes, status, flags)) < 0)
		err = -errno;
out:
	free(pages);
	free(nodes);
	free(status);
	return err;
}

static int nu_mbind(const struct rt_op *op, struct rt_handle *hd)
{
	unsigned long mask = 1UL << (op->arg & 63);
	long r;

	if (op->flags & RT_F_DEFAULT)
		r = syscall(SYS_mbind, hd->addr + op->off, op->len, NU_MPOL_DEFAULT,
			    NULL, 0, 0);
	else
		r = syscall(SYS_mbind, hd->addr + op->off, op->len, NU_MPOL_BIND,
			    &mask, 64, NU_MPOL_MF_MOVE);
	rt_nsys++;
	return r ? -errno : 0;
}

int rt_numa_op(const struct rt_op *op)
{
	int target = op->verb == RT_V_MBIND ? rt_me : op->proc2;
	struct rt_handle *hd = rt_handle(target, op->h);
	pid_t pid;

	if (target < 0 || target >= RT_MAXPROC || !rt_ctl->pid[target])
		return -ESRCH;
	if (!hd)
		return RT_R_NOHANDLE;
	pid = rt_ctl->pid[target];
	switch (op->verb) {
	case RT_V_PMADVISE:
		return nu_pmadvise(op, hd, pid);
	case RT_V_MIGRATE:
		return nu_migrate(op, hd, pid);
	case RT_V_MBIND:
		return nu_mbind(op, hd);
	}
	return -EINVAL;
}
