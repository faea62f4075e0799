# The fuzz lane in small (make check; "make fuzz" is the real run): msfuzz
# in the guest with mapshadow as its oracle.  A seed gives the same program
# twice, another seed another; a fixed seed's program runs to its end with
# no report; and a fault injected on purpose (ms_inject: a lost increment
# on a page the program maps, then its unmap) goes the lane's whole way: a
# failure titled "BUG: mapshadow: underflow in ...", reproduced on a second
# run, minimized by msfuzz min down to the fault's own operations, and a
# C reproducer that builds and gives the same report with mapshadow, and
# the kernel's own report (a bad page state) without it.
# timeout: 700
# allow-log: BUG: mapshadow: |BUG: Bad page|Call Trace:|Bad page (state|map)|page dumped because|nonzero mapcount|Disabling lock debugging|ms_inject
. "$MS_WORK/guest/lib.sh"

fuzz_setup
ms_load report=warn || { not_ok "insmod"; fuzz_teardown; finish; }
export -f fuzz_still fuzz_try fuzz_title fuzz_title_of fuzz_drop_inject
export D FUZZ

"$FUZZ" gen -s 7 -n 60 > $FZ/a.txt
"$FUZZ" gen -s 7 -n 60 > $FZ/b.txt
"$FUZZ" gen -s 8 -n 60 > $FZ/c.txt
check "a seed gives the same program twice" cmp -s $FZ/a.txt $FZ/b.txt
check "another seed another program" bash -c "! cmp -s $FZ/a.txt $FZ/c.txt"
fuzz_try $FZ/a.txt
check "seed 7 runs to its end ($FZ_SUMMARY)" grep -q '^msfuzz: ops=[1-9]' <<< "$FZ_SUMMARY"
check "with no report (${FZ_TITLE:-none}) and no finding ($(nfind))" \
	test -z "$FZ_TITLE" -a "$(nfind)" = 0

# The injected fault, inside a generated program: its first operations,
# then the fault on a handle of its own.
insmod "$MS_KO/ms_inject.ko" || { not_ok "insmod ms_inject"; finish; }
{
	head -n 12 $FZ/a.txt
	echo "p0 map m200 anon 16K"
	echo "p0 write m200 +0 16K"
	echo "p0 inject m200 +0x1000 skip-inc"
	echo "p0 munmap m200 +0 16K"
} > $FZ/inj.txt
fuzz_try $FZ/inj.txt
title=$FZ_TITLE
check "the injected fault fails the program: '$title'" \
	grep -q '^BUG: mapshadow: underflow in ' <<< "$title"
fuzz_try $FZ/inj.txt
check "and again on a second run" test "$FZ_TITLE" = "$title"
timeout 300 "$FUZZ" min $FZ/inj.txt -- bash -c 'fuzz_still "$1" "$2"' _ "$title" > $FZ/min.txt
# Only the fault's own operations stay; the munmap may go too (the
# program's end unmaps as well).
kept=$(grep -v '^#' $FZ/min.txt | cut -d' ' -f2- | tr '\n' ';')
check "msfuzz min keeps only the fault's operations: $kept" \
	grep -qE '^map m200 anon 16K;write m200 \+0 16K;inject m200 \+4K skip-inc;(munmap m200 \+0 16K;)?$' <<< "$kept"
"$FUZZ" c $FZ/min.txt > $FZ/repro.c
check "its C reproducer builds" gcc -O1 -o $FZ/repro $FZ/repro.c
echo clear > "$D/control"
dmesg -C
$FZ/repro >/dev/null 2>&1
sleep 0.2
check "the reproducer gives the same report with mapshadow" test "$(fuzz_title)" = "$title"
fuzz_drop_inject
ms_unload
dmesg -C
$FZ/repro >/dev/null 2>&1
sleep 0.5
own=$(fuzz_title -k)
fuzz_drop_inject
check "and the kernel's own without it: '$own'" grep -q 'Bad page' <<< "$own"
fuzz_teardown

# The lane itself (make fuzz's guest side), two programs that each end
# with the same injected fault: the first failure is new (confirmed,
# minimized, reproduced with and without mapshadow, its files printed for
# the host), the second only counted.
out=$(MS_FUZZ_COUNT=2 MS_FUZZ_INJECT=1 MS_FUZZ_OPS=30 MS_FUZZ_SECS=600 \
	MS_FUZZ_MIN_SECS=200 bash "$MS_WORK/guest/fuzz-lane.sh" 2>&1)
lane() { grep -qE -- "$1" <<< "$out"; }
check "lane: the first program's failure, confirmed and minimized, is a not ok" \
	lane '^not ok .*failure \(seed 1, reproduced, [1-9][0-9]* ops\): BUG: mapshadow: underflow in folio_remove_rmap_ptes$'
check "lane: the second's has the same title: counted, not reported again" \
	lane 'seed 2: again: BUG: mapshadow: underflow in folio_remove_rmap_ptes'
check "lane: its program, minimized program and C reproducer go to the host" \
	bash -c 'for f in seed1.txt seed1.min.txt seed1.c seed1.report; do grep -q "^fuzz-file-end $f$" <<< "$0" || exit 1; done' "$out"
check "lane: its report has the kernel's own symptom without mapshadow" \
	lane '^fuzz-file seed1.report: reproducer without mapshadow \(the kernel.s own symptom\): BUG: Bad page'
check "lane: its stats" lane 'fuzz-stats programs=2 .* failures=2 unique=1 '
check "lane: hooks hit, for the coverage" lane '^fuzz-hit folio_remove_rmap_ptes$'
[ "$TAP_FAILED" = 0 ] || printf '%s\n' "$out" | grep -v '^fuzz-file' | tail -n 30 | sed 's/^/# lane: /'
rmmod ms_inject
finish
