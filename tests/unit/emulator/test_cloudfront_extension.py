"""boto3 round trips for tools/emulator/extensions/cloudfront.py (the CloudFront gaps the static_site layer meets)."""
from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
HEADERS = {
    "Name": "site-headers",
    "Comment": "security headers",
    "SecurityHeadersConfig": {
        "StrictTransportSecurity": {"Override": True, "AccessControlMaxAgeSec": 31536000, "IncludeSubdomains": True},
        "ContentTypeOptions": {"Override": True},
        "FrameOptions": {"Override": True, "FrameOption": "DENY"},
        "ReferrerPolicy": {"Override": True, "ReferrerPolicy": "strict-origin-when-cross-origin"},
        "ContentSecurityPolicy": {"Override": True, "ContentSecurityPolicy": "default-src 'self'"},
    },
}


@pytest.fixture
def cf(aws):
    return boto3.client("cloudfront", region_name="us-east-1")


def _oac(cf, name="site-oac"):
    return cf.create_origin_access_control(OriginAccessControlConfig={
        "Name": name, "Description": "", "SigningProtocol": "sigv4", "SigningBehavior": "always",
        "OriginAccessControlOriginType": "s3"})


def _config(oac_id, policy_id=None, enabled=True):
    behavior = {"TargetOriginId": "s3", "ViewerProtocolPolicy": "redirect-to-https", "Compress": True,
                "CachePolicyId": CACHING_OPTIMIZED}
    if policy_id:
        behavior["ResponseHeadersPolicyId"] = policy_id
    return {
        "CallerReference": "site", "Comment": "site", "Enabled": enabled,
        "Origins": {"Quantity": 1, "Items": [{
            "Id": "s3", "DomainName": "site.s3.us-east-2.amazonaws.com", "OriginAccessControlId": oac_id,
            "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
        "DefaultCacheBehavior": behavior,
    }


def test_origin_keeps_oac_and_cache_policy_has_no_legacy_settings(cf):
    oac_id = _oac(cf)["OriginAccessControl"]["Id"]
    dist = cf.create_distribution(DistributionConfig=_config(oac_id))["Distribution"]
    config = cf.get_distribution_config(Id=dist["Id"])["DistributionConfig"]
    origin = config["Origins"]["Items"][0]
    assert origin["OriginAccessControlId"] == oac_id
    assert origin["S3OriginConfig"] == {"OriginAccessIdentity": ""}
    assert config["DefaultCacheBehavior"]["CachePolicyId"] == CACHING_OPTIMIZED
    assert "ForwardedValues" not in config["DefaultCacheBehavior"]
    assert "MinTTL" not in config["DefaultCacheBehavior"]


def test_distribution_etag_changes_and_stale_if_match_is_rejected(cf):
    oac_id = _oac(cf)["OriginAccessControl"]["Id"]
    dist_id = cf.create_distribution(DistributionConfig=_config(oac_id))["Distribution"]["Id"]
    first = cf.get_distribution_config(Id=dist_id)
    updated = cf.update_distribution(Id=dist_id, IfMatch=first["ETag"], DistributionConfig=first["DistributionConfig"])
    assert updated["ETag"] != first["ETag"]
    assert cf.get_distribution(Id=dist_id)["ETag"] == updated["ETag"]
    with pytest.raises(ClientError) as stale:
        cf.update_distribution(Id=dist_id, IfMatch=first["ETag"], DistributionConfig=first["DistributionConfig"])
    assert stale.value.response["Error"]["Code"] == "PreconditionFailed"
    assert stale.value.response["ResponseMetadata"]["HTTPStatusCode"] == 412


def test_delete_distribution_needs_current_etag_and_disabled(cf):
    oac_id = _oac(cf)["OriginAccessControl"]["Id"]
    dist_id = cf.create_distribution(DistributionConfig=_config(oac_id))["Distribution"]["Id"]
    etag = cf.get_distribution(Id=dist_id)["ETag"]
    with pytest.raises(ClientError) as enabled:
        cf.delete_distribution(Id=dist_id, IfMatch=etag)
    assert enabled.value.response["Error"]["Code"] == "DistributionNotDisabled"
    etag = cf.update_distribution(Id=dist_id, IfMatch=etag, DistributionConfig=_config(oac_id, enabled=False))["ETag"]
    with pytest.raises(ClientError) as stale:
        cf.delete_distribution(Id=dist_id, IfMatch="STALE")
    assert stale.value.response["Error"]["Code"] == "PreconditionFailed"
    cf.delete_distribution(Id=dist_id, IfMatch=etag)
    assert cf.list_distributions()["DistributionList"]["Quantity"] == 0


def test_origin_access_control_etag_unique_name_and_in_use(cf):
    created = _oac(cf)
    oac_id, etag = created["OriginAccessControl"]["Id"], created["ETag"]
    with pytest.raises(ClientError) as duplicate:
        _oac(cf)
    assert duplicate.value.response["Error"]["Code"] == "OriginAccessControlAlreadyExists"
    config = dict(created["OriginAccessControl"]["OriginAccessControlConfig"], Description="changed")
    with pytest.raises(ClientError) as stale:
        cf.update_origin_access_control(Id=oac_id, IfMatch="STALE", OriginAccessControlConfig=config)
    assert stale.value.response["Error"]["Code"] == "PreconditionFailed"
    updated = cf.update_origin_access_control(Id=oac_id, IfMatch=etag, OriginAccessControlConfig=config)
    assert updated["ETag"] != etag
    assert updated["OriginAccessControl"]["OriginAccessControlConfig"]["Description"] == "changed"
    cf.create_distribution(DistributionConfig=_config(oac_id))
    with pytest.raises(ClientError) as in_use:
        cf.delete_origin_access_control(Id=oac_id, IfMatch=updated["ETag"])
    assert in_use.value.response["Error"]["Code"] == "OriginAccessControlInUse"


def test_response_headers_policy_round_trip(cf):
    created = cf.create_response_headers_policy(ResponseHeadersPolicyConfig=HEADERS)
    policy_id, etag = created["ResponseHeadersPolicy"]["Id"], created["ETag"]
    assert created["Location"].endswith(policy_id)
    got = cf.get_response_headers_policy(Id=policy_id)
    assert got["ETag"] == etag
    assert got["ResponseHeadersPolicy"]["ResponseHeadersPolicyConfig"] == HEADERS
    assert cf.get_response_headers_policy_config(Id=policy_id)["ResponseHeadersPolicyConfig"] == HEADERS
    listed = cf.list_response_headers_policies(Type="custom")["ResponseHeadersPolicyList"]["Items"]
    assert [(i["Type"], i["ResponseHeadersPolicy"]["Id"]) for i in listed] == [("custom", policy_id)]
    with pytest.raises(ClientError) as duplicate:
        cf.create_response_headers_policy(ResponseHeadersPolicyConfig=HEADERS)
    assert duplicate.value.response["Error"]["Code"] == "ResponseHeadersPolicyAlreadyExists"
    changed = dict(HEADERS, Comment="changed")
    with pytest.raises(ClientError) as stale:
        cf.update_response_headers_policy(Id=policy_id, IfMatch="STALE", ResponseHeadersPolicyConfig=changed)
    assert stale.value.response["Error"]["Code"] == "PreconditionFailed"
    updated = cf.update_response_headers_policy(Id=policy_id, IfMatch=etag, ResponseHeadersPolicyConfig=changed)
    assert updated["ETag"] != etag
    assert updated["ResponseHeadersPolicy"]["ResponseHeadersPolicyConfig"]["Comment"] == "changed"
    cf.delete_response_headers_policy(Id=policy_id, IfMatch=updated["ETag"])
    with pytest.raises(ClientError) as gone:
        cf.get_response_headers_policy(Id=policy_id)
    assert gone.value.response["Error"]["Code"] == "NoSuchResponseHeadersPolicy"


def test_response_headers_policy_in_use_cannot_be_deleted(cf):
    created = cf.create_response_headers_policy(ResponseHeadersPolicyConfig=HEADERS)
    policy_id = created["ResponseHeadersPolicy"]["Id"]
    oac_id = _oac(cf)["OriginAccessControl"]["Id"]
    dist_id = cf.create_distribution(DistributionConfig=_config(oac_id, policy_id))["Distribution"]["Id"]
    behavior = cf.get_distribution_config(Id=dist_id)["DistributionConfig"]["DefaultCacheBehavior"]
    assert behavior["ResponseHeadersPolicyId"] == policy_id
    with pytest.raises(ClientError) as in_use:
        cf.delete_response_headers_policy(Id=policy_id, IfMatch=created["ETag"])
    assert in_use.value.response["Error"]["Code"] == "ResponseHeadersPolicyInUse"


def _invalidate(cf, dist_id, reference, *paths):
    return cf.create_invalidation(DistributionId=dist_id, InvalidationBatch={
        "Paths": {"Quantity": len(paths), "Items": list(paths)}, "CallerReference": reference})["Invalidation"]


def test_invalidation_caller_reference_is_idempotent(cf):
    dist_id = cf.create_distribution(DistributionConfig=_config(_oac(cf)["OriginAccessControl"]["Id"]))["Distribution"]["Id"]
    first = _invalidate(cf, dist_id, "deploy-1", "/index.html", "/")
    assert _invalidate(cf, dist_id, "deploy-1", "/", "/index.html")["Id"] == first["Id"]
    with pytest.raises(ClientError) as reused:
        _invalidate(cf, dist_id, "deploy-1", "/main.js")
    assert reused.value.response["Error"]["Code"] == "InvalidationBatchAlreadyExists"
    assert _invalidate(cf, dist_id, "deploy-2", "/index.html", "/")["Id"] != first["Id"]
    assert cf.list_invalidations(DistributionId=dist_id)["InvalidationList"]["Quantity"] == 2
