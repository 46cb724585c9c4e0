"""The request context's condition keys (IAM User Guide, "AWS global condition context keys" and each service's
"Condition keys" table), computed only when a policy asks for one. A service key is present only where the
Service Authorization Reference lists it for the action or its resource type; tags come from moto's state.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from . import sar, state
from .conditions import ContextValue


def _tag_pairs(value: Any) -> dict[str, str]:
    """Tags in any of the shapes AWS APIs send them: a map, [{Key, Value}], [{TagKey, TagValue}], {Items: ...}."""
    if isinstance(value, dict):
        items = value.get("Items", value.get("Tag")) if set(value) <= {"Items", "Tag", "Quantity"} else None
        if items is not None:
            return _tag_pairs(items.get("Tag", items) if isinstance(items, dict) else items)
        if {"Key", "Value"} <= set(value) or {"TagKey", "TagValue"} <= set(value):
            return _tag_pairs([value])
        return {str(k): str(v) for k, v in value.items() if not isinstance(v, (dict, list))}
    if isinstance(value, list):
        pairs = {}
        for item in value:
            if isinstance(item, dict):
                key = next((item[k] for k in item if k.lower() in ("key", "tagkey")), None)
                val = next((item[k] for k in item if k.lower() in ("value", "tagvalue")), "")
                if key is not None:
                    pairs[str(key)] = str(val)
        return pairs
    return {}


def _find(params: Any, names: tuple[str, ...], depth: int = 3) -> Any:
    if not isinstance(params, dict) or depth == 0:
        return None
    for key, value in params.items():
        if key.lower() in names:
            return value
    for value in params.values():
        found = _find(value, names, depth - 1)
        if found is not None:
            return found
    return None


def request_tags(params: dict[str, Any]) -> dict[str, str]:
    return _tag_pairs(_find(params, ("tags", "taglist")))


def removed_tag_keys(params: dict[str, Any]) -> list[str]:
    found = _find(params, ("tagkeys", "keys"))
    while isinstance(found, dict):
        found = found.get("Items", found.get("Key"))
    return [str(k) for k in found] if isinstance(found, list) else [str(found)] if found else []


@dataclass
class RequestContext:
    """The keys of one (action, resource) evaluation; ``lookup`` is what policies' conditions read."""

    caller_arn: str
    principal_arn: str
    account: str
    region: str
    action: sar.Action | None
    resource_type: str
    resource: str
    params: dict[str, Any]
    extra: dict[str, ContextValue] = field(default_factory=dict)
    _tags: dict[str, str] | None = None
    _tags_read: bool = False

    def _supports(self, key: str) -> bool:
        if self.action is None:
            return False
        keys = {k.lower() for k in self.action.condition_keys(self.resource_type)}
        if self.resource_type:
            keys |= {k.lower() for k in sar.resource_type(self.action.prefix, self.resource_type).condition_keys}
        return key.lower() in keys

    def _resource_tags(self) -> dict[str, str]:
        if not self._tags_read:
            self._tags = state.resource_tags(self.resource, self.region, self.account) if self.resource != "*" else None
            self._tags_read = True
        return self._tags or {}

    def lookup(self, key: str) -> ContextValue:
        lower = key.lower()
        if lower in self.extra:  # service keys (iam:PassedToService, kms:CallerAccount, ...) where the action has them
            return self.extra[lower] if self._supports(key) else None
        name, _, tag = key.partition("/")
        name = name.lower()
        if name in ("aws:resourcetag", "iam:resourcetag") and tag:
            return self._resource_tags().get(tag) if self._supports(f"{name}/${{TagKey}}") else None
        if name == "aws:requesttag" and tag:
            return request_tags(self.params).get(tag) if self._supports("aws:RequestTag/${TagKey}") else None
        if lower == "aws:tagkeys":
            keys = list(request_tags(self.params)) or removed_tag_keys(self.params)
            return keys if self._supports("aws:TagKeys") and keys else None
        return self._global(lower)

    def _global(self, key: str) -> ContextValue:
        now = datetime.now(timezone.utc)
        values: dict[str, ContextValue] = {
            "aws:principalarn": self.principal_arn,
            "aws:principalaccount": self.account,
            "aws:principaltype": "AssumedRole" if ":assumed-role/" in self.caller_arn else "User",
            "aws:securetransport": "true",
            "aws:requestedregion": self.region,
            "aws:currenttime": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "aws:epochtime": str(int(time.time())),
            "aws:viaawsservice": "false",
        }
        if ":user/" in self.caller_arn:
            values["aws:username"] = self.caller_arn.rsplit("/", 1)[-1]
        return values.get(key)
