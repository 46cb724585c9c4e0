"""The GitHub workflow roles of playbooks/bootstrap.yml, assumed as GitHub Actions does, and another team's function
(an account is rarely empty); shared by test_iam_lifecycle.py and test_deploy_role_containment.py."""
from __future__ import annotations

import io
import json
import zipfile

import boto3
from botocore import UNSIGNED
from botocore.config import Config

from emulator.iam.trust import unsigned_token

from .conftest import Emulator

REPO = "octo/resume"
DEPLOY, CHECK = "cloudresume-github-deploy", "cloudresume-github-check"
# The subjects GitHub puts in the OIDC token of a push to main and of a pull request (the roles' trust policies).
SUBJECTS = {DEPLOY: f"repo:{REPO}:ref:refs/heads/main", CHECK: f"repo:{REPO}:pull_request"}


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
