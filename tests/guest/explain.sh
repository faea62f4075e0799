# mapshadow explain PID ADDR on a real process: a file page mapped twice
# shows the same count from mapshadow and the kernel, and kpagecount; after
# an injected lost increment and one unmap, the same address shows the
# shadow's 1 against the kernel's 0, and the finding.
# timeout: 120
. "$MS_WORK/guest/lib.sh"

I=/sys/kernel/debug/ms_inject/ctl
ms_load || { not_ok "insmod"; finish; }
insmod "$MS_KO/ms_inject.ko" || { not_ok "insmod ms_inject"; finish; }
target twice /tmp/explain-file || not_ok "start target"
out=$("$MS_BIN/mapshadow" explain "$TPID" "$A2")
check "explain: exit 0" "$MS_BIN/mapshadow" explain "$TPID" "$A2"
check "it names the process, address and pfn" grep -qE "^process $TPID address $A2: pfn 0x[0-9a-f]+, folio 0x[0-9a-f]+ of order 0" <<< "$out"
check "mapshadow counts 2 mappings" grep -q 'mapshadow  tracked yes, [a-z]*, shadow mapcount 2$' <<< "$out"
check "the kernel too" grep -q 'kernel     folio_mapcount() 2, _mapcount=1 ' <<< "$out"
check "with kpagecount 2 and its flags" grep -qE '/proc      kpagecount 2, kpageflags [a-z_|]*mmap' <<< "$out"
check "no finding yet" grep -q 'findings   none for this folio' <<< "$out"
diag "$out"
check "inject skip-inc" bash -c "echo '$TPID $A1 skip-inc' > $I"
check "unmap one of two mappings" cmd unmap1
sleep 0.5
out=$("$MS_BIN/mapshadow" explain "$TPID" "$A2")
check "after it: mapshadow 1" grep -q 'shadow mapcount 1$' <<< "$out"
check "after it: the kernel 0" grep -q 'folio_mapcount() 0,' <<< "$out"
check "and the finding" grep -q 'finding    1: live-unmapped, shadow 1 live 0 (inject-target in folio_remove_rmap_ptes)' <<< "$out"
diag "$out"
echo undo > "$I"
cmd unmap2
err=$("$MS_BIN/mapshadow" explain "$TPID" "$A2" 2>&1); rc=$?
check "explain of an unmapped address fails ($rc)" test "$rc" = 1
check "with one line that says so" grep -qx "mapshadow: nothing is mapped at $A2 in process $TPID" <<< "$err"
stop
rmmod ms_inject
ms_unload
finish
