"""CloudWatch alarm gaps in moto 5.2.5, filled in the shape AWS documents (API reference of each operation).

- ``DescribeAlarms`` accepts any number of ``AlarmNames`` (AWS: at most 100, ``ValidationError``), ignores
  ``MaxRecords`` (AWS: 1 to 100, 50 by default, the rest behind a ``NextToken``). (moto has no composite alarms:
  ``PutCompositeAlarm`` is not implemented, so every answer is of metric alarms.)
- ``PutMetricAlarm`` on an existing alarm applies its ``Tags`` (AWS: "If you are using this operation to update an
  existing alarm, any tags you specify in this parameter are ignored"; TagResource/UntagResource change them).
- ``DeleteAlarms`` leaves the alarm's tags behind, so an alarm created again under the name has them.
- ``ListTagsForResource`` answers an empty list for an alarm that does not exist (AWS:
  ``ResourceNotFoundException``); ``UntagResource`` fails with it for an alarm that exists but has no tags.
"""
from __future__ import annotations

import base64
import binascii
from typing import Any

from moto.cloudwatch.exceptions import CloudWatchException
from moto.cloudwatch.exceptions import ResourceNotFoundException
from moto.cloudwatch.exceptions import ValidationError
from moto.cloudwatch.models import CloudWatchBackend
from moto.cloudwatch.responses import CloudWatchResponse
from moto.core.responses import ActionResult

MAX_ALARM_NAMES = 100
MAX_RECORDS = 100
DEFAULT_RECORDS = 50


class InvalidNextToken(CloudWatchException):
    code = "InvalidNextToken"


def _length_error(field: str, value: Any, limit: int) -> ValidationError:
    return ValidationError(f"1 validation error detected: Value '{value}' at '{field}' failed to satisfy constraint: "
                           f"Member must have length less than or equal to {limit}")


def _token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"alarms:{offset}".encode()).decode()


def _offset(token: str | None) -> int:
    if not token:
        return 0
    try:
        kind, _, offset = base64.urlsafe_b64decode(token.encode()).decode().partition(":")
        if kind == "alarms" and offset.isdigit():
            return int(offset)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise InvalidNextToken("The service returned an invalid NextToken.")


def _describe_alarms() -> None:
    original = CloudWatchResponse.describe_alarms

    def describe_alarms(self: CloudWatchResponse) -> ActionResult:
        names = self._get_param("AlarmNames", [])
        if len(names) > MAX_ALARM_NAMES:
            raise _length_error("alarmNames", names, MAX_ALARM_NAMES)
        max_records = self._get_int_param("MaxRecords", DEFAULT_RECORDS)
        if not 1 <= max_records <= MAX_RECORDS:
            raise ValidationError(f"1 validation error detected: Value '{max_records}' at 'maxRecords' failed to "
                                  f"satisfy constraint: Member must have value between 1 and {MAX_RECORDS}")
        offset = _offset(self._get_param("NextToken"))
        alarms = original(self).result["MetricAlarms"]
        result: dict[str, Any] = {"MetricAlarms": alarms[offset:offset + max_records], "CompositeAlarms": []}
        if offset + max_records < len(alarms):
            result["NextToken"] = _token(offset + max_records)
        return ActionResult(result)

    CloudWatchResponse.describe_alarms = describe_alarms  # type: ignore[method-assign]


def _tags_only_on_create() -> None:
    original = CloudWatchBackend.put_metric_alarm

    def put_metric_alarm(self: CloudWatchBackend, *args: Any, **kwargs: Any) -> Any:
        if kwargs.get("name") in self.alarms:
            kwargs["tags"] = None
        return original(self, *args, **kwargs)

    CloudWatchBackend.put_metric_alarm = put_metric_alarm  # type: ignore[method-assign]


def _tags_deleted_with_the_alarm() -> None:
    original = CloudWatchBackend.delete_alarms

    def delete_alarms(self: CloudWatchBackend, alarm_names: list[str]) -> None:
        arns = [self.alarms[name].alarm_arn for name in alarm_names if name in self.alarms]
        original(self, alarm_names)
        for arn in arns:
            self.tagger.delete_all_tags_for_resource(arn)

    CloudWatchBackend.delete_alarms = delete_alarms  # type: ignore[method-assign]


def _existing(backend: CloudWatchBackend, arn: str) -> None:
    """ResourceNotFoundException unless ``arn`` is an alarm or a Contributor Insights rule of the backend."""
    arns = {alarm.alarm_arn for alarm in backend.alarms.values()}
    arns |= {rule.rule_arn for rule in backend.insight_rules.values()}
    if arn not in arns:
        raise ResourceNotFoundException


def _tags_of_existing_resources() -> None:
    list_tags = CloudWatchBackend.list_tags_for_resource

    def list_tags_for_resource(self: CloudWatchBackend, arn: str) -> dict[str, str]:
        _existing(self, arn)
        return list_tags(self, arn)

    def untag_resource(self: CloudWatchBackend, arn: str, tag_keys: list[str]) -> None:
        _existing(self, arn)
        self.tagger.untag_resource_using_names(arn, tag_keys)

    CloudWatchBackend.list_tags_for_resource = list_tags_for_resource  # type: ignore[method-assign]
    CloudWatchBackend.untag_resource = untag_resource  # type: ignore[method-assign]


def install() -> None:
    _describe_alarms()
    _tags_only_on_create()
    _tags_deleted_with_the_alarm()
    _tags_of_existing_resources()
