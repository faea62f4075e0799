#!/bin/bash
# build.sh KERNEL-DIR: build mapshadow.ko and the test-only modules for one
# kernel from kernel.sh, out of tree in the cache (the repo stays clean).
# Prints the folder holding the .ko files.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kdir=${1:?usage: build.sh KERNEL-DIR}
abi=$(cat "$kdir/abi")
# One build folder per kernel and source tree: two checkouts sharing the
# cache must not build over each other (make trusts timestamps).
tree=$(printf '%s' "$MS_REPO" | sha256sum | cut -c1-8)
out="$MS_CACHE/build/$abi/$tree"
ms_lock "build-$abi-$tree"
mkdir -p "$out/src"
# Copy only what kbuild needs.  A file is copied (and so newer than its
# objects) only when its content changed: keeping the source's own time
# would let an edit older than the last build go unbuilt (stale objects).
rsync -rlp --checksum --delete --exclude '*.o' --exclude '*.ko' --exclude '.*.cmd' \
	"$MS_REPO/Kbuild" "$MS_REPO/dkms.conf" "$MS_REPO/module" "$MS_REPO/tests" "$out/src/"
log="$out/build.log"
if ! ms_kbuild "$kdir" M="$out/src" W=1 modules >"$log" 2>&1; then
	cat "$log" >&2
	ms_die "building mapshadow for $abi failed"
fi
for t in "$out"/src/tests/kmod/*/; do
	[ -e "$t/Kbuild" ] || continue
	if ! ms_kbuild "$kdir" M="$t" W=1 modules >>"$log" 2>&1; then
		cat "$log" >&2
		ms_die "building test module $t for $abi failed"
	fi
done
if grep -q 'warning:' "$log"; then
	grep 'warning:' "$log" >&2
	ms_die "W=1 warnings building for $abi"
fi
mkdir -p "$out/ko"
cp "$out/src/mapshadow.ko" "$out/ko/"
for k in "$out"/src/tests/kmod/*/*.ko; do
	[ -e "$k" ] && cp "$k" "$out/ko/"
done
echo "$out/ko"
