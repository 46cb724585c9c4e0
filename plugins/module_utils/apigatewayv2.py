# -*- coding: utf-8 -*-

# Copyright: Contributors to the cloudresume.aws collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Shared code of http_api and http_api_info: finding HTTP APIs, describing them, validating input.

An API is described as a dict with snake_case keys (``id``, ``name``, ``description``, ``api_endpoint``,
``execution_arn``, ``cors``, ``routes``, ``stage``, ``tags``); both modules return that shape.
"""

from __future__ import annotations

import json
import re
from typing import Any

try:
    import botocore.session
except ImportError:
    pass  # handled by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.iam import get_aws_account_info
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.cloudresume.aws.plugins.module_utils.errors import DescribedErrorHandler
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import ACCOUNT_ID
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import InvalidInput
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import MAX_TAGS
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import check_name
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import check_arn
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import check_origin
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import check_tags
from ansible_collections.cloudresume.aws.plugins.module_utils.validation import require

OWNERSHIP_TAG = "cloudresume.aws.http_api"
DEFAULT_STAGE = "$default"
HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
ROUTE_METHODS = HTTP_METHODS + ("ANY",)
MAX_BURST = 5000
MAX_RATE = 10000.0
TIMEOUT_RANGE = (50, 30000)
MAX_AGE_RANGE = (-1, 86400)

_ROUTE_KEY = re.compile(rf"({'|'.join(ROUTE_METHODS)}) (/\S*)")
_PATH_SEGMENT = re.compile(r"([A-Za-z0-9._~!$&'()*,;=:@-]+|\{[A-Za-z0-9_]+\})")
_GREEDY_SEGMENT = re.compile(r"\{[A-Za-z0-9_]+\+\}")
_FUNCTION_ID = re.compile(r"[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]+)?")
_LOG_GROUP_NAME = re.compile(r"[A-Za-z0-9_/.#-]{1,512}")
_HEADER = re.compile(r"([!#$%&'*+.^_`|~0-9A-Za-z-]+)")
_API_ID = re.compile(r"[a-z0-9]{1,64}")
_REQUEST_ID_VARIABLES = ("$context.requestId", "$context.extendedRequestId")


# ---- validation ---------------------------------------------------------------------------------------------
def validate(params: dict[str, Any]) -> None:
    """Check every input of http_api before any AWS call; raise InvalidInput naming the field."""
    if params.get("name") is not None:
        require("name", check_name("http_api", params["name"]))
    if params.get("api_id") is not None and not _API_ID.fullmatch(params["api_id"]):
        raise InvalidInput(f"api_id: {params['api_id']!r} is not an API id (lower-case letters and digits)")
    if params.get("tags") and OWNERSHIP_TAG in params["tags"]:
        raise InvalidInput(f"tags: the tag {OWNERSHIP_TAG} is reserved for the module (it marks APIs it owns)")
    if params.get("tags") is not None:
        require("tags", check_tags(params["tags"], max_count=MAX_TAGS - 1))  # the module adds OWNERSHIP_TAG
    if params.get("cors") is not None:
        validate_cors(params["cors"])
    if params.get("routes") is not None:
        validate_routes(params["routes"])
    if params.get("stage") is not None:
        validate_stage(params["stage"])


def validate_cors(cors: dict[str, Any]) -> None:
    origins = cors.get("allow_origins") or []
    for origin in origins:
        if origin == "*":
            if not cors.get("allow_any_origin"):
                raise InvalidInput("cors.allow_origins: '*' lets any web site call the API; list exact origins "
                                   "or set cors.allow_any_origin=true")
            if cors.get("allow_credentials"):
                raise InvalidInput("cors.allow_credentials: cannot be true when cors.allow_origins contains '*'")
        else:
            require("cors.allow_origins", check_origin(origin))
    for method in cors.get("allow_methods") or []:
        if method != "*" and method.upper() not in HTTP_METHODS:
            raise InvalidInput(f"cors.allow_methods: {method!r} is not one of {', '.join(HTTP_METHODS)} or '*'")
    for field in ("allow_headers", "expose_headers"):
        for header in cors.get(field) or []:
            if not _HEADER.fullmatch(header):
                raise InvalidInput(f"cors.{field}: {header!r} is not a header name")
    max_age = cors.get("max_age")
    if max_age is not None and not MAX_AGE_RANGE[0] <= max_age <= MAX_AGE_RANGE[1]:
        raise InvalidInput(f"cors.max_age: {max_age} is outside {MAX_AGE_RANGE[0]}..{MAX_AGE_RANGE[1]}")


def validate_routes(routes: list[dict[str, Any]]) -> None:
    seen: set[str] = set()
    for index, route in enumerate(routes):
        field = f"routes[{index}]"
        key = route["route_key"]
        if key != "$default" and not is_route_key(key):
            raise InvalidInput(f"{field}.route_key: {key!r} is not 'METHOD /path' (method one of "
                               f"{', '.join(ROUTE_METHODS)}) or '$default'")
        if key in seen:
            raise InvalidInput(f"{field}.route_key: {key!r} is listed twice")
        seen.add(key)
        if check_arn(route["lambda_arn"], "lambda", "function", _FUNCTION_ID):
            raise InvalidInput(f"{field}.lambda_arn: {route['lambda_arn']!r} is not a Lambda function ARN")
        timeout = route["timeout_ms"]
        if not TIMEOUT_RANGE[0] <= timeout <= TIMEOUT_RANGE[1]:
            raise InvalidInput(f"{field}.timeout_ms: {timeout} is outside {TIMEOUT_RANGE[0]}..{TIMEOUT_RANGE[1]}")


def is_route_key(key: str) -> bool:
    """``METHOD /path``: segments are literals or ``{param}``; only the last may be greedy (``{proxy+}``)."""
    match = _ROUTE_KEY.fullmatch(key)
    if not match:
        return False
    if match.group(2) == "/":
        return True
    segments = match.group(2)[1:].split("/")
    *leading, last = segments
    return all(_PATH_SEGMENT.fullmatch(s) for s in leading) and bool(_PATH_SEGMENT.fullmatch(last) or _GREEDY_SEGMENT.fullmatch(last))


def validate_stage(stage: dict[str, Any]) -> None:
    """Ranges and formats; the argument spec makes both throttling limits and both access log settings go together."""
    burst, rate = stage.get("throttling_burst_limit"), stage.get("throttling_rate_limit")
    if burst is not None and not 0 <= burst <= MAX_BURST:
        raise InvalidInput(f"stage.throttling_burst_limit: {burst} is outside 0..{MAX_BURST}")
    if rate is not None and not 0 <= rate <= MAX_RATE:
        raise InvalidInput(f"stage.throttling_rate_limit: {rate} is outside 0..{MAX_RATE:g}")
    destination, log_format = stage.get("access_log_destination_arn"), stage.get("access_log_format")
    if destination is not None and check_arn(destination, "logs", "log-group", _LOG_GROUP_NAME):
        raise InvalidInput(f"stage.access_log_destination_arn: {destination!r} is not a CloudWatch Logs log "
                           "group ARN (without ':*')")
    if log_format is not None:
        text = access_log_format(log_format)
        if not any(variable in text for variable in _REQUEST_ID_VARIABLES):
            raise InvalidInput("stage.access_log_format: must contain $context.requestId or "
                               "$context.extendedRequestId")


def access_log_format(value: Any) -> str:
    """The format string AWS stores: a dict becomes compact JSON, a string is kept as it is."""
    if isinstance(value, dict):
        return json.dumps(value, separators=(",", ":"))
    if isinstance(value, str):
        return value
    raise InvalidInput("stage.access_log_format: must be a string or a dict")


# ---- normalising AWS responses ------------------------------------------------------------------------------
def normalize_cors(cors: dict[str, Any] | None) -> dict[str, Any]:
    """The CORS configuration in the module's shape; {} when there is none."""
    if not cors:
        return {}
    return {
        "allow_origins": sorted(cors.get("AllowOrigins") or []),
        "allow_methods": sorted({m.upper() for m in cors.get("AllowMethods") or []}),
        "allow_headers": sorted({h.lower() for h in cors.get("AllowHeaders") or []}),
        "expose_headers": sorted({h.lower() for h in cors.get("ExposeHeaders") or []}),
        "max_age": cors.get("MaxAge") or 0,
        "allow_credentials": bool(cors.get("AllowCredentials")),
    }


def cors_request(cors: dict[str, Any]) -> dict[str, Any]:
    """The CorsConfiguration of CreateApi/UpdateApi for a normalised CORS dict (every field, so it is total)."""
    return {
        "AllowOrigins": cors["allow_origins"],
        "AllowMethods": cors["allow_methods"],
        "AllowHeaders": cors["allow_headers"],
        "ExposeHeaders": cors["expose_headers"],
        "MaxAge": cors["max_age"],
        "AllowCredentials": cors["allow_credentials"],
    }


def desired_cors(cors: dict[str, Any]) -> dict[str, Any]:
    """Module input to the normalised shape; unset fields are empty, C(0) or false. {} (all unset) is no CORS."""
    fields = ("allow_origins", "allow_methods", "allow_headers", "expose_headers", "max_age", "allow_credentials")
    if all(cors.get(f) is None for f in fields):
        return {}
    return normalize_cors({
        "AllowOrigins": cors.get("allow_origins"), "AllowMethods": cors.get("allow_methods"),
        "AllowHeaders": cors.get("allow_headers"), "ExposeHeaders": cors.get("expose_headers"),
        "MaxAge": cors.get("max_age"), "AllowCredentials": cors.get("allow_credentials"),
    })


def normalize_stage(stage: dict[str, Any] | None) -> dict[str, Any]:
    """The stage in the module's shape; {} when there is none."""
    if not stage:
        return {}
    settings = stage.get("DefaultRouteSettings") or {}
    logs = stage.get("AccessLogSettings") or {}
    rate = settings.get("ThrottlingRateLimit")
    return {
        "stage_name": stage["StageName"],
        "auto_deploy": bool(stage.get("AutoDeploy")),
        "throttling_burst_limit": settings.get("ThrottlingBurstLimit"),
        "throttling_rate_limit": float(rate) if rate is not None else None,
        "detailed_metrics": bool(settings.get("DetailedMetricsEnabled")),
        "access_log_destination_arn": logs.get("DestinationArn"),
        "access_log_format": logs.get("Format") if logs.get("DestinationArn") else None,
    }


def integration_target(route: dict[str, Any]) -> str | None:
    target = route.get("Target") or ""
    return target.split("/", 1)[1] if target.startswith("integrations/") else None


def normalize_integration(integration: dict[str, Any]) -> dict[str, Any]:
    is_lambda = integration.get("IntegrationType") == "AWS_PROXY"
    return {
        "integration_id": integration["IntegrationId"],
        "lambda_arn": integration.get("IntegrationUri") if is_lambda else None,
        "payload_format_version": integration.get("PayloadFormatVersion"),
        "timeout_ms": integration.get("TimeoutInMillis"),
    }


def normalize_routes(routes: list[dict[str, Any]], integrations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Routes with the settings of the integration each one targets, sorted by route key."""
    by_id = {i["IntegrationId"]: normalize_integration(i) for i in integrations}
    result = []
    for route in routes:
        integration_id = integration_target(route)
        empty = {"integration_id": integration_id, "lambda_arn": None, "payload_format_version": None,
                 "timeout_ms": None}
        result.append({"route_key": route["RouteKey"], "route_id": route["RouteId"],
                       **by_id.get(integration_id or "", empty)})
    return sorted(result, key=lambda r: r["route_key"])


def settings_view(api: dict[str, Any]) -> dict[str, Any]:
    """What a diff shows: the managed settings, without ids AWS assigns."""
    if not api:
        return {}
    return {
        "name": api["name"],
        "description": api["description"],
        "cors": api["cors"],
        "routes": {r["route_key"]: {k: r[k] for k in ("lambda_arn", "payload_format_version", "timeout_ms")}
                   for r in api["routes"]},
        "stage": api["stage"],
        "tags": api["tags"],
    }


# ---- errors and calls -----------------------------------------------------------------------------------
class HttpApiError(AnsibleAWSError):
    pass


class HttpApiErrorHandler(DescribedErrorHandler):
    """API Gateway v2 errors as :class:`HttpApiError`; C(NotFoundException) is the missing resource."""

    _CUSTOM_EXCEPTION = HttpApiError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("NotFoundException")


@AWSRetry.jittered_backoff()
def _paginate(client: Any, operation: str, **params: Any) -> list[dict[str, Any]]:
    return client.get_paginator(operation).paginate(**params).build_full_result().get("Items", [])


@HttpApiErrorHandler.common_error_handler("list the HTTP APIs")
def list_apis(client: Any) -> list[dict[str, Any]]:
    return _paginate(client, "get_apis")


@HttpApiErrorHandler.list_error_handler("get the HTTP API {api_id}")
@AWSRetry.jittered_backoff()
def get_api(client: Any, api_id: str) -> dict[str, Any] | None:
    api = client.get_api(ApiId=api_id)
    api.pop("ResponseMetadata", None)
    return api


@HttpApiErrorHandler.common_error_handler("read the routes of the HTTP API {api_id}")
def list_routes(client: Any, api_id: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return _paginate(client, "get_routes", ApiId=api_id), _paginate(client, "get_integrations", ApiId=api_id)


@HttpApiErrorHandler.list_error_handler("read the $default stage of the HTTP API {api_id}")
@AWSRetry.jittered_backoff()
def get_default_stage(client: Any, api_id: str) -> dict[str, Any] | None:
    return client.get_stage(ApiId=api_id, StageName=DEFAULT_STAGE)


@HttpApiErrorHandler.common_error_handler("tag {arn}")
@AWSRetry.jittered_backoff()
def tag_resource(client: Any, arn: str, tags: dict[str, str]) -> None:
    """TagResource of an API Gateway v2 resource (an API, a custom domain name) by its ARN."""
    client.tag_resource(ResourceArn=arn, Tags=tags)


@HttpApiErrorHandler.common_error_handler("untag {arn}")
@AWSRetry.jittered_backoff()
def untag_resource(client: Any, arn: str, keys: list[str]) -> None:
    """UntagResource of an API Gateway v2 resource (an API, a custom domain name) by its ARN."""
    client.untag_resource(ResourceArn=arn, TagKeys=keys)


# ---- reading ------------------------------------------------------------------------------------------------
class HttpApis:
    """Read access to HTTP APIs; AWS errors raise :class:`HttpApiError`."""

    def __init__(self, module: AnsibleAWSModule, account: tuple[str, str] | None = None) -> None:
        """``account`` (account id, partition), when the caller knows it already, saves the STS call."""
        self.module = module
        self.client = module.client("apigatewayv2", retry_decorator=AWSRetry.jittered_backoff())
        self._account: tuple[str, str] | None = account
        account_id = module.params.get("account_id")
        if account_id and not ACCOUNT_ID.fullmatch(account_id):
            module.fail_json(msg=f"account_id: {account_id!r} is not a 12-digit AWS account id")
        if account_id:  # given by the caller: the execution ARN needs no STS call
            self._account = (account_id, botocore.session.get_session().get_partition_for_region(module.region))

    def all_http_apis(self) -> list[dict[str, Any]]:
        """All HTTP APIs of the region (GetApis items)."""
        return [api for api in list_apis(self.client) if api.get("ProtocolType") == "HTTP"]

    def get(self, api_id: str) -> dict[str, Any] | None:
        """The API with this id (GetApi shape, any protocol type), or None."""
        return get_api(self.client, api_id)

    def owned(self, name: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """APIs named ``name``: those carrying the ownership tag for that name, and the others."""
        named = [api for api in self.all_http_apis() if api["Name"] == name]
        owned = [api for api in named if (api.get("Tags") or {}).get(OWNERSHIP_TAG) == name]
        return owned, [api for api in named if api not in owned]

    def execution_arn(self, api_id: str) -> str:
        if self._account is None:
            self._account = get_aws_account_info(self.module)
        account_id, partition = self._account
        return f"arn:{partition}:execute-api:{self.module.region}:{account_id}:{api_id}"

    def routes(self, api_id: str) -> list[dict[str, Any]]:
        return normalize_routes(*list_routes(self.client, api_id))

    def stage(self, api_id: str) -> dict[str, Any]:
        return normalize_stage(get_default_stage(self.client, api_id))

    def summary(self, api: dict[str, Any]) -> dict[str, Any]:
        """What a GetApi/GetApis item tells without another read: the common shape without routes and stage."""
        return {
            "id": api["ApiId"],
            "name": api["Name"],
            "description": api.get("Description") or "",
            "api_endpoint": api.get("ApiEndpoint"),
            "execution_arn": self.execution_arn(api["ApiId"]),
            "cors": normalize_cors(api.get("CorsConfiguration")),
            "tags": dict(api.get("Tags") or {}),
        }

    def describe(self, api: dict[str, Any]) -> dict[str, Any]:
        """The common return shape for a GetApi/GetApis item."""
        described = self.summary(api)
        tags = described.pop("tags")
        return {**described, "routes": self.routes(api["ApiId"]), "stage": self.stage(api["ApiId"]), "tags": tags}
