#!/bin/bash
# kernel.sh LINE: resolve, download and extract one Debian test kernel.
#   LINE is "6.12" (newest linux-image-6.12.*+deb12-amd64), "latest" (newest
#   Debian kernel in any configured suite, trixie-backports today), an exact
#   ABI name such as "6.12.117+deb12-amd64", or "debug": the kernel built
#   from linux-source-6.12 with the checkers on (kernel-debug.sh).
# Prints the kernel's cache folder, which holds:
#   vmlinuz  build/ (headers tree, Makefile rewritten)  modules/  kver  abi
#   needs-trixie (present when its kbuild needs a newer libc than the host's)
# Nothing is installed on the host: packages are fetched with apt-get download
# and unpacked with dpkg-deb -x.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

line=${1:-6.12}
case "$line" in
debug)	exec "$(dirname "$0")/kernel-debug.sh" ;;
6.12)	pat='^linux-headers-6\.12\.[0-9]+\+deb12-amd64$' ;;
latest)	pat='^linux-headers-[0-9]+\.[0-9]+\.[0-9]+\+deb[0-9]+-amd64$' ;;
*+deb*-amd64) pat="^linux-headers-${line//./\\.}\$"; pat=${pat//+/\\+} ;;
*)	ms_die "unknown kernel '$line' (use 6.12, latest, debug or an ABI such as 6.12.117+deb12-amd64)" ;;
esac

# Resolve the ABI. A cached answer is reused when apt cannot answer (offline).
resolved="$MS_CACHE/resolved-$(echo "$line" | tr -c 'A-Za-z0-9.\n' _)"
abi=$(apt-cache search --names-only "$pat" 2>/dev/null | cut -d' ' -f1 |
	sed 's/^linux-headers-//' | sort -V | tail -n1 || true)
if [ -z "$abi" ]; then
	[ -s "$resolved" ] || ms_die "no Debian kernel matches '$line' (did tests/vm/setup-host.sh run?)"
	abi=$(cat "$resolved")
fi
kdir="$MS_CACHE/kernels/$abi"
if [ -e "$kdir/.complete" ]; then
	echo "$abi" > "$resolved"
	echo "$kdir"
	exit 0
fi

ms_need_root "downloading kernel $abi"
ms_lock "kernel-$abi"
if [ ! -e "$kdir/.complete" ]; then
	base=${abi%-amd64}
	debs="$MS_CACHE/debs"
	mkdir -p "$debs"
	chmod 755 "$MS_CACHE" "$debs" 2>/dev/null || true
	# 6.12 ships image+modules in one package; 7.x splits binary/base/modules.
	cands="linux-image-$abi-unsigned linux-binary-unsigned-$abi linux-base-$abi
	       linux-modules-$abi linux-headers-$abi linux-headers-$base-common linux-kbuild-$base"
	pkgs=""
	for p in $cands; do
		apt-cache show "$p" >/dev/null 2>&1 && pkgs="$pkgs $p"
	done
	ms_log "downloading$pkgs"
	(cd "$debs" && apt-get download -q $pkgs >/dev/null 2>&1) ||
		(cd "$debs" && apt-get download $pkgs) || ms_die "apt-get download failed"
	rm -rf "$kdir.tmp"
	mkdir -p "$kdir.tmp/x"
	for p in $pkgs; do
		deb=$(ls -t "$debs/${p}_"*.deb | head -n1)
		dpkg-deb -x "$deb" "$kdir.tmp/x"
	done
	x="$kdir.tmp/x"
	kver=$(ls "$x/usr/src" | grep -- "-amd64$" | sed 's/^linux-headers-//' | head -n1)
	[ -n "$kver" ] || ms_die "no headers tree in the $abi packages"
	vmlinuz=$(find "$x" \( -name 'vmlinuz-*' -o -name 'vmlinuz.unsigned' \) -type f | sort | head -n1)
	[ -n "$vmlinuz" ] || ms_die "no vmlinuz in the $abi packages"
	ln -s "x${vmlinuz#"$x"}" "$kdir.tmp/vmlinuz"
	if [ -d "$x/usr/lib/modules/$kver" ]; then
		modbase=usr
	else
		modbase=.
	fi
	ln -s "x/$modbase/lib/modules/$kver" "$kdir.tmp/modules"
	echo "$modbase" > "$kdir.tmp/modbase"
	# The packages ship no modules.dep: the guest's modprobe needs one.
	depmod -b "$x/$modbase" "$kver"
	# The headers' Makefile includes the -common tree by its absolute
	# /usr/src path: point it at the extracted copy (its final location).
	hdr="$x/usr/src/linux-headers-$kver"
	sed -i "s|/usr/src/|$kdir/x/usr/src/|g" "$hdr/Makefile"
	ln -s "x/usr/src/linux-headers-$kver" "$kdir.tmp/build"
	echo "$kver" > "$kdir.tmp/kver"
	echo "$abi" > "$kdir.tmp/abi"
	# A kbuild linked against a newer glibc than the host's runs in the trixie root.
	kb=$(ls -t "$debs/linux-kbuild-${base}_"*.deb | head -n1)
	need=$(dpkg-deb -f "$kb" Depends | grep -o 'libc6 (>= [^)]*)' | sed 's/.*>= //;s/)//')
	have=$(dpkg-query -W -f='${Version}' libc6)
	if [ -n "$need" ] && dpkg --compare-versions "$have" lt "$need"; then
		touch "$kdir.tmp/needs-trixie"
	fi
	rm -rf "$kdir"
	mv "$kdir.tmp" "$kdir"
	touch "$kdir/.complete"
fi
echo "$abi" > "$resolved"
echo "$kdir"
