#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# iommu-groups in a real kernel under QEMU: with an Intel and an AMD
# IOMMU its --tree is the classic script's output in the same guest, and
# the tree captured from the guest reads as the guest itself did; with the
# IOMMU off in the kernel, or absent, it says which and what to do.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/vm/lib.sh"

guest() {
	cat <<'EOS'
coldplug
iommu-groups --tree >/out/tree 2>/out/tree.err; echo $? >/out/tree.rc
iommu-groups >/out/default 2>/out/default.err; echo $? >/out/default.rc
bash /usr/share/vfio-utils/iommu.sh >/out/classic 2>&1
iommu-groups -J >/out/json
iommu-groups -k -v >/out/kv
iommu-groups --gpu -v >/out/gpu
ls /sys/class/iommu >/out/units
. /usr/share/vfio-utils/capture-guest.sh /out/root
EOS
}

guest | vm_boot intel intel 'intel_iommu=on iommu=pt' &
guest | vm_boot amd amd 'iommu=pt' &
wait
guest | vm_boot off intel 'intel_iommu=off' &
guest | vm_boot none none '' &
wait

flatten() {
	awk '/^IOMMU Group/ { g = $3; sub(/:$/, "", g); next }
	     { sub(/^\t/, ""); print "IOMMU Group " g ": " $0 }'
}

for vm in intel amd; do
	O=$VM_OUT/$vm

	test_expect_success "$vm: the guest booted and ran the tools" "
		vm_ok $vm && test \"\$(cat '$O/rc')\" = 0
	"

	test_expect_success "$vm: the kernel made IOMMU groups" "
		vm_ok $vm && test -n \"\$(ls '$O/root/sys/kernel/iommu_groups')\"
	"

	test_expect_success "$vm: --tree is byte for byte the classic script" "
		vm_ok $vm && test -s '$O/classic' && test \"\$(cat '$O/tree.rc')\" = 0 &&
		test_cmp '$O/classic' '$O/tree'
	"

	test_expect_success "$vm: one line per device, as the classic script" "
		vm_ok $vm && flatten <'$O/classic' >expect &&
		test_cmp expect '$O/default'
	"

	test_expect_success "$vm: -J parses and agrees with the kernel's groups" "
		vm_ok $vm && python3 - '$O/json' '$O/root' <<'PY'
import json, os, sys
doc = json.load(open(sys.argv[1]))
root = sys.argv[2]
seen = set()
for g in doc['groups']:
    members = sorted(os.listdir(os.path.join(root, 'sys/kernel/iommu_groups', str(g['group']), 'devices')))
    assert members == [d['address'] for d in g['devices']], (g['group'], members)
    for d in g['devices']:
        drv = os.path.join(root, 'sys/bus/pci/devices', d['address'], 'driver')
        want = os.path.basename(os.readlink(drv)) if os.path.islink(drv) else None
        assert d['driver'] == want, (d['address'], d['driver'], want)
        seen.add(d['address'])
devs = os.path.join(root, 'sys/bus/pci/devices')
grouped = set(d for d in os.listdir(devs) if os.path.islink(os.path.join(devs, d, 'iommu_group')))
assert seen == grouped, (seen, grouped)
PY
	"

	test_expect_success "$vm: the captured tree reads as the guest did" "
		vm_ok $vm &&
		iommu-groups --root '$O/root' -k -v >kv && test_cmp '$O/kv' kv &&
		iommu-groups --root '$O/root' --tree >tree && test_cmp '$O/tree' tree
	"

	test_expect_success "$vm: the NICs behind the PCI bridge share its group" "
		vm_ok $vm &&
		grep_q '01:01.0 Ethernet .* isolated=no shares=01:02.0\$' '$O/kv' &&
		grep_q '01:02.0 Ethernet .* isolated=no shares=01:01.0\$' '$O/kv'
	"

	test_expect_success "$vm: --gpu: the two-function card is isolated, the boot VGA marked" "
		vm_ok $vm &&
		grep_q '^IOMMU Group [0-9]*: 00:02.0 VGA .* boot_vga=1 ' '$O/gpu' &&
		grep_q '^IOMMU Group [0-9]*: 02:00.0 VGA .* boot_vga=0 .*isolated=yes\$' '$O/gpu' &&
		grep_q '^IOMMU Group [0-9]*: 02:00.1 Audio .*isolated=yes\$' '$O/gpu' &&
		! grep -q Ethernet '$O/gpu'
	"
done

test_expect_success 'intel: the IOMMU unit is the Intel one' "
	vm_ok intel && grep_q '^dmar' '$VM_OUT/intel/units'
"

test_expect_success 'amd: the IOMMU unit is the AMD one' "
	vm_ok amd && grep_q '^ivhd' '$VM_OUT/amd/units'
"

test_expect_success 'intel_iommu=off: no groups; the kernel parameter is named' "
	vm_ok off && O='$VM_OUT/off' &&
	test -z \"\$(ls \$O/root/sys/kernel/iommu_groups)\" &&
	test \"\$(cat \$O/tree.rc)\" = 1 && test ! -s \$O/tree &&
	grep_q \"^iommu-groups: no IOMMU groups in '/sys/kernel/iommu_groups'\" \$O/tree.err &&
	grep_q 'booted\$' \$O/tree.err && grep_q '^with intel_iommu=off\.' \$O/tree.err &&
	grep_q '(kcmdline-edit --remove intel_iommu=off --iommu)' \$O/tree.err
"

test_expect_success 'no IOMMU in the guest (CPU flag hypervisor): a virtual IOMMU from the hypervisor is named' "
	vm_ok none && O='$VM_OUT/none' &&
	test ! -e \$O/root/sys/firmware/acpi/tables/DMAR &&
	test \"\$(cat \$O/tree.rc)\" = 1 && test ! -s \$O/tree &&
	grep_q 'this is a virtual machine' \$O/tree.err && grep_q 'intel-iommu,intremap=on,caching-mode=on' \$O/tree.err &&
	! grep -q 'kcmdline-edit' \$O/tree.err && ! grep -q 'firmware setup' \$O/tree.err
"

test_expect_success 'the captured trees without groups read as the guests did' "
	vm_ok off && vm_ok none &&
	for vm in off none; do
		run iommu-groups --root '$VM_OUT/'\$vm/root --tree && expect_rc 1 &&
		# The root in the paths, and in the kcmdline-edit command to run for it.
		sed -e \"s|'$VM_OUT/\$vm/root|'|\" -e \"s|(kcmdline-edit --root $VM_OUT/\$vm/root |(kcmdline-edit |\" \
			err >err.host &&
		test_cmp '$VM_OUT/'\$vm/tree.err err.host || return 1
	done
"

test_done
