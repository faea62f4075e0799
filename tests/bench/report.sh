#!/bin/bash
# report.sh [RUN_OUTPUT...]: the results of tests/guest/bench-mapcount.sh
# (its "# csv: " lines, as tests/vm/run.sh prints them; files or standard
# input) as a table: mapshadow's and the bpftrace reference's cost as
# ratios to the baseline, per kernel, benchmark and folio size, with
# geometric means and whether the issue's targets are met:
#   THP (thp, thp-pte)     every benchmark <= 1.25x, geometric mean <= 1.10x
#   small and mthp64       fork and munmap <= 1.5x, the others <= 1.3x
#   against the reference  mapshadow's overhead (ratio - 1) at most twice
#                          rmap-count.bt's plus 0.05
# Writes into BENCH_OUT (default bench-results/ at the top of the tree,
# ignored by git): results.csv, results.md (also printed) and ratios.png
# (gnuplot; skipped with a note when gnuplot is missing).  A later line for
# the same kernel, benchmark and folio size replaces an earlier one.
# Exit status 0 when every target is met, 3 when one is not, 1 on error.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${BENCH_OUT:-$REPO/bench-results}
mkdir -p "$OUT"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The data lines, without their prefix or the header.
cat "$@" | sed -n 's/.*# csv: //p' | grep -v '^kernel,' > "$tmp/in.csv" || true
[ -s "$tmp/in.csv" ] || { echo "report.sh: no '# csv: ' lines in the input" >&2; exit 1; }

# One awk program computes everything; it writes the CSV, the markdown and
# one gnuplot data file per kernel (label, mapshadow ratio, bt ratio).
awk -F, -v out="$OUT" -v tmp="$tmp" '
function ratio(a, b) { return (a != "" && b != "" && b > 0) ? a / b : "" }
function fmt(r) { return r == "" ? "-" : sprintf("%.3fx", r) }
function thp(kind) { return kind == "thp" || kind == "thp-pte" }
function limit(bench, kind) {
	if (thp(kind))
		return 1.25
	return (bench == "fork" || bench == "munmap") ? 1.5 : 1.3
}
# verdict MS BT LIMIT: "yes", or "no: " and what failed; "-" without data.
function verdict(ms, bt, lim,   why) {
	if (ms == "")
		return "-"
	why = ""
	if (lim != "" && ms > lim)
		why = sprintf("%.3fx > %.2fx", ms, lim)
	if (bt != "" && ms - 1 > 2 * (bt - 1) + 0.05)
		why = why (why == "" ? "" : ", ") \
			sprintf("overhead %.3f > 2 x %.3f + 0.05", ms - 1, bt - 1)
	if (why == "")
		return "yes"
	failed++
	return "no: " why
}
function gm_add(key, ms, bt) {
	if (ms != "") { gms[key] += log(ms); gmn[key]++ }
	if (bt != "") { gbs[key] += log(bt); gbn[key]++ }
}
function gm(sum, n) { return n ? exp(sum / n) : "" }
{
	key = $1 SUBSEP $2 SUBSEP $3
	if (!(key in row)) {
		order[++rows] = key
		if (!($1 in seen)) { seen[$1] = 1; kernels[++nk] = $1 }
	}
	row[key] = $0
}
END {
	csv = out "/results.csv"
	md = out "/results.md"
	print "kernel,bench,kind,mib,runs,base_ns,ms_ns,bt_ns,events_missed,ms_ratio,bt_ratio,target_met" > csv
	print "# mapshadow: cost of tracking" > md
	print "" > md
	print "Ratios to the same benchmark without any module, in one boot per kernel," > md
	print "under QEMU `-icount shift=0,sleep=off` (guest instructions, not cycles):" > md
	print "**mapshadow** loaded with its site table armed, and **bpftrace** running" > md
	print "`tests/bench/rmap-count.bt` instead (the reference: a per-folio count on the" > md
	print "out-of-line rmap functions, which checks nothing).  Targets: THP (`thp`," > md
	print "`thp-pte`) every benchmark <= 1.25x and geometric mean <= 1.10x; `small` and" > md
	print "`mthp64` fork and munmap <= 1.5x, the others <= 1.3x; and mapshadow'"'"'s" > md
	print "overhead (ratio - 1) at most 2 x the reference'"'"'s + 0.05." > md
	for (i = 1; i <= nk; i++) {
		k = kernels[i]
		dat = tmp "/plot" i ".dat"
		printf "" > dat
		print "" > md
		hdr = 0
		for (j = 1; j <= rows; j++) {
			split(row[order[j]], f, ",")
			if (f[1] != k)
				continue
			if (!hdr) {
				printf "## %s (%s MiB, %s runs)\n\n", k, f[4], f[5] > md
				print "| benchmark | folios | base (ms) | mapshadow | bpftrace | events missed | target | met |" > md
				print "|---|---|---:|---:|---:|---:|---|---|" > md
				hdr = 1
			}
			ms = ratio(f[7], f[6])
			bt = ratio(f[8], f[6])
			lim = limit(f[2], f[3])
			v = verdict(ms, bt, lim)
			if (f[9] != "" && f[9] != 0) {
				if (v ~ /^no/) {
					v = v ", events missed"
				} else {
					v = "no: events missed"
					failed++
				}
			}
			printf "| %s | %s | %s | %s | %s | %s | <= %.2fx, <= 2 x bt | %s |\n", \
				f[2], f[3], f[6] == "" ? "-" : sprintf("%.3f", f[6] / 1e6), \
				fmt(ms), fmt(bt), f[9] == "" ? "-" : f[9], lim, v > md
			printf "%s,%s,%s,%s\n", row[order[j]], ms == "" ? "" : sprintf("%.4f", ms), \
				bt == "" ? "" : sprintf("%.4f", bt), v ~ /^yes/ ? "yes" : (v == "-" ? "" : "no") > csv
			printf "%s/%s %s %s\n", f[2], f[3], ms == "" ? "-" : ms, bt == "" ? "-" : bt > dat
			gm_add(k SUBSEP (thp(f[3]) ? "THP (thp, thp-pte)" : f[3]), ms, bt)
			gm_add(k SUBSEP "all", ms, bt)
		}
		split("THP (thp, thp-pte)|mthp64|small|all", groups, "|")
		for (g = 1; g <= 4; g++) {
			gk = k SUBSEP groups[g]
			if (!gmn[gk] && !gbn[gk])
				continue
			ms = gm(gms[gk], gmn[gk])
			bt = gm(gbs[gk], gbn[gk])
			lim = g == 1 ? 1.10 : ""
			v = verdict(ms, bt, lim)
			printf "| **geomean** | %s | | %s | %s | | %s | %s |\n", groups[g], \
				fmt(ms), fmt(bt), lim == "" ? "<= 2 x bt" : "<= 1.10x, <= 2 x bt", v > md
		}
	}
	print "" > md
	printf "%s\n", failed ? "**" failed " target(s) not met.**" : "**Every target met.**" > md
	print nk > (tmp "/nk")
	close(md)
	exit failed ? 3 : 0
}' "$tmp/in.csv" || rc=$?
rc=${rc:-0}
[ "$rc" = 0 ] || [ "$rc" = 3 ] || exit 1
cat "$OUT/results.md"

# One panel per kernel: mapshadow and bpftrace bars per benchmark/folios,
# a line at 1 (the baseline).
png=$OUT/ratios.png
if command -v gnuplot >/dev/null; then
	nk=$(cat "$tmp/nk")
	mapfile -t names < <(cut -d, -f1 "$tmp/in.csv" | awk '!seen[$0]++')
	{
		echo "set terminal pngcairo size 1600,$((420 * nk)) font ',9'"
		echo "set output '$png'"
		echo "set datafile missing '-'"
		echo "set style data histograms"
		echo "set style histogram clustered gap 1"
		echo "set style fill solid 0.8 border -1"
		echo "set xtics rotate by 45 right scale 0"
		echo "set ylabel 'time / baseline'"
		echo "set yrange [0:*]"
		echo "set grid ytics"
		echo "set key top left"
		echo "set multiplot layout $nk,1"
		for ((i = 1; i <= nk; i++)); do
			echo "set title '${names[i - 1]}: cost of tracking (QEMU -icount)'"
			echo "plot '$tmp/plot$i.dat' using 2:xtic(1) title 'mapshadow', '' using 3 title 'bpftrace rmap-count.bt', 1 with lines lc rgb 'black' dt 2 notitle"
		done
		echo "unset multiplot"
	} > "$tmp/plot.gp"
	gnuplot "$tmp/plot.gp" && echo "report.sh: wrote $OUT/results.csv, $OUT/results.md, $png" >&2
else
	echo "report.sh: no gnuplot (tests/vm/setup-host.sh installs gnuplot-nox): no $png" >&2
fi
exit "$rc"
