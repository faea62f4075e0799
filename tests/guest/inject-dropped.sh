# mapping-dropped: the kernel's own pmd_clear_bad() on a PMD-mapped THP
# (ms_inject clear-bad-pmd: "bad pmd", the entry cleared, as a page-table
# walker does that meets a huge PMD where it expects a page table, the
# kernel bug of tests/fuzz/bugs/mremap-unaligned-pud.md one level down)
# gives exactly one mapping-dropped finding on that folio, at once, with
# the caller's stack; the injector then puts the entry back, so the
# process's exit leaves nothing (no mm-leak, no bad rss-counter).
# timeout: 120
# allow-log: : bad pmd [0-9a-f]
. "$MS_WORK/guest/lib.sh"

I=/sys/kernel/debug/ms_inject/ctl
sysfs_set /sys/kernel/mm/transparent_hugepage/enabled madvise
ms_load || { not_ok "insmod mapshadow"; sysfs_restore; finish; }
insmod "$MS_KO/ms_inject.ko" || { not_ok "insmod ms_inject"; ms_unload; sysfs_restore; finish; }

target thp || not_ok "start target"
dmesg -C
check "no findings at start" test "$(nfind)" = 0
if ! echo "$TPID $A1 clear-bad-pmd" > $I 2>/dev/null; then
	# EINVAL: no PMD-mapped THP there (THP off or no huge page free).
	not_ok "inject clear-bad-pmd at $A1 (a PMD-mapped THP?)"
	stop
	rmmod ms_inject
	ms_unload
	sysfs_restore
	finish
fi
pfn=$(sed -n 's/^pfn: //p' $I)
check "the kernel said bad pmd" bash -c "dmesg | grep -q ': bad pmd '"
check "exactly one finding, at once ($(nfind))" test "$(nfind)" = 1
check "kind mapping-dropped" test "$(finding 1 kind)" = mapping-dropped
check "names the THP, pfn $pfn, order 9" test "$(finding 1 pfn) $(finding 1 order)" = "$pfn 9"
check "shadow 1, live 1 (the kernel still counts it)" test "$(finding 1 shadow) $(finding 1 live)" = "1 1"
check "names the hook" test "$(finding 1 source)" = pmd_clear_bad
check "detail: a stack through the caller" grep -q 'stack: clear_bad_pmd.*\[ms_inject\]' "$D/findings_detail" ||
	diag "$(cat "$D/findings_detail")"
check "the hook counted one hit" test "$(hook_field pmd_clear_bad 4)" -ge 1 ||
	diag "$(grep clear_bad "$D/hooks")"
stop
sleep 0.5
check "the entry was put back: the exit leaves no more findings ($(nfind))" test "$(nfind)" = 1
check "and no rss-counter report" bash -c "! dmesg | grep -q 'Bad rss-counter'"
rmmod ms_inject
ms_unload
sysfs_restore
finish
