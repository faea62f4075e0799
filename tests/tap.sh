# One TAP helper for every shell test in the tree: the host scripts
# (tests/lint.sh, tests/dkms/), the unit tests' shell tests and the in-guest
# tests (copied into the guest with them).  Sourced, not run.
# shellcheck shell=bash
#
#   tap_begin [PREFIX]   start counting; PREFIX goes before each description
#   check DESC CMD...    one assertion from CMD's exit status.  CMD's output
#                        is kept and shown as "# " lines only if it fails,
#                        then TAP_ON_FAIL (a command, if set) runs.  Returns
#                        CMD's status, so "check ... || diag ..." explains.
#   ok DESC, not_ok DESC one assertion decided by the caller
#   diag TEXT...         a "# " line
#   tap_end              exit status 1 if anything failed, else 0
# Lines are kselftest's: "ok N - DESC", "not ok N - DESC".

TAP_N=0 TAP_FAILED=0 TAP_PREFIX=""

tap_begin() {
	TAP_N=0 TAP_FAILED=0 TAP_PREFIX=${1:+$1: }
}

ok() {
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N - $TAP_PREFIX$*"
}

not_ok() {
	TAP_N=$((TAP_N + 1))
	TAP_FAILED=$((TAP_FAILED + 1))
	echo "not ok $TAP_N - $TAP_PREFIX$*"
}

diag() {
	echo "# $*"
}

# Its locals are _tap_*: CMD may read the caller's variables by any name.
check() {
	local _tap_desc=$1 _tap_log _tap_rc=0
	shift
	_tap_log=$(mktemp "${TMPDIR:-/tmp}/tap.XXXXXX")
	"$@" >"$_tap_log" 2>&1 || _tap_rc=$?
	if [ $_tap_rc = 0 ]; then
		ok "$_tap_desc"
	else
		not_ok "$_tap_desc"
		echo "# exit status $_tap_rc"
		tail -n 30 "$_tap_log" | sed 's/^/# /'
		[ -z "${TAP_ON_FAIL:-}" ] || $TAP_ON_FAIL
	fi
	rm -f "$_tap_log"
	return $_tap_rc
}

# The plan and kselftest's totals line, for runners that read them.
tap_totals() {
	echo "1..$TAP_N"
	echo "# Totals: pass:$((TAP_N - TAP_FAILED)) fail:$TAP_FAILED"
}

tap_end() {
	[ "$TAP_FAILED" = 0 ]
}
