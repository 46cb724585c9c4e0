"""500 concurrent visits against the emulator: the handler's atomic ADD counts every one; a read-then-write
increment, run in the same harness, loses updates (so this harness can tell the two apart)."""
from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from counter_harness import Context, event

VISITS = 500
WORKERS = 50
KEY = {"counter_id": {"S": "visitors"}}


def run_concurrently(increment: Callable[[int], int]) -> list[int]:
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(increment, range(VISITS)))


def stored_count(ddb: Any, table: str) -> int:
    return int(ddb.get_item(TableName=table, Key=KEY, ConsistentRead=True)["Item"]["count"]["N"])


def test_500_concurrent_posts_add_exactly_500(handler_module, ddb, table, capsys):
    def visit(number: int) -> int:
        response = handler_module.handler(event("POST"), Context(f"visit-{number}"))
        assert response["statusCode"] == 200, response
        return json.loads(response["body"])["count"]

    returned = run_concurrently(visit)
    assert stored_count(ddb, table) == VISITS
    assert sorted(returned) == list(range(1, VISITS + 1))  # every visitor saw a distinct count
    with capsys.disabled():
        print(f"\natomic ADD: {VISITS} visits -> {stored_count(ddb, table)} counted, 0 lost")


def test_read_then_write_loses_updates_in_the_same_harness(ddb, table, capsys):
    def read_then_write(visit: int) -> int:  # pylint: disable=unused-argument
        item = ddb.get_item(TableName=table, Key=KEY, ConsistentRead=True).get("Item", {})
        count = int(item.get("count", {}).get("N", "0")) + 1
        ddb.put_item(TableName=table, Item={**KEY, "count": {"N": str(count)}})
        return count

    run_concurrently(read_then_write)
    lost = VISITS - stored_count(ddb, table)
    with capsys.disabled():
        print(f"\nread-then-write: {VISITS} visits -> {VISITS - lost} counted, {lost} lost")
    assert lost > 0
