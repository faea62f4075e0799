# debugfs files: present, root-only, well-formed; refused to non-root.
# timeout: 60
. "$MS_WORK/guest/lib.sh"

ms_load || { not_ok "insmod"; finish; }
check "directory mode 0700" test "$(stat -c %a "$D")" = 700
# Every file, with its mode: reading files 0400, writing files 0200.
declare -A modes=([stats]=400 [hooks]=400 [scan]=400 [findings]=400
	[findings_detail]=400 [folio]=400 [control]=200 [sites]=200 [races]=400)
for f in "${!modes[@]}"; do
	check "$f: mode 0${modes[$f]}, owned by root" \
		test "$(stat -c '%a %u' "$D/$f" 2>&1)" = "${modes[$f]} 0"
done
check "no file that is not listed (${#modes[@]} files)" \
	test "$(ls "$D" | wc -l)" = "${#modes[@]}"
check "stats lines are 'key: value'" \
	bash -c "! grep -vE '^[a-z_-]+: [A-Za-z0-9._+~:-]+\$' $D/stats"
check "stats reports version" test -n "$(stat_of version)"
check "stats names this kernel" test "$(stat_of kernel)" = "$(uname -r)"
check "hooks_total equals hook rows in hooks" \
	test "$(stat_of hooks_total)" = "$(grep -v '^#' "$D/hooks" | awk '$2 !~ /^site-/' | wc -l)"
# The store's cost, from one read: entries x entry size per class, the
# index and the history rings.
snap=$(cat "$D/stats")
sv() { awk -v k="$1:" '$1 == k { print $2 }' <<<"$snap"; }
check "folios_tracked = folios_tracked_small + folios_tracked_large" \
	test "$(sv folios_tracked)" = "$(( $(sv folios_tracked_small) + $(sv folios_tracked_large) ))"
check "store_bytes = small and large entries x their sizes + index + history" \
	test "$(sv store_bytes)" = \
	"$(( $(sv folios_tracked_small) * $(sv store_small_entry_bytes) +
	     $(sv folios_tracked_large) * $(sv store_large_entry_bytes) +
	     $(sv store_index_bytes) + $(sv store_history_bytes) ))"
check "store_small_entry_bytes is one slab object (32..128)" \
	test "$(sv store_small_entry_bytes)" -ge 32 -a "$(sv store_small_entry_bytes)" -le 128
check "a large entry is 3 sums bigger than a small one" \
	test "$(sv store_large_entry_bytes)" -ge $(( $(sv store_small_entry_bytes) + 24 ))
check "store_index_bytes is the bucket array (> 0)" \
	test "$(sv store_index_bytes)" -gt 0
check "store_history_bytes is the rings: 32768 events per CPU (default), 40 B or more each" \
	test "$(sv store_history_bytes)" -ge $(( $(nproc --all) * 32768 * 40 ))
check "hooks rows have 6 columns" \
	bash -c "grep -v '^#' $D/hooks | awk 'NF != 6 { exit 1 }'"
check "mapshadow status runs" mapshadow status
check "mapshadow hooks lists mm_page_free" \
	bash -c 'mapshadow hooks | grep -q mm_page_free'
# nobody may not read, even with the directory opened up for the test
chmod 755 /sys/kernel/debug
check "non-root cannot read stats" \
	bash -c "! setpriv --reuid=65534 --regid=65534 --clear-groups cat $D/stats 2>/dev/null"
check "non-root cannot list the directory" \
	bash -c "! setpriv --reuid=65534 --regid=65534 --clear-groups ls $D 2>/dev/null"
check "non-root CLI fails with a clear error" \
	bash -c "setpriv --reuid=65534 --regid=65534 --clear-groups mapshadow stats 2>&1 | grep -qi 'permission denied\|root'"
chmod 700 /sys/kernel/debug
ms_unload
check "CLI reports an unloaded module" \
	bash -c 'mapshadow status 2>&1 | grep -q "not loaded"'
finish
