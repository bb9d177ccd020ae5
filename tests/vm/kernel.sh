#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# kernel.sh CACHE: print the directory under CACHE that holds Debian's
# kernel for the guests (boot/vmlinuz-*, lib/modules/*), fetching it first
# if it is not there.  The kernel is the one Debian's linux-image-amd64
# depends on, downloaded with apt-get and unpacked with dpkg -x: nothing is
# installed on this machine.  A kernel already in the cache is used as it
# is, so the tests run without the network once it has been fetched.
set -eu

cache=$1
mkdir -p "$cache"

have() {
	for d in "$cache"/linux-*; do
		[ -d "$d/lib/modules" ] && ls "$d"/boot/vmlinuz-* >/dev/null 2>&1 || continue
		echo "$d"
		return 0
	done
	return 1
}

have && exit 0

pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
	awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
if [ -z "$pkg" ]; then
	echo "kernel.sh: apt knows no linux-image-amd64 (run apt-get update, or make deps)" >&2
	exit 1
fi

tmp=$(mktemp -d "$cache/.fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# apt's download sandbox user cannot write to a root-owned directory; the
# download is of a signed package from the configured archive either way.
(cd "$tmp" && apt-get download -q -o APT::Sandbox::User=root "$pkg" >/dev/null) || {
	echo "kernel.sh: could not download $pkg" >&2
	exit 1
}
dpkg -x "$tmp"/"$pkg"_*.deb "$tmp/$pkg"
release=$(ls "$tmp/$pkg/lib/modules")
# The package leaves modules.dep to its postinst: make it here, once.
depmod -b "$tmp/$pkg" "$release"
mv "$tmp/$pkg" "$cache/$pkg"
echo "$cache/$pkg"
