// SPDX-License-Identifier: GPL-2.0
/*
 * bench-mapcount [-s MIB] [-r RUNS] [-v] BENCH KIND: time one rmap-heavy
 * action on an area of MIB MiB (default 256) backed by folios of one size,
 * RUNS times (default 5) after one untimed warm-up, and print one line:
 *
 *   bench=fork kind=thp mib=256 median_ns=N min_ns=N max_ns=N runs=5
 *
 * The benchmarks are the micro-benchmarks of the large-folio mapcount and
 * rmap-ID series (pte-mapped-folio-benchmarks.c): populate the area, then
 * time only the action (CLOCK_MONOTONIC, which counts guest instructions
 * under QEMU -icount):
 *
 *   fork            fork(); the child waits until the parent has the time
 *   munmap          munmap() of the whole area
 *   cow             fork(), child alive: memset() of the whole area
 *   cow-byte        fork(), child alive: write one byte to each 4 KiB page
 *   cow-reuse       fork(), child gone: memset() of the whole area (reuse)
 *   cow-reuse-byte  fork(), child gone: one byte to each 4 KiB page
 *   pte-dontneed    MADV_DONTNEED of each 4 KiB page, one call each
 *   remap           PMD-mapped THPs to PTE-mapped ones: mprotect() of one
 *                   page of each THP and back (thp only)
 *
 * KIND is the folio size:
 *
 *   thp      2 MiB THPs, PMD-mapped (MADV_HUGEPAGE, 2 MiB aligned)
 *   thp-pte  the same THPs PTE-mapped by the remap step (the series' setup
 *            for its fork and munmap numbers)
 *   mthp64   64 KiB mTHPs (hugepages-64kB always, every other size never)
 *   small    order-0 folios (MADV_NOHUGEPAGE)
 *
 * The THP sysfs knobs a kind needs are set here and restored at exit.  Every
 * setup is verified before its action: each folio's size from
 * /proc/self/pagemap and /proc/kpageflags (so root is needed), and for thp
 * and thp-pte whether smaps counts the area PMD-mapped (AnonHugePages).
 * A setup that did not get the intended folios is an error, exit status 1;
 * usage errors exit 2.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE		4096UL
#define PMD_SIZE	(2UL << 20)
#define MIB		(1UL << 20)
#define MAX_RUNS	100

/* /proc/kpageflags bits (include/uapi/linux/kernel-page-flags.h). */
#define KPF_COMPOUND_HEAD	15
#define KPF_COMPOUND_TAIL	16
#define KPF_HUGE		17
#define PM_PRESENT		(1ULL << 63)
#define PM_PFN_MASK		((1ULL << 55) - 1)

#define THP_DIR "/sys/kernel/mm/transparent_hugepage"

struct area {
	char *p;
	size_t len;
	bool mapped;
};

struct kind {
	const char *name;
	unsigned long folio_pages;	/* pages per folio */
	bool pmd_mapped;		/* smaps must count it all as THP */
	int advice;			/* madvise() before populating, or 0 */
	bool pte_map;			/* PTE-map the THPs after populating */
};

static const struct kind kinds[] = {
	{ "thp", 512, true, MADV_HUGEPAGE, false },
	{ "thp-pte", 512, false, MADV_HUGEPAGE, true },
	{ "mthp64", 16, false, 0, false },
	{ "small", 1, false, MADV_NOHUGEPAGE, false },
};

struct bench {
	const char *name;
	uint64_t (*run)(struct area *a);
	bool pmd_only;			/* needs PMD-mapped THPs */
};

static bool verbose;

static void die(const char *what)
{
	fprintf(stderr, "bench-mapcount: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("bench-mapcount: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * THP sysfs knobs changed by this run, restored at exit and on SIGINT or
 * SIGTERM; the restore uses only open/write/close (signal-safe).
 */
#define MAX_KNOBS 16
static struct {
	char path[512];
	char old[32];
} knobs[MAX_KNOBS];
static int nr_knobs;

static void knobs_restore(void)
{
	int i, fd;

	for (i = nr_knobs - 1; i >= 0; i--) {
		fd = open(knobs[i].path, O_WRONLY);
		if (fd < 0)
			continue;
		if (write(fd, knobs[i].old, strlen(knobs[i].old)) < 0)
			(void)0;
		close(fd);
	}
	nr_knobs = 0;
}

static void on_signal(int sig)
{
	knobs_restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* The selected word of a "always [madvise] never" file, or "". */
static bool knob_read(const char *path, char *val, size_t size)
{
	char buf[128], *l, *r;
	FILE *f = fopen(path, "r");

	if (!f)
		return false;
	if (!fgets(buf, sizeof(buf), f)) {
		fclose(f);
		return false;
	}
	fclose(f);
	l = strchr(buf, '[');
	r = l ? strchr(l, ']') : NULL;
	if (!l || !r)
		return false;
	*r = '\0';
	snprintf(val, size, "%s", l + 1);
	return true;
}

/* Set a knob to VAL (remembering its old value); false if it is missing. */
static bool knob_set(const char *path, const char *val)
{
	char old[32];
	FILE *f;

	if (!knob_read(path, old, sizeof(old)))
		return false;
	if (!strcmp(old, val))
		return true;
	if (nr_knobs == MAX_KNOBS)
		fail("too many THP knobs to change");
	snprintf(knobs[nr_knobs].path, sizeof(knobs[0].path), "%s", path);
	snprintf(knobs[nr_knobs].old, sizeof(knobs[0].old), "%s", old);
	nr_knobs++;
	f = fopen(path, "w");
	if (!f || fputs(val, f) < 0 || fclose(f))
		die(path);
	return true;
}

/* Every other hugepages-<size>kB off, 64 KiB on: 64 KiB is the largest. */
static void knobs_mthp64(void)
{
	char path[512];
	struct dirent *d;
	DIR *dir;

	if (!knob_set(THP_DIR "/hugepages-64kB/enabled", "always"))
		fail("%s: no 64 KiB mTHP on this kernel", THP_DIR "/hugepages-64kB");
	dir = opendir(THP_DIR);
	if (!dir)
		die(THP_DIR);
	while ((d = readdir(dir))) {
		if (strncmp(d->d_name, "hugepages-", 10) ||
		    !strcmp(d->d_name, "hugepages-64kB"))
			continue;
		snprintf(path, sizeof(path), THP_DIR "/%s/enabled", d->d_name);
		knob_set(path, "never");
	}
	closedir(dir);
}

static void knobs_for(const struct kind *k)
{
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	atexit(knobs_restore);
	if (k->folio_pages == 16) {
		knobs_mthp64();
	} else if (k->folio_pages == 512) {
		/* MADV_HUGEPAGE regions get PMD THPs whatever "inherit" says. */
		if (!knob_set(THP_DIR "/hugepages-2048kB/enabled", "madvise"))
			knob_set(THP_DIR "/enabled", "madvise");
	}
}

/* Sum of AnonHugePages (kB) of the VMAs overlapping [p, p + len). */
static unsigned long smaps_anon_huge_kb(const char *p, size_t len)
{
	unsigned long start, end, kb, sum = 0;
	uintptr_t lo = (uintptr_t)p, hi = lo + len;
	bool in = false;
	char line[512];
	FILE *f = fopen("/proc/self/smaps", "r");

	if (!f)
		die("/proc/self/smaps");
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &start, &end) == 2 &&
		    strchr(line, '-') < strchr(line, ' ')) {
			in = start < hi && end > lo;
			continue;
		}
		if (in && sscanf(line, "AnonHugePages: %lu kB", &kb) == 1)
			sum += kb;
	}
	fclose(f);
	return sum;
}

static void read_all(int fd, void *buf, size_t len, off_t off,
		     const char *what)
{
	ssize_t n;

	while (len) {
		n = pread(fd, buf, len, off);
		if (n <= 0) {
			if (!n)
				errno = EIO;
			die(what);
		}
		buf = (char *)buf + n;
		len -= n;
		off += n;
	}
}

/*
 * The intended folios, page by page: present, and for large folios a
 * compound head every folio_pages pages followed by tails with the next
 * pfns (so each folio has exactly that size); small ones neither.
 */
static void verify(const struct area *a, const struct kind *k)
{
	size_t n = a->len / PAGE, i, j;
	uint64_t *pm, *fl;
	unsigned long kb;
	int fd;

	pm = malloc(n * sizeof(*pm));
	fl = malloc(n * sizeof(*fl));
	if (!pm || !fl)
		die("malloc");
	fd = open("/proc/self/pagemap", O_RDONLY);
	if (fd < 0)
		die("/proc/self/pagemap");
	read_all(fd, pm, n * sizeof(*pm),
		 (uintptr_t)a->p / PAGE * sizeof(*pm), "/proc/self/pagemap");
	close(fd);
	fd = open("/proc/kpageflags", O_RDONLY);
	if (fd < 0)
		die("/proc/kpageflags (folio sizes are verified: run as root)");
	for (i = 0; i < n; i = j) {
		if (!(pm[i] & PM_PRESENT))
			fail("%s: page %zu of the area not present", k->name, i);
		if (!(pm[i] & PM_PFN_MASK))
			fail("pagemap shows no pfns (run as root)");
		/* One read for each run of consecutive pfns. */
		for (j = i + 1; j < n && j - i < 4096 &&
		     (pm[j] & PM_PFN_MASK) == (pm[i] & PM_PFN_MASK) + (j - i);
		     j++)
			;
		read_all(fd, fl + i, (j - i) * sizeof(*fl),
			 (pm[i] & PM_PFN_MASK) * sizeof(*fl), "/proc/kpageflags");
	}
	close(fd);
	for (i = 0; i < n; i++) {
		size_t head = i - i % k->folio_pages;
		bool is_head = fl[i] & (1ULL << KPF_COMPOUND_HEAD);
		bool is_tail = fl[i] & (1ULL << KPF_COMPOUND_TAIL);
		bool want_head = k->folio_pages > 1 && i == head;
		bool want_tail = k->folio_pages > 1 && i != head;

		if (is_head != want_head || is_tail != want_tail ||
		    (fl[i] & (1ULL << KPF_HUGE)) ||
		    (want_tail && (pm[i] & PM_PFN_MASK) !=
		     (pm[head] & PM_PFN_MASK) + (i - head)))
			fail("%s: page %zu (pfn 0x%llx, flags 0x%llx) not in a %lu KiB folio at page %zu",
			     k->name, i, (unsigned long long)(pm[i] & PM_PFN_MASK),
			     (unsigned long long)fl[i],
			     k->folio_pages * PAGE / 1024, head);
	}
	free(pm);
	free(fl);
	if (k->folio_pages == 512) {
		kb = smaps_anon_huge_kb(a->p, a->len);
		if (k->pmd_mapped && kb < a->len / 1024)
			fail("%s: smaps counts %lu kB PMD-mapped of %zu", k->name,
			     kb, a->len / 1024);
		if (!k->pmd_mapped && kb)
			fail("%s: smaps counts %lu kB still PMD-mapped", k->name,
			     kb);
	}
}

/* mprotect() of one page of each THP splits its PMD; back merges the VMA. */
static void pte_map(struct area *a)
{
	size_t off;

	for (off = 0; off < a->len; off += PMD_SIZE) {
		if (mprotect(a->p + off, PAGE, PROT_READ) ||
		    mprotect(a->p + off, PAGE, PROT_READ | PROT_WRITE))
			die("mprotect");
	}
}

static void setup(struct area *a, const struct kind *k, size_t len)
{
	char *raw, *p;
	size_t off;

	raw = mmap(NULL, len + PMD_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (raw == MAP_FAILED)
		die("mmap");
	/* 2 MiB aligned, and the VMA is the area alone. */
	p = (char *)(((uintptr_t)raw + PMD_SIZE - 1) & ~(PMD_SIZE - 1));
	if (p > raw && munmap(raw, p - raw))
		die("munmap");
	if (munmap(p + len, raw + len + PMD_SIZE - (p + len)))
		die("munmap");
	if (k->advice && madvise(p, len, k->advice))
		die("madvise");
	for (off = 0; off < len; off += PAGE)
		p[off] = 1;
	a->p = p;
	a->len = len;
	a->mapped = true;
	if (k->pte_map)
		pte_map(a);
	verify(a, k);
}

static void teardown(struct area *a)
{
	if (a->mapped && munmap(a->p, a->len))
		die("munmap");
	a->mapped = false;
}

/*
 * A child sharing the area.  With wait set it blocks on a pipe until
 * child_release(); without, it exits at once and is reaped here.
 */
static pid_t child_start(bool wait, int *release_fd)
{
	int fds[2];
	pid_t pid;
	char c;

	if (pipe(fds))
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		close(fds[1]);
		if (wait && read(fds[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(fds[0]);
	*release_fd = fds[1];
	if (!wait) {
		close(fds[1]);
		*release_fd = -1;
		if (waitpid(pid, NULL, 0) != pid)
			die("waitpid");
	}
	return pid;
}

static void child_release(pid_t pid, int release_fd)
{
	int status;

	if (release_fd >= 0)
		close(release_fd);
	if (waitpid(pid, &status, 0) != pid)
		die("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		fail("child exited with status 0x%x", status);
}

static uint64_t bench_fork(struct area *a)
{
	uint64_t t0, t1;
	int fds[2];
	pid_t pid;
	char c;

	(void)a;
	if (pipe(fds))
		die("pipe");
	t0 = now_ns();
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		close(fds[1]);
		if (read(fds[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	t1 = now_ns();
	close(fds[0]);
	child_release(pid, fds[1]);
	return t1 - t0;
}

static uint64_t bench_munmap(struct area *a)
{
	uint64_t t0, t1;

	t0 = now_ns();
	if (munmap(a->p, a->len))
		die("munmap");
	t1 = now_ns();
	a->mapped = false;
	return t1 - t0;
}

static void write_bytes(struct area *a)
{
	size_t off;

	for (off = 0; off < a->len; off += PAGE)
		a->p[off] = 2;
	/* The stores are the benchmark: keep every one. */
	__asm__ __volatile__("" : : "r"(a->p) : "memory");
}

static uint64_t cow(struct area *a, bool alive, bool byte)
{
	uint64_t t0, t1;
	int fd;
	pid_t pid = child_start(alive, &fd);

	t0 = now_ns();
	if (byte)
		write_bytes(a);
	else
		memset(a->p, 2, a->len);
	t1 = now_ns();
	if (alive)
		child_release(pid, fd);
	return t1 - t0;
}

static uint64_t bench_cow(struct area *a)
{
	return cow(a, true, false);
}

static uint64_t bench_cow_byte(struct area *a)
{
	return cow(a, true, true);
}

static uint64_t bench_cow_reuse(struct area *a)
{
	return cow(a, false, false);
}

static uint64_t bench_cow_reuse_byte(struct area *a)
{
	return cow(a, false, true);
}

static uint64_t bench_pte_dontneed(struct area *a)
{
	uint64_t t0, t1;
	size_t off;

	t0 = now_ns();
	for (off = 0; off < a->len; off += PAGE) {
		if (madvise(a->p + off, PAGE, MADV_DONTNEED))
			die("madvise(MADV_DONTNEED)");
	}
	t1 = now_ns();
	return t1 - t0;
}

static uint64_t bench_remap(struct area *a)
{
	uint64_t t0, t1;

	t0 = now_ns();
	pte_map(a);
	t1 = now_ns();
	return t1 - t0;
}

static const struct bench benches[] = {
	{ "fork", bench_fork, false },
	{ "munmap", bench_munmap, false },
	{ "cow", bench_cow, false },
	{ "cow-byte", bench_cow_byte, false },
	{ "cow-reuse", bench_cow_reuse, false },
	{ "cow-reuse-byte", bench_cow_reuse_byte, false },
	{ "pte-dontneed", bench_pte_dontneed, false },
	{ "remap", bench_remap, true },
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void print_usage(void)
{
	size_t i;

	fprintf(stderr, "usage: bench-mapcount [-s MIB] [-r RUNS] [-v] BENCH KIND\n  BENCH:");
	for (i = 0; i < ARRAY_LEN(benches); i++)
		fprintf(stderr, " %s", benches[i].name);
	fprintf(stderr, "\n  KIND:");
	for (i = 0; i < ARRAY_LEN(kinds); i++)
		fprintf(stderr, " %s", kinds[i].name);
	fprintf(stderr, "\n  MIB: even, at least 2 (default 256); RUNS: 1 to %d (default 5)\n",
		MAX_RUNS);
	exit(2);
}

int main(int argc, char **argv)
{
	const struct bench *b = NULL;
	const struct kind *k = NULL;
	unsigned long mib = 256;
	uint64_t t[MAX_RUNS], med;
	struct area a = { 0 };
	int runs = 5, i, opt;
	size_t j;

	while ((opt = getopt(argc, argv, "s:r:vh")) != -1) {
		switch (opt) {
		case 's':
			mib = strtoul(optarg, NULL, 0);
			break;
		case 'r':
			runs = atoi(optarg);
			break;
		case 'v':
			verbose = true;
			break;
		default:
			print_usage();
		}
	}
	if (argc - optind != 2)
		print_usage();
	for (j = 0; j < ARRAY_LEN(benches); j++)
		if (!strcmp(argv[optind], benches[j].name))
			b = &benches[j];
	for (j = 0; j < ARRAY_LEN(kinds); j++)
		if (!strcmp(argv[optind + 1], kinds[j].name))
			k = &kinds[j];
	if (!b || !k || mib < 2 || mib % 2 || mib > (1UL << 20) ||
	    runs < 1 || runs > MAX_RUNS)
		print_usage();
	if (b->pmd_only && !k->pmd_mapped) {
		fprintf(stderr, "bench-mapcount: %s needs PMD-mapped THPs (kind thp)\n",
			b->name);
		exit(2);
	}
	knobs_for(k);
	for (i = -1; i < runs; i++) {
		uint64_t ns;

		setup(&a, k, mib * MIB);
		ns = b->run(&a);
		teardown(&a);
		if (verbose)
			fprintf(stderr, "bench-mapcount: %s %s run %d%s: %llu ns\n",
				b->name, k->name, i + 1,
				i < 0 ? " (warm-up)" : "",
				(unsigned long long)ns);
		if (i >= 0)
			t[i] = ns;
	}
	qsort(t, runs, sizeof(t[0]), cmp_u64);
	med = runs % 2 ? t[runs / 2] : (t[runs / 2 - 1] + t[runs / 2]) / 2;
	printf("bench=%s kind=%s mib=%lu median_ns=%llu min_ns=%llu max_ns=%llu runs=%d\n",
	       b->name, k->name, mib, (unsigned long long)med,
	       (unsigned long long)t[0], (unsigned long long)t[runs - 1], runs);
	return 0;
}
