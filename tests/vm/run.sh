#!/bin/bash
# run.sh [-k KERNEL]... [-r] [-s] [TEST...]: boot each Debian test kernel in
# QEMU (TCG) once and run in-guest tests (tests/guest/NAME.sh), printing TAP.
#   -k KERNEL  6.12 (default), latest, debug, or an exact ABI; repeatable
#   -r         raw: stream the guest's output as it comes (make run)
#   -s         include the harness self-tests (selftest-*) when no TEST given
# Several kernels boot side by side (below; MS_PARALLEL=0: one by one).
# MS_SITES=0 boots without the kernel's site table (tests/vm/dbg.sh);
# otherwise ms_load in the guest arms it.
# MS_TIMEOUT=N replaces every test's time limit.  The guest tests see the
# host's MS_STRESS_*, MS_SOAK_*, MS_BENCH_*, MS_FUZZ_* and MS_RACES variables
# (durations, sizes: the tests say which they read).
# Tests named stress-*, soak-*, bench-*, fuzz-lane, fuzz-bug-* (their own
# guest: tests/check.sh) and dkms-* (a real DKMS build under
# TCG takes about 6-11 min) run only when named; without
# names, tests with "# allow-log" run after the others and "# order: last"
# ones at the end.  QEMU runs single-threaded TCG (MS_ACCEL, default
# tcg,thread=single): Debian 12's QEMU 7.2 with multi-threaded TCG crashes
# guests while the kernel patches its own text under load (ftrace/kprobe
# arming), which both test kernels do.
# A test fails when it prints "not ok", exits non-zero, runs past its time
# limit ("# timeout: N" in the script, default 120 s, times MS_TIMEOUT_SCALE:
# default 1, and 6 on the debug kernel, which KASAN and lockdep slow down
# about 10x here (17x with the host busy);
# MS_TIMEOUT overrides the script's), or when the kernel log during it shows
# an oops, panic, BUG:, WARNING:, Bad page, a page-table entry cleared as
# bad ("bad pud"), an RCU stall, a kprobe error or a
# report of the debug kernel's checkers (lockdep, KASAN, DEBUG_VM,
# page_table_check, kmemleak, debugobjects, sleep in atomic) (unless the
# script allows the line with "# allow-log: REGEX").
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kernels=() raw=0 self=0
while getopts "k:rs" o; do
	case $o in
	k) kernels+=("$OPTARG") ;;
	r) raw=1 ;;
	s) self=1 ;;
	*) ms_die "usage: run.sh [-k KERNEL]... [-r] [-s] [TEST...]" ;;
	esac
done
shift $((OPTIND - 1))
[ ${#kernels[@]} -gt 0 ] || kernels=(6.12)

G="$MS_REPO/tests/guest"
# Per-test header directives.
directive() { sed -n "s/^# $2: //p" "$G/$1.sh" | head -n1; }

# All tests, in name order, except that tests whose kernel log may show
# reports ("# allow-log") run after the others: a "Bad page" report taints
# the kernel and switches lockdep off for the rest of the boot.  Tests
# marked "# order: last" (the leak check) come after those, and "# order:
# final" ones (lockdown, which cannot be undone) at the very end.
tests=("$@")
if [ ${#tests[@]} -eq 0 ]; then
	late=() last=() final=()
	for f in "$G"/*.sh; do
		n=$(basename "$f" .sh)
		case $n in
		lib|runner|demo|stress-*|soak-*|bench-*|fuzz-lane|fuzz-bug-*|dkms-*) continue ;;
		selftest-*) [ $self = 1 ] || continue ;;
		esac
		if [ "$(directive "$n" order)" = final ]; then final+=("$n")
		elif [ "$(directive "$n" order)" = last ]; then last+=("$n")
		elif [ -n "$(directive "$n" allow-log)" ]; then late+=("$n")
		else tests+=("$n"); fi
	done
	tests+=(${late[@]+"${late[@]}"} ${last[@]+"${last[@]}"} ${final[@]+"${final[@]}"})
fi
for t in "${tests[@]}"; do
	[ -f "$G/$t.sh" ] || ms_die "no such guest test: $t (tests/guest/$t.sh)"
done

BAD='BUG:|WARNING:|: bad (pgd|p4d|pud|pmd) [0-9a-f]|Oops|Kernel panic|detected stalls|Bad page|general protection fault|Call Trace:|UBSAN:|[Kk]probe.*([Ff]ail|[Ee]rror)|([Ff]ail|[Ee]rror).*[Kk]probe'
# The debug kernel's checkers.  Most reports start with "BUG:" (KASAN,
# sleeping function called from invalid context, scheduling while atomic,
# soft lockup) or "WARNING:" (lockdep, suspicious RCU usage, debugobjects,
# VM_WARN_ON); these are the ones that do not, or may come without a stack:
# VM_BUG_ON and page_table_check's BUG_ON ("kernel BUG at"), DEBUG_VM's
# dump_page ("page dumped because"), lockdep's one "INFO:" report,
# debugobjects, and kmemleak's leak reports and its giving up.
BAD="$BAD"'|kernel BUG at|page dumped because|INFO: trying to register non-static key|ODEBUG:|kmemleak: .*(new suspected memory leaks|[Dd]isabled|[Cc]annot|[Ff]ailed|pool empty)'

n=0 pass=0 fail=0
tap() {	# tap STATUS DESC
	n=$((n + 1))
	if [ "$1" = ok ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
	[ $raw = 1 ] || echo "$1 $n - $2"
}

# The description of a guest's TAP line, after "ok": " 3 - what" -> "what".
tap_desc() {
	local l=${1# }
	[[ $l =~ ^[0-9]+\ (.*)$ ]] && l=${BASH_REMATCH[1]}
	echo "${l#- }"
}

# limit_of TEST: its time limit in seconds on this kernel: MS_TIMEOUT, or the
# test's "# timeout:", or 120 s, times the kernel's scale (below).
limit_of() {
	local l
	l=${MS_TIMEOUT:-$(directive "$1" timeout)}
	echo $(( ${l:-120} * scale ))
}

# Host-side payloads shared by all kernels.
ms_log "building workloads and tools"
payload="$MS_CACHE/build/payload"
ms_lock payload
make -s -C "$MS_REPO/tests/workloads" O="$payload/bin" >/dev/null ||
	ms_die "building workloads failed"
make -s -C "$MS_REPO/tests/bench" O="$payload/bin" >/dev/null ||
	ms_die "building benchmarks failed"
make -s -C "$MS_REPO/tests/fuzz" O="$payload/bin" >/dev/null ||
	ms_die "building msfuzz failed"
[ -n "${MS_NO_TOOLS:-}" ] || make -s -C "$MS_REPO/debugfs-tools" O="$payload/bin" STATIC=1 >/dev/null ||
	ms_die "building debugfs-tools failed"
root=$("$MS_REPO/tests/vm/mkroot.sh")
# The guest's own ms-sitegen ("mapshadow sites generate" in the guest),
# linked in the trixie root against its libdw and capstone.
if [ -z "${MS_NO_TOOLS:-}" ]; then
	mkdir -p "$payload/src"
	rsync -rlp --checksum --delete --exclude '*.o' --exclude /debugfs-tools/mapshadow \
		--exclude /debugfs-tools/ms-sitegen "$MS_REPO/debugfs-tools" "$MS_REPO/module" "$payload/src/"
	ms_in_root "$root" make -s -C "$payload/src/debugfs-tools" O="$payload/bin" sitegen >/dev/null ||
		ms_die "building the guest's ms-sitegen failed"
fi
exec {MS_LOCK_FD}>&-

run_kernel() {
	local line=$1 kdir ko img work limit total qpid qrc=0
	kdir=$("$MS_REPO/tests/vm/kernel.sh" "$line")
	ko=$("$MS_REPO/tests/vm/build.sh" "$kdir")
	img=$("$MS_REPO/tests/vm/initramfs.sh" "$kdir")
	local tbl=""
	if [ "${MS_SITES:-1}" = 1 ]; then
		tbl=$("$MS_REPO/tests/vm/dbg.sh" "$kdir")
	fi
	local kver; kver=$(cat "$kdir/kver")
	local tag="$line"
	# The debug kernel runs everything several times slower (KASAN,
	# lockdep, kmemleak, under TCG): one factor for every limit.  Its
	# ACPI interpreter is so slow that QEMU's _PRT loop hits ACPICA's 30 s
	# loop timeout three times at boot: PCI interrupts are routed from
	# the BIOS table instead (boot in 8 s, not 110 s).  4-level paging:
	# with -cpu max's LA57, an interrupt while identify_cpu() has the CPU
	# features cleared sees a 4-level KASAN shadow layout and KASAN
	# reports a wild-memory-access in the irq code (6.12 bug).
	local scale=1 kargs=""
	if [ "$line" = debug ]; then
		scale=6 kargs="pci=noacpi no5lvl"
	fi
	scale=${MS_TIMEOUT_SCALE:-$scale}
	work=$(mktemp -d "${TMPDIR:-/tmp}/mapshadow-run.XXXXXX")
	mkdir -p "$work/guest" "$work/ko" "$work/bin"
	cp "$G"/*.sh "$MS_REPO/tests/tap.sh" "$work/guest/"
	cp "$ko"/*.ko "$work/ko/"
	cp "$payload"/bin/* "$work/bin/"
	mkdir -p "$work/bpftrace" "$work/bugs"
	cp "$MS_REPO"/tests/fuzz/bugs/*.c "$work/bugs/"
	cp "$MS_REPO"/debugfs-tools/bpftrace/*.bt "$MS_REPO"/tests/bench/*.bt "$work/bpftrace/"
	[ -n "$tbl" ] && cp "$tbl" "$work/sites.tbl"
	# The source tree as a user has it, for the guest's "make dkms-install".
	mkdir -p "$work/src"
	cp -r "$MS_REPO/Kbuild" "$MS_REPO/Makefile" "$MS_REPO/dkms.conf" "$MS_REPO/module" "$work/src/"
	# The kernel's folder, shared read-only at its host path (its headers
	# tree names itself by that path): the DKMS install builds against
	# it, "sites generate" reads its DWARF vmlinux.
	local kpath; kpath=$(readlink -f "$kdir")
	echo "$kpath" > "$work/kdir"
	if [ -n "$tbl" ]; then
		local vml
		for vml in "$kpath/vmlinux" "$kpath/vmlinux-dbg"; do
			[ -s "$vml" ] && { echo "$vml" > "$work/vmlinux"; break; }
		done
	fi
	local v
	for v in $(compgen -e | grep -E '^MS_(STRESS_|SOAK_|BENCH_|FUZZ_|RACES$)'); do
		printf 'export %s=%q\n' "$v" "${!v}"
	done > "$work/env"
	total=$((90 * scale))
	echo "$scale" > "$work/scale"
	: > "$work/tests.list"
	for t in "${tests[@]}"; do
		limit=$(limit_of "$t")
		echo "$t $limit" >> "$work/tests.list"
		total=$((total + limit + 10))
	done
	local append="console=ttyS0,115200 panic=-1 loglevel=7 numa=fake=2 $kargs ${MS_APPEND:-}"
	ms_log "booting $kver ($tag): ${tests[*]}"
	: > "$work/results.log"
	timeout -k 5 "$total" qemu-system-x86_64 -accel "${MS_ACCEL:-tcg,thread=single}" -cpu max \
		-m "${MS_MEM:-3G}" -smp "${MS_SMP:-2}" ${MS_QEMU_EXTRA:-} \
		-nodefaults -display none -no-reboot \
		-kernel "$kdir/vmlinuz" -initrd "$img" -append "$append" \
		-serial "file:$work/console.log" -serial "file:$work/results.log" \
		-fsdev "local,id=r,path=$root,security_model=none,readonly=on,multidevs=remap" \
		-device virtio-9p-pci,fsdev=r,mount_tag=msroot \
		-fsdev "local,id=w,path=$work,security_model=none,readonly=on" \
		-device virtio-9p-pci,fsdev=w,mount_tag=mswork \
		-fsdev "local,id=m,path=$(readlink -f "$kdir/modules"),security_model=none,readonly=on" \
		-device virtio-9p-pci,fsdev=m,mount_tag=msmods \
		-fsdev "local,id=k,path=$kpath,security_model=none,readonly=on,multidevs=remap" \
		-device virtio-9p-pci,fsdev=k,mount_tag=mskernel &
	qpid=$!
	if [ $raw = 1 ]; then
		tail -n +1 -f --pid=$qpid "$work/results.log" |
			grep --line-buffered -v '^@@ ' | tr -d '\r' || true
	fi
	wait $qpid || qrc=$?
	tr -d '\r' < "$work/results.log" > "$work/results.txt"
	tr -d '\r' < "$work/console.log" > "$work/console.txt"
	case $qrc in
	0) ;;
	124) ms_log "$tag: QEMU killed after ${total}s" ;;
	*) ms_log "$tag: QEMU exited with status $qrc" ;;
	esac

	# Kernel log before the first test: boot must be clean.
	local bootbad
	bootbad=$(sed '/mapshadow-test: begin /q' "$work/console.txt" | grep -E "$BAD" | head -n1 || true)
	if [ -z "$bootbad" ]; then tap ok "$tag: boot, kernel log clean"
	else tap "not ok" "$tag: boot: kernel log: $bootbad"; fi

	for t in "${tests[@]}"; do
		local out rc secs limit klog bad allow why="" asserts=0
		out=$(sed -n "/^@@ begin $t\$/,/^@@ end $t /p" "$work/results.txt")
		rc=$(printf '%s\n' "$out" | sed -n "s/^@@ end $t rc=\([0-9]*\).*/\1/p")
		secs=$(printf '%s\n' "$out" | sed -n "s/^@@ end $t .*secs=//p")
		limit=$(limit_of "$t")
		klog=$(sed -n "/mapshadow-test: begin $t\$/,/mapshadow-test: begin /p" "$work/console.txt")
		allow=$(directive "$t" allow-log)
		bad=$(printf '%s\n' "$klog" | grep -E "$BAD" |
			{ if [ -n "$allow" ]; then grep -Ev -- "$allow"; else cat; fi; } |
			head -n1 || true)
		while IFS= read -r l; do
			case $l in
			"ok "*|"ok") l=$(tap_desc "${l#ok}")
				tap ok "$tag/$t: $l"; asserts=$((asserts + 1)) ;;
			"not ok "*) l=$(tap_desc "${l#not ok}")
				tap "not ok" "$tag/$t: $l"; asserts=$((asserts + 1)) ;;
			"@@ "*) ;;
			*) [ $raw = 1 ] || echo "# $tag/$t: $l" ;;
			esac
		done <<< "$out"
		if [ -z "$rc" ]; then
			why="no result: the guest stopped or hung during the test"
		elif [ "$rc" = 124 ] || { [ "$rc" = 137 ] && [ "${secs:-0}" -ge "$limit" ]; }; then
			why="timed out (limit ${limit}s)"
		elif [ "$rc" -gt 128 ]; then
			why="killed by signal $((rc - 128))"
		elif [ "$rc" != 0 ]; then
			why="exit status $rc"
		elif [ $asserts = 0 ]; then
			why="printed no assertion"
		fi
		[ -n "$bad" ] && why="${why:+$why; }kernel log: $bad"
		if [ -z "$why" ]; then tap ok "$tag/$t: completed, kernel log clean"
		else tap "not ok" "$tag/$t: $why"; fi
	done
	if [ -n "${MS_KEEP:-}" ] || [ $fail -gt 0 ]; then
		ms_log "$tag: logs kept in $work"
	else
		rm -rf "$work"
	fi
}

# Several kernels boot side by side, one QEMU (one host thread: TCG is
# single-threaded) per kernel, when the host has a core for each
# (MS_PARALLEL=0 boots them one after the other): a make check takes the
# time of its slowest kernel, not the sum.  Each kernel's TAP and log are
# kept apart and printed in the order given.
ncpu=$(nproc 2>/dev/null || echo 1)
if [ ${#kernels[@]} -gt 1 ] && [ $raw = 0 ] && [ "${MS_PARALLEL:-1}" != 0 ] &&
   [ "$ncpu" -ge ${#kernels[@]} ]; then
	par=$(mktemp -d "${TMPDIR:-/tmp}/mapshadow-par.XXXXXX")
	pids=()
	for i in "${!kernels[@]}"; do
		( run_kernel "${kernels[i]}"; echo "$pass $fail" > "$par/$i.counts" ) \
			> "$par/$i.out" 2> "$par/$i.err" &
		pids+=($!)
	done
	for i in "${!kernels[@]}"; do
		wait "${pids[i]}" || true
		cat "$par/$i.err" >&2
		cat "$par/$i.out"
		if [ -s "$par/$i.counts" ]; then
			read -r p f < "$par/$i.counts"
			pass=$((pass + p)) fail=$((fail + f))
		else
			tap "not ok" "${kernels[i]}: the run stopped before its end"
		fi
	done
	rm -rf "$par"
else
	for k in "${kernels[@]}"; do
		run_kernel "$k"
	done
fi
echo "# vm: $pass passed, $fail failed"
[ $fail = 0 ]
