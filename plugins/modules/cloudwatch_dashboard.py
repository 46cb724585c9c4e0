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

from ansible_collections.cloudresume.aws.plugins.module_utils.cloudwatch import CloudWatchErrorHandler
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import InvalidInput
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import check_name
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import json_object

WIDGET_TYPES = ("alarm", "custom", "explorer", "log", "metric", "text")
SIZE_LIMITS = {"width": 24, "height": 1000}


def parse_body(body: Any) -> dict[str, Any]:
    """Return the body as a dict, or raise InvalidInput naming what is wrong."""
    body = json_object("body", body, "a JSON object with a 'widgets' list")
    widgets = body.get("widgets")
    if not isinstance(widgets, list):
        raise InvalidInput("body.widgets: a list of widgets is required")
    errors = [error for index, widget in enumerate(widgets) for error in widget_errors(index, widget)]
    if errors:
        raise InvalidInput("; ".join(errors))
    return body


def widget_errors(index: int, widget: Any) -> list[str]:
    where = f"body.widgets[{index}]"
    if not isinstance(widget, dict):
        return [f"{where}: must be an object"]
    errors = []
    kind = widget.get("type")
    if kind not in WIDGET_TYPES:
        errors.append(f"{where}.type: unknown widget type {kind!r} (valid: {', '.join(WIDGET_TYPES)})")
    if not isinstance(widget.get("properties"), dict):
        errors.append(f"{where}.properties: an object is required")
    for field, limit in SIZE_LIMITS.items():
        value = widget.get(field)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= limit):
            errors.append(f"{where}.{field}: must be an integer from 1 to {limit}, got {value!r}")
    for field in ("x", "y"):
        value = widget.get(field)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            errors.append(f"{where}.{field}: must be a non-negative integer, got {value!r}")
    return errors


@CloudWatchErrorHandler.list_error_handler("read dashboard {name}")
def get_dashboard(client: Any, name: str) -> dict[str, Any] | None:
    """The dashboard; None when there is none of that name."""
    return client.get_dashboard(aws_retry=True, DashboardName=name)


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
        found = get_dashboard(self.client, self.name)
        if found is None:
            return None
        return {
            "dashboard_name": found["DashboardName"],
            "dashboard_arn": found["DashboardArn"],
            "dashboard_body": json.loads(found["DashboardBody"]),
        }

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


def validated_body(module: AnsibleAWSModule) -> dict[str, Any] | None:
    """Check name and body before any AWS call; the body parsed (None with state=absent)."""
    p = module.params
    problem = check_name("dashboard", p["name"])
    if problem:
        module.fail_json(msg=f"name: {problem}")
    if p["state"] == "absent":
        return None
    try:
        return parse_body(p["body"])
    except InvalidInput as e:
        module.fail_json(msg=str(e))


def main() -> None:
    argument_spec = dict(
        name=dict(type="str", required=True, aliases=["dashboard_name"]),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        body=dict(type="raw"),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        required_if=[("state", "present", ["body"])],
    )
    body = validated_body(module)
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
        result["diff"] = {
            "before": (before or {}).get("dashboard_body", {}),
            "after": after.get("dashboard_body", {}),
            "before_header": f"dashboard {module.params['name']}",
            "after_header": f"dashboard {module.params['name']}",
        }
    module.exit_json(**result)


if __name__ == "__main__":
    main()
