// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by the mapshadow workload programs: option parsing, the
 * iteration loop, failure reporting, THP-friendly allocation, page tagging
 * and a best-effort THP check.
 */
#define _GNU_SOURCE	/* pipe2() */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "common.h"

#define WL_DEFAULT_MIB		8UL
#define WL_MAX_MIB		65536UL	/* keeps size arithmetic far from overflow */
#define WL_DEFAULT_CHILDREN	2U
#define WL_DEFAULT_FILE		"/tmp/mapshadow-file"
#define WL_MAX_SECONDS		86400UL

/* Used in every message; set once by wl_parse_opts(). */
static const char *wl_name = "workload";

/*
 * HOLD mode: children report on "ready" that they reached their hold
 * point; the parent closes "release" to let them go.  Each child closes its
 * copy of release's write end in wl_fork(), so it also sees EOF when the
 * parent dies.
 */
static bool wl_hold_pending;
static int wl_ready[2] = { -1, -1 }, wl_release[2] = { -1, -1 };

static void wl_usage(FILE *f, unsigned int extra)
{
	fprintf(f, "usage: %s [-n ITER] [-s MiB] [-q] [-H]%s%s%s%s\n", wl_name,
		extra & WL_OPT_CHILDREN ? " [-c N]" : "",
		extra & WL_OPT_FILE ? " [-f PATH]" : "",
		extra & WL_OPT_MODE ? " [-m MODE]" : "",
		extra & WL_OPT_TIME ? " [-t SECS]" : "");
	fprintf(f, "  -n ITER  repeat the scenario ITER times (default 1, 0 = forever)\n"
		   "  -s MiB   region size in MiB, a multiple of 2 (default %lu)\n"
		   "  -q       quiet: print only the final line\n"
		   "  -H       hold: print \"%s: holding\" once the mappings are set up,\n"
		   "           wait for SIGUSR1, then tear down\n",
		WL_DEFAULT_MIB, wl_name);
	if (extra & WL_OPT_CHILDREN)
		fprintf(f, "  -c N     children to fork, 1..%u (default %u)\n",
			WL_MAX_CHILDREN, WL_DEFAULT_CHILDREN);
	if (extra & WL_OPT_FILE)
		fprintf(f, "  -f PATH  backing file, created and removed (default %s)\n",
			WL_DEFAULT_FILE);
	if (extra & WL_OPT_MODE)
		fprintf(f, "  -m MODE  scenario variant (see the program's header)\n");
	if (extra & WL_OPT_TIME)
		fprintf(f, "  -t SECS  stop after SECS seconds, 1..%lu (with -n 0: run that long)\n",
			WL_MAX_SECONDS);
}

static void __attribute__((noreturn)) wl_usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", wl_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (try -h)\n");
	exit(2);
}

/* Plain decimal only: strtoul() alone would accept "-1", " 5" and "0x10". */
static unsigned long wl_parse_ulong(int opt, const char *s, unsigned long max)
{
	unsigned long v;
	char *end;

	if (*s < '0' || *s > '9')
		wl_usage_error("-%c: '%s' is not a decimal number", opt, s);
	errno = 0;
	v = strtoul(s, &end, 10);
	if (*end)
		wl_usage_error("-%c: '%s' is not a decimal number", opt, s);
	if (errno == ERANGE || v > max)
		wl_usage_error("-%c: %s is larger than %lu", opt, s, max);
	return v;
}

void wl_parse_opts(struct wl_opts *o, int argc, char **argv,
		   const char *name, unsigned int extra)
{
	char optstring[24] = "n:s:qHh";
	unsigned long mib = WL_DEFAULT_MIB;
	int c;

	wl_name = name;
	o->iterations = 1;
	o->quiet = false;
	o->children = WL_DEFAULT_CHILDREN;
	o->file = WL_DEFAULT_FILE;
	o->mode = NULL;
	o->seconds = 0;
	o->hold = false;
	if (extra & WL_OPT_CHILDREN)
		strcat(optstring, "c:");
	if (extra & WL_OPT_FILE)
		strcat(optstring, "f:");
	if (extra & WL_OPT_MODE)
		strcat(optstring, "m:");
	if (extra & WL_OPT_TIME)
		strcat(optstring, "t:");

	opterr = 0;	/* our own one-line messages instead of getopt's */
	while ((c = getopt(argc, argv, optstring)) != -1) {
		switch (c) {
		case 'n':
			o->iterations = wl_parse_ulong(c, optarg, (unsigned long)-1);
			break;
		case 's':
			mib = wl_parse_ulong(c, optarg, WL_MAX_MIB);
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'H':
			o->hold = true;
			break;
		case 'm':
			o->mode = optarg;
			break;
		case 't':
			o->seconds = wl_parse_ulong(c, optarg, WL_MAX_SECONDS);
			if (!o->seconds)
				wl_usage_error("-t: need at least one second");
			break;
		case 'c':
			o->children = wl_parse_ulong(c, optarg, WL_MAX_CHILDREN);
			if (!o->children)
				wl_usage_error("-c: need at least one child");
			break;
		case 'f':
			if (!*optarg)
				wl_usage_error("-f: empty path");
			o->file = optarg;
			break;
		case 'h':
			wl_usage(stdout, extra);
			exit(0);
		default:
			if (optopt && strchr(optstring, optopt))
				wl_usage_error("-%c needs an argument", optopt);
			wl_usage_error("unknown option '-%c'", optopt);
		}
	}
	if (optind < argc)
		wl_usage_error("unexpected argument '%s'", argv[optind]);
	/* Whole THPs only: the scenarios work THP by THP. */
	if (!mib || mib % 2)
		wl_usage_error("-s: size must be a non-zero multiple of 2 MiB");
	o->size = mib * WL_MIB;
	if (o->hold) {
		sigset_t set;

		/* Blocked from the start: sigwait() in wl_hold() takes it. */
		sigemptyset(&set);
		sigaddset(&set, SIGUSR1);
		if (sigprocmask(SIG_BLOCK, &set, NULL))
			wl_fatal("sigprocmask");
		if (pipe2(wl_ready, O_CLOEXEC) || pipe2(wl_release, O_CLOEXEC))
			wl_fatal("pipe");
		wl_hold_pending = true;
	}
}

void wl_hold(unsigned int children)
{
	unsigned int i;
	sigset_t set;
	ssize_t n;
	char c;
	int sig;

	if (!wl_hold_pending)
		return;
	wl_hold_pending = false;
	/* Our write end closed: EOF if every child died before its hold. */
	close(wl_ready[1]);
	for (i = 0; i < children; i += n) {
		n = read(wl_ready[0], &c, 1);
		if (n < 0 && errno == EINTR)
			n = 0;
		else if (n < 0)
			wl_fatal("hold: read ready pipe");
		else if (!n)
			wl_fail("hold", "%u of %u children died before holding",
				children - i, children);
	}
	close(wl_ready[0]);
	printf("%s: holding\n", wl_name);
	if (fflush(stdout))
		wl_fatal("hold: flush stdout");
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	if (sigwait(&set, &sig))
		wl_fail("hold", "sigwait failed");
	close(wl_release[1]);
	close(wl_release[0]);
	wl_release[0] = wl_release[1] = -1;
}

void wl_hold_child(void)
{
	ssize_t n;
	char c = 'h';

	if (!wl_hold_pending)
		return;
	wl_hold_pending = false;
	if (write(wl_ready[1], &c, 1) != 1)
		wl_fatal("hold: write ready pipe");
	close(wl_ready[1]);
	close(wl_ready[0]);
	while ((n = read(wl_release[0], &c, 1)) != 0)
		if (n < 0 && errno != EINTR)
			wl_fatal("hold: read release pipe");
	close(wl_release[0]);
}

void wl_skip(const char *fmt, ...)
{
	va_list ap;

	printf("%s: skip ", wl_name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	exit(fflush(stdout) ? 1 : 0);
}

static double wl_now(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts))
		wl_fatal("clock_gettime");
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int wl_run(const struct wl_opts *o, void (*scenario)(const struct wl_opts *o))
{
	double end = o->seconds ? wl_now() + o->seconds : 0;
	unsigned long i;

	for (i = 0; !o->iterations || i < o->iterations; i++) {
		if (i && end && wl_now() >= end)
			break;
		scenario(o);
	}
	printf("%s: ok iterations=%lu\n", wl_name, i);
	return fflush(stdout) ? 1 : 0;
}

void wl_fatal(const char *what)
{
	fprintf(stderr, "%s: FAIL %s: %s\n", wl_name, what, strerror(errno));
	exit(1);
}

void wl_fail(const char *what, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: FAIL %s: ", wl_name, what);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

void wl_info(const struct wl_opts *o, const char *fmt, ...)
{
	va_list ap;

	if (o->quiet)
		return;
	printf("%s: ", wl_name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

void *wl_alloc_anon(size_t len, bool thp)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		wl_fatal("mmap anon");
	/* Advice only: a kernel without THP rejects it, which is fine. */
	madvise(p, len, thp ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
	return p;
}

void *wl_alloc_thp(size_t len)
{
	/*
	 * Over-allocate by one THP so a 2 MiB aligned start exists inside,
	 * then give back the unaligned head and tail: a PMD can only map a
	 * THP at a 2 MiB aligned virtual address.
	 */
	size_t map_len = len + WL_THP_SIZE;
	char *raw, *p;
	size_t head, tail;

	raw = mmap(NULL, map_len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (raw == MAP_FAILED)
		wl_fatal("mmap thp region");
	p = (char *)(((uintptr_t)raw + WL_THP_SIZE - 1) & ~(WL_THP_SIZE - 1));
	head = p - raw;
	tail = map_len - head - len;
	if (head)
		wl_munmap(raw, head);
	if (tail)
		wl_munmap(p + len, tail);
	madvise(p, len, MADV_HUGEPAGE);
	return p;
}

void wl_munmap(void *p, size_t len)
{
	if (munmap(p, len))
		wl_fatal("munmap");
}

uint64_t wl_tag(uint64_t seed, size_t off)
{
	/* Non-zero for small seeds: a tag never looks like a fresh zero page. */
	return (seed << 40) ^ (off / WL_PAGE_SIZE) ^ 0x6d73000000000001ULL;
}

/*
 * volatile: each access is the point (a fault, a COW, a read through a new
 * mapping), so the compiler must neither merge nor drop any of them.
 */
void wl_fill(void *p, size_t len, uint64_t seed, size_t base)
{
	size_t off;

	for (off = 0; off < len; off += WL_PAGE_SIZE)
		*(volatile uint64_t *)((char *)p + off) = wl_tag(seed, base + off);
}

void wl_verify(const void *p, size_t len, uint64_t seed, size_t base,
	       const char *what)
{
	size_t off;

	for (off = 0; off < len; off += WL_PAGE_SIZE) {
		uint64_t got = *(const volatile uint64_t *)((const char *)p + off);
		uint64_t want = wl_tag(seed, base + off);

		if (got != want)
			wl_fail(what, "page at +0x%zx holds 0x%016llx, expected 0x%016llx",
				base + off, (unsigned long long)got,
				(unsigned long long)want);
	}
}

void wl_verify_zero(const void *p, size_t len, const char *what)
{
	const volatile uint64_t *w = p;
	size_t i;

	for (i = 0; i < len / sizeof(*w); i++)
		if (w[i])
			wl_fail(what, "byte +0x%zx is not zero", i * sizeof(*w));
}

void wl_split_pmds(void *p, size_t len)
{
	size_t off;

	for (off = 0; off < len; off += WL_THP_SIZE) {
		/* Vary the page so the split is not always at the same spot. */
		size_t page = (1 + off / WL_THP_SIZE * 37) % WL_THP_PAGES;
		char *q = (char *)p + off + page * WL_PAGE_SIZE;

		if (mprotect(q, WL_PAGE_SIZE, PROT_READ))
			wl_fatal("mprotect PROT_READ");
		if (mprotect(q, WL_PAGE_SIZE, PROT_READ | PROT_WRITE))
			wl_fatal("mprotect PROT_READ|PROT_WRITE");
	}
}

long wl_smaps_kb(const void *p, size_t len, const char *key)
{
	uintptr_t start = (uintptr_t)p, end = start + len;
	size_t klen = strlen(key);
	FILE *f = fopen("/proc/self/smaps", "r");
	unsigned long lo, hi;
	bool inside = false;
	char *line = NULL;
	size_t cap = 0;
	long kb, total = -1;

	if (!f)
		return -1;
	while (getline(&line, &cap, f) > 0) {
		/* VMA header "lo-hi perms ..."; no "Name:" field line parses so. */
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2) {
			inside = lo < end && hi > start;
			continue;
		}
		if (inside && !strncmp(line, key, klen) && line[klen] == ':' &&
		    sscanf(line + klen + 1, " %ld kB", &kb) == 1)
			total = (total < 0 ? 0 : total) + kb;
	}
	free(line);
	fclose(f);
	return total;
}

void wl_report_thp(const struct wl_opts *o, const void *p, size_t len)
{
	static bool reported;
	long kb;

	/* Once is enough: with -n 0 this would otherwise flood the console. */
	if (o->quiet || reported)
		return;
	reported = true;
	kb = wl_smaps_kb(p, len, "AnonHugePages");
	if (kb < 0)
		wl_info(o, "THP backing unknown (no AnonHugePages in /proc/self/smaps)");
	else
		wl_info(o, "THP backing %ld of %zu kB (AnonHugePages)", kb, len >> 10);
}

pid_t wl_fork(void)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		wl_fatal("fork");
	if (!pid && wl_release[1] >= 0) {
		close(wl_release[1]);
		wl_release[1] = -1;
	}
	return pid;
}

void wl_wait_child(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			wl_fatal("waitpid");
	if (WIFSIGNALED(status))
		wl_fail("child", "pid %d killed by signal %d", (int)pid,
			WTERMSIG(status));
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		wl_fail("child", "pid %d exited with status %d", (int)pid,
			WEXITSTATUS(status));
}
