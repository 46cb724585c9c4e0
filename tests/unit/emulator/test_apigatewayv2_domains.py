"""boto3 round trips for tools/emulator/extensions/apigatewayv2_domains.py (custom domain names and API mappings)."""
from __future__ import annotations

import re

import boto3
import pytest
from botocore.exceptions import ClientError

REGION = "us-east-2"
NAME = "api.example.com"


def _issue(acm, zone_id: str, names: list[str], validate: bool = True) -> str:
    arn = acm.request_certificate(DomainName=names[0], SubjectAlternativeNames=names,
                                  ValidationMethod="DNS")["CertificateArn"]
    if validate:
        options = acm.describe_certificate(CertificateArn=arn)["Certificate"]["DomainValidationOptions"]
        boto3.client("route53").change_resource_record_sets(HostedZoneId=zone_id, ChangeBatch={"Changes": [
            {"Action": "UPSERT", "ResourceRecordSet": {
                "Name": o["ResourceRecord"]["Name"], "Type": "CNAME", "TTL": 300,
                "ResourceRecords": [{"Value": o["ResourceRecord"]["Value"]}]}} for o in options]})
    return arn


@pytest.fixture
def zone_id(aws) -> str:
    return boto3.client("route53").create_hosted_zone(Name="example.com", CallerReference="z")["HostedZone"]["Id"]


@pytest.fixture
def acm(aws):
    return boto3.client("acm", region_name=REGION)


@pytest.fixture
def apigw(aws):
    return boto3.client("apigatewayv2", region_name=REGION)


@pytest.fixture
def certificate(acm, zone_id) -> str:
    return _issue(acm, zone_id, [NAME])


def _create(apigw, certificate: str, name: str = NAME, **config):
    return apigw.create_domain_name(DomainName=name, DomainNameConfigurations=[
        {"CertificateArn": certificate, "EndpointType": "REGIONAL", "SecurityPolicy": "TLS_1_2", **config}],
        Tags={"Stack": "s"})


def _code(error: pytest.ExceptionInfo) -> str:
    return error.value.response["Error"]["Code"]


def test_created_domain_answers_its_regional_target_and_zone(apigw, certificate):
    created = _create(apigw, certificate)["DomainNameConfigurations"][0]
    assert re.fullmatch(r"d-[a-z0-9]{10}\.execute-api\.us-east-2\.amazonaws\.com", created["ApiGatewayDomainName"])
    assert created["HostedZoneId"] == "ZOJJZC49E0EPZ"  # us-east-2's API Gateway zone
    assert (created["DomainNameStatus"], created["EndpointType"], created["SecurityPolicy"]) == (
        "AVAILABLE", "REGIONAL", "TLS_1_2")
    read = apigw.get_domain_name(DomainName=NAME)
    assert read["DomainNameConfigurations"][0] == created and read["Tags"] == {"Stack": "s"}


@pytest.mark.parametrize("case", ["missing", "pending", "other_region", "other_name", "edge"])
def test_a_certificate_aws_refuses_is_a_bad_request(apigw, acm, zone_id, certificate, case):
    arn = {
        "missing": certificate.rsplit("/", 1)[0] + "/00000000-0000-0000-0000-000000000000",
        "pending": _issue(acm, zone_id, ["pending.example.com"], validate=False) if case == "pending" else "",
        "other_region": _issue(boto3.client("acm", region_name="us-east-1"), zone_id, [NAME])
        if case == "other_region" else "",
        "other_name": _issue(acm, zone_id, ["www.example.com"]) if case == "other_name" else "",
        "edge": certificate,
    }[case]
    name = "pending.example.com" if case == "pending" else NAME
    with pytest.raises(ClientError) as error:
        _create(apigw, arn, name=name, **({"EndpointType": "EDGE"} if case == "edge" else {}))
    assert _code(error) == "BadRequestException"
    assert apigw.get_domain_names()["Items"] == []


def test_a_wildcard_certificate_covers_one_label(apigw, acm, zone_id):
    wildcard = _issue(acm, zone_id, ["*.example.com"])
    assert _create(apigw, wildcard)["DomainName"] == NAME
    with pytest.raises(ClientError) as error:
        _create(apigw, wildcard, name="a.b.example.com")
    assert _code(error) == "BadRequestException"


def test_a_domain_name_is_unique_in_the_region_across_accounts(apigw, certificate, monkeypatch):
    _create(apigw, certificate)
    with pytest.raises(ClientError) as error:
        _create(apigw, certificate)
    assert _code(error) == "ConflictException"
    monkeypatch.setenv("MOTO_ACCOUNT_ID", "210987654321")
    own_zone = boto3.client("route53").create_hosted_zone(Name="example.com", CallerReference="o")["HostedZone"]["Id"]
    other = _issue(boto3.client("acm", region_name=REGION), own_zone, [NAME])
    with pytest.raises(ClientError) as error:
        _create(boto3.client("apigatewayv2", region_name=REGION), other)
    assert _code(error) == "ConflictException"
    assert _create(boto3.client("apigatewayv2", region_name="us-east-1"),
                   _issue(boto3.client("acm", region_name="us-east-1"), own_zone, [NAME]))["DomainName"] == NAME


def test_update_domain_name_checks_and_replaces_the_certificate(apigw, acm, zone_id, certificate):
    before = _create(apigw, certificate)["DomainNameConfigurations"][0]
    replacement = _issue(acm, zone_id, [NAME, "www.example.com"])
    updated = apigw.update_domain_name(DomainName=NAME, DomainNameConfigurations=[
        {"CertificateArn": replacement, "EndpointType": "REGIONAL", "SecurityPolicy": "TLS_1_2"}])
    config = updated["DomainNameConfigurations"][0]
    assert config["CertificateArn"] == replacement and config["ApiGatewayDomainName"] == before["ApiGatewayDomainName"]
    with pytest.raises(ClientError) as error:
        apigw.update_domain_name(DomainName=NAME, DomainNameConfigurations=[
            {"CertificateArn": _issue(acm, zone_id, ["other.example.com"]), "EndpointType": "REGIONAL"}])
    assert _code(error) == "BadRequestException"
    with pytest.raises(ClientError) as error:
        apigw.update_domain_name(DomainName="nope.example.com", DomainNameConfigurations=[])
    assert _code(error) == "NotFoundException"


def test_tags_of_a_domain_name_show_in_get_domain_name(apigw, certificate):
    arn = _create(apigw, certificate)["DomainNameArn"]
    assert apigw.get_tags(ResourceArn=arn)["Tags"] == {"Stack": "s"}
    apigw.tag_resource(ResourceArn=arn, Tags={"Environment": "dev"})
    apigw.untag_resource(ResourceArn=arn, TagKeys=["Stack"])
    assert apigw.get_domain_name(DomainName=NAME)["Tags"] == {"Environment": "dev"}


def test_api_mappings_check_the_domain_the_stage_and_the_key(apigw, certificate):
    api_id = apigw.create_api(Name="api", ProtocolType="HTTP")["ApiId"]
    with pytest.raises(ClientError) as error:
        apigw.get_api_mappings(DomainName=NAME)
    assert _code(error) == "NotFoundException"
    _create(apigw, certificate)
    with pytest.raises(ClientError) as error:
        apigw.create_api_mapping(DomainName=NAME, ApiId=api_id, Stage="$default", ApiMappingKey="")
    assert _code(error) == "NotFoundException"  # no such stage yet
    apigw.create_stage(ApiId=api_id, StageName="$default")
    apigw.create_stage(ApiId=api_id, StageName="other")
    mapping = apigw.create_api_mapping(DomainName=NAME, ApiId=api_id, Stage="$default", ApiMappingKey="")
    with pytest.raises(ClientError) as error:
        apigw.create_api_mapping(DomainName=NAME, ApiId=api_id, Stage="other", ApiMappingKey="")
    assert _code(error) == "ConflictException"
    assert [m["ApiMappingId"] for m in apigw.get_api_mappings(DomainName=NAME)["Items"]] == [mapping["ApiMappingId"]]


def test_delete_domain_name_removes_its_mappings(apigw, certificate):
    api_id = apigw.create_api(Name="api", ProtocolType="HTTP")["ApiId"]
    apigw.create_stage(ApiId=api_id, StageName="$default")
    _create(apigw, certificate)
    apigw.create_api_mapping(DomainName=NAME, ApiId=api_id, Stage="$default", ApiMappingKey="")
    apigw.delete_domain_name(DomainName=NAME)
    assert apigw.get_domain_names()["Items"] == []
    _create(apigw, certificate)
    assert apigw.get_api_mappings(DomainName=NAME)["Items"] == []


def test_the_certificate_of_a_domain_name_is_in_use(apigw, acm, certificate):
    arn = _create(apigw, certificate)["DomainNameArn"]
    assert acm.describe_certificate(CertificateArn=certificate)["Certificate"]["InUseBy"] == [arn]
    with pytest.raises(ClientError) as error:
        acm.delete_certificate(CertificateArn=certificate)
    assert _code(error) == "ResourceInUseException"
    apigw.delete_domain_name(DomainName=NAME)
    acm.delete_certificate(CertificateArn=certificate)


def test_ip_address_type_is_ipv4_unless_dualstack_is_asked(apigw, certificate):
    assert _create(apigw, certificate)["DomainNameConfigurations"][0]["IpAddressType"] == "ipv4"
    updated = apigw.update_domain_name(DomainName=NAME, DomainNameConfigurations=[
        {"CertificateArn": certificate, "EndpointType": "REGIONAL", "IpAddressType": "dualstack"}])
    assert updated["DomainNameConfigurations"][0]["IpAddressType"] == "dualstack"


def test_update_api_mapping_moves_it_to_another_api_and_checks_the_stage(apigw, certificate):
    first, second = (apigw.create_api(Name=n, ProtocolType="HTTP")["ApiId"] for n in ("a", "b"))
    for api_id in (first, second):
        apigw.create_stage(ApiId=api_id, StageName="$default")
    _create(apigw, certificate)
    mapping_id = apigw.create_api_mapping(DomainName=NAME, ApiId=first, Stage="$default")["ApiMappingId"]
    moved = apigw.update_api_mapping(DomainName=NAME, ApiMappingId=mapping_id, ApiId=second, Stage="$default")
    assert (moved["ApiId"], moved["Stage"], moved["ApiMappingKey"]) == (second, "$default", "")
    assert apigw.get_api_mappings(DomainName=NAME)["Items"][0]["ApiId"] == second
    with pytest.raises(ClientError) as error:
        apigw.update_api_mapping(DomainName=NAME, ApiMappingId=mapping_id, ApiId=second, Stage="missing")
    assert _code(error) == "NotFoundException"
