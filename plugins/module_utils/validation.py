# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS's documented input limits, checked locally before any call (shared by the modules and the preflight).

Every pattern is applied with ``re.fullmatch``: ``$`` would accept a trailing newline. Each ``check_*`` function
returns ``None`` when the value is valid, otherwise a sentence saying what is wrong (without the field name);
``require`` turns such a sentence into :class:`InvalidInput` naming the field.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.arn import parse_aws_arn
from ansible_collections.amazon.aws.plugins.module_utils.arn import validate_aws_arn


class InvalidInput(ValueError):
    """Bad input; the message starts with the name of the field."""


def shown(value: Any, limit: int = 60) -> str:
    """The value's repr for a message, cut after ``limit`` characters (with the full length)."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}... ({len(value) if isinstance(value, str) else len(text)} characters)"


@dataclass(frozen=True)
class NameRule:
    pattern: str
    min_length: int
    max_length: int
    allowed: str

    def check(self, value: Any) -> str | None:
        if not isinstance(value, str):
            return f"must be a string, got {type(value).__name__}"
        if not self.min_length <= len(value) <= self.max_length:
            return f"{shown(value)} must be {self.min_length} to {self.max_length} characters long (it has {len(value)})"
        if not re.fullmatch(self.pattern, value):
            return f"{shown(value)} may contain only {self.allowed}"
        return None


# Name limits from each service's API reference (the request parameter's "Length Constraints" and "Pattern").
NAMES: dict[str, NameRule] = {
    "dynamodb_table": NameRule(r"[A-Za-z0-9_.-]+", 3, 255, "letters, digits, '_', '-' and '.'"),
    "lambda_function": NameRule(r"[A-Za-z0-9_-]+", 1, 64, "letters, digits, '-' and '_'"),
    "iam_role": NameRule(r"[\w+=,.@-]+", 1, 64, "letters, digits and '+=,.@_-'"),
    "iam_policy": NameRule(r"[\w+=,.@-]+", 1, 128, "letters, digits and '+=,.@_-'"),
    "iam_path": NameRule(r"/|/[\x21-\x7e]+/", 1, 512, "printable ASCII, starting and ending with '/'"),
    "http_api": NameRule(r"[^\x00-\x1f\x7f]+", 1, 128, "printable characters"),
    "sns_topic": NameRule(r"[A-Za-z0-9_-]+", 1, 256, "letters, digits, '-' and '_'"),
    "log_group": NameRule(r"[A-Za-z0-9_/.#-]+", 1, 512, "letters, digits and '_-/.#'"),
    "metric_filter": NameRule(r"[^:*\x00-\x1f]+", 1, 512, "characters other than ':' and '*'"),
    "metric_name": NameRule(r"[^:*$\x00-\x1f]+", 1, 255, "characters other than ':', '*' and '$'"),
    "metric_namespace": NameRule(r"(?!AWS/)[A-Za-z0-9._/# -]+", 1, 255,
                                 "letters, digits, spaces and '._/#-', not starting with 'AWS/'"),
    "dashboard": NameRule(r"[A-Za-z0-9_-]+", 1, 255, "letters, digits, '-' and '_'"),
    "cloudwatch_alarm": NameRule(r"[^\x00-\x1f]+", 1, 255, "printable characters"),
    # An alarm's metric: any namespace (AWS/... too) but one starting with ':', any metric name.
    "alarm_namespace": NameRule(r"[^:\x00-\x1f][^\x00-\x1f]*", 1, 255, "printable characters, not starting with ':'"),
    "alarm_metric": NameRule(r"[^\x00-\x1f]+", 1, 255, "printable characters"),
    "kms_alias": NameRule(r"alias/(?!aws/)[A-Za-z0-9/_-]+", 7, 256,
                          "'alias/' then letters, digits and '/_-' (not 'alias/aws/')"),
    "cloudfront_oac": NameRule(r"[^\x00-\x1f]+", 1, 64, "printable characters"),
    "cloudfront_policy": NameRule(r"[A-Za-z0-9_-]+", 1, 128, "letters, digits, '-' and '_'"),
    # General purpose buckets (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html).
    "s3_bucket": NameRule(r"(?!xn--|sthree-|amzn-s3-demo-)(?!\d+\.\d+\.\d+\.\d+$)(?!.*\.\.)"
                          r"[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?<!-s3alias)(?<!--ol-s3)(?<!\.mrap)(?<!--x-s3)(?<!--table-s3)",
                          3, 63, "lowercase letters, digits, '.' and '-', starting and ending with a letter or digit, "
                          "not like an IP address, without '..', the prefixes 'xn--', 'sthree-', 'amzn-s3-demo-' or "
                          "the suffixes '-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'"),
}

ACCOUNT_ID = re.compile(r"\d{12}")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# A KMS key's id: a UUID, or mrk- and 32 hex digits (a multi-Region key); the ARN's resource is key/<id>.
KMS_KEY_ID = re.compile(rf"mrk-[0-9a-f]{{32}}|{UUID.pattern}")
_KMS_ALIAS = r"alias/[A-Za-z0-9/_-]{1,250}"
# What a KMS KeyId parameter takes: a key id, key ARN, alias name or alias ARN.
KMS_KEY = re.compile(rf"(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{{12}}:(key/({KMS_KEY_ID.pattern})|{_KMS_ALIAS})"
                     rf"|{KMS_KEY_ID.pattern}|{_KMS_ALIAS})")
ORIGIN = re.compile(r"https?://[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:\d{1,5})?")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
# A DNS name of at least two labels (letters, digits, inner hyphens), at most 253 characters; lower case, as ACM,
# CloudFront and Route 53 keep it.
DOMAIN_NAME = re.compile(r"(?=.{4,253}\Z)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?")
FILE_EXTENSION = re.compile(r"\.[A-Za-z0-9_+-]+")
MEDIA_TYPE = re.compile(r"[A-Za-z0-9][\w.+-]*/[A-Za-z0-9][\w.+-]*(\s*;\s*[\w.+-]+=[\w.+-]+)*")

# Tags (the limits shared by every service the stack tags: DynamoDB, Lambda, IAM, API Gateway, CloudFront, S3,
# CloudWatch, SNS, KMS; https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html).
MAX_TAGS = 50
MAX_TAG_KEY = 128
MAX_TAG_VALUE = 256
TAG_PUNCTUATION = "_.:/=+-@"


# CloudWatch alarms (PutMetricAlarm): a period of 10, 20 or 30 s (high resolution) or a multiple of 60 s, and
# evaluation_periods x period within one day (seven days for periods of an hour or more).
ALARM_HIGH_RESOLUTION_PERIODS = (10, 20, 30)
ALARM_WINDOW = 86400
ALARM_WINDOW_LONG = 604800


def check_alarm_period(period: int) -> str | None:
    if period in ALARM_HIGH_RESOLUTION_PERIODS or (period > 0 and period % 60 == 0):
        return None
    return f"{period} s is not a period of CloudWatch alarms (10, 20, 30 or a multiple of 60)"


def check_alarm_window(evaluation_periods: int, period: int) -> str | None:
    limit = ALARM_WINDOW_LONG if period >= 3600 else ALARM_WINDOW
    if evaluation_periods * period > limit:
        return f"{evaluation_periods} periods of {period} s exceed CloudWatch's evaluation range of {limit} s"
    return None


def check_name(kind: str, value: Any) -> str | None:
    """Whether ``value`` is a valid name of a ``kind`` resource (a key of NAMES)."""
    return NAMES[kind].check(value)


def require(field: str, problem: str | None) -> None:
    """Raise InvalidInput naming ``field`` when a check found a problem."""
    if problem is not None:
        raise InvalidInput(f"{field}: {problem}")


def require_name(field: str, kind: str, value: Any) -> None:
    require(field, check_name(kind, value))


def _tag_text(text: str) -> bool:
    """Letters, digits, spaces (any script) and ``_.:/=+-@``, as AWS's tag pattern ``[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]``."""
    return all(unicodedata.category(c)[0] in "LZN" or c in TAG_PUNCTUATION for c in text)


def check_tags(tags: Any, max_count: int = MAX_TAGS) -> str | None:
    """AWS's tag limits: at most ``max_count`` tags, keys 1-128 and values 0-256 allowed characters, no ``aws:``."""
    if not isinstance(tags, dict):
        return f"must be a mapping of tag keys to values, got {type(tags).__name__}"
    if len(tags) > max_count:
        return f"{len(tags)} tags, at most {max_count} are allowed"
    for key, value in tags.items():
        if not isinstance(key, str) or not 1 <= len(key) <= MAX_TAG_KEY:
            return f"tag key {shown(key)} must be a string of 1 to {MAX_TAG_KEY} characters"
        if key.lower().startswith("aws:"):
            return f"tag key {key!r}: the prefix 'aws:' is reserved for AWS"
        if not _tag_text(key):
            return f"tag key {key!r} may contain only letters, digits, spaces and '{TAG_PUNCTUATION}'"
        problem = check_tag_value(value)
        if problem:
            return f"tag {key!r}: {problem}"
    return None


def check_tag_value(value: Any) -> str | None:
    if isinstance(value, (dict, list, bool)) or value is None:
        return f"the value must be a string, got {type(value).__name__}"
    text = str(value)
    if len(text) > MAX_TAG_VALUE:
        return f"the value must be at most {MAX_TAG_VALUE} characters (it has {len(text)})"
    if not _tag_text(text):
        return f"the value {shown(text)} may contain only letters, digits, spaces and '{TAG_PUNCTUATION}'"
    return None


def check_region(region: Any) -> str | None:
    """A region botocore knows, in the partition whose region pattern it matches (a typo fails here, not on the network)."""
    if not isinstance(region, str) or not region:
        return "is empty: set stack_region in the inventory or export AWS_REGION"
    for name, pattern, regions in partitions():
        if re.fullmatch(pattern, region):
            if region in regions:
                return None
            return (f"{region!r} is not a region of partition {name} known to botocore (known: {', '.join(regions)}); "
                    "a region newer than the installed botocore needs a botocore upgrade")
    return f"{region!r} is not an AWS region name (for example us-east-2)"


@functools.lru_cache(maxsize=1)
def partitions() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(name, region pattern, known regions) of each partition in botocore's endpoints data."""
    from botocore.loaders import Loader

    return tuple((p["partition"], p["regionRegex"].lstrip("^").rstrip("$"), tuple(sorted(p["regions"])))
                 for p in Loader().load_data("endpoints")["partitions"])


def check_pattern(pattern: str | re.Pattern, value: Any, what: str) -> str | None:
    if not isinstance(value, str) or not re.fullmatch(pattern, value):
        return f"{shown(value)} is not {what}"
    return None


def check_arn(value: Any, service: str, resource_type: str | None, resource_id: str | re.Pattern) -> str | None:
    """Whether ``value`` is a regional ARN of ``service`` in an account, its resource ``resource_type`` followed by
    an id matching ``resource_id`` in full (``resource_type`` None: the whole resource matches ``resource_id``).

    :func:`parse_aws_arn` searches rather than matches, so the ARN it read must also be the whole value."""
    details = parse_aws_arn(value) if isinstance(value, str) else None
    if (not details or not validate_aws_arn(value, service=service, resource_type=resource_type)
            or value != "arn:{partition}:{service}:{region}:{account_id}:{resource}".format(**details)
            or not re.fullmatch(r"[a-z0-9-]+", details["region"]) or not ACCOUNT_ID.fullmatch(details["account_id"])
            or not re.fullmatch(resource_id, details["resource_id"] if resource_type else details["resource"])):
        return f"{shown(value)} is not an ARN of {service}{f' {resource_type}' if resource_type else ''}"
    return None


def check_origin(origin: Any) -> str | None:
    return check_pattern(ORIGIN, origin, "an origin (scheme://host[:port], no path, no wildcard)")


def json_object(field: str, value: Any, what: str) -> dict[str, Any]:
    """A document given as a mapping or as JSON text (a policy, a dashboard's body), as a mapping; InvalidInput
    naming ``field`` otherwise, ``what`` saying what it must be."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as e:
            raise InvalidInput(f"{field}: not valid JSON ({e})") from None
    if not isinstance(value, dict):
        raise InvalidInput(f"{field}: must be {what}, got {type(value).__name__}")
    return value


def check_domain_names(names: Any, max_count: int) -> str | None:
    """A list of distinct lower-case domain names (no wildcard, no trailing dot), at most ``max_count``."""
    if not isinstance(names, list):
        return f"{shown(names)} is not a list of domain names"
    if len(names) > max_count:
        return f"at most {max_count} names"
    if len(set(names)) != len(names):
        return "each name may appear once"
    return next((p for p in (check_pattern(DOMAIN_NAME, n, "a lower-case domain name like www.example.com")
                             for n in names) if p), None)


def files_under(root: str | Path, field: str, excluded: Callable[[str], bool]) -> Iterator[tuple[str, Path]]:
    """``(key, path)`` of every regular file under ``root``, ``key`` its relative POSIX path, sorted by folder.

    Symbolic links are followed only while they stay inside ``root``: a link whose target leaves it, or a link
    to a folder being walked (a loop), raises InvalidInput naming ``field``. Excluded keys (files or folders)
    are skipped before their links are looked at.
    """
    root = Path(root)
    base = root.resolve()

    def walk(directory: Path, prefix: PurePosixPath, walking: frozenset[Path]) -> Iterator[tuple[str, Path]]:
        for entry in sorted(directory.iterdir(), key=lambda item: item.name):
            key = str(prefix / entry.name)
            if excluded(key):
                continue
            target = entry.resolve()
            if entry.is_symlink() and target != base and base not in target.parents:
                raise InvalidInput(f"{field}: {key} is a symbolic link to {target}, outside {root}; "
                                   "copy what it points to into the folder instead")
            if entry.is_dir():
                if target in walking:
                    raise InvalidInput(f"{field}: {key} is a symbolic link to a folder that contains it (a loop)")
                yield from walk(entry, prefix / entry.name, walking | {target})
            elif entry.is_file():
                yield key, entry

    yield from walk(root, PurePosixPath(), frozenset({base}))
