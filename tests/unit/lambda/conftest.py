"""Fixtures for the counter handler: an emulator of its own (a free port per pytest process), a table, a fresh handler module."""
from __future__ import annotations

import itertools
import subprocess
import sys
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import boto3
import pytest

from counter_harness import ENDPOINT, PORT, ROOT, Context, event, load_handler, names


def _emulator(command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "emulator", command, "--port", str(PORT)], cwd=ROOT,
                          capture_output=True, text=True, check=False)


@pytest.fixture(scope="session")
def emulator() -> Iterator[str]:
    """The emulator on PORT, started here and stopped afterwards."""
    started = _emulator("start")
    assert started.returncode == 0, started.stderr
    _emulator("reset")
    yield ENDPOINT
    _emulator("stop")


@pytest.fixture
def ddb(emulator: str) -> Any:
    return boto3.client("dynamodb", endpoint_url=emulator, region_name="us-east-2")


@pytest.fixture
def table(ddb: Any) -> str:
    """A fresh counter table (the shape counter_db creates) for each test."""
    name = f"visitors-{next(names)}"
    ddb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "counter_id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "counter_id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    return name


@pytest.fixture
def handler_module(monkeypatch: pytest.MonkeyPatch, emulator: str, table: str) -> ModuleType:
    return load_handler(monkeypatch, {"AWS_ENDPOINT_URL": emulator, "COUNTER_TABLE_NAME": table,
                                      "COUNTER_ID": "visitors"})


@pytest.fixture
def call(handler_module: ModuleType) -> Callable[..., dict[str, Any]]:
    """``call(method, path="/count", body=None, base64=False)``: invoke the handler, return its response."""
    requests = itertools.count()

    def invoke(method: str, path: str = "/count", body: str | None = None, base64: bool = False) -> dict[str, Any]:
        return handler_module.handler(event(method, path, body, base64), Context(f"req-{next(requests)}"))

    return invoke
