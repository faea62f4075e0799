#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tap-run.sh TEST...: run unit tests (programs, or *.sh scripts run with
# bash), pass their TAP output through and end with exactly one line
# "N passed, M failed" summed from their "# Totals: pass:N fail:M" lines.
# A test that ends without a Totals line, or exits non-zero without having
# reported a failure, counts as one more failure. Exit status 1 if anything
# failed.
set -u

passed=0
failed=0
log=$(mktemp) || exit 1
trap 'rm -f "$log"' EXIT

for t in "$@"; do
	echo "# ${t##*/}"
	case $t in
	*.sh) bash "$t" 2>&1 | tee "$log" ;;
	*) "$t" 2>&1 | tee "$log" ;;
	esac
	rc=${PIPESTATUS[0]}
	totals=$(grep -E '^# Totals: pass:[0-9]+ fail:[0-9]+$' "$log" | tail -n 1)
	if [ -z "$totals" ]; then
		echo "# ${t##*/}: no Totals line (exit status $rc)"
		failed=$((failed + 1))
		continue
	fi
	p=${totals#*pass:}
	p=${p%% *}
	f=${totals##*fail:}
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		echo "# ${t##*/}: exit status $rc"
		failed=$((failed + 1))
	fi
done

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
