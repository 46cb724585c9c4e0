"""boto3 round trips against the emulator's WSGI app with IAM enforcement on (tools/emulator/iam/): an assumed role's
allowed and denied calls, the AccessDenied shape of each protocol, the request log, and unrestricted test keys."""
from __future__ import annotations

import io
import json
import threading
import zipfile
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError
from werkzeug.serving import make_server

from emulator.iam.trust import unsigned_token
from emulator.requestlog import read_log
from emulator.server import build_app

ACCOUNT = "123456789012"
ISSUER = "token.actions.githubusercontent.com"
SUBJECT = "repo:octo/resume:ref:refs/heads/main"
TRUST = {"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"Federated": f"arn:aws:iam::{ACCOUNT}:oidc-provider/{ISSUER}"},
    "Action": "sts:AssumeRoleWithWebIdentity",
    "Condition": {"StringEquals": {f"{ISSUER}:aud": "sts.amazonaws.com", f"{ISSUER}:sub": SUBJECT}}}]}
ADMIN = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
POLICY = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["dynamodb:CreateTable", "dynamodb:DescribeTable"],
     "Resource": f"arn:aws:dynamodb:us-east-2:{ACCOUNT}:table/app-*"},
    {"Effect": "Allow", "Action": "kms:DescribeKey", "Resource": "*",
     "Condition": {"StringEquals": {"aws:ResourceTag/Stack": "app"}}},
    {"Effect": "Allow", "Action": ["sns:CreateTopic", "kms:CreateKey"], "Resource": "*"},
    {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::app-*/*"},
    {"Effect": "Allow", "Action": "iam:CreateRole", "Resource": f"arn:aws:iam::{ACCOUNT}:role/app-*",
     "Condition": {"StringEquals": {"iam:PermissionsBoundary": f"arn:aws:iam::{ACCOUNT}:policy/app-boundary"}}},
    {"Effect": "Allow", "Action": "kms:GetKeyRotationStatus", "Resource": "*",
     "Condition": {"ForAnyValue:StringLike": {"kms:ResourceAliases": "alias/app-*"}}},
    {"Effect": "Allow", "Action": "lambda:CreateFunction", "Resource": "*"},
    {"Effect": "Allow", "Action": "apigateway:GET", "Resource": "arn:aws:apigateway:us-east-2::/apis/*",
     "Condition": {"StringEquals": {"aws:ResourceTag/Team": "app"}}},
    {"Effect": "Allow", "Action": "iam:PassRole", "Resource": f"arn:aws:iam::{ACCOUNT}:role/app-*",
     "Condition": {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}},
    {"Effect": "Allow", "Action": "lambda:GetFunctionConfiguration", "Resource": f"arn:aws:lambda:us-east-2:{ACCOUNT}:function:app-qual"},
    {"Effect": "Allow", "Action": "lambda:GetPolicy", "Resource": f"arn:aws:lambda:us-east-2:{ACCOUNT}:function:app-qual:*"},
    {"Effect": "Allow", "Action": ["route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets"],
     "Resource": "arn:aws:route53:::hostedzone/*",
     "Condition": {"ForAllValues:StringEquals": {"route53:ChangeResourceRecordSetsNormalizedRecordNames": ["www.app.test"],
                                                 "route53:ChangeResourceRecordSetsRecordTypes": ["A"]}}},
]}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    log = tmp_path_factory.mktemp("iam") / "requests.jsonl"
    httpd = make_server("127.0.0.1", 0, build_app(log, iam="enforce"), threaded=False)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{httpd.server_port}"
    yield url, log
    urllib.request.urlopen(urllib.request.Request(f"{url}/moto-api/reset", method="POST"), timeout=10).close()
    httpd.shutdown()


def client(url: str, service: str, credentials: dict[str, str]) -> Any:
    return boto3.client(service, endpoint_url=url, region_name="us-east-2", **credentials)


def token(subject: str = SUBJECT, audience: str = "sts.amazonaws.com", issuer: str = ISSUER) -> str:
    return unsigned_token({"iss": f"https://{issuer}", "aud": audience, "sub": subject})


def assume(url: str, web_identity_token: str) -> dict[str, Any]:
    sts = boto3.client("sts", endpoint_url=url, region_name="us-east-2", config=Config(signature_version=UNSIGNED))
    return sts.assume_role_with_web_identity(RoleArn=f"arn:aws:iam::{ACCOUNT}:role/ci/app-deploy",
                                             RoleSessionName="gh", WebIdentityToken=web_identity_token)


@pytest.fixture(scope="module")
def role(server: tuple[str, Path]) -> dict[str, str]:
    url, _log = server
    iam = client(url, "iam", ADMIN)
    iam.create_open_id_connect_provider(Url=f"https://{ISSUER}", ClientIDList=["sts.amazonaws.com"])
    iam.create_role(RoleName="app-deploy", Path="/ci/", AssumeRolePolicyDocument=json.dumps(TRUST))
    iam.put_role_policy(RoleName="app-deploy", PolicyName="p", PolicyDocument=json.dumps(POLICY))
    credentials = assume(url, token())["Credentials"]
    return {"aws_access_key_id": credentials["AccessKeyId"], "aws_secret_access_key": credentials["SecretAccessKey"],
            "aws_session_token": credentials["SessionToken"]}


def denied(call: Any) -> dict[str, Any]:
    with pytest.raises(ClientError) as error:
        call()
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    return error.value.response["Error"]


def create_table(ddb: Any, name: str) -> Any:
    return ddb.create_table(TableName=name, KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
                            AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                            BillingMode="PAY_PER_REQUEST")


def test_allowed_call_on_a_granted_resource(server: tuple[str, Path], role: dict[str, str]) -> None:
    url, log = server
    ddb = client(url, "dynamodb", role)
    create_table(ddb, "app-visitors")
    assert ddb.describe_table(TableName="app-visitors")["Table"]["TableName"] == "app-visitors"
    entry = read_log(log)[-1]
    assert entry["status"] == 200 and entry["evaluated"] == 1
    assert entry["principal"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/app-deploy/gh"


def test_json_service_denial_names_action_and_resource(server: tuple[str, Path], role: dict[str, str]) -> None:
    url, log = server
    error = denied(lambda: client(url, "dynamodb", role).describe_table(TableName="other"))
    arn = f"arn:aws:dynamodb:us-east-2:{ACCOUNT}:table/other"
    assert error["Code"] == "AccessDeniedException"
    assert error["Message"] == (
        f"User: arn:aws:sts::{ACCOUNT}:assumed-role/app-deploy/gh is not authorized to perform: "
        f"dynamodb:DescribeTable on resource: {arn} because no identity-based policy allows the "
        "dynamodb:DescribeTable action")
    entry = read_log(log)[-1]
    assert (entry["status"], entry["denied_action"], entry["denied_resource"]) == (403, "dynamodb:DescribeTable", arn)


@pytest.mark.parametrize(("service", "call", "code"), [
    ("sns", lambda c: c.list_topics(), "AccessDenied"),
    ("iam", lambda c: c.list_roles(), "AccessDenied"),
    ("cloudwatch", lambda c: c.describe_alarms(), "AccessDenied"),
    ("s3", lambda c: c.list_buckets(), "AccessDenied"),
    ("cloudfront", lambda c: c.list_distributions(), "AccessDenied"),
    ("lambda", lambda c: c.list_functions(), "AccessDeniedException"),
    ("apigatewayv2", lambda c: c.get_apis(), "AccessDeniedException"),
    ("logs", lambda c: c.describe_log_groups(), "AccessDeniedException"),
])
def test_each_protocol_answers_its_own_access_denied(server: tuple[str, Path], role: dict[str, str], service: str,
                                                     call: Any, code: str) -> None:
    error = denied(lambda: call(client(server[0], service, role)))
    assert error["Code"] == code
    assert "is not authorized to perform" in error["Message"]


def test_tags_on_creation_need_the_tagging_action(server: tuple[str, Path], role: dict[str, str]) -> None:
    sns = client(server[0], "sns", role)
    sns.create_topic(Name="app-plain")
    error = denied(lambda: sns.create_topic(Name="app-tagged", Tags=[{"Key": "Stack", "Value": "app"}]))
    assert f"sns:TagResource on resource: arn:aws:sns:us-east-2:{ACCOUNT}:app-tagged " in error["Message"]


def test_resource_tag_condition_reads_the_key_tags_and_aws_managed_key_policy(
        server: tuple[str, Path], role: dict[str, str]) -> None:
    url, _log = server
    admin_kms = client(url, "kms", ADMIN)
    tagged = admin_kms.create_key(Tags=[{"TagKey": "Stack", "TagValue": "app"}])["KeyMetadata"]["KeyId"]
    other = admin_kms.create_key()["KeyMetadata"]["KeyId"]
    kms = client(url, "kms", role)
    assert kms.describe_key(KeyId=tagged)["KeyMetadata"]["KeyId"] == tagged
    assert "kms:DescribeKey" in denied(lambda: kms.describe_key(KeyId=other))["Message"]


def test_customer_key_policy_without_delegation_denies(server: tuple[str, Path], role: dict[str, str]) -> None:
    url, _log = server
    admin_kms = client(url, "kms", ADMIN)
    key = admin_kms.create_key(Tags=[{"TagKey": "Stack", "TagValue": "app"}], Policy=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*",
                       "Resource": "*"}]}))["KeyMetadata"]["KeyId"]
    error = denied(lambda: client(url, "kms", role).describe_key(KeyId=key))
    assert error["Message"].endswith("because no resource-based policy allows the kms:DescribeKey action")


def test_pass_role_is_evaluated_with_the_service_it_is_passed_to(server: tuple[str, Path],
                                                                 role: dict[str, str]) -> None:
    url, log = server
    error = denied(lambda: client(url, "lambda", role).create_function(
        FunctionName="app-fn", Runtime="python3.13", Handler="h.h", Code={"ZipFile": b"PK"},
        Role=f"arn:aws:iam::{ACCOUNT}:role/other-role"))
    assert "iam:PassRole" in error["Message"]
    assert read_log(log)[-1]["denied_resource"] == f"arn:aws:iam::{ACCOUNT}:role/other-role"


def test_test_credentials_stay_unrestricted(server: tuple[str, Path]) -> None:
    url, log = server
    assert "Buckets" in client(url, "s3", ADMIN).list_buckets()
    entry = read_log(log)[-1]
    assert entry["status"] == 200 and "evaluated" not in entry


def test_a_wrong_session_token_is_rejected(server: tuple[str, Path], role: dict[str, str]) -> None:
    forged = {**role, "aws_session_token": "forged"}
    assert denied(lambda: client(server[0], "dynamodb", forged).describe_table(TableName="app-visitors"))[
        "Code"] == "InvalidClientTokenId"


@pytest.mark.parametrize(("web_identity_token", "code"), [
    (token(subject="repo:octo/resume:pull_request"), "AccessDenied"),  # the trust policy names another subject
    (token(subject="repo:evil/fork:ref:refs/heads/main"), "AccessDenied"),
    (token(audience="other"), "InvalidIdentityToken"),  # not a client ID of the provider
    (token(issuer="gitlab.example.com"), "InvalidIdentityToken"),  # no provider for this issuer
    ("not-a-jwt", "InvalidIdentityToken"),
])
def test_web_identity_is_authorised_by_provider_and_trust_policy(server: tuple[str, Path], role: dict[str, str],
                                                                 web_identity_token: str, code: str) -> None:
    with pytest.raises(ClientError) as error:
        assume(server[0], web_identity_token)
    assert error.value.response["Error"]["Code"] == code


def test_audit_mode_logs_the_denial_and_serves_the_call(
        tmp_path: Path, server: tuple[str, Path], role: dict[str, str]) -> None:
    log = tmp_path / "audit.jsonl"
    httpd = make_server("127.0.0.1", 0, build_app(log, iam="audit"), threaded=False)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        client(f"http://127.0.0.1:{httpd.server_port}", "sns", role).list_topics()
    finally:
        httpd.shutdown()
    entry = read_log(log)[-1]
    assert (entry["status"], entry["denied_action"]) == (200, "sns:ListTopics")


def test_bucket_policy_deny_applies_and_its_tls_condition_holds(server: tuple[str, Path], role: dict[str, str]) -> None:
    url, _log = server
    admin_s3 = client(url, "s3", ADMIN)
    admin_s3.create_bucket(Bucket="app-site", CreateBucketConfiguration={"LocationConstraint": "us-east-2"})
    admin_s3.put_bucket_policy(Bucket="app-site", Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::app-site/*",
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
        {"Effect": "Deny", "Principal": "*", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::app-site/private/*"},
    ]}))
    s3 = client(url, "s3", role)
    s3.put_object(Bucket="app-site", Key="index.html", Body=b"<html>")
    error = denied(lambda: s3.put_object(Bucket="app-site", Key="private/x", Body=b"x"))
    assert error["Code"] == "AccessDenied"
    assert error["Message"].endswith("with an explicit deny in a resource-based policy")


def test_tag_on_create_of_a_key_is_evaluated_on_the_accounts_keys(
        server: tuple[str, Path], role: dict[str, str]) -> None:
    kms = client(server[0], "kms", role)
    assert kms.create_key()["KeyMetadata"]["KeyId"]
    error = denied(lambda: kms.create_key(Tags=[{"TagKey": "Stack", "TagValue": "app"}]))
    assert f"kms:TagResource on resource: arn:aws:kms:us-east-2:{ACCOUNT}:key/* " in error["Message"]


def test_role_creation_conditioned_on_the_permissions_boundary(server: tuple[str, Path], role: dict[str, str]) -> None:
    url, _log = server
    boundary = client(url, "iam", ADMIN).create_policy(PolicyName="app-boundary", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "logs:*", "Resource": "*"}]}))
    iam = client(url, "iam", role)
    trust = json.dumps({"Version": "2012-10-17", "Statement": []})
    assert "iam:CreateRole" in denied(lambda: iam.create_role(RoleName="app-fn", AssumeRolePolicyDocument=trust))[
        "Message"]
    iam.create_role(RoleName="app-fn", AssumeRolePolicyDocument=trust,
                    PermissionsBoundary=boundary["Policy"]["Arn"])


def test_key_aliases_condition(server: tuple[str, Path], role: dict[str, str]) -> None:
    url, _log = server
    admin_kms = client(url, "kms", ADMIN)
    aliased, bare = (admin_kms.create_key()["KeyMetadata"]["KeyId"] for _index in range(2))
    admin_kms.create_alias(AliasName="alias/app-alarms", TargetKeyId=aliased)
    kms = client(url, "kms", role)
    assert kms.get_key_rotation_status(KeyId=aliased)["KeyRotationEnabled"] is False
    assert "kms:GetKeyRotationStatus" in denied(lambda: kms.get_key_rotation_status(KeyId=bare))["Message"]


def test_an_iam_users_access_key_is_evaluated_with_its_groups_policies(server: tuple[str, Path]) -> None:
    url, _log = server
    iam = client(url, "iam", ADMIN)
    iam.create_user(UserName="ops")
    iam.create_group(GroupName="readers")
    iam.add_user_to_group(GroupName="readers", UserName="ops")
    iam.put_group_policy(GroupName="readers", PolicyName="tables", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:ListTables", "Resource": "*"}]}))
    key = iam.create_access_key(UserName="ops")["AccessKey"]
    ddb = client(url, "dynamodb", {"aws_access_key_id": key["AccessKeyId"],
                                   "aws_secret_access_key": key["SecretAccessKey"]})
    assert "TableNames" in ddb.list_tables()
    error = denied(lambda: ddb.describe_table(TableName="app-visitors"))
    assert error["Message"].startswith(f"User: arn:aws:iam::{ACCOUNT}:user/ops is not authorized")


def test_delete_objects_is_evaluated_on_each_object(server: tuple[str, Path], role: dict[str, str]) -> None:
    url, log = server
    client(url, "s3", ADMIN).create_bucket(Bucket="app-logs", CreateBucketConfiguration={"LocationConstraint": "us-east-2"})
    denied(lambda: client(url, "s3", role).delete_objects(Bucket="app-logs", Delete={"Objects": [{"Key": "x/1.log"}]}))
    assert read_log(log)[-1]["denied_resource"] == "arn:aws:s3:::app-logs/x/1.log"


def test_an_http_apis_tags_decide_for_the_api_but_not_for_its_routes(server: tuple[str, Path],
                                                                     role: dict[str, str]) -> None:
    """GET /apis/<id> is the SAR's Api resource, whose tags aws:ResourceTag reads; an HTTP API's routes inherit
    none of them (only REST APIs' children do), so a tag condition never grants them."""
    url, log = server
    admin = client(url, "apigatewayv2", ADMIN)
    ours = admin.create_api(Name="ours", ProtocolType="HTTP", Tags={"Team": "app"})["ApiId"]
    theirs = admin.create_api(Name="theirs", ProtocolType="HTTP", Tags={"Team": "billing"})["ApiId"]
    apis = client(url, "apigatewayv2", role)
    assert apis.get_api(ApiId=ours)["Name"] == "ours"
    assert denied(lambda: apis.get_api(ApiId=theirs))["Code"] == "AccessDeniedException"
    assert denied(lambda: apis.get_routes(ApiId=ours))["Code"] == "AccessDeniedException"
    assert read_log(log)[-1]["denied_resource"] == f"arn:aws:apigateway:us-east-2::/apis/{ours}/routes"


def test_a_version_or_alias_is_authorised_on_its_qualified_arn(server: tuple[str, Path], role: dict[str, str]) -> None:
    """As on Lambda: function:<name> covers the function itself, not function:<name>:<version or alias>."""
    url, log = server
    admin = client(url, "iam", ADMIN)
    trust = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
    function_role = admin.create_role(RoleName="app-qual-fn", AssumeRolePolicyDocument=trust)["Role"]["Arn"]
    client(url, "lambda", ADMIN).create_function(FunctionName="app-qual", Runtime="python3.13", Handler="h.h",
                                                 Role=function_role, Code={"ZipFile": zipped()})
    lam = client(url, "lambda", role)
    assert lam.get_function_configuration(FunctionName="app-qual")["FunctionName"] == "app-qual"
    qualified = f"arn:aws:lambda:us-east-2:{ACCOUNT}:function:app-qual:$LATEST"
    for call in (lambda: lam.get_function_configuration(FunctionName="app-qual", Qualifier="$LATEST"),
                 lambda: lam.get_function_configuration(FunctionName="app-qual:$LATEST")):
        assert "lambda:GetFunctionConfiguration" in denied(call)["Message"]
        assert read_log(log)[-1]["denied_resource"] == qualified
    # function:app-qual:* covers every version and alias (here: no policy yet, so Lambda's own answer), not the function
    with pytest.raises(ClientError) as missing:
        lam.get_policy(FunctionName="app-qual", Qualifier="live")
    assert missing.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert "lambda:GetPolicy" in denied(lambda: lam.get_policy(FunctionName="app-qual"))["Message"]


def test_record_changes_are_evaluated_on_the_zone_with_their_names_and_types(
        server: tuple[str, Path], role: dict[str, str]) -> None:
    """Route 53 authorises ChangeResourceRecordSets on hostedzone/<id> (the request's HostedZoneId), with the batch's
    normalised record names, record types and actions as condition keys."""
    url, log = server
    zone = client(url, "route53", ADMIN).create_hosted_zone(Name="app.test", CallerReference="iam")["HostedZone"]["Id"]
    route53 = client(url, "route53", role)

    def change(name: str, record_type: str) -> Any:
        return route53.change_resource_record_sets(HostedZoneId=zone, ChangeBatch={"Changes": [{
            "Action": "UPSERT", "ResourceRecordSet": {"Name": name, "Type": record_type, "TTL": 60,
                                                      "ResourceRecords": [{"Value": "192.0.2.1"}]}}]})

    assert change("WWW.app.test.", "A")["ChangeInfo"]["Status"] in ("PENDING", "INSYNC")  # normalised: www.app.test
    zone_arn = f"arn:aws:route53:::hostedzone/{zone.rsplit('/', 1)[-1]}"
    assert read_log(log)[-1]["status"] == 200
    for name, record_type in (("mail.app.test.", "A"), ("www.app.test.", "TXT")):
        assert "route53:ChangeResourceRecordSets" in denied(lambda: change(name, record_type))["Message"]
        assert read_log(log)[-1]["denied_resource"] == zone_arn
    assert route53.list_resource_record_sets(HostedZoneId=zone)["ResourceRecordSets"]


def test_the_tagging_api_is_evaluated_as_tag_actions(server: tuple[str, Path], role: dict[str, str]) -> None:
    """The Resource Groups Tagging API signs as "tagging"; IAM names its actions tag:*. Before, its calls went
    unevaluated (botocore knows no service "tagging")."""
    url, log = server
    tagging = boto3.client("resourcegroupstaggingapi", endpoint_url=url, region_name="us-east-2", **role)
    error = denied(lambda: tagging.get_resources(ResourceTypeFilters=["acm:certificate"]))
    assert error["Code"] == "AccessDeniedException" and "tag:GetResources" in error["Message"]
    entry = read_log(log)[-1]
    assert (entry["service"], entry["denied_action"], entry["denied_resource"]) == (
        "resourcegroupstaggingapi", "tag:GetResources", "*")


def zipped() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("h.py", "def h(event, context):\n    return 1\n")
    return buffer.getvalue()
