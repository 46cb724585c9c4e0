"""cloudresume.aws.iam_role_with_policies against in-process moto (with the emulator's extensions)."""
from __future__ import annotations

import json
from unittest import mock

import boto3
import pytest
from botocore.exceptions import ClientError

from tests.unit.aws_calls import record_calls
from ansible_collections.cloudresume.aws.plugins.module_utils import iam as iam_utils
from ansible_collections.cloudresume.aws.plugins.modules import iam_role_with_policies

NAME = "cloudresume-counter-us-east-2"
TRUST = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
ACCESS = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:UpdateItem"],
     "Resource": "arn:aws:dynamodb:us-east-2:123456789012:table/cloudresume-visitors"}]}
READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess"
BASE = {"name": NAME, "description": "counter", "assume_role_policy_document": TRUST, "managed_policy_arns": [],
        "inline_policies": {"FunctionAccess": ACCESS}, "tags": {"Stack": "cloudresume"}}


@pytest.fixture
def iam(aws):
    client = boto3.client("iam", region_name="us-east-2")
    client.create_policy(PolicyName="ReadOnlyAccess", Path="/", PolicyDocument=json.dumps(ACCESS))
    return client


@pytest.fixture
def aws_managed_arn(iam):
    """moto names a policy created in the account with the account's id: the ARN the tests attach."""
    return iam.list_policies(Scope="Local")["Policies"][0]["Arn"]


def api_calls(run_module, args, **kwargs):
    """Run the module and return (result, names of the AWS operations it called)."""
    (result, failed), names = record_calls(lambda: run_module(iam_role_with_policies, args, **kwargs))
    assert not failed, result
    return result, names


def failure(run_module, args, **kwargs):
    (result, failed), names = record_calls(lambda: run_module(iam_role_with_policies, args, **kwargs))
    assert failed, result
    return result["msg"], names


def inline(iam, name=NAME):
    return {p: iam.get_role_policy(RoleName=name, PolicyName=p)["PolicyDocument"]
            for p in iam.list_role_policies(RoleName=name)["PolicyNames"]}


def test_create_then_rerun_reads_four_times_and_writes_nothing(run_module, iam):
    result, names = api_calls(run_module, BASE, diff=True)
    assert result["changed"] and result["diff"]["before"] == {}
    assert names == ["GetRole", "CreateRole", "PutRolePolicy"]
    role = iam.get_role(RoleName=NAME)["Role"]
    assert role["Description"] == "counter" and role["Path"] == "/"
    assert {t["Key"]: t["Value"] for t in role["Tags"]} == {"Stack": "cloudresume"}
    assert inline(iam) == {"FunctionAccess": ACCESS}
    assert result["iam_role"]["arn"] == role["Arn"] and result["iam_role"]["role_id"] == role["RoleId"]
    assert result["iam_role"]["inline_policies"] == {"FunctionAccess": ACCESS}
    again, names = api_calls(run_module, BASE, diff=True)
    assert not again["changed"] and again["diff"]["before"] == again["diff"]["after"]
    assert names == ["GetRole", "ListAttachedRolePolicies", "ListRolePolicies", "GetRolePolicy"]
    assert again["iam_role"] == result["iam_role"]


def test_the_same_documents_written_differently_are_no_change(run_module, iam):
    api_calls(run_module, BASE)
    statement = dict(ACCESS["Statement"][0], Action=list(reversed(ACCESS["Statement"][0]["Action"])))
    same = dict(BASE, assume_role_policy_document=json.dumps(TRUST, indent=4),
                inline_policies={"FunctionAccess": json.dumps({"Version": "2012-10-17", "Statement": statement})})
    assert not api_calls(run_module, same)[0]["changed"]


def test_check_mode_plans_a_new_role_with_its_inline_policies(run_module, iam):
    result, names = api_calls(run_module, BASE, check_mode=True, diff=True)
    assert result["changed"] and names == ["GetRole"]
    assert result["diff"]["after"]["inline_policies"] == {"FunctionAccess": ACCESS}
    assert result["diff"]["after"]["managed_policy_arns"] == [] and "arn" not in result["iam_role"]
    assert iam.list_roles()["Roles"] == []


def test_policy_drift_is_put_back_and_planned_in_check_mode(run_module, iam):
    api_calls(run_module, BASE)
    drifted = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"}]}
    iam.put_role_policy(RoleName=NAME, PolicyName="FunctionAccess", PolicyDocument=json.dumps(drifted))
    iam.update_assume_role_policy(RoleName=NAME, PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [dict(TRUST["Statement"][0], Principal={"Service": "ec2.amazonaws.com"})]}))
    checked, names = api_calls(run_module, BASE, check_mode=True, diff=True)
    assert checked["changed"] and not [n for n in names if not n.startswith(("Get", "List"))]
    assert checked["diff"]["before"]["inline_policies"]["FunctionAccess"] == drifted
    assert checked["diff"]["after"]["inline_policies"]["FunctionAccess"] == ACCESS
    assert inline(iam)["FunctionAccess"] == drifted
    result, names = api_calls(run_module, BASE)
    assert result["changed"] and {"PutRolePolicy", "UpdateAssumeRolePolicy"} <= set(names)
    assert inline(iam)["FunctionAccess"] == ACCESS
    assert iam.get_role(RoleName=NAME)["Role"]["AssumeRolePolicyDocument"] == TRUST


def test_purges_inline_policies_managed_policies_and_tags(run_module, iam, aws_managed_arn):
    api_calls(run_module, BASE)
    iam.put_role_policy(RoleName=NAME, PolicyName="Extra", PolicyDocument=json.dumps(ACCESS))
    iam.attach_role_policy(RoleName=NAME, PolicyArn=aws_managed_arn)
    iam.tag_role(RoleName=NAME, Tags=[{"Key": "Owner", "Value": "me"}])
    kept, _names = api_calls(run_module, dict(BASE, purge_inline_policies=False, purge_managed_policies=False,
                                              purge_tags=False))
    assert not kept["changed"] and set(kept["iam_role"]["inline_policies"]) == {"FunctionAccess", "Extra"}
    assert kept["iam_role"]["managed_policy_arns"] == [aws_managed_arn]
    result, names = api_calls(run_module, BASE)
    assert result["changed"] and {"DeleteRolePolicy", "DetachRolePolicy", "UntagRole"} <= set(names)
    assert "GetRolePolicy" in names and names.count("GetRolePolicy") == 1  # the purged one is not read
    assert set(inline(iam)) == {"FunctionAccess"}
    assert iam.list_attached_role_policies(RoleName=NAME)["AttachedPolicies"] == []
    assert iam.get_role(RoleName=NAME)["Role"]["Tags"] == [{"Key": "Stack", "Value": "cloudresume"}]


def test_attaches_managed_policies_and_updates_the_role_settings(run_module, iam, aws_managed_arn):
    api_calls(run_module, BASE)
    change = dict(BASE, description="new", max_session_duration=7200, managed_policy_arns=[aws_managed_arn])
    result, names = api_calls(run_module, change)
    assert result["changed"] and {"UpdateRole", "AttachRolePolicy"} <= set(names)
    role = iam.get_role(RoleName=NAME)["Role"]
    assert role["Description"] == "new" and role["MaxSessionDuration"] == 7200
    only_duration, _names = api_calls(run_module, {"name": NAME, "max_session_duration": 3600})
    role = iam.get_role(RoleName=NAME)["Role"]
    assert only_duration["changed"] and role["Description"] == "new" and role["MaxSessionDuration"] == 3600


def test_omitted_policies_are_not_read(run_module, iam):
    api_calls(run_module, BASE)
    result, names = api_calls(run_module, {"name": NAME, "tags": {"Stack": "cloudresume"}})
    assert not result["changed"] and names == ["GetRole"]
    assert "inline_policies" not in result["iam_role"]


def test_an_existing_role_keeps_its_path_with_a_warning(run_module, iam):
    api_calls(run_module, BASE)
    result, _names = api_calls(run_module, dict(BASE, path="/github-actions/"), diff=True)
    assert not result["changed"] and result["iam_role"]["path"] == "/"
    assert any("cannot move" in w for w in result["warnings"])
    assert "cannot move" in result["diff"]["after"]["path"]


def test_absent_removes_policies_first_then_the_role(run_module, iam, aws_managed_arn):
    api_calls(run_module, dict(BASE, managed_policy_arns=[aws_managed_arn]))
    checked, names = api_calls(run_module, {"name": NAME, "state": "absent"}, check_mode=True, diff=True)
    assert checked["changed"] and checked["diff"]["after"] == {}
    assert checked["diff"]["before"]["inline_policies"] == {"FunctionAccess": ACCESS}
    assert iam.get_role(RoleName=NAME)
    result, names = api_calls(run_module, {"name": NAME, "state": "absent"})
    assert result["changed"] and result["iam_role"] == {}
    assert names == ["GetRole", "ListRolePolicies", "ListAttachedRolePolicies", "DeleteRolePolicy",
                     "DetachRolePolicy", "DeleteRole"]
    assert iam.list_roles()["Roles"] == []
    again, names = api_calls(run_module, {"name": NAME, "state": "absent"})
    assert not again["changed"] and names == ["GetRole"]


def test_absent_never_touches_an_instance_profile(run_module, iam):
    api_calls(run_module, BASE)
    iam.create_instance_profile(InstanceProfileName="theirs")
    iam.add_role_to_instance_profile(InstanceProfileName="theirs", RoleName=NAME)
    msg, names = failure(run_module, {"name": NAME, "state": "absent"})
    assert "delete role" in msg and "InstanceProfile" not in " ".join(names)
    assert iam.get_instance_profile(InstanceProfileName="theirs")["InstanceProfile"]["Roles"]


@pytest.mark.parametrize(("change", "field"), [
    ({"inline_policies": {"FunctionAccess": "{not json"}}, "inline_policies.FunctionAccess: not valid JSON"),
    ({"inline_policies": {"FunctionAccess": {"Statement": [{"Effect": "Allow", "Action": "s3:*"}]}}},
     "inline_policies.FunctionAccess.Statement[0]: a statement needs exactly one of Resource and NotResource"),
    ({"inline_policies": {"FunctionAccess": TRUST}}, "inline_policies.FunctionAccess.Statement[0]"),
    ({"inline_policies": {"bad name": ACCESS}}, "inline_policies.bad name"),
    ({"assume_role_policy_document": "[]"}, "assume_role_policy_document: must be a policy document"),
    ({"assume_role_policy_document": ACCESS}, "assume_role_policy_document.Statement[0]"),
    ({"max_session_duration": 60}, "max_session_duration"),
    ({"managed_policy_arns": ["ReadOnlyAccess"]}, "managed_policy_arns[0]"),
    ({"tags": {"aws:x": "y"}}, "tags"),
    ({"path": "no-slashes"}, "path"),
])
def test_bad_input_names_the_field_and_changes_nothing(run_module, iam, change, field):
    api_calls(run_module, BASE)
    msg, names = failure(run_module, dict(BASE, **change))
    assert msg.startswith(field), msg
    assert names == []


def test_a_document_iam_refuses_fails_naming_the_field(run_module, iam):
    api_calls(run_module, BASE)
    no_vendor = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "GetItem", "Resource": "*"}]}
    msg, names = failure(run_module, dict(BASE, inline_policies={"FunctionAccess": ACCESS, "Other": no_vendor}))
    assert msg.startswith("inline_policies.Other: IAM refused the document (MalformedPolicyDocument)"), msg
    assert names[-1] == "PutRolePolicy" and set(inline(iam)) == {"FunctionAccess"}


def test_a_missing_role_is_required_a_trust_policy(run_module, iam):
    msg, names = failure(run_module, {"name": NAME, "inline_policies": {}})
    assert msg.startswith("assume_role_policy_document: required") and names == ["GetRole"]


def test_a_new_role_not_yet_visible_is_retried(run_module, iam, monkeypatch):
    monkeypatch.setattr(iam_utils, "NEW_ROLE_DELAYS", (0, 0))
    original = iam_utils.AWSRetry.jittered_backoff()
    calls = []

    def flaky(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise ClientError({"Error": {"Code": "NoSuchEntity", "Message": f"The role with name {NAME} cannot be found."}},
                              "PutRolePolicy")
        return boto3.client("iam", region_name="us-east-2").put_role_policy(**kwargs)

    retried = iam_utils.until_visible(original(flaky), NAME)
    iam.create_role(RoleName=NAME, AssumeRolePolicyDocument=json.dumps(TRUST))
    retried(RoleName=NAME, PolicyName="FunctionAccess", PolicyDocument=json.dumps(ACCESS))
    assert len(calls) == 2 and inline(iam) == {"FunctionAccess": ACCESS}
    missing_policy = ClientError({"Error": {"Code": "NoSuchEntity", "Message": "Policy arn:x does not exist"}}, "AttachRolePolicy")
    with pytest.raises(ClientError):
        iam_utils.until_visible(mock.Mock(side_effect=missing_policy), NAME)(RoleName=NAME, PolicyArn="arn:x")
