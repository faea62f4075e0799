/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What mapshadow knows of x86-64, and nothing else does: the registers an
 * instruction-level probe reads, and how the kernel rewrites its own code.
 * Kbuild and dkms.conf refuse other architectures.
 */
#ifndef MAPSHADOW_ARCH_X86_H
#define MAPSHADOW_ARCH_X86_H

#ifndef CONFIG_X86_64
#error "mapshadow supports x86-64 kernels only"
#endif

#include <asm/ptrace.h>
#include <linux/types.h>
#include "sitetable_parse.h"

/* The value of a site's register (sitetable_parse.h) at the probe. */
static inline unsigned long ms_arch_reg(const struct pt_regs *regs,
					enum ms_site_reg r)
{
	switch (r) {
	case MS_REG_AX: return regs->ax;
	case MS_REG_BX: return regs->bx;
	case MS_REG_CX: return regs->cx;
	case MS_REG_DX: return regs->dx;
	case MS_REG_SI: return regs->si;
	case MS_REG_DI: return regs->di;
	case MS_REG_BP: return regs->bp;
	case MS_REG_SP: return regs->sp;
	case MS_REG_R8: return regs->r8;
	case MS_REG_R9: return regs->r9;
	case MS_REG_R10: return regs->r10;
	case MS_REG_R11: return regs->r11;
	case MS_REG_R12: return regs->r12;
	case MS_REG_R13: return regs->r13;
	case MS_REG_R14: return regs->r14;
	case MS_REG_R15: return regs->r15;
	default: return 0;
	}
}

/*
 * On a machine with one CPU the kernel turns every lock prefix (0xf0) of
 * its own text into a DS prefix (0x3e) (alternatives_smp_unlock()): an
 * instruction read back is compared with the table's as if locked.
 */
static inline void ms_arch_relock(u8 *code, const u8 *want)
{
	if (code[0] == 0x3e && want[0] == 0xf0)
		code[0] = 0xf0;
}

#endif /* MAPSHADOW_ARCH_X86_H */
