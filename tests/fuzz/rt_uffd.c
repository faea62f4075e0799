// SPDX-License-Identifier: GPL-2.0
/*
 * userfaultfd: fill the holes of a range with UFFDIO_COPY or
 * UFFDIO_ZEROPAGE, or UFFDIO_MOVE pages from one range to another
 * (kernels without it: skipped).
 *
 * Each operation opens a userfaultfd, registers the destination range
 * (MISSING mode) and closes the fd, which unregisters it: no range stays
 * registered after the operation, so no later access can wait for a
 * fault handler that is not there.
 */
#include "rt.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <linux/userfaultfd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

#ifndef UFFD_USER_MODE_ONLY
#define UFFD_USER_MODE_ONLY	1
#endif
/* UFFDIO_MOVE (6.8), defined here: older headers lack it. */
#define UF_FEATURE_MOVE		0x10000ULL
#define UF_MOVE_ALLOW_SRC_HOLES	0x2ULL
struct uf_move {
	__u64 dst, src, len, mode;
	__s64 move;
};

#define UF_IOC_MOVE		_IOWR(UFFDIO, 0x05, struct uf_move)

/* A userfaultfd with @features: the fd, -errno, or -RT_R_SKIP. */
static int uf_open(__u64 features)
{
	struct uffdio_api api = { .api = UFFD_API, .features = features };
	int fd, err;

	fd = RT_SYS(syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY));
	if (fd < 0 && errno == EINVAL)
		fd = RT_SYS(syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK));
	if (fd < 0)
		return -errno;
	if (RT_SYS(ioctl(fd, UFFDIO_API, &api))) {
		err = -errno;
		close(fd);
		/* A feature this kernel lacks (UFFDIO_MOVE). */
		return err == -EINVAL && features ? -RT_R_SKIP : err;
	}
	return fd;
}

static int uf_register(int fd, unsigned long a, unsigned long len)
{
	struct uffdio_register reg = {
		.range = { .start = a, .len = len },
		.mode = UFFDIO_REGISTER_MODE_MISSING,
	};

	return RT_SYS(ioctl(fd, UFFDIO_REGISTER, &reg)) ? -errno : 0;
}

/*
 * Copy or zero every page that is not there yet (EEXIST: one that is).
 * hugetlb-1g gets 4 KiB steps, which the kernel refuses (EINVAL): a whole
 * 1 GiB page would need a source as large.
 */
static int uf_fill(int fd, const struct rt_op *op, const struct rt_handle *hd)
{
	static char src[RT_HPAGE];
	unsigned long step = hd->type == RT_T_HUGETLB || hd->type == RT_T_MEMFD_HUGE ?
			     RT_HPAGE : RT_PAGE;
	unsigned long a = hd->addr + op->off, off;
	struct uffdio_zeropage z;
	struct uffdio_copy c;
	int r;

	src[0] = 0x55;
	for (off = 0; off < op->len; off += step) {
		if (op->verb == RT_V_UFFD_COPY) {
			c = (struct uffdio_copy){ .dst = a + off,
				.src = (unsigned long)src, .len = step };
			r = RT_SYS(ioctl(fd, UFFDIO_COPY, &c));
		} else {
			z = (struct uffdio_zeropage){
				.range = { .start = a + off, .len = step } };
			r = RT_SYS(ioctl(fd, UFFDIO_ZEROPAGE, &z));
		}
		if (r && errno != EEXIST)
			return -errno;
	}
	return 0;
}

static int uf_move(int fd, const struct rt_op *op, const struct rt_handle *hd)
{
	struct rt_handle *src = rt_handle(rt_me, op->h2);
	struct uf_move m;

	if (!src)
		return RT_R_NOHANDLE;
	m = (struct uf_move){ .dst = hd->addr + op->off, .src = src->addr + op->off2,
			      .len = op->len, .mode = UF_MOVE_ALLOW_SRC_HOLES };
	if (!RT_SYS(ioctl(fd, UF_IOC_MOVE, &m)))
		return 0;
	return errno == ENOTTY ? RT_R_SKIP : -errno;
}

int rt_uffd_op(const struct rt_op *op)
{
	struct rt_handle *hd = rt_handle(rt_me, op->h);
	int fd, err;

	if (!hd)
		return RT_R_NOHANDLE;
	fd = uf_open(op->verb == RT_V_UFFD_MOVE ? UF_FEATURE_MOVE : 0);
	if (fd < 0)
		return fd == -RT_R_SKIP ? RT_R_SKIP : fd;
	err = uf_register(fd, hd->addr + op->off, op->len);
	if (!err)
		err = op->verb == RT_V_UFFD_MOVE ? uf_move(fd, op, hd) : uf_fill(fd, op, hd);
	close(fd);
	return err;
}
