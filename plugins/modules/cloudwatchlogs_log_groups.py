#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: cloudwatchlogs_log_groups
short_description: Manage several CloudWatch Logs log groups with their retention, tags and metric filters
version_added: 0.1.0
description:
  - Ensures a list of log groups in one task, each with its retention, its KMS key, the task's tags and, optionally,
    its metric filters; or deletes the listed log groups.
  - Each group is found by its exact name (C(DescribeLogGroups) with the name as prefix, across pages, the exact name
    kept); its tags are read with C(ListTagsForResource) only when O(tags) is given, its metric filters with
    C(DescribeMetricFilters) only when O(log_groups[].metric_filters) is given. Only what differs is written, so a rerun
    makes no call that changes anything.
  - Every input is checked before any AWS call, and a bad value fails naming its field
    (for example C(log_groups[1].retention)). A retention CloudWatch Logs does not allow is an error; it never
    deletes or changes a log group.
  - Supports check mode and diff mode.
author:
  - cloudresume.aws maintainers (@cloudresume)
options:
  log_groups:
    description: The log groups, each named once.
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description: Name of the log group (1 to 512 letters, digits and C(_-/.#)).
        type: str
        required: true
      retention:
        description:
          - Days to keep the events; one of the values CloudWatch Logs allows (1, 3, 5, 7, 14, 30, 60, 90, 120, 150,
            180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653).
          - Omitted, the retention is left as it is (a new group keeps its events forever).
        type: int
      kms_key_id:
        description:
          - ARN of the KMS key that encrypts the group's events (the key's policy must allow CloudWatch Logs).
          - Omitted, the group's key is left as it is.
        type: str
      metric_filters:
        description:
          - Metric filters the group must have, each named once. Omitted, the group's filters are neither read nor
            changed.
          - A filter of the same name with another pattern or transformation is replaced.
          - With O(state=absent), the filters to remove, by name (only O(log_groups[].metric_filters[].name) is
            used); the group and its other filters are kept, and a group that does not exist is skipped.
        type: list
        elements: dict
        suboptions:
          name:
            description: Name of the filter (1 to 512 characters, no C(:) or C(*)).
            type: str
            required: true
          pattern:
            description: The filter pattern (at most 1024 characters; empty matches every event). Required with O(state=present).
            type: str
          metric_name:
            description: Name of the metric published (1 to 255 characters, no C(:), C(*) or C($)). Required with O(state=present).
            type: str
          metric_namespace:
            description:
              - Namespace of the metric (1 to 255 letters, digits, spaces and C(._/#-), not C(AWS/...)). Required with
                O(state=present).
            type: str
          metric_value:
            description:
              - The value published for a matching event, C(1) or a selector such as C($.latency_ms) (1 to 100
                characters). Required with O(state=present).
            type: str
          unit:
            description: CloudWatch unit of the metric.
            type: str
            choices: [Seconds, Microseconds, Milliseconds, Bytes, Kilobytes, Megabytes, Gigabytes, Terabytes, Bits,
                      Kilobits, Megabits, Gigabits, Terabits, Percent, Count, Bytes/Second, Kilobytes/Second,
                      Megabytes/Second, Gigabytes/Second, Terabytes/Second, Bits/Second, Kilobits/Second,
                      Megabits/Second, Gigabits/Second, Terabits/Second, Count/Second, None]
          default_value:
            description: Value published when no event matches in a period.
            type: float
      purge_metric_filters:
        description:
          - Remove the group's metric filters that O(log_groups[].metric_filters) does not list.
          - Without it the group's other filters (of another tool or team) are kept.
        type: bool
        default: false
  tags:
    description:
      - Tags of every listed log group. Omitted, the tags are neither read nor changed.
    type: dict
    aliases: [resource_tags]
  purge_tags:
    description: Remove the tags O(tags) does not list.
    type: bool
    default: true
  state:
    description:
      - V(present) creates or updates the groups.
      - V(absent) deletes the listed groups, each selected by its exact name, with their events and metric filters
        (the result and the diff name each deleted group with its stored bytes); only the names are used. A group that
        does not exist is skipped. An entry that lists O(log_groups[].metric_filters) keeps its group and loses only
        those filters (a layer that owns the filters but not the group).
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - A log group holds at most 100 metric filters, each with one metric transformation; dimensions are not managed
    (a filter that has some is replaced by one without).
"""

EXAMPLES = r"""
- name: A function's and an API's log groups, 30 days, tagged, with a metric filter
  cloudresume.aws.cloudwatchlogs_log_groups:
    log_groups:
      - name: /aws/lambda/cloudresume-counter
        retention: 30
        metric_filters:
          - name: cloudresume-visits
            pattern: '{ $.route = "POST /count" && $.status = 200 }'
            metric_name: Visits
            metric_namespace: CloudResume/cloudresume
            metric_value: "1"
            unit: Count
      - name: /aws/apigateway/cloudresume-api/access
        retention: 30
    tags:
      Stack: cloudresume

- name: Only the filters of a group (its retention and tags untouched)
  cloudresume.aws.cloudwatchlogs_log_groups:
    log_groups:
      - name: /aws/lambda/cloudresume-counter
        metric_filters:
          - name: cloudresume-latency
            pattern: '{ $.latency_ms = * }'
            metric_name: HandlerLatency
            metric_namespace: CloudResume/cloudresume
            metric_value: $.latency_ms
            unit: Milliseconds
        purge_metric_filters: true

- name: Delete the groups with their events
  cloudresume.aws.cloudwatchlogs_log_groups:
    log_groups:
      - name: /aws/lambda/cloudresume-counter
      - name: /aws/apigateway/cloudresume-api/access
    state: absent
"""

RETURN = r"""
log_groups:
  description:
    - The log groups after the task, in the order given. With O(state=absent), the groups that were deleted, as they
      were before.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: Name of the log group.
      type: str
      sample: /aws/lambda/cloudresume-counter
    arn:
      description: ARN of the log group (without C(:*)); null in check mode before the group exists.
      type: str
      sample: arn:aws:logs:us-east-2:123456789012:log-group:/aws/lambda/cloudresume-counter
    retention:
      description: Days the events are kept; null when they never expire.
      type: int
      sample: 30
    kms_key_id:
      description: ARN of the KMS key of the group, or null.
      type: str
    stored_bytes:
      description: Bytes of events the group stores (0 for a new group).
      type: int
      sample: 2048
    tags:
      description: Tags of the group; returned when O(tags) is given.
      type: dict
      returned: when O(tags) is given
      sample: {"Stack": "cloudresume"}
    metric_filters:
      description: The group's metric filters; returned when O(log_groups[].metric_filters) is given.
      type: list
      elements: dict
      returned: when O(log_groups[].metric_filters) is given
      sample: [{"name": "cloudresume-visits", "pattern": "{ $.status = 200 }", "metric_name": "Visits",
                "metric_namespace": "CloudResume/cloudresume", "metric_value": "1", "unit": "Count", "default_value": null}]
"""

from dataclasses import dataclass, field
from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.cloudresume.aws.plugins.module_utils import logs
from ansible_collections.cloudresume.aws.plugins.module_utils.tagging import plan_tags
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import KMS_KEY_ID
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import InvalidInput
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import check_arn
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import check_tags
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import require
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import require_name
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import shown

UNITS = ["Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes", "Bits",
         "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count", "Bytes/Second", "Kilobytes/Second",
         "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second", "Bits/Second", "Kilobits/Second",
         "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second", "None"]
MAX_PATTERN = 1024
MAX_METRIC_VALUE = 100
MAX_FILTERS = 100
FILTER_FIELDS = ("pattern", "metric_name", "metric_namespace", "metric_value")


def check_filter(where: str, spec: dict[str, Any], present: bool) -> None:
    require_name(f"{where}.name", "metric_filter", spec["name"])
    if not present:
        return
    missing = [key for key in FILTER_FIELDS if spec[key] is None]
    if missing:
        raise InvalidInput(f"{where}.{missing[0]}: required with state=present")
    if len(spec["pattern"]) > MAX_PATTERN:
        raise InvalidInput(f"{where}.pattern: at most {MAX_PATTERN} characters (it has {len(spec['pattern'])})")
    require_name(f"{where}.metric_name", "metric_name", spec["metric_name"])
    require_name(f"{where}.metric_namespace", "metric_namespace", spec["metric_namespace"])
    if not 1 <= len(spec["metric_value"]) <= MAX_METRIC_VALUE:
        raise InvalidInput(f"{where}.metric_value: {shown(spec['metric_value'])} must be 1 to {MAX_METRIC_VALUE} characters long")


def check_group(index: int, spec: dict[str, Any], present: bool) -> None:
    where = f"log_groups[{index}]"
    require_name(f"{where}.name", "log_group", spec["name"])
    if spec["retention"] is not None and spec["retention"] not in logs.RETENTION_DAYS:
        raise InvalidInput(f"{where}.retention: {spec['retention']} is not a retention CloudWatch Logs allows "
                           f"({', '.join(map(str, logs.RETENTION_DAYS))})")
    if spec["kms_key_id"] is not None:
        require(f"{where}.kms_key_id", check_arn(spec["kms_key_id"], "kms", "key", KMS_KEY_ID))
    filters = spec["metric_filters"] or []
    if len(filters) > MAX_FILTERS:
        raise InvalidInput(f"{where}.metric_filters: at most {MAX_FILTERS} filters on a log group (got {len(filters)})")
    seen: set[str] = set()
    for position, item in enumerate(filters):
        check_filter(f"{where}.metric_filters[{position}]", item, present)
        if item["name"] in seen:
            raise InvalidInput(f"{where}.metric_filters[{position}].name: {item['name']!r} is listed twice")
        seen.add(item["name"])


def check_input(params: dict[str, Any]) -> None:
    """Every check, before any AWS call; InvalidInput names the first bad field."""
    if not params["log_groups"]:
        raise InvalidInput("log_groups: at least one log group is required")
    seen: set[str] = set()
    for index, spec in enumerate(params["log_groups"]):
        check_group(index, spec, params["state"] == "present")
        if spec["name"] in seen:
            raise InvalidInput(f"log_groups[{index}].name: {spec['name']!r} is listed twice")
        seen.add(spec["name"])
    if params["tags"] is not None:
        require("tags", check_tags(params["tags"]))


def wanted_filter(spec: dict[str, Any]) -> dict[str, Any]:
    return {key: spec[key] for key in ("name", "pattern", "metric_name", "metric_namespace", "metric_value", "unit", "default_value")}


def filter_view(found: dict[str, Any]) -> dict[str, Any]:
    """A filter as DescribeMetricFilters answers it, in the options' terms (dimensions only when it has some)."""
    transformation = (found.get("metricTransformations") or [{}])[0]
    view = {
        "name": found["filterName"],
        "pattern": found.get("filterPattern", ""),
        "metric_name": transformation.get("metricName"),
        "metric_namespace": transformation.get("metricNamespace"),
        "metric_value": transformation.get("metricValue"),
        "unit": transformation.get("unit"),
        "default_value": transformation.get("defaultValue"),
    }
    if transformation.get("dimensions"):
        view["dimensions"] = transformation["dimensions"]
    if len(found.get("metricTransformations") or []) > 1:
        view["transformations"] = len(found["metricTransformations"])
    return view


def same_filter(current: dict[str, Any], wanted: dict[str, Any]) -> bool:
    """``unit`` omitted and ``None`` are the same (CloudWatch's unit for "no unit"); default values compare as numbers."""
    def normal(view: dict[str, Any]) -> dict[str, Any]:
        default = view.get("default_value")
        return view | {"unit": None if view.get("unit") in (None, "None") else view["unit"],
                       "default_value": None if default is None else float(default)}

    return normal(current) == normal(wanted)


def transformation(spec: dict[str, Any]) -> dict[str, Any]:
    shaped = {"metricName": spec["metric_name"], "metricNamespace": spec["metric_namespace"], "metricValue": spec["metric_value"]}
    if spec["unit"] is not None:
        shaped["unit"] = spec["unit"]
    if spec["default_value"] is not None:
        shaped["defaultValue"] = spec["default_value"]
    return shaped


def group_view(found: dict[str, Any]) -> dict[str, Any]:
    """A group as DescribeLogGroups answers it, in the options' terms (its ARN without the ``:*`` of ``arn``)."""
    return {
        "name": found["logGroupName"],
        "arn": found.get("logGroupArn") or found["arn"].removesuffix(":*"),
        "retention": found.get("retentionInDays"),
        "kms_key_id": found.get("kmsKeyId"),
        "stored_bytes": found.get("storedBytes", 0),
    }


@dataclass
class GroupPlan:
    """What one group is, and what it will be; ``writes`` are the calls that bring it there."""

    name: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    writes: list[tuple[Any, tuple[Any, ...]]] = field(default_factory=list)


class LogGroupsManager:
    def __init__(self, module: AnsibleAWSModule) -> None:
        self.module = module
        self.params = module.params
        self.client = logs.logs_client(module)

    def current(self, spec: dict[str, Any], found: dict[str, Any] | None) -> dict[str, Any] | None:
        """The group as it is, with only what the task manages: tags and filters only when given."""
        if found is None:
            return None
        view = group_view(found)
        if self.params["tags"] is not None:
            view["tags"] = logs.list_tags(self.client, view["arn"])
        if spec["metric_filters"] is not None:
            view["metric_filters"] = [filter_view(f) for f in logs.describe_metric_filters(self.client, spec["name"]).values()]
        return view

    def plan_absent(self, spec: dict[str, Any]) -> GroupPlan:
        found = logs.describe_log_group(self.client, spec["name"])
        if found is None:
            return GroupPlan(spec["name"], None, None)
        if spec["metric_filters"] is None:
            return GroupPlan(spec["name"], group_view(found), None, [(logs.delete_log_group, (spec["name"],))])
        return self.plan_filters_absent(spec, found)

    def plan_filters_absent(self, spec: dict[str, Any], found: dict[str, Any]) -> GroupPlan:
        """Only the named filters go; the group and its other filters stay."""
        before = self.current(spec, found)
        names = {item["name"] for item in spec["metric_filters"]}
        after = dict(before, metric_filters=[f for f in before["metric_filters"] if f["name"] not in names])
        writes = [(logs.delete_metric_filter, (spec["name"], f["name"])) for f in before["metric_filters"] if f["name"] in names]
        return GroupPlan(spec["name"], before, after, writes)

    def plan_present(self, spec: dict[str, Any]) -> GroupPlan:
        name = spec["name"]
        before = self.current(spec, logs.describe_log_group(self.client, name))
        now = before or {"name": name, "arn": None, "retention": None, "kms_key_id": None, "stored_bytes": 0}
        after = dict(now)
        writes: list[tuple[Any, tuple[Any, ...]]] = []
        tags = self.params["tags"]
        if before is None:
            after["kms_key_id"] = spec["kms_key_id"]
            writes.append((logs.create_log_group, (name, tags or {}, spec["kms_key_id"])))
            if tags is not None:
                after["tags"] = dict(tags)
        else:
            if spec["kms_key_id"] is not None and spec["kms_key_id"] != now["kms_key_id"]:
                after["kms_key_id"] = spec["kms_key_id"]
                writes.append((logs.associate_kms_key, (name, spec["kms_key_id"])))
            if tags is not None:
                tag_plan = plan_tags(now["tags"], tags, self.params["purge_tags"])
                after["tags"] = tag_plan.after
                tag_plan.apply(lambda keys: writes.append((logs.untag_log_group, (now["arn"], keys))),
                               lambda tags: writes.append((logs.tag_log_group, (now["arn"], tags))))
        if spec["retention"] is not None and spec["retention"] != now["retention"]:
            after["retention"] = spec["retention"]
            writes.append((logs.put_retention, (name, spec["retention"])))
        if spec["metric_filters"] is not None:
            after["metric_filters"], filter_writes = self.plan_filters(spec, now.get("metric_filters", []))
            writes.extend(filter_writes)
        return GroupPlan(name, before, after, writes)

    def plan_filters(self, spec: dict[str, Any], current: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[tuple[Any, tuple[Any, ...]]]]:
        name = spec["name"]
        existing = {f["name"]: f for f in current}
        wanted = [wanted_filter(item) for item in spec["metric_filters"]]
        writes: list[tuple[Any, tuple[Any, ...]]] = []
        for item in wanted:
            if item["name"] not in existing or not same_filter(existing[item["name"]], item):
                writes.append((logs.put_metric_filter, (name, item["name"], item["pattern"], transformation(item))))
        listed = {item["name"] for item in wanted}
        kept = [] if spec["purge_metric_filters"] else [f for f in current if f["name"] not in listed]
        if spec["purge_metric_filters"]:
            writes.extend((logs.delete_metric_filter, (name, f["name"])) for f in current if f["name"] not in listed)
        return kept + wanted, writes

    def apply(self, plan: GroupPlan) -> None:
        for call, args in plan.writes:
            call(self.client, *args)
        if plan.after is not None and plan.before is None:
            found = logs.describe_log_group(self.client, plan.name)  # the new group's ARN
            if found is not None:
                plan.after["arn"] = group_view(found)["arn"]


def diff_view(group: dict[str, Any] | None) -> dict[str, Any]:
    if group is None:
        return {}
    view = {key: value for key, value in group.items() if key not in ("name", "arn")}
    if "metric_filters" in view:
        view["metric_filters"] = {f["name"]: {k: v for k, v in f.items() if k != "name"} for f in view["metric_filters"]}
    return view


def main() -> None:
    filter_options = dict(
        name=dict(type="str", required=True),
        pattern=dict(type="str"),
        metric_name=dict(type="str"),
        metric_namespace=dict(type="str"),
        metric_value=dict(type="str"),
        unit=dict(type="str", choices=UNITS),
        default_value=dict(type="float"),
    )
    group_options = dict(
        name=dict(type="str", required=True),
        retention=dict(type="int"),
        kms_key_id=dict(type="str"),
        metric_filters=dict(type="list", elements="dict", options=filter_options),
        purge_metric_filters=dict(type="bool", default=False),
    )
    argument_spec = dict(
        log_groups=dict(type="list", elements="dict", required=True, options=group_options),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        state=dict(type="str", default="present", choices=["present", "absent"]),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    try:
        check_input(module.params)
    except InvalidInput as e:
        module.fail_json(msg=str(e))
    manager = LogGroupsManager(module)
    absent = module.params["state"] == "absent"
    try:
        plans = [manager.plan_absent(spec) if absent else manager.plan_present(spec) for spec in module.params["log_groups"]]
        if not module.check_mode:
            for plan in plans:
                manager.apply(plan)
    except AnsibleAWSError as e:
        module.fail_json_aws_error(e)
    groups = [plan.before for plan in plans if plan.before is not None] if absent else [plan.after for plan in plans]
    result: dict[str, Any] = {"changed": any(plan.writes for plan in plans), "log_groups": groups}
    if module._diff:
        result["diff"] = {
            "before": {plan.name: diff_view(plan.before) for plan in plans},
            "after": {plan.name: diff_view(plan.after) for plan in plans},
        }
    module.exit_json(**result)


if __name__ == "__main__":
    main()
