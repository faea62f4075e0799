#!/bin/bash
# lint.sh: kernel style of the module sources (checkpatch.pl --no-tree -f from
# Debian's linux-source-6.12) and sparse (make C=2) against the 6.12 headers.
# W=1 cleanliness is enforced by every module build (tests/vm/build.sh).
# Prints TAP.
set -uo pipefail
. "$(dirname "$0")/vm/lib.sh"

tap_begin lint
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# checkpatch.pl and its data files, extracted once from linux-source-6.12.
cp_dir="$MS_CACHE/checkpatch"
if [ ! -x "$cp_dir/scripts/checkpatch.pl" ]; then
	ms_need_root "fetching linux-source-6.12"
	ms_lock checkpatch
	mkdir -p "$MS_CACHE/debs" "$cp_dir.tmp"
	(cd "$MS_CACHE/debs" && apt-get download -q linux-source-6.12 >/dev/null 2>&1) ||
		ms_die "apt-get download linux-source-6.12 failed"
	deb=$(ls -t "$MS_CACHE"/debs/linux-source-6.12_*.deb | head -n1)
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" --wildcards './usr/src/linux-source-6.12.tar.xz'
	tar -xJf "$tmp"/usr/src/linux-source-6.12.tar.xz -C "$cp_dir.tmp" --strip-components=1 \
		--wildcards '*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch'
	rm -rf "$cp_dir" && mv "$cp_dir.tmp" "$cp_dir"
fi

mapfile -t srcs < <(cd "$MS_REPO" && ls module/*.[ch] tests/kmod/*/*.c tests/fuzz/*.[ch])
checkpatch() {
	cd "$MS_REPO" && "$cp_dir/scripts/checkpatch.pl" --no-tree --quiet \
		--show-types --strict --ignore FILE_PATH_CHANGES -f "$@"
}
for f in "${srcs[@]}"; do
	# compat.h is the one place allowed to test the kernel version.
	case $f in
	module/compat.h) check "checkpatch $f" checkpatch --ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON "$f" ;;
	# One X-macro list: each use takes the columns it needs.
	module/finding_kinds.[ch]) check "checkpatch $f" checkpatch \
		--ignore MACRO_ARG_UNUSED,MACRO_ARG_REUSE,COMPLEX_MACRO,BRACKET_SPACE "$f" ;;
	# TRACE_EVENT()s laid out as include/trace/events/ lays them out.
	module/trace.h) check "checkpatch $f" checkpatch --ignore OPEN_ENDED_LINE,PARENTHESIS_ALIGNMENT "$f" ;;
	# ms_lock() names its lock twice, as spin_trylock() does, for sparse.
	module/probe_lock.h) check "checkpatch $f" checkpatch --ignore MACRO_ARG_REUSE "$f" ;;
	*) check "checkpatch $f" checkpatch "$f" ;;
	esac
done

kdir=$("$MS_REPO/tests/vm/kernel.sh" 6.12)
sparse_clean() {
	rm -rf "$tmp/s" && mkdir "$tmp/s"
	cp -r "$MS_REPO/Kbuild" "$MS_REPO/dkms.conf" "$MS_REPO/module" "$tmp/s/"
	make -C "$kdir/build" M="$tmp/s" C=2 modules 2>&1 | tee "$tmp/sparse.log" >/dev/null
	grep -q ' CHECK ' "$tmp/sparse.log" && ! grep -E 'warning:|error:' "$tmp/sparse.log"
}
check "sparse (C=2) against $(cat "$kdir/kver")" sparse_clean
# The sparse build left the objects: no two files may call each other.
check "no call cycles between module files (but shadow <-> validate)" \
	python3 "$MS_REPO/tests/call-cycles.py" "$tmp/s/module"
tap_end
