"""cloudresume.aws.lambda_release against in-process moto (with the emulator's Lambda extension)."""
from __future__ import annotations

import io
import zipfile

import boto3
import pytest

from ansible_collections.cloudresume.aws.plugins.modules import lambda_release

ARGS = {"function_name": "counter", "alias": "live"}


def package(body: str) -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("counter.py", f"def handler(event, context):\n    return {body}\n")
    return archive.getvalue()


@pytest.fixture
def function(aws):
    role = boto3.client("iam", region_name="us-east-2").create_role(
        RoleName="counter-role", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    client = boto3.client("lambda", region_name="us-east-2")
    client.create_function(FunctionName="counter", Runtime="python3.13", Role=role, Handler="counter.handler",
                           Description="visitor counter", Code={"ZipFile": package("1")})
    return client


def versions(client) -> list[str]:
    return [v["Version"] for v in client.list_versions_by_function(FunctionName="counter")["Versions"]]


def alias_version(client) -> str:
    return client.get_alias(FunctionName="counter", Name="live")["FunctionVersion"]


def test_first_run_publishes_and_creates_the_alias_then_is_idempotent(run_module, function):
    result, failed = run_module(lambda_release, ARGS, diff=True)
    assert not failed and result["changed"] and result["published"]
    assert result["function_version"] == "1" and result["previous_version"] is None
    assert result["diff"] == {"before": {"alias": "live", "function_version": None},
                              "after": {"alias": "live", "function_version": "1"}}
    assert result["alias_arn"] == "arn:aws:lambda:us-east-2:123456789012:function:counter:live"
    assert alias_version(function) == "1"
    again = run_module(lambda_release, ARGS)[0]
    assert not again["changed"] and not again["published"] and versions(function) == ["$LATEST", "1"]


@pytest.mark.parametrize("change", [
    {"ZipFile": package("2")},
    {"MemorySize": 512},
    {"Environment": {"Variables": {"A": "b"}}},
    {"TracingConfig": {"Mode": "Active"}},
])
def test_a_code_or_configuration_change_publishes_a_new_version(run_module, function, change):
    run_module(lambda_release, ARGS)
    if "ZipFile" in change:
        function.update_function_code(FunctionName="counter", **change)
    else:
        function.update_function_configuration(FunctionName="counter", **change)
    result = run_module(lambda_release, ARGS, diff=True)[0]
    assert result["changed"] and result["published"] and result["previous_version"] == "1"
    assert result["function_version"] == "2" and alias_version(function) == "2"


def test_check_mode_plans_the_publication_and_changes_nothing(run_module, function):
    run_module(lambda_release, ARGS)
    function.update_function_code(FunctionName="counter", ZipFile=package("2"))
    result = run_module(lambda_release, ARGS, check_mode=True, diff=True)[0]
    assert result["changed"] and result["published"] and result["function_version"] == "new"
    assert result["diff"]["before"]["function_version"] == "1"
    assert versions(function) == ["$LATEST", "1"] and alias_version(function) == "1"


def test_an_interrupted_run_is_completed_without_a_second_version(run_module, function):
    run_module(lambda_release, ARGS)
    function.update_function_code(FunctionName="counter", ZipFile=package("2"))
    function.publish_version(FunctionName="counter")  # published, then killed before the alias moved
    result = run_module(lambda_release, ARGS)[0]
    assert result["changed"] and not result["published"] and alias_version(function) == "2"
    assert versions(function) == ["$LATEST", "1", "2"]


def test_rollback_points_the_alias_at_the_previous_version(run_module, function):
    run_module(lambda_release, ARGS)
    function.update_function_code(FunctionName="counter", ZipFile=package("2"))
    run_module(lambda_release, ARGS)
    planned = run_module(lambda_release, {**ARGS, "target": "previous"}, check_mode=True, diff=True)[0]
    assert planned["changed"] and planned["diff"]["before"]["function_version"] == "2"
    assert planned["diff"]["after"]["function_version"] == "1" and alias_version(function) == "2"
    result = run_module(lambda_release, {**ARGS, "target": "previous"})[0]
    assert result["changed"] and not result["published"] and alias_version(function) == "1"
    assert result["code_sha256"] == function.get_function(FunctionName="counter", Qualifier="1")["Configuration"]["CodeSha256"]
    assert versions(function) == ["$LATEST", "1", "2"]


def test_rollback_without_an_earlier_version_fails_and_changes_nothing(run_module, function):
    run_module(lambda_release, ARGS)
    result, failed = run_module(lambda_release, {**ARGS, "target": "previous"})
    assert failed and "points at version 1" in result["msg"] and "no earlier published version" in result["msg"]
    assert result["msg"].startswith("target:") and alias_version(function) == "1"


def test_rollback_without_the_alias_fails(run_module, function):
    result, failed = run_module(lambda_release, {**ARGS, "target": "previous"})
    assert failed and result["msg"].startswith("alias:") and "no alias live" in result["msg"]


def test_a_missing_function_is_named(run_module, aws):
    result, failed = run_module(lambda_release, {**ARGS, "function_name": "nope"})
    assert failed and result["msg"] == "function_name: function nope does not exist"
