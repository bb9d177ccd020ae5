#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The README's walkthrough is what the tools print: each command between
# its <!-- walkthrough --> markers runs on the guide's host, one tree per
# boot, and prints the lines under it.
#
# A command is a line "    # CMD" of an indented block; its output is
# the indented lines right under it, up to the next command, a blank line
# or prose.  A command of the suite runs with --root on the tree of the
# current boot (unroot says how its output is read then); any other is
# one the host's model below knows, and an unknown one fails.  Files
# carry from one boot to the next; the boots are the fixtures
# z490-guide-noiommu (before intel_iommu=on), z490-guide (the IOMMU on)
# and z490-guide-vfio (the guest card on vfio-pci at boot).
#
# WALKTHROUGH_PRINT=1 prints what each command printed instead of
# comparing, for writing the README.
. "$(dirname "$0")/lib.sh"

BOOTS='z490-guide-noiommu z490-guide z490-guide-vfio'
KERNEL=6.6.8-arch1-1
W=$TEST_TMP/walk
ROOT=$W/root
mkdir -p "$W"

# unroot: standard input, what a tool printed under --root $ROOT, as it
# prints it on the running system.  These are the differences --root
# makes, and the only ones allowed between the README and the real
# output: "--root DIR" in a command of the suite it prints, "chroot DIR "
# before a command to run inside that system, DIR before the paths it
# names, and kcmdline-edit's "(inside that system)".
unroot() {
	ur_dir=$(printf '%s\n' "$ROOT" | sed 's/[][\.*^$|]/\\&/g')
	sed -e "s| --root $ur_dir||g" -e "s| --root=$ur_dir||g" -e "s|chroot $ur_dir ||g" \
		-e "s|$ur_dir/|/|g" -e 's/ (inside that system)//'
}

# boot N: the tree of boot N (1 the first) as $ROOT, the files of the
# system (all but /sys, /proc and /dev) carried from the last boot's,
# mtimes kept; /dev holds kvm, and vfio/vfio when vfio is loaded.
boot() {
	bt_spec=$(echo $BOOTS | cut -d ' ' -f "$1")
	test -n "$bt_spec" || { echo "no boot $1 modelled: only $BOOTS"; return 1; }
	rm -rf "$W/next" && cp -R "$FIXTURES/$bt_spec" "$W/next" &&
	if [ -d "$ROOT" ]; then
		(cd "$ROOT" && find . -mindepth 1 -maxdepth 1 ! -name sys ! -name proc ! -name dev ! -name usr) |
		while read -r bt_f; do cp -a "$ROOT/$bt_f" "$W/next/" || exit 1; done &&
		for bt_d in bin lib; do
			cp -a "$ROOT/usr/$bt_d" "$W/next/usr/" || return 1
		done
	else
		arch_system "$W/next"
	fi &&
	rm -rf "$ROOT" && mv "$W/next" "$ROOT" &&
	mkdir -p "$ROOT/dev" && mknod "$ROOT/dev/kvm" c 10 232 &&
	if [ -d "$ROOT/sys/module/vfio" ]; then
		mkdir -p "$ROOT/dev/vfio" && mknod "$ROOT/dev/vfio/vfio" c 10 196
	fi &&
	echo "$1" >"$W/boot"
}

# arch_system DIR: the files of the guide's Arch system that the tools
# read: GRUB's /etc/default/grub, mkinitcpio's configuration and preset,
# the kernel and its initramfs image in /boot, the modules of the kernel
# in /usr/lib/modules (/lib a link, as Arch has it), the programs the
# tools look for.
arch_system() {
	mkdir -p "$1/etc/default" "$1/etc/mkinitcpio.d" "$1/boot/grub" "$1/root" &&
	cp "$FIXTURES/boot/arch-grub/etc/default/grub" "$1/etc/default/grub" &&
	cp "$TOP/tests/initramfs/mkinitcpio/arch-v39.conf" "$1/etc/mkinitcpio.conf" &&
	cp "$TOP/tests/initramfs/mkinitcpio/arch-v41-linux.preset" "$1/etc/mkinitcpio.d/linux.preset" &&
	: >"$1/boot/vmlinuz-linux" && : >"$1/boot/initramfs-linux.img" &&
	: >"$1/boot/grub/grub.cfg" &&
	vfio_kernel "$1" "$KERNEL" && ln -s usr/lib "$1/lib" &&
	installed "$1" /usr/bin/grub-mkconfig && installed "$1" /usr/bin/mkinitcpio
}

# host CMD: what a command other than the suite's does to the host, as
# far as a later command reads it; fails for a command not modelled.
host() {
	case $1 in
	'reboot')
		boot $(($(cat "$W/boot") + 1))
		;;
	'grub-mkconfig -o /boot/grub/grub.cfg')
		touch "$ROOT/boot/grub/grub.cfg"
		;;
	'mkinitcpio -P')
		touch "$ROOT/boot/initramfs-linux.img"
		;;
	'virsh dumpxml --inactive win11 >/root/win11.xml')
		# What libvirt 9 writes for a Windows 11 domain virt-manager
		# made, with the guest card's two functions added.
		cp "$TOP/tests/domains/win11-virsh.xml" "$ROOT/root/win11.xml"
		;;
	'virsh define /root/win11.xml')
		# libvirt's own state, which no later command reads.
		;;
	*)
		echo "the walkthrough's '$1' is neither a command of the suite nor one t9010 models"
		return 1
		;;
	esac
}

tools=$(cd "$TOP/cmd" && ls | sed 's/\.[ch]$//' | sort -u | tr '\n' ' ')

# step N: run command N of the walkthrough (in $W/cmd.N), its output,
# standard error and output together as a terminal shows them (script(1)
# gives it one), unrooted into ./got, compared with $W/exp.N.
step() {
	st_cmd=$(cat "$W/cmd.$1")
	set -f
	set -- $st_cmd
	set +f
	case " $tools " in
	*" $1 "*)
		# On a terminal, as the README shows it: standard output line
		# by line among standard error, not after it as into a file.
		st_line="'$1' --root '$ROOT'"
		shift
		for st_a; do st_line="$st_line '$st_a'"; done
		script -q -e -c "$st_line" /dev/null </dev/null >raw 2>&1
		tr -d '\r' <raw | unroot >got
		;;
	*)
		host "$st_cmd" >got 2>&1 || { cat got; return 1; }
		;;
	esac
	if [ -n "${WALKTHROUGH_PRINT:-}" ]; then
		{ echo "    # $st_cmd"; sed 's/^/    /' got; } >&3
	else
		test_cmp "$W/exp.$st_n" got
	fi
}

# The commands and their outputs, numbered in order.
awk -v dir="$W" '
	/^<!-- walkthrough -->$/ { on = 1; next }
	/^<!-- \/walkthrough -->$/ { on = 0; next }
	!on { next }
	/^    # / { n++; cmd = substr($0, 7); print cmd >(dir "/cmd." n); printf "" >(dir "/exp." n); inout = 1; next }
	/^    / && inout { print substr($0, 5) >(dir "/exp." n); next }
	{ inout = 0 }
	END { print n + 0 >(dir "/count") }
' "$TOP/README.md"
count=$(cat "$W/count")

test_expect_success 'the README has a walkthrough, from passcheck to passcheck --xml' "
	test $count -ge 10 &&
	grep -q -x 'passcheck.*' '$W/cmd.1' &&
	grep -q -x 'passcheck.*--xml.*' '$W/cmd.$count'
"

test_expect_success 'the first boot: the guide host before the IOMMU is on' 'boot 1'

n=1
while [ $n -le "$count" ]; do
	test_expect_success "README walkthrough: # $(cat "$W/cmd.$n")" "st_n=$n; step $n" 3>&1
	n=$((n + 1))
done

test_expect_success 'the walkthrough ends on the last boot modelled' "
	test \$(cat '$W/boot') = $(echo $BOOTS | wc -w)
"

test_done
