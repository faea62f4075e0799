#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# test_install.sh: "make install" puts the CLI, the generator and the man
# page under DESTDIR/PREFIX, and the man page is well-formed troff that
# names every command of the CLI's help.  TAP on stdout.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$here/../tap.sh"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

check "make install DESTDIR PREFIX=/usr" make -s -C "$top" install DESTDIR="$tmp" PREFIX=/usr
check "the CLI" test -x "$tmp/usr/sbin/mapshadow"
check "the generator" test -x "$tmp/usr/sbin/ms-sitegen"
check "the man page" test -f "$tmp/usr/share/man/man8/mapshadow.8"
check "the installed CLI runs" "$tmp/usr/sbin/mapshadow" help
for c in status stats hooks findings scan ctl sites explain watch help; do
	check "the man page has $c" grep -q "^\.B[IR]* $c\b\|^\.B $c$" "$top/debugfs-tools/mapshadow.8"
done
if command -v groff >/dev/null; then
	check "groff renders it without a warning" \
		bash -c "! groff -man -Tutf8 -ww '$top/debugfs-tools/mapshadow.8' 2>&1 >/dev/null | grep -q ."
else
	ok "groff renders it # SKIP no groff"
fi
tap_totals
tap_end
