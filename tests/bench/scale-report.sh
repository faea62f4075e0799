#!/bin/bash
# scale-report.sh [RUN_OUTPUT...]: the results of tests/guest/bench-scale.sh
# (its "# scale-csv: " and "# scale-mem: " lines; files or standard input)
# as a markdown table per kernel, with issue 13's scale targets:
#   small-page fork at 16 and 256 MiB   ratios within 5% of each other
#   fork of 2048 MiB, every folio tracked   <= 2x
#   memory                              <= 16 bytes per 4 KiB of RAM
#   every folio tracked                 folios dropped = 0
# Writes BENCH_OUT/scale.md (also printed).  Exit status 0 when every target
# is met, 3 when one is not, 1 on error.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${BENCH_OUT:-$REPO/bench-results}
mkdir -p "$OUT"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat "$@" > "$tmp/in"
sed -n 's/.*# scale-csv: //p' "$tmp/in" | grep -v '^kernel,' > "$tmp/csv" || true
sed -n 's/.*# scale-mem: //p' "$tmp/in" > "$tmp/mem" || true
[ -s "$tmp/csv" ] || { echo "scale-report.sh: no '# scale-csv: ' lines in the input" >&2; exit 1; }

awk -F, -v memfile="$tmp/mem" '
function yn(ok) { if (!ok) failed++; return ok ? "yes" : "**no**" }
BEGIN {
	while ((getline line < memfile) > 0) {
		n = split(line, kv, " ")
		for (i = 1; i <= n; i++) {
			split(kv[i], p, "=")
			m[p[1]] = p[2]
		}
		per4k[m["kernel"]] = m["per_4k_ram"]
		perfolio[m["kernel"]] = m["per_folio"]
		folios[m["kernel"]] = m["folios"]
	}
}
{
	k = $1
	if ($7 == "-")
		$7 = ""
	if (!(k in seen)) { seen[k] = 1; order[nk++] = k }
	rows[k] = rows[k] sprintf("| %s | %s | %s | %s | %s | %s | %s |\n", $2, $3, $4, $5, $6, \
		$7 == "" ? "-" : $7 "x", $9 == "" ? "-" : $9)
	if ($2 == "fork-small") r[k, $3] = $7
	if ($9 != "" && $9 != 0) dropped[k] = 1
	if ($7 == "") missing[k] = 1
}
END {
	failed = 0
	for (i = 0; i < nk; i++) {
		k = order[i]
		printf "### %s\n\n", k
		print "| test | MiB | runs | base ns | mapshadow ns | ratio | folios dropped |"
		print "|---|---:|---:|---:|---:|---:|---:|"
		printf "%s\n", rows[k]
		print "| target | measured | met |"
		print "|---|---|---|"
		if ((k, 16) in r && (k, 256) in r && r[k, 16] != "" && r[k, 256] != "") {
			d = r[k, 256] / r[k, 16] - 1
			printf "| fork 16 vs 256 MiB within 5%% | %.3fx vs %.3fx (%+.1f%%) | %s |\n", \
				r[k, 16], r[k, 256], 100 * d, yn(d <= 0.05 && d >= -0.05)
		}
		if ((k, 2048) in r && r[k, 2048] != "")
			printf "| fork 2048 MiB <= 2x | %.3fx | %s |\n", r[k, 2048], yn(r[k, 2048] <= 2)
		if (k in per4k)
			printf "| <= 16 bytes per 4 KiB of RAM | %s (%s bytes per folio, %s folios) | %s |\n", \
				per4k[k], perfolio[k], folios[k], yn(per4k[k] <= 16)
		printf "| every folio tracked | %s | %s |\n\n", \
			(k in dropped) ? "some dropped" : "0 dropped", yn(!(k in dropped))
		if (k in missing) failed++
	}
	exit failed ? 3 : 0
}' "$tmp/csv" > "$OUT/scale.md" || rc=$?
cat "$OUT/scale.md"
exit "${rc:-0}"
