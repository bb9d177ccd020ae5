#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# --root without openat2 (kernels before 5.6, a seccomp filter answering
# ENOSYS): the tools resolve paths themselves and stay inside the root.
# noopenat2 runs them under such a filter.
. "$(dirname "$0")/lib.sh"

NOOPENAT2=$BUILD/tests/tools/noopenat2
[ -x "$NOOPENAT2" ] || { echo "Bail out! $NOOPENAT2 missing"; exit 1; }
if ! "$NOOPENAT2" true 2>/dev/null; then
	skip_all 'seccomp filters cannot be installed here'
fi

# escape LINK: a root whose /etc/default is the symbolic link LINK, an
# outside directory ./outside with a grub file of its own, and an Intel CPU.
escape() {
	mkdir -p root/etc root/proc outside &&
	printf 'processor\t: 0\nvendor_id\t: GenuineIntel\n\n' >root/proc/cpuinfo &&
	printf 'GRUB_CMDLINE_LINUX=""\n' >outside/grub &&
	cp outside/grub outside.orig &&
	ln -s "$1" root/etc/default
}


test_expect_success 'the filter is in force: openat2 answers ENOSYS' '
	"$NOOPENAT2" python3 -c "
import ctypes, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
r = libc.syscall(437, -100, b\"/\", None, 0)
sys.exit(0 if r < 0 and ctypes.get_errno() == 38 else 1)"
'

for how in absolute relative dotdot; do
	test_expect_success "kcmdline-edit: /etc/default an $how link out of the root, the outside file untouched" '
		case '$how' in
		absolute) escape "$PWD/outside" ;;
		relative) escape ../../outside ;;
		dotdot) escape ../../../../../../../../outside ;;
		esac &&
		run "$NOOPENAT2" kcmdline-edit --root root -a intel_iommu=on &&
		cat out err &&
		test_cmp outside.orig outside/grub &&
		! grep -rq intel_iommu root
	'
done

test_expect_success 'kcmdline-edit: a link out of the root edits the file it names inside the root' '
	escape ../../outside &&
	mkdir root/outside && cp outside/grub root/outside/grub &&
	run "$NOOPENAT2" kcmdline-edit --root root -a intel_iommu=on &&
	expect_rc 0 &&
	test_cmp outside.orig outside/grub &&
	test -L root/etc/default &&
	grep_q "^GRUB_CMDLINE_LINUX=\"intel_iommu=on\"" root/outside/grub
'

test_expect_success 'kcmdline-edit: an absolute link is taken from the root' '
	escape "/outside" &&
	mkdir root/outside && cp outside/grub root/outside/grub &&
	run "$NOOPENAT2" kcmdline-edit --root root -a intel_iommu=on &&
	expect_rc 0 &&
	test_cmp outside.orig outside/grub &&
	grep_q "^GRUB_CMDLINE_LINUX=\"intel_iommu=on\"" root/outside/grub
'

# sysfs is links through "..": the same report with and without openat2.
for fx in z490-guide laptop-optimus server-sriov qemu-q35 iommu-off; do
	test_expect_success "iommu-groups on $fx: the same report without openat2" '
		iommu-groups --root "$FIXTURES/'$fx'" >want 2>want.err; want_rc=$? &&
		"$NOOPENAT2" iommu-groups --root "$FIXTURES/'$fx'" >got 2>got.err; got_rc=$? &&
		test "$want_rc" = "$got_rc" &&
		test_cmp want got && test_cmp want.err got.err
	'
	test_expect_success "passcheck on $fx: the same report without openat2" '
		passcheck --root "$FIXTURES/'$fx'" >want 2>want.err; want_rc=$? &&
		"$NOOPENAT2" passcheck --root "$FIXTURES/'$fx'" >got 2>got.err; got_rc=$? &&
		test "$want_rc" = "$got_rc" &&
		test_cmp want got && test_cmp want.err got.err
	'
done

D=$TOP/tests/domains
Z=$FIXTURES/z490-guide

test_expect_success 'virtxml-hostdev on z490-guide: the same domain and refusals without openat2' '
	for dev in 03:00.0 00:1f.3 07:00.0; do
		virtxml-hostdev --root "$Z" $dev <"$D/win10-virsh.xml" >want 2>want.err; want_rc=$?
		"$NOOPENAT2" virtxml-hostdev --root "$Z" $dev <"$D/win10-virsh.xml" >got 2>got.err; got_rc=$?
		test "$want_rc" = "$got_rc" && test_cmp want got && test_cmp want.err got.err || return 1
	done &&
	test "$want_rc" = 0 && test "$(grep -c "<hostdev mode=" want)" = 2
'

# hdescape LINK: the guide's tree as the root, its /etc/libvirt the
# symbolic link LINK, and an outside directory ./outside with a domain.
hdescape() {
	cp -R "$Z" root && mkdir -p root/etc outside/qemu &&
	cp "$D/win10-virsh.xml" outside/qemu/w.xml &&
	ln -s "$1" root/etc/libvirt
}

for how in absolute relative dotdot; do
	test_expect_success "virtxml-hostdev -i: /etc/libvirt an $how link out of the root, the outside domain untouched" '
		case '$how' in
		absolute) hdescape "$PWD/outside" ;;
		relative) hdescape ../../outside ;;
		dotdot) hdescape ../../../../../../../../outside ;;
		esac &&
		run "$NOOPENAT2" virtxml-hostdev --root root -i 07:00.0 /etc/libvirt/qemu/w.xml &&
		expect_rc 3 && grep_q "could not open .root/etc/libvirt/qemu/w.xml." err &&
		test_cmp "$D/win10-virsh.xml" outside/qemu/w.xml
	'
done

test_expect_success 'virtxml-hostdev -i: a link out of the root edits the domain it names inside the root' '
	hdescape ../../outside && mkdir -p root/outside/qemu &&
	cp "$D/win10-virsh.xml" root/outside/qemu/w.xml &&
	run "$NOOPENAT2" virtxml-hostdev --root root -i 07:00.0 /etc/libvirt/qemu/w.xml && expect_rc 0 &&
	test_cmp "$D/win10-virsh.xml" outside/qemu/w.xml && test -L root/etc/libvirt &&
	virtxml-hostdev --root "$Z" 07:00.0 <"$D/win10-virsh.xml" >want && test_cmp want root/outside/qemu/w.xml
'

test_expect_success 'an empty --root is a usage error, not the running system' '
	for cmd in iommu-groups "vfio-bind --dry-run 01:00.0" "kcmdline-edit --list" \
		"initramfs-vfio --dry-run" passcheck "virtxml-hide --dry-run vm.xml" \
		"virtxml-hostdev --dry-run 07:00.0 vm.xml"; do
		tool=${cmd%% *} &&
		run $cmd --root "" && expect_rc 2 &&
		grep_q "^$tool: --root needs a directory, not an empty string\$" err || return 1
	done
'

test_done
