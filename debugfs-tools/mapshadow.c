// SPDX-License-Identifier: GPL-2.0
/*
 * mapshadow: command line view of the mapshadow module's debugfs files.
 *
 * Reads DIR/stats and DIR/hooks (see ms_parse.h for their format) and
 * prints them for humans. Every failure is one line on stderr; the exit
 * status is 0 on success, 1 on a runtime error, 2 on a usage error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include "ms_parse.h"

#define DEBUGFS_ROOT	"/sys/kernel/debug"
#define DEFAULT_DIR	DEBUGFS_ROOT "/mapshadow"
#define DEBUGFS_MAGIC	0x64626720	/* include/uapi/linux/magic.h */
#define ENV_DIR		"MAPSHADOW_DEBUGFS"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define EXIT_RUNTIME	1
#define EXIT_USAGE	2

static const char usage_text[] =
	"usage: mapshadow [-d DIR] COMMAND [ARGS]\n"
	"\n"
	"Show the state of the mapshadow kernel module from its debugfs files.\n"
	"\n"
	"Commands:\n"
	"  status         summary: module loaded, hooks armed, hooks off and why, events\n"
	"  stats          all counters of DIR/stats as a table\n"
	"  hooks [--off]  all hooks of DIR/hooks as a table, or only those that are off\n"
	"  help           show this help\n"
	"\n"
	"Options:\n"
	"  -d DIR         the module's debugfs directory (default: $" ENV_DIR ",\n"
	"                 else " DEFAULT_DIR ")\n"
	"\n"
	"Exit status: 0 ok, 1 runtime error, 2 usage error.\n";

/* What was read from the module's directory. */
struct ms_state {
	const char *dir;
	struct ms_stat *stats;
	size_t nr_stats;
	struct ms_hook *hooks;
	size_t nr_hooks;
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
		fail("permission denied reading %s: run as root", dir);
	if (errno != ENOENT && errno != ENOTDIR)
		fail("cannot access %s: %s", dir, strerror(errno));
	if (parent_is_debugfs_root(dir) && !debugfs_mounted())
		fail("debugfs is not mounted; mount -t debugfs none " DEBUGFS_ROOT);
	fail("module not loaded (no %s); load it with insmod mapshadow.ko", dir);
}

typedef int (*add_line_fn)(struct ms_state *s, const char *line);

static int add_stat(struct ms_state *s, const char *line)
{
	struct ms_stat st;
	int rc = ms_parse_stat(line, &st);

	if (rc == MS_OK) {
		s->stats = grow(s->stats, s->nr_stats, sizeof(*s->stats));
		s->stats[s->nr_stats++] = st;
	}
	return rc;
}

static int add_hook(struct ms_state *s, const char *line)
{
	struct ms_hook hook;
	int rc = ms_parse_hook(line, &hook);

	if (rc == MS_OK) {
		s->hooks = grow(s->hooks, s->nr_hooks, sizeof(*s->hooks));
		s->hooks[s->nr_hooks++] = hook;
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

	if (snprintf(path, sizeof(path), "%s/%s", s->dir, name) >= (int)sizeof(path))
		fail("path too long: %s/%s", s->dir, name);
	f = fopen(path, "r");
	if (!f) {
		if (errno == EACCES || errno == EPERM)
			fail("permission denied reading %s: run as root", path);
		fail("cannot open %s: %s", path, strerror(errno));
	}
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

static const struct ms_stat *find_stat(const struct ms_state *s, const char *key)
{
	size_t i;

	for (i = 0; i < s->nr_stats; i++)
		if (!strcmp(s->stats[i].key, key))
			return &s->stats[i];
	return NULL;
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

static void cmd_status(struct ms_state *s, int argc, char **argv)
{
	const struct ms_stat *version, *enabled, *events;
	size_t i, armed = 0;

	no_args("status", argc, argv);
	load(s, true, true);
	version = find_stat(s, "version");
	enabled = find_stat(s, "enabled");
	events = find_stat(s, "events");

	for (i = 0; i < s->nr_hooks; i++)
		armed += s->hooks[i].armed;

	printf("mapshadow: loaded, version %s", version ? version->value : "unknown");
	if (enabled && enabled->is_number)
		printf(", %s", enabled->number ? "enabled" : "disabled");
	printf("\nhooks: %zu of %zu armed\n", armed, s->nr_hooks);
	for (i = 0; i < s->nr_hooks; i++) {
		const struct ms_hook *h = &s->hooks[i];

		if (!h->armed)
			printf("  off: %s (%s): %s\n", h->target, h->mechanism,
			       strcmp(h->reason, "-") ? h->reason : "no reason given");
	}
	printf("events: %s\n", events ? events->value : "unknown");
}

static void cmd_stats(struct ms_state *s, int argc, char **argv)
{
	int w = strlen("STAT");
	size_t i;

	no_args("stats", argc, argv);
	load(s, true, false);
	for (i = 0; i < s->nr_stats; i++)
		w = max_int(w, strlen(s->stats[i].key));
	printf("%-*s  %s\n", w, "STAT", "VALUE");
	for (i = 0; i < s->nr_stats; i++)
		printf("%-*s  %s\n", w, s->stats[i].key, s->stats[i].value);
}

static void cmd_hooks(struct ms_state *s, int argc, char **argv)
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
		const struct ms_hook *h = &s->hooks[i];

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
		const struct ms_hook *h = &s->hooks[i];

		if (only_off && h->armed)
			continue;
		printf("%-*s  %-*s  %-*s  %*" PRIu64 "  %*" PRIu64 "  %s\n",
		       wt, h->target, wm, h->mechanism, ws, h->armed ? "armed" : "off",
		       wh, h->hits, wx, h->missed, h->reason);
	}
}

static void cmd_help(struct ms_state *s, int argc, char **argv)
{
	(void)s;
	no_args("help", argc, argv);
	fputs(usage_text, stdout);
}

static const struct command {
	const char *name;
	void (*run)(struct ms_state *s, int argc, char **argv);
} commands[] = {
	{ "status",	cmd_status },
	{ "stats",	cmd_stats },
	{ "hooks",	cmd_hooks },
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
	int c;

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
			commands[i].run(&s, argc - optind, argv + optind);
			if (fflush(stdout) || ferror(stdout))
				fail("error writing output: %s", strerror(errno));
			return 0;
		}
	}
	usage_error("unknown command '%s'", argv[optind]);
}
