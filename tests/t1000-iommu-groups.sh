#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# iommu-groups on fixture sysroots, judged by lspci and the guide's script
# run on the same tree.
. "$(dirname "$0")/lib.sh"

# Fixtures whose kernel made IOMMU groups.
grouped=
for f in "$FIXTURES"/*/; do
	f=${f%/}
	[ -d "$f/sys/bus/pci/devices" ] || continue
	[ -n "$(ls "$f/sys/kernel/iommu_groups" 2>/dev/null)" ] || continue
	grouped="$grouped ${f##*/}"
done
test_expect_success "there are fixture sysroots with IOMMU groups" "test -n '$grouped'"

# The classic script's layout turned into one line per device.
flatten() {
	awk '/^IOMMU Group/ { g = $3; sub(/:$/, "", g); next }
	     { sub(/^\t/, ""); print "IOMMU Group " g ": " $0 }'
}

for name in $grouped; do
	R=$FIXTURES/$name

	test_expect_success "$name: --tree is byte for byte the classic script" "
		classic_script '$R' >expect &&
		test -s expect &&
		iommu-groups --root '$R' --tree >out &&
		test_cmp expect out
	"

	test_expect_success "$name: one line per device, the group and lspci -nns" "
		classic_script '$R' | flatten >expect &&
		iommu-groups --root '$R' >out &&
		test_cmp expect out
	"

	test_expect_success "$name: -D shows domains as lspci -D" "
		for g in \$(ls '$R/sys/kernel/iommu_groups' | sort -n); do
			for d in \$(ls '$R/sys/kernel/iommu_groups/'\$g/devices); do
				echo \"IOMMU Group \$g: \$(lspci_root '$R' -D -nns \$d)\"
			done
		done >expect &&
		iommu-groups --root '$R' -D >out &&
		test_cmp expect out
	"

	test_expect_success "$name: -k shows the driver lspci -k shows" "
		iommu-groups --root '$R' -k >out &&
		while read -r line; do
			slot=\${line#IOMMU Group *: }; slot=\${slot%% *}
			drv=\$(lspci_root '$R' -k -s \$slot | sed -n 's/^.*Kernel driver in use: //p')
			case \$line in
			*\" driver=\${drv:--}\"|*\" driver=\${drv:--} override=\"*) ;;
			*) echo \"\$slot: lspci says '\$drv': \$line\"; exit 1 ;;
			esac
		done <out &&
		test \$(wc -l <out) -eq \$(iommu-groups --root '$R' | wc -l)
	"

	test_expect_success "$name: -J is valid JSON that agrees with the text" "
		iommu-groups --root '$R' -J >out.json &&
		python3 - '$R' out.json <<'EOF'
import json, os, sys
root, path = sys.argv[1], sys.argv[2]
doc = json.load(open(path))
text = []
for g in doc['groups']:
    for d in g['devices']:
        text.append('IOMMU Group %d: %s' % (g['group'], d['description']))
        dev = os.path.join(root, 'sys/bus/pci/devices', d['address'])
        link = os.path.join(dev, 'iommu_group')
        assert os.path.basename(os.readlink(link)) == str(g['group']), d['address']
        drv = os.path.join(dev, 'driver')
        want = os.path.basename(os.readlink(drv)) if os.path.islink(drv) else None
        assert d['driver'] == want, (d['address'], d['driver'], want)
        cls = open(os.path.join(dev, 'class')).read().strip()
        assert d['class'] == cls[2:6] and d['prog_if'] == cls[6:8], d['address']
        assert d['vendor'] == open(os.path.join(dev, 'vendor')).read().strip()[2:]
        assert d['bridge'] == (cls[2:6] in ('0604', '0607', '0609')), d['address']
open('text.json-derived', 'w').write('\n'.join(text) + '\n')
EOF
		iommu-groups --root '$R' >out &&
		test_cmp out text.json-derived
	"

	test_expect_success "$name: -s and -d select what lspci -s and -d select" "
		iommu-groups --root '$R' | sed 's/^IOMMU Group [0-9]*: //' >all &&
		for f in '-s 00:' '-s .1' '-s 0000:00:00.0' '-s 00:1c' '-d 1002:' '-d :73ff' '-d ::0300' '-d 8086::0604' '-d 10de:'; do
			lspci_root '$R' -nn \$f >l || return 1
			# what lspci lists that is in an IOMMU group
			grep -F -x -f l all >expect || :
			iommu-groups --root '$R' \$f | sed 's/^IOMMU Group [0-9]*: //' >got || :
			test_cmp expect got || { echo \"filter \$f\"; return 1; }
		done
	"

	test_expect_success "$name: -g N lists exactly group N" "
		for g in \$(ls '$R/sys/kernel/iommu_groups' | sort -n | head -n 3); do
			iommu-groups --root '$R' -g \$g >out &&
			test \$(wc -l <out) -eq \$(ls '$R/sys/kernel/iommu_groups/'\$g/devices | wc -l) &&
			! grep -v \"^IOMMU Group \$g: \" out || return 1
		done
	"

	test_expect_success "$name: --gpu lists the groups of every function of each display card" "
		for dev in '$R'/sys/bus/pci/devices/*; do
			case \$(cat \$dev/class) in
			0x0300*|0x0302*|0x0380*)
				d=\${dev##*/}; echo \${d%.*} ;;
			esac
		done >cards &&
		for dev in '$R'/sys/bus/pci/devices/*; do
			d=\${dev##*/}
			grep -qx \${d%.*} cards && test -L \$dev/iommu_group &&
				basename \$(readlink \$dev/iommu_group)
		done | sort -n -u >expect &&
		iommu-groups --root '$R' --gpu | sed 's/^IOMMU Group \\([0-9]*\\):.*/\\1/' | uniq >got &&
		test_cmp expect got
	"

	test_expect_success "$name: --why predicts each kernel group, or a warning names it" "
		iommu-groups --root '$R' --why -J >why.json 2>err &&
		python3 - '$R' why.json err <<'EOF'
import json, os, sys
root, path, err = sys.argv[1], sys.argv[2], sys.argv[3]
doc = json.load(open(path))
warned = [l for l in open(err).read().splitlines() if l]
groups = sorted(int(g) for g in os.listdir(os.path.join(root, 'sys/kernel/iommu_groups')))
assert [g['group'] for g in doc['groups']] == groups
for g in doc['groups']:
    members = sorted(os.listdir(os.path.join(root, 'sys/kernel/iommu_groups', str(g['group']), 'devices')))
    assert g['devices'] == members, g
    assert g['reasons'], g
    w = [l for l in warned if l.startswith('iommu-groups: group %d: ' % g['group'])]
    if g['predicted'] == g['devices']:
        assert not w, w
    else:
        assert w == ['iommu-groups: group %d: the kernel\\'s group is not what the ACS rules predict (%s)'
                     % (g['group'], ' '.join(g['predicted']))], (g, w)
        warned.remove(w[0])
# A kernel without the override patch hands pcie_acs_override= to init:
# said once, where the tree's init has it in its environment.
def has(f):
    try:
        return b'pcie_acs_override=' in open(os.path.join(root, f), 'rb').read()
    except OSError:
        return False
if has('proc/cmdline') and has('proc/1/environ'):
    w = ('iommu-groups: pcie_acs_override= is on the kernel command line, but the kernel passed it '
         'to init: it has no ACS override patch, and the groups are the hardware\'s')
    assert w in warned, warned
    warned.remove(w)
assert not warned, warned
EOF
	"

	test_expect_success "$name: -n, -nn, -nnk and -knn as lspci takes them: the output is the same" "
		iommu-groups --root '$R' >plain &&
		iommu-groups --root '$R' -n >out && test_cmp plain out &&
		iommu-groups --root '$R' -nn >out && test_cmp plain out &&
		iommu-groups --root '$R' -k >expect &&
		iommu-groups --root '$R' -nnk >out && test_cmp expect out &&
		iommu-groups --root '$R' -knn >out && test_cmp expect out
	"
done

# The guide's host: its own listing appears verbatim.
Z=$FIXTURES/z490-guide
# The running system's ID database, where libpci looks for it.
HOST_IDS=/nonexistent
for f in /usr/share/misc/pci.ids /usr/share/hwdata/pci.ids /usr/share/pci.ids; do
	[ -f "$f" ] && { HOST_IDS=$f; break; }
done
if [ -d "$Z" ]; then
	test_expect_success 'z490-guide: the groups printed in the guide' "
		cat >guide <<'EOF' &&
IOMMU Group 0:
	00:00.0 Host bridge [0600]: Intel Corporation Comet Lake-S 6c Host Bridge/DRAM Controller [8086:9b33] (rev 05)
IOMMU Group 1:
	00:01.0 PCI bridge [0604]: Intel Corporation 6th-10th Gen Core Processor PCIe Controller (x16) [8086:1901] (rev 05)
	01:00.0 PCI bridge [0604]: Advanced Micro Devices, Inc. [AMD/ATI] Navi 10 XL Upstream Port of PCI Express Switch [1002:1478] (rev c0)
	02:00.0 PCI bridge [0604]: Advanced Micro Devices, Inc. [AMD/ATI] Navi 10 XL Downstream Port of PCI Express Switch [1002:1479]
	03:00.0 VGA compatible controller [0300]: Advanced Micro Devices, Inc. [AMD/ATI] Navi 22 [Radeon RX 6700/6700 XT/6750 XT / 6800M/6850M XT] [1002:73df] (rev c0)
	03:00.1 Audio device [0403]: Advanced Micro Devices, Inc. [AMD/ATI] Navi 21/23 HDMI/DP Audio Controller [1002:ab28]
IOMMU Group 18:
	07:00.0 VGA compatible controller [0300]: Advanced Micro Devices, Inc. [AMD/ATI] Navi 23 [Radeon RX 6600/6600 XT/6600M] [1002:73ff] (rev c7)
IOMMU Group 19:
	07:00.1 Audio device [0403]: Advanced Micro Devices, Inc. [AMD/ATI] Navi 21/23 HDMI/DP Audio Controller [1002:ab28]
EOF
		iommu-groups --root '$Z' --tree -g 0 -g 1 -g 18 -g 19 >out &&
		test_cmp guide out
	"

	test_expect_success 'z490-guide: -v marks the boot GPU and isolated groups' "
		iommu-groups --root '$Z' -v >out &&
		grep_q '^IOMMU Group 1: 03:00.0 .* boot_vga=1 .*isolated=yes' out &&
		grep_q '^IOMMU Group 18: 07:00.0 .* boot_vga=0 .*isolated=yes' out &&
		grep_q '^IOMMU Group 1: 00:01.0 .* reset=[a-z,]* isolated=yes\$' out &&
		! grep -q 'shares=' out
	"

	test_expect_success 'z490-guide: -v shows the reset methods the kernel offers' "
		iommu-groups --root '$Z' -v -s 07:00.0 >out &&
		want=\$(tr ' ' , <'$Z/sys/bus/pci/devices/0000:07:00.0/reset_method' 2>/dev/null || echo none) &&
		grep_q \" reset=\${want:-none} \" out
	"

	test_expect_success 'z490-guide: -k shows a driver_override' "
		cp -R '$Z' root &&
		echo vfio-pci >root/sys/bus/pci/devices/0000:07:00.0/driver_override &&
		iommu-groups --root root -k -s 07:00.0 >out &&
		grep_q ' driver=amdgpu override=vfio-pci\$' out
	"

	test_expect_success 'a filter that matches nothing: no output, exit 1' "
		run iommu-groups --root '$Z' -d ffff:ffff && expect_rc 1 &&
		test ! -s out && test ! -s err
	"

	test_expect_success 'a pci.ids link outside --root is not followed: the running system'"'"'s is read' "
		cp -R '$Z' root &&
		sed 's/Intel Corporation/Linked Outside/' '$Z/usr/share/misc/pci.ids' >outside.ids &&
		rm -f root/usr/share/misc/pci.ids &&
		ln -s \"\$PWD/outside.ids\" root/usr/share/misc/pci.ids &&
		iommu-groups --root root -s 00:00.0 >out &&
		echo \"IOMMU Group 0: \$(lspci -A linux-sysfs -O sysfs.path=root/sys/bus/pci -O hwdb.disable=1 -i '$HOST_IDS' -nns 00:00.0)\" >expect &&
		test_cmp expect out && ! grep -q 'Linked Outside' out
	"

	# lspci -i: a tree without pci.ids, the names from FILE.
	test_expect_success '-i FILE: the names lspci -i FILE gives on the same tree' "
		cp -R '$Z' root &&
		rm -f root/usr/share/misc/pci.ids &&
		sed 's/Advanced Micro Devices, Inc\\. \\[AMD\\/ATI\\]/AMD (from -i)/' '$Z/usr/share/misc/pci.ids' >my.ids &&
		for g in \$(ls root/sys/kernel/iommu_groups | sort -n); do
			for d in \$(ls root/sys/kernel/iommu_groups/\$g/devices); do
				echo \"IOMMU Group \$g: \$(lspci -A linux-sysfs -O sysfs.path=root/sys/bus/pci -O hwdb.disable=1 -i my.ids -nns \$d)\"
			done
		done >expect &&
		grep_q 'AMD (from -i) Navi 23' expect &&
		iommu-groups --root root -i my.ids >out &&
		test_cmp expect out &&
		iommu-groups --root '$Z' -i my.ids >out &&
		test_cmp expect out
	"

	test_expect_success '-i FILE: a pipe is read as lspci reads it' "
		cp -R '$Z' root &&
		rm -f root/usr/share/misc/pci.ids &&
		mkfifo ids.pipe &&
		{ cat '$Z/usr/share/misc/pci.ids' >ids.pipe & } &&
		iommu-groups --root root -i ids.pipe >out &&
		wait &&
		iommu-groups --root '$Z' >expect &&
		test_cmp expect out
	"

	# The writer of a pci.ids smaller than a pipe's buffer writes it all
	# and goes as soon as the pipe is opened; strace holds the open back
	# half a second so that it is gone before the names are read.  A
	# second open of the pipe would then wait for a writer for ever.
	# LeakSanitizer cannot run under ptrace: leaks are the test above's.
	test_expect_success '-i FILE: a pipe whose writer is already gone' "
		cp -R '$Z' root &&
		rm -f root/usr/share/misc/pci.ids &&
		mkfifo ids.pipe &&
		{ cat '$Z/usr/share/misc/pci.ids' >ids.pipe & } &&
		ASAN_OPTIONS=\${ASAN_OPTIONS:+\$ASAN_OPTIONS:}detect_leaks=0 \\
			timeout 60 strace -f -qq -o /dev/null -P \"\$PWD/ids.pipe\" -e trace=openat \\
			-e inject=openat:delay_exit=500000 \\
			\"\$BUILD/iommu-groups\" --root root -i \"\$PWD/ids.pipe\" >out &&
		wait &&
		iommu-groups --root '$Z' >expect &&
		test_cmp expect out
	"

	test_expect_success '-i FILE missing or a directory: exit 3 naming it, nothing on stdout' "
		run iommu-groups --root '$Z' -i nowhere/pci.ids && expect_rc 3 && test ! -s out &&
		test \"\$(cat err)\" = \"iommu-groups: could not read 'nowhere/pci.ids': No such file or directory\" &&
		mkdir ids.d &&
		run iommu-groups --root '$Z' -i ids.d && expect_rc 3 && test ! -s out &&
		test \"\$(cat err)\" = \"iommu-groups: could not read 'ids.d': Is a directory\"
	"

	test_expect_success 'a tree without pci.ids: the names of the running system'"'"'s, as lspci shows them' "
		cp -R '$Z' root &&
		rm -f root/usr/share/misc/pci.ids &&
		for g in \$(ls root/sys/kernel/iommu_groups | sort -n); do
			for d in \$(ls root/sys/kernel/iommu_groups/\$g/devices); do
				echo \"IOMMU Group \$g: \$(lspci -A linux-sysfs -O sysfs.path=root/sys/bus/pci -O hwdb.disable=1 -i '$HOST_IDS' -nns \$d)\"
			done
		done >expect &&
		iommu-groups --root root >out &&
		test_cmp expect out &&
		if [ '$HOST_IDS' != /nonexistent ]; then
			! grep -q 'Device \\[8086:9b33\\]' out
		fi
	"

	test_expect_success 'z490-guide: --gpu lists the guest card'"'"'s HDMI audio in its own group' "
		iommu-groups --root '$Z' --gpu -g 19 >out &&
		test \$(wc -l <out) -eq 1 &&
		grep_q '^IOMMU Group 19: 07:00.1 Audio device \\[0403\\]: .*\\[1002:ab28\\]\$' out &&
		iommu-groups --root '$Z' --gpu -s 07: >out &&
		test \$(wc -l <out) -eq 2
	"

	test_expect_success 'runs no other program' "
		trace_exec iommu-groups --root '$Z' -kv >/dev/null &&
		{ test \$(grep -c ' execve(' trace) -eq 1 && ! grep -q -E ' (v?fork|clone3?)\\(' trace ||
		  { cat trace; false; }; }
	"

	test_expect_success 'a full stdout is an error, exit 3' "
		run sh -c 'iommu-groups --root \"\$1\" >/dev/full' sh '$Z' && expect_rc 3 &&
		grep_q \"^iommu-groups: could not write standard output: No space left on device\" err
	"
fi

# The laptop: a 3D controller that shares its group.
L=$FIXTURES/laptop-optimus
if [ -d "$L" ]; then
	test_expect_success 'laptop-optimus: --gpu includes the 3D controller' "
		iommu-groups --root '$L' --gpu >out &&
		grep_q '3D controller \\[0302\\]' out
	"

	test_expect_success 'laptop-optimus: -v names what shares the 3D controller group' "
		iommu-groups --root '$L' -v -d ::0302 >out &&
		grep_q 'isolated=no shares=[0-9a-f:.,]*\$' out
	"
fi

# No IOMMU: the kernel made no groups.
O=$FIXTURES/iommu-off
if [ -d "$O" ]; then
	test_expect_success 'iommu-off: says so, exit 1, nothing on stdout' "
		run iommu-groups --root '$O' && expect_rc 1 && test ! -s out &&
		grep_q \"^iommu-groups: no IOMMU groups in '$O/sys/kernel/iommu_groups'\$\" err &&
		grep_q 'firmware setup' err
	"

	test_expect_success 'iommu-off with a DMAR table: the kernel parameter to add' "
		cp -R '$O' root &&
		mkdir -p root/sys/firmware/acpi/tables && : >root/sys/firmware/acpi/tables/DMAR &&
		run iommu-groups --root root --tree && expect_rc 1 && test ! -s out &&
		grep_q 'ACPI DMAR table' err && grep_q 'intel_iommu=on' err &&
		grep_q '(kcmdline-edit --root root --iommu),' err
	"
fi

# Bad input.
test_expect_success 'a group that is not a number is a usage error' "
	for g in abc -1 1x ''; do
		run iommu-groups -g \"\$g\" && expect_rc 2 && test ! -s out &&
		grep_q \"^iommu-groups: invalid IOMMU group '\$g': expected a number\$\" err || return 1
	done
"

test_expect_success 'bad -s and -d are usage errors naming the argument' "
	run iommu-groups -s 'zz:00' && expect_rc 2 && grep_q \"invalid slot 'zz:00'\" err &&
	run iommu-groups -d 'xyz' && expect_rc 2 && grep_q \"invalid device ID 'xyz'\" err
"

test_expect_success 'an extra argument is a usage error' "
	run iommu-groups 07:00.0 && expect_rc 2 &&
	grep_q \"^iommu-groups: unexpected argument '07:00.0'\$\" err
"

test_expect_success '--json with --tree is a usage error' "
	run iommu-groups -J --tree && expect_rc 2
"

test_expect_success 'a missing --root directory is an error naming it' "
	run iommu-groups --root \"\$PWD/nonexistent\" && expect_rc 3 && test ! -s out &&
	grep_q \"^iommu-groups: could not open root directory '\$PWD/nonexistent': No such file or directory\$\" err
"

test_expect_success 'a --root without sysfs is an error naming the path' "
	mkdir empty &&
	run iommu-groups --root empty && expect_rc 3 && test ! -s out &&
	grep_q \"^iommu-groups: could not read 'empty/sys/bus/pci/devices': No such file or directory\$\" err
"

# What the host uses (see t2000-vfio-bind.sh for the fixtures' story).
Z=$FIXTURES/z490-guide

test_expect_success 'in use: -v adds inuse= to the functions the host uses, after shares' "
	iommu-groups --root '$Z' -v | grep 'inuse=' | sed 's/^IOMMU Group \([0-9]*\): \([^ ]*\) .* \(isolated=.*\)\$/\1 \2 \3/' >got &&
	cat >expect <<EOF &&
0 00:00.0 isolated=no inuse=platform
14 00:1f.0 isolated=no inuse=platform
14 00:1f.4 isolated=no inuse=platform
15 04:00.0 isolated=yes inuse=swap:/dev/nvme0n1p3,mount:/dev/nvme0n1p1,mount:/dev/nvme0n1p2
20 08:00.0 isolated=yes inuse=route:enp8s0,conn:enp8s0
21 09:00.0 isolated=yes inuse=route:wlp9s0,conn:wlp9s0
22 0a:00.0 isolated=yes inuse=mount:/dev/nvme1n1p1
EOF
	test_cmp expect got
"

test_expect_success 'in use: a group of platform functions is not isolated, for every member' "
	iommu-groups --root '$Z' -v -g 14 >out &&
	test \$(wc -l <out) -eq 4 && test \$(grep -c ' isolated=no' out) -eq 4 &&
	grep_q '00:1f.3 Audio device .* isolated=no\$' out
"

test_expect_success 'in use: a bridged port shows what its bridge carries' "
	iommu-groups --root '$FIXTURES/server-sriov' -v -s 17:00.0 >out &&
	grep_q ' inuse=route:ens17f0,conn:ens17f0\$' out &&
	iommu-groups --root '$FIXTURES/server-sriov' -v -s 00:17.0 >out &&
	grep_q ' inuse=swap:/dev/sda2,mount:/dev/sda1,mount:/dev/sda2\$' out
"

test_expect_success 'in use: -J gives reason and what per use, null when none' "
	iommu-groups --root '$Z' -J >out.json &&
	python3 - out.json <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
dev = {d['address']: (g, d) for g in doc['groups'] for d in g['devices']}
g, d = dev['0000:04:00.0']
assert d['inuse'] == [{'reason': 'swap', 'what': '/dev/nvme0n1p3'},
                      {'reason': 'mount', 'what': '/dev/nvme0n1p1'},
                      {'reason': 'mount', 'what': '/dev/nvme0n1p2'}], d['inuse']
g, d = dev['0000:00:1f.4']
assert d['inuse'] == [{'reason': 'platform', 'what': None}], d['inuse']
assert g['isolated'] is False
g, d = dev['0000:08:00.0']
assert [u['reason'] for u in d['inuse']] == ['route', 'conn'], d['inuse']
g, d = dev['0000:07:00.0']
assert d['inuse'] is None and g['isolated'] is True, d
for a, (g, d) in dev.items():
    assert 'inuse' in d, a
EOF
"

test_expect_success 'in use: without -v or -J nothing changes' "
	iommu-groups --root '$Z' >out && ! grep_q inuse out &&
	iommu-groups --root '$Z' -k >out && ! grep_q inuse out
"

test_expect_success 'a host bridge no driver claims is left out of isolation, as a bridge' "
	cp -R '$Z' root &&
	g=\$(basename \$(readlink root/sys/bus/pci/devices/0000:07:00.0/iommu_group)) &&
	ln -sfn ../../../kernel/iommu_groups/\$g root/sys/devices/pci0000:00/0000:00:00.0/iommu_group &&
	rm root/sys/kernel/iommu_groups/0/devices/0000:00:00.0 &&
	ln -s ../../../../devices/pci0000:00/0000:00:00.0 root/sys/kernel/iommu_groups/\$g/devices/0000:00:00.0 &&
	iommu-groups --root root -v -g \$g >out &&
	grep_q '00:00.0 Host bridge .* isolated=no shares=07:00.0 inuse=platform\$' out &&
	rm root/sys/devices/pci0000:00/0000:00:00.0/driver &&
	iommu-groups --root root -v -g \$g >out &&
	test \$(grep -c ' isolated=yes\$' out) -eq 2 &&
	iommu-groups --root root -J -g \$g | python3 -c '
import json, sys
g = json.load(sys.stdin)[\"groups\"][0]
assert g[\"isolated\"] is True
assert all(d[\"inuse\"] is None and d[\"shares_with\"] == [] for d in g[\"devices\"]), g
'
"


test_expect_success "why: the guide's host, its GPU groups as the hardware makes them" "
	iommu-groups --root '$Z' --why -g 1 -g 18 -g 19 >out 2>err &&
	cat >expect <<-\EOF &&
	group 1: 0000:00:01.0 0000:01:00.0 0000:02:00.0 0000:03:00.0 0000:03:00.1: root port without ACS at 0000:00:01.0
	group 18: 0000:07:00.0: isolated
	group 19: 0000:07:00.1: isolated
	EOF
	test_cmp expect out &&
	test_cmp /dev/null err
"

# --why on the tree captured from a guest (real config space, 4096 bytes
# where the kernel reads them): its root ports have ACS, 00:03.0 is a
# conventional PCI bridge, 02:00 and 00:1f are multifunction, the switch's
# downstream port 04:00.0 has no ACS.
Q=$FIXTURES/qemu-q35

# move_group ROOT BDF N: the kernel put BDF in group N.
move_group() {
	mg_dev=$1/sys/bus/pci/devices/0000:$2
	mg_old=$(basename "$(readlink "$mg_dev/iommu_group")")
	mg_path=$(cd "$mg_dev" && pwd -P)
	mkdir -p "$1/sys/kernel/iommu_groups/$3/devices" &&
	rm "$1/sys/kernel/iommu_groups/$mg_old/devices/0000:$2" &&
	ln -s "$mg_path" "$1/sys/kernel/iommu_groups/$3/devices/0000:$2" &&
	ln -sfn "$(cd "$1/sys/kernel/iommu_groups/$3" && pwd -P)" "$mg_dev/iommu_group"
}

test_expect_success 'why: each group of the captured guest with the rule its hardware shows' "
	cat >expect <<-\EOF &&
	group 0: 0000:00:00.0: isolated
	group 1: 0000:00:02.0: isolated
	group 2: 0000:00:03.0 0000:01:01.0 0000:01:02.0: behind a conventional PCI bridge at 0000:00:03.0
	group 3: 0000:00:1c.0: isolated
	group 4: 0000:00:1c.1: isolated
	group 5: 0000:00:1f.0 0000:00:1f.2 0000:00:1f.3: multifunction device without ACS at 0000:00:1f.0
	group 6: 0000:02:00.0 0000:02:00.1: multifunction device without ACS at 0000:02:00.0
	group 7: 0000:03:00.0: isolated
	group 8: 0000:04:00.0 0000:05:00.0: switch downstream port without ACS at 0000:04:00.0
	EOF
	iommu-groups --root '$Q' --why >out 2>err &&
	test_cmp expect out &&
	test_cmp /dev/null err
"

test_expect_success 'why: what each reason says of a device, lspci -vvv says of it on the same tree' "
	iommu-groups --root '$Q' --why -J >why.json &&
	python3 - '$Q' why.json <<-\EOF
	import json, subprocess, sys
	root, path = sys.argv[1], sys.argv[2]
	def lspci(*args):
	    return subprocess.run(['lspci', '-A', 'linux-sysfs', '-O', 'sysfs.path=%s/sys/bus/pci' % root,
	                           '-O', 'hwdb.disable=1'] + list(args),
	                          check=True, capture_output=True, text=True).stdout
	seen = set()
	for g in json.load(open(path))['groups']:
	    for r in g['reasons']:
	        seen.add(r['rule'])
	        v = lspci('-vvv', '-s', r['at'])
	        if r['rule'] == 'no-acs':
	            assert 'Access Control Services' not in v and 'Downstream Port' in v, v
	            assert r['lacks'] == 'ACS'
	        elif r['rule'] == 'pcie-to-pci':
	            assert 'PCI bridge' in v and 'Express' not in v, v
	        elif r['rule'] == 'multifunction':
	            slot = r['at'].rsplit('.', 1)[0]
	            fns = lspci('-s', slot).splitlines()
	            assert len(fns) == len(g['devices']) > 1, fns
	            assert 'Access Control Services' not in lspci('-vvv', '-s', slot)
	        elif r['rule'] == 'isolated':
	            assert g['devices'] == [r['at']]
	            if 'Root Port' in v:
	                assert 'ACSCtl:\tSrcValid+ TransBlk- ReqRedir+ CmpltRedir+ UpstreamFwd+' in v, v
	        else:
	            raise AssertionError(r)
	assert seen == {'isolated', 'no-acs', 'pcie-to-pci', 'multifunction'}, seen
	EOF
"

test_expect_success 'why -J: the members the rules predict are the kernel group, for every group' "
	iommu-groups --root '$Q' --why -J >why.json &&
	python3 - why.json <<-\EOF
	import json, sys
	doc = json.load(open(sys.argv[1]))
	assert doc['acs_override'] is False
	assert len(doc['groups']) == 9
	for g in doc['groups']:
	    assert g['predicted'] == g['devices'], g
	    assert g['isolated'] == (len(g['devices']) == 1), g
	    for r in g['reasons']:
	        assert set(r) == {'rule', 'at', 'lacks', 'text'}, r
	        line = 'group %d: %s: %s' % (g['group'], ' '.join(g['devices']), r['text'])
	        assert r['text'].endswith(' at ' + r['at']) or r['rule'] == 'isolated', r
	EOF
"

test_expect_success 'why: -g and -s show the groups they select, every member named' "
	iommu-groups --root '$Q' --why -g 8 >out &&
	echo 'group 8: 0000:04:00.0 0000:05:00.0: switch downstream port without ACS at 0000:04:00.0' >expect &&
	test_cmp expect out &&
	iommu-groups --root '$Q' --why -s 02:00.1 >out &&
	echo 'group 6: 0000:02:00.0 0000:02:00.1: multifunction device without ACS at 0000:02:00.0' >expect &&
	test_cmp expect out &&
	iommu-groups --root '$Q' --why -s 01:02.0 -g 2 >out && test \$(wc -l <out) -eq 1 &&
	run iommu-groups --root '$Q' --why -g 2 -s 02: && expect_rc 1 && test_cmp /dev/null out &&
	run iommu-groups --root '$Q' --why -g 99 && expect_rc 1 && test_cmp /dev/null out
"

test_expect_success 'why: a kernel group the rules predict otherwise is named in a warning' "
	cp -R '$Q' root &&
	move_group root 02:00.1 9 &&
	iommu-groups --root root --why >out 2>err &&
	grep_q '^group 6: 0000:02:00.0: multifunction device without ACS at 0000:02:00.0\$' out &&
	grep_q '^group 9: 0000:02:00.1: multifunction device without ACS at 0000:02:00.0\$' out &&
	cat >expect <<-\EOF &&
	iommu-groups: group 6: the kernel's group is not what the ACS rules predict (0000:02:00.0 0000:02:00.1)
	iommu-groups: group 9: the kernel's group is not what the ACS rules predict (0000:02:00.0 0000:02:00.1)
	EOF
	test_cmp expect err
"

test_expect_success 'why: a root port with ACS controls off, as lspci -vvv shows them' "
	cp -R '$Q' root &&
	# ACS control of 00:1c.1 (capability at 0x148): SV and UF only
	printf '\021' | dd of=root/sys/devices/pci0000:00/0000:00:1c.1/config bs=1 seek=334 conv=notrunc 2>/dev/null &&
	lspci_root root -vvv -s 00:1c.1 >lspci &&
	grep_q 'ACSCtl:.SrcValid+ TransBlk- ReqRedir- CmpltRedir- UpstreamFwd+' lspci &&
	iommu-groups --root root --why -g 4 >out 2>err &&
	# the reasons of the group the rules predict, which takes in the switch
	cat >expect <<-\EOF &&
	group 4: 0000:00:1c.1: switch downstream port without ACS at 0000:04:00.0
	group 4: 0000:00:1c.1: root port with ACS but RR CR not enabled at 0000:00:1c.1
	EOF
	test_cmp expect out &&
	for g in 4 7 8; do
		grep_q \"^iommu-groups: group \$g: the kernel's group is not what the ACS rules predict (0000:00:1c.1 0000:03:00.0 0000:04:00.0 0000:05:00.0)\\\$\" err || return 1
	done &&
	test \$(wc -l <err) -eq 3 &&
	iommu-groups --root root --why -J -g 7 | python3 -c '
import json, sys
g = json.load(sys.stdin)[\"groups\"][0]
assert g[\"devices\"] == [\"0000:03:00.0\"] and len(g[\"predicted\"]) == 4, g
r = [(x[\"rule\"], x[\"at\"], x[\"lacks\"]) for x in g[\"reasons\"]]
assert (\"acs-off\", \"0000:00:1c.1\", \"RR CR\") in r, r
'
"

test_expect_success 'why: a function in D3cold is not read, and said so' "
	cp -R '$Q' root &&
	# a FIFO for config space: a read would block
	d=root/sys/devices/pci0000:00/0000:00:1c.0/0000:02:00.1 &&
	echo D3cold >\$d/power_state && rm \$d/config && mkfifo \$d/config &&
	timeout 20 iommu-groups --root root --why -g 6 >out 2>err &&
	echo 'group 6: 0000:02:00.0 0000:02:00.1: config space not read at 0000:02:00.1: in D3cold: not read, a read would wake it' >expect &&
	test_cmp expect out &&
	test_cmp /dev/null err &&
	d=root/sys/devices/pci0000:00/0000:00:1c.1 &&
	echo D3cold >\$d/power_state && rm \$d/config && mkfifo \$d/config &&
	timeout 20 iommu-groups --root root --why -g 7 >out 2>err &&
	grep_q '^group 7: 0000:03:00.0: config space not read at 0000:00:1c.1: in D3cold' out &&
	grep_q '^iommu-groups: group 7: .*, which rest on config space not read\$' err
"

test_expect_success 'why: pcie_acs_override= names the groups only it makes' "
	cp -R '$Q' root &&
	echo 'BOOT_IMAGE=/vmlinuz root=/dev/vda pcie_acs_override=downstream' >root/proc/cmdline &&
	move_group root 05:00.0 9 &&
	iommu-groups --root root --why -g 8 -g 9 >out 2>err &&
	cat >expect <<-\EOF &&
	group 8: 0000:04:00.0: exists only because of pcie_acs_override=downstream: in hardware not isolated from 0000:05:00.0
	group 9: 0000:05:00.0: exists only because of pcie_acs_override=downstream: in hardware not isolated from 0000:04:00.0
	EOF
	test_cmp expect out &&
	test_cmp /dev/null err &&
	iommu-groups --root root --why -J | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d[\"acs_override\"] is True
assert all(g[\"predicted\"] == g[\"devices\"] for g in d[\"groups\"])
'
"

test_expect_success 'why: pcie_acs_override= that init got: the kernel has no override patch' "
	cp -R '$Q' root &&
	echo 'BOOT_IMAGE=/vmlinuz root=/dev/vda pcie_acs_override=downstream' >root/proc/cmdline &&
	mkdir -p root/proc/1 &&
	printf 'HOME=/\0TERM=linux\0pcie_acs_override=downstream\0' >root/proc/1/environ &&
	iommu-groups --root root --why -g 8 >out 2>err &&
	echo 'group 8: 0000:04:00.0 0000:05:00.0: switch downstream port without ACS at 0000:04:00.0' >expect &&
	test_cmp expect out &&
	grep_q 'pcie_acs_override= is on the kernel command line, but the kernel passed it to init' err &&
	iommu-groups --root root --why -J | python3 -c '
import json, sys
assert json.load(sys.stdin)[\"acs_override\"] is False
'
"

test_done
