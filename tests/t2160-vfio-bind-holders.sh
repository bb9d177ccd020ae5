#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# vfio-bind and the processes that hold a card's device nodes: on the
# z490-desktop fixture (Xorg, PipeWire and Firefox on the guide's host),
# which processes are named and how, and that nothing is written while one
# holds the card; then --stop-holders on real processes holding a real
# character device, in a mount and PID namespace of their own whose /sys
# is a fixture and whose /proc holds only the test's processes.
. "$(dirname "$0")/lib.sh"

D=$FIXTURES/z490-desktop
[ -d "$D" ] || skip_all "fixture z490-desktop missing"
MKSYSROOT=$BUILD/tests/tools/mksysroot

# desktop [SPEC-LINES]: the fixture in ./root, with vfio-pci loaded, and
# LINES (a file) added to its spec.
desktop() {
	if [ $# -gt 0 ]; then
		cat "$FIXTURES/z490-desktop.spec" "$1" >spec && "$MKSYSROOT" spec root
	else
		cp -R "$D" root
	fi && mkdir -p root/sys/bus/pci/drivers/vfio-pci
}

# The display-manager.service alias systemctl enable writes.
dm_alias() {
	mkdir -p root/etc/systemd/system &&
	ln -s /lib/systemd/system/lightdm.service root/etc/systemd/system/display-manager.service
}

test_expect_success 'the guest card: each process holding its nodes named, nothing written' "
	desktop && cp -R root before &&
	run vfio-bind --root root 07:00.0 && expect_rc 3 && test ! -s out &&
	cat >expect <<EOF &&
vfio-bind: 0000:07:00.0 is in use by the host: PID 812 (Xorg) holds /dev/dri/card1
vfio-bind: 0000:07:00.0 is in use by the host: PID 1402 (firefox-esr) has /dev/dri/renderD129 mapped
vfio-bind: 0000:07:00.1 is in use by the host: PID 1290 (pipewire) holds /dev/snd/controlC1
vfio-bind: 0000:07:00.1 is in use by the host: PID 1290 (pipewire) holds /dev/snd/pcmC1D3p
vfio-bind: nothing changed; --stop-holders ends those processes
EOF
	test_cmp expect err && same_tree before root
"

# Linux's DRM keeps controlD64 beside card0 as a link to it, for libdrm
# (seen in t2200's guest): the same node, named once.
test_expect_success 'a DRM control link to the card node: each holder still named once' "
	desktop && ln -s card1 root/sys/bus/pci/devices/0000:07:00.0/drm/controlD65 &&
	run vfio-bind --root root 07:00.0 && expect_rc 3 &&
	test \"\$(grep -c 'PID 812 (Xorg) holds /dev/dri/card1\$' err)\" = 1 &&
	test \"\$(grep -c ' is in use by the host: ' err)\" = 4
"

test_expect_success 'what a process holds of the host card only is not named' "
	desktop &&
	run vfio-bind --root root 07:00.0 &&
	! grep_q 'card0\\|renderD128\\|controlC0' err &&
	! grep_q 'PID 1515\\|PID 640 \\|PID 1 ' err
"

test_expect_success 'a card nobody holds binds as before' "
	grep -v 'card1\\|renderD129\\|controlC1\\|pcmC1D3p' '$FIXTURES/z490-desktop.spec' >spec &&
	'$MKSYSROOT' spec root && mkdir -p root/sys/bus/pci/drivers/vfio-pci &&
	run vfio-bind --root root -n 07:00.0 && expect_rc 0 && test ! -s err &&
	grep_q '0000:07:00.0/driver_override' out
"

test_expect_success 'a process of the display manager unit is named as such' "
	desktop && dm_alias &&
	run vfio-bind --root root 07:00.0 && expect_rc 3 &&
	grep_q '^vfio-bind: 0000:07:00.0 is in use by the host: PID 812 (Xorg) holds /dev/dri/card1, run by the display manager (lightdm.service)\$' err &&
	grep_q \"^vfio-bind: systemd may start a display manager again: 'systemctl stop display-manager' stops it for good\$\" err
"

test_expect_success 'a display manager by name, and the display manager itself in its unit' "
	cat >extra <<EOF &&
proc 2000 sddm-greeter
fd 2000 9 /dev/dri/card1
proc 2001 lightdm cgroup=/system.slice/lightdm.service
fd 2001 9 /dev/dri/renderD129
EOF
	desktop extra && dm_alias &&
	run vfio-bind --root root 07:00.0 && expect_rc 3 &&
	grep_q '^vfio-bind: 0000:07:00.0 is in use by the host: PID 2000 (sddm-greeter) holds /dev/dri/card1, a display manager\$' err &&
	grep_q '^vfio-bind: 0000:07:00.0 is in use by the host: PID 2001 (lightdm) holds /dev/dri/renderD129, the display manager (lightdm.service)\$' err
"

test_expect_success 'an ended process (a zombie) holds nothing' "
	cat >extra <<EOF &&
proc 2100 Xwayland state=Z
fd 2100 9 /dev/dri/card1
EOF
	desktop extra &&
	run vfio-bind --root root 07:00.0 && expect_rc 3 && ! grep_q 'PID 2100' err
"

test_expect_success 'a descriptor is judged by the node number it reaches, not its path' "
	cat >extra <<EOF &&
proc 2200 Xorg
fd 2200 9 /run/ctr/dev/dri/card1
proc 2201 fake
fd 2201 9 /dev/dri/card1
EOF
	desktop extra &&
	mkdir -p root/run/ctr/dev/dri root/dev/dri &&
	mknod root/run/ctr/dev/dri/card1 c 226 1 && mknod root/dev/dri/card1 c 1 3 &&
	run vfio-bind --root root 07:00.0 && expect_rc 3 &&
	grep_q '^vfio-bind: 0000:07:00.0 is in use by the host: PID 2200 (Xorg) holds /dev/dri/card1\$' err &&
	! grep_q 'PID 2201\\|PID 812 ' err
"

test_expect_success 'a mapping is judged by the node inode where the node is there' "
	desktop && mkdir -p root/dev/dri && mknod root/dev/dri/renderD129 c 226 129 &&
	run vfio-bind --root root 07:00.0 && ! grep_q 'PID 1402' err &&
	set -- \$(stat -c '%d %i' root/dev/dri/renderD129) &&
	dev=\$(printf '%02x:%02x' \$((\$1 >> 8 & 0xfff)) \$((\$1 & 0xff | (\$1 >> 12 & 0xfff00)))) &&
	printf '7f00-7f10 rw-s 0 %s %s /renamed/renderD129\n' \$dev \$2 >>root/proc/1402/maps &&
	run vfio-bind --root root 07:00.0 &&
	grep_q '^vfio-bind: 0000:07:00.0 is in use by the host: PID 1402 (firefox-esr) has /dev/dri/renderD129 mapped\$' err
"

test_expect_success '--check and --persist alone do not look at holders; --persist --now does' "
	desktop &&
	run vfio-bind --root root --check 07:00.0 && expect_rc 1 && test ! -s err &&
	run vfio-bind --root root --persist 07:00.0 && expect_rc 0 &&
	test -f root/etc/modprobe.d/vfio.conf && rm root/etc/modprobe.d/vfio.conf &&
	run vfio-bind --root root --persist --now 07:00.0 && expect_rc 3 &&
	grep_q 'PID 812 (Xorg) holds /dev/dri/card1' err && test ! -e root/etc/modprobe.d/vfio.conf
"

test_expect_success '-J: the holders among the warnings' "
	desktop &&
	run vfio-bind --root root -J 07:00.0 && expect_rc 3 &&
	jq -e '.warnings | index(\"0000:07:00.0 is in use by the host: PID 812 (Xorg) holds /dev/dri/card1\") != null' out >/dev/null
"

test_expect_success 'a process whose descriptors cannot be read is counted and said' "
	desktop && chmod -R a+rX root && chmod 0700 root/proc/1290/fd && chmod a+x . .. &&
	run setpriv --reuid=65534 --regid=65534 --clear-groups vfio-bind --root \"\$PWD/root\" -n 07:00.0 &&
	grep_q '^vfio-bind: 1 process could not be read: it may hold the device nodes of the functions\$' err &&
	! grep_q 'PID 1290' err
"

# many N: the fixture with N more processes, each with ten descriptors
# that hold nothing of the card and a mapping of a library.
many() {
	awk -v n="$1" 'BEGIN {
		for (p = 3000; p < 3000 + n; p++) {
			printf "proc %d worker\n", p
			for (f = 0; f < 10; f++)
				printf "fd %d %d /dev/null\n", p, f
			printf "maps %d 7f00-7f10 r-xp 0 103:02 401177 /usr/lib/libc.so.6\n", p
		}
	}' >extra && desktop extra
}

# syscalls CMD...: the system calls CMD makes, in ./trace, whatever its exit status.
syscalls() {
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		strace -f -qq -o trace "$@" >out 2>err
	test -s trace
}

if command -v strace >/dev/null; then
	test_expect_success 'one pass over /proc: each process read once, cost linear in processes' "
		many 400 && syscalls vfio-bind --root root 07:00.0 &&
		test \$(grep -Ec '\"proc/[0-9]+/maps\"' trace) -eq \$(ls -d root/proc/[0-9]* | wc -l) &&
		test \$(grep -c '\"comm\"' trace) -eq 3 &&
		small=\$(wc -l <trace) && rm -rf root &&
		many 800 && syscalls vfio-bind --root root 07:00.0 &&
		big=\$(wc -l <trace) &&
		echo \"system calls: \$small with 400 more processes, \$big with 800\" &&
		test \$((big * 100 / small)) -le 205
	"
else
	test_skip 'one pass over /proc: each process read once, cost linear in processes' 'no strace'
fi

# The namespace: a private /proc (PID namespace), /sys the fixture with
# the guest card's DRM node numbered 1:7 (/dev/full: the only node of
# that number is the namespace's own, in its own /dev), and processes
# holding it.
unshare -m -p -f --mount-proc true 2>/dev/null && NS=1 || NS=
ns_setup() {
	cat >extra <<EOF &&
node 07:00.0 drm card9 1:7
EOF
	grep -v 'card1\|renderD129\|controlC1\|pcmC1D3p\|^fd\|^maps\|^proc' "$FIXTURES/z490-desktop.spec" >base &&
	cat base extra >spec && "$MKSYSROOT" spec root && mkdir -p root/sys/bus/pci/drivers/vfio-pci
}

# bound_after: the holders gone, vfio-bind went on to bind.  A fixture's
# sysfs has no driver to probe the function, so the bind itself fails as
# on a kernel where vfio-pci refuses the device, and gives back.
bound_after() {
	test "$(cat rc)" = 3 &&
	cat >expect <<EOF &&
vfio-bind: 0000:07:00.0: vfio-pci did not take the device (amdgpu)
vfio-bind: nothing left bound by this run
EOF
	test_cmp expect err
}

if [ -n "$NS" ]; then
	test_expect_success '--stop-holders: SIGTERM ends a holder, then the card is bound' "
		ns_setup &&
		cat >ns.sh <<'EOF' &&
mount --bind root/sys /sys && mount -t tmpfs tmpfs /dev && mkdir /dev/dri &&
mknod /dev/dri/card9 c 1 7 && mknod /dev/null c 1 3 &&
sleep 30 </dev/dri/card9 & pid=\$!
until [ \"\$(cat /proc/\$pid/comm)\" = sleep ] && [ -e /proc/\$pid/fd/0 ]; do sleep 0.05; done
vfio-bind --stop-holders 07:00.0 >out 2>err; echo \$? >rc
wait \$pid; echo \$? >status
echo \$pid >pid
EOF
		unshare -m -p -f --mount-proc sh ns.sh &&
		grep_q \"^0000:07:00.0: PID \$(cat pid) (sleep) holds /dev/dri/card9: stopping it\$\" out &&
		test \"\$(cat status)\" = 143 && ! grep_q SIGKILL out &&
		bound_after
	"

	test_expect_success '--stop-holders: a holder ignoring SIGTERM gets SIGKILL' "
		ns_setup &&
		cat >ns.sh <<'EOF' &&
mount --bind root/sys /sys && mount -t tmpfs tmpfs /dev && mkdir /dev/dri &&
mknod /dev/dri/card9 c 1 7 && mknod /dev/null c 1 3 &&
sh -c 'trap \"\" TERM; exec sleep 30' </dev/dri/card9 & pid=\$!
until [ \"\$(cat /proc/\$pid/comm)\" = sleep ] && [ -e /proc/\$pid/fd/0 ]; do sleep 0.05; done
vfio-bind --stop-holders 07:00.0 >out 2>err; echo \$? >rc
wait \$pid; echo \$? >status
echo \$pid >pid
EOF
		unshare -m -p -f --mount-proc sh ns.sh &&
		test \"\$(cat status)\" = 137 &&
		grep_q \"^PID \$(cat pid) (sleep) did not end in 5 seconds: SIGKILL\$\" out &&
		bound_after
	"

	test_expect_success 'without --stop-holders the live holder is named and lives on' "
		ns_setup &&
		cat >ns.sh <<'EOF' &&
mount --bind root/sys /sys && mount -t tmpfs tmpfs /dev && mkdir /dev/dri &&
mknod /dev/dri/card9 c 1 7 && mknod /dev/null c 1 3 &&
sleep 30 </dev/dri/card9 & pid=\$!
until [ \"\$(cat /proc/\$pid/comm)\" = sleep ] && [ -e /proc/\$pid/fd/0 ]; do sleep 0.05; done
vfio-bind 07:00.0 >out 2>err; echo \$? >rc
kill -0 \$pid && echo alive >state
echo \$pid >pid; kill \$pid
EOF
		unshare -m -p -f --mount-proc sh ns.sh &&
		test \"\$(cat rc)\" = 3 && test \"\$(cat state)\" = alive &&
		grep_q \"^vfio-bind: 0000:07:00.0 is in use by the host: PID \$(cat pid) (sleep) holds /dev/dri/card9\$\" err &&
		! grep_q 'did not take' err
	"

	test_expect_success '--stop-holders -n: what would be sent, nothing signalled' "
		ns_setup &&
		cat >ns.sh <<'EOF' &&
mount --bind root/sys /sys && mount -t tmpfs tmpfs /dev && mkdir /dev/dri &&
mknod /dev/dri/card9 c 1 7 && mknod /dev/null c 1 3 &&
sleep 30 </dev/dri/card9 & pid=\$!
until [ \"\$(cat /proc/\$pid/comm)\" = sleep ] && [ -e /proc/\$pid/fd/0 ]; do sleep 0.05; done
vfio-bind -n --stop-holders 07:00.0 >out 2>err; echo \$? >rc
kill -0 \$pid && echo alive >state
echo \$pid >pid; kill \$pid
EOF
		unshare -m -p -f --mount-proc sh ns.sh &&
		test \"\$(cat rc)\" = 0 && test \"\$(cat state)\" = alive && test ! -s err &&
		grep_q \"^# 0000:07:00.0: PID \$(cat pid) (sleep) holds /dev/dri/card9: SIGTERM, SIGKILL after 5 seconds\$\" out &&
		grep_q '^echo vfio-pci > /sys/bus/pci/devices/0000:07:00.0/driver_override\$' out
	"

	test_expect_success '--stop-holders: PID 1 holding a node is not signalled, nothing done' "
		ns_setup &&
		cat >ns.sh <<'EOF' &&
mount --bind root/sys /sys && mount -t tmpfs tmpfs /dev && mkdir /dev/dri &&
mknod /dev/dri/card9 c 1 7 && mknod /dev/null c 1 3 &&
exec 3</dev/dri/card9
vfio-bind --stop-holders 07:00.0 >out 2>err; echo \$? >rc
echo \$\$ >pid
EOF
		unshare -m -p -f --mount-proc sh ns.sh &&
		test \"\$(cat pid)\" = 1 && test \"\$(cat rc)\" = 3 && test ! -s out &&
		cat >expect <<EOF &&
vfio-bind: 0000:07:00.0 is in use by the host: PID 1 (sh) holds /dev/dri/card9; PID 1 is not stopped
vfio-bind: nothing changed
EOF
		test_cmp expect err
	"
else
	test_skip '--stop-holders: SIGTERM ends a holder, then the card is bound' 'no mount and PID namespaces (unshare -m -p)'
	test_skip '--stop-holders -n: what would be sent, nothing signalled' 'no mount and PID namespaces (unshare -m -p)'
	test_skip '--stop-holders: PID 1 holding a node is not signalled, nothing done' 'no mount and PID namespaces (unshare -m -p)'
	test_skip '--stop-holders: a holder ignoring SIGTERM gets SIGKILL' 'no mount and PID namespaces (unshare -m -p)'
	test_skip 'without --stop-holders the live holder is named and lives on' 'no mount and PID namespaces (unshare -m -p)'
fi

test_done
