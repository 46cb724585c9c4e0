# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""SNS errors and the topic calls of the collection's modules, each with its retries and error handling."""
from __future__ import annotations

from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.cloudresume.aws.plugins.module_utils.errors import DescribedErrorHandler

# ListSubscriptionsByTopic names an email subscription that its endpoint has not confirmed yet by this instead of
# an ARN; SNS deletes it after 48 hours, and Unsubscribe cannot remove it before.
PENDING_CONFIRMATION = "PendingConfirmation"


class SNSError(AnsibleAWSError):
    pass


class SNSErrorHandler(DescribedErrorHandler):
    """SNS errors as :class:`SNSError`; C(NotFound) is the missing topic."""

    _CUSTOM_EXCEPTION = SNSError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("NotFound")


@SNSErrorHandler.list_error_handler("read the attributes of topic {arn}")
@AWSRetry.jittered_backoff()
def get_topic_attributes(client: Any, arn: str) -> dict[str, str] | None:
    """The topic's attributes, None when there is no such topic."""
    return client.get_topic_attributes(TopicArn=arn)["Attributes"]


@SNSErrorHandler.common_error_handler("create topic {name}")
@AWSRetry.jittered_backoff()
def create_topic(client: Any, name: str, attributes: dict[str, str], tags: dict[str, str]) -> str:
    """Create the topic with its attributes and tags in one call; its ARN."""
    params: dict[str, Any] = {"Tags": ansible_dict_to_boto3_tag_list(tags)} if tags else {}
    return client.create_topic(Name=name, Attributes=attributes, **params)["TopicArn"]


@SNSErrorHandler.common_error_handler("set {name} of topic {arn}")
@AWSRetry.jittered_backoff()
def set_topic_attribute(client: Any, arn: str, name: str, value: str) -> None:
    client.set_topic_attributes(TopicArn=arn, AttributeName=name, AttributeValue=value)


@SNSErrorHandler.deletion_error_handler("delete topic {arn}")
@AWSRetry.jittered_backoff()
def delete_topic(client: Any, arn: str) -> bool:
    """Delete the topic (SNS deletes its subscriptions with it)."""
    client.delete_topic(TopicArn=arn)
    return True


@SNSErrorHandler.common_error_handler("list the subscriptions of topic {arn}")
@AWSRetry.jittered_backoff()
def list_subscriptions_by_topic(client: Any, arn: str) -> list[dict[str, str]]:
    """Every subscription of the topic (all pages); a pending one's C(SubscriptionArn) is PENDING_CONFIRMATION."""
    pages = client.get_paginator("list_subscriptions_by_topic").paginate(TopicArn=arn)
    return pages.build_full_result().get("Subscriptions", [])


@SNSErrorHandler.common_error_handler("subscribe {endpoint} to topic {arn}")
@AWSRetry.jittered_backoff()
def subscribe(client: Any, arn: str, protocol: str, endpoint: str) -> str:
    """Subscribe the endpoint; what SNS answers as its ARN (C(pending confirmation) until an email is confirmed)."""
    return client.subscribe(TopicArn=arn, Protocol=protocol, Endpoint=endpoint)["SubscriptionArn"]


@SNSErrorHandler.common_error_handler("unsubscribe {subscription_arn}")
@AWSRetry.jittered_backoff()
def unsubscribe(client: Any, subscription_arn: str) -> None:
    client.unsubscribe(SubscriptionArn=subscription_arn)


@SNSErrorHandler.common_error_handler("read the tags of topic {arn}")
@AWSRetry.jittered_backoff()
def list_tags(client: Any, arn: str) -> dict[str, str]:
    return boto3_tag_list_to_ansible_dict(client.list_tags_for_resource(ResourceArn=arn).get("Tags", []))


@SNSErrorHandler.common_error_handler("tag topic {arn}")
@AWSRetry.jittered_backoff()
def tag_topic(client: Any, arn: str, tags: dict[str, str]) -> None:
    client.tag_resource(ResourceArn=arn, Tags=ansible_dict_to_boto3_tag_list(tags))


@SNSErrorHandler.common_error_handler("untag topic {arn}")
@AWSRetry.jittered_backoff()
def untag_topic(client: Any, arn: str, keys: list[str]) -> None:
    client.untag_resource(ResourceArn=arn, TagKeys=keys)
