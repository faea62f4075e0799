// SPDX-License-Identifier: GPL-2.0
/* Arming, disarming and listing the rows of the hook table. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include "compat.h"
#include "hooks.h"
#include "mm_ids.h"
#include "stats.h"

static int maxactive;
module_param(maxactive, int, 0400);
MODULE_PARM_DESC(maxactive, "kretprobe (and 6.12 fprobe) instances per hook (default 0: 64 or 4 per CPU); a shortage is counted as missed events");

static char *test_fail_hook;
module_param(test_fail_hook, charp, 0400);
MODULE_PARM_DESC(test_fail_hook, "tests only: act as if this hook's target could not be probed");

/* Whether test_fail_hook names this target (or "site" for the site table). */
bool ms_test_fail(const char *target)
{
	return test_fail_hook && !strcmp(test_fail_hook, target);
}

/* An instance per concurrent call; a shortage shows as missed. */
static int ms_maxactive(void)
{
	return maxactive > 0 ? maxactive : max_t(int, 64, 4 * num_possible_cpus());
}

static void ms_match_tracepoint(struct tracepoint *tp, void *priv)
{
	struct ms_hook *h = priv;

	if (!h->tp && !strcmp(tp->name, h->target))
		h->tp = tp;
}

static const char *ms_reason(int err)
{
	switch (err) {
	case -ENOENT:
		return "symbol-not-found";
	case -EINVAL:
		return "rejected-by-kprobes";
	case -EILSEQ:
		return "not-an-instruction-boundary";
	case -EBUSY:
		return "busy";
	case -ENOMEM:
		return "no-memory";
	default:
		return "register-failed";
	}
}

static void ms_arm_one(struct ms_hook *h)
{
	int err;

	if (!ms_compat_kernel_at_least(h->kernel_min)) {
		h->reason = "not-this-kernel";
		return;
	}
	if (ms_test_fail(h->target)) {
		h->reason = "test-fail-hook";
		pr_info("%s: not armed: %s\n", h->target, h->reason);
		return;
	}
	switch (h->kind) {
	case MS_HOOK_KPROBE:
		memset(&h->krp, 0, sizeof(h->krp));
		h->krp.kp.symbol_name = h->target;
		h->krp.kp.pre_handler = h->pre;
		err = register_kprobe(&h->krp.kp);
		break;
	case MS_HOOK_KRETPROBE:
		err = ms_krp_arm(h, h->entry, h->ret, ms_maxactive());
		break;
	case MS_HOOK_CALL:
		err = ms_call_arm(h, ms_maxactive());
		break;
	case MS_HOOK_TRACEPOINT:
		h->tp = NULL;
		for_each_kernel_tracepoint(ms_match_tracepoint, h);
		if (!h->tp) {
			h->reason = "tracepoint-not-found";
			pr_info("%s: not armed: %s\n", h->target, h->reason);
			return;
		}
		err = tracepoint_probe_register(h->tp, h->tp_probe, h);
		break;
	default:
		err = -EINVAL;
	}
	if (err) {
		h->reason = ms_reason(err);
		pr_info("%s: not armed: %s (%d)\n", h->target, h->reason, err);
		return;
	}
	h->armed = true;
	h->reason = NULL;
}

/*
 * A row the shadow needs that is off (any reason but a kernel that has no
 * such target at all) means events we will never see: tracking must not
 * go live.  Returns why, or NULL.
 */
static const char *ms_held_back(char *buf, size_t len)
{
	int i;

	for (i = 0; i < MS_NR_HOOKS; i++) {
		struct ms_hook *h = &ms_hooks[i];

		if (h->armed || !strcmp(h->reason, "not-this-kernel"))
			continue;
		if (h->optional && !strcmp(h->reason, "symbol-not-found"))
			continue;
		/* One word: "stats" values are. */
		snprintf(buf, len, "hook-off:%s:%s", h->target, h->reason);
		return buf;
	}
	return NULL;
}

/*
 * Arms every row it can (a row that cannot be armed is reported), then
 * starts tracking: live only if every row the shadow needs is armed.
 */
int ms_hooks_arm(void)
{
	char why[64];
	int i;

	for (i = 0; i < MS_NR_HOOKS; i++)
		if (ms_hooks[i].lifecycle)
			ms_arm_one(&ms_hooks[i]);
	for (i = 0; i < MS_NR_HOOKS; i++)
		if (!ms_hooks[i].lifecycle)
			ms_arm_one(&ms_hooks[i]);
	ms_tracking_warm();
	/* mms alive before now had events we did not see. */
	ms_mm_all_incomplete();
	ms_tracking_go_live(ms_held_back(why, sizeof(why)));
	return 0;
}

void ms_hooks_disarm(void)
{
	bool tracepoints = false;
	int i;

	ms_tracking_stop();

	for (i = 0; i < MS_NR_HOOKS; i++) {
		struct ms_hook *h = &ms_hooks[i];

		if (!h->armed)
			continue;
		/* Both return after every running handler has finished. */
		if (h->kind == MS_HOOK_KPROBE) {
			unregister_kprobe(&h->krp.kp);
		} else if (h->kind == MS_HOOK_KRETPROBE) {
			unregister_kretprobe(&h->krp);
		} else if (h->kind == MS_HOOK_CALL) {
			ms_call_disarm(h);
		} else {
			tracepoint_probe_unregister(h->tp, h->tp_probe, h);
			tracepoints = true;
		}
		h->armed = false;
	}
	/* Wait out tracepoint probes still running on other CPUs. */
	if (tracepoints)
		tracepoint_synchronize_unregister();
}

bool ms_hook_armed(enum ms_hook_id id)
{
	return ms_hooks[id].armed;
}

static unsigned long ms_missed(struct ms_hook *h)
{
	if (!h->armed)
		return 0;
	if (h->kind == MS_HOOK_KPROBE)
		return h->krp.kp.nmissed;
	if (h->kind == MS_HOOK_KRETPROBE)
		return h->krp.kp.nmissed + h->krp.nmissed;
	if (h->kind == MS_HOOK_CALL)
		return ms_call_missed(h);
	return 0;
}

/* Events lost to probe recursion or instance shortage: the shadow is off. */
unsigned long ms_hooks_missed(void)
{
	unsigned long n = 0;
	int i;

	for (i = 0; i < MS_NR_HOOKS; i++)
		n += ms_missed(&ms_hooks[i]);
	return n;
}

const char *ms_source_name(unsigned int source)
{
	if (source < MS_NR_HOOKS)
		return ms_hooks[source].target;
	if (source == MS_SRC_FORK_WALK)
		return "fork-walk";
	if (source == MS_SRC_SITE)
		return "inline-site";
	if (source == MS_SRC_FLAG_SITE)
		return "flag-site";
	return "?";
}

unsigned int ms_hooks_armed(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < MS_NR_HOOKS; i++)
		n += ms_hooks[i].armed;
	return n;
}

static const char *ms_mechanism(struct ms_hook *h)
{
	if (h->kind == MS_HOOK_TRACEPOINT)
		return "tracepoint";
	if (h->kind == MS_HOOK_CALL && ms_call_fprobe(h))
		return "fprobe";
	if (h->kind == MS_HOOK_KRETPROBE || h->kind == MS_HOOK_CALL)
		return h->armed && kprobe_ftrace(&h->krp.kp) ?
			"kretprobe-ftrace" : "kretprobe";
	return h->armed ? ms_compat_kprobe_mechanism(&h->krp.kp) : "kprobe";
}

void ms_hooks_show(struct seq_file *m)
{
	int i;

	seq_printf(m, "# %-30s %-16s %-6s %12s %8s %s\n",
		   "target", "mechanism", "state", "hits", "missed", "reason");
	for (i = 0; i < MS_NR_HOOKS; i++) {
		struct ms_hook *h = &ms_hooks[i];

		seq_printf(m, "%-32s %-16s %-6s %12lu %8lu %s\n",
			   h->target, ms_mechanism(h),
			   h->armed ? "armed" : "off",
			   ms_count_sum(hook_hits[i]), ms_missed(h),
			   h->reason ? h->reason : "-");
	}
}
