#!/usr/bin/python
# -*- coding: utf-8 -*-
# SPDX-License-Identifier: GPL-2.0-or-later
# GNU General Public License v2.0 or later (see LICENSE or https://www.gnu.org/licenses/old-licenses/gpl-2.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: virtxml_hide
short_description: Hide the hypervisor in a libvirt domain's XML file
description:
  - Runs C(virtxml-hide -i) from vfio-utils (see virtxml-hide(1)) on a domain's XML file with C(-J)
    and reports what it did from its JSON document.
  - Puts C(<kvm><hidden state='on'/></kvm>) and a Hyper-V C(<vendor_id>) in C(<features>), so that
    drivers which refuse to run in a virtual machine install.
  - The file is edited in place; to change a defined domain, edit the file C(virsh dumpxml) wrote and define it again.
version_added: "0.1.0"
author: vfio-utils contributors (!UNKNOWN)
options:
  path:
    description: The domain's XML file, edited in place (C(--in-place FILE)); under I(root), a path inside it.
    type: path
    required: true
  state:
    description: C(present) hides the hypervisor; C(absent) takes out what the same options put in (C(--remove)).
    type: str
    choices: [present, absent]
    default: present
  vendor_id:
    description:
      - The Hyper-V vendor id, 1 to 12 printable ASCII characters, no comma (C(--vendor-id)).
      - By default one derived from the domain's UUID; an existing one is kept.
    type: str
  no_vendor_id:
    description: Leave C(<hyperv>) alone (C(--no-vendor-id)).
    type: bool
    default: false
  no_kvm_hidden:
    description: Leave C(<kvm>) alone (C(--no-kvm-hidden)).
    type: bool
    default: false
  cpu_hypervisor_off:
    description: Also clear the CPUID hypervisor bit (C(--cpu-hypervisor-off)); costly, see the manual page.
    type: bool
    default: false
  backup:
    description: Keep C(FILE.bak) (C(--backup)).
    type: bool
    default: false
extends_documentation_fragment:
  - vfio_utils.passthrough.common
  - vfio_utils.passthrough.common.writer
'''

EXAMPLES = r'''
- name: Hide the hypervisor from the guest's drivers
  vfio_utils.passthrough.virtxml_hide:
    path: /etc/libvirt/qemu/win10.xml
    vendor_id: whatever

- name: Take it out again
  vfio_utils.passthrough.virtxml_hide:
    path: /etc/libvirt/qemu/win10.xml
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
  sample: [{"path": "/etc/libvirt/qemu/win10.xml", "action": "updated"}]
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
  sample: ["virsh define /etc/libvirt/qemu/win10.xml"]
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
        path=dict(type='path', required=True),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        vendor_id=dict(type='str'),
        no_vendor_id=dict(type='bool', default=False),
        no_kvm_hidden=dict(type='bool', default=False),
        cpu_hypervisor_off=dict(type='bool', default=False),
        backup=dict(type='bool', default=False),
    )
    argument_spec.update(COMMON_ARGS)
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True,
                           mutually_exclusive=[['vendor_id', 'no_vendor_id']])
    p = module.params

    args = ['--in-place']
    if p['state'] == 'absent':
        args.append('--remove')
    if p['vendor_id'] is not None:
        args += ['--vendor-id', p['vendor_id']]
    for name, opt in (('no_vendor_id', '--no-vendor-id'), ('no_kvm_hidden', '--no-kvm-hidden'),
                      ('cpu_hypervisor_off', '--cpu-hypervisor-off'), ('backup', '--backup')):
        if p[name]:
            args.append(opt)
    args += ['--', p['path']]
    run_writer(module, 'virtxml-hide', args)


if __name__ == '__main__':
    main()
