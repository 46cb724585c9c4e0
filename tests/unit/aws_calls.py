"""Record the AWS operations botocore sends (still sending them), for "no mutating call" assertions."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any
from unittest import mock

from botocore.client import BaseClient

from emulator.requestlog import is_mutating


class AwsCalls:
    """Context manager: ``with AwsCalls() as calls: ...`` then ``calls.operations`` and ``calls.mutating``."""

    def __init__(self) -> None:
        self.operations: list[str] = []
        original = BaseClient._make_api_call

        def call(client: BaseClient, operation: str, params: dict[str, Any]) -> Any:
            self.operations.append(operation)
            return original(client, operation, params)

        self.patch = mock.patch.object(BaseClient, "_make_api_call", call)

    def __enter__(self) -> AwsCalls:
        self.patch.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.patch.stop()

    @property
    def mutating(self) -> list[str]:
        return mutating_operations(self.operations)


def mutating_operations(operations: list[str]) -> list[str]:
    return [operation for operation in operations if is_mutating(operation)]


def record_calls(run: Callable[[], Any]) -> tuple[Any, list[str]]:
    """Run ``run()`` and return what it returned and the AWS operations it called."""
    with AwsCalls() as calls:
        outcome = run()
    return outcome, calls.operations
