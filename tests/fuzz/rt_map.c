// SPDX-License-Identifier: GPL-2.0
/*
 * "map": create a mapping of one of the types (rt.h) at its handle's slot,
 * and the handles and memory budget that every other operation uses.
 *
 * The budget (MSFUZZ_MAXMEM, default 256 MiB) counts, for every process,
 * the length of every handle it has: a fork adds all of the parent's, an
 * munmap of a whole handle gives it back (not for file-backed ones: the
 * file keeps its pages), the end of a process gives back all of its.
 * That bounds what COW after fork can allocate, so a 2-3 GiB guest never
 * runs out of memory however the program goes.  The 1 GiB types count for
 * nothing (rt_cost()): their pages come from a hugetlb pool reserved at
 * boot or from a device, not from the RAM a program can make the kernel
 * allocate, and a private hugetlb-1g COW the pool cannot serve is SIGBUS.
 */
#include "rt.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE	0x100000
#endif
#ifndef MAP_HUGETLB
#define MAP_HUGETLB		0x40000
#endif
#ifndef MAP_HUGE_1GB
#define MAP_HUGE_1GB		(30 << 26)
#endif
#ifndef MFD_HUGETLB
#define MFD_HUGETLB		0x4U
#endif
#ifndef MFD_HUGE_2MB
#define MFD_HUGE_2MB		(21U << 26)
#endif
#ifndef MADV_MERGEABLE
#define MADV_MERGEABLE		12
#endif

#define MP_KSM_BYTE	0x4b	/* every page of an anon-ksm mapping starts so */

unsigned long rt_slot(int h)
{
	return RT_BASE + (unsigned long)h * RT_SLOT;
}

struct rt_handle *rt_handle(int proc, int h)
{
	struct rt_handle *hd;

	if (proc < 0 || proc >= RT_MAXPROC || h <= 0 || h >= RT_MAXH)
		return NULL;
	hd = &rt_ctl->h[proc][h];
	return hd->addr ? hd : NULL;
}

bool rt_budget(int proc, unsigned long bytes)
{
	if (rt_ctl->mem_total + bytes > rt_ctl->mem_max)
		return false;
	rt_ctl->mem_total += bytes;
	rt_ctl->mem[proc] += bytes;
	return true;
}

void rt_unbudget(int proc, unsigned long bytes)
{
	if (bytes > rt_ctl->mem[proc])
		bytes = rt_ctl->mem[proc];
	rt_ctl->mem[proc] -= bytes;
	rt_ctl->mem_total -= bytes;
}

void rt_forget(int proc, struct rt_handle *hd)
{
	if (hd->fd < 0)
		rt_unbudget(proc, rt_cost(hd->type, hd->len));
	hd->addr = 0;
}

bool rt_type_1g(int type)
{
	return type == RT_T_HUGETLB_1G || type == RT_T_DAX_1G;
}

/* The longest mapping of @type: rt.h. */
unsigned long rt_maxlen(int type)
{
	return rt_type_1g(type) ? RT_SLOT : RT_MAXLEN;
}

/* What @len bytes of a mapping of @type take from the budget. */
unsigned long rt_cost(int type, unsigned long len)
{
	return rt_type_1g(type) ? 0 : len;
}

static const char *mp_dir(int type)
{
	const char *d;

	switch (type) {
	case RT_T_SHMEM:
		d = getenv("MSFUZZ_TMPFS");
		return d && *d ? d : "/dev/shm";
	case RT_T_SHMEM_HUGE:
		d = getenv("MSFUZZ_TMPFS_HUGE");
		return d && *d ? d : NULL;
	case RT_T_FILE:
		d = getenv("MSFUZZ_FILEDIR");
		return d && *d ? d : "/var/tmp";
	}
	return NULL;
}

/* Regular files get their data written: page cache, not holes. */
static int mp_fill_file(int fd, unsigned long len)
{
	static char buf[64 << 10];
	unsigned long off, n;

	for (off = 0; off < len; off += n) {
		n = len - off < sizeof(buf) ? len - off : sizeof(buf);
		memset(buf, (int)(off / RT_PAGE) | 1, n);
		if (RT_SYS(pwrite(fd, buf, n, off)) != (ssize_t)n)
			return errno ? -errno : -EIO;
	}
	return 0;
}

/* A new file of @len bytes in @dir, unlinked at once: the fd is its name. */
static int mp_tmpfile(const char *dir, int type, int h, unsigned long len)
{
	char path[4096];
	int fd, err;

	snprintf(path, sizeof(path), "%s/msfuzz.%d.%d", dir, (int)getpid(), h);
	fd = RT_SYS(open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
	if (fd < 0)
		return -errno;
	RT_SYS(unlink(path));
	err = RT_SYS(ftruncate(fd, len)) ? -errno : 0;
	if (!err && type == RT_T_FILE)
		err = mp_fill_file(fd, len);
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

/* A memfd of @len bytes (hugetlb: rounded up to 2 MiB): the fd or -errno. */
static int mp_memfd(bool huge, unsigned long len)
{
	int fd, err;

	if (huge)
		fd = RT_SYS(memfd_create("msfuzz", MFD_CLOEXEC | MFD_HUGETLB | MFD_HUGE_2MB));
	else
		fd = RT_SYS(memfd_create("msfuzz", MFD_CLOEXEC));
	if (fd < 0)
		return -errno;
	if (huge)
		len = (len + RT_HPAGE - 1) & ~(RT_HPAGE - 1);
	if (RT_SYS(ftruncate(fd, len))) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

/* The backing file of a file-backed type in @fd: 0, -errno or RT_R_SKIP. */
static int mp_backing(const struct rt_op *op, int *fd)
{
	const char *dir;

	switch (op->type) {
	case RT_T_MEMFD:
	case RT_T_MEMFD_HUGE:
		*fd = mp_memfd(op->type == RT_T_MEMFD_HUGE, op->len);
		break;
	case RT_T_DAX:
	case RT_T_DAX_1G:
		dir = getenv(op->type == RT_T_DAX ? "MSFUZZ_DAX" : "MSFUZZ_DAX_1G");
		if (!dir || !*dir)
			return RT_R_SKIP;
		*fd = RT_SYS(open(dir, O_RDWR | O_CLOEXEC));
		if (*fd < 0)
			*fd = -errno;
		break;
	default:
		dir = mp_dir(op->type);
		if (!dir)
			return RT_R_SKIP;
		*fd = mp_tmpfile(dir, op->type, op->h, op->len);
	}
	return *fd < 0 ? *fd : 0;
}

static void mp_advise(const struct rt_op *op, char *p)
{
	unsigned long off;

	switch (op->type) {
	case RT_T_ANON:
		RT_SYS(madvise(p, op->len, MADV_NOHUGEPAGE));
		break;
	case RT_T_ANON_THP:
	case RT_T_ANON_MTHP:
		RT_SYS(madvise(p, op->len, MADV_HUGEPAGE));
		break;
	case RT_T_ANON_KSM:
		for (off = 0; off < op->len; off += RT_PAGE)
			p[off] = MP_KSM_BYTE;
		RT_SYS(madvise(p, op->len, MADV_MERGEABLE));
		break;
	}
}

/* mmap() flags: file types MAP_SHARED and hugetlb MAP_PRIVATE unless told. */
static int mp_flags(const struct rt_op *op)
{
	bool hugetlb = op->type == RT_T_HUGETLB || op->type == RT_T_HUGETLB_1G;
	int shared = hugetlb ? op->flags & RT_F_SHARED : !(op->flags & RT_F_PRIVATE);

	switch (op->type) {
	case RT_T_ANON:
	case RT_T_ANON_THP:
	case RT_T_ANON_MTHP:
	case RT_T_ANON_KSM:
		return MAP_PRIVATE | MAP_ANONYMOUS;
	case RT_T_ANON_SHARED:
		return MAP_SHARED | MAP_ANONYMOUS;
	case RT_T_HUGETLB:
		return (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS | MAP_HUGETLB;
	case RT_T_HUGETLB_1G:
		return (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS | MAP_HUGETLB |
		       MAP_HUGE_1GB;
	}
	return shared ? MAP_SHARED : MAP_PRIVATE;
}

int rt_map(const struct rt_op *op)
{
	unsigned long addr = rt_slot(op->h), len = op->len, cost;
	struct rt_handle *hd;
	int flags, fd = -1, err;
	void *p;

	if (!op->h || op->type >= RT_T_NR)
		return -EINVAL;
	hd = &rt_ctl->h[rt_me][op->h];
	if (hd->addr)
		return -EEXIST;
	if (!len || len > rt_maxlen(op->type))
		return -EINVAL;
	if (op->type == RT_T_ANON_MTHP)
		addr += RT_MTHP_SKEW;
	flags = mp_flags(op);
	cost = rt_cost(op->type, len);
	if (!rt_budget(rt_me, cost))
		return RT_R_BUDGET;
	if (!(flags & MAP_ANONYMOUS)) {
		err = mp_backing(op, &fd);
		if (err) {
			rt_unbudget(rt_me, cost);
			return err;
		}
	}
	p = RT_SYS(mmap((void *)addr, len, PROT_READ | PROT_WRITE,
			flags | MAP_FIXED_NOREPLACE, fd, 0));
	err = p == MAP_FAILED ? -errno : 0;
	if (!err && p != (void *)addr) {	/* no MAP_FIXED_NOREPLACE */
		munmap(p, len);
		err = -EEXIST;
	}
	if (err) {
		rt_unbudget(rt_me, cost);
		if (fd >= 0)
			close(fd);
		return err;
	}
	*hd = (struct rt_handle){ .addr = addr, .len = len, .fd = fd,
				  .fsize = fd >= 0 ? len : 0,
				  .type = op->type };
	mp_advise(op, p);
	return 0;
}
