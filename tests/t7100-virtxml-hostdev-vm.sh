#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A VM starts with the whole card, in a real kernel under QEMU: in one
# guest boot vfio-bind takes the two-function card by its slot, then a VM
# started inside the guest (QEMU under TCG, tests/vm/inner-vm.sh) gets
# both functions as vfio-pci devices on one guest slot, and QMP query-pci
# shows them there, functions 0 and 1, with the IDs VFIO reads from the
# card.  The inner VM's command line is vm_inner_qemu_argv's; a second
# inner VM in the same boot has the one libvirt's QEMU driver makes of a
# domain with the two hostdevs (vm_inner_qemu_argv_libvirt), where
# libvirt-daemon-driver-qemu is installed (under CI it must be).
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/vm/lib.sh"

vm_with_qemu
CARD="0000:02:00.0 0000:02:00.1"
# shellcheck disable=SC2086
ARGV=$(vm_inner_qemu_argv $CARD)
echo "$ARGV" >"$TEST_TMP/inner.argv"

# The domain virtxml-hostdev is to write, as the test's copy has it: the
# card's two functions on one slot of a root port, functions 0 and 1.
cat >"$TEST_TMP/domain.xml" <<'EOF'
<domain type='qemu'>
  <name>card</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type></os>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <controller type='pci' index='0' model='pcie-root'/>
    <controller type='pci' index='1' model='pcie-root-port'>
      <model name='pcie-root-port'/>
      <target chassis='1' port='0x10'/>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/>
    </controller>
    <hostdev mode='subsystem' type='pci' managed='yes'>
      <driver name='vfio'/>
      <source><address domain='0x0000' bus='0x02' slot='0x00' function='0x0'/></source>
      <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0' multifunction='on'/>
    </hostdev>
    <hostdev mode='subsystem' type='pci' managed='yes'>
      <driver name='vfio'/>
      <source><address domain='0x0000' bus='0x02' slot='0x00' function='0x1'/></source>
      <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x1'/>
    </hostdev>
    <memballoon model='none'/>
  </devices>
</domain>
EOF
LIBVIRT=
if command -v virsh >/dev/null 2>&1 &&
	LVARGV=$(vm_inner_qemu_argv_libvirt "$TEST_TMP/domain.xml" 2>"$TEST_TMP/libvirt.err"); then
	LIBVIRT=yes
	echo "$LVARGV" >"$TEST_TMP/libvirt.argv"
elif [ "${CI:-}" = true ]; then
	LIBVIRT=fail
fi

start=$(date +%s)
{
	echo "CARD='$CARD'"
	echo "cat >/tmp/inner.argv <<'ARGV'"
	echo "$ARGV"
	echo ARGV
	if [ "$LIBVIRT" = yes ]; then
		echo "cat >/tmp/libvirt.argv <<'ARGV'"
		echo "$LVARGV"
		echo ARGV
	fi
	cat <<'EOS'
coldplug
drivers() {
	for d in "$@"; do
		printf '%s %s\n' $d $(basename "$(readlink /sys/bus/pci/devices/$d/driver)" 2>/dev/null || echo -)
	done
}
for d in $CARD; do
	f=/sys/bus/pci/devices/$d
	printf '%s %s %s %s\n' $d $(cat $f/vendor $f/device $f/class)
done >/out/card.ids
ids=$(awk '{ sub(/^0x/, "", $2); sub(/^0x/, "", $3); printf "%s:%s ", $2, $3 }' /out/card.ids)
basename "$(readlink /sys/bus/pci/devices/0000:02:00.0/iommu_group)" >/out/card.group
ls /sys/kernel/iommu_groups/$(cat /out/card.group)/devices >/out/group.devices
drivers $CARD >/out/card.before
vfio-bind 02:00 >/out/bind.out 2>/out/bind.err; echo $? >/out/bind.rc
drivers $CARD >/out/card.bound
. /usr/share/vfio-utils/inner-vm.sh
inner_vm /tmp/inner.argv /out/inner $ids
if [ -f /tmp/libvirt.argv ]; then
	inner_vm /tmp/libvirt.argv /out/libvirt $ids
fi
EOS
} | vm_boot card intel 'intel_iommu=on iommu=pt'
echo "# guest boot and inner VMs: $(($(date +%s) - start)) s, the inner VMs $(cat "$VM_OUT/card/inner.time" 2>/dev/null || echo -) s and $(cat "$VM_OUT/card/libvirt.time" 2>/dev/null || echo -) s of them" >&2

C=$VM_OUT/card

test_expect_success 'the guest booted and ran its script' "
	vm_ok card && test \"\$(cat $C/rc)\" = 0
"

test_expect_success 'the card is two functions alone in their IOMMU group' "
	vm_ok card &&
	printf '0000:02:00.0\n0000:02:00.1\n' >expect &&
	test_cmp expect $C/group.devices
"

test_expect_success 'vfio-bind takes the card by its slot, both functions' "
	vm_ok card && test \"\$(cat $C/bind.rc)\" = 0 &&
	printf '0000:02:00.0 bochs-drm\n0000:02:00.1 snd_hda_intel\n' >expect &&
	test_cmp expect $C/card.before &&
	printf '0000:02:00.0 vfio-pci\n0000:02:00.1 vfio-pci\n' >expect &&
	test_cmp expect $C/card.bound
"

test_expect_success 'the inner VM is QEMU with both functions as vfio-pci on one slot' "
	grep_q ' -device vfio-pci,host=0000:02:00.0,bus=rp,addr=0x0.0,multifunction=on ' $TEST_TMP/inner.argv &&
	grep_q ' -device vfio-pci,host=0000:02:00.1,bus=rp,addr=0x0.1\$' $TEST_TMP/inner.argv
"

test_expect_success 'QEMU comes up inside the guest and QMP answers' "
	vm_ok card && grep_q '^< {\"QMP\"' $C/inner.qmp &&
	grep_q '^< {\"return\": \\[' $C/inner.qmp
"

# query-pci's answer, judged here: every device with its bus, slot,
# function and IDs, one a line, the buses behind bridges included.
pci_list() {
	python3 -c '
import json, sys
def walk(devs):
	for d in devs:
		print("%d %d %d %04x:%04x %04x" % (d["bus"], d["slot"], d["function"],
			d["id"]["vendor"], d["id"]["device"], d["class_info"]["class"]))
		if "pci_bridge" in d:
			walk(d["pci_bridge"].get("devices", []))
for bus in json.load(sys.stdin)["return"]:
	walk(bus["devices"])
' <"$1"
}

# on_one_slot NAME: query-pci's answer NAME.pci has the card's two
# functions, with the IDs and classes the guest's sysfs gave, at one slot
# behind a bridge, functions 0 and 1.
on_one_slot() {
	pci_list "$C/$1.pci" >pci &&
	awk '{ printf "%s:%s %s\n", substr($2, 3), substr($3, 3), substr($4, 3, 4) }' "$C/card.ids" >want &&
	test "$(wc -l <want)" = 2 &&
	while read -r id class; do
		grep " $id $class\$" pci || { echo "no $id (class $class) in query-pci" >&2; return 1; }
	done <want >found &&
	test "$(wc -l <found)" = 2 &&
	awk '{ print $1, $2 }' found | sort -u >slots &&
	test "$(wc -l <slots)" = 1 && ! grep -q '^0 ' slots &&
	awk '{ print $3 }' found >functions &&
	printf '0\n1\n' >expect && test_cmp expect functions
}

test_expect_success 'query-pci shows both functions at one slot, 0 and 1, with the card IDs' "
	vm_ok card && test \"\$(cat $C/inner.rc)\" = 0 && on_one_slot inner
"

test_expect_success 'QEMU quit when asked, nothing said on its standard error' "
	vm_ok card && grep_q '^> {\"execute\":\"quit\"}' $C/inner.qmp &&
	test ! -s $C/inner.stderr
"

case $LIBVIRT in
yes)
	test_expect_success "libvirt's command line puts the two hostdevs on one slot" "
		grep_q '\"driver\":\"vfio-pci\",\"host\":\"0000:02:00.0\",[^ ]*\"multifunction\":true' $TEST_TMP/libvirt.argv &&
		grep_q '\"driver\":\"vfio-pci\",\"host\":\"0000:02:00.1\",[^ ]*\"addr\":\"0x0.0x1\"' $TEST_TMP/libvirt.argv
	"
	test_expect_success "QEMU with libvirt's command line comes up and shows the card on one slot" "
		vm_ok card && test \"\$(cat $C/libvirt.rc)\" = 0 && on_one_slot libvirt &&
		test ! -s $C/libvirt.stderr
	"
	;;
fail)
	test_expect_success "libvirt's QEMU driver makes the inner VM's command line" "
		cat $TEST_TMP/libvirt.err; false
	"
	;;
*)
	test_skip "QEMU with libvirt's command line" "libvirt cannot make it: $(tail -n 1 "$TEST_TMP/libvirt.err" 2>/dev/null || echo 'no virsh')"
	;;
esac

test_done
