#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# vfio-bind in a real kernel under QEMU: the two-function card goes to
# vfio-pci and the kernel lets a VM have its group; the group behind the
# PCI-PCI bridge and the boot VGA are refused; --unbind gives a NIC back
# to its driver; 50 bind and unbind cycles; and --persist's boot
# configuration, read by kmod's modprobe while the drivers load, puts the
# card on vfio-pci before its drivers can take it, by address where the
# boot VGA has the same ID.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/vm/lib.sh"

vm_boot now intel 'intel_iommu=on iommu=pt' <<'EOS' &
coldplug
drivers() {
	for d in "$@"; do
		printf '%s %s\n' $d $(basename "$(readlink /sys/bus/pci/devices/$d/driver)" 2>/dev/null || echo -)
	done
}
CARD="0000:02:00.0 0000:02:00.1"
drivers $CARD >/out/card.before
vfio-bind 02:00.0 >/out/bind.out 2>/out/bind.err; echo $? >/out/bind.rc
drivers $CARD >/out/card.bound
basename "$(readlink /sys/bus/pci/devices/0000:02:00.0/iommu_group)" >/out/card.group
ls /dev/vfio >/out/dev-vfio
vfio-group "$(cat /out/card.group)" >/out/viable 2>&1; echo $? >/out/viable.rc
vfio-bind 02:00.0 >/out/again.out 2>&1; echo $? >/out/again.rc
vfio-bind --list >/out/list 2>&1
vfio-bind --check 02:00.0; echo $? >/out/check.rc

NICS="0000:01:01.0 0000:01:02.0"
vfio-bind 01:01.0 >/out/bridge.out 2>/out/bridge.err; echo $? >/out/bridge.rc
drivers $NICS >/out/bridge.drivers
vfio-bind 00:02.0 >/out/bootvga.out 2>/out/bootvga.err; echo $? >/out/bootvga.rc
drivers 0000:00:02.0 >/out/bootvga.drivers

vfio-bind 05:00.0 >/out/nic.bind 2>&1; echo $? >/out/nic.bind.rc
drivers 0000:05:00.0 >/out/nic.bound
vfio-bind --unbind 05:00.0 >/out/nic.unbind 2>&1; echo $? >/out/nic.unbind.rc
drivers 0000:05:00.0 >/out/nic.back

fails=0 i=0
while [ $i -lt 50 ]; do
	vfio-bind --unbind 02:00.0 >/dev/null 2>>/out/cycles.err || fails=$((fails + 1))
	[ "$(drivers $CARD)" = "$(cat /out/card.before)" ] || fails=$((fails + 1))
	vfio-bind 02:00.0 >/dev/null 2>>/out/cycles.err || fails=$((fails + 1))
	[ "$(drivers $CARD)" = "$(cat /out/card.bound)" ] || fails=$((fails + 1))
	i=$((i + 1))
done
echo "$i $fails" >/out/cycles
vfio-group "$(cat /out/card.group)" >/out/viable.after 2>&1
vfio-bind --unbind 02:00.0 >/out/unbind.out 2>&1; echo $? >/out/unbind.rc
drivers $CARD >/out/card.after
EOS

vm_boot boot intel 'intel_iommu=on iommu=pt' <<'EOS' &
drivers() {
	for d in /sys/bus/pci/devices/*; do
		printf '%s %s\n' ${d##*/} $(basename "$(readlink $d/driver)" 2>/dev/null || echo -)
	done
}
vfio-bind --persist 02:00.0 >/out/persist.out 2>&1; echo $? >/out/persist.rc
vfio-bind --persist 02:00.0 >/out/persist2.out 2>&1; echo $? >/out/persist2.rc
vfio-bind --persist --check 02:00.0; echo $? >/out/persist.check
cp /etc/modprobe.d/vfio.conf /out/vfio.conf
modprobe --showconfig >/out/showconfig 2>&1
# what a booting system does: udev loads each device's driver
coldplug
drivers >/out/drivers
vfio-bind --unbind --persist 02:00.0 >/out/unpersist.out 2>&1; echo $? >/out/unpersist.rc
ls -A /etc/modprobe.d >/out/modprobe.d.after
EOS
wait

N=$VM_OUT/now B=$VM_OUT/boot

test_expect_success 'the guest booted and ran its script' "
	vm_ok now && test \"\$(cat $N/rc)\" = 0
"

test_expect_success 'both functions of the card move to vfio-pci' "
	vm_ok now &&
	printf '0000:02:00.0 bochs-drm\n0000:02:00.1 snd_hda_intel\n' >expect &&
	test_cmp expect $N/card.before &&
	test \"\$(cat $N/bind.rc)\" = 0 &&
	printf '0000:02:00.0 vfio-pci\n0000:02:00.1 vfio-pci\n' >expect &&
	test_cmp expect $N/card.bound
"

test_expect_success 'it says what moved from where' "
	vm_ok now &&
	grep_q '^0000:02:00.0: bochs-drm -> vfio-pci\$' $N/bind.out &&
	grep_q '^0000:02:00.1: snd_hda_intel -> vfio-pci\$' $N/bind.out &&
	grep_q 'vfio-bind --persist 02:00.0' $N/bind.out
"

test_expect_success '/dev/vfio/GROUP appears and the kernel gives the group to a VM' "
	vm_ok now && grep_q \"^\$(cat $N/card.group)\\\$\" $N/dev-vfio &&
	test \"\$(cat $N/viable.rc)\" = 0 && grep_q '^viable\$' $N/viable
"

test_expect_success 'binding again changes nothing, exit 0; --check agrees' "
	vm_ok now && test \"\$(cat $N/again.rc)\" = 0 &&
	grep_q 'already on vfio-pci' $N/again.out &&
	test \"\$(cat $N/check.rc)\" = 0
"

test_expect_success '--list shows the two functions' "
	vm_ok now && grep_q '02:00.0' $N/list && grep_q '02:00.1' $N/list &&
	test \$(grep -c . $N/list) -eq 2
"

test_expect_success 'the group behind the PCI-PCI bridge is refused, NICs untouched' "
	vm_ok now && test \"\$(cat $N/bridge.rc)\" = 3 && test ! -s $N/bridge.out &&
	grep_q '^vfio-bind: IOMMU group [0-9]* of 0000:01:01.0 also holds 01:02.0 Ethernet controller' $N/bridge.err &&
	printf '0000:01:01.0 e1000\n0000:01:02.0 e1000\n' >expect &&
	test_cmp expect $N/bridge.drivers
"

test_expect_success 'the boot VGA device is refused and keeps its driver' "
	vm_ok now && test \"\$(cat $N/bootvga.rc)\" = 3 &&
	grep_q '^vfio-bind: 0000:00:02.0 is the boot VGA device' $N/bootvga.err &&
	grep_q 'bochs-drm' $N/bootvga.drivers
"

test_expect_success '--unbind gives the NIC behind the switch back to e1000e' "
	vm_ok now && test \"\$(cat $N/nic.bind.rc)\" = 0 &&
	grep_q ' vfio-pci\$' $N/nic.bound &&
	test \"\$(cat $N/nic.unbind.rc)\" = 0 &&
	grep_q '^0000:05:00.0: vfio-pci -> e1000e\$' $N/nic.unbind &&
	grep_q '^0000:05:00.0 e1000e\$' $N/nic.back
"

test_expect_success '50 unbind and bind cycles without a failure' "
	vm_ok now && test \"\$(cat $N/cycles)\" = '50 0' &&
	test ! -s $N/cycles.err && grep_q '^viable\$' $N/viable.after
"

test_expect_success '--unbind gives the card back to its drivers' "
	vm_ok now && test \"\$(cat $N/unbind.rc)\" = 0 &&
	test_cmp $N/card.before $N/card.after
"

test_expect_success '--persist: the boot VGA shares the card VGA ID, so it is bound by address' "
	vm_ok boot && test \"\$(cat $B/persist.rc)\" = 0 &&
	grep_q '1234:1111 is also the ID of 0000:00:02.0' $B/persist.out &&
	grep_q '^options vfio-pci ids=8086:293e\$' $B/vfio.conf &&
	grep_q '^softdep bochs pre: vfio-pci\$' $B/vfio.conf &&
	grep_q '^softdep snd_hda_intel pre: vfio-pci\$' $B/vfio.conf
"

test_expect_success '--persist: kmod reads it as written' "
	vm_ok boot &&
	grep_q '^options vfio_pci ids=8086:293e\$' $B/showconfig &&
	grep_q '^softdep bochs pre: vfio-pci$' $B/showconfig &&
	grep_q '^install vfio_pci ' $B/showconfig
"

test_expect_success '--persist: a second run changes nothing, --check says it is there' "
	vm_ok boot && test \"\$(cat $B/persist2.rc)\" = 0 &&
	test \"\$(cat $B/persist.check)\" = 0
"

test_expect_success '--persist: as the drivers load, vfio-pci takes the card, the boot VGA keeps bochs' "
	vm_ok boot &&
	grep_q '^0000:02:00.0 vfio-pci\$' $B/drivers &&
	grep_q '^0000:02:00.1 vfio-pci\$' $B/drivers &&
	grep_q '^0000:00:02.0 bochs-drm\$' $B/drivers &&
	grep_q '^0000:05:00.0 e1000e\$' $B/drivers
"

test_expect_success '--unbind --persist takes the boot configuration away' "
	vm_ok boot && test \"\$(cat $B/unpersist.rc)\" = 0 &&
	! grep -q vfio.conf $B/modprobe.d.after
"

test_done
