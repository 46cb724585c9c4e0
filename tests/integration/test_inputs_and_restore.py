"""PITR restore on a partly deployed stack (only counter_db), then that stack's teardown with the data (the inventory
checks are in test_preflight.py; the whole stack's teardown is in test_iam_lifecycle.py)."""
from __future__ import annotations

import os
import subprocess
import time
from datetime import datetime, timezone

import pytest

from .conftest import BIN, ROOT, emulator_fixture, run_playbook
from .inventory import stack_resources

emulator = emulator_fixture()


def start_restore(emulator, *extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}", "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"),
           "ANSIBLE_COLLECTIONS_PATH": str(ROOT / ".venv" / "collections"), "ANSIBLE_NOCOLOR": "1",
           "EMULATOR_PORT": str(emulator.port)}
    return subprocess.Popen([str(BIN / "ansible-playbook"), "-i", str(ROOT / "inventories" / "local"),
                             "playbooks/restore.yml", *extra], cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_restore_puts_the_count_back_in_place_and_keeps_the_visits_made_meanwhile(emulator):
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
    assert "before: 107" in plan.output and "restored: null" in plan.output
    assert "After the restore each counter will be its value at" in plan.output
    assert "restore_confirm=cloudresume-visitors" in plan.output

    # Visitors keep coming while AWS restores: from the moment the restore is asked for, 5 visits are counted.
    mark = len(emulator.calls())
    restore = start_restore(emulator, "-e", f"restore_time={point}", "-e", "restore_confirm=cloudresume-visitors")
    while "RestoreTableToPointInTime" not in {c["operation"] for c in emulator.calls(mark)} and restore.poll() is None:
        time.sleep(0.01)
    visit(5)
    output = restore.communicate(timeout=600)[0]
    assert restore.returncode == 0, output[-3000:]
    assert ddb.get_item(TableName="cloudresume-visitors", Key=key)["Item"]["count"] == {"N": "12"}
    assert "restored: 7" in output
    assert ddb.describe_table(TableName="cloudresume-visitors")["Table"]["TableArn"] == arn
    assert ddb.list_tables()["TableNames"] == ["cloudresume-visitors"]
    restored = [c for c in emulator.calls(mark) if c["mutating"]]
    assert {"RestoreTableToPointInTime", "PutItem", "DeleteTable"} <= {c["operation"] for c in restored}


def test_restore_without_a_time_fails_clearly(emulator):
    run = run_playbook(emulator, "playbooks/restore.yml")
    assert run.returncode != 0
    assert "restore_time" in run.output
    assert run.mutating == []


@pytest.mark.parametrize("confirmation", [{}, {"restore_confirm": "cloudresume-visitors-typo"}])
def test_restore_without_the_confirmation_fails_before_any_aws_call(emulator, confirmation):
    run = run_playbook(emulator, "playbooks/restore.yml", extra_vars={"restore_latest": "true", **confirmation})
    assert run.returncode != 0
    assert "restore_confirm: the restore overwrites the items of the table cloudresume-visitors" in run.output
    assert "-e restore_confirm=cloudresume-visitors" in run.output
    assert run.calls == []


def test_teardown_of_a_partly_deployed_stack(emulator):
    """Only counter_db is deployed (and restored above): teardown with the data removes it, and finds the other
    layers absent without error or call that changes anything."""
    assert {kind: names for kind, names in stack_resources(emulator).items() if names} == {
        "tables": ["cloudresume-visitors"]}
    destroyed = run_playbook(emulator, "playbooks/teardown.yml", extra_vars={"stack_destroy_data": "true"})
    assert destroyed.returncode == 0, destroyed.output[-3000:]
    assert destroyed.mutating == ["dynamodb:UpdateTable", "dynamodb:DeleteTable"]
    assert {kind: names for kind, names in stack_resources(emulator).items() if names} == {}
