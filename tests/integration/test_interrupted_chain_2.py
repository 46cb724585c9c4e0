"""Layer deploys killed at six AWS calls, one per run, each meeting the orphans earlier kills left in its layer, then
a whole run that completes with one of each resource (chain 2 of interrupted.KILL_CHAINS; the two chains cover the thirteen points),
and a bucket name another account owns.

One of its points used to lose work: ``kms:CreateKey`` of the alarm topic's key, before its alias. The next
monitoring run (killed at ``sns:CreateTopic``, after the key's alias) adopts the key by its tags instead of creating a second one.
(amazon.aws.kms_key sends CreateAlias a few milliseconds later, faster than the request log can be watched: the kill
usually lands after it, so the check then removes the alias, which leaves the key exactly as a kill in that window
would: tagged at creation, without alias.)
"""
from __future__ import annotations

from typing import Any

import boto3

from .conftest import Emulator, emulator_fixture, run_playbook
from .interrupted import KILL_CHAINS, customer_keys, interrupt_chain_then_rerun, resources

emulator = emulator_fixture()
TAKEN = "cloudresume-site-taken-elsewhere"


def neighbour_s3(emulator):
    """S3 as another account (111111111111): the emulator gives assumed-role credentials the role's account."""
    credentials = emulator.client("sts").assume_role(RoleArn="arn:aws:iam::111111111111:role/neighbour",
                                                     RoleSessionName="neighbour")["Credentials"]
    return boto3.client("s3", endpoint_url=emulator.url, region_name="us-east-2",
                        aws_access_key_id=credentials["AccessKeyId"], aws_secret_access_key=credentials["SecretAccessKey"],
                        aws_session_token=credentials["SessionToken"])


def test_a_bucket_name_another_account_owns_stops_the_site_before_anything_is_made(emulator):
    emulator.command("reset")
    neighbour_s3(emulator).create_bucket(Bucket=TAKEN, CreateBucketConfiguration={"LocationConstraint": "us-east-2"})
    run = run_playbook(emulator, "site.yml", "--tags", "static_site", extra_vars={"static_site_bucket_name": TAKEN})
    assert run.returncode != 0
    assert f"static_site_bucket_name: the S3 bucket name '{TAKEN}' is taken" in run.output, run.output[-3000:]
    assert run.mutating == []
    found = resources(emulator)
    assert (found["distribution"], found["origin access control"], found["headers policy"], found["bucket"]) == (0, 0, 0, 0)
    assert neighbour_s3(emulator).list_objects_v2(Bucket=TAKEN).get("KeyCount") == 0


def key_without_alias(emulator: Emulator, shared: dict[str, Any]) -> None:
    kms = emulator.client("kms")
    orphan = shared["key"] = customer_keys(emulator)
    assert len(orphan) == 1
    # CreateAlias follows CreateKey within milliseconds (amazon.aws.kms_key reads the new key in between): the kill
    # usually lands after it. Then the alias goes, leaving what a kill in that window leaves.
    for alias in [a["AliasName"] for a in kms.list_aliases()["Aliases"] if a.get("TargetKeyId") == orphan[0]]:
        kms.delete_alias(AliasName=alias)


def key_adopted(emulator: Emulator, shared: dict[str, Any]) -> None:
    kms = emulator.client("kms")
    orphan = shared["key"]
    assert customer_keys(emulator) == orphan
    tags = {t["TagKey"]: t["TagValue"] for t in kms.list_resource_tags(KeyId=orphan[0])["Tags"]}
    assert (tags["Stack"], tags["Purpose"]) == ("cloudresume", "alarm-topic")
    assert {a["AliasName"] for a in kms.list_aliases()["Aliases"] if a.get("TargetKeyId") == orphan[0]} == {
        "alias/cloudresume-alarms"}


def test_reruns_after_kills_complete_with_one_of_each_resource_and_adopt_the_key(emulator):
    interrupt_chain_then_rerun(emulator, KILL_CHAINS[1], {"kms:CreateKey": key_without_alias, "end": key_adopted})
