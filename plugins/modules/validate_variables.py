#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: validate_variables
short_description: Check every variable of the collection's roles in the play, on the controller, before any AWS call
version_added: 0.1.0
description:
  - Reads the C(main) entry point of each role's C(meta/argument_specs.yml) and checks the play's variables against
    it (type, choices, required), then against O(rules), the value checks argument specs cannot express (ranges,
    patterns, AWS's name and tag limits, the region among botocore's known regions, cross-variable conditions).
  - Reports every invalid variable at once, each message starting with the variable's name, and fails; it never
    calls AWS. A string option given a list, a mapping or a boolean is refused (Ansible would turn it into text).
  - Runs on the controller (action plugin). Used by the C(cloudresume.aws.stack) role's preflight.
author:
  - cloudresume.aws maintainers (@cloudresume)
options:
  roles:
    description:
      - Short names of the collection's roles whose C(main) argument specs apply. Default, the roles of this
        collection in the play (C(ansible_play_role_names)).
    type: list
    elements: str
  rules:
    description:
      - Value checks by variable name. Each rule may have C(min), C(max), C(multiple_of) (numbers), C(pattern)
        (matched in full) with C(what) (its description in messages), C(name) (an AWS resource name kind of
        C(plugins/module_utils/validation.py)), C(check) (a named check such as C(region) or C(tags)),
        C(allow_empty) (an empty value passes), C(only_with) (a mapping of another variable to the value with
        which this one must be set, and without which it must be empty), C(max_count), C(period) (parameters
        of named checks).
      - A variable that is not defined in the play is not checked (one its argument spec requires is reported).
    type: dict
    default: {}
attributes:
  check_mode:
    support: full
    description: Makes no change in any mode.
  diff_mode:
    support: none
    description: Nothing to compare.
"""

EXAMPLES = r"""
- name: Check the variables of the roles in the play
  cloudresume.aws.validate_variables:
    rules:
      counter_api_memory_size: {min: 128, max: 10240}
      stack_region: {check: region}
      stack_tags: {check: tags, max_count: 47}
"""

RETURN = r"""
roles:
  description: The roles whose argument specs were applied.
  returned: always
  type: list
  elements: str
  sample: [stack, counter_db, counter_api]
variables:
  description: The checked variables, converted to the types of their argument specs.
  returned: always
  type: dict
  sample: {"stack_log_retention_days": 30}
errors:
  description: One message per invalid variable, each starting with the variable's name.
  returned: failure
  type: list
  elements: str
  sample: ["counter_api_throttling_rate_limit: -1.0 is below the minimum 0"]
"""
