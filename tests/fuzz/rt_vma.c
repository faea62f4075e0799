// SPDX-License-Identifier: GPL-2.0
/*
 * The operations on a range "mH +OFF LEN" of one's own address space:
 * munmap, mprotect, madvise, mremap, mlock, munlock.
 *
 * An advice the kernel does not know is skipped, not failed: whether it
 * knows one is asked once with a zero-length madvise(), which checks the
 * advice before anything else.  MADV_HWPOISON and MADV_SOFT_OFFLINE run
 * only when MSFUZZ_HWPOISON=1.
 *
 * mremap's new range becomes a new handle: "fixed" and "dontunmap" put it
 * at that handle's slot (plus an offset), "maymove" where the kernel
 * chooses, "inplace" (no flags) grows or shrinks the range where it is.
 */
#include "rt.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#ifndef MADV_HWPOISON
#define MADV_HWPOISON		100
#endif
#ifndef MADV_SOFT_OFFLINE
#define MADV_SOFT_OFFLINE	101
#endif
#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP	4
#endif
#ifndef MLOCK_ONFAULT
#define MLOCK_ONFAULT		0x01
#endif
#ifndef SYS_mlock2
#define SYS_mlock2		325
#endif

bool rt_advice_ok(int advice)
{
	signed char *known;

	if (advice < 0 || advice >= (int)sizeof(rt_ctl->madv))
		return false;
	if (advice == MADV_HWPOISON || advice == MADV_SOFT_OFFLINE) {
		const char *e = getenv("MSFUZZ_HWPOISON");

		if (!e || strcmp(e, "1"))
			return false;
	}
	known = &rt_ctl->madv[advice];
	if (!*known)
		*known = madvise((void *)RT_BASE, 0, advice) ? -1 : 1;
	return *known > 0;
}

static int vm_madvise(unsigned long a, unsigned long len, int advice)
{
	if (!rt_advice_ok(advice))
		return RT_R_SKIP;
	return RT_SYS(madvise((void *)a, len, advice)) ? -errno : 0;
}

static int vm_mremap(const struct rt_op *op, struct rt_handle *hd, unsigned long a)
{
	int mode = op->flags >> RT_MR_SHIFT, flags = 0;
	struct rt_handle *nh = NULL;
	unsigned long to = 0, grow = op->len2 > op->len ? op->len2 - op->len : 0, cost;
	void *p;

	/* What it takes from the budget: the new range, or what it grows by. */
	cost = rt_cost(hd->type, mode == RT_MR_INPLACE ? grow : op->len2);
	if (mode != RT_MR_INPLACE) {
		if (!op->h2)
			return -EINVAL;
		nh = &rt_ctl->h[rt_me][op->h2];
		if (nh->addr)
			return -EEXIST;
		if (!rt_budget(rt_me, cost))
			return RT_R_BUDGET;
		flags = MREMAP_MAYMOVE;
		to = rt_slot(op->h2) + op->off2;
		if (mode == RT_MR_FIXED)
			flags |= MREMAP_FIXED;
		if (mode == RT_MR_DONTUNMAP)
			flags |= MREMAP_FIXED | MREMAP_DONTUNMAP;
	} else if (!rt_budget(rt_me, cost)) {
		return RT_R_BUDGET;
	}
	p = RT_SYS(mremap((void *)a, op->len, op->len2, flags, (void *)to));
	if (p == MAP_FAILED) {
		int err = -errno;

		rt_unbudget(rt_me, cost);
		return err;
	}
	if (!nh) {
		/* Grown or shrunk where it was: the extent ends with it. */
		if (op->off + op->len >= hd->len && op->len2 > op->len)
			hd->len = op->off + op->len2;
		return 0;
	}
	*nh = *hd;
	nh->addr = (unsigned long)p;
	nh->len = op->len2;
	nh->pgoff = hd->pgoff + op->off;
	if (mode != RT_MR_DONTUNMAP && !op->off && op->len >= hd->len)
		rt_forget(rt_me, hd);
	return 0;
}

int rt_vma_op(const struct rt_op *op)
{
	struct rt_handle *hd = rt_handle(rt_me, op->h);
	unsigned long a;

	if (!hd)
		return RT_R_NOHANDLE;
	a = hd->addr + op->off;
	switch (op->verb) {
	case RT_V_MUNMAP:
		if (RT_SYS(munmap((void *)a, op->len)))
			return -errno;
		if (!op->off && op->len >= hd->len)
			rt_forget(rt_me, hd);
		return 0;
	case RT_V_MPROTECT:
		return RT_SYS(mprotect((void *)a, op->len, op->arg)) ? -errno : 0;
	case RT_V_MADVISE:
		return vm_madvise(a, op->len, op->arg);
	case RT_V_MREMAP:
		return vm_mremap(op, hd, a);
	case RT_V_MLOCK:
		return RT_SYS(syscall(SYS_mlock2, a, op->len,
				      op->flags & RT_F_ONFAULT ? MLOCK_ONFAULT : 0)) ? -errno : 0;
	case RT_V_MUNLOCK:
		return RT_SYS(munlock((void *)a, op->len)) ? -errno : 0;
	}
	return -EINVAL;
}
