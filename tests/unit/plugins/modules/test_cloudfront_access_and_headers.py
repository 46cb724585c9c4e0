"""cloudresume.aws.cloudfront_origin_access_control and cloudfront_security_headers_policy against in-process moto."""
from __future__ import annotations


import boto3
import pytest

from tests.unit.aws_calls import mutating_operations
from ansible_collections.cloudresume.aws.plugins.modules import cloudfront_origin_access_control as oac_module
from ansible_collections.cloudresume.aws.plugins.modules import cloudfront_security_headers_policy as headers_module

OAC = {"name": "site-oac", "description": "site bucket"}
HEADERS = {
    "name": "site-headers",
    "comment": "security headers",
    "strict_transport_security": {"max_age": 31536000, "include_subdomains": True},
    "content_security_policy": "default-src 'self'; connect-src 'self' https://api.example.com",
    "content_type_options": True,
    "frame_options": "DENY",
    "referrer_policy": "strict-origin-when-cross-origin",
}


@pytest.fixture
def cf(aws):
    return boto3.client("cloudfront", region_name="us-east-1")


# ---- origin access control -------------------------------------------------------------------------------
def test_oac_create_then_rerun_is_a_no_op(run_module, cf, operations):
    result, failed = run_module(oac_module, OAC, diff=True)
    assert not failed and result["changed"]
    control = result["origin_access_control"]
    assert control["id"] and control["signing_behavior"] == "always" and control["origin_type"] == "s3"
    assert result["diff"]["before"] == {}
    operations.clear()
    again, _failed = run_module(oac_module, OAC, diff=True)
    assert not again["changed"] and again["origin_access_control"] == control
    assert mutating_operations(operations) == []
    assert cf.list_origin_access_controls()["OriginAccessControlList"]["Quantity"] == 1


def test_oac_check_mode_creates_and_updates_nothing(run_module, cf, operations):
    result, _failed = run_module(oac_module, OAC, check_mode=True)
    assert result["changed"] and cf.list_origin_access_controls()["OriginAccessControlList"]["Quantity"] == 0
    run_module(oac_module, OAC)
    operations.clear()
    result, _failed = run_module(oac_module, {**OAC, "description": "new"}, check_mode=True, diff=True)
    assert result["changed"] and result["diff"]["after"]["description"] == "new"
    assert mutating_operations(operations) == []


def test_oac_update_uses_the_etag(run_module, cf):
    created, _failed = run_module(oac_module, OAC)
    result, failed = run_module(oac_module, {**OAC, "signing_behavior": "no-override"})
    assert not failed and result["changed"]
    config = cf.get_origin_access_control(Id=created["origin_access_control"]["id"])["OriginAccessControl"]
    assert config["OriginAccessControlConfig"]["SigningBehavior"] == "no-override"


def test_oac_absent(run_module, cf):
    run_module(oac_module, OAC)
    result, failed = run_module(oac_module, {**OAC, "state": "absent"})
    assert not failed and result["changed"]
    assert cf.list_origin_access_controls()["OriginAccessControlList"]["Quantity"] == 0
    again, _failed = run_module(oac_module, {**OAC, "state": "absent"})
    assert not again["changed"]


def test_oac_bad_name_fails_before_any_call(run_module, operations):
    result, failed = run_module(oac_module, {"name": "x" * 65})
    assert failed and result["msg"].startswith("name:")
    assert operations == []


# ---- security headers policy -----------------------------------------------------------------------------
def test_headers_policy_create_sets_every_header(run_module, cf):
    result, failed = run_module(headers_module, HEADERS)
    assert not failed and result["changed"]
    policy_id = result["response_headers_policy"]["id"]
    security = cf.get_response_headers_policy_config(Id=policy_id)["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    assert security["StrictTransportSecurity"] == {"Override": True, "AccessControlMaxAgeSec": 31536000,
                                                   "IncludeSubdomains": True, "Preload": False}
    assert security["FrameOptions"]["FrameOption"] == "DENY"
    assert security["ReferrerPolicy"]["ReferrerPolicy"] == "strict-origin-when-cross-origin"
    assert security["ContentSecurityPolicy"]["ContentSecurityPolicy"] == HEADERS["content_security_policy"]
    assert security["ContentTypeOptions"] == {"Override": True}


def test_headers_policy_rerun_makes_no_mutating_call(run_module, cf, operations):
    run_module(headers_module, HEADERS)
    operations.clear()
    result, _failed = run_module(headers_module, HEADERS, diff=True)
    assert not result["changed"] and result["diff"]["before"] == result["diff"]["after"]
    assert mutating_operations(operations) == []


def test_headers_policy_changed_csp_updates_in_place(run_module, cf, operations):
    created, _failed = run_module(headers_module, HEADERS)
    changed = {**HEADERS, "content_security_policy": "default-src 'self'"}
    operations.clear()
    planned, _failed = run_module(headers_module, changed, check_mode=True, diff=True)
    assert planned["changed"] and mutating_operations(operations) == []
    assert planned["diff"]["after"]["content_security_policy"] == "default-src 'self'"
    result, _failed = run_module(headers_module, changed)
    assert result["changed"] and result["response_headers_policy"]["id"] == created["response_headers_policy"]["id"]
    assert "UpdateResponseHeadersPolicy" in operations
    assert cf.list_response_headers_policies(Type="custom")["ResponseHeadersPolicyList"]["Quantity"] == 1


@pytest.mark.parametrize(("change", "field"), [
    ({"name": "bad name!"}, "name:"),
    ({"custom_headers": {"X-Frame-Options": "SAMEORIGIN"}}, "custom_headers:"),
    ({"strict_transport_security": {"max_age": -1}}, "strict_transport_security.max_age:"),
])
def test_headers_policy_bad_input_fails_before_any_call(run_module, operations, change, field):
    result, failed = run_module(headers_module, {**HEADERS, **change})
    assert failed and result["msg"].startswith(field)
    assert operations == []
