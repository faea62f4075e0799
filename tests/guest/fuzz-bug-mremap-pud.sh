# fuzz-bug-mremap-pud: the kernel bug "make fuzz" found (seed 7031 on 7.3;
# tests/fuzz/bugs/mremap-unaligned-pud.md), replayed from its minimized
# program.  mremap() moves a 1 GiB device-dax mapping, PUD-mapped, to an
# address that is not 1 GiB aligned: move_page_tables() has no split for
# a huge PUD there and falls through to get_old_pmd(), whose
# pud_none_or_clear_bad() says "bad pud" and clears the entry.  The
# mapping goes without its rmap removal, its rss counter or its folio
# reference.  Where the kernel counts device-dax mappings (7.x: rmap and
# MM_FILEPAGES), mapshadow reports mm-leak when the mm is torn down and
# the kernel "Bad rss-counter"; where it does not (6.12: a pfn mapping),
# the kernel's "bad pud" is the only symptom and mapshadow, which sees
# no mapping to count, reports nothing.
# Needs the 1 GiB aligned device-dax of make fuzz's guest: tests/check.sh
# boots one guest for the fuzz-bug-* tests (MS_MEM=7G, memmap=2G!4G).
# timeout: 300
# allow-log: : bad pud [0-9a-f]|BUG: Bad rss-counter
. "$MS_WORK/guest/lib.sh"

prog=$FZ/mremap-pud.txt
mkdir -p $FZ
cat > $prog <<'PROG'
# msfuzz v1 seed=7031 ops=150 procs=4 maxmem=256M hwpoison=1 dax=1 shmem-huge=1 hugetlb-1g=1 dax-1g=1
p0 map m2 dax-1g 1G
p0 mremap m2 +0 1G 1G fixed m3
p0 fork p1
p1 write m3 +610M 2M 75
p1 mremap m3 +0 1G 1G maymove m7
p1 mremap m7 +0 1G 1G fixed m8
PROG

# The write-up's standalone reproducer (tests/fuzz/bugs/, in the work
# folder as bugs/).
cp "$MS_WORK/bugs/mremap-unaligned-pud.c" $FZ/repro.c

fuzz_dax_setup
if [ -z "${MSFUZZ_DAX_1G:-}" ]; then
	not_ok "a 1 GiB aligned device-dax (boot with memmap=2G!4G and 7 GiB)"
	finish
fi
export MSFUZZ_DAX_1G

# run_prog: the program once, from a clean kernel log; its log in $FZ/log.
run_prog() {
	dmesg -C
	timeout 120 "$FUZZ" run $prog > $FZ/out 2>&1
	sleep 0.5
	dmesg > $FZ/log
}

ms_load || { not_ok "insmod"; finish; }
run_prog
check "the program runs to its end ($(grep '^msfuzz: ops=' $FZ/out))" grep -q '^msfuzz: ops=6 ' $FZ/out
check "the kernel clears a huge PUD as bad" grep -q ': bad pud ' $FZ/log
pud=$(sed -n 's/.*: bad pud [0-9a-f]*(\([0-9a-f]*\)).*/\1/p' $FZ/log | head -n1)
pfn=$(printf '0x%x' $(( (0x${pud:-0} & 0x000ffffffffff000) >> 12 )))
leak=$(grep -c 'Bad rss-counter state .*type:MM_FILEPAGES val:262144' $FZ/log)
diag "the PUD: ${pud:-?}, pfn $pfn; kernel rss-counter reports: $leak"
if [ "$leak" -gt 0 ]; then
	# 7.x: the kernel counted the mapping and lost it: mapshadow says
	# so when the entry goes, and again when the mm is torn down.
	check "mapshadow: exactly two findings ($(nfind))" test "$(nfind)" = 2
	check "first a mapping-dropped, in pud_clear_bad" \
		test "$(finding 1 kind) $(finding 1 source)" = "mapping-dropped pud_clear_bad"
	check "on the 1 GiB folio ($pfn, order 18), shadow 1 live 1" \
		test "$(finding 1 pfn) $(finding 1 order) $(finding 1 shadow) $(finding 1 live)" = "$pfn 18 1 1"
	check "its stack is the mremap's" \
		bash -c "grep -q 'stack: move_page_tables' $D/findings_detail && grep -q 'stack: .*mremap' $D/findings_detail" ||
		diag "$(grep -m 20 'stack:' "$D/findings_detail")"
	sed -n '/^finding /,$p' "$D/findings_detail" | head -n 40 | sed 's/^/detail: /' |
		while IFS= read -r l; do diag "$l"; done
	check "then an mm-leak of one mapping, in exit_mmap" \
		test "$(finding 2 kind) $(finding 2 shadow) $(finding 2 source)" = "mm-leak 1 exit_mmap"
	check "its detail names the mm" grep -q '^  mm: rmap ID 0x[0-9a-f]* torn down with 1 mapping(s) never seen removed$' "$D/findings_detail"
	echo "show pfn=$pfn" > "$D/control"
	# No process maps it now: the kernel's count leaked with the
	# mapping, and the shadow (no removal was seen) agrees.
	check "the 1 GiB folio (show pfn=$pfn: a device page) still counts the lost mapping" \
		grep -qx 'live_mapcount: 1' "$D/folio"
	check "and so does its shadow, at PUD level" \
		bash -c "grep -qx 'shadow_mapcount: 1' $D/folio && grep -q '^shadow_levels: .*pud=1' $D/folio"
	diag "$(grep -E '^(pfn|order|state|shadow_mapcount|live_mapcount)' "$D/folio" | tr '\n' ' ')"
else
	# 6.12: device-dax PUDs are pfn mappings, with no rmap to count.
	check "mapshadow: nothing to see, no finding ($(nfind))" test "$(nfind)" = 0
fi
# The standalone reproducer, with mapshadow and without.
run_repro() {
	dmesg -C
	timeout 60 $FZ/repro "$MSFUZZ_DAX_1G" > $FZ/out 2>&1
	sleep 0.5
	dmesg > $FZ/log
}
check "the standalone reproducer builds" gcc -O2 -o $FZ/repro $FZ/repro.c
echo clear > "$D/control"
run_repro
check "it runs ($(head -n1 $FZ/out))" grep -q '^moved ' $FZ/out
check "and the kernel clears the PUD as bad" grep -q ': bad pud ' $FZ/log
if [ "$leak" -gt 0 ]; then
	check "mapshadow: mapping-dropped then mm-leak again" \
		test "$(finding 1 kind) $(finding 2 kind) $(nfind)" = "mapping-dropped mm-leak 2"
else
	check "mapshadow: again nothing ($(nfind))" test "$(nfind)" = 0
fi
ms_unload
run_prog
check "without mapshadow, the kernel's own symptom: the bad pud again" grep -q ': bad pud ' $FZ/log
check "and the same rss-counter verdict ($leak)" \
	test "$(grep -c 'Bad rss-counter state .*type:MM_FILEPAGES val:262144' $FZ/log)" = "$leak"
run_repro
check "the standalone reproducer without mapshadow: the bad pud" grep -q ': bad pud ' $FZ/log
check "and the same rss-counter verdict ($leak)" \
	test "$(grep -c 'Bad rss-counter state .*type:MM_FILEPAGES val:262144' $FZ/log)" = "$leak"
finish
