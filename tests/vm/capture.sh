#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# capture.sh [-i intel|amd|none] [-a APPEND] [-t TOPOLOGY] [-c CMD] DIR:
# boot the test guest (its devices those of the function TOPOLOGY in
# tests/vm/lib.sh, vm_topology unless told), run CMD in it after its drivers have loaded (say, 'vfio-bind
# 02:00.0'), and copy what the tools read of it into the new fixture
# sysroot DIR, with this machine's pci.ids (the guest's) cut down to its
# devices.  Fixtures made so
# come from a real kernel rather than from a description of one.
#
#	tests/vm/capture.sh -c 'vfio-bind 02:00.0' tests/fixtures/qemu-q35
#	tests/vm/capture.sh -t vm_acs_topology tests/fixtures/acs-intel
set -eu

iommu=intel append='intel_iommu=on iommu=pt' cmd=: topology=vm_topology
while getopts i:a:t:c: o; do
	case $o in
	i) iommu=$OPTARG ;;
	a) append=$OPTARG ;;
	t) topology=$OPTARG ;;
	c) cmd=$OPTARG ;;
	*) echo "usage: capture.sh [-i intel|amd|none] [-a APPEND] [-t TOPOLOGY] [-c CMD] DIR" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || { echo "usage: capture.sh [-i intel|amd|none] [-a APPEND] [-t TOPOLOGY] [-c CMD] DIR" >&2; exit 2; }
dest=$1
[ ! -e "$dest" ] || { echo "capture.sh: '$dest' exists" >&2; exit 1; }

TOP=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$TOP/build}
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/vfio-utils-capture.XXXXXX")
trap 'rm -rf "$TEST_TMP"' EXIT
skip_all() { echo "capture.sh: $1" >&2; exit 1; }
. "$TOP/tests/vm/lib.sh"
case $topology in
vm_*topology) command -v "$topology" >/dev/null ||
	{ echo "capture.sh: no topology '$topology' in tests/vm/lib.sh" >&2; exit 2; } ;;
*) echo "capture.sh: no topology '$topology' in tests/vm/lib.sh" >&2; exit 2 ;;
esac
# shellcheck disable=SC2034 # vm_boot's
VM_TOPOLOGY=$topology

{
	echo coldplug
	echo "$cmd"
	echo '. /usr/share/vfio-utils/capture-guest.sh /out/root'
} | vm_boot capture "$iommu" "$append" || { vm_ok capture >&2; exit 1; }
if [ "$(cat "$VM_OUT/capture/rc")" != 0 ]; then
	echo "capture.sh: the guest's script failed:" >&2
	cat "$VM_OUT/capture/log" >&2
	exit 1
fi

mv "$VM_OUT/capture/root" "$dest"
mkdir -p "$dest/usr/share/misc"
# pci.ids cut down, as mksysroot cuts it: the header, the vendors,
# devices and subsystems of this machine, and every class.
for d in "$dest"/sys/bus/pci/devices/*; do
	d=$dest/sys/bus/pci/devices/$(readlink "$d")
	echo "$(cat "$d/vendor") $(cat "$d/device") $(cat "$d/subsystem_vendor" 2>/dev/null || echo 0xffff) $(cat "$d/subsystem_device" 2>/dev/null || echo 0xffff)"
done | sed 's/0x//g' >"$TEST_TMP/ids"
awk -v ids="$TEST_TMP/ids" '
BEGIN {
	while ((getline l < ids) > 0) {
		split(l, f, " ")
		ven[f[1]] = ven[f[3]] = 1
		dev[f[1] " " f[2]] = 1
		sub_[f[1] " " f[2] " " f[3] " " f[4]] = 1
	}
	header = 1
}
/^#/ { if (header) print; next }
/^$/ { next }
{ header = 0 }
/^C / { classes = 1 }
classes { print; next }
/^[^\t]/ { v = $1; kv = (v in ven); kd = 0; if (kv) print; next }
/^\t[^\t]/ { d = $1; kd = kv && ((v " " $1) in dev); if (kd) print; next }
/^\t\t/ { if (kd && ((v " " d " " $1 " " $2) in sub_)) print }
' /usr/share/misc/pci.ids >"$dest/usr/share/misc/pci.ids"
echo "capture.sh: $dest: $(ls "$dest/sys/bus/pci/devices" | wc -l) devices, $(ls "$dest/sys/kernel/iommu_groups" | wc -l) IOMMU groups"
