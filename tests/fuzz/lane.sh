#!/bin/bash
# lane.sh KERNEL DURATION SEED [OUT]: the host side of "make fuzz".  Boots
# KERNEL (6.12, latest, debug) and runs the guest's fuzz lane
# (tests/guest/fuzz-lane.sh) from SEED until DURATION (600, 30m, 1h) has
# passed.  When a program crashes the guest, its seed is known from the
# last "fuzz-seed" line: it is regenerated on the host (msfuzz is
# deterministic), replayed alone in a new boot to confirm the crash, and
# the lane goes on from the next seed for the time left.  Everything lands
# in OUT (default fuzz-results/KERNEL-SEED in the cache): run logs, each
# failure's program, minimized program, C reproducer and report
# (tests/fuzz/collect.sh), and summary.md.
set -euo pipefail
. "$(dirname "$0")/../vm/lib.sh"

[ $# -ge 3 ] || ms_die "usage: lane.sh KERNEL DURATION SEED [OUT]"
kernel=$1 dur=$2 seed=$3
case $dur in
*h) secs=$((${dur%h} * 3600)) ;;
*m) secs=$((${dur%m} * 60)) ;;
*s) secs=${dur%s} ;;
*) secs=$dur ;;
esac
[[ $secs =~ ^[0-9]+$ ]] && [ "$secs" -gt 0 ] || ms_die "DURATION: a number of seconds, or Ns, Nm, Nh (not '$dur')"
[[ $seed =~ ^[0-9]+$ ]] || ms_die "SEED: a number (not '$seed')"
out=${4:-$MS_CACHE/fuzz-results/$kernel-$seed}
mkdir -p "$out"
ops=${MS_FUZZ_OPS:-150}
make -s -C "$MS_REPO/tests/fuzz" O="$out/bin" >/dev/null || ms_die "building msfuzz failed"

# The guest: 7 GiB, of which two legacy pmem regions (memmap=) that the
# lane turns into device-dax devices, 256 MiB at 2 GiB with 2 MiB
# alignment and 2 GiB at 4 GiB with 1 GiB alignment, and two 1 GiB
# hugetlb pages reserved at boot; MADV_HWPOISON and SOFT_OFFLINE on.
export MS_MEM=${MS_MEM:-7G} MS_FUZZ_HWPOISON=${MS_FUZZ_HWPOISON:-1}
export MS_APPEND="memmap=256M!2G memmap=2G!4G hugepagesz=1G hugepages=2 ${MS_APPEND:-}"

end=$((SECONDS + secs)) boot=0 rc=0
while :; do
	left=$((end - SECONDS))
	[ $left -gt 60 ] || break
	boot=$((boot + 1))
	log="$out/run$boot.log"
	ms_log "fuzz boot $boot on $kernel: seeds from $seed, ${left}s"
	# The lane's own limit, plus time to confirm, minimize and reproduce.
	MS_FUZZ_SECS=$left MS_FUZZ_SEED=$seed MS_FUZZ_OPS=$ops MS_KEEP=1 \
		MS_TIMEOUT=$((left + ${MS_FUZZ_MIN_SECS:-900} + 900)) \
		"$MS_REPO/tests/vm/run.sh" -k "$kernel" fuzz-lane 2>&1 | tee "$log" || rc=1
	work=$(sed -n 's/.*logs kept in \(.*\)$/\1/p' "$log" | tail -n1)
	[ -n "$work" ] && cp "$work/console.txt" "$out/console$boot.txt" 2>/dev/null
	"$MS_REPO/tests/fuzz/collect.sh" "$log" "$out"
	if grep -q 'fuzz-lane: completed\|fuzz-stats ' "$log"; then
		break	# the lane ran to its end
	fi
	last=$(sed -n 's/.*fuzz-lane: fuzz-seed \([0-9]*\)$/\1/p' "$log" | tail -n1)
	[ -n "$last" ] || { ms_log "the guest stopped before its first program"; rc=1; break; }
	name="crash-seed$last"
	# The guest's generator settings (its "fuzz-env" line): the same
	# seed gives the same program only with them.
	genenv=$(sed -n 's/.*fuzz-lane: fuzz-env //p' "$log" | tail -n1)
	# shellcheck disable=SC2086 # NAME=VALUE words
	env $genenv "$out/bin/msfuzz" gen -s "$last" -n "$ops" > "$out/$name.txt"
	"$out/bin/msfuzz" c "$out/$name.txt" > "$out/$name.c"
	sed -n '/mapshadow-test: begin fuzz-lane/,$p' "$out/console$boot.txt" 2>/dev/null |
		grep -E -A40 'BUG:|Oops|Kernel panic|general protection' | head -n 80 > "$out/$name.log" || true
	ms_log "seed $last crashed the guest: replaying it alone"
	MS_FUZZ_SECS=600 MS_FUZZ_SEED=$last MS_FUZZ_COUNT=1 MS_FUZZ_OPS=$ops MS_KEEP=1 \
		"$MS_REPO/tests/vm/run.sh" -k "$kernel" fuzz-lane > "$out/$name.replay.log" 2>&1 || true
	if grep -q 'fuzz-stats ' "$out/$name.replay.log"; then
		echo "not reproduced: the replay ran to its end" > "$out/$name.verdict"
	else
		echo "reproduced: the replay crashed the guest too" > "$out/$name.verdict"
		rc=1
	fi
	seed=$((last + 1))
done
"$MS_REPO/tests/fuzz/collect.sh" --summary "$out" "$kernel"
ms_log "fuzz results in $out (summary.md)"
exit $rc
