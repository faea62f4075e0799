#!/bin/bash
# Build (once, cached) the trixie root that serves two jobs: the build
# environment for kernels whose kbuild needs trixie's libc, and the guest's
# read-only root filesystem (shared over 9p). Prints its path.  dkms is
# there for the guest's real DKMS install (tests/guest/dkms-install.sh;
# gcc-12 builds for Debian 6.12, whose headers name it),
# libdw and capstone for the guest's own ms-sitegen ("sites generate").
set -euo pipefail
. "$(dirname "$0")/lib.sh"

PKGS="bash,busybox,coreutils,util-linux,procps,kmod,gcc,make,libc6-dev,\
pahole,libelf1t64,libssl3t64,zlib1g,bpftrace,python3-minimal,stress-ng,\
dkms,gcc-12,libdw-dev,libelf-dev,libcapstone-dev,pkgconf"
key=$(printf '%s\n' "trixie" "$PKGS" "v2" | sha256sum | cut -c1-12)
root="$MS_CACHE/roots/trixie-$key"

if [ ! -e "$root/.complete" ]; then
	ms_need_root "building the guest root"
	ms_lock root
	if [ ! -e "$root/.complete" ]; then
		ms_log "building trixie root in $root (about 1.5 min, once)"
		rm -rf "$root.tmp"
		mkdir -p "$(dirname "$root")"
		mmdebstrap --quiet --mode=root --variant=essential \
			--include="$PKGS" trixie "$root.tmp" \
			"deb $MS_MIRROR trixie main" >&2
		mkdir -p "$root.tmp/mnt/work" "$root.tmp/usr/lib/modules" "$root.tmp/$MS_CACHE"
		rm -rf "$root"
		mv "$root.tmp" "$root"
		touch "$root/.complete"
	fi
fi
echo "$root"
