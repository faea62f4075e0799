# rmap-ID sums: the exact answer to "mapped by one mm or several", for
# scenarios with a known truth, beside the kernel's own answer: one process;
# a file page mapped twice in one mm; two processes; after one exits; fork
# with a live child; the child exited and the parent's write reusing the
# page; half of a THP / mTHP moved by mremap within its mm, then forked;
# MADV_DONTFORK; an anon, a page cache and a memfd page in up to four
# processes that leave one by one.
# timeout: 180
. "$MS_WORK/guest/lib.sh"

ms_load || { not_ok "insmod"; finish; }
pfn_of() {	# pfn_of PID ADDR
	python3 -c "
f = open('/proc/$1/pagemap', 'rb'); f.seek((int('$2', 16) // 4096) * 8)
print(hex(int.from_bytes(f.read(8), 'little') & ((1 << 55) - 1)))"
}
folio() { echo "show pfn=$1" > "$D/control" && cat "$D/folio"; }
# procs KIND [ARG]: rmap-procs as the coprocess T (a parent that forks and
# reaps children on command); TPID is the parent, A1 and A2 its addresses.
procs() {
	coproc T { exec "$MS_BIN/rmap-procs" "$@"; }
	read -r -t "$MS_WAIT" -u "${T[0]}" word TPID A1 A2 && [ "$word" = ready ]
}
# step SCENARIO WHAT: cmd WHAT, a failure is an assertion failure.
step() { cmd "$2" || not_ok "$1: command '$2' failed"; }
expect() {	# expect SCENARIO PFN EXACT
	local out got
	out=$(folio "$2")
	got=$(field exact "$out")
	[ "$got" = unknown ] && got="$got: $(field exact_reason "$out")"
	check "$1: exact answer '$3' (got '$got', shadow $(field shadow_mapcount "$out"), live $(field live_mapcount "$out"))" \
		test "$(field exact "$out")" = "$3"
	diag "$1: kernel says $(field kernel "$out") ($(field kernel_function "$out")) $(field kernel_mm_ids "$out")"
}

target once || not_ok "start target"
expect "one process, one mapping" "$(pfn_of "$TPID" "$A1")" exclusive
stop

target twice /tmp/rmap-file1 || not_ok "start target"
p=$(pfn_of "$TPID" "$A1")
expect "one process, a file page mapped twice" "$p" exclusive
first=$TPID
coproc U { exec "$MS_BIN/inject-target" twice /tmp/rmap-file1; }
read -r -u "${U[0]}" word UPID B1 B2
expect "two processes, the same file page twice each" "$p" shared
echo exit >&"${U[1]}"; wait "$U_PID" 2>/dev/null
sleep 0.2
expect "the second process gone" "$p" exclusive
stop

target fork || not_ok "start target"
expect "parent and live child after fork" "$(pfn_of "$TPID" "$A1")" shared
stop

# The child exits and the parent writes: COW reuse, the same page, exclusive.
S="child exited"
procs anon || not_ok "$S: start rmap-procs"
p=$(pfn_of "$TPID" "$A1")
expect "$S: the parent alone" "$p" exclusive
step "$S" fork
expect "$S: parent and live child" "$p" shared
step "$S" reap
expect "$S: the child gone" "$p" exclusive
step "$S" write
q=$(pfn_of "$TPID" "$A1")
check "$S: the parent's write reused the page (pfn $p, then $q)" test "$q" = "$p"
expect "$S: after the write (COW reuse)" "$q" exclusive
stop

# Half of a large folio moved within its mm: two places, one mm.  A PMD THP
# (MADV_HUGEPAGE; split to PTEs by the move), then a 64 KiB mTHP; each is
# skipped if the kernel does not give one.
T_HP=/sys/kernel/mm/transparent_hugepage
grep -q '\[never\]' "$T_HP/enabled" && sysfs_set "$T_HP/enabled" madvise
sysfs_set "$T_HP/hugepages-64kB/enabled" always
for kib in 2048 64; do
	S="partial mremap of a $kib KiB folio"
	want=0
	for ((n = kib / 4; n > 1; n /= 2)); do want=$((want + 1)); done
	procs mremap "$kib" || { not_ok "$S: start rmap-procs"; continue; }
	p=$(pfn_of "$TPID" "$A1") q=$(pfn_of "$TPID" "$A2")
	out=$(folio "$p")
	order=$(field order "$out")
	if [ "$order" != "$want" ]; then
		ok "# SKIP $S: the kernel gave a folio of order ${order:-?}, not $want"
		stop
		continue
	fi
	check "$S: the moved half maps the same folio (pfn $p and $q, head $(field head_pfn "$out"))" \
		test "$(field head_pfn "$(folio "$q")")" = "$(field head_pfn "$out")"
	expect "$S: one mm, two places" "$p" exclusive
	step "$S" fork
	expect "$S: and a live child" "$p" shared
	step "$S" reap
	expect "$S: the child gone" "$p" exclusive
	stop
done
sysfs_restore

# MADV_DONTFORK: the child gets the normal page only.
S="MADV_DONTFORK"
procs dontfork || not_ok "$S: start rmap-procs"
p=$(pfn_of "$TPID" "$A1") q=$(pfn_of "$TPID" "$A2")
step "$S" fork
expect "$S: the DONTFORK page, child alive" "$p" exclusive
expect "$S: the normal page beside it, child alive" "$q" shared
step "$S" reap
expect "$S: the normal page, child gone" "$q" exclusive
stop

# Several processes on one page, leaving one by one: shared while two
# remain, exclusive with one.  An anon page shared by fork (4 processes); a
# page cache page of the 9p root (4) and a memfd page (3), mapped MAP_SHARED
# by each process itself.  A small folio's sums are exact up to 5 mappings
# (rmap_id_math.c).
for kind in anon "file /usr/lib/os-release" shmem; do
	case $kind in
	anon) S="an anon page, fork" kids=3 ;;
	file*) S="a page cache page (9p, MAP_SHARED)" kids=3 ;;
	shmem) S="a memfd page (MAP_SHARED)" kids=2 ;;
	esac
	# shellcheck disable=SC2086 # KIND ARG
	procs $kind || { not_ok "$S: start rmap-procs"; continue; }
	p=$(pfn_of "$TPID" "$A1")
	expect "$S: 1 process" "$p" exclusive
	for ((i = 2; i <= kids + 1; i++)); do
		step "$S" fork
		expect "$S: $i processes" "$p" shared
	done
	for ((i = kids; i >= 1; i--)); do
		step "$S" reap
		want=shared
		[ "$i" = 1 ] && want=exclusive
		expect "$S: $i left" "$p" "$want"
	done
	stop
done
no_findings "the rmap-ID scenarios"
check "folio file explains an unknown pfn" bash -c "echo 'show pfn=0x1' > $D/control && grep -q '^tracked: ' $D/folio"
check "show refuses garbage" bash -c "! echo 'show pfn=xyz' > $D/control 2>/dev/null"
ms_unload
finish
