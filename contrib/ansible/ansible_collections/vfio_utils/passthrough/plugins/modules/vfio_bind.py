#!/usr/bin/python
# -*- coding: utf-8 -*-
# SPDX-License-Identifier: GPL-2.0-or-later
# GNU General Public License v2.0 or later (see LICENSE or https://www.gnu.org/licenses/old-licenses/gpl-2.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: vfio_bind
short_description: Put a device's IOMMU group on vfio-pci, now or at every boot
description:
  - Runs C(vfio-bind) from vfio-utils (see vfio-bind(1)) with C(-J) and reports what it did from its JSON document.
  - Without I(persist) it binds through sysfs now, until reboot; with I(persist) it writes the boot
    configuration (C(/etc/modprobe.d/vfio.conf)) instead.
  - Every function of each device's IOMMU group is bound; a shared group, the boot VGA device, a bridge or
    a device the host uses is refused unless I(force).
version_added: "0.1.0"
author: vfio-utils contributors (!UNKNOWN)
options:
  device:
    description:
      - PCI addresses (C([domain:]bus:slot.func)), slots for every function of a card (C([domain:]bus:slot))
        or C(vendor:device) IDs that match exactly one device each.
    type: list
    elements: str
    required: true
  state:
    description:
      - C(present) binds the devices to vfio-pci; C(absent) gives them back to their host drivers (C(--unbind)).
    type: str
    choices: [present, absent]
    default: present
  persist:
    description: Write the boot configuration instead of binding now (C(--persist)).
    type: bool
    default: false
  now:
    description: With I(persist), also bind now (C(--now)).
    type: bool
    default: false
  ignore_msrs:
    description: With I(persist), also set kvm C(ignore_msrs=1) (C(--ignore-msrs)).
    type: bool
    default: false
  force:
    description: Bind despite a shared group, the boot VGA device, a bridge, a device the host uses or no IOMMU groups (C(--force)).
    type: bool
    default: false
  backup:
    description: Keep C(FILE.bak) of each configuration file replaced (C(--backup)).
    type: bool
    default: false
extends_documentation_fragment:
  - vfio_utils.passthrough.common
  - vfio_utils.passthrough.common.writer
'''

EXAMPLES = r'''
- name: Bind the guest card and its group at every boot
  vfio_utils.passthrough.vfio_bind:
    device: ["07:00.0"]
    persist: true

- name: Bind it now, until reboot
  vfio_utils.passthrough.vfio_bind:
    device: ["1002:73ff"]

- name: Undo the boot configuration
  vfio_utils.passthrough.vfio_bind:
    device: ["07:00.0"]
    persist: true
    state: absent
'''

RETURN = r'''
changed:
  description: Whether a file was (or in check mode would be) created, updated or removed, or a device's driver changed, as the tool's document says.
  returned: always
  type: bool
files:
  description: Every file the tool decided about, in order, with its action (C(created), C(updated), C(removed), C(unchanged)) and, in check mode, its diff.
  returned: always
  type: list
  elements: dict
  sample: [{"path": "/etc/modprobe.d/vfio.conf", "action": "updated"}]
devices:
  description: Without I(persist), each function with its driver before (C(from)) and after (C(to)) and the C(action) (C(bound), C(unbound), C(unchanged)).
  returned: always
  type: list
  elements: dict
commands:
  description: Commands still to run for the change to take effect, as the tool prints them.
  returned: always
  type: list
  elements: str
  sample: ["initramfs-vfio"]
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
        device=dict(type='list', elements='str', required=True),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        persist=dict(type='bool', default=False),
        now=dict(type='bool', default=False),
        ignore_msrs=dict(type='bool', default=False),
        force=dict(type='bool', default=False),
        backup=dict(type='bool', default=False),
    )
    argument_spec.update(COMMON_ARGS)
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    p = module.params
    if not p['device']:
        module.fail_json(msg='device is empty')

    args = []
    if p['state'] == 'absent':
        args.append('--unbind')
    for name, opt in (('persist', '--persist'), ('now', '--now'), ('ignore_msrs', '--ignore-msrs'),
                      ('force', '--force'), ('backup', '--backup')):
        if p[name]:
            args.append(opt)
    args.append('--')
    args += p['device']
    run_writer(module, 'vfio-bind', args)


if __name__ == '__main__':
    main()
