"""IAM policy ``Condition`` operators, as AWS documents them (IAM User Guide, "Condition operators",
"Single-valued vs. multivalued context keys", "...IfExists", "Null").

A condition block holds when every operator holds; an operator holds when every key under it holds; a key holds
when the request's value matches any of the policy's values. A key absent from the request context makes a
positive operator false and a negated one (``StringNotEquals``, ``ArnNotLike``, ``NotIpAddress``, ...) true;
``...IfExists`` makes an absent key true; ``Null`` tests presence. ``ForAnyValue:`` holds when at least one of the
request's values matches (false when the key is absent or empty), ``ForAllValues:`` when every one does (true
when absent or empty).
"""
from __future__ import annotations

import ipaddress
import re
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any, Callable, Mapping

ContextValue = str | list[str] | None
Compare = Callable[[str, str], bool]


@lru_cache(maxsize=4096)
def wildcard(pattern: str, ignore_case: bool = False) -> re.Pattern[str]:
    """``*`` any run of characters, ``?`` one character, everything else literal."""
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(f"^{regex}$", re.DOTALL | (re.IGNORECASE if ignore_case else 0))


def _number(value: str) -> float:
    return float(value)


def _date(value: str) -> datetime:
    if re.fullmatch(r"\d+(\.\d+)?", value):
        return datetime.fromtimestamp(float(value), tz=timezone.utc)
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _arn_like(actual: str, pattern: str) -> bool:
    """ArnLike: the six colon-delimited parts are compared one by one (the last keeps its colons)."""
    want, have = pattern.split(":", 5), actual.split(":", 5)
    return len(want) == len(have) == 6 and all(wildcard(w).match(h) for w, h in zip(want, have))


def _ip(actual: str, pattern: str) -> bool:
    return ipaddress.ip_address(actual) in ipaddress.ip_network(pattern, strict=False)


# Positive comparisons (request value, policy value); each negated operator is the negation of one of them.
_POSITIVE: dict[str, Compare] = {
    "StringEquals": lambda a, p: a == p,
    "StringEqualsIgnoreCase": lambda a, p: a.lower() == p.lower(),
    "StringLike": lambda a, p: bool(wildcard(p).match(a)),
    "NumericEquals": lambda a, p: _number(a) == _number(p),
    "NumericLessThan": lambda a, p: _number(a) < _number(p),
    "NumericLessThanEquals": lambda a, p: _number(a) <= _number(p),
    "NumericGreaterThan": lambda a, p: _number(a) > _number(p),
    "NumericGreaterThanEquals": lambda a, p: _number(a) >= _number(p),
    "DateEquals": lambda a, p: _date(a) == _date(p),
    "DateLessThan": lambda a, p: _date(a) < _date(p),
    "DateLessThanEquals": lambda a, p: _date(a) <= _date(p),
    "DateGreaterThan": lambda a, p: _date(a) > _date(p),
    "DateGreaterThanEquals": lambda a, p: _date(a) >= _date(p),
    "Bool": lambda a, p: a.lower() == p.lower(),
    "BinaryEquals": lambda a, p: a == p,
    "IpAddress": _ip,
    "ArnEquals": lambda a, p: a == p,
    "ArnLike": _arn_like,
}
_NEGATED: dict[str, str] = {
    "StringNotEquals": "StringEquals",
    "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
    "StringNotLike": "StringLike",
    "NumericNotEquals": "NumericEquals",
    "DateNotEquals": "DateEquals",
    "NotIpAddress": "IpAddress",
    "ArnNotEquals": "ArnEquals",
    "ArnNotLike": "ArnLike",
}


class UnknownOperator(ValueError):
    """A condition operator AWS does not define: the policy would have been rejected when it was written."""


def as_list(value: Any) -> list[str]:
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    return [str(v).lower() if isinstance(v, bool) else str(v) for v in values]


def _value_matches(base: str, actual: str, expected: list[str]) -> bool:
    """Whether ``actual`` satisfies ``base`` against any of the policy's values (negated: against none)."""
    positive = _NEGATED.get(base, base)
    compare = _POSITIVE[positive]
    try:
        hit = any(compare(actual, value) for value in expected)
    except ValueError:  # a request value of the wrong type (e.g. not a number) does not match
        hit = False
    return not hit if base in _NEGATED else hit


def operator_holds(operator: str, expected: Any, actual: ContextValue) -> bool:
    """One operator on one key: ``operator`` as written in the policy, ``actual`` the request's value(s)."""
    qualifier, _, name = operator.rpartition(":")
    if_exists = name.endswith("IfExists") and name != "IfExists"
    base = name.removesuffix("IfExists") if if_exists else name
    values = as_list(actual)
    wanted = as_list(expected)
    if base == "Null":
        if qualifier:
            raise UnknownOperator(operator)
        return any((v.lower() == "true") == (not values) for v in wanted)
    if base not in _POSITIVE and base not in _NEGATED:
        raise UnknownOperator(operator)
    if qualifier == "ForAllValues":
        return all(_value_matches(base, v, wanted) for v in values)
    if qualifier == "ForAnyValue":
        return any(_value_matches(base, v, wanted) for v in values)
    if qualifier:
        raise UnknownOperator(operator)
    if not values:
        return if_exists or base in _NEGATED
    if base in _NEGATED:  # a negated operator on a multivalued key: no request value may match
        return all(_value_matches(base, v, wanted) for v in values)
    return any(_value_matches(base, v, wanted) for v in values)


def conditions_hold(block: Mapping[str, Mapping[str, Any]], lookup: Callable[[str], ContextValue]) -> bool:
    """The whole ``Condition`` element; ``lookup(key)`` answers the request context's value for a key."""
    return all(
        operator_holds(operator, expected, lookup(key))
        for operator, keys in block.items()
        for key, expected in keys.items()
    )
