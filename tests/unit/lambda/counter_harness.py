"""Helpers shared by the handler tests: paths, a fresh handler module, HTTP API events, the Lambda context."""
from __future__ import annotations

import importlib.util
import itertools
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from servers import free_port

ROOT = Path(__file__).resolve().parents[3]
HANDLER = ROOT / "files" / "lambda" / "counter.py"
# One emulator per pytest process (each xdist worker imports this anew) on a free port: never shared or stopped by another.
PORT = free_port()
ENDPOINT = f"http://127.0.0.1:{PORT}"
REQUEST_LOG = ROOT / "build" / "emulator" / str(PORT) / "requests.jsonl"
names = itertools.count()


def load_handler(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> ModuleType:
    """Import files/lambda/counter.py as a new module (a new container) with ``env`` as its environment."""
    for key in ("COUNTER_TABLE_NAME", "COUNTER_ID"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    spec = importlib.util.spec_from_file_location(f"counter_{next(names)}", HANDLER)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class Context:
    """The part of the Lambda context object the handler reads."""

    aws_request_id: str


def event(method: str, path: str = "/count", body: str | None = None, base64: bool = False) -> dict[str, Any]:
    """An HTTP API (payload format 2.0) event."""
    return {
        "version": "2.0",
        "routeKey": f"{method} {path}",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {"content-type": "application/json"},
        "requestContext": {"http": {"method": method, "path": path}, "requestId": "api-request", "stage": "$default"},
        "body": body,
        "isBase64Encoded": base64,
    }
