// SPDX-License-Identifier: GPL-2.0
/*
 * The coordinator: hands the operations out one at a time, in program
 * order, to the process each names, and waits for it to finish, so that a
 * program does the same things in the same order on every run.
 *
 * A command is one 64-bit word in the shared control block (sequence
 * number, process, operation index) plus a futex word every process
 * sleeps on; the process reports its result in the block and writes a byte
 * to a pipe the coordinator polls, together with the process's pidfd (so
 * that an exit, an exec or a crash ends the wait too).  An operation that
 * takes longer than MSFUZZ_OP_TIMEOUT seconds (default 60) gets its
 * process killed; the operations of a process that is gone are skipped.
 * The coordinator is a child subreaper: a process whose parent has exited
 * becomes its child, and it reaps every process before it returns.
 */
#include "rt.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open	434
#endif

#define CO_KILL_WAIT_MS	10000	/* for a killed process to be gone */

struct rt_ctl *rt_ctl;
const struct rt_op *rt_ops;
int rt_nops;

struct co_state {
	int done_fd;			/* the pipe processes report on */
	int pidfd[RT_MAXPROC];		/* -1: none (or no pidfd_open) */
	long timeout_ms;
	bool verbose;
	__u32 seq;
	unsigned long ops, syscalls, failed, skipped, timeouts;
};

static long co_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void co_reap(void)
{
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

/* Without a pidfd: gone once it no longer exists or is a zombie. */
static bool co_gone_slow(pid_t pid)
{
	char path[64], buf[256], *s;
	ssize_t n;
	int fd;

	if (kill(pid, 0) && errno == ESRCH)
		return true;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = 0;
	s = strrchr(buf, ')');
	return s && s[1] == ' ' && (s[2] == 'Z' || s[2] == 'X');
}

/* Has process @p ended?  Waits at most @ms for it. */
static bool co_gone(struct co_state *c, int p, int ms)
{
	struct pollfd pf = { .fd = c->pidfd[p], .events = POLLIN };

	if (c->pidfd[p] >= 0)
		return poll(&pf, 1, ms) > 0;
	if (co_gone_slow(rt_ctl->pid[p]))
		return true;
	if (ms > 0)
		usleep(ms * 1000);
	return co_gone_slow(rt_ctl->pid[p]);
}

/* Process @p has ended: forget it, give its memory back to the budget. */
static void co_ended(struct co_state *c, int p)
{
	co_reap();
	rt_ctl->pid[p] = 0;
	rt_ctl->mem_total -= rt_ctl->mem[p];
	rt_ctl->mem[p] = 0;
	memset(rt_ctl->h[p], 0, sizeof(rt_ctl->h[p]));
	if (c->pidfd[p] >= 0)
		close(c->pidfd[p]);
	c->pidfd[p] = -1;
}

static void co_post(struct co_state *c, int p, int i)
{
	__u32 seq = ++c->seq;

	__atomic_store_n(&rt_ctl->cmd, (__u64)seq << 32 | (__u64)p << 24 | (__u64)i,
			 __ATOMIC_RELEASE);
	__atomic_store_n(&rt_ctl->seq, seq, __ATOMIC_RELEASE);
	syscall(SYS_futex, &rt_ctl->seq, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

static bool co_finished(struct co_state *c)
{
	char buf[64];

	while (read(c->done_fd, buf, sizeof(buf)) > 0)
		;
	return __atomic_load_n(&rt_ctl->done, __ATOMIC_ACQUIRE) == c->seq;
}

/*
 * Have process @p run operation @i (i == rt_nops: exit) and wait for it;
 * its result, and the syscalls it made in @nsys.
 */
static int co_step(struct co_state *c, int p, int i, __u32 *nsys)
{
	bool leaves = i >= rt_nops || rt_ops[i].verb == RT_V_EXIT ||
		      rt_ops[i].verb == RT_V_EXEC;
	long end = co_now_ms() + c->timeout_ms, left;
	struct pollfd pf[2];

	*nsys = 0;
	co_post(c, p, i);
	while ((left = end - co_now_ms()) > 0) {
		if (co_finished(c)) {
			*nsys = rt_ctl->nsys;
			return rt_ctl->res;
		}
		pf[0] = (struct pollfd){ .fd = c->done_fd, .events = POLLIN };
		pf[1] = (struct pollfd){ .fd = c->pidfd[p], .events = POLLIN };
		/* No pidfd: look at the process every 20 ms. */
		if (c->pidfd[p] < 0 && left > 20)
			left = 20;
		if (poll(pf, 2, left) < 0 && errno != EINTR)
			break;
		if (pf[0].revents)
			continue;
		if (pf[1].revents || (c->pidfd[p] < 0 && co_gone_slow(rt_ctl->pid[p]))) {
			if (co_finished(c))
				continue;
			co_ended(c, p);
			return leaves ? 0 : RT_R_DIED;
		}
	}
	if (co_finished(c)) {
		*nsys = rt_ctl->nsys;
		return rt_ctl->res;
	}
	kill(rt_ctl->pid[p], SIGKILL);
	if (!co_gone(c, p, CO_KILL_WAIT_MS))
		fprintf(stderr, "msfuzz: p%d (pid %d) still there %d ms after SIGKILL\n",
			p, (int)rt_ctl->pid[p], CO_KILL_WAIT_MS);
	co_ended(c, p);
	c->timeouts++;
	return RT_R_TIMEOUT;
}

static void co_one(struct co_state *c, int i)
{
	const struct rt_op *op = &rt_ops[i];
	int p = op->proc, res;
	__u32 nsys = 0;
	char name[32];

	if (p >= RT_MAXPROC || !rt_ctl->pid[p])
		res = RT_R_DEAD;
	else
		res = co_step(c, p, i, &nsys);
	if (!res && op->verb == RT_V_FORK)
		c->pidfd[op->proc2] = syscall(SYS_pidfd_open, rt_ctl->pid[op->proc2], 0);
	if (!res && (op->verb == RT_V_EXIT || op->verb == RT_V_EXEC) && rt_ctl->pid[p])
		co_ended(c, p);
	if (res == RT_R_DEAD || res == RT_R_SKIP) {
		c->skipped++;
	} else {
		c->ops++;
		c->syscalls += nsys;
		c->failed += res != 0;
	}
	if (c->verbose) {
		printf("msfuzz: %d %s = %s\n", i + 1, op->text ? op->text : "?",
		       rt_result_name(res, name, sizeof(name)));
		fflush(stdout);
	}
}

/* Every process has been told to exit; reap whatever is left (5 s at most). */
static void co_reap_all(void)
{
	long end = co_now_ms() + 5000;

	while (waitpid(-1, NULL, WNOHANG) >= 0) {
		if (co_now_ms() > end) {
			fprintf(stderr, "msfuzz: children left unreaped\n");
			return;
		}
		usleep(10000);
	}
}

static void co_start_p0(struct co_state *c, int done[2], int life[2])
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("msfuzz: fork p0");
		return;
	}
	if (!pid) {
		close(done[0]);
		close(life[1]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		rt_proc_main(0, done[1], life[0]);
		_exit(1);
	}
	rt_ctl->pid[0] = pid;
	c->pidfd[0] = syscall(SYS_pidfd_open, pid, 0);
}

int rt_run(const struct rt_op *ops, int n, bool verbose)
{
	struct co_state c = { .verbose = verbose };
	int done[2], life[2], p, i;
	__u32 nsys;

	rt_ops = ops;
	rt_nops = n;
	rt_ctl = mmap(NULL, sizeof(*rt_ctl), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (rt_ctl == MAP_FAILED) {
		perror("msfuzz: mmap control block");
		return 1;
	}
	rt_ctl->mem_max = rt_env_size("MSFUZZ_MAXMEM", 256UL << 20);
	c.timeout_ms = rt_env_size("MSFUZZ_OP_TIMEOUT", 60) * 1000;
	if (pipe2(done, O_CLOEXEC) || pipe2(life, O_CLOEXEC)) {
		perror("msfuzz: pipe");
		return 1;
	}
	fcntl(done[0], F_SETFL, O_NONBLOCK);
	c.done_fd = done[0];
	for (p = 0; p < RT_MAXPROC; p++)
		c.pidfd[p] = -1;
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	co_start_p0(&c, done, life);
	/* done[1] stays open here: no hangup on done[0] when processes end. */
	close(life[0]);
	if (!rt_ctl->pid[0])
		return 1;
	for (i = 0; i < n; i++)
		co_one(&c, i);
	/* The end: every process left exits, children before parents. */
	for (p = RT_MAXPROC - 1; p >= 0; p--)
		if (rt_ctl->pid[p])
			co_step(&c, p, n, &nsys);
	close(life[1]);
	co_reap_all();
	printf("msfuzz: ops=%lu syscalls=%lu failed=%lu skipped=%lu timeouts=%lu\n",
	       c.ops, c.syscalls, c.failed, c.skipped, c.timeouts);
	return fflush(stdout) ? 1 : 0;
}
