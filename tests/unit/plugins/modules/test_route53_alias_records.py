"""cloudresume.aws.route53_alias_records against in-process moto."""
from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.client import BaseClient
from botocore.exceptions import ClientError

from ansible_collections.cloudresume.aws.plugins.modules import route53_alias_records
from tests.unit.aws_calls import mutating_operations, record_calls

CLOUDFRONT_ZONE = "Z2FDTNDATAQYW2"
TARGET = "d111111abcdef8.cloudfront.net"


@pytest.fixture
def zone(aws) -> tuple[Any, str]:
    client = boto3.client("route53", region_name="us-east-1")
    zone_id = client.create_hosted_zone(Name="example.com", CallerReference="user")["HostedZone"]["Id"]
    return client, zone_id.rsplit("/", 1)[-1]


def args(zone_id: str, **overrides: Any) -> dict[str, Any]:
    """The module's arguments; an override of None leaves the option out, as ``omit`` does."""
    given = {"hosted_zone_id": zone_id, "names": ["example.com", "www.example.com"], "target": TARGET,
             "target_hosted_zone_id": CLOUDFRONT_ZONE, **overrides}
    return {key: value for key, value in given.items() if value is not None}


def ensure(run_module, zone_id: str, **kw: Any) -> tuple[tuple[dict, bool], list[str]]:
    check_mode, diff = kw.pop("check_mode", False), kw.pop("diff", False)
    return record_calls(lambda: run_module(route53_alias_records, args(zone_id, **kw), check_mode=check_mode,
                                           diff=diff))


def records(client: Any, zone_id: str) -> dict[tuple[str, str], dict[str, Any]]:
    sets = client.list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"]
    return {(s["Name"], s["Type"]): s for s in sets if s["Type"] not in ("NS", "SOA")}


def put(client: Any, zone_id: str, record_set: dict[str, Any]) -> None:
    client.change_resource_record_sets(HostedZoneId=zone_id, ChangeBatch={"Changes": [
        {"Action": "UPSERT", "ResourceRecordSet": record_set}]})


def test_creates_every_record_in_one_change_then_changes_nothing(run_module, zone):
    client, zone_id = zone
    (result, failed), calls = ensure(run_module, zone_id)
    assert not failed and result["changed"]
    assert calls == ["ListResourceRecordSets", "ListResourceRecordSets", "ChangeResourceRecordSets"]
    assert sorted(records(client, zone_id)) == [(n, t) for n in ("example.com.", "www.example.com.") for t in ("A", "AAAA")]
    assert {s["AliasTarget"]["DNSName"].rstrip(".") for s in records(client, zone_id).values()} == {TARGET}
    assert [c["action"] for c in result["changes"]] == ["CREATE"] * 4 and result["change_id"]
    (again, failed), calls = ensure(run_module, zone_id)
    assert not failed and not again["changed"] and mutating_operations(calls) == []
    assert again["records"] == result["records"] and again["changes"] == []


def test_check_mode_plans_with_a_diff_and_changes_nothing(run_module, zone):
    client, zone_id = zone
    (result, failed), calls = ensure(run_module, zone_id, check_mode=True, diff=True, types=["A"])
    assert not failed and result["changed"] and mutating_operations(calls) == []
    assert records(client, zone_id) == {}
    assert result["diff"]["before"] == {"records": []}
    planned = [(r["name"], r["type"]) for r in result["diff"]["after"]["records"]]
    assert planned == [("example.com.", "A"), ("www.example.com.", "A")]


def test_a_record_of_the_user_is_never_replaced_unless_asked(run_module, zone):
    client, zone_id = zone
    put(client, zone_id, {"Name": "www.example.com.", "Type": "A", "TTL": 300,
                          "ResourceRecords": [{"Value": "192.0.2.1"}]})
    (result, failed), calls = ensure(run_module, zone_id)
    assert failed and mutating_operations(calls) == []
    assert "A www.example.com. already has the value 192.0.2.1" in result["msg"]
    assert "Nothing was changed" in result["msg"]
    assert sorted(records(client, zone_id)) == [("www.example.com.", "A")]
    (result, failed), _calls = ensure(run_module, zone_id, overwrite=True)
    assert not failed and {c["action"] for c in result["changes"]} == {"CREATE", "UPSERT"}
    assert records(client, zone_id)[("www.example.com.", "A")]["AliasTarget"]["DNSName"].rstrip(".") == TARGET


def test_a_cname_of_a_name_fails_even_with_overwrite(run_module, zone):
    client, zone_id = zone
    put(client, zone_id, {"Name": "www.example.com.", "Type": "CNAME", "TTL": 300,
                          "ResourceRecords": [{"Value": "elsewhere.example.net"}]})
    (result, failed), calls = ensure(run_module, zone_id, overwrite=True)
    assert failed and mutating_operations(calls) == []
    assert "CNAME www.example.com. already has the value elsewhere.example.net" in result["msg"]


def test_a_changed_health_evaluation_of_the_same_target_is_updated(run_module, zone):
    client, zone_id = zone
    ensure(run_module, zone_id)
    (result, failed), _calls = ensure(run_module, zone_id, evaluate_target_health=True, types=["AAAA"])
    assert not failed and [c["action"] for c in result["changes"]] == ["UPSERT", "UPSERT"]
    assert records(client, zone_id)[("example.com.", "AAAA")]["AliasTarget"]["EvaluateTargetHealth"] is True


def test_absent_removes_only_the_records_that_alias_the_target(run_module, zone):
    client, zone_id = zone
    ensure(run_module, zone_id)
    put(client, zone_id, {"Name": "www.example.com.", "Type": "AAAA", "AliasTarget": {
        "HostedZoneId": CLOUDFRONT_ZONE, "DNSName": "d222222abcdef8.cloudfront.net.", "EvaluateTargetHealth": False}})
    (result, failed), calls = ensure(run_module, zone_id, state="absent")
    assert not failed and result["changed"] and calls.count("ChangeResourceRecordSets") == 1
    assert sorted(records(client, zone_id)) == [("www.example.com.", "AAAA")]
    assert [(k["name"], k["target"]) for k in result["kept"]] == [("www.example.com.", "d222222abcdef8.cloudfront.net.")]
    (again, failed), calls = ensure(run_module, zone_id, state="absent")
    assert not failed and not again["changed"] and mutating_operations(calls) == []


def test_absent_by_target_suffix_removes_the_aliases_to_any_such_target(run_module, zone):
    """A domain name already deleted: the records aliasing any API Gateway domain name of the region go, in the
    same process that reads them; another region's, a CloudFront alias and the user's own record stay."""
    client, zone_id = zone
    api_zone = "ZOJJZC49E0EPZ"
    for name, record_type, target in (("example.com.", "A", "d-abcde12345.execute-api.us-east-2.amazonaws.com."),
                                      ("example.com.", "AAAA", "d-abcde12345.execute-api.us-east-2.amazonaws.com."),
                                      ("www.example.com.", "A", "d-fghij67890.execute-api.eu-west-1.amazonaws.com."),
                                      ("www.example.com.", "AAAA", TARGET + ".")):
        put(client, zone_id, {"Name": name, "Type": record_type, "AliasTarget": {
            "HostedZoneId": api_zone, "DNSName": target, "EvaluateTargetHealth": False}})
    overrides = {"target": None, "target_hosted_zone_id": None, "state": "absent",
                 "target_suffix": ".Execute-API.us-east-2.amazonaws.com"}
    (planned, failed), calls = ensure(run_module, zone_id, check_mode=True, **overrides)
    assert not failed and planned["changed"] and mutating_operations(calls) == []
    (result, failed), calls = ensure(run_module, zone_id, **overrides)
    assert not failed and result["changed"] and calls.count("ChangeResourceRecordSets") == 1
    assert result["changes"] == planned["changes"] == [{"action": "DELETE", "name": "example.com.", "type": t}
                                                       for t in ("A", "AAAA")]
    assert sorted(records(client, zone_id)) == [("www.example.com.", "A"), ("www.example.com.", "AAAA")]
    assert sorted(k["target"] for k in result["kept"]) == ["d-fghij67890.execute-api.eu-west-1.amazonaws.com.",
                                                           TARGET + "."]
    (again, failed), calls = ensure(run_module, zone_id, **overrides)
    assert not failed and not again["changed"] and mutating_operations(calls) == []


@pytest.mark.parametrize(("overrides", "message"), [
    ({"target": None}, "target: required with state=present"),
    ({"target_hosted_zone_id": None}, "target_hosted_zone_id: required with state=present"),
    ({"target": None, "target_suffix": ".cloudfront.net"}, "target_suffix: only with state=absent"),
    ({"target": None, "state": "absent"}, "target: give target or target_suffix with state=absent"),
    ({"target": None, "target_suffix": "cloudfront.net", "state": "absent"}, "target_suffix: must start with a dot"),
    ({"target_suffix": ".cloudfront.net", "state": "absent"}, "mutually exclusive: target|target_suffix"),
    ({"names": ["example.com", "not a name"]}, "names[1]: "),
    ({"names": ["example.com", "EXAMPLE.com."]}, "names: each name may appear once"),
    ({"names": []}, "names: give at least one name"),
    ({"types": ["A", "A"]}, "types: give A, AAAA or both, each once"),
    ({"target": " "}, "target: must not be empty"),
])
def test_bad_input_fails_naming_the_field_and_changes_nothing(run_module, zone, overrides, message):
    client, zone_id = zone
    (result, failed), calls = ensure(run_module, zone_id, **overrides)
    assert failed and message in result["msg"] and calls == []
    assert records(client, zone_id) == {}


def test_a_change_still_being_applied_and_throttling_are_retried(run_module, zone, monkeypatch):
    client, zone_id = zone
    original = BaseClient._make_api_call
    refused: list[str] = []

    def busy_once(self, operation, params):
        codes = {"ListResourceRecordSets": "Throttling", "ChangeResourceRecordSets": "PriorRequestNotComplete"}
        if operation in codes and operation not in refused:
            refused.append(operation)
            raise ClientError({"Error": {"Code": codes[operation], "Message": "retry"},
                               "ResponseMetadata": {"HTTPStatusCode": 400}}, operation)
        return original(self, operation, params)

    monkeypatch.setattr(BaseClient, "_make_api_call", busy_once)
    (result, failed), _calls = ensure(run_module, zone_id, names=["example.com"])
    assert not failed and result["changed"] and refused == ["ListResourceRecordSets", "ChangeResourceRecordSets"]
    assert sorted(records(client, zone_id)) == [("example.com.", "A"), ("example.com.", "AAAA")]
