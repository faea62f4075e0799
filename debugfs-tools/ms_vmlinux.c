// SPDX-License-Identifier: GPL-2.0
/*
 * The running kernel's DWARF vmlinux: build IDs from ELF notes, and where
 * to look. See ms_vmlinux.h.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ms_vmlinux.h"

#define NOTE_ALIGN(n)	(((n) + 3) & ~(size_t)3)
/* A vmlinux's note areas are a few KiB; more is not a kernel's. */
#define NOTES_MAX	(1 << 20)
#define BUILD_ID_MAX	((MS_BUILD_ID_HEX - 1) / 2)

int ms_note_build_id(const void *buf, size_t len, char hex[MS_BUILD_ID_HEX])
{
	const unsigned char *p = buf;
	size_t off = 0;

	while (len - off >= sizeof(Elf64_Nhdr)) {
		Elf64_Nhdr nh;
		size_t name, desc, i;

		memcpy(&nh, p + off, sizeof(nh));
		off += sizeof(nh);
		name = NOTE_ALIGN((size_t)nh.n_namesz);
		desc = NOTE_ALIGN((size_t)nh.n_descsz);
		if (name > len - off || desc > len - off - name)
			return -1;
		if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == sizeof("GNU") &&
		    !memcmp(p + off, "GNU", sizeof("GNU")) &&
		    nh.n_descsz && nh.n_descsz <= BUILD_ID_MAX) {
			for (i = 0; i < nh.n_descsz; i++)
				sprintf(hex + 2 * i, "%02x", p[off + name + i]);
			return 0;
		}
		off += name + desc;
	}
	return -1;
}

/* Read @size bytes at @off of @fd into a new buffer, or NULL. */
static void *read_at(int fd, uint64_t off, uint64_t size)
{
	void *buf;

	if (!size || size > NOTES_MAX)
		return NULL;
	buf = malloc(size);
	if (buf && pread(fd, buf, size, off) != (ssize_t)size) {
		free(buf);
		buf = NULL;
	}
	return buf;
}

/* The build ID in the note area at @off, @size of @fd: 0 or -1. */
static int area_build_id(int fd, uint64_t off, uint64_t size, char hex[MS_BUILD_ID_HEX])
{
	void *buf = read_at(fd, off, size);
	int rc = buf ? ms_note_build_id(buf, size, hex) : -1;

	free(buf);
	return rc;
}

/* Whether the file has a .debug_info section (DWARF, not just BTF). */
static bool has_debug_info(int fd, const Elf64_Ehdr *eh)
{
	Elf64_Shdr sh, strs;
	char name[sizeof(".debug_info")];
	unsigned int i;

	if (eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_shstrndx >= eh->e_shnum ||
	    pread(fd, &strs, sizeof(strs), eh->e_shoff + (uint64_t)eh->e_shstrndx * sizeof(strs)) !=
	    sizeof(strs))
		return false;
	for (i = 0; i < eh->e_shnum; i++) {
		if (pread(fd, &sh, sizeof(sh), eh->e_shoff + (uint64_t)i * sizeof(sh)) != sizeof(sh))
			return false;
		if (sh.sh_name >= strs.sh_size ||
		    pread(fd, name, sizeof(name), strs.sh_offset + sh.sh_name) != sizeof(name))
			continue;
		if (!memcmp(name, ".debug_info", sizeof(name)) && sh.sh_size)
			return true;
	}
	return false;
}

static int fd_build_id(int fd, char hex[MS_BUILD_ID_HEX], bool *dwarf)
{
	Elf64_Ehdr eh;
	unsigned int i;

	if (pread(fd, &eh, sizeof(eh), 0) != sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_ident[EI_DATA] != ELFDATA2LSB) {
		errno = ENOEXEC;
		return -1;
	}
	*dwarf = has_debug_info(fd, &eh);
	/* The program headers' PT_NOTE segments first, then SHT_NOTE sections. */
	for (i = 0; eh.e_phentsize == sizeof(Elf64_Phdr) && i < eh.e_phnum; i++) {
		Elf64_Phdr ph;

		if (pread(fd, &ph, sizeof(ph), eh.e_phoff + (uint64_t)i * sizeof(ph)) != sizeof(ph))
			break;
		if (ph.p_type == PT_NOTE && !area_build_id(fd, ph.p_offset, ph.p_filesz, hex))
			return 0;
	}
	for (i = 0; eh.e_shentsize == sizeof(Elf64_Shdr) && i < eh.e_shnum; i++) {
		Elf64_Shdr sh;

		if (pread(fd, &sh, sizeof(sh), eh.e_shoff + (uint64_t)i * sizeof(sh)) != sizeof(sh))
			break;
		if (sh.sh_type == SHT_NOTE && !area_build_id(fd, sh.sh_offset, sh.sh_size, hex))
			return 0;
	}
	errno = ENOENT;
	return -1;
}

int ms_elf_build_id(const char *path, char hex[MS_BUILD_ID_HEX], bool *dwarf)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc, err;

	if (fd < 0)
		return -1;
	rc = fd_build_id(fd, hex, dwarf);
	err = errno;
	close(fd);
	errno = err;
	return rc;
}

/*
 * Debian and Ubuntu (-dbg/-dbgsym packages), Fedora and SUSE
 * (kernel-debuginfo), then a self-built kernel's tree and /boot.
 */
static const char *const vmlinux_places[] = {
	"/usr/lib/debug/boot/vmlinux-%s",
	"/usr/lib/debug/lib/modules/%s/vmlinux",
	"/usr/lib/debug/usr/lib/modules/%s/vmlinux",
	"/lib/modules/%s/build/vmlinux",
	"/boot/vmlinux-%s",
	"/lib/modules/%s/vmlinux",
};

int ms_vmlinux_candidate(const char *sysroot, const char *release, unsigned int i,
			 char *path, size_t size)
{
	char place[256];
	int n;

	if (i >= sizeof(vmlinux_places) / sizeof(vmlinux_places[0]))
		return -1;
	n = snprintf(place, sizeof(place), vmlinux_places[i], release);
	if (n < 0 || (size_t)n >= sizeof(place))
		return -1;
	n = snprintf(path, size, "%s%s", sysroot, place);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}
