// SPDX-License-Identifier: GPL-2.0
/*
 * hwpoison: memory failure injected into a small page and into a THP.
 *
 * MADV_HWPOISON (root, CONFIG_MEMORY_FAILURE) runs memory_failure() on one
 * page of a small-page region and on one subpage of a PMD-mapped THP: the
 * THP is split, and the poisoned page's mapping is replaced by a hwpoison
 * entry (its rmap removed).  The kernel sends SIGBUS (BUS_MCEERR_AR) to the
 * caller, at the madvise or at the next access; the program catches it,
 * then checks that touching each poisoned page raises SIGBUS and that every
 * other page kept its content.  The hold comes after that.  Poisoned pages
 * stay out of use until reboot.  Without MADV_HWPOISON the program prints
 * "hwpoison: skip ...".
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>

#include "common.h"

#ifndef MADV_HWPOISON
#define MADV_HWPOISON	100
#endif

#define SEED		1
#define SMALL_PAGE	3	/* the poisoned page of the small region */
#define THP_PAGE	77	/* the poisoned subpage of the first THP */

static sigjmp_buf wl_jmp;
static volatile sig_atomic_t sigbus_count;
static volatile void *sigbus_addr;

static void on_sigbus(int sig, siginfo_t *si, void *ctx)
{
	(void)sig;
	(void)ctx;
	sigbus_count++;
	sigbus_addr = si->si_addr;
	siglongjmp(wl_jmp, 1);
}

/* Poison the page at @q; SIGBUS during the madvise is expected. */
static void poison(char *q)
{
	if (sigsetjmp(wl_jmp, 1))
		return;
	if (madvise(q, WL_PAGE_SIZE, MADV_HWPOISON)) {
		if (errno == EINVAL || errno == EPERM)
			wl_skip("MADV_HWPOISON not available (%s)", strerror(errno));
		wl_fatal("madvise MADV_HWPOISON");
	}
}

/* Touching the poisoned page at @q must raise SIGBUS for @q. */
static void expect_sigbus(char *q, const char *what)
{
	sig_atomic_t before = sigbus_count;

	if (!sigsetjmp(wl_jmp, 1))
		(void)*(volatile char *)q;
	if (sigbus_count == before)
		wl_fail(what, "no SIGBUS reading a poisoned page");
	if (sigbus_addr != q)
		wl_fail(what, "SIGBUS for %p, expected %p", (void *)sigbus_addr,
			(void *)q);
}

/* Every page but @skip (an offset) still holds its tag. */
static void verify_but(const char *p, size_t len, size_t skip, const char *what)
{
	wl_verify(p, skip, SEED, 0, what);
	wl_verify(p + skip + WL_PAGE_SIZE, len - skip - WL_PAGE_SIZE, SEED,
		  skip + WL_PAGE_SIZE, what);
}

static void scenario(const struct wl_opts *o)
{
	size_t len = o->size, small_len = len / 2;
	size_t s_off = SMALL_PAGE * WL_PAGE_SIZE, t_off = THP_PAGE * WL_PAGE_SIZE;
	char *thp = wl_alloc_thp(len), *small = wl_alloc_anon(small_len, false);
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigbus;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	if (sigaction(SIGBUS, &sa, NULL))
		wl_fatal("sigaction SIGBUS");

	wl_fill(thp, len, SEED, 0);
	wl_fill(small, small_len, SEED, 0);
	wl_report_thp(o, thp, len);

	poison(small + s_off);
	poison(thp + t_off);
	expect_sigbus(small + s_off, "small page");
	expect_sigbus(thp + t_off, "THP subpage");
	verify_but(small, small_len, s_off, "verify small");
	verify_but(thp, len, t_off, "verify thp");
	wl_info(o, "%d SIGBUS, AnonHugePages %ld kB after poisoning",
		(int)sigbus_count, wl_smaps_kb(thp, len, "AnonHugePages"));
	wl_hold(0);

	wl_munmap(thp, len);
	wl_munmap(small, small_len);
}

int main(int argc, char **argv)
{
	struct wl_opts o;

	wl_parse_opts(&o, argc, argv, "hwpoison", 0);
	return wl_run(&o, scenario);
}
