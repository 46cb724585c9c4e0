"""The stack's lifecycle in a real account: IAM enforced, under the GitHub workflow roles' own credentials, beside
other stacks' resources, with both custom domains (the site's names and the API's). One deployment in us-east-2
serves every step, in file order.

An administrator (the inventories' unrestricted test credentials) applies playbooks/bootstrap.yml; the deploy and
check roles are then assumed as GitHub Actions does (AssumeRoleWithWebIdentity) and every playbook runs with those
temporary credentials: each step must make no call that IAM denies (the request log names the denied action and
resource of each), and no run writes IAM or KMS (the function's role and the alarm topic's key are the bootstrap's,
and the teardowns leave them). The account also holds the neighbours of tests/integration/neighbours.py (other
stacks whose names share the stack's prefix, more than a page of distributions, another team's functions with
secrets in their environment) and the same stack deployed in us-west-2: moto's request recording shows, for each
lifecycle step, no request naming a neighbour other than a listing, and after the last run every neighbour's
configuration and tags equal the snapshot taken before the first (one snapshot of the 159 neighbours is ~1.5 s of
reads: taken once at the end, it also covers the runs between the steps). The user's public hosted zone
(example.com, with a mail record of their own) holds the stack's validation and alias records while the stack is
deployed; the zone and its own record outlive every teardown. The figures of each step are written to
build/crowded-account.json.

Where each lifecycle fact of the whole stack is proven (each once):

- check mode on an account without the stack plans every layer and changes nothing: here (check role);
- the first deploy; a rerun changes nothing and makes no mutating call; check mode on the deployed stack reports
  changed=0: here (deploy and check roles, crowded account); under AWS's eventual consistency and throttling:
  test_galaxy_install.py (the installed collection deployed from an empty folder, rerun, at the end torn down); a
  module alone: test_http_api_playbook.py;
- the first deploy wires the layers to each other (CORS, config.json, CSP, alarm actions, table name, summary):
  test_galaxy_install.py, and after a layer-by-layer deploy test_layers_rollout_and_costs.py (accounts holding
  only the stack, which that check reads back whole);
- teardown's check mode changes nothing; teardown keeps the table (its ARN, point-in-time recovery and count) and
  the site bucket (its versions), and removes every other resource of the stack's kinds, nothing else; a second
  teardown changes nothing; a redeploy reuses the kept table and its count; teardown with the data removes the
  bucket with noncurrent versions and delete markers: here (inventory of every resource of the stack's kinds
  against the account before the deploy, tests/integration/inventory.py);
- teardown of a partly deployed stack (only counter_db): test_inputs_and_restore.py, after its restores;
- a bad stack_destroy_data stops the teardown before any AWS call: test_preflight.py;
- reserved concurrency set then unset, a configuration-only change published and rolled back, a restore: here
  under the roles (the rollout's semantics, versions and the API answering: test_layers_rollout_and_costs.py; the
  restore's: test_inputs_and_restore.py);
- the deploy role cannot escalate or reach other stacks: test_deploy_role_containment.py;
- the custom domains, under the roles: planned on the empty account, certificates issued through DNS validation in
  the user's zone (us-east-1 for CloudFront, the stack's region for the API), the CloudFront aliases, the API's
  Regional domain name and its mapping, the alias records, CORS and the page following the custom origins; a
  missing zone refused before any change; teardown removing records, domain name and certificates and keeping the
  zone and the user's record: here (the bootstrap's domain grants evaluated on every call);
- interrupted deploys: test_interrupted_*.py; layer by layer, --skip-tags, check mode of a change:
  test_layers_rollout_and_costs.py.
"""
from __future__ import annotations

import json
import os
import subprocess
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from botocore.exceptions import ClientError

from . import neighbours
from .conftest import ROOT, Emulator, PlaybookRun, free_port, run_playbook
from .inventory import difference, stack_resources
from .wiring import outputs_file
from .workflow_roles import CHECK, DEPLOY, REPO, assume

OTHER_REGION = "us-west-2"
TABLE = "cloudresume-visitors"
KEY = {"counter_id": {"S": "visitors"}}
DESTROY = {"stack_destroy_data": "true"}
# The deploys reserve the function's concurrency: the configuration change below unsets it (both calls under IAM).
DEPLOYED = {"counter_api_reserved_concurrency": 5}
FIGURES = ROOT / "build" / "crowded-account.json"
NAMES = ["example.com", "www.example.com"]
API_NAME = "api.example.com"
DOMAINS = {"static_site_domain_names": NAMES, "counter_api_domain_name": API_NAME}
CLOUDFRONT_ZONE = "Z2FDTNDATAQYW2"
API_GATEWAY_ZONE = "ZOJJZC49E0EPZ"  # us-east-2's Regional API Gateway zone (AWS's endpoints table)


class RecordedEmulator(Emulator):
    """An emulator enforcing IAM whose every request moto also records with its URL and body
    (MOTO_ENABLE_RECORDING)."""

    @property
    def recording(self):
        return self.log_path.parent / "recording.jsonl"

    def start(self) -> None:
        env = {**os.environ, "MOTO_ENABLE_RECORDING": "true", "MOTO_RECORDER_FILEPATH": str(self.recording)}
        for action in (["start", "--enforce-iam"], ["reset"]):
            subprocess.run([str(ROOT / "tools" / "scripts" / "emulator"), *action, "--port", str(self.port)],
                           check=True, capture_output=True, env=env)
        self.recording.write_text("", encoding="utf-8")

    def mark(self) -> int:
        return len(self.recording.read_text(encoding="utf-8").splitlines())


@pytest.fixture(scope="module")
def emulator() -> Iterator[RecordedEmulator]:
    emulator = RecordedEmulator(free_port(), enforce_iam=True)
    emulator.start()
    yield emulator
    emulator.command("stop")


@pytest.fixture(scope="module")
def account(emulator) -> str:
    return emulator.client("sts").get_caller_identity()["Account"]


@pytest.fixture(scope="module")
def domains(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """``-e @file`` with the custom domains (lists do not pass as key=value), for the bootstrap and every step."""
    path = tmp_path_factory.mktemp("domains") / "domains.json"
    path.write_text(json.dumps(DOMAINS), encoding="utf-8")
    return "-e", f"@{path}"


@pytest.fixture(scope="module")
def zone(emulator: RecordedEmulator) -> str:
    """The user's public hosted zone, with a record of their own (mail) that nothing may touch."""
    route53 = emulator.client("route53", region="us-east-1")
    zone_id = route53.create_hosted_zone(Name="example.com", CallerReference="user")["HostedZone"]["Id"]
    route53.change_resource_record_sets(HostedZoneId=zone_id, ChangeBatch={"Changes": [{
        "Action": "CREATE", "ResourceRecordSet": {"Name": "example.com.", "Type": "MX", "TTL": 300,
                                                  "ResourceRecords": [{"Value": "10 mail.example.net."}]}}]})
    return zone_id.split("/")[-1]


@pytest.fixture(scope="module")
def roles(emulator: RecordedEmulator, domains: tuple[str, str]) -> dict[str, dict[str, str]]:
    # The bootstrap grants the domains' calls only when it knows the names (roles/bootstrap/vars/main.yml).
    result = run_playbook(emulator, "playbooks/bootstrap.yml", *domains,
                          extra_vars={"bootstrap_github_repository": REPO})
    assert result.returncode == 0, result.output[-4000:]
    return {"deploy": assume(emulator, DEPLOY), "check": assume(emulator, CHECK)}


@pytest.fixture(scope="module")
def crowd(emulator, account, roles) -> neighbours.Crowd:
    """The neighbours, and the same stack deployed in us-west-2 by the administrator."""
    crowd = neighbours.seed(emulator, account)
    west = run_playbook(emulator, "site.yml", extra_vars={"stack_region": OTHER_REGION})
    assert west.returncode == 0, west.output[-4000:]
    neighbours.add_deployed_stack(emulator, crowd, OTHER_REGION, account)
    return crowd


@dataclass
class Lifecycle:
    emulator: RecordedEmulator
    roles: dict[str, dict[str, str]]
    crowd: neighbours.Crowd
    before: dict[str, Any]  # every neighbour's configuration and tags before the first step
    account_before: dict[str, list[str]]  # every resource of the stack's kinds before the first deploy
    figures: dict[str, Any]
    bucket: str
    domains: tuple[str, str]  # -e @file with the custom domains
    deployed_table: dict[str, Any] = field(default_factory=dict)

    def attempt(self, role: str, playbook: str, *args: str, extra_vars: dict[str, Any] | None = None,
                deleted_certificates: bool = False) -> PlaybookRun:
        """A playbook under a workflow role, with the custom domains: every call signed by the role, none denied.

        ``deleted_certificates``: a deploy within the hour of a teardown, to which ACM answers the deleted
        certificates of the same requests' tokens; reading one is denied (the role reads certificates by their
        Stack tag, which a deleted one no longer has), by design: acm_dns_certificate then asks again."""
        result = run_playbook(self.emulator, playbook, *self.domains, *args,
                              extra_vars={**self.roles[role], **(extra_vars or {})})
        unsigned = [f"{c['service']}:{c['operation']}" for c in result.calls if "evaluated" not in c]
        assert unsigned == [], f"every call of the run is signed by the role: {unsigned}"
        denied = [d for d in result.denied if not (deleted_certificates and self.reads_a_deleted_certificate(d))]
        assert denied == [], denied
        return result

    def reads_a_deleted_certificate(self, denied: str) -> bool:
        operation, _action, arn = denied.split(" ")
        if operation != "acm:DescribeCertificate":
            return False
        try:
            self.emulator.client("acm", region=arn.split(":")[3]).describe_certificate(CertificateArn=arn)
        except ClientError as missing:
            return missing.response["Error"]["Code"] == "ResourceNotFoundException"
        return False

    def run(self, role: str, playbook: str, *args: str, extra_vars: dict[str, Any] | None = None,
            deleted_certificates: bool = False) -> PlaybookRun:
        """A playbook that succeeds under a workflow role, makes calls, and writes neither IAM nor KMS."""
        result = self.attempt(role, playbook, *args, extra_vars=extra_vars, deleted_certificates=deleted_certificates)
        assert result.calls, "the run made calls"
        assert [c for c in result.mutating if c.startswith(("iam:", "kms:"))] == [], "the bootstrap owns IAM and KMS"
        print(f"\n{playbook} {' '.join(args)}: {len(result.calls)} calls, "
              f"{sum(c['evaluated'] for c in result.calls)} (action, resource) evaluations, none denied")
        assert result.returncode == 0, result.output[-4000:]
        return result

    def step(self, name: str, role: str, playbook: str, *args: str, extra_vars: dict[str, Any] | None = None,
             deleted_certificates: bool = False) -> PlaybookRun:
        """A lifecycle step: run as the role, and assert that no request of it named a neighbour beyond a listing."""
        mark = self.emulator.mark()
        run = self.run(role, playbook, *args, extra_vars=extra_vars, deleted_certificates=deleted_certificates)
        named = neighbours.named_in(neighbours.recorded(self.emulator.recording, mark), self.crowd)
        self.figures[name] = {
            "calls": len(run.calls), "mutating calls": len(run.mutating), "changed": run.stats.get("changed"),
            "neighbours": len(self.crowd.neighbours),
            "neighbour requests beyond a listing": len(neighbours.beyond_listing(named)),
            "neighbour listings by name": sorted({f"{op} ({kind})" for op, kind, _name in named})}
        assert neighbours.beyond_listing(named) == [], named
        return run


@pytest.fixture(scope="module")
def lifecycle(emulator, account, roles, crowd, zone, domains) -> Iterator[Lifecycle]:
    figures: dict[str, Any] = {}
    yield Lifecycle(emulator, roles, crowd, neighbours.snapshot(crowd), stack_resources(emulator), figures,
                    f"cloudresume-site-us-east-2-{account}", domains)
    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    FIGURES.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


def bump(emulator: Emulator, times: int) -> int:
    """``times`` visits counted the way the function counts them."""
    ddb = emulator.client("dynamodb")
    for unused in range(times):
        ddb.update_item(TableName=TABLE, Key=KEY, UpdateExpression="ADD #c :one",
                        ExpressionAttributeNames={"#c": "count"}, ExpressionAttributeValues={":one": {"N": "1"}})
    return count(emulator)


def count(emulator: Emulator) -> int:
    return int(emulator.client("dynamodb").get_item(TableName=TABLE, Key=KEY)["Item"]["count"]["N"])


def table(emulator: Emulator) -> dict[str, Any]:
    ddb = emulator.client("dynamodb")
    pitr = ddb.describe_continuous_backups(TableName=TABLE)["ContinuousBackupsDescription"]
    return {"arn": ddb.describe_table(TableName=TABLE)["Table"]["TableArn"],
            "pitr": pitr["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"]}


def versions(emulator: Emulator, bucket: str) -> int:
    listed = emulator.client("s3").list_object_versions(Bucket=bucket)
    return len(listed.get("Versions", [])) + len(listed.get("DeleteMarkers", []))


def certificates(emulator: Emulator, region: str) -> list[dict[str, Any]]:
    acm = emulator.client("acm", region=region)
    return [acm.describe_certificate(CertificateArn=c["CertificateArn"])["Certificate"]
            for c in acm.list_certificates()["CertificateSummaryList"]]


def records(emulator: Emulator, zone_id: str) -> list[dict[str, Any]]:
    return emulator.client("route53", region="us-east-1").list_resource_record_sets(
        HostedZoneId=zone_id)["ResourceRecordSets"]


def assert_domains_served(emulator: Emulator, zone_id: str) -> None:
    """The site's names on the distribution with the us-east-1 certificate, the API's name on its Regional domain
    name with the stack region's certificate, A and AAAA aliases to each, the validation records in the zone, and the
    API's CORS, the page's config.json, the CSP and the summary following the custom origins."""
    summary = json.loads(outputs_file(emulator).read_text(encoding="utf-8"))
    (site_cert,) = certificates(emulator, "us-east-1")
    (api_cert,) = certificates(emulator, "us-east-2")
    assert (site_cert["Status"], site_cert["SubjectAlternativeNames"]) == ("ISSUED", NAMES)
    assert (api_cert["Status"], api_cert["SubjectAlternativeNames"]) == ("ISSUED", [API_NAME])
    cloudfront = emulator.client("cloudfront", region="us-east-1")
    distribution = cloudfront.get_distribution(Id=summary["static_site"]["distribution_id"])["Distribution"]
    config = distribution["DistributionConfig"]
    assert sorted(config["Aliases"]["Items"]) == NAMES
    viewer = config["ViewerCertificate"]
    assert (viewer["ACMCertificateArn"], viewer["SSLSupportMethod"], viewer["MinimumProtocolVersion"]) == (
        site_cert["CertificateArn"], "sni-only", "TLSv1.2_2021")
    apigw = emulator.client("apigatewayv2")
    domain = apigw.get_domain_name(DomainName=API_NAME)
    (domain_config,) = domain["DomainNameConfigurations"]
    assert (domain_config["CertificateArn"], domain_config["EndpointType"], domain_config["SecurityPolicy"],
            domain_config["HostedZoneId"]) == (api_cert["CertificateArn"], "REGIONAL", "TLS_1_2", API_GATEWAY_ZONE)
    (mapping,) = apigw.get_api_mappings(DomainName=API_NAME)["Items"]
    assert (mapping["ApiId"], mapping["Stage"]) == (summary["counter_api"]["api_id"], "$default")
    aliases = {(r["Name"], r["Type"]): r["AliasTarget"] for r in records(emulator, zone_id) if "AliasTarget" in r}
    assert sorted(aliases) == sorted((f"{n}.", t) for n in [*NAMES, API_NAME] for t in ("A", "AAAA"))
    for (name, _type), target in aliases.items():
        expected = ((domain_config["ApiGatewayDomainName"], API_GATEWAY_ZONE) if name == f"{API_NAME}."
                    else (distribution["DomainName"], CLOUDFRONT_ZONE))
        assert (target["DNSName"].rstrip("."), target["HostedZoneId"]) == expected
    cnames = {r["Name"] for r in records(emulator, zone_id) if r["Type"] == "CNAME"}
    for cert in (site_cert, api_cert):
        assert {o["ResourceRecord"]["Name"] for o in cert["DomainValidationOptions"]} <= cnames
    api = apigw.get_api(ApiId=summary["counter_api"]["api_id"])
    assert {"https://example.com", "https://www.example.com"} <= set(api["CorsConfiguration"]["AllowOrigins"])
    assert summary["static_site"]["url"] == "https://example.com"
    assert summary["counter_api"]["api_url"] == f"https://{API_NAME}" == summary["counter_api"]["custom_domain"]["url"]
    assert summary["static_site"]["counter_url"] == f"https://{API_NAME}/count"
    page_config = emulator.client("s3").get_object(Bucket=summary["static_site"]["bucket"], Key="config.json")
    assert json.loads(page_config["Body"].read()) == {"counterUrl": f"https://{API_NAME}/count"}
    policy_id = config["DefaultCacheBehavior"]["ResponseHeadersPolicyId"]
    csp = cloudfront.get_response_headers_policy(Id=policy_id)["ResponseHeadersPolicy"][
        "ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]["ContentSecurityPolicy"]["ContentSecurityPolicy"]
    assert f"connect-src 'self' https://{API_NAME};" in csp + ";"


def test_the_account_is_crowded(emulator, lifecycle):
    kinds = lifecycle.crowd.kinds()
    assert kinds["distribution"] == neighbours.EXTRA_DISTRIBUTIONS > neighbours.DISTRIBUTION_PAGE
    assert kinds["origin access identity"] >= 1 and kinds["lambda function"] >= 2
    assert all(not isinstance(value, dict) or "missing" not in value for value in lifecycle.before.values())
    pages = emulator.client("cloudfront", "us-east-1").get_paginator("list_distributions").paginate()
    assert len(list(pages)) > 1


def test_check_mode_on_an_account_without_the_stack_under_the_check_role(emulator, lifecycle):
    run = lifecycle.step("check mode, no stack", "check", "site.yml", "--check", "--diff", extra_vars=DEPLOYED)
    assert run.mutating == []
    assert run.stats["changed"] >= 10, run.stats  # every layer's resources would be created
    assert TABLE not in emulator.client("dynamodb").list_tables()["TableNames"]
    # The summary names the planned distribution as such, not by an empty id.
    assert "distribution_id: (planned)" in run.output, run.output[-3000:]
    assert "Would serve example.com, www.example.com with a new certificate" in run.output
    assert "Would point example.com, www.example.com (A and AAAA alias records)" in run.output
    assert f"Would serve the API at https://{API_NAME} (API Gateway custom domain name" in run.output


def test_deploy(emulator, lifecycle, zone):
    run = lifecycle.step("deploy", "deploy", "site.yml", extra_vars=DEPLOYED)
    assert {"lambda:CreateFunction", "cloudfront:CreateDistributionWithTags", "lambda:PutFunctionConcurrency",
            "acm:RequestCertificate", "apigatewayv2:CreateDomainName"} <= set(run.mutating), run.mutating
    assert_domains_served(emulator, zone)
    assert bump(emulator, 3) == 3
    lifecycle.deployed_table.update(table(emulator))
    assert lifecycle.deployed_table["pitr"] == "ENABLED"


def test_rerun_changes_nothing(lifecycle):
    run = lifecycle.step("rerun", "deploy", "site.yml", extra_vars=DEPLOYED)
    assert run.stats["changed"] == 0 and run.mutating == [], run.output[-3000:]
    # One log groups process in a whole run: counter_api's reads its two groups and, for monitoring, the filters
    # (monitoring's own process read the function's group a second time).
    logs = Counter(c["operation"] for c in run.calls if c["service"] == "logs")
    assert (logs["DescribeLogGroups"], logs["DescribeMetricFilters"]) == (2, 1), logs
    assert_release_read_once(run)


def assert_release_read_once(run) -> None:
    """The release is read once, by the preflight (stack_info's release lookup, under the run's role), and decided
    from that on the controller: a lambda_release module process would read the versions, alias and policy again."""
    release = Counter(c["operation"] for c in run.calls
                      if c["operation"] in ("ListVersionsByFunction", "GetAlias", "GetPolicy"))
    assert release == {"ListVersionsByFunction": 1, "GetAlias": 1, "GetPolicy": 1}, release


def test_check_mode_on_the_deployed_stack_under_the_check_role(lifecycle):
    run = lifecycle.step("check mode", "check", "site.yml", "--check", "--diff", extra_vars=DEPLOYED)
    assert run.stats["changed"] == 0 and run.mutating == [], run.output[-3000:]
    assert_release_read_once(run)


def test_a_missing_zone_is_refused_before_any_change(lifecycle):
    missing = lifecycle.attempt("deploy", "site.yml", "--tags", "static_site",
                                extra_vars={"static_site_hosted_zone": "example.org"})
    assert missing.returncode != 0 and missing.mutating == []
    assert "static_site_hosted_zone: no public Route 53 hosted zone named example.org" in missing.output


def test_teardown_check_mode_changes_nothing(lifecycle):
    run = lifecycle.step("teardown check mode", "deploy", "playbooks/teardown.yml", "--check", "--diff")
    assert run.stats["changed"] > 0
    assert run.mutating == []


def test_teardown_keeps_the_data_and_only_the_stacks_resources_go(emulator, lifecycle, zone):
    run = lifecycle.step("teardown", "deploy", "playbooks/teardown.yml")
    # The certificates, the API's domain name and the zone's validation and alias records are gone with the rest
    # (the inventory counts them); the zone keeps its own records and the user's mail record.
    assert sorted(r["Type"] for r in records(emulator, zone)) == ["MX", "NS", "SOA"]
    assert "route53:DeleteHostedZone" not in run.mutating
    assert "playbooks/bootstrap.yml owns it" in run.output
    assert difference(stack_resources(emulator), lifecycle.account_before) == {
        "added": {"tables": [TABLE], "buckets": [lifecycle.bucket]}, "gone": {}}
    assert table(emulator) == lifecycle.deployed_table
    assert count(emulator) == 3
    assert versions(emulator, lifecycle.bucket) > 0
    assert f"DynamoDB table {TABLE}" in run.output and f"S3 bucket {lifecycle.bucket}" in run.output


def test_a_second_teardown_changes_nothing(lifecycle):
    run = lifecycle.step("teardown again", "deploy", "playbooks/teardown.yml")
    assert run.stats["changed"] == 0 and run.mutating == [], run.output[-3000:]


def test_redeploy_reuses_the_kept_data(emulator, lifecycle, zone):
    # Within the hour of the teardown: ACM answers the deleted certificates to the same requests (see attempt()).
    run = lifecycle.step("redeploy", "deploy", "site.yml", extra_vars=DEPLOYED, deleted_certificates=True)
    assert "dynamodb:CreateTable" not in run.mutating
    assert table(emulator) == lifecycle.deployed_table
    assert count(emulator) == 3
    assert_domains_served(emulator, zone)  # new certificates, not the deleted ones ACM answered first


def test_a_configuration_change_then_its_rollback(lifecycle):
    """A configuration-only change (and the reserved concurrency unset) is published by lambda_release; the rollback
    is planned under the check role and made under the deploy role (one UpdateAlias)."""
    changed = lifecycle.run("deploy", "site.yml", "--tags", "counter_api", extra_vars={"counter_api_memory_size": 320})
    assert {"lambda:PublishVersion", "lambda:DeleteFunctionConcurrency"} <= set(changed.mutating), changed.mutating
    planned = lifecycle.run("check", "playbooks/rollback.yml", "--check", "--diff")
    assert planned.mutating == [], planned.output[-3000:]
    rolled = lifecycle.run("deploy", "playbooks/rollback.yml")
    assert rolled.mutating == ["lambda:UpdateAlias"], rolled.output[-3000:]


def test_restore_under_the_deploy_role(lifecycle):
    # The counter holds the visits counted after the deploy, as a live table does: the restore writes each restored
    # item back, reading the live item first (dynamodb_pitr_restore), all under the deploy role.
    run = lifecycle.run("deploy", "playbooks/restore.yml",
                        extra_vars={"restore_latest": "true", "restore_confirm": TABLE})
    assert "dynamodb:RestoreTableToPointInTime" in run.mutating


def test_teardown_with_the_data(emulator, lifecycle, account):
    # A noncurrent version and a delete marker: the bucket goes only once every version is gone.
    s3 = emulator.client("s3")
    s3.put_object(Bucket=lifecycle.bucket, Key="extra.txt", Body=b"one")
    s3.put_object(Bucket=lifecycle.bucket, Key="extra.txt", Body=b"two")
    s3.delete_object(Bucket=lifecycle.bucket, Key="extra.txt")
    run = lifecycle.step("teardown with data", "deploy", "playbooks/teardown.yml", extra_vars=DESTROY)
    assert {"dynamodb:DeleteTable", "s3:DeleteObjects"} <= set(run.mutating), run.mutating
    assert difference(stack_resources(emulator), lifecycle.account_before) == {"added": {}, "gone": {}}
    assert "playbooks/bootstrap.yml owns it" in run.output
    assert emulator.client("iam").get_role(RoleName="cloudresume-counter-us-east-2")["Role"]["Path"] == "/github-actions/"
    # Cost-first default (monitoring_topic_cmk=false): neither the bootstrap nor any run made a customer managed key.
    aliases = emulator.client("kms").list_aliases()["Aliases"]
    assert "alias/cloudresume-alarms" not in [a["AliasName"] for a in aliases]
    assert f"cloudresume-site-{account}" in [b["Name"] for b in s3.list_buckets()["Buckets"]]  # a neighbour's


def test_every_neighbour_is_as_it_was_before_the_first_step(lifecycle):
    touched = neighbours.changed(lifecycle.before, neighbours.snapshot(lifecycle.crowd))
    lifecycle.figures["after the last run"] = {"neighbours": len(lifecycle.crowd.neighbours),
                                               "neighbours touched": len(touched)}
    assert touched == [], touched
