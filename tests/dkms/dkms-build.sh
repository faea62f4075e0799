#!/bin/bash
# dkms-build.sh: "dkms add" + "dkms build" of this tree against the extracted
# 6.12 headers and, when it is built, the debug kernel's own build tree
# (tests/vm/kernel-debug.sh; a SKIP otherwise), in private dkms/source trees
# (the host's /var/lib/dkms and /usr/src are not touched), plus the refusal
# of a kernel older than 6.12.  Prints TAP.
set -uo pipefail
. "$(dirname "$0")/../vm/lib.sh"

tap_begin dkms
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
kdir=$("$MS_REPO/tests/vm/kernel.sh" 6.12) || exit 1
kver=$(cat "$kdir/kver")
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$MS_REPO/dkms.conf")
src="$tmp/src/mapshadow-$ver"
mkdir -p "$src" "$tmp/tree" "$tmp/install"
cp -r "$MS_REPO/Kbuild" "$MS_REPO/Makefile" "$MS_REPO/dkms.conf" "$MS_REPO/module" "$src/"
D=(dkms --sourcetree "$tmp/src" --dkmstree "$tmp/tree" --installtree "$tmp/install")

check "add" "${D[@]}" add -m mapshadow -v "$ver"
# built KDIR WHAT: dkms build against a kernel folder from kernel.sh.
built() {
	local k v
	k=$1 v=$(cat "$1/kver")
	check "build for $v ($2)" "${D[@]}" build -m mapshadow -v "$ver" -k "$v" \
		--kernelsourcedir "$k/build"
	check "built mapshadow.ko for $v" test -f "$tmp/tree/mapshadow/$ver/$v/x86_64/module/mapshadow.ko"
	# The version has one home (dkms.conf); Kbuild passes it to the module.
	check "its version is dkms.conf's, $ver" test "$(modinfo -F version \
		"$tmp/tree/mapshadow/$ver/$v/x86_64/module/mapshadow.ko")" = "$ver"
}
built "$kdir" "Debian headers"
if dkdir=$("$MS_REPO/tests/vm/kernel-debug.sh" --cached); then
	built "$dkdir" "the debug kernel's build tree"
else
	ok "build for the debug kernel # SKIP not built (make check-debug)"
fi
# A 6.1 kernel is refused by BUILD_EXCLUSIVE (exit 77), not built.
refused() {
	"${D[@]}" build -m mapshadow -v "$ver" -k 6.1.0-99-amd64 \
		--kernelsourcedir "$kdir/build"
	[ $? = 77 ]
}
check "refuses a kernel older than 6.12" refused
# The same headers, but a PREEMPT_RT configuration: refused (77) too.
rt="$tmp/rt-build"
mkdir -p "$rt"
for f in "$kdir/build"/* "$kdir/build"/.[!.]*; do
	ln -s "$(readlink -f "$f")" "$rt/${f##*/}"
done
rm -f "$rt/.config"
{ grep -v 'CONFIG_PREEMPT_RT' "$kdir/build/.config"; echo CONFIG_PREEMPT_RT=y; } > "$rt/.config"
refused_rt() {
	"${D[@]}" build --force -m mapshadow -v "$ver" -k "$kver" --kernelsourcedir "$rt"
	[ $? = 77 ]
}
check "refuses a PREEMPT_RT kernel" refused_rt
"${D[@]}" remove -m mapshadow -v "$ver" --all >/dev/null 2>&1
tap_end
