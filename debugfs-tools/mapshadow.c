// SPDX-License-Identifier: GPL-2.0
/*
 * mapshadow: command line view and control of the mapshadow module's
 * debugfs files.
 *
 * Reads DIR/stats, DIR/hooks, DIR/findings, DIR/findings_detail and
 * DIR/scan (see ms_parse.h for their format) and prints them for humans;
 * writes verbs to DIR/control and site tables to DIR/sites. Every failure
 * is one line on stderr; the exit status is 0 on success, 1 on a runtime
 * error, 2 on a usage error, and 3 when "scan" found disagreeing folios.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ms_json.h"
#include "ms_parse.h"
#include "ms_vmlinux.h"

#define DEBUGFS_ROOT	"/sys/kernel/debug"
#define DEFAULT_DIR	DEBUGFS_ROOT "/mapshadow"
#define DEBUGFS_MAGIC	0x64626720	/* include/uapi/linux/magic.h */
#define ENV_DIR		"MAPSHADOW_DEBUGFS"
#define KERNEL_LOG	"see dmesg | grep mapshadow"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define EXIT_RUNTIME	1
#define EXIT_USAGE	2
#define EXIT_DISAGREE	3

#define SITES_CHUNK	(64 * 1024)	/* a table up to this size is one write */
#define TABLE_COLS_MAX	11

static const char usage_text[] =
	"usage: mapshadow [-d DIR] COMMAND [ARGS]\n"
	"\n"
	"Show and control the mapshadow kernel module through its debugfs files.\n"
	"\n"
	"Commands:\n"
	"  status [--json]  summary: version, validation, hooks, sites, filter,\n"
	"                 events, findings; --json: every stats line as JSON\n"
	"  stats          all counters of DIR/stats as a table\n"
	"  hooks [--off]  all hooks of DIR/hooks as a table, or only those that are off\n"
	"  findings [--detail | --count | --json] [--kind KIND]\n"
	"                 the findings as a table; --detail: each with its counters,\n"
	"                 events and stack; --kind: only those of KIND (mismatch,\n"
	"                 live-unmapped, shadow-unmapped, underflow, freed-mapped,\n"
	"                 kernel-report, mm-leak, large-vs-pages, nr-pages-mapped,\n"
	"                 entirely-mapped, mm-slots, mm-shared-bit, shared-missed,\n"
	"                 bad-slot, flag-race, flag-lost); --count: just their number;\n"
	"                 --json: one JSON document\n"
	"  scan           compare every quiescent strict folio with the kernel now and\n"
	"                 show the result; exit status 3 if any disagrees\n"
	"  ctl VERB...    write one verb to DIR/control: scan, clear, enable, disable,\n"
	"                 stack=on|off, sites=on|off, races=on|all|off,\n"
	"                 filter all|pid=N|comm=NAME\n"
	"  sites FILE     stage the site table FILE (from ms-sitegen), then arm it\n"
	"  sites generate [-o FILE] [VMLINUX]\n"
	"                 run ms-sitegen on the running kernel's DWARF vmlinux\n"
	"                 (found in /usr/lib/debug, the build tree or /boot, or\n"
	"                 VMLINUX; its build ID must match), then stage and arm the\n"
	"                 table; -o: only write it to FILE\n"
	"  watch [--interval MS] [--max N]\n"
	"                 print each new finding as it comes, until Ctrl-C\n"
	"  explain PID ADDR  the folio at user address ADDR of process PID: the\n"
	"                 shadow beside the kernel's counters, kpagecount,\n"
	"                 kpageflags, the \"mapped shared\" answers, its findings\n"
	"  help           show this help\n"
	"\n"
	"Options:\n"
	"  -d DIR         the module's debugfs directory (default: $" ENV_DIR ",\n"
	"                 else " DEFAULT_DIR ")\n"
	"\n"
	"Exit status: 0 ok, 1 runtime error, 2 usage error, 3 scan found folios\n"
	"whose shadow mapcount disagrees with the kernel's.\n";

struct stat_list {
	struct ms_stat *v;
	size_t n;
};

/* What was read from the module's directory. */
struct ms_state {
	const char *dir;
	struct stat_list stats;
	struct ms_hook_row *hooks;
	size_t nr_hooks;
	struct ms_finding_row *findings;
	size_t nr_findings;
	struct stat_list scan;
	struct ms_disagree *disagrees;
	size_t nr_disagrees;
};

static void __attribute__((noreturn, format(printf, 1, 2))) fail(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("mapshadow: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(EXIT_RUNTIME);
}

static void __attribute__((noreturn, format(printf, 1, 2)))
usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("mapshadow: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (see 'mapshadow help')\n", stderr);
	exit(EXIT_USAGE);
}

static void *grow(void *array, size_t nr, size_t size)
{
	/* Doubling at powers of two keeps appends amortised O(1). */
	if (nr & (nr - 1))
		return array;
	array = realloc(array, (nr ? 2 * nr : 1) * size);
	if (!array)
		fail("out of memory");
	return array;
}

/*
 * The kernel's lockdown level when it is locked down ("integrity" or
 * "confidentiality"), else NULL: the bracketed word of securityfs's
 * lockdown file (below MAPSHADOW_SYSROOT, for tests).
 */
static const char *lockdown_level(void)
{
	static char level[32];
	const char *sysroot = getenv("MAPSHADOW_SYSROOT");
	char path[PATH_MAX], line[128], *open_b, *close_b;
	FILE *f;

	snprintf(path, sizeof(path), "%s/sys/kernel/security/lockdown", sysroot ? sysroot : "");
	f = fopen(path, "re");
	if (!f)
		return NULL;
	open_b = fgets(line, sizeof(line), f) ? strchr(line, '[') : NULL;
	fclose(f);
	close_b = open_b ? strchr(open_b, ']') : NULL;
	if (!close_b || close_b - open_b - 1 >= (long)sizeof(level))
		return NULL;
	*close_b = 0;
	snprintf(level, sizeof(level), "%s", open_b + 1);
	return strcmp(level, "none") ? level : NULL;
}

/* EACCES or EPERM opening @path (@how: "reading" or "writing"): say why. */
static void __attribute__((noreturn)) denied(const char *how, const char *path)
{
	const char *level = lockdown_level();

	if (geteuid())
		fail("permission denied %s %s: run as root", how, path);
	if (level)
		fail("%s %s: refused, the kernel is locked down (%s): debugfs then opens only files nobody may write, for reading (status, stats, hooks, findings work; control and sites do not); see kernel_lockdown(7)",
		     how, path, level);
	fail("permission denied %s %s: %s", how, path, strerror(errno));
}

/* Only below /sys/kernel/debug can a missing directory mean "no debugfs". */
static bool parent_is_debugfs_root(const char *dir)
{
	size_t n = strlen(dir);

	while (n > 1 && dir[n - 1] == '/')
		n--;
	while (n > 0 && dir[n - 1] != '/')
		n--;
	while (n > 1 && dir[n - 1] == '/')
		n--;
	return n == strlen(DEBUGFS_ROOT) && !strncmp(dir, DEBUGFS_ROOT, n);
}

static bool debugfs_mounted(void)
{
	struct statfs sfs;

	return !statfs(DEBUGFS_ROOT, &sfs) &&
	       (unsigned long)sfs.f_type == DEBUGFS_MAGIC;
}

/* Fail with the most helpful message when the directory is not usable. */
static void check_dir(const char *dir)
{
	struct stat st;

	if (!stat(dir, &st)) {
		if (!S_ISDIR(st.st_mode))
			fail("%s is not a directory", dir);
		return;
	}
	if (errno == EACCES || errno == EPERM)
		denied("reading", dir);
	if (errno != ENOENT && errno != ENOTDIR)
		fail("cannot access %s: %s", dir, strerror(errno));
	if (parent_is_debugfs_root(dir) && !debugfs_mounted())
		fail("debugfs is not mounted; mount -t debugfs none " DEBUGFS_ROOT);
	if (lockdown_level())
		fail("module not loaded (no %s); the kernel is locked down (%s): it loads only signed modules (DKMS signs with its MOK key)",
		     dir, lockdown_level());
	fail("module not loaded (no %s); load it with insmod mapshadow.ko", dir);
}

static void dir_path(const struct ms_state *s, const char *name, char *path)
{
	if (snprintf(path, PATH_MAX, "%s/%s", s->dir, name) >= PATH_MAX)
		fail("path too long: %s/%s", s->dir, name);
}

static FILE *open_to_read(const struct ms_state *s, const char *name, char *path)
{
	FILE *f;

	dir_path(s, name, path);
	f = fopen(path, "re");
	if (!f) {
		if (errno == EACCES || errno == EPERM)
			denied("reading", path);
		fail("cannot open %s: %s", path, strerror(errno));
	}
	return f;
}

static int open_to_write(const struct ms_state *s, const char *name, char *path)
{
	int fd;

	dir_path(s, name, path);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == EACCES || errno == EPERM)
			denied("writing", path);
		fail("cannot open %s: %s", path, strerror(errno));
	}
	return fd;
}

/* Write all of @buf to @fd; returns 0 or an errno value. */
static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno;
		if (!n)
			return EIO;
		buf += n;
		len -= n;
	}
	return 0;
}

typedef int (*add_line_fn)(struct ms_state *s, const char *line);

static int add_stat_to(struct stat_list *l, const char *line)
{
	struct ms_stat st;
	int rc = ms_parse_stat(line, &st);

	if (rc == MS_OK) {
		l->v = grow(l->v, l->n, sizeof(*l->v));
		l->v[l->n++] = st;
	}
	return rc;
}

static int add_stat(struct ms_state *s, const char *line)
{
	return add_stat_to(&s->stats, line);
}

static int add_hook(struct ms_state *s, const char *line)
{
	struct ms_hook_row hook;
	int rc = ms_parse_hook(line, &hook);

	if (rc == MS_OK) {
		s->hooks = grow(s->hooks, s->nr_hooks, sizeof(*s->hooks));
		s->hooks[s->nr_hooks++] = hook;
	}
	return rc;
}

static int add_finding(struct ms_state *s, const char *line)
{
	struct ms_finding_row f;
	int rc = ms_parse_finding(line, &f);

	if (rc == MS_OK) {
		s->findings = grow(s->findings, s->nr_findings, sizeof(*s->findings));
		s->findings[s->nr_findings++] = f;
	}
	return rc;
}

/* The scan file: "key: value" lines, then one "disagree:" line per folio. */
static int add_scan_line(struct ms_state *s, const char *line)
{
	struct ms_disagree d;
	int rc;

	if (strncmp(line, "disagree:", strlen("disagree:")))
		return add_stat_to(&s->scan, line);
	rc = ms_parse_disagree(line, &d);
	if (rc == MS_OK) {
		s->disagrees = grow(s->disagrees, s->nr_disagrees, sizeof(*s->disagrees));
		s->disagrees[s->nr_disagrees++] = d;
	}
	return rc;
}

static void read_file(struct ms_state *s, const char *name, add_line_fn add)
{
	char path[PATH_MAX], *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t len;
	FILE *f;
	int rc;

	f = open_to_read(s, name, path);
	errno = 0;
	while ((len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		/* An embedded NUL would hide the rest of the line from the parser. */
		rc = strlen(line) == (size_t)len ? add(s, line) : MS_ERR_CHAR;
		if (rc < 0)
			fail("%s:%zu: malformed line (%s)", path, lineno, ms_strerror(rc));
	}
	if (ferror(f))
		fail("error reading %s: %s", path, strerror(errno));
	free(line);
	fclose(f);
}

static void load(struct ms_state *s, bool stats, bool hooks)
{
	check_dir(s->dir);
	if (stats)
		read_file(s, "stats", add_stat);
	if (hooks)
		read_file(s, "hooks", add_hook);
}

static const struct ms_stat *find_in(const struct stat_list *l, const char *key)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].key, key))
			return &l->v[i];
	return NULL;
}

static const struct ms_stat *find_stat(const struct ms_state *s, const char *key)
{
	return find_in(&s->stats, key);
}

/* A numeric stat, or @dflt when the module does not report it. */
static uint64_t stat_number(const struct ms_state *s, const char *key, uint64_t dflt)
{
	const struct ms_stat *st = find_stat(s, key);

	return st && st->is_number ? st->number : dflt;
}

static bool has_prefix(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static int max_int(int a, int b)
{
	return a > b ? a : b;
}

static int u64_width(uint64_t v)
{
	return snprintf(NULL, 0, "%" PRIu64, v);
}

static void no_args(const char *cmd, int argc, char **argv)
{
	if (argc > 1)
		usage_error("%s: unexpected argument '%s'", cmd, argv[1]);
}

/*
 * A table of text cells, printed with aligned columns: a heading row, then
 * the rows, two spaces between columns, align[i] 'r' for right-aligned
 * (numbers), anything else for left-aligned. The last column is not padded
 * when left-aligned, so no line ends in blanks.
 */
struct table {
	unsigned int ncols;
	const char *align;
	char **cells;		/* the heading row first */
	size_t nr_cells;
};

static void __attribute__((format(printf, 2, 3))) cell(struct table *t, const char *fmt, ...)
{
	va_list ap;
	char *c;
	int rc;

	va_start(ap, fmt);
	rc = vasprintf(&c, fmt, ap);
	va_end(ap);
	if (rc < 0)
		fail("out of memory");
	t->cells = grow(t->cells, t->nr_cells, sizeof(*t->cells));
	t->cells[t->nr_cells++] = c;
}

static void table_init(struct table *t, const char *align, const char *const *heads)
{
	unsigned int i;

	t->ncols = strlen(align);
	t->align = align;
	t->cells = NULL;
	t->nr_cells = 0;
	for (i = 0; i < t->ncols; i++)
		cell(t, "%s", heads[i]);
}

static void table_row(const struct table *t, char *const *row, const int *w)
{
	unsigned int i;

	for (i = 0; i < t->ncols; i++) {
		bool last = i + 1 == t->ncols;

		if (t->align[i] == 'r')
			printf("%*s", w[i], row[i]);
		else
			printf("%-*s", last ? 0 : w[i], row[i]);
		fputs(last ? "\n" : "  ", stdout);
	}
}

/* Print and free the table. */
static void table_print(struct table *t)
{
	int w[TABLE_COLS_MAX] = { 0 };
	size_t i;

	for (i = 0; i < t->nr_cells; i++)
		w[i % t->ncols] = max_int(w[i % t->ncols], strlen(t->cells[i]));
	for (i = 0; i < t->nr_cells; i += t->ncols)
		table_row(t, t->cells + i, w);
	for (i = 0; i < t->nr_cells; i++)
		free(t->cells[i]);
	free(t->cells);
}

/* --- status ----------------------------------------------------------- */

static void print_validation(const struct ms_state *s)
{
	const struct ms_stat *enabled = find_stat(s, "enabled");

	if (!enabled || !enabled->is_number)
		return;
	if (enabled->number)
		puts("validation: enabled");
	else
		puts("validation: disabled, no findings are recorded (mapshadow ctl enable)");
}

/*
 * Whether tracking is live and, if not, why; then what was lost on the way
 * (trust_lost_*) and the judgements skipped for it (checks_skipped_*).
 */
static void print_tracking(const struct ms_state *s)
{
	const struct ms_stat *state = find_stat(s, "tracking");
	const struct ms_stat *why = find_stat(s, "tracking_why");
	const char *prefix[] = { "trust_lost_", "checks_skipped_" };
	const char *label[] = { "trust lost", "checks skipped" };
	size_t i, p;

	if (!state)
		return;
	if (!strcmp(state->value, "live") || !why)
		printf("tracking: %s\n", state->value);
	else
		printf("tracking: %s, nothing is judged: %s\n", state->value,
		       why->value);
	for (p = 0; p < 2; p++) {
		const char *sep = ": ";

		printf("%s", label[p]);
		for (i = 0; i < s->stats.n; i++) {
			const struct ms_stat *st = &s->stats.v[i];

			if (!has_prefix(st->key, prefix[p]) || !st->is_number)
				continue;
			printf("%s%s %" PRIu64, sep, st->key + strlen(prefix[p]),
			       st->number);
			sep = ", ";
		}
		putchar('\n');
	}
}

static void print_hooks_summary(const struct ms_state *s)
{
	size_t i, armed = 0;

	for (i = 0; i < s->nr_hooks; i++)
		armed += s->hooks[i].armed;
	printf("hooks: %zu of %zu armed\n", armed, s->nr_hooks);
	for (i = 0; i < s->nr_hooks; i++) {
		const struct ms_hook_row *h = &s->hooks[i];

		if (!h->armed)
			printf("  off: %s (%s): %s\n", h->target, h->mechanism,
			       strcmp(h->reason, "-") ? h->reason : "no reason given");
	}
}

static void print_sites(const struct ms_state *s)
{
	uint64_t armed = stat_number(s, "sites_armed", UINT64_MAX);

	if (armed == UINT64_MAX)
		puts("sites: unknown");
	else
		printf("sites: %s\n", armed ? "armed" : "not armed");
}

static void print_filter(const struct ms_state *s)
{
	const struct ms_stat *mode = find_stat(s, "filter_mode");
	const struct ms_stat *value = find_stat(s, "filter_value");

	if (!mode)
		puts("filter: unknown");
	else if (!strcmp(mode->value, "all") || !value)
		printf("filter: %s\n", mode->value);
	else
		printf("filter: %s %s\n", mode->value, value->value);
}

/* "events", or the sum of the per-level "events_*" counters. */
static void print_events(const struct ms_state *s)
{
	const struct ms_stat *events = find_stat(s, "events");
	uint64_t total = 0;
	bool found = false;
	size_t i;

	if (events) {
		printf("events: %s\n", events->value);
		return;
	}
	for (i = 0; i < s->stats.n; i++) {
		const struct ms_stat *st = &s->stats.v[i];

		if (has_prefix(st->key, "events_") && strcmp(st->key, "events_missed") &&
		    st->is_number) {
			total += st->number;
			found = true;
		}
	}
	if (found)
		printf("events: %" PRIu64 "\n", total);
	else
		puts("events: unknown");
}

/* "findings_KIND: N" for each kind; "findings_overflow" is not a kind. */
static bool is_findings_kind_stat(const struct ms_stat *st)
{
	return has_prefix(st->key, "findings_") && st->is_number &&
	       strcmp(st->key, "findings_overflow");
}

static void print_findings_summary(const struct ms_state *s)
{
	const char *sep = " (";
	uint64_t total = 0, overflow;
	bool found = false;
	size_t i;

	for (i = 0; i < s->stats.n; i++) {
		if (is_findings_kind_stat(&s->stats.v[i])) {
			total += s->stats.v[i].number;
			found = true;
		}
	}
	if (!found) {
		puts("findings: unknown");
		return;
	}
	printf("findings: %" PRIu64, total);
	for (i = 0; i < s->stats.n; i++) {
		const struct ms_stat *st = &s->stats.v[i];

		if (is_findings_kind_stat(st) && st->number) {
			printf("%s%s %" PRIu64, sep, st->key + strlen("findings_"),
			       st->number);
			sep = ", ";
		}
	}
	if (total)
		putchar(')');
	overflow = stat_number(s, "findings_overflow", 0);
	if (overflow)
		printf(", %" PRIu64 " not stored (the store is full)", overflow);
	putchar('\n');
}

/*
 * The kernel's "mapped shared" answers judged against the exact ones
 * (answer_* in stats): how often it says "shared" of an exclusive folio.
 */
static void print_answers(const struct ms_state *s)
{
	const struct ms_stat *fn = find_stat(s, "answer_function");
	uint64_t exclusive, maybe = 0;
	size_t i;

	if (!fn)
		return;
	exclusive = stat_number(s, "answer_exclusive", 0);
	for (i = 0; i < s->stats.n; i++)
		if (has_prefix(s->stats.v[i].key, "answer_maybe_shared_"))
			maybe += s->stats.v[i].number;
	printf("kernel answers (%s): exclusive %" PRIu64 ", shared %" PRIu64
	       ", \"shared\" for an exclusive folio %" PRIu64 " (%.2f%%)\n",
	       fn->value, exclusive, stat_number(s, "answer_shared", 0), maybe,
	       exclusive + maybe ? 100.0 * maybe / (exclusive + maybe) : 0.0);
}

/* Every stats line as one JSON document: numbers as numbers. */
static void print_status_json(const struct ms_state *s)
{
	size_t i;

	printf("{\"loaded\": true, \"stats\": {");
	for (i = 0; i < s->stats.n; i++) {
		const struct ms_stat *st = &s->stats.v[i];

		printf("%s\n  ", i ? "," : "");
		ms_json_str(stdout, st->key);
		if (st->is_number) {
			printf(": %" PRIu64, st->number);
		} else {
			printf(": ");
			ms_json_str(stdout, st->value);
		}
	}
	printf("\n}}\n");
}

static int cmd_status(struct ms_state *s, int argc, char **argv)
{
	const struct ms_stat *version;

	if (argc == 2 && !strcmp(argv[1], "--json")) {
		load(s, true, false);
		print_status_json(s);
		return 0;
	}
	no_args("status", argc, argv);
	load(s, true, true);
	version = find_stat(s, "version");
	printf("mapshadow: loaded, version %s\n", version ? version->value : "unknown");
	print_validation(s);
	print_tracking(s);
	print_hooks_summary(s);
	print_sites(s);
	print_filter(s);
	print_events(s);
	print_answers(s);
	print_findings_summary(s);
	return 0;
}

/* --- stats, hooks ------------------------------------------------------ */

static int cmd_stats(struct ms_state *s, int argc, char **argv)
{
	int w = strlen("STAT");
	size_t i;

	no_args("stats", argc, argv);
	load(s, true, false);
	for (i = 0; i < s->stats.n; i++)
		w = max_int(w, strlen(s->stats.v[i].key));
	printf("%-*s  %s\n", w, "STAT", "VALUE");
	for (i = 0; i < s->stats.n; i++)
		printf("%-*s  %s\n", w, s->stats.v[i].key, s->stats.v[i].value);
	return 0;
}

static int cmd_hooks(struct ms_state *s, int argc, char **argv)
{
	int wt = strlen("TARGET"), wm = strlen("MECHANISM"), ws = strlen("STATE");
	int wh = strlen("HITS"), wx = strlen("MISSED");
	bool only_off = false;
	size_t i;

	if (argc > 1 && !strcmp(argv[1], "--off")) {
		only_off = true;
		argc--;
		argv++;
	}
	no_args("hooks", argc, argv);
	load(s, false, true);

	for (i = 0; i < s->nr_hooks; i++) {
		const struct ms_hook_row *h = &s->hooks[i];

		if (only_off && h->armed)
			continue;
		wt = max_int(wt, strlen(h->target));
		wm = max_int(wm, strlen(h->mechanism));
		wh = max_int(wh, u64_width(h->hits));
		wx = max_int(wx, u64_width(h->missed));
	}
	printf("%-*s  %-*s  %-*s  %*s  %*s  %s\n", wt, "TARGET", wm, "MECHANISM",
	       ws, "STATE", wh, "HITS", wx, "MISSED", "REASON");
	for (i = 0; i < s->nr_hooks; i++) {
		const struct ms_hook_row *h = &s->hooks[i];

		if (only_off && h->armed)
			continue;
		printf("%-*s  %-*s  %-*s  %*" PRIu64 "  %*" PRIu64 "  %s\n",
		       wt, h->target, wm, h->mechanism, ws, h->armed ? "armed" : "off",
		       wh, h->hits, wx, h->missed, h->reason);
	}
	return 0;
}

/* --- findings ---------------------------------------------------------- */

struct findings_opts {
	bool detail;
	bool count;
	bool json;
	const char *kind;	/* NULL: all kinds */
};

static const char *kind_list(void)
{
	static char buf[256];
	const char *const *k;
	size_t n = 0;

	for (k = ms_finding_kinds; *k && n < sizeof(buf); k++)
		n += snprintf(buf + n, sizeof(buf) - n, "%s%s",
			      k == ms_finding_kinds ? "" : ", ", *k);
	return buf;
}

static void findings_args(int argc, char **argv, struct findings_opts *o)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--detail"))
			o->detail = true;
		else if (!strcmp(argv[i], "--json"))
			o->json = true;
		else if (!strcmp(argv[i], "--count"))
			o->count = true;
		else if (has_prefix(argv[i], "--kind="))
			o->kind = argv[i] + strlen("--kind=");
		else if (strcmp(argv[i], "--kind"))
			usage_error("findings: unexpected argument '%s'", argv[i]);
		else if (++i < argc)
			o->kind = argv[i];
		else
			usage_error("findings: --kind needs a kind");
	}
	if (o->detail + o->count + o->json > 1)
		usage_error("findings: --detail, --count and --json exclude each other");
	if (o->kind && !ms_finding_kind_known(o->kind))
		usage_error("findings: unknown kind '%s' (kinds: %s)", o->kind, kind_list());
}

/* The findings as one JSON document (schema: mapshadow.8). */
static void print_findings_json(const struct ms_state *s, const char *kind)
{
	const char *sep = "";
	size_t i, n = 0;

	printf("{\"findings\": [");
	for (i = 0; i < s->nr_findings; i++) {
		const struct ms_finding_row *f = &s->findings[i];

		if (kind && strcmp(f->kind, kind))
			continue;
		printf("%s\n  {\"id\": %" PRIu64 ", \"time_ns\": %" PRIu64 ", \"kind\": ",
		       sep, f->id, f->time_ns);
		ms_json_str(stdout, f->kind);
		printf(", \"pfn\": %" PRIu64 ", \"order\": %u, \"type\": ", f->pfn, f->order);
		ms_json_str(stdout, f->type);
		printf(", \"shadow\": %" PRId32 ", \"live\": %" PRId32 ", \"pid\": %" PRId32
		       ", \"comm\": ", f->shadow, f->live, f->pid);
		ms_json_str(stdout, f->comm);
		printf(", \"source\": ");
		ms_json_str(stdout, f->source);
		putchar('}');
		sep = ",";
		n++;
	}
	printf("%s], \"count\": %zu}\n", n ? "\n" : "", n);
}

static void print_nothing_found(const char *kind)
{
	if (kind)
		printf("no %s findings\n", kind);
	else
		puts("no findings");
}

/* findings_detail, verbatim: all of it, or the blocks of one kind. */
static void print_detail(const struct ms_state *s, const char *kind)
{
	char path[PATH_MAX], *line = NULL, k[MS_WORD_MAX + 1];
	bool shown = !kind, any = false;
	size_t cap = 0;
	ssize_t len;
	FILE *f;

	f = open_to_read(s, "findings_detail", path);
	errno = 0;
	while ((len = getline(&line, &cap, f)) >= 0) {
		if (kind && ms_parse_detail_header(line, k) == MS_OK)
			shown = !strcmp(k, kind);
		if (shown) {
			fwrite(line, 1, len, stdout);
			any = true;
		}
	}
	if (ferror(f))
		fail("error reading %s: %s", path, strerror(errno));
	free(line);
	fclose(f);
	if (!any)
		print_nothing_found(kind);
}

static void print_findings(const struct ms_state *s, const char *kind)
{
	static const char *const heads[] = {
		"ID", "TIME", "KIND", "PFN", "ORDER", "TYPE", "SHADOW", "LIVE",
		"PID", "COMM", "SOURCE",
	};
	struct table t;
	size_t i;

	table_init(&t, "rrlrrlrrrll", heads);
	for (i = 0; i < s->nr_findings; i++) {
		const struct ms_finding_row *f = &s->findings[i];

		if (kind && strcmp(f->kind, kind))
			continue;
		cell(&t, "%" PRIu64, f->id);
		/* Seconds since boot, as the kernel log shows them. */
		cell(&t, "%" PRIu64 ".%06" PRIu64, f->time_ns / 1000000000,
		     f->time_ns % 1000000000 / 1000);
		cell(&t, "%s", f->kind);
		cell(&t, "0x%" PRIx64, f->pfn);
		cell(&t, "%u", f->order);
		cell(&t, "%s", f->type);
		cell(&t, "%" PRId32, f->shadow);
		cell(&t, "%" PRId32, f->live);
		cell(&t, "%" PRId32, f->pid);
		cell(&t, "%s", f->comm);
		cell(&t, "%s", f->source);
	}
	table_print(&t);
}

static int cmd_findings(struct ms_state *s, int argc, char **argv)
{
	struct findings_opts o = { 0 };
	size_t i, n = 0;

	findings_args(argc, argv, &o);
	check_dir(s->dir);
	if (o.detail) {
		print_detail(s, o.kind);
		return 0;
	}
	read_file(s, "findings", add_finding);
	for (i = 0; i < s->nr_findings; i++)
		n += !o.kind || !strcmp(s->findings[i].kind, o.kind);
	if (o.json)
		print_findings_json(s, o.kind);
	else if (o.count)
		printf("%zu\n", n);
	else if (!n)
		print_nothing_found(o.kind);
	else
		print_findings(s, o.kind);
	return 0;
}

/* --- watch --------------------------------------------------------------- */

static volatile sig_atomic_t watch_stop;

static void on_watch_signal(int sig)
{
	(void)sig;
	watch_stop = 1;
}

/*
 * Follow the findings file: print each finding that appears after the
 * start, one line each, until Ctrl-C (or --max N of them).  The store
 * keeps the first 128 since the last "clear": a clear starts it over.
 */
static int cmd_watch(struct ms_state *s, int argc, char **argv)
{
	unsigned long interval_ms = 500, max = 0, shown = 0;
	uint64_t last = 0;
	bool first = true;
	char *end;
	int i;

	for (i = 1; i < argc; i++) {
		unsigned long *v = NULL;

		if (!strcmp(argv[i], "--interval"))
			v = &interval_ms;
		else if (!strcmp(argv[i], "--max"))
			v = &max;
		else
			usage_error("watch: unexpected argument '%s'", argv[i]);
		if (++i >= argc)
			usage_error("watch: %s needs a number", argv[i - 1]);
		errno = 0;
		*v = strtoul(argv[i], &end, 10);
		if (errno || *end || !*argv[i] || argv[i][0] == '-' ||
		    (v == &interval_ms && (*v < 10 || *v > 60000)))
			usage_error("watch: bad %s '%s'", argv[i - 1], argv[i]);
	}
	signal(SIGINT, on_watch_signal);
	signal(SIGTERM, on_watch_signal);
	while (!watch_stop) {
		size_t k;

		check_dir(s->dir);
		free(s->findings);
		s->findings = NULL;
		s->nr_findings = 0;
		read_file(s, "findings", add_finding);
		for (k = 0; k < s->nr_findings; k++) {
			const struct ms_finding_row *f = &s->findings[k];

			if (first || f->id <= last) {
				last = f->id > last ? f->id : last;
				continue;
			}
			last = f->id;
			printf("%" PRIu64 ".%06" PRIu64 " finding %" PRIu64 ": %s pfn 0x%" PRIx64
			       " order %u %s shadow %" PRId32 " live %" PRId32 " pid %" PRId32
			       " comm %s source %s\n", f->time_ns / 1000000000,
			       f->time_ns % 1000000000 / 1000, f->id, f->kind, f->pfn,
			       f->order, f->type, f->shadow, f->live, f->pid, f->comm,
			       f->source);
			fflush(stdout);
			if (max && ++shown >= max)
				return 0;
		}
		/* After a reload of the module, ids start at 1 again. */
		if (!first && s->nr_findings && s->findings[s->nr_findings - 1].id < last)
			last = 0;
		first = false;
		usleep(interval_ms * 1000);
	}
	return 0;
}

/* --- control: ctl, scan ------------------------------------------------ */

static void __attribute__((noreturn)) control_failed(const char *verb, int err)
{
	const char *why = ms_control_error(verb, err);

	fail("control '%s': %s%s", verb, why ? why : strerror(err),
	     !strcmp(verb, "sites=on") ? "; " KERNEL_LOG : "");
}

/* Write @verb to DIR/control, one verb per write as the module wants. */
static void control(const struct ms_state *s, const char *verb)
{
	char path[PATH_MAX], *buf;
	int fd, err;

	if (asprintf(&buf, "%s\n", verb) < 0)
		fail("out of memory");
	fd = open_to_write(s, "control", path);
	err = write_all(fd, buf, strlen(buf));
	if (close(fd) && !err)
		err = errno;
	free(buf);
	if (err)
		control_failed(verb, err);
}

/* The arguments joined with single spaces: "filter" "pid=1" -> "filter pid=1". */
static char *join_args(int argc, char **argv)
{
	size_t len = 0;
	char *verb;
	int i;

	for (i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	verb = calloc(1, len + 1);
	if (!verb)
		fail("out of memory");
	for (i = 0; i < argc; i++) {
		if (i)
			strcat(verb, " ");
		strcat(verb, argv[i]);
	}
	return verb;
}

static int cmd_ctl(struct ms_state *s, int argc, char **argv)
{
	char *verb;

	if (argc < 2)
		usage_error("ctl: missing verb");
	verb = join_args(argc - 1, argv + 1);
	if (!*verb)
		usage_error("ctl: empty verb");
	if (strchr(verb, '\n'))
		usage_error("ctl: a verb is one line");
	check_dir(s->dir);
	control(s, verb);
	free(verb);
	return 0;
}

/* A counter of the scan result that must be there. */
static uint64_t scan_number(const struct ms_state *s, const char *key)
{
	const struct ms_stat *st = find_in(&s->scan, key);

	if (!st || !st->is_number)
		fail("%s/scan: no '%s' count after the scan", s->dir, key);
	return st->number;
}

static void scan_row(const char *name, const struct ms_stat *st, int w,
		     const char *note)
{
	if (st && st->is_number)
		printf("  %-10s %*" PRIu64 "%s%s\n", name, w, st->number,
		       *note ? "  " : "", note);
}

static void print_disagrees(const struct ms_state *s, uint64_t disagreed)
{
	static const char *const heads[] = {
		"PFN", "ORDER", "SHADOW", "LIVE", "PTE", "PMD", "PUD", "HUGETLB",
	};
	struct table t;
	size_t i, j;

	if (!s->nr_disagrees)
		return;
	putchar('\n');
	table_init(&t, "rrrrrrrr", heads);
	for (i = 0; i < s->nr_disagrees; i++) {
		const struct ms_disagree *d = &s->disagrees[i];

		cell(&t, "0x%" PRIx64, d->pfn);
		cell(&t, "%u", d->order);
		cell(&t, "%" PRId32, d->shadow);
		cell(&t, "%" PRId32, d->live);
		for (j = 0; j < MS_LEVELS; j++)
			cell(&t, "%" PRId32, d->level[j]);
	}
	table_print(&t);
	if (disagreed > s->nr_disagrees)
		printf("(%" PRIu64 " more not listed)\n", disagreed - s->nr_disagrees);
}

/* Folios whose own bookkeeping the scan found broken; their number. */
static uint64_t print_broken(const struct ms_state *s)
{
	const struct ms_stat *broken = find_in(&s->scan, "kernel_broken");
	size_t i;

	if (!broken || !broken->is_number || !broken->number)
		return 0;
	printf("\nthe kernel's own bookkeeping is broken in %" PRIu64 " folio%s:\n",
	       broken->number, broken->number == 1 ? "" : "s");
	/* "pfn/kind" words */
	for (i = 0; i < s->scan.n; i++) {
		const char *v = s->scan.v[i].value;
		const char *slash = strchr(v, '/');

		if (strcmp(s->scan.v[i].key, "broken"))
			continue;
		if (slash)
			printf("  %.*s  %s\n", (int)(slash - v), v, slash + 1);
		else
			printf("  %s\n", v);
	}
	return broken->number;
}

static int print_scan(const struct ms_state *s)
{
	static const char *const rows[][2] = {
		{ "agreed", "" },
		{ "disagreed", "" },
		{ "busy", "changed during the scan, not compared" },
		{ "reshaped", "split or merged during the scan, not compared" },
		{ "unchecked", "not strict (adopted or unverifiable), not compared" },
	};
	uint64_t strict = scan_number(s, "strict");
	uint64_t disagreed = scan_number(s, "disagreed");
	const struct ms_stat *overlap = find_in(&s->scan, "fork_overlap");
	size_t i;
	int w = 1;

	scan_number(s, "agreed");
	scan_number(s, "busy");
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		const struct ms_stat *st = find_in(&s->scan, rows[i][0]);

		if (st && st->is_number)
			w = max_int(w, u64_width(st->number));
	}
	printf("scan %" PRIu64 ": %" PRIu64 " of %" PRIu64 " strict folios disagree\n",
	       scan_number(s, "scans"), disagreed, strict);
	for (i = 0; i < ARRAY_SIZE(rows); i++)
		scan_row(rows[i][0], find_in(&s->scan, rows[i][0]), w, rows[i][1]);
	if (overlap && overlap->is_number && overlap->number)
		puts("a fork ran during the scan: disagreements counted as busy; scan again");
	print_disagrees(s, disagreed);
	return print_broken(s) || disagreed ? EXIT_DISAGREE : 0;
}

static int cmd_scan(struct ms_state *s, int argc, char **argv)
{
	no_args("scan", argc, argv);
	check_dir(s->dir);
	control(s, "scan");
	read_file(s, "scan", add_scan_line);
	return print_scan(s);
}

/* --- sites ------------------------------------------------------------- */

/* Fill @buf from @fd as far as it goes; returns the bytes read, or -1. */
static ssize_t read_full(int fd, char *buf, size_t size)
{
	size_t done = 0;

	while (done < size) {
		ssize_t n = read(fd, buf + done, size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (!n)
			break;
		done += n;
	}
	return done;
}

static void __attribute__((noreturn))
sites_failed(const char *path, const char *file, int err)
{
	const char *why = ms_sites_error(err);

	fail("%s refused %s: %s; " KERNEL_LOG, path, file, why ? why : strerror(err));
}

/* Copy @file to DIR/sites: one write if it fits in SITES_CHUNK, else chunks. */
static void stage_sites(const struct ms_state *s, const char *file, int in)
{
	char path[PATH_MAX], *buf = malloc(SITES_CHUNK);
	int out = -1, err = 0;
	ssize_t n = 0;

	if (!buf)
		fail("out of memory");
	while (!err && (n = read_full(in, buf, SITES_CHUNK)) > 0) {
		if (out < 0)
			out = open_to_write(s, "sites", path);
		err = write_all(out, buf, n);
	}
	if (!err && n < 0)
		fail("error reading %s: %s", file, strerror(errno));
	if (out < 0)
		fail("%s is empty", file);
	/* The module takes the table when the file is closed. */
	if (close(out) && !err)
		err = errno;
	if (err)
		sites_failed(path, file, err);
	free(buf);
}

/* --- sites generate ---------------------------------------------------- */

/* The first line of @path, without its newline, into @buf; or fail. */
static void read_line_of(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "re");

	if (!f)
		fail("cannot read %s: %s", path, strerror(errno));
	if (!fgets(buf, size, f))
		fail("cannot read %s: %s", path, ferror(f) ? strerror(errno) : "empty");
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
}

/* The running kernel's build ID, from SYSROOT/sys/kernel/notes. */
static void running_build_id(const char *sysroot, char hex[MS_BUILD_ID_HEX])
{
	char path[PATH_MAX], buf[8192];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/sys/kernel/notes", sysroot);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		fail("cannot read the running kernel's build ID: %s: %s", path, strerror(errno));
	n = read_full(fd, buf, sizeof(buf));
	close(fd);
	if (n < 0 || ms_note_build_id(buf, n, hex))
		fail("no build ID in %s", path);
}

/*
 * The DWARF vmlinux to use: @given, which must be the running kernel's,
 * or the first of the usual places that is. A candidate that is another
 * kernel's, or has no DWARF, is named in the error when none fits.
 */
static void find_vmlinux(const char *sysroot, const char *release, const char *want,
			 const char *given, char *path)
{
	char id[MS_BUILD_ID_HEX], why[PATH_MAX + 2 * MS_BUILD_ID_HEX + 64] = "", tried[1024] = "";
	unsigned int i;
	bool dwarf;

	if (given) {
		if (ms_elf_build_id(given, id, &dwarf))
			fail("%s: %s", given, errno == ENOEXEC ? "not a 64-bit ELF vmlinux" :
			     errno == ENOENT ? "no build ID note" : strerror(errno));
		if (strcmp(id, want))
			fail("%s has build ID %s, the running kernel %s: not its vmlinux",
			     given, id, want);
		if (!dwarf)
			fail("%s has no DWARF (.debug_info): give the debug symbols' vmlinux", given);
		snprintf(path, PATH_MAX, "%s", given);
		return;
	}
	for (i = 0; !ms_vmlinux_candidate(sysroot, release, i, path, PATH_MAX); i++) {
		snprintf(tried + strlen(tried), sizeof(tried) - strlen(tried), "%s%s",
			 i ? ", " : "", path + strlen(sysroot));
		if (ms_elf_build_id(path, id, &dwarf))
			continue;
		if (!strcmp(id, want) && dwarf)
			return;
		if (!*why && strcmp(id, want))
			snprintf(why, sizeof(why), "; %s is another kernel's (build ID %s, running %s)",
				 path, id, want);
		else if (!*why)
			snprintf(why, sizeof(why), "; %s has no DWARF", path);
	}
	fail("no DWARF vmlinux of the running kernel %s (looked in %s%s); install its debug symbols (Debian: linux-image-%s-dbg) or give the path: mapshadow sites generate VMLINUX",
	     release, tried, why, release);
}

/* The generator: $MS_SITEGEN, else ms-sitegen beside this program, else $PATH's. */
static void find_generator(char *gen)
{
	const char *env = getenv("MS_SITEGEN");
	char self[PATH_MAX];
	ssize_t n;

	if (env && *env) {
		snprintf(gen, PATH_MAX, "%s", env);
		return;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = 0;
		*strrchr(self, '/') = 0;
		if (snprintf(gen, PATH_MAX, "%s/ms-sitegen", self) < PATH_MAX &&
		    !access(gen, X_OK))
			return;
	}
	snprintf(gen, PATH_MAX, "ms-sitegen");
}

/* Run the generator on @vmlinux with headers @src ("" for none) into @out. */
static void run_generator(const char *vmlinux, const char *src, int out)
{
	char gen[PATH_MAX];
	int status;
	pid_t pid;

	find_generator(gen);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		fail("fork: %s", strerror(errno));
	if (!pid) {
		dup2(out, STDOUT_FILENO);
		if (*src)
			execlp(gen, gen, "-I", src, vmlinux, (char *)NULL);
		else
			execlp(gen, gen, vmlinux, (char *)NULL);
		fprintf(stderr, "mapshadow: cannot run %s: %s (make install puts it beside mapshadow; or set MS_SITEGEN)\n",
			gen, strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		fail("waitpid: %s", strerror(errno));
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		exit(EXIT_RUNTIME);	/* the child said why */
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		fail("%s failed on %s (%s %d); nothing was staged", gen, vmlinux,
		     WIFEXITED(status) ? "exit status" : "signal",
		     WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
}

/* The kernel's rmap.h decides sites its DWARF cannot: headers or source. */
static void headers_dir(const char *sysroot, const char *release, char *src)
{
	static const char *const dirs[] = { "source", "build" };
	char rmap[PATH_MAX + 32];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(dirs); i++) {
		snprintf(src, PATH_MAX, "%s/lib/modules/%s/%s", sysroot, release, dirs[i]);
		snprintf(rmap, sizeof(rmap), "%s/include/linux/rmap.h", src);
		if (!access(rmap, R_OK))
			return;
	}
	*src = 0;
}

/*
 * sites generate [-o FILE] [VMLINUX]: find the running kernel's DWARF
 * vmlinux, run ms-sitegen on it, then stage and arm the table (or, with
 * -o, only write it to FILE). MAPSHADOW_SYSROOT (tests) prefixes the
 * paths read: proc/sys/kernel/osrelease, sys/kernel/notes, the vmlinux
 * places and lib/modules.
 */
static int cmd_sites_generate(struct ms_state *s, int argc, char **argv)
{
	const char *sysroot = getenv("MAPSHADOW_SYSROOT"), *given = NULL, *output = NULL;
	char path[PATH_MAX], release[256], want[MS_BUILD_ID_HEX], vmlinux[PATH_MAX];
	char src[PATH_MAX], tmp[PATH_MAX];
	int i, out;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-o")) {
			if (++i == argc || !*argv[i])
				usage_error("sites generate: -o needs a file");
			output = argv[i];
		} else if (argv[i][0] == '-' && argv[i][1]) {
			usage_error("sites generate: unknown option '%s'", argv[i]);
		} else if (!given) {
			given = argv[i];
		} else {
			usage_error("sites generate: unexpected argument '%s'", argv[i]);
		}
	}
	if (!sysroot)
		sysroot = "";
	snprintf(path, sizeof(path), "%s/proc/sys/kernel/osrelease", sysroot);
	read_line_of(path, release, sizeof(release));
	running_build_id(sysroot, want);
	if (!output) {
		/* Refuse before the slow part, not after it. */
		load(s, true, false);
		if (stat_number(s, "sites_armed", 0))
			fail("a site table is armed; disarm it first: mapshadow ctl sites=off");
	}
	find_vmlinux(sysroot, release, want, given, vmlinux);
	headers_dir(sysroot, release, src);
	if (output) {
		out = open(output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (out < 0)
			fail("cannot create %s: %s", output, strerror(errno));
	} else {
		snprintf(tmp, sizeof(tmp), "%s/mapshadow-sites.XXXXXX",
			 getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
		out = mkstemp(tmp);
		if (out < 0)
			fail("cannot create %s: %s", tmp, strerror(errno));
		unlink(tmp);	/* read back through the descriptor */
	}
	run_generator(vmlinux, src, out);
	if (output) {
		if (close(out))
			fail("error writing %s: %s", output, strerror(errno));
		printf("site table of %s (%s) written to %s\n", release, vmlinux, output);
		return 0;
	}
	if (lseek(out, 0, SEEK_SET))
		fail("lseek: %s", strerror(errno));
	stage_sites(s, vmlinux, out);
	close(out);
	control(s, "sites=on");
	printf("site table of %s generated from %s and armed; 'mapshadow hooks' shows its sites\n",
	       release, vmlinux);
	return 0;
}

static int cmd_sites(struct ms_state *s, int argc, char **argv)
{
	const char *file;
	int in;

	if (argc >= 2 && !strcmp(argv[1], "generate"))
		return cmd_sites_generate(s, argc - 1, argv + 1);
	if (argc < 2)
		usage_error("sites: missing FILE");
	no_args("sites", argc - 1, argv + 1);
	file = argv[1];
	in = open(file, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		fail("cannot open %s: %s", file, strerror(errno));
	load(s, true, false);
	/* The module keeps an armed table and ignores a new one: say so. */
	if (stat_number(s, "sites_armed", 0))
		fail("a site table is armed; disarm it first: mapshadow ctl sites=off");
	stage_sites(s, file, in);
	close(in);
	control(s, "sites=on");
	printf("site table %s armed; 'mapshadow hooks' shows its sites\n", file);
	return 0;
}

/* --- explain ------------------------------------------------------------ */

/* The 8-byte entry for index @i of a /proc file of u64s. */
static uint64_t proc_u64(const char *path, uint64_t i)
{
	uint64_t v;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == EACCES || errno == EPERM)
			fail("permission denied reading %s: run as root", path);
		fail("cannot open %s: %s", path, strerror(errno));
	}
	n = pread(fd, &v, sizeof(v), (off_t)(i * sizeof(v)));
	close(fd);
	if (n != (ssize_t)sizeof(v))
		fail("cannot read entry %" PRIu64 " of %s: %s", i, path,
		     n < 0 ? strerror(errno) : "short read");
	return v;
}

/* The folio file: "key: value..." lines (values may hold spaces). */
struct folio_lines {
	struct {
		char key[MS_KEY_MAX + 1];
		char value[256];
	} *v;
	size_t n;
};

/* The folio file's value of @key ("" when absent). */
static const char *folio_value(const struct folio_lines *l, const char *key)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].key, key))
			return l->v[i].value;
	return "";
}

static void read_folio(const struct ms_state *s, struct folio_lines *l)
{
	char path[PATH_MAX], *line = NULL;
	size_t cap = 0;
	FILE *f = open_to_read(s, "folio", path);

	while (getline(&line, &cap, f) >= 0) {
		char *colon = strchr(line, ':');
		typeof(*l->v) st = { 0 };

		if (!colon)
			continue;
		*colon = '\0';
		line[strcspn(line, "\n")] = '\0';
		snprintf(st.key, sizeof(st.key), "%s", line);
		colon += 1 + (colon[1] == ' ');
		colon[strcspn(colon, "\n")] = '\0';
		snprintf(st.value, sizeof(st.value), "%s", colon);
		l->v = grow(l->v, l->n, sizeof(*l->v));
		l->v[l->n++] = st;
	}
	free(line);
	fclose(f);
}

static int cmd_explain(struct ms_state *s, int argc, char **argv)
{
	const char *proc = getenv("MAPSHADOW_PROC");
	struct folio_lines folio = { 0 };
	char path[PATH_MAX], verb[64], names[512], *end;
	uint64_t addr, entry, pfn = 0, head, count, flags;
	size_t i, n = 0;
	long pid;

	if (argc != 3)
		usage_error("explain: needs PID ADDR");
	errno = 0;
	pid = strtol(argv[1], &end, 10);
	if (errno || *end || pid <= 0 || pid > 4194304)
		usage_error("explain: bad pid '%s'", argv[1]);
	errno = 0;
	addr = strtoull(argv[2], &end, 0);
	if (errno || *end || argv[2][0] == '-')
		usage_error("explain: bad address '%s' (0x... or decimal)", argv[2]);
	check_dir(s->dir);
	if (!proc || !*proc)
		proc = "/proc";
	snprintf(path, sizeof(path), "%s/%ld/pagemap", proc, pid);
	entry = proc_u64(path, addr / (uint64_t)sysconf(_SC_PAGESIZE));
	switch (ms_pagemap_decode(entry, &pfn)) {
	case MS_PAGEMAP_HIDDEN:
		fail("%s hides page frame numbers: run as root", path);
	case MS_PAGEMAP_SWAPPED:
		fail("0x%" PRIx64 " of process %ld is swapped out: no folio to explain", addr, pid);
	case MS_PAGEMAP_NONE:
		fail("nothing is mapped at 0x%" PRIx64 " in process %ld", addr, pid);
	}
	snprintf(verb, sizeof(verb), "show pfn=0x%" PRIx64, pfn);
	control(s, verb);
	read_folio(s, &folio);
	head = strtoull(folio_value(&folio, "head_pfn"), NULL, 16);
	snprintf(path, sizeof(path), "%s/kpagecount", proc);
	count = proc_u64(path, pfn);
	snprintf(path, sizeof(path), "%s/kpageflags", proc);
	flags = proc_u64(path, pfn);
	ms_kpageflags_names(flags, names, sizeof(names));
	printf("process %ld address 0x%" PRIx64 ": pfn 0x%" PRIx64 ", folio 0x%" PRIx64 " of order %s\n",
	       pid, addr, pfn, head, folio_value(&folio, "order"));
	printf("  mapshadow  tracked %s", folio_value(&folio, "tracked"));
	if (!strcmp(folio_value(&folio, "tracked"), "yes"))
		printf(", %s, shadow mapcount %s", folio_value(&folio, "state"),
		       folio_value(&folio, "shadow_mapcount"));
	printf("\n  kernel     folio_mapcount() %s, %s\n",
	       folio_value(&folio, "live_mapcount"), folio_value(&folio, "raw_words"));
	printf("  /proc      kpagecount %" PRIu64 ", kpageflags %s\n", count, names);
	printf("  shared     exact %s, kernel %s (%s), answer %s\n",
	       folio_value(&folio, "exact"), folio_value(&folio, "kernel"),
	       folio_value(&folio, "kernel_function"), folio_value(&folio, "answer"));
	if (*folio_value(&folio, "kernel_rules"))
		printf("  rules      %s\n", folio_value(&folio, "kernel_rules"));
	read_file(s, "findings", add_finding);
	for (i = 0; i < s->nr_findings; i++) {
		const struct ms_finding_row *f = &s->findings[i];

		if (f->pfn != head)
			continue;
		printf("  finding    %" PRIu64 ": %s, shadow %" PRId32 " live %" PRId32
		       " (%s in %s)\n", f->id, f->kind, f->shadow, f->live,
		       f->comm, f->source);
		n++;
	}
	if (!n)
		printf("  findings   none for this folio\n");
	free(folio.v);
	return 0;
}

static int cmd_help(struct ms_state *s, int argc, char **argv)
{
	(void)s;
	no_args("help", argc, argv);
	fputs(usage_text, stdout);
	return 0;
}

static const struct command {
	const char *name;
	int (*run)(struct ms_state *s, int argc, char **argv);
} commands[] = {
	{ "status",	cmd_status },
	{ "stats",	cmd_stats },
	{ "hooks",	cmd_hooks },
	{ "findings",	cmd_findings },
	{ "scan",	cmd_scan },
	{ "ctl",	cmd_ctl },
	{ "sites",	cmd_sites },
	{ "explain",	cmd_explain },
	{ "watch",	cmd_watch },
	{ "help",	cmd_help },
};

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ms_state s = { .dir = getenv(ENV_DIR) };
	size_t i;
	int c, rc;

	if (!s.dir || !*s.dir)
		s.dir = DEFAULT_DIR;
	opterr = 0;	/* one-line messages of our own instead of getopt's */
	/* '+': options end at the command, which parses its own. */
	while ((c = getopt_long(argc, argv, "+d:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (!*optarg)
				usage_error("-d: empty directory");
			s.dir = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		default:
			if (optopt == 'd')
				usage_error("-d needs a directory");
			if (optopt)
				usage_error("unknown option '-%c'", optopt);
			usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind == argc)
		usage_error("missing command");

	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		if (!strcmp(argv[optind], commands[i].name)) {
			rc = commands[i].run(&s, argc - optind, argv + optind);
			if (fflush(stdout) || ferror(stdout))
				fail("error writing output: %s", strerror(errno));
			return rc;
		}
	}
	usage_error("unknown command '%s'", argv[optind]);
}
