"""boto3 round trips for tools/emulator/extensions/dynamodb.py."""
from __future__ import annotations

import boto3
import pytest


@pytest.fixture
def ddb(aws):
    client = boto3.client("dynamodb", region_name="us-east-2")
    client.create_table(
        TableName="t",
        KeySchema=[{"AttributeName": "counter_id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "counter_id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        SSESpecification={"Enabled": True, "SSEType": "KMS"},
    )
    return client


def test_describe_table_returns_a_stable_table_id(ddb):
    first = ddb.describe_table(TableName="t")["Table"]["TableId"]
    assert len(first) == 36
    assert ddb.describe_table(TableName="t")["Table"]["TableId"] == first


def test_default_kms_key_is_the_aws_managed_key(ddb):
    arn = ddb.describe_table(TableName="t")["Table"]["SSEDescription"]["KMSMasterKeyArn"]
    kms = boto3.client("kms", region_name="us-east-2")
    assert kms.describe_key(KeyId=arn)["KeyMetadata"]["KeyManager"] == "AWS"
    assert kms.describe_key(KeyId="alias/aws/dynamodb")["KeyMetadata"]["Arn"] == arn


def test_update_table_disables_and_reenables_sse(ddb):
    ddb.update_table(TableName="t", SSESpecification={"Enabled": False})
    assert "SSEDescription" not in ddb.describe_table(TableName="t")["Table"]
    described = ddb.update_table(TableName="t", SSESpecification={"Enabled": True, "SSEType": "KMS"})
    assert described["TableDescription"]["SSEDescription"]["SSEType"] == "KMS"


def test_update_table_with_customer_key(ddb):
    key = boto3.client("kms", region_name="us-east-2").create_key()["KeyMetadata"]
    ddb.update_table(TableName="t", SSESpecification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": key["KeyId"]})
    assert ddb.describe_table(TableName="t")["Table"]["SSEDescription"]["KMSMasterKeyArn"] == key["Arn"]


def test_kms_key_given_by_id_is_described_by_arn(aws):
    client = boto3.client("dynamodb", region_name="us-east-2")
    key = boto3.client("kms", region_name="us-east-2").create_key()["KeyMetadata"]
    client.create_table(
        TableName="k",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        SSESpecification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": key["KeyId"]},
    )
    assert client.describe_table(TableName="k")["Table"]["SSEDescription"]["KMSMasterKeyArn"] == key["Arn"]


def test_restore_to_point_in_time_returns_the_items_of_that_time(ddb):
    import time

    ddb.create_table(
        TableName="src",
        KeySchema=[{"AttributeName": "counter_id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "counter_id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    ddb.update_continuous_backups(TableName="src", PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
    ddb.put_item(TableName="src", Item={"counter_id": {"S": "v"}, "count": {"N": "1"}})
    time.sleep(0.02)
    point = time.time()
    time.sleep(0.02)
    ddb.update_item(TableName="src", Key={"counter_id": {"S": "v"}}, UpdateExpression="ADD #c :one",
                    ExpressionAttributeNames={"#c": "count"}, ExpressionAttributeValues={":one": {"N": "1"}})
    window = ddb.describe_continuous_backups(TableName="src")["ContinuousBackupsDescription"]
    assert window["PointInTimeRecoveryDescription"]["LatestRestorableDateTime"].timestamp() > point
    ddb.restore_table_to_point_in_time(SourceTableName="src", TargetTableName="restored", RestoreDateTime=point)
    assert ddb.scan(TableName="restored")["Items"] == [{"counter_id": {"S": "v"}, "count": {"N": "1"}}]
    ddb.restore_table_to_point_in_time(SourceTableName="src", TargetTableName="latest", UseLatestRestorableTime=True)
    assert ddb.scan(TableName="latest")["Items"][0]["count"] == {"N": "2"}
