#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# vfio-bind on copies of fixture sysroots: what it would write to sysfs,
# what it refuses, and the boot configuration judged by kmod's own parser.
# Real binding is tested in a real kernel: t2100-vfio-bind-vm.sh.
. "$(dirname "$0")/lib.sh"

Z=$FIXTURES/z490-guide
[ -d "$Z" ] || skip_all "fixture z490-guide missing"

# A writable copy of the guide's host with vfio-pci loaded.
guide() {
	cp -R "$Z" root &&
	mkdir -p root/sys/bus/pci/drivers/vfio-pci
}

# modprobe's view of the root's modprobe.d, options and softdeps only.
showconfig() {
	modprobe -C root/etc/modprobe.d --showconfig |
		grep -E '^(options (vfio_pci|kvm) |softdep |install )' | sort
}

test_expect_success 'dry run: the sysfs writes for the card, in order, nothing changed' "
	guide && cp -R root before &&
	run vfio-bind --root root -n 07:00.0 && expect_rc 0 &&
	cat >expect <<EOF &&
echo vfio-pci > root/sys/bus/pci/devices/0000:07:00.0/driver_override
echo 0000:07:00.0 > root/sys/bus/pci/drivers/\$(basename \$(readlink root/sys/bus/pci/devices/0000:07:00.0/driver))/unbind
echo 0000:07:00.0 > root/sys/bus/pci/drivers_probe
echo vfio-pci > root/sys/bus/pci/devices/0000:07:00.1/driver_override
echo 0000:07:00.1 > root/sys/bus/pci/drivers/\$(basename \$(readlink root/sys/bus/pci/devices/0000:07:00.1/driver))/unbind
echo 0000:07:00.1 > root/sys/bus/pci/drivers_probe
EOF
	test_cmp expect out && same_tree before root
"

test_expect_success 'the HDMI audio in a group of its own is taken with the card' "
	guide &&
	test \"\$(basename \$(readlink root/sys/bus/pci/devices/0000:07:00.1/iommu_group))\" != \
	     \"\$(basename \$(readlink root/sys/bus/pci/devices/0000:07:00.0/iommu_group))\" &&
	vfio-bind --root root -n 07:00.0 >out && grep_q '0000:07:00.1/driver_override' out
"

test_expect_success 'a vendor:device ID that one device has names it' "
	guide &&
	vfio-bind --root root -n 07:00.0 >a && vfio-bind --root root -n 1002:73ff >b &&
	test_cmp a b
"

test_expect_success 'an ID two devices have: both listed, nothing done' "
	guide && cp -R root before &&
	run vfio-bind --root root 1002:ab28 && expect_rc 3 && test ! -s out &&
	grep_q \"^vfio-bind: 2 devices have ID '1002:ab28'; name one by address:\" err &&
	grep_q '^  03:00.1 Audio device' err && grep_q '^  07:00.1 Audio device' err &&
	same_tree before root
"

test_expect_success 'the boot VGA device is refused, --handover named, nothing done' "
	guide && cp -R root before &&
	run vfio-bind --root root 03:00.0 && expect_rc 3 && test ! -s out &&
	cat >expect <<EOF &&
vfio-bind: 0000:03:00.0 is the boot VGA device: the firmware and the console use it, and the host may have no display left
vfio-bind: nothing changed; --handover takes the boot VGA device from the host's display, --force binds anyway
EOF
	test_cmp expect err && same_tree before root
"

test_expect_success '--force overrides the refusal' "
	guide &&
	run vfio-bind --root root --force -n 03:00.0 && expect_rc 0 &&
	grep_q '0000:03:00.0/driver_override' out
"

test_expect_success 'a bridge is refused' "
	guide &&
	run vfio-bind --root root 00:01.0 && expect_rc 3 &&
	grep_q '^vfio-bind: 0000:00:01.0 is a PCI bridge' err
"

test_expect_success 'a group shared with another device is refused, naming it' "
	guide &&
	g=\$(basename \$(readlink root/sys/bus/pci/devices/0000:07:00.0/iommu_group)) &&
	dev=root/sys/devices/pci0000:00/0000:00:1f.6 &&
	mkdir -p \$dev &&
	cp root/sys/bus/pci/devices/0000:07:00.0/vendor root/sys/bus/pci/devices/0000:07:00.0/revision \$dev/ &&
	echo 0x15f3 >\$dev/device && echo 0x020000 >\$dev/class &&
	echo 0x8086 >\$dev/vendor &&
	ln -s ../../../devices/pci0000:00/0000:00:1f.6 root/sys/bus/pci/devices/0000:00:1f.6 &&
	ln -s ../../../kernel/iommu_groups/\$g \$dev/iommu_group &&
	cp -R root before &&
	run vfio-bind --root root 07:00.0 && expect_rc 3 && test ! -s out &&
	grep_q \"^vfio-bind: IOMMU group \$g of 0000:07:00.0 also holds 00:1f.6 Ethernet controller\" err &&
	same_tree before root
"

test_expect_success 'no IOMMU groups: refused' "
	O=\$FIXTURES/iommu-off &&
	test -d \"\$O\" && cp -R \"\$O\" root &&
	slot=\$(ls root/sys/bus/pci/devices | head -n 1) &&
	run vfio-bind --root root \$slot && expect_rc 3 &&
	grep_q '^vfio-bind: no IOMMU groups in' err
"

test_expect_success 'vfio-pci not loaded under another root: an error, not a modprobe' "
	cp -R '$Z' root && rm -rf root/sys/bus/pci/drivers/vfio-pci &&
	run vfio-bind --root root 07:00.0 && expect_rc 3 &&
	grep_q \"vfio-pci is not loaded in 'root/sys/bus/pci/drivers'\" err
"

test_expect_success 'vfio-pci not loaded under another root: -n shows the plan all the same' "
	guide && vfio-bind --root root -n 07:00.0 >loaded &&
	rm -rf root && cp -R '$Z' root && rm -rf root/sys/bus/pci/drivers/vfio-pci && cp -R root before &&
	run vfio-bind --root root -n 07:00.0 && expect_rc 0 && test ! -s err &&
	echo \"# vfio-pci is not loaded in 'root/sys/bus/pci/drivers': it would be loaded first (modprobe vfio-pci)\" >expect &&
	cat loaded >>expect && test_cmp expect out &&
	run vfio-bind --root root -n -J 07:00.0 && expect_rc 0 &&
	test_cmp expect err && grep_q '\"action\": \"bound\"' out &&
	run vfio-bind --root root --persist --now -n 07:00.0 && expect_rc 0 &&
	grep_q '^# vfio-pci is not loaded' out && grep_q '^echo vfio-pci > root/sys/bus/pci/devices/0000:07:00.1/driver_override\$' out &&
	same_tree before root
"

test_expect_success 'bad device arguments' "
	guide &&
	for a in ../../etc/passwd 07:00.0/.. 07:20 07: 07:00/ zz:00.0 1002 1002:73ff0 ''; do
		run vfio-bind --root root \"\$a\" && expect_rc 2 &&
		grep_q \"^vfio-bind: invalid device '\$a': expected\" err || return 1
	done &&
	run vfio-bind --root root 0000:99:00.0 && expect_rc 3 &&
	grep_q \"^vfio-bind: no PCI device at '0000:99:00.0'\" err &&
	run vfio-bind --root root 0000:99:00 && expect_rc 3 &&
	grep_q \"^vfio-bind: no PCI device at '0000:99:00'\" err &&
	run vfio-bind --root root ffff:ffff && expect_rc 3 &&
	grep_q \"^vfio-bind: no PCI device with ID 'ffff:ffff'\" err &&
	run vfio-bind --root root && expect_rc 2 && grep_q 'no device given' err
"

test_expect_success '--check: 1 while not on vfio-pci, 0 once bound' "
	guide &&
	run vfio-bind --root root --check 07:00.0 && expect_rc 1 && test ! -s out &&
	for f in 07:00.0 07:00.1; do
		ln -sfn ../../../bus/pci/drivers/vfio-pci root/sys/bus/pci/devices/0000:\$f/driver || return 1
	done &&
	run vfio-bind --root root --check 07:00.0 && expect_rc 0 && test ! -s out
"

test_expect_success '--list shows what is on vfio-pci or overridden' "
	guide &&
	ln -sfn ../../../bus/pci/drivers/vfio-pci root/sys/bus/pci/devices/0000:07:00.0/driver &&
	echo vfio-pci >root/sys/bus/pci/devices/0000:07:00.1/driver_override &&
	vfio-bind --root root --list >out &&
	test \$(wc -l <out) -eq 2 &&
	grep_q '^IOMMU Group [0-9]*: 07:00.0 VGA .* driver=vfio-pci\$' out &&
	grep_q '^IOMMU Group [0-9]*: 07:00.1 Audio .* override=vfio-pci\$' out &&
	vfio-bind --root root --list -J | python3 -c '
import json, sys
d = json.load(sys.stdin)[\"devices\"]
assert [x[\"address\"] for x in d] == [\"0000:07:00.0\", \"0000:07:00.1\"], d
assert d[0][\"driver\"] == \"vfio-pci\" and d[1][\"driver_override\"] == \"vfio-pci\", d
'
"

test_expect_success '--list: what binds at boot, read as kmod reads modprobe.d' "
	guide && cp -R root before &&
	vfio-bind --root root --persist 07:00.0 >/dev/null &&
	run vfio-bind --root root --list && expect_rc 0 && test ! -s err &&
	test \$(wc -l <out) -eq 2 &&
	grep_q \"^At boot: IOMMU Group [0-9]*: 07:00.0 VGA .* by ids=1002:73ff ('root/etc/modprobe.d/vfio.conf' line [0-9]*)\\\$\" out &&
	grep_q \"^At boot: IOMMU Group [0-9]*: 07:00.1 Audio .* by address ('root/etc/modprobe.d/vfio.conf' line [0-9]*)\\\$\" out &&
	modprobe -C root/etc/modprobe.d --showconfig | sed -n 's/^options vfio_pci ids=//p' >kmod.ids &&
	sed -n 's/.* by ids=\([^ ]*\) .*/\1/p' out >listed.ids && test_cmp kmod.ids listed.ids &&
	n=\$(sed -n 's/^At boot: .* 07:00.0 .* line \([0-9]*\))\$/\1/p' out) &&
	sed -n \"\${n}p\" root/etc/modprobe.d/vfio.conf | grep_q '^options vfio-pci ids=1002:73ff\$' - &&
	n=\$(sed -n 's/^At boot: .* 07:00.1 .* line \([0-9]*\))\$/\1/p' out) &&
	sed -n \"\${n}p\" root/etc/modprobe.d/vfio.conf | grep_q '^install vfio-pci .*0000:07:00.1=0x1002:0xab28' - &&
	vfio-bind --root root --list -J >json &&
	python3 - json <<'PY' &&
import json, sys
d = json.load(open(sys.argv[1]))
assert d[\"devices\"] == [], d
b = d[\"boot\"]
assert [x[\"address\"] for x in b] == [\"0000:07:00.0\", \"0000:07:00.1\"], b
assert [x[\"by\"] for x in b] == [\"ids\", \"address\"], b
assert b[0][\"ids\"] == \"1002:73ff\" and b[1][\"ids\"] is None, b
assert {x[\"file\"] for x in b} == {\"/etc/modprobe.d/vfio.conf\"}, b
assert all(isinstance(x[\"line\"], int) and isinstance(x[\"group\"], int) for x in b), b
PY
	vfio-bind --root root --unbind --persist 07:00.0 >/dev/null &&
	run vfio-bind --root root --list && expect_rc 1 && test ! -s out
"

test_expect_success '--list: ids= set by another file takes every device with the ID, as the kernel does' "
	guide && mkdir -p root/etc/modprobe.d &&
	echo 'options vfio-pci ids=1002:ab28' >root/etc/modprobe.d/gpu.conf &&
	ln -sfn ../../../bus/pci/drivers/vfio-pci root/sys/bus/pci/devices/0000:07:00.0/driver &&
	run vfio-bind --root root --list && expect_rc 0 &&
	test \$(wc -l <out) -eq 3 &&
	grep_q '^IOMMU Group [0-9]*: 07:00.0 VGA .* driver=vfio-pci\$' out &&
	sed -n 2p out | grep_q \"^At boot: .* 03:00.1 Audio .* by ids=1002:ab28 ('root/etc/modprobe.d/gpu.conf' line 1)\\\$\" - &&
	sed -n 3p out | grep_q \"^At boot: .* 07:00.1 Audio .* by ids=1002:ab28 ('root/etc/modprobe.d/gpu.conf' line 1)\\\$\" -
"

test_expect_success '--list: an unreadable vfio.conf is an error naming it' "
	guide && mkdir -p root/etc/modprobe.d/vfio.conf &&
	run vfio-bind --root root --list && expect_rc 3 && test ! -s out &&
	grep_q \"root/etc/modprobe.d/vfio.conf\" err
"

# Boot configuration.

test_expect_success '--persist: ids, softdeps and the by-address hook, as modprobe reads them' "
	guide &&
	run vfio-bind --root root --persist 07:00.0 && expect_rc 0 &&
	showconfig >got &&
	vga_mod=\$(basename \$(readlink root/sys/bus/pci/drivers/\$(basename \$(readlink root/sys/bus/pci/devices/0000:07:00.0/driver))/module)) &&
	aud_mod=\$(basename \$(readlink root/sys/bus/pci/drivers/\$(basename \$(readlink root/sys/bus/pci/devices/0000:07:00.1/driver))/module)) &&
	cat >expect <<EOF &&
install vfio_pci for a in 0000:07:00.1=0x1002:0xab28; do d=/sys/bus/pci/devices/\\\${a%=*}; [ \"\\\$(cat \\\$d/vendor 2>/dev/null):\\\$(cat \\\$d/device 2>/dev/null)\" = \"\\\${a#*=}\" ] && echo vfio-pci >\\\$d/driver_override; done; /sbin/modprobe --ignore-install vfio-pci \\\$CMDLINE_OPTS
options vfio_pci ids=1002:73ff
softdep \$vga_mod pre: vfio-pci
softdep \$aud_mod pre: vfio-pci
EOF
	sort expect >expect.sorted && test_cmp expect.sorted got &&
	grep_q '0000:07:00.1: 1002:ab28 is also the ID of 0000:03:00.1, which stays on the host' out &&
	grep_q '^Next: initramfs-vfio' out
"

test_expect_success '--persist never writes kvm.ignore_msrs on vfio-pci; --ignore-msrs writes it for kvm' "
	guide &&
	vfio-bind --root root --persist --ignore-msrs 07:00.0 >/dev/null &&
	! grep -r -F 'kvm.ignore_msrs' root/etc &&
	showconfig | grep_q '^options kvm ignore_msrs=1\$' -
"

test_expect_success '--unbind --persist --ignore-msrs: kvm ignore_msrs while a function stays, gone with the last' "
	guide &&
	vfio-bind --root root --persist 07:00.0 >/dev/null &&
	vfio-bind --root root --persist --force 00:1f.3 >/dev/null 2>&1 &&
	vfio-bind --root root --unbind --persist --ignore-msrs 00:1f.3 >/dev/null &&
	showconfig >got &&
	grep_q '^options kvm ignore_msrs=1\$' got && grep_q '^options vfio_pci ids=1002:73ff\$' got &&
	vfio-bind --root root --unbind --persist --ignore-msrs 07:00.0 >/dev/null &&
	showconfig >got && ! grep -q 'ignore_msrs' got && ! grep -q '^options vfio_pci' got
"

# What modprobe runs for `install vfio-pci`, with the sysfs paths moved
# under ./root and modprobe itself replaced by true.
install_command() {
	modprobe -C root/etc/modprobe.d --showconfig | sed -n 's/^install vfio_pci //p' |
		sed -e "s|/sys/|$PWD/root/sys/|g" -e 's|/sbin/modprobe .*|true|'
}

test_expect_success 'the install command claims by address, and only the recorded device' "
	guide &&
	vfio-bind --root root --persist 07:00.0 >/dev/null &&
	install_command >script && test -s script &&
	dash script &&
	test \"\$(cat root/sys/bus/pci/devices/0000:07:00.1/driver_override)\" = vfio-pci &&
	test \"\$(cat root/sys/bus/pci/devices/0000:03:00.1/driver_override)\" = '(null)' &&
	echo '(null)' >root/sys/bus/pci/devices/0000:07:00.1/driver_override &&
	echo 0x1234 >root/sys/bus/pci/devices/0000:07:00.1/device &&
	dash script &&
	test \"\$(cat root/sys/bus/pci/devices/0000:07:00.1/driver_override)\" = '(null)'
"

test_expect_success '--persist twice: the same bytes, and it says so' "
	guide &&
	vfio-bind --root root --persist 07:00.0 >/dev/null &&
	cp root/etc/modprobe.d/vfio.conf first &&
	run vfio-bind --root root --persist 07:00.0 && expect_rc 0 &&
	cmp first root/etc/modprobe.d/vfio.conf &&
	grep_q 'already says this; nothing changed' out
"

test_expect_success '--persist --check: 1 before, 0 after, nothing printed or written' "
	guide &&
	run vfio-bind --root root --persist --check 07:00.0 && expect_rc 1 && test ! -s out &&
	test ! -e root/etc/modprobe.d/vfio.conf &&
	vfio-bind --root root --persist 07:00.0 >/dev/null &&
	run vfio-bind --root root --persist --check 07:00.0 && expect_rc 0 && test ! -s out
"

test_expect_success '--persist -n: a diff that patch turns into what --persist writes' "
	guide && mkdir -p root/etc/modprobe.d &&
	printf '# local settings\noptions snd_hda_intel power_save=0\n' >root/etc/modprobe.d/vfio.conf &&
	cp -R root dry &&
	run vfio-bind --root dry --persist -n 07:00.0 && expect_rc 0 &&
	sed -n '/^--- a\\/etc\\/modprobe.d\\/vfio.conf/,\$p' out >conf.diff &&
	vfio-bind --root root --persist 07:00.0 >/dev/null &&
	(cd dry && patch -s -p1 <../conf.diff) &&
	cmp dry/etc/modprobe.d/vfio.conf root/etc/modprobe.d/vfio.conf &&
	test ! -e dry/etc/vfio-utils
"

test_expect_success '--unbind --persist gives back the file as it was' "
	guide && mkdir -p root/etc/modprobe.d &&
	printf '# local settings\noptions snd_hda_intel power_save=0\n' >root/etc/modprobe.d/vfio.conf &&
	cp root/etc/modprobe.d/vfio.conf orig &&
	vfio-bind --root root --persist --ignore-msrs 07:00.0 >/dev/null &&
	! cmp -s orig root/etc/modprobe.d/vfio.conf &&
	vfio-bind --root root --unbind --persist 07:00.0 >/dev/null &&
	cmp orig root/etc/modprobe.d/vfio.conf &&
	test ! -e root/etc/vfio-utils
"

test_expect_success '--unbind --persist removes a file that held only the block' "
	guide &&
	vfio-bind --root root --persist 07:00.0 >/dev/null &&
	run vfio-bind --root root --unbind --persist 07:00.0 && expect_rc 0 &&
	test ! -e root/etc/modprobe.d/vfio.conf &&
	grep_q \"^removed 'root/etc/modprobe.d/vfio.conf'\" out
"

test_expect_success 'another ids= for vfio-pci, as in the guide, is refused, naming the line' "
	guide && mkdir -p root/etc/modprobe.d &&
	printf 'softdep amdgpu pre: vfio-pci\noptions vfio-pci ids=1002:73ff,1002:ab28 disable_vga=1\n' \
		>root/etc/modprobe.d/vfio.conf &&
	cp root/etc/modprobe.d/vfio.conf orig &&
	run vfio-bind --root root --persist 07:00.0 && expect_rc 3 &&
	grep_q \"^vfio-bind: 'root/etc/modprobe.d/vfio.conf' line 2 already sets vfio-pci ids\" err &&
	cmp orig root/etc/modprobe.d/vfio.conf && test ! -e root/etc/vfio-utils
"

test_expect_success 'vfio-pci built into the kernel: the kernel parameter instead, nothing written' "
	guide &&
	mkdir -p root/proc/sys/kernel root/lib/modules/6.1.0-test &&
	echo 6.1.0-test >root/proc/sys/kernel/osrelease &&
	echo kernel/drivers/vfio/pci/vfio-pci.ko >root/lib/modules/6.1.0-test/modules.builtin &&
	run vfio-bind --root root --persist 07:00.0 && expect_rc 3 &&
	grep_q 'vfio-pci is built into kernel 6.1.0-test' err &&
	grep_q 'kcmdline-edit --add vfio-pci.ids=1002:73ff,1002:ab28' err &&
	test ! -e root/etc/modprobe.d/vfio.conf
"

test_expect_success 'a function already on vfio-pci: its host module from modules.alias' "
	guide &&
	ln -sfn ../../../bus/pci/drivers/vfio-pci root/sys/bus/pci/devices/0000:07:00.0/driver &&
	echo 'pci:v00001002d000073FFsv00001462sd00005023bc03sc00i00' >root/sys/bus/pci/devices/0000:07:00.0/modalias &&
	mkdir -p root/proc/sys/kernel root/lib/modules/6.1.0-test &&
	echo 6.1.0-test >root/proc/sys/kernel/osrelease &&
	printf 'alias pci:v00001002d*sv*sd*bc03sc*i* amdgpu\nalias pci:v*d*sv*sd*bc03sc00i00 vgadrv\n' \
		>root/lib/modules/6.1.0-test/modules.alias &&
	: >root/lib/modules/6.1.0-test/modules.builtin &&
	vfio-bind --root root --persist 07:00.0 >/dev/null &&
	showconfig | grep_q '^softdep amdgpu pre: vfio-pci\$' -
"

test_expect_success 'a modprobe.d that cannot be made: an error naming it, nothing written' "
	guide && mkdir -p root/etc &&
	: >root/etc/modprobe.d && cp -R root before &&
	run vfio-bind --root root --persist 07:00.0 && expect_rc 3 &&
	grep_q \"could not read 'root/etc/modprobe.d/vfio.conf': Not a directory\" err &&
	same_tree before root
"

test_expect_success 'bad option combinations are usage errors' "
	run vfio-bind --now 07:00.0 && expect_rc 2 && grep_q 'now goes with --persist' err &&
	run vfio-bind --ignore-msrs 07:00.0 && expect_rc 2 &&
	run vfio-bind -J -n --check 07:00.0 && expect_rc 2 && test ! -s out &&
	run vfio-bind --list 07:00.0 && expect_rc 2 &&
	run vfio-bind -n --check 07:00.0 && expect_rc 2
"

# What the host uses.  z490-guide: the Samsung NVMe 04:00.0 holds /boot, /
# and swap, the WD NVMe 0a:00.0 holds /home in a LUKS mapping, the I225-V
# 08:00.0 carries the IPv4 default route and a connection, the Wi-Fi
# 09:00.0 the IPv6 ones.  server-sriov: LVM on the SATA disk holds / and
# swap; the E810 port 17:00.0 is in the bridge br0 that carries the routes.
S=$FIXTURES/server-sriov

# refused ARGS...: vfio-bind refuses with the lines of file expect (then
# the closing line), prints nothing, and leaves the root as it was.
refused() {
	cp -R root before &&
	run vfio-bind --root root "$@" && expect_rc 3 && test ! -s out &&
	echo 'vfio-bind: nothing changed; --force binds anyway' >>expect &&
	test_cmp expect err && same_tree before root
}

test_expect_success 'in use: file systems and swap on the NVMe, one line each, nothing done' "
	guide &&
	cat >expect <<EOF &&
vfio-bind: 0000:04:00.0 is in use by the host: swap on /dev/nvme0n1p3
vfio-bind: 0000:04:00.0 is in use by the host: /dev/nvme0n1p1 is mounted on /boot
vfio-bind: 0000:04:00.0 is in use by the host: /dev/nvme0n1p2 is mounted on /
EOF
	refused 04:00.0
"

test_expect_success 'in use: the mounts named are what libmount reads in the same mountinfo' "
	guide &&
	run vfio-bind --root root 04:00.0 && expect_rc 3 &&
	sed -n 's|^vfio-bind: .*: \(/dev/[^ ]*\) is mounted on \(.*\)\$|\1 \2|p' err | sort >got &&
	test \$(wc -l <got) -eq 2 &&
	findmnt -F root/proc/self/mountinfo -n -r -o SOURCE,TARGET | grep '^/dev/nvme0' | sort >expect &&
	test_cmp expect got
"

test_expect_success 'in use: --persist leaves the tree byte for byte as it was' "
	guide &&
	cat >expect <<EOF &&
vfio-bind: 0000:04:00.0 is in use by the host: swap on /dev/nvme0n1p3
vfio-bind: 0000:04:00.0 is in use by the host: /dev/nvme0n1p1 is mounted on /boot
vfio-bind: 0000:04:00.0 is in use by the host: /dev/nvme0n1p2 is mounted on /
EOF
	refused --persist 04:00.0 &&
	test ! -e root/etc/modprobe.d
"

test_expect_success 'in use: a partition holding a dm device that is mounted' "
	guide &&
	echo 'vfio-bind: 0000:0a:00.0 is in use by the host: /dev/nvme1n1p1 holds /dev/dm-0, mounted on /home' >expect &&
	refused 0a:00.0
"

test_expect_success 'in use: a namespace of a multipath NVMe subsystem, through its controller' "
	guide &&
	sub=root/sys/devices/virtual/nvme-subsystem/nvme-subsys1 &&
	mkdir -p \$sub &&
	mv root/sys/devices/pci0000:00/0000:00:1d.0/0000:0a:00.0/nvme/nvme1/nvme1n1 \$sub/ &&
	ln -sfn ../../devices/virtual/nvme-subsystem/nvme-subsys1/nvme1n1 root/sys/class/block/nvme1n1 &&
	ln -sfn ../../devices/virtual/nvme-subsystem/nvme-subsys1/nvme1n1/nvme1n1p1 root/sys/class/block/nvme1n1p1 &&
	ln -s ../../../pci0000:00/0000:00:1d.0/0000:0a:00.0/nvme/nvme1 \$sub/nvme1 &&
	mkdir -p root/sys/class/nvme-subsystem &&
	ln -s ../../devices/virtual/nvme-subsystem/nvme-subsys1 root/sys/class/nvme-subsystem/nvme-subsys1 &&
	echo 'vfio-bind: 0000:0a:00.0 is in use by the host: /dev/nvme1n1p1 holds /dev/dm-0, mounted on /home' >expect &&
	refused 0a:00.0 &&
	rm \$sub/nvme1 &&
	run vfio-bind --root root -n 0a:00.0 && expect_rc 0 && test ! -s err
"

test_expect_success 'in use: LVM volumes on one partition, mounted and swap, each named' "
	cp -R '$S' root &&
	cat >expect <<EOF &&
vfio-bind: 0000:00:17.0 is in use by the host: /dev/sda2 holds /dev/dm-1, swap
vfio-bind: 0000:00:17.0 is in use by the host: /dev/sda1 is mounted on /boot/efi
vfio-bind: 0000:00:17.0 is in use by the host: /dev/sda2 holds /dev/dm-0, mounted on /
EOF
	refused 00:17.0
"

test_expect_success 'in use: a drive behind VMD, in PCI domain 10000, mounted' "
	cp -R '$S' root && cp -R root before &&
	run vfio-bind --root root 10000:01:00.0 && expect_rc 3 &&
	grep_q '^vfio-bind: 10000:01:00.0 is in use by the host: /dev/nvme0n1 is mounted on /var/lib/libvirt/images\$' err &&
	test \$(grep -c 'in use' err) -eq 1 && same_tree before root
"

test_expect_success 'in use: the IPv4 default route and a connection on the NIC' "
	guide &&
	cat >expect <<EOF &&
vfio-bind: 0000:08:00.0 is in use by the host: enp8s0 carries the default route
vfio-bind: 0000:08:00.0 is in use by the host: enp8s0 carries an established connection (192.168.1.23:41868 to 140.82.121.4:443)
EOF
	refused 08:00.0
"

test_expect_success 'in use: the IPv6 default route and connection on the Wi-Fi' "
	guide &&
	cat >expect <<EOF &&
vfio-bind: 0000:09:00.0 is in use by the host: wlp9s0 carries the default route
vfio-bind: 0000:09:00.0 is in use by the host: wlp9s0 carries an established connection ([2a02:8109:b6c0:1a2::7e3]:50514 to [2a00:1450:4001:82b::200e]:443)
EOF
	refused 09:00.0
"

test_expect_success 'in use: the IPv6 default route alone; without routes or connections, free' "
	guide &&
	rm root/proc/net/route root/proc/net/tcp root/proc/net/tcp6 &&
	echo 'vfio-bind: 0000:09:00.0 is in use by the host: wlp9s0 carries the default route' >expect &&
	refused 09:00.0 &&
	run vfio-bind --root root -n 08:00.0 && expect_rc 0 && test ! -s err
"

test_expect_success 'in use: a connection alone, on the interface of its subnet route' "
	guide &&
	grep -v '^enp8s0	00000000' root/proc/net/route >r && mv r root/proc/net/route &&
	echo 'vfio-bind: 0000:08:00.0 is in use by the host: enp8s0 carries an established connection (192.168.1.23:41868 to 140.82.121.4:443)' >expect &&
	refused 08:00.0
"

test_expect_success 'in use: listening and loopback sockets are no connection' "
	guide &&
	grep -v ' 01 ' root/proc/net/tcp >t && grep -c ' 0A ' t >/dev/null && mv t root/proc/net/tcp &&
	grep -v '^enp8s0	00000000' root/proc/net/route >r && mv r root/proc/net/route &&
	run vfio-bind --root root -n 08:00.0 && expect_rc 0 && test ! -s err
"

test_expect_success 'in use: a port enslaved to a bridge carries what the bridge carries' "
	cp -R '$S' root &&
	cat >expect <<EOF &&
vfio-bind: 0000:17:00.0 is in use by the host: ens17f0 carries the default route through br0
vfio-bind: 0000:17:00.0 is in use by the host: ens17f0 carries an established connection through br0 (10.30.0.11:22 to 10.30.0.5:50086)
EOF
	refused 17:00.0 &&
	rm root/sys/devices/pci0000:16/0000:16:02.0/0000:17:00.0/net/ens17f0/master \
	   root/sys/devices/pci0000:16/0000:16:02.0/0000:17:00.0/net/ens17f0/upper_br0 &&
	run vfio-bind --root root 17:00.0 && expect_rc 3 && ! grep_q 'in use' err
"

# vlan ROOT: enp8s0.10, a VLAN on the NIC, carries the routes instead.
vlan() {
	v=root/sys/devices/virtual/net/enp8s0.10 &&
	mkdir -p $v && echo 4 >$v/ifindex &&
	ln -s ../../devices/virtual/net/enp8s0.10 root/sys/class/net/enp8s0.10 &&
	ln -s ../../../../../virtual/net/enp8s0.10 root/sys/devices/pci0000:00/0000:00:1c.0/0000:08:00.0/net/enp8s0/upper_enp8s0.10 &&
	sed 's/^enp8s0	/enp8s0.10	/' root/proc/net/route >r && mv r root/proc/net/route
}

test_expect_success 'in use: a VLAN on the NIC carries the routes: the NIC is in use through it' "
	guide && vlan &&
	test -d root/sys/class/net/enp8s0/upper_enp8s0.10 &&
	cat >expect <<EOF &&
vfio-bind: 0000:08:00.0 is in use by the host: enp8s0 carries the default route through enp8s0.10
vfio-bind: 0000:08:00.0 is in use by the host: enp8s0 carries an established connection through enp8s0.10 (192.168.1.23:41868 to 140.82.121.4:443)
EOF
	refused 08:00.0
"

test_expect_success 'in use: interfaces or holders linked in a circle end the search' "
	guide &&
	ln -s ../../../../../virtual/net/lo root/sys/devices/pci0000:00/0000:00:1c.0/0000:08:00.0/net/enp8s0/upper_lo &&
	ln -s ../../../pci0000:00/0000:00:1c.0/0000:08:00.0/net/enp8s0 root/sys/devices/virtual/net/lo/upper_enp8s0 &&
	rm root/proc/net/route root/proc/net/tcp &&
	b=root/sys/devices/pci0000:00/0000:00:1d.0/0000:0a:00.0/nvme/nvme1 &&
	ln -s ../../../nvme1n1 \$b/nvme1n1/nvme1n1p1/holders/nvme1n1 &&
	mkdir -p \$b/nvme1n1/holders &&
	ln -s ../nvme1n1p1 \$b/nvme1n1/holders/nvme1n1p1 &&
	grep -q ' 254:0 / /home ' root/proc/self/mountinfo &&
	sed -i '/ 254:0 /d' root/proc/self/mountinfo &&
	test -d root/sys/class/net/lo/upper_enp8s0/upper_lo &&
	test -d root/sys/class/block/nvme1n1p1/holders/nvme1n1/holders/nvme1n1p1 &&
	run timeout 10 vfio-bind --root root -n 08:00.0 0a:00.0 && expect_rc 0 && test ! -s err
"

test_expect_success 'in use: holders linked in a circle hide none beside them, in any order' "
	guide &&
	b=root/sys/devices/pci0000:00/0000:00:1d.0/0000:0a:00.0/nvme/nvme1 &&
	mkdir -p \$b/nvme1n1/holders &&
	ln -s ../nvme1n1p1 \$b/nvme1n1/holders/nvme1n1p1 &&
	for n in a b c d e f g h; do ln -s ../../../nvme1n1 \$b/nvme1n1/nvme1n1p1/holders/\$n || return 1; done &&
	ln -s ../../../nvme1n1 \$b/nvme1n1/nvme1n1p1/holders/nvme1n1 &&
	run timeout 10 vfio-bind --root root -n 0a:00.0 && expect_rc 3 &&
	grep_q '^vfio-bind: 0000:0a:00.0 is in use by the host: /dev/nvme1n1p1 holds /dev/dm-0, mounted on /home\$' err
"

test_expect_success 'in use: interfaces linked in a circle hide none beside them' "
	guide && vlan &&
	v=root/sys/devices/virtual/net/aa0 &&
	mkdir -p \$v && echo 5 >\$v/ifindex &&
	ln -s ../../devices/virtual/net/aa0 root/sys/class/net/aa0 &&
	ln -s ../../../../../virtual/net/aa0 root/sys/devices/pci0000:00/0000:00:1c.0/0000:08:00.0/net/enp8s0/upper_aa0 &&
	ln -s ../../../pci0000:00/0000:00:1c.0/0000:08:00.0/net/enp8s0 \$v/upper_enp8s0 &&
	test -d root/sys/class/net/enp8s0/upper_aa0/upper_enp8s0/upper_enp8s0.10 &&
	run timeout 10 vfio-bind --root root -n 08:00.0 && expect_rc 3 &&
	grep_q '^vfio-bind: 0000:08:00.0 is in use by the host: enp8s0 carries the default route through enp8s0.10\$' err
"

test_expect_success 'in use: platform functions taken with the audio are named, the audio is not' "
	guide &&
	cat >expect <<EOF &&
vfio-bind: 0000:00:1f.0 is in use by the host: a platform function of the chipset (ISA bridge): the kernel needs it
vfio-bind: 0000:00:1f.4 is in use by the host: a platform function of the chipset (SMBus): the kernel needs it
EOF
	refused 00:1f.3
"

test_expect_success 'in use: a group mate on another slot is named after the group line' "
	guide &&
	g=\$(basename \$(readlink root/sys/bus/pci/devices/0000:07:00.0/iommu_group)) &&
	ln -sfn ../../../../kernel/iommu_groups/\$g root/sys/devices/pci0000:00/0000:00:1d.0/0000:0a:00.0/iommu_group &&
	cp -R root before &&
	run vfio-bind --root root 07:00.0 && expect_rc 3 &&
	grep_q \"^vfio-bind: IOMMU group \$g of 0000:07:00.0 also holds 0a:00.0 Non-Volatile memory controller\" err &&
	grep_q '^vfio-bind: 0000:0a:00.0 is in use by the host: /dev/nvme1n1p1 holds /dev/dm-0, mounted on /home\$' err &&
	test \$(grep -c 'in use' err) -eq 1 && same_tree before root
"

test_expect_success 'in use: --force binds, warning once per reason' "
	guide &&
	run vfio-bind --root root --force -n 04:00.0 && expect_rc 0 &&
	grep_q '0000:04:00.0/driver_override' out &&
	test \$(grep -c '^vfio-bind: 0000:04:00.0 is in use by the host: ' err) -eq 3 &&
	test \$(wc -l <err) -eq 3
"

test_expect_success 'in use: --force --persist writes the IDs, warning once per reason' "
	guide &&
	run vfio-bind --root root --force --persist 04:00.0 && expect_rc 0 &&
	test \$(wc -l <err) -eq 3 &&
	showconfig >got && grep_q '^options vfio_pci ids=144d:a808' got
"

test_expect_success 'in use: without the /proc files under the root only the platform counts' "
	guide &&
	rm -r root/proc/self root/proc/swaps root/proc/net &&
	run vfio-bind --root root -n 04:00.0 && expect_rc 0 && test ! -s err &&
	run vfio-bind --root root -n 00:1f.3 && expect_rc 3 && grep_q '(SMBus)' err
"

# A host bridge in the card's group: AMD's driverless dummy is left out like
# a PCI bridge; one a driver claims is a platform function.
dummy_host_bridge() {
	g=$(basename $(readlink root/sys/bus/pci/devices/0000:07:00.0/iommu_group)) &&
	ln -sfn ../../../kernel/iommu_groups/$g root/sys/devices/pci0000:00/0000:00:00.0/iommu_group &&
	rm -f root/sys/kernel/iommu_groups/0/devices/0000:00:00.0 &&
	ln -s ../../../../devices/pci0000:00/0000:00:00.0 root/sys/kernel/iommu_groups/$g/devices/0000:00:00.0
}

test_expect_success 'a host bridge no driver claims in the group is left out, as a bridge' "
	guide && dummy_host_bridge &&
	rm root/sys/devices/pci0000:00/0000:00:00.0/driver &&
	run vfio-bind --root root -n 07:00.0 && expect_rc 0 && test ! -s err &&
	! grep_q 00:00.0 out
"

test_expect_success 'a host bridge with a driver in the group is refused as a platform function' "
	guide && dummy_host_bridge &&
	run vfio-bind --root root -n 07:00.0 && expect_rc 3 &&
	grep_q '^vfio-bind: 0000:00:00.0 is in use by the host: a platform function of the chipset (host bridge): the kernel needs it\$' err
"

test_expect_success 'a slot without the function: every function of the card, as lspci -s reads it' "
	guide && cp -R root before &&
	vfio-bind --root root -n 07:00.0 >a &&
	run vfio-bind --root root -n 07:00 && expect_rc 0 && test_cmp a out &&
	run vfio-bind --root root -n 0000:07:00 && expect_rc 0 && test_cmp a out &&
	lspci_root root -D -s 07:00 | cut -d' ' -f1 >lspci &&
	test \$(wc -l <lspci) -ge 2 &&
	sed -n 's|^echo vfio-pci > root/sys/bus/pci/devices/\(.*\)/driver_override\$|\1|p' out >taken &&
	test_cmp lspci taken && same_tree before root
"

test_expect_success 'a slot: the checks of each function, the boot VGA card refused' "
	guide && cp -R root before &&
	run vfio-bind --root root 03:00.0 && mv err err.func &&
	run vfio-bind --root root 03:00 && expect_rc 3 && test ! -s out &&
	test_cmp err.func err && grep_q 'is the boot VGA device' err &&
	same_tree before root
"

test_expect_success 'passcheck takes the slot too, every function of the card' "
	guide &&
	passcheck --root root 07:00.0 07:00.1 >a; echo \$? >rc.a &&
	passcheck --root root 07:00 >b; echo \$? >rc.b &&
	test_cmp a b && test_cmp rc.a rc.b
"


# The running system's ID database, where libpci looks for it.
HOST_IDS=/nonexistent
for f in /usr/share/misc/pci.ids /usr/share/hwdata/pci.ids /usr/share/pci.ids; do
	[ -f "$f" ] && { HOST_IDS=$f; break; }
done

# ambiguous IDS: the two functions of ID 1002:ab28 as lspci -i IDS names them.
ambiguous() {
	echo "vfio-bind: 2 devices have ID '1002:ab28'; name one by address:" &&
	for d in 03:00.1 07:00.1; do
		echo "  $(lspci -A linux-sysfs -O sysfs.path=root/sys/bus/pci -O hwdb.disable=1 -i "$1" -nns $d)" || return 1
	done
}

test_expect_success 'a tree without pci.ids: the names of the running system'"'"'s, as lspci shows them' "
	guide && rm -f root/usr/share/misc/pci.ids &&
	ambiguous '$HOST_IDS' >expect &&
	run vfio-bind --root root 1002:ab28 && expect_rc 3 &&
	test_cmp expect err &&
	if [ '$HOST_IDS' != /nonexistent ]; then
		! grep -q 'Device \\[1002:ab28\\]' err
	fi
"

test_expect_success '-i FILE: the names lspci -i FILE gives, a pipe too' "
	guide && rm -f root/usr/share/misc/pci.ids &&
	sed 's/Advanced Micro Devices, Inc\\. \\[AMD\\/ATI\\]/AMD (from -i)/' '$Z/usr/share/misc/pci.ids' >my.ids &&
	ambiguous my.ids >expect && grep_q 'AMD (from -i) Navi 21' expect &&
	run vfio-bind --root root -i my.ids 1002:ab28 && expect_rc 3 && test_cmp expect err &&
	mkfifo ids.pipe && { cat my.ids >ids.pipe & } &&
	run vfio-bind --root root -i ids.pipe 1002:ab28 && wait && expect_rc 3 && test_cmp expect err &&
	vfio-bind --root root -i my.ids --persist 07:00.0 >/dev/null &&
	vfio-bind --root root -i my.ids --list -J >out &&
	grep_q '\"description\": \"07:00.1 Audio device \\[0403\\]: AMD (from -i) Navi 21' out
"

test_expect_success '-i FILE missing: exit 3 naming it, nothing done' "
	guide && cp -R root before &&
	run vfio-bind --root root -i nowhere/pci.ids 07:00.0 && expect_rc 3 && test ! -s out &&
	test \"\$(cat err)\" = \"vfio-bind: could not read 'nowhere/pci.ids': No such file or directory\" &&
	same_tree before root
"

test_done
