#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# iommu-groups --slots on fixture trees: the functions in each slot as
# lspci ties them to it (PhySlot), each slot's port as lspci reads the
# bridges' secondary buses, and whether a card there gets a group of its
# own against the groups the kernel made for the card in the slot now.
. "$(dirname "$0")/lib.sh"

Q=$FIXTURES/qemu-q35
[ -d "$Q/sys/bus/pci/devices" ] || skip_all "fixture $Q missing"

# q35 DIR: the captured guest in DIR with the slots its ports have
# (pciehp names a port's slot by its physical slot number) and a slot
# on the root bus, an empty one, and the conventional bridge's bus, whose
# slot the firmware does not number.
q35() {
	cp -R "$Q" "$1" &&
	for s in 1:0000:02:00 2:0000:03:00 3:0000:05:00 7:0000:00:07 9:0000:01; do
		mkdir -p "$1/sys/bus/pci/slots/${s%%:*}" &&
		echo "${s#*:}" >"$1/sys/bus/pci/slots/${s%%:*}/address" || return 1
	done
}

# The trees: the captured guests that list slots, and the one above.
q35 "$TEST_TMP/q35" || exit 1
trees="$TEST_TMP/q35"
for f in "$FIXTURES"/*/; do
	f=${f%/}
	[ -f "$f.captured" ] && [ -d "$f/sys/bus/pci/slots" ] && trees="$trees $f"
done

# fields JSON: per slot "name address port own devices..." from -J, own
# "override" for a group of its own only because of pcie_acs_override=.
fields() {
	python3 -c '
import json, sys
for s in json.load(open(sys.argv[1]))["slots"]:
    own = {True: "yes", False: "no", None: "unknown"}[s["own_group"]]
    if s["reason"]["rule"] == "acs-override":
        own = "override"
    print(s["slot"], s["address"], s["port"] or "-", own, *s["devices"])
' "$1"
}

for R in $trees; do
	name=${R##*/}

	test_expect_success "$name: a slot's functions are those lspci ties to it" "
		iommu-groups --root '$R' --slots -J >out.json &&
		fields out.json >got &&
		test -s got &&
		lspci_root '$R' -D -vmm | awk '
			/^Slot:/ { slot = \$2 } /^PhySlot:/ { print \$2, slot }' | sort >lspci &&
		awk '\$2 ~ /:..:..\$/ { for (i = 5; i <= NF; i++) print \$1, \$i }' got | sort >mine &&
		test_cmp lspci mine
	"

	test_expect_success "$name: a slot's port is the bridge whose secondary bus is the slot's" "
		iommu-groups --root '$R' --slots -J >out.json &&
		fields out.json >got &&
		lspci_root '$R' -D -v | awk '
			/^[0-9a-f]/ { dev = \$1 }
			/Bus: primary=/ { sub(/.*secondary=/, \"\"); sub(/,.*/, \"\"); print substr(dev, 1, 5) \$0, dev }
		' | sort >secondary &&
		test -s secondary &&
		while read -r slot addr port own devs; do
			bus=\$(echo \$addr | cut -d: -f1-2)
			want=\$(awk -v b=\$bus '\$1 == b { print \$2 }' secondary)
			test \"\$port\" = \"\${want:--}\" || { echo \"slot \$slot: \$port, lspci: \$want\"; exit 1; }
		done <got
	"

	test_expect_success "$name: own group or not, as the kernel grouped what is there now" "
		iommu-groups --root '$R' --slots -J >out.json &&
		fields out.json >got &&
		n=0 &&
		while read -r slot addr port own devs; do
			# a slot without a number holds its whole bus: several cards
			case \$addr in *:*:*) ;; *) continue ;; esac
			[ -n \"\$devs\" ] || continue
			others=\$(for d in \$devs; do
				ls '$R'/sys/bus/pci/devices/\$d/iommu_group/devices
			done | sort -u | while read -r m; do
				case \" \$devs \" in *\" \$m \"*) continue ;; esac
				# below the card (a bridge card): the card's
				path=\$(readlink '$R'/sys/bus/pci/devices/\$m)
				for d in \$devs; do
					case \$path in */\$d/*) continue 2 ;; esac
				done
				class=\$(cat '$R'/sys/bus/pci/devices/\$m/class)
				case \$class in 0x0604*) ;; *) echo \$m ;; esac
			done)
			kernel=\$([ -z \"\$others\" ] && echo yes || echo no)
			echo \"slot \$slot: \$own, the kernel's groups: \$kernel (\$others)\"
			# the captured kernels are Debian's: no override patch
			test \$own = \$kernel || test \$own = override -a \$kernel = no || exit 1
			n=\$((n + 1))
		done <got &&
		test \$n -gt 0
	"

	test_expect_success "$name: the text line says what -J says" "
		iommu-groups --root '$R' --slots -J >out.json &&
		iommu-groups --root '$R' --slots -D >out &&
		python3 - out.json out <<'EOF'
import json, sys
slots = json.load(open(sys.argv[1]))['slots']
lines = open(sys.argv[2]).read().splitlines()
assert len(slots) == len(lines), (len(slots), len(lines))
for s, line in zip(slots, lines):
    a = s['address']
    head = 'Slot %s: %s%s ' % (s['slot'], '' if a.count(':') == 2 else 'bus ', a)
    assert line.startswith(head), (head, line)
    line = line[len(head):]
    if s['port']:
        head = 'behind %s: ' % s['port']
    else:
        head = 'on a root bus: '
    assert line.startswith(head), (head, line)
    line = line[len(head):]
    verdict = {True: 'own group', False: 'shared group', None: 'group unknown'}[s['own_group']]
    assert line.startswith(verdict), (verdict, line)
    line = line[len(verdict):]
    if s['own_group'] is not True or s['reason']['rule'] == 'acs-override':
        assert line.startswith(' (%s)' % s['reason']['text']), line
        line = line[len(s['reason']['text']) + 3:]
    if not s['devices']:
        assert line == ': empty', line
    else:
        names = [f.split(' ', 1)[0] for f in line[2:].split('; ')]
        assert names == s['devices'], (names, s['devices'])
EOF
	"
done

A=$FIXTURES/acs-amd
# The guest's kernel handed pcie_acs_override= to init (it has no patch);
# with init's environment unread, as for a user who is not root, the
# patch is assumed.
test_expect_success 'a group of its own only because of pcie_acs_override=: said, with why not in hardware' "
	grep_q 'pcie_acs_override=downstream,multifunction' '$A/proc/cmdline' &&
	cp -R '$A' root && rm -f root/proc/1/environ &&
	iommu-groups --root root --slots >out &&
	grep_q '^Slot 7: 0c:00 behind 00:1d.0: own group (only because of pcie_acs_override=downstream,multifunction: in hardware root port without ACS at 0000:00:1d.0): 0c:00.0 ' out &&
	iommu-groups --root root --slots -J >out.json &&
	fields out.json >got &&
	grep_q '^7 0000:0c:00 0000:00:1d.0 override 0000:0c:00.0\$' got
"

test_expect_success 'pcie_acs_override= that init got (a kernel without the patch): the groups of the hardware' "
	cp -R '$A' root && mkdir -p root/proc/1 &&
	printf 'HOME=/\\0TERM=linux\\0pcie_acs_override=downstream,multifunction\\0' >root/proc/1/environ &&
	iommu-groups --root root --slots >out &&
	grep_q '^Slot 7: 0c:00 behind 00:1d.0: shared group (root port without ACS at 0000:00:1d.0): ' out
"

R=$TEST_TMP/q35

test_expect_success 'each function in a slot as the default listing shows it, its driver with -k' "
	iommu-groups --root '$R' --slots -k >out &&
	grep_q '^Slot 1: 02:00 behind 00:1c.0: ' out &&
	sed -n 's/^Slot 1: 02:00 behind 00:1c.0: own group: //p' out | sed 's/; /\\n/g' >got &&
	for d in 02:00.0 02:00.1; do
		drv=\$(lspci_root '$R' -k -s \$d | sed -n 's/^.*Kernel driver in use: //p')
		echo \"\$(lspci_root '$R' -nns \$d) driver=\${drv:--}\"
	done >expect &&
	test_cmp expect got
"

test_expect_success 'an empty slot says so; a slot on a root bus has no port' "
	iommu-groups --root '$R' --slots >out &&
	grep_q '^Slot 7: 00:07 on a root bus: own group: empty\$' out &&
	iommu-groups --root '$R' --slots -J >out.json &&
	fields out.json >got &&
	grep_q '^7 0000:00:07 - yes\$' got
"

test_expect_success 'a slot without a number: every function on its bus' "
	iommu-groups --root '$R' --slots -J >out.json &&
	fields out.json >got &&
	grep_q '^9 0000:01 0000:00:03.0 no 0000:01:01.0 0000:01:02.0\$' got &&
	iommu-groups --root '$R' --slots >out &&
	grep_q '^Slot 9: bus 01 behind 00:03.0: shared group (' out
"

test_expect_success 'in address order, the slot without a number first on its bus' "
	iommu-groups --root '$R' --slots >out &&
	sed 's/: .*//' out >got &&
	printf 'Slot %s\\n' 7 9 1 2 3 >expect &&
	test_cmp expect got
"

test_expect_success 'no slots: said, exit status 1, and an empty list with -J' "
	cp -R '$Q' root &&
	run iommu-groups --root root --slots && expect_rc 1 &&
	test ! -s out &&
	grep_q \"^iommu-groups: no physical slots in 'root/sys/bus/pci/slots'\\\$\" err &&
	run iommu-groups --root root --slots -J && expect_rc 1 &&
	python3 -c 'import json, sys; assert json.load(open(sys.argv[1])) == {\"slots\": []}' out
"

# A generated tree: no secondary_bus_number, as on kernels before it; the
# secondary bus is in the bridge's config space.
sed '/^iommu /a slot 4 0000:05:00\nslot 6 0000:08:00' "$FIXTURES/z490-guide.spec" >"$TEST_TMP/z490.spec"
"$BUILD/tests/tools/mksysroot" "$TEST_TMP/z490.spec" "$TEST_TMP/z490" || exit 1
Z=$TEST_TMP/z490

test_expect_success 'without secondary_bus_number: the port from config space' "
	test ! -e \"\$(ls -d '$Z'/sys/devices/pci0000:00/*/ | head -n 1)secondary_bus_number\" &&
	iommu-groups --root '$Z' --slots -J >out.json &&
	fields out.json >got &&
	lspci_root '$Z' -v -s \$(awk '\$1 == 4 { print \$3 }' got) | grep_q 'secondary=05,' -
"

# read_config TRACE: the functions whose config space was opened, by
# path (libpci) or in the function's directory opened just before.
read_config() {
	awk '/openat2?\([0-9A-Z_]+, "(\/)?sys\/bus\/pci\/devices\// {
		split($0, a, "\""); sub(/.*\//, "", a[2]); dir = a[2]
	}
	/, "config"/ { print dir }
	/\/config"/ { split($0, a, "\""); n = split(a[2], p, "/"); print p[n - 1] }' "$1" | sort -u
}

test_expect_success 'a bridge in D3cold: its config space is not read, its slot not placed' "
	cp -R '$Z' root &&
	echo D3cold >root/sys/bus/pci/devices/0000:00:1b.4/power_state &&
	ASAN_OPTIONS=\${ASAN_OPTIONS:+\$ASAN_OPTIONS:}detect_leaks=0 \\
		strace -f -qq -e trace=open,openat,openat2 -o trace iommu-groups --root root --slots >out &&
	read_config trace >read &&
	grep_q '^0000:00:1c.0\$' read &&
	! grep 1b.4 read &&
	grep_q '^Slot 4: 05:00 behind an unknown port: group unknown (' out &&
	grep_q '^Slot 6: 08:00 behind 00:1c.0: ' out
"

test_done
