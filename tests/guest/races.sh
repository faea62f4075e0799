# The flag-race detector on the kernel's own inventory: races=on arms a
# probe on every non-atomic flags writer the table lists; the workloads
# (THP split, COW, swap, migration, file pages, KSM, mlock) then run them,
# and none may report: the kernel's non-atomic writes happen only while
# nobody else can reach the folio.  A site that reports is explained in
# the closing notes and allow-listed with its reason, or is a kernel bug.
# timeout: 420
. "$MS_WORK/guest/lib.sh"

T=$MS_WORK/sites.tbl
need_site_table
MS_NO_SITES=1 ms_load || { not_ok "insmod"; finish; }
check "races=on without a staged table fails" bash -c "! echo races=on > $D/control 2>/dev/null"
check "races: off, nothing staged" grep -q '^# races off: 0 flag writers staged' "$D/races"
cat "$T" > "$D/sites"
staged=$(grep -c '^race ' "$T")
check "races: off, $staged staged" grep -q "^# races off: $staged flag writers staged" "$D/races"
check "races=on arms" bash -c "echo races=on > $D/control"
check "races=on twice fails" bash -c "! echo races=on > $D/control 2>/dev/null"
rows=$(grep -vc '^#' "$D/races")
check "races lists every writer ($rows of $staged)" test "$rows" = "$staged"
armed=$(awk '!/^#/ && $6 == "armed"' "$D/races" | wc -l)
check "most non-atomic writers armed ($armed)" test "$armed" -ge 20
check "atomic writers are listed, not probed" \
	bash -c "awk '!/^#/ && \$2 == \"atomic\" && \$6 != \"listed\"' $D/races | grep -q . && exit 1 || exit 0"
echo sites=on > "$D/control"
for w in thp-pte-map split-thp fork-cow fork-child-alive partial-munmap mremap-thp \
	 file-map shmem-thp mthp migrate; do
	check "workload $w" "$MS_BIN/$w" -q
done
if zram_swap_on 256M; then
	check "workload pageout (zram swap)" "$MS_BIN/pageout" -q
	zram_swap_off
fi
hits=$(awk '!/^#/ { s += $7 } END { print s + 0 }' "$D/races")
check "flag writers hit ($hits)" test "$hits" -gt 0
check "no flag-race findings ($(findings_of flag-race kind | wc -l))" \
	test "$(findings_of flag-race kind | wc -l)" = 0
check "no flag-lost findings ($(findings_of flag-lost kind | wc -l))" \
	test "$(findings_of flag-lost kind | wc -l)" = 0
diag "writers hit (hits/reachable/lost): $(awk '!/^#/ && $7 > 0 { printf "%s:%s:%s/%s/%s ", $1, $5, $7, $8, $9 }' "$D/races")"
grep -A3 'flag-' "$D/findings_detail" | head -n 60 | sed 's/^/# /'
check "races=off disarms" bash -c "echo races=off > $D/control"
check "races: off again" grep -q '^# races off' "$D/races"
no_findings "the workloads with races armed"
ms_unload
finish
