#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: stack_outputs
short_description: Write the run's outputs as a JSON file on the controller, without starting a module process
version_added: 0.1.0
description:
  - Writes O(outputs) as indented JSON (two spaces, keys sorted, UTF-8, a final newline) to O(path) on the
    controller, the machine that runs C(ansible-playbook), where the scripts that read the stack's outputs run.
  - Creates the missing folders of O(path) (mode C(0755)); replaces the file atomically (a temporary file in the
    same folder, then a rename), and only when its content or mode differs, so a reader never sees half a file.
  - Runs on the controller (an action plugin) and starts no module process, which saves the three processes of
    the C(file) and C(copy) tasks it replaces. Used by the summary of the C(cloudresume.aws.stack) role.
author:
  - cloudresume.aws maintainers (@cloudresume)
options:
  path:
    description:
      - The file to write. A relative path is relative to the directory C(ansible-playbook) runs from.
    type: path
    required: true
  outputs:
    description:
      - The data to write; anything JSON can represent.
    type: dict
    required: true
  mode:
    description:
      - The file's permissions, an octal string.
    type: str
    default: "0644"
attributes:
  check_mode:
    support: full
    description: Reports whether the file would change and writes nothing.
  diff_mode:
    support: full
    description: The file's text before and after.
"""

EXAMPLES = r"""
- name: Write the outputs for scripts
  cloudresume.aws.stack_outputs:
    path: "{{ playbook_dir }}/build/outputs.json"
    outputs:
      stack: cloudresume
      region: us-east-2
"""

RETURN = r"""
path:
  description: The absolute path of the file.
  returned: always
  type: str
  sample: /home/user/resume/build/outputs.json
"""
