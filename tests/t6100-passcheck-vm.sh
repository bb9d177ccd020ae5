#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# passcheck in a real kernel under QEMU: the card's checks pass once
# vfio-bind has bound it and written its boot configuration; the NIC
# behind the PCI-PCI bridge fails its group check; with intel_iommu=off
# the IOMMU check fails naming kcmdline-edit; without an IOMMU in the
# machine the firmware check fails.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/vm/lib.sh"

vm_boot on intel 'intel_iommu=on iommu=pt' <<'EOS' &
coldplug
passcheck >/out/before 2>&1; echo $? >/out/before.rc
vfio-bind 02:00.0 >/dev/null
vfio-bind --persist 02:00.0 >/dev/null
passcheck 02:00.0 >/out/bound 2>&1; echo $? >/out/bound.rc
passcheck -J 02:00.0 >/out/bound.json 2>&1
passcheck 01:01.0 >/out/bridge 2>&1; echo $? >/out/bridge.rc
EOS

vm_boot off intel 'intel_iommu=off' <<'EOS' &
coldplug
passcheck >/out/checks 2>&1; echo $? >/out/checks.rc
EOS
wait
vm_boot none none '' <<'EOS'
coldplug
passcheck -J >/out/checks.json 2>&1; echo $? >/out/checks.rc
EOS

O=$VM_OUT/on

test_expect_success 'the guest booted and ran its script' "
	vm_ok on && test \"\$(cat $O/rc)\" = 0
"

test_expect_success 'before binding: the card is checked by default and fails vfio-driver' "
	vm_ok on && test \"\$(cat $O/before.rc)\" = 1 &&
	grep_q '^PASS iommu-enabled: ' $O/before &&
	grep_q '^PASS group-isolated: 0000:02:00.0: ' $O/before &&
	grep_q '^FAIL vfio-driver: 0000:02:00.0: .*on bochs-drm.*run vfio-bind 02:00.0\$' $O/before &&
	! grep -q ': 0000:00:02.0: ' $O/before
"

test_expect_success 'bound and persisted: every device check of the card passes' "
	vm_ok on &&
	for c in group-isolated vfio-driver vfio-at-boot boot-vga; do
		grep_q \"^PASS \$c: 0000:02:00.0: \" $O/bound || return 1
	done &&
	grep_q '^PASS vfio-modules: ' $O/bound &&
	grep_q '^PASS vfio-device: ' $O/bound
"

test_expect_success 'the boot GPU has the card VGA ID: shared-ids warns, then passes by address' "
	vm_ok on &&
	grep_q '^WARN shared-ids: 0000:02:00.0: 1234:1111 of 0000:02:00.0 is also 0000:00:02.0, which the host keeps: ' $O/before &&
	grep_q '^PASS shared-ids: 0000:02:00.0: 1234:1111 of 0000:02:00.0 is also 0000:00:02.0, which the host keeps: bound by address at boot, not by ID\$' $O/bound
"

test_expect_success 'TCG has no VT-x: cpu-virt fails, the only failures are the CPU' "
	vm_ok on && test \"\$(cat $O/bound.rc)\" = 1 &&
	grep '^FAIL' $O/bound | cut -d: -f1 >fails &&
	printf 'FAIL cpu-virt\nFAIL kvm-device\n' >expect && test_cmp expect fails
"

test_expect_success '-J parses and says the same' "
	vm_ok on && python3 - $O/bound.json $O/bound <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
text = [l.rstrip('\n') for l in open(sys.argv[2])]
got = []
for c in doc['checks']:
    assert c['status'] in ('PASS', 'WARN', 'FAIL', 'SKIP'), c
    dev = c['device'] + ': ' if c['device'] else ''
    got.append('%s %s: %s%s' % (c['status'], c['check'], dev, c['message']))
assert got == text, (got, text)
PY
"

test_expect_success 'the NIC behind the PCI-PCI bridge fails its group check' "
	vm_ok on && test \"\$(cat $O/bridge.rc)\" = 1 &&
	grep_q '^FAIL group-isolated: 0000:01:01.0: .*01:02.0' $O/bridge
"

test_expect_success 'intel_iommu=off: iommu-enabled fails naming kcmdline-edit' "
	vm_ok off && test \"\$(cat $VM_OUT/off/checks.rc)\" = 1 &&
	grep_q '^PASS iommu-firmware: ' $VM_OUT/off/checks &&
	grep_q '^FAIL iommu-enabled: .*intel_iommu=off.*kcmdline-edit' $VM_OUT/off/checks
"

test_expect_success 'no IOMMU in the machine: iommu-firmware fails' "
	vm_ok none && test \"\$(cat $VM_OUT/none/checks.rc)\" = 1 &&
	python3 - $VM_OUT/none/checks.json <<'PY'
import json, sys
checks = {c['check']: c for c in json.load(open(sys.argv[1]))['checks'] if not c['device']}
assert checks['iommu-firmware']['status'] == 'FAIL', checks['iommu-firmware']
assert 'the hypervisor must give it a virtual IOMMU' in checks['iommu-firmware']['message'], checks['iommu-firmware']
assert 'intel-iommu,intremap=on,caching-mode=on' in checks['iommu-firmware']['message']
assert 'firmware setup' not in checks['iommu-firmware']['message']
assert checks['iommu-enabled']['status'] == 'FAIL', checks['iommu-enabled']
PY
"

test_done
