#!/bin/bash
# selftest.sh [-k KERNEL]: tests of the harness itself.  Boots a guest whose
# tests oops, warn, hang and panic on purpose (tests/guest/selftest-*.sh) and
# checks that the harness reports each as failed, recovers after a hang, and
# never hangs itself.  When the debug kernel is built, boots it too, with
# tests that make KASAN, lockdep, the sleep-in-atomic check and kmemleak
# report, and checks each is a failure.  Prints TAP.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

kernel=6.12
[ "${1:-}" = -k ] && kernel=$2
out=$(timeout 600 "$MS_REPO/tests/vm/run.sh" -k "$kernel" \
	selftest-oops selftest-warn selftest-hang selftest-pass selftest-panic 2>&1)
rc=$?
n=0 fail=0
expect() {	# expect DESC REGEX
	n=$((n + 1))
	if grep -qE -- "$2" <<< "$out"; then
		echo "ok $n - harness: $1"
	else
		echo "not ok $n - harness: $1"; fail=$((fail + 1))
	fi
}
expect "reports a guest oops" "^not ok .*/selftest-oops: .*kernel log: .*(BUG:|Oops)"
expect "reports a kernel WARNING" "^not ok .*/selftest-warn: kernel log: .*WARNING:"
expect "reports a test past its time limit" "^not ok .*/selftest-hang: timed out"
expect "goes on after a hung test" "^ok .*/selftest-pass: completed, kernel log clean"
expect "reports a panic and the guest's end" "^not ok .*/selftest-panic: no result.*Kernel panic"
expect "exits non-zero when tests fail" "^# vm: [0-9]+ passed, [1-9][0-9]* failed"
n=$((n + 1))
if [ $rc != 0 ] && [ $rc != 124 ]; then echo "ok $n - harness: run.sh exit status $rc on failures"
else echo "not ok $n - harness: run.sh exit status $rc on failures"; fail=$((fail + 1)); fi
[ $fail = 0 ] || printf '# %s\n' "${out//$'\n'/$'\n'# }"

# The debug kernel's checkers, in one boot (each checker reports once).
# KASAN last: its report taints the kernel, which switches lockdep off.
checks=(lockdep sleep leak kasan)
if "$MS_REPO/tests/vm/kernel-debug.sh" --cached >/dev/null; then
	f0=$fail
	out=$(timeout 1800 "$MS_REPO/tests/vm/run.sh" -k debug \
		"${checks[@]/#/selftest-}" selftest-pass 2>&1)
	expect "reports KASAN" "^not ok .*/selftest-kasan: kernel log: .*BUG: KASAN: "
	expect "reports lockdep" "^not ok .*/selftest-lockdep: kernel log: .*WARNING: possible circular locking dependency"
	expect "reports a sleep in atomic context" \
		"^not ok .*/selftest-sleep: kernel log: .*BUG: sleeping function called from invalid context"
	expect "reports a kmemleak leak" "^not ok .*/selftest-leak: kernel log: .*kmemleak: [0-9]+ new suspected memory leaks"
	expect "goes on after the checkers' reports" "^ok .*/selftest-pass: completed, kernel log clean"
	[ $fail = "$f0" ] || printf '# %s\n' "${out//$'\n'/$'\n'# }"
else
	for c in "${checks[@]}"; do
		n=$((n + 1))
		echo "ok $n - harness: reports $c # SKIP the debug kernel is not built"
	done
fi
exit $((fail > 0))
