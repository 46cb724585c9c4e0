"""cloudresume.aws.s3_site_sync with distribution_id: owed invalidations survive an interruption, own references."""
from __future__ import annotations

import json
from unittest import mock

import boto3
import botocore.client
import pytest
from botocore.exceptions import ClientError

from ansible_collections.cloudresume.aws.plugins.modules import s3_site_sync

BUCKET = "site-bucket"  # made by the s3 fixture (conftest.py)
RECORD = ".deploy/pending-invalidation.json"


class Interrupted(Exception):
    """Stands for the run being killed at that moment."""


def interrupt(*args, **kwargs):
    raise Interrupted()


@pytest.fixture
def cloudfront(aws):
    return boto3.client("cloudfront", region_name="us-east-1")


@pytest.fixture
def distribution_id(cloudfront):
    config = {
        "CallerReference": "site", "Comment": "site", "Enabled": True,
        "Origins": {"Quantity": 1, "Items": [{"Id": "s3", "DomainName": f"{BUCKET}.s3.us-east-2.amazonaws.com",
                                              "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
        "DefaultCacheBehavior": {"TargetOriginId": "s3", "ViewerProtocolPolicy": "redirect-to-https",
                                 "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6"},
    }
    return cloudfront.create_distribution(DistributionConfig=config)["Distribution"]["Id"]


@pytest.fixture
def site(tmp_path):
    (tmp_path / "index.html").write_text("<!doctype html><title>cv</title>")
    (tmp_path / "main.js").write_text("export const version = 'A';")
    return tmp_path


def sync(run_module, site, distribution_id, check_mode=False, **extra):
    return run_module(s3_site_sync, {"bucket": BUCKET, "src": str(site), "delete": True,
                                     "distribution_id": distribution_id, **extra}, check_mode=check_mode)


def invalidations(cloudfront, distribution_id):
    listed = cloudfront.list_invalidations(DistributionId=distribution_id)["InvalidationList"].get("Items", [])
    batches = [cloudfront.get_invalidation(DistributionId=distribution_id, Id=i["Id"])["Invalidation"]["InvalidationBatch"]
               for i in listed]
    return [(b["CallerReference"], sorted(b["Paths"].get("Items", []))) for b in batches]


def sync_killed_in(owner, method, run_module, site, distribution_id, monkeypatch):
    """A sync whose run is killed when it reaches ``owner.method``."""
    with monkeypatch.context() as patch:
        patch.setattr(owner, method, interrupt)
        with pytest.raises(Interrupted):
            sync(run_module, site, distribution_id)


def record(s3):
    try:
        return json.loads(s3.get_object(Bucket=BUCKET, Key=RECORD)["Body"].read())
    except ClientError:
        return None


def test_changes_are_invalidated_and_the_record_removed(run_module, s3, cloudfront, distribution_id, site):
    result, failed = sync(run_module, site, distribution_id)
    assert not failed and result["changed"]
    assert result["invalidation"]["paths"] == ["/", "/index.html", "/main.js"]
    assert result["invalidation"]["id"] and not result["invalidation"]["owed_from_earlier_run"]
    assert invalidations(cloudfront, distribution_id) == [(result["invalidation"]["caller_reference"],
                                                           ["/", "/index.html", "/main.js"])]
    assert record(s3) is None
    assert sorted(o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]) == ["index.html", "main.js"]


def test_rerun_without_changes_reads_the_record_only(run_module, s3, distribution_id, site, operations):
    sync(run_module, site, distribution_id)
    operations.clear()
    result, _failed = sync(run_module, site, distribution_id)
    assert not result["changed"] and result["invalidation"] == {}
    assert [o for o in operations if o not in ("ListObjectsV2", "HeadObject", "GetObject")] == []


def test_an_interrupted_invalidation_is_made_by_the_rerun(run_module, s3, cloudfront, distribution_id, site,
                                                          monkeypatch):
    sync(run_module, site, distribution_id)
    (site / "main.js").write_text("export const version = 'B';")

    sync_killed_in(s3_site_sync.Invalidator, "invalidate", run_module, site, distribution_id, monkeypatch)
    owed = record(s3)
    assert owed["paths"] == ["/main.js"]
    assert s3.get_object(Bucket=BUCKET, Key="main.js")["Body"].read() == b"export const version = 'B';"

    result, _failed = sync(run_module, site, distribution_id)
    assert result["changed"] and result["uploaded"] == []
    assert result["invalidation"]["owed_from_earlier_run"]
    assert result["invalidation"]["caller_reference"] == owed["caller_reference"]
    assert invalidations(cloudfront, distribution_id)[-1] == (owed["caller_reference"], ["/main.js"])
    assert record(s3) is None


def test_owed_paths_join_the_next_change(run_module, s3, cloudfront, distribution_id, site, monkeypatch):
    sync(run_module, site, distribution_id)
    (site / "main.js").write_text("export const version = 'B';")
    sync_killed_in(s3_site_sync.Invalidator, "invalidate", run_module, site, distribution_id, monkeypatch)
    earlier = record(s3)["caller_reference"]
    (site / "index.html").write_text("<!doctype html><title>cv 2</title>")
    result, _failed = sync(run_module, site, distribution_id)
    assert result["invalidation"]["paths"] == ["/", "/index.html", "/main.js"]
    assert result["invalidation"]["caller_reference"] != earlier  # other paths: a reference of their own


def test_killed_after_cloudfront_accepted_makes_no_second_invalidation(
        run_module, s3, cloudfront, distribution_id, site, monkeypatch):
    sync_killed_in(s3_site_sync.SiteSync, "clear_pending", run_module, site, distribution_id, monkeypatch)
    assert len(invalidations(cloudfront, distribution_id)) == 1
    result, _failed = sync(run_module, site, distribution_id)
    assert result["invalidation"]["owed_from_earlier_run"]
    assert len(invalidations(cloudfront, distribution_id)) == 1  # same reference and paths: the same invalidation
    assert record(s3) is None


def test_reverted_content_gets_a_new_invalidation_each_time(run_module, s3, cloudfront, distribution_id, site):
    references = []
    for version in ("A", "B", "A"):
        (site / "main.js").write_text(f"export const version = '{version}';")
        result, _failed = sync(run_module, site, distribution_id)
        references.append(result["invalidation"]["caller_reference"])
    assert len(set(references)) == 3
    made = invalidations(cloudfront, distribution_id)
    assert len(made) == 3 and made[-1] == (references[-1], ["/main.js"])


def test_check_mode_reports_an_owed_invalidation_without_any_write(run_module, s3, distribution_id, site, operations):
    sync(run_module, site, distribution_id)
    s3.put_object(Bucket=BUCKET, Key=RECORD, Body=json.dumps({"caller_reference": "r1", "paths": ["/main.js"]}))
    operations.clear()
    result, _failed = sync(run_module, site, distribution_id, check_mode=True)
    assert result["changed"] and result["invalidation"] == {"id": "", "caller_reference": "", "paths": ["/main.js"],
                                                            "owed_from_earlier_run": True}
    assert [o for o in operations if o not in ("ListObjectsV2", "HeadObject", "GetObject")] == []


def test_an_unreadable_record_invalidates_everything(run_module, s3, cloudfront, distribution_id, site):
    sync(run_module, site, distribution_id)
    s3.put_object(Bucket=BUCKET, Key=RECORD, Body=b"not json")
    result, _failed = sync(run_module, site, distribution_id)
    assert result["invalidation"]["paths"] == ["/*"]
    assert record(s3) is None


def test_the_record_is_never_site_content(run_module, s3, distribution_id, site):
    (site / ".deploy").mkdir()
    (site / ".deploy" / "pending-invalidation.json").write_text("{}")
    result, failed = sync(run_module, site, distribution_id, exclude=[])
    assert failed and result["msg"].startswith("pending_invalidation_key:")
    assert "Contents" not in s3.list_objects_v2(Bucket=BUCKET)


@pytest.mark.parametrize(("operation", "message"), [
    ("DeleteObject", f"Invalidated, but failed to remove the record {RECORD}"),
    ("CreateInvalidation", "Failed to invalidate 3 paths of distribution {distribution_id}; they stay recorded and the "
                           "next run invalidates them"),
    ("PutObject", f"Failed to record the paths to invalidate in {RECORD}"),
])
def test_a_refused_call_fails_saying_what_was_done(run_module, s3, distribution_id, site, operation, message):
    """AccessDenied on one call: the message says where the run stopped, the AWS error comes with it."""
    original = botocore.client.BaseClient._make_api_call

    def refuse(client, name, params):
        if name == operation:
            raise ClientError({"Error": {"Code": "AccessDenied", "Message": "denied"}}, name)
        return original(client, name, params)

    with mock.patch.object(botocore.client.BaseClient, "_make_api_call", refuse):
        result, failed = sync(run_module, site, distribution_id)
    assert failed and result["msg"] == message.format(distribution_id=distribution_id) + (
        f": An error occurred (AccessDenied) when calling the {operation} operation: denied")
    assert result["error"]["code"] == "AccessDenied"
