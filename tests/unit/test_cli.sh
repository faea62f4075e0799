#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# test_cli.sh: the mapshadow CLI against fake debugfs directories built in a
# temporary directory: output and exit status for good files, a missing
# directory (module not loaded), malformed files, unreadable files and
# usage errors. The writable files (control, sites) are regular files here,
# so the tests read back what the CLI wrote. TAP on stdout.
#
# MAPSHADOW names the binary (tests/unit/Makefile sets it); by default the
# one built in debugfs-tools/.
set -u

here=$(cd "$(dirname "$0")" && pwd)
MAPSHADOW=${MAPSHADOW:-$here/../../debugfs-tools/mapshadow}
unset MAPSHADOW_DEBUGFS

. "$here/../tap.sh"

if [ ! -x "$MAPSHADOW" ]; then
	echo "Bail out! no mapshadow binary at $MAPSHADOW (make -C debugfs-tools)"
	echo "# Totals: pass:0 fail:1"
	exit 1
fi

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# run ARGS...: run the CLI, leaving $out, $err and $rc.
run() {
	"$MAPSHADOW" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}

# What the last run printed, after a failed check (tests/tap.sh).
show_run() {
	echo "# the CLI's exit status $rc"
	sed 's/^/# stdout: /' "$tmp/out"
	sed 's/^/# stderr: /' "$tmp/err"
}
TAP_ON_FAIL=show_run

skip() {
	ok "$1 # SKIP $2"
}

is_rc() { [ "$rc" = "$1" ]; }
out_is() { [ "$out" = "$1" ]; }
err_is() { [ "$err" = "$1" ]; }
# Usage and runtime errors: nothing on stdout, exactly one line on stderr.
one_error_line() { [ -z "$out" ] && [ -n "$err" ] && [ "$(wc -l <"$tmp/err")" = 1 ]; }
err_has() { case $err in *"$1"*) return 0 ;; esac; return 1; }
out_has() { case $out in *"$1"*) return 0 ;; esac; return 1; }
# bytes_are FILE TEXT: FILE holds exactly TEXT (what the CLI wrote to it).
bytes_are() { printf '%s' "$2" | cmp -s - "$1"; }

# --- fake debugfs directories ---------------------------------------------

# good: findings of two kinds, a scan with disagreements, sites armed
good=$tmp/good
mkdir "$good"
cat >"$good/stats" <<'EOF'
version: 0.1.0
enabled: 1
hooks_armed: 2
hooks_total: 3
sites_armed: 1
events: 12345
findings_mismatch: 1
findings_live-unmapped: 0
findings_shadow-unmapped: 0
findings_underflow: 3
findings_freed-mapped: 0
findings_kernel-report: 0
findings_overflow: 0
validate_checks: 77
filter_mode: all
filter_value: -
EOF
cat >"$good/hooks" <<'EOF'
# target                      mechanism      state  hits      missed  reason
folio_add_anon_rmap_ptes      kprobe-ftrace  armed  1234      0       -
folio_add_file_rmap_pud       kprobe         off    0         0       symbol-not-found
mm_page_free                  tracepoint     armed  99999     0       -
EOF
cat >"$good/findings" <<'EOF'
# id time_ns kind pfn order type shadow live pid comm source
1 19052441796 mismatch 0x1a2b3c 9 anon 512 511 1 systemd folio_add_anon_rmap_ptes
2 19052442000 underflow 0x329d 0 anon 0 -1 258 inject-target folio_remove_rmap_ptes
3 120000000000 underflow 0xffffffffffffffff 0 file -1 -2 0 - inline-site
4 121500000000 underflow 0x10 2 shmem 1 1 4242 Web Content fork-walk
EOF
cat >"$good/findings_detail" <<'EOF'
finding 1: mismatch
  folio: pfn 0x1a2b3c order 9 anon, shadow strict
  mapcount: shadow 512 live 511
  stack: folio_add_anon_rmap_ptes+0x5/0x1a0
finding 2: underflow
  folio: pfn 0x329d order 0 anon, shadow strict
  seen by: pid 258 comm inject-target in folio_remove_rmap_ptes
EOF
cat >"$good/scan" <<'EOF'
scans: 2
strict: 1200
agreed: 1190
disagreed: 2
busy: 8
reshaped: 0
unchecked: 35
fork_overlap: 0
disagree: pfn=0x329d order=0 shadow=1 live=2 pte=1 pmd=0 pud=0 hugetlb=0
disagree: pfn=0x200000 order=9 shadow=512 live=0 pte=0 pmd=1 pud=0 hugetlb=0
EOF
: >"$good/control"
: >"$good/sites"

# clean: no findings, a scan without disagreements, no sites, a pid filter
clean=$tmp/clean
mkdir "$clean"
sed -e 's/^\(findings_[a-z-]*\): .*/\1: 0/' -e 's/^sites_armed: 1/sites_armed: 0/' \
	-e 's/^enabled: 1/enabled: 0/' -e 's/^filter_mode: all/filter_mode: pid/' \
	-e 's/^filter_value: -/filter_value: 1234/' "$good/stats" >"$clean/stats"
cp "$good/hooks" "$clean/hooks"
echo "# id time_ns kind pfn order type shadow live pid comm source" >"$clean/findings"
: >"$clean/findings_detail"
printf 'scans: 1\nstrict: 7\nagreed: 7\ndisagreed: 0\nbusy: 0\nreshaped: 0\nunchecked: 12\nfork_overlap: 0\n' \
	>"$clean/scan"
: >"$clean/control"
: >"$clean/sites"

badstats=$tmp/badstats
mkdir "$badstats"
cp "$good/hooks" "$badstats/hooks"
printf 'version: 0.1.0\nenabled: 1\nhooks_armed 2\nevents: 5\n' >"$badstats/stats"

negstats=$tmp/negstats
mkdir "$negstats"
cp "$good/hooks" "$negstats/hooks"
printf 'version: 0.1.0\nevents: -5\n' >"$negstats/stats"

badhooks=$tmp/badhooks
mkdir "$badhooks"
cp "$good/stats" "$badhooks/stats"
head -n 2 "$good/hooks" >"$badhooks/hooks"
echo "folio_remove_rmap_ptes kprobe armed 5 0" >>"$badhooks/hooks"

nohooks=$tmp/nohooks
mkdir "$nohooks"
cp "$good/stats" "$nohooks/stats"

# --- good files -------------------------------------------------------------

run -d "$good" status
check "status: exit 0" is_rc 0
check "status: summary" out_is "mapshadow: loaded, version 0.1.0
validation: enabled
hooks: 2 of 3 armed
  off: folio_add_file_rmap_pud (kprobe): symbol-not-found
sites: armed
filter: all
events: 12345
findings: 4 (mismatch 1, underflow 3)"
check "status: nothing on stderr" err_is ""

run -d "$good" stats
check "stats: exit 0" is_rc 0
check "stats: aligned table" out_is "STAT                      VALUE
version                   0.1.0
enabled                   1
hooks_armed               2
hooks_total               3
sites_armed               1
events                    12345
findings_mismatch         1
findings_live-unmapped    0
findings_shadow-unmapped  0
findings_underflow        3
findings_freed-mapped     0
findings_kernel-report    0
findings_overflow         0
validate_checks           77
filter_mode               all
filter_value              -"

run -d "$good" hooks
check "hooks: exit 0" is_rc 0
check "hooks: aligned table" out_is "TARGET                    MECHANISM      STATE   HITS  MISSED  REASON
folio_add_anon_rmap_ptes  kprobe-ftrace  armed   1234       0  -
folio_add_file_rmap_pud   kprobe         off        0       0  symbol-not-found
mm_page_free              tracepoint     armed  99999       0  -"

run -d "$good" hooks --off
check "hooks --off: exit 0" is_rc 0
check "hooks --off: only the hooks that are off" out_is \
"TARGET                   MECHANISM  STATE  HITS  MISSED  REASON
folio_add_file_rmap_pud  kprobe     off       0       0  symbol-not-found"

MAPSHADOW_DEBUGFS=$good run stats
check "MAPSHADOW_DEBUGFS selects the directory" is_rc 0

MAPSHADOW_DEBUGFS=$tmp/missing run -d "$good" stats
check "-d overrides MAPSHADOW_DEBUGFS" is_rc 0

run -d "$nohooks" stats
check "stats does not need the hooks file" is_rc 0

run -d "$clean" status
check "status, clean: exit 0" is_rc 0
check "status, clean: disabled, pid filter, no sites, no findings" out_is "mapshadow: loaded, version 0.1.0
validation: disabled, no findings are recorded (mapshadow ctl enable)
hooks: 2 of 3 armed
  off: folio_add_file_rmap_pud (kprobe): symbol-not-found
sites: not armed
filter: pid 1234
events: 12345
findings: 0"

# status: per-level events, findings beyond the store, a comm filter
levels=$tmp/levels
mkdir "$levels"
cp "$good/hooks" "$levels/hooks"
grep -v -e '^events:' -e '^findings_overflow' -e '^filter_' "$good/stats" >"$levels/stats"
printf '%s\n' "events_pte: 100" "events_pmd: 20" "events_pud: 0" "events_hugetlb: 3" \
	"events_missed: 9" "findings_overflow: 5" "filter_mode: comm" \
	"filter_value: kworker/0:1" >>"$levels/stats"
run -d "$levels" status
check "status: events summed over levels, not missed" out_has "
events: 123
"
check "status: findings not stored" out_has "findings: 4 (mismatch 1, underflow 3), 5 not stored (the store is full)"
check "status: comm filter" out_has "filter: comm kworker/0:1"

# status: the kernel's answers judged, as a rate
printf '%s\n' "answer_function: folio_maybe_mapped_shared" "answer_unknown: 7" \
	"answer_exclusive: 300" "answer_shared: 50" "answer_maybe_shared_mapped_twice: 80" \
	"answer_maybe_shared_no_slot: 15" "answer_maybe_shared_undercount: 5" \
	"answer_guessed_exclusive: 0" >>"$levels/stats"
run -d "$levels" status
check "status: the kernel's answers and the rate of \"shared\" for exclusive folios" out_has \
	'kernel answers (folio_maybe_mapped_shared): exclusive 300, shared 50, "shared" for an exclusive folio 100 (25.00%)'
run -d "$good" status
check "status: no answers line without answer stats" bash -c '! grep -q "kernel answers" <<< "$0"' "$out"

# status: tracking held back and why; trust lost and checks skipped
printf '%s\n' "tracking: warming" \
	"tracking_why: hook-off:folio_remove_rmap_ptes:busy" \
	"trust_lost_missed_events: 2" "trust_lost_fork_walk_too_large: 1" \
	"checks_skipped_fork_window: 40" "checks_skipped_trust_lost: 3" >>"$levels/stats"
run -d "$levels" status
check "status: tracking held back, with the reason" out_has \
	"tracking: warming, nothing is judged: hook-off:folio_remove_rmap_ptes:busy"
check "status: trust lost and checks skipped" out_has "trust lost: missed_events 2, fork_walk_too_large 1
checks skipped: fork_window 40, trust_lost 3"
run -d "$good" status
check "status: no tracking line without tracking stats" bash -c '! grep -q "^tracking" <<< "$0"' "$out"

# --- findings ---------------------------------------------------------------

run -d "$good" findings
check "findings: exit 0" is_rc 0
check "findings: aligned table" out_is \
"ID        TIME  KIND                      PFN  ORDER  TYPE   SHADOW  LIVE   PID  COMM           SOURCE
 1   19.052441  mismatch             0x1a2b3c      9  anon      512   511     1  systemd        folio_add_anon_rmap_ptes
 2   19.052442  underflow              0x329d      0  anon        0    -1   258  inject-target  folio_remove_rmap_ptes
 3  120.000000  underflow  0xffffffffffffffff      0  file       -1    -2     0  -              inline-site
 4  121.500000  underflow                0x10      2  shmem       1     1  4242  Web Content    fork-walk"
check "findings: nothing on stderr" err_is ""

run -d "$good" findings --json
check "findings --json: exit 0" is_rc 0
check "findings --json: one document, every field" out_is \
'{"findings": [
  {"id": 1, "time_ns": 19052441796, "kind": "mismatch", "pfn": 1715004, "order": 9, "type": "anon", "shadow": 512, "live": 511, "pid": 1, "comm": "systemd", "source": "folio_add_anon_rmap_ptes"},
  {"id": 2, "time_ns": 19052442000, "kind": "underflow", "pfn": 12957, "order": 0, "type": "anon", "shadow": 0, "live": -1, "pid": 258, "comm": "inject-target", "source": "folio_remove_rmap_ptes"},
  {"id": 3, "time_ns": 120000000000, "kind": "underflow", "pfn": 18446744073709551615, "order": 0, "type": "file", "shadow": -1, "live": -2, "pid": 0, "comm": "-", "source": "inline-site"},
  {"id": 4, "time_ns": 121500000000, "kind": "underflow", "pfn": 16, "order": 2, "type": "shmem", "shadow": 1, "live": 1, "pid": 4242, "comm": "Web Content", "source": "fork-walk"}
], "count": 4}'
if command -v python3 >/dev/null; then
	check "findings --json: python3 parses it" python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert d["count"] == 4 and d["findings"][3]["comm"] == "Web Content"' "$tmp/out"
else
	skip "findings --json: python3 parses it" "no python3"
fi
run -d "$good" findings --json --kind mismatch
check "findings --json --kind: only that kind" out_has '"count": 1}'
run -d "$clean" findings --json
check "findings --json, none: an empty list" out_is '{"findings": [], "count": 0}'
run -d "$good" findings --json --count
check "findings --json --count: usage error" is_rc 2
check "findings --json --count: one line on stderr" one_error_line

run -d "$good" status --json
check "status --json: exit 0" is_rc 0
check "status --json: numbers as numbers, words as strings" \
	bash -c 'grep -q "\"events\": 12345," <<< "$0" && grep -q "\"filter_mode\": \"all\"," <<< "$0"' "$out"
if command -v python3 >/dev/null; then
	check "status --json: python3 parses it" python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert d["loaded"] and d["stats"]["version"] == "0.1.0"' "$tmp/out"
else
	skip "status --json: python3 parses it" "no python3"
fi

run -d "$good" findings --kind mismatch
check "findings --kind: exit 0" is_rc 0
check "findings --kind: only that kind" out_is \
"ID       TIME  KIND           PFN  ORDER  TYPE  SHADOW  LIVE  PID  COMM     SOURCE
 1  19.052441  mismatch  0x1a2b3c      9  anon     512   511    1  systemd  folio_add_anon_rmap_ptes"

run -d "$good" findings --kind=underflow --count
check "findings --kind=KIND --count: exit 0" is_rc 0
check "findings --kind=KIND --count: the number" out_is "3"

run -d "$good" findings --count
check "findings --count: all of them" out_is "4"

run -d "$good" findings --kind kernel-report
check "findings of a kind not there: exit 0" is_rc 0
check "findings of a kind not there: says so" out_is "no kernel-report findings"

run -d "$clean" findings
check "no findings: exit 0" is_rc 0
check "no findings: says so" out_is "no findings"

run -d "$clean" findings --count
check "no findings --count: exit 0" is_rc 0
check "no findings --count: 0" out_is "0"

run -d "$good" findings --detail
check "findings --detail: exit 0" is_rc 0
check "findings --detail: the file verbatim" cmp -s "$tmp/out" "$good/findings_detail"

run -d "$good" findings --detail --kind underflow
check "findings --detail --kind: exit 0" is_rc 0
check "findings --detail --kind: only those blocks" out_is "finding 2: underflow
  folio: pfn 0x329d order 0 anon, shadow strict
  seen by: pid 258 comm inject-target in folio_remove_rmap_ptes"

run -d "$clean" findings --detail
check "no findings --detail: exit 0" is_rc 0
check "no findings --detail: says so" out_is "no findings"

# --- scan -------------------------------------------------------------------

run -d "$good" scan
check "scan with disagreements: exit 3" is_rc 3
check "scan: wrote scan to control" bytes_are "$good/control" $'scan\n'
check "scan with disagreements: result and folios" out_is \
"scan 2: 2 of 1200 strict folios disagree
  agreed     1190
  disagreed     2
  busy          8  changed during the scan, not compared
  reshaped      0  split or merged during the scan, not compared
  unchecked    35  not strict (adopted or unverifiable), not compared

     PFN  ORDER  SHADOW  LIVE  PTE  PMD  PUD  HUGETLB
  0x329d      0       1     2    1    0    0        0
0x200000      9     512     0    0    1    0        0"
check "scan with disagreements: nothing on stderr" err_is ""

run -d "$clean" scan
check "scan without disagreements: exit 0" is_rc 0
check "scan without disagreements: result" out_is \
"scan 1: 0 of 7 strict folios disagree
  agreed      7
  disagreed   0
  busy        0  changed during the scan, not compared
  reshaped    0  split or merged during the scan, not compared
  unchecked  12  not strict (adopted or unverifiable), not compared"

overlap=$tmp/overlap
mkdir "$overlap"
: >"$overlap/control"
sed 's/^fork_overlap: 0/fork_overlap: 1/' "$clean/scan" >"$overlap/scan"
run -d "$overlap" scan
check "scan during a fork: exit 0" is_rc 0
check "scan during a fork: says to scan again" out_has "scan again"

more=$tmp/more
mkdir "$more"
: >"$more/control"
sed 's/^disagreed: 2/disagreed: 40/' "$good/scan" >"$more/scan"
run -d "$more" scan
check "scan with more disagreements than lines: exit 3" is_rc 3
check "scan with more disagreements than lines: says so" out_has "(38 more not listed)"

broken=$tmp/broken
mkdir "$broken"
: >"$broken/control"
{ cat "$clean/scan"; printf '%s\n' "kernel_broken: 2" "broken: 0x1234/large-vs-pages" \
	"broken: 0x1234/nr-pages-mapped" "broken: 0x5000/shared-missed"; } >"$broken/scan"
run -d "$broken" scan
check "scan with broken kernel bookkeeping: exit 3" is_rc 3
check "scan with broken kernel bookkeeping: lists the folios and kinds" out_has \
"the kernel's own bookkeeping is broken in 2 folios:
  0x1234  large-vs-pages
  0x1234  nr-pages-mapped
  0x5000  shared-missed"
sed 's/^kernel_broken: 2/kernel_broken: 0/' "$broken/scan" | grep -v '^broken:' >"$broken/scan2"
mv "$broken/scan2" "$broken/scan"
run -d "$broken" scan
check "scan with kernel_broken 0: exit 0" is_rc 0

# --- ctl --------------------------------------------------------------------

: >"$good/control"
run -d "$good" ctl filter pid=1234
check "ctl: exit 0" is_rc 0
check "ctl: arguments joined, one line" bytes_are "$good/control" $'filter pid=1234\n'
check "ctl: silent" out_is ""

: >"$good/control"
run -d "$good" ctl "filter comm=bash"
check "ctl: one quoted argument" bytes_are "$good/control" $'filter comm=bash\n'

# --- sites ------------------------------------------------------------------

printf '%s\n' "# mapshadow site table 1" "build_id 0123" "site a" >"$tmp/small.tbl"
: >"$clean/control"
run -d "$clean" sites "$tmp/small.tbl"
check "sites: exit 0" is_rc 0
check "sites: the table written to sites" cmp -s "$tmp/small.tbl" "$clean/sites"
check "sites: then sites=on" bytes_are "$clean/control" $'sites=on\n'
check "sites: says armed" out_has "armed"

# Larger than one write: 200000 bytes go in chunks, and arrive whole.
for i in $(seq 1 5000); do
	printf 'site copy_page_range+0x%x some padding to make it long\n' "$i"
done >"$tmp/big.tbl"
: >"$clean/sites"
: >"$clean/control"
run -d "$clean" sites "$tmp/big.tbl"
check "sites, big table: exit 0" is_rc 0
check "sites, big table: arrives whole" cmp -s "$tmp/big.tbl" "$clean/sites"
if ! command -v strace >/dev/null || ! strace -o /dev/null true 2>/dev/null; then
	skip "sites: one write for a small table" "no usable strace"
	skip "sites: several writes for a big table" "no usable strace"
else
	# Writes to fds above 2, but for the sites=on to control.
	for tbl in small big; do
		: >"$clean/sites"
		strace -e trace=write -o "$tmp/strace.$tbl" \
			"$MAPSHADOW" -d "$clean" sites "$tmp/$tbl.tbl" >/dev/null 2>&1
	done
	writes_small=$(grep -E '^write\(([3-9]|[1-9][0-9]+),' "$tmp/strace.small" | grep -vc 'sites=on')
	writes_big=$(grep -E '^write\(([3-9]|[1-9][0-9]+),' "$tmp/strace.big" | grep -vc 'sites=on')
	echo "writes: small $writes_small, big $writes_big" >"$tmp/out"
	: >"$tmp/err"
	check "sites: one write for a small table" test "$writes_small" = 1
	check "sites: several writes for a big table" test "$writes_big" -gt 1
fi

# --- sites generate ---------------------------------------------------------
# A fake running kernel below MAPSHADOW_SYSROOT: its release, its notes (a
# tiny ELF's build ID note), its "vmlinux" (that ELF, with DWARF), and a
# generator (MS_SITEGEN) that prints its arguments as a table.

sr=$tmp/sysroot rel=9.9.9-test
mkdir -p "$sr/proc/sys/kernel" "$sr/sys/kernel" "$sr/usr/lib/debug/boot" \
	"$sr/lib/modules/$rel/source/include/linux" "$sr/boot"
echo "$rel" >"$sr/proc/sys/kernel/osrelease"
echo 'int main(void) { return 0; }' >"$tmp/k.c"
gen_elf() {	# gen_elf OUT CFLAGS...: a tiny ELF with a build ID
	local o=$1; shift
	gcc "$@" -Wl,--build-id=sha1 -o "$o" "$tmp/k.c"
}
gen_elf "$tmp/vmlinux" -g
gen_elf "$tmp/other" -g -DOTHER=1 -O1
objcopy -O binary --only-section=.note.gnu.build-id "$tmp/vmlinux" "$sr/sys/kernel/notes"
strip -o "$tmp/nodwarf" "$tmp/vmlinux"
: >"$sr/lib/modules/$rel/source/include/linux/rmap.h"
cat >"$tmp/gen" <<'GEN'
#!/bin/sh
echo "# generated by a fake ms-sitegen"
echo "args $*"
GEN
cat >"$tmp/gen-fails" <<'GEN'
#!/bin/sh
echo "fake-sitegen: cannot read DWARF" >&2
exit 1
GEN
chmod +x "$tmp/gen" "$tmp/gen-fails"
sg() {	# sg ARGS...: sites generate in the fake kernel
	MAPSHADOW_SYSROOT=$sr MS_SITEGEN=${GEN:-$tmp/gen} run -d "$clean" sites generate "$@"
}
is_table_of() {	# is_table_of FILE VMLINUX: the generator ran on VMLINUX
	grep -qx "args -I $sr/lib/modules/$rel/source $2" "$1"
}

sg
check "sites generate, nothing installed: exit 1" is_rc 1
check "sites generate, nothing installed: says where it looked" err_has \
	"no DWARF vmlinux of the running kernel $rel (looked in /usr/lib/debug/boot/vmlinux-$rel,"
check "sites generate, nothing installed: names the package" err_has "linux-image-$rel-dbg"
check "sites generate, nothing installed: one line" one_error_line

cp "$tmp/other" "$sr/boot/vmlinux-$rel"
sg
check "sites generate, another kernel's vmlinux: exit 1" is_rc 1
check "sites generate, another kernel's vmlinux: named, with both build IDs" err_has \
	"$sr/boot/vmlinux-$rel is another kernel's (build ID"
cp "$tmp/nodwarf" "$sr/boot/vmlinux-$rel"
sg
check "sites generate, a vmlinux without DWARF: skipped, said" err_has \
	"$sr/boot/vmlinux-$rel has no DWARF"

: >"$clean/sites"
: >"$clean/control"
cp "$tmp/vmlinux" "$sr/usr/lib/debug/boot/vmlinux-$rel"
sg
check "sites generate: exit 0" is_rc 0
check "sites generate: the /usr/lib/debug vmlinux, with the kernel's rmap.h" \
	is_table_of "$clean/sites" "$sr/usr/lib/debug/boot/vmlinux-$rel"
check "sites generate: then sites=on" bytes_are "$clean/control" $'sites=on\n'
check "sites generate: says so" out_has "generated from $sr/usr/lib/debug/boot/vmlinux-$rel and armed"

: >"$clean/sites"
: >"$clean/control"
sg -o "$tmp/out.tbl"
check "sites generate -o: exit 0" is_rc 0
check "sites generate -o: the table in the file" is_table_of "$tmp/out.tbl" \
	"$sr/usr/lib/debug/boot/vmlinux-$rel"
check "sites generate -o: nothing staged or armed" test ! -s "$clean/sites" -a ! -s "$clean/control"

# A self-built kernel (O=): no "source" link, "build" is the object tree
# (no rmap.h of its own) whose "source" names the source tree.
mv "$sr/lib/modules/$rel/source" "$tmp/srctree"
mkdir -p "$sr/lib/modules/$rel/build/include/generated"
ln -s "$tmp/srctree" "$sr/lib/modules/$rel/build/source"
sg -o "$tmp/out.tbl"
check "sites generate, O= build: the source tree through build/source" \
	grep -qx "args -I $sr/lib/modules/$rel/build/source $sr/usr/lib/debug/boot/vmlinux-$rel" "$tmp/out.tbl"
rm -r "$sr/lib/modules/$rel/build"
sg -o "$tmp/out.tbl"
check "sites generate, no rmap.h anywhere: no -I" \
	grep -qx "args $sr/usr/lib/debug/boot/vmlinux-$rel" "$tmp/out.tbl"
mv "$tmp/srctree" "$sr/lib/modules/$rel/source"

sg "$tmp/other"
check "sites generate VMLINUX, another kernel's: exit 1" is_rc 1
check "sites generate VMLINUX, another kernel's: says so" err_has "not its vmlinux"
sg "$tmp/nodwarf"
check "sites generate VMLINUX without DWARF: refused" err_has "has no DWARF"
sg "$tmp/k.c"
check "sites generate VMLINUX, not ELF: refused" err_has "not a 64-bit ELF vmlinux"
sg "$tmp/vmlinux"
check "sites generate VMLINUX: exit 0" is_rc 0
check "sites generate VMLINUX: that file" is_table_of "$clean/sites" "$tmp/vmlinux"

: >"$clean/sites"
: >"$clean/control"
GEN=$tmp/gen-fails sg
check "sites generate, generator fails: exit 1" is_rc 1
check "sites generate, generator fails: its reason, then ours" err_has "cannot read DWARF"
check "sites generate, generator fails: nothing staged" err_has "nothing was staged"
check "sites generate, generator fails: nothing written" test ! -s "$clean/sites" -a ! -s "$clean/control"
GEN=$tmp/no-such-generator sg
check "sites generate, no generator: exit 1" is_rc 1
check "sites generate, no generator: says how to get it" err_has "make install puts it beside mapshadow"

sg -o
check "sites generate -o without a file: usage error" is_rc 2
sg a b
check "sites generate with two files: usage error" is_rc 2
sg -o "$tmp/out.tbl" -q
check "sites generate, unknown option: usage error" is_rc 2
run -d "$good" sites generate "$tmp/vmlinux"
check "sites generate, a table armed already: exit 1" is_rc 1
check "sites generate, a table armed already: says disarm first" err_has "disarm it first"
MAPSHADOW_SYSROOT=$tmp/nowhere run -d "$clean" sites generate
check "sites generate, no release file: exit 1 with the path" err_has \
	"cannot read $tmp/nowhere/proc/sys/kernel/osrelease"

# --- runtime errors: exit 1 -------------------------------------------------

run -d "$tmp/missing" status
check "missing dir: exit 1" is_rc 1
check "missing dir: module not loaded message" err_is \
	"mapshadow: module not loaded (no $tmp/missing); load it with insmod mapshadow.ko"
check "missing dir: one line on stderr" one_error_line

MAPSHADOW_DEBUGFS=$tmp/missing run hooks
check "missing dir from MAPSHADOW_DEBUGFS: exit 1" is_rc 1
check "missing dir from MAPSHADOW_DEBUGFS: message" err_has "module not loaded"

run -d "$badstats" stats
check "malformed stats: exit 1" is_rc 1
check "malformed stats: file, line and reason" err_is \
	"mapshadow: $badstats/stats:3: malformed line (missing ':')"
check "malformed stats: one line on stderr" one_error_line

run -d "$badstats" status
check "status with malformed stats: exit 1" is_rc 1
check "status with malformed stats: no partial summary" one_error_line

run -d "$negstats" stats
check "negative counter: exit 1" is_rc 1
check "negative counter: malformed line" err_is \
	"mapshadow: $negstats/stats:2: malformed line (negative number)"

run -d "$badhooks" hooks
check "malformed hooks row: exit 1" is_rc 1
check "malformed hooks row: file and line" err_has "mapshadow: $badhooks/hooks:3: malformed line"
check "malformed hooks row: one line on stderr" one_error_line

run -d "$nohooks" status
check "missing hooks file: exit 1" is_rc 1
check "missing hooks file: names the file" err_has "$nohooks/hooks"

run -d "$good/stats" stats
check "-d naming a file: exit 1" is_rc 1
check "-d naming a file: one line on stderr" one_error_line

badfindings=$tmp/badfindings
mkdir "$badfindings"
head -n 2 "$good/findings" >"$badfindings/findings"
echo "5 1 underflow 0x10 0 anon 0 -1 7 folio_remove_rmap_ptes" >>"$badfindings/findings"
run -d "$badfindings" findings
check "malformed findings line: exit 1" is_rc 1
check "malformed findings line: file, line and reason" err_is \
	"mapshadow: $badfindings/findings:3: malformed line (expected 11 columns)"
check "malformed findings line: one line on stderr" one_error_line

run -d "$nohooks" findings
check "missing findings file: exit 1" is_rc 1
check "missing findings file: names the file" err_has "$nohooks/findings"

run -d "$nohooks" findings --detail
check "missing findings_detail file: exit 1" is_rc 1
check "missing findings_detail file: names the file" err_has "$nohooks/findings_detail"

noresult=$tmp/noresult
mkdir "$noresult"
: >"$noresult/control"
echo "scans: 0" >"$noresult/scan"
run -d "$noresult" scan
check "scan without a result: exit 1" is_rc 1
check "scan without a result: message" err_is \
	"mapshadow: $noresult/scan: no 'strict' count after the scan"
check "scan without a result: one line on stderr" one_error_line

badscan=$tmp/badscan
mkdir "$badscan"
: >"$badscan/control"
sed 's/^disagree: pfn=0x329d/disagree: pfn=329d/' "$good/scan" >"$badscan/scan"
run -d "$badscan" scan
check "malformed disagree line: exit 1" is_rc 1
check "malformed disagree line: file, line and reason" err_is \
	"mapshadow: $badscan/scan:9: malformed line (not a 0x hexadecimal number)"

run -d "$nohooks" scan
check "scan without a control file: exit 1" is_rc 1
check "scan without a control file: names it" err_is \
	"mapshadow: cannot open $nohooks/control: No such file or directory"

full=$tmp/full
mkdir "$full"
cp "$clean/stats" "$full/stats"
ln -s /dev/full "$full/control"
run -d "$full" ctl clear
check "control write fails: exit 1" is_rc 1
check "control write fails: verb and reason" err_is \
	"mapshadow: control 'clear': No space left on device"
check "control write fails: one line on stderr" one_error_line

dirctl=$tmp/dirctl
mkdir -p "$dirctl/control"
run -d "$dirctl" ctl scan
check "control is a directory: exit 1" is_rc 1
check "control is a directory: message" err_has "cannot open $dirctl/control"

run -d "$tmp/missing" ctl scan
check "ctl, missing dir: exit 1" is_rc 1
check "ctl, missing dir: module not loaded" err_has "module not loaded"

: >"$good/control"
: >"$good/sites"
run -d "$good" sites "$tmp/small.tbl"
check "sites while a table is armed: exit 1" is_rc 1
check "sites while a table is armed: says how to disarm" err_is \
	"mapshadow: a site table is armed; disarm it first: mapshadow ctl sites=off"
check "sites while a table is armed: nothing written" bytes_are "$good/sites" ""
check "sites while a table is armed: no sites=on" bytes_are "$good/control" ""

: >"$tmp/empty.tbl"
: >"$clean/control"
run -d "$clean" sites "$tmp/empty.tbl"
check "sites, empty table: exit 1" is_rc 1
check "sites, empty table: message" err_is "mapshadow: $tmp/empty.tbl is empty"
check "sites, empty table: no sites=on" bytes_are "$clean/control" ""

run -d "$clean" sites "$tmp/missing.tbl"
check "sites, missing table: exit 1" is_rc 1
check "sites, missing table: message" err_is \
	"mapshadow: cannot open $tmp/missing.tbl: No such file or directory"

ln -s /dev/full "$full/sites"
run -d "$full" sites "$tmp/small.tbl"
check "sites refused: exit 1" is_rc 1
check "sites refused: reason and kernel log" err_is \
	"mapshadow: $full/sites refused $tmp/small.tbl: No space left on device; see dmesg | grep mapshadow"
check "sites refused: one line on stderr" one_error_line

# Unreadable files: root reads anything, so drop to nobody when root.
perm=$tmp/perm
mkdir "$perm"
cp "$good/stats" "$good/hooks" "$perm/"
: >"$perm/control"
chmod 0711 "$tmp"
chmod 0755 "$perm"
chmod 0000 "$perm/stats" "$perm/control"
if [ "$(id -u)" != 0 ]; then
	unprivileged=""
elif command -v setpriv >/dev/null; then
	unprivileged="setpriv --reuid=65534 --regid=65534 --clear-groups"
else
	unprivileged="none"
fi
if [ "$unprivileged" = none ]; then
	skip "unreadable stats: permission denied" "running as root without setpriv"
	skip "unwritable control: permission denied" "running as root without setpriv"
elif ! $unprivileged test -x "$MAPSHADOW"; then
	skip "unreadable stats: permission denied" "$MAPSHADOW not executable by nobody"
	skip "unwritable control: permission denied" "$MAPSHADOW not executable by nobody"
else
	$unprivileged "$MAPSHADOW" -d "$perm" stats >"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
	check "unreadable stats: exit 1" is_rc 1
	check "unreadable stats: permission denied message" err_is \
		"mapshadow: permission denied reading $perm/stats: run as root"
	$unprivileged "$MAPSHADOW" -d "$perm" ctl clear >"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
	check "unwritable control: exit 1" is_rc 1
	check "unwritable control: permission denied message" err_is \
		"mapshadow: permission denied writing $perm/control: run as root"
fi

# A locked-down kernel: debugfs refuses root's writes with EPERM. An
# immutable file gives root the same EPERM; the lockdown file says why.
lock=$tmp/lock
mkdir -p "$lock/d" "$lock/sys/kernel/security"
cp "$good/stats" "$good/hooks" "$good/findings" "$lock/d/"
: >"$lock/d/control"
if [ "$(id -u)" != 0 ] || ! chattr +i "$lock/d/control" 2>/dev/null; then
	skip "locked down: control refused, the reason named" "not root, or no chattr +i here"
	skip "locked down, no module: signed modules only" "not root, or no chattr +i here"
else
	echo "none [integrity] confidentiality" >"$lock/sys/kernel/security/lockdown"
	MAPSHADOW_SYSROOT=$lock run -d "$lock/d" ctl scan
	check "locked down: control refused, exit 1" is_rc 1
	check "locked down: control refused, the reason named" err_has \
		"mapshadow: writing $lock/d/control: refused, the kernel is locked down (integrity):"
	check "locked down: one line" one_error_line
	MAPSHADOW_SYSROOT=$lock run -d "$lock/d" status
	check "locked down: status still works" is_rc 0
	echo "[none] integrity confidentiality" >"$lock/sys/kernel/security/lockdown"
	MAPSHADOW_SYSROOT=$lock run -d "$lock/d" ctl scan
	check "not locked down, EPERM: says so plainly" err_is \
		"mapshadow: permission denied writing $lock/d/control: Operation not permitted"
	chattr -i "$lock/d/control"
	echo "none integrity [confidentiality]" >"$lock/sys/kernel/security/lockdown"
	MAPSHADOW_SYSROOT=$lock run -d "$lock/missing" status
	check "locked down, no module: signed modules only" err_has \
		"the kernel is locked down (confidentiality): it loads only signed modules"
fi

# --- usage errors: exit 2 ---------------------------------------------------

run -d "$good" frobnicate
check "unknown command: exit 2" is_rc 2
check "unknown command: named in the message" err_has "unknown command 'frobnicate'"
check "unknown command: one line on stderr" one_error_line

run -d "$tmp/missing" frobnicate
check "usage errors come before looking at the directory" is_rc 2

run
check "no command: exit 2" is_rc 2
check "no command: one line on stderr" one_error_line

run -x status
check "unknown option: exit 2" is_rc 2

run -d
check "-d without a directory: exit 2" is_rc 2

run -d "$good" stats extra
check "stats with an extra argument: exit 2" is_rc 2

run -d "$good" hooks --bogus
check "hooks with an unknown option: exit 2" is_rc 2

run -d "$good" findings --kind bogus
check "findings, unknown kind: exit 2" is_rc 2
check "findings, unknown kind: lists the kinds" err_has \
	"unknown kind 'bogus' (kinds: mismatch, live-unmapped, shadow-unmapped, underflow, freed-mapped, kernel-report, mapping-dropped, mm-leak, large-vs-pages, nr-pages-mapped, entirely-mapped, mm-slots, mm-shared-bit, shared-missed, bad-slot, flag-race, flag-lost)"
check "findings, unknown kind: one line on stderr" one_error_line
# The built CLI lists the kinds of module/finding_kinds.h, in its order
# (test_finding_kinds.c proves a kind added there reaches both sides).
module_kinds=$(sed -n 's/^\tX([A-Z_]*, "\([a-z-]*\)", [01]).*/\1/p' "$TOP/module/finding_kinds.h" | paste -sd, | sed 's/,/, /g')
check "findings: the CLI knows exactly the module's kinds ($module_kinds)" err_has \
	"(kinds: $module_kinds)"

run -d "$tmp/missing" findings --kind bogus
check "findings, unknown kind is a usage error before the directory" is_rc 2

run -d "$good" findings --kind
check "findings --kind without a kind: exit 2" is_rc 2

run -d "$good" findings --detail --count
check "findings --detail --count: exit 2" is_rc 2

run -d "$good" findings extra
check "findings with an extra argument: exit 2" is_rc 2

: >"$good/control"
run -d "$good" scan now
check "scan with an argument: exit 2" is_rc 2
check "scan with an argument: nothing written" bytes_are "$good/control" ""

run -d "$good" ctl
check "ctl without a verb: exit 2" is_rc 2
check "ctl without a verb: one line on stderr" one_error_line

run -d "$good" ctl ""
check "ctl with an empty verb: exit 2" is_rc 2

run -d "$good" ctl $'scan\nclear'
check "ctl with two lines: exit 2" is_rc 2
check "ctl with two lines: nothing written" bytes_are "$good/control" ""

run -d "$good" sites
check "sites without a file: exit 2" is_rc 2

run -d "$good" sites a b
check "sites with two files: exit 2" is_rc 2

# --- help -------------------------------------------------------------------

run help
check "help: exit 0" is_rc 0
check "help: usage on stdout" out_has "usage: mapshadow [-d DIR] COMMAND"
check "help: lists hooks --off" out_has "hooks [--off]"
check "help: lists findings" out_has "findings [--detail | --count | --json] [--kind KIND]"
check "help: lists scan" out_has "  scan "
check "help: lists ctl" out_has "  ctl VERB..."
check "help: lists sites" out_has "  sites FILE"
check "help: documents exit status 3" out_has "3 scan found"

run -h
check "-h: exit 0" is_rc 0
check "-h: same text as help" out_has "usage: mapshadow"

# --- explain ----------------------------------------------------------------

# A fake /proc: process 1234 maps pfn 0x1a2b3c at 0x10000, has a swapped
# page at 0x11000, nothing at 0x12000, and a hidden pfn at 0x13000.
proc=$tmp/proc
mkdir -p "$proc/1234"
u64() { python3 -c 'import struct, sys; sys.stdout.buffer.write(struct.pack("<Q", int(sys.argv[1], 0) & (2 ** 64 - 1)))' "$1"; }
put() { u64 "$3" | dd of="$1" bs=8 seek="$(($2))" conv=notrunc status=none; }
if command -v python3 >/dev/null; then
	: > "$proc/1234/pagemap"
	put "$proc/1234/pagemap" 0x10 $(((1 << 63) | 0x1a2b3c))
	put "$proc/1234/pagemap" 0x11 $(((1 << 62) | 0x55))
	put "$proc/1234/pagemap" 0x12 0
	put "$proc/1234/pagemap" 0x13 $((1 << 63))
	: > "$proc/kpagecount"
	put "$proc/kpagecount" 0x1a2b3c 1
	: > "$proc/kpageflags"
	put "$proc/kpageflags" 0x1a2b3c $(((1 << 5) | (1 << 11) | (1 << 12)))
	ex=$tmp/explain
	cp -r "$good" "$ex"
	cat >"$ex/folio" <<'EOF'
pfn: 0x1a2b3c
order: 9
head_pfn: 0x1a2b3c
tracked: yes
state: strict
shadow_mapcount: 512
live_mapcount: 511
raw: normal
raw_words: _mapcount=0 _large_mapcount=510 _entire_mapcount=-1 _nr_pages_mapped=0x200
kernel_rules: ok
exact: exclusive
kernel: exclusive
kernel_function: folio_maybe_mapped_shared
answer: exclusive
EOF
	: > "$ex/control"
	export MAPSHADOW_PROC=$proc
	run -d "$ex" explain 1234 0x10000
	check "explain: exit 0" is_rc 0
	check "explain: asked the module for the pfn" bytes_are "$ex/control" "show pfn=0x1a2b3c
"
	check "explain: the shadow beside the kernel, /proc and the answers" out_is \
"process 1234 address 0x10000: pfn 0x1a2b3c, folio 0x1a2b3c of order 9
  mapshadow  tracked yes, strict, shadow mapcount 512
  kernel     folio_mapcount() 511, _mapcount=0 _large_mapcount=510 _entire_mapcount=-1 _nr_pages_mapped=0x200
  /proc      kpagecount 1, kpageflags lru|mmap|anon
  shared     exact exclusive, kernel exclusive (folio_maybe_mapped_shared), answer exclusive
  rules      ok
  finding    1: mismatch, shadow 512 live 511 (systemd in folio_add_anon_rmap_ptes)"
	run -d "$ex" explain 1234 0x11000
	check "explain, swapped out: exit 1" is_rc 1
	check "explain, swapped out: says so" err_has "is swapped out"
	run -d "$ex" explain 1234 0x12000
	check "explain, nothing mapped: says so" err_has "nothing is mapped at 0x12000 in process 1234"
	check "explain, nothing mapped: one line" one_error_line
	run -d "$ex" explain 1234 0x13000
	check "explain, pfn hidden: run as root" err_has "hides page frame numbers: run as root"
	run -d "$ex" explain 999 0x10000
	check "explain, no such process: exit 1" is_rc 1
	check "explain, no such process: names the file" err_has "$proc/999/pagemap"
	run -d "$tmp/nonexistent" explain 1234 0x10000
	check "explain, module not loaded: says so" err_has "module not loaded"
	unset MAPSHADOW_PROC
else
	skip "explain" "no python3 to make a fake /proc"
fi
run -d "$good" explain 1234
check "explain without ADDR: usage error" is_rc 2
run -d "$good" explain x 0x1000
check "explain, bad pid: usage error" is_rc 2
check "explain, bad pid: one line" one_error_line
run -d "$good" explain 1 0xzz
check "explain, bad address: usage error" is_rc 2

# --- watch --------------------------------------------------------------------

w=$tmp/watch
cp -r "$good" "$w"
"$MAPSHADOW" -d "$w" watch --interval 20 --max 1 > "$tmp/wout" 2> "$tmp/werr" &
wpid=$!
sleep 0.5
echo "5 130000000000 underflow 0x20 0 anon 0 -1 7 bash folio_remove_rmap_ptes" >> "$w/findings"
wait "$wpid"; rc=$?
out=$(cat "$tmp/wout")
check "watch --max 1: exit 0 after one new finding" is_rc 0
check "watch: only the new finding, one line" out_is \
	"130.000000 finding 5: underflow pfn 0x20 order 0 anon shadow 0 live -1 pid 7 comm bash source folio_remove_rmap_ptes"
"$MAPSHADOW" -d "$w" watch --interval 20 > "$tmp/wout" 2> "$tmp/werr" &
wpid=$!
sleep 0.5
rm -rf "$w"
wait "$wpid"; rc=$?
err=$(cat "$tmp/werr")
check "watch, module unloaded meanwhile: exit 1" is_rc 1
check "watch, module unloaded meanwhile: says so" err_has "module not loaded"
run -d "$good" watch --interval 5
check "watch --interval 5: usage error" is_rc 2
run -d "$good" watch --max
check "watch --max without a number: usage error" is_rc 2
run -d "$good" watch now
check "watch with an argument: usage error" is_rc 2
check "watch with an argument: one line" one_error_line

tap_totals
tap_end
