#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The bad-input corpus: every case of tests/badinput/TOOL/CASE runs
#
#	TOOL --root root ARGS...
#
# in a scratch directory and must exit with the status and print the
# error its expect file gives, and leave the root as it was.  A case is a
# directory holding:
#
#	args	the arguments after --root root, one a line (may be empty)
#	expect	the exit status, then standard error line by line; a line
#		starting with "~ " is an extended regular expression the
#		line must match whole (for libxml2's wording)
#	tree	optional: a fixture tree (under tests/fixtures) the root
#		starts as; "none" for no root at all
#	files/	optional: copied over the root
#	setup	optional: shell commands, run beside the root, for what git
#		cannot hold (FIFOs, sparse files of gigabytes)
#	stdin	optional: standard input (otherwise /dev/null)
. "$(dirname "$0")/lib.sh"

CORPUS=$TOP/tests/badinput

# state: the root as it stands, whatever it is (a tree, a file, nothing).
state() {
	if [ -d root ]; then
		snapshot root
	elif [ -e root ] || [ -L root ]; then
		ls -l root | cut -d' ' -f1 && md5sum root
	fi
}

# check_case DIR TOOL
check_case() {
	cc_dir=$1 cc_tool=$2
	tree=$(cat "$cc_dir/tree" 2>/dev/null || echo none)
	mkdir case && cd case || return 1
	if [ "$tree" != none ]; then
		cp -R "$FIXTURES/$tree" root || return 1
	fi
	if [ -d "$cc_dir/files" ]; then
		mkdir -p root && cp -R "$cc_dir/files/." root/ || return 1
	fi
	if [ -f "$cc_dir/setup" ]; then
		sh -e "$cc_dir/setup" || return 1
	fi
	state >../before
	set -- --root root
	while IFS= read -r arg; do
		set -- "$@" "$arg"
	done <"$cc_dir/args"
	rc=0
	timeout 20 "$cc_tool" "$@" <"$([ -f "$cc_dir/stdin" ] && echo "$cc_dir/stdin" || echo /dev/null)" \
		>../out 2>../err || rc=$?
	state >../after
	cd .. || return 1
	want=$(head -n 1 "$cc_dir/expect")
	[ "$rc" = "$want" ] || { echo "exit status $rc, expected $want"; cat err; return 1; }
	tail -n +2 "$cc_dir/expect" >want.err
	[ "$(wc -l <want.err)" = "$(wc -l <err)" ] || { echo 'stderr:'; cat err; echo 'expected:'; cat want.err; return 1; }
	n=0
	while IFS= read -r line; do
		n=$((n + 1))
		got=$(sed -n "${n}p" err)
		case $line in
		'~ '*) printf '%s\n' "$got" | grep -Eqx -e "${line#'~ '}" ;;
		*) [ "$got" = "$line" ] ;;
		esac || { echo "stderr line $n:"; echo "  got:      $got"; echo "  expected: $line"; return 1; }
	done <want.err
	test_cmp before after
}

for tool_dir in "$CORPUS"/*/; do
	tool=$(basename "$tool_dir")
	n=0
	for case_dir in "$tool_dir"*/; do
		[ -f "$case_dir/expect" ] || continue
		n=$((n + 1))
		test_expect_success "$tool: $(basename "$case_dir")" "check_case '${case_dir%/}' $tool"
	done
	echo "# $tool: $n bad-input cases"
	total=$(( ${total:-0} + n ))
done
echo "# every tool: ${total:-0} bad-input cases"

test_done
