// SPDX-License-Identifier: GPL-2.0
/*
 * "msfuzz min FILE -- CMD...": shrink a program while CMD still says it
 * fails.
 *
 * Each candidate is written to a temporary file, and CMD runs with that
 * file's path as its last argument and in MSFUZZ_PROG; exit status 0
 * means "still fails" (interesting).  The search is ddmin's: remove
 * chunks of operations, halving the chunks when none can go, down to
 * single operations, until no single one can be removed.  Removals keep
 * the structure: without its fork a process and everything it does (and
 * the processes it forks) go too; without its exit, a later fork of the
 * same process number goes.  MSFUZZ_MIN_RUNS (default 2000) bounds
 * the runs of CMD, MSFUZZ_MIN_TIMEOUT the seconds one may take (default
 * 600; one that takes longer is killed and counts as not failing).
 * SIGTERM, SIGINT or SIGHUP (a "timeout msfuzz min") stops the search:
 * CMD's process group is killed and the smallest program so far printed.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include "msfuzz.h"

static int mn_stop;	/* a signal asked to stop */

static void mn_signal(int sig)
{
	__atomic_store_n(&mn_stop, sig, __ATOMIC_RELAXED);
}

struct mn {
	const struct prog *p;
	char **cmd;
	char path[64];
	unsigned long runs, max_runs, timeout;
};

/*
 * Drop what the structure no longer allows: the ops of a process whose
 * fork is gone, and a fork of a number whose process is still there
 * (its exit is gone).
 */
static void mn_close(const struct prog *p, bool *keep)
{
	bool born[RT_MAXPROC] = { true };
	const struct rt_op *op;
	int i;

	for (i = 0; i < p->n; i++) {
		if (!keep[i])
			continue;
		op = &p->ops[i];
		if (!born[op->proc] || (op->verb == RT_V_FORK && born[op->proc2]))
			keep[i] = false;
		else if (op->verb == RT_V_FORK)
			born[op->proc2] = true;
		else if (op->verb == RT_V_EXIT || op->verb == RT_V_EXEC)
			born[op->proc] = false;
	}
}

static int mn_count(const struct prog *p, const bool *keep)
{
	int i, n = 0;

	for (i = 0; i < p->n; i++)
		n += keep[i];
	return n;
}

/* Run CMD on the candidate @keep; true if it still fails. */
static bool mn_test(struct mn *m, const bool *keep)
{
	struct timespec t0, now;
	int argc, status;
	char **argv;
	FILE *f;
	pid_t pid;

	if (__atomic_load_n(&mn_stop, __ATOMIC_RELAXED))
		return false;
	m->runs++;
	f = fopen(m->path, "w");
	if (!f || prog_write(m->p, keep, f)) {
		perror("msfuzz: min: write candidate");
		exit(1);
	}
	fclose(f);
	for (argc = 0; m->cmd[argc]; argc++)
		;
	argv = calloc(argc + 2, sizeof(*argv));
	if (!argv)
		exit(1);
	memcpy(argv, m->cmd, argc * sizeof(*argv));
	argv[argc] = m->path;
	fflush(NULL);
	pid = fork();
	if (!pid) {
		setpgid(0, 0);
		setenv("MSFUZZ_PROG", m->path, 1);
		execvp(argv[0], argv);
		perror(argv[0]);
		_exit(127);
	}
	free(argv);
	if (pid < 0)
		return false;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (waitpid(pid, &status, WNOHANG) == 0) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((unsigned long)(now.tv_sec - t0.tv_sec) >= m->timeout ||
		    __atomic_load_n(&mn_stop, __ATOMIC_RELAXED)) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return false;
		}
		usleep(10000);
	}
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* Try without ops [from, to) of the kept ones; keep the removal if it still fails. */
static bool mn_try(struct mn *m, bool *keep, int from, int to)
{
	bool *cand = malloc(m->p->n * sizeof(*cand));
	int i, k = 0;
	bool ok = false;

	if (!cand)
		exit(1);
	for (i = 0; i < m->p->n; i++) {
		cand[i] = keep[i];
		if (keep[i] && k >= from && k < to)
			cand[i] = false;
		k += keep[i];
	}
	mn_close(m->p, cand);
	if (mn_count(m->p, cand) < mn_count(m->p, keep) &&
	    m->runs < m->max_runs && mn_test(m, cand)) {
		memcpy(keep, cand, m->p->n * sizeof(*cand));
		ok = true;
	}
	free(cand);
	return ok;
}

static void mn_ddmin(struct mn *m, bool *keep)
{
	int n = 2, count, chunk, start;
	bool reduced;

	while ((count = mn_count(m->p, keep)) >= 1 && m->runs < m->max_runs &&
	       !__atomic_load_n(&mn_stop, __ATOMIC_RELAXED)) {
		if (n > count)
			n = count;
		chunk = (count + n - 1) / n;
		reduced = false;
		for (start = 0; start < count && !reduced; start += chunk)
			reduced = mn_try(m, keep, start, start + chunk);
		if (reduced) {
			n = n > 2 ? n - 1 : 2;
			continue;
		}
		if (chunk == 1)
			break;
		n = 2 * n;
	}
}

int min_program(const struct prog *p, char **cmd, FILE *out)
{
	struct mn m = { .p = p, .cmd = cmd };
	const char *tmp = getenv("TMPDIR");
	bool *keep = malloc((p->n + 1) * sizeof(*keep));
	struct sigaction sa;
	int fd, i;

	if (!keep)
		return 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = mn_signal;	/* no SA_RESTART: waits end early */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	m.max_runs = rt_env_size("MSFUZZ_MIN_RUNS", 2000);
	m.timeout = rt_env_size("MSFUZZ_MIN_TIMEOUT", 600);
	snprintf(m.path, sizeof(m.path), "%s/msfuzz-min.XXXXXX",
		 tmp && *tmp && strlen(tmp) < 40 ? tmp : "/tmp");
	fd = mkstemp(m.path);
	if (fd < 0) {
		perror("msfuzz: min: mkstemp");
		return 1;
	}
	close(fd);
	for (i = 0; i < p->n; i++)
		keep[i] = true;
	if (!mn_test(&m, keep)) {
		fprintf(stderr, "msfuzz: min: the command does not fail on the whole program\n");
		unlink(m.path);
		return 1;
	}
	mn_ddmin(&m, keep);
	unlink(m.path);
	fprintf(stderr, "msfuzz: min: %d -> %d operations, %lu runs%s\n", p->n,
		mn_count(p, keep), m.runs, mn_stop ? " (stopped by a signal)" : "");
	return prog_write(p, keep, out) ? 1 : 0;
}
