"""cloudresume.aws.http_api against in-process moto (with the emulator's extensions)."""
from __future__ import annotations


import boto3
import pytest

from tests.unit.aws_calls import AwsCalls
from ansible_collections.cloudresume.aws.plugins.modules import http_api

FUNCTION = "arn:aws:lambda:us-east-2:123456789012:function:counter"
OTHER_FUNCTION = "arn:aws:lambda:us-east-2:123456789012:function:other"
LOG_GROUP = "arn:aws:logs:us-east-2:123456789012:log-group:/aws/apigateway/counter"
ORIGIN = "https://d111111abcdef8.cloudfront.net"
OWNER = "cloudresume.aws.http_api"
BASE = {
    "name": "counter",
    "description": "Visitor counter",
    "cors": {"allow_origins": [ORIGIN], "allow_methods": ["GET", "POST"], "allow_headers": ["Content-Type"],
             "max_age": 300},
    "routes": [{"route_key": "GET /count", "lambda_arn": FUNCTION},
               {"route_key": "POST /count", "lambda_arn": FUNCTION}],
    "stage": {"throttling_burst_limit": 20, "throttling_rate_limit": 10, "detailed_metrics": True,
              "access_log_destination_arn": LOG_GROUP,
              "access_log_format": {"requestId": "$context.requestId", "status": "$context.status"}},
    "tags": {"Project": "cloudresume"},
}


@pytest.fixture
def apigw(aws):
    return boto3.client("apigatewayv2", region_name="us-east-2")


def present(run_module, check_mode=False, **changes):
    return run_module(http_api, {**BASE, **changes}, check_mode=check_mode, diff=True)


def test_create_sets_every_setting(run_module, apigw):
    result, failed = present(run_module)
    assert not failed and result["changed"], result
    api = result["api"]
    raw = apigw.get_api(ApiId=api["id"])
    assert raw["Name"] == "counter" and raw["Description"] == "Visitor counter"
    assert raw["Tags"] == {"Project": "cloudresume", OWNER: "counter"}
    assert raw["CorsConfiguration"]["AllowOrigins"] == [ORIGIN]
    assert api["cors"] == {"allow_origins": [ORIGIN], "allow_methods": ["GET", "POST"],
                           "allow_headers": ["content-type"], "expose_headers": [], "max_age": 300,
                           "allow_credentials": False}
    assert api["api_endpoint"] == raw["ApiEndpoint"]
    assert api["execution_arn"] == f"arn:aws:execute-api:us-east-2:123456789012:{api['id']}"
    assert [r["route_key"] for r in api["routes"]] == ["GET /count", "POST /count"]
    integrations = apigw.get_integrations(ApiId=api["id"])["Items"]
    assert len(integrations) == 1  # both routes share the one integration with the same settings
    assert integrations[0]["IntegrationType"] == "AWS_PROXY"
    assert integrations[0]["PayloadFormatVersion"] == "2.0"
    assert integrations[0]["TimeoutInMillis"] == 30000
    assert {r["integration_id"] for r in api["routes"]} == {integrations[0]["IntegrationId"]}
    stage = apigw.get_stage(ApiId=api["id"], StageName="$default")
    assert stage["AutoDeploy"] is True
    assert stage["DefaultRouteSettings"] == {"DetailedMetricsEnabled": True, "ThrottlingBurstLimit": 20,
                                             "ThrottlingRateLimit": 10.0}
    assert stage["AccessLogSettings"] == {
        "DestinationArn": LOG_GROUP, "Format": '{"requestId":"$context.requestId","status":"$context.status"}'}
    assert result["diff"]["before"] == {}
    assert result["diff"]["after"]["routes"]["GET /count"]["lambda_arn"] == FUNCTION


def test_second_run_changes_nothing_and_makes_no_mutating_call(run_module, apigw):
    first, _second = present(run_module)
    with AwsCalls() as calls:
        result, failed = present(run_module)
    assert not failed and not result["changed"]
    assert calls.mutating == []
    assert calls.operations == ["GetApis", "GetCallerIdentity", "GetRoutes", "GetIntegrations", "GetStage"]
    assert result["api"] == first["api"]
    assert result["diff"]["before"] == result["diff"]["after"]


def test_check_mode_on_empty_account_creates_nothing(run_module, apigw):
    with AwsCalls() as calls:
        result, failed = present(run_module, check_mode=True)
    assert not failed and result["changed"]
    assert calls.mutating == []
    assert apigw.get_apis()["Items"] == []
    assert result["diff"]["after"]["stage"]["throttling_burst_limit"] == 20
    assert result["api"]["id"] is None


def test_check_mode_reports_a_change_without_making_it(run_module, apigw):
    present(run_module)
    stage = {**BASE["stage"], "throttling_rate_limit": 50}
    routes = [*BASE["routes"], {"route_key": "DELETE /count", "lambda_arn": FUNCTION}]
    with AwsCalls() as calls:
        result, failed = present(run_module, check_mode=True, stage=stage, routes=routes)
    assert not failed and result["changed"]
    assert calls.mutating == []
    assert result["diff"]["before"]["stage"]["throttling_rate_limit"] == 10.0
    assert result["diff"]["after"]["stage"]["throttling_rate_limit"] == 50.0
    assert "DELETE /count" in result["diff"]["after"]["routes"]
    assert "DELETE /count" not in result["diff"]["before"]["routes"]
    api_id = result["api"]["id"]
    assert apigw.get_stage(ApiId=api_id, StageName="$default")["DefaultRouteSettings"]["ThrottlingRateLimit"] == 10
    assert len(apigw.get_routes(ApiId=api_id)["Items"]) == 2


@pytest.mark.parametrize(
    ("change", "check"),
    [
        ({"description": "new"}, lambda api: api["description"] == "new"),
        ({"cors": {"allow_origins": ["https://example.com"]}},
         lambda api: api["cors"]["allow_origins"] == ["https://example.com"] and api["cors"]["max_age"] == 0),
        ({"cors": {}}, lambda api: api["cors"] == {}),
        ({"stage": {"auto_deploy": False}}, lambda api: api["stage"]["auto_deploy"] is False),
        ({"stage": {**BASE["stage"], "detailed_metrics": False}}, lambda api: not api["stage"]["detailed_metrics"]),
        ({"stage": {"throttling_burst_limit": 5, "throttling_rate_limit": 2.5}},
         lambda api: api["stage"]["throttling_rate_limit"] == 2.5 and api["stage"]["access_log_format"] is None),
        ({"stage": {**BASE["stage"], "access_log_format": "$context.requestId $context.status"}},
         lambda api: api["stage"]["access_log_format"] == "$context.requestId $context.status"),
        ({"tags": {"Owner": "me"}}, lambda api: api["tags"] == {"Owner": "me", OWNER: "counter"}),
        ({"tags": {"Owner": "me"}, "purge_tags": False},
         lambda api: api["tags"] == {"Project": "cloudresume", "Owner": "me", OWNER: "counter"}),
    ],
)
def test_updates_one_setting_then_is_idempotent(run_module, apigw, change, check):
    present(run_module)
    result, failed = present(run_module, **change)
    assert not failed and result["changed"], result
    assert check(result["api"]), result["api"]
    with AwsCalls() as calls:
        again, _second = present(run_module, **change)
    assert not again["changed"] and calls.mutating == []


def test_stage_throttling_is_kept_when_not_given(run_module, apigw):
    present(run_module)
    result, _second = present(run_module, stage={"detailed_metrics": True})
    assert result["api"]["stage"]["throttling_burst_limit"] == 20
    assert result["api"]["stage"]["access_log_destination_arn"] is None


def test_unset_settings_are_left_as_they_are(run_module, apigw):
    present(run_module)
    with AwsCalls() as calls:
        result, failed = run_module(http_api, {"name": "counter"})
    assert not failed and not result["changed"] and calls.mutating == []
    assert len(result["api"]["routes"]) == 2 and result["api"]["cors"]["max_age"] == 300


def test_changing_one_route_touches_only_that_route(run_module, apigw):
    first, _second = present(run_module)
    get_route = {r["route_key"]: r for r in first["api"]["routes"]}["GET /count"]
    routes = [BASE["routes"][0], {"route_key": "POST /count", "lambda_arn": FUNCTION, "timeout_ms": 5000}]
    with AwsCalls() as calls:
        result, failed = present(run_module, routes=routes)
    assert not failed and result["changed"]
    assert calls.mutating == ["CreateIntegration", "UpdateRoute"]
    after = {r["route_key"]: r for r in result["api"]["routes"]}
    assert after["GET /count"] == get_route
    assert after["POST /count"]["timeout_ms"] == 5000
    assert after["POST /count"]["route_id"] == {r["route_key"]: r for r in first["api"]["routes"]}["POST /count"]["route_id"]
    assert after["POST /count"]["integration_id"] != get_route["integration_id"]


def test_orphaned_integration_is_deleted_and_shared_one_reused(run_module, apigw):
    present(run_module)
    routes = [{"route_key": "GET /count", "lambda_arn": OTHER_FUNCTION},
              {"route_key": "POST /count", "lambda_arn": OTHER_FUNCTION}]
    with AwsCalls() as calls:
        result, _second = present(run_module, routes=routes)
    assert calls.mutating == ["CreateIntegration", "UpdateRoute", "UpdateRoute", "DeleteIntegration"]
    integrations = apigw.get_integrations(ApiId=result["api"]["id"])["Items"]
    assert [i["IntegrationUri"] for i in integrations] == [OTHER_FUNCTION]


def test_purge_routes(run_module, apigw):
    present(run_module)
    result, _second = present(run_module, routes=[BASE["routes"][0]], purge_routes=False)
    assert not result["changed"]
    result, _second = present(run_module, routes=[BASE["routes"][0]])
    assert result["changed"]
    assert [r["route_key"] for r in result["api"]["routes"]] == ["GET /count"]
    assert len(apigw.get_integrations(ApiId=result["api"]["id"])["Items"]) == 1  # still used by GET /count


def test_absent_deletes_and_is_idempotent(run_module, apigw):
    present(run_module)
    result, _second = run_module(http_api, {"name": "counter", "state": "absent"}, check_mode=True)
    assert result["changed"] and len(apigw.get_apis()["Items"]) == 1
    result, failed = run_module(http_api, {"name": "counter", "state": "absent"}, diff=True)
    assert not failed and result["changed"] and result["api"] == {}
    assert result["diff"]["before"]["name"] == "counter" and result["diff"]["after"] == {}
    assert apigw.get_apis()["Items"] == []
    again, _second = run_module(http_api, {"name": "counter", "state": "absent"})
    assert not again["changed"]


def test_two_owned_apis_with_the_name_is_an_error_listing_ids(run_module, apigw):
    ids = sorted(apigw.create_api(Name="counter", ProtocolType="HTTP", Tags={OWNER: "counter"})["ApiId"]
                 for _attempt in range(2))
    with AwsCalls() as calls:
        result, failed = present(run_module)
    assert failed and result["msg"].startswith("name:")
    assert all(api_id in result["msg"] for api_id in ids)
    assert calls.mutating == []


def test_untagged_api_with_the_name_is_not_adopted_silently(run_module, apigw):
    api_id = apigw.create_api(Name="counter", ProtocolType="HTTP")["ApiId"]
    result, failed = present(run_module)
    assert failed and result["msg"].startswith("name:") and api_id in result["msg"]
    adopted, failed = present(run_module, api_id=api_id)
    assert not failed and adopted["api"]["id"] == api_id
    assert adopted["api"]["tags"][OWNER] == "counter"
    assert not present(run_module)[0]["changed"]
    assert len(apigw.get_apis()["Items"]) == 1


def test_api_id_renames_and_moves_the_ownership_tag(run_module, apigw):
    api_id = present(run_module)[0]["api"]["id"]
    result, _second = run_module(http_api, {"api_id": api_id, "name": "renamed"})
    assert result["changed"] and result["api"]["name"] == "renamed"
    assert result["api"]["tags"][OWNER] == "renamed"


def test_unknown_api_id_fails(run_module, apigw):
    result, failed = run_module(http_api, {"api_id": "abcdef1234"})
    assert failed and result["msg"].startswith("api_id:")


def test_rerun_after_create_does_not_create_a_second_api(run_module, apigw):
    present(run_module)
    present(run_module, description="again")
    assert len(apigw.get_apis()["Items"]) == 1


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"name": "x" * 129}, "name"),
        ({"api_id": "Not-An-Id"}, "api_id"),
        ({"tags": {OWNER: "x"}}, "tags"),
        ({"cors": {"allow_origins": ["*"]}}, "cors.allow_origins"),
        ({"cors": {"allow_origins": ["https://example.com/path"]}}, "cors.allow_origins"),
        ({"cors": {"allow_origins": ["example.com"]}}, "cors.allow_origins"),
        ({"cors": {"allow_origins": ["https://x.com\n"]}}, "cors.allow_origins"),
        ({"routes": [{"route_key": "GET /count", "lambda_arn": FUNCTION + "\n"}]}, "routes[0].lambda_arn"),
        ({"routes": [{"route_key": "GET /count\n", "lambda_arn": FUNCTION}]}, "routes[0].route_key"),
        ({"api_id": "abc123\n"}, "api_id"),
        ({"name": "api\n"}, "name"),
        ({"tags": {"aws:owner": "me"}}, "tags"),
        ({"tags": {f"k{i}": "v" for i in range(50)}}, "tags"),
        ({"tags": {"Project": "x" * 257}}, "tags"),
        ({"cors": {"allow_origins": ["*"], "allow_any_origin": True, "allow_credentials": True}},
         "cors.allow_credentials"),
        ({"cors": {"allow_methods": ["FETCH"]}}, "cors.allow_methods"),
        ({"cors": {"allow_headers": ["bad header"]}}, "cors.allow_headers"),
        ({"cors": {"max_age": 86401}}, "cors.max_age"),
        ({"routes": [{"route_key": "GET count", "lambda_arn": FUNCTION}]}, "routes[0].route_key"),
        ({"routes": [{"route_key": "FETCH /count", "lambda_arn": FUNCTION}]}, "routes[0].route_key"),
        ({"routes": [{"route_key": "GET /{proxy+}/x", "lambda_arn": FUNCTION}]}, "routes[0].route_key"),
        ({"routes": [BASE["routes"][0], BASE["routes"][0]]}, "routes[1].route_key"),
        ({"routes": [{"route_key": "GET /count", "lambda_arn": "counter"}]}, "routes[0].lambda_arn"),
        ({"routes": [{"route_key": "GET /count", "lambda_arn": FUNCTION, "timeout_ms": 30001}]},
         "routes[0].timeout_ms"),
        ({"stage": {"throttling_burst_limit": -1, "throttling_rate_limit": 1}}, "stage.throttling_burst_limit"),
        ({"stage": {"throttling_burst_limit": 5001, "throttling_rate_limit": 1}}, "stage.throttling_burst_limit"),
        ({"stage": {"throttling_burst_limit": 1, "throttling_rate_limit": -0.5}}, "stage.throttling_rate_limit"),
        ({"stage": {"access_log_destination_arn": LOG_GROUP + ":*", "access_log_format": "$context.requestId"}},
         "stage.access_log_destination_arn"),
        ({"stage": {"access_log_destination_arn": LOG_GROUP, "access_log_format": {"status": "$context.status"}}},
         "stage.access_log_format"),
    ],
)
def test_bad_input_fails_before_any_call(run_module, apigw, args, field):
    with AwsCalls() as calls:
        result, failed = run_module(http_api, {**BASE, **args})
    assert failed and result["msg"].startswith(f"{field}:"), result["msg"]
    assert calls.operations == []


@pytest.mark.parametrize(
    ("stage", "message"),
    [
        ({"throttling_burst_limit": 1},
         "parameters are required together: throttling_burst_limit, throttling_rate_limit found in stage"),
        ({"access_log_destination_arn": LOG_GROUP},
         "parameters are required together: access_log_destination_arn, access_log_format found in stage"),
    ],
)
def test_stage_settings_that_go_together_fail_before_any_call(run_module, apigw, stage, message):
    with AwsCalls() as calls:
        result, failed = run_module(http_api, {**BASE, "stage": stage})
    assert failed and result["msg"] == message
    assert calls.operations == []


def test_any_origin_needs_the_explicit_opt_in(run_module, apigw):
    result, failed = present(run_module, cors={"allow_origins": ["*"], "allow_any_origin": True})
    assert not failed and result["api"]["cors"]["allow_origins"] == ["*"]


def test_api_id_of_a_websocket_api_fails(run_module, apigw):
    api_id = apigw.create_api(Name="socket", ProtocolType="WEBSOCKET",
                              RouteSelectionExpression="$request.body.action")["ApiId"]
    result, failed = run_module(http_api, {"api_id": api_id})
    assert failed and result["msg"].startswith("api_id:") and "WEBSOCKET" in result["msg"]


def test_no_op_by_api_id_reads_the_api_directly(run_module, apigw):
    api_id = present(run_module)[0]["api"]["id"]
    with AwsCalls() as calls:
        result, failed = present(run_module, api_id=api_id)
    assert not failed and not result["changed"]
    assert calls.operations == ["GetApi", "GetCallerIdentity", "GetRoutes", "GetIntegrations", "GetStage"]


def test_absent_leaves_an_untagged_api_with_the_name_and_warns(run_module, apigw):
    apigw.create_api(Name="counter", ProtocolType="HTTP")
    result, failed = run_module(http_api, {"name": "counter", "state": "absent"})
    assert not failed and not result["changed"]
    assert "ownership tag" in result["warnings"][0]
    assert len(apigw.get_apis()["Items"]) == 1
