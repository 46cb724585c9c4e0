"""cloudresume.aws.s3_private_bucket against in-process moto (with the emulator's extensions)."""
from __future__ import annotations

import json

import boto3
import pytest
from botocore.exceptions import ClientError

from tests.unit.aws_calls import mutating_operations
from tests.unit.aws_calls import record_calls
from ansible_collections.cloudresume.aws.plugins.modules import s3_private_bucket

BUCKET = "cloudresume-site-123456789012-us-east-2"
TAGS = {"Stack": "cloudresume", "Project": "resume"}
DISTRIBUTION = "arn:aws:cloudfront::123456789012:distribution/E2EXAMPLE"
RULE_ID = "noncurrent-versions-and-incomplete-uploads"
READS = ["GetPublicAccessBlock", "GetBucketEncryption", "GetBucketVersioning", "GetBucketOwnershipControls",
         "GetBucketTagging", "GetBucketPolicy", "GetBucketLifecycleConfiguration"]
PRIVATE = {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True}


def policy(distribution=DISTRIBUTION):
    return {"Version": "2012-10-17", "Statement": [
        {"Sid": "AllowCloudFront", "Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"},
         "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{BUCKET}/*",
         "Condition": {"StringEquals": {"AWS:SourceArn": distribution}}},
        {"Sid": "DenyWithoutTLS", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
         "Resource": [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"],
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
    ]}


def args(**overrides):
    return {"name": BUCKET, "versioning": True, "encryption": "AES256", "object_ownership": "BucketOwnerEnforced",
            "tags": TAGS, "policy": json.dumps(policy()),
            "lifecycle_rules": [{"id": RULE_ID, "noncurrent_version_expiration_days": 30,
                                 "abort_incomplete_multipart_upload_days": 7}], **overrides}


def ensure(run_module, check_mode=False, **overrides):
    return record_calls(lambda: run_module(s3_private_bucket, args(**overrides), check_mode=check_mode, diff=True))


@pytest.fixture
def s3(aws):
    return boto3.client("s3", region_name="us-east-2")


def rules(s3):
    return s3.get_bucket_lifecycle_configuration(Bucket=BUCKET)["Rules"]


def neighbour_s3():
    """An S3 client of account 111111111111 (moto gives assumed-role credentials the role's account)."""
    credentials = boto3.client("sts", region_name="us-east-2").assume_role(
        RoleArn="arn:aws:iam::111111111111:role/neighbour", RoleSessionName="neighbour")["Credentials"]
    return boto3.client("s3", region_name="us-east-2", aws_access_key_id=credentials["AccessKeyId"],
                        aws_secret_access_key=credentials["SecretAccessKey"],
                        aws_session_token=credentials["SessionToken"])


def test_creates_the_bucket_with_every_setting(run_module, s3):
    (result, failed), calls = ensure(run_module)
    assert not failed and result["changed"] and result["changes"] == ["created"]
    assert calls == ["GetPublicAccessBlock", "CreateBucket", "PutPublicAccessBlock", "PutBucketEncryption",
                     "PutBucketVersioning", "PutBucketTagging", "PutBucketPolicy", "PutBucketLifecycleConfiguration"]
    assert s3.get_bucket_location(Bucket=BUCKET)["LocationConstraint"] == "us-east-2"
    assert s3.get_public_access_block(Bucket=BUCKET)["PublicAccessBlockConfiguration"] == PRIVATE
    assert s3.get_bucket_versioning(Bucket=BUCKET)["Status"] == "Enabled"
    encryption = s3.get_bucket_encryption(Bucket=BUCKET)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert encryption["ApplyServerSideEncryptionByDefault"] == {"SSEAlgorithm": "AES256"}
    assert s3.get_bucket_ownership_controls(Bucket=BUCKET)["OwnershipControls"]["Rules"] == [
        {"ObjectOwnership": "BucketOwnerEnforced"}]
    assert {t["Key"]: t["Value"] for t in s3.get_bucket_tagging(Bucket=BUCKET)["TagSet"]} == TAGS
    assert json.loads(s3.get_bucket_policy(Bucket=BUCKET)["Policy"]) == policy()
    assert rules(s3) == [{"ID": RULE_ID, "Filter": {"Prefix": ""}, "Status": "Enabled",
                          "NoncurrentVersionExpiration": {"NoncurrentDays": 30},
                          "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7}}]
    assert result["bucket"]["arn"] == f"arn:aws:s3:::{BUCKET}"
    assert result["bucket"]["encryption"] == {"algorithm": "AES256", "key_id": ""}
    assert result["diff"]["before"] == {}
    assert result["diff"]["after"]["versioning"] == "Enabled"


def test_rerun_reads_once_per_setting_and_writes_nothing(run_module, s3):
    ensure(run_module)
    (result, failed), calls = ensure(run_module)
    assert not failed and not result["changed"] and result["changes"] == []
    assert calls == READS
    assert result["diff"]["before"] == result["diff"]["after"]
    assert result["bucket"]["tags"] == TAGS and result["bucket"]["versioning"] == "Enabled"


def test_reads_do_not_grow_in_a_crowded_account(run_module, s3):
    for n in range(5):
        s3.create_bucket(Bucket=f"other-bucket-{n}", CreateBucketConfiguration={"LocationConstraint": "us-east-2"})
    neighbour_s3().create_bucket(Bucket="neighbour-bucket", CreateBucketConfiguration={"LocationConstraint": "us-east-2"})
    ensure(run_module)
    (result, failed), calls = ensure(run_module)
    assert not failed and not result["changed"] and calls == READS


def test_only_the_settings_given_are_read(run_module, s3):
    ensure(run_module)
    (result, failed), calls = record_calls(lambda: run_module(s3_private_bucket, {"name": BUCKET, "tags": TAGS}))
    assert not failed and not result["changed"]
    assert calls == ["GetPublicAccessBlock", "GetBucketTagging"]
    assert set(result["bucket"]) == {"name", "arn", "public_access_block", "tags"}


def test_a_name_another_account_owns_fails_before_any_write(run_module, s3):
    neighbour_s3().create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "us-east-2"})
    (result, failed), calls = ensure(run_module)
    assert failed and result["error"]["code"] == "AccessDenied"
    assert mutating_operations(calls) == []
    assert BUCKET in result["msg"]


def test_a_name_taken_between_the_read_and_the_create_fails_with_bucket_already_exists(run_module, s3, monkeypatch):
    """A name another account takes after the read (or S3 still answering NoSuchBucket) meets CreateBucket's 409."""
    neighbour_s3().create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "us-east-2"})
    monkeypatch.setattr(s3_private_bucket.BucketManager, "read", lambda self: None)
    (result, failed), calls = ensure(run_module)
    assert failed and result["error"]["code"] == "BucketAlreadyExists"
    assert calls == ["CreateBucket"]
    assert result["msg"].startswith(f"Failed to create bucket {BUCKET}")


def test_check_mode_plans_a_new_bucket_and_all_its_settings(run_module, s3):
    (result, failed), calls = ensure(run_module, check_mode=True)
    assert not failed and result["changed"] and result["changes"] == ["created"]
    assert calls == ["GetPublicAccessBlock"]
    assert s3.list_buckets()["Buckets"] == []
    after = result["diff"]["after"]
    assert after["public_access_block"] == PRIVATE and after["versioning"] == "Enabled"
    assert after["tags"] == TAGS and after["policy"] == policy() and after["lifecycle_rules"][0]["ID"] == RULE_ID


def drift_versioning(s3):
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Suspended"})


def drift_encryption(s3):
    s3.delete_bucket_encryption(Bucket=BUCKET)


def drift_public_access(s3):
    s3.put_public_access_block(Bucket=BUCKET, PublicAccessBlockConfiguration=PRIVATE | {"BlockPublicPolicy": False})


def drift_ownership(s3):
    s3.put_bucket_ownership_controls(Bucket=BUCKET, OwnershipControls={"Rules": [{"ObjectOwnership": "ObjectWriter"}]})


def drift_tags(s3):
    s3.put_bucket_tagging(Bucket=BUCKET, Tagging={"TagSet": [{"Key": "Stack", "Value": "other"}]})


def drift_policy(s3):
    s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(policy("arn:aws:cloudfront::123456789012:distribution/EOTHER")))


def drift_lifecycle(s3):
    s3.put_bucket_lifecycle_configuration(Bucket=BUCKET, LifecycleConfiguration={"Rules": [
        {"ID": RULE_ID, "Filter": {"Prefix": ""}, "Status": "Enabled", "NoncurrentVersionExpiration": {"NoncurrentDays": 90}}]})


@pytest.mark.parametrize(("drift", "change", "write"), [
    (drift_versioning, "versioning", "PutBucketVersioning"),
    (drift_encryption, "encryption", "PutBucketEncryption"),
    (drift_public_access, "public_access_block", "PutPublicAccessBlock"),
    (drift_ownership, "object_ownership", "PutBucketOwnershipControls"),
    (drift_tags, "tags", "PutBucketTagging"),
    (drift_policy, "policy", "PutBucketPolicy"),
    (drift_lifecycle, "lifecycle_rules", "PutBucketLifecycleConfiguration"),
])
def test_drift_is_planned_in_check_mode_then_repaired_with_its_one_write(run_module, s3, drift, change, write):
    ensure(run_module)
    drift(s3)
    (planned, failed), calls = ensure(run_module, check_mode=True)
    assert not failed and planned["changes"] == [change] and mutating_operations(calls) == []
    assert planned["diff"]["before"][change] != planned["diff"]["after"][change]
    (result, failed), calls = ensure(run_module)
    assert not failed and result["changes"] == [change]
    assert calls == READS + [write]
    assert result["diff"]["after"] == planned["diff"]["after"]
    (again, failed), calls = ensure(run_module)
    assert not again["changed"] and calls == READS


def test_a_policy_written_another_way_is_the_same_policy(run_module, s3):
    ensure(run_module)
    reordered = policy()
    reordered["Statement"].reverse()
    reordered["Statement"][0]["Action"] = ["s3:*"]
    reordered["Statement"][0]["Resource"].reverse()
    (result, failed), calls = ensure(run_module, policy=reordered)  # a mapping, as a templated option may be
    assert not failed and not result["changed"] and mutating_operations(calls) == []


def test_omitted_policy_is_left_as_it_is_and_unread(run_module, s3):
    ensure(run_module)
    (result, failed), calls = ensure(run_module, policy=None)
    assert not failed and not result["changed"] and "GetBucketPolicy" not in calls
    assert json.loads(s3.get_bucket_policy(Bucket=BUCKET)["Policy"]) == policy()


@pytest.mark.parametrize(("overrides", "message"), [
    ({"policy": "{not json"}, "policy: not valid JSON"),
    ({"policy": "[]"}, "policy: must be a JSON object"),
    ({"policy": json.dumps({"Version": "2012-10-17"})}, "policy: needs a 'Statement'"),
    ({"policy": json.dumps({"Statement": [{"Effect": "Maybe"}]})}, "policy: Statement[0] needs an 'Effect'"),
    ({"name": "Not_A_Bucket"}, "name: 'Not_A_Bucket' may contain only lowercase letters"),
    ({"encryption_key_id": "alias/x"}, "encryption_key_id: is only used with encryption 'aws:kms'"),
    ({"lifecycle_rules": [{"id": "a"}]}, "lifecycle_rules[0]: needs noncurrent_version_expiration_days"),
    ({"lifecycle_rules": [{"id": "a", "noncurrent_version_expiration_days": 0}]},
     "lifecycle_rules[0].noncurrent_version_expiration_days: must be a positive number of days"),
    ({"lifecycle_rules": [{"id": "a", "noncurrent_version_expiration_days": 1},
                          {"id": "a", "abort_incomplete_multipart_upload_days": 1}]}, "lifecycle_rules[1].id: 'a' is given twice"),
    ({"tags": {"aws:reserved": "x"}}, "tags: "),
])
def test_bad_input_names_the_field_and_calls_nothing(run_module, s3, overrides, message):
    (result, failed), calls = ensure(run_module, **overrides)
    assert failed and result["msg"].startswith(message), result["msg"]
    assert calls == []


def foreign_rule(rule_id="someone-elses"):
    return {"ID": rule_id, "Filter": {"Prefix": "logs/"}, "Status": "Enabled", "Expiration": {"Days": 365}}


def test_other_lifecycle_rules_are_kept_unless_purged(run_module, s3):
    ensure(run_module)
    s3.put_bucket_lifecycle_configuration(Bucket=BUCKET, LifecycleConfiguration={"Rules": rules(s3) + [foreign_rule()]})
    (result, failed), calls = ensure(run_module)
    assert not failed and not result["changed"]
    assert [r["ID"] for r in result["bucket"]["lifecycle_rules"]] == [RULE_ID, "someone-elses"]
    (result, failed), calls = ensure(run_module, purge_lifecycle_rules=True)
    assert result["changes"] == ["lifecycle_rules"] and [r["ID"] for r in rules(s3)] == [RULE_ID]


def test_purging_every_rule_deletes_the_configuration(run_module, s3):
    ensure(run_module)
    (result, failed), calls = ensure(run_module, lifecycle_rules=[], purge_lifecycle_rules=True)
    assert not failed and result["changes"] == ["lifecycle_rules"]
    assert mutating_operations(calls) == ["DeleteBucketLifecycle"]
    with pytest.raises(ClientError) as missing:
        rules(s3)
    assert missing.value.response["Error"]["Code"] == "NoSuchLifecycleConfiguration"


@pytest.mark.parametrize("stored", [
    {"ID": RULE_ID, "Prefix": "", "Status": "Enabled"},  # the legacy top-level prefix
    {"ID": RULE_ID, "Filter": {}, "Status": "Enabled"},
])
def test_a_rule_scoped_another_equivalent_way_is_the_same_rule(run_module, s3, stored):
    ensure(run_module)
    stored = stored | {"NoncurrentVersionExpiration": {"NoncurrentDays": 30},
                       "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7}}
    s3.put_bucket_lifecycle_configuration(Bucket=BUCKET, LifecycleConfiguration={"Rules": [stored]})
    (result, failed), calls = ensure(run_module)
    assert not failed and not result["changed"] and mutating_operations(calls) == []


def test_tags_are_purged_or_kept(run_module, s3):
    ensure(run_module)
    (kept, failed), calls = ensure(run_module, tags={"Owner": "me"}, purge_tags=False)
    assert kept["changes"] == ["tags"] and kept["bucket"]["tags"] == TAGS | {"Owner": "me"}
    (purged, failed), calls = ensure(run_module, tags={})
    assert purged["changes"] == ["tags"] and mutating_operations(calls) == ["DeleteBucketTagging"]
    with pytest.raises(ClientError):
        s3.get_bucket_tagging(Bucket=BUCKET)


def test_kms_encryption_with_a_key(run_module, s3):
    key = "arn:aws:kms:us-east-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    ensure(run_module)
    (result, failed), calls = ensure(run_module, encryption="aws:kms", encryption_key_id=key)
    assert not failed and result["changes"] == ["encryption"]
    stored = s3.get_bucket_encryption(Bucket=BUCKET)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert stored["ApplyServerSideEncryptionByDefault"] == {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key}
    (again, failed), calls = ensure(run_module, encryption="aws:kms", encryption_key_id=key)
    assert not again["changed"]


def test_versioning_false_suspends_an_enabled_bucket_and_leaves_a_new_one_unversioned(run_module, s3):
    (created, failed), calls = ensure(run_module, versioning=False)
    assert "PutBucketVersioning" not in calls and "Status" not in s3.get_bucket_versioning(Bucket=BUCKET)
    ensure(run_module)
    (result, failed), calls = ensure(run_module, versioning=False)
    assert result["changes"] == ["versioning"] and s3.get_bucket_versioning(Bucket=BUCKET)["Status"] == "Suspended"


def test_throttling_is_retried(run_module, s3, monkeypatch):
    ensure(run_module)
    from botocore.client import BaseClient
    original = BaseClient._make_api_call
    refused: list[str] = []

    def slow_down_once(client, operation, params):
        if operation == "GetBucketTagging" and not refused:
            refused.append(operation)
            raise ClientError({"Error": {"Code": "SlowDown", "Message": "Please reduce your request rate."},
                               "ResponseMetadata": {"HTTPStatusCode": 503}}, operation)
        return original(client, operation, params)

    monkeypatch.setattr(BaseClient, "_make_api_call", slow_down_once)
    (result, failed), calls = ensure(run_module)
    assert not failed and not result["changed"] and refused == ["GetBucketTagging"]


def test_a_rule_change_keeps_the_configurations_transition_default(run_module, s3, monkeypatch):
    """GetBucketLifecycleConfiguration also answers TransitionDefaultMinimumObjectSize (moto does not): kept on write."""
    ensure(run_module)
    drift_lifecycle(s3)
    from botocore.client import BaseClient
    original = BaseClient._make_api_call
    sent: list[dict] = []

    def with_transition_default(client, operation, params):
        if operation == "PutBucketLifecycleConfiguration":
            sent.append(params)
        answer = original(client, operation, params)
        if operation == "GetBucketLifecycleConfiguration":
            answer["TransitionDefaultMinimumObjectSize"] = "varies_by_storage_class"
        return answer

    monkeypatch.setattr(BaseClient, "_make_api_call", with_transition_default)
    (result, failed), calls = ensure(run_module)
    assert not failed and result["changes"] == ["lifecycle_rules"]
    assert sent[0]["TransitionDefaultMinimumObjectSize"] == "varies_by_storage_class"
