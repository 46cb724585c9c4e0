"""tools/emulator/iam/authorize.py and resources.py: the actions and ARNs the Service Authorization Reference gives
for the stack's calls, built from each request's parameters (moto in-process for role paths and KMS aliases)."""
from __future__ import annotations

import boto3
import pytest

from emulator.iam.authorize import actions, needs_no_permission
from emulator.iam.resources import Target, resources

ACCOUNT, REGION = "123456789012", "us-east-2"


def arns(service: str, operation: str, params: dict, path: str = "", method: str = "") -> list[tuple[str, list[str]]]:
    target = Target(ACCOUNT, REGION, params, operation, path)
    return [(a.qualified, [arn for _type, arn in resources(a, target)]) for a in actions(service, operation, method)]


@pytest.mark.parametrize(("service", "operation", "params", "expected"), [
    ("dynamodb", "DescribeTable", {"TableName": "app-visitors"},
     [("dynamodb:DescribeTable", [f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/app-visitors"])]),
    ("lambda", "GetFunctionConfiguration", {"FunctionName": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:app-fn:7"},
     [("lambda:GetFunctionConfiguration", [f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:app-fn:7"])]),
    ("lambda", "GetPolicy", {"FunctionName": "app-fn", "Qualifier": "live"},
     [("lambda:GetPolicy", [f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:app-fn:live"])]),
    # The alias actions name the alias in Name, not as a qualifier: the reference's resource type is the function.
    ("lambda", "UpdateAlias", {"FunctionName": "app-fn", "Name": "live", "FunctionVersion": "2"},
     [("lambda:UpdateAlias", [f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:app-fn"])]),
    ("lambda", "Invoke", {"FunctionName": "app-fn"},
     [("lambda:InvokeFunction", [f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:app-fn"])]),
    ("lambda", "ListFunctions", {}, [("lambda:ListFunctions", ["*"])]),
    ("s3", "ListObjectsV2", {"Bucket": "app-site"}, [("s3:ListBucket", ["arn:aws:s3:::app-site"])]),
    ("s3", "HeadBucket", {"Bucket": "app-site"}, [("s3:ListBucket", ["arn:aws:s3:::app-site"])]),
    ("s3", "PutObject", {"Bucket": "app-site", "Key": "css/site.css"},
     [("s3:PutObject", ["arn:aws:s3:::app-site/css/site.css"])]),
    ("s3", "DeleteObjects", {"Bucket": "app-site", "Delete": {"Object": [{"Key": "a.html"}, {"Key": "b.html"}]}},
     [("s3:DeleteObject", ["arn:aws:s3:::app-site/a.html", "arn:aws:s3:::app-site/b.html"])]),
    ("s3", "PutObjectTagging", {"Bucket": "app-site", "Key": "a.html", "Tagging": {"TagSet": {"Tag": {"Key": "k"}}}},
     [("s3:PutObjectTagging", ["arn:aws:s3:::app-site/a.html"])]),
    ("s3", "DeletePublicAccessBlock", {"Bucket": "app-site"},
     [("s3:PutBucketPublicAccessBlock", ["arn:aws:s3:::app-site"])]),
    ("cloudwatch", "DeleteAlarms", {"AlarmNames": ["app-errors", "app-latency"]},
     [("cloudwatch:DeleteAlarms", [f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:app-errors",
                                   f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:app-latency"])]),
    ("cloudwatch", "PutDashboard", {"DashboardName": "app"},
     [("cloudwatch:PutDashboard", [f"arn:aws:cloudwatch::{ACCOUNT}:dashboard/app"])]),
    ("sns", "Subscribe", {"TopicArn": f"arn:aws:sns:{REGION}:{ACCOUNT}:app-alarms", "Protocol": "email"},
     [("sns:Subscribe", [f"arn:aws:sns:{REGION}:{ACCOUNT}:app-alarms"])]),
    ("logs", "PutRetentionPolicy", {"logGroupName": "/aws/lambda/app-fn", "retentionInDays": 30},
     [("logs:PutRetentionPolicy", [f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/lambda/app-fn"])]),
    ("cloudfront", "UpdateDistribution", {"Id": "E123"},
     [("cloudfront:UpdateDistribution", [f"arn:aws:cloudfront::{ACCOUNT}:distribution/E123"])]),
    ("cloudfront", "CreateInvalidation", {"DistributionId": "E123"},
     [("cloudfront:CreateInvalidation", [f"arn:aws:cloudfront::{ACCOUNT}:distribution/E123"])]),
    ("cloudfront", "CreateDistributionWithTags", {},
     [("cloudfront:CreateDistribution", ["*"])]),  # the reference lists no resource type for it
    ("kms", "CreateKey", {}, [("kms:CreateKey", ["*"])]),
    # Route 53 names the hosted zone HostedZoneId; the reference's format is hostedzone/${Id}.
    ("route53", "ListResourceRecordSets", {"HostedZoneId": "Z0123456789ABC"},
     [("route53:ListResourceRecordSets", ["arn:aws:route53:::hostedzone/Z0123456789ABC"])]),
    ("route53", "ChangeResourceRecordSets", {"HostedZoneId": "Z0123456789ABC", "ChangeBatch": {"Changes": []}},
     [("route53:ChangeResourceRecordSets", ["arn:aws:route53:::hostedzone/Z0123456789ABC"])]),
    ("route53", "GetChange", {"Id": "C2682N5HXP0BZ4"}, [("route53:GetChange", ["arn:aws:route53:::change/C2682N5HXP0BZ4"])]),
])
def test_actions_and_arns_of_the_stacks_calls(service: str, operation: str, params: dict, expected: list) -> None:
    assert arns(service, operation, params) == expected


def test_api_gateway_authorises_the_http_method_on_the_path() -> None:
    assert arns("apigatewayv2", "UpdateStage", {}, "/v2/apis/a1b2/stages/$default", "PATCH") == [
        ("apigateway:PATCH", [f"arn:aws:apigateway:{REGION}::/apis/a1b2/stages/$default"])]
    tagged = f"arn:aws:apigateway:{REGION}::/apis/a1b2"
    assert arns("apigatewayv2", "TagResource", {}, f"/v2/tags/{tagged}", "POST") == [
        ("apigateway:POST", [f"arn:aws:apigateway:{REGION}::/tags/{tagged.replace(':', '%3A').replace('/', '%2F')}"])]


def test_a_role_is_named_with_its_path(aws) -> None:
    boto3.client("iam").create_role(RoleName="app-fn", Path="/service/", AssumeRolePolicyDocument="{}")
    assert arns("iam", "PutRolePolicy", {"RoleName": "app-fn"}) == [
        ("iam:PutRolePolicy", [f"arn:aws:iam::{ACCOUNT}:role/service/app-fn"])]


def test_a_kms_alias_names_its_key_and_create_alias_touches_both(aws) -> None:
    kms = boto3.client("kms", region_name=REGION)
    key = kms.create_key()["KeyMetadata"]
    kms.create_alias(AliasName="alias/app-alarms", TargetKeyId=key["KeyId"])
    assert arns("kms", "DescribeKey", {"KeyId": "alias/app-alarms"}) == [("kms:DescribeKey", [key["Arn"]])]
    assert arns("kms", "CreateAlias", {"AliasName": "alias/app-x", "TargetKeyId": key["KeyId"]}) == [
        ("kms:CreateAlias", [f"arn:aws:kms:{REGION}:{ACCOUNT}:alias/app-x", key["Arn"]])]
    assert arns("kms", "DescribeKey", {"KeyId": "alias/none"}) == [("kms:DescribeKey", [])]  # NotFoundException


def test_get_caller_identity_needs_no_permission() -> None:
    assert needs_no_permission("sts", "GetCallerIdentity")
    assert not needs_no_permission("sts", "AssumeRole")
