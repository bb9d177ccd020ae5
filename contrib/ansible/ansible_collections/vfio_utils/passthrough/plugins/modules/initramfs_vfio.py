#!/usr/bin/python
# -*- coding: utf-8 -*-
# SPDX-License-Identifier: GPL-2.0-or-later
# GNU General Public License v2.0 or later (see LICENSE or https://www.gnu.org/licenses/old-licenses/gpl-2.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: initramfs_vfio
short_description: Load VFIO early from the initramfs, ahead of the GPU drivers
description:
  - Runs C(initramfs-vfio) from vfio-utils (see initramfs-vfio(1)) with C(-J) and reports what it did from its JSON document.
  - Sets up C(vfio_pci), C(vfio) and C(vfio_iommu_type1) with every generator installed
    (mkinitcpio, dracut, initramfs-tools, booster), and vfio-bind's configuration in the image.
version_added: "0.1.0"
author: vfio-utils contributors (!UNKNOWN)
options:
  state:
    description: C(present) sets it up; C(absent) takes out what initramfs-vfio added (C(--remove)).
    type: str
    choices: [present, absent]
    default: present
  generator:
    description: Only these generators (C(--generator)); by default every one installed.
    type: list
    elements: str
    choices: [mkinitcpio, dracut, initramfs-tools, booster]
    default: []
  kernel:
    description: Choose the modules for this kernel version only (C(--kernel)); by default every kernel in C(/lib/modules).
    type: str
  drop_in:
    description: mkinitcpio, write C(/etc/mkinitcpio.conf.d/vfio.conf) instead of editing the file that sets C(MODULES) (C(--drop-in)).
    type: bool
    default: false
  backup:
    description: Keep C(FILE.bak) of each file replaced (C(--backup)).
    type: bool
    default: false
  regen:
    description:
      - Then rebuild the initramfs of every kernel (C(--regen)).
      - The tool rebuilds whenever asked, changed or not; not with I(root).
    type: bool
    default: false
extends_documentation_fragment:
  - vfio_utils.passthrough.common
  - vfio_utils.passthrough.common.writer
'''

EXAMPLES = r'''
- name: Load VFIO early with every generator installed
  vfio_utils.passthrough.initramfs_vfio:

- name: mkinitcpio only, in a drop-in, and rebuild the images
  vfio_utils.passthrough.initramfs_vfio:
    generator: [mkinitcpio]
    drop_in: true
    regen: true

- name: Take it out again
  vfio_utils.passthrough.initramfs_vfio:
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
  sample: [{"path": "/etc/mkinitcpio.conf", "action": "updated"}]
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
  sample: ["mkinitcpio -P"]
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


def main():
    argument_spec = dict(
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        generator=dict(type='list', elements='str', default=[],
                       choices=['mkinitcpio', 'dracut', 'initramfs-tools', 'booster']),
        kernel=dict(type='str'),
        drop_in=dict(type='bool', default=False),
        backup=dict(type='bool', default=False),
        regen=dict(type='bool', default=False),
    )
    argument_spec.update(COMMON_ARGS)
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    p = module.params

    args = []
    if p['state'] == 'absent':
        args.append('--remove')
    for g in p['generator']:
        args += ['--generator', g]
    if p['kernel']:
        args += ['--kernel', p['kernel']]
    if p['drop_in']:
        args.append('--drop-in')
    if p['backup']:
        args.append('--backup')
    run_writer(module, 'initramfs-vfio', args, regen=p['regen'])


if __name__ == '__main__':
    main()
