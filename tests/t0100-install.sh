#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# make install puts binaries, man pages and completions where PREFIX,
# DESTDIR, BINDIR and MANDIR say, and nothing outside DESTDIR.
. "$(dirname "$0")/lib.sh"

tools=$(cd "$TOP/cmd" && ls | sed 's/\.c$//' | tr '\n' ' ')

test_expect_success 'install under DESTDIR with PREFIX=/usr' "
	make -s -C '$TOP' install DESTDIR=\"\$PWD/dest\" PREFIX=/usr >log 2>&1 || { cat log; exit 1; }
	for t in $tools; do
		test -x dest/usr/bin/\$t &&
		test -f dest/usr/share/man/man1/\$t.1 &&
		test -f dest/usr/share/bash-completion/completions/\$t &&
		test -f dest/usr/share/zsh/site-functions/_\$t &&
		test -f dest/usr/share/fish/vendor_completions.d/\$t.fish || { echo \"\$t missing\"; find dest; return 1; }
	done
"

test_expect_success 'the completions find their shared code where they are installed' "
	make -s -C '$TOP' install DESTDIR=\"\$PWD/dest\" PREFIX=/usr >/dev/null 2>&1 &&
	zsh -fc 'fpath=(\$1 \$fpath); autoload -Uz compinit && compinit -u -D &&
		[[ \$_comps[vfio-bind] == _vfio-bind ]] && (( \$+functions[_vfio-utils] ))' \
		zsh \"\$PWD/dest/usr/share/zsh/site-functions\" &&
	fish --no-config -c 'set fish_complete_path \$argv[1]
		complete -C \"vfio-bind --root \$argv[2] 07:00.\"' \
		dest/usr/share/fish/vendor_completions.d '$FIXTURES/z490-guide' | cut -f1 >got &&
	ls '$FIXTURES/z490-guide/sys/bus/pci/devices' | sed -n 's/^0000:07:00\\./07:00./p' >expect &&
	test_cmp expect got
"

test_expect_success 'the installed binaries run' "
	make -s -C '$TOP' install DESTDIR=\"\$PWD/dest\" PREFIX=/usr >/dev/null 2>&1 &&
	for t in $tools; do
		dest/usr/bin/\$t --version | grep -q \"^\$t (vfio-utils)\" || return 1
	done
"

test_expect_success 'BINDIR and MANDIR override PREFIX' "
	make -s -C '$TOP' install DESTDIR=\"\$PWD/dest\" BINDIR=/opt/vu/bin MANDIR=/opt/vu/man >/dev/null 2>&1 &&
	for t in $tools; do
		test -x dest/opt/vu/bin/\$t && test -f dest/opt/vu/man/man1/\$t.1 || return 1
	done
"

test_expect_success 'nothing of the internal library is installed' "
	make -s -C '$TOP' install DESTDIR=\"\$PWD/dest\" PREFIX=/usr >/dev/null 2>&1 &&
	! find dest -name '*.a' -o -name '*.h' | grep .
"

test_expect_success 'uninstall removes what install put there' "
	make -s -C '$TOP' install DESTDIR=\"\$PWD/dest\" PREFIX=/usr >/dev/null 2>&1 &&
	make -s -C '$TOP' uninstall DESTDIR=\"\$PWD/dest\" PREFIX=/usr >/dev/null 2>&1 &&
	test -z \"\$(find dest -type f)\"
"

test_done
