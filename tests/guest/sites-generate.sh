# mapshadow sites generate on the running kernel: the harness shares the
# kernel's DWARF vmlinux (the -dbg package's, or the debug kernel's own);
# the CLI checks its build ID against /sys/kernel/notes, runs the guest's
# ms-sitegen on it, stages and arms the table, which must then equal the
# harness's own (generated on the host from the same vmlinux). Without a
# path: a self-built kernel's build tree (/lib/modules/REL/build, the O=
# object tree, shared with the kernel's folder) holds its DWARF vmlinux,
# which the CLI finds and uses, with the source tree (build/source) for
# rmap.h; on a Debian kernel none is installed here: the error says where
# it looked. Also the error for a file that is not the running kernel's.
# timeout: 300
. "$MS_WORK/guest/lib.sh"

need_site_table
vmlinux=$(cat "$MS_WORK/vmlinux")
rel=$(uname -r)
# The mapcount sites, build ID and release must be the host's. The flags
# inventory ("race" lines) may differ: the guest's capstone (trixie's 5)
# decodes a few instructions the host's (bookworm's 4) does not.
grep -v '^race \|^#' "$MS_WORK/sites.tbl" > /tmp/host.sites
MS_NO_SITES=1 ms_load || { not_ok "insmod"; finish; }
built=/lib/modules/$rel/build/vmlinux
if [ "$built" -ef "$vmlinux" ]; then
	# -o: found, generated, not armed (the checks below need it unarmed).
	out=$("$MS_BIN/mapshadow" sites generate -o /tmp/found.tbl 2>&1); rc=$?
	diag "$out"
	check "the build tree's vmlinux: exit 0 ($rc)" test "$rc" = 0
	check "the build tree's vmlinux: found and used" \
		grep -qF "site table of $rel ($built) written to /tmp/found.tbl" <<< "$out"
	grep -v '^race \|^#' /tmp/found.tbl > /tmp/found.sites
	check "the build tree's vmlinux: the host's sites ($(grep -c '^site ' /tmp/found.sites))" \
		cmp /tmp/found.sites /tmp/host.sites
else
	err=$("$MS_BIN/mapshadow" sites generate 2>&1); rc=$?
	check "no vmlinux installed: exit 1 ($rc)" test "$rc" = 1
	check "no vmlinux installed: says where it looked and what to install" \
		grep -q "no DWARF vmlinux of the running kernel $rel (looked in /usr/lib/debug/boot/vmlinux-$rel, .*linux-image-$rel-dbg" <<< "$err"
fi
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
grep -v '^race \|^#' /tmp/guest.tbl > /tmp/guest.sites
check "the guest's table has the host's sites ($(grep -c '^site ' /tmp/guest.sites))" \
	cmp /tmp/guest.sites /tmp/host.sites
diag "race lines: guest $(grep -c '^race ' /tmp/guest.tbl), host $(grep -c '^race ' "$MS_WORK/sites.tbl")"
err=$("$MS_BIN/mapshadow" sites generate "$vmlinux" 2>&1); rc=$?
check "again while armed: refused ($rc)" grep -q "disarm it first" <<< "$err"
ms_unload
finish
