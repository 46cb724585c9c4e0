"""AWS's policy evaluation logic for one principal in one account (IAM User Guide, "Policy evaluation logic").

For each action the request needs, on each resource it touches: an explicit ``Deny`` in any applicable policy
wins; otherwise the request is allowed when an identity-based policy (or a same-account resource-based policy that
names the principal) allows it, and the permissions boundary, when the principal has one, allows it too. A
resource-based policy that the service requires (a KMS key policy) must allow the principal itself, or the
principal's account and then an identity-based policy. ``Action``/``NotAction`` match case-insensitively with
``*``/``?`` wildcards, ``Resource``/``NotResource`` case-sensitively; ``Condition`` as in conditions.py.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Callable, Iterable, Mapping

from .conditions import ContextValue, as_list, conditions_hold, wildcard

Lookup = Callable[[str], ContextValue]


class Effect(Enum):
    NONE = "none"
    ALLOW = "allow"
    DENY = "deny"


@dataclass(frozen=True)
class Statement:
    effect: str
    actions: tuple[str, ...] = ()
    not_actions: tuple[str, ...] | None = None
    resources: tuple[str, ...] = ("*",)
    not_resources: tuple[str, ...] | None = None
    condition: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    principal: Any = None

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> "Statement":
        def optional(key: str) -> tuple[str, ...] | None:
            return tuple(as_list(raw[key])) if key in raw else None

        return cls(
            effect=raw["Effect"],
            actions=tuple(as_list(raw.get("Action"))),
            not_actions=optional("NotAction"),
            resources=tuple(as_list(raw.get("Resource", "*" if "NotResource" not in raw else []))),
            not_resources=optional("NotResource"),
            condition=raw.get("Condition") or {},
            principal=raw.get("Principal"),
        )

    def matches_action(self, action: str) -> bool:
        if self.not_actions is not None:
            return not any(wildcard(a, True).match(action) for a in self.not_actions)
        return any(wildcard(a, True).match(action) for a in self.actions)

    def matches_resource(self, resource: str) -> bool:
        if self.not_resources is not None:
            return not any(wildcard(r).match(resource) for r in self.not_resources)
        return any(wildcard(r).match(resource) for r in self.resources)

    def applies(self, action: str, resource: str, lookup: Lookup) -> bool:
        return (self.matches_action(action) and self.matches_resource(resource)
                and conditions_hold(self.condition, lookup))


@dataclass(frozen=True)
class Policy:
    statements: tuple[Statement, ...]
    name: str = ""

    @classmethod
    def parse(cls, document: str | Mapping[str, Any], name: str = "") -> "Policy":
        raw = json.loads(document) if isinstance(document, str) else document
        statements = raw.get("Statement", [])
        if isinstance(statements, Mapping):
            statements = [statements]
        return cls(tuple(Statement.parse(s) for s in statements), name)

    def effect(self, action: str, resource: str, lookup: Lookup,
               principal_filter: Callable[[Any], bool] | None = None) -> Effect:
        """DENY if a Deny statement applies, ALLOW if only Allow statements do, NONE otherwise."""
        result = Effect.NONE
        for statement in self.statements:
            if principal_filter is not None and not principal_filter(statement.principal):
                continue
            if not statement.applies(action, resource, lookup):
                continue
            if statement.effect == "Deny":
                return Effect.DENY
            result = Effect.ALLOW
        return result


def combined(policies: Iterable[Policy], action: str, resource: str, lookup: Lookup,
             principal_filter: Callable[[Any], bool] | None = None) -> Effect:
    result = Effect.NONE
    for policy in policies:
        effect = policy.effect(action, resource, lookup, principal_filter)
        if effect is Effect.DENY:
            return Effect.DENY
        if effect is Effect.ALLOW:
            result = Effect.ALLOW
    return result


@dataclass(frozen=True)
class ResourcePolicy:
    """A resource-based policy and the two ways its statements can name the caller."""

    policy: Policy
    required: bool  # KMS key policies: without an Allow here, identity-based policies alone do not suffice
    names_caller: Callable[[Any], bool]  # the statement's Principal is the caller (role, session or user ARN)
    names_account: Callable[[Any], bool]  # the statement's Principal is the caller's account (delegation to IAM)


@dataclass(frozen=True)
class Principal:
    arn: str
    identity: tuple[Policy, ...]
    boundary: Policy | None = None
    session: Policy | None = None


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""  # the end of AWS's message: "because no identity-based policy allows the X action", ...


def decide(principal: Principal, action: str, resource: str, lookup: Lookup,
           resource_policy: ResourcePolicy | None = None) -> Decision:
    """The decision for one action on one resource, with the reason AWS's AccessDenied message gives."""
    identity = combined(principal.identity, action, resource, lookup)
    boundary = principal.boundary.effect(action, resource, lookup) if principal.boundary else Effect.ALLOW
    session = principal.session.effect(action, resource, lookup) if principal.session else Effect.ALLOW
    direct = account = Effect.NONE
    if resource_policy is not None:
        direct = resource_policy.policy.effect(action, resource, lookup, resource_policy.names_caller)
        account = resource_policy.policy.effect(action, resource, lookup, resource_policy.names_account)
    if identity is Effect.DENY:
        return Decision(False, "with an explicit deny in an identity-based policy")
    if Effect.DENY in (direct, account):
        return Decision(False, "with an explicit deny in a resource-based policy")
    if boundary is Effect.DENY:
        return Decision(False, "with an explicit deny in a permissions boundary")
    if session is Effect.DENY:
        return Decision(False, "with an explicit deny in a session policy")
    if resource_policy is not None and resource_policy.required:
        if direct is not Effect.ALLOW and account is not Effect.ALLOW:
            return Decision(False, f"because no resource-based policy allows the {action} action")
        if direct is not Effect.ALLOW and identity is not Effect.ALLOW:
            return Decision(False, f"because no identity-based policy allows the {action} action")
    elif identity is not Effect.ALLOW and direct is not Effect.ALLOW:
        return Decision(False, f"because no identity-based policy allows the {action} action")
    if boundary is not Effect.ALLOW:
        return Decision(False, f"because no permissions boundary allows the {action} action")
    if session is not Effect.ALLOW:
        return Decision(False, f"because no session policy allows the {action} action")
    return Decision(True)
