// SPDX-License-Identifier: GPL-2.0
/*
 * A program process: waits for its turn (rt_coord.c), runs the operation,
 * reports.  Also the operations that are about processes themselves:
 * fork (the child inherits the parent's mappings and handles, and starts
 * waiting for its own turn), exit, and exec (of /proc/self/exe, whose new
 * image exits at once: an mm torn down by exec rather than by exit).
 *
 * Processes ignore SIGCHLD, so their children are reaped by the kernel;
 * one whose parent has gone is reaped by the coordinator.  A process
 * whose coordinator has gone (its end of the "life" pipe hangs up) exits.
 */
#include "rt.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/futex.h>
#include <sys/syscall.h>

int rt_me;
unsigned long rt_nsys;

static int pr_done_fd, pr_life_fd;
static __u32 pr_last;	/* seq of the last command seen (a child: its fork's) */

static bool pr_coord_gone(void)
{
	struct pollfd pf = { .fd = pr_life_fd, .events = POLLIN };

	return poll(&pf, 1, 0) > 0 && (pf.revents & (POLLHUP | POLLERR));
}

static void pr_step(int i, __u32 seq)
{
	unsigned long n0 = rt_nsys;
	int res;

	if (i >= rt_nops)	/* the end of the program */
		_exit(0);
	res = rt_do(&rt_ops[i]);
	rt_ctl->res = res;
	rt_ctl->nsys = rt_nsys - n0;
	__atomic_store_n(&rt_ctl->done, seq, __ATOMIC_RELEASE);
	if (write(pr_done_fd, "d", 1) < 0)
		_exit(0);	/* the coordinator is gone */
}

static void pr_loop(void)
{
	struct timespec second = { .tv_sec = 1 };
	__u64 cmd;
	__u32 seq;

	for (;;) {
		cmd = __atomic_load_n(&rt_ctl->cmd, __ATOMIC_ACQUIRE);
		seq = cmd >> 32;
		if (seq == pr_last) {
			syscall(SYS_futex, &rt_ctl->seq, FUTEX_WAIT, seq, &second, NULL, 0);
			if (pr_coord_gone())
				_exit(0);
			continue;
		}
		pr_last = seq;
		if ((int)(cmd >> 24 & 0xff) == rt_me)
			pr_step((int)(cmd & 0xffffff), seq);
	}
}

static int pr_fork(const struct rt_op *op)
{
	int c = op->proc2, err;
	pid_t pid;

	if (c <= 0 || c >= RT_MAXPROC || rt_ctl->pid[c])
		return -EEXIST;
	if (!rt_budget(c, rt_ctl->mem[rt_me]))
		return RT_R_BUDGET;
	memcpy(rt_ctl->h[c], rt_ctl->h[rt_me], sizeof(rt_ctl->h[c]));
	pid = RT_SYS(fork());
	if (pid < 0) {
		err = -errno;
		memset(rt_ctl->h[c], 0, sizeof(rt_ctl->h[c]));
		rt_unbudget(c, rt_ctl->mem[c]);
		return err;
	}
	if (!pid) {
		rt_me = c;
		pr_loop();
	}
	rt_ctl->pid[c] = pid;
	return 0;
}

static int pr_exec(void)
{
	RT_SYS(execl("/proc/self/exe", "msfuzz", RT_EXEC_ARG, (char *)NULL));
	return -errno;
}

int rt_do(const struct rt_op *op)
{
	switch (op->verb) {
	case RT_V_MAP:
		return rt_map(op);
	case RT_V_MUNMAP:
	case RT_V_MPROTECT:
	case RT_V_MADVISE:
	case RT_V_MREMAP:
	case RT_V_MLOCK:
	case RT_V_MUNLOCK:
		return rt_vma_op(op);
	case RT_V_WRITE:
	case RT_V_READ:
		return rt_touch(op);
	case RT_V_FORK:
		return pr_fork(op);
	case RT_V_EXIT:
		_exit(0);
	case RT_V_EXEC:
		return pr_exec();
	case RT_V_PMADVISE:
	case RT_V_MIGRATE:
	case RT_V_MBIND:
		return rt_numa_op(op);
	case RT_V_UFFD_COPY:
	case RT_V_UFFD_ZERO:
	case RT_V_UFFD_MOVE:
		return rt_uffd_op(op);
	case RT_V_PUNCH:
	case RT_V_TRUNCATE:
	case RT_V_SPLIT:
	case RT_V_COMPACT:
	case RT_V_DROPCACHES:
	case RT_V_SLEEP:
	case RT_V_INJECT:
		return rt_sys_op(op);
	}
	return -EINVAL;
}

void rt_proc_main(int me, int done_fd, int life_fd)
{
	rt_me = me;
	pr_done_fd = done_fd;
	pr_life_fd = life_fd;
	signal(SIGCHLD, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	rt_touch_init();
	pr_loop();	/* pr_last is 0: p0 starts before the first command */
}
