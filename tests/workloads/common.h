/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the mapshadow workload programs.
 *
 * Each workload drives one rmap scenario (PTE-mapped THP, COW after fork,
 * partial munmap, mremap, page cache COW...) so that the kernel's
 * folio_add_*_rmap / folio_remove_rmap paths run while mapshadow watches.
 * Everything that is not the scenario itself lives here so the programs
 * stay short enough to read at a glance.
 */
#ifndef WL_COMMON_H
#define WL_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The guest is x86-64: a PMD maps 2 MiB, a PTE 4 KiB. */
#define WL_PAGE_SIZE	4096UL
#define WL_THP_SIZE	(2UL << 20)
#define WL_THP_PAGES	(WL_THP_SIZE / WL_PAGE_SIZE)
#define WL_MIB		(1UL << 20)

/* Program-specific options a workload may ask wl_parse_opts() to accept. */
#define WL_OPT_CHILDREN	(1U << 0)	/* -c N: number of children */
#define WL_OPT_FILE	(1U << 1)	/* -f PATH: backing file */
#define WL_OPT_MODE	(1U << 2)	/* -m MODE: scenario variant */
#define WL_OPT_TIME	(1U << 3)	/* -t SECS: stop after SECS seconds */
#define WL_MAX_CHILDREN	64U		/* upper bound of -c */

struct wl_opts {
	unsigned long iterations;	/* -n, 0 = run until killed */
	size_t size;			/* -s, in bytes, multiple of 2 MiB */
	bool quiet;			/* -q */
	unsigned int children;		/* -c, WL_OPT_CHILDREN only */
	const char *file;		/* -f, WL_OPT_FILE only */
	const char *mode;		/* -m, WL_OPT_MODE only, NULL if absent */
	unsigned long seconds;		/* -t, WL_OPT_TIME only, 0 = no limit */
	bool hold;			/* -H: hold at the scenario's peak */
};

/*
 * Parse the common options (-n -s -q -H -h) plus the ones selected by @extra.
 * Exits with status 2 on a usage error, 0 after -h.
 */
void wl_parse_opts(struct wl_opts *o, int argc, char **argv,
		   const char *name, unsigned int extra);

/*
 * Run @scenario o->iterations times (forever when 0), and with -t no longer
 * than until o->seconds have passed (checked between iterations, at least
 * one runs), then print the "<name>: ok iterations=N" line. Returns the
 * exit status for main().
 */
int wl_run(const struct wl_opts *o, void (*scenario)(const struct wl_opts *o));

/* Print "<name>: FAIL <what>: <strerror(errno)>" and exit 1. */
void wl_fatal(const char *what) __attribute__((noreturn));
/* Same with an explicit reason instead of errno. */
void wl_fail(const char *what, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 2, 3)));
/* Informational line on stdout, suppressed by -q. */
void wl_info(const struct wl_opts *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* mmap anonymous memory; @thp selects MADV_HUGEPAGE vs MADV_NOHUGEPAGE. */
void *wl_alloc_anon(size_t len, bool thp);
/* Anonymous region of @len bytes aligned to 2 MiB, advised MADV_HUGEPAGE. */
void *wl_alloc_thp(size_t len);
void wl_munmap(void *p, size_t len);

/*
 * The content of every 4 KiB page is one 64-bit tag at its start, derived
 * from a seed and the page's offset in the region it was first written to.
 * One store per page is enough to fault and COW the page, and the offset in
 * the tag catches pages that end up in the wrong place (mremap).
 */
uint64_t wl_tag(uint64_t seed, size_t off);
/* Store the tags of pages [base, base + len) of a region into @p. */
void wl_fill(void *p, size_t len, uint64_t seed, size_t base);
/* Check those tags; fail with @what on the first mismatch. */
void wl_verify(const void *p, size_t len, uint64_t seed, size_t base,
	       const char *what);
/* Check that pages read back as zero (after MADV_DONTNEED). */
void wl_verify_zero(const void *p, size_t len, const char *what);

/*
 * Turn every PMD-mapped THP in [p, p + len) into a PTE-mapped one: an
 * mprotect() of a single page splits the VMA, which splits the PMD. The
 * protection is restored afterwards; the PMD stays split.
 */
void wl_split_pmds(void *p, size_t len);

/*
 * Best effort: report on stdout (unless -q, and only once per process) how
 * much of [p, p + len) /proc/self/smaps counts as AnonHugePages. Never fails:
 * THP may be disabled or unavailable and the scenarios still run.
 */
void wl_report_thp(const struct wl_opts *o, const void *p, size_t len);

/*
 * HOLD mode (-H).  Once per run, at the point where the scenario's mappings
 * are set up and before any teardown, the parent calls wl_hold(): it waits
 * until @children forked children have reached wl_hold_child(), prints
 * "<name>: holding" (even with -q), waits for SIGUSR1 and then releases the
 * children.  A child calls wl_hold_child() where it must stay alive during
 * the hold; it returns once the parent is released (or has died).  Both are
 * no-ops without -H and after the first hold, so -n N holds in the first
 * iteration only.  Children must be forked with wl_fork().
 */
void wl_hold(unsigned int children);
void wl_hold_child(void);

/*
 * Print "<name>: skip <why>" and exit 0: the facility the scenario needs is
 * missing (no hugepages, one NUMA node...).  The guest tests report a SKIP.
 */
void wl_skip(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));

/* Sum of a "Key:" field (kB) of /proc/self/smaps over [p, p + len); -1 if unknown. */
long wl_smaps_kb(const void *p, size_t len, const char *key);

/* fork() after flushing stdio so buffered output is not duplicated. */
pid_t wl_fork(void);
/* Wait for @pid and fail unless it exited with status 0. */
void wl_wait_child(pid_t pid);

#endif /* WL_COMMON_H */
