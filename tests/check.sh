#!/bin/bash
# make check: host unit tests, lint, a dkms build, the harness's self-tests,
# and the in-guest tests on every supported kernel.  Installs what it needs
# (apt packages, kernels, the guest root: cached in ~/.cache/mapshadow).
# The debug kernel (tests/vm/kernel-debug.sh) is tested only when it is
# already built: building it takes longer than the rest of a cold run.  And
# then only a smoke set (DEBUG_SMOKE: the debugfs files, load and unload
# under load, the site handlers in the int3 trap, the injected faults,
# kmemleak after unload), with the site table, because the
# checkers slow it down 3-4x: make check-debug runs the whole suite on it.
# check.sh --debug (make check-debug): build the debug kernel if needed and
# run only the dkms build and the in-guest tests, on it.
# Prints TAP; the last line is "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
debug_only=0 debug_smoke=""
[ "${1:-}" = --debug ] && debug_only=1

tests/vm/setup-host.sh || { echo "0 passed, 1 failed"; exit 1; }
if [ $debug_only = 1 ]; then
	KERNELS=debug
	tests/vm/kernel-debug.sh >/dev/null || { echo "0 passed, 1 failed"; exit 1; }
elif [ -z "${KERNELS:-}" ]; then
	KERNELS="6.12 latest"
	if tests/vm/kernel-debug.sh --cached >/dev/null; then
		debug_smoke=${DEBUG_SMOKE:-debugfs load-unload sites-nmi inject inject-dropped flag-inject unload-full unload-leaks}
	else
		echo "# debug kernel not built: its lane is skipped (make check-debug builds it, once)"
	fi
fi

pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
section() {	# section NAME CMD...
	local name=$1 rc p f; shift
	echo "# ---- $name: $*"
	start=$SECONDS
	"$@" 2> >(sed -u 's/^/# /' >&2) | tee "$tmp/$name"
	rc=${PIPESTATUS[0]}
	p=$(grep -c '^ok ' "$tmp/$name")
	f=$(grep -c '^not ok ' "$tmp/$name")
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		echo "not ok - $name: exited with status $rc"
		f=1
	fi
	echo "# ---- $name: $p passed, $f failed ($((SECONDS - start)) s)"
	pass=$((pass + p)) fail=$((fail + f))
}

if [ $debug_only = 0 ]; then
	section unit make -s -C tests/unit check
	section fuzz make -s -C tests/fuzz check
	section lint tests/lint.sh
fi
section dkms tests/dkms/dkms-build.sh
[ $debug_only = 1 ] || section harness tests/vm/selftest.sh
kargs=()
for k in $KERNELS; do kargs+=(-k "$k"); done
section vm tests/vm/run.sh "${kargs[@]}"
# The kernel bugs make fuzz found, replayed (tests/fuzz/bugs/): a guest of
# their own, with the fuzz lane's 1 GiB aligned device-dax region.
section vm-fuzz-bugs env MS_MEM=7G MS_APPEND='memmap=2G!4G' \
	tests/vm/run.sh "${kargs[@]}" $(cd tests/guest && ls fuzz-bug-*.sh | sed 's/\.sh$//')
# shellcheck disable=SC2086 # a list of test names
[ -z "$debug_smoke" ] || section vm-debug tests/vm/run.sh -k debug $debug_smoke
echo "$pass passed, $fail failed"
[ $fail = 0 ]
