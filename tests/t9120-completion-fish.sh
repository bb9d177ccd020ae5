#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The fish completions through fish's own machinery: complete -C on each
# line of completion-cases.sh, with completions/fish first on
# fish_complete_path, as fish loads a command's completions when it first
# completes it.  complete -C prints what fish offers for the line, each
# candidate with its description, after fish's own matching.

. "$(dirname "$0")/lib.sh"
. "$TOP/tests/completion-cases.sh"

command -v fish >/dev/null 2>&1 || skip_all 'fish is not installed'

COMP_SHELL=fish
COMP_DESC=yes
COMP_QUERIES=$TEST_TMP/lines
COMP_GOT=$TEST_TMP/got
completion_setup || exit 1
COMP_MODE=collect
completion_cases

if ! (cd "$COMP_CWD" && HOME=$COMP_HOME timeout 120 fish --no-config -c '
	set fish_complete_path $argv[1] $fish_complete_path
	while read -l q
		echo "=== $q"
		complete -C $q
	end <$argv[2]' "$TOP/completions/fish" "$COMP_QUERIES") \
	>"$COMP_GOT" 2>"$TEST_TMP/complete.err"; then
	echo "# the fish session failed:"
	sed 's/^/# /' "$TEST_TMP/complete.err"
fi
test_expect_success "fish: no error from the completions" '
	test_cmp /dev/null "$TEST_TMP/complete.err"
'
COMP_MODE=run
completion_cases
test_done
