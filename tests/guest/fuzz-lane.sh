# The fuzz lane (make fuzz): msfuzz programs from consecutive seeds
# (MS_FUZZ_SEED, default 1) until MS_FUZZ_SECS (default 600) have passed
# or MS_FUZZ_COUNT programs ran, of MS_FUZZ_OPS operations (default 150),
# mapshadow loaded with its site table and report=warn as the oracle.  A
# program fails when the kernel log shows a report afterwards: mapshadow's
# "BUG: mapshadow: KIND in FUNCTION" or the kernel's own (BUG:, WARNING:,
# Bad page, Bad rss-counter).  A failure is deduplicated by its title; a
# new one is run again to confirm it, minimized (msfuzz min, at most
# MS_FUZZ_MIN_SECS, default 900), turned into a C reproducer, which is
# run with mapshadow and then without it (the kernel's own symptom), and
# everything is printed for the host (tests/fuzz/collect.sh).  A crash
# ends the boot: the host knows the seed from the last "fuzz-seed" line.
# Each confirmed failure is a "not ok" until it is judged (tests/fuzz/bugs/
# for kernel bugs; a false positive is fixed in mapshadow).
# timeout: 1200
# allow-log: .
. "$MS_WORK/guest/lib.sh"

secs=${MS_FUZZ_SECS:-600} seed=${MS_FUZZ_SEED:-1} ops=${MS_FUZZ_OPS:-150}
count=${MS_FUZZ_COUNT:-0}	# at most this many programs (0: no limit)
# Test only (fuzz-smoke): every program ends with a lost increment on a
# page of its own (tests/kmod/ms_inject, loaded by the caller).
inject=${MS_FUZZ_INJECT:-0}
minsecs=${MS_FUZZ_MIN_SECS:-900}
fuzz_setup
# MADV_HWPOISON and MADV_SOFT_OFFLINE when the host asks (make fuzz does):
# poisoned pages are gone for the rest of the boot.
if [ "${MS_FUZZ_HWPOISON:-0}" = 1 ] && [ -e /proc/sys/vm/memory_failure_recovery ]; then
	export MSFUZZ_HWPOISON=1
fi
ms_load report=warn || { not_ok "insmod"; fuzz_teardown; finish; }
diag "sites armed: $(stat_of sites_armed), ext2 disk: ${FZ_DISK:-none}, device-dax: ${MSFUZZ_DAX:-none} ${MSFUZZ_DAX_1G:-}, hugetlb 1 GiB: ${MSFUZZ_HUGETLB_1G:-no}, hwpoison: ${MSFUZZ_HWPOISON:-no}"
# What msfuzz gen reads besides the seed, for the host to regenerate a
# crashing seed's program (tests/fuzz/lane.sh).
echo "fuzz-env MSFUZZ_DAX=${MSFUZZ_DAX:-} MSFUZZ_TMPFS_HUGE=${MSFUZZ_TMPFS_HUGE:-} MSFUZZ_MAXMEM=${MSFUZZ_MAXMEM:-} MSFUZZ_HWPOISON=${MSFUZZ_HWPOISON:-} MSFUZZ_DAX_1G=${MSFUZZ_DAX_1G:-} MSFUZZ_HUGETLB_1G=${MSFUZZ_HUGETLB_1G:-}"
export -f fuzz_still fuzz_try fuzz_title fuzz_title_of fuzz_drop_inject
export D FUZZ

declare -A seen=() hit=()
# coverage: remember every hook and site row that has hits, before the
# module's counters go away (rmmod) and at the end.
coverage() {
	local t mech state hits
	while read -r t mech state hits _; do
		case $t in '#'*) continue ;; esac
		[ "$state" = armed ] || continue
		if [ "${hits:-0}" -gt 0 ]; then hit[$t]=1
		elif [ -z "${hit[$t]+x}" ]; then hit[$t]=0; fi
	done < "$D/hooks"
}

n=0 nops=0 nsys=0 nfail=0 start=$SECONDS
while [ $((SECONDS - start)) -lt "$secs" ] && { [ "$count" = 0 ] || [ $n -lt "$count" ]; }; do
	s=$((seed + n))
	n=$((n + 1))
	echo "fuzz-seed $s"
	"$FUZZ" gen -s "$s" -n "$ops" > $FZ/prog.txt ||
		{ not_ok "msfuzz gen -s $s"; break; }
	[ "$inject" = 1 ] && printf '%s\n' "p0 map m200 anon 16K" "p0 write m200 +0 16K" \
		"p0 inject m200 +4K skip-inc" "p0 munmap m200 +0 16K" >> $FZ/prog.txt
	fuzz_try $FZ/prog.txt
	read -r o y <<< "$(sed -n 's/^msfuzz: ops=\([0-9]*\) syscalls=\([0-9]*\).*/\1 \2/p' <<< "$FZ_SUMMARY")"
	nops=$((nops + ${o:-0})) nsys=$((nsys + ${y:-0}))
	[ -n "$FZ_TITLE" ] || continue
	title=$FZ_TITLE
	nfail=$((nfail + 1))
	if [ -n "${seen[$title]+x}" ]; then
		seen[$title]="${seen[$title]} $s"
		diag "seed $s: again: $title"
		continue
	fi
	seen[$title]=$s
	diag "seed $s: new failure: $title"
	name="seed$s"
	cp $FZ/prog.txt "$FZ/$name.txt"
	fuzz_emit "$name.txt" "$FZ/$name.txt"
	dmesg > "$FZ/$name.log"
	fuzz_emit "$name.log" "$FZ/$name.log"
	[ -d "$D" ] && cat "$D/findings_detail" > "$FZ/$name.findings"
	fuzz_try "$FZ/$name.txt"
	if [ "$FZ_TITLE" != "$title" ]; then
		diag "seed $s: not reproduced on a second run (got '${FZ_TITLE:-nothing}')"
		continue
	fi
	timeout "$minsecs" "$FUZZ" min "$FZ/$name.txt" -- \
		bash -c 'fuzz_still "$1" "$2"' _ "$title" > "$FZ/$name.min.txt" 2>/dev/null
	if [ ! -s "$FZ/$name.min.txt" ] || ! grep -qv '^#' "$FZ/$name.min.txt"; then
		diag "seed $s: minimizing did not finish in ${minsecs}s: the whole program is kept"
		cp "$FZ/$name.txt" "$FZ/$name.min.txt"
	fi
	fuzz_emit "$name.min.txt" "$FZ/$name.min.txt"
	"$FUZZ" c "$FZ/$name.min.txt" > "$FZ/$name.c" &&
		gcc -O1 -o "$FZ/$name.repro" "$FZ/$name.c" 2>"$FZ/$name.cc.err" ||
		diag "seed $s: the C reproducer does not build: $(head -n3 "$FZ/$name.cc.err")"
	fuzz_emit "$name.c" "$FZ/$name.c"
	with=none without=none
	if [ -x "$FZ/$name.repro" ]; then
		echo clear > "$D/control"
		dmesg -C
		(cd $FZ && timeout 300 "./$name.repro" >/dev/null 2>&1)
		sleep 0.2
		with=$(fuzz_title)
		fuzz_drop_inject
		coverage
		ms_unload
		dmesg -C
		(cd $FZ && timeout 300 "./$name.repro" >/dev/null 2>&1)
		sleep 0.2
		without=$(fuzz_title -k)
		fuzz_drop_inject
		ms_load report=warn || { not_ok "insmod again"; break; }
	fi
	{
		echo "title: $title"
		echo "seed: $s ($ops ops), kernel $(uname -r)"
		echo "minimized: $(grep -vc '^#' "$FZ/$name.min.txt") of $(grep -vc '^#' "$FZ/$name.txt") ops"
		echo "reproducer with mapshadow: ${with:-nothing}"
		echo "reproducer without mapshadow (the kernel's own symptom): ${without:-nothing}"
		echo "findings:"
		sed 's/^/  /' "$FZ/$name.findings" 2>/dev/null | head -n 40
	} > "$FZ/$name.report"
	fuzz_emit "$name.report" "$FZ/$name.report"
	not_ok "failure (seed $s, reproduced, $(grep -vc '^#' "$FZ/$name.min.txt") ops): $title"
done
coverage
mins=$(awk -v s=$((SECONDS - start)) 'BEGIN { printf "%.2f", s / 60 }')
diag "fuzz-stats programs=$n ops=$nops syscalls=$nsys failures=$nfail unique=${#seen[@]} minutes=$mins"
diag "fuzz-rate $(awk -v n=$n -v o=$nops -v y=$nsys -v m="$mins" 'BEGIN { if (m > 0) printf "%.1f programs/min, %.0f ops/min, %.0f syscalls/min", n / m, o / m, y / m }')"
for t in "${!hit[@]}"; do
	[ "${hit[$t]}" = 1 ] && echo "fuzz-hit $t" || echo "fuzz-never $t"
done | sort
for t in "${!seen[@]}"; do diag "fuzz-failure seeds ${seen[$t]}: $t"; done
check "ran $n programs in ${mins} min" test "$n" -gt 0
check "mapshadow is still loaded and tracking" test "$(stat_of tracking)" = live
ms_unload
fuzz_teardown
finish
