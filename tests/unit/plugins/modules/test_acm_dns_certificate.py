"""cloudresume.aws.acm_dns_certificate against in-process moto with the emulator's ACM DNS validation."""
from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from tests.unit.aws_calls import mutating_operations
from ansible_collections.cloudresume.aws.plugins.modules import acm_dns_certificate as module

NAMES = ["example.com", "www.example.com"]


@pytest.fixture
def zone(aws) -> str:
    return boto3.client("route53").create_hosted_zone(Name="example.com", CallerReference="z")["HostedZone"]["Id"]


@pytest.fixture
def args(zone) -> dict[str, Any]:
    return {"name": "site-cert", "domain_names": NAMES, "hosted_zone_id": zone, "region": "us-east-1",
            "tags": {"Stack": "cloudresume"}, "wait_delay": 1, "wait_timeout": 5}


def cnames(zone_id: str) -> dict[str, str]:
    sets = boto3.client("route53").list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"]
    return {s["Name"]: s["ResourceRecords"][0]["Value"] for s in sets if s["Type"] == "CNAME"}


def acm(region: str = "us-east-1") -> Any:
    return boto3.client("acm", region_name=region)


def test_request_validate_and_issue_then_rerun_changes_nothing(run_module, args, zone, operations):
    result, failed = run_module(module, args, diff=True)
    assert not failed, result
    cert = result["certificate"]
    assert cert["status"] == "ISSUED" and cert["domain_names"] == NAMES
    assert cnames(zone) == {r["name"]: r["value"] for r in cert["validation_records"]} and len(cnames(zone)) == 2
    described = acm().describe_certificate(CertificateArn=cert["arn"])["Certificate"]
    tags = acm().list_tags_for_certificate(CertificateArn=cert["arn"])["Tags"]
    assert described["Status"] == "ISSUED" and {t["Key"]: t["Value"] for t in tags} == {
        "Stack": "cloudresume", "Name": "site-cert"}
    operations.clear()
    again, failed = run_module(module, args, diff=True)
    assert not failed and not again["changed"] and again["certificate"]["arn"] == cert["arn"]
    assert mutating_operations(operations) == [] and again["diff"]["before"] == again["diff"]["after"]


def test_check_mode_plans_a_new_certificate_without_a_call_that_changes(run_module, args, operations):
    operations.clear()
    result, failed = run_module(module, args, check_mode=True, diff=True)
    assert not failed and result["changed"] and result["certificate"]["status"] == "(planned)"
    assert result["diff"]["before"] == {} and mutating_operations(operations) == []
    assert acm().list_certificates()["CertificateSummaryList"] == []


def test_times_out_with_the_dns_message_when_the_zone_is_not_the_public_one(run_module, args, aws):
    private = boto3.client("route53").create_hosted_zone(
        Name="example.com", CallerReference="p", HostedZoneConfig={"PrivateZone": True},
        VPC={"VPCRegion": "us-east-1", "VPCId": "vpc-12345678"})["HostedZone"]["Id"]
    result, failed = run_module(module, dict(args, hosted_zone_id=private, wait_timeout=2))
    assert failed and "PENDING_VALIDATION" in result["msg"] and "public DNS" in result["msg"]
    rerun, failed = run_module(module, dict(args, hosted_zone_id=private, wait=False))
    assert not failed and rerun["certificate"]["arn"] == result["certificate"]["arn"]  # not requested twice


def test_a_different_existing_record_is_not_replaced(run_module, args, zone):
    planned, _failed = run_module(module, dict(args, wait=False))
    record = planned["certificate"]["validation_records"][0]
    boto3.client("route53").change_resource_record_sets(HostedZoneId=zone, ChangeBatch={"Changes": [{
        "Action": "UPSERT", "ResourceRecordSet": {"Name": record["name"], "Type": "CNAME", "TTL": 60,
                                                  "ResourceRecords": [{"Value": "someone-else.example.net."}]}}]})
    result, failed = run_module(module, args)
    assert failed and result["msg"].startswith("hosted_zone_id:") and record["name"] in result["msg"]
    assert cnames(zone)[record["name"]] == "someone-else.example.net."


def test_new_names_replace_the_certificate_and_the_old_one_goes(run_module, args, zone):
    first, _failed = run_module(module, dict(args, domain_names=["example.com"]))
    second, failed = run_module(module, args)
    assert not failed and second["certificate"]["arn"] != first["certificate"]["arn"]
    assert second["superseded"] == [first["certificate"]["arn"]]
    assert [c["CertificateArn"] for c in acm().list_certificates()["CertificateSummaryList"]] == [
        second["certificate"]["arn"]]
    assert len(cnames(zone)) == 2  # the apex record is shared by the new certificate


def test_absent_removes_the_certificate_and_its_records_but_not_a_shared_one(run_module, args, zone):
    ours, _failed = run_module(module, args)
    other = acm().request_certificate(DomainName="www.example.com", ValidationMethod="DNS")["CertificateArn"]
    result, failed = run_module(module, {"name": "site-cert", "hosted_zone_id": zone, "region": "us-east-1",
                                         "state": "absent"}, diff=True)
    assert not failed and result["changed"] and result["superseded"] == [ours["certificate"]["arn"]]
    assert [c["CertificateArn"] for c in acm().list_certificates()["CertificateSummaryList"]] == [other]
    remaining = cnames(zone)
    assert len(remaining) == 1 and next(iter(remaining)).endswith(".www.example.com.")
    again, _failed = run_module(module, {"name": "site-cert", "hosted_zone_id": zone, "region": "us-east-1",
                                         "state": "absent"})
    assert not again["changed"]


def test_a_redeploy_within_the_hour_of_a_removal_gets_a_new_certificate(run_module, args, zone):
    """The same request's idempotency token answers, for an hour, the certificate removed meanwhile: the module asks
    again with a token of its own instead of returning a certificate that no longer exists."""
    first, _failed = run_module(module, args)
    removed, failed = run_module(module, {"name": "site-cert", "hosted_zone_id": zone, "region": "us-east-1",
                                          "state": "absent"})
    assert not failed and removed["changed"]
    again, failed = run_module(module, args)
    assert not failed, again
    assert again["changed"] and again["certificate"]["arn"] != first["certificate"]["arn"]
    assert again["certificate"]["status"] == "ISSUED"
    assert [c["CertificateArn"] for c in acm().list_certificates()["CertificateSummaryList"]] == [
        again["certificate"]["arn"]]


def test_a_deleted_certificate_denied_by_a_tag_scoped_policy_is_asked_for_again(run_module, args, zone, monkeypatch):
    """To a role that reads certificates by their Stack tag (the bootstrap's deploy role), ACM denies reading the
    deleted certificate a token answers (it has no tags any more): that too means asking again."""
    first, _failed = run_module(module, args)
    run_module(module, {"name": "site-cert", "hosted_zone_id": zone, "region": "us-east-1", "state": "absent"})
    gone = first["certificate"]["arn"]
    describe = module.acm.describe_certificate

    def tag_scoped(client: Any, arn: str) -> Any:
        if arn == gone:
            denied = ClientError({"Error": {"Code": "AccessDeniedException", "Message": "not authorized"}},
                                 "DescribeCertificate")
            raise module.acm.AnsibleACMError(message=f"Failed to read the certificate {arn}", exception=denied)
        return describe(client, arn)

    monkeypatch.setattr(module.acm, "describe_certificate", tag_scoped)
    again, failed = run_module(module, args)
    assert not failed, again
    assert again["certificate"]["arn"] != gone and again["certificate"]["status"] == "ISSUED"


def test_another_error_reading_the_answered_certificate_fails(run_module, args, monkeypatch):
    def throttled(client: Any, arn: str) -> Any:
        error = ClientError({"Error": {"Code": "InternalFailure", "Message": "try later"}}, "DescribeCertificate")
        raise module.acm.AnsibleACMError(message=f"Failed to read the certificate {arn}", exception=error)

    monkeypatch.setattr(module.acm, "describe_certificate", throttled)
    result, failed = run_module(module, args)
    assert failed and "Failed to read the certificate" in result["msg"]


def test_absent_refuses_a_certificate_in_use(run_module, args):
    ours, _failed = run_module(module, args)
    cloudfront = boto3.client("cloudfront")
    cloudfront.create_distribution(DistributionConfig={
        "CallerReference": "d", "Comment": "", "Enabled": True, "Aliases": {"Quantity": 1, "Items": ["example.com"]},
        "Origins": {"Quantity": 1, "Items": [{"Id": "o", "DomainName": "b.s3.us-east-1.amazonaws.com",
                                              "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
        "DefaultCacheBehavior": {"TargetOriginId": "o", "ViewerProtocolPolicy": "redirect-to-https",
                                 "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6"},
        "ViewerCertificate": {"ACMCertificateArn": ours["certificate"]["arn"], "SSLSupportMethod": "sni-only",
                              "MinimumProtocolVersion": "TLSv1.2_2021"}})
    planned, failed = run_module(module, {"name": "site-cert", "region": "us-east-1", "state": "absent"}, check_mode=True)
    assert not failed and planned["changed"]  # the playbook deletes the distribution first
    result, failed = run_module(module, {"name": "site-cert", "region": "us-east-1", "state": "absent"})
    assert failed and "still used by" in result["msg"]
    assert len(acm().list_certificates()["CertificateSummaryList"]) == 1


@pytest.mark.parametrize(("extra", "message"), [
    ({"domain_names": []}, "domain_names: give at least one name"),
    ({"domain_names": ["example.com", "EXAMPLE.com"]}, "domain_names: each name may appear once"),
    ({"domain_names": ["exa mple.com"]}, "domain_names: 'exa mple.com' is not a lower-case domain name"),
    ({"hosted_zone_id": None}, "hosted_zone_id: required with state=present"),
    ({"domain_names": None}, "domain_names: give at least one name"),
    ({"tags": {"Name": "x"}}, "tags: the Name tag is the module's name option"),
])
def test_bad_input_is_refused_before_any_call(run_module, args, extra, message, operations):
    operations.clear()
    result, failed = run_module(module, dict(args, **extra))
    assert failed and result["msg"].startswith(message) and operations == []


@pytest.mark.parametrize("left_out", ["hosted_zone_id", "domain_names"])
def test_present_requires_the_zone_and_the_names(run_module, args, left_out, operations):
    operations.clear()
    result, failed = run_module(module, {k: v for k, v in args.items() if k != left_out})
    assert failed and result["msg"] == f"state is present but all of the following are missing: {left_out}"
    assert operations == []
