#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# test_msfuzz.sh: msfuzz on the host, as the current user: gen is
# deterministic, its programs run, a run is repeatable, every operation
# and mapping type runs (those this machine lacks fail or are skipped),
# nothing hangs or is left behind, the C reproducer compiles and does the
# same, and min shrinks a program to the line a predicate wants plus its
# fork ancestry.  The 1 GiB types are generated only when asked for and
# never given a 1 GiB page here.  TAP on stdout, ending with the plan.
#
# MSFUZZ names the binary; by default one is built in a temporary directory.
set -u

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/tap.sh
. "$here/../tap.sh"

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
# Not on a test guest: no compact_memory, no drop_caches.
export MSFUZZ_NO_GLOBAL=1 MSFUZZ_FILEDIR=$tmp MSFUZZ_TMPFS=/dev/shm
unset MSFUZZ_MAXMEM MSFUZZ_OP_TIMEOUT MSFUZZ_TMPFS_HUGE MSFUZZ_DAX MSFUZZ_HWPOISON \
	MSFUZZ_HUGETLB_1G MSFUZZ_DAX_1G

tap_begin msfuzz
if [ -z "${MSFUZZ:-}" ]; then
	check "build (make O=...)" make -s -C "$here" O="$tmp/bin"
	MSFUZZ=$tmp/bin/msfuzz
fi
if [ ! -x "$MSFUZZ" ]; then
	not_ok "no msfuzz binary at $MSFUZZ"
	tap_totals
	exit 1
fi
bin=$(readlink -f "$MSFUZZ")

summary_re='^msfuzz: ops=[0-9]+ syscalls=[0-9]+ failed=[0-9]+ skipped=[0-9]+ timeouts=0$'

# ops FILE: the operation lines of a program.
ops() { grep -v '^#' "$1"; }

# procs_left: how many processes run our binary.
procs_left() {
	local p n=0
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/exe" 2>/dev/null)" = "$bin" ] && n=$((n + 1))
	done
	echo $n
}

# --- gen -------------------------------------------------------------------
"$MSFUZZ" gen -s 42 -n 300 > "$tmp/a" && "$MSFUZZ" gen -s 42 -n 300 > "$tmp/b"
check "gen: the same seed gives the same bytes" cmp "$tmp/a" "$tmp/b"
"$MSFUZZ" gen -s 43 -n 300 > "$tmp/c"
check "gen: another seed gives another program" bash -c "! cmp -s '$tmp/a' '$tmp/c'"
check "gen: -n 300 gives 300 operations" test "$(ops "$tmp/a" | wc -l)" = 300
check "gen: the header records the seed" grep -qx '# msfuzz v1 seed=42 ops=300 procs=4 maxmem=256M' "$tmp/a"

gen_mix() {	# forks, children at work, the operations where features meet
	local f=$tmp/mix verbs
	"$MSFUZZ" gen -s "$1" -n 400 -p 6 > "$f" || return 1
	verbs=$(ops "$f" | awk '{ print $2 }' | sort -u | wc -l)
	echo "seed $1: $verbs verbs, $(grep -c ' fork ' "$f") forks," \
		"$(ops "$f" | grep -vc '^p0 ') ops of children"
	[ "$verbs" -ge 15 ] && [ "$(grep -c ' fork ' "$f")" -ge 4 ] &&
		[ "$(ops "$f" | grep -vc '^p0 ')" -ge 100 ] &&
		[ "$(ops "$f" | grep -c ' map ')" -le 60 ]
}
for s in 1 2 3; do
	check "gen: seed $s mixes processes and operations" gen_mix $s
done
check "gen: -p 1 never forks" bash -c "! '$MSFUZZ' gen -s 5 -n 200 -p 1 | grep -q ' fork '"

# The 1 GiB types: only with their options, then always 1 GiB long.
maps_1g='^p[0-9]+ map m[0-9]+ (hugetlb-1g|dax-1g) '
no_1g() {	# seeds 1..200, the other options off and on: none of them
	local s
	for s in $(seq 1 200); do
		{ "$MSFUZZ" gen -s "$s" -n 150 &&
		  MSFUZZ_HWPOISON=1 MSFUZZ_DAX=/dev/dax0.0 MSFUZZ_TMPFS_HUGE=/x \
			"$MSFUZZ" gen -s "$s" -n 150; } > "$tmp/g1" || return 1
		if grep -E -- '-1g' "$tmp/g1"; then
			echo "seed $s"
			return 1
		fi
	done
}
check "gen: without their options, no 1 GiB type (seeds 1..200)" no_1g
with_1g() {	# with_1g [MAXMEM]: seeds 1..200 map both, always 1G
	local s
	: > "$tmp/g1m"
	for s in $(seq 1 200); do
		MSFUZZ_MAXMEM=${1:-256M} MSFUZZ_HUGETLB_1G=1 MSFUZZ_DAX_1G=/dev/dax1.0 \
			"$MSFUZZ" gen -s "$s" -n 150 > "$tmp/g1" || return 1
		grep -Eq '^# msfuzz .* hugetlb-1g=1 dax-1g=1$' "$tmp/g1" || return 1
		grep -E "$maps_1g" "$tmp/g1" >> "$tmp/g1m"
	done
	echo "$(grep -c ' hugetlb-1g ' "$tmp/g1m") hugetlb-1g and" \
		"$(grep -c ' dax-1g ' "$tmp/g1m") dax-1g maps; not 1G:"
	grep -q ' hugetlb-1g ' "$tmp/g1m" && grep -q ' dax-1g ' "$tmp/g1m" &&
		! awk '$5 != "1G"' "$tmp/g1m" | grep .
}
check "gen: MSFUZZ_HUGETLB_1G=1 MSFUZZ_DAX_1G: both types, 1G long (seeds 1..200)" with_1g
check "gen: the 1 GiB types cost nothing: still 1G with MSFUZZ_MAXMEM=24M" with_1g 24M
check "gen: usage error exits 2" bash -c "'$MSFUZZ' gen -x 2>/dev/null; test \$? = 2"

# --- run -------------------------------------------------------------------
run_seed() {	# gen, run: exit 0, the summary line, no process left
	"$MSFUZZ" gen -s "$1" -n 250 -p "$2" > "$tmp/p$1" || return 1
	timeout 300 "$MSFUZZ" run "$tmp/p$1" > "$tmp/o$1" || return 1
	tail -n1 "$tmp/o$1"
	tail -n1 "$tmp/o$1" | grep -Eq "$summary_re" && test "$(procs_left)" = 0
}
for s in 11 12 13 14 15; do
	check "run: seed $s ran, summary line, all reaped" run_seed $s $((2 + s % 5))
done

# The same program twice: the same operations in the same order, and
# (but for what depends on the moment: collapse, migration, KSM, splits,
# reclaim) the same results.
twice() {
	local total diff
	"$MSFUZZ" gen -s 21 -n 300 -p 5 > "$tmp/t" &&
		"$MSFUZZ" run -v "$tmp/t" > "$tmp/t1" && "$MSFUZZ" run -v "$tmp/t" > "$tmp/t2" ||
		return 1
	cmp <(sed 's/ = [^ ]*$//' "$tmp/t1") <(sed 's/ = [^ ]*$//' "$tmp/t2") || return 1
	total=$(grep -c '^msfuzz: [0-9]' "$tmp/t1")
	diff=$(diff "$tmp/t1" "$tmp/t2" | grep '^<' | grep -c '^< msfuzz: [0-9]')
	echo "$total operations, $diff results differ"
	test "$total" = 300 && test $((diff * 20)) -le "$total"
}
check "run: twice, the same operation log (results: 95%)" twice

# Every verb and type once; what this machine lacks fails or is skipped.
cat > "$tmp/all" <<'EOF'
# msfuzz v1 every verb and type
p0 map m1 anon-thp 4M
p0 write m1 +0 4M
p0 map m2 anon 256K
p0 map m3 anon-mthp 1088K
p0 map m4 anon-shared 1M
p0 map m5 anon-ksm 256K
p0 map m6 memfd 2M
p0 map m7 memfd-huge 2M
p0 map m8 shmem 2M private
p0 map m9 shmem-huge 2M
p0 map m10 file 1M
p0 map m11 hugetlb 2M shared
p0 map m12 dax 2M
p0 write m3 +0 1088K 7
p0 read m10 +0 1M
p0 madvise m1 +1M 2M DONTNEED
p0 madvise m1 +0 2M COLLAPSE
p0 madvise m1 +2M 2M PAGEOUT
p0 madvise m1 +0 4K HWPOISON
p0 mprotect m1 +1M 4K r
p0 write m1 +1M 8K
p0 mprotect m1 +1M 4K rw
p0 mlock m2 +0 64K onfault
p0 munlock m2 +0 64K
p0 fork p1
p1 write m1 +0 4M 2
p1 pmadvise p0 m1 +0 2M COLD
p1 migrate p0 m1 +0 2M 1
p0 mbind m2 +0 64K 0
p0 mbind m2 +0 64K default
p1 mremap m1 +0 2M 2M fixed m13 +64K
p1 mremap m1 +2M 2M 2M dontunmap m14
p1 mremap m2 +0 256K 512K
p1 mremap m4 +0 1M 1M maymove m15
p1 uffd-copy m2 +0 64K
p1 madvise m2 +0 64K DONTNEED
p1 uffd-zero m2 +0 64K
p0 map m16 anon-thp 2M
p0 uffd-move m16 +0 m1 +2M 2M
p0 punch m10 +0 64K
p0 truncate m10 64K
p0 read m10 +0 1M
p0 truncate m10 1M
p0 split p1 m14 +0 2M
p0 split p0 m3 +0 1088K 2
p1 exec
p0 fork p1
p1 fork p2
p2 exit
p1 write m17 +0 4K
p0 compact
p0 dropcaches 1
p0 sleep 10
p0 munmap m1 +0 4M
EOF
every() {
	timeout 120 "$MSFUZZ" run -v "$tmp/all" > "$tmp/allo" || return 1
	cat "$tmp/allo"
	test "$(grep -c '^msfuzz: [0-9]' "$tmp/allo")" = "$(ops "$tmp/all" | wc -l)" &&
		! grep -Eq '= (died|timeout|dead)$' "$tmp/allo" &&
		grep -q '^msfuzz: 2 p0 write m1 +0 4M = ok$' "$tmp/allo" &&
		grep -q '^msfuzz: 21 p0 write m1 +1M 8K = SIGSEGV$' "$tmp/allo" &&
		grep -q '^msfuzz: 19 p0 madvise m1 +0 4K HWPOISON = skip$' "$tmp/allo" &&
		grep -q '^msfuzz: 42 p0 read m10 +0 1M = SIGBUS$' "$tmp/allo" &&
		grep -q '^msfuzz: 46 p1 exec = ok$' "$tmp/allo" &&
		grep -q '^msfuzz: 50 p1 write m17 +0 4K = nohandle$' "$tmp/allo" &&
		grep -q '^msfuzz: 52 p0 dropcaches 1 = skip$' "$tmp/allo" &&
		grep -Eq "$summary_re" "$tmp/allo" && test "$(procs_left)" = 0
}
check "run: every verb and type, each logged once, faults caught" every

budget() {
	printf '%s\n' 'p0 map m1 anon 4M' 'p0 write m1 +0 4M' 'p0 map m2 anon 8M' \
		'p0 fork p1' 'p1 munmap m1 +0 4M' 'p0 fork p2' > "$tmp/bud"
	MSFUZZ_MAXMEM=10M "$MSFUZZ" run -v "$tmp/bud" > "$tmp/budo" || return 1
	cat "$tmp/budo"
	grep -q '^msfuzz: 3 p0 map m2 anon 8M = budget$' "$tmp/budo" &&
		grep -q '^msfuzz: 4 p0 fork p1 = ok$' "$tmp/budo" &&
		grep -q '^msfuzz: 6 p0 fork p2 = ok$' "$tmp/budo"
}
check "run: MSFUZZ_MAXMEM refuses what does not fit, gives back munmaps" budget

gen_budget() {	# what gen writes for a budget fits it at run time
	local s
	for s in 31 32 33; do
		MSFUZZ_MAXMEM=24M "$MSFUZZ" gen -s $s -n 200 -p 5 > "$tmp/gb" &&
			MSFUZZ_MAXMEM=24M "$MSFUZZ" run -v "$tmp/gb" > "$tmp/gbo" || return 1
		grep '= budget$' "$tmp/gbo" && return 1
	done
	return 0
}
check "gen: programs stay within MSFUZZ_MAXMEM" gen_budget

# No 1 GiB page is ever allocated here: dax-1g is skipped, or /dev/zero
# (a shared mapping, never touched) stands in for the device.
skip_1g() {	# no MSFUZZ_DAX_1G (MSFUZZ_DAX is not it): skipped, not failed
	printf '%s\n' 'p0 map m1 dax-1g 1G' 'p0 map m2 anon 64K' 'p0 write m2 +0 64K' > "$tmp/d1"
	MSFUZZ_DAX=/dev/zero "$MSFUZZ" run -v "$tmp/d1" > "$tmp/d1o" || return 1
	cat "$tmp/d1o"
	grep -q '^msfuzz: 1 p0 map m1 dax-1g 1G = skip$' "$tmp/d1o" &&
		grep -q ' ops=2 syscalls=[0-9]* failed=0 skipped=1 timeouts=0$' "$tmp/d1o"
}
check "run: dax-1g without MSFUZZ_DAX_1G is skipped, not a failure" skip_1g
budget_1g() {	# map, fork, mremap of dax-1g take nothing from the budget
	printf '%s\n' 'p0 map m1 dax-1g 1G' 'p0 map m2 anon 4M' 'p0 fork p1' \
		'p1 mremap m1 +0 1G 1G fixed m3' 'p1 munmap m3 +0 1G' 'p1 map m4 anon 4M' \
		> "$tmp/b1"
	MSFUZZ_MAXMEM=10M MSFUZZ_DAX_1G=/dev/zero "$MSFUZZ" run -v "$tmp/b1" > "$tmp/b1o" ||
		return 1
	cat "$tmp/b1o"
	grep -q '^msfuzz: 1 p0 map m1 dax-1g 1G = ok$' "$tmp/b1o" &&
		grep -q '^msfuzz: 3 p0 fork p1 = ok$' "$tmp/b1o" &&
		grep -q '^msfuzz: 4 p1 mremap m1 +0 1G 1G fixed m3 = ok$' "$tmp/b1o" &&
		grep -q '^msfuzz: 5 p1 munmap m3 +0 1G = ok$' "$tmp/b1o" &&
		grep -q '^msfuzz: 6 p1 map m4 anon 4M = budget$' "$tmp/b1o"
}
check "run: the 1 GiB types cost nothing in MSFUZZ_MAXMEM (dax-1g on /dev/zero)" budget_1g

hang() {
	local t0=$SECONDS
	printf '%s\n' 'p0 map m1 anon 64K' 'p0 fork p1' 'p1 sleep 2000' 'p1 write m1 +0 64K' \
		'p0 write m1 +0 64K' 'p0 fork p2' 'p2 write m1 +0 64K' > "$tmp/h"
	MSFUZZ_OP_TIMEOUT=1 timeout 30 "$MSFUZZ" run -v "$tmp/h" > "$tmp/ho" || return 1
	cat "$tmp/ho"
	grep -q '^msfuzz: 3 p1 sleep 2000 = timeout$' "$tmp/ho" &&
		grep -q '^msfuzz: 4 p1 write m1 +0 64K = dead$' "$tmp/ho" &&
		grep -q '^msfuzz: 7 p2 write m1 +0 64K = ok$' "$tmp/ho" &&
		grep -q 'timeouts=1$' "$tmp/ho" && test $((SECONDS - t0)) -lt 15 &&
		test "$(procs_left)" = 0
}
check "run: an operation past MSFUZZ_OP_TIMEOUT is killed, the rest runs" hang

orphans() {	# the coordinator killed: its processes go by themselves
	local pid i
	printf '%s\n' 'p0 map m1 anon 64K' 'p0 fork p1' 'p1 fork p2' 'p0 sleep 2000' > "$tmp/k"
	"$MSFUZZ" run "$tmp/k" > /dev/null &
	pid=$!
	sleep 0.5
	kill -KILL $pid
	wait $pid 2>/dev/null
	for ((i = 0; i < 50; i++)); do
		[ "$(procs_left)" = 0 ] && return 0
		sleep 0.1
	done
	echo "$(procs_left) processes left"
	return 1
}
check "run: processes exit when the coordinator is killed" orphans

bad() {	# bad PROGRAM-TEXT WANT-IN-MESSAGE: exit status 2 and FILE:LINE: message
	printf '%s\n' "$1" > "$tmp/bad"
	"$MSFUZZ" run "$tmp/bad" > /dev/null 2> "$tmp/bade"
	local rc=$?
	cat "$tmp/bade"
	test $rc = 2 && grep -q "^$tmp/bad:[0-9]*: $2" "$tmp/bade"
}
check "parse: unknown operation" bad 'p0 frobnicate m1' "unknown operation"
check "parse: bad size" bad 'p0 map m1 anon 4X' "bad argument"
check "parse: process not forked" bad 'p1 write m1 +0 4K' "process not forked yet"
check "parse: operation after exit" bad "$(printf 'p0 fork p1\np1 exit\np1 read m1 +0 4K')" \
	"process ended before"
check "parse: handle made twice" bad "$(printf 'p0 map m1 anon 4K\np0 map m1 anon 4K')" \
	"handle made twice"
check "parse: 1G is for the 1 GiB types only" bad 'p0 map m1 anon-thp 1G' "bad argument"
check "parse: no mapping past its slot" bad 'p0 map m1 hugetlb-1g 1050624K' "bad argument"
check "parse: no new range past its slot" \
	bad "$(printf 'p0 map m1 anon 4M\np0 mremap m1 +0 2M 2M fixed m2 +1023M')" \
	"new range leaves its slot"

# The 1 GiB types printed back as they were written (min prints the
# whole program when any smaller one differs); its reproducer: below.
cat > "$tmp/g1p" <<'EOF'
# msfuzz v1 the 1 GiB types
p0 map m1 hugetlb-1g 1G
p0 map m2 hugetlb-1g 1G shared
p0 map m3 dax-1g 1G
p0 map m4 dax-1g 1G private
p0 write m1 +0 1G 3
p0 madvise m1 +2M 2M DONTNEED
p0 fork p1
p1 write m1 +1022M 2M
p1 mremap m1 +0 1G 1G fixed m5
p1 mremap m3 +0 1G 1G maymove m6
p0 mremap m2 +0 1G 1022M
p0 migrate p1 m5 +0 1G 1
p0 mbind m3 +0 1G default
p1 munmap m5 +0 1G
EOF
round_1g() {
	"$MSFUZZ" min "$tmp/g1p" -- cmp -s "$tmp/g1p" > "$tmp/g1q" || return 1
	diff "$tmp/g1p" "$tmp/g1q"
}
check "parse: the 1 GiB types print back identically" round_1g

# --- c -----------------------------------------------------------------------
repro() {
	"$MSFUZZ" c "$tmp/t" > "$tmp/repro.c" || return 1
	grep -q '#include "rt.h"' "$tmp/repro.c" && return 1
	gcc -O2 -static -Wall -Wextra -Werror -o "$tmp/repro" "$tmp/repro.c" || return 1
	(cd "$tmp" && ./repro -v > "$tmp/r1") || return 1
	tail -n1 "$tmp/r1"
	grep -Eq "$summary_re" "$tmp/r1" &&
		cmp <(sed 's/ = [^ ]*$//' "$tmp/t1") <(sed 's/ = [^ ]*$//' "$tmp/r1") &&
		test "$(diff "$tmp/t1" "$tmp/r1" | grep -c '^< msfuzz: [0-9]')" -le 15 &&
		test "$(procs_left)" = 0
}
check "c: the reproducer compiles (-Wall -Wextra -Werror, static), runs the same" repro
check "c: of every verb and type compiles" bash -c \
	"'$MSFUZZ' c '$tmp/all' > '$tmp/all.c' && gcc -O2 -static -Wall -Wextra -Werror -o '$tmp/allc' '$tmp/all.c'"
check "c: of the 1 GiB types compiles (not run)" bash -c \
	"'$MSFUZZ' c '$tmp/g1p' > '$tmp/g1.c' &&
	 grep -q '.type = RT_T_HUGETLB_1G, .flags = 0x1,' '$tmp/g1.c' &&
	 grep -q '.type = RT_T_DAX_1G, .len = 0x40000000,' '$tmp/g1.c' &&
	 gcc -O2 -static -Wall -Wextra -Werror -o '$tmp/g1c' '$tmp/g1.c'"

# --- min -------------------------------------------------------------------
# depth FILE LINE: forks from p0 to the process of LINE (its first match).
depth() {
	awk -v want="$2" '
		/^#/ { next }
		$2 == "fork" { d[$3] = d[$1] + 1 }
		$0 == want { print d[$1] + 0; exit }' "$1"
}
shrink() {
	local line d n
	"$MSFUZZ" gen -s "$1" -n 300 -p 6 > "$tmp/m" || return 1
	line=$(ops "$tmp/m" | grep -E '^p[1-9][0-9]? (write|madvise|mremap) ' | tail -n1)
	[ -n "$line" ] || { echo "no line of a child"; return 1; }
	d=$(depth "$tmp/m" "$line")
	"$MSFUZZ" min "$tmp/m" -- grep -qxF "$line" > "$tmp/mm" 2> "$tmp/mme" || return 1
	cat "$tmp/mme" "$tmp/mm"
	n=$(ops "$tmp/mm" | wc -l)
	echo "want: $line (fork depth $d), got $n operations"
	ops "$tmp/mm" | grep -qxF "$line" &&
		test "$(ops "$tmp/mm" | grep -vxF "$line" | grep -vc ' fork ')" = 0 &&
		test "$n" -ge 2 && test "$n" -le $((d + 1)) &&
		"$MSFUZZ" c "$tmp/mm" > /dev/null
}
check "min: shrinks to the wanted line and its fork ancestry (seed 7)" shrink 7
check "min: shrinks to the wanted line and its fork ancestry (seed 8)" shrink 8
two_lines() {	# two lines of two processes: both, and the forks they need
	local a b
	"$MSFUZZ" gen -s 9 -n 200 -p 4 > "$tmp/m2" || return 1
	a=$(ops "$tmp/m2" | grep -E '^p0 map ' | tail -n1)
	b=$(ops "$tmp/m2" | grep -E '^p[1-9] write ' | tail -n1)
	printf '%s\n' "$a" "$b" > "$tmp/want"
	"$MSFUZZ" min "$tmp/m2" -- grep -qxFf "$tmp/want" 2>/dev/null > /dev/null || return 1
	# A predicate that needs both: a script.
	# shellcheck disable=SC2016 # $1 is the script's
	printf '#!/bin/sh\ngrep -qxF "%s" "$1" && grep -qxF "%s" "$1"\n' "$a" "$b" > "$tmp/both"
	chmod +x "$tmp/both"
	"$MSFUZZ" min "$tmp/m2" -- "$tmp/both" > "$tmp/mm2" 2>/dev/null || return 1
	cat "$tmp/mm2"
	ops "$tmp/mm2" | grep -qxF "$a" && ops "$tmp/mm2" | grep -qxF "$b" &&
		test "$(ops "$tmp/mm2" | grep -vxF "$a" | grep -vxF "$b" | grep -vc ' fork ')" = 0
}
check "min: a predicate on two lines keeps both and only forks besides" two_lines
stopped() {	# "timeout msfuzz min": the best so far, nothing left running
	local line
	line=$(ops "$tmp/m" | grep -E '^p[1-9][0-9]? write ' | tail -n1)
	# shellcheck disable=SC2016 # $0 and $1 are the predicate's
	timeout 3 "$MSFUZZ" min "$tmp/m" -- sh -c 'sleep 0.3; grep -qxF "$0" "$1"' "$line" \
		> "$tmp/ms" 2> "$tmp/mse"
	cat "$tmp/mse"
	grep -q 'stopped by a signal' "$tmp/mse" && ops "$tmp/ms" | grep -qxF "$line" &&
		test "$(ops "$tmp/ms" | wc -l)" -lt "$(ops "$tmp/m" | wc -l)" &&
		! pgrep -f 'sleep 0.3' > /dev/null && ! ls "${TMPDIR:-/tmp}"/msfuzz-min.* 2>/dev/null
}
check "min: SIGTERM prints the smallest program so far, stops its command" stopped
check "min: a program the command does not fail on is an error" \
	bash -c "! '$MSFUZZ' min '$tmp/a' -- false > /dev/null 2>&1"
check "min: MSFUZZ_PROG names the candidate" bash -c \
	"'$MSFUZZ' min '$tmp/a' -- sh -c 'test -f \"\$MSFUZZ_PROG\" && grep -q \" fork \" \"\$MSFUZZ_PROG\"' > '$tmp/mp' 2>/dev/null &&
	 test \$(grep -vc '^#' '$tmp/mp') = 1"

check "no msfuzz process left at the end" test "$(procs_left)" = 0
tap_totals
tap_end
