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
 * This file has the shared helpers (cli.h) and most commands; "sites" is
 * in cli_sites.c, "explain" in cli_explain.c.
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
#include <unistd.h>

#include "cli.h"
#include "ms_json.h"

#define DEBUGFS_ROOT	"/sys/kernel/debug"
#define DEFAULT_DIR	DEBUGFS_ROOT "/mapshadow"
#define DEBUGFS_MAGIC	0x64626720	/* include/uapi/linux/magic.h */
#define ENV_DIR		"MAPSHADOW_DEBUGFS"

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
	"                 kernel-report, mapping-dropped, mm-leak, large-vs-pages,\n"
	"                 nr-pages-mapped, entirely-mapped, mm-slots, mm-shared-bit,\n"
	"                 shared-missed, bad-slot, flag-race, flag-lost); --count:\n"
	"                 just their number;\n"
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


void __attribute__((noreturn, format(printf, 1, 2))) fail(const char *fmt, ...)
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

void __attribute__((noreturn, format(printf, 1, 2)))
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

void *grow(void *array, size_t nr, size_t size)
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
void check_dir(const char *dir)
{
	const char *level;
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
	level = lockdown_level();
	if (level)
		fail("module not loaded (no %s); the kernel is locked down (%s): it loads only signed modules (DKMS signs with its MOK key)",
		     dir, level);
	fail("module not loaded (no %s); load it with insmod mapshadow.ko", dir);
}

static void dir_path(const struct ms_state *s, const char *name, char *path)
{
	if (snprintf(path, PATH_MAX, "%s/%s", s->dir, name) >= PATH_MAX)
		fail("path too long: %s/%s", s->dir, name);
}

FILE *open_to_read(const struct ms_state *s, const char *name, char *path)
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

int open_to_write(const struct ms_state *s, const char *name, char *path)
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
int write_all(int fd, const char *buf, size_t len)
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

void load(struct ms_state *s, bool stats, bool hooks)
{
	check_dir(s->dir);
	if (stats)
		read_file(s, "stats", add_stat);
	if (hooks)
		read_file(s, "hooks", add_hook);
}

void load_findings(struct ms_state *s)
{
	read_file(s, "findings", add_finding);
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
uint64_t stat_number(const struct ms_state *s, const char *key, uint64_t dflt)
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

void no_args(const char *cmd, int argc, char **argv)
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
	load_findings(s);
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
		load_findings(s);
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
void control(const struct ms_state *s, const char *verb)
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
