# -*- coding: utf-8 -*-
# SPDX-License-Identifier: GPL-2.0-or-later
# GNU General Public License v2.0 or later (see LICENSE or https://www.gnu.org/licenses/old-licenses/gpl-2.0.txt)
"""Run a vfio-utils tool with -J and turn its one JSON document into a
module result: changed, the diff and the failure come from the document
and the exit status, never from the tool's text."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os

# The exit statuses every tool shares (prog.h): 0 done or already so, 1
# the answer no, 2 a bad command line, 3 failed or refused.
EXIT_OK = 0
EXIT_NOTMET = 1

# The options every module takes besides the tool's own.
COMMON_ARGS = dict(
    root=dict(type='path', default='/'),
    bindir=dict(type='path'),
)


def tool_path(module, tool):
    """The tool in bindir, or the one in PATH."""
    bindir = module.params.get('bindir')
    if bindir:
        path = os.path.join(bindir, tool)
        if not os.access(path, os.X_OK):
            module.fail_json(msg="no executable '%s' in bindir '%s'" % (tool, bindir))
        return path
    return module.get_bin_path(tool, required=True)


def root_args(module):
    root = module.params.get('root')
    if root and root.rstrip('/') != '':
        return ['--root', root]
    return []


def run_json(module, tool, flags, args):
    """Run TOOL with FLAGS (-J, -n) ahead of ARGS, which may end in operands
    after --; return (rc, document or None, stdout, stderr, argv)."""
    argv = [tool_path(module, tool)] + root_args(module) + list(flags) + list(args)
    rc, out, err = module.run_command(argv, environ_update=dict(LC_ALL='C'))
    try:
        doc = json.loads(out) if out.strip() else None
    except ValueError:
        doc = None
    return rc, doc, out, err, argv


def stderr_message(tool, err, rc):
    """The tool's messages ("tool: ..."), or all it printed on stderr."""
    lines = [line for line in err.splitlines() if line.strip()]
    own = [line for line in lines if line.startswith(tool + ': ')]
    if own or lines:
        return '\n'.join(own or lines)
    return '%s exited with status %d' % (tool, rc)


def no_document(module, tool, rc, out, err, argv):
    """Fail for a run that printed no document: a usage error says why on
    stderr; a tool that exited 0 without one predates -J."""
    if rc != EXIT_OK:
        module.fail_json(msg=stderr_message(tool, err, rc), rc=rc, stdout=out, stderr=err, cmd=argv)
    module.fail_json(msg='%s printed no JSON document (a vfio-utils older than -J on the writers?)'
                     % tool, rc=rc, stdout=out, stderr=err, cmd=argv)


def _device_lines(devices):
    lines = []
    for d in devices:
        if d.get('action') != 'unchanged':
            lines.append('%s: %s -> %s (%s)\n' % (d.get('device'), d.get('from') or 'no driver',
                                                  d.get('to') or 'no driver', d.get('action')))
    return lines


def document_diff(doc):
    """The document's diffs as a module diff: one prepared diff per file,
    and the devices' driver changes as one more."""
    diffs = []
    for f in doc.get('files', []):
        if f.get('diff'):
            diffs.append(dict(prepared=f['diff']))
    lines = _device_lines(doc.get('devices', []))
    if lines:
        diffs.append(dict(prepared=''.join(lines)))
    return diffs


def _result(doc, argv, err):
    return dict(
        changed=bool(doc.get('changed')),
        cmd=argv,
        files=doc.get('files', []),
        devices=doc.get('devices', []),
        commands=doc.get('commands', []),
        reboot_required=bool(doc.get('reboot')),
        document=doc,
        stderr=err,
    )


def run_writer(module, tool, args, regen=False):
    """Run a writer with -J (and -n in check mode) and exit the module;
    with REGEN, the real run (not in check mode) has --regen.

    In diff mode outside check mode the diff comes from a dry run just
    before the real one, as the tool prints diffs only when it changes
    nothing; --regen does not go with -n."""
    diffs = None
    if module._diff and not module.check_mode:
        rc, doc, out, err, argv = run_json(module, tool, ['-n', '-J'], args)
        if doc is None:
            no_document(module, tool, rc, out, err, argv)
        if rc != EXIT_OK:
            module.fail_json(msg=stderr_message(tool, err, rc), rc=rc, **_result(doc, argv, err))
        diffs = document_diff(doc)
    if module.check_mode:
        flags = ['-n', '-J']
    else:
        flags = ['-J', '--regen'] if regen else ['-J']
    rc, doc, out, err, argv = run_json(module, tool, flags, args)
    if doc is None:
        no_document(module, tool, rc, out, err, argv)
    for w in doc.get('warnings', []):
        module.warn('%s: %s' % (tool, w))
    result = _result(doc, argv, err)
    # Status 1 (--check: not as asked) is never asked for: -n answers that.
    # Anything but 0 is the tool's failure or refusal, its reason on stderr.
    if rc != EXIT_OK:
        module.fail_json(msg=stderr_message(tool, err, rc), rc=rc, **result)
    if module._diff:
        result['diff'] = diffs if diffs is not None else document_diff(doc)
    module.exit_json(**result)


def run_reader(module, tool, args):
    """Run a reader (iommu-groups, passcheck) with -J: (rc, document).

    Status 1 is an answer (nothing matched, a check failed), with its
    document or, from a listing, none; 2 and above fail the module."""
    rc, doc, out, err, argv = run_json(module, tool, ['-J'], args)
    if rc == EXIT_OK and doc is not None:
        return rc, doc, argv
    if rc == EXIT_NOTMET and (doc is not None or not err.strip()):
        return rc, doc, argv
    no_document(module, tool, rc, out, err, argv)
