"""PITR restore works on the emulator (the inventory checks are in test_preflight.py)."""
from __future__ import annotations

import time
from datetime import datetime, timezone

from .conftest import emulator_fixture, run_playbook

emulator = emulator_fixture()


def test_restore_puts_the_count_back_in_place(emulator):
    deployed = run_playbook(emulator, "site.yml", "--tags", "counter_db")
    assert deployed.returncode == 0, deployed.output[-3000:]
    ddb = emulator.client("dynamodb")
    key = {"counter_id": {"S": "visitors"}}

    def visit(times: int) -> None:
        for unused in range(times):
            ddb.update_item(TableName="cloudresume-visitors", Key=key, UpdateExpression="ADD #c :one",
                            ExpressionAttributeNames={"#c": "count"}, ExpressionAttributeValues={":one": {"N": "1"}})

    visit(7)
    time.sleep(0.05)
    point = datetime.now(timezone.utc).isoformat()
    time.sleep(0.05)
    visit(100)
    arn = ddb.describe_table(TableName="cloudresume-visitors")["Table"]["TableArn"]

    plan = run_playbook(emulator, "playbooks/restore.yml", "--check", extra_vars={"restore_time": point})
    assert plan.returncode == 0, plan.output[-3000:]
    assert plan.mutating == []
    assert "check mode: nothing written" in plan.output

    restored = run_playbook(emulator, "playbooks/restore.yml", extra_vars={"restore_time": point})
    assert restored.returncode == 0, restored.output[-3000:]
    assert ddb.get_item(TableName="cloudresume-visitors", Key=key)["Item"]["count"] == {"N": "7"}
    assert ddb.describe_table(TableName="cloudresume-visitors")["Table"]["TableArn"] == arn
    assert ddb.list_tables()["TableNames"] == ["cloudresume-visitors"]
    assert {"dynamodb:RestoreTableToPointInTime", "dynamodb:PutItem", "dynamodb:DeleteTable"} <= set(restored.mutating)


def test_restore_without_a_time_fails_clearly(emulator):
    run = run_playbook(emulator, "playbooks/restore.yml")
    assert run.returncode != 0
    assert "restore_time" in run.output
    assert run.mutating == []
