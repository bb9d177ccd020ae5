#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# iommu-groups --why and --slots in a real kernel under QEMU, on a machine
# with each of the kernel's reasons to put devices in one group
# (vm_acs_topology): for every group of every guest the members the
# explanation predicts from the hardware are the group the kernel made,
# each reason is named at the port or function where isolation stops, each
# slot's answer is the group the kernel made for the card in it, and the
# trees captured from the guests give the same output without a kernel.
# Two guests, booted at once: an Intel IOMMU, and an AMD one whose command
# line has pcie_acs_override=, which Debian's kernel does not know.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/vm/lib.sh"

# shellcheck disable=SC2034 # vm_boot's
VM_TOPOLOGY=vm_acs_topology

guest() {
	cat <<'EOS'
coldplug
iommu-groups --why -J >/out/why.json 2>/out/why.json.err; echo $? >/out/why.json.rc
iommu-groups --why >/out/why 2>/out/why.err; echo $? >/out/why.rc
iommu-groups --slots -J >/out/slots.json 2>/out/slots.json.err; echo $? >/out/slots.json.rc
iommu-groups --slots >/out/slots 2>/out/slots.err; echo $? >/out/slots.rc
# as a user: the kernel gives it the first 64 bytes of config space only
# (the initramfs's root folder is root's alone until opened)
chmod 755 /
echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >>/etc/passwd
su -s /bin/sh nobody -c "$(command -v iommu-groups) --why -J" >/out/user.json 2>/out/user.err
dmesg | grep -e 'Unknown kernel command line' -e 'ACS' >/out/dmesg
# what the kernel made, in a fork each (forks are slow under emulation):
# the devices' places, the groups, the bridges' buses, the slots
ls -l /sys/bus/pci/devices >/out/devices
ls /sys/kernel/iommu_groups/*/devices >/out/groups
grep -H . /sys/bus/pci/devices/*/secondary_bus_number >/out/secondary
grep -H . /sys/bus/pci/slots/*/address >/out/slots.address
EOS
}

vm_start=$(date +%s)
guest | vm_boot intel intel "intel_iommu=on iommu=pt $VM_ACS_APPEND" &
guest | vm_boot amd amd "iommu=pt $VM_ACS_APPEND pcie_acs_override=downstream,multifunction" &
wait
echo "# the two guests took $(($(date +%s) - vm_start)) s"

# What the machine's topology makes the kernel do, port by port (see
# vm_acs_topology): the members of a group, a rule the explanation must
# give for it and where, and what ACS lacks there.
cat >"$TEST_TMP/expect.py" <<'PY'
GROUPS = [
    (['00:00.0'], 'isolated', None, None),
    (['00:02.0', '01:01.0', '01:02.0'], 'pcie-to-pci', '00:02.0', None),
    (['00:03.0', '02:00.0'], 'no-acs', '00:03.0', None),
    (['00:04.0', '03:00.0'], 'acs-off', '00:04.0', {'RR', 'CR'}),
    (['00:1c.0'], 'isolated', None, None),
    (['00:1c.1'], 'isolated', None, None),
    (['00:1c.2'], 'isolated', None, None),
    (['00:1c.3'], 'isolated', None, None),
    (['04:00.0', '04:00.1'], 'multifunction', '04:00.0', None),
    (['05:00.0'], 'isolated', None, None),
    (['06:00.0', '07:01.0', '07:02.0'], 'pcie-to-pci', '06:00.0', None),
    (['08:00.0'], 'isolated', None, None),
    (['09:00.0', '0a:00.0'], 'no-acs', '09:00.0', None),
    (['09:01.0'], 'isolated', None, None),
    (['0b:00.0'], 'isolated', None, None),
    # the switch's port above 0f:00.0 has ACS: the root port above it not
    (['00:1d.0', '00:1d.1', '0c:00.0', '0d:00.0', '0e:00.0', '0f:00.0'], 'no-acs', '00:1d.1', None),
    (['00:1d.0', '00:1d.1', '0c:00.0', '0d:00.0', '0e:00.0', '0f:00.0'], 'no-acs', '00:1d.0', None),
    (['00:1d.0', '00:1d.1', '0c:00.0', '0d:00.0', '0e:00.0', '0f:00.0'], 'multifunction', ('00:1d.0', '00:1d.1'), None),
    (['00:1f.0', '00:1f.2', '00:1f.3'], 'multifunction', '00:1f.0', None),
]
# slot: address, whether a card there gets a group of its own (bridges
# beside it do not count: the ports' driver leaves a group to vfio-pci),
# the rule and where
SLOTS = {
    '1': ('02:00', True, 'no-acs', '00:03.0'),
    '2': ('03:00', True, 'acs-off', '00:04.0'),
    '3': ('04:00', True, 'isolated', None),
    '4': ('05:00', True, 'isolated', None),
    '5': ('06:00', True, 'isolated', None),
    '6': ('08:00', True, 'isolated', None),
    '7': ('0c:00', False, 'no-acs', '00:1d.0'),
    '8': ('0d:00', False, 'no-acs', '00:1d.1'),
    '11': ('0a:00', True, 'no-acs', '09:00.0'),
    '12': ('0b:00', True, 'isolated', None),
    '21': ('0f:00', False, 'no-acs', '00:1d.1'),
}
PY

# check.py WHAT DIR JSON: judge the guest's output by what its kernel
# made (DIR: the files the guest wrote of it) and by the topology.
cat >"$TEST_TMP/check.py" <<'PY'
import json, os, re, sys
sys.path.insert(0, os.path.dirname(sys.argv[0]))
from expect import GROUPS, SLOTS

what, out, doc = sys.argv[1], sys.argv[2], json.load(open(sys.argv[3]))
def lines(name):
    return open(os.path.join(out, name)).read().splitlines()
# ls -l: "... 0000:00:1c.2 -> ../../../devices/pci0000:00/0000:00:1c.2"
path = {}
for l in lines('devices'):
    if ' -> ' in l:
        name, target = l.split(' -> ')
        path[name.split()[-1]] = target.split('/')
devices = sorted(path)
# ls of each group's devices folder: "/sys/kernel/iommu_groups/N/devices:"
# then its members
kgroups, n = {}, None
for l in lines('groups'):
    m = re.match(r'^/sys/kernel/iommu_groups/(\d+)/devices:$', l)
    if m:
        n = int(m.group(1))
        kgroups[n] = []
    elif l.strip():
        kgroups[n] += l.split()
kgroups = {n: sorted(m) for n, m in kgroups.items()}
grouped = set(d for m in kgroups.values() for d in m)
# grep -H: "/sys/bus/pci/devices/0000:00:1c.2/secondary_bus_number:6"
sec = {}
for l in lines('secondary'):
    f, v = l.rsplit(':', 1)
    sec[int(v)] = f.split('/')[5]
slotaddr = {}
for l in lines('slots.address'):
    f, v = l.split(':', 1)
    slotaddr[f.split('/')[5]] = v
assert len(kgroups) > 1 and len(devices) > len(kgroups) and sec and slotaddr, (kgroups, devices)

def full(a):
    return a if a.count(':') == 2 else '0000:' + a

if what == 'groups':
    seen = set()
    assert sorted(g['group'] for g in doc['groups']) == sorted(kgroups), \
        ('groups', sorted(g['group'] for g in doc['groups']), sorted(kgroups))
    for g in doc['groups']:
        n = g['group']
        assert sorted(g['devices']) == kgroups[n], ('kernel', n, g['devices'], kgroups[n])
        assert sorted(g['predicted']) == kgroups[n], ('predicted', n, g['predicted'], kgroups[n])
        assert not seen & set(g['devices']), ('twice', n)
        seen |= set(g['devices'])
        assert g['reasons'], ('no reason', n)
        rules = [r['rule'] for r in g['reasons']]
        if len(kgroups[n]) == 1:
            assert g['isolated'] is True and set(rules) <= {'isolated', 'quirk'}, ('alone', n, g)
        for r in g['reasons']:
            assert r['text'] and '\n' not in r['text'], ('text', n, r)
            if r['rule'] != 'isolated':
                assert r['at'] in devices, ('at', n, r)
        if len(kgroups[n]) > 1:
            assert 'isolated' not in rules, ('shared, said isolated', n, g)
    assert seen == grouped, ('ungrouped', seen ^ grouped)
    assert 'acs-override' not in [r['rule'] for g in doc['groups'] for r in g['reasons']], \
        'a group said to exist because of pcie_acs_override=, which this kernel does not know'
    print('acs_override', json.dumps(doc['acs_override']))

elif what == 'rules':
    by = {tuple(sorted(g['devices'])): g for g in doc['groups']}
    for members, rule, at, lacks in GROUPS:
        g = by.get(tuple(full(m) for m in members))
        assert g, ('no such group', members)
        ats = (at,) if isinstance(at, str) else at or ()
        match = [r for r in g['reasons'] if r['rule'] == rule and
                 (not ats or r['at'] in [full(a) for a in ats])]
        assert match, ('not named', members, rule, at, g['reasons'])
        if lacks:
            assert set(match[0]['lacks'].split()) == lacks, ('lacks', members, match[0])

elif what == 'slots':
    group_of = {d: n for n, m in kgroups.items() for d in m}
    names = set(slotaddr)
    assert sorted(s['slot'] for s in doc['slots']) == sorted(names), ('slots', names)
    for s in doc['slots']:
        name, addr = s['slot'], s['address']
        assert addr == slotaddr[name], ('address', s, slotaddr[name])
        # the port: the bridge whose secondary bus the slot is on
        assert s['port'] == sec[int(addr.split(':')[1], 16)], ('port', s)
        here = sorted(d for d in devices if d.startswith(addr + '.'))
        assert sorted(s['devices']) == here, ('devices', s, here)
        # a card there now: its group, bridges aside, is what the slot's
        # answer says (bridges: the functions with a secondary bus)
        if here:
            own = all(all(m.startswith(addr + '.') or any(h in path[m] for h in here) or
                          m in sec.values() for m in kgroups[group_of[d]])
                      for d in here if d in group_of)
            assert s['own_group'] == own, ('own group, by the kernel', s, own)
        if name in SLOTS:
            want_addr, want_own, rule, at = SLOTS[name]
            assert addr == full(want_addr) and s['own_group'] == want_own, ('topology', s)
            assert s['reason']['rule'] == rule and (not at or s['reason']['at'] == full(at)), ('reason', s)
        elif addr.startswith('0000:07:'):
            # the slots of the PCIe-to-PCI bridge's hotplug controller
            assert s['own_group'] is False and s['reason']['rule'] == 'pcie-to-pci' and \
                s['reason']['at'] == '0000:06:00.0', ('behind the PCIe-to-PCI bridge', s)
        else:
            raise AssertionError(('a slot the topology does not have', s))
    assert set(SLOTS) <= names, ('slots missing', set(SLOTS) - names)
PY

for vm in intel amd; do
	O=$VM_OUT/$vm

	# Quietly, but for the word on pcie_acs_override= in the AMD guest.
	test_expect_success "$vm: the guest booted and ran --why and --slots" "
		vm_ok $vm && test \"\$(cat '$O/rc')\" = 0 &&
		for f in why.json why slots.json slots; do
			test \"\$(cat '$O/'\$f.rc)\" = 0 && test -s '$O/'\$f &&
			! grep -v 'pcie_acs_override=' '$O/'\$f.err || return 1
		done &&
		if [ $vm = amd ]; then grep_q 'pcie_acs_override=' '$O/why.err'; else test ! -s '$O/why.err'; fi
	"

	test_expect_success "$vm: every group: the members predicted from the hardware are the kernel's" "
		vm_ok $vm && python3 '$TEST_TMP/check.py' groups '$O' '$O/why.json' >out &&
		grep_q '^acs_override false\$' out
	"

	test_expect_success "$vm: each of the topology's rules named where isolation stops" "
		vm_ok $vm && python3 '$TEST_TMP/check.py' rules '$O' '$O/why.json'
	"

	test_expect_success "$vm: --why prints each reason's line" "
		vm_ok $vm && python3 -c '
import json, sys
for g in json.load(open(sys.argv[1]))[\"groups\"]:
    for r in g[\"reasons\"]:
        print(r[\"text\"])' '$O/why.json' | sort -u >texts &&
		test -s texts &&
		while read -r line; do grep -qF -- \"\$line\" '$O/why' || { echo \"missing: \$line\"; return 1; }; done <texts
	"

	test_expect_success "$vm: --slots: each slot's port, devices and own group as the kernel made them" "
		vm_ok $vm && python3 '$TEST_TMP/check.py' slots '$O' '$O/slots.json'
	"

	test_expect_success "$vm: as a user, ACS not read is said, never guessed" "
		vm_ok $vm && { test -s '$O/user.json' || { cat '$O/user.err'; false; }; } &&
		python3 - '$O/user.json' <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
rules = [r['rule'] for g in doc['groups'] for r in g['reasons']]
assert 'unreadable' in rules, rules
assert 'no-acs' not in rules and 'acs-off' not in rules, rules
for g in doc['groups']:
    if sorted(g['predicted']) != sorted(g['devices']):
        assert 'unreadable' in [r['rule'] for r in g['reasons']], g
PY
	"

	# The tree captured from such a guest (tests/fixtures/acs-$vm.captured
	# says how), read on this side without a kernel.
	test_expect_success "$vm: the captured tree acs-$vm gives the guest's output" "
		vm_ok $vm && R='$FIXTURES/acs-$vm' &&
		iommu-groups --root \$R --why -J >why.json && test_cmp '$O/why.json' why.json &&
		iommu-groups --root \$R --why >why && test_cmp '$O/why' why &&
		iommu-groups --root \$R --slots -J >slots.json && test_cmp '$O/slots.json' slots.json &&
		iommu-groups --root \$R --slots >slots && test_cmp '$O/slots' slots
	"
done

test_expect_success 'intel: the kernel turned the redirects of 00:04.0 off, as told' "
	vm_ok intel && grep_q '0000:00:04.0: disabled ACS redirect' '$VM_OUT/intel/dmesg'
"

test_expect_success 'amd: Debian kernel does not know pcie_acs_override=: it went to init' "
	vm_ok amd && grep_q 'Unknown kernel command line parameters .*pcie_acs_override=downstream,multifunction' '$VM_OUT/amd/dmesg'
"

test_done
