"""cloudfront_s3_distribution's aliases and ACM certificate, against in-process moto with the emulator's extensions."""
from __future__ import annotations

from typing import Any

import boto3
import pytest

from tests.unit.aws_calls import mutating_operations
from ansible_collections.cloudresume.aws.plugins.modules import cloudfront_s3_distribution as module

DOMAIN = "site-123456789012.s3.us-east-2.amazonaws.com"


@pytest.fixture
def args(aws) -> dict[str, Any]:
    oac = boto3.client("cloudfront").create_origin_access_control(OriginAccessControlConfig={
        "Name": "site", "Description": "", "SigningProtocol": "sigv4", "SigningBehavior": "always",
        "OriginAccessControlOriginType": "s3"})["OriginAccessControl"]["Id"]
    return {"caller_reference": "site", "comment": "site", "origin_domain_name": DOMAIN, "origin_access_control_id": oac}


@pytest.fixture
def certificate(aws) -> str:
    """An issued us-east-1 certificate for example.com and www.example.com (validated in a public zone)."""
    acm, route53 = boto3.client("acm", region_name="us-east-1"), boto3.client("route53")
    zone = route53.create_hosted_zone(Name="example.com", CallerReference="z")["HostedZone"]["Id"]
    arn = acm.request_certificate(DomainName="example.com", SubjectAlternativeNames=["example.com", "www.example.com"],
                                  ValidationMethod="DNS")["CertificateArn"]
    for option in acm.describe_certificate(CertificateArn=arn)["Certificate"]["DomainValidationOptions"]:
        record = option["ResourceRecord"]
        route53.change_resource_record_sets(HostedZoneId=zone, ChangeBatch={"Changes": [{"Action": "CREATE", "ResourceRecordSet": {
            "Name": record["Name"], "Type": "CNAME", "TTL": 300, "ResourceRecords": [{"Value": record["Value"]}]}}]})
    return arn


def viewer(dist_id: str) -> tuple[list[str], dict[str, Any]]:
    config = boto3.client("cloudfront").get_distribution_config(Id=dist_id)["DistributionConfig"]
    return config["Aliases"].get("Items", []), config["ViewerCertificate"]


def test_aliases_with_certificate_then_idempotent_then_removed(run_module, args, certificate, operations):
    wanted = dict(args, aliases=["www.example.com", "example.com"], acm_certificate_arn=certificate)
    result, failed = run_module(module, wanted, diff=True)
    assert not failed, result
    aliases, cert = viewer(result["distribution"]["id"])
    assert sorted(aliases) == ["example.com", "www.example.com"]
    assert (cert["ACMCertificateArn"], cert["SSLSupportMethod"], cert["MinimumProtocolVersion"]) == (
        certificate, "sni-only", "TLSv1.2_2021")
    assert result["distribution"]["aliases"] == ["example.com", "www.example.com"]
    operations.clear()
    again, _failed = run_module(module, wanted, diff=True)
    assert not again["changed"] and mutating_operations(operations) == []
    removed, _failed = run_module(module, dict(args, aliases=[]), diff=True)
    assert removed["changed"] and removed["diff"]["before"]["aliases"] and removed["diff"]["after"]["aliases"] == []
    aliases, cert = viewer(result["distribution"]["id"])
    assert aliases == [] and cert["CloudFrontDefaultCertificate"] is True and not cert.get("ACMCertificateArn")


def test_omitted_aliases_keep_those_of_the_distribution(run_module, args, certificate):
    first, _failed = run_module(module, dict(args, aliases=["example.com"], acm_certificate_arn=certificate))
    result, failed = run_module(module, dict(args, comment="site", price_class="PriceClass_200"))
    assert not failed and result["changed"]
    assert viewer(first["distribution"]["id"])[0] == ["example.com"]


def test_check_mode_plans_the_aliases_without_a_change(run_module, args, certificate, operations):
    run_module(module, args)
    operations.clear()
    result, failed = run_module(module, dict(args, aliases=["example.com"], acm_certificate_arn=certificate),
                                check_mode=True, diff=True)
    assert not failed and result["changed"] and result["diff"]["after"]["aliases"] == ["example.com"]
    assert result["diff"]["after"]["acm_certificate_arn"] == certificate
    assert mutating_operations(operations) == []


def test_aws_refuses_an_alias_the_certificate_does_not_cover(run_module, args, certificate):
    result, failed = run_module(module, dict(args, aliases=["shop.example.com"], acm_certificate_arn=certificate))
    assert failed and "InvalidViewerCertificate" in str(result)


@pytest.mark.parametrize(("extra", "message"), [
    ({"aliases": ["example.com"]}, "aliases: CloudFront serves aliases only with acm_certificate_arn"),
    ({"acm_certificate_arn": "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012"},
     "acm_certificate_arn: only with aliases"),
    ({"aliases": ["example.com"], "acm_certificate_arn": "arn:aws:acm:eu-west-1:123456789012:certificate/"
      "12345678-1234-1234-1234-123456789012"}, "acm_certificate_arn: 'arn:aws:acm:eu-west-1"),
    ({"aliases": ["example.com", "EXAMPLE.com"], "acm_certificate_arn": "arn:aws:acm:us-east-1:123456789012:certificate/"
      "12345678-1234-1234-1234-123456789012"}, "aliases: each name may appear once"),
])
def test_bad_alias_options_are_refused_before_any_call(run_module, args, extra, message, operations):
    operations.clear()
    result, failed = run_module(module, dict(args, **extra))
    assert failed and result["msg"].startswith(message) and operations == []
