// SPDX-License-Identifier: GPL-2.0
/*
 * The flags inventory: every write to a struct page flags word in the
 * code of mm/ (every function of a compilation unit under mm/, with all
 * it inlines from headers: include/linux/page-flags.h, mm/internal.h,
 * ...; functions elsewhere that inline the same helpers are not looked
 * at). Each function range (dwarfwalk.c) is decoded whole with capstone.
 *
 * Candidates are instructions whose memory operand is BASEREG + DISP, no
 * index or segment register, BASEREG not rsp, with DISP inside one of the
 * flags words page[N].flags (N = 0..3) counted from the base; raceword.c
 * then asks the DWARF whether BASEREG holds a struct folio * or struct
 * page * there, and which word it is. Three shapes:
 *
 *  rmw     one instruction without a lock prefix that reads and writes
 *          the word: or, and, xor, bts, btr, btc, add, sub, not, ...
 *  pair    a load of the word into a register (mov, movzx), then, along
 *          some path of at most WALK_STEPS instructions of the same
 *          function without a locked instruction on the word, a store
 *          (mov) to the same word of a register whose value was computed
 *          from the loaded one. The base register may be copied or moved
 *          (lea, add/sub of a constant) between the two. Each store is
 *          paired with its closest preceding load.
 *  atomic  a locked writer of the word (lock prefix, or xchg): not a
 *          race, listed so that a report can name the atomic writers of
 *          the other bits of a word.
 *
 * The bits a write may change are tracked for immediates: or/xor/bts/
 * btc set or flip known bits, and/btr clear them; in a pair the loaded
 * value is followed through register copies and such operations (an
 * "or" with a register that was and-ed with a constant counts that
 * constant). Anything else makes the bits unknown.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <capstone/capstone.h>
#include <dwarf.h>
#include <elfutils/libdw.h>

#include "sitegen.h"

#define WALK_STEPS	4096	/* instructions visited per load */
#define WALK_STACK	64	/* branches pending per load */
#define WALK_VISITS	4	/* visits of one instruction per load */
#define ALL		(~0ull)

#define GPR_SP	7	/* sg_gpr() numbers: rax rbx rcx rdx rsi rdi rbp rsp r8.. */

/* Caller-saved registers (clobbered by a call): rax rcx rdx rsi rdi r8-r11. */
static const int clobbered[] = { 0, 2, 3, 4, 5, 8, 9, 10, 11 };

static bool high_byte(unsigned int reg)
{
	return reg == X86_REG_AH || reg == X86_REG_BH || reg == X86_REG_CH ||
	       reg == X86_REG_DH;
}

static uint64_t width_mask(unsigned int bytes)
{
	return bytes >= 8 ? ALL : (1ull << (8 * bytes)) - 1;
}

/* Floor division by 8 and the remainder, for negative offsets too. */
static int64_t word_of(int64_t off)
{
	return off >= 0 ? off / 8 : -((-off + 7) / 8);
}

static unsigned int byte_in_word(int64_t off)
{
	return (unsigned int)(off - 8 * word_of(off));
}

/* One decoded function range. */
struct fn {
	cs_insn *insn;
	size_t n;
	const int *mem;		/* per insn: index of the usable memory operand, -1 */
	uint32_t *seen;		/* walk generation that visited each insn */
	uint8_t *visits;	/* how often, in that walk */
	uint32_t gen;
	int *from;		/* per insn: the one direct jump to it, -1 none, -2 more */
	int *label;		/* per insn: a jump label's target insn, -1 */
	int *best_load;		/* per store: the pair's load, -1 */
	uint64_t *best_bits;
	bool *best_known;
};

struct ctx {
	csh h, att;
	const struct sg_elf *e;
	const struct sg_dwarf *d;
	struct sg_races *rs;
	Dwarf *dw;
};

/*
 * Could base + off be a flags word page[N].flags (N = 0..3) of the struct
 * the base points into? The base may point into the struct (&folio->lru
 * in list walks: -8), so any offset within SG_FLAG_WORDS pages either way;
 * raceword.c decides.
 */
static bool near_struct(const struct sg_dwarf *d, int64_t off)
{
	int64_t span = SG_FLAG_WORDS * d->page_size;

	return off >= -span && off < span + 8;
}

static const cs_x86_op *mem_op(const cs_insn *in, int *idx)
{
	const cs_x86 *x = &in->detail->x86;
	int i;

	for (i = 0; i < x->op_count; i++) {
		if (x->operands[i].type == X86_OP_MEM) {
			if (idx)
				*idx = i;
			return &x->operands[i];
		}
	}
	return NULL;
}

static bool locked(const cs_insn *in)
{
	return in->detail->x86.prefix[0] == X86_PREFIX_LOCK || in->id == X86_INS_XCHG;
}

/*
 * The memory operand of in, when it is a plain BASEREG + DISP (no index,
 * no segment, not the stack pointer, not rip): its index, else -1.
 * *indexed is set when it would be one but for an index register.
 */
static int plain_mem(const cs_insn *in, bool *indexed)
{
	const cs_x86_op *m;
	int i, b;

	m = mem_op(in, &i);
	if (!m)
		return -1;
	b = sg_gpr(m->mem.base);
	if (b < 0 || b == GPR_SP || m->mem.segment != X86_REG_INVALID)
		return -1;
	if (m->mem.index != X86_REG_INVALID) {
		if (indexed)
			*indexed = true;
		return -1;
	}
	return i;
}

static void att_text(struct ctx *x, const cs_insn *in, char *buf, size_t size)
{
	cs_insn *a;

	if (cs_disasm(x->att, in->bytes, in->size, in->address, 1, &a) == 1) {
		snprintf(buf, size, "%s %s", a->mnemonic, a->op_str);
		cs_free(a, 1);
	} else {
		snprintf(buf, size, "(undecodable)");
	}
}

static void fill_ref(struct ctx *x, const cs_insn *in, int memi, struct sg_insn_ref *r)
{
	const cs_x86_op *m = &in->detail->x86.operands[memi];

	r->addr = in->address;
	r->len = in->size;
	memcpy(r->bytes, in->bytes, in->size);
	att_text(x, in, r->text, sizeof(r->text));
	r->basereg = cs_reg_name(x->h, sg_gpr64(sg_gpr(m->mem.base)));
	r->disp = m->mem.disp;
}

/* Instructions that read, modify and write their memory destination. */
static bool rmw_insn(const cs_insn *in)
{
	switch (in->id) {
	case X86_INS_OR: case X86_INS_AND: case X86_INS_XOR:
	case X86_INS_BTS: case X86_INS_BTR: case X86_INS_BTC:
	case X86_INS_ADD: case X86_INS_SUB: case X86_INS_ADC: case X86_INS_SBB:
	case X86_INS_INC: case X86_INS_DEC: case X86_INS_NEG: case X86_INS_NOT:
	case X86_INS_SHL: case X86_INS_SHR: case X86_INS_SAR: case X86_INS_SAL:
	case X86_INS_ROL: case X86_INS_ROR: case X86_INS_RCL: case X86_INS_RCR:
	case X86_INS_XADD: case X86_INS_CMPXCHG: case X86_INS_XCHG:
		return true;
	default:
		return false;
	}
}

/* Does in write its memory operand m (the destination, operand 0)? */
static bool writes_mem(const cs_insn *in, const cs_x86_op *m)
{
	const cs_x86 *x = &in->detail->x86;

	if (!x->op_count || &x->operands[0] != m)
		return in->id == X86_INS_XCHG && x->op_count == 2 && &x->operands[1] == m;
	return rmw_insn(in) || in->id == X86_INS_MOV || in->id == X86_INS_MOVABS;
}

/* Bit ops, or/and/xor, xchg, cmpxchg: the ways flags words are written. */
static bool flags_like(const cs_insn *in)
{
	switch (in->id) {
	case X86_INS_OR: case X86_INS_AND: case X86_INS_XOR:
	case X86_INS_BTS: case X86_INS_BTR: case X86_INS_BTC:
	case X86_INS_XCHG: case X86_INS_CMPXCHG: case X86_INS_MOV:
		return true;
	default:
		return false;
	}
}

/*
 * The bits of the word one instruction on it may change, its operand
 * starting at byte o of the word; false: unknown.
 */
static bool insn_bits(const cs_insn *in, const cs_x86_op *m, unsigned int o, uint64_t *bits)
{
	const cs_x86 *x = &in->detail->x86;
	unsigned int w = m->size;
	const cs_x86_op *src = x->op_count == 2 ? &x->operands[1] : NULL;
	uint64_t wm = width_mask(w), v;

	if (!w || w > 8 || o + w > 8)
		return false;
	switch (in->id) {
	case X86_INS_OR:
	case X86_INS_XOR:
	case X86_INS_AND:
		if (!src || src->type != X86_OP_IMM)
			return false;
		v = (uint64_t)src->imm & wm;
		if (in->id == X86_INS_AND)
			v = ~v & wm;
		break;
	case X86_INS_BTS:
	case X86_INS_BTR:
	case X86_INS_BTC:
		if (!src || src->type != X86_OP_IMM)
			return false;
		v = 1ull << ((uint64_t)src->imm & (8 * w - 1));
		break;
	case X86_INS_NOT:
		v = wm;
		break;
	default:
		return false;
	}
	*bits = v << (8 * o);
	return true;
}

/* Does control never fall through from in to the next instruction? */
static bool no_fallthrough(const cs_insn *in)
{
	return in->id == X86_INS_JMP || in->id == X86_INS_RET || in->id == X86_INS_UD2 ||
	       in->id == X86_INS_INT3 || in->id == X86_INS_HLT;
}

/*
 * What the code before instruction i says about its base register b
 * (struct sg_base): the registers that hold the same pointer there, and
 * where it points into its struct. Read backwards from i along
 * fall-through predecessors only (other ways in are not followed),
 * following the chain of copies that made b: "mov %x,%b" (the pointer
 * came from x), "lea D(%x),%b" (x plus D), add/sub of a constant to it;
 * the chain ends at any other write (a load, or arithmetic such as
 * pfn_to_page(): taken to point at a struct, offset 0), at the start of
 * the function or of a block nothing falls into (a pointer argument, or
 * one set on another path: 0, a guess); it is unknown only when the walk
 * is too long. A copy "mov %chain,%y" or "lea D(%chain),%y" whose y is not
 * written again before i makes y an alias, as does a register of the
 * chain that is not written between there and i.
 */
static void base_info(struct ctx *x, const struct fn *f, size_t i, int b, struct sg_base *out)
{
	const cs_insn *insn = f->insn;
	uint32_t dirty = 0;	/* registers written between k and i */
	int cur = b;
	int64_t off = 0;	/* base at i = cur (here) + off */
	size_t k = i, steps = 0;

	memset(out, 0, sizeof(*out));
	out->reg[0] = cs_reg_name(x->h, sg_gpr64(b));
	out->n = 1;
	out->known = true;
	for (;;) {
		const cs_insn *in;

		/* The predecessor: falling through, else the one jump here. */
		if (k > 0 && !no_fallthrough(&insn[k - 1]))
			k--;
		else if (f->from[k] >= 0 && (size_t)f->from[k] != k)
			k = (size_t)f->from[k];
		else
			break;
		in = &insn[k];
		const cs_x86 *d = &in->detail->x86;
		const cs_x86_op *dst = d->op_count == 2 ? &d->operands[0] : NULL;
		const cs_x86_op *src = d->op_count == 2 ? &d->operands[1] : NULL;
		int dreg = dst && dst->type == X86_OP_REG && dst->size == 8 ? sg_gpr(dst->reg) : -1;
		int sreg = src && src->type == X86_OP_REG && src->size == 8 ? sg_gpr(src->reg) : -1;
		bool lea = in->id == X86_INS_LEA && src && src->mem.index == X86_REG_INVALID &&
			   src->mem.segment == X86_REG_INVALID;
		uint32_t wrote = 0;
		cs_regs rd, wr;
		uint8_t nrd, nwr, j;

		if (++steps > WALK_STEPS) {
			out->known = false;
			return;
		}
		if (in->id == X86_INS_CALL) {
			for (j = 0; j < sizeof(clobbered) / sizeof(clobbered[0]); j++)
				wrote |= 1u << clobbered[j];
		} else if (cs_insn_group(x->h, in, X86_GRP_JUMP)) {
			wrote = 0;
		} else if (cs_regs_access(x->h, in, rd, &nrd, wr, &nwr) == CS_ERR_OK) {
			for (j = 0; j < nwr; j++) {
				if (sg_gpr(wr[j]) >= 0)
					wrote |= 1u << sg_gpr(wr[j]);
			}
		}
		/* A copy of the chain's pointer into a register kept until i. */
		if (dreg >= 0 && dreg != cur && !(dirty & (1u << dreg)) && out->n < SG_BASE_ALIASES &&
		    ((in->id == X86_INS_MOV && sreg == cur) ||
		     (lea && sg_gpr(src->mem.base) == cur))) {
			out->reg[out->n] = cs_reg_name(x->h, sg_gpr64(dreg));
			out->off[out->n] = off - (lea ? src->mem.disp : 0);
			out->n++;
		}
		if (wrote & (1u << cur)) {
			if (dreg == cur && in->id == X86_INS_MOV && sreg >= 0) {
				cur = sreg;
			} else if (dreg == cur && lea && sg_gpr(src->mem.base) >= 0) {
				off += src->mem.disp;
				cur = sg_gpr(src->mem.base);
			} else if (dreg == cur && (in->id == X86_INS_ADD || in->id == X86_INS_SUB) &&
				   src->type == X86_OP_IMM) {
				off += in->id == X86_INS_ADD ? src->imm : -src->imm;
			} else {
				/*
				 * A pointer loaded, or computed (pfn_to_page(),
				 * folio_page()): taken to point at a struct.
				 */
				break;
			}
			dirty |= wrote;
			if (cur != sg_gpr(dst->reg) && !(dirty & (1u << cur)) && out->n < SG_BASE_ALIASES &&
			    cur != GPR_SP) {
				out->reg[out->n] = cs_reg_name(x->h, sg_gpr64(cur));
				out->off[out->n] = off;
				out->n++;
			}
			continue;
		}
		dirty |= wrote;
	}
	out->struct_off = off;
}

static void add_race(struct ctx *x, enum sg_race_shape shape, const cs_insn *in, int memi,
		     const cs_insn *load, int loadi, const struct sg_word *w, bool known,
		     uint64_t bits)
{
	struct sg_races *rs = x->rs;
	struct sg_race *r;

	rs->r = sg_grow(rs->r, &rs->cap, rs->n + 1, sizeof(*rs->r));
	r = &rs->r[rs->n];
	memset(r, 0, sizeof(*r));
	r->shape = shape;
	r->func = sg_elf_func_at(x->e, in->address);
	if (!r->func || (load && sg_elf_func_at(x->e, load->address) != r->func)) {
		sg_warn("race at %#llx: not inside one function symbol",
			(unsigned long long)in->address);
		return;
	}
	fill_ref(x, in, memi, &r->w);
	if (load)
		fill_ref(x, load, loadi, &r->load);
	r->word = *w;
	r->bits_known = known;
	r->bits = known ? bits : 0;
	rs->n++;
}

/* ---- the pair walk ---- */

struct reg {
	bool taint;		/* computed from the loaded word */
	uint64_t m;		/* taint: bits that may differ from the word;
				 * else: bits that may be one */
	bool alias;		/* holds the load's base register plus off */
	int64_t off;
};

struct state {
	struct reg r[16];
	size_t at;		/* instruction index */
};

static void clobber(struct reg *r)
{
	r->taint = false;
	r->m = ALL;
	r->alias = false;
}

/* The value of the low `bytes` of dst becomes v (taint/mask); merge the rest. */
static void set_low(struct reg *dst, unsigned int reg, unsigned int bytes, bool taint, uint64_t m)
{
	uint64_t wm = width_mask(bytes);

	dst->alias = false;
	if (high_byte(reg)) {
		bool t = dst->taint || taint;

		dst->taint = t;
		dst->m = ALL;
		return;
	}
	if (bytes >= 8) {
		dst->taint = taint;
		dst->m = m;
	} else if (bytes == 4) {
		/* Zero-extended: the upper half differs from the word's. */
		dst->taint = taint;
		dst->m = taint ? (m & wm) | ~wm : m & wm;
	} else if (dst->taint && taint) {
		dst->m = (dst->m & ~wm) | (m & wm);
	} else if (dst->taint) {
		dst->m = (dst->m & ~wm) | wm;
	} else if (taint) {
		dst->taint = true;
		dst->m = ~wm | (m & wm);
	} else {
		dst->m = (dst->m & ~wm) | (m & wm);
	}
}

/* Does the memory operand address the loaded word (the load's base + ld)? */
static bool same_word(const struct state *s, const cs_x86_op *m, int64_t ld, int64_t *rel)
{
	int b = sg_gpr(m->mem.base);

	if (b < 0 || m->mem.index != X86_REG_INVALID || m->mem.segment != X86_REG_INVALID ||
	    !s->r[b].alias)
		return false;
	*rel = s->r[b].off + m->mem.disp;
	return word_of(*rel) == word_of(ld);
}

/*
 * and/or/xor/bts/btr/btc on register r (operand o0) with an immediate or
 * a register c: the new taint and mask. False when not modelled.
 */
static bool alu(const cs_insn *in, const cs_x86_op *o0, const cs_x86_op *o1,
		struct reg *r, const struct reg *c)
{
	unsigned int w = o0->size;
	uint64_t wm = width_mask(w), v, m = r->m & wm;
	bool bt = in->id == X86_INS_BTS || in->id == X86_INS_BTR || in->id == X86_INS_BTC;
	bool and = in->id == X86_INS_AND, xor = in->id == X86_INS_XOR;
	bool t = r->taint;

	if (high_byte(o0->reg) || !w || w > 8)
		return false;
	if (o1->type == X86_OP_IMM) {
		v = bt ? 1ull << ((uint64_t)o1->imm & (8 * w - 1)) : (uint64_t)o1->imm & wm;
		if (t)
			m |= and ? ~v & wm : v;	/* bits that may now differ */
		else if (and)
			m &= v;			/* bits that may be one */
		else
			m = in->id == X86_INS_BTR ? m & ~v : m | v;
		set_low(r, o0->reg, w, t, m);
		return true;
	}
	if (bt || o1->type != X86_OP_REG || !c || high_byte(o1->reg))
		return false;
	if (t && c->taint)
		m = xor ? ALL : m | c->m;
	else if (t || c->taint)
		m = and ? ALL : m | c->m;
	else
		m = and ? m & c->m : m | c->m;
	set_low(r, o0->reg, w, t || c->taint, m);
	return true;
}

/* Register effects of one instruction on the walk state. */
static void step_regs(struct ctx *x, const cs_insn *in, struct state *s)
{
	const cs_x86 *d = &in->detail->x86;
	const cs_x86_op *o0 = d->op_count >= 1 ? &d->operands[0] : NULL;
	const cs_x86_op *o1 = d->op_count >= 2 ? &d->operands[1] : NULL;
	cs_regs rd, wr;
	uint8_t nrd, nwr, i;
	bool any_taint = false;
	int dst = -1, src;
	struct reg *r;

	if (o0 && o0->type == X86_OP_REG && (o0->access & CS_AC_WRITE))
		dst = sg_gpr(o0->reg);
	src = o1 && o1->type == X86_OP_REG ? sg_gpr(o1->reg) : -1;
	r = dst >= 0 ? &s->r[dst] : NULL;

	if (r && dst != GPR_SP && o1) {
		unsigned int w = o0->size;
		uint64_t wm = width_mask(w);

		switch (in->id) {
		case X86_INS_MOV:
		case X86_INS_MOVABS:
			if (o1->type == X86_OP_IMM) {
				set_low(r, o0->reg, w, false, (uint64_t)o1->imm & wm);
			} else if (src >= 0) {
				struct reg c = s->r[src];

				if (w == 8 && !high_byte(o1->reg)) {
					*r = c;
				} else {
					set_low(r, o0->reg, w, c.taint, high_byte(o1->reg) ? ALL : c.m);
				}
			} else {
				/* A load; of the word itself it starts a walk of its own. */
				set_low(r, o0->reg, w, false, wm);
			}
			return;
		case X86_INS_MOVZX:
			if (src >= 0 && s->r[src].taint && !high_byte(o1->reg)) {
				uint64_t sw = width_mask(o1->size);

				set_low(r, o0->reg, w, true, (s->r[src].m & sw) | ~sw);
			} else {
				set_low(r, o0->reg, w, false,
					src >= 0 && !high_byte(o1->reg) ?
					s->r[src].m & width_mask(o1->size) : width_mask(o1->size));
			}
			return;
		case X86_INS_LEA:
			if (o1->mem.index == X86_REG_INVALID && sg_gpr(o1->mem.base) >= 0 &&
			    s->r[sg_gpr(o1->mem.base)].alias && w == 8) {
				int64_t off = s->r[sg_gpr(o1->mem.base)].off + o1->mem.disp;

				clobber(r);
				r->alias = true;
				r->off = off;
				return;
			}
			break;
		case X86_INS_ADD:
		case X86_INS_SUB:
			if (o1->type == X86_OP_IMM && r->alias && w == 8) {
				r->off += in->id == X86_INS_ADD ? o1->imm : -o1->imm;
				r->taint = false;
				return;
			}
			if (in->id == X86_INS_SUB && src == dst) {
				set_low(r, o0->reg, w, false, 0);
				return;
			}
			break;
		case X86_INS_XOR:
			if (src == dst && o1->type == X86_OP_REG && o1->reg == o0->reg) {
				set_low(r, o0->reg, w, false, 0);
				return;
			}
			/* fall through */
		case X86_INS_OR:
		case X86_INS_AND:
		case X86_INS_BTS:
		case X86_INS_BTR:
		case X86_INS_BTC:
			if (alu(in, o0, o1, r, src >= 0 ? &s->r[src] : NULL))
				return;
			break;
		default:
			break;
		}
	}
	if (in->id == X86_INS_XCHG && o0 && o1 && o0->type == X86_OP_REG &&
	    o1->type == X86_OP_REG && sg_gpr(o0->reg) >= 0 && src >= 0 && o0->size == 8) {
		struct reg t = s->r[sg_gpr(o0->reg)];

		s->r[sg_gpr(o0->reg)] = s->r[src];
		s->r[src] = t;
		return;
	}

	/* Anything else: every register written is tainted if any read one is. */
	if (cs_regs_access(x->h, in, rd, &nrd, wr, &nwr) != CS_ERR_OK)
		return;
	for (i = 0; i < nrd; i++) {
		int g = sg_gpr(rd[i]);

		any_taint |= g >= 0 && s->r[g].taint;
	}
	for (i = 0; i < nwr; i++) {
		int g = sg_gpr(wr[i]);

		if (g < 0 || g == GPR_SP)
			continue;
		clobber(&s->r[g]);
		s->r[g].taint = any_taint;
	}
}

static bool any_tainted(const struct state *s)
{
	int i;

	for (i = 0; i < 16; i++) {
		if (s->r[i].taint)
			return true;
	}
	return false;
}

/* Index of the instruction at addr in f, or -1. */
static long find_insn(const struct fn *f, uint64_t addr)
{
	size_t lo = 0, hi = f->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (f->insn[mid].address < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < f->n && f->insn[lo].address == addr ? (long)lo : -1;
}

static void note_pair(struct fn *f, size_t load, size_t store, bool known, uint64_t bits)
{
	int cur = f->best_load[store];
	const cs_insn *l = &f->insn[load], *s = &f->insn[store];

	/* The same pair again, on another path: the bits of both. */
	if (cur == (int)load) {
		f->best_known[store] &= known;
		f->best_bits[store] |= bits;
		return;
	}
	/* The closest load before the store; a load after it (a loop) only if none. */
	if (cur >= 0) {
		const cs_insn *c = &f->insn[cur];
		bool c_before = c->address < s->address, l_before = l->address < s->address;

		if (c_before && (!l_before || c->address > l->address))
			return;
		if (!c_before && !l_before && c->address > l->address)
			return;
	}
	f->best_load[store] = (int)load;
	f->best_known[store] = known;
	f->best_bits[store] = bits;
}

/* Follow the value loaded by f->insn[load] to the stores of it. */
static void walk_load(struct ctx *x, struct fn *f, size_t load)
{
	const cs_insn *li = &f->insn[load];
	const cs_x86_op *lm = &li->detail->x86.operands[f->mem[load]];
	const cs_x86_op *ldst = &li->detail->x86.operands[0];
	struct state *stack, s;
	size_t nstack = 0, steps = 0;
	int64_t ld = lm->mem.disp;
	unsigned int lo = byte_in_word(ld);
	int i;

	if (ldst->type != X86_OP_REG || sg_gpr(ldst->reg) < 0 || high_byte(ldst->reg))
		return;
	stack = sg_alloc(WALK_STACK * sizeof(*stack));
	memset(&s, 0, sizeof(s));
	for (i = 0; i < 16; i++)
		clobber(&s.r[i]);
	s.r[sg_gpr(lm->mem.base)].alias = true;
	s.r[sg_gpr(lm->mem.base)].off = 0;
	s.at = load;
	/* The loaded register: its low bytes are the word's, from byte lo. */
	step_regs(x, li, &s);
	s.r[sg_gpr(ldst->reg)].taint = true;
	s.r[sg_gpr(ldst->reg)].m = li->id == X86_INS_MOV && lm->size == 8 ? 0 :
				~width_mask(lm->size);
	s.r[sg_gpr(ldst->reg)].alias = false;
	if (sg_gpr(ldst->reg) == sg_gpr(lm->mem.base))
		s.r[sg_gpr(ldst->reg)].alias = false;
	f->gen++;
	f->seen[load] = f->gen;
	f->visits[load] = WALK_VISITS;
	s.at = load + 1;
	stack[nstack++] = s;

	while (nstack) {
		s = stack[--nstack];
		while (s.at < f->n) {
			const cs_insn *in = &f->insn[s.at];
			const cs_x86 *d = &in->detail->x86;
			const cs_x86_op *m;
			int64_t rel;
			size_t here = s.at;
			bool jump = false, end = false;
			uint64_t target = 0;
			int j;

			/* Each instruction a few times: paths with other states. */
			if (f->seen[here] != f->gen) {
				f->seen[here] = f->gen;
				f->visits[here] = 0;
			}
			if (f->visits[here]++ >= WALK_VISITS)
				break;
			if (++steps > WALK_STEPS) {
				x->rs->walk_cut++;
				nstack = 0;
				break;
			}
			m = mem_op(in, NULL);
			if (m && writes_mem(in, m) && same_word(&s, m, ld, &rel)) {
				const cs_x86_op *src = d->op_count == 2 ? &d->operands[1] : NULL;

				if (locked(in))
					break;	/* a locked write in between: no pair */
				if (in->id == X86_INS_MOV && src && src->type == X86_OP_REG &&
				    sg_gpr(src->reg) >= 0 && s.r[sg_gpr(src->reg)].taint &&
				    !high_byte(src->reg) && f->mem[here] >= 0) {
					uint64_t wm = width_mask(m->size);
					uint64_t mk = s.r[sg_gpr(src->reg)].m & wm;
					/* Same first byte as the load: register bit 0 is its bit 0. */
					bool known = rel == ld && lo + m->size <= 8 && mk != wm;

					note_pair(f, load, here, known, known ? mk : 0);
				}
			}
			if (d->op_count == 1 && d->operands[0].type == X86_OP_IMM)
				target = (uint64_t)d->operands[0].imm;
			if (in->id == X86_INS_RET || in->id == X86_INS_UD2 ||
			    in->id == X86_INS_INT3 || in->id == X86_INS_HLT) {
				end = true;
			} else if (in->id == X86_INS_JMP) {
				long t = target ? find_insn(f, target) : -1;

				if (t < 0)
					end = true;
				else
					s.at = (size_t)t;
				jump = true;
			} else if (cs_insn_group(x->h, in, X86_GRP_JUMP) || f->label[here] >= 0) {
				long t = f->label[here] >= 0 ? f->label[here] :
					 target ? find_insn(f, target) : -1;

				if (t >= 0 && nstack < WALK_STACK) {
					stack[nstack] = s;
					stack[nstack].at = (size_t)t;
					nstack++;
				}
			} else if (in->id == X86_INS_CALL) {
				for (j = 0; j < (int)(sizeof(clobbered) / sizeof(clobbered[0])); j++)
					clobber(&s.r[clobbered[j]]);
			} else {
				step_regs(x, in, &s);
			}
			if (end || !any_tainted(&s))
				break;
			if (!jump)
				s.at = here + 1;
		}
	}
	free(stack);
}

/* ---- one function range ---- */

/* sg_word_at() for the memory operand of insn[i]. */
static bool word_of_insn(struct ctx *x, const struct fn *f, size_t i, int memi,
			 struct sg_word *w)
{
	const cs_insn *in = &f->insn[i];
	const cs_x86_op *m = &in->detail->x86.operands[memi];
	struct sg_base base;

	base_info(x, f, i, sg_gpr(m->mem.base), &base);
	base.known &= flags_like(in);
	base.opsize = m->size;
	return sg_word_at(x->dw, x->d, in->address, &base, m->mem.disp, w);
}

static void classify_one(struct ctx *x, const struct fn *f, size_t i, int memi)
{
	const cs_insn *in = &f->insn[i];
	const cs_x86_op *m = &in->detail->x86.operands[memi];
	struct sg_word w;
	uint64_t bits = 0;
	bool known;

	x->rs->candidates++;
	if (!word_of_insn(x, f, i, memi, &w)) {
		x->rs->not_flags++;
		if (getenv("MS_SITEGEN_DEBUG"))
			fprintf(stderr, "REJ %llx %s %s [%s %s]\n", (unsigned long long)in->address,
				w.chain, w.helper, in->mnemonic, in->op_str);
		return;
	}
	known = insn_bits(in, m, w.byte, &bits);
	add_race(x, locked(in) ? SG_RACE_ATOMIC : SG_RACE_RMW, in, memi, NULL, -1, &w,
		 known, bits);
}

static void do_range(struct ctx *x, const struct sg_range *rg)
{
	const uint8_t *code = sg_elf_bytes(x->e, rg->lo, rg->hi - rg->lo);
	struct fn f = { 0 };
	int *mem;
	size_t i, j;

	if (!code) {
		sg_warn("no bytes for %#llx..%#llx", (unsigned long long)rg->lo,
			(unsigned long long)rg->hi);
		return;
	}
	f.n = cs_disasm(x->h, code, rg->hi - rg->lo, rg->lo, 0, &f.insn);
	if (!f.n) {
		x->rs->decode_errors++;
		return;
	}
	if (f.insn[f.n - 1].address + f.insn[f.n - 1].size != rg->hi)
		x->rs->decode_errors++;
	x->rs->funcs++;
	x->rs->insns += f.n;
	mem = sg_alloc(f.n * sizeof(*mem));
	f.mem = mem;
	f.seen = sg_alloc(f.n * sizeof(*f.seen));
	f.visits = sg_alloc(f.n * sizeof(*f.visits));
	f.best_load = sg_alloc(f.n * sizeof(*f.best_load));
	f.from = sg_alloc(f.n * sizeof(*f.from));
	for (i = 0; i < f.n; i++)
		f.from[i] = -1;
	f.label = sg_alloc(f.n * sizeof(*f.label));
	for (i = 0; i < f.n; i++) {
		const cs_x86 *d = &f.insn[i].detail->x86;
		long t;

		f.label[i] = -1;
		if (!cs_insn_group(x->h, &f.insn[i], X86_GRP_JUMP) || d->op_count != 1 ||
		    d->operands[0].type != X86_OP_IMM)
			continue;
		t = find_insn(&f, (uint64_t)d->operands[0].imm);
		if (t >= 0)
			f.from[t] = f.from[t] == -1 ? (int)i : -2;
	}
	/* Jump labels: the NOP may become a jmp to the target. */
	for (j = sg_elf_jump_from(x->e, rg->lo); j < x->e->njumps &&
	     x->e->jumps[j].code < rg->hi; j++) {
		long c = find_insn(&f, x->e->jumps[j].code);
		long t = find_insn(&f, x->e->jumps[j].target);

		if (c < 0 || t < 0)
			continue;
		f.label[c] = (int)t;
		f.from[t] = f.from[t] == -1 ? (int)c : -2;
	}
	f.best_bits = sg_alloc(f.n * sizeof(*f.best_bits));
	f.best_known = sg_alloc(f.n * sizeof(*f.best_known));
	for (i = 0; i < f.n; i++) {
		bool indexed = false;
		const cs_x86_op *m;

		f.best_load[i] = -1;
		mem[i] = plain_mem(&f.insn[i], &indexed);
		m = mem_op(&f.insn[i], NULL);
		if (m && !near_struct(x->d, m->mem.disp))
			mem[i] = -1;
		else if (indexed && m && writes_mem(&f.insn[i], m) &&
			 near_struct(x->d, m->mem.disp) && flags_like(&f.insn[i]) &&
			 f.insn[i].id != X86_INS_MOV) {
			x->rs->indexed++;
			if (getenv("MS_SITEGEN_DEBUG"))
				fprintf(stderr, "IDX %llx %s %s\n",
					(unsigned long long)f.insn[i].address, f.insn[i].mnemonic,
					f.insn[i].op_str);
		}
	}

	/* rmw and atomic: one instruction that reads and writes the word. */
	for (i = 0; i < f.n; i++) {
		const cs_insn *in = &f.insn[i];
		const cs_x86_op *m;

		if (mem[i] < 0)
			continue;
		m = &in->detail->x86.operands[mem[i]];
		if (rmw_insn(in) && writes_mem(in, m))
			classify_one(x, &f, i, mem[i]);
	}
	/* pairs: each load of a flags offset, to the stores of its value. */
	for (i = 0; i < f.n; i++) {
		const cs_insn *in = &f.insn[i];
		const cs_x86_op *m;

		if (mem[i] < 0 || (in->id != X86_INS_MOV && in->id != X86_INS_MOVZX))
			continue;
		m = &in->detail->x86.operands[mem[i]];
		if (in->detail->x86.op_count == 2 && &in->detail->x86.operands[1] == m)
			walk_load(x, &f, i);
	}
	for (i = 0; i < f.n; i++) {
		const cs_insn *st = &f.insn[i], *ld;
		struct sg_word w;
		int l = f.best_load[i];
		uint64_t bits;
		bool known;

		if (l < 0)
			continue;
		ld = &f.insn[l];
		x->rs->candidates++;
		if (!word_of_insn(x, &f, i, mem[i], &w) &&
		    !word_of_insn(x, &f, (size_t)l, mem[l], &w)) {
			x->rs->not_flags++;
			continue;
		}
		/* The register's bits from the byte the load and store both start at. */
		known = f.best_known[i] && w.byte < 8;
		bits = known ? f.best_bits[i] << (8 * w.byte) : 0;
		add_race(x, SG_RACE_PAIR, st, mem[i], ld, mem[l], &w, known, bits);
	}
	free(mem);
	free(f.seen);
	free(f.visits);
	free(f.best_load);
	free(f.from);
	free(f.label);
	free(f.best_bits);
	free(f.best_known);
	cs_free(f.insn, f.n);
}

void sg_races_find(struct sg_races *rs, const struct sg_elf *e, const struct sg_dwarf *d)
{
	struct ctx x = { .e = e, .d = d, .rs = rs };
	size_t i;

	memset(rs, 0, sizeof(*rs));
	if (d->page_flags < 0 || d->page_size <= 0 || d->folio_flags[0] < 0) {
		sg_warn("no struct page flags in the DWARF: no flags inventory");
		return;
	}
	if (cs_open(CS_ARCH_X86, CS_MODE_64, &x.h) != CS_ERR_OK ||
	    cs_open(CS_ARCH_X86, CS_MODE_64, &x.att) != CS_ERR_OK)
		sg_die("capstone: cannot open an x86-64 handle");
	cs_option(x.h, CS_OPT_DETAIL, CS_OPT_ON);
	cs_option(x.att, CS_OPT_SYNTAX, CS_OPT_SYNTAX_ATT);
	x.dw = dwarf_begin_elf(e->elf, DWARF_C_READ, NULL);
	if (!x.dw)
		sg_die("no DWARF: %s", dwarf_errmsg(-1));
	for (i = 0; i < d->nmm; i++)
		do_range(&x, &d->mm[i]);
	dwarf_end(x.dw);
	cs_close(&x.h);
	cs_close(&x.att);
}
