"""An AWS request as the authorizer sees it: who signed it, the operation, and its parameters by member name.

The parameters are read back from the wire with the operation's botocore input shape, whatever the protocol:
JSON body (json, and CloudWatch's JSON mode), form fields (query: ``Tags.member.1.Key`` becomes
``{"Tags": [{"Key": ...}]}``), URI labels, query string, headers and JSON or XML body (rest-json, rest-xml).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, unquote
from xml.etree import ElementTree

import botocore.session
from botocore.model import OperationModel, ServiceModel, Shape

_CREDENTIAL = re.compile(r"Credential=([^/]+)/\d{8}/([^/]+)/([^/]+)/aws4_request")


@dataclass(frozen=True)
class Signature:
    access_key: str
    region: str
    signing_name: str
    session_token: str | None


def signature_of(environ: dict[str, Any]) -> Signature | None:
    match = _CREDENTIAL.search(environ.get("HTTP_AUTHORIZATION", ""))
    if not match:
        return None
    return Signature(match.group(1), match.group(2), match.group(3), environ.get("HTTP_X_AMZ_SECURITY_TOKEN"))


@lru_cache(maxsize=None)
def service_model(service: str) -> ServiceModel:
    return botocore.session.get_session().get_service_model(service)


def _unflatten_query(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """``A.member.1.Key=x`` -> ``{"A": [{"Key": "x"}]}``; ``entry``/``member`` wrappers and indices become lists."""
    root: dict[str, Any] = {}
    for key, value in pairs:
        parts = [p for p in key.split(".") if p not in ("member", "entry")]
        node: Any = root
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            if part.isdigit():
                continue
            following = parts[index + 1] if not last else None
            if last:
                if isinstance(node, dict):
                    node[part] = value
                continue
            if following is not None and following.isdigit():
                position = int(following) - 1
                items = node.setdefault(part, [])
                while len(items) <= position:
                    items.append({})
                if index + 2 == len(parts):
                    items[position] = value
                    break
                node = items[position]
            else:
                node = node.setdefault(part, {})
    return root


def _xml_to_dict(element: ElementTree.Element) -> Any:
    children = list(element)
    if not children:
        return element.text or ""
    result: dict[str, Any] = {}
    for child in children:
        name = child.tag.rsplit("}", 1)[-1]
        value = _xml_to_dict(child)
        if name in result:
            existing = result[name]
            result[name] = existing + [value] if isinstance(existing, list) else [existing, value]
        else:
            result[name] = value
    return result


@lru_cache(maxsize=None)
def _uri_pattern(uri: str) -> tuple[re.Pattern[str], tuple[str, ...]]:
    path = uri.partition("?")[0]
    regex, labels = "", []
    for part in re.split(r"(\{[^}]+\})", path):
        if part.startswith("{"):
            name = part[1:-1].rstrip("+")
            labels.append(name)
            regex += f"(?P<l{len(labels) - 1}>{'.+' if part.endswith('+}') else '[^/]+'})"
        else:
            regex += re.escape(part)
    return re.compile(f"^{regex}/?$"), tuple(labels)


def _by_serialized_name(shape: Shape, location: str | None) -> dict[str, str]:
    return {
        (member.serialization.get("name") or name): name
        for name, member in shape.members.items()
        if member.serialization.get("location") == location
    }


def _rest_parameters(operation: OperationModel, environ: dict[str, Any], body: bytes) -> dict[str, Any]:
    shape = operation.input_shape
    if shape is None:
        return {}
    params: dict[str, Any] = {}
    pattern, labels = _uri_pattern(operation.http["requestUri"])
    match = pattern.match(environ.get("PATH_INFO", "") or "/")
    uri_members = _by_serialized_name(shape, "uri")
    if match:
        for index, label in enumerate(labels):
            if label in uri_members:
                params[uri_members[label]] = unquote(match.group(f"l{index}"))
    query_members = _by_serialized_name(shape, "querystring")
    for key, value in parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True):
        if key in query_members:
            params.setdefault(query_members[key], value)
    for serialized, name in _by_serialized_name(shape, "header").items():
        header = environ.get("HTTP_" + serialized.upper().replace("-", "_"))
        if header is not None:
            params[name] = header
    payload = shape.serialization.get("payload")
    params.update(_body(operation, shape, body, payload))
    return params


def _body(operation: OperationModel, shape: Shape, body: bytes, payload: str | None) -> dict[str, Any]:
    if not body.strip():
        return {}
    protocol = operation.metadata["protocol"]
    if protocol == "rest-json":
        try:
            decoded = json.loads(body)
        except ValueError:
            return {}
        if payload:
            return {payload: decoded}
        members = _by_serialized_name(shape, None)
        return {members.get(k, k): v for k, v in decoded.items()} if isinstance(decoded, dict) else {}
    if payload and shape.members[payload].type_name == "blob":
        return {}
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError:
        return {}
    decoded = _xml_to_dict(root)
    if payload:
        return {payload: decoded}
    return decoded if isinstance(decoded, dict) else {}


def parameters(service: str, operation: str, environ: dict[str, Any], body: bytes) -> dict[str, Any]:
    """The request's input members by name (values as sent: strings, lists, dicts)."""
    model = service_model(service)
    try:
        operation_model = model.operation_model(operation)
    except Exception:  # an operation botocore does not know: authorised on its name only
        return {}
    protocol = model.protocol
    if protocol == "json" or environ.get("CONTENT_TYPE", "").startswith("application/x-amz-json"):
        try:
            decoded = json.loads(body or b"{}")
        except ValueError:
            return {}
        return decoded if isinstance(decoded, dict) else {}
    if protocol in ("query", "ec2"):
        pairs = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
        pairs += parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        return {k: v for k, v in _unflatten_query(pairs).items() if k not in ("Action", "Version")}
    return _rest_parameters(operation_model, environ, body)
