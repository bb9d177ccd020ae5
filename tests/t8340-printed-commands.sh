#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Commands passcheck, virtxml-hide and virtxml-hostdev print for the user
# to paste: every word quoted as a POSIX shell needs, judged by running
# them with stand-ins for virt-xml, virsh and reboot that record their
# words.
. "$(dirname "$0")/lib.sh"

D=$TOP/tests/domains
NAME='win10; reboot $(touch pwned) `x` "q" '"'"'s'"'"

# standins: virt-xml, virsh, reboot and chroot in ./bin, each writing its
# arguments one a line to ./calls.
standins() {
	mkdir -p bin &&
	for c in virt-xml virsh reboot touch chroot; do
		printf '#!/bin/sh\n{ echo "%s"; for a; do printf "[%%s]\\n" "$a"; done; } >>"%s/calls"\n' \
			"$c" "$PWD" >bin/$c && chmod +x bin/$c || return 1
	done
}

# named FILE [DOMAIN]: DOMAIN (win10-virsh.xml) with the domain named $NAME.
named() {
	python3 -c '
import re, sys
src, name, dst = sys.argv[1:]
from xml.sax.saxutils import escape
t = re.sub("<name>[^<]*</name>", lambda m: "<name>" + escape(name) + "</name>", open(src).read(), 1)
open(dst, "w").write(t)' "$D/${2:-win10-virsh.xml}" "$NAME" "$1"
}

test_expect_success 'passcheck xml-hostdev: virsh and virtxml-hostdev get the name, the root and the file as one word each' '
	standins && printf "#!/bin/sh\n{ echo virtxml-hostdev; for a; do printf \"[%%s]\\\\n\" \"\$a\"; done; } >>\"%s/calls\"\n" \
		"$PWD" >bin/virtxml-hostdev && chmod +x bin/virtxml-hostdev &&
	mkdir -p "my root" && cp -R "$FIXTURES/z490-guide/." "my root/" &&
	named "my root/my dom.xml" &&
	run passcheck --root "my root" --xml "/my dom.xml" 07:00.0 &&
	grep "^FAIL xml-hostdev:" out >line && cat line &&
	sed "s/^.*of the device and its IOMMU group): //; s/, then /\n/" line >cmd &&
	test $(wc -l <cmd) = 2 && sh -n cmd && PATH=$PWD/bin:$PATH sh -e cmd &&
	run passcheck --root "my root" --xml - 07:00.0 <"my root/my dom.xml" &&
	grep "^FAIL xml-hostdev:" out >line && cat line &&
	sed "s/^.*of the device and its IOMMU group): //; s/ | /\n/g" line >cmd &&
	test $(wc -l <cmd) = 3 && sh -n cmd && PATH=$PWD/bin:$PATH sh -e cmd &&
	cat >want <<-EOF &&
	virtxml-hostdev
	[--root]
	[my root]
	[-i]
	[07:00.0]
	[/my dom.xml]
	chroot
	[my root]
	[virsh]
	[define]
	[/my dom.xml]
	chroot
	[my root]
	[virsh]
	[dumpxml]
	[--inactive]
	[$NAME]
	virtxml-hostdev
	[--root]
	[my root]
	[07:00.0]
	chroot
	[my root]
	[virsh]
	[define]
	[/dev/stdin]
	EOF
	test_cmp want calls
'

test_expect_success 'passcheck xml-guest-slot, functions without a guest address: the --fix it names gets the name, the root and the file as one word each' '
	standins && printf "#!/bin/sh\n{ echo virtxml-hostdev; for a; do printf \"[%%s]\\\\n\" \"\$a\"; done; } >>\"%s/calls\"\n" \
		"$PWD" >bin/virtxml-hostdev && chmod +x bin/virtxml-hostdev &&
	mkdir -p "my root" && cp -R "$FIXTURES/z490-guide/." "my root/" &&
	named "my root/my dom.xml" win10-tabs.xml &&
	run passcheck --root "my root" --xml "/my dom.xml" 07:00.0 &&
	grep "^FAIL xml-guest-slot:" out >line && cat line && grep -q "without a guest address" line &&
	sed "s/^.*expect them on one: //; s/, then /\n/" line >cmd &&
	test $(wc -l <cmd) = 2 && sh -n cmd && PATH=$PWD/bin:$PATH sh -e cmd &&
	run passcheck --root "my root" --xml - 07:00.0 <"my root/my dom.xml" &&
	grep "^FAIL xml-guest-slot:" out >line && cat line &&
	sed "s/^.*expect them on one: //; s/ | /\n/g" line >cmd &&
	test $(wc -l <cmd) = 3 && sh -n cmd && PATH=$PWD/bin:$PATH sh -e cmd &&
	cat >want <<-EOF &&
	virtxml-hostdev
	[--root]
	[my root]
	[-i]
	[--fix]
	[07:00]
	[/my dom.xml]
	chroot
	[my root]
	[virsh]
	[define]
	[/my dom.xml]
	chroot
	[my root]
	[virsh]
	[dumpxml]
	[--inactive]
	[$NAME]
	virtxml-hostdev
	[--root]
	[my root]
	[--fix]
	[07:00]
	chroot
	[my root]
	[virsh]
	[define]
	[/dev/stdin]
	EOF
	test_cmp want calls && test ! -e pwned
'

test_expect_success 'virtxml-hide -i: virsh define and virt-xml get the file and the name as one word each' '
	standins && mkdir -p "my root/etc" && named "my root/etc/w.xml" &&
	run virtxml-hide --root "my root" -i /etc/w.xml && expect_rc 0 && cat out &&
	sed -n "s/^Next: \(.*\), then start the domain.*/\1/p" out >cmd1 &&
	sed -n "s/^.*give it each function of the GPU with \(.*\) (vfio-bind --list shows them)\$/\1/p" out >cmd2 &&
	test -s cmd1 && test -s cmd2 &&
	sh -n cmd1 && sh -n cmd2 &&
	PATH=$PWD/bin:$PATH sh cmd1 && PATH=$PWD/bin:$PATH sh cmd2 &&
	cat >want <<-EOF &&
	chroot
	[my root]
	[virsh]
	[define]
	[/etc/w.xml]
	chroot
	[my root]
	[virt-xml]
	[$NAME]
	[--add-device]
	[--hostdev]
	[BUS:SLOT.FUNC]
	EOF
	test_cmp want calls
'

test_expect_success 'virtxml-hostdev -i: virsh define gets the root and the file as one word each' '
	standins && mkdir -p "my root" && cp -R "$FIXTURES/z490-guide/." "my root/" &&
	mkdir -p "my root/etc/libvirt/qemu" && cp "$D/win10-virsh.xml" "my root/etc/libvirt/qemu/w 1'"'"'s.xml" &&
	run virtxml-hostdev --root "my root" -i 07:00.0 "/etc/libvirt/qemu/w 1'"'"'s.xml" && expect_rc 0 && cat out &&
	sed -n "s/^Next: \(.*\), then start the domain\$/\1/p" out >cmd && test -s cmd &&
	sh -n cmd && PATH=$PWD/bin:$PATH sh cmd &&
	cat >want <<-EOF &&
	chroot
	[my root]
	[virsh]
	[define]
	[/etc/libvirt/qemu/w 1'"'"'s.xml]
	EOF
	test_cmp want calls
'

test_expect_success 'virtxml-hostdev NAME: the virsh pipeline it suggests gets the name and the ROM as one word each' '
	mkdir -p bin "my root" && cp -R "$FIXTURES/z490-guide/." "my root/" &&
	for c in virsh virtxml-hostdev; do
		printf "#!/bin/sh\nf=\"%s/calls.%s.\$1\"\nfor a; do printf \"[%%s]\\\\n\" \"\$a\"; done >\"\$f\"\ncat >/dev/null\n" \
			"$PWD" $c >bin/$c && chmod +x bin/$c || return 1
	done &&
	run virtxml-hostdev --root "my root" --rom "/var/lib/libvirt/vbios/rx 6600'"'"'s.rom" 07:00.0 "$NAME" &&
	expect_rc 3 && cat err &&
	sed -n "s/^virtxml-hostdev: to edit the libvirt domain .*: \(virsh dumpxml .*\)\$/\1/p" err >cmd &&
	test -s cmd && sh -n cmd && PATH=$PWD/bin:$PATH sh cmd </dev/null &&
	cat calls.virsh.dumpxml calls.virtxml-hostdev.07:00.0 calls.virsh.define >got &&
	cat >want <<-EOF &&
	[dumpxml]
	[--inactive]
	[$NAME]
	[07:00.0]
	[--rom]
	[/var/lib/libvirt/vbios/rx 6600'"'"'s.rom]
	[define]
	[/dev/stdin]
	EOF
	test_cmp want got && test ! -e pwned
'

test_expect_success 'passcheck option-rom: the echo names the ROM under a root with a space as one word' '
	mkdir -p "my root" && cp -R "$FIXTURES/z490-guide/." "my root/" &&
	mkdir "my root/sys/bus/pci/devices/0000:07:00.0/rom" &&
	run passcheck --root "my root" 07:00.0 &&
	grep "^SKIP option-rom" out >line && cat line &&
	sed -n "s/^.*(as root: echo 1 > \(.*\), and echo 0 after).*/\1/p" line >word &&
	eval "set -- $(cat word)" && test $# -eq 1 &&
	test "$1" = "my root/sys/bus/pci/devices/0000:07:00.0/rom"
'

test_done
