# Shared helpers for the mapshadow VM harness. Sourced, not run.
# shellcheck shell=bash

MS_CACHE=${MAPSHADOW_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mapshadow}
MS_MIRROR=${MAPSHADOW_MIRROR:-http://deb.debian.org/debian}
MS_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

ms_log() { echo "[mapshadow] $*" >&2; }
ms_die() { echo "[mapshadow] error: $*" >&2; exit 1; }

# ms_lock NAME: serialise cache writers (parallel make, two users).
ms_lock() {
	mkdir -p "$MS_CACHE/locks"
	exec {MS_LOCK_FD}>"$MS_CACHE/locks/$1"
	flock "$MS_LOCK_FD"
}

ms_need_root() {
	[ "$(id -u)" = 0 ] || ms_die "$1 needs root (apt, chroot, mounts); run it with sudo"
}

# ms_in_root ROOT CMD...: run CMD inside the trixie root with /proc, /dev and
# the cache visible at their usual paths (kbuild's objtool reads /proc).
ms_in_root() {
	local root=$1; shift
	unshare --mount --propagation private -- bash -c '
		set -e
		root=$1 cache=$2; shift 2
		mount -t proc proc "$root/proc"
		mount --rbind /dev "$root/dev"
		mkdir -p "$root/$cache"
		mount --bind "$cache" "$root/$cache"
		exec chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root "$@"
	' ms_in_root "$root" "$MS_CACHE" "$@"
}

# ms_kbuild KDIR ARGS...: make -C the kernel tree, in the trixie root when
# the kernel's kbuild needs a newer libc than the host has.
ms_kbuild() {
	local kdir=$1; shift
	if [ -e "$kdir/needs-trixie" ]; then
		local root
		root=$("$MS_REPO/tests/vm/mkroot.sh")
		ms_in_root "$root" make -C "$kdir/build" "$@"
	else
		make -C "$kdir/build" "$@"
	fi
}

# Host-side TAP: ms_tap_begin NAME sets up; ms_t DESC CMD... prints one
# "ok"/"not ok" line from CMD's exit status (its output shown on failure),
# ms_t_skip DESC WHY a skipped one; ms_tap_end exits 1 if anything failed.
ms_tap_begin() {
	MS_TAP_NAME=$1 MS_TAP_N=0 MS_TAP_FAIL=0
	MS_TAP_TMP=$(mktemp -d)
	trap 'rm -rf "$MS_TAP_TMP"' EXIT
}
ms_t() {
	MS_TAP_N=$((MS_TAP_N + 1))
	if "${@:2}" >"$MS_TAP_TMP/out" 2>&1; then
		echo "ok $MS_TAP_N - $MS_TAP_NAME: $1"
	else
		echo "not ok $MS_TAP_N - $MS_TAP_NAME: $1"
		sed 's/^/# /' "$MS_TAP_TMP/out" | tail -n 30
		MS_TAP_FAIL=$((MS_TAP_FAIL + 1))
	fi
}
# ms_t_skip DESC WHY: an "ok ... # SKIP WHY" line.
ms_t_skip() {
	MS_TAP_N=$((MS_TAP_N + 1))
	echo "ok $MS_TAP_N - $MS_TAP_NAME: $1 # SKIP $2"
}
ms_tap_end() {
	exit $((MS_TAP_FAIL > 0))
}
