"""playbooks/bootstrap.yml on the emulator: GitHub's OIDC provider and the two workflow roles, trusted
by one repository only, the counter function's role and the alarm topic's key (which only an administrator may
create), idempotent, check-mode safe, with inline policies in which parliament and cloudsplaining find nothing
unexplained. That the policies allow every call of a deploy, check-mode run, restore and teardown, none of which
writes IAM or KMS, is proven under IAM enforcement in test_iam_lifecycle.py (each run under the role's own
credentials). Resources and conditions are judged on the rendered policy in tests/unit/test_bootstrap_policy.py."""
from __future__ import annotations

import fnmatch
from typing import Any

import pytest
from tests.unit.test_bootstrap_policy import unexplained_findings

from .conftest import Emulator, PlaybookRun, emulator_fixture, run_playbook

REPO = "octo/resume"
DEPLOY, CHECK = "cloudresume-github-deploy", "cloudresume-github-check"
POLICY = "cloudresume-stack-access"
FUNCTION_ROLE, FUNCTION_POLICY = "cloudresume-counter-us-east-2", "cloudresume-counter-access"
KEY_ALIAS = "alias/cloudresume-alarms"
# The alarm topic's key is opt-in (monitoring_topic_cmk): this file bootstraps and deploys with it, so the key the
# bootstrap owns is covered.
CMK = {"monitoring_topic_cmk": "true"}
ISSUER = "token.actions.githubusercontent.com"

emulator = emulator_fixture()


@pytest.fixture(scope="module")
def iam(emulator: Emulator) -> Any:
    return emulator.client("iam")


def bootstrap(emulator: Emulator, *args: str) -> PlaybookRun:
    result = run_playbook(emulator, "playbooks/bootstrap.yml", *args,
                          extra_vars={"bootstrap_github_repository": REPO, **CMK})
    assert result.returncode == 0, result.output[-4000:]
    return result


def inline_policy(iam: Any, role: str) -> dict[str, Any]:
    return iam.get_role_policy(RoleName=role, PolicyName=POLICY)["PolicyDocument"]


def test_bad_repository_fails_before_any_aws_call(emulator: Emulator) -> None:
    result = run_playbook(emulator, "playbooks/bootstrap.yml", extra_vars={"bootstrap_github_repository": "not-a-repo"})
    assert result.returncode != 0 and "bootstrap_github_repository" in result.output
    assert result.calls == []


def test_check_mode_on_an_empty_account_changes_nothing(emulator: Emulator, iam: Any) -> None:
    result = bootstrap(emulator, "--check", "--diff")
    assert result.stats["changed"] > 0 and result.mutating == []
    assert iam.list_open_id_connect_providers()["OpenIDConnectProviderList"] == []


def test_creates_provider_and_roles_trusted_by_one_repository(emulator: Emulator, iam: Any) -> None:
    bootstrap(emulator)
    (provider,) = iam.list_open_id_connect_providers()["OpenIDConnectProviderList"]
    assert provider["Arn"].endswith(f":oidc-provider/{ISSUER}")
    assert iam.get_open_id_connect_provider(OpenIDConnectProviderArn=provider["Arn"])["ClientIDList"] == [
        "sts.amazonaws.com"]
    for role, subject in ((DEPLOY, f"repo:{REPO}:ref:refs/heads/main"), (CHECK, f"repo:{REPO}:pull_request")):
        found = iam.get_role(RoleName=role)["Role"]
        assert found["Path"] == "/github-actions/"
        (statement,) = found["AssumeRolePolicyDocument"]["Statement"]
        assert statement["Principal"] == {"Federated": provider["Arn"]}
        assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
        assert statement["Condition"] == {"StringEquals": {f"{ISSUER}:aud": "sts.amazonaws.com",
                                                           f"{ISSUER}:sub": subject}}
        assert iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"] == []


def test_rerun_makes_no_mutating_call(emulator: Emulator) -> None:
    result = bootstrap(emulator)
    assert result.stats["changed"] == 0 and result.mutating == []


def test_the_check_role_switched_off_on_the_command_line_is_planned_for_removal(emulator: Emulator, iam: Any) -> None:
    """-e passes the string "false": the bootstrap reads it as a boolean (it once kept the role)."""
    result = bootstrap(emulator, "--check", "--diff", "-e", "bootstrap_check_role_enabled=false")
    assert result.returncode == 0 and result.mutating == [], result.output[-3000:]
    assert result.stats["changed"] >= 1, result.output[-3000:]
    assert iam.get_role(RoleName=CHECK)["Role"]["RoleName"] == CHECK


@pytest.mark.parametrize("role", [DEPLOY, CHECK])
def test_parliament_and_cloudsplaining_find_nothing_unexplained(iam: Any, role: str) -> None:
    assert unexplained_findings(inline_policy(iam, role)) == []


def test_function_role_and_topic_key_are_the_bootstraps(emulator: Emulator, iam: Any) -> None:
    role = iam.get_role(RoleName=FUNCTION_ROLE)["Role"]
    assert role["Path"] == "/github-actions/"
    (trust,) = role["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "lambda.amazonaws.com"}
    function_policy = iam.get_role_policy(RoleName=FUNCTION_ROLE, PolicyName=FUNCTION_POLICY)["PolicyDocument"]
    assert {a for s in function_policy["Statement"] for a in s["Action"]} == {
        "dynamodb:GetItem", "dynamodb:UpdateItem", "logs:CreateLogStream", "logs:PutLogEvents"}
    key = emulator.client("kms").describe_key(KeyId=KEY_ALIAS)["KeyMetadata"]
    statements = {s["Sid"]: s for s in inline_policy(iam, DEPLOY)["Statement"]}
    assert statements["PassFunctionRoleToLambda"]["Resource"] == [role["Arn"]]
    assert statements["FunctionRoleRead"]["Resource"] == [role["Arn"]]
    assert statements["AlarmTopicKey"]["Resource"] == [key["Arn"]]


def test_policies_name_actions_and_scope_the_stack(iam: Any) -> None:
    deploy, check = inline_policy(iam, DEPLOY), inline_policy(iam, CHECK)
    for statement in deploy["Statement"] + check["Statement"]:
        assert statement["Effect"] == ("Deny" if statement["Sid"] == "NoStackTagOnExistingResources" else "Allow")
        assert all("*" not in action for action in statement["Action"]), statement["Sid"]
        # the deploy role may manage the function's role, never its own (kept under /github-actions/)
        assert not any(fnmatch.fnmatch(f"arn:aws:iam::123456789012:role/github-actions/{DEPLOY}", r)
                       for r in statement["Resource"] if ":iam::" in r)
    check_actions = {a for s in check["Statement"] for a in s["Action"]}
    assert check_actions and all(a.split(":")[1].startswith(("Describe", "Get", "List")) or a == "apigateway:GET"
                                 for a in check_actions)
    assert check_actions < {a for s in deploy["Statement"] for a in s["Action"]}


def test_bootstrap_absent_removes_what_it_created(emulator: Emulator, iam: Any) -> None:
    bootstrap(emulator, "-e", "bootstrap_state=absent")
    roles = {r["RoleName"] for r in iam.list_roles()["Roles"]}
    assert not roles & {DEPLOY, CHECK, FUNCTION_ROLE}
    assert emulator.client("kms").describe_key(KeyId=KEY_ALIAS)["KeyMetadata"]["KeyState"] == "PendingDeletion"
    assert iam.list_open_id_connect_providers()["OpenIDConnectProviderList"] == []
