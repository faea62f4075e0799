/* SPDX-License-Identifier: GPL-2.0 */
/* ms_flagrace's writers and where their instructions are (ms_flagrace.c). */
#ifndef MS_FLAGRACE_H
#define MS_FLAGRACE_H

void ms_fr_lost(unsigned long *word, unsigned long other_bit,
		unsigned long mine);
void ms_fr_rmw(unsigned long *word, unsigned long mine);

/*
 * Where the labelled instructions are, from their function's start: label
 * differences the assembler computes (a C reference to a label inside a
 * function would be an indirect-branch target to objtool).
 */
struct ms_fr_offsets {
	unsigned long load, other, store, rmw;
};

extern const struct ms_fr_offsets ms_fr_offsets;

#endif /* MS_FLAGRACE_H */
