"""cloudresume.aws.lambda_concurrency against in-process moto."""
from __future__ import annotations

import io
import zipfile
from unittest import mock

import boto3
import pytest

from ansible_collections.cloudresume.aws.plugins.modules import lambda_concurrency


@pytest.fixture
def function(aws):
    role = boto3.client("iam", region_name="us-east-2").create_role(
        RoleName="counter-role", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("counter.py", "def handler(event, context):\n    return {}\n")
    client = boto3.client("lambda", region_name="us-east-2")
    client.create_function(FunctionName="counter", Runtime="python3.13", Role=role, Handler="counter.handler",
                           Code={"ZipFile": archive.getvalue()})
    return client


def reserved(client) -> int | None:
    return client.get_function_concurrency(FunctionName="counter").get("ReservedConcurrentExecutions")


def test_reserves_then_is_idempotent(run_module, function):
    result, failed = run_module(lambda_concurrency, {"function_name": "counter", "reserved_concurrent_executions": 5},
                                diff=True)
    assert not failed and result["changed"]
    assert result["diff"] == {"before": {"reserved_concurrent_executions": None},
                              "after": {"reserved_concurrent_executions": 5}}
    assert reserved(function) == 5
    again = run_module(lambda_concurrency, {"function_name": "counter", "reserved_concurrent_executions": 5})[0]
    assert not again["changed"]


def test_absent_removes_the_reservation(run_module, function):
    function.put_function_concurrency(FunctionName="counter", ReservedConcurrentExecutions=3)
    result = run_module(lambda_concurrency, {"function_name": "counter", "state": "absent"})[0]
    assert result["changed"] and result["reserved_concurrent_executions"] is None
    assert reserved(function) is None
    assert not run_module(lambda_concurrency, {"function_name": "counter", "state": "absent"})[0]["changed"]


def test_check_mode_changes_nothing(run_module, function):
    result = run_module(lambda_concurrency, {"function_name": "counter", "reserved_concurrent_executions": 7},
                        check_mode=True)[0]
    assert result["changed"]
    assert reserved(function) is None


@pytest.mark.parametrize(("args", "field"), [
    ({"reserved_concurrent_executions": -1}, "reserved_concurrent_executions"),
    ({"reserved_concurrent_executions": 5000}, "reserved_concurrent_executions"),
])
def test_bad_input_fails_before_any_call(run_module, function, args, field):
    with mock.patch("botocore.client.BaseClient._make_api_call") as calls:
        result, failed = run_module(lambda_concurrency, {"function_name": "counter", **args})
    assert failed and result["msg"].startswith(f"{field}:")
    calls.assert_not_called()


def test_missing_function_is_named(run_module, function):
    result, failed = run_module(lambda_concurrency, {"function_name": "nope", "reserved_concurrent_executions": 1})
    assert failed and result["msg"] == "function_name: function nope does not exist"
