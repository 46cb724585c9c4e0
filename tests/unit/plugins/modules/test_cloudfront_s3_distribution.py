"""cloudresume.aws.cloudfront_s3_distribution against in-process moto (with the emulator's extensions)."""
from __future__ import annotations


import boto3
import pytest

from tests.unit.aws_calls import mutating_operations
from ansible_collections.cloudresume.aws.plugins.modules import cloudfront_s3_distribution as module

DOMAIN = "site-123456789012.s3.us-east-2.amazonaws.com"
ERRORS = [{"error_code": 403, "response_page_path": "/404.html", "response_code": 404},
          {"error_code": 404, "response_page_path": "/404.html", "response_code": 404}]


@pytest.fixture
def cf(aws):
    return boto3.client("cloudfront", region_name="us-east-1")


@pytest.fixture
def oac_id(cf):
    return cf.create_origin_access_control(OriginAccessControlConfig={
        "Name": "site", "Description": "", "SigningProtocol": "sigv4", "SigningBehavior": "always",
        "OriginAccessControlOriginType": "s3"})["OriginAccessControl"]["Id"]


@pytest.fixture
def args(oac_id):
    return {"caller_reference": "site", "comment": "cloudresume résumé site", "origin_domain_name": DOMAIN,
            "origin_access_control_id": oac_id, "response_headers_policy_id": "policy-1",
            "custom_error_responses": ERRORS, "tags": {"Stack": "cloudresume"}}


def test_create_sets_every_setting(run_module, cf, args):
    result, failed = run_module(module, args, diff=True)
    assert not failed and result["changed"]
    dist = result["distribution"]
    config = cf.get_distribution_config(Id=dist["id"])["DistributionConfig"]
    origin = config["Origins"]["Items"][0]
    assert origin["DomainName"] == DOMAIN and origin["OriginAccessControlId"] == args["origin_access_control_id"]
    assert origin["S3OriginConfig"] == {"OriginAccessIdentity": ""}
    behavior = config["DefaultCacheBehavior"]
    assert behavior["ViewerProtocolPolicy"] == "redirect-to-https" and behavior["Compress"] is True
    assert behavior["CachePolicyId"] == "658327ea-f89d-4fab-a63d-7e88639e58f6"
    assert behavior["ResponseHeadersPolicyId"] == "policy-1"
    assert (config["HttpVersion"], config["PriceClass"], config["DefaultRootObject"]) == (
        "http2and3", "PriceClass_100", "index.html")
    assert [(e["ErrorCode"], e["ResponsePagePath"], e["ResponseCode"]) for e in config["CustomErrorResponses"]["Items"]] \
        == [(403, "/404.html", "404"), (404, "/404.html", "404")]
    assert cf.list_tags_for_resource(Resource=dist["arn"])["Tags"]["Items"] == [{"Key": "Stack", "Value": "cloudresume"}]
    assert dist["domain_name"].endswith(".cloudfront.net") and result["diff"]["before"] == {}


def test_rerun_reads_one_config_and_mutates_nothing(run_module, cf, args, operations):
    run_module(module, args)
    operations.clear()
    result, _failed = run_module(module, args, diff=True)
    assert not result["changed"] and result["diff"]["before"] == result["diff"]["after"]
    assert mutating_operations(operations) == []
    assert operations.count("GetDistributionConfig") == 1


def test_found_by_caller_reference_even_when_origin_changed(run_module, cf, args):
    first, _failed = run_module(module, args)
    moved = {**args, "origin_domain_name": "other-bucket.s3.us-east-2.amazonaws.com"}
    result, failed = run_module(module, moved)
    assert not failed and result["changed"]
    assert result["distribution"]["id"] == first["distribution"]["id"]
    assert cf.list_distributions()["DistributionList"]["Quantity"] == 1


def neighbour(cf, oac_id, caller_reference: str, comment: str) -> str:
    """A distribution of another stack: its own caller reference, comment and bucket."""
    config = module.wanted_config({"caller_reference": caller_reference, "comment": comment, "enabled": True,
                                   "origin_domain_name": f"{caller_reference}.s3.us-east-2.amazonaws.com",
                                   "origin_id": "s3-site", "origin_path": "", "origin_access_control_id": oac_id,
                                   "default_root_object": "index.html", "viewer_protocol_policy": "redirect-to-https",
                                   "compress": True, "cache_policy_id": "658327ea-f89d-4fab-a63d-7e88639e58f6",
                                   "response_headers_policy_id": None, "custom_error_responses": [],
                                   "price_class": "PriceClass_100", "http_version": "http2and3",
                                   "ipv6_enabled": True}, None)
    return cf.create_distribution(DistributionConfig=config)["Distribution"]["Id"]


def test_other_distributions_are_never_read(run_module, cf, args, oac_id, operations):
    for index in range(3):
        neighbour(cf, oac_id, f"other-{index}", f"other résumé site {index}")
    created, _failed = run_module(module, args)
    operations.clear()
    result, _failed = run_module(module, args)
    assert not result["changed"] and operations.count("GetDistributionConfig") == 1
    operations.clear()
    gone, failed = run_module(module, {"caller_reference": "site", "comment": args["comment"], "state": "absent",
                                       "wait_timeout": 60})
    assert not failed and gone["changed"]
    assert operations.count("GetDistributionConfig") == 1
    assert cf.list_distributions()["DistributionList"]["Quantity"] == 3
    assert created["distribution"]["id"] not in [d["Id"] for d in cf.list_distributions()["DistributionList"]["Items"]]


def test_a_known_id_is_read_directly_without_listing(run_module, cf, args, oac_id, operations):
    other = neighbour(cf, oac_id, "other", "other résumé site")
    created, _failed = run_module(module, args)
    operations.clear()
    result, failed = run_module(module, {**args, "distribution_id": created["distribution"]["id"]}, diff=True)
    assert not failed and not result["changed"] and result["diff"]["before"] == result["diff"]["after"]
    assert "ListDistributions" not in operations and operations.count("GetDistribution") == 1
    assert mutating_operations(operations) == []
    for wrong in (other, "E0000000000000"):  # another stack's distribution, or none with that id: the listing
        operations.clear()
        result, failed = run_module(module, {**args, "distribution_id": wrong})
        assert not failed and not result["changed"] and result["distribution"]["id"] == created["distribution"]["id"]
        assert "ListDistributions" in operations and mutating_operations(operations) == []
    assert cf.list_distributions()["DistributionList"]["Quantity"] == 2


def test_a_caller_reference_taken_by_an_unrecognisable_distribution_is_reported(run_module, cf, args, oac_id):
    neighbour(cf, oac_id, "site", "renamed by hand")
    result, failed = run_module(module, args)
    assert failed and result["msg"].startswith("caller_reference:") and "renamed" not in result["msg"]
    assert cf.list_distributions()["DistributionList"]["Quantity"] == 1


def test_absent_needs_something_to_find_the_distribution_by(run_module, cf, operations):
    result, failed = run_module(module, {"caller_reference": "site", "state": "absent"})
    assert failed and result["msg"] == "state is absent but any of the following are missing: comment, origin_domain_name"
    result, failed = run_module(module, {"caller_reference": "site", "comment": "", "state": "absent"})
    assert failed and result["msg"].startswith("comment or origin_domain_name:")
    assert operations == []


def test_check_mode_creates_nothing(run_module, cf, args, operations):
    result, failed = run_module(module, args, check_mode=True, diff=True)
    assert not failed and result["changed"]
    assert result["diff"]["after"]["price_class"] == "PriceClass_100"
    assert mutating_operations(operations) == []


def test_check_mode_reports_an_update_without_making_it(run_module, cf, args, operations):
    run_module(module, args)
    operations.clear()
    result, _failed = run_module(module, {**args, "price_class": "PriceClass_All", "tags": {"Stack": "x"}},
                                 check_mode=True, diff=True)
    assert result["changed"] and mutating_operations(operations) == []
    assert result["diff"]["before"]["price_class"] == "PriceClass_100"
    assert result["diff"]["after"]["price_class"] == "PriceClass_All"
    assert result["diff"]["after"]["tags"] == {"Stack": "x"}


def test_update_sends_the_etag_and_keeps_unmanaged_settings(run_module, cf, args, operations):
    first, _failed = run_module(module, args)
    dist_id = first["distribution"]["id"]
    current = cf.get_distribution_config(Id=dist_id)
    config = dict(current["DistributionConfig"], Logging={"Enabled": True, "IncludeCookies": False,
                                                          "Bucket": "logs.s3.amazonaws.com", "Prefix": "cf/"})
    cf.update_distribution(Id=dist_id, IfMatch=current["ETag"], DistributionConfig=config)
    operations.clear()
    result, failed = run_module(module, {**args, "response_headers_policy_id": None})
    assert not failed and result["changed"]
    assert operations.count("UpdateDistribution") == 1 and "TagResource" not in operations
    config = cf.get_distribution_config(Id=dist_id)["DistributionConfig"]
    assert "ResponseHeadersPolicyId" not in config["DefaultCacheBehavior"]
    assert config["Logging"]["Prefix"] == "cf/"


def test_tag_change_alone_does_not_update_the_config(run_module, cf, args, operations):
    run_module(module, args)
    operations.clear()
    result, _failed = run_module(module, {**args, "tags": {"Stack": "cloudresume", "Owner": "me"}})
    assert result["changed"] and result["distribution"]["tags"] == {"Stack": "cloudresume", "Owner": "me"}
    assert mutating_operations(operations) == ["TagResource"]


def test_absent_disables_then_deletes(run_module, cf, args):
    run_module(module, args)
    result, failed = run_module(module, {"caller_reference": "site", "comment": "cloudresume résumé site",
                                         "state": "absent", "wait_timeout": 60})
    assert not failed and result["changed"]
    assert cf.list_distributions()["DistributionList"]["Quantity"] == 0
    again, _failed = run_module(module, {"caller_reference": "site", "origin_domain_name": DOMAIN, "state": "absent"})
    assert not again["changed"]


@pytest.mark.parametrize(("enabled", "status", "waits"), [
    (True, "Deployed", True),  # disabled here: wait for the change to deploy
    (False, "InProgress", True),  # a previous teardown was interrupted during its wait
    (False, "Deployed", False),  # already disabled and deployed: delete at once
])
def test_absent_waits_until_the_disabled_distribution_is_deployed(
        run_module, cf, args, monkeypatch, enabled, status, waits):
    distribution_id = run_module(module, args)[0]["distribution"]["id"]
    if not enabled:
        current = cf.get_distribution_config(Id=distribution_id)
        cf.update_distribution(Id=distribution_id, IfMatch=current["ETag"],
                               DistributionConfig=dict(current["DistributionConfig"], Enabled=False))
    original_find = module.DistributionManager.find

    def find(self):
        found = original_find(self)
        found["summary"]["Status"] = status  # the emulator deploys instantly; AWS takes minutes
        return found

    waited: list[str] = []
    monkeypatch.setattr(module.DistributionManager, "find", find)

    def wait(self, distribution_id, reason, always=False):
        waited.append(distribution_id)

    monkeypatch.setattr(module.DistributionManager, "wait", wait)
    result, failed = run_module(module, {"caller_reference": "site", "origin_domain_name": DOMAIN, "state": "absent"})
    assert not failed and result["changed"]
    assert bool(waited) is waits


@pytest.mark.parametrize(("change", "field"), [
    ({"origin_domain_name": "site.s3-website.us-east-2.amazonaws.com"}, "origin_domain_name:"),
    ({"origin_domain_name": "site.s3.us-east-2.amazonaws.com\n"}, "origin_domain_name:"),
    ({"tags": {"Project": "x" * 257}}, "tags:"),
    ({"origin_access_control_id": None}, "origin_access_control_id:"),
    ({"custom_error_responses": [{"error_code": 418}]}, "custom_error_responses[0].error_code:"),
    ({"custom_error_responses": [{"error_code": 404, "response_page_path": "/404.html"}]},
     "parameters are required together: response_page_path, response_code found in custom_error_responses"),
    ({"custom_error_responses": [{"error_code": 404, "response_page_path": "", "response_code": 404}]},
     "custom_error_responses[0]:"),
    ({"comment": None}, "comment:"),
    ({"origin_access_control_id": ""}, "origin_access_control_id:"),
    ({"custom_error_responses": [{"error_code": 404, "response_page_path": "404.html", "response_code": 404}]},
     "custom_error_responses[0].response_page_path:"),
    ({"comment": "x" * 129}, "comment:"),
    ({"default_root_object": "/index.html"}, "default_root_object:"),
])
def test_bad_input_fails_before_any_call(run_module, args, operations, change, field):
    operations.clear()
    result, failed = run_module(module, {**args, **change})
    assert failed and result["msg"].startswith(field)
    assert operations == []


def test_present_requires_the_origin(run_module, args, operations):
    operations.clear()
    result, failed = run_module(module, {k: v for k, v in args.items() if k != "origin_access_control_id"})
    assert failed and result["msg"] == ("state is present but any of the following are missing: "
                                        "origin_access_control_id, origin_access_control")
    assert operations == []
