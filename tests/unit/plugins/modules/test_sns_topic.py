"""cloudresume.aws.sns_topic against in-process moto (with the emulator's extensions)."""
from __future__ import annotations

import boto3
import pytest

from tests.unit.aws_calls import mutating_operations
from tests.unit.aws_calls import record_calls
from ansible_collections.cloudresume.aws.plugins.modules import sns_topic

ACCOUNT = "123456789012"
ARN = f"arn:aws:sns:us-east-2:{ACCOUNT}:alarms"
STACK_TAGS = {"Stack": "cloudresume", "Project": "resume"}


@pytest.fixture
def sns(aws):
    return boto3.client("sns", region_name="us-east-2")


@pytest.fixture
def key(aws):
    kms = boto3.client("kms", region_name="us-east-2")
    metadata = kms.create_key(Description="alarms")["KeyMetadata"]
    kms.create_alias(AliasName="alias/alarms", TargetKeyId=metadata["KeyId"])
    return metadata


def args(**overrides):
    return {"name": "alarms", "account_id": ACCOUNT, "display_name": "cloudresume alarms",
            "kms_master_key_id": "", "subscriptions": [{"endpoint": "ops@example.com"}],
            "tags": STACK_TAGS, **overrides}


def ensure(run_module, check_mode=False, **overrides):
    return record_calls(lambda: run_module(sns_topic, args(**overrides), check_mode=check_mode, diff=True))


def attributes(sns):
    return sns.get_topic_attributes(TopicArn=ARN)["Attributes"]


def subscriptions(sns):
    return sorted((s["Protocol"], s["Endpoint"]) for s in sns.list_subscriptions_by_topic(TopicArn=ARN)["Subscriptions"])


def tags(sns):
    return {t["Key"]: t["Value"] for t in sns.list_tags_for_resource(ResourceArn=ARN)["Tags"]}


def test_creates_the_topic_with_its_settings_in_one_create_call(run_module, sns, key):
    (result, failed), calls = ensure(run_module, kms_master_key_id="alias/alarms")
    assert not failed and result["changed"] and result["changes"] == ["created", "subscriptions"]
    assert calls == ["GetTopicAttributes", "DescribeKey", "CreateTopic", "Subscribe"]
    assert attributes(sns)["DisplayName"] == "cloudresume alarms"
    assert attributes(sns)["KmsMasterKeyId"] == "alias/alarms"
    assert subscriptions(sns) == [("email", "ops@example.com")]
    assert tags(sns) == STACK_TAGS
    assert result["topic"]["topic_arn"] == ARN
    assert result["diff"]["before"] == {}
    assert result["diff"]["after"] == {"display_name": "cloudresume alarms", "kms_master_key_id": "alias/alarms",
                                       "subscriptions": ["email:ops@example.com"], "tags": STACK_TAGS}


def test_rerun_reads_three_times_and_writes_nothing(run_module, sns, key):
    ensure(run_module, kms_master_key_id="alias/alarms")
    (result, failed), calls = ensure(run_module, kms_master_key_id="alias/alarms")
    assert not failed and not result["changed"] and result["changes"] == []
    assert calls == ["GetTopicAttributes", "ListSubscriptionsByTopic", "ListTagsForResource"]
    assert result["diff"]["before"] == result["diff"]["after"]


def test_reads_do_not_grow_with_neighbour_topics(run_module, sns):
    for n in range(5):
        sns.create_topic(Name=f"other-{n}")
    ensure(run_module)
    (result, failed), calls = ensure(run_module)
    assert not failed and not result["changed"]
    assert calls == ["GetTopicAttributes", "ListSubscriptionsByTopic", "ListTagsForResource"]


def test_check_mode_plans_a_missing_topic(run_module, sns, key):
    (result, failed), calls = ensure(run_module, check_mode=True, kms_master_key_id="alias/alarms")
    assert not failed and result["changed"] and result["changes"] == ["created", "subscriptions"]
    assert mutating_operations(calls) == []
    assert sns.list_topics()["Topics"] == []
    assert result["topic"]["subscriptions"] == [{"protocol": "email", "endpoint": "ops@example.com",
                                                 "subscription_arn": None}]
    assert result["diff"]["after"]["kms_master_key_id"] == "alias/alarms"


def test_check_mode_with_a_key_not_created_yet_warns_and_plans(run_module, sns):
    (result, failed), calls = ensure(run_module, check_mode=True, kms_master_key_id="alias/planned")
    assert not failed and result["changed"]
    assert "kms_master_key_id: KMS key 'alias/planned' was not found" in result["warnings"][0]
    assert mutating_operations(calls) == []


@pytest.mark.parametrize(("overrides", "change", "writes"), [
    ({"display_name": "new name"}, "display_name", ["SetTopicAttributes"]),
    ({"kms_master_key_id": "alias/alarms"}, "kms_master_key_id", ["SetTopicAttributes"]),
    ({"subscriptions": [{"endpoint": "ops@example.com"}, {"endpoint": "new@example.com"}]}, "subscriptions",
     ["Subscribe"]),
    ({"tags": {"Stack": "cloudresume", "Owner": "me"}}, "tags", ["UntagResource", "TagResource"]),
])
def test_one_change_makes_only_its_writes(run_module, sns, key, overrides, change, writes):
    ensure(run_module)
    (result, failed), calls = ensure(run_module, **overrides)
    assert not failed and result["changes"] == [change]
    assert mutating_operations(calls) == writes
    (again, failed), calls = ensure(run_module, **overrides)
    assert not again["changed"] and mutating_operations(calls) == []


def test_changes_show_in_the_diff_and_the_topic(run_module, sns, key):
    ensure(run_module)
    (result, failed), calls = ensure(run_module, display_name="", kms_master_key_id=key["Arn"],
                                     subscriptions=[{"endpoint": "ops@example.com"},
                                                    {"endpoint": "ops@example.com", "protocol": "email-json"}],
                                     tags={"Stack": "cloudresume"})
    assert result["diff"]["before"] == {"display_name": "cloudresume alarms", "kms_master_key_id": "",
                                        "subscriptions": ["email:ops@example.com"], "tags": STACK_TAGS}
    assert result["diff"]["after"] == {"display_name": "", "kms_master_key_id": key["Arn"],
                                       "subscriptions": ["email-json:ops@example.com", "email:ops@example.com"],
                                       "tags": {"Stack": "cloudresume"}}
    assert subscriptions(sns) == [("email", "ops@example.com"), ("email-json", "ops@example.com")]
    assert attributes(sns)["KmsMasterKeyId"] == key["Arn"] and attributes(sns).get("DisplayName", "") == ""
    assert tags(sns) == {"Stack": "cloudresume"}


def test_same_key_by_another_name_is_no_change(run_module, sns, key):
    ensure(run_module, kms_master_key_id="alias/alarms")
    (result, failed), calls = ensure(run_module, kms_master_key_id=key["Arn"])
    assert not failed and not result["changed"]
    assert mutating_operations(calls) == []
    assert attributes(sns)["KmsMasterKeyId"] == "alias/alarms"


def test_empty_key_removes_the_encryption(run_module, sns, key):
    ensure(run_module, kms_master_key_id="alias/alarms")
    (result, failed), calls = ensure(run_module, kms_master_key_id="")
    assert not failed and result["changes"] == ["kms_master_key_id"]
    assert attributes(sns).get("KmsMasterKeyId", "") == ""
    assert "DescribeKey" not in calls


def test_omitted_options_are_neither_read_nor_changed(run_module, sns, key):
    ensure(run_module, kms_master_key_id="alias/alarms")
    (result, failed), calls = record_calls(lambda: run_module(sns_topic, {"name": "alarms", "account_id": ACCOUNT}))
    assert not failed and not result["changed"]
    assert calls == ["GetTopicAttributes"]
    assert "subscriptions" not in result["topic"] and "tags" not in result["topic"]


def test_purge_false_keeps_other_subscriptions_and_tags(run_module, sns):
    ensure(run_module)
    queue_subscription = confirmed_queue_subscription(sns)
    ensure(run_module, subscriptions=[{"endpoint": "new@example.com"}], purge_subscriptions=False,
           tags={"Owner": "me"}, purge_tags=False)
    assert subscriptions(sns) == [("email", "new@example.com"), ("email", "ops@example.com"),
                                  ("sqs", "arn:aws:sqs:us-east-2:123456789012:q")]
    assert queue_subscription.startswith(ARN)
    assert tags(sns) == {**STACK_TAGS, "Owner": "me"}


def test_pending_subscription_counts_as_present(run_module, sns):
    ensure(run_module)
    assert sns.list_subscriptions_by_topic(TopicArn=ARN)["Subscriptions"][0]["SubscriptionArn"] == "PendingConfirmation"
    (result, failed), calls = ensure(run_module)
    assert not failed and not result["changed"] and mutating_operations(calls) == []
    assert result["topic"]["subscriptions"] == [{"protocol": "email", "endpoint": "ops@example.com",
                                                 "subscription_arn": "PendingConfirmation"}]


def test_pending_subscription_to_purge_is_warned_about_not_removed(run_module, sns):
    ensure(run_module)
    (result, failed), calls = ensure(run_module, subscriptions=[])
    assert not failed and not result["changed"] and mutating_operations(calls) == []
    assert "ops@example.com is pending confirmation and cannot be removed" in result["warnings"][0]


def confirmed_queue_subscription(sns):
    """A confirmed subscription of another protocol (email ones stay pending, as on AWS until the mail is read)."""
    sqs = boto3.client("sqs", region_name="us-east-2")
    queue = sqs.get_queue_attributes(QueueUrl=sqs.create_queue(QueueName="q")["QueueUrl"],
                                     AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return sns.subscribe(TopicArn=ARN, Protocol="sqs", Endpoint=queue)["SubscriptionArn"]


def test_purge_removes_a_confirmed_subscription(run_module, sns):
    ensure(run_module)
    confirmed_queue_subscription(sns)
    (result, failed), calls = ensure(run_module)
    assert not failed and result["changes"] == ["subscriptions"]
    assert mutating_operations(calls) == ["Unsubscribe"]
    assert subscriptions(sns) == [("email", "ops@example.com")]
    assert result["diff"]["before"]["subscriptions"] == ["email:ops@example.com", "sqs:arn:aws:sqs:us-east-2:123456789012:q"]
    assert result["diff"]["after"]["subscriptions"] == ["email:ops@example.com"]


def test_absent_deletes_only_this_topic(run_module, sns):
    other = sns.create_topic(Name="alarms-other")["TopicArn"]
    ensure(run_module)
    (result, failed), calls = record_calls(lambda: run_module(sns_topic, {"name": "alarms", "account_id": ACCOUNT,
                                                                          "state": "absent"}, check_mode=True))
    assert not failed and result["changes"] == ["deleted"] and mutating_operations(calls) == []
    (result, failed), calls = record_calls(lambda: run_module(sns_topic, {"name": "alarms", "account_id": ACCOUNT,
                                                                          "state": "absent"}, diff=True))
    assert not failed and result["changed"] and mutating_operations(calls) == ["DeleteTopic"]
    assert result["diff"]["after"] == {} and result["diff"]["before"]["display_name"] == "cloudresume alarms"
    assert [t["TopicArn"] for t in sns.list_topics()["Topics"]] == [other]
    assert sns.list_subscriptions()["Subscriptions"] == []
    (result, failed), calls = record_calls(lambda: run_module(sns_topic, {"name": "alarms", "account_id": ACCOUNT,
                                                                          "state": "absent"}))
    assert not failed and not result["changed"] and calls == ["GetTopicAttributes"]


def test_without_account_id_asks_sts_once(run_module, sns):
    (result, failed), calls = record_calls(lambda: run_module(sns_topic, {"name": "alarms"}))
    assert not failed and result["topic"]["topic_arn"] == ARN
    assert calls == ["GetCallerIdentity", "GetTopicAttributes", "CreateTopic"]


def test_wrong_account_id_is_named(run_module, sns):
    (result, failed), calls = ensure(run_module, account_id="210987654321")
    assert failed and result["msg"].startswith("account_id: SNS created the topic as " + ARN)
    assert "Subscribe" not in calls


def test_missing_key_is_named_before_any_write(run_module, sns):
    ensure(run_module)
    (result, failed), calls = ensure(run_module, kms_master_key_id="alias/none", display_name="changed")
    assert failed and result["msg"] == "kms_master_key_id: KMS key 'alias/none' was not found"
    assert mutating_operations(calls) == []
    (result, failed), calls = ensure(run_module, kms_master_key_id="alias/none", name="fresh")
    assert failed and mutating_operations(calls) == []


@pytest.mark.parametrize(("overrides", "message"), [
    ({"name": "bad name"}, "name: 'bad name' may contain only"),
    ({"name": "alarms.fifo"}, "name: 'alarms.fifo' may contain only"),
    ({"name": "alarms\n"}, "name: 'alarms\\n' may contain only"),
    ({"account_id": "12345"}, "account_id: '12345' is not a 12-digit AWS account id"),
    ({"display_name": "x" * 101}, "display_name: "),
    ({"kms_master_key_id": "alias/alarms\n"}, "kms_master_key_id: "),
    ({"subscriptions": [{"endpoint": "ops@example.com"}, {"endpoint": "not an address"}]},
     "subscriptions[1].endpoint: 'not an address' is not an email address"),
    ({"subscriptions": [{"endpoint": "ops@example.com", "protocol": "sms"}]}, "value of protocol must be one of"),
    ({"tags": {"aws:x": "y"}}, "tags: tag key 'aws:x'"),
])
def test_bad_input_fails_naming_the_field_before_any_aws_call(run_module, sns, overrides, message):
    (result, failed), calls = ensure(run_module, **overrides)
    assert failed and message in result["msg"]
    assert result["msg"].startswith(message) or "protocol" in message
    assert calls == []
