// SPDX-License-Identifier: GPL-2.0
/*
 * The ELF side of ms-sitegen: the build id note, the kernel release from
 * linux_banner, the function symbols of .symtab (with how many symbols
 * share each name: kprobes resolve names through kallsyms, which cannot
 * tell two static functions of the same name apart) and the bytes of the
 * allocated sections, and the jump labels of __jump_table (static keys:
 * a NOP that the kernel may patch into a jump, a way into code that no
 * jump instruction shows).
 */
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <elf.h>
#include <gelf.h>

#include "sitegen.h"

static void read_build_id(struct sg_elf *e)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(e->elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *data;
		GElf_Nhdr nh;
		size_t off = 0, noff, doff;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE)
			continue;
		data = elf_getdata(scn, NULL);
		if (!data)
			continue;
		while ((off = gelf_getnote(data, off, &nh, &noff, &doff)) > 0) {
			const unsigned char *desc = (const unsigned char *)data->d_buf + doff;
			size_t i;

			if (nh.n_type != NT_GNU_BUILD_ID || nh.n_namesz != 4 ||
			    memcmp((const char *)data->d_buf + noff, "GNU", 4) ||
			    nh.n_descsz == 0 || nh.n_descsz > 64)
				continue;
			for (i = 0; i < nh.n_descsz; i++)
				sprintf(e->build_id + 2 * i, "%02x", desc[i]);
			return;
		}
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_func(const void *a, const void *b)
{
	const struct sg_sym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* How many entries of the sorted array names[] equal name. */
static unsigned int count_name(const char **names, size_t n, const char *name)
{
	size_t lo = 0, hi = n;
	unsigned int count = 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(names[mid], name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo < n && !strcmp(names[lo], name)) {
		count++;
		lo++;
	}
	return count;
}

/* "Linux version 6.12.117+deb12-amd64 (debian-kernel@...) ..." */
static void read_release(struct sg_elf *e, const GElf_Sym *sym)
{
	static const char prefix[] = "Linux version ";
	const char *s;
	size_t n;

	if (sym->st_size <= sizeof(prefix))
		return;
	s = (const char *)sg_elf_bytes(e, sym->st_value, sym->st_size);
	if (!s || strncmp(s, prefix, sizeof(prefix) - 1))
		return;
	s += sizeof(prefix) - 1;
	n = strcspn(s, " \n");
	if (n == 0 || n >= sizeof(e->release) ||
	    n > sym->st_size - (sizeof(prefix) - 1))
		return;
	memcpy(e->release, s, n);
	e->release[n] = '\0';
}

static int cmp_jump(const void *a, const void *b)
{
	const struct sg_jump *x = a, *y = b;

	return x->code < y->code ? -1 : x->code > y->code;
}

/*
 * struct jump_entry { s32 code; s32 target; long key; } with offsets
 * relative to the fields themselves (x86-64 JUMP_LABEL_RELATIVE).
 */
static void read_jumps(struct sg_elf *e, uint64_t start, uint64_t stop)
{
	const uint8_t *p = sg_elf_bytes(e, start, stop - start);
	size_t n = (stop - start) / 16, i;

	if (!p || (stop - start) % 16) {
		sg_warn("cannot read __jump_table: jump labels not followed");
		return;
	}
	e->jumps = sg_alloc(n * sizeof(*e->jumps));
	for (i = 0; i < n; i++) {
		int32_t code, target;
		uint64_t at = start + 16 * i;

		memcpy(&code, p + 16 * i, 4);
		memcpy(&target, p + 16 * i + 4, 4);
		e->jumps[i].code = at + (int64_t)code;
		e->jumps[i].target = at + 4 + (int64_t)target;
	}
	e->njumps = n;
	qsort(e->jumps, n, sizeof(*e->jumps), cmp_jump);
}

size_t sg_elf_jump_from(const struct sg_elf *e, uint64_t addr)
{
	size_t lo = 0, hi = e->njumps;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (e->jumps[mid].code < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void read_symtab(struct sg_elf *e)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	Elf_Data *data = NULL;
	const char **names;
	size_t nsyms, nnames = 0, i, j;
	GElf_Sym banner = { 0 };
	uint64_t jt_start = 0, jt_stop = 0;

	while ((scn = elf_nextscn(e->elf, scn))) {
		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_SYMTAB)
			break;
	}
	if (!scn)
		sg_die("no .symtab (is this the -dbg vmlinux?)");
	data = elf_getdata(scn, NULL);
	if (!data || !sh.sh_entsize)
		sg_die("cannot read .symtab: %s", elf_errmsg(-1));
	nsyms = sh.sh_size / sh.sh_entsize;
	names = sg_alloc(nsyms * sizeof(*names));
	e->funcs = sg_alloc(nsyms * sizeof(*e->funcs));

	for (i = 0; i < nsyms; i++) {
		GElf_Sym sym;
		const char *name;
		int type;

		if (!gelf_getsym(data, i, &sym))
			continue;
		type = GELF_ST_TYPE(sym.st_info);
		if (type == STT_SECTION || type == STT_FILE)
			continue;
		name = elf_strptr(e->elf, sh.sh_link, sym.st_name);
		if (!name || !*name)
			continue;
		names[nnames++] = name;
		if (type == STT_OBJECT && !strcmp(name, "linux_banner"))
			banner = sym;
		if (!strcmp(name, "__start___jump_table"))
			jt_start = sym.st_value;
		if (!strcmp(name, "__stop___jump_table"))
			jt_stop = sym.st_value;
		if (type == STT_FUNC && sym.st_size) {
			e->funcs[e->nfuncs].addr = sym.st_value;
			e->funcs[e->nfuncs].size = sym.st_size;
			e->funcs[e->nfuncs].name = name;
			e->nfuncs++;
		}
	}
	qsort(names, nnames, sizeof(*names), cmp_str);
	qsort(e->funcs, e->nfuncs, sizeof(*e->funcs), cmp_func);
	/* Aliases (same address): keep the first name. */
	for (i = 0, j = 0; i < e->nfuncs; i++) {
		if (j && e->funcs[j - 1].addr == e->funcs[i].addr)
			continue;
		e->funcs[j] = e->funcs[i];
		e->funcs[j].same_name = count_name(names, nnames, e->funcs[j].name);
		j++;
	}
	e->nfuncs = j;
	free(names);
	if (banner.st_value)
		read_release(e, &banner);
	if (jt_start && jt_stop > jt_start)
		read_jumps(e, jt_start, jt_stop);
}

void sg_elf_open(struct sg_elf *e, const char *path)
{
	GElf_Ehdr eh;

	memset(e, 0, sizeof(*e));
	if (elf_version(EV_CURRENT) == EV_NONE)
		sg_die("libelf too old");
	e->fd = open(path, O_RDONLY);
	if (e->fd < 0)
		sg_die("%s: %s", path, strerror(errno));
	e->elf = elf_begin(e->fd, ELF_C_READ_MMAP, NULL);
	if (!e->elf || elf_kind(e->elf) != ELF_K_ELF || !gelf_getehdr(e->elf, &eh))
		sg_die("%s: not an ELF file", path);
	if (eh.e_machine != EM_X86_64 || gelf_getclass(e->elf) != ELFCLASS64)
		sg_die("%s: not an x86-64 ELF file", path);
	read_build_id(e);
	read_symtab(e);
}

void sg_elf_close(struct sg_elf *e)
{
	free(e->funcs);
	free(e->jumps);
	elf_end(e->elf);
	close(e->fd);
}

const struct sg_sym *sg_elf_func_at(const struct sg_elf *e, uint64_t addr)
{
	size_t lo = 0, hi = e->nfuncs;

	/* The last function starting at or below addr. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (e->funcs[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	lo--;
	if (addr - e->funcs[lo].addr >= e->funcs[lo].size)
		return NULL;
	return &e->funcs[lo];
}

const uint8_t *sg_elf_bytes(const struct sg_elf *e, uint64_t addr, uint64_t len)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(e->elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *data;

		if (!gelf_getshdr(scn, &sh) || !(sh.sh_flags & SHF_ALLOC) ||
		    sh.sh_type != SHT_PROGBITS)
			continue;
		if (addr < sh.sh_addr || addr - sh.sh_addr > sh.sh_size ||
		    len > sh.sh_size - (addr - sh.sh_addr))
			continue;
		data = elf_getdata(scn, NULL);
		if (!data || !data->d_buf || data->d_size != sh.sh_size)
			return NULL;
		return (const uint8_t *)data->d_buf + (addr - sh.sh_addr);
	}
	return NULL;
}
