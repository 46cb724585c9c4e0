"""The ARNs a request touches, built from the Service Authorization Reference's ARN formats and the request's
parameters (botocore member names), generically:

- a parameter whose value is already an ARN of the resource type (``TopicArn``, ``ResourceArn``, a key ARN given
  as ``KeyId``) is that resource;
- otherwise each ``${Variable}`` of the format takes the parameter of the same name, or the one it shortens
  (``Bucket`` for ``BucketName``, ``Id`` for ``DistributionId`` of a ``distribution``) or the one that prefixes it
  with the resource type (``HostedZoneId`` for the ``Id`` of a ``hostedzone``), the plural holding several
  (``AlarmNames``), the one ending with it (``TargetKeyId``), or members of that name inside the request's
  structures (``Delete.Objects[].Key``); a few values are resolved from moto's state as AWS
  resolves them (a role's path, the key an alias names, a function given by partial ARN);
- a resource whose id the service assigns on creation (``CreateDistribution``) is ``<type>/*``;
- API Gateway authorises on the request path itself: ``arn:aws:apigateway:<region>::/apis/<id>/...``;
- an action with no resource type, or none that the request names, is authorised on ``*``.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from . import sar, state

_VARIABLE = re.compile(r"\$\{([A-Za-z0-9]+)\}")
_CONTEXT_VARIABLES = ("Partition", "Region", "Account")
# Parameter names that AWS's APIs use for a variable of another name (the ARN format's name for it).
_SYNONYMS = {"ObjectName": ("Key",), "OidcProviderName": ("Url",)}


@dataclass(frozen=True)
class Target:
    """Where the request happens: account, region, and the parameters by member name."""

    account: str
    region: str
    params: dict[str, Any]
    operation: str
    path: str = ""


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _format_regex(arn_format: str) -> re.Pattern[str]:
    parts = re.split(r"(\$\{[A-Za-z0-9]+\})", arn_format)
    regex = ""
    for index, part in enumerate(parts):
        if part.startswith("${"):
            last = index >= len(parts) - 2 and not parts[-1]
            regex += ".+" if last else "[^:/]+"
        else:
            regex += re.escape(part)
    return re.compile(f"^{regex}$")


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    return []


def _arn_parameters(params: dict[str, Any], arn_format: str) -> list[str]:
    pattern = _format_regex(arn_format)
    return [v for value in params.values() for v in _strings(value) if v.startswith("arn:") and pattern.match(v)]


def _candidates(variable: str, resource_type: str, params: dict[str, Any]) -> list[str]:
    wanted = _norm(variable)
    names = {_norm(k): k for k in params}
    rules = [
        lambda n: n == wanted,
        lambda n: n + "name" == wanted or n + "id" == wanted or n + "withpath" == wanted or n == wanted + "name",
        lambda n: n == wanted + "s",
        lambda n: _norm(resource_type) + n == wanted,
        lambda n: n == _norm(resource_type) + wanted,  # Route 53's HostedZoneId for the hostedzone's ${Id}
        lambda n: n in {_norm(s) for s in _SYNONYMS.get(variable, ())},
        lambda n: n.endswith(wanted) and len(wanted) > 4,
    ]
    for rule in rules:
        found = [names[n] for n in names if rule(n)]
        if found:
            return [v for k in found for v in _strings(params[k]) if v]
    synonyms = {_norm(s) for s in _SYNONYMS.get(variable, ())} | {wanted}
    return _nested(params, synonyms)


def _nested(value: Any, names: set[str]) -> list[str]:
    """Values of members named ``names`` inside structures and lists (S3 DeleteObjects' ``Delete.Objects[].Key``),
    tags excepted (their ``Key`` names a tag, not a resource)."""
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if "tag" in key.lower():
                continue
            if _norm(key) in names and isinstance(item, str):
                found.append(item)
            else:
                found += _nested(item, names)
    elif isinstance(value, list):
        for item in value:
            found += _nested(item, names)
    return found


def _resolve(variable: str, value: str, target: Target) -> str:
    """Turn a parameter's value into the ARN variable's value, as AWS resolves it."""
    if value.startswith("arn:"):
        value = value.split(":", 5)[5].split("/", 1)[-1] if variable != "FunctionName" else value
    if variable == "FunctionName" and ":function:" in value:
        value = value.split(":function:", 1)[1]
    if variable == "FunctionName":
        return value  # with its qualifier, if any (name:alias): see _qualified
    if variable == "RoleNameWithPath":
        path = state.role_path(target.account, value.rsplit("/", 1)[-1])
        return f"{path.lstrip('/')}{value.rsplit('/', 1)[-1]}" if path else value
    if variable == "KeyId":
        key = state.kms_key(target.account, target.region, value)
        return key.key_id if key else value
    if variable == "Alias":
        return value.removeprefix("alias/")
    if variable == "OidcProviderName":
        return re.sub(r"^https://", "", value)
    return value


def _fill(arn_format: str, values: dict[str, str], target: Target) -> str:
    context = {"Partition": state.PARTITION, "Region": target.region, "Account": target.account}
    return _VARIABLE.sub(lambda m: context.get(m.group(1)) or values[m.group(1)], arn_format)


def _build(prefix: str, type_name: str, target: Target) -> list[str]:
    arn_format = sar.resource_type(prefix, type_name).arn_format
    given = _arn_parameters(target.params, arn_format)
    if given:
        return [_normalise(prefix, arn, target) for arn in given]
    variables = [v for v in _VARIABLE.findall(arn_format) if v not in _CONTEXT_VARIABLES]
    choices: list[list[str]] = []
    for variable in variables:
        found = [_resolve(variable, v, target) for v in _candidates(variable, type_name, target.params)]
        if not found and target.operation.startswith("Create") and variable.endswith("Id"):
            found = ["*"]  # assigned by the service when the resource is created
        if not found:
            return []
        choices.append(found)
    arns = [_fill(arn_format, dict(zip(variables, combo)), target) for combo in itertools.product(*choices)]
    return [_qualified(arn, target) for arn in arns] if prefix == "lambda" and type_name == "function" else arns


def _normalise(prefix: str, arn: str, target: Target) -> str:
    """A KMS alias ARN given where a key is expected names the key; a function ARN keeps its qualifier (or takes the
    request's ``Qualifier``): Lambda authorises a version or alias on its qualified ARN."""
    if prefix == "kms" and ":alias/" in arn:
        key = state.kms_key(target.account, target.region, arn)
        return key.arn if key else arn
    if prefix == "lambda" and ":function:" in arn:
        return _qualified(arn, target)
    return arn


def _qualified(arn: str, target: Target) -> str:
    """The function ARN as Lambda authorises it: ``function:<name>:<version or alias>`` when the request names one
    (in the function's name or ARN, or as ``Qualifier``), the unqualified ARN otherwise. A policy granting only
    ``function:<name>`` does not cover ``function:<name>:live``; ``function:<name>:*`` does."""
    if arn.count(":") > 6:
        return arn
    qualifier = target.params.get("Qualifier")
    return f"{arn}:{qualifier}" if isinstance(qualifier, str) and qualifier else arn


def _apigateway(target: Target) -> list[str]:
    path = target.path.removeprefix("/v2")
    if path.startswith("/tags/"):
        path = "/tags/" + quote(path.removeprefix("/tags/"), safe="")
    return [f"arn:{state.PARTITION}:apigateway:{target.region}::{path}"]


def _apigateway_type(action: sar.Action, arn: str) -> str:
    """The resource type whose ARN format the request path matches (``Api`` for /apis/<id>), so its condition keys
    (aws:ResourceTag among them) are the ones evaluated; "" when none matches."""
    for resource in action.resources:
        if resource.resource_type:
            form = sar.resource_type(action.prefix, resource.resource_type).arn_format
            pattern = re.escape(form).replace(re.escape("${Partition}"), "[^:]+").replace(re.escape("${Region}"), "[^:]*")
            if re.fullmatch(re.sub(r"\\\$\\\{\w+\\\}", "[^/]+", pattern), arn):
                return resource.resource_type
    return ""


def resources(action: sar.Action, target: Target) -> list[tuple[str, str]]:
    """(resource type, ARN) pairs the action is evaluated on; ``("", "*")`` when it names none; nothing for a KMS
    KeyId that names no key."""
    if action.prefix == "apigateway" and action.name.isupper():
        return [(_apigateway_type(action, arn), arn) for arn in _apigateway(target)]
    if action.prefix == "kms" and "KeyId" in target.params and any(r.resource_type == "key" for r in action.resources):
        # the key a KeyId names (alias or ARN); none: KMS answers NotFoundException, no policy is evaluated
        key = state.kms_key(target.account, target.region, target.params["KeyId"])
        return [("key", key.arn)] if key is not None else []
    found: list[tuple[str, str]] = []
    for resource in action.resources:
        if resource.resource_type:
            found += [(resource.resource_type, arn) for arn in _build(action.prefix, resource.resource_type, target)]
    return found or [("", "*")]
