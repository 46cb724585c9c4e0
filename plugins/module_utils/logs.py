# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The collection's CloudWatch Logs calls: each fails with an :class:`AnsibleLogsError` naming the log group.

Reads are retried by the client's decorator (throttling, and ``ServiceUnavailableException``, which every CloudWatch
Logs operation documents). The writes whose API reference documents ``OperationAbortedException`` ("multiple
concurrent requests to update the same resource were in conflict") retry it too, on that call only.
"""
from __future__ import annotations

from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.cloudresume.aws.plugins.module_utils.errors import DescribedErrorHandler

UNAVAILABLE = "ServiceUnavailableException"
CLIENT_RETRY = AWSRetry.jittered_backoff(catch_extra_error_codes=[UNAVAILABLE])
WRITE_RETRY = AWSRetry.jittered_backoff(catch_extra_error_codes=[UNAVAILABLE, "OperationAbortedException"])

# PutRetentionPolicy's retentionInDays: "Possible values are: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400,
# 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, and 3653" (CloudWatch Logs API reference).
RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)


class AnsibleLogsError(AnsibleAWSError):
    pass


class LogsErrorHandler(DescribedErrorHandler):
    """``ResourceNotFoundException`` (a log group or filter that does not exist) is "not there"."""

    _CUSTOM_EXCEPTION = AnsibleLogsError

    @classmethod
    def _is_missing(cls) -> type[Exception]:
        return is_boto3_error_code("ResourceNotFoundException")


def logs_client(module: Any) -> Any:
    return module.client("logs", retry_decorator=CLIENT_RETRY)


@LogsErrorHandler.common_error_handler("describe log group {name}")
def describe_log_group(client: Any, name: str) -> dict[str, Any] | None:
    """The log group of exactly that name (listed with the name as prefix, across pages), or None."""
    token: dict[str, str] = {}
    while True:
        page = client.describe_log_groups(aws_retry=True, logGroupNamePrefix=name, **token)
        for group in page.get("logGroups", []):
            if group["logGroupName"] == name:
                return group
        if not page.get("nextToken"):
            return None
        token = {"nextToken": page["nextToken"]}


@LogsErrorHandler.common_error_handler("list the tags of log group {arn}")
def list_tags(client: Any, arn: str) -> dict[str, str]:
    return client.list_tags_for_resource(aws_retry=True, resourceArn=arn).get("tags", {})


@LogsErrorHandler.list_error_handler("describe the metric filters of log group {name}", {})
def describe_metric_filters(client: Any, name: str) -> dict[str, dict[str, Any]]:
    """The group's metric filters by name, across pages ({} when the group is gone)."""
    filters: dict[str, dict[str, Any]] = {}
    token: dict[str, str] = {}
    while True:
        page = client.describe_metric_filters(aws_retry=True, logGroupName=name, **token)
        filters.update((f["filterName"], f) for f in page.get("metricFilters", []))
        if not page.get("nextToken"):
            return filters
        token = {"nextToken": page["nextToken"]}


@LogsErrorHandler.common_error_handler("create log group {name}")
@WRITE_RETRY
def create_log_group(client: Any, name: str, tags: dict[str, str], kms_key_id: str | None) -> None:
    """Create the group with its tags (CreateLogGroup's tags need at least one) and key."""
    extra: dict[str, Any] = {"tags": tags} if tags else {}
    if kms_key_id:
        extra["kmsKeyId"] = kms_key_id
    client.create_log_group(logGroupName=name, **extra)


@LogsErrorHandler.common_error_handler("set the retention of log group {name}")
@WRITE_RETRY
def put_retention(client: Any, name: str, days: int) -> None:
    client.put_retention_policy(logGroupName=name, retentionInDays=days)


@LogsErrorHandler.common_error_handler("associate KMS key {key} with log group {name}")
@WRITE_RETRY
def associate_kms_key(client: Any, name: str, key: str) -> None:
    client.associate_kms_key(logGroupName=name, kmsKeyId=key)


@LogsErrorHandler.common_error_handler("tag log group {arn}")
def tag_log_group(client: Any, arn: str, tags: dict[str, str]) -> None:
    client.tag_resource(aws_retry=True, resourceArn=arn, tags=tags)


@LogsErrorHandler.common_error_handler("untag log group {arn}")
def untag_log_group(client: Any, arn: str, keys: list[str]) -> None:
    client.untag_resource(aws_retry=True, resourceArn=arn, tagKeys=keys)


@LogsErrorHandler.common_error_handler("put metric filter {filter_name} on log group {name}")
@WRITE_RETRY
def put_metric_filter(client: Any, name: str, filter_name: str, pattern: str, transformation: dict[str, Any]) -> None:
    client.put_metric_filter(logGroupName=name, filterName=filter_name, filterPattern=pattern,
                             metricTransformations=[transformation])


@LogsErrorHandler.deletion_error_handler("delete metric filter {filter_name} of log group {name}")
@WRITE_RETRY
def delete_metric_filter(client: Any, name: str, filter_name: str) -> bool:
    client.delete_metric_filter(logGroupName=name, filterName=filter_name)
    return True


@LogsErrorHandler.deletion_error_handler("delete log group {name}")
@WRITE_RETRY
def delete_log_group(client: Any, name: str) -> bool:
    """Delete the group with its events and filters; False when it was already gone."""
    client.delete_log_group(logGroupName=name)
    return True
