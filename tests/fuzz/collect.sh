#!/bin/bash
# collect.sh LOG OUT: write the files the guest's fuzz lane printed
# ("fuzz-file NAME: LINE", "fuzz-file-end NAME") into OUT.
# collect.sh --summary OUT KERNEL: OUT/summary.md from the runs' logs: the
# rates, every failure with its report, crashes and their verdicts, and
# the coverage (hooks and sites hit, and never hit).
set -euo pipefail

if [ "${1:-}" != --summary ]; then
	[ $# = 2 ] || { echo "usage: collect.sh LOG OUT | --summary OUT KERNEL" >&2; exit 2; }
	mkdir -p "$2"
	awk -v out="$2" '
		{ sub(/^# [^ ]*\/fuzz-lane: /, "") }
		/^fuzz-file-end / { close(out "/" $2); next }
		/^fuzz-file [^ :\/]+: / || /^fuzz-file [^ :\/]+:$/ {
			name = $2; sub(/:$/, "", name)
			line = $0; sub(/^fuzz-file [^ ]+: ?/, "", line)
			print line > (out "/" name)
		}' "$1"
	exit 0
fi

[ $# = 3 ] || { echo "usage: collect.sh --summary OUT KERNEL" >&2; exit 2; }
out=$2 kernel=$3
logs=$(ls "$out"/run*.log 2>/dev/null || true)
{
	echo "# mapshadow fuzz lane: $kernel"
	echo
	# shellcheck disable=SC2086
	[ -n "$logs" ] && sed -n 's/.*# fuzz-stats /- /p; s/.*# fuzz-rate /- /p' $logs
	echo
	echo "## Failures"
	n=0
	for r in "$out"/*.report; do
		[ -e "$r" ] || continue
		n=$((n + 1))
		echo
		echo "### $(basename "$r" .report)"
		echo '```'
		cat "$r"
		echo '```'
	done
	for v in "$out"/crash-*.verdict; do
		[ -e "$v" ] || continue
		n=$((n + 1))
		echo
		echo "### $(basename "$v" .verdict) (the guest crashed)"
		echo "- $(cat "$v")"
		echo "- program: $(basename "$v" .verdict).txt, reproducer: $(basename "$v" .verdict).c"
		c="${v%.verdict}.log"
		[ -s "$c" ] && { echo '```'; head -n 30 "$c"; echo '```'; }
	done
	[ $n -gt 0 ] || echo "none"
	echo
	echo "## Coverage (hooks and sites armed)"
	# shellcheck disable=SC2086
	if [ -n "$logs" ]; then
		hit=$(sed -n 's/.*fuzz-lane: fuzz-hit //p' $logs | sort -u)
		never=$(sed -n 's/.*fuzz-lane: fuzz-never //p' $logs | sort -u | comm -23 - <(echo "$hit"))
		echo "- hit ($(echo "$hit" | grep -c . || true)): $(echo $hit)"
		echo "- never hit ($(echo "$never" | grep -c . || true)): $(echo $never)"
	fi
} > "$out/summary.md"
