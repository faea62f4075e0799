# Where mapshadow's cost goes (issue 13), in guest instructions (QEMU
# -icount: "make bench"; run with bench-mapcount or alone, by name).  For a
# few benchmarks of tests/bench/bench-mapcount, five columns in one boot:
#   base      no module
#   probes    tests/bench/krp-empty.bt: an empty entry and return probe on
#             each function mapshadow hooks as a kretprobe, and an empty
#             mm_page_free: the probe mechanism alone
#   nosites   mapshadow without its site table (the inlined fork copies
#             unseen: the fork's blind window and walk instead)
#   nojudge   mapshadow with its site table, "disable": events followed,
#             the shadow kept, nothing read back or judged
#   ms        mapshadow as loaded by default: the site table armed, online
#             validation
# Printed as "# bd: " lines and as instructions per folio of the area
# (column minus base, divided by the folios), which the closing notes of
# issue 13 quote.
#   MS_BENCH_MIB (default 64), MS_BENCH_RUNS (default 3), MS_BENCH_BD_LIST (pairs
#   BENCH:KIND, default below)
# timeout: 7200
. "$MS_WORK/guest/lib.sh"

MIB=${MS_BENCH_MIB:-64}
RUNS=${MS_BENCH_RUNS:-3}
LIST=${MS_BENCH_BD_LIST:-"fork:small munmap:small cow:small pte-dontneed:small fork:thp munmap:thp cow-byte:thp fork:mthp64 munmap:mthp64"}
BT=$MS_WORK/bpftrace/krp-empty.bt
MAX_FOLIOS=$(bench_max_folios "$MIB")

bench_quiet
bpftrace_ready || finish
diag "bd: kernel,bench,kind,mib,base,probes,nosites,nojudge,ms (ns = guest instructions)"
for pair in $LIST; do
	b=${pair%%:*} k=${pair#*:}
	cmd=("$MS_BIN/bench-mapcount" -s "$MIB" -r "$RUNS" "$b" "$k")
	per=$(bench_folios "$k" "$MIB")
	base=$(bench_med "${cmd[@]}")
	probes=$(bench_med bpftrace -c "${cmd[*]}" "$BT")
	MS_NO_SITES=1 ms_load "max_folios=$MAX_FOLIOS" && nosites=$(bench_med "${cmd[@]}")
	ms_unload
	ms_load "max_folios=$MAX_FOLIOS" && echo disable > "$D/control" &&
		nojudge=$(bench_med "${cmd[@]}")
	ms_unload
	ms_load "max_folios=$MAX_FOLIOS" && ms=$(bench_med "${cmd[@]}")
	diag "$b $k: sites $(grep -c 'site-int3 *armed' "$D/hooks") int3, $(grep -c 'site-opt *armed' "$D/hooks") optimized; site hits $(awk '$2 ~ /^site-/ { s += $4 } END { print s + 0 }' "$D/hooks")"
	ms_unload
	check "$b $k: all five measured" test -n "$base" -a -n "$probes" -a -n "$nosites" -a -n "$nojudge" -a -n "$ms"
	diag "bd: $(uname -r),$b,$k,$MIB,$base,$probes,$nosites,$nojudge,$ms"
	diag "bd-per-folio $b $k ($per folios): $(awk -v b="$base" -v p="$probes" -v n="$nosites" -v j="$nojudge" -v m="$ms" -v f="$per" \
		'BEGIN { printf "probes %+d, nosites %+d, nojudge %+d, ms %+d instructions per folio; ms %.2fx, probes %.2fx", (p-b)/f, (n-b)/f, (j-b)/f, (m-b)/f, m/b, p/b }')"
done
sysfs_restore
finish
