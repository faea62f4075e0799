# The site table: staged and armed only when it is the running kernel's;
# forks then count exactly (no unverifiable folios from fork walks).
# timeout: 240
. "$MS_WORK/guest/lib.sh"

T=$MS_WORK/sites.tbl
need_site_table
MS_NO_SITES=1 ms_load || { not_ok "insmod"; finish; }
stage() { cat > "$D/sites"; }
check "arming with nothing staged fails" bash -c "! echo sites=on > $D/control 2>/dev/null"
sed 's/^build-id .*/build-id 0123456789abcdef0123456789abcdef01234567/' "$T" | stage 2>/dev/null
check "a table with another build id is refused" bash -c "! echo sites=on > $D/control 2>/dev/null"
check "the refusal names the build ids" bash -c "dmesg | grep -q 'table is for build id 0123456789abcdef'"
sed 's/^field large_mapcount .*/field large_mapcount 0x48/' "$T" | stage 2>/dev/null
check "a table with other field offsets is refused" bash -c "! echo sites=on > $D/control 2>/dev/null"
sed 's/^word _flags_1 .*/word _flags_1 0x48/' "$T" | stage 2>/dev/null
check "a table with another flags word offset is refused" bash -c "! echo sites=on > $D/control 2>/dev/null"
check "the refusal names the word" bash -c "dmesg | grep -q 'flags word .* this module has it at'"
check "garbage is refused by the write" bash -c "! head -c 3000 /dev/urandom > $D/sites 2>/dev/null"
# Change the bytes of one needed site only: staging passes, arming must not.
awk '!done && /^site / && $7 == "large_mapcount" { $4 = "90" substr($4, 3); done = 1 } { print }' "$T" | stage
check "a table whose bytes differ is refused at arming" bash -c "! echo sites=on > $D/control 2>/dev/null"
check "the refusal shows both instructions" bash -c "dmesg | grep -q 'instruction is .* table says'"
check "nothing armed after a refusal" test "$(stat_of sites_armed)" = 0
# A needed site the generator was unsure of (page or folio?): the table
# would miss its writes while forks trust it, so none of it is armed.
# (Only a _mapcount site can be unsure: the parser refuses the flag elsewhere.)
awk '!done && $1 == "site" && $2 == "copy_page_range" &&
	$7 == "mapcount" && $10 !~ /page|ool/ {
	$0 = $0 (NF >= 10 ? ",unsure" : " unsure"); done = 1 } { print }' "$T" | stage
check "a table with an unsure needed site is refused whole" bash -c "! echo sites=on > $D/control 2>/dev/null"
check "the refusal names the site" bash -c "dmesg | grep -q 'is needed but cannot be armed (unsure-page-or-folio)'"
check "nothing armed after that refusal" test "$(stat_of sites_armed)" = 0
stage < "$T"
check "the kernel's own table arms" bash -c "echo sites=on > $D/control"
check "stats say sites are armed" test "$(stat_of sites_armed)" = 1
armed=$(awk '$2 ~ /^site-/ && $3 == "armed"' "$D/hooks" | wc -l)
check "at least 4 sites armed ($armed)" test "$armed" -ge 4
walks0=$(stat_of fork_walks)
for w in fork-cow fork-child-alive; do
	check "workload $w" "$MS_BIN/$w" -q
done
check "no fork walks with sites armed" test "$(stat_of fork_walks)" = "$walks0"
hits=$(awk '$2 ~ /^site-/ && $1 ~ /^copy_page_range/ { s += $4 } END { print s + 0 }' "$D/hooks")
check "fork sites hit ($hits)" test "$hits" -gt 0
echo scan > "$D/control"
check "scan: 0 disagreements" test "$(sed -n 's/^disagreed: //p' "$D/scan")" = 0
stage < "$T"
check "a staged table cannot replace an armed one" bash -c "dmesg | tail -n 3 | grep -q 'a table is armed'"
check "sites=off disarms" bash -c "echo sites=off > $D/control && test \$(sed -n 's/^sites_armed: //p' $D/stats) = 0"
no_findings "the workloads"
diag "$(grep site- "$D/hooks")"
ms_unload
finish
