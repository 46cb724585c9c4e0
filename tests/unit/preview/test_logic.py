"""The preview's pure logic: origin map, bucket policy grants, stages and routes, CORS, 2.0 results, headers."""
from __future__ import annotations

import json

import pytest

from preview.api import Reply, Request, cors_headers, handle, origin_allowed, reply_from_result, select_route
from preview.deployment import Api, Route, bucket_grants, bucket_of, function_arn_of
from preview.origins import OriginMap
from preview.site import apply_headers_policy, compress

DIST_ARN = "arn:aws:cloudfront::123456789012:distribution/E1"


def test_origin_map_swaps_exactly_the_two_origins_both_ways():
    origins = OriginMap()
    origins.add("https://d1.cloudfront.net", "http://127.0.0.1:1")
    origins.add("https://a.execute-api.us-east-2.amazonaws.com/", "http://127.0.0.1:2")
    text = ("connect-src 'self' https://a.execute-api.us-east-2.amazonaws.com https://d1.cloudfront.net.evil.example"
            " https://wrong.execute-api.us-east-2.amazonaws.com")
    assert origins.localize(text) == ("connect-src 'self' http://127.0.0.1:2 https://d1.cloudfront.net.evil.example"
                                      " https://wrong.execute-api.us-east-2.amazonaws.com")
    assert origins.deploy("http://127.0.0.1:1") == "https://d1.cloudfront.net"
    assert origins.deploy("http://127.0.0.1:10") == "http://127.0.0.1:10"
    with pytest.raises(ValueError):
        origins.add("https://d1.cloudfront.net", "http://127.0.0.1:3")


def policy(source_arn: str, actions: list[str]) -> str:
    return json.dumps({"Statement": [{
        "Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"}, "Action": actions,
        "Resource": ["arn:aws:s3:::b/*", "arn:aws:s3:::b"], "Condition": {"StringEquals": {"AWS:SourceArn": source_arn}}}]})


@pytest.mark.parametrize(("policy_text", "expected"), [
    (policy(DIST_ARN, ["s3:GetObject"]), (True, False)),
    (policy(DIST_ARN, ["s3:GetObject", "s3:ListBucket"]), (True, True)),
    (policy("arn:aws:cloudfront::123456789012:distribution/OTHER", ["s3:GetObject"]), (False, False)),
    (None, (False, False)),
])
def test_bucket_grants_follow_principal_and_source_arn(policy_text, expected):
    assert bucket_grants(policy_text, "b", DIST_ARN) == expected


def test_origin_names():
    assert bucket_of("site-1.s3.us-east-2.amazonaws.com") == "site-1"
    assert function_arn_of("arn:aws:apigateway:us-east-2:lambda:path/2015-03-31/functions/"
                           "arn:aws:lambda:us-east-2:1:function:f/invocations") == "arn:aws:lambda:us-east-2:1:function:f"


def test_route_selection_prefers_literal_paths_and_methods():
    routes = (Route("ANY /{proxy+}", None), Route("GET /count", None), Route("ANY /count", None), Route("$default", None))
    assert select_route(routes, "GET", "/count")[0].key == "GET /count"
    assert select_route(routes, "POST", "/count")[0].key == "ANY /count"
    assert select_route(routes, "GET", "/a/b") == (routes[0], {"proxy": "a/b"})
    assert select_route((Route("GET /count", None),), "GET", "/nope") is None


CORS = {"AllowOrigins": ["https://d1.cloudfront.net"], "AllowMethods": ["GET", "POST"], "MaxAge": 300}


def api(cors="the default CORS", stages=("$default",)) -> Api:
    return Api(api_id="a", endpoint="https://a.execute-api.us-east-2.amazonaws.com", region="us-east-2",
               account="123456789012", cors=CORS if cors == "the default CORS" else cors, stages=stages, routes=(Route("GET /count", None),))


def test_preflight_is_answered_by_api_gateway_only_for_allowed_origins():
    ask = [("Origin", "https://d1.cloudfront.net"), ("Access-Control-Request-Method", "POST")]
    reply = handle(api(), Request("OPTIONS", "/count", "", ask, b""), invoke=None)
    assert reply.status == 204 and reply.header("Access-Control-Allow-Origin") == "https://d1.cloudfront.net"
    assert reply.header("Access-Control-Allow-Methods") == "GET,POST"
    foreign = handle(api(), Request("OPTIONS", "/count", "", [("Origin", "https://x.example"), ask[1]], b""), None)
    assert foreign.status == 204 and foreign.header("Access-Control-Allow-Origin") is None
    unconfigured = handle(api(cors=None), Request("OPTIONS", "/count", "", ask, b""), None)
    assert unconfigured.status == 404


def test_unknown_stage_or_route_is_not_found():
    assert handle(api(stages=("prod",)), Request("GET", "/count", "", [], b""), None).status == 404
    reply = handle(api(), Request("GET", "/other", "", [], b""), None)
    assert (reply.status, json.loads(reply.body)) == (404, {"message": "Not Found"})


def test_cors_headers_and_origin_matching():
    assert origin_allowed(CORS, "https://d1.cloudfront.net/") and not origin_allowed(CORS, None)
    assert ("Access-Control-Allow-Origin", "*") in cors_headers({"AllowOrigins": ["*"]}, "https://x", False)


def test_payload_2_results():
    reply = reply_from_result({"statusCode": 201, "headers": {"X-A": "1"}, "body": "{}", "cookies": ["a=1"]})
    assert reply.status == 201 and reply.header("Set-Cookie") == "a=1" and reply.header("Content-Type")
    inferred = reply_from_result({"count": 3})
    assert (inferred.status, json.loads(inferred.body)) == (200, {"count": 3})


def test_headers_policy_override_and_compression():
    reply = Reply(200, [("Content-Type", "text/html"), ("X-Frame-Options", "SAMEORIGIN"), ("Server", "AmazonS3")],
                  b"x" * 2000)
    apply_headers_policy(reply, {
        "SecurityHeadersConfig": {"FrameOptions": {"Override": False, "FrameOption": "DENY"},
                                  "ContentTypeOptions": {"Override": True}},
        "RemoveHeadersConfig": {"Quantity": 1, "Items": [{"Header": "Server"}]}})
    assert reply.header("X-Frame-Options") == "SAMEORIGIN"
    assert reply.header("X-Content-Type-Options") == "nosniff" and reply.header("Server") is None
    compress(reply, "gzip, br")
    assert reply.header("Content-Encoding") == "gzip" and len(reply.body) < 100
