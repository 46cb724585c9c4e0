# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What cloudresume.aws.cloudwatch_dashboard checks and decides, written once for the module, for
cloudresume.aws.stack_info (which reads the dashboard earlier in a run: its ``dashboard`` lookup) and for the module's
action plugin (which answers from that read on the controller when nothing is to change). No AWS import: the action
plugin loads it on the controller."""
from __future__ import annotations

import json
from typing import Any

from ansible_collections.cloudresume.aws.plugins.module_utils.validation import InvalidInput
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import check_name
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import json_object

ARGUMENT_SPEC: dict[str, Any] = dict(
    name=dict(type="str", required=True, aliases=["dashboard_name"]),
    state=dict(type="str", default="present", choices=["present", "absent"]),
    body=dict(type="raw"),
    known_state=dict(type="dict"),
)
REQUIRED_IF = [("state", "present", ["body"])]
DASHBOARD_KEYS = ("dashboard_name", "dashboard_arn", "dashboard_body")

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


def input_problem(params: dict[str, Any]) -> tuple[str | None, dict[str, Any] | None]:
    """(the message naming the field of a bad name or body, the body parsed: None with state=absent)."""
    problem = check_name("dashboard", params["name"])
    if problem:
        return f"name: {problem}", None
    if params["state"] == "absent":
        return None, None
    try:
        return None, parse_body(params["body"])
    except InvalidInput as e:
        return str(e), None


def dashboard_of(found: dict[str, Any] | None) -> dict[str, Any] | None:
    """GetDashboard's answer in the module's shape (the body parsed); None when there is no dashboard."""
    if found is None:
        return None
    return {"dashboard_name": found["DashboardName"], "dashboard_arn": found["DashboardArn"],
            "dashboard_body": json.loads(found["DashboardBody"])}


def diff_of(name: str, before: dict[str, Any] | None, after: dict[str, Any]) -> dict[str, Any]:
    return {"before": (before or {}).get("dashboard_body", {}), "after": after.get("dashboard_body", {}),
            "before_header": f"dashboard {name}", "after_header": f"dashboard {name}"}


def state_problem(state: Any, name: str) -> str | None:
    """The message naming what a known state (stack_info's ``dashboard``) lacks, or that it is another dashboard's;
    None when it is this one's."""
    if not isinstance(state, dict):
        return f"known_state: must be the dashboard stack_info returns (a mapping), got {type(state).__name__}"
    missing = [key for key in DASHBOARD_KEYS if key not in state] if state else []
    if missing:
        return f"known_state.{missing[0]}: missing; give the dashboard cloudresume.aws.stack_info returns"
    if state and state["dashboard_name"] != name:
        return f"known_state.dashboard_name: {state['dashboard_name']} is not this task's dashboard {name}"
    return None


def unchanged_result(state: dict[str, Any], params: dict[str, Any], body: dict[str, Any] | None,
                     diff: bool) -> dict[str, Any] | None:
    """The module's result when ``state`` (the dashboard read earlier, {} for none) is already what ``params`` ask
    for; None when the module would change something."""
    current = state or None
    if (body is None) != (current is None) or (current is not None and current["dashboard_body"] != body):
        return None
    result: dict[str, Any] = {"changed": False, "dashboard": current or {}}
    if diff:
        result["diff"] = diff_of(params["name"], current, current or {})
    return result
