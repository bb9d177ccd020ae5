#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Every tool ships with a man page, bash, zsh and fish completions and a
# README section, and they all know every option its --help lists.
. "$(dirname "$0")/lib.sh"

tools=$(cd "$TOP/cmd" && ls | sed 's/\.[ch]$//' | sort -u)

# The long options a tool's --help lists, one per line.
# The options --help lists: its lines that begin with an option, not the
# other commands its examples show (virsh dumpxml --inactive).
help_options() {
	"$1" --help | grep -E '^ +-' | grep -o -e '--[a-z][a-z0-9-]*' | sort -u
}

# Other projects' manuals the pages name.  A machine has each one only
# with its project installed (mkinitcpio's only on Arch), and mandoc's
# STYLE level says "referenced manual not found" for each one missing:
# a finding about the machine, not the page, and the only one let by.
# Listed are those make test-deps does not install: openat2(2) comes with
# manpages-dev and kernel-install(8) with systemd, neither of them asked for.
# The tools' own pages are put first on mandoc's search path, so that a
# reference from one to another is checked wherever the tests run.
foreign_manuals='bootctl 1
dracut.conf 5
initramfs-tools 7
kernel-install 8
mkinitcpio 8
mkinitcpio.conf 5
openat2 2
update-initramfs 8
virt-xml 1'

# mandoc's findings on man page $1 at its STYLE level, all but a foreign
# manual not found, one per line; fails if mandoc could not lint it.
lint_findings() {
	lf_rc=0
	MANPATH="$TOP:" mandoc -Tlint -W style "$1" >lint 2>lint.err || lf_rc=$?
	# 0 nothing found; 1 to 3 findings (style, warnings, errors), on
	# stdout; above, mandoc could not read the page or was misused.
	if [ $lf_rc -gt 3 ]; then
		cat lint lint.err >&2
		return 1
	fi
	printf '%s\n' "$foreign_manuals" |
	sed 's/[.]/\\&/g; s/^/: STYLE: referenced manual not found: Xr /;
	     s/$/( \\([0-9]+ times\\))?$/' >foreign &&
	{ grep -v -E -f foreign lint; test $? -le 1; }
}

for t in $tools; do
	test_expect_success "$t: --help goes to stdout and exits 0" "
		run $t --help && expect_rc 0 &&
		grep_q '^Usage: $t ' out && test ! -s err
	"
	test_expect_success "$t: --version names the tool" "
		run $t --version && expect_rc 0 && grep_q '^$t (vfio-utils) [0-9]' out
	"
	test_expect_success "$t: unknown option is a usage error" "
		run $t --no-such-option && expect_rc 2 && test ! -s out &&
		grep_q \"^$t: unrecognized option '--no-such-option'\" err &&
		grep_q \"^Try '$t --help' for more information.\" err
	"
	test_expect_success "$t: man page is mandoc -Tlint -W style clean" "
		lint_findings '$TOP/man1/$t.1' >findings &&
		test_cmp /dev/null findings
	"
	test_expect_success "$t: man page has the sections" "
		for s in NAME SYNOPSIS DESCRIPTION OPTIONS 'EXIT STATUS' EXAMPLES 'SEE ALSO'; do
			grep_q \"^\\.Sh \$s\\\$\" '$TOP/man1/$t.1' || return 1
		done
	"
	test_expect_success "$t: every option in --help is in the man page" "
		help_options $t >opts && test -s opts &&
		mandoc -Tutf8 '$TOP/man1/$t.1' | col -b >man &&
		while read o; do grep_q \"\$o\" man || return 1; done <opts
	"
	test_expect_success "$t: completions parse" "
		bash -n '$TOP/completions/bash/$t' &&
		zsh -n '$TOP/completions/zsh/_$t' &&
		fish -n '$TOP/completions/fish/$t.fish'
	"
	test_expect_success "$t: every option in --help is in each completion" "
		help_options $t >opts &&
		while read o; do
			grep_q \"\$o\" '$TOP/completions/bash/$t' &&
			grep_q \"\${o#--}\" '$TOP/completions/zsh/_$t' &&
			grep_q \"-l \${o#--}\" '$TOP/completions/fish/$t.fish' || return 1
		done <opts
	"
	test_expect_success "$t: bash completes its options" "
		cat >comp.bash <<EOS
. /usr/share/bash-completion/bash_completion
. '$TOP/completions/bash/$t'
COMP_WORDS=($t --)
COMP_CWORD=1
COMP_LINE='$t --'
COMP_POINT=\\\${#COMP_LINE}
\\\$(complete -p $t | sed 's/.*-F \\([^ ]*\\) .*/\\1/') $t -- $t
printf '%s\\\\n' \"\\\${COMPREPLY[@]}\"
EOS
		bash comp.bash >got && help_options $t >opts &&
		while read o; do grep_q \"^\$o\\\$\" got || return 1; done <opts
	"
	test_expect_success "$t: fish completes its options" "
		fish -c \"source '$TOP/completions/fish/$t.fish'; complete -C '$t --'\" >got &&
		help_options $t >opts &&
		while read o; do grep_q \"^\$o\" got || return 1; done <opts
	"
	test_expect_success "$t: README has a section" "
		grep_q '^## $t\$' '$TOP/README.md'
	"
done

test_expect_success "CI runs the README's test command" "
	sed -n 's/^    \\(make deps && make test-deps && make check.*\\)/\\1/p' '$TOP/README.md' >readme &&
	grep -x 'make deps && make test-deps && make check.*' '$TOP/.ci/run' >ci &&
	test \$(wc -l <readme) = 1 && test_cmp readme ci
"

test_done
