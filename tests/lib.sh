# SPDX-License-Identifier: GPL-2.0-or-later
# Shared helper for the TAP test scripts (POSIX sh), sourced first:
#
#	. "$(dirname "$0")/lib.sh"
#	test_expect_success 'what a user sees' '
#		iommu-groups --root "$FIXTURES/z490-guide" >out &&
#		test_cmp expected out
#	'
#	test_done
#
# Each test body runs in its own subshell inside a fresh scratch directory,
# with the project's binaries first in PATH.  A failing test prints what
# it ran and its output as TAP comments, on standard error as well.

set -u

TOP=$(cd "$(dirname "$0")/.." && pwd)
: "${BUILD:=build}"
case $BUILD in
/*) ;;
*) BUILD=$TOP/$BUILD ;;
esac
: "${FIXTURES:=$TOP/tests/fixtures}"
SEED_SCRIPT=$TOP/tests/classic/iommu.sh
PATH=$BUILD:$PATH
export TOP BUILD FIXTURES PATH
LC_ALL=C
export LC_ALL

# Scratch space in memory where there is some: the tests copy sysroots of
# thousands of small files, which a disk-backed /tmp makes slow.
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
	TEST_TMP=$(mktemp -d /dev/shm/vfio-utils-test.XXXXXX) || exit 1
else
	TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/vfio-utils-test.XXXXXX") || exit 1
fi
trap 'rm -rf "$TEST_TMP"' EXIT
trap 'exit 130' INT TERM

test_count=0
test_failed=0

# test_expect_success DESCRIPTION BODY
test_expect_success() {
	test_count=$((test_count + 1))
	test_dir=$TEST_TMP/t$test_count
	mkdir -p "$test_dir"
	if (cd "$test_dir" && eval "$2") >"$TEST_TMP/log" 2>&1; then
		echo "ok $test_count - $1"
	else
		echo "not ok $test_count - $1"
		test_failed=$((test_failed + 1))
		# On standard error too: prove shows it without -v, so that a
		# failure in CI says why.
		{
			sed 's/^/#	/' <<EOF
$2
EOF
			sed 's/^/# /' "$TEST_TMP/log"
		} | tee /dev/stderr
	fi
}

# test_skip DESCRIPTION REASON
test_skip() {
	test_count=$((test_count + 1))
	echo "ok $test_count # SKIP $1: $2"
}

skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}

test_done() {
	echo "1..$test_count"
	[ "$test_failed" -eq 0 ]
	exit
}

# test_cmp EXPECTED ACTUAL: identical, or show the difference.
test_cmp() {
	diff -u "$1" "$2"
}

# run CMD...: run a command, keeping its stdout in ./out, its stderr in
# ./err and its exit status in $rc; never fails by itself.
run() {
	rc=0
	"$@" >out 2>err || rc=$?
}

# expect_rc N: the last run exited N.
expect_rc() {
	if [ "$rc" -ne "$1" ]; then
		echo "exit status $rc, expected $1"
		echo "--- stdout"; cat out
		echo "--- stderr"; cat err
		return 1
	fi
}

# grep_q PATTERN FILE: like grep -q, but shows the file when it fails.
grep_q() {
	if ! grep -q -e "$1" "$2"; then
		echo "no line matching '$1' in $2:"
		cat "$2"
		return 1
	fi
}

# snapshot DIR: every path below DIR with its type, link target and
# contents' checksum, for "nothing changed" checks (diff -r loops on
# sysfs-style links).
snapshot() {
	(cd "$1" && find . -printf '%p %y %m %l\n' | sort &&
		find . -type f -exec md5sum {} + | sort -k 2)
}

# same_tree A B: A and B hold the same paths, links and bytes.
same_tree() {
	snapshot "$1" >"$TEST_TMP/snap.a" && snapshot "$2" >"$TEST_TMP/snap.b" &&
	diff -u "$TEST_TMP/snap.a" "$TEST_TMP/snap.b"
}

# vfio_kernel ROOT RELEASE [virqfd]: ROOT/usr/lib/modules/RELEASE with the
# vfio modules in its modules.dep, as initramfs-vfio finds a kernel.
vfio_kernel() {
	vk_dir=$1/usr/lib/modules/$2
	mkdir -p "$vk_dir" && : >"$vk_dir/modules.builtin" && {
		echo "kernel/drivers/vfio/pci/vfio-pci.ko.zst: kernel/drivers/vfio/pci/vfio-pci-core.ko.zst kernel/drivers/vfio/vfio.ko.zst"
		echo "kernel/drivers/vfio/pci/vfio-pci-core.ko.zst: kernel/drivers/vfio/vfio.ko.zst"
		echo "kernel/drivers/vfio/vfio.ko.zst:"
		echo "kernel/drivers/vfio/vfio_iommu_type1.ko.zst: kernel/drivers/vfio/vfio.ko.zst"
		if [ "${3:-}" = virqfd ]; then echo "kernel/drivers/vfio/vfio_virqfd.ko.zst:"; fi
	} >"$vk_dir/modules.dep"
}

# installed ROOT PATH: an installed program at PATH under ROOT (a script
# that does nothing), as the writers look for a generator or boot tool.
installed() {
	mkdir -p "$1${2%/*}" && printf '#!/bin/sh\n' >"$1$2" && chmod 755 "$1$2"
}

# lspci_root ROOT ARGS...: lspci reading the fixture tree ROOT with its own
# pci.ids and no udev hwdb, as the tools do under --root.
lspci_root() {
	lr_root=$1
	shift
	lspci -A linux-sysfs -O "sysfs.path=$lr_root/sys/bus/pci" -O hwdb.disable=1 \
		-i "$lr_root/usr/share/misc/pci.ids" "$@"
}

# classic_script ROOT: the guide's iommu.sh, run against the fixture tree
# ROOT: its /sys paths moved under ROOT and its lspci calls reading ROOT.
classic_script() {
	cs_dir=$TEST_TMP/classic
	mkdir -p "$cs_dir/bin"
	cat >"$cs_dir/bin/lspci" <<EOF
#!/bin/sh
exec $(command -v lspci) -A linux-sysfs -O "sysfs.path=$1/sys/bus/pci" \
	-O hwdb.disable=1 -i "$1/usr/share/misc/pci.ids" "\$@"
EOF
	chmod +x "$cs_dir/bin/lspci"
	sed "s|/sys/|$1/sys/|g" "$SEED_SCRIPT" >"$cs_dir/iommu.sh"
	PATH=$cs_dir/bin:$PATH bash "$cs_dir/iommu.sh"
}

# trace_exec CMD...: run CMD under strace, its execve, fork and clone calls
# in ./trace.  LeakSanitizer cannot run under ptrace, so a sanitized build
# checks leaks everywhere but here.
trace_exec() {
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		strace -f -qq -e trace=execve,fork,vfork,clone,clone3 -o trace "$@"
}

# debian_package PKG: the files of Debian package PKG, for a consumer the
# tests judge with that is not installed: fetched once with apt-get
# download, unpacked with dpkg -x into a cache under build/, which
# `make clean` keeps.  Prints the directory.
debian_package() {
	dp_dir=$TOP/build/debs/$1
	if [ ! -d "$dp_dir/root" ]; then
		rm -rf "$dp_dir" && mkdir -p "$dp_dir" &&
		(cd "$dp_dir" && apt-get download "$1" >/dev/null 2>&1) &&
		dpkg -x "$dp_dir/$1"_*.deb "$dp_dir/unpack" &&
		mv "$dp_dir/unpack" "$dp_dir/root" || {
			echo "could not fetch the Debian package $1" >&2
			return 1
		}
	fi
	echo "$dp_dir/root"
}

# desktop_display ROOT BOOT_ID: the display of a z490-desktop tree in ROOT
# as Linux 6.1 shows it (t2200): the boot id, the dummy console on vtcon0
# and the framebuffer console bound on vtcon1, and the boot GPU's first
# BAR (0000:03:00.0's resource), for the hand-over's tests.
desktop_display() {
	dd_v=$1/sys/devices/virtual/vtconsole
	mkdir -p "$1/proc/sys/kernel/random" && echo "$2" >"$1/proc/sys/kernel/random/boot_id" &&
	mkdir -p "$dd_v/vtcon0" "$dd_v/vtcon1" "$1/sys/class/vtconsole" &&
	echo 0 >"$dd_v/vtcon0/bind" && echo '(S) dummy device' >"$dd_v/vtcon0/name" &&
	echo 1 >"$dd_v/vtcon1/bind" && echo '(M) frame buffer device' >"$dd_v/vtcon1/name" &&
	ln -s ../../devices/virtual/vtconsole/vtcon0 "$1/sys/class/vtconsole/vtcon0" &&
	ln -s ../../devices/virtual/vtconsole/vtcon1 "$1/sys/class/vtconsole/vtcon1" &&
	printf '0x0000004000000000 0x00000043ffffffff 0x000000000014220c\n' \
		>"$1/sys/bus/pci/devices/0000:03:00.0/resource"
}

# libvirt_qemu_argv FILE: the QEMU command line libvirt's QEMU driver makes
# of the domain FILE, without a daemon (virsh -c qemu:///embed
# domxml-to-native qemu-argv, libvirt-daemon-driver-qemu), as virsh prints
# it: shell words on one line.  Non-zero with virsh's message when libvirt
# cannot make it.  As root the driver insists on its libvirt-qemu user
# ("Failed to parse user 'libvirt-qemu'"), which only libvirtd's package
# makes: where the system has none, virsh gets one in a private mount of
# /etc/passwd and /etc/group.  Running it as nobody instead fails on every
# domain with an <interface>: the driver opens a tap device for it, which
# takes root.
libvirt_qemu_argv() {
	lq_dir=$(mktemp -d "${TMPDIR:-/tmp}/vfio-utils-libvirt.XXXXXX") || return 1
	if ! { cp "$1" "$lq_dir/domain.xml" && mkdir "$lq_dir/root"; }; then
		rm -rf "$lq_dir"
		return 1
	fi
	lq_virsh="virsh -q -c 'qemu:///embed?root=$lq_dir/root' domxml-to-native qemu-argv domain.xml"
	if [ "$(id -u)" = 0 ] && ! getent passwd libvirt-qemu >/dev/null; then
		cp /etc/passwd "$lq_dir/passwd" && cp /etc/group "$lq_dir/group" &&
		echo 'libvirt-qemu:x:64055:64055::/nonexistent:/usr/sbin/nologin' >>"$lq_dir/passwd" &&
		echo 'libvirt-qemu:x:64055:' >>"$lq_dir/group" && echo 'kvm:x:64056:' >>"$lq_dir/group" &&
		(cd "$lq_dir" && unshare -m sh -c "mount --bind passwd /etc/passwd &&
			mount --bind group /etc/group && $lq_virsh")
	else
		(cd "$lq_dir" && eval "$lq_virsh")
	fi
	lq_rc=$?
	rm -rf "$lq_dir"
	return $lq_rc
}
