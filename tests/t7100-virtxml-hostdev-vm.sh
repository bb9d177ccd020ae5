#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A VM starts with the whole card virtxml-hostdev gave it, in a real kernel
# under QEMU.  In one guest boot: vfio-bind takes the two-function card by
# its slot; virtxml-hostdev writes the card's hostdevs into a minimal q35
# domain (--check: 0 on its result, 1 on the input); a VM started inside
# the guest (QEMU under TCG, tests/vm/inner-vm.sh) with the command line
# libvirt's QEMU driver makes of that domain gets both functions as
# vfio-pci devices on one guest slot, and QMP query-pci shows them there,
# functions 0 and 1, with the IDs VFIO reads from the card.  A first inner
# VM, on the harness's own command line (vm_inner_qemu_argv), shows the
# same without libvirt.
#
# libvirt's QEMU driver is not in the guest: virsh, the driver and the
# libraries they load that the guest lacks are 13 MB more in the archive,
# and in the guest the driver's first call, which runs QEMU to probe it,
# took 17 s (3 s on the host); a second boot to run what the first wrote
# is another boot.  The domain's command line is made on this side, before
# the boot, of what virtxml-hostdev writes on the tree captured from this
# same guest machine (fixtures/qemu-q35: vm_topology under Debian's kernel
# and QEMU); in the guest, the tool's output on the live kernel must be
# that domain byte for byte, so that the command line the inner VM ran is
# the one libvirt makes of the guest's own XML.  The comparison only ties
# the two: what judges the domain is libvirt's driver, QEMU's query-pci
# and the guest's sysfs, whose IDs the record must hold.  Should the
# capture go stale (a QEMU that gives the card other IDs), the comparison
# fails and shows how: capture it again with tests/vm/capture.sh.  Under
# CI, libvirt-daemon-driver-qemu must be installed; elsewhere the tests
# with libvirt's command line are skipped without it.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/vm/lib.sh"

Q=$FIXTURES/qemu-q35
[ -d "$Q/sys" ] || vm_unavailable "fixture qemu-q35 missing"

vm_with_qemu
CARD="0000:02:00.0 0000:02:00.1"
# shellcheck disable=SC2086
ARGV=$(vm_inner_qemu_argv $CARD)
echo "$ARGV" >"$TEST_TMP/inner.argv"

# The domain given the card, as libvirt writes a minimal q35 one.
cat >"$TEST_TMP/domain.xml" <<'EOF'
<domain type='kvm'>
  <name>card</name>
  <uuid>6f1d2c3b-7a4e-4d5f-9b8a-0c1e2d3f4a5b</uuid>
  <memory unit='KiB'>65536</memory>
  <currentMemory unit='KiB'>65536</currentMemory>
  <vcpu placement='static'>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>
    <boot dev='hd'/>
  </os>
  <clock offset='utc'/>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <controller type='pci' index='0' model='pcie-root'/>
    <controller type='usb' index='0' model='none'/>
    <memballoon model='none'/>
  </devices>
</domain>
EOF

# What virtxml-hostdev writes of it on the captured tree, and the test's
# copy for libvirt's QEMU driver without KVM: type='qemu', <driver
# name='vfio'/> in each hostdev.
virtxml-hostdev --root "$Q" 02:00.0 <"$TEST_TMP/domain.xml" >"$TEST_TMP/host.xml" \
	2>"$TEST_TMP/host.err"
echo $? >"$TEST_TMP/host.rc"
sed -e "s/^<domain type='kvm'>/<domain type='qemu'>/" \
    -e "/<hostdev mode='subsystem' type='pci'/a <driver name='vfio'/>" \
	"$TEST_TMP/host.xml" >"$TEST_TMP/tcg.xml"
LIBVIRT=
if [ "$(cat "$TEST_TMP/host.rc")" != 0 ]; then
	LIBVIRT=nodomain
elif command -v virsh >/dev/null 2>&1 &&
	LVARGV=$(vm_inner_qemu_argv_libvirt "$TEST_TMP/tcg.xml" 2>"$TEST_TMP/libvirt.err"); then
	LIBVIRT=yes
	echo "$LVARGV" >"$TEST_TMP/libvirt.argv"
elif [ "${CI:-}" = true ]; then
	LIBVIRT=fail
fi

start=$(date +%s)
{
	echo "CARD='$CARD'"
	echo "cat >/tmp/domain.xml <<'XML'"
	cat "$TEST_TMP/domain.xml"
	echo XML
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
	printf '%s %s %s %s %s %s\n' $d $(cat $f/vendor $f/device $f/class $f/subsystem_vendor $f/subsystem_device)
done >/out/card.ids
ids=$(awk '{ sub(/^0x/, "", $2); sub(/^0x/, "", $3); printf "%s:%s ", $2, $3 }' /out/card.ids)
basename "$(readlink /sys/bus/pci/devices/0000:02:00.0/iommu_group)" >/out/card.group
ls /sys/kernel/iommu_groups/$(cat /out/card.group)/devices >/out/group.devices
drivers $CARD >/out/card.before
vfio-bind 02:00 >/out/bind.out 2>/out/bind.err; echo $? >/out/bind.rc
drivers $CARD >/out/card.bound
virtxml-hostdev 02:00.0 </tmp/domain.xml >/out/hostdev.xml 2>/out/hostdev.err
echo $? >/out/hostdev.rc
virtxml-hostdev --check 02:00.0 </out/hostdev.xml >/out/check.out 2>&1
echo $? >/out/check.rc
virtxml-hostdev --check 02:00.0 </tmp/domain.xml >/out/check-input.out 2>&1
echo $? >/out/check-input.rc
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

# card_record: the record virtxml-hostdev is to write of the card, made of
# what the guest's sysfs gave: ADDR/VID:DID/SVID:SDID/CLASS each.
card_record() {
	awk '{ printf "%s%s/%s:%s/%s:%s/%s", (NR > 1 ? " " : ""), $1, substr($2, 3),
		substr($3, 3), substr($5, 3), substr($6, 3), substr($4, 3) }' "$C/card.ids"
}

test_expect_success 'virtxml-hostdev in the guest adds the card, with the IDs its kernel gives' "
	vm_ok card && test \"\$(cat $C/hostdev.rc)\" = 0 && test ! -s $C/hostdev.err &&
	test \"\$(grep -c '^ *<hostdev mode=.subsystem. type=.pci. managed=.yes.>\$' $C/hostdev.xml)\" = 2 &&
	grep_q \"^ *<vfio:hostdev added=.\$(card_record). ports=.1./>\$\" $C/hostdev.xml
"

test_expect_success "the guest's domain is, byte for byte, the one made on the captured tree" "
	vm_ok card && test \"\$(cat $TEST_TMP/host.rc)\" = 0 && test ! -s $TEST_TMP/host.err &&
	test_cmp $TEST_TMP/host.xml $C/hostdev.xml
"

test_expect_success '--check in the guest: 0 on the domain it wrote, 1 on the input' "
	vm_ok card && test \"\$(cat $C/check.rc)\" = 0 && test ! -s $C/check.out &&
	test \"\$(cat $C/check-input.rc)\" = 1
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
	test_expect_success "libvirt's command line puts the tool's two hostdevs on one slot" "
		grep_q '\"driver\":\"vfio-pci\",\"host\":\"0000:02:00.0\",[^ ]*\"multifunction\":true' $TEST_TMP/libvirt.argv &&
		tr ' ' '\\n' <$TEST_TMP/libvirt.argv |
		sed -n 's/.*\"driver\":\"vfio-pci\",\"host\":\"\\([^\"]*\\)\".*\"bus\":\"\\([^\"]*\\)\".*\"addr\":\"\\([^\"]*\\)\".*/\\1 \\2 \\3/p' >got &&
		bus=\$(sed -n 's/^0000:02:00.0 \\([^ ]*\\) 0x0\$/\\1/p' got) && test -n \"\$bus\" &&
		printf '0000:02:00.0 %s 0x0\\n0000:02:00.1 %s 0x0.0x1\\n' \$bus \$bus >expect &&
		test_cmp expect got &&
		grep_q \"\\\"driver\\\":\\\"pcie-root-port\\\",[^ ]*\\\"id\\\":\\\"\$bus\\\"\" $TEST_TMP/libvirt.argv
	"
	test_expect_success "QEMU with the command line of the guest's domain shows the card on one slot" "
		vm_ok card && cmp $TEST_TMP/host.xml $C/hostdev.xml &&
		test \"\$(cat $C/libvirt.rc)\" = 0 && on_one_slot libvirt &&
		test ! -s $C/libvirt.stderr
	"
	;;
fail)
	test_expect_success "libvirt's QEMU driver makes the inner VM's command line" "
		cat $TEST_TMP/libvirt.err; false
	"
	;;
nodomain)
	test_expect_success "virtxml-hostdev on the captured tree makes the inner VM's domain" "
		cat $TEST_TMP/host.err; false
	"
	;;
*)
	test_skip "QEMU with libvirt's command line" "libvirt cannot make it: $(tail -n 1 "$TEST_TMP/libvirt.err" 2>/dev/null || echo 'no virsh')"
	;;
esac

test_done
