"""cloudresume.aws.http_api_info against in-process moto."""
from __future__ import annotations

from unittest import mock

import boto3
import pytest
from botocore.exceptions import ClientError

from ansible_collections.cloudresume.aws.plugins.modules import http_api
from ansible_collections.cloudresume.aws.plugins.modules import http_api_info

FUNCTION = "arn:aws:lambda:us-east-2:123456789012:function:counter"
OWNER = "cloudresume.aws.http_api"


@pytest.fixture
def apigw(aws):
    return boto3.client("apigatewayv2", region_name="us-east-2")


@pytest.fixture
def counter(run_module, apigw):
    result, failed = run_module(http_api, {
        "name": "counter", "routes": [{"route_key": "GET /count", "lambda_arn": FUNCTION}],
        "cors": {"allow_origins": ["https://example.com"]}, "stage": {}, "tags": {"Project": "cloudresume"}})
    assert not failed
    return result["api"]


def test_by_name_returns_the_http_api_shape(run_module, apigw, counter):
    apigw.create_api(Name="other", ProtocolType="HTTP")
    result, failed = run_module(http_api_info, {"name": "counter"}, check_mode=True)
    assert not failed and not result["changed"]
    assert result["apis"] == [counter]


def test_by_id_and_tags(run_module, apigw, counter):
    assert run_module(http_api_info, {"api_id": counter["id"]})[0]["apis"] == [counter]
    assert run_module(http_api_info, {"tags": {OWNER: "counter"}})[0]["apis"] == [counter]
    assert run_module(http_api_info, {"name": "counter", "tags": {"Project": "other"}})[0]["apis"] == []
    assert run_module(http_api_info, {"api_id": "missing"})[0]["apis"] == []


def test_lists_all_http_apis_sorted_and_skips_websocket_apis(run_module, apigw, counter):
    other = apigw.create_api(Name="another", ProtocolType="HTTP")["ApiId"]
    socket = apigw.create_api(Name="socket", ProtocolType="WEBSOCKET",
                              RouteSelectionExpression="$request.body.action")["ApiId"]
    result, _second = run_module(http_api_info, {})
    assert [a["id"] for a in result["apis"]] == [other, counter["id"]]
    assert result["apis"][0]["routes"] == [] and result["apis"][0]["stage"] == {}
    assert run_module(http_api_info, {"api_id": socket})[0]["apis"] == []


def test_an_aws_error_fails_naming_the_action(run_module, apigw):
    denied = ClientError({"Error": {"Code": "AccessDeniedException", "Message": "not allowed"}}, "GetApis")
    with mock.patch("botocore.client.BaseClient._make_api_call", side_effect=denied):
        result, failed = run_module(http_api_info, {"name": "counter"})
    assert failed and result["msg"].startswith("Failed to list the HTTP APIs: ")
    assert result["error"]["code"] == "AccessDeniedException"


def test_a_given_account_id_builds_the_execution_arn_without_sts(run_module, apigw, counter):
    with mock.patch("ansible_collections.cloudresume.aws.plugins.module_utils.apigatewayv2.get_aws_account_info",
                    side_effect=AssertionError("STS asked")):
        result, failed = run_module(http_api_info, {"name": "counter", "account_id": "210987654321"})
    assert not failed
    assert result["apis"][0]["execution_arn"] == f"arn:aws:execute-api:us-east-2:210987654321:{counter['id']}"


def test_a_malformed_account_id_fails_naming_the_field(run_module, apigw, counter):
    result, failed = run_module(http_api_info, {"name": "counter", "account_id": "12345"})
    assert failed and result["msg"].startswith("account_id: '12345' is not a 12-digit AWS account id")
