#!/bin/bash
# Idempotent host setup for the mapshadow test harness (run as root).
# Adds the Debian suites the supported test kernels come from, pins the newer
# suites to priority 100 so the bookworm host is never upgraded, and installs
# the host tools the harness uses.
set -euo pipefail

die() { echo "setup-host: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "must run as root (apt-get)"
command -v apt-get >/dev/null || die "needs a Debian host (apt-get)"

KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
SRC=/etc/apt/sources.list.d/mapshadow-kernels.sources
PIN=/etc/apt/preferences.d/mapshadow-kernels
STAMP=/var/lib/apt/mapshadow-updated
changed=0

want_src="Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports trixie trixie-backports
Components: main
Signed-By: $KEYRING
"
want_pin="Package: *
Pin: release n=trixie
Pin-Priority: 100

Package: *
Pin: release n=trixie-backports
Pin-Priority: 100
"
if [ "$(cat "$SRC" 2>/dev/null)" != "$(printf %s "$want_src")" ]; then
	printf %s "$want_src" > "$SRC"; changed=1
fi
if [ "$(cat "$PIN" 2>/dev/null)" != "$(printf %s "$want_pin")" ]; then
	printf %s "$want_pin" > "$PIN"; changed=1
fi

# Refresh the package lists when the suites changed or they are older than a day.
if [ $changed = 1 ] || [ ! -e "$STAMP" ] || [ -n "$(find "$STAMP" -mmin +1440)" ]; then
	apt-get update -qq
	touch "$STAMP"
fi

PKGS="qemu-system-x86 qemu-utils mmdebstrap busybox-static dkms dwarves sparse
rsync zstd xz-utils cpio kmod bc flex bison libelf-dev libssl-dev
elfutils libdw-dev libcapstone-dev pkg-config gcc make gnuplot-nox"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "setup-host: installing$missing"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
