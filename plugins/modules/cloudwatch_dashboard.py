#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: cloudwatch_dashboard
short_description: Manage a CloudWatch dashboard
version_added: 0.1.0
description:
  - Creates, updates or deletes a CloudWatch dashboard from its JSON body
    (U(https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html)).
  - The body is compared semantically with the dashboard's current body (key order and whitespace do not
    matter), so a rerun with the same body reports no change and makes no call that changes anything.
  - The body is checked before any AWS call; invalid JSON and unknown widget types are reported with the
    position of the offending widget.
  - With O(known_state), the dashboard as M(cloudresume.aws.stack_info) read it earlier in the run, the task's action
    plugin decides on the controller first. When the dashboard is already as asked (the same body, or absent with
    O(state=absent)), it returns the result the module would return, without a module process or a call; otherwise the
    module reads the dashboard again and decides itself.
  - Supports check mode and diff mode.
author:
  - cloudresume.aws maintainers (@cloudresume)
options:
  name:
    description:
      - Name of the dashboard (up to 255 letters, digits, C(-) and C(_)).
    type: str
    required: true
    aliases: [dashboard_name]
  state:
    description: Whether the dashboard should exist.
    type: str
    choices: [present, absent]
    default: present
  body:
    description:
      - The dashboard body, as a dictionary or a JSON string, with a C(widgets) list. Required with O(state=present).
      - Each widget needs a C(type) (C(alarm), C(custom), C(explorer), C(log), C(metric) or C(text)) and
        C(properties); C(width) is 1 to 24 grid units and C(height) 1 to 1000.
    type: raw
  known_state:
    description:
      - The dashboard that M(cloudresume.aws.stack_info) returned (RV(cloudresume.aws.stack_info#module:dashboard), an
        empty dict for none) earlier in the run; read by the task's action plugin on the controller (see above),
        ignored by the module itself.
      - Give it only when nothing changed the dashboard since it was read. A state that is not stack_info's, or is
        another dashboard's, fails naming the key, and changes nothing.
    type: dict
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - CloudWatch dashboards do not support tags.
  - Metrics of global services (CloudFront) are in C(us-east-1); set C(region) in those widgets' properties.
"""

EXAMPLES = r"""
- name: Dashboard with a Lambda graph and a note
  cloudresume.aws.cloudwatch_dashboard:
    name: cloudresume
    body:
      widgets:
        - type: metric
          x: 0
          y: 0
          width: 12
          height: 6
          properties:
            title: Lambda invocations
            region: us-east-2
            stat: Sum
            period: 300
            metrics:
              - [AWS/Lambda, Invocations, FunctionName, cloudresume-counter]
        - type: text
          x: 12
          y: 0
          width: 12
          height: 6
          properties:
            markdown: "# Visitor counter"

- name: Dashboard body from a template
  cloudresume.aws.cloudwatch_dashboard:
    name: cloudresume
    body: "{{ lookup('ansible.builtin.template', 'dashboard.json.j2') }}"

- name: Read the dashboard with the run's other lookups, in one module process
  cloudresume.aws.stack_info:
    dashboard_name: cloudresume
  register: stack

- name: Save the body only when it differs from the one read above (no module process otherwise)
  cloudresume.aws.cloudwatch_dashboard:
    name: cloudresume
    body: "{{ lookup('ansible.builtin.template', 'dashboard.json.j2') }}"
    known_state: "{{ stack.dashboard }}"

- name: Remove the dashboard
  cloudresume.aws.cloudwatch_dashboard:
    name: cloudresume
    state: absent
"""

RETURN = r"""
dashboard:
  description: The dashboard after the task (empty when absent).
  returned: always
  type: dict
  contains:
    dashboard_name:
      description: Name of the dashboard.
      type: str
      sample: cloudresume
    dashboard_arn:
      description: ARN of the dashboard (not known in check mode before the dashboard exists).
      type: str
      sample: arn:aws:cloudwatch::123456789012:dashboard/cloudresume
    dashboard_body:
      description: The dashboard body, parsed.
      type: dict
      sample: {"widgets": [{"type": "text", "properties": {"markdown": "hello"}}]}
validation_messages:
  description: Warnings CloudWatch returned about the body when it was saved (also shown as warnings).
  returned: when the body was saved
  type: list
  elements: dict
  sample: [{"data_path": "/widgets/0/properties", "message": "Should have at least 1 metric"}]
"""

import json
from typing import Any

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.cloudresume.aws.plugins.module_utils import dashboards
from ansible_collections.cloudresume.aws.plugins.module_utils.cloudwatch import CloudWatchErrorHandler
from ansible_collections.cloudresume.aws.plugins.module_utils.cloudwatch import get_dashboard


@CloudWatchErrorHandler.common_error_handler("save dashboard {name}")
def put_dashboard(client: Any, name: str, body: dict[str, Any]) -> list[dict[str, Any]]:
    """Save the body; the validation messages CloudWatch answers."""
    return client.put_dashboard(aws_retry=True, DashboardName=name,
                                DashboardBody=json.dumps(body, separators=(",", ":"))).get("DashboardValidationMessages", [])


@CloudWatchErrorHandler.deletion_error_handler("delete dashboard {name}")
def delete_dashboard(client: Any, name: str) -> bool:
    """Delete the dashboard; False when it was already gone (the outcome asked for)."""
    client.delete_dashboards(aws_retry=True, DashboardNames=[name])
    return True


class DashboardManager:
    def __init__(self, module: AnsibleAWSModule) -> None:
        self.module = module
        self.name: str = module.params["name"]
        self.client = module.client("cloudwatch", retry_decorator=AWSRetry.jittered_backoff())
        self.changed = False
        self.validation_messages: list[dict[str, Any]] | None = None

    def describe(self) -> dict[str, Any] | None:
        return dashboards.dashboard_of(get_dashboard(self.client, self.name))

    def ensure_present(self, current: dict[str, Any] | None, body: dict[str, Any]) -> dict[str, Any]:
        if current is not None and current["dashboard_body"] == body:
            return current
        self.changed = True
        planned = {"dashboard_name": self.name, "dashboard_arn": (current or {}).get("dashboard_arn"),
                   "dashboard_body": body}
        if self.module.check_mode:
            return planned
        messages = put_dashboard(self.client, self.name, body)
        self.validation_messages = [camel_dict_to_snake_dict(m) for m in messages]
        for message in self.validation_messages:
            self.module.warn(f"dashboard {self.name}: {message.get('data_path', '')}: {message.get('message', '')}")
        return self.describe() or planned

    def ensure_absent(self, current: dict[str, Any] | None) -> dict[str, Any]:
        if current is None:
            return {}
        self.changed = True
        if self.module.check_mode:
            return {}
        delete_dashboard(self.client, self.name)  # deleted meanwhile: the outcome is the one asked for
        return {}


def main() -> None:
    module = AnsibleAWSModule(argument_spec=dashboards.ARGUMENT_SPEC, supports_check_mode=True,
                              required_if=dashboards.REQUIRED_IF)
    problem, body = dashboards.input_problem(module.params)  # before any AWS call
    if problem:
        module.fail_json(msg=problem)
    manager = DashboardManager(module)
    try:
        before = manager.describe()
        after = manager.ensure_absent(before) if body is None else manager.ensure_present(before, body)
    except AnsibleAWSError as e:
        module.fail_json_aws_error(e)
    result: dict[str, Any] = {"changed": manager.changed, "dashboard": after}
    if manager.validation_messages is not None:
        result["validation_messages"] = manager.validation_messages
    if module._diff:
        result["diff"] = dashboards.diff_of(module.params["name"], before, after)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
