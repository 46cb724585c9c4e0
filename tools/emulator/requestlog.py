"""Name every AWS call the emulator serves, and log it as one JSON line.

The service comes from the SigV4 credential scope, the operation from the request itself: the
``X-Amz-Target`` header (JSON protocols), the ``Action`` parameter (query protocols), or, for REST
protocols, the botocore operation whose HTTP method and request URI match. A call is *mutating* unless
its operation only reads (Describe/Get/List/Head/...), so tests can assert that a no-op run changes nothing.
"""
from __future__ import annotations

import io
import json
import re
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import parse_qs, unquote

import botocore.session

READ_PREFIXES = ("Describe", "Get", "List", "Head", "Query", "Scan", "BatchGet", "Search", "Lookup", "Test")
_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/[^/]+/([^/]+)/aws4_request")
# Signing names that differ from botocore service names.
_SIGNING_TO_SERVICE = {"monitoring": "cloudwatch", "execute-api": "apigatewayv2", "email": "ses",
                       "tagging": "resourcegroupstaggingapi"}


def buffered_body(environ: dict[str, Any]) -> bytes:
    """The request's body, read once and put back so that the next layer (and moto) can read it again."""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    if not length:
        return b""
    body = environ["wsgi.input"].read(length)
    environ["wsgi.input"] = io.BytesIO(body)
    return body


def is_mutating(operation: str) -> bool:
    if " " in operation:  # an unmatched REST call, logged as "METHOD /path"
        return not operation.startswith(("GET ", "HEAD "))
    return not operation.startswith(READ_PREFIXES)


@dataclass(frozen=True)
class _Route:
    operation: str
    method: str
    pattern: re.Pattern[str]
    query_keys: frozenset[str]
    headers: frozenset[str]
    specificity: int
    deprecated: bool


def _compile(uri: str) -> tuple[re.Pattern[str], frozenset[str], int]:
    path, _, query = uri.partition("?")
    regex, literal = "", 0
    for part in re.split(r"(\{[^}]+\})", path):
        if part.startswith("{"):
            regex += ".+" if part.endswith("+}") else "[^/]+"
        else:
            regex += re.escape(part)
            literal += len(part)
    keys = frozenset(k.split("=")[0] for k in query.split("&") if k)
    return re.compile(f"^{regex}/?$"), keys, literal * 10 + len(keys)


def _required_members(operation: Any, location: str) -> frozenset[str]:
    shape = operation.input_shape
    if shape is None:
        return frozenset()
    return frozenset(
        member.serialization["name"].lower() if location == "header" else member.serialization["name"]
        for name, member in shape.members.items()
        if name in shape.required_members and member.serialization.get("location") == location
    )


@lru_cache(maxsize=None)
def _rest_routes(service: str) -> tuple[_Route, ...]:
    model = botocore.session.get_session().get_service_model(service)
    routes = []
    for name in model.operation_names:
        operation = model.operation_model(name)
        pattern, keys, specificity = _compile(operation.http["requestUri"])
        keys |= _required_members(operation, "querystring")
        headers = _required_members(operation, "header")
        specificity += 10 * (len(keys) + len(headers))
        routes.append(_Route(name, operation.http["method"], pattern, keys, headers, specificity, operation.deprecated))
    return tuple(sorted(routes, key=lambda r: (-r.specificity, r.deprecated)))


@lru_cache(maxsize=None)
def _protocol(service: str) -> str:
    return botocore.session.get_session().get_service_model(service).protocol


def service_of(environ: dict[str, Any]) -> str | None:
    match = _SCOPE.search(environ.get("HTTP_AUTHORIZATION", ""))
    if not match:
        return None
    if match.group(1) == "apigateway" and environ.get("PATH_INFO", "").startswith("/v2/"):
        return "apigatewayv2"
    return _SIGNING_TO_SERVICE.get(match.group(1), match.group(1))


def operation_of(service: str, environ: dict[str, Any], body: bytes) -> str:
    target = environ.get("HTTP_X_AMZ_TARGET")
    if target:
        return target.rsplit(".", 1)[-1]
    try:
        protocol = _protocol(service)
    except Exception:  # unknown service: still log the call
        return f"{environ['REQUEST_METHOD']} {environ.get('PATH_INFO', '')}"
    if protocol in ("query", "ec2"):
        params = parse_qs(body.decode("utf-8", "replace")) | parse_qs(environ.get("QUERY_STRING", ""))
        return params.get("Action", ["Unknown"])[0]
    return _match_rest(service, environ)


def _match_rest(service: str, environ: dict[str, Any]) -> str:
    method = environ["REQUEST_METHOD"]
    path = unquote(environ.get("PATH_INFO", "") or "/")
    query_keys = set(parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True))
    headers = {k[5:].replace("_", "-").lower() for k in environ if k.startswith("HTTP_")}
    headers |= {k.replace("_", "-").lower() for k in ("CONTENT_TYPE", "CONTENT_LENGTH") if k in environ}
    for route in _rest_routes(service):
        if (route.method == method and route.query_keys <= query_keys and route.headers <= headers
                and route.pattern.match(path)):
            return route.operation
    return f"{method} {path}"


class RequestLog:
    """Append-only JSON-lines log, one line per call: time, service, operation, mutating, status; under IAM
    enforcement also the caller (``principal``), the number of (action, resource) pairs ``evaluated`` and, for a
    denied call, ``denied_action`` and ``denied_resource``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)

    def write(self, service: str, operation: str, status: int, **extra: Any) -> None:
        line = json.dumps(
            {"ts": round(time.time(), 3), "service": service, "operation": operation,
             "mutating": is_mutating(operation), "status": status, **extra}
        )
        with self._lock, self.path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")


def read_log(path: Path, start: int = 0) -> list[dict[str, Any]]:
    """Entries of the log from line ``start`` on (use ``len(read_log(path))`` as a bookmark)."""
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    lines = text[: text.rfind("\n") + 1].splitlines()[start:]  # a line still being written is not read yet
    return [json.loads(line) for line in lines if line.strip()]


def mutating_calls(entries: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in entries if e["mutating"]]
