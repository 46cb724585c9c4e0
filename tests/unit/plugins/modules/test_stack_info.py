"""cloudresume.aws.stack_info against in-process moto: the caller, and each lookup among neighbours."""
from __future__ import annotations

import io
import zipfile
from unittest import mock

import boto3
import pytest
from botocore.client import BaseClient
from botocore.exceptions import ClientError
from botocore.exceptions import NoCredentialsError

from ansible_collections.cloudresume.aws.plugins.modules import stack_info as module

REGION = "us-east-2"
ACCOUNT = "123456789012"  # moto's
OWNER = "cloudresume.aws.http_api"
COMMENT = "cloudresume résumé site (us-east-2)"
LOOKUPS = {"site_comment": COMMENT, "table_name": "cloudresume-visitors", "function_name": "cloudresume-counter",
           "api_name": "cloudresume-api", "role_name": "cloudresume-counter-us-east-2"}


def distribution(cloudfront, comment: str, reference: str) -> dict:
    return cloudfront.create_distribution(DistributionConfig={
        "CallerReference": reference, "Comment": comment, "Enabled": True,
        "Origins": {"Quantity": 1, "Items": [{"Id": "s3", "DomainName": f"{reference}.s3.{REGION}.amazonaws.com",
                                              "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
        "DefaultCacheBehavior": {"TargetOriginId": "s3", "ViewerProtocolPolicy": "redirect-to-https",
                                 "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6"},
    })["Distribution"]


def stack(names: dict[str, str], neighbours: int) -> dict[str, str]:
    """The stack's five resources by ``names``, after ``neighbours`` of each kind that other stacks own."""
    iam = boto3.client("iam", region_name=REGION)
    cloudfront = boto3.client("cloudfront", region_name=REGION)
    dynamodb = boto3.client("dynamodb", region_name=REGION)
    functions = boto3.client("lambda", region_name=REGION)
    apigw = boto3.client("apigatewayv2", region_name=REGION)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("counter.py", "def handler(event, context):\n    return {}\n")
    for index in range(neighbours):
        distribution(cloudfront, f"other{index} résumé site (us-east-2)", f"other{index}")
    for index in range(min(neighbours, 5)):
        other = f"other{index}"
        dynamodb.create_table(TableName=f"{other}-visitors", BillingMode="PAY_PER_REQUEST",
                              KeySchema=[{"AttributeName": "counter_id", "KeyType": "HASH"}],
                              AttributeDefinitions=[{"AttributeName": "counter_id", "AttributeType": "S"}])
        role = iam.create_role(RoleName=f"{other}-counter-us-east-2", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
        functions.create_function(FunctionName=f"{other}-counter", Runtime="python3.13", Role=role,
                                  Handler="counter.handler", Code={"ZipFile": archive.getvalue()})
        apigw.create_api(Name=f"{other}-api", ProtocolType="HTTP", Tags={OWNER: f"{other}-api"})
    apigw.create_api(Name=names["api_name"], ProtocolType="HTTP")  # the name without the ownership tag: not ours
    role = iam.create_role(RoleName=names["role_name"], Path="/cloudresume/", AssumeRolePolicyDocument="{}")["Role"]
    dynamodb.create_table(TableName=names["table_name"], BillingMode="PAY_PER_REQUEST",
                          KeySchema=[{"AttributeName": "counter_id", "KeyType": "HASH"}],
                          AttributeDefinitions=[{"AttributeName": "counter_id", "AttributeType": "S"}])
    functions.create_function(FunctionName=names["function_name"], Runtime="python3.13", Role=role["Arn"],
                              Handler="counter.handler", Code={"ZipFile": archive.getvalue()},
                              Environment={"Variables": {"COUNTER_TABLE_NAME": names["table_name"]}})
    api = apigw.create_api(Name=names["api_name"], ProtocolType="HTTP", Tags={OWNER: names["api_name"]})
    site = distribution(cloudfront, names["site_comment"], "site")
    return {"api": api["ApiId"], "distribution": site["Id"], "role": role["Arn"]}


def test_the_caller_alone_is_one_call(run_module, aws, operations):
    result, failed = run_module(module, {}, check_mode=True)
    assert not failed and not result["changed"] and result["account_matches"]
    assert (result["account"], result["partition"]) == (ACCOUNT, "aws")
    assert result["arn"].startswith("arn:aws:") and result["user_id"]
    assert not {"site_distribution", "table", "function", "api", "role"} & set(result)
    assert operations == ["GetCallerIdentity"]


def test_a_crowded_account_costs_one_read_per_lookup_and_a_page_per_100_distributions(run_module, aws, operations):
    ours = stack(LOOKUPS, neighbours=101)  # ours is the 102nd distribution: on the second page
    operations.clear()
    result, failed = run_module(module, LOOKUPS, check_mode=True)
    assert not failed and not result["changed"]
    assert result["site_distribution"]["Id"] == ours["distribution"]
    assert result["site_distribution"]["Comment"] == COMMENT and result["site_distribution"]["DomainName"]
    assert result["table"]["table_name"] == "cloudresume-visitors" and result["table"]["table_status"] == "ACTIVE"
    assert result["function"]["function_name"] == "cloudresume-counter"
    assert result["function"]["environment"]["variables"] == {"COUNTER_TABLE_NAME": "cloudresume-visitors"}
    assert result["api"]["id"] == ours["api"] and result["api"]["tags"] == {OWNER: "cloudresume-api"}
    assert result["api"]["execution_arn"] == f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{ours['api']}"
    assert "routes" not in result["api"] and "stage" not in result["api"]
    assert result["role"] == {"role_name": "cloudresume-counter-us-east-2", "role_id": result["role"]["role_id"],
                              "path": "/cloudresume/", "arn": ours["role"]}
    assert sorted(operations) == sorted(["GetCallerIdentity", "ListDistributions", "ListDistributions",
                                         "DescribeTable", "GetFunctionConfiguration", "GetApis", "GetRole"])


def test_missing_resources_are_empty_answers(run_module, aws, operations):
    stack({key: f"other-{value}" for key, value in LOOKUPS.items()}, neighbours=2)
    operations.clear()
    result, failed = run_module(module, LOOKUPS)
    assert not failed and not result["changed"]
    assert [result[key] for key in ("site_distribution", "table", "function", "api", "role")] == [{}] * 5
    assert len(operations) == 6


def test_only_the_lookups_asked_for_are_made(run_module, aws, operations):
    stack(LOOKUPS, neighbours=0)
    operations.clear()
    result, failed = run_module(module, {"role_name": LOOKUPS["role_name"], "table_name": LOOKUPS["table_name"]})
    assert not failed and result["role"]["path"] == "/cloudresume/" and result["table"]
    assert not {"site_distribution", "function", "api"} & set(result)
    assert sorted(operations) == ["DescribeTable", "GetCallerIdentity", "GetRole"]


@pytest.mark.parametrize("option, operation, code", [
    ("site_comment", "ListDistributions", "AccessDenied"),
    ("table_name", "DescribeTable", "AccessDeniedException"),
    ("function_name", "GetFunctionConfiguration", "AccessDeniedException"),
    ("api_name", "GetApis", "AccessDeniedException"),
    ("role_name", "GetRole", "AccessDenied"),
])
def test_a_denied_read_fails_naming_the_lookup(run_module, aws, option, operation, code):
    stack(LOOKUPS, neighbours=0)
    real = BaseClient._make_api_call

    def deny(client, name, params):
        if name == operation:
            raise ClientError({"Error": {"Code": code, "Message": "not authorized"}}, name)
        return real(client, name, params)

    with mock.patch.object(BaseClient, "_make_api_call", deny):
        result, failed = run_module(module, LOOKUPS)
    assert failed and result["msg"].startswith(f"{option}: could not look up ")
    assert repr(LOOKUPS[option]) in result["msg"] and result["error"]["code"] == code


def test_another_account_is_not_read(run_module, aws, operations):
    stack(LOOKUPS, neighbours=0)
    operations.clear()
    result, failed = run_module(module, {**LOOKUPS, "expected_account_id": "111111111111"})
    assert not failed and result["account_matches"] is False and result["account"] == ACCOUNT
    assert not {"site_distribution", "table", "function", "api", "role"} & set(result)
    assert operations == ["GetCallerIdentity"]
    result, failed = run_module(module, {**LOOKUPS, "expected_account_id": ACCOUNT})
    assert not failed and result["account_matches"] and result["table"]


def test_no_credentials_are_named(run_module, aws):
    with mock.patch("botocore.client.BaseClient._make_api_call", side_effect=NoCredentialsError()):
        result, failed = run_module(module, LOOKUPS)
    assert failed and "Unable to locate credentials" in result["msg"]
    assert result["msg"].startswith("Failed to identify the caller (sts:GetCallerIdentity)")


def test_two_owned_apis_with_the_name_fail_naming_both(run_module, aws):
    apigw = boto3.client("apigatewayv2", region_name=REGION)
    ids = sorted(apigw.create_api(Name="cloudresume-api", ProtocolType="HTTP", Tags={OWNER: "cloudresume-api"})["ApiId"]
                 for _index in range(2))
    result, failed = run_module(module, {"api_name": "cloudresume-api"})
    assert failed and result["msg"].startswith("api_name: could not look up the HTTP API 'cloudresume-api': ")
    assert ", ".join(ids) in result["msg"]


def test_an_empty_name_fails_naming_the_option(run_module, aws, operations):
    result, failed = run_module(module, {"table_name": ""})
    assert failed and result["msg"].startswith("table_name:")
    assert operations == []


RELEASE = {"function_name": "cloudresume-counter", "alias": "live"}


def test_the_release_is_read_as_lambda_release_reads_it_and_returns_no_setting(run_module, aws, operations):
    stack(LOOKUPS, neighbours=2)
    functions = boto3.client("lambda", region_name=REGION)
    version = functions.publish_version(FunctionName="cloudresume-counter")
    functions.create_alias(FunctionName="cloudresume-counter", Name="live", FunctionVersion=version["Version"])
    operations.clear()
    result, failed = run_module(module, {"release": RELEASE}, check_mode=True)
    assert not failed and not result["changed"]
    assert sorted(operations) == ["GetAlias", "GetCallerIdentity", "GetPolicy", "ListVersionsByFunction"]
    release = result["release"]
    assert release["latest"]["digest"] == release["newest"]["digest"] and release["newest"]["version"] == "1"
    assert release["alias"] == {"function_version": "1", "weighted": False,
                                "alias_arn": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:cloudresume-counter:live"}
    assert release["statements"] == {} and "cloudresume-visitors" not in str(release)  # no environment variable


def test_a_release_without_function_or_alias(run_module, aws, operations):
    result, failed = run_module(module, {"release": RELEASE})
    assert not failed and result["release"] == {}
    assert sorted(operations) == ["GetCallerIdentity", "ListVersionsByFunction"]
    stack(LOOKUPS, neighbours=0)
    operations.clear()
    result, failed = run_module(module, {"release": RELEASE})
    assert not failed and result["release"]["alias"] is None and result["release"]["newest"] is None
    assert "GetPolicy" not in operations


@pytest.mark.parametrize(("release", "message"), [
    ({**RELEASE, "alias": ""}, "release.alias: give a name"),
    ({"alias": "live"}, "missing required arguments: function_name found in release"),
])
def test_a_bad_release_fails_naming_the_field(run_module, aws, operations, release, message):
    result, failed = run_module(module, {"release": release})
    assert failed and result["msg"] == message and operations == []


def test_a_denied_release_read_fails_naming_the_function_and_alias(run_module, aws):
    stack(LOOKUPS, neighbours=0)
    real = BaseClient._make_api_call

    def deny(client, name, params):
        if name == "GetAlias":
            raise ClientError({"Error": {"Code": "AccessDeniedException", "Message": "not authorized"}}, name)
        return real(client, name, params)

    with mock.patch.object(BaseClient, "_make_api_call", deny):
        result, failed = run_module(module, {"release": RELEASE})
    assert failed and result["msg"].startswith(
        "release: could not look up the release of the Lambda function 'cloudresume-counter:live': ")


def test_the_dashboard_is_read_as_cloudwatch_dashboard_reads_it(run_module, aws, operations):
    result, failed = run_module(module, {"dashboard_name": "cloudresume-us-east-2"})
    assert not failed and result["dashboard"] == {}
    boto3.client("cloudwatch", region_name=REGION).put_dashboard(
        DashboardName="cloudresume-us-east-2", DashboardBody='{"widgets": []}')
    operations.clear()
    result, failed = run_module(module, {"dashboard_name": "cloudresume-us-east-2"}, check_mode=True)
    assert not failed and result["dashboard"] == {
        "dashboard_name": "cloudresume-us-east-2", "dashboard_body": {"widgets": []},
        "dashboard_arn": f"arn:aws:cloudwatch::{ACCOUNT}:dashboard/cloudresume-us-east-2"}
    assert sorted(operations) == ["GetCallerIdentity", "GetDashboard"]
