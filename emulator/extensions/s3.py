"""S3 gaps in moto 5.2.5, filled in the shape AWS documents.

Bucket policy conditions. moto evaluates a bucket policy's statements for object calls but treats every
``Condition`` as satisfied, whatever its keys, so the common "deny any request without TLS" statement
(``Bool aws:SecureTransport false``) denies every call. AWS evaluates each condition against the request
context: a statement applies only when all its conditions hold, and a condition on a key the context lacks
does not hold (unless its operator ends in ``IfExists``). The emulator stands in for S3's HTTPS endpoints,
so the context of an SDK call has ``aws:SecureTransport = true``; no other key is known. Statements whose
principal is a service (``cloudfront.amazonaws.com``) do not apply to SDK callers.
"""
from __future__ import annotations

import fnmatch
import json
from typing import Any

from moto.iam.access_control import PermissionResult
from moto.s3.models import FakeBucket

REQUEST_CONTEXT = {"aws:securetransport": "true"}


def _as_list(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _matches(patterns: Any, value: str) -> bool:
    return any(fnmatch.fnmatchcase(value, p) for p in _as_list(patterns))


def _operator_holds(operator: str, expected: list[str], actual: str) -> bool:
    if operator == "Bool":
        return actual.lower() in (e.lower() for e in expected)
    if operator in ("StringEquals", "ArnEquals"):
        return actual in expected
    if operator == "StringNotEquals":
        return actual not in expected
    if operator in ("StringLike", "ArnLike"):
        return any(fnmatch.fnmatchcase(actual, e) for e in expected)
    if operator == "StringEqualsIgnoreCase":
        return actual.lower() in (e.lower() for e in expected)
    return False  # an operator the emulator cannot evaluate does not hold


def _conditions_hold(conditions: dict[str, dict[str, Any]]) -> bool:
    for operator, keys in conditions.items():
        if_exists = operator.endswith("IfExists")
        base = operator.removesuffix("IfExists")
        for key, expected in keys.items():
            actual = REQUEST_CONTEXT.get(key.lower())
            if actual is None:
                if not if_exists:
                    return False
                continue
            if not _operator_holds(base, _as_list(expected), actual):
                return False
    return True


def _applies_to_sdk_callers(principal: Any) -> bool:
    if principal == "*":
        return True
    return isinstance(principal, dict) and "AWS" in principal


def get_permission(self: FakeBucket, action: str, resource: str) -> PermissionResult:
    if self.policy is None:
        return PermissionResult.NEUTRAL
    statements = json.loads(self.policy.decode())["Statement"]
    result = PermissionResult.NEUTRAL
    for statement in statements if isinstance(statements, list) else [statements]:
        if not (_matches(statement.get("Action", []), action) and _matches(statement.get("Resource", []), resource)):
            continue
        if not _applies_to_sdk_callers(statement.get("Principal")):
            continue
        if not _conditions_hold(statement.get("Condition", {})):
            continue
        if statement["Effect"] == "Deny":
            return PermissionResult.DENIED
        result = PermissionResult.PERMITTED
    return result


def install() -> None:
    FakeBucket.get_permission = get_permission  # type: ignore[method-assign]
