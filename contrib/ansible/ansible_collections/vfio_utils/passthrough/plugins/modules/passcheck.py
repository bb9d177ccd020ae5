#!/usr/bin/python
# -*- coding: utf-8 -*-
# SPDX-License-Identifier: GPL-2.0-or-later
# GNU General Public License v2.0 or later (see LICENSE or https://www.gnu.org/licenses/old-licenses/gpl-2.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: passcheck
short_description: Check that a host is ready to pass a device through, as facts
description:
  - Runs C(passcheck -J) from vfio-utils (see passcheck(1)) and returns its document as the fact C(vfio_passcheck).
  - Each check is PASS, WARN, FAIL or SKIP; a FAIL fails the task unless I(fail_on_failed_check) is false.
    Ansible sets no fact from a failed task; register the result, whose I(document) is the same.
  - Reads the system only; changes nothing.
version_added: "0.1.0"
author: vfio-utils contributors (!UNKNOWN)
options:
  device:
    description:
      - PCI addresses (C([domain:]bus:slot.func)), slots for every function of a card (C([domain:]bus:slot)) or C(vendor:device) IDs of the devices to check.
      - By default every display controller that is not the boot VGA device.
    type: list
    elements: str
    default: []
  xml:
    description: Also check the libvirt domain in this file (C(--xml)).
    type: path
  fail_on_failed_check:
    description: Fail the task when a check FAILed (the tool's exit status 1); when false, the facts say so and the task is ok.
    type: bool
    default: true
extends_documentation_fragment:
  - vfio_utils.passthrough.common
notes:
  - Supports check mode.
'''

EXAMPLES = r'''
- name: Is the host ready for the guest card?
  vfio_utils.passthrough.passcheck:
    device: ["07:00.0"]

- name: Look without failing, then show what failed
  vfio_utils.passthrough.passcheck:
    fail_on_failed_check: false
- ansible.builtin.debug:
    msg: "{{ vfio_passcheck.checks | selectattr('status', 'eq', 'FAIL') | map(attribute='message') | list }}"
'''

RETURN = r'''
ansible_facts:
  description: The facts set.
  returned: always
  type: complex
  contains:
    vfio_passcheck:
      description: C(passcheck -J)'s document, each check with its status, name, device and message.
      returned: always
      type: dict
      sample: {"checks": [{"status": "PASS", "check": "cpu-virt", "device": null, "message": "the CPU has VT-x (vmx)"}]}
document:
  description:
    - C(passcheck -J)'s document, as in the fact.
    - Ansible sets no fact from a task that failed; a registered result has the document either way.
  returned: always
  type: dict
failed_checks:
  description: The checks that FAILed.
  returned: always
  type: list
  elements: dict
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
        device=dict(type='list', elements='str', default=[]),
        xml=dict(type='path'),
        fail_on_failed_check=dict(type='bool', default=True),
    )
    argument_spec.update(COMMON_ARGS)
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    p = module.params

    args = []
    if p['xml']:
        args += ['--xml', p['xml']]
    if p['device']:
        args.append('--')
        args += p['device']
    rc, doc, argv = run_reader(module, 'passcheck', args)
    if doc is None:
        module.fail_json(msg='passcheck printed no JSON document', rc=rc, cmd=argv)
    failed = [c for c in doc.get('checks', []) if c.get('status') == 'FAIL']
    result = dict(changed=False, cmd=argv, failed_checks=failed, document=doc,
                  ansible_facts=dict(vfio_passcheck=doc))
    if rc != EXIT_OK and p['fail_on_failed_check']:
        module.fail_json(msg='passcheck: %d check(s) failed: %s'
                         % (len(failed), '; '.join('%s: %s' % (c.get('check'), c.get('message')) for c in failed)),
                         **result)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
