#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The Ansible collection (contrib/ansible) on a fleet of three system
# trees, one of each family: Arch (GRUB, mkinitcpio), Fedora (GRUB with
# BLS entries, dracut) and Debian (GRUB, initramfs-tools), each the guide's
# host with its sysfs, addressed through the role's root.  ansible-playbook
# runs the example playbook, docs/ansible-host.yml, with the host role;
# what it leaves is judged against the tools run by hand, byte for byte.
# Nothing is regenerated (vfio_host_regen is false under a root: the tools
# refuse --regen there, as the images of another root cannot be rebuilt
# from here).
. "$(dirname "$0")/lib.sh"

command -v ansible-playbook >/dev/null || skip_all "no ansible-playbook (apt-get install ansible-core)"
Z=$FIXTURES/z490-guide
[ -d "$Z" ] || skip_all "fixture z490-guide missing"
B=$FIXTURES/boot
C=$TOP/tests/initramfs
PLAYBOOK=$TOP/docs/ansible-host.yml
F=$TEST_TMP/fleet
mkdir -p "$F/ansible-tmp"

# Ansible reads nothing of the machine's configuration, keeps its
# temporary files here and finds the collection in the tree.
: >"$F/ansible.cfg"
ANSIBLE_CONFIG=$F/ansible.cfg
ANSIBLE_HOME=$F/ansible-home
ANSIBLE_LOCAL_TEMP=$F/ansible-tmp
ANSIBLE_REMOTE_TEMP=$F/ansible-tmp
ANSIBLE_COLLECTIONS_PATH=$TOP/contrib/ansible
ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false
ANSIBLE_NOCOWS=1
ANSIBLE_NOCOLOR=1
ANSIBLE_RETRY_FILES_ENABLED=false
ANSIBLE_PYTHON_INTERPRETER=auto_silent
ANSIBLE_FORCE_COLOR=0
ANSIBLE_PIPELINING=true
export ANSIBLE_CONFIG ANSIBLE_HOME ANSIBLE_LOCAL_TEMP ANSIBLE_REMOTE_TEMP ANSIBLE_COLLECTIONS_PATH \
	ANSIBLE_COLLECTIONS_SCAN_SYS_PATH ANSIBLE_NOCOWS ANSIBLE_NOCOLOR ANSIBLE_RETRY_FILES_ENABLED \
	ANSIBLE_PYTHON_INTERPRETER ANSIBLE_FORCE_COLOR ANSIBLE_PIPELINING

# host ROOT: the guide's host, its sysfs with vfio-pci's driver directory,
# an empty /etc/modprobe.d as every distribution ships.
host() {
	cp -R "$Z" "$1" && mkdir -p "$1/sys/bus/pci/drivers/vfio-pci" "$1/etc/modprobe.d" &&
	ln -s usr/lib "$1/lib"
}

arch() {
	host "$1" && cp -R "$B/arch-grub/etc" "$1/" &&
	cp "$C/mkinitcpio/arch-v41-systemd.conf" "$1/etc/mkinitcpio.conf" &&
	installed "$1" /usr/bin/mkinitcpio && vfio_kernel "$1" 6.6.8-arch1-1
}

fedora() {
	host "$1" && cp -R "$B/fedora37/etc" "$B/fedora37/boot" "$1/" &&
	mkdir -p "$1/etc/dracut.conf.d" "$1/usr/lib/dracut/dracut.conf.d" &&
	cp "$C/dracut/debian-dracut.conf" "$1/etc/dracut.conf" &&
	cp "$C/dracut/fedora-01-dist.conf" "$1/usr/lib/dracut/dracut.conf.d/01-dist.conf" &&
	installed "$1" /usr/bin/dracut && vfio_kernel "$1" 6.0.7-301.fc37.x86_64
}

debian() {
	host "$1" && cp -R "$B/debian12/etc" "$1/" && mkdir -p "$1/etc/initramfs-tools" &&
	cp "$C/initramfs-tools/debian-modules" "$1/etc/initramfs-tools/modules" &&
	installed "$1" /usr/sbin/update-initramfs && installed "$1" /usr/sbin/mkinitramfs &&
	vfio_kernel "$1" 6.1.0-18-amd64
}

HOSTS="arch fedora debian"
# The device each host passes through: Debian names it by its ID.
device() {
	case $1 in
	debian) echo 1002:73ff ;;
	*) echo 07:00.0 ;;
	esac
}

# fleet DIR [HOST ROOT]...: fresh trees of the three hosts under DIR and
# an inventory, DIR/hosts, with each host's root; then the extra hosts
# named, with the root given.
fleet() {
	fl_dir=$1
	shift
	mkdir -p "$fl_dir" && {
		echo "[vfio_hosts]"
		for h in $HOSTS; do
			"$h" "$fl_dir/$h" || return 1
			echo "$h vfio_host_root=$fl_dir/$h vfio_host_devices='[\"$(device "$h")\"]'"
		done
		while [ $# -ge 2 ]; do
			echo "$1 vfio_host_root=$2 vfio_host_devices='[\"07:00.0\"]'"
			shift 2
		done
		echo "[vfio_hosts:vars]"
		echo "ansible_connection=local"
		echo "ansible_become=false"
		echo "vfio_host_bindir=$BUILD"
	} >"$fl_dir/hosts"
}

# play INVENTORY LOG [ARGS...]: the example playbook (Ansible wants a UTF-8
# locale); its output in LOG,
# its exit status in $rc.
play() {
	pl_inv=$1 pl_log=$2
	shift 2
	rc=0
	LC_ALL=C.UTF-8 ansible-playbook -i "$pl_inv" "$PLAYBOOK" "$@" >"$pl_log" 2>&1 || rc=$?
}

# played LOG: the last play exited 0, or its output is shown.
played() {
	[ "$rc" -eq 0 ] || { echo "ansible-playbook exited $rc"; cat "$1"; return 1; }
}

# recap LOG HOST: HOST's PLAY RECAP line, "ok=N changed=N ... failed=N ...".
recap() {
	sed -n "s/^$2 *: //p" "$1" | tr -s ' '
}

# counts NAME LOG [HOST...]: the run's totals as a TAP comment, of the
# hosts named or of all.
counts() {
	co_name=$1 co_log=$2
	shift 2
	awk -v name="$co_name" -v only=" $* " '
		/^PLAY RECAP/ { on = 1; next }
		on && / : ok=/ && (only == "  " || index(only, " " $1 " ")) {
			hosts++
			for (i = 1; i <= NF; i++) {
				split($i, kv, "=")
				if (kv[1] == "ok" || kv[1] == "changed" || kv[1] == "failed") n[kv[1]] += kv[2]
			}
		}
		END { printf "# %s: hosts=%d ok=%d changed=%d failed=%d\n", name, hosts, n["ok"], n["changed"], n["failed"] }
	' "$co_log"
}

# by_hand DIR: each host as the tools leave it run by hand with the
# options the role gives them, and the diffs of their dry runs (without
# the notes that go with them) in DIR/HOST.diff.
by_hand() {
	for h in $HOSTS; do
		"$h" "$1/$h" || return 1
		r=$1/$h d=$(device "$h")
		{
			kcmdline-edit --root "$r" --iommu -n &&
			vfio-bind --root "$r" --persist -n -- "$d" &&
			initramfs-vfio --root "$r" -n
		} >"$1/$h.out" 2>/dev/null &&
		awk '/^--- / { on = 1 } on && !/^[-+ @\\]/ { on = 0 } on' "$1/$h.out" >"$1/$h.diff" || return 1
		kcmdline-edit --root "$r" --iommu >/dev/null &&
		vfio-bind --root "$r" --persist -- "$d" >/dev/null &&
		initramfs-vfio --root "$r" >/dev/null || return 1
	done
}

# same_files A B: the trees hold the same paths and bytes (diff -r, not
# following sysfs's links, which loop).
same_files() {
	diff -r --no-dereference "$1" "$2"
}

fleet "$F/pristine"
mkdir -p "$F/hand" && by_hand "$F/hand" || exit 1
T0=$(date +%s)

# Run 1 has two more hosts, which fail: broken, a Debian whose
# /etc/default/grub never closes a quote, and gone, whose root does not
# exist.  Later runs leave them out.
GOOD=$(echo $HOSTS | tr ' ' ,)
fleet "$F/run" broken "$F/run/broken" gone "$F/run/gone" &&
debian "$F/run/broken" && cp "$B/handmade/unterminated.grub" "$F/run/broken/etc/default/grub" &&
snapshot "$F/run/broken" >"$F/broken.before" &&
play "$F/run/hosts" "$F/run1.log" || exit 1
RUN1_RC=$rc

test_expect_success 'run 1: every host changed, and each tree is what the tools leave run by hand' '
	counts "run 1" "$F/run1.log" $HOSTS >&3 &&
	for h in $HOSTS; do
		recap "$F/run1.log" $h >line &&
		grep_q "failed=0 " line && ! grep -q "changed=0 " line &&
		same_files "$F/hand/$h" "$F/run/$h" || { cat "$F/run1.log"; return 1; }
	done
' 3>&1

test_expect_success 'run 1: the host with a malformed /etc/default/grub and the one without its root failed alone' '
	counts "run 1, the failing hosts" "$F/run1.log" broken gone >&3 &&
	test "$RUN1_RC" -ne 0 &&
	recap "$F/run1.log" broken >line && grep_q "changed=0 .*failed=1 " line &&
	recap "$F/run1.log" gone >line && grep_q "failed=1 " line &&
	grep_q "^fatal: \[broken\]: FAILED! => .*\"msg\": \"kcmdline-edit: [^\"]*etc/default/grub" "$F/run1.log" &&
	grep_q "^fatal: \[gone\]: FAILED! => .*\"msg\": \"iommu-groups: could not open root directory '"'"'$F/run/gone'"'"'" "$F/run1.log" &&
	snapshot "$F/run/broken" >after && test_cmp "$F/broken.before" after &&
	test ! -e "$F/run/gone"
' 3>&1

test_expect_success 'run 2: nothing changed on any host' '
	play "$F/run/hosts" log --limit "$GOOD" && played log &&
	counts "run 2" log >&3 &&
	for h in $HOSTS; do
		recap log $h >line && grep_q "changed=0 .*failed=0 " line &&
		same_files "$F/hand/$h" "$F/run/$h" || return 1
	done
' 3>&1

test_expect_success '--check --diff: no byte changes, and each file'"'"'s diff is shown as the tools print it' '
	fleet "$F/check" &&
	for h in $HOSTS; do snapshot "$F/check/$h" >"$h.before" || return 1; done &&
	play "$F/check/hosts" log --check --diff && played log &&
	counts "check" log >&3 &&
	for h in $HOSTS; do
		snapshot "$F/check/$h" >"$h.after" && test_cmp "$h.before" "$h.after" &&
		recap log $h >line && grep_q "failed=0 " line && ! grep -q "changed=0 " line &&
		grep -c "^+++ b/" "$F/hand/$h.diff" >n && test "$(cat n)" -ge 3 &&
		csplit -s -z -f "$h.hunk" "$F/hand/$h.diff" "/^--- /" "{*}" &&
		for f in "$h".hunk*; do
			python3 -c "import sys; sys.exit(open(sys.argv[1]).read() not in open(sys.argv[2]).read())" "$f" log ||
				{ echo "not in the output of $h:"; cat "$f"; return 1; }
		done || return 1
	done
' 3>&1

test_expect_success 'state absent gives back every byte' '
	play "$F/run/hosts" log --limit "$GOOD" -e vfio_host_state=absent && played log &&
	counts "absent" log >&3 &&
	for h in $HOSTS; do
		recap log $h >line && grep_q "failed=0 " line && ! grep -q "changed=0 " line &&
		same_files "$F/pristine/$h" "$F/run/$h" || return 1
	done
' 3>&1

# The modules the role does not use, on the guide's host with a domain: a
# run in diff mode outside check mode, a second run, the undo; a listing
# that selects nothing, as facts; a check that FAILs; kcmdline's regen in
# check mode and, refused under a root, in diff mode.
cat >"$F/modules.yml" <<'EOF'
- name: The other modules
  hosts: all
  gather_facts: false
  vars:
    domain: /etc/libvirt/qemu/win10.xml
  tasks:
    - name: Hide the hypervisor, diff shown
      vfio_utils.passthrough.virtxml_hide: {path: "{{ domain }}", root: "{{ root }}", bindir: "{{ bindir }}"}
      register: hide1
      diff: true
    - name: Again
      vfio_utils.passthrough.virtxml_hide: {path: "{{ domain }}", root: "{{ root }}", bindir: "{{ bindir }}"}
      register: hide2
    - name: Taken out
      vfio_utils.passthrough.virtxml_hide: {path: "{{ domain }}", state: absent, root: "{{ root }}", bindir: "{{ bindir }}"}
      register: hide3
    - name: A device no group holds
      vfio_utils.passthrough.iommu_groups: {device: "ffff:ffff", root: "{{ root }}", bindir: "{{ bindir }}"}
      register: listing
    - name: Changed twice of three, and nothing matched
      ansible.builtin.assert:
        that: [hide1.changed, not hide2.changed, hide3.changed, not listing.matched, "vfio_iommu_groups.groups == []"]
    - name: passcheck FAILs on the guide's host (no /dev/kvm under its root)
      vfio_utils.passthrough.passcheck: {device: ["07:00.0"], root: "{{ root }}", bindir: "{{ bindir }}"}
      register: check
      ignore_errors: true
    - name: The task failed, and the facts say why
      ansible.builtin.assert:
        that:
          - check is failed
          - "'kvm-device' in (check.document.checks | selectattr('status', 'eq', 'FAIL') | map(attribute='check') | list)"
          - "check.failed_checks == (check.document.checks | selectattr('status', 'eq', 'FAIL') | list)"
    - name: regen in check mode is a dry run, without --regen
      vfio_utils.passthrough.kcmdline: {iommu: true, regen: true, root: "{{ root }}", bindir: "{{ bindir }}"}
      check_mode: true
      diff: true
      register: dry
    - name: regen under a root, in diff mode, is refused by the tool after the dry run that shows the diff
      vfio_utils.passthrough.kcmdline: {iommu: true, regen: true, root: "{{ root }}", bindir: "{{ bindir }}"}
      diff: true
      register: refused
      ignore_errors: true
    - name: The dry run changed, the real one failed with the tool's usage error
      ansible.builtin.assert:
        that:
          - dry is changed
          - "'--regen' not in dry.cmd"
          - refused is failed
          - refused.rc == 2
          - "refused.cmd[-1] == '--iommu' and '--regen' in refused.cmd"
          - "refused.msg is search('^kcmdline-edit: --regen ')"
EOF

test_expect_success 'virtxml_hide in diff mode, again and undone; iommu_groups matching nothing; a passcheck FAIL fails the task; regen' '
	for d in mod hand; do
		host $d && mkdir -p $d/etc/libvirt/qemu && cp -R "$B/debian12/etc" $d/ &&
		cp "$TOP/tests/domains/win10-virsh.xml" $d/etc/libvirt/qemu/win10.xml || return 1
	done &&
	virtxml-hide --root hand -i -n /etc/libvirt/qemu/win10.xml >hand.diff &&
	test -s hand.diff &&
	echo "mod ansible_connection=local root=$PWD/mod bindir=$BUILD" >hosts &&
	LC_ALL=C.UTF-8 ansible-playbook -i hosts "$F/modules.yml" >log 2>&1 || { cat log; false; } &&
	recap log mod >line && grep_q "changed=3 .*failed=0 .*ignored=2" line &&
	python3 -c "import sys; sys.exit(open(sys.argv[1]).read() not in open(sys.argv[2]).read())" hand.diff log &&
	cmp "$TOP/tests/domains/win10-virsh.xml" mod/etc/libvirt/qemu/win10.xml &&
	cmp "$B/debian12/etc/default/grub" mod/etc/default/grub &&
	grep_q "passcheck: [0-9]* check(s) failed: .*kvm-device" log
'

echo "# $(($(date +%s) - T0)) s for the playbook runs"
test_done
