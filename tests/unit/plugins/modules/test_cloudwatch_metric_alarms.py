"""cloudresume.aws.cloudwatch_metric_alarms against in-process moto (with the emulator's extensions)."""
from __future__ import annotations

import boto3
import pytest

from tests.unit.aws_calls import mutating_operations
from tests.unit.aws_calls import record_calls
from ansible_collections.cloudresume.aws.plugins.modules import cloudwatch_metric_alarms

TOPIC = "arn:aws:sns:us-east-2:123456789012:alarms"
TAGS = {"Stack": "cloudresume", "Owner": "site"}


def alarm(name, **extra):
    return {"name": name, "description": f"{name} errors > 5 in 300 s", "namespace": "AWS/Lambda",
            "metric_name": "Errors", "dimensions": {"FunctionName": "counter", "Resource": "counter:live"},
            "statistic": "Sum", "comparison": "GreaterThanThreshold", "threshold": 5, "period": 300,
            "evaluation_periods": 2, "datapoints_to_alarm": 2, "treat_missing_data": "notBreaching",
            "alarm_actions": [TOPIC], "ok_actions": [TOPIC], **extra}


def without(settings, *keys):
    return {k: v for k, v in settings.items() if k not in keys}


ALARMS = [alarm("errors"), alarm("throttles", metric_name="Throttles", threshold=10),
          without(alarm("latency", namespace="AWS/ApiGateway", metric_name="Latency", dimensions={"ApiId": "a1b2c3"},
                        extended_statistic="p99", threshold=1000), "statistic")]


@pytest.fixture
def cw(aws):
    return boto3.client("cloudwatch", region_name="us-east-2")


def ensure(run_module, alarms=None, **kwargs):
    args = {"alarms": ALARMS if alarms is None else alarms, "tags": TAGS}
    args.update({k: kwargs.pop(k) for k in ("tags", "purge_tags", "state") if k in kwargs})
    return run_module(cloudwatch_metric_alarms, args, diff=True, **kwargs)


def stored(cw, names=None):
    return {a["AlarmName"]: a for a in cw.describe_alarms(**({"AlarmNames": names} if names else {}))["MetricAlarms"]}


def everything(cw):
    return [a["AlarmName"] for page in cw.get_paginator("describe_alarms").paginate() for a in page["MetricAlarms"]]


def tags_of(cw, name):
    arn = stored(cw, [name])[name]["AlarmArn"]
    return {t["Key"]: t["Value"] for t in cw.list_tags_for_resource(ResourceARN=arn)["Tags"]}


def test_create_all_in_one_read_and_one_write_each_with_their_tags(run_module, cw):
    (result, failed), calls = record_calls(lambda: ensure(run_module))
    assert not failed and result["changed"]
    assert [r["result"] for r in result["alarms"]] == ["created"] * 3
    assert mutating_operations(calls) == ["PutMetricAlarm"] * 3
    assert calls.count("DescribeAlarms") == 2  # the read, and the new alarms' ARNs
    alarms = stored(cw)
    errors = alarms["errors"]
    assert errors["Namespace"] == "AWS/Lambda" and errors["MetricName"] == "Errors" and errors["Statistic"] == "Sum"
    assert sorted(errors["Dimensions"], key=lambda d: d["Name"]) == [
        {"Name": "FunctionName", "Value": "counter"}, {"Name": "Resource", "Value": "counter:live"}]
    assert errors["Threshold"] == 5.0 and errors["Period"] == 300 and errors["EvaluationPeriods"] == 2
    assert errors["DatapointsToAlarm"] == 2 and errors["TreatMissingData"] == "notBreaching"
    assert errors["AlarmActions"] == [TOPIC] and errors["OKActions"] == [TOPIC]
    assert errors["AlarmDescription"] == "errors errors > 5 in 300 s"
    assert alarms["latency"]["ExtendedStatistic"] == "p99" and "Statistic" not in alarms["latency"]
    assert all(tags_of(cw, name) == TAGS for name in alarms)
    assert [r["alarm_arn"] for r in result["alarms"]] == [alarms[a["name"]]["AlarmArn"] for a in ALARMS]
    assert result["alarms"][0]["tags"] == TAGS and result["alarms"][0]["settings"]["threshold"] == 5.0


def test_rerun_is_one_describe_and_the_tags_of_each_alarm_and_no_write(run_module, cw):
    ensure(run_module)
    (result, failed), calls = record_calls(lambda: ensure(run_module))
    assert not failed and not result["changed"]
    assert calls == ["DescribeAlarms"] + ["ListTagsForResource"] * 3
    assert [(r["result"], r["changes"]) for r in result["alarms"]] == [("unchanged", [])] * 3
    assert all(d["before"] == d["after"] for d in result["diff"])


def test_without_tags_the_rerun_is_a_single_describe(run_module, cw):
    ensure(run_module)
    (result, failed), calls = record_calls(lambda: ensure(run_module, tags=None))
    assert not failed and not result["changed"]
    assert calls == ["DescribeAlarms"]
    assert tags_of(cw, "errors") == TAGS and result["alarms"][0]["tags"] is None


def test_what_aws_fills_in_or_reorders_is_no_change(run_module, cw):
    cw.put_metric_alarm(AlarmName="plain", Namespace="AWS/Lambda", MetricName="Errors", Statistic="Sum", Period=60,
                        EvaluationPeriods=3, DatapointsToAlarm=3, Threshold=1, ComparisonOperator="GreaterThanThreshold",
                        Dimensions=[{"Name": "Resource", "Value": "7"}, {"Name": "FunctionName", "Value": "counter"}],
                        AlarmActions=["arn:aws:sns:us-east-2:123456789012:b", TOPIC])
    wanted = {"name": "plain", "namespace": "AWS/Lambda", "metric": "Errors", "statistic": "Sum", "period": 60,
              "evaluation_periods": 3, "threshold": "1", "comparison": "GreaterThanThreshold",
              "dimensions": {"FunctionName": "counter", "Resource": 7},
              "alarm_actions": [TOPIC, "arn:aws:sns:us-east-2:123456789012:b"]}
    (result, failed), calls = record_calls(lambda: ensure(run_module, [wanted], tags=None))
    assert not failed and not result["changed"], result
    assert calls == ["DescribeAlarms"]


def test_one_changed_threshold_is_one_write(run_module, cw):
    ensure(run_module)
    changed = [ALARMS[0], dict(ALARMS[1], threshold=20), ALARMS[2]]
    (result, failed), calls = record_calls(lambda: ensure(run_module, changed))
    assert not failed and result["changed"]
    assert mutating_operations(calls) == ["PutMetricAlarm"]
    assert [(r["result"], r["changes"]) for r in result["alarms"]] == [
        ("unchanged", []), ("updated", ["threshold"]), ("unchanged", [])]
    assert stored(cw)["throttles"]["Threshold"] == 20.0
    assert tags_of(cw, "throttles") == TAGS
    assert result["diff"][1]["before"]["threshold"] == 10.0 and result["diff"][1]["after"]["threshold"] == 20.0


def test_unset_optional_settings_are_removed(run_module, cw):
    ensure(run_module)
    bare = without(ALARMS[0], "description", "datapoints_to_alarm", "ok_actions")
    result, failed = ensure(run_module, [dict(bare, evaluation_periods=3)])
    assert not failed
    assert result["alarms"][0]["changes"] == ["description", "evaluation_periods", "datapoints_to_alarm", "ok_actions"]
    errors = stored(cw)["errors"]
    assert "AlarmDescription" not in errors or errors["AlarmDescription"] == ""
    assert errors["OKActions"] == [] and errors["EvaluationPeriods"] == 3


def test_tags_updated_with_tag_and_untag_only(run_module, cw):
    ensure(run_module)
    (result, failed), calls = record_calls(lambda: ensure(run_module, tags={"Stack": "cloudresume", "Env": "prod"}))
    assert not failed and result["changed"]
    assert sorted(mutating_operations(calls)) == ["TagResource"] * 3 + ["UntagResource"] * 3
    assert [r["changes"] for r in result["alarms"]] == [["tags"]] * 3
    assert tags_of(cw, "latency") == {"Stack": "cloudresume", "Env": "prod"}
    assert result["diff"][0]["before"]["tags"] == TAGS
    assert result["diff"][0]["after"]["tags"] == {"Stack": "cloudresume", "Env": "prod"}


def test_purge_tags_false_keeps_other_tags(run_module, cw):
    ensure(run_module)
    result, failed = ensure(run_module, tags={"Env": "prod"}, purge_tags=False)
    assert not failed and result["changed"]
    assert tags_of(cw, "errors") == dict(TAGS, Env="prod")


def test_check_mode_creates_nothing_and_reports_the_plan(run_module, cw):
    (result, failed), calls = record_calls(lambda: ensure(run_module, check_mode=True))
    assert not failed and result["changed"]
    assert mutating_operations(calls) == [] and calls == ["DescribeAlarms"]
    assert [r["result"] for r in result["alarms"]] == ["created"] * 3
    assert result["alarms"][0]["alarm_arn"] is None
    assert stored(cw) == {}
    assert result["diff"][0]["before"] == {} and result["diff"][0]["after"]["tags"] == TAGS


def test_check_mode_reports_an_update_without_making_it(run_module, cw):
    ensure(run_module)
    changed = [dict(ALARMS[0], comparison="GreaterThanOrEqualToThreshold")] + ALARMS[1:]
    (result, failed), calls = record_calls(lambda: ensure(run_module, changed, tags={"Stack": "x"}, check_mode=True))
    assert not failed and result["changed"]
    assert mutating_operations(calls) == []
    assert result["alarms"][0]["changes"] == ["comparison", "tags"]
    assert stored(cw)["errors"]["ComparisonOperator"] == "GreaterThanThreshold" and tags_of(cw, "errors") == TAGS


def test_absent_deletes_exactly_the_named_alarms(run_module, cw):
    ensure(run_module)
    ensure(run_module, [alarm("errors-other")])
    names = [{"name": "errors"}, {"name": "latency"}, {"name": "never-created"}]
    (check, failed), calls = record_calls(lambda: ensure(run_module, names, state="absent", check_mode=True))
    assert not failed and check["changed"] and mutating_operations(calls) == []
    assert len(stored(cw)) == 4
    (result, failed), calls = record_calls(lambda: ensure(run_module, names, state="absent"))
    assert not failed and result["changed"]
    assert calls == ["DescribeAlarms", "DeleteAlarms"]
    assert [r["result"] for r in result["alarms"]] == ["deleted", "deleted", "absent"]
    assert sorted(stored(cw)) == ["errors-other", "throttles"]
    assert result["diff"][0]["before"]["metric_name"] == "Errors" and result["diff"][0]["after"] == {}
    again, failed = ensure(run_module, names, state="absent")
    assert not failed and not again["changed"]


def test_bad_input_names_each_field_and_calls_nothing(run_module, cw):
    bad = [ALARMS[0],
           without(ALARMS[1], "threshold"),
           dict(ALARMS[2], period=45, extended_statistic="p101"),
           dict(ALARMS[0], evaluation_periods=2, datapoints_to_alarm=3, alarm_actions=["not-an-arn"]),
           dict(ALARMS[0], dimensions={"FunctionName": ""})]
    (result, failed), calls = record_calls(lambda: ensure(run_module, bad, tags={"aws:stack": "x"}))
    assert failed and calls == []
    message = result["msg"]
    for field in ("alarms[1].threshold: required", "alarms[2].period: 45 s", "alarms[2].extended_statistic: 'p101'",
                  "alarms[3].name: 'errors' is also alarms[0]", "alarms[3].datapoints_to_alarm: must be 1 to",
                  "alarms[3].alarm_actions: 'not-an-arn'", "alarms[4].name", "alarms[4].dimensions: FunctionName",
                  "tags: tag key 'aws:stack'"):
        assert field in message, (field, message)
    assert stored(cw) == {}


def test_an_evaluation_window_over_a_day_is_refused(run_module, cw):
    result, failed = ensure(run_module, [dict(without(ALARMS[0], "datapoints_to_alarm"), period=600, evaluation_periods=145)])
    assert failed and result["msg"].startswith("alarms[0].evaluation_periods: 145 periods of 600 s exceed")


def test_statistic_and_extended_statistic_are_exclusive_and_one_is_required(run_module, cw):
    result, failed = ensure(run_module, [dict(ALARMS[0], extended_statistic="p90")])
    assert failed and "statistic|extended_statistic" in result["msg"]
    result, failed = ensure(run_module, [without(ALARMS[0], "statistic")])
    assert failed and result["msg"] == "alarms[0]: one of statistic or extended_statistic is required with state=present"


def test_absent_needs_only_names(run_module, cw):
    result, failed = ensure(run_module, [{"name": "errors", "period": 45}], state="absent")
    assert not failed and result["alarms"][0]["result"] == "absent"


def test_more_than_100_alarms_are_read_100_names_a_call(run_module, cw):
    many = [alarm(f"alarm-{i:03}") for i in range(130)]
    created, failed = ensure(run_module, many, tags=None)
    assert not failed and len(everything(cw)) == 130
    (result, failed), calls = record_calls(lambda: ensure(run_module, many, tags=None))
    assert not failed and not result["changed"]
    assert calls == ["DescribeAlarms", "DescribeAlarms"]
    assert all(r["alarm_arn"] for r in created["alarms"])
    (removed, failed), calls = record_calls(lambda: ensure(run_module, many, state="absent"))
    assert not failed and calls == ["DescribeAlarms"] * 2 + ["DeleteAlarms"] * 2
    assert everything(cw) == []
