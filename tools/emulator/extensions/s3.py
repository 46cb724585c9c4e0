"""S3 gaps in moto 5.2.5, filled in the shape AWS documents.

Bucket policy conditions. moto evaluates a bucket policy's statements for object calls but treats every
``Condition`` as satisfied, whatever its keys, so the common "deny any request without TLS" statement
(``Bool aws:SecureTransport false``) denies every call. AWS evaluates each condition against the request
context: a statement applies only when all its conditions hold, and a condition on a key the context lacks
does not hold (unless its operator ends in ``IfExists``). The emulator stands in for S3's HTTPS endpoints,
so the context of an SDK call has ``aws:SecureTransport = true``; no other key is known. Statements whose
principal is a service (``cloudfront.amazonaws.com``) do not apply to SDK callers.

Buckets of other accounts. moto keeps one bucket namespace for all accounts (CreateBucket of a name another
account holds is ``BucketAlreadyExists``, as on AWS) but lets any account read and write any bucket. On AWS a
bucket of another account whose policy grants us nothing answers every call with 403 ``AccessDenied`` and
HeadBucket with a bare 403. The emulator does not evaluate cross-account grants in bucket policies: a bucket of
another account is always denied (the stack never shares a bucket across accounts).
"""
from __future__ import annotations

import fnmatch
import json
import sys
from typing import Any

from moto.iam.access_control import PermissionResult
from moto.s3.exceptions import BucketAccessDeniedError
from moto.s3.exceptions import BucketAlreadyExists
from moto.s3.models import FakeBucket
from moto.s3.models import S3Backend
from moto.s3.models import s3_backends
from moto.s3.responses import S3Response

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


def _other_accounts_buckets_are_denied() -> None:
    original_get_bucket = S3Backend.get_bucket
    original_head_bucket = S3Response.head_bucket

    def get_bucket(self: S3Backend, bucket_name: str) -> FakeBucket:
        ours = bucket_name in self.buckets or bucket_name in self.table_buckets
        # CreateBucket looks the taken bucket up to tell BucketAlreadyOwnedByYou from BucketAlreadyExists: let it.
        telling_owner = isinstance(sys.exc_info()[1], BucketAlreadyExists)
        if not ours and not telling_owner and bucket_name in s3_backends.bucket_accounts:
            raise BucketAccessDeniedError(bucket_name)
        return original_get_bucket(self, bucket_name)

    def head_bucket(self: S3Response) -> Any:
        try:
            return original_head_bucket(self)
        except BucketAccessDeniedError:
            return 403, {}, ""  # HEAD has no body: AWS answers a bare 403 Forbidden

    S3Backend.get_bucket = get_bucket  # type: ignore[method-assign]
    S3Response.head_bucket = head_bucket  # type: ignore[method-assign]


def install() -> None:
    FakeBucket.get_permission = get_permission  # type: ignore[method-assign]
    _other_accounts_buckets_are_denied()
