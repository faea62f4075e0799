# The kernel's own "mapped shared" answer (folio_maybe_mapped_shared() with
# MM-ID slots on 7.x, folio_likely_mapped_shared() on 6.12) against the
# exact one from the rmap-ID sums, over the anonymous, file and shmem
# workloads, some of them concurrently: every quiescent check of a strict
# folio judges it (shared_answer.h).  The answers are reported as rates;
# "exclusive" for a shared folio must never come from a kernel that
# promises it cannot happen, and nothing may be reported.
# timeout: 300
. "$MS_WORK/guest/lib.sh"

T=/sys/kernel/mm/transparent_hugepage
ms_load || { not_ok "insmod"; finish; }
for f in "$T"/hugepages-*kB/enabled; do [ -e "$f" ] && sysfs_set "$f" always; done

run() {	# run WORKLOAD ARGS...: two iterations, quietly
	"$MS_BIN/$1" -q -n 2 "${@:2}" >/dev/null 2>"/tmp/answers-$1.err" ||
		not_ok "$1 failed: $(tail -n 1 "/tmp/answers-$1.err")"
}
for w in thp-pte-map fork-cow partial-munmap mremap-thp mthp dontfork \
	 shared-anon split-thp; do
	run "$w"
done
run fork-child-alive -c 3
run file-map -f /tmp/answers-file
# Shared folios mapped and unmapped from several processes at once.
run fork-child-alive -c 2 & run shared-anon & run file-map -f /tmp/answers-file2 &
wait
sysfs_restore

a() { stat_of "answer_$1"; }
ex=$(a exclusive) sh=$(a shared) twice=$(a maybe_shared_mapped_twice)
noslot=$(a maybe_shared_no_slot) under=$(a maybe_shared_undercount)
other=$(a maybe_shared_other) guessed=$(a guessed_exclusive)
maybe=$((twice + noslot + under + other))
fn=$(stat_of answer_function)
diag "$fn judged: exclusive $ex, shared $sh, unknown $(a unknown)"
diag "maybe shared but exclusive: $maybe (one mm mapping it twice $twice, owner without a slot $noslot, owner's slot undercounts $under, other $other)"
diag "rate of \"maybe shared\" among exclusive folios: $(awk -v m=$maybe -v e=$ex 'BEGIN { printf "%.4f%%", e + m ? 100 * m / (e + m) : 0 }')"
diag "exclusive but shared: $guessed allowed guesses, $(stat_of findings_shared-missed) findings"
check "the kernel's answers were judged (exclusive $ex, shared $sh)" \
	test "$ex" -gt 0 -a "$sh" -gt 0
check "zero \"exclusive but shared\" findings" test "$(stat_of findings_shared-missed)" = 0
check "zero bad-slot findings" test "$(stat_of findings_bad-slot)" = 0
if [ "$fn" = folio_maybe_mapped_shared ]; then
	check "a promising kernel never guessed \"exclusive\" for a shared folio ($guessed)" \
		test "$guessed" = 0
fi
no_findings "the workload suite"
ms_unload
finish
