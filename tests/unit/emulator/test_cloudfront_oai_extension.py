"""boto3 round trips for tools/emulator/extensions/cloudfront_oai.py (origin access identities)."""
from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError


@pytest.fixture
def cf(aws):
    return boto3.client("cloudfront", region_name="us-east-1")


def create(cf, reference: str, comment: str = "legacy") -> dict:
    return cf.create_cloud_front_origin_access_identity(
        CloudFrontOriginAccessIdentityConfig={"CallerReference": reference, "Comment": comment})


def error_code(call, **kwargs) -> str:
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    return raised.value.response["Error"]["Code"]


def test_create_get_and_config(cf):
    created = create(cf, "ref-1")
    identity = created["CloudFrontOriginAccessIdentity"]
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert created["Location"].endswith(f"/origin-access-identity/cloudfront/{identity['Id']}")
    assert identity["Id"].startswith("E") and len(identity["Id"]) == 14 and len(identity["S3CanonicalUserId"]) == 96
    got = cf.get_cloud_front_origin_access_identity(Id=identity["Id"])
    assert got["CloudFrontOriginAccessIdentity"] == identity and got["ETag"] == created["ETag"]
    config = cf.get_cloud_front_origin_access_identity_config(Id=identity["Id"])
    assert config["CloudFrontOriginAccessIdentityConfig"] == {"CallerReference": "ref-1", "Comment": "legacy"}


def test_same_caller_reference_answers_the_same_identity_or_conflicts(cf):
    first = create(cf, "ref-1")["CloudFrontOriginAccessIdentity"]["Id"]
    assert create(cf, "ref-1")["CloudFrontOriginAccessIdentity"]["Id"] == first
    assert error_code(create, cf=cf, reference="ref-1", comment="other") == "CloudFrontOriginAccessIdentityAlreadyExists"


def test_unknown_identity(cf):
    assert error_code(cf.get_cloud_front_origin_access_identity, Id="E000000000000X") == \
        "NoSuchCloudFrontOriginAccessIdentity"


def test_list_pages_with_markers(cf):
    ids = [create(cf, f"ref-{i}")["CloudFrontOriginAccessIdentity"]["Id"] for i in range(5)]
    first = cf.list_cloud_front_origin_access_identities(MaxItems="2")["CloudFrontOriginAccessIdentityList"]
    assert first["IsTruncated"] is True and first["Quantity"] == 2 and first["NextMarker"] == ids[1]
    assert set(first["Items"][0]) == {"Id", "S3CanonicalUserId", "Comment"}
    pages = cf.get_paginator("list_cloud_front_origin_access_identities").paginate(PaginationConfig={"PageSize": 2})
    listed = [item["Id"] for page in pages for item in page["CloudFrontOriginAccessIdentityList"].get("Items", [])]
    assert listed == ids
    whole = cf.list_cloud_front_origin_access_identities()["CloudFrontOriginAccessIdentityList"]
    assert whole["MaxItems"] == 100 and whole["Quantity"] == 5 and whole["IsTruncated"] is False


def test_update_and_delete_need_the_current_etag(cf):
    created = create(cf, "ref-1")
    identity_id, etag = created["CloudFrontOriginAccessIdentity"]["Id"], created["ETag"]
    config = {"CallerReference": "ref-1", "Comment": "renamed"}
    updated = cf.update_cloud_front_origin_access_identity(
        Id=identity_id, IfMatch=etag, CloudFrontOriginAccessIdentityConfig=config)
    assert updated["ETag"] != etag and updated["CloudFrontOriginAccessIdentity"]["CloudFrontOriginAccessIdentityConfig"] == config
    assert error_code(cf.delete_cloud_front_origin_access_identity, Id=identity_id, IfMatch=etag) == "PreconditionFailed"
    assert error_code(cf.update_cloud_front_origin_access_identity, Id=identity_id, IfMatch=updated["ETag"],
                      CloudFrontOriginAccessIdentityConfig={"CallerReference": "other", "Comment": ""}) == "IllegalUpdate"
    cf.delete_cloud_front_origin_access_identity(Id=identity_id, IfMatch=updated["ETag"])
    assert cf.list_cloud_front_origin_access_identities()["CloudFrontOriginAccessIdentityList"]["Quantity"] == 0


def test_an_identity_in_use_cannot_be_deleted(cf):
    created = create(cf, "ref-1")
    identity_id = created["CloudFrontOriginAccessIdentity"]["Id"]
    cf.create_distribution(DistributionConfig={
        "CallerReference": "dist", "Comment": "", "Enabled": False,
        "Origins": {"Quantity": 1, "Items": [{
            "Id": "o", "DomainName": "legacy.s3.us-east-2.amazonaws.com",
            "S3OriginConfig": {"OriginAccessIdentity": f"origin-access-identity/cloudfront/{identity_id}"}}]},
        "DefaultCacheBehavior": {"TargetOriginId": "o", "ViewerProtocolPolicy": "allow-all",
                                 "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6"}})
    assert error_code(cf.delete_cloud_front_origin_access_identity, Id=identity_id, IfMatch=created["ETag"]) == \
        "CloudFrontOriginAccessIdentityInUse"
