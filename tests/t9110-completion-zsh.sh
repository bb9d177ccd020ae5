#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The zsh completions through zsh's own machinery: an interactive zsh on a
# pseudo-terminal (the zsh/zpty module) with compinit and completions/zsh
# first on fpath, each line of completion-cases.sh typed and completed with
# TAB.  compadd is wrapped to print, between two markers, what it adds:
# the word it makes (the match behind what the option took of the word and
# the prefixes compadd puts in front, a file's directory) and its
# description; it then adds it, so that a function that falls back where
# nothing was added (_files to all files) does as it would.  All the lines
# in one session, since compinit costs seconds on a busy machine.  A line
# given as "insert:LINE" is completed by zsh itself instead, compadd
# untouched, and what the line then holds is the answer: what TAB inserts.

. "$(dirname "$0")/lib.sh"
. "$TOP/tests/completion-cases.sh"

command -v zsh >/dev/null 2>&1 || skip_all 'zsh is not installed'
zsh -fc 'zmodload zsh/zpty' 2>/dev/null || skip_all 'zsh has no zsh/zpty module'

COMP_SHELL=zsh
COMP_DESC=yes
COMP_QUERIES=$TEST_TMP/lines
COMP_GOT=$TEST_TMP/got
completion_setup || exit 1
COMP_MODE=collect
completion_cases
# What TAB inserts: the address, slot or ID where only one fits, as ls
# finds it in the tree; nothing where several fit past what is typed or
# nothing fits (never a file of the current directory); under --root a
# FILE's or DIR's path from the root's top (got takes a directory's
# trailing / off)
inserts="passcheck --root $R 0000:0a|passcheck --root $R $(pci_addrs "$R" full | grep '^0000:0a') 
vfio-bind --root $R 0000:0|vfio-bind --root $R 0000:0
vfio-bind --root=$R 0000:07:00.|vfio-bind --root=$R 0000:07:00.
iommu-groups --root $R -s 09|iommu-groups --root $R -s $(pci_addrs "$R" | grep '^09') 
vfio-bind --root $R 1002:73f|vfio-bind --root $R $(pci_ids "$R" | grep '^1002:73f') 
kcmdline-edit -a vfio-pci.|kcmdline-edit -a vfio-pci.ids=
iommu-groups --root $I -g a.x|iommu-groups --root $I -g a.x
initramfs-vfio --root $I -k 6.1|initramfs-vfio --root $I -k 6.1
virtxml-hide --root $F /boot/mi|virtxml-hide --root $F /boot/mine
virtxml-hide --root $F /etc/my\\ d|virtxml-hide --root $F /etc/my\\ dir
kcmdline-edit --root=$F --grub=/etc/default/g|kcmdline-edit --root=$F --grub=/etc/default/grub 
kcmdline-edit --root=$F --bls=/etc/default/g|kcmdline-edit --root=$F --bls=/etc/default/g"
printf '%s\n' "$inserts" | sed 's/|.*//; s/^/insert:/' >>"$COMP_QUERIES"

cat >"$TEST_TMP/complete.zsh" <<'EOS'
# zsh -f complete.zsh FPATH LINES: each line of the file LINES typed into an
# interactive zsh, then TAB; "=== LINE" and what is offered
zmodload zsh/zpty || exit 2
setup=${0:h}/setup.zsh
cat >$setup <<'EOC'
PS1= PS2= RPS1=
stty cols 1000 rows 1000
autoload -Uz compinit && compinit -u -D
zstyle ':completion:*' list-separator '--'
zstyle ':completion:*' list-grouped false
zle -C capture-complete complete-word _capture_complete
_capture_complete() {
	print -r $'\n<<<cands'
	capture=1
	_main_complete
	capture=0
	print -r '>>>cands'
}
zle -N show-buffer
show-buffer() {
	print -r -- $'\n'"<<<buf$BUFFER>>>buf"
}
compadd() {
	if (( ! capture )) || [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then
		builtin compadd "$@"
		return
	fi
	setopt localoptions extendedglob
	local -a __hits __dscr
	local __t __i __d
	# -d ARRAY, also as _describe's -ld ARRAY
	__i=${@[(i)-[[:alpha:]]#d]}
	if (( __i <= $# )); then
		__t=${@[__i+1]}
		if [[ $__t == \(* ]]; then
			eval "__dscr=$__t"
		else
			__dscr=("${(@P)__t}")
		fi
	fi
	# the prefixes it puts in the word before the match: -p (a file's
	# directory) and -P, the option letters that take a value skipped
	local __p= __P= __o __v __k
	for (( __i = 1; __i <= $#; __i++ )); do
		__o=${@[__i]}
		[[ $__o == -[^-]* ]] || break
		for (( __k = 2; __k <= $#__o; __k++ )); do
			[[ $__o[__k] == [PSpsiIWdJVXxrRMFOADE] ]] || continue
			if (( __k < $#__o )); then
				__v=$__o[__k+1,-1]
			else
				__v=${@[++__i]}
			fi
			[[ $__o[__k] == p ]] && __p=$__v
			[[ $__o[__k] == P ]] && __P=$__v
			break
		done
	done
	builtin compadd -A __hits -D __dscr "$@"
	builtin compadd "$@"
	for (( __i = 1; __i <= $#__hits; __i++ )); do
		__d=${__dscr[__i]-}
		__d=${__d#"$__hits[__i]"}
		__d=${__d##[ ]#-- }
		[[ $__d == "$__hits[__i]" ]] && __d=
		print -r -- "$IPREFIX$__p$__P$__hits[__i]	$__d"
	done
}
bindkey '^I' capture-complete
bindkey '^Xi' complete-word
bindkey '^X^B' show-buffer
bindkey '^U' kill-whole-line
EOC
zpty z zsh -f -i || exit 2
zpty -w z "fpath=(${(q)1} \$fpath); . ${(q)setup}; print -r '<'ready'>'"
zpty -r z out '*<ready>*' || exit 2
while IFS= read -r q; do
	print -r -- "=== $q"
	if [[ $q == insert:* ]]; then
		zpty -w -n z "${q#insert:}"$'\C-xi\C-x\C-b'
		while zpty -r z line; do
			[[ $line == *'<<<buf'*'>>>buf'* ]] || continue
			line=${line#*<<<buf}
			print -r -- "${line%%>>>buf*}"
			break
		done
		zpty -w -n z $'\C-u'
		continue
	fi
	zpty -w -n z "$q"$'\t'
	on=0
	while zpty -r z line; do
		line=${line//$'\r'/}
		[[ $line == *'>>>cands'* ]] && break
		(( on )) && print -rn -- "$line"
		[[ $line == *'<<<cands'* ]] && on=1
	done
	zpty -w -n z $'\C-u'
done <$2
zpty -d z
EOS

if ! (cd "$COMP_CWD" && HOME=$COMP_HOME timeout 120 \
	zsh -f "$TEST_TMP/complete.zsh" "$TOP/completions/zsh" "$COMP_QUERIES") \
	>"$COMP_GOT" 2>"$TEST_TMP/complete.err"; then
	echo "# the zsh session failed:"
	sed 's/^/# /' "$TEST_TMP/complete.err"
fi

test_expect_success "zsh: no error from the completions" '
	test_cmp /dev/null "$TEST_TMP/complete.err"
'
COMP_MODE=run
completion_cases
while IFS='|' read -r line expect; do
	test_expect_success "zsh: TAB on '$(echo "$line" | sed "s|$FIXTURES/||g")' makes '$(echo "$expect" | sed "s|$FIXTURES/||g")'" "
		got 'insert:$line' >got &&
		printf '%s\\n' '$expect' >expect &&
		test_cmp expect got
	"
done <<EOF
$inserts
EOF
test_done
