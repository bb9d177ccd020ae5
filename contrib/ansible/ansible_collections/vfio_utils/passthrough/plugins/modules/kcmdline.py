#!/usr/bin/python
# -*- coding: utf-8 -*-
# SPDX-License-Identifier: GPL-2.0-or-later
# GNU General Public License v2.0 or later (see LICENSE or https://www.gnu.org/licenses/old-licenses/gpl-2.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: kcmdline
short_description: Add and remove kernel parameters where the boot loader keeps them
description:
  - Runs C(kcmdline-edit) from vfio-utils (see kcmdline-edit(1)) with C(-J) and reports what it did from its JSON document.
  - Edits C(/etc/default/grub), boot entries in C(loader/entries), C(/etc/kernel/cmdline) and
    C(/boot/refind_linux.conf), every one found unless a target is given.
  - In check mode the tool runs with C(-n) and changes nothing; in diff mode its unified diffs are the module's diff.
version_added: "0.1.0"
author: vfio-utils contributors (!UNKNOWN)
options:
  state:
    description:
      - C(present) adds what I(add) and I(iommu) name and removes what I(remove) names.
      - C(absent) removes what C(present) adds (C(kcmdline-edit -d) of each I(add),
        and of C(intel_iommu=on) and C(iommu=pt) for I(iommu)); I(remove) is still removed.
        A value that C(present) replaced is not given back.
    type: str
    choices: [present, absent]
    default: present
  add:
    description: Parameters to add, C(PARAM) or C(PARAM=VALUE) (C(--add)).
    type: list
    elements: str
    default: []
  remove:
    description: Parameters to remove, C(KEY) (every one) or C(KEY=VALUE) (only that one) (C(--remove)).
    type: list
    elements: str
    default: []
  iommu:
    description: Add what turns the IOMMU on for the CPU (C(--iommu)).
    type: bool
    default: false
  cpu:
    description: With I(iommu), the parameters for this CPU, not the one C(/proc/cpuinfo) names (C(--cpu)).
    type: str
    choices: [intel, amd]
  grub:
    description: Edit C(/etc/default/grub) (C(--grub)).
    type: bool
    default: false
  grub_file:
    description: Edit this file as C(/etc/default/grub) (C(--grub=FILE)).
    type: path
  grub_var:
    description: The GRUB variable, C(linux) (C(GRUB_CMDLINE_LINUX)) or C(default) (C(GRUB_CMDLINE_LINUX_DEFAULT)) (C(--grub-var)).
    type: str
    choices: [linux, default]
  bls:
    description: Edit the boot entries in C(loader/entries) (C(--bls)).
    type: bool
    default: false
  bls_dir:
    description: Edit the boot entries in this directory (C(--bls=DIR)).
    type: path
  entry:
    description: Only this boot entry (C(--entry)).
    type: str
  kernel_cmdline:
    description: Edit C(/etc/kernel/cmdline) (C(--kernel-cmdline)).
    type: bool
    default: false
  kernel_cmdline_file:
    description: Edit this file as C(/etc/kernel/cmdline) (C(--kernel-cmdline=FILE)).
    type: path
  refind:
    description: Edit C(/boot/refind_linux.conf) (C(--refind)).
    type: bool
    default: false
  refind_file:
    description: Edit this file as C(/boot/refind_linux.conf) (C(--refind=FILE)).
    type: path
  backup:
    description: Keep C(FILE.bak) of each file replaced (C(--backup)).
    type: bool
    default: false
  regen:
    description:
      - Then run the command that makes the change take effect (C(--regen)), such as C(grub-mkconfig).
      - The tool runs it whenever asked, changed or not; not with I(root).
    type: bool
    default: false
extends_documentation_fragment:
  - vfio_utils.passthrough.common
  - vfio_utils.passthrough.common.writer
'''

EXAMPLES = r'''
- name: Turn the IOMMU on wherever the boot loader keeps the command line
  vfio_utils.passthrough.kcmdline:
    iommu: true

- name: Bind the guest card's IDs early, only in GRUB, and regenerate grub.cfg
  vfio_utils.passthrough.kcmdline:
    add:
      - vfio-pci.ids=1002:73ff,1002:ab28
    grub: true
    regen: true

- name: Undo the IOMMU parameters
  vfio_utils.passthrough.kcmdline:
    iommu: true
    state: absent
'''

RETURN = r'''
changed:
  description: Whether a file was (or in check mode would be) created, updated or removed, as the tool's document says.
  returned: always
  type: bool
files:
  description: Every file the tool decided about, in order, with its action (C(created), C(updated), C(removed), C(unchanged)) and, in check mode, its diff.
  returned: always
  type: list
  elements: dict
  sample: [{"path": "/etc/default/grub", "action": "updated"}]
devices:
  description: Always empty for this tool.
  returned: always
  type: list
  elements: dict
commands:
  description: Commands still to run for the change to take effect, as the tool prints them.
  returned: always
  type: list
  elements: str
  sample: ["grub-mkconfig -o /boot/grub/grub.cfg"]
reboot_required:
  description: Whether a reboot is needed for the change to take effect.
  returned: always
  type: bool
document:
  description: The tool's whole JSON document.
  returned: always
  type: dict
cmd:
  description: The command line run.
  returned: always
  type: list
  elements: str
stderr:
  description: What the tool printed on standard error.
  returned: always
  type: str
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.vfio_utils.passthrough.plugins.module_utils.vfio_utils import (
    COMMON_ARGS, run_writer)

IOMMU_PARAMS = dict(intel=['intel_iommu=on', 'iommu=pt'], amd=['iommu=pt'])


# Each target: the switch, the parameter naming its file and the option.
TARGETS = (('grub', 'grub_file', '--grub'), ('bls', 'bls_dir', '--bls'),
           ('kernel_cmdline', 'kernel_cmdline_file', '--kernel-cmdline'),
           ('refind', 'refind_file', '--refind'))


def target_args(p):
    args = []
    for switch, path, opt in TARGETS:
        if p[path]:
            args.append('%s=%s' % (opt, p[path]))
        elif p[switch]:
            args.append(opt)
    if p['grub_var']:
        args.append('--grub-var=' + p['grub_var'])
    if p['entry']:
        args += ['--entry', p['entry']]
    return args


def main():
    argument_spec = dict(
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        add=dict(type='list', elements='str', default=[]),
        remove=dict(type='list', elements='str', default=[]),
        iommu=dict(type='bool', default=False),
        cpu=dict(type='str', choices=['intel', 'amd']),
        grub=dict(type='bool', default=False),
        grub_file=dict(type='path'),
        grub_var=dict(type='str', choices=['linux', 'default']),
        bls=dict(type='bool', default=False),
        bls_dir=dict(type='path'),
        entry=dict(type='str'),
        kernel_cmdline=dict(type='bool', default=False),
        kernel_cmdline_file=dict(type='path'),
        refind=dict(type='bool', default=False),
        refind_file=dict(type='path'),
        backup=dict(type='bool', default=False),
        regen=dict(type='bool', default=False),
    )
    argument_spec.update(COMMON_ARGS)
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    p = module.params
    if not (p['add'] or p['remove'] or p['iommu']):
        module.fail_json(msg='one of add, remove or iommu is required')

    args = []
    if p['state'] == 'present':
        for a in p['add']:
            args += ['--add', a]
        for d in p['remove']:
            args += ['--remove', d]
        if p['iommu']:
            args.append('--iommu')
            if p['cpu']:
                args.append('--cpu=' + p['cpu'])
    else:
        removals = list(p['add']) + list(p['remove'])
        if p['iommu']:
            removals += IOMMU_PARAMS[p['cpu']] if p['cpu'] else IOMMU_PARAMS['intel']
        for d in removals:
            args += ['--remove', d]
    args += target_args(p)
    if p['backup']:
        args.append('--backup')
    run_writer(module, 'kcmdline-edit', args, regen=p['regen'])


if __name__ == '__main__':
    main()
