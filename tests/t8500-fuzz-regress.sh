#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Every fuzz target over its seeds and the inputs that once broke its
# parser, through the plain driver: the round trips and other properties
# the targets assert hold on every run, and a fixed crash stays fixed
# (make fuzz is where new inputs are looked for).
. "$(dirname "$0")/lib.sh"

targets=$(cd "$TOP/tests/fuzz" && ls *.c | sed -e '/^driver\.c$/d' -e '/^fuzz\.c$/d' -e 's/\.c$//' | tr '\n' ' ')

test_expect_success 'every target is built' "
	for t in $targets; do test -x '$BUILD/tests/fuzz/'\$t || return 1; done
"

for t in $targets; do
	test_expect_success "$t: its seeds and regression inputs hold" "
		'$TOP/tests/fuzz/seeds' $t >seeds && test -s seeds &&
		mkdir tmp && TMPDIR=\$PWD/tmp xargs '$BUILD/tests/fuzz/$t' <seeds &&
		rmdir tmp
	"
done

test_done
