"""The preview against a deployment in in-process moto (the browser tests' stand-in): what was deployed is
what is served, wrong included."""
from __future__ import annotations

import io
import json

import boto3
import pytest
import requests

from preview import site as site_side
from preview.api import Request, handle
from preview.deployment import read_api, read_site
from preview.function import Runner
from preview.origins import OriginMap
from tests.unit.preview import standin

REGION = "us-east-2"


@pytest.fixture
def deployed(aws, tmp_path):
    session = boto3.session.Session(region_name=REGION)
    result = standin.deploy(session)
    site = read_site(session.client("cloudfront"), session.client("s3"), "cloudresume")
    api = read_api(session.client("apigatewayv2"), session.client("lambda"), "cloudresume-api", "123456789012")
    origins = OriginMap()
    origins.add(site.origin, "http://127.0.0.1:1")
    origins.add(api.endpoint, "http://127.0.0.1:2")
    log = io.StringIO()
    runner = Runner(lambda url: requests.get(url, timeout=5).content, tmp_path, {}, log)
    return {**result, "session": session, "site": site, "api": api, "origins": origins, "runner": runner,
            "log": log}


def get(deployed, path, headers=None):
    s3 = deployed["session"].client("s3")
    return site_side.handle(deployed["site"], lambda b, k: s3.get_object(Bucket=b, Key=k), "GET", path,
                            headers or {}, deployed["origins"].localize)


def test_root_config_and_error_pages_as_deployed(deployed):
    root = get(deployed, "/")
    assert root.status == 200 and b"Jordan Rivera" in root.body
    assert json.loads(get(deployed, "/config.json").body) == {"counterUrl": "http://127.0.0.1:2/count"}
    missing = get(deployed, "/missing")
    assert missing.status == 404 and b"Page not found" in missing.body
    assert "connect-src 'self' http://127.0.0.1:2;" in root.header("Content-Security-Policy")
    assert get(deployed, "/", {"accept-encoding": "gzip"}).header("Content-Encoding") == "gzip"


def test_a_csp_without_the_api_origin_is_served_without_it(deployed):
    cloudfront = deployed["session"].client("cloudfront")
    policy_id = deployed["distribution"]["DistributionConfig"]["DefaultCacheBehavior"]["ResponseHeadersPolicyId"]
    current = cloudfront.get_response_headers_policy(Id=policy_id)
    config = current["ResponseHeadersPolicy"]["ResponseHeadersPolicyConfig"]
    config["SecurityHeadersConfig"]["ContentSecurityPolicy"]["ContentSecurityPolicy"] = "default-src 'self'"
    cloudfront.update_response_headers_policy(Id=policy_id, IfMatch=current["ETag"], ResponseHeadersPolicyConfig=config)
    site = read_site(cloudfront, deployed["session"].client("s3"), "cloudresume")
    deployed["site"] = site
    assert get(deployed, "/").header("Content-Security-Policy") == "default-src 'self'"


def test_a_bucket_policy_for_another_distribution_denies_everything(deployed):
    s3 = deployed["session"].client("s3")
    bucket = deployed["site"].bucket
    s3.put_bucket_policy(Bucket=bucket, Policy=s3.get_bucket_policy(Bucket=bucket)["Policy"].replace(
        deployed["site"].distribution_id, "EOTHER"))
    deployed["site"] = read_site(deployed["session"].client("cloudfront"), s3, "cloudresume")
    reply = get(deployed, "/")
    assert reply.status == 403 and b"AccessDenied" in reply.body


def test_count_runs_the_deployed_code_against_the_table(deployed):
    origin = [("Origin", deployed["site"].origin)]
    first = handle(deployed["api"], Request("POST", "/count", "", origin, b""), deployed["runner"].invoke)
    second = handle(deployed["api"], Request("GET", "/count", "", origin, b""), deployed["runner"].invoke)
    assert json.loads(first.body) == json.loads(second.body) == {"count": 1}
    assert first.header("Access-Control-Allow-Origin") == deployed["site"].origin
    item = deployed["session"].client("dynamodb").get_item(
        TableName="cloudresume-visitors", Key={"counter_id": {"S": "visitors"}})["Item"]
    assert item["count"]["N"] == "1"
    assert '"route": "POST /count"' in deployed["log"].getvalue()
    foreign = handle(deployed["api"], Request("GET", "/count", "", [("Origin", "http://127.0.0.1:1")], b""),
                     deployed["runner"].invoke)
    assert foreign.status == 200 and foreign.header("Access-Control-Allow-Origin") is None


def test_without_invoke_permission_api_gateway_answers_500(deployed):
    lam = deployed["session"].client("lambda")
    lam.remove_permission(FunctionName="cloudresume-counter", StatementId="apigateway")
    api = read_api(deployed["session"].client("apigatewayv2"), lam, "cloudresume-api", "123456789012")
    reply = handle(api, Request("GET", "/count", "", [], b""), deployed["runner"].invoke)
    assert (reply.status, json.loads(reply.body)) == (500, {"message": "Internal Server Error"})
