// SPDX-License-Identifier: GPL-2.0
/*
 * mapshadow sites FILE, and sites generate: site tables staged through
 * DIR/sites and armed with "sites=on"; a table generated from the running
 * kernel's DWARF vmlinux (ms_vmlinux.h finds it).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "ms_vmlinux.h"

#define SITES_CHUNK	(64 * 1024)	/* a table up to this size is one write */

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

/* Load the stats; fail if a table is armed: the module ignores a new one. */
static void load_unarmed(struct ms_state *s)
{
	load(s, true, false);
	if (stat_number(s, "sites_armed", 0))
		fail("a site table is armed; disarm it first: mapshadow ctl sites=off");
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

/*
 * The kernel's rmap.h decides sites its DWARF cannot: headers or source.
 * build/source: an O= build's object tree, which modules_install links as
 * "build" (6.12 makes no "source" link), names its source tree so.
 */
static void headers_dir(const char *sysroot, const char *release, char *src)
{
	static const char *const dirs[] = { "source", "build", "build/source" };
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
		load_unarmed(s);
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

int cmd_sites(struct ms_state *s, int argc, char **argv)
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
	load_unarmed(s);
	stage_sites(s, file, in);
	close(in);
	control(s, "sites=on");
	printf("site table %s armed; 'mapshadow hooks' shows its sites\n", file);
	return 0;
}
