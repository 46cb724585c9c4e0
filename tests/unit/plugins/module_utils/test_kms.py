"""module_utils/kms.py: the one resolver of a KMS key id, alias or ARN."""
from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.cloudresume.aws.plugins.module_utils.kms import KMSError
from ansible_collections.cloudresume.aws.plugins.module_utils.kms import list_aliases
from ansible_collections.cloudresume.aws.plugins.module_utils.kms import resolve_key


@pytest.fixture
def kms(aws):
    return boto3.client("kms", region_name="us-east-2")


def test_every_way_to_name_a_key_resolves_to_its_arn(kms) -> None:
    key = kms.create_key(Description="alarms")["KeyMetadata"]
    kms.create_alias(AliasName="alias/alarms", TargetKeyId=key["KeyId"])
    alias_arn = key["Arn"].replace(f"key/{key['KeyId']}", "alias/alarms")
    for name in (key["KeyId"], key["Arn"], "alias/alarms", alias_arn):
        assert resolve_key(kms, name, "kms_key_id")["Arn"] == key["Arn"]


def test_a_missing_key_names_the_field_without_an_aws_error(kms) -> None:
    with pytest.raises(KMSError) as caught:
        resolve_key(kms, "alias/none", "kms_master_key_id")
    assert caught.value.message == "kms_master_key_id: KMS key 'alias/none' was not found"
    assert caught.value.exception is None


def test_a_denied_describe_is_an_aws_error() -> None:
    client = boto3.client("kms", region_name="us-east-2", aws_access_key_id="x", aws_secret_access_key="y")
    with Stubber(client) as stub:
        stub.add_client_error("describe_key", service_error_code="AccessDeniedException", http_status_code=400)
        with pytest.raises(KMSError) as caught:
            resolve_key(client, "alias/alarms", "kms_key_id")
    assert caught.value.message == "Failed to describe the KMS key alias/alarms"
    assert caught.value.exception.response["Error"]["Code"] == "AccessDeniedException"


def test_list_aliases_of_one_key(kms) -> None:
    ours = kms.create_key()["KeyMetadata"]["Arn"]
    other = kms.create_key()["KeyMetadata"]["Arn"]
    kms.create_alias(AliasName="alias/ours", TargetKeyId=ours)
    kms.create_alias(AliasName="alias/other", TargetKeyId=other)
    assert [a["AliasName"] for a in list_aliases(kms, KeyId=ours)] == ["alias/ours"]
