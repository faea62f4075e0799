# mapshadow sites generate on the running kernel: the harness shares the
# kernel's DWARF vmlinux (the -dbg package's, or the debug kernel's own);
# the CLI checks its build ID against /sys/kernel/notes, runs the guest's
# ms-sitegen on it, stages and arms the table, which must then equal the
# harness's own (generated on the host from the same vmlinux). Also the
# errors: no vmlinux in the usual places (none are installed here), and a
# file that is not the running kernel's.
# timeout: 300
. "$MS_WORK/guest/lib.sh"

need_site_table
vmlinux=$(cat "$MS_WORK/vmlinux")
rel=$(uname -r)
MS_NO_SITES=1 ms_load || { not_ok "insmod"; finish; }
err=$("$MS_BIN/mapshadow" sites generate 2>&1); rc=$?
check "no vmlinux installed: exit 1 ($rc)" test "$rc" = 1
check "no vmlinux installed: says where it looked and what to install" \
	grep -q "no DWARF vmlinux of the running kernel $rel (looked in /usr/lib/debug/boot/vmlinux-$rel, .*linux-image-$rel-dbg" <<< "$err"
err=$("$MS_BIN/mapshadow" sites generate "$MS_BIN/mapshadow" 2>&1); rc=$?
check "another file: exit 1 ($rc)" test "$rc" = 1
check "another file: refused by build ID" grep -q "not its vmlinux\|no build ID note" <<< "$err"
diag "$err"
check "no table armed by the failures" grep -q '^sites_armed: 0$' "$D/stats"
start=$SECONDS
out=$("$MS_BIN/mapshadow" sites generate "$vmlinux" 2>&1); rc=$?
diag "$out (in $((SECONDS - start)) s)"
check "sites generate $vmlinux: exit 0 ($rc)" test "$rc" = 0
check "it says armed" grep -q "generated from $vmlinux and armed" <<< "$out"
check "the module armed it" grep -q '^sites_armed: 1$' "$D/stats"
"$MS_BIN/mapshadow" sites generate -o /tmp/guest.tbl "$vmlinux" >/dev/null 2>&1
# The mapcount sites, build ID and release must be the host's. The flags
# inventory ("race" lines) may differ: the guest's capstone (trixie's 5)
# decodes a few instructions the host's (bookworm's 4) does not.
grep -v '^race \|^#' /tmp/guest.tbl > /tmp/guest.sites
grep -v '^race \|^#' "$MS_WORK/sites.tbl" > /tmp/host.sites
check "the guest's table has the host's sites ($(grep -c '^site ' /tmp/guest.sites))" \
	cmp /tmp/guest.sites /tmp/host.sites
diag "race lines: guest $(grep -c '^race ' /tmp/guest.tbl), host $(grep -c '^race ' "$MS_WORK/sites.tbl")"
err=$("$MS_BIN/mapshadow" sites generate "$vmlinux" 2>&1); rc=$?
check "again while armed: refused ($rc)" grep -q "disarm it first" <<< "$err"
ms_unload
finish
