#!/bin/bash
# dkms-build.sh: "dkms add" + "dkms build" of this tree against the extracted
# 6.12 headers, in private dkms/source trees (the host's /var/lib/dkms and
# /usr/src are not touched), plus the refusal of a kernel older than 6.12.
# Prints TAP.
set -uo pipefail
. "$(dirname "$0")/../vm/lib.sh"

n=0 fail=0
t() {	# t DESC CMD...
	n=$((n + 1))
	if "${@:2}" >"$tmp/out" 2>&1; then echo "ok $n - dkms: $1"
	else echo "not ok $n - dkms: $1"; sed 's/^/# /' "$tmp/out" | tail -n 20; fail=$((fail + 1)); fi
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
kdir=$("$MS_REPO/tests/vm/kernel.sh" 6.12) || exit 1
kver=$(cat "$kdir/kver")
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$MS_REPO/dkms.conf")
src="$tmp/src/mapshadow-$ver"
mkdir -p "$src" "$tmp/tree" "$tmp/install"
cp -r "$MS_REPO/Kbuild" "$MS_REPO/Makefile" "$MS_REPO/dkms.conf" "$MS_REPO/module" "$src/"
D=(dkms --sourcetree "$tmp/src" --dkmstree "$tmp/tree" --installtree "$tmp/install")

t "dkms.conf version matches the module's" \
	grep -q "MS_VERSION \"$ver\"" "$MS_REPO/module/mapshadow.h"
t "add" "${D[@]}" add -m mapshadow -v "$ver"
t "build for $kver" "${D[@]}" build -m mapshadow -v "$ver" -k "$kver" \
	--kernelsourcedir "$kdir/build"
t "built mapshadow.ko" test -f "$tmp/tree/mapshadow/$ver/$kver/x86_64/module/mapshadow.ko"
# A 6.1 kernel is refused by BUILD_EXCLUSIVE (exit 77), not built.
refused() {
	"${D[@]}" build -m mapshadow -v "$ver" -k 6.1.0-99-amd64 \
		--kernelsourcedir "$kdir/build"
	[ $? = 77 ]
}
t "refuses a kernel older than 6.12" refused
"${D[@]}" remove -m mapshadow -v "$ver" --all >/dev/null 2>&1
exit $((fail > 0))
