#!/usr/bin/python
# -*- coding: utf-8 -*-
# SPDX-License-Identifier: GPL-2.0-or-later
# GNU General Public License v2.0 or later (see LICENSE or https://www.gnu.org/licenses/old-licenses/gpl-2.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: iommu_groups
short_description: The PCI devices by IOMMU group, as facts
description:
  - Runs C(iommu-groups -J) from vfio-utils (see iommu-groups(1)) and returns its document as the fact C(vfio_iommu_groups).
  - Reads sysfs only; changes nothing.
version_added: "0.1.0"
author: vfio-utils contributors (!UNKNOWN)
options:
  group:
    description: Only these IOMMU groups (C(--group)).
    type: list
    elements: int
    default: []
  slot:
    description: Only matching devices, C([[domain:]bus:]slot[.func]) as C(lspci -s) (C(--slot)).
    type: str
  device:
    description: Only matching devices, C([vendor]:[device][:class]) as C(lspci -d) (C(--device)).
    type: str
  gpu:
    description: Only groups holding a display controller (C(--gpu)).
    type: bool
    default: false
extends_documentation_fragment:
  - vfio_utils.passthrough.common
notes:
  - Supports check mode. No device matching (the tool's exit status 1) is an answer, not a failure;
    the fact then holds no group and I(matched) is false.
'''

EXAMPLES = r'''
- name: The groups of the display controllers
  vfio_utils.passthrough.iommu_groups:
    gpu: true

- name: Is the guest card alone in its group?
  ansible.builtin.assert:
    that: vfio_iommu_groups.groups | selectattr('isolated') | list | length == vfio_iommu_groups.groups | length
'''

RETURN = r'''
ansible_facts:
  description: The facts set.
  returned: always
  type: complex
  contains:
    vfio_iommu_groups:
      description: C(iommu-groups -J)'s document, every field of every device by group.
      returned: always
      type: dict
      sample: {"groups": [{"group": 18, "isolated": true, "devices": [{"address": "0000:07:00.0", "driver": "amdgpu"}]}]}
matched:
  description: Whether any device matched the filters.
  returned: always
  type: bool
cmd:
  description: The command line run.
  returned: always
  type: list
  elements: str
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.vfio_utils.passthrough.plugins.module_utils.vfio_utils import (
    COMMON_ARGS, EXIT_OK, run_reader)


def main():
    argument_spec = dict(
        group=dict(type='list', elements='int', default=[]),
        slot=dict(type='str'),
        device=dict(type='str'),
        gpu=dict(type='bool', default=False),
    )
    argument_spec.update(COMMON_ARGS)
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    p = module.params

    args = []
    for g in p['group']:
        args += ['--group', str(g)]
    if p['slot']:
        args += ['--slot', p['slot']]
    if p['device']:
        args += ['--device', p['device']]
    if p['gpu']:
        args.append('--gpu')
    rc, doc, argv = run_reader(module, 'iommu-groups', args)
    if doc is None:
        doc = dict(groups=[])
    module.exit_json(changed=False, matched=rc == EXIT_OK, cmd=argv,
                     ansible_facts=dict(vfio_iommu_groups=doc))


if __name__ == '__main__':
    main()
