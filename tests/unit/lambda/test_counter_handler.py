"""files/lambda/counter.py against the emulator: every status, one DynamoDB call per request, the log line."""
from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from botocore.exceptions import EndpointConnectionError

from counter_harness import REQUEST_LOG, Context, event, load_handler

LOG_KEYS = {"level", "message", "request_id", "route", "status", "latency_ms", "count"}


def body(response: dict[str, Any]) -> dict[str, Any]:
    assert response["headers"]["Content-Type"] == "application/json"
    return json.loads(response["body"])


def log_lines(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def dynamodb_calls(start: int) -> list[str]:
    lines = REQUEST_LOG.read_text(encoding="utf-8").splitlines()[start:]
    return [entry["operation"] for entry in map(json.loads, lines) if entry["service"] == "dynamodb"]


def log_length() -> int:
    return len(REQUEST_LOG.read_text(encoding="utf-8").splitlines())


def test_get_before_the_first_visit_is_zero(call):
    response = call("GET")
    assert response["statusCode"] == 200
    assert body(response) == {"count": 0}


def test_post_increments_and_get_reads_without_incrementing(call):
    assert body(call("POST")) == {"count": 1}
    assert body(call("POST")) == {"count": 2}
    assert body(call("GET")) == {"count": 2}
    assert body(call("GET")) == {"count": 2}


def test_the_item_is_keyed_by_the_configured_counter_id(call, ddb, table):
    call("POST")
    item = ddb.get_item(TableName=table, Key={"counter_id": {"S": "visitors"}})["Item"]
    assert item["count"] == {"N": "1"}


def test_each_request_makes_exactly_one_dynamodb_call(call):
    start = log_length()
    call("POST")
    call("GET")
    call("POST")
    assert dynamodb_calls(start) == ["UpdateItem", "GetItem", "UpdateItem"]


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"])
def test_other_methods_get_405_with_allow(call, method):
    start = log_length()
    response = call(method)
    assert response["statusCode"] == 405
    assert response["headers"]["Allow"] == "GET, POST"
    assert body(response) == {"error": "method not allowed"}
    assert dynamodb_calls(start) == []


@pytest.mark.parametrize("path", ["/", "/counts", "/count/1", "/admin"])
def test_other_paths_get_404(call, path):
    response = call("GET", path)
    assert response["statusCode"] == 404
    assert body(response) == {"error": "not found"}


def test_a_trailing_slash_is_the_same_path(call):
    assert body(call("POST", "/count/")) == {"count": 1}


@pytest.mark.parametrize(
    ("payload", "encoded", "error"),
    [
        ("{", False, "request body is not valid JSON"),
        ("[1, 2]", False, "request body must be a JSON object"),
        ('"visit"', False, "request body must be a JSON object"),
        (json.dumps({"pad": "x" * 1100}), False, "request body exceeds 1024 bytes"),
        ("not base64!", True, "request body is not valid base64"),
        (base64.b64encode(b"\xff\xfe").decode(), True, "request body is not valid JSON"),
    ],
)
def test_malformed_or_oversized_bodies_get_400_and_do_not_count(call, payload, encoded, error):
    start = log_length()
    response = call("POST", body=payload, base64=encoded)
    assert response["statusCode"] == 400
    assert body(response) == {"error": error}
    assert dynamodb_calls(start) == []


@pytest.mark.parametrize(
    ("payload", "encoded"), [("", False), ("{}", False), (base64.b64encode(b'{"page": "/"}').decode(), True)]
)
def test_empty_or_small_json_object_bodies_are_accepted(call, payload, encoded):
    assert body(call("POST", body=payload, base64=encoded)) == {"count": 1}


def test_missing_table_gets_503_with_request_id_and_no_trace(monkeypatch, emulator, capsys):
    module = load_handler(monkeypatch, {"AWS_ENDPOINT_URL": emulator, "COUNTER_TABLE_NAME": "no-such-table",
                                        "COUNTER_ID": "visitors"})
    response = module.handler(event("POST"), Context("req-503"))
    assert response["statusCode"] == 503
    assert body(response) == {"error": "the counter is unavailable, try again later", "request_id": "req-503"}
    assert "Traceback" not in response["body"]
    (line,) = log_lines(capsys)
    assert line["level"] == "ERROR" and line["message"] == "dynamodb error" and line["status"] == 503
    assert line["error"] == "ResourceNotFoundException"


def test_unreachable_dynamodb_gets_503(handler_module, monkeypatch, capsys):
    def unreachable(**_: Any) -> None:
        raise EndpointConnectionError(endpoint_url="https://dynamodb.us-east-2.amazonaws.com")

    monkeypatch.setattr(handler_module.DYNAMODB, "get_item", unreachable)
    response = handler_module.handler(event("GET"), Context("req-down"))
    assert response["statusCode"] == 503
    assert body(response)["request_id"] == "req-down"
    (line,) = log_lines(capsys)
    assert line["error"] == "EndpointConnectionError"


def test_configuration_is_required(monkeypatch):
    with pytest.raises(RuntimeError, match="COUNTER_TABLE_NAME and COUNTER_ID"):
        load_handler(monkeypatch, {"COUNTER_TABLE_NAME": "t"})


@pytest.mark.parametrize(
    ("method", "path", "status", "level", "message", "count"),
    [
        ("POST", "/count", 200, "INFO", "count incremented", 1),
        ("GET", "/count", 200, "INFO", "count read", 0),
        ("DELETE", "/count", 405, "WARNING", "request rejected", None),
        ("GET", "/nope", 404, "WARNING", "request rejected", None),
    ],
)
def test_one_structured_log_line_per_request(call, capsys, method, path, status, level, message, count):
    capsys.readouterr()
    call(method, path)
    (line,) = log_lines(capsys)
    assert set(line) == LOG_KEYS
    assert line["level"] == level and line["message"] == message
    assert line["route"] == f"{method} {path}" and line["status"] == status and line["count"] == count
    assert line["request_id"].startswith("req-")
    assert isinstance(line["latency_ms"], (int, float)) and line["latency_ms"] >= 0
