# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""SNS errors and the topic calls of the collection's modules."""
from __future__ import annotations

from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry


class SNSError(AnsibleAWSError):
    pass


class SNSErrorHandler(AWSErrorHandler):
    """SNS errors as :class:`SNSError`; C(NotFound) is the missing topic."""

    _CUSTOM_EXCEPTION = SNSError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("NotFound")


@SNSErrorHandler.common_error_handler("list the SNS topics")
@AWSRetry.jittered_backoff()
def list_topic_arns(client: Any) -> list[str]:
    return [t["TopicArn"] for t in client.get_paginator("list_topics").paginate().build_full_result().get("Topics", [])]


@SNSErrorHandler.list_error_handler("read the topic's attributes")
@AWSRetry.jittered_backoff()
def get_topic_attributes(client: Any, arn: str) -> dict[str, str] | None:
    """The topic's attributes, None when there is no such topic."""
    return client.get_topic_attributes(TopicArn=arn)["Attributes"]


@SNSErrorHandler.common_error_handler("set the topic's attribute")
@AWSRetry.jittered_backoff()
def set_topic_attribute(client: Any, arn: str, name: str, value: str) -> None:
    client.set_topic_attributes(TopicArn=arn, AttributeName=name, AttributeValue=value)
