#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The writers' -J: one JSON document on standard output, valid against
# docs/schema/writer-result.json (python3's jsonschema, draft 2020-12), in
# write, dry-run and check modes, on a first and a second run and on a
# failure, its values those of the run: the files and what became of them,
# the diff -n prints, the commands the text output prints, the exit status.
. "$(dirname "$0")/lib.sh"

python3 -c 'import jsonschema; jsonschema.Draft202012Validator' 2>/dev/null ||
	skip_all "no python3 jsonschema with draft 2020-12 (apt-get install python3-jsonschema)"

SCHEMA=$TOP/docs/schema/writer-result.json
# The statuses as the tools exit with them.
FAIL=$(sed -n 's/^[[:space:]]*EXIT_FAIL = \([0-9]*\),.*/\1/p' "$TOP/common/base/prog.h")
NOTMET=$(sed -n 's/^[[:space:]]*EXIT_NOTMET = \([0-9]*\),.*/\1/p' "$TOP/common/base/prog.h")
[ -n "$FAIL" ] && [ -n "$NOTMET" ] || { echo "Bail out! no EXIT_FAIL or EXIT_NOTMET in prog.h"; exit 1; }

# jdoc FILE [EXPR...]: FILE whole is one JSON document that the schema
# takes; then each Python EXPR of it (d), a string as it is, anything else
# as JSON, one a line.
mkdir -p "$TEST_TMP/bin" && cat >"$TEST_TMP/bin/jdoc" <<'PY' && chmod 755 "$TEST_TMP/bin/jdoc" || exit 1
#!/usr/bin/python3
import json, os, sys
import jsonschema

with open(os.environ["SCHEMA"]) as f:
    schema = json.load(f)
with open(sys.argv[1]) as f:
    text = f.read()
try:
    d = json.loads(text)
except ValueError as e:
    sys.exit("%s: not one JSON document: %s" % (sys.argv[1], e))
errors = list(jsonschema.Draft202012Validator(schema).iter_errors(d))
for e in errors:
    print("%s: %s at %s" % (sys.argv[1], e.message, list(e.absolute_path)), file=sys.stderr)
if errors:
    sys.exit(1)
for expr in sys.argv[2:]:
    v = eval(expr, {"d": d})
    print(v if isinstance(v, str) else json.dumps(v))
PY
PATH=$TEST_TMP/bin:$PATH
export SCHEMA PATH

# is EXPR VALUE: jdoc out EXPR prints VALUE.
is() {
	is_v=$(jdoc out "$1") || return 1
	if [ "$is_v" != "$2" ]; then
		echo "$1 is '$is_v', expected '$2'"
		echo "--- stdout"; cat out
		echo "--- stderr"; cat err
		return 1
	fi
}

# status_is_rc: the document's status is the exit status.
status_is_rc() {
	is 'd["status"]' "$rc"
}

test_expect_success 'the schema is a draft 2020-12 schema' '
	python3 -c "import json, jsonschema; jsonschema.Draft202012Validator.check_schema(json.load(open(\"$SCHEMA\")))"
'

# A Debian 12 tree with update-grub and an Intel CPU.
debian() {
	cp -R "$FIXTURES/boot/debian12" "$1" && mkdir -p "$1/proc" "$1/usr/sbin" &&
	: >"$1/usr/sbin/update-grub" &&
	printf 'processor\t: 0\nvendor_id\t: GenuineIntel\n\n' >"$1/proc/cpuinfo"
}

test_expect_success 'the schema turns down a wrong action, an extra key and a missing one' '
	debian root && run kcmdline-edit -J -n --root root --iommu && expect_rc 0 && jdoc out &&
	python3 -c "
import json, sys
d = json.load(open(\"out\"))
bad = json.loads(json.dumps(d)); bad[\"files\"][0][\"action\"] = \"edited\"; json.dump(bad, open(\"b1\", \"w\"))
bad = json.loads(json.dumps(d)); bad[\"extra\"] = 1; json.dump(bad, open(\"b2\", \"w\"))
bad = json.loads(json.dumps(d)); bad[\"files\"][0][\"size\"] = 1; json.dump(bad, open(\"b3\", \"w\"))
bad = json.loads(json.dumps(d)); del bad[\"commands\"]; json.dump(bad, open(\"b4\", \"w\"))
bad = json.loads(json.dumps(d)); bad[\"mode\"] = \"apply\"; json.dump(bad, open(\"b5\", \"w\"))
" &&
	for b in b1 b2 b3 b4 b5; do
		! jdoc $b 2>/dev/null || { echo "$b passed"; return 1; }
	done &&
	printf "%s\n" "{}" "{} {}" >two && ! jdoc two 2>/dev/null
'

test_expect_success 'kcmdline-edit -J -n: the diff that -n prints, nothing changed' '
	debian root && debian copy &&
	kcmdline-edit -n --root root --iommu >diff.txt &&
	run kcmdline-edit -J -n --root root --iommu && expect_rc 0 && status_is_rc &&
	is "d[\"tool\"]" kcmdline-edit && is "d[\"mode\"]" dry-run && is "d[\"root\"]" root &&
	is "d[\"version\"]" "$(kcmdline-edit -V | sed "s/.* //")" &&
	is "d[\"changed\"]" true && is "[f[\"path\"] for f in d[\"files\"]]" "[\"/etc/default/grub\"]" &&
	is "d[\"files\"][0][\"action\"]" updated &&
	jdoc out "d[\"files\"][0][\"diff\"]" >jdiff && printf "\n" >>diff.txt && test_cmp diff.txt jdiff &&
	is "d[\"commands\"]" "[]" && is "d[\"reboot\"]" false && is "d[\"devices\"]" "[]" &&
	same_tree copy root
'

test_expect_success 'kcmdline-edit -J --check: a change needed, then none' '
	debian root && debian copy &&
	run kcmdline-edit -J --check --root root/ --iommu && expect_rc $NOTMET && status_is_rc &&
	is "d[\"mode\"]" check && is "d[\"root\"]" root && is "d[\"changed\"]" true &&
	is "d[\"files\"]" "[{\"path\": \"/etc/default/grub\", \"action\": \"updated\"}]" &&
	same_tree copy root && test ! -s err &&
	kcmdline-edit --root root --iommu >/dev/null &&
	run kcmdline-edit -J --check --root root --iommu && expect_rc 0 && status_is_rc &&
	is "d[\"changed\"]" false &&
	is "d[\"files\"]" "[{\"path\": \"/etc/default/grub\", \"action\": \"unchanged\"}]"
'

test_expect_success 'kcmdline-edit -J: written as without -J, the text on stderr, the commands it prints' '
	debian root && debian text &&
	kcmdline-edit --root text --iommu >text.out &&
	run kcmdline-edit -J --root root --iommu && expect_rc 0 && status_is_rc &&
	cmp text/etc/default/grub root/etc/default/grub &&
	sed "s/'\''text\//'\''root\//; s/chroot text /chroot root /" text.out >expect.err && test_cmp expect.err err &&
	is "d[\"mode\"]" write && is "d[\"changed\"]" true &&
	is "d[\"files\"]" "[{\"path\": \"/etc/default/grub\", \"action\": \"updated\"}]" &&
	sed -n "s/^  //p" err >cmds && jdoc out "\"\\n\".join(d[\"commands\"])" >jcmds && test_cmp cmds jcmds &&
	is "d[\"commands\"]" "[\"chroot root update-grub\"]" && is "d[\"reboot\"]" true &&
	is "d[\"warnings\"]" "[]"
'

test_expect_success 'kcmdline-edit -J, a second run: unchanged, no command, no reboot' '
	debian root && mkdir -p root/boot/grub &&
	kcmdline-edit --root root --iommu >/dev/null && touch root/boot/grub/grub.cfg &&
	run kcmdline-edit -J --root root --iommu && expect_rc 0 && status_is_rc &&
	is "d[\"changed\"]" false &&
	is "d[\"files\"]" "[{\"path\": \"/etc/default/grub\", \"action\": \"unchanged\"}]" &&
	is "d[\"commands\"]" "[]" && is "d[\"reboot\"]" false &&
	grep_q "already says this; nothing changed" err
'

test_expect_success 'kcmdline-edit -J: a grub.cfg older than the file, the command still due' '
	debian root && mkdir -p root/boot/grub &&
	kcmdline-edit --root root --iommu >/dev/null && touch -d 2020-01-01 root/boot/grub/grub.cfg &&
	run kcmdline-edit -J --root root --iommu && expect_rc 0 && status_is_rc &&
	is "d[\"changed\"]" false && is "d[\"commands\"]" "[\"chroot root update-grub\"]" &&
	is "d[\"reboot\"]" true &&
	is "d[\"warnings\"]" "[\"'\''root/boot/grub/grub.cfg'\'' is older than '\''root/etc/default/grub'\'': making it anew is still due.\"]" &&
	grep_q "^'\''root/boot/grub/grub.cfg'\'' is older than" err
'

test_expect_success 'kcmdline-edit -J: the warnings printed, without the name' '
	debian root && rm root/proc/cpuinfo &&
	run kcmdline-edit -J -n --root root --iommu && expect_rc 0 && status_is_rc &&
	sed -n "s/^kcmdline-edit: //p" err >warned && test -s warned &&
	jdoc out "\"\\n\".join(d[\"warnings\"])" >jwarned && test_cmp warned jwarned
'

test_expect_success 'kcmdline-edit -J: a failure still prints the document, nothing changed' '
	debian root &&
	run kcmdline-edit -J --root root --grub=/etc/nonesuch -a iommu=pt && expect_rc $FAIL && status_is_rc &&
	is "d[\"changed\"]" false && is "d[\"files\"]" "[]" &&
	grep_q "^kcmdline-edit: could not read '\''root/etc/nonesuch'\''" err
'

FAILAT_SO=$BUILD/tests/preload/failat.so
if [ -f "$FAILAT_SO" ]; then
test_expect_success 'kcmdline-edit -J: a write that fails names the file it would have updated' '
	debian root && debian copy &&
	rc=0 && ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
		FAILAT=rename:1:ENOSPC LD_PRELOAD=$FAILAT_SO \
		kcmdline-edit -J --root root --iommu >out 2>err || rc=$? &&
	expect_rc $FAIL && status_is_rc && is "d[\"changed\"]" false &&
	grep_q "No space left on device" err &&
	is "d[\"files\"]" "[{\"path\": \"/etc/default/grub\", \"action\": \"updated\"}]" &&
	is "d[\"commands\"]" "[]" && is "d[\"reboot\"]" false && same_tree copy root
'
else
	test_skip 'kcmdline-edit -J: a write that fails' 'no failat.so (make check builds it)'
fi

# stubs STATUS: update-grub and grub-mkconfig in ./stub that say so on
# stdout and exit STATUS.
stubs() {
	mkdir -p stub && for c in update-grub grub-mkconfig grub2-mkconfig; do
		printf '#!/bin/sh\necho "ran $0"\nexit %s\n' "$1" >stub/$c && chmod +x stub/$c || return 1
	done
}

test_expect_success 'kcmdline-edit -J --regen: what the command prints goes to stderr, nothing left to run' '
	stubs 0 && echo "GRUB_CMDLINE_LINUX=\"quiet\"" >grub &&
	run env PATH="$PWD/stub:$PATH" kcmdline-edit -J --grub="$PWD/grub" --regen -a iommu=pt &&
	expect_rc 0 && status_is_rc && is "d[\"changed\"]" true && is "d[\"root\"]" / &&
	is "d[\"commands\"]" "[]" && is "d[\"reboot\"]" true &&
	grep_q "^ran .*stub/" err && grep_q "^Running: " err
'

test_expect_success 'kcmdline-edit -J --regen: a command that fails is still to run' '
	stubs 1 && echo "GRUB_CMDLINE_LINUX=\"quiet\"" >grub &&
	run env PATH="$PWD/stub:$PATH" kcmdline-edit -J --grub="$PWD/grub" --regen -a iommu=pt &&
	expect_rc $FAIL && status_is_rc && is "d[\"changed\"]" true &&
	is "d[\"files\"][0][\"action\"]" updated &&
	sed -n "s/^Running: //p" err >ran && test -s ran &&
	jdoc out "\"\\n\".join(d[\"commands\"])" >left && test_cmp ran left &&
	grep_q "^kcmdline-edit: .grub-mkconfig. failed$" err &&
	grep_q "^kcmdline-edit: the files are changed, the boot loader not yet$" err
'

test_expect_success 'kcmdline-edit -J: a usage error prints no document' '
	run kcmdline-edit -J -n --check -a iommu=pt && expect_rc 2 && test ! -s out &&
	run kcmdline-edit -J -a iommu=pt -d iommu=pt && expect_rc 2 && test ! -s out
'

test_expect_success 'kcmdline-edit --list -J keeps its listing' '
	debian root && run kcmdline-edit --list -J --root root && expect_rc 0 &&
	python3 -c "import json; d = json.load(open(\"out\")); assert list(d) == [\"cmdlines\"], d"
'

# vfio-bind: the guide's host with vfio-pci loaded; 07:00.0 the RX 6800
# passed through, 07:00.1 its HDMI audio.
guide() {
	cp -R "$FIXTURES/z490-guide" "$1" && mkdir -p "$1/sys/bus/pci/drivers/vfio-pci"
}

# on_vfio ROOT ADDR...: the functions as the kernel shows them once bound.
on_vfio() {
	ov_root=$1
	shift
	for ov in "$@"; do
		ln -sfn ../../../bus/pci/drivers/vfio-pci "$ov_root/sys/bus/pci/devices/0000:$ov/driver" || return 1
	done
}

CARD='[["0000:07:00.0", "amdgpu", "vfio-pci", "bound"], ["0000:07:00.1", "snd_hda_intel", "vfio-pci", "bound"]]'
DEVS='[[x["device"], x["from"], x["to"], x["action"]] for x in d["devices"]]'

test_expect_success 'vfio-bind -J -n: the devices that would move, the sysfs writes on stderr' '
	guide root && cp -R root before &&
	vfio-bind --root root -n 07:00.0 >writes &&
	run vfio-bind -J --root root -n 07:00.0 && expect_rc 0 && status_is_rc &&
	is "d[\"tool\"]" vfio-bind && is "d[\"mode\"]" dry-run && is "d[\"changed\"]" true &&
	is "$DEVS" "$CARD" && is "d[\"files\"]" "[]" && test_cmp writes err && same_tree before root
'

test_expect_success 'vfio-bind -J --check: to be bound, then bound' '
	guide root &&
	run vfio-bind -J --root root --check 07:00.0 && expect_rc $NOTMET && status_is_rc &&
	is "d[\"mode\"]" check && is "d[\"changed\"]" true && is "$DEVS" "$CARD" &&
	on_vfio root 07:00.0 07:00.1 &&
	run vfio-bind -J --root root --check 07:00.0 && expect_rc 0 && status_is_rc &&
	is "d[\"changed\"]" false &&
	is "$DEVS" "[[\"0000:07:00.0\", \"vfio-pci\", \"vfio-pci\", \"unchanged\"], [\"0000:07:00.1\", \"vfio-pci\", \"vfio-pci\", \"unchanged\"]]"
'

test_expect_success 'vfio-bind -J: already on vfio-pci, nothing changed' '
	guide root && on_vfio root 07:00.0 07:00.1 &&
	run vfio-bind -J --root root 07:00.0 && expect_rc 0 && status_is_rc &&
	is "d[\"mode\"]" write && is "d[\"changed\"]" false &&
	is "[x[\"action\"] for x in d[\"devices\"]]" "[\"unchanged\", \"unchanged\"]" &&
	grep_q "^0000:07:00.0: already on vfio-pci\$" err
'

test_expect_success 'vfio-bind -J --unbind -n: what would be given back' '
	guide root && on_vfio root 07:00.0 &&
	run vfio-bind -J --root root --unbind -n 07:00.0 && expect_rc 0 && status_is_rc &&
	is "d[\"changed\"]" true &&
	is "$DEVS" "[[\"0000:07:00.0\", \"vfio-pci\", null, \"unbound\"], [\"0000:07:00.1\", \"snd_hda_intel\", \"snd_hda_intel\", \"unchanged\"]]"
'

test_expect_success 'vfio-bind -J: a refusal, its warnings, no device moved' '
	guide root && cp -R root before &&
	run vfio-bind -J --root root 03:00.0 && expect_rc $FAIL && status_is_rc &&
	is "d[\"changed\"]" false && is "d[\"devices\"]" "[]" &&
	grep "^vfio-bind: " err | grep -v "^vfio-bind: nothing changed; " | sed "s/^vfio-bind: //" >warned &&
	test -s warned && jdoc out "\"\\n\".join(d[\"warnings\"])" >jwarned && test_cmp warned jwarned &&
	same_tree before root
'

test_expect_success 'vfio-bind --persist -J: created, then unchanged; initramfs-vfio next' '
	guide root &&
	vfio-bind --root root --persist -n 07:00.0 | sed -n "/^--- /,\$p" >diff.txt && test -s diff.txt &&
	run vfio-bind -J --root root --persist -n 07:00.0 && expect_rc 0 && status_is_rc &&
	is "d[\"files\"][0][\"action\"]" created && is "d[\"devices\"]" "[]" &&
	jdoc out "d[\"files\"][0][\"diff\"]" >jdiff && printf "\n" >>diff.txt && test_cmp diff.txt jdiff &&
	run vfio-bind -J --root root --persist --check 07:00.0 && expect_rc $NOTMET && status_is_rc &&
	is "d[\"changed\"]" true && is "d[\"files\"]" "[{\"path\": \"/etc/modprobe.d/vfio.conf\", \"action\": \"created\"}]" &&
	run vfio-bind -J --root root --persist 07:00.0 && expect_rc 0 && status_is_rc &&
	is "d[\"changed\"]" true && is "d[\"files\"]" "[{\"path\": \"/etc/modprobe.d/vfio.conf\", \"action\": \"created\"}]" &&
	is "d[\"commands\"]" "[\"initramfs-vfio --root root\"]" && is "d[\"reboot\"]" true &&
	grep_q "^Next: initramfs-vfio" err &&
	grep "bound by address at boot\$" err >warned && test -s warned &&
	jdoc out "\"\\n\".join(d[\"warnings\"])" >jwarned && test_cmp warned jwarned &&
	modprobe -C root/etc/modprobe.d --showconfig | grep -q "^options vfio_pci ids=1002:73ff" &&
	run vfio-bind -J --root root --persist 07:00.0 && expect_rc 0 && status_is_rc &&
	is "d[\"changed\"]" false && is "d[\"files\"]" "[{\"path\": \"/etc/modprobe.d/vfio.conf\", \"action\": \"unchanged\"}]" &&
	is "d[\"commands\"]" "[]" && is "d[\"reboot\"]" false &&
	run vfio-bind -J --root root --persist --unbind 07:00.0 && expect_rc 0 && status_is_rc &&
	is "d[\"changed\"]" true && is "d[\"files\"]" "[{\"path\": \"/etc/modprobe.d/vfio.conf\", \"action\": \"removed\"}]" &&
	is "d[\"commands\"]" "[]" && is "d[\"reboot\"]" true && ! grep -q initramfs-vfio err &&
	test ! -e root/etc/modprobe.d/vfio.conf
'

test_expect_success 'vfio-bind --persist -J: a refusal still prints the document' '
	guide root &&
	run vfio-bind -J --root root --persist 1002:ab28 && expect_rc $FAIL && status_is_rc &&
	is "d[\"changed\"]" false && is "d[\"files\"]" "[]"
'

# initramfs-vfio: Debian 12 with initramfs-tools, Arch with mkinitcpio.
C=$TOP/tests/initramfs

itools() {
	mkdir -p "$1/etc/initramfs-tools" && ln -s usr/lib "$1/lib" &&
	cp "$C/initramfs-tools/debian-modules" "$1/etc/initramfs-tools/modules" &&
	installed "$1" /usr/sbin/update-initramfs && vfio_kernel "$1" 6.1.0-18-amd64
}

mkcpio() {
	mkdir -p "$1/etc" && ln -s usr/lib "$1/lib" && cp "$C/mkinitcpio/arch-v39.conf" "$1/etc/mkinitcpio.conf" &&
	installed "$1" /usr/bin/mkinitcpio && vfio_kernel "$1" 6.6.8-arch1-1
}

test_expect_success 'vfio-bind --unbind --persist -J: the generator'"'"'s rebuild, as the text prints it' '
	guide root && mkcpio root &&
	vfio-bind --root root --persist 07:00.0 >/dev/null &&
	cp -R root text && vfio-bind --root text --unbind --persist 07:00.0 >text.out &&
	sed -n "s/^  //p" text.out | sed "s/ text / root /" >want && test -s want &&
	run vfio-bind -J --root root --unbind --persist 07:00.0 && expect_rc 0 && status_is_rc &&
	jdoc out "\"\\n\".join(d[\"commands\"])" >got && test_cmp want got &&
	is "d[\"commands\"]" "[\"chroot root mkinitcpio -P\"]" && is "d[\"reboot\"]" true
'

PATHS='[[f["path"], f["action"]] for f in d["files"]]'

for gen in itools mkcpio; do
test_expect_success "initramfs-vfio -J ($gen): -n, --check, write, a second run, --remove" '
	'$gen' root && cp -R root before &&
	initramfs-vfio --root root -n >diff.txt &&
	run initramfs-vfio -J --root root -n && expect_rc 0 && status_is_rc &&
	is "d[\"tool\"]" initramfs-vfio && is "d[\"mode\"]" dry-run && is "d[\"changed\"]" true &&
	jdoc out "\"\".join(f[\"diff\"] for f in d[\"files\"] if \"diff\" in f)" >jdiff &&
	printf "\n" >>diff.txt && test_cmp diff.txt jdiff && same_tree before root &&
	jdoc out "$PATHS" >dry &&
	run initramfs-vfio -J --root root --check && expect_rc $NOTMET && status_is_rc &&
	is "d[\"changed\"]" true && jdoc out "$PATHS" >checked && test_cmp dry checked &&
	same_tree before root &&
	cp -R root text && initramfs-vfio --root text >text.out &&
	run initramfs-vfio -J --root root && expect_rc 0 && status_is_rc &&
	is "d[\"mode\"]" write && is "d[\"changed\"]" true && jdoc out "$PATHS" >wrote && test_cmp dry wrote &&
	sed "s/chroot text /chroot root /; s/'\''text\//'\''root\//" text.out >expect.err && test_cmp expect.err err &&
	sed -n "s/^  //p" err >cmds && test -s cmds &&
	jdoc out "\"\\n\".join(d[\"commands\"])" >jcmds && test_cmp cmds jcmds && is "d[\"reboot\"]" true &&
	same_tree text root &&
	run initramfs-vfio -J --root root && expect_rc 0 && status_is_rc &&
	is "d[\"changed\"]" false && is "d[\"commands\"]" "[]" && is "d[\"reboot\"]" false &&
	is "[f[\"action\"] for f in d[\"files\"] if f[\"action\"] != \"unchanged\"]" "[]" &&
	jdoc out "[f[\"path\"] for f in d[\"files\"]]" >second &&
	python3 -c "import json,sys; a=[p for p, _ in json.load(open(\"dry\"))]; b=json.load(open(\"second\")); sys.exit(a != b)" &&
	run initramfs-vfio -J --root root --check && expect_rc 0 && status_is_rc && is "d[\"changed\"]" false &&
	run initramfs-vfio -J --root root --remove && expect_rc 0 && status_is_rc &&
	is "d[\"changed\"]" true && same_tree before root
'
done

test_expect_success 'initramfs-vfio -J: a refusal still prints the document' '
	mkdir -p root/etc &&
	run initramfs-vfio -J --root root && expect_rc $FAIL && status_is_rc &&
	is "d[\"changed\"]" false && is "d[\"files\"]" "[]" &&
	grep_q "^initramfs-vfio: no initramfs generator" err
'

test_expect_success 'initramfs-vfio -J: the warnings printed, without the name' '
	itools root && rm -r root/usr/lib/modules &&
	run initramfs-vfio -J --root root -n && expect_rc 0 && status_is_rc &&
	sed -n "s/^initramfs-vfio: //p" err >warned && test -s warned &&
	jdoc out "\"\\n\".join(d[\"warnings\"])" >jwarned && test_cmp warned jwarned
'

# virtxml-hide -i: a domain in a system tree, as libvirt keeps it.
D=$TOP/tests/domains
QEMU=/etc/libvirt/qemu

test_expect_success 'virtxml-hide -J -i: -n, --check, write, a second run, --remove' '
	mkdir -p root$QEMU && cp "$D/win10-virsh.xml" root$QEMU/win10.xml && cp -R root before &&
	virtxml-hide --root root -n -i $QEMU/win10.xml >diff.txt &&
	run virtxml-hide -J --root root -n -i $QEMU/win10.xml && expect_rc 0 && status_is_rc &&
	is "d[\"tool\"]" virtxml-hide && is "d[\"mode\"]" dry-run && is "d[\"changed\"]" true &&
	is "d[\"files\"][0][\"path\"]" $QEMU/win10.xml && is "d[\"files\"][0][\"action\"]" updated &&
	jdoc out "d[\"files\"][0][\"diff\"]" >jdiff && printf "\n" >>diff.txt && test_cmp diff.txt jdiff &&
	run virtxml-hide -J --root root --check -i $QEMU/win10.xml && expect_rc $NOTMET && status_is_rc &&
	is "d[\"changed\"]" true && is "d[\"files\"]" "[{\"path\": \"$QEMU/win10.xml\", \"action\": \"updated\"}]" &&
	same_tree before root &&
	cp -R root text && virtxml-hide --root text -i $QEMU/win10.xml >text.out &&
	run virtxml-hide -J --root root -i $QEMU/win10.xml && expect_rc 0 && status_is_rc &&
	cmp text$QEMU/win10.xml root$QEMU/win10.xml && virt-xml-validate root$QEMU/win10.xml domain >/dev/null 2>&1 &&
	sed "s/'\''text\//'\''root\//g; s/ text\// root\//g; s/chroot text /chroot root /g" text.out >expect.err && test_cmp expect.err err &&
	is "d[\"changed\"]" true && is "d[\"files\"]" "[{\"path\": \"$QEMU/win10.xml\", \"action\": \"updated\"}]" &&
	is "d[\"commands\"]" "[\"chroot root virsh define $QEMU/win10.xml\"]" && is "d[\"reboot\"]" false &&
	grep_q "^Next: chroot root virsh define $QEMU/win10.xml," err &&
	run virtxml-hide -J --root root -i $QEMU/win10.xml && expect_rc 0 && status_is_rc &&
	is "d[\"changed\"]" false && is "d[\"files\"]" "[{\"path\": \"$QEMU/win10.xml\", \"action\": \"unchanged\"}]" &&
	is "d[\"commands\"]" "[]" &&
	run virtxml-hide -J --root root --check -i $QEMU/win10.xml && expect_rc 0 && status_is_rc &&
	is "d[\"changed\"]" false &&
	run virtxml-hide -J --root root --remove -i $QEMU/win10.xml && expect_rc 0 && status_is_rc &&
	is "d[\"changed\"]" true && same_tree before root
'

test_expect_success 'virtxml-hostdev -J -i: -n, --check, write, a second run, --remove, a refusal' '
	cp -R "$FIXTURES/z490-guide" root && mkdir -p root$QEMU && cp "$D/win10-virsh.xml" root$QEMU/win10.xml &&
	cp -R root before &&
	run virtxml-hostdev -J --root root -n -i 07:00.0 $QEMU/win10.xml && expect_rc 0 && status_is_rc &&
	is "d[\"tool\"]" virtxml-hostdev && is "d[\"mode\"]" dry-run && is "d[\"changed\"]" true &&
	is "d[\"files\"][0][\"path\"]" $QEMU/win10.xml && is "d[\"files\"][0][\"action\"]" updated &&
	run virtxml-hostdev -J --root root --check -i 07:00.0 $QEMU/win10.xml && expect_rc $NOTMET && status_is_rc &&
	same_tree before root &&
	run virtxml-hostdev -J --root root -i 07:00.0 $QEMU/win10.xml && expect_rc 0 && status_is_rc &&
	is "d[\"changed\"]" true && is "d[\"commands\"]" "[\"chroot root virsh define $QEMU/win10.xml\"]" &&
	virtxml-hostdev --root before 07:00.0 <before$QEMU/win10.xml >expect.xml && cmp expect.xml root$QEMU/win10.xml &&
	run virtxml-hostdev -J --root root -i 07:00.0 $QEMU/win10.xml && expect_rc 0 && status_is_rc &&
	is "d[\"changed\"]" false && is "d[\"commands\"]" "[]" &&
	run virtxml-hostdev -J --root root -i 03:00.0 $QEMU/win10.xml && expect_rc $FAIL && status_is_rc &&
	is "d[\"changed\"]" false && sed -n "s/^virtxml-hostdev: 0000/0000/p" err >warned && test -s warned &&
	jdoc out "\"\\n\".join(d[\"warnings\"])" >jwarned && test_cmp warned jwarned &&
	run virtxml-hostdev -J --root root --remove -i $QEMU/win10.xml && expect_rc 0 && status_is_rc &&
	is "d[\"changed\"]" true && same_tree before root
'

test_expect_success 'virtxml-hide -J -i: bad input still prints the document, nothing changed' '
	mkdir -p root$QEMU && echo "<domain><name>x</name>" >root$QEMU/bad.xml && cp -R root before &&
	run virtxml-hide -J --root root -i $QEMU/bad.xml && expect_rc $FAIL && status_is_rc &&
	is "d[\"changed\"]" false && is "d[\"files\"]" "[]" && test -s err && same_tree before root
'

test_expect_success 'virtxml-hide -J -i: the warnings printed, without the name' '
	cp "$D/hyperv-passthrough.xml" dom.xml &&
	run virtxml-hide -J -n -i dom.xml && expect_rc 0 && status_is_rc &&
	sed -n "s/^virtxml-hide: //p" err >warned && test -s warned &&
	jdoc out "\"\\n\".join(d[\"warnings\"])" >jwarned && test_cmp warned jwarned &&
	is "d[\"root\"]" /
'

test_expect_success 'virtxml-hide -J without -i: a usage error, the XML is standard output' '
	run virtxml-hide -J "$D/win10-virsh.xml" && expect_rc 2 && test ! -s out &&
	grep_q "^virtxml-hide: -J needs -i: standard output is the XML\$" err
'

test_done
