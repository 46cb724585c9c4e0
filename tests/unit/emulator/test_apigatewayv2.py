"""boto3 round trips for tools/emulator/extensions/apigatewayv2.py (UpdateStage, which moto 5.2.5 lacks)."""
from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

LOG_GROUP = "arn:aws:logs:us-east-2:123456789012:log-group:/aws/apigateway/api"


@pytest.fixture
def apigw(aws):
    return boto3.client("apigatewayv2", region_name="us-east-2")


@pytest.fixture
def api_id(apigw):
    api_id = apigw.create_api(Name="api", ProtocolType="HTTP")["ApiId"]
    apigw.create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True,
                       DefaultRouteSettings={"DetailedMetricsEnabled": False, "ThrottlingBurstLimit": 10,
                                             "ThrottlingRateLimit": 5.0},
                       AccessLogSettings={"DestinationArn": LOG_GROUP, "Format": '{"id":"$context.requestId"}'})
    return api_id


def test_update_stage_replaces_scalars_and_merges_route_settings(apigw, api_id):
    response = apigw.update_stage(ApiId=api_id, StageName="$default", AutoDeploy=False, Description="d",
                                  DefaultRouteSettings={"DetailedMetricsEnabled": True, "ThrottlingRateLimit": 7.5})
    assert response["AutoDeploy"] is False
    assert response["DefaultRouteSettings"] == {"DetailedMetricsEnabled": True, "ThrottlingBurstLimit": 10,
                                                "ThrottlingRateLimit": 7.5}
    stage = apigw.get_stage(ApiId=api_id, StageName="$default")
    assert stage["Description"] == "d"
    assert stage["DefaultRouteSettings"] == response["DefaultRouteSettings"]
    assert stage["AccessLogSettings"]["DestinationArn"] == LOG_GROUP
    assert stage["LastUpdatedDate"] >= stage["CreatedDate"]


def test_update_stage_replaces_or_clears_access_log_settings(apigw, api_id):
    apigw.update_stage(ApiId=api_id, StageName="$default",
                       AccessLogSettings={"DestinationArn": LOG_GROUP, "Format": "$context.requestId"})
    assert apigw.get_stage(ApiId=api_id, StageName="$default")["AccessLogSettings"]["Format"] == "$context.requestId"
    apigw.update_stage(ApiId=api_id, StageName="$default", AccessLogSettings={})
    assert "AccessLogSettings" not in apigw.get_stage(ApiId=api_id, StageName="$default")


def test_update_stage_refuses_execution_logging_on_http_apis(apigw, api_id):
    with pytest.raises(ClientError) as error:
        apigw.update_stage(ApiId=api_id, StageName="$default", DefaultRouteSettings={"LoggingLevel": "INFO"})
    assert error.value.response["Error"]["Code"] == "BadRequestException"


@pytest.mark.parametrize("stage_name", ["$default", "missing"])
def test_update_stage_of_unknown_api_or_stage_is_not_found(apigw, api_id, stage_name):
    target = {"ApiId": "nope" if stage_name == "$default" else api_id, "StageName": stage_name}
    with pytest.raises(ClientError) as error:
        apigw.update_stage(AutoDeploy=False, **target)
    assert error.value.response["Error"]["Code"] == "NotFoundException"
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_update_stage_refuses_an_unknown_deployment(apigw, api_id):
    with pytest.raises(ClientError) as error:
        apigw.update_stage(ApiId=api_id, StageName="$default", DeploymentId="abc123")
    assert error.value.response["Error"]["Code"] == "BadRequestException"
