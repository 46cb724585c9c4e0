"""Interruptions that used to lose work, and a bucket name another account owns (see interrupted.py).

The kill points are chained: one deploy is killed at the first, its rerun at the second, and so on, each point in a
later layer than the previous one, so one deploy's worth of runs serves all three:

1. ``s3:CreateBucket``: the bucket comes before anything of the site points at it (no distribution yet).
2. The second ``s3:PutObject`` of the site: s3_site_sync has recorded the paths to invalidate (the first PutObject)
   and uploaded one file, not invalidated it. Before the record, the rerun found that file unchanged and never
   invalidated it; now the rerun invalidates every recorded path under the recorded caller reference.
3. ``kms:CreateKey`` of the alarm topic's key, before its alias: the rerun adopts the key by its tags instead of
   creating a second one. (amazon.aws.kms_key sends CreateAlias a few milliseconds later, faster than the
   request log can be watched: the kill usually lands after it, so the test then removes the alias, which leaves
   the key exactly as a kill in that window would: tagged at creation, without alias.)
"""
from __future__ import annotations

import warnings

import boto3

from .conftest import ROOT, emulator_fixture, run_playbook
from .interrupted import (ONE_OF_EACH, assert_site_owes_nothing, customer_keys, invalidations, kill_after,
                          pending_invalidation, resources, start_deploy)

emulator = emulator_fixture()
SITE = ROOT / "files" / "site"
# The site's files (dot files are not uploaded), the config.json the role writes, and the 404 page and favicon it
# adds from the collection when the folder has none (the sample has none).
SITE_OBJECTS = sorted({p.relative_to(SITE).as_posix() for p in SITE.rglob("*") if p.is_file()
                       and not any(part.startswith(".") for part in p.relative_to(SITE).parts)}
                      | {"config.json", "404.html", "favicon.svg"})
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


def test_chained_kills_lose_neither_an_invalidation_nor_a_key(emulator):
    emulator.command("reset")
    kill_after(emulator, start_deploy(emulator), "s3:CreateBucket")
    assert resources(emulator)["bucket"] == 1 and resources(emulator)["distribution"] == 0

    kill_after(emulator, start_deploy(emulator), "s3:PutObject", nth=2)
    owed = pending_invalidation(emulator)
    made = invalidations(emulator)
    if made:
        # The rest of the uploads and the invalidation took less time than the kill needed to land (a busy
        # machine). Killed after CreateInvalidation, the record may still be there: the rerun then sends the same
        # reference and paths, which CloudFront answers with the same invalidation. The owed rerun itself is
        # unit-tested (tests/unit/plugins/modules/test_s3_site_sync_invalidation.py); say it was not exercised here.
        warnings.warn("the kill at the 2nd s3:PutObject came after the invalidation: the owed-invalidation rerun "
                      "was not exercised in this run")
        assert owed is None or (owed["caller_reference"], owed["paths"]) in made
    else:
        assert owed is not None and owed["paths"] == sorted({f"/{key}" for key in SITE_OBJECTS} | {"/"})

    kill_after(emulator, start_deploy(emulator), "kms:CreateKey")
    if owed is not None:
        assert (owed["caller_reference"], owed["paths"]) in invalidations(emulator)
    assert pending_invalidation(emulator) is None
    kms = emulator.client("kms")
    orphan = customer_keys(emulator)
    assert len(orphan) == 1
    # CreateAlias follows CreateKey within milliseconds (amazon.aws.kms_key reads the new key in between): the kill
    # usually lands after it. Then the alias goes, leaving what a kill in that window leaves.
    for alias in [a["AliasName"] for a in kms.list_aliases()["Aliases"] if a.get("TargetKeyId") == orphan[0]]:
        kms.delete_alias(AliasName=alias)

    rerun = run_playbook(emulator, "site.yml")
    assert rerun.returncode == 0, rerun.output[-3000:]
    assert resources(emulator) == ONE_OF_EACH
    assert customer_keys(emulator) == orphan
    tags = {t["TagKey"]: t["TagValue"] for t in kms.list_resource_tags(KeyId=orphan[0])["Tags"]}
    assert (tags["Stack"], tags["Purpose"]) == ("cloudresume", "alarm-topic")
    assert {a["AliasName"] for a in kms.list_aliases()["Aliases"] if a.get("TargetKeyId") == orphan[0]} == {
        "alias/cloudresume-alarms"}
    assert_site_owes_nothing(emulator)
    assert len(invalidations(emulator)) == 1  # the rerun made no second invalidation of the same content
