#!/bin/bash
# kernel-debug.sh [--cached]: build (once, cached) the debug test kernel,
# KERNEL=debug: Debian's linux-source-6.12 configured as x86_64_defconfig +
# kvm_guest.config + tests/vm/debug.config (lockdep, KASAN, DEBUG_VM,
# page_table_check, kmemleak, debugobjects, full DWARF), the kernel an mm
# developer builds for themselves rather than a distro package.
# Prints the kernel's cache folder, laid out like kernel.sh's:
#   vmlinuz  build/ (the O= build tree: KDIR for out-of-tree modules)
#   modules/  kver  abi  modbase  .complete
# plus vmlinux (the build's own DWARF vmlinux, for dbg.sh) and build-time
# (wall and CPU time of the build: it depends on what else the host runs).
# The folder's name is keyed on debug.config, the linux-source version and
# this recipe's version, so changing any of them builds a new kernel.
# With --cached: print the folder if that kernel is already built, else
# exit 1 without building (make check runs the debug lane only then).
# The build runs under nice and resumes where it stopped when interrupted.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

cached_only=0
[ "${1:-}" = --cached ] && cached_only=1

# Bump when the recipe below changes what is built.
RECIPE=1
frag="$MS_REPO/tests/vm/debug.config"
pkg=linux-source-6.12
debs="$MS_CACHE/debs"

# The source version: apt's candidate, else the last one resolved (offline).
resolved="$MS_CACHE/resolved-debug-src"
srcver=$(LC_ALL=C apt-cache policy "$pkg" 2>/dev/null | sed -n 's/^ *Candidate: //p')
case $srcver in
''|'(none)')
	[ -s "$resolved" ] || ms_die "no $pkg in apt (did tests/vm/setup-host.sh run?)"
	srcver=$(cat "$resolved") ;;
esac
key=$(printf '%s\n' "$srcver" "$RECIPE" | cat - "$frag" | sha256sum | cut -c1-8)
abi="debug-$(echo "$srcver" | tr -c 'A-Za-z0-9.+\n' _)-$key"
kdir="$MS_CACHE/kernels/$abi"
if [ -e "$kdir/.complete" ]; then
	echo "$kdir"
	exit 0
fi
[ $cached_only = 0 ] || exit 1

ms_need_root "building the debug kernel"
ms_lock "kernel-$abi"
if [ -e "$kdir/.complete" ]; then
	echo "$kdir"
	exit 0
fi
echo "$srcver" > "$resolved"
start=$SECONDS
src="$kdir/x/src" obj="$kdir/x/obj"
# Built in place (not in a .tmp folder renamed at the end): the O= tree
# names its source tree by absolute path.  .complete marks it usable.
if [ ! -e "$src/.extracted" ]; then
	deb=$(ls -t "$debs/${pkg}_$(echo "$srcver" | sed 's/:/%3a/')_"*.deb 2>/dev/null | head -n1 || true)
	if [ -z "$deb" ]; then
		mkdir -p "$debs"
		ms_log "downloading $pkg $srcver"
		(cd "$debs" && apt-get download -q "$pkg=$srcver" >/dev/null 2>&1) ||
			(cd "$debs" && apt-get download "$pkg=$srcver") || ms_die "apt-get download $pkg failed"
		deb=$(ls -t "$debs/${pkg}_"*.deb | head -n1)
	fi
	ms_log "extracting ${deb##*/}"
	rm -rf "$kdir"
	mkdir -p "$src"
	dpkg-deb --fsys-tarfile "$deb" | tar -xO "./usr/src/$pkg.tar.xz" |
		tar -xJ -C "$src" --strip-components=1 || ms_die "extracting $deb failed"
	touch "$src/.extracted"
fi

kmake() { nice -n 10 make -C "$src" O="$obj" "$@"; }
if [ ! -e "$obj/.config.checked" ]; then
	# The fragment goes where kbuild looks for "make NAME.config".
	cp "$frag" "$src/kernel/configs/msdebug.config"
	kmake -s x86_64_defconfig kvm_guest.config msdebug.config >/dev/null ||
		ms_die "configuring the debug kernel failed"
	# olddefconfig drops what a dependency forbids without a word:
	# every line of the fragment must have survived.
	bad=""
	while IFS= read -r l; do
		case $l in
		CONFIG_*=*) grep -qxF -- "$l" "$obj/.config" || bad="$bad ${l%%=*}" ;;
		"# CONFIG_"*" is not set")
			o=${l#\# }; o=${o%% *}
			grep -q "^$o=" "$obj/.config" && bad="$bad $o" ;;
		esac
	done < "$frag"
	[ -z "$bad" ] || ms_die "debug.config options not in the final .config:$bad"
	touch "$obj/.config.checked"
fi

ms_log "building the debug kernel in $obj (about half an hour on 2 cores, once)"
log="$kdir/build.log"
if ! kmake -j"$(nproc)" all >"$log" 2>&1; then
	tail -n 40 "$log" >&2
	ms_die "building the debug kernel failed (log: $log)"
fi
kver=$(make -s -C "$src" O="$obj" kernelrelease)
rm -rf "$kdir/x/lib"
kmake -s INSTALL_MOD_PATH="$kdir/x" INSTALL_MOD_STRIP=1 modules_install >>"$log" 2>&1 ||
	ms_die "modules_install of the debug kernel failed (log: $log)"
# Objects are only needed to rebuild the kernel: out-of-tree module builds
# need the tree's scripts, tools (objtool), headers, Module.symvers and
# vmlinux (module BTF).  This saves most of the cache's size.
find "$obj" \( -path "$obj/scripts" -o -path "$obj/tools" \) -prune -o \
	\( -name '*.o' -o -name '*.ko' -o -name '.tmp_vmlinux*' -o -name 'vmlinux.a' \) \
	-type f -print0 | xargs -0 rm -f
ln -sfn x/obj "$kdir/build"
ln -sfn x/obj/arch/x86/boot/bzImage "$kdir/vmlinuz"
ln -sfn x/obj/vmlinux "$kdir/vmlinux"
ln -sfn "x/lib/modules/$kver" "$kdir/modules"
echo . > "$kdir/modbase"
echo "$kver" > "$kdir/kver"
echo "$abi" > "$kdir/abi"
# "times" in this shell: in a pipe or $(...) it would count a subshell's.
times > "$kdir/.times"
echo "$((SECONDS - start)) s wall, CPU user/sys $(tail -n1 "$kdir/.times"), $(nproc) cores" > "$kdir/build-time"
rm -f "$kdir/.times"
touch "$kdir/.complete"
ms_log "debug kernel $kver built: $(cat "$kdir/build-time"); $(du -sh "$kdir" | cut -f1) in the cache"
# A new key leaves the older debug kernels behind: say so, another
# checkout may still use them.
for old in "$MS_CACHE"/kernels/debug-*; do
	[ "$old" = "$kdir" ] || ms_log "older debug kernel in the cache (remove it when unused): $old"
done
echo "$kdir"
