// SPDX-License-Identifier: GPL-2.0
/*
 * Operations on a mapping's backing file (fallocate PUNCH_HOLE, ftruncate)
 * and on the system: split_huge_pages in debugfs (another process's range
 * too), compact_memory, drop_caches, and a pause.
 *
 * The system-wide writes run only as root and not with MSFUZZ_NO_GLOBAL=1
 * (for runs on a machine that is not a test guest); split_huge_pages needs
 * root and debugfs.  Otherwise they are skipped.
 */
#include "rt.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef FALLOC_FL_KEEP_SIZE
#define FALLOC_FL_KEEP_SIZE	0x01
#endif
#ifndef FALLOC_FL_PUNCH_HOLE
#define FALLOC_FL_PUNCH_HOLE	0x02
#endif
#define SY_MAX_SLEEP_MS		2000

static bool sy_global_ok(void)
{
	const char *e = getenv("MSFUZZ_NO_GLOBAL");

	return !geteuid() && !(e && !strcmp(e, "1"));
}

static int sy_write(const char *path, const char *s)
{
	int fd, err = 0;

	fd = RT_SYS(open(path, O_WRONLY | O_CLOEXEC));
	if (fd < 0)
		return errno == ENOENT || errno == EACCES || errno == EPERM ?
		       RT_R_SKIP : -errno;
	if (RT_SYS(write(fd, s, strlen(s))) < 0)
		err = -errno;
	close(fd);
	return err;
}

static int sy_split(const struct rt_op *op)
{
	struct rt_handle *hd = rt_handle(op->proc2, op->h);
	unsigned long a;
	char buf[128];

	if (geteuid())
		return RT_R_SKIP;
	if (op->proc2 >= RT_MAXPROC || !rt_ctl->pid[op->proc2])
		return -ESRCH;
	if (!hd)
		return RT_R_NOHANDLE;
	a = hd->addr + op->off;
	if (op->flags & RT_F_ORDER)
		snprintf(buf, sizeof(buf), "%d,0x%lx,0x%lx,%d", (int)rt_ctl->pid[op->proc2],
			 a, a + op->len, op->arg);
	else
		snprintf(buf, sizeof(buf), "%d,0x%lx,0x%lx", (int)rt_ctl->pid[op->proc2],
			 a, a + op->len);
	return sy_write("/sys/kernel/debug/split_huge_pages", buf);
}

/* inject's faults (tests/kmod/ms_inject): arg indexes these. */
const char * const rt_inject_modes[RT_INJECT_NR] = { "skip-inc", "spurious-inc" };

/*
 * A fault made on purpose (the fuzz lane's own test): "PID ADDR MODE" to
 * the test-only ms_inject module; skipped where it is not loaded.
 */
static int sy_inject(const struct rt_op *op)
{
	struct rt_handle *hd = rt_handle(rt_me, op->h);
	char buf[96];

	if (!hd)
		return RT_R_NOHANDLE;
	snprintf(buf, sizeof(buf), "%d 0x%lx %s", (int)getpid(),
		 hd->addr + op->off, rt_inject_modes[op->arg]);
	return sy_write("/sys/kernel/debug/ms_inject/ctl", buf);
}

static int sy_file(const struct rt_op *op)
{
	struct rt_handle *hd = rt_handle(rt_me, op->h);
	unsigned long size = op->len;

	if (!hd)
		return RT_R_NOHANDLE;
	if (hd->fd < 0)
		return -EBADF;
	if (op->verb == RT_V_PUNCH)
		return RT_SYS(fallocate(hd->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
					hd->pgoff + op->off, op->len)) ? -errno : 0;
	/* Never larger than it was made: the budget counted that. */
	if (size > hd->fsize)
		size = hd->fsize;
	return RT_SYS(ftruncate(hd->fd, size)) ? -errno : 0;
}

int rt_sys_op(const struct rt_op *op)
{
	char buf[16];

	switch (op->verb) {
	case RT_V_PUNCH:
	case RT_V_TRUNCATE:
		return sy_file(op);
	case RT_V_SPLIT:
		return sy_split(op);
	case RT_V_INJECT:
		return sy_inject(op);
	case RT_V_COMPACT:
		if (!sy_global_ok())
			return RT_R_SKIP;
		return sy_write("/proc/sys/vm/compact_memory", "1");
	case RT_V_DROPCACHES:
		if (!sy_global_ok())
			return RT_R_SKIP;
		snprintf(buf, sizeof(buf), "%d", op->arg);
		return sy_write("/proc/sys/vm/drop_caches", buf);
	case RT_V_SLEEP:
		usleep((op->arg < SY_MAX_SLEEP_MS ? op->arg : SY_MAX_SLEEP_MS) * 1000);
		return 0;
	}
	return -EINVAL;
}
