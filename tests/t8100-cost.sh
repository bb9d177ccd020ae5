#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# What iommu-groups, passcheck and virtxml-hostdev cost as hosts grow, on
# sysroots of 30, 300 and 3,000 PCI functions from tests/bench/mkspec.sh:
# the sysfs attributes they open, counted by strace, and the instructions
# they execute, counted by callgrind, which do not depend on how busy the
# machine is.  `make bench` measures the same against lspci.
. "$(dirname "$0")/lib.sh"

for n in 30 300 3000; do
	"$TOP/tests/bench/mkspec.sh" $n >"$TEST_TMP/spec-$n" &&
	"$BUILD/tests/tools/mksysroot" -i /usr/share/misc/pci.ids \
		"$TEST_TMP/spec-$n" "$TEST_TMP/root-$n" || exit 1
done
R=$TEST_TMP/root-300
functions=$(ls "$R/sys/bus/pci/devices" | wc -l)
displays=$(grep -l '^0x03' "$R"/sys/bus/pci/devices/*/class | wc -l)

test_expect_success 'the sysroots hold the functions asked for' "
	test $functions -eq 300 &&
	test \$(ls '$TEST_TMP/root-3000/sys/bus/pci/devices' | wc -l) -eq 3000 &&
	test $displays -gt 2
"

# opened CMD...: how many times CMD opened or read the link of each
# name, one "count name" a line in ./opened.
opened() {
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		strace -f -qq -e trace=open,openat,openat2,readlinkat -o trace "$@" >out 2>err
	sed -n 's/^[0-9]* *[a-z0-9]*([^,]*, "\([^"]*\)".*/\1/p' trace | sed 's|.*/||' |
		sort | uniq -c >opened
}

# count NAME: how many times ./opened says NAME was opened.
count() {
	awk -v name="$1" '$2 == name { n = $1 } END { print n + 0 }' opened
}

test_expect_success 'iommu-groups opens the attributes it prints, once a function' "
	opened iommu-groups --root '$R' &&
	for a in vendor device class revision iommu_group; do
		test \$(count \$a) -eq $functions || { echo \"\$a: \$(count \$a)\"; exit 1; }
	done &&
	for a in driver driver_override boot_vga reset_method subsystem_vendor config; do
		test \$(count \$a) -eq 0 || { echo \"\$a: \$(count \$a)\"; exit 1; }
	done
"

test_expect_success 'iommu-groups -kv adds drivers and reset methods, boot_vga of displays only' "
	opened iommu-groups --root '$R' -kv &&
	for a in driver driver_override reset_method; do
		test \$(count \$a) -eq $functions || { echo \"\$a: \$(count \$a)\"; exit 1; }
	done &&
	test \$(count boot_vga) -eq $displays &&
	test \$(count subsystem_vendor) -eq 0
"

test_expect_success 'iommu-groups --slots reads each slot once and each bridge once for its bus' "
	opened iommu-groups --root '$R' --slots &&
	slots=\$(ls '$R/sys/bus/pci/slots' | wc -l) &&
	bridges=\$(grep -l '^0x0604' '$R'/sys/bus/pci/devices/*/class | wc -l) &&
	test \$slots -gt 10 &&
	test \$(count address) -eq \$slots &&
	test \$(count secondary_bus_number) -eq \$bridges &&
	test \$(wc -l <out) -eq \$slots
"

test_expect_success 'passcheck reads drivers and reset methods of the devices it checks only' "
	opened passcheck --root '$R' &&
	checked=\$(grep -c '^[A-Z]* boot-vga: ' out) &&
	test \$checked -gt 0 &&
	test \$(count reset_method) -eq \$checked &&
	test \$(count driver) -lt $((functions / 10)) &&
	test \$(count boot_vga) -eq $displays &&
	test \$(count class) -eq $functions
"

# amdgpu N: the first AMD GPU of the sysroot of N functions (the mix puts
# one at every size, not at the same address).
amdgpu() {
	ag_dev=$(grep -l '^0x73ff' "$TEST_TMP/root-$1"/sys/bus/pci/devices/*/device | head -n 1) &&
	ag_dev=${ag_dev%/device} && echo "${ag_dev##*/}"
}

test_expect_success 'virtxml-hostdev reads each attribute once a function, boot_vga of displays only' "
	dev=\$(amdgpu 300) &&
	opened virtxml-hostdev --root '$R' \$dev <'$TOP/tests/domains/win10-virsh.xml' &&
	test \$(grep -c '<hostdev mode=' out) -eq 2 &&
	for a in vendor device class iommu_group driver driver_override; do
		test \$(count \$a) -eq $functions || { echo \"\$a: \$(count \$a)\"; exit 1; }
	done &&
	test \$(count boot_vga) -eq $displays
"

if ! command -v valgrind >/dev/null; then
	if [ "${CI:-}" = true ]; then
		test_expect_success 'valgrind is installed (make test-deps)' false
	else
		test_skip 'instruction counts' 'no valgrind (make test-deps installs it)'
	fi
	test_done
fi
if ldd "$BUILD/iommu-groups" | grep -q libasan; then
	test_skip 'instruction counts' 'valgrind cannot run AddressSanitizer builds'
	test_done
fi

# instructions NAME CMD...: instructions CMD executed in user space, in
# $TEST_TMP/NAME.ir, and its calls into pci_lookup_name() in NAME.lookups.
instructions() {
	in_out=$TEST_TMP/$1
	shift
	valgrind --tool=callgrind --compress-strings=no --callgrind-out-file="$in_out.cg" \
		"$@" >/dev/null 2>"$in_out.err"
	sed -n 's/^==[0-9]*== Collected : //p' "$in_out.err" >"$in_out.ir"
	test -s "$in_out.ir" || { cat "$in_out.err"; return 1; }
	awk '/^cfn=/ { hit = /pci_lookup_name/ } /^calls=/ && hit { split($1, c, "="); n += c[2] }
		END { print n + 0 }' "$in_out.cg" >"$in_out.lookups"
}

# linear NAME: the instructions one more function costs, from 300 to
# 3,000 functions, within 1.25 times what it costs from 30 to 300 (a cost
# that grows with N, such as a scan of every device for each, shows
# there first); the fixed cost of starting up cancels out.
linear() {
	awk -v a="$(cat "$TEST_TMP/$1-30.ir")" -v b="$(cat "$TEST_TMP/$1-300.ir")" \
	    -v c="$(cat "$TEST_TMP/$1-3000.ir")" 'BEGIN {
		small = (b - a) / 270; large = (c - b) / 2700
		printf "instructions a function: %.0f from 30 to 300, %.0f from 300 to 3,000\n", small, large
		exit !(large < 1.25 * small)
	}'
}

for cmd in 'iommu-groups' 'iommu-groups -J' 'iommu-groups --why' 'iommu-groups --slots' 'passcheck'; do
	name=$(echo "$cmd" | tr -d ' ')
	test_expect_success "$cmd: linear in the number of functions" "
		set -- $cmd &&
		for n in 30 300 3000; do
			instructions $name-\$n \$1 --root '$TEST_TMP/root-'\$n \${2:+\"\$2\"} || exit 1
		done &&
		linear $name
	"
done

test_expect_success 'virtxml-hostdev: linear in the number of functions' "
	for n in 30 300 3000; do
		dev=\$(amdgpu \$n) &&
		virtxml-hostdev --root '$TEST_TMP/root-'\$n \$dev <'$TOP/tests/domains/win10-virsh.xml' >add.xml &&
		test \$(grep -c '<hostdev mode=' add.xml) -eq 2 &&
		instructions virtxml-hostdev-\$n virtxml-hostdev --root '$TEST_TMP/root-'\$n \$dev \
			<'$TOP/tests/domains/win10-virsh.xml' || exit 1
	done &&
	linear virtxml-hostdev
"

# The cost floor: lspci -nn enumerates the same tree and looks up the
# same names; iommu-groups does more with them, so it must waste nothing.
test_expect_success 'iommu-groups and -J execute fewer instructions than lspci -nn' "
	R3=$TEST_TMP/root-3000 &&
	instructions lspci-3000 lspci -A linux-sysfs -O sysfs.path=\$R3/sys/bus/pci \\
		-O hwdb.disable=1 -i \$R3/usr/share/misc/pci.ids -nn &&
	floor=\$(cat '$TEST_TMP/lspci-3000.ir') &&
	for name in iommu-groups iommu-groups-J; do
		ir=\$(cat '$TEST_TMP/'\$name-3000.ir) &&
		echo \"\$name: \$ir instructions, lspci -nn: \$floor\" &&
		test \$ir -lt \$floor || exit 1
	done
"

# passcheck --xml, every display of the tree checked against a domain that
# virtxml-hostdev gave the first AMD GPU: each display's xml-* checks look
# at its card and groups, not at every device.
test_expect_success 'passcheck --xml: linear in the number of functions' "
	for n in 30 300 3000; do
		r='$TEST_TMP/root-'\$n &&
		dev=\$(grep -l '^0x73ff' \$r/sys/bus/pci/devices/*/device | head -n 1) &&
		dev=\${dev%/device} && dev=\${dev##*/} &&
		virtxml-hostdev --root \$r --force \$dev <'$TOP/tests/domains/win10-virsh.xml' >\$r/dom.xml 2>/dev/null &&
		passcheck --root \$r --xml /dom.xml >out; test \$? -le 1 &&
		grep_q \"^PASS xml-guest-slot: \$dev: \" out &&
		grep_q '^PASS xml-renumbered: ' out &&
		test \$(grep -c '^[A-Z]* xml-hostdev: ' out) -eq \$(grep -c '^[A-Z]* boot-vga: ' out) &&
		instructions passcheck-xml-\$n passcheck --root \$r --xml /dom.xml || exit 1
	done &&
	linear passcheck-xml
"

test_expect_success 'iommu-groups -J: as many name lookups for 3,000 functions as for 300' "
	small=\$(cat '$TEST_TMP/iommu-groups-J-300.lookups') &&
	large=\$(cat '$TEST_TMP/iommu-groups-J-3000.lookups') &&
	echo \"lookups: \$small for 300 functions, \$large for 3,000\" &&
	test \$small -gt 0 && test \$large -eq \$small
"

# /etc/default/grub as kcmdline-edit reads it: N variables, then N lines
# that each add to GRUB_CMDLINE_LINUX ("$GRUB_CMDLINE_LINUX a"); a lookup
# of every name for each, or a copy of the whole value at each line, grows
# with N squared.
for n in 100 1000 10000; do
	for kind in vars appends; do
		g=$TEST_TMP/grub-$kind-$n
		mkdir -p "$g/etc/default" "$g/boot/grub" &&
		awk -v n=$n -v kind=$kind 'BEGIN {
			print "GRUB_CMDLINE_LINUX=\"quiet\""
			for (i = 1; i <= n; i++)
				if (kind == "vars")
					printf "GRUB_V%d=\"value %d\"\n", i, i
				else
					print "GRUB_CMDLINE_LINUX=\"$GRUB_CMDLINE_LINUX a\""
		}' >"$g/etc/default/grub" || exit 1
	done
done

# linear_in NAME UNIT: as linear() for 100, 1,000 and 10,000 UNITs.
linear_in() {
	awk -v a="$(cat "$TEST_TMP/$1-100.ir")" -v b="$(cat "$TEST_TMP/$1-1000.ir")" \
	    -v c="$(cat "$TEST_TMP/$1-10000.ir")" -v unit="$2" 'BEGIN {
		small = (b - a) / 900; large = (c - b) / 9000
		printf "instructions a%s: %.0f from 100 to 1,000, %.0f from 1,000 to 10,000\n", unit, small, large
		exit !(large < 1.25 * small)
	}'
}

test_expect_success 'kcmdline-edit reads a grub file of many variables in linear time' "
	for n in 100 1000 10000; do
		instructions grub-vars-\$n kcmdline-edit --root '$TEST_TMP/grub-vars-'\$n --list || exit 1
	done &&
	kcmdline-edit --root '$TEST_TMP/grub-vars-10000' --list | grep -q 'GRUB_CMDLINE_LINUX: quiet\$' &&
	linear_in grub-vars ' variable'
"

test_expect_success 'kcmdline-edit reads a grub file of many appending lines in linear time' "
	for n in 100 1000 10000; do
		instructions grub-appends-\$n kcmdline-edit --root '$TEST_TMP/grub-appends-'\$n --list || exit 1
	done &&
	test \$(kcmdline-edit --root '$TEST_TMP/grub-appends-1000' --list |
		sed -n 's/.*GRUB_CMDLINE_LINUX: //p' | wc -w) -eq 1001 &&
	linear_in grub-appends 'n appending line'
"

test_done
