"""boto3 round trips for tools/emulator/extensions/cloudwatch.py (DescribeAlarms limits and pages, alarm tags)."""
from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError


@pytest.fixture
def cw(aws):
    return boto3.client("cloudwatch", region_name="us-east-2")


def put(cw, name, **extra):
    cw.put_metric_alarm(AlarmName=name, Namespace="AWS/Lambda", MetricName="Errors", Statistic="Sum", Period=300,
                        EvaluationPeriods=1, Threshold=5, ComparisonOperator="GreaterThanThreshold", **extra)
    return f"arn:aws:cloudwatch:us-east-2:123456789012:alarm:{name}"


def tags(cw, arn):
    return {t["Key"]: t["Value"] for t in cw.list_tags_for_resource(ResourceARN=arn)["Tags"]}


def test_more_than_100_alarm_names_are_rejected(cw):
    put(cw, "a")
    with pytest.raises(ClientError) as error:
        cw.describe_alarms(AlarmNames=[f"n{i}" for i in range(101)])
    assert error.value.response["Error"]["Code"] == "ValidationError"
    assert "less than or equal to 100" in error.value.response["Error"]["Message"]
    assert [a["AlarmName"] for a in cw.describe_alarms(AlarmNames=["a"] + [f"n{i}" for i in range(99)])["MetricAlarms"]] == ["a"]


def test_pages_of_50_by_default_and_of_max_records(cw):
    names = [f"alarm-{i:03}" for i in range(120)]
    for name in names:
        put(cw, name)
    first = cw.describe_alarms()
    assert len(first["MetricAlarms"]) == 50 and first["NextToken"]
    second = cw.describe_alarms(NextToken=first["NextToken"], MaxRecords=100)
    assert len(second["MetricAlarms"]) == 70 and "NextToken" not in second
    paged = [a["AlarmName"] for page in cw.get_paginator("describe_alarms").paginate(PaginationConfig={"PageSize": 30})
             for a in page["MetricAlarms"]]
    assert sorted(paged) == names
    wanted = names[:100]
    page = cw.describe_alarms(AlarmNames=wanted, MaxRecords=100)
    assert sorted(a["AlarmName"] for a in page["MetricAlarms"]) == wanted and "NextToken" not in page


def test_max_records_above_100_and_a_foreign_token_are_rejected(cw):
    with pytest.raises(ClientError) as error:
        cw.describe_alarms(MaxRecords=101)
    assert error.value.response["Error"]["Code"] == "ValidationError"
    with pytest.raises(ClientError) as error:
        cw.describe_alarms(NextToken="not-a-token")
    assert error.value.response["Error"]["Code"] == "InvalidNextToken"


def test_tags_are_set_on_create_and_ignored_on_update(cw):
    arn = put(cw, "a", Tags=[{"Key": "Stack", "Value": "one"}])
    assert tags(cw, arn) == {"Stack": "one"}
    put(cw, "a", Tags=[{"Key": "Stack", "Value": "two"}, {"Key": "Extra", "Value": "x"}])
    assert tags(cw, arn) == {"Stack": "one"}
    cw.tag_resource(ResourceARN=arn, Tags=[{"Key": "Stack", "Value": "two"}])
    assert tags(cw, arn) == {"Stack": "two"}


def test_deleted_alarm_has_no_tags_and_a_new_one_does_not_inherit_them(cw):
    arn = put(cw, "a", Tags=[{"Key": "Stack", "Value": "one"}])
    cw.delete_alarms(AlarmNames=["a"])
    with pytest.raises(ClientError) as error:
        cw.list_tags_for_resource(ResourceARN=arn)
    assert error.value.response["Error"]["Code"] == "ResourceNotFoundException"
    put(cw, "a")
    assert tags(cw, arn) == {}


def test_untag_an_alarm_without_tags_succeeds_and_a_missing_alarm_fails(cw):
    arn = put(cw, "plain")
    cw.untag_resource(ResourceARN=arn, TagKeys=["Stack"])
    assert tags(cw, arn) == {}
    with pytest.raises(ClientError) as error:
        cw.untag_resource(ResourceARN=arn.replace("plain", "missing"), TagKeys=["Stack"])
    assert error.value.response["Error"]["Code"] == "ResourceNotFoundException"
