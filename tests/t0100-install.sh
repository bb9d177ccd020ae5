#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# make install puts binaries, man pages and completions where PREFIX,
# DESTDIR, BINDIR and MANDIR say, and nothing outside DESTDIR.
. "$(dirname "$0")/lib.sh"

tools=$(cd "$TOP/cmd" && ls | sed 's/\.c$//' | tr '\n' ' ')

# The directories each shell really reads completions from, asked of the
# shell, as a root shell has them (XDG_DATA_DIRS unset): bash-completion's
# loader traced as it looks for a command, zsh's fpath, fish's
# fish_complete_path.
shell_dirs() {
	{
		env -u XDG_DATA_DIRS bash -c '
			. "$0" && set -x && __load_completion vfio-utils-no-such-command' \
			"$(pkg-config --variable=datadir bash-completion)/bash-completion/bash_completion" 2>&1 |
			sed -n 's/^+* \[\[ -d \(\/.*\) \]\]$/bash \1/p'
		env -u XDG_DATA_DIRS zsh -c 'print -l $fpath' | sed 's/^/zsh /'
		env -u XDG_DATA_DIRS HOME="$PWD/home" fish -c 'printf "%s\n" $fish_complete_path' |
			sed 's/^/fish /'
	} >dirs
	grep -q "^bash /" dirs && grep -q "^zsh /" dirs && grep -q "^fish /" dirs ||
		{ echo "a shell said no directory:"; cat dirs; return 1; }
}

# read_by DEST: every tool has a completion for each shell in a directory
# that shell reads, and every completion installed is in one.
read_by() {
	for t in $tools; do
		for f in "bash $t" "zsh _$t" "fish $t.fish"; do
			found=
			while read -r sh d; do
				test "$sh" = "${f% *}" && test -f "$1$d/${f#* }" && found=$d
			done <dirs
			test -n "$found" || { echo "no ${f% *} completion of $t where ${f% *} reads:"; find "$1"; return 1; }
		done
	done
	(cd "$1" && find . -type f) | sed 's/^\.//' | grep -v -e '^[^ ]*/bin/' -e '/man/man1/' |
		while read -r f; do
			grep -q " ${f%/*}\$" dirs || { echo "$f: no shell reads ${f%/*}"; return 1; }
		done
}

shells=yes
for s in bash zsh fish pkg-config; do
	command -v $s >/dev/null || shells="no $s"
done
[ -f "$(pkg-config --variable=datadir bash-completion 2>/dev/null)/bash-completion/bash_completion" ] ||
	shells="no bash-completion"
if [ "$shells" != yes ] && [ "${CI:-}" != true ]; then
	test_skip 'completions where the shells read them' "$shells"
else
	for prefix in /usr /usr/local; do
		test_expect_success "install under DESTDIR with PREFIX=$prefix: the completions where each shell reads them" "
			shell_dirs &&
			make -s -C '$TOP' install DESTDIR=\"\$PWD/dest\" PREFIX=$prefix >log 2>&1 || { cat log; exit 1; }
			for t in $tools; do
				test -x dest$prefix/bin/\$t &&
				test -f dest$prefix/share/man/man1/\$t.1 || { echo \"\$t missing\"; find dest; return 1; }
			done &&
			read_by dest
		"
	done
fi

test_expect_success 'explicit completion directories are taken as given' "
	make -s -C '$TOP' install DESTDIR=\"\$PWD/dest\" PREFIX=/usr BASHCOMPDIR=/b ZSHCOMPDIR=/z FISHCOMPDIR=/f >log 2>&1 ||
		{ cat log; exit 1; }
	for t in $tools; do
		test -f dest/b/\$t && test -f dest/z/_\$t && test -f dest/f/\$t.fish || { find dest; return 1; }
	done
"

test_expect_success 'the completions find their shared code where they are installed' "
	rm -rf dest &&
	make -s -C '$TOP' install DESTDIR=\"\$PWD/dest\" PREFIX=/usr >/dev/null 2>&1 &&
	zdir=\$(find dest -name _vfio-bind -printf '%h\\n') &&
	fdir=\$(find dest -name vfio-bind.fish -printf '%h\\n') &&
	zsh -fc 'fpath=(\$1 \$fpath); autoload -Uz compinit && compinit -u -D &&
		[[ \$_comps[vfio-bind] == _vfio-bind ]] && (( \$+functions[_vfio-utils] ))' \
		zsh \"\$PWD/\$zdir\" &&
	fish --no-config -c 'set fish_complete_path \$argv[1]
		complete -C \"vfio-bind --root \$argv[2] 07:00.\"' \
		\"\$fdir\" '$FIXTURES/z490-guide' | cut -f1 >got &&
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

for prefix in /usr /usr/local; do
	test_expect_success "uninstall removes what install put there (PREFIX=$prefix)" "
		make -s -C '$TOP' install DESTDIR=\"\$PWD/dest\" PREFIX=$prefix >/dev/null 2>&1 &&
		test -n \"\$(find dest -type f)\" &&
		make -s -C '$TOP' uninstall DESTDIR=\"\$PWD/dest\" PREFIX=$prefix >/dev/null 2>&1 &&
		test -z \"\$(find dest -type f)\"
	"
done

test_done
