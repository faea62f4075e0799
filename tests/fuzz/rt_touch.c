// SPDX-License-Identifier: GPL-2.0
/*
 * "write" and "read": one byte in every page of the range, through the
 * mapping: faults, COW after fork, reads of page cache and of holes.
 *
 * A page that faults with SIGSEGV (unmapped, PROT_NONE, a guard region)
 * or SIGBUS (past the end of a file, no huge page, poison) is skipped and
 * the operation's result is that signal; the other pages are still done.
 * Outside an access the signals keep their default action.
 */
#include "rt.h"

#include <setjmp.h>
#include <signal.h>
#include <string.h>

static sigjmp_buf tc_jmp;
static int tc_armed, tc_sig, tc_res;
static unsigned long tc_off;	/* not locals: they live across the longjmp */
static unsigned char tc_sink;

static void tc_fault(int sig)
{
	if (!__atomic_load_n(&tc_armed, __ATOMIC_RELAXED)) {
		signal(sig, SIG_DFL);
		return;		/* the fault again, now fatal */
	}
	tc_sig = sig;
	siglongjmp(tc_jmp, 1);
}

void rt_touch_init(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = tc_fault;
	sa.sa_flags = SA_NODEFER;	/* still deliverable after the longjmp */
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
}

int rt_touch(const struct rt_op *op)
{
	struct rt_handle *hd = rt_handle(rt_me, op->h);
	unsigned char byte = op->arg ? op->arg : 1;
	char *p;

	if (!hd)
		return RT_R_NOHANDLE;
	p = (char *)hd->addr + op->off;
	tc_res = 0;
	tc_off = 0;
	__atomic_store_n(&tc_armed, 1, __ATOMIC_RELAXED);
	/* Back here after a fault: note it, go on with the next page. */
	if (sigsetjmp(tc_jmp, 0)) {
		if (!tc_res)
			tc_res = tc_sig == SIGBUS ? RT_R_BUS : RT_R_SEGV;
		tc_off += RT_PAGE;
	}
	for (; tc_off < op->len; tc_off += RT_PAGE) {
		if (op->verb == RT_V_WRITE)
			__atomic_store_n(p + tc_off, byte, __ATOMIC_RELAXED);
		else
			tc_sink ^= __atomic_load_n(p + tc_off, __ATOMIC_RELAXED);
	}
	__atomic_store_n(&tc_armed, 0, __ATOMIC_RELAXED);
	return tc_res;
}
