// SPDX-License-Identifier: GPL-2.0
/*
 * uffd-copy: anonymous pages filled in by userfaultfd UFFDIO_COPY.
 *
 * The region is registered with userfaultfd in MISSING mode; a thread
 * resolves every fault by copying a tagged page in (UFFDIO_COPY:
 * mfill_atomic_install_pte, folio_add_new_anon_rmap).  The main thread
 * reads every page, zaps a quarter of them with MADV_DONTNEED and reads
 * them again (new copies), then forks: the child (whose VMA is no longer
 * registered) writes one page in four (COW) and holds.  Needs userfaultfd
 * for root; without it the program prints "uffd-copy: skip ...".
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>
#include <linux/userfaultfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "common.h"

#define SEED_ORIG	1
#define SEED_CHILD	2

struct resolver {
	int uffd, stop_fd;
	char *base;
	unsigned long copies;
};

static void *resolve(void *arg)
{
	struct resolver *r = arg;
	static char page[WL_PAGE_SIZE] __attribute__((aligned(WL_PAGE_SIZE)));
	struct pollfd fds[2] = {
		{ .fd = r->uffd, .events = POLLIN },
		{ .fd = r->stop_fd, .events = POLLIN },
	};
	struct uffd_msg msg;
	struct uffdio_copy copy;

	for (;;) {
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			wl_fatal("poll userfaultfd");
		}
		if (fds[1].revents)
			return NULL;
		if (read(r->uffd, &msg, sizeof(msg)) != sizeof(msg)) {
			if (errno == EAGAIN)
				continue;
			wl_fatal("read userfaultfd");
		}
		if (msg.event != UFFD_EVENT_PAGEFAULT)
			wl_fail("uffd", "unexpected event %u", msg.event);
		copy.dst = msg.arg.pagefault.address & ~(WL_PAGE_SIZE - 1);
		memset(page, 0, sizeof(page));
		wl_fill(page, WL_PAGE_SIZE, SEED_ORIG, copy.dst - (uintptr_t)r->base);
		copy.src = (uintptr_t)page;
		copy.len = WL_PAGE_SIZE;
		copy.mode = 0;
		copy.copy = 0;
		if (ioctl(r->uffd, UFFDIO_COPY, &copy) && errno != EEXIST)
			wl_fatal("UFFDIO_COPY");
		r->copies++;
	}
}

static int open_uffd(void)
{
	struct uffdio_api api = { .api = UFFD_API };
	int fd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);

	if (fd < 0 && (errno == ENOSYS || errno == EPERM))
		wl_skip("no userfaultfd (%s)", strerror(errno));
	if (fd < 0)
		wl_fatal("userfaultfd");
	if (ioctl(fd, UFFDIO_API, &api))
		wl_fatal("UFFDIO_API");
	return fd;
}

static void scenario(const struct wl_opts *o)
{
	size_t len = o->size, quarter = len / 4, off;
	struct resolver r = { .base = wl_alloc_anon(len, false) };
	struct uffdio_register reg = {
		.range = { .start = (uintptr_t)r.base, .len = len },
		.mode = UFFDIO_REGISTER_MODE_MISSING,
	};
	struct uffdio_range range = reg.range;
	pthread_t thread;
	int stop[2], err;
	pid_t pid;

	r.uffd = open_uffd();
	if (ioctl(r.uffd, UFFDIO_REGISTER, &reg))
		wl_fatal("UFFDIO_REGISTER");
	if (pipe(stop))
		wl_fatal("pipe");
	r.stop_fd = stop[0];
	err = pthread_create(&thread, NULL, resolve, &r);
	if (err) {
		errno = err;
		wl_fatal("pthread_create");
	}

	wl_verify(r.base, len, SEED_ORIG, 0, "verify copied pages");
	if (madvise(r.base + quarter, quarter, MADV_DONTNEED))
		wl_fatal("madvise MADV_DONTNEED");
	wl_verify(r.base + quarter, quarter, SEED_ORIG, quarter,
		  "verify copied again");

	pid = wl_fork();
	if (!pid) {
		for (off = 0; off < len; off += 4 * WL_PAGE_SIZE)
			wl_fill(r.base + off, WL_PAGE_SIZE, SEED_CHILD, off);
		wl_hold_child();
		_exit(0);
	}
	wl_hold(1);
	wl_wait_child(pid);

	if (write(stop[1], "x", 1) != 1)
		wl_fatal("write stop pipe");
	err = pthread_join(thread, NULL);
	if (err) {
		errno = err;
		wl_fatal("pthread_join");
	}
	wl_info(o, "%lu faults resolved by UFFDIO_COPY", r.copies);
	if (r.copies < (len + quarter) / WL_PAGE_SIZE)
		wl_fail("uffd", "only %lu copies for %zu faults", r.copies,
			(len + quarter) / WL_PAGE_SIZE);
	if (ioctl(r.uffd, UFFDIO_UNREGISTER, &range))
		wl_fatal("UFFDIO_UNREGISTER");
	wl_verify(r.base, len, SEED_ORIG, 0, "parent verify");
	close(stop[0]);
	close(stop[1]);
	close(r.uffd);
	wl_munmap(r.base, len);
}

int main(int argc, char **argv)
{
	struct wl_opts o;

	wl_parse_opts(&o, argc, argv, "uffd-copy", 0);
	return wl_run(&o, scenario);
}
