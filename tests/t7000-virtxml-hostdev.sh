#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# virtxml-hostdev on the guide's host (the guest card 07:00.0/07:00.1) and
# the corpus of domains (tests/domains).  Judges: libvirt's schema
# (virt-xml-validate), libvirt's parser and formatter (virsh on the
# test:///default driver), libvirt's QEMU driver turning the domain into
# QEMU's command line without a daemon (qemu:///embed), Python's XML parser
# for the addresses, and vfio-bind for the set and its refusals.
. "$(dirname "$0")/lib.sh"

Z=$FIXTURES/z490-guide
D=$TOP/tests/domains
[ -d "$Z" ] || skip_all "fixture z490-guide missing"
corpus=$(cd "$D" && ls *.xml | tr '\n' ' ')
# Domains without the card, q35 and i440fx.
plain="win10-virsh.xml win10-etc.xml win10-virt-install.xml no-features.xml hyperv-passthrough.xml"
plain="$plain vendor-existing.xml hidden-already.xml"

# hd ARGS... <FILE: FILE is outside the root, so it comes on standard input.
hd() {
	virtxml-hostdev --root "$Z" "$@"
}

# hostdevs FILE: each PCI hostdev as "HOST -> BUS:SLOT.FUNC [mf]", with
# Python's parser, in document order; a guest address attribute left out
# is 0, as libvirt reads it.
hostdevs() {
	python3 - "$1" <<'EOF'
import sys
import xml.etree.ElementTree as ET
for h in ET.parse(sys.argv[1]).getroot().iter('hostdev'):
    s = h.find('source/address')
    g = h.find('address')
    host = '%04x:%02x:%02x.%x' % tuple(int(s.get(k), 0) for k in ('domain', 'bus', 'slot', 'function'))
    if g is None:
        print(host + ' -> none')
        continue
    guest = '%02x:%02x.%x' % tuple(int(g.get(k, '0'), 0) for k in ('bus', 'slot', 'function'))
    print(host + ' -> ' + guest + (' mf' if g.get('multifunction') == 'on' else ''))
EOF
}

# drop_hostdev FUNC <FILE: FILE without the hostdev of 07:00.FUNC, and its lines.
drop_hostdev() {
	python3 -c '
import re, sys
t = sys.stdin.read()
m = re.search(r"\n *<hostdev mode=.subsystem. [^>]*>\n *<source>\n *<address [^>]*bus=.0x07. slot=.0x00. function=.%s./>.*?</hostdev>" % sys.argv[1], t, re.S)
sys.stdout.write(t[:m.start()] + t[m.end():])' "$1"
}

# libvirt_format FILE: the domain as libvirt's test driver writes it back.
libvirt_format() {
	virsh -q -c test:///default "define '$1'; dumpxml \
'$(xmllint --xpath 'string(/domain/name)' "$1")'"
}

# qemu_argv FILE: libvirt's QEMU driver's command line for FILE, on a copy
# made for TCG as the driver needs it without KVM: type='qemu', no host CPU
# mode, <driver name='vfio'/> in each hostdev (libvirt_qemu_argv, lib.sh).
qemu_argv() {
	sed -e "s/<domain type=\(.\)kvm\(.\)>/<domain type=\1qemu\2>/" -e '/<cpu [^>]*\/>/d' \
	    -e '/<cpu /,/<\/cpu>/d' \
	    -e "/<hostdev mode=.subsystem. type=.pci./a <driver name='vfio'/>" "$1" >tcg.xml &&
	libvirt_qemu_argv tcg.xml >argv &&
	tr ' ' '\n' <argv | sed -n "s/^'\(.*\"driver\":\"vfio-pci\".*\)'$/\1/p"
}

test_expect_success 'the set and the guest slot: the card on one new pcie-root-port, host function numbers' "
	hd 07:00.0 <'$D/win10-virsh.xml' >out.xml &&
	hostdevs out.xml >got &&
	printf '%s\n' '0000:07:00.0 -> 04:00.0 mf' '0000:07:00.1 -> 04:00.1' >expect &&
	test_cmp expect got &&
	test \"\$(xmllint --xpath 'count(//controller[@model=\"pcie-root-port\"][@index=\"4\"])' out.xml)\" = 1
"

test_expect_success 'DEVICE as a function, the slot or the ID gives the same domain' "
	hd 07:00.0 <'$D/win10-virsh.xml' >a.xml &&
	hd 07:00.1 <'$D/win10-virsh.xml' >b.xml &&
	hd 0000:07:00 <'$D/win10-virsh.xml' >c.xml &&
	hd 1002:73ff <'$D/win10-virsh.xml' >d.xml &&
	cmp a.xml b.xml && cmp a.xml c.xml && cmp a.xml d.xml
"

test_expect_success 'every domain of the corpus: valid to the schema, --remove gives it back byte for byte' "
	for f in $corpus; do
		hd 07:00.0 <'$D'/\$f >add.xml && virt-xml-validate add.xml >/dev/null &&
		hd --remove <add.xml >back.xml && cmp back.xml '$D'/\$f || return 1
	done
"

test_expect_success 'every plain domain gets both functions on one guest slot, on no address it used' "
	for f in $plain; do
		hd 07:00.0 <'$D'/\$f >add.xml && hostdevs add.xml | grep '^0000:07:' >got &&
		test \$(wc -l <got) = 2 &&
		a=\$(sed -n 's/^0000:07:00.0 -> \(.*\)\.0 mf$/\1/p' got) && test -n \"\$a\" &&
		grep_q \"^0000:07:00.1 -> \$a.1\$\" got &&
		b=\${a%%:*} s=\${a#*:} &&
		! grep -E \"bus='0x\$b' slot='0x\$s'|bus=\\\"0x\$b\\\" slot=\\\"0x\$s\\\"\" '$D'/\$f || return 1
	done
"

test_expect_success 'i440fx: a free slot of pci.0' "
	hd 07:00.0 <'$D/no-features.xml' >add.xml && hostdevs add.xml >got &&
	printf '%s\n' '0000:07:00.0 -> 00:04.0 mf' '0000:07:00.1 -> 00:04.1' >expect &&
	test_cmp expect got && ! grep_q pcie-root-port add.xml 2>/dev/null
"

test_expect_success 'the libvirt test driver keeps the hostdevs and their addresses' "
	for f in win10-virsh.xml win10-etc.xml no-features.xml; do
		hd 07:00.0 <'$D'/\$f >add.xml && libvirt_format add.xml >lv.xml &&
		hostdevs add.xml >a && hostdevs lv.xml >b && test_cmp a b || return 1
	done
"

test_expect_success 'on what libvirt writes: libvirt writes the result back as it is, --remove gives its text back' "
	for f in $corpus; do
		libvirt_format '$D'/\$f >lv0.xml &&
		hd 07:00.0 <lv0.xml >add.xml 2>/dev/null && libvirt_format add.xml >lv1.xml &&
		test_cmp add.xml lv1.xml &&
		hd --remove <lv1.xml >back.xml && test_cmp lv0.xml back.xml || return 1
	done
"

test_expect_success 'the libvirt QEMU driver: vfio-pci on one bus, functions 0 and 1, multifunction on' "
	hd 07:00.0 <'$D/win10-virsh.xml' >add.xml && qemu_argv add.xml >got &&
	cat >expect <<-\\EOF &&
	{\"driver\":\"vfio-pci\",\"host\":\"0000:07:00.0\",\"id\":\"hostdev0\",\"bus\":\"pci.4\",\"multifunction\":true,\"addr\":\"0x0\"}
	{\"driver\":\"vfio-pci\",\"host\":\"0000:07:00.1\",\"id\":\"hostdev1\",\"bus\":\"pci.4\",\"addr\":\"0x0.0x1\"}
	EOF
	test_cmp expect got &&
	grep_q '\"driver\":\"pcie-root-port\",\"port\":24,\"chassis\":4,\"id\":\"pci.4\",\"bus\":\"pcie.0\",\"addr\":\"0x3\"' argv
"

test_expect_success 'the libvirt QEMU driver: a free root port of the domain, and i440fx' "
	hd 07:00.0 <'$D/win10-etc.xml' >add.xml && qemu_argv add.xml >got &&
	bus=\$(sed -n 's/.*\"host\":\"0000:07:00.0\".*\"bus\":\"\([^\"]*\)\".*/\1/p' got) &&
	test -n \"\$bus\" && test \$(grep -c \"\\\"bus\\\":\\\"\$bus\\\"\" got) = 2 &&
	grep_q '\"host\":\"0000:07:00.1\".*\"addr\":\"0x0.0x1\"' got &&
	hd 07:00.0 <'$D/no-features.xml' >add.xml && qemu_argv add.xml >got &&
	grep_q '\"host\":\"0000:07:00.0\".*\"bus\":\"pci.0\",\"multifunction\":true,\"addr\":\"0x4\"' got &&
	grep_q '\"host\":\"0000:07:00.1\".*\"bus\":\"pci.0\",\"addr\":\"0x4.0x1\"' got
"

test_expect_success 'the libvirt QEMU driver on every plain domain: the card on one bus, functions 0 and 1' "
	for f in $plain; do
		hd 07:00.0 <'$D'/\$f >add.xml && qemu_argv add.xml >got &&
		sed -n 's/.*\"host\":\"0000:07:00\.\\([01]\\)\".*\"bus\":\"\\([^\"]*\\)\".*\"addr\":\"\\([^\"]*\\)\".*/\\1 \\2 \\3/p' got >fns &&
		test \$(wc -l <fns) = 2 &&
		set -- \$(cat fns) && test \$1 = 0 && test \$4 = 1 && test \$2 = \$5 && test \$6 = \$3.0x1 &&
		grep_q '\"host\":\"0000:07:00.0\".*\"multifunction\":true' got || { echo \$f; cat got; return 1; }
	done
"

test_expect_success 'the record names each function with its identity' "
	hd 07:00.0 <'$D/win10-virsh.xml' >add.xml &&
	xmllint --xpath 'string(//*[local-name()=\"hostdev\"][namespace-uri()=\"urn:vfio-utils:domain:1\"]/@added)' add.xml >got &&
	echo '0000:07:00.0/1002:73ff/1462:5022/030000 0000:07:00.1/1002:ab28/1002:ab28/040300' >expect &&
	test_cmp expect got
"

test_expect_success 'a second run changes nothing; --check says so' "
	hd 07:00.0 <'$D/win10-virsh.xml' >add.xml &&
	hd 07:00.0 <add.xml >again.xml && cmp add.xml again.xml &&
	run hd --check 07:00.0 <add.xml && expect_rc 0 &&
	run hd --check 07:00.0 <'$D/win10-virsh.xml' && expect_rc 1 && test ! -s out
"

test_expect_success 'renumbering: a recorded function that is now another device is refused' "
	hd 07:00.0 <'$D/win10-virsh.xml' >add.xml &&
	sed 's|0000:07:00.1/1002:ab28|0000:07:00.1/10de:10f0|' add.xml >moved.xml &&
	run hd --check 07:00.0 <moved.xml && expect_rc 1 &&
	grep_q \"takes 0000:07:00.1, recorded as 10de:10f0/1002:ab28/040300, and it is now 1002:ab28/1002:ab28/040300: the host's PCI numbering changed\" err &&
	run hd 07:00.0 <moved.xml && expect_rc 3 && test ! -s out &&
	run hd --remove <moved.xml && expect_rc 0 && test ! -s err && cmp out '$D/win10-virsh.xml'
"

test_expect_success 'refusals: the same set and messages as vfio-bind, nothing written' "
	cp -R '$Z' root && mkdir -p root/sys/bus/pci/drivers/vfio-pci &&
	for dev in 03:00.0 04:00.0 00:1f.3; do
		run virtxml-hostdev --root root \$dev <'$D/win10-virsh.xml' && expect_rc 3 &&
		test ! -s out && sed '\$d' err >hd.err &&
		tail -n 1 err >last && echo 'virtxml-hostdev: nothing changed; --force adds them anyway' >expect &&
		test_cmp expect last &&
		run vfio-bind --root root -n \$dev && expect_rc 3 &&
		sed -e '\$d' -e 's/^vfio-bind:/virtxml-hostdev:/' err >vb.err &&
		test_cmp vb.err hd.err || return 1
	done
"

test_expect_success '--force adds the refused set: the boot GPU and its audio on one slot' "
	hd --force 03:00.0 <'$D/win10-virsh.xml' >add.xml 2>err &&
	hostdevs add.xml >got &&
	printf '%s\n' '0000:03:00.0 -> 04:00.0 mf' '0000:03:00.1 -> 04:00.1' >expect &&
	test_cmp expect got
"

test_expect_success '--no-multifunction and --rom' "
	hd --no-multifunction --rom /var/lib/libvirt/vbios/rx6600.rom 07:00.0 <'$D/win10-virsh.xml' >add.xml &&
	hostdevs add.xml >got &&
	printf '%s\n' '0000:07:00.0 -> 04:00.0' '0000:07:00.1 -> 04:00.1' >expect &&
	test_cmp expect got &&
	test \"\$(xmllint --xpath 'count(//hostdev/rom[@file=\"/var/lib/libvirt/vbios/rx6600.rom\"])' add.xml)\" = 1 &&
	test \"\$(xmllint --xpath 'string(//hostdev[source/address/@function=\"0x0\"]/rom/following-sibling::*[1]/@type)' add.xml)\" = pci &&
	virt-xml-validate add.xml >/dev/null &&
	hd --remove <add.xml >back.xml && cmp back.xml '$D/win10-virsh.xml'
"

test_expect_success 'a domain with the card on two guest slots is reported; --check fails' "
	run hd 07:00.0 <'$D/win11-virsh.xml' && expect_rc 0 && cmp out '$D/win11-virsh.xml' &&
	grep_q \"'standard input' has the functions of the card at 0000:07:00 on more than one guest slot\" err &&
	run hd --check 07:00.0 <'$D/win11-virsh.xml' && expect_rc 1
"

test_expect_success '--fix moves the card to the guest slot of its first function, judged by libvirt' "
	run hd --fix 07:00.0 <'$D/win11-virsh.xml' && expect_rc 0 && test ! -s err &&
	mv out fixed.xml && hostdevs fixed.xml >got &&
	printf '%s\n' '0000:07:00.0 -> 04:00.0 mf' '0000:07:00.1 -> 04:00.1' >expect && test_cmp expect got &&
	virt-xml-validate fixed.xml >/dev/null &&
	qemu_argv fixed.xml >got && test \$(grep -c '\"bus\":\"pci.4\"' got) = 2 &&
	run hd --check 07:00.0 <fixed.xml && expect_rc 0 &&
	run hd --check --fix 07:00.0 <'$D/win11-virsh.xml' && expect_rc 1
"

test_expect_success 'functions without a guest address are reported: libvirt would part them; --check fails' "
	run hd 07:00.0 <'$D/win10-tabs.xml' && expect_rc 0 && cmp out '$D/win10-tabs.xml' &&
	grep_q \"'standard input' has functions of the card at 0000:07:00 without a guest address: libvirt puts each on a slot of its own; --fix puts them on one\$\" err &&
	qemu_argv '$D/win10-tabs.xml' >got && test \$(sed -n 's/.*\"bus\":\"\\([^\"]*\\)\".*/\\1/p' got | sort -u | wc -l) = 2 &&
	run hd --check 07:00.0 <'$D/win10-tabs.xml' && expect_rc 1
"

test_expect_success '--fix gives functions without a guest address one slot, judged by libvirt' "
	run hd --fix 07:00.0 <'$D/win10-tabs.xml' && expect_rc 0 && test ! -s err &&
	mv out fixed.xml && hostdevs fixed.xml >got &&
	printf '%s\n' '0000:07:00.0 -> 01:00.0 mf' '0000:07:00.1 -> 01:00.1' >expect && test_cmp expect got &&
	test \"\$(xmllint --xpath 'count(//controller[@model=\"pcie-root-port\"][@index=\"1\"])' fixed.xml)\" = 1 &&
	virt-xml-validate fixed.xml >/dev/null &&
	libvirt_format fixed.xml >lv.xml && hostdevs lv.xml >got && test_cmp expect got &&
	qemu_argv fixed.xml >got &&
	grep_q '\"host\":\"0000:07:00.0\",\"id\":\"hostdev0\",\"bus\":\"pci.1\",\"multifunction\":true,\"addr\":\"0x0\"' got &&
	grep_q '\"host\":\"0000:07:00.1\",\"id\":\"hostdev1\",\"bus\":\"pci.1\",\"addr\":\"0x0.0x1\"' got &&
	run hd --check 07:00.0 <fixed.xml && expect_rc 0 && test ! -s err &&
	run hd --check --fix 07:00.0 <'$D/win10-tabs.xml' && expect_rc 1 &&
	hd --fix 07:00.0 <fixed.xml >again.xml && cmp fixed.xml again.xml
"

test_expect_success '--fix: a function without a guest address goes beside function 0, multifunction turned on' "
	hd 07:00.0 <'$D/win10-virsh.xml' >add.xml &&
	sed -e \"/bus='0x04' slot='0x00' function='0x1'/d\" -e \"/bus='0x04' slot='0x00' function='0x0'/s/ multifunction='on'//\" add.xml >bare.xml &&
	hostdevs bare.xml >got && printf '%s\n' '0000:07:00.0 -> 04:00.0' '0000:07:00.1 -> none' >expect &&
	test_cmp expect got &&
	run hd 07:00.0 <bare.xml && expect_rc 0 && cmp out bare.xml &&
	grep_q 'without a guest address: libvirt puts each on a slot of its own; --fix puts them on one' err &&
	qemu_argv bare.xml >got && test \$(sed -n 's/.*\"bus\":\"\\([^\"]*\\)\".*/\\1/p' got | sort -u | wc -l) = 2 &&
	run hd --check 07:00.0 <bare.xml && expect_rc 1 &&
	hd --fix 07:00.0 <bare.xml >fixed.xml && cmp add.xml fixed.xml &&
	sed \"s/<address type='pci' domain='0x0000' bus='0x04' slot='0x00' function='0x1'\\/>/<address type='pci'\\/>/\" add.xml >part.xml &&
	! cmp -s part.xml add.xml &&
	hd --fix 07:00.0 <part.xml >fixed.xml && cmp add.xml fixed.xml &&
	hd --remove <fixed.xml >back.xml && cmp back.xml '$D/win10-virsh.xml'
"

# short FILE ADDRESS: FILE, what an add wrote, with 07:00.1's guest address
# written ADDRESS.
short() {
	sed "s|<address type='pci' domain='0x0000' bus='0x04' slot='0x00' function='0x1'/>|$2|" "$1"
}

test_expect_success 'a guest address with attributes left out is where libvirt puts it (those 0): on the card'"'"'s slot, nothing to do' "
	hd 07:00.0 <'$D/win10-virsh.xml' >add.xml &&
	short add.xml \"<address type='pci' bus='0x04' function='0x1'/>\" >short.xml &&
	! cmp -s short.xml add.xml &&
	qemu_argv short.xml >got &&
	grep_q '\"host\":\"0000:07:00.0\",\"id\":\"hostdev0\",\"bus\":\"pci.4\",\"multifunction\":true,\"addr\":\"0x0\"' got &&
	grep_q '\"host\":\"0000:07:00.1\",\"id\":\"hostdev1\",\"bus\":\"pci.4\",\"addr\":\"0x0.0x1\"' got &&
	run hd 07:00.0 <short.xml && expect_rc 0 && cmp out short.xml && test ! -s err &&
	run hd --check 07:00.0 <short.xml && expect_rc 0 && test ! -s err &&
	run hd --fix 07:00.0 <short.xml && expect_rc 0 && cmp out short.xml && test ! -s err &&
	drop_hostdev 0x1 <add.xml | sed \"s|<address type='pci' domain='0x0000' bus='0x04' slot='0x00' function='0x0' multifunction='on'/>|<address type='pci' bus='0x04'/>|\" >half.xml &&
	grep_q \"<address type='pci' bus='0x04'/>\" half.xml &&
	hd 07:00.0 <half.xml >full.xml && hostdevs full.xml >got &&
	printf '%s\n' '0000:07:00.0 -> 04:00.0' '0000:07:00.1 -> 04:00.1' >expect && test_cmp expect got &&
	qemu_argv full.xml >got && test \$(grep -c '\"bus\":\"pci.4\"' got) = 2
"

test_expect_success 'a short guest address on another slot than function 0: reported apart, not as none; --fix moves it, judged by libvirt' "
	hd 07:00.0 <'$D/win10-virsh.xml' >add.xml &&
	for a in \"<address type='pci' bus='0x03' function='0x1'/>\" \"<address type='pci' slot='0x05' function='0x1'/>\"; do
		short add.xml \"\$a\" >apart.xml && ! cmp -s apart.xml add.xml &&
		qemu_argv apart.xml >got && test \$(sed -n 's/.*\"bus\":\"\\([^\"]*\\)\".*/\\1/p' got | sort -u | wc -l) = 2 &&
		run hd 07:00.0 <apart.xml && expect_rc 0 && cmp out apart.xml &&
		grep_q \"'standard input' has the functions of the card at 0000:07:00 on more than one guest slot\" err &&
		! grep_q 'without a guest address' err &&
		run hd --check 07:00.0 <apart.xml && expect_rc 1 &&
		run hd --fix 07:00.0 <apart.xml && expect_rc 0 && test ! -s err && mv out fixed.xml &&
		hostdevs fixed.xml >got &&
		printf '%s\n' '0000:07:00.0 -> 04:00.0 mf' '0000:07:00.1 -> 04:00.1' >expect && test_cmp expect got &&
		virt-xml-validate fixed.xml >/dev/null &&
		qemu_argv fixed.xml >got &&
		grep_q '\"host\":\"0000:07:00.1\",\"id\":\"hostdev1\",\"bus\":\"pci.4\",\"addr\":\"0x0.0x1\"' got &&
		run hd --check 07:00.0 <fixed.xml && expect_rc 0 || return 1
	done
"

test_expect_success '--fix: the function without a guest address and the one the domain lacks, on one slot' "
	python3 -c '
import re, sys
t = sys.stdin.read()
m = re.search(r\"\\n\\s*<hostdev [^>]*>\\s*<source>\\s*<address [^>]*function=.0x1./>.*?</hostdev>\", t, re.S)
sys.stdout.write(t[:m.start()] + t[m.end():])' <'$D/win10-tabs.xml' >half.xml &&
	hostdevs half.xml >got && echo '0000:07:00.0 -> none' >expect && test_cmp expect got &&
	run hd 07:00.0 <half.xml && expect_rc 0 && grep_q 'without a guest address' err &&
	run hd --fix 07:00.0 <half.xml && expect_rc 0 && test ! -s err && mv out fixed.xml &&
	hostdevs fixed.xml >got &&
	printf '%s\n' '0000:07:00.0 -> 01:00.0 mf' '0000:07:00.1 -> 01:00.1' >expect && test_cmp expect got &&
	virt-xml-validate fixed.xml >/dev/null &&
	qemu_argv fixed.xml >got && test \$(grep -c '\"bus\":\"pci.1\"' got) = 2
"

test_expect_success 'a domain with function 0 gets function 1 on the same guest slot' "
	hd 07:00.0 <'$D/win10-virsh.xml' >add.xml &&
	drop_hostdev 0x1 <add.xml >half.xml &&
	hostdevs half.xml >got && echo '0000:07:00.0 -> 04:00.0 mf' >expect && test_cmp expect got &&
	hd 07:00.0 <half.xml >full.xml && hostdevs full.xml >got &&
	printf '%s\n' '0000:07:00.0 -> 04:00.0 mf' '0000:07:00.1 -> 04:00.1' >expect && test_cmp expect got &&
	sed \"s/ multifunction='on'//\" half.xml >plain0.xml &&
	hd 07:00.0 <plain0.xml >full.xml && hostdevs full.xml >got &&
	printf '%s\n' '0000:07:00.0 -> 04:00.0' '0000:07:00.1 -> 04:00.1' >expect && test_cmp expect got &&
	qemu_argv full.xml >got &&
	grep_q '\"host\":\"0000:07:00.0\",\"id\":\"hostdev0\",\"bus\":\"pci.4\",\"multifunction\":true,\"addr\":\"0x0\"' got
"

test_expect_success '-i: in place, the next step named; -n shows the diff and changes nothing' "
	cp '$D/win10-virsh.xml' dom.xml &&
	run virtxml-hostdev --root '$Z' -n 07:00.0 \"\$PWD/dom.xml\" && expect_rc 3 &&
	grep_q \"could not open '$Z\$PWD/dom.xml'\" err &&
	run hd -n 07:00.0 - <dom.xml && expect_rc 0 && grep_q '^+    <hostdev mode=' out &&
	cmp dom.xml '$D/win10-virsh.xml' &&
	cp -R '$Z' r && cp dom.xml r/dom.xml &&
	run virtxml-hostdev --root r -i 07:00.0 /dom.xml && expect_rc 0 &&
	grep_q \"^updated 'r/dom.xml'\$\" out &&
	grep_q '^Next: chroot r virsh define /dom.xml, then start the domain' out &&
	hd 07:00.0 <dom.xml >expect && test_cmp expect r/dom.xml &&
	run virtxml-hostdev --root r -i 07:00.0 /dom.xml && expect_rc 0 &&
	grep_q 'already has every function virtxml-hostdev would add; nothing changed' out
"

test_done
