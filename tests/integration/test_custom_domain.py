"""The custom domains (static_site_domain_names and the API's counter_api_domain_name) on one deployed stack:
check-mode plan on an empty account, deploy (certificates issued through DNS validation in the user's hosted zone,
CloudFront aliases with the us-east-1 certificate, the API's Regional custom domain name with its certificate in the
stack's region and the $default mapping, alias records, CORS, the page calling the API's domain), check mode on the
deployed stack reporting no change (no domain task runs differently in check mode), a missing zone refused before any
change, and teardown removing records, the API's domain name and both certificates while keeping the zone and the
user's own records. Without the monitoring layer.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .conftest import Emulator, PlaybookRun, emulator_fixture, run_playbook

emulator = emulator_fixture()

NAMES = ["example.com", "www.example.com"]
API_NAME = "api.example.com"
CLOUDFRONT_ZONE = "Z2FDTNDATAQYW2"
API_GATEWAY_ZONE = "ZOJJZC49E0EPZ"  # us-east-2's Regional API Gateway zone (AWS's endpoints table)


@pytest.fixture(scope="module")
def domain_vars(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("domain") / "domain.json"
    path.write_text(json.dumps({"static_site_domain_names": NAMES, "counter_api_domain_name": API_NAME}))
    return path


@pytest.fixture(scope="module")
def zone(emulator: Emulator) -> str:
    """The user's public hosted zone, with a record of their own (mail) that nothing may touch."""
    route53 = emulator.client("route53", region="us-east-1")
    zone_id = route53.create_hosted_zone(Name="example.com", CallerReference="user")["HostedZone"]["Id"]
    route53.change_resource_record_sets(HostedZoneId=zone_id, ChangeBatch={"Changes": [{
        "Action": "CREATE", "ResourceRecordSet": {"Name": "example.com.", "Type": "MX", "TTL": 300,
                                                  "ResourceRecords": [{"Value": "10 mail.example.net."}]}}]})
    return zone_id.split("/")[-1]


def run(emulator: Emulator, domain_vars: Path, playbook: str, *args: str, **extra: Any) -> PlaybookRun:
    # The domains belong to static_site and counter_api; monitoring (4 module processes a run, proven with the whole
    # stack in test_iam_lifecycle.py) is skipped, as a user may skip it.
    return run_playbook(emulator, playbook, "-e", f"@{domain_vars}", "--skip-tags", "monitoring", *args,
                        extra_vars=extra or None)


def records(emulator: Emulator, zone_id: str) -> list[dict[str, Any]]:
    route53 = emulator.client("route53", region="us-east-1")
    return route53.list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"]


def certificates(emulator: Emulator, region: str = "us-east-1") -> list[dict[str, Any]]:
    acm = emulator.client("acm", region=region)
    return [acm.describe_certificate(CertificateArn=c["CertificateArn"])["Certificate"]
            for c in acm.list_certificates()["CertificateSummaryList"]]


def distribution(emulator: Emulator) -> dict[str, Any]:
    cloudfront = emulator.client("cloudfront", region="us-east-1")
    (summary,) = cloudfront.list_distributions()["DistributionList"]["Items"]
    return cloudfront.get_distribution(Id=summary["Id"])["Distribution"]


@pytest.fixture(scope="module")
def deployed(emulator: Emulator, zone: str, domain_vars: Path) -> dict[str, PlaybookRun]:
    runs = {"plan": run(emulator, domain_vars, "site.yml", "--check", "--diff")}
    runs["deploy"] = run(emulator, domain_vars, "site.yml")
    return runs


def test_check_mode_on_an_empty_account_plans_the_domain_without_a_change(deployed):
    plan = deployed["plan"]
    assert plan.returncode == 0, plan.output[-3000:]
    assert plan.mutating == []
    assert "Would serve example.com, www.example.com with a new certificate" in plan.output
    assert "Would point example.com, www.example.com (A and AAAA alias records)" in plan.output
    assert f"Would serve the API at https://{API_NAME} (API Gateway custom domain name" in plan.output


def test_deploy_issues_the_certificate_and_serves_the_names(emulator, zone, deployed):
    assert deployed["deploy"].returncode == 0, deployed["deploy"].output[-3000:]
    (cert,) = certificates(emulator)
    assert cert["Status"] == "ISSUED" and cert["SubjectAlternativeNames"] == NAMES
    tags = emulator.client("acm", region="us-east-1").list_tags_for_certificate(CertificateArn=cert["CertificateArn"])
    assert {"Key": "Stack", "Value": "cloudresume"} in tags["Tags"]
    dist = distribution(emulator)
    config = dist["DistributionConfig"]
    assert sorted(config["Aliases"]["Items"]) == NAMES
    viewer = config["ViewerCertificate"]
    assert (viewer["ACMCertificateArn"], viewer["SSLSupportMethod"], viewer["MinimumProtocolVersion"]) == (
        cert["CertificateArn"], "sni-only", "TLSv1.2_2021")
    aliases = {(r["Name"], r["Type"]): r["AliasTarget"] for r in records(emulator, zone)
               if "AliasTarget" in r and r["Name"] != f"{API_NAME}."}
    assert sorted(aliases) == [(f"{n}.", t) for n in NAMES for t in ("A", "AAAA")]
    for target in aliases.values():
        assert target["HostedZoneId"] == CLOUDFRONT_ZONE
        assert target["DNSName"].rstrip(".") == dist["DomainName"]
    validation = {o["ResourceRecord"]["Name"] for o in cert["DomainValidationOptions"]}
    assert validation <= {r["Name"] for r in records(emulator, zone) if r["Type"] == "CNAME"}


def test_the_api_is_served_at_its_regional_custom_domain(emulator, zone, deployed):
    (cert,) = certificates(emulator, region="us-east-2")  # the API's region, not CloudFront's us-east-1
    assert cert["Status"] == "ISSUED" and cert["SubjectAlternativeNames"] == [API_NAME]
    apigw = emulator.client("apigatewayv2")
    domain = apigw.get_domain_name(DomainName=API_NAME)
    (config,) = domain["DomainNameConfigurations"]
    assert (config["CertificateArn"], config["EndpointType"], config["SecurityPolicy"], config["IpAddressType"]) == (
        cert["CertificateArn"], "REGIONAL", "TLS_1_2", "dualstack")
    assert config["HostedZoneId"] == API_GATEWAY_ZONE and domain["Tags"]["Stack"] == "cloudresume"
    (api,) = apigw.get_apis()["Items"]
    (mapping,) = apigw.get_api_mappings(DomainName=API_NAME)["Items"]
    assert (mapping["ApiId"], mapping["Stage"], mapping.get("ApiMappingKey", "")) == (api["ApiId"], "$default", "")
    targets = {r["Type"]: r["AliasTarget"] for r in records(emulator, zone) if r["Name"] == f"{API_NAME}."}
    assert sorted(targets) == ["A", "AAAA"]
    for target in targets.values():
        assert (target["DNSName"], target["HostedZoneId"]) == (config["ApiGatewayDomainName"] + ".", API_GATEWAY_ZONE)
    validation = {o["ResourceRecord"]["Name"] for o in cert["DomainValidationOptions"]}
    assert validation <= {r["Name"] for r in records(emulator, zone) if r["Type"] == "CNAME"}


def test_the_api_and_the_page_follow_the_custom_origin(emulator, deployed):
    api = emulator.client("apigatewayv2").get_apis()["Items"][0]
    origins = api["CorsConfiguration"]["AllowOrigins"]
    assert {"https://example.com", "https://www.example.com"} <= set(origins)
    assert f"https://{distribution(emulator)['DomainName']}" in origins
    outputs = json.loads((Path(__file__).resolve().parents[2] / "build" / f"outputs-{emulator.port}.json").read_text())
    assert outputs["static_site"]["url"] == "https://example.com"
    assert outputs["counter_api"]["api_url"] == f"https://{API_NAME}" == outputs["counter_api"]["custom_domain"]["url"]
    assert outputs["counter_api"]["execute_api_url"] == api["ApiEndpoint"]
    assert outputs["static_site"]["counter_url"] == f"https://{API_NAME}/count"
    page_config = emulator.client("s3").get_object(Bucket=outputs["static_site"]["bucket"], Key="config.json")
    assert json.loads(page_config["Body"].read()) == {"counterUrl": f"https://{API_NAME}/count"}
    cloudfront = emulator.client("cloudfront", region="us-east-1")
    (policy,) = cloudfront.list_response_headers_policies(Type="custom")["ResponseHeadersPolicyList"]["Items"]
    csp = policy["ResponseHeadersPolicy"]["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"][
        "ContentSecurityPolicy"]["ContentSecurityPolicy"]
    assert f"connect-src 'self' https://{API_NAME};" in csp + ";"  # 'self': the custom origin the page is served from


def test_check_mode_on_the_deployed_domains_changes_nothing(emulator, domain_vars, deployed):
    # Check mode takes each domain module's whole no-op path (the certificates, the CloudFront aliases, the API's
    # domain and mapping, the alias records read and compared) and reports changed=0: what a rerun would do. The
    # rerun itself is proven where each module is proven alone (their ansible-test targets' idempotence) and, for the
    # stack, in test_iam_lifecycle.py and test_consistency_profile.py.
    check = run(emulator, domain_vars, "site.yml", "--check", "--diff")
    assert check.returncode == 0 and check.mutating == [] and check.stats["changed"] == 0, check.output[-3000:]


def test_a_missing_zone_is_refused_before_any_change(emulator, domain_vars, deployed):
    missing = run(emulator, domain_vars, "site.yml", "--tags", "static_site", static_site_hosted_zone="example.org")
    assert missing.returncode != 0 and missing.mutating == []
    assert "static_site_hosted_zone: no public Route 53 hosted zone named example.org" in missing.output


def test_teardown_removes_records_and_certificate_and_keeps_the_zone(emulator, zone, domain_vars, deployed):
    plan = run(emulator, domain_vars, "playbooks/teardown.yml", "--check", "--diff")
    assert plan.returncode == 0 and plan.mutating == [], plan.output[-3000:]
    teardown = run(emulator, domain_vars, "playbooks/teardown.yml")
    assert teardown.returncode == 0, teardown.output[-3000:]
    assert certificates(emulator) == [] and certificates(emulator, region="us-east-2") == []
    assert emulator.client("apigatewayv2").get_domain_names()["Items"] == []
    left = records(emulator, zone)
    assert sorted(r["Type"] for r in left) == ["MX", "NS", "SOA"]  # the user's mail record and the zone's own
    assert "route53:DeleteHostedZone" not in teardown.mutating
