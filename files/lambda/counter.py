"""Visitor counter behind the HTTP API (payload format 2.0).

``POST /count`` adds one to the counter with a single atomic DynamoDB ``UpdateItem`` (``ADD``) and returns
the new value; ``GET /count`` returns the current value (0 before the first visit). Exactly one DynamoDB call
per request, never a read followed by a write, so concurrent visits are never lost.

Configuration comes only from the environment: ``COUNTER_TABLE_NAME`` and ``COUNTER_ID``. The DynamoDB client
is created once per container, at import. Every request writes one JSON line to stdout with the keys
``level``, ``message``, ``request_id``, ``route``, ``status``, ``latency_ms`` and ``count`` (the monitoring
layer's metric filters match on them). Clients get JSON bodies only, never a stack trace.
"""
from __future__ import annotations

import base64
import binascii
import json
import os
import sys
import time
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

PATH = "/count"
ALLOWED_METHODS = ("GET", "POST")
MAX_BODY_BYTES = 1024
COUNT_ATTRIBUTE = "count"

TABLE_NAME = os.environ.get("COUNTER_TABLE_NAME", "")
COUNTER_ID = os.environ.get("COUNTER_ID", "")
if not TABLE_NAME or not COUNTER_ID:
    raise RuntimeError("COUNTER_TABLE_NAME and COUNTER_ID must be set in the function's environment")

DYNAMODB = boto3.client(
    "dynamodb",
    config=Config(connect_timeout=2, read_timeout=3, retries={"mode": "standard", "max_attempts": 3}),
)
KEY = {"counter_id": {"S": COUNTER_ID}}
NAMES = {"#count": COUNT_ATTRIBUTE}


class Rejected(Exception):
    """A request the handler refuses with a 4xx status."""

    def __init__(self, status: int, error: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(error)
        self.status = status
        self.error = error
        self.headers = headers or {}


def increment() -> int:
    """Add one to the counter atomically and return the new value (creates the item on the first visit)."""
    response = DYNAMODB.update_item(
        TableName=TABLE_NAME,
        Key=KEY,
        UpdateExpression="ADD #count :one",
        ExpressionAttributeNames=NAMES,
        ExpressionAttributeValues={":one": {"N": "1"}},
        ReturnValues="UPDATED_NEW",
    )
    return int(response["Attributes"][COUNT_ATTRIBUTE]["N"])


def read() -> int:
    """The counter's current value, 0 when no visit was counted yet."""
    response = DYNAMODB.get_item(
        TableName=TABLE_NAME, Key=KEY, ProjectionExpression="#count", ExpressionAttributeNames=NAMES,
        ConsistentRead=True,
    )
    return int(response.get("Item", {}).get(COUNT_ATTRIBUTE, {}).get("N", "0"))


def check_body(event: dict[str, Any]) -> None:
    """Accept no body, or a JSON object of at most MAX_BODY_BYTES bytes (its content is ignored)."""
    body = event.get("body")
    if not body:
        return
    try:
        raw = base64.b64decode(body, validate=True) if event.get("isBase64Encoded") else body.encode("utf-8")
    except (binascii.Error, ValueError, UnicodeError) as error:
        raise Rejected(400, "request body is not valid base64") from error
    if len(raw) > MAX_BODY_BYTES:
        raise Rejected(400, f"request body exceeds {MAX_BODY_BYTES} bytes")
    try:
        parsed = json.loads(raw)
    except (ValueError, UnicodeError) as error:
        raise Rejected(400, "request body is not valid JSON") from error
    if not isinstance(parsed, dict):
        raise Rejected(400, "request body must be a JSON object")


def route_of(event: dict[str, Any]) -> tuple[str, str]:
    http = event.get("requestContext", {}).get("http", {})
    return str(http.get("method", "")).upper(), str(event.get("rawPath") or http.get("path") or "")


def serve(method: str, path: str, event: dict[str, Any]) -> tuple[int, int]:
    """Status and count of a valid request; raises Rejected for the others."""
    if path.rstrip("/") != PATH:
        raise Rejected(404, "not found")
    if method not in ALLOWED_METHODS:
        raise Rejected(405, "method not allowed", {"Allow": ", ".join(ALLOWED_METHODS)})
    check_body(event)
    return 200, increment() if method == "POST" else read()


def respond(status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "statusCode": status,
        "headers": {"Content-Type": "application/json", "Cache-Control": "no-store", **(headers or {})},
        "body": json.dumps(payload),
    }


def log(level: str, message: str, request_id: str, route: str, status: int, started: float,
        count: int | None, **extra: str) -> None:
    """The request's one log line (see the module docstring); ``extra`` adds keys, e.g. the DynamoDB error code."""
    line = {
        "level": level, "message": message, "request_id": request_id, "route": route, "status": status,
        "latency_ms": round((time.perf_counter() - started) * 1000, 2), "count": count, **extra,
    }
    sys.stdout.write(json.dumps(line) + "\n")
    sys.stdout.flush()


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    started = time.perf_counter()
    request_id = str(getattr(context, "aws_request_id", "") or "")
    method, path = route_of(event)
    route = f"{method} {path}"
    try:
        status, count = serve(method, path, event)
    except Rejected as rejected:
        log("WARNING", "request rejected", request_id, route, rejected.status, started, None)
        return respond(rejected.status, {"error": rejected.error}, rejected.headers)
    except (ClientError, BotoCoreError) as error:
        code = error.response["Error"]["Code"] if isinstance(error, ClientError) else type(error).__name__
        log("ERROR", "dynamodb error", request_id, route, 503, started, None, error=code)
        return respond(503, {"error": "the counter is unavailable, try again later", "request_id": request_id})
    log("INFO", "count incremented" if method == "POST" else "count read", request_id, route, status, started, count)
    return respond(status, {"count": count})
