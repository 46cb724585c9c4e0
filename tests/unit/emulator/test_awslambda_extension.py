"""boto3 round trips for tools/emulator/extensions/awslambda.py: GetFunction's Code.Location downloads the package."""
from __future__ import annotations

import io
import json
import zipfile
from urllib.parse import urlsplit

import boto3
import pytest
import requests

REGION = "us-east-2"


def package(source: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", source)
    return buffer.getvalue()


@pytest.fixture
def lam(aws):
    iam = boto3.client("iam", region_name=REGION)
    role = iam.create_role(RoleName="r", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    client = boto3.client("lambda", region_name=REGION)
    client.create_function(FunctionName="fn", Runtime="python3.12", Role=role, Handler="app.handler",
                           Code={"ZipFile": package("def handler(e, c):\n    return 1\n")})
    return client


def test_get_function_returns_a_location_that_downloads_the_zip(lam):
    code = lam.get_function(FunctionName="fn")["Code"]
    assert code["RepositoryType"] == "S3"
    parts = urlsplit(code["Location"])
    assert parts.scheme == "https" and parts.netloc == f"awslambda-{REGION}-tasks.s3.{REGION}.amazonaws.com"
    assert parts.path.startswith("/snapshots/123456789012/fn-")
    response = requests.get(code["Location"], timeout=5)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert archive.read("app.py").startswith(b"def handler")


def test_location_of_replaced_code_is_refused(lam):
    stale = lam.get_function(FunctionName="fn")["Code"]["Location"]
    lam.update_function_code(FunctionName="fn", ZipFile=package("def handler(e, c):\n    return 2\n"))
    assert requests.get(stale, timeout=5).status_code == 403
    fresh = requests.get(lam.get_function(FunctionName="fn")["Code"]["Location"], timeout=5)
    with zipfile.ZipFile(io.BytesIO(fresh.content)) as archive:
        assert b"return 2" in archive.read("app.py")


def test_ordinary_s3_objects_are_untouched(lam):
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="plain-bucket", CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_object(Bucket="plain-bucket", Key="k", Body=b"v")
    assert s3.get_object(Bucket="plain-bucket", Key="k")["Body"].read() == b"v"


def test_a_published_versions_location_downloads_that_versions_code(lam):
    first = lam.publish_version(FunctionName="fn")["Version"]
    lam.update_function_code(FunctionName="fn", ZipFile=package("def handler(e, c):\n    return 2\n"))
    old = lam.get_function(FunctionName="fn", Qualifier=first)["Code"]["Location"]
    with zipfile.ZipFile(io.BytesIO(requests.get(old, timeout=5).content)) as archive:
        assert b"return 1" in archive.read("app.py")


def invoke_statement(sid, source="arn:aws:execute-api:us-east-2:123456789012:abc/*/*/count"):
    return {"StatementId": sid, "Action": "lambda:InvokeFunction", "Principal": "apigateway.amazonaws.com",
            "SourceArn": source}


def sids(lam, **qualifier):
    try:
        return [s["Sid"] for s in json.loads(lam.get_policy(FunctionName="fn", **qualifier)["Policy"])["Statement"]]
    except lam.exceptions.ResourceNotFoundException:
        return None


def test_each_alias_has_its_own_resource_policy(lam):
    version = lam.publish_version(FunctionName="fn")["Version"]
    lam.create_alias(FunctionName="fn", Name="live", FunctionVersion=version)
    lam.add_permission(FunctionName="fn", Qualifier="live", **invoke_statement("api"))
    assert sids(lam) is None  # the unqualified function has no policy
    assert sids(lam, Qualifier="live") == ["api"]
    assert sids(lam, Qualifier=version) is None  # nor the version the alias points at
    statement = json.loads(lam.get_policy(FunctionName="fn:live")["Policy"])["Statement"][0]
    assert statement["Resource"] == "arn:aws:lambda:us-east-2:123456789012:function:fn:live"
    lam.add_permission(FunctionName="fn", **invoke_statement("api"))  # the same id on another resource is allowed
    lam.remove_permission(FunctionName="fn", StatementId="api")
    assert sids(lam) is None and sids(lam, Qualifier="live") == ["api"]
    lam.remove_permission(FunctionName="fn", StatementId="api", Qualifier="live")
    assert sids(lam, Qualifier="live") is None


def test_a_permission_on_an_unknown_alias_is_refused(lam):
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.add_permission(FunctionName="fn", Qualifier="nope", **invoke_statement("api"))
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.remove_permission(FunctionName="fn", StatementId="api")


def test_tracing_config_is_kept_and_published(lam):
    assert lam.get_function_configuration(FunctionName="fn")["TracingConfig"] == {"Mode": "PassThrough"}
    lam.update_function_configuration(FunctionName="fn", TracingConfig={"Mode": "Active"})
    assert lam.get_function_configuration(FunctionName="fn")["TracingConfig"] == {"Mode": "Active"}
    version = lam.publish_version(FunctionName="fn")["Version"]
    assert lam.get_function_configuration(FunctionName="fn", Qualifier=version)["TracingConfig"] == {"Mode": "Active"}


@pytest.mark.parametrize("reserved", [0, 3])
def test_get_function_reports_a_reserved_concurrency_zero_included(lam, reserved):
    assert "Concurrency" not in lam.get_function(FunctionName="fn")
    lam.put_function_concurrency(FunctionName="fn", ReservedConcurrentExecutions=reserved)
    assert lam.get_function(FunctionName="fn")["Concurrency"] == {"ReservedConcurrentExecutions": reserved}
    lam.delete_function_concurrency(FunctionName="fn")
    assert "Concurrency" not in lam.get_function(FunctionName="fn")
