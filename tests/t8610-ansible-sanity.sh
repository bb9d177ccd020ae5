#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# ansible-test sanity on the collection (contrib/ansible), offline.
#
# ansible-test runs most of its sanity tests in virtual environments it
# fills from PyPI with pinned versions, and stops when it cannot fetch
# pip.  Here each of those environments is made beforehand where
# ansible-test looks for it, with the system's site packages: the Debian
# packages yamllint, pylint, python3-pycodestyle and python3-voluptuous
# stand in for the pinned versions (near them: yamllint 1.29 for 1.28,
# pylint 2.16 for 2.15, pycodestyle 2.10 for 2.9, voluptuous 0.12 for
# 0.13).  So every test --list-tests names runs: validate-modules,
# ansible-doc, yamllint (the YAML in the modules' documentation too),
# pep8, pylint, import, compile, runtime-metadata and the code-smell
# checks.  pslint (no PowerShell here), shellcheck (no shell script in
# the collection) and changelog (no changelogs/) have nothing to look at
# and pass as not needed.  A module with a wrong DOCUMENTATION shows that
# the environments made here really judge.
. "$(dirname "$0")/lib.sh"

command -v ansible-test >/dev/null || skip_all "no ansible-test (apt-get install ansible-core)"
# The Python ansible-test itself runs on, which sees the Debian packages.
PY=$(sed -n '1s/^#! *//p' "$(command -v ansible-test)")
for m in yamllint pylint pycodestyle voluptuous; do
	"$PY" -c "import $m" 2>/dev/null || skip_all "no Python module $m for $PY (make deps)"
done

COLL=$TOP/contrib/ansible/ansible_collections/vfio_utils/passthrough
HOME=$TEST_TMP/home
LC_ALL=C.UTF-8
export HOME LC_ALL
mkdir -p "$HOME"

# copy DIR: the collection where ansible-test wants it, outside git,
# without what .gitignore keeps out of it.
copy() {
	mkdir -p "$1/ansible_collections/vfio_utils" &&
	cp -R "$COLL" "$1/ansible_collections/vfio_utils/passthrough" &&
	find "$1/ansible_collections" -name __pycache__ -prune -exec rm -rf {} + &&
	rm -rf "$1/ansible_collections/vfio_utils/passthrough/tests/output"
}

# sanity DIR ARGS...: ansible-test sanity in the copy under DIR, output in
# ./log; each virtual environment it cannot make is made, then it runs
# again.
sanity() {
	sa_dir=$1/ansible_collections/vfio_utils/passthrough
	shift
	for sa_try in 1 2 3 4 5 6 7 8 9 10; do
		rc=0
		(cd "$sa_dir" && ansible-test sanity --python-interpreter "$PY" "$@") >log 2>&1 || rc=$?
		sa_venv=$(sed -n 's/^FATAL: Python [0-9.]* at "\(.*\)\/bin\/python" does not have pip available\.$/\1/p' log)
		[ -n "$sa_venv" ] || return 0
		rm -rf "$sa_venv" &&
		"$PY" -m venv --system-site-packages --without-pip "$sa_venv" &&
		echo true >"$sa_venv/meta.yaml.json" && echo '[]' >"$sa_venv/meta.install.json" &&
		: >"$sa_venv/marker.txt" || return 1
	done
	echo "still virtual environments to make after $sa_try tries"
	return 1
}

test_expect_success 'every sanity test ansible-test lists passes' '
	copy c && sanity c && cat log &&
	test "$rc" -eq 0 &&
	(cd c/ansible_collections/vfio_utils/passthrough && ansible-test sanity --list-tests) >tests 2>/dev/null &&
	for t in validate-modules ansible-doc yamllint pep8 pylint import compile runtime-metadata; do
		grep -qx "$t" tests && grep_q "^Running sanity test \"$t\"" log || return 1
	done &&
	! grep -q "^FATAL\|^ERROR" log
'

test_expect_success 'a module whose documentation lacks an option fails validate-modules' '
	copy c &&
	sed -i "/^  now:\$/,/^    default: false\$/d" c/ansible_collections/vfio_utils/passthrough/plugins/modules/vfio_bind.py &&
	! grep -q "^  now:" c/ansible_collections/vfio_utils/passthrough/plugins/modules/vfio_bind.py &&
	sanity c --test validate-modules && test "$rc" -ne 0 &&
	grep_q "plugins/modules/vfio_bind.py:0:0: undocumented-parameter: Argument .now. is listed in the argument_spec, but not documented" log
'

test_expect_success 'the role'"'"'s README shows the example playbook as docs/ansible-host.yml has it' '
	sed -n "/^\`\`\`yaml\$/,/^\`\`\`\$/p" "$COLL/roles/host/README.md" | sed "1d;\$d" >shown &&
	grep -v "^#" "$TOP/docs/ansible-host.yml" >expect &&
	test -s expect && test_cmp expect shown
'

test_done
