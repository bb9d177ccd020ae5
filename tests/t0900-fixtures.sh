#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The committed fixture sysroots are what their specs generate: a changed
# spec or generator without `make fixtures` fails here.  The others were
# captured from a real kernel (tests/vm/capture.sh; NAME.captured says
# how).  And each tree reads as a machine to lspci, the consumer the tools
# are judged by.
. "$(dirname "$0")/lib.sh"

MKSYSROOT=$BUILD/tests/tools/mksysroot
PCI_IDS=/usr/share/misc/pci.ids

# tree DIR: paths, link targets and contents' checksums.  Modes are left
# out (git keeps only the executable bit) and so are empty directories
# (git keeps none).
tree() {
	(cd "$1" && find . ! -type d -printf '%p %y %l\n' | sort &&
		find . -type f ! -path ./usr/share/misc/pci.ids -exec md5sum {} + | sort -k 2)
}

# The header line that names the pci.ids release.
ids_version() {
	sed -n 's/^#[[:space:]]*Version: //p' "$1" | head -n 1
}

specs=$(ls "$FIXTURES"/*.spec | tr '\n' ' ')

test_expect_success 'there are fixture specs, each with its tree' "
	test -n '$specs' &&
	for s in $specs; do test -d \"\${s%.spec}/sys/bus/pci/devices\" || return 1; done
"

for s in $specs; do
	name=$(basename "$s" .spec)
	test_expect_success "$name: the committed tree is what the spec generates" "
		'$MKSYSROOT' -i '$PCI_IDS' '$s' gen &&
		tree gen >expect && tree '${s%.spec}' >got &&
		test_cmp expect got
	"

	if [ "$(ids_version "$PCI_IDS")" = "$(ids_version "${s%.spec}/usr/share/misc/pci.ids")" ]; then
		test_expect_success "$name: its pci.ids is this system's, cut down" "
			'$MKSYSROOT' -i '$PCI_IDS' '$s' gen &&
			test_cmp gen/usr/share/misc/pci.ids '${s%.spec}/usr/share/misc/pci.ids'
		"
	else
		test_skip "$name: its pci.ids is this system's, cut down" \
			"this system's pci.ids is another release"
	fi
done

for d in "$FIXTURES"/*/; do
	d=${d%/}
	name=${d##*/}
	[ -d "$d/sys/bus/pci/devices" ] || continue
	test_expect_success "$name: made by its spec or captured from a guest" "
		test -f '$d.spec' || test -f '$d.captured'
	"

	test_expect_success "$name: lspci names every device, as with the full pci.ids" "
		R='$d' &&
		lspci_root \"\$R\" -nn >cut &&
		lspci -A linux-sysfs -O sysfs.path=\"\$R/sys/bus/pci\" -O hwdb.disable=1 -nn >full &&
		test -s cut && test_cmp full cut
	"

	test_expect_success "$name: lspci -t sees the bridges' buses" "
		lspci_root '$d' -t >t &&
		! grep -q 'unknown\\|-\\[00\\]-.*-\\[00\\]' t
	"
done

test_expect_success 'the generator refuses a spec it does not understand' "
	printf 'dev 00:00.0 class=060000\n' >bad.spec &&
	run '$MKSYSROOT' bad.spec out.d && expect_rc 1 &&
	grep_q 'bad.spec:1: dev needs class= and id=' err &&
	printf 'iommu intel\ndev 00:00.0 class=060000 id=8086:1234\n' >nogroup.spec &&
	run '$MKSYSROOT' nogroup.spec out2.d && expect_rc 1 &&
	grep_q 'every device needs group=' err
"

test_done
