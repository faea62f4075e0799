# Cost of tracking, as a ratio to the same run without the module, in one
# boot: fork and munmap of 4096 small anon pages and of 64 MiB of PTE-mapped
# THP; then with the flag-race probes armed too (races=on, races=all).
# A measurement, not a pass/fail threshold: run it with "make bench"
# (QEMU -icount shift=0,sleep=off -smp 1, so the guest clock counts
# instructions and repeated runs agree).
# timeout: 1200
. "$MS_WORK/guest/lib.sh"

modes="fork-small munmap-small fork-thp munmap-thp"
median() { "$MS_BIN/bench-rmap" "$1" -i "${ITER:-7}" | sed -n 's/.*median_ns=\([0-9]*\).*/\1/p'; }
declare -A base
for m in $modes; do base[$m]=$(median "$m"); done
ms_load || { not_ok "insmod"; finish; }
diag "module loaded, sites armed: $(stat_of sites_armed)"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
declare -A tracked
for m in $modes; do
	t=$(median "$m")
	tracked[$m]=$t
	check "$m: $(ratio "$t" "${base[$m]}")x baseline (${t} ns vs ${base[$m]} ns)" test -n "$t"
done
# The flag-race probes on top (issue 11): the non-atomic writers, then the
# atomic ones too.
for r in on all; do
	if [ ! -f "$MS_WORK/sites.tbl" ] || ! echo "races=$r" > "$D/control"; then
		ok "# SKIP races=$r: no site table"
		continue
	fi
	diag "races=$r: $(head -n1 "$D/races")"
	for m in $modes; do
		t=$(median "$m")
		check "$m, races=$r: $(ratio "$t" "${base[$m]}")x baseline, $(ratio "$t" "${tracked[$m]}")x tracking alone" test -n "$t"
	done
	echo races=off > "$D/control"
done
ms_unload
finish
