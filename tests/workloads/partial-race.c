// SPDX-License-Identifier: GPL-2.0
/*
 * partial-race: the scene of the PG_partially_mapped bug of 6.12.0-6.12.6.
 *
 * Each iteration faults in a THP and maps it with PTEs (mprotect of one
 * page and back: the PMD is split, the folio stays whole and fully
 * mapped).  Then two threads start together:
 *   the unmapper  MADV_DONTNEED of one page: the folio becomes partially
 *                 mapped, and deferred_split_folio() sets
 *                 PG_partially_mapped in page[1].flags
 *   the poisoner  -m hwpoison: MADV_HWPOISON of page 1 (root,
 *                 CONFIG_MEMORY_FAILURE), whose memory_failure() sets
 *                 PG_hwpoison in that same word, atomically, holding no
 *                 lock the unmapper holds; -m none: nothing
 * The poisoner's SIGBUS (the kernel kills what maps a poisoned page) is
 * caught.  Poisoned pages stay out of use until reboot: 4 KiB a time.
 * -t SECS bounds the run; -n the iterations.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>

#include "common.h"

#ifndef MADV_HWPOISON
#define MADV_HWPOISON	100
#endif

#define UNMAP_PAGE	5	/* the page the unmapper zaps */
#define POISON_PAGE	1	/* page[1]: its flags word is _flags_1 */

static pthread_barrier_t wl_start, wl_done;
static char *volatile wl_thp;
static bool wl_poison;
static volatile sig_atomic_t wl_sigbus;

static void on_sigbus(int sig)
{
	(void)sig;
	wl_sigbus++;
}

static void *poisoner(void *arg)
{
	(void)arg;
	for (;;) {
		pthread_barrier_wait(&wl_start);
		if (!wl_thp)
			return NULL;
		if (wl_poison &&
		    madvise(wl_thp + POISON_PAGE * WL_PAGE_SIZE, WL_PAGE_SIZE,
			    MADV_HWPOISON) && errno != EBUSY && errno != EHWPOISON)
			wl_fatal("madvise MADV_HWPOISON");
		pthread_barrier_wait(&wl_done);
	}
}

static void scenario(const struct wl_opts *o)
{
	char *p = wl_alloc_thp(WL_THP_SIZE);
	size_t i;

	(void)o;
	for (i = 0; i < WL_THP_PAGES; i++)
		p[i * WL_PAGE_SIZE] = 1;
	/* Split the PMD, keep the folio whole and every page mapped. */
	if (mprotect(p, WL_PAGE_SIZE, PROT_READ) ||
	    mprotect(p, WL_PAGE_SIZE, PROT_READ | PROT_WRITE))
		wl_fatal("mprotect");
	wl_thp = p;
	pthread_barrier_wait(&wl_start);
	if (madvise(p + UNMAP_PAGE * WL_PAGE_SIZE, WL_PAGE_SIZE, MADV_DONTNEED))
		wl_fatal("madvise MADV_DONTNEED");
	pthread_barrier_wait(&wl_done);
	wl_munmap(p, WL_THP_SIZE);
}

int main(int argc, char **argv)
{
	struct wl_opts o;
	pthread_t t;
	int rc;

	wl_parse_opts(&o, argc, argv, "partial-race", WL_OPT_MODE | WL_OPT_TIME);
	if (o.mode && strcmp(o.mode, "hwpoison") && strcmp(o.mode, "none"))
		wl_fail("-m", "unknown mode %s (hwpoison, none)", o.mode);
	wl_poison = !o.mode || !strcmp(o.mode, "hwpoison");
	signal(SIGBUS, on_sigbus);
	if (pthread_barrier_init(&wl_start, NULL, 2) ||
	    pthread_barrier_init(&wl_done, NULL, 2) ||
	    pthread_create(&t, NULL, poisoner, NULL))
		wl_fatal("pthread");
	rc = wl_run(&o, scenario);
	wl_thp = NULL;
	pthread_barrier_wait(&wl_start);
	pthread_join(t, NULL);
	wl_info(&o, "partial-race: %d SIGBUS caught", (int)wl_sigbus);
	return rc;
}
