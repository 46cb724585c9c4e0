"""cloudresume.aws.cloudwatchlogs_log_groups against in-process moto (with the emulator's extensions)."""
from __future__ import annotations

import time

import boto3
import pytest

from tests.unit.aws_calls import mutating_operations, record_calls
from ansible_collections.cloudresume.aws.plugins.modules import cloudwatchlogs_log_groups

FUNCTION = "/aws/lambda/site-counter"
ACCESS = "/aws/apigateway/site-api/access"
NEIGHBOUR = "/aws/lambda/site-counter-old"
TAGS = {"Stack": "site", "Owner": "me"}
VISITS = {"name": "site-visits", "pattern": '{ $.route = "POST /count" && $.status = 200 }', "metric_name": "Visits",
          "metric_namespace": "CloudResume/site", "metric_value": "1", "unit": "Count"}
LATENCY = {"name": "site-latency", "pattern": "{ $.latency_ms = * }", "metric_name": "HandlerLatency",
           "metric_namespace": "CloudResume/site", "metric_value": "$.latency_ms", "unit": "Milliseconds"}


@pytest.fixture
def logs(aws):
    client = boto3.client("logs", region_name="us-east-2")
    client.create_log_group(logGroupName=NEIGHBOUR, tags={"Stack": "other"})
    return client


def groups(filters=None, retention=30, **function_extra):
    function = {"name": FUNCTION, "retention": retention, **function_extra}
    if filters is not None:
        function["metric_filters"] = filters
    return [function, {"name": ACCESS, "retention": retention}]


def ensure(run_module, log_groups=None, check_mode=False, **args):
    return run_module(cloudwatchlogs_log_groups, {"log_groups": log_groups or groups([VISITS, LATENCY]), "tags": TAGS, **args},
                      check_mode=check_mode, diff=True)


def described(logs, name):
    return next(g for g in logs.describe_log_groups(logGroupNamePrefix=name)["logGroups"] if g["logGroupName"] == name)


def tags_of(logs, name):
    return logs.list_tags_for_resource(resourceArn=described(logs, name)["logGroupArn"])["tags"]


def filters_of(logs, name=FUNCTION):
    return {f["filterName"]: f for f in logs.describe_metric_filters(logGroupName=name)["metricFilters"]}


def test_create_makes_both_groups_with_retention_tags_and_filters(run_module, logs):
    result, failed = ensure(run_module)
    assert not failed and result["changed"]
    for name in (FUNCTION, ACCESS):
        assert described(logs, name)["retentionInDays"] == 30
        assert tags_of(logs, name) == TAGS
    filters = filters_of(logs)
    assert filters["site-visits"]["filterPattern"] == VISITS["pattern"]
    assert filters["site-visits"]["metricTransformations"] == [
        {"metricName": "Visits", "metricNamespace": "CloudResume/site", "metricValue": "1", "unit": "Count"}]
    assert filters["site-latency"]["metricTransformations"][0]["metricValue"] == "$.latency_ms"
    assert filters_of(logs, ACCESS) == {}
    first = result["log_groups"][0]
    assert first["name"] == FUNCTION and first["arn"].endswith(f":log-group:{FUNCTION}") and first["retention"] == 30
    assert [f["name"] for f in first["metric_filters"]] == ["site-visits", "site-latency"]
    assert result["diff"]["before"] == {FUNCTION: {}, ACCESS: {}}
    assert result["diff"]["after"][ACCESS] == {"retention": 30, "kms_key_id": None, "stored_bytes": 0, "tags": TAGS}
    assert tags_of(logs, NEIGHBOUR) == {"Stack": "other"}


def test_rerun_is_no_change_with_one_describe_and_one_tag_read_per_group_and_one_filter_read(run_module, logs):
    ensure(run_module)
    (result, failed), calls = record_calls(lambda: ensure(run_module))
    assert not failed and not result["changed"]
    assert sorted(calls) == sorted(["DescribeLogGroups", "ListTagsForResource", "DescribeMetricFilters",
                                    "DescribeLogGroups", "ListTagsForResource"])
    assert result["diff"]["before"] == result["diff"]["after"]


def test_without_tags_and_filters_only_the_groups_are_read(run_module, logs):
    ensure(run_module)
    args = {"log_groups": groups(), "purge_tags": True}
    (result, failed), calls = record_calls(lambda: run_module(cloudwatchlogs_log_groups, args))
    assert not failed and not result["changed"]
    assert calls == ["DescribeLogGroups", "DescribeLogGroups"]
    assert "tags" not in result["log_groups"][0] and "metric_filters" not in result["log_groups"][0]


def test_the_exact_name_among_prefixed_neighbours_across_pages(run_module, logs):
    for number in range(60):
        logs.create_log_group(logGroupName=f"{FUNCTION}-{number:02d}")
    args = {"log_groups": [{"name": FUNCTION, "retention": 30}]}
    (result, failed), calls = record_calls(lambda: run_module(cloudwatchlogs_log_groups, args, check_mode=True))
    assert not failed and result["changed"]
    assert calls == ["DescribeLogGroups", "DescribeLogGroups"]  # 60 neighbours (and the old one), pages of 50: not there
    result, failed = run_module(cloudwatchlogs_log_groups, args)
    assert not failed and result["changed"]
    (result, failed), calls = record_calls(lambda: run_module(cloudwatchlogs_log_groups, args))
    assert not failed and not result["changed"]
    assert calls == ["DescribeLogGroups"]  # AWS lists by name: the exact name comes first
    assert described(logs, f"{FUNCTION}-00").get("retentionInDays") is None


def test_retention_change_is_one_write(run_module, logs):
    ensure(run_module)
    (result, failed), calls = record_calls(lambda: ensure(run_module, groups([VISITS, LATENCY], retention=14)))
    assert not failed and result["changed"]
    assert mutating_operations(calls) == ["PutRetentionPolicy", "PutRetentionPolicy"]
    assert described(logs, FUNCTION)["retentionInDays"] == 14
    assert result["diff"]["before"][FUNCTION]["retention"] == 30 and result["diff"]["after"][FUNCTION]["retention"] == 14


def test_tags_are_set_and_purged_only_as_asked(run_module, logs):
    ensure(run_module)
    (result, failed), calls = record_calls(lambda: ensure(run_module, tags={"Stack": "site", "Env": "prod"}))
    assert not failed and result["changed"]
    assert sorted(mutating_operations(calls)) == ["TagResource", "TagResource", "UntagResource", "UntagResource"]
    assert tags_of(logs, FUNCTION) == {"Stack": "site", "Env": "prod"}
    result, failed = ensure(run_module, tags={"Extra": "x"}, purge_tags=False)
    assert not failed and result["changed"]
    assert tags_of(logs, ACCESS) == {"Stack": "site", "Env": "prod", "Extra": "x"}
    assert result["log_groups"][1]["tags"] == {"Stack": "site", "Env": "prod", "Extra": "x"}


def test_filters_are_added_updated_and_others_kept_without_purge(run_module, logs):
    ensure(run_module, groups([VISITS]))
    logs.put_metric_filter(logGroupName=FUNCTION, filterName="theirs", filterPattern="ERROR",
                           metricTransformations=[{"metricName": "E", "metricNamespace": "Them", "metricValue": "1"}])
    changed_visits = dict(VISITS, pattern="{ $.status = 200 }")
    (result, failed), calls = record_calls(lambda: ensure(run_module, groups([changed_visits, LATENCY])))
    assert not failed and result["changed"]
    assert mutating_operations(calls) == ["PutMetricFilter", "PutMetricFilter"]
    assert filters_of(logs)["site-visits"]["filterPattern"] == "{ $.status = 200 }"
    assert set(filters_of(logs)) == {"site-visits", "site-latency", "theirs"}
    assert result["diff"]["before"][FUNCTION]["metric_filters"]["site-visits"]["pattern"] == VISITS["pattern"]
    assert result["diff"]["after"][FUNCTION]["metric_filters"]["site-visits"]["pattern"] == "{ $.status = 200 }"


def test_a_unit_or_default_value_change_replaces_the_filter(run_module, logs):
    ensure(run_module)
    result, failed = ensure(run_module, groups([dict(VISITS, default_value=0), LATENCY]))
    assert not failed and result["changed"]
    assert filters_of(logs)["site-visits"]["metricTransformations"][0]["defaultValue"] == 0
    result, failed = ensure(run_module, groups([dict(VISITS, default_value=0.0), LATENCY]))
    assert not failed and not result["changed"]
    without_unit = {k: v for k, v in VISITS.items() if k != "unit"}
    result, failed = ensure(run_module, groups([without_unit, LATENCY]))
    assert not failed and result["changed"]
    assert "unit" not in filters_of(logs)["site-visits"]["metricTransformations"][0]


def test_purge_removes_the_filters_not_listed_on_that_group_only(run_module, logs):
    ensure(run_module)
    logs.put_metric_filter(logGroupName=ACCESS, filterName="theirs", filterPattern="ERROR",
                           metricTransformations=[{"metricName": "E", "metricNamespace": "Them", "metricValue": "1"}])
    (result, failed), calls = record_calls(lambda: ensure(run_module, groups([LATENCY], purge_metric_filters=True)))
    assert not failed and result["changed"]
    assert mutating_operations(calls) == ["DeleteMetricFilter"]
    assert set(filters_of(logs)) == {"site-latency"}
    assert set(filters_of(logs, ACCESS)) == {"theirs"}
    assert result["diff"]["after"][FUNCTION]["metric_filters"] == {
        "site-latency": {k: v for k, v in LATENCY.items() if k != "name"} | {"default_value": None}}


def test_check_mode_creates_nothing_and_reports_the_plan(run_module, logs):
    (result, failed), calls = record_calls(lambda: ensure(run_module, check_mode=True))
    assert not failed and result["changed"]
    assert mutating_operations(calls) == []
    assert calls == ["DescribeLogGroups", "DescribeLogGroups"]
    assert [g["logGroupName"] for g in logs.describe_log_groups()["logGroups"]] == [NEIGHBOUR]
    assert result["log_groups"][0]["arn"] is None
    assert result["diff"]["after"][FUNCTION]["metric_filters"]["site-visits"]["metric_name"] == "Visits"


def test_check_mode_on_changes_writes_nothing(run_module, logs):
    ensure(run_module)
    (result, failed), calls = record_calls(lambda: ensure(run_module, groups([LATENCY], retention=7, purge_metric_filters=True),
                                                          tags={"Stack": "site"}, check_mode=True))
    assert not failed and result["changed"]
    assert mutating_operations(calls) == []
    assert described(logs, FUNCTION)["retentionInDays"] == 30
    assert tags_of(logs, FUNCTION) == TAGS and set(filters_of(logs)) == {"site-visits", "site-latency"}
    assert result["diff"]["after"][FUNCTION]["tags"] == {"Stack": "site"}


def test_kms_key_is_associated_when_it_differs(run_module, logs):
    key = "arn:aws:kms:us-east-2:123456789012:key/12345678-1234-1234-1234-123456789012"
    ensure(run_module)
    (result, failed), calls = record_calls(lambda: ensure(run_module, groups([VISITS, LATENCY], kms_key_id=key)))
    assert not failed and result["changed"]
    assert mutating_operations(calls) == ["AssociateKmsKey"]
    assert described(logs, FUNCTION)["kmsKeyId"] == key
    result, failed = ensure(run_module, groups([VISITS, LATENCY], kms_key_id=key))
    assert not failed and not result["changed"]


@pytest.mark.parametrize(
    ("log_groups", "tags", "field"),
    [
        ([{"name": FUNCTION, "retention": 2192}, {"name": ACCESS, "retention": 2}], None, "log_groups[1].retention"),
        ([{"name": "bad name!"}], None, "log_groups[0].name"),
        ([{"name": FUNCTION}, {"name": FUNCTION}], None, "log_groups[1].name"),
        ([{"name": FUNCTION, "kms_key_id": "alias/mine"}], None, "log_groups[0].kms_key_id"),
        ([{"name": FUNCTION, "metric_filters": [dict(VISITS, name="a:b")]}], None, "log_groups[0].metric_filters[0].name"),
        ([{"name": FUNCTION, "metric_filters": [dict(VISITS, pattern="x" * 1025)]}], None, "log_groups[0].metric_filters[0].pattern"),
        ([{"name": FUNCTION, "metric_filters": [VISITS, dict(VISITS, metric_name="$bad")]}], None,
         "log_groups[0].metric_filters[1].metric_name"),
        ([{"name": FUNCTION, "metric_filters": [dict(VISITS, metric_namespace="AWS/Lambda")]}], None,
         "log_groups[0].metric_filters[0].metric_namespace"),
        ([{"name": FUNCTION, "metric_filters": [dict(VISITS, metric_value="")]}], None, "log_groups[0].metric_filters[0].metric_value"),
        ([{"name": FUNCTION, "metric_filters": [VISITS, VISITS]}], None, "log_groups[0].metric_filters[1].name"),
        ([{"name": FUNCTION}], {"aws:x": "y"}, "tags"),
    ],
)
def test_bad_input_names_the_field_and_makes_no_call(run_module, logs, log_groups, tags, field):
    ensure(run_module)
    (result, failed), calls = record_calls(lambda: run_module(cloudwatchlogs_log_groups, {"log_groups": log_groups, "tags": tags}))
    assert failed and result["msg"].startswith(f"{field}: ")
    assert calls == []
    assert described(logs, FUNCTION)["retentionInDays"] == 30 and described(logs, ACCESS)["retentionInDays"] == 30


def test_a_retention_cloudwatch_allows_beyond_amazon_aws_list_is_set(run_module, logs):
    ensure(run_module)
    result, failed = ensure(run_module, groups([VISITS, LATENCY], retention=2192))
    assert not failed and result["changed"]
    assert described(logs, FUNCTION)["retentionInDays"] == 2192


def test_absent_deletes_the_named_groups_with_their_filters_reporting_their_bytes(run_module, logs):
    ensure(run_module)
    logs.create_log_stream(logGroupName=FUNCTION, logStreamName="s")
    logs.put_log_events(logGroupName=FUNCTION, logStreamName="s", logEvents=[{"timestamp": int(time.time() * 1000), "message": "hello"}])
    args = {"log_groups": [{"name": FUNCTION}, {"name": ACCESS}], "state": "absent"}
    result, failed = run_module(cloudwatchlogs_log_groups, args, check_mode=True, diff=True)
    assert not failed and result["changed"]
    assert {g["name"] for g in result["log_groups"]} == {FUNCTION, ACCESS}
    stored = described(logs, FUNCTION)["storedBytes"]
    (result, failed), calls = record_calls(lambda: run_module(cloudwatchlogs_log_groups, args, diff=True))
    assert not failed and result["changed"]
    assert mutating_operations(calls) == ["DeleteLogGroup", "DeleteLogGroup"]
    assert result["log_groups"][0]["name"] == FUNCTION and result["log_groups"][0]["stored_bytes"] == stored > 0
    assert result["diff"]["after"] == {FUNCTION: {}, ACCESS: {}} and result["diff"]["before"][FUNCTION]["retention"] == 30
    assert [g["logGroupName"] for g in logs.describe_log_groups()["logGroups"]] == [NEIGHBOUR]
    (result, failed), calls = record_calls(lambda: run_module(cloudwatchlogs_log_groups, args))
    assert not failed and not result["changed"] and result["log_groups"] == []
    assert calls == ["DescribeLogGroups", "DescribeLogGroups"]


def test_absent_with_filters_removes_only_those_and_keeps_the_group(run_module, logs):
    ensure(run_module)
    logs.put_metric_filter(logGroupName=FUNCTION, filterName="other-tool", filterPattern="ERROR", metricTransformations=[
        {"metricName": "Errors", "metricNamespace": "Other", "metricValue": "1"}])
    logs.put_metric_filter(logGroupName=NEIGHBOUR, filterName="site-visits", filterPattern="", metricTransformations=[
        {"metricName": "Visits", "metricNamespace": "Other", "metricValue": "1"}])
    args = {"log_groups": [{"name": FUNCTION, "metric_filters": [{"name": "site-visits"}, {"name": "site-latency"}]}],
            "state": "absent"}
    (result, failed), calls = record_calls(lambda: run_module(cloudwatchlogs_log_groups, args, check_mode=True, diff=True))
    assert not failed and result["changed"] and mutating_operations(calls) == []
    assert set(result["diff"]["before"][FUNCTION]["metric_filters"]) == {"site-visits", "site-latency", "other-tool"}
    assert set(result["diff"]["after"][FUNCTION]["metric_filters"]) == {"other-tool"}
    (result, failed), calls = record_calls(lambda: run_module(cloudwatchlogs_log_groups, args))
    assert not failed and result["changed"]
    assert mutating_operations(calls) == ["DeleteMetricFilter", "DeleteMetricFilter"]
    assert set(filters_of(logs)) == {"other-tool"} and set(filters_of(logs, NEIGHBOUR)) == {"site-visits"}
    assert described(logs, FUNCTION)["retentionInDays"] == 30
    (result, failed), calls = record_calls(lambda: run_module(cloudwatchlogs_log_groups, args))
    assert not failed and not result["changed"] and mutating_operations(calls) == []
    logs.delete_log_group(logGroupName=FUNCTION)
    (result, failed), calls = record_calls(lambda: run_module(cloudwatchlogs_log_groups, args))
    assert not failed and not result["changed"] and calls == ["DescribeLogGroups"]
    assert FUNCTION not in [g["logGroupName"] for g in logs.describe_log_groups()["logGroups"]]


def test_present_needs_every_field_of_a_filter(run_module, logs):
    bare = {key: value for key, value in VISITS.items() if key != "metric_value"}
    (result, failed), calls = record_calls(lambda: ensure(run_module, groups([bare])))
    assert failed and result["msg"] == "log_groups[0].metric_filters[0].metric_value: required with state=present"
    assert calls == []


def test_a_pattern_cloudwatch_rejects_fails_naming_the_filter_and_the_group(run_module, logs):
    ensure(run_module)
    result, failed = ensure(run_module, groups([dict(VISITS, pattern="{ $.status = }"), LATENCY]))
    assert failed and result["msg"].startswith(f"Failed to put metric filter site-visits on log group {FUNCTION}")
    assert filters_of(logs)["site-visits"]["filterPattern"] == VISITS["pattern"]


def test_operation_aborted_is_retried_on_the_writes_that_document_it(monkeypatch):
    from botocore.exceptions import ClientError

    from ansible_collections.cloudresume.aws.plugins.module_utils import logs as logs_utils

    monkeypatch.setattr("time.sleep", lambda seconds: None)
    calls = []

    class Client:
        def put_retention_policy(self, **kwargs):
            calls.append(kwargs)
            if len(calls) == 1:
                raise ClientError({"Error": {"Code": "OperationAbortedException", "Message": "conflict"}}, "PutRetentionPolicy")

    logs_utils.put_retention(Client(), FUNCTION, 30)
    assert calls == [{"logGroupName": FUNCTION, "retentionInDays": 30}] * 2
