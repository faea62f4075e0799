/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Finding the running kernel's DWARF vmlinux for "mapshadow sites
 * generate": the GNU build ID from an ELF note area (the kernel's own,
 * /sys/kernel/notes, or a vmlinux's PT_NOTE segments and SHT_NOTE
 * sections) and the usual places distributions and self-builders put the
 * vmlinux. ms_note_build_id() is pure; the rest reads files.
 */
#ifndef MS_VMLINUX_H
#define MS_VMLINUX_H

#include <stdbool.h>
#include <stddef.h>

/* A build ID as lowercase hex: up to 64 bytes of ID, NUL-terminated. */
#define MS_BUILD_ID_HEX	129

/*
 * The GNU build ID (name "GNU", type NT_GNU_BUILD_ID) among the ELF notes
 * in @buf, as hex into @hex. Returns 0, or -1 when there is none or the
 * notes are malformed (a note running past the end stops the walk).
 */
int ms_note_build_id(const void *buf, size_t len, char hex[MS_BUILD_ID_HEX]);

/*
 * The build ID of the ELF file @path, and in *@dwarf whether it has DWARF
 * (a .debug_info section: Debian's headers ship a BTF-only vmlinux with
 * the same build ID). Returns 0; or -1 with errno set (ENOEXEC: not a
 * 64-bit little-endian ELF file; ENOENT: no build ID note in it).
 */
int ms_elf_build_id(const char *path, char hex[MS_BUILD_ID_HEX], bool *dwarf);

/*
 * The @i-th place a DWARF vmlinux of release @release is looked for,
 * below @sysroot ("" for /), into @path; returns -1 past the last.
 */
int ms_vmlinux_candidate(const char *sysroot, const char *release, unsigned int i,
			 char *path, size_t size);

#endif /* MS_VMLINUX_H */
