"""DynamoDB gaps in moto 5.2.5, filled in the shape AWS documents.

- DescribeTable/CreateTable return a ``TableId`` (moto omits it; community.aws.dynamodb_table needs it), and
  ``SSEDescription.KMSMasterKeyArn`` is always the key's ARN (moto echoes a key id as given).
- The key moto creates for ``SSESpecification`` without ``KMSMasterKeyId`` is the AWS managed key
  ``alias/aws/dynamodb``: its ``KeyManager`` is ``AWS`` (moto says ``CUSTOMER``).
- UpdateTable applies ``SSESpecification`` (moto ignores it): enable with the AWS managed or a given key,
  or disable (back to the AWS owned key).
"""
from __future__ import annotations

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
