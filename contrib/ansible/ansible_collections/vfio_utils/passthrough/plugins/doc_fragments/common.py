# -*- coding: utf-8 -*-
# SPDX-License-Identifier: GPL-2.0-or-later
# GNU General Public License v2.0 or later (see LICENSE or https://www.gnu.org/licenses/old-licenses/gpl-2.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):
    # The options every module takes besides its tool's own.
    DOCUMENTATION = r'''
options:
  root:
    description:
      - Work on the system under this directory (the tool's C(--root)); the paths reported are inside it.
      - Nothing outside it is read or written.
    type: path
    default: /
  bindir:
    description: The directory holding the vfio-utils tools; by default they are looked up in C(PATH).
    type: path
'''

    # What a writer's module returns, from the tool's -J document.
    WRITER = r'''
options: {}
notes:
  - Supports check mode (the tool runs with C(-n)) and diff mode (the unified diffs of the tool's document).
  - I(changed) is the document's C(changed), never guessed; any exit status but 0 fails the task
    with the tool's message, and the document decided so far is returned with it.
'''
