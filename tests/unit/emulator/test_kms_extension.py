"""boto3 round trips for tools/emulator/extensions/kms.py (key deletion scheduled and cancelled by key ARN)."""
from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError


@pytest.fixture
def kms(aws):
    return boto3.client("kms", region_name="us-east-2")


def test_schedule_and_cancel_deletion_by_key_arn(kms):
    arn = kms.create_key(Description="alarm topic")["KeyMetadata"]["Arn"]

    scheduled = kms.schedule_key_deletion(KeyId=arn, PendingWindowInDays=7)
    assert scheduled["DeletionDate"]
    assert kms.describe_key(KeyId=arn)["KeyMetadata"]["KeyState"] == "PendingDeletion"

    kms.cancel_key_deletion(KeyId=arn)
    assert kms.describe_key(KeyId=arn)["KeyMetadata"]["KeyState"] == "Disabled"


def test_schedule_deletion_by_key_id_still_works(kms):
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.schedule_key_deletion(KeyId=key_id)
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "PendingDeletion"


@pytest.mark.parametrize("days", [6, 31])
def test_pending_window_outside_7_to_30_days_is_rejected(kms, days):
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    with pytest.raises(ClientError) as error:
        kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=days)
    assert error.value.response["Error"]["Code"] == "ValidationException"
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Enabled"


def test_disable_and_enable_by_key_arn(kms):
    arn = kms.create_key()["KeyMetadata"]["Arn"]
    kms.disable_key(KeyId=arn)
    assert kms.describe_key(KeyId=arn)["KeyMetadata"]["KeyState"] == "Disabled"
    kms.enable_key(KeyId=arn)
    assert kms.describe_key(KeyId=arn)["KeyMetadata"]["KeyState"] == "Enabled"
