#!/bin/bash
# dbg.sh KERNEL-DIR: the DWARF vmlinux of a cached Debian kernel and the
# mapshadow site table generated from it.
#   KERNEL-DIR is a folder printed by tests/vm/kernel.sh (it holds "abi").
# A kernel built here (kernel-debug.sh) has its own vmlinux as
# KERNEL-DIR/vmlinux: that one is used.  For a Debian kernel, downloads
# linux-image-ABI-dbg (about 1 GB) once, keeps only its vmlinux as
# KERNEL-DIR/vmlinux-dbg (plus vmlinux-dbg.stamp naming the package) and
# deletes the .deb. Then builds ms-sitegen (debugfs-tools) into
# $MS_CACHE/sitegen and writes KERNEL-DIR/sites.tbl, again whenever the
# generator binary is newer than the table. Prints the path of sites.tbl.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# = 1 ] || ms_die "usage: dbg.sh KERNEL-DIR"
kdir=$(cd "$1" 2>/dev/null && pwd) || ms_die "no such kernel folder: $1"
[ -s "$kdir/abi" ] || ms_die "$kdir has no abi file (not made by tests/vm/kernel.sh?)"
abi=$(cat "$kdir/abi")
kver=$(cat "$kdir/kver" 2>/dev/null || echo "$abi")
pkg="linux-image-$abi-dbg"
vmlinux="$kdir/vmlinux-dbg"
stamp="$kdir/vmlinux-dbg.stamp"
tbl="$kdir/sites.tbl"

# The generator: one build shared by all kernels, serialised.
gen_dir="$MS_CACHE/sitegen"
gen="$gen_dir/ms-sitegen"
(
	ms_lock sitegen
	make -s -C "$MS_REPO/debugfs-tools" O="$gen_dir" sitegen >&2
) || ms_die "building ms-sitegen failed"

ms_lock "dbg-$abi"

# 1. The build's own vmlinux, or vmlinux-dbg extracted once from the -dbg
# package.
if [ -s "$kdir/vmlinux" ]; then
	vmlinux="$kdir/vmlinux"
elif [ ! -s "$vmlinux" ] || [ ! -e "$stamp" ]; then
	ms_need_root "downloading $pkg"
	debs="$MS_CACHE/debs"
	mkdir -p "$debs"
	deb=$(ls -t "$debs/${pkg}_"*.deb 2>/dev/null | head -n1 || true)
	if [ -z "$deb" ]; then
		# Download into a private folder: a half-written .deb must
		# never look like a cached one.
		dl="$debs/.dl-$pkg"
		rm -rf "$dl" && mkdir -p "$dl"
		ms_log "downloading $pkg (about 1 GB)"
		(cd "$dl" && apt-get download -q "$pkg" >/dev/null 2>&1) ||
			(cd "$dl" && apt-get download "$pkg") || ms_die "apt-get download $pkg failed"
		mv "$dl"/*.deb "$debs/"
		rm -rf "$dl"
		deb=$(ls -t "$debs/${pkg}_"*.deb | head -n1)
	fi
	ms_log "extracting the vmlinux from ${deb##*/}"
	x="$kdir/.dbg.tmp"
	rm -rf "$x" && mkdir -p "$x"
	# 6.12: usr/lib/debug/boot/vmlinux-KVER; 7.x:
	# usr/lib/debug/lib/modules/KVER/vmlinux. The other names are
	# symlinks to that one file.
	dpkg-deb --fsys-tarfile "$deb" |
		tar -x -C "$x" --wildcards '*/vmlinux-*' '*/vmlinux' ||
		ms_die "extracting the vmlinux from $deb failed"
	mapfile -t found < <(find "$x" -type f -name 'vmlinux*')
	[ ${#found[@]} = 1 ] || ms_die "expected one vmlinux in $deb, found ${#found[@]}"
	[ "$(head -c4 "${found[0]}" | od -An -tx1 | tr -d ' ')" = 7f454c46 ] ||
		ms_die "${found[0]#"$x"/} in $deb is not an ELF file"
	mv "${found[0]}" "$vmlinux.tmp"
	rm -rf "$x"
	mv "$vmlinux.tmp" "$vmlinux"
	echo "${deb##*/} ${found[0]#"$x"/}" > "$stamp.tmp"
	mv "$stamp.tmp" "$stamp"
	rm -f "$deb"
	rm -f "$tbl"
fi

# 2. sites.tbl, regenerated when the generator is newer.
if [ ! -s "$tbl" ] || [ "$gen" -nt "$tbl" ] || [ "$vmlinux" -nt "$tbl" ] || [ "$0" -nt "$tbl" ]; then
	ms_log "generating the site table of $abi"
	# The build's rmap.h decides sites its DWARF cannot (pagekind.c):
	# a self-built kernel's source tree, or a Debian kernel's headers.
	src=$(ls -d "$kdir/x/src" "$kdir"/x/usr/src/linux-headers-*-common 2>/dev/null | head -n1 || true)
	"$gen" ${src:+-I "$src"} "$vmlinux" > "$tbl.tmp" || { rm -f "$tbl.tmp"; ms_die "ms-sitegen $vmlinux failed"; }
	rel=$(sed -n 's/^release //p' "$tbl.tmp")
	if [ -n "$rel" ] && [ "$rel" != "$kver" ]; then
		rm -f "$tbl.tmp"
		ms_die "${vmlinux##*/} is release $rel, the kernel folder is $kver"
	fi
	mv "$tbl.tmp" "$tbl"
fi
echo "$tbl"
