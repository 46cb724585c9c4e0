"""cloudfront_s3_distribution with its origin access control and response headers policy in the same task (moto)."""
from __future__ import annotations

import boto3
import pytest

from tests.unit.aws_calls import mutating_operations
from ansible_collections.cloudresume.aws.plugins.modules import cloudfront_origin_access_control as oac_module
from ansible_collections.cloudresume.aws.plugins.modules import cloudfront_s3_distribution as module
from ansible_collections.cloudresume.aws.plugins.modules import cloudfront_security_headers_policy as headers_module

DOMAIN = "site-123456789012.s3.us-east-2.amazonaws.com"
OAC = {"name": "site-oac", "description": "CloudFront access to the site bucket"}
HEADERS = {
    "name": "site-headers",
    "comment": "security headers",
    "strict_transport_security": {"max_age": 31536000, "include_subdomains": True},
    "content_security_policy": "default-src 'self'",
    "content_type_options": True,
    "frame_options": "DENY",
    "referrer_policy": "strict-origin-when-cross-origin",
}
ARGS = {"caller_reference": "site", "comment": "cloudresume résumé site", "origin_domain_name": DOMAIN,
        "origin_access_control": OAC, "response_headers_policy": HEADERS, "tags": {"Stack": "cloudresume"}}
ABSENT = {"caller_reference": "site", "comment": ARGS["comment"], "origin_access_control": {"name": OAC["name"]},
          "response_headers_policy": {"name": HEADERS["name"]}, "state": "absent", "wait_timeout": 60}
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"


@pytest.fixture
def cf(aws):
    return boto3.client("cloudfront", region_name="us-east-1")


def controls(cf) -> list[str]:
    return [c["Name"] for c in cf.list_origin_access_controls()["OriginAccessControlList"].get("Items", [])]


def policies(cf) -> list[str]:
    return [p["ResponseHeadersPolicy"]["ResponseHeadersPolicyConfig"]["Name"]
            for p in cf.list_response_headers_policies(Type="custom")["ResponseHeadersPolicyList"].get("Items", [])]


def test_create_makes_the_three_and_wires_them(run_module, cf, operations):
    result, failed = run_module(module, ARGS, diff=True)
    assert not failed and result["changed"], result.get("msg")
    assert mutating_operations(operations) == ["CreateOriginAccessControl", "CreateResponseHeadersPolicy",
                                               "CreateDistributionWithTags"]
    control, policy = result["origin_access_control"], result["response_headers_policy"]
    assert control["id"] and control["name"] == "site-oac" and control["signing_behavior"] == "always"
    assert policy["id"] and policy["frame_options"] == "DENY" and policy["content_security_policy"] == "default-src 'self'"
    config = cf.get_distribution_config(Id=result["distribution"]["id"])["DistributionConfig"]
    assert config["Origins"]["Items"][0]["OriginAccessControlId"] == control["id"]
    assert config["DefaultCacheBehavior"]["ResponseHeadersPolicyId"] == policy["id"]
    assert result["diff"]["before"] == {"origin_access_control": {}, "response_headers_policy": {}}
    assert result["diff"]["after"]["origin_access_control"] == control
    assert result["diff"]["after"]["origins"][0]["origin_access_control_id"] == control["id"]
    # The standalone modules read back the same settings: the same code, no change.
    assert not run_module(oac_module, OAC)[0]["changed"]
    assert not run_module(headers_module, HEADERS)[0]["changed"]


def test_rerun_reads_the_two_by_the_ids_the_distribution_names(run_module, cf, operations):
    created, _failed = run_module(module, ARGS)
    for known in ({"distribution_id": created["distribution"]["id"]}, {}):  # read directly, or found in the listing
        operations.clear()
        result, failed = run_module(module, {**ARGS, **known}, diff=True)
        assert not failed and not result["changed"] and result["diff"]["before"] == result["diff"]["after"]
        assert mutating_operations(operations) == []
        assert "ListOriginAccessControls" not in operations and "ListResponseHeadersPolicies" not in operations
        assert operations.count("GetOriginAccessControl") == operations.count("GetResponseHeadersPolicy") == 1
        assert result["origin_access_control"] == created["origin_access_control"]
        assert result["response_headers_policy"] == created["response_headers_policy"]
    assert operations == ["ListDistributions", "GetDistributionConfig", "ListTagsForResource",
                          "GetOriginAccessControl", "GetResponseHeadersPolicy"]


def test_drift_in_the_headers_policy_is_put_back_in_place(run_module, cf, operations):
    created, _failed = run_module(module, ARGS)
    policy_id = created["response_headers_policy"]["id"]
    current = cf.get_response_headers_policy(Id=policy_id)
    config = current["ResponseHeadersPolicy"]["ResponseHeadersPolicyConfig"]
    config["SecurityHeadersConfig"]["FrameOptions"]["FrameOption"] = "SAMEORIGIN"  # changed by hand
    cf.update_response_headers_policy(Id=policy_id, IfMatch=current["ETag"], ResponseHeadersPolicyConfig=config)
    known = {**ARGS, "distribution_id": created["distribution"]["id"]}
    operations.clear()
    planned, _failed = run_module(module, known, check_mode=True, diff=True)
    assert planned["changed"] and mutating_operations(operations) == []
    assert planned["diff"]["before"]["response_headers_policy"]["frame_options"] == "SAMEORIGIN"
    assert planned["diff"]["after"]["response_headers_policy"]["frame_options"] == "DENY"
    assert planned["diff"]["before"]["origins"] == planned["diff"]["after"]["origins"]
    result, failed = run_module(module, known)
    assert not failed and result["changed"] and mutating_operations(operations) == ["UpdateResponseHeadersPolicy"]
    assert result["response_headers_policy"]["id"] == policy_id
    assert cf.get_response_headers_policy(Id=policy_id)["ResponseHeadersPolicy"]["ResponseHeadersPolicyConfig"][
        "SecurityHeadersConfig"]["FrameOptions"]["FrameOption"] == "DENY"
    assert not run_module(module, known)[0]["changed"]


def test_check_mode_on_an_empty_account_plans_the_three(run_module, cf, operations):
    result, failed = run_module(module, ARGS, check_mode=True, diff=True)
    assert not failed and result["changed"]
    assert mutating_operations(operations) == []
    assert operations == ["ListDistributions", "ListOriginAccessControls", "ListResponseHeadersPolicies"]
    assert result["origin_access_control"] == {"id": "", **OAC, "origin_type": "s3", "signing_behavior": "always",
                                               "signing_protocol": "sigv4"}
    assert result["response_headers_policy"]["id"] == "" and result["response_headers_policy"]["name"] == "site-headers"
    planned = result["distribution"]
    assert planned["id"] == "" and planned["origins"][0]["origin_access_control_id"] == module.PLANNED_ID
    assert planned["response_headers_policy_id"] == module.PLANNED_ID and planned["tags"] == {"Stack": "cloudresume"}
    assert result["diff"]["after"]["response_headers_policy"]["referrer_policy"] == "strict-origin-when-cross-origin"
    assert controls(cf) == [] and policies(cf) == []


def test_a_renamed_control_is_created_and_the_distribution_diffed_with_a_placeholder(run_module, cf, operations):
    created, _failed = run_module(module, ARGS)
    renamed = {**ARGS, "origin_access_control": {**OAC, "name": "site-oac-2"},
               "distribution_id": created["distribution"]["id"]}
    operations.clear()
    planned, _failed = run_module(module, renamed, check_mode=True, diff=True)
    assert planned["changed"] and mutating_operations(operations) == []
    assert planned["diff"]["before"]["origins"][0]["origin_access_control_id"] == created["origin_access_control"]["id"]
    assert planned["diff"]["after"]["origins"][0]["origin_access_control_id"] == module.PLANNED_ID
    assert "ListOriginAccessControls" in operations  # the id the distribution names has another name
    result, failed = run_module(module, renamed)
    assert not failed and result["changed"]
    new_id = result["origin_access_control"]["id"]
    assert new_id != created["origin_access_control"]["id"] and sorted(controls(cf)) == ["site-oac", "site-oac-2"]
    config = cf.get_distribution_config(Id=created["distribution"]["id"])["DistributionConfig"]
    assert config["Origins"]["Items"][0]["OriginAccessControlId"] == new_id


def test_teardown_deletes_the_three_without_listing_the_two(run_module, cf, operations):
    run_module(module, ARGS)
    operations.clear()
    planned, failed = run_module(module, ABSENT, check_mode=True, diff=True)
    assert not failed and planned["changed"] and mutating_operations(operations) == []
    assert planned["diff"]["after"] == {"origin_access_control": {}, "response_headers_policy": {}}
    operations.clear()
    result, failed = run_module(module, ABSENT)
    assert not failed and result["changed"]
    assert result["origin_access_control"] == {} and result["response_headers_policy"] == {}
    assert mutating_operations(operations) == ["UpdateDistribution", "DeleteDistribution",
                                               "DeleteOriginAccessControl", "DeleteResponseHeadersPolicy"]
    assert "ListOriginAccessControls" not in operations and "ListResponseHeadersPolicies" not in operations
    assert controls(cf) == [] and policies(cf) == []
    again, failed = run_module(module, ABSENT)
    assert not failed and not again["changed"]


def test_teardown_keeps_a_control_another_distribution_uses(run_module, cf):
    created, _failed = run_module(module, ARGS)
    control_id = created["origin_access_control"]["id"]
    other = cf.create_distribution(DistributionConfig={
        "CallerReference": "other", "Comment": "another site", "Enabled": False,
        "Origins": {"Quantity": 1, "Items": [{"Id": "s3", "DomainName": "other.s3.us-east-2.amazonaws.com",
                                              "OriginAccessControlId": control_id,
                                              "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
        "DefaultCacheBehavior": {"TargetOriginId": "s3", "ViewerProtocolPolicy": "redirect-to-https",
                                 "CachePolicyId": CACHING_OPTIMIZED}})["Distribution"]
    result, failed = run_module(module, ABSENT)
    assert failed
    assert result["msg"].startswith("Failed to delete the origin access control (a distribution may still use it)")
    assert result["error"]["code"] == "OriginAccessControlInUse"
    # The same answer as the standalone module gives.
    alone, alone_failed = run_module(oac_module, {"name": OAC["name"], "state": "absent"})
    assert alone_failed and alone["msg"] == result["msg"]
    # The distribution and the policy are gone, the control is kept; nothing else of the other site was touched.
    assert [d["Id"] for d in cf.list_distributions()["DistributionList"]["Items"]] == [other["Id"]]
    assert controls(cf) == ["site-oac"] and policies(cf) == []
    # Once the other distribution is gone, a rerun (no distribution left: the control found by name) deletes it.
    cf.delete_distribution(Id=other["Id"], IfMatch=cf.get_distribution(Id=other["Id"])["ETag"])
    result, failed = run_module(module, ABSENT)
    assert not failed and result["changed"] and controls(cf) == []


@pytest.mark.parametrize(("change", "message"), [
    ({"origin_access_control": {"name": "x" * 65}}, "origin_access_control.name:"),
    ({"origin_access_control": {**OAC, "description": "x" * 257}}, "origin_access_control.description:"),
    ({"response_headers_policy": {**HEADERS, "name": "bad name!"}}, "response_headers_policy.name:"),
    ({"response_headers_policy": {**HEADERS, "custom_headers": {"X-Frame-Options": "DENY"}}},
     "response_headers_policy.custom_headers:"),
    ({"origin_access_control_id": "E2QWRUHAPOMQZL"},
     "parameters are mutually exclusive: origin_access_control_id|origin_access_control"),
    ({"response_headers_policy_id": "policy-1"},
     "parameters are mutually exclusive: response_headers_policy_id|response_headers_policy"),
    ({"origin_access_control": {"description": "no name"}},
     "missing required arguments: name found in origin_access_control"),
])
def test_bad_input_fails_before_any_call(run_module, cf, operations, change, message):
    result, failed = run_module(module, {**ARGS, **change})
    assert failed and result["msg"].startswith(message), result["msg"]
    assert operations == []
