"""What the authorizer reads from moto's state: the caller behind an access key, its policies, resource tags,
KMS keys (policy, aliases, who manages them) and IAM role paths. Nothing here changes moto's state.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from moto.core.resource_tagging import iter_taggable_backends
from moto.iam.models import iam_backends
from moto.kms.models import kms_backends
from moto.sts.models import sts_backends

from .policy import Policy, Principal

PARTITION = "aws"


class InvalidCredentials(Exception):
    """A session token that is not the one issued with the access key, or an expired session."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Caller:
    account: str
    principal: Principal
    role_name: str | None  # the role behind a role session, None for an IAM user


def _managed_document(backend: Any, arn: str) -> str:
    policy = backend.get_policy(arn)
    return next(v.document for v in policy.versions if v.is_default)


def _role_session(access_key: str, token: str | None) -> Caller | None:
    for account, by_partition in list(sts_backends.items()):
        backend = by_partition[PARTITION]
        session = backend.get_assumed_role_from_access_key(access_key)
        if session is None:
            continue
        if token != session.session_token:
            raise InvalidCredentials("InvalidClientTokenId", "The security token included in the request is invalid.")
        if session.expiration.replace(tzinfo=timezone.utc) < datetime.now(timezone.utc):
            raise InvalidCredentials("ExpiredToken", "The security token included in the request is expired")
        role_name = session.role_arn.rsplit("/", 1)[-1]
        iam = iam_backends[account][PARTITION]
        role = iam.roles.get(next((k for k, r in iam.roles.items() if r.name == role_name), ""))
        if role is None:  # the role was deleted: its sessions are allowed nothing
            return Caller(account, Principal(session.arn, ()), role_name)
        identity = [Policy.parse(doc, name) for name, doc in role.policies.items()]
        identity += [Policy.parse(_managed_document(iam, arn), arn) for arn in role.managed_policies]
        boundary = role.permissions_boundary_arn
        return Caller(account, Principal(
            arn=session.arn,
            identity=tuple(identity),
            boundary=Policy.parse(_managed_document(iam, boundary), boundary) if boundary else None,
            session=Policy.parse(session.policy, "session") if session.policy else None,
        ), role_name)
    return None


def _user(access_key: str) -> Caller | None:
    for account, by_partition in list(iam_backends.items()):
        iam = by_partition[PARTITION]
        key = iam.access_keys.get(access_key)
        if key is None or not getattr(key, "user_name", None):
            continue
        user = iam.get_user(key.user_name)
        identity = [Policy.parse(doc, name) for name, doc in user.policies.items()]
        identity += [Policy.parse(_managed_document(iam, arn), arn) for arn in user.managed_policies]
        for group in iam.get_groups_for_user(user.name):
            identity += [Policy.parse(doc, name) for name, doc in group.policies.items()]
            identity += [Policy.parse(_managed_document(iam, arn), arn) for arn in group.managed_policies]
        boundary = getattr(user, "permissions_boundary_arn", None) or None
        return Caller(account, Principal(
            arn=user.arn, identity=tuple(identity),
            boundary=Policy.parse(_managed_document(iam, boundary), boundary) if boundary else None,
        ), None)
    return None


def caller(access_key: str, token: str | None) -> Caller | None:
    """The IAM role session or user behind an access key; None for credentials IAM does not know (unrestricted)."""
    return _role_session(access_key, token) or _user(access_key)


def resource_tags(arn: str, region: str, account: str) -> dict[str, str] | None:
    """The tags of the resource named by ``arn`` in moto's state; None when the resource does not exist."""
    service = arn.split(":")[2]
    if service == "iam":
        return _iam_tags(arn, account)
    if service == "apigateway":
        return _http_api_tags(arn, region, account)
    if service == "lambda" and ":function:" in arn and arn.count(":") > 6:
        arn = arn.rsplit(":", 1)[0]  # a version or alias carries its function's tags
    arn_region = arn.split(":")[3] or region
    wanted = arn.removesuffix(":*")
    for backend in iter_taggable_backends(account, arn_region):
        if not backend.owns_arn(arn):
            continue
        for resource in backend.iter_tagged_resources():
            if resource.arn.removesuffix(":*") == wanted:
                return dict(resource.tags)
    return None


def _iam_tags(arn: str, account: str) -> dict[str, str] | None:
    iam = iam_backends[account][PARTITION]
    kind, _, name = arn.split(":", 5)[5].partition("/")
    if kind != "role":
        return None
    try:
        role = iam.get_role(name.rsplit("/", 1)[-1])
    except Exception:  # no such role
        return None
    return {k: v["Value"] if isinstance(v, dict) else v for k, v in role.tags.items()}


def _http_api_tags(arn: str, region: str, account: str) -> dict[str, str] | None:
    from moto.apigatewayv2.models import apigatewayv2_backends

    parts = arn.split("::", 1)[-1].split("/")
    if len(parts) < 3 or parts[1] != "apis":
        return None
    backend = apigatewayv2_backends[account][arn.split(":")[3] or region]
    api = backend.apis.get(parts[2])
    if api is None:
        return None
    if len(parts) > 3:
        # Routes, integrations and stages of an HTTP API inherit none of its tags for access control (only REST
        # APIs' children do: API Gateway developer guide, "API Gateway resources that can be tagged").
        return {}
    return dict(backend.tagger.get_tag_dict_for_resource(api.arn))


@dataclass(frozen=True)
class KmsKey:
    key_id: str
    arn: str
    manager: str
    policy: str
    aliases: tuple[str, ...]


def kms_key(account: str, region: str, key_id: str) -> KmsKey | None:
    """The key a KeyId names (key id, key ARN, alias name or alias ARN); None if there is none."""
    backend = kms_backends[account][region]
    name = backend.get_alias_name(key_id)
    if name.startswith("alias/"):
        found = next((k for k in backend.keys.values() if name in k.aliases), None)
    else:
        found = backend.keys.get(backend.get_key_id(name))
    if found is None:
        return None
    return KmsKey(found.id, found.arn, found.key_manager, found.policy, tuple(found.aliases))


def bucket_policy(account: str, arn: str) -> str | None:
    """The bucket policy of the bucket an S3 ARN names (bucket or object); None without one."""
    from moto.s3.models import s3_backends

    name = arn.split(":::", 1)[-1].split("/", 1)[0]
    bucket = s3_backends[account][PARTITION].buckets.get(name)
    policy = bucket.policy if bucket is not None else None
    return policy.decode() if isinstance(policy, bytes) else policy


def role_path(account: str, role_name: str) -> str | None:
    try:
        return iam_backends[account][PARTITION].get_role(role_name).path
    except Exception:  # no such role: AWS authorises on the name the caller gave
        return None


def permissions_boundary(account: str, role_name: str) -> str | None:
    try:
        return iam_backends[account][PARTITION].get_role(role_name).permissions_boundary_arn or None
    except Exception:  # no such role
        return None
