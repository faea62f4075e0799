// SPDX-License-Identifier: GPL-2.0
/*
 * Disassembly and classification for ms-sitegen.
 *
 * Every range of every outermost rmap.h instance is decoded with capstone.
 * A site is a LOCK-prefixed inc, dec, add, sub or xadd on a 32-bit memory
 * operand base + disp (no index register) inside rmap.h code that takes a
 * struct folio * or struct page * (this leaves out get_anon_vma() and
 * friends, whose anon_vma->refcount also sits at 0x30), where either
 *  - disp is the offset of one of the counters, or
 *  - disp is 0 and the base register, followed through the straight-line
 *    code of its function (zero_disp_field()), points at a counter: the
 *    per-page page->_mapcount loops of the dup helpers ("lea 0x30(%x)",
 *    or a struct pointer plus "add $0x30").
 * Other writes to a counter offset in that code (plain stores, other
 * locked instructions, indexed operands) become notes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <capstone/capstone.h>

#include "sitegen.h"

struct dis {
	csh intel;		/* analysis: operands in Intel order */
	csh att;		/* text for notes */
	const struct sg_elf *e;
	const struct sg_dwarf *d;
	struct sg_result *r;
};

/* The 16 general purpose registers in all widths, 64-bit name first. */
static const x86_reg gprs[16][5] = {
	{ X86_REG_RAX, X86_REG_EAX, X86_REG_AX, X86_REG_AL, X86_REG_AH },
	{ X86_REG_RBX, X86_REG_EBX, X86_REG_BX, X86_REG_BL, X86_REG_BH },
	{ X86_REG_RCX, X86_REG_ECX, X86_REG_CX, X86_REG_CL, X86_REG_CH },
	{ X86_REG_RDX, X86_REG_EDX, X86_REG_DX, X86_REG_DL, X86_REG_DH },
	{ X86_REG_RSI, X86_REG_ESI, X86_REG_SI, X86_REG_SIL, X86_REG_INVALID },
	{ X86_REG_RDI, X86_REG_EDI, X86_REG_DI, X86_REG_DIL, X86_REG_INVALID },
	{ X86_REG_RBP, X86_REG_EBP, X86_REG_BP, X86_REG_BPL, X86_REG_INVALID },
	{ X86_REG_RSP, X86_REG_ESP, X86_REG_SP, X86_REG_SPL, X86_REG_INVALID },
	{ X86_REG_R8, X86_REG_R8D, X86_REG_R8W, X86_REG_R8B, X86_REG_INVALID },
	{ X86_REG_R9, X86_REG_R9D, X86_REG_R9W, X86_REG_R9B, X86_REG_INVALID },
	{ X86_REG_R10, X86_REG_R10D, X86_REG_R10W, X86_REG_R10B, X86_REG_INVALID },
	{ X86_REG_R11, X86_REG_R11D, X86_REG_R11W, X86_REG_R11B, X86_REG_INVALID },
	{ X86_REG_R12, X86_REG_R12D, X86_REG_R12W, X86_REG_R12B, X86_REG_INVALID },
	{ X86_REG_R13, X86_REG_R13D, X86_REG_R13W, X86_REG_R13B, X86_REG_INVALID },
	{ X86_REG_R14, X86_REG_R14D, X86_REG_R14W, X86_REG_R14B, X86_REG_INVALID },
	{ X86_REG_R15, X86_REG_R15D, X86_REG_R15W, X86_REG_R15B, X86_REG_INVALID },
};

/* Index 0..15 of a general purpose register of any width, or -1. */
int sg_gpr(unsigned int reg)
{
	int i, w;

	if (reg == X86_REG_INVALID)
		return -1;
	for (i = 0; i < 16; i++) {
		for (w = 0; w < 5; w++) {
			if (gprs[i][w] == reg)
				return i;
		}
	}
	return -1;
}

unsigned int sg_gpr64(int i)
{
	return gprs[i][0];
}

static int counter_at(const struct sg_dwarf *d, int64_t disp)
{
	int i;

	for (i = 0; i < SG_NR_COUNTERS; i++) {
		if (d->field[i] >= 0 && d->field[i] == disp)
			return i;
	}
	return -1;
}

/* The innermost rmap.h instance covering addr (deepest, then narrowest). */
static const struct sg_inl *innermost(const struct sg_dwarf *d, uint64_t addr)
{
	const struct sg_inl *best = NULL;
	size_t i;

	for (i = 0; i < d->ninl; i++) {
		const struct sg_inl *r = &d->inl[i];

		if (addr < r->lo || addr >= r->hi)
			continue;
		if (!best || r->depth > best->depth ||
		    (r->depth == best->depth && r->hi - r->lo < best->hi - best->lo))
			best = r;
	}
	return best;
}

static void att_text(struct dis *x, uint64_t addr, const uint8_t *code, size_t len,
		     char *buf, size_t size)
{
	cs_insn *insn;

	if (cs_disasm(x->att, code, len, addr, 1, &insn) == 1) {
		snprintf(buf, size, "%s %s", insn->mnemonic, insn->op_str);
		cs_free(insn, 1);
	} else {
		snprintf(buf, size, "(undecodable)");
	}
}

static void add_note(struct dis *x, const cs_insn *insn, const struct sg_inl *inl,
		     const char *why)
{
	struct sg_result *r = x->r;
	struct sg_note *n;
	size_t i;

	for (i = 0; i < r->nnotes; i++) {
		if (r->notes[i].addr == insn->address)
			return;
	}
	r->notes = sg_grow(r->notes, &r->capnotes, r->nnotes + 1, sizeof(*r->notes));
	n = &r->notes[r->nnotes++];
	n->addr = insn->address;
	n->func = sg_elf_func_at(x->e, insn->address);
	n->why = why;
	n->inl = inl;
	att_text(x, insn->address, insn->bytes, insn->size, n->text, sizeof(n->text));
}

/*
 * disp 0: which counter does the base register point at? Scan the
 * function from its start to addr and follow the register: a plain write
 * (a load, say) makes it a struct pointer at offset 0, "lea D(%x)" sets
 * the offset to D, "add/sub $imm" and "lea D(%reg)" on the register
 * itself move it. The answer is a counter offset, or the per-page
 * _mapcount offset modulo sizeof(struct page) (a loop stepping through
 * the pages of a folio); -1 when it is neither.
 */
static int64_t zero_disp_field(struct dis *x, uint64_t addr, int base)
{
	const struct sg_sym *fn = sg_elf_func_at(x->e, addr);
	const int64_t mapcount = x->d->field[SG_MAPCOUNT];
	const int64_t page_size = x->d->page_size;
	const uint8_t *code;
	uint64_t pc;
	size_t len;
	cs_insn *insn;
	int64_t off = -1;	/* -1: nothing known yet */

	if (!fn)
		return -1;
	code = sg_elf_bytes(x->e, fn->addr, addr - fn->addr);
	if (!code)
		return -1;
	len = addr - fn->addr;
	pc = fn->addr;
	insn = cs_malloc(x->intel);
	while (len && cs_disasm_iter(x->intel, &code, &len, &pc, insn)) {
		const cs_x86 *d = &insn->detail->x86;
		const cs_x86_op *src = &d->operands[1];
		cs_regs rd, wr;
		uint8_t nrd, nwr, i;
		bool writes = false, to_self;

		if (cs_regs_access(x->intel, insn, rd, &nrd, wr, &nwr) != CS_ERR_OK)
			continue;
		for (i = 0; i < nwr; i++)
			writes |= sg_gpr(wr[i]) == base;
		if (!writes)
			continue;
		to_self = d->op_count == 2 && d->operands[0].type == X86_OP_REG &&
			  d->operands[0].reg == gprs[base][0];
		if (to_self && insn->id == X86_INS_LEA &&
		    src->mem.index == X86_REG_INVALID && sg_gpr(src->mem.base) >= 0)
			off = sg_gpr(src->mem.base) == base ?
			      (off < 0 ? -1 : off + src->mem.disp) : src->mem.disp;
		else if (to_self && (insn->id == X86_INS_ADD || insn->id == X86_INS_SUB) &&
			 src->type == X86_OP_IMM)
			off = off < 0 ? -1 :
			      off + (insn->id == X86_INS_ADD ? src->imm : -src->imm);
		else if (to_self && insn->id == X86_INS_MOV && src->type != X86_OP_IMM)
			off = 0;
		else
			off = -1;
	}
	cs_free(insn, 1);
	if (len || off < 0)
		return -1;
	if (counter_at(x->d, off) >= 0)
		return off;
	if (page_size > 0 && mapcount >= 0 && off % page_size == mapcount)
		return mapcount;
	return -1;
}

static const cs_x86_op *mem_operand(const cs_x86 *d)
{
	int i;

	for (i = 0; i < d->op_count; i++) {
		if (d->operands[i].type == X86_OP_MEM)
			return &d->operands[i];
	}
	return NULL;
}

static void look_at(struct dis *x, const cs_insn *insn)
{
	const cs_x86 *d = &insn->detail->x86;
	const cs_x86_op *mem = mem_operand(d);
	const struct sg_inl *inl;
	bool locked = d->prefix[0] == X86_PREFIX_LOCK;
	bool rmw = insn->id == X86_INS_INC || insn->id == X86_INS_DEC ||
		   insn->id == X86_INS_ADD || insn->id == X86_INS_SUB ||
		   insn->id == X86_INS_XADD;
	int counter, base;
	int64_t disp;
	struct sg_site *s;

	if (!mem || !(mem->access & CS_AC_WRITE))
		return;
	counter = counter_at(x->d, mem->mem.disp);
	if (!locked && counter < 0)
		return;
	inl = innermost(x->d, insn->address);
	if (!inl)
		return;
	if (!inl->folio_arg) {
		if (locked && rmw) {
			x->r->not_folio++;
			add_note(x, insn, inl, "helper takes no folio or page, not a site");
		}
		return;
	}
	if (!locked) {
		add_note(x, insn, inl, "plain store to a counter offset, not a site");
		return;
	}
	if (!rmw) {
		if (counter >= 0)
			add_note(x, insn, inl, "locked instruction of an unhandled kind");
		return;
	}
	base = sg_gpr(mem->mem.base);
	if (mem->mem.index != X86_REG_INVALID || mem->mem.segment != X86_REG_INVALID ||
	    base < 0 || mem->mem.base != gprs[base][0]) {
		if (counter >= 0)
			add_note(x, insn, inl, "unhandled addressing mode");
		return;
	}
	disp = mem->mem.disp;
	if (counter < 0 && disp == 0) {
		int64_t field = zero_disp_field(x, insn->address, base);

		counter = counter_at(x->d, field);
		if (counter < 0) {
			add_note(x, insn, inl, "zero displacement, target unknown");
			return;
		}
	}
	if (counter < 0) {
		/* "lock addl $0,-4(%rsp)" is smp_mb(). */
		if (mem->mem.base != X86_REG_RSP)
			add_note(x, insn, inl, "locked RMW at no counter offset");
		return;
	}
	if (mem->size != 4) {
		add_note(x, insn, inl, "not a 32-bit operand");
		return;
	}

	x->r->sites = sg_grow(x->r->sites, &x->r->capsites, x->r->nsites + 1,
			      sizeof(*x->r->sites));
	s = &x->r->sites[x->r->nsites];
	memset(s, 0, sizeof(*s));
	s->addr = insn->address;
	s->func = sg_elf_func_at(x->e, insn->address);
	if (!s->func) {
		add_note(x, insn, inl, "in no function symbol");
		return;
	}
	s->len = insn->size;
	memcpy(s->bytes, insn->bytes, insn->size);
	att_text(x, insn->address, insn->bytes, insn->size, s->text, sizeof(s->text));
	s->basereg = cs_reg_name(x->intel, gprs[base][0]);
	s->disp = disp;
	s->counter = counter;
	s->inl = inl;
	if (insn->id == X86_INS_INC || insn->id == X86_INS_DEC) {
		s->delta_kind = SG_DELTA_CONST;
		s->delta = insn->id == X86_INS_INC ? 1 : -1;
	} else if (d->op_count == 2 && d->operands[1].type == X86_OP_IMM &&
		   insn->id != X86_INS_XADD) {
		s->delta_kind = SG_DELTA_CONST;
		s->delta = (int32_t)d->operands[1].imm;
		if (insn->id == X86_INS_SUB)
			s->delta = -s->delta;
	} else if (d->op_count == 2 && d->operands[1].type == X86_OP_REG &&
		   sg_gpr(d->operands[1].reg) >= 0) {
		s->delta_kind = SG_DELTA_REG;
		s->delta_reg = cs_reg_name(x->intel, d->operands[1].reg);
		s->delta_neg = insn->id == X86_INS_SUB;
	} else {
		add_note(x, insn, inl, "unhandled source operand");
		return;
	}
	x->r->nsites++;
}

static int cmp_inl_addr(const void *a, const void *b)
{
	const struct sg_inl *x = *(const struct sg_inl *const *)a;
	const struct sg_inl *y = *(const struct sg_inl *const *)b;

	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return x->hi < y->hi ? -1 : x->hi > y->hi;
}

void sg_classify(struct sg_result *r, const struct sg_elf *e, const struct sg_dwarf *d)
{
	struct dis x = { .e = e, .d = d, .r = r };
	const struct sg_inl **outer;
	size_t i, n = 0;
	uint64_t done = 0;
	cs_insn *insn;

	memset(r, 0, sizeof(*r));
	if (cs_open(CS_ARCH_X86, CS_MODE_64, &x.intel) != CS_ERR_OK ||
	    cs_open(CS_ARCH_X86, CS_MODE_64, &x.att) != CS_ERR_OK)
		sg_die("capstone: cannot open an x86-64 handle");
	cs_option(x.intel, CS_OPT_DETAIL, CS_OPT_ON);
	cs_option(x.att, CS_OPT_SYNTAX, CS_OPT_SYNTAX_ATT);

	/* Decode each byte once: outermost ranges by address, overlaps cut. */
	outer = sg_alloc((d->ninl + 1) * sizeof(*outer));
	for (i = 0; i < d->ninl; i++) {
		if (d->inl[i].depth == 0)
			outer[n++] = &d->inl[i];
	}
	qsort(outer, n, sizeof(*outer), cmp_inl_addr);
	insn = cs_malloc(x.intel);
	for (i = 0; i < n; i++) {
		uint64_t pc = outer[i]->lo > done ? outer[i]->lo : done;
		const uint8_t *code;
		size_t len;

		if (pc >= outer[i]->hi)
			continue;
		len = outer[i]->hi - pc;
		code = sg_elf_bytes(e, pc, len);
		if (!code) {
			sg_warn("no bytes for %#llx..%#llx (%s)", (unsigned long long)pc,
				(unsigned long long)outer[i]->hi, outer[i]->name);
			continue;
		}
		while (len && cs_disasm_iter(x.intel, &code, &len, &pc, insn)) {
			r->insns++;
			look_at(&x, insn);
		}
		if (len)
			r->decode_errors++;
		done = outer[i]->hi;
	}
	cs_free(insn, 1);
	free(outer);
	cs_close(&x.intel);
	cs_close(&x.att);
}
