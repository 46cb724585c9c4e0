"""cloudresume.aws.sns_topic_encryption against in-process moto (with the emulator's extensions)."""
from __future__ import annotations


import boto3
import pytest

from tests.unit.aws_calls import record_calls
from ansible_collections.cloudresume.aws.plugins.modules import sns_topic_encryption


@pytest.fixture
def sns(aws):
    client = boto3.client("sns", region_name="us-east-2")
    client.create_topic(Name="alarms")
    return client


@pytest.fixture
def key(aws):
    kms = boto3.client("kms", region_name="us-east-2")
    metadata = kms.create_key(Description="alarms")["KeyMetadata"]
    kms.create_alias(AliasName="alias/alarms", TargetKeyId=metadata["KeyId"])
    return metadata


def topic_key(sns):
    arn = sns.list_topics()["Topics"][0]["TopicArn"]
    return sns.get_topic_attributes(TopicArn=arn)["Attributes"].get("KmsMasterKeyId", "")


def encrypt(run_module, key_id="alias/alarms", **kwargs):
    return run_module(sns_topic_encryption, {"topic": "alarms", "kms_master_key_id": key_id}, diff=True, **kwargs)


def test_encrypts_the_topic(run_module, sns, key):
    result, failed = encrypt(run_module)
    assert not failed and result["changed"]
    assert topic_key(sns) == "alias/alarms"
    assert result["kms_key_arn"] == key["Arn"]
    assert result["diff"] == {"before": {"kms_key_arn": ""}, "after": {"kms_key_arn": key["Arn"]}}


def test_same_key_by_another_name_is_no_change_and_no_mutating_call(run_module, sns, key):
    encrypt(run_module)
    (result, failed), calls = record_calls(lambda: encrypt(run_module, key_id=key["Arn"]))
    assert not failed and not result["changed"]
    assert "SetTopicAttributes" not in calls
    assert topic_key(sns) == "alias/alarms"


def test_check_mode_changes_nothing(run_module, sns, key):
    (result, failed), calls = record_calls(lambda: encrypt(run_module, check_mode=True))
    assert not failed and result["changed"]
    assert "SetTopicAttributes" not in calls
    assert topic_key(sns) == ""


def test_absent_removes_the_encryption(run_module, sns, key):
    encrypt(run_module)
    result, failed = run_module(sns_topic_encryption, {"topic": "alarms", "state": "absent"})
    assert not failed and result["changed"]
    assert topic_key(sns) == ""
    result, failed = run_module(sns_topic_encryption, {"topic": "alarms", "state": "absent"})
    assert not failed and not result["changed"]


def test_missing_topic_is_named(run_module, sns, key):
    result, failed = run_module(sns_topic_encryption, {"topic": "other", "kms_master_key_id": "alias/alarms"})
    assert failed and result["msg"] == "topic: SNS topic 'other' does not exist"


def test_missing_key_is_named_and_nothing_is_set(run_module, sns, key):
    result, failed = encrypt(run_module, key_id="alias/none")
    assert failed and result["msg"] == "kms_master_key_id: KMS key 'alias/none' was not found"
    assert topic_key(sns) == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"topic": "bad name", "kms_master_key_id": "alias/alarms"}, "topic: 'bad name' is neither"),
        ({"topic": "alarms\n", "kms_master_key_id": "alias/alarms"}, "topic: 'alarms\\n' is neither"),
        ({"topic": "alarms", "kms_master_key_id": "alias/alarms\n"}, "kms_master_key_id: "),
        ({"topic": "alarms", "state": "absent", "kms_master_key_id": "alias/alarms"},
         "kms_master_key_id: only valid with state=present"),
    ],
)
def test_bad_input_fails_before_any_aws_call(run_module, sns, key, args, message):
    (result, failed), calls = record_calls(lambda: run_module(sns_topic_encryption, args))
    assert failed and result["msg"].startswith(message)
    assert calls == []
