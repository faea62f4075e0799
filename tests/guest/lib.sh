# Helpers for in-guest tests; sourced by tests/guest/*.sh (bash, as root).
# Each test prints "ok - what" / "not ok - what" lines; the host numbers them.
# shellcheck shell=bash

D=/sys/kernel/debug/mapshadow
MS_FAILED=0

ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; MS_FAILED=1; }
diag() { echo "# $*"; }

# check DESC CMD...: one assertion from a command's exit status.
check() {
	local desc=$1; shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

# ms_load [PARAM=VALUE...]: insmod, then stage and arm the kernel's site
# table when the harness provided one (unless MS_NO_SITES is set).
ms_load() {
	insmod "$MS_KO/mapshadow.ko" "$@" || return 1
	if [ -z "${MS_NO_SITES:-}" ] && [ -f "$MS_WORK/sites.tbl" ]; then
		cat "$MS_WORK/sites.tbl" > "$D/sites" &&
			echo sites=on > "$D/control" ||
			{ echo "# arming the site table failed"; return 1; }
	fi
}

ms_unload() {
	rmmod mapshadow
}

# stat_of KEY: a value from the stats file.
stat_of() {
	sed -n "s/^$1: //p" "$D/stats"
}

# hook_field TARGET COLUMN: a column (1-based) of one row of the hooks file.
hook_field() {
	awk -v t="$1" -v c="$2" '$1 == t { print $c }' "$D/hooks"
}

# finish: exit status for the runner (assertions already printed).
finish() {
	exit $MS_FAILED
}
