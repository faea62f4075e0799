# The benchmark suite works (make bench is outside make check): every
# benchmark of tests/bench/bench-mapcount.c runs once on every folio size
# at 2 MiB with mapshadow loaded, verifies its folios and prints its line;
# mapshadow misses no event and finds nothing; the bpftrace reference
# tests/bench/rmap-count.bt attaches and runs one benchmark; bench-scale
# runs at 4 and 8 MiB, bench-mechanism and bench-breakdown at 2 MiB.
# Nothing about time is asserted.
# timeout: 240
. "$MS_WORK/guest/lib.sh"

BENCHES="fork munmap cow cow-byte cow-reuse cow-reuse-byte pte-dontneed remap"
KINDS="thp thp-pte mthp64 small"
for f in /sys/kernel/mm/transparent_hugepage/enabled \
	 /sys/kernel/mm/transparent_hugepage/hugepages-*/enabled; do
	sysfs_save "$f"
done

# bench_line BENCH KIND: one run at 2 MiB prints its one line.
bench_line() {
	"$MS_BIN/bench-mapcount" -s 2 -r 1 "$1" "$2" > /tmp/smoke.out 2>&1 &&
		grep -qxE "bench=$1 kind=$2 mib=2 median_ns=[0-9]+ min_ns=[0-9]+ max_ns=[0-9]+ runs=1" /tmp/smoke.out ||
		{ cat /tmp/smoke.out; return 1; }
}

# each_kind BENCH: bench_line on every folio size it takes.
each_kind() {
	local k
	for k in $KINDS; do
		[ "$1" != remap ] || [ "$k" = thp ] || continue
		bench_line "$1" "$k" || return 1
	done
}

ms_load || { not_ok "insmod"; finish; }
for b in $BENCHES; do
	check "$b: runs and prints its line on every folio size" each_kind "$b"
done
check "remap refuses a folio size without PMD mappings (status 2)" \
	bash -c '"$MS_BIN/bench-mapcount" -s 2 -r 1 remap small; test $? = 2'
check "mapshadow missed no events ($(stat_of events_missed))" test "$(stat_of events_missed)" = 0
no_findings "the benchmarks"
ms_unload
sysfs_restore

# bench-scale, tiny: both parts run and print their numbers.
MS_SCALE_MIBS=4 MS_SCALE_BIG_MIB=8 MS_BENCH_RUNS=1 bash "$MS_WORK/guest/bench-scale.sh" \
	> /tmp/smoke-scale.out 2>&1
rc=$?
check "bench-scale at 4 and 8 MiB: exit status 0 ($rc)" test $rc = 0
check "bench-scale: every check passed" bash -c '! grep -q "^not ok" /tmp/smoke-scale.out'
check "bench-scale: the fork ratio line" grep -qE '^# scale-csv: [^,]+,fork-small,4,1,[0-9]+,[0-9]+,[0-9.]+,0,0$' /tmp/smoke-scale.out
check "bench-scale: the store line, every folio of 8 MiB held" \
	grep -qE '^# scale-mem: .* mib=8 .* folios=([2-9][0-9]{3}|[0-9]{5,}) bytes=[0-9]+ ' /tmp/smoke-scale.out
grep -E '^# scale-|^not ok' /tmp/smoke-scale.out | sed 's/^/# /'

# bench_smoke NAME LISTVAR PREFIX: NAME at 2 MiB, one run, on the pairs
# of LISTVAR, passes all its checks and prints its "# PREFIX: " line.
bench_smoke() {
	local rc=0
	env MS_BENCH_MIB=2 MS_BENCH_RUNS=1 "$2=munmap:small" \
		bash "$MS_WORK/guest/$1.sh" > "/tmp/smoke-$1.out" 2>&1 || rc=$?
	check "$1 at 2 MiB: exit status 0 ($rc)" test $rc = 0
	check "$1: every check passed" bash -c "! grep -q '^not ok' /tmp/smoke-$1.out"
	check "$1: its munmap small line" grep -qE "^# $3: [^,]+,munmap,small,2(,[0-9]+)+\$" "/tmp/smoke-$1.out"
	grep -E "^# $3|^not ok" "/tmp/smoke-$1.out" | sed 's/^/# /'
}

bench_smoke bench-mechanism MS_BENCH_MECH_LIST mech

bpftrace_ready || finish
t0=$SECONDS
bpftrace -c "$MS_BIN/bench-mapcount -s 2 -r 1 fork small" "$MS_WORK/bpftrace/rmap-count.bt" \
	> /tmp/smoke-bt.out 2>&1
rc=$?
check "rmap-count.bt: exit status 0 ($rc, $((SECONDS - t0)) s)" test $rc = 0
check "rmap-count.bt: attaches its probes" grep -q '^Attaching [0-9]* probes' /tmp/smoke-bt.out
check "rmap-count.bt: no warning or error" bash -c '! grep -E "WARNING|ERROR" /tmp/smoke-bt.out'
check "rmap-count.bt: the benchmark ran under it" grep -q '^bench=fork kind=small ' /tmp/smoke-bt.out
grep -v '^$' /tmp/smoke-bt.out | sed 's/^/# /'
bench_smoke bench-breakdown MS_BENCH_BD_LIST bd
finish
