"""playbooks/bootstrap.yml on the emulator: GitHub's OIDC provider and the two workflow roles, trusted
by one repository only, the counter function's role and the alarm topic's key (which only an administrator may
create), idempotent, check-mode safe, with inline policies in which parliament and cloudsplaining find nothing
unexplained and that allow every call of a full deploy, check-mode run, restore and teardown, none of which writes
IAM or KMS. Resources and conditions are judged on the rendered policy in tests/unit/test_bootstrap_policy.py."""
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


# --- every call the stack's playbooks make is allowed -------------------------------------------------------------

IAM_PREFIX = {"apigatewayv2": "apigateway", "monitoring": "cloudwatch"}
# S3 operations whose IAM action has another name (https://docs.aws.amazon.com/AmazonS3/latest/API/API_Operations.html).
S3_ACTIONS = {
    "HeadBucket": ["ListBucket"], "HeadObject": ["GetObject"], "ListObjectsV2": ["ListBucket"],
    "ListObjects": ["ListBucket"], "ListObjectVersions": ["ListBucketVersions"], "DeleteObjects": ["DeleteObject"],
    "ListBuckets": ["ListAllMyBuckets"], "CopyObject": ["GetObject", "PutObject"],
    "GetBucketEncryption": ["GetEncryptionConfiguration"], "PutBucketEncryption": ["PutEncryptionConfiguration"],
    "DeleteBucketEncryption": ["PutEncryptionConfiguration"],
    "GetPublicAccessBlock": ["GetBucketPublicAccessBlock"], "PutPublicAccessBlock": ["PutBucketPublicAccessBlock"],
    "DeletePublicAccessBlock": ["PutBucketPublicAccessBlock"], "DeleteBucketTagging": ["PutBucketTagging"],
    "GetBucketLifecycleConfiguration": ["GetLifecycleConfiguration"],
    "PutBucketLifecycleConfiguration": ["PutLifecycleConfiguration"],
    "DeleteBucketLifecycle": ["PutLifecycleConfiguration"], "DeleteBucketOwnershipControls": ["PutBucketOwnershipControls"],
    "GetBucketAccelerateConfiguration": ["GetAccelerateConfiguration"],
    "GetObjectLockConfiguration": ["GetBucketObjectLockConfiguration"],
    "ListBucketInventoryConfigurations": ["GetInventoryConfiguration"],
}
OTHER_ACTIONS = {("cloudfront", "CreateDistributionWithTags"): ["CreateDistribution", "TagResource"]}
HTTP_VERBS = (("Get", "GET"), ("Create", "POST"), ("Tag", "POST"), ("Update", "PATCH"), ("Delete", "DELETE"),
              ("Untag", "DELETE"), ("Import", "PUT"), ("Reimport", "PUT"))
NO_PERMISSION_NEEDED = {("sts", "GetCallerIdentity")}


def iam_actions(service: str, operation: str) -> list[str]:
    prefix = IAM_PREFIX.get(service, service)
    if service == "apigatewayv2":
        return [f"apigateway:{next(verb for start, verb in HTTP_VERBS if operation.startswith(start))}"]
    if service == "s3":
        return [f"s3:{name}" for name in S3_ACTIONS.get(operation, [operation])]
    return [f"{prefix}:{name}" for name in OTHER_ACTIONS.get((service, operation), [operation])]


def allowed(policy: dict[str, Any], action: str) -> bool:
    return any(fnmatch.fnmatch(action.lower(), a.lower()) for s in policy["Statement"] for a in s["Action"])


def calls(entries: list[dict[str, Any]]) -> set[tuple[str, str]]:
    return {(e["service"], e["operation"]) for e in entries} - NO_PERMISSION_NEEDED


def test_policies_allow_every_call_of_a_deploy_check_restore_and_teardown(emulator: Emulator, iam: Any) -> None:
    deploy_policy, check_policy = inline_policy(iam, DEPLOY), inline_policy(iam, CHECK)
    runs = [run_playbook(emulator, "site.yml", extra_vars=CMK),
            run_playbook(emulator, "site.yml", "--check", "--diff", extra_vars=CMK),
            run_playbook(emulator, "playbooks/restore.yml",
                         extra_vars={"restore_latest": "true", "restore_confirm": "cloudresume-visitors"}),
            run_playbook(emulator, "playbooks/teardown.yml", extra_vars={"stack_destroy_data": "true", **CMK})]
    for run in runs:
        assert run.returncode == 0, run.output[-4000:]
    check_calls = calls(runs[1].calls)
    every_call = calls([c for run in runs for c in run.calls])
    assert {service for service, _action in every_call} >= {"dynamodb", "lambda", "apigatewayv2", "s3", "cloudfront", "logs"}
    missing = sorted(f"{s}:{o}" for s, o in every_call
                     if not all(allowed(deploy_policy, a) for a in iam_actions(s, o)))
    assert missing == [], "deploy role lacks these calls"
    missing = sorted(f"{s}:{o}" for s, o in check_calls if not all(allowed(check_policy, a) for a in iam_actions(s, o)))
    assert missing == [], "check role lacks these calls of a check-mode run"
    # The function's role and the topic's key are the bootstrap's: no run writes IAM or KMS, the teardown keeps them.
    assert [c for run in runs for c in run.mutating if c.startswith(("iam:", "kms:"))] == []
    assert "RestoreTableToPointInTime" in " ".join(runs[2].mutating)
    assert "playbooks/bootstrap.yml owns it" in runs[3].output
    assert iam.get_role(RoleName=FUNCTION_ROLE)["Role"]["Path"] == "/github-actions/"
    assert emulator.client("kms").describe_key(KeyId=KEY_ALIAS)["KeyMetadata"]["KeyState"] == "Enabled"


def test_bootstrap_absent_removes_what_it_created(emulator: Emulator, iam: Any) -> None:
    bootstrap(emulator, "-e", "bootstrap_state=absent")
    roles = {r["RoleName"] for r in iam.list_roles()["Roles"]}
    assert not roles & {DEPLOY, CHECK, FUNCTION_ROLE}
    assert emulator.client("kms").describe_key(KeyId=KEY_ALIAS)["KeyMetadata"]["KeyState"] == "PendingDeletion"
    assert iam.list_open_id_connect_providers()["OpenIDConnectProviderList"] == []
