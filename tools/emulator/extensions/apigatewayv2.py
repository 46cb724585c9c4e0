"""API Gateway v2 gaps in moto 5.2.5, filled in the shape AWS documents.

- ``UpdateStage`` (``PATCH /v2/apis/{apiId}/stages/{stageName}``), which moto lacks (NotImplementedError, 500).
  As in AWS: ``AutoDeploy``, ``ClientCertificateId`` and ``Description`` replace the
  current value; ``AccessLogSettings`` replaces the whole setting (an empty object turns access logging
  off); ``DefaultRouteSettings``, ``RouteSettings`` (per route key) and ``StageVariables`` are merged field by
  field (AWS cannot unset a throttling limit once it is set). Execution logging (``DataTraceEnabled``,
  ``LoggingLevel``) is refused on HTTP APIs with ``BadRequestException``, and an unknown API or stage is a
  ``NotFoundException``. The response is the updated stage, as ``GetStage`` returns it. moto models no v2
  deployments, so any ``DeploymentId`` is refused as AWS refuses an unknown one.
"""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from urllib.parse import unquote

from moto.apigatewayv2.exceptions import BadRequestException
from moto.apigatewayv2.models import ApiGatewayV2Backend, Stage
from moto.apigatewayv2.responses import ApiGatewayV2Response
from moto.core.responses import TYPE_RESPONSE

_REPLACED = {"autoDeploy": "auto_deploy", "clientCertificateId": "client_certificate_id",
             "description": "description"}
_EXECUTION_LOGGING = ("dataTraceEnabled", "loggingLevel")


def _merge(current: dict[str, Any] | None, update: dict[str, Any]) -> dict[str, Any]:
    return {**(current or {}), **update}


def _check_route_settings(protocol_type: str, settings: list[dict[str, Any]]) -> None:
    if protocol_type != "HTTP":
        return
    for setting in settings:
        if any(key in setting for key in _EXECUTION_LOGGING):
            raise BadRequestException("Execution logs are not supported on protocolType HTTP")


def update_stage(self: ApiGatewayV2Backend, api_id: str, stage_name: str, update: dict[str, Any]) -> Stage:
    api = self.get_api(api_id)
    stage = api.get_stage(stage_name)
    route_settings = update.get("routeSettings") or {}
    _check_route_settings(api.protocol_type, [update.get("defaultRouteSettings") or {}, *route_settings.values()])
    for key, attribute in _REPLACED.items():
        if key in update:
            setattr(stage, attribute, update[key])
    if "deploymentId" in update:  # moto models no v2 deployments, so no id can be valid
        raise BadRequestException(f"Invalid deployment identifier specified: {update['deploymentId']}")
    if "accessLogSettings" in update:
        stage.access_log_settings = update["accessLogSettings"] or None
    if "defaultRouteSettings" in update:
        stage.default_route_settings = _merge(stage.default_route_settings, update["defaultRouteSettings"])
    for route_key, settings in route_settings.items():
        stage.route_settings[route_key] = _merge(stage.route_settings.get(route_key), settings)
    if "stageVariables" in update:
        stage.stage_variables = _merge(stage.stage_variables, update["stageVariables"])
    stage.updated = datetime.now()
    return stage


def update_stage_response(self: ApiGatewayV2Response) -> TYPE_RESPONSE:
    parts = self.path.split("/")
    stage = self.apigatewayv2_backend.update_stage(parts[-3], unquote(parts[-1]), json.loads(self.body or "{}"))
    return 200, {}, json.dumps(stage.to_json())


def install() -> None:
    ApiGatewayV2Backend.update_stage = update_stage  # type: ignore[attr-defined]
    ApiGatewayV2Response.update_stage = update_stage_response  # type: ignore[attr-defined]
