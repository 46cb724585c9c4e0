"""cloudresume.aws.dynamodb_table against in-process moto (with the emulator's extensions)."""
from __future__ import annotations

from unittest import mock

import boto3
import pytest

from tests.unit.aws_calls import AwsCalls
from ansible_collections.cloudresume.aws.plugins.modules import dynamodb_table

BASE = {"name": "visitors", "hash_key_name": "counter_id", "tags": {"Project": "cloudresume"}}


@pytest.fixture
def ddb(aws):
    return boto3.client("dynamodb", region_name="us-east-2")


def present(run_module, **extra):
    return run_module(dynamodb_table, {**BASE, **extra}, diff=True)


def test_create_sets_every_setting(run_module, ddb):
    result, failed = present(run_module)
    assert not failed and result["changed"]
    table = ddb.describe_table(TableName="visitors")["Table"]
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert table["KeySchema"] == [{"AttributeName": "counter_id", "KeyType": "HASH"}]
    assert table["DeletionProtectionEnabled"] is True
    assert table["SSEDescription"]["SSEType"] == "KMS"
    backups = ddb.describe_continuous_backups(TableName="visitors")["ContinuousBackupsDescription"]
    assert backups["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED"
    assert result["table"]["encryption"] == "aws_managed"
    assert result["table"]["tags"] == {"Project": "cloudresume"}
    assert result["diff"]["before"] == {}


def test_second_run_changes_nothing_and_makes_no_mutating_call(run_module, ddb):
    present(run_module)
    with AwsCalls() as calls:
        result, failed = present(run_module)
    assert not failed and not result["changed"]
    assert calls.operations and calls.mutating == []
    assert result["diff"]["before"] == result["diff"]["after"]


def test_check_mode_on_empty_account_creates_nothing(run_module, ddb):
    result, failed = run_module(dynamodb_table, BASE, check_mode=True, diff=True)
    assert not failed and result["changed"]
    assert result["diff"]["after"]["point_in_time_recovery"] is True
    assert ddb.list_tables()["TableNames"] == []


def test_check_mode_reports_change_without_making_it(run_module, ddb):
    present(run_module)
    result = run_module(dynamodb_table, {**BASE, "point_in_time_recovery": False}, check_mode=True, diff=True)[0]
    assert result["changed"]
    assert result["diff"]["before"]["point_in_time_recovery"] is True
    assert result["diff"]["after"]["point_in_time_recovery"] is False
    backups = ddb.describe_continuous_backups(TableName="visitors")["ContinuousBackupsDescription"]
    assert backups["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED"


@pytest.mark.parametrize(
    ("change", "field", "expected"),
    [
        ({"point_in_time_recovery": False}, "point_in_time_recovery", False),
        ({"deletion_protection": False}, "deletion_protection", False),
        ({"encryption": "aws_owned"}, "encryption", "aws_owned"),
        ({"billing_mode": "PROVISIONED", "read_capacity": 2, "write_capacity": 3}, "write_capacity", 3),
    ],
)
def test_updates_one_setting(run_module, ddb, change, field, expected):
    present(run_module)
    result, failed = present(run_module, **change)
    assert not failed and result["changed"]
    assert result["table"][field] == expected
    again = present(run_module, **change)[0]
    assert not again["changed"]


def test_aws_managed_key_is_recognised_without_describing_it(run_module, ddb):
    """DescribeKey on the AWS managed key aws/dynamodb cannot be scoped by the Stack tag (issue 14, item 2): the
    module tells it by its reserved alias (kms:ListAliases, authorised on "*") instead."""
    present(run_module)
    with AwsCalls() as calls:
        result, failed = present(run_module)
    assert not failed and result["table"]["encryption"] == "aws_managed" and not result["changed"]
    assert "DescribeKey" not in calls.operations and "ListAliases" in calls.operations


def test_a_customer_key_is_not_taken_for_the_aws_managed_one(run_module, ddb):
    key = boto3.client("kms", region_name="us-east-2").create_key()["KeyMetadata"]
    present(run_module, encryption="customer_managed", kms_key_id=key["Arn"])
    result, failed = present(run_module)
    assert not failed and result["changed"]
    assert result["diff"]["before"]["encryption"] == "customer_managed"
    assert result["table"]["encryption"] == "aws_managed"


def test_customer_managed_key(run_module, ddb):
    key = boto3.client("kms", region_name="us-east-2").create_key()["KeyMetadata"]
    result, failed = present(run_module, encryption="customer_managed", kms_key_id=key["KeyId"])
    assert not failed
    assert result["table"]["encryption"] == "customer_managed"
    assert result["table"]["kms_key_arn"] == key["Arn"]
    assert not present(run_module, encryption="customer_managed", kms_key_id=key["Arn"])[0]["changed"]


def test_tags_are_merged_or_purged(run_module, ddb):
    present(run_module)
    result = present(run_module, tags={"Owner": "me"}, purge_tags=False)[0]
    assert result["table"]["tags"] == {"Project": "cloudresume", "Owner": "me"}
    result = present(run_module, tags={"Owner": "me"})[0]
    assert result["table"]["tags"] == {"Owner": "me"}


def test_absent_refuses_while_deletion_protection_is_on(run_module, ddb):
    present(run_module)
    result, failed = run_module(dynamodb_table, {"name": "visitors", "state": "absent"})
    assert failed and result["msg"].startswith("deletion_protection:")
    assert ddb.list_tables()["TableNames"] == ["visitors"]


def test_absent_with_explicit_consent_deletes(run_module, ddb):
    present(run_module)
    result, failed = run_module(dynamodb_table, {"name": "visitors", "state": "absent", "deletion_protection": False})
    assert not failed and result["changed"]
    assert ddb.list_tables()["TableNames"] == []
    again = run_module(dynamodb_table, {"name": "visitors", "state": "absent", "deletion_protection": False})[0]
    assert not again["changed"]


def test_absent_in_check_mode_keeps_the_table(run_module, ddb):
    present(run_module, deletion_protection=False)
    result = run_module(dynamodb_table, {"name": "visitors", "state": "absent"}, check_mode=True)[0]
    assert result["changed"]
    assert ddb.list_tables()["TableNames"] == ["visitors"]


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"name": "x"}, "name"),
        ({"name": "bad name!"}, "name"),
        ({"read_capacity": 5}, "read_capacity"),
        ({"kms_key_id": "alias/x"}, "kms_key_id"),
        ({"name": "visitors\n"}, "name"),
        ({"name": "visités"}, "name"),
        ({"name": "x" * 256}, "name"),
        ({"encryption": "customer_managed", "kms_key_id": "my key"}, "kms_key_id"),
        ({"tags": {"aws:cloudformation:stack-name": "x"}}, "tags"),
        ({"tags": {"Project": "cv\n"}}, "tags"),
        ({"tags": {f"k{i}": "v" for i in range(51)}}, "tags"),
    ],
)
def test_bad_input_fails_before_any_call(run_module, ddb, args, field):
    with mock.patch("botocore.client.BaseClient._make_api_call") as calls:
        result, failed = run_module(dynamodb_table, {**BASE, **args})
    assert failed and result["msg"].startswith(f"{field}:")
    calls.assert_not_called()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"billing_mode": "PROVISIONED"},
         "billing_mode is PROVISIONED but all of the following are missing: read_capacity, write_capacity"),
        ({"encryption": "customer_managed"}, "encryption is customer_managed but all of the following are missing: kms_key_id"),
    ],
)
def test_argument_spec_constraints_fail_before_any_call(run_module, ddb, args, message):
    with mock.patch("botocore.client.BaseClient._make_api_call") as calls:
        result, failed = run_module(dynamodb_table, {**BASE, **args})
    assert failed and result["msg"] == message
    calls.assert_not_called()


def test_key_schema_change_is_refused(run_module, ddb):
    present(run_module)
    result, failed = present(run_module, hash_key_name="other")
    assert failed and result["msg"].startswith("hash_key_name:")


def test_create_requires_a_hash_key(run_module, ddb):
    result, failed = run_module(dynamodb_table, {"name": "visitors"})
    assert failed and result["msg"].startswith("hash_key_name:")
