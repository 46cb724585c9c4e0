"""stack_log_retention_days: every retention CloudWatch Logs allows, and why amazon.aws's log group module never gets one.

amazon.aws 10.1.2's cloudwatchlogs_log_group checks the retention against its own list, which lacks five values
CloudWatch Logs accepts (1096, 2192, 2557, 2922, 3288); for any value outside that list it calls DeleteLogGroup on
the (existing) group, then fails. The roles set retention with cloudresume.aws.cloudwatchlogs_log_groups instead, which
accepts every value CloudWatch allows, so the stack role's argument spec allows them all.
"""
from __future__ import annotations

import re
from pathlib import Path

import boto3
import yaml

from ansible_collections.amazon.aws.plugins.modules import cloudwatchlogs_log_group

ROOT = Path(__file__).resolve().parents[2]


def cloudwatch_allowed() -> list[int]:
    """The values CloudWatch Logs documents for retentionInDays (botocore's model)."""
    from botocore.loaders import Loader

    text = Loader().load_service_model("logs", "service-2")["shapes"]["Days"]["documentation"]
    return [int(n) for n in re.findall(r"\d+", text.split("Possible values are:")[1].split(".")[0])]


def test_the_role_allows_every_value_cloudwatch_documents():
    choices = yaml.safe_load((ROOT / "roles/stack/meta/argument_specs.yml").read_text())[
        "argument_specs"]["main"]["options"]["stack_log_retention_days"]["choices"]
    assert choices == cloudwatch_allowed()
    assert {1096, 1827, 2192, 2557, 2922, 3288, 3653} <= set(choices)


def test_the_module_deletes_an_existing_log_group_for_a_value_it_does_not_know(run_module, aws):
    """The finding, reproduced: this is why no role gives that module a retention (the test below)."""
    logs = boto3.client("logs", region_name="us-east-2")
    logs.create_log_group(logGroupName="/aws/lambda/kept")
    result, failed = run_module(cloudwatchlogs_log_group, {"log_group_name": "/aws/lambda/kept", "retention": 1096})
    assert failed and result["msg"].startswith("Invalid retention value")
    assert logs.describe_log_groups(logGroupNamePrefix="/aws/lambda/kept")["logGroups"] == []


def test_the_roles_pass_only_the_value_the_preflight_validated():
    for path in ("roles/counter_api/tasks/present.yml", "roles/monitoring/tasks/logs.yml"):
        text = (ROOT / path).read_text()
        assert "stack_preflight.variables.stack_log_retention_days" in text, path
        assert "stack_log_retention_days" not in text.replace("stack_preflight.variables.stack_log_retention_days", ""), path


def tasks_in(tasks: list[dict]) -> list[dict]:
    """The tasks of a task list with those nested in its blocks (block, rescue, always)."""
    return [nested for task in tasks
            for nested in [task] + tasks_in(task.get("block", []) + task.get("rescue", []) + task.get("always", []))]


def test_no_role_gives_amazon_aws_log_group_module_a_retention():
    """The roles set retention with cloudresume.aws.cloudwatchlogs_log_groups, which accepts every CloudWatch value."""
    paths = list(ROOT.glob("roles/*/tasks/*.yml"))
    assert any("block" in task for path in paths for task in yaml.safe_load(path.read_text()) or [])  # walked too
    for path in paths:
        for task in tasks_in(yaml.safe_load(path.read_text()) or []):
            for name in ("amazon.aws.cloudwatchlogs_log_group", "cloudwatchlogs_log_group"):
                assert "retention" not in (task.get(name) or {}), path


def test_the_collection_module_allows_exactly_what_cloudwatch_documents():
    from ansible_collections.cloudresume.aws.plugins.module_utils.logs import RETENTION_DAYS

    assert list(RETENTION_DAYS) == cloudwatch_allowed()
