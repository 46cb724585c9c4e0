"""cloudresume.aws.http_api_domain against in-process moto with the emulator's API Gateway and ACM extensions."""
from __future__ import annotations

from typing import Any

import boto3
import pytest

from tests.unit.aws_calls import mutating_operations
from ansible_collections.cloudresume.aws.plugins.modules import http_api_domain as module

REGION = "us-east-2"
NAME = "api.example.com"
OWNER = "cloudresume.aws.http_api_domain"


def issue(names: list[str], region: str = REGION) -> str:
    """An ISSUED certificate: requested, then its validation records written in the public zone example.com."""
    acm = boto3.client("acm", region_name=region)
    route53 = boto3.client("route53")
    zones = route53.list_hosted_zones_by_name(DNSName="example.com")["HostedZones"]
    zone_id = zones[0]["Id"] if zones else route53.create_hosted_zone(Name="example.com", CallerReference="z")[
        "HostedZone"]["Id"]
    arn = acm.request_certificate(DomainName=names[0], SubjectAlternativeNames=names,
                                  ValidationMethod="DNS")["CertificateArn"]
    options = acm.describe_certificate(CertificateArn=arn)["Certificate"]["DomainValidationOptions"]
    route53.change_resource_record_sets(HostedZoneId=zone_id, ChangeBatch={"Changes": [
        {"Action": "UPSERT", "ResourceRecordSet": {"Name": o["ResourceRecord"]["Name"], "Type": "CNAME", "TTL": 300,
                                                   "ResourceRecords": [{"Value": o["ResourceRecord"]["Value"]}]}}
        for o in options]})
    return arn


@pytest.fixture
def apigw(aws):
    return boto3.client("apigatewayv2", region_name=REGION)


def new_api(apigw, name: str = "counter") -> str:
    api_id = apigw.create_api(Name=name, ProtocolType="HTTP")["ApiId"]
    apigw.create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True)
    return api_id


@pytest.fixture
def args(apigw) -> dict[str, Any]:
    return {"domain_name": NAME, "certificate_arn": issue([NAME]), "api_id": new_api(apigw),
            "tags": {"Stack": "cloudresume"}}


def test_creates_the_domain_and_the_mapping_then_a_rerun_changes_nothing(run_module, args, apigw, operations):
    result, failed = run_module(module, args, diff=True)
    assert not failed and result["changed"], result
    domain = result["domain"]
    assert domain["target_domain_name"].endswith(".execute-api.us-east-2.amazonaws.com")
    assert (domain["hosted_zone_id"], domain["endpoint_type"], domain["security_policy"], domain["ip_address_type"]) == (
        "ZOJJZC49E0EPZ", "REGIONAL", "TLS_1_2", "dualstack")
    assert domain["tags"] == {"Stack": "cloudresume", OWNER: NAME} == apigw.get_domain_name(DomainName=NAME)["Tags"]
    mappings = apigw.get_api_mappings(DomainName=NAME)["Items"]
    assert [(m["ApiId"], m["Stage"], m.get("ApiMappingKey", "")) for m in mappings] == [(args["api_id"], "$default", "")]
    assert result["mapping"]["api_mapping_id"] == mappings[0]["ApiMappingId"] and result["url"] == f"https://{NAME}"
    operations.clear()
    again, failed = run_module(module, args, diff=True)
    assert not failed and not again["changed"] and again["diff"]["before"] == again["diff"]["after"]
    assert operations == ["GetDomainName", "GetApiMappings"]


def test_check_mode_plans_everything_without_a_call_that_changes(run_module, args, apigw, operations):
    operations.clear()
    result, failed = run_module(module, args, check_mode=True, diff=True)
    assert not failed and result["changed"] and result["domain"]["status"] == "(planned)"
    assert result["diff"]["before"] == {"domain": {}, "mapping": {}} and result["mapping"]["api_id"] == args["api_id"]
    assert mutating_operations(operations) == [] and apigw.get_domain_names()["Items"] == []


def test_a_new_certificate_tags_and_api_are_applied_in_place(run_module, args, apigw):
    run_module(module, args)
    target = apigw.get_domain_name(DomainName=NAME)["DomainNameConfigurations"][0]["ApiGatewayDomainName"]
    changes = dict(args, certificate_arn=issue([NAME, "www.example.com"]), api_id=new_api(apigw, "other"),
                   tags={"Environment": "dev"})
    planned, failed = run_module(module, changes, check_mode=True, diff=True)
    assert not failed and planned["changed"] and planned["domain"]["certificate_arn"] == changes["certificate_arn"]
    assert apigw.get_domain_name(DomainName=NAME)["DomainNameConfigurations"][0]["CertificateArn"] == args["certificate_arn"]
    result, failed = run_module(module, changes)
    assert not failed and result["changed"], result
    read = apigw.get_domain_name(DomainName=NAME)
    assert read["DomainNameConfigurations"][0]["CertificateArn"] == changes["certificate_arn"]
    assert read["DomainNameConfigurations"][0]["ApiGatewayDomainName"] == target
    assert read["Tags"] == {"Environment": "dev", OWNER: NAME}
    assert [m["ApiId"] for m in apigw.get_api_mappings(DomainName=NAME)["Items"]] == [changes["api_id"]]
    again, _failed = run_module(module, changes)
    assert not again["changed"]


def test_absent_removes_the_mapping_and_the_domain_and_keeps_the_certificate(run_module, args, apigw, operations):
    run_module(module, args)
    planned, failed = run_module(module, {"domain_name": NAME, "state": "absent"}, check_mode=True)
    assert not failed and planned["changed"] and apigw.get_domain_names()["Items"] != []
    result, failed = run_module(module, {"domain_name": NAME, "state": "absent"}, diff=True)
    assert not failed and result["changed"] and result["diff"]["after"] == {"domain": {}, "mapping": {}}
    assert result["domain"] == {} and result["previous"]["target_domain_name"].startswith("d-")
    assert apigw.get_domain_names()["Items"] == []
    assert boto3.client("acm", region_name=REGION).describe_certificate(
        CertificateArn=args["certificate_arn"])["Certificate"]["InUseBy"] == []
    operations.clear()
    again, failed = run_module(module, {"domain_name": NAME, "state": "absent"})
    assert not failed and not again["changed"] and operations == ["GetDomainName"]


def test_a_domain_made_elsewhere_is_never_changed_or_deleted(run_module, args, apigw):
    apigw.create_domain_name(DomainName=NAME, DomainNameConfigurations=[
        {"CertificateArn": args["certificate_arn"], "EndpointType": "REGIONAL"}])
    result, failed = run_module(module, args)
    assert failed and result["msg"].startswith("domain_name:") and "Nothing was changed" in result["msg"]
    removed, failed = run_module(module, {"domain_name": NAME, "state": "absent"})
    assert not failed and not removed["changed"] and apigw.get_domain_name(DomainName=NAME)["DomainName"] == NAME
    assert removed["domain"]["domain_name"] == NAME and removed["warnings"]


def test_absent_refuses_when_other_mappings_were_added(run_module, args, apigw):
    run_module(module, args)
    apigw.create_api_mapping(DomainName=NAME, ApiId=new_api(apigw, "other"), Stage="$default", ApiMappingKey="v2")
    result, failed = run_module(module, {"domain_name": NAME, "state": "absent"})
    assert failed and "'v2'" in result["msg"] and "Nothing was deleted" in result["msg"]
    assert len(apigw.get_api_mappings(DomainName=NAME)["Items"]) == 2


@pytest.mark.parametrize("changes, field", [
    ({"domain_name": "Not a name"}, "domain_name:"),
    ({"certificate_arn": "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012"},
     "certificate_arn:"),
    ({"certificate_arn": "not-an-arn"}, "certificate_arn:"),
    ({"api_id": "Bad_Id"}, "api_id:"),
    ({"api_mapping_key": "/v1"}, "api_mapping_key:"),
    ({"tags": {OWNER: "x"}}, "tags:"),
])
def test_bad_input_names_the_field_and_calls_nothing(run_module, args, changes, field, operations):
    operations.clear()
    result, failed = run_module(module, dict(args, **changes))
    assert failed and result["msg"].startswith(field), result
    assert operations == []
