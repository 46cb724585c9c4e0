"""CloudWatch Logs gaps in moto 5.2.5, filled in the shape AWS documents.

- ``TestMetricFilter`` is missing: it is answered by evaluating the filter pattern against each message, for
  JSON patterns (``{ $.a = "x" && ($.b >= 2 || $.c IS TRUE) }``, with ``=``/``!=`` on strings with ``*``
  wildcards, the numeric comparisons, ``IS NULL``/``IS TRUE``/``IS FALSE``/``NOT EXISTS``) and term patterns
  (``ERROR``, ``"exact phrase"``, ``?any ?of``, ``-excluded``); an empty pattern matches every event.
  Space-delimited patterns (``[ip, user, ...]``) are rejected as unsupported rather than answered wrongly.
- ``PutMetricFilter`` adds a second filter under a name that exists (AWS replaces it), accepts a log group
  that does not exist (AWS: ``ResourceNotFoundException``) and any pattern (AWS:
  ``InvalidParameterException`` "Invalid metric filter pattern"); the same checks now apply.
- ``DeleteLogGroup`` leaves the group's metric filters behind, so a group created again under the name shows them
  (AWS deletes them with the group); they are deleted with it.
- ``PutRetentionPolicy`` stores any number (AWS: ``InvalidParameterException`` for a value outside its enum of 1, 3,
  5, 7, 14, 30, ..., 3653 days); the enum is checked.
- ``AssociateKmsKey`` is missing: it sets the key the group's ``kmsKeyId`` answers (``ResourceNotFoundException`` for a
  group that does not exist). The key's policy is not evaluated (a real account requires it to allow
  ``logs.<region>.amazonaws.com``).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Callable

from moto.logs.exceptions import InvalidParameterException, ResourceNotFoundException
from moto.logs.models import LogsBackend
from moto.logs.responses import LogsResponse

Predicate = Callable[[Any], bool]
_MISSING = object()
_TOKEN = re.compile(
    r"\s*(?:(?P<op>&&|\|\||!=|<=|>=|=|<|>|\(|\))"
    r"|(?P<selector>\$(?:\.[A-Za-z0-9_@-]+|\[\d+\])*)"
    r"|(?P<string>\"(?:[^\"\\]|\\.)*\")"
    r"|(?P<word>[^\s()&|=!<>\"]+))"
)
_NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")
_NUMERIC = {"<": lambda a, b: a < b, ">": lambda a, b: a > b, "<=": lambda a, b: a <= b, ">=": lambda a, b: a >= b}


class PatternError(ValueError):
    pass


@dataclass
class _Token:
    kind: str
    text: str


def _tokenize(text: str) -> list[_Token]:
    tokens, position = [], 0
    text = text.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            raise PatternError(f"unexpected text at {text[position:]!r}")
        kind = match.lastgroup or ""
        tokens.append(_Token(kind, match.group(kind)))
        position = match.end()
    return tokens


class _JsonPattern:
    """Recursive descent over the tokens between the braces; builds a predicate on the parsed event."""

    def __init__(self, body: str) -> None:
        self.tokens = _tokenize(body)
        self.index = 0
        self.predicate = self.disjunction()
        if self.index != len(self.tokens):
            raise PatternError(f"unexpected {self.tokens[self.index].text!r}")

    def peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self, kind: str | None = None, text: str | None = None) -> _Token:
        token = self.peek()
        if token is None or (kind and token.kind != kind) or (text and token.text.upper() != text):
            raise PatternError(f"expected {text or kind}, got {token.text if token else 'end of pattern'!r}")
        self.index += 1
        return token

    def disjunction(self) -> Predicate:
        parts = [self.conjunction()]
        while (token := self.peek()) and token.text == "||":
            self.index += 1
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else lambda event: any(p(event) for p in parts)

    def conjunction(self) -> Predicate:
        parts = [self.operand()]
        while (token := self.peek()) and token.text == "&&":
            self.index += 1
            parts.append(self.operand())
        return parts[0] if len(parts) == 1 else lambda event: all(p(event) for p in parts)

    def operand(self) -> Predicate:
        token = self.peek()
        if token and token.text == "(":
            self.index += 1
            inner = self.disjunction()
            self.take(text=")")
            return inner
        path = _path(self.take("selector").text)
        return _on_path(path, self.comparison())

    def comparison(self) -> Predicate:
        token = self.take()
        keyword = token.text.upper()
        if keyword == "IS":
            value = self.take("word").text.upper()
            tests = {"NULL": lambda v: v is None, "TRUE": lambda v: v is True, "FALSE": lambda v: v is False}
            if value not in tests:
                raise PatternError(f"IS {value}: expected NULL, TRUE or FALSE")
            return tests[value]
        if keyword == "NOT":
            self.take("word", "EXISTS")
            return lambda v: v is _MISSING
        if token.kind != "op" or token.text in ("(", ")", "&&", "||"):
            raise PatternError(f"expected a comparison operator, got {token.text!r}")
        return _compare(token.text, self.take())


def _path(selector: str) -> list[str | int]:
    return [int(part[1:-1]) if part.startswith("[") else part[1:] for part in re.findall(r"\.[^.\[]+|\[\d+\]", selector)]


def _on_path(path: list[str | int], test: Predicate) -> Predicate:
    def predicate(event: Any) -> bool:
        value = event
        for step in path:
            if isinstance(step, int) and isinstance(value, list) and step < len(value):
                value = value[step]
            elif isinstance(step, str) and isinstance(value, dict) and step in value:
                value = value[step]
            else:
                return test(_MISSING)
        return test(value)

    return predicate


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _compare(operator: str, operand: _Token) -> Predicate:
    if operand.kind == "string":
        literal, numeric = json.loads(operand.text), False
    elif operand.kind == "word":
        literal, numeric = operand.text, bool(_NUMBER.match(operand.text))
    else:
        raise PatternError(f"expected a value after {operator}, got {operand.text!r}")
    if operator in _NUMERIC:
        if not numeric:
            raise PatternError(f"{operator} needs a number, got {operand.text!r}")
        number, compare = float(literal), _NUMERIC[operator]
        return lambda v: _is_number(v) and compare(v, number)
    if numeric:
        number = float(literal)
        equal: Predicate = lambda v: _is_number(v) and v == number
    else:
        wildcard = re.compile(".*".join(re.escape(part) for part in literal.split("*")), re.DOTALL)
        equal = lambda v: isinstance(v, str) and wildcard.fullmatch(v) is not None
    if operator == "=":
        return equal
    return lambda v: v is not _MISSING and not equal(v)


def _term_pattern(pattern: str) -> Predicate:
    """``ERROR "exact phrase"`` (all), ``?A ?B`` (any), ``-term`` (none); case sensitive, as on AWS."""
    terms = re.findall(r'[-?]?"(?:[^"\\]|\\.)*"|\S+', pattern)
    required, optional, excluded = [], [], []
    for term in terms:
        prefix = term[0] if term[0] in "-?" and len(term) > 1 else ""
        text = term[len(prefix):]
        text = json.loads(text) if text.startswith('"') else text
        {"": required, "?": optional, "-": excluded}[prefix].append(text)
    return lambda message: (
        all(t in message for t in required)
        and (not optional or any(t in message for t in optional))
        and not any(t in message for t in excluded)
    )


def compile_pattern(pattern: str) -> Callable[[str], bool]:
    """A predicate on a log message, or PatternError for a pattern CloudWatch Logs would reject."""
    text = pattern.strip()
    if not text:
        return lambda message: True
    if text.startswith("["):
        raise PatternError("space-delimited filter patterns are not supported by this emulator")
    if not text.startswith("{"):
        return _term_pattern(text)
    if not text.endswith("}"):
        raise PatternError("a JSON filter pattern must end with '}'")
    predicate = _JsonPattern(text[1:-1]).predicate

    def matches(message: str) -> bool:
        try:
            event = json.loads(message)
        except ValueError:
            return False
        return predicate(event)

    return matches


def _checked(pattern: str) -> Callable[[str], bool]:
    try:
        return compile_pattern(pattern)
    except PatternError as e:
        raise InvalidParameterException(msg=f"Invalid metric filter pattern: {e}") from None


def _test_metric_filter() -> None:
    def test_metric_filter(self: LogsResponse) -> str:
        matches = _checked(self._get_param("filterPattern"))
        messages = self._get_param("logEventMessages") or []
        found = [
            {"eventNumber": number, "eventMessage": message, "extractedValues": {}}
            for number, message in enumerate(messages, start=1)
            if matches(message)
        ]
        return json.dumps({"matches": found})

    LogsResponse.test_metric_filter = test_metric_filter  # type: ignore[attr-defined]


def _put_metric_filter_replaces() -> None:
    def put_metric_filter(self: LogsBackend, filter_name: str, filter_pattern: str, log_group_name: str,
                          metric_transformations: Any) -> None:
        if log_group_name not in self.groups:
            raise ResourceNotFoundException()
        _checked(filter_pattern)
        self.filters.delete_filter(filter_name, log_group_name)
        self.filters.add_filter(filter_name, filter_pattern, log_group_name, metric_transformations)

    LogsBackend.put_metric_filter = put_metric_filter  # type: ignore[method-assign]


# PutRetentionPolicy's retentionInDays (CloudWatch Logs API reference).
RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)


def _delete_log_group_with_its_filters() -> None:
    original = LogsBackend.delete_log_group

    def delete_log_group(self: LogsBackend, log_group_name: str) -> None:
        original(self, log_group_name)
        self.filters.metric_filters = [f for f in self.filters.metric_filters if f["logGroupName"] != log_group_name]

    LogsBackend.delete_log_group = delete_log_group  # type: ignore[method-assign]


def _put_retention_policy_checks_the_enum() -> None:
    original = LogsBackend.put_retention_policy

    def put_retention_policy(self: LogsBackend, log_group_name: str, retention_in_days: Any) -> None:
        if retention_in_days not in RETENTION_DAYS:
            raise InvalidParameterException(
                constraint=f"Member must satisfy enum value set: [{', '.join(map(str, RETENTION_DAYS))}]",
                parameter="retentionInDays", value=retention_in_days)
        original(self, log_group_name, retention_in_days)

    LogsBackend.put_retention_policy = put_retention_policy  # type: ignore[method-assign]


def _associate_kms_key() -> None:
    def associate_kms_key(self: LogsResponse) -> str:
        group = self.logs_backend.groups.get(self._get_param("logGroupName"))
        if group is None:
            raise ResourceNotFoundException()
        group.kms_key_id = self._get_param("kmsKeyId")
        return ""

    LogsResponse.associate_kms_key = associate_kms_key  # type: ignore[attr-defined]


def install() -> None:
    _test_metric_filter()
    _put_metric_filter_replaces()
    _delete_log_group_with_its_filters()
    _put_retention_policy_checks_the_enum()
    _associate_kms_key()
