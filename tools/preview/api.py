"""The API Gateway (HTTP API) side: stage, route selection, CORS as API Gateway applies it, payload format 2.0.

Behaviour follows the HTTP API documentation: with a CORS configuration, API Gateway answers preflight
``OPTIONS`` requests itself (204), adds the CORS headers only for an allowed origin, and ignores CORS headers
returned by the integration; without one, OPTIONS is routed like any method. Unmatched routes answer
``404 {"message":"Not Found"}``; a failing or unauthorised integration ``500 {"message":"Internal Server Error"}``.
"""
from __future__ import annotations

import base64
import json
import re
import time
import traceback
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import parse_qsl

from .deployment import Api, Function, Route, function_arn_of

NOT_FOUND = {"message": "Not Found"}
INTERNAL_ERROR = {"message": "Internal Server Error"}


@dataclass
class Reply:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)


def json_reply(status: int, payload: dict[str, Any]) -> Reply:
    return Reply(status, [("Content-Type", "application/json")], json.dumps(payload).encode())


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: str
    headers: list[tuple[str, str]]
    body: bytes
    source_ip: str = "127.0.0.1"

    def header(self, name: str) -> str | None:
        values = [v for k, v in self.headers if k.lower() == name.lower()]
        return ",".join(values) if values else None


def split_stage(api: Api, path: str) -> tuple[str, str] | None:
    """``(stage, path within the stage)``; the ``$default`` stage serves the root, others their prefix."""
    first, _, rest = path.lstrip("/").partition("/")
    if first in api.stages and first != "$default":
        return first, "/" + rest
    if "$default" in api.stages:
        return "$default", path
    return None


def _route_pattern(path: str) -> tuple[re.Pattern[str], int]:
    regex, literal = "", 0
    for segment in path.strip("/").split("/"):
        if segment.startswith("{") and segment.endswith("+}"):
            regex += rf"/(?P<{segment[1:-2]}>.+)"
        elif segment.startswith("{") and segment.endswith("}"):
            regex += rf"/(?P<{segment[1:-1]}>[^/]+)"
        elif segment:
            regex += "/" + re.escape(segment)
            literal += 1
    return re.compile(f"^{regex or '/'}$"), literal


def select_route(routes: tuple[Route, ...], method: str, path: str) -> tuple[Route, dict[str, str]] | None:
    """The most specific matching route (literal paths over parameters, a method over ANY), else ``$default``."""
    best: tuple[tuple[int, int], Route, dict[str, str]] | None = None
    for route in routes:
        if route.key == "$default":
            continue
        route_method, _, route_path = route.key.partition(" ")
        if route_method not in (method, "ANY"):
            continue
        pattern, literal = _route_pattern(route_path)
        match = pattern.match(path)
        if match:
            rank = (literal, int(route_method == method))
            if best is None or rank > best[0]:
                best = (rank, route, match.groupdict())
    if best:
        return best[1], best[2]
    default = next((r for r in routes if r.key == "$default"), None)
    return (default, {}) if default else None


def origin_allowed(cors: dict[str, Any], origin: str | None) -> bool:
    allowed = [o.rstrip("/").lower() for o in cors.get("AllowOrigins", [])]
    return origin is not None and ("*" in allowed or origin.rstrip("/").lower() in allowed)


def cors_headers(cors: dict[str, Any], origin: str, preflight: bool) -> list[tuple[str, str]]:
    allow_all = "*" in cors.get("AllowOrigins", []) and not cors.get("AllowCredentials")
    headers = [("Access-Control-Allow-Origin", "*" if allow_all else origin)]
    if cors.get("AllowCredentials"):
        headers.append(("Access-Control-Allow-Credentials", "true"))
    if preflight:
        if cors.get("AllowMethods"):
            headers.append(("Access-Control-Allow-Methods", ",".join(cors["AllowMethods"])))
        if cors.get("AllowHeaders"):
            headers.append(("Access-Control-Allow-Headers", ",".join(cors["AllowHeaders"])))
        if cors.get("MaxAge") is not None:
            headers.append(("Access-Control-Max-Age", str(cors["MaxAge"])))
    elif cors.get("ExposeHeaders"):
        headers.append(("Access-Control-Expose-Headers", ",".join(cors["ExposeHeaders"])))
    if not allow_all:
        headers.append(("Vary", "Origin"))
    return headers


def build_event(api: Api, request: Request, stage: str, route_key: str,
                path_parameters: dict[str, str], request_id: str, now: float) -> dict[str, Any]:
    """The payload format 2.0 event, field by field as API Gateway documents it."""
    headers: dict[str, str] = {}
    cookies: list[str] = []
    for name, value in request.headers:
        if name.lower() == "cookie":
            cookies += [c.strip() for c in value.split(";") if c.strip()]
            continue
        headers[name.lower()] = f"{headers[name.lower()]},{value}" if name.lower() in headers else value
    query: dict[str, str] = {}
    for name, value in parse_qsl(request.query, keep_blank_values=True):
        query[name] = f"{query[name]},{value}" if name in query else value
    domain = api.endpoint.split("://", 1)[1]
    body_text = request.body.decode("utf-8", errors="strict") if request.body else None
    event: dict[str, Any] = {
        "version": "2.0", "routeKey": route_key, "rawPath": request.path, "rawQueryString": request.query,
        "headers": headers,
        "requestContext": {
            "accountId": api.account, "apiId": api.api_id, "domainName": domain,
            "domainPrefix": domain.split(".", 1)[0],
            "http": {"method": request.method, "path": request.path, "protocol": "HTTP/1.1",
                     "sourceIp": request.source_ip, "userAgent": headers.get("user-agent", "")},
            "requestId": request_id, "routeKey": route_key, "stage": stage,
            "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)), "timeEpoch": int(now * 1000),
        },
        "isBase64Encoded": False,
    }
    if cookies:
        event["cookies"] = cookies
    if query:
        event["queryStringParameters"] = query
    if path_parameters:
        event["pathParameters"] = path_parameters
    if body_text is not None:
        event["body"] = body_text
    return event


def reply_from_result(result: Any) -> Reply:
    """Map a 2.0 integration result: a ``statusCode`` object as given, anything else as a 200 JSON body."""
    if isinstance(result, dict) and "statusCode" in result:
        body = result.get("body") or ""
        raw = base64.b64decode(body) if result.get("isBase64Encoded") else str(body).encode()
        headers = [(k, str(v)) for k, v in (result.get("headers") or {}).items()]
        headers += [(k, ",".join(map(str, v))) for k, v in (result.get("multiValueHeaders") or {}).items()]
        headers += [("Set-Cookie", c) for c in result.get("cookies") or []]
        if not any(k.lower() == "content-type" for k, _ in headers):
            headers.append(("Content-Type", "application/json"))
        return Reply(int(result["statusCode"]), headers, raw)
    return Reply(200, [("Content-Type", "application/json")], json.dumps(result).encode())


Invoke = Callable[[Function, dict[str, Any]], Any]


def handle(api: Api, request: Request, invoke: Invoke, log: Callable[[str], None] = lambda _: None) -> Reply:
    """Answer one request as the deployed HTTP API would. ``request`` carries deployed origins (see origins.py)."""
    request_id = base64.b32encode(uuid.uuid4().bytes)[:16].decode()
    origin = request.header("Origin")
    cors = api.cors
    preflight = request.method == "OPTIONS" and origin and request.header("Access-Control-Request-Method")
    if cors and preflight:
        reply = Reply(204, cors_headers(cors, origin, True) if origin_allowed(cors, origin) else [])
    else:
        reply = _route(api, request, invoke, request_id, log)
        if cors:
            reply.headers = [(k, v) for k, v in reply.headers if not k.lower().startswith("access-control-")]
            if origin_allowed(cors, origin):
                reply.headers += cors_headers(cors, origin, False)  # type: ignore[arg-type]
    reply.headers.append(("Apigw-Requestid", request_id))
    return reply


def _route(api: Api, request: Request, invoke: Invoke, request_id: str, log: Callable[[str], None]) -> Reply:
    staged = split_stage(api, request.path)
    selected = select_route(api.routes, request.method, staged[1]) if staged else None
    if staged is None or selected is None:
        return json_reply(404, NOT_FOUND)
    (stage, path), (route, parameters) = staged, selected
    integration = route.integration
    if not integration or integration.get("IntegrationType") != "AWS_PROXY":
        log(f"route {route.key}: no Lambda proxy integration")
        return json_reply(500, INTERNAL_ERROR)
    function = api.functions[function_arn_of(integration["IntegrationUri"])]
    if not function.allows(api.execute_arn(stage, request.method, path)):
        log(f"route {route.key}: {function.name}'s resource policy does not allow this API to invoke it")
        return json_reply(500, INTERNAL_ERROR)
    if integration.get("PayloadFormatVersion") != "2.0":
        log(f"route {route.key}: payload format {integration.get('PayloadFormatVersion')} is not played")
        return json_reply(500, INTERNAL_ERROR)
    event = build_event(api, request, stage, route.key, parameters, request_id, time.time())
    try:
        return reply_from_result(invoke(function, event))
    except Exception:  # noqa: BLE001 - a failed invocation is API Gateway's 500, whatever the cause
        log(f"route {route.key}: invocation failed\n{traceback.format_exc()}")
        return json_reply(500, INTERNAL_ERROR)
