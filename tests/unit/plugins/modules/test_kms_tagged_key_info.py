"""cloudresume.aws.kms_tagged_key_info against in-process moto."""
from __future__ import annotations

import boto3
import pytest

from ansible_collections.cloudresume.aws.plugins.modules import kms_tagged_key_info as module

DESCRIPTION = "cloudresume alarm notifications (SNS topic cloudresume-alarms)"


@pytest.fixture
def kms(aws):
    return boto3.client("kms", region_name="us-east-2")


def key(kms, description: str, stack: str, alias: str | None = None) -> str:
    key_id = kms.create_key(Description=description, Tags=[{"TagKey": "Stack", "TagValue": stack}])["KeyMetadata"]["KeyId"]
    if alias:
        kms.create_alias(AliasName=alias, TargetKeyId=key_id)
    return key_id


def test_finds_the_tagged_key_without_describing_the_others(run_module, kms, operations):
    ours = key(kms, DESCRIPTION, "cloudresume")  # its alias was never created (an interrupted run)
    key(kms, "staging alarms", "cloudresume-staging", "alias/cloudresume-staging-alarms")
    key(kms, "table key", "cloudresume", "alias/cloudresume-table")  # same tag, another use
    boto3.client("dynamodb", region_name="us-east-2").create_table(
        TableName="t", BillingMode="PAY_PER_REQUEST", SSESpecification={"Enabled": True, "SSEType": "KMS"},
        AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}])  # makes the AWS managed key aws/dynamodb
    operations.clear()
    result, failed = run_module(module, {"tags": {"Stack": "cloudresume"}, "description": DESCRIPTION})
    assert not failed and not result["changed"]
    assert [(k["key_id"], k["key_state"], k["aliases"]) for k in result["kms_keys"]] == [(ours, "Enabled", [])]
    assert operations.count("DescribeKey") == 2  # the two keys tagged Stack=cloudresume, no other
    assert operations.count("ListResourceTags") == 3  # every customer managed key, not the AWS managed one


def test_every_tag_must_match_and_pending_keys_are_reported(run_module, kms):
    ours = key(kms, DESCRIPTION, "cloudresume", "alias/cloudresume-alarms")
    kms.schedule_key_deletion(KeyId=ours, PendingWindowInDays=7)
    result, _failed = run_module(module, {"tags": {"Stack": "cloudresume"}})
    assert [(k["key_id"], k["key_state"], k["aliases"]) for k in result["kms_keys"]] == [
        (ours, "PendingDeletion", ["alias/cloudresume-alarms"])]
    assert run_module(module, {"tags": {"Stack": "cloudresume", "Environment": "x"}})[0]["kms_keys"] == []


def test_tags_are_required(run_module, kms):
    result, failed = run_module(module, {"tags": {}})
    assert failed and result["msg"].startswith("tags:")
