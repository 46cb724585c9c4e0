"""boto3 round trips for tools/emulator/consistency.py: each "not yet" and each throttle answers as AWS documents it.

The model behaviours run in-process (moto under ``mock_aws``) on a fake clock that ``time.sleep`` advances, so
botocore's waiters and AWSRetry's backoff wait on it without sleeping; throttling runs through the WSGI app.
"""
from __future__ import annotations

import importlib
import io
import json
import threading
import time
import zipfile

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from werkzeug.serving import make_server

from emulator import consistency
from emulator.__main__ import main as emulator_cli
from emulator.consistency import Profile
from emulator.requestlog import read_log
from emulator.server import build_app
from ansible_collections.cloudresume.aws.plugins.modules import cloudfront_s3_distribution, dynamodb_table

REGION = "us-east-2"
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(aws, monkeypatch):
    """The profile's clock, on which every ``time.sleep`` (waiters, retries) passes instead of sleeping."""
    fake = Clock()
    monkeypatch.setattr(time, "sleep", fake.advance)
    consistency.activate(Profile(role=3, pitr=2, function=2, cloudfront=3, throttle=0, clock=fake))
    yield fake
    consistency.deactivate()


def error(caught: pytest.ExceptionInfo[ClientError]) -> tuple[str, int, str]:
    response = caught.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Message"]


def package(body: str = "1") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", f"def handler(event, context):\n    return {body}\n")
    return buffer.getvalue()


def new_role(name: str = "fn-role") -> str:
    return boto3.client("iam", region_name=REGION).create_role(RoleName=name, AssumeRolePolicyDocument=TRUST)[
        "Role"]["Arn"]


def create_function(lam, role: str, name: str = "fn") -> dict:
    return lam.create_function(FunctionName=name, Runtime="python3.13", Role=role, Handler="app.handler",
                               Code={"ZipFile": package()})


@pytest.fixture
def lam(clock):
    return boto3.client("lambda", region_name=REGION)


@pytest.fixture
def active_function(lam, clock):
    """A function created once its role was assumable, and Active."""
    role = new_role()
    clock.advance(3)
    created = create_function(lam, role)
    clock.advance(2)
    return created


# ---- IAM role propagation ---------------------------------------------------------------------------------------
def test_a_new_role_is_not_assumable_by_lambda_for_a_while(lam, clock):
    role = new_role()
    with pytest.raises(ClientError) as early:
        create_function(lam, role)
    assert error(early) == ("InvalidParameterValueException", 400,
                            "The role defined for the function cannot be assumed by Lambda.")
    assert lam.list_functions()["Functions"] == []
    clock.advance(3)
    assert create_function(lam, role)["Role"] == role


def test_a_trust_policy_update_is_not_assumable_for_a_while_either(lam, clock, active_function):
    other = new_role("other-role")
    clock.advance(3)
    boto3.client("iam", region_name=REGION).update_assume_role_policy(RoleName="other-role", PolicyDocument=TRUST)
    with pytest.raises(ClientError) as early:
        lam.update_function_configuration(FunctionName="fn", Role=other)
    assert error(early)[:2] == ("InvalidParameterValueException", 400)
    assert lam.get_function_configuration(FunctionName="fn")["Role"] == active_function["Role"]
    clock.advance(3)
    assert lam.update_function_configuration(FunctionName="fn", Role=other)["Role"] == other


# ---- Lambda function states ---------------------------------------------------------------------------------------
def test_a_new_function_is_pending_and_refuses_what_aws_refuses(lam, clock):
    role = new_role()
    clock.advance(3)
    created = create_function(lam, role)
    assert (created["State"], created["StateReasonCode"]) == ("Pending", "Creating")
    assert lam.get_function(FunctionName="fn")["Configuration"]["State"] == "Pending"
    pending = ("ResourceConflictException", 409, "The operation cannot be performed at this time. The resource "
               f"{created['FunctionArn']} is currently in the following state: 'Pending'. StateReasonCode: 'Creating'")
    for call in (lambda: lam.update_function_configuration(FunctionName="fn", Timeout=5),
                 lambda: lam.update_function_code(FunctionName="fn", ZipFile=package("2")),
                 lambda: lam.publish_version(FunctionName="fn"),
                 lambda: lam.invoke(FunctionName="fn")):
        with pytest.raises(ClientError) as refused:
            call()
        assert error(refused) == pending
    lam.get_waiter("function_active_v2").wait(FunctionName="fn")
    assert lam.get_function_configuration(FunctionName="fn")["State"] == "Active"
    assert clock.now >= 1005


def test_an_update_is_in_progress_and_the_next_update_waits_for_it(lam, clock, active_function):
    updated = lam.update_function_configuration(FunctionName="fn", Timeout=5)
    assert (updated["State"], updated["LastUpdateStatus"]) == ("Active", "InProgress")
    in_progress = ("ResourceConflictException", 409, "The operation cannot be performed at this time. An update is in "
                   f"progress for resource: {active_function['FunctionArn']}")
    for call in (lambda: lam.update_function_code(FunctionName="fn", ZipFile=package("2")),
                 lambda: lam.update_function_configuration(FunctionName="fn", MemorySize=256),
                 lambda: lam.publish_version(FunctionName="fn")):
        with pytest.raises(ClientError) as refused:
            call()
        assert error(refused) == in_progress
    assert lam.get_function_configuration(FunctionName="fn")["MemorySize"] == 128
    lam.get_waiter("function_updated_v2").wait(FunctionName="fn")
    assert lam.get_function_configuration(FunctionName="fn")["LastUpdateStatus"] == "Successful"
    assert lam.update_function_code(FunctionName="fn", ZipFile=package("2"))["LastUpdateStatus"] == "InProgress"


def test_amazon_aws_lambda_waits_for_each_update_before_the_next(run_module, lam, active_function, tmp_path):
    """amazon.aws.lambda waits for Active and Successful before each update: config and code change in one run."""
    lambda_module = importlib.import_module("ansible_collections.amazon.aws.plugins.modules.lambda")
    zip_path = tmp_path / "package.zip"
    zip_path.write_bytes(package("3"))
    result, failed = run_module(lambda_module, {"name": "fn", "runtime": "python3.13", "handler": "app.handler",
                                                "role": active_function["Role"], "zip_file": str(zip_path),
                                                "memory_size": 256})
    assert not failed, result.get("msg")
    config = lam.get_function_configuration(FunctionName="fn")
    assert config["MemorySize"] == 256 and config["CodeSha256"] != active_function["CodeSha256"]


# ---- DynamoDB point-in-time recovery ----------------------------------------------------------------------------------
def test_point_in_time_recovery_is_unavailable_right_after_create_table(clock):
    ddb = boto3.client("dynamodb", region_name=REGION)
    ddb.create_table(TableName="visitors", BillingMode="PAY_PER_REQUEST",
                     KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])
    spec = {"PointInTimeRecoveryEnabled": True}
    with pytest.raises(ClientError) as early:
        ddb.update_continuous_backups(TableName="visitors", PointInTimeRecoverySpecification=spec)
    assert error(early) == ("ContinuousBackupsUnavailableException", 400,
                            "Backups are being enabled for the table: visitors. Please retry later")
    clock.advance(2)
    backups = ddb.update_continuous_backups(TableName="visitors", PointInTimeRecoverySpecification=spec)
    assert backups["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"][
        "PointInTimeRecoveryStatus"] == "ENABLED"


def test_dynamodb_table_retries_until_backups_can_be_enabled(run_module, clock):
    result, failed = run_module(dynamodb_table, {"name": "visitors", "hash_key_name": "counter_id"})
    assert not failed, result.get("msg")
    assert result["table"]["point_in_time_recovery"] is True
    assert clock.now >= 1002


# ---- CloudFront propagation -------------------------------------------------------------------------------------------
@pytest.fixture
def cf(clock):
    return boto3.client("cloudfront", region_name="us-east-1")


def distribution_config(cf, enabled: bool = True) -> dict:
    oac = cf.create_origin_access_control(OriginAccessControlConfig={
        "Name": f"oac-{enabled}", "Description": "", "SigningProtocol": "sigv4", "SigningBehavior": "always",
        "OriginAccessControlOriginType": "s3"})["OriginAccessControl"]["Id"]
    return {"CallerReference": f"site-{enabled}", "Comment": "site", "Enabled": enabled,
            "Origins": {"Quantity": 1, "Items": [{"Id": "s3", "DomainName": "site.s3.us-east-2.amazonaws.com",
                                                  "OriginAccessControlId": oac,
                                                  "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
            "DefaultCacheBehavior": {"TargetOriginId": "s3", "ViewerProtocolPolicy": "redirect-to-https",
                                     "CachePolicyId": CACHING_OPTIMIZED}}


def test_a_distribution_is_in_progress_before_it_is_deployed(cf, clock):
    created = cf.create_distribution(DistributionConfig=distribution_config(cf))["Distribution"]
    assert created["Status"] == "InProgress"
    assert cf.get_distribution(Id=created["Id"])["Distribution"]["Status"] == "InProgress"
    assert cf.list_distributions()["DistributionList"]["Items"][0]["Status"] == "InProgress"
    clock.advance(3)
    current = cf.get_distribution(Id=created["Id"])
    assert current["Distribution"]["Status"] == "Deployed"
    updated = cf.update_distribution(Id=created["Id"], IfMatch=current["ETag"],
                                     DistributionConfig=dict(current["Distribution"]["DistributionConfig"], Comment="x"))
    assert updated["Distribution"]["Status"] == "InProgress"
    cf.get_waiter("distribution_deployed").wait(Id=created["Id"], WaiterConfig={"Delay": 1, "MaxAttempts": 10})
    assert cf.get_distribution(Id=created["Id"])["Distribution"]["Status"] == "Deployed"


def test_a_disabled_distribution_is_deleted_only_once_deployed(cf, clock):
    created = cf.create_distribution(DistributionConfig=distribution_config(cf))
    clock.advance(3)
    config = dict(created["Distribution"]["DistributionConfig"], Enabled=False)
    etag = cf.update_distribution(Id=created["Distribution"]["Id"], IfMatch=created["ETag"],
                                  DistributionConfig=config)["ETag"]
    with pytest.raises(ClientError) as early:
        cf.delete_distribution(Id=created["Distribution"]["Id"], IfMatch=etag)
    assert error(early)[:2] == ("DistributionNotDisabled", 409)
    clock.advance(3)
    cf.delete_distribution(Id=created["Distribution"]["Id"], IfMatch=etag)
    assert cf.list_distributions()["DistributionList"].get("Items", []) == []


def test_cloudfront_s3_distribution_absent_waits_for_the_disable_to_deploy(run_module, cf, clock):
    created = cf.create_distribution(DistributionConfig=distribution_config(cf))["Distribution"]
    args = {"caller_reference": "site-True", "comment": "site", "state": "absent"}
    result, failed = run_module(cloudfront_s3_distribution, args)
    assert not failed and result["changed"], result.get("msg")
    assert cf.list_distributions()["DistributionList"].get("Items", []) == []
    assert created["Status"] == "InProgress" and clock.now >= 1003


# ---- the profile is opt-in --------------------------------------------------------------------------------------------
def test_without_the_profile_every_change_is_immediate(aws):
    consistency.activate(Profile())
    consistency.deactivate()
    lam = boto3.client("lambda", region_name=REGION)
    created = create_function(lam, new_role())
    assert created["State"] == "Active"
    assert lam.update_function_configuration(FunctionName="fn", Timeout=5)["LastUpdateStatus"] == "Successful"
    lam.update_function_code(FunctionName="fn", ZipFile=package("2"))
    cf = boto3.client("cloudfront", region_name="us-east-1")
    created = cf.create_distribution(DistributionConfig=distribution_config(cf))["Distribution"]
    assert cf.get_distribution(Id=created["Id"])["Distribution"]["Status"] == "Deployed"
    ddb = boto3.client("dynamodb", region_name=REGION)
    ddb.create_table(TableName="visitors", BillingMode="PAY_PER_REQUEST",
                     KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])
    ddb.update_continuous_backups(TableName="visitors",
                                  PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})


# ---- throttling ---------------------------------------------------------------------------------------------------------
@pytest.fixture
def endpoint(tmp_path):
    """The emulator's app (as build_app makes it) with every 3rd call of an operation throttled."""
    log = tmp_path / "requests.jsonl"
    server = make_server("127.0.0.1", 0, build_app(log, profile=Profile(throttle=3)), threaded=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", tmp_path
    server.shutdown()
    consistency.deactivate()


def client(endpoint: str, service: str, attempts: int | None = 1):
    retries = {"total_max_attempts": attempts} if attempts else {}
    return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing",
                        aws_secret_access_key="testing", config=Config(retries=retries))


@pytest.mark.parametrize(("service", "operation", "answer"), [
    ("iam", "list_roles", ("Throttling", 400, "Rate exceeded")),
    ("cloudfront", "list_distributions", ("Throttling", 400, "Rate exceeded")),
    ("apigatewayv2", "get_apis", ("TooManyRequestsException", 429, "Too Many Requests")),
])
def test_every_third_call_of_an_operation_is_throttled_in_the_service_shape(endpoint, service, operation, answer):
    call = getattr(client(endpoint[0], service), operation)
    call()
    call()
    with pytest.raises(ClientError) as throttled:
        call()
    assert error(throttled) == answer
    call()


def test_a_throttled_call_changes_nothing_and_other_services_are_not_throttled(endpoint):
    iam = client(endpoint[0], "iam")
    iam.create_role(RoleName="throttle-a", AssumeRolePolicyDocument=TRUST)
    iam.create_role(RoleName="throttle-b", AssumeRolePolicyDocument=TRUST)
    with pytest.raises(ClientError):
        iam.create_role(RoleName="throttle-c", AssumeRolePolicyDocument=TRUST)
    with pytest.raises(ClientError) as missing:
        iam.get_role(RoleName="throttle-c")
    assert error(missing)[0] == "NoSuchEntity"
    ddb = client(endpoint[0], "dynamodb")
    for _attempt in range(4):
        ddb.list_tables()


def test_the_sdk_retries_absorb_throttling_and_both_logs_show_it(endpoint):
    url, folder = endpoint
    cf = client(url, "cloudfront", attempts=None)
    for _attempt in range(4):
        cf.list_distributions()
    calls = [(c["operation"], c["status"]) for c in read_log(folder / "requests.jsonl")]
    assert calls == [("ListDistributions", 200)] * 2 + [("ListDistributions", 400)] + [("ListDistributions", 200)] * 2
    answers = read_log(folder / "consistency.jsonl")
    assert [(a["service"], a["operation"], a["status"], a["code"]) for a in answers] == [
        ("cloudfront", "ListDistributions", 400, "Throttling")]


# ---- settings -------------------------------------------------------------------------------------------------------------
def test_settings_parse_and_bad_ones_are_named():
    assert Profile.parse("") == Profile()
    assert Profile.parse("role=1.5, lambda=0,throttle=4") == Profile(role=1.5, function=0, throttle=4)
    for bad, named in (("bogus=1", "'bogus'"), ("role=soon", "role='soon'"), ("throttle=2.5", "throttle='2.5'"),
                       ("pitr=-1", "pitr='-1'")):
        with pytest.raises(ValueError, match=named):
            Profile.parse(bad)


def test_the_command_line_refuses_bad_settings(capsys):
    with pytest.raises(SystemExit) as refused:
        emulator_cli(["status", "--port", "1", "--consistency=throttle=x"])
    assert refused.value.code == 2
    assert "throttle='x'" in capsys.readouterr().err
