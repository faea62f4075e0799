# What tracking costs, beside what observing the same events with bpftrace
# costs: the mapcount micro-benchmarks (tests/bench/bench-mapcount.c: fork,
# munmap, cow, cow-byte, cow-reuse, cow-reuse-byte, pte-dontneed, and remap
# on PMD-mapped THPs) on each folio size (thp, thp-pte, mthp64, small), each
# measured three ways in this one boot: without any module (base), with
# mapshadow loaded and its site table armed (ms), and with the module
# unloaded and tests/bench/rmap-count.bt running instead (bt, the
# reference).  One "# csv: " line per benchmark and folio size, which
# tests/bench/report.sh turns into a table; "not ok" when a benchmark
# fails, or mapshadow missed events or reported findings under it.  The
# times themselves are not judged here.  Run it with "make bench" (QEMU
# -icount shift=0,sleep=off -smp 1 -m 4G: the guest clock counts
# instructions, so repeated runs agree).
#   MS_BENCH_MIB   area size in MiB (default 256)
#   MS_BENCH_RUNS  timed runs per measurement, after one warm-up (default 5)
#   MS_BENCH_LIST  only these: words BENCH, KIND or BENCH:KIND, globs allowed
#                  ("fork munmap", "thp", "cow*:small"); default all
# timeout: 14400
. "$MS_WORK/guest/lib.sh"

MIB=${MS_BENCH_MIB:-256}
RUNS=${MS_BENCH_RUNS:-5}
BENCHES="fork munmap cow cow-byte cow-reuse cow-reuse-byte pte-dontneed remap"
KINDS="thp thp-pte mthp64 small"
BT=$MS_WORK/bpftrace/rmap-count.bt
MAX_FOLIOS=$(bench_max_folios "$MIB")
read -ra LIST <<< "${MS_BENCH_LIST:-}"

# selected BENCH KIND: the pair is in MS_BENCH_LIST (or it is empty).
selected() {
	local w
	[ ${#LIST[@]} = 0 ] && return 0
	for w in "${LIST[@]}"; do
		case $w in
		*:*) # shellcheck disable=SC2053 # a glob
			[[ $1:$2 == $w ]] && return 0 ;;
		*) # shellcheck disable=SC2053
			[[ $1 == $w || $2 == $w ]] && return 0 ;;
		esac
	done
	return 1
}

bench_quiet
echo 3 > /proc/sys/vm/drop_caches
echo 1 > /proc/sys/vm/compact_memory

have_bt=1
bpftrace_ready || have_bt=0

diag "$(uname -r), $(nproc) CPU(s), $(awk '$1 == "MemTotal:" { print int($2 / 1024) }' /proc/meminfo) MiB," \
	"area $MIB MiB, $RUNS runs after a warm-up, max_folios $MAX_FOLIOS," \
	"site table: $([ -f "$MS_WORK/sites.tbl" ] && echo yes || echo no)"
diag "csv: kernel,bench,kind,mib,runs,base_ns,ms_ns,bt_ns,events_missed"
kver=$(uname -r)
for b in $BENCHES; do
	for k in $KINDS; do
		[ "$b" != remap ] || [ "$k" = thp ] || continue
		selected "$b" "$k" || continue
		cmd=("$MS_BIN/bench-mapcount" -s "$MIB" -r "$RUNS" "$b" "$k")
		base='' ms='' bt='' missed=''

		measure base "${cmd[@]}" && base=$NS
		check "$b $k: baseline ($base ns)" test -n "$base"

		if ms_load "max_folios=$MAX_FOLIOS"; then
			measure mapshadow "${cmd[@]}" && ms=$NS
			missed=$(stat_of events_missed)
			check "$b $k: with mapshadow ($ms ns, $(ratio "$ms" "$base")x)" test -n "$ms"
			check "$b $k: mapshadow missed no events ($missed)" test "$missed" = 0
			no_findings "$b $k"
			diag "$b $k: mapshadow: $(grep -E '^(tracking|sites_armed|folios_dropped_cap|folios_dropped_nomem|trust_lost_[a-z_]*|checks_skipped_fork_window): ' "$D/stats" |
				grep -v ': 0$' | tr '\n' ' ')"
			ms_unload || not_ok "$b $k: rmmod"
		else
			not_ok "$b $k: insmod and arming"
			rmmod mapshadow 2>/dev/null
		fi

		if [ $have_bt = 1 ]; then
			# -c: the benchmark starts once the probes are attached,
			# and bpftrace stops when it exits.
			if measure bpftrace bpftrace -c "${cmd[*]}" "$BT"; then
				bt=$NS
			fi
			check "$b $k: with rmap-count.bt ($bt ns, $(ratio "$bt" "$base")x)" test -n "$bt"
			grep -E '^(Attaching|WARNING|ERROR)' /tmp/bench.out | sed 's/^/# bpftrace: /'
		fi
		diag "csv: $kver,$b,$k,$MIB,$RUNS,$base,$ms,$bt,$missed"
	done
done
sysfs_restore
finish
