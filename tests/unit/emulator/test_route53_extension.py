"""boto3 round trips for tools/emulator/extensions/route53.py."""
from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

ALIAS = {"HostedZoneId": "ZOJJZC49E0EPZ", "DNSName": "d-abcde12345.execute-api.us-east-2.amazonaws.com.",
         "EvaluateTargetHealth": False}


def change(zone_id: str, action: str, record_set: dict[str, Any]) -> None:
    boto3.client("route53").change_resource_record_sets(HostedZoneId=zone_id, ChangeBatch={"Changes": [
        {"Action": action, "ResourceRecordSet": record_set}]})


def test_a_record_deleted_then_created_again_with_the_same_values_is_created(aws):
    """The zone holds a record that sorts after the name (a validation CNAME below it), as after a teardown."""
    route53 = boto3.client("route53")
    zone_id = route53.create_hosted_zone(Name="example.com", CallerReference="z")["HostedZone"]["Id"]
    record = {"Name": "api.example.com.", "Type": "A", "AliasTarget": ALIAS}
    change(zone_id, "CREATE", {"Name": "_x1.api.example.com.", "Type": "CNAME", "TTL": 300,
                               "ResourceRecords": [{"Value": "_y.acm-validations.aws."}]})
    change(zone_id, "CREATE", record)
    change(zone_id, "DELETE", record)
    change(zone_id, "CREATE", record)
    names = [(r["Name"], r["Type"]) for r in route53.list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"]]
    assert ("api.example.com.", "A") in names


def test_creating_an_existing_record_is_refused(aws):
    route53 = boto3.client("route53")
    zone_id = route53.create_hosted_zone(Name="example.com", CallerReference="z")["HostedZone"]["Id"]
    record = {"Name": "api.example.com.", "Type": "A", "AliasTarget": ALIAS}
    change(zone_id, "CREATE", record)
    with pytest.raises(ClientError) as refused:
        change(zone_id, "CREATE", {**record, "Name": "API.example.com"})
    assert refused.value.response["Error"]["Code"] == "InvalidChangeBatch"
    assert "Tried to create resource record set [name='api.example.com.', type='A'] but it already exists" in str(
        refused.value)
