#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# What every writer promises beyond atomic replacement (docs/guarantees.md):
# parallel writers lose no update, a signal mid-commit leaves everything as
# it was or as a clean run leaves it, extended attributes (ACLs, user.*,
# security.*) are kept, hard links and removal through a link are refused
# with the reason, the longest names can be edited, thousands of files are
# written with few descriptors, and created directories are 0755 whatever
# the umask.
. "$(dirname "$0")/lib.sh"

BOOT=$FIXTURES/boot
FAILAT_SO=$BUILD/tests/preload/failat.so

# cpu: an Intel /proc/cpuinfo for the root in ./root.
cpu() {
	mkdir -p root/proc &&
	printf 'processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: fpu vme\n\n' >root/proc/cpuinfo
}

# grubroot: Debian's /etc/default/grub in ./root.
grubroot() {
	mkdir -p root/etc/default && cp "$BOOT/debian12/etc/default/grub" root/etc/default/grub && cpu
}

# sourced VAR: VAR once dash has sourced the root's /etc/default/grub.
sourced() {
	dash -c '. root/etc/default/grub >/dev/null 2>&1; eval "printf %s \"\${$1}\""' sh "$1"
}

# no_temp: no temporary file left in the root.
no_temp() {
	! find root -name '.#*' | grep .
}

WRITERS=4
RUNS=25
test_expect_success "$WRITERS parallel kcmdline-edit -a loops of $RUNS: every run succeeds, none is refused, no parameter lost" '
	grubroot &&
	for w in $(seq $WRITERS); do
		(for i in $(seq $RUNS); do
			if kcmdline-edit --root root --grub -a w$w.r$i=1 >/dev/null 2>err.$w.$i; then
				echo w$w.r$i=1 >>ok.$w
			else
				echo w$w.r$i=1 >>refused.$w
			fi
		done) &
	done &&
	wait &&
	cat ok.* >ok 2>/dev/null; cat refused.* >refused 2>/dev/null;
	sourced GRUB_CMDLINE_LINUX | tr " " "\n" | grep "^w[0-9]*\.r" | sort >there &&
	echo "# kcmdline-edit: $(wc -l <ok) of $((WRITERS * RUNS)) runs added their parameter, $(wc -l <refused) refused, $(($(wc -l <ok) - $(wc -l <there))) lost" >&3 &&
	cat err.* >err && test_cmp /dev/null err && test_cmp /dev/null refused &&
	test "$(wc -l <ok)" = $((WRITERS * RUNS)) &&
	sort ok >ok.sorted && test_cmp ok.sorted there &&
	no_temp
' 3>&1

# The steps of a commit, as failat.so sees them, for a signal at each.
if [ -f "$FAILAT_SO" ]; then
	for sig in TERM INT HUP; do
		test_expect_success "SIG$sig at every step of a two-file commit: all of it or none of it, no temporary file" "
			cp -R '$BOOT/fedora37' root && cpu && cp -R root before &&
			cp -R root clean && kcmdline-edit --root clean -a sig.test=1 >/dev/null &&
			ASAN_OPTIONS=\${ASAN_OPTIONS:+\$ASAN_OPTIONS:}verify_asan_link_order=0 \
				FAILAT_LOG=\$PWD/points LD_PRELOAD='$FAILAT_SO' kcmdline-edit --root before -a x=1 >/dev/null 2>&1;
			rm -rf before && cp -R root before && test -s points &&
			n=0 && whole=0 &&
			while read call at; do
				rm -rf t && cp -R before t &&
				rc=0 && ASAN_OPTIONS=\${ASAN_OPTIONS:+\$ASAN_OPTIONS:}verify_asan_link_order=0 \
					FAILAT=\$call:\$at:$sig LD_PRELOAD='$FAILAT_SO' kcmdline-edit --root t -a sig.test=1 >/dev/null 2>err || rc=\$?
				! find t -name '.#*' | grep . || { echo \"temporary left at \$call \$at\"; exit 1; }
				if diff -r before t >/dev/null; then :
				elif diff -r clean t >/dev/null; then whole=\$((whole + 1))
				else echo \"half done at \$call \$at (rc \$rc):\"; diff -r before t; exit 1
				fi
				n=\$((n + 1))
			done <points &&
			echo \"# SIG$sig: \$n commit steps, \$whole completed, \$((n - whole)) left as they were\" >&3
		" 3>&1
	done
else
	test_skip 'signals at every commit step' "no $FAILAT_SO (make check builds it)"
fi

if command -v setfacl >/dev/null && command -v setfattr >/dev/null; then
	test_expect_success 'an ACL, a user.* and a security.* attribute are kept across an edit' '
		grubroot && g=root/etc/default/grub &&
		setfacl -m u:1234:r,g:5678:rw "$g" &&
		setfattr -n user.origin -v "hand edited" "$g" &&
		setfattr -n security.vfio-test -v label "$g" &&
		getfattr -d -m - "$g" | sed 1d >before &&
		grep_q "^system.posix_acl_access" before && grep_q "^security.vfio-test" before &&
		getfacl -p "$g" >acl.before &&
		run kcmdline-edit --root root --grub -a intel_iommu=on && expect_rc 0 &&
		sourced GRUB_CMDLINE_LINUX_DEFAULT | grep -q intel_iommu=on ||
			sourced GRUB_CMDLINE_LINUX | grep -q intel_iommu=on &&
		getfattr -d -m - "$g" | sed 1d >after && test_cmp before after &&
		getfacl -p "$g" >acl.after && test_cmp acl.before acl.after
	'
else
	test_skip 'extended attributes kept' 'no setfacl/setfattr (packages acl, attr)'
fi

test_expect_success 'a file with two hard links is refused with the reason, both names unchanged' '
	grubroot && g=root/etc/default/grub && ln "$g" root/etc/default/grub.hard && cp "$g" before &&
	run kcmdline-edit --root root --grub -a intel_iommu=on && expect_rc 3 &&
	echo "kcmdline-edit: could not write '\''root/etc/default/grub'\'': it has 2 hard links, which a new file would part from; make it a file of its own (cp, then mv) and run again" >expect &&
	echo "kcmdline-edit: nothing changed" >>expect &&
	test_cmp expect err &&
	test_cmp before "$g" && test_cmp before root/etc/default/grub.hard &&
	test "$(stat -c %h "$g")" = 2 && no_temp
'

test_expect_success 'a symbolic link is edited through: the link kept, its target changed' '
	grubroot && mv root/etc/default/grub root/etc/default/grub.real &&
	ln -s grub.real root/etc/default/grub &&
	run kcmdline-edit --root root --grub -a intel_iommu=on && expect_rc 0 &&
	test -L root/etc/default/grub && test "$(readlink root/etc/default/grub)" = grub.real &&
	grep_q intel_iommu=on root/etc/default/grub.real
'

NAME247=$(printf "%0247d" 0 | tr 0 e)
NAME250=$(printf "%0250d" 0 | tr 0 e)
for name in "$NAME247" "$NAME250"; do
	test_expect_success "a BLS entry named with ${#name}+5 bytes can be edited" "
		cp -R '$BOOT/arch-sdboot' root && cpu &&
		mv root/boot/loader/entries/arch.conf root/boot/loader/entries/$name.conf &&
		run kcmdline-edit --root root -a intel_iommu=on && expect_rc 0 &&
		grep_q '^options.*intel_iommu=on' root/boot/loader/entries/$name.conf && no_temp
	"
done

test_expect_success '1,100 BLS entries edited under ulimit -n 256, all of them' '
	cp -R "$BOOT/arch-sdboot" root && cpu &&
	e=root/boot/loader/entries &&
	for i in $(seq 1100); do cp $e/arch.conf $e/k$i.conf; done &&
	run sh -c "ulimit -n 256 && exec kcmdline-edit --root root -a intel_iommu=on" && expect_rc 0 &&
	test "$(grep -l "^options.*intel_iommu=on" $e/*.conf | wc -l)" = 1102 && no_temp
'

Z=$FIXTURES/z490-guide
TRIALS=15
test_expect_success "3 parallel vfio-bind --persist of distinct devices, $TRIALS times: every run succeeds and every device is bound by modprobe's reading" '
	cp -R "$Z" root && mkdir -p root/sys/bus/pci/drivers/vfio-pci &&
	oks=0 refused=0 lost=0 &&
	for t in $(seq $TRIALS); do
		rm -rf root/etc/modprobe.d && mkdir -p root/etc/modprobe.d && rm -f ok.* &&
		for d in 07:00.0 00:14.0 00:02.0; do
			(vfio-bind --root root --persist $d >/dev/null 2>err.$t.$d && touch ok.$d) &
		done &&
		wait &&
		modprobe -C root/etc/modprobe.d --showconfig | sed -n "s/^options vfio_pci ids=//p" | tr , "\n" >ids &&
		for d in 07:00.0 00:14.0 00:02.0; do
			id=$(cat root/sys/bus/pci/devices/0000:$d/vendor root/sys/bus/pci/devices/0000:$d/device |
				sed "s/^0x//" | paste -sd:) &&
			if [ -e ok.$d ]; then oks=$((oks + 1)); else refused=$((refused + 1)); fi &&
			grep -qx "$id" ids || { lost=$((lost + 1)); echo "trial $t: $d ($id) lost"; }
		done
	done &&
	echo "# vfio-bind: $oks of $((3 * TRIALS)) runs persisted their device, $refused refused, $lost lost" >&3 &&
	cat err.* >err && test_cmp /dev/null err &&
	test $oks = $((3 * TRIALS)) && test $lost = 0 && no_temp
' 3>&1

test_expect_success "4 parallel virtxml-hide -i loops of 10 with distinct vendor ids: every run succeeds, the file stays valid and holds one of their ids" '
	cp "$TOP/tests/domains/win10-virsh.xml" dom.xml &&
	for w in 1 2 3 4; do
		(for i in $(seq 10); do
			virtxml-hide -i --vendor-id v${w}r$i dom.xml >/dev/null 2>err.$w.$i &&
				echo v${w}r$i >>ok.$w
		done) &
	done &&
	wait &&
	echo "# virtxml-hide: $(cat ok.* | wc -l) of 40 runs wrote their id, $((40 - $(cat ok.* | wc -l))) refused" >&3 &&
	cat err.* >err && test_cmp /dev/null err && test "$(cat ok.* | wc -l)" = 40 &&
	virt-xml-validate dom.xml domain >/dev/null &&
	now=$(sed -n "s/.*<vendor_id state=.on. value=.\([^\"'\'']*\).*/\1/p" dom.xml) &&
	test -n "$now" && cat ok.* | grep -qx "$now" && ! find . -name ".#*" | grep .
' 3>&1

test_expect_success "4 parallel virtxml-hostdev -i loops of 10, the card added and --remove in turn: every run succeeds, the end is what one run after another leaves" '
	cp -R "$Z" root && cp "$TOP/tests/domains/win10-virsh.xml" root/dom.xml &&
	for w in 1 2 3 4; do
		(for i in $(seq 10); do
			if [ $((i % 2)) = 1 ]; then set -- 07:00.0; else set -- --remove; fi
			virtxml-hostdev --root root -i "$@" /dom.xml >/dev/null 2>err.$w.$i && echo $w.$i >>ok.$w
		done) &
	done &&
	wait &&
	echo "# virtxml-hostdev: $(cat ok.* | wc -l) of 40 runs succeeded, $((40 - $(cat ok.* | wc -l))) refused" >&3 &&
	cat err.* >err && test_cmp /dev/null err && test "$(cat ok.* | wc -l)" = 40 &&
	test_cmp "$TOP/tests/domains/win10-virsh.xml" root/dom.xml && no_temp &&
	virtxml-hostdev --root root -i 07:00.0 /dom.xml >/dev/null && virt-xml-validate root/dom.xml domain >/dev/null
' 3>&1

if command -v setfacl >/dev/null && command -v setfattr >/dev/null; then
	test_expect_success 'virtxml-hostdev -i and -i --remove keep the mode, owner, ACL and extended attributes of the domain file' '
		cp -R "$Z" root && f=root/etc/libvirt/qemu/win11.xml && mkdir -p root/etc/libvirt/qemu &&
		cp "$TOP/tests/domains/win10-virsh.xml" $f && chmod 600 $f &&
		setfacl -m u:1234:r $f && setfattr -n user.origin -v "virsh define" $f &&
		setfattr -n security.vfio-test -v label $f &&
		getfattr -d -m - $f | sed 1d >before && grep_q "^system.posix_acl_access" before &&
		stat -c "%a %u %g" $f >stat.before &&
		for args in 07:00.0 --remove; do
			run virtxml-hostdev --root root -i $args /etc/libvirt/qemu/win11.xml && expect_rc 0 &&
			grep_q "^updated .root/etc/libvirt/qemu/win11.xml.$" out &&
			getfattr -d -m - $f | sed 1d >after && test_cmp before after &&
			stat -c "%a %u %g" $f >stat.after && test_cmp stat.before stat.after || return 1
		done &&
		test_cmp "$TOP/tests/domains/win10-virsh.xml" $f && no_temp
	'
fi

test_expect_success 'a directory a writer creates is 0755 under umask 077' '
	cp -R "$Z" root && rm -rf root/etc/modprobe.d && mkdir -p root/sys/bus/pci/drivers/vfio-pci &&
	run sh -c "umask 077 && exec vfio-bind --root root --persist 07:00.0" && expect_rc 0 &&
	test "$(stat -c %a root/etc/modprobe.d)" = 755
'

test_expect_success 'vfio-bind --unbind --persist through a link to /usr/lib/modprobe.d: refused with the target, which is kept' '
	cp -R "$Z" root && mkdir -p root/sys/bus/pci/drivers/vfio-pci &&
	vfio-bind --root root --persist 07:00.0 >/dev/null &&
	mkdir -p root/usr/lib/modprobe.d && mv root/etc/modprobe.d/vfio.conf root/usr/lib/modprobe.d/vfio.conf &&
	ln -s /usr/lib/modprobe.d/vfio.conf root/etc/modprobe.d/vfio.conf &&
	cp root/usr/lib/modprobe.d/vfio.conf before &&
	run vfio-bind --root root --unbind --persist 07:00.0 && expect_rc 3 &&
	grep_q "could not remove .root/etc/modprobe.d/vfio.conf.: a symbolic link to ./usr/lib/modprobe.d/vfio.conf." err &&
	! grep -qi removed out &&
	test -L root/etc/modprobe.d/vfio.conf && test_cmp before root/usr/lib/modprobe.d/vfio.conf
'

# dracutroot: Fedora with dracut and a kernel holding the vfio modules.
dracutroot() {
	k=root/usr/lib/modules/6.5.6-300.fc39.x86_64 &&
	mkdir -p root/etc/dracut.conf.d root/usr/bin "$k" && ln -s usr/lib root/lib &&
	printf "#!/bin/sh\n" >root/usr/bin/dracut && chmod 755 root/usr/bin/dracut && : >"$k/modules.builtin" &&
	printf "%s:\n" kernel/drivers/vfio/pci/vfio-pci.ko.zst kernel/drivers/vfio/vfio.ko.zst \
		kernel/drivers/vfio/vfio_iommu_type1.ko.zst >"$k/modules.dep"
}

if [ -f "$FAILAT_SO" ]; then
	test_expect_success 'a file created through a dangling link, then rolled back: the link kept, the new file gone' "
		dracutroot && ln -s 10-vfio-real.conf root/etc/dracut.conf.d/10-vfio.conf &&
		cp -R root probe &&
		ASAN_OPTIONS=\${ASAN_OPTIONS:+\$ASAN_OPTIONS:}verify_asan_link_order=0 \
			FAILAT_LOG=\$PWD/points LD_PRELOAD='$FAILAT_SO' initramfs-vfio --root probe >/dev/null &&
		test -f probe/etc/dracut.conf.d/10-vfio-real.conf &&
		last=\$(grep '^fsync' points | tail -1 | cut -d' ' -f2) &&
		run env ASAN_OPTIONS=\${ASAN_OPTIONS:+\$ASAN_OPTIONS:}verify_asan_link_order=0 \
			FAILAT=fsync:\$last LD_PRELOAD='$FAILAT_SO' initramfs-vfio --root root && expect_rc 3 &&
		grep_q 'nothing changed' err &&
		test -L root/etc/dracut.conf.d/10-vfio.conf &&
		test \"\$(readlink root/etc/dracut.conf.d/10-vfio.conf)\" = 10-vfio-real.conf &&
		test ! -e root/etc/dracut.conf.d/10-vfio-real.conf && no_temp
	"
fi

test_expect_success "4 parallel initramfs-vfio loops of 10, set up and --remove in turn: every run succeeds, the end is what one run after another leaves" '
	dracutroot && cp -R root serial &&
	initramfs-vfio --root serial >/dev/null && test -f serial/etc/dracut.conf.d/10-vfio.conf &&
	initramfs-vfio --root serial --remove >/dev/null &&
	for w in 1 2 3 4; do
		(for i in $(seq 10); do
			if [ $((i % 2)) = 1 ]; then set -- ; else set -- --remove; fi
			initramfs-vfio --root root "$@" >/dev/null 2>err.$w.$i && echo $w.$i >>ok.$w
		done) &
	done &&
	wait &&
	echo "# initramfs-vfio: $(cat ok.* | wc -l) of 40 runs succeeded, $((40 - $(cat ok.* | wc -l))) refused" >&3 &&
	cat err.* >err && test_cmp /dev/null err && test "$(cat ok.* | wc -l)" = 40 &&
	diff -r serial root && no_temp
' 3>&1

if [ -f "$FAILAT_SO" ] && command -v setfacl >/dev/null && command -v setfattr >/dev/null; then
	test_expect_success 'a removed file put back on rollback gets its mode, ACL and extended attributes back' "
		dracutroot && initramfs-vfio --root root >/dev/null &&
		f=root/etc/dracut.conf.d/10-vfio.conf && test -f \$f &&
		chmod 640 \$f && setfacl -m u:1234:r \$f && setfattr -n user.origin -v 'hand kept' \$f &&
		setfattr -n security.vfio-test -v label \$f &&
		getfattr -d -m - \$f | sed 1d >xattrs.before && grep_q '^user.origin' xattrs.before &&
		grep_q '^system.posix_acl_access' xattrs.before && stat -c '%a %u %g' \$f >stat.before &&
		cp \$f before && cp -a root probe &&
		ASAN_OPTIONS=\${ASAN_OPTIONS:+\$ASAN_OPTIONS:}verify_asan_link_order=0 \
			FAILAT_LOG=\$PWD/points LD_PRELOAD='$FAILAT_SO' initramfs-vfio --root probe --remove >/dev/null &&
		test ! -e probe/etc/dracut.conf.d/10-vfio.conf &&
		last=\$(grep '^fsync' points | tail -1 | cut -d' ' -f2) &&
		run env ASAN_OPTIONS=\${ASAN_OPTIONS:+\$ASAN_OPTIONS:}verify_asan_link_order=0 \
			FAILAT=fsync:\$last LD_PRELOAD='$FAILAT_SO' initramfs-vfio --root root --remove && expect_rc 3 &&
		grep_q 'nothing changed' err && test_cmp before \$f &&
		stat -c '%a %u %g' \$f >stat.after && test_cmp stat.before stat.after &&
		getfattr -d -m - \$f | sed 1d >xattrs.after && test_cmp xattrs.before xattrs.after && no_temp
	"
fi

test_expect_success 'a dangling /etc/modprobe.d link: a message naming the link and its target' '
	cp -R "$Z" root && rm -rf root/etc/modprobe.d && mkdir -p root/sys/bus/pci/drivers/vfio-pci &&
	mkdir -p root/etc && ln -s /nowhere/modprobe.d root/etc/modprobe.d &&
	run vfio-bind --root root --persist 07:00.0 && expect_rc 3 &&
	grep_q "could not create .root/etc/modprobe.d.: .root/etc/modprobe.d. is a symbolic link to ./nowhere/modprobe.d., which does not exist" err &&
	! grep -q "Not a directory" err && test -L root/etc/modprobe.d && no_temp
'

test_done
