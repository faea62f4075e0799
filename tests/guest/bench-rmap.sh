# Cost of tracking, as a ratio to the same run without the module, in one
# boot: fork and munmap of 4096 small anon pages and of 64 MiB of PTE-mapped
# THP.  A measurement, not a pass/fail threshold: run it with "make bench"
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
for m in $modes; do
	t=$(median "$m")
	ratio=$(awk -v a="$t" -v b="${base[$m]}" 'BEGIN { printf "%.2f", a / b }')
	check "$m: ${ratio}x baseline (${t} ns vs ${base[$m]} ns)" test -n "$t"
done
ms_unload
finish
