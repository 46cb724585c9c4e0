"""boto3 round trips for tools/emulator/extensions/sns.py (email subscriptions pending confirmation, as on AWS)."""
from __future__ import annotations

import boto3
import pytest


@pytest.fixture
def sns(aws):
    return boto3.client("sns", region_name="us-east-2")


@pytest.fixture
def topic(sns):
    return sns.create_topic(Name="alarms")["TopicArn"]


@pytest.mark.parametrize("protocol", ["email", "email-json"])
def test_an_email_subscription_is_pending_confirmation(sns, topic, protocol):
    answer = sns.subscribe(TopicArn=topic, Protocol=protocol, Endpoint="ops@example.com")
    assert answer["SubscriptionArn"] == "pending confirmation"
    listed = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
    assert listed == [{"SubscriptionArn": "PendingConfirmation", "Owner": "123456789012", "Protocol": protocol,
                       "Endpoint": "ops@example.com", "TopicArn": topic}]
    assert sns.list_subscriptions()["Subscriptions"] == listed
    attributes = sns.get_topic_attributes(TopicArn=topic)["Attributes"]
    assert (attributes["SubscriptionsPending"], attributes["SubscriptionsConfirmed"]) == ("1", "0")


def test_the_arn_on_request_and_its_attributes(sns, topic):
    arn = sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="ops@example.com",
                        ReturnSubscriptionArn=True)["SubscriptionArn"]
    assert arn.startswith(topic + ":")
    assert sns.get_subscription_attributes(SubscriptionArn=arn)["Attributes"]["PendingConfirmation"] == "true"
    again = sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="ops@example.com")
    assert again["SubscriptionArn"] == "pending confirmation"
    assert len(sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]) == 1


def test_other_protocols_are_confirmed_and_listed_by_arn(sns, topic):
    queue = boto3.client("sqs", region_name="us-east-2").create_queue(QueueName="q")["QueueUrl"]
    queue_arn = boto3.client("sqs", region_name="us-east-2").get_queue_attributes(
        QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    arn = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)["SubscriptionArn"]
    sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="ops@example.com")
    listed = {s["Protocol"]: s["SubscriptionArn"] for s in sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]}
    assert listed == {"sqs": arn, "email": "PendingConfirmation"}
    attributes = sns.get_topic_attributes(TopicArn=topic)["Attributes"]
    assert (attributes["SubscriptionsPending"], attributes["SubscriptionsConfirmed"]) == ("1", "1")
    sns.unsubscribe(SubscriptionArn=arn)
    assert [s["Protocol"] for s in sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]] == ["email"]


def test_deleting_the_topic_deletes_its_pending_subscriptions(sns, topic):
    sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="ops@example.com")
    sns.delete_topic(TopicArn=topic)
    assert sns.list_subscriptions()["Subscriptions"] == []
