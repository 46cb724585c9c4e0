# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The collection's CloudWatch calls (alarms) and their error handler: they fail with an :class:`AnsibleCloudWatchError`."""
from __future__ import annotations

from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.cloudresume.aws.plugins.module_utils.errors import DescribedErrorHandler


class AnsibleCloudWatchError(AnsibleAWSError):
    pass


class CloudWatchErrorHandler(DescribedErrorHandler):
    """``ResourceNotFound`` (a dashboard that does not exist) is "not there"; every other error fails."""

    _CUSTOM_EXCEPTION = AnsibleCloudWatchError

    @classmethod
    def _is_missing(cls) -> type[Exception]:
        return is_boto3_error_code("ResourceNotFound")


# DescribeAlarms and DeleteAlarms take at most 100 alarm names a call; DescribeAlarms answers at most 100 a page.
MAX_ALARM_NAMES = 100


def name_chunks(names: list[str]) -> list[list[str]]:
    """``names`` in calls of at most MAX_ALARM_NAMES."""
    return [names[i:i + MAX_ALARM_NAMES] for i in range(0, len(names), MAX_ALARM_NAMES)]


@AWSRetry.jittered_backoff()
def _describe_metric_alarms(client: Any, names: list[str]) -> list[dict[str, Any]]:
    pages = client.get_paginator("describe_alarms").paginate(AlarmNames=names, MaxRecords=MAX_ALARM_NAMES)
    return pages.build_full_result().get("MetricAlarms", [])


@CloudWatchErrorHandler.common_error_handler("read the metric alarms")
def find_metric_alarms(client: Any, names: list[str]) -> dict[str, dict[str, Any]]:
    """The metric alarms of these exact names that exist, by name: one DescribeAlarms per 100 names (every page)."""
    return {alarm["AlarmName"]: alarm for chunk in name_chunks(names) for alarm in _describe_metric_alarms(client, chunk)}


@CloudWatchErrorHandler.common_error_handler("read the tags of alarm {arn}")
def list_alarm_tags(client: Any, arn: str) -> dict[str, str]:
    return boto3_tag_list_to_ansible_dict(client.list_tags_for_resource(aws_retry=True, ResourceARN=arn)["Tags"])


@CloudWatchErrorHandler.common_error_handler("save alarm {params[AlarmName]}")
def put_metric_alarm(client: Any, params: dict[str, Any]) -> None:
    """Create or overwrite the alarm (its ``Tags`` count only on creation)."""
    client.put_metric_alarm(aws_retry=True, **params)


@CloudWatchErrorHandler.common_error_handler("tag alarm {arn}")
def tag_alarm(client: Any, arn: str, tags: dict[str, str]) -> None:
    client.tag_resource(aws_retry=True, ResourceARN=arn, Tags=ansible_dict_to_boto3_tag_list(tags))


@CloudWatchErrorHandler.common_error_handler("untag alarm {arn}")
def untag_alarm(client: Any, arn: str, keys: list[str]) -> None:
    client.untag_resource(aws_retry=True, ResourceARN=arn, TagKeys=keys)


@CloudWatchErrorHandler.common_error_handler("delete the alarms {names}")
def delete_alarms(client: Any, names: list[str]) -> None:
    """Delete the alarms of these names (AWS deletes the existing ones and ignores the others)."""
    for chunk in name_chunks(names):
        client.delete_alarms(aws_retry=True, AlarmNames=chunk)


@CloudWatchErrorHandler.list_error_handler("read dashboard {name}")
def get_dashboard(client: Any, name: str) -> dict[str, Any] | None:
    """The dashboard; None when there is none of that name."""
    return client.get_dashboard(aws_retry=True, DashboardName=name)
