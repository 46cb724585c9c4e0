"""The stack's lifecycle under the GitHub workflow roles' own credentials, with the emulator enforcing IAM.

An administrator (the inventories' unrestricted test credentials) applies playbooks/bootstrap.yml; the deploy and
check roles are then assumed as GitHub Actions does (AssumeRoleWithWebIdentity) and every playbook runs with those
temporary credentials. A real account evaluates every call against the roles' policies: each step must make no
call that IAM denies (the request log names the denied action and resource of each). The account also holds
another team's Lambda function, as real accounts do.
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
    print(f"\n{playbook} {' '.join(args)}: {len(result.calls)} calls, "
          f"{sum(c['evaluated'] for c in evaluated)} (action, resource) evaluations, denied: {result.denied}")
    return result


def test_check_mode_on_an_empty_account_under_the_check_role(emulator: Emulator, roles: dict) -> None:
    result = run_as(emulator, roles["check"], "site.yml", "--check", "--diff")
    assert result.denied == []
    assert result.returncode == 0, result.output[-3000:]
    assert result.mutating == []


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
    table = emulator.client("dynamodb").describe_table(TableName="cloudresume-visitors")["Table"]
    assert table["TableStatus"] == "ACTIVE"
