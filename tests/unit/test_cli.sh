#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# test_cli.sh: the mapshadow CLI against fake debugfs directories built in a
# temporary directory: output and exit status for good files, a missing
# directory (module not loaded), malformed files, unreadable files and
# usage errors. TAP on stdout.
#
# MAPSHADOW names the binary (tests/unit/Makefile sets it); by default the
# one built in debugfs-tools/.
set -u

here=$(cd "$(dirname "$0")" && pwd)
MAPSHADOW=${MAPSHADOW:-$here/../../debugfs-tools/mapshadow}
unset MAPSHADOW_DEBUGFS

n=0
passed=0
failed=0

if [ ! -x "$MAPSHADOW" ]; then
	echo "Bail out! no mapshadow binary at $MAPSHADOW (make -C debugfs-tools)"
	echo "# Totals: pass:0 fail:1"
	exit 1
fi

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# run ARGS...: run the CLI, leaving $out, $err and $rc.
run() {
	"$MAPSHADOW" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}

report() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
		passed=$((passed + 1))
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
		echo "# exit status $rc"
		sed 's/^/# stdout: /' "$tmp/out"
		sed 's/^/# stderr: /' "$tmp/err"
	fi
}

# t DESC COMMAND...: one test, passing when COMMAND succeeds.
t() {
	local desc=$1

	shift
	"$@"
	report $? "$desc"
}

skip() {
	n=$((n + 1))
	passed=$((passed + 1))
	echo "ok $n - $1 # SKIP $2"
}

is_rc() { [ "$rc" = "$1" ]; }
out_is() { [ "$out" = "$1" ]; }
err_is() { [ "$err" = "$1" ]; }
# Usage and runtime errors: nothing on stdout, exactly one line on stderr.
one_error_line() { [ -z "$out" ] && [ -n "$err" ] && [ "$(wc -l <"$tmp/err")" = 1 ]; }
err_has() { case $err in *"$1"*) return 0 ;; esac; return 1; }
out_has() { case $out in *"$1"*) return 0 ;; esac; return 1; }

# --- fake debugfs directories ---------------------------------------------

good=$tmp/good
mkdir "$good"
cat >"$good/stats" <<'EOF'
version: 0.1.0
enabled: 1
hooks_armed: 2
hooks_total: 3
events: 12345
EOF
cat >"$good/hooks" <<'EOF'
# target                      mechanism      state  hits      missed  reason
folio_add_anon_rmap_ptes      kprobe-ftrace  armed  1234      0       -
folio_add_file_rmap_pud       kprobe         off    0         0       symbol-not-found
mm_page_free                  tracepoint     armed  99999     0       -
EOF

badstats=$tmp/badstats
mkdir "$badstats"
cp "$good/hooks" "$badstats/hooks"
printf 'version: 0.1.0\nenabled: 1\nhooks_armed 2\nevents: 5\n' >"$badstats/stats"

negstats=$tmp/negstats
mkdir "$negstats"
cp "$good/hooks" "$negstats/hooks"
printf 'version: 0.1.0\nevents: -5\n' >"$negstats/stats"

badhooks=$tmp/badhooks
mkdir "$badhooks"
cp "$good/stats" "$badhooks/stats"
head -n 2 "$good/hooks" >"$badhooks/hooks"
echo "folio_remove_rmap_ptes kprobe armed 5 0" >>"$badhooks/hooks"

nohooks=$tmp/nohooks
mkdir "$nohooks"
cp "$good/stats" "$nohooks/stats"

# --- good files -------------------------------------------------------------

run -d "$good" status
t "status: exit 0" is_rc 0
t "status: summary" out_is "mapshadow: loaded, version 0.1.0, enabled
hooks: 2 of 3 armed
  off: folio_add_file_rmap_pud (kprobe): symbol-not-found
events: 12345"
t "status: nothing on stderr" err_is ""

run -d "$good" stats
t "stats: exit 0" is_rc 0
t "stats: aligned table" out_is "STAT         VALUE
version      0.1.0
enabled      1
hooks_armed  2
hooks_total  3
events       12345"

run -d "$good" hooks
t "hooks: exit 0" is_rc 0
t "hooks: aligned table" out_is "TARGET                    MECHANISM      STATE   HITS  MISSED  REASON
folio_add_anon_rmap_ptes  kprobe-ftrace  armed   1234       0  -
folio_add_file_rmap_pud   kprobe         off        0       0  symbol-not-found
mm_page_free              tracepoint     armed  99999       0  -"

run -d "$good" hooks --off
t "hooks --off: exit 0" is_rc 0
t "hooks --off: only the hooks that are off" out_is \
"TARGET                   MECHANISM  STATE  HITS  MISSED  REASON
folio_add_file_rmap_pud  kprobe     off       0       0  symbol-not-found"

MAPSHADOW_DEBUGFS=$good run stats
t "MAPSHADOW_DEBUGFS selects the directory" is_rc 0

MAPSHADOW_DEBUGFS=$tmp/missing run -d "$good" stats
t "-d overrides MAPSHADOW_DEBUGFS" is_rc 0

run -d "$nohooks" stats
t "stats does not need the hooks file" is_rc 0

# --- runtime errors: exit 1 -------------------------------------------------

run -d "$tmp/missing" status
t "missing dir: exit 1" is_rc 1
t "missing dir: module not loaded message" err_is \
	"mapshadow: module not loaded (no $tmp/missing); load it with insmod mapshadow.ko"
t "missing dir: one line on stderr" one_error_line

MAPSHADOW_DEBUGFS=$tmp/missing run hooks
t "missing dir from MAPSHADOW_DEBUGFS: exit 1" is_rc 1
t "missing dir from MAPSHADOW_DEBUGFS: message" err_has "module not loaded"

run -d "$badstats" stats
t "malformed stats: exit 1" is_rc 1
t "malformed stats: file, line and reason" err_is \
	"mapshadow: $badstats/stats:3: malformed line (missing ':')"
t "malformed stats: one line on stderr" one_error_line

run -d "$badstats" status
t "status with malformed stats: exit 1" is_rc 1
t "status with malformed stats: no partial summary" one_error_line

run -d "$negstats" stats
t "negative counter: exit 1" is_rc 1
t "negative counter: malformed line" err_is \
	"mapshadow: $negstats/stats:2: malformed line (negative number)"

run -d "$badhooks" hooks
t "malformed hooks row: exit 1" is_rc 1
t "malformed hooks row: file and line" err_has "mapshadow: $badhooks/hooks:3: malformed line"
t "malformed hooks row: one line on stderr" one_error_line

run -d "$nohooks" status
t "missing hooks file: exit 1" is_rc 1
t "missing hooks file: names the file" err_has "$nohooks/hooks"

run -d "$good/stats" stats
t "-d naming a file: exit 1" is_rc 1
t "-d naming a file: one line on stderr" one_error_line

# Unreadable files: root reads anything, so drop to nobody when root.
perm=$tmp/perm
mkdir "$perm"
cp "$good/stats" "$good/hooks" "$perm/"
chmod 0711 "$tmp"
chmod 0755 "$perm"
chmod 0000 "$perm/stats"
if [ "$(id -u)" != 0 ]; then
	unprivileged=""
elif command -v setpriv >/dev/null; then
	unprivileged="setpriv --reuid=65534 --regid=65534 --clear-groups"
else
	unprivileged="none"
fi
if [ "$unprivileged" = none ]; then
	skip "unreadable stats: permission denied" "running as root without setpriv"
elif ! $unprivileged test -x "$MAPSHADOW"; then
	skip "unreadable stats: permission denied" "$MAPSHADOW not executable by nobody"
else
	$unprivileged "$MAPSHADOW" -d "$perm" stats >"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
	t "unreadable stats: exit 1" is_rc 1
	t "unreadable stats: permission denied message" err_is \
		"mapshadow: permission denied reading $perm/stats: run as root"
fi

# --- usage errors: exit 2 ---------------------------------------------------

run -d "$good" frobnicate
t "unknown command: exit 2" is_rc 2
t "unknown command: named in the message" err_has "unknown command 'frobnicate'"
t "unknown command: one line on stderr" one_error_line

run -d "$tmp/missing" frobnicate
t "usage errors come before looking at the directory" is_rc 2

run
t "no command: exit 2" is_rc 2
t "no command: one line on stderr" one_error_line

run -x status
t "unknown option: exit 2" is_rc 2

run -d
t "-d without a directory: exit 2" is_rc 2

run -d "$good" stats extra
t "stats with an extra argument: exit 2" is_rc 2

run -d "$good" hooks --bogus
t "hooks with an unknown option: exit 2" is_rc 2

# --- help -------------------------------------------------------------------

run help
t "help: exit 0" is_rc 0
t "help: usage on stdout" out_has "usage: mapshadow [-d DIR] COMMAND"
t "help: lists hooks --off" out_has "hooks [--off]"

run -h
t "-h: exit 0" is_rc 0
t "-h: same text as help" out_has "usage: mapshadow"

echo "1..$n"
echo "# Totals: pass:$passed fail:$failed"
[ "$failed" = 0 ]
