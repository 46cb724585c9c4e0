#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: dynamodb_pitr_restore
short_description: Restore a DynamoDB table's items to a point in time, in place
version_added: 0.1.0
description:
  - Restores the table with point-in-time recovery (PITR) into a temporary table, writes the restored items back
    into the live table, and removes the temporary table. The live table keeps its name, its ARN, its settings and
    everything that refers to it (functions, IAM policies, alarms).
  - Items are written back with C(PutItem), so each restored item replaces the live item with the same key. Items
    created after the restore time are kept, not deleted.
  - Increments made while the restore runs are not lost for the attributes listed in O(counter_attributes). The
    module reads the live items at its start, and writes each restored item with each counter raised by what was
    counted since that start (restored value + live value now - live value at the start). Each write is
    conditional on the counters still holding the values just read, so a visit counted between the read and the
    write makes the module read and write again instead of being overwritten.
  - In check mode, validates the request (PITR on, time inside the restorable window) and returns the plan, with
    the live items that would be overwritten and the counters' current values; nothing is created or written.
    The values at the restore time are only known once the temporary table exists, so check mode cannot give
    the counters' values after the restore.
author:
  - cloudresume.aws maintainers (@cloudresume)
options:
  name:
    description: Name of the live table.
    type: str
    required: true
  restore_time:
    description:
      - The point in time to restore, as ISO 8601 (for example V(2026-11-25T12:00:00Z)).
      - Mutually exclusive with O(use_latest_restorable_time).
    type: str
  use_latest_restorable_time:
    description: Restore to the latest restorable time (about five minutes ago on AWS).
    type: bool
    default: false
  temporary_table_name:
    description: Name of the temporary table. Defaults to C(<name>-restore-<unix time of restore_time>).
    type: str
  counter_attributes:
    description:
      - Number attributes that count (for example the visitor counter's C(count)). Increments made to them while
        the restore runs are added to the restored values instead of being overwritten.
    type: list
    elements: str
    default: []
  wait_timeout:
    description: How long to wait for the temporary table to become C(ACTIVE), in seconds.
    type: int
    default: 1800
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Put the visitor count back to what it was at noon, keeping the visits counted during the restore
  cloudresume.aws.dynamodb_pitr_restore:
    name: cloudresume-visitors
    restore_time: "2026-11-25T12:00:00Z"
    counter_attributes: [count]
  register: restore

- name: Show the counts
  ansible.builtin.debug:
    msg: "{{ restore.items_before }} -> {{ restore.items_after }}"
"""

RETURN = r"""
restore_time:
  description: The point in time restored, ISO 8601 in UTC.
  returned: always
  type: str
  sample: "2026-11-25T12:00:00+00:00"
temporary_table_name:
  description: The temporary table used (removed again unless the run failed half-way).
  returned: always
  type: str
earliest_restorable_time:
  description: Start of the restorable window.
  returned: always
  type: str
latest_restorable_time:
  description: End of the restorable window.
  returned: always
  type: str
items_before:
  description: The live table's items before the restore.
  returned: always
  type: list
  elements: dict
items_restored:
  description: The items read from the restored table (written back unless in check mode).
  returned: when not in check mode
  type: list
  elements: dict
items_after:
  description: The live table's items after the restore.
  returned: when not in check mode
  type: list
  elements: dict
counters:
  description:
    - One entry per item and attribute of O(counter_attributes) (of the live items in check mode, of the restored
      items otherwise).
  returned: always
  type: list
  elements: dict
  contains:
    key:
      description: Key of the item.
      type: dict
      sample: {"counter_id": "visitors"}
    attribute:
      description: The counter attribute.
      type: str
      sample: count
    before:
      description: Its live value when the module started (null when the item or attribute did not exist).
      type: int
    restored:
      description: Its value at the restore time (null in check mode).
      type: int
    counted_during_restore:
      description: What was counted while the restore ran, added to the restored value (null in check mode).
      type: int
    after:
      description: The value written (null in check mode).
      type: int
"""

from datetime import datetime
from datetime import timezone
from decimal import Decimal
from decimal import InvalidOperation
from typing import Any

try:
    from boto3.dynamodb.types import TypeDeserializer
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.cloudresume.aws.plugins.module_utils.dynamodb import DynamoDBError
from ansible_collections.cloudresume.aws.plugins.module_utils.dynamodb import DynamoDBErrorHandler
from ansible_collections.cloudresume.aws.plugins.module_utils.dynamodb import describe_continuous_backups
from ansible_collections.cloudresume.aws.plugins.module_utils.dynamodb import describe_table
from ansible_collections.cloudresume.aws.plugins.module_utils.dynamodb import wait_table_active

WRITE_ATTEMPTS = 10  # conditional writes of one item, each after a fresh read
WAIT_PAUSE = 5  # seconds between DescribeTable calls while the temporary table is created


class ConditionFailedErrorHandler(DynamoDBErrorHandler):
    """A conditional write whose condition failed is not an error: the item changed since it was read."""

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("ConditionalCheckFailedException")


@DynamoDBErrorHandler.common_error_handler("read an item of the table")
@AWSRetry.jittered_backoff()
def get_item(client: Any, table: str, key: dict[str, Any]) -> dict[str, Any] | None:
    return client.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item")


@DynamoDBErrorHandler.common_error_handler("read the items of the table")
@AWSRetry.jittered_backoff()
def scan(client: Any, table: str) -> list[dict[str, Any]]:
    pages = client.get_paginator("scan").paginate(TableName=table, ConsistentRead=True)
    return [item for page in pages for item in page["Items"]]


@DynamoDBErrorHandler.common_error_handler("restore the table into the temporary table")
@AWSRetry.jittered_backoff()
def restore_table(client: Any, request: dict[str, Any]) -> None:
    client.restore_table_to_point_in_time(**request)


@ConditionFailedErrorHandler.deletion_error_handler("write the restored items into the table")
@AWSRetry.jittered_backoff()
def put_item_unless_changed(client: Any, table: str, item: dict[str, Any], condition: dict[str, Any]) -> bool:
    """Write ``item`` if ``condition`` holds: True, or False when it no longer held."""
    client.put_item(TableName=table, Item=item, **condition)
    return True


@DynamoDBErrorHandler.common_error_handler("delete the temporary table (the items are restored)")
@AWSRetry.jittered_backoff()
def delete_table(client: Any, table: str) -> None:
    client.delete_table(TableName=table)


def plain_value(value: Any) -> Any:
    """DynamoDB numbers come back as Decimal: integral ones become int, others float."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (set, list, tuple)):
        return [plain_value(v) for v in value]
    if isinstance(value, dict):
        return {k: plain_value(v) for k, v in value.items()}
    return value


def key_id(item: dict[str, Any], key_names: list[str]) -> str:
    """A hashable identity of a typed item's key."""
    return repr(sorted((name, sorted(item[name].items())) for name in key_names))


def counter_value(module: AnsibleAWSModule, item: dict[str, Any] | None, attribute: str) -> Decimal | None:
    """A counter attribute of a typed item, None when the item or the attribute is missing."""
    if item is None or attribute not in item:
        return None
    try:
        return Decimal(item[attribute]["N"])
    except (KeyError, InvalidOperation):
        module.fail_json(msg=f"counter_attributes: attribute {attribute} is not a number in item {item}")
    raise AssertionError("unreachable")  # fail_json exits


def with_increments(module: AnsibleAWSModule, restored: dict[str, Any], start: dict[str, Any] | None,
                    current: dict[str, Any] | None) -> dict[str, Any]:
    """The restored item, each counter raised by what was counted between ``start`` and ``current``."""
    item = dict(restored)
    for attribute in module.params["counter_attributes"]:
        counted = (counter_value(module, current, attribute) or 0) - (counter_value(module, start, attribute) or 0)
        if attribute in restored or counted:
            item[attribute] = {"N": str((counter_value(module, restored, attribute) or 0) + counted)}
    return item


def unchanged_since_read(module: AnsibleAWSModule, current: dict[str, Any] | None,
                         key_names: list[str]) -> dict[str, Any]:
    """PutItem arguments that make the write fail if the item's counters changed since ``current`` was read."""
    if current is None:
        return {"ConditionExpression": "attribute_not_exists(#key)", "ExpressionAttributeNames": {"#key": key_names[0]}}
    clauses, names, values = [], {}, {}
    for i, attribute in enumerate(module.params["counter_attributes"]):
        names[f"#c{i}"] = attribute
        if attribute in current:
            clauses.append(f"#c{i} = :c{i}")
            values[f":c{i}"] = current[attribute]
        else:
            clauses.append(f"attribute_not_exists(#c{i})")
    if not clauses:
        return {}
    condition: dict[str, Any] = {"ConditionExpression": " AND ".join(clauses), "ExpressionAttributeNames": names}
    if values:
        condition["ExpressionAttributeValues"] = values
    return condition


def as_int(value: Decimal | None) -> int | float | None:
    return None if value is None else plain_value(value)


def parse_time(module: AnsibleAWSModule, value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        module.fail_json(msg=f"restore_time: {value!r} is not an ISO 8601 time such as 2026-11-25T12:00:00Z")
    if parsed.tzinfo is None:
        module.fail_json(msg=f"restore_time: {value!r} has no time zone; add Z for UTC")
    return parsed.astimezone(timezone.utc)


class Restorer:
    def __init__(self, module: AnsibleAWSModule) -> None:
        self.module = module
        self.client = module.client("dynamodb", retry_decorator=AWSRetry.jittered_backoff())
        self.name = module.params["name"]

    def window(self) -> tuple[datetime, datetime]:
        backups = describe_continuous_backups(self.client, self.name)
        if backups is None:
            raise DynamoDBError(message=f"name: table {self.name} does not exist")
        pitr = backups.get("PointInTimeRecoveryDescription", {})
        if pitr.get("PointInTimeRecoveryStatus") != "ENABLED":
            self.module.fail_json(msg=f"name: point-in-time recovery is not enabled on table {self.name}")
        return pitr["EarliestRestorableDateTime"], pitr["LatestRestorableDateTime"]

    def key_names(self) -> list[str]:
        table = describe_table(self.client, self.name)
        if table is None:
            raise DynamoDBError(message=f"name: table {self.name} does not exist")
        return [k["AttributeName"] for k in table["KeySchema"]]

    def current_item(self, key: dict[str, Any]) -> dict[str, Any] | None:
        return get_item(self.client, self.name, key)

    def items(self, table: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The table's items, as plain values and in DynamoDB's typed form."""
        deserializer = TypeDeserializer()
        raw = scan(self.client, table)
        plain = [{k: plain_value(deserializer.deserialize(v)) for k, v in item.items()} for item in raw]
        return plain, raw

    def restore(self, when: datetime | None, temporary: str) -> None:
        request: dict[str, Any] = {"SourceTableName": self.name, "TargetTableName": temporary}
        if when is None:
            request["UseLatestRestorableTime"] = True
        else:
            request["RestoreDateTime"] = when
        restore_table(self.client, request)
        wait_table_active(self.client, temporary, self.module.params["wait_timeout"], WAIT_PAUSE)

    def write_back(self, restored: list[dict[str, Any]], start: list[dict[str, Any]],
                   key_names: list[str]) -> list[dict[str, Any]]:
        """Write each restored item with the increments counted since ``start``; the counters written."""
        at_start = {key_id(item, key_names): item for item in start}
        counters = []
        for item in restored:
            first = at_start.get(key_id(item, key_names))
            written = self.write_item(item, first, key_names)
            counters += [{"key": plain_key(item, key_names), "attribute": attribute,
                          "before": as_int(counter_value(self.module, first, attribute)),
                          "restored": as_int(counter_value(self.module, item, attribute)),
                          "counted_during_restore": as_int((counter_value(self.module, written, attribute) or 0)
                                                           - (counter_value(self.module, item, attribute) or 0)),
                          "after": as_int(counter_value(self.module, written, attribute))}
                         for attribute in self.module.params["counter_attributes"]]
        return counters

    def write_item(self, restored: dict[str, Any], start: dict[str, Any] | None,
                   key_names: list[str]) -> dict[str, Any]:
        key = {name: restored[name] for name in key_names}
        for unused_attempt in range(WRITE_ATTEMPTS):
            current = self.current_item(key)
            item = with_increments(self.module, restored, start, current)
            if put_item_unless_changed(self.client, self.name, item, unchanged_since_read(self.module, current, key_names)):
                return item
            # counted meanwhile: read again
        self.module.fail_json(msg=f"The item {plain_key(restored, key_names)} of {self.name} changed at each of "
                              f"{WRITE_ATTEMPTS} attempts to write it back; the temporary table is kept, rerun the restore")
        raise AssertionError("unreachable")  # fail_json exits

    def drop(self, temporary: str) -> None:
        delete_table(self.client, temporary)


def plain_key(item: dict[str, Any], key_names: list[str]) -> dict[str, Any]:
    deserializer = TypeDeserializer()
    return {name: plain_value(deserializer.deserialize(item[name])) for name in key_names}


def planned_counters(module: AnsibleAWSModule, live: list[dict[str, Any]], key_names: list[str]) -> list[dict[str, Any]]:
    """Check mode: the counters' values now; the restored ones are only known once the temporary table exists."""
    return [{"key": plain_key(item, key_names), "attribute": attribute,
             "before": as_int(counter_value(module, item, attribute)), "restored": None,
             "counted_during_restore": None, "after": None}
            for item in live for attribute in module.params["counter_attributes"]]


def main() -> None:
    module = AnsibleAWSModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            restore_time=dict(type="str"),
            use_latest_restorable_time=dict(type="bool", default=False),
            temporary_table_name=dict(type="str"),
            counter_attributes=dict(type="list", elements="str", default=[]),
            wait_timeout=dict(type="int", default=1800),
        ),
        supports_check_mode=True,
    )
    # Not mutually_exclusive in the spec: restore_time with use_latest_restorable_time=false is valid.
    if bool(module.params["restore_time"]) == module.params["use_latest_restorable_time"]:
        module.fail_json(msg="restore_time: give either restore_time or use_latest_restorable_time=true")
    when = parse_time(module, module.params["restore_time"]) if module.params["restore_time"] else None
    try:
        result = restore(module, when)
    except DynamoDBError as e:
        module.fail_json_aws_error(e)
    module.exit_json(**result)


def restore(module: AnsibleAWSModule, when: datetime | None) -> dict[str, Any]:
    """Restore the table's items to ``when`` (None: the latest restorable time); the module's result."""
    restorer = Restorer(module)
    earliest, latest = restorer.window()
    if when is not None and not earliest <= when <= latest:
        module.fail_json(
            msg=f"restore_time: {when.isoformat()} is outside the restorable window "
            f"{earliest.isoformat()} .. {latest.isoformat()}"
        )
    point = when or latest
    temporary = module.params["temporary_table_name"] or f"{module.params['name']}-restore-{int(point.timestamp())}"
    key_names = restorer.key_names()
    before, start = restorer.items(module.params["name"])
    result: dict[str, Any] = {
        "changed": True,
        "restore_time": point.isoformat(),
        "temporary_table_name": temporary,
        "earliest_restorable_time": earliest.isoformat(),
        "latest_restorable_time": latest.isoformat(),
        "items_before": before,
    }
    if module.check_mode:
        return {**result, "counters": planned_counters(module, start, key_names)}
    restorer.restore(when, temporary)
    restored, raw = restorer.items(temporary)
    counters = restorer.write_back(raw, start, key_names)
    restorer.drop(temporary)
    after, unused_raw = restorer.items(module.params["name"])
    result.update(items_restored=restored, items_after=after, counters=counters, changed=before != after)
    return result


if __name__ == "__main__":
    main()
