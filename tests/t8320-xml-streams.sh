#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The domain XML named as a stream on the running system (no --root):
# /dev/stdin, /dev/fd/N and bash's <(virsh dumpxml win10) are links into
# /proc that openat2 would not follow; they read as the file itself does.
. "$(dirname "$0")/lib.sh"

D=$TOP/tests/domains

test_expect_success 'virtxml-hide /dev/stdin: the same output as the file' '
	virtxml-hide "$D/win10-virsh.xml" >want &&
	virtxml-hide /dev/stdin <"$D/win10-virsh.xml" >got 2>err &&
	test_cmp want got && test_cmp /dev/null err
'

test_expect_success 'virtxml-hide <(cat FILE): the same output as the file' '
	virtxml-hide "$D/win10-virsh.xml" >want &&
	virtxml-hide <(cat "$D/win10-virsh.xml") >got 2>err &&
	test_cmp want got && test_cmp /dev/null err
'

test_expect_success 'virtxml-hide --check <(cat FILE): judged like the file' '
	run virtxml-hide --check "$D/hidden-already.xml" && want=$rc &&
	run virtxml-hide --check <(cat "$D/hidden-already.xml") && expect_rc "$want" &&
	run virtxml-hide --check "$D/win10-virsh.xml" && want=$rc &&
	run virtxml-hide --check <(cat "$D/win10-virsh.xml") && expect_rc "$want"
'

test_expect_success 'virtxml-hide -i /dev/stdin: refused, a pipe is not edited in place' '
	run virtxml-hide -i /dev/stdin <<-EOF2 &&
	$(cat "$D/win10-virsh.xml")
	EOF2
	expect_rc 3 && grep_q "not a regular file" err
'

# virtxml-hostdev on the running system: --remove, which needs no device
# of this machine, on a domain given the guide's card under its tree.
test_expect_success 'virtxml-hostdev --remove /dev/stdin and <(cat FILE): the same output as the file' '
	virtxml-hostdev --root "$FIXTURES/z490-guide" 07:00.0 <"$D/win10-virsh.xml" >add.xml &&
	virtxml-hostdev --remove add.xml >want 2>err && test_cmp /dev/null err &&
	test_cmp "$D/win10-virsh.xml" want &&
	virtxml-hostdev --remove /dev/stdin <add.xml >got 2>err &&
	test_cmp want got && test_cmp /dev/null err &&
	virtxml-hostdev --remove <(cat add.xml) >got 2>err &&
	test_cmp want got && test_cmp /dev/null err
'

test_expect_success 'virtxml-hostdev --remove --check <(cat FILE): judged like the file' '
	virtxml-hostdev --root "$FIXTURES/z490-guide" 07:00.0 <"$D/win10-virsh.xml" >add.xml &&
	run virtxml-hostdev --remove --check add.xml && expect_rc 1 &&
	run virtxml-hostdev --remove --check <(cat add.xml) && expect_rc 1 &&
	run virtxml-hostdev --remove --check "$D/win10-virsh.xml" && expect_rc 0 &&
	run virtxml-hostdev --remove --check <(cat "$D/win10-virsh.xml") && expect_rc 0
'

test_expect_success 'virtxml-hostdev -i --remove /dev/stdin: refused, a pipe is not edited in place' '
	run virtxml-hostdev -i --remove /dev/stdin <<-EOF2 &&
	$(cat "$D/win10-virsh.xml")
	EOF2
	expect_rc 3 && grep_q "not a regular file" err
'

# A fix for a domain read from a stream is virsh's pipeline, as for
# --xml -; for a file, an edit of it: the checks and their verdicts agree.
test_expect_success 'passcheck --xml <(cat FILE) and --xml /dev/stdin: the report of --xml -, the checks of the file' '
	run passcheck --xml - <"$D/win10-virsh.xml" && want=$rc && mv out want &&
	run passcheck --xml <(cat "$D/win10-virsh.xml") && expect_rc "$want" &&
	test_cmp want out && ! grep_q "cross-device" err &&
	run passcheck --xml /dev/stdin <"$D/win10-virsh.xml" && expect_rc "$want" &&
	test_cmp want out &&
	run passcheck --xml "$D/win10-virsh.xml" && expect_rc "$want" &&
	cut -d " " -f 1-3 want >want.checks && cut -d " " -f 1-3 out >got.checks &&
	test_cmp want.checks got.checks
'

test_expect_success 'under --root, /dev/stdin is the root'"'"'s, not this process'"'"'s standard input' '
	mkdir -p root &&
	run virtxml-hide --root root /dev/stdin <"$D/win10-virsh.xml" &&
	expect_rc 3 && test_cmp /dev/null out &&
	cp -R "$FIXTURES/z490-guide" hdroot &&
	run virtxml-hostdev --root hdroot 07:00.0 /dev/stdin <"$D/win10-virsh.xml" &&
	expect_rc 3 && test_cmp /dev/null out && grep_q "could not open .hdroot/dev/stdin." err
'

test_done
