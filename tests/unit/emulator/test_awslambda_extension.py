"""boto3 round trips for tools/emulator/extensions/awslambda.py: GetFunction's Code.Location downloads the package."""
from __future__ import annotations

import io
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
