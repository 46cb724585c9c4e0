"""DynamoDB gaps in moto 5.2.5, filled in the shape AWS documents.

- DescribeTable/CreateTable return a ``TableId`` (moto omits it; community.aws.dynamodb_table needs it), and
  ``SSEDescription.KMSMasterKeyArn`` is always the key's ARN (moto echoes a key id as given).
- The key moto creates for ``SSESpecification`` without ``KMSMasterKeyId`` is the AWS managed key
  ``alias/aws/dynamodb``: its ``KeyManager`` is ``AWS`` (moto says ``CUSTOMER``).
- RestoreTableToPointInTime restores the items as they were at ``RestoreDateTime`` (moto copies the current
  items whatever the time asked), and DescribeContinuousBackups moves ``LatestRestorableDateTime`` with the clock
  (moto freezes it when PITR is enabled; AWS keeps it about five minutes behind now, the emulator at now).
- UpdateTable applies ``SSESpecification`` (moto ignores it): enable with the AWS managed or a given key,
  or disable (back to the AWS owned key).
"""
from __future__ import annotations

import copy
import time
import uuid
from typing import Any

from moto.dynamodb.models.table import Table
from moto.dynamodb.responses import DynamoHandler, DynamoResult


def _describe_with_table_id() -> None:
    original = Table.describe

    def describe(self: Table, base_key: str = "TableDescription") -> dict[str, Any]:
        result = original(self, base_key)
        if not hasattr(self, "_cloudresume_table_id"):
            self._cloudresume_table_id = str(uuid.uuid4())
        result[base_key]["TableId"] = self._cloudresume_table_id
        sse = result[base_key].get("SSEDescription")
        if sse and not sse.get("KMSMasterKeyArn", "").startswith("arn:"):
            sse["KMSMasterKeyArn"] = _key_arn(self, sse["KMSMasterKeyArn"])
        return result

    Table.describe = describe  # type: ignore[method-assign]


def _key_arn(table: Table, key_id: str) -> str:
    from moto.kms import kms_backends

    return kms_backends[table.account_id][table.region_name].describe_key(key_id).arn


def _aws_managed_default_key() -> None:
    original = Table._get_default_encryption_key

    def default_key(self: Table, account_id: str, region: str) -> str:
        from moto.kms import kms_backends

        arn = original(self, account_id, region)
        kms_backends[account_id][region].describe_key("alias/aws/dynamodb").key_manager = "AWS"
        return arn

    Table._get_default_encryption_key = default_key  # type: ignore[method-assign]


def _update_table_sse() -> None:
    original = DynamoHandler.update_table

    def update_table(self: DynamoHandler) -> Any:
        response = original(self)
        spec = self.body.get("SSESpecification")
        if spec is None:
            return response
        table = self.dynamodb_backend.get_table(self.body["TableName"])
        _apply_sse(table, spec)
        return DynamoResult(table.describe())

    DynamoHandler.update_table = update_table  # type: ignore[method-assign]


def _apply_sse(table: Table, spec: dict[str, Any]) -> None:
    if not spec.get("Enabled"):
        table.sse_specification = None
        return
    key = spec.get("KMSMasterKeyId")
    if key:
        key = _key_arn(table, key)
    else:
        key = table._get_default_encryption_key(table.account_id, table.region_name)
    table.sse_specification = {"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": key}


def install() -> None:
    _describe_with_table_id()
    _aws_managed_default_key()
    _update_table_sse()
    _point_in_time_history()


def _point_in_time_history() -> None:
    """RestoreTableToPointInTime restores the items as they were at ``RestoreDateTime`` (moto copies the
    current items whatever the time). Every write records a copy of the table's items with its time; a restore
    takes the last copy at or before the requested time (or the latest with ``UseLatestRestorableTime``)."""
    from moto.dynamodb.models import DynamoDBBackend

    for name in ("put_item", "update_item", "delete_item"):
        _record_after(DynamoDBBackend, name)
    describe_backups = DynamoDBBackend.describe_continuous_backups

    def describe_continuous_backups(self: Any, table_name: str) -> dict[str, Any]:
        backups = copy.deepcopy(describe_backups(self, table_name))
        pitr = backups.get("PointInTimeRecoveryDescription", {})
        if pitr.get("PointInTimeRecoveryStatus") == "ENABLED":
            pitr["LatestRestorableDateTime"] = time.time()  # moto freezes it at the time PITR was enabled
        return backups

    DynamoDBBackend.describe_continuous_backups = describe_continuous_backups
    original = DynamoHandler.restore_table_to_point_in_time

    def restore(self: DynamoHandler) -> Any:
        response = original(self)
        source = self.dynamodb_backend.get_table(self.body["SourceTableName"])
        target = self.dynamodb_backend.get_table(self.body["TargetTableName"])
        when = self.body.get("RestoreDateTime")
        if when is not None and not self.body.get("UseLatestRestorableTime"):
            stamp = when.timestamp() if hasattr(when, "timestamp") else float(when)
            target.items = copy.deepcopy(_items_at(source, stamp))
        return response

    DynamoHandler.restore_table_to_point_in_time = restore  # type: ignore[method-assign]


def _record_after(backend_class: type, name: str) -> None:
    original = getattr(backend_class, name)

    def write(self: Any, table_name: str, *args: Any, **kwargs: Any) -> Any:
        result = original(self, table_name, *args, **kwargs)
        table = self.get_table(table_name)
        history = table.__dict__.setdefault("_cloudresume_history", [])
        history.append((time.time(), copy.deepcopy(table.items)))
        return result

    setattr(backend_class, name, write)


def _items_at(table: Table, when: float) -> Any:
    history = [items for stamp, items in table.__dict__.get("_cloudresume_history", []) if stamp <= when]
    return history[-1] if history else type(table.items)(dict)
