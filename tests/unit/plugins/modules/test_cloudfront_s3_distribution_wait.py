"""cloudresume.aws.cloudfront_s3_distribution's waits: status samples with the time waited, logged and returned.

The emulator deploys instantly; AWS takes minutes. Here the status CloudFront answers is a faked sequence and the
clock is a fake one that each sleep advances.
"""
from __future__ import annotations

import boto3
import pytest
from ansible.module_utils import basic

from ansible_collections.cloudresume.aws.plugins.modules import cloudfront_s3_distribution as module

DOMAIN = "site-123456789012.s3.us-east-2.amazonaws.com"


@pytest.fixture
def args(aws):
    oac_id = boto3.client("cloudfront", region_name="us-east-1").create_origin_access_control(
        OriginAccessControlConfig={"Name": "site", "Description": "", "SigningProtocol": "sigv4",
                                   "SigningBehavior": "always", "OriginAccessControlOriginType": "s3"},
    )["OriginAccessControl"]["Id"]
    return {"caller_reference": "site", "comment": "site", "origin_domain_name": DOMAIN,
            "origin_access_control_id": oac_id, "tags": {"Stack": "cloudresume"}}


@pytest.fixture
def cloudfront_takes_time(monkeypatch):
    """``set(statuses)``: GetDistribution answers these statuses in turn (the last one from then on)."""
    clock = {"now": 1000.0}
    statuses: list[str] = []
    monkeypatch.setattr(module.time, "monotonic", lambda: clock["now"])
    monkeypatch.setattr(module.time, "sleep", lambda seconds: clock.__setitem__("now", clock["now"] + seconds))
    original = module.get_distribution_status

    def status(client, distribution_id):
        answered = original(client, distribution_id)
        if statuses:
            answered = statuses.pop(0) if len(statuses) > 1 else statuses[0]
        return answered

    monkeypatch.setattr(module, "get_distribution_status", status)
    return statuses.extend


@pytest.fixture
def logged(monkeypatch):
    lines: list[str] = []
    monkeypatch.setattr(basic.AnsibleModule, "log", lambda self, msg, log_args=None: lines.append(msg))
    return lines


def test_create_waits_reporting_each_status_with_the_time_waited(run_module, args, cloudfront_takes_time, logged):
    cloudfront_takes_time(["InProgress", "InProgress", "Deployed"])
    result, failed = run_module(module, {**args, "wait": True})
    assert not failed, result
    assert result["waited"] == [{"reason": "create", "elapsed_seconds": 0, "status": "InProgress"},
                                {"reason": "create", "elapsed_seconds": 15, "status": "InProgress"},
                                {"reason": "create", "elapsed_seconds": 30, "status": "Deployed"}]
    assert result["distribution"]["status"] == "Deployed"
    distribution_id = result["distribution"]["id"]
    assert [line for line in logged if distribution_id in line] == [
        f"CloudFront distribution {distribution_id} (create): InProgress after 0 s",
        f"CloudFront distribution {distribution_id} (create): InProgress after 15 s",
        f"CloudFront distribution {distribution_id} (create): Deployed after 30 s"]


def test_update_waits_at_the_delay_asked_for(run_module, args, cloudfront_takes_time):
    run_module(module, args)
    cloudfront_takes_time(["InProgress", "Deployed"])
    result, failed = run_module(module, {**args, "comment": "site, changed", "wait": True, "wait_delay": 5})
    assert not failed and result["changed"]
    assert result["waited"] == [{"reason": "update", "elapsed_seconds": 0, "status": "InProgress"},
                                {"reason": "update", "elapsed_seconds": 5, "status": "Deployed"}]


def test_no_wait_no_samples(run_module, args, cloudfront_takes_time):
    cloudfront_takes_time(["InProgress"])
    result, failed = run_module(module, args)
    assert not failed and result["waited"] == []


def test_a_timeout_names_the_last_status_and_the_time_waited(run_module, args, cloudfront_takes_time):
    cloudfront_takes_time(["InProgress"])
    result, failed = run_module(module, {**args, "wait": True, "wait_timeout": 40})
    assert failed
    assert "Timed out after 40 s waiting for CloudFront to deploy distribution" in result["msg"]
    assert "(create): still InProgress" in result["msg"]
    assert [s["elapsed_seconds"] for s in result["waited"]] == [0, 15, 30, 40]


def test_disable_before_delete_reports_its_wait(run_module, args, cloudfront_takes_time):
    run_module(module, args)
    cloudfront_takes_time(["InProgress", "InProgress", "Deployed"])
    result, failed = run_module(module, {"caller_reference": "site", "comment": args["comment"], "state": "absent"})
    assert not failed and result["changed"]
    assert [(s["reason"], s["elapsed_seconds"], s["status"]) for s in result["waited"]] == [
        ("disable before delete", 0, "InProgress"), ("disable before delete", 15, "InProgress"),
        ("disable before delete", 30, "Deployed")]
