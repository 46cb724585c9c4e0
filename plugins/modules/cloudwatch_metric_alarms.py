#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: cloudwatch_metric_alarms
short_description: Manage a list of CloudWatch metric alarms in one task
version_added: 0.1.0
description:
  - Creates, updates or deletes several CloudWatch metric alarms, each given by its exact name, in one module run.
  - The alarms are read with one C(DescribeAlarms) call per 100 names; an alarm is written (C(PutMetricAlarm)) only
    when it is missing or one of its settings differs. The comparison is semantic (dimensions in any order, numbers
    as numbers, the settings AWS fills in when they are not given), so a rerun with the same alarms makes no call
    that changes anything.
  - Tags are read (C(ListTagsForResource)) only for alarms that exist and only when O(tags) is given. A new alarm
    gets its tags in C(PutMetricAlarm); an existing one with C(TagResource) and C(UntagResource) (AWS ignores the
    tags of C(PutMetricAlarm) for an alarm that exists).
  - Every alarm is checked before any AWS call; a bad value fails naming its field (for example
    C(alarms[2].threshold)), and nothing is written.
  - Supports check mode and diff mode (one diff per alarm).
  - The options of each alarm are those of M(amazon.aws.cloudwatch_metric_alarm), which manages one alarm per module
    run without tags.
author:
  - cloudresume.aws maintainers (@cloudresume)
options:
  alarms:
    description:
      - The alarms, each with a distinct O(alarms[].name). With O(state=absent) only the names are used.
      - With O(state=present) every alarm needs O(alarms[].namespace), O(alarms[].metric_name),
        O(alarms[].comparison), O(alarms[].threshold), O(alarms[].period), O(alarms[].evaluation_periods), and
        O(alarms[].statistic) or O(alarms[].extended_statistic).
      - A setting that is not given is the default of C(PutMetricAlarm) (no description, no unit, no actions), not
        the alarm's current value.
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description: Name of the alarm (1 to 255 printable characters), unique in the account and region.
        type: str
        required: true
      description:
        description: Description of the alarm (at most 1024 characters).
        type: str
      namespace:
        description: Namespace of the metric, for example V(AWS/Lambda).
        type: str
      metric_name:
        description: Name of the metric, for example V(Errors).
        type: str
        aliases: [metric]
      dimensions:
        description:
          - The metric's dimensions, a dictionary of dimension names to values (at most 30).
          - Values are strings; numbers are written as strings.
        type: dict
        default: {}
      statistic:
        description: Statistic of the metric. Mutually exclusive with O(alarms[].extended_statistic).
        type: str
        choices: [SampleCount, Average, Sum, Minimum, Maximum]
      extended_statistic:
        description:
          - A percentile or other extended statistic, for example V(p99), V(tm90), V(IQM), V(PR(0:300)).
            Mutually exclusive with O(alarms[].statistic).
        type: str
      comparison:
        description: How the statistic is compared with O(alarms[].threshold).
        type: str
        choices: [GreaterThanOrEqualToThreshold, GreaterThanThreshold, LessThanThreshold, LessThanOrEqualToThreshold]
      threshold:
        description: The value the statistic is compared with.
        type: float
      period:
        description: Length of a period, in seconds (V(10), V(20), V(30) or a multiple of 60).
        type: int
      evaluation_periods:
        description:
          - The number of most recent periods evaluated (at least 1). O(alarms[].evaluation_periods) times
            O(alarms[].period) may be at most one day, or seven days for periods of an hour or more.
        type: int
      datapoints_to_alarm:
        description:
          - How many of the evaluated periods must breach to alarm (1 to O(alarms[].evaluation_periods)).
          - Not given, all of them (AWS's default); an alarm whose value equals O(alarms[].evaluation_periods) is
            then left as it is.
        type: int
      treat_missing_data:
        description: How periods without data are treated.
        type: str
        choices: [breaching, notBreaching, ignore, missing]
        default: missing
      unit:
        description: Unit of the metric.
        type: str
        choices:
          - Seconds
          - Microseconds
          - Milliseconds
          - Bytes
          - Kilobytes
          - Megabytes
          - Gigabytes
          - Terabytes
          - Bits
          - Kilobits
          - Megabits
          - Gigabits
          - Terabits
          - Percent
          - Count
          - Bytes/Second
          - Kilobytes/Second
          - Megabytes/Second
          - Gigabytes/Second
          - Terabytes/Second
          - Bits/Second
          - Kilobits/Second
          - Megabits/Second
          - Gigabits/Second
          - Terabits/Second
          - Count/Second
          - None
      alarm_actions:
        description: ARNs of the actions on the transition to C(ALARM) (at most 5, for example an SNS topic).
        type: list
        elements: str
        default: []
      ok_actions:
        description: ARNs of the actions on the transition to C(OK) (at most 5).
        type: list
        elements: str
        default: []
      insufficient_data_actions:
        description: ARNs of the actions on the transition to C(INSUFFICIENT_DATA) (at most 5).
        type: list
        elements: str
        default: []
      actions_enabled:
        description: Whether the actions run on state changes.
        type: bool
        default: true
  state:
    description: Whether the alarms should exist. V(absent) deletes exactly the named alarms that exist.
    type: str
    choices: [present, absent]
    default: present
  tags:
    description:
      - Tags of every alarm (at most 50). Not given, the alarms' tags are neither read nor changed.
    type: dict
    aliases: [resource_tags]
  purge_tags:
    description: Remove the tags of an alarm that are not in O(tags).
    type: bool
    default: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - Metric math alarms (C(Metrics)) and anomaly detection thresholds are not managed; an alarm of that kind with a
    listed name is overwritten with the given metric.
  - The alarms' state (C(OK), C(ALARM)) is CloudWatch's; the module neither reads nor sets it.
"""

EXAMPLES = r"""
- name: Two alarms on a function, notifying a topic, tagged
  cloudresume.aws.cloudwatch_metric_alarms:
    alarms:
      - name: counter-errors
        description: counter errors > 5 in 300 s
        namespace: AWS/Lambda
        metric_name: Errors
        dimensions: {FunctionName: counter}
        statistic: Sum
        comparison: GreaterThanThreshold
        threshold: 5
        period: 300
        evaluation_periods: 1
        treat_missing_data: notBreaching
        alarm_actions: [arn:aws:sns:us-east-2:123456789012:alarms]
        ok_actions: [arn:aws:sns:us-east-2:123456789012:alarms]
      - name: counter-duration
        namespace: AWS/Lambda
        metric_name: Duration
        dimensions: {FunctionName: counter}
        extended_statistic: p99
        comparison: GreaterThanThreshold
        threshold: 2000
        period: 300
        evaluation_periods: 3
        datapoints_to_alarm: 2
        alarm_actions: [arn:aws:sns:us-east-2:123456789012:alarms]
    tags:
      Stack: cloudresume
  register: alarms
# alarms.alarms[].result: created, updated, unchanged (changes lists what differed)

- name: Remove them (and nothing else)
  cloudresume.aws.cloudwatch_metric_alarms:
    alarms:
      - name: counter-errors
      - name: counter-duration
    state: absent
"""

RETURN = r"""
alarms:
  description: Each alarm of O(alarms), in the given order, and what the task did to it.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: Name of the alarm.
      type: str
      sample: counter-errors
    result:
      description:
        - V(created), V(updated) (settings or tags), V(unchanged), V(deleted), or V(absent) (not there with
          O(state=absent)). In check mode, what the task would do.
      type: str
      sample: updated
    changes:
      description:
        - The settings of an updated alarm that differed (option names, and V(tags)); empty for the other results.
      type: list
      elements: str
      sample: [threshold, tags]
    alarm_arn:
      description: ARN of the alarm (null when it does not exist, and in check mode for an alarm to create).
      type: str
      sample: arn:aws:cloudwatch:us-east-2:123456789012:alarm:counter-errors
    settings:
      description:
        - The alarm's settings after the task, with the module's option names (empty when it does not exist).
          Action lists are sorted; O(alarms[].datapoints_to_alarm) is O(alarms[].evaluation_periods) when not set.
      type: dict
      sample: {"namespace": "AWS/Lambda", "metric_name": "Errors", "dimensions": {"FunctionName": "counter"},
               "statistic": "Sum", "threshold": 5.0, "period": 300, "evaluation_periods": 1}
    tags:
      description: The alarm's tags after the task (null when O(tags) is not given and the alarm existed before).
      type: dict
      sample: {"Stack": "cloudresume"}
"""

import re
from functools import partial
from typing import Any
from typing import NamedTuple

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list

from ansible_collections.cloudresume.aws.plugins.module_utils.cloudwatch import AnsibleCloudWatchError
from ansible_collections.cloudresume.aws.plugins.module_utils.cloudwatch import delete_alarms
from ansible_collections.cloudresume.aws.plugins.module_utils.cloudwatch import find_metric_alarms
from ansible_collections.cloudresume.aws.plugins.module_utils.cloudwatch import list_alarm_tags
from ansible_collections.cloudresume.aws.plugins.module_utils.cloudwatch import put_metric_alarm
from ansible_collections.cloudresume.aws.plugins.module_utils.cloudwatch import tag_alarm
from ansible_collections.cloudresume.aws.plugins.module_utils.cloudwatch import untag_alarm
from ansible_collections.cloudresume.aws.plugins.module_utils.tagging import TagPlan
from ansible_collections.cloudresume.aws.plugins.module_utils.tagging import plan_tags
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import check_alarm_period
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import check_alarm_window
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import check_name
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import check_tags
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import shown

REQUIRED = ("namespace", "metric_name", "comparison", "threshold", "period", "evaluation_periods")
ACTION_LISTS = {"alarm_actions": "AlarmActions", "ok_actions": "OKActions", "insufficient_data_actions": "InsufficientDataActions"}
MAX_ACTIONS = 5
MAX_ACTION_ARN = 1024
MAX_DESCRIPTION = 1024
MAX_DIMENSIONS = 30
MAX_DIMENSION_NAME = 255
MAX_DIMENSION_VALUE = 1024
# PutMetricAlarm's extended statistics: percentiles and trimmed/winsorized statistics with a number from 0 to 100,
# the interquartile mean, and the ranged forms PR(n:m), TC/TM/TS/WM(X%:X%) (either bound may be left out).
PERCENT = r"(100(\.0+)?|\d{1,2}(\.\d+)?)"
EXTENDED_STATISTIC = re.compile(rf"(p|tm|tc|ts|wm){PERCENT}|IQM|PR\([^():]*:[^():]*\)|(TC|TM|TS|WM)\([^():]*:[^():]*\)")
ACTION_ARN = re.compile(r"arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:[^:\s]*:\S+")


class Alarm(NamedTuple):
    """One alarm of the task: its settings as the module compares them, and what PutMetricAlarm gets."""

    name: str
    settings: dict[str, Any]
    request: dict[str, Any]


# ---- input -------------------------------------------------------------------------------------------------
def alarm_problems(where: str, alarm: dict[str, Any]) -> list[str]:
    """Every problem of one alarm of state=present, each starting with its field (``alarms[2].threshold``)."""
    missing = [f"{where}.{field}: required with state=present" for field in REQUIRED if alarm[field] is None]
    if alarm["statistic"] is None and alarm["extended_statistic"] is None:
        missing.append(f"{where}: one of statistic or extended_statistic is required with state=present")
    if missing:
        return missing
    checks = {
        "namespace": check_name("alarm_namespace", alarm["namespace"]),
        "metric_name": check_name("alarm_metric", alarm["metric_name"]),
        "description": description_problem(alarm["description"]),
        "dimensions": dimensions_problem(alarm["dimensions"]),
        "extended_statistic": extended_statistic_problem(alarm["extended_statistic"]),
        "period": check_alarm_period(alarm["period"]),
        "evaluation_periods": evaluation_problem(alarm["evaluation_periods"], alarm["period"]),
        "datapoints_to_alarm": datapoints_problem(alarm["datapoints_to_alarm"], alarm["evaluation_periods"]),
        **{field: actions_problem(alarm[field]) for field in ACTION_LISTS},
    }
    return [f"{where}.{field}: {problem}" for field, problem in checks.items() if problem]


def description_problem(description: str | None) -> str | None:
    if description is not None and len(description) > MAX_DESCRIPTION:
        return f"must be at most {MAX_DESCRIPTION} characters (it has {len(description)})"
    return None


def dimensions_problem(dimensions: dict[str, Any]) -> str | None:
    if len(dimensions) > MAX_DIMENSIONS:
        return f"{len(dimensions)} dimensions, at most {MAX_DIMENSIONS} are allowed"
    for name, value in dimensions.items():
        if not 1 <= len(name) <= MAX_DIMENSION_NAME:
            return f"the name {shown(name)} must be 1 to {MAX_DIMENSION_NAME} characters long"
        if isinstance(value, (dict, list, bool)) or value is None:
            return f"{name}: the value must be a string, got {type(value).__name__}"
        if not 1 <= len(str(value)) <= MAX_DIMENSION_VALUE:
            return f"{name}: the value must be 1 to {MAX_DIMENSION_VALUE} characters long"
    return None


def extended_statistic_problem(statistic: str | None) -> str | None:
    if statistic is None or EXTENDED_STATISTIC.fullmatch(statistic):
        return None
    return f"{shown(statistic)} is not an extended statistic (p0.0 to p100, tm90, IQM, PR(n:m), TM(10%:90%), ...)"


def evaluation_problem(evaluation_periods: int, period: int) -> str | None:
    if evaluation_periods < 1:
        return f"must be at least 1, got {evaluation_periods}"
    return check_alarm_window(evaluation_periods, period)


def datapoints_problem(datapoints: int | None, evaluation_periods: int) -> str | None:
    if datapoints is not None and not 1 <= datapoints <= evaluation_periods:
        return f"must be 1 to evaluation_periods ({evaluation_periods}), got {datapoints}"
    return None


def actions_problem(actions: list[str]) -> str | None:
    if len(actions) > MAX_ACTIONS:
        return f"{len(actions)} actions, at most {MAX_ACTIONS} are allowed"
    if len(set(actions)) != len(actions):
        return "each action may appear once"
    bad = [a for a in actions if len(a) > MAX_ACTION_ARN or not ACTION_ARN.fullmatch(a)]
    return f"{shown(bad[0])} is not an action ARN" if bad else None


def name_problems(alarms: list[dict[str, Any]]) -> list[str]:
    problems, first = [], {}
    for index, alarm in enumerate(alarms):
        name = alarm["name"]
        problem = check_name("cloudwatch_alarm", name)
        if problem:
            problems.append(f"alarms[{index}].name: {problem}")
        elif name in first:
            problems.append(f"alarms[{index}].name: {name!r} is also alarms[{first[name]}]; each alarm may be listed once")
        else:
            first[name] = index
    return problems


def input_problems(params: dict[str, Any]) -> list[str]:
    """Every problem of the task's input, each starting with its field; none of them is an AWS call."""
    problems = name_problems(params["alarms"])
    if params["state"] == "present":
        problems += [p for i, alarm in enumerate(params["alarms"]) for p in alarm_problems(f"alarms[{i}]", alarm)]
        tags_problem = check_tags(params["tags"]) if params["tags"] is not None else None
        problems += [f"tags: {tags_problem}"] if tags_problem else []
    return problems


# ---- settings, as the module compares them -----------------------------------------------------------------
def wanted_settings(alarm: dict[str, Any]) -> dict[str, Any]:
    return {
        "description": alarm["description"] or "",
        "namespace": alarm["namespace"],
        "metric_name": alarm["metric_name"],
        "dimensions": {name: str(value) for name, value in alarm["dimensions"].items()},
        "statistic": alarm["statistic"],
        "extended_statistic": alarm["extended_statistic"],
        "comparison": alarm["comparison"],
        "threshold": float(alarm["threshold"]),
        "period": alarm["period"],
        "evaluation_periods": alarm["evaluation_periods"],
        "datapoints_to_alarm": alarm["datapoints_to_alarm"] or alarm["evaluation_periods"],
        "treat_missing_data": alarm["treat_missing_data"],
        "unit": alarm["unit"],
        "actions_enabled": alarm["actions_enabled"],
        **{field: sorted(alarm[field]) for field in ACTION_LISTS},
    }


def current_settings(found: dict[str, Any]) -> dict[str, Any]:
    """DescribeAlarms' MetricAlarm in the shape of wanted_settings, with the values AWS means when it omits one."""
    return {
        "description": found.get("AlarmDescription", ""),
        "namespace": found.get("Namespace"),
        "metric_name": found.get("MetricName"),
        "dimensions": {d["Name"]: d["Value"] for d in found.get("Dimensions", [])},
        "statistic": found.get("Statistic"),
        "extended_statistic": found.get("ExtendedStatistic"),
        "comparison": found.get("ComparisonOperator"),
        "threshold": float(found["Threshold"]) if "Threshold" in found else None,
        "period": found.get("Period"),
        "evaluation_periods": found.get("EvaluationPeriods"),
        "datapoints_to_alarm": found.get("DatapointsToAlarm") or found.get("EvaluationPeriods"),
        "treat_missing_data": found.get("TreatMissingData", "missing"),
        "unit": found.get("Unit"),
        "actions_enabled": found.get("ActionsEnabled", True),
        **{field: sorted(found.get(key, [])) for field, key in ACTION_LISTS.items()},
    }


def put_request(alarm: dict[str, Any]) -> dict[str, Any]:
    """PutMetricAlarm's parameters (without Tags); options not given are left out, as AWS's defaults."""
    optional = {
        "AlarmDescription": alarm["description"] or None,
        "Statistic": alarm["statistic"],
        "ExtendedStatistic": alarm["extended_statistic"],
        "DatapointsToAlarm": alarm["datapoints_to_alarm"],
        "Unit": alarm["unit"],
    }
    return {
        "AlarmName": alarm["name"],
        "Namespace": alarm["namespace"],
        "MetricName": alarm["metric_name"],
        "Dimensions": [{"Name": name, "Value": str(value)} for name, value in sorted(alarm["dimensions"].items())],
        "ComparisonOperator": alarm["comparison"],
        "Threshold": float(alarm["threshold"]),
        "Period": alarm["period"],
        "EvaluationPeriods": alarm["evaluation_periods"],
        "TreatMissingData": alarm["treat_missing_data"],
        "ActionsEnabled": alarm["actions_enabled"],
        **{key: list(alarm[field]) for field, key in ACTION_LISTS.items()},
        **{key: value for key, value in optional.items() if value is not None},
    }


# ---- the run -----------------------------------------------------------------------------------------------
class AlarmPlan(NamedTuple):
    """What the task does to one alarm, from the reads alone: ``arn`` None means it is created."""

    alarm: Alarm
    arn: str | None
    before: dict[str, Any]
    tags_before: dict[str, str] | None
    changes: list[str]
    tags: TagPlan | None

    def result(self) -> dict[str, Any]:
        outcome = "created" if self.arn is None else "updated" if self.changes else "unchanged"
        return {"name": self.alarm.name, "result": outcome, "changes": self.changes, "alarm_arn": self.arn,
                "settings": self.alarm.settings, "tags": self.tags.after if self.tags else None}


class AlarmsManager:
    def __init__(self, module: AnsibleAWSModule) -> None:
        self.check_mode = module.check_mode
        self.tags: dict[str, str] | None = module.params["tags"]
        self.purge_tags: bool = module.params["purge_tags"]
        self.client = module.client("cloudwatch", retry_decorator=AWSRetry.jittered_backoff())

    def ensure_present(self, alarms: list[Alarm]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        """(result, diff) of each alarm: every read first, then the writes of the alarms that differ."""
        found = find_metric_alarms(self.client, [alarm.name for alarm in alarms])
        plans = [self.plan(alarm, found.get(alarm.name)) for alarm in alarms]
        results = [plan.result() for plan in plans]
        if not self.check_mode:
            for plan in plans:
                self.apply(plan)
            self.fill_new_arns(results)
        return [(result, diff(plan.alarm.name, plan.before, plan.tags_before, plan.alarm.settings, result["tags"]))
                for plan, result in zip(plans, results)]

    def plan(self, alarm: Alarm, found: dict[str, Any] | None) -> AlarmPlan:
        if found is None:
            tags = plan_tags({}, self.tags or {}, self.purge_tags)
            return AlarmPlan(alarm, None, {}, None, [], tags)
        before = current_settings(found)
        changes = [field for field, value in alarm.settings.items() if before[field] != value]
        tags_before = list_alarm_tags(self.client, found["AlarmArn"]) if self.tags is not None else None
        tags = plan_tags(tags_before, self.tags, self.purge_tags) if tags_before is not None else None
        if tags and tags.changed:
            changes.append("tags")
        return AlarmPlan(alarm, found["AlarmArn"], before, tags_before, changes, tags)

    def apply(self, plan: AlarmPlan) -> None:
        if plan.arn is None:
            tags = plan.tags.to_set if plan.tags else {}
            put_metric_alarm(self.client, dict(plan.alarm.request, Tags=ansible_dict_to_boto3_tag_list(tags))
                             if tags else plan.alarm.request)
            return
        if set(plan.changes) - {"tags"}:
            put_metric_alarm(self.client, plan.alarm.request)
        if plan.tags:
            plan.tags.apply(partial(untag_alarm, self.client, plan.arn), partial(tag_alarm, self.client, plan.arn))

    def fill_new_arns(self, results: list[dict[str, Any]]) -> None:
        """The ARNs of the alarms just created (PutMetricAlarm answers none): one more read of those names."""
        created = [result["name"] for result in results if result["result"] == "created"]
        found = find_metric_alarms(self.client, created) if created else {}
        for result in results:
            if result["name"] in found:
                result["alarm_arn"] = found[result["name"]]["AlarmArn"]

    def ensure_absent(self, names: list[str]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        found = find_metric_alarms(self.client, names)
        existing = [name for name in names if name in found]
        if existing and not self.check_mode:
            delete_alarms(self.client, existing)
        outcomes = []
        for name in names:
            before = current_settings(found[name]) if name in found else {}
            result = {"name": name, "result": "deleted" if name in found else "absent", "changes": [],
                      "alarm_arn": None, "settings": {}, "tags": {}}
            outcomes.append((result, diff(name, before, None, {}, None)))
        return outcomes


def diff(name: str, before: dict[str, Any], tags_before: dict[str, str] | None, after: dict[str, Any],
         tags_after: dict[str, str] | None) -> dict[str, Any]:
    """One alarm's diff; tags are shown when they are managed (read before, or set after)."""
    with_tags = tags_before is not None or tags_after is not None
    return {
        "before_header": f"alarm {name}",
        "after_header": f"alarm {name}",
        "before": dict(before, tags=tags_before or {}) if before and with_tags else before,
        "after": dict(after, tags=tags_after or {}) if after and with_tags else after,
    }


def main() -> None:
    alarm_options = dict(
        name=dict(type="str", required=True),
        description=dict(type="str"),
        namespace=dict(type="str"),
        metric_name=dict(type="str", aliases=["metric"]),
        dimensions=dict(type="dict", default={}),
        statistic=dict(type="str", choices=["SampleCount", "Average", "Sum", "Minimum", "Maximum"]),
        extended_statistic=dict(type="str"),
        comparison=dict(type="str", choices=["GreaterThanOrEqualToThreshold", "GreaterThanThreshold",
                                             "LessThanThreshold", "LessThanOrEqualToThreshold"]),
        threshold=dict(type="float"),
        period=dict(type="int"),
        evaluation_periods=dict(type="int"),
        datapoints_to_alarm=dict(type="int"),
        treat_missing_data=dict(type="str", default="missing", choices=["breaching", "notBreaching", "ignore", "missing"]),
        unit=dict(type="str", choices=[
            "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes",
            "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count", "Bytes/Second",
            "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second", "Bits/Second",
            "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second", "None"]),
        alarm_actions=dict(type="list", elements="str", default=[]),
        ok_actions=dict(type="list", elements="str", default=[]),
        insufficient_data_actions=dict(type="list", elements="str", default=[]),
        actions_enabled=dict(type="bool", default=True),
    )
    argument_spec = dict(
        alarms=dict(type="list", elements="dict", required=True, options=alarm_options,
                    mutually_exclusive=[("statistic", "extended_statistic")]),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    problems = input_problems(module.params)
    if problems:
        module.fail_json(msg="; ".join(problems))
    alarms = module.params["alarms"]
    manager = AlarmsManager(module)
    try:
        if module.params["state"] == "absent":
            outcomes = manager.ensure_absent([alarm["name"] for alarm in alarms])
        else:
            outcomes = manager.ensure_present([Alarm(a["name"], wanted_settings(a), put_request(a)) for a in alarms])
    except AnsibleCloudWatchError as e:
        module.fail_json_aws_error(e)
    results = [result for result, alarm_diff in outcomes]
    output: dict[str, Any] = {"changed": any(r["result"] in ("created", "updated", "deleted") for r in results),
                              "alarms": results}
    if module._diff:
        output["diff"] = [alarm_diff for result, alarm_diff in outcomes]
    module.exit_json(**output)


if __name__ == "__main__":
    main()
