// SPDX-License-Identifier: GPL-2.0
/*
 * The mechanisms behind an MS_HOOK_CALL row: a call seen on entry and on
 * return.  With fprobes=1, an fprobe where the kernel can place one (an
 * ftrace call site, CONFIG_FPROBE): entry and return ride the function's
 * ftrace site, without the kprobe layer, and from 6.14 on the return comes
 * through the function-graph return stack instead of a rethook.  Else (the
 * default, or no ftrace site, as 7.x's static dup helpers) a kretprobe.
 * Either way the row's handlers get the same view of the call (hooks.h).
 *
 * Kretprobes are the default: bench-mechanism measured an fprobe row as
 * costly as a kretprobe on 6.12 (both ride ftrace and a rethook), and about
 * 7% more per small-folio rmap call on 7.3 (the function-graph entry and
 * the fprobe hash lookup cost more than a rethook).  fprobes=1 keeps the
 * other mechanism armable and measurable.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fprobe.h>
#include <linux/kprobes.h>
#include <linux/moduleparam.h>
#include "compat.h"
#include "hooks.h"

static bool fprobes;
module_param(fprobes, bool, 0400);
MODULE_PARM_DESC(fprobes, "1: hook the rmap primitives with fprobes where the kernel allows (default 0: kretprobes, measured as cheap or cheaper)");

static enum ms_hook_id ms_hook_of_fp(struct fprobe *fp)
{
	return container_of(fp, struct ms_hook, fp) - ms_hooks;
}

static int ms_fp_entry(struct fprobe *fp, unsigned long ip,
		       unsigned long ret_ip, struct ms_compat_fprobe_regs *regs, void *data)
{
	enum ms_hook_id id = ms_hook_of_fp(fp);
	unsigned long args[MS_CALL_ARGS];
	int i;

	for (i = 0; i < MS_CALL_ARGS; i++)
		args[i] = ms_compat_fprobe_arg(regs, i);
	return ms_hooks[id].call_entry(id, data, args);
}

NOKPROBE_SYMBOL(ms_fp_entry);

static void ms_fp_exit(struct fprobe *fp, unsigned long ip,
		       unsigned long ret_ip, struct ms_compat_fprobe_regs *regs, void *data)
{
	enum ms_hook_id id = ms_hook_of_fp(fp);

	ms_hooks[id].call_ret(id, data, ms_compat_fprobe_ret(regs));
}

NOKPROBE_SYMBOL(ms_fp_exit);

static int ms_krp_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	enum ms_hook_id id = ms_hook_of_ri(ri);
	unsigned long args[MS_CALL_ARGS];
	int i;

	for (i = 0; i < MS_CALL_ARGS; i++)
		args[i] = regs_get_kernel_argument(regs, i);
	return ms_hooks[id].call_entry(id, ri->data, args);
}

NOKPROBE_SYMBOL(ms_krp_entry);

static int ms_krp_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	enum ms_hook_id id = ms_hook_of_ri(ri);

	ms_hooks[id].call_ret(id, ri->data, regs_return_value(regs));
	return 0;
}

NOKPROBE_SYMBOL(ms_krp_ret);

/* Arms h as a kretprobe on its target (every kretprobe row's way). */
int ms_krp_arm(struct ms_hook *h, kretprobe_handler_t entry,
	       kretprobe_handler_t ret, int maxactive)
{
	memset(&h->krp, 0, sizeof(h->krp));
	h->krp.kp.symbol_name = h->target;
	h->krp.entry_handler = entry;
	h->krp.handler = ret;
	h->krp.data_size = h->data_size;
	h->krp.maxactive = maxactive;
	return register_kretprobe(&h->krp);
}

/*
 * Arms h with an fprobe, or failing that (or with fprobes=0) a kretprobe;
 * maxactive bounds the calls in flight where the mechanism has a pool.
 * Returns the kretprobe's error: an fprobe's failure is not the row's.
 */
int ms_call_arm(struct ms_hook *h, int maxactive)
{
	const char *sym = h->target;
	int err;

	memset(&h->fp, 0, sizeof(h->fp));
	h->fprobe = false;
	if (fprobes) {
		h->fp.entry_handler = ms_fp_entry;
		h->fp.exit_handler = ms_fp_exit;
		h->fp.entry_data_size = h->data_size;
		ms_compat_fprobe_maxactive(&h->fp, maxactive);
		err = register_fprobe_syms(&h->fp, &sym, 1);
		if (!err) {
			h->fprobe = true;
			return 0;
		}
		pr_debug("%s: no fprobe (%d), a kretprobe instead\n", sym, err);
	}
	return ms_krp_arm(h, ms_krp_entry, ms_krp_ret, maxactive);
}

/* Returns after every running handler of h has finished. */
void ms_call_disarm(struct ms_hook *h)
{
	if (h->fprobe)
		unregister_fprobe(&h->fp);
	else
		unregister_kretprobe(&h->krp);
}

unsigned long ms_call_missed(struct ms_hook *h)
{
	if (h->fprobe)
		return h->fp.nmissed;
	return h->krp.kp.nmissed + h->krp.nmissed;
}

/* Whether h is (armed, or would be) an fprobe rather than a kretprobe. */
bool ms_call_fprobe(struct ms_hook *h)
{
	return h->armed ? h->fprobe : fprobes;
}
