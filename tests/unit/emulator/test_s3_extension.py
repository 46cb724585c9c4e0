"""boto3 round trips for tools/emulator/extensions/s3.py (bucket policy conditions evaluated against the request context)."""
from __future__ import annotations

import json

import boto3
import pytest
from botocore.exceptions import ClientError

BUCKET = "site-bucket"


@pytest.fixture
def s3(aws):
    client = boto3.client("s3", region_name="us-east-2")
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "us-east-2"})
    return client


def _policy(s3, *statements):
    s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps({"Version": "2012-10-17", "Statement": list(statements)}))


def _deny_tls(value):
    return {"Effect": "Deny", "Principal": "*", "Action": "s3:*",
            "Resource": [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"],
            "Condition": {"Bool": {"aws:SecureTransport": value}}}


CLOUDFRONT_ONLY = {"Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"}, "Action": "s3:GetObject",
                   "Resource": f"arn:aws:s3:::{BUCKET}/*",
                   "Condition": {"StringEquals": {"AWS:SourceArn": "arn:aws:cloudfront::123456789012:distribution/E1"}}}


def test_deny_without_tls_lets_sdk_calls_through(s3):
    _policy(s3, CLOUDFRONT_ONLY, _deny_tls("false"))
    s3.put_object(Bucket=BUCKET, Key="index.html", Body=b"<html>")
    assert s3.get_object(Bucket=BUCKET, Key="index.html")["Body"].read() == b"<html>"
    s3.delete_objects(Bucket=BUCKET, Delete={"Objects": [{"Key": "index.html"}]})


def test_a_condition_that_holds_still_denies(s3):
    _policy(s3, _deny_tls("true"))
    with pytest.raises(ClientError) as denied:
        s3.put_object(Bucket=BUCKET, Key="index.html", Body=b"<html>")
    assert denied.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_a_condition_on_a_key_missing_from_the_context_does_not_hold(s3):
    deny = {"Effect": "Deny", "Principal": "*", "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::{BUCKET}/*",
            "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1"}}}
    _policy(s3, deny)
    s3.put_object(Bucket=BUCKET, Key="a", Body=b"x")
    deny["Condition"] = {"StringEqualsIfExists": {"aws:SourceVpce": "vpce-1"}, "Bool": {"aws:SecureTransport": "true"}}
    _policy(s3, deny)
    with pytest.raises(ClientError):
        s3.put_object(Bucket=BUCKET, Key="b", Body=b"x")


def test_unconditional_deny_for_everyone_denies(s3):
    _policy(s3, {"Effect": "Deny", "Principal": "*", "Action": "s3:PutObject", "Resource": f"arn:aws:s3:::{BUCKET}/*"})
    with pytest.raises(ClientError):
        s3.put_object(Bucket=BUCKET, Key="a", Body=b"x")


def _other_account_s3():
    """An S3 client of account 111111111111 (moto gives assumed-role credentials the role's account)."""
    credentials = boto3.client("sts", region_name="us-east-2").assume_role(
        RoleArn="arn:aws:iam::111111111111:role/neighbour", RoleSessionName="neighbour")["Credentials"]
    return boto3.client("s3", region_name="us-east-2", aws_access_key_id=credentials["AccessKeyId"],
                        aws_secret_access_key=credentials["SecretAccessKey"],
                        aws_session_token=credentials["SessionToken"])


def test_a_bucket_of_another_account_is_taken_and_not_readable(aws):
    _other_account_s3().create_bucket(Bucket="taken-name", CreateBucketConfiguration={"LocationConstraint": "us-east-2"})
    ours = boto3.client("s3", region_name="us-east-2")
    with pytest.raises(ClientError) as created:
        ours.create_bucket(Bucket="taken-name", CreateBucketConfiguration={"LocationConstraint": "us-east-2"})
    assert created.value.response["Error"]["Code"] == "BucketAlreadyExists"
    assert created.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    with pytest.raises(ClientError) as headed:
        ours.head_bucket(Bucket="taken-name")
    assert headed.value.response["Error"]["Code"] == "403"
    with pytest.raises(ClientError) as written:
        ours.put_object(Bucket="taken-name", Key="index.html", Body=b"<html>")
    assert written.value.response["Error"]["Code"] == "AccessDenied"
    assert [b["Name"] for b in ours.list_buckets()["Buckets"]] == []
    assert _other_account_s3().head_bucket(Bucket="taken-name")["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_a_missing_bucket_is_still_404(aws):
    with pytest.raises(ClientError) as headed:
        boto3.client("s3", region_name="us-east-2").head_bucket(Bucket="nobody-has-this")
    assert headed.value.response["Error"]["Code"] == "404"
