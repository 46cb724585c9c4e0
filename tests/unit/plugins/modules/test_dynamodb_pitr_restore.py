"""cloudresume.aws.dynamodb_pitr_restore against in-process moto (with the emulator's PITR history)."""
from __future__ import annotations

import time
from datetime import datetime, timezone

import boto3
import pytest

from tests.unit.aws_calls import AwsCalls
from ansible_collections.cloudresume.aws.plugins.modules import dynamodb_pitr_restore


@pytest.fixture
def ddb(aws):
    client = boto3.client("dynamodb", region_name="us-east-2")
    client.create_table(
        TableName="visitors",
        KeySchema=[{"AttributeName": "counter_id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "counter_id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    client.update_continuous_backups(
        TableName="visitors", PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
    )
    return client


def count(client, value: int) -> None:
    client.put_item(TableName="visitors", Item={"counter_id": {"S": "visitors"}, "count": {"N": str(value)}})


def iso(stamp: float) -> str:
    return datetime.fromtimestamp(stamp, timezone.utc).isoformat()


def test_restores_the_items_of_that_time_in_place(run_module, ddb):
    count(ddb, 41)
    time.sleep(0.05)
    point = time.time()
    time.sleep(0.05)
    count(ddb, 9000)
    arn = ddb.describe_table(TableName="visitors")["Table"]["TableArn"]
    result, failed = run_module(dynamodb_pitr_restore, {"name": "visitors", "restore_time": iso(point)})
    assert not failed, result
    assert result["changed"]
    assert result["items_before"] == [{"counter_id": "visitors", "count": 9000}]
    assert result["items_after"] == [{"counter_id": "visitors", "count": 41}]
    assert ddb.describe_table(TableName="visitors")["Table"]["TableArn"] == arn
    assert ddb.list_tables()["TableNames"] == ["visitors"]  # the temporary table is gone


def test_check_mode_shows_the_plan_and_writes_nothing(run_module, ddb):
    count(ddb, 5)
    point = time.time()
    with AwsCalls() as calls:
        result, failed = run_module(dynamodb_pitr_restore, {"name": "visitors", "restore_time": iso(point),
                                                            "counter_attributes": ["count"]}, check_mode=True)
    assert not failed and result["changed"]
    assert result["temporary_table_name"] == f"visitors-restore-{int(point)}"
    assert set(calls.operations) <= {"DescribeContinuousBackups", "DescribeTable", "Scan"}
    assert result["counters"] == [{"key": {"counter_id": "visitors"}, "attribute": "count", "before": 5, "restored": None,
                                   "counted_during_restore": None, "after": None}]
    assert ddb.list_tables()["TableNames"] == ["visitors"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"restore_time": "yesterday"}, "restore_time:"),
        ({"restore_time": "2026-11-25T12:00:00"}, "restore_time:"),
        ({"restore_time": "2000-01-01T00:00:00Z"}, "restore_time:"),
        ({"name": "missing", "use_latest_restorable_time": True}, "name:"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(run_module, ddb, args, message):
    count(ddb, 5)
    result, failed = run_module(dynamodb_pitr_restore, {"name": "visitors", **args})
    assert failed and result["msg"].startswith(message), result["msg"]
    assert ddb.list_tables()["TableNames"] == ["visitors"]


def test_refuses_without_pitr(run_module, ddb):
    ddb.update_continuous_backups(
        TableName="visitors", PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": False}
    )
    result, failed = run_module(dynamodb_pitr_restore, {"name": "visitors", "use_latest_restorable_time": True})
    assert failed and "point-in-time recovery is not enabled" in result["msg"]


@pytest.mark.parametrize("args", [{}, {"restore_time": "2026-11-25T12:00:00Z", "use_latest_restorable_time": True}])
def test_needs_exactly_one_point_in_time(run_module, ddb, args):
    result, failed = run_module(dynamodb_pitr_restore, {"name": "visitors", **args})
    assert failed and result["msg"].startswith("restore_time:")


def visit(client, times: int = 1) -> None:
    for unused in range(times):
        client.update_item(TableName="visitors", Key={"counter_id": {"S": "visitors"}}, UpdateExpression="ADD #c :one",
                           ExpressionAttributeNames={"#c": "count"}, ExpressionAttributeValues={":one": {"N": "1"}})


def stored_count(client) -> int:
    return int(client.get_item(TableName="visitors", Key={"counter_id": {"S": "visitors"}})["Item"]["count"]["N"])


def test_visits_counted_while_the_restore_runs_are_kept(run_module, ddb, monkeypatch):
    count(ddb, 41)
    time.sleep(0.05)
    point = time.time()
    time.sleep(0.05)
    count(ddb, 9000)
    original = dynamodb_pitr_restore.Restorer.restore

    def restore_while_visitors_come(self, when, temporary):
        original(self, when, temporary)
        visit(ddb, 3)  # counted on the live table while AWS restores into the temporary one

    monkeypatch.setattr(dynamodb_pitr_restore.Restorer, "restore", restore_while_visitors_come)
    result, failed = run_module(dynamodb_pitr_restore, {"name": "visitors", "restore_time": iso(point),
                                                        "counter_attributes": ["count"]})
    assert not failed, result
    assert stored_count(ddb) == 44
    assert result["counters"] == [{"key": {"counter_id": "visitors"}, "attribute": "count", "before": 9000,
                                   "restored": 41, "counted_during_restore": 3, "after": 44}]


def test_a_visit_between_the_read_and_the_write_is_not_overwritten(run_module, ddb, monkeypatch):
    count(ddb, 10)
    time.sleep(0.05)
    point = time.time()
    time.sleep(0.05)
    count(ddb, 500)
    original = dynamodb_pitr_restore.Restorer.current_item
    reads = []

    def read_then_someone_visits(self, key):
        item = original(self, key)
        reads.append(item)
        if len(reads) == 1:
            visit(ddb)  # after the module read 500, before its conditional write
        return item

    monkeypatch.setattr(dynamodb_pitr_restore.Restorer, "current_item", read_then_someone_visits)
    result, failed = run_module(dynamodb_pitr_restore, {"name": "visitors", "restore_time": iso(point),
                                                        "counter_attributes": ["count"]})
    assert not failed, result
    assert len(reads) == 2  # the first write failed its condition; the module read again
    assert stored_count(ddb) == 11
    assert result["counters"][0]["counted_during_restore"] == 1


def test_without_counter_attributes_the_restored_item_is_written_as_it_was(run_module, ddb, monkeypatch):
    count(ddb, 7)
    time.sleep(0.05)
    point = time.time()
    time.sleep(0.05)
    count(ddb, 70)
    original = dynamodb_pitr_restore.Restorer.restore

    def restore_while_visitors_come(self, when, temporary):
        original(self, when, temporary)
        visit(ddb, 2)

    monkeypatch.setattr(dynamodb_pitr_restore.Restorer, "restore", restore_while_visitors_come)
    result, failed = run_module(dynamodb_pitr_restore, {"name": "visitors", "restore_time": iso(point)})
    assert not failed and result["counters"] == []
    assert stored_count(ddb) == 7


def test_a_counter_that_is_not_a_number_is_named(run_module, ddb):
    ddb.put_item(TableName="visitors", Item={"counter_id": {"S": "visitors"}, "count": {"S": "many"}})
    result, failed = run_module(dynamodb_pitr_restore, {"name": "visitors", "use_latest_restorable_time": True,
                                                        "counter_attributes": ["count"]}, check_mode=True)
    assert failed and result["msg"].startswith("counter_attributes:")
