#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# initramfs-vfio on real configuration files (tests/initramfs/, see its
# README), each result judged the way its generator reads it: bash
# sourcing mkinitcpio.conf and its drop-ins as mkinitcpio does, dracut's
# own functions reading dracut.conf.d, initramfs-tools' hook-functions
# reading the modules file, a YAML parser and booster's comma split for
# booster.yaml.
. "$(dirname "$0")/lib.sh"

C=$TOP/tests/initramfs
Z=$FIXTURES/z490-guide
[ -d "$C" ] || skip_all "corpus tests/initramfs missing"
DRACUT=$(debian_package dracut-core) || exit 1
ITOOLS=$(debian_package initramfs-tools-core) || exit 1
J=$TEST_TMP/judges
mkdir -p "$J"

# mkinitcpio-sees ROOT: MODULES, HOOKS and FILES as mkinitcpio has them:
# mkinitcpio.conf and the drop-ins (sort -V) concatenated and sourced,
# strings split on spaces as arrayize_config does, unless a preset names
# a configuration file; then the lines the systemd hook writes to
# modules-load.d, which sources the configuration once more.
cat >"$J/mkinitcpio-sees" <<'EOF'
root=$1
conf=$(mktemp)
cat "$root/etc/mkinitcpio.conf" >"$conf"
if [ -d "$root/etc/mkinitcpio.conf.d" ] &&
   ! grep -sqE '^[[:space:]]*[A-Za-z0-9_]+_config=["'"'"']?[^"'"'"' ]' "$root"/etc/mkinitcpio.d/*.preset; then
	while IFS= read -r -d '' f; do
		cat "$root/etc/mkinitcpio.conf.d/$f" >>"$conf"
	done < <(find "$root/etc/mkinitcpio.conf.d" -maxdepth 1 -xtype f -name '*.conf' -printf '%f\0' |
		 LC_ALL=C.UTF-8 sort -zVu)
fi
cd / && . "$conf" || exit 1
set -f
[[ ${MODULES@a} != *a* ]] && IFS=' ' read -r -a MODULES <<<"$MODULES"
[[ ${HOOKS@a} != *a* ]] && IFS=' ' read -r -a HOOKS <<<"$HOOKS"
[[ ${FILES@a} != *a* ]] && IFS=' ' read -r -a FILES <<<"$FILES"
echo "MODULES=${MODULES[*]}"
echo "HOOKS=${HOOKS[*]}"
echo "FILES=${FILES[*]}"
( . "$conf"; printf 'modules-load.d: %s\n' "${MODULES[@]}" )
rm -f "$conf"
EOF

# dracut-sees ROOT: force_drivers as rd.driver.pre= and install_items, from
# dracut.conf and the drop-ins read by dracut's own dropindirs_sort, with
# its check_conf_file warnings.
cat >"$J/dracut-sees" <<EOF
eval "\$(sed -n '/^dropindirs_sort()/,/^}/p; /^check_conf_file()/,/^}/p' '$DRACUT/usr/bin/dracut')"
EOF
cat >>"$J/dracut-sees" <<'EOF'
root=$1
[[ -f $root/etc/dracut.conf ]] && . "$root/etc/dracut.conf"
for f in $(dropindirs_sort ".conf" "$root/etc/dracut.conf.d" "$root/usr/lib/dracut/dracut.conf.d"); do
	check_conf_file "$f" >&2
	. "$f"
done
force_drivers=${force_drivers//-/_}
for m in $force_drivers; do echo "rd.driver.pre=$m"; done
for i in $install_items; do echo "install $i"; done
EOF

# itools-sees ROOT: what initramfs-tools' hook-functions make of the modules
# file: the image's /conf/modules, loaded in order at boot.
cat >"$J/itools-sees" <<EOF
ITOOLS='$ITOOLS'
EOF
cat >>"$J/itools-sees" <<'EOF'
root=$(cd "$1" && pwd)
DESTDIR=$PWD/image version=0-none verbose=n
export DESTDIR version verbose
rm -rf image && mkdir -p image/conf
. "$ITOOLS/usr/share/initramfs-tools/hook-functions"
add_modules_from_file "$root/etc/initramfs-tools/modules"
sed 's/^/modules: /' image/conf/modules
EOF

# booster-sees ROOT: modules_force_load as booster splits it.
booster_sees() {
	python3 -c '
import sys, yaml
d = yaml.safe_load(open(sys.argv[1])) or {}
for m in str(d.get("modules_force_load") or "").split(","):
    if m.strip():
        print("force_load " + m.strip())
' "$1/etc/booster.yaml"
}

# vfio_ahead: the MODULES= line on stdin has vfio_pci, vfio and
# vfio_iommu_type1, all ahead of every GPU driver (the names as mkinitcpio
# normalises them: '-' is '_', a trailing '?' marks optional).
vfio_ahead() {
	awk '/^MODULES=/ || /^rd.driver.pre=/ || /^modules: / || /^force_load / {
		sub(/^MODULES=/, ""); sub(/^rd.driver.pre=/, ""); sub(/^modules: /, ""); sub(/^force_load /, "")
		for (i = 1; i <= NF; i++) {
			m = $i; sub(/\?$/, "", m); gsub(/-/, "_", m)
			if (m ~ /^(amdgpu|radeon|nouveau|nvidia|nvidia_drm|nvidia_modeset|nvidia_uvm|i915|xe|snd_hda_intel)$/) gpu = 1
			if (m == "vfio_pci" || m == "vfio" || m == "vfio_iommu_type1") { if (gpu) late = late " " m; seen[m] = 1 }
			if (m == "vfio_pci" || m == "vfio" || m == "vfio_iommu_type1" || m == "vfio_virqfd") n[m]++
		}
	}
	END {
		if (!seen["vfio_pci"] || !seen["vfio"] || !seen["vfio_iommu_type1"]) { print "missing a vfio module"; exit 1 }
		if (late != "") { print "behind a GPU driver:" late; exit 1 }
		for (m in n) if (n[m] > 1) { print m " twice"; exit 1 }
	}'
}

# arch ROOT CONF: Arch with mkinitcpio, CONF as its mkinitcpio.conf.
arch() {
	mkdir -p "$1/etc" && ln -s usr/lib "$1/lib" && cp "$2" "$1/etc/mkinitcpio.conf" &&
	installed "$1" /usr/bin/mkinitcpio && vfio_kernel "$1" 6.6.8-arch1-1
}

# debian ROOT: Debian 12 with initramfs-tools and its modules file.
debian() {
	mkdir -p "$1/etc/initramfs-tools" && ln -s usr/lib "$1/lib" &&
	cp "$C/initramfs-tools/debian-modules" "$1/etc/initramfs-tools/modules" &&
	installed "$1" /usr/sbin/update-initramfs && installed "$1" /usr/sbin/mkinitramfs &&
	vfio_kernel "$1" 6.1.0-18-amd64 virqfd
}

# guide ROOT: the /etc of the guide's host after vfio-bind --persist
# 07:00.0, which binds its HDMI audio by address from modprobe's install
# command (the sysfs tree, slow to copy, stays behind).
G=$TEST_TMP/guide
cp -R "$Z" "$G" && mkdir -p "$G/sys/bus/pci/drivers/vfio-pci" &&
vfio-bind --root "$G" --persist 07:00.0 >/dev/null &&
grep -q "^install vfio-pci " "$G/etc/modprobe.d/vfio.conf" || exit 1
guide() {
	mkdir -p "$1" && cp -R "$G/etc" "$1/"
}

MK="$C/mkinitcpio"

test_expect_success 'mkinitcpio corpus: vfio ahead of the GPU drivers, modconf, once; a second run changes nothing; --remove gives the file back' '
	for f in "$MK"/*.conf; do
		rm -rf root && arch root "$f" &&
		run initramfs-vfio --root root -g mkinitcpio && expect_rc 0 &&
		bash "$J/mkinitcpio-sees" root >seen && vfio_ahead <seen &&
		grep -q "^HOOKS=.*\bmodconf\b" seen &&
		cp root/etc/mkinitcpio.conf first &&
		run initramfs-vfio --root root -g mkinitcpio && expect_rc 0 &&
		grep_q "^mkinitcpio: already loads VFIO early; nothing changed" out &&
		cmp first root/etc/mkinitcpio.conf &&
		run initramfs-vfio --root root -g mkinitcpio --check && expect_rc 0 &&
		initramfs-vfio --root root -g mkinitcpio --remove >/dev/null &&
		cmp "$f" root/etc/mkinitcpio.conf || { echo "with $f"; return 1; }
	done
'

test_expect_success "Arch's systemd default: the three modules, the HOOKS kept, systemd-modules-load gets one each" '
	arch root "$MK/arch-v41-systemd.conf" &&
	run initramfs-vfio --root root && expect_rc 0 &&
	grep_q "^mkinitcpio: updated '"'"'root/etc/mkinitcpio.conf'"'"'" out &&
	grep_q "^  chroot root mkinitcpio -P\$" out &&
	bash "$J/mkinitcpio-sees" root >seen &&
	cat >expect <<-EOF &&
	MODULES=vfio_pci vfio vfio_iommu_type1
	HOOKS=base systemd autodetect microcode modconf kms keyboard sd-vconsole block filesystems fsck
	FILES=
	modules-load.d: vfio_pci
	modules-load.d: vfio
	modules-load.d: vfio_iommu_type1
	EOF
	test_cmp expect seen &&
	grep_q "^# initramfs-vfio added to MODULES: vfio_pci vfio vfio_iommu_type1\$" root/etc/mkinitcpio.conf
'

test_expect_success 'GPU drivers in MODULES: vfio goes right ahead of the first, the rest in their order' '
	arch root "$MK/ravirahar-nvidia.conf" &&
	initramfs-vfio --root root >/dev/null &&
	bash "$J/mkinitcpio-sees" root | grep "^MODULES=" >seen &&
	echo "MODULES=nvme vfio_pci vfio vfio_iommu_type1 nvidia nvidia_modeset nvidia_uvm nvidia_drm" >expect &&
	test_cmp expect seen
'

test_expect_success 'HOOKS without modconf, one word a line: modconf after systemd, on a line of its own' '
	arch root "$MK/th3whit3wolf-multiline.conf" &&
	initramfs-vfio --root root -n >diff &&
	grep_q "^+	modconf\$" diff && grep_q "^+	vfio_pci\$" diff &&
	initramfs-vfio --root root >/dev/null &&
	bash "$J/mkinitcpio-sees" root | grep "^HOOKS=" >seen &&
	echo "HOOKS=base systemd modconf" >expect && test_cmp expect seen
'

test_expect_success 'HOOKS set twice: modconf goes into the second, and --remove takes it from there' '
	sed "s/^HOOKS=(\(.*\))\$/HOOKS=(\1)\nHOOKS=(base udev block filesystems)/" "$MK/arch-v41-udev.conf" >conf &&
	grep -c "^HOOKS=" conf | grep -qx 2 && arch root conf &&
	initramfs-vfio --root root >/dev/null &&
	bash "$J/mkinitcpio-sees" root | grep "^HOOKS=" >seen &&
	echo "HOOKS=base udev modconf block filesystems" >expect && test_cmp expect seen &&
	initramfs-vfio --root root --remove >/dev/null && cmp conf root/etc/mkinitcpio.conf
'

test_expect_success 'the legacy string form stays a string, split by mkinitcpio into the modules' '
	arch root "$MK/arch-v23-string.conf" &&
	initramfs-vfio --root root >/dev/null &&
	grep_q "^MODULES=\"vfio_pci vfio vfio_iommu_type1\"\$" root/etc/mkinitcpio.conf &&
	bash "$J/mkinitcpio-sees" root >seen && vfio_ahead <seen
'

test_expect_success 'a string MODULES with systemd HOOKS is refused: the hook would hand systemd-modules-load one long name' '
	sed "s/^HOOKS=.*/HOOKS=\"base systemd autodetect modconf block filesystems fsck\"/" \
		"$MK/arch-v23-string.conf" >conf &&
	arch root conf && cp -R root before &&
	run initramfs-vfio --root root && expect_rc 3 &&
	grep_q "MODULES is a string, which the systemd hook passes to systemd-modules-load as one name" err &&
	same_tree before root &&
	sed "s/^MODULES=\"\"/MODULES=\"vfio_pci vfio vfio_iommu_type1\"/" conf >root/etc/mkinitcpio.conf &&
	bash "$J/mkinitcpio-sees" root | grep "^modules-load.d: vfio_pci vfio vfio_iommu_type1\$"
'

test_expect_success 'a file that sets no MODULES (none is mkinitcpio'"'"'s default) gets it at its end; --remove takes it out' '
	grep -v "^MODULES=" "$MK/arch-v41-systemd.conf" >conf && arch root conf &&
	initramfs-vfio --root root >/dev/null &&
	tail -n 2 root/etc/mkinitcpio.conf >tail &&
	printf "# initramfs-vfio added MODULES: vfio_pci vfio vfio_iommu_type1\nMODULES=(vfio_pci vfio vfio_iommu_type1)\n" >expect &&
	test_cmp expect tail &&
	bash "$J/mkinitcpio-sees" root | vfio_ahead &&
	initramfs-vfio --root root --remove >/dev/null && cmp conf root/etc/mkinitcpio.conf
'

test_expect_success 'a drop-in that sets MODULES is where the modules go' '
	arch root "$MK/arch-v41-udev.conf" && mkdir root/etc/mkinitcpio.conf.d &&
	cp "$MK/moeos-override.dropin" root/etc/mkinitcpio.conf.d/moeOS-override.conf &&
	run initramfs-vfio --root root && expect_rc 0 &&
	grep_q "updated '"'"'root/etc/mkinitcpio.conf.d/moeOS-override.conf'"'"'" out &&
	cmp "$MK/arch-v41-udev.conf" root/etc/mkinitcpio.conf &&
	bash "$J/mkinitcpio-sees" root >seen && vfio_ahead <seen &&
	grep_q "^HOOKS=systemd microcode kms plymouth plymouth-shutdown modconf" seen
'

test_expect_success '--drop-in: MODULES+=() in vfio.conf, mkinitcpio.conf untouched; it stays the place; --remove deletes it' '
	arch root "$MK/arch-v41-systemd.conf" &&
	run initramfs-vfio --root root --drop-in && expect_rc 0 &&
	grep_q "created '"'"'root/etc/mkinitcpio.conf.d/vfio.conf'"'"'" out &&
	cmp "$MK/arch-v41-systemd.conf" root/etc/mkinitcpio.conf &&
	grep_q "^MODULES+=(vfio_pci vfio vfio_iommu_type1)\$" root/etc/mkinitcpio.conf.d/vfio.conf &&
	! grep -q HOOKS root/etc/mkinitcpio.conf.d/vfio.conf &&
	bash "$J/mkinitcpio-sees" root >seen && vfio_ahead <seen &&
	run initramfs-vfio --root root --check && expect_rc 0 &&
	run initramfs-vfio --root root && expect_rc 0 && grep_q "nothing changed" out &&
	cmp "$MK/arch-v41-systemd.conf" root/etc/mkinitcpio.conf &&
	initramfs-vfio --root root --remove >/dev/null &&
	test ! -e root/etc/mkinitcpio.conf.d/vfio.conf
'

test_expect_success '--drop-in after an edit in place moves the part over, and back is --remove then a run' '
	arch root "$MK/adikari-kms.conf" &&
	initramfs-vfio --root root >/dev/null &&
	initramfs-vfio --root root --drop-in >/dev/null &&
	cmp "$MK/adikari-kms.conf" root/etc/mkinitcpio.conf &&
	bash "$J/mkinitcpio-sees" root >seen && vfio_ahead <seen
'

test_expect_success '--drop-in with a GPU driver in MODULES is refused: appending would load it first' '
	arch root "$MK/0x020b-amdgpu-encrypt.conf" && cp -R root before &&
	run initramfs-vfio --root root --drop-in && expect_rc 3 &&
	grep_q "line 1 loads amdgpu from MODULES, and a drop-in can only add after it" err &&
	same_tree before root
'

test_expect_success '--drop-in with a preset that names the configuration: warned, naming the line' '
	arch root "$MK/arch-v41-systemd.conf" && mkdir root/etc/mkinitcpio.d &&
	cp "$MK/0x020b-linux-zen.preset" root/etc/mkinitcpio.d/linux-zen.preset &&
	run initramfs-vfio --root root --drop-in && expect_rc 0 &&
	grep_q "linux-zen.preset'"'"' line 1 sets ALL_config: mkinitcpio -P then ignores the drop-ins" err &&
	cp "$MK/arch-v41-linux.preset" root/etc/mkinitcpio.d/linux-zen.preset &&
	run initramfs-vfio --root root --drop-in && expect_rc 0 && test ! -s err
'

test_expect_success 'a preset that builds from another file is named' '
	arch root "$MK/arch-v39.conf" && mkdir root/etc/mkinitcpio.d &&
	cp "$MK/arch-v33-linux.preset" root/etc/mkinitcpio.d/linux.preset &&
	printf "fallback_config=\"/etc/mkinitcpio-fallback.conf\"\n" >>root/etc/mkinitcpio.d/linux.preset &&
	run initramfs-vfio --root root && expect_rc 0 &&
	grep_q "fallback_config names '"'"'/etc/mkinitcpio-fallback.conf'"'"', which initramfs-vfio does not edit" err
'

test_expect_success 'vfio_virqfd: added for a kernel before 6.2 that has it, taken out again after the upgrade' '
	arch root "$MK/arch-v31.conf" && rm -r root/usr/lib/modules/* && vfio_kernel root 6.1.69-1-lts virqfd &&
	initramfs-vfio --root root >/dev/null &&
	bash "$J/mkinitcpio-sees" root | grep_q "^MODULES=vfio_pci vfio vfio_iommu_type1 vfio_virqfd\$" - &&
	vfio_kernel root 6.6.8-arch1-1 &&
	initramfs-vfio --root root >/dev/null &&
	bash "$J/mkinitcpio-sees" root | grep_q "^MODULES=vfio_pci vfio vfio_iommu_type1\$" - &&
	rm -r root/usr/lib/modules/6.1.69-1-lts && initramfs-vfio --root root --remove >/dev/null &&
	cmp "$MK/arch-v31.conf" root/etc/mkinitcpio.conf
'

test_expect_success '--kernel: the version decides where there is no module tree' '
	arch root "$MK/arch-v31.conf" &&
	initramfs-vfio --root root --kernel 5.15.0-91-generic -n | grep_q "^+MODULES=(vfio_pci vfio vfio_iommu_type1 vfio_virqfd)\$" - &&
	initramfs-vfio --root root --kernel 6.2.0 -n | grep_q "^+MODULES=(vfio_pci vfio vfio_iommu_type1)\$" -
'

test_expect_success '--remove --kernel: everything added is taken out, whatever the kernel' '
	arch root "$MK/arch-v31.conf" && rm -r root/usr/lib/modules/* && vfio_kernel root 6.1.69-1-lts virqfd &&
	initramfs-vfio --root root >/dev/null &&
	bash "$J/mkinitcpio-sees" root | grep_q "^MODULES=vfio_pci vfio vfio_iommu_type1 vfio_virqfd\$" - &&
	run initramfs-vfio --root root --remove --kernel 6.6.8-arch1-1 && expect_rc 0 && test ! -s err &&
	cmp "$MK/arch-v31.conf" root/etc/mkinitcpio.conf
'

test_expect_success 'a vfio_virqfd of the user'"'"'s on a kernel without it: warned, left alone' '
	arch root "$MK/ozzyhelix-vfio-nouveau.conf" && sed -i "s/vfio_pci amdgpu/vfio_pci vfio_virqfd amdgpu/" root/etc/mkinitcpio.conf &&
	run initramfs-vfio --root root && expect_rc 0 &&
	grep_q "MODULES lists vfio_virqfd, which kernel 6.6.8-arch1-1 does not have" err &&
	grep_q "vfio_virqfd" root/etc/mkinitcpio.conf
'

test_expect_success 'vfio-pci built into every kernel: nothing to load, the kernel parameter with the IDs, nothing written' '
	arch root "$MK/arch-v41-systemd.conf" &&
	echo kernel/drivers/vfio/pci/vfio-pci.ko >root/usr/lib/modules/6.6.8-arch1-1/modules.builtin &&
	mkdir -p root/etc/modprobe.d && echo "options vfio-pci ids=1002:73ff,1002:ab28 disable_vga=1" >root/etc/modprobe.d/vfio.conf &&
	cp -R root before &&
	run initramfs-vfio --root root && expect_rc 0 &&
	grep_q "^vfio_pci is built into kernel 6.6.8-arch1-1: nothing to load for it\$" out &&
	grep_q "^  kcmdline-edit --add vfio-pci.ids=1002:73ff,1002:ab28\$" out &&
	same_tree before root &&
	run initramfs-vfio --root root --check && expect_rc 0 && test ! -s out
'

test_expect_success 'vfio-pci built in, two options lines set ids=: the parameter takes the last, as modprobe gives it' '
	arch root "$MK/arch-v41-systemd.conf" &&
	echo kernel/drivers/vfio/pci/vfio-pci.ko >root/usr/lib/modules/6.6.8-arch1-1/modules.builtin &&
	mkdir -p root/etc/modprobe.d &&
	printf "options vfio-pci ids=10de:2484\noptions vfio_pci disable_vga=1 ids=1002:73ff,1002:ab28\n" >root/etc/modprobe.d/vfio.conf &&
	run initramfs-vfio --root root && expect_rc 0 &&
	grep_q "^  kcmdline-edit --add vfio-pci.ids=1002:73ff,1002:ab28\$" out &&
	modprobe -C root/etc/modprobe.d --showconfig | grep "^options vfio_pci" >conf &&
	test "$(wc -l <conf)" -eq 2 &&
	test "$(sed -n "s/.*ids=\([^ ]*\).*/\1/p" conf | tail -n 1)" = 1002:73ff,1002:ab28
'

test_expect_success 'vfio-pci built into one kernel of two: the other gets the modules, the first the parameter' '
	arch root "$MK/arch-v41-systemd.conf" && vfio_kernel root 6.8.0-31-generic &&
	echo kernel/drivers/vfio/pci/vfio-pci.ko >root/usr/lib/modules/6.8.0-31-generic/modules.builtin &&
	run initramfs-vfio --root root && expect_rc 0 &&
	grep_q "^vfio_pci is built into kernel 6.8.0-31-generic" out &&
	grep_q "^  kcmdline-edit --add vfio-pci.ids=VENDOR:DEVICE,...\$" out &&
	bash "$J/mkinitcpio-sees" root | vfio_ahead
'

test_expect_success 'a MODULES that expands is not parsed: a clear error, nothing changed' '
	printf "MODULES=(\$(cat /etc/gpu-modules))\nHOOKS=(base udev modconf)\n" >conf &&
	arch root conf && cp -R root before &&
	run initramfs-vfio --root root && expect_rc 3 &&
	grep_q "^initramfs-vfio: could not parse '"'"'root/etc/mkinitcpio.conf'"'"' line 1: '"'"'\$'"'"', which has a meaning to the shell\$" err &&
	grep_q "nothing changed" err && same_tree before root
'

test_expect_success '-n: a diff that patch turns into what a run writes' '
	guide root && arch root "$MK/literacyfanatic-systemd.conf" && cp -R root dry &&
	run initramfs-vfio --root dry -n && expect_rc 0 &&
	initramfs-vfio --root root >/dev/null &&
	(cd dry && patch -s -p1 <../out) &&
	cmp dry/etc/mkinitcpio.conf root/etc/mkinitcpio.conf
'

test_expect_success '--check: 1 before, 0 after, nothing printed; --remove --check: the other way round' '
	arch root "$MK/arch-v41-udev.conf" &&
	run initramfs-vfio --root root --check && expect_rc 1 && test ! -s out && test ! -s err &&
	initramfs-vfio --root root >/dev/null &&
	run initramfs-vfio --root root --check && expect_rc 0 &&
	run initramfs-vfio --root root --remove --check && expect_rc 1 &&
	initramfs-vfio --root root --remove >/dev/null &&
	run initramfs-vfio --root root --remove --check && expect_rc 0 &&
	run initramfs-vfio --root root --remove && expect_rc 0 &&
	grep_q "^nothing of initramfs-vfio'"'"'s to take out\$" out
'

test_expect_success '--backup keeps the file as it was; the mode stays' '
	arch root "$MK/arch-v39.conf" && chmod 600 root/etc/mkinitcpio.conf &&
	initramfs-vfio --root root --backup >/dev/null &&
	cmp "$MK/arch-v39.conf" root/etc/mkinitcpio.conf.bak &&
	test "$(stat -c %a root/etc/mkinitcpio.conf)" = 600
'

# dracut

# fedora ROOT: dracut, its distribution defaults in /usr/lib.
fedora() {
	mkdir -p "$1/etc/dracut.conf.d" "$1/usr/lib/dracut/dracut.conf.d" && ln -s usr/lib "$1/lib" &&
	cp "$C/dracut/debian-dracut.conf" "$1/etc/dracut.conf" &&
	cp "$C/dracut/fedora-01-dist.conf" "$1/usr/lib/dracut/dracut.conf.d/01-dist.conf" &&
	installed "$1" /usr/bin/dracut && vfio_kernel "$1" 6.11.4-301.fc41.x86_64
}

test_expect_success 'dracut: 10-vfio.conf, force_drivers loaded first, vfio-bind'"'"'s modprobe.d file installed, no warning from dracut' '
	guide root && fedora root &&
	cp "$C/dracut/moeos.conf" root/etc/dracut.conf.d/moeOS.conf &&
	run initramfs-vfio --root root && expect_rc 0 &&
	grep_q "^dracut: created '"'"'root/etc/dracut.conf.d/10-vfio.conf'"'"'" out &&
	grep_q "^  chroot root dracut --regenerate-all -f\$" out &&
	bash "$J/dracut-sees" root >seen 2>warnings && test ! -s warnings &&
	vfio_ahead <seen &&
	grep_q "^install /etc/modprobe.d/vfio.conf\$" seen &&
	grep_q "force_drivers+=\" vfio_pci vfio vfio_iommu_type1 \"" root/etc/dracut.conf.d/10-vfio.conf &&
	run initramfs-vfio --root root && grep_q "^dracut: already loads VFIO early; nothing changed" out &&
	initramfs-vfio --root root --remove >/dev/null &&
	test ! -e root/etc/dracut.conf.d/10-vfio.conf
'

test_expect_success 'dracut: a user'"'"'s force_drivers read earlier with a GPU driver is named' '
	fedora root && cp "$C/dracut/ozzyhelix-vfio.conf" root/etc/dracut.conf.d/01-gpu.conf &&
	run initramfs-vfio --root root && expect_rc 0 &&
	grep_q "01-gpu.conf'"'"' line 1: amdgpu loads ahead of vfio_pci" err &&
	rm root/etc/dracut.conf.d/01-gpu.conf && cp "$C/dracut/ozzyhelix-vfio.conf" root/etc/dracut.conf.d/vfio.conf &&
	run initramfs-vfio --root root && expect_rc 0 && test ! -s err &&
	bash "$J/dracut-sees" root >seen 2>/dev/null && head -n 1 seen | grep_q "^rd.driver.pre=vfio_pci\$" -
'

test_expect_success 'dracut: a hidden drop-in, which dracut'"'"'s *.conf does not match, is not named' '
	fedora root && echo "force_drivers=\"amdgpu\"" >root/etc/dracut.conf.d/.gpu.conf &&
	run initramfs-vfio --root root && expect_rc 0 && test ! -s err &&
	bash "$J/dracut-sees" root >seen 2>/dev/null && vfio_ahead <seen &&
	! grep -q amdgpu seen
'

test_expect_success 'dracut: a 10-vfio.conf of the user'"'"'s is left alone, and said so' '
	fedora root && echo "add_drivers+=\" vfio-pci \"" >root/etc/dracut.conf.d/10-vfio.conf && cp -R root before &&
	run initramfs-vfio --root root && expect_rc 3 &&
	grep_q "10-vfio.conf'"'"' was not written by initramfs-vfio" err &&
	same_tree before root &&
	run initramfs-vfio --root root --remove && expect_rc 0 && same_tree before root
'

test_expect_success 'dracut: a kernel before 6.2 gets vfio_virqfd, dracut would fail on it after' '
	fedora root && vfio_kernel root 6.1.0-18-amd64 virqfd && rm -r root/usr/lib/modules/6.11.4-301.fc41.x86_64 &&
	initramfs-vfio --root root >/dev/null &&
	bash "$J/dracut-sees" root | grep_q "^rd.driver.pre=vfio_virqfd\$" -
'

# initramfs-tools

test_expect_success 'initramfs-tools: the modules at the end of Debian'"'"'s file, in order, loaded by the image in that order' '
	guide root && debian root &&
	run initramfs-vfio --root root && expect_rc 0 &&
	grep_q "^  chroot root update-initramfs -u -k all\$" out &&
	bash "$J/itools-sees" root >seen &&
	cat >expect <<-EOF &&
	modules: vfio_pci 
	modules: vfio 
	modules: vfio_iommu_type1 
	modules: vfio_virqfd 
	EOF
	test_cmp expect seen &&
	initramfs-vfio --root root --remove >/dev/null &&
	cmp "$C/initramfs-tools/debian-modules" root/etc/initramfs-tools/modules
'

test_expect_success 'initramfs-tools: ahead of a GPU driver; a vfio line behind one moves, arguments and all' '
	debian root && printf "amdgpu\nvfio_pci ids=1002:73ff\n" >>root/etc/initramfs-tools/modules &&
	initramfs-vfio --root root >/dev/null &&
	bash "$J/itools-sees" root >seen && vfio_ahead <seen &&
	grep_q "^modules: vfio_pci ids=1002:73ff\$" seen &&
	cp root/etc/initramfs-tools/modules first &&
	initramfs-vfio --root root >/dev/null && cmp first root/etc/initramfs-tools/modules
'

# booster

test_expect_success "booster: Arch's empty booster.yaml gets modules_force_load, --remove empties it again" '
	mkdir -p root/etc && ln -s usr/lib root/lib && vfio_kernel root 6.6.8-arch1-1 && echo linux >root/usr/lib/modules/6.6.8-arch1-1/pkgbase &&
	installed root /usr/bin/booster && cp "$C/booster/arch-empty.yaml" root/etc/booster.yaml &&
	run initramfs-vfio --root root && expect_rc 0 &&
	grep_q "^  chroot root booster build --force --kernel-version 6.6.8-arch1-1 /boot/booster-linux.img\$" out &&
	booster_sees root >seen && vfio_ahead <seen &&
	installed root /usr/lib/booster/regenerate_images &&
	run initramfs-vfio --root root && grep_q "^  chroot root /usr/lib/booster/regenerate_images\$" out &&
	initramfs-vfio --root root --remove >/dev/null &&
	test -f root/etc/booster.yaml && test ! -s root/etc/booster.yaml
'

test_expect_success "booster: a record whose setting was deleted by hand names each module once; a second run changes nothing" '
	mkdir -p root/etc && vfio_kernel root 6.6.8-arch1-1 && installed root /usr/bin/booster &&
	echo "# initramfs-vfio added modules_force_load: vfio_pci vfio vfio_iommu_type1" >root/etc/booster.yaml &&
	initramfs-vfio --root root >/dev/null &&
	grep_q "^# initramfs-vfio added modules_force_load: vfio_pci vfio vfio_iommu_type1\$" root/etc/booster.yaml &&
	booster_sees root >seen && vfio_ahead <seen &&
	run initramfs-vfio --root root --check && expect_rc 0
'

test_expect_success "booster: the manual's sample config keeps every other key; a list of the user's is kept" '
	mkdir -p root/etc && installed root /usr/bin/booster && vfio_kernel root 6.6.8-arch1-1 &&
	cp "$C/booster/booster-manpage.yaml" root/etc/booster.yaml &&
	python3 -c "import yaml,sys; print(yaml.safe_load(open(sys.argv[1])))" root/etc/booster.yaml >before &&
	initramfs-vfio --root root >/dev/null &&
	booster_sees root >seen && vfio_ahead <seen &&
	python3 -c "import yaml,sys; d=yaml.safe_load(open(sys.argv[1])); del d[\"modules_force_load\"]; print(d)" root/etc/booster.yaml >after &&
	test_cmp before after &&
	echo "modules_force_load: nvme, amdgpu # for plymouth" >>before.yaml &&
	cat "$C/booster/booster-manpage.yaml" before.yaml >root/etc/booster.yaml &&
	run initramfs-vfio --root root && expect_rc 0 &&
	grep_q "amdgpu may claim the GPU before vfio_pci" err &&
	booster_sees root >seen && vfio_ahead <seen && grep_q "^force_load nvme\$" seen &&
	initramfs-vfio --root root --remove >/dev/null &&
	cat "$C/booster/booster-manpage.yaml" before.yaml | cmp - root/etc/booster.yaml
'

test_expect_success 'booster: values it cannot edit safely are refused, naming the line' '
	mkdir -p root/etc && installed root /usr/bin/booster && vfio_kernel root 6.6.8-arch1-1 &&
	for v in "modules_force_load: [nvme, amdgpu]" "modules_force_load: |\n  nvme" \
		 "modules_force_load: nvme\nmodules_force_load: amdgpu" "modules_force_load: nvme,\n  amdgpu" \
		 "network:\n\tdhcp: on" "{modules_force_load: nvme}"; do
		printf "compression: zstd\n$v\n" >root/etc/booster.yaml && cp root/etc/booster.yaml orig &&
		run initramfs-vfio --root root && expect_rc 3 &&
		grep_q "^initramfs-vfio: could not edit '"'"'root/etc/booster.yaml'"'"' line [23] safely: " err &&
		cmp orig root/etc/booster.yaml || { echo "with: $v"; return 1; }
	done
'

test_expect_success 'booster runs no modprobe install command: the functions bound by address are named' '
	guide root && installed root /usr/bin/booster && vfio_kernel root 6.6.8-arch1-1 && : >root/etc/booster.yaml &&
	run initramfs-vfio --root root && expect_rc 0 &&
	grep_q "booster runs no modprobe install command, so 0000:07:00.1, which vfio-bind binds by address" err
'

# Generators found, and what they are told together.

test_expect_success 'no generator: an error; --generator names one' '
	mkdir -p root/etc && vfio_kernel root 6.6.8-arch1-1 &&
	run initramfs-vfio --root root && expect_rc 3 &&
	grep_q "^initramfs-vfio: no initramfs generator in '"'"'root/'"'"'" err &&
	run initramfs-vfio --root root -g booster && expect_rc 0 &&
	booster_sees root | vfio_ahead
'

test_expect_success 'two generators installed: both set up, both rebuild commands; -g picks one' '
	arch root "$MK/arch-v41-systemd.conf" && installed root /usr/bin/booster &&
	run initramfs-vfio --root root -n -g booster && expect_rc 0 &&
	grep_q "^+++ b/etc/booster.yaml" out && ! grep -q mkinitcpio out &&
	run initramfs-vfio --root root && expect_rc 0 &&
	grep_q "^mkinitcpio: updated" out && grep_q "^booster: created" out &&
	grep_q "mkinitcpio -P\$" out && grep_q "booster build --force" out
'

test_expect_success 'a configuration without its program: set up, and said so' '
	mkdir -p root && debian root && rm root/usr/sbin/update-initramfs root/usr/sbin/mkinitramfs &&
	mkdir -p root/etc/initramfs-tools && : >root/etc/initramfs-tools/initramfs.conf &&
	run initramfs-vfio --root root && expect_rc 0 &&
	grep_q "initramfs-tools is not installed in '"'"'root/'"'"', but '"'"'root/etc/initramfs-tools/initramfs.conf'"'"' is there" err
'

test_expect_success 'one file that cannot be written: those written before it are put back' '
	arch root "$MK/arch-v41-systemd.conf" && installed root /usr/bin/dracut &&
	mkdir -p root/etc/dracut.conf.d && ln -s /nowhere/10-vfio.conf root/etc/dracut.conf.d/10-vfio.conf &&
	cp -R root before &&
	run initramfs-vfio --root root && expect_rc 3 &&
	grep_q "could not" err && grep_q "nothing changed" err &&
	same_tree before root
'

test_expect_success 'usage errors' '
	for a in "--regen -n" "--regen --check" "-n --check" "--drop-in --remove" "-g dracut --drop-in" \
		 "-g grub" "--kernel ../x" "--kernel" "extra"; do
		run initramfs-vfio $a && expect_rc 2 && grep_q "Try '"'"'initramfs-vfio --help'"'"'" err || { echo "with $a"; return 1; }
	done &&
	mkdir root && run initramfs-vfio --root root --regen && expect_rc 2 &&
	grep_q "regen cannot rebuild the images of another root" err
'

test_done
