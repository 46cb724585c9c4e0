"""Read back what was deployed: every value the preview acts on comes from these AWS read calls."""
from __future__ import annotations

import fnmatch
import json
import re
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

CLOUDFRONT_PRINCIPAL = "cloudfront.amazonaws.com"
APIGATEWAY_PRINCIPAL = "apigateway.amazonaws.com"


class NotDeployed(Exception):
    """A resource the preview needs is not deployed."""


@dataclass(frozen=True)
class ErrorResponse:
    page_path: str | None
    response_code: int | None


@dataclass(frozen=True)
class Site:
    distribution_id: str
    distribution_arn: str
    domain_name: str
    bucket: str
    origin_path: str
    default_root_object: str
    origin_access_control: bool
    can_get: bool
    can_list: bool
    compress: bool
    allowed_methods: tuple[str, ...]
    error_responses: dict[int, ErrorResponse]
    headers_policy: dict[str, Any] | None

    @property
    def origin(self) -> str:
        return f"https://{self.domain_name}"


@dataclass(frozen=True)
class Function:
    arn: str
    name: str
    handler: str
    runtime: str
    code_sha256: str
    code_location: str
    environment: dict[str, str]
    memory_size: int
    timeout: int
    version: str
    invoke_source_arns: tuple[str, ...]

    def allows(self, source_arn: str) -> bool:
        """Whether the resource policy lets API Gateway invoke the function for this execute-api ARN."""
        return any(fnmatch.fnmatchcase(source_arn, pattern) for pattern in self.invoke_source_arns)


@dataclass(frozen=True)
class Route:
    key: str
    integration: dict[str, Any] | None


@dataclass(frozen=True)
class Api:
    api_id: str
    endpoint: str
    region: str
    account: str
    cors: dict[str, Any] | None
    stages: tuple[str, ...]
    routes: tuple[Route, ...]
    functions: dict[str, Function] = field(default_factory=dict)

    def execute_arn(self, stage: str, method: str, path: str) -> str:
        return f"arn:aws:execute-api:{self.region}:{self.account}:{self.api_id}/{stage}/{method}{path}"


def _paginate(client: Any, operation: str, key: str, **kwargs: Any) -> list[dict[str, Any]]:
    """For the apigatewayv2 list calls, which have no paginator in botocore."""
    items, token = [], None
    while True:
        page = getattr(client, operation)(**kwargs, **({"NextToken": token} if token else {}))
        items += page.get(key, [])
        token = page.get("NextToken")
        if not token:
            return items


def find_distribution(cloudfront: Any, stack_name: str) -> dict[str, Any]:
    """The distribution tagged ``Stack: <stack_name>``."""
    for page in cloudfront.get_paginator("list_distributions").paginate():
        for summary in page["DistributionList"].get("Items", []):
            tags = cloudfront.list_tags_for_resource(Resource=summary["ARN"])["Tags"].get("Items", [])
            if {"Key": "Stack", "Value": stack_name} in tags:
                return cloudfront.get_distribution(Id=summary["Id"])["Distribution"]
    raise NotDeployed(f"no CloudFront distribution tagged Stack: {stack_name}")


def _statements(policy: str | None) -> list[dict[str, Any]]:
    if not policy:
        return []
    statements = json.loads(policy).get("Statement", [])
    return statements if isinstance(statements, list) else [statements]


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _service_principal(statement: dict[str, Any]) -> list[str]:
    principal = statement.get("Principal", {})
    return _as_list(principal.get("Service", [])) if isinstance(principal, dict) else []


def _condition_values(statement: dict[str, Any], key: str) -> list[str]:
    """Patterns the condition key must match: ``*``/``?`` are wildcards only under the ``...Like`` operators."""
    values: list[str] = []
    for operator in ("StringEquals", "ArnEquals", "StringLike", "ArnLike"):
        for name, value in statement.get("Condition", {}).get(operator, {}).items():
            if name.lower() == key.lower():
                like = operator.endswith("Like")
                values += [v if like else re.sub(r"([*?\[])", r"[\1]", v)
                           for v in _as_list(value)]
    return values


def bucket_grants(policy: str | None, bucket: str, distribution_arn: str) -> tuple[bool, bool]:
    """``(can_get, can_list)`` for this distribution under the bucket policy (OAC: service principal + SourceArn)."""
    can_get = can_list = False
    for statement in _statements(policy):
        if statement.get("Effect") != "Allow" or CLOUDFRONT_PRINCIPAL not in _service_principal(statement):
            continue
        sources = _condition_values(statement, "AWS:SourceArn")
        if not any(fnmatch.fnmatchcase(distribution_arn, source) for source in sources):
            continue
        actions = _as_list(statement.get("Action", []))
        resources = _as_list(statement.get("Resource", []))
        if any(fnmatch.fnmatchcase("s3:GetObject", a) for a in actions) and any(
                fnmatch.fnmatchcase(f"arn:aws:s3:::{bucket}/index.html", r) for r in resources):
            can_get = True
        if any(fnmatch.fnmatchcase("s3:ListBucket", a) for a in actions) and f"arn:aws:s3:::{bucket}" in resources:
            can_list = True
    return can_get, can_list


def bucket_of(domain_name: str) -> str:
    """The bucket of an S3 REST endpoint origin (``<bucket>.s3[.<region>].amazonaws.com``)."""
    bucket, separator, _ = domain_name.partition(".s3.")
    if not separator:
        bucket, separator, _ = domain_name.partition(".s3-")
    if not separator:
        raise NotDeployed(f"the distribution's origin {domain_name} is not an S3 REST endpoint")
    return bucket


def read_site(cloudfront: Any, s3: Any, stack_name: str) -> Site:
    distribution = find_distribution(cloudfront, stack_name)
    config = distribution["DistributionConfig"]
    behavior = config["DefaultCacheBehavior"]
    origin = next(o for o in config["Origins"]["Items"] if o["Id"] == behavior["TargetOriginId"])
    bucket = bucket_of(origin["DomainName"])
    try:
        policy = s3.get_bucket_policy(Bucket=bucket)["Policy"]
    except ClientError as error:
        if error.response["Error"]["Code"] != "NoSuchBucketPolicy":
            raise
        policy = None
    can_get, can_list = bucket_grants(policy, bucket, distribution["ARN"])
    headers_policy = None
    if behavior.get("ResponseHeadersPolicyId"):
        headers_policy = cloudfront.get_response_headers_policy(Id=behavior["ResponseHeadersPolicyId"])[
            "ResponseHeadersPolicy"]["ResponseHeadersPolicyConfig"]
    errors = {
        int(item["ErrorCode"]): ErrorResponse(item.get("ResponsePagePath") or None,
                                              int(item["ResponseCode"]) if item.get("ResponseCode") else None)
        for item in config.get("CustomErrorResponses", {}).get("Items", [])
    }
    return Site(
        distribution_id=distribution["Id"], distribution_arn=distribution["ARN"],
        domain_name=distribution["DomainName"], bucket=bucket, origin_path=origin.get("OriginPath", ""),
        default_root_object=config.get("DefaultRootObject", ""),
        origin_access_control=bool(origin.get("OriginAccessControlId")), can_get=can_get, can_list=can_list,
        compress=bool(behavior.get("Compress")),
        allowed_methods=tuple(behavior.get("AllowedMethods", {}).get("Items", ["GET", "HEAD"])),
        error_responses=errors, headers_policy=headers_policy,
    )


def function_arn_of(integration_uri: str) -> str:
    """A Lambda ARN, given directly or in the ``arn:aws:apigateway:...:lambda:path/.../functions/<arn>/invocations`` form."""
    if ":lambda:path/" in integration_uri:
        return integration_uri.split("/functions/", 1)[1].rsplit("/invocations", 1)[0]
    return integration_uri


def read_function(lambda_client: Any, arn: str) -> Function:
    response = lambda_client.get_function(FunctionName=arn)
    config = response["Configuration"]
    try:
        statements = _statements(lambda_client.get_policy(FunctionName=arn)["Policy"])
    except ClientError as error:
        if error.response["Error"]["Code"] != "ResourceNotFoundException":
            raise
        statements = []
    sources = tuple(
        source
        for s in statements
        if s.get("Effect") == "Allow" and APIGATEWAY_PRINCIPAL in _service_principal(s)
        and {"lambda:InvokeFunction", "lambda:*"} & set(_as_list(s.get("Action", [])))
        for source in (_condition_values(s, "AWS:SourceArn") or ["*"])
    )
    return Function(
        arn=config["FunctionArn"], name=config["FunctionName"], handler=config.get("Handler", ""),
        runtime=config.get("Runtime", ""), code_sha256=config["CodeSha256"],
        code_location=response.get("Code", {}).get("Location", ""),
        environment=config.get("Environment", {}).get("Variables", {}), memory_size=config.get("MemorySize", 128),
        timeout=config.get("Timeout", 3), version=config.get("Version", "$LATEST"), invoke_source_arns=sources,
    )


def read_api(apigw: Any, lambda_client: Any, api_name: str, account: str) -> Api:
    matches = [api for api in _paginate(apigw, "get_apis", "Items") if api["Name"] == api_name]
    if len(matches) != 1:
        raise NotDeployed(f"expected one HTTP API named {api_name}, found {len(matches)}")
    api = matches[0]
    integrations = {i["IntegrationId"]: i for i in _paginate(apigw, "get_integrations", "Items", ApiId=api["ApiId"])}
    routes, functions = [], {}
    for route in _paginate(apigw, "get_routes", "Items", ApiId=api["ApiId"]):
        target = route.get("Target", "")
        integration = integrations.get(target.removeprefix("integrations/")) if target else None
        if integration and integration.get("IntegrationType") == "AWS_PROXY":
            arn = function_arn_of(integration["IntegrationUri"])
            if arn not in functions:
                functions[arn] = read_function(lambda_client, arn)
        routes.append(Route(route["RouteKey"], integration))
    stages = tuple(s["StageName"] for s in _paginate(apigw, "get_stages", "Items", ApiId=api["ApiId"]))
    return Api(
        api_id=api["ApiId"], endpoint=api["ApiEndpoint"], region=apigw.meta.region_name, account=account,
        cors=api.get("CorsConfiguration"), stages=stages, routes=tuple(routes), functions=functions,
    )
