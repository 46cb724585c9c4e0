"""DynamoDB: DescribeTable/CreateTable return a ``TableId`` as AWS does (moto omits it)."""
from __future__ import annotations

import uuid
from typing import Any

from moto.dynamodb.models.table import Table


def install() -> None:
    original = Table.describe

    def describe(self: Table, base_key: str = "TableDescription") -> dict[str, Any]:
        result = original(self, base_key)
        if not hasattr(self, "_cloudresume_table_id"):
            self._cloudresume_table_id = str(uuid.uuid4())
        result[base_key]["TableId"] = self._cloudresume_table_id
        return result

    Table.describe = describe  # type: ignore[method-assign]
