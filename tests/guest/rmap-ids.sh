# rmap-ID sums: the exact answer to "mapped by one mm or several", for
# scenarios with a known truth, beside the kernel's own answer.
# timeout: 180
. "$MS_WORK/guest/lib.sh"

ms_load || { not_ok "insmod"; finish; }
pfn_of() {	# pfn_of PID ADDR
	python3 -c "
f = open('/proc/$1/pagemap', 'rb'); f.seek((int('$2', 16) // 4096) * 8)
print(hex(int.from_bytes(f.read(8), 'little') & ((1 << 55) - 1)))"
}
folio() { echo "show pfn=$1" > "$D/control" && cat "$D/folio"; }
field() { sed -n "s/^$1: //p" <<< "$2"; }
target() {
	coproc T { exec "$MS_BIN/inject-target" "$@"; }
	read -r -u "${T[0]}" word TPID A1 A2
	[ "$word" = ready ]
}
stop() { echo exit >&"${T[1]}"; wait "$T_PID" 2>/dev/null; }
expect() {	# expect SCENARIO PFN EXACT
	local out
	out=$(folio "$2")
	check "$1: exact answer '$3' (got '$(field exact "$out")', shadow $(field shadow_mapcount "$out"), live $(field live_mapcount "$out"))" \
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
no_findings "the rmap-ID scenarios"
check "folio file explains an unknown pfn" bash -c "echo 'show pfn=0x1' > $D/control && grep -q '^tracked: ' $D/folio"
check "show refuses garbage" bash -c "! echo 'show pfn=xyz' > $D/control 2>/dev/null"
ms_unload
finish
