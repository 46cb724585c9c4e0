"""cloudresume.aws.lambda_function_info against in-process moto."""
from __future__ import annotations

import io
import zipfile

import boto3
import pytest

from ansible_collections.cloudresume.aws.plugins.modules import lambda_function_info as module


@pytest.fixture
def functions(aws):
    role = boto3.client("iam", region_name="us-east-2").create_role(
        RoleName="counter", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("counter.py", "def handler(event, context):\n    return {}\n")
    client = boto3.client("lambda", region_name="us-east-2")
    for name in ("counter", "counter-old"):
        client.create_function(FunctionName=name, Runtime="python3.13", Role=role, Handler="counter.handler",
                               Code={"ZipFile": archive.getvalue()},
                               Environment={"Variables": {"TABLE_NAME": f"{name}-table"}})
    return client


def test_reads_the_named_function_only(run_module, functions, operations):
    result, failed = run_module(module, {"name": "counter"})
    assert not failed and not result["changed"] and result["exists"]
    assert result["function"]["function_name"] == "counter"
    assert result["function"]["environment"]["variables"] == {"TABLE_NAME": "counter-table"}
    assert operations == ["GetFunctionConfiguration"]


def test_a_missing_function_is_reported_not_raised(run_module, functions):
    result, failed = run_module(module, {"name": "counter-new"})
    assert not failed and not result["changed"]
    assert result["exists"] is False and result["function"] == {}


def test_name_is_required(run_module, functions):
    result, failed = run_module(module, {"name": ""})
    assert failed and result["msg"].startswith("name:")
