"""boto3 round trips for tools/emulator/extensions/logs.py."""
from __future__ import annotations

import json

import boto3
import pytest
from botocore.exceptions import ClientError

VISIT = json.dumps({"level": "INFO", "message": "count incremented", "request_id": "r-1", "route": "POST /count",
                    "status": 200, "latency_ms": 12.5, "count": 42})
READ = json.dumps({"level": "INFO", "message": "count read", "request_id": "r-2", "route": "GET /count",
                   "status": 200, "latency_ms": 3, "count": 42})
FAILURE = json.dumps({"level": "ERROR", "message": "dynamodb error", "request_id": "r-3", "route": "POST /count",
                      "status": 503, "latency_ms": 80, "count": None})
EVENTS = [VISIT, READ, FAILURE, "START RequestId: r-4 Version: $LATEST"]


@pytest.fixture
def logs(aws):
    return boto3.client("logs", region_name="us-east-2")


def matched(logs, pattern, events=None):
    found = logs.test_metric_filter(filterPattern=pattern, logEventMessages=events or EVENTS)["matches"]
    return [m["eventNumber"] for m in found]


@pytest.mark.parametrize(
    ("pattern", "numbers"),
    [
        ('{ $.route = "POST /count" && $.status = 200 }', [1]),
        ('{ $.level = "ERROR" }', [3]),
        ("{ $.level = ERROR }", [3]),
        ("{ $.status >= 500 }", [3]),
        ("{ $.status != 200 }", [3]),
        ("{ $.latency_ms < 10 }", [2]),
        ('{ $.route = "* /count" }', [1, 2, 3]),
        ('{ $.route = "POST*" || $.count IS NULL }', [1, 3]),
        ("{ ($.status = 200 && $.count > 41) && $.message = \"count read\" }", [2]),
        ("{ $.count IS NULL }", [3]),
        ("{ $.missing NOT EXISTS && $.level = INFO }", [1, 2]),
        ('{ $.status = "200" }', []),
        ("ERROR", [3]),
        ('"count read"', [2]),
        ("?ERROR ?START", [3, 4]),
        ("count -dynamodb", [1, 2]),
        ("", [1, 2, 3, 4]),
    ],
)
def test_test_metric_filter_evaluates_the_pattern(logs, pattern, numbers):
    assert matched(logs, pattern) == numbers


def test_test_metric_filter_returns_the_documented_shape(logs):
    match = logs.test_metric_filter(filterPattern='{ $.level = "ERROR" }', logEventMessages=[FAILURE])["matches"][0]
    assert match == {"eventNumber": 1, "eventMessage": FAILURE, "extractedValues": {}}


@pytest.mark.parametrize("pattern", ['{ $.level = "ERROR" ', "{ $.level }", "{ $.status > abc }", "{ && }",
                                     "[ip, user]"])
def test_invalid_patterns_are_rejected(logs, pattern):
    with pytest.raises(ClientError) as caught:
        logs.test_metric_filter(filterPattern=pattern, logEventMessages=[VISIT])
    assert caught.value.response["Error"]["Code"] == "InvalidParameterException"


def put(logs, pattern, group="/aws/lambda/counter"):
    logs.put_metric_filter(
        logGroupName=group, filterName="visits", filterPattern=pattern,
        metricTransformations=[{"metricName": "Visits", "metricNamespace": "Site", "metricValue": "1"}],
    )


def test_put_metric_filter_replaces_a_filter_of_the_same_name(logs):
    logs.create_log_group(logGroupName="/aws/lambda/counter")
    put(logs, '{ $.status = 200 }')
    put(logs, '{ $.route = "POST /count" && $.status = 200 }')
    filters = logs.describe_metric_filters(logGroupName="/aws/lambda/counter")["metricFilters"]
    assert [f["filterPattern"] for f in filters] == ['{ $.route = "POST /count" && $.status = 200 }']


def test_put_metric_filter_needs_the_log_group(logs):
    with pytest.raises(ClientError) as caught:
        put(logs, "{ $.status = 200 }", group="/aws/lambda/none")
    assert caught.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_put_metric_filter_rejects_an_invalid_pattern(logs):
    logs.create_log_group(logGroupName="/aws/lambda/counter")
    with pytest.raises(ClientError) as caught:
        put(logs, "{ $.status = }")
    assert caught.value.response["Error"]["Code"] == "InvalidParameterException"
    assert logs.describe_metric_filters(logGroupName="/aws/lambda/counter")["metricFilters"] == []


def test_delete_log_group_deletes_its_metric_filters(logs):
    logs.create_log_group(logGroupName="/aws/lambda/counter")
    logs.create_log_group(logGroupName="/aws/lambda/other")
    put(logs, "{ $.status = 200 }")
    put(logs, "{ $.status = 200 }", group="/aws/lambda/other")
    logs.delete_log_group(logGroupName="/aws/lambda/counter")
    logs.create_log_group(logGroupName="/aws/lambda/counter")
    assert logs.describe_metric_filters(logGroupName="/aws/lambda/counter")["metricFilters"] == []
    assert [f["filterName"] for f in logs.describe_metric_filters(logGroupName="/aws/lambda/other")["metricFilters"]] == ["visits"]


@pytest.mark.parametrize("days", [1096, 3288, 3653])
def test_put_retention_policy_accepts_the_documented_values(logs, days):
    logs.create_log_group(logGroupName="/aws/lambda/counter")
    logs.put_retention_policy(logGroupName="/aws/lambda/counter", retentionInDays=days)
    assert logs.describe_log_groups(logGroupNamePrefix="/aws/lambda/counter")["logGroups"][0]["retentionInDays"] == days


@pytest.mark.parametrize("days", [2, 31, 4000])
def test_put_retention_policy_rejects_other_values(logs, days):
    logs.create_log_group(logGroupName="/aws/lambda/counter")
    logs.put_retention_policy(logGroupName="/aws/lambda/counter", retentionInDays=30)
    with pytest.raises(ClientError) as caught:
        logs.put_retention_policy(logGroupName="/aws/lambda/counter", retentionInDays=days)
    assert caught.value.response["Error"]["Code"] == "InvalidParameterException"
    assert "retentionInDays" in caught.value.response["Error"]["Message"]
    assert logs.describe_log_groups(logGroupNamePrefix="/aws/lambda/counter")["logGroups"][0]["retentionInDays"] == 30


def test_associate_kms_key_sets_the_groups_key(logs):
    key = "arn:aws:kms:us-east-2:123456789012:key/12345678-1234-1234-1234-123456789012"
    logs.create_log_group(logGroupName="/aws/lambda/counter")
    logs.associate_kms_key(logGroupName="/aws/lambda/counter", kmsKeyId=key)
    assert logs.describe_log_groups(logGroupNamePrefix="/aws/lambda/counter")["logGroups"][0]["kmsKeyId"] == key
    with pytest.raises(ClientError) as caught:
        logs.associate_kms_key(logGroupName="/aws/lambda/none", kmsKeyId=key)
    assert caught.value.response["Error"]["Code"] == "ResourceNotFoundException"
