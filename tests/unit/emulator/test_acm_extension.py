"""boto3 round trips for tools/emulator/extensions/acm.py and tools/emulator/extensions/cloudfront_certificates.py."""
from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

ORIGIN = {"Id": "site", "DomainName": "b.s3.us-east-1.amazonaws.com", "S3OriginConfig": {"OriginAccessIdentity": ""}}


def request(names: list[str]) -> str:
    return boto3.client("acm", region_name="us-east-1").request_certificate(
        DomainName=names[0], SubjectAlternativeNames=names, ValidationMethod="DNS")["CertificateArn"]


def describe(arn: str) -> dict[str, Any]:
    return boto3.client("acm", region_name="us-east-1").describe_certificate(CertificateArn=arn)["Certificate"]


def zone(name: str, private: bool = False) -> str:
    route53 = boto3.client("route53")
    kwargs: dict[str, Any] = {"HostedZoneConfig": {"PrivateZone": True},
                              "VPC": {"VPCRegion": "us-east-1", "VPCId": "vpc-12345678"}} if private else {}
    return route53.create_hosted_zone(Name=name, CallerReference=name + str(private), **kwargs)["HostedZone"]["Id"]


def write(zone_id: str, record: dict[str, str], value: str | None = None) -> None:
    boto3.client("route53").change_resource_record_sets(HostedZoneId=zone_id, ChangeBatch={"Changes": [{
        "Action": "UPSERT", "ResourceRecordSet": {"Name": record["Name"], "Type": "CNAME", "TTL": 300,
                                                  "ResourceRecords": [{"Value": value or record["Value"]}]}}]})


def records(arn: str) -> list[dict[str, str]]:
    return [o["ResourceRecord"] for o in describe(arn)["DomainValidationOptions"]]


def distribution(aliases: list[str], arn: str = "", reference: str = "r") -> dict[str, Any]:
    viewer = ({"ACMCertificateArn": arn, "SSLSupportMethod": "sni-only", "MinimumProtocolVersion": "TLSv1.2_2021"}
              if arn else {"CloudFrontDefaultCertificate": True})
    return {"CallerReference": reference, "Comment": "", "Enabled": True, "Origins": {"Quantity": 1, "Items": [ORIGIN]},
            "Aliases": {"Quantity": len(aliases), "Items": aliases} if aliases else {"Quantity": 0},
            "DefaultCacheBehavior": {"TargetOriginId": "site", "ViewerProtocolPolicy": "redirect-to-https",
                                     "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6"},
            "ViewerCertificate": viewer}


def issued(names: list[str]) -> str:
    zone_id = zone("example.com")
    arn = request(names)
    for record in records(arn):
        write(zone_id, record)
    return arn


def test_pending_until_every_validation_record_resolves(aws):
    zone_id = zone("example.com")
    arn = request(["example.com", "www.example.com"])
    cert = describe(arn)
    assert cert["Status"] == "PENDING_VALIDATION" and "IssuedAt" not in cert
    apex, www = records(arn)
    assert apex["Name"].endswith(".example.com.") and www["Name"].endswith(".www.example.com.")
    assert apex["Name"] != www["Name"] and apex["Value"] != www["Value"] and apex["Type"] == "CNAME"
    write(zone_id, apex)
    assert describe(arn)["Status"] == "PENDING_VALIDATION"
    write(zone_id, www, value="_wrong.acm-validations.aws.")
    assert describe(arn)["Status"] == "PENDING_VALIDATION"
    write(zone_id, www)
    cert = describe(arn)
    assert cert["Status"] == "ISSUED"
    assert {o["ValidationStatus"] for o in cert["DomainValidationOptions"]} == {"SUCCESS"}


def test_names_come_back_in_the_order_requested(aws):
    names = ["example.com", "www.example.com", "a.example.com", "b.example.com", "c.example.com"]
    cert = describe(request(names))
    assert cert["DomainName"] == "example.com" and cert["SubjectAlternativeNames"] == names
    assert [o["DomainName"] for o in cert["DomainValidationOptions"]] == names


def test_the_same_name_has_the_same_record_in_an_account(aws):
    assert records(request(["example.com"])) == records(request(["example.com"]))


def test_the_same_token_within_the_hour_answers_the_same_certificate_even_deleted(aws):
    """ACM answers a token's certificate for an hour (moto failed with a 500 once it was deleted)."""
    acm = boto3.client("acm", region_name="us-east-1")

    def ask() -> str:
        return acm.request_certificate(DomainName="example.com", ValidationMethod="DNS",
                                       IdempotencyToken="token1")["CertificateArn"]

    arn = ask()
    assert ask() == arn
    acm.delete_certificate(CertificateArn=arn)
    assert ask() == arn
    with pytest.raises(ClientError) as gone:
        acm.describe_certificate(CertificateArn=arn)
    assert gone.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_a_private_zone_or_a_less_specific_zone_does_not_answer(aws):
    parent, private = zone("example.com"), zone("example.com", private=True)
    zone("shop.example.com")  # delegated: public DNS asks this zone for shop.example.com
    arn = request(["shop.example.com"])
    write(parent, records(arn)[0])
    write(private, records(arn)[0])
    assert describe(arn)["Status"] == "PENDING_VALIDATION"


def test_a_certificate_in_use_cannot_be_deleted(aws):
    arn = issued(["example.com"])
    cloudfront = boto3.client("cloudfront")
    created = cloudfront.create_distribution(DistributionConfig=distribution(["example.com"], arn))
    assert describe(arn)["InUseBy"] == [created["Distribution"]["ARN"]]
    with pytest.raises(ClientError) as caught:
        boto3.client("acm", region_name="us-east-1").delete_certificate(CertificateArn=arn)
    assert caught.value.response["Error"]["Code"] == "ResourceInUseException"
    config = created["Distribution"]["DistributionConfig"]
    viewer = config["ViewerCertificate"]
    assert viewer["CloudFrontDefaultCertificate"] is False and viewer["CertificateSource"] == "acm"
    cloudfront.update_distribution(Id=created["Distribution"]["Id"], IfMatch=created["ETag"],
                                   DistributionConfig=distribution([]))
    assert describe(arn)["InUseBy"] == []
    boto3.client("acm", region_name="us-east-1").delete_certificate(CertificateArn=arn)


@pytest.mark.parametrize(("aliases", "which", "code"), [
    (["example.com"], "none", "InvalidViewerCertificate"),
    (["example.com"], "pending", "InvalidViewerCertificate"),
    (["example.com"], "other-region", "InvalidViewerCertificate"),
    (["shop.example.com"], "issued", "InvalidViewerCertificate"),
    (["a.b.example.com"], "wildcard", "InvalidViewerCertificate"),
])
def test_aliases_need_an_issued_us_east_1_certificate_that_covers_them(aws, aliases, which, code):
    arns = {"none": lambda: "", "issued": lambda: issued(["example.com", "www.example.com"]),
            "pending": lambda: request(["example.com"]),
            "other-region": lambda: boto3.client("acm", region_name="us-east-2").request_certificate(
                DomainName="example.com", ValidationMethod="DNS")["CertificateArn"],
            "wildcard": lambda: issued(["*.example.com"])}
    arn = arns[which]()
    with pytest.raises(ClientError) as caught:
        boto3.client("cloudfront").create_distribution(DistributionConfig=distribution(aliases, arn))
    assert caught.value.response["Error"]["Code"] == code


def test_wildcard_covers_one_label_and_an_alias_belongs_to_one_distribution(aws):
    zone_id = zone("example.com")
    arn = request(["*.example.com"])
    write(zone_id, records(arn)[0])
    cloudfront = boto3.client("cloudfront")
    cloudfront.create_distribution(DistributionConfig=distribution(["www.example.com"], arn))
    with pytest.raises(ClientError) as caught:
        cloudfront.create_distribution(DistributionConfig=distribution(["WWW.example.com"], arn, reference="other"))
    assert caught.value.response["Error"]["Code"] == "CNAMEAlreadyExists"
