# The flag-race detector catches what it claims, on writes made on purpose
# by tests/kmod/ms_flagrace (its three writers appended to the kernel's
# table): a non-atomic "or" of a page's flags while a second reference is
# held gives one flag-race, and none on a page held alone; a load, an
# atomic set of another bit, and a store of the loaded value give exactly
# one flag-lost naming the lost bit, both values and both writers.
# timeout: 180
. "$MS_WORK/guest/lib.sh"

T=$MS_WORK/sites.tbl
F=/sys/kernel/debug/ms_flagrace
need_site_table
MS_NO_SITES=1 ms_load || { not_ok "insmod"; finish; }
check "insmod ms_flagrace" insmod "$MS_KO/ms_flagrace.ko"
cat "$T" "$F/table" > "$D/sites"
check "races=all arms" bash -c "echo races=all > $D/control"
check "the test's three writers are armed" \
	test "$(grep -c '^ms_fr_.* armed ' "$D/races")" = 3
detail() { cat "$D/findings_detail"; }

echo quiet > "$F/run"
check "a non-atomic write to a page held alone: no finding ($(nfind))" test "$(nfind)" = 0
echo race > "$F/run"
pfn=$(awk '{ print $2 }' "$F/run")
check "a non-atomic write to a page referenced twice: one flag-race" \
	test "$(findings_of flag-race kind | wc -l)" = 1
check "it names the page ($pfn)" test "$(findings_of flag-race pfn)" = "$pfn"
check "it says why: referenced, refcount 2" \
	bash -c "cat $D/findings_detail | grep -q 'while reachable (ref): mapcount 0 refcount 2'"
check "it names the writer, the word and its bit" \
	bash -c "cat $D/findings_detail | grep -q 'ms_fr_rmw+0x[0-9a-f]* (ms_fr_rmw, rmw) of page bits owner_priv_1 '"
check "it has a stack" bash -c "cat $D/findings_detail | grep -q 'stack: .*ms_fr_rmw'"
check "its site is the writer's function, no offset (a stable report title)" \
	bash -c "cat $D/findings_detail | grep -qx '  site: ms_fr_rmw'"
echo race > "$F/run"
check "once per writer per arming: still one flag-race" \
	test "$(findings_of flag-race kind | wc -l)" = 1

echo lost > "$F/run"
pfn=$(awk '{ print $2 }' "$F/run")
check "a lost update: exactly one flag-lost" test "$(findings_of flag-lost kind | wc -l)" = 1
check "it names the page ($pfn)" test "$(findings_of flag-lost pfn)" = "$pfn"
lost=$(grep 'lost update at' "$D/findings_detail")
check "it names the lost bit" grep -q 'of page: private_2 ' <<< "$lost"
check "it gives the values loaded, in memory and stored" \
	grep -qE 'loaded 0x[0-9a-f]+, in memory 0x[0-9a-f]+, stored 0x[0-9a-f]+' <<< "$lost"
check "it names both writers" \
	grep -qE 'at ms_fr_lost\+0x[0-9a-f]+ \(ms_fr_lost, pair\) .* by ms_fr_lost\+0x[0-9a-f]+ \(ms_fr_lost, atomic\)' <<< "$lost"
check "no flag-race for it: the page was held alone" \
	test "$(findings_of flag-race kind | wc -l)" = 1
check "the races file counts it" \
	test "$(awk '$1 ~ /^ms_fr_lost/ && $2 == "pair" { print $9 }' "$D/races")" = 1
diag "$lost"

# Without the atomic writers probed, the other writer is unknown.
echo races=off > "$D/control"
echo races=on > "$D/control"
echo lost > "$F/run"
check "races=on: a second flag-lost" test "$(findings_of flag-lost kind | wc -l)" = 2
check "its other writer is unprobed" \
	bash -c "grep 'lost update at' $D/findings_detail | tail -n1 | grep -q 'by an unprobed writer'"
echo races=off > "$D/control"
check "rmmod ms_flagrace" rmmod ms_flagrace
# The remaining findings are the ones made here: a clean slate.
echo clear > "$D/control"
ms_unload
finish
